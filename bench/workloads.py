"""What is timed: one case run from opening to its end, on alur and on each peer.

A procedure becomes a :class:`Plan`: the opening command and the path of steps (a decision takes
the first outcome that leads somewhere new). From the same procedure each peer gets the same
process: a ``transitions`` machine (one shared Machine, the case object as its model, trigger
methods), a ``python-statemachine`` class (one instance per case, the case object as its model)
and a BPMN 2.0 process run by SpiffWorkflow (one user task per step, an exclusive gateway per
decision). Every runner takes ``n`` and runs ``n`` whole cases; a case is ``1 + len(path)``
commands (opening counts as one: it is the command that creates the case everywhere).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from bench.common import Times
from engine.api import Engine
from engine.cases.commands import Attachment, CompleteStep, OpenCase
from engine.cases.rules import Route, rules_for
from engine.cases.runtime import Context, decide, open_events
from engine.procedure.model import DocumentKind, Presence, Procedure, RoleKind

Runner = Callable[[int], None]
_IDS = itertools.count()


def _now() -> datetime:  # never called: every command carries its time
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Hop:
    step: str
    actor: str
    outcome: str | None
    trigger: str  # the peers' trigger / event name
    dest: str  # the peers' state after the hop
    user: str  # who acts (formatted once: the harness's work, not alur's)


@dataclass(frozen=True)
class Plan:
    proc: Procedure
    entry: str
    path: tuple[Hop, ...]
    states: tuple[str, ...]  # peers' states: step ids, then end_<outcome>
    transitions: tuple[tuple[str, str, str], ...]  # (trigger, source, dest)
    facts: dict[str, Any]
    documents: tuple[Attachment, ...]
    participants: dict[str, str]
    times: Times

    @property
    def commands_per_case(self) -> int:
        return 1 + len(self.path)

    @property
    def final(self) -> str:
        return self.path[-1].dest

    def case(self, case_id: str, procedure: str) -> tuple[OpenCase, list[CompleteStep]]:
        """The commands of one whole case, each at its own time (later than the one before)."""
        at = self.times.take(self.commands_per_case)
        actor = self.proc.step(self.entry).actor
        opening = OpenCase(user=f"user-{actor}", role=actor, at=at[0], procedure=procedure,
                           facts=dict(self.facts), documents=self.documents,
                           participants=dict(self.participants), case_id=case_id)
        return opening, [CompleteStep(user=hop.user, role=hop.actor, at=when, case_id=case_id,
                                      step=hop.step, outcome=hop.outcome)
                         for hop, when in zip(self.path, at[1:], strict=True)]


def _peer(route: Route) -> tuple[str, str]:
    """A route as the peers name it: a trigger that is a method name, a state without ':'."""
    trigger = "complete" if route.outcome is None else f"outcome_{route.outcome}"
    return trigger, route.dest if route.ends is None else f"end_{route.ends}"


def plan_for(proc: Procedure) -> Plan:
    """The process of ``proc`` for every runner (the runtime's routes: engine/cases/rules.py),
    and alur's inputs that satisfy its guards (required facts false, required documents
    attached, unconditional outside people named)."""
    rules = rules_for(proc)
    transitions: list[tuple[str, str, str]] = []
    for step in proc.steps:
        for route in rules.routes[step.id]:
            trigger, dest = _peer(route)
            transitions.append((trigger, step.id, dest))
    states = [s.id for s in proc.steps]
    for _, _, dest in transitions:
        if dest not in states:
            states.append(dest)
    entry = rules.entry
    path: list[Hop] = []
    seen: set[str] = set()
    current = entry
    while True:  # a decision takes the first outcome that ends or leads somewhere new
        seen.add(current)
        step = proc.step(current)
        route = next(r for r in rules.routes[current]
                     if r.ends is not None or r.dest not in seen)
        trigger, dest = _peer(route)
        path.append(Hop(current, step.actor, route.outcome, trigger, dest, f"user-{step.actor}"))
        if route.ends is not None:
            break
        current = route.dest
    facts = {f.id: False for f in proc.facts if f.required}
    documents = tuple(
        Attachment(d.id, f"{d.id}.pdf", hashlib.sha256(d.id.encode()).hexdigest(), 1024,
                   "application/pdf", None)
        for d in proc.documents
        if d.kind is DocumentKind.REQUIREMENT and d.presence is Presence.REQUIRED)
    external = {r.id for r in proc.roles if r.kind is RoleKind.EXTERNAL}
    participants = {p.role: f"Peserta {p.role}"
                    for hop in path for p in proc.step(hop.step).participants
                    if p.role in external and p.when is None}
    return Plan(proc, entry, tuple(path), tuple(states), tuple(transitions), facts, documents,
                participants, Times())


# --- alur -----------------------------------------------------------------------------------

def alur_context(path: str) -> tuple[Engine, str, Context]:
    """An Engine on memory://, the procedure registered, and its decision context (built by the
    Engine itself, as a worker would)."""
    engine = Engine("memory://", clock=_now)
    digest = engine.register(path)
    return engine, digest, engine.context(digest)


def alur_runtime(ctx: Context, plan: Plan) -> Runner:
    """The runtime without persistence: ``open_events``/``decide`` on a CaseState (every guard,
    the machine move, the derived events, each event sealed onto the case's hash chain), what
    ``Engine.execute`` appends."""
    proc_hash = ctx.proc_hash

    def run(n: int) -> None:
        for _ in range(n):
            case_id = f"case-{next(_IDS)}"
            opening, commands = plan.case(case_id, proc_hash)
            state, events = open_events(ctx, case_id, opening, _now)
            for command in commands:
                events = decide(ctx, state, command, _now)
            if not events[-1].hash or events[-1].hash != state.last_hash:
                raise AssertionError("alur events not sealed")
            if state.status != "completed":
                raise AssertionError(f"alur case ended {state.status}")

    return run


def alur_engine(engine: Engine, digest: str, plan: Plan) -> Runner:
    """The whole ``Engine.execute`` on a memory:// store: runtime plus reading, verifying and
    replaying the case, the snapshot, and the store's JSON encoding."""

    def run(n: int) -> None:
        for _ in range(n):
            case_id = f"case-{next(_IDS)}"
            opening, commands = plan.case(case_id, digest)
            engine.execute(opening)
            for command in commands:
                result = engine.execute(command)
            if result.case.status != "completed":
                raise AssertionError(f"alur case ended {result.case.status}")

    return run


# --- transitions ----------------------------------------------------------------------------

def transitions_runner(plan: Plan) -> Runner:
    from transitions import Machine

    class Case:
        pass

    machine = Machine(model=None, states=list(plan.states),
                      transitions=[{"trigger": t, "source": s, "dest": d}
                                   for t, s, d in plan.transitions],
                      initial=plan.entry, auto_transitions=False)
    triggers = [hop.trigger for hop in plan.path]
    final = plan.final

    def run(n: int) -> None:
        for _ in range(n):
            case = Case()
            machine.add_model(case)
            for trigger in triggers:
                getattr(case, trigger)()
            if case.state != final:  # type: ignore[attr-defined]
                raise AssertionError("transitions case did not finish")
            machine.remove_model(case)

    return run


def transitions_shared_runner(plan: Plan) -> Runner:
    """``transitions`` driven the way alur drives it: one shared ``Machine(model=None)`` and each
    trigger fired on a throw-away cursor holding the case's state (no ``add_model``)."""
    from transitions import Machine

    class Cursor:
        __slots__ = ("state",)

        def __init__(self, state: str) -> None:
            self.state = state

    machine = Machine(model=None, states=list(plan.states),
                      transitions=[{"trigger": t, "source": s, "dest": d}
                                   for t, s, d in plan.transitions],
                      initial=plan.entry, auto_transitions=False)
    events = [machine.events[hop.trigger] for hop in plan.path]
    entry, final = plan.entry, plan.final

    def run(n: int) -> None:
        for _ in range(n):
            case = Cursor(entry)
            for event in events:
                event.trigger(case)
            if case.state != final:
                raise AssertionError("transitions case did not finish")

    return run


# --- python-statemachine --------------------------------------------------------------------

def statemachine_runner(plan: Plan) -> Runner:
    from statemachine import State, StateMachine

    finals = {d for _, _, d in plan.transitions if d.startswith("end_")}
    states = {name: State(name, value=name, initial=name == plan.entry, final=name in finals)
              for name in plan.states}
    attrs: dict[str, Any] = {f"s_{name}": state for name, state in states.items()}
    for trigger in dict.fromkeys(t for t, _, _ in plan.transitions):
        moves = [states[s].to(states[d]) for t, s, d in plan.transitions if t == trigger]
        combined = moves[0]
        for move in moves[1:]:
            combined = combined | move
        attrs[trigger] = combined
    machine_class = type("BenchProcess", (StateMachine,), attrs)
    triggers = [hop.trigger for hop in plan.path]
    final = plan.final

    class Case:
        state: str | None = None

    def run(n: int) -> None:
        for _ in range(n):
            case = Case()
            machine = machine_class(model=case)
            for trigger in triggers:
                machine.send(trigger)
            if case.state != final:
                raise AssertionError("python-statemachine case did not finish")

    return run


# --- SpiffWorkflow (BPMN) -------------------------------------------------------------------

_BPMN_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"\n'
              '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
              '    id="alur_bench" targetNamespace="https://alur.example/bench">\n')


