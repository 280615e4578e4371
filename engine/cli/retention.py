"""``alur retention apply``: anonymise closed cases whose retention period has passed."""

from __future__ import annotations

import json

import click

from engine.cli.app import db_option, fail, format_option, main, say
from engine.cli.cases import _parse_now, engine_for
from engine.errors import UsageError


@main.group()
def retention() -> None:
    """Apply each procedure's retention rule to closed cases."""


@retention.command("apply")
@click.option("--now", required=True,
              help="The moment to apply the rule at (ISO 8601 with offset).")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised.")
@click.option("--user", default="alur", show_default=True, help="Who applies it (recorded).")
@db_option
@format_option
@click.pass_context
def retention_apply(ctx: click.Context, now: str, dry_run: bool, user: str, db: str | None,
                    fmt: str) -> None:
    """Erase personal data of closed cases past their retention period; chains stay verifiable."""
    from engine.cases.events import AuditRecord
    from engine.retention import apply_retention

    moment = _parse_now(now)
    if moment is None:
        fail(UsageError.of("err.cli.now_required", None), fmt)
    with engine_for(ctx, db, fmt) as engine:
        done = apply_retention(engine, moment, user=user, dry_run=dry_run)
        if not dry_run:
            for item in done:
                engine.store.record_audit(AuditRecord(
                    at=moment.isoformat(), user=user, role="system", action="retention:apply",
                    case_id=item.case_id, rule="retention",
                    detail={"redacted_values": item.redacted_values,
                            "erased_documents": item.erased_documents}))
        if fmt == "json":
            click.echo(json.dumps({"dry_run": dry_run, "cases": [
                {"case_id": d.case_id, "redacted_values": d.redacted_values,
                 "erased_documents": d.erased_documents} for d in done]}, indent=2))
            return
        verb = say(engine.lang, "cli.retention.would" if dry_run else "cli.retention.done")
        for item in done:
            click.echo(say(engine.lang, "cli.retention.case", verb=verb, case=item.case_id,
                           values=item.redacted_values, documents=item.erased_documents))
        click.echo(say(engine.lang, "cli.retention.total", count=len(done), verb=verb))
