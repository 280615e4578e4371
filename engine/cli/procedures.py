"""Commands about procedure files: ``validate``, ``schema``, ``show``."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any

import click

from engine.cases.files import KINDS, check_file
from engine.cli.app import (
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    EXIT_OK,
    fail,
    format_option,
    lang_of,
    main,
    say,
)
from engine.errors import AlurError
from engine.messages import text, word
from engine.procedure.catalog import resolve, resolve_path
from engine.procedure.model import Procedure


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@format_option
@click.option("--strict", is_flag=True,
              help="Treat warnings as errors, and refuse placeholders left from 'alur new'.")
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="What the files are (default: told from each file's top-level keys).")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], fmt: str, strict: bool,
             kind: str | None) -> None:
    """Check procedures, rosters, case files and calendar override files; report every problem
    with file:line:col and a fix hint.

    Exit 0 when all are valid (warnings allowed unless --strict), 1 when any is invalid, 3 when
    a file does not exist.
    """
    lang = lang_of(ctx)
    results = []
    failed = missing = False
    for path in paths:
        target = path
        if not os.path.exists(path) and kind in (None, "procedure"):
            with contextlib.suppress(AlurError):  # else reported as Y009 by the reader
                target = str(resolve_path(path, lang))  # a procedure id from procedures/
        missing |= not os.path.exists(target)
        checked = check_file(target, kind, lang)
        markers = (_template_markers(target) if strict and checked.kind == "procedure"
                   and not checked.errors else [])
        errors = len(checked.errors) + len(markers)
        bad = bool(errors) or (strict and bool(checked.diagnostics))
        failed |= bad
        entry: dict[str, Any] = {"file": checked.file, "kind": checked.kind, "valid": not bad,
                                 "diagnostics": [d.to_dict() for d in checked.diagnostics]}
        if strict:
            entry["template_markers"] = [{"line": n, "marker": m} for n, m in markers]
        results.append(entry)
        if fmt == "text":
            for diagnostic in checked.diagnostics:
                click.echo(diagnostic.format(lang))
            for number, marker in markers:
                click.echo(say(lang, "cli.template_marker", file=checked.file, line=number,
                               marker=marker))
            warnings = len(checked.diagnostics) - errors
            click.echo(text("cli.invalid" if bad else "cli.valid", lang, file=checked.file,
                            errors=errors, warnings=warnings)[0])
    if fmt == "json":
        click.echo(json.dumps({"valid": not failed, "files": results}, ensure_ascii=False,
                              indent=2))
    sys.exit(EXIT_NOT_FOUND if missing else EXIT_INVALID if failed else EXIT_OK)


def _template_markers(path: str | os.PathLike[str]) -> list[tuple[int, str]]:
    """Lines of a procedure file that still hold a placeholder of ``alur new``'s skeleton
    (``GANTI`` / ``REPLACE``), outside comments: the SP's own text was never filled in."""
    import re

    from engine.authoring.scaffold import TEMPLATE_MARKERS

    pattern = re.compile(r"\b(" + "|".join(TEMPLATE_MARKERS) + r")\b")
    found = []
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if line.lstrip().startswith("#"):
                    continue
                match = pattern.search(line)
                if match:
                    found.append((number, match.group(1)))
    except OSError:
        return []
    return found


@main.command()
def schema() -> None:
    """Print the JSON Schema of procedure files (for editors and other tools)."""
    from engine.procedure.shape import procedure_schema

    click.echo(json.dumps(procedure_schema(), ensure_ascii=False, indent=2))


def summary(proc: Procedure) -> dict[str, Any]:
    """What ``alur show`` prints, as data."""
    roles = {r.id: r.title for r in proc.roles}
    return {
        "id": proc.id, "title": proc.title, "version": proc.version,
        "agency": f"{proc.agency.name} ({proc.agency.region})",
        "decree": proc.decree.number if proc.decree.known else None,
        "time_limit": {"amount": proc.time_limit.amount, "unit": proc.time_limit.unit.value,
                       "starts": proc.time_limit.starts.value,
                       "situational": proc.time_limit.situational,
                       "until_step": proc.time_limit.until_step,
                       "source_text": proc.time_limit.source_text},
        "phase_limits": [{"id": p.id, "amount": p.amount, "unit": p.unit.value,
                          "starts": p.starts.value, "starts_after_step": p.starts_after_step,
                          "until_step": p.until_step, "escalate_to": p.escalate_to,
                          "source_text": p.source_text} for p in proc.phase_limits],
        "cost": proc.cost.text,
        "steps": [{"id": s.id, "number": s.number, "title": s.title,
                   "actor": roles.get(s.actor, s.actor), "actor_inferred": s.actor_inferred,
                   "repeat": None if s.repeat is None else {
                       "every": f"{s.repeat.every.amount} {s.repeat.every.unit.value}",
                       "amount": s.repeat.every.amount, "unit": s.repeat.every.unit.value,
                       "until_step": s.repeat.until_step},
                   "joint": None if s.joint is None else {
                       "roles": [roles.get(r, r) for r in s.joint.roles],
                       "sign_off": s.joint.sign_off},
                   "requires": list(s.requires), "produces": list(s.produces),
                   "deadline": f"{s.deadline.amount} {s.deadline.unit.value}" if s.deadline
                   else None,
                   "next": s.next or (f"end: {s.end.value}" if s.end else None),
                   "outcomes": [{"id": o.id, "label": o.label,
                                 "to": o.next or f"end: {o.end.value if o.end else '?'}"}
                                for o in (s.decision.outcomes if s.decision else ())]}
                  for s in proc.steps],
        "roles": [{"id": r.id, "title": r.title, "kind": r.kind.value,
                   "members": list(r.members)} for r in proc.roles],
        "documents": [{"id": d.id, "title": d.title, "kind": d.kind.value,
                       "presence": d.presence.value, "sensitive": d.sensitive}
                      for d in proc.documents],
        "missing_components": proc.missing_components(),
        "flags": [{"id": f.id, "kind": f.kind, "about": f.about, "note": f.note}
                  for f in proc.flags],
    }


