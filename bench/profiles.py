"""Where the time goes in the workloads behind the targets ``make bench`` may miss (issue #20:
"where a target is missed, the profile and the bound that explains it are in
docs/performance.md").

Each profile runs one workload under :mod:`cProfile` once, after the timed runs (a profiler
slows what it watches, so no rate is taken from it), and keeps **shares of own time**: by area
(alur's packages, the database driver, hashing, JSON, the peer libraries, the rest of Python)
and the functions with the largest share. Shares are what a profile can say on a loaded
machine; absolute times under a profiler are not.

The HTTP figure is not a function profile (the service's worker threads and processes are not
under this process's profiler): it is the **CPU time per command** of the server processes, of
the client threads, and of the in-process Engine, measured with ``getrusage`` around the run,
which bounds what the ratio can reach on the machine's cores.
"""

from __future__ import annotations

import cProfile
import os
import pstats
from collections.abc import Callable
from typing import Any

# (prefix of a file path or built-in's name, area): the first that matches names the area
_AREAS: tuple[tuple[str, str], ...] = (
    ("engine/cases/events", "alur: sealing and hashing (cases/events)"),
    ("engine/cases/runtime", "alur: deciding (cases/runtime)"),
    ("engine/cases/rules", "alur: rules (cases/rules)"),
    ("engine/cases/", "alur: other cases/ modules"),
    ("engine/store/", "alur: store (engine/store)"),
    ("engine/procedure/", "alur: procedure (conditions, lookups)"),
    ("engine/", "alur: other engine modules"),
    ("sqlite3", "SQLite driver (C: statements, commit and its fsync)"),
    ("psycopg", "PostgreSQL driver"),
    ("_hashlib", "hashlib (C)"),
    ("orjson", "orjson (C)"),
    ("json", "json module"),
    ("transitions", "transitions"),
    ("datetime", "datetime"),
)


def _area(filename: str, name: str) -> str:
    where = filename.replace(os.sep, "/")
    if where == "~":  # a built-in: cProfile names it by its object, e.g. "<method 'commit' of
        where = name  # 'sqlite3.Connection' objects>" or "<built-in method _hashlib.openssl_…>"
    for prefix, area in _AREAS:
        if prefix.startswith("engine/"):
            if f"/{prefix}" in where or where.startswith(prefix):
                return area
        elif prefix in where:
            return area
    return "rest of Python (interpreter, stdlib, other libraries)"


def _label(filename: str, line: int, name: str) -> str:
    if filename == "~":
        return name
    where = filename.replace(os.sep, "/")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__))).replace(os.sep, "/")
    if where.startswith(root + "/"):
        where = where[len(root) + 1:]
    for marker in ("engine/", "/site-packages/", "/lib/python3"):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{where}:{line} {name}"


def profile(run: Callable[[int], None], size: int, *, top: int = 8) -> dict[str, Any]:
    """Run ``run(size)`` under cProfile; own-time shares by area and the ``top`` functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        run(size)
    finally:
        profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    own: dict[str, float] = {}
    functions: list[tuple[float, str]] = []
    total = 0.0
    for (filename, line, name), (_, _, tottime, _, _) in stats.items():
        total += tottime
        area = _area(filename, name)
        own[area] = own.get(area, 0.0) + tottime
        functions.append((tottime, _label(filename, line, name)))
    total = total or 1e-12
    functions.sort(reverse=True)
    return {"calls_profiled": size,
            "areas": [{"area": area, "share": round(t / total, 4)}
                      for area, t in sorted(own.items(), key=lambda kv: -kv[1])],
            "functions": [{"function": label, "share": round(t / total, 4)}
                          for t, label in functions[:top]]}
