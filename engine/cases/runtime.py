"""Deciding commands: (procedure, case state, command) → new events, or a refusal.

Pure: no store, no clock (the time is in the command), no printing. Events come out sealed onto
the case's hash chain (each links to the state's ``last_hash``), ready to append. Every guard
runs before anything is returned, so a refused command yields no event at all. The guards and the
routes are :mod:`engine.cases.rules`' (their verdicts are data); the first refusal of a verdict
becomes the :class:`~engine.errors.CommandRefused` that names its rule (``guard.role``,
``guard.documents`` ...) and says how to fix it, in the caller's language. Derived events (the
clock starting when the requirements are met, the next step starting, the case closing at a
terminal outcome, a deadline breach noticed when a command arrives late) are emitted here too, so
they land in the same transaction as the command that caused them.
"""

from __future__ import annotations

import functools
import math
import reprlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from engine.cases.calendar import WorkCalendar
from engine.cases.commands import (
    AddParticipant,
    Anonymise,
    AttachDocument,
    Attachment,
    CheckDeadlines,
    Command,
    CompleteStep,
    ExtendDeadline,
    OpenCase,
    SetFact,
    Terminate,
    Withdraw,
)
from engine.cases.events import SALTED, SALTS, USER, CaseSnapshot, Event, redact_event, seal
from engine.cases.lookup import ProcedureIndex, index_for
from engine.cases.machine import ProcedureMachine
from engine.cases.privacy import MASK
from engine.cases.roster import Roster
from engine.cases.rules import Refusal, Rules, requirements_met, rules_for
from engine.cases.state import CaseState, apply_event, replay
from engine.cases.vocabulary import VERSION_KEY, CaseAnonymised, CaseOpened
from engine.errors import CommandRefused, InvalidCaseInput, UsageError
from engine.messages import text
from engine.procedure.model import (
    ClockStart,
    Duration,
    DurationUnit,
    FactType,
    PlanService,
    Procedure,
    Referral,
    Step,
)
from engine.procedure.names import suggest

__all__ = ["CaseResult", "Context", "Erasure", "coerce_fact", "decide", "erasure_plan",
           "parse_time", "requirements_met", "role_ids", "snapshot_of"]

MAX_NOTE = 10_000
MAX_TEXT_FACT = 2_000
MAX_INT = 10**18  # whole-number facts: as many digits as a text may give (18)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a decision needs besides the case: the pinned procedure and its machine."""

    proc: Procedure
    proc_hash: str
    machine: ProcedureMachine
    calendar: WorkCalendar
    roster: Roster | None = None
    lang: str = "en"
    salts: Callable[[int], bytes] = secrets.token_bytes  # n random bytes, salts are cut from
    index: ProcedureIndex = field(init=False, repr=False, compare=False)
    rules: Rules = field(init=False, repr=False, compare=False)
    # the procedure has clock windows (phase limits, or an overall clock that stops at a step)
    windows: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", index_for(self.proc, self.proc_hash))
        object.__setattr__(self, "rules", rules_for(self.proc, self.proc_hash))
        object.__setattr__(self, "windows", bool(self.proc.phase_limits
                                                 or self.proc.time_limit.until_step))

    def refuse(self, rule: str, **params: object) -> CommandRefused:
        return CommandRefused.by_rule(rule, self.lang, **params)

    def refused(self, refusal: Refusal) -> CommandRefused:
        """A refusal of the rules as the error the caller gets."""
        return CommandRefused.by_rule(refusal.rule, self.lang, **refusal.args)

    def invalid(self, code: str, *, audit_message: str | None = None,
                **params: object) -> InvalidCaseInput:
        message, hint = text(code, self.lang, **params)
        return InvalidCaseInput(message, hint=hint, rule=code,  # the audit log's rule
                                audit_message=audit_message)


@dataclass(frozen=True, slots=True)
class CaseResult:
    """A case after a command, and the events that command appended."""

    case: CaseState
    events: tuple[Event, ...]


