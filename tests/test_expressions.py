"""Conditions evaluate the same whoever evaluates them. ``evaluate`` is a fenced fast path (kept
evaluators per thread, a cache for yes/no conditions) of ``reference_evaluate`` (a new evaluator
each time): these tests hold the two to the same verdict, and show through ``evaluate`` alone that
nothing of one evaluation (a fact, a case's text) is carried into another or kept."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.procedure.expressions import (
    ExpressionError,
    UnsetFact,
    evaluate,
    names_in,
    reference_evaluate,
)


@given(st.booleans(), st.booleans(), st.integers(-1000, 1000))
def test_evaluation_follows_python_on_the_facts(a: bool, b: bool, n: int) -> None:
    facts = {"a": a, "b": b, "n": n}
    assert evaluate("a or b", facts) is (a or b)
    assert evaluate("not a and n > 3", facts) is (not a and n > 3)
    assert evaluate("n % 7 in [0, 1]", facts) is (n % 7 in [0, 1])


def test_facts_of_one_evaluation_are_not_seen_by_the_next() -> None:
    assert evaluate("secret == 'x'", {"secret": "x"}) is True
    with pytest.raises(UnsetFact) as caught:
        evaluate("secret == 'x'", {})
    assert caught.value.name == "secret"


class _Secret(str):
    """A fact's text that can be watched (a weak reference) for anything keeping it."""


class _Person:
    """A fact value that is no text, number or flag, compared as equal to anything."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


def _kept_after(expression: str, make: Callable[[], object],
                expect: bool | type[Exception]) -> bool:
    """Whether anything still holds the value ``make`` gives after ``evaluate`` used it as
    fact ``a`` (made here: an argument would be held by the caller's frame)."""
    value = make()
    watched = weakref.ref(value)
    facts = {"a": value, "b": True}
    if isinstance(expect, bool):
        assert evaluate(expression, facts) is expect
    else:
        with pytest.raises(expect):
            evaluate(expression, facts)
    del facts, value
    gc.collect()
    return watched() is not None


@pytest.mark.parametrize(("expression", "expect"), [
    ("a == 'Siti' and b", True), ("a != 'Siti' or not b", False), ("a / 2 > 1", ExpressionError)])
def test_no_fact_is_kept_once_an_evaluation_is_over(expression: str,
                                                    expect: bool | type[Exception]) -> None:
    """Neither the kept evaluators nor any cache hold a case's text or values afterwards,
    whether the evaluation succeeded or failed."""
    assert not _kept_after(expression, lambda: _Secret("Siti"), expect)
    assert not _kept_after(expression.replace("'Siti'", "1"), _Person, expect)


def test_a_failed_evaluation_leaves_the_next_one_unaffected() -> None:
    with pytest.raises(ExpressionError):
        evaluate("n / 0 > 1", {"n": 1})
    assert evaluate("n / 2 > 0", {"n": 1}) is True
    with pytest.raises(UnsetFact):
        evaluate("n / 2 > 0", {})


class _Facts(Mapping[str, Any]):
    """A mapping that is not a dict (simpleeval would call a callable ``names``)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __call__(self, node: object) -> Any:  # pragma: no cover - must never be called
        raise AssertionError("the facts were called as a name resolver")


def test_any_mapping_of_facts_evaluates() -> None:
    assert evaluate("a and not b", _Facts({"a": True, "b": False})) is True


class _Nested:
    """A fact value whose comparison evaluates another condition (on the same thread)."""

    def __eq__(self, other: object) -> bool:
        return evaluate("b == 1", {"b": 1})

    __hash__ = object.__hash__


def test_an_evaluation_inside_an_evaluation_leaves_the_outer_one_intact() -> None:
    assert evaluate("a == 1 and c == 2", {"a": _Nested(), "c": 2}) is True
    with pytest.raises(UnsetFact):  # and the evaluator the inner one used kept nothing
        evaluate("b == 1", {})


class _Changer:
    """A fact value whose comparison changes the facts it was given."""

    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts

    def __eq__(self, other: object) -> bool:
        self.facts["c"] = 0
        return True

    __hash__ = object.__hash__


def test_an_evaluation_sees_the_facts_as_they_were_given() -> None:
    facts: dict[str, Any] = {"c": 2}
    facts["a"] = _Changer(facts)
    assert evaluate("a == 1 and c == 2", facts) is True


def test_names_are_listed_in_order_of_first_use_and_not_shared() -> None:
    first = names_in("b or a or b")
    assert first == ["b", "a"]
    first.append("changed")  # a caller's list: the cached answer stays as it was
    assert names_in("b or a or b") == ["b", "a"]
    assert names_in("this is not ( valid") == []


def test_threads_evaluating_at_once_each_see_their_own_facts() -> None:
    errors: list[str] = []
    start = threading.Barrier(8)

    def work(k: int) -> None:
        start.wait()
        for i in range(2000):
            n = k * 10_000 + i
            if evaluate("n == expected", {"n": n, "expected": n}) is not True \
                    or evaluate("n == expected", {"n": n, "expected": n + 1}) is not False:
                errors.append(f"thread {k}, step {i}")
                return

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# --- the fast path gives the reference's verdict ----------------------------------------------

_NAMES = ("a", "b", "c")
_ATOMS = st.sampled_from(_NAMES) | st.sampled_from(["0", "1", "2", "-3", "True", "None", "'x'",
                                                     "''", "[True, 1]", "(1, 'x')"])


def _combined(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(inner, st.sampled_from([" and ", " or ", " == ", " != ", " < ", " >= ",
                                               " in ", " not in ", " + ", " - ", " * ", " / ",
                                               " // ", " % "]), inner)
    return binary.map(lambda t: f"({t[0]}{t[1]}{t[2]})") | inner.map(lambda e: f"not {e}") \
        | inner.map(lambda e: f"-{e}")


EXPRESSIONS = st.recursive(_ATOMS, _combined, max_leaves=6)
VALUES = st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["x", "", "Siti"])
FLAGS = st.none() | st.booleans()


def _verdict(evaluator: Callable[[str, Mapping[str, Any]], bool], expression: str,
             facts: Mapping[str, Any]) -> bool | str:
    try:
        return evaluator(expression, facts)
    except UnsetFact as exc:
        return f"unset {exc.name}"
    except (ExpressionError, ValueError) as exc:
        return type(exc).__name__


@given(EXPRESSIONS, st.dictionaries(st.sampled_from(_NAMES), VALUES)
       | st.dictionaries(st.sampled_from(_NAMES), FLAGS))
def test_evaluate_gives_the_reference_verdict(expression: str, facts: dict[str, Any]) -> None:
    """Any condition, any facts (all yes/no ones too, which the cache answers): the same truth,
    the same unset fact, the same refusal; asked twice, so the second answer may be cached."""
    expected = _verdict(reference_evaluate, expression, facts)
    assert _verdict(evaluate, expression, facts) == expected
    assert _verdict(evaluate, expression, facts) == expected


def test_an_unset_fact_matters_only_where_the_result_depends_on_it() -> None:
    """Three-valued logic (issue #17), on the fast path and the reference alike."""
    for run in (evaluate, reference_evaluate):
        assert run("child or other", {"child": True}) is True
        assert run("child and other", {"child": False}) is False
        with pytest.raises(UnsetFact):
            run("child and other", {"child": True})
        with pytest.raises(UnsetFact):
            run("not other", {})