def bpmn_xml(plan: Plan) -> str:
    """The procedure as one BPMN 2.0 process: start, a user task per step, an exclusive gateway
    after each decision step (conditions on the task data ``outcome``), an end event per
    terminal outcome."""
    proc = plan.proc
    lines = [_BPMN_HEAD, f'  <bpmn:process id={quoteattr(proc.id)} isExecutable="true">\n',
             '    <bpmn:startEvent id="start"/>\n']
    flows: list[tuple[str, str, str | None]] = [("start", plan.entry, None)]
    for step in proc.steps:
        lines.append(f'    <bpmn:userTask id={quoteattr(step.id)} '
                     f'name={quoteattr(step.title)}/>\n')
        moves = [(t, d) for t, s, d in plan.transitions if s == step.id]
        if step.decision is None:
            flows.append((step.id, moves[0][1], None))
        else:
            gateway = f"gw_{step.id}"
            lines.append(f'    <bpmn:exclusiveGateway id="{gateway}"/>\n')
            flows.append((step.id, gateway, None))
            for trigger, dest in moves:
                outcome = trigger.removeprefix("outcome_")
                flows.append((gateway, dest, f'outcome == "{outcome}"'))
    for end in dict.fromkeys(d for _, _, d in plan.transitions if d.startswith("end_")):
        lines.append(f'    <bpmn:endEvent id="{end}"/>\n')
    for index, (source, target, condition) in enumerate(flows):
        head = f'    <bpmn:sequenceFlow id="flow_{index}" sourceRef="{source}" targetRef="{target}"'
        if condition is None:
            lines.append(head + "/>\n")
        else:
            lines.append(head + ">\n      <bpmn:conditionExpression "
                         'xsi:type="bpmn:tFormalExpression">'
                         f"{escape(condition)}</bpmn:conditionExpression>\n"
                         "    </bpmn:sequenceFlow>\n")
    lines.append("  </bpmn:process>\n</bpmn:definitions>\n")
    return "".join(lines)


