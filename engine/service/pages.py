"""The workspace: server-rendered pages for case workers, supervisors, policy staff and
auditors, on the same :class:`~engine.api.Engine` functions the API and the CLI call.

Pages are Jinja2 templates (``engine/service/templates/``, package data) whose every word comes
from the catalogue (``t("web....")``); Indonesian by default, English by a link that sets a
cookie. Forms post normally (no JavaScript is needed); each form carries the
CSRF token of its session (:mod:`engine.service.sessions`). Every response carries security
headers: a CSP allowing only this origin's stylesheet, images and script (no inline script; the
one script, the inbox's refresh, is an enhancement the page works without), no framing, no
referrer to other sites. URLs carry case ids and procedure ids, never a name or a value.

Must not: decide what a user may do or see (the engine does, with the accounts' roster), or
hold a guard: a refused command is shown with the engine's rule and fix.
"""

from __future__ import annotations

import io
import mimetypes
import os
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from engine.cases.commands import AttachDocument, CompleteStep
from engine.cases.privacy import mask_event, mask_state, staff_users
from engine.cases.rules import unmet_requirements
from engine.cases.state import CaseState
from engine.errors import AlurError, CommandRefused
from engine.localtime import local_time
from engine.messages import LANGS, text, word
from engine.procedure.model import Procedure
from engine.render.summary import summary
from engine.render.timeline import deadline_status, describe
from engine.service.auth import check_login
from engine.service.forms import (
    Fields,
    Upload,
    attachment_of,
    facts_of,
    participants_of,
    plain,
    read_form,
    step_form,
)
from engine.service.problems import Problem
from engine.service.sessions import Sessions, WebUser, csrf_token

if TYPE_CHECKING:
    from engine.api import Engine
    from engine.service.app import Service

__all__ = ["SECURITY_HEADERS", "workspace"]

LANG_COOKIE = "alur_lang"
MAX_PREVIEW = 2 * 1024 * 1024
AUDITOR_ROLES = frozenset({"auditor", "admin"})  # users who see the auditor pages

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; connect-src 'self'; "
                                "style-src 'self'; img-src 'self' data:; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("engine.service", "templates"),
    autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True)


STATIC = {"alur.css": "text/css", "inbox.js": "text/javascript"}


def _static(name: str) -> bytes:
    with open(os.path.join(os.path.dirname(__file__), "static", name), "rb") as handle:
        return handle.read()


def page_lang(request: Request) -> str:
    """The page language: the ``alur_lang`` cookie, else Indonesian."""
    chosen = request.cookies.get(LANG_COOKIE, "id")
    return chosen if chosen in LANGS else "id"