@main.command()
@click.argument("proc", metavar="PROC")
@format_option
@click.pass_context
def show(ctx: click.Context, proc: str, fmt: str) -> None:
    """Summarise a procedure: steps, roles, documents, deadlines, missing SP components, flags.

    PROC is a procedure file or the id of a procedure in ./procedures.
    """
    try:
        checked = resolve(proc, lang_of(ctx))
    except AlurError as exc:
        fail(exc, fmt)
    assert checked.procedure is not None
    data = summary(checked.procedure)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    echo, lang = click.echo, lang_of(ctx)

    def line(code: str, **params: object) -> str:
        return say(lang, code, **params)

    echo(f"{data['title']}  [{data['id']} v{data['version']}]")
    echo(line("cli.proc.agency", agency=data["agency"]))
    echo(line("cli.proc.decree", decree=data["decree"] or line("cli.proc.no_decree")))
    limit = data["time_limit"]
    amount = limit["amount"] if limit["amount"] is not None else line("cli.proc.no_amount")
    echo(line("cli.proc.limit", amount=amount, unit=word(limit["unit"], lang),
              starts=word(limit["starts"], lang))
         + (line("cli.proc.until", step=limit["until_step"]) if limit["until_step"] else "")
         + (line("cli.proc.situational") if limit["situational"] else ""))
    for phase in data["phase_limits"]:
        echo(line("cli.proc.phase", id=phase["id"], amount=phase["amount"],
                  unit=word(phase["unit"], lang), starts=word(phase["starts"], lang),
                  step=phase["until_step"], source=phase["source_text"]))
    echo(line("cli.proc.cost", cost=data["cost"]))
    echo(line("cli.proc.steps"))
    for step in data["steps"]:
        actor = step["actor"] + (line("cli.proc.inferred") if step["actor_inferred"] else "")
        echo(f"    {step['number']:>4}  {step['id']}: {step['title']} — {actor}")
        if step["repeat"]:
            echo(line("cli.proc.repeat", amount=step["repeat"]["amount"],
                      unit=word(step["repeat"]["unit"], lang), step=step["repeat"]["until_step"]))
        if step["joint"]:
            echo(line("cli.proc.joint_all" if step["joint"]["sign_off"] == "all"
                      else "cli.proc.joint_any", roles=", ".join(step["joint"]["roles"])))
        if step["requires"]:
            echo(line("cli.proc.requires", items=", ".join(step["requires"])))
        if step["produces"]:
            echo(line("cli.proc.produces", items=", ".join(step["produces"])))
        if step["deadline"]:
            echo(line("cli.proc.deadline", deadline=step["deadline"]))
        if step["next"]:
            echo(f"          → {_end(step['next'], lang)}")
        for outcome in step["outcomes"]:
            echo(f"          ◇ {outcome['label']} → {_end(outcome['to'], lang)}")
    echo(line("cli.proc.roles", roles=", ".join(f"{r['title']} ({r['id']})"
                                               for r in data["roles"])))
    echo(line("cli.proc.documents", documents=", ".join(
        d["id"] + (line("cli.proc.sensitive") if d["sensitive"] else "")
        for d in data["documents"])))
    missing = data["missing_components"]
    echo(line("cli.proc.missing", count=len(missing),
              missing=", ".join(missing) or line("cli.none")))
    for flag in data["flags"]:
        echo(line("cli.proc.flag", kind=flag["kind"], about=flag["about"], note=flag["note"]))


def _end(target: str, lang: str) -> str:
    """A step's successor for people: a step id, or "end: <how>" in the chosen language."""
    if target.startswith("end: "):
        return say(lang, "cli.proc.end", end=target.removeprefix("end: "))
    return target
