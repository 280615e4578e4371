"""``/retention``: which closed cases of the caller's agency are past their retention period
(``GET``, a dry run) and anonymising them (``POST``) — ``alur retention apply`` over HTTP,
through the same :func:`engine.retention.run_retention`, for a user whose role has the
``erase`` privilege. Every erasure is recorded in the audit log."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from engine.access import require_not_ahead, require_privilege
from engine.api import Engine
from engine.retention import run_retention
from engine.service.auth import Caller
from engine.service.deps import API, Lang, Reader, Writer, agency_procedures

__all__ = ["RetentionOut", "router"]

router = APIRouter(prefix=API, tags=["retention"])


class RetentionOut(BaseModel):
    dry_run: bool
    now: str
    cases: list[dict[str, Any]]


def _retain(request: Request, who: Caller, engine: Engine, now: datetime | None,
            dry_run: bool) -> RetentionOut:
    route: Any = request.scope.get("route")
    role = require_privilege(engine, who.user, "erase",
                             f"{request.method} {getattr(route, 'path', request.url.path)}")
    clock = engine.clock()
    if now is not None and now.tzinfo is None:  # a moment without offset is taken as UTC
        now = now.replace(tzinfo=UTC)
    moment = now or clock
    if not dry_run:  # erasing ahead of time is erasing early
        require_not_ahead(engine, who.user, role, moment, clock)
    done = run_retention(engine, moment, user=who.user, role=role, dry_run=dry_run,
                         procedures=agency_procedures(engine, who))
    return RetentionOut(dry_run=dry_run, now=moment.isoformat(), cases=[
        {"case_id": d.case_id, "redacted_values": d.redacted_values,
         "erased_documents": d.erased_documents, "kept_user_ids": d.kept_user_ids}
        for d in done])


@router.get("/retention")
def retention_plan(request: Request, who: Reader, engine: Lang,
                   now: Annotated[datetime | None, Query()] = None) -> RetentionOut:
    """The closed cases of the caller's agency that anonymising at ``now`` (ISO 8601, UTC
    when without offset; default the clock) would reach, and how much of each; nothing is
    changed."""
    return _retain(request, who, engine, now, dry_run=True)


@router.post("/retention")
def retention_apply(request: Request, who: Writer, engine: Lang,
                    now: Annotated[datetime | None, Query()] = None) -> RetentionOut:
    """Anonymise those cases for good (never at a moment later than the clock)."""
    return _retain(request, who, engine, now, dry_run=False)
