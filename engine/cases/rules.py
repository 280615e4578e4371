"""The rules of one procedure version: where a completion leads, and every guard, as data.

Owns routing (:class:`Route`: from a step and an outcome to the next step or the end, with the
documents produced and the referral made on the way) and every guard a command meets (who may
act, the current step, documents, conditions, people, outcomes, consent, deadlines and their
extension, the clock's start, erasing a case after its retention period, the roster's
privileges). Each check returns a :data:`Verdict`: ``()`` when allowed, else :class:`Refusal`
values naming their rule (``guard.role`` ...), whose message and fix are the catalogue entry of
that rule (:meth:`Refusal.text`). Nothing here raises a refusal or writes an
event: the runtime raises the first refusal as :class:`~engine.errors.CommandRefused`,
conformance reports every refusal of a recorded move as a deviation, the simulator and the
benchmark walk the routes. Must not emit events, read stores or compute dates (a due date
is the calendar's, passed in).

Who answers what (docs/architecture.md, "Rules and the machine"):

- *Which moves exist* is the ``transitions`` machine's answer (:mod:`engine.cases.machine`):
  :class:`Rules` asks it for each ``(step, trigger)`` of the procedure once, when the rules of a
  version are built, and a route is what it answered. The next language features (parallel
  branches as HierarchicalMachine states, joint actors) change what the machine answers, not the
  consumers.
- *Whether this case may make the move now* is a guard, here: guards read the case's facts,
  documents and people, and a refusal must name its rule and fix in the caller's language,
  which a ``transitions`` condition (a bare bool) cannot say.

Checks take ``every``: False (the runtime) stops at the first refusal; True (conformance) goes
on and returns all of them, in the order the runtime would meet them. Everything that depends
only on the procedure version is computed once (:func:`rules_for`, cached by content hash like
the machine and the index), so an allowed command allocates nothing here beyond what
evaluating its conditions costs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.cases.calendar import WorkCalendar
from engine.cases.lookup import ProcedureIndex, index_for
from engine.cases.machine import (
    COMPLETE,
    ENDED,
    OPEN,
    SKIPPED,
    ProcedureMachine,
    leaf,
    machine_for,
    outcome_trigger,
    service_trigger,
)
from engine.cases.roster import Roster
from engine.cases.state import CLOSED, CaseState
from engine.messages import text
from engine.procedure.expressions import ExpressionError, UnsetFact, evaluate
from engine.procedure.graph import exits
from engine.procedure.model import (
    Outcome,
    PlanService,
    Presence,
    Procedure,
    Referral,
    Requirement,
    RoleKind,
    Step,
    referrals,
)
from engine.procedure.names import suggest
from engine.procedure.versions import VersionCache

__all__ = ["ALLOWED", "CLOCK", "Refusal", "Route", "Rules", "Verdict", "deadline_step",
           "gated_by", "not_ahead", "privileged", "requirement_label", "requirement_needs",
           "requirements_met", "rules_for", "unmet_requirements"]

CLOCK = "clock"  # what a requirement's ``gates`` calls the time limit's clock


def deadline_step(proc: Procedure, target: str, current_step: str | None) -> str | None:
    """The step whose actor has the work a deadline (or its breach) of ``target`` is about:
    for the case's limit the current step; for a phase limit (``phase:<id>``) the step that
    ends it; for a recurring report (``repeat:<step>``) that step; else the step itself. The
    due list, the inbox and the performance report charge a deadline to that step's actor."""
    kind, _, name = target.partition(":")
    if target == "case":
        return current_step
    if kind == "phase":
        return next((p.until_step for p in proc.phase_limits if p.id == name), None)
    if kind == "repeat":
        return name
    return target


@dataclass(frozen=True, slots=True)
class Refusal:
    """One guard that does not hold: its rule (a stable code, documented in the message
    catalogue) and the values its message and fix are written with."""

    rule: str
    args: Mapping[str, object]

    def text(self, lang: str | None = None) -> tuple[str, str]:
        """The message and the fix, in ``lang``."""
        return text(self.rule, lang, **self.args)


Verdict = tuple[Refusal, ...]
"""``()``: allowed. Otherwise the refusals, the first being the one the runtime gives."""

ALLOWED: Verdict = ()


