"""The lookups a decision makes, built once per procedure version.

:class:`~engine.procedure.model.Procedure` keeps its parts as tuples in file order (what the file
says, and
what diagnostics and renderers walk). A command asks the same questions every time — the step
with this id, who may act for its actor, which facts and documents hold personal data — so the
answers are computed once per procedure version (cached by content hash, like the machine) and
a command does dictionary lookups instead of scans.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.procedure.model import (
    Document,
    Duration,
    Fact,
    Presence,
    Procedure,
    Role,
    RoleKind,
    Step,
)
from engine.procedure.names import name_key
from engine.procedure.versions import VersionCache

__all__ = ["ProcedureIndex", "StepGuards", "index_for"]


@dataclass(frozen=True, slots=True)
class StepGuards:
    """What completing one step checks, from the procedure alone."""

    acting: frozenset[str]  # roles that may act on it: its actor (a team's members), joint roles
    # with a joint sign-off of all: each signer and the roles that may sign for it, in order
    # (the actor first); empty when one command completes the step
    signers: tuple[tuple[str, frozenset[str]], ...]
    # documents it requires that are not optional, each with its condition (None: always)
    documents: tuple[tuple[str, str | None], ...]
    # people from outside the agency it needs by name, each with its condition (None: always)
    people: tuple[tuple[str, str | None], ...]

    @classmethod
    def of(cls, proc: Procedure, step: Step, acting: dict[str, frozenset[str]],
           external: frozenset[str]) -> StepGuards:
        documents = {d.id: d for d in proc.documents}
        together = (step.actor, *(step.joint.roles if step.joint is not None else ()))
        each = [(role, acting.get(role, frozenset({role}))) for role in together]
        all_sign = step.joint is not None and step.joint.sign_off == "all"
        return cls(
            acting=frozenset().union(*(roles for _, roles in each)),
            signers=tuple(each) if all_sign else (),
            documents=tuple(
                (doc_id, documents[doc_id].condition or "True"
                 if documents[doc_id].presence is Presence.REQUIRED_IF else None)
                for doc_id in step.requires if documents[doc_id].presence is not Presence.OPTIONAL),
            people=tuple((p.role, p.when) for p in step.participants if p.role in external))


@dataclass(frozen=True, slots=True)
class ProcedureIndex:
    steps: dict[str, Step]
    step_ids: tuple[str, ...]  # file order, for messages
    roles: dict[str, Role]
    role_ids: tuple[str, ...]
    role_names: dict[str, str]  # name_key of an id or an alias → the role's id
    external: frozenset[str]  # roles from outside the agency
    documents: dict[str, Document]
    document_ids: tuple[str, ...]
    facts: dict[str, Fact]
    fact_ids: tuple[str, ...]
    sensitive_facts: frozenset[str]
    sensitive_documents: frozenset[str]
    time_limit: Duration | None  # the overall limit as a duration (None: the source gives none)
    guards: dict[str, StepGuards]  # step id → what completing it checks

    @classmethod
    def of(cls, proc: Procedure) -> ProcedureIndex:
        # role id → it and, for a team, the roles it is made of
        acting = {r.id: frozenset(proc.acting_roles(r.id)) for r in proc.roles}
        external = frozenset(r.id for r in proc.roles if r.kind is RoleKind.EXTERNAL)
        return cls(
            steps={s.id: s for s in proc.steps}, step_ids=tuple(s.id for s in proc.steps),
            roles={r.id: r for r in proc.roles}, role_ids=tuple(r.id for r in proc.roles),
            role_names=proc.role_names(),
            external=external,
            documents={d.id: d for d in proc.documents},
            document_ids=tuple(d.id for d in proc.documents),
            facts={f.id: f for f in proc.facts}, fact_ids=tuple(f.id for f in proc.facts),
            sensitive_facts=frozenset(f.id for f in proc.facts if f.sensitive),
            sensitive_documents=frozenset(d.id for d in proc.documents if d.sensitive),
            time_limit=(Duration(amount=proc.time_limit.amount, unit=proc.time_limit.unit)
                        if proc.time_limit.amount is not None
                        and proc.time_limit.unit is not None else None),
            guards={s.id: StepGuards.of(proc, s, acting, external) for s in proc.steps})

    def role_id(self, name: str) -> str:
        """The id of the role ``name`` is, or is an alias of ("Penerima Manfaat", "klien");
        ``name`` itself when it names none (the guard refuses it as an unknown role)."""
        if name in self.roles:
            return name
        return self.role_names.get(name_key(name), name)


_INDEXES: VersionCache[ProcedureIndex] = VersionCache()


def index_for(proc: Procedure, procedure_hash: str) -> ProcedureIndex:
    """The index of one procedure version, built on first use (kept by hash, for a bounded
    number of versions: engine.procedure.versions)."""
    return _INDEXES.get(procedure_hash, ProcedureIndex.of, proc)
