"""The due dates of open cases and the deadline sweep.

:func:`due` previews every open deadline (the case's and its current step's) at any moment,
from the snapshots; :func:`check_deadlines` records a breach once for each passed due date,
deciding each case on its verified state, not on the snapshot's copy of its due dates (a forged
snapshot must not hide a breach). Each case is judged on its own: one that cannot be read or
checked is reported (and, in a sweep, recorded in the audit log) and the others go on.
:func:`open_deadlines` is the one reading of a snapshot's due dates; the paged listing
(:func:`engine.listings.due_rows`) uses it too.

Must not: print, or keep cases (the sweep goes through the façade's ``execute``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from engine.cases.calendar import DEFAULT_TIMEZONE
from engine.cases.commands import CheckDeadlines, Command
from engine.cases.events import AuditRecord, CaseSnapshot
from engine.cases.rules import deadline_step
from engine.cases.runtime import CaseResult, Context
from engine.cases.state import CLOSED, CaseState, running_deadlines
from engine.casework.verification import unreadable
from engine.clock import check_not_future
from engine.errors import (
    AlurError,
    CaseError,
    CaseNotFound,
    CommandRefused,
    ConcurrencyConflict,
    ProcedureNotFound,
    TamperDetected,
)
from engine.store import Store

__all__ = ["DueItem", "Sweeping", "check_deadlines", "deadline_role", "due", "open_deadlines"]

Skipped = list[tuple[str, str]]  # (case id, why) of each case left out


@dataclass(frozen=True, slots=True)
class DueItem:
    """One open deadline of a case (``target`` "case", a step id, ``phase:<id>`` or
    ``repeat:<step>``): :meth:`Engine.due`'s items and the rows of the ``due`` listing
    (:func:`engine.listings.due_rows`, which sets ``key``, the case's keyset cursor)."""

    case_id: str
    procedure_id: str
    target: str
    due_at: str
    breached: bool
    role: str | None
    timezone: str = DEFAULT_TIMEZONE  # the procedure's: due dates are shown in it
    number: str | None = None  # the case's short number (MED-2026-0042)
    key: tuple[str | None, str] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "number": self.number,
                "procedure": self.procedure_id, "target": self.target,
                "due_at": self.due_at, "breached": self.breached, "role": self.role}


class Sweeping(Protocol):
    """What the sweep needs of the façade (:class:`engine.api.Engine` is one)."""

    store: Store
    lang: str
    clock: Callable[[], datetime]
    clock_tolerance: timedelta

    def case(self, case_id: str) -> CaseState: ...

    def context(self, procedure_hash: str) -> Context: ...

    def execute(self, command: Command, *, retries: int = 0) -> CaseResult: ...


def open_deadlines(snap: CaseSnapshot) -> list[tuple[str, str, datetime]]:
    """The running deadlines of the snapshot's state (:func:`running_deadlines`: the case's, the
    current step's, phase limits', recurring obligations') as (target, due date as stored, as a
    moment), soonest first. A state written behind alur's back raises TypeError, ValueError or
    AttributeError (the caller skips that case)."""
    state = snap.state
    found = []
    for target, due_at in running_deadlines(
            state.get("due_at"), state.get("clock_stopped_at"), state.get("current_step"),
            state.get("step_due_at"), state.get("phases"), state.get("obligations")):
        if due_at:
            if type(due_at) is not str or type(target) is not str:
                raise TypeError("a due date that is not text")
            found.append((target, due_at, datetime.fromisoformat(due_at)))
    return sorted(found, key=lambda item: item[2])


