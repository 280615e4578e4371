"""The relational schema of the SQL stores (SQLite, PostgreSQL), kept as data.

Owns: the ordered list :data:`MIGRATIONS` (one step per schema version, the SQL of each step per
dialect) and :func:`plan`, which says which steps an opened store still needs and refuses a store
written by a newer alur. The version lives in ``alur_meta`` under the key ``schema_version``.

Must not: open connections, run SQL or import a driver. Each backend runs the planned steps in
one transaction of its own. To change the schema, append a step and raise
``engine.store.base.SCHEMA_VERSION``; never edit a step that has been released.

Layout (version 1; version 2 adds the edit counter below). Times are TEXT exactly as given
(hashes cover them). ``due_utc`` is the snapshot's ``due_at`` as a UTC key, so listings sort by
the instant even when offsets differ.
PostgreSQL keys and sort columns use ``COLLATE "C"`` so text orders by code point, as in SQLite
and in Python; there ``current_role`` is a reserved word and is always written quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, LiteralString

from engine.errors import StoreError
from engine.messages import text

__all__ = ["MIGRATIONS", "NUMBERING_CASES", "NUMBERING_TEXTS", "Dialect", "Migration", "latest",
           "parse_version", "plan"]

Dialect = Literal["sqlite", "postgres"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema version: the statements that bring version ``version - 1`` to ``version``."""

    version: int
    description: str
    sqlite: tuple[LiteralString, ...]
    postgres: tuple[LiteralString, ...]

    def statements(self, dialect: Dialect) -> tuple[LiteralString, ...]:
        return self.sqlite if dialect == "sqlite" else self.postgres


_V1_SQLITE: tuple[LiteralString, ...] = (
    "CREATE TABLE alur_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE alur_events (
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        user_id TEXT NOT NULL,
        role TEXT NOT NULL,
        at TEXT NOT NULL,
        procedure_hash TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (case_id, seq)
    ) WITHOUT ROWID""",
    """CREATE TABLE alur_snapshots (
        case_id TEXT PRIMARY KEY,
        procedure_id TEXT NOT NULL,
        procedure_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        current_step TEXT,
        current_role TEXT,
        due_at TEXT,
        due_utc TEXT,
        updated_at TEXT NOT NULL,
        last_hash TEXT NOT NULL,
        state TEXT NOT NULL
    )""",
    "CREATE INDEX alur_snapshots_status ON alur_snapshots (status)",
    "CREATE INDEX alur_snapshots_procedure ON alur_snapshots (procedure_id)",
    "CREATE INDEX alur_snapshots_role_due ON alur_snapshots (current_role, due_utc)",
    "CREATE INDEX alur_snapshots_due ON alur_snapshots (due_utc, case_id)",
    # Oldest first = insertion order, kept by the implicit rowid.
    """CREATE TABLE alur_procedures (
        hash TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        version TEXT NOT NULL,
        text TEXT NOT NULL,
        stored_at TEXT NOT NULL
    )""",
    "CREATE INDEX alur_procedures_id ON alur_procedures (id)",
    """CREATE TABLE alur_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        case_id TEXT,
        rule TEXT,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX alur_audit_case ON alur_audit (case_id)",
    """CREATE TABLE alur_blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        content BLOB NOT NULL
    )""",
)

