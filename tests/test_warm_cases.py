"""A worker keeps the cases it verified between commands only while the store proves that
nobody else wrote (SQLite's ``data_version``): then a command neither re-reads nor re-verifies
the case. Any other connection's commit, a change of the case's head on the worker's own
connection, or a store that cannot tell (PostgreSQL, memory) sends it back to the full read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from runtime_support import Clock, Database, complete, open_sapa, wib

from engine.api import Engine
from engine.commands import CompleteStep, SetFact
from engine.errors import CommandRefused, ConcurrencyConflict, TamperDetected
from engine.events import CaseSnapshot, Event


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


def test_a_worker_decides_from_its_verified_copy_on_sqlite(
        engine: Engine, db: Database, opened: str,
        reads: Callable[[Engine], list[str]]) -> None:
    seen = reads(engine)
    complete(engine, opened, "menerima_pengaduan", "admin")
    result = complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    if db.name == "sqlite":
        assert seen == []
    else:  # PostgreSQL cannot prove nobody else wrote: every command reads and verifies
        assert seen == [opened, opened]
    assert engine.verify(opened) == []
    assert engine.case(opened) == result.case  # what the copy gave is what the store holds


def test_another_connections_commit_sends_the_worker_back_to_the_store(
        engine: Engine, make_engine: Callable[..., Engine], opened: str,
        reads: Callable[[Engine], list[str]]) -> None:
    other = make_engine()
    second = open_sapa(other).case.case_id  # a commit on another case is enough
    seen = reads(engine)
    complete(engine, opened, "menerima_pengaduan", "admin")
    assert seen == [opened]
    other.execute(SetFact(user="adi", role="admin", case_id=second, name="contacted_sapa",
                          value=True))
    complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")
    assert seen == [opened, opened]


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
    assert seen == ([cases[0]] if db.name == "sqlite" else cases[::-1])
    assert len(small._warm) <= 2

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


def test_a_commit_during_another_threads_command_is_not_swallowed(
        engine: Engine, db: Database, opened: str, clock: Clock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Thread 1 decides on its kept copy of the case; meanwhile an old event is edited behind
    alur's back and thread 2's command (on another case) sees the new token. The copy thread 1
    keeps afterwards was made before that edit, so it must not be used."""
    other_case = open_sapa(engine).case.case_id
    complete(engine, opened, "menerima_pengaduan", "admin")  # kept warm
    real_append = engine.store.append
    interleaved: list[bool] = []

    def append_with_interleaving(*args: Any, **kwargs: Any) -> None:
        if not interleaved:
            interleaved.append(True)
            payload = db.payload(opened, 1)
            payload["facts"]["contacted_sapa"] = False
            db.set_payload(opened, 1, payload)  # a foreign commit
            complete(engine, other_case, "menghubungi_sapa", "pelapor")  # "thread 2"
        real_append(*args, **kwargs)

    monkeypatch.setattr(engine.store, "append", append_with_interleaving)
    complete(engine, opened, "konfirmasi_identifikasi", "sub_koordinator")  # "thread 1"
    assert interleaved
    with pytest.raises(TamperDetected):
        complete(engine, opened, "verifikasi_surat_tugas", "sub_koordinator")


@pytest.mark.parametrize("warm_cases", [0, 1024])
def test_another_worker_winning_the_race_is_a_conflict_kept_copy_or_not(
        make_engine: Callable[..., Engine], clock: Clock, warm_cases: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Between this worker's read (or check of its copy) and its append another worker does the
    same step: with retries=0 that is ConcurrencyConflict, nothing written, nothing refused;
    retried, the command is refused on the fresh state."""
    clock.set(wib(2026, 3, 17, 9))
    mine, theirs = make_engine(warm_cases=warm_cases), make_engine(warm_cases=0)
    case_id = open_sapa(mine).case.case_id
    step = CompleteStep(user="ani", role="pelapor", case_id=case_id, step="menghubungi_sapa")
    real_append = mine.store.append

    def lose_the_race(*args: Any, **kwargs: Any) -> None:
        theirs.execute(step)
        real_append(*args, **kwargs)

    monkeypatch.setattr(mine.store, "append", lose_the_race)
    with pytest.raises(ConcurrencyConflict):
        mine.execute(step)
    assert not [r for r in mine.store.audit_records(case_id) if r.action.startswith("refused")]
    monkeypatch.setattr(mine.store, "append", real_append)
    assert mine.case(case_id).path[-1]["user"] == "ani" and mine.verify(case_id) == []
    with pytest.raises(CommandRefused) as refused:
        mine.execute(step, retries=1)
    assert refused.value.rule == "guard.not_current"


def test_a_closed_case_is_not_kept(engine: Engine, db: Database, opened: str) -> None:
    from engine.commands import Withdraw

    engine.execute(Withdraw(user="ani", role="pelapor", case_id=opened, reason="selesai"))
    assert opened not in engine._warm  # it takes no more commands: keep none of its data
