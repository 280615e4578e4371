"""Comparing two versions of a procedure, as a policy reviewer reads them.

:func:`diff` takes two typed procedures and returns the list of :class:`Change` values between
them: steps added, removed, renamed or re-numbered, re-routed, given to another actor, needing or
producing other documents, with other deadlines or estimates, other joint actors or another
recurring obligation; roles (their aliases too), documents (form, copies, sheets), facts,
requirements (each item of a nested group), the time limit (bound, the step it stops at), phase
limits, cost, products, complaint channels (nested ones too), the decree, the internal
components, access, retention and flags. Each change renders as one sentence in English or
Indonesian (:meth:`Change.message`), e.g.
``Step 9b 'keputusan_terminasi': outcome 'lanjut_monitoring' now leads to 'pendokumentasian'
(was 'monitoring_implementasi')``. It is not a text diff: the order of list items, key order,
comments and whitespace are never reported, and conditions are compared by their parsed form.

Matching. Steps, roles, documents, facts, outcomes and flags are matched by id. A step whose id
disappears is paired with a new step when their verbatim texts are at least 80 % similar
(:data:`SIMILARITY`), or when both carry the same source ``number`` and their titles or texts
are at least 50 % similar. The pair is reported once as *renamed/re-numbered*, the rest as
changes of that step, and routes that merely follow the new id are not reported as re-routes.
Requirements are matched by number (else by text), complaint channels by channel and value
(else by channel), products by text (else by document); the items of a requirement group and the
channels under a channel the same way, within their parent.

Order is stable: by area in the order of the procedure file, then by position in the new file
(a removed item where it stood in the old one), then field by field.

:func:`affected_cases` lists running cases (from store snapshots) that sit at a step the new
version removes or changes. Pure: nothing here reads files or stores.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel

from engine.cases.events import CaseSnapshot
from engine.cases.state import CLOSED
from engine.messages import CATALOGUE, LANGS, render
from engine.procedure.model import Decision, Outcome, Procedure, Step

__all__ = ["SIMILARITY", "AffectedCase", "Change", "ChangeKind", "affected_cases", "diff"]

SIMILARITY = 0.8
_LONG = 80  # strings longer than this are not quoted in messages ("source text changed")


class ChangeKind(StrEnum):
    PROCEDURE_CHANGED = "procedure_changed"
    AGENCY_CHANGED = "agency_changed"
    DECREE_CHANGED = "decree_changed"
    SOURCE_CHANGED = "source_changed"
    ROLE_ADDED = "role_added"
    ROLE_REMOVED = "role_removed"
    ROLE_CHANGED = "role_changed"
    DOCUMENT_ADDED = "document_added"
    DOCUMENT_REMOVED = "document_removed"
    DOCUMENT_CHANGED = "document_changed"
    FACT_ADDED = "fact_added"
    FACT_REMOVED = "fact_removed"
    FACT_CHANGED = "fact_changed"
    REQUIREMENT_ADDED = "requirement_added"
    REQUIREMENT_REMOVED = "requirement_removed"
    REQUIREMENT_CHANGED = "requirement_changed"
    STEP_ADDED = "step_added"
    STEP_REMOVED = "step_removed"
    STEP_RENAMED = "step_renamed"
    STEP_REROUTED = "step_rerouted"
    ACTOR_CHANGED = "actor_changed"
    STEP_DOCUMENTS_CHANGED = "step_documents_changed"
    PARTICIPANTS_CHANGED = "participants_changed"
    CONDITION_CHANGED = "condition_changed"
    DEADLINE_CHANGED = "deadline_changed"
    ESTIMATE_CHANGED = "estimate_changed"
    STEP_TEXT_CHANGED = "step_text_changed"
    JOINT_CHANGED = "joint_changed"
    REPEAT_CHANGED = "repeat_changed"
    TIME_LIMIT_CHANGED = "time_limit_changed"
    PHASE_LIMIT_ADDED = "phase_limit_added"
    PHASE_LIMIT_REMOVED = "phase_limit_removed"
    PHASE_LIMIT_CHANGED = "phase_limit_changed"
    COST_CHANGED = "cost_changed"
    PRODUCT_ADDED = "product_added"
    PRODUCT_REMOVED = "product_removed"
    PRODUCT_CHANGED = "product_changed"
    COMPLAINT_ADDED = "complaint_added"
    COMPLAINT_REMOVED = "complaint_removed"
    COMPLAINT_CHANGED = "complaint_changed"
    COMPONENT_CHANGED = "component_changed"
    ACCESS_CHANGED = "access_changed"
    RETENTION_CHANGED = "retention_changed"
    FLAG_ADDED = "flag_added"
    FLAG_REMOVED = "flag_removed"
    FLAG_CHANGED = "flag_changed"


# Areas in the order of a procedure file; every kind belongs to one.
_AREAS = ("procedure", "agency", "decree", "source", "roles", "documents", "facts",
          "requirements", "steps", "time_limit", "phase_limits", "cost", "products",
          "complaints", "components", "access", "retention", "flags")
_AREA_OF: dict[ChangeKind, str] = {
    ChangeKind.PROCEDURE_CHANGED: "procedure", ChangeKind.AGENCY_CHANGED: "agency",
    ChangeKind.DECREE_CHANGED: "decree", ChangeKind.SOURCE_CHANGED: "source",
    ChangeKind.ROLE_ADDED: "roles", ChangeKind.ROLE_REMOVED: "roles",
    ChangeKind.ROLE_CHANGED: "roles",
    ChangeKind.DOCUMENT_ADDED: "documents", ChangeKind.DOCUMENT_REMOVED: "documents",
    ChangeKind.DOCUMENT_CHANGED: "documents",
    ChangeKind.FACT_ADDED: "facts", ChangeKind.FACT_REMOVED: "facts",
    ChangeKind.FACT_CHANGED: "facts",
    ChangeKind.REQUIREMENT_ADDED: "requirements", ChangeKind.REQUIREMENT_REMOVED: "requirements",
    ChangeKind.REQUIREMENT_CHANGED: "requirements",
    ChangeKind.STEP_ADDED: "steps", ChangeKind.STEP_REMOVED: "steps",
    ChangeKind.STEP_RENAMED: "steps", ChangeKind.STEP_REROUTED: "steps",
    ChangeKind.ACTOR_CHANGED: "steps", ChangeKind.STEP_DOCUMENTS_CHANGED: "steps",
    ChangeKind.PARTICIPANTS_CHANGED: "steps", ChangeKind.CONDITION_CHANGED: "steps",
    ChangeKind.DEADLINE_CHANGED: "steps", ChangeKind.ESTIMATE_CHANGED: "steps",
    ChangeKind.STEP_TEXT_CHANGED: "steps", ChangeKind.JOINT_CHANGED: "steps",
    ChangeKind.REPEAT_CHANGED: "steps",
    ChangeKind.TIME_LIMIT_CHANGED: "time_limit",
    ChangeKind.PHASE_LIMIT_ADDED: "phase_limits", ChangeKind.PHASE_LIMIT_REMOVED: "phase_limits",
    ChangeKind.PHASE_LIMIT_CHANGED: "phase_limits", ChangeKind.COST_CHANGED: "cost",
    ChangeKind.PRODUCT_ADDED: "products", ChangeKind.PRODUCT_REMOVED: "products",
    ChangeKind.PRODUCT_CHANGED: "products",
    ChangeKind.COMPLAINT_ADDED: "complaints", ChangeKind.COMPLAINT_REMOVED: "complaints",
    ChangeKind.COMPLAINT_CHANGED: "complaints",
    ChangeKind.COMPONENT_CHANGED: "components", ChangeKind.ACCESS_CHANGED: "access",
    ChangeKind.RETENTION_CHANGED: "retention",
    ChangeKind.FLAG_ADDED: "flags", ChangeKind.FLAG_REMOVED: "flags",
    ChangeKind.FLAG_CHANGED: "flags",
}
# A condition changed in one of these places is a CONDITION_CHANGED (outcome conditions are
# re-routes: they decide where a case goes).
_CONDITION_FIELDS = frozenset({"when", "condition"})


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the old and the new version.

    ``subject`` is the id of what changed (its new id; the old one for a removal); ``path`` the
    part of it (``"title"``, ``"outcomes.lanjut_monitoring.next"``, ``""`` for the whole item);
    ``old`` and ``new`` are JSON values (``None`` when absent). ``number`` is a step's source
    number, ``old_subject`` the id in the old version when it differs (a renamed step), ``info``
    extra values the sentence needs (an outcome label, an old step number).
    """

    kind: ChangeKind
    subject: str
    path: str = ""
    old: Any = None
    new: Any = None
    number: str | None = None
    old_subject: str | None = None
    info: Mapping[str, Any] = dc_field(default_factory=dict)

    def __hash__(self) -> int:  # old/new/info may hold lists and dicts
        return hash((self.kind, self.subject, self.path, repr(self.old), repr(self.new)))

    @property
    def area(self) -> str:
        return _AREA_OF[self.kind]

    @property
    def old_id(self) -> str | None:
        """The id of the changed item in the old version (None for an addition)."""
        if self.kind.value.endswith("_added"):
            return None
        return self.old_subject or self.subject

    def message(self, lang: str = "en") -> str:
        return _render(self, lang if lang in LANGS else "en")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"kind": self.kind.value, "area": self.area, "subject": self.subject,
                "old_subject": self.old_subject, "number": self.number, "path": self.path,
                "old": self.old, "new": self.new, "message": self.message(lang)}


