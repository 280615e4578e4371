"""Two worker PROCESSES (multiprocessing, spawn) racing on one case, on SQLite (a file) and
PostgreSQL: a barrier releases both at once, both complete the same step, exactly one wins. The
loser gets ConcurrencyConflict, or guard.not_current when it read the case after the winner's
commit. With ``retries`` a conflicting command that is still valid on the new state lands."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from runtime_support import (
    BACKENDS,
    PROCEDURES,
    Clock,
    Database,
    Ids,
    make_database,
    open_engine,
    open_sapa,
    wib,
)

from engine.api import Engine
from engine.cases.commands import Command, CompleteStep, SetFact
from engine.cases.events import verify_chain
from engine.errors import CommandRefused, ConcurrencyConflict

ROUNDS = 8
TIMEOUT_S = 60
_TESTS = itertools.count(1)
AT = wib(2026, 3, 2, 10).isoformat()  # the workers' own clocks are real: give the time


def _worker(url: str, procedures: str, barrier: Any, tasks: Any, results: Any) -> None:
    """Run in a spawned process: one engine, then for each task wait for the other worker at
    the barrier and execute the command at once."""
    os.environ["ALUR_PROCEDURES"] = procedures
    engine = Engine(url, lang="en")
    try:
        while True:
            task = tasks.get()
            if task is None:
                return
            command, retries = task
            barrier.wait(timeout=TIMEOUT_S)
            try:
                result = engine.execute(command, retries=retries)
            except ConcurrencyConflict:
                results.put(("conflict", command.user))
            except CommandRefused as exc:
                results.put((f"refused:{exc.rule}", command.user))
            except Exception as exc:
                results.put((f"error:{exc!r}", command.user))
            else:
                results.put(("ok", command.user, [e.type for e in result.events]))
    finally:
        engine.close()


class Workers:
    def __init__(self, url: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(2)
        self.results: Any = ctx.Queue()
        self.tasks: list[Any] = [ctx.Queue(), ctx.Queue()]
        self.processes = [ctx.Process(target=_worker, daemon=True,
                                      args=(url, str(PROCEDURES), self.barrier, tasks,
                                            self.results))
                          for tasks in self.tasks]
        for process in self.processes:
            process.start()

    def race(self, first: Command, second: Command, retries: int = 0) -> list[tuple[Any, ...]]:
        """Both commands released together; the two results (ordered by user)."""
        self.tasks[0].put((first, retries))
        self.tasks[1].put((second, retries))
        try:
            found = [self.results.get(timeout=TIMEOUT_S) for _ in range(2)]
        except queue.Empty:  # pragma: no cover - a worker died
            pytest.fail(f"a worker did not answer: {[p.exitcode for p in self.processes]}")
        return sorted(found, key=lambda r: r[1])

    def stop(self) -> None:
        for tasks in self.tasks:
            tasks.put(None)
        for process in self.processes:
            process.join(timeout=TIMEOUT_S)
            if process.is_alive():  # pragma: no cover
                process.kill()
                process.join()
        for q in (*self.tasks, self.results):
            q.close()
            q.join_thread()


@pytest.fixture(scope="module", params=BACKENDS)
def race_db(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database per backend for the whole module (workers are slow to spawn)."""
    with make_database(request.param, tmp_path_factory.mktemp("race")) as made:
        yield made


@pytest.fixture(scope="module")
def workers(race_db: Database) -> Iterator[Workers]:
    # create the store (and its schema) before the workers open it
    open_engine(race_db).close()
    started = Workers(race_db.url)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def engine(race_db: Database, workers: Workers, ids: Ids, clock: Clock,
           procedures_env: Path) -> Iterator[Engine]:
    """The test's own engine on the workers' database; case ids unique across the module."""
    prefix = f"r{next(_TESTS)}"
    made = open_engine(race_db, clock=clock, lang="en",
                       new_id=lambda proc: f"{prefix}-{ids(proc)}")
    try:
        yield made
    finally:
        made.close()


def test_one_of_two_racing_processes_completes_the_step(engine: Engine, workers: Workers,
                                                        race_db: Database) -> None:
    outcomes: list[str] = []
    for round_ in range(ROUNDS):
        case_id = open_sapa(engine).case.case_id
        command = CompleteStep(user="ani", role="pelapor", case_id=case_id,
                               step="menghubungi_sapa", at=AT)
        rival = CompleteStep(user="ani2", role="pelapor", case_id=case_id,
                             step="menghubungi_sapa", at=AT)
        results = workers.race(command, rival)
        kinds = sorted(r[0] for r in results)
        assert kinds.count("ok") == 1, (round_, results)
        (loser,) = [k for k in kinds if k != "ok"]
        assert loser in ("conflict", "refused:guard.not_current"), results
        outcomes.append(loser)
        (winner,) = [r for r in results if r[0] == "ok"]
        assert winner[2] == ["step_completed", "step_started"]

        events = engine.store.events(case_id)
        assert verify_chain(case_id, events) == []
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        completed = [e for e in events if e.type == "step_completed"]
        assert len(completed) == 1 and completed[0].payload["step"] == "menghubungi_sapa"
        assert completed[0].user == winner[1]
        state = engine.case(case_id)  # the snapshot matches the events
        assert state.current_step == "menerima_pengaduan"
        assert [p["step"] for p in state.path] == ["menghubungi_sapa"]
    assert engine.verify() == []
    print(f"{race_db.name}: losers {outcomes}")


def test_retries_land_a_conflicting_command(engine: Engine, workers: Workers) -> None:
    for round_ in range(ROUNDS // 2):
        case_id = open_sapa(engine).case.case_id
        before = len(engine.store.events(case_id))
        set_true = SetFact(user="adi", role="admin", case_id=case_id, name="contacted_sapa",
                           value=True, at=AT)
        set_false = SetFact(user="bambang", role="kepala_bidang", case_id=case_id,
                            name="contacted_sapa", value=False, at=AT)
        results = workers.race(set_true, set_false, retries=3)
        assert [r[0] for r in results] == ["ok", "ok"], (round_, results)
        events = engine.store.events(case_id)
        assert verify_chain(case_id, events) == []
        facts = [(e.user, e.payload["value"]) for e in events if e.type == "fact_set"]
        assert sorted(facts) == [("adi", True), ("bambang", False)]
        assert len(events) == before + 2
        assert engine.case(case_id).facts["contacted_sapa"] == facts[-1][1]  # the last one wins
    assert engine.verify() == []


def test_without_retries_a_conflict_reaches_the_caller(engine: Engine, workers: Workers) -> None:
    """The same race without retries: every command either lands or raises ConcurrencyConflict,
    and the store holds exactly the ones that landed."""
    landed = 0
    for _ in range(ROUNDS // 2):
        case_id = open_sapa(engine).case.case_id
        before = len(engine.store.events(case_id))
        results = workers.race(
            SetFact(user="adi", role="admin", case_id=case_id, name="contacted_sapa",
                    value=True, at=AT),
            SetFact(user="bambang", role="kepala_bidang", case_id=case_id,
                    name="contacted_sapa", value=False, at=AT))
        assert {r[0] for r in results} <= {"ok", "conflict"}, results
        ok = [r[1] for r in results if r[0] == "ok"]
        assert ok, results  # somebody always wins
        events = engine.store.events(case_id)
        assert sorted(e.user for e in events[before:]) == sorted(ok)
        assert verify_chain(case_id, events) == []
        landed += len(ok)
    assert landed >= ROUNDS // 2
