"""What is built once per procedure version and kept: bounded, by content hash.

A procedure version is immutable (its content hash names it), so what is built from it (the
validation result, the machine, the lookups, the rules) can be kept and shared by every case and
thread. A worker meets a handful of versions, but a long-lived one (``alur serve``) may meet
new ones for months: each kind of thing is kept for at most ``limit`` versions, the oldest
built dropped first (a version dropped and met again is built again: a few milliseconds).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["KEPT_VERSIONS", "VersionCache"]

KEPT_VERSIONS = 256  # versions kept of each kind; a machine and its lookups are tens of KB
T = TypeVar("T")
S = TypeVar("S")


class VersionCache(Generic[T]):
    """Values keyed by a procedure version's content hash, at most ``limit`` of them."""

    def __init__(self, limit: int = KEPT_VERSIONS) -> None:
        self.limit = limit
        self._kept: dict[str, T] = {}
        self._adding = threading.Lock()  # taken to add only: a hit is one dict read

    def get(self, key: str, build: Callable[[S], T], source: S) -> T:
        """The value kept for ``key``; when there is none, ``build(source)`` (once, whatever
        threads ask). ``source`` is passed rather than closed over: a hit makes no closure."""
        value = self._kept.get(key)
        if value is not None:
            return value
        with self._adding:
            value = self._kept.get(key)
            if value is None:
                value = build(source)
                while len(self._kept) >= self.limit:
                    del self._kept[next(iter(self._kept))]  # the oldest built
                self._kept[key] = value
        return value

    def __len__(self) -> int:
        return len(self._kept)
