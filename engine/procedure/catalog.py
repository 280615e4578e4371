"""Finding procedures: a file path or the id of a procedure in the procedures folder.

``PROC`` arguments everywhere accept either a path to a ``.yaml`` file or a bare id such as
``mediasi``, looked up in ``$ALUR_PROCEDURES`` (default ``./procedures``). Loading goes through
:func:`engine.procedure.validate.check_path`, which caches by content hash.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.errors import ProcedureError, ProcedureNotFound
from engine.messages import default_lang, text
from engine.procedure.validate import Checked, check_path

__all__ = ["procedures_dir", "resolve", "resolve_path"]


def procedures_dir() -> Path:
    return Path(os.environ.get("ALUR_PROCEDURES", "procedures"))


def resolve_path(ref: str, lang: str | None = None) -> Path:
    """The file a PROC argument names; raises ProcedureNotFound with the places looked at."""
    lang = lang or default_lang()
    candidate = Path(ref)
    if candidate.suffix in (".yaml", ".yml") or os.sep in ref or "/" in ref:
        if candidate.is_file():
            return candidate
        message, hint = text("err.procedure_file_missing", lang, ref=ref,
                             folder=procedures_dir())
        raise ProcedureNotFound(message, hint=hint)
    folder = procedures_dir()
    for suffix in (".yaml", ".yml"):
        path = folder / f"{ref}{suffix}"
        if path.is_file():
            return path
    if folder.is_dir():
        for path in sorted(folder.glob("*.y*ml")):
            checked = check_path(path)
            if checked.procedure is not None and checked.procedure.id == ref:
                return path
    known = sorted(p.stem for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    message, hint = text("err.procedure_unknown", lang, ref=ref, folder=folder,
                         known=", ".join(known) or text("cli.none", lang)[0])
    raise ProcedureNotFound(message, hint=hint)


def resolve(ref: str, lang: str | None = None) -> Checked:
    """The checked, valid procedure a PROC argument names; raises when it does not load."""
    lang = lang or default_lang()
    checked = check_path(resolve_path(ref, lang), lang)
    if checked.procedure is None:
        message, hint = text("err.procedure_not_loaded", lang, file=checked.file,
                             count=len(checked.errors))
        raise ProcedureError(message, checked.diagnostics, hint=hint)
    return checked