_V1_POSTGRES: tuple[LiteralString, ...] = (
    "CREATE TABLE alur_meta (key text PRIMARY KEY, value text NOT NULL)",
    """CREATE TABLE alur_events (
        case_id text COLLATE "C" NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        type text NOT NULL,
        payload jsonb NOT NULL,
        user_id text NOT NULL,
        role text NOT NULL,
        at text NOT NULL,
        procedure_hash text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (case_id, seq)
    )""",
    """CREATE TABLE alur_snapshots (
        case_id text COLLATE "C" PRIMARY KEY,
        procedure_id text NOT NULL,
        procedure_hash text NOT NULL,
        version integer NOT NULL,
        status text NOT NULL,
        current_step text,
        "current_role" text,
        due_at text,
        due_utc text COLLATE "C",
        updated_at text NOT NULL,
        last_hash text NOT NULL,
        state jsonb NOT NULL
    )""",
    "CREATE INDEX alur_snapshots_status ON alur_snapshots (status)",
    "CREATE INDEX alur_snapshots_procedure ON alur_snapshots (procedure_id)",
    'CREATE INDEX alur_snapshots_role_due ON alur_snapshots ("current_role", due_utc)',
    "CREATE INDEX alur_snapshots_due ON alur_snapshots (due_utc, case_id)",
    """CREATE TABLE alur_procedures (
        hash text PRIMARY KEY,
        id text NOT NULL,
        version text NOT NULL,
        text text NOT NULL,
        stored_at text NOT NULL,
        stored_order bigint GENERATED ALWAYS AS IDENTITY
    )""",
    "CREATE INDEX alur_procedures_id ON alur_procedures (id)",
    """CREATE TABLE alur_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at text NOT NULL,
        user_id text NOT NULL,
        role text NOT NULL,
        action text NOT NULL,
        case_id text,
        rule text,
        detail jsonb NOT NULL
    )""",
    "CREATE INDEX alur_audit_case ON alur_audit (case_id)",
    """CREATE TABLE alur_blobs (
        sha256 text PRIMARY KEY,
        size bigint NOT NULL,
        content bytea NOT NULL
    )""",
)

# Version 2: ``alur_snapshots.edits`` counts the changes to a case's stored rows that are not
# appends, whoever makes them: an event updated, deleted or replaced, a snapshot rewritten
# without a new version or with a version or count put back, and on SQLite an event inserted past
# the snapshot's version (an append writes the snapshot first, so its own events never are). A
# worker that verified a case may decide its next command from that copy while (version,
# last_hash, edits) is unchanged; the append checks it in its own transaction.
_V2_SQLITE: tuple[LiteralString, ...] = (
    "ALTER TABLE alur_snapshots ADD COLUMN edits INTEGER NOT NULL DEFAULT 0",
    """CREATE TRIGGER alur_events_updated AFTER UPDATE ON alur_events BEGIN
        UPDATE alur_snapshots SET edits = edits + 1 WHERE case_id IN (OLD.case_id, NEW.case_id);
    END""",
    """CREATE TRIGGER alur_events_deleted AFTER DELETE ON alur_events BEGIN
        UPDATE alur_snapshots SET edits = edits + 1 WHERE case_id = OLD.case_id;
    END""",
    """CREATE TRIGGER alur_events_inserted AFTER INSERT ON alur_events
    WHEN NEW.seq > (SELECT version FROM alur_snapshots WHERE case_id = NEW.case_id) BEGIN
        UPDATE alur_snapshots SET edits = edits + 1 WHERE case_id = NEW.case_id;
    END""",
    # INSERT OR REPLACE deletes the row it replaces without firing the delete trigger
    """CREATE TRIGGER alur_events_replaced BEFORE INSERT ON alur_events
    WHEN EXISTS (SELECT 1 FROM alur_events WHERE case_id = NEW.case_id AND seq = NEW.seq) BEGIN
        UPDATE alur_snapshots SET edits = edits + 1 WHERE case_id = NEW.case_id;
    END""",
    # an append raises the version and leaves the count; the count itself only ever rises. Any
    # other update (a rewrite at the same version, a version or count put back) counts, so a
    # head cannot be restored after an edit
    """CREATE TRIGGER alur_snapshots_rewritten AFTER UPDATE ON alur_snapshots
    WHEN NEW.edits < OLD.edits OR NEW.version < OLD.version
        OR (NEW.version = OLD.version AND NEW.edits = OLD.edits) BEGIN
        UPDATE alur_snapshots SET edits = max(OLD.edits, NEW.edits) + 1
        WHERE case_id = NEW.case_id;
    END""",
    # a replaced snapshot row would bring a count of its own: alur never replaces one
    """CREATE TRIGGER alur_snapshots_replaced BEFORE INSERT ON alur_snapshots
    WHEN EXISTS (SELECT 1 FROM alur_snapshots WHERE case_id = NEW.case_id) BEGIN
        SELECT RAISE(ABORT, 'alur_snapshots rows are updated, never replaced');
    END""",
)

