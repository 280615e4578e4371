"""The few walks over a small directed graph that validation needs, in plain Python.

A graph here is an adjacency mapping: every node is a key, its value the node's successors (no
repeats). Procedures have a few dozen nodes at most, so plain walks are instant; what they save
is the import of networkx (~100 ms of a cold ``alur validate``, see docs/performance.md).
networkx stays the graph library of the renderers and the audit, and the oracle these functions
are tested against (``tests/test_digraph.py``).

Each function means what its networkx namesake means: ``descendants``/``ancestors`` exclude the
node itself, ``strongly_connected_components`` yields every node in exactly one component.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from graphlib import TopologicalSorter

__all__ = ["Adjacency", "ancestors", "back_edges", "condensation", "descendants",
           "predecessors", "reachable", "strongly_connected_components", "topological_order"]

Adjacency = Mapping[str, Sequence[str]]


def reachable(adj: Adjacency, sources: Iterable[str]) -> set[str]:
    """The sources and every node a path leads to from one of them."""
    seen = set(sources)
    stack = list(seen)
    while stack:
        for nxt in adj[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def back_edges(adj: Adjacency, starts: Sequence[str]) -> set[tuple[str, str]]:
    """The edges that close a cycle: walking depth-first from ``starts`` (then from any node
    not reached yet, in the adjacency's order), an edge to a node still on the walk's path.
    A graph without them is acyclic; an edge to a step listed earlier in the file that closes
    no cycle is not one."""
    found: set[tuple[str, str]] = set()
    done: set[str] = set()
    for root in [*starts, *adj]:
        if root in done or root not in adj:
            continue
        on_path = {root}
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(adj[root]))]
        done.add(root)
        while stack:
            node, targets = stack[-1]
            for target in targets:
                if target in on_path:
                    found.add((node, target))
                elif target not in done and target in adj:
                    done.add(target)
                    on_path.add(target)
                    stack.append((target, iter(adj[target])))
                    break
            else:
                stack.pop()
                on_path.discard(node)
    return found


def predecessors(adj: Adjacency) -> dict[str, list[str]]:
    """The reversed graph: each node's predecessors, in the order the edges are listed."""
    back: dict[str, list[str]] = {node: [] for node in adj}
    for node, targets in adj.items():
        for target in targets:
            back[target].append(node)
    return back


def descendants(adj: Adjacency, source: str) -> set[str]:
    """Every node reachable from ``source`` by a path of at least one edge, except ``source``."""
    return reachable(adj, adj[source]) - {source}


def ancestors(adj: Adjacency, target: str) -> set[str]:
    """Every node with a path to ``target``, except ``target``."""
    back = predecessors(adj)
    return reachable(back, back[target]) - {target}


def strongly_connected_components(adj: Adjacency) -> Iterator[set[str]]:
    """Tarjan's algorithm without recursion; components come out sinks first (reverse
    topological order of the condensation)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for root in adj:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(adj[root]))]
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(adj[nxt])))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:  # every successor done: close the node
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    yield component


def condensation(adj: Adjacency) -> tuple[list[set[str]], dict[int, set[int]]]:
    """The strongly connected components and the acyclic graph between them: component ``i`` →
    the components its members lead to (other than itself)."""
    components = list(strongly_connected_components(adj))
    member_of = {node: i for i, component in enumerate(components) for node in component}
    dag: dict[int, set[int]] = {i: set() for i in range(len(components))}
    for node, targets in adj.items():
        for target in targets:
            if member_of[node] != member_of[target]:
                dag[member_of[node]].add(member_of[target])
    return components, dag


def topological_order(adj: Mapping[int, Iterable[int]]) -> list[int]:
    """The nodes of an acyclic graph, each before every node it leads to (``graphlib``)."""
    sorter: TopologicalSorter[int] = TopologicalSorter({node: () for node in adj})
    for node, targets in adj.items():
        for target in targets:
            sorter.add(target, node)  # target comes after node
    return list(sorter.static_order())
