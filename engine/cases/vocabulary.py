"""The event vocabulary: one frozen class per event type, a registry, and upcasting.

A stored :class:`~engine.cases.events.Event` keeps its payload as the JSON dict that was hashed
(``docs/hash-chain.md``); this module is the typed view of those dicts. Each class names the
event type it stands for (``TYPE``), its payload fields with their types, and the version of
that payload shape (``VERSION``). :func:`decode` turns a stored payload into its class,
upcasting an older version first; ``to_payload`` gives back the dict, equal to the stored one
(key for key: the canonical bytes and so the hash are unchanged; a test replays the examples
and a property test covers every registered type).

Personal values (a sensitive fact, a participant's name, a sensitive document's file name) may
be redacted in a stored payload: ``{"$redacted": commitment}`` stands where the value was
(:func:`~engine.cases.events.redact_payload`); those fields are typed ``Any`` for that reason.
``salts`` carries the payload's ``"$salts"`` (path -> salt of a personal value), absent when
None.

Versions: every payload written so far is version 1 and carries no version key. A type whose
shape changes gets ``VERSION = 2``, writes ``"$version": 2`` in its payloads, and an upcaster
from 1 to 2 (:func:`register_upcaster`), so stored version-1 payloads are read as version 2
and the fold sees one shape only. Nothing here does I/O or knows the fold
(:mod:`engine.cases.state` dispatches on these classes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Self

from engine.cases.events import SALTED, SALTS, Event
from engine.errors import InvalidEvent
from engine.messages import text

__all__ = [
    "EVENT_CLASSES",
    "UPCAST_TYPES",
    "VERSION_KEY",
    "CaseAnonymised",
    "CaseClosed",
    "CaseOpened",
    "CaseReferred",
    "ClockStarted",
    "ClockStopped",
    "DeadlineBreached",
    "DeadlineExtended",
    "DocumentAttached",
    "EventBody",
    "FactSet",
    "ObligationEnded",
    "ObligationReported",
    "ObligationStarted",
    "ParticipantAdded",
    "PhaseStarted",
    "PhaseStopped",
    "PlanJoined",
    "PlanStarted",
    "ServiceEnded",
    "StepCompleted",
    "StepSigned",
    "StepStarted",
    "body_of",
    "decode",
    "event_class",
    "register_event",
    "register_upcaster",
    "unregister_event",
    "upcast",
]

VERSION_KEY = "$version"


@dataclass(frozen=True, slots=True)
class EventBody:
    """What one event says, typed. Subclasses set ``TYPE`` (the stored ``Event.type``)."""

    TYPE: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1
    # payload keys left out when their value is None (all others are always written)
    OMITTED_WHEN_NONE: ClassVar[frozenset[str]] = frozenset()
    _KEYS: ClassVar[tuple[str, ...]] = ()  # the payload keys, set by register_event
    _TYPES: ClassVar[dict[str, str]] = {}  # key -> its annotation, set by register_event

    salts: dict[str, str] | None = field(default=None, kw_only=True)
    # the paths sealed as salted ("$salted", hashed with the payload: only there may a value
    # be replaced by its commitment)
    salted: list[str] | None = field(default=None, kw_only=True)

    def to_payload(self) -> dict[str, Any]:
        """The JSON payload as stored and hashed."""
        payload: dict[str, Any] = {}
        for key in self._KEYS:
            value = getattr(self, key)
            if value is None and key in self.OMITTED_WHEN_NONE:
                continue
            payload[key] = value
        if self.VERSION > 1:
            payload[VERSION_KEY] = self.VERSION
        if self.salts is not None:
            payload[SALTS] = self.salts
        if self.salted is not None:
            payload[SALTED] = self.salted
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """The typed event of a payload of this class's current version (see :func:`decode`
        for stored payloads, which may be older)."""
        unknown = set(payload) - set(cls._KEYS) - {SALTS, SALTED, VERSION_KEY}
        missing = [k for k in cls._KEYS if k not in payload and k not in cls.OMITTED_WHEN_NONE]
        if unknown or missing:
            raise _invalid(cls.TYPE, "err.event.keys", unknown=sorted(unknown), missing=missing)
        version = payload.get(VERSION_KEY, 1)
        if version != cls.VERSION:
            raise _invalid(cls.TYPE, "err.event.version", version=version,
                           expected=cls.VERSION)
        values = {k: payload.get(k) for k in cls._KEYS}
        wrong = [k for k in cls._KEYS if not _fits(cls._TYPES[k], values[k])]
        salts, salted = payload.get(SALTS), payload.get(SALTED)
        if not _fits("dict[str, str] | None", salts):
            wrong.append(SALTS)
        if not _fits("list[str] | None", salted):
            wrong.append(SALTED)
        if wrong:
            raise _invalid(cls.TYPE, "err.event.types", fields=", ".join(wrong))
        return cls(**values, salts=salts, salted=salted)


@dataclass(frozen=True, slots=True)
class CaseOpened(EventBody):
    """A case was opened: the procedure version it is pinned to, its entry step, intake facts
    (sensitive ones salted), and the case it was referred from, if any."""

    TYPE: ClassVar[str] = "case_opened"
    # version 2 adds ``number``, the case's short number (MED-2026-0042), sealed into the chain;
    # version-1 payloads (written before numbers existed) are read with ``number`` None
    VERSION: ClassVar[int] = 2
    OMITTED_WHEN_NONE: ClassVar[frozenset[str]] = frozenset({"referred_from"})
    procedure_id: str
    procedure_version: str
    entry_step: str
    facts: dict[str, Any]
    referred_from: dict[str, str] | None = None  # {"procedure_id", "case_id", "step"}
    number: str | None = None  # None only in payloads upcast from version 1


@dataclass(frozen=True, slots=True)
class FactSet(EventBody):
    TYPE: ClassVar[str] = "fact_set"
    name: str
    value: Any  # bool, int, ISO date text, text; or a redacted marker


@dataclass(frozen=True, slots=True)
class DocumentAttached(EventBody):
    """A document's file: its SHA-256 always, its content only when ``stored``."""

    TYPE: ClassVar[str] = "document_attached"
    document: str
    name: Any  # the file name; a redacted marker for a sensitive document after retention
    sha256: str
    size: int
    media_type: str
    stored: bool


