"""Files read to attach to a case as documents.

With a folder (the CLI's documents folder, a case file's folder) the file must lie inside it
and is opened without following any symbolic link (:func:`engine.files.read_document`); either
way only a regular file is read, checked on the open handle. Content above :data:`MAX_BLOB`
is kept as a reference only.

Must not: store anything but the contents a command carries, just before its append.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from engine.cases.commands import AttachDocument, Attachment, Command
from engine.errors import CaseError
from engine.files import DocumentRefused, read_document
from engine.messages import text
from engine.store import Store

__all__ = ["MAX_BLOB", "attachment", "put_contents"]

MAX_BLOB = 10 * 1024 * 1024  # document content above this is kept as a reference only


def attachment(document: str, path: str | os.PathLike[str],
               root: str | os.PathLike[str] | None, lang: str) -> Attachment:
    """Read the file at ``path`` (inside ``root``; without, as given) to attach as
    ``document``; CaseError (rule ``input.document_path``) for a file refused."""
    file = Path(path)
    if root is None:
        root, path = file.parent, file.name
    try:
        read = read_document(root, path, limit=MAX_BLOB)
    except DocumentRefused as exc:
        message, hint = text(exc.code, lang, path=os.fspath(file), base=Path(root).absolute(),
                             problem=exc.problem)
        rule = "input.document_path" if exc.code != "err.document_unreadable" else None
        raise CaseError(message, hint=hint, rule=rule) from exc
    media = mimetypes.guess_type(read.name)[0] or "application/octet-stream"
    return Attachment(document, read.name, read.sha256, read.size, media, read.content)


def put_contents(store: Store, command: Command) -> None:
    """Store the contents of the documents ``command`` attaches (an opening's or an attach's),
    by SHA-256, before its append: an event never names content the store does not hold."""
    attachments: tuple[Attachment, ...] = getattr(command, "documents", ())
    if isinstance(command, AttachDocument):
        attachments = (command.attachment,)
    for attachment in attachments:
        if attachment.content is not None:
            store.put_blob(attachment.sha256, attachment.content)
