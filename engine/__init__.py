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
from engine.procedure.model import Document, Fact, Procedure, Role, Step
from engine.procedure.validate import load_procedure, validate

if TYPE_CHECKING:
    from engine.api import Engine
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
    from engine.cases.events import AuditRecord, CaseSnapshot, ChainBreak, Event, LedgerEntry
    from engine.cases.files import FileCheck, check_file
    from engine.cases.privacy import MASK, mask_event, mask_state
    from engine.cases.roster import Roster, load_roster
    from engine.cases.runtime import CaseResult, Context
    from engine.cases.state import CaseState
    from engine.casework.deadlines import DueItem
    from engine.runner import CaseRun, run_case_file
    from engine.store import MemoryStore, Store, StoredProcedure, open_store
    from engine.store.base import Head

__all__ = [
    "MASK",
    "AccessDenied",
    "AddParticipant",
    "AlurError",
    "AttachDocument",
    "Attachment",
    "AuditRecord",
    "CaseError",
    "CaseNotFound",
    "CaseResult",
    "CaseRun",
    "CaseSnapshot",
    "CaseState",
    "ChainBreak",
    "CommandRefused",
    "CompleteStep",
    "ConcurrencyConflict",
    "Context",
    "Diagnostic",
    "Document",
    "DueItem",
    "Engine",
    "Event",
    "ExtendDeadline",
    "Fact",
    "FileCheck",
    "Head",
    "InvalidCaseInput",
    "LedgerEntry",
    "MemoryStore",
    "OpenCase",
    "Procedure",
    "ProcedureError",
    "ProcedureNotFound",
    "Role",
    "Roster",
    "SetFact",
    "Severity",
    "Step",
    "Store",
    "StoreError",
    "StoredProcedure",
    "TamperDetected",
    "Terminate",
    "UsageError",
    "Withdraw",
    "check_file",
    "load_procedure",
    "load_roster",
    "mask_event",
    "mask_state",
    "open_store",
    "run_case_file",
    "validate",
]

_LAZY = {
    "Engine": "engine.api", "CaseResult": "engine.cases.runtime",
    "DueItem": "engine.casework.deadlines",
    "CaseState": "engine.cases.state", "Context": "engine.cases.runtime",
    "Roster": "engine.cases.roster", "load_roster": "engine.cases.roster",
    "FileCheck": "engine.cases.files", "check_file": "engine.cases.files",
    "CaseRun": "engine.runner", "run_case_file": "engine.runner",
    "Head": "engine.store.base",
    "LedgerEntry": "engine.cases.events",
    **{name: "engine.cases.events" for name in (
        "AuditRecord", "CaseSnapshot", "ChainBreak", "Event")},
    **{name: "engine.cases.privacy" for name in ("MASK", "mask_event", "mask_state")},
    **{name: "engine.store" for name in ("MemoryStore", "Store", "StoredProcedure",
                                         "open_store")},
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
