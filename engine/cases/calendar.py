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
* ``months``: the end of the local day ``date(start) + N`` calendar months, the same day of the
  month, or the month's last day when it has no such day ("3 bulan" from 30 November ends on
  the last day of February). Holidays and weekends count, as for calendar days.
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
twice, a duplicated key, or one date in two lists are errors. The file is read by alur's one
hardened reader into the model of :mod:`engine.cases.calendar_file`; problems raise
:class:`~engine.errors.UsageError` listing each as ``file:line:col`` with a hint, and
``alur validate FILE`` reports them without loading anything.

Reports
-------
:meth:`WorkCalendar.working_days_between` counts the working days after ``a``'s local date up to
and including ``b``'s, so ``working_days_between(start, due(start, N working days)) == N``.
:meth:`WorkCalendar.elapsed` measures time used in a unit; see its docstring.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import threading
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

import holidays

from engine.cases.calendar_file import OverridesFile, check_overrides_file, dates_once
from engine.errors import FileNotFound, UsageError
from engine.messages import default_lang, text
from engine.procedure.formats import validate_data
from engine.procedure.model import Duration, DurationUnit
from engine.procedure.source import MAX_BYTES

__all__ = [
    "DEFAULT_TIMEZONE",
    "MAX_OVERRIDE_BYTES",
    "TIMEZONE_ABBREVIATIONS",
    "CalendarOverrides",
    "OverrideDate",
    "OverrideHoliday",
    "WorkCalendar",
    "add_months",
    "calendar_for",
    "load_overrides",
    "parse_overrides",
]

DEFAULT_TIMEZONE = "Asia/Jakarta"
TIMEZONE_ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"})
_OVERRIDES = "cal_overrides"  # the term that names overrides not read from a file
MAX_OVERRIDE_BYTES = MAX_BYTES  # an override file is a few hundred bytes; read by the one reader

Language = Literal["en", "id"]
_HOLIDAY_LANGUAGE: Mapping[str, str] = MappingProxyType({"en": "en_US", "id": "id"})
_CATEGORIES = ("public", "government")  # government = cuti bersama
_ONE_DAY = dt.timedelta(days=1)



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
                    raise UsageError.of("err.cal.not_a_date_value", None, source=_OVERRIDES,
                                        at=f": {section}[{index}]", value=repr(day))
                label = f"{section}[{index}] ({day.isoformat()})"
                if day in seen:
                    raise UsageError.of("err.cal.listed_twice", None, source=_OVERRIDES,
                                        at=f": {label}", first=seen[day])
                seen[day] = label
        for name in ("holidays", "removed", "working"):
            entries = getattr(self, name)
            object.__setattr__(self, name, tuple(sorted(entries, key=lambda e: e.date)))

    @property
    def is_empty(self) -> bool:
        return not (self.holidays or self.removed or self.working)


def _overrides(model: OverridesFile) -> CalendarOverrides:
    return CalendarOverrides(
        holidays=tuple(OverrideHoliday(e.date, e.name) for e in model.holidays or ()),
        removed=tuple(OverrideDate(e.date, e.reason) for e in model.removed or ()),
        working=tuple(OverrideDate(e.date, e.reason) for e in model.working or ()),
        version=model.version)


def parse_overrides(data: object, source: str = "calendar overrides") -> CalendarOverrides:
    """Overrides from already-loaded data (the file format in the module docstring): the same
    model as :func:`load_overrides`, so the same checks. Dates may be ``datetime.date`` values or
    ``YYYY-MM-DD`` strings. Raises :class:`UsageError` naming ``source`` and each entry."""
    if data is None:
        return CalendarOverrides()
    read = validate_data(data, OverridesFile, name=source, lang=default_lang(),
                         checks=[dates_once])
    if read.model is None:
        lines = "\n".join(f"{source}: {d.path or '(top)'}: {d.message}" for d in read.errors)
        raise UsageError(lines, hint=read.errors[0].hint)
    return _overrides(read.model)


def load_overrides(path: str | os.PathLike[str], lang: str | None = None) -> CalendarOverrides:
    """Read an agency override file (format in the module docstring). A relative ``path`` is
    relative to the working directory: resolve ``Agency.calendar`` against the procedure file's
    folder first. Raises :class:`UsageError` listing every problem as ``file:line:col`` (a
    duplicated key, a date that does not exist, a date listed twice) with a hint."""
    name = os.fspath(path)
    language = lang or default_lang()
    if not os.path.exists(name):
        raise FileNotFound.of("err.cal.file_missing", None, source=f"cal_file={name}")
    read = check_overrides_file(name, lang=language)
    if read.model is None:
        message, hint = text("err.overrides_problems", language, file=name,
                             count=len(read.errors))
        raise UsageError(f"{message}\n{read.listing(language)}", hint=hint)
    return _overrides(read.model)


