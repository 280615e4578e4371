"""The store contract: every backend (memory, SQLite, PostgreSQL) passes these same tests.

Events are sealed with :func:`engine.cases.events.chain`, so hashes are real and ``verify_chain``
on what
comes back proves values round-trip exactly. Backend-only behaviour (files, URLs, migrations)
is at the end, parametrised over the SQL backends where it applies.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine.store
from engine.cases.events import (
    GENESIS,
    SALTS,
    AuditRecord,
    CaseSnapshot,
    Event,
    canonical_json,
    chain,
    redact_payload,
    verify_chain,
)
from engine.errors import ConcurrencyConflict, StaleCase, StoreError, UsageError
from engine.store import MemoryStore, SQLiteStore, Store, StoredProcedure, migrations, open_store
from engine.store.base import SCHEMA_VERSION, Head

from .conftest import Backend, open_or_fail

PROC_HASH = "a" * 64
HINT = "reload the case and retry the command"

RICH: dict[str, Any] = {
    "nama": "Siti Nurhaliza binti Abdullah",
    "alamat": "Jl. Malioboro No. 17, Yogyakarta",
    "catatan": "Ünïcödé — 日本語 — العربية — emoji 🎉🇮🇩 — zero\u200bwidth",
    "escapes": "line1\nline2\t\"quoted\" \\ back / slash \u2028",
    "": "empty key",
    "ключ_kunci": "значение",
    "nested": {"list": [1, 2.5, -3, True, False, None, "x", [], {}],
               "deep": {"a": {"b": {"c": [{"d": "e"}, [[["f"]]]]}}}},
    "numbers": {"big": 2**70, "negative": -(2**63), "zero": 0, "fzero": 0.0, "tenth": 0.1,
                "one": 1.0, "e16": 1e16, "huge": 1e308, "exp": 1.2345e20, "small": 1e-7,
                "tiny": 5e-324, "neg": -2.5e-12, "third": 1 / 3},
}


def build(case_id: str, version: int, prev_hash: str, n: int = 1, *,
          payloads: list[dict[str, Any]] | None = None, procedure_id: str = "izin-usaha",
          status: str = "open", role: str | None = "petugas", due_at: str | None = None,
          step: str | None = "periksa", state: dict[str, Any] | None = None,
          ) -> tuple[list[Event], CaseSnapshot]:
    """Sealed events ``version+1 ..`` of a case and the snapshot after them (not stored)."""
    if payloads is None:
        payloads = [{"n": version + i + 1} for i in range(n)]
    raw = [Event(case_id, version + i + 1, "step.completed", payload, "budi", role or "sistem",
                 f"2026-03-02T09:{(version + i) % 60:02d}:00+07:00", PROC_HASH)
           for i, payload in enumerate(payloads)]
    events = chain(raw, prev_hash)
    snapshot = CaseSnapshot(case_id, procedure_id, PROC_HASH, version + len(events), status, step,
                            role, due_at, events[-1].at, events[-1].hash,
                            {"seen": version + len(events)} if state is None else state)
    return events, snapshot


def grow(store: Store, case_id: str, n: int = 1, **kwargs: Any,
         ) -> tuple[list[Event], CaseSnapshot]:
    """Append ``n`` events to a case at its current version; returns what was appended."""
    existing = store.events(case_id)
    events, snapshot = build(case_id, len(existing), existing[-1].hash if existing else GENESIS,
                             n, **kwargs)
    store.append(case_id, len(existing), events, snapshot)
    return events, snapshot


def ids(snapshots: list[CaseSnapshot]) -> list[str]:
    return [snapshot.case_id for snapshot in snapshots]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- append and read back --------------------------------------------------------------------------

def test_every_backend_is_a_store(store: Store) -> None:
    assert isinstance(store, Store)
    assert isinstance(store.url, str) and store.url


def test_append_then_read_back_exactly(store: Store) -> None:
    payloads = [RICH, {"list": [RICH, RICH["nested"]]}, {}]
    events, snapshot = build("rich-1", 0, GENESIS, payloads=payloads, state={"data": RICH},
                             due_at="2026-03-05T16:00:00+07:00", status="menunggu verifikasi")
    store.append("rich-1", 0, events, snapshot)

    read = store.events("rich-1")
    assert read == events
    assert [canonical_json(e.payload) for e in read] == [canonical_json(p) for p in payloads]
    assert verify_chain("rich-1", read) == []  # hashes recomputed from what came back
    assert isinstance(read[0].payload["numbers"]["e16"], float)
    assert isinstance(read[0].payload["numbers"]["big"], int)
    got = store.snapshot("rich-1")
    assert got == snapshot
    assert got is not None and canonical_json(got.state) == canonical_json({"data": RICH})


def test_unknown_case_reads_empty(store: Store) -> None:
    assert store.events("nobody") == []
    assert store.snapshot("nobody") is None
    assert store.cases() == []
    assert list(store.all_events()) == []


def test_stored_values_are_copies(store: Store) -> None:
    payload = {"items": [1, 2], "who": {"name": "Ani"}}
    events, snapshot = build("copy-1", 0, GENESIS, payloads=[payload], state={"items": [1]})
    store.append("copy-1", 0, events, snapshot)
    payload["items"].append(3)  # the caller's dict changes after the append
    snapshot.state["items"].append(9)
    read = store.events("copy-1")
    read[0].payload["who"]["name"] = "changed"  # and a reader mutates what it got
    assert store.events("copy-1")[0].payload == {"items": [1, 2], "who": {"name": "Ani"}}
    got = store.snapshot("copy-1")
    assert got is not None and got.state == {"items": [1]}


def test_events_come_back_in_seq_order(store: Store) -> None:
    grow(store, "order-1", 3)
    grow(store, "order-2", 1)
    grow(store, "order-1", 2)
    grow(store, "order-1", 1)
    read = store.events("order-1")
    assert [e.seq for e in read] == [1, 2, 3, 4, 5, 6]
    assert [e.payload["n"] for e in read] == [1, 2, 3, 4, 5, 6]
    assert verify_chain("order-1", read) == []
    snapshot = store.snapshot("order-1")
    assert snapshot is not None and snapshot.version == 6 and snapshot.last_hash == read[-1].hash


def test_one_event_read_alone_is_the_one_in_the_case(store: Store) -> None:
    grow(store, "one-1", 4)
    grow(store, "one-2", 2)
    for case_id in ("one-1", "one-2"):
        for event in store.events(case_id):
            assert store.event(case_id, event.seq) == event
    assert store.event("one-2", 3) is None  # past the case's last event
    assert store.event("one-1", 0) is None
    assert store.event("nobody", 1) is None


# -- concurrency conflicts ------------------------------------------------------------------------

@pytest.mark.parametrize("expected", [0, 2, 1], ids=["zero-on-existing", "n-minus-1", "older"])
def test_stale_expected_version_conflicts_and_writes_nothing(store: Store, expected: int) -> None:
    grow(store, "stale", 2)
    grow(store, "stale", 1)  # at version 3
    grow(store, "other", 1)
    before_events, before_snapshot = store.events("stale"), store.snapshot("stale")
    before_all = list(store.all_events())
    prev = before_events[expected - 1].hash if expected else GENESIS
    events, snapshot = build("stale", expected, prev, 2, payloads=[{"late": 1}, {"late": 2}],
                             status="selesai")

    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("stale", expected, events, snapshot)

    assert isinstance(caught.value, StoreError)
    assert "'stale'" in caught.value.message
    assert f"version {expected}" in caught.value.message and "3" in caught.value.message
    assert caught.value.hint == HINT
    assert store.events("stale") == before_events
    assert store.snapshot("stale") == before_snapshot
    assert list(store.all_events()) == before_all
    assert store.cases(status="selesai") == []


def test_expected_version_ahead_of_a_new_case_conflicts(store: Store) -> None:
    events, snapshot = build("fresh", 1, GENESIS, 1)
    with pytest.raises(ConcurrencyConflict, match="'fresh'"):
        store.append("fresh", 1, events, snapshot)
    assert store.events("fresh") == [] and store.snapshot("fresh") is None


def test_conflict_on_a_later_event_rolls_back_the_earlier_ones(backend: Backend,
                                                               store: Store) -> None:
    # Event 2 exists with no snapshot (a racing writer, or damage): the version check passes,
    # event 1 goes in, event 2 hits UNIQUE(case_id, seq). Event 1 must not stay behind.
    events, snapshot = build("split", 0, GENESIS, 3)
    stray = events[1]
    backend.inject_event_row(store, (stray.case_id, stray.seq, stray.type,
                                     json.dumps(stray.payload), stray.user, stray.role, stray.at,
                                     stray.procedure_hash, stray.prev_hash, stray.hash))
    assert store.events("split") == [stray]

    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("split", 0, events, snapshot)

    assert "'split'" in caught.value.message and "event 2" in caught.value.message
    assert caught.value.hint == HINT
    assert store.events("split") == [stray]
    assert store.snapshot("split") is None


def _race_in_threads(store: Store, case_id: str, expected: int, prev: str,
                     racers: int) -> dict[int, str]:
    barrier = threading.Barrier(racers)
    outcomes: dict[int, str] = {}

    def run(marker: int) -> None:
        events, snapshot = build(case_id, expected, prev, 2,
                                 payloads=[{"racer": marker, "i": 0}, {"racer": marker, "i": 1}])
        barrier.wait(timeout=30)
        try:
            store.append(case_id, expected, events, snapshot)
            outcomes[marker] = "won"
        except ConcurrencyConflict:
            outcomes[marker] = "conflict"
        except Exception as exc:
            outcomes[marker] = f"error {exc!r}"

    threads = [threading.Thread(target=run, args=(marker,)) for marker in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("expected", [0, 2])
def test_threads_racing_on_one_store_exactly_one_wins(store: Store, expected: int) -> None:
    prev = grow(store, "race-t", expected)[0][-1].hash if expected else GENESIS
    outcomes = _race_in_threads(store, "race-t", expected, prev, racers=8)
    assert sorted(outcomes.values()) == ["conflict"] * 7 + ["won"]
    winner = next(marker for marker, outcome in outcomes.items() if outcome == "won")
    stored = store.events("race-t")
    assert [e.payload.get("racer") for e in stored[expected:]] == [winner, winner]
    assert len(stored) == expected + 2 and verify_chain("race-t", stored) == []
    snapshot = store.snapshot("race-t")
    assert snapshot is not None and snapshot.version == expected + 2
    assert snapshot.last_hash == stored[-1].hash


def _race_worker(url: str, case_id: str, expected: int, prev: str, marker: int,
                 barrier: Any, results: Any) -> None:
    """One racing process (module level so ``spawn`` can import it)."""
    try:
        store = open_store(url)
    except BaseException as exc:
        results.put((marker, f"error {exc!r}"))
        barrier.abort()
        raise
    try:
        events, snapshot = build(case_id, expected, prev, 3,
                                 payloads=[{"racer": marker, "i": i} for i in range(3)])
        barrier.wait(timeout=60)
        try:
            store.append(case_id, expected, events, snapshot)
            results.put((marker, "won"))
        except ConcurrencyConflict:
            results.put((marker, "conflict"))
    except BaseException as exc:
        results.put((marker, f"error {exc!r}"))
        raise
    finally:
        store.close()


@pytest.mark.parametrize("expected", [0, 2])
def test_processes_racing_exactly_one_wins(sql_backend: Backend, expected: int) -> None:
    store = open_or_fail(sql_backend)
    context = multiprocessing.get_context("spawn")
    racers = 4
    barrier = context.Barrier(racers)
    results = context.Queue()
    processes = []
    try:
        prev = grow(store, "race-p", expected)[0][-1].hash if expected else GENESIS
        processes = [context.Process(target=_race_worker,
                                     args=(sql_backend.url, "race-p", expected, prev, marker,
                                           barrier, results))
                     for marker in range(racers)]
        for process in processes:
            process.start()
        outcomes = dict(results.get(timeout=120) for _ in processes)
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0

        assert sorted(outcomes.values()) == ["conflict"] * (racers - 1) + ["won"], outcomes
        winner = next(marker for marker, outcome in outcomes.items() if outcome == "won")
        stored = store.events("race-p")
        assert [e.payload.get("racer") for e in stored[expected:]] == [winner] * 3
        assert verify_chain("race-p", stored) == []
        snapshot = store.snapshot("race-p")
        assert snapshot is not None and snapshot.version == expected + 3
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join(timeout=10)
            process.close()
        results.close()
        results.join_thread()
        store.close()


# -- refused arguments ----------------------------------------------------------------------------

def _bad_appends() -> Iterator[Any]:
    events, snapshot = build("bad", 0, GENESIS, 2)

    def case(name: str, evs: list[Event], snap: CaseSnapshot, expected: int = 0) -> Any:
        return pytest.param(evs, snap, expected, id=name)

    from dataclasses import replace

    yield case("no-events", [], snapshot)
    yield case("seq-gap", [events[1]], snapshot)
    yield case("seq-after-expected", events, snapshot, 1)
    yield case("other-case", [replace(events[0], case_id="else"), events[1]], snapshot)
    yield case("unsealed", [replace(events[0], hash=""), events[1]], snapshot)
    yield case("snapshot-version", events, replace(snapshot, version=3))
    yield case("snapshot-case", events, replace(snapshot, case_id="else"))
    yield case("snapshot-last-hash", events, replace(snapshot, last_hash=events[0].hash))
    yield case("naive-due", events, replace(snapshot, due_at="2026-03-02T09:00:00"))
    yield case("bad-due", events, replace(snapshot, due_at="next tuesday"))
    for name, value in [("nan", math.nan), ("inf", math.inf), ("minus-zero", -0.0),
                        ("nul", "a\x00b"), ("int-key", {1: "one"}), ("set", {1, 2}),
                        ("bytes", b"x"), ("surrogate", "\ud800")]:
        first = replace(events[0], payload={"value": value})
        try:
            bad = chain([first, events[1]], GENESIS)
        except (TypeError, ValueError):  # chain() cannot hash it: keep the old (wrong) hashes,
            bad = [first, events[1]]  # the store must refuse the payload before writing anyway
        yield case(f"payload-{name}", bad, replace(snapshot, last_hash=bad[-1].hash))
    yield case("state-nan", events, replace(snapshot, state={"x": math.nan}))
    yield case("nul-in-type", [replace(events[0], type="a\x00"), events[1]], snapshot)


@pytest.mark.parametrize(("events", "snapshot", "expected"), list(_bad_appends()))
def test_bad_append_is_a_usage_error_and_writes_nothing(store: Store, events: list[Event],
                                                        snapshot: CaseSnapshot,
                                                        expected: int) -> None:
    with pytest.raises(UsageError):
        store.append("bad", expected, events, snapshot)
    assert store.events("bad") == []
    assert store.snapshot("bad") is None
    assert store.cases() == []


@pytest.mark.parametrize("limit", [-1, 1.5, True])
def test_bad_limit_is_a_usage_error(store: Store, limit: Any) -> None:
    with pytest.raises(UsageError):
        store.cases(limit=limit)


# -- listings -------------------------------------------------------------------------------------

def test_cases_filter_and_order_by_due_instant_then_case_id(store: Store) -> None:
    # k-a is due at 01:00Z, k-b and k-d at 02:00Z (tie -> case id), k-0 at 17:00Z, the rest never.
    # As text, k-d (T02) < k-b (T09) < k-a (T10): a text sort would get this wrong.
    grow(store, "k-a", procedure_id="izin", role="petugas", due_at="2026-03-02T10:00:00+09:00")
    grow(store, "k-b", procedure_id="izin", role="kepala", due_at="2026-03-02T09:00:00+07:00")
    grow(store, "k-c", procedure_id="sapa", role="petugas")
    grow(store, "k-d", procedure_id="sapa", role="petugas", due_at="2026-03-02T02:00:00+00:00")
    grow(store, "k-e", procedure_id="izin", role=None, status="selesai", step=None)
    grow(store, "k-0", procedure_id="izin", role="petugas", due_at="2026-03-03T00:00:00+07:00")

    assert ids(store.cases()) == ["k-a", "k-b", "k-d", "k-0", "k-c", "k-e"]
    assert ids(store.cases(status="selesai")) == ["k-e"]
    assert ids(store.cases(procedure_id="sapa")) == ["k-d", "k-c"]
    assert ids(store.cases(role="petugas")) == ["k-a", "k-d", "k-0", "k-c"]
    assert ids(store.cases(status="open", procedure_id="izin", role="petugas")) == ["k-a", "k-0"]
    assert ids(store.cases(limit=2)) == ["k-a", "k-b"]
    assert ids(store.cases(role="petugas", limit=3)) == ["k-a", "k-d", "k-0"]
    assert store.cases(limit=0) == []
    assert store.cases(status="nope") == []
    snapshots = store.cases(procedure_id="izin")
    assert all(s == store.snapshot(s.case_id) for s in snapshots)

    grow(store, "k-a", procedure_id="izin", role="kepala", status="diproses")  # moves on
    assert ids(store.cases(role="petugas")) == ["k-d", "k-0", "k-c"]
    assert ids(store.cases(status="diproses")) == ["k-a"]
    assert ids(store.cases())[-3:] == ["k-a", "k-c", "k-e"]  # no due date any more


def test_iter_cases_is_the_listing_lazily_resumed_after_a_key(store: Store) -> None:
    """``iter_cases`` yields the order of ``cases`` lazily; ``after`` resumes after a row's
    (due key, case id), also across the boundary between dated and undated cases."""
    from engine.store.checks import due_key

    grow(store, "k-a", procedure_id="izin", role="petugas", due_at="2026-03-02T10:00:00+09:00")
    grow(store, "k-b", procedure_id="izin", role="kepala", due_at="2026-03-02T09:00:00+07:00")
    grow(store, "k-c", procedure_id="sapa", role="petugas")
    grow(store, "k-d", procedure_id="sapa", role="petugas", due_at="2026-03-02T02:00:00+00:00")
    grow(store, "k-e", procedure_id="izin", role=None, status="completed", step=None)
    grow(store, "k-0", procedure_id="izin", role="petugas", due_at="2026-03-03T00:00:00+07:00")

    stream = store.iter_cases()
    assert isinstance(stream, Iterator)
    listed = list(stream)
    assert listed == store.cases()
    order = ids(listed)
    for i, snap in enumerate(listed):
        after = (due_key(snap.due_at), snap.case_id)
        assert ids(list(store.iter_cases(after=after))) == order[i + 1:]
    assert ids(list(store.iter_cases(open_only=True))) == ["k-a", "k-b", "k-d", "k-0", "k-c"]
    assert ids(list(store.iter_cases(roles=["kepala", "petugas"], procedure_id="izin"))) \
        == ["k-a", "k-b", "k-0"]
    assert list(store.iter_cases(roles=[])) == []
    assert ids(list(store.iter_cases(status="completed"))) == ["k-e"]


def test_iter_cases_pages_through_many_cases(store: Store) -> None:
    for i in range(1105):
        due = None if i % 3 == 0 else f"2026-03-{1 + i % 27:02d}T09:00:00+07:00"
        grow(store, f"c-{i:05d}", due_at=due)
    expected = ids(store.cases())
    assert ids(list(store.iter_cases())) == expected
    assert len(set(expected)) == 1105


def test_case_ids_order_by_code_point(store: Store) -> None:
    case_ids = ["b", "B", "a_2", "a-1", "a10", "ä", "Z", "a 3", "日本"]
    for case_id in case_ids:
        grow(store, case_id)
    assert ids(store.cases()) == sorted(case_ids)
    assert [e.case_id for e in store.all_events()] == sorted(case_ids)


def test_all_events_order_and_procedure_filter(store: Store) -> None:
    grow(store, "p-2", 2, procedure_id="izin")
    grow(store, "p-1", 1, procedure_id="sapa")
    grow(store, "p-3", 1, procedure_id="izin")
    grow(store, "p-1", 2, procedure_id="sapa")
    grow(store, "p-2", 1, procedure_id="izin")

    everything = store.all_events()
    assert isinstance(everything, Iterator)
    assert [(e.case_id, e.seq) for e in everything] == [
        ("p-1", 1), ("p-1", 2), ("p-1", 3), ("p-2", 1), ("p-2", 2), ("p-2", 3), ("p-3", 1)]
    assert [(e.case_id, e.seq) for e in store.all_events("izin")] == [
        ("p-2", 1), ("p-2", 2), ("p-2", 3), ("p-3", 1)]
    assert list(store.all_events("sapa")) == store.events("p-1")
    assert list(store.all_events("nope")) == []


def test_all_events_streams_many_pages(store: Store) -> None:
    grow(store, "bulk", 1203, payloads=[{"i": i} for i in range(1203)])
    grow(store, "a-first", 2)
    grow(store, "z-last", 1)
    expected = store.events("a-first") + store.events("bulk") + store.events("z-last")

    stream = store.all_events()
    first = next(stream)
    grow(store, "m-middle", 1)  # the store stays usable while a stream is open
    assert store.events("m-middle")[0].case_id == "m-middle"
    rest = [e for e in stream if e.case_id != "m-middle"]  # may or may not include it
    assert [first, *rest] == expected
    assert [e.payload["i"] for e in store.all_events("izin-usaha") if e.case_id == "bulk"] \
        == list(range(1203))


# -- procedures, audit, blobs ---------------------------------------------------------------------

def test_procedures_by_hash_idempotent_oldest_first(store: Store) -> None:
    # Hashes sort the other way round from storage order, so hash order cannot pass.
    p1 = StoredProcedure("h3", "izin", "1.0", "id: izin\nnama: Izin Usaha ✓\n",
                         "2026-01-01T08:00:00+07:00")
    p2 = StoredProcedure("h2", "sapa", "1", "id: sapa\n", "2026-01-02T08:00:00+07:00")
    p3 = StoredProcedure("h1", "izin", "2.0", "id: izin\nversi: 2\n", "2026-01-03T08:00:00+07:00")
    for proc in (p1, p2, p3):
        store.put_procedure(proc)
    store.put_procedure(p1)
    store.put_procedure(StoredProcedure("h3", "izin", "9.9", "changed", "2027-01-01T00:00:00Z"))

    assert store.procedures() == [p1, p2, p3]
    assert store.procedures("izin") == [p1, p3]
    assert store.procedures("nope") == []
    assert store.procedure("h3") == p1
    assert store.procedure("missing") is None


def test_audit_records_round_trip_in_order(store: Store) -> None:
    records = [
        AuditRecord("2026-03-02T09:00:00+07:00", "budi", "petugas", "command.refused", "c-1",
                    "guard.role", {"command": "approve", "alasan": "bukan kepala ✗",
                                   "nested": {"n": [1, 2.5, None]}}),
        AuditRecord("2026-03-02T09:01:00+07:00", "ani", "kepala", "reveal", None, None, {}),
        AuditRecord("2026-03-02T09:02:00+07:00", "ani", "kepala", "export", "c-2", None,
                    {"fields": ["nik"], "e16": 1e16}),
        AuditRecord("2026-03-02T09:03:00+07:00", "budi", "petugas", "reveal", "c-1", None,
                    {"field": "nik"}),
    ]
    for record in records:
        store.record_audit(record)
    assert store.audit_records() == records
    assert store.audit_records("c-1") == [records[0], records[3]]
    assert store.audit_records("nobody") == []
    assert store.events("c-1") == []  # independent of case events
    with pytest.raises(UsageError):
        store.record_audit(AuditRecord("t", "u", "r", "a", None, None, {"x": math.nan}))
    assert len(store.audit_records()) == 4


def test_blobs_by_hash(store: Store) -> None:
    content = bytes(range(256)) * 40
    store.put_blob(sha(content), content)
    store.put_blob(sha(content), content)
    store.put_blob(sha(b""), b"")
    assert store.blob(sha(content)) == content
    assert store.blob(sha(b"")) == b""
    assert store.blob(sha(b"other")) is None
    with pytest.raises(UsageError, match="SHA-256"):
        store.put_blob(sha(b"claimed"), b"actual")
    assert store.blob(sha(b"claimed")) is None


def test_closed_store_refuses_use(backend: Backend) -> None:
    store = open_or_fail(backend)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.events("x")
    with pytest.raises(StoreError, match="closed"):
        list(store.all_events())


# -- property: any JSON payload round-trips --------------------------------------------------------

_chars = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")  # no surrogates
_scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
            | st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f + 0.0)
            | st.text(_chars, max_size=20))
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(_chars, max_size=8), inner, max_size=4),
    max_leaves=20)
_counter = iter(range(10**9))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.dictionaries(st.text(_chars, max_size=8), _json, max_size=5))
def test_any_json_payload_round_trips(store: Store, payload: dict[str, Any]) -> None:
    case_id = f"prop-{next(_counter)}"
    events, snapshot = build(case_id, 0, GENESIS, payloads=[payload], state={"p": payload})
    store.append(case_id, 0, events, snapshot)
    read = store.events(case_id)
    assert read == events
    assert canonical_json(read[0].payload) == canonical_json(payload)
    assert verify_chain(case_id, read) == []
    assert store.snapshot(case_id) == snapshot


# -- persistence and migrations (SQL backends) ----------------------------------------------------

def test_reopened_store_sees_everything(sql_backend: Backend) -> None:
    first = open_or_fail(sql_backend)
    try:
        events, snapshot = grow(first, "keep", 3, payloads=[RICH, {}, {"x": 1}])
        first.put_procedure(StoredProcedure("h", "izin", "1", "text", "2026-01-01T00:00:00Z"))
        first.record_audit(AuditRecord("t", "u", "r", "reveal", "keep", None, {"f": "nik"}))
        first.put_blob(sha(b"doc"), b"doc")
    finally:
        first.close()

    second = open_or_fail(sql_backend)
    try:
        assert second.events("keep") == events
        assert verify_chain("keep", second.events("keep")) == []
        assert second.snapshot("keep") == snapshot
        assert second.cases() == [snapshot]
        assert second.procedures() == [StoredProcedure("h", "izin", "1", "text",
                                                       "2026-01-01T00:00:00Z")]
        assert second.audit_records("keep")[0].detail == {"f": "nik"}
        assert second.blob(sha(b"doc")) == b"doc"
    finally:
        second.close()


def _version(backend: Backend) -> str:
    rows = backend.sql("SELECT value FROM alur_meta WHERE key = 'schema_version'")
    return str(rows[0][0])


def _table_exists(backend: Backend, name: str) -> bool:
    if backend.name == "sqlite":
        return bool(backend.sql(f"SELECT 1 FROM sqlite_master WHERE name = '{name}'"))
    return backend.sql(f"SELECT to_regclass('{name}') IS NOT NULL")[0][0] is True


def test_migration_list_is_consistent() -> None:
    assert [step.version for step in migrations.MIGRATIONS] == list(
        range(1, len(migrations.MIGRATIONS) + 1))
    assert migrations.latest() == SCHEMA_VERSION
    # a step leaves a dialect alone only where it is meant to: 7 rebuilds SQLite's ledger only
    alone = {(7, "postgres")}
    for step in migrations.MIGRATIONS:
        for dialect in ("sqlite", "postgres"):
            assert bool(step.statements(dialect)) != ((step.version, dialect) in alone)


def test_fresh_store_is_at_the_latest_schema_version(sql_backend: Backend) -> None:
    open_or_fail(sql_backend).close()
    assert _version(sql_backend) == str(SCHEMA_VERSION)
    for table in ("alur_meta", "alur_events", "alur_snapshots", "alur_procedures", "alur_audit",
                  "alur_blobs"):
        assert _table_exists(sql_backend, table), table
    open_or_fail(sql_backend).close()  # opening again changes nothing
    assert _version(sql_backend) == str(SCHEMA_VERSION)
    if sql_backend.name == "postgres":  # ids sort by code point whatever the database collation
        assert sql_backend.sql(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND collation_name IS NOT NULL "
            "ORDER BY table_name, column_name") == [
            ("alur_events", "case_id", "C"), ("alur_ledger", "ref", "C"),
            ("alur_outbox", "case_id", "C"), ("alur_snapshots", "case_id", "C"),
            ("alur_snapshots", "due_utc", "C"), ("alur_snapshots", "number_series", "C")]


def test_store_from_a_newer_alur_is_refused(sql_backend: Backend) -> None:
    store = open_or_fail(sql_backend)
    grow(store, "old", 1)
    store.close()
    sql_backend.sql(f"UPDATE alur_meta SET value = '{SCHEMA_VERSION + 1}' "
                    "WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="store was written by a newer alur") as caught:
        sql_backend.open()
    assert "upgrade alur" in caught.value.hint
    assert _version(sql_backend) == str(SCHEMA_VERSION + 1)  # left as it was


def test_migrations_apply_in_order_on_open(sql_backend: Backend,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_or_fail(sql_backend)
    events, _ = grow(store, "kept", 2)
    store.close()
    later = (
        migrations.Migration(SCHEMA_VERSION + 1, "add a table",
                             ("CREATE TABLE alur_extra (n INTEGER NOT NULL)",),
                             ("CREATE TABLE alur_extra (n integer NOT NULL)",)),
        migrations.Migration(SCHEMA_VERSION + 2, "needs the step before",
                             ("INSERT INTO alur_extra (n) VALUES (3)",),
                             ("INSERT INTO alur_extra (n) VALUES (3)",)),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, *later))

    reopened = open_or_fail(sql_backend)
    try:
        assert reopened.events("kept") == events
    finally:
        reopened.close()
    assert _version(sql_backend) == str(SCHEMA_VERSION + 2)
    assert sql_backend.sql("SELECT n FROM alur_extra") == [(3,)]


def test_a_schema_2_store_migrates_with_a_ledger_of_what_it_holds(sql_backend: Backend) -> None:
    """Schema 3 (issue #15) starts the ledger with every case's head and every audit record
    already stored, so an upgraded store verifies and later removals are caught."""
    from engine.analysis.audit.ledger import audit_problems, case_entries, case_problems
    from engine.cases.events import audit_hash

    old = open_or_fail(sql_backend)
    events, _ = grow(old, "old", 3)
    record = AuditRecord("2026-03-02T09:00:00+07:00", "budi", "petugas", "refused:X", "old",
                         "guard.role", {"message": "nope", "n": 1.5})
    old.record_audit(record)
    old.close()
    # what schema 2 left: the same rows, no ledger (and none of what later versions add)
    undo_case_numbers(sql_backend)
    sql_backend.sql("DROP TABLE alur_ledger")
    sql_backend.sql("DROP TABLE alur_outbox")
    sql_backend.sql("DROP TABLE alur_webhooks")
    sql_backend.sql("UPDATE alur_meta SET value = '2' WHERE key = 'schema_version'")
    store = open_or_fail(sql_backend)
    try:
        assert _version(sql_backend) == str(SCHEMA_VERSION)
        ledger = store.ledger()
        assert [(e.kind, e.ref, e.version, e.hash) for e in ledger] == [
            ("case", "old", 3, events[-1].hash), ("audit", "1", 0, audit_hash(record))]
        assert case_problems("old", store.events("old"), case_entries(ledger)["old"]) == []
        assert audit_problems(ledger, store.audit_records()) == []
        more, _ = grow(store, "old", 1)
        assert store.ledger()[-1].hash == more[-1].hash  # appends go on recording
    finally:
        store.close()


def test_a_schema_6_sqlite_ledger_keeps_its_numbers_without_autoincrement(tmp_path: Path,
                                                                          ) -> None:
    """Schema 7 rebuilds SQLite's ledger without AUTOINCREMENT (a sqlite_sequence row rewritten
    at every append): every entry keeps its seq, a gap included, and appends go on after the
    largest."""
    from engine.analysis.audit.ledger import case_entries, case_problems

    path = tmp_path / "six.db"
    with SQLiteStore(path) as store:
        grow(store, "a", 2)
        grow(store, "b", 1)
    conn = sqlite3.connect(path, isolation_level=None)
    try:  # the ledger as schema 3 made it, its rows numbered with a gap
        conn.executescript("""
            BEGIN;
            CREATE TABLE six AS SELECT * FROM alur_ledger;
            DROP TABLE alur_ledger;
            CREATE TABLE alur_ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                ref TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL);
            INSERT INTO alur_ledger SELECT seq * 10, kind, ref, version, hash FROM six;
            DROP TABLE six;
            CREATE INDEX alur_ledger_case ON alur_ledger (ref, seq) WHERE kind = 'case';
            UPDATE alur_meta SET value = '6' WHERE key = 'schema_version';
            COMMIT;""")
        before = conn.execute("SELECT * FROM alur_ledger ORDER BY seq").fetchall()
        assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'alur_ledger'"
                            ).fetchall() == [(before[-1][0],)]
    finally:
        conn.close()
    with SQLiteStore(path) as store:
        assert [(e.seq, e.kind, e.ref, e.version, e.hash) for e in store.ledger()] == before
        more, _ = grow(store, "a", 1)
        ledger = store.ledger()
        assert (ledger[-1].seq, ledger[-1].hash) == (before[-1][0] + 1, more[-1].hash)
        assert case_problems("a", store.events("a"), case_entries(ledger)["a"]) == []
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        table = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'alur_ledger'").fetchone()
        assert "AUTOINCREMENT" not in table[0].upper()
        assert conn.execute("SELECT count(*) FROM sqlite_sequence WHERE name = 'alur_ledger'"
                            ).fetchone() == (0,)
        assert conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'alur_ledger' "
                            "AND type = 'index'").fetchall() == [("alur_ledger_case",)]
        assert conn.execute("SELECT value FROM alur_meta WHERE key = 'schema_version'"
                            ).fetchone() == (str(SCHEMA_VERSION),)
    finally:
        conn.close()


def undo_case_numbers(backend: Backend) -> None:
    """Take a store back to schema 5: no case-number columns (what a store written before
    issue #16's case numbers holds)."""
    backend.sql("DROP INDEX alur_snapshots_number")
    backend.sql("ALTER TABLE alur_snapshots DROP COLUMN number_seq")
    backend.sql("ALTER TABLE alur_snapshots DROP COLUMN number_series")
    backend.sql("UPDATE alur_meta SET value = '5' WHERE key = 'schema_version'")


def test_failed_migration_changes_nothing(sql_backend: Backend,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    open_or_fail(sql_backend).close()
    later = (
        migrations.Migration(SCHEMA_VERSION + 1, "add a table",
                             ("CREATE TABLE alur_extra (n INTEGER)",),
                             ("CREATE TABLE alur_extra (n integer)",)),
        migrations.Migration(SCHEMA_VERSION + 2, "broken", ("INSERT INTO alur_missing VALUES (1)",),
                             ("INSERT INTO alur_missing VALUES (1)",)),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, *later))
    with pytest.raises(StoreError):
        sql_backend.open()
    assert _version(sql_backend) == str(SCHEMA_VERSION)
    assert not _table_exists(sql_backend, "alur_extra")  # step 2 was rolled back with step 3


# -- SQLite files -------------------------------------------------------------------------------

def test_not_a_database_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    garbage = b"these are my notes, not a database\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="not a SQLite database") as caught:
        SQLiteStore(path)
    assert caught.value.hint
    assert path.read_bytes() == garbage
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(f"sqlite:///{path}")


def test_missing_directory_is_a_store_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(StoreError, match="does not exist") as caught:
        SQLiteStore(missing / "alur.db")
    assert "mkdir -p" in caught.value.hint
    assert not missing.exists()


def test_directory_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        SQLiteStore(tmp_path)


def _pragma(store: SQLiteStore, name: str) -> Any:
    assert store._conn is not None
    with_cursor = store._conn.execute(f"PRAGMA {name}")
    try:
        return with_cursor.fetchone()[0]
    finally:
        with_cursor.close()


def test_sqlite_connection_settings(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "full.db") as full:
        assert full.synchronous == "FULL"
        assert _pragma(full, "synchronous") == 2
        assert _pragma(full, "journal_mode") == "wal"
        assert _pragma(full, "foreign_keys") == 1
        assert _pragma(full, "busy_timeout") == 10000
    with SQLiteStore(tmp_path / "normal.db", synchronous="normal") as normal:
        assert normal.synchronous == "NORMAL"
        assert _pragma(normal, "synchronous") == 1
        assert normal.url.endswith("?synchronous=NORMAL")
    store = open_store(f"sqlite:///{tmp_path}/url.db?synchronous=NORMAL")
    try:
        assert isinstance(store, SQLiteStore) and _pragma(store, "synchronous") == 1
    finally:
        store.close()
    with pytest.raises(UsageError):
        SQLiteStore(tmp_path / "x.db", synchronous="OFF")


def test_sqlite_store_works_from_another_thread(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "t.db") as store:
        errors: list[BaseException] = []

        def use() -> None:
            try:
                grow(store, "from-thread", 2)
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=use)
        thread.start()
        thread.join()
        assert errors == []
        assert len(store.events("from-thread")) == 2


