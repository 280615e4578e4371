"""Case ids and salts come from injectable sources.

Default case ids: the procedure id, the second, 32 random bits; later ids sort later, so new
cases go to the end of the stores' keys. Uniqueness rests on the random bits, so it is tested
with a source whose draws are known (the old test drew 1000 real ids and failed, as the
birthday bound says, about once in 8,600 runs); an id that is taken anyway is drawn again.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from runtime_support import Clock, open_mediasi, open_sapa

from engine.api import NEW_ID_DRAWS, Engine, time_ordered_id
from engine.cases.events import SALTS
from engine.errors import CommandRefused, UsageError


def counter_bytes() -> Callable[[int], bytes]:
    """Distinct, known draws: the SHA-256 stream of a counter."""
    draws = itertools.count()

    def random(n: int) -> bytes:
        stream = b"".join(hashlib.sha256(f"{next(draws)}:{i}".encode()).digest()
                          for i in range(n // 32 + 1))
        return stream[:n]
    return random


def test_an_id_names_its_procedure_and_is_hex() -> None:
    assert re.fullmatch(r"mediasi-[0-9a-f]{16}", time_ordered_id("mediasi"))
    made = time_ordered_id("mediasi", now=lambda: 1_765_000_000.5,
                           random=lambda n: bytes(range(1, n + 1)))
    assert made == f"mediasi-{1_765_000_000:08x}01020304"


def test_ids_with_distinct_random_bits_are_distinct_within_one_second() -> None:
    random = counter_bytes()
    made = {time_ordered_id("mediasi", now=lambda: 1_765_000_000.0, random=random)
            for _ in range(1000)}
    assert len(made) == 1000


def test_ids_made_later_sort_later() -> None:
    made: list[str] = []
    random = counter_bytes()
    for second in (1_765_000_000, 1_765_000_001, 1_765_000_060, 1_800_000_000):
        made.extend(time_ordered_id("sapa", now=lambda second=second: second + 0.5,
                                    random=random) for _ in range(20))
    by_second = [made[i:i + 20] for i in range(0, len(made), 20)]
    for earlier, later in itertools.pairwise(by_second):
        assert max(earlier) < min(later)


def drawn(ids: list[str]) -> Callable[[str], str]:
    made: Iterator[str] = iter(ids)
    return lambda procedure_id: f"{procedure_id}-{next(made)}"


def test_a_made_id_that_is_taken_is_drawn_again(make_engine: Callable[..., Engine]) -> None:
    engine = make_engine(new_id=drawn(["a", "a", "a", "b"]))
    assert open_sapa(engine).case.case_id == "sapa-a"
    assert open_sapa(engine).case.case_id == "sapa-b"  # "a" twice more, then "b"


def test_drawing_again_stops_and_a_chosen_id_is_refused(
        make_engine: Callable[..., Engine]) -> None:
    engine = make_engine(new_id=drawn(["a"] * (NEW_ID_DRAWS + 1)))
    open_sapa(engine)
    with pytest.raises(CommandRefused) as refused:
        open_sapa(engine)
    assert refused.value.rule == "guard.exists"
    with pytest.raises(CommandRefused, match="sapa-a"):
        open_sapa(engine, case_id="sapa-a")


def personal_events(engine: Engine) -> list[tuple[str, str, dict[str, Any]]]:
    opened = open_mediasi(engine, case_id="m-1")
    return [(e.type, e.hash, e.payload) for e in opened.events]


def test_a_seeded_salt_source_makes_the_same_events_and_hashes(
        make_engine: Callable[..., Engine], clock: Clock) -> None:
    first = personal_events(make_engine(salts=counter_bytes()))
    salted = [p for _, _, p in first if p.get(SALTS)]
    assert salted  # the opening salts personal values (participants' names, sensitive facts)
    # the salts are the seeded source's bytes, cut 16 at a time, in order
    stream = counter_bytes()(16 * 8).hex()
    assert next(iter(salted[0][SALTS].values())) == stream[:32]
    second = Engine("memory://", clock=clock, salts=counter_bytes())
    with second:
        assert personal_events(second) == first


def test_a_salt_source_of_the_wrong_shape_is_a_usage_error(
        make_engine: Callable[..., Engine]) -> None:
    engine = make_engine(salts=lambda n: b"short")
    with pytest.raises(UsageError, match="bytes"):
        open_mediasi(engine)
