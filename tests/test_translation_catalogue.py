"""One translation mechanism: the code-keyed catalogue in ``engine/messages.py``.

(a) every entry has English and Indonesian, message and hint, with the same ``{placeholders}``;
(b) no user-facing text bypasses the catalogue: an AST scan of ``engine/`` fails on a string
    literal or f-string with words in it that is printed or asked (``click.echo``, ``secho``,
    ``print``, ``click.prompt``, ``click.confirm``, ``sys.exit``, ``ctx.fail``)
    or given as the message or hint of an error a user sees (every :class:`AlurError` subclass
    and click's own exceptions), and on any ``lang == "id"`` branch;
(c) every key named in the code exists, and every key is named somewhere in the code.
"""

from __future__ import annotations

import ast
import inspect
import re
import string
from pathlib import Path

import click
import pytest

import engine.errors
from engine.messages import CATALOGUE, LANGS, text

ENGINE = Path(__file__).resolve().parent.parent / "engine"

# A literal is user-facing text when it holds a word (two letters in a row); punctuation,
# indentation and placeholders alone (f"  - {item}", f"{role}={count}") are layout.
_WORDS = re.compile(r"[A-Za-z]{2}")

# Exceptions whose message reaches a user: alur's tree and click's.
_USER_ERRORS = frozenset(
    {name for name, obj in inspect.getmembers(engine.errors, inspect.isclass)
     if issubclass(obj, engine.errors.AlurError)}
    | {"ClickException", "BadParameter", "BadOptionUsage", "BadArgumentUsage", "FileError",
       "NoSuchOption", "MissingParameter", "Abort"})
_PRINTERS = frozenset({"echo", "secho", "print", "prompt", "confirm", "fail", "exit", "warn"})

# The allow-list: (module relative to engine/, literal text) that may stay outside the
# catalogue, each with its reason. Empty today: layout (punctuation, indentation, fields such
# as f"  - {item}") has no word and passes the rule above; identifiers, paths and JSON keys are
# parameters, not literals. Command --help texts are not scanned (they stay English).
ALLOWED: dict[tuple[str, str], str] = {}

# Modules another branch is translating at the same time (graph labels, ``alur show``, the
# timeline): scanned once that work is merged.
PENDING: tuple[str, ...] = ()


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _entries() -> list[str]:
    return sorted(CATALOGUE)


# --- (a) the catalogue is complete ----------------------------------------------------------

@pytest.mark.parametrize("key", _entries())
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGS), f"{key}: languages {sorted(entry)}"
    (en_message, en_hint), (id_message, id_hint) = entry["en"], entry["id"]
    assert en_message.strip() and id_message.strip(), f"{key}: empty message"
    assert bool(en_hint.strip()) == bool(id_hint.strip()), f"{key}: hint in one language only"
    assert _placeholders(en_message) == _placeholders(id_message), f"{key}: message fields"
    assert _placeholders(en_hint) == _placeholders(id_hint), f"{key}: hint fields"


def _conversions(template: str) -> dict[str, str | None]:
    return {name: conversion for _, name, _, conversion in string.Formatter().parse(template)
            if name}


@pytest.mark.parametrize("key", _entries())
def test_term_fields_are_marked_in_both_languages(key: str) -> None:
    """``{suggestion}`` always holds a term code (``did_you_mean=x``, from ``suggest()``), so it
    must be written ``{suggestion!t}``; and a field is a term in both languages or in none."""
    for index in (0, 1):
        en, idn = (_conversions(CATALOGUE[key][lang][index]) for lang in ("en", "id"))
        assert en == idn, f"{key}: conversions differ between en and id"
        assert en.get("suggestion", "t") == "t", f"{key}: write {{suggestion!t}}"


def test_a_missing_parameter_renders_as_a_question_mark() -> None:
    assert "?" in text("cli.error", "id")[0]


# --- (b) nothing user-facing bypasses it ----------------------------------------------------

