"""The one exception tree of alur.

Every error alur raises across its public API derives from :class:`AlurError`; driver errors
(sqlite3, psycopg, yaml) are wrapped with ``raise ... from exc`` so callers catch one root. The CLI
maps each branch to an exit code (see ``docs/embedding.md``)::

    AlurError
    ├── ProcedureError          a procedure file is invalid; carries every Diagnostic
    ├── ProcedureNotFound       no procedure with that id, path or hash
    ├── CaseError
    │   ├── CaseNotFound        no case with that id
    │   ├── CommandRefused      a guard refused a command; names the rule and the fix
    │   └── InvalidCaseInput    facts, documents or case files of the wrong shape
    ├── StoreError              the store cannot be opened or written
    │   ├── ConcurrencyConflict another worker appended to the case first (retry)
    │   └── TamperDetected      a hash chain or snapshot does not verify
    ├── AccessDenied            the user's roles may not read or act on this case
    └── UsageError              bad arguments from an embedding program or the CLI
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.diagnostics import Diagnostic

__all__ = [
    "AccessDenied",
    "AlurError",
    "CaseError",
    "CaseNotFound",
    "CommandRefused",
    "ConcurrencyConflict",
    "InvalidCaseInput",
    "ProcedureError",
    "ProcedureNotFound",
    "StaleCase",
    "StoreError",
    "TamperDetected",
    "UsageError",
]


class AlurError(Exception):
    """Root of every error alur raises on purpose. ``hint`` says how to fix it."""

    code: str = "ALUR"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def to_dict(self) -> dict[str, object]:
        return {"error": type(self).__name__, "code": self.code, "message": self.message,
                "hint": self.hint}


class ProcedureError(AlurError):
    """A procedure did not load; ``diagnostics`` holds every problem found, not just the first."""

    code = "PROCEDURE"

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = (), *,
                 hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.diagnostics = tuple(diagnostics)

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data["diagnostics"] = [d.to_dict() for d in self.diagnostics]
        return data


class ProcedureNotFound(AlurError):
    code = "PROCEDURE_NOT_FOUND"


class CaseError(AlurError):
    code = "CASE"


class CaseNotFound(CaseError):
    code = "CASE_NOT_FOUND"


class CommandRefused(CaseError):
    """A guard refused the command. ``rule`` is a stable id such as ``guard.role``."""

    code = "REFUSED"

    def __init__(self, message: str, *, rule: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.rule = rule

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data["rule"] = self.rule
        return data


class InvalidCaseInput(CaseError):
    code = "INVALID_INPUT"


class StoreError(AlurError):
    code = "STORE"


class ConcurrencyConflict(StoreError):
    """Someone else appended to the case since it was read. Reload and retry the command."""

    code = "CONFLICT"


class StaleCase(ConcurrencyConflict):
    """The case's stored head is not the one a worker decided on: it was appended to, or its
    stored rows were changed, since the worker verified its copy. Decide again from the store."""


class TamperDetected(StoreError):
    code = "TAMPERED"


class AccessDenied(AlurError):
    code = "ACCESS_DENIED"


class UsageError(AlurError):
    code = "USAGE"


class FileNotFound(UsageError):
    """A file named on the command line (a procedure, an SP text, a calendar file) is not
    there: "not found" (exit 3), like a missing case or procedure."""

    code = "FILE_NOT_FOUND"
