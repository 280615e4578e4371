"""Commands for auditors: ``audit verify``, ``audit conformance``, ``report``, ``export``.

Each command reads the store, calls one function of :mod:`engine.analysis.audit` and formats what it
returns (text, json, html for the report; xes, csv, jsonl for the export). ``audit verify`` and
``audit conformance`` exit 1 when they find a problem, 0 when there is none.
"""

from __future__ import annotations

import contextlib
import html
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TextIO

import click

from engine.cli.app import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_STORE,
    db_option,
    fail,
    format_option,
    lang_of,
    main,
    say,
)
from engine.cli.cases import _roster_note, engine_for, roster_option, user_option
from engine.errors import AlurError, CaseNotFound, ProcedureNotFound, UsageError
from engine.messages import CATALOGUE, text

if TYPE_CHECKING:  # the engine, its store and the audit package load only when a command runs
    from engine.analysis.audit.conformance import ConformanceReport
    from engine.analysis.audit.integrity import Finding
    from engine.analysis.audit.report import Performance, Stat
    from engine.api import Engine
    from engine.cases.events import CaseSnapshot, Event
    from engine.cases.state import CaseState


@main.group("audit")
def audit() -> None:
    """Check stored cases: hash chains (verify) and conformance to their procedure."""


def _auditor(engine: Engine, user: str | None, fmt: str, action: str) -> None:
    """With a roster, the auditor's commands need a user holding the ``audit`` privilege;
    without one, they run and say once that there is no roster (engine.access)."""
    from engine.access import require_privilege

    if engine.roster is None:
        _roster_note(engine, fmt)
        return
    require_privilege(engine, user, "audit", action)


# --- audit verify -------------------------------------------------------------------------

def _role_of(engine: Engine, procedure_hash: str,
             ) -> Callable[[CaseState], str | None] | None:
    """The role a snapshot should list for a state, or None when the procedure is missing."""
    try:
        proc = engine.procedure(procedure_hash)
    except AlurError:
        return None

    def role(state: CaseState) -> str | None:
        if not state.current_step:
            return None
        try:
            return proc.step(state.current_step).actor
        except KeyError:
            return None

    return role


# What a row of the wrong shape, written behind alur's back, gives when it is read or
# inspected (a value of another type, a missing key, text that is no JSON or no Unicode, a
# structure nested too deep): reported as that case's finding. Anything else is a bug in alur
# and is raised, not turned into a finding about the data.
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError, RecursionError)


def _inspect(engine: Engine, case_id: str) -> tuple[list[Finding], int, CaseSnapshot | None,
                                                      list[Event]]:
    from engine.analysis.audit.integrity import Finding, inspect_case

    events = engine.store.events(case_id)
    snapshot = engine.store.snapshot(case_id)
    extra: list[Finding] = []
    role = None
    if events:
        digest = events[0].procedure_hash
        role = _role_of(engine, digest)
        if role is None:
            extra.append(Finding.of(case_id, 1, "procedure", "procedure_missing",
                                    hash=digest[:12]))
    found = inspect_case(case_id, events, snapshot, current_role=role)
    return found + extra, len(events), snapshot, events


@contextlib.contextmanager
def _progress(items: list[str], fmt: str, label: str) -> Iterator[Iterable[str]]:
    """A progress bar on stderr for people watching a terminal; nothing otherwise."""
    if fmt == "text" and len(items) > 1 and sys.stderr.isatty():
        with click.progressbar(items, label=label, file=sys.stderr) as bar:
            yield bar
    else:
        yield items


@audit.command("verify")
@click.option("--case", "case_id", default=None, metavar="CASE", help="Verify one case only.")
@user_option
@click.option("--anchor", "anchor_file", default=None, metavar="FILE",
              help="Also prove that nothing recorded before this anchor (alur audit anchor) "
                   "was removed or changed.")
@click.option("--public-key", "public_key", default=None, metavar="PEM",
              help="The agency's public key the anchor must be signed with.")