@dataclass(frozen=True, slots=True)
class ParticipantAdded(EventBody):
    TYPE: ClassVar[str] = "participant_added"
    role: str
    name: Any  # always salted: a redacted marker after retention


@dataclass(frozen=True, slots=True)
class ClockStarted(EventBody):
    """The procedure's overall time limit began to run (``due_at`` None: no limit). A
    minimum (``bound: min``) is no deadline: it gives ``earliest_at``, the time before which
    closing is reported as information, never a breach (absent in events of other bounds)."""

    TYPE: ClassVar[str] = "clock_started"
    OMITTED_WHEN_NONE: ClassVar[frozenset[str]] = frozenset({"earliest_at"})
    due_at: str | None
    earliest_at: str | None = None


@dataclass(frozen=True, slots=True)
class ClockStopped(EventBody):
    """The overall time limit stopped running: its ``until_step`` completed."""

    TYPE: ClassVar[str] = "clock_stopped"
    step: str


@dataclass(frozen=True, slots=True)
class PhaseStarted(EventBody):
    """One of the procedure's phase limits began to run (a clock window)."""

    TYPE: ClassVar[str] = "phase_started"
    phase: str
    due_at: str


@dataclass(frozen=True, slots=True)
class PhaseStopped(EventBody):
    """A phase limit stopped: its ``until_step`` completed."""

    TYPE: ClassVar[str] = "phase_stopped"
    phase: str


@dataclass(frozen=True, slots=True)
class ObligationStarted(EventBody):
    """A recurring step's first completion started its obligation: reported again by
    ``due_at`` (None: the source gives no period), and every period after, until its
    ``until_step`` completes or, for one that lasts a duration, until ``ends_at``."""

    TYPE: ClassVar[str] = "obligation_started"
    OMITTED_WHEN_NONE: ClassVar[frozenset[str]] = frozenset({"ends_at"})
    step: str
    due_at: str | None
    ends_at: str | None = None


@dataclass(frozen=True, slots=True)
class ObligationReported(EventBody):
    """One more report of a running obligation; the next is due by ``due_at`` (None: none is
    owed, the obligation has no period or ends before another would fall due)."""

    TYPE: ClassVar[str] = "obligation_reported"
    step: str
    due_at: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ObligationEnded(EventBody):
    """The step that ends a recurring obligation completed, or the time it lasts ran out."""

    TYPE: ClassVar[str] = "obligation_ended"
    step: str


@dataclass(frozen=True, slots=True)
class StepStarted(EventBody):
    TYPE: ClassVar[str] = "step_started"
    step: str
    due_at: str | None


