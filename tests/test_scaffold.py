"""``alur new``: a new procedure skeleton that validates, explains every key and never
overwrites a file by accident."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from cli import main
from engine.authoring.scaffold import DEFAULT_SCHEMA, Answers, modeline_for, scaffold
from engine.procedure.validate import check_bytes, check_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ALUR_LANG", raising=False)
    monkeypatch.setenv("ALUR_PROCEDURES", str(tmp_path / "procedures"))


def run(*args: str | Path, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def assert_valid_file(path: Path) -> dict[str, object]:
    checked = check_path(path)
    assert not checked.diagnostics, "\n".join(d.format() for d in checked.diagnostics)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --- the skeleton ----------------------------------------------------------------------------

def test_default_skeleton_validates_cleanly() -> None:
    text = scaffold(Answers())
    checked = check_bytes(text.encode("utf-8"))
    assert checked.procedure is not None
    assert checked.diagnostics == ()
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={DEFAULT_SCHEMA}"
    procedure = checked.procedure
    assert len(procedure.steps) == 3
    assert sum(step.decision is not None for step in procedure.steps) == 1


def test_every_key_has_a_comment_in_both_languages() -> None:
    lines = scaffold(Answers()).splitlines()
    keys = [i for i, line in enumerate(lines)
            if re.match(r"^(  )?[a-z_]+:", line) and not line.startswith("  - ")]
    explained = 0
    for index in keys:
        block = []
        j = index - 1
        while j >= 0 and lines[j].lstrip().startswith("#"):
            block.append(lines[j])
            j -= 1
        if lines[index].startswith("  ") and not block:
            continue   # a nested key explained by its parent's comment
        text = " ".join(block)
        assert "ID" in text and "EN" in text, lines[index]
        explained += 1
    top_level = [i for i in keys if not lines[i].startswith(" ")]
    assert explained >= len(top_level) >= 15


def test_answers_are_used_and_quoted() -> None:
    answers = Answers(id="konseling", title='Layanan "Konseling": Psikologis # 1',
                      agency="Dinas P3A", region="Kabupaten Sukamaju", timezone="Asia/Makassar",
                      unit="UPTD PPA")
    text = scaffold(answers)
    checked = check_bytes(text.encode("utf-8"))
    assert checked.procedure is not None
    assert checked.procedure.id == "konseling"
    assert checked.procedure.title == 'Layanan "Konseling": Psikologis # 1'
    assert checked.procedure.agency.unit == "UPTD PPA"
    assert checked.procedure.agency.timezone == "Asia/Makassar"


def test_bad_answers_fall_back_to_safe_values() -> None:
    text = scaffold(Answers(id="Not An Id", title="  ", agency="", region="", timezone="UTC",
                            unit="  "), modeline="not a comment\nid: x")
    checked = check_bytes(text.encode("utf-8"))
    assert checked.procedure is not None
    assert checked.procedure.id == Answers().id
    assert checked.procedure.agency.unit is None
    assert text.startswith("# yaml-language-server:")


def test_modeline_points_at_the_schema(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "procedure.schema.json").write_text("{}", encoding="utf-8")
    deep = tmp_path / "tests" / "fixtures" / "valid" / "x.yaml"
    assert modeline_for(deep, tmp_path).endswith("$schema=../../../schemas/procedure.schema.json")
    assert modeline_for(tmp_path / "procedures" / "x.yaml", tmp_path).endswith(
        f"$schema={DEFAULT_SCHEMA}")
    outside = modeline_for(tmp_path / "x.yaml", tmp_path / "elsewhere")
    schema = Path(outside.split("$schema=", 1)[1])
    assert schema.is_absolute() and schema.is_file()  # outside a clone: the installed schema


# --- the command -------------------------------------------------------------------------------

def test_new_with_flags_writes_a_valid_file(tmp_path: Path) -> None:
    target = tmp_path / "konseling.yaml"
    result = run("new", "-o", target, "--no-interactive", "--id", "konseling", "--title",
                 "Layanan Konseling Psikologis", "--agency", "Dinas P3A", "--region",
                 "Kabupaten Sukamaju", "--timezone", "Asia/Jayapura")
    assert result.exit_code == 0, result.output
    assert "written (valid)" in result.stdout
    data = assert_valid_file(target)
    assert data["id"] == "konseling"
    assert data["title"] == "Layanan Konseling Psikologis"
    assert data["agency"] == {"name": "Dinas P3A", "unit": None, "region": "Kabupaten Sukamaju",
                              "timezone": "Asia/Jayapura"}
    assert run("validate", target).exit_code == 0


def test_new_without_answers_uses_defaults_in_the_procedures_folder(tmp_path: Path) -> None:
    result = run("new", "--title", "Layanan Rumah Aman")
    assert result.exit_code == 0, result.output
    target = tmp_path / "procedures" / "rumah_aman.yaml"
    data = assert_valid_file(target)
    assert data["id"] == "rumah_aman"
    assert data["agency"]["timezone"] == "Asia/Jakarta"


def test_new_interactive(tmp_path: Path) -> None:
    target = tmp_path / "out" / "baru.yaml"
    answers = "\n".join(["Layanan Konseling Psikologis", "Bad Id", "konseling",
                         "Dinas P3A Kabupaten Sukamaju", "Kabupaten Sukamaju", "UPTD PPA",
                         "Asia/Makassar", ""])
    result = run("new", "-o", target, "--interactive", stdin=answers)
    assert result.exit_code == 0, result.output
    assert "Service name" in result.stdout and "Procedure id" in result.stdout
    assert "lower-case letters" in result.output     # the bad id was asked again
    data = assert_valid_file(target)
    assert data["id"] == "konseling"
    assert data["title"] == "Layanan Konseling Psikologis"
    assert data["agency"] == {"name": "Dinas P3A Kabupaten Sukamaju", "unit": "UPTD PPA",
                              "region": "Kabupaten Sukamaju", "timezone": "Asia/Makassar"}


def test_new_interactive_accepts_the_suggestions(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    result = run("--lang", "id", "new", "-o", target, "--interactive", stdin="\n" * 8)
    assert result.exit_code == 0, result.output
    assert "Nama layanan" in result.stdout and "ditulis (valid)" in result.stdout
    data = assert_valid_file(target)
    assert data["id"] == "baru"
    assert data["agency"]["unit"] is None


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "konseling.yaml"
    target.write_text("hand-written work\n", encoding="utf-8")
    result = run("new", "-o", target, "--no-interactive")
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "hand-written work\n"
    forced = run("new", "-o", target, "--no-interactive", "--force")
    assert forced.exit_code == 0
    assert_valid_file(target)


def test_new_to_stdout() -> None:
    result = run("new", "-o", "-", "--no-interactive", "--id", "contoh")
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=")
    assert check_bytes(result.stdout.encode("utf-8")).procedure is not None


def test_new_rejects_a_bad_id(tmp_path: Path) -> None:
    result = run("new", "-o", tmp_path / "x.yaml", "--id", "Bad Id", "--no-interactive")
    assert result.exit_code == 2
    assert not (tmp_path / "x.yaml").exists()


def test_new_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run("new", "-o", blocker / "x.yaml", "--no-interactive")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


def test_new_refusal_in_indonesian(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("", encoding="utf-8")
    result = run("--lang", "id", "new", "-o", target, "--no-interactive")
    assert result.exit_code == 1
    assert "sudah ada; tidak ditimpa" in result.stderr


def test_new_outside_the_repository_writes_a_modeline_that_resolves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from cli import main

    monkeypatch.chdir(tmp_path)  # no schemas/ here: not a clone
    result = CliRunner().invoke(main, ["new", "--id", "coba", "-o", "coba.yaml",
                                       "--no-interactive"])
    assert result.exit_code == 0, result.output
    first = (tmp_path / "coba.yaml").read_text(encoding="utf-8").splitlines()[0]
    target = first.split("$schema=", 1)[1]
    resolved = (tmp_path / target) if not Path(target).is_absolute() else Path(target)
    assert resolved.is_file()
    assert '"$schema"' in resolved.read_text(encoding="utf-8")


def test_validate_strict_refuses_the_skeletons_placeholders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALUR_LANG", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["new", "--id", "coba", "-o", "coba.yaml",
                                "--no-interactive"]).exit_code == 0
    assert runner.invoke(main, ["validate", "coba.yaml"]).exit_code == 0  # a valid skeleton
    strict = runner.invoke(main, ["validate", "--strict", "coba.yaml"])
    assert strict.exit_code == 1
    assert "template placeholder GANTI left from 'alur new'" in strict.output
    data = runner.invoke(main, ["validate", "--strict", "--format", "json", "coba.yaml"])
    found = __import__("json").loads(data.stdout)["files"][0]["diagnostics"]
    markers = [d for d in found if d["code"] == "R024"]
    assert markers and all(d["severity"] == "error" and d["line"] and d["column"]
                           for d in markers)
    assert {d["message"].split()[2] for d in markers} <= {"GANTI", "REPLACE"}
    filled = (tmp_path / "coba.yaml").read_text(encoding="utf-8")
    import re
    filled = re.sub(r"\b(GANTI|REPLACE)\b", "isi", filled)
    (tmp_path / "coba.yaml").write_text(filled, encoding="utf-8")
    assert runner.invoke(main, ["validate", "--strict", "coba.yaml"]).exit_code == 0
