"""``alur serve`` (the HTTP service) and ``alur user`` (its accounts)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from typing import Any

import click

from engine.cli.app import db_of, db_option, fail, format_option, lang_of, main, say
from engine.errors import AlurError, UsageError
from engine.messages import text


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (share one store; use PostgreSQL for several machines).")
@click.option("--sweep-interval", default=60.0, show_default=True, type=click.FloatRange(0),
              help="Seconds between deadline sweeps (one worker sweeps at a time; 0: off).")
@click.option("--webhook-interval", default=1.0, show_default=True, type=click.FloatRange(0),
              help="Seconds a worker waits for webhook rows to come due (0: no delivery).")
@click.option("--webhook-lease", default=None, type=click.FloatRange(1), metavar="S",
              help="Seconds a worker's claim on webhook rows holds: rows a killed worker had "
                   "claimed are sent again after it (default: its batch's timeouts + 30 s).")
@click.option("--roster", default=None, metavar="FILE",
              help="Roster whose 'privileges:' (audit, erase, export_sensitive) the service "
                   "grants (default $ALUR_ROSTER); the users come from 'alur user'.")
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, sweep_interval: float,
          webhook_interval: float, webhook_lease: float | None, roster: str | None,
          db: str | None) -> None:
    """Serve the HTTP API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""
    import uvicorn

    from engine.cases.roster import load_roster, roster_path

    try:  # read here first: a broken roster stops the service before it listens
        path = roster_path(roster, lang_of(ctx))
        if path is not None:
            load_roster(path, lang_of(ctx))
            os.environ["ALUR_ROSTER"] = os.path.abspath(path)  # read again by each worker
    except AlurError as exc:
        fail(exc)
    url = db_of(ctx, db)
    if url:
        os.environ["ALUR_DB"] = url  # the worker processes open the same store
    os.environ["ALUR_SWEEP_INTERVAL"] = str(sweep_interval)
    os.environ["ALUR_WEBHOOK_INTERVAL"] = str(webhook_interval)
    os.environ["ALUR_WEBHOOK_LEASE"] = str(webhook_lease or "")
    os.environ["ALUR_LANG"] = lang_of(ctx)
    click.echo(say(lang_of(ctx), "cli.serve.listening", host=host, port=port), err=True)
    uvicorn.run("engine.service.asgi:app", host=host, port=port, workers=workers,
                log_level="warning", access_log=False, log_config=LOG_CONFIG,
                timeout_graceful_shutdown=30)


# uvicorn's own access log prints the path (with case ids); alur's prints the route template
LOG_CONFIG: dict[str, Any] = {
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {"alur.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
                "alur.service": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
                "uvicorn.error": {"handlers": ["stderr"], "level": "WARNING"}},
}


@main.group("user")
def user() -> None:
    """Accounts of the HTTP service: users, their roles, passwords and API tokens."""


def _accounts(ctx: click.Context, db: str | None, fmt: str) -> Any:
    from engine.store import open_store
    from engine.store.accounts import open_accounts

    url = db_of(ctx, db) or os.environ.get("ALUR_DB") or "sqlite:///alur.db"
    try:
        store = open_store(url)
        return open_accounts(url, store)
    except AlurError as exc:
        fail(exc, fmt)


def _password(lang: str, given: str | None) -> str:
    if given is not None:
        return given
    if not sys.stdin.isatty():  # a script pipes it in: one line
        line = sys.stdin.readline().rstrip("\n")
        if line:
            return line
        message, hint = text("cli.user.password_empty", lang)
        fail(UsageError(message, hint=hint))
    first = getpass.getpass(say(lang, "cli.user.password_prompt"))
    if first != getpass.getpass(say(lang, "cli.user.password_again")):
        message, hint = text("cli.user.password_mismatch", lang)
        fail(UsageError(message, hint=hint))
    return first


@user.command("add")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, help="A role id (repeat).")
@click.option("--agency", default="", help="The user's agency.")
@click.option("--password", default=None, help="Default: asked for (or one line on stdin).")
@db_option
@format_option
@click.pass_context
def user_add(ctx: click.Context, name: str, roles: tuple[str, ...], agency: str,
             password: str | None, db: str | None, fmt: str) -> None:
    """Add a user with their roles; the password is hashed with argon2."""
    from engine.service.auth import hash_password

    accounts = _accounts(ctx, db, fmt)
    try:
        accounts.add_user(name, hash_password(_password(lang_of(ctx), password)),
                          frozenset(roles), agency)
    except AlurError as exc:
        fail(exc, fmt)
    click.echo(json.dumps({"user": name, "roles": sorted(roles)}) if fmt == "json"
               else say(lang_of(ctx), "cli.user.added", user=name, roles=", ".join(roles)))


