"""``alur graph``: draw a procedure (optionally with one case's path over it).

Parses the options, renders through :func:`engine.render.render` and writes the result to a file
or stdout. The engine and its store are imported only with ``--case`` (cold start).
"""

from __future__ import annotations

from pathlib import Path

import click

from engine.cli.app import db_of, db_option, fail, lang_of, main, say
from engine.errors import AlurError, UsageError
from engine.procedure.catalog import resolve
from engine.procedure.model import Procedure
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
@click.option("--user", "-u", default=None, help="Who reads CASE (required with a roster).")
@click.option("--role", "-r", default=None, help="The role they read CASE in.")
@click.option("--roster", default=None, metavar="FILE",
              help="Roster file mapping users to roles (default $ALUR_ROSTER).")
@db_option
@click.pass_context
def graph(ctx: click.Context, proc: str, fmt: str, output: Path | None, case_id: str | None,
          user: str | None, role: str | None, roster: str | None, db: str | None) -> None:
    """Draw PROC as DOT, SVG, PNG, Mermaid or a self-contained HTML report.

    PROC is a procedure file or the id of a procedure in ./procedures. Lanes are roles, boxes
    steps, diamonds decisions, double circles how a case ends; see docs/auditing.md.
    """
    try:
        if fmt == "png" and output is None:
            raise UsageError.of("err.cli.png_terminal", lang_of(ctx))
        procedure = resolve(proc, lang_of(ctx)).procedure
        assert procedure is not None
        trace = _trace(ctx, procedure, case_id, db, user, role, roster) if case_id else None
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
        fail(UsageError.of("err.write.failed", lang_of(ctx), path=output,
                           problem=exc.strerror or exc))
    click.echo(say(lang_of(ctx), "cli.wrote", file=output), err=True)


def _trace(ctx: click.Context, procedure: Procedure, case_id: str, db: str | None,
           user: str | None, role: str | None, roster: str | None) -> Trace:
    from engine.api import Engine  # the store loads only when a case is drawn
    from engine.cases.roster import load_roster, roster_path

    lang = lang_of(ctx)
    path = roster_path(roster, lang)
    loaded = load_roster(path, lang) if path else None
    with Engine(db_of(ctx, db), lang=lang, roster=loaded) as engine:
        # a case's path names who did what: read as a case is read (access.read, the roster)
        state = engine.read_case(engine.resolve(case_id), user=user, role=role)
    if state.procedure_id != procedure.id:
        raise UsageError.of("err.cli.case_other_procedure", lang_of(ctx), case=case_id,
                            procedure=state.procedure_id, given=procedure.id)
    if state.procedure_version != procedure.version:
        click.echo(say(lang_of(ctx), "cli.graph.version", case=case_id,
                       opened=state.procedure_version, procedure=procedure.id,
                       drawn=procedure.version), err=True)
    return case_trace(procedure, state)