@dataclass(frozen=True, slots=True)
class Route:
    """Where completing ``step`` with ``outcome`` (None: a step without a decision) leads, as
    the machine answered ``trigger``; and what happens on the way."""

    step: str
    outcome: str | None
    trigger: str
    dest: str  # a step id, or end:<outcome>
    ends: str | None  # the terminal outcome reached, None when a step follows
    produces: tuple[str, ...]  # the step's documents, then the outcome's
    refer: tuple[Referral, ...]  # the outcome's referrals, else the step's (each its 'when')


class _First(Exception):  # not an error: carries the first refusal out of a check
    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal


class _Found:
    """The refusals of one check: raises the first (``every`` False) or collects them all."""

    __slots__ = ("case", "every", "facts", "found", "step")

    def __init__(self, state: CaseState, step: str, every: bool) -> None:
        self.every = every
        self.found: list[Refusal] = []
        self.facts = state.facts
        self.case = state.case_id
        self.step = step

    def refuse(self, rule: str, **args: object) -> None:
        refusal = Refusal(rule, args)
        if not self.every:
            raise _First(refusal)
        self.found.append(refusal)

    def holds(self, expression: str) -> bool | None:
        """The condition's value; None (and a refusal) when it cannot be evaluated."""
        try:
            return evaluate(expression, self.facts)
        except UnsetFact as exc:
            self.refuse("guard.fact_unset", fact=exc.name, case=self.case)
        except ExpressionError:  # e.g. a text fact repeated past the length limit
            self.refuse("guard.condition", step=self.step, condition=expression,
                        case=self.case)
        return None

    def absent(self, needed: tuple[tuple[str, str | None], ...],
               present: Mapping[str, object]) -> str:
        """The ids of ``needed`` not in ``present`` whose condition (None: always) holds, as
        a message lists them ("" when none). A condition is evaluated only for what is not
        there yet: what is there is not missing, whatever facts its condition reads."""
        holds = self.holds
        return ", ".join([key for key, when in needed
                          if key not in present and (when is None or holds(when))])


