"""The embedding API: :class:`Engine` runs commands against cases in a store.

One ``execute`` = read the case's events, verify their hash chain and the snapshot, fold them into
the state, decide the command (:mod:`engine.runtime`), seal the new events onto the chain and
append them with the new snapshot in one transaction. A refused command writes nothing to the
case and is recorded in the audit log.

A worker keeps procedures (by content hash) and their machines, and a bounded number of cases it
has verified itself (``warm_cases``, least recently used first out), each with the case's
:class:`~engine.store.Head`: version, last hash, and the store's count of edits that were not
appends (triggers in the SQL stores count them, whoever writes). The next command on such a case
is decided from the copy, and its append goes through only if the head is still that one, checked
in the append's own transaction. When it is not — another worker appended, anyone edited an event
or the snapshot — nothing is written and the command is decided again from a full read and
verification of the case, so an edit behind alur's back is still caught at the next command. A
worker holds no lock and owns no case: any number of them share one store.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import secrets
import stat
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.calendar import WorkCalendar, calendar_for, load_overrides
from engine.case import CLOSED, CaseState, replay
from engine.catalog import resolve_path
from engine.commands import (
    AttachDocument,
    Attachment,
    CheckDeadlines,
    Command,
    CompleteStep,
    OpenCase,
)
from engine.errors import (
    AccessDenied,
    CaseError,
    CaseNotFound,
    CommandRefused,
    ConcurrencyConflict,
    ProcedureError,
    ProcedureNotFound,
    TamperDetected,
    UsageError,
)
from engine.events import AuditRecord, CaseSnapshot, ChainBreak, Event, verify_chain
from engine.machine import machine_for
from engine.messages import default_lang, text
from engine.model import Procedure
from engine.roster import Roster
from engine.runtime import Context, decide, open_events
from engine.store import Store, StoredProcedure, open_store
from engine.store.base import Head, Linked
from engine.validate import Checked, check_bytes, check_path

__all__ = ["CaseResult", "DueItem", "Engine"]

MAX_BLOB = 10 * 1024 * 1024  # document content above this is kept as a reference only
WARM_CASES = 1024  # verified cases a worker keeps between commands (a few KB each)


@dataclass(frozen=True, slots=True)
class CaseResult:
    """A case after a command, and the events that command appended."""

    case: CaseState
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class DueItem:
    case_id: str
    procedure_id: str
    target: str  # "case" or a step id
    due_at: str
    breached: bool
    role: str | None


def time_ordered_id(procedure_id: str) -> str:
    """A new case id: the procedure id, the second it was made and 32 random bits, in hex
    (``mediasi-6753a1b2c3d4e5f6``). Ids made later sort later, so a new case's events and
    snapshot go to the end of the stores' (case_id, ...) keys instead of splitting pages all
    over them, as random ids did."""
    return f"{procedure_id}-{int(time.time()) & 0xFFFFFFFF:08x}{secrets.token_hex(4)}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Engine:
    """Run procedures against persisted cases.

    ``store``: a :class:`~engine.store.Store`, a URL, or None for ``$ALUR_DB`` / ``./alur.db``.
    ``roster``: who holds which role; None accepts the role a user claims (``roster_configured``
    tells callers to say so). ``clock``: returns the current aware time (tests pass a fixed one).
    ``new_id``: makes case ids from a procedure id. ``warm_cases``: how many verified cases
    to keep between commands when the store counts edits (``Store.counts_edits``; 0: none).
    """

    def __init__(self, store: Store | str | None = None, *, roster: Roster | None = None,
                 clock: Callable[[], datetime] | None = None,
                 new_id: Callable[[str], str] | None = None, lang: str | None = None,
                 warm_cases: int = WARM_CASES) -> None:
        self.store = store if isinstance(store, Store) else open_store(store)
        self.roster = roster
        self.clock = clock or (lambda: datetime.now(UTC))
        self.new_id = new_id or time_ordered_id
        self.lang = lang or default_lang()
        self._contexts: dict[str, Context] = {}
        self._warm_limit = max(0, warm_cases) if getattr(self.store, "counts_edits", False) else 0
        # case id -> (its head in the store when it was kept, the verified state at that head)
        self._warm: OrderedDict[str, tuple[Head, CaseState]] = OrderedDict()
        self._warm_lock = threading.Lock()  # an Engine may serve several threads

    @property
    def roster_configured(self) -> bool:
        return self.roster is not None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- procedures -------------------------------------------------------------------------

    def register(self, procedure: str | os.PathLike[str]) -> str:
        """Load a procedure file (or id in ./procedures), store it by content hash; the hash."""
        ref = os.fspath(procedure)
        try:
            path = resolve_path(ref, self.lang)
        except ProcedureNotFound:
            stored = self.store.procedures(ref)
            if stored:
                return stored[-1].hash  # the newest version this store has seen
            raise
        checked = check_path(path, self.lang)
        self._require_valid(checked)
        digest = text_hash(checked.text)
        if digest not in self._contexts:
            self.store.put_procedure(StoredProcedure(
                digest, checked.procedure.id, checked.procedure.version,  # type: ignore[union-attr]
                checked.text, self.clock().isoformat()))
            self._context_from(checked, digest, str(path))
        return digest

    def procedure(self, procedure_hash: str) -> Procedure:
        return self.context(procedure_hash).proc

    def context(self, procedure_hash: str) -> Context:
        """The decision context of a stored procedure version (cached per hash)."""
        ctx = self._contexts.get(procedure_hash)
        if ctx is not None:
            return ctx
        stored = self.store.procedure(procedure_hash)
        if stored is None:
            message, hint = text("err.procedure_version_missing", self.lang,
                                 version=procedure_hash[:12])
            raise ProcedureNotFound(message, hint=hint)
        checked = check_bytes(stored.text.encode("utf-8"), f"store:{stored.id}@{stored.version}",
                              self.lang)
        self._require_valid(checked)
        return self._context_from(checked, procedure_hash, None)

    def _context_from(self, checked: Checked, digest: str, path: str | None) -> Context:
        proc = checked.procedure
        assert proc is not None
        calendar = self._calendar(proc, path)
        ctx = Context(proc, digest, machine_for(proc, digest), calendar, self.roster, self.lang)
        self._contexts[digest] = ctx
        return ctx

    @staticmethod
    def _calendar(proc: Procedure, path: str | None) -> WorkCalendar:
        overrides = None
        if proc.agency.calendar and path is not None:
            overrides = load_overrides(Path(path).parent / proc.agency.calendar)
        return calendar_for(proc.agency.timezone, overrides)

    def _require_valid(self, checked: Checked) -> None:
        if checked.procedure is None:
            message, hint = text("err.procedure_invalid", self.lang, file=checked.file)
            raise ProcedureError(message, checked.diagnostics, hint=hint)

    # --- documents --------------------------------------------------------------------------

    def attachment(self, document: str, path: str | os.PathLike[str],
                   root: str | os.PathLike[str] | None = None) -> Attachment:
        """Read a file to attach as ``document``. With ``root``, the file must lie inside it."""
        file = Path(path)
        if root is not None:
            base = Path(root).resolve()
            if not file.resolve().is_relative_to(base):
                message, hint = text("err.document_outside", self.lang, path=path, base=base)
                error = CaseError(message, hint=hint)
                error.rule = "input.document_path"  # type: ignore[attr-defined]
                raise error
        try:
            info = file.stat()
            if not stat.S_ISREG(info.st_mode):  # a device or pipe (/dev/zero) never ends
                message, hint = text("err.document_not_file", self.lang, path=path)
                error = CaseError(message, hint=hint)
                error.rule = "input.document_path"  # type: ignore[attr-defined]
                raise error
            size = info.st_size
            content = file.read_bytes() if size <= MAX_BLOB else None
        except OSError as exc:
            message, hint = text("err.document_unreadable", self.lang, path=path,
                                 problem=exc.strerror)
            raise CaseError(message, hint=hint) from exc
        digest = hashlib.sha256(content).hexdigest() if content is not None else _hash_file(file)
        media = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return Attachment(document, file.name, digest, size, media, content)

    # --- cases ------------------------------------------------------------------------------

    def open_case(self, procedure: str, *, user: str, role: str,
                  facts: dict[str, Any] | None = None, documents: tuple[Attachment, ...] = (),
                  participants: dict[str, str] | None = None, at: str | None = None,
                  case_id: str | None = None) -> CaseResult:
        """Open a case of ``procedure`` (file path, id, or stored hash)."""
        command = OpenCase(user=user, role=role, at=at, procedure=procedure,
                           facts=dict(facts or {}), documents=documents,
                           participants=dict(participants or {}), case_id=case_id)
        return self.execute(command)

    def execute(self, command: Command, *, retries: int = 0) -> CaseResult:
        """Decide and persist ``command``. On :class:`ConcurrencyConflict` (another worker
        appended first) the command is decided again on the fresh state up to ``retries`` times;
        with ``retries=0`` the conflict is raised for the caller to handle."""
        attempt = 0
        while True:
            try:
                return self._execute_once(command)
            except ConcurrencyConflict:
                attempt += 1
                if attempt > retries:
                    raise

    def _execute_once(self, command: Command) -> CaseResult:
        if isinstance(command, OpenCase):
            return self._open(command)
        kept = self._take_warm(command.case_id)
        if kept is not None:
            result = self._decide(kept[1], command, kept[0], warm=True)
            if result is not None:
                return result
        # a full read: the events verified, folded, and checked against the snapshot
        events, snapshot = self.store.read_case(command.case_id)
        state = self._verified_state(command.case_id, events, snapshot)
        assert snapshot is not None  # _verified_state refuses a case without one
        head = Head(state.version, state.last_hash, snapshot.edits)
        result = self._decide(state, command, head, warm=False)
        assert result is not None
        return result

    def _open(self, command: OpenCase) -> CaseResult:
        digest = command.procedure
        if digest not in self._contexts and self.store.procedure(digest) is None:
            digest = self.register(command.procedure)
        ctx = self.context(digest)
        case_id = command.case_id or self.new_id(ctx.proc.id)
        if any(a.content is not None for a in command.documents) and (
                self.store.snapshot(case_id) is not None or self.store.events(case_id)):
            # refused before any document content is stored: it would stay behind unowned
            refusal = ctx.refuse("guard.exists", case=case_id)
            self._audit_refusal(command, case_id, refusal)
            raise refusal
        try:
            state, events = open_events(ctx, case_id, command, self.clock)
        except (CommandRefused, CaseError) as exc:
            self._audit_refusal(command, case_id, exc)
            raise
        try:
            # the append inserts the case's snapshot and events: taken keys mean it exists
            return self._commit(ctx, state, 0, events, command, head=None)
        except ConcurrencyConflict:
            if self.store.snapshot(case_id) is None and not self.store.events(case_id):
                raise  # pragma: no cover - a conflict on a case that is not there
            refusal = ctx.refuse("guard.exists", case=case_id)
            self._audit_refusal(command, case_id, refusal)
            raise refusal from None

    def _decide(self, state: CaseState, command: Command, head: Head,
                *, warm: bool) -> CaseResult | None:
        """Decide ``command`` on ``state`` (at ``head``) and append what it produces. From a
        kept copy (``warm``), None means the copy is out of date: nothing was written or
        recorded, and the caller decides again from the store."""
        ctx = self.context(state.procedure_hash)
        expected = state.version
        try:
            if isinstance(command, CompleteStep):
                self._check_waiting(ctx, state)
            events = decide(ctx, state, command, self.clock)
            linked = self._referrals(state, events, command)
        except (CommandRefused, CaseError) as exc:
            if warm and self.store.head(state.case_id) != head:
                return None  # refused by an old copy: the store's case may say otherwise
            self._audit_refusal(command, command.case_id, exc)
            raise
        if not events:  # nothing to append, so nothing checks the head: check it here
            if warm and self.store.head(state.case_id) != head:
                return None
            if self._warm_limit:  # a copy: the state handed out is the caller's
                self._keep_warm(CaseState.from_dict(state.to_dict()), head)
            return CaseResult(state, ())
        try:
            return self._commit(ctx, state, expected, events, command, linked, head=head)
        except ConcurrencyConflict:  # StaleCase, or an event number already taken
            if warm:
                return None
            raise

    def _take_warm(self, case_id: str) -> tuple[Head, CaseState] | None:
        """This worker's verified copy of the case and its head then, taken out (the command
        changes it); whether it is still current is checked when the command appends."""
        if not self._warm_limit:
            return None
        with self._warm_lock:
            return self._warm.pop(case_id, None)

    def _keep_warm(self, state: CaseState, head: Head | None) -> None:
        """Keep ``state``, which is the stored case at ``head`` (not over a newer copy another
        thread kept meanwhile)."""
        if head is None or not self._warm_limit or state.closed:
            return  # a closed case takes no command: keep none of its data
        with self._warm_lock:
            kept = self._warm.get(state.case_id)
            if kept is not None and kept[0].version > head.version:
                return
            self._warm[state.case_id] = (head, state)
            while len(self._warm) > self._warm_limit:
                self._warm.popitem(last=False)

    def forget(self, case_id: str | None = None) -> None:
        """Drop this worker's verified copy of a case (of every case with None), e.g. before
        erasing personal data: the copy would be refused at the next append anyway, since the
        rewrite counts as an edit, but it need not stay in memory until then."""
        with self._warm_lock:
            if case_id is None:
                self._warm.clear()
            else:
                self._warm.pop(case_id, None)

    def _check_waiting(self, ctx: Context, state: CaseState) -> None:
        """A case that referred with ``wait: true`` goes on only once the target is closed."""
        for link in state.links:
            if link["direction"] == "out" and link.get("wait") and link.get("case_id"):
                target = self.store.snapshot(link["case_id"])
                status = target.status if target is not None else "missing"
                if status not in CLOSED:
                    raise ctx.refuse("guard.referral_open", case=state.case_id,
                                     linked=link["case_id"], status=status)

    def _referrals(self, state: CaseState, events: list[Event],
                   command: Command) -> list[Linked]:
        """Open the target case of each referral the command makes, in the same transaction:
        it carries the named documents and the facts the target procedure also declares."""
        linked: list[Linked] = []
        for event in events:
            if event.type != "case_referred":
                continue
            p = event.payload
            target = self.context(self.register(p["procedure_id"]))
            documents = tuple(
                Attachment(doc, str(state.documents[doc].get("name") or doc),
                           str(state.documents[doc].get("sha256") or ""),
                           int(state.documents[doc].get("size") or 0),
                           str(state.documents[doc].get("media_type") or
                               "application/octet-stream"),
                           self.store.blob(str(state.documents[doc].get("sha256") or "")))
                for doc in p["documents"] if doc in {d.id for d in target.proc.documents})
            declared = {f.id for f in target.proc.facts}
            facts = {k: v for k, v in state.facts.items() if k in declared}
            opening = OpenCase(user=command.user, role=target.proc.step(target.machine.entry).actor,
                               at=event.at, procedure=target.proc_hash, facts=facts,
                               documents=documents, case_id=p["case_id"])
            if self.store.snapshot(p["case_id"]) is not None:
                raise target.refuse("guard.exists", case=p["case_id"])
            new_state, new_events = open_events(
                target, p["case_id"], opening, self.clock,
                referred_from={"case_id": state.case_id, "procedure_id": state.procedure_id})
            linked.append((new_state.case_id, 0, new_events, self._snapshot(target, new_state)))
        return linked

    def _commit(self, ctx: Context, state: CaseState, expected: int, events: list[Event],
                command: Command, linked: Sequence[Linked] = (), *,
                head: Head | None) -> CaseResult:
        """Append the events ``decide`` sealed onto the case's chain, with the new snapshot,
        provided the case is still at ``head`` (None: a new case)."""
        attachments: tuple[Attachment, ...] = getattr(command, "documents", ())
        if isinstance(command, AttachDocument):
            attachments = (command.attachment,)
        for attachment in attachments:
            if attachment.content is not None:
                self.store.put_blob(attachment.sha256, attachment.content)
        snapshot = self._snapshot(ctx, state)
        check = head if self._warm_limit else None
        self.store.append(state.case_id, expected, events, snapshot, linked=linked,
                          expected_head=check)
        # an append leaves the edit count alone; the snapshot's state is a fresh copy, so the
        # caller's CaseState stays theirs
        self._keep_warm(CaseState.from_dict(snapshot.state),
                        Head(state.version, state.last_hash, head.edits if head else 0))
        return CaseResult(state, tuple(events))

    def snapshot_of(self, ctx: Context, state: CaseState) -> CaseSnapshot:
        """The snapshot row that goes with ``state`` (for writers outside execute)."""
        return self._snapshot(ctx, state)

    @staticmethod
    def _snapshot(ctx: Context, state: CaseState) -> CaseSnapshot:
        role = ctx.index.steps[state.current_step].actor if state.current_step else None
        dues = [d for d in (state.step_due_at, state.due_at) if d]
        return CaseSnapshot(state.case_id, state.procedure_id, state.procedure_hash,
                            state.version, state.status, state.current_step, role,
                            min(dues) if dues else None, state.updated_at or "",
                            state.last_hash, state.to_dict())

    def _audit_refusal(self, command: Command, case_id: str | None, exc: Exception) -> None:
        rule = getattr(exc, "rule", type(exc).__name__)
        self.store.record_audit(AuditRecord(
            at=self.clock().isoformat(), user=command.user, role=command.role,
            action=f"refused:{type(command).__name__}", case_id=case_id, rule=rule,
            detail={"message": getattr(exc, "audit_message", str(exc)), "at": command.at,
                    "procedure": getattr(command, "procedure", None)}))

    def events(self, case_id: str) -> list[Event]:
        """The case's history, after verifying its hash chain."""
        return self._verified(case_id, self.store.events(case_id))

    def _verified(self, case_id: str, events: list[Event]) -> list[Event]:
        if not events:
            message, hint = text("err.case_not_found", self.lang, case=case_id,
                                 store=self.store.url)
            raise CaseNotFound(message, hint=hint)
        breaks = verify_chain(case_id, events)
        if breaks:
            message, hint = text("err.tamper_chain", self.lang, case=case_id,
                                 parts=_describe_breaks(breaks, self.lang))
            raise TamperDetected(message, hint=hint)
        return events

    def case(self, case_id: str) -> CaseState:
        """The verified current state of a case (its events re-folded and the snapshot checked)."""
        # events and snapshot as of one moment: a disagreement can only be tampering
        events, snapshot = self.store.read_case(case_id)
        return self._verified_state(case_id, events, snapshot)

    def _verified_state(self, case_id: str, events: list[Event],
                        snapshot: CaseSnapshot | None) -> CaseState:
        state = replay(self._verified(case_id, events))
        if not self._snapshot_matches(snapshot, state):
            message, hint = text("err.tamper_snapshot", self.lang, case=case_id)
            raise TamperDetected(message, hint=hint)
        return state

    def readers(self, proc: Procedure) -> set[str]:
        """Roles that may read a case of ``proc``: those named in ``access.read``, every staff
        role that performs a step (teams with their members) and the escalation roles.
        External parties (the reporter, the victim, the other party) never read case files
        through alur."""
        from engine.model import RoleKind
        allowed = set(proc.access.read)
        for step in proc.steps:
            allowed |= proc.acting_roles(step.actor)
            if step.escalate_to:
                allowed.add(step.escalate_to)
        if proc.time_limit.escalate_to:
            allowed.add(proc.time_limit.escalate_to)
        return {r for r in allowed if proc.role(r).kind is not RoleKind.EXTERNAL}

    def read_case(self, case_id: str, *, user: str | None, role: str | None,
                  reveal_reason: str | None = None) -> CaseState:
        """The case for ``user`` acting as ``role``, refused with AccessDenied (and recorded)
        when the role may not read it or the roster says the user does not hold it. Without a
        roster and without a user/role, reading is allowed (the caller says so). A reveal of
        sensitive data needs a reason and is recorded with who, when and why."""
        state = self.case(case_id)
        proc = self.procedure(state.procedure_hash)
        if user is not None or role is not None or self.roster is not None:
            problem = None
            if not user or not role:
                problem = "err.read_needs_actor"
            elif role not in self.readers(proc):
                problem = "err.read_role"
            elif self.roster is not None and not self.roster.holds(user, role):
                problem = "err.read_roster"
            if problem is not None:
                params = {"user": user, "role": role, "procedure": proc.id,
                          "roles": ", ".join(sorted(self.readers(proc)))}
                self.store.record_audit(AuditRecord(  # the audit log keeps English
                    at=self.clock().isoformat(), user=user or "-", role=role or "-",
                    action="refused:read", case_id=case_id, rule="access.read",
                    detail={"message": text(problem, "en", **params)[0]}))
                message, hint = text(problem, self.lang, **params)
                raise AccessDenied(message, hint=hint)
        if reveal_reason is not None:
            if not reveal_reason.strip():
                message, hint = text("err.reveal_reason", self.lang)
                raise UsageError(message, hint=hint)
            self.store.record_audit(AuditRecord(
                at=self.clock().isoformat(), user=user or "-", role=role or "-",
                action="reveal:case", case_id=case_id, rule="privacy.reveal",
                detail={"reason": reveal_reason}))
        return state

    def cases(self, *, status: str | None = None, procedure_id: str | None = None,
              role: str | None = None) -> list[CaseSnapshot]:
        return self.store.cases(status=status, procedure_id=procedure_id, role=role)

    def inbox(self, role: str) -> list[CaseSnapshot]:
        """Open cases waiting for ``role`` (including teams it belongs to) or escalated to it,
        by due date (:func:`engine.listings.inbox_rows` streams them)."""
        from engine.listings import inbox_filter

        chosen = inbox_filter(self, role)
        return [s for s in self.store.iter_cases(open_only=True) if chosen(s)]

    def due(self, now: datetime | None = None) -> list[DueItem]:
        """Open deadlines of every open case, breached or not, soonest first."""
        moment = now or self.clock()
        items: list[DueItem] = []
        for snap in self.store.iter_cases(open_only=True):  # streamed: only open cases kept
            state = snap.state
            for target, due_at in (("case", state.get("due_at")),
                                   (state.get("current_step") or "", state.get("step_due_at"))):
                if due_at:
                    items.append(DueItem(snap.case_id, snap.procedure_id, target, due_at,
                                         datetime.fromisoformat(due_at) < moment,
                                         snap.current_role))
        return sorted(items, key=lambda i: (i.due_at, i.case_id, i.target))

    def check_deadlines(self, now: datetime | None = None, *, user: str = "alur",
                        ) -> list[CaseResult]:
        """Record a breach event (with its escalation role) once for each passed due date."""
        moment = now or self.clock()
        results = []
        # every open case is checked on its verified state, not on the snapshot's copy of its
        # due dates (a forged snapshot must not hide a breach); one bad case does not stop the
        # sweep: it is recorded in the audit log and the others go on
        for snap in self.store.iter_cases(open_only=True):  # streamed: memory stays flat
            if snap.status in CLOSED:
                continue
            try:
                state = self.case(snap.case_id)
                dues = [d for d in (state.due_at, state.step_due_at) if d]
                if not any(datetime.fromisoformat(d) < moment for d in dues):
                    continue
                ctx = self.context(state.procedure_hash)
                role = ctx.proc.time_limit.escalate_to or ctx.proc.roles[0].id
                command = CheckDeadlines(user=user, role=role, at=moment.isoformat(),
                                         case_id=snap.case_id)
                result = self.execute(command, retries=3)
            except (TamperDetected, CommandRefused, ConcurrencyConflict) as exc:
                self.store.record_audit(AuditRecord(
                    at=moment.isoformat(), user=user, role="system",
                    action="deadline_check_skipped", case_id=snap.case_id,
                    rule=getattr(exc, "rule", exc.code), detail={"message": exc.message}))
                continue
            if result.events:
                results.append(result)
        return results

    def verify(self, case_id: str | None = None) -> list[ChainBreak | dict[str, Any]]:
        """Every chain break (and snapshot mismatch) in the store, or in one case."""
        problems: list[ChainBreak | dict[str, Any]] = []
        ids = [case_id] if case_id else self._all_case_ids()
        for cid in ids:
            events, snap = self.store.read_case(cid)
            if not events:
                problems.append({"case_id": cid, "seq": 0, "problem": "no events"})
                continue
            breaks = verify_chain(cid, events)
            problems.extend(breaks)
            if not breaks:
                state = replay(events)
                try:
                    matches = self._snapshot_matches(snap, state)
                except ProcedureNotFound:
                    problems.append({"case_id": cid, "seq": 1, "problem": "procedure"})
                    continue
                if not matches:
                    problems.append({"case_id": cid, "seq": state.version,
                                     "problem": "snapshot"})
        return problems

    def _snapshot_matches(self, snapshot: CaseSnapshot | None, state: CaseState) -> bool:
        """Every column of the stored snapshot is what the fold of the events gives (listings,
        inboxes and deadline sweeps read those columns, so a forged status must not pass)."""
        if snapshot is None:
            return False
        return snapshot == self._snapshot(self.context(state.procedure_hash), state)

    def _all_case_ids(self) -> list[str]:
        ids = {s.case_id for s in self.store.cases()}
        ids |= {e.case_id for e in self.store.all_events()}
        return sorted(ids)



def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe_breaks(breaks: list[ChainBreak], lang: str) -> str:
    event = text("cli.audit.event", lang)[0]
    return ", ".join(f"{event} {b.seq} {b.problem}" for b in breaks[:5])
