"""Stored facts about cases: frozen events chained by hash, and the records beside them.

An :class:`Event` is what happened to one case, numbered by ``seq`` (1, 2, ...) within the case.
Each event's ``hash`` covers its content and the previous event's hash, so editing, deleting,
inserting or reordering any stored event breaks the chain (:func:`verify_chain`). Nothing here
does I/O; the store persists these values as they are.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

__all__ = ["GENESIS", "REDACTED", "SALTED", "SALTS", "USER", "AuditRecord", "CaseSnapshot",
           "ChainBreak", "Event", "LedgerEntry", "audit_hash", "canonical_bytes", "canonical_json",
           "chain", "commitment", "plain_json", "redact_event", "redact_payload", "seal",
           "verify_chain"]

GENESIS = "0" * 64
SALTS = "$salts"
SALTED = "$salted"  # the salted paths, sealed with the payload (hashed like any other key)
REDACTED = "$redacted"
# the salted path that names the event's ``user`` field, not a payload value: the id of someone
# from outside the agency acting under their own name (a reporter) is personal data too
USER = "$user"
_SORT_KEYS = orjson.OPT_SORT_KEYS
_SHA256 = hashlib.sha256


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """One spelling per value (sorted keys, no spaces, UTF-8 kept): what hashes are taken of.
    The encoder is built once: ``json.dumps`` with options builds a new one on every call."""
    return _CANONICAL.encode(value)


_DEEPEST = 1_000  # levels past which no JSON encoder here recurses (Python's recursion limit)


def plain_json(value: Any, max_depth: int | None = None) -> bool:
    """Whether ``value`` holds only dicts, lists (or tuples), str, int, bool and None, with no
    item deeper than ``max_depth`` levels (None: any depth). Such a value is one orjson spells
    exactly as :func:`canonical_json` does (and refuses, so the json path decides, non-text
    keys and integers beyond 64 bits); orjson writes some floats differently (``1.5e-7`` for
    ``1.5e-07``, ``null`` for NaN) and accepts types the json module rejects. Walked level by
    level with text tested first: it runs for every event hashed and every row stored."""
    kind = type(value)
    if kind is not dict and kind is not list and kind is not tuple:
        return kind is str or kind is int or kind is bool or value is None
    level: list[Any] = [value]
    depth = 0
    while level:
        if max_depth is not None and depth >= max_depth:  # items here lie deeper than allowed
            return not any(level)
        if depth >= _DEEPEST:  # a cycle, or deeper than the json module writes: it decides
            return False
        deeper: list[Any] = []
        push = deeper.append
        for node in level:
            for child in node.values() if type(node) is dict else node:
                kind = type(child)
                if kind is str or child is None or kind is int or kind is bool:
                    continue
                if kind is dict or kind is list or kind is tuple:
                    push(child)
                else:
                    return False
        level = deeper
        depth += 1
    return True


def canonical_bytes(value: Any) -> bytes:
    """:func:`canonical_json` as UTF-8 bytes, from orjson when that gives the same bytes (a
    property test holds this): hashing events is most of a command's cost, and orjson takes a
    fifth of the time of the json module. Text that is not valid UTF-8 (a lone surrogate) fails
    here as it fails in ``str.encode``."""
    if plain_json(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # a lone surrogate, a non-text key, a huge integer: the json path decides
    return canonical_json(value).encode("utf-8")


def commitment(salt: str, value: Any) -> str:
    """What the chain covers for a personal-data value: a salted hash of it. Deleting the value
    *and* its salt leaves a commitment nobody can reverse, and the chain still verifies."""
    return _salted_hash(salt, canonical_bytes(value))


def _salted_hash(salt: str, spelled: bytes) -> str:
    """The commitment to a value already spelled as canonical JSON bytes."""
    return hashlib.sha256(salt.encode("utf-8") + spelled).hexdigest()


def _get(body: dict[str, Any], path: str) -> tuple[dict[str, Any], str] | None:
    *parents, leaf = path.split(".")
    node: Any = body
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    return (node, leaf) if isinstance(node, dict) and leaf in node else None


_REDACTED_TEXT = orjson.dumps(REDACTED)  # the key of a redacted value, as encoded JSON holds it


def _hashed_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as hashed: each salted (personal-data) value replaced by its commitment,
    each redacted value by the commitment it keeps, the salts themselves left out."""
    salts = payload.get(SALTS)
    if salts is None:
        return payload
    body: dict[str, Any] = json.loads(canonical_json({k: v for k, v in payload.items()
                                                       if k != SALTS}))
    for path, salt in salts.items():
        found = None if path == USER else _get(body, path)
        if found is not None:
            node, leaf = found
            node[leaf] = commitment(salt, node[leaf])
    # a redacted value counts as its commitment only where a value was salted when the event
    # was sealed: the paths are in the payload's "$salted", which the hash covers. Anywhere
    # else a {"$redacted": v} is hashed as it stands, so wrapping a value breaks the chain.
    for path in _salted_paths(body):
        if path in salts and salts[path] is not None:
            continue  # still salted: replaced by its commitment above
        found = _get(body, path)
        if found is not None:
            node, leaf = found
            value = node[leaf]
            if isinstance(value, dict) and set(value) == {REDACTED}:
                node[leaf] = value[REDACTED]
    return body