# PostgreSQL: the functions keep the search_path they were created with (the store's schema),
# so an edit from a session with another search_path still counts. Inserts are not counted there:
# a trigger on every insert cost a third of a command (measured: 145 µs of 500). An event slipped
# in past a case's end is not part of what a worker decided on; the case's next append collides
# with it or a full read finds it (docs/architecture.md, "Kept cases"). PostgreSQL has no
# INSERT OR REPLACE; TRUNCATE fires no row trigger, so it counts for every case.
_V2_POSTGRES: tuple[LiteralString, ...] = (
    "ALTER TABLE alur_snapshots ADD COLUMN edits bigint NOT NULL DEFAULT 0",
    """CREATE FUNCTION alur_count_event_edit() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            UPDATE alur_snapshots SET edits = edits + 1
            WHERE case_id = OLD.case_id OR case_id = NEW.case_id;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE alur_snapshots SET edits = edits + 1 WHERE case_id = OLD.case_id;
        ELSE
            UPDATE alur_snapshots SET edits = edits + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER alur_events_changed AFTER UPDATE OR DELETE ON alur_events
    FOR EACH ROW EXECUTE FUNCTION alur_count_event_edit()""",
    """CREATE TRIGGER alur_events_truncated AFTER TRUNCATE ON alur_events
    FOR EACH STATEMENT EXECUTE FUNCTION alur_count_event_edit()""",
    """CREATE FUNCTION alur_count_snapshot_edit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.edits := greatest(OLD.edits, NEW.edits) + 1;
        RETURN NEW;
    END $$""",
    # see the SQLite trigger of the same name
    """CREATE TRIGGER alur_snapshots_rewritten BEFORE UPDATE ON alur_snapshots
    FOR EACH ROW WHEN (NEW.edits < OLD.edits OR NEW.version < OLD.version
                       OR (NEW.version = OLD.version AND NEW.edits = OLD.edits))
    EXECUTE FUNCTION alur_count_snapshot_edit()""",
)

# Version 3 (issue #15): ``alur_ledger``, the store-wide record of what was written, one row
# per case append (the case's new version and last hash) and per audit record (its id and the
# SHA-256 of its content), numbered by ``seq`` in the order the rows were inserted. The rows do
# not hash each other: a chain stored row by row would need every writer to read the previous
# row first, one writer at a time on PostgreSQL. The chain is computed when it is read
# (:mod:`engine.analysis.audit.ledger`): entry n's root is sha256(root n-1 + entry n) over the
# rows by seq. On
# SQLite writers are serialised anyway; on PostgreSQL an identity value is drawn when a row is
# inserted, not when it commits, so a reader that must see a settled prefix (``alur audit
# anchor``, ``verify``) takes ``LOCK TABLE alur_ledger IN SHARE MODE``, which waits for every
# inserting transaction to end and lets none start until it has read: every row it sees has a
# smaller seq than any row written later. Existing stores get one entry per case (its current
# head) and, written by the backend in the same migration, one per audit record.
_V3_SQLITE: tuple[LiteralString, ...] = (
    """CREATE TABLE alur_ledger (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        version INTEGER NOT NULL,
        hash TEXT NOT NULL
    )""",
    """INSERT INTO alur_ledger (kind, ref, version, hash)
    SELECT 'case', case_id, version, last_hash FROM alur_snapshots ORDER BY case_id""",
)

_V3_POSTGRES: tuple[LiteralString, ...] = (
    """CREATE TABLE alur_ledger (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        ref text COLLATE "C" NOT NULL,
        version integer NOT NULL,
        hash text NOT NULL
    )""",
    """INSERT INTO alur_ledger (kind, ref, version, hash)
    SELECT 'case', case_id, version, last_hash FROM alur_snapshots ORDER BY case_id""",
)

