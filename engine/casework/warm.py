"""The cases a worker verified itself, kept between commands with the head they were read at.

A kept case spares the next command on it the full read and verification (issue #8): it is
decided on the copy, and its append lands only if the case is still at that
:class:`~engine.store.Head` (version, last hash, the store's count of edits, the trigger set's
epoch, the ledger's last entry for the case), checked in the append's own transaction. At most
``limit`` cases are kept, the least recently used pushed out first; a closed case takes no
command, so none of its data is kept. An Engine may serve several threads: every access holds
the lock.

Must not: read the store (whether a copy is current is the append's question).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from engine.cases.state import CaseState
from engine.store.base import Head

__all__ = ["WarmCases"]


class WarmCases:
    """case id -> (its head in the store when it was kept, the verified state at that head)."""

    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)
        self._kept: OrderedDict[str, tuple[Head, CaseState]] = OrderedDict()
        self._lock = threading.Lock()
        self.epoch = ""  # the store's epoch (Store.epoch) at the last full read

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._kept

    def take(self, case_id: str) -> tuple[Head, CaseState] | None:
        """The kept copy of the case and its head then, taken out (the command changes it)."""
        if not self.limit:
            return None
        with self._lock:
            return self._kept.pop(case_id, None)

    def keep(self, state: CaseState, head: Head | None) -> None:
        """Keep ``state``, which is the stored case at ``head`` (not over a newer copy another
        thread kept meanwhile)."""
        if head is None or not self.limit or state.closed:
            return
        with self._lock:
            kept = self._kept.get(state.case_id)
            if kept is not None and kept[0].version > head.version:
                return
            self._kept[state.case_id] = (head, state)
            self._kept.move_to_end(state.case_id)  # used now: the last to be pushed out
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)

    def keep_appended(self, state: CaseState, head: Head | None,
                      epoch: Callable[[], str]) -> None:
        """Keep ``state``, which a worker has just appended on ``head`` (None: it opened the
        case). An append leaves the edit count alone and makes its new head the case's last
        ledger entry. A new case keeps the epoch last read (``epoch()`` reads it when none
        was): if the triggers changed since, its next append is refused as stale and the case
        read again."""
        if not self.limit:
            return
        if head is None and not self.epoch:
            self.epoch = epoch()
        self.keep(state, Head(state.version, state.last_hash, head.edits if head else 0,
                              head.epoch if head else self.epoch, state.last_hash))

    def forget(self, case_id: str | None = None) -> None:
        """Drop the copy of a case (of every case with None)."""
        with self._lock:
            if case_id is None:
                self._kept.clear()
            else:
                self._kept.pop(case_id, None)
