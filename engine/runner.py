"""Case record files: facts and a timestamped sequence of actions per case, run through an Engine.

Format (YAML; see ``examples/`` and ``docs/embedding.md``)::

    procedure: mediasi            # optional: the file must be run against this procedure id
    cases:
      - id: mediasi-anak-01       # optional: a fresh id is made when left out
        description: child victim attends with her mother
        opened: {at: 2026-03-02T09:00:00+07:00, user: rina, role: pendamping_ppa}
        facts: {victim_is_child: true, perpetrator_is_child: false, has_special_needs: false}
        documents: {identitas_penerima_manfaat: {text: "KTP ..."}}
        participants: {pihak_korban: Anak R., pihak_pelaku: Sdr. T.}
        actions:
          - {at: 2026-03-02T10:00:00+07:00, user: rina, role: pendamping_ppa, do: asesmen_awal,
             documents: {hasil_asesmen: {text: "..."}}}
          - {at: ..., user: ..., role: ..., do: keputusan_terminasi, outcome: terminasi}
          - {at: ..., user: ..., role: ..., fact: {victim_is_child: true}}
          - {at: ..., user: ..., role: ..., participant: {orang_tua_wali: Ibu S.}}
          - {at: ..., user: ..., role: ..., attach: {surat_rujukan: {file: rujukan.pdf}}}
          - {at: ..., user: ..., role: ..., extend: {amount: 2, unit: working_days, reason: ..}}
          - {at: ..., user: ..., role: ..., withdraw: "reason"}   # or terminate: "reason"
          - {at: ..., user: ..., role: ..., case: mediasi-anak-01-ref1, do: asesmen_awal}
        expect: {status: completed}        # and/or refused: guard.participants,
                                           # breaches: [phase:hubungi_rs_30_menit]

An action has ``user`` and ``role`` (who acts, in which role), optionally ``at`` (ISO 8601 with
offset; the engine's clock when left out) and exactly one of ``do``, ``fact``, ``participant``,
``attach``, ``extend``, ``withdraw``, ``terminate``. Only ``do`` takes ``outcome``, ``documents``,
``facts``, ``participants`` and ``note``. ``case`` makes the action one on a case that this case
opened (a referral's or a plan service's linked case, ``<id>-ref1`` ...), so that a file can
carry a linked case to the end its source case waits for; the report stays the source case's.

A document is ``{text: ...}`` (inline content, or just a string) or ``{file: path}`` relative to
the case file and not outside its folder.

The file's shape is checked before anything runs: a malformed file (unknown key, an action with
two kinds or without ``user``/``role``, a value of the wrong shape) raises
:class:`~engine.errors.InvalidCaseInput` listing every problem with its case and action number,
and writes nothing. What only the procedure can judge (an unknown document or fact, a fact of the
wrong type, a guard) is decided when the case runs: the action is refused, which stops its case
with the reason, and the other cases go on. ``expect`` lets a file say what should happen, so a
refusal can be the point of an example: ``refused`` names the rule of a
:class:`~engine.errors.CommandRefused` (``guard.role``), or the error code of any other refusal
(``INVALID_INPUT``, ``CASE``). ``breaches`` lists the time limits the case must have breached,
and no other: ``case`` (the overall limit), a step id (its deadline), ``phase:<id>`` (a phase
limit) or ``repeat:<step>`` (a recurring report); ``[]`` says none. Each target is named once,
however often it was breached; a target the procedure does not have is a shape error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.api import CaseResult, Engine
from engine.cases.commands import (
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
from engine.cases.events import AuditRecord
from engine.cases.state import CaseState
from engine.errors import AlurError, CaseError, CommandRefused, InvalidCaseInput
from engine.messages import default_lang, text
from engine.procedure.model import Procedure
from engine.procedure.source import MAX_BYTES, read_file

__all__ = ["CaseRun", "breach_targets", "check_case_file", "load_case_file", "run_case_file"]

_ACTION_KEYS = ("do", "fact", "participant", "attach", "extend", "withdraw", "terminate")
_COMMON_KEYS = ("at", "user", "role")
_LINKED_KEY = "case"  # an action on a case this one opened (a referral, a plan service)
_DO_KEYS = ("outcome", "documents", "facts", "participants", "note", "service")
_CASE_KEYS = ("id", "description", "opened", "facts", "documents", "participants", "actions",
              "expect")
_FILE_KEYS = ("procedure", "cases")
_EXPECT_KEYS = ("status", "refused", "breaches")
_EXTEND_KEYS = ("amount", "unit", "reason", "target")
_MAX_PROBLEMS = 20


@dataclass
class CaseRun:
    """What happened to one case of a case file."""

    index: int
    case_id: str | None
    description: str
    state: CaseState | None = None
    refused: AlurError | None = None
    refused_action: int | None = None  # 0: refused when opening; n: the n-th action
    expected: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False  # the case was already in the store (``skip_existing``): not run

    @property
    def number(self) -> int:
        """The case's 1-based position in its file."""
        return self.index + 1

    @property
    def refused_rule(self) -> str | None:
        """The rule of a refusal (``guard.role``), or the error code of another error."""
        if self.refused is None:
            return None
        if isinstance(self.refused, CommandRefused):
            return self.refused.rule
        return self.refused.code

    @property
    def refused_at(self) -> str | None:
        """Where the case stopped: "opening" or "action N"."""
        if self.refused_action is None:
            return None
        return "opening" if self.refused_action == 0 else f"action {self.refused_action}"

    @property
    def as_expected(self) -> bool:
        if self.skipped:  # run before: what it did then was checked then
            return True
        want_refusal = self.expected.get("refused")
        if want_refusal is not None:
            if self.refused_rule != want_refusal:
                return False
        elif self.refused is not None:
            return False
        want_status = self.expected.get("status")
        if want_status is not None and (self.state is None
                                        or self.state.status != want_status):
            return False
        missing, unexpected = self.breach_mismatch
        return not missing and not unexpected

    @property
    def breached(self) -> list[str]:
        """The targets of the case's breaches, each once, in the order they first happened."""
        if self.state is None:
            return []
        return list(dict.fromkeys(str(b["target"]) for b in self.state.breaches))

    @property
    def breach_mismatch(self) -> tuple[list[str], list[str]]:
        """``(expected but not breached, breached but not expected)``; both empty when the file
        says nothing about breaches."""
        wanted = self.expected.get("breaches")
        if wanted is None:
            return [], []
        got = self.breached
        return ([t for t in wanted if t not in got], [t for t in got if t not in wanted])