class Rules:
    """The routes and guards of one procedure version (build with :func:`rules_for`)."""

    __slots__ = ("_plain", "_route", "gated", "index", "machine", "outcomes", "proc", "routes")

    def __init__(self, proc: Procedure, index: ProcedureIndex, machine: ProcedureMachine) -> None:
        self.proc = proc
        self.index = index
        self.machine = machine
        self.outcomes: dict[str, dict[str, Outcome]] = {
            s.id: {o.id: o for o in s.decision.outcomes} for s in proc.steps
            if s.decision is not None}
        self.routes: dict[str, tuple[Route, ...]] = {}  # step id → its routes, in file order
        self._route: dict[tuple[str, str | None], Route] = {}
        for step in proc.steps:
            found: list[Route] = []
            for _, outcome_id, _ in exits(step):
                chosen = None if outcome_id is None else self.outcomes[step.id][outcome_id]
                trigger = COMPLETE if chosen is None else outcome_trigger(chosen.id)
                move = machine.move(step.id, trigger)  # the machine says where it leads
                produces = step.produces + (chosen.produces if chosen is not None else ())
                refer = referrals(chosen.refer if chosen is not None and chosen.refer
                                  else step.refer)
                route = Route(step.id, outcome_id, trigger, move.dest, move.ends, produces, refer)
                found.append(route)
                self._route[(step.id, outcome_id)] = route
            self.routes[step.id] = tuple(found)
        self.gated = gated_by(proc)  # step id (or CLOCK) → the requirements it waits for
        # steps whose completion without an outcome checks nothing: no documents, condition,
        # people, decision, referral or requirement (a command on them asks no more than the
        # step check)
        self._plain = frozenset(
            s.id for s in proc.steps
            if not (index.guards[s.id].documents or index.guards[s.id].people or s.when
                    or s.decision or s.refer or s.plan or s.id in self.gated))

    # --- routing ---------------------------------------------------------------------------

    @property
    def entry(self) -> str:
        return self.machine.entry

    def route(self, step_id: str, outcome: str | None) -> Route | None:
        """The route of completing ``step_id`` with ``outcome``; None when there is none (an
        unknown step or outcome, an outcome on a plain step, none on a decision)."""
        return self._route.get((step_id, outcome))

    # --- guards of any command ---------------------------------------------------------------

    def command(self, state: CaseState, user: str | None, role: str, roster: Roster | None,
                at: datetime, last: datetime | None) -> Verdict:
        """What every command on an open case meets, in this order: the case is open, the actor
        may act (``user`` None: the system, e.g. the deadline sweep), the command is in order."""
        return (self.open(state) or (ALLOWED if user is None else self.actor(user, role, roster))
                or self.in_order(state, at, last))

    def open(self, state: CaseState) -> Verdict:
        """A closed case takes no command."""
        if state.closed:
            return (Refusal("guard.closed", {"case": state.case_id, "status": state.status}),)
        return ALLOWED

    def role(self, role: str) -> Verdict:
        """The role exists in the procedure (an actor's, or a participant's)."""
        if role not in self.index.roles:
            known = self.index.role_ids
            return (Refusal("guard.unknown_role", {
                "procedure": self.proc.id, "role": role, "suggestion": suggest(role, known),
                "known": ", ".join(known)}),)
        return ALLOWED

    def actor(self, user: str, role: str, roster: Roster | None) -> Verdict:
        """The role exists in the procedure, and the user holds it (when there is a roster)."""
        refused = self.role(role)
        if not refused and roster is not None and not roster.holds(user, role):
            refused = (Refusal("guard.roster", {"user": user, "role": role}),)
        return refused

    def in_order(self, state: CaseState, at: datetime, last: datetime | None) -> Verdict:
        """A command is not dated before the case's last event (``last``, its ``updated_at``):
        a backdated one could hide a breach or rewrite the order of what happened."""
        if last is not None and at < last:
            return (Refusal("guard.out_of_order", {"case": state.case_id,
                                                   "at": at.isoformat(),
                                                   "last": state.updated_at}),)
        return ALLOWED

    def staff(self, role: str, action: str) -> Verdict:
        """Only the agency's staff may ``action`` (terminate a case, extend a deadline)."""
        if role in self.index.external:
            return (Refusal("guard.staff", {"role": role, "action": action}),)
        return ALLOWED

    def closing(self, role: str, reason: str, *, terminate: bool) -> Verdict:
        """Withdrawing or terminating: a reason, and staff to terminate."""
        if not reason.strip():
            return (Refusal("guard.reason", {}),)
        return self.staff(role, "terminate a case") if terminate else ALLOWED

    def opening(self, facts: Mapping[str, Any]) -> Verdict:
        """A case opens with every required fact."""
        missing = [f.id for f in self.proc.facts if f.required and f.id not in facts]
        if missing:
            return (Refusal("guard.required_facts", {"missing": ", ".join(missing)}),)
        return ALLOWED

    # --- completing a step -------------------------------------------------------------------

    def step(self, state: CaseState, step_id: str, role: str, *, every: bool = False) -> Verdict:
        """Before what the command brings lands: the step exists, is current, ``role`` acts."""
        index = self.index
        if step_id not in index.steps:
            return (self._unknown_step(step_id),)
        found: Verdict = ALLOWED
        if state.current_step != step_id:
            found = (self._not_current(state, step_id),)
            if not every:
                return found
        if role not in index.guards[step_id].acting:
            actor = index.steps[step_id].actor
            found += (Refusal("guard.role", {"role": role, "step": step_id, "actor": actor}),)
        return found

    def reporting(self, state: CaseState, step_id: str, role: str) -> Verdict | None:
        """A command on a recurring step whose obligation runs while the case is elsewhere: a
        report, allowed to the roles that act for the step (None: not a report — the step's
        ordinary completion rules apply)."""
        running = state.obligations.get(step_id)
        if running is None or running.get("ended_at") is not None \
                or state.current_step == step_id or step_id not in self.index.steps:
            return None
        if role not in self.index.guards[step_id].acting:
            return (Refusal("guard.role", {"role": role, "step": step_id,
                                           "actor": self.index.steps[step_id].actor}),)
        return ALLOWED

    def signature(self, state: CaseState, step_id: str, role: str,
                  outcome: str | None) -> tuple[Verdict, str | None, tuple[str, ...]]:
        """For a step its actors perform together and each signs (``joint.sign_off: all``):
        ``(refusal, the signer ``role`` signs for, the signers still missing after it)``. No
        signer (None) for a step one command completes. The outcome is chosen with the last
        signature, when the step completes."""
        signers = self.index.guards[step_id].signers
        if not signers:
            return ALLOWED, None, ()
        signed = {s["signer"] for s in state.signatures}
        mine = next((signer for signer, roles in signers
                     if role in roles and signer not in signed), None)
        if mine is None:
            return (Refusal("guard.signed", {"role": role, "step": step_id}),), None, ()
        missing = tuple(s for s, _ in signers if s not in signed and s != mine)
        if missing and outcome is not None:
            return (Refusal("guard.sign_outcome", {"step": step_id,
                                                   "missing": ", ".join(missing)}),), None, ()
        return ALLOWED, mine, missing

    def unsigned(self, state: CaseState, step_id: str) -> Verdict:
        """A completion of a step its actors perform together, before each signed (what an
        audit finds in a log the runtime did not write: it never completes such a step
        otherwise)."""
        signed = {s["signer"] for s in state.signatures}
        missing = [s for s, _ in self.index.guards[step_id].signers if s not in signed]
        if missing:
            return (Refusal("guard.unsigned", {"step": step_id,
                                               "missing": ", ".join(missing)}),)
        return ALLOWED

    def _unknown_step(self, step_id: str) -> Refusal:
        known = self.index.step_ids
        return Refusal("guard.unknown_step", {"procedure": self.proc.id, "step": step_id,
                                              "suggestion": suggest(step_id, known),
                                              "known": ", ".join(known)})

    @staticmethod
    def _not_current(state: CaseState, step_id: str) -> Refusal:
        return Refusal("guard.not_current", {"step": step_id, "case": state.case_id,
                                             "current": state.current_step or "-"})

    def completion(self, state: CaseState, step: Step, outcome: str | None, *,
                   every: bool = False) -> Verdict:
        """With what the command brings applied to ``state``: the step's documents, condition
        and people, the outcome, and the referral the route makes."""
        if outcome is None and step.id in self._plain:
            return ALLOWED
        found = _Found(state, step.id, every)
        try:
            self._completion(found, state, step, outcome)
        except _First as first:
            return (first.refusal,)
        return tuple(found.found) if found.found else ALLOWED

    def _completion(self, found: _Found, state: CaseState, step: Step,
                    outcome: str | None) -> None:
        guards = self.index.guards[step.id]
        case = state.case_id
        gated = self.gated.get(step.id)
        if gated:
            unmet = [r for r in gated if _applies(r, state) and not _met(r, state)]
            if unmet:
                found.refuse("guard.requirements", step=step.id, case=case,
                             missing="; ".join(requirement_label(r) for r in unmet),
                             how=f"{_remedy(unmet, state)}={case}")
        if guards.documents:
            missing = found.absent(guards.documents, state.documents)
            if missing:
                found.refuse("guard.documents", step=step.id, missing=missing, case=case)
        if step.when is not None and found.holds(step.when) is False:
            found.refuse("guard.condition", step=step.id, condition=step.when, case=case)
        # only people from outside the agency must be recorded by name; staff named as
        # participants (recipients of a report) are documentation of who is involved
        if guards.people:
            missing = found.absent(guards.people, state.participants)
            if missing:
                found.refuse("guard.participants", step=step.id, missing=missing, case=case)
        self._outcome(found, step, outcome)
        route = self._route.get((step.id, outcome))
        if route is not None:
            for referral in route.refer:
                if referral.when is None or found.holds(referral.when):
                    self._referral(found, state, step, referral)

    def _outcome(self, found: _Found, step: Step, outcome_id: str | None) -> None:
        outcomes = self.outcomes.get(step.id)
        if outcomes is None:
            if outcome_id is not None:
                found.refuse("guard.outcome_not_decision", step=step.id)
            return
        if outcome_id is None:
            found.refuse("guard.outcome_missing", step=step.id, known=", ".join(outcomes))
            return
        chosen = outcomes.get(outcome_id)
        if chosen is None:
            found.refuse("guard.outcome_unknown", step=step.id, outcome=outcome_id,
                         suggestion=suggest(outcome_id, list(outcomes)),
                         known=", ".join(outcomes))
            return
        if chosen.when is not None and found.holds(chosen.when) is False:
            found.refuse("guard.outcome_condition", outcome=outcome_id, condition=chosen.when)
        if chosen.otherwise:  # it applies only when no other outcome does
            for other in outcomes.values():
                if other.when is not None and found.holds(other.when):
                    found.refuse("guard.outcome_condition", outcome=outcome_id,
                                 condition=f"not ({other.when})")
                    break

    @staticmethod
    def _referral(found: _Found, state: CaseState, step: Step, referral: Referral) -> None:
        consent = referral.consent
        if consent is not None and not (state.facts.get(consent) is True
                                        or consent in state.documents):
            found.refuse("guard.consent", case=state.case_id, consent=consent,
                         procedure=referral.procedure)
        missing = [d for d in referral.documents if d not in state.documents]
        if missing:
            found.refuse("guard.documents", step=step.id, missing=", ".join(missing),
                         case=state.case_id)

    def referred(self, state: CaseState, route: Route) -> tuple[Referral, ...]:
        """The referrals a completion on ``route`` makes: those whose ``when`` holds (the
        completion's guards have refused one that cannot be evaluated)."""
        return tuple(r for r in route.refer if r.when is None or _holds(r.when, state.facts))

    # --- plans ---------------------------------------------------------------------------------

    def selection(self, state: CaseState, step: Step, *, every: bool = False,
                  ) -> tuple[Verdict, tuple[str, ...]]:
        """A plan step's first command: ``(refusals, the services selected)``, those whose
        ``when`` holds (three-valued: an unset fact it depends on is refused), and for each
        selected linked service its consent and documents."""
        assert step.plan is not None
        found = _Found(state, step.id, every)
        selected: list[str] = []
        try:
            for service in step.plan.services:
                # a linked service's referral may carry a condition of its own: both must hold
                linked = service.refer.when if service.refer is not None else None
                conditions = [c for c in (service.when, linked) if c is not None]
                if all(found.holds(c) for c in conditions):
                    selected.append(service.id)
                    if service.refer is not None:
                        self._referral(found, state, step, service.refer)
        except _First as first:
            return (first.refusal,), ()
        return tuple(found.found), tuple(selected)

    def configuration(self, state: CaseState, step_id: str) -> tuple[str, ...]:
        """Where the plan of ``step_id`` stands, as the machine's parallel regions' leaves;
        every region ``open`` before the selection."""
        return tuple(leaf(step_id, s, state.services[s]["status"] if s in state.services
                          else OPEN) for s in self.machine.regions(step_id))

    def service_end(self, state: CaseState, step: Step, service_id: str | None,
                    role: str) -> tuple[Verdict, PlanService | None]:
        """A branch of a running plan recorded done by ``role``: ``(refusal, the service)``.
        ``service_id`` None: the one open branch ``role`` may act for, None when there is
        none (the command is then the plan's own)."""
        assert step.plan is not None
        branches = {s.id: s for s in step.plan.services}
        if service_id is None:
            if role in self.index.guards[step.id].acting:
                return ALLOWED, None  # the plan's own command
            mine = [s.id for s in step.plan.services
                    if s.actor is not None and role in self.proc.acting_roles(s.actor)]
            if not mine:
                return ALLOWED, None  # not the plan's: the step's role guard refuses it
            running = [s for s in mine if state.services.get(s, {}).get("status") == OPEN]
            if len(running) > 1:
                return (Refusal("guard.service_which", {
                    "step": step.id, "role": role, "open": ", ".join(running)}),), None
            service_id = (running or mine)[0]
        service = branches.get(service_id)
        if service is None:
            return (Refusal("guard.service_unknown", {
                "step": step.id, "service": service_id,
                "suggestion": suggest(service_id, list(branches)),
                "known": ", ".join(branches)}),), None
        if service.actor is None:
            return (Refusal("guard.service_linked", {
                "step": step.id, "service": service_id,
                "procedure": service.refer.procedure if service.refer else "-"}),), None
        if not state.services:
            return (Refusal("guard.plan_unselected", {"step": step.id}),), None
        if role not in self.proc.acting_roles(service.actor):
            return (Refusal("guard.role", {"role": role, "step": step.id,
                                           "actor": service.actor}),), None
        try:
            self.machine.fire(self.configuration(state, step.id),
                              service_trigger(step.id, service.id, "end"))
        except KeyError:  # its region is not open: ended already, or not selected
            return (Refusal("guard.service_done", {
                "step": step.id, "service": service.id,
                "status": state.services.get(service.id, {}).get("status", SKIPPED)}),), None
        return ALLOWED, service

    def joined(self, state: CaseState, step: Step, closed: Mapping[str, str | None],
               ) -> tuple[Verdict, tuple[str, ...]]:
        """Whether a running plan's join holds: ``(refusal naming the open services, the
        linked services found ended now)``. ``closed``: the status of each linked case (None:
        no such case), read by the caller (this module reads no store)."""
        assert step.plan is not None
        configuration = self.configuration(state, step.id)
        now: list[str] = []
        for service_id, entry in state.services.items():
            case_id = entry.get("case_id")
            if entry["status"] == OPEN and case_id and closed.get(case_id) in CLOSED:
                configuration = self.machine.fire(
                    configuration, service_trigger(step.id, service_id, "end"))
                now.append(service_id)
        ended = [c for c in configuration if c.endswith("/" + ENDED)]
        done = (all(self.machine.final(c) for c in configuration) if step.plan.join == "all"
                else bool(ended) or all(c.endswith("/" + SKIPPED) for c in configuration))
        if done:
            return ALLOWED, tuple(now)
        waiting = [
            s + (f" ({entry['case_id']}: {closed.get(entry['case_id']) or 'missing'})"
                 if entry.get("case_id") else "")
            for s, entry in state.services.items()
            if entry["status"] == OPEN and s not in now]
        return (Refusal("guard.plan_open", {"step": step.id, "join": step.plan.join,
                                            "open": ", ".join(waiting)}),), tuple(now)

    # --- referrals -------------------------------------------------------------------------

    @staticmethod
    def waiting(state: CaseState, status_of: Callable[[str], str | None]) -> Verdict:
        """A case that referred with ``wait: true`` goes on only once the referred case is
        closed. ``status_of``: a case's status, None when there is no such case (the caller
        reads it: this module reads no store)."""
        for link in state.links:
            if link["direction"] == "out" and link.get("wait") and link.get("case_id"):
                status = status_of(link["case_id"]) or "missing"
                if status not in CLOSED:
                    return (Refusal("guard.referral_open", {
                        "case": state.case_id, "linked": link["case_id"], "status": status}),)
        return ALLOWED

    # --- retention ---------------------------------------------------------------------------

    def erasure(self, state: CaseState, calendar: WorkCalendar, roster: Roster | None,
                user: str, role: str, at: datetime, clock: datetime) -> Verdict:
        """Anonymising a case (``alur retention apply``), in this order: the user holds the
        roster's ``erase`` privilege through ``role``, ``at`` is not later than the clock
        (erasing ahead of time is erasing early), and the case is past its retention period
        at ``at`` (:meth:`retention`)."""
        return (privileged(roster, user, "erase", "retention apply", role)
                or not_ahead(at, clock) or self.retention(state, calendar, at))

    def retention(self, state: CaseState, calendar: WorkCalendar, at: datetime) -> Verdict:
        """The procedure keeps cases for a period after closing, the case is closed, not
        anonymised yet, and the period ended before ``at``."""
        kept = self.proc.retention
        if kept is None:
            return (Refusal("guard.retention_none", {"procedure": self.proc.id}),)
        if state.anonymised_at is not None:
            return (Refusal("guard.anonymised", {"case": state.case_id,
                                                 "at": state.anonymised_at}),)
        if state.closed_at is None or not state.closed:
            return (Refusal("guard.retention_open", {"case": state.case_id,
                                                     "status": state.status}),)
        period = kept.after_closed
        ends = calendar.due(datetime.fromisoformat(state.closed_at), period)
        if not ends < at:
            return (Refusal("guard.retention_period", {
                "case": state.case_id, "closed": state.closed_at, "ends": ends.isoformat(),
                "period": f"{period.amount} {period.unit.value}"}),)
        return ALLOWED

    # --- deadlines ---------------------------------------------------------------------------

    def extension(self, state: CaseState, role: str, target: str, reason: str) -> Verdict:
        """Extending a deadline: a reason, staff, the case's (if extendable) or the current
        step's."""
        if not reason.strip():
            return (Refusal("guard.reason", {}),)
        refused = self.staff(role, "extend a deadline")
        if refused:
            return refused
        if target == "case":
            if not self.proc.time_limit.extendable:
                return (Refusal("guard.extension", {"procedure": self.proc.id}),)
            return ALLOWED
        if target not in self.index.steps:
            return (self._unknown_step(target),)
        if target != state.current_step:  # only the current step has a deadline running
            return (self._not_current(state, target),)
        return ALLOWED

    def extended(self, calendar: WorkCalendar, base: datetime, extended: datetime) -> Verdict:
        """The new due date is within the procedure's maximum extension of ``base`` (compared
        as dates, so an extension in another unit cannot go beyond it)."""
        limit = self.proc.time_limit.max_extension
        if limit is not None and extended > calendar.due(base, limit):
            return (Refusal("guard.extension_limit",
                            {"limit": f"{limit.amount} {limit.unit.value}"}),)
        return ALLOWED


