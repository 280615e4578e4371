"""Reports of what issue #17 added to the language (``alur report``, the HTML report of a
procedure and of a case): a minimum time limit is information, never a breach; phase limits
breached and recurring reports late are named; joint sign-offs are shown. The cases run on the
fixtures tests/fixtures/valid/{jendela,berulang,bersama,minimal}.yaml."""

from __future__ import annotations

import hashlib
from pathlib import Path

from engine.analysis.audit.report import Performance, performance
from engine.api import Engine
from engine.cases.commands import Attachment, CheckDeadlines, CompleteStep
from engine.cli.audit import _report_html
from engine.procedure.validate import load_procedure
from engine.render.html import render_html
from engine.render.trace import case_trace
from tests.runtime_support import Clock, wib

VALID = Path(__file__).resolve().parent / "fixtures" / "valid"
KTP = Attachment("ktp", "ktp.pdf", hashlib.sha256(b"k").hexdigest(), 1, "application/pdf", b"k")
MINIMUM_TEXT = "paling cepat 12 jam setelah laporan diterima"


def _performance(engine: Engine, procedure_id: str) -> Performance:
    return performance(procedure_id, engine.store.all_events(procedure_id), engine.context,
                       engine.store.audit_records())


def _do(engine: Engine, case_id: str, step: str, role: str, outcome: str | None = None) -> None:
    engine.execute(CompleteStep(user=role, role=role, case_id=case_id, step=step,
                                outcome=outcome))


def _case_page(engine: Engine, path: Path, case_id: str) -> str:
    proc = load_procedure(path)
    return render_html(proc, trace=case_trace(proc, engine.case(case_id)))


def test_a_breached_phase_limit_is_named_and_charged_to_its_steps_actor(
        engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 6, 1, 9))
    digest = engine.register(VALID / "jendela.yaml")
    case_id = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id
    clock.set(wib(2026, 6, 3, 9))  # past the phase's 1 working day, within the overall 5
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    result = _performance(engine, "jendela")
    assert result.phase_breaches == {"tindak_lanjut": 1} and result.late_reports == {}
    assert result.breaches_by_actor == {"petugas": 1}  # terima, the step that ends the phase
    page = _report_html("jendela", result)
    assert "tindak_lanjut" in page and "phase limit" in page
    case_page = _case_page(engine, VALID / "jendela.yaml", case_id)
    assert "Phase limit tindak_lanjut was breached" in case_page
    assert "Permohonan ditindaklanjuti paling lambat 1 hari kerja" in case_page
    assert "The time limit of the case was breached" not in case_page


def test_a_late_recurring_report_is_counted_by_step(engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 6, 1, 9))
    digest = engine.register(VALID / "berulang.yaml")
    case_id = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id
    _do(engine, case_id, "terima", "petugas")
    _do(engine, case_id, "putus", "kepala", "setuju")
    _do(engine, case_id, "pantau", "petugas")
    clock.set(wib(2026, 6, 4, 9))  # two days without a report
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    result = _performance(engine, "berulang")
    assert result.late_reports == {"pantau": 1} and result.phase_breaches == {}
    assert result.breaches_by_actor == {"petugas": 1}
    assert result.to_dict()["breaches"]["late_reports"] == {"pantau": 1}
    assert "Pemantauan harian" in _report_html("berulang", result)
    case_page = _case_page(engine, VALID / "berulang.yaml", case_id)
    assert "A recurring report of 3 Pemantauan harian came late" in case_page


def test_joint_sign_offs_are_counted_and_shown(engine: Engine) -> None:
    digest = engine.register(VALID / "bersama.yaml")
    case_id = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id
    _do(engine, case_id, "terima", "petugas")
    for role in ("korban", "petugas", "terlapor"):
        _do(engine, case_id, "mediasi", role)
    result = _performance(engine, "bersama")
    assert result.joint_signoffs == {"mediasi": 1}
    assert "Mediasi bersama" in _report_html("bersama", result, "id")
    page = _case_page(engine, VALID / "bersama.yaml", case_id)
    assert "signed by: Korban, Petugas, Terlapor" in page
    assert "together with: Korban, Terlapor (each signs)" in page  # the procedure's steps


def _minimum(tmp_path: Path) -> Path:
    text = (VALID / "minimal.yaml").read_text(encoding="utf-8").replace(
        "  amount: 3\n  unit: working_days\n  source_text: \"3 Hari\"\n",
        f"  amount: 12\n  unit: hours\n  bound: min\n  source_text: \"{MINIMUM_TEXT}\"\n")
    path = tmp_path / "minimum.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_closing_before_a_minimum_is_information_never_a_breach(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    path = _minimum(tmp_path)
    clock.set(wib(2026, 3, 2, 9))
    digest = engine.register(path)
    early = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id
    late = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case.case_id
    clock.advance(hours=2)
    for case_id in (early,):
        _do(engine, case_id, "terima", "petugas")
        _do(engine, case_id, "putus", "kepala", "setuju")
        _do(engine, case_id, "terbit", "petugas")
    clock.advance(hours=30)
    for case_id in (late,):
        _do(engine, case_id, "terima", "petugas")
        _do(engine, case_id, "putus", "kepala", "setuju")
        _do(engine, case_id, "terbit", "petugas")
    result = _performance(engine, "contoh")
    assert (result.with_minimum, result.before_minimum) == (2, 1)
    assert result.breaches == 0 and result.with_limit == 0  # no deadline, so no share
    assert result.to_dict()["minimum"] == {"closed": 2, "before_minimum": 1,
                                           "source_text": MINIMUM_TEXT}
    page = _report_html("contoh", result)
    assert "1 of 2 cases closed before it" in page and "not a breach" in page
    early_page = _case_page(engine, path, early)
    assert "Closed before the minimum" in early_page and MINIMUM_TEXT in early_page
    assert 'class="alert"' not in early_page
    late_page = _case_page(engine, path, late)
    assert "A minimum, not a deadline" in late_page and "Closed before" not in late_page
    assert "at least (a minimum, not a deadline" in early_page  # the time limit table


def test_the_procedure_page_shows_every_new_field(tmp_path: Path) -> None:
    jendela = render_html(load_procedure(VALID / "jendela.yaml"))
    assert "<h2>Phase limits</h2>" in jendela and "clock stops" in jendela
    assert "<td>clock stops</td><td>when 2 Putuskan completes</td>" in jendela
    assert "Permohonan ditindaklanjuti paling lambat 1 hari kerja" in jendela
    berulang = render_html(load_procedure(VALID / "berulang.yaml"))
    assert "repeats every 1 calendar day, until 4 Terminasi penempatan" in berulang
    bersama = render_html(load_procedure(VALID / "bersama.yaml"))
    assert "penerima manfaat, klien" in bersama and "(any one)" in bersama
    indonesian = render_html(load_procedure(VALID / "jendela.yaml"), lang="id")
    assert "Batas waktu tahap" in indonesian and "saat 2 Putuskan selesai" in indonesian
