"""The canonical byte format of the hash chain, and the hashes taken of it (FENCED FAST PATH).

What is hashed is specified in docs/hash-chain.md. This module holds it twice, side by side:

- the **reference**: :func:`reference_bytes` (the json module's spelling),
  :func:`hashed_payload` (the payload as hashed, copied through JSON) and
  :func:`reference_event_hash`. Plain and slow; read these to know the format.
- the **fast path**: :func:`canonical_bytes` and :func:`event_hash`, which the rest of alur
  calls. Hashing events is most of a command's cost, and orjson spells a value in a fifth of
  the json module's time; orjson is used only for values it spells exactly as the reference
  does (:func:`plain_json`: no floats, no types but dict, list, tuple, str, int, bool, None),
  and anything it refuses (a lone surrogate, a non-text key, an integer past 64 bits) goes
  to the reference. Personal values are committed along their salted paths only
  (:func:`_committed`) instead of copying the whole payload through JSON.

``tests/test_canonical.py`` holds the two equal with hypothesis (same bytes, same hash, same
refusal), and ``tests/test_hash_chain_doc.py`` holds both to the doc's test vectors. Nothing
else in alur may spell canonical JSON: a second spelling is a second format.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson

__all__ = ["GENESIS", "REDACTED", "SALTED", "SALTS", "USER", "canonical_bytes", "canonical_json",
           "commitment", "event_hash", "hashed_payload", "plain_json", "redact_payload",
           "reference_bytes", "reference_event_hash"]

GENESIS = "0" * 64
SALTS = "$salts"
SALTED = "$salted"  # the salted paths, sealed with the payload (hashed like any other key)
REDACTED = "$redacted"
# the salted path that names the event's ``user`` field, not a payload value: the id of someone
# from outside the agency acting under their own name (a reporter) is personal data too
USER = "$user"

# --- the reference ------------------------------------------------------------------------

# built once: ``json.dumps`` with options builds a new encoder on every call
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """One spelling per value (sorted keys, no spaces, UTF-8 kept): the reference text."""
    return _CANONICAL.encode(value)


def reference_bytes(value: Any) -> bytes:
    """The canonical bytes of ``value`` as docs/hash-chain.md specifies them."""
    return canonical_json(value).encode("utf-8")


def commitment(salt: str, value: Any) -> str:
    """What the chain covers for a personal-data value: a salted hash of it. Deleting the value
    *and* its salt leaves a commitment nobody can reverse, and the chain still verifies."""
    return _salted_hash(salt, canonical_bytes(value))


def _salted_hash(salt: str, spelled: bytes) -> str:
    """The commitment to a value already spelled as canonical bytes."""
    return hashlib.sha256(salt.encode("utf-8") + spelled).hexdigest()


def _get(body: dict[str, Any], path: str) -> tuple[dict[str, Any], str] | None:
    *parents, leaf = path.split(".")
    node: Any = body
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    return (node, leaf) if isinstance(node, dict) and leaf in node else None


def hashed_payload(payload: dict[str, Any]) -> dict[str, Any]:
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
    the event's, not the payload's: :func:`engine.cases.events.redact_event`.)"""
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


def reference_event_hash(case_id: str, seq: int, type_: str, payload: dict[str, Any],
                         user: str, role: str, at: str, procedure_hash: str,
                         prev_hash: str) -> str:
    """SHA-256 of the canonical bytes of an event's fields (the payload as hashed; a salted
    ``user`` as its commitment) and the previous event's hash: docs/hash-chain.md, section 2."""
    salts = payload.get(SALTS) if isinstance(payload, dict) else None
    if isinstance(salts, dict) and USER in salts:  # an outside person's id: its commitment
        user = commitment(salts[USER], user)
    return hashlib.sha256(reference_bytes([case_id, seq, type_, hashed_payload(payload), user,
                                           role, at, procedure_hash, prev_hash])).hexdigest()


# --- the fast path ------------------------------------------------------------------------

_SORT_KEYS = orjson.OPT_SORT_KEYS
_SHA256 = hashlib.sha256
_DEEPEST = 1_000  # levels past which no JSON encoder here recurses (Python's recursion limit)