# --- comparing -------------------------------------------------------------------------------

@dataclass
class _Collector:
    """Changes with their sort key (area, position in the file, emission order)."""

    items: list[tuple[int, float, int, Change]] = dc_field(default_factory=list)

    def add(self, position: float, change: Change) -> None:
        self.items.append((_AREAS.index(change.area), position, len(self.items), change))

    def sorted(self) -> list[Change]:
        return [item[3] for item in sorted(self.items, key=lambda i: (i[0], i[1], i[2]))]


def _json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=False)
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def _same_expression(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    try:
        return ast.dump(ast.parse(a.strip(), mode="eval")) == ast.dump(ast.parse(b.strip(),
                                                                                 mode="eval"))
    except SyntaxError:
        return a.strip() == b.strip()


def _equal(name: str, a: Any, b: Any) -> bool:
    if name in _CONDITION_FIELDS and (isinstance(a, str) or isinstance(b, str)):
        return _same_expression(a, b)
    return bool(_json(a) == _json(b))


def _positions(old_keys: Sequence[str], new_keys: Sequence[str],
               pairs: Mapping[str, str]) -> dict[str, float]:
    """Sort position of each removed old key: just before the next old item that survives."""
    new_index = {key: i for i, key in enumerate(new_keys)}
    positions: dict[str, float] = {}
    pending: list[str] = []
    for key in old_keys:
        target = pairs.get(key)
        if target is None:
            pending.append(key)
            continue
        for removed in pending:
            positions[removed] = new_index[target] - 0.5
        pending = []
    for removed in pending:
        positions[removed] = len(new_keys) - 0.5
    return positions


def _fields(out: _Collector, position: float, kind: ChangeKind, subject: str,
            old: BaseModel, new: BaseModel, names: Iterable[str], *, prefix: str = "",
            number: str | None = None, old_subject: str | None = None,
            lists: Iterable[str] = ()) -> None:
    """One change per differing field; fields in ``lists`` as one change per added/removed
    element (their order is not reported)."""
    list_fields = set(lists)
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if _equal(name, a, b):
            continue
        path = f"{prefix}{name}"
        if name in list_fields:
            _list_changes(out, position, kind, subject, path, a, b, number=number,
                          old_subject=old_subject)
            continue
        out.add(position, Change(kind, subject, path, _json(a), _json(b), number=number,
                                 old_subject=old_subject))


def _list_changes(out: _Collector, position: float, kind: ChangeKind, subject: str, path: str,
                  old: Sequence[Any], new: Sequence[Any], *, number: str | None = None,
                  old_subject: str | None = None, info: Mapping[str, Any] | None = None) -> None:
    for value in old:
        if value not in new:
            out.add(position, Change(kind, subject, path, _json(value), None, number=number,
                                     old_subject=old_subject, info=dict(info or {})))
    for value in new:
        if value not in old:
            out.add(position, Change(kind, subject, path, None, _json(value), number=number,
                                     old_subject=old_subject, info=dict(info or {})))


def _by_id(out: _Collector, old: Sequence[Any], new: Sequence[Any], added: ChangeKind,
           removed: ChangeKind, changed: ChangeKind, names: Sequence[str],
           describe: Callable[[Any], Any], lists: Iterable[str] = ()) -> None:
    old_map = {item.id: item for item in old}
    new_map = {item.id: item for item in new}
    pairs = {key: key for key in old_map if key in new_map}
    positions = _positions(list(old_map), list(new_map), pairs)
    for key, item in old_map.items():
        if key not in new_map:
            out.add(positions[key], Change(removed, key, "", describe(item), None))
    for index, (key, item) in enumerate(new_map.items()):
        if key not in old_map:
            out.add(index, Change(added, key, "", None, describe(item)))
        else:
            _fields(out, index, changed, key, old_map[key], item, names, lists=lists)


def _match(old: Sequence[Any], new: Sequence[Any],
           keys: Sequence[Callable[[Any], Any]]) -> list[tuple[int | None, int | None]]:
    """Pair items of two lists by the first key function that is unique on both sides;
    unmatched items pair with None. In new order, removed items inserted where they stood."""
    matched: dict[int, int] = {}
    for key in keys:
        free_old = [i for i in range(len(old)) if i not in matched]
        free_new = [j for j in range(len(new)) if j not in matched.values()]
        old_keys = [key(old[i]) for i in free_old]
        new_keys = [key(new[j]) for j in free_new]
        for i, k in zip(free_old, old_keys, strict=True):
            if k is None or old_keys.count(k) != 1 or new_keys.count(k) != 1:
                continue
            matched[i] = free_new[new_keys.index(k)]
    result: list[tuple[int | None, int | None]] = []
    reverse = {j: i for i, j in matched.items()}
    emitted: set[int] = set()
    for j in range(len(new)):
        before = reverse.get(j)
        if before is not None:
            for k in range(before):
                if k not in matched and k not in emitted:
                    result.append((k, None))
                    emitted.add(k)
        result.append((before, j))
    result.extend((k, None) for k in range(len(old)) if k not in matched and k not in emitted)
    return result


def _listed(out: _Collector, area_kinds: tuple[ChangeKind, ChangeKind, ChangeKind],
            old: Sequence[Any], new: Sequence[Any], keys: Sequence[Callable[[Any], Any]],
            subject: Callable[[Any], str], names: Sequence[str],
            describe: Callable[[Any], Any], *, lists: Iterable[str] = (),
            nested: Sequence[str] = (), parent: str = "",
            position: float | None = None) -> None:
    """Items matched by ``keys``; the lists named in ``nested`` (requirement groups, channels
    under a channel) are compared the same way, their items' subjects after their parent's
    ("2 > b"), at the parent's position."""
    added, removed, changed = area_kinds

    def named(item: Any) -> str:
        return f"{parent} > {subject(item)}" if parent else subject(item)

    for index, (i, j) in enumerate(_match(old, new, keys)):
        where = index if position is None else position
        if j is None:
            assert i is not None
            out.add(where, Change(removed, named(old[i]), "", describe(old[i]), None))
        elif i is None:
            out.add(where, Change(added, named(new[j]), "", None, describe(new[j])))
        else:
            _fields(out, where, changed, named(new[j]), old[i], new[j], names, lists=lists)
            for name in nested:
                _listed(out, area_kinds, getattr(old[i], name), getattr(new[j], name), keys,
                        subject, names, describe, lists=lists, nested=nested,
                        parent=named(new[j]), position=where)


# --- steps -----------------------------------------------------------------------------------

def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _similarity(a: Step, b: Step) -> float:
    return _ratio(a.text, b.text)


def _pair_steps(old: Procedure, new: Procedure) -> dict[str, str]:
    """Same id; or, for ids on one side only, text at least :data:`SIMILARITY` similar, or the
    same number with title or text at least half similar (a number alone is not enough: an
    unrelated new step may take over a number)."""
    new_ids = {s.id for s in new.steps}
    old_ids = {s.id for s in old.steps}
    pairs = {s.id: s.id for s in old.steps if s.id in new_ids}
    gone = [s for s in old.steps if s.id not in new_ids]
    fresh = [s for s in new.steps if s.id not in old_ids]
    candidates: list[tuple[float, int, int, str, str]] = []
    for i, a in enumerate(gone):
        for j, b in enumerate(fresh):
            ratio = _similarity(a, b)
            same_number = a.number == b.number and max(ratio, _ratio(a.title, b.title)) >= 0.5
            if ratio >= SIMILARITY or same_number:
                candidates.append((-(ratio + (1.0 if same_number else 0.0)), i, j, a.id, b.id))
    taken_new: set[str] = set()
    for _, _, _, a_id, b_id in sorted(candidates):
        if a_id in pairs or b_id in taken_new:
            continue
        pairs[a_id] = b_id
        taken_new.add(b_id)
    return pairs


def _target(next_id: str | None, end: Any) -> str | None:
    if next_id is not None:
        return next_id
    if end is not None:
        return f"end:{end.value}"
    return None


def _outcome_target(outcome: Outcome) -> str | None:
    return _target(outcome.next, outcome.end)


def _describe_step(step: Step) -> dict[str, Any]:
    return {"id": step.id, "number": step.number, "title": step.title, "actor": step.actor}


def _describe_decision(decision: Decision) -> dict[str, Any]:
    return {"question": decision.question,
            "outcomes": [{"id": o.id, "label": o.label, "to": _outcome_target(o)}
                         for o in decision.outcomes]}


def _compare_step(out: _Collector, position: float, a: Step, b: Step,
                  renames: Mapping[str, str]) -> None:
    subject, number = b.id, b.number
    old_subject = a.id if a.id != b.id else None

    def add(kind: ChangeKind, path: str, old: Any, new: Any, **info: Any) -> None:
        out.add(position, Change(kind, subject, path, old, new, number=number,
                                 old_subject=old_subject, info=info))

    if a.id != b.id:
        add(ChangeKind.STEP_RENAMED, "id", a.id, b.id, old_number=a.number)
    elif a.number != b.number:
        add(ChangeKind.STEP_RENAMED, "number", a.number, b.number)
    if a.title != b.title:
        add(ChangeKind.STEP_RENAMED, "title", a.title, b.title)
    if a.actor != b.actor:
        add(ChangeKind.ACTOR_CHANGED, "actor", a.actor, b.actor)
    if a.actor_inferred != b.actor_inferred:
        add(ChangeKind.ACTOR_CHANGED, "actor_inferred", a.actor_inferred, b.actor_inferred)
    if a.joint != b.joint:
        add(ChangeKind.JOINT_CHANGED, "joint", _json(a.joint), _json(b.joint))
    if a.repeat != b.repeat:
        add(ChangeKind.REPEAT_CHANGED, "repeat", _json(a.repeat), _json(b.repeat))
    if a.text != b.text:
        add(ChangeKind.STEP_TEXT_CHANGED, "text", a.text, b.text)
    for name in ("requires", "produces"):
        _list_changes(out, position, ChangeKind.STEP_DOCUMENTS_CHANGED, subject, name,
                      getattr(a, name), getattr(b, name), number=number,
                      old_subject=old_subject)
    _compare_participants(out, position, a, b, subject, number, old_subject)
    if not _same_expression(a.when, b.when):
        add(ChangeKind.CONDITION_CHANGED, "when", a.when, b.when)
    if a.deadline != b.deadline:
        add(ChangeKind.DEADLINE_CHANGED, "deadline", _json(a.deadline), _json(b.deadline))
    if a.escalate_to != b.escalate_to:
        add(ChangeKind.DEADLINE_CHANGED, "escalate_to", a.escalate_to, b.escalate_to)
    if a.estimate != b.estimate:
        add(ChangeKind.ESTIMATE_CHANGED, "estimate", _json(a.estimate), _json(b.estimate))
    _compare_route(add, a, b, renames)
    if a.refer != b.refer:
        add(ChangeKind.STEP_REROUTED, "refer", _json(a.refer), _json(b.refer))
    if a.plan != b.plan:  # services set going, their conditions, the join: where cases go
        add(ChangeKind.STEP_REROUTED, "plan", _json(a.plan), _json(b.plan))


def _compare_participants(out: _Collector, position: float, a: Step, b: Step, subject: str,
                          number: str, old_subject: str | None) -> None:
    old = {p.role: p for p in a.participants}
    new = {p.role: p for p in b.participants}
    for role in old:
        if role not in new:
            out.add(position, Change(ChangeKind.PARTICIPANTS_CHANGED, subject, "participants",
                                     role, None, number=number, old_subject=old_subject))
    for role, p in new.items():
        if role not in old:
            out.add(position, Change(ChangeKind.PARTICIPANTS_CHANGED, subject, "participants",
                                     None, role, number=number, old_subject=old_subject,
                                     info={"when": p.when}))
            continue
        q = old[role]
        if not _same_expression(q.when, p.when):
            out.add(position, Change(ChangeKind.CONDITION_CHANGED, subject,
                                     f"participants.{role}.when", q.when, p.when, number=number,
                                     old_subject=old_subject, info={"role": role}))
        if q.note != p.note:
            out.add(position, Change(ChangeKind.PARTICIPANTS_CHANGED, subject,
                                     f"participants.{role}.note", q.note, p.note, number=number,
                                     old_subject=old_subject, info={"role": role}))


def _compare_route(add: Callable[..., None], a: Step, b: Step,
                   renames: Mapping[str, str]) -> None:
    def moved(target: str | None) -> str | None:
        return renames.get(target, target) if target is not None else None

    if a.decision is None and b.decision is None:
        old, new = moved(_target(a.next, a.end)), _target(b.next, b.end)
        if old != new:
            add(ChangeKind.STEP_REROUTED, "next", old, new)
        return
    if a.decision is None and b.decision is not None:
        add(ChangeKind.STEP_REROUTED, "decision", moved(_target(a.next, a.end)),
            _describe_decision(b.decision))
        return
    if a.decision is not None and b.decision is None:
        add(ChangeKind.STEP_REROUTED, "decision", _describe_decision(a.decision),
            _target(b.next, b.end))
        return
    assert a.decision is not None and b.decision is not None
    if a.decision.question != b.decision.question:
        add(ChangeKind.STEP_REROUTED, "decision.question", a.decision.question,
            b.decision.question)
    old_outcomes = {o.id: o for o in a.decision.outcomes}
    new_outcomes = {o.id: o for o in b.decision.outcomes}
    for oid, o in old_outcomes.items():
        if oid not in new_outcomes:
            add(ChangeKind.STEP_REROUTED, "outcomes", {"id": oid, "label": o.label,
                                                       "to": moved(_outcome_target(o))}, None)
    for oid, o in new_outcomes.items():
        if oid not in old_outcomes:
            add(ChangeKind.STEP_REROUTED, "outcomes", None,
                {"id": oid, "label": o.label, "to": _outcome_target(o)})
            continue
        p = old_outcomes[oid]
        base = f"outcomes.{oid}"
        if p.label != o.label:
            add(ChangeKind.STEP_REROUTED, f"{base}.label", p.label, o.label, outcome=oid)
        old_to, new_to = moved(_outcome_target(p)), _outcome_target(o)
        if old_to != new_to:
            add(ChangeKind.STEP_REROUTED, f"{base}.next", old_to, new_to, outcome=oid)
        if not _same_expression(p.when, o.when):
            add(ChangeKind.STEP_REROUTED, f"{base}.when", p.when, o.when, outcome=oid)
        if p.otherwise != o.otherwise:
            add(ChangeKind.STEP_REROUTED, f"{base}.otherwise", p.otherwise, o.otherwise,
                outcome=oid)
        for value in p.produces:
            if value not in o.produces:
                add(ChangeKind.STEP_DOCUMENTS_CHANGED, f"{base}.produces", value, None,
                    outcome=oid)
        for value in o.produces:
            if value not in p.produces:
                add(ChangeKind.STEP_DOCUMENTS_CHANGED, f"{base}.produces", None, value,
                    outcome=oid)
        if p.refer != o.refer:
            add(ChangeKind.STEP_REROUTED, f"{base}.refer", _json(p.refer), _json(o.refer),
                outcome=oid)
        if p.text != o.text:
            add(ChangeKind.STEP_TEXT_CHANGED, f"{base}.text", p.text, o.text, outcome=oid)


def _steps(out: _Collector, old: Procedure, new: Procedure) -> None:
    pairs = _pair_steps(old, new)
    renames = {a: b for a, b in pairs.items() if a != b}
    positions = _positions([s.id for s in old.steps], [s.id for s in new.steps], pairs)
    old_steps = {s.id: s for s in old.steps}
    reverse = {b: a for a, b in pairs.items()}
    for step in old.steps:
        if step.id not in pairs:
            out.add(positions[step.id], Change(ChangeKind.STEP_REMOVED, step.id, "",
                                               _describe_step(step), None, number=step.number))
    for index, step in enumerate(new.steps):
        before = reverse.get(step.id)
        if before is None:
            out.add(index, Change(ChangeKind.STEP_ADDED, step.id, "", None, _describe_step(step),
                                  number=step.number))
        else:
            _compare_step(out, index, old_steps[before], step, renames)


# --- the whole procedure ---------------------------------------------------------------------

def diff(old: Procedure, new: Procedure) -> list[Change]:
    """Every change from ``old`` to ``new``, in a stable order (see the module docstring)."""
    out = _Collector()
    _fields(out, 0, ChangeKind.PROCEDURE_CHANGED, old.id if old.id == new.id else new.id,
            old, new, ("id", "title", "version", "language", "case_prefix"))
    _fields(out, 0, ChangeKind.AGENCY_CHANGED, "agency", old.agency, new.agency,
            ("name", "unit", "region", "address", "phone", "website", "timezone", "calendar"))
    _fields(out, 0, ChangeKind.DECREE_CHANGED, "decree", old.decree, new.decree,
            ("number", "date", "known"))
    _fields(out, 0, ChangeKind.SOURCE_CHANGED, "source", old.source, new.source,
            ("file", "url", "retrieved"))
    _by_id(out, old.roles, new.roles, ChangeKind.ROLE_ADDED, ChangeKind.ROLE_REMOVED,
           ChangeKind.ROLE_CHANGED, ("title", "kind", "members", "aliases", "note"),
           lambda r: {"id": r.id, "title": r.title, "kind": r.kind.value,
                      "members": list(r.members)}, lists=("members", "aliases"))
    _by_id(out, old.documents, new.documents, ChangeKind.DOCUMENT_ADDED,
           ChangeKind.DOCUMENT_REMOVED, ChangeKind.DOCUMENT_CHANGED,
           ("title", "kind", "presence", "condition", "sensitive", "form", "copies", "sheets",
            "note"),
           lambda d: {"id": d.id, "title": d.title, "kind": d.kind.value,
                      "presence": d.presence.value, "sensitive": d.sensitive})
    _by_id(out, old.facts, new.facts, ChangeKind.FACT_ADDED, ChangeKind.FACT_REMOVED,
           ChangeKind.FACT_CHANGED,
           ("title", "type", "values", "sensitive", "required", "default"),
           lambda f: {"id": f.id, "title": f.title, "type": f.type.value}, lists=("values",))
    _listed(out, (ChangeKind.REQUIREMENT_ADDED, ChangeKind.REQUIREMENT_REMOVED,
                  ChangeKind.REQUIREMENT_CHANGED), old.requirements, new.requirements,
            (lambda r: r.number, lambda r: r.text, lambda r: r.document or r.fact),
            lambda r: str(r.number) if r.number is not None else _short(r.text),
            ("number", "text", "document", "documents", "fact", "presence", "condition",
             "gates"),
            lambda r: _json(r), lists=("documents",), nested=("any_of", "all_of"))
    _steps(out, old, new)
    _time_limit(out, old, new)
    _by_id(out, old.phase_limits, new.phase_limits, ChangeKind.PHASE_LIMIT_ADDED,
           ChangeKind.PHASE_LIMIT_REMOVED, ChangeKind.PHASE_LIMIT_CHANGED,
           ("amount", "unit", "starts", "starts_after_step", "until_step", "escalate_to",
            "source_text"),
           lambda p: {"id": p.id, "amount": p.amount, "unit": p.unit.value,
                      "until_step": p.until_step})
    _fields(out, 0, ChangeKind.COST_CHANGED, "cost", old.cost, new.cost,
            ("amount", "currency", "text"))
    _listed(out, (ChangeKind.PRODUCT_ADDED, ChangeKind.PRODUCT_REMOVED,
                  ChangeKind.PRODUCT_CHANGED), old.products, new.products,
            (lambda p: p.text, lambda p: p.document), lambda p: _short(p.text),
            ("text", "document"), lambda p: _json(p))
    _listed(out, (ChangeKind.COMPLAINT_ADDED, ChangeKind.COMPLAINT_REMOVED,
                  ChangeKind.COMPLAINT_CHANGED), old.complaints, new.complaints,
            (lambda c: (c.channel, c.value), lambda c: c.channel, lambda c: c.text),
            lambda c: c.channel + (f" {c.value or c.platform}" if c.value or c.platform else ""),
            ("channel", "value", "platform", "text"), lambda c: _json(c), nested=("channels",))
    for name in ("dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana",
                 "pengawasan_internal", "jumlah_pelaksana", "jaminan_pelayanan",
                 "jaminan_keamanan", "evaluasi_kinerja"):
        _fields(out, 0, ChangeKind.COMPONENT_CHANGED, name, getattr(old.components, name),
                getattr(new.components, name), ("status", "text"))
    _fields(out, 0, ChangeKind.ACCESS_CHANGED, "access", old.access, new.access, ("read",),
            lists=("read",))
    if old.retention != new.retention:
        out.add(0, Change(ChangeKind.RETENTION_CHANGED, "retention", "after_closed",
                          _json(old.retention.after_closed) if old.retention else None,
                          _json(new.retention.after_closed) if new.retention else None))
    _by_id(out, old.flags, new.flags, ChangeKind.FLAG_ADDED, ChangeKind.FLAG_REMOVED,
           ChangeKind.FLAG_CHANGED, ("kind", "about", "quote", "note"),
           lambda f: {"id": f.id, "kind": f.kind, "about": f.about, "note": f.note})
    _unknown_fields(out, old, new)
    return out.sorted()


_KNOWN_FIELDS = frozenset({
    "id", "title", "version", "language", "case_prefix", "agency", "decree", "source", "roles",
    "documents", "facts", "requirements", "steps", "time_limit", "phase_limits", "cost",
    "products", "complaints", "components", "access", "retention", "flags"})


def _unknown_fields(out: _Collector, old: Procedure, new: Procedure) -> None:
    """A safety net: a top-level field added to the model after this module was written is
    still reported (generically) rather than silently ignored."""
    for name in type(old).model_fields:
        if name in _KNOWN_FIELDS:
            continue
        a, b = _json(getattr(old, name)), _json(getattr(new, name))
        if a != b:
            out.add(0, Change(ChangeKind.PROCEDURE_CHANGED, new.id, name, a, b))


def _time_limit(out: _Collector, old: Procedure, new: Procedure) -> None:
    a, b = old.time_limit, new.time_limit
    if (a.amount, a.unit) != (b.amount, b.unit):
        out.add(0, Change(ChangeKind.TIME_LIMIT_CHANGED, "time_limit", "limit",
                          {"amount": a.amount, "unit": a.unit.value if a.unit else None},
                          {"amount": b.amount, "unit": b.unit.value if b.unit else None}))
    _fields(out, 0, ChangeKind.TIME_LIMIT_CHANGED, "time_limit", a, b,
            ("bound", "starts", "starts_after_step", "until_step", "event", "situational",
             "extendable",
             "extension_rule", "max_extension", "escalate_to", "source_text"))


# --- running cases ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AffectedCase:
    """A running case at a step the new version removes or changes.

    ``pinned`` is True when the case runs the old file exactly (same content hash), False when
    it was matched by procedure id and step id only (it runs another stored version).
    """

    case_id: str
    status: str
    step: str
    number: str | None
    effect: Literal["removed", "changed"]
    pinned: bool
    procedure_hash: str
    changes: tuple[Change, ...]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"case_id": self.case_id, "status": self.status, "step": self.step,
                "number": self.number, "effect": self.effect, "pinned": self.pinned,
                "procedure_hash": self.procedure_hash,
                "changes": [c.message(lang) for c in self.changes]}


