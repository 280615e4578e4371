"""Fixtures for the store contract suite: one ``Backend`` per store kind, and a fresh store.

``store`` runs every contract test on memory, SQLite (a file in tmp_path) and PostgreSQL (a
fresh schema per test, dropped afterwards). PostgreSQL needs ``ALUR_PG_URL``: unset, its tests
are skipped with a reason; set but the server does not answer, they fail.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from engine.errors import StoreError
from engine.store import MemoryStore, Store, open_store

PG_ENV = "ALUR_PG_URL"
PG_SKIP_REASON = ("ALUR_PG_URL not set: PostgreSQL tests skipped (export "
                  "ALUR_PG_URL=postgresql://postgres@127.0.0.1:5432/test to run them)")


def with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode([*pairs, ("schema", schema)])))


@dataclass
class Backend:
    """One place a store lives: ``open()`` gives a new store on it (the same data for SQL
    backends), ``sql()`` runs raw SQL on it behind the store's back (SQL backends only)."""

    name: str
    url: str
    path: Path | None = None  # sqlite
    base_url: str | None = None  # postgres, without the schema parameter
    schema: str | None = None  # postgres
    _memory: MemoryStore | None = field(default=None, repr=False)

    @property
    def persistent(self) -> bool:
        return self.name != "memory"

    def open(self) -> Store:
        return open_store(self.url)

    def sql(self, statement: str) -> list[tuple[Any, ...]]:
        if self.name == "sqlite":
            assert self.path is not None
            with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as conn, \
                    contextlib.closing(conn.execute(statement)) as cursor:
                return cursor.fetchall() if cursor.description else []
        if self.name == "postgres":
            import psycopg
            from psycopg import sql

            assert self.base_url is not None and self.schema is not None
            with psycopg.connect(self.base_url, autocommit=True) as conn, conn.cursor() as cur:
                cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
                cur.execute(statement)
                return cur.fetchall() if cur.description else []
        raise AssertionError(f"{self.name} has no SQL")

    def inject_event_row(self, store: Store, row: tuple[Any, ...]) -> None:
        """Write an alur_events row directly, with no snapshot: a store damaged or raced in a way
        ``append`` alone cannot produce. ``row`` is (case_id, seq, type, payload JSON text,
        user, role, at, procedure_hash, prev_hash, hash)."""
        if self.name == "memory":
            from engine.cases.events import Event

            assert isinstance(store, MemoryStore)
            case_id, seq, type_, payload, user, role, at, proc, prev, hash_ = row
            event = Event(case_id, seq, type_, {}, user, role, at, proc, prev, hash_)
            store._events.setdefault(case_id, {})[seq] = (event, payload)
            return
        cast = "::jsonb" if self.name == "postgres" else ""
        values = ", ".join(_literal(value) for value in row[:3]) + f", {_literal(row[3])}{cast}, "
        values += ", ".join(_literal(value) for value in row[4:])
        self.sql("INSERT INTO alur_events (case_id, seq, type, payload, user_id, role, at, "
                 f"procedure_hash, prev_hash, hash) VALUES ({values})")


def _literal(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _drop_schema(base_url: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@contextlib.contextmanager
def make_backend(name: str, tmp_path: Path) -> Iterator[Backend]:
    if name == "memory":
        yield Backend("memory", "memory://")
    elif name == "sqlite":
        path = tmp_path / "alur.db"
        yield Backend("sqlite", f"sqlite:///{path}", path=path)
    elif name == "postgres":
        base_url = os.environ.get(PG_ENV)
        if not base_url:
            pytest.skip(PG_SKIP_REASON)
        schema = f"alur_t_{secrets.token_hex(6)}"
        try:
            yield Backend("postgres", with_schema(base_url, schema), base_url=base_url,
                          schema=schema)
        finally:
            with contextlib.suppress(Exception):  # the server may be the thing that failed
                _drop_schema(base_url, schema)
    else:
        raise AssertionError(name)


def _pg_param() -> Any:
    return pytest.param("postgres", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not os.environ.get(PG_ENV), reason=PG_SKIP_REASON)])


ALL_BACKENDS = ["memory", "sqlite", _pg_param()]
SQL_BACKENDS = ["sqlite", _pg_param()]


def open_or_fail(backend: Backend) -> Store:
    """Open a store; a PostgreSQL server named by ALUR_PG_URL that does not answer fails."""
    try:
        return backend.open()
    except StoreError as exc:
        if backend.name == "postgres":
            pytest.fail(f"{PG_ENV} is set but the PostgreSQL store cannot be opened: "
                        f"{exc.message} ({exc.hint})")
        raise


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    with make_backend(request.param, tmp_path) as made:
        yield made


@pytest.fixture(params=SQL_BACKENDS)
def sql_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    with make_backend(request.param, tmp_path) as made:
        yield made


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    opened = open_or_fail(backend)
    try:
        yield opened
    finally:
        opened.close()
