"""``alur webhooks``: subscriptions of the HTTP service's webhooks and their dead letters.

The service (``alur serve``) delivers; these commands manage what it delivers to, on the same
store (engine/store/outbox.py; docs/service.md, "Webhooks").
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from engine.cli.app import db_of, db_option, fail, format_option, lang_of, main, say
from engine.errors import AlurError, UsageError
from engine.messages import text

if TYPE_CHECKING:
    from engine.store.outbox import Outbox


@main.group("webhooks")
def webhooks() -> None:
    """Webhooks of the HTTP service: subscribed URLs, dead letters, retries."""


@contextlib.contextmanager
def _outbox(ctx: click.Context, db: str | None, fmt: str) -> Iterator[Outbox]:
    """The outbox of the store, closed (with the store) when the command is done."""
    from engine.store import open_store
    from engine.store.outbox import open_outbox

    url = db_of(ctx, db) or os.environ.get("ALUR_DB") or "sqlite:///alur.db"
    try:
        store = open_store(url)
    except AlurError as exc:
        fail(exc, fmt)
    try:
        try:
            outbox = open_outbox(url, store)
        except AlurError as exc:
            fail(exc, fmt)
        try:
            yield outbox
        except AlurError as exc:
            fail(exc, fmt)
        finally:
            outbox.close()
    finally:
        store.close()


def _types(kinds: tuple[str, ...] | list[str]) -> str:
    return ",".join(kinds) or "*"


@webhooks.command("add")
@click.argument("url")
@click.option("--procedure", default="", help="Only cases of this procedure id (default: all).")
@click.option("--event", "events", multiple=True,
              help="Only this event type (repeat; default: every type).")
@click.option("--allow-sensitive", is_flag=True,
              help="Payloads may carry sensitive values and outside participants' ids.")
@click.option("--secret", default=None,
              help="Signing secret, 16 characters or more (default: a new random one).")
@db_option
@format_option
@click.pass_context
def webhooks_add(ctx: click.Context, url: str, procedure: str, events: tuple[str, ...],
                 allow_sensitive: bool, secret: str | None, db: str | None, fmt: str) -> None:
    """Subscribe URL to events from now on; prints the signing secret once."""
    with _outbox(ctx, db, fmt) as outbox:
        sub = outbox.add(url, procedure_id=procedure, event_types=events,
                         sensitive=allow_sensitive, secret=secret)
    if fmt == "json":
        click.echo(json.dumps({"id": sub.id, "url": sub.url, "procedure": sub.procedure_id,
                               "event_types": list(sub.event_types),
                               "allow_sensitive": sub.sensitive, "secret": sub.secret}))
        return
    click.echo(say(lang_of(ctx), "cli.hooks.added", id=sub.id, procedure=procedure or "*",
                   types=_types(sub.event_types)))
    click.echo(sub.secret)
    click.echo(say(lang_of(ctx), "cli.hooks.secret_once"), err=True)


@webhooks.command("list")
@click.option("--dead", is_flag=True, help="List the dead letters instead.")
@db_option
@format_option
@click.pass_context
def webhooks_list(ctx: click.Context, dead: bool, db: str | None, fmt: str) -> None:
    """The subscriptions (never their secrets) with their pending, delivered and dead rows;
    with --dead, the rows given up on."""
    from engine.store.outbox import counts_by_subscription

    with _outbox(ctx, db, fmt) as outbox:
        rows = outbox.rows("dead") if dead else []
        subs = [] if dead else outbox.subscriptions()
        counts = {} if dead else counts_by_subscription(outbox)
    if dead:
        if fmt == "json":
            click.echo(json.dumps([{"id": r.id, "webhook": r.subscription_id,
                                    "case_id": r.case_id, "seq": r.seq,
                                    "event_type": r.event_type, "attempts": r.attempts,
                                    "last_error": r.last_error} for r in rows], indent=2))
            return
        for r in rows:
            click.echo(f"{r.id}\t{r.subscription_id}\t{r.case_id}#{r.seq}\t{r.event_type}\t"
                       f"{r.attempts}\t{r.last_error or '-'}")
        return
    empty = {"pending": 0, "delivered": 0, "dead": 0}
    if fmt == "json":
        click.echo(json.dumps([{"id": s.id, "url": s.url, "procedure": s.procedure_id,
                                "event_types": list(s.event_types),
                                "allow_sensitive": s.sensitive, "created_at": s.created_at,
                                **counts.get(s.id, empty)} for s in subs], indent=2))
        return
    for s in subs:
        c = counts.get(s.id, empty)
        click.echo(say(lang_of(ctx), "cli.hooks.line", id=s.id, url=s.url,
                       procedure=s.procedure_id or "*", types=_types(s.event_types),
                       pending=c["pending"], delivered=c["delivered"], dead=c["dead"])
                   + ("\t" + say(lang_of(ctx), "cli.hooks.sensitive") if s.sensitive else ""))


@webhooks.command("remove")
@click.argument("webhook_id")
@db_option
@format_option
@click.pass_context
def webhooks_remove(ctx: click.Context, webhook_id: str, db: str | None, fmt: str) -> None:
    """Remove a subscription and every row it still had (exit 3: no such subscription)."""
    with _outbox(ctx, db, fmt) as outbox:
        gone = outbox.remove(webhook_id)
    if not gone:
        message, hint = text("hook.no_subscription", lang_of(ctx), id=webhook_id)
        fail(UsageError(message, hint=hint), fmt, exit_code=3)
    click.echo(json.dumps({"removed": webhook_id}) if fmt == "json"
               else say(lang_of(ctx), "cli.hooks.removed", id=webhook_id))


@webhooks.command("retry")
@click.argument("row_ids", nargs=-1, type=click.IntRange(1, 10**15))
@db_option
@format_option
@click.pass_context
def webhooks_retry(ctx: click.Context, row_ids: tuple[int, ...], db: str | None,
                   fmt: str) -> None:
    """Send dead letters again (the ids `alur webhooks list --dead` shows; none: all of
    them). Exit 3 when ids were given and none of them is a dead letter."""
    with _outbox(ctx, db, fmt) as outbox:
        count = outbox.retry(row_ids, now=time.time())
    if row_ids and not count:
        message, hint = text("hook.no_dead", lang_of(ctx),
                             ids=", ".join(str(i) for i in row_ids))
        fail(UsageError(message, hint=hint), fmt, exit_code=3)
    click.echo(json.dumps({"requeued": count}) if fmt == "json"
               else say(lang_of(ctx), "cli.hooks.requeued", count=count))
