"""``alur graph``: draw a procedure (optionally with one case's path over it).

Parses the options, renders through :func:`engine.render.render` and writes the result to a file
or stdout. The engine and its store are imported only with ``--case`` (cold start).
"""

from __future__ import annotations

from pathlib import Path

import click

from engine.catalog import resolve
from engine.cli.app import db_of, db_option, fail, lang_of, main, say
from engine.errors import AlurError, UsageError
from engine.model import Procedure
from engine.render import FORMATS, Trace, case_trace, render


@main.command()
@click.argument("proc", metavar="PROC")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="dot", show_default=True,
              help="dot and mermaid are text; svg, png (and the graph in html) need Graphviz.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Write to FILE instead of stdout (required for png).")
@click.option("--case", "case_id", default=None, metavar="CASE",
              help="Draw the path of CASE over the graph: visited steps, time spent, "
                   "breaches, current step.")
@db_option
@click.pass_context
def graph(ctx: click.Context, proc: str, fmt: str, output: Path | None, case_id: str | None,
          db: str | None) -> None:
    """Draw PROC as DOT, SVG, PNG, Mermaid or a self-contained HTML report.

    PROC is a procedure file or the id of a procedure in ./procedures. Lanes are roles, boxes
    steps, diamonds decisions, double circles how a case ends; see docs/auditing.md.
    """
    try:
        if fmt == "png" and output is None:
            raise UsageError("PNG is binary and is not written to the terminal",
                             hint="give a file: -o graph.png")
        procedure = resolve(proc, lang_of(ctx)).procedure
        assert procedure is not None
        trace = _trace(ctx, procedure, case_id, db) if case_id else None
        result = render(procedure, fmt, trace=trace, lang=lang_of(ctx))
    except AlurError as exc:
        fail(exc)
    if output is None:
        assert isinstance(result, str)
        click.echo(result, nl=False)
        return
    try:
        if isinstance(result, bytes):
            output.write_bytes(result)
        else:
            output.write_text(result, encoding="utf-8")
    except OSError as exc:
        fail(UsageError(f"cannot write {output}: {exc.strerror or exc}",
                        hint="check that the folder exists and is writable"))
    click.echo(say(lang_of(ctx), "cli.wrote", file=output), err=True)


def _trace(ctx: click.Context, procedure: Procedure, case_id: str, db: str | None) -> Trace:
    from engine.api import Engine  # the store loads only when a case is drawn

    with Engine(db_of(ctx, db), lang=lang_of(ctx)) as engine:
        state = engine.case(case_id)
    if state.procedure_id != procedure.id:
        raise UsageError(f"case {case_id} belongs to procedure '{state.procedure_id}', "
                         f"not '{procedure.id}'",
                         hint=f"run: alur graph {state.procedure_id} --case {case_id}")
    if state.procedure_version != procedure.version:
        click.echo(say(lang_of(ctx), "cli.graph.version", case=case_id,
                       opened=state.procedure_version, procedure=procedure.id,
                       drawn=procedure.version), err=True)
    return case_trace(procedure, state)