# --- the calendar ----------------------------------------------------------------------------

def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        if not zoneinfo.available_timezones():
            raise UsageError.of("err.cal.no_tzdata", None, zone=repr(name)) from exc
        raise UsageError.of("err.cal.zone", None, zone=repr(name)) from exc


def _require_aware(moment: object, what: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise UsageError.of("err.cal.not_datetime", None, what=what, type=type(moment).__name__)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UsageError.of("err.cal.naive", None, what=what, value=moment.isoformat())
    return moment


def _require_date(day: object) -> dt.date:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise UsageError.of("err.cal.expected_date", None, value=repr(day))
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
            raise UsageError.of("err.cal.language", None, value=repr(language))
        if overrides is None:
            overrides = CalendarOverrides()
        if not isinstance(overrides, CalendarOverrides):
            raise UsageError.of("err.cal.overrides_type", None, type=type(overrides))
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
            raise UsageError.of("err.cal.negative_days", None, count=count)
        try:
            while count:
                day += _ONE_DAY
                if self.is_working_day(day):
                    count -= 1
        except OverflowError as exc:
            raise _out_of_range(day, "err.date_past_9999") from exc
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

        minutes, hours: ``start + N`` minutes or hours; calendar_days: end of local date(start) + N;
        months: end of local date(start) + N months (the month's last day at most);
        working_days: end of the N-th working day after local date(start)."""
        start = _require_aware(start, "start")
        amount = duration.amount
        unit = DurationUnit(duration.unit)
        if amount < 1:
            raise UsageError.of("err.cal.amount", None, amount=amount)
        try:
            if unit is DurationUnit.HOURS:
                return (start.astimezone(dt.UTC) + dt.timedelta(hours=amount)) \
                    .astimezone(self._tz)
            if unit is DurationUnit.MINUTES:  # kept in the source's unit, counted here
                return (start.astimezone(dt.UTC) + dt.timedelta(minutes=amount)) \
                    .astimezone(self._tz)
            day = self.local_date(start)
            if unit is DurationUnit.CALENDAR_DAYS:
                return self.end_of_day(day + dt.timedelta(days=amount))
            if unit is DurationUnit.MONTHS:  # kept in the source's unit, counted on the calendar
                return self.end_of_day(add_months(day, amount))
            end = self._ends.get((day, amount))
            if end is None:
                end = self.end_of_day(self.add_working_days(day, amount))
                if len(self._ends) >= _ENDS_KEPT:
                    self._ends.clear()
                self._ends[(day, amount)] = end
            return end
        except OverflowError as exc:
            # a start in year 1 overflows when turned to UTC or the local zone: not "past 9999"
            early = start.year <= 1
            raise _out_of_range(start, "err.date_before_year_1" if early
                                else "err.due_past_9999") from exc

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
        * months: whole months on the clock of :meth:`due` (from the end of the start's local
          day), and the passed fraction of the month that is running.
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
            raise UsageError.of("err.cal.unit", None, unit=repr(unit)) from exc
        if end < start:
            return -self.elapsed(end, start, unit)
        seconds = (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds()
        if unit is DurationUnit.HOURS:
            return seconds / 3600
        if unit is DurationUnit.MINUTES:
            return seconds / 60
        if unit is DurationUnit.CALENDAR_DAYS:
            return seconds / 86400
        if unit is DurationUnit.MONTHS:
            return self._months(start, end)
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


    def _months(self, start: dt.datetime, end: dt.datetime) -> float:
        """Months from ``start`` to ``end`` (``end`` not earlier), counted as :meth:`due`
        counts them: ``elapsed(start, due(start, N months))`` is N (less a microsecond)."""
        day = self.local_date(start)
        whole = 0
        while self.end_of_day(add_months(day, whole + 1)) <= end:
            whole += 1
        lower = start if whole == 0 else self.end_of_day(add_months(day, whole))
        upper = self.end_of_day(add_months(day, whole + 1))
        return whole + (end - lower) / (upper - lower)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on: the same day of the month, or the last
    day of the month that has no such day (31 January + 1 month: 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError("date value out of range")  # as date + timedelta raises
    return day.replace(year=year, month=month + 1,
                       day=min(day.day, calendar.monthrange(year, month + 1)[1]))


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


def _out_of_range(moment: dt.date, code: str) -> UsageError:
    """The error for a date the calendar cannot reach (before year 1 or after 9999), in the
    language of ``$ALUR_LANG``."""
    return UsageError.of(code, None, date=moment.isoformat())