# --- reading and checking the file ------------------------------------------------------------

def _invalid(code: str, lang: str | None, **params: object) -> InvalidCaseInput:
    message, hint = text(code, lang, **params)
    return InvalidCaseInput(message, hint=hint)


# the hardened reader's own limit, checked here before anything is read so the message says
# what it is: hundreds of cases fit; documents are files, not inline text
MAX_CASE_FILE_BYTES = MAX_BYTES


def load_case_file(path: str | os.PathLike[str], lang: str | None = None) -> dict[str, Any]:
    """The parsed case file, its shape checked (:func:`check_case_file`). A file larger than
    :data:`MAX_CASE_FILE_BYTES` is refused before anything is parsed (a 20 MB file took 95 s
    and 2.3 GB to parse only to fail at its end); the rest is read by the hardened reader
    (:mod:`engine.procedure.source`): a duplicated key, a YAML syntax error, a tag or a nesting
    too deep is an error at its ``file:line:col``."""
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size
    except OSError as exc:
        raise _invalid("err.casefile_unreadable", lang, file=name,
                       problem=exc.strerror) from exc
    if size > MAX_CASE_FILE_BYTES:
        raise _invalid("err.casefile_too_large", lang, file=name, size=size,
                       limit=MAX_CASE_FILE_BYTES)
    doc = read_file(name, lang or default_lang())
    errors = [d for d in doc.diagnostics if d.is_error]
    if any(d.code == "Y009" for d in errors):  # the file cannot be opened
        raise _invalid("err.casefile_unreadable", lang, file=name,
                       problem=dict(errors[0].args).get("problem", ""))
    if any(d.code == "Y008" for d in errors) or (
            not errors and not isinstance(doc.data.get("cases"), list)):
        raise _invalid("err.casefile_no_cases", lang, file=name)
    if errors:
        message, hint = text("err.casefile_read", lang, file=name, count=len(errors))
        listing = "\n".join(d.format(lang or default_lang()) for d in errors)
        raise InvalidCaseInput(f"{message}\n{listing}", hint=hint)
    data: dict[str, Any] = doc.data
    check_case_file(data, name, lang)
    return data


