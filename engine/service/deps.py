"""What every route asks of a request: the worker's :class:`~engine.service.app.Service`, the
caller (from ``Authorization: Bearer``, checked against the accounts), the scope the route
needs, and an :class:`~engine.api.Engine` speaking the request's language.

The routers of ``engine/service/routes_*.py`` and the routes of ``app.py`` take these as FastAPI
dependencies, so a route cannot forget authentication: ``Reader``, ``Writer`` and ``Admin``
are the only ways to a caller, and each needs a valid token with its scope.
"""

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from engine.access import require_agency, same_agency
from engine.api import Engine
from engine.cases.state import CaseState
from engine.errors import ProcedureNotFound
from engine.messages import LANGS
from engine.procedure.model import Procedure
from engine.service.auth import Caller
from engine.service.problems import Problem

if TYPE_CHECKING:
    from engine.service.app import Service

# No ``from __future__ import annotations``: FastAPI reads these annotations at run time.

__all__ = [
    "API",
    "Admin",
    "Lang",
    "Reader",
    "Writer",
    "agency_procedures",
    "api_routes",
    "caller",
    "check_agency",
    "needs",
    "readable",
    "request_lang",
    "service_of",
    "stored_procedure",
]


API = "/api/v1"


def api_routes(app: Any) -> list[tuple[str, frozenset[str], Callable[..., Any]]]:
    """Every route of the app as (path template, methods, endpoint), the routes of included
    routers too (FastAPI keeps those behind one entry of ``app.routes``)."""
    from fastapi.routing import APIRoute

    found: list[tuple[str, frozenset[str], Callable[..., Any]]] = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            found.append((route.path, frozenset(route.methods or ()), route.endpoint))
        elif hasattr(route, "effective_route_contexts"):
            for ctx in route.effective_route_contexts():
                found.append((ctx.path, frozenset(ctx.methods or ()), ctx.endpoint))
    return found


def request_lang(request: Request) -> str:
    """The language asked for by ``Accept-Language`` (Indonesian or English, by q-value)."""
    best, best_q = "en", -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        code = tag.strip().lower()[:2]
        if code in LANGS and q > best_q:
            best, best_q = code, q
    return best


def service_of(request: Request) -> "Service":
    held: Service = request.app.state.service
    return held


async def engine_of(request: Request) -> Engine:
    return service_of(request).engine(request_lang(request))


# the token as an OpenAPI security scheme: HTTPBearer reads the header itself, which costs far
# less per request than a ``Header()`` parameter resolved by FastAPI
bearer = HTTPBearer(auto_error=False, description="An API token (`alur user token`).")


def caller(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Caller:
    """The user of a valid token (401 without one, 403 for a disabled user), read from the
    store on every request so a revoked token or a disabled user stops at once."""
    if credentials is None or not credentials.credentials.strip():
        raise Problem(401, "svc.auth_required", headers={"WWW-Authenticate": "Bearer"})
    found = service_of(request).accounts.bearer(credentials.credentials.strip())
    if found is None or found[0].revoked_at:
        raise Problem(401, "svc.auth_invalid", headers={"WWW-Authenticate": "Bearer"})
    token, user = found
    if user.disabled:
        raise Problem(403, "svc.user_disabled", user=user.name)
    return Caller(user.name, user.roles, user.agency, token.scopes)


# The dependencies are ``async`` and flat (one level above the token scheme): FastAPI runs a
# plain ``def`` dependency in its thread pool, and that hop, like each level of dependencies it
# solves, cost more than the token's one indexed read. The read runs on the event loop: the
# worker's store is one connection behind a lock, so a thread would not read it any sooner.
def needs(scope: str) -> Callable[..., Awaitable[Caller]]:
    async def check(request: Request,
                    credentials: Annotated[HTTPAuthorizationCredentials | None,
                                           Depends(bearer)]) -> Caller:
        who = caller(request, credentials)
        if scope not in who.scopes and "admin" not in who.scopes:
            raise Problem(403, "svc.scope_missing", scope=scope)
        return who
    return check


def check_agency(engine: Engine, who: Caller, proc: Procedure, request: Request) -> None:
    """403 (recorded) unless the caller works for the agency that publishes ``proc``."""
    route: Any = request.scope.get("route")
    action = f"{request.method} {getattr(route, 'path', request.url.path)}"
    require_agency(engine, who.user, who.agency, proc, action)


def readable(engine: Engine, who: Caller, case_id: str, request: Request,
             reveal_reason: str | None = None) -> CaseState:
    """The case, read as the first of the caller's roles that may read it (refused and
    recorded when the caller is of another agency, or by the engine when no role may); with
    ``reveal_reason``, a reveal of its sensitive values, recorded with the reason."""
    proc = service_of(request).procedure_of(engine, case_id)
    check_agency(engine, who, proc, request)
    roles = sorted(who.roles & engine.readers(proc)) or sorted(who.roles) or ["-"]
    return engine.read_case(case_id, user=who.user, role=roles[0], reveal_reason=reveal_reason)


def agency_procedures(engine: Engine, who: Caller) -> list[str]:
    """Ids of the stored procedures the caller's agency publishes (by their newest version)."""
    newest: dict[str, str] = {}
    for stored in engine.store.procedures():
        newest[stored.id] = stored.hash
    return sorted(pid for pid, digest in newest.items()
                  if same_agency(who.agency, engine.procedure(digest)))


def stored_procedure(engine: Engine, who: Caller, procedure_id: str,
                     request: Request) -> Procedure:
    """The newest stored version of ``procedure_id`` (404 when the store has run none), of
    the caller's agency (403, recorded, otherwise)."""
    stored = engine.store.procedures(procedure_id)
    if not stored:
        known = sorted({p.id for p in engine.store.procedures()})
        raise ProcedureNotFound.of("err.cli.procedure_no_cases", engine.lang, ref=procedure_id,
                                   store=engine.store.url, known=", ".join(known) or "-")
    proc = engine.procedure(stored[-1].hash)
    check_agency(engine, who, proc, request)
    return proc


Reader = Annotated[Caller, Depends(needs("read"))]
Writer = Annotated[Caller, Depends(needs("write"))]
Admin = Annotated[Caller, Depends(needs("admin"))]
Lang = Annotated[Engine, Depends(engine_of)]
