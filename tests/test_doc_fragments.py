"""Every YAML example of docs/language.md and docs/panduan.md is valid language.

A block that is a whole procedure must load as one; a block of top-level keys (``time_limit:``,
``phase_limits:``, ``complaints:`` ...) must hold what the procedure's fields accept; a block that
is a list (``- id: korban ...``) must be a list of one of the language's items (roles, steps,
documents ...). Blocks indented inside a list item of the text are read dedented. A block of
some of a step's keys (``repeat:``, ``plan:`` ...) or of a decision's ``outcomes`` holds what
those fields accept, and a case file (``procedure:`` and ``cases:``) is a valid case file.
Empty or comment-only blocks are not examples and are not collected.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from engine.cases.case_file import check_case_record_file
from engine.procedure.model import (
    ComplaintChannel,
    Decision,
    Document,
    Fact,
    Flag,
    PhaseLimit,  # not in __all__: a part of Procedure
    Procedure,
    Requirement,
    Role,
    Step,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"^(?P<indent>[ ]*)```yaml\n(?P<body>.*?)\n(?P=indent)```", re.S | re.M)
ITEMS = (Role, Step, Document, Fact, Requirement, ComplaintChannel, Flag, PhaseLimit)


def _items_of(model: type[BaseModel], data: list[Any]) -> bool:
    """``data`` is a list of ``model`` items; an excerpt (a draft's first keys of a step) may
    leave required keys out, but every key it has is the model's and holds a valid value."""
    try:
        TypeAdapter(list[model]).validate_python(data)  # type: ignore[valid-type]
        return True
    except ValidationError:
        pass
    fields = model.model_fields
    if not all(isinstance(item, dict) and item and set(item) <= set(fields) for item in data):
        return False
    try:
        for item in data:
            for key, value in item.items():
                TypeAdapter(fields[key].annotation).validate_python(value)
    except ValidationError:
        return False
    return True


def _blocks() -> list[tuple[str, Any]]:
    found = []
    for name in ("language.md", "panduan.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            line = text[:match.start()].count("\n") + 1
            body = textwrap.dedent(match["body"])
            if yaml.safe_load(body) is not None:  # not an empty or comment-only block
                found.append((f"{name}:{line}", body))
    return found


BLOCKS = _blocks()


def test_the_guides_have_examples_for_the_language_of_issue_17() -> None:
    """Each addition has a YAML example in the Indonesian guide too."""
    guide = "\n".join(body for where, body in BLOCKS if where.startswith("panduan"))
    for key in ("joint:", "repeat:", "phase_limits:", "until_step:", "bound: min", "any_of:",
                "documents: [ktp, kk]", "channels:", "platform:", "kind: missing",
                "aliases:", "number: \"1.2\""):
        assert key in guide, f"docs/panduan.md has no YAML example with {key!r}"


@pytest.mark.parametrize(("where", "body"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_every_yaml_example_is_valid_language(where: str, body: str) -> None:
    data = yaml.safe_load(body)
    if isinstance(data, list):
        accepted = [item.__name__ for item in ITEMS if _items_of(item, data)]
        assert accepted, f"{where}: a list of no item of the language"
        return
    assert isinstance(data, dict), where
    if {"id", "roles", "steps"} <= set(data):
        Procedure.model_validate(data)
        return
    if {"procedure", "cases"} <= set(data):  # a case file, read as alur run reads one
        read = check_case_record_file(body.encode("utf-8"), name=where)
        assert read.model is not None and not read.diagnostics, read.diagnostics
        return
    # a procedure's top-level keys, some of a step's keys, or a decision's outcomes
    for model in (Procedure, Step, Decision):
        if set(data) <= set(model.model_fields):
            fields = model.model_fields
            break
    else:
        raise AssertionError(f"{where}: keys of no part of the language: {sorted(data)}")
    for key, value in data.items():
        TypeAdapter(fields[key].annotation).validate_python(value)
