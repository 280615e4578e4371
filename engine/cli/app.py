"""The ``alur`` command group and what every command shares: options, errors, exit codes.

Commands live in sibling modules by concept (procedures, cases, audit) and only parse, call one
engine function, format the result (text or json) and exit. Only this package prints or exits.

Exit codes (the only place they are decided):
  0  success (warnings allowed unless --strict)
  1  the input is invalid, a command was refused, or a check (audit) found problems
  2  usage error: bad arguments or options
  3  not found: no such procedure or case
  4  conflict: another worker changed the case first; retry the command
  5  store error: the store cannot be opened or written, or it has been tampered with
"""

from __future__ import annotations

import gc
import importlib
import itertools
import json
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from engine.errors import (
    AlurError,
    CaseNotFound,
    CommandRefused,
    ConcurrencyConflict,
    FileNotFound,
    ProcedureError,
    ProcedureNotFound,
    StoreError,
    UsageError,
)
from engine.messages import LANGS, default_lang, line, text
from engine.safe_text import printable, unsafe_in

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_CONFLICT, EXIT_STORE = 0, 1, 2, 3, 4, 5


def _exit_code(error: AlurError) -> int:
    if isinstance(error, (ProcedureNotFound, CaseNotFound, FileNotFound)):
        return EXIT_NOT_FOUND
    if isinstance(error, ConcurrencyConflict):
        return EXIT_CONFLICT
    if isinstance(error, StoreError):
        return EXIT_STORE
    if isinstance(error, UsageError):
        return EXIT_USAGE
    return EXIT_INVALID


def fail(error: AlurError, fmt: str = "text", exit_code: int | None = None) -> NoReturn:
    """Report an engine error the way the user asked and exit with its code (or
    ``exit_code``, for commands whose exit codes mean something else, like ``diff``)."""
    ctx = click.get_current_context(silent=True)
    lang = lang_of(ctx) if ctx is not None else default_lang()
    message, hint = error.localized(lang)
    if fmt == "json":
        data = error.to_dict()
        data.update(message=message, hint=hint)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(printable(say(lang, "cli.error", message=message)), err=True)
        if isinstance(error, ProcedureError):
            for diagnostic in error.diagnostics:
                click.echo(diagnostic.format(lang), err=True)
        if isinstance(error, CommandRefused):
            click.echo(say(lang, "cli.rule", rule=error.rule), err=True)
        if hint:
            click.echo(printable(say(lang, "cli.hint", hint=hint)), err=True)
    sys.exit(_exit_code(error) if exit_code is None else exit_code)


def format_option(f: F) -> F:
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="Output for people (text) or programs (json).")(f)


def db_option(f: F) -> F:
    return click.option("--db", "db", default=None, metavar="URL",
                        help="Store URL: sqlite:///path.db (default ./alur.db, or $ALUR_DB), "
                             "postgresql://..., memory://")(f)


# Which module defines each command: a command's module is imported only when that command
# runs (or --help lists them), so `alur validate` does not pay for the store, renderers or audit.
COMMAND_MODULES = {
    "validate": "procedures", "schema": "procedures", "show": "procedures",
    "case": "cases", "run": "cases", "inbox": "cases", "due": "cases",
    "graph": "graph", "audit": "audit", "report": "audit", "export": "audit",
    "diff": "policy", "simulate": "policy", "import": "authoring", "new": "authoring",
    "retention": "retention", "serve": "serve", "user": "serve", "webhooks": "webhooks",
}


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (a test runner's buffer)
        pass


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        root = ctx.find_root()
        root.ensure_object(dict)
        root.obj["lang"] = value


def _with_lang_option(command: click.Command) -> click.Command:
    """Give a command (and a group's subcommands) ``--lang`` too, so ``alur validate --lang id``
    works as well as ``alur --lang id validate``."""
    if not any(p.name == "lang" for p in command.params):
        command.params.append(click.Option(
            ["--lang"], type=click.Choice(["en", "id"]), default=None, expose_value=False,
            is_eager=True, callback=_set_lang,
            help="Language of messages: en or id (default $ALUR_LANG or en)."))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _with_lang_option(sub)
    return command


class LazyGroup(click.Group):
    """A click group whose subcommands register themselves when their module is imported."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The process entry: the console script calls ``main()`` (tests call ``main.main``).

        Everything imported so far (pydantic, the models, the validator) lives until the
        process ends, so it is moved out of the garbage collector's sight (``gc.freeze``):
        no collection scans it again, the full ones at interpreter exit included, which saves
        a cold ``alur validate`` ~10 % (docs/performance.md). Nothing else changes: frozen
        objects are still freed by reference counting, and objects made later are collected
        as usual."""
        gc.freeze()
        return super().__call__(*args, **kwargs)

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Refuse an argument that is not UTF-8 before anything uses it (exit 2): Python hands
        it over with surrogates, which no store, file or terminal can take (a traceback)."""
        given = sys.argv[1:] if args is None else list(args)
        for number, arg in enumerate(given, start=1):
            if isinstance(arg, str) and unsafe_in(arg) is not None \
                    and any("\udc80" <= c <= "\udcff" for c in arg):
                lang = default_lang()
                for flag, value in itertools.pairwise(given):
                    if flag == "--lang" and value in LANGS:
                        lang = value
                raw = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                message, hint = text("err.arg_not_utf8", lang, number=number,
                                     arg=printable(raw))
                click.echo(say(lang, "cli.error", message=message), err=True)
                click.echo(say(lang, "cli.hint", hint=hint), err=True)
                sys.exit(EXIT_USAGE)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Output piped into a reader that stops early (``alur case list | head``) ends the
        command quietly with exit 0, as a Unix filter does: stdout is pointed at /dev/null so
        that nothing more (the interpreter's final flush included) fails on the closed pipe."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            raise click.exceptions.Exit(EXIT_OK) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"engine.cli.{module}")
        command = super().get_command(ctx, cmd_name)
        return _with_lang_option(command) if command is not None else None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="Language of messages: en or id (default $ALUR_LANG or en).")
@click.option("--db", default=None, metavar="URL", help="Store URL for every subcommand.")
@click.version_option(package_name="alur")
@click.pass_context
def main(ctx: click.Context, lang: str | None, db: str | None) -> None:
    """alur: validate, run and audit public-service procedures (Standar Pelayanan).

    Exit codes: 0 ok, 1 invalid/refused/problems found, 2 usage, 3 not found, 4 conflict
    (retry), 5 store error or tampering.
    """
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang or default_lang()
    ctx.obj["db"] = db


def lang_of(ctx: click.Context) -> str:
    return str(ctx.obj.get("lang") or default_lang()) if ctx.obj else default_lang()


def say(lang: str, code: str, **params: object) -> str:
    """One line of CLI text output from the message catalogue (``cli.*`` entries)."""
    return line(code, lang, **params)


def db_of(ctx: click.Context, db: str | None) -> str | None:
    return db or (ctx.obj.get("db") if ctx.obj else None)


__all__ = ["db_of", "db_option", "fail", "format_option", "lang_of", "main", "say"]
