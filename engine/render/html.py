"""A self-contained HTML report of one procedure (and optionally one case): :func:`render_html`.

One file that opens offline: no script, no external stylesheet, font or image. The graph is the
Graphviz SVG inlined (the caller passes it in, see :func:`engine.render.render`); without
Graphviz the Mermaid source is embedded in a ``<pre>`` with a note saying how to view it. Then
every published component an auditor checks: agency, decree ("unknown" when the source gives no
number), the steps with their verbatim source text, actors (and who acts jointly), documents,
deadlines and recurring obligations, roles (with their aliases), documents (sensitive ones
marked; form, copies, sheets), requirements (groups indented under their item), the time limit
with its bound and source text (a minimum is said to be no deadline), phase limits, cost,
products, complaint channels (nested ones indented), flags and the SP components the source
leaves missing. With a case trace, the path the case took (times, due dates, breaches, joint
sign-offs) comes first, with the phase limits it breached, the recurring reports that came late
and, for a minimum, whether it closed before it (information, never a breach).

Every piece of text passes through :func:`html.escape`; alur's own words (headings, labels, the
legend) come from the catalogue (``html.*`` entries of :mod:`engine.messages`) in the language
asked for, the procedure's text stays as the source wrote it. Pure and deterministic: no
timestamps.
"""

from __future__ import annotations

import html
import re

from engine.messages import line, word
from engine.procedure.model import (
    ComplaintChannel,
    Document,
    Duration,
    Procedure,
    Requirement,
    Step,
)
from engine.render.mermaid import render_mermaid
from engine.render.scene import duration_text, repeat_text
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

# the legend under the graph: one catalogue entry per line
_LEGEND = ("html.legend.lanes", "html.legend.box", "html.legend.inferred", "html.legend.flag",
           "html.legend.diamond", "html.legend.loop", "html.legend.end", "html.legend.overlay")


class _Words:
    """alur's words in one language: ``say(key, **params)`` is the catalogue text, unescaped."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: object) -> str:
        return line(key, self.lang, **params)

    def word(self, value: str) -> str:
        return word(value, self.lang)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(say: _Words, head: list[str], rows: list[list[str]]) -> str:
    """A table; the head is catalogue keys, the cells HTML already escaped by the caller."""
    if not rows:
        return f"<p>{_e(say('html.none'))}</p>"
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(say(h))}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    out.append("</table>")
    return "\n".join(out)


def _inline_svg(svg: str) -> str:
    """The ``<svg>`` element alone: no XML declaration, doctype (with its URL) or comments."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    return re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL).strip()


def _docs(proc: Procedure, ids: tuple[str, ...], say: _Words) -> str:
    items = []
    for doc_id in ids:
        try:
            doc = proc.document(doc_id)
        except KeyError:
            items.append(_e(doc_id))
            continue
        mark = (f' <span class="sensitive">({_e(say("html.sensitive"))})</span>'
                if doc.sensitive else "")
        items.append(f"{_e(doc.title)} <code>{_e(doc_id)}</code>{mark}")
    return "<br>".join(items)


def _role_title(proc: Procedure, role_id: str) -> str:
    try:
        return proc.role(role_id).title
    except KeyError:
        return role_id


def _step_name(proc: Procedure, step_id: str) -> str:
    try:
        step = proc.step(step_id)
    except KeyError:
        return step_id
    return f"{step.number} {step.title}"


def _then(proc: Procedure, step: Step, say: _Words) -> str:
    if step.next is not None:
        try:
            target = proc.step(step.next)
            return f"→ {_e(target.number)} {_e(target.title)}"
        except KeyError:
            return f"→ {_e(step.next)}"
    if step.end is not None:
        return _e(say("html.ends", outcome=say.word(step.end.value)))
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
            where = say("html.ends",
                        outcome=say.word(outcome.end.value) if outcome.end else "?")
        line = f"◇ {_e(outcome.label)} → {_e(where)}"
        if outcome.text:
            line += f'<br><span class="src">{_e(outcome.text)}</span>'
        parts.append(line)
    return "<br>".join(parts)