def snapshot_of(ctx: Context, state: CaseState) -> CaseSnapshot:
    """The snapshot row that goes with ``state``: the columns listings filter and sort on,
    copied from the state, and the state itself."""
    role = ctx.index.steps[state.current_step].actor if state.current_step else None
    dues = [due for _, due in state.running_deadlines()]  # the earliest: what a sweep looks for
    return CaseSnapshot(state.case_id, state.procedure_id, state.procedure_hash,
                        state.version, state.status, state.current_step, role,
                        min(dues) if dues else None, state.updated_at or "",
                        state.last_hash, state.to_dict(), number=state.number)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[datetime, str | None]:
    """``datetime.fromisoformat(text)`` and its ``isoformat()`` when it has an offset, kept: a
    command compares its time with the case's due dates and last update, texts a worker has
    mostly read before, and writes its own time into each event (isoformat costs 0.8 µs)."""
    moment = datetime.fromisoformat(text)
    return moment, moment.isoformat() if moment.tzinfo is not None else None


def _moment(text: str) -> datetime:
    return _parsed(text)[0]


def _when(value: str | None, tz: str, default: Callable[[], datetime]) -> tuple[datetime, str]:
    """:func:`parse_time` and the ISO text of what it gives."""
    if type(value) is str:
        try:
            moment, text = _parsed(value)
        except ValueError:
            pass  # parse_time says what is wrong with it
        else:
            if text is not None:  # an aware time: its text is known
                return moment, text
    at = parse_time(value, tz, default)
    return at, at.isoformat()


def parse_time(value: str | None, tz: str, default: Callable[[], datetime]) -> datetime:
    """An aware datetime from ISO text; a time without offset is taken in the agency's zone."""
    if value is None:
        moment = default()
    else:
        try:
            moment = _moment(value) if type(value) is str else datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise InvalidCaseInput.of("err.input.time", None, value=value) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment


_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother = 3, 80, 80


