"""Recurring obligations (issue #17 item 7): "daily monitoring while the victim is in the
shelter". ``tests/fixtures/valid/berulang.yaml``: step ``pantau`` repeats every calendar day
until step ``terbit`` (the termination) completes; its first completion moves the case on as
usual, and the officer reports again while the head's termination is pending. No invented
"continue monitoring?" decision.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from engine.analysis.audit.conformance import conform_case
from engine.api import Engine
from engine.cases.commands import Attachment, CheckDeadlines, CompleteStep
from engine.cases.events import GENESIS, chain
from engine.errors import CommandRefused
from engine.procedure.validate import check_bytes
from tests.runtime_support import Clock, wib

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "valid" / "berulang.yaml"
KTP = Attachment("ktp", "ktp.pdf", hashlib.sha256(b"k").hexdigest(), 1, "application/pdf", b"k")


def _at_monitoring(engine: Engine, clock: Clock) -> str:
    clock.set(wib(2026, 6, 1, 9))
    digest = engine.register(FIXTURE)
    case_id = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terima"))
    engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id, step="putus",
                                outcome="setuju"))
    return case_id


def _report(engine: Engine, case_id: str, role: str = "petugas") -> list[str]:
    result = engine.execute(CompleteStep(user="ani", role=role, case_id=case_id,
                                         step="pantau", note="kondisi baik"))
    return [e.type for e in result.events]


def test_the_first_completion_moves_on_and_starts_the_obligation(engine: Engine,
                                                                 clock: Clock) -> None:
    case_id = _at_monitoring(engine, clock)
    clock.set(wib(2026, 6, 1, 15))
    assert _report(engine, case_id) == ["step_completed", "obligation_started", "step_started"]
    state = engine.case(case_id)
    assert state.current_step == "terbit"
    assert state.obligations["pantau"]["due_at"].startswith("2026-06-02")
    due = {i.target: i.due_at for i in engine.due() if i.case_id == case_id}
    assert due["repeat:pantau"] == state.obligations["pantau"]["due_at"]


def test_reports_go_on_while_the_case_is_elsewhere_until_the_ending_step(
        engine: Engine, clock: Clock) -> None:
    case_id = _at_monitoring(engine, clock)
    _report(engine, case_id)
    for day in (2, 3, 4):
        clock.set(wib(2026, 6, day, 10))
        assert _report(engine, case_id) == ["obligation_reported"]
    state = engine.case(case_id)
    assert state.obligations["pantau"]["reports"] == 4 and not state.breaches
    assert state.obligations["pantau"]["due_at"].startswith("2026-06-05")
    result = engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id,
                                         step="terbit"))
    assert "obligation_ended" in [e.type for e in result.events]
    state = engine.case(case_id)
    assert state.status == "completed" and state.obligations["pantau"]["ended_at"]
    assert engine.verify(case_id) == []
    assert conform_case(engine.events(case_id), engine.context).deviations == []


def test_a_missed_report_is_a_breach_recorded_once(engine: Engine, clock: Clock) -> None:
    case_id = _at_monitoring(engine, clock)
    _report(engine, case_id)
    clock.set(wib(2026, 6, 4, 9))  # two days without a report
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    breaches = engine.case(case_id).breaches
    assert [(b["target"], b["escalate_to"]) for b in breaches] == [("repeat:pantau", "kepala")]
    # a report afterwards puts the obligation back on time
    _report(engine, case_id)
    assert engine.case(case_id).obligations["pantau"]["due_at"].startswith("2026-06-05")


def test_only_the_steps_actor_reports_and_never_with_an_outcome(engine: Engine,
                                                                clock: Clock) -> None:
    case_id = _at_monitoring(engine, clock)
    _report(engine, case_id)
    with pytest.raises(CommandRefused) as refused:
        _report(engine, case_id, role="kepala")
    assert refused.value.rule == "guard.role"
    with pytest.raises(CommandRefused) as refused:
        engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id,
                                    step="pantau", outcome="setuju"))
    assert refused.value.rule == "guard.outcome_not_decision"


def test_conformance_finds_a_missed_report_with_no_breach_recorded(engine: Engine,
                                                                   clock: Clock) -> None:
    case_id = _at_monitoring(engine, clock)
    _report(engine, case_id)
    clock.set(wib(2026, 6, 4, 9))
    _report(engine, case_id)  # late: the runtime records the breach first
    events = engine.events(case_id)
    kept = [e for e in events if e.type != "deadline_breached"]
    forged = chain([replace(e, seq=i) for i, e in enumerate(kept, start=1)], GENESIS)
    found = conform_case(forged, engine.context)
    assert [d.kind for d in found.deviations] == ["unrecorded_breach"]
    assert [b.target for b in found.breaches] == ["repeat:pantau"]


def test_a_recurring_step_needs_next_and_an_existing_until_step() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    broken = text.replace("      until_step: terbit", "      until_step: terbt")
    errors = check_bytes(broken.encode("utf-8"), "berulang.yaml").errors
    assert any(d.code == "R003" and "terbit" in d.format() for d in errors)
    no_next = text.replace("    escalate_to: kepala\n    next: terbit",
                           "    escalate_to: kepala\n    end: completed")
    errors = check_bytes(no_next.encode("utf-8"), "berulang.yaml").errors
    assert any(d.code == "R008" for d in errors)


def test_a_recurring_report_is_the_recurring_actors_work_in_due_and_inbox(
        engine: Engine, clock: Clock) -> None:
    """While the case waits for the head at 'terbit', the officer still owes the daily report:
    the due list names the officer for it, and the officer's inbox holds the case."""
    case_id = _at_monitoring(engine, clock)
    _report(engine, case_id)
    assert engine.case(case_id).current_step == "terbit"
    roles = {item.target: item.role for item in engine.due() if item.case_id == case_id}
    assert roles == {"repeat:pantau": "petugas", "case": "kepala"}
    assert case_id in [snap.case_id for snap in engine.inbox("petugas")]
    assert case_id in [snap.case_id for snap in engine.inbox("kepala")]
    engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id, step="terbit"))
    assert case_id not in [snap.case_id for snap in engine.inbox("petugas")]  # closed
