"""Commands that act on cases: ``case ...``, ``run``, ``inbox``, ``due``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from engine.cases.commands import (
    AddParticipant,
    AttachDocument,
    Command,
    CompleteStep,
    ExtendDeadline,
    SetFact,
    Terminate,
    Withdraw,
)
from engine.cases.privacy import mask_state, staff_users
from engine.cases.roster import load_roster, roster_path
from engine.cases.rules import requirement_label, unmet_requirements
from engine.cases.state import CaseState
from engine.cli.app import (
    EXIT_INVALID,
    db_of,
    db_option,
    fail,
    format_option,
    lang_of,
    main,
    say,
)
from engine.errors import AlurError, UsageError
from engine.localtime import local_time
from engine.messages import default_lang, text
from engine.render.timeline import deadline_status as _deadline_status
from engine.render.timeline import describe as _describe
from engine.render.timeline import target_words as _target
from engine.safe_text import printable

if TYPE_CHECKING:  # the engine and its store load only when a case command runs (cold start)
    from engine.api import CaseResult, Engine


def roster_option(f: Any) -> Any:
    return click.option("--roster", default=None, metavar="FILE",
                        help="Roster file mapping users to roles (default $ALUR_ROSTER).")(f)


# The clock the CLI's engines run on; None: the system clock. Only code in the same process (the
# tests) can set it: no option or environment variable moves the clock of a command.
CLOCK: Any = None


@contextmanager
def engine_for(ctx: click.Context, db: str | None, fmt: str,
               roster: str | None = None) -> Iterator[Engine]:
    """An Engine for one command; every AlurError becomes a message and an exit code."""
    from engine.api import Engine

    try:
        lang = lang_of(ctx)
        path = roster_path(roster, lang)  # an explicitly empty value is an error
        loaded = load_roster(path, lang) if path else None
        engine = Engine(db_of(ctx, db), roster=loaded, lang=lang, clock=CLOCK)
    except AlurError as exc:
        fail(exc, fmt)
    try:
        yield engine
    except AlurError as exc:
        engine.close()
        fail(exc, fmt)
    finally:
        engine.close()  # also on click's own exits and broken pipes; closing twice is harmless


def documents_folder() -> str:
    """Where the CLI takes documents from: ``$ALUR_DOCUMENTS``, else the current folder. A
    document outside it, or reached through a symbolic link, is refused (engine.files)."""
    return os.environ.get("ALUR_DOCUMENTS") or os.curdir


def _human_time(iso: str, tz: str | None = None) -> str:
    """An ISO time for people: to the minute, in the procedure's zone ``tz`` with its label
    (WIB/WITA/WIT; due dates end at 23:59:59.999999)."""
    return local_time(iso, tz)


def _echo(line: str) -> None:
    """One line of text output, its control characters escaped (an id, a user, a reason or a
    note from an old record cannot act on the terminal or fake a row)."""
    click.echo(printable(line))


def _current_lang() -> str:
    """The language of the running command (``--lang``, else ``$ALUR_LANG``)."""
    ctx = click.get_current_context(silent=True)
    return lang_of(ctx) if ctx is not None else default_lang()


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(text("cli.param.not_pair", _current_lang(), item=item)[0],
                                     param_hint=what)
        pairs[key.strip()] = value
    return pairs


def _roster_note(engine: Engine, fmt: str) -> None:
    """Without a roster, say so once per terminal session (engine.access), in text output."""
    from engine.access import no_roster_notice_due

    if not engine.roster_configured and fmt == "text" and no_roster_notice_due():
        click.echo(text("cli.no_roster", engine.lang)[0], err=True)


def _emit(result: CaseResult, engine: Engine, fmt: str) -> None:
    proc = engine.procedure(result.case.procedure_hash)
    state = mask_state(proc, result.case)
    if fmt == "json":
        from engine.cases.privacy import mask_event

        events = [mask_event(proc, e) for e in result.events]
        click.echo(json.dumps({"case": {**state, "number": result.case.number},
                               "events": events,
                               "roster": engine.roster_configured}, ensure_ascii=False,
                              indent=2))
        return
    case, lang = result.case, engine.lang
    _echo(_named(case) + f": {case.status}"
          + (say(lang, "cli.at_step", step=case.current_step) if case.current_step else "")
          + (say(lang, "cli.due", due=_human_time(case.due_at, proc.agency.timezone))
             if case.due_at else ""))
    staff = staff_users(proc, result.events)
    for event in result.events:
        what = _describe(proc, event, lang, started=True, staff=staff)
        if what is not None:
            _echo(f"  + {what}")


def _named(case: CaseState) -> str:
    """A case for people: its short number beside its id (``MED-2026-0042 (mediasi-6753…)``),
    or the id alone for a case without a number."""
    return f"{case.number} ({case.case_id})" if case.number else case.case_id


def _run(ctx: click.Context, db: str | None, fmt: str, roster: str | None,
         build: Any) -> None:
    with engine_for(ctx, db, fmt, roster) as engine:
        _roster_note(engine, fmt)
        command: Command = build(engine)
        _emit(engine.execute(command), engine, fmt)


@main.group()
def case() -> None:
    """Open, advance and inspect cases."""


@case.command("open")
@click.argument("proc", metavar="PROC")
@click.option("--user", "-u", required=True, help="Who opens the case.")
@click.option("--role", "-r", required=True, help="The role they act in.")
@click.option("--fact", "facts", multiple=True, metavar="NAME=VALUE", help="A case fact.")
@click.option("--doc", "docs", multiple=True, metavar="DOCUMENT=FILE", help="Attach a file.")
@click.option("--participant", "participants", multiple=True, metavar="ROLE=NAME")
@click.option("--id", "case_id", default=None, help="Case id (default: generated).")
@click.option("--at", default=None, help="When it happened (ISO 8601; default now).")
@db_option
@roster_option
@format_option
@click.pass_context
def case_open(ctx: click.Context, proc: str, user: str, role: str, facts: tuple[str, ...],
              docs: tuple[str, ...], participants: tuple[str, ...], case_id: str | None,
              at: str | None, db: str | None, roster: str | None, fmt: str) -> None:
    """Open a case of PROC (a procedure file or id)."""
    with engine_for(ctx, db, fmt, roster) as engine:
        _roster_note(engine, fmt)
        attachments = tuple(engine.attachment(d, f, root=documents_folder())
                            for d, f in _pairs(docs, "--doc").items())
        result = engine.open_case(proc, user=user, role=role, facts=_pairs(facts, "--fact"),
                                  documents=attachments,
                                  participants=_pairs(participants, "--participant"),
                                  at=at, case_id=case_id)
        _emit(result, engine, fmt)


@case.command("do")
@click.argument("case_id", metavar="CASE")
@click.argument("step", metavar="STEP")
@click.option("--user", "-u", required=True)
@click.option("--role", "-r", required=True)
@click.option("--outcome", "-o", default=None, help="Outcome of a decision step.")
@click.option("--service", "-s", default=None,
              help="On a plan step: the branch (service id) this records done.")
@click.option("--doc", "docs", multiple=True, metavar="DOCUMENT=FILE")
@click.option("--fact", "facts", multiple=True, metavar="NAME=VALUE")
@click.option("--participant", "participants", multiple=True, metavar="ROLE=NAME")
@click.option("--note", default=None)
@click.option("--at", default=None, help="When it happened (ISO 8601; default now).")
@db_option
@roster_option
@format_option
@click.pass_context
def case_do(ctx: click.Context, case_id: str, step: str, user: str, role: str,
            outcome: str | None, service: str | None, docs: tuple[str, ...],
            facts: tuple[str, ...], participants: tuple[str, ...], note: str | None,
            at: str | None, db: str | None, roster: str | None, fmt: str) -> None:
    """Complete STEP of CASE (guards: current step, role, documents, conditions, people).
    On a plan step: the actor's first command selects the services, a branch's actor records
    it done, the actor's next command joins them."""
    _run(ctx, db, fmt, roster, lambda engine: CompleteStep(
        user=user, role=role, at=at, case_id=engine.resolve(case_id), step=step,
        outcome=outcome, service=service,
        documents=tuple(engine.attachment(d, f, root=documents_folder())
                        for d, f in _pairs(docs, "--doc").items()),
        facts=_pairs(facts, "--fact"), participants=_pairs(participants, "--participant"),
        note=note))


