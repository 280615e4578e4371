"""The in-memory store, and the input rules every store shares.

Owns: :class:`MemoryStore`, the reference implementation of :class:`engine.store.base.Store`
(plain dicts behind one lock, gone when the process ends), and the checks every backend runs
before it writes anything (:func:`check_append`, :func:`dump_json`, :func:`check_text`,
:func:`due_key`, :func:`conflict`), so memory, SQLite and PostgreSQL accept and refuse the same
inputs. Payloads and states are kept as JSON text, as the SQL stores keep them, so what comes back
from memory is what a database would give back (tuples come back as lists).

Must not: do I/O, interpret payloads or procedures, or decide anything about a case's state.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from engine.errors import ConcurrencyConflict, StoreError, UsageError
from engine.events import AuditRecord, CaseSnapshot, Event
from engine.store.base import Linked, StoredProcedure

__all__ = ["CONFLICT_HINT", "MemoryStore", "check_append", "check_blob", "check_json",
           "check_limit", "check_procedure", "check_record", "check_text", "conflict", "due_key",
           "dump_json", "load_json"]

CONFLICT_HINT = "reload the case and retry the command"
_MAX_DEPTH = 200


# -- input rules shared by every backend ---------------------------------------------------------

def check_text(value: object, what: str) -> None:
    """A text column value: a str every backend can hold (no NUL, valid UTF-8)."""
    if not isinstance(value, str):
        raise UsageError(f"{what} must be a str, not {type(value).__name__}")
    if "\x00" in value:
        raise UsageError(f"{what} contains a NUL character, which PostgreSQL cannot store",
                         hint="remove the \\x00 character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(f"{what} is not valid Unicode text ({exc.reason})") from exc


def check_json(value: object, what: str) -> None:
    """A JSON value every backend returns exactly as given (PostgreSQL ``jsonb`` included)."""
    stack: list[tuple[object, str, int]] = [(value, what, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise UsageError(f"{what} is nested deeper than {_MAX_DEPTH} levels")
        if item is None or isinstance(item, bool | int):
            continue
        if isinstance(item, str):
            check_text(item, path)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise UsageError(f"{path} is {item!r}; JSON has no NaN or infinity")
            if item == 0.0 and math.copysign(1.0, item) < 0:
                raise UsageError(f"{path} is -0.0, which PostgreSQL jsonb turns into 0.0",
                                 hint="store 0.0 instead")
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise UsageError(f"{path} has the key {key!r}; JSON object keys are strings")
                check_text(key, f"{path} key {key!r}")
                stack.append((child, f"{path}.{key}", depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{path}[{index}]", depth + 1)
                         for index, child in enumerate(item))
        else:
            raise UsageError(f"{path} is a {type(item).__name__}, which JSON cannot hold",
                             hint="use str, int, float, bool, None, list or dict values")


def dump_json(value: object, what: str) -> str:
    """``value`` as JSON text (after :func:`check_json`); UTF-8 kept, no spaces."""
    check_json(value, what)
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{what} cannot be written as JSON: {exc}") from exc


def load_json(text: str) -> Any:
    return json.loads(text)


def due_key(due_at: str | None) -> str | None:
    """The UTC instant of ``due_at`` as sortable text (``YYYY-MM-DDTHH:MM:SS.ffffff``)."""
    if due_at is None:
        return None
    check_text(due_at, "snapshot due_at")
    try:
        moment = datetime.fromisoformat(due_at)
        if moment.utcoffset() is None:
            raise UsageError(f"snapshot due_at {due_at!r} has no UTC offset",
                             hint="write it with an offset, e.g. 2026-03-02T09:00:00+07:00")
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    except (ValueError, OverflowError) as exc:
        raise UsageError(f"snapshot due_at {due_at!r} is not an ISO 8601 date-time",
                         hint="write it like 2026-03-02T09:00:00+07:00") from exc


def check_append(case_id: str, expected_version: int, events: Sequence[Event],
                 snapshot: CaseSnapshot) -> None:
    """Refuse an append whose arguments do not fit together (checked before any write).

    Events must be sealed, belong to ``case_id`` and be numbered ``expected_version + 1`` on;
    the snapshot must be of the same case at the last event (``version``, ``last_hash``).
    """
    check_text(case_id, "case_id")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) \
            or expected_version < 0:
        raise UsageError(f"expected_version must be an int >= 0, not {expected_version!r}")
    if not events:
        raise UsageError(f"append to case {case_id!r} has no events",
                         hint="a command that changes nothing must not append")
    for offset, event in enumerate(events, start=1):
        want = expected_version + offset
        if event.case_id != case_id:
            raise UsageError(f"event {event.seq} belongs to case {event.case_id!r}, "
                             f"not to {case_id!r}")
        if event.seq != want:
            raise UsageError(f"event of case {case_id!r} has seq {event.seq}; after version "
                             f"{expected_version} event {offset} must have seq {want}",
                             hint="number events expected_version+1, +2, ... in order")
        if not event.hash:
            raise UsageError(f"event {event.seq} of case {case_id!r} is not sealed",
                             hint="seal events with engine.events.chain() before appending")
        for name in ("type", "user", "role", "at", "procedure_hash", "prev_hash", "hash"):
            check_text(getattr(event, name), f"event {event.seq} {name}")
    if snapshot.case_id != case_id:
        raise UsageError(f"snapshot is of case {snapshot.case_id!r}, not of {case_id!r}")
    if snapshot.version != expected_version + len(events):
        raise UsageError(f"snapshot of case {case_id!r} has version {snapshot.version}; after "
                         f"{len(events)} event(s) on version {expected_version} it must be "
                         f"{expected_version + len(events)}")
    if snapshot.last_hash != events[-1].hash:
        raise UsageError(f"snapshot of case {case_id!r}: last_hash is not the hash of event "
                         f"{events[-1].seq}")
    for name in ("procedure_id", "procedure_hash", "status", "updated_at", "last_hash"):
        check_text(getattr(snapshot, name), f"snapshot {name}")
    for name in ("current_step", "current_role"):
        if getattr(snapshot, name) is not None:
            check_text(getattr(snapshot, name), f"snapshot {name}")


def check_redacted(case_id: str, redacted: Sequence[Event]) -> None:
    """Redaction may change a payload only in ways the event's hash does not see."""
    for event in redacted:
        if event.case_id != case_id or event.content_hash() != event.hash:
            raise UsageError(f"redacted event {event.seq} of case {case_id!r} no longer matches "
                             "its hash", hint="redact with engine.events.redact_payload only")


