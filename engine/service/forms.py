"""The workspace's forms: the form of a case's current step, generated from the procedure, and
what a posted form holds, read into the values the engine takes (typed facts, participants,
attachments). Files are read into memory (at most one byte past the limit) and their temporary
files closed at once.

Must not: judge the values (the engine's guards do, and refuse with a rule and a fix) beyond the
upload limits the API also applies.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from engine.cases.commands import Attachment
from engine.cases.state import CaseState
from engine.errors import AlurError
from engine.messages import text
from engine.procedure.model import FactType, Procedure, RoleKind, Step

__all__ = ["MAX_UPLOAD", "UPLOAD_TYPES", "Fields", "Upload", "attachment_of", "facts_of",
           "participants_of", "plain", "read_form", "step_form"]

MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})


def step_form(proc: Procedure, state: CaseState, step: Step) -> dict[str, Any]:
    """The form of the current step, generated from the procedure: documents it needs or
    yields that the case does not hold, facts not yet given, outside participants not yet
    named, and the decision's outcomes."""
    documents = [proc.document(d) for d in (*step.requires, *step.produces)
                 if d not in state.documents]
    facts = [f for f in proc.facts if f.id not in state.facts]
    participants = [{"role": proc.role(p.role), "when": p.when} for p in step.participants
                    if proc.role(p.role).kind is RoleKind.EXTERNAL
                    and p.role not in state.participants]
    outcomes = list(step.decision.outcomes) if step.decision else []
    return {"documents": documents, "facts": facts, "participants": participants,
            "outcomes": outcomes, "question": step.decision.question if step.decision else None}


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent with a form, read (up to one byte past the limit) and closed."""

    filename: str
    media: str
    content: bytes


Fields = dict[str, "str | Upload"]


async def read_form(request: Request, *, max_files: int, max_fields: int) -> Fields:
    """A form's fields, its files read into memory and their temporary files closed."""
    fields: Fields = {}
    async with request.form(max_files=max_files, max_fields=max_fields) as form:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:
                    fields[key] = Upload(value.filename, value.content_type or "",
                                         await value.read(MAX_UPLOAD + 1))
            else:
                fields[key] = value
    return fields


def plain(form: Fields) -> dict[str, str]:
    """The text fields of a form, to fill it again after a refusal (files cannot be)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


def facts_of(proc: Procedure, form: Fields) -> dict[str, Any]:
    """Typed fact values from ``fact:<id>`` fields (an empty field gives nothing)."""
    facts: dict[str, Any] = {}
    for fact in proc.facts:
        raw = form.get(f"fact:{fact.id}")
        if not isinstance(raw, str) or not raw.strip():
            continue
        value: Any = raw.strip()
        if fact.type is FactType.BOOL:
            value = value == "true"
        elif fact.type is FactType.INT:
            with contextlib.suppress(ValueError):  # else the engine refuses it, with its fix
                value = int(value)
        facts[fact.id] = value
    return facts


def participants_of(form: Fields) -> dict[str, str]:
    return {key.removeprefix("part:"): value.strip()[:200] for key, value in form.items()
            if key.startswith("part:") and isinstance(value, str) and value.strip()}


def attachment_of(document: str, field: Any, lang: str) -> Attachment | None:
    """An uploaded file as an attachment (None: no file chosen). Type and size are judged as
    the API judges them."""
    if not isinstance(field, Upload) or not field.content:
        return None
    content = field.content
    media = field.media.split(";")[0].strip().lower()
    if len(content) > MAX_UPLOAD:
        message, hint = text("svc.too_large", lang, limit="10 MiB")
        raise AlurError(message, hint=hint)
    if media not in UPLOAD_TYPES:
        message, hint = text("svc.media_type", lang, media=media or "-",
                             allowed=", ".join(sorted(UPLOAD_TYPES)))
        raise AlurError(message, hint=hint)
    name = os.path.basename(field.filename)[:200] or document
    return Attachment(document, name, hashlib.sha256(content).hexdigest(), len(content), media,
                      content)
