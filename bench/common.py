"""Timing, progress and machine facts shared by every benchmark section."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
LINEAR = os.path.join(BENCH, "linear10.yaml")
MEDIASI = os.path.join(ROOT, "procedures", "mediasi.yaml")
AT = "2026-03-02T09:00:00+07:00"  # the first command's time; later ones follow it (Times)

PACKAGES = ("alur", "transitions", "python-statemachine", "SpiffWorkflow", "PyYAML", "pydantic",
            "jsonschema", "networkx", "psycopg", "psycopg-binary", "tqdm", "lxml")


class Times:
    """Distinct, increasing command times, as real cases have (issue #20: one fixed time let the
    runtime's parsed-time cache always hit and made alur look ~1.4x faster than it is).

    The texts are made before any timing starts (formatting them is the harness's work, not
    alur's): ``SPAN`` of them, ``STEP_S`` seconds apart from :data:`AT`. :meth:`take` hands out
    ``k`` consecutive ones for one case and starts again from the first only between cases, so
    the times within a case always increase. The span (~23 days) is well in the past of any
    real clock, so no command is refused as coming from the future, and a case's own commands
    are seconds apart, so no deadline is breached.
    """

    SPAN = 200_000
    STEP_S = 10

    def __init__(self) -> None:
        from datetime import datetime, timedelta

        start = datetime.fromisoformat(AT)
        step = timedelta(seconds=self.STEP_S)
        self._texts = [(start + i * step).isoformat() for i in range(self.SPAN)]
        self._next = 0

    def take(self, k: int) -> list[str]:
        if self._next + k > self.SPAN:
            self._next = 0
        first = self._next
        self._next += k
        return self._texts[first:self._next]


class _NoBar:
    """Stands in for tqdm when it is not installed (the test extra does not install it)."""

    def __init__(self, total: int, desc: str) -> None:
        self.total, self.desc, self.n = total, desc, 0
        print(f"[bench] {desc}", file=sys.stderr, flush=True)

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


@contextmanager
def bar(desc: str, total: int) -> Iterator[Any]:
    """A progress bar on stderr (tqdm when installed), closed on exit."""
    try:
        from tqdm import tqdm

        made: Any = tqdm(total=total, desc=desc, file=sys.stderr, leave=True,
                         dynamic_ncols=True, mininterval=0.2)
    except ImportError:
        made = _NoBar(total, desc)
    try:
        yield made
    finally:
        made.close()


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def calibrate(fn: Callable[[int], object], target_s: float, start: int = 1,
              limit: int = 1_000_000) -> int:
    """The batch size n for which ``fn(n)`` takes about ``target_s``; runs ``fn`` twice first,
    untimed, so one-time costs (imports, the holiday tables of a year, caches) are paid."""
    fn(start)
    fn(start)
    n = start
    while True:
        took = timed(lambda n=n: fn(n))  # type: ignore[misc]
        if took >= target_s / 4 or n >= limit:
            return max(1, min(limit, int(n * target_s / max(took, 1e-9))))
        n *= 4


def version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, str | None]:
    found = {name: version(name) for name in PACKAGES}
    found["sqlite"] = sqlite3.sqlite_version
    found["python"] = platform.python_version()
    return found


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux
        return None


def machine() -> dict[str, Any]:
    facts: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "loadavg_at_start": loadavg(),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    facts["cpu_model"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal"):
                    facts["mem_total_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:  # pragma: no cover - not on Linux
        pass
    return facts


def rss_mib() -> float:
    """Current resident set size (VmRSS) of this process, MiB; peak RSS where /proc is absent."""
    try:
        with open("/proc/self/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not on Linux
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator
