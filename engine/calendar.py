"""Working-day calendars: when a case is due, and how much time it has used.

A :class:`WorkCalendar` belongs to one agency: its time zone (WIB ``Asia/Jakarta``, WITA
``Asia/Makassar`` or WIT ``Asia/Jayapura``), the Indonesian national calendar and the agency's
own overrides. It is immutable; the holidays of each year are looked up the first time that year
is needed (a due date may fall in the next year) and cached. :func:`calendar_for` returns one
shared calendar per (time zone, overrides, language).

Holiday sources
---------------
* National public holidays (*hari libur nasional*) and joint leave days (*cuti bersama*, set each
  year by the SKB 3 Menteri) from the ``holidays`` package:
  ``holidays.country_holidays("ID", categories=("public", "government"))``; the ``government``
  category holds the cuti bersama. Years far ahead may only have estimated dates (Islamic
  holidays are marked "estimated") and no cuti bersama until the decree is published: update
  the ``holidays`` package, or add the dates in the override file.
* The agency's override file (``Agency.calendar``, relative to the procedure file) adds regional
  holidays, removes dates (an amended or revoked cuti bersama) and declares extra working days.

A day is a working day when it is listed under ``working``, or when it is Monday to Friday and
neither a national holiday nor cuti bersama (unless ``removed``) nor a regional holiday.

Units (all results are aware datetimes in the calendar's time zone)
-------------------------------------------------------------------
* ``hours``: ``start + N`` hours of elapsed (UTC) time; holidays and nights count.
* ``calendar_days``: the end of local day ``date(start) + N``.
* ``working_days``: the end of the N-th working day *after* the local date of ``start``. The day
  the clock starts never counts, whatever the hour, and counting starts with the next day: a case
  opened on Friday with 1 working day is due at the end of Monday (if Monday is a working day).
  A case opened on a Saturday or a holiday is treated the same way.
* "End of day" is the last representable instant of the local day, 23:59:59.999999
  (``datetime.time.max``; shown as 23:59:59 when printed to the second). A deadline is met by an
  action at or before ``due`` and breached by one after it; because ``due`` is the last instant
  of its day, "after" means "on a later local day".

Whether the *hari* of a published standard means working days or calendar days is an explicit
assumption recorded as a flag in each procedure; this module only computes.

Override file (YAML, read with a safe loader)
---------------------------------------------
::

    # regional holidays and amendments for one agency
    version: "2026.1"                # optional, a quoted string
    holidays:                        # regional holidays: not working days
      - {date: 2026-07-01, name: "Hari Jadi Kota Pasuruan"}
    removed:                         # national dates that are working days after all
      - {date: 2026-12-24, reason: "SKB 3 Menteri revisi"}
    working:                         # extra working days, e.g. a working Saturday
      - {date: 2026-03-28, reason: "pengganti cuti bersama"}

Every key is optional; an empty file means no overrides. ``date`` is ``YYYY-MM-DD`` (quoted or
not); ``name`` is required for ``holidays``, ``reason`` is optional. Unknown keys, a date listed
twice, or one date in two lists are errors. Problems raise :class:`~engine.errors.UsageError`
naming the file and the entry, with a hint.

Reports
-------
:meth:`WorkCalendar.working_days_between` counts the working days after ``a``'s local date up to
and including ``b``'s, so ``working_days_between(start, due(start, N working days)) == N``.
:meth:`WorkCalendar.elapsed` measures time used in a unit; see its docstring.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

import holidays
import yaml

from engine.errors import FileNotFound, UsageError
from engine.model import Duration, DurationUnit

__all__ = [
    "DEFAULT_TIMEZONE",
    "MAX_OVERRIDE_BYTES",
    "TIMEZONE_ABBREVIATIONS",
    "CalendarOverrides",
    "OverrideDate",
    "OverrideHoliday",
    "WorkCalendar",
    "calendar_for",
    "load_overrides",
    "parse_overrides",
]

DEFAULT_TIMEZONE = "Asia/Jakarta"
TIMEZONE_ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"})
MAX_OVERRIDE_BYTES = 1_048_576  # an override file is a few hundred bytes

Language = Literal["en", "id"]
_HOLIDAY_LANGUAGE: Mapping[str, str] = MappingProxyType({"en": "en_US", "id": "id"})
_CATEGORIES = ("public", "government")  # government = cuti bersama
_ONE_DAY = dt.timedelta(days=1)
_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FORMAT_HINT = ("Expected, e.g.:\n  holidays:\n    - {date: 2026-07-01, name: \"Hari Jadi\"}\n"
                "  removed:\n    - {date: 2026-12-24, reason: \"SKB revisi\"}\n"
                "  working:\n    - {date: 2026-03-28, reason: \"Sabtu kerja\"}")


# --- overrides -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OverrideHoliday:
    """A regional holiday: not a working day for this agency."""

    date: dt.date
    name: str


@dataclass(frozen=True, slots=True)
class OverrideDate:
    """A date under ``removed`` (no longer a holiday) or ``working`` (a working day)."""

    date: dt.date
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarOverrides:
    """An agency's amendments to the national calendar. Hashable; entries are kept sorted by
    date, so two override sets with the same entries are equal whatever their order."""

    holidays: tuple[OverrideHoliday, ...] = ()
    removed: tuple[OverrideDate, ...] = ()
    working: tuple[OverrideDate, ...] = ()
    version: str | None = None

    def __post_init__(self) -> None:
        seen: dict[dt.date, str] = {}
        sections: tuple[tuple[str, tuple[OverrideHoliday | OverrideDate, ...]], ...] = (
            ("holidays", self.holidays), ("removed", self.removed), ("working", self.working))
        for section, entries in sections:
            for index, entry in enumerate(entries):
                day: object = entry.date
                if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
                    raise UsageError(f"{section}[{index}]: date must be a date, not {day!r}",
                                     hint="Use datetime.date(YYYY, M, D).")
                label = f"{section}[{index}] ({day.isoformat()})"
                if day in seen:
                    raise UsageError(
                        f"{label}: the date is already listed as {seen[day]}",
                        hint="List each date once, in one of holidays, removed or working.")
                seen[day] = label
        for name in ("holidays", "removed", "working"):
            entries = getattr(self, name)
            object.__setattr__(self, name, tuple(sorted(entries, key=lambda e: e.date)))

    @property
    def is_empty(self) -> bool:
        return not (self.holidays or self.removed or self.working)


class _OverrideLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (same safety: plain data only) that keeps dates as strings, so an
    impossible date such as 2026-02-30 is reported with its entry instead of failing inside the
    YAML library. :func:`parse_overrides` accepts ``datetime.date`` values as well."""


_OverrideLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _parse_date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise UsageError(f"{where}: date {value.isoformat()} has a time of day",
                         hint="Write the date alone as YYYY-MM-DD, e.g. 2026-07-01.")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DATE_RE.fullmatch(value.strip())
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError as exc:
                raise UsageError(f"{where}: date {value!r} does not exist ({exc})",
                                 hint="Check the day and month; write dates as YYYY-MM-DD.") \
                    from exc
    raise UsageError(f"{where}: {value!r} is not a date",
                     hint="Write dates as YYYY-MM-DD, e.g. 2026-07-01.")


def _parse_text(entry: Mapping[Any, Any], key: str, where: str, *, required: bool) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise UsageError(f"{where}: '{key}' is missing",
                             hint=f"Give every entry a {key}, e.g. "
                                  '{date: 2026-07-01, name: "Hari Jadi Kota Pasuruan"}.')
        return None
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where}: '{key}' must be non-empty text, found {value!r}",
                         hint=f'Quote the {key}, e.g. {key}: "…".')
    return value.strip()


def parse_overrides(data: object, source: str = "calendar overrides") -> CalendarOverrides:
    """Overrides from already-loaded YAML data (the file format in the module docstring).
    Dates may be ``datetime.date`` values or ``YYYY-MM-DD`` strings. ``source`` starts every
    error message. Raises :class:`UsageError`."""
    if data is None:
        return CalendarOverrides()
    if not isinstance(data, dict):
        raise UsageError(f"{source}: expected a mapping with keys version, holidays, removed, "
                         f"working; found {_kind(data)}", hint=_FORMAT_HINT)
    unknown = sorted(str(key) for key in data if key not in
                     ("version", "holidays", "removed", "working"))
    if unknown:
        raise UsageError(f"{source}: unknown key(s) {', '.join(unknown)}",
                         hint="Allowed keys: version, holidays, removed, working.")
    version = data.get("version")
    if version is not None and not isinstance(version, str):
        raise UsageError(f"{source}: version must be text, found {version!r}",
                         hint='Quote it, e.g. version: "2026.1".')

    sections: dict[str, list[tuple[dt.date, str | None]]] = {}
    for section, text_key in (("holidays", "name"), ("removed", "reason"),
                              ("working", "reason")):
        entries = data.get(section)
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise UsageError(f"{source}: '{section}' must be a list, found {_kind(entries)}",
                             hint=_FORMAT_HINT)
        parsed: list[tuple[dt.date, str | None]] = []
        for index, entry in enumerate(entries):
            where = f"{source}: {section}[{index}]"
            if not isinstance(entry, dict):
                raise UsageError(f"{where}: expected a mapping with 'date' and '{text_key}', "
                                 f"found {_kind(entry)} {entry!r}", hint=_FORMAT_HINT)
            extra = sorted(str(key) for key in entry if key not in ("date", text_key))
            if extra:
                raise UsageError(f"{where}: unknown key(s) {', '.join(extra)}",
                                 hint=f"An entry under {section} has 'date' and '{text_key}'.")
            if "date" not in entry:
                raise UsageError(f"{where}: 'date' is missing", hint=_FORMAT_HINT)
            day = _parse_date(entry["date"], where)
            text = _parse_text(entry, text_key, f"{where} ({day.isoformat()})",
                               required=section == "holidays")
            parsed.append((day, text))
        sections[section] = parsed

    try:
        return CalendarOverrides(
            holidays=tuple(OverrideHoliday(day, name or "") for day, name in sections["holidays"]),
            removed=tuple(OverrideDate(day, reason) for day, reason in sections["removed"]),
            working=tuple(OverrideDate(day, reason) for day, reason in sections["working"]),
            version=version)
    except UsageError as exc:
        raise UsageError(f"{source}: {exc.message}", hint=exc.hint) from exc


