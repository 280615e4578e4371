"""Service performance of one procedure over a period, as the Ombudsman assesses it.

Owns :func:`performance`: a stream of one procedure's events (ordered by case, then seq) plus
the audit log → a :class:`Performance`. Pure: the caller passes the events, a function giving
the decision context of a procedure hash (for the step titles, actors and the agency calendar
of the pinned version) and the audit records; the CLI formats the result.

What is counted (the window is inclusive, on the agency's local dates; no window = all time):

* cases *opened* in the window (``case_opened``) and *closed* in it (``case_closed``), by
  outcome;
* of the cases closed in the window that had a time limit running, the share *finished within
  the limit*: closed no later than the due date in force (extensions included) and with no
  recorded breach of the case limit;
* the time per step (step started → completed, for completions in the window) and per case
  (clock start, or opening when no clock ran, → closing, for closings in the window): count,
  median and 90th percentile, in the unit of the procedure's time limit measured on the agency
  calendar (:meth:`~engine.cases.calendar.WorkCalendar.elapsed`: working days skip weekends and
  holidays, and the day work starts counts 0, so work done within one day measures 0); per
  step also in elapsed hours. Percentiles interpolate linearly between the closest ranks
  (numpy's default);
* breaches recorded in the window (``deadline_breached``) by the role that had the work (the
  step's actor; for the case limit, the actor of the step current at the time; for a phase
  limit, the actor of the step that ends it; for a recurring report, the recurring step's) and
  by the role they were escalated to; phase limits breached, by phase, and recurring reports
  late, by step;
* a time limit that is a *minimum* (``bound: min``) is no deadline: the cases closed in the
  window that had one, and how many closed before it (information, with the source's words;
  never a breach, never counted in the share within the limit);
* the steps performed jointly (``joint`` with ``sign_off: all``) completed in the window, by
  step, each with the roles that signed;
* commands refused in the window on this procedure's cases, by rule (audit log actions
  ``refused:...``); refused case openings name no stored case and are counted apart.

A case whose hash chain does not verify (or whose procedure version is not in the store) is
not measured; it is counted as unverified.

Memory stays flat in the number of cases: the events are folded one case at a time into
counters, and the only values kept per case are the measured durations (8 bytes each in an
``array``: exact medians and percentiles need every value). The audit log is walked once, and
whether a refused command's case is this procedure's is asked of ``belongs`` (a store lookup
the caller passes) instead of remembering every case id seen. ``tests/reference_report.py``
keeps the first implementation, which held those ids and lists of floats; a test holds the two
equal on the examples.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from engine.cases.calendar import WorkCalendar
from engine.cases.events import AuditRecord, Event, verify_chain
from engine.cases.rules import deadline_step
from engine.cases.runtime import Context
from engine.cases.state import CaseState, replay
from engine.errors import AlurError
from engine.procedure.model import DurationUnit

__all__ = ["Performance", "Stat", "percentile", "performance"]


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0..100) of ``values``, interpolated linearly between the
    closest ranks; ``values`` must not be empty."""
    if not values:
        raise ValueError("percentile of no values")
    return _ranked(sorted(values), p)


def _ranked(ordered: Sequence[float], p: float) -> float:
    """:func:`percentile` of values already sorted."""
    position = (len(ordered) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class Stat:
    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Stat:
        if not values:
            return cls(0, None, None)
        ordered = sorted(values)  # once for both percentiles
        return cls(len(values), _ranked(ordered, 50), _ranked(ordered, 90))

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "median": self.median, "p90": self.p90}


