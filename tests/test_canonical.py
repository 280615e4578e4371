"""The fast spelling of canonical JSON (orjson) gives exactly the bytes of the reference spelling
(the json module): a stored chain written by either verifies with the other."""

from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from engine.cases.events import (
    GENESIS,
    REDACTED,
    SALTED,
    SALTS,
    USER,
    Event,
    canonical_bytes,
    canonical_json,
    chain,
    commitment,
    plain_json,
    redact_event,
    redact_payload,
    seal,
    verify_chain,
)

# text as it reaches the store: any code point but lone surrogates (tested on their own below)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
SCALARS = st.none() | st.booleans() | st.integers(-(2**80), 2**80) | TEXT
FLOATS = st.floats(allow_nan=True, allow_infinity=True)


def json_values(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20)


def reference(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


@given(json_values(SCALARS))
def test_the_fast_spelling_is_the_reference_spelling(value: Any) -> None:
    assert canonical_bytes(value) == reference(value)
    assert canonical_json(value).encode("utf-8") == reference(value)


@given(json_values(SCALARS | FLOATS))
def test_floats_keep_the_reference_spelling(value: Any) -> None:
    # orjson writes 1.5e-7 where json writes 1.5e-07, and null for NaN: floats take the json path
    assert canonical_bytes(value) == reference(value)


def test_a_float_orjson_would_spell_differently() -> None:
    assert canonical_bytes({"x": 1.5e-7}) == b'{"x":1.5e-07}'
    assert canonical_bytes([float("nan")]) == b"[NaN]"


@pytest.mark.parametrize("value", [{1: "a", "b": 2}, {"n": 2**70}, [2**64]])
def test_what_orjson_refuses_gets_the_reference_answer(value: Any) -> None:
    try:
        expected: bytes | type[Exception] = reference(value)
    except TypeError:
        expected = TypeError
    if expected is TypeError:
        with pytest.raises(TypeError):
            canonical_bytes(value)
    else:
        assert canonical_bytes(value) == expected


def test_a_lone_surrogate_is_refused_as_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        canonical_bytes({"name": "\ud800"})


def reference_hash(event: Event, prev_hash: str) -> str:
    """The hash as version 0.1 computed it: sha256 of the json module's spelling."""
    body = canonical_json([event.case_id, event.seq, event.type, event.payload, event.user,
                           event.role, event.at, event.procedure_hash, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


PAYLOADS = st.dictionaries(TEXT.filter(lambda k: k != SALTS), json_values(SCALARS | FLOATS),
                           max_size=5)


@given(st.lists(PAYLOADS, min_size=1, max_size=5))
def test_sealed_events_hash_as_the_reference_and_verify(payloads: list[dict[str, Any]]) -> None:
    unsealed = [Event("c1", seq, "fact_set", payload, "u", "staff", "2026-03-02T09:00:00+07:00",
                      "p" * 64) for seq, payload in enumerate(payloads, start=1)]
    sealed = chain(unsealed, GENESIS)
    prev = GENESIS
    for event in sealed:
        assert event.prev_hash == prev
        assert event.hash == reference_hash(event, prev) == event.content_hash()
        prev = event.hash
    assert verify_chain("c1", sealed) == []


@given(TEXT, json_values(SCALARS | FLOATS))
def test_commitments_hash_as_the_reference(salt: str, value: Any) -> None:
    expected = hashlib.sha256((salt + canonical_json(value)).encode("utf-8")).hexdigest()
    assert commitment(salt, value) == expected


@given(PAYLOADS, st.integers(min_value=1, max_value=10**6), TEXT)
def test_a_sealed_event_is_the_event_built_from_its_fields(payload: dict[str, Any], seq: int,
                                                         user: str) -> None:
    """``seal`` sets the frozen dataclass's slots directly: what it builds must be exactly the
    Event the dataclass's own constructor builds, and stay frozen."""
    sealed = seal("c1", seq, "fact_set", payload, user, "staff", "2026-03-02T09:00:00+07:00",
                  "p" * 64, GENESIS)
    built = Event("c1", seq, "fact_set", payload, user, "staff", "2026-03-02T09:00:00+07:00",
                  "p" * 64, GENESIS, sealed.hash)
    assert sealed == built and repr(sealed) == repr(built) and hash(sealed.seq) == hash(seq)
    assert sealed.hash == reference_hash(built, GENESIS)
    # what the runtime vouches for (typed fields; a plain payload) skips checks, not meaning
    vouched = seal("c1", seq, "fact_set", payload, user, "staff", "2026-03-02T09:00:00+07:00",
                   "p" * 64, GENESIS, plain=plain_json(payload), typed=True)
    assert vouched == sealed
    with pytest.raises(AttributeError):
        sealed.hash = "x"  # type: ignore[misc]


def reference_hashed_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as hashed, as version 0.1 built it: a copy through the json module, each
    salted value replaced by its commitment, then every {"$redacted": c} by c."""
    salts = payload.get(SALTS)
    if salts is None:
        return payload
    body = json.loads(canonical_json({k: v for k, v in payload.items() if k != SALTS}))
    for path, salt in salts.items():
        if path == USER:  # the event's user (docs/hash-chain.md, 3.1), not a payload value
            continue
        *parents, leaf = path.split(".")
        node: Any = body
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and leaf in node:
            node[leaf] = commitment(salt, node[leaf])

    # since issue #15: a {"$redacted": c} counts as c only at a path sealed as salted
    # ("$salted", hashed with the body) whose salt was deleted; elsewhere it is hashed as is
    for path in body.get(SALTED, []):
        if salts.get(path) is not None:
            continue
        *parents, leaf = path.split(".")
        node = body
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(leaf), dict) \
                and set(node[leaf]) == {REDACTED}:
            node[leaf] = node[leaf][REDACTED]
    return body


KEYS = st.sampled_from(["name", "facts", "x", REDACTED, "a.b", USER]) | TEXT
NESTED = st.recursive(SCALARS | FLOATS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(KEYS, inner, max_size=3), max_leaves=12)


@example({"facts": {"x": 1, "name": "Ani"}, "name": "Budi"}, ["facts.x", "name"], False)
@example({"facts": {"x": {REDACTED: "c"}}, "x": [{REDACTED: "d"}]}, ["facts.x"], True)
@given(st.dictionaries(KEYS.filter(lambda k: k != SALTS), NESTED, max_size=4),
       st.lists(st.sampled_from(["name", "facts.x", "facts.name", "x", "missing.path", USER]),
                max_size=3, unique=True),
       st.booleans())
def test_salted_and_redacted_payloads_hash_as_the_reference(
        payload: dict[str, Any], paths: list[str], redact: bool) -> None:
    """Personal values are salted, and a redacted event keeps {"$redacted": commitment}: the
    fast copy (orjson, the walk skipped when no "$redacted" can occur) hashes what the json
    module's copy hashed, and redaction leaves the event's hash as it was."""
    salted = {**payload, SALTS: {path: f"salt-{i}" for i, path in enumerate(paths)},
              SALTED: sorted(paths)}
    before = copy.deepcopy(salted)
    event = seal("c1", 1, "participant_added", salted, "u", "staff",
                 "2026-03-02T09:00:00+07:00", "p" * 64, GENESIS)
    assert event.payload == before  # hashing replaced values in copies, not in the event
    user = commitment(salted[SALTS][USER], "u") if USER in paths else "u"
    expected = hashlib.sha256(canonical_json(
        ["c1", 1, "participant_added", reference_hashed_payload(salted), user, "staff",
         "2026-03-02T09:00:00+07:00", "p" * 64, GENESIS]).encode("utf-8")).hexdigest()
    assert event.hash == expected
    if redact:
        again = redact_event(event)
        assert again.user == user and again.content_hash() == event.hash
        assert again.payload == redact_payload(salted)


def _verifies_after_a_round_trip(event: Event) -> bool:
    """As a store gives it back: the payload through JSON text."""
    stored = Event(**{**event.to_dict(), "payload": json.loads(json.dumps(event.payload))})
    return stored.content_hash() == event.hash


@pytest.mark.parametrize("payload", [
    # the json module sorts int keys as numbers and then writes them as text: the commitment
    # covers the value as it reads back (keys sorted as text)
    {"value": {9: "a", 10: "b"}, SALTS: {"value": "ab" * 16}},
    # a dict subclass is copied as a dict before a shorter salted path commits its parent
    {"a": OrderedDict(x="secret"), SALTS: {"a.x": "00" * 16, "a": "11" * 16}},
    # text keys and values, nested, and a second path through the same dict
    {"facts": {"x": 1, "y": [1, {"z": None}]}, SALTS: {"facts.x": "22" * 16,
                                                       "facts.y": "33" * 16}},
])
def test_salted_values_are_committed_as_they_read_back(payload: dict[str, Any]) -> None:
    event = seal("c1", 1, "fact_set", payload, "u", "staff", "2026-03-02T09:00:00+07:00",
                 "p" * 64, GENESIS)
    expected = hashlib.sha256(canonical_json(
        ["c1", 1, "fact_set", reference_hashed_payload(payload), "u", "staff",
         "2026-03-02T09:00:00+07:00", "p" * 64, GENESIS]).encode("utf-8")).hexdigest()
    assert event.hash == expected
    assert _verifies_after_a_round_trip(event)
    paths = list(payload[SALTS])
    if not any(a.startswith(b + ".") for a in paths for b in paths):
        # retention keeps the chain (salted paths inside one another, which the runtime never
        # makes, do not survive redaction: the outer commitment would cover the inner marker)
        erased = Event(**{**event.to_dict(), "payload": redact_payload(payload)})
        assert erased.content_hash() == event.hash


def test_a_cyclic_payload_is_refused_not_walked_forever() -> None:
    payload: dict[str, Any] = {"name": "x", SALTS: {"name": "44" * 16}}
    payload["self"] = payload
    with pytest.raises(ValueError, match=r"[Cc]ircular"):
        seal("c1", 1, "fact_set", payload, "u", "staff", "2026-03-02T09:00:00+07:00",
             "p" * 64, GENESIS)


@pytest.mark.parametrize("path", [("name",), 1, None, frozenset({"name"})])
def test_a_salted_path_that_is_not_text_is_refused_as_the_reference_refuses_it(
        path: Any) -> None:
    """Only the runtime writes "$salts", always with text paths; a caller that hands seal()
    anything else gets the reference path's answer, not a hash of the fast copy's making."""
    payload = {"name": "Ani", SALTS: {path: "44" * 16}}
    with pytest.raises(AttributeError):
        reference_hashed_payload(payload)
    with pytest.raises(AttributeError):
        seal("c1", 1, "participant_added", payload, "u", "staff", "2026-03-02T09:00:00+07:00",
             "p" * 64, GENESIS, plain=True, typed=True)
