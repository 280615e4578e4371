"""The rules module: routes are the machine's answers, verdicts are data, and the runtime's
first-refusal answer is the head of conformance's every-refusal answer (the differential test
of the consumers is ``tests/test_rules_differential.py``)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from runtime_support import MINIMAL, PROCEDURES

from engine.cases.lookup import ProcedureIndex
from engine.cases.machine import COMPLETE, ProcedureMachine
from engine.cases.rules import ALLOWED, Refusal, Rules, rules_for
from engine.cases.state import CaseState
from engine.procedure.model import FactType, Procedure, RoleKind
from engine.procedure.validate import check_path

SOURCES = {"sapa": PROCEDURES / "sapa.yaml", "mediasi": PROCEDURES / "mediasi.yaml",
           "minimal": MINIMAL}


def _procedure(name: str) -> Procedure:
    checked = check_path(SOURCES[name])
    assert checked.procedure is not None
    return checked.procedure


def test_a_route_is_where_the_machine_says_the_move_leads() -> None:
    proc = _procedure("mediasi")
    machine = ProcedureMachine(proc)
    # the YAML says asesmen_awal → asesmen_lanjutan; the machine is told otherwise
    machine.machine.remove_transition(COMPLETE, "asesmen_awal")
    machine.machine.add_transition(COMPLETE, "asesmen_awal", "end:completed")
    route = Rules(proc, ProcedureIndex.of(proc), machine).route("asesmen_awal", None)
    assert route is not None and (route.dest, route.ends) == ("end:completed", "completed")
    # a move the machine does not have is no route at all, whatever the YAML says
    machine = ProcedureMachine(proc)
    machine.machine.remove_transition(COMPLETE, "asesmen_awal")
    with pytest.raises(KeyError):
        Rules(proc, ProcedureIndex.of(proc), machine)


def test_routes_carry_what_a_completion_produces_and_where_it_ends() -> None:
    rules = rules_for(_procedure("minimal"))
    assert [(r.outcome, r.trigger, r.dest, r.ends) for r in rules.routes["putus"]] == [
        ("setuju", "outcome:setuju", "terbit", None),
        ("tolak", "outcome:tolak", "end:rejected", "rejected")]
    terbit = rules.route("terbit", None)
    assert terbit is not None and terbit.produces == ("surat",) and terbit.ends == "completed"
    assert rules.route("putus", None) is None  # a decision needs an outcome
    assert rules.route("terima", "setuju") is None  # a plain step takes none
    assert rules.route("nope", None) is None
    assert rules.entry == "terima"


def test_a_refusal_is_data_with_its_rule_message_and_fix() -> None:
    proc = _procedure("minimal")
    rules = rules_for(proc)
    state = CaseState(case_id="c1", current_step="terima")
    # requirement 1 (KTP) holds back the first staff step, and is named by its number
    [refusal] = rules.completion(state, proc.step("terima"), None)
    assert refusal == Refusal("guard.requirements",
                              {"step": "terima", "missing": '1 "KTP" (ktp)', "case": "c1",
                               "how": "req_documents=c1"})  # a document is what is missing
    message, fix = refusal.text("en")
    assert '1 "KTP" (ktp)' in message and "alur case attach c1" in fix
    assert "fact" not in fix
    assert refusal.text("id")[0] != message  # the catalogue's Indonesian entry
    assert rules.step(state, "terima", "petugas") == ALLOWED
    [unknown] = rules.step(state, "trima", "petugas")
    assert unknown.rule == "guard.unknown_step" and "did you mean 'terima'" in unknown.text()[0]


def test_every_refusal_in_the_order_the_runtime_meets_them() -> None:
    proc = _procedure("minimal")
    rules = rules_for(proc)
    state = CaseState(case_id="c1", current_step="terima")
    found = rules.step(state, "putus", "petugas", every=True)
    assert [r.rule for r in found] == ["guard.not_current", "guard.role"]
    assert rules.step(state, "putus", "petugas") == found[:1]
    putus = proc.step("putus")
    assert [r.rule for r in rules.completion(state, putus, "lain", every=True)] \
        == ["guard.outcome_unknown"]


def _states(proc: Procedure) -> Iterator[CaseState]:
    """Cases at every step, with no, false, true facts; no or every document and person."""
    def facts(value: bool) -> dict[str, object]:
        return {f.id: (value if f.type is FactType.BOOL else f.values[0] if f.values else 1)
                for f in proc.facts}
    external = [r.id for r in proc.roles if r.kind is RoleKind.EXTERNAL]
    for step, given, full in itertools.product(proc.steps, ({}, facts(False), facts(True)),
                                               (False, True)):
        yield CaseState(case_id="c", current_step=step.id, facts=dict(given),
                        documents={d.id: {} for d in proc.documents} if full else {},
                        participants={r: "P" for r in external} if full else {})


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_the_first_refusal_heads_every_refusal_and_the_plain_fast_path_agrees(
        name: str) -> None:
    proc = _procedure(name)
    rules = rules_for(proc)
    slow = Rules(proc, rules.index, rules.machine)
    slow._plain = frozenset()  # the fenced fast path off: every step checked in full
    outcomes = [None, "lain", *sorted({o.id for s in proc.steps if s.decision
                                       for o in s.decision.outcomes})]
    checked = refused = 0
    for state in _states(proc):
        for step, outcome in itertools.product(proc.steps, outcomes):
            every = slow.completion(state, step, outcome, every=True)
            first = rules.completion(state, step, outcome)
            assert first == every[:1], (step.id, outcome, state)
            assert rules.completion(state, step, outcome, every=True) == every
            checked += 1
            refused += bool(every)
    assert 0 < refused < checked
