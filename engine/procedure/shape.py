"""Layer 1 of validation: the shape of the data, checked against the JSON Schema.

The schema is generated from :class:`engine.procedure.model.Procedure` (:func:`generated_schema`),
so the editor's schema, this check and the typed model never disagree. Generating it takes
~25-45 ms, so it is not generated on every process start: ``make schema`` writes it to
``engine/data/procedure.schema.json`` (shipped with the package; :func:`procedure_schema` reads
it) and to ``schemas/procedure.schema.json`` (for editors), and ``tests/test_schema_sync.py``
fails when either differs from the model.

:func:`conforming` is the quick way through for a file that is right: pydantic validates the data
in *strict JSON mode* against the model the schema is generated from, which coerces nothing, so
whatever it accepts the schema accepts too (``tests/test_shape_fast_path.py`` checks this on
thousands of broken procedures). Only when it refuses does :func:`check_shape` run jsonschema to
say what is wrong and where; jsonschema is imported then, not before, which keeps a cold
``alur validate`` of a valid file fast (docs/performance.md).

jsonschema's ``iter_errors`` yields every problem; each becomes a :class:`Diagnostic` at the YAML
position of the offending node. ``anyOf`` errors (from optional fields) are unfolded into the
branch that matches the value, so a typo deep inside a decision is reported at the typo, not at
the decision.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pydantic

from engine.diagnostics import Diagnostic, Severity, make
from engine.procedure.model import Procedure
from engine.procedure.names import suggest
from engine.procedure.source import Path, SourceDoc, format_path

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

__all__ = ["SCHEMA_FILE", "check_shape", "conforming", "generated_schema", "procedure_schema",
           "write_schema"]

SCHEMA_ID = "https://alur.example/schemas/procedure.schema.json"
# package data (pyproject.toml [tool.setuptools.package-data]), so an installed alur has it too
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data",
                           "procedure.schema.json")


@lru_cache(maxsize=1)
def procedure_schema() -> dict[str, Any]:
    """The JSON Schema of a procedure file (what ``alur schema`` prints): the shipped copy of
    :func:`generated_schema`."""
    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def generated_schema() -> dict[str, Any]:
    """The JSON Schema generated from :class:`engine.procedure.model.Procedure` now (slow;
    ``make schema`` and the tests call it, validation reads :func:`procedure_schema`)."""
    schema = Procedure.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            **schema}


def write_schema(*paths: str | os.PathLike[str]) -> None:
    """Write :func:`generated_schema` to each path (``make schema``: to ``engine/data`` and
    ``schemas/``), formatted as ``alur schema`` prints it."""
    text = json.dumps(generated_schema(), ensure_ascii=False, indent=2) + "\n"
    for path in paths or (SCHEMA_FILE,):
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema  # here, not at the top: only a file with a wrong shape needs it

    cls = jsonschema.validators.validator_for(procedure_schema())
    return cls(procedure_schema())


# JSON Schema types as term codes (``term.*`` in the catalogue) for {expected!t} and {found!t}
_TYPE_NAMES = {"string": "text", "integer": "int", "number": "number", "boolean": "bool",
               "array": "list", "object": "mapping", "null": "null"}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    return {str: "text", int: "int", float: "number", list: "list",
            dict: "mapping", type(None): "null"}.get(type(value), type(value).__name__)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The errors to report: anyOf/oneOf unfolded into the branch that fits the value's type."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        yield error
        return
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        index = sub.relative_schema_path[0]
        branches.setdefault(int(index), []).append(sub)
    # a branch fits when its errors are deeper than a plain type mismatch at the value itself
    fitting = [errs for errs in branches.values()
               if not any(e.validator == "type" and not e.relative_path for e in errs)]
    if len(fitting) == 1:
        for sub in fitting[0]:
            yield from _leaves(sub)
        return
    yield error


def _expected(error: ValidationError) -> str:
    types: list[str] = []
    for sub in error.context or ():
        if sub.validator == "type":
            values = sub.validator_value
            for t in values if isinstance(values, list) else [values]:
                types.append(_TYPE_NAMES.get(str(t), str(t)))
    if error.validator == "type":
        values = error.validator_value
        for t in values if isinstance(values, list) else [values]:
            types.append(_TYPE_NAMES.get(str(t), str(t)))
    return "|".join(dict.fromkeys(types)) or "other_value"


def _example(schema: Any, instance: Any, depth: int = 0) -> str:
    """The right form of a value as YAML, from its schema: ``{amount: 1, unit: working_days}``
    for a duration, ``"4"`` for a number written where text belongs (the value kept)."""
    options = [_resolved(schema)]
    if isinstance(options[0], dict) and ("anyOf" in options[0] or "oneOf" in options[0]):
        options = [_resolved(o) for o in
                   options[0].get("anyOf") or options[0].get("oneOf") or ()]
    options = [o for o in options if isinstance(o, dict) and o.get("type") != "null"] or [{}]
    chosen = options[0]
    if "enum" in chosen:
        return str(chosen["enum"][0])
    kind = chosen.get("type")
    if kind == "object" and depth < 2:
        properties = chosen.get("properties", {})
        keys = chosen.get("required") or list(properties)[:2]
        return "{" + ", ".join(f"{k}: {_example(properties.get(k, {}), None, depth + 1)}"
                               for k in keys) + "}"
    if kind == "array":
        return "[" + _example(chosen.get("items", {}), None, depth + 1) + "]"
    if kind == "integer":
        return str(instance) if isinstance(instance, str) and instance.isdigit() \
            else str(chosen.get("minimum", 1))
    if kind == "boolean":
        return "true"
    if kind == "string" or not kind:
        shown = instance if isinstance(instance, (int, float, str)) \
            and not isinstance(instance, bool) and len(str(instance)) <= 40 else "..."
        return json.dumps(str(shown), ensure_ascii=False)
    return "..."


def _resolved(schema: Any) -> Any:
    """``schema`` with a ``$ref`` to the procedure schema's ``$defs`` followed."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = procedure_schema().get("$defs", {}).get(str(schema["$ref"]).split("/")[-1], {})
    return schema


