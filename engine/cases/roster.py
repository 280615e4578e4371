"""Who holds which role: the roster file, read once, checked on every command.

Format (YAML)::

    agency: DP3AKB Kota Pasuruan
    privileges:                          # which roles may do what no procedure step does
      export_sensitive: [koordinator_uptd_ppa]   # alur export --include-sensitive
      erase: [kepala_upt]                        # alur retention apply
      audit: [koordinator_uptd_ppa, auditor]     # audit verify/conformance, report, export
    users:
      rina:  {roles: [pendamping_ppa], name: Rina}
      budi:  {roles: [koordinator_uptd_ppa, manajer_kasus]}

Without a roster alur takes the role a user claims and says so (once per terminal session, see
:mod:`engine.access`); with one, a user may act only in roles listed for them, and a privilege
not listed under ``privileges:`` belongs to nobody. The file is read with the hardened reader
(:mod:`engine.procedure.source`, through :mod:`engine.cases.roster_file`): a duplicate user key
is an error at file:line:col (YAML would silently keep the last one, which could grant a role),
and every key is a string (``no`` stays ``"no"``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from engine.errors import UsageError
from engine.messages import text

__all__ = ["PRIVILEGES", "Roster", "load_roster", "roster_path"]

# What a roster may grant beyond the steps of a procedure (docs/privacy.md, "Who may ...").
PRIVILEGES = ("export_sensitive", "erase", "audit")


@dataclass(frozen=True, slots=True)
class Roster:
    users: dict[str, frozenset[str]]
    source: str = "<roster>"
    privileges: dict[str, frozenset[str]] = field(default_factory=dict)

    def holds(self, user: str, role: str) -> bool:
        return role in self.users.get(user, frozenset())

    def roles_of(self, user: str) -> frozenset[str]:
        return self.users.get(user, frozenset())

    def may(self, user: str, privilege: str) -> bool:
        """Whether ``user`` holds a role the roster grants ``privilege`` to."""
        return bool(self.roles_of(user) & self.privileges.get(privilege, frozenset()))


def roster_path(option: str | None, lang: str = "en") -> str | None:
    """The roster file from ``--roster`` or ``$ALUR_ROSTER``; None when neither is given. An
    explicitly empty value is an error, never "no roster" (that would fail open)."""
    if option is not None:
        value, where = option, "--roster"
    elif "ALUR_ROSTER" in os.environ:
        value, where = os.environ["ALUR_ROSTER"], "$ALUR_ROSTER"
    else:
        return None
    if not value.strip():
        message, hint = text("err.roster_empty", lang, where=where)
        raise UsageError(message, hint=hint)
    return value


def load_roster(path: str | os.PathLike[str], lang: str = "en") -> Roster:
    """The roster in the file at ``path``, read with located diagnostics
    (:func:`engine.cases.roster_file.read_roster_file`); a UsageError lists every problem."""
    from engine.cases.roster_file import read_roster_file  # it builds this module's Roster

    return read_roster_file(path, lang)
