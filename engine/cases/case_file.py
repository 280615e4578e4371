"""The case record file format (``alur run``) as a model, read with located diagnostics.

The format is the one :mod:`engine.runner` describes (``procedure``, and ``cases`` each with
``opened``, ``facts``, ``documents``, ``participants``, ``actions`` and ``expect``). Read through
:func:`engine.procedure.formats.read_model`, so a duplicated key (two ``do:`` in one action, a
fact given twice) is ``Y002`` at its line and column instead of the last one silently winning,
and every shape problem is located. What only a procedure can judge (an unknown step, a fact of
the wrong type, a guard) is decided when the case runs, not here.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from engine.procedure.formats import FileModel, Read, problem, read_model

__all__ = ["ACTION_KINDS", "Action", "CaseFile", "CaseSpec", "check_case_record_file"]

ACTION_KINDS = ("do", "fact", "participant", "attach", "extend", "withdraw", "terminate")
_DO_ONLY = ("outcome", "documents", "facts", "participants", "note", "service")
_ONE_PAIR_EXAMPLES = {"fact": "fact: {victim_is_child: true}",
                      "participant": "participant: {orang_tua_wali: Ibu S.}",
                      "attach": "attach: {surat_rujukan: {file: rujukan.pdf}}"}


def _not_blank(value: str) -> str:
    if not value.strip():
        raise problem("D004", "must be non-empty text")
    return value


def _person(value: object) -> object:
    """A person's name: any single value written as text (``Ibu S.``, or a number)."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
        return str(value)
    if isinstance(value, str) or value is None:
        raise problem("D004", "must be non-empty text")
    return value  # fails as a type: expected text


Text = Annotated[str, AfterValidator(_not_blank)]
Person = Annotated[str, BeforeValidator(_person)]


class Document(FileModel):
    """``{text: ...}`` (or just the text) or ``{file: path}`` relative to the case file."""

    text: Any = None
    file: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one(self) -> Document:
        if (self.text is None) == (self.file is None) or isinstance(self.text, (dict, list)):
            raise problem("D008", "a document needs exactly one of 'text' or 'file'")
        return self


class Actor(FileModel):
    at: str | None = None
    user: Text | None = None
    role: Text | None = None


class Extend(FileModel):
    amount: Annotated[int, Field(ge=1)]
    unit: str | None = None
    reason: str | None = None
    target: str | None = None


class Action(FileModel):
    """Who acts (``user``, ``role``, optionally ``at``) and exactly one kind of action."""

    at: str | None = None
    user: Text
    role: Text
    case: Text | None = None  # a case this one opened (a referral's, a plan service's)
    do: Text | None = None
    fact: dict[str, Any] | None = None
    participant: dict[str, Person] | None = None
    attach: dict[str, Document] | None = None
    extend: Extend | None = None
    withdraw: str | None = None
    terminate: str | None = None
    outcome: str | None = None
    service: str | None = None  # on a plan step: the branch recorded done
    documents: dict[str, Document] | None = None
    facts: dict[str, Any] | None = None
    participants: dict[str, Person] | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Action:
        kinds = [k for k in ACTION_KINDS if k in self.model_fields_set]
        if len(kinds) != 1:
            found = f" (found {', '.join(kinds)})" if kinds else ""
            raise problem("D005", "an action needs exactly one kind", kinds=", ".join(ACTION_KINDS),
                          found=found)
        kind = kinds[0]
        if kind != "do":
            for key in _DO_ONLY:
                if key in self.model_fields_set:
                    raise problem("D006", "goes only with 'do'", key=key, kind=kind)
        if kind in _ONE_PAIR_EXAMPLES:
            value = getattr(self, kind)
            if value is None or len(value) != 1:
                raise problem("D007", "takes exactly one pair", kind=kind,
                              example=_ONE_PAIR_EXAMPLES[kind])
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ACTION_KINDS if k in self.model_fields_set)


class Expect(FileModel):
    status: str | None = None
    refused: str | None = None
    breaches: list[Text] | None = Field(
        None, description="exactly the time limits the case breached: case, a step id, "
                          "phase:<id>, repeat:<step>; [] for none")


class CaseSpec(FileModel):
    id: Text | None = None
    description: str | None = None
    opened: Actor | None = None
    facts: dict[str, Any] | None = None
    documents: dict[str, Document] | None = None
    participants: dict[str, Person] | None = None
    actions: list[Action] | None = None
    expect: Expect | None = None


class CaseFile(FileModel):
    procedure: Text | None = None
    cases: list[CaseSpec]


def check_case_record_file(source: str | os.PathLike[str] | bytes, *, name: str | None = None,
                         lang: str = "en") -> Read[CaseFile]:
    """The case file read into :class:`CaseFile`, with every problem as a diagnostic."""
    return read_model(source, CaseFile, name=name, lang=lang)
