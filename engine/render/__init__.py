"""Renderers: a procedure (and optionally one case) as a picture or a report.

Every renderer is a function ``(proc, *, trace) -> str | bytes`` registered by name in
:data:`RENDERERS` (an explicit registry: add a format by adding an entry). They work from the
procedure model and its plain graph (:func:`engine.procedure.graph.procedure_graph`) plus, for the
case
overlay, a :class:`~engine.render.trace.Trace` made from the case state; they never touch the
store or a live machine, and return the text (bytes for PNG) instead of writing it.

===========  =======  ===========================================================
format       returns  made by
===========  =======  ===========================================================
``dot``      str      :mod:`.dot` (Graphviz source)
``mermaid``  str      :mod:`.mermaid` (``flowchart TD`` for Markdown)
``svg``      str      :mod:`.dot` through the ``dot`` program (:mod:`.image`)
``png``      bytes    the same
``html``     str      :mod:`.html`, one offline file; SVG inlined when ``dot`` exists
===========  =======  ===========================================================

Modules: :mod:`.trace` (case overlay data), :mod:`.scene` (the drawing as data, shared by DOT
and Mermaid), :mod:`.dot`, :mod:`.mermaid`, :mod:`.image` (the only one that runs a program),
:mod:`.html`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from engine.cases.state import CaseState
from engine.errors import UsageError
from engine.procedure.model import Procedure
from engine.render.dot import render_dot
from engine.render.html import render_html
from engine.render.image import dot_to_image
from engine.render.mermaid import render_mermaid
from engine.render.trace import Trace, case_trace

__all__ = ["FORMATS", "RENDERERS", "Renderer", "Trace", "case_trace", "render"]


PNG_DPI = 144  # 1.5 x the screen default, so the small detail lines stay readable


class Renderer(Protocol):
    def __call__(self, proc: Procedure, *, trace: Trace | None = None,
                 lang: str = "en") -> str | bytes: ...


def render_svg(proc: Procedure, *, trace: Trace | None = None, lang: str = "en") -> str:
    """The Graphviz SVG of ``proc``; UsageError when ``dot`` is not installed."""
    return dot_to_image(render_dot(proc, trace=trace, lang=lang), "svg").decode("utf-8")


def render_png(proc: Procedure, *, trace: Trace | None = None, lang: str = "en") -> bytes:
    """The Graphviz PNG of ``proc``; UsageError when ``dot`` is not installed."""
    return dot_to_image(render_dot(proc, trace=trace, dpi=PNG_DPI, lang=lang), "png")


def render_report(proc: Procedure, *, trace: Trace | None = None, lang: str = "en") -> str:
    """The HTML report, with the SVG inlined, or the Mermaid source when ``dot`` is missing;
    alur's own words (and the graph's) in ``lang``."""
    try:
        svg: str | None = render_svg(proc, trace=trace, lang=lang)
    except UsageError:
        svg = None
    return render_html(proc, trace=trace, svg=svg, lang=lang)


RENDERERS: dict[str, Renderer] = {
    "dot": render_dot,
    "mermaid": render_mermaid,
    "svg": render_svg,
    "png": render_png,
    "html": render_report,
}
FORMATS = tuple(RENDERERS)


def render(proc: Procedure, fmt: str, *,
           trace: Trace | CaseState | Mapping[str, Any] | None = None,
           lang: str = "en") -> str | bytes:
    """``proc`` in format ``fmt`` (a key of :data:`RENDERERS`); ``trace`` is a case to draw
    over it: a :class:`~engine.cases.state.CaseState`, its ``to_dict()``, or a ready :class:`Trace`.
    Raises UsageError for an unknown format, a case of another procedure, or (svg, png) when
    Graphviz is not installed."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise UsageError.of("render.unknown_format", lang, format=fmt,
                            formats=", ".join(FORMATS)) from None
    overlay = trace if isinstance(trace, Trace) or trace is None else case_trace(proc, trace)
    return renderer(proc, trace=overlay, lang=lang)
