"""Conformance checking: replaying each recorded case against the procedure version it is
pinned to, the way token replay does in process mining.

Owns :func:`conformance` (a stream of events → a :class:`ConformanceReport`) and
:func:`conform_case` (one case). Pure: the caller passes the events (ordered by case, then seq,
as :meth:`~engine.store.Store.all_events` streams them) and a function giving the decision
context of a procedure hash (:meth:`engine.api.Engine.context`). Nothing is written.

The guards are the runtime's own (:mod:`engine.cases.rules`), asked with ``every=True`` so that
each refusal of a recorded move becomes a deviation carrying the rule the runtime would have
refused it with (``guard.documents`` ...); routes are the rules' routes too.

A *move* is one change of the case's token: a step completed, a step started that no completion
led to (a jump), or a case closed that no completion led to (withdrawal, termination, or a
forced end). A move *deviates* when anything about it breaks the procedure:

==================  ==============================================================================
skipped             a step was completed while an earlier step was current; the steps between were
                    never done
out_of_order        a step was completed that was neither current nor ahead of the current one
unknown_step        the step does not exist in the pinned procedure version
role                the role is not the step's actor (nor a member of the actor team); or an
                    external role terminated the case or extended a deadline
requirements        a published requirement (Persyaratan) that holds back the step was not met
                    at that moment
documents           a document the step requires, or a referral carries, was not in the case's
                    register at that moment
condition           the step's ``when`` condition did not hold (or needed a fact that was unset)
participants        an external participant the step needs (where its condition held) was absent
consent             a referral was made without the consent it needs (a true fact or a document)
outcome             a decision step without an outcome, an unknown outcome, an outcome whose
                    condition did not hold, or an outcome given for a step without a decision
forced              the case moved along an edge that is not in the procedure graph, or a
                    completion led nowhere
after_close         something happened to the case after it was closed
backdated           an event is dated before the event recorded before it
unrecorded_breach   an action came after a due date but no breach was recorded (alur records one
                    before any late action, so the event was written by something else)
plan                a plan step completed before its join held or without its selection, a
                    selection other than its services' conditions give, or a service recorded
                    ended that was not open, not a branch, or by a role that does not carry it
==================  ==============================================================================

``fitness = 1 - deviating moves / moves`` (1.0 when there are no moves), per case and per
procedure version (summed over its cases): the share of recorded moves the procedure allows.
Deadline breaches are reported per case too (recorded ``deadline_breached`` events, and late
actions with no such record); a breach is an outcome the procedure foresees (it escalates), so
it does not lower fitness unless it went unrecorded. A case whose hash chain does not verify,
or whose procedure version is not in the store, is not replayed: it is reported as unverified
(with the reason) and left out of the fitness.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import networkx as nx

from engine.cases.events import Event, verify_chain
from engine.cases.rules import Refusal, Verdict
from engine.cases.runtime import Context
from engine.cases.state import CaseState, replay
from engine.errors import AlurError
from engine.messages import text
from engine.procedure.graph import END_PREFIX, end_node, procedure_graph
from engine.procedure.model import Procedure, Step

__all__ = ["DEVIATION_KINDS", "Breach", "CaseConformance", "ConformanceReport", "Deviation",
           "ProcedureFitness", "conform_case", "conformance"]

DEVIATION_KINDS = ("skipped", "out_of_order", "unknown_step", "role", "requirements",
                   "documents", "condition",
                   "participants", "consent", "outcome", "forced", "after_close", "backdated",
                   "unrecorded_breach", "plan")

# the deviation a refusal of the rules is reported as (guard.not_current: skipped or out_of_order,
# by the graph); forced and unrecorded_breach are no rule's: the runtime cannot make them
KIND_OF_RULE = {
    "guard.unknown_step": "unknown_step", "guard.not_current": "out_of_order",
    "guard.role": "role", "guard.unknown_role": "role", "guard.staff": "role",
    "guard.requirements": "requirements", "guard.documents": "documents",
    "guard.condition": "condition", "guard.fact_unset": "condition",
    "guard.participants": "participants",
    "guard.consent": "consent", "guard.outcome_missing": "outcome",
    "guard.outcome_unknown": "outcome", "guard.outcome_condition": "outcome",
    "guard.outcome_not_decision": "outcome", "guard.closed": "after_close",
    "guard.out_of_order": "backdated", "guard.unsigned": "role",
    "guard.plan_open": "plan", "guard.plan_unselected": "plan", "guard.plan_none": "plan",
    "guard.service_unknown": "plan", "guard.service_linked": "plan",
    "guard.service_done": "plan", "guard.service_which": "plan",
}

_CANCEL = frozenset({"withdrawn", "terminated"})  # closings the procedure allows at any time


@dataclass(frozen=True, slots=True)
class Deviation:
    case_id: str
    seq: int
    kind: str
    step: str | None
    detail: str  # in $ALUR_LANG; :meth:`localized` gives another language
    rule: str | None = None  # the runtime's rule that refuses such a move (None: no rule's)
    key: str = field(default="", compare=False)  # catalogue entry of the detail
    args: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def localized(self, lang: str) -> str:
        """The detail in ``lang``."""
        return text(self.key, lang, **dict(self.args))[0] if self.key else self.detail

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "seq": self.seq, "kind": self.kind, "step": self.step,
                "detail": self.detail, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Breach:
    """A due date passed: ``recorded`` when a deadline_breached event says so, else a late
    completion or closing found by comparing times."""

    seq: int
    target: str  # "case" or a step id
    due_at: str
    at: str
    recorded: bool
    escalate_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "target": self.target, "due_at": self.due_at, "at": self.at,
                "recorded": self.recorded, "escalate_to": self.escalate_to}


@dataclass
class CaseConformance:
    case_id: str
    procedure_id: str
    procedure_version: str
    procedure_hash: str
    status: str = ""
    verified: bool = True
    problem: str | None = None  # why the case was not replayed (in $ALUR_LANG)
    problem_key: str = ""  # its catalogue entry, and the entry's parameters
    problem_args: tuple[tuple[str, str], ...] = ()
    moves: int = 0
    deviating_moves: int = 0
    deviations: list[Deviation] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)

    @property
    def fitness(self) -> float:
        return 1.0 if self.moves == 0 else 1 - self.deviating_moves / self.moves

    def problem_in(self, lang: str) -> str | None:
        """Why the case was not replayed, in ``lang``."""
        if not self.problem_key:
            return self.problem
        return text(self.problem_key, lang, **dict(self.problem_args))[0]

    def not_replayed(self, key: str, **params: object) -> None:
        self.verified = False
        self.problem_key = f"audit.conf.{key}"
        self.problem_args = tuple((name, str(value)) for name, value in params.items())
        self.problem = text(self.problem_key, None, **params)[0]

    @property
    def conformant(self) -> bool:
        return self.verified and not self.deviations

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "procedure_id": self.procedure_id,
                "procedure_version": self.procedure_version, "status": self.status,
                "verified": self.verified, "problem": self.problem, "moves": self.moves,
                "deviating_moves": self.deviating_moves, "fitness": self.fitness,
                "deviations": [d.to_dict() for d in self.deviations],
                "breaches": [b.to_dict() for b in self.breaches]}


@dataclass
class ProcedureFitness:
    procedure_id: str
    procedure_version: str
    cases: int = 0
    conformant_cases: int = 0
    unverified_cases: int = 0
    moves: int = 0
    deviating_moves: int = 0

    @property
    def fitness(self) -> float:
        return 1.0 if self.moves == 0 else 1 - self.deviating_moves / self.moves

    def to_dict(self) -> dict[str, Any]:
        return {"procedure_id": self.procedure_id, "procedure_version": self.procedure_version,
                "cases": self.cases, "conformant_cases": self.conformant_cases,
                "unverified_cases": self.unverified_cases, "moves": self.moves,
                "deviating_moves": self.deviating_moves, "fitness": self.fitness}


@dataclass
class ConformanceReport:
    cases: list[CaseConformance] = field(default_factory=list)
    procedures: list[ProcedureFitness] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        """Deviations by kind over every case (kinds with none are left out)."""
        counts = Counter(d.kind for case in self.cases for d in case.deviations)
        return {kind: counts[kind] for kind in DEVIATION_KINDS if counts[kind]}

    @property
    def ok(self) -> bool:
        return all(case.conformant for case in self.cases)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "totals": self.totals,
                "breaches": sum(len(c.breaches) for c in self.cases),
                "procedures": [p.to_dict() for p in self.procedures],
                "cases": [c.to_dict() for c in self.cases]}


def conformance(events: Iterable[Event], context: Callable[[str], Context],
                ) -> ConformanceReport:
    """Replay every case in ``events`` (ordered by case id, then seq; one case is held in
    memory at a time) against its pinned procedure version."""
    report = ConformanceReport()
    fitness: dict[tuple[str, str], ProcedureFitness] = {}
    for _, group in itertools.groupby(events, key=lambda e: e.case_id):
        case = conform_case(list(group), context)
        report.cases.append(case)
        key = (case.procedure_id, case.procedure_version)
        total = fitness.setdefault(key, ProcedureFitness(*key))
        total.cases += 1
        if not case.verified:
            total.unverified_cases += 1
            continue
        total.conformant_cases += case.conformant
        total.moves += case.moves
        total.deviating_moves += case.deviating_moves
    report.procedures = [fitness[key] for key in sorted(fitness)]
    return report


def conform_case(events: Sequence[Event], context: Callable[[str], Context]) -> CaseConformance:
    """Replay one case's events (by seq) against the procedure version its first event names."""
    first = events[0]
    opened = first.payload if first.type == "case_opened" else {}
    result = CaseConformance(first.case_id, str(opened.get("procedure_id", "?")),
                             str(opened.get("procedure_version", "?")), first.procedure_hash)
    if verify_chain(first.case_id, events):
        result.not_replayed("chain")
        return result
    try:
        ctx = context(first.procedure_hash)
    except AlurError as exc:
        result.not_replayed("unloadable", problem=exc.message)
        return result
    _Replay(ctx, result).run(events)
    return result