def affected_cases(changes: Sequence[Change], old: Procedure, snapshots: Iterable[CaseSnapshot],
                   old_hash: str, new_hash: str | None = None) -> list[AffectedCase]:
    """Running (not closed) cases whose current step the new version removes or changes.

    A case counts when it is pinned to ``old_hash``, or (approximately) when it belongs to the
    same procedure id, is not already on ``new_hash`` and its current step exists in ``old``.
    Sorted by case id.
    """
    step_changes: dict[str, list[Change]] = {}
    removed: set[str] = set()
    for change in changes:
        if change.area != "steps" or change.old_id is None:
            continue
        if change.kind is ChangeKind.STEP_REMOVED:
            removed.add(change.old_id)
        step_changes.setdefault(change.old_id, []).append(change)
    numbers = {s.id: s.number for s in old.steps}
    found: list[AffectedCase] = []
    for snap in snapshots:
        if snap.status in CLOSED or snap.current_step is None:
            continue
        pinned = snap.procedure_hash == old_hash
        if not pinned and (snap.procedure_id != old.id or snap.procedure_hash == new_hash
                           or snap.current_step not in numbers):
            continue
        step = snap.current_step
        if step not in step_changes:
            continue
        found.append(AffectedCase(snap.case_id, snap.status, step, numbers.get(step),
                                  "removed" if step in removed else "changed", pinned,
                                  snap.procedure_hash, tuple(step_changes[step])))
    return sorted(found, key=lambda c: c.case_id)