def _secure(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


def _local_path(target: str | None) -> str:
    """A redirect target on this site only (never ``//other`` or a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/inbox"
    return target


class _Refused:
    """A refusal or an error shown inline: its message, rule (for a refusal) and fix."""

    def __init__(self, error: AlurError) -> None:
        self.message = error.message
        self.hint = error.hint
        # a guard's rule (guard.*), or the input rule of a case error; none for other errors
        self.rule = error.rule if isinstance(error, CommandRefused) else getattr(
            error, "rule", None)


def workspace(held: Service) -> APIRouter:
    """The workspace's routes on ``held`` (the worker's store, accounts and engines)."""
    router = APIRouter(include_in_schema=False)
    # expiry on the service's clock (the engines' clock: a test's clock moves both)
    sessions = Sessions(held.accounts, now=lambda: held.engine("id").clock().timestamp())

    def render(request: Request, name: str, status: int = 200, who: WebUser | None = None,
               **values: Any) -> Response:
        lang = page_lang(request)

        def t(code: str, **params: object) -> str:
            return text(code, lang, **params)[0]

        def hint(code: str, **params: object) -> str:
            return text(code, lang, **params)[1]

        body = _TEMPLATES.get_template(name).render(
            t=t, hint=hint, lang=lang, who=who, path=request.url.path,
            auditor=bool(who and who.roles & AUDITOR_ROLES), **values)
        return _secure(HTMLResponse(body, status_code=status))

    def redirect(target: str) -> Response:
        return _secure(RedirectResponse(target, status_code=303))

    def signed_in(request: Request) -> WebUser | None:
        return sessions.current(request)

    async def posted(request: Request) -> tuple[WebUser | None, Fields]:
        """The user of a form post and its fields; None when the session or the CSRF token
        does not hold (the caller answers 403)."""
        form = await read_form(request, max_files=20, max_fields=200)
        who = signed_in(request)
        token = form.get("csrf")
        if who is None or not sessions.valid_form(request, token if isinstance(token, str)
                                                  else None):
            return None, form
        return who, form

    def forbidden(request: Request) -> Response:
        return render(request, "error.html", 403, message=text("web.csrf", page_lang(request))[0],
                      fix=text("web.csrf", page_lang(request))[1])

    def engine_for(request: Request) -> Engine:
        return held.engine(page_lang(request))

    # --- static, language, login -------------------------------------------------------------

    @router.get("/static/{name}")
    def static(name: str) -> Response:
        """The stylesheet and the inbox's script: files of this package, by a fixed list."""
        if name not in STATIC:
            return _secure(Response(status_code=404))
        response = _secure(Response(_static(name), media_type=STATIC[name]))
        response.headers["Cache-Control"] = "max-age=3600"
        return response

    @router.get("/")
    def home(request: Request) -> Response:
        return redirect("/inbox" if signed_in(request) else "/login")

    @router.get("/lang/{code}")
    def language(code: str, request: Request, next: str | None = None) -> Response:
        response = redirect(_local_path(next))
        if code in LANGS:
            response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, path="/",
                                secure=True, httponly=True, samesite="lax")
        return response

    def login_page(request: Request, status: int = 200, error: str | None = None,
                   username: str = "") -> Response:
        secret = sessions.login_secret(request)
        response = render(request, "login.html", status, csrf=csrf_token(secret, "login"),
                          error=error, username=username)
        sessions.keep_login(response, secret)
        return response

    @router.get("/login")
    def login_form(request: Request) -> Response:
        if signed_in(request):
            return redirect("/inbox")
        return login_page(request)

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await read_form(request, max_files=0, max_fields=10)
        token = form.get("csrf")
        if not sessions.valid_login(request, token if isinstance(token, str) else None):
            return forbidden(request)
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        address = request.client.host if request.client else "-"
        try:
            user = check_login(held.accounts, held.store, held.limiter, username[:200],
                               password[:1000], address,
                               engine_for(request).clock().isoformat())
        except Problem as exc:
            return login_page(request, exc.status, text(exc.code, page_lang(request))[0],
                              username[:200])
        response = redirect("/inbox")
        sessions.start(response, user)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        who, _ = await posted(request)
        if who is None:
            return forbidden(request)
        response = redirect("/login")
        sessions.end(request, response)
        return response

    # --- inbox ----------------------------------------------------------------------------

    @router.get("/inbox")
    def inbox(request: Request) -> Response:
        who = signed_in(request)
        if who is None:
            return redirect("/login")
        engine = engine_for(request)
        now = engine.clock()
        rows: dict[str, dict[str, Any]] = {}
        for role in sorted(who.roles):
            for snap in engine.inbox(role):
                row = rows.setdefault(snap.case_id, _row(engine, snap, who, now))
                row["roles"].add(role)
        ordered = sorted(rows.values(), key=lambda r: (r["due_at"] is None, r["due_at"] or "",
                                                       r["case_id"]))
        return render(request, "inbox.html", who=who, rows=ordered,
                      procedures=_procedure_ids(engine))

    # --- cases ----------------------------------------------------------------------------

    def readable(engine: Engine, who: WebUser, case_id: str,
                 reason: str | None = None) -> tuple[CaseState, bool]:
        """The case and whether the user may read it. An outside party (a mediator) who must
        act on the current step may not read the case file but gets its step to act on
        (as the API lets them act); anyone else who may not read is refused and recorded
        by the engine."""
        state = engine.case(case_id)
        proc = engine.procedure(state.procedure_hash)
        roles = sorted(who.roles & engine.readers(proc))
        if not roles and reason is None and state.current_step is not None \
                and proc.acting_roles(proc.step(state.current_step).actor) & who.roles:
            return state, False
        role = (roles or sorted(who.roles) or ["-"])[0]
        return engine.read_case(case_id, user=who.name, role=role, reveal_reason=reason), True

    def case_page(request: Request, who: WebUser, case_id: str, *, status: int = 200,
                  refused: _Refused | None = None, values: dict[str, str] | None = None,
                  reason: str | None = None) -> Response:
        engine = engine_for(request)
        try:
            state, full = readable(engine, who, case_id, reason)
        except AlurError as exc:
            return render(request, "error.html", 404 if "not_found" in exc.code else 403,
                          who=who, message=exc.message, fix=exc.hint)
        proc = engine.procedure(state.procedure_hash)
        revealed = reason is not None
        tz = proc.agency.timezone
        lang = page_lang(request)
        timeline = []
        events = engine.events(case_id) if full else []
        staff = staff_users(proc, events)
        for event in events:
            said = describe(proc, event, lang, started=True, staff=staff)
            if said is not None:
                timeline.append({"at": local_time(event.at, tz), "what": said,
                                 "note": (mask_event(proc, event, revealed).get("payload")
                                          or {}).get("note")})
        step = proc.step(state.current_step) if state.current_step else None
        acting = sorted(proc.acting_roles(step.actor) & who.roles) if step else []
        return render(request, "case.html", status, who=who, case=state, proc=proc,
                      shown=mask_state(proc, state, revealed), revealed=revealed,
                      timeline=timeline, step=step, acting=acting, full=full,
                      form=step_form(proc, state, step) if step else None,
                      unmet=unmet_requirements(proc, state), refused=refused,
                      values=values or {}, deadline=deadline_status(state, lang, tz),
                      due=local_time(state.due_at, tz) if state.due_at else None,
                      step_due=local_time(state.step_due_at, tz) if state.step_due_at else None,
                      breaches=[{**b, "due": local_time(b["due_at"], tz)}
                                for b in state.breaches],
                      status_word=word(state.status, lang),
                      outcome_word=word(state.outcome, lang) if state.outcome else "-",
                      svg=_svg(proc, lang, state) if full else None)

    @router.get("/cases/new")
    def new_case(request: Request, procedure: str = "") -> Response:
        who = signed_in(request)
        if who is None:
            return redirect("/login")
        engine = engine_for(request)
        return open_page(request, who, engine, procedure)

    def open_page(request: Request, who: WebUser, engine: Engine, procedure: str,
                  status: int = 200, refused: _Refused | None = None,
                  values: dict[str, str] | None = None) -> Response:
        proc = None
        if procedure:
            try:
                proc = engine.procedure(engine.register(procedure))
            except AlurError as exc:
                refused = _Refused(exc)
        return render(request, "open.html", status, who=who, procedures=_procedure_ids(engine),
                      proc=proc, chosen=procedure, refused=refused, values=values or {},
                      roles=sorted(who.roles))

    @router.post("/cases/new")
    async def open_case(request: Request) -> Response:
        who, form = await posted(request)
        if who is None:
            return forbidden(request)
        engine = engine_for(request)
        procedure, role = str(form.get("procedure") or ""), str(form.get("role") or "")
        values = plain(form)
        try:
            proc = engine.procedure(engine.register(procedure))
            facts = facts_of(proc, form)
            participants = participants_of(form)
            documents = tuple([a for a in (attachment_of(d.id, form.get(f"doc:{d.id}"), engine.lang)
                                           for d in proc.documents) if a is not None])
            result = engine.open_case(procedure, user=who.name, role=role, facts=facts,
                                      participants=participants, documents=documents)
        except AlurError as exc:
            return open_page(request, who, engine, procedure, 409 if isinstance(
                exc, CommandRefused) else 422, _Refused(exc), values)
        return redirect(f"/cases/{result.case.case_id}")

    @router.get("/cases/{case_id}")
    def show_case(case_id: str, request: Request) -> Response:
        who = signed_in(request)
        if who is None:
            return redirect("/login")
        return case_page(request, who, case_id)

    @router.post("/cases/{case_id}/step")
    async def complete(case_id: str, request: Request) -> Response:
        who, form = await posted(request)
        if who is None:
            return forbidden(request)
        engine = engine_for(request)
        values = plain(form)
        try:
            state, _ = readable(engine, who, case_id)
            proc = engine.procedure(state.procedure_hash)
            role = str(form.get("role") or "")
            for doc in proc.documents:
                attachment = attachment_of(doc.id, form.get(f"doc:{doc.id}"), engine.lang)
                if attachment is not None:
                    engine.execute(AttachDocument(user=who.name, role=role, case_id=case_id,
                                                  attachment=attachment))
            outcome = str(form.get("outcome") or "") or None
            note = str(form.get("note") or "").strip()[:4000] or None
            engine.execute(CompleteStep(user=who.name, role=role, case_id=case_id,
                                        step=str(form.get("step") or ""), outcome=outcome,
                                        facts=facts_of(proc, form),
                                        participants=participants_of(form), note=note))
        except AlurError as exc:
            return case_page(request, who, case_id, status=409 if isinstance(
                exc, CommandRefused) else 422, refused=_Refused(exc), values=values)
        return redirect(f"/cases/{case_id}")

    @router.post("/cases/{case_id}/reveal")
    async def reveal(case_id: str, request: Request) -> Response:
        who, form = await posted(request)
        if who is None:
            return forbidden(request)
        reason = str(form.get("reason") or "").strip()[:500]
        if not reason:
            engine = engine_for(request)
            message, fix = text("err.reveal_reason", engine.lang)
            return case_page(request, who, case_id, status=422, refused=_Refused(
                AlurError(message, hint=fix)))
        return case_page(request, who, case_id, reason=reason)

    # --- procedures -----------------------------------------------------------------------

    @router.get("/procedures")
    def procedures(request: Request) -> Response:
        who = signed_in(request)
        if who is None:
            return redirect("/login")
        engine = engine_for(request)
        return render(request, "procedures.html", who=who, procedures=[
            engine.procedure(engine.register(p)) for p in _procedure_ids(engine)])

    @router.get("/procedures/{procedure_id}")
    def procedure(procedure_id: str, request: Request, old: str | None = None) -> Response:
        who = signed_in(request)
        if who is None:
            return redirect("/login")
        engine = engine_for(request)
        lang = page_lang(request)
        try:
            current = engine.register(procedure_id)
        except AlurError as exc:
            return render(request, "error.html", 404, who=who, message=exc.message,
                          fix=exc.hint)
        proc = engine.procedure(current)
        versions = engine.store.procedures(proc.id)
        running: dict[str, int] = {}
        for snap in engine.cases(procedure_id=proc.id):
            if snap.status not in ("completed", "terminated", "referred", "rejected",
                                   "withdrawn"):
                running[snap.procedure_hash] = running.get(snap.procedure_hash, 0) + 1
        changes = None
        if old and old != current and any(v.hash == old for v in versions):
            from engine.authoring.diff import diff

            changes = [c.message(lang) for c in diff(engine.procedure(old), proc)]
        return render(request, "procedure.html", who=who, proc=proc, data=summary(proc),
                      svg=_svg(proc, lang), versions=versions, current=current,
                      running=running, changes=changes, old=old)

    # --- policy preview -------------------------------------------------------------------

    @router.get("/preview")
    def preview_form(request: Request) -> Response:
        who = signed_in(request)
        if who is None:
            return redirect("/login")
        return render(request, "preview.html", who=who, source="", checked=None, svg=None,
                      lines=[])

    @router.post("/preview")
    async def preview(request: Request) -> Response:
        who, form = await posted(request)
        if who is None:
            return forbidden(request)
        from engine.procedure.validate import check_bytes

        lang = page_lang(request)
        upload = form.get("file")
        raw = upload.content if isinstance(upload, Upload) else b""
        if not raw:
            raw = str(form.get("source") or "").replace("\r\n", "\n").encode("utf-8")
        if len(raw) > MAX_PREVIEW:
            return render(request, "error.html", 413, who=who,
                          message=text("svc.too_large", lang, limit="2 MiB")[0],
                          fix=text("svc.too_large", lang, limit="2 MiB")[1])
        checked = check_bytes(raw, "preview.yaml", lang)
        source = raw.decode("utf-8", errors="replace")
        by_line: dict[int, list[Any]] = {}
        for d in checked.diagnostics:
            by_line.setdefault(d.line, []).append(d)
        lines = [{"number": n, "text": line, "diagnostics": by_line.get(n, [])}
                 for n, line in enumerate(source.split("\n"), start=1)]
        svg = _svg(checked.procedure, lang) if checked.procedure is not None else None
        return render(request, "preview.html", who=who, source=source, checked=checked,
                      svg=svg, lines=lines)

    # --- auditor pages --------------------------------------------------------------------

    def auditor(request: Request) -> WebUser | None:
        who = signed_in(request)
        return who if who is not None and who.roles & AUDITOR_ROLES else None

    @router.get("/audit")
    def audit(request: Request, procedure: str = "", start: str = "",
              end: str = "") -> Response:
        who = signed_in(request)
        if who is None:
            return redirect("/login")
        if auditor(request) is None:
            lang = page_lang(request)
            return render(request, "error.html", 403, who=who,
                          message=text("web.audit.denied", lang)[0],
                          fix=text("web.audit.denied", lang)[1])
        from engine.analysis.audit.conformance import conformance
        from engine.analysis.audit.report import performance

        engine = engine_for(request)
        problems = engine.verify()
        ids = _procedure_ids(engine)
        chosen = procedure if procedure in ids else (ids[0] if ids else "")
        report = conf = None
        first, last = _day(start), _day(end)
        if chosen and engine.store.procedures(chosen):
            report = performance(chosen, engine.store.all_events(chosen), engine.context,
                                 engine.store.audit_records(), start=first,
                                 end=last).to_dict()
            conf = conformance(engine.store.all_events(chosen), engine.context)
        audit_log = [r for r in engine.store.audit_records()][-50:]
        return render(request, "audit.html", who=who, problems=problems, procedures=ids,
                      chosen=chosen, report=report, conformance=conf,
                      start=first.isoformat() if first else "",
                      end=last.isoformat() if last else "",
                      audit_log=list(reversed(audit_log)))

    @router.get("/audit/export.{fmt}")
    def export(fmt: str, request: Request) -> Response:
        who = auditor(request)
        if who is None:
            return redirect("/login")
        from engine.analysis.audit.export import export_rows, write_csv, write_jsonl, write_xes

        engine = engine_for(request)
        out = io.StringIO()
        if fmt == "csv":
            write_csv(export_rows(engine.store.all_events(), engine.procedure), out)
        elif fmt == "jsonl":
            write_jsonl(export_rows(engine.store.all_events(), engine.procedure), out)
        elif fmt == "xes":
            write_xes(engine.store.all_events(), engine.procedure, out)
        else:
            return render(request, "error.html", 404, who=who, message=fmt, fix="")
        media = mimetypes.types_map.get(f".{fmt}", "application/octet-stream")
        return _secure(Response(out.getvalue(), media_type=media, headers={
            "Content-Disposition": f'attachment; filename="alur-export.{fmt}"'}))

    return router


