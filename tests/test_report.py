"""``alur report``: service performance on a constructed set of SAPA cases with exact numbers.

SAPA (procedures/sapa.yaml) allows 2 working days from the complaint; the clock starts when
the case is opened. Every case here is opened on Monday 2 February 2026 at 09:00 WIB (a week
without holidays), so the limit runs out at the end of Wednesday 4 February. Working days are
measured with :meth:`engine.cases.calendar.WorkCalendar.elapsed`: the opening day counts 0, each
later
working day 1, the last day the fraction passed (noon = 0.5).

====  ============================================  =========================================
case  what happens                                  measured
====  ============================================  =========================================
A     every step, closed Wed 12:00 (completed)      case 1.5; menerima_pengaduan 0.5
B     every step, closed Fri 00:00 (completed);     case 3.0; menerima_pengaduan 1.0;
      breach on Thu 09:00 at konfirmasi             breach of sub_koordinator
C     withdrawn Tue 00:00                           case 0.0
D     menerima_pengaduan done Thu 00:00, open       menerima_pengaduan 2.0; breach of admin
E     opened and withdrawn in January               outside the window
====  ============================================  =========================================
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from cli import main
from engine.analysis.audit.report import Performance, Stat, percentile
from engine.api import Engine
from engine.cases.commands import CompleteStep, Withdraw
from engine.cli.audit import _report_html
from engine.errors import CommandRefused

ROOT = Path(__file__).resolve().parent.parent
SAPA = ROOT / "procedures" / "sapa.yaml"
WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 2, 2, 9, 0, tzinfo=WIB)
WINDOW = ("--from", "2026-02-01", "--to", "2026-02-28")

LATER_STEPS = (("konfirmasi_identifikasi", "sub_koordinator", None),
               ("verifikasi_surat_tugas", "kepala_bidang", None),
               ("penjangkauan", "konselor", None),  # a member of tim_penjangkauan
               ("pertimbangan_kepala_dinas", "kepala_dinas", "tidak_perlu_lembaga_lain"),
               ("penyelesaian_dokumen_kasus", "sub_koordinator", None))


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> str:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB).isoformat()


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def do(engine: Engine, case_id: str, step: str, role: str, when: str,
       outcome: str | None = None) -> None:
    engine.execute(CompleteStep(user=f"{role}1", role=role, at=when, case_id=case_id,
                                step=step, outcome=outcome))


def refuse(engine: Engine, case_id: str, step: str, role: str) -> None:
    with pytest.raises(CommandRefused):
        do(engine, case_id, step, role, at(2, 2, 10, 30))  # after the last event


def open_case(engine: Engine, case_id: str, when: str) -> None:
    engine.open_case(str(SAPA), user=f"Pelapor {case_id}", role="pelapor",
                     facts={"contacted_sapa": True}, case_id=case_id, at=when)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'report.db'}"
    with Engine(url, clock=lambda: T0) as engine:
        for case_id in "ABCD":
            open_case(engine, case_id, at(2, 2))
            do(engine, case_id, "menghubungi_sapa", "pelapor", at(2, 2, 10))
        refuse(engine, "A", "menerima_pengaduan", "sub_koordinator")  # guard.role
        refuse(engine, "A", "konfirmasi_identifikasi", "sub_koordinator")  # guard.not_current
        refuse(engine, "D", "menerima_pengaduan", "pelapor")  # guard.role
        with pytest.raises(CommandRefused):  # the required fact is missing: no case is made
            engine.open_case(str(SAPA), user="x", role="pelapor", case_id="ghost")
        # A: everything by Wednesday noon
        do(engine, "A", "menerima_pengaduan", "admin", at(2, 3, 12))
        times = ((9, 0), (10, 0), (11, 0), (11, 30), (12, 0))
        for (hour, minute), (step, role, outcome) in zip(times, LATER_STEPS, strict=True):
            do(engine, "A", step, role, at(2, 4, hour, minute), outcome)
        # B: late from Thursday, closed Friday 00:00
        do(engine, "B", "menerima_pengaduan", "admin", at(2, 4, 0))
        for hour, (step, role, outcome) in enumerate(LATER_STEPS[:-1]):
            do(engine, "B", step, role, at(2, 5, 9 + hour), outcome)
        step, role, _ = LATER_STEPS[-1]
        do(engine, "B", step, role, at(2, 6, 0))
        # C: withdrawn at the start of Tuesday
        engine.execute(Withdraw(user="Pelapor C", role="pelapor", at=at(2, 3, 0), case_id="C",
                                reason="sudah selesai"))
        # D: still open, its second step done late
        do(engine, "D", "menerima_pengaduan", "admin", at(2, 5, 0))
    with Engine(url, clock=lambda: datetime(2026, 1, 10, tzinfo=WIB)) as engine:
        open_case(engine, "E", at(1, 5))
        engine.execute(Withdraw(user="Pelapor E", role="pelapor", at=at(1, 6), case_id="E",
                                reason="salah alamat"))
        refuse(engine, "E", "menerima_pengaduan", "pelapor")  # recorded in January
    yield url


def report(db: str, *args: str) -> dict[str, Any]:
    result = run("report", "sapa", "--db", db, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_cases_and_time_limit(db: str) -> None:
    data = report(db, *WINDOW)
    assert data["cases"] == {"opened": 4, "closed": 3,
                             "outcomes": {"completed": 2, "withdrawn": 1},
                             "with_time_limit": 3, "within_time_limit": 2,
                             "within_share": pytest.approx(2 / 3)}
    assert data["unit"] == "working_days" and data["versions"] == ["1"]
    assert data["unverified_cases"] == 0


def test_exact_medians(db: str) -> None:
    data = report(db, *WINDOW)
    case_time = data["case_time"]
    assert case_time == {"count": 3, "median": 1.5, "p90": pytest.approx(2.7)}
    steps = data["step_time"]
    assert list(steps)[:3] == ["menghubungi_sapa", "menerima_pengaduan",
                               "konfirmasi_identifikasi"]
    assert steps["menghubungi_sapa"] == {"title": "Pelapor menghubungi SAPA", "count": 4,
                                         "median": 0.0, "p90": 0.0,
                                         "hours": {"count": 4, "median": 1.0, "p90": 1.0}}
    menerima = steps["menerima_pengaduan"]
    assert (menerima["count"], menerima["median"]) == (3, 1.0)
    assert menerima["p90"] == pytest.approx(1.8)
    # Tue 12:00, Wed 00:00 and Thu 00:00 after Mon 10:00: 26, 38 and 62 hours
    assert menerima["hours"]["median"] == 38.0
    assert menerima["hours"]["p90"] == pytest.approx(38 + 0.8 * 24)
    assert steps["konfirmasi_identifikasi"]["median"] == 0.375  # 09:00 of the next day
    assert steps["penyelesaian_dokumen_kasus"]["count"] == 2


def test_breaches_and_refusals(db: str) -> None:
    data = report(db, *WINDOW)
    assert data["breaches"] == {"total": 2, "by_actor": {"admin": 1, "sub_koordinator": 1},
                                "by_escalation": {"kepala_bidang": 2}, "phases": {},
                                "late_reports": {}}
    assert data["refused"] == {"total": 3, "by_rule": {"guard.role": 2, "guard.not_current": 1},
                               "openings_unattributed": 1}


def test_window_narrows_everything(db: str) -> None:
    thursday = report(db, "--from", "2026-02-05", "--to", "2026-02-05")
    assert thursday["cases"]["opened"] == 0 and thursday["cases"]["closed"] == 0
    assert thursday["step_time"]["menerima_pengaduan"]["count"] == 1
    assert thursday["step_time"]["menerima_pengaduan"]["median"] == 2.0
    assert thursday["breaches"]["total"] == 2
    assert thursday["refused"]["total"] == 0
    everything = report(db)
    assert everything["from"] is None
    assert everything["cases"]["opened"] == 5
    assert everything["cases"]["outcomes"] == {"completed": 2, "withdrawn": 2}
    assert everything["refused"]["total"] == 4


def test_text_report(db: str) -> None:
    result = run("report", "sapa", "--db", db, *WINDOW)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].endswith("(sapa), 2026-02-01 to 2026-02-28; times in working days")
    assert "cases: 4 opened, 3 closed (completed 2, withdrawn 1)" in lines
    assert "within the time limit: 2 of 3 closed case(s) (66.7%)" in lines
    assert "time per case: median 1.50, p90 2.70 (3 case(s))" in lines
    assert any(line.split()[-5:] == ["3", "1.00", "1.80", "38.00", "57.20"] for line in lines)
    assert "breaches: 2 (by actor: admin 1, sub_koordinator 1; escalated to: " \
           "kepala_bidang 2)" in lines
    assert ("refused commands: 3 (guard.role 2, guard.not_current 1); refused case openings "
            "(no case to attribute): 1") in lines


def test_html_report_is_self_contained(db: str) -> None:
    result = run("report", "sapa", "--db", db, "--format", "html", *WINDOW)
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "src=" not in page and "href=" not in page
    assert "Admin menerima pengaduan" in page and "66.7%" in page


def test_html_escapes_every_value() -> None:
    evil = '<script>alert("x")</script> & co'
    result = Performance("uji", None, None, unit="working_days",
                         step_time={"s": Stat(1, 1.0, 1.0)}, step_titles={"s": evil},
                         breaches_by_actor={evil: 1}, refused_by_rule={evil: 2})
    page = _report_html(evil, result)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page


def test_usage_and_not_found(db: str) -> None:
    backwards = run("report", "sapa", "--db", db, "--from", "2026-03-01", "--to", "2026-02-01")
    assert backwards.exit_code == 2
    assert run("report", "sapa", "--db", db, "--from", "kemarin").exit_code == 2
    missing = run("report", "mediasi_x", "--db", db)
    assert missing.exit_code == 3
    assert "procedures in this store: sapa" in missing.output


def test_percentile() -> None:
    assert percentile([3.0], 90) == 3.0
    assert percentile([1.0, 2.0], 50) == 1.5
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([0.0, 10.0], 90) == 9.0
    with pytest.raises(ValueError):
        percentile([], 50)
