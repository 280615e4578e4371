"""Layer 2 of validation: ids and references inside one typed procedure.

Runs on a :class:`~engine.procedure.model.Procedure` that already has the right shape and reports,
as
diagnostics at the YAML position of each offending value: duplicate ids, references to unknown
roles, documents, steps and facts (with a did-you-mean), invalid conditions, steps and outcomes
that do not say where they lead, and inferred actors nobody explained. Model tuples keep the
file's order, so index ``i`` of a tuple is index ``i`` of the YAML list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic, Severity, make
from engine.procedure.expressions import check as check_expression
from engine.procedure.expressions import compared_values
from engine.procedure.model import (
    DocumentKind,
    Fact,
    FactType,
    Presence,
    Procedure,
    Refer,
    Referral,
    Requirement,
    Step,
    referral_paths,
)
from engine.procedure.names import name_key, suggest
from engine.procedure.source import Path, SourceDoc, format_path

__all__ = ["check_references"]


@dataclass
class _Checker:
    doc: SourceDoc
    lang: str
    found: list[Diagnostic] = field(default_factory=list)
    enums: dict[str, Fact] = field(default_factory=dict)  # choice facts, for R016

    def add(self, code: str, path: Path, *, severity: Severity = Severity.ERROR,
            on_key: bool = False, **params: object) -> None:
        self.found.append(make(code, severity, self.doc.file, self.doc.locate(path, key=on_key),
                               format_path(path), self.lang, **params))

    def unique(self, kind: str, field_name: str, ids: Iterable[str]) -> None:
        first: dict[str, int] = {}
        for index, value in enumerate(ids):
            if value in first:
                line = self.doc.locate((field_name, first[value], "id"))[0]
                self.add("R005", (field_name, index, "id"), kind=kind, name=value,
                         first_line=line)
            else:
                first[value] = index

    def ref(self, code: str, path: Path, name: str | None, known: set[str]) -> None:
        if name is not None and name not in known:
            self.add(code, path, name=name, suggestion=suggest(name, known),
                     known=", ".join(sorted(known)) or "-")

    def condition(self, path: Path, expression: str | None, facts: set[str]) -> None:
        if expression is None:
            return
        problems = check_expression(expression, facts)
        for problem in problems:
            if problem.kind == "syntax":
                self.add("R006", path, problem=problem.detail)
            elif problem.kind == "construct":
                self.add("R007", path, construct=problem.detail)
            elif problem.detail in ("true", "false"):  # Python's constants are capitalised
                self.add("R004", path, name=problem.detail,
                         suggestion=f"did_you_mean={problem.detail.capitalize()}",
                         known=", ".join(sorted(facts)) or "-")
            else:
                self.ref("R004", path, problem.detail, facts)
        enums = self.enums
        if problems or not enums:
            return
        # a choice (enum) fact compared with a value it cannot take: a branch never taken
        for name, value in compared_values(expression):
            fact = enums.get(name)
            if fact is not None and value not in fact.values:
                self.add("R016", path, name=name, value=value,
                         suggestion=suggest(value, fact.values), known=", ".join(fact.values))


def check_references(proc: Procedure, doc: SourceDoc, lang: str = "en") -> list[Diagnostic]:
    c = _Checker(doc, lang)
    roles = {r.id for r in proc.roles}
    documents = {d.id for d in proc.documents}
    facts = {f.id for f in proc.facts}
    steps = {s.id for s in proc.steps}

    c.unique("role", "roles", (r.id for r in proc.roles))
    c.unique("document", "documents", (d.id for d in proc.documents))
    c.unique("fact", "facts", (f.id for f in proc.facts))
    c.unique("step", "steps", (s.id for s in proc.steps))
    c.unique("flag", "flags", (f.id for f in proc.flags))
    c.enums = {f.id: f for f in proc.facts if f.type is FactType.ENUM}

    _check_roles(c, proc, roles)
    for i, document in enumerate(proc.documents):
        if document.presence is Presence.REQUIRED_IF and document.condition is None:
            c.add("R011", ("documents", i, "presence"))
        c.condition(("documents", i, "condition"), document.condition, facts)
    for i, fact in enumerate(proc.facts):
        if fact.type is FactType.ENUM and not fact.values:
            c.add("R014", ("facts", i, "type"), name=fact.id)
    for i, req in enumerate(proc.requirements):
        _check_requirement(c, ("requirements", i), req, documents, facts)
        for j, target in enumerate(req.gates or ()):
            if target != "clock":
                c.ref("R003", ("requirements", i, "gates", j), target, steps | {"clock"})

    inferred_flags = {f.about for f in proc.flags if f.kind == "inference"}
    for i, step in enumerate(proc.steps):
        base: Path = ("steps", i)
        c.ref("R001", (*base, "actor"), step.actor, roles)
        if step.repeat is not None:
            c.ref("R003", (*base, "repeat", "until_step"), step.repeat.until_step, steps)
            if (step.repeat.until_step is None) == (step.repeat.lasts is None):
                c.add("R025", (*base, "repeat"), name=step.id)
            if step.next is None:  # the case moves on while the obligation runs
                c.add("R008", (*base, "repeat"), problem="repeat_needs_next",
                      hint="hint_repeat_needs_next")
        if step.joint is not None:
            for j, role_id in enumerate(step.joint.roles):
                c.ref("R001", (*base, "joint", "roles", j), role_id, roles)
        c.ref("R001", (*base, "escalate_to"), step.escalate_to, roles)
        for j, doc_id in enumerate(step.requires):
            c.ref("R002", (*base, "requires", j), doc_id, documents)
        for j, doc_id in enumerate(step.produces):
            c.ref("R002", (*base, "produces", j), doc_id, documents)
        for j, participant in enumerate(step.participants):
            c.ref("R001", (*base, "participants", j, "role"), participant.role, roles)
            c.condition((*base, "participants", j, "when"), participant.when, facts)
        c.condition((*base, "when"), step.when, facts)
        if sum(x is not None for x in (step.next, step.decision, step.end)) != 1:
            c.add("R009", base)
        c.ref("R003", (*base, "next"), step.next, steps)
        _check_refer(c, (*base, "refer"), step.refer, documents, facts)
        if step.plan is not None:
            _check_plan(c, base, step, roles, documents, facts)
        if step.actor_inferred and f"steps.{step.id}" not in inferred_flags:
            c.add("R013", (*base, "actor_inferred"), name=step.id)
        if step.decision is not None:
            seen: dict[str, int] = {}
            for j, outcome in enumerate(step.decision.outcomes):
                opath: Path = (*base, "decision", "outcomes", j)
                if outcome.id in seen:
                    c.add("R005", (*opath, "id"), kind="outcome", name=outcome.id,
                          first_line=doc.locate((*base, "decision", "outcomes", seen[outcome.id],
                                                 "id"))[0])
                seen.setdefault(outcome.id, j)
                if (outcome.next is None) == (outcome.end is None):
                    c.add("R010", opath)
                c.ref("R003", (*opath, "next"), outcome.next, steps)
                c.condition((*opath, "when"), outcome.when, facts)
                for k, doc_id in enumerate(outcome.produces):
                    c.ref("R002", (*opath, "produces", k), doc_id, documents)
                _check_refer(c, (*opath, "refer"), outcome.refer, documents, facts)

    _check_absent(c, proc)
    limit = proc.time_limit
    c.ref("R001", ("time_limit", "escalate_to"), limit.escalate_to, roles)
    c.ref("R003", ("time_limit", "starts_after_step"), limit.starts_after_step, steps)
    c.ref("R003", ("time_limit", "until_step"), limit.until_step, steps)
    if limit.amount is not None and limit.unit is None:
        c.add("R026", ("time_limit", "amount"), problem="unit")
    elif limit.amount is not None and limit.event is not None:
        c.add("R026", ("time_limit", "event"), problem="event")
    for i, phase in enumerate(proc.phase_limits):
        base = ("phase_limits", i)
        c.ref("R001", (*base, "escalate_to"), phase.escalate_to, roles)
        c.ref("R003", (*base, "starts_after_step"), phase.starts_after_step, steps)
        c.ref("R003", (*base, "until_step"), phase.until_step, steps)
        if phase.starts.value == "step_completed" and phase.starts_after_step is None:
            c.add("R008", (*base, "starts"), problem="starts_after_missing",
                  hint="hint_starts_after_missing")
    if limit.starts.value == "step_completed" and limit.starts_after_step is None:
        c.add("R008", ("time_limit", "starts"),
              problem="starts_after_missing", hint="hint_starts_after_missing")
    outside: set[str] = set()  # documents the agency hands over outside the steps
    for i, product in enumerate(proc.products):
        c.ref("R002", ("products", i, "document"), product.document, documents)
        for j, doc_id in enumerate(product.documents):
            c.ref("R002", ("products", i, "documents", j), doc_id, documents)
        if product.issued_outside:
            outside.update(product.documents, [product.document] if product.document else [])
    for i, role_id in enumerate(proc.access.read):
        c.ref("R001", ("access", "read", i), role_id, roles)
    for i, flag in enumerate(proc.flags):
        if flag.about.startswith("steps."):
            step_id = flag.about.split(".")[1]
            if step_id not in steps:
                c.add("R003", ("flags", i, "about"), severity=Severity.WARNING, name=step_id,
                      suggestion=suggest(step_id, steps), known=", ".join(sorted(steps)))
    produced = {d for s in proc.steps for d in s.produces}
    for i, document in enumerate(proc.documents):
        if document.kind is DocumentKind.PRODUCED and document.id not in produced \
                and document.id not in outside and not any(
                document.id in o.produces for s in proc.steps if s.decision
                for o in s.decision.outcomes):
            c.add("R008", ("documents", i, "kind"), severity=Severity.WARNING,
                  problem=f"never_produced={document.id}", hint=f"hint_produced={document.id}")
    return c.found


def _check_roles(c: _Checker, proc: Procedure, roles: set[str]) -> None:
    members = {r.id: r.members for r in proc.roles}
    # every name a role goes by must be one role's only: an alias typed at `--role` or found by
    # `alur import` has to resolve to a single role
    owner = {name_key(r.id): r.id for r in proc.roles}
    for i, role in enumerate(proc.roles):
        for j, alias in enumerate(role.aliases):
            other = owner.setdefault(name_key(alias), role.id)
            if other != role.id or name_key(alias) in {name_key(a) for a in role.aliases[:j]}:
                c.add("R023", ("roles", i, "aliases", j), name=alias, role=other)
    for i, role in enumerate(proc.roles):
        for j, member in enumerate(role.members):
            c.ref("R001", ("roles", i, "members", j), member, roles)
        # a team may not contain itself, directly or through other teams
        stack, seen = list(role.members), set()
        while stack:
            current = stack.pop()
            if current == role.id:
                c.add("R012", ("roles", i, "members"), name=role.id)
                break
            if current in seen:
                continue
            seen.add(current)
            stack.extend(members.get(current, ()))


def _check_refer(c: _Checker, path: Path, refer: Refer | None, documents: set[str],
                 facts: set[str]) -> None:
    for where, referral in referral_paths(path, refer):
        _check_referral(c, where, referral, documents, facts)


def _check_referral(c: _Checker, path: Path, referral: Referral, documents: set[str],
                    facts: set[str]) -> None:
    for k, doc_id in enumerate(referral.documents):
        c.ref("R002", (*path, "documents", k), doc_id, documents)
    if referral.consent is not None and referral.consent not in facts | documents:
        c.ref("R004", (*path, "consent"), referral.consent, facts | documents)
    c.condition((*path, "when"), referral.when, facts)
    for target, source in referral.facts.items():  # the source facts must be this procedure's
        c.ref("R004", (*path, "facts", target), source, facts)


def _check_plan(c: _Checker, base: Path, step: Step, roles: set[str], documents: set[str],
                facts: set[str]) -> None:
    """A plan: no decision beside it, unique service ids, each service a linked case or a
    branch (exactly one), its references and condition."""
    assert step.plan is not None
    if step.decision is not None:
        c.add("R019", (*base, "plan"), name=step.id)
    seen: dict[str, int] = {}
    for j, service in enumerate(step.plan.services):
        spath: Path = (*base, "plan", "services", j)
        if service.id in seen:
            c.add("R005", (*spath, "id"), kind="service", name=service.id,
                  first_line=c.doc.locate((*base, "plan", "services", seen[service.id],
                                           "id"))[0])
        seen.setdefault(service.id, j)
        if (service.refer is None) == (service.actor is None):
            c.add("R020", spath, name=service.id)
        c.ref("R001", (*spath, "actor"), service.actor, roles)
        c.condition((*spath, "when"), service.when, facts)
        if service.refer is not None:
            _check_referral(c, (*spath, "refer"), service.refer, documents, facts)


def _check_requirement(c: _Checker, path: Path, req: Requirement, documents: set[str],
                       facts: set[str]) -> None:
    """One requirement and the items of its groups, at their own positions."""
    c.ref("R002", (*path, "document"), req.document, documents)
    for j, doc_id in enumerate(req.documents):
        c.ref("R002", (*path, "documents", j), doc_id, documents)
    c.ref("R004", (*path, "fact"), req.fact, facts)
    if req.presence is Presence.REQUIRED_IF and req.condition is None:
        c.add("R011", (*path, "presence"))
    c.condition((*path, "condition"), req.condition, facts)
    checkable = req.document or req.documents or req.fact or req.any_of or req.all_of
    if not checkable and req.gates != () and req.presence is not Presence.OPTIONAL:
        c.add("R018", path, severity=Severity.WARNING,
              name=req.number if req.number is not None else repr(req.text[:40]))
    for group in ("any_of", "all_of"):
        for j, item in enumerate(getattr(req, group)):
            _check_requirement(c, (*path, group, j), item, documents, facts)


def _check_absent(c: _Checker, proc: Procedure) -> None:
    """A published component the source does not give is encoded as empty *with* a flag
    saying so (kind missing), never as a placeholder; an empty one without the flag is an
    error."""
    if not proc.complaints and not proc.missing_flag("complaints"):
        c.add("R015", ("complaints",), component="complaints")
    if not proc.products and not proc.missing_flag("products"):
        c.add("R015", ("products",), component="products")
    limit = proc.time_limit
    if limit.source_text is None and not (limit.amount is None
                                          and proc.missing_flag("time_limit")):
        c.add("R015", ("time_limit",), component="time_limit")