# --- wording ---------------------------------------------------------------------------------

# The phrases are catalogue entries (engine.messages): "cli.diff.<key>" for sentences,
# "cli.diff.field.<name>" for field names and "cli.diff.unit.<unit>" for time units.
_PHRASE = "cli.diff."
_FIELD = "cli.diff.field."
_UNIT = "cli.diff.unit."


def _phrase(code: str, lang: str, **params: Any) -> str:
    return render(code, lang, {k: str(v) for k, v in params.items()})[0]


_SUBJECT_WORD: dict[str, str] = {
    "roles": "role", "documents": "document", "facts": "fact", "requirements": "requirement",
    "products": "product", "complaints": "complaint", "components": "component",
    "flags": "flag", "procedure": "procedure", "agency": "agency", "decree": "decree",
    "source": "source", "time_limit": "time_limit", "cost": "cost", "access": "access",
    "retention": "retention", "phase_limits": "phase_limit",
}


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _render(change: Change, lang: str) -> str:
    def w(key: str, **params: Any) -> str:
        return _phrase(_PHRASE + key, lang, **params)

    def field_label(name: str) -> str:
        if _FIELD + name in CATALOGUE:
            return _phrase(_FIELD + name, lang)
        return name.replace("_", " ")

    def unit_label(unit: str) -> str:
        return _phrase(_UNIT + unit, lang) if _UNIT + unit in CATALOGUE else unit

    def value(v: Any, name: str = "") -> str:
        if v is None:
            return w("always") if name in _CONDITION_FIELDS else w("none")
        if isinstance(v, bool):
            return w("yes") if v else w("no")
        if isinstance(v, dict) and "amount" in v and "unit" in v:
            if v["amount"] is None:  # an absent time limit: the source gives none
                return w("not_given")
            return f"{v['amount']} {unit_label(str(v['unit']))}"
        if isinstance(v, dict) and "procedure" in v:
            return f"'{v['procedure']}'"
        if isinstance(v, list):
            return ", ".join(value(x) for x in v) or w("none")
        if isinstance(v, str) and name in ("unit",) and _UNIT + v in CATALOGUE:
            return unit_label(v)
        if isinstance(v, str):
            return f"'{_short(v, _LONG)}'"
        return str(v)

    def target(t: Any) -> str:
        if t is None:
            return w("nowhere")
        text = str(t)
        if text.startswith("end:"):
            return w("end", end=text[4:])
        return f"'{text}'"

    def generic(name: str, old: Any, new: Any) -> str:
        label = field_label(name)
        if any(isinstance(v, str) and len(" ".join(v.split())) > _LONG for v in (old, new)):
            return w("text_changed", field=label)  # a long verbatim text: see old/new in json
        if old is None:
            return w("set", field=label, new=value(new, name))
        if new is None:
            return w("cleared", field=label, old=value(old, name))
        return w("changed_from", field=label, old=value(old, name), new=value(new, name))

    old, new, path = change.old, change.new, change.path
    leaf = path.rsplit(".", 1)[-1] if path else ""
    kind = change.kind
    if change.area == "steps":
        number = change.number or "?"
        subject = w("step", number=number, id=change.subject)
        if kind is ChangeKind.STEP_RENAMED and path == "id":
            old_step = w("step", number=change.info.get("old_number", number), id=old)
            return w("renamed_pair", old_step=old_step,
                     new_step=w("step_lower", number=number, id=new))
        body = _step_body(change, w, value, target, generic, field_label)
        joiner = " " if kind in (ChangeKind.STEP_ADDED, ChangeKind.STEP_REMOVED) else ": "
        return f"{subject}{joiner}{body}"
    word = _SUBJECT_WORD[change.area]
    subject = w(word, id=change.subject)
    if kind.value.endswith(("_added", "_removed")):
        added = kind.value.endswith("_added")
        item = new if added else old
        if kind in (ChangeKind.FLAG_ADDED, ChangeKind.FLAG_REMOVED):
            body = w("flag_added" if added else "flag_removed", kind=item["kind"],
                     about=item["about"])
        elif kind in (ChangeKind.ROLE_ADDED, ChangeKind.ROLE_REMOVED):
            body = (w("role_added", title=value(item["title"]), kind=item["kind"]) if added
                    else w("role_removed", title=value(item["title"])))
        elif isinstance(item, dict) and "title" in item:
            body = w("titled_added" if added else "titled_removed", title=value(item["title"]))
        elif kind in (ChangeKind.REQUIREMENT_ADDED, ChangeKind.REQUIREMENT_REMOVED):
            body = w("titled_added" if added else "titled_removed", title=value(item["text"]))
        else:
            body = w("added" if added else "removed")
        return f"{subject} {body}"
    if path in ("members", "read", "aliases"):
        body = w(f"{path}_added", new=value(new)) if old is None \
            else w(f"{path}_removed", old=value(old))
    elif path in ("values", "documents"):
        body = w("list_added", field=field_label(path), new=value(new)) if old is None \
            else w("list_removed", field=field_label(path), old=value(old))
    elif leaf == "sensitive":
        return f"{subject} {w('sensitive_on' if new else 'sensitive_off')}"
    elif kind is ChangeKind.TIME_LIMIT_CHANGED and path == "limit":
        return f"{subject} {w('limit', old=value(old), new=value(new))}"
    else:
        body = generic(leaf, old, new)
    return f"{subject}: {body}"