# --- what the pages show, computed from engine values ----------------------------------------

def _day(value: str) -> date | None:
    """A period's day from a date field (``YYYY-MM-DD``; anything else leaves it open)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _procedure_ids(engine: Engine) -> list[str]:
    """Procedures in the procedures folder and those this store has run."""
    from engine.procedure.catalog import procedures_dir

    found = {p.stem for p in procedures_dir().glob("*.yaml")}
    found |= {p.id for p in engine.store.procedures()}
    return sorted(found)


def _row(engine: Engine, snap: Any, who: WebUser, now: datetime) -> dict[str, Any]:
    proc = engine.procedure(snap.procedure_hash)
    tz = proc.agency.timezone
    due_at = snap.due_at or snap.state.get("step_due_at")
    escalated = [b for b in snap.state.get("breaches", ()) if b.get("escalate_to") in who.roles]
    overdue = bool(due_at) and datetime.fromisoformat(str(due_at)) < now
    step = proc.step(snap.current_step) if snap.current_step else None
    return {"case_id": snap.case_id, "number": snap.number or snap.case_id,
            "procedure": proc.title, "due_at": due_at,
            "due": local_time(str(due_at), tz) if due_at else None, "overdue": overdue,
            "escalated": bool(escalated), "step": step, "roles": set(),
            "role": proc.role(step.actor).title if step else ""}


def _svg(proc: Procedure | None, lang: str, case: CaseState | None = None) -> str | None:
    """The procedure's graph as inline SVG with swimlanes, a case's path drawn over it (None
    when Graphviz is missing)."""
    if proc is None:
        return None
    from engine.render import render

    try:
        drawn = render(proc, "svg", trace=case, lang=lang)
    except AlurError:
        return None
    svg = drawn if isinstance(drawn, str) else drawn.decode("utf-8")
    return svg[svg.find("<svg"):]  # inline: without the XML prolog and doctype