def _brief(value: Any) -> Any:
    """``value`` for a message: as it is when small, else a bounded description of it (a YAML
    alias tree of 10^9 items, or a number too long to print, must not be turned into text)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_INT:
        # its order of magnitude, without turning it into text (no words: any language reads it)
        return f"~10^{int(abs(value).bit_length() * math.log10(2))}"
    if value is None or isinstance(value, (bool, int, float)) \
            or (isinstance(value, str) and len(value) <= 200):
        return value
    return _BRIEF.repr(value)


_TRUE = {"true", "yes", "ya", "y", "1", "benar"}
_FALSE = {"false", "no", "tidak", "n", "0", "salah"}


def coerce_fact(ctx: Context, name: str, value: Any) -> Any:
    """``value`` as the declared type of fact ``name``; InvalidCaseInput when it is not one."""
    fact = ctx.index.facts.get(name)
    if fact is None:
        known = ctx.index.fact_ids
        raise ctx.invalid("input.fact_unknown", procedure=ctx.proc.id, fact=name,
                          suggestion=suggest(name, known), known=", ".join(known) or "-") from None

    def wrong(expected: str) -> InvalidCaseInput:
        # the value is shown to whoever typed it, but a sensitive one is never kept in the
        # audit log
        kept = text("input.fact_type", ctx.lang, fact=name, expected=expected,
                    value=MASK)[0] if fact.sensitive else None
        return ctx.invalid("input.fact_type", audit_message=kept, fact=name, expected=expected,
                           value=_brief(value))

    if fact.type is FactType.BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise wrong("bool")
    if fact.type is FactType.INT:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < MAX_INT:
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 19:
            return int(value)
        raise wrong("int")
    if fact.type is FactType.DATE:
        if isinstance(value, date):
            return value.isoformat()
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise wrong("date") from None
    if fact.type is FactType.ENUM:
        if isinstance(value, str) and value in fact.values:
            return value
        raise wrong("one_of=" + ", ".join(fact.values))
    if not isinstance(value, str) or len(value) > MAX_TEXT_FACT:
        raise wrong(f"text_max={MAX_TEXT_FACT}")
    return value


_PERSONAL_KINDS = frozenset({"fact_set", "case_opened", "participant_added", "document_attached"})


def _personal_paths(index: ProcedureIndex, kind: str, payload: dict[str, Any]) -> list[str]:
    """Payload paths holding personal data: sensitive facts, names of participants and of
    sensitive documents. Their values are committed to the chain through a salted hash."""
    sensitive = index.sensitive_facts
    if kind == "fact_set":
        return ["value"] if payload.get("name") in sensitive else []
    if kind == "case_opened":
        return [f"facts.{name}" for name in payload.get("facts", {}) if name in sensitive]
    if kind == "participant_added":
        return ["name"]
    if kind == "document_attached":
        return ["name"] if payload.get("document") in index.sensitive_documents else []
    return []


_SALT_BYTES = 16
_SALTS_DRAWN = 8  # salts drawn at a time: an opening with intake facts and people needs ~8


class _Draft:
    """Events being decided, applied as they are made to a working copy of the state."""

    __slots__ = ("at", "at_text", "command", "ctx", "events", "linked", "outside", "proc_hash",
                 "role", "salts", "state", "user")

    def __init__(self, ctx: Context, state: CaseState, command: Command, at: datetime,
                 at_text: str, linked: Mapping[str, str | None] | None = None) -> None:
        self.ctx = ctx
        self.linked = linked or {}  # the status of each case a running plan opened
        self.state = state
        self.command = command
        self.at = at
        self.at_text = at_text  # at.isoformat()
        self.events: list[Event] = []
        self.salts = ""  # drawn when the first personal value is salted (see salt())
        # the fields every event of the command carries
        self.user = command.user
        self.role = role = command.role
        self.proc_hash = ctx.proc_hash
        # someone from outside the agency acting under their own id (a reporter): the id is
        # personal data, salted in every event of the command so retention can erase it
        self.outside = role in ctx.index.external

    def emit(self, kind: str, payload: dict[str, Any]) -> None:
        """Seal ``payload`` onto the working copy."""
        if kind in _PERSONAL_KINDS or self.outside:
            personal = _personal_paths(self.ctx.index, kind, payload) \
                if kind in _PERSONAL_KINDS else []
            if self.outside:  # the event's user: their own id
                personal.append(USER)
            if personal:  # salted so retention can erase the values, the chain still verifies
                payload = {**payload, SALTS: {path: self.salt() for path in personal},
                           SALTED: sorted(personal)}
        state = self.state  # sealed onto the case's chain here: the working copy's last hash
        event = seal(state.case_id, state.version + 1, kind, payload, self.user, self.role,
                     self.at_text, self.proc_hash, state.last_hash)
        apply_event(state, event)
        self.events.append(event)

    def salt(self) -> str:
        """16 random bytes as hex, from a pool drawn for the command from the context's source
        (one system call where an opening salts a dozen values)."""
        if not self.salts:
            drawn = self.ctx.salts(_SALT_BYTES * _SALTS_DRAWN)
            if type(drawn) is not bytes or len(drawn) != _SALT_BYTES * _SALTS_DRAWN:
                raise UsageError.of("err.salts.source", None, kind=type(drawn).__name__,
                                    value=f"{drawn!r:.40}", size=_SALT_BYTES * _SALTS_DRAWN)
            self.salts = drawn.hex()
        salt, self.salts = self.salts[:32], self.salts[32:]
        return salt

    def due(self, duration: Duration | None) -> str | None:
        if duration is None:
            return None
        return self.ctx.calendar.due(self.at, duration).isoformat()

    def facts(self, given: dict[str, Any]) -> None:
        for name, value in given.items():
            self.emit("fact_set", {"name": name, "value": coerce_fact(self.ctx, name, value)})

    def documents(self, given: tuple[Attachment, ...]) -> None:
        for attachment in given:
            if attachment.document not in self.ctx.index.documents:
                known = self.ctx.index.document_ids
                raise self.ctx.invalid("input.document_unknown", procedure=self.ctx.proc.id,
                                       document=attachment.document,
                                       suggestion=suggest(attachment.document, known),
                                       known=", ".join(known) or "-") from None
            name, sha256, size, media = (attachment.name, attachment.sha256, attachment.size,
                                         attachment.media_type)
            self.emit("document_attached", {
                "document": attachment.document, "name": name, "sha256": sha256,
                "size": size, "media_type": media, "stored": attachment.content is not None})

    def participants(self, given: dict[str, str]) -> None:
        for role, name in given.items():
            self.ctx_role(role)
            self.emit("participant_added", {"role": role, "name": str(name)[:200]})

    def ctx_role(self, role: str) -> None:
        refused = self.ctx.rules.role(role)
        if refused:
            raise self.ctx.refused(refused[0])

    def start_step(self, step: Step) -> None:
        self.emit("step_started", {"step": step.id, "due_at": self.due(step.deadline)})

    def settle(self) -> None:
        """Derived events after the command's own: the clock starting."""
        limit = self.ctx.proc.time_limit
        if self.state.clock_started_at is not None or self.state.closed:
            return
        start = limit.starts
        ready = (start is ClockStart.CASE_OPENED
                 or (start is ClockStart.REQUIREMENTS_MET
                     and requirements_met(self.ctx.proc, self.state,
                                          gated=self.ctx.rules.gated))
                 or (start is ClockStart.STEP_COMPLETED
                     and any(p["step"] == limit.starts_after_step for p in self.state.path)))
        if ready:
            due = self.due(self.ctx.index.time_limit)
            if limit.bound == "min":  # a minimum is not a deadline: the earliest closing
                self.emit("clock_started", {"due_at": None, "earliest_at": due})
            else:
                self.emit("clock_started", {"due_at": due})

    def windows(self) -> None:
        """Derived events of clock windows: a phase limit starts when its start event has
        happened, and a phase limit or the overall clock stops when its ``until_step`` has
        completed (each once)."""
        state, proc = self.state, self.ctx.proc
        if state.closed:
            return
        done = {p["step"] for p in state.path}
        limit = proc.time_limit
        if limit.until_step in done and state.clock_started_at is not None \
                and state.clock_stopped_at is None:
            self.emit("clock_stopped", {"step": limit.until_step})
        for phase in proc.phase_limits:
            running = state.phases.get(phase.id)
            if running is None:
                start = phase.starts
                if (start is ClockStart.CASE_OPENED
                        or (start is ClockStart.REQUIREMENTS_MET
                            and requirements_met(proc, state, gated=self.ctx.rules.gated))
                        or (start is ClockStart.STEP_COMPLETED
                            and phase.starts_after_step in done)):
                    self.emit("phase_started", {"phase": phase.id, "due_at": self.due(
                        Duration(amount=phase.amount, unit=phase.unit))})
                    running = state.phases[phase.id]
            if running is not None and running["stopped_at"] is None \
                    and phase.until_step in done:
                self.emit("phase_stopped", {"phase": phase.id})

    def breaches(self) -> None:
        """A command that arrives after a due date records the breach first (once)."""
        state = self.state
        if state.closed:
            return
        limit = self.ctx.proc.time_limit
        for repeated, obligation in list(state.obligations.items()):
            target = f"repeat:{repeated}"
            if obligation["ended_at"] is None and obligation.get("due_at") \
                    and self.at > _moment(obligation["due_at"]) \
                    and not state.breached(target, obligation["due_at"]):
                self.emit("deadline_breached", {
                    "target": target, "due_at": obligation["due_at"],
                    "escalate_to": self.ctx.index.steps[repeated].escalate_to
                    or limit.escalate_to})
            if obligation["ended_at"] is None and obligation.get("ends_at") \
                    and self.at > _moment(obligation["ends_at"]):  # the time it lasts is over
                self.emit("obligation_ended", {"step": repeated})
        for phase in self.ctx.proc.phase_limits:
            running = state.phases.get(phase.id)
            if running is None or running["stopped_at"] is not None:
                continue
            target = f"phase:{phase.id}"
            if self.at > _moment(running["due_at"]) \
                    and not state.breached(target, running["due_at"]):
                self.emit("deadline_breached", {
                    "target": target, "due_at": running["due_at"],
                    "escalate_to": phase.escalate_to or limit.escalate_to})
        if state.due_at and state.clock_stopped_at is None \
                and self.at > _moment(state.due_at) \
                and not state.breached("case", state.due_at):
            self.emit("deadline_breached", {"target": "case", "due_at": state.due_at,
                                             "escalate_to": limit.escalate_to})
        step_id = state.current_step
        if step_id and state.step_due_at and self.at > _moment(state.step_due_at) \
                and not state.breached(step_id, state.step_due_at):
            step = self.ctx.index.steps[step_id]
            self.emit("deadline_breached", {"target": step_id, "due_at": state.step_due_at,
                                             "escalate_to": step.escalate_to
                                             or limit.escalate_to})


