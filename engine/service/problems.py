"""Errors on the wire: RFC 9457 problem details made from alur's exceptions.

The status follows what the error means for the client: a refused command or a case changed by
someone else is ``409``, input the engine cannot take is ``422``, a missing case or procedure
``404``, a user whose roles do not allow it ``403``. The body carries the same code, rule,
message and fix hint as the CLI's ``--format json``, in the request's language. Nothing alur
raises on purpose becomes a ``500``.
"""

from __future__ import annotations

from typing import Any

from engine.errors import (
    AccessDenied,
    AlurError,
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
from engine.messages import text

__all__ = ["PROBLEM_JSON", "Problem", "problem_from", "status_of"]

PROBLEM_JSON = "application/problem+json"
# refusals that say the user does not hold the role they act in: not the case's state, but
# who they are (403, where a rule of the procedure refusing a move is 409)
ROSTER_RULES = frozenset({"guard.roster"})
TYPE_BASE = "https://alur.example/problems/"


class Problem(Exception):
    """An HTTP-level problem the service itself raises (authentication, preconditions, ...):
    a catalogue ``code`` rendered in the request's language."""

    def __init__(self, status: int, code: str, *, headers: dict[str, str] | None = None,
                 **params: object) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params
        self.headers = headers or {}

    def body(self, lang: str, instance: str) -> dict[str, Any]:
        message, hint = text(self.code, lang, **self.params)
        return {"type": TYPE_BASE + self.code, "title": message, "status": self.status,
                "detail": message, "hint": hint, "code": self.code, "instance": instance}


def status_of(error: AlurError) -> int:
    if isinstance(error, (CaseNotFound, ProcedureNotFound)):
        return 404
    if isinstance(error, AccessDenied) or (isinstance(error, CommandRefused)
                                           and error.rule in ROSTER_RULES):
        return 403
    if isinstance(error, (CommandRefused, ConcurrencyConflict, TamperDetected)):
        return 409
    if isinstance(error, (InvalidCaseInput, ProcedureError, UsageError)):
        return 422
    if isinstance(error, StoreError):
        return 503
    return 422


def problem_from(error: AlurError, instance: str) -> dict[str, Any]:
    """The problem details of an engine error (already in the engine's language)."""
    body = error.to_dict()
    status = status_of(error)
    kind = str(body.get("rule") or body.get("code") or "ALUR")
    return {"type": TYPE_BASE + kind, "title": error.message, "status": status,
            "detail": error.message, "instance": instance,
            **{k: v for k, v in body.items() if k not in ("message", "error")}}
