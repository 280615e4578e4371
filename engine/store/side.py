"""A connection of its own beside a store's, for the tables kept next to it (the service's
accounts, the webhook outbox): autocommit, and on PostgreSQL the store's schema as the search
path. The store must have been opened first (it creates the tables).

Must not: create tables or hold a transaction open.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

__all__ = ["side_connection"]


def side_connection(url: str) -> tuple[Any, Literal["sqlite", "postgres"]] | None:
    """``(connection, dialect)`` to the SQL store at ``url``; None for another kind of URL."""
    if url.startswith("sqlite://"):
        path = url[len("sqlite://"):].partition("?")[0][1:]
        lite = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        lite.execute("PRAGMA busy_timeout = 30000")
        return lite, "sqlite"
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg
        from psycopg import sql

        from engine.store.postgres import split_schema

        conninfo, schema = split_schema(url)
        conn = psycopg.connect(conninfo, autocommit=True)
        if schema is not None:
            with conn.cursor() as cur:
                cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        return conn, "postgres"
    return None