@db_option
@roster_option
@format_option
@click.pass_context
def verify(ctx: click.Context, case_id: str | None, user: str | None,
           anchor_file: str | None, public_key: str | None, db: str | None,
           roster: str | None, fmt: str) -> None:
    """Recompute every hash chain and check every snapshot, the ledger, the audit log, the
    stored procedure texts and document contents.

    Reports each edited, deleted, inserted or reordered event (case and seq), each snapshot
    that does not match its events, each case cut short or gone from what the ledger recorded,
    each audit record removed or changed, each procedure text or document that does not match
    its SHA-256. Exit 5 when anything is wrong, 0 when all verify.
    """
    from engine.analysis.audit.integrity import Finding, case_ids
    from engine.analysis.audit.ledger import (
        audit_problems,
        blob_problems,
        case_entries,
        case_problems,
        check_anchor,
        load_anchor,
        procedure_problems,
        referenced_blobs,
        vanished_cases,
    )

    anchor = key_pem = None
    if anchor_file is not None:
        try:
            anchor = load_anchor(_read_text(anchor_file))
            key_pem = _read_bytes(public_key) if public_key is not None else None
        except (OSError, ValueError) as exc:
            problem = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise click.BadParameter(text("err.anchor.unreadable", lang_of(ctx),
                                          problem=problem)[0], param_hint="--anchor") from None
    findings: list[Finding] = []
    heads: list[dict[str, Any]] = []
    events_seen = 0
    with engine_for(ctx, db, fmt, roster) as engine:
        _auditor(engine, user, fmt, "audit verify")
        ledger = engine.store.ledger()  # first: a case written meanwhile is ahead of it
        by_case = case_entries(ledger)
        if case_id is not None:
            case_id = engine.resolve(case_id)  # an id, or the case's short number
            if not engine.store.events(case_id) and engine.store.snapshot(case_id) is None \
                    and case_id not in by_case:
                raise CaseNotFound.of("err.case_not_found", engine.lang, case=case_id,
                                      store=engine.store.url)
            ids = [case_id]
        else:
            ids = case_ids(engine.store)
        referenced: dict[str, str] = {}
        erased: set[str] = set()
        store_wide: list[Any] = []
        with _progress(ids, fmt, "verifying") as items:
            for cid in items:
                try:
                    found, count, _, events = _inspect(engine, cid)
                except AlurError:
                    raise  # the store itself failed (down, locked): not this case's fault
                except _UNREADABLE as exc:  # one unreadable case, not the whole run
                    findings.append(Finding(cid, 0, "unreadable",
                                            f"its rows cannot be read ({type(exc).__name__})"))
                    continue
                findings.extend(found)
                if not found or not events:  # a case that verifies may still be cut short
                    store_wide.extend(case_problems(cid, events, by_case.get(cid, [])))
                stored, gone, unlisted = referenced_blobs(events)
                for sha in stored:
                    referenced.setdefault(sha, cid)
                erased |= gone | (stored if unlisted else set())
                events_seen += count
                if events and type(events[-1].seq) is int:
                    heads.append({"case_id": cid, "version": events[-1].seq,
                                  "last_hash": events[-1].hash})
        if case_id is None:
            store_wide.extend(vanished_cases(by_case, ids))
            store_wide.extend(audit_problems(ledger, engine.store.audit_records()))
            store_wide.extend(procedure_problems(engine.store.procedures()))
            store_wide.extend(blob_problems(engine.store.blob_hashes(), engine.store.blob,
                                            referenced, erased))
        if anchor is not None:
            store_wide.extend(check_anchor(ledger, anchor, key_pem))
    findings.extend(Finding(p.subject, p.seq, p.kind, p.detail) for p in store_wide)
    bad_cases = len({f.case_id for f in findings})
    if fmt == "json":
        click.echo(json.dumps({"ok": not findings, "cases": len(ids), "events": events_seen,
                               "cases_with_problems": bad_cases,
                               "ledger_entries": len(ledger),
                               "problems": [f.to_dict() for f in findings], "heads": heads},
                              ensure_ascii=False, indent=2))
    else:
        lang = lang_of(ctx)
        event = say(lang, "cli.audit.event")
        for f in findings:
            click.echo(f"{f.case_id}  {event} {f.seq:<4} {f.kind:<10} {f.localized(lang)}")
        summary = say(lang, "cli.verify.checked", cases=len(ids), events=events_seen)
        if findings:
            click.echo(summary + say(lang, "cli.verify.problems", problems=len(findings),
                                     cases=bad_cases))
            click.echo(say(lang, "cli.verify.hint"), err=True)
        else:
            click.echo(summary + say(lang, "cli.verify.ok"))
            if anchor is not None:
                click.echo(say(lang, "cli.anchor.holds", count=anchor.count, at=anchor.at))
    sys.exit(EXIT_STORE if findings else EXIT_OK)