def _simple(name: str, help_text: str, builder: Any, *extra: Any) -> None:
    def command(ctx: click.Context, /, case_id: str, user: str, role: str, at: str | None,
                db: str | None, roster: str | None, fmt: str, **kwargs: Any) -> None:
        _run(ctx, db, fmt, roster, lambda engine: builder(
            engine, user=user, role=role, at=at, case_id=engine.resolve(case_id), **kwargs))

    command.__doc__ = help_text
    decorated: Any = click.pass_context(command)
    # click orders parameters from the outermost decorator in: the command's own parameters
    # go on first so that CASE comes before them (alur case fact CASE NAME=VALUE)
    for decorator in reversed(extra):
        decorated = decorator(decorated)
    for decorator in (format_option, roster_option, db_option,
                      click.option("--at", default=None,
                                   help="When it happened (ISO 8601; default now)."),
                      click.option("--role", "-r", required=True),
                      click.option("--user", "-u", required=True),
                      click.argument("case_id", metavar="CASE")):
        decorated = decorator(decorated)
    case.command(name)(decorated)


_simple("fact", "Set (or correct) one fact of CASE: NAME=VALUE.",
        lambda engine, pairs, **kw: SetFact(
            **kw, name=_one(pairs, engine.lang)[0], value=_one(pairs, engine.lang)[1]),
        click.argument("pairs", nargs=-1, required=True, metavar="NAME=VALUE"))
