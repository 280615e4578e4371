"""A worker keeps the cases it verified between commands, each with its head in the store
(version, last hash, and the count of edits that were not appends, kept by triggers). A command
on a kept case neither re-reads nor re-verifies it; its append lands only on that same head.
Another worker's append to the case, any edit of its rows (raw SQL included) or a store that does
not count edits (memory) sends it back to the full read and verification."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from runtime_support import Clock, Database, complete, open_sapa, wib

from engine.api import Engine
from engine.cases.commands import CompleteStep, SetFact
from engine.cases.events import CaseSnapshot, Event
from engine.errors import CommandRefused, ConcurrencyConflict, TamperDetected


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Callable[[Engine], list[str]]:
    """Every full read of a case (``store.read_case``) an engine makes from now on."""

    def watch(engine: Engine) -> list[str]:
        seen: list[str] = []
        real = engine.store.read_case

        def counting(case_id: str) -> tuple[list[Event], CaseSnapshot | None]:
            seen.append(case_id)
            return real(case_id)

        monkeypatch.setattr(engine.store, "read_case", counting)
        return seen

    return watch


@pytest.fixture
def opened(engine: Engine, clock: Clock) -> Iterator[str]:
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    complete(engine, case_id, "menghubungi_sapa", "pelapor")
    yield case_id


def test_a_worker_decides_from_its_verified_copy(
        engine: Engine, db: Database, opened: str,
        reads: Callable[[Engine], list[str]]) -> None:
    seen = reads(engine)
    complete(engine, opened, "menerima_pengaduan", "admin")
    result = complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert seen == []
    assert engine.verify(opened) == []
    assert engine.case(opened) == result.case  # what the copy gave is what the store holds


def test_another_workers_append_sends_the_worker_back_to_the_store(
        engine: Engine, make_engine: Callable[..., Engine], opened: str,
        reads: Callable[[Engine], list[str]]) -> None:
    other = make_engine()
    second = open_sapa(other).case.case_id
    seen = reads(engine)
    other.execute(SetFact(user="adi", role="admin", case_id=second, name="contacted_sapa",
                          value=True))
    complete(engine, opened, "menerima_pengaduan", "admin")
    assert seen == []  # commits on other cases leave this worker's copy of its case current
    other.execute(SetFact(user="adi", role="admin", case_id=opened, name="contacted_sapa",
                          value=True))
    # decided on the copy, refused at the append (the head moved), decided again from the store
    result = complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert seen == [opened]
    assert [e.type for e in engine.events(opened)][-4:] == [
        "step_started", "fact_set", "step_completed", "step_started"]
    assert engine.case(opened) == result.case


def test_an_old_event_edited_behind_a_warm_worker_is_caught_at_its_next_command(
        engine: Engine, db: Database, opened: str) -> None:
    complete(engine, opened, "menerima_pengaduan", "admin")  # the worker holds the case warm
    payload = db.payload(opened, 1)
    payload["facts"]["contacted_sapa"] = False
    db.set_payload(opened, 1, payload)
    with pytest.raises(TamperDetected):
        complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")


def test_a_write_on_the_workers_own_connection_moves_the_head(
        engine: Engine, clock: Clock, opened: str,
        reads: Callable[[Engine], list[str]]) -> None:
    """Another Engine on the same store object (or retention, or an embedding program writing
    through ``engine.store``) commits on the same connection: the change token stays, the
    case's head moves, so the kept copy is not used."""
    sharing = Engine(engine.store, clock=clock, lang="en")  # not closed: the store is shared
    complete(sharing, opened, "menerima_pengaduan", "admin")
    seen = reads(engine)
    # on the kept copy menerima_pengaduan would still be current and this would be refused
    result = complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert seen == [opened]
    assert [p["step"] for p in result.case.path][-2:] == ["menerima_pengaduan",
                                                          "konfirmasi_identifikasi"]


def test_results_handed_out_are_not_changed_by_later_commands(engine: Engine,
                                                               opened: str) -> None:
    first = complete(engine, opened, "menerima_pengaduan", "admin").case
    snapshot: dict[str, Any] = first.to_dict()
    complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert first.to_dict() == snapshot


