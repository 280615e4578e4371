"""``alur audit verify`` reports a case whose stored rows cannot be read as that case's finding
and goes on with the others; only the failures a row of the wrong shape gives are caught there,
so a bug in alur is raised, not turned into a finding about the data (issue #21 item 8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from runtime_support import open_sapa

from engine import Engine
from engine.cli import audit as audit_cli
from engine.cli import main


def _verify_with_one_case_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  failure: Exception) -> tuple[Any, str, str]:
    url = f"sqlite:///{tmp_path / 'alur.db'}"
    with Engine(url, lang="en") as engine:
        broken = open_sapa(engine).case.case_id
        fine = open_sapa(engine).case.case_id
    inspect = audit_cli._inspect

    def failing(engine: Engine, case_id: str) -> Any:
        if case_id == broken:
            raise failure
        return inspect(engine, case_id)

    monkeypatch.setattr(audit_cli, "_inspect", failing)
    result = CliRunner().invoke(main, ["audit", "verify", "--db", url, "--format", "json"])
    return result, broken, fine


def test_a_row_of_the_wrong_shape_is_that_cases_finding(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    result, broken, fine = _verify_with_one_case_failing(
        tmp_path, monkeypatch, TypeError("'int' object is not subscriptable"))
    assert result.exit_code == 5, result.output  # a store whose rows do not verify
    findings = json.loads(result.output)["problems"]
    assert [(f["case_id"], f["kind"]) for f in findings] == [(broken, "unreadable")]
    assert fine != broken


def test_a_bug_is_raised_not_reported_as_unreadable_data(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    result, _, _ = _verify_with_one_case_failing(tmp_path, monkeypatch,
                                                 RuntimeError("a bug in alur"))
    assert isinstance(result.exception, RuntimeError)
    assert "unreadable" not in result.output
