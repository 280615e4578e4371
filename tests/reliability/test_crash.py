"""Crash safety: workers killed with SIGKILL at random points lose nothing they acknowledged.

Four worker processes drive cases against one store (SQLite file, or PostgreSQL when
``ALUR_PG_URL`` is set) and acknowledge every command that returned, durably, in a log. The
parent kills a random worker with SIGKILL every few tens of milliseconds and starts a new one,
until at least 20 kills over at least 1,000 acknowledged commands. Afterwards: every
acknowledged event is in the store, every case's hash chain verifies and its snapshot equals the
fold of its events (nothing half applied), and every open case can continue.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.api import Engine
from engine.cases.commands import CompleteStep
from tests.reliability.summary import record
from tests.reliability.workers import PROC, _ktp, drive
from tests.store.conftest import SQL_BACKENDS, make_backend

pytestmark = pytest.mark.reliability

MIN_KILLS = 20
MIN_COMMANDS = 1000
TIME_LIMIT = 240.0


def _acked(log: Path) -> list[tuple[str, str]]:
    if not log.exists():
        return []
    pairs = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:  # a line cut by the kill is not an acknowledgement
            pairs.append((parts[0], parts[1]))
    return pairs


@pytest.mark.parametrize("backend_name", SQL_BACKENDS)
def test_sigkill_loses_nothing_acknowledged(backend_name: str, tmp_path: Path) -> None:
    with make_backend(backend_name, tmp_path) as backend:
        setup = Engine(backend.url, clock=lambda: datetime(2026, 3, 2, 2, tzinfo=UTC))
        shared = []
        for i in range(3):
            setup.open_case(PROC, user="u", role="petugas", documents=(_ktp(),),
                            case_id=f"shared-{i}")
            shared.append(f"shared-{i}")
        setup.close()

        ctx = multiprocessing.get_context("spawn")
        rng = random.Random(7)
        logs = [tmp_path / f"ack-{w}.log" for w in range(4)]
        seeds = iter(range(10_000))
        procs = {w: ctx.Process(target=drive, args=(backend.url, str(logs[w]), w, next(seeds),
                                                    shared), daemon=True) for w in range(4)}
        for proc in procs.values():
            proc.start()
        kills = 0
        started = time.monotonic()
        # a worker is killed only once it has acknowledged something since it started, so each
        # kill lands in the middle of real work rather than during interpreter start-up
        baseline = {w: 0 for w in range(4)}
        try:
            while kills < MIN_KILLS or sum(len(_acked(log)) for log in logs) < MIN_COMMANDS:
                assert time.monotonic() - started < TIME_LIMIT, "workers made too little progress"
                time.sleep(rng.uniform(0.05, 0.3))
                victim = rng.randrange(4)
                if len(_acked(logs[victim])) <= baseline[victim]:
                    continue
                proc = procs[victim]
                if proc.pid is not None and proc.is_alive():
                    os.kill(proc.pid, signal.SIGKILL)
                    kills += 1
                proc.join()
                baseline[victim] = len(_acked(logs[victim]))
                procs[victim] = ctx.Process(target=drive, args=(
                    backend.url, str(logs[victim]), victim, next(seeds), shared), daemon=True)
                procs[victim].start()
        finally:
            for proc in procs.values():
                if proc.pid is not None and proc.is_alive():
                    os.kill(proc.pid, signal.SIGKILL)
                proc.join()

        acked = [pair for log in logs for pair in _acked(log)]
        duration = time.monotonic() - started
        assert kills >= MIN_KILLS and len(acked) >= MIN_COMMANDS
        engine = Engine(backend.url, clock=lambda: datetime(2026, 3, 2, 3, tzinfo=UTC))
        try:
            assert engine.verify() == []  # every chain verifies, every snapshot is the fold
            stored = {(e.case_id, e.hash) for e in engine.store.all_events()}
            missing = [pair for pair in acked if pair not in stored]
            assert missing == []
            # the cases go on: finish every case a kill left half-way
            for snap in engine.cases(status=None):
                state = engine.case(snap.case_id)
                if state.current_step == "terima":
                    engine.execute(CompleteStep(user="u", role="petugas", case_id=snap.case_id,
                                                step="terima"))
            assert engine.verify() == []
            record(f"crash[{backend_name}]", {
                "kills": kills, "acknowledged": len(acked), "missing": len(missing),
                "cases": len(engine.cases(status=None)),
                "events": sum(1 for _ in engine.store.all_events()),
                "seconds": round(duration, 1)})
        finally:
            engine.close()