def load_overrides(path: str | os.PathLike[str]) -> CalendarOverrides:
    """Read an agency override file (format in the module docstring). A relative ``path`` is
    relative to the working directory: resolve ``Agency.calendar`` against the procedure file's
    folder first. Raises :class:`UsageError` naming the file (and the entry) with a hint."""
    name = os.fspath(path)
    source = f"calendar override file '{name}'"
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_OVERRIDE_BYTES + 1)
    except FileNotFoundError as exc:
        raise FileNotFound(f"{source} not found",
                         hint="agency.calendar is relative to the procedure file; check the "
                              "name and the folder.") from exc
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}",
                         hint="Check that the path is a readable file.") from exc
    if len(raw) > MAX_OVERRIDE_BYTES:
        raise UsageError(f"{source} is larger than {MAX_OVERRIDE_BYTES} bytes",
                         hint="An override file lists a few dates; check the path.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source} is not UTF-8 text ({exc.reason} at byte {exc.start})",
                         hint="Save the file as UTF-8.") from exc
    try:
        # A SafeLoader subclass: plain YAML data only, see _OverrideLoader.
        data = yaml.load(text, Loader=_OverrideLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise UsageError(f"{source}: YAML error{where}: {problem}",
                         hint="Check indentation (spaces only) and that every ':' and '-' is "
                              "followed by a space.") from exc
    except ValueError as exc:  # an explicit !!timestamp that does not exist
        raise UsageError(f"{source}: invalid value: {exc}",
                         hint="Write dates as YYYY-MM-DD without tags.") from exc
    return parse_overrides(data, source)


# --- the calendar ----------------------------------------------------------------------------

def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        if not zoneinfo.available_timezones():
            raise UsageError(
                f"cannot load time zone {name!r}: no time-zone database is installed",
                hint="Install the IANA database: 'pip install tzdata' (or the operating "
                     "system's tzdata package).") from exc
        raise UsageError(f"unknown time zone {name!r}",
                         hint="Use Asia/Jakarta (WIB), Asia/Makassar (WITA) or "
                              "Asia/Jayapura (WIT).") from exc


def _require_aware(moment: object, what: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise UsageError(f"{what} must be a datetime, not {type(moment).__name__}",
                         hint="Pass a timezone-aware datetime.datetime.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UsageError(f"{what} {moment.isoformat()} has no time zone",
                         hint="Pass an aware datetime, e.g. "
                              "datetime(2026, 3, 17, 9, tzinfo=ZoneInfo('Asia/Jakarta')), "
                              "or an ISO time with an offset such as 2026-03-17T09:00+07:00.")
    return moment


def _require_date(day: object) -> dt.date:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise UsageError(f"expected a date, not {day!r}",
                         hint="Pass a datetime.date; for a datetime use local_date(moment).")
    return day


_ENDS_KEPT = 4096


class WorkCalendar:
    """Working days of one agency. Immutable; safe to share between threads."""

    __slots__ = ("_ends", "_language", "_lock", "_national", "_overrides", "_regional",
                 "_removed", "_timezone", "_tz", "_working", "_years")

    _timezone: str
    _tz: zoneinfo.ZoneInfo
    _language: Language
    _overrides: CalendarOverrides
    _regional: Mapping[dt.date, str]
    _removed: frozenset[dt.date]
    _working: frozenset[dt.date]
    _national: dict[int, Mapping[dt.date, str]]
    _years: dict[int, Mapping[dt.date, str]]
    _ends: dict[tuple[dt.date, int], dt.datetime]
    _lock: threading.Lock

    def __init__(self, timezone: str = DEFAULT_TIMEZONE,
                 overrides: CalendarOverrides | None = None, *,
                 language: Language = "en") -> None:
        if language not in _HOLIDAY_LANGUAGE:
            raise UsageError(f"unknown language {language!r}", hint="Use 'en' or 'id'.")
        if overrides is None:
            overrides = CalendarOverrides()
        if not isinstance(overrides, CalendarOverrides):
            raise UsageError(f"overrides must be CalendarOverrides, not {type(overrides)}",
                             hint="Build them with load_overrides() or parse_overrides().")
        init = object.__setattr__
        init(self, "_timezone", timezone)
        init(self, "_tz", _zone(timezone))
        init(self, "_language", language)
        init(self, "_overrides", overrides)
        init(self, "_regional", MappingProxyType({h.date: h.name for h in overrides.holidays}))
        init(self, "_removed", frozenset(r.date for r in overrides.removed))
        init(self, "_working", frozenset(w.date for w in overrides.working))
        # Per-year caches, filled lazily under the lock; never visible as mutable state.
        init(self, "_national", {})
        init(self, "_years", {})
        # (local start date, N) -> the end of the N-th working day after it. Every command
        # that starts a step computes a due date, mostly from today's date: walking the days
        # one by one was an eighth of a command's cost. Bounded; datetimes are immutable. Per
        # calendar, not functools.lru_cache on the method, which would hash the calendar (its
        # overrides) on every call.
        init(self, "_ends", {})
        init(self, "_lock", threading.Lock())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkCalendar is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("WorkCalendar is immutable")

    def __repr__(self) -> str:
        return (f"WorkCalendar(timezone={self._timezone!r}, overrides={self._overrides!r}, "
                f"language={self._language!r})")

    def _key(self) -> tuple[str, CalendarOverrides, str]:
        return (self._timezone, self._overrides, self._language)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    # --- properties ----------------------------------------------------------------------

    @property
    def timezone(self) -> str:
        """IANA name, e.g. ``Asia/Jakarta``."""
        return self._timezone

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return self._tz

    @property
    def overrides(self) -> CalendarOverrides:
        return self._overrides

    @property
    def language(self) -> Language:
        return self._language

    # --- holidays ------------------------------------------------------------------------

    def _national_of(self, year: int) -> Mapping[dt.date, str]:
        """National holidays and cuti bersama of ``year``; call with the lock held."""
        cached: Mapping[dt.date, str] | None = self._national.get(year)
        if cached is None:
            found = holidays.country_holidays(
                "ID", years=year, categories=_CATEGORIES,
                language=_HOLIDAY_LANGUAGE[self._language])
            cached = MappingProxyType({day: str(name) for day, name in sorted(found.items())
                                       if day.year == year})
            self._national[year] = cached
        return cached

    def _holidays_of(self, year: int) -> Mapping[dt.date, str]:
        """Effective holidays of ``year``: national + regional - removed - working."""
        cached: Mapping[dt.date, str] | None = self._years.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._years.get(year)
            if cached is None:
                names = {day: name for day, name in self._national_of(year).items()
                         if day not in self._removed and day not in self._working}
                for day, name in self._regional.items():
                    if day.year == year:
                        names[day] = f"{names[day]}; {name}" if day in names else name
                cached = MappingProxyType(dict(sorted(names.items())))
                self._years[year] = cached
        return cached

    def is_working_day(self, day: dt.date) -> bool:
        """True for a ``working`` override; else Monday to Friday that is not a holiday."""
        day = _require_date(day)
        if day in self._working:
            return True
        if day.weekday() >= 5:
            return False
        return day not in self._holidays_of(day.year)

    def holiday_name(self, day: dt.date) -> str | None:
        """Name of the holiday on ``day`` (national, cuti bersama or regional; also on a
        weekend), or None: a plain day, a ``removed`` date, or a ``working`` override."""
        return self._holidays_of(_require_date(day).year).get(day)

    def holidays_in(self, year: int) -> Mapping[dt.date, str]:
        """Every holiday of ``year`` after overrides (regional added; removed and working
        dates dropped), sorted by date, read-only. Weekends are not listed unless a holiday
        falls on one."""
        return self._holidays_of(year)

    def unmatched_removals(self) -> tuple[dt.date, ...]:
        """``removed`` dates that are not a national holiday or cuti bersama: they change
        nothing and are probably a typo (a validator may warn about them)."""
        out = []
        for day in sorted(self._removed):
            with self._lock:
                national = self._national_of(day.year)
            if day not in national:
                out.append(day)
        return tuple(out)

    # --- days ----------------------------------------------------------------------------

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The calendar date of ``moment`` (aware) in this calendar's time zone."""
        return _require_aware(moment, "moment").astimezone(self._tz).date()

    def start_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(_require_date(day), dt.time.min, tzinfo=self._tz)

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """23:59:59.999999 local time on ``day``: the instant a deadline on ``day`` ends."""
        return dt.datetime.combine(_require_date(day), dt.time.max, tzinfo=self._tz)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself never counts);
        ``count == 0`` returns ``day``."""
        day = _require_date(day)
        if count < 0:
            raise UsageError(f"cannot add {count} working days", hint="Use a count >= 0.")
        try:
            while count:
                day += _ONE_DAY
                if self.is_working_day(day):
                    count -= 1
        except OverflowError as exc:
            raise UsageError("the date runs past year 9999",
                             hint="Check the start and the duration.") from exc
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def _count(self, first_excluded: dt.date, last_included: dt.date) -> int:
        count = 0
        day = first_excluded
        while day < last_included:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    # --- durations -----------------------------------------------------------------------

    def due(self, start: dt.datetime, duration: Duration) -> dt.datetime:
        """When ``duration`` started at ``start`` (aware) runs out, in this time zone.

        hours: ``start + N`` hours; calendar_days: end of local date(start) + N;
        working_days: end of the N-th working day after local date(start)."""
        start = _require_aware(start, "start")
        amount = duration.amount
        unit = DurationUnit(duration.unit)
        if amount < 1:
            raise UsageError(f"duration amount must be at least 1, not {amount}",
                             hint="A deadline is 1 or more hours or days.")
        try:
            if unit is DurationUnit.HOURS:
                return (start.astimezone(dt.UTC) + dt.timedelta(hours=amount)) \
                    .astimezone(self._tz)
            day = self.local_date(start)
            if unit is DurationUnit.CALENDAR_DAYS:
                return self.end_of_day(day + dt.timedelta(days=amount))
            end = self._ends.get((day, amount))
            if end is None:
                end = self.end_of_day(self.add_working_days(day, amount))
                if len(self._ends) >= _ENDS_KEPT:
                    self._ends.clear()
                self._ends[(day, amount)] = end
            return end
        except OverflowError as exc:
            raise UsageError("the due date runs past year 9999",
                             hint="Check the start and the duration.") from exc

    def working_days_between(self, a: dt.datetime, b: dt.datetime) -> int:
        """Working days after ``a``'s local date up to and including ``b``'s (the counting
        of :meth:`due`); negative when ``b``'s date is before ``a``'s."""
        first = self.local_date(_require_aware(a, "a"))
        last = self.local_date(_require_aware(b, "b"))
        if last < first:
            return -self._count(last, first)
        return self._count(first, last)

    def elapsed(self, start: dt.datetime, end: dt.datetime,
                unit: DurationUnit | str) -> float:
        """Time from ``start`` to ``end`` (both aware) in ``unit``; negative if ``end`` is
        earlier (``elapsed(a, b) == -elapsed(b, a)``).

        * hours: exact elapsed hours.
        * calendar_days: exact elapsed hours / 24.
        * working_days: on the clock of :meth:`due`: the start's local day counts 0, every
          working day after it that has fully passed counts 1, and the day ``end`` falls on,
          if it is a working day after the start's, counts the fraction of it that has passed.
          Non-working days count 0. So ``elapsed(start, due(start, N working days))`` is N
          (less a microsecond). Decide a breach with :meth:`due`, not with this measure: after
          a due date on Friday the measure stays at N over the weekend.
        """
        start = _require_aware(start, "start")
        end = _require_aware(end, "end")
        try:
            unit = DurationUnit(unit)
        except ValueError as exc:
            raise UsageError(f"unknown duration unit {unit!r}",
                             hint="Use working_days, calendar_days or hours.") from exc
        if end < start:
            return -self.elapsed(end, start, unit)
        seconds = (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds()
        if unit is DurationUnit.HOURS:
            return seconds / 3600
        if unit is DurationUnit.CALENDAR_DAYS:
            return seconds / 86400
        first = self.local_date(start)
        last = self.local_date(end)
        if last <= first:
            return 0.0
        whole = self._count(first, last - _ONE_DAY)
        if not self.is_working_day(last):
            return float(whole)
        day_start = self.start_of_day(last).astimezone(dt.UTC)
        day_length = (self.start_of_day(last + _ONE_DAY).astimezone(dt.UTC) - day_start)
        passed = end.astimezone(dt.UTC) - day_start
        return whole + passed / day_length


@lru_cache(maxsize=128)
def _calendar_for(timezone: str, overrides: CalendarOverrides,
                  language: Language) -> WorkCalendar:
    return WorkCalendar(timezone, overrides, language=language)


def calendar_for(timezone: str = DEFAULT_TIMEZONE, overrides: CalendarOverrides | None = None,
                 *, language: Language = "en") -> WorkCalendar:
    """The shared calendar for (timezone, overrides, language): equal arguments return the
    same object, so its per-year holiday cache is reused. ``None`` means no overrides."""
    return _calendar_for(timezone, CalendarOverrides() if overrides is None else overrides,
                         language)
