"""Many writers: four worker PROCESSES (multiprocessing, spawn) on one store, SQLite (a file) and
PostgreSQL (``ALUR_PG_URL``), released together by a barrier for every round.

Rounds, in a shuffled order:

* ``step``: all four complete the same step of the same fresh case, without retries. Exactly one
  wins; every other one gets ConcurrencyConflict, or guard.not_current when it read the case
  after the winner's commit.
* ``fact``: all four set the same fact of one shared case, without retries: at least one lands,
  the others get ConcurrencyConflict (a fact has no guard that could refuse it).
* ``retry``: the same, with ``execute(command, retries=RETRIES)``: every one lands.
* ``mixed``: two complete the current step of a case while two set its fact with retries.
* ``own``: each works on a case of its own: nothing conflicts, everything lands.

Each worker reports the (seq, hash) of the events every successful command appended. Then: every
reported event is in the store (no lost update), the store holds nothing else besides what the
test itself wrote (a refused or conflicting command wrote nothing), no case has a duplicate or a
missing seq, every hash chain verifies and each case's snapshot equals the serial replay of its
stored events (``Engine.case`` checks snapshot == fold; the test folds them again itself).
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from engine.api import CaseResult, Engine
from engine.cases.commands import Command, CompleteStep, SetFact
from engine.cases.events import verify_chain
from engine.cases.state import replay
from tests.reliability.summary import record
from tests.reliability.workers import race
from tests.runtime_support import PROCEDURES
from tests.store.conftest import SQL_BACKENDS, Backend, make_backend, open_or_fail

pytestmark = pytest.mark.reliability

WORKERS = 4
ROUNDS = {"step": 20, "fact": 15, "retry": 15, "mixed": 10, "own": 6}
RETRIES = 20
TIMEOUT_S = 60

SAPA_STEPS = [("menghubungi_sapa", "pelapor"), ("menerima_pengaduan", "admin"),
              ("konfirmasi_identifikasi", "sub_koordinator"),
              ("verifikasi_surat_tugas", "kepala_bidang"), ("penjangkauan", "konselor")]
FACT_ROLES = ["admin", "kepala_bidang", "sub_koordinator", "konselor"]


class Pool:
    """Four racing workers; ``round`` hands each its command and collects the four results."""

    def __init__(self, url: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(WORKERS)
        self.results: Any = ctx.Queue()
        self.tasks: list[Any] = [ctx.Queue() for _ in range(WORKERS)]
        self.processes = [ctx.Process(target=race, daemon=True, args=(
            url, str(PROCEDURES), w, self.barrier, self.tasks[w], self.results))
            for w in range(WORKERS)]
        for process in self.processes:
            process.start()

    def round(self, tag: str, commands: list[tuple[Command, int]]) -> list[tuple[Any, ...]]:
        for worker, (command, retries) in enumerate(commands):
            self.tasks[worker].put((tag, command, retries))
        try:
            found = [self.results.get(timeout=TIMEOUT_S) for _ in commands]
        except queue.Empty:  # pragma: no cover - a worker died
            pytest.fail(f"a worker did not answer: {[p.exitcode for p in self.processes]}")
        errors = [r for r in found if r[2].startswith("error:")]
        assert not errors, errors
        return sorted(found)

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


@pytest.fixture(params=SQL_BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Backend]:
    with make_backend(request.param, tmp_path) as made:
        yield made


def _fact(case_id: str, worker: int, value: bool) -> SetFact:
    return SetFact(user=f"w{worker}", role=FACT_ROLES[worker], case_id=case_id,
                   name="contacted_sapa", value=value)


def test_four_processes_lose_no_update(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_PROCEDURES", str(PROCEDURES))
    started = time.monotonic()
    store = open_or_fail(backend)  # creates the schema before the workers open it
    engine = Engine(store, lang="en", clock=lambda: datetime.now(UTC))
    written: dict[str, set[str]] = defaultdict(set)  # what the test itself appended

    def mine(result: CaseResult) -> CaseResult:
        written[result.case.case_id].update(e.hash for e in result.events)
        return result

    def new_case(case_id: str) -> str:
        return mine(engine.open_case("sapa", user="ani", role="pelapor",
                                     facts={"contacted_sapa": True}, case_id=case_id)).case.case_id

    pool = Pool(backend.url)
    acknowledged: dict[str, set[str]] = defaultdict(set)
    outcomes: Counter[str] = Counter()
    absorbed = 0
    rng = random.Random(2026)
    plan = [kind for kind, count in ROUNDS.items() for _ in range(count)]
    rng.shuffle(plan)
    shared = new_case("shared-fact")
    own = [new_case(f"own-{w}") for w in range(WORKERS)]
    own_step = [0] * WORKERS
    try:
        for number, kind in enumerate(plan):
            case_id = shared
            if kind == "step":
                case_id = new_case(f"step-{number}")
                commands: list[tuple[Command, int]] = [
                    (CompleteStep(user=f"w{w}", role="pelapor", case_id=case_id,
                                  step="menghubungi_sapa"), 0) for w in range(WORKERS)]
            elif kind in ("fact", "retry"):
                retries = RETRIES if kind == "retry" else 0
                commands = [(_fact(shared, w, rng.random() < 0.5), retries)
                            for w in range(WORKERS)]
            elif kind == "mixed":
                case_id = new_case(f"mixed-{number}")
                commands = [(CompleteStep(user=f"w{w}", role="pelapor", case_id=case_id,
                                          step="menghubungi_sapa"), 0) for w in range(2)]
                commands += [(_fact(case_id, w, w == 2), RETRIES) for w in (2, 3)]
            else:  # own: a case per worker, the next step of it or a fact once walked through
                commands = []
                for w in range(WORKERS):
                    if own_step[w] < len(SAPA_STEPS):
                        step, role = SAPA_STEPS[own_step[w]]
                        commands.append((CompleteStep(user=f"w{w}", role=role, case_id=own[w],
                                                      step=step), 0))
                        own_step[w] += 1
                    else:
                        commands.append((_fact(own[w], w, True), 0))
            before = len(engine.store.events(case_id))
            results = pool.round(kind, commands)
            for worker, _, outcome, events, conflicts in results:
                outcomes[f"{kind}:{outcome}"] += 1
                if outcome == "ok":
                    target = commands[worker][0].case_id  # type: ignore[union-attr]
                    acknowledged[target].update(h for _, h in events)
                    absorbed += conflicts
            kinds = [r[2] for r in results]
            if kind == "step":
                assert kinds.count("ok") == 1, results
                assert set(kinds) <= {"ok", "conflict", "refused:guard.not_current"}, results
                state = engine.case(case_id)
                assert [p["step"] for p in state.path] == ["menghubungi_sapa"]
                (winner,) = [r[0] for r in results if r[2] == "ok"]
                assert state.path[0]["user"] == f"w{winner}"
            elif kind == "fact":
                assert "ok" in kinds and set(kinds) <= {"ok", "conflict"}, results
                facts = [e for e in engine.store.events(shared)[before:] if e.type == "fact_set"]
                assert sorted(e.user for e in facts) == sorted(
                    f"w{r[0]}" for r in results if r[2] == "ok")
            elif kind == "retry":
                assert kinds == ["ok"] * WORKERS, results
                new = engine.store.events(shared)[before:]
                assert sorted(e.user for e in new) == [f"w{w}" for w in range(WORKERS)]
                assert engine.case(shared).facts["contacted_sapa"] == new[-1].payload["value"]
            elif kind == "mixed":
                racers, setters = kinds[:2], kinds[2:]
                assert setters == ["ok", "ok"], results
                assert racers.count("ok") <= 1, results
                assert set(racers) <= {"ok", "conflict", "refused:guard.not_current"}, results
                path = engine.case(case_id).path
                assert len(path) == racers.count("ok")
            else:
                assert kinds == ["ok"] * WORKERS, results
    finally:
        pool.stop()
    try:
        stored: dict[str, list[Any]] = defaultdict(list)
        for event in engine.store.all_events():
            stored[event.case_id].append(event)
        lost = {cid: hashes - {e.hash for e in stored[cid]}
                for cid, hashes in acknowledged.items()}
        assert all(not missing for missing in lost.values()), lost
        for case_id, events in stored.items():
            # nothing in the store that no successful command reported
            assert {e.hash for e in events} == written[case_id] | acknowledged[case_id]
            assert [e.seq for e in events] == list(range(1, len(events) + 1)), case_id
            assert verify_chain(case_id, events) == []
            state = engine.case(case_id)  # raises unless the snapshot equals the fold
            assert state.to_dict() == replay(events).to_dict()
            assert engine.store.snapshot(case_id).state == replay(events).to_dict()  # type: ignore[union-attr]
        duplicates = backend.sql("SELECT case_id, seq FROM alur_events GROUP BY case_id, seq "
                                 "HAVING count(*) > 1")
        assert duplicates == []
        assert engine.verify() == []
        conflicts = sum(n for key, n in outcomes.items() if key.endswith(":conflict"))
        refusals = sum(n for key, n in outcomes.items() if ":refused:" in key)
        issued = sum(outcomes.values())
        landed = sum(n for key, n in outcomes.items() if key.endswith(":ok"))
        assert conflicts + refusals + landed == issued
        assert conflicts > 0, outcomes  # the races were real
        record(f"concurrency[{backend.name}]", {
            "workers": WORKERS, "rounds": len(plan), "commands": issued, "landed": landed,
            "conflicts_raised": conflicts, "not_current_after_reread": refusals,
            "conflicts_absorbed_by_retries": absorbed,
            "events": sum(len(e) for e in stored.values()), "cases": len(stored),
            "outcomes": dict(sorted(outcomes.items())),
            "seconds": round(time.monotonic() - started, 1)})
    finally:
        engine.close()
