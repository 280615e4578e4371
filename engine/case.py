"""A case's state as a pure fold over its events.

:func:`replay` turns a case's event list into a :class:`CaseState`; replaying a prefix and then
the rest gives the same state as replaying everything (a property test holds this). Every value
the fold needs (due dates, outcomes) is *in* the event payloads, computed when the command was
decided, so replay needs no calendar, clock or procedure and can never drift.

Event types and their payloads:

=================  ===========================================================================
case_opened        procedure_id, procedure_version, entry_step, facts, referred_from (opt.)
fact_set           name, value
document_attached  document, name, sha256, size, media_type, stored
participant_added  role, name
clock_started      due_at (overall time limit; null when the procedure gives no amount)
step_started       step, due_at
step_completed     step, outcome, produces, note
deadline_extended  target ("case" or a step id), due_at, reason
deadline_breached  target, due_at, escalate_to
case_referred      procedure_id, case_id (the linked case), documents, wait
case_closed        outcome (completed, terminated, referred, rejected, withdrawn), reason
case_anonymised    rule (the retention period applied), redacted (number of values erased)
=================  ===========================================================================
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from engine.events import GENESIS, Event

__all__ = ["CLOSED", "EVENT_TYPES", "CaseState", "apply", "replay"]

CLOSED = frozenset({"completed", "terminated", "referred", "rejected", "withdrawn"})
EVENT_TYPES = ("case_opened", "fact_set", "document_attached", "participant_added",
               "clock_started", "step_started", "step_completed", "deadline_extended",
               "deadline_breached", "case_referred", "case_closed", "case_anonymised")


@dataclass
class CaseState:
    case_id: str
    procedure_id: str = ""
    procedure_version: str = ""
    procedure_hash: str = ""
    status: str = "registered"
    current_step: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, str] = field(default_factory=dict)
    opened_at: str | None = None
    clock_started_at: str | None = None
    due_at: str | None = None
    step_started_at: str | None = None
    step_due_at: str | None = None
    path: list[dict[str, Any]] = field(default_factory=list)
    breaches: list[dict[str, Any]] = field(default_factory=list)
    extensions: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    outcome: str | None = None
    closed_at: str | None = None
    anonymised_at: str | None = None
    version: int = 0
    last_hash: str = GENESIS
    updated_at: str | None = None

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (a copy two levels deep: the values inside are JSON scalars or
        small dicts the fold never mutates). Faster than ``dataclasses.asdict``, which deep-
        copies recursively and dominated the cost of a persisted command."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _FIELDS}
        for name in _MAPPINGS:  # the fields declared as containers; the others hold scalars
            value = data[name]
            data[name] = {k: dict(v) if isinstance(v, dict) else v for k, v in value.items()}
        for name in _LISTS:
            data[name] = [dict(v) if isinstance(v, dict) else v for v in data[name]]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseState:
        return cls(**data)

    def breached(self, target: str, due_at: str | None) -> bool:
        return any(b["target"] == target and b["due_at"] == due_at for b in self.breaches)


_FIELDS = tuple(f.name for f in fields(CaseState))
_MAPPINGS = ("facts", "documents", "participants")
_LISTS = ("path", "breaches", "extensions", "links")


def _mutate(state: CaseState, event: Event) -> None:
    p = event.payload
    kind = event.type
    # the kinds most commands make come first
    if kind == "step_started":
        state.current_step = p["step"]
        state.step_started_at = event.at
        state.step_due_at = p.get("due_at")
    elif kind == "step_completed":
        state.path.append({"step": p["step"], "outcome": p.get("outcome"), "at": event.at,
                           "user": event.user, "role": event.role,
                           "started_at": state.step_started_at, "due_at": state.step_due_at})
        outside = p.get("outside", ())
        for doc_id in p.get("produces", ()):
            # a produced document enters the case's register even before its file is attached
            entry = state.documents.setdefault(doc_id, {"name": None, "sha256": None,
                                                        "size": 0, "media_type": None,
                                                        "stored": False, "at": event.at,
                                                        "produced_by": p["step"]})
            if doc_id in outside and entry.get("sha256") is None:
                entry["produced_outside"] = True  # recorded so: no file in alur
        state.current_step = None
        state.step_due_at = None
    elif kind == "case_opened":
        state.procedure_id = p["procedure_id"]
        state.procedure_version = p["procedure_version"]
        state.procedure_hash = event.procedure_hash
        state.current_step = p["entry_step"]
        state.facts = dict(p.get("facts", {}))
        state.opened_at = event.at
        state.step_started_at = event.at
        if p.get("referred_from"):
            state.links.append({"direction": "in", **p["referred_from"], "at": event.at})
    elif kind == "fact_set":
        state.facts[p["name"]] = p["value"]
    elif kind == "document_attached":
        state.documents[p["document"]] = {k: p[k] for k in
                                          ("name", "sha256", "size", "media_type", "stored")}
        state.documents[p["document"]]["at"] = event.at
        state.documents[p["document"]]["produced_by"] = None
    elif kind == "participant_added":
        state.participants[p["role"]] = p["name"]
    elif kind == "clock_started":
        state.clock_started_at = event.at
        state.due_at = p.get("due_at")
        if state.status == "registered":
            state.status = "active"
    elif kind == "deadline_extended":
        state.extensions.append({"target": p["target"], "due_at": p["due_at"],
                                 "reason": p["reason"], "at": event.at, "user": event.user})
        if p["target"] == "case":
            state.due_at = p["due_at"]
        else:
            state.step_due_at = p["due_at"]
    elif kind == "deadline_breached":
        state.breaches.append({"target": p["target"], "due_at": p["due_at"],
                               "escalate_to": p.get("escalate_to"), "at": event.at})
    elif kind == "case_referred":
        state.links.append({"direction": "out", "procedure_id": p["procedure_id"],
                            "case_id": p.get("case_id"), "at": event.at,
                            "wait": bool(p.get("wait"))})
    elif kind == "case_closed":
        state.status = p["outcome"]
        state.outcome = p["outcome"]
        state.closed_at = event.at
        state.current_step = None
        state.step_due_at = None
    elif kind == "case_anonymised":
        state.anonymised_at = event.at
    state.version = event.seq
    state.last_hash = event.hash
    state.updated_at = event.at


def replay(events: Iterable[Event], state: CaseState | None = None) -> CaseState:
    """Fold ``events`` (in seq order) onto ``state`` (a new case when None). Mutates and returns
    ``state``; pass a copy when the original must be kept (:func:`apply` does)."""
    current = state
    for event in events:
        if current is None:
            current = CaseState(case_id=event.case_id)
        _mutate(current, event)
    if current is None:
        raise ValueError("replay needs at least one event or a starting state")
    return current


def apply(state: CaseState, event: Event) -> CaseState:
    """A new state: ``state`` with ``event`` applied (``state`` is left unchanged)."""
    return replay([event], copy.deepcopy(state))
