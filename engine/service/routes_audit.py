"""``/audit/...``: conformance, the performance report, the event log exported for process
mining (streamed), and the audit log — the functions ``alur audit conformance``, ``alur
report`` and ``alur export`` call, under the same privileges (``audit``; ``export_sensitive``
to reveal), limited to the procedures of the caller's agency. Every one of these reads is
recorded in the audit log with who asked for it (``read:<what>``; ``reveal:export``)."""

import itertools
import queue
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated, Any, Literal, TextIO

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from engine.access import require_privilege, same_agency
from engine.analysis.audit.conformance import conformance
from engine.analysis.audit.export import export_rows, write_csv, write_jsonl, write_xes
from engine.analysis.audit.report import performance
from engine.api import Engine
from engine.cases.events import AuditRecord, Event
from engine.service.auth import Caller
from engine.service.deps import API, Lang, Reader, agency_procedures, service_of, stored_procedure
from engine.service.problems import Problem

__all__ = ["router"]

router = APIRouter(prefix=API, tags=["audit"])

_PROC = r"^[A-Za-z0-9_.-]{1,128}$"
MEDIA = {"xes": "application/xml", "csv": "text/csv; charset=utf-8",
         "jsonl": "application/x-ndjson"}


def _route(request: Request) -> str:
    route: Any = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', request.url.path)}"


def _auditor(engine: Engine, who: Caller, request: Request, what: str,
             detail: dict[str, Any]) -> str:
    """The role through which the caller holds ``audit`` (refused and recorded otherwise); the
    read itself is recorded before anything is answered."""
    role = require_privilege(engine, who.user, "audit", _route(request))
    _record(engine, who, role, f"read:{what}", detail)
    return role


def _record(engine: Engine, who: Caller, role: str, action: str,
            detail: dict[str, Any]) -> None:
    engine.store.record_audit(AuditRecord(at=engine.clock().isoformat(), user=who.user,
                                          role=role, action=action, case_id=None, rule=None,
                                          detail=detail))


def _scope(engine: Engine, who: Caller, procedure: str | None, request: Request) -> list[str]:
    """The procedure ids asked about: the one named (of the caller's agency), else all of the
    caller's agency's."""
    if procedure is not None:
        return [stored_procedure(engine, who, procedure, request).id]
    return agency_procedures(engine, who)


def _events(engine: Engine, ids: list[str]) -> Iterator[Event]:
    return itertools.chain.from_iterable(engine.store.all_events(pid) for pid in ids)


@router.get("/audit/conformance")
def conformance_report(request: Request, who: Reader, engine: Lang,
                       procedure: Annotated[str | None, Query(pattern=_PROC)] = None,
                       ) -> dict[str, Any]:
    """Replay each case against the procedure version it is pinned to (``alur audit
    conformance``): deviations per case, breaches, fitness per version; needs ``audit``."""
    ids = _scope(engine, who, procedure, request)
    _auditor(engine, who, request, "conformance", {"procedures": ids})
    return conformance(_events(engine, ids), engine.context).to_dict()


@router.get("/audit/report")
def performance_report(request: Request, who: Reader, engine: Lang,
                       procedure: Annotated[str, Query(pattern=_PROC)],
                       start: Annotated[date | None, Query(alias="from")] = None,
                       end: Annotated[date | None, Query(alias="to")] = None,
                       ) -> dict[str, Any]:
    """Service performance of a procedure (``alur report``): cases opened and closed, share
    within the time limit, times per step and case on the working-day calendar, breaches per
    role, refusals per rule; ``from``/``to`` are agency-local dates (``from`` after ``to`` is
    an empty period). Needs ``audit``."""
    proc = stored_procedure(engine, who, procedure, request)
    _auditor(engine, who, request, "report", {"procedure": proc.id})
    result = performance(proc.id, engine.store.all_events(proc.id), engine.context,
                         engine.store.audit_records(), start=start, end=end)
    return {"title": proc.title, **result.to_dict()}


