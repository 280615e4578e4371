"""engine.cases.calendar: working days, holidays (national, cuti bersama, regional), due dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cases.calendar import (
    CalendarOverrides,
    OverrideDate,
    OverrideHoliday,
    WorkCalendar,
    calendar_for,
    load_overrides,
    parse_overrides,
)
from engine.errors import UsageError
from engine.procedure.model import Duration, DurationUnit

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def wd(n: int) -> Duration:
    return Duration(amount=n, unit=DurationUnit.WORKING_DAYS)


def end_of(day: dt.date, tz: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=tz)


@pytest.fixture
def cal() -> WorkCalendar:
    return calendar_for("Asia/Jakarta")


def write(tmp_path: Path, text: str, name: str = "kalender.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the national calendar ------------------------------------------------------------------

def test_2026_idul_fitri_and_nyepi_with_cuti_bersama(cal: WorkCalendar) -> None:
    non_working = {dt.date(2026, 3, d) for d in (18, 19, 20, 21, 22, 23, 24)}
    for day in range(16, 28):
        date = dt.date(2026, 3, day)
        assert cal.is_working_day(date) is (date not in non_working), date
    assert cal.holiday_name(dt.date(2026, 3, 21)) == "Eid al-Fitr"
    assert cal.holiday_name(dt.date(2026, 3, 23)) == "Eid al-Fitr Joint Holiday"
    assert cal.holiday_name(dt.date(2026, 3, 18)) == "Day of Silence Joint Holiday"
    assert cal.holiday_name(dt.date(2026, 3, 25)) is None


def test_weekend_is_not_working_but_is_not_a_holiday(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(dt.date(2026, 6, 6))  # Saturday
    assert not cal.is_working_day(dt.date(2026, 6, 7))  # Sunday
    assert cal.holiday_name(dt.date(2026, 6, 6)) is None
    assert cal.is_working_day(dt.date(2026, 6, 8))


def test_holiday_names_in_indonesian() -> None:
    cal = calendar_for("Asia/Jakarta", language="id")
    assert cal.holiday_name(dt.date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"
    assert cal.holiday_name(dt.date(2026, 3, 21)) == "Hari Raya Idul Fitri"


def test_is_working_day_refuses_a_datetime(cal: WorkCalendar) -> None:
    with pytest.raises(UsageError, match="expected a date"):
        cal.is_working_day(dt.datetime(2026, 6, 8, 9, tzinfo=WIB))


# --- working days ---------------------------------------------------------------------------

def test_friday_plus_one_working_day_is_monday(cal: WorkCalendar) -> None:
    friday = dt.datetime(2026, 6, 5, 16, 30, tzinfo=WIB)
    assert cal.due(friday, wd(1)) == end_of(dt.date(2026, 6, 8))


def test_start_day_never_counts_even_at_midnight(cal: WorkCalendar) -> None:
    monday = dt.datetime(2026, 6, 8, 0, 0, tzinfo=WIB)
    assert cal.due(monday, wd(1)) == end_of(dt.date(2026, 6, 9))


def test_opened_on_saturday_counts_from_monday(cal: WorkCalendar) -> None:
    saturday = dt.datetime(2026, 6, 6, 10, tzinfo=WIB)
    assert cal.due(saturday, wd(1)) == end_of(dt.date(2026, 6, 8))


def test_span_across_a_weekend(cal: WorkCalendar) -> None:
    wednesday = dt.datetime(2026, 6, 10, 9, tzinfo=WIB)
    # Thu 11, Fri 12, (Sat 13, Sun 14), Mon 15, Tue 16 is Islamic New Year, Wed 17
    assert cal.due(wednesday, wd(4)) == end_of(dt.date(2026, 6, 17))
    assert cal.working_days_between(wednesday, cal.due(wednesday, wd(4))) == 4


def test_across_nyepi_and_idul_fitri_2026(cal: WorkCalendar) -> None:
    # 18 Nyepi cuti bersama, 19 Nyepi, 20 cuti bersama, 21-22 Idul Fitri (weekend),
    # 23-24 cuti bersama: the first working day after Tue 17 March is Wed 25 March.
    start = dt.datetime(2026, 3, 17, 9, tzinfo=WIB)
    assert cal.due(start, wd(1)) == end_of(dt.date(2026, 3, 25))
    assert cal.due(start, wd(2)) == end_of(dt.date(2026, 3, 26))


def test_due_crosses_the_year_boundary(cal: WorkCalendar) -> None:
    # after Wed 23 Dec: 24 cuti bersama, 25 Christmas, 26-27 weekend, 28 (1), 29 (2), 30 (3),
    # 31 (4), 1 Jan 2027 New Year, 2-3 weekend, Mon 4 Jan 2027 (5)
    start = dt.datetime(2026, 12, 23, 14, tzinfo=WIB)
    due = cal.due(start, wd(5))
    assert due == end_of(dt.date(2027, 1, 4))
    assert cal.holiday_name(dt.date(2027, 1, 1)) == "New Year's Day"
    assert cal.working_days_between(start, due) == 5


def test_due_is_end_of_day_in_agency_timezone(cal: WorkCalendar) -> None:
    due = cal.due(dt.datetime(2026, 6, 8, 9, tzinfo=WIB), wd(1))
    assert (due.year, due.month, due.day, due.hour, due.minute, due.second) == \
        (2026, 6, 9, 23, 59, 59)
    assert due.tzinfo == WIB
    # one microsecond later it is the next local day
    assert (due + dt.timedelta(microseconds=1)).date() == dt.date(2026, 6, 10)


@pytest.mark.parametrize(("zone", "hours"), list(zip(ZONES, (7, 8, 9), strict=True)))
def test_three_timezones(zone: str, hours: int) -> None:
    cal = calendar_for(zone)
    start = dt.datetime(2026, 6, 2, 9, tzinfo=ZoneInfo(zone))
    due = cal.due(start, wd(1))
    assert due.utcoffset() == dt.timedelta(hours=hours)
    assert due.replace(tzinfo=None) == dt.datetime.combine(dt.date(2026, 6, 3), dt.time.max)


def test_local_date_decides_the_start_day() -> None:
    # 16:30 UTC on Tue 2 June is 23:30 WIB the same day but 01:30 WIT on Wed 3 June.
    start = dt.datetime(2026, 6, 2, 16, 30, tzinfo=dt.UTC)
    assert calendar_for("Asia/Jakarta").due(start, wd(1)) == end_of(dt.date(2026, 6, 3), WIB)
    assert calendar_for("Asia/Makassar").due(start, wd(1)) == end_of(dt.date(2026, 6, 4), WITA)
    assert calendar_for("Asia/Jayapura").due(start, wd(1)) == end_of(dt.date(2026, 6, 4), WIT)


# --- other units ----------------------------------------------------------------------------

def test_calendar_days_ignore_holidays(cal: WorkCalendar) -> None:
    start = dt.datetime(2026, 3, 17, 9, tzinfo=WIB)
    due = cal.due(start, Duration(amount=3, unit=DurationUnit.CALENDAR_DAYS))
    assert due == end_of(dt.date(2026, 3, 20))


def test_hours_are_exact_and_returned_in_agency_timezone() -> None:
    cal = calendar_for("Asia/Makassar")
    start = dt.datetime(2026, 3, 18, 15, 0, tzinfo=dt.UTC)  # 23:00 WITA, a holiday
    due = cal.due(start, Duration(amount=5, unit=DurationUnit.HOURS))
    assert due == dt.datetime(2026, 3, 19, 4, 0, tzinfo=WITA)
    assert due.tzinfo == WITA


def test_elapsed(cal: WorkCalendar) -> None:
    start = dt.datetime(2026, 6, 5, 9, tzinfo=WIB)  # Friday
    monday_noon = dt.datetime(2026, 6, 8, 12, tzinfo=WIB)
    assert cal.elapsed(start, monday_noon, DurationUnit.HOURS) == 75.0
    assert cal.elapsed(start, monday_noon, "calendar_days") == 3.125
    # Friday (start) counts 0, the weekend 0, Monday half gone
    assert cal.elapsed(start, monday_noon, DurationUnit.WORKING_DAYS) == 0.5
    assert cal.elapsed(monday_noon, start, DurationUnit.WORKING_DAYS) == -0.5
    due = cal.due(start, wd(3))
    assert cal.elapsed(start, due, DurationUnit.WORKING_DAYS) == pytest.approx(3.0)
    with pytest.raises(UsageError, match="unit"):
        cal.elapsed(start, monday_noon, "weeks")


def test_working_days_between_is_antisymmetric(cal: WorkCalendar) -> None:
    a = dt.datetime(2026, 3, 17, 9, tzinfo=WIB)
    b = dt.datetime(2026, 3, 27, 9, tzinfo=WIB)
    assert cal.working_days_between(a, b) == 3  # 25, 26, 27
    assert cal.working_days_between(b, a) == -3
    assert cal.working_days_between(a, a) == 0


def test_naive_datetimes_are_refused(cal: WorkCalendar) -> None:
    naive = dt.datetime(2026, 3, 17, 9)
    aware = naive.replace(tzinfo=WIB)
    with pytest.raises(UsageError, match="no time zone") as info:
        cal.due(naive, wd(1))
    assert info.value.hint
    with pytest.raises(UsageError, match="no time zone"):
        cal.working_days_between(aware, naive)
    with pytest.raises(UsageError, match="no time zone"):
        cal.elapsed(naive, aware, DurationUnit.HOURS)


def test_unknown_timezone_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Mars/Olympus"):
        WorkCalendar("Mars/Olympus")


# --- overrides ------------------------------------------------------------------------------

OVERRIDES = """\
# regional holidays and amendments for one agency
version: "2026.1"
holidays:
  - {date: 2026-07-01, name: "Hari Jadi Kota Pasuruan"}
