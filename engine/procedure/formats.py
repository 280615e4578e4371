"""Reading any YAML file alur accepts into a typed model, with every problem located.

Procedures have their own layered validation (:mod:`engine.procedure.validate`); every other
file alur reads (rosters, case record files, calendar overrides) goes through
:func:`read_model` here: the hardened reader of :mod:`engine.procedure.source` (duplicate keys,
tags, depth, alias expansion and size are errors with file:line:col), then a strict pydantic
model of the format. Each pydantic error becomes a :class:`~engine.diagnostics.Diagnostic` at the
YAML position of the offending value, with a message and a hint from the catalogue:

- ``S001`` unknown key, ``S002`` missing key, ``S003`` wrong type, ``S007`` too short, ``S008``
  out of range: the same codes as for procedures, since they say the same thing;
- ``D001`` any other invalid value; ``D002`` to ``D008`` the checks a format's model makes itself
  (raised as :func:`problem`, whose type names the code).

It returns diagnostics and never raises for bad input, prints or knows any format: the models
live with what they describe (``engine/cases/roster_file.py``, ``case_file.py``,
``calendar_file.py``).
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from engine.diagnostics import Diagnostic, Severity, make, sort_unique
from engine.procedure.names import suggest
from engine.procedure.source import Path, SourceDoc, format_path, read_bytes, read_file

__all__ = ["FileModel", "Read", "problem", "read_model", "validate_data"]

M = TypeVar("M", bound=BaseModel)
Check = Callable[[M, SourceDoc, str], Iterable[Diagnostic]]

_PREFIX = "alur_"


class FileModel(BaseModel):
    """Base of every file format's model: strict types (no coercion), no unknown keys, frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def problem(code: str, message: str, **params: object) -> PydanticCustomError:
    """An error for a model's own validator to raise: ``code`` is a catalogue entry (``D002``),
    ``params`` fill its message; ``message`` is pydantic's English text for other readers."""
    return PydanticCustomError(f"{_PREFIX}{code}", message,
                               {k: str(v) for k, v in params.items()})


@dataclass(frozen=True, slots=True)
class Read(Generic[M]):
    """One file read into ``model`` (``None`` when there is an error), with its diagnostics."""

    file: str
    model: M | None
    diagnostics: tuple[Diagnostic, ...]
    source: SourceDoc

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def ok(self) -> bool:
        return self.model is not None

    def listing(self, lang: str = "en") -> str:
        """The errors, one ``file:line:col: ...`` line (and its hint) each."""
        return "\n".join(d.format(lang) for d in self.errors)


def read_model(source: str | os.PathLike[str] | bytes, model: type[M], *,
               name: str | None = None, lang: str = "en", allow_empty: bool = False,
               checks: Iterable[Check[M]] = ()) -> Read[M]:
    """Read ``source`` (a path, or the file's bytes named ``name``) into ``model``.

    ``allow_empty``: a file with no content (or only comments) reads as an empty mapping.
    ``checks`` run on a valid model and may yield more diagnostics (found with ``doc.locate``),
    e.g. a date listed in two sections; any error among them makes the result's model ``None``.
    """
    if isinstance(source, bytes):
        doc = read_bytes(source, name or "<text>", lang)
    else:
        doc = read_file(source, lang)
    if allow_empty and _only_empty(doc.diagnostics):
        doc.diagnostics, doc.data = [], {}
    return _validate(doc, model, lang, checks)


def validate_data(data: object, model: type[M], *, name: str = "<data>", lang: str = "en",
                  checks: Iterable[Check[M]] = ()) -> Read[M]:
    """Already-loaded ``data`` into ``model``: the same checks as :func:`read_model`, with no
    positions to give (every diagnostic is at 1:1; its path says where)."""
    return _validate(SourceDoc(file=name, text="", data=data), model, lang, checks)


def _validate(doc: SourceDoc, model: type[M], lang: str, checks: Iterable[Check[M]]) -> Read[M]:
    diagnostics = list(doc.diagnostics)
    value: M | None = None
    if not any(d.is_error for d in diagnostics):
        try:
            value = model.model_validate(doc.data)
        except ValidationError as exc:
            diagnostics += [_diagnostic(err, model, doc, lang) for err in exc.errors()]
    if value is not None:
        for check in checks:
            diagnostics += check(value, doc, lang)
    ordered = tuple(sort_unique(diagnostics))
    if any(d.is_error for d in ordered):
        value = None
    return Read(doc.file, value, ordered, doc)


def _only_empty(diagnostics: list[Diagnostic]) -> bool:
    return (len(diagnostics) == 1 and diagnostics[0].code == "Y008"
            and dict(diagnostics[0].args).get("found") == "nothing")


_TYPES = {"string_type": "text", "int_type": "a whole number", "int_from_float": "a whole number",
          "float_type": "a number", "bool_type": "true or false", "list_type": "a list",
          "tuple_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
          "model_attributes_type": "a mapping", "date_type": "a date (YYYY-MM-DD)"}


def _found(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "another value"


def _diagnostic(err: Mapping[str, Any], model: type[BaseModel], doc: SourceDoc,
                lang: str) -> Diagnostic:
    path: Path = tuple(err["loc"])
    kind: str = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})

    key_error = bool(path) and path[-1] == "[key]"  # a mapping's key is what is wrong
    if key_error:
        path = path[:-1]

    def at(code: str, where: Path, *, on_key: bool = key_error, **params: object) -> Diagnostic:
        return make(code, Severity.ERROR, doc.file, doc.locate(where, key=on_key),
                    format_path(where), lang, **params)

    if kind.startswith(_PREFIX):
        return at(kind[len(_PREFIX):], path, **ctx)
    if kind == "missing" and path:
        return at("S002", path[:-1], key=str(path[-1]))
    if kind == "extra_forbidden" and path:
        allowed = _fields_at(model, path[:-1])
        return at("S001", path, on_key=True, key=str(path[-1]),
                  suggestion=suggest(str(path[-1]), allowed), allowed=", ".join(allowed))
    if kind in _TYPES:
        key = path[-1] if path and isinstance(path[-1], str) else "-"
        return at("S003", path, expected=_TYPES[kind], found=_found(err.get("input")),
                  example=f"{key}: {_example(kind, err.get('input'), model, path)}")
    if kind in ("string_too_short", "too_short"):
        return at("S007", path, limit=ctx.get("min_length", 1))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": ">= {ge}", "greater_than": "> {gt}",
                 "less_than_equal": "<= {le}", "less_than": "< {lt}"}[kind].format(**ctx)
        return at("S008", path, value=err.get("input"), bound=bound)
    return at("D001", path, problem=err["msg"])


def _example(kind: str, value: object, model: type[BaseModel], path: Path) -> str:
    """The right form of a value of the type ``kind`` names, as YAML (the value kept where it
    can be: ``"4"`` for a number written where text belongs)."""
    if kind == "string_type":
        shown = value if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else "..."
        return f'"{shown}"'
    if kind in ("list_type", "tuple_type"):
        return "[...]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        fields = _fields_at(model, path)
        return "{" + ", ".join(f"{name}: ..." for name in fields[:3]) + "}" if fields \
            else "{...}"
    return {"bool_type": "true", "date_type": "2026-01-31"}.get(kind, "1")


def _fields_at(model: type[BaseModel], path: Path) -> list[str]:
    """The keys the model allows at ``path`` (a path into the data, as pydantic reports it)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else Any
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation
