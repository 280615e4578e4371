"""The PostgreSQL store: psycopg 3, ``jsonb`` payloads and states, one connection.

Owns: :class:`PostgresStore`, its connection (autocommit; writes in explicit transactions; a lock
so one thread at a time uses it), its SQL text, the ``?schema=name`` URL parameter (the store's
own ``search_path``, created when missing), and turning every ``psycopg.Error`` into a
:class:`~engine.errors.StoreError` (``UniqueViolation`` on ``(case_id, seq)`` into
:class:`~engine.errors.ConcurrencyConflict`). psycopg is imported only when a store is opened, so
``import engine`` works without it.

Must not: interpret payloads or procedures, or put a password into a message.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from engine.cases.events import AuditRecord, CaseSnapshot, Event, LedgerEntry, audit_hash
from engine.cases.numbers import assign, split
from engine.errors import ConcurrencyConflict, StoreError, UsageError
from engine.messages import text
from engine.store import migrations
from engine.store.base import Head, Linked, StoredProcedure
from engine.store.checks import (
    check_blob,
    check_head,
    check_json,
    check_limit,
    check_procedure,
    check_record,
    conflict,
    due_key,
    fast_dump,
    load_json,
    number_taken,
    stale,
    stored_number,
)
from engine.store.sql import cases_query, outbox_insert, page_query, prepare_append

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresStore", "redact_url", "split_schema"]

CONNECT_TIMEOUT_S = 10
_PAGE = 500
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_EVENT_COLUMNS = "case_id, seq, type, payload, user_id, role, at, procedure_hash, prev_hash, hash"
_SNAPSHOT_COLUMNS = ("case_id, procedure_id, procedure_hash, version, status, current_step, "
                     '"current_role", due_at, updated_at, last_hash, state, edits, '
                     "number_series, number_seq")
_INSERT_EVENT = (f"INSERT INTO alur_events ({_EVENT_COLUMNS}) VALUES "
                 "(%s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s)")
_INSERT_SNAPSHOT_INTO = """
    INSERT INTO alur_snapshots (case_id, procedure_id, procedure_hash, version, status,
        current_step, "current_role", due_at, due_utc, updated_at, last_hash, state,
        number_series, number_seq)"""
_SNAPSHOT_VALUES = "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s"
_INSERT_SNAPSHOT = f"{_INSERT_SNAPSHOT_INTO} VALUES ({_SNAPSHOT_VALUES})"
# whether a webhook subscription exists; and the insert written only while none does (see
# _one_statement)
_WEBHOOKS = "EXISTS (SELECT 1 FROM alur_webhooks)"
_INSERT_SNAPSHOT_UNHOOKED = f"{_INSERT_SNAPSHOT_INTO} SELECT {_SNAPSHOT_VALUES} " \
    f"WHERE NOT {_WEBHOOKS}"
# The version check is the WHERE clause: under READ COMMITTED a writer that committed first makes
# this update (after waiting for the row lock) find no row at the expected version.
_UPDATE_SNAPSHOT = """
    UPDATE alur_snapshots SET procedure_id = %s, procedure_hash = %s, version = %s, status = %s,
        current_step = %s, "current_role" = %s, due_at = %s, due_utc = %s, updated_at = %s,
        last_hash = %s, state = %s::jsonb
    WHERE case_id = %s AND version = %s"""
# The store's epoch: every trigger on the case tables with its row version (xmin changes when
# it is disabled or altered; a re-created trigger has a new oid) and its function's (CREATE OR
# REPLACE FUNCTION writes a new row version). Dropping the triggers around an edit and putting
# them back changes it, though the edit itself counted nothing.
_EPOCH = """(SELECT coalesce(string_agg(t.oid::text || (t.tgenabled)::text || t.xmin::text || ':'
        || (SELECT p.xmin::text || ':' || md5(coalesce(array_to_string(p.proconfig, ','), ''))
            FROM pg_proc p WHERE p.oid = t.tgfoid),
        ',' ORDER BY t.oid), '')
    FROM pg_trigger t
    WHERE t.tgrelid IN ('alur_events'::regclass, 'alur_snapshots'::regclass))"""
# ... and, for a worker deciding from a copy it verified earlier, nothing else changed the case
# (nor the triggers that would have counted a change)
# the hash of the ledger's last entry for the case (alur_ledger_case, schema 4), "" for none
_LEDGER_HEAD = """(SELECT coalesce((SELECT hash FROM alur_ledger WHERE kind = 'case' AND ref = %s
    ORDER BY seq DESC LIMIT 1), ''))"""
_HEAD_UNCHANGED = (" AND last_hash = %s AND edits = %s AND " + _EPOCH + " = %s AND "
                   + _LEDGER_HEAD + " = %s")
_LEDGER_CASE = "INSERT INTO alur_ledger (kind, ref, version, hash) VALUES ('case', %s, %s, %s)"
# Events and snapshot in one statement, so from one moment (a statement sees one snapshot);
# the snapshot row comes last, as JSON.
_READ_CASE = f"""
    SELECT {_EVENT_COLUMNS}, NULL::jsonb FROM alur_events WHERE case_id = %(id)s
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, to_jsonb(s)
    FROM alur_snapshots s WHERE case_id = %(id)s
    ORDER BY 2 NULLS LAST"""


# PostgreSQL binds at most 65,535 parameters to a statement; an append of more events (an opening
# with thousands of documents) takes the transaction path.
_ONE_STATEMENT_EVENTS = 1000
_OUTBOX_ROWS = 1000  # events per outbox INSERT: 3,000 parameters, well under 65,535


def _snapshot_write(expected: int, snap_row: tuple[Any, ...], head: Head | None, *,
                    unhooked: bool = False) -> tuple[str, list[Any]]:
    """The snapshot insert (a new case), or its update checked against the expected version
    and, with ``head``, the rest of the expected head. ``unhooked``: written only while no
    webhook subscription exists (read by the same statement)."""
    if expected == 0:
        return _INSERT_SNAPSHOT_UNHOOKED if unhooked else _INSERT_SNAPSHOT, list(snap_row)
    params = [*snap_row[1:12], snap_row[0], expected]  # a case's number never changes
    sql = _UPDATE_SNAPSHOT
    if head is not None:
        sql += _HEAD_UNCHANGED
        params += [head.last_hash, head.edits, head.epoch, snap_row[0], head.ledger]
    return (f"{sql} AND NOT {_WEBHOOKS}" if unhooked else sql), params


def _one_statement(expected: int, rows: list[tuple[Any, ...]], snap_row: tuple[Any, ...],
                   head: Head | None, now: float, hooked: bool) -> tuple[str, list[Any]]:
    """One case's append as one statement, so one round trip and its own transaction (the
    common command): the snapshot insert or version-checked update, and the events, ledger entry
    and webhook outbox rows only when that snapshot row was written. It returns how many
    snapshot and event rows it wrote (0 snapshots: stale, or, unless ``hooked``, a webhook
    subscription exists) and whether any subscription exists.

    ``hooked`` False: the store believes there is no subscription; the outbox insert is left
    out and the snapshot is written only if the statement finds none (so a subscription
    another process added is never missed: the append writes nothing and is sent again with
    its outbox)."""
    values = ", ".join(["(%s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s)"] * len(rows))
    snapshot, params = _snapshot_write(expected, snap_row, head, unhooked=not hooked)
    snapshot += " RETURNING 1"
    for row in rows:
        params.extend(row)
    params.extend((snap_row[0], snap_row[3], snap_row[10]))  # the ledger entry: the new head
    parts = [f"s AS ({snapshot})",
             f"e AS (INSERT INTO alur_events ({_EVENT_COLUMNS}) SELECT * FROM (VALUES {values}) "
             "AS v WHERE EXISTS (SELECT 1 FROM s) RETURNING 1)",
             "l AS (INSERT INTO alur_ledger (kind, ref, version, hash) "
             "SELECT 'case', %s, %s, %s WHERE EXISTS (SELECT 1 FROM s))"]
    if hooked:
        outbox, outbox_params = outbox_insert("postgres", rows, snap_row[1], now,
                                              only_if="EXISTS (SELECT 1 FROM s)")
        parts.append(f"o AS ({outbox})")
        params.extend(outbox_params)
    return ("WITH " + ", ".join(parts) + " SELECT (SELECT count(*) FROM s), "
            f"(SELECT count(*) FROM e), {_WEBHOOKS}"), params


def _raise_number_taken(exc: Exception, case_id: str, snap_row: tuple[Any, ...]) -> None:
    """A unique violation on the case-number index: the number drawn for ``case_id`` is
    another case's (the violation names one index, not the row: each new case is asked)."""
    diag = getattr(exc, "diag", None)
    if getattr(diag, "constraint_name", None) == "alur_snapshots_number" \
            and snap_row[12] is not None and f"({snap_row[12]}, {snap_row[13]})" in str(
                getattr(diag, "message_detail", "") or ""):
        raise number_taken(case_id, stored_number(snap_row[12], snap_row[13])) from exc


class _Stale(Exception):
    """The snapshot was not at the expected version (or head): roll back, then say what it is
    at."""


def _error(code: str, **params: object) -> StoreError:
    """A StoreError in the language of ``$ALUR_LANG`` (a store has no language of its own)."""
    return StoreError.of(code, None, **params)


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def split_schema(url: str) -> tuple[str, str | None]:
    """``url`` without its ``schema`` query parameter, and that parameter (None when absent)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [value for key, value in pairs if key == "schema"]
    if not schemas:
        return url, None
    schema = schemas[-1]
    if not _SCHEMA_NAME.fullmatch(schema):
        message, hint = text("err.store.pg_schema", None, schema=repr(schema))
        raise UsageError(message, hint=hint)
    rest = urlencode([(key, value) for key, value in pairs if key != "schema"])
    return urlunsplit(parts._replace(query=rest)), schema


def _float(value: float) -> str:
    # jsonb keeps numbers as numeric: 1e+16 would come back as the int 10000000000000000 and
    # break event hashes. Positional digits with a decimal point come back as the same float.
    text = repr(value)
    return format(value, ".1f") if "e+" in text else text


def _emit(value: object, out: list[str]) -> None:
    if isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        out.append("{")
        for index, (key, child) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _emit(child, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, child in enumerate(value):
            if index:
                out.append(",")
            _emit(child, out)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def dump_jsonb(value: object, what: str) -> str:
    """``value`` as JSON text that ``jsonb`` gives back unchanged (checked first). Without
    floats, orjson's text is that text; floats take the writer below."""
    fast = fast_dump(value)
    if fast is not None:
        return fast
    check_json(value, what)
    out: list[str] = []
    try:
        _emit(value, out)
    except (TypeError, ValueError) as exc:
        raise UsageError.of("err.store.not_json", None, what=what, problem=exc) from exc
    return "".join(out)