@dataclass
class _Move:
    seq: int
    kinds: set[str] = field(default_factory=set)


class _Replay:
    """Walks one case's events with the state *before* each one, as the runtime saw it."""

    def __init__(self, ctx: Context, result: CaseConformance) -> None:
        self.ctx = ctx
        self.rules = ctx.rules
        self.proc: Procedure = ctx.proc
        self.graph = procedure_graph(ctx.proc)
        self.result = result
        self.state: CaseState | None = None
        self.moves: list[_Move] = []
        # after a completion: the nodes it may lead to, and its move
        self.pending: tuple[frozenset[str] | None, _Move, str] | None = None
        self.unrecorded: set[tuple[str, str]] = set()

    # --- bookkeeping -----------------------------------------------------------------------

    def deviate(self, event: Event, kind: str, key: str, move: _Move | None = None,
                at_step: str | None = None, /, rule: str | None = None,
                **params: object) -> None:
        """Record a deviation whose detail is the catalogue entry ``key`` (``audit.conf.*``, or
        the rule's own entry), rendered with ``params``."""
        if "." not in key:
            key = f"audit.conf.{key}"
        detail = text(key, None, **params)[0]
        args = tuple((name, str(value)) for name, value in params.items())
        self.result.deviations.append(Deviation(event.case_id, event.seq, kind, at_step,
                                                detail, rule, key, args))
        if move is not None:
            move.kinds.add(kind)

    def refused(self, event: Event, verdict: Verdict, move: _Move | None,
                step: str | None = None) -> None:
        """Each refusal of ``verdict`` as a deviation; unset facts together, as one."""
        unset: list[str] = []
        for refusal in verdict:
            if refusal.rule == "guard.fact_unset":
                unset.append(str(refusal.args["fact"]))
                continue
            key, params = _detail(refusal, event)
            self.deviate(event, KIND_OF_RULE.get(refusal.rule, "forced"), key, move, step,
                         rule=refusal.rule, **params)
        if unset:
            self.deviate(event, "condition", "unset", move, step, rule="guard.fact_unset",
                         step=step, facts=", ".join(sorted(set(unset))))

    def new_move(self, event: Event) -> _Move:
        move = _Move(event.seq)
        self.moves.append(move)
        return move

    def run(self, events: Sequence[Event]) -> None:
        for event in events:
            self.check(event)
            self.state = replay([event], self.state)
        if self.pending is not None:
            _, move, step = self.pending
            self.deviate(events[-1], "forced", "no_next", move, step, step=step, seq=move.seq)
        assert self.state is not None
        self.result.status = self.state.status
        self.result.moves = len(self.moves)
        self.result.deviating_moves = sum(1 for m in self.moves if m.kinds)
        self.result.deviations.sort(key=lambda d: (d.seq, DEVIATION_KINDS.index(d.kind)))

    # --- one event -------------------------------------------------------------------------

    def check(self, event: Event) -> None:
        state = self.state
        kind = event.type
        if state is None:
            if kind != "case_opened":
                self.deviate(event, "forced", "begins", kind=kind)
            return
        move: _Move | None = None
        if kind == "step_completed":
            move = self.new_move(event)
        if state.updated_at is not None and self.rules.in_order(
                state, _time(event.at), _time(state.updated_at)):
            self.deviate(event, "backdated", "backdated", move, rule="guard.out_of_order",
                         kind=kind, at=event.at, before=state.updated_at)
        if self.rules.open(state):
            self.deviate(event, "after_close", "after_close", move, rule="guard.closed",
                         kind=kind, status=state.status)
        elif kind != "deadline_breached":
            self.late(event, state, move)
        if kind == "deadline_breached":
            p = event.payload
            self.result.breaches.append(Breach(event.seq, p["target"], p["due_at"], event.at,
                                               True, p.get("escalate_to")))
        elif kind == "step_completed":
            assert move is not None
            self.complete(event, state, move)
        elif kind == "plan_started":
            self.plan_started(event, state)
        elif kind == "service_ended" and not event.payload.get("case_id"):
            self.service_ended(event, state)  # a linked one is found closed by the join
        elif kind == "step_started":
            self.arrive(event, event.payload["step"], state)
        elif kind == "case_closed":
            self.arrive(event, end_node(event.payload["outcome"]), state)
        elif kind == "deadline_extended" and self.rules.staff(event.role, "extend a deadline"):
            self.deviate(event, "role", "external_extended", rule="guard.staff",
                         role=event.role)

    def late(self, event: Event, state: CaseState, move: _Move | None) -> None:
        """An event after a due date with no breach recorded for it: listed as an unrecorded
        breach and a deviation (the runtime records the breach before any late action)."""
        at = _time(event.at)
        for target, due in state.running_deadlines():
            if at <= _time(due):
                continue
            if state.breached(target, due) or (target, due) in self.unrecorded:
                continue  # a recorded breach is listed from its own event
            self.unrecorded.add((target, due))
            self.result.breaches.append(Breach(event.seq, target, due, event.at, False))
            step = None if target == "case" or target.startswith(("phase:", "repeat:")) \
                else target
            self.deviate(event, "unrecorded_breach", "unrecorded", move, step, kind=event.type,
                         at=event.at, target=target, due=due)

    def complete(self, event: Event, state: CaseState, move: _Move) -> None:
        """A completion, checked by the rules as the runtime checks a command (with what the
        command brought already in ``state``: those were events of their own)."""
        p = event.payload
        step_id: str = p["step"]
        outcome: str | None = p.get("outcome")
        self.resolve_pending(event)
        rules = self.rules
        actor = rules.actor(event.user, event.role, None)  # the roster of then is not known
        self.refused(event, actor, move, step_id)
        verdict = rules.step(state, step_id, event.role, every=True)
        if verdict and verdict[0].rule == "guard.unknown_step":
            self.deviate(event, "unknown_step", "unknown_step", move, step_id,
                         rule=verdict[0].rule, step=step_id, procedure=self.proc.id,
                         version=self.proc.version)
            self.pending = (None, move, step_id)
            return
        step = rules.index.steps[step_id]
        for refusal in verdict:
            if refusal.rule == "guard.not_current":
                if not state.closed:  # a closed case's work is after_close already
                    self.not_current(event, step_id, state.current_step, move)
            elif not (refusal.rule == "guard.role" and actor):  # an unknown role said so
                self.refused(event, (refusal,), move, step_id)
        if step.plan is None:
            self.refused(event, rules.completion(state, step, outcome, every=True), move,
                         step_id)
        elif outcome is not None:  # the runtime refuses it first: a plan has no decision
            self.refused(event, (Refusal("guard.outcome_not_decision", {"step": step_id}),),
                         move, step_id)
        elif not state.services:  # its guards are its selection's: checked at plan_started
            self.refused(event, (Refusal("guard.plan_unselected", {"step": step_id}),), move,
                         step_id)
        else:  # linked services were recorded ended before the join, in the same command
            self.refused(event, rules.joined(state, step, {})[0], move, step_id)
        self.refused(event, rules.unsigned(state, step_id), move, step_id)
        self.pending = (self.destinations(step, outcome), move, step_id)

    def plan_step(self, event: Event, state: CaseState) -> Step | None:
        """The plan step an event of a plan names, current; else a deviation and None."""
        step_id = str(event.payload.get("step"))
        step = self.rules.index.steps.get(step_id)
        if step is None or step.plan is None or state.current_step != step_id:
            self.deviate(event, "plan", "guard.plan_none", None, step_id, rule="guard.plan_none",
                         step=step_id, service=event.payload.get("service") or "-")
            return None
        return step

    def plan_started(self, event: Event, state: CaseState) -> None:
        """A plan's selection: the step's guards and the services' conditions, as the runtime
        checks them; the services recorded must be those the conditions select."""
        step = self.plan_step(event, state)
        if step is None:
            return
        self.refused(event, self.rules.actor(event.user, event.role, None), None, step.id)
        self.refused(event, self.rules.step(state, step.id, event.role, every=True), None,
                     step.id)
        self.refused(event, self.rules.completion(state, step, None, every=True), None, step.id)
        verdict, selected = self.rules.selection(state, step, every=True)
        self.refused(event, verdict, None, step.id)
        recorded = tuple(event.payload.get("services") or ())
        if not verdict and recorded != selected:
            self.deviate(event, "plan", "plan_selection", None, step.id, step=step.id,
                         recorded=", ".join(recorded) or "-", selected=", ".join(selected) or "-")

    def service_ended(self, event: Event, state: CaseState) -> None:
        """A branch recorded done: by a role that carries it, while it was open."""
        step = self.plan_step(event, state)
        if step is not None:
            self.refused(event, self.rules.actor(event.user, event.role, None), None, step.id)
            self.refused(event, self.rules.service_end(state, step, event.payload["service"],
                                                       event.role)[0], None, step.id)

    def not_current(self, event: Event, step_id: str, current: str | None, move: _Move) -> None:
        if current is not None and nx.has_path(self.graph, current, step_id):
            between = nx.shortest_path(self.graph, current, step_id)[:-1]
            self.deviate(event, "skipped", "skipped", move, step_id, rule="guard.not_current",
                         step=step_id, current=current, between=", ".join(between))
        elif current is None:
            self.deviate(event, "out_of_order", "out_of_order_none", move, step_id,
                         rule="guard.not_current", step=step_id)
        else:
            self.deviate(event, "out_of_order", "out_of_order", move, step_id,
                         rule="guard.not_current", step=step_id, current=current)

    def destinations(self, step: Step, outcome: str | None) -> frozenset[str] | None:
        """Where this completion may lead: the route of the recorded outcome, or any edge out
        of the step when the outcome is not one the procedure knows."""
        route = self.rules.route(step.id, outcome)
        if route is not None:
            return frozenset({route.dest})
        return frozenset(self.graph.successors(step.id)) or None

    # --- arriving at a step or an end ----------------------------------------------------

    def arrive(self, event: Event, node: str, state: CaseState) -> None:
        if self.pending is not None:
            allowed, move, source = self.pending
            self.pending = None
            if allowed is not None and node not in allowed:
                self.deviate(event, "forced", "not_edge", move, source, source=source,
                             target=_label(node),
                             allowed=", ".join(sorted(_label(n) for n in allowed)))
            return
        if event.type == "step_started" and node == state.current_step:
            return  # the entry step, started when the case was opened
        move = self.new_move(event)
        if event.type == "case_closed":
            outcome = node[len(END_PREFIX):]
            if outcome in _CANCEL:
                if outcome == "terminated" and self.rules.staff(event.role,
                                                                "terminate a case"):
                    self.deviate(event, "role", "external_terminated", move, rule="guard.staff",
                                 role=event.role)
                return
            if state.current_step is None:
                self.deviate(event, "forced", "closed_forced_none", move, None, outcome=outcome)
            else:
                self.deviate(event, "forced", "closed_forced", move, state.current_step,
                             outcome=outcome, current=state.current_step)
            return
        if state.current_step is None:
            self.deviate(event, "forced", "started_forced_none", move, node, step=node)
        else:
            self.deviate(event, "forced", "started_forced", move, node, step=node,
                         current=state.current_step)

    def resolve_pending(self, event: Event) -> None:
        if self.pending is not None:
            _, move, step = self.pending
            self.pending = None
            self.deviate(event, "forced", "no_next_step", move, step, step=step, seq=move.seq)


# what a deviation says, by the rule refused: its audit.conf entry (else the rule's own entry)
_DETAILS = {
    "guard.role": "role", "guard.requirements": "requirements", "guard.documents": "documents",
    "guard.condition": "condition",
    "guard.participants": "participants", "guard.outcome_not_decision": "not_decision",
    "guard.outcome_missing": "no_outcome", "guard.outcome_unknown": "unknown_outcome",
    "guard.outcome_condition": "outcome_condition",
}


def _detail(refusal: Refusal, event: Event) -> tuple[str, dict[str, object]]:
    """The catalogue entry and parameters of the deviation a refusal stands for."""
    params: dict[str, object] = {"step": event.payload.get("step"),
                                 "outcome": event.payload.get("outcome"), **refusal.args}
    params.setdefault("when", params.get("condition"))
    entry = _DETAILS.get(refusal.rule)
    return (f"audit.conf.{entry}" if entry else refusal.rule), params


def _label(node: str) -> str:
    return node.replace(END_PREFIX, "end ") if node.startswith(END_PREFIX) else node


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)
