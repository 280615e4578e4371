"""Every kind of file alur reads, told apart and checked: what ``alur validate FILE`` runs.

A file's kind is given (``--kind``) or told from its top-level keys: ``users`` is a roster,
``cases`` a case record file, ``holidays``/``removed``/``working`` a calendar override file,
anything else a procedure. Each kind is checked by its own reader (all built on the hardened one
in :mod:`engine.procedure.source`), and the answer is plain data: the kind and the located
diagnostics. Nothing here prints, exits or loads anything into a store.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from engine.cases.calendar_file import check_overrides_file
from engine.cases.case_file import check_case_record_file
from engine.cases.roster_file import check_roster_file
from engine.diagnostics import Diagnostic
from engine.errors import UsageError
from engine.procedure.formats import Read
from engine.procedure.source import read_file
from engine.procedure.validate import check_path

__all__ = ["KINDS", "FileCheck", "check_file", "detect_kind"]

KINDS = ("procedure", "roster", "case-file", "calendar")
_CALENDAR_KEYS = {"holidays", "removed", "working"}


@dataclass(frozen=True, slots=True)
class FileCheck:
    """One checked file: its kind and every diagnostic (errors make it invalid)."""

    file: str
    kind: str
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)


def detect_kind(path: str | os.PathLike[str]) -> str:
    """The kind of the file at ``path`` from its top-level keys; ``procedure`` when unreadable
    or unrecognised (the procedure checks then say what is wrong)."""
    data = read_file(path).data
    keys = set(data) if isinstance(data, dict) else set()
    if "users" in keys:
        return "roster"
    if "cases" in keys:
        return "case-file"
    if keys and keys & _CALENDAR_KEYS and not keys & {"id", "steps"}:
        return "calendar"
    return "procedure"


def check_file(path: str | os.PathLike[str], kind: str | None = None,
               lang: str = "en") -> FileCheck:
    """Check the file at ``path`` as ``kind`` (one of :data:`KINDS`; told from the file when
    ``None``)."""
    name = os.fspath(path)
    chosen = kind or detect_kind(name)
    if chosen == "procedure":
        checked = check_path(name, lang)
        return FileCheck(checked.file, chosen, checked.diagnostics)
    read: Read[Any]
    if chosen == "roster":
        read = check_roster_file(name, lang=lang)
    elif chosen == "case-file":
        read = check_case_record_file(name, lang=lang)
    elif chosen == "calendar":
        read = check_overrides_file(name, lang=lang)
    else:
        raise UsageError.of("err.file_kind", None, kind=chosen, kinds=", ".join(KINDS))
    return FileCheck(read.file, chosen, read.diagnostics)
