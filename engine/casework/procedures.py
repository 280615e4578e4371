"""Procedure versions a worker has loaded, by content hash, each with its decision context.

A procedure is pinned by the SHA-256 of its text: the first use stores the text, cases keep the
hash, and a worker without the ``procedures/`` folder rebuilds the context from the stored text,
after checking that the text still hashes to its name (an edited text would apply rules nobody
sealed).

Must not: read or write cases.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from engine.cases.calendar import WorkCalendar, calendar_for, load_overrides
from engine.cases.machine import machine_for
from engine.cases.roster import Roster
from engine.cases.runtime import Context
from engine.errors import ProcedureError, ProcedureNotFound, TamperDetected
from engine.messages import text
from engine.procedure.catalog import resolve_path
from engine.procedure.model import Procedure
from engine.procedure.validate import Checked, check_bytes, check_path
from engine.store import Store, StoredProcedure

__all__ = ["Procedures", "text_hash"]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Procedures:
    """The decision contexts of the procedure versions this worker has used (by hash)."""

    def __init__(self, store: Store, roster: Roster | None, lang: str,
                 clock: Callable[[], datetime], salts: Callable[[int], bytes]) -> None:
        self.store, self.roster, self.lang = store, roster, lang
        self.clock, self.salts = clock, salts
        self._contexts: dict[str, Context] = {}

    def __contains__(self, procedure_hash: str) -> bool:
        return procedure_hash in self._contexts

    def register(self, procedure: str | os.PathLike[str]) -> str:
        """Load a procedure file (or id in ./procedures), store it by content hash; the hash.
        An id with no file is the newest version the store has seen."""
        ref = os.fspath(procedure)
        try:
            path = resolve_path(ref, self.lang)
        except ProcedureNotFound:
            stored = self.store.procedures(ref)
            if stored:
                return stored[-1].hash
            raise
        checked = check_path(path, self.lang)
        proc = self._valid(checked)
        digest = text_hash(checked.text)
        if digest not in self._contexts:
            self.store.put_procedure(StoredProcedure(digest, proc.id, proc.version,
                                                     checked.text, self.clock().isoformat()))
            self._remember(proc, digest, str(path))
        return digest

    def context(self, procedure_hash: str) -> Context:
        """The decision context of a stored procedure version (built once per hash)."""
        ctx = self._contexts.get(procedure_hash)
        if ctx is not None:
            return ctx
        stored = self.store.procedure(procedure_hash)
        if stored is None:
            message, hint = text("err.procedure_version_missing", self.lang,
                                 version=procedure_hash[:12])
            raise ProcedureNotFound(message, hint=hint)
        if stored.hash != procedure_hash or not isinstance(stored.text, str) \
                or text_hash(stored.text) != procedure_hash:
            # the text was edited in the store (a fact no longer sensitive, a reader added)
            message, hint = text("err.tamper_procedure", self.lang, version=procedure_hash[:12],
                                 procedure=stored.id)
            raise TamperDetected(message, hint=hint)
        checked = check_bytes(stored.text.encode("utf-8"), f"store:{stored.id}@{stored.version}",
                              self.lang)
        return self._remember(self._valid(checked), procedure_hash, None)

    def _remember(self, proc: Procedure, digest: str, path: str | None) -> Context:
        ctx = Context(proc, digest, machine_for(proc, digest), _calendar(proc, path),
                      self.roster, self.lang, self.salts)
        self._contexts[digest] = ctx
        return ctx

    def _valid(self, checked: Checked) -> Procedure:
        if checked.procedure is None:
            message, hint = text("err.procedure_invalid", self.lang, file=checked.file)
            raise ProcedureError(message, checked.diagnostics, hint=hint)
        return checked.procedure


def _calendar(proc: Procedure, path: str | None) -> WorkCalendar:
    """The procedure's working days; an agency's override file is read next to the procedure
    file (a version rebuilt from the store has none)."""
    overrides = None
    if proc.agency.calendar and path is not None:
        overrides = load_overrides(Path(path).parent / proc.agency.calendar)
    return calendar_for(proc.agency.timezone, overrides)
