"""Mermaid ``flowchart TD`` text for a procedure (and optionally a case overlay).

The same drawing as :mod:`.dot`, in a form GitHub renders inside a Markdown ```` ```mermaid ````
block: one ``subgraph`` per role that performs a step, steps as rounded boxes, a diamond after
each decision step with outcome-labelled edges, a dotted ``↺`` edge for a loop back to an earlier
step, terminal outcomes as double circles, and ``classDef`` styles for inferred actors (dashed),
flagged steps (orange), and the case overlay (visited, current, breached; taken edges by
``linkStyle``).

Syntax rules kept here: node ids are prefixed (``s_`` step, ``q_`` decision, ``e_`` outcome,
``lane_`` role) so no id can be a Mermaid keyword such as ``end``; every label is a quoted
string ``["..."]`` whose text is escaped with entity codes (``#quot;``, ``#lt;``, ``#35;`` ...),
so quotes, parentheses, ``#``, ``|`` and ``<`` in source text cannot break the chart. Pure.
"""

from __future__ import annotations

from engine.procedure.graph import END_PREFIX
from engine.procedure.model import Procedure
from engine.render.dot import END_STYLES, LANE_STYLES
from engine.render.scene import (
    DECISION_PREFIX,
    JOIN_PREFIX,
    SERVICE_PREFIX,
    Node,
    Scene,
    build_scene,
)
from engine.render.trace import Trace

__all__ = ["escape", "mermaid_id", "render_mermaid", "scene_to_mermaid"]

_ENTITIES = {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;",
             "|": "#124;", "`": "#96;", "\\": "#92;", "{": "#123;", "}": "#125;",
             "[": "#91;", "]": "#93;"}


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return "".join(_ENTITIES.get(ch, ch) for ch in " ".join(text.split()))


def mermaid_id(node_id: str) -> str:
    """A Mermaid node id for a scene node id (steps, ``q:`` decisions, ``svc:`` and ``join:``
    a plan's services and join, ``end:`` outcomes): letters, digits and '_' only."""
    if node_id.startswith(DECISION_PREFIX):
        return "q_" + node_id[len(DECISION_PREFIX):]
    if node_id.startswith(SERVICE_PREFIX):  # the step id's length keeps step_service apart
        step, service = node_id[len(SERVICE_PREFIX):].split("/", 1)
        return f"f{len(step)}_{step}_{service}"
    if node_id.startswith(JOIN_PREFIX):
        return "j_" + node_id[len(JOIN_PREFIX):]
    if node_id.startswith(END_PREFIX):
        return "e_" + node_id[len(END_PREFIX):]
    return "s_" + node_id


def _lines(lines: tuple[str, ...]) -> str:
    return "<br/>".join(escape(line) for line in lines)


def _step_label(node: Node) -> str:
    number = node.number or ""
    if number and node.title.startswith(number + " "):
        head = f"<b>{escape(number)}</b> {escape(node.title[len(number) + 1:])}"
    else:
        head = escape(node.title)
    parts = [head]
    if node.details:
        parts.append(f"<small>{_lines(node.details)}</small>")
    if node.marks:
        parts.append(f"<small><i>{_lines(node.marks)}</i></small>")
    overlay = []
    if node.spent is not None:
        overlay.append(f"time: {node.spent}"
                       + (f" ({node.visits} visits)" if node.visits > 1 else ""))
    if node.current:
        overlay.append("CURRENT STEP")
    if node.breached:
        overlay.append("DEADLINE BREACHED")
    if overlay:
        parts.append(f"<b>{_lines(tuple(overlay))}</b>")
    return "<br/>".join(parts)


def _node_line(node: Node) -> str:
    ident = mermaid_id(node.id)
    if node.kind == "step":
        return f'{ident}("{_step_label(node)}")'
    if node.kind == "decision":
        return f'{ident}{{"{escape(node.title)}"}}'
    if node.kind == "service":  # a branch of a plan's fork
        return f'{ident}[["{escape(node.title)}<br/>{_lines(node.details)}"]]'
    if node.kind == "join":  # a plan's join: all or any
        return f'{ident}{{{{"{escape(node.title)}"}}}}'
    return f'{ident}((("{escape(node.title)}")))'


