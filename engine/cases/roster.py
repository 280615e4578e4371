"""Who holds which role: the roster file, read once, checked on every command.

Format (YAML)::

    agency: DP3AKB Kota Pasuruan
    users:
      rina:  {roles: [pendamping_ppa], name: Rina}
      budi:  {roles: [koordinator_uptd, manajer_kasus]}

Without a roster alur takes the role a user claims and says so in its output ("no roster
configured"); with one, a user may act only in roles listed for them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

from engine.errors import UsageError

__all__ = ["Roster", "load_roster"]


@dataclass(frozen=True, slots=True)
class Roster:
    users: dict[str, frozenset[str]]
    source: str = "<roster>"

    def holds(self, user: str, role: str) -> bool:
        return role in self.users.get(user, frozenset())

    def roles_of(self, user: str) -> frozenset[str]:
        return self.users.get(user, frozenset())


def load_roster(path: str | os.PathLike[str]) -> Roster:
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as fh:
            data: Any = yaml.safe_load(fh)
    except OSError as exc:
        raise UsageError.of("err.roster.unreadable", None, file=name,
                            problem=exc.strerror) from exc
    except yaml.YAMLError as exc:
        raise UsageError.of("err.roster.yaml", None, file=name, problem=exc) from exc
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise UsageError.of("err.roster.no_users", None, file=name)
    table: dict[str, frozenset[str]] = {}
    for user, entry in users.items():
        roles = entry.get("roles") if isinstance(entry, dict) else None
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise UsageError.of("err.roster.roles", None, file=name, user=user)
        table[str(user)] = frozenset(roles)
    return Roster(table, name)
