"""Times for people: in the procedure's time zone, labelled WIB, WITA or WIT.

Events keep the ISO text they were given (a command without ``--at`` is dated by the clock, in
UTC), so the same instant may be stored as ``…Z`` or ``…+07:00``. Shown to people every time is
first turned into the agency's zone and labelled, so a timeline reads in one local time next to
its due dates. Indonesia keeps no daylight saving time, so a ``+07:00``/``+08:00``/``+09:00``
offset names its zone exactly when no procedure is at hand.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["LABELS", "label", "local_time"]

LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
          "Asia/Jayapura": "WIT"}
_BY_OFFSET = {timedelta(hours=7): "WIB", timedelta(hours=8): "WITA", timedelta(hours=9): "WIT"}


@functools.lru_cache(maxsize=16)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def label(moment: datetime, tz: str | None = None) -> str:
    """WIB/WITA/WIT for an aware time in an Indonesian zone at its present offset, else the
    UTC offset (+0000)."""
    offset = moment.utcoffset()
    # at the zone's present offset only: not its local mean time of old dates (+07:07:12 in
    # Jakarta before 1924)
    if tz in LABELS and offset is not None and _BY_OFFSET.get(offset) == LABELS[tz]:
        return LABELS[tz]
    if offset is not None and offset in _BY_OFFSET:
        return _BY_OFFSET[offset]
    return moment.strftime("%z") if offset is not None else ""


def local_time(iso: str, tz: str | None = None, *, seconds: bool = False) -> str:
    """``2026-03-02 09:00 WIB``: ``iso`` in the zone ``tz`` (a time without offset is taken
    there) to the minute (or the second), with its label; without ``tz`` in its own offset.
    Text that is no ISO time comes back as it is."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    if tz is not None:
        try:
            zone = _zone(tz)
        except (ValueError, KeyError, OSError):
            tz = None
        else:
            moment = moment.replace(tzinfo=zone) if moment.tzinfo is None \
                else moment.astimezone(zone)
    mark = label(moment, tz) if moment.tzinfo is not None else ""
    shown = moment.replace(tzinfo=None).isoformat(  # year 1 as 0001, unlike strftime
        sep=" ", timespec="seconds" if seconds else "minutes")
    return shown + (f" {mark}" if mark else "")