@user.command("list")
@db_option
@format_option
@click.pass_context
def user_list(ctx: click.Context, db: str | None, fmt: str) -> None:
    """The users, their roles and whether they are disabled."""
    accounts = _accounts(ctx, db, fmt)
    found = accounts.users()
    if fmt == "json":
        click.echo(json.dumps([{"user": u.name, "roles": sorted(u.roles), "agency": u.agency,
                                "disabled": u.disabled} for u in found], indent=2))
        return
    for u in found:
        click.echo(f"{u.name}\t{','.join(sorted(u.roles))}\t"
                   + (say(lang_of(ctx), "cli.user.disabled") if u.disabled else ""))


def _set(ctx: click.Context, db: str | None, fmt: str, action: Any, done: str,
         **params: object) -> None:
    accounts = _accounts(ctx, db, fmt)
    try:
        action(accounts)
    except AlurError as exc:
        fail(exc, fmt)
    click.echo(json.dumps({"done": done, **params}) if fmt == "json"
               else say(lang_of(ctx), f"cli.user.{done}", **params))


@user.command("disable")
@click.argument("name")
@db_option
@format_option
@click.pass_context
def user_disable(ctx: click.Context, name: str, db: str | None, fmt: str) -> None:
    """Disable a user: their tokens stop working at once."""
    _set(ctx, db, fmt, lambda a: a.set_disabled(name, True), "disabled_now", user=name)


@user.command("enable")
@click.argument("name")
@db_option
@format_option
@click.pass_context
def user_enable(ctx: click.Context, name: str, db: str | None, fmt: str) -> None:
    """Enable a disabled user again."""
    _set(ctx, db, fmt, lambda a: a.set_disabled(name, False), "enabled_now", user=name)


@user.command("roles")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, help="A role id (repeat).")
@db_option
@format_option
@click.pass_context
def user_roles(ctx: click.Context, name: str, roles: tuple[str, ...], db: str | None,
               fmt: str) -> None:
    """Replace a user's roles."""
    _set(ctx, db, fmt, lambda a: a.set_roles(name, frozenset(roles)), "roles_set", user=name,
         roles=", ".join(roles))


@user.command("passwd")
@click.argument("name")
@click.option("--password", default=None, help="Default: asked for (or one line on stdin).")
@db_option
@format_option
@click.pass_context
def user_passwd(ctx: click.Context, name: str, password: str | None, db: str | None,
                fmt: str) -> None:
    """Set a user's password."""
    from engine.service.auth import hash_password

    hashed = hash_password(_password(lang_of(ctx), password))
    _set(ctx, db, fmt, lambda a: a.set_password(name, hashed), "password_set", user=name)


@user.command("token")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, default=("read", "write"), show_default=True,
              type=click.Choice(["read", "write", "admin"]), help="What the token allows.")
@click.option("--label", default="cli", help="What the token is for.")
@db_option
@format_option
@click.pass_context
def user_token(ctx: click.Context, name: str, scopes: tuple[str, ...], label: str,
               db: str | None, fmt: str) -> None:
    """Make an API token for a user; it is printed once and stored only as its SHA-256."""
    accounts = _accounts(ctx, db, fmt)
    try:
        token, secret = accounts.add_token(name, label, frozenset(scopes))
    except AlurError as exc:
        fail(exc, fmt)
    if fmt == "json":
        click.echo(json.dumps({"token": secret, "id": token.id, "user": name,
                               "scopes": sorted(scopes)}))
    else:
        click.echo(secret)
        click.echo(say(lang_of(ctx), "cli.user.token_made", id=token.id), err=True)


@user.command("revoke")
@click.argument("token_id")
@db_option
@format_option
@click.pass_context
def user_revoke(ctx: click.Context, token_id: str, db: str | None, fmt: str) -> None:
    """Revoke an API token by its id."""
    accounts = _accounts(ctx, db, fmt)
    if not accounts.revoke(token_id):
        message, hint = text("cli.user.no_token", lang_of(ctx), id=token_id)
        fail(UsageError(message, hint=hint), fmt, exit_code=3)
    click.echo(json.dumps({"revoked": token_id}) if fmt == "json"
               else say(lang_of(ctx), "cli.user.revoked", id=token_id))
