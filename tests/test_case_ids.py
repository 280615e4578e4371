"""Default case ids: the procedure id, the second, 32 random bits; later ids sort later, so new
cases go to the end of the stores' keys."""

from __future__ import annotations

import itertools
import re

import pytest

import engine.api
from engine.api import time_ordered_id


def test_an_id_names_its_procedure_and_is_hex() -> None:
    assert re.fullmatch(r"mediasi-[0-9a-f]{16}", time_ordered_id("mediasi"))
    assert len({time_ordered_id("mediasi") for _ in range(1000)}) == 1000


def test_ids_made_later_sort_later(monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    for second in (1_765_000_000, 1_765_000_001, 1_765_000_060, 1_800_000_000):
        monkeypatch.setattr(engine.api.time, "time", lambda second=second: second + 0.5)
        made.extend(time_ordered_id("sapa") for _ in range(20))
    by_second = [made[i:i + 20] for i in range(0, len(made), 20)]
    for earlier, later in itertools.pairwise(by_second):
        assert max(earlier) < min(later)
