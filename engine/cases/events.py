"""Stored facts about cases: frozen events chained by hash, and the records beside them.

An :class:`Event` is what happened to one case, numbered by ``seq`` (1, 2, ...) within the case.
Each event's ``hash`` covers its content and the previous event's hash, so editing, deleting,
inserting or reordering any stored event breaks the chain (:func:`verify_chain`). Nothing here
does I/O; the store persists these values as they are. What is hashed, and how fast, is
:mod:`engine.cases.canonical` (a fenced fast path beside its reference); this module never spells
JSON itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from engine.cases.canonical import (
    GENESIS,
    REDACTED,
    SALTED,
    SALTS,
    USER,
    canonical_bytes,
    canonical_json,
    commitment,
    event_hash,
    plain_json,
    redact_payload,
)

__all__ = ["GENESIS", "REDACTED", "SALTED", "SALTS", "USER", "AuditRecord", "CaseSnapshot",
           "ChainBreak", "Event", "LedgerEntry", "audit_hash", "canonical_bytes", "canonical_json",
           "chain", "commitment", "plain_json", "redact_event", "redact_payload", "seal",
           "verify_chain"]


def redact_event(event: Event) -> Event:
    """``event`` with its personal data erased and the same hash: the payload's salted values
    as :func:`redact_payload` leaves them, and a salted ``user`` replaced by its commitment
    (which the hash covered in its place)."""
    salts = event.payload.get(SALTS)
    if not salts:
        return event
    user = event.user
    salt = salts.get(USER)
    if salt is not None:
        user = commitment(salt, user)
    return dataclasses.replace(event, payload=redact_payload(event.payload), user=user)


@dataclass(frozen=True, slots=True)
class Event:
    case_id: str
    seq: int
    type: str
    payload: dict[str, Any]
    user: str
    role: str
    at: str  # ISO 8601 with offset, e.g. 2026-03-02T09:00:00+07:00
    procedure_hash: str
    prev_hash: str = GENESIS
    hash: str = ""

    def content_hash(self) -> str:
        """The hash this event's fields give; "" when they cannot be hashed at all (a row
        written behind alur's back with a payload that is no JSON object, a seq that is no
        number): such an event matches no hash, so it is reported, not raised."""
        try:
            return event_hash(self.case_id, self.seq, self.type, self.payload, self.user,
                              self.role, self.at, self.procedure_hash, self.prev_hash)
        except (TypeError, ValueError, AttributeError, RecursionError):
            return ""

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "seq": self.seq, "type": self.type,
                "payload": self.payload, "user": self.user, "role": self.role, "at": self.at,
                "procedure_hash": self.procedure_hash, "prev_hash": self.prev_hash,
                "hash": self.hash}


def seal(case_id: str, seq: int, type_: str, payload: dict[str, Any], user: str, role: str,
         at: str, procedure_hash: str, prev_hash: str) -> Event:
    """A new event linked to ``prev_hash``, with its hash (:func:`~engine.cases.canonical.
    event_hash`): the fields of :class:`Event` in its order, the hash left out. Equal to
    ``Event(case_id, ..., prev_hash, hash)``, built faster (:func:`_new_event`)."""
    return _new_event(case_id, seq, type_, payload, user, role, at, procedure_hash, prev_hash,
                      event_hash(case_id, seq, type_, payload, user, role, at, procedure_hash,
                                 prev_hash))


# --- FENCED FAST PATH: building an Event --------------------------------------------------
# The reference is the dataclass's own constructor, ``Event(*fields)``. A frozen dataclass's
# __init__ sets each field through ``object.__setattr__`` by name, which is half the cost of
# building an event (0.75 µs against 0.4 µs), and a command builds two or three; setting the
# slots through their descriptors builds the same value. tests/test_canonical.py holds
# ``seal(...) == Event(...)`` (equality, repr, frozenness) with hypothesis.
(_SET_CASE_ID, _SET_SEQ, _SET_TYPE, _SET_PAYLOAD, _SET_USER, _SET_ROLE, _SET_AT,
 _SET_PROCEDURE_HASH, _SET_PREV_HASH, _SET_HASH) = (getattr(Event, f.name).__set__
                                                    for f in fields(Event))


def _new_event(case_id: str, seq: int, type_: str, payload: dict[str, Any], user: str,
               role: str, at: str, procedure_hash: str, prev_hash: str, hash_: str) -> Event:
    """``Event(case_id, ..., hash_)``, its slots set directly (one call each: a loop over
    them costs what it saves)."""
    event: Event = object.__new__(Event)
    _SET_CASE_ID(event, case_id)
    _SET_SEQ(event, seq)
    _SET_TYPE(event, type_)
    _SET_PAYLOAD(event, payload)
    _SET_USER(event, user)
    _SET_ROLE(event, role)
    _SET_AT(event, at)
    _SET_PROCEDURE_HASH(event, procedure_hash)
    _SET_PREV_HASH(event, prev_hash)
    _SET_HASH(event, hash_)
    return event


def chain(events: Iterable[Event], prev_hash: str) -> list[Event]:
    """Give unsealed events their ``prev_hash`` and ``hash``, continuing from ``prev_hash``."""
    sealed: list[Event] = []
    for e in events:
        sealed.append(seal(e.case_id, e.seq, e.type, e.payload, e.user, e.role, e.at,
                           e.procedure_hash, prev_hash))
        prev_hash = sealed[-1].hash
    return sealed


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where and how a case's stored history fails to verify."""

    case_id: str
    seq: int
    problem: str  # "edited", "missing", "reordered", "inserted", "relinked"

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "seq": self.seq, "problem": self.problem}


