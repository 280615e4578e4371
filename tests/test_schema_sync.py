"""The committed JSON Schemas are the one the model generates, and it is strict about keys.

There are two generated copies, both written by ``make schema``: ``engine/data`` (package data,
what validation and ``alur schema`` read, so a process does not generate it on start) and
``schemas/`` (what editors point at)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from engine.procedure.shape import SCHEMA_FILE, generated_schema, procedure_schema, write_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "procedure.schema.json"
SHIPPED = ROOT / "engine" / "data" / "procedure.schema.json"
MINIMAL = ROOT / "tests" / "fixtures" / "valid" / "minimal.yaml"
OUT_OF_DATE = ("schemas/procedure.schema.json or engine/data/procedure.schema.json is out of "
               "date with engine/procedure/model.py: run `make schema` and commit the result")


def committed() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def minimal() -> dict[str, Any]:
    return yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def validator() -> jsonschema.protocols.Validator:
    schema = committed()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


def test_committed_schema_equals_alur_schema_output() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == committed(), OUT_OF_DATE


def test_committed_schema_equals_the_model() -> None:
    assert generated_schema() == committed(), OUT_OF_DATE


def test_loaded_schema_is_the_shipped_copy_and_equals_the_model() -> None:
    assert Path(SCHEMA_FILE) == SHIPPED
    assert procedure_schema() == generated_schema(), OUT_OF_DATE
    assert procedure_schema() == committed(), OUT_OF_DATE


def test_both_copies_are_byte_for_byte_what_make_schema_writes(tmp_path: Path) -> None:
    written = tmp_path / "procedure.schema.json"
    write_schema(written)
    assert SHIPPED.read_bytes() == written.read_bytes(), OUT_OF_DATE
    assert SCHEMA.read_bytes() == written.read_bytes(), OUT_OF_DATE


def test_the_shipped_schema_is_package_data() -> None:
    """A non-editable install carries engine/data/*.json (pyproject.toml package-data)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["engine"]
    assert any(SHIPPED.relative_to(ROOT / "engine").match(p) for p in patterns)


def test_schema_is_draft_2020_12() -> None:
    assert committed()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert isinstance(validator(), jsonschema.Draft202012Validator)


def test_minimal_procedure_matches_the_schema() -> None:
    assert list(validator().iter_errors(minimal())) == []


@pytest.mark.parametrize("where", [(), ("agency",), ("steps", 0), ("components", "dasar_hukum")],
                         ids=["top", "agency", "step", "component"])
def test_schema_rejects_an_unknown_key(where: tuple[str | int, ...]) -> None:
    data = copy.deepcopy(minimal())
    node: Any = data
    for part in where:
        node = node[part]
    node["titel"] = "typo"
    errors = list(validator().iter_errors(data))
    assert [e.validator for e in errors] == ["additionalProperties"]
    assert tuple(errors[0].absolute_path) == where
    assert "titel" in errors[0].message


def test_every_object_in_the_schema_forbids_extra_keys() -> None:
    schema = committed()
    objects = [schema, *schema["$defs"].values()]
    for node in objects:
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, node.get("title")
