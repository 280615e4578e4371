"""``alur retention apply``: anonymise closed cases whose retention period has passed."""

from __future__ import annotations

import json

import click

from engine.cli.app import db_option, format_option, main, say
from engine.cli.cases import _parse_now, engine_for, roster_option


@main.group()
def retention() -> None:
    """Apply each procedure's retention rule to closed cases."""


@retention.command("apply")
@click.option("--now", default=None,
              help="The moment to apply the rule at (ISO 8601 with offset; default the clock). "
                   "Never later than the clock, except with --dry-run.")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised.")
@click.option("--user", "-u", default="alur", show_default=True,
              help="Who applies it: the roster must give them a role with 'erase' (recorded).")
@db_option
@roster_option
@format_option
@click.pass_context
def retention_apply(ctx: click.Context, now: str | None, dry_run: bool, user: str,
                    db: str | None, roster: str | None, fmt: str) -> None:
    """Erase personal data of closed cases past their retention period; chains stay verifiable.

    Needs a roster whose 'privileges: erase:' names a role the user holds; without one nothing
    is erased. After erasing, the SQLite WAL is checkpointed and truncated (exit 5 when another
    process keeps it from being emptied: run again once it is closed).
    """
    from engine.access import require_not_ahead, require_privilege
    from engine.cases.events import AuditRecord
    from engine.retention import apply_retention

    moment = _parse_now(now)
    with engine_for(ctx, db, fmt, roster) as engine:
        # once for the run (recorded once), before any case; each case's Anonymise command
        # meets the same rules again
        role = require_privilege(engine, user, "erase", "retention apply")
        clock = engine.clock()
        if moment is None:
            moment = clock
        elif not dry_run:  # erasing ahead of time is erasing early
            require_not_ahead(engine, user, role, moment, clock)
        done = apply_retention(engine, moment, user=user, role=role, dry_run=dry_run)
        if not dry_run:
            for item in done:
                engine.store.record_audit(AuditRecord(
                    at=clock.isoformat(), user=user, role=role, action="retention:apply",
                    case_id=item.case_id, rule="retention",
                    detail={"redacted_values": item.redacted_values,
                            "erased_documents": item.erased_documents,
                            "now": moment.isoformat()}))
            from engine.retention import checkpoint

            # also when nothing was due: a run after a failed checkpoint empties the WAL then
            checkpoint(engine)  # StoreError (exit 5) when the WAL cannot be emptied
        if fmt == "json":
            click.echo(json.dumps({"dry_run": dry_run, "cases": [
                {"case_id": d.case_id, "redacted_values": d.redacted_values,
                 "erased_documents": d.erased_documents, "kept_user_ids": d.kept_user_ids}
                for d in done]}, indent=2))
            return
        verb = say(engine.lang, "cli.retention.would" if dry_run else "cli.retention.done")
        for item in done:
            click.echo(say(engine.lang, "cli.retention.case", verb=verb, case=item.case_id,
                           values=item.redacted_values, documents=item.erased_documents))
            if item.kept_user_ids:
                click.echo(say(engine.lang, "cli.retention.kept_users", case=item.case_id,
                               count=item.kept_user_ids))
        click.echo(say(engine.lang, "cli.retention.total", count=len(done), verb=verb))
