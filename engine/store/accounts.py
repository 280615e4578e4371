"""Who may use the HTTP service: users (with their roles and agency) and their API tokens.

Kept in the same database as the cases (``alur_users``, ``alur_tokens``, ``alur_sessions``;
created on first use),
so several service workers on one PostgreSQL store share them. Passwords are hashed with argon2
(argon2-cffi) by the caller; tokens are random secrets stored only as their SHA-256, so a copy of
the database lets nobody act as a user. A token carries scopes (``read``, ``write``, ``admin``)
and can be revoked; a disabled user's tokens stop working at once. Browser sessions are random
secrets kept the same way (SHA-256 only) with their expiry; a user's sessions end when they log
out, when their password is changed and when they are disabled.

Must not: hash passwords (:mod:`engine.service.auth` does) or decide what a user may do (the
roles feed the same :class:`~engine.cases.roster.Roster` the CLI uses).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from engine.errors import StoreError, UsageError
from engine.messages import text
from engine.store.side import side_connection

__all__ = ["Accounts", "MemoryAccounts", "SQLAccounts", "Session", "Token", "User",
           "open_accounts", "token_digest"]

SCOPES = ("read", "write", "admin")

_TABLES = (
    "CREATE TABLE IF NOT EXISTS alur_users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
    " roles TEXT NOT NULL, agency TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS alur_tokens (id TEXT PRIMARY KEY, user_name TEXT NOT NULL,"
    " digest TEXT NOT NULL UNIQUE, label TEXT NOT NULL, scopes TEXT NOT NULL,"
    " created_at TEXT NOT NULL, revoked_at TEXT)",
    # the answer given to a POST with an Idempotency-Key, so a retry gets it again instead of
    # running the command twice (``fingerprint``: what was asked, so a key reused for another
    # request is refused). The row is claimed (status 0) before the command runs: a retry
    # arriving while it runs, or after its worker died mid-way, finds it and does not run the
    # command a second time
    "CREATE TABLE IF NOT EXISTS alur_idempotency (user_name TEXT NOT NULL, key TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
    " created_at TEXT NOT NULL, PRIMARY KEY (user_name, key))",
    # browser sessions (engine/service/sessions.py): the SHA-256 of the cookie's secret, whose
    # user, and until when (epoch seconds); a row deleted is a session ended
    "CREATE TABLE IF NOT EXISTS alur_sessions (digest TEXT PRIMARY KEY, user_name TEXT NOT NULL,"
    " created_at TEXT NOT NULL, expires DOUBLE PRECISION NOT NULL)",
    # who holds a job shared by every worker (the deadline sweep) until when (epoch seconds)
    "CREATE TABLE IF NOT EXISTS alur_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL,"
    " until DOUBLE PRECISION NOT NULL)",
)


@dataclass(frozen=True, slots=True)
class User:
    name: str
    password_hash: str
    roles: frozenset[str]
    agency: str
    disabled: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class Token:
    id: str
    user: str
    label: str
    scopes: frozenset[str]
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True, slots=True)
class Session:
    """A browser session: whose it is and until when (epoch seconds)."""

    user: str
    created_at: str
    expires: float


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _usage(code: str, **params: object) -> UsageError:
    message, hint = text(code, None, **params)
    return UsageError(message, hint=hint)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Accounts(Protocol):
    def add_user(self, name: str, password_hash: str, roles: frozenset[str],
                 agency: str) -> User: ...
    def user(self, name: str) -> User | None: ...
    def users(self) -> list[User]: ...
    def set_password(self, name: str, password_hash: str) -> None: ...
    def set_disabled(self, name: str, disabled: bool) -> None: ...
    def set_roles(self, name: str, roles: frozenset[str]) -> None: ...
    def add_token(self, user: str, label: str, scopes: frozenset[str]) -> tuple[Token, str]: ...
    def token(self, secret: str) -> Token | None: ...
    def bearer(self, secret: str) -> tuple[Token, User] | None: ...
    def tokens(self, user: str | None = None) -> list[Token]: ...
    def revoke(self, token_id: str) -> bool: ...
    def add_session(self, user: str, expires: float) -> str: ...
    def session(self, secret: str, now: float) -> tuple[Session, User] | None: ...
    def end_session(self, secret: str) -> None: ...
    def end_sessions(self, user: str) -> None: ...
    def lease(self, name: str, holder: str, seconds: float, now: float) -> bool: ...
    def recall(self, user: str, key: str) -> tuple[str, int, str] | None: ...
    def claim(self, user: str, key: str, fingerprint: str) -> bool: ...
    def settle(self, user: str, key: str, status: int, body: str) -> None: ...
    def release(self, user: str, key: str) -> None: ...
    def close(self) -> None: ...


def _check_scopes(scopes: frozenset[str]) -> None:
    unknown = sorted(scopes - set(SCOPES))
    if unknown or not scopes:
        raise _usage("acct.scope_unknown", scopes=", ".join(unknown) or "-",
                     known=", ".join(SCOPES))


class _Taken(Exception):
    """A row with that key exists (a unique constraint refused the insert)."""


def _driver_errors() -> tuple[type[Exception], ...]:
    """The errors of the database drivers in use (psycopg only where it is installed)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the postgres extra is not installed
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def _is_unique_violation(exc: Exception) -> bool:
    return type(exc).__name__ == "UniqueViolation"