_simple("attach", "Attach a document file to CASE: DOCUMENT=FILE",
        lambda engine, pairs, **kw: AttachDocument(
            **kw, attachment=engine.attachment(*_one(pairs, engine.lang),
                                         root=documents_folder())),
        click.argument("pairs", nargs=-1, required=True, metavar="DOCUMENT=FILE"))
_simple("participant", "Record a participant of CASE: ROLE=NAME",
        lambda engine, pairs, **kw: AddParticipant(
            **kw, participant_role=_one(pairs, engine.lang)[0],
            name=_one(pairs, engine.lang)[1]),
        click.argument("pairs", nargs=-1, required=True, metavar="ROLE=NAME"))
_simple("extend", "Extend the time limit of CASE (only where the procedure allows it).",
        lambda engine, amount, unit, reason, **kw: ExtendDeadline(
            **kw, amount=amount, unit=unit, reason=reason),
        click.option("--amount", type=click.IntRange(1, 3650), required=True),
        click.option("--unit", type=click.Choice(["working_days", "calendar_days", "hours",
                                                  "minutes", "months"]),
                     default="working_days", show_default=True),
        click.option("--reason", required=True))
_simple("withdraw", "Withdraw CASE (the person concerned no longer wants the service).",
        lambda engine, reason, **kw: Withdraw(**kw, reason=reason),
        click.option("--reason", required=True))
_simple("terminate", "Terminate CASE (staff only), with a reason.",
        lambda engine, reason, **kw: Terminate(**kw, reason=reason),
        click.option("--reason", required=True))


def _one(pairs: tuple[str, ...], lang: str) -> tuple[str, str]:
    if len(pairs) != 1:
        message, hint = text("err.one_pair", lang)
        raise UsageError(message, hint=hint)
    key, sep, value = pairs[0].partition("=")
    if not sep or not key:
        message, hint = text("err.not_pair", lang, item=pairs[0])
        raise UsageError(message, hint=hint)
    return key, value


def _timeline(engine: Engine, state: CaseState) -> list[str]:
    proc = engine.procedure(state.procedure_hash)
    lines = []
    events = engine.events(state.case_id)
    staff = staff_users(proc, events)
    for event in events:
        what = _describe(proc, event, engine.lang, staff=staff)
        if what is not None:
            lines.append(f"    {_human_time(event.at, proc.agency.timezone)}  {what}")
    return lines


def reader_options(f: Any) -> Any:
    for option in reversed((
            click.option("--user", "-u", default=None, help="Who reads (required with a roster)."),
            click.option("--role", "-r", default=None, help="The role they read in."),
            click.option("--reveal", is_flag=True,
                         help="Show sensitive facts, documents and names (recorded)."),
            click.option("--reason", default=None, help="Why the reveal is needed (required)."),
            roster_option)):
        f = option(f)
    return f