def privileged(roster: Roster | None, user: str | None, privilege: str, action: str,
               role: str | None = None) -> Verdict:
    """``user`` holds a role the roster grants ``privilege`` to (``role`` one of them, when
    given), for ``action`` (what the message names). Without a roster nobody does: revealing
    every case or erasing one for good is never taken on a claimed role."""
    if roster is None:
        return (Refusal("err.privilege_no_roster", {"action": action, "privilege": privilege}),)
    if not user or not user.strip():
        return (Refusal("err.needs_user", {"action": action}),)
    granted = roster.privileges.get(privilege, frozenset())
    held = roster.roles_of(user) & granted
    if not held:
        return (Refusal("err.privilege", {"user": user, "action": action,
                                          "privilege": privilege,
                                          "roles": ", ".join(sorted(granted)) or "-"}),)
    if role is not None and role not in held:
        return (Refusal("guard.roster", {"user": user, "role": role}),)
    return ALLOWED


def not_ahead(at: datetime, clock: datetime) -> Verdict:
    """A moment given to act at (retention's ``--now``) is not later than the clock."""
    if at > clock:
        return (Refusal("err.now_in_future", {"now": at.isoformat(), "clock": clock.isoformat()}),)
    return ALLOWED


def gated_by(proc: Procedure) -> dict[str, tuple[Requirement, ...]]:
    """What each requirement holds back: step id (or :data:`CLOCK`) → the requirements it
    waits for, in source order. A requirement's ``gates`` says it; by default the clock and
    the first staff step (in file order), except that a requirement some step satisfies by
    producing its document gates only the clock (the step that makes it cannot wait for it)."""
    return _gated_by(proc)