removed:
  - {date: "2026-12-24", reason: "SKB 3 Menteri revisi"}
working:   # a Saturday made a working day
  - {date: 2026-03-28, reason: "pengganti"}
"""


def test_load_overrides(tmp_path: Path) -> None:
    overrides = load_overrides(write(tmp_path, OVERRIDES))
    assert overrides == CalendarOverrides(
        holidays=(OverrideHoliday(dt.date(2026, 7, 1), "Hari Jadi Kota Pasuruan"),),
        removed=(OverrideDate(dt.date(2026, 12, 24), "SKB 3 Menteri revisi"),),
        working=(OverrideDate(dt.date(2026, 3, 28), "pengganti"),),
        version="2026.1")
    assert hash(overrides) == hash(load_overrides(write(tmp_path, OVERRIDES, "again.yaml")))


def test_empty_override_file_means_no_overrides(tmp_path: Path) -> None:
    assert load_overrides(write(tmp_path, "# nothing yet\n")).is_empty


def test_regional_holiday_pushes_the_due_date(tmp_path: Path) -> None:
    start = dt.datetime(2026, 6, 30, 9, tzinfo=WIB)  # Tuesday
    assert calendar_for("Asia/Jakarta").due(start, wd(1)) == end_of(dt.date(2026, 7, 1))
    cal = calendar_for("Asia/Jakarta", load_overrides(write(tmp_path, OVERRIDES)))
    assert not cal.is_working_day(dt.date(2026, 7, 1))
    assert cal.holiday_name(dt.date(2026, 7, 1)) == "Hari Jadi Kota Pasuruan"
    assert cal.due(start, wd(1)) == end_of(dt.date(2026, 7, 2))


def test_removed_cuti_bersama_pulls_the_due_date_back(tmp_path: Path) -> None:
    start = dt.datetime(2026, 12, 23, 9, tzinfo=WIB)
    assert calendar_for("Asia/Jakarta").due(start, wd(1)) == end_of(dt.date(2026, 12, 28))
    cal = calendar_for("Asia/Jakarta", load_overrides(write(tmp_path, OVERRIDES)))
    assert cal.is_working_day(dt.date(2026, 12, 24))
    assert cal.holiday_name(dt.date(2026, 12, 24)) is None
    assert cal.due(start, wd(1)) == end_of(dt.date(2026, 12, 24))
    assert cal.unmatched_removals() == ()


def test_extra_working_saturday_counts(tmp_path: Path) -> None:
    friday = dt.datetime(2026, 3, 27, 9, tzinfo=WIB)
    assert calendar_for("Asia/Jakarta").due(friday, wd(1)) == end_of(dt.date(2026, 3, 30))
    cal = calendar_for("Asia/Jakarta", load_overrides(write(tmp_path, OVERRIDES)))
    assert cal.is_working_day(dt.date(2026, 3, 28))
    assert cal.due(friday, wd(1)) == end_of(dt.date(2026, 3, 28))
    assert cal.due(friday, wd(2)) == end_of(dt.date(2026, 3, 30))


def test_working_override_wins_over_a_national_holiday() -> None:
    overrides = CalendarOverrides(working=(OverrideDate(dt.date(2026, 3, 23), "piket"),))
    cal = WorkCalendar("Asia/Jakarta", overrides)
    assert cal.is_working_day(dt.date(2026, 3, 23))
    assert cal.holiday_name(dt.date(2026, 3, 23)) is None
    assert cal.due(dt.datetime(2026, 3, 17, 9, tzinfo=WIB), wd(1)) == end_of(dt.date(2026, 3, 23))
    # holidays_in lists what still closes the office
    assert dt.date(2026, 3, 24) in cal.holidays_in(2026)
    assert dt.date(2026, 3, 23) not in cal.holidays_in(2026)


def test_removing_a_plain_day_is_reported_as_unmatched() -> None:
    overrides = CalendarOverrides(removed=(OverrideDate(dt.date(2026, 12, 23)),))
    assert WorkCalendar("Asia/Jakarta", overrides).unmatched_removals() == (dt.date(2026, 12, 23),)


def test_calendar_for_reuses_one_object_per_key(tmp_path: Path) -> None:
    assert calendar_for("Asia/Jakarta") is calendar_for("Asia/Jakarta", None)
    assert calendar_for("Asia/Jakarta") is calendar_for("Asia/Jakarta", CalendarOverrides())
    assert calendar_for("Asia/Jakarta") is not calendar_for("Asia/Makassar")
    first = calendar_for("Asia/Jakarta", load_overrides(write(tmp_path, OVERRIDES, "a.yaml")))
    second = calendar_for("Asia/Jakarta", load_overrides(write(tmp_path, OVERRIDES, "b.yaml")))
    assert first is second
    assert first is not calendar_for("Asia/Jakarta")


def test_calendar_is_immutable(cal: WorkCalendar) -> None:
    with pytest.raises(AttributeError):
        cal._tz = WIT
    with pytest.raises(AttributeError):
        cal.timezone = "Asia/Jayapura"  # type: ignore[misc]


def test_overrides_are_order_independent() -> None:
    a, b = OverrideDate(dt.date(2026, 3, 28)), OverrideDate(dt.date(2026, 4, 4))
    assert CalendarOverrides(working=(a, b)) == CalendarOverrides(working=(b, a))


def test_parse_overrides_accepts_dates_and_strings() -> None:
    data = {"holidays": [{"date": dt.date(2026, 7, 1), "name": "A"},
                         {"date": "2026-7-2", "name": "B"}]}
    overrides = parse_overrides(data)
    assert [h.date for h in overrides.holidays] == [dt.date(2026, 7, 1), dt.date(2026, 7, 2)]


@pytest.mark.parametrize(("text", "expected"), [
    ("holidays:\n  - {date: 2026-02-30, name: X}\n",
     ":2:12: error D002 '2026-02-30' is not a date that exists (YYYY-MM-DD) (at holidays[0].date)"),
    ("holidays:\n  - {date: 1 Juli 2026, name: X}\n", ":2:12: error D002 '1 Juli 2026' is not"),
    ("holidays:\n  - {date: 2026-07-01 10:00:00, name: X}\n", ":2:12: error D002 '2026-07-01 10"),
    ("holidays:\n  - {date: 2026-07-01}\n",
     ":2:5: error S002 missing required key 'name' (at holidays[0])"),
    ("removed:\n  - {reason: x}\n", ":2:5: error S002 missing required key 'date'"),
    ("working:\n  - 2026-03-28\n", ":2:5: error S003 expected a mapping, found text"),
    ("working:\n  - {date: 2026-03-28, nama: x}\n",
     ":2:24: error S001 unknown key 'nama' (at working[0].nama)"),
    ("holidays: {date: 2026-07-01, name: X}\n", ":1:11: error S003 expected a list, found a map"),
    ("- {date: 2026-07-01}\n", ":1:1: error Y008 the file must hold one mapping"),
    ("libur: []\n", ":1:1: error S001 unknown key 'libur'"),
    ("version: 2026.1\n", ":1:10: error S003 expected text, found a number (at version)"),
    ("holidays:\n  - {date: 2026-07-01, name: X}\nremoved:\n  - {date: 2026-07-01}\n",
     ":4:12: error D003 date 2026-07-01 is already listed at line 2 (holidays[0])"),
    ("holidays:\n  - {date: 2026-07-01, name: [X]}\n", ":2:30: error S003 expected text, found a"),
    ("holidays:\n  - {date: 2026-07-01, name: X\n", ":3:1: error Y001 YAML syntax error"),
    ("x: !!python/object:os.system {}\n", ":1:4: error Y007 tag '!!python/object:os.system'"),
    ("holidays:\n  - {date: 2026-07-01, name: X, name: Y}\n",
     ":2:33: error Y002 duplicate key 'name' (first at line 2)"),
])
def test_bad_override_file(tmp_path: Path, text: str, expected: str) -> None:
    """Every problem is one located line under the file's name, with a hint."""
    path = write(tmp_path, text, "pasuruan-kalender.yaml")
    with pytest.raises(UsageError) as info:
        load_overrides(path)
    assert info.value.message.startswith(f"calendar override file {path}: 1 problem(s)")
    assert f"\n{path}{expected}" in info.value.message
    assert info.value.hint