def test_the_warm_cases_are_bounded_and_can_be_turned_off(
        make_engine: Callable[..., Engine], db: Database, clock: Clock,
        reads: Callable[[Engine], list[str]]) -> None:
    clock.set(wib(2026, 3, 17, 9))
    small = make_engine(warm_cases=2)
    cases = [open_sapa(small).case.case_id for _ in range(3)]
    seen = reads(small)
    for case_id in reversed(cases):  # the first one was pushed out by the other two
        complete(small, case_id, "menghubungi_sapa", "pelapor")
    assert seen == [cases[0]]  # and the two others were kept: at most two

    cold = make_engine(warm_cases=0)
    case_id = open_sapa(cold).case.case_id
    seen = reads(cold)
    complete(cold, case_id, "menghubungi_sapa", "pelapor")
    complete(cold, case_id, "menerima_pengaduan", "admin")
    assert seen == [case_id, case_id]


def test_a_refused_command_does_not_leave_a_changed_copy_behind(
        engine: Engine, opened: str) -> None:
    with pytest.raises(CommandRefused):  # not the current step: the copy taken is dropped
        engine.execute(CompleteStep(user="sule", role="sub_koordinator", case_id=opened,
                                    step="konfirmasi_identifikasi"))
    result = complete(engine, opened, "menerima_pengaduan", "admin")
    assert result.case.current_step == "konfirmasi_identifikasi"
    assert engine.verify(opened) == []


def test_the_memory_store_always_reads(procedures_env: Path, clock: Clock,
                                       reads: Callable[[Engine], list[str]]) -> None:
    with Engine("memory://", clock=clock, lang="en") as engine:
        case_id = open_sapa(engine).case.case_id
        seen = reads(engine)
        complete(engine, case_id, "menghubungi_sapa", "pelapor")
        assert seen == [case_id]


