"""The plain graph walks of validation (engine/procedure/digraph.py) agree with networkx, the
oracle.

Validation walks procedure graphs without networkx (its import costs a cold ``alur validate``
~100 ms); networkx still draws and audits them. These properties pin the two together on random
directed graphs, self-loops, cycles and isolated nodes included.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.procedure.digraph import (
    ancestors,
    condensation,
    descendants,
    predecessors,
    reachable,
    strongly_connected_components,
    topological_order,
)
from engine.procedure.graph import procedure_graph, successors
from engine.procedure.validate import load_procedure

ROOT = Path(__file__).resolve().parent.parent


@st.composite
def digraphs(draw: st.DrawFn) -> dict[str, tuple[str, ...]]:
    """An adjacency mapping of up to 12 nodes; every node is a key, successors do not repeat."""
    size = draw(st.integers(min_value=1, max_value=12))
    nodes = [f"n{i}" for i in range(size)]
    adj: dict[str, tuple[str, ...]] = {}
    for node in nodes:
        targets = draw(st.lists(st.sampled_from(nodes), max_size=4, unique=True))
        adj[node] = tuple(targets)
    return adj


def as_nx(adj: dict[str, tuple[str, ...]]) -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(adj)
    graph.add_edges_from((node, target) for node, targets in adj.items() for target in targets)
    return graph


@settings(max_examples=300, deadline=None)
@given(digraphs(), st.data())
def test_descendants_and_ancestors_agree_with_networkx(adj: dict[str, tuple[str, ...]],
                                                       data: st.DataObject) -> None:
    graph = as_nx(adj)
    node = data.draw(st.sampled_from(sorted(adj)))
    assert descendants(adj, node) == nx.descendants(graph, node)
    assert ancestors(adj, node) == nx.ancestors(graph, node)
    sources = data.draw(st.lists(st.sampled_from(sorted(adj)), max_size=3))
    expected = set(sources).union(*(nx.descendants(graph, s) for s in sources))
    assert reachable(adj, sources) == expected


@settings(max_examples=300, deadline=None)
@given(digraphs())
def test_predecessors_are_the_reversed_edges(adj: dict[str, tuple[str, ...]]) -> None:
    graph = as_nx(adj)
    back = predecessors(adj)
    assert {node: set(preds) for node, preds in back.items()} == \
        {node: set(graph.predecessors(node)) for node in graph}


@settings(max_examples=300, deadline=None)
@given(digraphs())
def test_strongly_connected_components_agree_with_networkx(
        adj: dict[str, tuple[str, ...]]) -> None:
    ours = [frozenset(c) for c in strongly_connected_components(adj)]
    assert len(ours) == len(set(ours))  # no component twice
    assert set(ours) == {frozenset(c) for c in nx.strongly_connected_components(as_nx(adj))}


@settings(max_examples=300, deadline=None)
@given(digraphs())
def test_condensation_and_topological_order_agree_with_networkx(
        adj: dict[str, tuple[str, ...]]) -> None:
    graph = as_nx(adj)
    components, dag = condensation(adj)
    condensed = nx.condensation(graph)
    theirs = {frozenset(members): node for node, members in condensed.nodes(data="members")}
    ours = [frozenset(c) for c in components]
    assert set(ours) == set(theirs)
    assert {(ours[a], ours[b]) for a, targets in dag.items() for b in targets} == \
        {(frozenset(condensed.nodes[a]["members"]), frozenset(condensed.nodes[b]["members"]))
         for a, b in condensed.edges}
    order = topological_order(dag)
    assert sorted(order) == sorted(dag)
    position = {node: i for i, node in enumerate(order)}
    assert all(position[a] < position[b] for a, targets in dag.items() for b in targets)


def test_successors_are_the_networkx_graph_of_each_procedure() -> None:
    for path in sorted((ROOT / "procedures").glob("*.yaml")):
        proc = load_procedure(path)
        graph = procedure_graph(proc)
        adj = successors(proc)
        assert list(adj) == list(graph.nodes), path.name
        assert {n: set(t) for n, t in adj.items()} == \
            {n: set(graph.successors(n)) for n in graph}, path.name


def test_validating_does_not_import_networkx() -> None:
    """The point of the plain walks: a cold ``alur validate`` does not load networkx."""
    code = ("import sys; from engine.procedure.validate import validate; "
            "assert validate('procedures/mediasi.yaml') == []; "
            "assert 'networkx' not in sys.modules, 'networkx was imported'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