def _read(engine: Engine, case_id: str, user: str | None, role: str | None, reveal: bool,
          reason: str | None, fmt: str) -> CaseState:
    if reveal and not (reason or "").strip():
        message, hint = text("err.reveal_needs_reason", engine.lang)
        raise UsageError(message, hint=hint)
    if user is None and role is None:
        _roster_note(engine, fmt)
    return engine.read_case(engine.resolve(case_id), user=user, role=role,
                            reveal_reason=reason if reveal else None)


@case.command("show")
@click.argument("case_id", metavar="CASE")
@reader_options
@db_option
@format_option
@click.pass_context
def case_show(ctx: click.Context, case_id: str, user: str | None, role: str | None,
              reveal: bool, reason: str | None, roster: str | None, db: str | None,
              fmt: str) -> None:
    """Show the current state of CASE (sensitive facts and documents masked unless revealed)."""
    with engine_for(ctx, db, fmt, roster) as engine:
        state = _read(engine, case_id, user, role, reveal, reason, fmt)
        data = mask_state(engine.procedure(state.procedure_hash), state, reveal=reveal)
        data["number"] = state.number
        if fmt == "json":
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        _echo(f"{_named(state)}  [{state.procedure_id} v{state.procedure_version}]  "
              f"{state.status}")
        lang = engine.lang
        tz = engine.procedure(state.procedure_hash).agency.timezone
        if state.current_step:
            _echo(say(lang, "cli.show.current", step=state.current_step)
                  + (say(lang, "cli.show.step_due",
                         due=_human_time(state.step_due_at, tz))
                     if state.step_due_at else ""))
        _echo(say(lang, "cli.show.deadline", status=_deadline_status(
            state, lang, tz, engine.procedure(state.procedure_hash).time_limit.source_text)))
        _echo(say(lang, "cli.show.facts",
                  facts=", ".join(f"{k}={v}" for k, v in data["facts"].items())))
        _echo(say(lang, "cli.show.documents", documents=", ".join(
            name + (" " + say(lang, "cli.produced_outside")
                    if (entry or {}).get("produced_outside") else "")
            for name, entry in data["documents"].items()) or say(lang, "cli.none")))
        unmet = unmet_requirements(engine.procedure(state.procedure_hash), state)
        if unmet and not state.closed:
            _echo(say(lang, "cli.show.unmet",
                      requirements="; ".join(requirement_label(r) for r in unmet)))
        if state.services:  # the running plan: what the join still waits for
            _echo(say(lang, "cli.show.services", services=", ".join(
                f"{service} {say(lang, 'cli.service.' + entry['status'])}"
                + (f" ({entry['case_id']})" if entry.get("case_id") else "")
                for service, entry in state.services.items())))
        for link in state.links:
            _echo(say(lang, "cli.show.linked", direction=link["direction"],
                      procedure=link["procedure_id"], case=link.get("case_id") or ""))
        click.echo(say(lang, "cli.show.timeline"))
        for line in _timeline(engine, state):
            _echo(line)


@case.command("history")
@click.argument("case_id", metavar="CASE")
@reader_options
@db_option
@format_option
@click.pass_context
def case_history(ctx: click.Context, case_id: str, user: str | None, role: str | None,
                 reveal: bool, reason: str | None, roster: str | None, db: str | None,
                 fmt: str) -> None:
    """Every event of CASE with its hash chain (verified first; personal data masked)."""
    with engine_for(ctx, db, fmt, roster) as engine:
        case_id = _read(engine, case_id, user, role, reveal, reason, fmt).case_id
        events = engine.events(case_id)
        proc = engine.procedure(events[0].procedure_hash)
        from engine.cases.privacy import mask_event

        masked = [mask_event(proc, e, reveal=reveal) for e in events]
        if fmt == "json":
            click.echo(json.dumps(masked, ensure_ascii=False, indent=2))
            return
        tz = proc.agency.timezone
        for event in masked:
            at = local_time(event["at"], tz, seconds=True)
            _echo(f"{event['seq']:>4}  {at}  {event['type']:<18} "
                  f"{event['user']} ({event['role']})  {event['hash'][:12]}  "
                  f"{json.dumps(event['payload'], ensure_ascii=False)}")


def user_option(f: Any) -> Any:
    return click.option("--user", "-u", default=None,
                        help="Who reads (required with a roster).")(f)


