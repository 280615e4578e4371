"""Absent components (issue #17, item 10): an SP that publishes no time limit, no complaint
channel or no product is encoded as *not given by the source*, with a ``missing`` flag, never a
placeholder. It validates, ``alur show`` says so, cases run with no deadline, and a limit that
exists (a phase limit) is never reported as a missing component."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from engine.api import Engine
from engine.procedure.model import Procedure
from engine.procedure.validate import check_path
from engine.render import render
from tests.runtime_support import Clock, attachment, complete, wib

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "valid" / "minimal.yaml"
FLAGS = [{"id": f"tanpa_{about}", "kind": "missing", "about": about,
          "note": f"SP tidak memuat {about}."} for about in ("time_limit", "complaints",
                                                             "products")]


def _absent(tmp_path: Path, *, flags: bool = True, phase: bool = False) -> Path:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["time_limit"] = {"amount": None, "unit": "working_days", "source_text": None}
    data["complaints"] = []
    data["products"] = []
    if flags:
        data["flags"] = FLAGS
    if phase:
        data["phase_limits"] = [{"id": "terima_cepat", "amount": 1, "unit": "working_days",
                                 "until_step": "terima",
                                 "source_text": "Permohonan diterima paling lambat 1 hari kerja"}]
    path = tmp_path / "tanpa.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _loaded(path: Path) -> Procedure:
    checked = check_path(path)
    assert checked.procedure is not None, [d.format() for d in checked.errors]
    return checked.procedure


def test_absent_components_with_their_flags_validate_strictly(tmp_path: Path) -> None:
    from engine.cli import main

    path = _absent(tmp_path)
    assert check_path(path).diagnostics == ()
    result = CliRunner().invoke(main, ["validate", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    proc = _loaded(path)
    assert {"jangka_waktu", "pengaduan", "produk"} <= set(proc.missing_components())
    assert all(proc.missing_flag(about) for about in ("time_limit", "complaints", "products"))


def test_without_the_flags_each_absent_component_is_r015(tmp_path: Path) -> None:
    checked = check_path(_absent(tmp_path, flags=False))
    assert sorted(d.code for d in checked.errors) == ["R015", "R015", "R015"]
    assert sorted(d.path for d in checked.errors) == ["complaints", "products", "time_limit"]


def test_show_says_not_given_by_the_source_in_both_languages(tmp_path: Path) -> None:
    from engine.cli import main

    path = str(_absent(tmp_path))
    english = CliRunner().invoke(main, ["show", path])
    indonesian = CliRunner().invoke(main, ["--lang", "id", "show", path])
    assert english.exit_code == indonesian.exit_code == 0
    assert english.output.count("not given by the source") >= 3, english.output
    assert indonesian.output.count("tidak dicantumkan sumber") >= 3, indonesian.output


def test_a_case_runs_with_no_deadline_and_is_never_breached(engine: Engine, clock: Clock,
                                                            tmp_path: Path) -> None:
    clock.set(wib(2026, 3, 2, 9))
    opened = engine.open_case(str(_absent(tmp_path)), user="adi", role="petugas",
                              documents=(attachment("ktp"),))
    case_id = opened.case.case_id
    assert opened.case.due_at is None and opened.case.earliest_at is None
    clock.advance(hours=24 * 60)
    for step, role, outcome in (("terima", "petugas", None), ("putus", "kepala", "setuju"),
                                ("terbit", "petugas", None)):
        complete(engine, case_id, step, role, outcome=outcome)
    state = engine.case(case_id)
    assert state.status == "completed" and state.breaches == []


def test_a_phase_limit_is_a_time_limit_the_source_gives(engine: Engine, clock: Clock,
                                                        tmp_path: Path) -> None:
    """No overall limit, but a limit on part of the service: the SP has a time limit, so it
    is not a missing component, and the phase runs and is drawn."""
    path = _absent(tmp_path, phase=True)
    proc = _loaded(path)
    assert "jangka_waktu" not in proc.missing_components()
    drawn = str(render(proc, "dot")).replace("<BR/>", " ")  # labels wrap
    assert "phase terima_cepat (1 working day) ends here" in drawn
    clock.set(wib(2026, 3, 2, 9))
    opened = engine.open_case(str(path), user="adi", role="petugas",
                              documents=(attachment("ktp"),))
    assert opened.case.due_at is None
    assert opened.case.phases["terima_cepat"]["due_at"].startswith("2026-03-03")
