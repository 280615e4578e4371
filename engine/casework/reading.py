"""Who may read one case, which open cases wait for a role; refusals as audit records.

A case of a procedure is read by the roles that act in it — every staff role that performs a
step (teams with their members), the escalation roles — and those its ``access.read`` names;
external parties (the reporter, the victim, the other party) never read case files through
alur. With a roster the reader must hold the role; a refusal is recorded in the audit log, and
so is every reveal of personal data, with who, when and why. The privileges that reach across
cases (bulk reveal, erasure, audit) are :mod:`engine.access`'s. A refused command of any kind
is recorded the same way (:func:`refusal_record`).

Must not: verify or decide (the façade hands in a verified case).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from engine.cases.commands import Command
from engine.cases.events import AuditRecord, CaseSnapshot
from engine.cases.roster import Roster
from engine.errors import AccessDenied, AlurError, CaseError, UsageError
from engine.messages import text
from engine.procedure.model import Procedure, RoleKind
from engine.safe_text import printable

__all__ = ["check_read", "readers", "refusal_record", "waits_for"]


def readers(proc: Procedure) -> set[str]:
    """Roles that may read a case of ``proc``."""
    allowed = set(proc.access.read)
    for step in proc.steps:
        allowed |= proc.acting_roles(step.actor)
        if step.escalate_to:
            allowed.add(step.escalate_to)
    if proc.time_limit.escalate_to:
        allowed.add(proc.time_limit.escalate_to)
    return {r for r in allowed if proc.role(r).kind is not RoleKind.EXTERNAL}


def check_read(proc: Procedure, case_id: str, *, user: str | None, role: str | None,
               reveal_reason: str | None, roster: Roster | None,
               record: Callable[[AuditRecord], None], clock: Callable[[], datetime],
               lang: str) -> None:
    """AccessDenied (recorded with ``record``) when ``role`` may not read a case of ``proc``
    or the roster says ``user`` does not hold it. Without a roster and without a user/role,
    reading is allowed (the caller says so). A reveal of sensitive data needs a reason and
    is recorded."""
    if role is not None:
        role = proc.role_named(role)  # an alias reads as its role, recorded by id
    if user is not None or role is not None or roster is not None:
        allowed = readers(proc)
        problem = None
        if not user or not role:
            problem = "err.read_needs_actor"
        elif role not in allowed:
            problem = "err.read_role"
        elif roster is not None and not roster.holds(user, role):
            problem = "err.read_roster"
        if problem is not None:
            params = {"user": user, "role": role, "procedure": proc.id,
                      "roles": ", ".join(sorted(allowed))}
            record(AuditRecord(  # the audit log keeps English
                at=clock().isoformat(), user=user or "-", role=role or "-",
                action="refused:read", case_id=case_id, rule="access.read",
                detail={"message": text(problem, "en", **params)[0]}))
            message, hint = text(problem, lang, **params)
            raise AccessDenied(message, hint=hint)
    if reveal_reason is not None:
        if not reveal_reason.strip():
            message, hint = text("err.reveal_reason", lang)
            raise UsageError(message, hint=hint)
        record(AuditRecord(
            at=clock().isoformat(), user=user or "-", role=role or "-",
            action="reveal:case", case_id=case_id, rule="privacy.reveal",
            detail={"reason": reveal_reason}))


def waits_for(snapshot: CaseSnapshot, role: str,
              procedure_of: Callable[[str], Procedure]) -> bool:
    """Whether an open case waits for ``role`` (or a team it belongs to): its current step's,
    an open branch of its running plan, or a recurring report; or a breach of it was escalated
    to ``role``. ``procedure_of``: the procedure of a stored version's hash."""
    try:
        proc: Procedure | None = procedure_of(snapshot.procedure_hash)
    except (AlurError, KeyError):
        proc = None
    if proc is not None:
        role = proc.role_named(role)  # an alias of one of its roles: that role
        if snapshot.current_role is not None:
            try:
                actors = [snapshot.current_role, *_open_branches(proc, snapshot)]
                acting = set().union(*(proc.acting_roles(actor) for actor in actors))
            except (AlurError, KeyError):
                acting = set()
            if role in acting:
                return True
        # a recurring step's reports fall due while the case is elsewhere: its actor owes one
        # (none is owed by a step with no period, or once the obligation's time ran out)
        for step_id, obligation in (snapshot.state.get("obligations") or {}).items():
            with contextlib.suppress(KeyError):
                if obligation.get("ended_at") is None and obligation.get("due_at") \
                        and role in proc.acting_roles(proc.step(step_id).actor):
                    return True
    return any(b.get("escalate_to") == role for b in snapshot.state.get("breaches", ()))


def _open_branches(proc: Procedure, snapshot: CaseSnapshot) -> list[str]:
    """The actors of the running plan's branches still open (a plan's services wait for
    them while the step's own actor waits for the join)."""
    running = snapshot.state.get("services") or {}
    step = proc.step(snapshot.current_step or "")
    return [s.actor for s in (step.plan.services if step.plan is not None else ())
            if s.actor is not None and (running.get(s.id) or {}).get("status") == "open"]


def refusal_record(command: Command, case_id: str | None, exc: Exception,
                   clock: Callable[[], datetime]) -> AuditRecord:
    """The audit record of a refused command: who, as which role, what, and the rule."""
    rule = exc.rule if isinstance(exc, CaseError) and exc.rule else type(exc).__name__
    message = exc.audit_message if isinstance(exc, CaseError) and exc.audit_message \
        else str(exc)
    user = command.user
    if rule in ("input.user", "input.case_id"):  # recorded as it can be stored and read
        user = printable(user)
        case_id = printable(case_id) if case_id is not None else None
    return AuditRecord(
        at=clock().isoformat(), user=user, role=command.role,
        action=f"refused:{type(command).__name__}", case_id=case_id, rule=rule,
        detail={"message": message, "at": command.at,
                "procedure": getattr(command, "procedure", None)})