class MemoryAccounts:
    """Accounts of a ``memory://`` store (tests, demos): gone with the process."""

    def __init__(self) -> None:
        self._users: dict[str, User] = {}
        self._tokens: dict[str, tuple[Token, str]] = {}
        self._answers: dict[tuple[str, str], tuple[str, int, str]] = {}
        self._leases: dict[str, tuple[str, float]] = {}
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def add_user(self, name: str, password_hash: str, roles: frozenset[str],
                 agency: str) -> User:
        with self._lock:
            if name in self._users:
                raise _usage("acct.user_exists", user=name)
            user = self._users[name] = User(name, password_hash, roles, agency, False, _now())
            return user

    def user(self, name: str) -> User | None:
        return self._users.get(name)

    def users(self) -> list[User]:
        return sorted(self._users.values(), key=lambda u: u.name)

    def _replace(self, name: str, **changes: Any) -> None:
        from dataclasses import replace

        with self._lock:
            user = self._users.get(name)
            if user is None:
                raise _usage("acct.no_user", user=name)
            self._users[name] = replace(user, **changes)

    def set_password(self, name: str, password_hash: str) -> None:
        self._replace(name, password_hash=password_hash)
        self.end_sessions(name)

    def set_disabled(self, name: str, disabled: bool) -> None:
        self._replace(name, disabled=disabled)
        if disabled:
            self.end_sessions(name)

    def set_roles(self, name: str, roles: frozenset[str]) -> None:
        self._replace(name, roles=roles)

    def add_token(self, user: str, label: str, scopes: frozenset[str]) -> tuple[Token, str]:
        _check_scopes(scopes)
        if user not in self._users:
            raise _usage("acct.no_user", user=user)
        secret = "alur_" + secrets.token_urlsafe(32)
        token = Token(secrets.token_hex(8), user, label, scopes, _now(), None)
        with self._lock:
            self._tokens[token.id] = (token, token_digest(secret))
        return token, secret

    def token(self, secret: str) -> Token | None:
        digest = token_digest(secret)
        for token, stored in self._tokens.values():
            if secrets.compare_digest(stored, digest):
                return token
        return None

    def bearer(self, secret: str) -> tuple[Token, User] | None:
        token = self.token(secret)
        user = self._users.get(token.user) if token is not None else None
        return (token, user) if token is not None and user is not None else None

    def tokens(self, user: str | None = None) -> list[Token]:
        return [t for t, _ in self._tokens.values() if user is None or t.user == user]

    def revoke(self, token_id: str) -> bool:
        from dataclasses import replace

        with self._lock:
            found = self._tokens.get(token_id)
            if found is None or found[0].revoked_at:
                return False
            self._tokens[token_id] = (replace(found[0], revoked_at=_now()), found[1])
            return True

    def add_session(self, user: str, expires: float) -> str:
        if user not in self._users:
            raise _usage("acct.no_user", user=user)
        secret = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token_digest(secret)] = Session(user, _now(), expires)
        return secret

    def session(self, secret: str, now: float) -> tuple[Session, User] | None:
        found = self._sessions.get(token_digest(secret))
        user = self._users.get(found.user) if found is not None else None
        if found is None or user is None or found.expires <= now:
            return None
        return found, user

    def end_session(self, secret: str) -> None:
        with self._lock:
            self._sessions.pop(token_digest(secret), None)

    def end_sessions(self, user: str) -> None:
        with self._lock:
            for digest in [d for d, s in self._sessions.items() if s.user == user]:
                del self._sessions[digest]

    def lease(self, name: str, holder: str, seconds: float, now: float) -> bool:
        with self._lock:
            found = self._leases.get(name)
            if found is not None and found[0] != holder and found[1] > now:
                return False
            self._leases[name] = (holder, now + seconds)
            return True

    def recall(self, user: str, key: str) -> tuple[str, int, str] | None:
        return self._answers.get((user, key))

    def claim(self, user: str, key: str, fingerprint: str) -> bool:
        with self._lock:
            if (user, key) in self._answers:
                return False
            self._answers[(user, key)] = (fingerprint, 0, "")
            return True

    def settle(self, user: str, key: str, status: int, body: str) -> None:
        with self._lock:
            found = self._answers.get((user, key))
            if found is not None:
                self._answers[(user, key)] = (found[0], status, body)

    def release(self, user: str, key: str) -> None:
        with self._lock:
            found = self._answers.get((user, key))
            if found is not None and not found[1]:
                del self._answers[(user, key)]

    def close(self) -> None:
        pass


