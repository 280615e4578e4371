"""The FastAPI application: one :class:`Service` (store, accounts, engines) per worker process,
and the routes of ``/api/v1``. Routes parse the request, call one :class:`~engine.api.Engine`
function (the ones the CLI calls), and shape its answer; errors become problem details."""

import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Query, Request, Response, UploadFile
from fastapi import Path as FastPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.access import same_agency
from engine.api import CaseResult, Engine
from engine.cases.commands import (
    AddParticipant,
    AttachDocument,
    Attachment,
    Command,
    CompleteStep,
    ExtendDeadline,
    SetFact,
    Terminate,
    Withdraw,
)
from engine.cases.privacy import mask_event, mask_state
from engine.cases.state import CaseState
from engine.errors import AlurError, CaseNotFound, CommandRefused
from engine.messages import text
from engine.procedure.model import Procedure
from engine.service import (
    routes_audit,
    routes_links,
    routes_procedures,
    routes_retention,
    routes_users,
    wire,
)
from engine.service.auth import AccountRoster, Caller, LoginLimiter, check_login
from engine.service.deps import (
    API,
    Admin,
    Lang,
    Reader,
    Writer,
    api_routes,
    check_agency,
    needs,
    readable,
    request_lang,
)
from engine.service.metrics import Metrics
from engine.service.pages import workspace
from engine.service.problems import PROBLEM_JSON, Problem, problem_from
from engine.service.scheduler import Sweeper
from engine.service.webhook_routes import webhook_router
from engine.service.webhooks import Deliverer, WebhookMetrics
from engine.store import DEFAULT_URL, Store, open_store
from engine.store.accounts import Accounts, open_accounts
from engine.store.outbox import Outbox, open_outbox

__all__ = ["Service", "create_app"]

ACCESS_LOG = logging.getLogger("alur.access")
MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})


_lang = request_lang  # the routes of this module call it by its old name


# No ``from __future__ import annotations`` here: FastAPI reads the routes' annotations (the
# ``Annotated`` dependencies made inside create_app) when each route is declared.


class Service:
    """What one worker process holds: the store, the accounts, one Engine per language (sharing
    the store), and the failed-login counter."""

    def __init__(self, db: str | None, *, clock: Callable[[], datetime] | None = None,
                 sweep_interval: float = 0.0, webhook_interval: float = 0.0,
                 webhook_lease: float | None = None,
                 privileges: dict[str, frozenset[str]] | None = None) -> None:
        self.url = db or os.environ.get("ALUR_DB") or DEFAULT_URL  # as open_store reads it
        self.store: Store = open_store(self.url)
        self.accounts: Accounts = open_accounts(self.url, self.store)
        if privileges is None:
            privileges = _roster_privileges()
        # the roles come from the accounts; the privileges (audit, erase, export_sensitive)
        # from the roster file's ``privileges:`` section, as for the CLI
        self.roster = AccountRoster({}, "service accounts", privileges, accounts=self.accounts)
        self._procedure_of: dict[str, str] = {}
        self._clock = clock
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()
        self.limiter = LoginLimiter()
        self.metrics = Metrics()
        # the sweep records breaches as the system, not as a user: no roster on its engine
        self.sweeper = Sweeper(Engine(self.store, clock=clock), self.accounts, sweep_interval,
                               on_sweep=self.metrics.breaches.inc) if sweep_interval else None
        # webhooks: every worker delivers the outbox (each row claimed by one at a time)
        self.outbox: Outbox = open_outbox(self.url, self.store)
        hooks = WebhookMetrics(self.metrics.registry, self.outbox)
        self.deliverer = Deliverer(Engine(self.store, clock=clock), self.outbox,
                                   interval=webhook_interval, lease=webhook_lease,
                                   metrics=hooks) if webhook_interval else None

    def engine(self, lang: str) -> Engine:
        with self._lock:
            engine = self._engines.get(lang)
            if engine is None:
                engine = self._engines[lang] = Engine(self.store, roster=self.roster,
                                                      clock=self._clock, lang=lang)
            return engine

    def procedure_of(self, engine: Engine, case_id: str) -> Procedure:
        """The procedure version a case is pinned to (it never changes: kept once read)."""
        digest = self._procedure_of.get(case_id)
        if digest is None:
            snap = self.store.snapshot(case_id)
            if snap is None:
                raise _not_found(engine, case_id)
            digest = snap.procedure_hash
            with self._lock:
                if len(self._procedure_of) > 100_000:
                    self._procedure_of.clear()
                self._procedure_of[case_id] = digest
        return engine.procedure(digest)

    def close(self) -> None:
        self.store.close()
        self.accounts.close()
        self.outbox.close()