_C = TypeVar("_C", bound=Command)


def role_ids(index: ProcedureIndex, command: _C) -> _C:
    """``command`` with every role it names by an alias ("penerima manfaat", "Klien") named by
    the role's id: the acting role, a participant's role, the roles of the people it names.
    Events record ids only, so a case reads the same whichever name was typed. The roster's
    role for an erasure is no role of the procedure: left as it is."""
    if isinstance(command, Anonymise):
        return command
    changes: dict[str, Any] = {}
    if (role := index.role_id(command.role)) != command.role:
        changes["role"] = role
    if isinstance(command, AddParticipant):
        if (named := index.role_id(command.participant_role)) != command.participant_role:
            changes["participant_role"] = named
    elif isinstance(command, (OpenCase, CompleteStep)) and command.participants:
        people = {index.role_id(name): person for name, person in command.participants.items()}
        if people != command.participants:
            changes["participants"] = people
    return replace(command, **changes) if changes else command


def decide(ctx: Context, state: CaseState | None, command: Command,
           now: Callable[[], datetime], *, erasure: Erasure | None = None,
           linked: Mapping[str, str | None] | None = None) -> list[Event]:
    """The events ``command`` produces on ``state`` (None for a new case), or a refusal.

    ``state`` is used as the working copy and is changed; pass a copy to keep the original.
    ``erasure``: for :class:`Anonymise`, the :func:`erasure_plan` of the case's history.
    ``linked``: the status of each case the running plan opened (None: no such case), read
    by the caller from its store, for joining the plan.
    """
    command = role_ids(ctx.index, command)
    at, at_text = _when(command.at, ctx.proc.agency.timezone, now)
    if isinstance(command, OpenCase):
        if state is not None:
            raise ctx.refuse("guard.exists", case=state.case_id)
        raise TypeError("open cases with open_case()")  # pragma: no cover
    assert state is not None
    if isinstance(command, Anonymise):  # a closed case, by a role no procedure has
        return _anonymise(ctx, state, command, at, at_text, now(), erasure)
    rules = ctx.rules
    draft = _Draft(ctx, state, command, at, at_text, linked)
    refused = rules.command(state, None if isinstance(command, CheckDeadlines) else command.user,
                            command.role, ctx.roster, at,
                            None if state.updated_at is None else _moment(state.updated_at))
    if refused:
        raise ctx.refused(refused[0])
    if state.due_at or state.step_due_at or state.phases or state.obligations:  # a due date
        draft.breaches()
    if isinstance(command, CompleteStep):
        _complete(draft, command)
    elif isinstance(command, SetFact):
        draft.facts({command.name: command.value})
    elif isinstance(command, AttachDocument):
        draft.documents((command.attachment,))
    elif isinstance(command, AddParticipant):
        draft.participants({command.participant_role: command.name})
    elif isinstance(command, ExtendDeadline):
        _extend(draft, command)
    elif isinstance(command, (Withdraw, Terminate)):
        refused = rules.closing(command.role, command.reason,
                                terminate=isinstance(command, Terminate))
        if refused:
            raise ctx.refused(refused[0])
        outcome = "withdrawn" if isinstance(command, Withdraw) else "terminated"
        draft.emit("case_closed", {"outcome": outcome, "reason": command.reason[:MAX_NOTE]})
    elif isinstance(command, CheckDeadlines):
        pass
    if state.clock_started_at is None:  # once it runs, nothing more to settle
        draft.settle()
    if ctx.windows:
        draft.windows()
    return draft.events