def test_an_edit_while_a_command_is_decided_is_caught_before_it_lands(
        engine: Engine, db: Database, opened: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker decides on its kept copy; before its append an old event is edited behind
    alur's back. The append must not land on the edited case: the full read catches the edit."""
    complete(engine, opened, "menerima_pengaduan", "admin")  # kept warm
    version = engine.case(opened).version
    real_append = engine.store.append

    def edit_first(*args: Any, **kwargs: Any) -> None:
        payload = db.payload(opened, 1)
        payload["facts"]["contacted_sapa"] = False
        db.set_payload(opened, 1, payload)  # a foreign commit
        monkeypatch.setattr(engine.store, "append", real_append)
        real_append(*args, **kwargs)

    monkeypatch.setattr(engine.store, "append", edit_first)
    with pytest.raises(TamperDetected):
        complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert db.sql("SELECT max(seq) FROM alur_events WHERE case_id = ?", (opened,)) == [
        (version,)]


def test_a_refusal_from_an_old_copy_is_not_reported(
        engine: Engine, make_engine: Callable[..., Engine], opened: str) -> None:
    """On the kept copy the step is not current any more (another worker did it): the refusal
    it gives is not the store's answer, so the command is decided again from the store."""
    other = make_engine()
    complete(other, opened, "menerima_pengaduan", "admin")
    result = complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert result.case.path[-1]["step"] == "konfirmasi_identifikasi"
    assert not [r for r in engine.store.audit_records(opened)
                if r.action.startswith("refused")]


@pytest.mark.parametrize("warm_cases", [0, 1024])
def test_another_worker_winning_the_race(
        make_engine: Callable[..., Engine], clock: Clock, warm_cases: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Between this worker's read (or its kept copy) and its append another worker does the
    same step. From a full read, with retries=0, that is ConcurrencyConflict: nothing written,
    nothing refused. From a kept copy it is the copy that was out of date, so the command is
    decided again from the store, where the step is done: refused. Retried, the cold worker is
    refused too."""
    clock.set(wib(2026, 3, 17, 9))
    mine, theirs = make_engine(warm_cases=warm_cases), make_engine(warm_cases=0)
    case_id = open_sapa(mine).case.case_id
    step = CompleteStep(user="ani", role="pelapor", case_id=case_id, step="menghubungi_sapa")
    real_append = mine.store.append

    def lose_the_race(*args: Any, **kwargs: Any) -> None:
        monkeypatch.setattr(mine.store, "append", real_append)
        theirs.execute(step)
        real_append(*args, **kwargs)

    monkeypatch.setattr(mine.store, "append", lose_the_race)
    if warm_cases:
        with pytest.raises(CommandRefused) as refused:
            mine.execute(step)
        assert refused.value.rule == "guard.not_current"
    else:
        with pytest.raises(ConcurrencyConflict):
            mine.execute(step)
        assert not [r for r in mine.store.audit_records(case_id)
                    if r.action.startswith("refused")]
        with pytest.raises(CommandRefused) as refused:
            mine.execute(step, retries=1)
        assert refused.value.rule == "guard.not_current"
    assert mine.case(case_id).path[-1]["user"] == "ani" and mine.verify(case_id) == []
    assert len(mine.case(case_id).path) == 1


def test_a_closed_case_is_not_kept(engine: Engine, db: Database, opened: str,
                                   reads: Callable[[Engine], list[str]]) -> None:
    from engine.cases.commands import Withdraw

    engine.execute(Withdraw(user="ani", role="pelapor", case_id=opened, reason="selesai"))
    seen = reads(engine)
    with pytest.raises(CommandRefused):  # it takes no more commands: keep none of its data
        complete(engine, opened, "menerima_pengaduan", "admin")
    assert seen == [opened]  # so the refusal was decided on a full read, not a kept copy


@pytest.mark.parametrize("ahead", [1, 3])
def test_an_event_slipped_in_is_caught_by_the_next_command(
        engine: Engine, db: Database, opened: str, ahead: int) -> None:
    """An event inserted behind alur's back past the case's end: SQLite counts the insert as an
    edit; PostgreSQL does not, but the append collides with the event (right after the end) or
    a full read finds it (further on). Either way no command lands on a history that does not
    verify."""
    complete(engine, opened, "menerima_pengaduan", "admin")  # kept warm
    version = engine.case(opened).version
    db.sql("INSERT INTO alur_events (case_id, seq, type, payload, user_id, role, at, "
           "procedure_hash, prev_hash, hash) SELECT case_id, ?, type, payload, user_id, role, "
           "at, procedure_hash, prev_hash, hash FROM alur_events WHERE case_id = ? AND seq = 1",
           (version + ahead, opened))
    if db.name == "postgres" and ahead > 1:  # not counted: the command lands before the gap
        complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
        assert engine.verify(opened)  # ... and any full read finds the slipped-in event
        with pytest.raises(TamperDetected):
            engine.case(opened)
        return
    with pytest.raises(TamperDetected):
        complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert db.sql("SELECT count(*) FROM alur_events WHERE case_id = ?", (opened,)) == [
        (version + 1,)]


def test_a_command_that_appends_nothing_is_checked_against_the_store_too(
        engine: Engine, make_engine: Callable[..., Engine], opened: str) -> None:
    """A deadline check with nothing overdue writes nothing, so no append checks the head:
    the copy is confirmed against the store before its answer is given. Here another worker
    closed the case meanwhile, so the answer is the store's: refused, and recorded."""
    from engine.cases.commands import CheckDeadlines, Withdraw

    make_engine().execute(Withdraw(user="ani", role="pelapor", case_id=opened, reason="selesai"))
    with pytest.raises(CommandRefused) as refused:
        engine.execute(CheckDeadlines(user="alur", role="admin", case_id=opened))
    assert refused.value.rule == "guard.closed"
    assert [r.rule for r in engine.store.audit_records(opened)] == ["guard.closed"]


def test_a_result_that_appends_nothing_is_the_callers_own(engine: Engine, opened: str) -> None:
    from engine.cases.commands import CheckDeadlines

    result = engine.execute(CheckDeadlines(user="alur", role="admin", case_id=opened))
    assert result.events == ()
    result.case.current_step = "konfirmasi_identifikasi"  # the caller's object, not the copy
    with pytest.raises(CommandRefused) as refused:
        complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert refused.value.rule == "guard.not_current"
    complete(engine, opened, "menerima_pengaduan", "admin")
    assert result.case.path[-1]["step"] == "menghubungi_sapa"  # and later commands leave it
    assert engine.verify(opened) == []
