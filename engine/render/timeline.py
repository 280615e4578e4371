"""A case's events and deadlines in words, for people: the CLI's ``case show`` timeline and
the workspace's case page say the same things (times in the agency's zone with its label).

Must not: read stores or decide anything (it words events already read).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from engine.cases.privacy import masked_user
from engine.cases.state import CaseState
from engine.localtime import local_time
from engine.messages import line, word

__all__ = ["deadline_status", "describe", "target_words"]


def describe(proc: Any, event: Any, lang: str, *, started: bool = False,
             staff: frozenset[str] = frozenset()) -> str | None:
    """One event in words (None: not worth a line; ``started``: say when a step starts;
    ``staff``: the case's staff users, named even when recording an outside role's step)."""
    roles = {r.id: r.title for r in proc.roles}
    tz = proc.agency.timezone

    say = partial(line, lang=lang)

    p = event.payload
    if event.type == "case_opened":
        what = say("cli.opened", user=masked_user(proc, event.user, event.role, staff),
                   role=event.role)
    elif event.type == "step_completed":
        step = proc.step(p["step"])
        what = (f"✓ {step.number} {step.title} — {roles.get(event.role, event.role)} "
                f"{masked_user(proc, event.user, event.role, staff)}"
                + (f" → {p['outcome']}" if p.get("outcome") else "")
                + ("; " + say("cli.outside", documents=", ".join(p["outside"]))
                   if p.get("outside") else ""))
    elif event.type == "step_signed":
        step = proc.step(p["step"])
        what = say("cli.signed", number=step.number, title=step.title,
                   signer=roles.get(p["signer"], p["signer"]),
                   user=masked_user(proc, event.user, event.role, staff))
    elif event.type == "plan_started":
        step = proc.step(p["step"])
        cases = p.get("cases") or {}
        what = say("cli.plan_started", number=step.number, title=step.title,
                   services=", ".join(s + (f" → {cases[s]}" if s in cases else "")
                                      for s in p["services"]) or "-")
    elif event.type == "service_ended":
        how = (f"{p['case_id']}: {p.get('status') or '-'}" if p.get("case_id")
               else f"{roles.get(event.role, event.role)} "
                    f"{masked_user(proc, event.user, event.role, staff)}")
        what = say("cli.service_ended", service=p["service"], how=how)
    elif event.type == "plan_joined":
        step = proc.step(p["step"])
        what = say("cli.plan_joined", number=step.number, title=step.title, join=p["join"])
    elif event.type == "step_started":
        if not started:
            return None
        step = proc.step(p["step"])
        what = say("cli.step_started", number=step.number, title=step.title,
                   role=roles.get(step.actor, step.actor)) + (
            say("cli.due", due=local_time(p["due_at"], tz)) if p.get("due_at") else "")
    elif event.type == "clock_started":
        what = say("cli.clock", due=local_time(p["due_at"], tz) if p["due_at"]
                   else say("cli.no_limit"))
    elif event.type == "obligation_started":
        what = (say("cli.obligation_started", step=p["step"], due=local_time(p["due_at"], tz))
                if p["due_at"] else say("cli.obligation_started_open", step=p["step"])) + (
            say("cli.obligation_ends", ends=local_time(p["ends_at"], tz))
            if p.get("ends_at") else "")
    elif event.type == "obligation_reported":
        user = masked_user(proc, event.user, event.role, staff)
        what = (say("cli.obligation_reported", step=p["step"], due=local_time(p["due_at"], tz),
                    user=user) if p["due_at"]
                else say("cli.obligation_reported_open", step=p["step"], user=user))
    elif event.type == "obligation_ended":
        what = say("cli.obligation_ended", step=p["step"])
    elif event.type == "clock_stopped":
        what = say("cli.clock_stopped", step=p["step"])
    elif event.type == "phase_started":
        what = say("cli.phase_started", phase=p["phase"], due=local_time(p["due_at"], tz))
    elif event.type == "phase_stopped":
        what = say("cli.phase_stopped", phase=p["phase"])
    elif event.type == "deadline_breached":
        # escalated to nobody (no escalate_to anywhere): said as a breach only, never "to -"
        what = say("cli.breached" if p.get("escalate_to") else "cli.breached_only",
                   target=target_words(lang, p["target"]), due=local_time(p["due_at"], tz),
                   role=p.get("escalate_to"))
    elif event.type == "case_closed":
        what = say("cli.closed", outcome=word(p["outcome"], lang)) + (
            f" ({p['reason']})" if p.get("reason") else "")
    elif event.type == "fact_set":
        what = say("cli.fact_set", name=p["name"])
    elif event.type == "document_attached":
        what = say("cli.document", document=p["document"], size=p["size"])
    elif event.type == "participant_added":
        what = say("cli.participant", role=p["role"])
    elif event.type == "deadline_extended":
        what = say("cli.extended", target=target_words(lang, p["target"], step_word=True),
                   due=local_time(p["due_at"], tz)) + (
            f" ({p['reason']})" if p.get("reason") else "")
    elif event.type == "case_referred":
        what = say("cli.referred", procedure=p["procedure_id"], case=p.get("case_id"))
    elif event.type == "case_anonymised":
        what = say("cli.anonymised", count=p.get("redacted", 0))
    else:
        what = event.type.replace("_", " ")
    return what


def target_words(lang: str, target: str, step_word: bool = False) -> str:
    """The target of a deadline: the case, or a step (named "step X" where asked)."""
    if target == "case":
        return line("cli.target.case", lang)
    if target.startswith("repeat:"):
        return line("cli.target.repeat", lang, step=target.removeprefix("repeat:"))
    if target.startswith("phase:"):
        return line("cli.target.phase", lang, phase=target.removeprefix("phase:"))
    return line("cli.target.step", lang, step=target) if step_word else target


def deadline_status(state: CaseState, lang: str = "en", tz: str | None = None,
                     quote: str | None = None) -> str:
    """The case's time limit in words; ``quote``: the SP's time-limit text, quoted when a
    case closed earlier than a minimum (information, never a breach)."""
    say = partial(line, lang=lang)

    if state.earliest_at is not None:  # a minimum (bound: min)
        earliest = local_time(state.earliest_at, tz)
        if state.closed_at is None:
            return say("cli.status.min_running", earliest=earliest)
        if datetime.fromisoformat(state.closed_at) < datetime.fromisoformat(state.earliest_at):
            return say("cli.status.min_early", earliest=earliest,
                       quote=" ".join((quote or "").split()))
        return say("cli.status.min_met", earliest=earliest)
    if state.due_at is None:
        return say("cli.status.none" if state.clock_started_at is None else "cli.status.nofixed")
    breached = [b for b in state.breaches if b["target"] == "case"]
    if breached:
        return say("cli.status.breached", due=local_time(breached[0]["due_at"], tz))
    extended = any(e["target"] == "case" for e in state.extensions)
    due = local_time(state.due_at, tz)
    if state.closed_at is not None:
        return say("cli.status.within_ext" if extended else "cli.status.within", due=due)
    return say("cli.status.running_ext" if extended else "cli.status.running", due=due)
