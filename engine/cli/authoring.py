"""Commands that help write procedure files: ``import`` (draft from an SP text) and ``new``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from engine.catalog import procedures_dir
from engine.cli.app import EXIT_OK, fail, format_option, lang_of, main
from engine.errors import AlurError, FileNotFound
from engine.importer import Draft, draft_procedure, slug
from engine.messages import text as message_text
from engine.scaffold import TIMEZONES, Answers, modeline_for, scaffold, valid_id
from engine.source import format_path

MAX_SOURCE_BYTES = 1_048_576  # a published SP is a few kilobytes


def _say(lang: str, en: str, idn: str) -> str:
    return idn if lang == "id" else en


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
        raise (FileNotFound if isinstance(exc, FileNotFoundError) else AlurError)(
            _say(lang, f"cannot read '{source}': {problem}",
                 f"berkas '{source}' tidak dapat dibaca: {problem}"),
            hint=_say(lang, "give the path of the SP copied as plain text (.txt)",
                      "berikan jalur teks SP yang disalin sebagai teks biasa (.txt)")) from exc
    if len(raw) > MAX_SOURCE_BYTES:
        raise AlurError(
            _say(lang, f"'{source}' is larger than {MAX_SOURCE_BYTES} bytes: not an SP text",
                 f"'{source}' lebih dari {MAX_SOURCE_BYTES} bita: bukan teks SP"),
            hint=_say(lang, "copy the text of the Standar Pelayanan into a .txt file",
                      "salin teks Standar Pelayanan ke berkas .txt"))
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), _say(
            lang, "the file is not UTF-8: read as Windows-1252; check accented letters",
            "berkas bukan UTF-8: dibaca sebagai Windows-1252; periksa huruf beraksen")


def _write(path: Path, text: str, force: bool, lang: str = "en") -> None:
    if path.exists() and not force:
        raise AlurError(
            _say(lang, f"'{path}' already exists; not overwritten",
                 f"'{path}' sudah ada; tidak ditimpa"),
            hint=_say(lang, "choose another -o FILE, or add --force to replace it",
                      "pilih -o BERKAS lain, atau tambahkan --force untuk menggantinya"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        problem = exc.strerror or str(exc)
        raise AlurError(
            _say(lang, f"cannot write '{path}': {problem}",
                 f"'{path}' tidak dapat ditulis: {problem}"),
            hint=_say(lang, "check the folder exists and may be written",
                      "periksa foldernya ada dan boleh ditulisi")) from exc


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
            "file": str(target) if target else None, "id": draft.procedure_id, "valid": True,
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
_NOTE_KINDS = {"inference": "penyimpulan", "assumption": "asumsi", "gap": "kekosongan",
               "conflict": "pertentangan", "typo": "salah ketik"}


def _report(draft: Draft, target: Path | None, encoding_note: str | None, lang: str,
            err: bool) -> None:
    echo = click.echo
    indonesian = lang == "id"
    where = str(target) if target else "stdout"
    warnings = len(draft.diagnostics)
    if indonesian:
        echo(f"{where}: draf '{draft.procedure_id}' sah ({warnings} peringatan); "
             f"{len(draft.notes)} hal perlu ditinjau (# REVIEW):", err=err)
    else:
        echo(f"{where}: draft '{draft.procedure_id}' valid ({warnings} warning(s)); "
             f"{len(draft.notes)} point(s) to review (# REVIEW):", err=err)
    if encoding_note:
        echo(f"  ! {encoding_note}", err=err)
    if draft.fallback:
        echo("  ! " + ("draf disederhanakan agar valid (tingkat "
                       if indonesian else "the draft was simplified to validate (level ")
             + f"{draft.fallback}/3)", err=err)
    for note in draft.notes:
        kind = _NOTE_KINDS.get(note.kind, note.kind) if indonesian else note.kind
        echo(f"  {format_path(note.path)} [{kind}] {note.message}", err=err)
    for diagnostic in draft.diagnostics:
        echo("  " + diagnostic.format("id" if indonesian else "en"), err=err)
    if target is not None:
        hint = ("berikutnya: tinjau setiap # REVIEW, lalu jalankan" if indonesian
                else "next: review every # REVIEW, then run")
        echo(f"{hint}: alur validate {target}", err=err)


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
    indonesian = lang_of(ctx) == "id"
    ask = sys.stdin.isatty() if interactive is None else interactive
    defaults = Answers()
    if proc_id is not None and not valid_id(proc_id):
        raise click.BadParameter(message_text("cli.param.bad_id", lang_of(ctx))[0],
                                 param_hint="--id")

    def answer(value: str | None, question_id: str, question_en: str, default: str) -> str:
        if value is not None:
            return value.strip() or default
        if not ask:
            return default
        prompted = click.prompt(question_id if indonesian else question_en, default=default,
                                err=output == "-")
        return str(prompted).strip()[:500] or default

    title_ = answer(title, "Nama layanan (sesuai SP)", "Service name (as in the SP)",
                    defaults.title)
    suggested = proc_id or _id_from_title(title_)
    if proc_id is None and ask:
        proc_id = click.prompt("Id prosedur" if indonesian else "Procedure id",
                               default=suggested, err=output == "-",
                               value_proc=_id_value)
    proc_id = proc_id or suggested
    agency_ = answer(agency, "Nama instansi", "Agency", defaults.agency)
    region_ = answer(region, "Wilayah (mis. Kota Pasuruan)", "Region (e.g. Kota Pasuruan)",
                     defaults.region)
    unit_ = answer(unit, "Unit pelaksana (kosongkan bila tidak ada)",
                   "Delivering unit (leave empty if none)", "-")
    if timezone is None and ask:
        timezone = click.prompt("Zona waktu" if indonesian else "Time zone",
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
        fail(AlurError(str(exc), hint="shorten or simplify the answers"))
    if target is None:
        click.echo(text, nl=False)
        sys.exit(EXIT_OK)
    try:
        _write(target, text, force, lang_of(ctx))
    except AlurError as exc:
        fail(exc)
    if indonesian:
        click.echo(f"{target}: kerangka prosedur '{answers.id}' ditulis (valid). Isi setiap "
                   f"GANTI dari SP, lalu: alur --lang id validate {target}")
    else:
        click.echo(f"{target}: procedure skeleton '{answers.id}' written (valid). Replace every "
                   f"REPLACE/GANTI from the SP, then: alur validate {target}")
    sys.exit(EXIT_OK)


def _id_from_title(title: str) -> str:
    words = [w for w in title.split() if w.lower() not in ("layanan", "pelayanan")]
    return slug(" ".join(words) or title, "layanan", max_words=4, max_len=40)


def _id_value(value: str) -> str:
    value = value.strip()
    if not valid_id(value):
        raise click.UsageError("use lower-case letters, digits and '_', starting with a letter")
    return value


__all__ = ["import_", "new"]