def _steps(proc: Procedure, say: _Words) -> str:
    rows = []
    for step in proc.steps:
        actor = _e(_role_title(proc, step.actor))
        if step.actor_inferred:
            actor += f' <span class="flag">({_e(say("html.inferred"))})</span>'
        if step.joint is not None:
            actor += "<br>" + _e(say(f"render.joint.{step.joint.sign_off}", roles=", ".join(
                _role_title(proc, r) for r in step.joint.roles)))
        if step.participants:
            actor += "<br>" + _e(say("html.with", roles=", ".join(
                _role_title(proc, p.role) + (say("html.if", condition=p.when) if p.when else "")
                for p in step.participants)))
        timing = []
        if step.deadline is not None:
            timing.append(_e(say("render.deadline", span=duration_text(step.deadline,
                                                                       say.lang))))
        if step.estimate is not None:
            timing.append(_e(say("render.estimate", span=duration_text(step.estimate,
                                                                       say.lang))))
        if step.repeat is not None:
            timing.append(_e(repeat_text(
                step.repeat, say.lang,
                _step_name(proc, step.repeat.until_step) if step.repeat.until_step else None)))
        docs = []
        if step.requires:
            docs.append(f"<b>{_e(say('html.requires'))}</b><br>"
                        + _docs(proc, step.requires, say))
        if step.produces:
            docs.append(f"<b>{_e(say('html.produces'))}</b><br>"
                        + _docs(proc, step.produces, say))
        rows.append([f"<b>{_e(step.number)}</b>", f"{_e(step.title)}<br><code>{_e(step.id)}</code>",
                     actor, f'<span class="src">{_e(step.text)}</span>', "<br>".join(docs),
                     "<br>".join(timing) or "—", _then(proc, step, say)])
    return _table(say, ["html.col.number", "html.col.step", "html.col.actor",
                        "html.col.source_text", "html.col.documents", "html.col.deadline",
                        "html.col.then"], rows)


def _time_limit(proc: Procedure, say: _Words) -> str:
    limit = proc.time_limit
    amount = (f"{limit.amount} {say.word(limit.unit.value)}"
              if limit.amount is not None and limit.unit is not None
              else say("html.until_event", event=limit.event) if limit.event
              else say("html.not_given"))
    starts = say.word(limit.starts.value) + (f" ({limit.starts_after_step})"
                                              if limit.starts_after_step else "")
    yes, no = say("html.yes"), say("html.no")
    bound = say(f"html.bound.{limit.bound}") + (say("html.bound.min_note")
                                                 if limit.bound == "min" else "")
    stops = (say("html.tl.stops_at", step=_step_name(proc, limit.until_step))
             if limit.until_step else say("html.tl.stops_closed"))
    facts = [("html.tl.limit", f"{bound} {amount}" if limit.amount is not None else amount),
             ("html.tl.starts", starts), ("html.tl.stops", stops),
             ("html.tl.situational", yes if limit.situational else no),
             ("html.tl.extendable", yes if limit.extendable else no)]
    if limit.extension_rule:
        facts.append(("html.tl.extension_rule", limit.extension_rule))
    if limit.max_extension:
        facts.append(("html.tl.max_extension", duration_text(limit.max_extension, say.lang)))
    if limit.escalate_to:
        facts.append(("html.tl.escalate_to", _role_title(proc, limit.escalate_to)))
    rows = [[_e(say(k)), _e(v)] for k, v in facts]
    rows.append([_e(say("html.col.source_text")),
                 f'<span class="src">{_e(limit.source_text)}</span>'])
    return _table(say, ["html.col.item", "html.col.value"], rows)


def _phase_limits(proc: Procedure, say: _Words) -> str:
    return _table(say, ["html.col.id", "html.tl.limit", "html.tl.starts", "html.tl.stops",
                        "html.tl.escalate_to", "html.col.source_text"], [
        [f"<code>{_e(p.id)}</code>",
         _e(duration_text(Duration(amount=p.amount, unit=p.unit), say.lang)),
         _e(say.word(p.starts.value) + (f" ({p.starts_after_step})"
                                        if p.starts_after_step else "")),
         _e(say("html.tl.stops_at", step=_step_name(proc, p.until_step))),
         _e(_role_title(proc, p.escalate_to) if p.escalate_to else ""),
         f'<span class="src">{_e(p.source_text)}</span>'] for p in proc.phase_limits])


def _requirement_rows(proc: Procedure, requirements: tuple[Requirement, ...], say: _Words,
                      depth: int = 0) -> list[list[str]]:
    """One row per requirement, the items of an any-of/all-of group indented under it."""
    rows = []
    for r in requirements:
        named = ((r.document,) if r.document else ()) + r.documents
        by = [_docs(proc, named, say)] if named else []
        if r.fact:
            by.append(f"<code>{_e(r.fact)}</code>")
        if r.any_of or r.all_of:
            by.append(_e(say("html.any_of" if r.any_of else "html.all_of")))
        if r.presence.value != "required":
            by.append(_e(f"({say.word(r.presence.value)})"))
        indent = "&nbsp;&nbsp;&nbsp;&nbsp;" * depth
        rows.append([indent + _e(r.number if r.number is not None else ""),
                     f'{indent}<span class="src">{_e(r.text)}</span>', " ".join(by)])
        rows += _requirement_rows(proc, r.any_of or r.all_of, say, depth + 1)
    return rows


