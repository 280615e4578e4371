"""Conditions evaluate the same whoever evaluates them: one simpleeval evaluator is kept per
thread (building one per evaluation was a quarter of a Mediasi command), so these tests hold
that a kept evaluator carries nothing from one evaluation, or one thread, into another."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.procedure import expressions
from engine.procedure.expressions import ExpressionError, UnsetFact, evaluate, names_in


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
    # and the kept evaluators hold no case's facts once an evaluation is over
    assert all(e.names == {} for e in expressions._EVALUATORS.idle)


def test_a_failed_evaluation_leaves_the_evaluator_clean() -> None:
    with pytest.raises(ExpressionError):
        evaluate("n / 0 > 1", {"n": 1})
    assert all(e.names == {} for e in expressions._EVALUATORS.idle)
    assert evaluate("n / 2 > 0", {"n": 1}) is True


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
    assert all(e.names == {} for e in expressions._EVALUATORS.idle)


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


# --- conditions on yes/no facts are answered from a cache ------------------------------------

_FLAG_EXPRESSIONS = ["a", "not a", "a or b", "a and not b", "(a or b) and not c",
                     "a == b", "a != c", "a == c", "a in [True]",
                     "not (a and b and c)", "a + b > 0", "a / b > 0", "a < b"]


@given(st.sampled_from(_FLAG_EXPRESSIONS),
       st.fixed_dictionaries({"a": st.none() | st.booleans(), "b": st.none() | st.booleans(),
                              "c": st.none() | st.booleans()}))
def test_flag_conditions_evaluate_as_simpleeval_does(expression: str,
                                                     facts: dict[str, Any]) -> None:
    tree = expressions._parse(expression)
    assert not isinstance(tree, expressions.ExpressionProblem)
    try:
        expected: bool | type[Exception] = expressions._evaluated(expression, tree, facts)
    except ExpressionError:
        expected = ExpressionError
    for _ in range(2):  # the second answer comes from the cache
        if expected is ExpressionError:
            with pytest.raises(ExpressionError):
                evaluate(expression, facts)
        else:
            assert evaluate(expression, facts) is expected


def test_the_cache_keeps_no_text_or_number_of_a_case() -> None:
    expressions._on_flags.cache_clear()
    assert evaluate("name == 'Siti'", {"name": "Siti"}) is True
    assert evaluate("age < 18 and child", {"age": 12, "child": True}) is True
    assert evaluate("child", {"child": True, "name": "Siti"}) is True
    kept = expressions._on_flags.cache_info()
    assert (kept.hits, kept.misses, kept.currsize) == (0, 1, 1)  # only the yes/no condition
    # a condition with an unset fact is decided without the cache (three-valued logic)
    with pytest.raises(UnsetFact):
        evaluate("child and other", {"child": True})
    assert evaluate("child or other", {"child": True}) is True
    assert expressions._on_flags.cache_info().currsize == 1
