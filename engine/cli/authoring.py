"""Commands that help write procedure files: ``import`` (draft from an SP text) and ``new``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from engine.authoring.importer import MAX_INPUT_CHARS, Draft, draft_procedure, slug
from engine.authoring.scaffold import TIMEZONES, Answers, modeline_for, scaffold, valid_id
from engine.cli.app import EXIT_OK, fail, format_option, lang_of, main, say
from engine.errors import AlurError, FileNotFound
from engine.procedure.catalog import procedures_dir
from engine.procedure.source import format_path

MAX_SOURCE_BYTES = 4 * MAX_INPUT_CHARS  # a published SP is a few kilobytes (UTF-8: 4 bytes
# a character at most); the text itself may have MAX_INPUT_CHARS characters


def _read_source(source: str, lang: str = "en") -> tuple[str, str | None]:
    """The text of the SP file (``-`` = stdin) and a note when it was not UTF-8."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_SOURCE_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        problem = exc.strerror or str(exc)
        error = FileNotFound if isinstance(exc, FileNotFoundError) else AlurError
        raise error.of("err.import.unreadable", lang, source=source, problem=problem) from exc
    if len(raw) > MAX_SOURCE_BYTES:
        raise AlurError.of("err.import_too_large", lang, source=source, limit=MAX_INPUT_CHARS)
    try:
        text, note = raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        text, note = raw.decode("cp1252", errors="replace"), say(lang, "cli.import.not_utf8")
    if len(text) > MAX_INPUT_CHARS:  # the importer would cut it: say so instead of a half draft
        raise AlurError.of("err.import_too_large", lang, source=source, limit=MAX_INPUT_CHARS)
    return text, note


