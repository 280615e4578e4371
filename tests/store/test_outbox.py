"""The outbox rows every backend's append writes in the events' own transaction: one per
(event, subscription that wants it), big appends included, none for an append that fails."""

from __future__ import annotations

import time

import pytest

from engine.errors import ConcurrencyConflict
from engine.store.base import Store
from engine.store.outbox import open_outbox
from tests.store.conftest import Backend
from tests.store.test_contract import build, grow


def test_an_append_writes_one_row_per_event_and_matching_subscription(
        backend: Backend, store: Store) -> None:
    outbox = open_outbox(backend.url, store)
    try:
        every = outbox.add("http://127.0.0.1:9/every")
        mine = outbox.add("http://127.0.0.1:9/mine", procedure_id="izin-usaha")
        other = outbox.add("http://127.0.0.1:9/other", procedure_id="mediasi")
        events, _ = grow(store, "big", 1200)  # past every per-statement chunk
        rows = outbox.rows()
        for sub in (every, mine):
            assert [(r.case_id, r.seq, r.event_type) for r in rows
                    if r.subscription_id == sub.id] == [
                ("big", e.seq, e.type) for e in events]
        assert not [r for r in rows if r.subscription_id == other.id]
        assert outbox.counts() == {"pending": 2400, "delivered": 0, "dead": 0}
        assert outbox.oldest_pending() is not None
        assert outbox.oldest_pending() <= time.time()  # type: ignore[operator]
        stale, snapshot = build("big", 1, events[0].hash, 1)
        with pytest.raises(ConcurrencyConflict):  # nothing written: no row either
            store.append("big", 1, stale, snapshot)
        assert len(outbox.rows()) == 2400
    finally:
        outbox.close()


def test_a_subscription_another_connection_adds_gets_the_next_append(
        backend: Backend, store: Store) -> None:
    """A store that found no subscription at its last append (PostgreSQL then leaves the
    outbox insert out) still writes the rows for one added since on another connection, and
    writes none again once it is gone."""
    grow(store, "c", 2)  # appends with no subscription anywhere
    outbox = open_outbox(backend.url, store)  # a connection of its own (SQL stores)
    try:
        sub = outbox.add("http://127.0.0.1:9/later")
        events, _ = grow(store, "c", 2)
        grow(store, "new", 1)  # an opening too
        assert [(r.case_id, r.seq) for r in outbox.rows()] == [
            ("c", events[0].seq), ("c", events[1].seq), ("new", 1)]
        stale, snapshot = build("c", 1, events[0].hash, 1)
        with pytest.raises(ConcurrencyConflict):  # still stale, not written for the outbox
            store.append("c", 1, stale, snapshot)
        outbox.remove(sub.id)
        grow(store, "c", 1)
        grow(store, "c", 1)
        sub = outbox.add("http://127.0.0.1:9/again")
        more, _ = grow(store, "c", 1)
        assert [(r.case_id, r.seq) for r in outbox.rows() if r.subscription_id == sub.id] == [
            ("c", more[0].seq)]
    finally:
        outbox.close()