@functools.lru_cache(maxsize=64)
def _gated_by(proc: Procedure) -> dict[str, tuple[Requirement, ...]]:
    external = {r.id for r in proc.roles if r.kind is RoleKind.EXTERNAL}
    first_staff = next((s.id for s in proc.steps if s.actor not in external), None)
    produced = {d for s in proc.steps for d in s.produces} | {
        d for s in proc.steps if s.decision for o in s.decision.outcomes for d in o.produces}
    gated: dict[str, list[Requirement]] = {}
    for req in proc.requirements:
        if req.gates is not None:
            targets: tuple[str, ...] = req.gates
        elif first_staff is None or _documents(req) & produced:
            targets = (CLOCK,)
        else:
            targets = (CLOCK, first_staff)
        for target in targets:
            gated.setdefault(target, []).append(req)
    return {target: tuple(reqs) for target, reqs in gated.items()}


def _documents(req: Requirement) -> set[str]:
    """Every document a requirement (or any item of its groups) names."""
    found = set(req.documents) | ({req.document} if req.document else set())
    for item in req.any_of + req.all_of:
        found |= _documents(item)
    return found


def _remedy(unmet: list[Requirement], state: CaseState) -> str:
    """How the unmet requirements are met, as the refusal's hint says it (a term code): attach
    documents, set facts, or either, as what is missing is documents, facts or both."""
    documents = facts = False
    stack = list(unmet)
    while stack:
        req = stack.pop()
        documents |= any(d not in state.documents
                         for d in (*req.documents, *([req.document] if req.document else [])))
        facts |= req.fact is not None and state.facts.get(req.fact) is not True
        stack.extend(req.any_of + req.all_of)
    if documents and facts:
        return "req_both"
    return "req_facts" if facts else "req_documents"


