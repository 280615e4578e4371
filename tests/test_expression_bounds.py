"""Issue 16: a condition could hang validation and workers.

``[[0]*99999]*99999 == [[0]*99999]*99999 and x`` in a ``when:`` ran for ~1000 s: simpleeval allows
a list of 99,999 items, repeated 99,999 times by reference, and comparing two of them walks
10^10 items. Conditions are now bounded (no repetition of a list or text, limits on length,
parts, list items and numbers) and a condition past a bound is an R007 at its line.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.messages import text
from engine.procedure import expressions
from engine.procedure.expressions import ExpressionError, check, evaluate
from engine.procedure.validate import check_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "invalid" / "R007-forbidden-construct.yaml"
HANG = "[[0]*99999]*99999 == [[0]*99999]*99999 and is_child"


def _procedure_with(condition: str) -> bytes:
    text = FIXTURE.read_text(encoding="utf-8")
    return text.replace('when: "is_child.__class__"', f"when: {condition!r}").encode()


def test_the_hanging_condition_is_an_r007_at_its_line_and_quick() -> None:
    started = time.monotonic()
    diagnostics = check_bytes(_procedure_with(HANG)).diagnostics
    assert time.monotonic() - started < 10  # was ~1000 s
    (r007,) = [d for d in diagnostics if d.code == "R007"]
    assert r007.message.endswith(text(f"term.{expressions.REPEAT}", "en")[0])
    assert r007.line == 30
    assert check_bytes(_procedure_with(HANG), lang="id").diagnostics[0].message.endswith(
        "pengulangan daftar atau teks (*)")


@pytest.mark.parametrize(("condition", "construct"), [
    ("[0] * 3 == [0, 0, 0] and is_child", expressions.REPEAT),
    ("3 * (0,) == (0, 0, 0)", expressions.REPEAT),
    ("'ab' * 99999 == 'x'", expressions.REPEAT),
    ("x or " * 110 + "x", expressions.MANY_NODES),
    ("is_child and " + "1 == 1 and " * 100 + "True", expressions.LONG_TEXT),
    ("is_child in [" + ", ".join(["1"] * 101) + "]", expressions.MANY_ITEMS),
    ("10 ** 2 == 100", "power"),
    ("1" + "0" * 18 + " > 1", expressions.BIG_NUMBER),
    ("1e308 * 10 > 1", expressions.BIG_NUMBER),
])
def test_bounds(condition: str, construct: str) -> None:
    problems = check(condition, {"is_child", "x"})
    assert [(p.kind, p.detail) for p in problems] == [("construct", construct)]


def test_within_the_bounds_is_fine() -> None:
    assert check("is_child in [" + ", ".join(["1"] * 100) + "]", {"is_child"}) == []
    assert check("is_child * 3 > 10**0" .replace("10**0", "999999999999999999"),
                 {"is_child"}) == []


def test_a_text_fact_is_not_repeated_when_evaluated() -> None:
    # the literal is refused when checked; a fact's text only shows when the case runs
    with pytest.raises(ExpressionError, match="repeat"):
        evaluate("name * n == ''", {"name": "x" * 2000, "n": 10**6})
    assert evaluate("n * 3 == 6", {"n": 2}) is True


_leaf = st.one_of(st.sampled_from(["a", "b", "n"]), st.integers(-10**6, 10**6).map(str),
                  st.sampled_from(["[1, 2]", "'x'", "(1,)", "True"]))


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    ops = st.sampled_from(["and", "or", "==", "!=", "<", "+", "-", "*", "%", "//", "in"])
    return st.one_of(st.tuples(children, ops, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                     children.map(lambda c: f"(not {c})"),
                     st.lists(children, max_size=5).map(lambda xs: f"[{', '.join(xs)}]"))


@settings(max_examples=300, deadline=None)
@given(st.recursive(_leaf, _combine, max_leaves=60), st.booleans(), st.integers(-99, 99))
def test_any_accepted_condition_evaluates_quickly(condition: str, a: bool, n: int) -> None:
    """Whatever passes the checks evaluates in bounded work: no repetition survives, and the
    values stay small (a timing bound generous enough for a loaded machine)."""
    if check(condition, {"a", "b", "n"}):
        return
    started = time.monotonic()
    with contextlib.suppress(ExpressionError):
        evaluate(condition, {"a": a, "b": not a, "n": n})
    assert time.monotonic() - started < 2
