"""What is built once per procedure version is kept for a bounded number of versions, built once
however many threads ask at the same moment, and built again after it was dropped."""

from __future__ import annotations

import threading

from hypothesis import given
from hypothesis import strategies as st

from engine.procedure.versions import VersionCache


@given(st.integers(1, 8), st.lists(st.sampled_from("abcdefghij"), max_size=60))
def test_at_most_limit_versions_are_kept_and_each_answer_is_its_versions(
        limit: int, asked: list[str]) -> None:
    kept: VersionCache[tuple[str, int]] = VersionCache(limit)
    builds: list[str] = []

    def build(key: str) -> tuple[str, int]:
        builds.append(key)
        return key, len(builds)

    for key in asked:
        value = kept.get(key, build, key)
        assert value[0] == key  # never another version's value
        assert len(kept) <= limit
    # a version asked again right away is not built again
    if asked:
        before = len(builds)
        kept.get(asked[-1], build, asked[-1])
        assert len(builds) == before
    assert len(builds) >= len(set(asked))  # dropped versions are built again when met


def test_threads_asking_at_once_get_one_value_built_once() -> None:
    kept: VersionCache[object] = VersionCache(4)
    calls: list[int] = []
    start = threading.Barrier(8)
    got: list[object] = []

    def build(_: str) -> object:
        calls.append(1)
        return object()

    def ask() -> None:
        start.wait()
        got.append(kept.get("v1", build, "v1"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(got) == 8 and all(value is got[0] for value in got)