def test_sqlite_file_is_readable_by_plain_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    with SQLiteStore(path) as store:
        grow(store, "c", 1, payloads=[{"nama": "Ani"}])
    conn = sqlite3.connect(path)
    try:
        cursor = conn.execute("SELECT case_id, seq, payload FROM alur_events")
        assert cursor.fetchall() == [("c", 1, '{"nama":"Ani"}')]
        cursor.close()
    finally:
        conn.close()


# -- open_store URLs ------------------------------------------------------------------------------

def test_open_store_memory() -> None:
    store = open_store("memory://")
    try:
        assert isinstance(store, MemoryStore) and store.url == "memory://"
    finally:
        store.close()


def test_open_store_sqlite_relative_absolute_env_and_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALUR_DB", raising=False)
    (tmp_path / "sub").mkdir()
    opened = [open_store("sqlite:///sub/rel.db"), open_store(f"sqlite:///{tmp_path}/abs.db"),
              open_store(None)]
    monkeypatch.setenv("ALUR_DB", "sqlite:///from-env.db")
    opened.append(open_store())
    try:
        assert [type(store) for store in opened] == [SQLiteStore] * 4
        assert opened[0].url == "sqlite:///sub/rel.db"
        assert opened[1].url == f"sqlite:///{tmp_path}/abs.db"
        assert opened[1].url.startswith("sqlite:////")
        assert opened[2].url == "sqlite:///alur.db"
        assert opened[3].url == "sqlite:///from-env.db"
    finally:
        for store in opened:
            store.close()
    for name in ("sub/rel.db", "abs.db", "alur.db", "from-env.db"):
        assert (tmp_path / name).is_file(), name