class _Pipe:
    """A text file whose writes become the chunks of a streamed response (bounded, so a slow
    client slows the writer instead of filling memory)."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[str | BaseException | None] = queue.Queue(maxsize=64)
        self.gone = threading.Event()

    def write(self, text: str) -> int:
        while not self.gone.is_set():
            try:
                self.chunks.put(text, timeout=1)
                return len(text)
            except queue.Full:
                continue
        raise BrokenPipeError("the client went away")

    def flush(self) -> None:
        pass


def _stream(write: Callable[[TextIO], object]) -> Iterator[str]:
    pipe = _Pipe()

    def produce() -> None:
        try:
            write(pipe)  # type: ignore[arg-type]  # a write()-only text file is enough
            pipe.chunks.put(None)
        except BrokenPipeError:
            return
        except BaseException as exc:  # re-raised in the response's thread
            pipe.chunks.put(exc)

    threading.Thread(target=produce, name="alur-export", daemon=True).start()
    try:
        while True:
            chunk = pipe.chunks.get()
            if chunk is None:
                return
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        pipe.gone.set()


@router.get("/audit/export", response_class=StreamingResponse,
            responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}})
def export(request: Request, who: Reader, engine: Lang,
           format: Literal["xes", "csv", "jsonl"] = "xes",
           procedure: Annotated[str | None, Query(pattern=_PROC)] = None,
           include_sensitive: bool = False,
           reason: Annotated[str | None, Query(max_length=500)] = None) -> StreamingResponse:
    """The event log, one trace per case, streamed as XES, CSV or JSON Lines (``alur
    export``). Sensitive values are masked unless ``include_sensitive`` with a ``reason``, by
    a user with ``export_sensitive``: that reveal is recorded before anything is sent."""
    ids = _scope(engine, who, procedure, request)
    if include_sensitive:
        role = require_privilege(engine, who.user, "export_sensitive", _route(request))
        if not reason or not reason.strip():
            raise Problem(422, "svc.reveal_reason")
        _record(engine, who, role, "reveal:export",
                {"reason": reason.strip(), "format": format, "procedures": ids,
                 "output": "http"})
    else:
        _auditor(engine, who, request, "export", {"format": format, "procedures": ids})
    reveal = include_sensitive
    events = _events(engine, ids)

    def write(out: TextIO) -> None:
        if format == "xes":
            write_xes(events, engine.procedure, out, reveal=reveal,
                      name=f"alur {procedure or 'all procedures'}")
        else:
            rows = export_rows(events, engine.procedure, reveal=reveal)
            (write_csv if format == "csv" else write_jsonl)(rows, out)

    return StreamingResponse(_stream(write), media_type=MEDIA[format],
                             headers={"Content-Disposition":
                                      f'attachment; filename="alur-export.{format}"'})


@router.get("/audit/log")
def audit_log(request: Request, who: Reader, engine: Lang,
              case_id: Annotated[str | None, Query(max_length=128)] = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[AuditRecord]:
    """The newest audit records (refusals, reveals, exports, erasures, failed logins) of the
    caller's agency: about its cases, or by its users. Needs ``audit``."""
    ids = set(agency_procedures(engine, who))
    _auditor(engine, who, request, "audit_log", {"case_id": case_id})
    held = service_of(request)
    staff = {u.name for u in held.accounts.users() if u.agency == who.agency}
    out: list[AuditRecord] = []
    for record in reversed(engine.store.audit_records(case_id)):
        if record.case_id is not None:
            snap = engine.store.snapshot(record.case_id)
            if snap is None or snap.procedure_id not in ids or not same_agency(
                    who.agency, engine.procedure(snap.procedure_hash)):
                continue
        elif record.user not in staff:
            continue
        out.append(record)  # the store's own record: the wire shape is the dataclass
        if len(out) >= limit:
            break
    return out