COMMAND_HEADERS = [
    {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
     "description": 'The case version the command expects (`"<version>"` or `*`): 412 if the '
                    "case has moved on."},
    {"name": "Idempotency-Key", "in": "header", "required": False,
     "schema": {"type": "string", "maxLength": 200},
     "description": "A retried request with the same key gets the first answer; the command "
                    "runs once."},
]


def _roster_privileges() -> dict[str, frozenset[str]]:
    """The privileges of the roster file in ``$ALUR_ROSTER`` (``alur serve --roster``), or none:
    without one nobody audits, erases or reveals in bulk, as for the CLI."""
    from engine.cases.roster import load_roster, roster_path

    path = roster_path(None)
    return dict(load_roster(path).privileges) if path else {}


def _etag(version: int) -> str:
    return f'"{version}"'


def _case_out(engine: Engine, state: CaseState, reveal: bool = False) -> wire.CaseOut:
    proc = engine.procedure(state.procedure_hash)
    return wire.CaseOut(case_id=state.case_id, number=state.number,
                        procedure_id=state.procedure_id,
                        status=state.status, version=state.version,
                        current_step=state.current_step, due_at=state.due_at,
                        state=mask_state(proc, state, reveal=reveal))


def _result_out(engine: Engine, result: CaseResult) -> wire.CommandResult:
    proc = engine.procedure(result.case.procedure_hash)
    events = []
    for event in result.events:
        masked = mask_event(proc, event)
        events.append(wire.EventOut(seq=event.seq, type=event.type, at=event.at,
                                    role=event.role, user=str(masked.get("user", "")),
                                    payload=dict(masked.get("payload") or {})))
    return wire.CommandResult(case=_case_out(engine, result.case), events=events)


def _command(body: Any, case_id: str, user: str) -> Command:
    common = {"user": user, "role": body.role, "case_id": case_id}
    if isinstance(body, wire.CompleteStepIn):
        return CompleteStep(**common, step=body.step, outcome=body.outcome,
                            facts=dict(body.facts), participants=dict(body.participants),
                            note=body.note, service=body.service)
    if isinstance(body, wire.SetFactIn):
        return SetFact(**common, name=body.name, value=body.value)
    if isinstance(body, wire.AddParticipantIn):
        return AddParticipant(**common, participant_role=body.participant_role, name=body.name)
    if isinstance(body, wire.ExtendDeadlineIn):
        return ExtendDeadline(**common, amount=body.amount, unit=body.unit, reason=body.reason,
                              target=body.target)
    if isinstance(body, wire.WithdrawIn):
        return Withdraw(**common, reason=body.reason)
    assert isinstance(body, wire.TerminateIn)
    return Terminate(**common, reason=body.reason)


