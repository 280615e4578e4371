"""Exit codes as the README's table promises: 0 ok · 1 invalid / refused / problems found ·
2 usage · 3 not found · 4 conflict · 5 store error or tampering. Every command is driven
through the codes it can give from the command line (4 needs two writers racing: the mapping
is checked on the error itself)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.cli.app import _exit_code
from engine.errors import ConcurrencyConflict, FileNotFound, TamperDetected

ROOT = Path(__file__).resolve().parent.parent
SAPA = str(ROOT / "procedures" / "sapa.yaml")
MEDIASI = str(ROOT / "procedures" / "mediasi.yaml")
SP_TEXT = str(ROOT / "tests" / "fixtures" / "sp_texts" / "konseling_psikologis.txt")
AT = "2026-03-02T09:00:00+07:00"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALUR_LANG", raising=False)
    monkeypatch.delenv("ALUR_DB", raising=False)
    monkeypatch.setenv("ALUR_PROCEDURES", str(ROOT / "procedures"))
    url = f"sqlite:///{tmp_path / 'x.db'}"
    opened = run("--db", url, "case", "open", SAPA, "-u", "ani", "-r", "pelapor", "--fact",
                 "contacted_sapa=true", "--id", "s-1", "--at", AT)
    assert opened == 0
    return url


def run(*args: str) -> int:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code


def cases(db: str, tmp_path: Path) -> list[tuple[int, list[str]]]:
    new_yaml = str(tmp_path / "new.yaml")
    return [
        # 0 ok
        (0, ["validate", SAPA]),
        (0, ["show", "sapa"]),
        (0, ["--db", db, "case", "show", "s-1"]),
        (0, ["--db", db, "case", "list"]),
        (0, ["--db", db, "inbox", "-r", "admin"]),
        (0, ["--db", db, "due", "--no-record", "--now", AT]),
        (0, ["--db", db, "audit", "verify"]),
        (0, ["graph", "sapa", "--format", "mermaid"]),
        (0, ["diff", SAPA, SAPA]),
        (0, ["import", SP_TEXT, "-o", str(tmp_path / "draft.yaml")]),
        (0, ["new", "--id", "baru", "-o", new_yaml, "--no-interactive"]),
        # 1 invalid, refused, problems found (diff: differences)
        (1, ["validate", str(ROOT / "tests" / "fixtures" / "invalid" / "R001-unknown-role.yaml")]),
        (1, ["--db", db, "case", "do", "s-1", "no_such_step", "-u", "a", "-r", "pelapor"]),
        (1, ["diff", SAPA, MEDIASI]),
        # 2 usage
        (2, ["--db", db, "case", "list", "--limit", "0"]),
        (2, ["--db", db, "case", "list", "--after", "###"]),
        (2, ["--db", db, "due", "--now", "yesterday"]),
        (2, ["--db", "foo://x", "case", "list"]),
        (2, ["validate"]),
        # 3 not found: a case, a procedure, a file - everywhere
        (3, ["--db", db, "case", "show", "nope"]),
        (3, ["--db", db, "case", "do", "nope", "x", "-u", "a", "-r", "b"]),
        (3, ["--db", db, "audit", "verify", "--case", "nope"]),
        (3, ["show", "nope"]),
        (3, ["graph", "nope.yaml"]),
        (3, ["validate", "nope.yaml"]),
        (3, ["validate", SAPA, "nope.yaml"]),
        (3, ["import", "nope.txt"]),
        (3, ["diff", "nope.yaml", SAPA]),
        (3, ["diff", SAPA, "nope.yaml"]),
        (3, ["simulate", "nope", "--cases", "5"]),
        (3, ["--db", db, "case", "open", "nope", "-u", "a", "-r", "b"]),
        # 5 store error
        (5, ["--db", f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}", "case", "list"]),
    ]


def test_every_command_gives_its_documented_exit_code(db: str, tmp_path: Path) -> None:
    wrong = []
    for expected, args in cases(db, tmp_path):
        got = run(*args)
        if got != expected:
            wrong.append((args, expected, got))
    assert not wrong


def test_tampering_is_5(db: str, tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "x.db") as conn:
        conn.execute("UPDATE alur_events SET user_id = 'mallory' WHERE case_id = 's-1' AND seq = 1")
    assert run("--db", db, "audit", "verify") == 5
    assert run("--db", db, "audit", "verify", "--case", "s-1") == 5
    assert run("--db", db, "case", "show", "s-1") == 5


def test_a_missing_calendar_file_is_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = Path(SAPA).read_text(encoding="utf-8").replace(
        "  timezone: Asia/Jakarta",
        "  calendar: missing-calendar.yaml\n  timezone: Asia/Jakarta", 1)
    procedure = tmp_path / "sapa.yaml"
    procedure.write_text(text, encoding="utf-8")
    assert run("simulate", str(procedure), "--cases", "5") == 3
    assert run("--db", f"sqlite:///{tmp_path / 'y.db'}", "case", "open", str(procedure), "-u",
               "ani", "-r", "pelapor", "--fact", "contacted_sapa=true", "--at", AT) == 3


def test_conflict_and_tamper_errors_map_to_4_and_5() -> None:
    assert _exit_code(ConcurrencyConflict("x")) == 4
    assert _exit_code(TamperDetected("x")) == 5
    assert _exit_code(FileNotFound("x")) == 3
