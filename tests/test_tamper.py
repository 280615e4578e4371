"""Editing the store behind alur's back (raw SQL through sqlite3 / psycopg) is detected before the
runtime acts: ``Engine.case`` and ``Engine.execute`` raise TamperDetected and append nothing, and
``Engine.verify`` names the case, the seq and the kind of problem."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from runtime_support import Clock, Database, complete, open_sapa, wib

from engine.api import Engine
from engine.cases.commands import CompleteStep, SetFact
from engine.cases.events import ChainBreak, Event
from engine.errors import TamperDetected

Problem = tuple[str, int, str]


def problems(found: list[ChainBreak | dict[str, Any]]) -> list[Problem]:
    return [(p.case_id, p.seq, p.problem) if isinstance(p, ChainBreak)
            else (p["case_id"], p["seq"], p["problem"]) for p in found]


def edit_payload(db: Database, case_id: str) -> list[tuple[int, str]]:
    payload = db.payload(case_id, 5)
    assert payload["step"] == "menghubungi_sapa"
    db.set_payload(case_id, 5, {**payload, "note": "ditambahkan kemudian"})
    return [(5, "edited")]


def edit_fact_at_opening(db: Database, case_id: str) -> list[tuple[int, str]]:
    payload = db.payload(case_id, 1)
    payload["facts"]["contacted_sapa"] = False
    db.set_payload(case_id, 1, payload)
    return [(1, "edited")]


def edit_and_rehash(db: Database, case_id: str) -> list[tuple[int, str]]:
    """A careful forger recomputes the edited event's own hash: the next link breaks."""
    row = db.sql("SELECT case_id, seq, type, user_id, role, at, procedure_hash, prev_hash "
                 "FROM alur_events WHERE case_id = ? AND seq = 5", (case_id,))[0]
    payload = {**db.payload(case_id, 5), "note": "dipalsukan"}
    forged = Event(row[0], row[1], row[2], payload, row[3], row[4], row[5], row[6], row[7])
    db.set_payload(case_id, 5, payload)
    db.sql("UPDATE alur_events SET hash = ? WHERE case_id = ? AND seq = 5",
           (forged.content_hash(), case_id))
    return [(6, "reordered")]


def delete_event(db: Database, case_id: str) -> list[tuple[int, str]]:
    db.sql("DELETE FROM alur_events WHERE case_id = ? AND seq = 3", (case_id,))
    return [(4, "missing"), (4, "reordered")]


def delete_last_event(db: Database, case_id: str) -> list[tuple[int, str]]:
    """Every remaining link verifies: the snapshot, one event ahead, gives it away, and so
    does the ledger, which recorded the case at that version."""
    (last,), = db.sql("SELECT max(seq) FROM alur_events WHERE case_id = ?", (case_id,))
    db.sql("DELETE FROM alur_events WHERE case_id = ? AND seq = ?", (case_id, last))
    return [(last - 1, "snapshot"), (last, "truncated")]


def swap_seq(db: Database, case_id: str) -> list[tuple[int, str]]:
    for old, new in ((5, 1000), (6, 5), (1000, 6)):
        db.sql("UPDATE alur_events SET seq = ? WHERE case_id = ? AND seq = ?",
               (new, case_id, old))
    # both rows now carry a seq their hash was not made with; 7 links to the old 6
    return [(5, "edited"), (6, "edited"), (7, "reordered")]


def edit_snapshot(db: Database, case_id: str) -> list[tuple[int, str]]:
    state = db.snapshot_state(case_id)
    state["current_step"] = "pertimbangan_kepala_dinas"  # skip ahead to the decision
    db.set_snapshot_state(case_id, state)
    return [(state["version"], "snapshot")]


def edit_snapshot_due_date(db: Database, case_id: str) -> list[tuple[int, str]]:
    state = db.snapshot_state(case_id)
    state["due_at"] = "2026-12-31T23:59:59.999999+07:00"
    db.set_snapshot_state(case_id, state)
    return [(state["version"], "snapshot")]


TAMPERS: list[Callable[[Database, str], list[tuple[int, str]]]] = [
    edit_payload, edit_fact_at_opening, edit_and_rehash, delete_event, delete_last_event,
    swap_seq, edit_snapshot, edit_snapshot_due_date]