@dataclass(frozen=True, slots=True)
class Erasure:
    """What anonymising a case changes besides the event it appends: the stored events whose
    personal data is replaced by its commitment (same hashes), the whole history so redacted,
    the document contents to delete, and counts for the report."""

    redacted: tuple[Event, ...]  # only the events that change
    history: tuple[Event, ...]
    blobs: tuple[str, ...]  # SHA-256 of each sensitive document's content no other case holds
    values: int  # personal values erased (salted payload values and outside users' ids)
    kept_users: int  # outside users' ids sealed in clear, before ids were salted: kept


def erasure_plan(ctx: Context, history: Sequence[Event],
                 kept: frozenset[str] = frozenset()) -> Erasure:
    """The :class:`Erasure` of a case whose (verified) events are ``history``; ``kept``: the
    contents other cases still hold. Pure: nothing is refused or written here."""
    redacted: list[Event] = []
    values = kept_users = 0
    outside = ctx.index.external
    for event in history:
        salts = event.payload.get(SALTS)
        if salts:
            values += len(salts)
            redacted.append(redact_event(event))
        if event.role in outside and USER not in (event.payload.get(SALTED) or ()):
            kept_users += 1  # hashed in clear: erasing it would break the chain
    by_seq = {e.seq: e for e in redacted}
    sensitive = ctx.index.sensitive_documents
    blobs = sorted(str(e.payload["sha256"]) for e in history if e.type == "document_attached"
                   and e.payload.get("document") in sensitive and e.payload.get("stored")
                   and e.payload.get("sha256") not in kept)  # one per document attached
    return Erasure(tuple(redacted), tuple(by_seq.get(e.seq, e) for e in history),
                   tuple(blobs), values, kept_users)


