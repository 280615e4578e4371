"""The embedding API: :class:`Engine` runs commands against cases in a store.

One ``execute`` = read the case's events, verify their hash chain and the snapshot, fold them into
the state, decide the command (:mod:`engine.cases.runtime`), seal the new events onto the chain and
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
import random
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from engine.cases.calendar import DEFAULT_TIMEZONE, WorkCalendar, calendar_for, load_overrides
from engine.cases.commands import (
    Anonymise,
    AttachDocument,
    Attachment,
    CheckDeadlines,
    Command,
    CompleteStep,
    OpenCase,
)
from engine.cases.events import AuditRecord, CaseSnapshot, ChainBreak, Event, verify_chain
from engine.cases.machine import machine_for
from engine.cases.numbers import label, series_of
from engine.cases.roster import Roster
from engine.cases.runtime import Context, Erasure, decide, erasure_plan, open_events, parse_time
from engine.cases.state import CLOSED, CaseState, replay, running_deadlines
from engine.clock import check_not_future, system_clock
from engine.clock import tolerance as clock_tolerance_of
from engine.errors import (
    AccessDenied,
    AlurError,
    CaseError,
    CaseNotFound,
    CommandRefused,
    ConcurrencyConflict,
    NumberTaken,
    ProcedureError,
    ProcedureNotFound,
    TamperDetected,
    UsageError,
)
from engine.messages import default_lang, text
from engine.procedure.catalog import resolve_path
from engine.procedure.model import Procedure
from engine.procedure.validate import Checked, check_bytes, check_path
from engine.safe_text import check_case_id, check_user, printable
from engine.store import Store, StoredProcedure, open_store
from engine.store.base import Head, Linked

__all__ = ["CaseResult", "DueItem", "Engine"]

MAX_BLOB = 10 * 1024 * 1024  # document content above this is kept as a reference only
WARM_CASES = 1024  # verified cases a worker keeps between commands (a few KB each)
NEW_ID_DRAWS = 3  # a made case id that is taken is drawn again: at most this many draws
# a case number taken by a case opened meanwhile is drawn again: at most this many draws (each
# race has a winner, so this many processes may open cases of one prefix at the same moment)
NUMBER_DRAWS = 64


@dataclass(frozen=True, slots=True)
class CaseResult:
    """A case after a command, and the events that command appended."""

    case: CaseState
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class DueItem:
    """One open deadline of a case: :meth:`Engine.due`'s items and the rows of the ``due``
    listing (:func:`engine.listings.due_rows`, which sets ``key``, the case's keyset cursor)."""

    case_id: str
    procedure_id: str
    target: str  # "case" or a step id
    due_at: str
    breached: bool
    role: str | None
    timezone: str = DEFAULT_TIMEZONE  # the procedure's: due dates are shown in it
    number: str | None = None  # the case's short number (MED-2026-0042)
    key: tuple[str | None, str] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "number": self.number,
                "procedure": self.procedure_id, "target": self.target,
                "due_at": self.due_at, "breached": self.breached, "role": self.role}


