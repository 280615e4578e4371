"""Code that runs in worker processes (started with the ``spawn`` method: a fresh interpreter that
imports only what it needs, so its memory and speed are a worker's, not the benchmark driver's)."""

from __future__ import annotations

import time
from typing import Any

from bench.common import AT, LINEAR, rss_mib
from bench.seed import FIRST_STEP, seed_id


def throughput(url: str, worker: int, barrier: Any, windows: int, window_s: float,
               results: Any) -> None:
    """Run whole cases of bench/linear10.yaml (open + 10 steps) on ``url`` from the moment every
    worker is ready; put (worker, commands per window) on ``results``."""
    from datetime import UTC, datetime

    from bench.workloads import plan_for
    from engine.api import Engine

    engine = Engine(url, clock=lambda: datetime.now(UTC))
    try:
        digest = engine.register(LINEAR)
        plan = plan_for(engine.procedure(digest))
        serial = 0

        def commands() -> Any:
            nonlocal serial
            while True:
                serial += 1
                case_id = f"w{worker}-{serial}-{time.monotonic_ns()}"
                opening, steps = plan.case(case_id, digest)
                yield opening
                yield from steps

        stream = commands()
        for _ in range(plan.commands_per_case):  # warm-up: one whole case
            engine.execute(next(stream))
        barrier.wait()
        start = time.monotonic()
        counts = [0] * windows  # commands finished within each window
        while True:
            engine.execute(next(stream))
            window = int((time.monotonic() - start) / window_s)
            if window >= windows:
                break
            counts[window] += 1
        results.put((worker, counts))
    except BaseException as exc:  # report, so the driver does not wait forever
        results.put((worker, f"{type(exc).__name__}: {exc}"))
        raise
    finally:
        engine.close()


def memory(url: str, count: int, checkpoints: list[int], results: Any) -> None:
    """Complete the first step of seeded cases 0 .. count-1, one command each, and put the
    resident memory (MiB) after each checkpoint on ``results``."""
    from datetime import UTC, datetime

    from engine.api import Engine
    from engine.cases.commands import CompleteStep

    engine = Engine(url, clock=lambda: datetime.now(UTC))
    try:
        found: dict[int, float] = {0: rss_mib()}
        started = time.perf_counter()
        for index in range(count):
            engine.execute(CompleteStep(user="user-petugas", role="petugas", at=AT,
                                        case_id=seed_id(index), step=FIRST_STEP))
            if index + 1 in checkpoints:
                found[index + 1] = rss_mib()
        results.put({"rss_mib": found, "seconds": time.perf_counter() - started})
    except BaseException as exc:
        results.put({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        engine.close()
