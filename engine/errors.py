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
    │   │   └── NumberTaken     another case took the case number drawn (draw again)
    │   ├── TamperDetected      a hash chain or snapshot does not verify
    │   └── InvalidEvent        a stored payload that no event class of this alur reads
    ├── AccessDenied            the user's roles may not read or act on this case
    └── UsageError              bad arguments from an embedding program or the CLI

Messages come from the catalogue (:mod:`engine.messages`): raise ``UsageError.of("err.key", lang,
**params)``. The error keeps its key and parameters, so the CLI (or any embedding program) can
render it again in the user's language with :meth:`AlurError.localized`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Self

from engine.messages import text

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
    "InvalidEvent",
    "NumberTaken",
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

    def __init__(self, message: str, *, hint: str = "", key: str = "",
                 params: Mapping[str, object] | None = None) -> None:
        """``key``: the catalogue entry ``message`` and ``hint`` were rendered from ("" when
        not known), ``params`` its parameters: :meth:`localized` renders them again."""
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.key = key
        self.params = {k: str(v) for k, v in (params or {}).items()}

    @classmethod
    def of(cls, key: str, lang: str | None = None, /, **params: object) -> Self:
        """The error whose message and hint are the catalogue entry ``key`` in ``lang``
        (default: ``$ALUR_LANG``), remembering key and parameters for :meth:`localized`."""
        message, hint = text(key, lang, **params)
        return cls(message, hint=hint, key=key, params=params)

    def localized(self, lang: str) -> tuple[str, str]:
        """Message and hint in ``lang`` (as raised when the error was not made from a key)."""
        if not self.key:
            return self.message, self.hint
        return text(self.key, lang, **self.params)

    def to_dict(self) -> dict[str, object]:
        return {"error": type(self).__name__, "code": self.code, "message": self.message,
                "hint": self.hint}


class ProcedureError(AlurError):
    """A procedure did not load; ``diagnostics`` holds every problem found, not just the first."""

    code = "PROCEDURE"

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = (), *,
                 hint: str = "", key: str = "", params: Mapping[str, object] | None = None,
                 ) -> None:
        super().__init__(message, hint=hint, key=key, params=params)
        self.diagnostics = tuple(diagnostics)

    @classmethod
    def carrying(cls, diagnostics: Sequence[Diagnostic], key: str, lang: str | None = None,
                 /, **params: object) -> Self:
        """:meth:`of`, carrying ``diagnostics``."""
        message, hint = text(key, lang, **params)
        return cls(message, diagnostics, hint=hint, key=key, params=params)

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data["diagnostics"] = [d.to_dict() for d in self.diagnostics]
        return data


class ProcedureNotFound(AlurError):
    code = "PROCEDURE_NOT_FOUND"


class CaseError(AlurError):
    """A command or its input was not accepted. ``rule``: the stable id the audit log records
    (``guard.role``, ``input.fact_type`` ...; None: the class name stands for it).
    ``audit_message``: what the audit log keeps when the message shown to the user holds a
    value that must not be kept (a sensitive fact); None: the message itself."""

    code = "CASE"

    def __init__(self, message: str, *, hint: str = "", rule: str | None = None,
                 audit_message: str | None = None, key: str = "",
                 params: Mapping[str, object] | None = None) -> None:
        super().__init__(message, hint=hint, key=key, params=params)
        self.rule = rule
        self.audit_message = audit_message


class CaseNotFound(CaseError):
    code = "CASE_NOT_FOUND"


class CommandRefused(CaseError):
    """A guard refused the command. ``rule`` is a stable id such as ``guard.role``."""

    code = "REFUSED"

    rule: str

    def __init__(self, message: str, *, rule: str, hint: str = "",
                 audit_message: str | None = None, key: str = "",
                 params: Mapping[str, object] | None = None) -> None:
        super().__init__(message, hint=hint, rule=rule, audit_message=audit_message, key=key,
                         params=params)

    @classmethod
    def by_rule(cls, rule: str, lang: str | None = None, /, **params: object) -> Self:
        """The refusal by ``rule``, whose catalogue entry is its message and fix."""
        message, hint = text(rule, lang, **params)
        return cls(message, rule=rule, hint=hint, key=rule, params=params)

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


class NumberTaken(ConcurrencyConflict):
    """The short case number drawn for a new case was taken by another case opened meanwhile;
    nothing was written. The engine draws the next number and opens the case again."""


class TamperDetected(StoreError):
    code = "TAMPERED"


class InvalidEvent(StoreError):
    """A stored event payload that does not fit its type's class (unknown type, keys or
    version). ``event_type``: the stored type name."""

    code = "INVALID_EVENT"

    def __init__(self, message: str, *, event_type: str, hint: str = "", key: str = "",
                 params: Mapping[str, object] | None = None) -> None:
        super().__init__(message, hint=hint, key=key, params=params)
        self.event_type = event_type


class AccessDenied(AlurError):
    code = "ACCESS_DENIED"


class UsageError(AlurError):
    code = "USAGE"


class FileNotFound(UsageError):
    """A file named on the command line (a procedure, an SP text, a calendar file) is not
    there: "not found" (exit 3), like a missing case or procedure."""

    code = "FILE_NOT_FOUND"