def _applies(req: Requirement, state: CaseState) -> bool:
    """Required, or required_if its condition holds (unknown yet: it does not apply yet)."""
    if req.presence is Presence.REQUIRED:
        return True
    return (req.presence is Presence.REQUIRED_IF and req.condition is not None
            and _holds(req.condition, state.facts))


def _met(req: Requirement, state: CaseState) -> bool:
    """Its documents there (attached or produced), its fact set and true, and its groups met:
    one item of ``any_of``, every applying item of ``all_of``. An item naming nothing alur can
    check (text only) is met: it is information."""
    if req.document is not None and req.document not in state.documents:
        return False
    if any(d not in state.documents for d in req.documents):
        return False
    if req.fact is not None and state.facts.get(req.fact) is not True:
        return False
    if req.any_of and not any(_met(item, state) for item in req.any_of):
        return False
    return all(_met(item, state) for item in req.all_of if _applies(item, state))


def requirement_label(req: Requirement) -> str:
    """A requirement as a refusal or ``case show`` names it: its source number, its text and
    what satisfies it."""
    number = f"{req.number} " if req.number is not None else ""
    text_ = " ".join(req.text.split())
    brief = text_ if len(text_) <= 60 else text_[:57] + "..."
    named = requirement_needs(req, numbers=True)
    return f"{number}\"{brief}\"" + (f" ({named})" if named else "")