def _literal(node: ast.AST) -> str:
    """The literal text of a string, f-string, concatenation or conditional ('' for none)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp):
        return f"{_literal(node.left)} {_literal(node.right)}"
    if isinstance(node, ast.IfExp):
        return f"{_literal(node.body)} {_literal(node.orelse)}"
    return ""


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _modules() -> list[Path]:
    return sorted(p for p in ENGINE.rglob("*.py") if p.name != "messages.py")


def _bypasses(rel: str, source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
                isinstance(c, ast.Constant) and c.value == "id" for c in node.comparators) \
                and "lang" in ast.unparse(node.left):
            found.append(f"{rel}:{node.lineno}: a translation branch `{ast.unparse(node)}`")
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in _PRINTERS:
            shown = list(node.args)
        elif name in _USER_ERRORS:
            shown = [*node.args[:1], *(k.value for k in node.keywords
                                       if k.arg in ("message", "hint"))]
        else:
            continue
        for arg in shown:
            literal = _literal(arg)
            if _WORDS.search(literal) and (rel, literal) not in ALLOWED:
                found.append(f"{rel}:{node.lineno}: {name}({literal.strip()!r})")
    return found


def test_no_user_facing_text_bypasses_the_catalogue() -> None:
    found = [problem for path in _modules()
             if not path.relative_to(ENGINE).as_posix().startswith(PENDING)
             for problem in _bypasses(path.relative_to(ENGINE).as_posix(),
                                      path.read_text(encoding="utf-8"))]
    assert not found, "text outside engine/messages.py:\n" + "\n".join(found)


_SAMPLE = """
click.echo(f"{count} case(s) found")
click.echo(f"  - {item}")
print("done")
raise UsageError(message, hint="give a number")
raise CommandRefused(f"step {step} is closed", rule="guard.closed")
raise ValueError(f"internal: {x}")
msg = "Ditolak" if lang == "id" else "Refused"
"""


def test_the_scan_catches_what_it_should() -> None:
    found = _bypasses("sample.py", _SAMPLE)
    assert [line.split(":")[1] for line in found] == ["2", "4", "5", "6", "8"], found


# --- (c) keys named in the code exist, and every key is named -------------------------------

# Calls that name a catalogue entry: function -> (argument that is the key, prefix the function
# puts before it).
_KEYED = {"text": (0, ""), "message_text": (0, ""), "of": (0, ""), "say": (1, ""),
          "render": (0, ""), "make": (0, ""), "_t": (0, "cli.policy."),
          "_msg": (1, "import.note."), "_comment": (1, "import.comment."),
          "_word": (1, "import.text.")}
# Prefixes the code puts before a key it computes (the rest is a literal found elsewhere).
_COMPUTED = re.compile(r"^(import\.(note|comment|text)\.|audit\.(integrity|conf|kind)\.|"
                       r"cli\.policy\.|term\.|guard\.|cli\.diff\.|err\.store\.|cli\.)")


# The workspace's templates name their keys as ``t("web.key", ...)`` (or ``hint(...)``).
_TEMPLATE_KEY = re.compile(r"""(?<![\w.])(?:t|hint)\(\s*["']([a-z0-9_.]+)["']""")


def _template_keys() -> list[tuple[str, str]]:
    return [(f"{path.relative_to(ENGINE).as_posix()}:{text_.count(chr(10), 0, m.start()) + 1}",
             m.group(1))
            for path in sorted((ENGINE / "service" / "templates").glob("*.html"))
            for text_ in [path.read_text(encoding="utf-8")]
            for m in _TEMPLATE_KEY.finditer(text_)]


def test_templates_name_their_keys_the_way_the_scan_reads() -> None:
    keys = dict(_template_keys())
    assert keys and all(k.startswith("web.") for k in keys.values()), keys


def _string_constants() -> tuple[set[str], list[tuple[str, str]]]:
    constants: set[str] = set()
    named: list[tuple[str, str]] = list(_template_keys())
    constants.update(key for _, key in named)
    for path in _modules():
        rel = path.relative_to(ENGINE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
                constants.add(node.value.partition("=")[0])  # a term with its argument
            if isinstance(node, ast.Call) and _name(node.func) in _KEYED:
                index, prefix = _KEYED[_name(node.func)]
                if len(node.args) > index:
                    arg = node.args[index]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        named.append((f"{rel}:{node.lineno}", prefix + arg.value))
    return constants, named


def test_every_key_named_in_the_code_exists() -> None:
    _, named = _string_constants()
    missing = [f"{where}: {key}" for where, key in named if key not in CATALOGUE]
    assert not missing, "keys not in the catalogue:\n" + "\n".join(missing)


def test_every_key_is_named_in_the_code() -> None:
    """Best effort: a key counts as used when its text, or its last part after a prefix the
    code computes (``guard.`` + rule, ``import.note.`` + note code, ``term.`` + term code,
    ``cli.diff.`` + field + ``_added``), is a literal somewhere in ``engine/``."""
    constants, _ = _string_constants()
    def named(key: str) -> bool:
        last = key.rpartition(".")[2]
        return any(name in constants for name in (
            key, _COMPUTED.sub("", key), last,
            re.sub(r"_(added|removed)$", "", last)))  # diff.py: f"{field}_added"

    unused = [key for key in CATALOGUE if not named(key)]
    assert not unused, "catalogue keys no code names:\n" + "\n".join(unused)


def test_click_exceptions_are_in_the_scan() -> None:
    assert issubclass(click.BadParameter, click.ClickException)
    assert "UsageError" in _USER_ERRORS and "CommandRefused" in _USER_ERRORS


# --- the mechanism at work ------------------------------------------------------------------

def test_an_error_made_from_a_key_renders_again_in_another_language() -> None:
    error = engine.errors.UsageError.of("err.sim.staff_twice", "en", role="konselor")
    assert error.message == "--staff gives role 'konselor' twice"
    assert error.localized("id") == ("--staff menyebut peran 'konselor' dua kali",
                                     "sebut setiap peran sekali saja")
    assert error.localized("en") == (error.message, error.hint)


@pytest.mark.parametrize(("key", "params", "indonesian"), [
    ("S003", {"expected": "list|null", "found": "text"},
     "seharusnya daftar atau kosong (null), ditemukan teks"),
    ("guard.staff", {"role": "pelapor", "action": "terminate"},
     "peran 'pelapor' bukan petugas dan tidak boleh mengakhiri kasus"),
    ("err.store.sqlite_failed", {"path": "a.db", "action": "append_case='K-1'", "problem": "x"},
     "penyimpanan SQLite a.db: tidak dapat menambah ke kasus 'K-1': x"),
    ("Y006", {"problem": "bad_byte=0xff|7"},
     "berkas bukan UTF-8 yang sah: bita 0xff pada posisi 7"),
    ("R006", {"problem": "cannot assign to x; use '==' not '='"},
     "kondisi bukan ekspresi yang sah: cannot assign to x; use '==' not '='"),
])
def test_terms_are_words_of_the_message_language(key: str, params: dict[str, str],
                                                 indonesian: str) -> None:
    assert text(key, "id", **params)[0] == indonesian
    assert "atau" not in text(key, "en", **params)[0]


def test_cli_refusal_follows_lang() -> None:
    from click.testing import CliRunner

    from cli import main

    procedure = ENGINE.parent / "procedures" / "sapa.yaml"
    for lang, words in (("en", "is not ROLE=COUNT"), ("id", "bukan PERAN=JUMLAH")):
        result = CliRunner().invoke(main, ["--lang", lang, "simulate", str(procedure),
                                           "--staff", "x"])
        assert result.exit_code == 2, result.output
        assert words in result.output


def test_audit_findings_render_in_the_language_asked() -> None:
    from engine.analysis.audit.integrity import Finding

    finding = Finding.of("K-1", 3, "deleted", "gap", missing=3, before=2, seq=4)
    assert finding.localized("en") == "event 3 is missing: the store goes from event 2 to event 4"
    assert finding.localized("id") == ("peristiwa 3 hilang: penyimpanan melompat dari peristiwa "
                                       "2 ke peristiwa 4")