def _diagnose(error: ValidationError, doc: SourceDoc, lang: str) -> Iterator[Diagnostic]:
    path: Path = tuple(error.absolute_path)
    instance = error.instance
    keyword = error.validator

    def at(code: str, where: Path, *, on_key: bool = False, **params: object) -> Diagnostic:
        return make(code, Severity.ERROR, doc.file, doc.locate(where, key=on_key),
                    format_path(where), lang, **params)

    if keyword == "additionalProperties" and isinstance(instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        for key in instance:
            if key not in allowed:
                yield at("S001", (*path, key), on_key=True, key=key,
                         suggestion=suggest(str(key), allowed), allowed=", ".join(allowed))
    elif keyword == "required" and isinstance(instance, dict):
        required: Any = error.validator_value
        for key in required:
            if key not in instance:
                yield at("S002", path, key=key)
    elif keyword == "type" or keyword in ("anyOf", "oneOf"):
        key = path[-1] if path and isinstance(path[-1], str) else "-"
        yield at("S003", path, expected=_expected(error), found=_type_of(instance),
                 example=f"{key}: {_example(error.schema, instance)}")
    elif keyword in ("enum", "const"):
        value: Any = error.validator_value
        allowed_values = value if keyword == "enum" else [value]
        yield at("S004", path, value=instance, allowed=", ".join(map(str, allowed_values)))
    elif keyword == "pattern":
        yield at("S006", path, value=instance)
    elif keyword in ("minItems", "minLength"):
        yield at("S007", path, limit=error.validator_value)
    elif keyword in ("maxItems", "maxLength"):
        yield at("S009", path, limit=error.validator_value)
    elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield at("S008", path, value=instance, bound=f"{keyword} {error.validator_value}")
    else:
        yield at("S005", path, problem=error.message[:200])


def conforming(data: Any) -> Procedure | None:
    """``data`` as a procedure when pydantic's strict JSON mode accepts it, else ``None``.

    Strict JSON mode takes what JSON can say (arrays for tuples, text for enums) and coerces no
    type, the way the JSON Schema does; it is stricter than the schema in places (no ``1.0`` for
    an integer, ``$`` in an id pattern does not match before a final newline), never looser. So
    ``None`` does not mean the shape is wrong, only that :func:`check_shape` must decide."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # not JSON data (the reader only makes JSON data)
        return None
    try:
        return Procedure.model_validate_json(text, strict=True)
    except pydantic.ValidationError:
        return None


def check_shape(doc: SourceDoc, lang: str = "en") -> list[Diagnostic]:
    """Every shape problem of ``doc.data`` against the procedure schema."""
    found: list[Diagnostic] = []
    for error in _validator().iter_errors(doc.data):
        for leaf in _leaves(error):
            found.extend(_diagnose(leaf, doc, lang))
    return found