def _usage(code: str, lang: str, **params: object) -> UsageError:
    message, hint = text(code, lang, **params)
    return UsageError(message, hint=hint)


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read(1 << 20)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(1 << 20)


@audit.command("keygen")
@click.argument("private_key", metavar="FILE")
@click.pass_context
def keygen(ctx: click.Context, private_key: str) -> None:
    """Create the agency's Ed25519 signing key: FILE (private, mode 0600, never overwritten)
    and FILE.pub (public, to hand to auditors)."""
    from engine.analysis.audit.ledger import generate_key

    try:
        generate_key(private_key)
    except FileExistsError:
        fail(_usage("err.anchor.key_exists", lang_of(ctx), path=private_key))
    except OSError as exc:
        fail(_usage("err.anchor.key_unwritable", lang_of(ctx), path=private_key,
                    problem=exc.strerror))
    click.echo(say(lang_of(ctx), "cli.anchor.keygen", path=private_key))


@audit.command("anchor")
@click.option("--key", "key_file", default=None, metavar="PEM",
              help="The agency's private key (alur audit keygen): sign the anchor.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Where to write the anchor (default: stdout).")
@db_option
@click.pass_context
def anchor_command(ctx: click.Context, key_file: str | None, output: str,
                   db: str | None) -> None:
    """Print (and sign) the ledger's current root, to keep outside the store: print it, e-mail
    it, publish it. 'alur audit verify --anchor FILE' later proves that nothing recorded before
    it was removed or changed."""
    from engine.analysis.audit.ledger import make_anchor

    private = None
    if key_file is not None:
        try:
            private = _read_bytes(key_file)
        except OSError as exc:
            fail(_usage("err.anchor.key_unreadable", lang_of(ctx), path=key_file,
                        problem=exc.strerror))
    with engine_for(ctx, db, "text") as engine:
        entries = engine.store.ledger()
        try:
            made = make_anchor(entries, datetime.now(UTC).isoformat(), engine.store.url,
                               private)
        except (ValueError, TypeError) as exc:
            fail(_usage("err.anchor.key_unreadable", lang_of(ctx), path=key_file,
                        problem=str(exc)))
    body = json.dumps(made.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if output == "-":
        click.echo(body, nl=False)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(body)
        click.echo(say(lang_of(ctx), "cli.anchor.written", path=output, count=made.count,
                       root=made.root[:16]), err=True)


def _procedure_id(engine: Engine, ref: str) -> str:
    """The procedure id a PROC argument names (an id in the store, or a file / catalog id)."""
    if engine.store.procedures(ref):
        return ref
    from engine.procedure.catalog import resolve

    try:
        procedure_id = resolve(ref, engine.lang).procedure.id  # type: ignore[union-attr]
    except ProcedureNotFound:
        procedure_id = ref
    if not engine.store.procedures(procedure_id):
        known = sorted({p.id for p in engine.store.procedures()})
        raise ProcedureNotFound.of("err.cli.procedure_no_cases", engine.lang, ref=ref,
                                   store=engine.store.url,
                                   known=", ".join(known) or say(engine.lang, "cli.none"))
    return procedure_id


@audit.command("conformance")
@click.argument("proc", metavar="[PROC]", required=False)
@user_option
@db_option
@roster_option
@format_option
@click.pass_context
def conformance_command(ctx: click.Context, proc: str | None, user: str | None, db: str | None,
                        roster: str | None, fmt: str) -> None:
    """Replay each case against the procedure version it is pinned to.

    Lists every deviation (skipped steps, wrong role, missing documents or participants,
    outcomes, forced transitions, late actions without a breach record) per case, the
    deadline breaches, and the fitness of each procedure version (1 - deviating moves / moves).
    PROC limits the check to one procedure id. Exit 1 when any case deviates or does not verify.
    """
    from engine.analysis.audit.conformance import conformance

    with engine_for(ctx, db, fmt, roster) as engine:
        _auditor(engine, user, fmt, "audit conformance")
        procedure_id = _procedure_id(engine, proc) if proc else None
        report = conformance(engine.store.all_events(procedure_id), engine.context)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_conformance(report, lang_of(ctx))
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)


