"""Commands for policy staff weighing a change: ``diff`` (two versions) and ``simulate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from engine.analysis.simulate import (
    DEFAULT_START,
    MAX_CASES,
    SimulationResult,
    parse_staff,
    simulate,
)
from engine.authoring.diff import AffectedCase, Change, affected_cases, diff
from engine.cli.app import (
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    db_of,
    fail,
    format_option,
    lang_of,
    main,
    say,
)
from engine.errors import AlurError, UsageError
from engine.messages import LANGS
from engine.procedure.catalog import resolve
from engine.procedure.validate import Checked


def _t(key: str, lang: str, **params: Any) -> str:
    """One line of the diff or simulation report (the catalogue's ``cli.policy.*`` entries)."""
    return say(lang, f"cli.policy.{key}", **params)


def _trouble(error: AlurError, fmt: str) -> NoReturn:
    """Like :func:`fail`, but exit 2: ``diff`` keeps 1 for "differences found" (a missing
    file or procedure is 3, "not found", as everywhere)."""
    from engine.errors import FileNotFound, ProcedureNotFound

    missing = isinstance(error, (FileNotFound, ProcedureNotFound))
    fail(error, fmt, EXIT_NOT_FOUND if missing else EXIT_USAGE)


def _describe(checked: Checked, digest: str) -> dict[str, Any]:
    assert checked.procedure is not None
    return {"file": checked.file, "id": checked.procedure.id,
            "version": checked.procedure.version, "hash": digest}


def _store_cases(url: str, lang: str) -> list[Any]:
    """Every case snapshot in the store at ``url`` (which must exist, for SQLite)."""
    from engine.api import Engine

    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):].partition("?")[0]
        if path and not Path(path).exists():
            raise UsageError.of("err.policy.no_store", lang, url=url)
    with Engine(url, lang=lang) as engine:
        return list(engine.cases())


@main.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@format_option
@click.option("--lang", "lang", type=click.Choice(LANGS), default=None,
              help="Language of the report: en or id (default: the global --lang).")
@click.option("--db", "db", default=None, metavar="URL",
              help="Also list running cases in this store that sit at a step the new "
                   "version removes or changes.")
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str, fmt: str, lang: str | None,
                 db: str | None) -> None:
    """Compare two versions of a procedure in words a policy reviewer reads.

    OLD and NEW are procedure files (or ids of procedures in ./procedures). Every change is
    one sentence: steps added, removed, renamed or re-numbered, re-routed, given to another
    actor, needing or producing other documents, new deadlines or estimates; roles,
    documents, facts, requirements, the time limit, cost, products, complaint channels, the
    decree and flags. List order, key order, comments and whitespace are not changes.

    With --db URL (or the global --db), also list running (not closed) cases that sit at a
    step the new version removes or changes. A case counts when it is pinned to the OLD
    file's content hash (SHA-256 of its UTF-8 text, as 'alur case open' stores it); a case of
    the same procedure id on another stored version (not NEW) is matched by its current step
    id and marked as such. $ALUR_DB is not read: the store is only opened when asked.

    \b
    Exit codes (as diff(1)):
      0  no differences
      1  differences found
      2  trouble: a file is invalid, a bad option, or the store cannot be read
      3  a file or procedure is not found
    """
    lang = lang or lang_of(ctx)
    try:
        before, after = resolve(old, lang), resolve(new, lang)
    except AlurError as exc:
        _trouble(exc, fmt)
    assert before.procedure is not None and after.procedure is not None
    from engine.api import text_hash

    old_hash, new_hash = text_hash(before.text), text_hash(after.text)
    changes = diff(before.procedure, after.procedure)
    url = db_of(ctx, db)
    affected: list[AffectedCase] | None = None
    if url is not None:
        try:
            snapshots = _store_cases(url, lang)
        except AlurError as exc:
            _trouble(exc, fmt)
        affected = affected_cases(changes, before.procedure, snapshots, old_hash, new_hash)
    if fmt == "json":
        data: dict[str, Any] = {"old": _describe(before, old_hash),
                                "new": _describe(after, new_hash),
                                "differences": bool(changes), "count": len(changes),
                                "changes": [c.to_dict(lang) for c in changes]}
        if affected is not None:
            data["cases"] = [c.to_dict(lang) for c in affected]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_diff(before, after, changes, affected, lang)
    sys.exit(EXIT_INVALID if changes else EXIT_OK)


def _print_diff(before: Checked, after: Checked, changes: list[Change],
                affected: list[AffectedCase] | None, lang: str) -> None:
    assert before.procedure is not None and after.procedure is not None
    echo = click.echo
    echo(_t("comparing", lang,
            old=f"{before.procedure.id} {before.procedure.version} ({before.file})",
            new=f"{after.procedure.id} {after.procedure.version} ({after.file})"))
    if not changes:
        echo(_t("none", lang))
    else:
        echo(_t("count", lang, count=len(changes)))
        for change in changes:
            echo(f"  - {change.message(lang)}")
    if affected is None:
        return
    if not affected:
        echo(_t("no_cases", lang))
        return
    echo(_t("cases", lang))
    for case in affected:
        where = _t("at_step", lang, number=case.number or "?", step=case.step)
        how = _t("pinned" if case.pinned else "by_id", lang)
        echo(f"  - {case.case_id} ({case.status}) {where}: {_t(case.effect, lang)}; {how}")
        for change in case.changes:
            echo(f"      {change.message(lang)}")


