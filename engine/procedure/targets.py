"""Referral targets: can a referral supply the facts its target procedure requires?

A referral (a step's or outcome's ``refer``, or a plan's linked service) opens a case in another
procedure and carries facts into it: those its ``facts`` mapping names (target fact: source
fact) and the same-named facts both procedures declare. This module finds the target's file
(beside the procedure, else in the catalogue folder: ``$ALUR_PROCEDURES``, default
``./procedures``) and warns (R021) when the
target requires facts at its opening (``required: true``, or named by a required requirement)
that the referral cannot supply, and (R022) when the mapping names a fact the target does not
declare. It reads other files, so it runs in ``alur validate`` (:mod:`engine.cases.files`), not
in the cached checks of one file. Must not: raise for a target it cannot read (nothing to say).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from engine.diagnostics import Diagnostic, Severity, make
from engine.procedure.model import Presence, Procedure, Referral, Requirement, referral_paths
from engine.procedure.names import suggest
from engine.procedure.source import Path, SourceDoc, format_path, read_file

__all__ = ["check_targets", "required_facts"]


def required_facts(proc: Procedure) -> list[str]:
    """Facts a case of ``proc`` needs from its opening: declared ``required``, or the fact of
    a required requirement (or of an item every one of which is needed: ``all_of``)."""
    found = [f.id for f in proc.facts if f.required]

    def walk(reqs: tuple[Requirement, ...]) -> None:
        for req in reqs:
            if req.presence is Presence.REQUIRED:
                if req.fact is not None and req.fact not in found:
                    found.append(req.fact)
                walk(req.all_of)

    walk(proc.requirements)
    return found


def _referrals(proc: Procedure) -> Iterator[tuple[Path, Referral]]:
    for i, step in enumerate(proc.steps):
        base: Path = ("steps", i)
        yield from referral_paths((*base, "refer"), step.refer)
        for j, outcome in enumerate(step.decision.outcomes if step.decision else ()):
            yield from referral_paths((*base, "decision", "outcomes", j, "refer"), outcome.refer)
        for j, service in enumerate(step.plan.services if step.plan else ()):
            if service.refer is not None:
                yield (*base, "plan", "services", j, "refer"), service.refer


def _target(procedure_file: str, target_id: str) -> Procedure | None:
    from engine.procedure.catalog import procedures_dir
    from engine.procedure.validate import check_path

    for folder in (os.path.dirname(procedure_file), os.fspath(procedures_dir())):
        candidate = os.path.join(folder, f"{target_id}.yaml")
        if os.path.isfile(candidate):
            checked = check_path(candidate)
            if checked.procedure is not None and checked.procedure.id == target_id:
                return checked.procedure
    return None


def check_targets(procedure_file: str, proc: Procedure, lang: str = "en",
                  ) -> tuple[Diagnostic, ...]:
    """R021 and R022 for every referral of ``proc`` whose target procedure is found."""
    found: list[Diagnostic] = []
    doc: SourceDoc | None = None
    declared = {f.id for f in proc.facts}
    for path, referral in _referrals(proc):
        target = _target(procedure_file, referral.procedure)
        if target is None:
            continue
        doc = doc or read_file(procedure_file, lang)
        theirs = {f.id for f in target.facts}
        for name in referral.facts:
            if name not in theirs:
                where = (*path, "facts")
                found.append(make("R022", Severity.WARNING, doc.file,
                                  doc.locate((*where, name), key=True), format_path(where),
                                  lang, name=name, procedure=target.id,
                                  suggestion=suggest(name, theirs),
                                  known=", ".join(sorted(theirs)) or "-"))
        supplied = set(referral.facts) | (declared & theirs)
        missing = [f for f in required_facts(target) if f not in supplied]
        if missing:
            found.append(make("R021", Severity.WARNING, doc.file,
                              doc.locate((*path, "procedure")), format_path(path), lang,
                              procedure=target.id, missing=", ".join(missing)))
    return tuple(found)
