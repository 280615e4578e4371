"""Retention: anonymise closed cases once the procedure's retention period has passed.

Personal data in events (sensitive facts, participant names, names of sensitive documents) is
stored with a per-value salt and committed to the hash chain as ``sha256(salt + value)``
(:mod:`engine.cases.events`). Anonymising replaces each such value by its commitment and deletes the
salt, so the data is gone for good, nobody can recompute it from the commitment, and every hash
chain still verifies: the chain hashes the redaction, not the deleted content. The content of
sensitive documents is deleted from the store. A ``case_anonymised`` event records it, in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from engine.api import Engine
from engine.cases.events import SALTS, AuditRecord, Event, chain, redact_payload
from engine.cases.state import replay
from engine.cases.vocabulary import CaseAnonymised
from engine.procedure.model import Duration

__all__ = ["Anonymised", "apply_retention", "checkpoint", "due_for_retention", "run_retention"]


@dataclass(frozen=True, slots=True)
class Anonymised:
    case_id: str
    redacted_values: int
    erased_documents: int


def due_for_retention(engine: Engine, now: datetime,
                      procedures: Collection[str] | None = None) -> list[str]:
    """Closed, not yet anonymised cases whose procedure's retention period ended before ``now``
    (only cases of the procedure ids ``procedures``, when given)."""
    due: list[str] = []
    for snap in engine.store.cases():
        if procedures is not None and snap.procedure_id not in procedures:
            continue
        state = snap.state
        if not state.get("closed_at") or state.get("anonymised_at"):
            continue
        proc = engine.context(snap.procedure_hash)
        retention = proc.proc.retention
        if retention is None:
            continue
        closed = datetime.fromisoformat(state["closed_at"])
        if proc.calendar.due(closed, retention.after_closed) < now:
            due.append(snap.case_id)
    return due


def _period(duration: Duration) -> str:
    return f"{duration.amount} {duration.unit.value} after closing"


def apply_retention(engine: Engine, now: datetime, *, user: str = "alur",
                    dry_run: bool = False,
                    procedures: Collection[str] | None = None) -> list[Anonymised]:
    """Anonymise every case :func:`due_for_retention` names; each case in one transaction."""
    done: list[Anonymised] = []
    due = due_for_retention(engine, now, procedures)
    # document contents are stored once per hash: keep those another case still holds
    kept = {e.payload.get("sha256") for e in engine.store.all_events()
            if e.type == "document_attached" and e.case_id not in set(due)}
    for case_id in due:
        state = engine.case(case_id)  # verifies the chain and snapshot first
        ctx = engine.context(state.procedure_hash)
        events = engine.events(case_id)
        redacted: list[Event] = []
        values = 0
        for event in events:
            salts = event.payload.get(SALTS)
            if salts:
                values += len(salts)
                redacted.append(replace(event, payload=redact_payload(event.payload)))
        sensitive_docs = {d.id for d in ctx.proc.documents if d.sensitive}
        blobs = [e.payload["sha256"] for e in events if e.type == "document_attached"
                 and e.payload.get("document") in sensitive_docs and e.payload.get("stored")
                 and e.payload["sha256"] not in kept]
        done.append(Anonymised(case_id, values, len(blobs)))
        if dry_run:
            continue
        retention = ctx.proc.retention
        assert retention is not None
        body = CaseAnonymised(rule=_period(retention.after_closed), redacted=values,
                              erased=sorted(blobs))  # so verify knows they are not "missing"
        marker = Event(case_id, state.version + 1, body.TYPE, body.to_payload(),
                       user, "system", now.isoformat(), state.procedure_hash)
        sealed = chain([marker], state.last_hash)
        by_seq = {e.seq: e for e in redacted}
        new_state = replay([by_seq.get(e.seq, e) for e in events] + sealed)
        engine.forget(case_id)  # the personal data a kept copy holds must not be written back
        engine.store.append(case_id, state.version, sealed,
                            engine.snapshot_of(ctx, new_state), redacted=redacted,
                            drop_blobs=blobs)
    return done


def run_retention(engine: Engine, now: datetime, *, user: str, role: str, dry_run: bool,
                  procedures: Collection[str] | None = None) -> list[Anonymised]:
    """``alur retention apply`` and ``POST /api/v1/retention`` once the caller's ``erase``
    privilege (``role``) and ``now`` are checked: anonymise, record each erasure in the audit
    log, then empty the SQLite WAL (StoreError when another process keeps it)."""
    done = apply_retention(engine, now, user=user, dry_run=dry_run, procedures=procedures)
    if dry_run:
        return done
    at = engine.clock().isoformat()
    for item in done:
        engine.store.record_audit(AuditRecord(
            at=at, user=user, role=role, action="retention:apply", case_id=item.case_id,
            rule="retention", detail={"redacted_values": item.redacted_values,
                                      "erased_documents": item.erased_documents,
                                      "now": now.isoformat()}))
    # also when nothing was due: a run after a failed checkpoint empties the WAL then
    checkpoint(engine)
    return done


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
    from engine.errors import StoreError
    from engine.messages import text

    message, hint = text("err.wal_checkpoint", engine.lang,
                         file=getattr(engine.store, "path", "?"), tries=tries)
    raise StoreError(message, hint=hint)