@pytest.mark.parametrize("tamper", TAMPERS, ids=[t.__name__ for t in TAMPERS])
def test_tampering_is_detected(engine: Engine, db: Database, clock: Clock,
                               tamper: Callable[[Database, str], list[tuple[int, str]]]) -> None:
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id  # events 1-4
    complete(engine, case_id, "menghubungi_sapa", "pelapor")  # 5-6
    complete(engine, case_id, "menerima_pengaduan", "admin")  # 7-8
    other = open_sapa(engine).case.case_id
    assert engine.verify() == []

    expected = [(case_id, seq, kind) for seq, kind in tamper(db, case_id)]
    rows = db.sql("SELECT seq, hash FROM alur_events WHERE case_id = ? ORDER BY seq",
                  (case_id,))
    snapshot_rows = db.sql("SELECT version, last_hash FROM alur_snapshots WHERE case_id = ?",
                           (case_id,))

    with pytest.raises(TamperDetected) as detected:
        engine.case(case_id)
    assert case_id in detected.value.message and detected.value.hint
    for command in (
            CompleteStep(user="sule", role="sub_koordinator", case_id=case_id,
                         step="konfirmasi_identifikasi"),
            SetFact(user="adi", role="admin", case_id=case_id, name="contacted_sapa",
                    value=True),
            CompleteStep(user="kadis", role="kepala_dinas", case_id=case_id,
                         step="pertimbangan_kepala_dinas", outcome="perlu_lembaga_lain")):
        with pytest.raises(TamperDetected):
            engine.execute(command, retries=3)
    clock.set(wib(2026, 4, 30, 9))  # long past due: a deadline check must not touch it either
    # the sweep checks every open case on its verified state: the tampered case is skipped
    # (and the skip is recorded), the untouched one still gets its breach recorded
    assert [r.case.case_id for r in engine.check_deadlines()] == [other]
    skipped = [r for r in engine.store.audit_records(case_id)
               if r.action == "deadline_check_skipped"]
    assert len(skipped) == 1 and skipped[0].rule == "TAMPERED"

    # nothing was appended or rewritten by alur
    assert db.sql("SELECT seq, hash FROM alur_events WHERE case_id = ? ORDER BY seq",
                  (case_id,)) == rows
    assert db.sql("SELECT version, last_hash FROM alur_snapshots WHERE case_id = ?",
                  (case_id,)) == snapshot_rows

    assert problems(engine.verify(case_id)) == expected
    assert problems(engine.verify()) == expected  # the untouched case verifies
    assert engine.case(other).status == "active"
    if expected[0][2] != "snapshot":
        with pytest.raises(TamperDetected) as history:
            engine.events(case_id)
        for _, seq, kind in expected:
            assert f"event {seq} {kind}" in history.value.message


def test_rewriting_the_whole_chain_is_caught_by_the_snapshot(engine: Engine, db: Database,
                                                            clock: Clock) -> None:
    """Re-sealing every event after an edit makes a chain that verifies on its own; the
    snapshot, written in the same transaction as the real events, no longer matches it."""
    from engine.cases.events import chain

    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    complete(engine, case_id, "menghubungi_sapa", "pelapor")
    events = engine.store.events(case_id)
    opened = events[0]
    forged_first = Event(opened.case_id, 1, opened.type,
                         {**opened.payload, "facts": {"contacted_sapa": False}}, opened.user,
                         opened.role, opened.at, opened.procedure_hash)
    resealed = chain([forged_first, *events[1:]], "0" * 64)
    for event in resealed:
        db.set_payload(case_id, event.seq, event.payload)
        db.sql("UPDATE alur_events SET prev_hash = ?, hash = ? WHERE case_id = ? AND seq = ?",
               (event.prev_hash, event.hash, case_id, event.seq))
    # ... and the ledger, which recorded the case's head after each append, holds other hashes
    assert problems(engine.verify(case_id)) == [(case_id, len(events), "snapshot"),
                                                (case_id, 4, "rewritten")]
    with pytest.raises(TamperDetected, match="snapshot"):
        engine.case(case_id)
    assert db.event_count(case_id) == len(events)


def test_reading_while_another_worker_appends_is_not_tampering(
        engine: Engine, make_engine: Callable[..., Engine], clock: Clock) -> None:
    """A case's events and snapshot are read as of one moment: while another worker keeps
    appending, reading the case, verifying it and acting on it never report tampering."""
    import threading

    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    other = make_engine(warm_cases=0)
    stop = threading.Event()
    appended: list[int] = []

    def keep_appending() -> None:
        flag = False
        while not stop.is_set() and len(appended) < 400:
            flag = not flag
            result = other.execute(SetFact(user="adi", role="admin", case_id=case_id,
                                           name="contacted_sapa", value=flag), retries=50)
            appended.append(result.case.version)

    writer = threading.Thread(target=keep_appending)
    writer.start()
    try:
        reads = 0
        while writer.is_alive() and reads < 200:
            state = engine.case(case_id)  # raises TamperDetected on any disagreement
            assert state.version >= 4
            assert engine.verify(case_id) == []
            reads += 1
    finally:
        stop.set()
        writer.join(timeout=60)
    assert appended and reads
    assert engine.verify(case_id) == []
