"""Every kind of file alur reads, told apart and checked: what ``alur validate FILE`` runs.

A file's kind is given (``--kind``) or told from its top-level keys: ``users`` is a roster,
``cases`` a case record file, ``holidays``/``removed``/``working`` a calendar override file,
anything else a procedure. Each kind is checked by its own reader (all built on the hardened one
in :mod:`engine.procedure.source`), and the answer is plain data: the kind and the located
diagnostics. Nothing here prints, exits or loads anything into a store.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.diagnostics import Diagnostic, Severity, make
from engine.errors import UsageError
from engine.procedure.source import MAX_BYTES, format_path, read_file
from engine.procedure.validate import check_path

if TYPE_CHECKING:
    from engine.procedure.formats import Read

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


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


def detect_kind(path: str | os.PathLike[str]) -> str:
    """The kind of the file at ``path`` from its top-level keys (the keys at the start of a
    line: a cheap look, so a procedure is read once, by its own checks); ``procedure`` when
    unreadable or unrecognised (the procedure checks then say what is wrong)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            keys = set(_TOP_KEY.findall(handle.read(MAX_BYTES)))
    except OSError:
        return "procedure"
    if "users" in keys:
        return "roster"
    if "cases" in keys:
        return "case-file"
    if keys and keys & _CALENDAR_KEYS and not keys & {"id", "steps"}:
        return "calendar"
    return "procedure"


def _calendar_of(procedure: str, calendar: str, lang: str) -> tuple[Diagnostic, ...]:
    """The agency calendar is part of the procedure, so ``alur validate`` finds its problems,
    not first ``case open``: a missing file at ``agency.calendar`` (R017; loading the procedure
    elsewhere still reports it as a file not found, exit 3), else the file's own diagnostics
    at their place in it. Checked here and not by the cached procedure checks: it is another
    file, which may change while the procedure does not."""
    beside = os.path.join(os.path.dirname(procedure), calendar)
    if os.path.isfile(beside):
        from engine.cases.calendar_file import check_overrides_file

        return check_overrides_file(beside, lang=lang).diagnostics
    doc = read_file(procedure, lang)
    where = ("agency", "calendar")
    return (make("R017", Severity.ERROR, doc.file, doc.locate(where), format_path(where), lang,
                 name=calendar),)


def check_file(path: str | os.PathLike[str], kind: str | None = None,
               lang: str = "en") -> FileCheck:
    """Check the file at ``path`` as ``kind`` (one of :data:`KINDS`; told from the file when
    ``None``)."""
    name = os.fspath(path)
    chosen = kind or detect_kind(name)
    if chosen == "procedure":
        checked = check_path(name, lang)
        calendar = checked.procedure.agency.calendar if checked.procedure else None
        extra = _calendar_of(name, calendar, lang) if calendar else ()
        if checked.procedure is not None:  # referral targets are other files, like a calendar
            from engine.procedure.targets import check_targets

            extra += check_targets(name, checked.procedure, lang)
        return FileCheck(checked.file, chosen, checked.diagnostics + extra)
    read: Read[Any]
    if chosen == "roster":  # each format's model loads only when a file of it is checked
        from engine.cases.roster_file import check_roster_file

        read = check_roster_file(name, lang=lang)
    elif chosen == "case-file":
        from engine.cases.case_file import check_case_record_file

        read = check_case_record_file(name, lang=lang)
    elif chosen == "calendar":
        from engine.cases.calendar_file import check_overrides_file

        read = check_overrides_file(name, lang=lang)
    else:
        raise UsageError.of("err.file_kind", None, kind=chosen, kinds=", ".join(KINDS))
    return FileCheck(read.file, chosen, read.diagnostics)
