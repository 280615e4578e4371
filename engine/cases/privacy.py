"""Masking personal data for display and export.

Facts and documents marked ``sensitive`` in the procedure, and the names of participants (always
personal data), are replaced by ``MASK`` unless the caller reveals them; revealing is recorded in
the audit log by the caller (CLI, export) with who, when and why. Masking never changes stored
events, so hash chains still verify.
"""

from __future__ import annotations

from typing import Any

from engine.cases.events import SALTED, SALTS, Event
from engine.cases.state import CaseState
from engine.procedure.model import Procedure, RoleKind

__all__ = ["MASK", "mask_event", "mask_state", "masked_user", "sensitive_facts", "staff_users"]

MASK = "•••"


def sensitive_facts(proc: Procedure) -> set[str]:
    return {f.id for f in proc.facts if f.sensitive}


def _sensitive_docs(proc: Procedure) -> set[str]:
    return {d.id for d in proc.documents if d.sensitive}


def mask_state(proc: Procedure, state: CaseState, reveal: bool = False) -> dict[str, Any]:
    data = state.to_dict()
    if reveal:
        return data
    hidden = sensitive_facts(proc)
    data["facts"] = {k: (MASK if k in hidden else v) for k, v in data["facts"].items()}
    docs = _sensitive_docs(proc)
    data["documents"] = {k: ({**v, "name": MASK} if k in docs else v)
                         for k, v in data["documents"].items()}
    data["participants"] = {k: MASK for k in data["participants"]}
    # an action taken in an outside role carries that person's own id (a SAPA reporter's id is
    # also their participant name): masked in json as the text timeline masks it
    path = data.get("path", [])
    staff = staff_users(proc, path)
    data["path"] = [{**item, "user": masked_user(proc, item["user"], item["role"], staff)}
                    for item in path]
    return data


def mask_event(proc: Procedure, event: Event, reveal: bool = False) -> dict[str, Any]:
    data = event.to_dict()
    if reveal:
        return data
    payload = dict(event.payload)
    payload.pop(SALTS, None)  # salts would let anyone test guesses of the masked values
    payload.pop(SALTED, None)  # which paths were salted: bookkeeping, not history
    hidden = sensitive_facts(proc)
    if event.type == "fact_set" and payload.get("name") in hidden:
        payload["value"] = MASK
    elif event.type == "case_opened":
        payload["facts"] = {k: (MASK if k in hidden else v)
                            for k, v in payload.get("facts", {}).items()}
    elif event.type == "participant_added" or (
            event.type == "document_attached" and payload.get("document") in _sensitive_docs(proc)):
        payload["name"] = MASK
    data["payload"] = payload
    if _is_external(proc, event.role):  # a reporter or a party acting: the user is their name
        data["user"] = MASK
    return data


def _is_external(proc: Procedure, role: str) -> bool:
    try:
        return proc.role(role).kind is RoleKind.EXTERNAL
    except KeyError:
        return False


def masked_user(proc: Procedure, user: str, role: str,
                staff: frozenset[str] = frozenset()) -> str:
    """The user to show for an action: hidden when the role is an external party's, unless
    the user is one of the case's ``staff`` (:func:`staff_users`): a staff member recording
    the step of an outside party (the hospital's doctor) is named as for any staff action."""
    return MASK if _is_external(proc, role) and user not in staff else user


def staff_users(proc: Procedure, actions: Any) -> frozenset[str]:
    """The users who acted in a staff (or team) role somewhere in a case's ``actions`` (its
    events, or its path's items: anything with ``user`` and ``role``): their ids are the
    agency's, not an outside person's own, whichever role they record a step for."""
    found = set()
    for action in actions:
        user, role = (action["user"], action["role"]) if isinstance(action, dict) \
            else (action.user, action.role)
        if user and not _is_external(proc, role) and _known(proc, role):
            found.add(user)
    return frozenset(found)


def _known(proc: Procedure, role: str) -> bool:
    return any(r.id == role for r in proc.roles)
