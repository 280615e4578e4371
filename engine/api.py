"""The embedding API: :class:`Engine` runs commands against cases in a store.

One ``execute`` is one pass: load the case (the copy this worker verified, or a full read),
verify it, decide the command (:mod:`engine.cases.runtime`), append the sealed events with the
new snapshot in one transaction; a refusal writes nothing to the case and is recorded in the
audit log. ``Engine`` coordinates that pass; the parts it uses are modules of their own
(:mod:`engine.casework`). A kept copy is used only while the case's head in the store is the
one it was verified at (:mod:`engine.casework.warm`): another worker's append, an edit behind
alur's back, triggers replaced or the ledger's entry changed send the command back to a full
read and verification. A worker holds no lock and owns no case: any number share one store.
"""

from __future__ import annotations

import os
import random
import secrets
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from engine.cases.commands import Anonymise, Attachment, Command, CompleteStep, OpenCase
from engine.cases.events import CaseSnapshot, ChainBreak, Event
from engine.cases.numbers import split
from engine.cases.roster import Roster
from engine.cases.runtime import (
    CaseResult,
    Context,
    Erasure,
    decide,
    erasure_plan,
    open_events,
    parse_time,
    role_ids,
    snapshot_of,
)
from engine.cases.state import CaseState
from engine.casework import deadlines, documents, reading, referrals, verification
from engine.casework.deadlines import DueItem
from engine.casework.documents import MAX_BLOB
from engine.casework.numbering import Numbers
from engine.casework.procedures import Procedures, text_hash
from engine.casework.reading import refusal_record
from engine.casework.warm import WarmCases
from engine.clock import check_not_future, system_clock
from engine.clock import tolerance as clock_tolerance_of
from engine.errors import CaseError, CommandRefused, ConcurrencyConflict, NumberTaken
from engine.messages import default_lang
from engine.procedure.model import Procedure
from engine.safe_text import check_case_id, check_user
from engine.store import Store, open_store
from engine.store.base import Head, Linked

__all__ = ["MAX_BLOB", "CaseResult", "DueItem", "Engine", "text_hash", "time_ordered_id"]

WARM_CASES = 1024  # verified cases a worker keeps between commands (a few KB each)
NEW_ID_DRAWS = 3  # a made case id that is taken is drawn again: at most this many draws
# a case number taken by a case opened meanwhile is drawn again: at most this many draws (each
# race has a winner, so this many processes may open cases of one prefix at the same moment)
NUMBER_DRAWS = 64