def requirement_needs(req: Requirement, *, numbers: bool = False) -> str:
    """What satisfies a requirement, by id: its documents and fact, then its groups ("a | b":
    any of, "a + b": all of), their items by source number (``numbers``) or by what satisfies
    them."""
    named = sorted(set(req.documents) | ({req.document} if req.document else set())) \
        + ([req.fact] if req.fact else [])
    for items, joint in ((req.any_of, " | "), (req.all_of, " + ")):
        if items:
            named.append(joint.join(
                (str(i.number) if i.number is not None else "-") if numbers
                else requirement_needs(i) or "-" for i in items))
    return ", ".join(named)


def unmet_requirements(proc: Procedure, state: CaseState, gate: str | None = None, *,
                       gated: Mapping[str, tuple[Requirement, ...]] | None = None,
                       ) -> list[Requirement]:
    """The requirements that apply to the case (required, or required_if its condition holds)
    and are not met yet, in source order; with ``gate``, only those holding back that step (or
    :data:`CLOCK`). ``gated``: :func:`gated_by` of ``proc`` when the caller holds it already
    (``Rules.gated``): looking it up hashes the whole procedure, too slow for every command."""
    if gate is None:
        chosen: tuple[Requirement, ...] = proc.requirements
    else:
        chosen = (gated if gated is not None else gated_by(proc)).get(gate, ())
    return [r for r in chosen if _applies(r, state) and not _met(r, state)]


