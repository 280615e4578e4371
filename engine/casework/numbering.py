"""Case numbers (``MED-2026-0042``, :mod:`engine.cases.numbers`) drawn for the cases a command
opens, and a replayed case given the number the store holds for it.

Must not: decide or append (the store's unique index settles a race; the engine draws again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from engine.cases.events import CaseSnapshot
from engine.cases.numbers import label, series_of
from engine.cases.state import CaseState
from engine.procedure.model import Procedure
from engine.store import Store

__all__ = ["Numbers", "numbered"]


class Numbers:
    """Draws case numbers for the cases one command opens: the store's highest counter of the
    series plus one, and past the numbers drawn already for this command (two referral targets
    of one prefix). The store's unique index settles a race with another process."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.drawn: dict[str, int] = {}

    def drawer(self, proc: Procedure) -> Callable[[datetime], str]:
        def draw(opened: datetime) -> str:
            series = series_of(proc.number_prefix, opened, proc.agency.timezone)
            seq = max(self.store.last_number(series), self.drawn.get(series, 0)) + 1
            self.drawn[series] = seq
            return label(series, seq)

        return draw


def numbered(state: CaseState, snapshot: CaseSnapshot | None) -> CaseState:
    """``state`` with its case number: sealed in its opening event, or, for a case opened
    before numbers were sealed, the one the store gave it when it was migrated (that number
    is the store's word alone; a sealed one must equal the store's, which the snapshot check
    then holds)."""
    if state.number is None and snapshot is not None:
        state.number = snapshot.number
    return state