class SQLAccounts:
    """Accounts in a SQLite file or a PostgreSQL database (``dialect``), on a connection of
    their own (autocommit; each change is one statement)."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self._conn = conn
        self._mark = "?" if dialect == "sqlite" else "%s"
        self._lock = threading.Lock()
        for statement in _TABLES:
            self._run(statement)

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        sql = sql.replace("?", self._mark)
        with self._lock:
            try:
                cur = self._conn.execute(sql, params)
                rows = cur.fetchall() if cur.description else []
                return [tuple(r) for r in rows]
            except _driver_errors() as exc:
                if isinstance(exc, sqlite3.IntegrityError) or _is_unique_violation(exc):
                    raise _Taken(str(exc)) from exc
                message, hint = text("acct.store_failed", None, problem=str(exc).strip())
                raise StoreError(message, hint=hint) from exc

    @staticmethod
    def _user(row: tuple[Any, ...]) -> User:
        return User(row[0], row[1], frozenset(json.loads(row[2])), row[3], bool(row[4]), row[5])

    @staticmethod
    def _token(row: tuple[Any, ...]) -> Token:
        return Token(row[0], row[1], row[2], frozenset(json.loads(row[3])), row[4], row[5])

    def add_user(self, name: str, password_hash: str, roles: frozenset[str],
                 agency: str) -> User:
        if self.user(name) is not None:
            raise _usage("acct.user_exists", user=name)
        created = _now()
        self._run("INSERT INTO alur_users VALUES (?, ?, ?, ?, 0, ?)",
                  (name, password_hash, json.dumps(sorted(roles)), agency, created))
        return User(name, password_hash, roles, agency, False, created)

    def user(self, name: str) -> User | None:
        rows = self._run("SELECT name, password_hash, roles, agency, disabled, created_at "
                         "FROM alur_users WHERE name = ?", (name,))
        return self._user(rows[0]) if rows else None

    def users(self) -> list[User]:
        return [self._user(r) for r in self._run(
            "SELECT name, password_hash, roles, agency, disabled, created_at FROM alur_users "
            "ORDER BY name")]

    def _update(self, name: str, column: str, value: Any) -> None:
        if self.user(name) is None:
            raise _usage("acct.no_user", user=name)
        self._run(f"UPDATE alur_users SET {column} = ? WHERE name = ?", (value, name))

    def set_password(self, name: str, password_hash: str) -> None:
        self._update(name, "password_hash", password_hash)
        self.end_sessions(name)

    def set_disabled(self, name: str, disabled: bool) -> None:
        self._update(name, "disabled", int(disabled))
        if disabled:
            self.end_sessions(name)

    def set_roles(self, name: str, roles: frozenset[str]) -> None:
        self._update(name, "roles", json.dumps(sorted(roles)))

    def add_token(self, user: str, label: str, scopes: frozenset[str]) -> tuple[Token, str]:
        _check_scopes(scopes)
        if self.user(user) is None:
            raise _usage("acct.no_user", user=user)
        secret = "alur_" + secrets.token_urlsafe(32)
        token = Token(secrets.token_hex(8), user, label, scopes, _now(), None)
        self._run("INSERT INTO alur_tokens VALUES (?, ?, ?, ?, ?, ?, NULL)",
                  (token.id, user, token_digest(secret), label, json.dumps(sorted(scopes)),
                   token.created_at))
        return token, secret

    def token(self, secret: str) -> Token | None:
        rows = self._run("SELECT id, user_name, label, scopes, created_at, revoked_at "
                         "FROM alur_tokens WHERE digest = ?", (token_digest(secret),))
        return self._token(rows[0]) if rows else None

    def bearer(self, secret: str) -> tuple[Token, User] | None:
        """The token and its user, in one query (every request of the service asks)."""
        rows = self._run("SELECT t.id, t.user_name, t.label, t.scopes, t.created_at, "
                         "t.revoked_at, u.name, u.password_hash, u.roles, u.agency, u.disabled, "
                         "u.created_at FROM alur_tokens t JOIN alur_users u "
                         "ON u.name = t.user_name WHERE t.digest = ?", (token_digest(secret),))
        return (self._token(rows[0][:6]), self._user(rows[0][6:])) if rows else None

    def tokens(self, user: str | None = None) -> list[Token]:
        sql = "SELECT id, user_name, label, scopes, created_at, revoked_at FROM alur_tokens"
        rows = (self._run(sql + " WHERE user_name = ? ORDER BY created_at", (user,)) if user
                else self._run(sql + " ORDER BY created_at"))
        return [self._token(r) for r in rows]

    def revoke(self, token_id: str) -> bool:
        found = self._run("SELECT revoked_at FROM alur_tokens WHERE id = ?", (token_id,))
        if not found or found[0][0]:
            return False
        self._run("UPDATE alur_tokens SET revoked_at = ? WHERE id = ?", (_now(), token_id))
        return True

    def add_session(self, user: str, expires: float) -> str:
        if self.user(user) is None:
            raise _usage("acct.no_user", user=user)
        secret = secrets.token_urlsafe(32)
        self._run("INSERT INTO alur_sessions VALUES (?, ?, ?, ?)",
                  (token_digest(secret), user, _now(), expires))
        return secret

    def session(self, secret: str, now: float) -> tuple[Session, User] | None:
        """The session and its user, in one query, unless it has expired or ended."""
        rows = self._run("SELECT s.user_name, s.created_at, s.expires, u.name, u.password_hash, "
                         "u.roles, u.agency, u.disabled, u.created_at FROM alur_sessions s "
                         "JOIN alur_users u ON u.name = s.user_name "
                         "WHERE s.digest = ? AND s.expires > ?", (token_digest(secret), now))
        if not rows:
            return None
        row = rows[0]
        return Session(row[0], row[1], float(row[2])), self._user(row[3:])

    def end_session(self, secret: str) -> None:
        self._run("DELETE FROM alur_sessions WHERE digest = ?", (token_digest(secret),))

    def end_sessions(self, user: str) -> None:
        self._run("DELETE FROM alur_sessions WHERE user_name = ?", (user,))

    def lease(self, name: str, holder: str, seconds: float, now: float) -> bool:
        """Take (or keep) the lease ``name`` for ``seconds`` unless another holder's runs on:
        one statement each way, so two workers never both hold it."""
        with contextlib.suppress(_Taken):
            self._run("INSERT INTO alur_leases VALUES (?, ?, ?)", (name, holder, now + seconds))
            return True
        taken = self._run("UPDATE alur_leases SET holder = ?, until = ? WHERE name = ? AND "
                          "(holder = ? OR until < ?) RETURNING holder",
                          (holder, now + seconds, name, holder, now))
        return bool(taken)

    def recall(self, user: str, key: str) -> tuple[str, int, str] | None:
        rows = self._run("SELECT fingerprint, status, body FROM alur_idempotency "
                         "WHERE user_name = ? AND key = ?", (user, key))
        return (str(rows[0][0]), int(rows[0][1]), str(rows[0][2])) if rows else None

    def claim(self, user: str, key: str, fingerprint: str) -> bool:
        """Take the key for a request about to run (one statement: of two concurrent retries
        exactly one gets it); False when it is taken, answered or not."""
        with contextlib.suppress(_Taken):
            self._run("INSERT INTO alur_idempotency VALUES (?, ?, ?, 0, '', ?)",
                      (user, key, fingerprint, _now()))
            return True
        return False

    def settle(self, user: str, key: str, status: int, body: str) -> None:
        self._run("UPDATE alur_idempotency SET status = ?, body = ? WHERE user_name = ? AND "
                  "key = ?", (status, body, user, key))

    def release(self, user: str, key: str) -> None:
        """Give a claimed key back when its request wrote nothing (refused, conflicting)."""
        self._run("DELETE FROM alur_idempotency WHERE user_name = ? AND key = ? AND status = 0",
                  (user, key))

    def close(self) -> None:
        self._conn.close()


_MEMORY: dict[int, MemoryAccounts] = {}


def open_accounts(url: str, store: object | None = None) -> Accounts:
    """The accounts kept beside the store at ``url`` (for ``memory://``, beside ``store``)."""
    if url == "memory://":
        return _MEMORY.setdefault(id(store), MemoryAccounts())
    side = side_connection(url)
    if side is not None:
        return SQLAccounts(*side)
    raise _usage("acct.store_kind", scheme=url.partition("://")[0] + "://")
