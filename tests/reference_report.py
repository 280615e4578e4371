"""The first implementation of ``alur report`` (engine/analysis/audit/report.py before it was
made flat in memory): it remembered every case id it saw and kept the measured durations as
lists of floats. Kept as the reference the streaming implementation must equal
(tests/test_report_streaming.py); do not change it to follow the engine."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime

from engine.analysis.audit.report import Performance, Stat, _Window
from engine.cases.calendar import WorkCalendar
from engine.cases.events import AuditRecord, Event, verify_chain
from engine.cases.runtime import Context
from engine.cases.state import CaseState, replay
from engine.errors import AlurError

__all__ = ["performance"]


def performance(procedure_id: str, events: Iterable[Event], context: Callable[[str], Context],
                audit: Iterable[AuditRecord] = (), *, start: date | None = None,
                end: date | None = None) -> Performance:
    """The performance of ``procedure_id`` between ``start`` and ``end`` (inclusive local
    dates; None leaves that side open). ``events`` are that procedure's, ordered by case id
    then seq (one case is held in memory at a time)."""
    window = _Window(start, end)
    result = Performance(procedure_id, start, end)
    outcomes: Counter[str] = Counter()
    case_times: list[float] = []
    step_times: dict[str, list[float]] = {}
    step_hours: dict[str, list[float]] = {}
    by_actor: Counter[str] = Counter()
    by_escalation: Counter[str] = Counter()
    cases: set[str] = set()
    calendar: WorkCalendar | None = None
    for case_id, group in itertools.groupby(events, key=lambda e: e.case_id):
        history = list(group)
        cases.add(case_id)
        if verify_chain(case_id, history):
            result.unverified += 1  # a broken history is not measured: audit verify says why
            continue
        try:
            ctx = context(history[0].procedure_hash)
        except AlurError:  # its procedure version is missing: audit verify reports it
            result.unverified += 1
            continue
        calendar = ctx.calendar
        unit = ctx.proc.time_limit.unit.value
        result.unit = result.unit or unit
        if ctx.proc.version not in result.versions:
            result.versions.append(ctx.proc.version)
        for step in ctx.proc.steps:
            result.step_titles.setdefault(step.id, step.title)
        state = _walk(ctx, history, window, by_actor, by_escalation)
        if window.holds(state.opened_at, calendar):
            result.opened += 1
        for entry in state.path:
            if entry.get("started_at") and window.holds(entry["at"], calendar):
                began = datetime.fromisoformat(entry["started_at"])
                finished = datetime.fromisoformat(entry["at"])
                step_times.setdefault(entry["step"], []).append(
                    calendar.elapsed(began, finished, unit))
                step_hours.setdefault(entry["step"], []).append(
                    calendar.elapsed(began, finished, "hours"))
        if not state.closed or not window.holds(state.closed_at, calendar):
            continue
        assert state.closed_at is not None
        result.closed += 1
        outcomes[state.status] += 1
        begun = state.clock_started_at or state.opened_at
        if begun is not None:
            case_times.append(calendar.elapsed(datetime.fromisoformat(begun),
                                               datetime.fromisoformat(state.closed_at), unit))
        if state.due_at is not None:
            result.with_limit += 1
            late = any(b["target"] == "case" for b in state.breaches) \
                or datetime.fromisoformat(state.closed_at) > datetime.fromisoformat(state.due_at)
            result.within_limit += not late
    result.outcomes = dict(sorted(outcomes.items()))
    result.case_time = Stat.of(case_times)
    order = {step: index for index, step in enumerate(result.step_titles)}
    steps = sorted(step_times, key=lambda s: (order.get(s, len(order)), s))
    result.step_time = {step: Stat.of(step_times[step]) for step in steps}
    result.step_hours = {step: Stat.of(step_hours[step]) for step in steps}
    result.breaches = sum(by_actor.values())
    result.breaches_by_actor = dict(sorted(by_actor.items()))
    result.breaches_by_escalation = dict(sorted(by_escalation.items()))
    _refusals(result, audit, cases, window, calendar)
    return result


def _walk(ctx: Context, history: list[Event], window: _Window, by_actor: Counter[str],
          by_escalation: Counter[str]) -> CaseState:
    """Fold the case, counting each breach in the window against the role that had the work."""
    state: CaseState | None = None
    for event in history:
        if event.type == "deadline_breached" and state is not None \
                and window.holds(event.at, ctx.calendar):
            target = event.payload["target"]
            step_id = state.current_step if target == "case" else target
            try:
                actor = ctx.proc.step(step_id).actor if step_id else "-"
            except KeyError:
                actor = "-"
            by_actor[actor] += 1
            by_escalation[event.payload.get("escalate_to") or "-"] += 1
        state = replay([event], state)
    assert state is not None
    return state


def _refusals(result: Performance, audit: Iterable[AuditRecord], cases: set[str],
              window: _Window, calendar: WorkCalendar | None) -> None:
    if calendar is None:
        from engine.cases.calendar import calendar_for

        calendar = calendar_for()
    rules: Counter[str] = Counter()
    for record in audit:
        if not record.action.startswith("refused:") or not window.holds(record.at, calendar):
            continue
        if record.case_id in cases:
            rules[record.rule or "-"] += 1
        elif record.action == "refused:OpenCase":
            result.refused_openings += 1
    result.refused = sum(rules.values())
    result.refused_by_rule = dict(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])))
