"""A self-contained HTML report of one procedure (and optionally one case): :func:`render_html`.

One file that opens offline: no script, no external stylesheet, font or image. The graph is the
Graphviz SVG inlined (the caller passes it in, see :func:`engine.render.render`); without
Graphviz the Mermaid source is embedded in a ``<pre>`` with a note saying how to view it. Then
every published component an auditor checks: agency, decree ("unknown" when the source gives no
number), the steps with their verbatim source text, actors, documents and deadlines, roles,
documents (sensitive ones marked), requirements, the time limit with its source text, cost,
products, complaint channels, flags and the SP components the source leaves missing. With a case
trace, the path the case took (times, due dates, breaches) comes first.

Every piece of text passes through :func:`html.escape`. Pure and deterministic: no timestamps.
"""

from __future__ import annotations

import html
import re

from engine.procedure.model import Procedure, Step
from engine.render.mermaid import render_mermaid
from engine.render.scene import duration_text
from engine.render.trace import Trace, format_span

__all__ = ["render_html"]

_STYLE = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1a202c;
       background: #ffffff; margin: 24px; font-size: 14px; line-height: 1.4; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #cbd5e0; }
.meta { color: #4a5568; margin: 0 0 2px; }
figure { margin: 12px 0; overflow: auto; border: 1px solid #e2e8f0; padding: 8px; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border: 1px solid #cbd5e0; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #edf2f7; }
.src { white-space: pre-wrap; font-style: italic; }
.sensitive { color: #9b2c2c; font-weight: bold; }
.flag { color: #c05621; }
.alert { color: #dc2626; font-weight: bold; }
.note { background: #fffbeb; border: 1px solid #f6e05e; padding: 6px 8px; }
pre { background: #f7fafc; border: 1px solid #e2e8f0; padding: 8px; overflow: auto; }
ul.legend li { margin: 2px 0; }
""".strip()

_LEGEND = (
    "Lanes: one per role that performs a step (yellow: external, green: team).",
    "Box: a step, \u201cnumber title\u201d, with its estimate or deadline and the documents it "
    "requires and produces.",
    "Dashed border and \u201c(actor inferred)\u201d: the source names no actor for the step.",
    "Orange border and \u2691: a flag (ambiguity, contradiction, inference, ...) is about the "
    "step.",
    "Diamond: the question of a decision; its edges carry the outcome labels.",
    "Dashed purple edge with \u21ba: a loop back to an earlier step.",
    "Double circle: how the case ends (completed, referred, terminated, rejected).",
    "Case overlay: blue fill and thick blue edges for the path taken, time spent on each step, "
    "red for a breached deadline, a thick outline for the current step.",
)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(head: list[str], rows: list[list[str]]) -> str:
    """A table; the cells are HTML already escaped by the caller."""
    if not rows:
        return "<p>none</p>"
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    out.append("</table>")
    return "\n".join(out)


def _inline_svg(svg: str) -> str:
    """The ``<svg>`` element alone: no XML declaration, doctype (with its URL) or comments."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    return re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL).strip()


def _docs(proc: Procedure, ids: tuple[str, ...]) -> str:
    items = []
    for doc_id in ids:
        try:
            doc = proc.document(doc_id)
        except KeyError:
            items.append(_e(doc_id))
            continue
        mark = ' <span class="sensitive">(sensitive)</span>' if doc.sensitive else ""
        items.append(f"{_e(doc.title)} <code>{_e(doc_id)}</code>{mark}")
    return "<br>".join(items)


def _role_title(proc: Procedure, role_id: str) -> str:
    try:
        return proc.role(role_id).title
    except KeyError:
        return role_id


def _then(proc: Procedure, step: Step) -> str:
    if step.next is not None:
        try:
            target = proc.step(step.next)
            return f"→ {_e(target.number)} {_e(target.title)}"
        except KeyError:
            return f"→ {_e(step.next)}"
    if step.end is not None:
        return f"ends: {_e(step.end.value)}"
    if step.decision is None:
        return ""
    parts = [f"<b>{_e(step.decision.question)}</b>"]
    for outcome in step.decision.outcomes:
        if outcome.next is not None:
            try:
                where = f"{proc.step(outcome.next).number} {proc.step(outcome.next).title}"
            except KeyError:
                where = outcome.next
        else:
            where = f"ends: {outcome.end.value if outcome.end else '?'}"
        line = f"◇ {_e(outcome.label)} → {_e(where)}"
        if outcome.text:
            line += f'<br><span class="src">{_e(outcome.text)}</span>'
        parts.append(line)
    return "<br>".join(parts)


def _steps(proc: Procedure) -> str:
    rows = []
    for step in proc.steps:
        actor = _e(_role_title(proc, step.actor))
        if step.actor_inferred:
            actor += ' <span class="flag">(inferred)</span>'
        if step.participants:
            actor += "<br>with: " + ", ".join(
                _e(_role_title(proc, p.role)) + (f" (if {_e(p.when)})" if p.when else "")
                for p in step.participants)
        timing = []
        if step.deadline is not None:
            timing.append(f"deadline {_e(duration_text(step.deadline))}")
        if step.estimate is not None:
            timing.append(f"est. {_e(duration_text(step.estimate))}")
        docs = []
        if step.requires:
            docs.append("<b>requires</b><br>" + _docs(proc, step.requires))
        if step.produces:
            docs.append("<b>produces</b><br>" + _docs(proc, step.produces))
        rows.append([f"<b>{_e(step.number)}</b>", f"{_e(step.title)}<br><code>{_e(step.id)}</code>",
                     actor, f'<span class="src">{_e(step.text)}</span>', "<br>".join(docs),
                     "<br>".join(timing) or "—", _then(proc, step)])
    return _table(["#", "step", "actor", "source text", "documents", "deadline", "then"], rows)


def _time_limit(proc: Procedure) -> str:
    limit = proc.time_limit
    amount = (f"{limit.amount} {limit.unit.value.replace('_', ' ')}" if limit.amount is not None
              else "not given by the source")
    facts = [("limit", f"{limit.bound} {amount}"), ("clock starts", limit.starts.value
                                                     + (f" ({limit.starts_after_step})"
                                                        if limit.starts_after_step else "")),
             ("situational", "yes" if limit.situational else "no"),
             ("extendable", "yes" if limit.extendable else "no")]
    if limit.extension_rule:
        facts.append(("extension rule", limit.extension_rule))
    if limit.max_extension:
        facts.append(("max extension", duration_text(limit.max_extension)))
    if limit.escalate_to:
        facts.append(("escalate to", _role_title(proc, limit.escalate_to)))
    rows = [[_e(k), _e(v)] for k, v in facts]
    rows.append(["source text", f'<span class="src">{_e(limit.source_text)}</span>'])
    return _table(["item", "value"], rows)


def _trace(proc: Procedure, trace: Trace) -> str:
    out = [f"<h2>Case {_e(trace.case_id)}</h2>",
           f"<p>status: <b>{_e(trace.status or 'unknown')}</b>"]
    if trace.current_step:
        step = proc.step(trace.current_step)
        out[-1] += f"; current step: <b>{_e(step.number)} {_e(step.title)}</b>"
    out[-1] += "</p>"
    if trace.case_breached:
        due = f" (due {_e(trace.case_due_at)})" if trace.case_due_at else ""
        out.append(f'<p class="alert">The time limit of the case was breached{due}.</p>')
    rows = []
    for visit in trace.visits:
        step = proc.step(visit.step)
        rows.append([f"{_e(step.number)} {_e(step.title)}", _e(visit.outcome or ""),
                     _e(visit.started_at or "?"), _e(visit.at),
                     _e(format_span(visit.seconds)) if visit.seconds is not None else "?",
                     _e(visit.due_at or "—"),
                     '<span class="alert">breached</span>' if visit.breached else ""])
    if trace.current_step:
        step = proc.step(trace.current_step)
        rows.append([f"<b>{_e(step.number)} {_e(step.title)}</b>", "(current step)",
                     _e(trace.current_started_at or "?"), "—", "—",
                     _e(trace.current_due_at or "—"),
                     '<span class="alert">breached</span>' if trace.current_breached else ""])
    out.append(_table(["step", "outcome", "started", "completed", "time spent", "due",
                       "deadline"], rows))
    return "\n".join(out)


def render_html(proc: Procedure, *, trace: Trace | None = None, svg: str | None = None) -> str:
    """The report of ``proc``; ``svg`` is the drawn graph (Graphviz), or None to embed the
    Mermaid source instead."""
    decree = (proc.decree.number if proc.decree.known and proc.decree.number else "unknown")
    if proc.decree.date:
        decree += f" ({proc.decree.date})"
    agency = proc.agency
    where = ", ".join(x for x in (agency.unit, agency.name, agency.region) if x)
    contact = " · ".join(x for x in (agency.address, agency.phone, agency.website) if x)
    out = ["<!DOCTYPE html>", '<html lang="' + _e(proc.language) + '">', "<head>",
           '<meta charset="utf-8">', f"<title>{_e(proc.title)}</title>",
           f"<style>\n{_STYLE}\n</style>", "</head>", "<body>",
           f"<h1>{_e(proc.title)}</h1>",
           f'<p class="meta">procedure <code>{_e(proc.id)}</code> version {_e(proc.version)}'
           + (f" · source {_e(proc.source.file)}" if proc.source.file else "") + "</p>",
           f'<p class="meta">agency: {_e(where)}</p>']
    if contact:
        out.append(f'<p class="meta">{_e(contact)}</p>')
    out.append(f'<p class="meta">decree (SK): {_e(decree)}</p>')
    if trace is not None:
        out.append(_trace(proc, trace))

    out.append("<h2>Graph</h2>")
    if svg is not None:
        out.append(f'<figure id="graph">\n{_inline_svg(svg)}\n</figure>')
    else:
        out.append('<p class="note">Graphviz \u2018dot\u2019 was not installed when this '
                   "report was made, so the graph is given as Mermaid source below: paste it "
                   "into a Mermaid viewer or a ```mermaid block on GitHub, or install Graphviz "
                   "(apt-get install graphviz) and make the report again.</p>")
        out.append(f'<pre id="graph" class="mermaid-source">'
                   f"{_e(render_mermaid(proc, trace=trace))}</pre>")
    out.append('<ul class="legend">' + "".join(f"<li>{_e(x)}</li>" for x in _LEGEND) + "</ul>")

    out += ["<h2>Steps</h2>", _steps(proc)]
    out += ["<h2>Roles</h2>", _table(["id", "title", "kind", "members", "note"], [
        [f"<code>{_e(r.id)}</code>", _e(r.title), _e(r.kind.value),
         _e(", ".join(_role_title(proc, m) for m in r.members)), _e(r.note or "")]
        for r in proc.roles])]
    out += ["<h2>Documents</h2>", _table(["id", "title", "kind", "presence", "sensitive",
                                          "note"], [
        [f"<code>{_e(d.id)}</code>", _e(d.title), _e(d.kind.value),
         _e(d.presence.value + (f" ({d.condition})" if d.condition else "")),
         '<span class="sensitive">sensitive</span>' if d.sensitive else "", _e(d.note or "")]
        for d in proc.documents])]
    out += ["<h2>Requirements (Persyaratan)</h2>", _table(["#", "source text", "satisfied by"], [
        [_e(r.number if r.number is not None else ""), f'<span class="src">{_e(r.text)}</span>',
         _e(" ".join(x for x in (r.document or "", r.fact or "") if x)
            + (f" ({r.presence.value})" if r.presence.value != "required" else ""))]
        for r in proc.requirements])]
    out += ["<h2>Time limit</h2>", _time_limit(proc)]
    rupiah = f"{proc.cost.amount:,}".replace(",", ".")
    out += ["<h2>Cost</h2>",
            f'<p><span class="src">{_e(proc.cost.text)}</span> (Rp {rupiah})</p>']
    out += ["<h2>Products</h2>", "<ul>" + "".join(
        f"<li>{_e(p.text)}" + (f" <code>{_e(p.document)}</code>" if p.document else "")
        + "</li>" for p in proc.products) + "</ul>"]
    out += ["<h2>Complaint channels</h2>", _table(["channel", "value", "as published"], [
        [_e(c.channel), _e(c.value or "not given"), f'<span class="src">{_e(c.text)}</span>']
        for c in proc.complaints])]
    out += ["<h2>Flags</h2>", _table(["id", "kind", "about", "quote", "note"], [
        [f"<code>{_e(f.id)}</code>", f'<span class="flag">{_e(f.kind)}</span>',
         f"<code>{_e(f.about)}</code>",
         f'<span class="src">{_e(f.quote)}</span>' if f.quote else "", _e(f.note)]
        for f in proc.flags])]
    missing = proc.missing_components()
    out += [f"<h2>Missing SP components ({len(missing)} of 14)</h2>",
            "<ul>" + "".join(f"<li><code>{_e(m)}</code></li>" for m in missing) + "</ul>"
            if missing else "<p>none</p>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
