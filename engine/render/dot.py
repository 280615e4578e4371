"""Graphviz DOT text for a procedure (and optionally a case overlay): :func:`render_dot`.

Layout: one cluster (swimlane) per role that performs a step, labelled with the role title;
steps as rounded boxes labelled "<number> <title>" with short lines for the estimate/deadline
and the documents the step requires and produces; a decision step is followed by a diamond
holding its question, whose edges carry the outcome labels; an edge back to an earlier step
(a loop) is dashed purple with a "↺" label; terminal outcomes are double circles coloured per
outcome. A step whose actor is inferred has a dashed border and says so; a step a flag is
about has an orange border and lists the flag ids.

Case overlay: visited steps filled blue, taken edges thick blue, time spent per step on the
node, breached steps (and the graph title, for the case limit) red, the current step outlined.

All text goes through :func:`html_text` (HTML-like labels) or :func:`quote` (ids), so quotes,
``<``, ``&`` and backslashes in source text cannot break the file. Pure: returns a string.
"""

from __future__ import annotations

from engine.procedure.model import Procedure
from engine.render.scene import Edge, Lane, Node, Scene, build_scene, wrap
from engine.render.trace import Trace

__all__ = ["END_STYLES", "html_text", "quote", "render_dot", "scene_to_dot"]

FONT = "Helvetica"
# fill, border per terminal outcome
END_STYLES = {
    "completed": ("#c6f6d5", "#276749"),
    "referred": ("#bee3f8", "#2b6cb0"),
    "terminated": ("#e2e8f0", "#4a5568"),
    "rejected": ("#fed7d7", "#c53030"),
}
LANE_STYLES = {  # fill, border per role kind
    "staff": ("#eef3fa", "#a9bcd6"),
    "external": ("#fbf5e6", "#d8c38f"),
    "team": ("#eef7ee", "#9cc59c"),
}
INK, MUTED, FLAG, LOOP = "#2d3748", "#4a5568", "#c05621", "#6b46c1"
VISITED, PATH, ALERT, ALERT_FILL = "#d6e9ff", "#1d4ed8", "#dc2626", "#fee2e2"


def quote(text: str) -> str:
    """A DOT double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def html_text(text: str) -> str:
    """Text safe inside a Graphviz HTML-like label."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _font(lines: tuple[str, ...] | list[str], size: int, color: str) -> str:
    body = "<BR/>".join(html_text(line) for line in lines)
    return f'<FONT POINT-SIZE="{size}" COLOR="{color}">{body}</FONT>'


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{key}={value}" for key, value in pairs)


def _wrapped(lines: tuple[str, ...], width: int) -> list[str]:
    return [part for line in lines for part in wrap(line, width, max_lines=2)]


def _step_label(node: Node) -> str:
    title = list(wrap(node.title, 30))
    number = node.number or ""
    if number and title[0].startswith(number + " "):
        head = f"<B>{html_text(number)}</B>{html_text(title[0][len(number):])}"
    else:
        head = html_text(title[0])
    parts = ["<BR/>".join([head, *(html_text(line) for line in title[1:])])]
    if node.details:
        parts.append(_font(_wrapped(node.details, 44), 8, MUTED))
    if node.marks:
        parts.append(_font(_wrapped(node.marks, 44), 8, FLAG))
    if node.visited or node.current:
        overlay = []
        if node.spent is not None:
            overlay.append(f"time: {node.spent}" + (f" ({node.visits} visits)"
                                                    if node.visits > 1 else ""))
        if node.current:
            overlay.append("CURRENT STEP")
        if node.breached:
            overlay.append("DEADLINE BREACHED")
        if overlay:
            parts.append(_font(overlay, 9, ALERT if node.breached else PATH))
    elif node.breached:
        parts.append(_font(["DEADLINE BREACHED"], 9, ALERT))
    return "<" + "<BR/>".join(parts) + ">"


