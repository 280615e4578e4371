"""Conditions: small boolean expressions over declared facts, checked and evaluated safely.

Parsing uses Python's ``ast`` (through ``simpleeval``) and evaluation uses ``simpleeval``; ``eval``
is never called. On top of simpleeval's own limits, a whitelist of node types rejects attribute
access, calls, subscripts, comprehensions, lambdas and ``**`` (so no huge exponents), and every
name must be a declared fact. Parsed trees are cached per expression text.

A condition is bounded in size (``MAX_LENGTH`` characters, ``MAX_NODES`` nodes, ``MAX_ITEMS``
items in a list, numbers below ``MAX_NUMBER``) and may not repeat a list or text with ``*``:
without loops, calls or ``**`` that bounds every evaluation's steps and values, and validation
reports a condition past a bound at its location (R007).

Evaluation is defensive too, because fact values come from case input: trees nested deeper than
``MAX_DEPTH`` are refused when parsed (simpleeval recurses once per level), ``%`` never formats
text (``"%0999999999d" % 1`` would build a gigabyte), and any failure while evaluating (a text
repeated past simpleeval's length limit, a division by zero, comparing text with a number) raises
:class:`ExpressionError` instead of escaping as an arbitrary exception.

Evaluation is written twice, side by side (a fenced fast path, docs/architecture.md "Fast
paths"): :func:`reference_evaluate`, a new evaluator per evaluation, and :func:`evaluate`, which
the rest of alur calls, reusing evaluators and answering yes/no conditions from a bounded cache.
A hypothesis test holds them to the same verdict.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import simpleeval

__all__ = ["ExpressionError", "ExpressionProblem", "UnsetFact", "check", "compared_values",
           "evaluate", "names_in", "reference_evaluate"]

MAX_DEPTH = 64  # levels of the parsed tree; deeper ones are "too complex"
# Bounds on a condition's size: with no loops, no calls, no ``**`` and no repetition of a list
# or text, evaluating a tree visits each node once and every value stays small, so these bound
# the evaluation's steps and memory too (``[[0]*99999]*99999 == ...`` ran for ~1000 s).
MAX_LENGTH = 1000  # characters of the condition
MAX_NODES = 200  # nodes of the parsed tree
MAX_ITEMS = 100  # items of a list or tuple literal
MAX_NUMBER = 10**18  # magnitude of a number literal (as whole-number facts)
# what a condition past a bound shows in R007's {construct!t}: term codes of the catalogue
LONG_TEXT = "condition_long"
MANY_NODES = "condition_parts"
MANY_ITEMS = "many_items"
BIG_NUMBER = "big_number"
REPEAT = "repeat_sequence"
_SEQUENCE_LITERALS = (ast.List, ast.Tuple)

_ALLOWED: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.Expr, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
    ast.UAdd, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.FloorDiv,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
    ast.Name, ast.Load, ast.Constant, ast.Tuple, ast.List,
)
# constructs as term codes (``term.*`` in the catalogue) for R007's {construct!t}
_CONSTRUCT_NAMES = {ast.Attribute: "attribute", ast.Call: "call", ast.Subscript: "subscript",
                    ast.Pow: "power", ast.Lambda: "lambda", ast.IfExp: "if", ast.Starred: "star",
                    ast.NamedExpr: "assignment"}


@dataclass(frozen=True, slots=True)
class ExpressionProblem:
    """``kind`` is ``syntax``, ``construct`` or ``name``; ``detail`` is the offending piece."""

    kind: str
    detail: str


@lru_cache(maxsize=4096)
def _parse(expression: str) -> ast.AST | ExpressionProblem:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        return ExpressionProblem("syntax", exc.msg or "invalid syntax")
    except (ValueError, RecursionError, MemoryError):
        return ExpressionProblem("syntax", "too_complex")  # a term code (engine.messages)
    if _depth(tree) > MAX_DEPTH:
        return ExpressionProblem("syntax", "too_complex")
    if len(expression) > MAX_LENGTH:
        return ExpressionProblem("construct", LONG_TEXT)
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        return ExpressionProblem("construct", MANY_NODES)
    for node in nodes:
        if not isinstance(node, _ALLOWED):
            label = _CONSTRUCT_NAMES.get(type(node), type(node).__name__)
            return ExpressionProblem("construct", label)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 200:
            return ExpressionProblem("construct", "long_text")
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool) and not abs(node.value) < MAX_NUMBER:
            return ExpressionProblem("construct", BIG_NUMBER)
        if isinstance(node, _SEQUENCE_LITERALS) and len(node.elts) > MAX_ITEMS:
            return ExpressionProblem("construct", MANY_ITEMS)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and any(
                isinstance(side, _SEQUENCE_LITERALS)
                or (isinstance(side, ast.Constant) and isinstance(side.value, str))
                for side in (node.left, node.right)):
            return ExpressionProblem("construct", REPEAT)
    return tree


def _depth(tree: ast.AST) -> int:
    """Levels of ``tree`` (iteratively: the tree may be too deep for recursion)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