def _anonymise(ctx: Context, state: CaseState, command: Anonymise, at: datetime, at_text: str,
               clock: datetime, erasure: Erasure | None) -> list[Event]:
    """The ``case_anonymised`` event, once the rules allow it; the working copy becomes the
    fold of the redacted history first, so no personal value reaches the snapshot."""
    refused = ctx.rules.erasure(state, ctx.calendar, ctx.roster, command.user, command.role,
                                at, clock)
    if refused:
        raise ctx.refused(refused[0])
    if erasure is None:
        raise TypeError("anonymise with the erasure_plan of the case's history")
    folded = replay(erasure.history)
    for name in _STATE_FIELDS:
        setattr(state, name, getattr(folded, name))
    retention = ctx.proc.retention
    assert retention is not None  # the rules refuse a procedure without one
    period = retention.after_closed
    body = CaseAnonymised(rule=f"{period.amount} {period.unit.value} after closing",
                          redacted=erasure.values,
                          erased=list(erasure.blobs))  # so verify knows they are not "missing"
    draft = _Draft(ctx, state, command, at, at_text)
    draft.emit(body.TYPE, body.to_payload())
    return draft.events


_STATE_FIELDS = tuple(f.name for f in fields(CaseState))


def _refer(draft: _Draft, referral: Referral, service: str | None = None) -> str:
    """The link of a referral the rules allowed (consent and documents are guards); its
    case id. A plan's service waits through the plan's join, not ``wait``."""
    state = draft.state
    number = sum(1 for link in state.links if link["direction"] == "out") + 1
    case_id = f"{state.case_id}-ref{number}"
    payload: dict[str, Any] = {"procedure_id": referral.procedure, "case_id": case_id,
                               "documents": list(referral.documents),
                               "wait": referral.wait and service is None}
    if referral.facts:
        payload["facts"] = dict(referral.facts)
    if service is not None:
        payload["service"] = service
    draft.emit("case_referred", payload)
    return case_id


def open_events(ctx: Context, case_id: str, command: OpenCase,
                now: Callable[[], datetime], *, referred_from: dict[str, str] | None = None,
                number: Callable[[datetime], str] | None = None,
                ) -> tuple[CaseState, list[Event]]:
    """Events that open a new case: intake facts, documents, participants, first step, clock.
    ``referred_from`` opens it as the target of a referral: the system acts, not a user.
    ``number`` gives the case's short number from the opening time (the caller draws it from
    the store, which refuses a number taken meanwhile); without it the case has none."""
    command = role_ids(ctx.index, command)
    at, at_text = _when(command.at, ctx.proc.agency.timezone, now)
    if referred_from is None:
        refused = ctx.rules.actor(command.user, command.role, ctx.roster)
        if refused:
            raise ctx.refused(refused[0])
    facts = {name: coerce_fact(ctx, name, value) for name, value in command.facts.items()}
    for fact in ctx.proc.facts:
        if fact.id not in facts and fact.default is not None:
            facts[fact.id] = fact.default
    refused = ctx.rules.opening(facts)
    if refused:
        raise ctx.refused(refused[0])
    state = CaseState(case_id=case_id)
    draft = _Draft(ctx, state, command, at, at_text)
    opened: dict[str, Any] = {"procedure_id": ctx.proc.id,
                              "procedure_version": ctx.proc.version,
                              "entry_step": ctx.machine.entry, "facts": facts}
    if referred_from is not None:
        opened["referred_from"] = referred_from
    opened["number"] = number(at) if number is not None else None
    opened[VERSION_KEY] = CaseOpened.VERSION
    draft.emit("case_opened", opened)
    draft.documents(command.documents)
    people = dict(command.participants)
    if referred_from is None and command.role in ctx.index.external:
        people.setdefault(command.role, command.user)  # a reporter who opens the case is present
    draft.participants(people)
    draft.start_step(ctx.index.steps[ctx.machine.entry])
    draft.settle()
    if ctx.windows:
        draft.windows()
    return state, draft.events