def _print_conformance(report: ConformanceReport, lang: str) -> None:
    event = say(lang, "cli.conf.event")
    for case in report.cases:
        if case.conformant and not case.breaches:
            continue
        if not case.verified:
            click.echo(say(lang, "cli.conf.unverified", case=case.case_id,
                           problem=case.problem_in(lang)))
            continue
        click.echo(say(lang, "cli.conf.case", case=case.case_id, procedure=case.procedure_id,
                       version=case.procedure_version, status=case.status,
                       fitness=f"{case.fitness:.3f}", deviating=case.deviating_moves,
                       moves=case.moves))
        for d in case.deviations:
            click.echo(f"  {event} {d.seq:<4} {d.kind:<17} {d.localized(lang)}")
        for b in case.breaches:
            state = say(lang, "cli.conf.recorded" if b.recorded else "cli.conf.not_recorded")
            escalated = say(lang, "cli.conf.escalated", role=b.escalate_to) \
                if b.escalate_to else ""
            click.echo(f"  {event} {b.seq:<4} {'breach':<17} "
                       + say(lang, "cli.conf.breach", target=b.target, due=b.due_at,
                             state=state) + escalated)
    if report.cases and not all(c.conformant and not c.breaches for c in report.cases):
        click.echo("")
    for p in report.procedures:
        click.echo(say(lang, "cli.conf.procedure", procedure=p.procedure_id,
                       version=p.procedure_version, fitness=f"{p.fitness:.3f}",
                       conforming=p.moves - p.deviating_moves, moves=p.moves,
                       conformant=p.conformant_cases, cases=p.cases)
                   + (say(lang, "cli.conf.unverified_count", count=p.unverified_cases)
                      if p.unverified_cases else ""))
    totals = report.totals
    breaches = sum(len(c.breaches) for c in report.cases)
    deviations = ", ".join(f"{k} {v}" for k, v in totals.items()) or say(lang, "cli.none")
    click.echo(say(lang, "cli.conf.totals", deviations=deviations, breaches=breaches))


# --- report -------------------------------------------------------------------------------

def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@main.command("report")
@click.argument("proc", metavar="PROC")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day of the period (YYYY-MM-DD, agency local date).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Last day of the period, inclusive (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text",
              show_default=True, help="For people (text), programs (json) or a browser (html).")
@user_option
@db_option
@roster_option
@click.pass_context
def report(ctx: click.Context, proc: str, start: datetime | None, end: datetime | None,
           fmt: str, user: str | None, db: str | None, roster: str | None) -> None:
    """Service performance of PROC: cases opened and closed, share finished within the time
    limit, median and p90 time per step and per case (on the agency's working-day calendar),
    breaches per role and refused commands per rule."""
    from engine.analysis.audit.report import performance

    first, last = _day(start), _day(end)
    if first is not None and last is not None and first > last:
        raise click.BadParameter(say(lang_of(ctx), "cli.param.from_after_to", first=first,
                                     last=last), param_hint="--from/--to")
    with engine_for(ctx, db, "json" if fmt == "json" else "text", roster) as engine:
        _auditor(engine, user, "json" if fmt == "json" else "text", "report")
        procedure_id = _procedure_id(engine, proc)
        title = engine.store.procedures(procedure_id)[-1]
        def belongs(case_id: str) -> bool:  # a refusal's case: asked of the store, not kept
            snapshot = engine.store.snapshot(case_id)
            return snapshot is not None and snapshot.procedure_id == procedure_id

        # streamed and folded case by case: memory stays flat in the number of cases
        result = performance(procedure_id, engine.store.all_events(procedure_id),
                             engine.context, engine.store.audit_records(), start=first,
                             end=last, belongs=belongs)
        name = engine.procedure(title.hash).title
    if fmt == "json":
        click.echo(json.dumps({"title": name, **result.to_dict()}, ensure_ascii=False,
                              indent=2))
    elif fmt == "html":
        click.echo(_report_html(name, result, lang_of(ctx)))
    else:
        _print_report(name, result, lang_of(ctx))


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _period(result: Performance, lang: str = "en") -> str:
    if result.start is None and result.end is None:
        return say(lang, "cli.rep.all_time")
    return say(lang, "cli.rep.period", start=result.start or "...", end=result.end or "...")


