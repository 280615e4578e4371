"""Short case numbers people use: ``MED-2026-0042``.

A case has an internal id (``mediasi-6753a1b2c3d4e5f6``, what events and stores key on) and a
number: the procedure's prefix (``case_prefix``, by default the first letters of its id), the
agency-local year it was opened in, and a counter per prefix and year. The number is written in
the ``case_opened`` payload, so the hash chain covers it; the store keeps it as two snapshot
columns, the *series* (``MED-2026``) and the counter, under a unique index, so no two cases share
one whatever the number of processes opening cases (the loser of a race draws the next one).

Owns: the text form and its parsing (:func:`label`, :func:`parse`), the series of an opening,
and the numbers given to cases opened before numbers existed (:func:`assign`, run by the stores'
migration in opening order). Must not: read stores or decide anything about a case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["DIGITS", "assign", "label", "parse", "series_of", "split"]

DIGITS = 4  # the counter is shown with at least this many digits (more past 9999)
_LABEL = re.compile(r"([A-Z][A-Z0-9]{0,9}-[0-9]{4})-([0-9]{1,9})")
_DEFAULT_TZ = "Asia/Jakarta"


def series_of(prefix: str, opened: datetime, tz: str) -> str:
    """``MED-2026``: the prefix and the year of ``opened`` (aware) in the agency's zone (at the
    edge of the calendar, 1 January of year 1 at +07:00, the zone's old offset would leave it:
    then the year as written)."""
    try:
        local = opened.astimezone(ZoneInfo(tz))
    except (OverflowError, ValueError):
        local = opened
    return f"{prefix}-{local.year:04d}"


def label(series: str, seq: int) -> str:
    """``MED-2026-0042``: the series and the counter, zero-padded."""
    return f"{series}-{seq:0{DIGITS}d}"


def split(number: str) -> tuple[str, int] | None:
    """(series, counter) of a number as written (``MED-2026-42`` too; prefix case ignored);
    None for text that is no case number."""
    found = _LABEL.fullmatch(number.strip().upper()) if isinstance(number, str) else None
    if found is None or int(found.group(2)) < 1:
        return None
    return found.group(1), int(found.group(2))


def parse(number: str) -> str | None:
    """The canonical text of a case number as written, or None."""
    parts = split(number)
    return label(*parts) if parts is not None else None


def _procedure_numbering(text: str | None, procedure_id: str) -> tuple[str, str]:
    """(prefix, time zone) of a stored procedure text, read leniently: a text that no longer
    reads falls back to the default prefix of its id and the default zone."""
    from engine.procedure.model import default_case_prefix

    prefix, tz = default_case_prefix(procedure_id), _DEFAULT_TZ
    if text is None:
        return prefix, tz
    from engine.procedure.source import read_text

    data: Any = read_text(text, "store").data  # never raises: bad text gives no data
    if isinstance(data, dict):
        if isinstance(data.get("case_prefix"), str) and re.fullmatch(
                r"[A-Z][A-Z0-9]{0,9}", data["case_prefix"]):
            prefix = data["case_prefix"]
        agency = data.get("agency")
        if isinstance(agency, dict) and isinstance(agency.get("timezone"), str):
            try:
                ZoneInfo(agency["timezone"])
                tz = agency["timezone"]
            except (ValueError, KeyError, OSError):
                pass
    return prefix, tz


def assign(cases: Iterable[tuple[str, str, str, str]], text_of: Callable[[str], str | None],
           taken: Callable[[str], int] = lambda series: 0) -> list[tuple[str, int, str]]:
    """Numbers for cases opened before numbers existed, in opening order: ``cases`` are
    (case id, procedure id, procedure hash, time of the first event); ``text_of`` gives a stored
    procedure text by hash; ``taken`` the highest counter a series already has. Returns
    (series, counter, case id) for each case. A time that does not read sorts last (by id)."""
    numbering: dict[str, tuple[str, str]] = {}

    def when(at: str) -> tuple[int, datetime]:
        try:
            moment = datetime.fromisoformat(at)
        except (TypeError, ValueError):
            return 1, datetime.min.replace(tzinfo=ZoneInfo("UTC"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(_DEFAULT_TZ))
        return 0, moment

    ordered = sorted(((when(at), case_id, procedure_id, procedure_hash)
                      for case_id, procedure_id, procedure_hash, at in cases),
                     key=lambda item: (item[0][0], item[0][1], item[1]))
    last: dict[str, int] = {}
    out: list[tuple[str, int, str]] = []
    for (_bad, moment), case_id, procedure_id, procedure_hash in ordered:
        if procedure_hash not in numbering:
            numbering[procedure_hash] = _procedure_numbering(text_of(procedure_hash),
                                                             procedure_id)
        prefix, tz = numbering[procedure_hash]
        series = series_of(prefix, moment, tz)
        if series not in last:
            last[series] = taken(series)
        last[series] += 1
        out.append((series, last[series], case_id))
    return out
