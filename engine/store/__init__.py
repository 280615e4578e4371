"""Where cases are kept: the :class:`Store` port, its backends, and :func:`open_store`.

Owns: reading a store URL (argument, then ``ALUR_DB``, then ``sqlite:///alur.db``) and choosing
the backend. Accepted URLs::

    sqlite:///relative/path.db        sqlite:////absolute/path.db     (?synchronous=NORMAL)
    memory://
    postgresql://user@host:5432/db    postgres://...                   (?schema=name)

Must not: know SQL or any driver (that is the backends' business), or import psycopg before a
PostgreSQL store is asked for.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from engine.errors import UsageError
from engine.store.base import Store, StoredProcedure
from engine.store.memory import MemoryStore
from engine.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from engine.store.postgres import PostgresStore

__all__ = ["MemoryStore", "PostgresStore", "SQLiteStore", "Store", "StoredProcedure",
           "open_store"]

DEFAULT_URL = "sqlite:///alur.db"


def _usage(code: str, **params: object) -> UsageError:
    """A UsageError in the language of ``$ALUR_LANG`` (a store has no language of its own)."""
    return UsageError.of(code, None, **params)


def __getattr__(name: str) -> Any:
    if name == "PostgresStore":
        from engine.store.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _open_sqlite(url: str) -> SQLiteStore:
    rest = url[len("sqlite://"):]
    path, _, query = rest.partition("?")
    if not path.startswith("/") or len(path) < 2:
        raise _usage("err.store.sqlite_no_path", url=repr(url))
    synchronous = "FULL"
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key != "synchronous" or value.upper() not in ("FULL", "NORMAL"):
            raise _usage("err.store.sqlite_option", url=repr(url), key=key, value=value)
        synchronous = value.upper()
    return SQLiteStore(path[1:], synchronous=synchronous)


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url``; None means ``$ALUR_DB``, or ``sqlite:///alur.db`` in the
    current directory. Raises UsageError for a URL of no known form, StoreError when the store
    cannot be opened."""
    if url is None:
        url = os.environ.get("ALUR_DB") or DEFAULT_URL
    if not isinstance(url, str) or not url:
        raise _usage("err.store.url_empty", url=repr(url))
    if url.startswith("sqlite://"):
        return _open_sqlite(url)
    if url == "memory://":
        return MemoryStore()
    if url.startswith(("postgresql://", "postgres://")):
        from engine.store.postgres import PostgresStore

        return PostgresStore(url)
    if "://" in url:  # show the scheme only: the rest may hold a password
        raise _usage("err.store.url_scheme", scheme=repr(url.partition("://")[0] + "://"))
    raise _usage("err.store.not_url", url=repr(url))