def _listing(engine: Engine, user: str | None, fmt: str, action: str) -> set[str] | None:
    """The procedures ``user`` may list cases of (None: all); says once there is no roster."""
    from engine.access import readable_procedures

    _roster_note(engine, fmt)
    return readable_procedures(engine, user, action)


def page_options(f: Any) -> Any:
    for option in reversed((
            click.option("--limit", type=click.IntRange(1, 100_000), default=None,
                         help="At most this many rows (default: all, streamed)."),
            click.option("--after", default=None, metavar="CURSOR",
                         help="Continue after this cursor (printed at the end of a page)."))):
        f = option(f)
    return f


@case.command("list")
@click.option("--status", default=None, help="registered, active, completed, ...")
@click.option("--procedure", default=None, help="Procedure id.")
@user_option
@page_options
@db_option
@roster_option
@format_option
@click.pass_context
def case_list(ctx: click.Context, status: str | None, procedure: str | None, user: str | None,
              limit: int | None, after: str | None, db: str | None, roster: str | None,
              fmt: str) -> None:
    """List cases (by due date), page by page with --limit and --after; with a roster, those
    of procedures the user may read."""
    from engine.listings import decode_cursor, list_rows, page

    with engine_for(ctx, db, fmt, roster) as engine:
        allowed = _listing(engine, user, fmt, "case list")
        start = decode_cursor(after, engine.lang)
        rows = (r for r in list_rows(engine, status=status, procedure_id=procedure, after=start)
                if allowed is None or r.procedure_id in allowed)
        _print_rows(page(rows, limit), fmt, engine.lang)


def _print_rows(listing: Any, fmt: str, lang: str = "en") -> None:
    """Print a page of listing rows as they come (never the whole listing in memory): JSON as
    ``{"cases": [...], "next": cursor}``, text with a header and the cursor of the next page."""
    count = 0
    if fmt == "json":
        _stream_json("cases", listing.rows, lambda: {"next": listing.next_cursor})
        return
    header = say(lang, "cli.list.header").split("|")
    _echo(_columns(header))
    for row in listing.rows:
        role = row.role or "-"
        if row.user:
            role += f" ({row.user})"
        due = _human_time(row.due_at) if row.due_at else "-"
        if row.clock:
            due += " " + say(lang, "cli.list.clock_waits", what=row.clock)
        if row.escalated_to:
            due += " " + say(lang, "cli.list.escalated", roles=", ".join(row.escalated_to))
        _echo(_columns([row.number or "-", row.case_id, row.procedure_id, row.status,
                        row.step or "-", role, due]))
        count += 1
    _footer(lang, count, listing.next_cursor)


def _stream_json(name: str, rows: Any, tail: Any) -> None:
    """``{name: [rows...], **tail}`` printed row by row as it is read (a listing is never held
    whole in memory); ``tail``: a dict, or a function giving it once the rows are out."""
    click.echo("{" + json.dumps(name) + ": [", nl=False)
    for count, row in enumerate(rows):
        click.echo(("," if count else "") + "\n  " + json.dumps(row.to_dict(),
                                                                   ensure_ascii=False), nl=False)
    rest = tail() if callable(tail) else tail
    click.echo("\n]" + "".join(", " + json.dumps(key) + ": " + json.dumps(value,
                                                                        ensure_ascii=False)
                                for key, value in rest.items()) + "}")


def _footer(lang: str, count: int, cursor: str | None) -> None:
    click.echo(say(lang, "cli.cases", count=count))
    if cursor is not None:
        click.echo(say(lang, "cli.list.next", cursor=cursor))


# fixed widths: a long id widens its own cell and the rest of the line still lines up after a
# tab-free separator of two spaces (numbers of up to 15 characters and ids of up to 34 keep
# every column in place)
_WIDTHS = (15, 34, 10, 11, 30, 24)


def _columns(cells: list[str]) -> str:
    out = ""
    for cell, width in zip(cells, _WIDTHS, strict=False):
        out += f"{cell:<{width}}  "
    return (out + "  ".join(cells[len(_WIDTHS):])).rstrip()