def _channel_rows(channels: tuple[ComplaintChannel, ...], say: _Words,
                  depth: int = 0) -> list[list[str]]:
    """One row per channel, the channels under one ("media sosial: ...") indented."""
    rows = []
    for c in channels:
        indent = "&nbsp;&nbsp;&nbsp;&nbsp;" * depth
        rows.append([indent + _e(c.channel + (f" ({c.platform})" if c.platform else "")),
                     _e(c.value or say("html.not_given_short")),
                     f'<span class="src">{_e(c.text)}</span>'])
        rows += _channel_rows(c.channels, say, depth + 1)
    return rows


def _document_kind(d: Document, say: _Words) -> str:
    """The kind, and how many in what form as the source says ("copy, 2 copies, 1 sheet")."""
    parts = [say(f"html.form.{d.form.value}")] if d.form else []
    if d.copies:
        parts.append(say("html.copies", n=d.copies))
    if d.sheets:
        parts.append(say("html.sheets", n=d.sheets))
    return _e(d.kind.value + (f" ({', '.join(parts)})" if parts else ""))


def _trace_windows(proc: Procedure, trace: Trace, say: _Words) -> list[str]:
    """A minimum (information, never a breach), phase limits breached, reports late."""
    out = []
    if trace.earliest_at is not None:
        if trace.closed_early:
            quote = proc.time_limit.source_text or ""
            out.append(f'<p class="note">{_e(say("html.min_early", at=trace.earliest_at))} '
                       f'<span class="src">{_e(quote)}</span></p>')
        else:
            out.append(f'<p class="meta">{_e(say("html.min_info", at=trace.earliest_at))}</p>')
    for phase_id in trace.phases_breached:
        phase = next((p for p in proc.phase_limits if p.id == phase_id), None)
        words = f' (<span class="src">{_e(phase.source_text)}</span>)' if phase else ""
        out.append(f'<p class="alert">{_e(say("html.phase_breached", phase=phase_id))}'
                   f"{words}</p>")
    for step_id in trace.reports_late:
        out.append(f'<p class="alert">'
                   f'{_e(say("html.report_late", step=_step_name(proc, step_id)))}</p>')
    return out


def _trace(proc: Procedure, trace: Trace, say: _Words) -> str:
    status = say.word(trace.status) if trace.status else say("render.decree_unknown")
    out = [f"<h2>{_e(say('html.case', case=trace.case_id))}</h2>",
           f"<p>{_e(say('html.status'))} <b>{_e(status)}</b>"]
    if trace.current_step:
        step = proc.step(trace.current_step)
        out[-1] += f"; {_e(say('html.current_step'))} <b>{_e(step.number)} {_e(step.title)}</b>"
    out[-1] += "</p>"
    if trace.case_breached:
        due = say("render.banner_due", date=trace.case_due_at) if trace.case_due_at else ""
        out.append(f'<p class="alert">{_e(say("html.case_breached", due=due))}</p>')
    out += _trace_windows(proc, trace, say)
    breached = f'<span class="alert">{_e(say("html.breached"))}</span>'
    rows = []
    for visit in trace.visits:
        step = proc.step(visit.step)
        signed = ("<br>" + _e(say("html.signed_by", roles=", ".join(
            _role_title(proc, r) for r in visit.signed_by))) if visit.signed_by else "")
        rows.append([f"{_e(step.number)} {_e(step.title)}{signed}", _e(visit.outcome or ""),
                     _e(visit.started_at or "?"), _e(visit.at),
                     _e(format_span(visit.seconds)) if visit.seconds is not None else "?",
                     _e(visit.due_at or "—"), breached if visit.breached else ""])
    if trace.current_step:
        step = proc.step(trace.current_step)
        rows.append([f"<b>{_e(step.number)} {_e(step.title)}</b>",
                     f"({_e(say('html.current_step_row'))})",
                     _e(trace.current_started_at or "?"), "—", "—",
                     _e(trace.current_due_at or "—"),
                     breached if trace.current_breached else ""])
    out.append(_table(say, ["html.col.step", "html.col.outcome", "html.col.started",
                            "html.col.completed", "html.col.spent", "html.col.due",
                            "html.col.deadline"], rows))
    return "\n".join(out)