def due(store: Store, moment: datetime, procedure_of: Callable[[str], Any], lang: str,
        skipped: Skipped | None = None) -> list[DueItem]:
    """Open deadlines of every open case, breached or not, soonest first.
    ``procedure_of``: the procedure of a stored version (for its time zone)."""
    items: list[DueItem] = []
    for snap in store.iter_cases(open_only=True):  # streamed: only open cases kept
        if snap.status in CLOSED:
            continue
        try:
            found = open_deadlines(snap)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            if skipped is not None:
                skipped.append((str(snap.case_id), unreadable(lang, snap.case_id, exc)))
            continue
        zone = _timezone(snap, procedure_of)
        items.extend(DueItem(snap.case_id, snap.procedure_id, target, due_at, at < moment,
                             deadline_role(snap, target, procedure_of), zone, snap.number)
                     for target, due_at, at in found)
    return sorted(items, key=lambda i: (i.due_at, i.case_id, i.target))


def deadline_role(snap: CaseSnapshot, target: str,
                  procedure_of: Callable[[str], Any]) -> str | None:
    """The role with the work a running deadline is about (:func:`deadline_step`): the case's
    current role for the case's and the step's, the actor of the step that ends a phase limit
    or of a recurring step (whose reports fall due while the case is elsewhere)."""
    if target == "case" or target == snap.current_step:
        return snap.current_role
    try:
        proc = procedure_of(snap.procedure_hash)
        step = deadline_step(proc, target, snap.current_step)
        return str(proc.step(step).actor) if step is not None else snap.current_role
    except (AlurError, KeyError):
        return snap.current_role


def _timezone(snap: CaseSnapshot, procedure_of: Callable[[str], Any]) -> str:
    try:
        return str(procedure_of(snap.procedure_hash).agency.timezone)
    except AlurError:  # a procedure that no longer loads: the listing still shows the case
        return DEFAULT_TIMEZONE


def check_deadlines(engine: Sweeping, moment: datetime, *, user: str = "alur",
                    skipped: Skipped | None = None) -> list[CaseResult]:
    """Record a breach event (with its escalation role) once for each due date passed at
    ``moment``, which may not be later than the clock (plus the tolerance): the breaches would
    be dated in the future. A case that cannot be checked (tampered, unreadable, refused) is
    recorded in the audit log, added to ``skipped`` as (case id, why), and the sweep goes
    on. The results of the cases that recorded a breach."""
    check_not_future(moment, engine.clock, engine.clock_tolerance, engine.lang, what="--now")
    results = []
    for snap in engine.store.iter_cases(open_only=True):  # streamed: memory stays flat
        if snap.status in CLOSED:
            continue
        try:
            result = _check_case(engine, snap.case_id, moment, user)
        except (TamperDetected, CommandRefused, ConcurrencyConflict, ProcedureNotFound,
                CaseNotFound, CaseError) as exc:
            rule = exc.rule if isinstance(exc, CaseError) and exc.rule else exc.code
            _skip(engine.store, snap.case_id, moment, user, rule, exc.message, skipped)
            continue
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            _skip(engine.store, snap.case_id, moment, user, "store.unreadable",
                  unreadable(engine.lang, snap.case_id, exc), skipped)
            continue
        if result is not None and result.events:
            results.append(result)
    return results


def _check_case(engine: Sweeping, case_id: str, moment: datetime,
                user: str) -> CaseResult | None:
    """The deadline check of one case, when its verified state has a due date passed."""
    state = engine.case(case_id)
    # every running deadline, phase limits and recurring reports too (a window breached while
    # no command followed was otherwise never recorded by the sweep or `alur run --now`)
    dues = [d for _target, d in state.running_deadlines() if d]
    if not any(datetime.fromisoformat(d) < moment for d in dues):
        return None
    proc = engine.context(state.procedure_hash).proc
    role = proc.time_limit.escalate_to or proc.roles[0].id
    command = CheckDeadlines(user=user, role=role, at=moment.isoformat(), case_id=case_id)
    return engine.execute(command, retries=3)


def _skip(store: Store, case_id: Any, moment: datetime, user: str, rule: str, message: str,
          skipped: Skipped | None) -> None:
    store.record_audit(AuditRecord(
        at=moment.isoformat(), user=user, role="system", action="deadline_check_skipped",
        case_id=str(case_id), rule=rule, detail={"message": message}))
    if skipped is not None:
        skipped.append((str(case_id), message))
