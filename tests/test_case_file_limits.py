"""Issue 16: case files had no size limit (20 MB with an error at its end took 95 s and 2.3 GB).

A case file larger than ``MAX_CASE_FILE_BYTES`` (the hardened reader's own limit) is refused
before it is read, with the file, its size and the limit; within the limit the hardened reader
reads it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine import runner
from engine.errors import InvalidCaseInput
from engine.runner import MAX_CASE_FILE_BYTES, load_case_file

CASE = ("  - id: c{n}\n    description: {pad}\n"
        "    opened: {{at: 2026-03-02T09:00:00+07:00, user: rina, role: pendamping_ppa}}\n")


def _write(path: Path, size: int, tail: str = "") -> Path:
    pad = "x" * 900
    with path.open("w", encoding="utf-8") as fh:
        fh.write("cases:\n")
        written, n = 7, 0
        while written < size:
            chunk = CASE.format(n=n, pad=pad)
            fh.write(chunk)
            written += len(chunk)
            n += 1
        fh.write(tail)
    return path


def test_a_large_case_file_is_refused_before_it_is_parsed(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    big = _write(tmp_path / "big.yaml", 20 * 1024 * 1024, tail="  - {broken\n")
    parsed: list[object] = []
    monkeypatch.setattr(runner, "read_file", lambda *a, **k: parsed.append(a))
    started = time.monotonic()
    with pytest.raises(InvalidCaseInput) as refused:
        load_case_file(big)
    assert time.monotonic() - started < 10 and parsed == []  # was 95 s and 2.3 GB
    assert str(MAX_CASE_FILE_BYTES) in refused.value.message and "big.yaml" in refused.value.message
    assert "file: path" in refused.value.hint


def test_within_the_limit_it_is_read(tmp_path: Path) -> None:
    ok = _write(tmp_path / "ok.yaml", MAX_CASE_FILE_BYTES // 2)
    data = load_case_file(ok)
    assert len(data["cases"]) > 400


def test_cli_says_so_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_PROCEDURES", str(Path(__file__).parent.parent / "procedures"))
    big = _write(tmp_path / "big.yaml", MAX_CASE_FILE_BYTES + 10)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    for lang, words in (("en", "larger than the limit of"), ("id", "melebihi batas")):
        result = CliRunner().invoke(main, ["--lang", lang, "--db", db, "run", "mediasi",
                                           str(big)])
        assert result.exit_code == 1 and words in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
