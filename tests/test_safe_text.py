"""Issue 16: invalid UTF-8 in arguments gave a traceback; control characters in ids, users and
reasons were accepted and printed raw (a newline in an id faked an extra row in ``case list``).

Now a new case id has a safe alphabet, a user name may not hold a control character, every
text line the CLI prints has its control characters escaped, and an argument that is not UTF-8
is a usage error (exit 2).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from runtime_support import open_sapa

from cli import main
from engine.api import Engine
from engine.cases.commands import Terminate
from engine.errors import InvalidCaseInput
from engine.safe_text import CASE_ID, printable

ROOT = Path(__file__).resolve().parent.parent
ESC_TITLE = "\x1b]0;pwned\x07"
RTL = "\u202e"


@given(st.text())
def test_printable_leaves_no_control_character(value: str) -> None:
    shown = printable(value)
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c in "\u202e\u2066\u2028"
                   for c in shown)
    assert printable(shown) == shown  # nothing left to escape


def test_printable_examples() -> None:
    assert printable("a\nb") == "a\\x0ab"
    assert printable(ESC_TITLE) == "\\x1b]0;pwned\\x07"
    assert printable(f"abc{RTL}def") == "abc\\u202edef"
    assert printable("Ibu Sri — ñ ✓") == "Ibu Sri — ñ ✓"


@pytest.mark.parametrize("bad", ["a\nb", ESC_TITLE, f"x{RTL}y", "", " x", "x y", "-x",
                                 "a" * 101, "x/../y", "é"])
def test_a_case_id_outside_the_safe_alphabet_is_refused(engine: Engine, bad: str) -> None:
    with pytest.raises(InvalidCaseInput, match="not a valid case id") as refused:
        open_sapa(engine, case_id=bad)
    assert "\n" not in refused.value.message and "\x1b" not in refused.value.message
    assert engine.cases() == []
    assert engine.store.audit_records()[-1].rule == "input.case_id"


def test_safe_ids_are_accepted(engine: Engine) -> None:
    for good in ("sapa-2026-001", "A.b_c-9", "1" * 100):
        assert CASE_ID.fullmatch(good)
        assert open_sapa(engine, case_id=good).case.case_id == good


def test_a_user_with_control_characters_is_refused(engine: Engine) -> None:
    case_id = open_sapa(engine).case.case_id
    for bad in ("ani\nadmin", f"ani{ESC_TITLE}", f"ani{RTL}"):
        with pytest.raises(InvalidCaseInput, match="control character"):
            engine.execute(Terminate(user=bad, role="admin", case_id=case_id, reason="x"))
        with pytest.raises(InvalidCaseInput, match="control character"):
            engine.open_case("sapa", user=bad, role="pelapor", facts={"contacted_sapa": True})
    assert engine.store.audit_records()[-1].user == "ani\\u202e"


# --- the CLI ------------------------------------------------------------------------------------

def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    monkeypatch.setenv("ALUR_PROCEDURES", str(ROOT / "procedures"))
    monkeypatch.setenv("ALUR_DB", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("ALUR_LANG", raising=False)
    return invoke


def test_reasons_and_old_ids_are_escaped_on_output(cli_db: Callable[..., Result],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    opened = cli_db("case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
                    "contacted_sapa=true", "--id", "sapa-1", "--at", "2026-03-02T09:00:00+07:00")
    assert opened.exit_code == 0, opened.output
    closed = cli_db("case", "terminate", "sapa-1", "-u", "kadis", "-r", "admin",
                    "--reason", f"selesai\nsapa-2  sapa  completed{ESC_TITLE}{RTL}")
    assert closed.exit_code == 0, closed.output
    shown = cli_db("case", "show", "sapa-1").output
    assert "\x1b" not in shown and RTL not in shown and "\\x1b]0;pwned\\x07" in shown
    assert "selesai\\x0asapa-2" in shown
    # an id recorded before ids were restricted cannot fake a row either
    monkeypatch.setattr("engine.api.check_case_id", lambda *args: None)
    old = cli_db("case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
                 "contacted_sapa=true", "--id", "sapa-2\nsapa-3   sapa  completed")
    assert old.exit_code == 0, old.output
    listed = cli_db("case", "list").output
    # a header, two cases, a footer: the id's newline is escaped, it fakes no row
    assert listed.count("\n") == 4 and "sapa-2\\x0asapa-3" in listed


def test_a_refusal_message_is_escaped(cli_db: Callable[..., Result]) -> None:
    result = cli_db("case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
                    "contacted_sapa=true", "--id", f"x\nfake-row{ESC_TITLE}")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "x\\x0afake-row\\x1b" in result.stderr
    assert "not a valid case id" in result.stderr


def test_an_argument_that_is_not_utf8_is_a_usage_error(cli_db: Callable[..., Result]) -> None:
    for lang, words in (("en", "is not valid UTF-8: \\xff\\xfe"),
                        ("id", "bukan UTF-8 yang sah: \\xff\\xfe")):
        result = cli_db("--lang", lang, "case", "show", "\udcff\udcfe")
        assert result.exit_code == 2 and words in result.stderr, result.stderr


def test_real_bytes_on_the_command_line(tmp_path: Path) -> None:
    """As a shell passes ``--id $'\\xff\\xfe'``: bytes in argv, no traceback."""
    env = {**os.environ, "ALUR_PROCEDURES": str(ROOT / "procedures"),
           "ALUR_DB": f"sqlite:///{tmp_path / 'x.db'}", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "cli", "case", "open", "sapa", "-u", "ani",
                           "-r", "pelapor", "--id", b"\xff\xfe"],  # type: ignore[list-item]
                          cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr and b"not valid UTF-8" in done.stderr
