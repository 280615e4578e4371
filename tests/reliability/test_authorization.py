"""Authorization matrix, on SQLite and PostgreSQL.

Acting: for EVERY step of Mediasi and SAPA and EVERY role the procedure declares, a case is
brought to that step and the role tries to complete it. It succeeds exactly when the role is the
step's actor or a member of the actor team (read from the YAML here, not from the engine);
otherwise CommandRefused guard.role, nothing written, the refusal audited. With a roster, a user
who does not hold the role they claim is refused (guard.roster) even for the right role.

Reading: for every role, ``read_case`` succeeds exactly for the readers (``access.read``, the
staff roles that perform a step, team members, escalation roles) and raises AccessDenied,
recorded as ``refused:read``, for everyone else; external roles never read. A reveal needs a
reason and is recorded (``reveal:case``); ``alur export --include-sensitive`` without --reason
exits 2, with one it records ``reveal:export``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from runtime_support import (
    ADULTS,
    MEDIATION_PEOPLE,
    PARTIES,
    ROSTER,
    SAPA_STEPS,
    USERS,
    complete,
    mediasi_until,
    open_mediasi,
    open_sapa,
)

from cli import main
from engine.api import Engine
from engine.cases.commands import CompleteStep
from engine.cases.roster import Roster
from engine.errors import AccessDenied, CommandRefused, UsageError
from engine.procedure.model import Procedure, RoleKind
from tests.reliability.summary import record

pytestmark = pytest.mark.reliability

PEOPLE = {**PARTIES, **MEDIATION_PEOPLE}
OUTCOME = {"keputusan_terminasi": "terminasi", "pertimbangan_kepala_dinas":
           "tidak_perlu_lembaga_lain"}
SAPA_BRANCH = {"rujukan_lembaga_lain": "perlu_lembaga_lain",
               "penyelesaian_dokumen_kasus": "tidak_perlu_lembaga_lain"}


def mediasi_at(engine: Engine, step: str) -> str:
    case_id = open_mediasi(engine, ADULTS).case.case_id
    mediasi_until(engine, case_id, step, ADULTS)
    return case_id


def sapa_at(engine: Engine, step: str) -> str:
    case_id = open_sapa(engine).case.case_id
    for current, role in SAPA_STEPS[:6]:
        if current == step:
            return case_id
        outcome = SAPA_BRANCH[step] if current == "pertimbangan_kepala_dinas" else None
        complete(engine, case_id, current, role, outcome=outcome)
    return case_id


DRIVERS: dict[str, Callable[[Engine, str], str]] = {"mediasi": mediasi_at, "sapa": sapa_at}


def may_act(proc: Procedure, step_id: str) -> set[str]:
    """From the YAML: the actor, and for a team every member (recursively)."""
    allowed, todo = set(), [proc.step(step_id).actor]
    while todo:
        role = todo.pop()
        if role not in allowed:
            allowed.add(role)
            todo.extend(proc.role(role).members)
    return allowed


def attempt(engine: Engine, case_id: str, step: str, user: str, role: str) -> Any:
    return engine.execute(CompleteStep(user=user, role=role, case_id=case_id, step=step,
                                       outcome=OUTCOME.get(step), participants=PEOPLE
                                       if case_id.startswith("mediasi") else {}))


def refused_without_writing(engine: Engine, case_id: str, step: str, user: str, role: str,
                            rule: str) -> None:
    before = len(engine.store.events(case_id))
    audits = len(engine.store.audit_records(case_id))
    with pytest.raises(CommandRefused) as refused:
        attempt(engine, case_id, step, user, role)
    assert refused.value.rule == rule, (step, role, refused.value.message)
    assert len(engine.store.events(case_id)) == before
    records = engine.store.audit_records(case_id)
    assert len(records) == audits + 1
    assert (records[-1].action, records[-1].rule, records[-1].role) == (
        "refused:CompleteStep", rule, role)


def proc_of(engine: Engine, procedure_id: str) -> Procedure:
    return engine.procedure(engine.register(procedure_id))


@pytest.mark.parametrize("procedure_id", ["mediasi", "sapa"])
def test_every_role_on_every_step(engine: Engine, procedure_id: str) -> None:
    proc = proc_of(engine, procedure_id)
    roles = [r.id for r in proc.roles]
    allowed_total = refused_total = 0
    for step in proc.steps:
        allowed = may_act(proc, step.id)
        assert allowed <= set(roles)
        case_id = DRIVERS[procedure_id](engine, step.id)
        assert engine.case(case_id).current_step == step.id
        for role in roles:
            if role not in allowed:
                refused_without_writing(engine, case_id, step.id, f"u-{role}", role,
                                        "guard.role")
                refused_total += 1
        for number, role in enumerate(sorted(allowed)):
            target = case_id if number == 0 else DRIVERS[procedure_id](engine, step.id)
            result = attempt(engine, target, step.id, f"u-{role}", role)
            assert "step_completed" in [e.type for e in result.events], (step.id, role)
            assert result.case.path[-1]["step"] == step.id
            assert result.case.path[-1]["role"] == role
            allowed_total += 1
    assert engine.verify() == []
    record(f"authorization[{procedure_id}]", {
        "steps": len(proc.steps), "roles": len(roles), "allowed": allowed_total,
        "refused_guard_role": refused_total})


@pytest.mark.parametrize("procedure_id", ["mediasi", "sapa"])
def test_roster_refuses_a_user_without_the_role(make_engine: Callable[..., Engine],
                                                procedure_id: str) -> None:
    users = {user: frozenset({role}) for role, user in USERS.items()}
    users["tamu"] = frozenset()  # in the roster, with no role
    for role in ("tim_penjangkauan", "sub_koordinator", "kepala_bidang"):
        users.setdefault(f"u-{role}", frozenset({role}))
    engine = make_engine(roster=Roster(users))
    proc = proc_of(engine, procedure_id)
    for step in proc.steps:
        case_id = DRIVERS[procedure_id](engine, step.id)
        actor = step.actor
        other = next(u for u, held in users.items() if held and actor not in held)
        for user in ("tamu", "nobody-at-all", other):
            refused_without_writing(engine, case_id, step.id, user, actor, "guard.roster")
        holder = next(u for u, held in sorted(users.items()) if actor in held)
        assert attempt(engine, case_id, step.id, holder, actor).events


def expected_readers(proc: Procedure) -> set[str]:
    """From the YAML: access.read, every staff actor (teams with members), escalation roles."""
    found = set(proc.access.read)
    for step in proc.steps:
        found |= may_act(proc, step.id)
        if step.escalate_to:
            found.add(step.escalate_to)
    if proc.time_limit.escalate_to:
        found.add(proc.time_limit.escalate_to)
    return {r for r in found if proc.role(r).kind is not RoleKind.EXTERNAL}


@pytest.mark.parametrize("procedure_id", ["mediasi", "sapa"])
def test_read_access_by_role(engine: Engine, procedure_id: str) -> None:
    proc = proc_of(engine, procedure_id)
    case_id = DRIVERS[procedure_id](engine, proc.steps[1].id)
    readers = engine.readers(proc)
    assert readers == expected_readers(proc)
    externals = {r.id for r in proc.roles if r.kind is RoleKind.EXTERNAL}
    assert externals and not readers & externals
    denied = 0
    for role in [r.id for r in proc.roles]:
        before = len(engine.store.audit_records(case_id))
        if role in readers:
            assert engine.read_case(case_id, user=f"u-{role}", role=role).case_id == case_id
            assert len(engine.store.audit_records(case_id)) == before  # a plain read is quiet
            continue
        with pytest.raises(AccessDenied):
            engine.read_case(case_id, user=f"u-{role}", role=role)
        record_ = engine.store.audit_records(case_id)[-1]
        assert (record_.action, record_.user, record_.role, record_.rule) == (
            "refused:read", f"u-{role}", role, "access.read")
        denied += 1
    assert denied == len(proc.roles) - len(readers)
    # half an identity is refused too, and recorded
    with pytest.raises(AccessDenied):
        engine.read_case(case_id, user="someone", role=None)
    assert engine.store.audit_records(case_id)[-1].action == "refused:read"


def test_read_with_a_roster(make_engine: Callable[..., Engine]) -> None:
    engine = make_engine(roster=Roster({"rina": frozenset({"pendamping_ppa"}),
                                        "budi": frozenset({"koordinator_uptd_ppa"})}))
    case_id = open_mediasi(engine, ADULTS).case.case_id
    assert engine.read_case(case_id, user="budi", role="koordinator_uptd_ppa")
    for user, role in (("rina", "koordinator_uptd_ppa"), ("tamu", "kepala_upt"),
                       (None, None), ("budi", None)):
        with pytest.raises(AccessDenied):
            engine.read_case(case_id, user=user, role=role)
    assert [r.action for r in engine.store.audit_records(case_id)] == ["refused:read"] * 4


def test_reveal_needs_a_reason_and_is_recorded(engine: Engine) -> None:
    case_id = open_mediasi(engine, ADULTS).case.case_id
    for reason in ("", "   "):
        with pytest.raises(UsageError):
            engine.read_case(case_id, user="budi", role="koordinator_uptd_ppa",
                             reveal_reason=reason)
    assert [r.action for r in engine.store.audit_records(case_id)] == []
    engine.read_case(case_id, user="budi", role="koordinator_uptd_ppa",
                     reveal_reason="rujukan ke kepolisian")
    (reveal,) = engine.store.audit_records(case_id)
    assert (reveal.action, reveal.user, reveal.role, reveal.detail["reason"]) == (
        "reveal:case", "budi", "koordinator_uptd_ppa", "rujukan ke kepolisian")
    # a role that may not read cannot reveal either: refused, and no reveal recorded
    with pytest.raises(AccessDenied):
        engine.read_case(case_id, user="x", role="pihak_pelaku", reveal_reason="penasaran")
    assert [r.action for r in engine.store.audit_records(case_id)] == ["reveal:case",
                                                                         "refused:read"]


def test_cli_reveal_and_export_need_a_reason(tmp_path: Path, procedures_env: Path) -> None:
    db = f"sqlite:///{tmp_path / 'auth.db'}"
    with Engine(db) as engine:
        case_id = open_mediasi(engine, ADULTS,
                               participants={"pihak_korban": "NAMA-KORBAN-UNIK"}).case.case_id
    runner = CliRunner()

    def cli(*args: str) -> Any:
        result = runner.invoke(main, [*args, "--db", db])
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result

    plain = cli("case", "show", case_id, "-u", "budi", "-r", "koordinator_uptd_ppa")
    assert plain.exit_code == 0 and "NAMA-KORBAN-UNIK" not in plain.output
    no_reason = cli("case", "show", case_id, "-u", "budi", "-r", "koordinator_uptd_ppa",
                    "--reveal", "--format", "json")
    assert no_reason.exit_code == 2 and "NAMA-KORBAN-UNIK" not in no_reason.output
    outsider = cli("case", "history", case_id, "-u", "x", "-r", "pihak_pelaku", "--reveal",
                   "--reason", "ingin tahu")
    assert outsider.exit_code == 1 and "NAMA-KORBAN-UNIK" not in outsider.output
    revealed = cli("case", "show", case_id, "-u", "budi", "-r", "koordinator_uptd_ppa",
                   "--reveal", "--reason", "visum", "--format", "json")
    assert revealed.exit_code == 0 and "NAMA-KORBAN-UNIK" in revealed.output
    export = cli("export", "--format", "jsonl", "--include-sensitive", "-u", "auditor1")
    assert export.exit_code == 2 and "NAMA-KORBAN-UNIK" not in export.output
    export = cli("export", "--format", "jsonl", "--include-sensitive", "--reason", "  ")
    assert export.exit_code == 2 and "NAMA-KORBAN-UNIK" not in export.output
    # without a roster nobody holds export_sensitive: refused, recorded, nothing written
    export = cli("export", "--format", "jsonl", "--include-sensitive", "--reason",
                 "permintaan pengadilan", "-u", "auditor1")
    assert export.exit_code == 1 and "NAMA-KORBAN-UNIK" not in export.output
    export = cli("export", "--format", "jsonl", "--include-sensitive", "--reason",
                 "permintaan pengadilan", "-u", "auditor1", "--roster", str(ROSTER))
    assert export.exit_code == 0 and "NAMA-KORBAN-UNIK" in export.output
    with Engine(db) as engine:
        records = [(r.action, r.user, r.detail.get("reason"))
                   for r in engine.store.audit_records()]
    assert records == [("refused:read", "x", None), ("reveal:case", "budi", "visum"),
                       ("refused:export_sensitive", "auditor1", None),
                       ("reveal:export", "auditor1", "permintaan pengadilan")]
