"""The roster file format as a model, read with located diagnostics.

The format is the one :mod:`engine.cases.roster` describes::

    agency: DP3AKB Kota Pasuruan
    privileges: {erase: [kepala_upt]}
    users:
      rina:  {roles: [pendamping_ppa], name: Rina}
      budi:  {roles: [koordinator_uptd, manajer_kasus]}

Read through :func:`engine.procedure.formats.read_model`, so a user listed twice is the error
``Y002`` at the second entry's line and column (plain ``yaml.safe_load`` would keep the second
entry silently and could grant a role nobody meant to give), and every shape problem is located.
Owns no decision about who may act: :class:`~engine.cases.roster.Roster` does.
"""

from __future__ import annotations

import os
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from engine.cases.roster import Roster
from engine.errors import UsageError
from engine.messages import text
from engine.procedure.formats import FileModel, Read, problem, read_model

__all__ = ["RosterEntry", "RosterFile", "check_roster_file", "read_roster_file"]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise problem("D004", "must be non-empty text")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


class RosterEntry(FileModel):
    """One user: the roles they hold (``[]`` holds none) and an optional display name."""

    roles: list[Text]
    name: Text | None = None


class RosterFile(FileModel):
    agency: Text | None = None
    # which roles hold what no procedure step grants (engine.access; PRIVILEGES lists them)
    privileges: dict[Literal["export_sensitive", "erase", "audit"], list[Text]] = Field(
        default_factory=dict)
    users: dict[str, RosterEntry]

    def roster(self, source: str = "<roster>") -> Roster:
        return Roster({user: frozenset(entry.roles) for user, entry in self.users.items()},
                      source, {privilege: frozenset(roles)
                               for privilege, roles in self.privileges.items()})


def check_roster_file(source: str | os.PathLike[str] | bytes, *, name: str | None = None,
                      lang: str = "en") -> Read[RosterFile]:
    """The roster file read into :class:`RosterFile`, with every problem as a diagnostic."""
    return read_model(source, RosterFile, name=name, lang=lang)


def read_roster_file(path: str | os.PathLike[str], lang: str = "en") -> Roster:
    """The :class:`Roster` in the file at ``path``; raises :class:`UsageError` listing every
    problem as ``file:line:col`` (a duplicated user among them)."""
    read = check_roster_file(path, lang=lang)
    if read.model is None:
        message, hint = text("err.roster_problems", lang, file=read.file,
                             count=len(read.errors))
        raise UsageError(f"{message}\n{read.listing(lang)}", hint=hint)
    return read.model.roster(read.file)

