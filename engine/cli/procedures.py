"""Commands about procedure files: ``validate``, ``schema``, ``show``."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
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
from engine.diagnostics import Diagnostic
from engine.errors import AlurError
from engine.messages import text, word
from engine.procedure.catalog import resolve, resolve_path
from engine.safe_text import printable


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
        markers = (_template_markers(checked.file, target, lang) if strict
                   and checked.kind == "procedure" and not checked.errors else [])
        diagnostics = sorted([*checked.diagnostics, *markers],
                             key=lambda d: (d.line, d.column, d.code))
        errors = len(checked.errors) + len(markers)
        bad = bool(errors) or (strict and bool(diagnostics))
        failed |= bad
        entry: dict[str, Any] = {"file": checked.file, "kind": checked.kind, "valid": not bad,
                                 "diagnostics": [d.to_dict() for d in diagnostics]}
        results.append(entry)
        if fmt == "text":
            for diagnostic in diagnostics:
                click.echo(diagnostic.format(lang))
            click.echo(text("cli.invalid" if bad else "cli.valid", lang, file=checked.file,
                            errors=errors, warnings=len(diagnostics) - errors)[0])
    if fmt == "json":
        click.echo(json.dumps({"valid": not failed, "files": results}, ensure_ascii=False,
                              indent=2))
    sys.exit(EXIT_NOT_FOUND if missing else EXIT_INVALID if failed else EXIT_OK)


def _template_markers(file: str, path: str | os.PathLike[str], lang: str) -> list[Diagnostic]:
    """R024 diagnostics of a procedure file's leftover placeholders (none when unreadable:
    the reader has reported that already)."""
    from engine.authoring.scaffold import template_markers

    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return template_markers(handle.read(), file, lang)
    except OSError:
        return []


@main.command()
def schema() -> None:
    """Print the JSON Schema of procedure files (for editors and other tools)."""
    from engine.procedure.shape import procedure_schema

    click.echo(json.dumps(procedure_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("proc", metavar="PROC")
@format_option
@click.pass_context
def show(ctx: click.Context, proc: str, fmt: str) -> None:
    """Summarise a procedure: everything its file says (time limit and its bound,
    requirements, steps with their conditions, roles and aliases, documents, facts, products,
    complaint channels, missing SP components, flags).

    PROC is a procedure file or the id of a procedure in ./procedures.
    """
    try:
        checked = resolve(proc, lang_of(ctx))
    except AlurError as exc:
        fail(exc, fmt)
    assert checked.procedure is not None
    # imported here: engine.render loads every renderer, which `alur validate` (a cold start
    # of this same module) does not need
    from engine.render.summary import summary

    data = summary(checked.procedure)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lang = lang_of(ctx)
    for text_line in _show_lines(data, lang):
        click.echo(printable(text_line))


def _plan_lines(plan: dict[str, Any], lang: str) -> Iterator[str]:
    """A plan step's services, each with its condition and who or what carries it out."""
    yield say(lang, "cli.proc.plan_all" if plan["join"] == "all" else "cli.proc.plan_any")
    if plan["text"]:
        yield "        " + say(lang, "cli.proc.quote", text=" ".join(plan["text"].split()))
    for service in plan["services"]:
        condition = f" [{service['when']}]" if service["when"] else ""
        who = (say(lang, "cli.proc.service_refer", procedure=service["refer"])
               if service["refer"] else service["actor"])
        yield f"            ⑂ {service['label']} ({service['id']}){condition} — {who}"


# a time limit's bound in words: a minimum is not a deadline, and says so
_BOUNDS = {"max": "cli.proc.bound_max", "min": "cli.proc.bound_min",
           "exact": "cli.proc.bound_exact"}


def _repeat_line(repeat: dict[str, Any], lang: str) -> str:
    """A recurring step's period (or none) and its end (a step, or how long it lasts)."""
    period = (say(lang, "cli.proc.repeat_every", amount=repeat["amount"],
                  unit=word(repeat["unit"], lang))
              if repeat["amount"] is not None else say(lang, "cli.proc.repeat_open"))
    end = (say(lang, "cli.proc.repeat_lasts", span=_words(repeat["lasts"], lang))
           if repeat["lasts"] else say(lang, "cli.proc.repeat_until", step=repeat["until_step"]))
    return say(lang, "cli.proc.repeat", period=period, end=end)


