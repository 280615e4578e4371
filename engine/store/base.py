"""The store port: what every backend (memory, SQLite, PostgreSQL) must do, and nothing more.

A store persists frozen values from :mod:`engine.events`; it never interprets payloads or
procedures. Its one hard promise is :meth:`Store.append`: all events of a command and the new
snapshot land together or not at all, and a second writer that read the same version gets
:class:`~engine.errors.ConcurrencyConflict` (``UNIQUE(case_id, seq)`` decides the winner).
Every backend passes the shared contract suite in ``tests/store/test_contract.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from engine.events import AuditRecord, CaseSnapshot, Event

__all__ = ["SCHEMA_VERSION", "Linked", "Store", "StoredProcedure"]

SCHEMA_VERSION = 1

# another case written in the same transaction: (case_id, expected_version, events, snapshot)
Linked = tuple[str, int, Sequence[Event], CaseSnapshot]


@dataclass(frozen=True, slots=True)
class StoredProcedure:
    hash: str
    id: str
    version: str
    text: str
    stored_at: str


@runtime_checkable
class Store(Protocol):
    url: str

    def append(self, case_id: str, expected_version: int, events: Sequence[Event],
               snapshot: CaseSnapshot, *, redacted: Sequence[Event] = (),
               drop_blobs: Sequence[str] = (), linked: Sequence[Linked] = ()) -> None:
        """Atomically add ``events`` (seq ``expected_version+1`` ...) and replace the snapshot.

        Raises ConcurrencyConflict when the case is no longer at ``expected_version``
        (0 = the case must not exist yet). Nothing is written when it raises.
        ``redacted``: stored events whose payload is replaced in the same transaction, for
        retention; each must keep its hash (personal data replaced by its commitment, see
        :func:`engine.events.redact_payload`), else UsageError. ``drop_blobs``: document
        contents to delete with it. ``linked``: other cases appended in the same transaction
        (a referral opens the target case together with the source's events).
        """
        ...

    def events(self, case_id: str) -> list[Event]:
        """All events of a case in ``seq`` order (empty when the case does not exist)."""
        ...

    def snapshot(self, case_id: str) -> CaseSnapshot | None: ...

    def read_case(self, case_id: str) -> tuple[list[Event], CaseSnapshot | None]:
        """The case's events and snapshot as of one moment (one read transaction), so a writer
        committing meanwhile cannot put the snapshot ahead of the events read."""
        ...

    def head(self, case_id: str) -> tuple[int, str] | None:
        """The snapshot's ``(version, last_hash)`` without its state (None: no such case)."""
        ...

    def cases(self, *, status: str | None = None, procedure_id: str | None = None,
              role: str | None = None, limit: int | None = None) -> list[CaseSnapshot]:
        """Snapshots filtered by status, procedure id and current role, ordered by due date
        (cases without one last), then case id."""
        ...

    def all_events(self, procedure_id: str | None = None) -> Iterator[Event]:
        """Every stored event ordered by case id then seq, optionally for one procedure id."""
        ...

    def put_procedure(self, proc: StoredProcedure) -> None:
        """Store a procedure version by content hash; storing the same hash again is a no-op."""
        ...

    def procedure(self, hash: str) -> StoredProcedure | None: ...

    def procedures(self, procedure_id: str | None = None) -> list[StoredProcedure]:
        """Stored versions, oldest first."""
        ...

    def record_audit(self, record: AuditRecord) -> None:
        """Append to the audit log (refused commands, reveals). Independent of case events."""
        ...

    def audit_records(self, case_id: str | None = None) -> list[AuditRecord]: ...

    def put_blob(self, sha256: str, content: bytes) -> None:
        """Store document content by its hash (idempotent)."""
        ...

    def blob(self, sha256: str) -> bytes | None:
        """Document content by hash; None when unknown or erased by retention."""
        ...

    def change_token(self) -> int | None:
        """A number that changes whenever *another* connection commits to the store (this
        one's own commits leave it alone), or None when the backend cannot tell. While it stays
        the same, nothing but this connection has written, so an Engine may decide the next
        command from a case it verified itself instead of reading and verifying it again."""
        ...

    def close(self) -> None: ...