# Version 4 (issue #18): webhooks through a transactional outbox. ``alur_webhooks`` holds the
# subscriptions (``procedure_id`` '' = every procedure; ``event_types`` '*' or a comma-separated
# list; ``sensitive`` 1 = payloads may carry sensitive values). ``alur_outbox`` holds one row per
# (event, matching subscription), inserted by the store's append in the transaction that writes
# the events (engine/store/outbox.py says why one row per subscription). A row holds references
# only (case id, seq, event type), never a value: the payload is built, masked, when it is sent.
# ``state``: pending, delivered or dead; ``claimed_by``/``claimed_until``: the worker sending it
# and until when its claim holds (epoch seconds), so a dead worker's rows come back.
_V4_SQLITE: tuple[LiteralString, ...] = (
    """CREATE TABLE alur_webhooks (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        procedure_id TEXT NOT NULL,
        event_types TEXT NOT NULL,
        sensitive INTEGER NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE alur_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subscription_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        created_at REAL NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at REAL NOT NULL,
        claimed_by TEXT,
        claimed_until REAL,
        last_error TEXT,
        done_at REAL
    )""",
    "CREATE INDEX alur_outbox_pending ON alur_outbox (state, next_at)",
    "CREATE INDEX alur_outbox_case ON alur_outbox (subscription_id, case_id, seq)",
)

_V4_POSTGRES: tuple[LiteralString, ...] = (
    """CREATE TABLE alur_webhooks (
        id text PRIMARY KEY,
        url text NOT NULL,
        secret text NOT NULL,
        procedure_id text NOT NULL,
        event_types text NOT NULL,
        sensitive integer NOT NULL,
        created_at text NOT NULL
    )""",
    """CREATE TABLE alur_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id text NOT NULL,
        case_id text COLLATE "C" NOT NULL,
        seq integer NOT NULL,
        event_type text NOT NULL,
        created_at double precision NOT NULL,
        state text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_at double precision NOT NULL,
        claimed_by text,
        claimed_until double precision,
        last_error text,
        done_at double precision
    )""",
    "CREATE INDEX alur_outbox_pending ON alur_outbox (state, next_at)",
    "CREATE INDEX alur_outbox_case ON alur_outbox (subscription_id, case_id, seq)",
)

# Version 5 (issue #15): the ledger's entries of one case found by index. A worker that keeps a
# verified case compares the case's last ledger entry in every append (``Head.ledger``) and a
# full read checks the events against it; without the index each would scan the whole ledger.
# Only the case entries are indexed (the queries say ``kind = 'case'``).
_V5: tuple[LiteralString, ...] = (
    "CREATE INDEX alur_ledger_case ON alur_ledger (ref, seq) WHERE kind = 'case'",
)

# Version 6 (issue #16): the short case number people use (MED-2026-0042,
# engine.cases.numbers) as two snapshot columns, the series (prefix and agency-local year of
# opening, ``MED-2026``) and the counter within it, unique together: two cases opened at once
# cannot share a number, whichever process opens them (the second insert fails; the engine draws
# again). New cases carry their number in the ``case_opened`` payload, so the hash chain covers
# it; existing cases are numbered by the backend in the same migration, in opening order
# (:func:`engine.cases.numbers.assign`: the prefix and time zone of each stored procedure
# version, the time of the case's first event).
_V6_SQLITE: tuple[LiteralString, ...] = (
    "ALTER TABLE alur_snapshots ADD COLUMN number_series TEXT",
    "ALTER TABLE alur_snapshots ADD COLUMN number_seq INTEGER",
    "CREATE UNIQUE INDEX alur_snapshots_number ON alur_snapshots (number_series, number_seq)",
)