def plain_json(value: Any, max_depth: int | None = None) -> bool:
    """Whether ``value`` holds only dicts, lists (or tuples), str, int, bool and None, with no
    item deeper than ``max_depth`` levels (None: any depth). Such a value is one orjson spells
    exactly as :func:`canonical_json` does (and refuses, so the reference decides, non-text
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
    """:func:`reference_bytes`, from orjson when that gives the same bytes. Text that is not
    valid UTF-8 (a lone surrogate) fails here as it fails in ``str.encode``."""
    if plain_json(value):
        try:
            return orjson.dumps(value, option=_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass  # a lone surrogate, a non-text key, a huge integer: the reference decides
    return reference_bytes(value)


_REDACTED_TEXT = orjson.dumps(REDACTED)  # the key of a redacted value, as encoded JSON holds it


def event_hash(case_id: str, seq: int, type_: str, payload: dict[str, Any], user: str,
               role: str, at: str, procedure_hash: str, prev_hash: str) -> str:
    """:func:`reference_event_hash`, faster: the fields' types checked here (the payload is the
    only one walked), orjson for the bytes, personal values committed along their paths."""
    if type(seq) is int and type(case_id) is str and type(type_) is str \
            and type(user) is str and type(role) is str and type(at) is str \
            and type(procedure_hash) is str and type(prev_hash) is str \
            and type(payload) is dict:
        salts = payload.get(SALTS)
        hashed: dict[str, Any] | None = None
        hashed_user = user  # the user as hashed: an outside person's id as its commitment
        if salts is None:
            hashed = payload
            # plain_json(payload), without its walk for what most payloads are: scalars and
            # lists of text (the ids a step produces) at the top
            for value in payload.values():
                kind = type(value)
                if kind is str or value is None or kind is int or kind is bool:
                    continue
                if kind is list:
                    for item in value:
                        if type(item) is not str:
                            break
                    else:
                        continue
                if not plain_json(payload):
                    hashed = None
                break
        elif type(salts) is dict and plain_json(payload):
            hashed = _committed(payload, salts)  # its commitments are text: still plain
            if USER in salts:  # an outside person's id: its commitment, as in the reference
                user_salt = salts[USER]
                try:
                    hashed_user = _salted_hash(user_salt, orjson.dumps(user)) \
                        if type(user_salt) is str else user
                except orjson.JSONEncodeError:  # a lone surrogate: the reference decides
                    user_salt = None
                if type(user_salt) is not str:
                    hashed = None
        if hashed is not None:
            try:
                data = orjson.dumps([case_id, seq, type_, hashed, hashed_user, role, at,
                                     procedure_hash, prev_hash], option=_SORT_KEYS)
            except orjson.JSONEncodeError:
                pass  # a lone surrogate, a non-text key: the reference decides
            else:
                # a redacted value inside a salted payload: only the reference's walk of
                # "$salted" knows whether it counts as its commitment
                if hashed is payload or _REDACTED_TEXT not in data:
                    return _SHA256(data).hexdigest()
    return reference_event_hash(case_id, seq, type_, payload, user, role, at, procedure_hash,
                                prev_hash)


def _committed(payload: dict[str, Any], salts: dict[str, Any]) -> dict[str, Any] | None:
    """The payload without its salts, each salted value replaced by its commitment: copied
    along the salted paths only, where :func:`hashed_payload` copies it all (through JSON)
    to walk it for redacted values too. For a plain payload (:func:`plain_json`) equal to that
    when the result holds no ``"$redacted"`` and orjson can spell it: :func:`event_hash`
    checks both. None when a salted value is one orjson does not spell as the json module's
    copy would (a non-text key, an integer beyond 64 bits, a lone surrogate) or a salt or its
    path is not text: the reference decides."""
    body = {k: v for k, v in payload.items() if k != SALTS}
    copies = {id(body)}  # the dicts copied here (the others are the event's own)
    for path, salt in salts.items():
        if type(path) is not str:
            return None  # the reference refuses it
        if path == USER:
            continue  # the event's user, not a payload value: event_hash commits to it
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