def create_app(db: str | None = None, *, clock: Callable[[], datetime] | None = None,
               sweep_interval: float = 0.0, webhook_interval: float = 0.0,
               webhook_lease: float | None = None, service: Service | None = None) -> FastAPI:
    """The HTTP app on the store at ``db`` (as ``--db``: None for ``$ALUR_DB`` or
    ``./alur.db``); with ``sweep_interval`` (seconds) it sweeps deadlines by itself, with
    ``webhook_interval`` it delivers the webhook outbox, each claim held ``webhook_lease``
    seconds (None: the deliverer's default)."""
    held = service or Service(db, clock=clock, sweep_interval=sweep_interval,
                              webhook_interval=webhook_interval, webhook_lease=webhook_lease)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if held.sweeper is not None:
            held.sweeper.start()
        if held.deliverer is not None:
            held.deliverer.start()
        yield
        if held.sweeper is not None:
            held.sweeper.stop()
        if held.deliverer is not None:
            held.deliverer.stop()
        if service is None:  # a Service passed in belongs to the caller
            held.close()

    problem = {"model": wire.ProblemOut, "content": {PROBLEM_JSON: {}}}
    app = FastAPI(title="alur", version="1", lifespan=lifespan,
                  responses={status: {**problem, "description": meaning} for status, meaning in (
                      (400, "the body cannot be read (not JSON)"), (401, "no valid API token"),
                      (403, "the token or the roles do not allow it"),
                      (404, "no such case, procedure or resource"),
                      (409, "refused by a rule, or the case changed"),
                      (412, "If-Match names an old version"), (413, "the body is too large"),
                      (422, "the request cannot be taken as it is"),
                      (429, "too many failed logins"), (503, "the store does not answer"))},
                  description="Standar Pelayanan procedures run as event-sourced cases.",
                  openapi_url=f"{API}/openapi.json", docs_url=f"{API}/docs", redoc_url=None)
    app.state.service = held

    def problem_response(status: int, body: dict[str, Any],
                         headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)

    @app.exception_handler(AlurError)
    async def _alur_error(request: Request, exc: AlurError) -> JSONResponse:
        body = problem_from(exc, request.url.path)
        return problem_response(int(body["status"]), body)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.body(_lang(request), request.url.path),
                                exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        body = Problem(422, "svc.request_invalid").body(_lang(request), request.url.path)
        body["errors"] = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")}
                          for e in exc.errors()]
        return problem_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {400: "svc.body_unreadable", 404: "svc.no_route",
                405: "svc.method"}.get(exc.status_code, "svc.http")
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:  # every route of the path, not only the first one matched
            allowed = sorted({m for path, methods, _ in api_routes(app)
                              if _matches(path, request.url.path) for m in methods})
            headers = {"Allow": ", ".join(allowed)}
        return problem_response(exc.status_code, Problem(exc.status_code, code, http=str(
            exc.status_code)).body(_lang(request), request.url.path), headers)

    app.add_middleware(_Measured, held.metrics)

    @app.get("/metrics", tags=["health"], response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        """Prometheus metrics of this worker process (no personal data)."""
        return PlainTextResponse(generate_latest(held.metrics.registry).decode(),
                                 media_type=CONTENT_TYPE_LATEST)

    # --- health ---------------------------------------------------------------------------

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        """The store answers (503 when it does not)."""
        try:
            held.store.head("__readyz__")
        except AlurError:
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    # --- authentication -------------------------------------------------------------------

    @app.post(f"{API}/auth/token", tags=["auth"], status_code=201)
    def login(body: wire.LoginIn, request: Request, engine: Lang) -> wire.TokenOut:
        """Exchange a user's password for a new API token (scopes read and write)."""
        address = request.client.host if request.client else "-"
        user = check_login(held.accounts, held.store, held.limiter, body.username, body.password,
                           address, engine.clock().isoformat())
        token, secret = held.accounts.add_token(user.name, body.label,
                                                frozenset({"read", "write"}))
        return wire.TokenOut(token=secret, id=token.id, user=user.name,
                             scopes=sorted(token.scopes))

    # --- procedures -----------------------------------------------------------------------

    @app.get(f"{API}/procedures", tags=["procedures"])
    def procedures(who: Reader, engine: Lang) -> list[wire.ProcedureOut]:
        """Procedure versions of the caller's agency this store has run (newest last)."""
        found = []
        for stored in engine.store.procedures():
            proc = engine.procedure(stored.hash)
            if not same_agency(who.agency, proc):
                continue
            found.append(wire.ProcedureOut(id=proc.id, version=proc.version, title=proc.title,
                                           hash=stored.hash, roles=[r.id for r in proc.roles],
                                           steps=[s.id for s in proc.steps]))
        return found

    @app.post(f"{API}/procedures/validate", tags=["procedures"])
    async def validate_upload(request: Request, who: Reader) -> wire.ValidationOut:
        """Validate a procedure file sent as the request body (YAML); nothing is stored."""
        from engine.procedure.validate import check_bytes

        raw = await request.body()
        if len(raw) > 2 * 1024 * 1024:
            raise Problem(413, "svc.too_large", limit="2 MiB")
        checked = check_bytes(raw, "upload.yaml", _lang(request))
        return wire.ValidationOut(valid=checked.procedure is not None,
                                  diagnostics=[d.to_dict() for d in checked.diagnostics])

    @app.get(f"{API}/procedures/{{procedure_id}}/graph", tags=["procedures"],
             responses={200: {"content": {"image/svg+xml": {}, "text/plain": {}}}})
    def graph(procedure_id: Annotated[str, FastPath(pattern=r"^[A-Za-z0-9_.-]{1,128}$")],
              who: Reader, engine: Lang,
              format: Annotated[str, Query(pattern=r"^(svg|mermaid|dot)$")] = "svg",
              ) -> Response:
        """The procedure's graph (its newest version here): SVG with swimlanes, Mermaid or DOT."""
        from engine.render import render

        proc = engine.procedure(engine.register(procedure_id))
        drawn = render(proc, format)
        media = "image/svg+xml" if format == "svg" else "text/plain; charset=utf-8"
        return Response(drawn if isinstance(drawn, str) else drawn.decode(), media_type=media)

    # --- cases ----------------------------------------------------------------------------

    @app.post(f"{API}/cases", tags=["cases"], status_code=201)
    async def open_case(body: wire.OpenCaseIn, request: Request, response: Response, who: Writer,
                  engine: Lang) -> wire.CommandResult:
        """Open a case of a procedure (its id in ./procedures, or a stored content hash) of the
        caller's agency."""
        # as Engine.open_case reads it: a stored content hash, else an id or file to register
        digest = (body.procedure if engine.store.procedure(body.procedure) is not None
                  else engine.register(body.procedure))
        check_agency(engine, who, engine.procedure(digest), request)
        result = engine.open_case(digest, user=who.user, role=body.role,
                                  facts=dict(body.facts), participants=dict(body.participants),
                                  case_id=body.case_id)
        response.headers["ETag"] = _etag(result.case.version)
        response.headers["Location"] = f"{API}/cases/{result.case.case_id}"
        return _result_out(engine, result)

    @app.get(f"{API}/cases", tags=["cases"])
    def list_cases(who: Reader, engine: Lang,
                   status: Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$")] = None,
                   procedure: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.-]{1,128}$")]
                   = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 100,
                   after: Annotated[str | None, Query(max_length=128)] = None,
                   ) -> list[wire.CaseSummary]:
        """Cases of the procedures the caller's roles may read, by id (``after``: the last id of
        the previous page)."""
        out: list[wire.CaseSummary] = []
        for snap in engine.cases(status=status, procedure_id=procedure):
            if after is not None and snap.case_id <= after:
                continue
            proc = engine.procedure(snap.procedure_hash)
            if not (who.roles & engine.readers(proc) and same_agency(who.agency, proc)):
                continue
            out.append(wire.CaseSummary(case_id=snap.case_id, number=snap.number,
                                        procedure_id=snap.procedure_id,
                                        status=snap.status, current_step=snap.current_step,
                                        current_role=snap.current_role, due_at=snap.due_at,
                                        updated_at=snap.updated_at))
        out.sort(key=lambda s: s.case_id)
        return out[:limit]

    @app.get(f"{API}/cases/{{case_id}}", tags=["cases"])
    def show_case(case_id: str, request: Request, response: Response, who: Reader,
                  engine: Lang, reason: Annotated[str | None, Query(min_length=1,
                                                                    max_length=500)] = None,
                  ) -> wire.CaseOut:
        """The case (sensitive values masked unless revealed: ``reason`` says why, recorded
        with who and when); its version is the ``ETag``."""
        case_id = engine.resolve(case_id)  # the case id or the case's short number
        state = readable(engine, who, case_id, request, reveal_reason=reason)
        response.headers["ETag"] = _etag(state.version)
        return _case_out(engine, state, reveal=reason is not None)

    @app.get(f"{API}/cases/{{case_id}}/history", tags=["cases"])
    def history(case_id: str, request: Request, who: Reader, engine: Lang,
                reason: Annotated[str | None, Query(min_length=1, max_length=500)] = None,
                ) -> list[wire.EventOut]:
        """Every event of the case, in order (sensitive values masked unless revealed with a
        ``reason``, recorded)."""
        case_id = engine.resolve(case_id)  # the case id or the case's short number
        state = readable(engine, who, case_id, request, reveal_reason=reason)
        proc = engine.procedure(state.procedure_hash)
        out = []
        for event in engine.events(case_id):
            masked = mask_event(proc, event, reveal=reason is not None)
            out.append(wire.EventOut(seq=event.seq, type=event.type, at=event.at,
                                     role=event.role, user=str(masked.get("user", "")),
                                     payload=dict(masked.get("payload") or {})))
        return out

    @app.post(f"{API}/cases/{{case_id}}/commands", tags=["cases"],
              openapi_extra={"parameters": COMMAND_HEADERS})
    async def execute(case_id: str, body: wire.CommandIn, request: Request, response: Response,
                who: Writer, engine: Lang) -> Response:
        """Run a command on the case. ``If-Match: "<version>"`` refuses it with 412 when the
        case has moved on; with ``Idempotency-Key`` a retried request gets the first answer
        and never runs the command twice."""
        case_id = engine.resolve(case_id)  # the case id or the case's short number
        # read here rather than as ``Header()`` parameters: FastAPI's per-request resolution of
        # those was a large share of a command's time (documented by COMMAND_HEADERS)
        if_match = request.headers.get("if-match")
        idempotency_key = request.headers.get("idempotency-key")
        if idempotency_key is not None and len(idempotency_key) > 200:
            raise Problem(422, "svc.request_invalid")
        check_agency(engine, who, held.procedure_of(engine, case_id), request)
        fingerprint = request_fingerprint(case_id, body)
        if idempotency_key and not held.accounts.claim(who.user, idempotency_key, fingerprint):
            seen = held.accounts.recall(who.user, idempotency_key)
            if seen is not None and seen[0] != fingerprint:
                raise Problem(422, "svc.idempotency_reused")
            if seen is None or not seen[1]:  # claimed by a request not finished (or lost)
                raise Problem(409, "svc.idempotency_pending", headers={"Retry-After": "1"})
            return Response(seen[2], status_code=seen[1], media_type="application/json",
                            headers={"Idempotent-Replayed": "true"})
        try:
            return run(case_id, body, who, engine, if_match, idempotency_key, fingerprint)
        except BaseException:
            if idempotency_key:  # nothing was written: a retry with the key may run it
                held.accounts.release(who.user, idempotency_key)
            raise

    def run(case_id: str, body: Any, who: Caller, engine: Engine, if_match: str | None,
            idempotency_key: str | None, fingerprint: str) -> Response:
        if if_match is not None:
            head = engine.store.head(case_id)
            if head is None:
                raise _not_found(engine, case_id)
            if if_match.strip() not in (_etag(head.version), "*"):
                raise Problem(412, "svc.precondition", version=head.version)
        try:
            result = engine.execute(_command(body, case_id, who.user))
        except CommandRefused as exc:
            held.metrics.commands.labels(body.command, "refused").inc()
            held.metrics.refusals.labels(exc.rule).inc()
            raise
        held.metrics.commands.labels(body.command, "done").inc()
        payload = _result_out(engine, result).model_dump_json()
        if idempotency_key:
            held.accounts.settle(who.user, idempotency_key, 200, payload)
        return Response(payload, media_type="application/json",
                        headers={"ETag": _etag(result.case.version)})

    @app.post(f"{API}/cases/{{case_id}}/documents", tags=["cases"])
    def attach(case_id: str, request: Request, who: Writer, engine: Lang,
               document: Annotated[str, Form(pattern=r"^[A-Za-z0-9_.-]{1,128}$")],
               role: Annotated[str, Form(pattern=r"^[A-Za-z0-9_.-]{1,128}$")],
               file: Annotated[UploadFile, File()]) -> wire.CommandResult:
        """Attach a document (PDF, PNG, JPEG or plain text, at most 10 MiB) to the case."""
        case_id = engine.resolve(case_id)  # the case id or the case's short number
        # before judging the file: 404 and 403 come first
        check_agency(engine, who, held.procedure_of(engine, case_id), request)
        content = file.file.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            raise Problem(413, "svc.too_large", limit="10 MiB")
        media = (file.content_type or "").split(";")[0].strip().lower()
        if media not in UPLOAD_TYPES:
            raise Problem(422, "svc.media_type", media=media or "-",
                          allowed=", ".join(sorted(UPLOAD_TYPES)))
        name = os.path.basename(file.filename or document)[:200] or document
        attachment = Attachment(document, name, hashlib.sha256(content).hexdigest(),
                                len(content), media, content)
        result = engine.execute(AttachDocument(user=who.user, role=role, case_id=case_id,
                                               attachment=attachment))
        return _result_out(engine, result)

    @app.get(f"{API}/cases/{{case_id}}/documents/{{document}}", tags=["cases"],
             responses={200: {"content": {"application/octet-stream": {}}}})
    def download(case_id: str, document: str, request: Request, who: Reader, engine: Lang,
                 reason: Annotated[str | None, Query(max_length=500)] = None) -> Response:
        """The document's content. A sensitive document is a reveal: it needs a ``reason``,
        recorded with who and when."""
        case_id = engine.resolve(case_id)  # the case id or the case's short number
        state = readable(engine, who, case_id, request)
        proc = engine.procedure(state.procedure_hash)
        held_doc = state.documents.get(document)
        blob = engine.store.blob(str(held_doc.get("sha256") or "")) if held_doc else None
        if held_doc is None or blob is None:
            raise Problem(404, "svc.no_document", document=document)
        if any(d.id == document and d.sensitive for d in proc.documents):
            if not reason or not reason.strip():
                raise Problem(422, "svc.reveal_reason")
            roles = sorted(who.roles & engine.readers(proc)) or ["-"]
            engine.read_case(case_id, user=who.user, role=roles[0], reveal_reason=reason)
        return Response(blob, media_type=str(held_doc.get("media_type")
                                              or "application/octet-stream"),
                        headers={"Content-Disposition": "attachment"})

    # --- work lists -----------------------------------------------------------------------

    @app.get(f"{API}/inbox", tags=["work"])
    def inbox(who: Reader, engine: Lang,
              role: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.-]{1,128}$")] = None,
              ) -> list[wire.CaseSummary]:
        """Open cases waiting for the caller's roles (or one of them), soonest due first."""
        roles = [role] if role else sorted(who.roles)
        if role and role not in who.roles:
            raise Problem(403, "svc.role_not_held", role=role)
        seen: dict[str, wire.CaseSummary] = {}
        for each in roles:
            for snap in engine.inbox(each):
                if not same_agency(who.agency, engine.procedure(snap.procedure_hash)):
                    continue
                seen.setdefault(snap.case_id, wire.CaseSummary(
                    case_id=snap.case_id, number=snap.number, procedure_id=snap.procedure_id,
                    status=snap.status,
                    current_step=snap.current_step, current_role=snap.current_role,
                    due_at=snap.due_at, updated_at=snap.updated_at))
        return sorted(seen.values(), key=lambda s: (s.due_at is None, s.due_at or "",
                                                    s.case_id))

    @app.get(f"{API}/due", tags=["work"])
    def due(who: Reader, engine: Lang) -> list[wire.DueOut]:
        """Open deadlines of the cases the caller's roles may read, soonest first."""
        out = []
        for item in engine.due():
            snap = engine.store.snapshot(item.case_id)
            proc = engine.procedure(snap.procedure_hash) if snap is not None else None
            if proc is None or not (who.roles & engine.readers(proc)
                                    and same_agency(who.agency, proc)):
                continue
            out.append(wire.DueOut(case_id=item.case_id, number=item.number,
                                   procedure_id=item.procedure_id,
                                   target=item.target, due_at=item.due_at,
                                   breached=item.breached, role=item.role))
        return out

    @app.post(f"{API}/due/sweep", tags=["work"])
    def sweep(who: Admin, engine: Lang) -> dict[str, Any]:
        """Record every breach due by now (what the scheduler does on its own)."""
        results = engine.check_deadlines(user=who.user)
        return {"recorded": [{"case_id": r.case.case_id, "events": len(r.events)}
                             for r in results]}

    # --- audit ----------------------------------------------------------------------------

    @app.get(f"{API}/audit/verify", tags=["audit"])
    def verify(who: Admin, engine: Lang) -> dict[str, Any]:
        """Verify every hash chain and snapshot in the store."""
        problems = engine.verify()
        return {"ok": not problems,
                "problems": [p if isinstance(p, dict) else
                             {"case_id": p.case_id, "seq": p.seq, "problem": p.problem}
                             for p in problems]}

    app.include_router(webhook_router(held.outbox, needs("admin")))
    app.include_router(routes_procedures.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_links.router)
    app.include_router(routes_retention.router)
    app.include_router(routes_users.router)
    app.include_router(workspace(held))  # the workspace pages (engine/service/pages.py)
    return app