def _share(result: Performance, lang: str = "en") -> str:
    share = result.within_share
    if share is None:
        return say(lang, "cli.rep.no_limit")
    return say(lang, "cli.rep.share", within=result.within_limit, total=result.with_limit,
               share=f"{share:.1%}")


def _counts(counts: dict[str, int], lang: str = "en") -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or say(lang, "cli.none")


def _unit(result: Performance, lang: str) -> str:
    unit = result.unit or "working_days"
    if f"cli.unit.{unit}" in CATALOGUE:
        return say(lang, f"cli.unit.{unit}")
    return unit.replace("_", " ")


def _titled(result: Performance, counts: dict[str, int]) -> dict[str, int]:
    """Counts by step id, keyed by the step's title instead."""
    return {result.step_titles.get(step, step): n for step, n in counts.items()}


def _print_report(name: str, result: Performance, lang: str) -> None:
    click.echo(say(lang, "cli.rep.title", name=name, procedure=result.procedure_id,
                   period=_period(result, lang), unit=_unit(result, lang)))
    click.echo(say(lang, "cli.rep.cases", opened=result.opened, closed=result.closed,
                   outcomes=_counts(result.outcomes, lang)))
    click.echo(say(lang, "cli.rep.within", share=_share(result, lang)))
    stat = result.case_time
    click.echo(say(lang, "cli.rep.case_time", median=_num(stat.median), p90=_num(stat.p90),
                   count=stat.count))
    if result.step_time:
        width = max(len(result.step_titles.get(s, s)) for s in result.step_time)
        width = min(max(width, 10), 60)
        heading = say(lang, "cli.rep.step_time")
        click.echo(f"{heading:<{width + 2}} {'n':>3} {'median':>8} {'p90':>8} "
                   f"{'median h':>9} {'p90 h':>8}")
        for step, st in result.step_time.items():
            title = result.step_titles.get(step, step)[:width]
            hours = result.step_hours.get(step)
            click.echo(f"  {title:<{width}} {st.count:>3} {_num(st.median):>8} "
                       f"{_num(st.p90):>8} {_num(hours.median if hours else None):>9} "
                       f"{_num(hours.p90 if hours else None):>8}")
    click.echo(say(lang, "cli.rep.breaches", count=result.breaches,
                   actors=_counts(result.breaches_by_actor, lang),
                   escalated=_counts(result.breaches_by_escalation, lang)))
    if result.phase_breaches or result.late_reports:
        click.echo(say(lang, "cli.rep.windows", phases=_counts(result.phase_breaches, lang),
                       reports=_counts(result.late_reports, lang)))
    if result.with_minimum:
        click.echo(say(lang, "cli.rep.minimum", before=result.before_minimum,
                       closed=result.with_minimum, quote=result.minimum_text or ""))
    if result.joint_signoffs:
        click.echo(say(lang, "cli.rep.joint", steps=_counts(_titled(result,
                                                                    result.joint_signoffs),
                                                            lang)))
    click.echo(say(lang, "cli.rep.refused", count=result.refused,
                   rules=_counts(result.refused_by_rule, lang))
               + (say(lang, "cli.rep.refused_openings", count=result.refused_openings)
                  if result.refused_openings else ""))
    if result.unverified:
        click.echo(say(lang, "cli.rep.unverified", count=result.unverified))


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:60rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
p.note{color:#666;font-size:.9rem}"""


def _table(head: tuple[str, ...], rows: Iterable[tuple[object, ...]],
           numeric: frozenset[int] = frozenset(), lang: str = "en") -> str:
    e = html.escape
    lines = ["<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = "".join(f'<td class="n">{e(str(v))}</td>' if i in numeric
                        else f"<td>{e(str(v))}</td>" for i, v in enumerate(row))
        lines.append(f"<tr>{cells}</tr>")
    if len(lines) == 1:
        lines.append(f'<tr><td colspan="{len(head)}">{e(say(lang, "cli.none"))}</td></tr>')
    return "\n".join([*lines, "</table>"])


def _stat_row(label: str, stat: Stat, hours: Stat | None = None) -> tuple[object, ...]:
    return (label, stat.count, _num(stat.median), _num(stat.p90),
            _num(hours.median if hours else None), _num(hours.p90 if hours else None))


def _report_html(name: str, result: Performance, lang: str = "en") -> str:
    """A self-contained page (no scripts, no outside resources); every value is escaped."""
    e = html.escape

    def t(code: str, **params: object) -> str:  # a catalogue text, escaped
        return e(say(lang, code, **params))

    unit = _unit(result, lang)
    period = _period(result, lang)
    generated = datetime.now().astimezone().isoformat(timespec="seconds")
    steps = [_stat_row(result.step_titles.get(s, s), st, result.step_hours.get(s))
             for s, st in result.step_time.items()]
    parts = [
        "<!DOCTYPE html>", f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(name)} — {e(period)}</title>", f"<style>{_CSS}</style>",
        "</head><body>",
        f"<h1>{e(name)} <small>({e(result.procedure_id)})</small></h1>",
        "<p>" + t("cli.html.period", period=period,
                  versions=", ".join(result.versions) or "-", unit=unit) + "</p>",
        f"<h2>{t('cli.html.cases')}</h2>",
        _table((say(lang, "cli.html.measure"), say(lang, "cli.html.value")), [
            (say(lang, "cli.html.opened"), result.opened),
            (say(lang, "cli.html.closed"), result.closed),
            *((say(lang, "cli.html.closed_as", outcome=k), v)
              for k, v in result.outcomes.items()),
            (say(lang, "cli.html.within"), _share(result, lang))], frozenset({1}), lang),
        f"<h2>{t('cli.html.time', unit=unit)}</h2>",
        _table(("", "n", say(lang, "cli.html.median"), "p90",
                say(lang, "cli.html.median_hours"), say(lang, "cli.html.p90_hours")),
               [_stat_row(say(lang, "cli.html.per_case"), result.case_time), *steps],
               frozenset({1, 2, 3, 4, 5}), lang),
        f"<h2>{t('cli.html.breaches')}</h2>",
        _table((say(lang, "cli.html.actor"), say(lang, "cli.html.breach_count")),
               result.breaches_by_actor.items(), frozenset({1}), lang),
        _table((say(lang, "cli.html.escalated"), say(lang, "cli.html.breach_count")),
               result.breaches_by_escalation.items(), frozenset({1}), lang),
        *((_table((say(lang, "cli.html.phase"), say(lang, "cli.html.breach_count")),
                  result.phase_breaches.items(), frozenset({1}), lang),)
          if result.phase_breaches else ()),
        *((_table((say(lang, "cli.html.late_step"), say(lang, "cli.html.breach_count")),
                  _titled(result, result.late_reports).items(), frozenset({1}), lang),)
          if result.late_reports else ()),
        *((f"<h2>{t('cli.html.minimum')}</h2>",
           "<p>" + t("cli.rep.minimum", before=result.before_minimum,
                     closed=result.with_minimum, quote=result.minimum_text or "") + "</p>")
          if result.with_minimum else ()),
        *((f"<h2>{t('cli.html.joint')}</h2>",
           _table((say(lang, "cli.html.step"), say(lang, "cli.html.completions")),
                  _titled(result, result.joint_signoffs).items(), frozenset({1}), lang))
          if result.joint_signoffs else ()),
        f"<h2>{t('cli.html.refused')}</h2>",
        _table((say(lang, "cli.html.rule"), say(lang, "cli.html.refusals")),
               result.refused_by_rule.items(), frozenset({1}), lang),
        f'<p class="note">{t("cli.html.refused_openings", count=result.refused_openings)}</p>',
        f'<p class="note">{t("cli.html.unverified", count=result.unverified)}</p>',
        f'<p class="note">{t("cli.html.generated", at=generated)}</p>',
        "</body></html>",
    ]
    return "\n".join(parts)