def _step_body(change: Change, w: Callable[..., str], value: Callable[..., str],
               target: Callable[[Any], str], generic: Callable[[str, Any, Any], str],
               field_label: Callable[[str], str]) -> str:
    old, new, path = change.old, change.new, change.path
    leaf = path.rsplit(".", 1)[-1] if path else ""
    outcome = change.info.get("outcome")
    kind = change.kind
    if kind is ChangeKind.STEP_ADDED:
        return w("step_added", title=value(new["title"]), actor=value(new["actor"]))
    if kind is ChangeKind.STEP_REMOVED:
        return w("step_removed", title=value(old["title"]), actor=value(old["actor"]))
    if path == "number":
        return w("renumbered", old=old, new=new)
    if path == "title":
        return w("retitled", old=value(old), new=value(new))
    if path == "actor":
        return w("actor", old=value(old), new=value(new))
    if path == "actor_inferred":
        return w("actor_inferred_on" if new else "actor_inferred_off")
    if path == "joint":
        return w("joint", old=_joint_words(old, w), new=_joint_words(new, w))
    if path == "repeat":
        return w("repeat", old=_repeat_words(old, w, value), new=_repeat_words(new, w, value))
    if path in ("requires", "produces"):
        return w(f"{path}_added", new=value(new)) if old is None \
            else w(f"{path}_removed", old=value(old))
    if path == "participants":
        if old is None:
            when = change.info.get("when")
            return (w("participant_added_when", new=value(new), when=value(when, "when"))
                    if when else w("participant_added", new=value(new)))
        return w("participant_removed", old=value(old))
    if path.startswith("participants.") and leaf == "when":
        return w("participant_when", role=change.info.get("role"), old=value(old, "when"),
                 new=value(new, "when"))
    if path.startswith("participants.") and leaf == "note":
        return w("participant_note", role=change.info.get("role"))
    if path == "when":
        return w("when", old=value(old, "when"), new=value(new, "when"))
    if path == "next":
        return w("next", old=target(old), new=target(new))
    if path == "decision":
        if isinstance(new, dict):
            outcomes = "; ".join(f"'{o['id']}' → {target(o['to'])}" for o in new["outcomes"])
            return w("to_decision", question=value(new["question"]), outcomes=outcomes,
                     old=target(old))
        return w("from_decision", question=value(old["question"]), new=target(new))
    if path == "decision.question":
        return w("question", old=value(old), new=value(new))
    if path == "outcomes":
        if old is None:
            return w("outcome_added", outcome=new["id"], label=value(new["label"]),
                     to=target(new["to"]))
        return w("outcome_removed", outcome=old["id"], label=value(old["label"]),
                 to=target(old["to"]))
    if outcome is not None:
        if leaf == "next":
            return w("outcome_next", outcome=outcome, old=target(old), new=target(new))
        if leaf == "label":
            return w("outcome_label", outcome=outcome, old=value(old), new=value(new))
        if leaf == "when":
            return w("outcome_when", outcome=outcome, old=value(old, "when"),
                     new=value(new, "when"))
        if leaf == "otherwise":
            return w("outcome_otherwise_on" if new else "outcome_otherwise_off", outcome=outcome)
        if leaf == "produces":
            return w("outcome_produces_added", outcome=outcome, new=value(new)) if old is None \
                else w("outcome_produces_removed", outcome=outcome, old=value(old))
        return w("outcome_field", outcome=outcome, field=field_label(leaf))
    return generic(leaf, old, new)


def _joint_words(joint: Mapping[str, Any] | None, w: Callable[..., str]) -> str:
    """``{roles: [a, b], sign_off: all}`` as "'a', 'b' (each signs)"."""
    if joint is None:
        return w("none")
    roles = ", ".join(f"'{r}'" for r in joint["roles"])
    sign = w("sign_off_all" if joint["sign_off"] == "all" else "sign_off_any")
    return w("joint_value", roles=roles, sign=sign)


def _repeat_words(repeat: Mapping[str, Any] | None, w: Callable[..., str],
                  value: Callable[..., str]) -> str:
    """``{every: {amount: 7, unit: working_days}, until_step: x}`` as "every 7 working days
    until 'x' completes"."""
    if repeat is None:
        return w("none")
    every = value(repeat["every"]) if repeat.get("every") else w("none")
    if repeat.get("lasts"):
        return w("repeat_lasting", every=every, lasts=value(repeat["lasts"]))
    return w("repeat_value", every=every, until=repeat["until_step"])
