"""Errors are constructed complete: key, parameters, rule and diagnostics are given to the
constructor, never patched onto an error after it was made (issue #21 item 8)."""

from __future__ import annotations

import ast
from pathlib import Path

from engine.errors import AlurError, CommandRefused, ProcedureError, UsageError
from engine.messages import text

ENGINE = Path(__file__).resolve().parent.parent / "engine"
# fields only errors have, and fields any value may have (checked on names errors go by)
_ERROR_FIELDS = {"key", "params", "rule", "audit_message", "event_type"}
_SHARED_FIELDS = {"diagnostics", "hint", "message"}
_ERROR_NAMES = {"error", "err", "exc", "refused", "refusal", "e", "failure"}


def test_no_error_field_is_set_outside_a_constructor() -> None:
    patched = []
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            for target in targets:
                for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if not isinstance(part, ast.Attribute):
                        continue
                    owner = part.value.id if isinstance(part.value, ast.Name) else ""
                    if (part.attr in _ERROR_FIELDS and owner != "self") \
                            or (part.attr in _SHARED_FIELDS and owner in _ERROR_NAMES):
                        patched.append(f"{path.relative_to(ENGINE)}:{node.lineno}")
    assert patched == []


def test_a_refusal_remembers_its_rule_and_renders_in_another_language() -> None:
    refused = CommandRefused.by_rule("guard.exists", "en", case="K-1")
    assert (refused.rule, refused.key, refused.params) == ("guard.exists", "guard.exists",
                                                          {"case": "K-1"})
    assert (refused.message, refused.hint) == text("guard.exists", "en", case="K-1")
    assert refused.localized("id") == text("guard.exists", "id", case="K-1")


def test_of_and_carrying_keep_key_parameters_and_diagnostics() -> None:
    error = UsageError.of("err.sim.cases", "id", value=0)
    assert (error.key, error.params) == ("err.sim.cases", {"value": "0"})
    assert error.localized("en") == text("err.sim.cases", "en", value=0)
    loaded = ProcedureError.carrying((), "err.procedure_not_loaded", "en", file="p.yaml",
                                     count=2)
    assert loaded.diagnostics == () and loaded.key == "err.procedure_not_loaded"
    plain = AlurError("as it is", hint="fix")
    assert plain.localized("id") == ("as it is", "fix") and plain.params == {}