def time_ordered_id(procedure_id: str, *, now: Callable[[], float] = time.time,
                    random: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """A new case id: the procedure id, the second it was made (``now``, Unix seconds) and 32
    random bits (``random``) in hex (``mediasi-6753a1b2c3d4e5f6``). Ids made later sort later,
    so new cases go to the end of the stores' keys instead of splitting pages. Two ids made in
    one second collide with odds 1 in 2^32 (the engine then draws again: ``NEW_ID_DRAWS``)."""
    return f"{procedure_id}-{int(now()) & 0xFFFFFFFF:08x}{random(4).hex()}"


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
    values are cut (``docs/privacy.md``); tests pass a seeded source. ``warm_cases``: how many
    verified cases to keep when the store counts edits (``Store.counts_edits``; 0: none).
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
        self._procedures = Procedures(self.store, roster, self.lang, self.clock, self.salts)
        self._warm = WarmCases(warm_cases if getattr(self.store, "counts_edits", False) else 0)

    @property
    def roster_configured(self) -> bool:
        return self.roster is not None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- procedures and documents (engine.casework.procedures, .documents) ------------------

    def register(self, procedure: str | os.PathLike[str]) -> str:
        """Load a procedure file (or id in ./procedures), store it by content hash; the hash."""
        return self._procedures.register(procedure)

    def procedure(self, procedure_hash: str) -> Procedure:
        return self.context(procedure_hash).proc

    def context(self, procedure_hash: str) -> Context:
        """The decision context of a stored procedure version (cached per hash)."""
        return self._procedures.context(procedure_hash)

    def attachment(self, document: str, path: str | os.PathLike[str],
                   root: str | os.PathLike[str] | None = None) -> Attachment:
        """Read a file to attach as ``document``; with ``root`` it must lie inside that folder
        and no symbolic link is followed (:func:`engine.casework.documents.attachment`)."""
        return documents.attachment(document, path, root, self.lang)

    # --- one command's pass -----------------------------------------------------------------

    def open_case(self, procedure: str, *, user: str, role: str,
                  facts: dict[str, Any] | None = None, documents: tuple[Attachment, ...] = (),
                  participants: dict[str, str] | None = None, at: str | None = None,
                  case_id: str | None = None) -> CaseResult:
        """Open a case of ``procedure`` (file path, id, or stored hash)."""
        return self.execute(OpenCase(user=user, role=role, at=at, procedure=procedure,
                                     facts=dict(facts or {}), documents=documents,
                                     participants=dict(participants or {}), case_id=case_id))

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
        kept = None if isinstance(command, Anonymise) else self._warm.take(command.case_id)
        if kept is not None:
            result = self._decide(kept[1], command, kept[0], warm=True)
            if result is not None:
                return result
        state, head, events = self._load(command.case_id)
        result = self._decide(state, command, head, warm=False, history=events)
        assert result is not None
        return result

    def _load(self, case_id: str) -> tuple[CaseState, Head, list[Event]]:
        """A full read, verified. The case's head is read first: its ledger entry, which the
        events read after can only be ahead of, and the store's epoch (trigger set); a copy
        kept from this read is valid only while both stand, as the append checks (issue #15)."""
        before = self.store.head(case_id)
        events, snapshot = self.store.read_case(case_id)
        state = verification.verified_state(case_id, events, snapshot, self._snapshot_of,
                                            self.lang, self.store.url,
                                            before.ledger if before else None)
        assert snapshot is not None  # verified_state refuses a case without one
        if before is not None:
            self._warm.epoch = before.epoch
        return state, Head(state.version, state.last_hash, snapshot.edits,
                           before.epoch if before else "", before.ledger if before else ""), \
            events

    def _open(self, command: OpenCase, draws: int = NEW_ID_DRAWS) -> CaseResult:
        """Open a case; an id made here (``new_id``) that is taken already is drawn again, up
        to ``draws`` times in all, where an id the caller chose is refused as existing."""
        digest = command.procedure
        if digest not in self._procedures and self.store.procedure(digest) is None:
            digest = self.register(command.procedure)
        ctx = self.context(digest)
        command = role_ids(ctx.index, command)  # a refusal is recorded with the role's id too
        case_id = command.case_id or self.new_id(ctx.proc.id)
        if any(a.content is not None for a in command.documents) and (
                self.store.snapshot(case_id) is not None or self.store.events(case_id)):
            # refused before any document content is stored: it would stay behind unowned
            if command.case_id is None and draws > 1:
                return self._open(command, draws - 1)
            raise self._refused_open(ctx, command, case_id)
        try:
            self._not_future(ctx, command.at)
            check_user(command.user, self.lang)
            if command.case_id is not None:  # a generated id is safe
                check_case_id(command.case_id, self.lang)
            state, events = open_events(ctx, case_id, command, self.clock,
                                        number=Numbers(self.store).drawer(ctx.proc))
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
            raise self._refused_open(ctx, command, case_id) from None

    def _refused_open(self, ctx: Context, command: OpenCase, case_id: str) -> CommandRefused:
        refusal = ctx.refuse("guard.exists", case=case_id)
        self._audit_refusal(command, case_id, refusal)
        return refusal

    def _decide(self, state: CaseState, command: Command, head: Head,
                *, warm: bool, history: Sequence[Event] = ()) -> CaseResult | None:
        """Decide ``command`` on ``state`` (at ``head``) and append what it produces. From a
        kept copy (``warm``), None means the copy is out of date: nothing was written or
        recorded, and the caller decides again from the store. ``decide`` folds the new
        events into ``state``: the version they append after is the head's. ``history``: the
        case's verified events, for :class:`Anonymise`."""
        ctx = self.context(state.procedure_hash)
        command = role_ids(ctx.index, command)  # a refusal is recorded with the role's id too
        erasure = None
        try:
            self._not_future(ctx, command.at)
            check_user(command.user, self.lang)
            linked = None
            if isinstance(command, CompleteStep):
                referrals.check_waiting(self.store, ctx, state)
                if state.services:  # a running plan's linked cases, for its join
                    linked = referrals.plan_statuses(self.store, state)
            if isinstance(command, Anonymise):
                self.forget(state.case_id)  # no copy of its personal data stays in memory
                erasure = erasure_plan(ctx, history, self._kept_blobs(command))
            events = decide(ctx, state, command, self.clock, erasure=erasure, linked=linked)
            opened = referrals.referred_cases(self.store, state, events, command.user,
                                              self._referred_context, self.clock)
        except (CommandRefused, CaseError) as exc:
            if warm and self.store.head(state.case_id) != head:
                return None  # refused by an old copy: the store's case may say otherwise
            self._audit_refusal(command, command.case_id, exc)
            raise
        if not events:  # nothing to append, so nothing checks the head: check it here
            if warm and self.store.head(state.case_id) != head:
                return None
            if self._warm.limit:  # a copy: the state handed out is the caller's
                kept = CaseState.from_dict(state.to_dict())
                kept.number = state.number
                self._warm.keep(kept, head)
            return CaseResult(state, ())
        try:
            return self._commit(ctx, state, head.version, events, command, opened, head=head,
                                erasure=erasure)
        except ConcurrencyConflict:  # StaleCase, or an event number already taken
            if warm:
                return None
            raise

    def _referred_context(self, procedure: str) -> Context:
        return self.context(self.register(procedure))

    def _not_future(self, ctx: Context, at: str | None) -> None:
        """Refuse a command dated after the clock (plus the tolerance): recorded, it would date
        the case's last update in the future and wedge every later command as out of order."""
        if at is not None:
            check_not_future(parse_time(at, ctx.proc.agency.timezone, self.clock), self.clock,
                             self.clock_tolerance, self.lang)

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
        documents.put_contents(self.store, command)
        snapshot = snapshot_of(ctx, state)
        self.store.append(state.case_id, expected, events, snapshot, linked=linked,
                          expected_head=head if self._warm.limit else None,
                          redacted=erasure.redacted if erasure is not None else (),
                          drop_blobs=erasure.blobs if erasure is not None else ())
        if self._warm.limit:  # the snapshot's state is a copy: the caller's state stays theirs
            kept = CaseState.from_dict(snapshot.state)
            kept.number = snapshot.number
            self._warm.keep_appended(kept, head, self.store.epoch)
        return CaseResult(state, tuple(events))

    def snapshot_of(self, ctx: Context, state: CaseState) -> CaseSnapshot:
        """The snapshot row that goes with ``state`` (for writers outside execute)."""
        return snapshot_of(ctx, state)

    def _snapshot_of(self, state: CaseState) -> CaseSnapshot:
        return snapshot_of(self.context(state.procedure_hash), state)

    def _audit_refusal(self, command: Command, case_id: str | None, exc: Exception) -> None:
        self.store.record_audit(refusal_record(command, case_id, exc, self.clock))

    def forget(self, case_id: str | None = None) -> None:
        """Drop this worker's verified copy of a case (of every case with None), e.g. before
        erasing personal data, which then need not stay in memory."""
        self._warm.forget(case_id)

    # --- reading cases (engine.casework.verification, .reading) -----------------------------

    def events(self, case_id: str) -> list[Event]:
        """The case's history, after verifying its hash chain."""
        return verification.verified_events(case_id, self.store.events(case_id), self.lang,
                                            self.store.url)

    def case(self, case_id: str) -> CaseState:
        """The verified current state of a case (its events re-folded and the snapshot checked)."""
        return self._load(case_id)[0]

    def readers(self, proc: Procedure) -> set[str]:
        """Roles that may read a case of ``proc`` (:func:`engine.casework.reading.readers`)."""
        return reading.readers(proc)

    def read_case(self, case_id: str, *, user: str | None, role: str | None,
                  reveal_reason: str | None = None) -> CaseState:
        """The verified case for ``user`` acting as ``role``; AccessDenied, recorded, when they
        may not read it; a reveal needs a reason (:func:`engine.casework.reading.check_read`)."""
        state = self.case(case_id)
        reading.check_read(self.procedure(state.procedure_hash), case_id, user=user, role=role,
                           reveal_reason=reveal_reason, roster=self.roster,
                           record=self.store.record_audit, clock=self.clock, lang=self.lang)
        return state

    def resolve(self, case: str) -> str:
        """The case id ``case`` names: a case id, or a case's short number (``MED-2026-0042``,
        ``med-2026-42``). A case id wins over a number that reads the same; text that names no
        case comes back as it is (the command then says the case is not found)."""
        # text that is no number is taken as an id without asking the store (every API request
        # and case command passes through here)
        if split(case) is None or self.store.head(case) is not None:
            return case
        return self.store.case_of_number(case) or case

    def verify(self, case_id: str | None = None) -> list[ChainBreak | dict[str, Any]]:
        """Every problem in the store, or in one case, each case judged on its own
        (:func:`engine.casework.verification.verify_store`)."""
        return verification.verify_store(self.store, self._snapshot_of, case_id)

    # --- across cases (engine.casework.reading, .deadlines) ---------------------------------

    def cases(self, *, status: str | None = None, procedure_id: str | None = None,
              role: str | None = None) -> list[CaseSnapshot]:
        return self.store.cases(status=status, procedure_id=procedure_id, role=role)

    def inbox(self, role: str) -> list[CaseSnapshot]:
        """Open cases waiting for ``role`` (including teams it belongs to) or escalated to it,
        by due date (:func:`engine.listings.inbox_rows` streams them as rows)."""
        return [s for s in self.store.iter_cases(open_only=True) if self.waits_for(s, role)]

    def waits_for(self, snapshot: CaseSnapshot, role: str) -> bool:
        """Whether an open case waits for ``role`` (or its team), or was escalated to it."""
        return reading.waits_for(snapshot, role, self.procedure)

    def due(self, now: datetime | None = None, *,
            skipped: list[tuple[str, str]] | None = None) -> list[DueItem]:
        """Open deadlines of every open case, breached or not, soonest first; a case whose
        snapshot cannot be read is added to ``skipped`` as (case id, why)."""
        return deadlines.due(self.store, now or self.clock(), self.procedure, self.lang,
                             skipped)

    def check_deadlines(self, now: datetime | None = None, *, user: str = "alur",
                        skipped: list[tuple[str, str]] | None = None) -> list[CaseResult]:
        """Record a breach event once for each passed due date; ``now`` may not be later than
        the clock (:func:`engine.casework.deadlines.check_deadlines`)."""
        return deadlines.check_deadlines(self, now or self.clock(), user=user, skipped=skipped)
