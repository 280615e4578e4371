"""The service's request and response bodies: pydantic models, so the OpenAPI document is
generated from them and every body is validated before the engine sees it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AddParticipantIn", "CaseOut", "CaseSummary", "CommandIn", "CommandResult",
           "CompleteStepIn", "DueOut", "EventOut", "ExtendDeadlineIn", "LoginIn", "OpenCaseIn",
           "ProblemOut",
           "ProcedureOut", "SetFactIn", "TerminateIn", "TokenOut", "ValidationOut", "WithdrawIn"]

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"  # ids as the CLI accepts them: no control characters
# a role: its id, or an alias the procedure gives it ("penerima manfaat"), single spaces inside
_ROLE = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*( [A-Za-z0-9_.:-]+)*$"
_ROLE_TEXT = "The role the user acts in: its id or one of its aliases (recorded by id)."


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenCaseIn(_In):
    procedure: str = Field(pattern=_ID, description="Procedure id (or stored content hash).")
    role: str = Field(pattern=_ROLE, max_length=128, description=_ROLE_TEXT)
    facts: dict[str, Any] = Field(default_factory=dict, description="Case facts by id.")
    participants: dict[str, str] = Field(default_factory=dict,
                                         description="Outside participants by role id.")
    case_id: str | None = Field(default=None, pattern=_ID,
                                description="Case id (default: generated).")


class CompleteStepIn(_In):
    command: Literal["complete_step"]
    role: str = Field(pattern=_ROLE, max_length=128, description=_ROLE_TEXT)
    step: str = Field(pattern=_ID)
    outcome: str | None = Field(default=None, pattern=_ID)
    facts: dict[str, Any] = Field(default_factory=dict)
    participants: dict[str, str] = Field(default_factory=dict)
    note: str | None = Field(default=None, max_length=4000)
    service: str | None = Field(default=None, pattern=_ID,
                                description="On a plan step: the branch recorded done.")


class SetFactIn(_In):
    command: Literal["set_fact"]
    role: str = Field(pattern=_ROLE, max_length=128, description=_ROLE_TEXT)
    name: str = Field(pattern=_ID)
    value: Any


class AddParticipantIn(_In):
    command: Literal["add_participant"]
    role: str = Field(pattern=_ROLE, max_length=128, description=_ROLE_TEXT)
    participant_role: str = Field(pattern=_ROLE, max_length=128)
    name: str = Field(min_length=1, max_length=200)


class ExtendDeadlineIn(_In):
    command: Literal["extend_deadline"]
    role: str = Field(pattern=_ROLE, max_length=128, description=_ROLE_TEXT)
    amount: int = Field(ge=1, le=3650)
    unit: Literal["working_days", "calendar_days", "hours", "minutes", "months"]
    reason: str = Field(min_length=1, max_length=2000)
    target: str = Field(default="case", pattern=_ID)


class WithdrawIn(_In):
    command: Literal["withdraw"]
    role: str = Field(pattern=_ROLE, max_length=128, description=_ROLE_TEXT)
    reason: str = Field(min_length=1, max_length=2000)


class TerminateIn(_In):
    command: Literal["terminate"]
    role: str = Field(pattern=_ROLE, max_length=128, description=_ROLE_TEXT)
    reason: str = Field(min_length=1, max_length=2000)


CommandIn = Annotated[CompleteStepIn | SetFactIn | AddParticipantIn | ExtendDeadlineIn
                      | WithdrawIn | TerminateIn, Field(discriminator="command")]


class CaseOut(BaseModel):
    case_id: str
    number: str | None = Field(default=None, description="The short case number people use "
                               "(MED-2026-0042); the API takes it wherever it takes a case id.")
    procedure_id: str
    status: str
    version: int
    current_step: str | None
    due_at: str | None
    state: dict[str, Any] = Field(description="The case's state, sensitive values masked.")


class EventOut(BaseModel):
    seq: int
    type: str
    at: str
    role: str
    user: str
    payload: dict[str, Any]


class CommandResult(BaseModel):
    case: CaseOut
    events: list[EventOut]


class CaseSummary(BaseModel):
    case_id: str
    number: str | None = None
    procedure_id: str
    status: str
    current_step: str | None
    current_role: str | None
    due_at: str | None
    updated_at: str


class DueOut(BaseModel):
    case_id: str
    number: str | None = None
    procedure_id: str
    target: str
    due_at: str
    breached: bool
    role: str | None


class ProcedureOut(BaseModel):
    id: str
    version: str
    title: str
    hash: str | None
    roles: list[str]
    steps: list[str]


class ValidationOut(BaseModel):
    valid: bool
    diagnostics: list[dict[str, Any]]


class LoginIn(_In):
    username: str = Field(pattern=_ID)
    password: str = Field(min_length=1, max_length=1024)
    label: str = Field(default="login", max_length=100)


class TokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown once.")
    id: str
    user: str
    scopes: list[str]


class ProblemOut(BaseModel):
    """RFC 9457 problem details, with alur's code, rule and fix hint."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    hint: str = ""
    rule: str | None = None
    errors: list[dict[str, Any]] | None = None
    diagnostics: list[dict[str, Any]] | None = None