def render_html(proc: Procedure, *, trace: Trace | None = None, svg: str | None = None,
                lang: str = "en") -> str:
    """The report of ``proc``; ``svg`` is the drawn graph (Graphviz), or None to embed the
    Mermaid source instead; ``lang`` the language of alur's own words."""
    say = _Words(lang)
    decree = (proc.decree.number if proc.decree.known and proc.decree.number
              else say("render.decree_unknown"))
    if proc.decree.date:
        decree += f" ({proc.decree.date})"
    agency = proc.agency
    where = ", ".join(x for x in (agency.unit, agency.name, agency.region) if x)
    contact = " · ".join(x for x in (agency.address, agency.phone, agency.website) if x)
    source = say("html.source", file=proc.source.file) if proc.source.file else ""
    out = ["<!DOCTYPE html>", '<html lang="' + _e(lang) + '">', "<head>",
           '<meta charset="utf-8">', f"<title>{_e(proc.title)}</title>",
           f"<style>\n{_STYLE}\n</style>", "</head>", "<body>",
           f'<h1 lang="{_e(proc.language)}">{_e(proc.title)}</h1>',
           f'<p class="meta">{_e(say("html.procedure", id=proc.id, version=proc.version))}'
           f"{_e(source)}</p>",
           f'<p class="meta">{_e(say("html.agency", agency=where))}</p>']
    if contact:
        out.append(f'<p class="meta">{_e(contact)}</p>')
    out.append(f'<p class="meta">{_e(say("html.decree", decree=decree))}</p>')
    if trace is not None:
        out.append(_trace(proc, trace, say))

    out.append(f"<h2>{_e(say('html.h.graph'))}</h2>")
    if svg is not None:
        out.append(f'<figure id="graph">\n{_inline_svg(svg)}\n</figure>')
    else:
        out.append(f'<p class="note">{_e(say("html.no_graphviz"))}</p>')
        out.append(f'<pre id="graph" class="mermaid-source">'
                   f"{_e(render_mermaid(proc, trace=trace, lang=lang))}</pre>")
    out.append('<ul class="legend">' + "".join(f"<li>{_e(say(x))}</li>" for x in _LEGEND)
               + "</ul>")

    out += [f"<h2>{_e(say('html.h.steps'))}</h2>", _steps(proc, say)]
    out += [f"<h2>{_e(say('html.h.roles'))}</h2>", _table(say, [
        "html.col.id", "html.col.title", "html.col.aliases", "html.col.kind", "html.col.members",
        "html.col.note"], [
        [f"<code>{_e(r.id)}</code>", _e(r.title), _e(", ".join(r.aliases)), _e(r.kind.value),
         _e(", ".join(_role_title(proc, m) for m in r.members)), _e(r.note or "")]
        for r in proc.roles])]
    out += [f"<h2>{_e(say('html.h.documents'))}</h2>", _table(say, [
        "html.col.id", "html.col.title", "html.col.kind", "html.col.presence",
        "html.col.sensitive", "html.col.note"], [
        [f"<code>{_e(d.id)}</code>", _e(d.title), _document_kind(d, say),
         _e(d.presence.value + (f" ({d.condition})" if d.condition else "")),
         f'<span class="sensitive">{_e(say("html.sensitive"))}</span>' if d.sensitive else "",
         _e(d.note or "")]
        for d in proc.documents])]
    out += [f"<h2>{_e(say('html.h.requirements'))}</h2>", _table(say, [
        "html.col.number", "html.col.source_text", "html.col.satisfied_by"],
        _requirement_rows(proc, proc.requirements, say))]
    out += [f"<h2>{_e(say('html.h.time_limit'))}</h2>", _time_limit(proc, say)]
    if proc.phase_limits:
        out += [f"<h2>{_e(say('html.h.phase_limits'))}</h2>", _phase_limits(proc, say)]
    rupiah = f"{proc.cost.amount:,}".replace(",", ".")
    out += [f"<h2>{_e(say('html.h.cost'))}</h2>",
            f'<p><span class="src">{_e(proc.cost.text)}</span> (Rp {rupiah})</p>']
    out += [f"<h2>{_e(say('html.h.products'))}</h2>", "<ul>" + "".join(
        f"<li>{_e(p.text)}" + (f" <code>{_e(p.document)}</code>" if p.document else "")
        + "</li>" for p in proc.products) + "</ul>"]
    out += [f"<h2>{_e(say('html.h.complaints'))}</h2>", _table(say, [
        "html.col.channel", "html.col.value", "html.col.as_published"],
        _channel_rows(proc.complaints, say))]
    out += [f"<h2>{_e(say('html.h.flags'))}</h2>", _table(say, [
        "html.col.id", "html.col.kind", "html.col.about", "html.col.quote", "html.col.note"], [
        [f"<code>{_e(f.id)}</code>", f'<span class="flag">{_e(f.kind)}</span>',
         f"<code>{_e(f.about)}</code>",
         f'<span class="src">{_e(f.quote)}</span>' if f.quote else "", _e(f.note)]
        for f in proc.flags])]
    missing = proc.missing_components()
    out += [f"<h2>{_e(say('html.h.missing', count=len(missing)))}</h2>",
            "<ul>" + "".join(f"<li><code>{_e(m)}</code></li>" for m in missing) + "</ul>"
            if missing else f"<p>{_e(say('html.none'))}</p>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