def _complete(draft: _Draft, command: CompleteStep) -> None:
    ctx, state = draft.ctx, draft.state
    rules = ctx.rules
    if state.obligations:
        reporting = rules.reporting(state, command.step, command.role)
        if reporting is not None:
            _report(draft, command, reporting)
            return
    planned = ctx.index.steps.get(command.step)
    if planned is not None and planned.plan is not None and state.current_step == planned.id:
        if command.outcome is not None:  # a plan step has no decision, nor has a branch
            raise ctx.refuse("guard.outcome_not_decision", step=planned.id)
        refused, service = rules.service_end(state, planned, command.service, command.role)
        if refused:
            raise ctx.refused(refused[0])
        if service is not None:  # a branch of the running plan recorded done
            _end_service(draft, command, planned, service)
            return
    elif command.service is not None:
        raise ctx.refuse("guard.plan_none", step=command.step, service=command.service)
    refused = rules.step(state, command.step, command.role)
    if refused:
        raise ctx.refused(refused[0])
    _land(draft, command)  # what the command brings lands first, so the guards see it
    step = ctx.index.steps[command.step]
    outcome, note = command.outcome, command.note
    if step.plan is not None and _plan(draft, step, outcome):
        return  # its services run: the step stays current until the plan joins
    refused, signer, missing = rules.signature(state, step.id, command.role, outcome)
    if refused:
        raise ctx.refused(refused[0])
    if signer is not None:  # actors acting together: this one's part is recorded
        draft.emit("step_signed", {"step": step.id, "signer": signer, "note": note})
        if missing:  # the step stays current until the last of them signs
            return
    if step.plan is None:  # a plan's guards held at its selection
        refused = rules.completion(state, step, outcome)
        if refused:
            raise ctx.refused(refused[0])
    route = rules.route(step.id, outcome)
    assert route is not None  # the outcome guards hold: the machine has the move
    for referral in rules.referred(state, route):
        _refer(draft, referral)
    produces = list(route.produces)
    payload: dict[str, Any] = {"step": step.id, "outcome": outcome, "produces": produces,
                               "note": note}
    # a produced document whose file is not in alur is recorded as made outside alur, in so
    # many words: it is in the case's register (a paper original exists), with no file
    outside = [d for d in produces if not (state.documents.get(d) or {}).get("sha256")]
    if outside:
        payload["outside"] = outside
    draft.emit("step_completed", payload)
    if state.obligations or step.repeat is not None:
        _obligations(draft, step)
    if route.ends is not None:
        # a closed case owes no more reports: an obligation that lasts a duration and has not
        # run out ends with the case (one that runs until a step ended when that step did)
        for step_id, obligation in list(state.obligations.items()):
            if obligation["ended_at"] is None and obligation.get("ends_at"):
                draft.emit("obligation_ended", {"step": step_id})
        draft.emit("case_closed", {"outcome": route.ends, "reason": None})
    else:
        draft.start_step(ctx.index.steps[route.dest])


def _plan(draft: _Draft, step: Step, outcome: str | None) -> bool:
    """The plan step's own command: its selection (the services whose ``when`` holds are set
    going, a linked case opened for each ``refer`` one), else its join. True while services
    run (the step stays current); False when the plan joined and the step completes."""
    ctx, state, rules = draft.ctx, draft.state, draft.ctx.rules
    assert step.plan is not None
    if not state.services:
        refused = rules.completion(state, step, outcome)
        if refused:
            raise ctx.refused(refused[0])
        refused, selected = rules.selection(state, step)
        if refused:
            raise ctx.refused(refused[0])
        cases = {s.id: _refer(draft, s.refer, service=s.id) for s in step.plan.services
                 if s.id in selected and s.refer is not None}
        draft.emit("plan_started", {
            "step": step.id, "services": list(selected),
            "skipped": [s.id for s in step.plan.services if s.id not in selected],
            "cases": cases or None})
        if selected:
            return True
    refused, now = rules.joined(state, step, draft.linked)
    if refused:
        raise ctx.refused(refused[0])
    for service_id in now:
        case_id = state.services[service_id]["case_id"]
        draft.emit("service_ended", {"step": step.id, "service": service_id, "case_id": case_id,
                                     "status": draft.linked.get(case_id), "note": None})
    draft.emit("plan_joined", {
        "step": step.id, "join": step.plan.join,
        "ended": [s for s, e in state.services.items() if e["status"] == "ended"],
        "open": [s for s, e in state.services.items() if e["status"] == "open"]})
    return False