def time_ordered_id(procedure_id: str, *, now: Callable[[], float] = time.time,
                    random: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """A new case id: the procedure id, the second it was made (``now``, Unix seconds) and 32
    random bits (``random``) in hex (``mediasi-6753a1b2c3d4e5f6``). Ids made later sort later,
    so a new case's events and snapshot go to the end of the stores' (case_id, ...) keys
    instead of splitting pages all over them, as random ids did. Two ids made in one second
    collide with odds 1 in 2^32 (the engine then draws again: ``NEW_ID_DRAWS``)."""
    return f"{procedure_id}-{int(now()) & 0xFFFFFFFF:08x}{random(4).hex()}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Engine:
    """Run procedures against persisted cases.

    ``store``: a :class:`~engine.store.Store`, a URL, or None for ``$ALUR_DB`` / ``./alur.db``.
    ``roster``: who holds which role; None accepts the role a user claims (``roster_configured``
    tells callers to say so). ``clock``: returns the current aware time (tests pass a fixed one).
    ``clock_tolerance``: how far (a timedelta, or seconds) a command's time may be ahead of the
    clock before it is refused as ``guard.future`` (default ``$ALUR_CLOCK_TOLERANCE`` or five
    minutes; see :mod:`engine.clock`).
    ``new_id``: makes case ids from a procedure id (default :func:`time_ordered_id`).
    ``salts``: n random bytes (default ``secrets.token_bytes``), from which the salts of personal
    values are cut (``docs/privacy.md``); tests pass a seeded source so events, and so hashes,
    are the same on every run. ``warm_cases``: how many verified cases
    to keep between commands when the store counts edits (``Store.counts_edits``; 0: none).
    """

    def __init__(self, store: Store | str | None = None, *, roster: Roster | None = None,
                 clock: Callable[[], datetime] | None = None,
                 new_id: Callable[[str], str] | None = None, lang: str | None = None,
                 warm_cases: int = WARM_CASES,
                 salts: Callable[[int], bytes] | None = None,
                 clock_tolerance: timedelta | float | None = None) -> None:
        self.lang = lang or default_lang()
        self.clock_tolerance = clock_tolerance_of(clock_tolerance, self.lang)
        self.store = store if isinstance(store, Store) else open_store(store)
        self.roster = roster
        self.clock = clock or system_clock
        self.new_id = new_id or time_ordered_id
        self.salts = salts or secrets.token_bytes
        self._contexts: dict[str, Context] = {}
        self._warm_limit = max(0, warm_cases) if getattr(self.store, "counts_edits", False) else 0
        # case id -> (its head in the store when it was kept, the verified state at that head)
        self._warm: OrderedDict[str, tuple[Head, CaseState]] = OrderedDict()
        self._warm_lock = threading.Lock()  # an Engine may serve several threads
        self._epoch = ""  # the store's epoch (Store.epoch) at the last full read

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
        if stored.hash != procedure_hash or not isinstance(stored.text, str) \
                or text_hash(stored.text) != procedure_hash:
            # the text was edited in the store (a fact no longer sensitive, a reader added):
            # acting on it would apply rules nobody sealed
            message, hint = text("err.tamper_procedure", self.lang, version=procedure_hash[:12],
                                 procedure=stored.id)
            raise TamperDetected(message, hint=hint)
        checked = check_bytes(stored.text.encode("utf-8"), f"store:{stored.id}@{stored.version}",
                              self.lang)
        self._require_valid(checked)
        return self._context_from(checked, procedure_hash, None)

    def _context_from(self, checked: Checked, digest: str, path: str | None) -> Context:
        proc = checked.procedure
        assert proc is not None
        calendar = self._calendar(proc, path)
        ctx = Context(proc, digest, machine_for(proc, digest), calendar, self.roster, self.lang,
                      self.salts)
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
        """Read a file to attach as ``document``. With ``root`` (the CLI's documents folder, a
        case file's folder) the file must lie inside it and is opened without following any
        symbolic link (:func:`engine.files.read_document`); without, ``path`` is opened as
        given. Either way only a regular file is read, checked on the open handle."""
        from engine.files import DocumentRefused, read_document

        file = Path(path)
        if root is None:
            root, path = file.parent, file.name
        try:
            read = read_document(root, path, limit=MAX_BLOB)
        except DocumentRefused as exc:
            message, hint = text(exc.code, self.lang, path=os.fspath(file),
                                 base=Path(root).absolute(), problem=exc.problem)
            rule = "input.document_path" if exc.code != "err.document_unreadable" else None
            raise CaseError(message, hint=hint, rule=rule) from exc
        media = mimetypes.guess_type(read.name)[0] or "application/octet-stream"
        return Attachment(document, read.name, read.sha256, read.size, media, read.content)

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
        """One pass of ``command``; a case number taken meanwhile by another opening (this
        command's own, or a referral's target's) is drawn again, up to ``NUMBER_DRAWS`` times:
        nothing was written, and every draw reads the store's highest number afresh."""
        for _ in range(NUMBER_DRAWS - 1):
            try:
                return self._execute_pass(command)
            except NumberTaken:
                time.sleep(random.random() * 0.01)  # the racers spread out before drawing again
        return self._execute_pass(command)

    def _execute_pass(self, command: Command) -> CaseResult:
        if isinstance(command, OpenCase):
            return self._open(command)
        # anonymising rewrites the case's stored events: it is decided on a full read of them
        kept = None if isinstance(command, Anonymise) else self._take_warm(command.case_id)
        if kept is not None:
            result = self._decide(kept[1], command, kept[0], warm=True)
            if result is not None:
                return result
        # a full read: the events verified, folded, and checked against the snapshot. The
        # store's epoch (its trigger set) is read first: a copy kept from this read is valid
        # only while it stands, and the append checks that (issue #15)
        epoch = self._read_epoch()
        events, snapshot = self.store.read_case(command.case_id)
        state = self._verified_state(command.case_id, events, snapshot)
        assert snapshot is not None  # _verified_state refuses a case without one
        head = Head(state.version, state.last_hash, snapshot.edits, epoch)
        result = self._decide(state, command, head, warm=False, history=events)
        assert result is not None
        return result

    def _read_epoch(self) -> str:
        """The store's epoch, read before a full read of a case (only when cases are kept)."""
        if self._warm_limit:
            self._epoch = self.store.epoch()
        return self._epoch

    def _known_epoch(self) -> str:
        """The epoch last read (read once first), for a case this worker has just opened."""
        if self._warm_limit and not self._epoch:
            self._epoch = self.store.epoch()
        return self._epoch

    def _open(self, command: OpenCase, draws: int = NEW_ID_DRAWS) -> CaseResult:
        """Open a case; an id made here (``new_id``) that is taken already is drawn again, up
        to ``draws`` times in all, where an id the caller chose is refused as existing."""
        digest = command.procedure
        if digest not in self._contexts and self.store.procedure(digest) is None:
            digest = self.register(command.procedure)
        ctx = self.context(digest)
        case_id = command.case_id or self.new_id(ctx.proc.id)
        if any(a.content is not None for a in command.documents) and (
                self.store.snapshot(case_id) is not None or self.store.events(case_id)):
            # refused before any document content is stored: it would stay behind unowned
            if command.case_id is None and draws > 1:
                return self._open(command, draws - 1)
            refusal = ctx.refuse("guard.exists", case=case_id)
            self._audit_refusal(command, case_id, refusal)
            raise refusal
        try:
            self._not_future(ctx, command.at)
            check_user(command.user, self.lang)
            if command.case_id is not None:  # a generated id is safe
                check_case_id(command.case_id, self.lang)
            state, events = open_events(ctx, case_id, command, self.clock,
                                        number=_Numbers(self.store).drawer(ctx.proc))
        except (CommandRefused, CaseError) as exc:
            self._audit_refusal(command, case_id, exc)
            raise
        try:
            # the append inserts the case's snapshot and events: taken keys mean it exists
            return self._commit(ctx, state, 0, events, command, head=None)
        except NumberTaken:
            raise  # another case took the number: drawn again (_execute_once)
        except ConcurrencyConflict:
            if self.store.snapshot(case_id) is None and not self.store.events(case_id):
                raise  # pragma: no cover - a conflict on a case that is not there
            if command.case_id is None and draws > 1:
                return self._open(command, draws - 1)
            refusal = ctx.refuse("guard.exists", case=case_id)
            self._audit_refusal(command, case_id, refusal)
            raise refusal from None

    def _decide(self, state: CaseState, command: Command, head: Head,
                *, warm: bool, history: Sequence[Event] = ()) -> CaseResult | None:
        """Decide ``command`` on ``state`` (at ``head``) and append what it produces. From a
        kept copy (``warm``), None means the copy is out of date: nothing was written or
        recorded, and the caller decides again from the store. ``history``: the case's
        verified events, for :class:`Anonymise`."""
        ctx = self.context(state.procedure_hash)
        expected = state.version
        erasure = None
        try:
            self._not_future(ctx, command.at)
            check_user(command.user, self.lang)
            if isinstance(command, CompleteStep):
                self._check_waiting(ctx, state)
            if isinstance(command, Anonymise):
                self.forget(state.case_id)  # no copy of its personal data stays in memory
                erasure = erasure_plan(ctx, history, self._kept_blobs(command))
            events = decide(ctx, state, command, self.clock, erasure=erasure)
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
                kept = CaseState.from_dict(state.to_dict())
                kept.number = state.number
                self._keep_warm(kept, head)
            return CaseResult(state, ())
        try:
            return self._commit(ctx, state, expected, events, command, linked, head=head,
                                erasure=erasure)
        except ConcurrencyConflict:  # StaleCase, or an event number already taken
            if warm:
                return None
            raise

    def _not_future(self, ctx: Context, at: str | None) -> None:
        """Refuse a command dated after the clock (plus the tolerance): recorded, it would date
        the case's last update in the future and wedge every later command as out of order."""
        if at is not None:
            check_not_future(parse_time(at, ctx.proc.agency.timezone, self.clock), self.clock,
                             self.clock_tolerance, self.lang)

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
        """A case that referred with ``wait: true`` goes on only once the target is closed
        (the rule is the rules'; reading the target's status is the façade's)."""
        def status(case_id: str) -> str | None:
            target = self.store.snapshot(case_id)
            return target.status if target is not None else None

        refused = ctx.rules.waiting(state, status)
        if refused:
            raise ctx.refused(refused[0])

    def _referrals(self, state: CaseState, events: list[Event],
                   command: Command) -> list[Linked]:
        """Open the target case of each referral the command makes, in the same transaction:
        it carries the named documents and the facts the target procedure also declares."""
        linked: list[Linked] = []
        numbers = _Numbers(self.store)  # two targets of one prefix take two numbers
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
                referred_from={"case_id": state.case_id, "procedure_id": state.procedure_id},
                number=numbers.drawer(target.proc))
            linked.append((new_state.case_id, 0, new_events, self._snapshot(target, new_state)))
        return linked

    def _kept_blobs(self, command: Anonymise) -> frozenset[str]:
        """Document contents other cases still hold: stored once per hash, they stay."""
        if command.kept is not None:
            return command.kept
        return frozenset(str(e.payload.get("sha256")) for e in self.store.all_events()
                         if e.type == "document_attached" and e.case_id != command.case_id)

    def _commit(self, ctx: Context, state: CaseState, expected: int, events: list[Event],
                command: Command, linked: Sequence[Linked] = (), *,
                head: Head | None, erasure: Erasure | None = None) -> CaseResult:
        """Append the events ``decide`` sealed onto the case's chain, with the new snapshot,
        provided the case is still at ``head`` (None: a new case); with an ``erasure``, its
        redacted events and deleted contents in the same transaction."""
        attachments: tuple[Attachment, ...] = getattr(command, "documents", ())
        if isinstance(command, AttachDocument):
            attachments = (command.attachment,)
        for attachment in attachments:
            if attachment.content is not None:
                self.store.put_blob(attachment.sha256, attachment.content)
        snapshot = self._snapshot(ctx, state)
        check = head if self._warm_limit else None
        self.store.append(state.case_id, expected, events, snapshot, linked=linked,
                          expected_head=check,
                          redacted=erasure.redacted if erasure is not None else (),
                          drop_blobs=erasure.blobs if erasure is not None else ())
        # an append leaves the edit count alone; the snapshot's state is a fresh copy, so the
        # caller's CaseState stays theirs
        # a new case keeps the epoch last read: if the triggers changed since, its next append
        # is refused as stale and the case read again (it was written here, so nothing is lost)
        kept = CaseState.from_dict(snapshot.state)
        kept.number = snapshot.number
        self._keep_warm(kept,
                        Head(state.version, state.last_hash, head.edits if head else 0,
                             head.epoch if head else self._known_epoch()))
        return CaseResult(state, tuple(events))

    def snapshot_of(self, ctx: Context, state: CaseState) -> CaseSnapshot:
        """The snapshot row that goes with ``state`` (for writers outside execute)."""
        return self._snapshot(ctx, state)

    @staticmethod
    def _snapshot(ctx: Context, state: CaseState) -> CaseSnapshot:
        role = ctx.index.steps[state.current_step].actor if state.current_step else None
        dues = [due for _, due in state.running_deadlines()]
        return CaseSnapshot(state.case_id, state.procedure_id, state.procedure_hash,
                            state.version, state.status, state.current_step, role,
                            min(dues) if dues else None, state.updated_at or "",
                            state.last_hash, state.to_dict(), number=state.number)

    def _audit_refusal(self, command: Command, case_id: str | None, exc: Exception) -> None:
        rule = exc.rule if isinstance(exc, CaseError) and exc.rule else type(exc).__name__
        message = exc.audit_message if isinstance(exc, CaseError) and exc.audit_message \
            else str(exc)
        user = command.user
        if rule in ("input.user", "input.case_id"):  # recorded as it can be stored and read
            user = printable(user)
            case_id = printable(case_id) if case_id is not None else None
        self.store.record_audit(AuditRecord(
            at=self.clock().isoformat(), user=user, role=command.role,
            action=f"refused:{type(command).__name__}", case_id=case_id, rule=rule,
            detail={"message": message, "at": command.at,
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
        verified = self._verified(case_id, events)
        try:
            state = _numbered(replay(verified), snapshot)
            matches = self._snapshot_matches(snapshot, state)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # sealed events the fold cannot read, or a snapshot row of the wrong shape: rows
            # alur never wrote. Judged as tampering, not a traceback (issue #15)
            message, hint = text("err.tamper_unreadable", self.lang, case=case_id,
                                 problem=type(exc).__name__)
            raise TamperDetected(message, hint=hint) from None
        if not matches:
            message, hint = text("err.tamper_snapshot", self.lang, case=case_id)
            raise TamperDetected(message, hint=hint)
        return state

    def readers(self, proc: Procedure) -> set[str]:
        """Roles that may read a case of ``proc``: those named in ``access.read``, every staff
        role that performs a step (teams with their members) and the escalation roles.
        External parties (the reporter, the victim, the other party) never read case files
        through alur."""
        from engine.procedure.model import RoleKind
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
        by due date (:func:`engine.listings.inbox_rows` streams them as rows)."""
        return [s for s in self.store.iter_cases(open_only=True) if self.waits_for(s, role)]

    def waits_for(self, snapshot: CaseSnapshot, role: str) -> bool:
        """Whether an open case waits for ``role`` (or a team it belongs to), or a breach of it
        was escalated to ``role``."""
        if snapshot.current_role is not None:
            try:
                acting = self.context(snapshot.procedure_hash).proc.acting_roles(
                    snapshot.current_role)
            except (AlurError, KeyError):
                acting = set()
            if role in acting:
                return True
        return any(b.get("escalate_to") == role for b in snapshot.state.get("breaches", ()))

    def due(self, now: datetime | None = None, *,
            skipped: list[tuple[str, str]] | None = None) -> list[DueItem]:
        """Open deadlines of every open case, breached or not, soonest first. A case whose
        snapshot cannot be read (a garbage state or due date written behind alur's back) is
        left out and added to ``skipped`` as (case id, why): it does not stop the others."""
        moment = now or self.clock()
        items: list[DueItem] = []
        for snap in self.store.iter_cases(open_only=True):  # streamed: only open cases kept
            try:
                if snap.status in ("completed", "terminated", "referred", "rejected",
                                   "withdrawn"):
                    continue
                state = snap.state
                found = []
                for target, due_at in running_deadlines(
                        state.get("due_at"), state.get("clock_stopped_at"),
                        state.get("current_step"), state.get("step_due_at"),
                        state.get("phases"), state.get("obligations")):
                    if due_at:
                        if type(due_at) is not str or type(target) is not str:
                            raise TypeError("a due date that is not text")
                        found.append(DueItem(snap.case_id, snap.procedure_id, target, due_at,
                                             datetime.fromisoformat(due_at) < moment,
                                             snap.current_role, self._timezone(snap),
                                             snap.number))
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                if skipped is not None:
                    skipped.append((str(snap.case_id), _unreadable(self.lang, snap.case_id,
                                                                   exc)))
                continue
            items.extend(found)
        return sorted(items, key=lambda i: (i.due_at, i.case_id, i.target))

    def _timezone(self, snap: CaseSnapshot) -> str:
        try:
            return self.context(snap.procedure_hash).proc.agency.timezone
        except AlurError:  # a procedure that no longer loads: the listing still shows the case
            return DEFAULT_TIMEZONE

    def check_deadlines(self, now: datetime | None = None, *, user: str = "alur",
                        skipped: list[tuple[str, str]] | None = None) -> list[CaseResult]:
        """Record a breach event (with its escalation role) once for each passed due date.
        ``now`` later than the clock (plus the tolerance) is refused (``guard.future``): the
        breaches would be dated in the future; :meth:`due` previews any moment. A case that
        cannot be checked (tampered, unreadable, refused) is recorded in the audit log, added
        to ``skipped`` as (case id, why), and the sweep goes on."""
        moment = now or self.clock()
        check_not_future(moment, self.clock, self.clock_tolerance, self.lang, what="--now")
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
            except (TamperDetected, CommandRefused, ConcurrencyConflict, ProcedureNotFound,
                    CaseNotFound, CaseError) as exc:
                rule = exc.rule if isinstance(exc, CaseError) and exc.rule else exc.code
                self._skip(snap.case_id, moment, user, rule, exc.message, skipped)
                continue
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                self._skip(snap.case_id, moment, user, "store.unreadable",
                           _unreadable(self.lang, snap.case_id, exc), skipped)
                continue
            if result.events:
                results.append(result)
        return results

    def _skip(self, case_id: Any, moment: datetime, user: str, rule: str, message: str,
              skipped: list[tuple[str, str]] | None) -> None:
        self.store.record_audit(AuditRecord(
            at=moment.isoformat(), user=user, role="system", action="deadline_check_skipped",
            case_id=str(case_id), rule=rule, detail={"message": message}))
        if skipped is not None:
            skipped.append((str(case_id), message))

    def verify(self, case_id: str | None = None) -> list[ChainBreak | dict[str, Any]]:
        """Every chain break (and snapshot mismatch) in the store, or in one case; for the whole
        store also what the ledger, the audit log, the procedure texts and the documents show
        (:mod:`engine.analysis.audit.ledger`). Each case is judged on its own: one whose rows
        cannot be read is reported and the others are still checked."""
        from engine.analysis.audit import ledger as ledgers

        problems: list[ChainBreak | dict[str, Any]] = []
        entries = self.store.ledger()  # first: a case appended meanwhile is ahead of it
        by_case = ledgers.case_entries(entries)
        ids = [case_id] if case_id else self._all_case_ids()
        referenced: dict[str, str] = {}
        erased: set[str] = set()
        found: list[ledgers.LedgerProblem] = []
        for cid in ids:
            events, snap = self.store.read_case(cid)
            if not events:
                found.extend(ledgers.case_problems(cid, events, by_case.get(cid, [])))
                problems.append({"case_id": cid, "seq": 0, "problem": "no events"})
                continue
            stored, gone, unlisted = ledgers.referenced_blobs(events)
            for sha in stored:
                referenced.setdefault(sha, cid)
            erased |= gone | (stored if unlisted else set())
            breaks = verify_chain(cid, events)
            problems.extend(breaks)
            if not breaks:  # a chain that verifies may still be cut short: the ledger knows
                found.extend(ledgers.case_problems(cid, events, by_case.get(cid, [])))
                try:
                    state = _numbered(replay(events), snap)
                    matches = self._snapshot_matches(snap, state)
                except (ProcedureNotFound, TamperDetected):
                    problems.append({"case_id": cid, "seq": 1, "problem": "procedure"})
                    continue
                except (KeyError, TypeError, ValueError, AttributeError):
                    problems.append({"case_id": cid, "seq": 0, "problem": "unreadable"})
                    continue
                if not matches:
                    problems.append({"case_id": cid, "seq": state.version,
                                     "problem": "snapshot"})
        if case_id is None:
            found.extend(ledgers.vanished_cases(by_case, ids))
            found.extend(ledgers.audit_problems(entries, self.store.audit_records()))
            found.extend(ledgers.procedure_problems(self.store.procedures()))
            found.extend(ledgers.blob_problems(self.store.blob_hashes(), self.store.blob,
                                               referenced, erased))
        problems.extend({"case_id": p.subject, "seq": p.seq, "problem": p.kind,
                         "detail": p.detail} for p in found)
        return problems

    def resolve(self, case: str) -> str:
        """The case id ``case`` names: a case id, or a case's short number (``MED-2026-0042``,
        ``med-2026-42``). A case id wins over a number that reads the same; text that names no
        case comes back as it is (the command then says the case is not found)."""
        if not isinstance(case, str) or self.store.head(case) is not None:
            return case
        return self.store.case_of_number(case) or case

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



class _Numbers:
    """Draws case numbers for the cases one command opens: the store's highest counter of the
    series plus one, and past the numbers drawn already for this command (two referral targets
    of one prefix). The store's unique index settles a race with another process."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.drawn: dict[str, int] = {}

    def drawer(self, proc: Procedure) -> Callable[[datetime], str]:
        def draw(opened: datetime) -> str:
            series = series_of(proc.number_prefix, opened, proc.agency.timezone)
            seq = max(self.store.last_number(series), self.drawn.get(series, 0)) + 1
            self.drawn[series] = seq
            return label(series, seq)

        return draw


def _numbered(state: CaseState, snapshot: CaseSnapshot | None) -> CaseState:
    """``state`` with its case number: sealed in its opening event, or, for a case opened
    before numbers were sealed, the one the store gave it when it was migrated (that number
    is the store's word alone; a sealed one must equal the store's, which the snapshot check
    then holds)."""
    if state.number is None and snapshot is not None:
        state.number = snapshot.number
    return state


def _unreadable(lang: str, case_id: object, exc: Exception) -> str:
    return text("err.tamper_unreadable", lang, case=case_id, problem=type(exc).__name__)[0]


def _describe_breaks(breaks: list[ChainBreak], lang: str) -> str:
    event = text("cli.audit.event", lang)[0]
    return ", ".join(f"{event} {b.seq} {b.problem}" for b in breaks[:5])
