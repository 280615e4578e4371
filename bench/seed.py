"""Bulk-seeding a SQLite store with many valid cases, straight into alur_events/alur_snapshots
(and a ledger entry per case into alur_ledger).

One real case of bench/linear10.yaml is opened through the Engine (3 events: case_opened,
step_started, clock_started, and its snapshot). Its stored rows are the template: every seeded
case is the same rows under another case id, with the hash chain recomputed for that id and the
snapshot's ``case_id``/``last_hash`` replaced, so each seeded case verifies (``Engine.case``) and
accepts commands like any other. Rows go in with ``executemany``, one transaction per chunk, case
ids in key order (``seed-000000042``) so both primary keys grow at their right edge.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import Any

from bench.common import AT, LINEAR
from engine.api import Engine
from engine.cases.events import GENESIS, Event, canonical_json
from engine.store.checks import dump_json

TEMPLATE = "seed-template"
FIRST_STEP = "langkah_01"
_EVENT_COLUMNS = "case_id, seq, type, payload, user_id, role, at, procedure_hash, prev_hash, hash"
_SNAPSHOT_COLUMNS = ("case_id, procedure_id, procedure_hash, version, status, current_step, "
                     "current_role, due_at, due_utc, updated_at, last_hash, state")


def _event(row: tuple[Any, ...]) -> Event:
    return Event(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5], row[6], row[7],
                 row[8], row[9])


def _unnumbered(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """An event row as alur wrote it before case numbers: a ``case_opened`` payload without
    ``number`` (and so without ``$version``, which only version 2 writes)."""
    if row[2] != "case_opened":
        return row
    payload = {k: v for k, v in json.loads(row[3]).items() if k not in ("number", "$version")}
    return (*row[:3], dump_json(payload, "case_opened payload"), *row[4:])


def seed_id(index: int) -> str:
    return f"seed-{index:09d}"


class Seeder:
    """Adds valid cases to the SQLite store at ``path`` (an alur store; made when missing)."""

    def __init__(self, path: str) -> None:
        self.path = path
        engine = Engine(f"sqlite:///{path}?synchronous=NORMAL")
        try:
            digest = engine.register(LINEAR)
            if engine.store.snapshot(TEMPLATE) is None:
                engine.open_case(digest, user="user-petugas", role="petugas", at=AT,
                                 case_id=TEMPLATE)
        finally:
            engine.close()
        conn = sqlite3.connect(path)
        try:
            events = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM alur_events WHERE case_id = ? "
                                  "ORDER BY seq", (TEMPLATE,)).fetchall()
            snapshot = conn.execute(f"SELECT {_SNAPSHOT_COLUMNS} FROM alur_snapshots "
                                    "WHERE case_id = ?", (TEMPLATE,)).fetchone()
            self.count = conn.execute("SELECT count(*) FROM alur_snapshots "
                                      "WHERE case_id LIKE 'seed-0%'").fetchone()[0]
        finally:
            conn.close()
        # seeded cases carry no case number (one number cannot be every case's, and a number
        # per case would change every body below): their opening is written as before numbers
        # existed, a version-1 payload, and their number columns stay empty
        events = [_unnumbered(row) for row in events]
        # per event: the stored columns after case_id, and the hashed body between case id
        # and prev_hash (canonical JSON of a list joins its items with ',' and no spaces)
        self._events: list[tuple[tuple[Any, ...], str]] = []
        for row in events:
            middle = canonical_json([row[1], row[2], json.loads(row[3]), row[4], row[5], row[6],
                                     row[7]])[1:-1]
            self._events.append((row[1:8], middle))
        self._snapshot = snapshot[1:10]
        self._last_hash = snapshot[10]
        state = snapshot[11]
        needle = json.dumps(TEMPLATE)
        if state.count(needle) != 1 or state.count(self._last_hash) != 1:
            raise AssertionError("the template snapshot does not have the expected form")
        before, after = state.split(needle)
        middle, end = after.split(self._last_hash)
        self._state_parts = (before, middle, end)
        self.event_bytes = sum(len(str(v)) for v in events[0]) if events else 0
        self.events_per_case = len(events)
        # the fast hash above must be the engine's own: checked on one case, else every event
        # is hashed through engine.events (slower, always right)
        self._fast = True
        self._fast = self._agrees()

    def _agrees(self) -> bool:
        event_rows, _ = self.rows(0, 1)
        return all(_event(row).content_hash() == row[9] for row in event_rows)

    def rows(self, start: int, stop: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        event_rows: list[tuple[Any, ...]] = []
        snapshot_rows: list[tuple[Any, ...]] = []
        before, middle, end = self._state_parts
        sha256 = hashlib.sha256
        for index in range(start, stop):
            case_id = seed_id(index)
            prefix = f'["{case_id}",'
            prev = GENESIS
            for columns, body in self._events:
                if self._fast:
                    digest = sha256(f'{prefix}{body},"{prev}"]'.encode()).hexdigest()
                else:
                    digest = _event((case_id, *columns, prev, "")).content_hash()
                event_rows.append((case_id, *columns, prev, digest))
                prev = digest
            snapshot_rows.append((case_id, *self._snapshot, prev,
                                  f'{before}"{case_id}"{middle}{prev}{end}'))
        return event_rows, snapshot_rows

    def seed_to(self, total: int, chunk: int = 50_000,
                progress: Callable[[int], None] | None = None) -> float:
        """Add cases until the store holds ``total`` seeded ones; the seconds it took."""
        import time

        started = time.perf_counter()
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA cache_size = -262144")
            conn.execute("PRAGMA temp_store = MEMORY")
            while self.count < total:
                stop = min(total, self.count + chunk)
                event_rows, snapshot_rows = self.rows(self.count, stop)
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(f"INSERT INTO alur_events ({_EVENT_COLUMNS}) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", event_rows)
                conn.executemany(f"INSERT INTO alur_snapshots ({_SNAPSHOT_COLUMNS}) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", snapshot_rows)
                # each case's head in the store-wide ledger, as an append writes it: a case
                # the ledger does not know is refused as written behind alur's back
                conn.executemany("INSERT INTO alur_ledger (kind, ref, version, hash) "
                                 "VALUES ('case', ?, ?, ?)",
                                 [(row[0], row[3], row[10]) for row in snapshot_rows])
                conn.execute("COMMIT")
                if progress is not None:
                    progress(stop - self.count)
                self.count = stop
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        return time.perf_counter() - started