@dataclass
class Performance:
    procedure_id: str
    start: date | None
    end: date | None
    unit: str = ""
    versions: list[str] = field(default_factory=list)
    opened: int = 0
    closed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    with_limit: int = 0
    within_limit: int = 0
    case_time: Stat = Stat(0, None, None)
    step_time: dict[str, Stat] = field(default_factory=dict)
    step_hours: dict[str, Stat] = field(default_factory=dict)
    step_titles: dict[str, str] = field(default_factory=dict)
    breaches: int = 0
    breaches_by_actor: dict[str, int] = field(default_factory=dict)
    breaches_by_escalation: dict[str, int] = field(default_factory=dict)
    phase_breaches: dict[str, int] = field(default_factory=dict)  # phase limit id → breaches
    late_reports: dict[str, int] = field(default_factory=dict)  # recurring step → late reports
    with_minimum: int = 0  # cases closed in the window whose time limit is a minimum
    before_minimum: int = 0  # of them, closed before the minimum: information, not a breach
    minimum_text: str | None = None  # the source's words for the minimum
    joint_signoffs: dict[str, int] = field(default_factory=dict)  # joint step → completions
    refused: int = 0
    refused_by_rule: dict[str, int] = field(default_factory=dict)
    refused_openings: int = 0
    unverified: int = 0

    @property
    def within_share(self) -> float | None:
        """Share of the cases closed in the window (with a time limit) finished within it."""
        return None if self.with_limit == 0 else self.within_limit / self.with_limit

    def to_dict(self) -> dict[str, Any]:
        return {
            "procedure_id": self.procedure_id,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "unit": self.unit, "versions": self.versions,
            "cases": {"opened": self.opened, "closed": self.closed, "outcomes": self.outcomes,
                      "with_time_limit": self.with_limit, "within_time_limit": self.within_limit,
                      "within_share": self.within_share},
            "case_time": self.case_time.to_dict(),
            "step_time": {step: {"title": self.step_titles.get(step, step), **stat.to_dict(),
                                 "hours": self.step_hours.get(step, Stat.of([])).to_dict()}
                          for step, stat in self.step_time.items()},
            "breaches": {"total": self.breaches, "by_actor": self.breaches_by_actor,
                         "by_escalation": self.breaches_by_escalation,
                         "phases": self.phase_breaches, "late_reports": self.late_reports},
            "minimum": {"closed": self.with_minimum, "before_minimum": self.before_minimum,
                        "source_text": self.minimum_text},
            "joint_signoffs": self.joint_signoffs,
            "refused": {"total": self.refused, "by_rule": self.refused_by_rule,
                        "openings_unattributed": self.refused_openings},
            "unverified_cases": self.unverified,
        }


