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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transitions import Machine, MachineError

from engine.procedure.graph import END_PREFIX, entry_steps, exits
from engine.procedure.model import Procedure
from engine.procedure.versions import VersionCache

__all__ = ["COMPLETE", "ProcedureMachine", "machine_for", "outcome_trigger"]

COMPLETE = "complete"


def outcome_trigger(outcome_id: str) -> str:
    return f"outcome:{outcome_id}"


class _Cursor:
    """The only 'model' the machine ever sees: a current state, for the length of one call."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
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
        states: list[str] = [s.id for s in proc.steps]
        transitions: list[dict[str, str]] = []
        for step in proc.steps:
            for target, outcome_id, _ in exits(step):  # the file's next/end/decision, read once
                trigger = COMPLETE if outcome_id is None else outcome_trigger(outcome_id)
                transitions.append({"trigger": trigger, "source": step.id, "dest": target})
        for t in transitions:
            if t["dest"] not in states:
                states.append(t["dest"])
        self.entry = entry_steps(proc)[0]
        self.machine = Machine(model=None, states=states, transitions=transitions,
                               initial=self.entry, auto_transitions=False, send_event=False)
        self._moves: dict[tuple[str, str], Move] = {}

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
            event.trigger(cursor)
        except MachineError as exc:  # pragma: no cover - guarded by the check above
            raise KeyError(trigger) from exc
        move = self._moves[(state, trigger)] = Move(state, trigger, cursor.state)
        return move


_MACHINES: VersionCache[ProcedureMachine] = VersionCache()


def machine_for(proc: Procedure, procedure_hash: str) -> ProcedureMachine:
    """The shared machine of one procedure version, built on first use (kept by hash, for a
    bounded number of versions: engine.procedure.versions)."""
    return _MACHINES.get(procedure_hash, ProcedureMachine, proc)
