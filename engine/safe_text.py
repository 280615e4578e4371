"""Text that is safe to store as an id and to print on a terminal.

Ids, users, notes and reasons come from people and files. Printed raw, a control character can
move the cursor, rewrite the terminal's title or colours (ESC and OSC sequences), fake an extra
row in a listing (a newline in an id) or reverse what follows (the right-to-left override). So:

* a new case id must be of a safe alphabet (:data:`CASE_ID`: letters, digits, ``.``, ``_``,
  ``-``, up to 100 characters, starting with a letter or digit);
* a user name may not contain control characters (:func:`check_user`);
* everything printed for people goes through :func:`printable`, which writes each control,
  line-separator or bidirectional-override character as a visible escape (``\\x1b``,
  ``\\u202e``), so whatever an old record holds cannot act on the terminal.
"""

from __future__ import annotations

import re

from engine.errors import InvalidCaseInput
from engine.messages import text

__all__ = ["CASE_ID", "check_case_id", "check_user", "printable", "unsafe_in"]

CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# C0 and C1 controls (tab and newline included: not one may reach a row of output), DEL, the
# line and paragraph separators, and the bidirectional marks, embeddings, overrides and isolates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_TEXT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                             "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, newlines: bool = False) -> str:
    """``value`` as text with every unsafe character escaped (newlines kept if ``newlines``)."""
    text_value = str(value)
    return (_UNSAFE_IN_TEXT if newlines else _UNSAFE).sub(_escape, text_value)


def unsafe_in(value: str) -> str | None:
    """The first unsafe character of ``value`` escaped, or None."""
    match = _UNSAFE.search(value)
    return _escape(match) if match else None


def check_case_id(case_id: str, lang: str | None = None) -> None:
    """Refuse a new case id outside :data:`CASE_ID` (``input.case_id``)."""
    if not CASE_ID.fullmatch(case_id):
        message, hint = text("input.case_id", lang, case=printable(case_id)[:120])
        raise InvalidCaseInput(message, hint=hint, rule="input.case_id")


def check_user(user: str, lang: str | None = None) -> None:
    """Refuse a user name with a control character (``input.user``)."""
    bad = unsafe_in(user)
    if bad is not None:
        message, hint = text("input.user", lang, user=printable(user)[:120], char=bad)
        raise InvalidCaseInput(message, hint=hint, rule="input.user")