def _weights(values: tuple[str, ...], lang: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in values:
        key, sep, number = item.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError(item)
            weights[key.strip()] = float(number)
        except ValueError:
            raise UsageError.of("err.policy.weight", lang, item=item) from None
    return weights


@main.command("simulate")
@click.argument("proc", metavar="PROC")
@click.option("--cases", "-n", "cases", type=click.IntRange(1, MAX_CASES), default=100,
              show_default=True, help="Number of cases to simulate.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed: the same seed gives the same result.")
@click.option("--staff", "staff", multiple=True, metavar="ROLE=COUNT",
              help="People in a staff role (default 1 each; repeat the option). External "
                   "roles are unlimited; a team works through its members.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]),
              default=DEFAULT_START.isoformat(), show_default=True,
              help="First day of arrivals (YYYY-MM-DD; the next working day if it is not one).")
@click.option("--arrivals-per-day", "arrivals", type=click.FloatRange(0, 10_000, min_open=True),
              default=1.0, show_default=True,
              help="Average new cases per working day (Poisson arrivals).")
@click.option("--max-visits", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="A case enters a step at most this often (ends loops).")
@click.option("--weight", "weights", multiple=True, metavar="STEP.OUTCOME=WEIGHT",
              help="Relative weight of a decision outcome (default 1 each).")
@format_option
@click.pass_context
def simulate_command(ctx: click.Context, proc: str, cases: int, seed: int,
                     staff: tuple[str, ...], start: Any, arrivals: float, max_visits: int,
                     weights: tuple[str, ...], fmt: str) -> None:
    """Simulate many cases of a procedure: completion times, breaches, bottleneck roles.

    PROC is a procedure file or the id of a procedure in ./procedures. Cases arrive at random
    (Poisson) and walk the steps from the first; each step takes a random time around its
    'estimate' (lognormal with that mean; 1 working day when absent), worked only 08:00-16:00
    on working days of the agency's calendar, by one person of its actor role (queues are
    first come, first served). A team step is done by whichever member role is free first.
    Decisions pick outcomes at random (equally likely unless --weight); an outcome that loops
    back becomes half as likely on each repeat, and --max-visits caps loops. The time-limit
    clock starts as the procedure says (requirements_met: once the required documents exist).
    The same options and --seed give the same result. See docs/language.md.

    \b
    Exit codes: 0 done, 1 the procedure is invalid, 2 bad option (e.g. --staff), 3 not found.
    """
    lang = lang_of(ctx)
    try:
        checked = resolve(proc, lang)
        assert checked.procedure is not None
        procedure = checked.procedure
        people = parse_staff(staff)
        calendar = None
        if procedure.agency.calendar:
            from engine.cases.calendar import calendar_for, load_overrides

            overrides = load_overrides(Path(checked.file).parent / procedure.agency.calendar)
            calendar = calendar_for(procedure.agency.timezone, overrides)
        result = simulate(procedure, cases=cases, seed=seed, staff=people, start=start.date(),
                          arrivals_per_day=arrivals, max_visits=max_visits, calendar=calendar,
                          outcome_weights=_weights(weights, lang))
    except AlurError as exc:
        fail(exc, fmt)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_simulation(result, lang)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _print_simulation(result: SimulationResult, lang: str) -> None:
    echo = click.echo
    echo(_t("sim_title", lang, id=result.procedure_id, version=result.version,
            cases=result.cases, seed=result.seed, rate=f"{result.arrivals_per_day:g}",
            start=result.start.isoformat()))
    echo(_t("sim_model", lang))
    echo(_t("sim_staff", lang, staff=", ".join(f"{r}={n}" for r, n in result.staff.items())
            or "-"))
    outcomes = ", ".join(f"{k} {v}" for k, v in result.outcomes.items())
    echo(_t("sim_finished", lang, finished=result.finished, cases=result.cases,
            outcomes=outcomes))
    if result.unfinished:
        echo(_t("sim_unfinished", lang, count=result.unfinished, max_visits=result.max_visits))
    for key, dist, extra in (("sim_completion", result.completion,
                              {"starts": result.time_limit["starts"]}),
                             ("sim_total", result.total, {})):
        echo(_t(key, lang, **extra))
        echo(_t("sim_stats", lang, mean=_num(dist.mean), median=_num(dist.median),
                p90=_num(dist.p90), max=_num(dist.max)))
    share = result.share_breaching
    if result.time_limit["assessed"] and share is not None:
        echo(_t("sim_limit", lang, amount=result.time_limit["amount"],
                unit=_t(str(result.time_limit["unit"]), lang), breached=result.breached,
                assessed=result.assessed, share=f"{share:.1%}"))
    else:
        echo(_t("sim_no_limit", lang))
    for over in result.overloaded:
        click.secho(_t("sim_overloaded", lang, role=over["role"],
                       demand=over["demand_days_per_day"], staff=over["staff"],
                       needed=over["staff_needed"], rate=over["max_arrivals_per_day"]),
                    fg="yellow", err=True)
    echo(_t("sim_roles", lang))
    echo(_t("sim_header", lang, role=_t("h_role", lang), staff=_t("h_staff", lang),
            util=_t("h_util", lang), wait=_t("h_wait", lang), maxwait=_t("h_max", lang),
            tasks=_t("h_tasks", lang)))
    day = _t("day", lang)
    for load in result.roles:
        if load.staff is None:
            echo(_t("sim_header", lang, role=load.role, staff="-", util="-", wait="-",
                    maxwait="-", tasks=load.tasks) + f"  {_t('external', lang)}")
            continue
        echo(_t("sim_header", lang, role=load.role, staff=load.staff,
                util=f"{(load.utilisation or 0.0):.1%}",
                wait=f"{load.mean_wait_days:.2f} {day}",
                maxwait=f"{load.max_wait_days:.2f} {day}", tasks=load.tasks))
