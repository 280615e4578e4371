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
