"""Ids and their near misses: the "did you mean" that a message about an unknown id carries.

Owns :func:`suggest`, and :func:`name_key`: the form in which a name someone types (a role's
alias, ``--role "Penerima Manfaat"``) is compared with the names a procedure declares. Neutral
on purpose: validation (shape, references), the runtime's refusals and the simulator's option
checks all name an unknown id the same way, and none of them should import another's layer for
it. Must not know procedures or cases.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

__all__ = ["name_key", "suggest"]


def suggest(word: str, choices: Collection[str]) -> str:
    """The closest choice as the term ``did_you_mean=x`` for a ``{suggestion!t}`` field (which
    renders `` (did you mean 'x'?)`` in the message's language), or empty."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did_you_mean={close[0]}" if close else ""


def name_key(name: str) -> str:
    """``name`` as compared with other names: case folded, '_' and '-' read as spaces, runs of
    white space as one ("penerima_manfaat", "Penerima  Manfaat" and "penerima manfaat" are one
    name). A role id is its own key's underscore form, so ids and aliases compare alike."""
    return " ".join(name.replace("_", " ").replace("-", " ").casefold().split())
