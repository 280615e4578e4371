"""The calendar override file format as a model, read with located diagnostics.

The format is the one :mod:`engine.cases.calendar` describes (``version``, ``holidays``,
``removed``, ``working``; every key optional, an empty file means no overrides). Read through
:func:`engine.procedure.formats.read_model`: a duplicated key is ``Y002``, a date that does not
exist ``D002``, a date listed twice (in one list or two) ``D003``, each at its line and column.
Owns the format only; :class:`~engine.cases.calendar.CalendarOverrides` is built from it by
:func:`engine.cases.calendar.load_overrides`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Sequence
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from engine.diagnostics import Diagnostic, Severity, make
from engine.procedure.formats import FileModel, Read, problem, read_model
from engine.procedure.source import SourceDoc, format_path

__all__ = ["DateEntry", "HolidayEntry", "OverridesFile", "check_overrides_file", "dates_once"]

_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(value: object) -> object:
    """``YYYY-MM-DD`` text (the reader keeps dates as text) → a date; others fail as types."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        match = _DATE_RE.fullmatch(value.strip())
        try:
            if match:
                return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    if isinstance(value, (str, dt.datetime)):
        raise problem("D002", "not a date that exists (YYYY-MM-DD)", value=value)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise problem("D004", "must be non-empty text")
    return value.strip()


Day = Annotated[dt.date, BeforeValidator(_date)]
Text = Annotated[str, AfterValidator(_not_blank)]


class _Dated(FileModel):
    date: Day


class HolidayEntry(_Dated):
    """A regional holiday: not a working day for this agency."""

    name: Text


class DateEntry(_Dated):
    """A national holiday that is a working day after all (``removed``), or an extra working
    day (``working``)."""

    reason: Text | None = None


class OverridesFile(FileModel):
    version: str | None = None
    holidays: list[HolidayEntry] | None = None
    removed: list[DateEntry] | None = None
    working: list[DateEntry] | None = None


def dates_once(model: OverridesFile, doc: SourceDoc, lang: str) -> Iterator[Diagnostic]:
    seen: dict[dt.date, tuple[str | int, ...]] = {}
    sections: tuple[tuple[str, Sequence[_Dated] | None], ...] = (
        ("holidays", model.holidays), ("removed", model.removed), ("working", model.working))
    for section, entries in sections:
        for index, entry in enumerate(entries or ()):
            path = (section, index, "date")
            first = seen.setdefault(entry.date, path)
            if first is not path:
                yield make("D003", Severity.ERROR, doc.file, doc.locate(path), format_path(path),
                           lang, date=entry.date.isoformat(), first=format_path(first[:2]),
                           first_line=doc.locate(first)[0])


def check_overrides_file(source: str | os.PathLike[str] | bytes, *, name: str | None = None,
                         lang: str = "en") -> Read[OverridesFile]:
    """The override file read into :class:`OverridesFile`, with every problem as a diagnostic."""
    return read_model(source, OverridesFile, name=name, lang=lang, allow_empty=True,
                      checks=[dates_once])
