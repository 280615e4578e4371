"""Plans of several services at once (issue #17 item 9): AND-split, AND/OR-join.

Fixture ``tests/fixtures/valid/rencana.yaml``: the case manager's plan selects health care and
counselling (branches of the case, recorded done by the nurse and the psychologist) and
mediation (a linked case in ``procedures/mediasi.yaml``, with a fact mapping and consent); the
case goes on to the evaluation when every selected service ended (``join: all``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from cli import main
from engine.analysis.audit.conformance import conform_case
from engine.analysis.simulate import simulate
from engine.api import Engine
from engine.authoring.diff import ChangeKind, diff
from engine.cases.commands import CompleteStep, SetFact, Terminate
from engine.cases.events import Event, chain
from engine.cases.files import check_file
from engine.cases.machine import ENDED, OPEN, SKIPPED, ProcedureMachine, leaf, service_trigger
from engine.cases.rules import rules_for
from engine.cases.state import CaseState
from engine.errors import CommandRefused, UsageError
from engine.procedure.model import Refer
from engine.procedure.validate import load_procedure

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "valid" / "rencana.yaml"
PLAN = "rencana_layanan"


def _open(engine: Engine, **facts: object) -> str:
    given_facts = {"butuh_kesehatan": True, "butuh_psikolog": True, "butuh_mediasi": True,
                   "korban_anak": True, "persetujuan_korban": True, **facts}
    case = engine.open_case(str(FIXTURE), user="mia", role="manajer_kasus",
                            facts=given_facts).case
    engine.execute(CompleteStep(user="mia", role="manajer_kasus", case_id=case.case_id,
                                step="asesmen"))
    return case.case_id


def _do(engine: Engine, case_id: str, role: str, service: str | None = None) -> list[str]:
    user = {"manajer_kasus": "mia", "perawat": "nur", "psikolog": "psi"}[role]
    result = engine.execute(CompleteStep(user=user, role=role, case_id=case_id, step=PLAN,
                                         service=service))
    return [e.type for e in result.events]


def _refused(engine: Engine, case_id: str, role: str, service: str | None = None) -> str:
    version = engine.case(case_id).version
    with pytest.raises(CommandRefused) as refused:
        _do(engine, case_id, role, service)
    assert engine.case(case_id).version == version  # a refusal writes nothing
    return refused.value.rule


def test_selection_opens_each_linked_case_in_the_same_command(engine: Engine) -> None:
    case_id = _open(engine)
    assert _do(engine, case_id, "manajer_kasus") == ["case_referred", "plan_started"]
    state = engine.case(case_id)
    assert state.current_step == PLAN
    assert {s: e["status"] for s, e in state.services.items()} == {
        "kesehatan": "open", "pendampingan_psikologis": "open", "mediasi": "open"}
    linked = state.services["mediasi"]["case_id"]
    target = engine.case(linked)
    assert target.procedure_id == "mediasi"
    assert target.links[0]["case_id"] == case_id
    # the mapping carries korban_anak into the target's victim_is_child; same-named facts too
    assert target.facts["victim_is_child"] is True
    assert target.facts["perpetrator_is_child"] is False
    assert target.facts["has_special_needs"] is False


def test_the_join_waits_for_every_selected_service(engine: Engine) -> None:
    case_id = _open(engine)
    _do(engine, case_id, "manajer_kasus")
    linked = engine.case(case_id).services["mediasi"]["case_id"]
    assert _refused(engine, case_id, "manajer_kasus") == "guard.plan_open"
    assert _do(engine, case_id, "perawat") == ["service_ended"]
    assert _do(engine, case_id, "psikolog", "pendampingan_psikologis") == ["service_ended"]
    with pytest.raises(CommandRefused) as refused:  # mediation's case is still open
        _do(engine, case_id, "manajer_kasus")
    assert refused.value.rule == "guard.plan_open" and linked in str(refused.value)
    assert "kesehatan" not in str(refused.value)
    engine.execute(Terminate(user="kk", role="kepala_upt", case_id=linked, reason="selesai"))
    assert _do(engine, case_id, "manajer_kasus") == [
        "service_ended", "plan_joined", "step_completed", "step_started"]
    state = engine.case(case_id)
    assert state.current_step == "evaluasi" and state.services == {}
    done = next(p for p in state.path if p["step"] == PLAN)
    assert done["services"] == {"kesehatan": "ended", "pendampingan_psikologis": "ended",
                                "mediasi": "ended"}
    assert "rencana" in state.documents  # the plan step's product, made when it completes
    assert engine.verify(case_id) == []


def test_a_service_whose_condition_does_not_hold_is_skipped(engine: Engine) -> None:
    case_id = _open(engine, butuh_mediasi=False, butuh_psikolog=False)
    assert _do(engine, case_id, "manajer_kasus") == ["plan_started"]
    assert engine.case(case_id).services["mediasi"]["status"] == SKIPPED
    assert _refused(engine, case_id, "psikolog", "pendampingan_psikologis") \
        == "guard.service_done"
    _do(engine, case_id, "perawat")
    assert _do(engine, case_id, "manajer_kasus")[-2:] == ["step_completed", "step_started"]


def test_no_service_selected_goes_straight_on(engine: Engine) -> None:
    case_id = _open(engine, butuh_mediasi=False, butuh_psikolog=False, butuh_kesehatan=False)
    assert _do(engine, case_id, "manajer_kasus") == [
        "plan_started", "plan_joined", "step_completed", "step_started"]
    assert engine.case(case_id).current_step == "evaluasi"


def test_an_unset_fact_a_selection_depends_on_is_refused(engine: Engine) -> None:
    case = engine.open_case(str(FIXTURE), user="mia", role="manajer_kasus",
                            facts={"butuh_kesehatan": True}).case
    engine.execute(CompleteStep(user="mia", role="manajer_kasus", case_id=case.case_id,
                                step="asesmen"))
    with pytest.raises(CommandRefused) as refused:
        _do(engine, case.case_id, "manajer_kasus")
    assert refused.value.rule == "guard.fact_unset" and "butuh_psikolog" in str(refused.value)


def test_consent_is_checked_before_anything_is_opened(engine: Engine) -> None:
    case_id = _open(engine, persetujuan_korban=False)
    assert _refused(engine, case_id, "manajer_kasus") == "guard.consent"
    assert engine.store.snapshot(f"{case_id}-ref1") is None
    engine.execute(SetFact(user="mia", role="manajer_kasus", case_id=case_id,
                           name="persetujuan_korban", value=True))
    assert _do(engine, case_id, "manajer_kasus")[0] == "case_referred"


def test_branch_commands_are_guarded(engine: Engine) -> None:
    case_id = _open(engine)
    assert _refused(engine, case_id, "perawat") == "guard.plan_unselected"
    _do(engine, case_id, "manajer_kasus")
    assert _refused(engine, case_id, "perawat", "mediasi") == "guard.service_linked"
    assert _refused(engine, case_id, "perawat", "kesehatn") == "guard.service_unknown"
    assert _refused(engine, case_id, "perawat", "pendampingan_psikologis") == "guard.role"
    _do(engine, case_id, "perawat")
    assert _refused(engine, case_id, "perawat") == "guard.service_done"
    with pytest.raises(CommandRefused) as refused:
        engine.execute(CompleteStep(user="mia", role="manajer_kasus", case_id=case_id,
                                    step="asesmen", service="kesehatan"))
    assert refused.value.rule == "guard.plan_none"  # asesmen is no plan step


def test_join_any_goes_on_with_the_first_service_ended(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "rencana.yaml"
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace("join: all", "join: any"),
                    encoding="utf-8")
    case = engine.open_case(str(path), user="mia", role="manajer_kasus", facts={
        "butuh_kesehatan": True, "butuh_psikolog": True, "persetujuan_korban": True}).case
    engine.execute(CompleteStep(user="mia", role="manajer_kasus", case_id=case.case_id,
                                step="asesmen"))
    _do(engine, case.case_id, "manajer_kasus")
    assert _refused(engine, case.case_id, "manajer_kasus") == "guard.plan_open"
    _do(engine, case.case_id, "psikolog")
    result = engine.execute(CompleteStep(user="mia", role="manajer_kasus", case_id=case.case_id,
                                         step=PLAN))
    joined = next(e for e in result.events if e.type == "plan_joined")
    assert joined.payload["ended"] == ["pendampingan_psikologis"]
    assert joined.payload["open"] == ["kesehatan"]
    assert result.case.current_step == "evaluasi"


def test_the_cli_records_a_branch_with_service(engine: Engine, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    opened = runner.invoke(main, ["case", "open", str(FIXTURE), "--user", "mia", "--role",
                                  "manajer_kasus", "--fact", "butuh_kesehatan=true", "--fact",
                                  "butuh_psikolog=false", "--db", db, "--format", "json"])
    assert opened.exit_code == 0, opened.output
    case_id = __import__("json").loads(opened.output)["case"]["case_id"]
    for i, (step, role, extra) in enumerate((
            ("asesmen", "manajer_kasus", []), (PLAN, "manajer_kasus", []),
            (PLAN, "perawat", ["--service", "kesehatan"]), (PLAN, "manajer_kasus", []))):
        done = runner.invoke(main, ["case", "do", case_id, step, "--user", "u", "--role", role,
                                    *extra, "--db", db])
        assert done.exit_code == 0, done.output
        if i == 1:  # selected: case show lists the running plan's services
            running = runner.invoke(main, ["case", "show", case_id, "--db", db])
            assert "services: kesehatan open, pendampingan_psikologis not selected, " \
                   "mediasi not selected" in running.output
    shown = runner.invoke(main, ["case", "show", case_id, "--db", db])
    assert "evaluasi" in shown.output or "Evaluasi" in shown.output
    wrong = runner.invoke(main, ["case", "do", case_id, "evaluasi", "--user", "u", "--role",
                                 "manajer_kasus", "--service", "kesehatan", "--db", db])
    assert wrong.exit_code != 0 and "--service" in wrong.output
    assert "Traceback" not in wrong.output


# --- the machine carries the parallel structure ----------------------------------------------

def test_a_plan_is_a_compound_state_with_one_parallel_region_per_service() -> None:
    machine = ProcedureMachine(load_procedure(FIXTURE))
    assert machine.regions(PLAN) == ("kesehatan", "pendampingan_psikologis", "mediasi")
    assert machine.move("asesmen", "complete").dest == PLAN
    assert machine.move(PLAN, "complete").dest == "evaluasi"
    start = tuple(leaf(PLAN, s, OPEN) for s in machine.regions(PLAN))
    moved = machine.fire(start, service_trigger(PLAN, "kesehatan", "end"))
    assert moved[0] == leaf(PLAN, "kesehatan", ENDED) and moved[1:] == start[1:]
    assert machine.final(moved[0]) and not machine.final(moved[1])
    with pytest.raises(KeyError):  # an ended region does not end again
        machine.fire(moved, service_trigger(PLAN, "kesehatan", "end"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([OPEN, ENDED, SKIPPED]), min_size=3, max_size=3),
       st.sampled_from(["all", "any"]))
def test_the_join_holds_exactly_as_stated(statuses: list[str], join: str) -> None:
    """``all``: no selected service open; ``any``: one ended, or none was selected."""
    proc = load_procedure(FIXTURE)
    if join == "any":
        plan = proc.step(PLAN).plan
        assert plan is not None
        steps = tuple(s.model_copy(update={"plan": plan.model_copy(update={"join": "any"})})
                      if s.id == PLAN else s for s in proc.steps)
        proc = proc.model_copy(update={"steps": steps})
    rules = rules_for(proc)
    services = ("kesehatan", "pendampingan_psikologis", "mediasi")
    state = CaseState(case_id="c", current_step=PLAN, services={
        s: {"step": PLAN, "status": status, "case_id": None, "ended_at": None}
        for s, status in zip(services, statuses, strict=True)})
    refused, _ = rules.joined(state, proc.step(PLAN), {})
    expected = (OPEN not in statuses if join == "all"
                else ENDED in statuses or set(statuses) == {SKIPPED})
    assert (not refused) == expected
    if refused:
        assert refused[0].rule == "guard.plan_open"


# --- validation: referral targets (other files, so alur validate) ------------------------------

def test_a_target_requirement_the_referral_cannot_supply_is_a_warning(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "facts: {victim_is_child: korban_anak, perpetrator_is_child: pelaku_anak}",
        "facts: {victim_is_child: korban_anak, pelaku: pelaku_anak}")
    path = tmp_path / "rencana.yaml"
    path.write_text(text, encoding="utf-8")
    found = {d.code: d for d in check_file(path).diagnostics}
    assert set(found) == {"R021", "R022"}
    assert "perpetrator_is_child" in found["R021"].message
    assert found["R022"].severity.value == "warning" and "pelaku" in found["R022"].message
    assert found["R022"].line == text.splitlines().index(next(
        line for line in text.splitlines() if "pelaku: pelaku_anak" in line)) + 1
    assert check_file(FIXTURE).diagnostics == ()


def test_a_list_of_referrals_each_with_its_condition(engine: Engine, tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "    text: Manajer kasus mengevaluasi layanan yang telah diberikan.\n",
        "    text: Manajer kasus mengevaluasi layanan yang telah diberikan.\n"
        "    refer:\n"
        "      - {procedure: mediasi, when: butuh_mediasi, facts: {victim_is_child: korban_anak,"
        " perpetrator_is_child: pelaku_anak}}\n"
        "      - {procedure: mediasi, when: not butuh_mediasi, facts: {victim_is_child: "
        "korban_anak, perpetrator_is_child: pelaku_anak}}\n")
    path = tmp_path / "rencana.yaml"
    path.write_text(text, encoding="utf-8")
    case_id = engine.open_case(str(path), user="mia", role="manajer_kasus", facts={
        "butuh_kesehatan": False, "butuh_psikolog": False, "butuh_mediasi": False}).case.case_id
    for _ in range(3):
        result = engine.execute(CompleteStep(user="mia", role="manajer_kasus", case_id=case_id,
                                             step=engine.case(case_id).current_step or ""))
    referred = [e for e in result.events if e.type == "case_referred"]
    assert len(referred) == 1 and "facts" in referred[0].payload
    assert engine.case(case_id).status == "completed"


def test_show_prints_the_plan() -> None:
    shown = CliRunner().invoke(main, ["show", str(FIXTURE)])
    assert shown.exit_code == 0, shown.output
    assert "every selected one has ended" in shown.output
    assert '"setelah seluruh layanan selesai"' in shown.output
    assert "⑂ Mediasi (mediasi) [butuh_mediasi] — linked case in mediasi " \
           "{victim_is_child ← korban_anak, perpetrator_is_child ← pelaku_anak}" in shown.output
    assert "⑂ Layanan kesehatan (kesehatan) [butuh_kesehatan] — perawat" in shown.output
    indonesian = CliRunner().invoke(main, ["--lang", "id", "show", str(FIXTURE)])
    assert "setiap layanan terpilih berakhir" in indonesian.output


# --- simulation and conformance, through the rules' join ---------------------------------------

def test_the_simulator_runs_the_selected_services_and_waits_for_the_join() -> None:
    proc = load_procedure(FIXTURE)
    staff = {"manajer_kasus": 20, "perawat": 20, "psikolog": 20}  # no queues: work only
    every = simulate(proc, cases=20, seed=3, staff=staff, outcome_weights={
        f"{PLAN}.kesehatan": 1, f"{PLAN}.pendampingan_psikologis": 1, f"{PLAN}.mediasi": 0})
    loads = {r.role: r.tasks for r in every.roles}
    assert every.finished == 20 and loads["perawat"] == 20 and loads["psikolog"] == 20
    none = simulate(proc, cases=20, seed=3, staff=staff, outcome_weights={
        f"{PLAN}.kesehatan": 0, f"{PLAN}.pendampingan_psikologis": 0, f"{PLAN}.mediasi": 0})
    assert none.finished == 20 and {r.role for r in none.roles if r.tasks} == {"manajer_kasus"}
    # the case waits for its slowest service: never sooner than without services
    assert every.total.mean is not None and none.total.mean is not None
    assert every.total.mean > none.total.mean
    with pytest.raises(UsageError):  # a selection is a probability
        simulate(proc, cases=1, outcome_weights={f"{PLAN}.kesehatan": 2})


def test_conformance_finds_a_plan_completed_before_its_join(engine: Engine) -> None:
    case_id = _open(engine, butuh_mediasi=False)
    _do(engine, case_id, "manajer_kasus")
    _do(engine, case_id, "perawat")
    state = engine.case(case_id)
    forged = Event(case_id, state.version + 1, "step_completed",
                   {"step": PLAN, "outcome": None, "produces": [], "note": None}, "mia",
                   "manajer_kasus", engine.clock().isoformat(), state.procedure_hash)
    report = conform_case([*engine.events(case_id), *chain([forged], state.last_hash)],
                          engine.context)
    # the forged completion is the history's last event: no step started after it either
    [deviation] = [d for d in report.deviations if d.kind != "forced"]
    assert (deviation.kind, deviation.rule) == ("plan", "guard.plan_open")
    assert "pendampingan_psikologis" in deviation.detail
    assert conform_case(engine.events(case_id), engine.context).deviations == []


def test_the_guides_show_the_fixture_as_it_is() -> None:
    """The plan examples of docs/language.md and docs/panduan.md are the fixture's own lines
    (which the tests above run), not a look-alike."""
    fixture = FIXTURE.read_text(encoding="utf-8")
    docs = Path(__file__).resolve().parent.parent / "docs"
    for guide, marker in (("language.md", "# tests/fixtures/valid/rencana.yaml\n"),
                          ("panduan.md", "```yaml\n  - id: rencana_layanan\n")):
        text = (docs / guide).read_text(encoding="utf-8")
        start = text.index(marker) + len(marker)
        block = text[start:text.index("```", start)]
        if guide == "panduan.md":
            block = "  - id: rencana_layanan\n" + block
        assert block.strip() and block in fixture, guide


def test_the_guide_s_referral_list_is_a_valid_refer() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "language.md").read_text(
        encoding="utf-8")
    marker = "# a list of referrals, each with its condition"
    start = text.index("\n", text.index(marker)) + 1
    block = yaml.safe_load(text[start:text.index("```", start)])
    refer = TypeAdapter(Refer).validate_python(block["refer"])
    assert isinstance(refer, tuple) and [r.when for r in refer] == [
        "butuh_mediasi", "not butuh_mediasi"]
    assert dict(refer[0].facts) == {"victim_is_child": "korban_anak",
                                    "perpetrator_is_child": "pelaku_anak"}


def test_diff_reports_a_changed_plan() -> None:
    old = load_procedure(FIXTURE)
    plan = old.step(PLAN).plan
    assert plan is not None
    steps = tuple(s.model_copy(update={"plan": plan.model_copy(update={"join": "any"})})
                  if s.id == PLAN else s for s in old.steps)
    [change] = diff(old, old.model_copy(update={"steps": steps}))
    assert change.kind is ChangeKind.STEP_REROUTED and change.path == "plan"


def test_an_open_branch_waits_for_its_actor(engine: Engine) -> None:
    case_id = _open(engine, butuh_mediasi=False)
    waiting = {"perawat": False, "psikolog": False, "manajer_kasus": True}
    snap = engine.store.snapshot(case_id)
    assert snap is not None
    assert {r: engine.waits_for(snap, r) for r in waiting} == waiting
    _do(engine, case_id, "manajer_kasus")
    _do(engine, case_id, "perawat")
    snap = engine.store.snapshot(case_id)
    assert snap is not None
    assert {r: engine.waits_for(snap, r) for r in waiting} == {
        "perawat": False, "psikolog": True, "manajer_kasus": True}


def test_a_linked_service_s_referral_condition_must_hold_too(engine: Engine,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "rencana.yaml"
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace(
        "            procedure: mediasi\n",
        "            procedure: mediasi\n            when: not korban_anak\n"), encoding="utf-8")
    case = engine.open_case(str(path), user="mia", role="manajer_kasus", facts={
        "butuh_kesehatan": False, "butuh_psikolog": False, "butuh_mediasi": True,
        "korban_anak": True, "persetujuan_korban": True}).case
    engine.execute(CompleteStep(user="mia", role="manajer_kasus", case_id=case.case_id,
                                step="asesmen"))
    assert _do(engine, case.case_id, "manajer_kasus")[0] == "plan_started"
    assert engine.case(case.case_id).current_step == "evaluasi"  # nothing selected
