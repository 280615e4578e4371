"""Who may do what outside a procedure's steps: reveal in bulk, erase, audit, list cases.

A procedure's ``access.read`` and its steps decide who reads and advances one case
(:meth:`engine.api.Engine.read_case`, the runtime guards). The commands that reach across
cases — ``export --include-sensitive``, ``retention apply``, ``audit``/``report``/``export``,
``case list``, ``inbox``, ``due`` — are decided here, against the roster:

* ``require_privilege``: the user holds a role the roster's ``privileges:`` section grants the
  privilege to (``export_sensitive``, ``erase``, ``audit``). Without a roster nobody does:
  revealing every case or erasing one for good is never taken on a claimed role.
* ``require_user`` / ``readable_procedures``: with a roster, every read names a user; a listing
  shows the procedures one of their roles may read (all of them with ``audit``).

Every refusal is recorded in the audit log (``refused:<privilege>`` / ``refused:read``) and
raised as :class:`~engine.errors.AccessDenied` (exit 1).
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from typing import TYPE_CHECKING

from engine.cases.events import AuditRecord
from engine.cases.rules import not_ahead, privileged
from engine.errors import AccessDenied
from engine.messages import text

if TYPE_CHECKING:
    from engine.api import Engine

__all__ = ["no_roster_notice_due", "readable_procedures", "refuse_role", "require_not_ahead",
           "require_privilege", "require_user"]


def _refuse(engine: Engine, actor: str | None, as_role: str, what: str, rule: str, code: str,
            /, **params: object) -> AccessDenied:
    engine.store.record_audit(AuditRecord(  # the audit log keeps English
        at=engine.clock().isoformat(), user=actor or "-", role=as_role, action=f"refused:{what}",
        case_id=None, rule=rule, detail={"message": text(code, "en", **params)[0]}))
    message, hint = text(code, engine.lang, **params)
    return AccessDenied(message, hint=hint)


def require_privilege(engine: Engine, user: str | None, privilege: str, action: str) -> str:
    """The role through which ``user`` holds ``privilege`` (recorded with what they do), or
    AccessDenied, recorded. No roster: refused (the privilege is defined only by a roster)."""
    refused = privileged(engine.roster, user, privilege, action)  # the rule's one home
    if refused:
        raise _refuse(engine, user, "-", privilege, f"privilege.{privilege}", refused[0].rule,
                      **refused[0].args)
    assert engine.roster is not None and user is not None
    return sorted(engine.roster.roles_of(user) & engine.roster.privileges[privilege])[0]


def require_user(engine: Engine, user: str | None, action: str) -> None:
    """With a roster, a read names a user the roster knows; without one, nothing to check."""
    if engine.roster is None:
        return
    if not user or not user.strip():
        raise _refuse(engine, user, "-", "read", "access.read", "err.needs_user", action=action)
    if not engine.roster.roles_of(user):
        raise _refuse(engine, user, "-", "read", "access.read", "err.no_readable", user=user)


def readable_procedures(engine: Engine, user: str | None, action: str) -> set[str] | None:
    """Procedure ids whose cases ``user`` may see in a listing; None: every procedure (no
    roster, or the user holds ``audit``). With a roster and nothing readable: AccessDenied."""
    require_user(engine, user, action)
    roster = engine.roster
    if roster is None:
        return None
    assert user is not None
    if roster.may(user, "audit"):
        return None
    roles = roster.roles_of(user)
    allowed: set[str] = set()
    for stored in engine.store.procedures():
        if stored.id in allowed:
            continue
        if roles & engine.readers(engine.procedure(stored.hash)):
            allowed.add(stored.id)
    if not allowed:
        raise _refuse(engine, user, "-", "read", "access.read", "err.no_readable", user=user)
    return allowed


def no_roster_notice_due() -> bool:
    """Whether to print "no roster configured": once per terminal session (per user and
    session id), not on every command. The marker is an empty file in ``$ALUR_NOTICE_DIR``,
    else ``$XDG_RUNTIME_DIR``, else the temporary folder; when it cannot be written the notice
    is printed every time (never silently dropped)."""
    folder = (os.environ.get("ALUR_NOTICE_DIR") or os.environ.get("XDG_RUNTIME_DIR")
              or tempfile.gettempdir())
    try:
        session = os.getsid(0)
    except OSError:
        return True
    marker = os.path.join(folder, f"alur-no-roster-{os.getuid()}-{session}")
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return False
    except OSError:
        return True
    os.close(fd)
    return True


def refuse_role(engine: Engine, user: str | None, role: str, action: str) -> AccessDenied:
    """AccessDenied (recorded): the roster does not give ``user`` the ``role`` they read as."""
    return _refuse(engine, user, role, "read", "access.read", "err.read_roster", user=user or "-",
                   role=role, roles=role)


def require_not_ahead(engine: Engine, user: str | None, role: str, now: datetime,
                      clock: datetime) -> None:
    """AccessDenied (recorded) when retention is asked to act at a moment later than the clock
    (the rules' :func:`~engine.cases.rules.not_ahead`)."""
    refused = not_ahead(now, clock)
    if refused:
        raise _refuse(engine, user, role, "erase", "retention.now", refused[0].rule,
                      **refused[0].args)