def _show_lines(data: dict[str, Any], lang: str) -> Iterator[str]:
    def line(code: str, **params: object) -> str:
        return say(lang, code, **params)

    yield f"{data['title']}  [{data['id']} v{data['version']}]"
    yield line("cli.proc.agency", agency=data["agency"])
    yield line("cli.proc.decree", decree=data["decree"] or line("cli.proc.no_decree"))
    limit = data["time_limit"]
    if limit["amount"] is not None:
        lasts = line("cli.proc.limit", amount=limit["amount"], unit=word(limit["unit"], lang),
                     starts=word(limit["starts"], lang))
    elif limit["event"]:  # a limit tied to an outside event: no amount, no unit to print
        lasts = line("cli.proc.limit_event", event=limit["event"],
                     starts=word(limit["starts"], lang))
    else:
        lasts = line("cli.proc.limit_none", starts=word(limit["starts"], lang))
    yield (lasts
           + (f" ({limit['starts_after_step']})" if limit["starts_after_step"] else "")
           + (line("cli.proc.until", step=limit["until_step"]) if limit["until_step"] else "")
           + line(_BOUNDS[limit["bound"]])
           + (line("cli.proc.situational") if limit["situational"] else ""))
    if limit["extendable"]:
        yield line("cli.proc.extendable", rule=limit["extension_rule"] or "-") + (
            line("cli.proc.max_extension", limit=_words(limit["max_extension"], lang))
            if limit["max_extension"] else "")
    if limit["escalate_to"]:
        yield line("cli.proc.escalate", role=limit["escalate_to"])
    if limit["source_text"]:
        yield line("cli.proc.quote", text=" ".join(limit["source_text"].split()))
    for phase in data["phase_limits"]:
        yield line("cli.proc.phase", id=phase["id"], amount=phase["amount"],
                   unit=word(phase["unit"], lang), starts=word(phase["starts"], lang),
                   step=phase["until_step"], source=phase["source_text"])
    yield line("cli.proc.cost", cost=data["cost"])
    if data["requirements"]:
        yield line("cli.proc.requirements")
        for req in data["requirements"]:
            yield from _requirement_lines(req, lang, 4)
    yield line("cli.proc.steps")
    for step in data["steps"]:
        actor = step["actor"] + (line("cli.proc.inferred") if step["actor_inferred"] else "")
        yield f"    {step['number']:>4}  {step['id']}: {step['title']} — {actor}"
        if step["repeat"]:
            yield _repeat_line(step["repeat"], lang)
        if step["joint"]:
            yield line("cli.proc.joint_all" if step["joint"]["sign_off"] == "all"
                       else "cli.proc.joint_any", roles=", ".join(step["joint"]["roles"]))
        if step["when"]:
            yield line("cli.proc.when", condition=step["when"])
        if step["participants"]:
            yield line("cli.proc.participants", items=", ".join(step["participants"]))
        if step["requires"]:
            yield line("cli.proc.requires", items=", ".join(step["requires"]))
        if step["produces"]:
            yield line("cli.proc.produces", items=", ".join(step["produces"]))
        if step["deadline"]:
            yield line("cli.proc.deadline", deadline=_words(step["deadline"], lang))
        if step["estimate"]:
            yield line("cli.proc.estimate", estimate=_words(step["estimate"], lang))
        if step["refer"]:
            yield line("cli.proc.refer", procedure=step["refer"])
        if step["plan"]:
            yield from _plan_lines(step["plan"], lang)
        if step["next"]:
            yield f"          → {_end(step['next'], lang)}"
        if step["question"]:
            yield f"          ? {step['question']}"
        for outcome in step["outcomes"]:
            condition = f" [{outcome['when']}]" if outcome["when"] else ""
            refer = line("cli.proc.refer_short", procedure=outcome["refer"]) \
                if outcome["refer"] else ""
            yield f"          ◇ {outcome['label']}{condition} → {_end(outcome['to'], lang)}{refer}"
    yield line("cli.proc.roles", roles=", ".join(
        f"{r['title']} ({r['id']}"
        + (line("cli.proc.aliases", names=" / ".join(r["aliases"])) if r["aliases"] else "")
        + ")" for r in data["roles"]))
    yield line("cli.proc.documents", documents=", ".join(
        d["id"] + (line("cli.proc.sensitive") if d["sensitive"] else "") + _form(d, lang)
        for d in data["documents"]))
    if data["facts"]:
        yield line("cli.proc.facts", facts=", ".join(
            f"{f['id']} ({f['type']}{': ' + '/'.join(f['values']) if f['values'] else ''})"
            + (line("cli.proc.required") if f["required"] else "")
            + (line("cli.proc.sensitive") if f["sensitive"] else "")
            for f in data["facts"]))
    yield line("cli.proc.products", products="; ".join(
        shown + (line("cli.proc.issued_outside") if item["issued_outside"] else "")
        for shown, item in zip(data["products"], data["product_items"], strict=True))
        or line("cli.proc.no_amount"))
    if data["complaints"]:
        yield line("cli.proc.complaints")
        for channel in data["complaints"]:
            yield from _channel_lines(channel, 4)
    else:
        yield line("cli.proc.complaints_none")
    missing = data["missing_components"]
    yield line("cli.proc.missing", count=len(missing),
               missing=", ".join(missing) or line("cli.none"))
    for flag in data["flags"]:
        yield line("cli.proc.flag", kind=flag["kind"], about=flag["about"], note=flag["note"])
        if flag["quote"]:
            yield "    " + line("cli.proc.quote", text=" ".join(flag["quote"].split()))


