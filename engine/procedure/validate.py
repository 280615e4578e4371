"""Validation façade: text → diagnostics (and a typed procedure when there are no errors).

Runs the layers in order and collects everything each finds: reading
(:mod:`engine.procedure.source`), shape (:mod:`engine.procedure.shape`), types and references
(pydantic + :mod:`engine.procedure.references`) and the graph (:mod:`engine.procedure.graph`).
A layer runs only when the one before it found no error, because its
input would not be meaningful; within a layer every problem is reported. Results are cached by
the SHA-256 of the file's bytes, so loading the same procedure twice costs one hash.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path as FsPath

from pydantic import ValidationError

from engine.diagnostics import Diagnostic, Severity, make, sort_unique
from engine.errors import ProcedureError
from engine.procedure.graph import check_graph
from engine.procedure.model import Procedure
from engine.procedure.references import check_references
from engine.procedure.shape import check_shape, conforming
from engine.procedure.source import MAX_BYTES, format_path, read_bytes, read_file

__all__ = ["Checked", "check_bytes", "check_path", "load_procedure", "validate"]


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome of checking one file: the procedure (when valid), its hash and diagnostics."""

    file: str
    sha256: str
    text: str
    procedure: Procedure | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def ok(self) -> bool:
        return self.procedure is not None


_CACHE: dict[tuple[str, str, str], Checked] = {}
_CACHE_LIMIT = 256


def check_bytes(raw: bytes, name: str = "<text>", lang: str = "en") -> Checked:
    digest = hashlib.sha256(raw).hexdigest()
    key = (digest, name, lang)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    result = _check(read_bytes(raw, name, lang), digest, lang)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result
    return result


def check_path(path: str | os.PathLike[str], lang: str = "en") -> Checked:
    name = os.fspath(path)
    try:
        if os.stat(name).st_size > MAX_BYTES:
            return _check(read_file(name, lang), "", lang)
        raw = FsPath(name).read_bytes()
    except OSError:
        return _check(read_file(name, lang), "", lang)
    return check_bytes(raw, name, lang)


def _check(doc_source: object, digest: str, lang: str) -> Checked:
    from engine.procedure.source import SourceDoc

    assert isinstance(doc_source, SourceDoc)
    doc = doc_source
    diagnostics = list(doc.diagnostics)
    procedure: Procedure | None = None
    if doc.ok and doc.data is not None:
        procedure = conforming(doc.data)  # a right file is typed in one strict pass
        if procedure is None:  # else the schema says what is wrong, and pydantic what it adds
            diagnostics += check_shape(doc, lang)
        if procedure is None and not any(d.is_error for d in diagnostics):
            try:
                procedure = Procedure.model_validate(doc.data)
            except ValidationError as exc:
                seen: set[tuple[str | int, ...]] = set()
                for err in exc.errors():
                    # a union (``number: int | text``) reports each member's error with its
                    # tag in the path: one value, one diagnostic, at the value's own path
                    path = _in_data(doc.data, tuple(err["loc"]))
                    if path in seen:
                        continue
                    seen.add(path)
                    if err["type"] == "string_pattern_mismatch":  # e.g. "abc\n": Python's re
                        # lets '$' match before a final newline, so only pydantic catches it
                        diagnostics.append(make("S006", Severity.ERROR, doc.file,
                                                doc.locate(path), format_path(path), lang,
                                                value=repr(err["input"])[1:-1]))
                        continue
                    diagnostics.append(make("S005", Severity.ERROR, doc.file, doc.locate(path),
                                            format_path(path), lang, problem=err["msg"]))
        if procedure is not None:
            diagnostics += check_references(procedure, doc, lang)
            if not any(d.is_error for d in diagnostics):
                diagnostics += check_graph(procedure, doc, lang)
    ordered = tuple(sort_unique(diagnostics))
    if any(d.is_error for d in ordered):
        procedure = None
    return Checked(doc.file, digest, doc.text, procedure, ordered)


def _in_data(data: object, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The longest start of ``loc`` that is a path in ``data`` (pydantic adds union tags
    such as ``int`` or ``constrained-str`` after the value's own path)."""
    node, kept = data, 0
    for key in loc:
        if (isinstance(node, dict) and key in node) or (
                isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)):
            node = node[key]  # type: ignore[index]  # a key of this dict, an index of this list
        else:
            break
        kept += 1
    return loc[:kept] if kept else loc


def validate(path: str | os.PathLike[str], lang: str = "en") -> list[Diagnostic]:
    """Every diagnostic for the procedure file at ``path`` (empty when it is clean)."""
    return list(check_path(path, lang).diagnostics)


def load_procedure(path: str | os.PathLike[str], lang: str = "en") -> Procedure:
    """The typed procedure at ``path``; raises :class:`ProcedureError` carrying every error."""
    checked = check_path(path, lang)
    if checked.procedure is None:
        raise ProcedureError.carrying(checked.diagnostics, "err.procedure_not_loaded", lang,
                                      file=checked.file, count=len(checked.errors))
    return checked.procedure
