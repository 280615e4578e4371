"""Referrals and linked cases: ``/cases/{id}/links`` (the cases a case referred to or came
from, as ``alur case show`` lists them) and ``/referrals`` (the referrals of the cases the caller
may read). A linked case's status is shown only when the caller may read that case too."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from engine.access import same_agency
from engine.api import Engine
from engine.service.auth import Caller
from engine.service.deps import API, Lang, Reader, readable

__all__ = ["LinkOut", "ReferralOut", "router"]

router = APIRouter(prefix=API, tags=["cases"])


class LinkOut(BaseModel):
    direction: str
    procedure_id: str
    case_id: str | None
    at: str
    wait: bool = False
    status: str | None = None


class ReferralOut(BaseModel):
    case_id: str
    procedure_id: str
    referred_procedure_id: str
    referred_case_id: str | None
    at: str
    wait: bool
    status: str | None


def _status(engine: Engine, who: Caller, case_id: str | None) -> str | None:
    """The linked case's status, if the caller may read that case (else None)."""
    snap = engine.store.snapshot(case_id) if case_id else None
    if snap is None:
        return None
    proc = engine.procedure(snap.procedure_hash)
    return snap.status if who.roles & engine.readers(proc) and same_agency(
        who.agency, proc) else None


def _link(engine: Engine, who: Caller, link: dict[str, Any]) -> LinkOut:
    return LinkOut(direction=str(link["direction"]), procedure_id=str(link["procedure_id"]),
                   case_id=link.get("case_id"), at=str(link.get("at") or ""),
                   wait=bool(link.get("wait")),
                   status=_status(engine, who, link.get("case_id")))


@router.get("/cases/{case_id}/links")
def links(case_id: str, request: Request, who: Reader, engine: Lang) -> list[LinkOut]:
    """The cases this case referred to (``out``) and the case it was referred from (``in``)."""
    case_id = engine.resolve(case_id)  # the case id or the case's short number
    state = readable(engine, who, case_id, request)
    return [_link(engine, who, link) for link in state.links]


@router.get("/referrals")
def referrals(who: Reader, engine: Lang,
              procedure: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.-]{1,128}$")]
              = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[ReferralOut]:
    """Referrals made by the cases the caller's roles may read (of their agency), newest
    first."""
    out: list[ReferralOut] = []
    for snap in engine.cases(procedure_id=procedure):
        proc = engine.procedure(snap.procedure_hash)
        if not (who.roles & engine.readers(proc) and same_agency(who.agency, proc)):
            continue
        for link in snap.state.get("links") or ():
            if link.get("direction") != "out":
                continue
            out.append(ReferralOut(case_id=snap.case_id, procedure_id=snap.procedure_id,
                                   referred_procedure_id=str(link["procedure_id"]),
                                   referred_case_id=link.get("case_id"),
                                   at=str(link.get("at") or ""), wait=bool(link.get("wait")),
                                   status=_status(engine, who, link.get("case_id"))))
    out.sort(key=lambda r: (r.at, r.case_id), reverse=True)
    return out[:limit]