def _end_service(draft: _Draft, command: CompleteStep, step: Step,
                 service: PlanService) -> None:
    """A branch of the running plan recorded done by its actor: what the command brings
    lands, then ``service_ended``. The plan's actor joins it with the step's own command."""
    _land(draft, command)
    draft.emit("service_ended", {"step": step.id, "service": service.id, "case_id": None,
                                 "status": None, "note": command.note})


def _land(draft: _Draft, command: CompleteStep) -> None:
    """What a step's command brings — its note checked, then its facts, documents and people —
    sealed before anything is judged on it."""
    if command.note is not None and len(command.note) > MAX_NOTE:
        raise draft.ctx.invalid("input.too_large", what="the note", size=len(command.note),
                                limit=MAX_NOTE)
    if command.facts:
        draft.facts(command.facts)
    if command.documents:
        draft.documents(command.documents)
    if command.participants:
        draft.participants(command.participants)


def _report(draft: _Draft, command: CompleteStep, refused: tuple[Refusal, ...]) -> None:
    """One more report of a recurring step's running obligation: what it brings lands, and
    the next report is due one period from now."""
    ctx = draft.ctx
    if refused:
        raise ctx.refused(refused[0])
    if command.outcome is not None:
        raise ctx.refuse("guard.outcome_not_decision", step=command.step)
    _land(draft, command)
    step = ctx.index.steps[command.step]
    assert step.repeat is not None  # only a recurring step has an obligation
    ends = draft.state.obligations[step.id].get("ends_at")
    draft.emit("obligation_reported", {"step": step.id, "due_at": _next_report(draft, step, ends),
                                       "note": command.note})


def _next_report(draft: _Draft, step: Step, ends: str | None) -> str | None:
    """When the next report of ``step``'s obligation is due: one period from now; none when
    the step has no period, or when the obligation ends first (nothing is owed after it)."""
    assert step.repeat is not None
    due = draft.due(step.repeat.every)
    if due is not None and ends is not None and _moment(due) > _moment(ends):
        return None
    return due


def _obligations(draft: _Draft, completed: Step) -> None:
    """After ``completed``: a recurring step's first completion starts its obligation, and
    the step an obligation runs until ends it."""
    state, steps = draft.state, draft.ctx.index.steps
    running = state.obligations.get(completed.id)
    if completed.repeat is not None and (running is None or running["ended_at"] is not None):
        ends = draft.due(completed.repeat.lasts)
        started: dict[str, Any] = {"step": completed.id,
                                   "due_at": _next_report(draft, completed, ends)}
        if ends is not None:  # written only when it lasts a duration (older events lack it)
            started["ends_at"] = ends
        draft.emit("obligation_started", started)
    ending = [step_id for step_id, obligation in state.obligations.items()
              if obligation["ended_at"] is None and (repeat := steps[step_id].repeat) is not None
              and repeat.until_step is not None and repeat.until_step == completed.id]
    for step_id in ending:
        draft.emit("obligation_ended", {"step": step_id})


def _extend(draft: _Draft, command: ExtendDeadline) -> None:
    ctx, state = draft.ctx, draft.state
    refused = ctx.rules.extension(state, command.role, command.target, command.reason)
    if refused:
        raise ctx.refused(refused[0])
    try:
        duration = Duration(amount=command.amount, unit=DurationUnit(command.unit))
    except ValueError as exc:
        raise InvalidCaseInput.of("err.input.extension", ctx.lang, amount=command.amount,
                                  unit=command.unit) from exc
    current = state.due_at if command.target == "case" else state.step_due_at
    base = datetime.fromisoformat(current) if current else draft.at
    extended = ctx.calendar.due(base, duration)
    refused = ctx.rules.extended(ctx.calendar, base, extended)
    if refused:
        raise ctx.refused(refused[0])
    new_due = extended.isoformat()
    draft.emit("deadline_extended", {"target": command.target, "due_at": new_due,
                                     "reason": command.reason[:MAX_NOTE]})