_CLASSES = (
    ("step", "fill:#ffffff,stroke:#4a5568,color:#2d3748"),
    ("decision", "fill:#fff8dc,stroke:#b7791f,color:#2d3748"),
    ("service", "fill:#f0fff4,stroke:#2f855a,color:#2d3748,stroke-dasharray:4 3"),
    ("join", "fill:#f0fff4,stroke:#2f855a,color:#2d3748"),
    ("inferred", "stroke-dasharray:5 5"),
    ("flagged", "stroke:#c05621,stroke-width:2px"),
    ("visited", "fill:#d6e9ff"),
    ("current", "stroke:#1d4ed8,stroke-width:4px"),
    ("breached", "fill:#fee2e2,stroke:#dc2626,stroke-width:3px,color:#7f1d1d"),
    ("banner", "fill:#eff6ff,stroke:#1d4ed8,color:#1d4ed8"),
    ("alert", "fill:#fee2e2,stroke:#dc2626,color:#7f1d1d"),
    *((f"outcome_{outcome}", f"fill:{fill},stroke:{border},color:{border},stroke-width:2px")
      for outcome, (fill, border) in END_STYLES.items()),
)


def _classes(node: Node) -> list[str]:
    if node.kind == "end":
        return [f"outcome_{node.outcome}"] if node.outcome in END_STYLES else []
    names = [node.kind]
    if node.inferred:
        names.append("inferred")
    if node.flagged:
        names.append("flagged")
    if node.visited:
        names.append("visited")
    if node.current:
        names.append("current")
    if node.breached:
        names.append("breached")
    return names


def scene_to_mermaid(scene: Scene) -> str:
    lines = ["flowchart TD",
             f"  %% {' '.join(scene.title.split())} ({scene.id})",
             f"  %% {' '.join(scene.subtitle.split())}"]
    if scene.banner:
        lines.append(f'  banner["{escape(scene.banner)}"]')
    for lane in scene.lanes:
        lines.append(f'  subgraph lane_{lane.role}["{escape(lane.title)}"]')
        lines.append("    direction TB")
        lines += [f"    {_node_line(scene.node(node_id))}" for node_id in lane.nodes]
        lines.append("  end")
    lines += [f"  {_node_line(node)}" for node in scene.ends]

    taken: list[int] = []
    back: list[int] = []
    for number, edge in enumerate(scene.edges):
        arrow = "-.->" if edge.back else "-->"
        label = ("↺ " if edge.back else "") + edge.label
        text = f'|"{escape(label.strip())}"|' if label else ""
        lines.append(f"  {mermaid_id(edge.source)} {arrow}{text} {mermaid_id(edge.target)}")
        if edge.taken:
            taken.append(number)
        elif edge.back:
            back.append(number)

    members: dict[str, list[str]] = {}
    for node in scene.nodes:
        for name in _classes(node):
            members.setdefault(name, []).append(mermaid_id(node.id))
    if scene.banner:
        members["alert" if scene.banner_alert else "banner"] = ["banner"]
    lines += [f"  classDef {name} {style}" for name, style in _CLASSES if name in members]
    lines += [f"  class {','.join(members[name])} {name}" for name, _ in _CLASSES
              if name in members]
    for lane in scene.lanes:
        fill, border = LANE_STYLES.get(lane.kind, LANE_STYLES["staff"])
        lines.append(f"  style lane_{lane.role} fill:{fill},stroke:{border}")
    if back:
        lines.append(f"  linkStyle {','.join(map(str, back))} stroke:#6b46c1,color:#6b46c1")
    if taken:
        lines.append(f"  linkStyle {','.join(map(str, taken))} stroke:#1d4ed8,stroke-width:3px")
    return "\n".join(lines) + "\n"


def render_mermaid(proc: Procedure, *, trace: Trace | None = None, lang: str = "en") -> str:
    """The Mermaid flowchart of ``proc`` (with ``trace`` drawn over it when given)."""
    scene = build_scene(proc, trace, lang)
    return scene_to_mermaid(scene)
