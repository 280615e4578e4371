"""Clock windows (issue #17 item 8): limits that run from one event to the end of a step, and
several that coexist. ``tests/fixtures/valid/jendela.yaml``: the overall limit (5 working days)
runs until the decision ``putus``; a phase limit ``tindak_lanjut`` (1 working day) runs from the
opening until step ``terima`` completes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.api import Engine
from engine.cases.commands import Attachment, CheckDeadlines, CompleteStep
from engine.procedure.validate import check_bytes
from tests.runtime_support import Clock, wib

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "valid" / "jendela.yaml"
KTP = Attachment("ktp", "ktp.pdf", hashlib.sha256(b"k").hexdigest(), 1, "application/pdf", b"k")


def _open(engine: Engine) -> str:
    digest = engine.register(FIXTURE)
    return engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id


def _due_targets(engine: Engine, case_id: str) -> dict[str, str]:
    return {item.target: item.due_at for item in engine.due() if item.case_id == case_id}


def test_a_phase_limit_runs_from_its_start_until_its_step_completes(
        engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 6, 1, 9))  # a Monday
    case_id = _open(engine)
    state = engine.case(case_id)
    assert state.phases["tindak_lanjut"]["due_at"].startswith("2026-06-02")
    assert {"case", "phase:tindak_lanjut"} <= set(_due_targets(engine, case_id))
    # the snapshot's due date is the earliest running deadline: the phase's
    assert engine.store.snapshot(case_id).due_at == state.phases["tindak_lanjut"]["due_at"]
    clock.advance(hours=3)
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terima"))
    state = engine.case(case_id)
    assert state.phases["tindak_lanjut"]["stopped_at"] is not None
    assert "phase:tindak_lanjut" not in _due_targets(engine, case_id)
    assert not state.breaches


def test_a_phase_limit_missed_is_a_breach_of_its_own(engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 6, 1, 9))
    case_id = _open(engine)
    clock.set(wib(2026, 6, 3, 9))  # past the 1 working day, within the 5
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    breaches = engine.case(case_id).breaches
    assert [b["target"] for b in breaches] == ["phase:tindak_lanjut"]
    assert breaches[0]["escalate_to"] == "kepala"
    # recorded once: a later command does not breach it again
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terima"))
    assert len(engine.case(case_id).breaches) == 1


def test_the_overall_clock_stops_at_its_until_step(engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 6, 1, 9))
    case_id = _open(engine)
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terima"))
    engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id, step="putus",
                                outcome="setuju"))
    state = engine.case(case_id)
    assert state.clock_stopped_at is not None
    assert "case" not in _due_targets(engine, case_id)
    clock.set(wib(2026, 6, 30, 9))  # long after the 5 working days: the clock had stopped
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terbit"))
    state = engine.case(case_id)
    assert state.status == "completed" and not state.breaches
    assert engine.verify(case_id) == []


def test_an_until_step_that_does_not_exist_is_a_located_error() -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("until_step: terima", "until_step: trima")
    checked = check_bytes(text.encode("utf-8"), "jendela.yaml")
    errors = [d for d in checked.errors if d.code == "R003"]
    assert errors and errors[0].line is not None and "terima" in errors[0].format()


def test_conformance_finds_a_missed_phase_limit_with_no_breach_recorded(
        engine: Engine, clock: Clock) -> None:
    from dataclasses import replace

    from engine.analysis.audit.conformance import conform_case
    from engine.cases.events import GENESIS, chain

    clock.set(wib(2026, 6, 1, 9))
    case_id = _open(engine)
    clock.set(wib(2026, 6, 3, 9))
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terima"))
    events = engine.events(case_id)
    assert [d.kind for d in conform_case(events, engine.context).deviations] == []
    # without the breach the runtime recorded, re-chained: as if the log were written by hand
    kept = [e for e in events if e.type != "deadline_breached"]
    forged = chain([replace(e, seq=i) for i, e in enumerate(kept, start=1)], GENESIS)
    found = conform_case(forged, engine.context)
    assert [d.kind for d in found.deviations] == ["unrecorded_breach"]
    assert [b.target for b in found.breaches] == ["phase:tindak_lanjut"]


def test_a_phase_limit_is_due_from_the_actor_of_the_step_that_ends_it(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    """A phase that ends at the head's decision is the head's work, though the case waits for
    the officer's step now."""
    text = FIXTURE.read_text(encoding="utf-8").replace("    until_step: terima\n",
                                                       "    until_step: putus\n", 1)
    path = tmp_path / "jendela.yaml"
    path.write_text(text, encoding="utf-8")
    clock.set(wib(2026, 6, 1, 9))
    digest = engine.register(path)
    case_id = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id
    roles = {item.target: item.role for item in engine.due() if item.case_id == case_id}
    assert roles == {"phase:tindak_lanjut": "kepala", "case": "petugas"}