def _salted_paths(body: dict[str, Any]) -> list[str]:
    """The paths sealed as salted (``"$salted"``): text only, anything else counts as none.
    An event sealed before ``"$salted"`` existed (schema 2) names none; for those, redaction
    may only have put a commitment (64 hex digits) where the runtime salted values: a
    participant's or document's ``name``, a fact's ``value``, an opening's ``facts.*``."""
    paths = body.get(SALTED)
    if type(paths) is list:
        return [path for path in paths if type(path) is str]
    if SALTED in body:
        return []
    legacy = [p for p in ("name", "value") if _is_commitment(body.get(p))]
    facts = body.get("facts")
    if type(facts) is dict:
        legacy += [f"facts.{k}" for k, v in facts.items()
                   if type(k) is str and "." not in k and _is_commitment(v)]
    return legacy


def _is_commitment(value: Any) -> bool:
    """Whether ``value`` is ``{"$redacted": <64 lower-case hex digits>}``."""
    if type(value) is not dict or len(value) != 1 or REDACTED not in value:
        return False
    inner = value[REDACTED]
    return type(inner) is str and len(inner) == 64 and all(c in "0123456789abcdef"
                                                             for c in inner)


def redact_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with every salted value replaced by ``{"$redacted": commitment}`` and its salt
    deleted: the personal data is gone, the event's hash is unchanged. (A salted ``user`` is
    the event's, not the payload's: :func:`redact_event`.)"""
    salts = payload.get(SALTS)
    if not salts:
        return payload
    body: dict[str, Any] = json.loads(canonical_json(payload))
    for path, salt in salts.items():
        found = None if path == USER else _get(body, path)
        if found is not None:
            node, leaf = found
            node[leaf] = {REDACTED: commitment(salt, node[leaf])}
    body[SALTS] = {}
    return body


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
            return _content_hash(self.case_id, self.seq, self.type, self.payload, self.user,
                                 self.role, self.at, self.procedure_hash, self.prev_hash)
        except (TypeError, ValueError, AttributeError, RecursionError):
            return ""

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "seq": self.seq, "type": self.type,
                "payload": self.payload, "user": self.user, "role": self.role, "at": self.at,
                "procedure_hash": self.procedure_hash, "prev_hash": self.prev_hash,
                "hash": self.hash}


def _content_hash(case_id: str, seq: int, type_: str, payload: dict[str, Any], user: str,
                  role: str, at: str, procedure_hash: str, prev_hash: str,
                  plain: bool = False, typed: bool = False) -> str:
    """SHA-256 of the canonical JSON of an event's fields and the previous event's hash.
    ``plain`` and ``typed``: what the caller knows already (see :func:`seal`)."""
    salts = payload.get(SALTS) if type(payload) is dict else None
    if type(salts) is dict and USER in salts:  # an outside person's id: its commitment
        user = commitment(salts[USER], user)
    committed = None
    if type(salts) is dict and (plain or plain_json(payload)):
        # personal data: what _hashed_payload gives, made faster; the commitments are text,
        # so the result is plain as the payload was
        committed = _committed(payload, salts)
    if committed is not None:
        hashed, plain = committed, True
    elif salts is None and type(payload) is dict:
        hashed = payload
    else:
        hashed = _hashed_payload(payload)
    fields = [case_id, seq, type_, hashed, user, role, at, procedure_hash, prev_hash]
    # canonical_bytes(fields), with the walk limited to the payload: the other fields are
    # checked by type here, which is a measurable part of a command (this runs for every event)
    if (plain or plain_json(hashed)) and (typed or (
            type(seq) is int and type(case_id) is str and type(type_) is str
            and type(user) is str and type(role) is str and type(at) is str
            and type(procedure_hash) is str and type(prev_hash) is str)):
        try:
            data = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # a lone surrogate, a non-text key: the json path decides
        else:
            if hashed is payload or _REDACTED_TEXT not in data:
                return hashlib.sha256(data).hexdigest()
    if hashed is not payload:  # a redacted value, or a value only the json module spells
        fields[3] = _hashed_payload(payload)
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


def _committed(payload: dict[str, Any], salts: dict[str, Any]) -> dict[str, Any] | None:
    """The payload without its salts, each salted value replaced by its commitment: copied
    along the salted paths only, where :func:`_hashed_payload` copies it all (through JSON)
    to walk it for redacted values too. For a plain payload (:func:`plain_json`) equal to that
    when the result holds no ``"$redacted"`` and orjson can spell it: :func:`_content_hash`
    checks both, and a property test compares the hashes. None when a salted value is one
    orjson does not spell as the json module's copy would (a non-text key, an integer beyond
    64 bits, a lone surrogate) or a salt or its path is not text: the reference path decides."""
    body = {k: v for k, v in payload.items() if k != SALTS}
    copies = {id(body)}  # the dicts copied here (the others are the event's own)
    for path, salt in salts.items():
        if type(path) is not str:
            return None  # the reference path refuses it as it always did
        if path == USER:
            continue  # the event's user, not a payload value: _content_hash commits to it
        node: dict[str, Any] = body
        leaf, found = path, True
        if "." in path:  # most salted values lie at the top (a name): no walk for those
            *parents, leaf = path.split(".")
            for part in parents:
                child = node.get(part)
                if type(child) is not dict:
                    found = False
                    break
                if id(child) not in copies:  # copied once, however many paths go through it
                    node[part] = child = dict(child)
                    copies.add(id(child))
                node = child
        if found and leaf in node:
            if type(salt) is not str:
                return None
            try:  # commitment(), spelled as the JSON copy would be
                node[leaf] = _salted_hash(salt, orjson.dumps(node[leaf], option=_SORT_KEYS))
            except (orjson.JSONEncodeError, UnicodeEncodeError):
                return None
    return body


# The slots of Event, set directly: a frozen dataclass's __init__ goes through
# object.__setattr__ by field name, which is half of the cost of building an event (measured:
# 1.05 µs against 0.58 µs), and a command builds two or three.
_NEW_EVENT = object.__new__
(_SET_CASE_ID, _SET_SEQ, _SET_TYPE, _SET_PAYLOAD, _SET_USER, _SET_ROLE, _SET_AT,
 _SET_PROCEDURE_HASH, _SET_PREV_HASH, _SET_HASH) = (
    getattr(Event, name).__set__ for name in ("case_id", "seq", "type", "payload", "user", "role",
                                              "at", "procedure_hash", "prev_hash", "hash"))


def seal(case_id: str, seq: int, type_: str, payload: dict[str, Any], user: str, role: str,
         at: str, procedure_hash: str, prev_hash: str, *, plain: bool = False,
         typed: bool = False) -> Event:
    """A new event linked to ``prev_hash``, built once with its hash. Equal to
    ``Event(case_id, ..., prev_hash, hash)`` (a test holds this), built faster.

    What the caller has checked already, so the hash skips checking it again (a wrong word
    gives a hash that :func:`verify_chain` later refuses): ``plain=True``, that ``payload``
    holds only dicts, lists, str, int, bool and None (:func:`plain_json`) — for payloads the
    runtime builds from the procedure and the calendar alone; ``typed=True``, that ``seq`` is
    an int and every other field a str (exactly: not a subclass)."""
    return sealed(case_id, seq, type_, payload, user, role, at, procedure_hash, prev_hash,
                  plain, typed)


def sealed(case_id: str, seq: int, type_: str, payload: dict[str, Any], user: str, role: str,
           at: str, procedure_hash: str, prev_hash: str, plain: bool, typed: bool) -> Event:
    """:func:`seal` with every argument by position, for the runtime, which seals two or three
    events a command: keyword arguments and the call into :func:`_content_hash` were a tenth
    of sealing a plain event, whose hash is taken here directly."""
    event: Event = _NEW_EVENT(Event)
    _SET_CASE_ID(event, case_id)
    _SET_SEQ(event, seq)
    _SET_TYPE(event, type_)
    _SET_PAYLOAD(event, payload)
    _SET_USER(event, user)
    _SET_ROLE(event, role)
    _SET_AT(event, at)
    _SET_PROCEDURE_HASH(event, procedure_hash)
    _SET_PREV_HASH(event, prev_hash)
    if plain and typed and type(payload) is dict and SALTS not in payload:
        # what _content_hash does for such an event, without its checks
        try:
            _SET_HASH(event, _SHA256(orjson.dumps(
                [case_id, seq, type_, payload, user, role, at, procedure_hash, prev_hash],
                option=_SORT_KEYS)).hexdigest())
            return event
        except orjson.JSONEncodeError:
            pass  # a lone surrogate in a note, say: the json path decides
    _SET_HASH(event, _content_hash(case_id, seq, type_, payload, user, role, at, procedure_hash,
                                   prev_hash, plain, typed))
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