@dataclass(frozen=True, slots=True)
class StepSigned(EventBody):
    """One joint actor's part of a step they perform together (``joint.sign_off: all``): the
    step completes with the last signer's command, after its own signature."""

    TYPE: ClassVar[str] = "step_signed"
    step: str
    signer: str  # the role of the step's actors this signature stands for
    note: str | None


@dataclass(frozen=True, slots=True)
class StepCompleted(EventBody):
    TYPE: ClassVar[str] = "step_completed"
    OMITTED_WHEN_NONE: ClassVar[frozenset[str]] = frozenset({"outside"})
    step: str
    outcome: str | None
    produces: list[str]
    note: str | None
    # produced documents recorded as made outside alur (no file attached); absent before
    outside: list[str] | None = None


@dataclass(frozen=True, slots=True)
class DeadlineExtended(EventBody):
    TYPE: ClassVar[str] = "deadline_extended"
    target: str  # "case" or a step id
    due_at: str
    reason: str


@dataclass(frozen=True, slots=True)
class DeadlineBreached(EventBody):
    TYPE: ClassVar[str] = "deadline_breached"
    target: str  # "case" or a step id
    due_at: str
    escalate_to: str | None


@dataclass(frozen=True, slots=True)
class CaseReferred(EventBody):
    TYPE: ClassVar[str] = "case_referred"
    OMITTED_WHEN_NONE: ClassVar[frozenset[str]] = frozenset({"facts", "service"})
    procedure_id: str
    case_id: str  # the linked case
    documents: list[str]
    wait: bool
    # the referral's fact mapping (target fact: source fact); absent: same-named facts carried
    facts: dict[str, str] | None = None
    service: str | None = None  # the plan service this linked case is, absent for a referral


@dataclass(frozen=True, slots=True)
class PlanStarted(EventBody):
    """A plan step's selection: the services whose ``when`` held are set going at once (a
    linked case each for ``refer`` services, opened in the same transaction: ``cases``), the
    others are skipped."""

    TYPE: ClassVar[str] = "plan_started"
    step: str
    services: list[str]  # selected, in file order
    skipped: list[str]
    cases: dict[str, str] | None  # service id: the linked case opened for it


@dataclass(frozen=True, slots=True)
class ServiceEnded(EventBody):
    """One selected service of the running plan ended: a branch's actor recorded it done, or
    its linked case was found closed (``status``) when the plan was joined."""

    TYPE: ClassVar[str] = "service_ended"
    step: str
    service: str
    case_id: str | None  # the linked case, None for a branch of this case
    status: str | None  # the linked case's closing status
    note: str | None


@dataclass(frozen=True, slots=True)
class PlanJoined(EventBody):
    """The plan's join held (``all``: every selected service ended; ``any``: one); the step
    completes next. ``open``: selected services that had not ended (``any`` only)."""

    TYPE: ClassVar[str] = "plan_joined"
    step: str
    join: str
    ended: list[str]
    open: list[str]


@dataclass(frozen=True, slots=True)
class CaseClosed(EventBody):
    TYPE: ClassVar[str] = "case_closed"
    outcome: str  # completed, terminated, referred, rejected, withdrawn
    reason: str | None


@dataclass(frozen=True, slots=True)
class CaseAnonymised(EventBody):
    TYPE: ClassVar[str] = "case_anonymised"
    OMITTED_WHEN_NONE: ClassVar[frozenset[str]] = frozenset({"erased"})
    rule: str  # the retention period applied
    redacted: int  # how many personal values were erased
    # the documents whose content was erased (so verify knows they are not missing); absent in
    # markers written before documents were verified
    erased: list[str] | None = None


def _text_list(value: Any) -> bool:
    return type(value) is list and all(type(v) is str for v in value)


def _text_map(value: Any) -> bool:
    return type(value) is dict and all(type(k) is str and type(v) is str
                                       for k, v in value.items())


# the field annotations a payload class may use, and what a stored value of each must be
# (JSON data as a store gives it back: no tuples, no bool where an int is meant)
_CHECKS: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: type(v) is str,
    "str | None": lambda v: v is None or type(v) is str,
    "int": lambda v: type(v) is int,
    "bool": lambda v: type(v) is bool,
    "list[str]": _text_list,
    "list[str] | None": lambda v: v is None or _text_list(v),
    "dict[str, Any]": lambda v: type(v) is dict and all(type(k) is str for k in v),
    "dict[str, str] | None": lambda v: v is None or _text_map(v),
    "Any": lambda v: True,  # a personal value: any JSON value, or a redacted marker
}


