"""The procedure as a directed graph (networkx), and layer 3 of validation: graph checks.

Nodes are step ids plus one node per terminal outcome (``end:completed`` ...); edges carry the
outcome id and label of the decision that takes them (``None`` for a plain ``next``). The graph
is a plain value: the machine builder, the renderers and the checks all read it, none of them
touches live machines or the store.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Protocol

import networkx as nx
import simpleeval

from engine.diagnostics import Diagnostic, Severity, make
from engine.expressions import UnsetFact, evaluate, names_in
from engine.model import Duration, DurationUnit, FactType, Procedure, Step
from engine.source import SourceDoc, format_path

__all__ = ["END_PREFIX", "check_graph", "end_node", "entry_steps", "procedure_graph"]

END_PREFIX = "end:"
_MAX_COMBINATIONS = 4096


def end_node(outcome: str) -> str:
    return f"{END_PREFIX}{outcome}"


@lru_cache(maxsize=64)
def procedure_graph(proc: Procedure) -> nx.DiGraph[str]:
    """Steps and terminal outcomes as nodes, in file order; one edge per way forward."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for index, step in enumerate(proc.steps):
        graph.add_node(step.id, kind="step", index=index)
    for step in proc.steps:
        for target, outcome_id, label in _exits(step):
            if not graph.has_node(target):
                graph.add_node(target, kind="end" if target.startswith(END_PREFIX) else "missing")
            graph.add_edge(step.id, target, outcome=outcome_id, label=label)
    return graph


def _exits(step: Step) -> list[tuple[str, str | None, str | None]]:
    if step.next is not None:
        return [(step.next, None, None)]
    if step.end is not None:
        return [(end_node(step.end.value), None, None)]
    exits: list[tuple[str, str | None, str | None]] = []
    for outcome in step.decision.outcomes if step.decision else ():
        if outcome.next is not None:
            exits.append((outcome.next, outcome.id, outcome.label))
        elif outcome.end is not None:
            exits.append((end_node(outcome.end.value), outcome.id, outcome.label))
    return exits


def entry_steps(proc: Procedure) -> list[str]:
    """Steps no other step leads to, in file order (a valid procedure has exactly one)."""
    graph = procedure_graph(proc)
    return [s.id for s in proc.steps if graph.in_degree(s.id) == 0]


def _days(duration: Duration) -> float:
    return duration.amount / 24 if duration.unit is DurationUnit.HOURS else float(duration.amount)


def check_graph(proc: Procedure, doc: SourceDoc, lang: str = "en") -> list[Diagnostic]:
    found: list[Diagnostic] = []
    index = {s.id: i for i, s in enumerate(proc.steps)}

    def add(code: str, path: tuple[str | int, ...], severity: Severity = Severity.ERROR,
            **params: object) -> None:
        found.append(make(code, severity, doc.file, doc.locate(path), format_path(path), lang,
                          **params))

    graph = procedure_graph(proc)
    entries = entry_steps(proc)
    if not entries:
        add("G001", ("steps",))
    elif len(entries) > 1:
        add("G002", ("steps", index[entries[1]], "id"), names=", ".join(entries))
    if len(entries) == 1:
        reachable = nx.descendants(graph, entries[0]) | {entries[0]}
        for step in proc.steps:
            if step.id not in reachable:
                add("G003", ("steps", index[step.id], "id"), name=step.id, entry=entries[0])

    ends = [n for n in graph.nodes if graph.nodes[n].get("kind") == "end"]
    can_finish: set[str] = set(ends)
    for end in ends:
        can_finish |= nx.ancestors(graph, end)
    looped: set[str] = set()
    for component in nx.strongly_connected_components(graph):
        members = sorted(component, key=lambda s: index.get(s, 0))
        if len(members) == 1 and not graph.has_edge(members[0], members[0]):
            continue
        leaves = any(t not in component for s in component for t in graph.successors(s))
        if not leaves:
            looped |= component
            add("G005", ("steps", index[members[0]], "id"), names=", ".join(members))
    for step in proc.steps:
        if step.id not in can_finish and step.id not in looped and graph.out_degree(step.id):
            add("G004", ("steps", index[step.id], "id"), name=step.id)

    for step in proc.steps:
        if step.decision is not None:
            _check_coverage(proc, step, ("steps", index[step.id], "decision"), add)

    _check_deadline_sum(proc, graph, add)
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


def _check_deadline_sum(proc: Procedure, graph: nx.DiGraph[str], add: _Add) -> None:
    limit = proc.time_limit
    if limit.amount is None or limit.bound == "min":
        return
    if not any(s.deadline for s in proc.steps):
        return
    # loops are collapsed: each strongly connected part counts its deadlines once
    condensed = nx.condensation(graph)
    weight: dict[int, float] = {}
    for node, members in condensed.nodes(data="members"):
        total = 0.0
        for member in members:
            if graph.nodes[member].get("kind") != "step":
                continue
            deadline = proc.step(member).deadline
            if deadline is not None:
                total += _days(deadline)
        weight[node] = total
    best: dict[int, float] = {}
    for node in nx.topological_sort(condensed):
        incoming = [best[p] for p in condensed.predecessors(node)]
        best[node] = weight[node] + max(incoming, default=0.0)
    longest = max(best.values(), default=0.0)
    limit_days = _days(Duration(amount=limit.amount, unit=limit.unit))
    if longest > limit_days:
        add("G007", ("time_limit",), Severity.WARNING, total=f"{longest:g}",  # days; hours / 24
            limit=f"{limit.amount} {limit.unit.value}")


class _Add(Protocol):  # the shape of the local ``add`` callback
    def __call__(self, code: str, path: tuple[str | int, ...],
                 severity: Severity = Severity.ERROR, **params: object) -> None: ...