@pytest.mark.parametrize("url", ["mysql://u:secret@host/db", "sqlite://rel.db", "sqlite:///",
                                 "sqlite:///a.db?synchronous=OFF", "sqlite:///a.db?mode=ro",
                                 "alur.db", "", "memory://x", "postgresqlx://h/db"])
def test_open_store_refuses_unknown_urls(url: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        open_store(url)
    assert caught.value.hint
    assert "secret" not in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_postgres_url_schema_must_be_a_plain_name() -> None:
    with pytest.raises(UsageError, match="schema"):
        open_store("postgresql://postgres@127.0.0.1:1/test?schema=a;drop")


def test_postgres_unreachable_server_is_a_store_error_without_password() -> None:
    with pytest.raises(StoreError, match="cannot connect") as caught:
        open_store("postgres://alur:s3cret@127.0.0.1:1/test?connect_timeout=3")
    assert "s3cret" not in caught.value.message and "***" in caught.value.message
    assert caught.value.hint


def test_postgres_url_helpers() -> None:
    from engine.store.postgres import redact_url, split_schema

    assert redact_url("postgresql://u:pw@h:5432/db?schema=x") \
        == "postgresql://u:***@h:5432/db?schema=x"
    assert redact_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert split_schema("postgresql://u@h/db?sslmode=disable&schema=alur_t1") == (
        "postgresql://u@h/db?sslmode=disable", "alur_t1")
    assert split_schema("postgres://u@h/db") == ("postgres://u@h/db", None)


def test_postgres_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://postgres@127.0.0.1:5432/test")
    assert "pip install 'alur[postgres]'" in caught.value.hint


def test_importing_the_store_does_not_import_psycopg() -> None:
    code = ("import sys, engine.store; from engine.store import open_store; "
            "open_store('memory://').close(); assert 'psycopg' not in sys.modules; "
            "from engine.store import PostgresStore; print(PostgresStore.__name__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "PostgresStore"


def test_public_names_are_pinned() -> None:
    assert sorted(engine.store.__all__) == ["MemoryStore", "PostgresStore", "SQLiteStore",
                                            "Store", "StoredProcedure", "open_store"]


# -- heads (what lets an Engine keep a verified case between commands) -------------------------

def test_head_is_the_snapshot_version_last_hash_and_edits(store: Store) -> None:
    assert store.head("c1") is None
    events, snapshot = grow(store, "c1", 2)
    # the fourth field is the store's epoch (its trigger set), as Store.epoch gives it; the
    # fifth the hash of the ledger's last entry for the case, which each append writes
    assert store.head("c1") == Head(2, events[-1].hash, 0, store.epoch(), events[-1].hash) \
        == (snapshot.version, snapshot.last_hash, 0, store.epoch(), snapshot.last_hash)
    more, _ = grow(store, "c1", 1)
    assert store.head("c1") == Head(3, more[-1].hash, 0, store.epoch(),
                                    more[-1].hash)  # not an edit
    assert store.read_case("c1")[1].edits == store.snapshot("c1").edits == 0  # type: ignore


def test_an_append_expecting_a_head_lands_only_on_that_head(store: Store) -> None:
    events, _ = grow(store, "c1", 2)
    head = store.head("c1")
    assert head is not None
    more, snapshot = build("c1", 2, events[-1].hash, 1)
    with pytest.raises(UsageError):  # a head of another version than the expected one
        store.append("c1", 2, more, snapshot, expected_head=head._replace(version=1))
    for wrong in (head._replace(edits=head.edits + 1), head._replace(last_hash="f" * 64),
                  head._replace(epoch="another trigger set"),
                  head._replace(ledger="f" * 64)):
        with pytest.raises(StaleCase) as stale:
            store.append("c1", 2, more, snapshot, expected_head=wrong)
        assert isinstance(stale.value, ConcurrencyConflict) and "c1" in stale.value.message
        assert store.head("c1") == head and len(store.events("c1")) == 2  # nothing written
    store.append("c1", 2, more, snapshot, expected_head=head)
    assert store.head("c1") == Head(3, more[-1].hash, head.edits, head.epoch, more[-1].hash)
    with pytest.raises(StaleCase):  # another append came first
        store.append("c1", 2, more, snapshot, expected_head=head)


_COPY_FIRST_EVENT = ("INSERT INTO alur_events (case_id, seq, type, payload, user_id, role, at, "
                     "procedure_hash, prev_hash, hash) SELECT case_id, {seq}, type, payload, "
                     "user_id, role, at, procedure_hash, prev_hash, hash FROM alur_events "
                     "WHERE case_id = 'c1' AND seq = 1")
EDITS: dict[str, tuple[str | None, tuple[str, ...]]] = {  # id: (only on this backend, statements)
    "update-event": (None, ("UPDATE alur_events SET type = 'x' WHERE case_id = 'c1' AND seq = 1",)),
    "delete-event": (None, ("DELETE FROM alur_events WHERE case_id = 'c1' AND seq = 2",)),
    "insert-past-the-end": ("sqlite", (_COPY_FIRST_EVENT.format(seq=9),)),
    "replace-event": ("sqlite", ("INSERT OR REPLACE INTO alur_events SELECT case_id, seq, 'x', "
                                 "payload, user_id, role, at, procedure_hash, prev_hash, hash "
                                 "FROM alur_events WHERE case_id = 'c1' AND seq = 1",)),
    "upsert-event": ("postgres", (_COPY_FIRST_EVENT.format(seq=1)
                                  + " ON CONFLICT (case_id, seq) DO UPDATE SET type = 'x'",)),
    "truncate-events": ("postgres", ("TRUNCATE alur_events",)),
    "rewrite-snapshot": (None, ("UPDATE alur_snapshots SET status = 'selesai' "
                                "WHERE case_id = 'c1'",)),
    "set-count": (None, ("UPDATE alur_snapshots SET edits = 0 WHERE case_id = 'c1'",)),
    "edit-then-put-the-count-back": (None, (
        "UPDATE alur_events SET type = 'x' WHERE case_id = 'c1' AND seq = 1",
        "UPDATE alur_snapshots SET edits = 0 WHERE case_id = 'c1'")),
    "fake-append-then-put-the-head-back": (None, (
        "UPDATE alur_events SET type = 'x' WHERE case_id = 'c1' AND seq = 1",
        "UPDATE alur_snapshots SET version = version + 1, edits = 0 WHERE case_id = 'c1'",
        "UPDATE alur_snapshots SET version = version - 1, edits = 0 WHERE case_id = 'c1'")),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_edit_behind_the_stores_back_counts(sql_backend: Backend, edit: str) -> None:
    """Raw SQL from another connection: the triggers count what the appends did not do, and the
    count never goes back, so no sequence of statements restores a head after an edit."""
    only, statements = EDITS[edit]
    if only is not None and sql_backend.name != only:
        pytest.skip(f"{only} only: PostgreSQL counts no inserts (a trigger per insert costs too "
                    "much; test_an_event_slipped_in_is_caught_by_the_next_command covers it) "
                    "and has no INSERT OR REPLACE; SQLite has no TRUNCATE or ON CONFLICT here")
    store = open_or_fail(sql_backend)
    try:
        grow(store, "c1", 2)
        grow(store, "c2", 1)
        before, other = store.head("c1"), store.head("c2")
        assert before is not None
        for statement in statements:
            sql_backend.sql(statement)
        after = store.head("c1")
        assert after is not None and after.edits > before.edits
        assert after[:2] == before[:2]  # the head moved only through the count
        if edit != "truncate-events":  # TRUNCATE counts for every case
            assert store.head("c2") == other  # another case's head stays
    finally:
        store.close()


LEDGER_EDITS = {  # id: a statement on the ledger rows of case c1, which no trigger counts
    "rewrite-last": "UPDATE alur_ledger SET hash = 'f' WHERE seq = (SELECT max(seq) FROM "
                    "alur_ledger WHERE kind = 'case' AND ref = 'c1')",
    "delete-last": "DELETE FROM alur_ledger WHERE seq = (SELECT max(seq) FROM alur_ledger "
                   "WHERE kind = 'case' AND ref = 'c1')",
    "delete-all": "DELETE FROM alur_ledger WHERE kind = 'case' AND ref = 'c1'",
}


@pytest.mark.parametrize("edit", list(LEDGER_EDITS))
def test_an_edit_of_a_cases_ledger_entries_moves_its_head(sql_backend: Backend,
                                                          edit: str) -> None:
    """The ledger has no triggers: its last entry for the case is part of the head instead, so
    an append expecting the head read before the edit does not land (issue #15)."""
    store = open_or_fail(sql_backend)
    try:
        events, _ = grow(store, "c1", 2)
        grow(store, "c2", 1)
        before, other = store.head("c1"), store.head("c2")
        assert before is not None and before.ledger == events[-1].hash
        sql_backend.sql(LEDGER_EDITS[edit])
        after = store.head("c1")
        assert after is not None and after[:4] == before[:4] and after.ledger != before.ledger
        assert store.head("c2") == other
        more, snapshot = build("c1", 2, events[-1].hash, 1)
        with pytest.raises(StaleCase):
            store.append("c1", 2, more, snapshot, expected_head=before)
        assert len(store.events("c1")) == 2
    finally:
        store.close()


def test_a_snapshot_row_cannot_be_replaced(sql_backend: Backend) -> None:
    """INSERT OR REPLACE would bring the row's own count: SQLite refuses it (alur updates
    snapshots, it never replaces one)."""
    if sql_backend.name != "sqlite":
        pytest.skip("PostgreSQL has no INSERT OR REPLACE (an upsert is an UPDATE, and counts)")
    store = open_or_fail(sql_backend)
    try:
        grow(store, "c1", 2)
        before = store.head("c1")
        with pytest.raises(sqlite3.IntegrityError, match="never replaced"):
            sql_backend.sql("INSERT OR REPLACE INTO alur_snapshots SELECT * FROM alur_snapshots "
                            "WHERE case_id = 'c1'")
        assert store.head("c1") == before
    finally:
        store.close()


def test_a_new_case_has_no_head_to_expect(store: Store) -> None:
    events, snapshot = build("c1", 0, GENESIS, 1)
    with pytest.raises(UsageError, match="no head"):
        store.append("c1", 0, events, snapshot, expected_head=Head(0, GENESIS, 0))
    assert store.head("c1") is None


def test_a_redaction_counts_as_an_edit(store: Store) -> None:
    events, snapshot = build("c1", 0, GENESIS, 1,
                             payloads=[{"name": "Ani", SALTS: {"name": "s" * 32}}])
    store.append("c1", 0, events, snapshot)
    before = store.head("c1")
    assert before is not None
    redacted = [replace(events[0], payload=redact_payload(events[0].payload))]
    more, snapshot = build("c1", 1, events[-1].hash, 1)
    store.append("c1", 1, more, snapshot, redacted=redacted)
    after = store.head("c1")
    assert after is not None and after.version == 2 and after.edits > before.edits


def test_an_update_sets_only_the_index_columns_that_changed(sql_backend: Backend) -> None:
    """Listing columns keep their values across an append that does not change them, and take
    the new ones when it does (the SQLite backend writes only what changed)."""
    store = open_or_fail(sql_backend)
    try:
        grow(store, "c1", 1, status="open", role="petugas", due_at="2026-03-09T09:00:00+07:00")
        grow(store, "c1", 1, status="open", role="petugas", due_at="2026-03-09T09:00:00+07:00",
             step="tanda_tangan")
        snap = store.snapshot("c1")
        assert snap is not None
        assert (snap.status, snap.current_role, snap.current_step, snap.due_at, snap.version) \
            == ("open", "petugas", "tanda_tangan", "2026-03-09T09:00:00+07:00", 2)
        grow(store, "c1", 1, status="closed", role=None, due_at=None, step=None,
             procedure_id="izin-usaha")
        snap = store.snapshot("c1")
        assert snap is not None
        assert (snap.status, snap.current_role, snap.current_step, snap.due_at, snap.version) \
            == ("closed", None, None, None, 3)
        assert ids(store.cases(status="open")) == []
        assert ids(store.cases(status="closed")) == ["c1"]
        assert ids(store.cases(role="petugas")) == []
    finally:
        store.close()


def test_read_case_sees_one_moment_while_another_connection_appends(backend: Backend) -> None:
    reader = open_or_fail(backend)
    writer = open_or_fail(backend) if backend.persistent else reader  # memory: one store
    try:
        grow(writer, "moving", 1)
        stop = threading.Event()

        def keep_appending() -> None:
            for _ in range(300):
                if stop.is_set():
                    return
                grow(writer, "moving", 1)

        thread = threading.Thread(target=keep_appending)
        thread.start()
        try:
            seen = 0
            while thread.is_alive() or seen == 0:
                events, snapshot = reader.read_case("moving")
                assert snapshot is not None
                assert snapshot.version == len(events) == events[-1].seq
                assert snapshot.last_hash == events[-1].hash
                assert verify_chain("moving", events) == []
                seen += 1
        finally:
            stop.set()
            thread.join(timeout=60)
        assert reader.read_case("missing") == ([], None)
    finally:
        reader.close()
        if writer is not reader:
            writer.close()


def test_an_append_of_thousands_of_events_lands_whole(store: Store) -> None:
    """PostgreSQL binds at most 65,535 parameters to one statement: a big append (an opening
    with thousands of documents) must still land, and land whole."""
    events, snapshot = grow(store, "big", 7000)
    stored = store.events("big")
    assert len(stored) == 7000 and stored[-1] == events[-1]
    assert verify_chain("big", stored) == []
    assert store.head("big")[:3] == (7000, snapshot.last_hash, 0)