@main.command()
@click.option("--role", "-r", required=True, help="The role whose work is listed.")
@user_option
@page_options
@db_option
@roster_option
@format_option
@click.pass_context
def inbox(ctx: click.Context, role: str, user: str | None, limit: int | None,
          after: str | None, db: str | None, roster: str | None, fmt: str) -> None:
    """Cases waiting for ROLE or escalated to it, soonest due first (with a roster: the user
    must hold ROLE)."""
    from engine.listings import decode_cursor, inbox_rows, page

    with engine_for(ctx, db, fmt, roster) as engine:
        _listing(engine, user, fmt, "inbox")
        if engine.roster is not None and not engine.roster.holds(user or "", role):
            from engine.access import refuse_role

            raise refuse_role(engine, user, role, "inbox")
        start = decode_cursor(after, engine.lang)
        _print_rows(page(inbox_rows(engine, role, after=start), limit), fmt, engine.lang)


@main.command()
@click.option("--now", default=None,
              help="Preview the deadlines at this moment (ISO 8601); records nothing unless "
                   "--record is given and the moment is not in the future.")
@click.option("--record/--no-record", default=None,
              help="Record a breach event (escalation) once per passed due date [default: "
                   "record without --now, preview with it].")
@user_option
@page_options
@db_option
@roster_option
@format_option
@click.pass_context
def due(ctx: click.Context, now: str | None, record: bool | None, user: str | None,
        limit: int | None, after: str | None, db: str | None, roster: str | None,
        fmt: str) -> None:
    """List open deadlines and breaches; record each breach once as an escalation.

    ``--now`` alone is a preview (what would be recorded at that moment); ``--record`` records
    at the clock, or at ``--now`` if that is not in the future."""
    from engine.listings import decode_cursor, due_rows, page

    moment = _parse_now(now)
    if record is None:
        record = moment is None
    with engine_for(ctx, db, fmt, roster) as engine:
        allowed = _listing(engine, user, fmt, "due")
        start = decode_cursor(after, engine.lang)
        skipped: list[tuple[str, str]] = []  # cases judged on their own: one bad, others go on
        escalated = engine.check_deadlines(moment, skipped=skipped) if record else []
        escalated = [r for r in escalated if allowed is None
                     or r.case.procedure_id in allowed]
        include = None if allowed is None else (lambda snap: snap.procedure_id in allowed)
        listing = page(due_rows(engine, moment or engine.clock(), after=start, include=include,
                                skipped=skipped), limit)
        breaches = 0
        if fmt == "json":
            def tail() -> dict[str, Any]:  # after the rows: the listing adds its skips
                first: dict[str, str] = {}  # once per case: the sweep's reason, else the row's
                for case_id, message in skipped:
                    first.setdefault(case_id, message)
                return {"escalated": [r.case.case_id for r in escalated],
                        "skipped": [{"case_id": c, "message": m} for c, m in first.items()],
                        "recorded": record, "next": listing.next_cursor}

            _stream_json("due", listing.rows, tail)
            return
        _echo(_columns(say(engine.lang, "cli.due.header").split("|")))
        for item in listing.rows:
            mark = say(engine.lang, "cli.due.breached" if item.breached else "cli.due.due")
            target = _target(engine.lang, item.target)
            _echo(_columns([item.number or "-", item.case_id, item.procedure_id, mark, target,
                            item.role or "-", _human_time(item.due_at)]))
            breaches += item.breached
        seen: set[str] = set()
        for case_id, message in skipped:  # after the rows: the listing may add its own
            if case_id not in seen:
                seen.add(case_id)
                click.echo(printable(say(engine.lang, "cli.due.skipped", case=case_id,
                                         message=message)), err=True)
        if record:
            _echo(say(engine.lang, "cli.due.footer", breaches=breaches,
                      escalated=len(escalated)))
        else:
            footer, hint = text("cli.due.preview", engine.lang, breaches=breaches,
                                now=_human_time((moment or engine.clock()).isoformat()))
            _echo(footer)
            _echo(hint)
        if listing.next_cursor is not None:
            _echo(say(engine.lang, "cli.list.next", cursor=listing.next_cursor))


def _parse_now(now: str | None) -> datetime | None:
    if now is None:
        return None
    try:
        moment = datetime.fromisoformat(now)
    except ValueError:
        raise click.BadParameter(text("cli.param.not_iso", _current_lang(), value=now)[0],
                                 param_hint="--now") from None
    if moment.tzinfo is None:
        raise click.BadParameter(text("cli.param.no_offset", _current_lang())[0],
                                 param_hint="--now")
    return moment