def check_procedure(proc: StoredProcedure) -> None:
    for name in ("hash", "id", "version", "text", "stored_at"):
        check_text(getattr(proc, name), f"procedure {name}")


def check_record(record: AuditRecord) -> None:
    for name in ("at", "user", "role", "action"):
        check_text(getattr(record, name), f"audit record {name}")
    for name in ("case_id", "rule"):
        if getattr(record, name) is not None:
            check_text(getattr(record, name), f"audit record {name}")


def check_blob(sha256: str, content: bytes) -> bytes:
    """``content`` as bytes, refused unless ``sha256`` is its lowercase hex SHA-256."""
    if not isinstance(content, bytes | bytearray | memoryview):
        raise UsageError(f"blob content must be bytes, not {type(content).__name__}")
    data = bytes(content)
    if sha256 != hashlib.sha256(data).hexdigest():
        raise UsageError(f"blob hash {sha256!r} is not the SHA-256 of its content",
                         hint="pass hashlib.sha256(content).hexdigest()")
    return data


def check_limit(limit: int | None) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise UsageError(f"limit must be None or an int >= 0, not {limit!r}")


def conflict(case_id: str, expected_version: int, *, found: int | None = None,
             seq: int | None = None) -> ConcurrencyConflict:
    """The one ConcurrencyConflict every backend raises, naming the case and the versions."""
    if found is not None:
        message = (f"case {case_id!r} is at version {found}, not at the expected version "
                   f"{expected_version}: another command was applied first")
    else:
        message = (f"case {case_id!r} moved past the expected version {expected_version}: "
                   f"event {seq} already exists")
    return ConcurrencyConflict(message, hint=CONFLICT_HINT)


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

    def __repr__(self) -> str:
        return "MemoryStore()"

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed", hint="open a new store")

    def append(self, case_id: str, expected_version: int, events: Sequence[Event],
               snapshot: CaseSnapshot, *, redacted: Sequence[Event] = (),
               drop_blobs: Sequence[str] = (), linked: Sequence[Linked] = ()) -> None:
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
            for cid, expected, evs, _rows, _snap in prepared:  # every check before any write
                stored = self._snapshots.get(cid)
                current = stored[0].version if stored else 0
                if current != expected:
                    raise conflict(cid, expected, found=current)
                existing = self._events.get(cid, {})
                for event in evs:  # UNIQUE(case_id, seq)
                    if event.seq in existing:
                        raise conflict(cid, expected, seq=event.seq)
            for cid, _expected, _evs, rows, snap_row in prepared:
                by_seq = self._events.setdefault(cid, {})
                for row in rows:
                    by_seq[row[0].seq] = row
                self._snapshots[cid] = snap_row
            by_seq = self._events.setdefault(case_id, {})
            for row in rewritten:
                if row[0].seq in by_seq and by_seq[row[0].seq][0].hash == row[0].hash:
                    by_seq[row[0].seq] = row
            for sha in drop_blobs:
                self._blobs.pop(sha, None)

    def events(self, case_id: str) -> list[Event]:
        with self._lock:
            self._check_open()
            rows = sorted(self._events.get(case_id, {}).items())
        return [replace(event, payload=load_json(payload)) for _, (event, payload) in rows]

    def snapshot(self, case_id: str) -> CaseSnapshot | None:
        with self._lock:
            self._check_open()
            stored = self._snapshots.get(case_id)
        if stored is None:
            return None
        return replace(stored[0], state=load_json(stored[1]))

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

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._events.clear()
            self._snapshots.clear()
            self._procedures.clear()
            self._audit.clear()
            self._blobs.clear()
