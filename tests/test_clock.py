"""Issue 16, time: a command dated in the future is refused instead of wedging its case.

Before: ``alur due --now 2027-06-01…`` recorded breaches dated in the future, and
``case fact … --at 9000-01-01…`` a fact; afterwards every command at the real time, ``terminate``
included, was refused as ``guard.out_of_order``. Now a time later than the clock plus a tolerance
is refused (``guard.future``), and ``due --now`` is a preview unless ``--record`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from runtime_support import Clock, open_sapa, wib

from cli import main
from engine.api import Engine
from engine.cases.commands import SetFact, Terminate
from engine.clock import DEFAULT_TOLERANCE, TOLERANCE_ENV, tolerance
from engine.errors import CommandRefused, UsageError
from engine.localtime import local_time

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def strict(make_engine: Callable[..., Engine]) -> Engine:
    """An engine with the default tolerance (conftest.py allows years)."""
    return make_engine(clock_tolerance=DEFAULT_TOLERANCE)


def test_a_future_at_is_refused_and_the_case_goes_on(strict: Engine, clock: Clock) -> None:
    case_id = open_sapa(strict).case.case_id
    before = len(strict.events(case_id))
    with pytest.raises(CommandRefused) as refused:
        strict.execute(SetFact(user="ani", role="pelapor", case_id=case_id,
                               name="contacted_sapa", value=True,
                               at="9000-01-01T00:00:00+07:00"))
    assert refused.value.rule == "guard.future" and "ALUR_CLOCK_TOLERANCE" in refused.value.hint
    assert len(strict.events(case_id)) == before  # nothing appended
    clock.advance(minutes=1)
    closed = strict.execute(Terminate(user="ani", role="admin", case_id=case_id,
                                      reason="test", at=None))
    assert closed.case.status == "terminated" and len(strict.events(case_id)) > before


def test_the_tolerance_allows_clocks_a_little_apart(strict: Engine, clock: Clock) -> None:
    assert strict.clock_tolerance == DEFAULT_TOLERANCE == timedelta(minutes=5)
    case_id = open_sapa(strict, at=(clock() + timedelta(minutes=4)).isoformat()).case.case_id
    with pytest.raises(CommandRefused, match="later than the clock"):
        strict.execute(SetFact(user="ani", role="pelapor", case_id=case_id,
                               name="contacted_sapa", value=True,
                               at=(clock() + timedelta(minutes=6)).isoformat()))
    # a time without offset is taken in the agency's zone (WIB) before it is compared
    with pytest.raises(CommandRefused, match="later than the clock"):
        open_sapa(strict, at="2026-03-02T09:06:00")
    assert open_sapa(strict, at="2026-03-02T09:04:00").case.status == "active"


def test_opening_in_the_future_is_refused_and_audited(strict: Engine) -> None:
    with pytest.raises(CommandRefused) as refused:
        open_sapa(strict, at="2027-06-01T09:00:00+07:00")
    assert refused.value.rule == "guard.future"
    assert any(r.rule == "guard.future" for r in strict.store.audit_records())


def test_tolerance_from_argument_and_environment(make_engine: Callable[..., Engine],
                                                 clock: Clock,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOLERANCE_ENV)
    assert tolerance() == DEFAULT_TOLERANCE
    exact = make_engine(clock_tolerance=0)
    with pytest.raises(CommandRefused):
        open_sapa(exact, at=(clock() + timedelta(seconds=1)).isoformat())
    monkeypatch.setenv(TOLERANCE_ENV, "3600")
    assert tolerance() == timedelta(hours=1)
    assert make_engine(clock_tolerance=None).clock_tolerance == timedelta(hours=1)
    for bad in ("soon", "-5", "nan", str(10**12), "1e300"):
        monkeypatch.setenv(TOLERANCE_ENV, bad)
        with pytest.raises(UsageError, match="clock tolerance"):
            tolerance()
    with pytest.raises(UsageError):
        tolerance(timedelta(seconds=-1))


def test_check_deadlines_in_the_future_is_refused_due_previews(strict: Engine,
                                                                clock: Clock) -> None:
    case_id = open_sapa(strict).case.case_id
    later = wib(2027, 6, 1)
    with pytest.raises(CommandRefused, match="later than the clock"):
        strict.check_deadlines(later)
    assert [i.breached for i in strict.due(later)] == [True] * len(strict.due(later))
    assert all(i.timezone == "Asia/Jakarta" for i in strict.due(later))
    assert not strict.case(case_id).breaches  # the preview recorded nothing
    clock.set(later)
    assert strict.check_deadlines() and strict.case(case_id).breaches


# --- the CLI, on the wall clock -----------------------------------------------------------------

@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ALUR_PROCEDURES", str(ROOT / "procedures"))
    for name in ("ALUR_LANG", "ALUR_DB", "ALUR_ROSTER", TOLERANCE_ENV):
        monkeypatch.delenv(name, raising=False)
    yield


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_cli_due_now_is_a_preview_and_never_wedges(tmp_path: Path, cli_env: None) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    opened = invoke("--db", db, "case", "open", "sapa", "-u", "ani", "-r", "pelapor",
                    "--fact", "contacted_sapa=true", "--id", "sapa-1",
                    "--at", "2026-03-02T09:00:00+07:00")
    assert opened.exit_code == 0, opened.output
    preview = invoke("--db", db, "due", "--now", "2027-06-01T09:00:00+07:00")
    assert preview.exit_code == 0 and "BREACHED" in preview.output
    assert "a preview, nothing recorded" in preview.output
    refused = invoke("--db", db, "due", "--now", "2027-06-01T09:00:00+07:00", "--record")
    assert refused.exit_code == 1 and "guard.future" in refused.stderr
    assert "Traceback" not in refused.output + refused.stderr
    fact = invoke("--db", db, "case", "fact", "sapa-1", "-u", "ani", "-r", "pelapor",
                  "contacted_sapa=true", "--at", "9000-01-01T00:00:00+07:00")
    assert fact.exit_code == 1 and "guard.future" in fact.stderr
    history = invoke("--db", db, "case", "history", "sapa-1")
    assert "deadline_breached" not in history.output and "9000" not in history.output
    # the case is not wedged: a command at the real time goes through
    done = invoke("--db", db, "case", "terminate", "sapa-1", "-u", "kadis", "-r", "admin",
                  "--reason", "selesai")
    assert done.exit_code == 0, done.output + done.stderr


def test_cli_due_record_records_at_the_clock(tmp_path: Path, cli_env: None) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    invoke("--db", db, "case", "open", "sapa", "-u", "ani", "-r", "pelapor",
           "--fact", "contacted_sapa=true", "--id", "sapa-1",
           "--at", "2026-03-02T09:00:00+07:00")
    past = invoke("--db", db, "due", "--now", "2026-06-30T09:00:00+07:00", "--record")
    assert past.exit_code == 0 and "1 newly escalated" in past.output
    recorded = invoke("--db", db, "due")  # plain due records at the clock, as before
    assert recorded.exit_code == 0 and "newly escalated" in recorded.output


# --- times shown in the procedure's zone, labelled ----------------------------------------------

def test_local_time_labels() -> None:
    assert local_time("2026-03-02T02:00:00Z", "Asia/Jakarta") == "2026-03-02 09:00 WIB"
    assert local_time("2026-03-02T09:00:00+07:00", "Asia/Jakarta") == "2026-03-02 09:00 WIB"
    assert local_time("2026-03-02T09:00:00+07:00", "Asia/Makassar") == "2026-03-02 10:00 WITA"
    assert local_time("2026-03-02T09:00:00+07:00", "Asia/Jayapura") == "2026-03-02 11:00 WIT"
    assert local_time("2026-03-02T09:00:00", "Asia/Makassar") == "2026-03-02 09:00 WITA"
    assert local_time("2026-03-02T10:00:00+08:00") == "2026-03-02 10:00 WITA"
    assert local_time("2026-03-02T10:00:00+00:00") == "2026-03-02 10:00 +0000"
    assert local_time("not a time", "Asia/Jakarta") == "not a time"


def test_timeline_in_the_agency_zone_with_its_label(tmp_path: Path, cli_env: None) -> None:
    """The same instant as Z and as +07:00 reads the same; a WITA procedure reads WITA."""
    wita = tmp_path / "procs"
    wita.mkdir()
    text = (ROOT / "procedures" / "sapa.yaml").read_text(encoding="utf-8")
    (wita / "sapa.yaml").write_text(text.replace("timezone: Asia/Jakarta", "timezone: "
                                                 "Asia/Makassar"), encoding="utf-8")
    for procs, zone, label in ((ROOT / "procedures", "WIB", "09:00"),
                               (wita, "WITA", "10:00")):
        db = f"sqlite:///{tmp_path / (zone + '.db')}"
        args = ["--db", db]
        opened = CliRunner().invoke(main, [*args, "case", "open", "sapa", "-u", "ani", "-r",
                                           "pelapor", "--fact", "contacted_sapa=true", "--id",
                                           "sapa-1", "--at", "2026-03-02T02:00:00Z"],
                                    env={"ALUR_PROCEDURES": str(procs)})
        assert opened.exit_code == 0, opened.output + opened.stderr
        fact = CliRunner().invoke(main, [*args, "case", "fact", "sapa-1", "-u", "ani", "-r",
                                         "pelapor", "contacted_sapa=true",
                                         "--at", "2026-03-02T09:30:00+07:00"],
                                  env={"ALUR_PROCEDURES": str(procs)})
        assert fact.exit_code == 0, fact.output + fact.stderr
        shown = invoke(*args, "case", "show", "sapa-1").output
        assert f"2026-03-02 {label} {zone}  " in shown, shown
        half = "09:30" if zone == "WIB" else "10:30"
        assert f"2026-03-02 {half} {zone}  " in shown, shown
        assert "+0700" not in shown and "T02:00" not in shown
        history = invoke(*args, "case", "history", "sapa-1").output
        assert f"   1  2026-03-02 {label}:00 {zone}  case_opened" in history, history
        # a command without --at (the clock, in UTC) is shown in the zone too
        invoke(*args, "case", "fact", "sapa-1", "-u", "ani", "-r", "pelapor",
               "contacted_sapa=true")
        lines = [ln for ln in invoke(*args, "case", "show", "sapa-1").output.splitlines()
                 if ln.startswith("    20")]
        assert lines and all(f" {zone}  " in ln for ln in lines), lines


# --- the misleading "past year 9999" for a time in year 1 --------------------------------------

def test_a_time_in_year_1_is_not_called_past_9999(tmp_path: Path, cli_env: None) -> None:
    from engine.cases.calendar import WorkCalendar
    from engine.procedure.model import Duration

    calendar = WorkCalendar("Asia/Jakarta")
    start = datetime.fromisoformat("0001-01-01T00:00:00+07:00")
    for unit in ("hours", "working_days", "calendar_days"):
        with pytest.raises(UsageError, match="too close to the year 1"):
            calendar.due(start, Duration(amount=3, unit=unit))
    with pytest.raises(UsageError, match="runs past year 9999"):
        calendar.due(datetime.fromisoformat("9999-12-30T00:00:00+07:00"),
                     Duration(amount=5, unit="working_days"))
    result = invoke("--db", f"sqlite:///{tmp_path / 'x.db'}", "case", "open", "sapa", "-u",
                    "ani", "-r", "pelapor", "--fact", "contacted_sapa=true",
                    "--at", "0001-01-01T00:00:00+07:00")
    assert result.exit_code == 2 and "9999" not in result.stderr
    assert "too close to the year 1" in result.stderr and "Traceback" not in result.stderr
    # year 1 is shown as such; Jakarta then kept local mean time, which is no WIB
    assert local_time("0001-01-03T23:59:59+07:00", "Asia/Jakarta") == "0001-01-04 00:07 +070712"
