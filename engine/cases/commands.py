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
    "Anonymise",
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


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteStep(_Base):
    case_id: str
    step: str
    outcome: str | None = None
    documents: tuple[Attachment, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    participants: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    # on a plan step whose services run: the branch this command records done (None: the one
    # open branch the role acts for, else the plan's own command, its selection or its join)
    service: str | None = None


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Anonymise(_Base):
    """Erase the personal data of a closed case whose retention period ended before ``at``
    (``alur retention apply``): ``role`` is the one through which ``user`` holds the roster's
    ``erase`` privilege, ``at`` no later than the clock. ``kept``: document contents (SHA-256)
    other cases still hold, which stay; None lets the engine find them (a read of every case)."""

    case_id: str
    kept: frozenset[str] | None = None


Command = (OpenCase | SetFact | AttachDocument | AddParticipant | CompleteStep | ExtendDeadline
           | Withdraw | Terminate | CheckDeadlines | Anonymise)
