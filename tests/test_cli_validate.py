"""``alur validate`` and ``alur show`` in-process: exit codes, text and JSON output, languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from runtime_support import edited_minimal

from cli import main
from engine.procedure.model import INTERNAL_COMPONENTS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal.yaml"
R001 = FIXTURES / "invalid" / "R001-unknown-role.yaml"
G004 = FIXTURES / "invalid" / "G004-leads-nowhere.yaml"
WARNING_ONLY = FIXTURES / "invalid" / "G007-deadlines-exceed-limit.yaml"

LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info) "
                  r"(?P<code>[YSRG]\d{3}) (?P<message>.+)$")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ALUR_LANG", raising=False)
    monkeypatch.setenv("ALUR_PROCEDURES", str(tmp_path / "procedures"))


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# --- exit codes -----------------------------------------------------------------------------

def test_valid_file_exits_0() -> None:
    result = run("validate", MINIMAL)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{MINIMAL}: valid (0 error(s), 0 warning(s))"


def test_invalid_file_exits_1() -> None:
    assert run("validate", R001).exit_code == 1


def test_one_invalid_file_among_valid_ones_exits_1() -> None:
    result = run("validate", MINIMAL, R001, MINIMAL)
    assert result.exit_code == 1
    assert result.stdout.count("valid (0 error(s)") == 2
    assert f"{R001}: invalid (1 error(s), 0 warning(s))" in result.stdout


@pytest.mark.parametrize("args", [
    ["validate"],
    ["validate", "--bogus", str(MINIMAL)],
    ["validate", "--format", "xml", str(MINIMAL)],
    ["--lang", "fr", "validate", str(MINIMAL)],
], ids=["no-args", "unknown-option", "bad-format", "bad-lang"])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.output


def test_missing_file_is_y009_and_exit_3_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = run("validate", missing)
    assert result.exit_code == 3  # not found (README exit codes)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    first = LINE.match(result.stdout.splitlines()[0])
    assert first is not None
    assert (first["file"], first["line"], first["column"], first["code"]) == (
        str(missing), "1", "1", "Y009")


def test_missing_file_among_others_still_checks_the_others(tmp_path: Path) -> None:
    result = run("validate", "--format", "json", tmp_path / "nope.yaml", MINIMAL)
    assert result.exit_code == 3
    files = json.loads(result.stdout)["files"]
    assert [f["valid"] for f in files] == [False, True]
    assert files[0]["diagnostics"][0]["code"] == "Y009"


# --- text output ----------------------------------------------------------------------------

def test_text_output_is_file_line_col_severity_code_message_then_hint() -> None:
    result = run("validate", R001)
    lines = result.stdout.splitlines()
    match = LINE.match(lines[0])
    assert match is not None, lines[0]
    assert match["file"] == str(R001)
    assert (match["line"], match["column"], match["severity"], match["code"]) == (
        "44", "12", "error", "R001")
    assert match["message"].startswith("unknown role 'petugass' (did you mean 'petugas'?)")
    assert re.match(r"^\s+hint: Declare it under 'roles:'", lines[1])
    assert lines[2] == f"{R001}: invalid (1 error(s), 0 warning(s))"


def test_text_output_lists_every_diagnostic_in_order() -> None:
    result = run("validate", G004)
    found = [m.group("code", "line") for m in map(LINE.match, result.stdout.splitlines()) if m]
    assert found == [("G004", "25"), ("G005", "32")]


# --- json output ----------------------------------------------------------------------------

def test_json_output_has_every_field() -> None:
    result = run("validate", "--format", "json", R001)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    (entry,) = report["files"]
    assert entry["file"] == str(R001) and entry["valid"] is False
    (diagnostic,) = entry["diagnostics"]
    assert {"file", "line", "column", "code", "message", "hint"} <= set(diagnostic)
    assert diagnostic == {
        "code": "R001", "severity": "error", "file": str(R001), "line": 44, "column": 12,
        "path": "steps[2].actor",
        "message": "unknown role 'petugass' (did you mean 'petugas'?)",
        "hint": "Declare it under 'roles:' or use one of: kepala, petugas.",
    }


def test_json_output_for_a_valid_file() -> None:
    result = run("validate", "--format", "json", MINIMAL)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "valid": True, "files": [{"file": str(MINIMAL), "kind": "procedure", "valid": True,
                                  "diagnostics": []}]}


# --- strict and languages -------------------------------------------------------------------

def test_warnings_pass_unless_strict() -> None:
    relaxed = run("validate", WARNING_ONLY)
    assert relaxed.exit_code == 0
    assert "warning G007" in relaxed.stdout
    assert "valid (0 error(s), 1 warning(s))" in relaxed.stdout
    strict = run("validate", "--strict", WARNING_ONLY)
    assert strict.exit_code == 1
    assert "invalid (0 error(s), 1 warning(s))" in strict.stdout
    as_json = json.loads(run("validate", "--strict", "--format", "json", WARNING_ONLY).stdout)
    assert as_json["valid"] is False
    assert run("validate", "--strict", MINIMAL).exit_code == 0


def test_lang_id_gives_indonesian_messages() -> None:
    result = run("--lang", "id", "validate", R001)
    assert result.exit_code == 1
    assert "galat R001 peran 'petugass' tidak dikenal (maksud Anda 'petugas'?)" in result.stdout
    assert "petunjuk: Deklarasikan di bawah 'roles:'" in result.stdout
    assert "(di steps[2].actor)" in result.stdout


def test_alur_lang_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_LANG", "id")
    assert "tidak dikenal" in run("validate", R001).stdout
    assert "unknown role" in run("--lang", "en", "validate", R001).stdout


# --- show -----------------------------------------------------------------------------------

def test_show_text_for_the_minimal_procedure() -> None:
    result = run("show", MINIMAL)
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == "Layanan Contoh  [contoh v1]"
    assert "decree:  000/1/2024" in out
    assert "time limit: 3 working day(s) from case opened" in out
    assert "terima: Terima permohonan — Petugas" in out
    assert "◇ Tolak → end: rejected" in out
    assert "documents: ktp [sensitive], surat" in out
    assert (f"missing SP components (8 of 14): {', '.join(INTERNAL_COMPONENTS)}"
            in out)


def test_show_json_for_the_minimal_procedure() -> None:
    result = run("show", "--format", "json", MINIMAL)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["id"], data["title"], data["version"]) == ("contoh", "Layanan Contoh", "1")
    assert [s["id"] for s in data["steps"]] == ["terima", "putus", "terbit"]
    assert data["steps"][1]["outcomes"] == [
        {"id": "setuju", "label": "Setuju", "when": None, "refer": None, "to": "terbit"},
        {"id": "tolak", "label": "Tolak", "when": None, "refer": None, "to": "end: rejected"}]
    assert data["requirements"][0]["number"] == "1"
    assert data["requirements"][0]["documents"] == ["ktp"]
    assert data["time_limit"]["bound"] == "max"
    assert data["missing_components"] == list(INTERNAL_COMPONENTS)


def test_show_lists_missing_published_components(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace('requirements:\n  - {number: 1, text: "KTP", document: ktp}\n', "")
    text = text.replace("  amount: 3\n", "  amount: null\n")
    text = text.replace("  dasar_hukum: {status: unknown}", "  dasar_hukum: {status: filled}")
    path = tmp_path / "sparse.yaml"
    path.write_text(text, encoding="utf-8")
    data = json.loads(run("show", "--format", "json", path).stdout)
    assert data["missing_components"] == [*INTERNAL_COMPONENTS[1:], "persyaratan",
                                          "jangka_waktu"]
    out = run("show", path).stdout
    assert "missing SP components (9 of 14): sarana_prasarana," in out
    # no amount: no unit is printed either (the file's unit counts nothing)
    assert "time limit: (not given by the source), from case opened" in out
    assert "working day" not in out
    assert out.rstrip().endswith("persyaratan, jangka_waktu")


def test_show_by_id_from_the_procedures_folder(tmp_path: Path) -> None:
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "contoh.yaml").write_bytes(MINIMAL.read_bytes())
    result = run("show", "contoh")
    assert result.exit_code == 0
    assert "Layanan Contoh" in result.stdout


def test_show_nonexistent_exits_3() -> None:
    result = run("show", "nonexistent")
    assert result.exit_code == 3
    assert "nonexistent" in result.output
    assert run("show", "nonexistent.yaml").exit_code == 3


def test_show_invalid_procedure_exits_1_with_its_diagnostics() -> None:
    result = run("show", R001)
    assert result.exit_code == 1
    assert "R001" in result.output


# --- the validation additions of issue #17, from the command line -----------------------------

def _edited(tmp_path: Path, *changes: tuple[str, str], name: str = "p.yaml") -> Path:
    return edited_minimal(tmp_path, *changes, name=name)


def _strict(path: Path) -> list[dict[str, str]]:
    """``alur validate --strict``: refused (exit 1), every problem a located line."""
    result = run("validate", "--strict", path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    found = [m.groupdict() for line in result.stdout.splitlines() if (m := LINE.match(line))]
    assert found, result.output
    return found


def test_a_value_no_choice_fact_takes_is_refused(tmp_path: Path) -> None:
    [problem] = _strict(FIXTURES / "invalid" / "R016-value-not-among-choices.yaml")
    assert problem["code"] == "R016" and (problem["line"], problem["column"]) == ("41", "43")


def test_lower_case_true_gets_a_did_you_mean(tmp_path: Path) -> None:
    path = _edited(tmp_path, ("    actor: kepala\n",
                              "    actor: kepala\n    when: is_child == true\n"))
    [problem] = _strict(path)
    assert problem["code"] == "R004" and "did you mean 'True'" in problem["message"]


def test_the_calendar_file_is_checked_by_validate(tmp_path: Path) -> None:
    path = _edited(tmp_path, ("  region: Kota Contoh\n",
                              "  region: Kota Contoh\n  calendar: libur.yaml\n"))
    [missing] = _strict(path)
    assert missing["code"] == "R017" and missing["file"].endswith("p.yaml")
    (tmp_path / "libur.yaml").write_text("version: 1\nholidays:\n  - {date: 2026-02-30, "
                                         "name: Tidak ada}\n", encoding="utf-8")
    problems = _strict(path)
    assert problems and all(p["file"].endswith("libur.yaml") for p in problems)


@pytest.mark.parametrize(("line", "marker", "column"), [
    ("  - {id: kepala, title: GANTI}\n", "GANTI", "25"),
    ("  - {id: kepala, title: Kepala Dinas}  # REVIEW: pelaku disimpulkan\n", "REVIEW", "40")])
def test_leftover_template_markers_fail_strict(tmp_path: Path, line: str, marker: str,
                                               column: str) -> None:
    path = _edited(tmp_path, ("  - {id: kepala, title: Kepala Dinas}\n", line))
    assert run("validate", path).exit_code == 0  # a warning-free draft passes without --strict
    [problem] = _strict(path)
    assert (problem["code"], problem["line"], problem["column"]) == ("R024", "14", column)
    assert marker in problem["message"]
    assert "invalid (1 error(s), 0 warning(s))" in run("validate", "--strict", path).stdout


def test_type_hints_show_the_right_form(tmp_path: Path) -> None:
    path = _edited(tmp_path, ('    number: "1"\n', '    number: 4\n    deadline: 3\n'))
    result = run("validate", "--strict", path)
    assert result.exit_code == 1
    assert 'number: "4"' in result.stdout
    assert "deadline: {amount: 1, unit: working_days}" in result.stdout


def test_r009_hint_says_to_remove_next_or_end() -> None:
    result = run("validate", "--strict", FIXTURES / "invalid" / "R009-next-and-end.yaml")
    assert result.exit_code == 1
    assert "R009" in result.stdout and "remove 'next' or 'end'" in result.stdout
    assert "add one" not in result.stdout


def test_the_graph_draws_a_loop_only_where_a_cycle_closes(tmp_path: Path) -> None:
    """Steps listed out of order ('terbit' first, reached from the decision listed after it):
    ``alur graph`` draws no loop edge (no ↺), where Mediasi's monitoring loop is drawn as one."""
    text = MINIMAL.read_text(encoding="utf-8")
    start, end = text.index("  - id: terbit\n"), text.index("time_limit:")
    head = text.index("steps:\n") + len("steps:\n")
    path = tmp_path / "urutan.yaml"
    path.write_text(text[:head] + text[start:end] + text[head:start] + text[end:],
                    encoding="utf-8")
    assert run("validate", "--strict", path).exit_code == 0
    for fmt in ("dot", "mermaid"):
        drawn = run("graph", path, "--format", fmt)
        assert drawn.exit_code == 0, drawn.output
        assert "↺" not in drawn.stdout
    loop = run("graph", ROOT / "procedures" / "mediasi.yaml", "--format", "dot")
    assert loop.stdout.count("↺") == 1
