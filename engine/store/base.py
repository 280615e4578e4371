"""The store port: what every backend (memory, SQLite, PostgreSQL) must do, and nothing more.

A store persists frozen values from :mod:`engine.cases.events`; it never interprets payloads or
procedures. Its one hard promise is :meth:`Store.append`: all events of a command and the new
snapshot land together or not at all, and a second writer that read the same version gets
:class:`~engine.errors.ConcurrencyConflict` (``UNIQUE(case_id, seq)`` decides the winner).
Every backend passes the shared contract suite in ``tests/store/test_contract.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

from engine.cases.events import AuditRecord, CaseSnapshot, Event, LedgerEntry

__all__ = ["SCHEMA_VERSION", "Head", "Linked", "Store", "StoredProcedure"]

SCHEMA_VERSION = 7

# another case written in the same transaction: (case_id, expected_version, events, snapshot)
Linked = tuple[str, int, Sequence[Event], CaseSnapshot]


@dataclass(frozen=True, slots=True)
class StoredProcedure:
    hash: str
    id: str
    version: str
    text: str
    stored_at: str


class Head(NamedTuple):
    """Where a stored case stands: its version, the hash of its last event, and ``edits``, how
    many times its stored rows were changed *other than by an append* — an event updated,
    deleted or inserted past the snapshot, a snapshot rewritten without a new version. The SQL
    stores count those with triggers, whoever writes (alur, a CLI, raw SQL behind alur's back).
    While a case's head is unchanged, nothing has touched it since it was read, so a worker may
    decide from the copy it verified then (``Store.append(expected_head=...)`` checks this in
    the append's own transaction)."""

    version: int
    last_hash: str
    edits: int
    # the store's schema and trigger set as :meth:`Store.epoch` gives it ("" unknown): a worker
    # that verified a case under one set must not append on it under another (triggers dropped
    # and re-created around an edit count nothing), so the append checks this too
    epoch: str = ""
    # the hash of the store-wide ledger's last entry for the case ("" none, or not read): what a
    # worker verified the case against. An append writes the entry of its new head, so it is the
    # case's last hash unless someone rewrote, deleted or added ledger rows for the case, which
    # no trigger counts (issue #15): the append checks it too
    ledger: str = ""


@runtime_checkable
class Store(Protocol):
    url: str
    # True when ``Head.edits`` counts every change to a case's stored rows, whoever makes it
    # (the SQL stores' triggers): only then may an Engine keep verified cases between commands
    counts_edits: bool

    def append(self, case_id: str, expected_version: int, events: Sequence[Event],
               snapshot: CaseSnapshot, *, redacted: Sequence[Event] = (),
               drop_blobs: Sequence[str] = (), linked: Sequence[Linked] = (),
               expected_head: Head | None = None) -> None:
        """Atomically add ``events`` (seq ``expected_version+1`` ...) and replace the snapshot.

        Raises ConcurrencyConflict when the case is no longer at ``expected_version``
        (0 = the case must not exist yet). Nothing is written when it raises.
        ``expected_head``: the case's whole :class:`Head` must still be this one, else
        :class:`~engine.errors.StaleCase` (a ConcurrencyConflict); only a store whose
        ``counts_edits`` is true can tell edits apart, the others compare version and hash.
        ``redacted``: stored events whose payload and user are replaced in the same
        transaction, for retention; each must keep its hash (personal data replaced by its
        commitment, see :func:`engine.cases.events.redact_event`), else UsageError.
        ``drop_blobs``: document contents to delete with it. ``linked``: other cases appended
        in the same transaction (a referral opens the target case together with the source's
        events).
        """
        ...

    def events(self, case_id: str) -> list[Event]:
        """All events of a case in ``seq`` order (empty when the case does not exist)."""
        ...

    def event(self, case_id: str, seq: int) -> Event | None:
        """The case's event number ``seq`` (None when there is none): one row read, for the
        webhook deliverer, which sends events one at a time."""
        ...

    def snapshot(self, case_id: str) -> CaseSnapshot | None: ...

    def read_case(self, case_id: str) -> tuple[list[Event], CaseSnapshot | None]:
        """The case's events and snapshot as of one moment (one read transaction), so a writer
        committing meanwhile cannot put the snapshot ahead of the events read."""
        ...

    def head(self, case_id: str) -> Head | None:
        """The case's :class:`Head` without its state (None: no such case)."""
        ...

    def cases(self, *, status: str | None = None, procedure_id: str | None = None,
              role: str | None = None, limit: int | None = None) -> list[CaseSnapshot]:
        """Snapshots filtered by status, procedure id and current role, ordered by due date
        (cases without one last), then case id."""
        ...

    def iter_cases(self, *, status: str | None = None, procedure_id: str | None = None,
                   roles: Sequence[str] | None = None, open_only: bool = False,
                   after: tuple[str | None, str] | None = None) -> Iterator[CaseSnapshot]:
        """Snapshots in the order of :meth:`cases`, yielded lazily page by page (memory stays
        flat in the number of cases). ``roles``: current role among these; ``open_only``: no
        closed case; ``after``: resume after the row whose (due key, case id) this is — the
        due key is :func:`engine.store.checks.due_key` of its ``due_at`` (keyset pagination)."""
        ...

    def last_number(self, series: str) -> int:
        """The highest case counter of ``series`` (``MED-2026``) in the store; 0 for none. A
        new case takes the next one; an append whose number another case holds raises
        :class:`~engine.errors.NumberTaken` and writes nothing."""
        ...

    def case_of_number(self, number: str) -> str | None:
        """The id of the case whose short number is ``number`` (``MED-2026-0042``, or
        ``med-2026-42``: see :func:`engine.cases.numbers.split`); None when no case has it."""
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

    def blob_hashes(self) -> list[str]:
        """The hash key of every stored document content, sorted."""
        ...

    def ledger(self) -> list[LedgerEntry]:
        """Every ledger entry by seq, as a settled prefix: no entry written later can take a
        place among them (PostgreSQL waits for the inserting transactions to end)."""
        ...

    def epoch(self) -> str:
        """A fingerprint of the store's schema and triggers that changes whenever a trigger is
        dropped, created, replaced or disabled ("" when the store has none to watch)."""
        ...

    def close(self) -> None: ...
