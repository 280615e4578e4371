"""The in-memory store: :class:`MemoryStore`, the reference implementation of
:class:`engine.store.base.Store` (plain dicts behind one lock, gone when the process ends).
Payloads and states are kept as JSON text, as the SQL stores keep them, so what comes back from
memory is what a database would give back (tuples come back as lists). The input rules it shares
with the SQL stores live in :mod:`engine.store.checks`.

Must not: do I/O, interpret payloads or procedures, or decide anything about a case's state.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

from engine.cases.events import AuditRecord, CaseSnapshot, Event, LedgerEntry, audit_hash
from engine.cases.numbers import parse, split
from engine.errors import StoreError
from engine.store.base import Head, Linked, StoredProcedure
from engine.store.checks import (
    check_append,
    check_blob,
    check_head,
    check_limit,
    check_procedure,
    check_record,
    check_redacted,
    conflict,
    due_key,
    dump_json,
    load_json,
    number_taken,
    stale,
)
from engine.store.outbox import OutboxRow, Subscription, matches
from engine.store.sql import CLOSED_STATUSES

__all__ = ["MemoryStore"]


def _head(snapshot: CaseSnapshot, ledger: dict[str, str]) -> Head:
    return Head(snapshot.version, snapshot.last_hash, snapshot.edits, "",
                ledger.get(snapshot.case_id, ""))


# -- the store -------------------------------------------------------------------------------------

class MemoryStore:
    """A store in plain dicts, safe to share between threads; for tests and short scripts."""

    def __init__(self) -> None:
        self.url = "memory://"
        self._lock = threading.Lock()
        self._closed = False
        # case_id -> seq -> (event without payload, payload JSON)
        self._events: dict[str, dict[int, tuple[Event, str]]] = {}
        # case_id -> (snapshot without state, state JSON, due key)
        self._snapshots: dict[str, tuple[CaseSnapshot, str, str | None]] = {}
        self._procedures: dict[str, StoredProcedure] = {}
        self._audit: list[tuple[AuditRecord, str]] = []
        self._blobs: dict[str, bytes] = {}
        self._ledger: list[LedgerEntry] = []
        self._numbers: dict[str, str] = {}  # case number -> case id (the unique index)
        self._last: dict[str, int] = {}  # series -> its highest counter
        # webhook subscriptions and the outbox (engine.store.outbox.MemoryOutbox reads them)
        self._webhooks: dict[str, Subscription] = {}
        self._outbox: dict[int, OutboxRow] = {}
        self._outbox_ids = 0
        self._ledger_heads: dict[str, str] = {}  # case id -> hash of its last ledger entry

    def __repr__(self) -> str:
        return "MemoryStore()"

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError.of("err.store.memory_closed", None)

    # its own redactions are counted, but tests edit its rows in place, unseen: an Engine on it
    # reads and verifies every case at every command
    counts_edits = False

    def append(self, case_id: str, expected_version: int, events: Sequence[Event],
               snapshot: CaseSnapshot, *, redacted: Sequence[Event] = (),
               drop_blobs: Sequence[str] = (), linked: Sequence[Linked] = (),
               expected_head: Head | None = None) -> None:
        check_head(expected_version, expected_head)
        batch = [(case_id, expected_version, events, snapshot), *linked]
        for entry in batch:
            check_append(*entry)
        check_redacted(case_id, redacted)
        rewritten = [(replace(e, payload={}), dump_json(e.payload, f"event {e.seq} payload"))
                     for e in redacted]
        prepared = [(cid, expected, evs, [
            (replace(e, payload={}), dump_json(e.payload, f"event {e.seq} payload"))
            for e in evs], (replace(snap, state={}), dump_json(snap.state, "snapshot state"),
                            due_key(snap.due_at)))
            for cid, expected, evs, snap in batch]
        with self._lock:
            self._check_open()
            for cid, expected, evs, _rows, new_snap in prepared:  # every check before any write
                stored = self._snapshots.get(cid)
                current = stored[0].version if stored else 0
                if cid == case_id and expected_head is not None and (
                        stored is None or _head(stored[0], self._ledger_heads) != expected_head):
                    raise stale(cid, expected, current)
                if current != expected:
                    raise conflict(cid, expected, found=current)
                existing = self._events.get(cid, {})
                for event in evs:  # UNIQUE(case_id, seq)
                    if event.seq in existing:
                        raise conflict(cid, expected, seq=event.seq)
                number = new_snap[0].number
                if stored is None and number is not None and (
                        number in self._numbers
                        or sum(p[4][0].number == number for p in prepared) > 1):
                    raise number_taken(cid, number)  # UNIQUE(number_series, number_seq)
            for cid, _expected, _evs, rows, snap_row in prepared:
                by_seq = self._events.setdefault(cid, {})
                for row in rows:
                    by_seq[row[0].seq] = row
                before = self._snapshots.get(cid)
                edits = (before[0].edits if before else 0) + (1 if rewritten and cid == case_id
                                                               else 0)
                number = before[0].number if before else snap_row[0].number  # never changes
                parts = split(number) if number is not None else None
                if number is not None and parts is not None:
                    self._numbers[number] = cid
                    self._last[parts[0]] = max(self._last.get(parts[0], 0), parts[1])
                self._snapshots[cid] = (replace(snap_row[0], edits=edits, number=number),
                                        *snap_row[1:])
                self._ledger.append(LedgerEntry(len(self._ledger) + 1, "case", cid,
                                                snap_row[0].version, snap_row[0].last_hash))
                self._queue(snap_row[0].procedure_id, [row[0] for row in rows])
                self._ledger_heads[cid] = snap_row[0].last_hash
            by_seq = self._events.setdefault(case_id, {})
            for row in rewritten:
                if row[0].seq in by_seq and by_seq[row[0].seq][0].hash == row[0].hash:
                    by_seq[row[0].seq] = row
            for sha in drop_blobs:
                self._blobs.pop(sha, None)

    def _queue(self, procedure_id: str, events: Sequence[Event]) -> None:
        """The webhooks' outbox rows of ``events`` (under the lock, with the append)."""
        now = time.time()
        for event in events:
            for sub in sorted(self._webhooks.values(), key=lambda s: s.id):
                if matches(sub, procedure_id, event.type):
                    self._outbox_ids += 1
                    self._outbox[self._outbox_ids] = OutboxRow(
                        self._outbox_ids, sub.id, event.case_id, event.seq, event.type, now,
                        "pending", 0, now)

    def events(self, case_id: str) -> list[Event]:
        with self._lock:
            self._check_open()
            rows = sorted(self._events.get(case_id, {}).items())
        return [replace(event, payload=load_json(payload)) for _, (event, payload) in rows]

    def event(self, case_id: str, seq: int) -> Event | None:
        with self._lock:
            self._check_open()
            found = self._events.get(case_id, {}).get(seq)
        return None if found is None else replace(found[0], payload=load_json(found[1]))

    def snapshot(self, case_id: str) -> CaseSnapshot | None:
        with self._lock:
            self._check_open()
            stored = self._snapshots.get(case_id)
        if stored is None:
            return None
        return replace(stored[0], state=load_json(stored[1]))

    def read_case(self, case_id: str) -> tuple[list[Event], CaseSnapshot | None]:
        with self._lock:
            self._check_open()
            rows = sorted(self._events.get(case_id, {}).items())
            stored = self._snapshots.get(case_id)
        events = [replace(event, payload=load_json(payload)) for _, (event, payload) in rows]
        return events, None if stored is None else replace(stored[0], state=load_json(stored[1]))

    def head(self, case_id: str) -> Head | None:
        with self._lock:
            self._check_open()
            stored = self._snapshots.get(case_id)
            return None if stored is None else _head(stored[0], self._ledger_heads)

    def cases(self, *, status: str | None = None, procedure_id: str | None = None,
              role: str | None = None, limit: int | None = None) -> list[CaseSnapshot]:
        check_limit(limit)
        with self._lock:
            self._check_open()
            rows = list(self._snapshots.values())
        chosen = [row for row in rows
                  if (status is None or row[0].status == status)
                  and (procedure_id is None or row[0].procedure_id == procedure_id)
                  and (role is None or row[0].current_role == role)]
        chosen.sort(key=lambda row: (row[2] is None, row[2] or "", row[0].case_id))
        if limit is not None:
            chosen = chosen[:limit]
        return [replace(snap, state=load_json(state)) for snap, state, _ in chosen]

    def iter_cases(self, *, status: str | None = None, procedure_id: str | None = None,
                   roles: Sequence[str] | None = None, open_only: bool = False,
                   after: tuple[str | None, str] | None = None) -> Iterator[CaseSnapshot]:
        """Snapshots in listing order after the key ``after`` = (due key, case id); the state
        JSON of a row is parsed only when the row is reached."""
        def key(due: str | None, case_id: str) -> tuple[bool, str, str]:
            return (due is None, due or "", case_id)

        start = key(*after) if after is not None else None
        with self._lock:
            self._check_open()
            chosen = [(key(row[2], row[0].case_id), row[0], row[1])
                      for row in self._snapshots.values()
                      if (status is None or row[0].status == status)
                      and (procedure_id is None or row[0].procedure_id == procedure_id)
                      and (roles is None or row[0].current_role in roles)
                      and not (open_only and row[0].status in CLOSED_STATUSES)]
        chosen.sort(key=lambda item: item[0])
        return (replace(snap, state=load_json(state)) for k, snap, state in chosen
                if start is None or k > start)

    def last_number(self, series: str) -> int:
        with self._lock:
            self._check_open()
            return self._last.get(series, 0)

    def case_of_number(self, number: str) -> str | None:
        canonical = parse(number)
        with self._lock:
            self._check_open()
            return self._numbers.get(canonical) if canonical is not None else None

    def all_events(self, procedure_id: str | None = None) -> Iterator[Event]:
        with self._lock:
            self._check_open()
            chosen = sorted(
                (case_id, sorted(by_seq.items())) for case_id, by_seq in self._events.items()
                if procedure_id is None or (case_id in self._snapshots
                                            and self._snapshots[case_id][0].procedure_id
                                            == procedure_id))
        return (replace(event, payload=load_json(payload))
                for _, rows in chosen for _, (event, payload) in rows)

    def put_procedure(self, proc: StoredProcedure) -> None:
        check_procedure(proc)
        with self._lock:
            self._check_open()
            self._procedures.setdefault(proc.hash, proc)

    def procedure(self, hash: str) -> StoredProcedure | None:
        with self._lock:
            self._check_open()
            return self._procedures.get(hash)

    def procedures(self, procedure_id: str | None = None) -> list[StoredProcedure]:
        with self._lock:
            self._check_open()
            return [proc for proc in self._procedures.values()
                    if procedure_id is None or proc.id == procedure_id]

    def record_audit(self, record: AuditRecord) -> None:
        check_record(record)
        detail = dump_json(record.detail, "audit record detail")
        with self._lock:
            self._check_open()
            self._audit.append((replace(record, detail={}), detail))
            self._ledger.append(LedgerEntry(len(self._ledger) + 1, "audit", str(len(self._audit)),
                                            0, audit_hash(replace(record,
                                                                  detail=load_json(detail)))))

    def audit_records(self, case_id: str | None = None) -> list[AuditRecord]:
        with self._lock:
            self._check_open()
            rows = [row for row in self._audit if case_id is None or row[0].case_id == case_id]
        return [replace(record, detail=load_json(detail)) for record, detail in rows]

    def put_blob(self, sha256: str, content: bytes) -> None:
        data = check_blob(sha256, content)
        with self._lock:
            self._check_open()
            self._blobs.setdefault(sha256, data)

    def blob(self, sha256: str) -> bytes | None:
        with self._lock:
            self._check_open()
            return self._blobs.get(sha256)

    def blob_hashes(self) -> list[str]:
        with self._lock:
            self._check_open()
            return sorted(self._blobs)

    def ledger(self) -> list[LedgerEntry]:
        with self._lock:
            self._check_open()
            return list(self._ledger)

    def epoch(self) -> str:
        return ""  # no triggers: an Engine on it keeps no cases (counts_edits is False)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._ledger.clear()
            self._ledger_heads.clear()
            self._events.clear()
            self._snapshots.clear()
            self._procedures.clear()
            self._audit.clear()
            self._blobs.clear()
            self._numbers.clear()
            self._last.clear()