def names_in(expression: str) -> list[str]:
    """Fact names an expression reads, in order of first use (empty when it does not parse)."""
    return list(_names(expression))


@lru_cache(maxsize=4096)
def _names(expression: str) -> tuple[str, ...]:
    tree = _parse(expression)
    if isinstance(tree, ExpressionProblem):
        return ()
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            seen.setdefault(node.id, None)
    return tuple(seen)


def compared_values(expression: str) -> list[tuple[str, str]]:
    """``(fact, text)`` for each text a fact is compared with (``==``, ``!=``, ``in``, ``not
    in`` a list of texts), in order: what validation holds against a choice fact's values."""
    tree = _parse(expression)
    if isinstance(tree, ExpressionProblem):
        return []
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for left, op, right in zip(sides, node.ops, sides[1:], strict=False):
            if not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
                continue
            for name_side, other in ((left, right), (right, left)):
                if not isinstance(name_side, ast.Name):
                    continue
                items = other.elts if isinstance(other, _SEQUENCE_LITERALS) else [other]
                found += [(name_side.id, item.value) for item in items
                          if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return found


def check(expression: str, known: Mapping[str, object] | set[str]) -> list[ExpressionProblem]:
    """Problems with ``expression`` given the declared fact names ``known``; empty when valid."""
    tree = _parse(expression)
    if isinstance(tree, ExpressionProblem):
        return [tree]
    return [ExpressionProblem("name", name) for name in names_in(expression) if name not in known]


class ExpressionError(ValueError):
    """A checked expression could not be evaluated on these facts (a value too long, a division
    by zero, text compared with a number ...): the condition cannot be said to hold."""


def _safe_mod(a: Any, b: Any) -> Any:
    if isinstance(a, (str, bytes)):  # printf-style formatting can build text of any size
        raise simpleeval.InvalidExpression("'%' does not format text in a condition")
    return a % b


def _safe_mult(a: Any, b: Any) -> Any:
    if isinstance(a, (str, bytes, list, tuple)) or isinstance(b, (str, bytes, list, tuple)):
        # a text fact times a number: repetition, refused like a literal's (see _parse)
        raise simpleeval.InvalidExpression("'*' does not repeat text or lists in a condition")
    return a * b


_OPERATORS = {**simpleeval.DEFAULT_OPERATORS, ast.Mod: _safe_mod, ast.Mult: _safe_mult}


class UnsetFact(LookupError):
    """A condition reads a fact the case does not have yet."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _checked(expression: str) -> ast.AST:
    tree = _parse(expression)
    if isinstance(tree, ExpressionProblem):
        raise ValueError(f"invalid expression: {tree.detail}")
    return tree


def _new_evaluator() -> simpleeval.EvalWithCompoundTypes:
    return simpleeval.EvalWithCompoundTypes(names={}, functions={}, operators=_OPERATORS)


def _run(evaluator: simpleeval.EvalWithCompoundTypes, expression: str, tree: ast.AST,
         facts: Mapping[str, Any]) -> bool:
    """``expression`` evaluated on ``facts`` by ``evaluator`` (whose names are set here)."""
    # a copy: what the evaluation sees cannot change under it, and simpleeval would call a
    # callable ``names``
    evaluator.names = dict(facts)
    body = tree.body if isinstance(tree, ast.Expression) else tree
    try:
        return bool(evaluator.eval(expression, previously_parsed=body))
    except (simpleeval.InvalidExpression, ArithmeticError, TypeError, ValueError,
            RecursionError, MemoryError) as exc:
        raise ExpressionError(f"cannot evaluate {expression!r}: {exc}") from None
    finally:
        evaluator.names = {}  # hold no case's facts between evaluations


# --- evaluation: the reference --------------------------------------------------------------

def reference_evaluate(expression: str, facts: Mapping[str, Any]) -> bool:
    """Truth of a *checked* expression for ``facts``: a new simpleeval evaluator walks the
    parsed tree. Raises :class:`UnsetFact` only when the result depends on a fact the case
    does not have (three-valued logic: ``a or b`` holds with ``a`` true and ``b`` unset,
    :func:`_kleene`), and :class:`ExpressionError` when it cannot be evaluated on these
    values. This is
    what :func:`evaluate` answers; read this one to know what a condition means."""
    tree = _checked(expression)
    if any(name not in facts for name in _names(expression)):
        return _kleene(expression, tree, facts, _fresh)
    return _fresh(expression, tree, facts)


def _fresh(expression: str, tree: ast.AST, facts: Mapping[str, Any]) -> bool:
    """One evaluation by a new evaluator (the reference's way)."""
    return _run(_new_evaluator(), expression, tree, facts)


# --- evaluation: the fast path (FENCED) -----------------------------------------------------
# Two tricks, both held equal to reference_evaluate by a hypothesis test
# (tests/test_expressions.py), which also shows through evaluate() alone that no fact value
# stays reachable after an evaluation:
# - evaluators are kept idle per thread and reused: building one (its operator and node
#   tables) costs more than most evaluations, a quarter of a Mediasi command. Evaluating sets
#   an evaluator's names, expr and counters, so no two evaluations share one: not two threads,
#   and not an evaluation started while another runs (a fact value's comparison may evaluate).
# - a condition whose facts are all true/false/None is answered from a bounded cache keyed by
#   those values (simpleeval walks the tree in ~1.5 µs, the lookup takes a tenth); most
#   conditions are such. Only true/false/None are kept: no text or number of a case.

class _Evaluators(threading.local):
    """Each thread's idle evaluators."""

    def __init__(self) -> None:
        self.idle = [_new_evaluator()]


_EVALUATORS = _Evaluators()


def evaluate(expression: str, facts: Mapping[str, Any]) -> bool:
    """:func:`reference_evaluate`, faster."""
    tree = _parse(expression)
    if isinstance(tree, ExpressionProblem):
        raise ValueError(f"invalid expression: {tree.detail}")
    flags: list[bool | None] | None = []
    for name in _names(expression):
        if name not in facts:
            return _kleene(expression, tree, facts, _evaluated)
        if flags is not None:
            value = facts[name]
            if value is True or value is False or value is None:
                flags.append(value)
            else:
                flags = None
    if flags is not None:
        return _on_flags(expression, tuple(flags))
    return _evaluated(expression, tree, facts)


@lru_cache(maxsize=4096)
def _on_flags(expression: str, flags: tuple[bool | None, ...]) -> bool:
    """The truth of a condition whose facts are all yes/no (or None), by their values in the
    order :func:`_names` gives. An expression reads no fact but its names (``_ALLOWED`` has no
    attribute, call or subscript), so these values decide it."""
    return _evaluated(expression, _checked(expression),
                      dict(zip(_names(expression), flags, strict=True)))


def _evaluated(expression: str, tree: ast.AST, facts: Mapping[str, Any]) -> bool:
    idle = _EVALUATORS.idle
    evaluator = idle.pop() if idle else _new_evaluator()
    try:
        return _run(evaluator, expression, tree, facts)
    finally:
        idle.append(evaluator)


# one evaluation of a parsed condition on facts: the fast path's or the reference's
_Evaluate = Callable[[str, ast.AST, Mapping[str, Any]], bool]


def _kleene(expression: str, tree: ast.AST, facts: Mapping[str, Any],
            evaluated: _Evaluate) -> bool:
    """The truth of a condition some of whose facts are unset, in Kleene's three-valued logic:
    ``and``/``or``/``not`` combine true, false and *unknown*; any other part (a comparison, a
    bare fact) is unknown when it reads an unset fact. Unknown at the top raises
    :class:`UnsetFact` naming the first unset fact the result depends on."""
    body = tree.body if isinstance(tree, ast.Expression) else tree
    value, culprit = _three_valued(expression, body, facts, evaluated)
    if value is None:
        raise UnsetFact(culprit or "")
    return value


def _three_valued(expression: str, node: ast.AST, facts: Mapping[str, Any],
                  evaluated: _Evaluate) -> tuple[bool | None, str | None]:
    """(True / False / None for unknown, the first unset fact an unknown depends on)."""
    if isinstance(node, ast.BoolOp):
        decisive = isinstance(node.op, ast.Or)  # the value that settles the operation
        culprit: str | None = None
        for operand in node.values:
            value, unset = _three_valued(expression, operand, facts, evaluated)
            if value is decisive:
                return decisive, None
            if value is None and culprit is None:
                culprit = unset
        return (None, culprit) if culprit is not None else (not decisive, None)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        value, unset = _three_valued(expression, node.operand, facts, evaluated)
        return (None if value is None else not value), unset
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id not in facts:
            return None, child.id
    return evaluated(expression, node, facts), None
