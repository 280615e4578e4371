"""Cases linked to one another: a referral opening its target case, a case waiting for one.

A step or outcome with ``refer`` makes the runtime record ``case_referred`` on the source case;
here the target case is opened from it — the named documents the target procedure declares,
the facts it also declares (and those the referral's ``facts`` maps), its entry step's role —
so that the store appends both cases in one transaction (``linked``) and a referral never
leaves a half-made link. A case that referred with ``wait: true`` goes on only once the target
is closed: the rule is :meth:`engine.cases.rules.Rules.waiting`; a plan's linked services are
read the same way for its join (:func:`plan_statuses`, :meth:`~engine.cases.rules.Rules.joined`).
Reading the targets' status is done here.

Must not: append (the façade does, with the source case's events).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from engine.cases.commands import Attachment, OpenCase
from engine.cases.events import Event
from engine.cases.runtime import Context, open_events, snapshot_of
from engine.cases.state import CaseState
from engine.casework.numbering import Numbers
from engine.store import Store
from engine.store.base import Linked

__all__ = ["check_waiting", "plan_statuses", "referred_cases"]


def check_waiting(store: Store, ctx: Context, state: CaseState) -> None:
    """Refuse (CommandRefused) a step of a case still waiting for a case it referred."""
    def status(case_id: str) -> str | None:
        target = store.snapshot(case_id)
        return target.status if target is not None else None

    refused = ctx.rules.waiting(state, status)
    if refused:
        raise ctx.refused(refused[0])


def plan_statuses(store: Store, state: CaseState) -> dict[str, str | None]:
    """The status of each case the running plan of ``state`` opened (None: no such case),
    read pull-style like a waiting referral's, for the rules' join."""
    found: dict[str, str | None] = {}
    for entry in state.services.values():
        case_id = entry.get("case_id")
        if case_id and entry.get("status") == "open":
            target = store.snapshot(case_id)
            found[case_id] = target.status if target is not None else None
    return found


def referred_cases(store: Store, state: CaseState, events: list[Event], user: str,
                   context_of: Callable[[str], Context],
                   clock: Callable[[], datetime]) -> list[Linked]:
    """The target case of each referral among ``events`` (decided on ``state`` for ``user``),
    opened as the store appends it alongside: its id, version 0, its events and snapshot.
    ``context_of``: the context of a procedure named by a referral (an id or a file)."""
    linked: list[Linked] = []
    numbers = Numbers(store)  # two targets of one prefix take two numbers
    for event in events:
        if event.type != "case_referred":
            continue
        p = event.payload
        target = context_of(p["procedure_id"])
        wanted = {d.id for d in target.proc.documents}
        documents = tuple(_carried(store, state, doc) for doc in p["documents"] if doc in wanted)
        declared = {f.id for f in target.proc.facts}
        facts = {k: v for k, v in state.facts.items() if k in declared}
        # the referral's mapping (target fact: source fact) adds to the same-named facts
        facts.update({k: state.facts[v] for k, v in (p.get("facts") or {}).items()
                      if k in declared and v in state.facts})
        opening = OpenCase(user=user, role=target.proc.step(target.machine.entry).actor,
                           at=event.at, procedure=target.proc_hash, facts=facts,
                           documents=documents, case_id=p["case_id"])
        if store.snapshot(p["case_id"]) is not None:
            raise target.refuse("guard.exists", case=p["case_id"])
        new_state, new_events = open_events(
            target, p["case_id"], opening, clock,
            referred_from={"case_id": state.case_id, "procedure_id": state.procedure_id},
            number=numbers.drawer(target.proc))
        linked.append((new_state.case_id, 0, new_events, snapshot_of(target, new_state)))
    return linked


def _carried(store: Store, state: CaseState, doc: str) -> Attachment:
    """The source case's document ``doc`` as an attachment of the target case (its stored
    content, when the store still holds it)."""
    held = state.documents[doc]
    sha = str(held.get("sha256") or "")
    return Attachment(doc, str(held.get("name") or doc), sha, int(held.get("size") or 0),
                      str(held.get("media_type") or "application/octet-stream"),
                      store.blob(sha))