def requirements_met(proc: Procedure, state: CaseState, *,
                     gated: Mapping[str, tuple[Requirement, ...]] | None = None) -> bool:
    """Every requirement that holds back the clock and applies to the case is met: its
    documents attached or produced, its fact set and true, its groups met."""
    return not unmet_requirements(proc, state, CLOCK, gated=gated)


def _holds(expression: str, facts: dict[str, Any]) -> bool:
    try:
        return evaluate(expression, facts)
    except (UnsetFact, ExpressionError):  # what cannot be evaluated does not hold
        return False


_RULES: VersionCache[Rules] = VersionCache()


def rules_for(proc: Procedure, procedure_hash: str | None = None) -> Rules:
    """The rules of one procedure version, built on first use: cached by content hash (sharing
    the version's machine and index), or for a procedure not pinned by a hash (the simulator,
    the benchmark) by the procedure itself."""
    if procedure_hash is None:
        return _unpinned(proc)
    return _RULES.get(procedure_hash, _pinned, (proc, procedure_hash))


def _pinned(version: tuple[Procedure, str]) -> Rules:
    proc, procedure_hash = version
    return Rules(proc, index_for(proc, procedure_hash), machine_for(proc, procedure_hash))


@functools.lru_cache(maxsize=64)
def _unpinned(proc: Procedure) -> Rules:
    return Rules(proc, ProcedureIndex.of(proc), ProcedureMachine(proc))