class _Window:
    def __init__(self, start: date | None, end: date | None) -> None:
        self.start = start
        self.end = end

    def holds(self, at: str | None, calendar: WorkCalendar) -> bool:
        if at is None:
            return False
        day = calendar.local_date(datetime.fromisoformat(at))
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def performance(procedure_id: str, events: Iterable[Event], context: Callable[[str], Context],
                audit: Iterable[AuditRecord] = (), *, start: date | None = None,
                end: date | None = None,
                belongs: Callable[[str], bool] | None = None) -> Performance:
    """The performance of ``procedure_id`` between ``start`` and ``end`` (inclusive local
    dates; None leaves that side open). ``events`` are that procedure's, ordered by case id
    then seq (one case is held in memory at a time). ``belongs``: whether a case id is one of
    this procedure's cases (for the refusals in ``audit``); None remembers the ids ``events``
    holds, which grows with them."""
    window = _Window(start, end)
    result = Performance(procedure_id, start, end)
    outcomes: Counter[str] = Counter()
    case_times = array("d")
    step_times: dict[str, array[float]] = {}
    step_hours: dict[str, array[float]] = {}
    by_actor: Counter[str] = Counter()
    by_escalation: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = {"phase": Counter(), "repeat": Counter()}
    joint: Counter[str] = Counter()
    seen: set[str] = set()
    calendar: WorkCalendar | None = None
    for case_id, group in itertools.groupby(events, key=lambda e: e.case_id):
        history = list(group)
        if belongs is None:
            seen.add(case_id)
        if verify_chain(case_id, history):
            result.unverified += 1  # a broken history is not measured: audit verify says why
            continue
        try:
            ctx = context(history[0].procedure_hash)
        except AlurError:  # its procedure version is missing: audit verify reports it
            result.unverified += 1
            continue
        calendar = ctx.calendar
        # a limit with no unit (it lasts until an outside event) is measured in calendar days
        unit = (ctx.proc.time_limit.unit or DurationUnit.CALENDAR_DAYS).value
        result.unit = result.unit or unit
        if ctx.proc.version not in result.versions:
            result.versions.append(ctx.proc.version)
        for step in ctx.proc.steps:
            result.step_titles.setdefault(step.id, step.title)
        state = _walk(ctx, history, window, by_actor, by_escalation, kinds)
        if window.holds(state.opened_at, calendar):
            result.opened += 1
        for entry in state.path:
            if entry.get("started_at") and window.holds(entry["at"], calendar):
                began = datetime.fromisoformat(entry["started_at"])
                finished = datetime.fromisoformat(entry["at"])
                step_times.setdefault(entry["step"], array("d")).append(
                    calendar.elapsed(began, finished, unit))
                step_hours.setdefault(entry["step"], array("d")).append(
                    calendar.elapsed(began, finished, "hours"))
            if entry.get("signed_by") and window.holds(entry["at"], calendar):
                joint[entry["step"]] += 1
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
        if state.earliest_at is not None:  # a minimum: closing early is information only
            result.with_minimum += 1
            result.minimum_text = ctx.proc.time_limit.source_text
            result.before_minimum += datetime.fromisoformat(state.closed_at) \
                < datetime.fromisoformat(state.earliest_at)
    result.outcomes = dict(sorted(outcomes.items()))
    result.case_time = Stat.of(case_times)
    order = {step: index for index, step in enumerate(result.step_titles)}
    steps = sorted(step_times, key=lambda s: (order.get(s, len(order)), s))
    result.step_time = {step: Stat.of(step_times[step]) for step in steps}
    result.step_hours = {step: Stat.of(step_hours[step]) for step in steps}
    result.breaches = sum(by_actor.values())
    result.breaches_by_actor = dict(sorted(by_actor.items()))
    result.breaches_by_escalation = dict(sorted(by_escalation.items()))
    result.phase_breaches = dict(sorted(kinds["phase"].items()))
    result.late_reports = dict(sorted(kinds["repeat"].items()))
    result.joint_signoffs = {step: joint[step] for step in sorted(
        joint, key=lambda s: (order.get(s, len(order)), s))}
    _refusals(result, audit, belongs or seen.__contains__, window, calendar)
    return result


def _walk(ctx: Context, history: list[Event], window: _Window, by_actor: Counter[str],
          by_escalation: Counter[str], kinds: dict[str, Counter[str]]) -> CaseState:
    """Fold the case, counting each breach in the window against the role that had the work
    (and a phase limit's or a recurring report's in ``kinds``, by phase or step)."""
    state: CaseState | None = None
    for event in history:
        if event.type == "deadline_breached" and state is not None \
                and window.holds(event.at, ctx.calendar):
            target = event.payload["target"]
            kind, _, name = target.partition(":")
            if kind in kinds and name:
                kinds[kind][name] += 1
            step_id = deadline_step(ctx.proc, target, state.current_step)
            try:
                actor = ctx.proc.step(step_id).actor if step_id else "-"
            except KeyError:
                actor = "-"
            by_actor[actor] += 1
            by_escalation[event.payload.get("escalate_to") or "-"] += 1
        state = replay([event], state)
    assert state is not None
    return state


def _refusals(result: Performance, audit: Iterable[AuditRecord],
              belongs: Callable[[str], bool], window: _Window,
              calendar: WorkCalendar | None) -> None:
    if calendar is None:
        from engine.cases.calendar import calendar_for

        calendar = calendar_for()
    rules: Counter[str] = Counter()
    for record in audit:
        if not record.action.startswith("refused:") or not window.holds(record.at, calendar):
            continue
        if record.case_id is not None and belongs(record.case_id):
            rules[record.rule or "-"] += 1
        elif record.action == "refused:OpenCase":
            result.refused_openings += 1
    result.refused = sum(rules.values())
    result.refused_by_rule = dict(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])))