_V6_POSTGRES: tuple[LiteralString, ...] = (
    'ALTER TABLE alur_snapshots ADD COLUMN number_series text COLLATE "C"',
    "ALTER TABLE alur_snapshots ADD COLUMN number_seq integer",
    "CREATE UNIQUE INDEX alur_snapshots_number ON alur_snapshots (number_series, number_seq)",
)

# Version 7 (issue #21): on SQLite the ledger's ``seq`` is a plain ``INTEGER PRIMARY KEY``.
# With ``AUTOINCREMENT`` every append also read and rewrote the table's row in
# ``sqlite_sequence``: one more page in every commit (about one in eight of a command's WAL
# pages, docs/performance.md). Its one promise, that a seq is never reused after the largest row
# is deleted, nothing relies on: alur never deletes ledger rows, and a deleted entry is found
# by its content (the case's head, the anchored root), not by a gap in the numbers. The rows
# keep their seqs; the table is rebuilt, as SQLite can drop AUTOINCREMENT no other way.
# PostgreSQL's identity column costs no extra row per insert: nothing changes there.
_V7_SQLITE: tuple[LiteralString, ...] = (
    """CREATE TABLE alur_ledger_v7 (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        version INTEGER NOT NULL,
        hash TEXT NOT NULL
    )""",
    "INSERT INTO alur_ledger_v7 (seq, kind, ref, version, hash) "
    "SELECT seq, kind, ref, version, hash FROM alur_ledger ORDER BY seq",
    "DROP TABLE alur_ledger",
    "ALTER TABLE alur_ledger_v7 RENAME TO alur_ledger",
    "CREATE INDEX alur_ledger_case ON alur_ledger (ref, seq) WHERE kind = 'case'",
    "DELETE FROM sqlite_sequence WHERE name = 'alur_ledger'",
)

# the cases a version-5 migration numbers: (case id, procedure id, procedure hash, time of the
# first event), and the stored procedure texts it reads their prefix and time zone from
NUMBERING_CASES: LiteralString = (
    "SELECT s.case_id, s.procedure_id, s.procedure_hash, e.at FROM alur_snapshots s "
    "JOIN alur_events e ON e.case_id = s.case_id AND e.seq = 1 WHERE s.number_series IS NULL")
NUMBERING_TEXTS: LiteralString = "SELECT hash, text FROM alur_procedures"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "events, snapshots, procedures, audit log and blobs", _V1_SQLITE, _V1_POSTGRES),
    Migration(2, "snapshots count the edits to a case's rows that are not appends",
              _V2_SQLITE, _V2_POSTGRES),
    Migration(3, "a store-wide ledger of case heads and audit records, for anchoring",
              _V3_SQLITE, _V3_POSTGRES),
    Migration(4, "webhook subscriptions and the outbox of events to deliver",
              _V4_SQLITE, _V4_POSTGRES),
    Migration(5, "the ledger's entries of a case found by index", _V5, _V5),
    Migration(6, "short case numbers per procedure prefix and year, unique in the store",
              _V6_SQLITE, _V6_POSTGRES),
    Migration(7, "the SQLite ledger numbers its rows without AUTOINCREMENT", _V7_SQLITE, ()),
)


def latest() -> int:
    """The schema version this alur writes (the last step of :data:`MIGRATIONS`)."""
    return MIGRATIONS[-1].version if MIGRATIONS else 0


def plan(current: int) -> list[Migration]:
    """The steps a store at ``current`` needs, in order; refuses a store newer than this code."""
    newest = latest()
    if current > newest:
        message, hint = text("err.store.newer", None, current=current, newest=newest)
        raise StoreError(message, hint=hint)
    return [step for step in MIGRATIONS if step.version > current]


def parse_version(value: object) -> int:
    """The ``schema_version`` read from ``alur_meta`` as an int, or a StoreError."""
    try:
        version = int(str(value))
    except ValueError:
        version = -1
    if version < 0:
        message, hint = text("err.store.bad_schema_version", None, value=repr(value))
        raise StoreError(message, hint=hint)
    return version
