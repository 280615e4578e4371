"""Listings people and programs page through: ``case list``, ``inbox``, ``due``.

Owns: the listing rows (who is expected at the current step, why a clock is not running, whether
a case was escalated), the cursor of keyset pagination, and walking a store's lazily yielded
snapshots so that memory stays flat in the number of cases. A page is ``limit`` rows after a
cursor; the cursor of the next page is the key of the last row shown (``due key|case id``, in
URL-safe base64 so that it is one opaque word).

Must not: print, or read a whole store into a list.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from engine.cases.events import CaseSnapshot
from engine.casework.deadlines import deadline_role, open_deadlines
from engine.casework.verification import unreadable
from engine.errors import AlurError, UsageError
from engine.messages import text
from engine.store.checks import due_key

if TYPE_CHECKING:
    from engine.api import DueItem, Engine

__all__ = ["Page", "Row", "decode_cursor", "due_rows", "encode_cursor",
           "inbox_rows", "list_rows", "page"]

Key = tuple[str | None, str]


@dataclass(frozen=True, slots=True)
class Row:
    """One listed case: its snapshot columns and what a reader needs to act on it."""

    case_id: str
    number: str | None  # the short case number people use (MED-2026-0042)
    procedure_id: str
    status: str
    step: str | None
    role: str | None  # the role expected at the current step
    user: str | None  # the user assigned to it, when one is recorded as a participant
    due_at: str | None
    clock: str | None  # why the case's clock is not running (None: it runs, or no limit)
    escalated_to: tuple[str, ...]  # roles a breach of this case was escalated to
    key: Key

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "number": self.number,
                "procedure": self.procedure_id, "status": self.status,
                "step": self.step, "role": self.role, "user": self.user, "due_at": self.due_at,
                "clock_waiting_for": self.clock, "escalated_to": list(self.escalated_to)}


@dataclass(frozen=True, slots=True)
class Page:
    """Rows of one page (an iterator: consumed once) and, once they are consumed, the cursor
    of the next page (None: this was the last one)."""

    rows: Iterator[Any]
    _state: dict[str, Any]

    @property
    def next_cursor(self) -> str | None:
        return self._state.get("next")


def encode_cursor(key: Key) -> str:
    raw = json.dumps([key[0], key[1]], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, lang: str) -> Key | None:
    """The key a ``--after`` cursor names; UsageError for anything that is not one."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        due, case_id = json.loads(raw.decode("utf-8"))
        if (due is None or isinstance(due, str)) and isinstance(case_id, str):
            return (due, case_id)
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        pass
    message, hint = text("err.cursor", lang, cursor=cursor[:40])
    raise UsageError(message, hint=hint)


def page(rows: Iterable[Any], limit: int | None) -> Page:
    """At most ``limit`` of ``rows`` (all when None), lazily; one more row is looked at to
    know whether a next page exists."""
    state: dict[str, Any] = {}

    def walk() -> Iterator[Any]:
        source = iter(rows)
        last = None
        for row in islice(source, limit) if limit is not None else source:
            last = row
            yield row
        if limit is None or last is None:
            return
        for row in source:  # a case's rows stay on one page (its key is the cursor)
            if row.key != last.key:
                state["next"] = encode_cursor(last.key)
                return
            yield row

    return Page(walk(), state)


def _key(snap: CaseSnapshot) -> Key:
    return (due_key(snap.due_at), snap.case_id)


def _row(engine: Engine, snap: CaseSnapshot) -> Row:
    state = snap.state
    escalated = tuple(dict.fromkeys(b["escalate_to"] for b in state.get("breaches", ())
                                    if b.get("escalate_to"))) if snap.status not in _CLOSED else ()
    clock = None
    if state.get("clock_started_at") is None and snap.status not in _CLOSED:
        clock = _clock_waiting(engine, snap)
    user = None
    name = (state.get("participants") or {}).get(snap.current_role or "")
    if isinstance(name, str) and snap.current_role:
        from engine.cases.privacy import masked_user

        try:
            shown = masked_user(engine.context(snap.procedure_hash).proc, name,
                                snap.current_role)
        except AlurError:
            shown = None
        user = shown if shown == name else None  # a masked name says nothing to a reader
    return Row(snap.case_id, snap.number, snap.procedure_id, snap.status, snap.current_step,
               snap.current_role, user, snap.due_at, clock, escalated, _key(snap))


_CLOSED = ("completed", "terminated", "referred", "rejected", "withdrawn")


def _clock_waiting(engine: Engine, snap: CaseSnapshot) -> str | None:
    """What the case's time limit waits for before it starts: unmet requirements (documents,
    facts, as the rules count them), or the step after which it starts."""
    from engine.cases.rules import CLOCK, requirement_needs, unmet_requirements
    from engine.cases.state import CaseState
    from engine.procedure.model import ClockStart

    try:
        ctx = engine.context(snap.procedure_hash)
    except AlurError:  # a procedure that no longer loads: the listing still shows the case
        return None
    proc = ctx.proc
    limit = proc.time_limit
    if limit.amount is None:
        return None
    if limit.starts is ClockStart.STEP_COMPLETED:
        return f"step {limit.starts_after_step}"
    if limit.starts is not ClockStart.REQUIREMENTS_MET:
        return None
    unmet = unmet_requirements(proc, CaseState.from_dict(snap.state), CLOCK,
                               gated=ctx.rules.gated)
    return ", ".join(requirement_needs(r) for r in unmet) or None


def list_rows(engine: Engine, *, status: str | None = None, procedure_id: str | None = None,
              after: Key | None = None) -> Iterator[Row]:
    """Every case (filtered), by due date then case id, streamed from the store."""
    for snap in engine.store.iter_cases(status=status, procedure_id=procedure_id, after=after):
        yield _row(engine, snap)


def inbox_rows(engine: Engine, role: str, *, after: Key | None = None) -> Iterator[Row]:
    """Open cases waiting for ``role`` or escalated to it, soonest due first, streamed."""
    for snap in engine.store.iter_cases(open_only=True, after=after):
        if engine.waits_for(snap, role):
            yield _row(engine, snap)


def due_rows(engine: Engine, now: datetime, *, after: Key | None = None,
             include: Callable[[CaseSnapshot], bool] | None = None,
             skipped: list[tuple[str, str]] | None = None) -> Iterator[DueItem]:
    """The open deadlines of every open case (the case's and its current step's), case by
    case in the order of their earliest due date. A case whose snapshot cannot be read (a
    garbage state or due date written behind alur's back) is left out and added to
    ``skipped`` as (case id, why): it does not stop the others. The rows are the façade's
    :class:`~engine.api.DueItem` (one type for one thing), each with its case's cursor key."""
    from engine.api import DueItem

    for snap in engine.store.iter_cases(open_only=True, after=after):
        if snap.due_at is None or (include is not None and not include(snap)):
            continue
        try:
            items = open_deadlines(snap)
            key = _key(snap)
        except (AttributeError, TypeError, ValueError, UsageError) as exc:
            if skipped is not None:
                skipped.append((str(snap.case_id), unreadable(engine.lang, snap.case_id, exc)))
            continue
        for target, due, at in items:
            yield DueItem(snap.case_id, snap.procedure_id, target, due, at < now,
                          deadline_role(snap, target, engine.procedure), number=snap.number,
                          key=key)

