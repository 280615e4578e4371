"""The typed event vocabulary (engine.cases.vocabulary) and the fold that dispatches on it.

Stored events keep their payload dicts; the classes must read every stored payload and give
back the same dict, so canonical bytes and hashes never change. ``fixtures/events/
stored-before-vocabulary.json`` was written by alur before the vocabulary existed (the six
examples run, then retention applied to the closed cases): its chains must still verify, its
payloads round-trip, and the fold must give the state the old fold gave.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.cases.events import GENESIS, SALTS, Event, chain, verify_chain
from engine.cases.state import (
    EVENT_TYPES,
    FOLD,
    CaseState,
    apply_event,
    register_handler,
    replay,
)
from engine.cases.vocabulary import (
    EVENT_CLASSES,
    VERSION_KEY,
    CaseOpened,
    EventBody,
    FactSet,
    StepStarted,
    body_of,
    decode,
    register_event,
    register_upcaster,
    unregister_event,
    upcast,
)
from engine.errors import InvalidEvent

STORED = Path(__file__).parent / "fixtures" / "events" / "stored-before-vocabulary.json"


def stored_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(STORED.read_text(encoding="utf-8"))["cases"]
    return cases


def test_every_registered_class_has_a_fold_handler_and_no_handler_is_orphaned() -> None:
    assert set(FOLD) == set(EVENT_CLASSES.values())
    assert tuple(EVENT_CLASSES) == EVENT_TYPES
    assert all(name == cls.TYPE for name, cls in EVENT_CLASSES.items())


def test_the_old_stores_cover_most_of_the_vocabulary() -> None:
    seen = {e["type"] for case in stored_cases() for e in case["events"]}
    assert seen <= set(EVENT_CLASSES)
    assert len(seen) >= 10  # every type but those the examples never make (a referral link)


@pytest.mark.parametrize("case", stored_cases(), ids=lambda c: f"{c['stage']}:{c['case_id']}")
def test_stores_written_before_the_vocabulary_still_verify_and_fold_the_same(
        case: dict[str, Any]) -> None:
    events = [Event(**e) for e in case["events"]]
    assert verify_chain(case["case_id"], events) == []
    for event in events:
        body = body_of(event)
        assert type(body) is EVENT_CLASSES[event.type]
        stored_version = event.payload.get(VERSION_KEY, 1)
        if stored_version < body.VERSION:  # an older shape (case_opened before numbers)
            assert body.to_payload() == upcast(event.type, stored_version, event.payload)
            continue
        assert body.to_payload() == event.payload
        # the same payload, resealed from the typed body, gives the stored hash byte for byte
        resealed = chain([Event(event.case_id, event.seq, body.TYPE, body.to_payload(),
                                event.user, event.role, event.at, event.procedure_hash)],
                         event.prev_hash)[0]
        assert resealed.hash == event.hash
    assert replay(events).to_dict() == case["state"]  # what the old fold gave


def test_redacted_and_salted_payloads_keep_their_markers() -> None:
    redacted = [Event(**e) for case in stored_cases() if case["stage"] == "after retention"
                for e in case["events"] if e["type"] == "participant_added"]
    assert redacted
    for event in redacted:
        body = body_of(event)
        assert body.salts == {}  # the salts are deleted with the values
        assert set(body.name) == {"$redacted"}  # type: ignore[attr-defined]


# --- every registered type: payload round-trip, and the fold accepts it ---------------------

_TEXT = st.text(max_size=12)
_JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | _TEXT,
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=6)
_BY_ANNOTATION: dict[str, st.SearchStrategy[Any]] = {
    "str": _TEXT,
    "str | None": st.none() | _TEXT,
    "int": st.integers(0, 10**6),
    "bool": st.booleans(),
    "list[str]": st.lists(_TEXT, max_size=3),
    "list[str] | None": st.none() | st.lists(_TEXT, max_size=3),
    "dict[str, Any]": st.dictionaries(_TEXT, _JSON, max_size=3),
    "dict[str, str] | None": st.none() | st.dictionaries(_TEXT, _TEXT, min_size=1, max_size=3),
    "Any": _JSON,
}


def bodies(cls: type[EventBody]) -> st.SearchStrategy[EventBody]:
    kwargs = {f.name: _BY_ANNOTATION[str(f.type)] for f in fields(cls)
              if f.name not in ("salts", "salted")}
    salts = st.none() | st.dictionaries(_TEXT, st.text("0123456789abcdef", min_size=32,
                                                       max_size=32), max_size=2)
    salted = st.none() | st.lists(_TEXT, max_size=2)
    return st.builds(cls, **kwargs, salts=salts, salted=salted)


ANY_BODY = st.one_of([bodies(cls) for cls in EVENT_CLASSES.values()])


@pytest.mark.parametrize("cls", list(EVENT_CLASSES.values()), ids=lambda cls: cls.TYPE)
@given(data=st.data())
def test_every_type_round_trips_through_its_payload(cls: type[EventBody],
                                                    data: st.DataObject) -> None:
    body = data.draw(bodies(cls))
    payload = body.to_payload()
    assert decode(body.TYPE, payload) == body
    assert decode(body.TYPE, json.loads(json.dumps(payload))) == body  # as a store gives it
    assert (SALTS in payload) == (body.salts is not None)


@given(st.lists(ANY_BODY, min_size=1, max_size=6), st.integers(0, 6))
def test_the_fold_takes_every_type_and_a_prefix_then_the_rest_equals_the_whole(
        bodies_: list[EventBody], cut: int) -> None:
    at = "2026-03-02T09:00:00+07:00"
    events = chain([Event("c-1", seq, body.TYPE, body.to_payload(), "u", "r", at, "h")
                    for seq, body in enumerate(bodies_, start=1)], GENESIS)
    whole = replay(events)
    assert whole.version == len(events) and whole.last_hash == events[-1].hash
    if 0 < cut < len(events):
        prefix = replay(events[:cut])
        assert replay(events[cut:], prefix).to_dict() == whole.to_dict()


def test_apply_event_is_the_public_step_of_the_fold() -> None:
    state = CaseState(case_id="c-1")
    event = chain([Event("c-1", 1, "step_started", StepStarted("terima", None).to_payload(),
                         "u", "r", "2026-03-02T09:00:00+07:00", "h")], GENESIS)[0]
    apply_event(state, event)
    assert (state.current_step, state.version, state.last_hash) == ("terima", 1, event.hash)


# --- refusals and upcasting --------------------------------------------------------------------

def test_payloads_that_fit_no_class_are_refused_with_their_type() -> None:
    with pytest.raises(InvalidEvent) as unknown:
        decode("case_teleported", {})
    assert unknown.value.event_type == "case_teleported"
    with pytest.raises(InvalidEvent, match="missing keys"):
        decode("fact_set", {"name": "umur"})
    with pytest.raises(InvalidEvent, match="unknown keys"):
        decode("fact_set", {"name": "umur", "value": 7, "extra": 1})
    with pytest.raises(InvalidEvent, match="newer"):
        decode("fact_set", {"name": "umur", "value": 7, VERSION_KEY: 9})
    with pytest.raises(InvalidEvent, match="not a number"):
        decode("fact_set", {"name": "umur", "value": 7, VERSION_KEY: "2"})
    with pytest.raises(InvalidEvent, match="step is not of its declared type"):
        decode("step_started", {"step": 3, "due_at": None})
    with pytest.raises(InvalidEvent, match="redacted is not"):  # a bool is not a count
        decode("case_anonymised", {"rule": "5 calendar_years", "redacted": True})
    with pytest.raises(InvalidEvent, match="produces is not"):
        decode("step_completed", {"step": "a", "outcome": None, "produces": [1], "note": None})
    with pytest.raises(InvalidEvent, match=r"\$salts is not"):
        decode("fact_set", {"name": "umur", "value": 7, SALTS: {"value": 5}})


def test_an_optional_key_is_left_out_when_none_as_stored_payloads_have_it() -> None:
    opened = CaseOpened("mediasi", "1", "terima", {})
    assert "referred_from" not in opened.to_payload()
    linked = CaseOpened("mediasi", "1", "terima", {}, {"case_id": "x", "procedure_id": "sapa",
                                                      "step": "rujuk"})
    assert decode("case_opened", linked.to_payload()) == linked


@dataclass(frozen=True, slots=True)
class FactSetV2(EventBody):
    """A hypothetical second version of fact_set: ``name`` renamed ``fact``, ``source`` added."""

    TYPE: ClassVar[str] = "fact_set"
    VERSION: ClassVar[int] = 2
    fact: str
    value: Any
    source: str


def _fact_set_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {"fact": payload["name"], "value": payload["value"], "source": "unknown"}


@pytest.fixture
def fact_set_v2() -> Any:
    register_event(FactSetV2, replace=True)
    register_upcaster("fact_set", 1, _fact_set_v1_to_v2)
    saved = FOLD[FactSet]
    register_handler(FactSetV2, lambda state, event, p: state.facts.__setitem__(p["fact"],
                                                                                p["value"]))
    yield
    register_handler(FactSet, saved)
    unregister_event("fact_set")
    register_event(FactSet)


def test_a_stored_older_version_is_upcast_on_reading(fact_set_v2: None) -> None:
    stored_v1 = {"name": "umur", "value": {"$redacted": "ab" * 32}, SALTS: {}}
    assert upcast("fact_set", 1, stored_v1) == {"fact": "umur", "value": {"$redacted": "ab" * 32},
                                                "source": "unknown", VERSION_KEY: 2, SALTS: {}}
    body = decode("fact_set", stored_v1)
    assert body == FactSetV2("umur", {"$redacted": "ab" * 32}, "unknown", salts={})
    written = FactSetV2("umur", 7, "form").to_payload()
    assert written == {"fact": "umur", "value": 7, "source": "form", VERSION_KEY: 2}
    assert decode("fact_set", written) == FactSetV2("umur", 7, "form")
    # the fold sees one shape: a v1 and a v2 event both set the fact
    events = chain([Event("c-1", 1, "fact_set", {"name": "umur", "value": 7}, "u", "r",
                          "2026-03-02T09:00:00+07:00", "h"),
                    Event("c-1", 2, "fact_set", written | {"value": 8}, "u", "r",
                          "2026-03-02T09:00:00+07:00", "h")], GENESIS)
    assert replay(events, CaseState("c-1")).facts == {"umur": 8}
    assert replay(events[:1], CaseState("c-1")).facts == {"umur": 7}
    # upcasting reads; it never rewrites what is stored, so the chain still verifies
    assert verify_chain("c-1", events) == []
    assert events[0].payload == {"name": "umur", "value": 7}


def test_the_registry_is_back_to_version_one_after_the_hypothetical_version() -> None:
    assert EVENT_CLASSES["fact_set"] is FactSet
    assert set(FOLD) == set(EVENT_CLASSES.values())
    assert copy.copy(FactSet("a", 1)).to_payload() == {"name": "a", "value": 1}