def spiff_spec(plan: Plan, xml: str) -> Any:
    """The BPMN process of ``plan`` parsed into SpiffWorkflow's workflow spec."""
    from SpiffWorkflow.bpmn.parser import BpmnParser

    parser = BpmnParser()
    parser.add_bpmn_str(xml.encode("utf-8"))
    return parser.get_spec(plan.proc.id)


def spiff_step(workflow: Any, step: str, outcome: str | None) -> None:
    """Run the ready user task ``step`` (with the decision's ``outcome``) and what follows it
    up to the next user task: one command, as every SpiffWorkflow runner does it."""
    from SpiffWorkflow.util.task import TaskState

    task = workflow.get_next_task(state=TaskState.READY, manual=True)
    if task is None or task.task_spec.name != step:
        raise AssertionError(f"SpiffWorkflow is not at step {step}")
    if outcome is not None:
        task.data["outcome"] = outcome
    task.run()
    workflow.do_engine_steps()


def spiff_runner(plan: Plan, xml: str) -> Runner:
    from SpiffWorkflow.bpmn import BpmnWorkflow

    spec = spiff_spec(plan, xml)
    hops = [(hop.step, hop.outcome) for hop in plan.path]

    def run(n: int) -> None:
        for _ in range(n):
            workflow = BpmnWorkflow(spec)
            workflow.do_engine_steps()
            for step, outcome in hops:
                spiff_step(workflow, step, outcome)
            if not workflow.is_completed():
                raise AssertionError("SpiffWorkflow case did not finish")

    return run
