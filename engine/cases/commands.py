"""Commands: what a user asks to happen to a case. Frozen values; deciding is
:mod:`engine.cases.runtime`.

Each command names the acting ``user`` and the ``role`` they act in, and may carry ``at``, the
moment it happened (ISO 8601 with offset); when left out the engine's clock gives it. A command
either produces events that all land together, or is refused and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AddParticipant",
    "AttachDocument",
    "Attachment",
    "CheckDeadlines",
    "Command",
    "CompleteStep",
    "ExtendDeadline",
    "OpenCase",
    "SetFact",
    "Terminate",
    "Withdraw",
]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A document given with a command: its hash and metadata, and the bytes when kept."""

    document: str
    name: str
    sha256: str
    size: int
    media_type: str
    content: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Base:
    user: str
    role: str
    at: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenCase(_Base):
    procedure: str  # a procedure file path, id, or content hash already in the store
    facts: dict[str, Any] = field(default_factory=dict)
    documents: tuple[Attachment, ...] = ()
    participants: dict[str, str] = field(default_factory=dict)
    case_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SetFact(_Base):
    case_id: str
    name: str
    value: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class AttachDocument(_Base):
    case_id: str
    attachment: Attachment


@dataclass(frozen=True, slots=True, kw_only=True)
class AddParticipant(_Base):
    case_id: str
    participant_role: str
    name: str


class _Factory(dict[str, Any]):
    """The default of a written-out ``__init__``'s dict argument: never stored, it stands for
    ``field(default_factory=dict)`` (a new dict per command; an explicit None stays None) and
    shows in the signature as the generated ``__init__``'s does."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteStep(_Base):
    case_id: str
    step: str
    outcome: str | None = None
    documents: tuple[Attachment, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    participants: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    # Written out, so @dataclass keeps it: the generated __init__ of a frozen class sets each
    # field through object.__setattr__ by name, which is half of building the command most
    # often made (measured: 1.47 µs against 0.86 µs); tests/test_commands.py holds it to the
    # generated one's behaviour (defaults, fresh dicts, required and unknown arguments).
    def __init__(self, *, user: str, role: str, at: str | None = None, case_id: str,
                 step: str, outcome: str | None = None, documents: tuple[Attachment, ...] = (),
                 facts: dict[str, Any] = _FACTORY, participants: dict[str, str] = _FACTORY,
                 note: str | None = None) -> None:
        _SET_USER(self, user)
        _SET_ROLE(self, role)
        _SET_AT(self, at)
        _SET_CASE_ID(self, case_id)
        _SET_STEP(self, step)
        _SET_OUTCOME(self, outcome)
        _SET_DOCUMENTS(self, documents)
        _SET_FACTS(self, {} if facts is _FACTORY else facts)
        _SET_PARTICIPANTS(self, {} if participants is _FACTORY else participants)
        _SET_NOTE(self, note)


(_SET_USER, _SET_ROLE, _SET_AT, _SET_CASE_ID, _SET_STEP, _SET_OUTCOME, _SET_DOCUMENTS, _SET_FACTS,
 _SET_PARTICIPANTS, _SET_NOTE) = (
    getattr(CompleteStep, name).__set__ for name in (
        "user", "role", "at", "case_id", "step", "outcome", "documents", "facts",
        "participants", "note"))


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendDeadline(_Base):
    case_id: str
    amount: int
    unit: str
    reason: str
    target: str = "case"


@dataclass(frozen=True, slots=True, kw_only=True)
class Withdraw(_Base):
    case_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Terminate(_Base):
    case_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckDeadlines(_Base):
    """Record breaches of due dates passed at ``at`` (idempotent: once per due date)."""

    case_id: str


Command = (OpenCase | SetFact | AttachDocument | AddParticipant | CompleteStep | ExtendDeadline
           | Withdraw | Terminate | CheckDeadlines)
