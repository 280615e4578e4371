"""Procedure → one ``transitions`` state machine per procedure version, shared by every case.

States are step ids plus terminal outcomes (``end:completed`` ...). Triggers are ``complete``
(a step with a plain ``next`` or ``end``) and ``outcome:<id>`` (a decision outcome). The machine
is built with ``model=None`` and cases never become its models: a command drives it through a
throw-away cursor holding only the current state (``Event.trigger(cursor)``), so creating a case
costs no machine construction, memory does not grow with cases, and the cost of a command does not
depend on how many cases exist (``add_model`` is slow and a machine per object costs tens of KB:
pytransitions issues #434 and #379). Guards live in :mod:`engine.cases.rules`, where their
refusals can say which rule failed and how to fix it; the rules ask this machine where each
``(step, trigger)`` leads (docs/architecture.md, "Rules and the machine").

The machine has no conditions and no callbacks, so where a trigger leads from a state depends on
nothing else: each ``(state, trigger)`` is fired on the machine once and its answer remembered
(at most one entry per transition of the procedure). The machine still decides every move; a
command does not pay for ``transitions``' event machinery again for an answer it already gave.

A procedure with a plan is built as a ``HierarchicalMachine`` (imported only then: the
``transitions.extensions`` package loads asyncio and the diagram machines, 30-70 ms of every
cold command otherwise); one without stays a plain ``Machine``, answering the same moves.
A step with a ``plan`` is a compound state of the ``HierarchicalMachine`` whose ``parallel``
children are one region per service, each ``open`` → ``ended`` (trigger ``end:<step>/<service>``)
or ``open`` → ``skipped`` (``skip:<step>/<service>``, a service its selection left out); both are
``final`` states. A plan's configuration is the list of its regions' leaves, the state a cursor
holds inside the plan; :meth:`ProcedureMachine.fire` moves it and :meth:`ProcedureMachine.final`
says whether a leaf is final. The library carries the structure; whether the join holds (all
regions final, or one ended) is a rule (:meth:`engine.cases.rules.Rules.joined`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from transitions import Machine, MachineError

from engine.procedure.graph import END_PREFIX, entry_steps, exits
from engine.procedure.model import Plan, Procedure
from engine.procedure.versions import VersionCache

__all__ = ["COMPLETE", "ENDED", "OPEN", "SEP", "SKIPPED", "ProcedureMachine", "leaf",
           "machine_for", "outcome_trigger", "service_trigger"]

COMPLETE = "complete"
SEP = "/"  # ids are [a-z0-9_]: never a '/', unlike the library's default separator '_'
OPEN, ENDED, SKIPPED = "open", "ended", "skipped"  # the states of a plan's region


def outcome_trigger(outcome_id: str) -> str:
    return f"outcome:{outcome_id}"


def service_trigger(step_id: str, service_id: str, what: str) -> str:
    """The trigger that moves a plan's region: ``what`` is ``end`` or ``skip``."""
    return f"{what}:{step_id}{SEP}{service_id}"


def leaf(step_id: str, service_id: str, status: str) -> str:
    """The full name of a plan region's state: ``<step>/<service>/<open|ended|skipped>``."""
    return SEP.join((step_id, service_id, status))


@functools.cache
def _hierarchical() -> type[Any]:
    """The HierarchicalMachine class with ``/`` as its separator, made on first need."""
    from transitions.extensions.nesting import HierarchicalMachine, NestedState

    class _State(NestedState):  # the library's separator, "_", occurs in ids
        separator = SEP

    class _Machine(HierarchicalMachine):
        state_cls = _State

    return _Machine


def _plan_state(step_id: str, plan: Plan) -> dict[str, object]:
    """A plan step as a compound state: one parallel region per service."""
    region = [OPEN, {"name": ENDED, "final": True}, {"name": SKIPPED, "final": True}]
    return {"name": step_id, "parallel": [
        {"name": s.id, "children": region, "initial": OPEN} for s in plan.services]}


class _Cursor:
    """The only 'model' the machine ever sees: a current state (inside a plan: its regions'
    leaves), for the length of one call."""

    __slots__ = ("state",)

    def __init__(self, state: str | list[str]) -> None:
        self.state = state


@dataclass(frozen=True, slots=True)
class Move:
    source: str
    trigger: str
    dest: str
    ends: str | None = field(init=False)  # the terminal outcome reached, None for a step

    def __post_init__(self) -> None:
        ends = self.dest[len(END_PREFIX):] if self.dest.startswith(END_PREFIX) else None
        object.__setattr__(self, "ends", ends)


