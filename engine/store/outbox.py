"""Webhook subscriptions and the transactional outbox of events to deliver to them.

The store's ``append`` writes the outbox rows itself, in the transaction that writes the events
(:func:`engine.store.sql.outbox_insert`; the memory store under its one lock), so an event is
never stored without its rows nor a row without its event. This module owns everything else:
subscriptions (add, list, remove), and the delivery bookkeeping a deliverer needs — claiming
rows, marking them delivered, failed (with the next attempt's time) or dead, putting dead
letters back, and the figures for ``/metrics``.

**One row per (event, matching subscription)**, not one per event fanned out at delivery: each
receiver then has its own attempts, backoff and dead letters, so a receiver that is down holds
back no other one, and ``retry`` re-queues exactly what one receiver missed. The subscription
set is read inside the append's transaction, so an event goes to the subscriptions that
existed when it was written (a new subscription receives events from then on). A row holds
references only (case id, seq, event type): the payload is built, masked, when it is sent.

**Claims**: a worker claims a batch of due rows for ``lease`` seconds (``claimed_by``,
``claimed_until``); PostgreSQL picks them with ``FOR UPDATE SKIP LOCKED`` so workers never wait
on each other; SQLite serialises writers, so its one UPDATE statement is the claim. A worker
that dies leaves claims that run out, and another takes the rows over: delivery is *at least
once*. Per subscription and case, only the oldest pending row is ever claimable, so a receiver
gets a case's events in order.

Must not: send anything over the network, build payloads, or decide backoff (that is
:mod:`engine.service.webhooks`).
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from engine.errors import StoreError, UsageError
from engine.store.side import side_connection

if TYPE_CHECKING:
    from engine.store.memory import MemoryStore

__all__ = ["Delivery", "Outbox", "OutboxRow", "Subscription", "counts_by_subscription", "matches",
           "open_outbox"]

STATES = ("pending", "delivered", "dead")
# the largest row id a caller may name (exact as a JSON number, and within every SQL integer)
MAX_ROW_ID = 10**15


@dataclass(frozen=True, slots=True)
class Subscription:
    """A URL that wants events: of one procedure (``procedure_id``; "" = every one) and of some
    event types (empty = every type). ``secret`` signs what is sent; ``sensitive``: payloads may
    carry sensitive values and outside participants' ids (never, unless set)."""

    id: str
    url: str
    secret: str
    procedure_id: str
    event_types: tuple[str, ...]
    sensitive: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One event to send to one subscription, and how sending it went."""

    id: int
    subscription_id: str
    case_id: str
    seq: int
    event_type: str
    created_at: float
    state: str
    attempts: int
    next_at: float
    claimed_by: str | None = None
    claimed_until: float | None = None
    last_error: str | None = None
    done_at: float | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """A claimed row with its subscription: what a deliverer sends."""

    row: OutboxRow
    subscription: Subscription


def matches(sub: Subscription, procedure_id: str, event_type: str) -> bool:
    """Whether ``sub`` wants an event of this type and procedure (the SQL stores ask the same
    in :func:`engine.store.sql.outbox_insert`)."""
    return (sub.procedure_id in ("", procedure_id)
            and (not sub.event_types or event_type in sub.event_types))


def counts_by_subscription(outbox: Outbox) -> dict[str, dict[str, int]]:
    """Per subscription id: how many of its rows are pending, delivered and dead."""
    found: dict[str, dict[str, int]] = {}
    for row in outbox.rows():
        per = found.setdefault(row.subscription_id, dict.fromkeys(STATES, 0))
        per[row.state] = per.get(row.state, 0) + 1
    return found


def _usage(code: str, **params: object) -> UsageError:
    return UsageError.of(code, None, **params)


def _check_subscription(url: str, event_types: Sequence[str]) -> None:
    # the API's pattern says the same: no space or control character
    if not url.startswith(("http://", "https://")) or len(url) > 2000 or any(
            c <= " " for c in url) or url in ("http://", "https://"):
        raise _usage("hook.url", url=url[:200])
    from engine.cases.state import EVENT_TYPES

    for kind in event_types:
        if kind not in EVENT_TYPES:
            raise _usage("hook.event_type", type=kind[:80], known=", ".join(sorted(EVENT_TYPES)))


def _new_subscription(url: str, procedure_id: str, event_types: Sequence[str], sensitive: bool,
                      secret: str | None) -> Subscription:
    _check_subscription(url, event_types)
    if secret is not None and len(secret) < 16:
        raise _usage("hook.secret_short")
    return Subscription("wh_" + secrets.token_hex(6), url,
                        secret or "whsec_" + secrets.token_urlsafe(32), procedure_id,
                        tuple(sorted(set(event_types))), sensitive,
                        datetime.now(UTC).isoformat(timespec="seconds"))


class Outbox(Protocol):
    def add(self, url: str, *, procedure_id: str = "", event_types: Sequence[str] = (),
            sensitive: bool = False, secret: str | None = None) -> Subscription: ...
    def subscriptions(self) -> list[Subscription]: ...
    def subscription(self, sub_id: str) -> Subscription | None: ...
    def remove(self, sub_id: str) -> bool: ...
    def claim(self, worker: str, limit: int, now: float, lease: float) -> list[Delivery]: ...
    def delivered(self, row_id: int, worker: str, now: float) -> bool: ...
    def failed(self, row_id: int, worker: str, error: str, next_at: float,
               dead: bool) -> bool: ...
    def rows(self, state: str | None = None, sub_id: str | None = None) -> list[OutboxRow]: ...
    def retry(self, row_ids: Sequence[int] = (), *, now: float) -> int: ...
    def oldest_pending(self) -> float | None: ...
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...


# -- SQL (SQLite, PostgreSQL) ----------------------------------------------------------------

_SUB_COLUMNS = "id, url, secret, procedure_id, event_types, sensitive, created_at"
_ROW_COLUMNS = ("id, subscription_id, case_id, seq, event_type, created_at, state, attempts, "
                "next_at, claimed_by, claimed_until, last_error, done_at")
# the oldest pending row of its subscription and case: what keeps a case's events in order
_HEAD_OF_CASE = ("NOT EXISTS (SELECT 1 FROM alur_outbox p WHERE p.subscription_id = "
                 "o.subscription_id AND p.case_id = o.case_id AND p.seq < o.seq "
                 "AND p.state = 'pending')")


def _driver_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the postgres extra is not installed
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def _sub(row: Sequence[Any]) -> Subscription:
    kinds = tuple(k for k in str(row[4]).split(",") if k and k != "*")
    return Subscription(row[0], row[1], row[2], row[3], kinds, bool(row[5]), row[6])


def _row(row: Sequence[Any]) -> OutboxRow:
    return OutboxRow(int(row[0]), row[1], row[2], int(row[3]), row[4], float(row[5]), row[6],
                     int(row[7]), float(row[8]), row[9],
                     None if row[10] is None else float(row[10]), row[11],
                     None if row[12] is None else float(row[12]))


class SQLOutbox:
    """The outbox of a SQLite or PostgreSQL store (``dialect``), on a connection of its own in
    autocommit mode: every change is one statement, so one transaction."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self._conn = conn
        self._dialect = dialect
        self._lock = threading.Lock()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._dialect != "sqlite":
            sql = sql.replace("?", "%s")
        with self._lock:
            try:
                cur = self._conn.execute(sql, tuple(params))
                rows = cur.fetchall() if cur.description else []
                return [tuple(r) for r in rows]
            except _driver_errors() as exc:
                raise StoreError.of("hook.store_failed", None,
                                    problem=str(exc).strip()) from exc

    def add(self, url: str, *, procedure_id: str = "", event_types: Sequence[str] = (),
            sensitive: bool = False, secret: str | None = None) -> Subscription:
        sub = _new_subscription(url, procedure_id, event_types, sensitive, secret)
        self._run(f"INSERT INTO alur_webhooks ({_SUB_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (sub.id, sub.url, sub.secret, sub.procedure_id,
                   ",".join(sub.event_types) or "*", int(sub.sensitive), sub.created_at))
        return sub

    def subscriptions(self) -> list[Subscription]:
        return [_sub(r) for r in self._run(f"SELECT {_SUB_COLUMNS} FROM alur_webhooks "
                                           "ORDER BY created_at, id")]

    def subscription(self, sub_id: str) -> Subscription | None:
        rows = self._run(f"SELECT {_SUB_COLUMNS} FROM alur_webhooks WHERE id = ?", (sub_id,))
        return _sub(rows[0]) if rows else None

    def remove(self, sub_id: str) -> bool:
        """Delete the subscription and every row it still had (nothing more is sent to it)."""
        gone = self._run("DELETE FROM alur_webhooks WHERE id = ? RETURNING id", (sub_id,))
        self._run("DELETE FROM alur_outbox WHERE subscription_id = ?", (sub_id,))
        return bool(gone)

    def claim(self, worker: str, limit: int, now: float, lease: float) -> list[Delivery]:
        """Up to ``limit`` due rows, each the oldest pending one of its subscription and case,
        claimed by ``worker`` until ``now + lease``."""
        lock = " FOR UPDATE SKIP LOCKED" if self._dialect != "sqlite" else ""
        claimed = self._run(
            f"UPDATE alur_outbox SET claimed_by = ?, claimed_until = ? WHERE id IN ("
            "SELECT o.id FROM alur_outbox o WHERE o.state = 'pending' AND o.next_at <= ? "
            "AND (o.claimed_until IS NULL OR o.claimed_until < ?) "
            f"AND {_HEAD_OF_CASE} ORDER BY o.id LIMIT ?{lock}) RETURNING {_ROW_COLUMNS}",
            (worker, now + lease, now, now, limit))
        subs = {s.id: s for s in self.subscriptions()} if claimed else {}
        rows = sorted((_row(r) for r in claimed), key=lambda r: r.id)
        return [Delivery(r, subs[r.subscription_id]) for r in rows if r.subscription_id in subs]

    def delivered(self, row_id: int, worker: str, now: float) -> bool:
        """Mark a row delivered, unless its claim passed to another worker meanwhile."""
        return bool(self._run(
            "UPDATE alur_outbox SET state = 'delivered', attempts = attempts + 1, done_at = ?, "
            "claimed_by = NULL, claimed_until = NULL, last_error = NULL "
            "WHERE id = ? AND claimed_by = ? AND state = 'pending' RETURNING id",
            (now, row_id, worker)))

    def failed(self, row_id: int, worker: str, error: str, next_at: float,
               dead: bool) -> bool:
        """Count a failed attempt: try again at ``next_at``, or move to the dead letters."""
        return bool(self._run(
            "UPDATE alur_outbox SET state = ?, attempts = attempts + 1, next_at = ?, "
            "last_error = ?, claimed_by = NULL, claimed_until = NULL, done_at = ? "
            "WHERE id = ? AND claimed_by = ? AND state = 'pending' RETURNING id",
            ("dead" if dead else "pending", next_at, error[:200], next_at if dead else None,
             row_id, worker)))

    def rows(self, state: str | None = None, sub_id: str | None = None) -> list[OutboxRow]:
        where, params = [], []
        if state is not None:
            where.append("state = ?")
            params.append(state)
        if sub_id is not None:
            where.append("subscription_id = ?")
            params.append(sub_id)
        sql = f"SELECT {_ROW_COLUMNS} FROM alur_outbox"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_row(r) for r in self._run(sql + " ORDER BY id", params)]

    def retry(self, row_ids: Sequence[int] = (), *, now: float) -> int:
        """Put dead letters (``row_ids``, or all of them) back in the queue, due now, with
        their attempts counted afresh; how many were."""
        sql = ("UPDATE alur_outbox SET state = 'pending', attempts = 0, next_at = ?, "
               "done_at = NULL WHERE state = 'dead'")
        params: list[Any] = [now]
        wanted = [int(i) for i in row_ids if 0 < int(i) <= MAX_ROW_ID]
        if row_ids and not wanted:
            return 0
        if wanted:
            sql += f" AND id IN ({', '.join('?' * len(wanted))})"
            params.extend(wanted)
        return len(self._run(sql + " RETURNING id", params))

    def oldest_pending(self) -> float | None:
        rows = self._run("SELECT min(created_at) FROM alur_outbox WHERE state = 'pending'")
        return float(rows[0][0]) if rows and rows[0][0] is not None else None

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATES, 0)
        for state, count in self._run("SELECT state, count(*) FROM alur_outbox GROUP BY state"):
            found[str(state)] = int(count)
        return found

    def close(self) -> None:
        self._conn.close()


# -- memory ------------------------------------------------------------------------------------

class MemoryOutbox:
    """The outbox of a ``memory://`` store: its rows live in the store, under its lock (the
    append writes them there)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def add(self, url: str, *, procedure_id: str = "", event_types: Sequence[str] = (),
            sensitive: bool = False, secret: str | None = None) -> Subscription:
        sub = _new_subscription(url, procedure_id, event_types, sensitive, secret)
        with self._store._lock:
            self._store._webhooks[sub.id] = sub
        return sub

    def subscriptions(self) -> list[Subscription]:
        with self._store._lock:
            return sorted(self._store._webhooks.values(), key=lambda s: (s.created_at, s.id))

    def subscription(self, sub_id: str) -> Subscription | None:
        return self._store._webhooks.get(sub_id)

    def remove(self, sub_id: str) -> bool:
        with self._store._lock:
            gone = self._store._webhooks.pop(sub_id, None)
            for row_id, row in list(self._store._outbox.items()):
                if row.subscription_id == sub_id:
                    del self._store._outbox[row_id]
        return gone is not None

    def claim(self, worker: str, limit: int, now: float, lease: float) -> list[Delivery]:
        with self._store._lock:
            rows = self._store._outbox
            heads: dict[tuple[str, str], int] = {}
            for row in rows.values():
                if row.state == "pending":
                    key = (row.subscription_id, row.case_id)
                    heads[key] = min(heads.get(key, row.seq), row.seq)
            taken: list[Delivery] = []
            for row_id in sorted(rows):
                row = rows[row_id]
                if len(taken) >= limit:
                    break
                if (row.state != "pending" or row.next_at > now
                        or (row.claimed_until is not None and row.claimed_until >= now)
                        or heads[(row.subscription_id, row.case_id)] != row.seq):
                    continue
                sub = self._store._webhooks.get(row.subscription_id)
                if sub is None:
                    continue
                rows[row_id] = replace(row, claimed_by=worker, claimed_until=now + lease)
                taken.append(Delivery(rows[row_id], sub))
            return taken

    def _finish(self, row_id: int, worker: str, **changes: Any) -> bool:
        with self._store._lock:
            row = self._store._outbox.get(row_id)
            if row is None or row.claimed_by != worker or row.state != "pending":
                return False
            self._store._outbox[row_id] = replace(row, attempts=row.attempts + 1,
                                                  claimed_by=None, claimed_until=None, **changes)
            return True

    def delivered(self, row_id: int, worker: str, now: float) -> bool:
        return self._finish(row_id, worker, state="delivered", done_at=now, last_error=None)

    def failed(self, row_id: int, worker: str, error: str, next_at: float,
               dead: bool) -> bool:
        return self._finish(row_id, worker, state="dead" if dead else "pending",
                            next_at=next_at, last_error=error[:200],
                            done_at=next_at if dead else None)

    def rows(self, state: str | None = None, sub_id: str | None = None) -> list[OutboxRow]:
        with self._store._lock:
            return [r for _, r in sorted(self._store._outbox.items())
                    if (state is None or r.state == state)
                    and (sub_id is None or r.subscription_id == sub_id)]

    def retry(self, row_ids: Sequence[int] = (), *, now: float) -> int:
        wanted = {int(i) for i in row_ids}
        count = 0
        with self._store._lock:
            for row_id, row in self._store._outbox.items():
                if row.state == "dead" and (not wanted or row_id in wanted):
                    self._store._outbox[row_id] = replace(row, state="pending", attempts=0,
                                                          next_at=now, done_at=None)
                    count += 1
        return count

    def oldest_pending(self) -> float | None:
        with self._store._lock:
            pending = [r.created_at for r in self._store._outbox.values()
                       if r.state == "pending"]
        return min(pending) if pending else None

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATES, 0)
        with self._store._lock:
            for row in self._store._outbox.values():
                found[row.state] += 1
        return found

    def close(self) -> None:
        pass


def open_outbox(url: str, store: object | None = None) -> Outbox:
    """The outbox of the store at ``url`` (for ``memory://``, of the MemoryStore ``store``),
    on a connection of its own for the SQL stores. The store must have been opened first (it
    creates the tables)."""
    from engine.store.memory import MemoryStore

    if url == "memory://":
        if not isinstance(store, MemoryStore):
            raise _usage("hook.store_kind", scheme="memory://")
        return MemoryOutbox(store)
    side = side_connection(url)
    if side is not None:
        return SQLOutbox(*side)
    raise _usage("hook.store_kind", scheme=url.partition("://")[0] + "://")
