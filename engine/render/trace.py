"""Case overlay data: what one case did on its procedure's graph, as a plain value.

:func:`case_trace` reads a :class:`~engine.cases.state.CaseState` (or its ``to_dict()``) together
with
the procedure and its graph, and returns a frozen :class:`Trace`: which steps were visited and
how often, which edges were taken, the time spent per step (``started_at`` → ``at`` of each path
entry), which steps were breached, whether the case's own time limit was breached, and the
current step. The renderers draw it over the procedure graph.

This module reads no store and no clock: time spent on the current (unfinished) step is not
shown, because "now" is not part of the state. Breaches come from ``state.breaches`` (target a
step id, or ``"case"``); a step completed after its own due date also counts as breached, even
when no deadline check recorded it. A breach of the case's limit is pinned to the visit that was
running when the due date passed (the current step when none finished after it); a breach of a
step to the visit with that due date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from engine.cases.state import CaseState
from engine.errors import UsageError
from engine.procedure.graph import end_node, procedure_graph
from engine.procedure.model import Procedure

if TYPE_CHECKING:  # only procedure_graph() loads networkx (engine/procedure/graph.py)
    import networkx as nx

__all__ = ["StepTime", "Trace", "case_trace", "format_span"]


@dataclass(frozen=True, slots=True)
class StepTime:
    """One completed visit of a step."""

    step: str
    outcome: str | None
    started_at: str | None
    at: str
    due_at: str | None
    seconds: float | None  # None when the start is unknown or not comparable
    late: bool  # completed after its own due date
    breached: bool = False  # late, or a recorded breach (of the step or the case) fell in it
    signed_by: tuple[str, ...] = ()  # a joint step: the roles that signed it off


@dataclass(frozen=True, slots=True)
class Trace:
    case_id: str
    procedure_id: str
    status: str
    current_step: str | None
    current_started_at: str | None
    current_due_at: str | None
    current_breached: bool
    visits: tuple[StepTime, ...]
    taken: frozenset[tuple[str, str]]  # graph edges (source step, target node) taken
    breached_steps: frozenset[str]
    case_breached: bool
    case_due_at: str | None
    outcome: str | None
    # clock windows and recurring obligations: the phase limits breached (ids), the recurring
    # steps whose reports came late (ids), each once, in the order of their first breach
    phases_breached: tuple[str, ...] = ()
    reports_late: tuple[str, ...] = ()
    # a minimum time limit (bound: min): the time before which closing is reported, and
    # whether the case closed before it (information, never a breach)
    earliest_at: str | None = None
    closed_early: bool = False

    @property
    def visited(self) -> frozenset[str]:
        return frozenset(v.step for v in self.visits)

    def visit_count(self, step: str) -> int:
        return sum(1 for v in self.visits if v.step == step)

    def seconds(self, step: str) -> float | None:
        """Total time spent on ``step`` over all its visits (None when not measurable)."""
        spans = [v.seconds for v in self.visits if v.step == step and v.seconds is not None]
        return sum(spans) if spans else None


def format_span(seconds: float) -> str:
    """A short duration: '45 min', '3.5 h', '2.0 d'."""
    if seconds < 3600:
        return f"{max(seconds, 0) / 60:.0f} min"
    if seconds < 86_400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86_400:.1f} d"


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _span(start: object, end: object) -> float | None:
    begin, finish = _moment(start), _moment(end)
    if begin is None or finish is None or (begin.tzinfo is None) != (finish.tzinfo is None):
        return None
    return (finish - begin).total_seconds()


def _after(later: object, earlier: object) -> bool:
    first, second = _moment(earlier), _moment(later)
    if first is None or second is None or (first.tzinfo is None) != (second.tzinfo is None):
        return False
    return second > first


def _target(graph: nx.DiGraph[str], step: str, outcome: str | None) -> str | None:
    """The node a completed step led to: the edge of its outcome, or its only way forward."""
    if not graph.has_node(step):
        return None
    edges: list[tuple[str, object]] = [
        (str(target), graph.edges[step, target].get("outcome"))
        for target in graph.successors(step)]
    if outcome is not None:
        for target, edge_outcome in edges:
            if edge_outcome == outcome:
                return target
    if len(edges) == 1 and edges[0][1] is None:
        return edges[0][0]
    return None


def case_trace(proc: Procedure, state: CaseState | Mapping[str, Any]) -> Trace:
    """The overlay of ``state`` on ``proc``; refuses a case of another procedure."""
    data: Mapping[str, Any] = state.to_dict() if isinstance(state, CaseState) else state
    procedure_id = str(data.get("procedure_id") or "")
    case_id = str(data.get("case_id") or "")
    if procedure_id and procedure_id != proc.id:
        raise UsageError.of("render.other_procedure", case=case_id, procedure=procedure_id,
                            drawn=proc.id)
    graph = procedure_graph(proc)
    known = {s.id for s in proc.steps}

    visits: list[StepTime] = []
    taken: set[tuple[str, str]] = set()
    for entry in data.get("path") or ():
        step = str(entry.get("step"))
        if step not in known:
            continue  # a step of another version of the procedure: nothing to draw it on
        outcome = entry.get("outcome")
        at = str(entry.get("at") or "")
        visits.append(StepTime(step=step, outcome=outcome, started_at=entry.get("started_at"),
                               at=at, due_at=entry.get("due_at"),
                               seconds=_span(entry.get("started_at"), at),
                               late=_after(at, entry.get("due_at")),
                               signed_by=tuple(entry.get("signed_by") or ())))
        target = _target(graph, step, outcome)
        if target is not None:
            taken.add((step, target))

    current = data.get("current_step")
    current = str(current) if current in known else None
    marked = {i for i, v in enumerate(visits) if v.late}
    current_breached = False
    case_breached = False
    windows: dict[str, dict[str, None]] = {"phase": {}, "repeat": {}}  # ordered sets
    for breach in data.get("breaches") or ():
        target, due_at = breach.get("target"), breach.get("due_at")
        kind, _, name = str(target).partition(":")
        if kind in windows and name:
            windows[kind][name] = None
            continue
        if target == "case":
            case_breached = True
            candidates = [i for i, v in enumerate(visits)
                          if _after(v.at, due_at) and not _after(v.started_at, due_at)]
        elif target in known:
            candidates = [i for i, v in enumerate(visits)
                          if v.step == target and v.due_at == due_at]
        else:
            continue
        if candidates:
            marked.add(candidates[0])
        elif current is not None and (target == "case" or target == current) \
                and not _after(data.get("step_started_at"), due_at):
            current_breached = True
        elif target != "case":  # a breach of a step whose visit cannot be matched: its last
            of_step = [i for i, v in enumerate(visits) if v.step == target]
            if of_step:
                marked.add(of_step[-1])
    visits = [replace(v, breached=True) if i in marked else v for i, v in enumerate(visits)]
    breached = {v.step for v in visits if v.breached}
    if current_breached and current is not None:
        breached.add(current)

    status = str(data.get("status") or "")
    outcome = data.get("outcome")
    if outcome and visits:  # closed: the end node it reached, when the graph has that edge
        final = visits[-1].step
        if graph.has_edge(final, end_node(str(outcome))):
            taken.add((final, end_node(str(outcome))))
    return Trace(case_id=case_id, procedure_id=procedure_id or proc.id, status=status,
                 current_step=current,
                 current_started_at=data.get("step_started_at") if current else None,
                 current_due_at=data.get("step_due_at") if current else None,
                 current_breached=current_breached, visits=tuple(visits), taken=frozenset(taken),
                 breached_steps=frozenset(breached), case_breached=case_breached,
                 case_due_at=data.get("due_at"), outcome=str(outcome) if outcome else None,
                 phases_breached=tuple(windows["phase"]), reports_late=tuple(windows["repeat"]),
                 earliest_at=data.get("earliest_at"),
                 closed_early=_after(data.get("earliest_at"), data.get("closed_at")))

