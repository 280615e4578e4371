"""Case record files: facts and a timestamped sequence of actions per case, run through an Engine.

Format (YAML; see ``examples/``)::

    procedure: mediasi            # optional: the file must be run against this procedure id
    cases:
      - id: mediasi-anak-01       # optional: a fresh id is made when left out
        description: child victim attends with her mother
        opened: {at: 2026-03-02T09:00:00+07:00, user: rina, role: pendamping_ppa}
        facts: {victim_is_child: true}
        documents: {identitas_penerima_manfaat: {text: "KTP ..."}}
        actions:
          - {at: 2026-03-02T10:00:00+07:00, user: rina, role: pendamping_ppa, do: asesmen,
             documents: {hasil_asesmen: {text: "..."}}}
          - {at: ..., user: ..., role: ..., fact: {victim_is_child: true}}
          - {at: ..., user: ..., role: ..., participant: {orang_tua_wali: Ibu Sari}}
          - {at: ..., user: ..., role: ..., attach: {surat_rujukan: {file: rujukan.pdf}}}
          - {at: ..., user: ..., role: ..., extend: {amount: 2, unit: working_days, reason: ..}}
          - {at: ..., user: ..., role: ..., withdraw: "reason"}   # or terminate: "reason"
        expect: {status: completed, refused: guard.participants}  # optional

A document is ``{text: ...}`` (inline content) or ``{file: path}`` relative to the case file and
not outside its folder. An action that is refused stops its case with the reason; the other cases
go on. ``expect`` lets a file say what should happen, so a refusal can be the point of an example.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.api import CaseResult, Engine
from engine.case import CaseState
from engine.commands import (
    AddParticipant,
    AttachDocument,
    Attachment,
    Command,
    CompleteStep,
    ExtendDeadline,
    SetFact,
    Terminate,
    Withdraw,
)
from engine.errors import AlurError, InvalidCaseInput

__all__ = ["CaseRun", "load_case_file", "run_case_file"]

_ACTION_KEYS = ("do", "fact", "participant", "attach", "extend", "withdraw", "terminate")


@dataclass
class CaseRun:
    """What happened to one case of a case file."""

    index: int
    case_id: str | None
    description: str
    state: CaseState | None = None
    refused: AlurError | None = None
    refused_action: int | None = None
    expected: dict[str, Any] = field(default_factory=dict)

    @property
    def as_expected(self) -> bool:
        want_refusal = self.expected.get("refused")
        got_rule = getattr(self.refused, "rule", None) if self.refused else None
        if want_refusal is not None:
            if got_rule != want_refusal:
                return False
        elif self.refused is not None:
            return False
        want_status = self.expected.get("status")
        return want_status is None or (self.state is not None
                                       and self.state.status == want_status)


def load_case_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as exc:
        raise InvalidCaseInput(f"cannot read case file {name}: {exc.strerror}",
                               hint="check the path") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise InvalidCaseInput(f"{name}{where}: case file is not valid YAML",
                               hint="check indentation and quoting") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise InvalidCaseInput(f"{name}: a case file needs a 'cases:' list",
                               hint="see the format in docs/embedding.md or examples/")
    return data


def _attachment(engine: Engine, doc_id: str, spec: Any, base: Path, where: str) -> Attachment:
    if isinstance(spec, str):
        spec = {"text": spec}
    if not isinstance(spec, dict) or not ({"text", "file"} & set(spec)):
        raise InvalidCaseInput(f"{where}: document '{doc_id}' needs {{text: ...}} or "
                               "{file: path}", hint="e.g. hasil_asesmen: {text: 'ringkasan'}")
    if "file" in spec:
        return engine.attachment(doc_id, base / str(spec["file"]), root=base)
    content = str(spec["text"]).encode("utf-8")
    return Attachment(doc_id, f"{doc_id}.txt", hashlib.sha256(content).hexdigest(),
                      len(content), "text/plain", content)


def _command(engine: Engine, case_id: str, action: dict[str, Any], base: Path,
             where: str) -> Command:
    kinds = [k for k in _ACTION_KEYS if k in action]
    if len(kinds) != 1:
        raise InvalidCaseInput(f"{where}: an action needs exactly one of {', '.join(_ACTION_KEYS)}",
                               hint="e.g. {at: ..., user: rina, role: pendamping_ppa, do: asesmen}")
    for key in ("user", "role"):
        if not isinstance(action.get(key), str):
            raise InvalidCaseInput(f"{where}: an action needs '{key}'",
                                   hint="name who acts and in which role")
    common: dict[str, Any] = {"user": action["user"], "role": action["role"],
                              "at": str(action["at"]) if action.get("at") else None,
                              "case_id": case_id}
    kind = kinds[0]
    value = action[kind]
    docs = tuple(_attachment(engine, d, s, base, where)
                 for d, s in (action.get("documents") or {}).items())
    if kind == "do":
        return CompleteStep(**common, step=str(value), outcome=action.get("outcome"),
                            documents=docs, facts=dict(action.get("facts") or {}),
                            participants={str(k): str(v) for k, v in
                                          (action.get("participants") or {}).items()},
                            note=action.get("note"))
    if kind == "fact" and isinstance(value, dict) and len(value) == 1:
        name, fact_value = next(iter(value.items()))
        return SetFact(**common, name=str(name), value=fact_value)
    if kind == "participant" and isinstance(value, dict) and len(value) == 1:
        role, person = next(iter(value.items()))
        return AddParticipant(**common, participant_role=str(role), name=str(person))
    if kind == "attach" and isinstance(value, dict) and len(value) == 1:
        doc_id, spec = next(iter(value.items()))
        return AttachDocument(**common, attachment=_attachment(engine, str(doc_id), spec, base,
                                                               where))
    if kind == "extend" and isinstance(value, dict):
        return ExtendDeadline(**common, amount=int(value.get("amount", 0)),
                              unit=str(value.get("unit", "")), reason=str(value.get("reason", "")),
                              target=str(value.get("target", "case")))
    if kind in ("withdraw", "terminate"):
        cls = Withdraw if kind == "withdraw" else Terminate
        return cls(**common, reason=str(value or ""))
    raise InvalidCaseInput(f"{where}: '{kind}' has the wrong shape",
                           hint="fact/participant/attach take one 'name: value' pair")


def run_case_file(engine: Engine, procedure: str, path: str | os.PathLike[str]) -> list[CaseRun]:
    """Open and drive every case of a case file; refusals stop only their own case."""
    data = load_case_file(path)
    base = Path(path).resolve().parent
    digest = engine.register(procedure)
    proc = engine.procedure(digest)
    wanted = data.get("procedure")
    if wanted is not None and wanted != proc.id:
        raise InvalidCaseInput(f"{path}: the case file is for procedure '{wanted}', not "
                               f"'{proc.id}'", hint=f"run it with procedure {wanted}")
    runs: list[CaseRun] = []
    for index, spec in enumerate(data["cases"]):
        where = f"{os.fspath(path)}: case {index + 1}"
        if not isinstance(spec, dict):
            raise InvalidCaseInput(f"{where}: each case is a mapping", hint="see examples/")
        run = CaseRun(index, spec.get("id"), str(spec.get("description", "")),
                      expected=dict(spec.get("expect") or {}))
        runs.append(run)
        opened = spec.get("opened") or {}
        try:
            docs = tuple(_attachment(engine, d, s, base, where)
                         for d, s in (spec.get("documents") or {}).items())
            result: CaseResult = engine.open_case(
                digest, user=str(opened.get("user", "intake")),
                role=str(opened.get("role", proc.steps[0].actor)),
                facts=dict(spec.get("facts") or {}), documents=docs,
                participants={str(k): str(v) for k, v in
                              (spec.get("participants") or {}).items()},
                at=str(opened["at"]) if opened.get("at") else None, case_id=spec.get("id"))
        except AlurError as exc:
            run.refused, run.refused_action = exc, 0
            continue
        run.case_id, run.state = result.case.case_id, result.case
        for number, action in enumerate(spec.get("actions") or [], start=1):
            if not isinstance(action, dict):
                run.refused = InvalidCaseInput(f"{where}, action {number}: not a mapping")
                run.refused_action = number
                break
            try:
                command = _command(engine, run.case_id, action, base,
                                   f"{where}, action {number}")
                run.state = engine.execute(command).case
            except AlurError as exc:
                run.refused, run.refused_action = exc, number
                break
    return runs
