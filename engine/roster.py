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
(:mod:`engine.source`): a duplicate user key is an error at file:line:col (YAML would silently
keep the last one, which could grant a role), and every key is a string (``no`` stays ``"no"``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

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


def _problem(name: str, pos: tuple[int, int], code: str, lang: str,
             **params: object) -> UsageError:
    message, hint = text(code, lang, **params)
    return UsageError(f"{name}:{pos[0]}:{pos[1]}: {message}", hint=hint)


def load_roster(path: str | os.PathLike[str], lang: str = "en") -> Roster:
    from engine.source import read_file

    name = os.fspath(path)
    doc = read_file(name, lang)
    errors = [d for d in doc.diagnostics if d.is_error]
    if errors:
        raise UsageError(text("err.roster_invalid", lang, file=name)[0] + "\n"
                         + "\n".join(d.format(lang) for d in errors),
                         hint=text("err.roster_invalid", lang, file=name)[1])
    data: Any = doc.data
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise _problem(name, doc.locate(("users",)), "err.roster_no_users", lang)
    table: dict[str, frozenset[str]] = {}
    for user, entry in users.items():
        roles = entry.get("roles") if isinstance(entry, dict) else None
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise _problem(name, doc.locate(("users", user)), "err.roster_roles", lang,
                           user=user)
        table[str(user)] = frozenset(roles)
    granted: dict[str, frozenset[str]] = {}
    privileges = data.get("privileges", {})
    if not isinstance(privileges, dict):
        raise _problem(name, doc.locate(("privileges",)), "err.roster_privileges", lang,
                       privileges=", ".join(PRIVILEGES))
    for privilege, roles in privileges.items():
        if privilege not in PRIVILEGES or not isinstance(roles, list) or not all(
                isinstance(r, str) for r in roles):
            raise _problem(name, doc.locate(("privileges", privilege), key=True),
                           "err.roster_privileges", lang, privileges=", ".join(PRIVILEGES))
        granted[str(privilege)] = frozenset(roles)
    return Roster(table, name, granted)
