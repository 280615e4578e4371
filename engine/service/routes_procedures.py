"""``/procedures/{id}/diff``: what changed between two stored versions of a procedure, in the
words of ``alur diff`` (:mod:`engine.authoring.diff`), and the running cases the change
reaches. Validation, listing and graphs of procedures are in :mod:`engine.service.app`."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as FastPath
from pydantic import BaseModel

from engine.authoring.diff import affected_cases, diff
from engine.service.deps import API, Lang, Reader, stored_procedure
from engine.service.problems import Problem

__all__ = ["DiffOut", "router"]

router = APIRouter(prefix=API, tags=["procedures"])

_HASH = r"^[0-9a-f]{64}$"


class DiffOut(BaseModel):
    procedure_id: str
    old: str
    new: str
    differences: bool
    changes: list[dict[str, Any]]
    cases: list[dict[str, Any]]


def _version(procedure_id: str, digest: str, known: list[str]) -> str:
    if digest not in known:
        raise Problem(404, "svc.no_version", procedure=procedure_id, version=digest,
                      known=", ".join(known))
    return digest


@router.get("/procedures/{procedure_id}/diff")
def diff_versions(procedure_id: Annotated[str, FastPath(pattern=r"^[A-Za-z0-9_.-]{1,128}$")],
                  request: Request, who: Reader, engine: Lang,
                  old: Annotated[str | None, Query(pattern=_HASH)] = None,
                  new: Annotated[str | None, Query(pattern=_HASH)] = None) -> DiffOut:
    """Every change from the ``old`` to the ``new`` stored version (content hashes; default the
    two newest), each one sentence in the request's language, and the running cases of the
    caller's agency that sit at a step the new version removes or changes."""
    stored_procedure(engine, who, procedure_id, request)  # 404, or 403 for another agency
    known = [p.hash for p in engine.store.procedures(procedure_id)]
    if (old is None or new is None) and len(known) < 2:
        raise Problem(404, "svc.one_version", procedure=procedure_id)
    old_hash = _version(procedure_id, old or known[-2], known)
    new_hash = _version(procedure_id, new or known[-1], known)
    before, after = engine.procedure(old_hash), engine.procedure(new_hash)
    changes = diff(before, after)
    # the cases are listed only to a role that may read them (the agency is checked above)
    snapshots = engine.cases(procedure_id=procedure_id) if who.roles & engine.readers(
        before) else []
    reached = affected_cases(changes, before, snapshots, old_hash, new_hash)
    return DiffOut(procedure_id=procedure_id, old=old_hash, new=new_hash,
                   differences=bool(changes), changes=[c.to_dict(engine.lang) for c in changes],
                   cases=[c.to_dict(engine.lang) for c in reached])
