"""Reading documents and writing exports safely.

Documents come from a documents folder (``$ALUR_DOCUMENTS`` for the CLI, the case file's folder
for ``alur run``). :func:`read_document` opens the file the way ``openat`` does: from a handle
on the folder, one path component at a time, each with ``O_NOFOLLOW``, so no symbolic link is
followed (a file swapped for a link between a check and the read cannot lead outside), ``..``
is refused, and what was opened is checked with ``fstat`` on the open handle: only regular
files (never a device, pipe, socket or folder; ``O_NONBLOCK`` keeps a FIFO from hanging the
open). The content and its SHA-256 come from that same handle.

:func:`private_open` creates files 0600: what alur writes holds personal data, never
world-readable (the umask can only take permissions away).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from typing import TextIO

__all__ = ["DocumentRefused", "ReadDocument", "private_open", "read_document"]

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
    | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) \
    | getattr(os, "O_CLOEXEC", 0)


class DocumentRefused(Exception):
    """The path may not be read; ``code`` names the catalogue message (engine.messages)."""

    def __init__(self, code: str, problem: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ReadDocument:
    name: str
    size: int
    sha256: str
    content: bytes | None  # None above ``limit``: the document is kept as a reference only


def _parts(root: str, path: str) -> list[str]:
    """The components of ``path`` below ``root``, judged on the text alone (nothing resolved):
    an absolute path must name a place inside ``root``; ``..`` is refused."""
    if os.path.isabs(path):
        rel = os.path.relpath(os.path.normpath(path), os.path.abspath(root))
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            raise DocumentRefused("err.document_outside")
        parts = rel.split(os.sep)
    else:
        parts = path.split(os.sep)
    cleaned = [p for p in parts if p not in ("", os.curdir)]
    if not cleaned or os.pardir in cleaned:
        raise DocumentRefused("err.document_outside")
    return cleaned


def read_document(root: str | os.PathLike[str], path: str | os.PathLike[str], *,
                  limit: int) -> ReadDocument:
    """Read ``path`` (relative to ``root``, or absolute inside it) without following links."""
    parts = _parts(os.fspath(root), os.fspath(path))
    handles: list[int] = []
    try:
        try:
            handles.append(os.open(os.fspath(root), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
                                   | getattr(os, "O_CLOEXEC", 0)))
            for part in parts[:-1]:
                handles.append(os.open(part, _DIR_FLAGS, dir_fd=handles[-1]))
            fd = os.open(parts[-1], _FLAGS, dir_fd=handles[-1])
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK):  # a symbolic link on the way
                raise DocumentRefused("err.document_link") from exc
            raise DocumentRefused("err.document_unreadable", exc.strerror or str(exc)) from exc
        handles.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentRefused("err.document_not_file")
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        size = 0
        with os.fdopen(os.dup(fd), "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
                if size <= limit:
                    chunks.append(block)
        return ReadDocument(parts[-1], size, digest.hexdigest(),
                            b"".join(chunks) if size <= limit else None)
    finally:
        for handle in handles:
            os.close(handle)


def private_open(path: str | os.PathLike[str], *, newline: str | None = None) -> TextIO:
    """Open ``path`` for writing text, created 0600 (an existing file is made 0600 too)."""
    fd = os.open(os.fspath(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC
                 | getattr(os, "O_CLOEXEC", 0), 0o600)
    with contextlib.suppress(OSError):  # not ours to change (another owner): left as it is
        os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) & 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline=newline)