def _write(path: Path, text: str, force: bool, lang: str = "en") -> None:
    if path.exists() and not force:
        raise AlurError.of("err.write.exists", lang, path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        problem = exc.strerror or str(exc)
        raise AlurError.of("err.write.failed", lang, path=path, problem=problem) from exc


@main.command("import")
@click.argument("source", metavar="SP.txt")
@click.option("-o", "--output", default=None, metavar="FILE",
              help="Write the draft to FILE (e.g. procedures/NAME.yaml); default: stdout.")
@click.option("--id", "proc_id", default=None, help="Procedure id (default: from the title).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@format_option
@click.pass_context
def import_(ctx: click.Context, source: str, output: str | None, proc_id: str | None,
            force: bool, fmt: str) -> None:
    """Draft a procedure from the plain text of a published Standar Pelayanan.

    Every section is extracted with its text verbatim; whatever is guessed (actors, time
    units, decisions, ...) is marked with a '# REVIEW:' comment and a flag. The draft always
    validates. Exit 0, or 1 when SP.txt cannot be read or FILE exists (without --force).
    """
    lang = lang_of(ctx)
    try:
        text, encoding_note = _read_source(source, lang)
    except AlurError as exc:
        fail(exc, fmt)
    name = "stdin" if source == "-" else Path(source).name
    target = Path(output) if output else None
    draft = draft_procedure(text, source_name=name, proc_id=proc_id, lang=lang,
                            modeline=modeline_for(target or procedures_dir() / "x.yaml"))
    if target is not None:
        try:
            _write(target, draft.yaml, force, lang)
        except AlurError as exc:
            fail(exc, fmt)
    if fmt == "json":
        click.echo(json.dumps({
            # a draft with points to review is well-formed (it loads) but never "valid": its
            # guesses and placeholders are not the source's yet (issue #17)
            "file": str(target) if target else None, "id": draft.procedure_id,
            "well_formed": True, "valid": not draft.notes, "to_review": len(draft.notes),
            "fallback": draft.fallback, "encoding": encoding_note,
            "notes": [n.to_dict() for n in draft.notes],
            "diagnostics": [d.to_dict() for d in draft.diagnostics],
            "yaml": None if target else draft.yaml}, ensure_ascii=False, indent=2))
        sys.exit(EXIT_OK)
    if target is None:
        click.echo(draft.yaml, nl=False)
    _report(draft, target, encoding_note, lang, err=target is None)
    sys.exit(EXIT_OK)


# the kinds of a draft's review notes, as the flags of a procedure call them (docs/panduan.md)
_NOTE_KINDS = {"inference": "term.note_inference", "assumption": "term.note_assumption",
               "gap": "term.note_gap", "conflict": "term.note_conflict", "typo": "term.note_typo"}


def _report(draft: Draft, target: Path | None, encoding_note: str | None, lang: str,
            err: bool) -> None:
    echo = click.echo
    where = str(target) if target else "stdout"
    echo(say(lang, "cli.import.summary" if draft.notes else "cli.import.summary_ready",
             where=where, id=draft.procedure_id, warnings=len(draft.diagnostics),
             notes=len(draft.notes)), err=err)
    if encoding_note:
        echo(f"  ! {encoding_note}", err=err)
    if draft.fallback:
        echo(f"  ! {say(lang, 'cli.import.fallback', level=draft.fallback)}", err=err)
    for note in draft.notes:
        kind = say(lang, _NOTE_KINDS[note.kind]) if note.kind in _NOTE_KINDS else note.kind
        echo(f"  {format_path(note.path)} [{kind}] {note.message}", err=err)
    for diagnostic in draft.diagnostics:
        echo("  " + diagnostic.format(lang), err=err)
    if target is not None:
        echo(say(lang, "cli.import.next", target=target), err=err)


@main.command("new")
@click.option("-o", "--output", default=None, metavar="FILE",
              help="File to write (default: PROCEDURES/<id>.yaml; '-' = stdout).")
@click.option("--id", "proc_id", default=None, help="Procedure id: lower_snake_case.")
@click.option("--title", default=None, help="Service name as published.")
@click.option("--agency", default=None, help="Agency name as published.")
@click.option("--region", default=None, help="Region, e.g. 'Kota Pasuruan'.")
@click.option("--unit", default=None, help="Delivering unit, e.g. 'UPTD PPA' (optional).")
@click.option("--timezone", type=click.Choice(TIMEZONES), default=None,
              help="WIB Asia/Jakarta (default), WITA Asia/Makassar, WIT Asia/Jayapura.")
@click.option("--interactive/--no-interactive", default=None,
              help="Ask for missing answers (default: when stdin is a terminal).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.pass_context
def new(ctx: click.Context, output: str | None, proc_id: str | None, title: str | None,
        agency: str | None, region: str | None, unit: str | None, timezone: str | None,
        interactive: bool | None, force: bool) -> None:
    """Write a new, valid procedure skeleton with every key explained (ID and EN).

    Missing answers are asked for when stdin is a terminal (or with --interactive), otherwise
    defaults are used. Exit 1 when FILE exists (without --force) or cannot be written.
    """
    lang = lang_of(ctx)
    ask = sys.stdin.isatty() if interactive is None else interactive
    defaults = Answers()
    if proc_id is not None and not valid_id(proc_id):
        raise click.BadParameter(say(lang, "cli.param.bad_id"),
                                 param_hint="--id")

    def answer(value: str | None, question: str, default: str) -> str:
        if value is not None:
            return value.strip() or default
        if not ask:
            return default
        prompted = click.prompt(say(lang, question), default=default, err=output == "-")
        return str(prompted).strip()[:500] or default

    title_ = answer(title, "cli.new.ask_title", defaults.title)
    suggested = proc_id or _id_from_title(title_)
    if proc_id is None and ask:
        proc_id = click.prompt(say(lang, "cli.new.ask_id"),
                               default=suggested, err=output == "-",
                               value_proc=_id_value)
    proc_id = proc_id or suggested
    agency_ = answer(agency, "cli.new.ask_agency", defaults.agency)
    region_ = answer(region, "cli.new.ask_region", defaults.region)
    unit_ = answer(unit, "cli.new.ask_unit", "-")
    if timezone is None and ask:
        timezone = click.prompt(say(lang, "cli.new.ask_timezone"),
                                type=click.Choice(TIMEZONES), default="Asia/Jakarta",
                                err=output == "-")
    answers = Answers(id=proc_id, title=title_, agency=agency_, region=region_,
                      timezone=timezone or "Asia/Jakarta",
                      unit=None if unit_ in ("", "-") else unit_)
    target = None if output == "-" else Path(output) if output else \
        procedures_dir() / f"{answers.id}.yaml"
    try:
        text = scaffold(answers, modeline_for(target or procedures_dir() / "x.yaml"))
    except ValueError as exc:
        fail(AlurError.of("err.new.invalid", lang, problem=exc))
    if target is None:
        click.echo(text, nl=False)
        sys.exit(EXIT_OK)
    try:
        _write(target, text, force, lang)
    except AlurError as exc:
        fail(exc)
    click.echo(say(lang, "cli.new.written", target=target, id=answers.id))
    sys.exit(EXIT_OK)


def _id_from_title(title: str) -> str:
    words = [w for w in title.split() if w.lower() not in ("layanan", "pelayanan")]
    return slug(" ".join(words) or title, "layanan", max_words=4, max_len=40)


def _id_value(value: str) -> str:
    value = value.strip()
    if not valid_id(value):
        raise click.UsageError(say(lang_of(click.get_current_context()), "cli.param.bad_id"))
    return value


__all__ = ["import_", "new"]