def _node_line(node: Node) -> str:
    attrs: list[tuple[str, str]] = []
    if node.kind == "step":
        style = ["rounded", "filled"]
        if node.inferred:
            style.append("dashed")
        fill, border, width = "#ffffff", MUTED, "1"
        if node.flagged:
            border, width = FLAG, "1.6"
        if node.visited:
            fill = VISITED
        if node.current:
            border, width = PATH, "3"
        if node.breached:
            fill, border, width = ALERT_FILL, ALERT, "2.5"
        attrs = [("label", _step_label(node)), ("style", quote(",".join(style))),
                 ("fillcolor", quote(fill)), ("color", quote(border)), ("penwidth", width)]
    elif node.kind == "decision":
        fill = VISITED if node.visited else "#fff8dc"
        attrs = [("shape", "diamond"), ("style", "filled"), ("fillcolor", quote(fill)),
                 ("color", quote("#b7791f")), ("margin", quote("0.02,0.02")),
                 ("label", "<" + _font(wrap(node.title, 30, max_lines=4), 8, INK) + ">")]
    elif node.kind == "service":  # a branch of a plan's fork
        fill = VISITED if node.visited else "#f0fff4"
        attrs = [("shape", "box"), ("style", quote("rounded,filled,dashed")),
                 ("fillcolor", quote(fill)), ("color", quote("#2f855a")),
                 ("label", "<" + "<BR/>".join(
                     [_font(wrap(node.title, 26), 9, INK),
                      _font(node.details, 8, MUTED)]) + ">")]
    elif node.kind == "join":  # a plan's join: a parallel gateway, all or any
        fill = VISITED if node.visited else "#f0fff4"
        attrs = [("shape", "diamond"), ("style", "filled"), ("fillcolor", quote(fill)),
                 ("color", quote("#2f855a")), ("margin", quote("0.02,0.02")),
                 ("label", "<" + _font([node.title], 8, INK) + ">")]
    else:
        fill, border = END_STYLES.get(node.outcome or "", ("#edf2f7", MUTED))
        attrs = [("shape", "doublecircle"), ("style", "filled"), ("fillcolor", quote(fill)),
                 ("color", quote(border)), ("penwidth", "2.5" if node.visited else "1.2"),
                 ("label", "<" + _font([node.title], 10, border) + ">")]
    return f"{quote(node.id)} [{_attrs(attrs)}];"


def _edge_line(edge: Edge) -> str:
    attrs: list[tuple[str, str]] = []
    label = wrap(("↺ " if edge.back else "") + edge.label, 26) if edge.label or edge.back else ()
    if label:
        # xlabel: placed after layout, so labels of edges leaving one diamond do not overlap
        attrs.append(("xlabel", "<" + _font(label, 8, LOOP if edge.back else INK) + ">"))
    if edge.back:
        attrs += [("style", "dashed"), ("color", quote(LOOP)), ("constraint", "false")]
    if edge.taken:
        attrs = [(k, v) for k, v in attrs if k != "color"]
        attrs += [("color", quote(PATH)), ("penwidth", "2.6")]
    suffix = f" [{_attrs(attrs)}]" if attrs else ""
    return f"{quote(edge.source)} -> {quote(edge.target)}{suffix};"


def _lane_lines(lane: Lane, scene: Scene) -> list[str]:
    fill, border = LANE_STYLES.get(lane.kind, LANE_STYLES["staff"])
    lines = [f"  subgraph {quote('cluster_' + lane.role)} {{",
             f"    label=<<B>{html_text(lane.title)}</B>>;",
             f"    style=\"rounded,filled\"; fillcolor={quote(fill)}; color={quote(border)};",
             "    fontsize=11; labeljust=l;"]
    lines += [f"    {_node_line(scene.node(node_id))}" for node_id in lane.nodes]
    lines.append("  }")
    return lines


def scene_to_dot(scene: Scene, *, dpi: int | None = None) -> str:
    title = [f"<B>{html_text(scene.title)}</B>", _font([scene.subtitle], 9, MUTED)]
    if scene.banner:
        title.append(_font([scene.banner], 10, ALERT if scene.banner_alert else PATH))
    lines = [
        f"digraph {quote(scene.id)} {{",
        f"  graph [label=<{'<BR/>'.join(title)}>, labelloc=t, fontname={quote(FONT)}, "
        "fontsize=14, rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.4, "
        "forcelabels=true" + (f", dpi={dpi}" if dpi else "") + "];",
        f"  node [shape=box, fontname={quote(FONT)}, fontsize=10, fontcolor={quote(INK)}, "
        "margin=\"0.12,0.06\"];",
        f"  edge [fontname={quote(FONT)}, fontsize=8, color={quote(MUTED)}, arrowsize=0.7];",
    ]
    for lane in scene.lanes:
        lines += _lane_lines(lane, scene)
    ends = scene.ends
    for node in ends:
        lines.append(f"  {_node_line(node)}")
    if len(ends) > 1:
        lines.append("  { rank=same; " + " ".join(f"{quote(n.id)};" for n in ends) + " }")
    lines += [f"  {_edge_line(edge)}" for edge in scene.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_dot(proc: Procedure, *, trace: Trace | None = None, dpi: int | None = None,
               lang: str = "en") -> str:
    """The DOT text of ``proc`` (with ``trace`` drawn over it when given); ``dpi`` sets the
    resolution of bitmap output (PNG); ``lang`` the language of alur's own words."""
    scene = build_scene(proc, trace, lang)
    return scene_to_dot(scene, dpi=dpi)
