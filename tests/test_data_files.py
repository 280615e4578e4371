"""Rosters, case files and calendar overrides: one hardened reader, located diagnostics.

Each file in ``tests/fixtures/data_files/`` says its kind (``# kind: roster``) and the exact set
of diagnostics it must produce (``# expect: CODE line:column``); the kind must also be the one
``alur validate`` tells from the file's keys.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.cases.files import check_file, detect_kind
from engine.cases.roster_file import read_roster_file
from engine.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "data_files").glob("*.yaml"))
EXPECT = re.compile(r"^#\s*expect:\s*([A-Z]\d{3})\s+(\d+):(\d+)\s*$", re.MULTILINE)
KIND = re.compile(r"^#\s*kind:\s*(\S+)", re.MULTILINE)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_produces_exactly_the_expected_diagnostics(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    kind = KIND.search(text)
    assert kind is not None, f"{path.name} has no '# kind:' line"
    assert detect_kind(path) == kind[1]
    expected = sorted((code, int(line), int(col)) for code, line, col in EXPECT.findall(text))
    assert expected, f"{path.name} has no '# expect:' line"
    checked = check_file(path)
    assert checked.kind == kind[1]
    assert sorted((d.code, d.line, d.column) for d in checked.diagnostics) == expected
    assert all(d.hint for d in checked.diagnostics)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_validate_reports_each_problem_located_and_exits_1(path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    for code, line, column in EXPECT.findall(path.read_text(encoding="utf-8")):
        assert f"{path}:{line}:{column}: error {code} " in result.stdout


def test_a_duplicated_roster_user_is_refused_not_silently_overwritten() -> None:
    path = ROOT / "tests" / "fixtures" / "data_files" / "roster-duplicate-user.yaml"
    with pytest.raises(UsageError) as caught:
        read_roster_file(path)
    assert f"{path}:7:3: error Y002 duplicate key 'rina' (first at line 6)" \
        in caught.value.message


def test_a_valid_roster_reads_into_a_roster(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text("agency: A\nusers:\n  rina: {roles: [pendamping_ppa], name: Rina}\n"
                    "  budi: {roles: []}\n", encoding="utf-8")
    roster = read_roster_file(path)
    assert roster.holds("rina", "pendamping_ppa")
    assert roster.roles_of("budi") == frozenset()
    assert check_file(path).diagnostics == ()


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_the_example_case_files_are_valid(path: Path) -> None:
    checked = check_file(path)
    assert checked.kind == "case-file"
    assert checked.diagnostics == ()


def test_kind_can_be_given_and_json_names_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# no overrides yet\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 1  # a procedure?
    result = CliRunner().invoke(main, ["validate", "--kind", "calendar", "--format", "json",
                                       str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0]["kind"] == "calendar"


def test_located_errors_in_indonesian() -> None:
    path = ROOT / "tests" / "fixtures" / "data_files" / "roster-shape.yaml"
    result = CliRunner().invoke(main, ["--lang", "id", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:7:9: galat S002 kunci wajib 'roles' tidak ada (di users.budi)" \
        in result.stdout


def test_any_other_invalid_value_is_d001_at_its_place() -> None:
    from typing import Literal

    from engine.procedure.formats import FileModel, read_model

    class Model(FileModel):
        mode: Literal["strict", "lenient"]

    read = read_model(b"# a file\nmode: loose\n", Model, name="m.yaml")
    assert read.model is None
    [diagnostic] = read.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.path) == (
        "D001", 2, 7, "mode")
    assert "strict" in diagnostic.message and diagnostic.hint


def test_every_data_file_code_is_documented_and_produced() -> None:
    from engine.messages import CATALOGUE

    codes = {code for code in CATALOGUE if re.fullmatch(r"D\d{3}", code)}
    docs = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,4} (D\d{3})\b", docs, flags=re.MULTILINE))
    assert codes == headings
    for code in codes:
        for lang in ("en", "id"):
            template = CATALOGUE[code][lang][0]
            assert template.split("{")[0].strip("' ") in docs or "{" in template[:2], (code, lang)
    produced = {code for path in FIXTURES
                for code, _, _ in EXPECT.findall(path.read_text(encoding="utf-8"))}
    assert codes - produced == {"D001"}  # D001: test_any_other_invalid_value_is_d001_...
