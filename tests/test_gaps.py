"""Gaps found by encoding real SPs from their documents alone (tests/fixtures/encoded): months as
a unit, a recurring step without a period or ending after a duration, a product naming several
documents, a time limit tied to an outside event, a product handed over outside the steps, and
the wording of what alur prints about them. Each runs from the file to the runtime."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from runtime_support import MINIMAL, Clock, attachment, wib

from engine.api import Engine
from engine.cases.calendar import add_months, calendar_for
from engine.procedure.model import Duration, DurationUnit
from engine.procedure.validate import load_procedure

JAKARTA = calendar_for("Asia/Jakarta")


def _procedure(tmp_path: Path, *changes: tuple[str, str], name: str = "prosedur.yaml") -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


LIMIT = "  amount: 3\n  unit: working_days\n  source_text: \"3 Hari\"\n"


# --- 1. months ---------------------------------------------------------------------------------

def test_a_month_ends_on_the_same_day_or_the_month_s_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 3, 15), 12) == dt.date(2027, 3, 15)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(1, 120), st.integers(1, 120))
def test_months_add_up_and_never_lose_a_month(day: dt.date, a: int, b: int) -> None:
    moved = add_months(day, a)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == a
    clamped = moved.day < day.day and (moved + dt.timedelta(days=1)).month != moved.month
    assert moved.day == day.day or clamped  # else clamped to the month's last day
    # adding in two goes never ends later than in one (clamping only ever shortens)
    assert add_months(add_months(day, a), b) <= add_months(day, a + b)


@given(st.datetimes(min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2080, 1, 1)),
       st.integers(1, 36))
def test_a_months_limit_is_due_at_the_end_of_its_day_and_measures_as_many_months(
        start: dt.datetime, months: int) -> None:
    begin = start.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    due = JAKARTA.due(begin, Duration(amount=months, unit=DurationUnit.MONTHS))
    assert due.date() == add_months(begin.date(), months)
    assert due.time() == dt.time.max
    assert abs(JAKARTA.elapsed(begin, due, DurationUnit.MONTHS) - months) < 1e-6
    half = begin + (due - begin) / 2
    assert 0 < JAKARTA.elapsed(begin, half, "months") < months


def test_a_case_of_three_months_is_due_three_calendar_months_later(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    proc = _procedure(tmp_path, (LIMIT, "  amount: 3\n  unit: months\n"
                                        "  source_text: \"3 bulan\"\n"))
    assert load_procedure(proc).time_limit.unit is DurationUnit.MONTHS
    clock.set(wib(2026, 11, 30, 9))
    opened = engine.open_case(proc, user="adi", role="petugas", documents=(attachment("ktp"),))
    due = dt.datetime.fromisoformat(opened.case.due_at or "")
    assert due.date() == dt.date(2027, 2, 28)


def test_the_importer_keeps_bulan_as_months() -> None:
    from engine.authoring.importer import _unit

    assert _unit("bulan") == (1, "months", True)
    assert _unit("months") == (1, "months", True)


def test_the_importer_keeps_three_bulan_as_three_months() -> None:
    import yaml

    from engine.authoring.importer import draft_procedure

    sp = Path(__file__).resolve().parent.parent / "examples" / "sp" / "konseling_psikologis.txt"
    source = sp.read_text(encoding="utf-8")
    old = "3 (tiga) hari kerja sejak persyaratan lengkap"
    assert old in source
    draft = draft_procedure(source.replace(old, "3 (tiga) bulan sejak persyaratan lengkap"),
                            lang="id")
    limit = yaml.safe_load(draft.yaml)["time_limit"]
    assert (limit["amount"], limit["unit"]) == (3, "months")


# --- 2. a recurring step without a period, and one that lasts a duration -----------------------

BERULANG = MINIMAL.parent / "berulang.yaml"
EVERY_DAY = "      every: {amount: 1, unit: calendar_days}\n      until_step: terbit\n"


def _recurring(tmp_path: Path, repeat: str) -> str:
    text = BERULANG.read_text(encoding="utf-8")
    assert EVERY_DAY in text
    path = tmp_path / "berulang.yaml"
    path.write_text(text.replace(EVERY_DAY, repeat, 1), encoding="utf-8")
    return str(path)


def _at_monitoring(engine: Engine, clock: Clock, proc: str) -> str:
    from engine.cases.commands import CompleteStep

    clock.set(wib(2026, 6, 1, 9))
    case_id = engine.open_case(proc, user="ani", role="petugas",
                               documents=(attachment("ktp"),)).case.case_id
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terima"))
    engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id, step="putus",
                                outcome="setuju"))
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="pantau"))
    return case_id


def _report(engine: Engine, case_id: str) -> list[str]:
    from engine.cases.commands import CompleteStep

    result = engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id,
                                         step="pantau", note="sesi pemulihan"))
    # the case's own limit (3 working days) runs out meanwhile: not what these tests are about
    return [e.type for e in result.events if e.payload.get("target") != "case"]


def test_a_recurring_step_without_a_period_is_reported_whenever_and_never_late(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    from engine.cases.commands import CheckDeadlines, CompleteStep

    proc = _recurring(tmp_path, "      until_step: terbit\n")
    case_id = _at_monitoring(engine, clock, proc)
    state = engine.case(case_id)
    assert state.current_step == "terbit" and state.obligations["pantau"]["due_at"] is None
    clock.set(wib(2026, 7, 20, 9))  # seven weeks without a report: nothing is owed
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    assert _report(engine, case_id) == ["obligation_reported"]
    state = engine.case(case_id)
    assert [b for b in state.breaches if b["target"] != "case"] == []  # the case's own limit
    assert state.obligations["pantau"]["reports"] == 2
    assert not [i for i in engine.due() if i.case_id == case_id and i.target.startswith("rep")]
    done = engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id,
                                       step="terbit"))
    assert "obligation_ended" in [e.type for e in done.events]
    assert engine.verify(case_id) == []


def test_a_recurring_step_that_lasts_three_months_ends_by_itself(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    from engine.analysis.audit.conformance import conform_case
    from engine.cases.commands import CheckDeadlines

    proc = _recurring(tmp_path, "      every: {amount: 14, unit: calendar_days}\n"
                                "      lasts: {amount: 3, unit: months}\n")
    case_id = _at_monitoring(engine, clock, proc)  # first visit on 1 June
    running = engine.case(case_id).obligations["pantau"]
    assert running["ends_at"].startswith("2026-09-01")
    assert running["due_at"].startswith("2026-06-15")
    for day in (14, 28):  # visits in June, July and August, each within 14 days
        clock.set(wib(2026, 6, day, 10))
        assert _report(engine, case_id) == ["obligation_reported"]
    for month, day in ((7, 10), (7, 24), (8, 7), (8, 21)):
        clock.set(wib(2026, month, day, 10))
        assert _report(engine, case_id) == ["obligation_reported"]
    # the next visit would fall due on 4 September, after the 3 months: none is owed
    assert engine.case(case_id).obligations["pantau"]["due_at"] is None
    clock.set(wib(2026, 9, 20, 9))
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    state = engine.case(case_id)
    assert state.obligations["pantau"]["ended_at"] is not None
    assert [b for b in state.breaches if b["target"] != "case"] == []
    assert state.current_step == "terbit"
    from engine.errors import CommandRefused
    with pytest.raises(CommandRefused):  # over: a report is no longer taken
        _report(engine, case_id)
    assert conform_case(engine.events(case_id), engine.context).deviations == []


def test_a_visit_missed_within_the_period_is_still_a_breach(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    proc = _recurring(tmp_path, "      every: {amount: 14, unit: calendar_days}\n"
                                "      lasts: {amount: 3, unit: months}\n")
    case_id = _at_monitoring(engine, clock, proc)
    clock.set(wib(2026, 6, 20, 9))
    _report(engine, case_id)  # 19 days after the first visit: late
    assert "repeat:pantau" in [b["target"] for b in engine.case(case_id).breaches]


@pytest.mark.parametrize(("repeat", "code"), [
    ("      every: {amount: 1, unit: calendar_days}\n", "R025"),
    ("      until_step: terbit\n      lasts: {amount: 3, unit: months}\n", "R025"),
])
def test_a_recurring_step_needs_exactly_one_end(tmp_path: Path, repeat: str, code: str) -> None:
    from engine.procedure.validate import check_path

    checked = check_path(_recurring(tmp_path, repeat))
    assert [d.code for d in checked.diagnostics] == [code]
    assert checked.diagnostics[0].line == 46  # at the step's repeat mapping


def test_show_says_how_a_step_recurs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main

    runner = CliRunner()
    open_ = runner.invoke(main, ["show", _recurring(tmp_path, "      until_step: terbit\n")])
    assert "reported whenever it happens (the source gives no period: never late) until step " \
           "terbit completes" in open_.output
    lasting = _recurring(tmp_path, "      every: {amount: 14, unit: calendar_days}\n"
                                   "      lasts: {amount: 3, unit: months}\n")
    shown = runner.invoke(main, ["--lang", "id", "show", lasting])
    assert "dilaporkan lagi paling lambat setiap 14 hari kalender selama 3 bulan sejak " \
           "penyelesaian pertamanya" in shown.output
    graph = runner.invoke(main, ["graph", lasting, "--format", "mermaid"])
    assert "repeats every 14 calendar days, for 3 months" in graph.output
