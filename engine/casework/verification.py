"""A stored case checked before anything is decided on it, and the whole store's check.

A case is verified when its events form an unbroken hash chain (:func:`engine.cases.events.
verify_chain`), their fold gives exactly the stored snapshot (listings, inboxes and deadline
sweeps read its columns, so a forged status must not pass), and the store-wide ledger's last
entry for the case names one of its events (a case cut short after the ledger recorded it, its
snapshot rewritten to match, is not one alur wrote). Anything else is :class:`~engine.errors.
TamperDetected`, never a traceback: rows the fold cannot read are judged as tampering too.

:func:`verify_store` is ``alur audit verify``: it reports instead of raising, judging each case
on its own, and adds what the ledger, the audit log, the procedure texts and the documents show
(:mod:`engine.analysis.audit.ledger`).

Must not: decide or append.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.analysis.audit import ledger as ledgers
from engine.cases.events import CaseSnapshot, ChainBreak, Event, verify_chain
from engine.cases.state import CaseState, replay
from engine.casework.numbering import numbered
from engine.errors import CaseNotFound, ProcedureNotFound, TamperDetected
from engine.messages import text
from engine.store import Store

__all__ = ["snapshot_matches", "unreadable", "verified_events", "verified_state",
           "verify_store"]

# the snapshot a verified state must have been stored with (:func:`engine.cases.runtime.
# snapshot_of` of its procedure's context)
SnapshotOf = Callable[[CaseState], CaseSnapshot]


def verified_events(case_id: str, events: list[Event], lang: str, store_url: str) -> list[Event]:
    """``events`` when they are a case's unbroken chain; CaseNotFound when there are none."""
    if not events:
        message, hint = text("err.case_not_found", lang, case=case_id, store=store_url)
        raise CaseNotFound(message, hint=hint)
    breaks = verify_chain(case_id, events)
    if breaks:
        message, hint = text("err.tamper_chain", lang, case=case_id,
                             parts=_describe(breaks, lang))
        raise TamperDetected(message, hint=hint)
    return events


def verified_state(case_id: str, events: list[Event], snapshot: CaseSnapshot | None,
                   snapshot_of: SnapshotOf, lang: str, store_url: str,
                   ledger_head: str | None = None) -> CaseState:
    """The fold of a case's verified events, checked against its stored snapshot and, given
    ``ledger_head`` (the hash of the ledger's last entry for the case, read before the events;
    None: not known), against the ledger: that entry must be one of these events, since the
    events read later can only be ahead of it."""
    verified = verified_events(case_id, events, lang, store_url)
    try:
        state = numbered(replay(verified), snapshot)
        matches = snapshot_matches(snapshot, state, snapshot_of)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # sealed events the fold cannot read, or a snapshot row of the wrong shape: rows alur
        # never wrote. Judged as tampering, not a traceback (issue #15)
        message, hint = text("err.tamper_unreadable", lang, case=case_id,
                             problem=type(exc).__name__)
        raise TamperDetected(message, hint=hint) from None
    if not matches:
        message, hint = text("err.tamper_snapshot", lang, case=case_id)
        raise TamperDetected(message, hint=hint)
    if ledger_head is not None and not any(e.hash == ledger_head for e in reversed(verified)):
        # chain and snapshot agree, but the ledger recorded a head these events do not reach
        # (cut short, the snapshot rewritten to match), another one (rewritten), or nothing at
        # all (written behind alur's back). Most often it is the last event: looked at first
        message, hint = text("err.tamper_ledger", lang, case=case_id)
        raise TamperDetected(message, hint=hint)
    return state


def snapshot_matches(snapshot: CaseSnapshot | None, state: CaseState,
                     snapshot_of: SnapshotOf) -> bool:
    """Every column of the stored snapshot is what the fold of the events gives."""
    return snapshot is not None and snapshot == snapshot_of(state)


def verify_store(store: Store, snapshot_of: SnapshotOf,
                 case_id: str | None = None) -> list[ChainBreak | dict[str, Any]]:
    """Every chain break (and snapshot mismatch) in the store, or in one case; for the whole
    store also what the ledger, the audit log, the procedure texts and the documents show.
    Each case is judged on its own: one whose rows cannot be read is reported and the others
    are still checked."""
    problems: list[ChainBreak | dict[str, Any]] = []
    entries = store.ledger()  # first: a case appended meanwhile is ahead of it
    by_case = ledgers.case_entries(entries)
    ids = [case_id] if case_id else _all_case_ids(store)
    referenced: dict[str, str] = {}
    erased: set[str] = set()
    found: list[ledgers.LedgerProblem] = []
    for cid in ids:
        events, snap = store.read_case(cid)
        if not events:
            found.extend(ledgers.case_problems(cid, events, by_case.get(cid, [])))
            problems.append({"case_id": cid, "seq": 0, "problem": "no events"})
            continue
        stored, gone, unlisted = ledgers.referenced_blobs(events)
        for sha in stored:
            referenced.setdefault(sha, cid)
        erased |= gone | (stored if unlisted else set())
        breaks = verify_chain(cid, events)
        problems.extend(breaks)
        if not breaks:  # a chain that verifies may still be cut short: the ledger knows
            found.extend(ledgers.case_problems(cid, events, by_case.get(cid, [])))
            try:
                state = numbered(replay(events), snap)
                matches = snapshot_matches(snap, state, snapshot_of)
            except (ProcedureNotFound, TamperDetected):
                problems.append({"case_id": cid, "seq": 1, "problem": "procedure"})
                continue
            except (KeyError, TypeError, ValueError, AttributeError):
                problems.append({"case_id": cid, "seq": 0, "problem": "unreadable"})
                continue
            if not matches:
                problems.append({"case_id": cid, "seq": state.version, "problem": "snapshot"})
    if case_id is None:
        found.extend(ledgers.vanished_cases(by_case, ids))
        found.extend(ledgers.audit_problems(entries, store.audit_records()))
        found.extend(ledgers.procedure_problems(store.procedures()))
        found.extend(ledgers.blob_problems(store.blob_hashes(), store.blob, referenced, erased))
    problems.extend({"case_id": p.subject, "seq": p.seq, "problem": p.kind,
                     "detail": p.detail} for p in found)
    return problems


def unreadable(lang: str, case_id: object, exc: Exception) -> str:
    """What is said of a case whose rows could not be read (``exc``: what reading raised)."""
    return text("err.tamper_unreadable", lang, case=case_id, problem=type(exc).__name__)[0]


def _all_case_ids(store: Store) -> list[str]:
    ids = {s.case_id for s in store.cases()}
    ids |= {e.case_id for e in store.all_events()}
    return sorted(ids)


def _describe(breaks: list[ChainBreak], lang: str) -> str:
    event = text("cli.audit.event", lang)[0]
    return ", ".join(f"{event} {b.seq} {b.problem}" for b in breaks[:5])
