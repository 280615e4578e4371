"""A step that produces a document: completing it without the file records, in so many words,
that the document was produced outside alur (no 0-byte document that looks attached); with the
file (``--doc``) the document is stored as any attachment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main

ROOT = Path(__file__).resolve().parent.parent
AT = "2026-03-02T{}:00+07:00".format


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("ALUR_LANG", raising=False)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for case_id in ("p-1", "p-2"):
        steps = [("open", "sapa", "-u", "ani", "-r", "pelapor", "--fact", "contacted_sapa=true",
                  "--id", case_id, "--at", AT("08:00")),
                 ("do", case_id, "menghubungi_sapa", "-u", "ani", "-r", "pelapor",
                  "--at", AT("08:05")),
                 ("do", case_id, "menerima_pengaduan", "-u", "a1", "-r", "admin",
                  "--at", AT("09:00"))]
        for args in steps:
            assert invoke("--db", url, "case", *args).exit_code == 0
    return url


def test_without_the_file_it_is_recorded_as_produced_outside_alur(db: str) -> None:
    done = invoke("--db", db, "case", "do", "p-1", "konfirmasi_identifikasi", "-u", "s1", "-r",
                  "sub_koordinator", "--at", AT("10:00"))
    assert done.exit_code == 0, done.output
    assert "produced outside alur (no file attached): laporan_hasil_identifikasi" in done.stdout
    state = json.loads(invoke("--db", db, "case", "show", "p-1", "--format", "json").stdout)
    document = state["documents"]["laporan_hasil_identifikasi"]
    assert document["produced_outside"] is True and document["sha256"] is None
    history = json.loads(invoke("--db", db, "case", "history", "p-1", "--format",
                                "json").stdout)
    completed = [e for e in history if e["type"] == "step_completed"][-1]
    assert completed["payload"]["outside"] == ["laporan_hasil_identifikasi"]
    shown = invoke("--db", db, "case", "show", "p-1").stdout
    assert "laporan_hasil_identifikasi (produced outside alur: no file)" in shown
    indonesian = invoke("--lang", "id", "--db", db, "case", "show", "p-1").stdout
    assert "dibuat di luar alur" in indonesian


def test_with_the_file_it_is_an_attached_document(db: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_DOCUMENTS", str(tmp_path))  # documents come from this folder only
    report = tmp_path / "laporan.pdf"
    report.write_bytes(b"%PDF-1.4 laporan hasil identifikasi")
    done = invoke("--db", db, "case", "do", "p-2", "konfirmasi_identifikasi", "-u", "s1", "-r",
                  "sub_koordinator", "--doc", f"laporan_hasil_identifikasi={report}",
                  "--at", AT("10:00"))
    assert done.exit_code == 0, done.output
    assert "outside alur" not in done.stdout
    state = json.loads(invoke("--db", db, "case", "show", "p-2", "--format", "json").stdout)
    document = state["documents"]["laporan_hasil_identifikasi"]
    assert document["size"] == report.stat().st_size and document["sha256"]
    assert "produced_outside" not in document