class ProcedureMachine:
    def __init__(self, proc: Procedure) -> None:
        states: list[str | dict[str, object]] = [
            s.id if s.plan is None else _plan_state(s.id, s.plan) for s in proc.steps]
        names = {s.id for s in proc.steps}
        transitions: list[dict[str, str]] = []
        for step in proc.steps:
            for target, outcome_id, _ in exits(step):  # the file's next/end/decision, read once
                trigger = COMPLETE if outcome_id is None else outcome_trigger(outcome_id)
                transitions.append({"trigger": trigger, "source": step.id, "dest": target})
            for service in step.plan.services if step.plan is not None else ():
                for what, dest in (("end", ENDED), ("skip", SKIPPED)):
                    transitions.append({"trigger": service_trigger(step.id, service.id, what),
                                        "source": leaf(step.id, service.id, OPEN),
                                        "dest": leaf(step.id, service.id, dest)})
        for t in transitions:
            if t["dest"] not in names and SEP not in t["dest"]:
                names.add(t["dest"])
                states.append(t["dest"])
        self.entry = entry_steps(proc)[0]
        planned = any(s.plan is not None for s in proc.steps)
        kind = _hierarchical() if planned else Machine
        self.machine = kind(model=None, states=states, transitions=transitions,
                            initial=self.entry, auto_transitions=False, send_event=False)
        # a nested event may not be triggered directly, a plain machine has no trigger_event
        self._trigger: Any = (self.machine.trigger_event if planned else
                              lambda cursor, name: self.machine.events[name].trigger(cursor))
        self._moves: dict[tuple[str, str], Move] = {}
        self._fired: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}

    def triggers(self, state: str) -> list[str]:
        """Triggers that can fire from ``state`` (empty for a terminal outcome)."""
        return [name for name, event in self.machine.events.items() if state in event.transitions]

    def move(self, state: str, trigger: str) -> Move:
        """Fire ``trigger`` from ``state`` and return where it leads; KeyError when it can't."""
        known = self._moves.get((state, trigger))
        if known is not None:
            return known
        event = self.machine.events.get(trigger)
        if event is None or state not in event.transitions:
            raise KeyError(trigger)
        cursor = _Cursor(state)
        try:
            self._trigger(cursor, trigger)
        except MachineError as exc:  # pragma: no cover - guarded by the check above
            raise KeyError(trigger) from exc
        dest = cursor.state
        if not isinstance(dest, str):  # entered a plan: the cursor holds its regions' leaves
            dest = dest[0].split(SEP)[0]
        move = self._moves[(state, trigger)] = Move(state, trigger, dest)
        return move

    # --- plans (parallel states) -------------------------------------------------------------

    def regions(self, step_id: str) -> tuple[str, ...]:
        """The services of a plan step, as the machine's parallel regions (file order)."""
        compound: Any = self.machine.get_state(step_id)  # a NestedState (untyped library)
        return tuple(compound.states)

    def fire(self, configuration: tuple[str, ...], trigger: str) -> tuple[str, ...]:
        """Fire ``trigger`` inside a plan whose regions are at ``configuration`` (their leaves,
        :func:`leaf`) and return where they are then; KeyError when no region can move."""
        known = self._fired.get((configuration, trigger))
        if known is not None:
            return known
        event = self.machine.events.get(trigger)
        if event is None or not any(name in event.transitions for name in configuration):
            raise KeyError(trigger)
        cursor = _Cursor(list(configuration))
        try:
            self._trigger(cursor, trigger)
        except MachineError as exc:  # pragma: no cover - guarded by the check above
            raise KeyError(trigger) from exc
        moved = self._fired[(configuration, trigger)] = tuple(cursor.state)
        return moved

    def final(self, name: str) -> bool:
        """Whether the state ``name`` (a region's leaf) is final: its service is done with."""
        return bool(self.machine.get_state(name).final)


_MACHINES: VersionCache[ProcedureMachine] = VersionCache()


def machine_for(proc: Procedure, procedure_hash: str) -> ProcedureMachine:
    """The shared machine of one procedure version, built on first use (kept by hash, for a
    bounded number of versions: engine.procedure.versions)."""
    return _MACHINES.get(procedure_hash, ProcedureMachine, proc)
