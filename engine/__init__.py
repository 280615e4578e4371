"""alur: a declarative workflow engine for public-service procedures (Standar Pelayanan).

The public API is this short list; everything else is an implementation module. A test pins
``__all__`` so additions are deliberate. The package imports lazily: ``import engine`` loads no
store driver, and the store-backed names load on first use (cold start of ``alur validate``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.diagnostics import Diagnostic, Severity
from engine.errors import (
    AccessDenied,
    AlurError,
    CaseError,
    CaseNotFound,
    CommandRefused,
    ConcurrencyConflict,
    InvalidCaseInput,
    ProcedureError,
    ProcedureNotFound,
    StoreError,
    TamperDetected,
    UsageError,
)
from engine.procedure.model import Procedure
from engine.procedure.validate import load_procedure, validate

if TYPE_CHECKING:
    from engine.api import CaseResult, Engine
    from engine.cases.commands import (
        AddParticipant,
        AttachDocument,
        Attachment,
        CompleteStep,
        ExtendDeadline,
        OpenCase,
        SetFact,
        Terminate,
        Withdraw,
    )
    from engine.cases.events import Event
    from engine.cases.roster import Roster
    from engine.cases.state import CaseState
    from engine.store import Store, open_store

__all__ = [
    "AccessDenied",
    "AddParticipant",
    "AlurError",
    "AttachDocument",
    "Attachment",
    "CaseError",
    "CaseNotFound",
    "CaseResult",
    "CaseState",
    "CommandRefused",
    "CompleteStep",
    "ConcurrencyConflict",
    "Diagnostic",
    "Engine",
    "Event",
    "ExtendDeadline",
    "InvalidCaseInput",
    "OpenCase",
    "Procedure",
    "ProcedureError",
    "ProcedureNotFound",
    "Roster",
    "SetFact",
    "Severity",
    "Store",
    "StoreError",
    "TamperDetected",
    "Terminate",
    "UsageError",
    "Withdraw",
    "load_procedure",
    "open_store",
    "validate",
]

_LAZY = {
    "Engine": "engine.api", "CaseResult": "engine.api", "CaseState": "engine.cases.state",
    "Event": "engine.cases.events", "Roster": "engine.cases.roster", "Store": "engine.store",
    "open_store": "engine.store",
    **{name: "engine.cases.commands" for name in (
        "AddParticipant", "AttachDocument", "Attachment", "CompleteStep", "ExtendDeadline",
        "OpenCase", "SetFact", "Terminate", "Withdraw")},
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
