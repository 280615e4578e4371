"""The SQLite store: one database file, stdlib :mod:`sqlite3`, WAL journal.

Owns: :class:`SQLiteStore`, its connection (``check_same_thread=False`` behind a lock, so one
thread at a time may use it), its SQL text, and turning every :class:`sqlite3.Error` into a
:class:`~engine.errors.StoreError` (a version race into
:class:`~engine.errors.ConcurrencyConflict`). ``append`` is one ``BEGIN IMMEDIATE`` transaction:
check the snapshot's head, write the snapshot, insert the events in one statement
(``PRIMARY KEY(case_id, seq)`` decides a race). The schema comes from
:mod:`engine.store.migrations`, applied on open.

Must not: interpret payloads or procedures, create directories, or touch a file that is not an
alur (or empty) SQLite database.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from engine.cases.events import AuditRecord, CaseSnapshot, Event, LedgerEntry, audit_hash
from engine.cases.numbers import assign, split
from engine.errors import StoreError, UsageError
from engine.store import migrations
from engine.store.base import Head, Linked, StoredProcedure
from engine.store.checks import (
    check_blob,
    check_head,
    check_limit,
    check_procedure,
    check_record,
    conflict,
    due_key,
    dump_json,
    number_taken,
    stale,
    stored_number,
    tolerant_json,
)
from engine.store.sql import cases_query, outbox_insert, page_query, prepare_append

__all__ = ["SQLiteStore"]

Synchronous = Literal["FULL", "NORMAL"]

BUSY_TIMEOUT_S = 10.0
_PAGE = 500
_EVENT_COLUMNS = "case_id, seq, type, payload, user_id, role, at, procedure_hash, prev_hash, hash"
_SNAPSHOT_COLUMNS = ("case_id, procedure_id, procedure_hash, version, status, current_step, "
                     "current_role, due_at, updated_at, last_hash, state, edits, number_series, "
                     "number_seq")
_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_ROWS_PER_INSERT = 500  # 5,000 parameters: well under SQLite's limit of 32,766
_INSERT_SNAPSHOT = """
    INSERT INTO alur_snapshots (case_id, procedure_id, procedure_hash, version, status,
        current_step, current_role, due_at, due_utc, updated_at, last_hash, state,
        number_series, number_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
# The indexed snapshot columns: (place in the snapshot row, name, place in what _HEAD reads).
# SQLite rewrites the entries of every index whose column an UPDATE sets, changed or not; most
# commands change none of these, and setting only what changed cuts the pages a commit writes by
# about half (docs/performance.md).
_INDEXED = ((1, "procedure_id", 1), (4, "status", 2), (6, "current_role", 3), (8, "due_utc", 4))
_ALWAYS = ((2, "procedure_hash"), (3, "version"), (5, "current_step"), (7, "due_at"),
           (9, "updated_at"), (10, "last_hash"), (11, "state"))
_HEAD = "SELECT version, procedure_id, status, current_role, due_utc, last_hash, edits " \
        "FROM alur_snapshots WHERE case_id = ?"
# what an append that expects a head compares, in one statement: _HEAD's columns, the schema
# cookie (the store's epoch) and the hash of the case's last ledger entry (three reads were a
# tenth of a command's statements)
_HEAD_CHECKED = "SELECT s.version, s.procedure_id, s.status, s.current_role, s.due_utc, " \
    "s.last_hash, s.edits, (SELECT schema_version FROM pragma_schema_version()), " \
    "(SELECT l.hash FROM alur_ledger l WHERE l.kind = 'case' AND l.ref = s.case_id " \
    "ORDER BY l.seq DESC LIMIT 1), EXISTS (SELECT 1 FROM alur_webhooks) " \
    "FROM alur_snapshots s WHERE s.case_id = ?"
# _HEAD and whether any webhook subscription exists. Read inside the append's write transaction
# (BEGIN IMMEDIATE: a subscription added meanwhile waits for it and gets only later events), so
# an append when there is none skips the outbox statement
_HEAD_HOOKED = _HEAD.replace(" FROM ", ", EXISTS (SELECT 1 FROM alur_webhooks) FROM ", 1)
_HOOKED = "SELECT EXISTS (SELECT 1 FROM alur_webhooks)"


@functools.lru_cache(maxsize=16)  # one per set of changed indexed columns
def _update_sql(changed: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
    """The UPDATE that sets the ``changed`` indexed columns and every other one, and the places
    in the snapshot row of its parameters."""
    columns = [(i, name) for i, name, _ in _INDEXED if i in changed] + list(_ALWAYS)
    return ("UPDATE alur_snapshots SET " + ", ".join(f"{name} = ?" for _, name in columns)
            + " WHERE case_id = ?", (*(i for i, _ in columns), 0))


def _update_snapshot(conn: sqlite3.Connection, row: tuple[Any, ...],
                     head: tuple[Any, ...]) -> None:
    """Write the new snapshot ``row`` over the stored one whose indexed values are ``head``
    (as :data:`_HEAD` reads them)."""
    sql, order = _update_sql(tuple(i for i, _, at in _INDEXED if row[i] != head[at]))
    conn.execute(sql, [row[i] for i in order])


@functools.lru_cache(maxsize=64)
def _insert_sql(rows: int) -> str:
    return f"INSERT INTO alur_events ({_EVENT_COLUMNS}) VALUES " + ", ".join([_ROW] * rows)


def _insert_events(conn: sqlite3.Connection, case_id: str, expected: int,
                   rows: list[tuple[Any, ...]]) -> None:
    """The events as multi-row INSERTs (a command's two or three rows in one statement: each
    statement costs a round through the sqlite3 module); a taken key is a version race."""
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start:start + _ROWS_PER_INSERT]
        try:
            conn.execute(_insert_sql(len(chunk)), [v for row in chunk for v in row])
        except sqlite3.IntegrityError as exc:
            if exc.sqlite_errorname not in ("SQLITE_CONSTRAINT_PRIMARYKEY",
                                            "SQLITE_CONSTRAINT_UNIQUE"):
                raise
            taken = _fetchall(conn, "SELECT min(seq) FROM alur_events WHERE case_id = ? "
                                    "AND seq BETWEEN ? AND ?",
                              (case_id, chunk[0][1], chunk[-1][1]))
            raise conflict(case_id, expected, seq=taken[0][0] or chunk[0][1]) from exc


def _insert_snapshot(conn: sqlite3.Connection, case_id: str, row: tuple[Any, ...]) -> None:
    """A new case's snapshot; its case number taken by another case is a race lost."""
    try:
        conn.execute(_INSERT_SNAPSHOT, row)
    except sqlite3.IntegrityError as exc:
        if "alur_snapshots.number_se" not in str(exc):
            raise
        raise number_taken(case_id, stored_number(row[12], row[13])) from exc


def _number_cases(conn: sqlite3.Connection) -> None:
    """Schema version 6: number the cases opened before numbers existed, in opening order."""
    texts = dict(_fetchall(conn, migrations.NUMBERING_TEXTS))
    for series, seq, case_id in assign(_fetchall(conn, migrations.NUMBERING_CASES), texts.get):
        conn.execute("UPDATE alur_snapshots SET number_series = ?, number_seq = ? "
                     "WHERE case_id = ?", (series, seq, case_id))


_LEDGER_CASE = "INSERT INTO alur_ledger (kind, ref, version, hash) VALUES ('case', ?, ?, ?)"


# the hash of the ledger's last entry for a case (alur_ledger_case, schema 4)
_LEDGER_HEAD = "SELECT hash FROM alur_ledger WHERE kind = 'case' AND ref = ? " \
               "ORDER BY seq DESC LIMIT 1"


def _ledger_head(conn: sqlite3.Connection, case_id: str) -> str:
    rows = _fetchall(conn, _LEDGER_HEAD, (case_id,))
    return str(rows[0][0]) if rows else ""


def _epoch(conn: sqlite3.Connection) -> str:
    """SQLite's schema cookie: it changes with every CREATE or DROP (of a trigger too)."""
    rows = _fetchall(conn, "PRAGMA schema_version")
    return f"sqlite:{rows[0][0]}" if rows else ""


def _event(row: Sequence[Any]) -> Event:
    return Event(case_id=row[0], seq=row[1], type=row[2], payload=tolerant_json(row[3]),
                 user=row[4], role=row[5], at=row[6], procedure_hash=row[7], prev_hash=row[8],
                 hash=row[9])


def _snapshot(row: Sequence[Any]) -> CaseSnapshot:
    return CaseSnapshot(case_id=row[0], procedure_id=row[1], procedure_hash=row[2],
                        version=row[3], status=row[4], current_step=row[5], current_role=row[6],
                        due_at=row[7], updated_at=row[8], last_hash=row[9],
                        state=tolerant_json(row[10]), edits=row[11],
                        number=stored_number(row[12], row[13]))


def _audit_hash_of(row: Sequence[Any]) -> str:
    """The ledger hash of an audit row (at, user, role, action, case_id, rule, detail)."""
    return audit_hash(AuditRecord(at=row[0], user=row[1], role=row[2], action=row[3],
                                  case_id=row[4], rule=row[5], detail=tolerant_json(row[6])))


def _error(code: str, **params: object) -> StoreError:
    """A StoreError in the language of ``$ALUR_LANG`` (a store has no language of its own)."""
    return StoreError.of(code, None, **params)


def _store_error(exc: sqlite3.Error, path: str, action: str) -> StoreError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_NOTADB":
        return _error("err.store.not_sqlite", path=path)
    code = "err.store.sqlite_failed"
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
        code = "err.store.sqlite_busy"
    elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        code = "err.store.sqlite_permission"
    elif name.startswith("SQLITE_CORRUPT"):
        code = "err.store.sqlite_corrupt"
    elif name.startswith("SQLITE_FULL") or name.startswith("SQLITE_IOERR"):
        code = "err.store.sqlite_disk"
    return _error(code, path=path, action=action, problem=exc, seconds=f"{BUSY_TIMEOUT_S:g}")


def _fetchall(conn: sqlite3.Connection, sql: str,
              params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    cursor = conn.execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


class _transaction:  # a lower-case name: used like the function it replaced
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; ``ROLLBACK`` on any exception (the connection is in
    autocommit mode, ``isolation_level=None``, so these statements are the only transaction).
    A class, not a generator: it wraps every append, where @contextmanager cost 2 µs."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            try:
                self.conn.execute("COMMIT")
                return
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


def _schema_version(conn: sqlite3.Connection) -> int:
    if not _fetchall(conn, "SELECT 1 FROM sqlite_master "
                           "WHERE type = 'table' AND name = 'alur_meta'"):
        return 0
    rows = _fetchall(conn, "SELECT value FROM alur_meta WHERE key = 'schema_version'")
    if not rows:
        raise _error("err.store.no_schema_version")
    return migrations.parse_version(rows[0][0])


def _migrate(conn: sqlite3.Connection) -> None:
    if not migrations.plan(_schema_version(conn)):  # refuses a newer store before locking
        return
    with _transaction(conn):
        steps = migrations.plan(_schema_version(conn))  # another process may have migrated
        for step in steps:
            for statement in step.statements("sqlite"):
                conn.execute(statement)
        if any(step.version == 3 for step in steps):  # the ledger starts with the audit log
            for row in _fetchall(conn, "SELECT at, user_id, role, action, case_id, rule, detail, "
                                       "id FROM alur_audit ORDER BY id"):
                conn.execute("INSERT INTO alur_ledger (kind, ref, version, hash) "
                             "VALUES ('audit', ?, 0, ?)", (str(row[7]), _audit_hash_of(row)))
        if any(step.version == 6 for step in steps):
            _number_cases(conn)
        if steps:
            conn.execute("INSERT INTO alur_meta (key, value) VALUES ('schema_version', ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         (str(steps[-1].version),))


def _connect(path: str, synchronous: Synchronous) -> sqlite3.Connection:
    if path != ":memory:":
        target = Path(path)
        if not target.parent.is_dir():
            raise _error("err.store.no_directory", path=path, directory=target.parent)
        if target.is_dir():
            raise _error("err.store.is_directory", path=path)
        try:  # created 0600 (or less, by the umask); SQLite gives its WAL the same mode
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                             0o600))
        except FileExistsError:
            pass
        except OSError as exc:
            raise _error("err.store.sqlite_failed", path=path, action="create it",
                         problem=exc.strerror or str(exc)) from exc
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise _store_error(exc, path, "open") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _fetchall(conn, "PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise _store_error(exc, path, "open") from exc
    except BaseException:
        conn.close()
        raise
    return conn


class _Using:
    """:meth:`SQLiteStore._using`: a class, not a generator (it wraps every store call)."""

    __slots__ = ("action", "store")

    def __init__(self, store: SQLiteStore, action: str) -> None:
        self.store = store
        self.action = action

    def __enter__(self) -> sqlite3.Connection:
        store = self.store
        store._lock.acquire()
        if store._conn is None:
            store._lock.release()
            raise _error("err.store.sqlite_closed", path=store.path)
        return store._conn

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: object) -> None:
        self.store._lock.release()
        if isinstance(exc, sqlite3.Error):
            raise _store_error(exc, self.store.path, self.action) from exc


class SQLiteStore:
    """A store in one SQLite file. ``synchronous="NORMAL"`` trades the durability of the last
    commits on power loss (never consistency, in WAL mode) for faster appends."""

    def __init__(self, path: str | os.PathLike[str], synchronous: str = "FULL") -> None:
        mode = synchronous.upper() if isinstance(synchronous, str) else synchronous
        if mode not in ("FULL", "NORMAL"):
            raise UsageError.of("err.store.synchronous", None, value=repr(synchronous))
        self.path = os.fspath(path)
        self.synchronous: Synchronous = "FULL" if mode == "FULL" else "NORMAL"
        self.url = f"sqlite:///{self.path}" + ("?synchronous=NORMAL" if mode == "NORMAL" else "")
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = _connect(self.path, self.synchronous)

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r}, synchronous={self.synchronous!r})"

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _using(self, action: str) -> _Using:
        """The connection, under the store's lock; a sqlite3.Error inside becomes a StoreError
        saying what was being done (``action``)."""
        return _Using(self, action)

    counts_edits = True  # the triggers of schema version 2

    def append(self, case_id: str, expected_version: int, events: Sequence[Event],
               snapshot: CaseSnapshot, *, redacted: Sequence[Event] = (),
               drop_blobs: Sequence[str] = (), linked: Sequence[Linked] = (),
               expected_head: Head | None = None) -> None:
        check_head(expected_version, expected_head)
        prepared, rewrites = prepare_append(case_id, expected_version, events, snapshot,
                                            redacted, linked, dump_json)
        now = time.time()
        with self._using(f"append_case={case_id!r}") as conn, _transaction(conn):
            for cid, expected, rows, snap_row in prepared:
                checked = cid == case_id and expected_head is not None
                found = _fetchall(conn, _HEAD_CHECKED if checked else _HEAD_HOOKED, (cid,))
                # a new case has no head row to tell: asked on its own
                hooked = bool(found[0][-1] if found else _fetchall(conn, _HOOKED)[0][0])
                if checked and (not found or Head(
                        found[0][0], found[0][5], found[0][6], f"sqlite:{found[0][7]}",
                        str(found[0][8] or "")) != expected_head):
                    raise stale(cid, expected, found[0][0] if found else 0)
                current = found[0][0] if found else 0
                if current != expected:
                    raise conflict(cid, expected, found=current)
                # the snapshot first: the events then lie within its version, which is how the
                # insert trigger tells an append from an event slipped in behind alur's back
                if found:
                    _update_snapshot(conn, snap_row, found[0])
                else:
                    _insert_snapshot(conn, cid, snap_row)
                _insert_events(conn, cid, expected, rows)
                conn.execute(_LEDGER_CASE, (cid, snap_row[3], snap_row[10]))
                # the webhooks' outbox, in this transaction: no event without its rows
                for start in range(0, len(rows) if hooked else 0, _ROWS_PER_INSERT):
                    conn.execute(*outbox_insert("sqlite", rows[start:start + _ROWS_PER_INSERT],
                                                snap_row[1], now))
            for rewrite in rewrites:
                conn.execute("UPDATE alur_events SET payload = ?, user_id = ? WHERE case_id = ? "
                             "AND seq = ? AND hash = ?", rewrite)
            for sha in drop_blobs:
                conn.execute("DELETE FROM alur_blobs WHERE sha256 = ?", (sha,))

    def events(self, case_id: str) -> list[Event]:
        with self._using(f"read_case={case_id!r}") as conn:
            rows = _fetchall(conn, f"SELECT {_EVENT_COLUMNS} FROM alur_events "
                                   "WHERE case_id = ? ORDER BY seq", (case_id,))
        return [_event(row) for row in rows]

    def event(self, case_id: str, seq: int) -> Event | None:
        with self._using(f"read_case={case_id!r}") as conn:
            rows = _fetchall(conn, f"SELECT {_EVENT_COLUMNS} FROM alur_events "
                                   "WHERE case_id = ? AND seq = ?", (case_id, seq))
        return _event(rows[0]) if rows else None

    def snapshot(self, case_id: str) -> CaseSnapshot | None:
        with self._using(f"read_case={case_id!r}") as conn:
            rows = _fetchall(conn, f"SELECT {_SNAPSHOT_COLUMNS} FROM alur_snapshots "
                                   "WHERE case_id = ?", (case_id,))
        return _snapshot(rows[0]) if rows else None

    def read_case(self, case_id: str) -> tuple[list[Event], CaseSnapshot | None]:
        with self._using(f"read_case={case_id!r}") as conn:
            conn.execute("BEGIN")  # a WAL read transaction: both reads see one commit
            try:
                rows = _fetchall(conn, f"SELECT {_EVENT_COLUMNS} FROM alur_events "
                                       "WHERE case_id = ? ORDER BY seq", (case_id,))
                snap = _fetchall(conn, f"SELECT {_SNAPSHOT_COLUMNS} FROM alur_snapshots "
                                       "WHERE case_id = ?", (case_id,))
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return [_event(row) for row in rows], _snapshot(snap[0]) if snap else None

    def head(self, case_id: str) -> Head | None:
        with self._using(f"read_case={case_id!r}") as conn:
            rows = _fetchall(conn, "SELECT version, last_hash, edits FROM alur_snapshots "
                                   "WHERE case_id = ?", (case_id,))
            if not rows:
                return None
            return Head(rows[0][0], rows[0][1], rows[0][2], _epoch(conn),
                        _ledger_head(conn, case_id))

    def epoch(self) -> str:
        with self._using("read_schema") as conn:
            return _epoch(conn)

    def blob_hashes(self) -> list[str]:
        with self._using("list_documents") as conn:
            rows = _fetchall(conn, "SELECT sha256 FROM alur_blobs ORDER BY sha256")
        return [row[0] for row in rows]

    def ledger(self) -> list[LedgerEntry]:
        with self._using("read_ledger") as conn:  # writers are serialised: settled as read
            rows = _fetchall(conn, "SELECT seq, kind, ref, version, hash FROM alur_ledger "
                                   "ORDER BY seq")
        return [LedgerEntry(*row) for row in rows]

    def cases(self, *, status: str | None = None, procedure_id: str | None = None,
              role: str | None = None, limit: int | None = None) -> list[CaseSnapshot]:
        check_limit(limit)
        sql, params = cases_query(_SNAPSHOT_COLUMNS, "?", "current_role", status=status,
                                  procedure_id=procedure_id, role=role, limit=limit)
        with self._using("list_cases") as conn:
            rows = _fetchall(conn, sql, params)
        return [_snapshot(row) for row in rows]

    def iter_cases(self, *, status: str | None = None, procedure_id: str | None = None,
                   roles: Sequence[str] | None = None, open_only: bool = False,
                   after: tuple[str | None, str] | None = None) -> Iterator[CaseSnapshot]:
        """Streams in pages of 500 by key (see :func:`engine.store.sql.page_query`)."""
        while True:
            sql, params = page_query(_SNAPSHOT_COLUMNS, "?", "current_role", status=status,
                                     procedure_id=procedure_id, roles=roles,
                                     open_only=open_only, after=after, limit=_PAGE)
            with self._using("list cases") as conn:
                rows = _fetchall(conn, sql, params)
            for row in rows:
                yield _snapshot(row)
            if len(rows) < _PAGE:
                return
            after = (due_key(rows[-1][7]), rows[-1][0])

    def last_number(self, series: str) -> int:
        with self._using("read_case_numbers") as conn:
            rows = _fetchall(conn, "SELECT max(number_seq) FROM alur_snapshots "
                                   "WHERE number_series = ?", (series,))
        return int(rows[0][0] or 0) if rows else 0

    def case_of_number(self, number: str) -> str | None:
        parts = split(number)
        if parts is None:
            return None
        with self._using("read_case_numbers") as conn:
            rows = _fetchall(conn, "SELECT case_id FROM alur_snapshots "
                                   "WHERE number_series = ? AND number_seq = ?", parts)
        return str(rows[0][0]) if rows else None

    def all_events(self, procedure_id: str | None = None) -> Iterator[Event]:
        """Streams in pages of 500 by key (``(case_id, seq) > last``): memory stays bounded, no
        cursor or lock is held between pages, and the caller may use the store meanwhile."""
        columns = ", ".join(f"e.{name.strip()}" for name in _EVENT_COLUMNS.split(","))
        base = f"SELECT {columns} FROM alur_events e"
        where: list[str] = []
        if procedure_id is not None:
            base += " JOIN alur_snapshots s ON s.case_id = e.case_id"
            where.append("s.procedure_id = ?")
        last: tuple[str, int] | None = None
        while True:
            params: list[Any] = [] if procedure_id is None else [procedure_id]
            clauses = list(where)
            if last is not None:
                clauses.append("(e.case_id, e.seq) > (?, ?)")
                params.extend(last)
            sql = base + (" WHERE " + " AND ".join(clauses) if clauses else "")
            sql += " ORDER BY e.case_id, e.seq LIMIT ?"
            params.append(_PAGE)
            with self._using("read_events") as conn:
                rows = _fetchall(conn, sql, params)
            yield from (_event(row) for row in rows)
            if len(rows) < _PAGE:
                return
            last = (rows[-1][0], rows[-1][1])

    def put_procedure(self, proc: StoredProcedure) -> None:
        check_procedure(proc)
        with self._using(f"store_procedure={proc.id}") as conn, _transaction(conn):
            conn.execute("INSERT INTO alur_procedures (hash, id, version, text, stored_at) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                         (proc.hash, proc.id, proc.version, proc.text, proc.stored_at))

    def procedure(self, hash: str) -> StoredProcedure | None:
        with self._using("read_procedure") as conn:
            rows = _fetchall(conn, "SELECT hash, id, version, text, stored_at "
                                   "FROM alur_procedures WHERE hash = ?", (hash,))
        return StoredProcedure(*rows[0]) if rows else None

    def procedures(self, procedure_id: str | None = None) -> list[StoredProcedure]:
        sql = "SELECT hash, id, version, text, stored_at FROM alur_procedures"
        params: tuple[Any, ...] = ()
        if procedure_id is not None:
            sql += " WHERE id = ?"
            params = (procedure_id,)
        with self._using("list_procedures") as conn:
            rows = _fetchall(conn, sql + " ORDER BY rowid", params)
        return [StoredProcedure(*row) for row in rows]

    def record_audit(self, record: AuditRecord) -> None:
        check_record(record)
        detail = dump_json(record.detail, "audit record detail")
        with self._using("write_audit") as conn, _transaction(conn):
            conn.execute("INSERT INTO alur_audit (at, user_id, role, action, case_id, rule, "
                         "detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (record.at, record.user, record.role, record.action, record.case_id,
                          record.rule, detail))
            conn.execute("INSERT INTO alur_ledger (kind, ref, version, hash) "
                         "VALUES ('audit', CAST(last_insert_rowid() AS TEXT), 0, ?)",
                         (_audit_hash_of((record.at, record.user, record.role, record.action,
                                          record.case_id, record.rule, detail)),))

    def audit_records(self, case_id: str | None = None) -> list[AuditRecord]:
        sql = "SELECT at, user_id, role, action, case_id, rule, detail FROM alur_audit"
        params: tuple[Any, ...] = ()
        if case_id is not None:
            sql += " WHERE case_id = ?"
            params = (case_id,)
        with self._using("read_audit") as conn:
            rows = _fetchall(conn, sql + " ORDER BY id", params)
        return [AuditRecord(at=row[0], user=row[1], role=row[2], action=row[3], case_id=row[4],
                            rule=row[5], detail=tolerant_json(row[6])) for row in rows]

    def put_blob(self, sha256: str, content: bytes) -> None:
        data = check_blob(sha256, content)
        with self._using("store_document") as conn, _transaction(conn):
            conn.execute("INSERT INTO alur_blobs (sha256, size, content) VALUES (?, ?, ?) "
                         "ON CONFLICT (sha256) DO NOTHING", (sha256, len(data), data))

    def blob(self, sha256: str) -> bytes | None:
        with self._using("read_document") as conn:
            rows = _fetchall(conn, "SELECT content FROM alur_blobs WHERE sha256 = ?", (sha256,))
        return bytes(rows[0][0]) if rows else None

    def checkpoint(self, tries: int = 50, wait: float = 0.1) -> bool:
        """Move the WAL into the database file and truncate the WAL to zero bytes (after
        erasure, so erased values do not linger there). Another connection reading holds it
        back: retried ``tries`` times, ``wait`` seconds apart; False when it never succeeded."""
        import time

        for attempt in range(tries):
            with self._using("checkpoint_wal") as conn:
                conn.execute("PRAGMA busy_timeout = 0")  # the retries below do the waiting
                try:
                    busy = _fetchall(conn, "PRAGMA wal_checkpoint(TRUNCATE)")[0][0]
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if busy == 0:
                return True
            if attempt + 1 < tries:
                time.sleep(wait)
        return False

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()
