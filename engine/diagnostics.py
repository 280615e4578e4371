"""Diagnostics as data: one frozen value per problem found in a procedure file.

Checks *return* diagnostics; nothing here raises or prints. Codes are stable (documented in
``docs/validation.md``): ``Y`` = reading the YAML text, ``S`` = shape (JSON Schema), ``R`` = types
and references, ``G`` = graph. Messages come from :mod:`engine.messages` in English or Indonesian.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from engine.messages import render

__all__ = ["Diagnostic", "Severity", "make", "sort_unique"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: where it is (file, 1-based line and column, path of keys) and how to fix it."""

    code: str
    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    args: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def localized(self, lang: str) -> Diagnostic:
        """The same diagnostic with message and hint in ``lang`` (``en`` or ``id``)."""
        params = dict(self.args)
        message, hint = render(self.code, lang, params)
        return Diagnostic(self.code, self.severity, self.file, self.line, self.column, self.path,
                          message, hint, self.args)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("args")
        data["severity"] = str(self.severity)
        return data

    def format(self, lang: str = "en") -> str:
        """``file:line:col: severity CODE message (at path)`` and an indented hint line; the
        labels in ``lang`` (the message and hint are already in the language they were made in)."""
        severity = render(f"diag.{self.severity.value}", lang, {})[0]
        text = f"{self.file}:{self.line}:{self.column}: {severity} {self.code} {self.message}"
        if self.path:
            text += f" ({render('diag.at', lang, {'path': self.path})[0]})"
        if self.hint:
            text += f"\n    {render('diag.hint', lang, {})[0]}: {self.hint}"
        return text


def make(code: str, severity: Severity, file: str, pos: tuple[int, int], path: str,
         lang: str = "en", **params: object) -> Diagnostic:
    """Build a diagnostic whose message and hint come from the catalogue entry for ``code``."""
    str_params = {k: str(v) for k, v in params.items()}
    message, hint = render(code, lang, str_params)
    return Diagnostic(code, severity, file, pos[0], pos[1], path, message, hint,
                      tuple(sorted(str_params.items())))


def sort_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by place then code, with exact repeats (same code, place and message) dropped."""
    return sorted(set(diagnostics), key=lambda d: (d.file, d.line, d.column, d.code, d.message))
