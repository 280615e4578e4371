"""Who is calling: API tokens (``Authorization: Bearer ...``), passwords hashed with argon2, a
roster built from the service's users, and a limit on failed logins.

A request without a valid token is ``401``; a token without the scope an endpoint needs, or a
disabled user, ``403``. Failed logins are counted per user and client address in a sliding
window and recorded in the store's audit log; past the limit a login is refused with ``429``
before the password is even checked.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from engine.cases.events import AuditRecord
from engine.cases.roster import Roster
from engine.service.problems import Problem
from engine.store import Store
from engine.store.accounts import Accounts, User

__all__ = ["AccountRoster", "Caller", "LoginLimiter", "check_login", "hash_password",
           "verify_password"]

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user of a request and what their token allows."""

    user: str
    roles: frozenset[str]
    agency: str
    scopes: frozenset[str]


class _Cache:
    __slots__ = ("at", "table")

    def __init__(self) -> None:
        self.at = float("-inf")
        self.table: dict[str, frozenset[str]] = {}


@dataclass(frozen=True, slots=True)
class AccountRoster(Roster):
    """The roster the engine checks, read from the service's accounts (a role given or taken
    with ``alur user roles``, or a user disabled, counts within ``ttl`` seconds)."""

    accounts: Accounts | None = None
    ttl: float = 2.0
    cache: _Cache = field(default_factory=_Cache, compare=False, repr=False)

    def _table(self) -> dict[str, frozenset[str]]:
        if self.accounts is not None and time.monotonic() - self.cache.at > self.ttl:
            self.cache.table = {u.name: u.roles for u in self.accounts.users()
                                if not u.disabled}
            self.cache.at = time.monotonic()
        return self.cache.table

    def holds(self, user: str, role: str) -> bool:
        return role in self._table().get(user, frozenset())

    def roles_of(self, user: str) -> frozenset[str]:
        return self._table().get(user, frozenset())


class LoginLimiter:
    """At most ``limit`` failed logins per (user, address) within ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        now = time.monotonic()
        found = self._failures.setdefault(key, deque())
        while found and now - found[0] > self.window:
            found.popleft()
        return found

    def blocked(self, user: str, address: str) -> bool:
        with self._lock:
            return len(self._recent((user, address))) >= self.limit

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            self._recent((user, address)).append(time.monotonic())

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._failures.pop((user, address), None)


def check_login(accounts: Accounts, store: Store, limiter: LoginLimiter, username: str,
                password: str, address: str, at: str) -> User:
    """The user whose password this is, for the API's tokens and the pages' sessions alike:
    past the limit ``429`` before the password is checked; a failure ``401``, counted and
    recorded in the audit log (the address, never the password)."""
    if limiter.blocked(username, address):
        raise Problem(429, "svc.login_limited", headers={"Retry-After": "300"})
    user = accounts.user(username)
    if user is None or user.disabled or not verify_password(user.password_hash, password):
        limiter.failed(username, address)
        store.record_audit(AuditRecord(at=at, user=username, role="-", action="refused:login",
                                       case_id=None, rule="auth.login",
                                       detail={"address": address}))
        raise Problem(401, "svc.login_failed")
    limiter.succeeded(username, address)
    return user