def _fits(annotation: str, value: Any) -> bool:
    return _CHECKS[annotation](value)


EVENT_CLASSES: dict[str, type[EventBody]] = {}
UPCAST_TYPES: set[str] = set()  # the types whose current version is above 1

# (type, stored version) -> the payload of version + 1
_UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


def register_event(cls: type[EventBody], *, replace: bool = False) -> None:
    """Make ``cls`` the class of its ``TYPE`` (``replace``: a newer version of a registered
    type). The fold (engine.cases.state) needs a handler for each type it should act on."""
    if cls.TYPE in EVENT_CLASSES and not replace:
        raise ValueError(f"event type {cls.TYPE!r} is registered already")
    cls._KEYS = tuple(f.name for f in fields(cls) if f.name not in ("salts", "salted"))
    cls._TYPES = {f.name: str(f.type) for f in fields(cls) if f.name not in ("salts", "salted")}
    unknown = set(cls._TYPES.values()) - set(_CHECKS)
    if unknown:
        raise ValueError(f"{cls.__name__}: no payload check for {sorted(unknown)}")
    EVENT_CLASSES[cls.TYPE] = cls
    UPCAST_TYPES.discard(cls.TYPE)
    if cls.VERSION > 1:
        UPCAST_TYPES.add(cls.TYPE)


def unregister_event(type_: str) -> None:
    """Forget a type (tests that register their own)."""
    EVENT_CLASSES.pop(type_, None)
    UPCAST_TYPES.discard(type_)


for _cls in (CaseOpened, FactSet, DocumentAttached, ParticipantAdded, ClockStarted,
             ClockStopped, PhaseStarted, PhaseStopped, ObligationStarted, ObligationReported,
             ObligationEnded, StepStarted, StepSigned, StepCompleted,
             DeadlineExtended, DeadlineBreached, CaseReferred, PlanStarted, ServiceEnded,
             PlanJoined, CaseClosed, CaseAnonymised):
    register_event(_cls)


def register_upcaster(type_: str, version: int,
                      upcaster: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """Read stored ``type_`` payloads of ``version`` as ``version + 1`` through ``upcaster``
    (which gets a copy without the version key and returns the newer payload's keys)."""
    _UPCASTERS[type_, version] = upcaster


# case_opened 1 -> 2: cases opened before numbers were sealed into the chain have none there
# (the store numbered them when it was migrated: engine.cases.numbers.assign)
register_upcaster(CaseOpened.TYPE, 1, lambda payload: {**payload, "number": None})


def upcast(type_: str, version: int, payload: Mapping[str, Any]) -> dict[str, Any]:
    """``payload``, stored as ``version`` of ``type_``, brought to the registered class's
    current version, one step at a time. The salts stay as they were: they belong to the
    stored bytes, which upcasting never changes."""
    cls = event_class(type_)
    current: dict[str, Any] = dict(payload)
    while version < cls.VERSION:
        step = _UPCASTERS.get((type_, version))
        if step is None:
            raise _invalid(type_, "err.event.no_upcaster", version=version)
        salts = current.pop(SALTS, None)
        current.pop(VERSION_KEY, None)
        current = step(current)
        version += 1
        if version > 1:
            current[VERSION_KEY] = version
        if salts is not None:
            current[SALTS] = salts
    if version > cls.VERSION:
        raise _invalid(type_, "err.event.newer", version=version, known=cls.VERSION)
    return current


def _invalid(event_type: str, key: str, **params: object) -> InvalidEvent:
    """The InvalidEvent of catalogue entry ``key`` about a stored ``event_type`` payload."""
    message, hint = text(key, None, event_type=event_type, **params)
    return InvalidEvent(message, event_type=event_type, hint=hint)


def event_class(type_: str) -> type[EventBody]:
    cls = EVENT_CLASSES.get(type_)
    if cls is None:
        raise _invalid(type_, "err.event.unknown_type")
    return cls


def decode(type_: str, payload: Mapping[str, Any]) -> EventBody:
    """The typed event of a stored payload, of any version this alur knows."""
    cls = event_class(type_)
    version = payload.get(VERSION_KEY, 1)
    if type(version) is not int:
        raise _invalid(type_, "err.event.version_nan")
    if version != cls.VERSION:
        payload = upcast(type_, version, payload)
    return cls.from_payload(payload)


def body_of(event: Event) -> EventBody:
    """The typed view of a stored event's payload."""
    return decode(event.type, event.payload)
