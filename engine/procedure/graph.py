"""The procedure as a directed graph, and layer 3 of validation: graph checks.

Nodes are step ids plus one node per terminal outcome (``end:completed`` ...). The graph comes
in two forms, both plain values that touch no live machine or store:

- :func:`exits`, the ways out of one step as the file writes them (``next``, ``end`` or each
  outcome of a ``decision``): the only place that reads those keys. Everything that routes a case
  builds on it: the graph forms below, the ``transitions`` machine
  (:mod:`engine.cases.machine`) and through it the rules (:mod:`engine.cases.rules`);
- :func:`successors`, an adjacency mapping (node → the nodes it leads to), which the checks, the
  machine builder (:func:`entry_steps`) and the simulator walk with the plain-Python functions of
  :mod:`engine.procedure.digraph`;
- :func:`procedure_graph`, a networkx ``DiGraph`` whose edges carry the outcome id and label of
  the decision that takes them (``None`` for a plain ``next``), for the renderers and the audit.

networkx is imported only by :func:`procedure_graph`: validating a file does not load it, which
keeps a cold ``alur validate`` fast (docs/architecture.md, docs/performance.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

import simpleeval

from engine.diagnostics import Diagnostic, Severity, make
from engine.procedure.digraph import (
    condensation,
    predecessors,
    reachable,
    strongly_connected_components,
    topological_order,
)
from engine.procedure.expressions import UnsetFact, evaluate, names_in
from engine.procedure.model import (
    DAYS_PER_MONTH,
    Duration,
    DurationUnit,
    FactType,
    Procedure,
    Step,
)
from engine.procedure.source import SourceDoc, format_path

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["END_PREFIX", "check_graph", "end_node", "entry_steps", "exits", "procedure_graph",
           "successors"]

END_PREFIX = "end:"
_MAX_COMBINATIONS = 4096


def end_node(outcome: str) -> str:
    return f"{END_PREFIX}{outcome}"


@lru_cache(maxsize=64)
def procedure_graph(proc: Procedure) -> nx.DiGraph[str]:
    """Steps and terminal outcomes as nodes, in file order; one edge per way forward."""
    import networkx as nx  # here, not at the top: validation does not need it (module doc)

    graph: nx.DiGraph[str] = nx.DiGraph()
    for index, step in enumerate(proc.steps):
        graph.add_node(step.id, kind="step", index=index)
    for step in proc.steps:
        for target, outcome_id, label in exits(step):
            if not graph.has_node(target):
                graph.add_node(target, kind="end" if target.startswith(END_PREFIX) else "missing")
            graph.add_edge(step.id, target, outcome=outcome_id, label=label)
    return graph


@lru_cache(maxsize=64)
def successors(proc: Procedure) -> Mapping[str, tuple[str, ...]]:
    """The nodes of :func:`procedure_graph` in the same order (steps in file order, then each end
    or missing target where it is first named), each with the nodes it leads to, no repeats."""
    adj: dict[str, tuple[str, ...]] = {step.id: () for step in proc.steps}
    for step in proc.steps:
        targets = [target for target, _, _ in exits(step)]
        adj[step.id] = tuple(dict.fromkeys([*adj[step.id], *targets]))
        for target in targets:
            adj.setdefault(target, ())
    return adj


def exits(step: Step) -> list[tuple[str, str | None, str | None]]:
    """``(target, outcome id, outcome label)`` for each way out of ``step``, in file order: the
    ``next`` step or ``end:<outcome>`` (no outcome), or one per decision outcome."""
    if step.next is not None:
        return [(step.next, None, None)]
    if step.end is not None:
        return [(end_node(step.end.value), None, None)]
    found: list[tuple[str, str | None, str | None]] = []
    for outcome in step.decision.outcomes if step.decision else ():
        if outcome.next is not None:
            found.append((outcome.next, outcome.id, outcome.label))
        elif outcome.end is not None:
            found.append((end_node(outcome.end.value), outcome.id, outcome.label))
    return found


def entry_steps(proc: Procedure) -> list[str]:
    """Steps no other step leads to, in file order (a valid procedure has exactly one)."""
    led_to = {target for targets in successors(proc).values() for target in targets}
    return [s.id for s in proc.steps if s.id not in led_to]


def _days(duration: Duration) -> float:
    if duration.unit is DurationUnit.HOURS:
        return duration.amount / 24
    if duration.unit is DurationUnit.MINUTES:
        return duration.amount / (24 * 60)
    if duration.unit is DurationUnit.MONTHS:
        return duration.amount * DAYS_PER_MONTH
    return float(duration.amount)


def check_graph(proc: Procedure, doc: SourceDoc, lang: str = "en") -> list[Diagnostic]:
    found: list[Diagnostic] = []
    index = {s.id: i for i, s in enumerate(proc.steps)}

    def add(code: str, path: tuple[str | int, ...], severity: Severity = Severity.ERROR,
            **params: object) -> None:
        found.append(make(code, severity, doc.file, doc.locate(path), format_path(path), lang,
                          **params))

    adj = successors(proc)
    entries = entry_steps(proc)
    if not entries:
        add("G001", ("steps",))
    elif len(entries) > 1:
        add("G002", ("steps", index[entries[1]], "id"), names=", ".join(entries))
    if len(entries) == 1:
        from_entry = reachable(adj, entries)
        for step in proc.steps:
            if step.id not in from_entry:
                add("G003", ("steps", index[step.id], "id"), name=step.id, entry=entries[0])

    ends = [n for n in adj if n not in index and n.startswith(END_PREFIX)]
    can_finish = reachable(predecessors(adj), ends)  # the ends and every node leading to one
    looped: set[str] = set()
    for component in strongly_connected_components(adj):
        members = sorted(component, key=lambda s: index.get(s, 0))
        if len(members) == 1 and members[0] not in adj[members[0]]:
            continue
        leaves = any(t not in component for s in component for t in adj[s])
        if not leaves:
            looped |= component
            add("G005", ("steps", index[members[0]], "id"), names=", ".join(members))
    for step in proc.steps:
        if step.id not in can_finish and step.id not in looped and adj[step.id]:
            add("G004", ("steps", index[step.id], "id"), name=step.id)

    for step in proc.steps:
        if step.decision is not None:
            _check_coverage(proc, step, ("steps", index[step.id], "decision"), add)

    _check_deadline_sum(proc, adj, index, add)
    return found


def _check_coverage(proc: Procedure, step: Step, path: tuple[str | int, ...],
                    add: _Add) -> None:
    assert step.decision is not None
    outcomes = step.decision.outcomes
    conditional = [o for o in outcomes if o.when is not None]
    if any(o.otherwise for o in outcomes) or not conditional:
        return
    if len(conditional) != len(outcomes):
        add("G008", path, Severity.WARNING, name=step.id)
        return
    names = sorted({n for o in conditional for n in names_in(o.when or "")})
    domains: list[list[object]] = []
    for name in names:
        try:
            fact = proc.fact(name)
        except KeyError:
            return  # reported as an unknown fact by layer 2
        if fact.type is FactType.BOOL:
            domains.append([False, True])
        elif fact.type is FactType.ENUM:
            domains.append(list(fact.values))
        else:
            return  # not enumerable: coverage cannot be decided statically
    total = 1
    for domain in domains:
        total *= len(domain)
    if total > _MAX_COMBINATIONS:
        return
    for combo in itertools.product(*domains):
        facts = dict(zip(names, combo, strict=True))
        try:
            if not any(evaluate(o.when or "", facts) for o in conditional):
                example = " and ".join(f"{k} = {v!r}" for k, v in facts.items())
                add("G006", path, name=step.id, example=example)
                return
        except (UnsetFact, ValueError, ArithmeticError, TypeError,
                simpleeval.InvalidExpression):  # e.g. IterableTooLong for 'x * 999999999'
            return


def _check_deadline_sum(proc: Procedure, adj: Mapping[str, tuple[str, ...]],
                        index: dict[str, int], add: _Add) -> None:
    limit = proc.time_limit
    if limit.amount is None or limit.unit is None or limit.bound == "min":
        return
    if not any(s.deadline for s in proc.steps):
        return
    # loops are collapsed: each strongly connected part counts its deadlines once
    components, dag = condensation(adj)
    weight: dict[int, float] = {}
    for node, members in enumerate(components):
        total = 0.0
        for member in sorted(m for m in members if m in index):  # steps; a fixed order
            deadline = proc.step(member).deadline
            if deadline is not None:
                total += _days(deadline)
        weight[node] = total
    best: dict[int, float] = {}
    incoming = dict.fromkeys(dag, 0.0)  # the longest way into each component (weights >= 0)
    for node in topological_order(dag):  # every component after all that lead to it
        best[node] = weight[node] + incoming[node]
        for target in dag[node]:
            incoming[target] = max(incoming[target], best[node])
    longest = max(best.values(), default=0.0)
    limit_days = _days(Duration(amount=limit.amount, unit=limit.unit))
    if longest > limit_days:
        add("G007", ("time_limit",), Severity.WARNING, total=f"{longest:g}",  # days; hours / 24
            amount=limit.amount, unit=limit.unit.value)


class _Add(Protocol):  # the shape of the local ``add`` callback
    def __call__(self, code: str, path: tuple[str | int, ...],
                 severity: Severity = Severity.ERROR, **params: object) -> None: ...