def verify_chain(case_id: str, events: Sequence[Event]) -> list[ChainBreak]:
    """Every break in one case's chain, in order. ``events`` are as stored, sorted by ``seq``."""
    breaks: list[ChainBreak] = []
    prev = GENESIS
    expected_seq = 1
    for event in events:
        if type(event.seq) is not int:  # a row alur never wrote: no place in any chain
            breaks.append(ChainBreak(case_id, expected_seq, "edited"))
            expected_seq += 1
            continue
        if event.seq != expected_seq:
            kind = "missing" if event.seq > expected_seq else "inserted"
            breaks.append(ChainBreak(case_id, event.seq, kind))
            expected_seq = event.seq
        if event.content_hash() != event.hash:
            breaks.append(ChainBreak(case_id, event.seq, "edited"))
        elif event.prev_hash != prev:
            breaks.append(ChainBreak(case_id, event.seq, "reordered" if event.seq > 1
                                     else "relinked"))
        prev = event.hash
        expected_seq += 1
    return breaks


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """Current state of one case after ``version`` events, for fast reads and listings.

    ``state`` is the JSON form of :class:`engine.cases.state.CaseState`; the other fields are copies
    of what listings filter and sort on. ``last_hash`` is the hash of event ``version``.
    ``edits`` is kept by the store, not by the fold: how many times the case's stored rows were
    changed other than by an append (a trigger counts them; see :class:`engine.store.Head`). It
    is not part of a snapshot's value, so it is left out of comparisons.
    """

    case_id: str
    procedure_id: str
    procedure_hash: str
    version: int
    status: str
    current_step: str | None
    current_role: str | None
    due_at: str | None
    updated_at: str
    last_hash: str
    state: dict[str, Any] = field(default_factory=dict)
    edits: int = field(default=0, compare=False)
    # the short case number (MED-2026-0042, engine.cases.numbers), unique in the store
    number: str | None = None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """Something that is not a case event but must be kept: a refused command, a reveal of
    sensitive data, an export. ``action`` names what was attempted."""

    at: str
    user: str
    role: str
    action: str
    case_id: str | None
    rule: str | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One row of the store-wide ledger (``alur_ledger``): a case append (``kind="case"``,
    ``ref`` the case id, ``version`` and ``hash`` the case's new head) or an audit record
    (``kind="audit"``, ``ref`` its id in the store, ``hash`` :func:`audit_hash` of it).
    ``seq`` orders the entries; the chain over them is computed by
    :mod:`engine.analysis.audit.ledger`."""

    seq: int
    kind: str
    ref: str
    version: int
    hash: str

    def digest(self) -> str:
        """What the ledger chain covers of this entry (its seq is its place, not its content:
        a gap left by a rolled-back insert changes nothing)."""
        try:
            return hashlib.sha256(canonical_bytes([self.kind, self.ref, self.version,
                                                   self.hash])).hexdigest()
        except (TypeError, ValueError):
            return ""


def audit_hash(record: AuditRecord) -> str:
    """SHA-256 of an audit record's content, as the ledger keeps it ("" when it has none a
    JSON encoder can spell: a row written behind alur's back)."""
    try:
        return hashlib.sha256(canonical_bytes([record.at, record.user, record.role,
                                               record.action, record.case_id, record.rule,
                                               record.detail])).hexdigest()
    except (TypeError, ValueError):
        return ""
