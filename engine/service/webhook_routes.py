"""``/api/v1/webhooks``: webhook subscriptions and their dead letters, for administrators (a
token with the ``admin`` scope). The same functions as ``alur webhooks add/list/remove/retry``
(:mod:`engine.store.outbox`); a subscription's secret is shown once, when it is made."""

import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from engine.cases.state import EVENT_TYPES
from engine.service.auth import Caller
from engine.service.problems import Problem
from engine.store.outbox import (
    MAX_ROW_ID,
    Outbox,
    OutboxRow,
    Subscription,
    counts_by_subscription,
)

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations.

__all__ = ["webhook_router"]

API = "/api/v1"
_ID = r"^wh_[0-9a-f]{1,32}$"


# an event type, listed in the schema (what the store accepts is exactly these)
EventType = Annotated[str, Field(json_schema_extra={"enum": sorted(EVENT_TYPES)})]


def _a_number(value: object) -> object:
    """A JSON number only (``12`` or ``12.0``, as JSON Schema's integer), never text or true."""
    if isinstance(value, (str, bytes, bool)):
        raise ValueError("a number is wanted")
    return value


RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID), BeforeValidator(_a_number)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookIn(_Strict):
    url: str = Field(max_length=2000, pattern=r"^https?://[^\x00-\x20]+$",
                     description="Where events are POSTed")
    procedure: str = Field("", pattern=r"^[A-Za-z0-9_.-]{0,128}$",
                           description="Only cases of this procedure ('' = every one)")
    event_types: list[EventType] = Field(default_factory=list, max_length=50,
                                         description="Only these event types ([] = all)")
    allow_sensitive: StrictBool = Field(False, description="Payloads may carry sensitive values "
                                                     "and outside participants' ids")
    secret: str | None = Field(None, min_length=16, max_length=200,
                               description="Signing secret (default: a new random one)")


class WebhookOut(BaseModel):
    id: str
    url: str
    procedure: str
    event_types: list[str]
    allow_sensitive: bool
    created_at: str
    pending: int = 0
    delivered: int = 0
    dead: int = 0


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Shown only now: keep it to verify signatures")


class OutboxRowOut(BaseModel):
    id: int
    webhook: str
    case_id: str
    seq: int
    event_type: str
    attempts: int
    last_error: str | None


class RetryIn(_Strict):
    ids: list[RowId] = Field(
        default_factory=list, max_length=1000,
        description="Dead letters to send again ([] = every one)")


class RetryOut(BaseModel):
    requeued: int


def _out(sub: Subscription, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {"id": sub.id, "url": sub.url, "procedure": sub.procedure_id,
            "event_types": list(sub.event_types), "allow_sensitive": sub.sensitive,
            "created_at": sub.created_at, **(counts or {})}


def _row_out(row: OutboxRow) -> OutboxRowOut:
    return OutboxRowOut(id=row.id, webhook=row.subscription_id, case_id=row.case_id,
                        seq=row.seq, event_type=row.event_type, attempts=row.attempts,
                        last_error=row.last_error)


def webhook_router(outbox: Outbox, needs_admin: Callable[..., Awaitable[Caller]]) -> APIRouter:
    """The routes, each behind ``needs_admin`` (the app's check of the ``admin`` scope)."""
    router = APIRouter(prefix=f"{API}/webhooks", tags=["webhooks"])
    Admin = Annotated[Caller, Depends(needs_admin)]

    @router.get("/subscriptions")
    def list_webhooks(who: Admin) -> list[WebhookOut]:
        """Subscriptions (without their secrets) and how many of their rows are pending,
        delivered and dead."""
        counts = counts_by_subscription(outbox)
        return [WebhookOut(**_out(s, counts.get(s.id))) for s in outbox.subscriptions()]

    @router.post("/subscriptions", status_code=201)
    def add_webhook(body: WebhookIn, who: Admin) -> WebhookCreated:
        """Subscribe a URL to events (from now on); the signing secret is in this answer only."""
        sub = outbox.add(body.url, procedure_id=body.procedure, event_types=body.event_types,
                         sensitive=body.allow_sensitive, secret=body.secret)
        return WebhookCreated(**_out(sub), secret=sub.secret)

    @router.delete("/subscriptions/{webhook_id}", status_code=204)
    def remove_webhook(webhook_id: Annotated[str, Path(pattern=_ID)], who: Admin) -> Response:
        """Remove a subscription and every row it still had."""
        if not outbox.remove(webhook_id):
            raise Problem(404, "hook.no_subscription", id=webhook_id)
        return Response(status_code=204)

    @router.get("/dead")
    def dead_letters(who: Admin) -> list[OutboxRowOut]:
        """Rows given up on after the last attempt (``POST .../retry`` sends them again)."""
        return [_row_out(r) for r in outbox.rows("dead")]

    @router.post("/retry")
    def retry(body: RetryIn, who: Admin) -> RetryOut:
        """Put dead letters back in the queue, due now, their attempts counted afresh."""
        return RetryOut(requeued=outbox.retry(body.ids, now=time.time()))

    return router
