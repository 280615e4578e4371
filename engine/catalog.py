"""Finding procedures: a file path or the id of a procedure in the procedures folder.

``PROC`` arguments everywhere accept either a path to a ``.yaml`` file or a bare id such as
``mediasi``, looked up in ``$ALUR_PROCEDURES`` (default ``./procedures``). Loading goes through
:func:`engine.validate.check_path`, which caches by content hash.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.errors import ProcedureError, ProcedureNotFound
from engine.validate import Checked, check_path

__all__ = ["procedures_dir", "resolve", "resolve_path"]


def procedures_dir() -> Path:
    return Path(os.environ.get("ALUR_PROCEDURES", "procedures"))


def resolve_path(ref: str) -> Path:
    """The file a PROC argument names; raises ProcedureNotFound with the places looked at."""
    candidate = Path(ref)
    if candidate.suffix in (".yaml", ".yml") or os.sep in ref or "/" in ref:
        if candidate.is_file():
            return candidate
        raise ProcedureNotFound(f"no procedure file '{ref}'",
                                hint="check the path, or give the id of a procedure in "
                                     f"{procedures_dir()}/")
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
    raise ProcedureNotFound(f"no procedure '{ref}' in {folder}/",
                            hint=f"known procedures: {', '.join(known) or 'none'}; "
                                 "or give a path to a .yaml file")


def resolve(ref: str, lang: str = "en") -> Checked:
    """The checked, valid procedure a PROC argument names; raises when it does not load."""
    checked = check_path(resolve_path(ref), lang)
    if checked.procedure is None:
        raise ProcedureError(f"{checked.file}: {len(checked.errors)} error(s); the procedure "
                             "did not load", checked.diagnostics,
                             hint="run 'alur validate' on the file to see each problem")
    return checked