def request_fingerprint(case_id: str, body: Any) -> str:
    """What an Idempotency-Key stands for: the case and the command, as validated."""
    return hashlib.sha256(f"{case_id}\0{body.model_dump_json()}".encode()).hexdigest()


def _matches(template: str, path: str) -> bool:
    parts, given = template.strip("/").split("/"), path.strip("/").split("/")
    return len(parts) == len(given) and all(
        p == g or (p.startswith("{") and p.endswith("}")) for p, g in zip(parts, given,
                                                                             strict=True))


class _Measured:
    """Counts and times every request by its route's template (never a case id, a user or a
    value) and writes one JSON access-log line. Plain ASGI rather than ``@app.middleware``:
    Starlette's ``BaseHTTPMiddleware`` runs each request through an extra task and streams,
    which was a large share of a small command's time."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]  # what the client sees when the app fails before answering

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")  # the template, never a case id
            took = time.perf_counter() - started
            method = str(scope.get("method", "-"))
            self.metrics.requests.labels(method, path, str(status[0])).inc()
            self.metrics.latency.labels(method, path).observe(took)
            ACCESS_LOG.info(json.dumps({"method": method, "route": path, "status": status[0],
                                        "ms": round(took * 1000, 2)}))


def _not_found(engine: Engine, case_id: str) -> CaseNotFound:
    message, hint = text("err.case_not_found", engine.lang, case=case_id, store=engine.store.url)
    return CaseNotFound(message, hint=hint)