def _requirement_lines(req: dict[str, Any], lang: str, indent: int) -> Iterator[str]:
    number = f"{req['number']}  " if req["number"] else ""
    named = req["documents"] + ([req["fact"]] if req["fact"] else [])
    extra = ""
    if named:
        extra += f" ({', '.join(named)})"
    if req["presence"] == "optional":
        extra += say(lang, "cli.proc.optional")
    elif req["condition"]:
        extra += say(lang, "cli.proc.if", condition=req["condition"])
    if req["gates"] is not None:
        extra += say(lang, "cli.proc.gates", gates=", ".join(req["gates"]) or "-")
    yield " " * indent + f"{number}{' '.join(req['text'].split())}{extra}"
    for group in ("any_of", "all_of"):
        if req[group]:
            yield " " * (indent + 2) + say(lang, f"cli.proc.{group}")
            for item in req[group]:
                yield from _requirement_lines(item, lang, indent + 4)


def _channel_lines(channel: dict[str, Any], indent: int) -> Iterator[str]:
    kind = channel["channel"] + (f" ({channel['platform']})" if channel["platform"] else "")
    value = f": {channel['value']}" if channel["value"] else ""
    yield " " * indent + f"{kind}{value} — {' '.join(channel['text'].split())}"
    for inner in channel["channels"]:
        yield from _channel_lines(inner, indent + 4)


def _words(duration: str, lang: str) -> str:
    """``"3 working_days"`` (as the summary holds it) in words: ``3 working day(s)``."""
    amount, unit = duration.split(" ", 1)
    return f"{amount} {word(unit, lang)}"


def _form(document: dict[str, Any], lang: str) -> str:
    """`` (copy, 2 copies, 1 sheet)`` as the source states it; empty when it states none."""
    parts = [word(document["form"], lang)] if document["form"] else []
    if document["copies"]:
        parts.append(say(lang, "cli.proc.copies", count=document["copies"]))
    if document["sheets"]:
        parts.append(say(lang, "cli.proc.sheets", count=document["sheets"]))
    return f" ({', '.join(parts)})" if parts else ""


def _end(target: str, lang: str) -> str:
    """A step's successor for people: a step id, or "end: <how>" in the chosen language."""
    if target.startswith("end: "):
        return say(lang, "cli.proc.end", end=target.removeprefix("end: "))
    return target