@main.command()
@click.argument("proc", metavar="PROC")
@click.argument("files", nargs=-1, required=True, metavar="CASES.yaml...")
@click.option("--now", default=None, help="Check deadlines at this moment after the run.")
@click.option("--skip-existing", is_flag=True,
              help="A case already in the store is reported and not run again (re-runs).")
@db_option
@roster_option
@format_option
@click.pass_context
def run(ctx: click.Context, proc: str, files: tuple[str, ...], now: str | None,
        skip_existing: bool, db: str | None, roster: str | None, fmt: str) -> None:
    """Execute case records from files and print each case's path, outcome and deadlines.

    A refused action stops its case (with the reason); the other cases go on. Exit 1 when a
    case did not end as its file expects.
    """
    from engine.runner import load_case_file, run_case_file

    unexpected = 0
    report: list[dict[str, Any]] = []
    moment = _parse_now(now)  # before anything runs: a bad --now must not leave half a run
    with engine_for(ctx, db, fmt, roster) as engine:
        _roster_note(engine, fmt)
        for file in files:  # every file's shape first: one malformed file runs nothing
            load_case_file(file, engine.lang)
        for file in files:
            runs = run_case_file(engine, proc, file, skip_existing=skip_existing)
            if moment is not None:
                engine.check_deadlines(moment)
            for item in runs:
                state = engine.case(item.case_id) if item.case_id and item.state else None
                if state is not None:   # with --now: the breaches recorded after the run count
                    item.state = state
                unexpected += not item.as_expected
                entry = {"file": file, "case": item.number, "case_id": item.case_id,
                         "case_number": state.number if state else None,
                         "description": item.description,
                         "status": state.status if state else None,
                         "version": state.version if state else None,
                         "path": [p["step"] + (f"→{p['outcome']}" if p["outcome"] else "")
                                  for p in state.path] if state else [],
                         "deadline": _deadline_status(
                             state, engine.lang,
                             engine.procedure(state.procedure_hash).agency.timezone,
                             engine.procedure(state.procedure_hash).time_limit.source_text)
                         if state else None,
                         "breaches": [b["target"] for b in state.breaches] if state else [],
                         "refused": item.refused.to_dict() if item.refused else None,
                         "refused_action": item.refused_action,
                         "refused_rule": item.refused_rule,
                         "expected": item.expected,
                         "skipped": item.skipped,
                         "as_expected": item.as_expected}
                report.append(entry)
                if fmt == "text":
                    _print_run(engine, file, item, state, entry)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    sys.exit(EXIT_INVALID if unexpected else 0)


def _print_run(engine: Engine, file: str, item: Any, state: CaseState | None,
               entry: dict[str, Any]) -> None:
    lang = engine.lang
    title = say(lang, "cli.run.title", case=item.case_id or say(lang, "cli.run.not_opened"),
                file=os.path.basename(file), number=item.number)
    click.secho(printable(title), bold=True)
    if item.description:
        _echo(f"  {item.description}")
    if item.skipped:
        _echo(say(lang, "cli.run.skipped"))
    if state is not None:
        _echo(say(lang, "cli.run.outcome", status=state.status,
                  path=" → ".join(entry["path"]) or "-"))
        _echo(say(lang, "cli.show.deadline", status=entry["deadline"]))
        for line in _timeline(engine, state):
            _echo(line)
    if item.refused is not None:
        where = (say(lang, "cli.run.opening") if item.refused_action == 0
                 else say(lang, "cli.run.action", number=item.refused_action))
        _echo(say(lang, "cli.run.refused", where=where, rule=item.refused_rule,
                  message=item.refused.message))
        if item.refused.hint:
            _echo(say(lang, "cli.run.hint", hint=item.refused.hint))
        if item.refused_rule == "guard.exists":
            _echo(say(lang, "cli.run.exists_hint"))
    if not item.as_expected:
        click.secho(say(lang, "cli.run.unexpected", expected=item.expected), fg="red")
        missing, unexpected = item.breach_mismatch
        if missing or unexpected:
            click.secho(say(lang, "cli.run.breaches_unexpected", file=file, number=item.number,
                            missing=", ".join(missing) or "-",
                            unexpected=", ".join(unexpected) or "-"), fg="red")
    click.echo("")


__all__ = ["case", "engine_for"]
