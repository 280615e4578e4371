"""Property tests: whatever text arrives, the validator answers with diagnostics, never a crash.

(a) structure-aware mutations of the valid procedures (delete a key, replace a value, duplicate a
list item, rename a key, swap two step ids, insert text into the file) and (b) arbitrary text and
bytes. For each: ``check_bytes`` returns, every diagnostic is a :class:`Diagnostic` placed inside
the file, and a procedure comes back exactly when there is no error.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.diagnostics import Diagnostic, Severity
from engine.procedure.source import read_text
from engine.procedure.validate import Checked, check_bytes

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {p.name: p.read_text(encoding="utf-8")
           for p in [*sorted((ROOT / "tests" / "fixtures" / "valid").glob("*.yaml")),
                     *sorted((ROOT / "procedures").glob("*.yaml"))]}
DATA = {name: yaml.safe_load(text) for name, text in SOURCES.items()}

PROPERTY = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

KEYS = ["id", "title", "next", "end", "decision", "outcomes", "actor", "steps", "roles", "when",
        "requires", "produces", "kind", "type", "values", "amount", "unit", "x", "", "<<"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["terima", "putus", "end", "completed", "required_if", "enum", "bool",
                     "is_child and not x", "a.__class__", "f()", "2**99", "*x", "&a", "!!str",
                     "petugas", "ktp", "working_days", "step_completed", "ambiguity"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner,
                                            max_size=4)),
    max_leaves=12,
)
SNIPPETS = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=":-[]{}#&*!|>'\"%@`?,\t\n \\ab01", max_size=20),
    st.sampled_from(["\n  ", ": ", "- ", "\t", "---\n", "&a ", "*a", "!!python/object:os.system ",
                     "? ", "{", "[", "\ufeff", "\x00", "\r", "\u2028", "'", '"', "#"]),
)


def slots(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) pair in ``node``, depth first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, value in current.items():
                out.append((current, key))
                stack.append(value)
        elif isinstance(current, list):
            for index, value in enumerate(current):
                out.append((current, index))
                stack.append(value)
    return out


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(sorted(SOURCES)))
    kind = draw(st.sampled_from(["delete", "replace", "duplicate", "rename", "swap", "insert"]))
    if kind == "insert":
        text = SOURCES[name]
        at = draw(st.integers(min_value=0, max_value=len(text)))
        return (text[:at] + draw(SNIPPETS) + text[at:]).encode("utf-8")
    data = copy.deepcopy(DATA[name])
    every = slots(data, [])
    if kind == "delete":
        keyed = [(c, k) for c, k in every if isinstance(c, dict)]
        container, key = draw(st.sampled_from(keyed))
        del container[key]
    elif kind == "replace":
        container, key = draw(st.sampled_from(every))
        container[key] = draw(VALUES)
    elif kind == "duplicate":
        listed = [(c, i) for c, i in every if isinstance(c, list)]
        container, index = draw(st.sampled_from(listed))
        container.insert(index, copy.deepcopy(container[index]))
    elif kind == "rename":
        keyed = [(c, k) for c, k in every if isinstance(c, dict)]
        container, key = draw(st.sampled_from(keyed))
        container[draw(st.sampled_from(KEYS) | st.text(max_size=12))] = container.pop(key)
    else:  # swap the ids of two steps
        steps = data["steps"]
        i = draw(st.integers(min_value=0, max_value=len(steps) - 1))
        j = draw(st.integers(min_value=0, max_value=len(steps) - 1))
        steps[i]["id"], steps[j]["id"] = steps[j]["id"], steps[i]["id"]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def assert_well_formed(checked: Checked, raw: bytes, name: str) -> None:
    assert isinstance(checked, Checked)
    assert isinstance(checked.diagnostics, tuple)
    has_error = False
    lines = len(raw.decode("utf-8", "replace").splitlines())
    for diagnostic in checked.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert isinstance(diagnostic.severity, Severity)
        assert diagnostic.file == name
        assert 1 <= diagnostic.line <= lines + 1, (diagnostic, lines)
        assert diagnostic.column >= 1, diagnostic
        assert diagnostic.message
        has_error |= diagnostic.is_error
    assert (checked.procedure is None) == has_error
    places = [(d.line, d.column) for d in checked.diagnostics]
    assert places == sorted(places)


@PROPERTY
@given(mutated())
def test_mutated_procedures_give_diagnostics_never_exceptions(raw: bytes) -> None:
    assert_well_formed(check_bytes(raw, "mutated.yaml"), raw, "mutated.yaml")


@PROPERTY
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    assert_well_formed(check_bytes(raw, "bytes.yaml"), raw, "bytes.yaml")


@PROPERTY
@given(st.text(max_size=2000))
def test_arbitrary_text_never_raises(text: str) -> None:
    raw = text.encode("utf-8")
    assert_well_formed(check_bytes(raw, "text.yaml"), raw, "text.yaml")
    assert isinstance(read_text(text).diagnostics, list)


@PROPERTY
@given(st.text(alphabet=":-[]{}#&*!|>?,'\"\n\t abc01.", max_size=300))
def test_yaml_punctuation_never_raises(text: str) -> None:
    raw = text.encode("utf-8")
    assert_well_formed(check_bytes(raw, "punct.yaml"), raw, "punct.yaml")