def check_case_file(data: dict[str, Any], name: str, lang: str | None = None) -> None:
    """Raise InvalidCaseInput naming every shape problem (file, case and action number)."""
    say = _Say(lang)
    problems: list[str] = []
    for key in data:
        if key not in _FILE_KEYS:
            problems.append(say("cli.cf.unknown_key", key=key, expected=", ".join(_FILE_KEYS)))
    if "procedure" in data and not isinstance(data["procedure"], str):
        problems.append(say("cli.cf.procedure_id"))
    for index, spec in enumerate(data.get("cases") or []):
        problems.extend(_check_case(spec, say("cli.cf.case", number=index + 1), say))
    _raise_problems(problems, name, lang)


def _raise_problems(problems: list[str], name: str, lang: str | None) -> None:
    """InvalidCaseInput listing ``problems`` (the first few) of file ``name``, if any."""
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = len(problems) - len(shown)
        listing = "\n".join(f"  {name}: {p}" for p in shown)
        message, hint = text("err.casefile_problems", lang, file=name, count=len(problems))
        raise InvalidCaseInput(
            f"{message}\n{listing}"
            + ("\n  " + text("cli.casefile.more", lang, more=more)[0] if more > 0 else ""),
            hint=hint)


class _Say:
    """One problem line of a case file check, in the caller's language."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang

    def __call__(self, code: str, **params: object) -> str:
        return text(code, self.lang, **params)[0]


def _check_case(spec: Any, where: str, say: _Say) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: {say('cli.cf.case_mapping')}"]
    if isinstance(spec.get("id"), (str, int)) and not isinstance(spec.get("id"), bool):
        where = f"{where} ({spec['id']})"
    problems = [f"{where}: " + say("cli.cf.unknown_key", key=k, expected=", ".join(_CASE_KEYS))
                for k in spec if k not in _CASE_KEYS]
    if "id" in spec and (not isinstance(spec["id"], str) or not spec["id"].strip()):
        problems.append(f"{where}: {say('cli.cf.non_empty', key='id')}")
    if spec.get("description") is not None and not isinstance(spec["description"], str):
        problems.append(f"{where}: {say('cli.cf.text', key='description')}")
    opened = spec.get("opened")
    if opened is not None:
        if not isinstance(opened, dict):
            problems.append(f"{where}: {say('cli.cf.opened_mapping')}")
        else:
            problems += [f"{where}: " + say("cli.cf.unknown_key_in", key=k, section="opened",
                                            expected="at, user, role")
                         for k in opened if k not in _COMMON_KEYS]
            problems += _check_actor(opened, say("cli.cf.opening", where=where), say,
                                     required=False)
    problems += _check_facts(spec.get("facts"), f"{where}: 'facts'", say)
    problems += _check_documents(spec.get("documents"), f"{where}: 'documents'", say)
    problems += _check_names(spec.get("participants"), f"{where}: 'participants'", say)
    actions = spec.get("actions")
    if actions is not None and not isinstance(actions, list):
        problems.append(f"{where}: {say('cli.cf.list', key='actions')}")
    for number, action in enumerate(actions if isinstance(actions, list) else [], start=1):
        problems += _check_action(action, say("cli.cf.action", where=where, number=number), say)
    expect = spec.get("expect")
    if expect is not None:
        if not isinstance(expect, dict):
            problems.append(f"{where}: {say('cli.cf.expect_mapping')}")
        else:
            for key, value in expect.items():
                if key not in _EXPECT_KEYS:
                    problems.append(f"{where}: " + say("cli.cf.unknown_key_in", key=key,
                                                       section="expect",
                                                       expected=", ".join(_EXPECT_KEYS)))
                elif key == "breaches":
                    if not isinstance(value, list) or not all(
                            isinstance(t, str) and t.strip() for t in value):
                        problems.append(f"{where}: {say('cli.cf.expect_breaches')}")
                elif not isinstance(value, str):
                    problems.append(f"{where}: " + say(
                        "cli.cf.expect_text", key=key,
                        example="completed" if key == "status" else "guard.role"))
    return problems


def _check_actor(action: dict[str, Any], where: str, say: _Say, *,
                 required: bool = True) -> list[str]:
    problems = []
    for key in ("user", "role"):
        value = action.get(key)
        if value is None and not required:
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: " + (say("cli.cf.actor_missing", key=key)
                                            if value is None
                                            else say("cli.cf.non_empty", key=key)))
    at = action.get("at")
    if at is not None and not isinstance(at, (str, dt.datetime, dt.date)):
        problems.append(f"{where}: {say('cli.cf.at')}")
    return problems


_ONE_PAIR_EXAMPLES = {"fact": "fact: {victim_is_child: true}",
                      "participant": "participant: {orang_tua_wali: Ibu S.}",
                      "attach": "attach: {surat_rujukan: {file: rujukan.pdf}}"}


def _check_action(action: Any, where: str, say: _Say) -> list[str]:
    if not isinstance(action, dict):
        return [f"{where}: {say('cli.cf.action_mapping')}"]
    kinds = [k for k in _ACTION_KEYS if k in action]
    if len(kinds) != 1:
        found = say("cli.cf.found", kinds=", ".join(kinds)) if kinds else ""
        return [f"{where}: " + say("cli.cf.action_kind", kinds=", ".join(_ACTION_KEYS),
                                   found=found)]
    kind = kinds[0]
    allowed = (set(_COMMON_KEYS) | {_LINKED_KEY, kind}
               | (set(_DO_KEYS) if kind == "do" else set()))
    problems = [f"{where}: " + (say("cli.cf.not_with", key=k, kind=kind) if k in _DO_KEYS
                                else say("cli.cf.unknown_key_bare", key=k))
                for k in action if k not in allowed]
    problems += _check_actor(action, where, say)
    linked = action.get(_LINKED_KEY)
    if linked is not None and (not isinstance(linked, str) or not linked.strip()):
        problems.append(f"{where}: {say('cli.cf.non_empty', key=_LINKED_KEY)}")
    value = action[kind]
    if kind == "do":
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: {say('cli.cf.do_step')}")
        for key in ("outcome", "note", "service"):
            if action.get(key) is not None and not isinstance(action[key], str):
                problems.append(f"{where}: {say('cli.cf.text', key=key)}")
        problems += _check_facts(action.get("facts"), f"{where}: 'facts'", say)
        problems += _check_documents(action.get("documents"), f"{where}: 'documents'", say)
        problems += _check_names(action.get("participants"), f"{where}: 'participants'", say)
    elif kind in ("fact", "participant", "attach"):
        if not isinstance(value, dict) or len(value) != 1:
            problems.append(f"{where}: " + say("cli.cf.one_pair", kind=kind,
                                               example=_ONE_PAIR_EXAMPLES[kind]))
        elif kind == "participant":
            problems += _check_names(value, f"{where}: 'participant'", say)
        elif kind == "attach":
            problems += _check_documents(value, f"{where}: 'attach'", say)
    elif kind == "extend":
        if not isinstance(value, dict):
            problems.append(f"{where}: {say('cli.cf.extend_mapping')}")
        else:
            problems += [f"{where}: " + say("cli.cf.unknown_key_in", key=k, section="extend",
                                            expected=", ".join(_EXTEND_KEYS))
                         for k in value if k not in _EXTEND_KEYS]
            amount = value.get("amount")
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
                problems.append(f"{where}: {say('cli.cf.extend_amount')}")
            for key in ("unit", "reason", "target"):
                if key in value and not isinstance(value[key], str):
                    problems.append(f"{where}: {say('cli.cf.extend_text', key=key)}")
    elif value is not None and not isinstance(value, str):  # withdraw / terminate
        problems.append(f"{where}: {say('cli.cf.reason_text', kind=kind)}")
    return problems


def _check_facts(value: Any, where: str, say: _Say) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [say("cli.cf.facts_mapping", where=where)]
    return [f"{where}: {say('cli.cf.fact_name', name=repr(k))}"
            for k in value if not isinstance(k, str)]


def _check_names(value: Any, where: str, say: _Say) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [say("cli.cf.names_mapping", where=where)]
    problems = []
    for role, name in value.items():
        if not isinstance(role, str):
            problems.append(f"{where}: {say('cli.cf.role_id', role=repr(role))}")
        elif isinstance(name, (dict, list)) or name is None or not str(name).strip():
            problems.append(f"{where}: {say('cli.cf.person_name', role=role)}")
    return problems


def _check_documents(value: Any, where: str, say: _Say) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [say("cli.cf.documents_mapping", where=where)]
    problems = []
    for doc_id, spec in value.items():
        if not isinstance(doc_id, str):
            problems.append(f"{where}: {say('cli.cf.document_id', document=repr(doc_id))}")
        elif isinstance(spec, str):
            continue
        elif not isinstance(spec, dict) or len({"text", "file"} & set(spec)) != 1 \
                or set(spec) - {"text", "file"}:
            problems.append(f"{where}: {say('cli.cf.document_one', document=doc_id)}")
        elif "file" in spec and (not isinstance(spec["file"], str) or not spec["file"]):
            problems.append(f"{where}: {say('cli.cf.document_file', document=doc_id)}")
        elif "text" in spec and (spec["text"] is None or isinstance(spec["text"],
                                                                    (dict, list))):
            problems.append(f"{where}: {say('cli.cf.document_text', document=doc_id)}")
    return problems


# --- running ----------------------------------------------------------------------------------

def _attachment(engine: Engine, doc_id: str, spec: Any, base: Path, where: str) -> Attachment:
    if isinstance(spec, str):
        spec = {"text": spec}
    if "file" in spec:
        try:
            return engine.attachment(doc_id, base.absolute() / str(spec["file"]), root=base)
        except CommandRefused:
            raise
        except CaseError as exc:  # name the case and action in the message
            raise type(exc)(f"{where}: {exc.message}", hint=exc.hint) from exc
    content = str(spec["text"]).encode("utf-8")
    return Attachment(doc_id, f"{doc_id}.txt", hashlib.sha256(content).hexdigest(),
                      len(content), "text/plain", content)


def _attachments(engine: Engine, docs: dict[str, Any] | None, base: Path,
                 where: str) -> tuple[Attachment, ...]:
    return tuple(_attachment(engine, str(d), s, base, where) for d, s in (docs or {}).items())


def _people(names: dict[str, Any] | None) -> dict[str, str]:
    return {str(role): str(name).strip() for role, name in (names or {}).items()}


def _at(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, (dt.datetime, dt.date)) else str(value)


def _target(engine: Engine, state: CaseState, action: dict[str, Any]) -> str:
    """The case an action is on: its own case, or (``case:``) one that case opened."""
    wanted = action.get(_LINKED_KEY)
    if wanted is None or wanted == state.case_id:
        return state.case_id
    linked = [str(link["case_id"]) for link in state.links if link.get("direction") == "out"]
    if wanted not in linked:
        raise _invalid("err.casefile_not_linked", engine.lang, case=wanted,
                       source=state.case_id, linked=", ".join(linked) or "-")
    return str(wanted)


def _command(engine: Engine, state: CaseState, action: dict[str, Any], base: Path,
             where: str) -> Command:
    """The command of one action (its shape was checked by :func:`check_case_file`)."""
    kind = next(k for k in _ACTION_KEYS if k in action)
    common: dict[str, Any] = {"user": action["user"], "role": action["role"],
                              "at": _at(action.get("at")),
                              "case_id": _target(engine, state, action)}
    value = action[kind]
    if kind == "do":
        return CompleteStep(**common, step=str(value), outcome=action.get("outcome"),
                            service=action.get("service"),
                            documents=_attachments(engine, action.get("documents"), base, where),
                            facts=dict(action.get("facts") or {}),
                            participants=_people(action.get("participants")),
                            note=action.get("note"))
    if kind == "fact":
        name, fact_value = next(iter(value.items()))
        return SetFact(**common, name=str(name), value=fact_value)
    if kind == "participant":
        role, person = next(iter(_people(value).items()))
        return AddParticipant(**common, participant_role=role, name=person)
    if kind == "attach":
        doc_id, spec = next(iter(value.items()))
        return AttachDocument(**common, attachment=_attachment(engine, str(doc_id), spec, base,
                                                               where))
    if kind == "extend":
        return ExtendDeadline(**common, amount=int(value["amount"]),
                              unit=str(value.get("unit", "working_days")),
                              reason=str(value.get("reason") or ""),
                              target=str(value.get("target", "case")))
    cls = Withdraw if kind == "withdraw" else Terminate
    return cls(**common, reason=str(value or ""))


_COMMAND_OF = {"do": "CompleteStep", "fact": "SetFact", "participant": "AddParticipant",
               "attach": "AttachDocument", "extend": "ExtendDeadline", "withdraw": "Withdraw",
               "terminate": "Terminate"}


def _rule(exc: BaseException | None) -> str | None:
    return exc.rule if isinstance(exc, CaseError) else None


def _audit_input(engine: Engine, command: str, user: str, role: str, at: str | None,
                 case_id: str | None, exc: AlurError) -> None:
    """Record an action refused before it became a command (the engine records the others)."""
    engine.store.record_audit(AuditRecord(
        at=engine.clock().isoformat(), user=user, role=role, action=f"refused:{command}",
        case_id=case_id, rule=_rule(exc) or _rule(exc.__cause__) or exc.code,
        detail={"message": exc.message, "at": at}))


def breach_targets(proc: Procedure) -> list[str]:
    """Every time limit of ``proc`` a case can breach, as its breaches name it: ``case``, the
    steps with a deadline, ``phase:<id>``, ``repeat:<step>``."""
    return (["case"] + [step.id for step in proc.steps if step.deadline is not None]
            + [f"phase:{phase.id}" for phase in proc.phase_limits]
            + [f"repeat:{step.id}" for step in proc.steps if step.repeat is not None])


def _check_breach_targets(data: dict[str, Any], proc: Procedure, name: str,
                          lang: str | None) -> None:
    """An ``expect: {breaches: [...]}`` target the procedure does not have can never be met:
    a shape error naming the file and case, before anything runs."""
    known = breach_targets(proc)
    say = _Say(lang)
    problems: list[str] = []
    for index, spec in enumerate(data["cases"]):
        wanted = (spec.get("expect") or {}).get("breaches") or []
        where = say("cli.cf.case", number=index + 1)
        if spec.get("id"):
            where = f"{where} ({spec['id']})"
        problems += [f"{where}: " + say("cli.cf.breach_unknown", target=target,
                                        procedure=proc.id, known=", ".join(known))
                     for target in wanted if target not in known]
    _raise_problems(problems, name, lang)


def run_case_file(engine: Engine, procedure: str, path: str | os.PathLike[str], *,
                  skip_existing: bool = False) -> list[CaseRun]:
    """Open and drive every case of a case file; refusals stop only their own case.

    ``skip_existing``: a case whose id is already in the store is not run again; its
    :class:`CaseRun` is marked ``skipped`` and holds the stored state (a re-run of the same
    files on the same store then reports the cases instead of refusing each one).

    Raises InvalidCaseInput (and runs nothing) when the file is malformed or is for another
    procedure; every other error is recorded on its :class:`CaseRun`.
    """
    data = load_case_file(path, engine.lang)
    base = Path(path).resolve().parent
    digest = engine.register(procedure)
    proc = engine.procedure(digest)
    wanted = data.get("procedure")
    if wanted is not None and wanted != proc.id:
        raise _invalid("err.casefile_procedure", engine.lang, file=os.fspath(path),
                       wanted=wanted, actual=proc.id)
    _check_breach_targets(data, proc, os.fspath(path), engine.lang)
    runs: list[CaseRun] = []
    for index, spec in enumerate(data["cases"]):
        where = f"{os.fspath(path)}: case {index + 1}"
        run = CaseRun(index, spec.get("id"), str(spec.get("description") or "").strip(),
                      expected=dict(spec.get("expect") or {}))
        runs.append(run)
        if skip_existing and spec.get("id") and engine.store.head(str(spec["id"])) is not None:
            run.skipped, run.state = True, engine.case(str(spec["id"]))
            continue
        opened = spec.get("opened") or {}
        user = str(opened.get("user", "intake"))
        role = str(opened.get("role", proc.steps[0].actor))
        try:
            documents = _attachments(engine, spec.get("documents"), base, f"{where}, opening")
        except AlurError as exc:  # refused before any command: recorded here
            _audit_input(engine, "OpenCase", user, role, _at(opened.get("at")),
                         spec.get("id"), exc)
            run.refused, run.refused_action = exc, 0
            continue
        try:
            result: CaseResult = engine.open_case(
                digest, user=user, role=role, facts=dict(spec.get("facts") or {}),
                documents=documents, participants=_people(spec.get("participants")),
                at=_at(opened.get("at")), case_id=spec.get("id"))
        except AlurError as exc:
            run.refused, run.refused_action = exc, 0
            continue
        run.case_id, run.state = result.case.case_id, result.case
        state = result.case
        for number, action in enumerate(spec.get("actions") or [], start=1):
            try:
                command = _command(engine, state, action, base,
                                   f"{where}, action {number}")
            except AlurError as exc:  # e.g. a document path outside the case file's folder
                kind = next(k for k in _ACTION_KEYS if k in action)
                _audit_input(engine, _COMMAND_OF[kind], str(action["user"]),
                             str(action["role"]), _at(action.get("at")), run.case_id, exc)
                run.refused, run.refused_action = exc, number
                break
            try:
                result = engine.execute(command)
                # an action on a linked case leaves the report on this one, as it now stands
                state = (result.case if command.case_id == run.case_id
                         else engine.case(run.case_id))
                run.state = state
            except AlurError as exc:
                run.refused, run.refused_action = exc, number
                break
    return runs