def test_parse_overrides_checks_loaded_data_with_the_same_model() -> None:
    data = {"holidays": [{"date": dt.date(2026, 7, 1), "name": "A"}],
            "working": [{"date": "2026-07-01"}, {"date": "2026-13-01"}]}
    with pytest.raises(UsageError) as info:
        parse_overrides(data, "agency settings")
    assert info.value.message == ("agency settings: working[1].date: '2026-13-01' is not a date "
                                  "that exists (YYYY-MM-DD)")
    with pytest.raises(UsageError, match=r"working\[0\]\.date: date 2026-07-01 is already listed"):
        parse_overrides({**data, "working": [{"date": "2026-07-01"}]})


def test_override_problems_in_indonesian(tmp_path: Path) -> None:
    path = write(tmp_path, "holidays:\n  - {date: 2026-02-30, name: X}\n")
    with pytest.raises(UsageError) as info:
        load_overrides(path, lang="id")
    assert f"{path}:2:12: galat D002 '2026-02-30' bukan tanggal yang ada" in info.value.message
    assert "docs/calendar.md" in info.value.hint


def test_missing_override_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"tidak-ada\.yaml.* not found") as info:
        load_overrides(tmp_path / "tidak-ada.yaml")
    assert "relative to the procedure file" in info.value.hint


# --- property -------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2031, 12, 31),
                       timezones=st.sampled_from([WIB, WITA, WIT, dt.UTC])),
    zone=st.sampled_from(ZONES),
    n=st.integers(min_value=1, max_value=30),
)
def test_due_property(start: dt.datetime, zone: str, n: int) -> None:
    cal = calendar_for(zone)
    due = cal.due(start, wd(n))
    first, last = cal.local_date(start), due.date()
    assert due.tzinfo == ZoneInfo(zone)
    assert due > start
    assert cal.is_working_day(last)
    between = sum(cal.is_working_day(first + dt.timedelta(days=i))
                  for i in range(1, (last - first).days))
    assert between == n - 1
    assert cal.working_days_between(start, due) == n
