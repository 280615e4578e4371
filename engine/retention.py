"""Retention: anonymise closed cases once the procedure's retention period has passed.

Personal data in events (sensitive facts, participant names, names of sensitive documents, the
ids of people from outside the agency who act themselves) is stored with a per-value salt and
committed to the hash chain as ``sha256(salt + value)`` (:mod:`engine.cases.events`).
Anonymising replaces each such value by its commitment and deletes the salt, so the data is
gone for good, nobody can recompute it from the commitment, and every hash chain still
verifies: the chain hashes the redaction, not the deleted content. The content of sensitive
documents is deleted from the store. A ``case_anonymised`` event records it, in the same
transaction.

Each case is one :class:`~engine.cases.commands.Anonymise` command, decided like every other
(:meth:`engine.cases.rules.Rules.erasure`: the ``erase`` privilege, a moment not later than
the clock, the period over) and appended by the engine's one pass; this module picks the cases
and what they share, and empties the SQLite WAL afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.api import Engine
from engine.cases.commands import Anonymise
from engine.cases.runtime import erasure_plan
from engine.cases.state import CaseState
from engine.errors import StoreError
from engine.messages import text

__all__ = ["Anonymised", "apply_retention", "checkpoint", "due_for_retention"]


@dataclass(frozen=True, slots=True)
class Anonymised:
    case_id: str
    redacted_values: int
    erased_documents: int
    kept_user_ids: int = 0  # outside users' ids sealed in clear (before ids were salted)


def due_for_retention(engine: Engine, now: datetime) -> list[str]:
    """Closed, not yet anonymised cases whose procedure's retention period ended before ``now``
    (the rules' :meth:`~engine.cases.rules.Rules.retention`, on each snapshot's state)."""
    due: list[str] = []
    for snap in engine.store.cases():
        state = snap.state
        if not state.get("closed_at") or state.get("anonymised_at"):
            continue  # most cases: no need to build the state
        ctx = engine.context(snap.procedure_hash)
        if not ctx.rules.retention(CaseState.from_dict(state), ctx.calendar, now):
            due.append(snap.case_id)
    return due


def apply_retention(engine: Engine, now: datetime, *, user: str = "alur", role: str = "-",
                    dry_run: bool = False) -> list[Anonymised]:
    """Anonymise every case :func:`due_for_retention` names, each by one :class:`Anonymise`
    command of ``user`` acting in ``role`` (one holding the roster's ``erase`` privilege)
    at ``now``; a refusal (CommandRefused, recorded) stops the run. ``dry_run``: what it
    would erase, nothing refused or written."""
    done: list[Anonymised] = []
    due = due_for_retention(engine, now)
    # document contents are stored once per hash: keep those another case still holds
    owners = set(due)
    kept = frozenset(str(e.payload.get("sha256")) for e in engine.store.all_events()
                     if e.type == "document_attached" and e.case_id not in owners)
    for case_id in due:
        if dry_run:
            state = engine.case(case_id)  # verified, as the command would be
            plan = erasure_plan(engine.context(state.procedure_hash), engine.events(case_id),
                                kept)
            values, blobs, kept_users = plan.values, len(plan.blobs), plan.kept_users
        else:
            result = engine.execute(Anonymise(user=user, role=role, at=now.isoformat(),
                                              case_id=case_id, kept=kept))
            marker = result.events[-1].payload
            values, blobs = int(marker["redacted"]), len(marker.get("erased") or ())
            kept_users = _kept_users(engine, result.case)
        done.append(Anonymised(case_id, values, blobs, kept_users))
    return done


def _kept_users(engine: Engine, state: CaseState) -> int:
    """Outside users' ids the erasure had to keep (sealed in clear before ids were salted)."""
    return erasure_plan(engine.context(state.procedure_hash),
                        engine.store.events(state.case_id)).kept_users


CHECKPOINT_TRIES, CHECKPOINT_WAIT = 50, 0.1  # up to ~5 s for other readers to let go


def checkpoint(engine: Engine, tries: int | None = None, wait: float | None = None) -> None:
    """After erasure: empty the SQLite WAL, where the erased values still sit until a checkpoint
    copies the pages back and truncates it. Another connection reading keeps it from
    truncating: retried; StoreError when it never succeeds (say so: the values are still on
    disk). PostgreSQL keeps dead row versions until VACUUM (docs/privacy.md)."""
    run = getattr(engine.store, "checkpoint", None)
    tries = CHECKPOINT_TRIES if tries is None else tries
    if run is None or run(tries, CHECKPOINT_WAIT if wait is None else wait):
        return
    message, hint = text("err.wal_checkpoint", engine.lang,
                         file=getattr(engine.store, "path", "?"), tries=tries)
    raise StoreError(message, hint=hint)