# --- export -------------------------------------------------------------------------------

@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["xes", "csv", "jsonl"]), default="xes",
              show_default=True, help="XES (IEEE 1849) for process mining tools, CSV, or JSON "
                                      "Lines.")
@click.option("--procedure", default=None, metavar="PROC", help="Only cases of this procedure.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Write to FILE instead of standard output.")
@click.option("--include-sensitive", is_flag=True,
              help="Do not mask sensitive facts, documents and participant names (needs "
                   "--reason and --user; the reveal is recorded in the audit log).")
@click.option("--reason", default=None, help="Why sensitive data is revealed.")
@click.option("--user", "-u", default=None, help="Who reveals it.")
@click.option("--role", "-r", default="auditor", show_default=True,
              help="The role they act in (recorded with the reveal; with a roster, the role "
                   "that grants the privilege).")
@db_option
@roster_option
@click.pass_context
def export(ctx: click.Context, fmt: str, procedure: str | None, output: str,
           include_sensitive: bool, reason: str | None, user: str | None, role: str,
           db: str | None, roster: str | None) -> None:
    """Write the event log (one trace per case) for process mining.

    Sensitive facts and documents and the names of participants are masked (•••) unless
    --include-sensitive is given with --reason and --user, and the roster grants one of the
    user's roles 'export_sensitive'; that reveal is recorded in the audit log (action
    reveal:export) before anything is written. With a roster, a masked export needs 'audit'.
    """
    from engine.access import require_privilege
    from engine.analysis.audit.export import export_rows, write_csv, write_jsonl, write_xes
    from engine.cases.events import AuditRecord

    if include_sensitive:
        missing = [name for name, value in (("--reason", reason), ("--user", user))
                   if not (value and value.strip())]
        if missing:
            raise click.UsageError(say(lang_of(ctx), "err.cli.sensitive_needs",
                                       missing=", ".join(missing)))
    with engine_for(ctx, db, "text", roster) as engine:
        if include_sensitive:  # checked against the roster: refused (and recorded) otherwise
            role = require_privilege(engine, user, "export_sensitive", "export --include-sensitive")
        else:
            _auditor(engine, user, "text", "export")
        procedure_id = _procedure_id(engine, procedure) if procedure else None
        with _open_output(output, fmt) as out:
            if include_sensitive:  # recorded before anything sensitive is written
                assert reason is not None and user is not None
                engine.store.record_audit(AuditRecord(
                    at=engine.clock().isoformat(), user=user.strip(), role=role,
                    action="reveal:export", case_id=None, rule=None,
                    detail={"reason": reason.strip(), "format": fmt,
                            "procedure": procedure_id, "output": output}))
            events = engine.store.all_events(procedure_id)
            if fmt == "xes":
                traces, count = write_xes(events, engine.procedure, out,
                                          reveal=include_sensitive,
                                          name=f"alur {procedure_id or 'all procedures'}")
            else:
                rows = export_rows(events, engine.procedure, reveal=include_sensitive)
                count = (write_csv if fmt == "csv" else write_jsonl)(rows, out)
                traces = -1
    if output != "-":
        lang = lang_of(ctx)
        cases = say(lang, "cli.export.cases", cases=traces) if traces >= 0 else ""
        masked = say(lang, "cli.export.revealed" if include_sensitive else "cli.export.masked")
        click.echo(say(lang, "cli.export.done", count=count, cases=cases, output=output,
                       format=fmt, masked=masked), err=True)


@contextlib.contextmanager
def _open_output(output: str, fmt: str) -> Iterator[TextIO]:
    if output == "-":
        yield sys.stdout
        return
    from engine.files import private_open

    try:  # 0600 (less if the umask says so): an export holds personal data
        handle = private_open(output, newline="" if fmt == "csv" else None)
    except OSError as exc:
        raise UsageError.of("err.cli.output", None, path=output, problem=exc.strerror) from exc
    with handle:
        yield handle


__all__ = ["audit", "export", "report"]
