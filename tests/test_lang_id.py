"""``--lang id`` translates alur's own words everywhere (issue 16): ``show`` (units and clock
start), timelines (the outcome), graph labels (Mermaid and the DOT behind SVG/PNG), G007 and
the summary of ``import``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("ALUR_LANG", raising=False)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_show_says_the_time_limit_in_indonesian() -> None:
    out = invoke("--lang", "id", "show", "mediasi").stdout
    assert "jangka waktu: 14 hari kerja sejak persyaratan terpenuhi" in out
    limit = next(line for line in out.splitlines() if "jangka waktu:" in line)
    assert "working_days" not in limit and "requirements_met" not in limit
    assert "14 working day(s) from requirements met" in invoke("show", "mediasi").stdout


def test_timeline_outcome_in_indonesian(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    invoke("--db", db, "run", "sapa", "examples/sapa-selesai.yaml", "--format", "json")
    out = invoke("--lang", "id", "--db", db, "case", "show", "sapa-selesai-01").stdout
    assert "ditutup: selesai" in out and "ditutup: completed" not in out
    withdrawn = invoke("--lang", "id", "--db", db, "case", "show", "sapa-selesai-dicabut").stdout
    assert "ditutup: dicabut" in withdrawn


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_graph_labels_in_indonesian(fmt: str) -> None:
    out = invoke("--lang", "id", "graph", "mediasi", "--format", fmt).stdout
    for english in ("requires:", "produces:", "est. ", "working day", "(external)",
                    "(actor inferred)"):
        assert english not in out, english
    for indonesian in ("memerlukan:", "menghasilkan:", "perk. ", "hari kerja", "(eksternal)",
                       "(pelaku disimpulkan)", "selesai"):
        assert indonesian in out, indonesian
    assert "requires:" in invoke("graph", "mediasi", "--format", fmt).stdout


def test_g007_names_the_unit_in_indonesian() -> None:
    fixture = "tests/fixtures/invalid/G007-deadlines-exceed-limit.yaml"
    out = invoke("--lang", "id", "validate", fixture).stdout
    assert "jangka waktu keseluruhan 3 hari kerja" in out and "working_days" not in out


def test_import_summary_in_indonesian(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--lang", "id", "import",
                                       "examples/sp/konseling_psikologis.txt",
                                       "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 0, result.output
    summary = result.stderr + result.stdout
    assert "BELUM siap (0 peringatan)" in summary and "warning" not in summary
    assert "[asumsi]" in summary and "[assumption]" not in summary
