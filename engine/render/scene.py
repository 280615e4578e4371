"""The drawing of a procedure as plain data, shared by the DOT and Mermaid renderers.

:func:`build_scene` turns a procedure, its graph (:func:`engine.procedure.graph.procedure_graph`)
and an
optional case :class:`~engine.render.trace.Trace` into a :class:`Scene`: swimlanes (one per role
that performs a step), nodes (steps, one diamond after each decision step, terminal outcomes)
and edges, each with short text lines and the marks the renderers style (actor inferred, flagged,
loop back edge, visited, current, breached). Everything is in file order, so the same input
always gives the same scene and the same text.

The scene only *describes*, in whole lines of text; the formats (their line wrapping and
escaping) belong to :mod:`.dot` and :mod:`.mermaid`. No store, no machine, no clock.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from engine.messages import line, word
from engine.procedure.digraph import back_edges
from engine.procedure.graph import END_PREFIX, entry_steps, procedure_graph, successors
from engine.procedure.model import (
    Duration,
    DurationUnit,
    Procedure,
    Recurrence,
    RoleKind,
    Step,
    referrals,
)
from engine.render.trace import Trace, format_span

__all__ = ["Edge", "Lane", "Node", "Scene", "build_scene", "decision_node", "join_node",
           "service_node", "wrap"]

DECISION_PREFIX = "q:"
SERVICE_PREFIX = "svc:"
JOIN_PREFIX = "join:"

def decision_node(step_id: str) -> str:
    """The id of the diamond drawn after decision step ``step_id``."""
    return f"{DECISION_PREFIX}{step_id}"


def service_node(step_id: str, service_id: str) -> str:
    """The id of the node of one service of plan step ``step_id`` (the fork's branches)."""
    return f"{SERVICE_PREFIX}{step_id}/{service_id}"


def join_node(step_id: str) -> str:
    """The id of the join drawn after plan step ``step_id``'s services."""
    return f"{JOIN_PREFIX}{step_id}"


@dataclass(frozen=True, slots=True)
class Node:
    # a step id, "q:<step id>" (decision), "svc:<step>/<service>" and "join:<step>" (a plan's
    # fork and join) or "end:<outcome>" (terminal outcome)
    id: str
    kind: str  # "step", "decision", "service", "join" or "end"
    title: str  # "<number> <title>" for a step, the question, or the outcome
    number: str | None = None
    details: tuple[str, ...] = ()  # one line each: estimate/deadline, requires, produces
    marks: tuple[str, ...] = ()  # "(actor inferred)", "⚑ flag ids"
    inferred: bool = False
    flagged: bool = False
    outcome: str | None = None  # for end nodes: completed, terminated, referred, rejected
    visited: bool = False
    visits: int = 0
    spent: str | None = None  # "2.0 d" over all visits
    current: bool = False
    breached: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str = ""  # the outcome label
    outcome: str | None = None
    back: bool = False  # goes back to an earlier step: a loop
    taken: bool = False


@dataclass(frozen=True, slots=True)
class Lane:
    role: str
    title: str
    kind: str  # staff, external, team
    nodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    title: str
    subtitle: str
    lanes: tuple[Lane, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    banner: str | None = None  # the case overlay's summary line
    banner_alert: bool = False  # the case's time limit was breached

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    @property
    def ends(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.kind == "end")


def wrap(text: str, width: int, max_lines: int = 3) -> tuple[str, ...]:
    """``text`` on at most ``max_lines`` lines of about ``width`` characters, '…' if cut."""
    lines = textwrap.wrap(" ".join(text.split()), width, break_long_words=True,
                          break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return tuple(lines)


def duration_text(duration: Duration, lang: str = "en") -> str:
    """``3 working days`` (``3 hari kerja``): the catalogue's ``render.span.<unit>.one|many``."""
    number = "one" if duration.amount == 1 else "many"
    return line(f"render.span.{DurationUnit(duration.unit).value}.{number}", lang,
                n=duration.amount)


def repeat_text(repeat: Recurrence, lang: str = "en", step_name: str | None = None) -> str:
    """A recurring step's period and end in words: "repeats every 7 calendar days, until
    selesai" (``step_name``: how to name the end step; default its id)."""
    period = (line("render.repeat.every", lang, span=duration_text(repeat.every, lang))
              if repeat.every is not None else line("render.repeat.no_period", lang))
    end = (line("render.repeat.lasts", lang, span=duration_text(repeat.lasts, lang))
           if repeat.lasts is not None
           else line("render.repeat.until", lang, step=step_name or repeat.until_step or "-"))
    return line("render.repeats", lang, period=period, end=end)


def _flags_by_step(proc: Procedure) -> dict[str, list[str]]:
    """Flag ids per step, from ``about: steps.<id>[.more]``."""
    found: dict[str, list[str]] = {}
    for flag in proc.flags:
        parts = flag.about.split(".")
        if len(parts) >= 2 and parts[0] == "steps":
            found.setdefault(parts[1], []).append(flag.id)
    return found


def _windows_by_step(proc: Procedure, lang: str) -> dict[str, list[str]]:
    """Clock windows drawn on the steps that bound them: where a phase limit starts (after a
    step) and ends, and where the overall time limit stops (``until_step``)."""
    found: dict[str, list[str]] = {}
    limit = proc.time_limit
    if limit.until_step is not None and limit.amount is not None and limit.unit is not None:
        span = duration_text(Duration(amount=limit.amount, unit=limit.unit), lang)
        found.setdefault(limit.until_step, []).append(line("render.window.stops", lang,
                                                           span=span))
    for phase in proc.phase_limits:
        span = duration_text(Duration(amount=phase.amount, unit=phase.unit), lang)
        if phase.starts_after_step is not None:
            found.setdefault(phase.starts_after_step, []).append(
                line("render.window.phase_starts", lang, phase=phase.id, span=span))
        found.setdefault(phase.until_step, []).append(
            line("render.window.phase_ends", lang, phase=phase.id, span=span))
    return found


def _step_node(step: Step, flags: list[str], trace: Trace | None, lang: str,
               windows: list[str] | None = None) -> Node:
    details: list[str] = []
    timing = []
    if step.deadline is not None:
        timing.append(line("render.deadline", lang, span=duration_text(step.deadline, lang)))
    if step.estimate is not None:
        timing.append(line("render.estimate", lang, span=duration_text(step.estimate, lang)))
    if timing:
        details.append(" · ".join(timing))
    if step.repeat is not None:
        details.append(repeat_text(step.repeat, lang))
    details += windows or ()
    if step.joint is not None:
        details.append(line(f"render.joint.{step.joint.sign_off}", lang,
                            roles=", ".join(step.joint.roles)))
    if step.requires:
        details.append(line("render.requires", lang, documents=", ".join(step.requires)))
    if step.produces:
        details.append(line("render.produces", lang, documents=", ".join(step.produces)))
    if step.refer is not None:
        details.append(line("render.refers", lang, procedure=", ".join(
            r.procedure for r in referrals(step.refer))))
    marks = []
    if step.actor_inferred:
        marks.append(line("render.actor_inferred", lang))
    if flags:
        marks.append("⚑ " + ", ".join(flags))
    visited = current = breached = False
    visits = 0
    spent = None
    if trace is not None:
        visits = trace.visit_count(step.id)
        visited = visits > 0
        current = trace.current_step == step.id
        breached = step.id in trace.breached_steps
        seconds = trace.seconds(step.id)
        if seconds is not None:
            spent = format_span(seconds)
    return Node(id=step.id, kind="step", title=" ".join(f"{step.number} {step.title}".split()),
                number=step.number, details=tuple(details), marks=tuple(marks),
                inferred=step.actor_inferred, flagged=bool(flags), visited=visited,
                visits=visits, spent=spent, current=current, breached=breached)


def _served(trace: Trace | None, step_id: str) -> bool:
    """The plan of ``step_id`` was completed on the traced case (its services ran)."""
    return trace is not None and any(v.step == step_id for v in trace.visits)


def _referral(step: Step, outcome_id: str | None) -> str | None:
    for outcome in step.decision.outcomes if step.decision and outcome_id else ():
        if outcome.id == outcome_id and outcome.refer is not None:
            return ", ".join(r.procedure for r in referrals(outcome.refer))
    return None


def _lane_title(proc: Procedure, role_id: str, lang: str) -> tuple[str, str]:
    try:
        role = proc.role(role_id)
    except KeyError:
        return role_id, RoleKind.STAFF.value
    title = role.title
    if role.kind is RoleKind.TEAM and role.members:
        members = []
        for member in role.members:
            try:
                members.append(proc.role(member).title)
            except KeyError:
                members.append(member)
        title = f"{title} ({', '.join(members)})"
    elif role.kind is RoleKind.EXTERNAL:
        title = line("render.external", lang, title=title)
    return title, role.kind.value


def build_scene(proc: Procedure, trace: Trace | None = None, lang: str = "en") -> Scene:
    """The scene of ``proc`` (with ``trace`` over it); ``lang``: the language of alur's own
    words (timings, documents, marks, lane kinds, end outcomes, the case banner). The
    procedure's own text (titles, questions, outcome labels) is the source's and stays."""
    graph = procedure_graph(proc)
    flags = _flags_by_step(proc)
    windows = _windows_by_step(proc, lang)

    nodes: list[Node] = []
    lanes: dict[str, list[str]] = {}
    for step in proc.steps:
        nodes.append(_step_node(step, flags.get(step.id, []), trace, lang, windows.get(step.id)))
        lanes.setdefault(step.actor, []).append(step.id)
        if step.decision is not None:
            diamond = decision_node(step.id)
            decided = trace is not None and any(
                v.step == step.id and v.outcome is not None for v in trace.visits)
            nodes.append(Node(id=diamond, kind="decision",
                              title=" ".join(step.decision.question.split()),
                              visited=decided))
            lanes[step.actor].append(diamond)
        if step.plan is not None:  # the fork: one node per service, in its actor's lane
            for service in step.plan.services:
                ident = service_node(step.id, service.id)
                carried = (line("render.service_linked", lang, procedure=service.refer.procedure)
                           if service.refer else
                           line("render.service_by", lang, role=service.actor))
                nodes.append(Node(id=ident, kind="service", title=" ".join(service.label.split()),
                                  details=(carried,), visited=_served(trace, step.id)))
                lanes.setdefault(service.actor or step.actor, []).append(ident)
            nodes.append(Node(id=join_node(step.id), kind="join",
                              title=line(f"render.join.{step.plan.join}", lang),
                              visited=_served(trace, step.id)))
            lanes[step.actor].append(join_node(step.id))

    # an edge is drawn as a loop only when it closes a cycle (walked from the entry step), not
    # because its target is listed earlier in the file
    loops = back_edges(successors(proc), entry_steps(proc))
    edges: list[Edge] = []
    end_ids: list[str] = []
    for step in proc.steps:
        if step.decision is not None:
            decided = trace is not None and any(
                v.step == step.id and v.outcome is not None for v in trace.visits)
            edges.append(Edge(source=step.id, target=decision_node(step.id), taken=decided))
        if step.plan is not None:
            served = _served(trace, step.id)
            for service in step.plan.services:
                ident = service_node(step.id, service.id)
                edges.append(Edge(source=step.id, target=ident,
                                  label=" ".join((service.when or "").split()), taken=served))
                edges.append(Edge(source=ident, target=join_node(step.id), taken=served))
        for _, target, data in graph.out_edges(step.id, data=True):
            target = str(target)
            outcome = data.get("outcome")
            source = (decision_node(step.id) if outcome is not None
                      else join_node(step.id) if step.plan is not None else step.id)
            back = (step.id, target) in loops
            taken = trace is not None and (step.id, target) in trace.taken
            label = " ".join(str(data.get("label") or "").split()) if outcome else ""
            referral = _referral(step, outcome)
            if referral:
                label = line("render.refer_edge", lang, label=label, procedure=referral)
            edges.append(Edge(source=source, target=target, label=label, outcome=outcome,
                              back=back, taken=taken))
            if target.startswith(END_PREFIX) and target not in end_ids:
                end_ids.append(target)
    for target in end_ids:
        outcome = target[len(END_PREFIX):]
        reached = trace is not None and any(t == target for _, t in trace.taken)
        nodes.append(Node(id=target, kind="end", title=word(outcome, lang), outcome=outcome,
                          visited=reached))

    lane_list = []
    for role_id, members in lanes.items():
        title, kind = _lane_title(proc, role_id, lang)
        lane_list.append(Lane(role=role_id, title=title, kind=kind, nodes=tuple(members)))

    decree = (proc.decree.number if proc.decree.known and proc.decree.number
              else line("render.decree_unknown", lang))
    subtitle = line("render.subtitle", lang, agency=proc.agency.name, region=proc.agency.region,
                    decree=decree, version=proc.version)
    banner = None
    if trace is not None:
        status = word(trace.status, lang) if trace.status else line("render.decree_unknown", lang)
        banner = line("render.banner", lang, case=trace.case_id, status=status)
        if trace.current_step:
            banner += line("render.banner_step", lang,
                           number=proc.step(trace.current_step).number)
        if trace.case_breached:
            banner += line("render.banner_breached", lang)
            if trace.case_due_at:
                banner += line("render.banner_due", lang, date=trace.case_due_at[:10])
    return Scene(id=proc.id, title=proc.title, subtitle=subtitle, lanes=tuple(lane_list),
                 nodes=tuple(nodes), edges=tuple(edges), banner=banner,
                 banner_alert=trace is not None and trace.case_breached)
