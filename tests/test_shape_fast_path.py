"""The quick way through layer 1 (``engine.procedure.shape.conforming``) never lets through what
the schema
refuses, and types a file exactly as the full path does.

Validation first tries pydantic's strict JSON mode; only when it refuses does jsonschema run (and
get imported). That is safe only if strict acceptance implies that the JSON Schema accepts too
and that the lax ``Procedure.model_validate`` gives the same procedure; these tests check both on
every fixture and on thousands of procedures broken one value at a time.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from test_loader_properties import DATA, PROPERTY, mutated, slots

from engine.procedure.model import Procedure
from engine.procedure.shape import check_shape, conforming
from engine.procedure.source import SourceDoc, read_bytes, read_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted([*(ROOT / "procedures").glob("*.yaml"),
                   *(ROOT / "tests" / "fixtures").rglob("*.yaml")])

# values near the edges of what the model takes: wrong types, numbers that are whole but float,
# ids that almost match the pattern, lengths at the limits, enum values of other fields
EDGE_VALUES = st.one_of(
    st.sampled_from([
        None, True, False, 0, 1, -1, 3650, 3651, 1.0, 2.5, 0.0, "", "a", "abc\n", "Abc", "a-b",
        "a" * 64, "a" * 65, "x" * 2_001, "1", "true", "null", "completed", "terminated", "hours",
        "working_days", "calendar_days", "case_opened", "step_completed", "required",
        "required_if", "optional", "requirement", "produced", "bool", "enum", "int", "str",
        "staff", "team", "external", "max", "min", "exact", "IDR", "phone", "ambiguity",
        "Asia/Jakarta", "filled", "absent", "unknown", "id", "en",
        [], {}, ["a"], ["a", "a"], [1], [None], {"a": 1}, {"id": "a"},
    ]),
    st.integers(min_value=-5, max_value=4_000),
    st.text(alphabet="abz_09\n -A", max_size=8),
    st.lists(st.sampled_from(["a", "b", "", 1, None]), max_size=3),
)


@st.composite
def one_value_changed(draw: st.DrawFn) -> dict[str, Any]:
    """A valid procedure with one value replaced, one key removed or one key added."""
    data = copy.deepcopy(DATA[draw(st.sampled_from(sorted(DATA)))])
    places = slots(data, [])
    container, key = draw(st.sampled_from(places))
    how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
    if how == "replace":
        container[key] = draw(EDGE_VALUES)
    elif how == "delete":
        del container[key]
    elif isinstance(container[key], dict):
        container[key][draw(st.sampled_from(["x", "id", "next", "end", "label"]))] = \
            draw(EDGE_VALUES)
    return data


def assert_no_looser_than_the_schema(doc: SourceDoc) -> None:
    if not doc.ok or doc.data is None:
        return
    quick = conforming(doc.data)
    if quick is None:
        return
    assert check_shape(doc) == [], "the quick path took data the JSON Schema refuses"
    assert quick == Procedure.model_validate(doc.data)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_agrees(path: Path) -> None:
    doc = read_bytes(path.read_bytes(), str(path))
    assert_no_looser_than_the_schema(doc)


def test_the_quick_path_takes_every_valid_procedure() -> None:
    valid = [*(ROOT / "procedures").glob("*.yaml"), *(ROOT / "tests/fixtures/valid").glob("*")]
    for path in valid:
        doc = read_bytes(path.read_bytes(), str(path))
        assert conforming(doc.data) is not None, path.name


@PROPERTY
@given(one_value_changed())
def test_one_changed_value_is_never_taken_when_the_schema_refuses(data: dict[str, Any]) -> None:
    doc = read_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert_no_looser_than_the_schema(doc)


@PROPERTY
@given(mutated())
def test_mutated_files_are_never_taken_when_the_schema_refuses(raw: bytes) -> None:
    assert_no_looser_than_the_schema(read_bytes(raw))


def test_a_valid_file_is_validated_without_importing_jsonschema() -> None:
    code = ("import sys; from engine.procedure.validate import validate; "
            "assert validate('procedures/mediasi.yaml') == []; "
            "assert 'jsonschema' not in sys.modules, 'jsonschema was imported'; "
            "assert validate('tests/fixtures/invalid/S001-unknown-key.yaml'); "
            "assert 'jsonschema' in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
