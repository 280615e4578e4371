"""The engine's clock and how far ahead of it a command may be dated.

A command dated in the future would be recorded as it is: its events become the case's last
update, and every later command at the real time would be refused as out of order
(``guard.out_of_order``) — the case would be wedged for good. So a command time later than the
clock plus a small tolerance (for clocks of different machines a little apart) is refused
(``guard.future``). The tolerance is an :class:`~engine.api.Engine` argument, else
``$ALUR_CLOCK_TOLERANCE`` (seconds), else :data:`DEFAULT_TOLERANCE`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from engine.errors import CommandRefused, UsageError
from engine.messages import text

__all__ = ["DEFAULT_TOLERANCE", "TOLERANCE_ENV", "check_not_future", "system_clock",
           "tolerance"]

DEFAULT_TOLERANCE = timedelta(minutes=5)
TOLERANCE_ENV = "ALUR_CLOCK_TOLERANCE"
MAX_TOLERANCE = timedelta(days=36_500)  # a hundred years; timedelta's own limit is far beyond


def system_clock() -> datetime:
    """The wall clock, as an aware time in UTC."""
    return datetime.now(UTC)


def tolerance(value: timedelta | float | None = None, lang: str | None = None) -> timedelta:
    """The tolerance given, else ``$ALUR_CLOCK_TOLERANCE`` in seconds, else the default; not
    negative. (A tolerance of years lets a mistyped year wedge a case again: the test suite
    sets one, as its stories run on clocks that stand still at their start.)"""
    if value is None:
        raw = os.environ.get(TOLERANCE_ENV, "").strip()
        if not raw:
            return DEFAULT_TOLERANCE
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
    limit = MAX_TOLERANCE.total_seconds()
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    if not 0 <= seconds <= limit:  # NaN fails both
        message, hint = text("err.clock_tolerance", lang, value=value, env=TOLERANCE_ENV,
                             limit=int(limit))
        raise UsageError(message, hint=hint)
    return value if isinstance(value, timedelta) else timedelta(seconds=seconds)


def check_not_future(at: datetime, clock: Callable[[], datetime], allowed: timedelta,
                     lang: str | None = None, *, what: str = "--at") -> None:
    """Refuse (``guard.future``) a time later than the clock plus ``allowed``."""
    now = clock()
    if at > now + allowed:
        raise CommandRefused.by_rule("guard.future", lang, at=at.isoformat(),
                                     now=now.isoformat(timespec="seconds"),
                                     tolerance=int(allowed.total_seconds()), option=what)