def _require_psycopg() -> None:
    try:
        import psycopg  # noqa: F401  (imported for its side effect: is it installed?)
    except ImportError as exc:
        raise _error("err.store.pg_missing") from exc


def _event(row: Sequence[Any]) -> Event:
    return Event(case_id=row[0], seq=row[1], type=row[2], payload=row[3], user=row[4],
                 role=row[5], at=row[6], procedure_hash=row[7], prev_hash=row[8], hash=row[9])


def _snapshot(row: Sequence[Any]) -> CaseSnapshot:
    return CaseSnapshot(case_id=row[0], procedure_id=row[1], procedure_hash=row[2],
                        version=row[3], status=row[4], current_step=row[5], current_role=row[6],
                        due_at=row[7], updated_at=row[8], last_hash=row[9], state=row[10],
                        edits=row[11], number=stored_number(row[12], row[13]))


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for migrating ``name``."""
    digest = hashlib.sha256(f"alur.migrate:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresStore:
    """A store in a PostgreSQL database (optionally in its own schema: ``?schema=name``).

    ``url`` is the URL with any password shown as ``***``; keep the real URL to reopen."""

    def __init__(self, url: str) -> None:
        _require_psycopg()
        import psycopg
        from psycopg import sql

        conninfo, self.schema = split_schema(url)
        self._shown = redact_url(url)
        self.url = self._shown  # for display: a password never leaves through ``url``
        self._lock = threading.Lock()
        options: dict[str, Any] = {"client_encoding": "utf8"}
        if "connect_timeout" not in dict(parse_qsl(urlsplit(conninfo).query)):
            options["connect_timeout"] = CONNECT_TIMEOUT_S
        try:
            conn = psycopg.connect(conninfo, autocommit=True, **options)
        except psycopg.Error as exc:
            raise _error("err.store.pg_connect", url=self._shown,
                         problem=str(exc).strip()) from exc
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW server_encoding")
                encoding = cur.fetchone()
                if encoding is None or encoding[0].upper() not in ("UTF8", "UTF-8"):
                    raise _error("err.store.pg_encoding", url=self._shown, encoding=encoding)
                if self.schema is not None:
                    cur.execute(sql.SQL("SET search_path TO {}").format(
                        sql.Identifier(self.schema)))
            self._migrate(conn)
            from psycopg.types.json import set_json_loads

            set_json_loads(load_json, conn)  # orjson where it reads as json.loads does
        except psycopg.Error as exc:
            conn.close()
            raise _error("err.store.pg_open", url=self._shown,
                         problem=str(exc).strip()) from exc
        except BaseException:
            conn.close()
            raise
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = conn
        # whether a webhook subscription existed at this store's last append: while none did,
        # appends leave the outbox insert out, in a statement that writes nothing if one exists
        # meanwhile (_one_statement). True until an append has seen none.
        self._hooked = True

    def __repr__(self) -> str:
        return f"PostgresStore({self._shown!r})"

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _schema_version(self, cur: psycopg.Cursor[tuple[Any, ...]]) -> int:
        cur.execute("SELECT to_regclass('alur_meta') IS NOT NULL")
        exists = cur.fetchone()
        if not exists or not exists[0]:
            return 0
        cur.execute("SELECT value FROM alur_meta WHERE key = 'schema_version'")
        row = cur.fetchone()
        if row is None:
            raise _error("err.store.no_schema_version")
        return migrations.parse_version(row[0])

    def _migrate(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        from psycopg import sql

        with conn.cursor() as cur:
            if not migrations.plan(self._schema_version(cur)):  # refuses a newer store
                return
            with conn.transaction():
                cur.execute("SELECT current_database()")
                database = cur.fetchone()
                name = f"{database[0] if database else ''}/{self.schema or ''}"
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(name),))
                if self.schema is not None:
                    cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,))
                    if cur.fetchone() is None:
                        cur.execute(sql.SQL("CREATE SCHEMA {}").format(
                            sql.Identifier(self.schema)))
                steps = migrations.plan(self._schema_version(cur))
                for step in steps:
                    for statement in step.statements("postgres"):
                        cur.execute(statement)
                if any(step.version == 6 for step in steps):  # number the cases there are
                    cur.execute(migrations.NUMBERING_TEXTS)
                    texts = dict(cur.fetchall())
                    cur.execute(migrations.NUMBERING_CASES)
                    numbered = assign(cur.fetchall(), texts.get)
                    if numbered:
                        cur.executemany("UPDATE alur_snapshots SET number_series = %s, "
                                        "number_seq = %s WHERE case_id = %s", numbered)
                if any(step.version == 3 for step in steps):  # the ledger: the audit log
                    cur.execute("SELECT at, user_id, role, action, case_id, rule, detail, id "
                                "FROM alur_audit ORDER BY id")
                    for row in cur.fetchall():
                        cur.execute("INSERT INTO alur_ledger (kind, ref, version, hash) "
                                    "VALUES ('audit', %s, 0, %s)", (str(row[7]), audit_hash(
                                        AuditRecord(*row[:7]))))
                if steps:
                    cur.execute("INSERT INTO alur_meta (key, value) VALUES ('schema_version', %s) "
                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                (str(steps[-1].version),))

    @contextmanager
    def _using(self, action: str) -> Iterator[psycopg.Cursor[tuple[Any, ...]]]:
        import psycopg

        with self._lock:
            if self._conn is None:
                raise _error("err.store.pg_closed", url=self._shown)
            try:
                with self._conn.cursor() as cur:
                    yield cur
            except psycopg.OperationalError as exc:
                raise _error("err.store.pg_unreachable", url=self._shown, action=action,
                             problem=str(exc).strip()) from exc
            except psycopg.Error as exc:
                raise _error("err.store.pg_failed", url=self._shown, action=action,
                             problem=str(exc).strip()) from exc

    @contextmanager
    def _writing(self, action: str) -> Iterator[psycopg.Cursor[tuple[Any, ...]]]:
        with self._using(action) as cur, cur.connection.transaction():
            yield cur

    counts_edits = True  # the triggers of schema version 2

    def append(self, case_id: str, expected_version: int, events: Sequence[Event],
               snapshot: CaseSnapshot, *, redacted: Sequence[Event] = (),
               drop_blobs: Sequence[str] = (), linked: Sequence[Linked] = (),
               expected_head: Head | None = None) -> None:
        """One statement for the common command (one round trip); otherwise one transaction in
        two round trips (pipeline mode): the snapshot update that checks the version, then the
        events, the other cases, rewrites and COMMIT."""
        from psycopg import errors

        check_head(expected_version, expected_head)
        prepared, rewrites = prepare_append(case_id, expected_version, events, snapshot,
                                            redacted, linked, dump_jsonb)
        now = time.time()
        with self._using(f"append_case={case_id!r}") as cur:
            conn = cur.connection
            if len(prepared) == 1 and not rewrites and not drop_blobs \
                    and len(prepared[0][2]) <= _ONE_STATEMENT_EVENTS:
                cid, expected, rows, snap_row = prepared[0]
                # at most twice: a store that believed no subscription existed and found one
                # (added by another process) writes nothing the first time, then the outbox too
                for hooked in (self._hooked, True):
                    try:
                        cur.execute(*_one_statement(expected, rows, snap_row, expected_head, now,
                                                    hooked))
                        written = cur.fetchone()
                    except errors.UniqueViolation as exc:
                        _raise_number_taken(exc, cid, snap_row)
                        raise (self._collision(cur, cid, expected, [r[1] for r in rows])
                               or conflict(cid, expected, seq=rows[0][1])) from exc
                    if written is None:  # pragma: no cover - the statement returns one row
                        break
                    self._hooked = bool(written[2])
                    if written[0] == 1:
                        return
                    if hooked or not self._hooked:
                        break  # not for want of an outbox: the case is not at its head
                raise self._stale(cur, cid, expected, expected_head)
            try:
                with conn.pipeline() as pipeline, conn.transaction():
                    for cid, expected, rows, snap_row in prepared:
                        # the snapshot first: the events then lie within its version, which is
                        # how the insert trigger tells an append from an event slipped in
                        head = expected_head if cid == case_id else None
                        cur.execute(*_snapshot_write(expected, snap_row, head))
                        if expected:
                            pipeline.sync()
                            if cur.rowcount != 1:
                                raise _Stale(cid, expected)
                        cur.executemany(_INSERT_EVENT, rows)
                        cur.execute(_LEDGER_CASE, (cid, snap_row[3], snap_row[10]))
                        # the webhooks' outbox, in this transaction: no event without its rows
                        for start in range(0, len(rows), _OUTBOX_ROWS):
                            cur.execute(*outbox_insert("postgres",
                                                       rows[start:start + _OUTBOX_ROWS],
                                                       snap_row[1], now))
                    for rewrite in rewrites:
                        cur.execute("UPDATE alur_events SET payload = %s::jsonb, user_id = %s "
                                    "WHERE case_id = %s AND seq = %s AND hash = %s", rewrite)
                    for sha in drop_blobs:
                        cur.execute("DELETE FROM alur_blobs WHERE sha256 = %s", (sha,))
            except _Stale as failed:
                cid, expected = failed.args
                raise self._stale(cur, cid, expected,
                                  expected_head if cid == case_id else None) from None
            except errors.UniqueViolation as exc:
                for cid, _expected, _rows, snap_row in prepared:
                    _raise_number_taken(exc, cid, snap_row)
                # which case collided: the first whose version or events are not as expected
                for cid, expected, rows, _ in prepared:
                    found = self._collision(cur, cid, expected, [row[1] for row in rows])
                    if found is not None:
                        raise found from exc
                raise

    @staticmethod
    def _stale(cur: psycopg.Cursor[tuple[Any, ...]], case_id: str, expected: int,
               head: Head | None = None) -> ConcurrencyConflict:
        """After a rolled-back append: the conflict naming the version ``case_id`` is at
        (StaleCase when the append expected a whole head)."""
        cur.execute("SELECT version FROM alur_snapshots WHERE case_id = %s", (case_id,))
        row = cur.fetchone()
        found = row[0] if row else 0
        return conflict(case_id, expected, found=found) if head is None \
            else stale(case_id, expected, found)

    @classmethod
    def _collision(cls, cur: psycopg.Cursor[tuple[Any, ...]], case_id: str, expected: int,
                   seqs: list[int]) -> ConcurrencyConflict | None:
        """After a unique violation: the conflict on ``case_id`` (its version, else the first
        of ``seqs`` already stored); None when that case is as expected."""
        cur.execute("SELECT version FROM alur_snapshots WHERE case_id = %s", (case_id,))
        row = cur.fetchone()
        if (row[0] if row else 0) != expected:
            return cls._stale(cur, case_id, expected)
        cur.execute("SELECT min(seq) FROM alur_events WHERE case_id = %s AND seq = ANY(%s)",
                    (case_id, seqs))
        taken = cur.fetchone()
        return conflict(case_id, expected, seq=taken[0]) if taken and taken[0] else None

    def events(self, case_id: str) -> list[Event]:
        with self._using(f"read_case={case_id!r}") as cur:
            cur.execute(f"SELECT {_EVENT_COLUMNS} FROM alur_events WHERE case_id = %s "
                        "ORDER BY seq", (case_id,))
            rows = cur.fetchall()
        return [_event(row) for row in rows]

    def event(self, case_id: str, seq: int) -> Event | None:
        with self._using(f"read_case={case_id!r}") as cur:
            cur.execute(f"SELECT {_EVENT_COLUMNS} FROM alur_events WHERE case_id = %s "
                        "AND seq = %s", (case_id, seq))
            row = cur.fetchone()
        return _event(row) if row else None

    def snapshot(self, case_id: str) -> CaseSnapshot | None:
        with self._using(f"read_case={case_id!r}") as cur:
            cur.execute(f"SELECT {_SNAPSHOT_COLUMNS} FROM alur_snapshots WHERE case_id = %s",
                        (case_id,))
            row = cur.fetchone()
        return _snapshot(row) if row else None

    def read_case(self, case_id: str) -> tuple[list[Event], CaseSnapshot | None]:
        with self._using(f"read_case={case_id!r}") as cur:
            cur.execute(_READ_CASE, {"id": case_id})
            rows = cur.fetchall()
        snapshot = None
        if rows and rows[-1][10] is not None:
            data = rows.pop()[10]
            snapshot = CaseSnapshot(
                case_id=data["case_id"], procedure_id=data["procedure_id"],
                procedure_hash=data["procedure_hash"], version=data["version"],
                status=data["status"], current_step=data["current_step"],
                current_role=data["current_role"], due_at=data["due_at"],
                updated_at=data["updated_at"], last_hash=data["last_hash"], state=data["state"],
                edits=data["edits"],
                number=stored_number(data.get("number_series"), data.get("number_seq")))
        return [_event(row) for row in rows], snapshot

    def head(self, case_id: str) -> Head | None:
        with self._using(f"read_case={case_id!r}") as cur:
            cur.execute("SELECT version, last_hash, edits, " + _EPOCH + ", " + _LEDGER_HEAD
                        + " FROM alur_snapshots WHERE case_id = %s", (case_id, case_id))
            row = cur.fetchone()
        return Head(*row) if row else None

    def epoch(self) -> str:
        with self._using("read_schema") as cur:
            cur.execute("SELECT " + _EPOCH)
            row = cur.fetchone()
        return str(row[0]) if row else ""

    def blob_hashes(self) -> list[str]:
        with self._using("list_documents") as cur:
            cur.execute("SELECT sha256 FROM alur_blobs ORDER BY sha256")
            rows = cur.fetchall()
        return [row[0] for row in rows]

    def ledger(self) -> list[LedgerEntry]:
        """Read under ``LOCK TABLE ... IN SHARE MODE``: it waits for every transaction that has
        inserted a ledger row to end, and holds new ones off while it reads, so no row written
        later can carry a smaller seq than one read here (identity values are drawn at insert,
        not at commit)."""
        with self._writing("read the ledger") as cur:
            cur.execute("LOCK TABLE alur_ledger IN SHARE MODE")
            cur.execute("SELECT seq, kind, ref, version, hash FROM alur_ledger ORDER BY seq")
            rows = cur.fetchall()
        return [LedgerEntry(*row) for row in rows]

    def cases(self, *, status: str | None = None, procedure_id: str | None = None,
              role: str | None = None, limit: int | None = None) -> list[CaseSnapshot]:
        check_limit(limit)
        query, params = cases_query(_SNAPSHOT_COLUMNS, "%s", '"current_role"', status=status,
                                    procedure_id=procedure_id, role=role, limit=limit)
        with self._using("list_cases") as cur:
            cur.execute(query, params)  # built from literal fragments only
            rows = cur.fetchall()
        return [_snapshot(row) for row in rows]

    def iter_cases(self, *, status: str | None = None, procedure_id: str | None = None,
                   roles: Sequence[str] | None = None, open_only: bool = False,
                   after: tuple[str | None, str] | None = None) -> Iterator[CaseSnapshot]:
        """Streams in pages of 500 by key (see :func:`engine.store.sql.page_query`)."""
        while True:
            query, params = page_query(_SNAPSHOT_COLUMNS, "%s", '"current_role"', status=status,
                                       procedure_id=procedure_id, roles=roles,
                                       open_only=open_only, after=after, limit=_PAGE)
            with self._using("list cases") as cur:
                cur.execute(query, params)  # built from literal fragments only
                rows = cur.fetchall()
            for row in rows:
                yield _snapshot(row)
            if len(rows) < _PAGE:
                return
            after = (due_key(rows[-1][7]), rows[-1][0])

    def last_number(self, series: str) -> int:
        with self._using("read_case_numbers") as cur:
            cur.execute("SELECT max(number_seq) FROM alur_snapshots WHERE number_series = %s",
                        (series,))
            row = cur.fetchone()
        return int(row[0] or 0) if row else 0

    def case_of_number(self, number: str) -> str | None:
        parts = split(number)
        if parts is None:
            return None
        with self._using("read_case_numbers") as cur:
            cur.execute("SELECT case_id FROM alur_snapshots WHERE number_series = %s "
                        "AND number_seq = %s", parts)
            row = cur.fetchone()
        return str(row[0]) if row else None

    def all_events(self, procedure_id: str | None = None) -> Iterator[Event]:
        """Streams in pages of 500 by key (``(case_id, seq) > last``): memory stays bounded, no
        cursor, transaction or lock is held between pages, and the caller may use the store."""
        columns = ", ".join(f"e.{name.strip()}" for name in _EVENT_COLUMNS.split(","))
        base = f"SELECT {columns} FROM alur_events e"
        if procedure_id is not None:
            base += " JOIN alur_snapshots s ON s.case_id = e.case_id"
        last: tuple[str, int] | None = None
        while True:
            clauses: list[str] = []
            params: list[Any] = []
            if procedure_id is not None:
                clauses.append("s.procedure_id = %s")
                params.append(procedure_id)
            if last is not None:
                clauses.append("(e.case_id, e.seq) > (%s, %s)")
                params.extend(last)
            query = base + (" WHERE " + " AND ".join(clauses) if clauses else "")
            query += " ORDER BY e.case_id, e.seq LIMIT %s"
            params.append(_PAGE)
            with self._using("read_events") as cur:
                cur.execute(query, params)  # built from literal fragments only
                rows = cur.fetchall()
            yield from (_event(row) for row in rows)
            if len(rows) < _PAGE:
                return
            last = (rows[-1][0], rows[-1][1])

    def put_procedure(self, proc: StoredProcedure) -> None:
        check_procedure(proc)
        with self._using(f"store_procedure={proc.id}") as cur:
            cur.execute("INSERT INTO alur_procedures (hash, id, version, text, stored_at) "
                        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (hash) DO NOTHING",
                        (proc.hash, proc.id, proc.version, proc.text, proc.stored_at))

    def procedure(self, hash: str) -> StoredProcedure | None:
        with self._using("read_procedure") as cur:
            cur.execute("SELECT hash, id, version, text, stored_at FROM alur_procedures "
                        "WHERE hash = %s", (hash,))
            row = cur.fetchone()
        return StoredProcedure(*row) if row else None

    def procedures(self, procedure_id: str | None = None) -> list[StoredProcedure]:
        with self._using("list_procedures") as cur:
            if procedure_id is None:
                cur.execute("SELECT hash, id, version, text, stored_at FROM alur_procedures "
                            "ORDER BY stored_order")
            else:
                cur.execute("SELECT hash, id, version, text, stored_at FROM alur_procedures "
                            "WHERE id = %s ORDER BY stored_order", (procedure_id,))
            rows = cur.fetchall()
        return [StoredProcedure(*row) for row in rows]

    def record_audit(self, record: AuditRecord) -> None:
        check_record(record)
        detail = dump_jsonb(record.detail, "audit record detail")
        with self._using("write_audit") as cur:
            # the record and its ledger entry in one statement (one transaction)
            cur.execute("WITH a AS (INSERT INTO alur_audit (at, user_id, role, action, case_id, "
                        "rule, detail) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb) RETURNING id) "
                        "INSERT INTO alur_ledger (kind, ref, version, hash) "
                        "SELECT 'audit', id::text, 0, %s FROM a",
                        (record.at, record.user, record.role, record.action, record.case_id,
                         record.rule, detail, audit_hash(replace(record,
                                                                 detail=load_json(detail)))))

    def audit_records(self, case_id: str | None = None) -> list[AuditRecord]:
        with self._using("read_audit") as cur:
            if case_id is None:
                cur.execute("SELECT at, user_id, role, action, case_id, rule, detail "
                            "FROM alur_audit ORDER BY id")
            else:
                cur.execute("SELECT at, user_id, role, action, case_id, rule, detail "
                            "FROM alur_audit WHERE case_id = %s ORDER BY id", (case_id,))
            rows = cur.fetchall()
        return [AuditRecord(at=row[0], user=row[1], role=row[2], action=row[3], case_id=row[4],
                            rule=row[5], detail=row[6]) for row in rows]

    def put_blob(self, sha256: str, content: bytes) -> None:
        data = check_blob(sha256, content)
        with self._using("store_document") as cur:
            cur.execute("INSERT INTO alur_blobs (sha256, size, content) VALUES (%s, %s, %s) "
                        "ON CONFLICT (sha256) DO NOTHING", (sha256, len(data), data))

    def blob(self, sha256: str) -> bytes | None:
        with self._using("read_document") as cur:
            cur.execute("SELECT content FROM alur_blobs WHERE sha256 = %s", (sha256,))
            row = cur.fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()
