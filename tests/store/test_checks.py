"""The store's JSON fast path (:func:`engine.store.checks.fast_dump`) against its definition:
only plain values (no float, nothing JSON cannot hold, at most ``_MAX_DEPTH`` deep) take it, and
what it writes is what the checked path accepts and reads back the same."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import UsageError
from engine.store.checks import _MAX_DEPTH, _plain, check_json, fast_dump, load_json


def plain_by_definition(value: Any, depth: int = 0) -> bool:
    if type(value) in (str, int, bool) or value is None:
        return True
    if type(value) not in (dict, list, tuple):
        return False
    children = list(value.values()) if type(value) is dict else list(value)
    if depth >= _MAX_DEPTH and children:
        return False
    return all(plain_by_definition(child, depth + 1) for child in children)


SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
           | st.text(max_size=8) | st.floats(allow_nan=True) | st.sampled_from([b"x", 1j]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=4), max_leaves=25)


@given(VALUES)
def test_the_fast_walk_is_its_definition(value: Any) -> None:
    assert _plain(value) == plain_by_definition(value)


@given(VALUES)
def test_what_takes_the_fast_path_is_what_the_checked_path_accepts(value: Any) -> None:
    written = fast_dump(value)
    if written is None:
        return
    check_json(value, "value")  # raises nothing
    assert load_json(written) == json.loads(json.dumps(value))


def nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("leaf", [1, "x", [], {}])
def test_the_depth_limit_is_the_checked_paths(leaf: Any) -> None:
    """A value at depth ``_MAX_DEPTH`` passes both paths; one level deeper, neither."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * _MAX_DEPTH))
    at_limit = nested(_MAX_DEPTH, leaf) if leaf not in ([], {}) else nested(_MAX_DEPTH - 1, leaf)
    assert _plain(at_limit) == plain_by_definition(at_limit) is True
    check_json(at_limit, "value")
    deeper = nested(_MAX_DEPTH + 1, leaf) if leaf not in ([], {}) else nested(_MAX_DEPTH, [leaf])
    assert _plain(deeper) == plain_by_definition(deeper) is False
    assert fast_dump(deeper) is None
    with pytest.raises(UsageError, match="deeper"):
        check_json(deeper, "value")


# --- case-number columns: the cached split against its definition -----------------------------

NUMBERS = (st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,10}-[0-9]{3,5}-[0-9]{1,10}", fullmatch=True)
           | st.text(max_size=20))


@given(st.one_of(NUMBERS, st.builds(lambda p, y, n: f"{p}-{y:04d}-{n:04d}",
                                    st.sampled_from(["MED", "SKTM", "A1"]),
                                    st.integers(1, 9999), st.integers(0, 10**6))))
def test_number_parts_is_the_canonical_split_whether_cached_or_not(number: str) -> None:
    """What a snapshot's number becomes in its two columns: (series, counter) when the text is
    a case number written canonically, else None. Asked twice: the second answer is the
    cache's."""
    from engine.cases.numbers import label, split
    from engine.store.checks import number_parts

    parts = split(number)
    want = parts if parts is not None and label(*parts) == number else None
    assert number_parts(number) == want
    assert number_parts(number) == want
    assert number_parts(None) == (None, None)
    assert number_parts(["MED-2026-0001"]) is None  # type: ignore[arg-type]
