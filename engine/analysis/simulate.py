"""What-if simulation: how long would cases take, and who is the bottleneck?

:func:`simulate` runs a discrete-event simulation (a ``heapq`` event queue, pure Python) of ``N``
cases of one procedure and returns a :class:`SimulationResult`. It is deterministic: the same
procedure, options and ``seed`` give an identical result (and identical JSON).

The model (every choice is an approximation; docs/language.md explains them to policy staff):

* **Time** runs on *working time* only: working days of the procedure's calendar
  (:func:`engine.cases.calendar.calendar_for` on ``agency.timezone``; Monday to Friday
  minus national holidays and cuti bersama, or the calendar passed in), 08:00-16:00 local
  time, 8 hours a day.
  Nights, weekends and holidays simply do not exist for the simulation; results are converted
  back to dates only to decide breaches of the time limit.
* **Arrivals** form a Poisson process during working time: ``arrivals_per_day`` cases per working
  day on average (exponential gaps), from 08:00 on the first working day on or after ``start``.
* **Durations** come from each step's ``estimate`` (1 working day when absent): ``hours`` as
  working hours, ``working_days`` as 8 working hours each, ``calendar_days`` as 5/7 of that,
  ``months`` as their mean number of calendar days.
  Each performance is drawn from a lognormal distribution whose *mean* is the estimate
  (sigma :data:`SIGMA` = 0.5 on the log scale: most draws fall between half and twice the
  estimate, with a long right tail).
* **Staff.** A step occupies one person of its actor role for its whole duration. Staff roles
  have ``staff[role]`` people (default 1); external roles (citizens, mediators ...) are never
  short of people, so their steps only take time. A team step is done by *one member* of the
  team (as the runtime lets any member complete it): it waits in the queue of every member role
  and the first member role with a free person takes it, charged to that role. Queues are first
  come, first served. Participants of a step are not modelled.
* **Routes** are the runtime's (:mod:`engine.cases.rules`): a step leads where the machine says
  completing it leads, producing what the runtime's completion produces.
* **Decisions** choose an outcome at random, all outcomes equally likely unless
  ``outcome_weights`` says otherwise (conditions on facts are ignored: the simulation has no
  facts). **Loops end**: an outcome leading to a step the case has already visited ``k`` times
  has its weight multiplied by :data:`LOOP_DECAY` ``** k`` (0.5, 0.25 ...), and a step is never
  entered more than ``max_visits`` times; a case that can go nowhere else stops *unfinished*.
* **Plans** set their services going at once when the plan step's task is done: a service
  with a ``when`` is selected with probability ``outcome_weights["<step>.<service>"]``
  (default 0.5; conditions are not evaluated, as for decisions), one without is always
  selected. A branch is a task of its actor (one working day of work: services have no
  estimate); a linked case takes one working day of no one's time (the target procedure is not
  simulated). The case goes on when the rules' join holds (:meth:`Rules.joined`: every
  selected service ended, or the first); nothing selected goes on at once.
* **The time-limit clock** starts as ``time_limit.starts`` says: ``case_opened`` at arrival;
  ``requirements_met`` when every required requirement is satisfied, taking requirement
  documents and facts as given at arrival and produced documents once a step (or outcome)
  produced them (conditional requirements are not required); ``step_completed`` when
  ``starts_after_step`` first completes. A finished case breaches the limit when it ends after
  :meth:`WorkCalendar.due` of the clock start (bound ``max`` or ``exact``; a ``min`` bound or a
  limit without an amount is not assessed).
* **Randomness** is common across runs: arrival gaps come from ``Random(seed)``, each case's
  durations and choices from its own ``Random("seed:index")``, so changing the staff changes
  only the queueing, not the work.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.cases.calendar import WorkCalendar, calendar_for
from engine.cases.rules import Route, rules_for
from engine.cases.state import CaseState
from engine.errors import UsageError
from engine.procedure.model import (
    DAYS_PER_MONTH,
    ClockStart,
    DocumentKind,
    Duration,
    DurationUnit,
    Presence,
    Procedure,
    RoleKind,
    Step,
)
from engine.procedure.names import suggest

__all__ = ["DEFAULT_START", "HOURS_PER_DAY", "LOOP_DECAY", "SIGMA", "Distribution", "RoleLoad",
           "SimulationResult", "parse_staff", "simulate", "staffing"]

HOURS_PER_DAY = 8
WORK_START = dt.time(8, 0)
DEFAULT_START = dt.date(2026, 1, 5)
SIGMA = 0.5
OVERLOAD = 0.95  # work arriving at this share of a role's capacity or more: it cannot keep up
LOOP_DECAY = 0.5
MAX_CASES = 100_000
_DEFAULT_ESTIMATE = Duration(amount=1, unit=DurationUnit.WORKING_DAYS)


# --- options ---------------------------------------------------------------------------------

def parse_staff(values: Iterable[str]) -> dict[str, int]:
    """``["role=count", ...]`` as a mapping; UsageError for anything else."""
    staff: dict[str, int] = {}
    for item in values:
        role, sep, count = item.partition("=")
        role, count = role.strip(), count.strip()
        if not sep or not role or not count:
            raise UsageError.of("err.sim.staff_shape", None, item=item)
        try:
            number = int(count)
        except ValueError:
            raise UsageError.of("err.sim.staff_number", None, item=item, count=count) from None
        if number < 1:
            raise UsageError.of("err.sim.staff_zero", None, item=item) from None
        if role in staff:
            raise UsageError.of("err.sim.staff_twice", None, role=role)
        staff[role] = number
    return staff


def staffing(proc: Procedure, staff: Mapping[str, int] | None = None) -> dict[str, int]:
    """People per staff role: ``staff`` over the default of 1. UsageError for an unknown,
    external or team role, or a count below 1."""
    given = dict(staff or {})
    roles = {r.id: r for r in proc.roles}
    for role_id, count in given.items():
        role = roles.get(role_id)
        if role is None:
            raise UsageError.of("err.sim.staff_unknown", None, procedure=proc.id, role=role_id,
                                suggestion=suggest(role_id, list(roles)), known=", ".join(
                                    r.id for r in proc.roles if r.kind is RoleKind.STAFF))
        if role.kind is RoleKind.EXTERNAL:
            raise UsageError.of("err.sim.staff_external", None, role=role_id)
        if role.kind is RoleKind.TEAM:
            raise UsageError.of("err.sim.staff_team", None, role=role_id,
                                members=", ".join(role.members))
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise UsageError.of("err.sim.staff_count", None, role=role_id, count=repr(count))
    return {r.id: given.get(r.id, 1) for r in proc.roles if r.kind is RoleKind.STAFF}


def work_hours(duration: Duration | None) -> float:
    """Working hours a duration stands for (see the module docstring)."""
    duration = duration or _DEFAULT_ESTIMATE
    if duration.unit is DurationUnit.HOURS:
        return float(duration.amount)
    if duration.unit is DurationUnit.MINUTES:
        return duration.amount / 60
    if duration.unit is DurationUnit.WORKING_DAYS:
        return float(duration.amount * HOURS_PER_DAY)
    if duration.unit is DurationUnit.MONTHS:
        return duration.amount * DAYS_PER_MONTH * HOURS_PER_DAY * 5 / 7
    return duration.amount * HOURS_PER_DAY * 5 / 7


# --- results ---------------------------------------------------------------------------------

def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Summary of durations in working days."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None
    max: float | None

    @classmethod
    def of(cls, values: Iterable[float]) -> Distribution:
        data = sorted(values)
        if not data:
            return cls(0, None, None, None, None)
        return cls(len(data), sum(data) / len(data), _percentile(data, 0.5),
                   _percentile(data, 0.9), data[-1])

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "mean": _round(self.mean), "median": _round(self.median),
                "p90": _round(self.p90), "max": _round(self.max)}


def _percentile(data: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    position = (len(data) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class RoleLoad:
    """How busy one role was. Waits and busy time in working days; ``staff`` and
    ``utilisation`` are None for external roles (never short of people)."""

    role: str
    title: str
    kind: str
    staff: int | None
    tasks: int
    busy_days: float
    utilisation: float | None
    mean_wait_days: float
    max_wait_days: float

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "title": self.title, "kind": self.kind, "staff": self.staff,
                "tasks": self.tasks, "busy_days": _round(self.busy_days),
                "utilisation": _round(self.utilisation),
                "mean_wait_days": _round(self.mean_wait_days),
                "max_wait_days": _round(self.max_wait_days)}


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """The outcome of :func:`simulate`. ``completion`` is measured from the clock start (what
    the time limit counts), ``total`` from arrival; both in working days of finished cases.
    ``roles`` is ranked: staff roles by mean queue wait, then utilisation (the bottleneck
    first), then external roles in file order."""

    procedure_id: str
    version: str
    seed: int
    cases: int
    start: dt.date
    arrivals_per_day: float
    max_visits: int
    staff: Mapping[str, int]
    finished: int
    unfinished: int
    outcomes: Mapping[str, int]
    completion: Distribution
    total: Distribution
    time_limit: Mapping[str, Any]
    assessed: int
    breached: int
    roles: tuple[RoleLoad, ...]
    last_completion: str | None
    step_visits: Mapping[str, int] = field(default_factory=dict)

    @property
    def share_breaching(self) -> float | None:
        """Share of assessed cases (finished, clock started, limit assessable) that breach."""
        return self.breached / self.assessed if self.assessed else None

    @property
    def overloaded(self) -> list[dict[str, Any]]:
        """Staff roles whose work arrives faster than their people can do it: per working day,
        ``demand`` person-days of work arrive (its mean work per case times the arrivals) for
        ``staff`` people. Their queue grows for as long as cases arrive, so waits, completion
        times and breaches measure the overload, not the procedure. ``staff_needed`` and
        ``max_arrivals`` say what would keep up."""
        out = []
        for load in self.roles:
            if load.staff is None or not self.cases or load.busy_days <= 0:
                continue
            work_per_case = load.busy_days / self.cases
            demand = work_per_case * self.arrivals_per_day
            if demand >= load.staff * OVERLOAD:
                out.append({"role": load.role, "demand_days_per_day": _round(demand),
                            "staff": load.staff,
                            "staff_needed": math.floor(demand / OVERLOAD) + 1,
                            "max_arrivals_per_day": _round(load.staff * OVERLOAD
                                                           / work_per_case)})
        return out

    @property
    def bottlenecks(self) -> list[str]:
        return [r.role for r in self.roles if r.staff is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "procedure": {"id": self.procedure_id, "version": self.version},
            "seed": self.seed, "cases": self.cases, "start": self.start.isoformat(),
            "arrivals_per_day": self.arrivals_per_day, "max_visits": self.max_visits,
            "model": {"hours_per_day": HOURS_PER_DAY, "working_hours": "08:00-16:00",
                      "duration": f"lognormal, mean = estimate, sigma {SIGMA}",
                      "default_estimate": "1 working_days", "loop_decay": LOOP_DECAY},
            "staff": dict(self.staff),
            "finished": self.finished, "unfinished": self.unfinished,
            "outcomes": dict(self.outcomes),
            "completion_working_days": self.completion.to_dict(),
            "total_working_days": self.total.to_dict(),
            "time_limit": dict(self.time_limit),
            "assessed": self.assessed, "breached": self.breached,
            "share_breaching": _round(self.share_breaching),
            "roles": [r.to_dict() for r in self.roles],
            "bottlenecks": self.bottlenecks,
            "overloaded": self.overloaded,
            "step_visits": dict(self.step_visits),
            "last_completion": self.last_completion,
        }


# --- the simulation --------------------------------------------------------------------------

@dataclass(eq=False)
class _Case:
    index: int
    rng: random.Random
    arrival: float
    visits: Counter[str] = field(default_factory=Counter)
    produced: set[str] = field(default_factory=set)
    clock_start: float | None = None
    end: float | None = None
    outcome: str | None = None
    plan: CaseState | None = None  # the running plan's services, as the rules read them


@dataclass(eq=False)
class _Task:
    case: _Case
    step: Step
    ready: float
    work: float
    taken: bool = False
    service: str | None = None  # a plan's service: ending it, not the step


@dataclass(eq=False)
class _Pool:
    size: int
    free: int
    queue: list[tuple[int, _Task]] = field(default_factory=list)
    busy: float = 0.0
    tasks: int = 0
    waits: list[float] = field(default_factory=list)


class _Timeline:
    """Working-time hours ↔ local datetimes on the calendar's working days."""

    def __init__(self, calendar: WorkCalendar, start: dt.date) -> None:
        self.calendar = calendar
        first = start if calendar.is_working_day(start) else calendar.next_working_day(start)
        self.days = [first]

    def day(self, index: int) -> dt.date:
        while len(self.days) <= index:
            self.days.append(self.calendar.next_working_day(self.days[-1]))
        return self.days[index]

    def moment(self, hours: float, *, end: bool = False) -> dt.datetime:
        """The local time ``hours`` of working time after the start. An ``end`` exactly at a
        day boundary is 16:00 of the earlier day, a start is 08:00 of the later one."""
        index = math.floor(hours / HOURS_PER_DAY)
        if end and hours > 0 and hours == index * HOURS_PER_DAY:
            index -= 1
        offset = hours - index * HOURS_PER_DAY
        base = dt.datetime.combine(self.day(index), WORK_START, tzinfo=self.calendar.tz)
        return base + dt.timedelta(hours=offset)


class _Simulation:
    def __init__(self, proc: Procedure, staff: dict[str, int], max_visits: int,
                 weights: Mapping[str, float]) -> None:
        self.proc = proc
        self.rules = rules_for(proc)
        self.max_visits = max_visits
        self.weights = weights
        self.pools = {role: _Pool(count, count) for role, count in staff.items()}
        self.external: dict[str, list[float]] = {}
        self.events: list[tuple[float, int, str, Any]] = []
        self.seq = 0
        self.now = 0.0
        self.visits: Counter[str] = Counter()
        roles = {r.id: r for r in proc.roles}
        self.eligible: dict[str, list[str]] = {}
        for role in proc.roles:
            self.eligible[role.id] = self._members(role.id, roles)
        documents = {d.id: d for d in proc.documents}
        self.needed: set[str] = {
            req.document for req in proc.requirements
            if req.presence is Presence.REQUIRED and req.document is not None
            and req.document in documents
            and documents[req.document].kind is DocumentKind.PRODUCED}

    def _members(self, role_id: str, roles: Mapping[str, Any]) -> list[str]:
        """Staff pools that may perform a step of ``role_id``; [] = never short of people."""
        found: list[str] = []
        stack, seen = [role_id], set()
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.add(current)
            role = roles[current]
            if role.kind is RoleKind.EXTERNAL:
                return []
            if role.kind is RoleKind.TEAM:
                stack.extend(role.members)
            else:
                found.append(current)
        return found

    def schedule(self, at: float, kind: str, payload: Any) -> None:
        self.seq += 1
        heapq.heappush(self.events, (at, self.seq, kind, payload))

    def run(self, arrivals: list[float], rngs: list[random.Random]) -> list[_Case]:
        cases = [_Case(i, rng, at) for i, (at, rng) in enumerate(zip(arrivals, rngs,
                                                                      strict=True))]
        for case in cases:
            self.schedule(case.arrival, "arrive", case)
        entry = self.proc.step(self.rules.entry)
        while self.events:
            self.now, _, kind, payload = heapq.heappop(self.events)
            if kind == "arrive":
                case = payload
                starts = self.proc.time_limit.starts
                if starts is ClockStart.CASE_OPENED or (
                        starts is ClockStart.REQUIREMENTS_MET and not self.needed):
                    case.clock_start = self.now
                self.enter(case, entry)
            else:
                task, role = payload
                self.done(task, role)
        return cases

    def enter(self, case: _Case, step: Step) -> None:
        if case.visits[step.id] >= self.max_visits:
            self.finish(case, None)
            return
        case.visits[step.id] += 1
        self.visits[step.id] += 1
        self.assign(_Task(case, step, self.now, self.draw(case, step.estimate)), step.actor)

    @staticmethod
    def draw(case: _Case, estimate: Duration | None) -> float:
        mean = work_hours(estimate)
        mu = math.log(mean) - SIGMA * SIGMA / 2
        return case.rng.lognormvariate(mu, SIGMA)

    def assign(self, task: _Task, actor: str | None) -> None:
        """Queue ``task`` for ``actor``'s staff (None: no one's time, e.g. a linked case)."""
        pools = self.eligible[actor] if actor is not None else []
        if not pools:
            if actor is not None:
                self.external.setdefault(actor, []).append(task.work)
            task.taken = True
            self.schedule(self.now + task.work, "done", (task, None))
            return
        for role in pools:
            if self.pools[role].free > 0:
                self.start(task, role)
                return
        for role in pools:
            heapq.heappush(self.pools[role].queue, (self.seq, task))
        self.seq += 1

    def start(self, task: _Task, role: str) -> None:
        pool = self.pools[role]
        pool.free -= 1
        pool.tasks += 1
        pool.busy += task.work
        pool.waits.append(self.now - task.ready)
        task.taken = True
        self.schedule(self.now + task.work, "done", (task, role))

    def done(self, task: _Task, role: str | None) -> None:
        if role is not None:
            pool = self.pools[role]
            pool.free += 1
            while pool.queue and pool.free > 0:
                _, waiting = heapq.heappop(pool.queue)
                if not waiting.taken:
                    self.start(waiting, role)
        if task.service is not None:
            self.served(task)
        else:
            self.advance(task.case, task.step)

    def produced(self, case: _Case, documents: Iterable[str]) -> None:
        case.produced.update(documents)
        if case.clock_start is None and self.proc.time_limit.starts \
                is ClockStart.REQUIREMENTS_MET and self.needed <= case.produced:
            case.clock_start = self.now

    def select(self, case: _Case, step: Step) -> None:
        """The plan's selection: each service drawn, the selected ones set going."""
        assert step.plan is not None
        services: dict[str, dict[str, Any]] = {}
        for service in step.plan.services:
            chance = self.weights.get(f"{step.id}.{service.id}", 0.5) if service.when else 1.0
            chosen = case.rng.random() < chance
            services[service.id] = {"step": step.id, "status": "open" if chosen else "skipped",
                                    "case_id": None, "ended_at": None}
        case.plan = CaseState(case_id=str(case.index), current_step=step.id, services=services)
        for service in step.plan.services:
            if services[service.id]["status"] == "open":
                task = _Task(case, step, self.now, self.draw(case, None), service=service.id)
                self.assign(task, service.actor)
        self.served(None, case, step)

    def served(self, task: _Task | None, case: _Case | None = None,
               step: Step | None = None) -> None:
        """A service of a running plan ended (``task``; None: just selected); the case goes
        on when the rules' join holds."""
        if task is not None:
            case, step = task.case, task.step
        assert case is not None and step is not None
        plan = case.plan
        if plan is None or plan.current_step != step.id:
            return  # the plan joined already (join: any): this service ends on its own
        if task is not None and task.service is not None:
            plan.services = {**plan.services, task.service: {
                "step": step.id, "status": "ended", "case_id": None, "ended_at": None}}
        refused, _ = self.rules.joined(plan, step, {})
        if not refused:
            case.plan = None
            self.advance(case, step, joined=True)

    def advance(self, case: _Case, step: Step, *, joined: bool = False) -> None:
        if step.plan is not None and not joined:  # the step's task done: its services start
            self.select(case, step)
            return
        limit = self.proc.time_limit
        if case.clock_start is None and limit.starts is ClockStart.STEP_COMPLETED \
                and limit.starts_after_step == step.id:
            case.clock_start = self.now
        routes = self.rules.routes[step.id]
        if len(routes) == 1 and routes[0].outcome is None:
            self.follow(case, routes[0])
            return
        weights = []
        for route in routes:
            weight = float(self.weights.get(f"{step.id}.{route.outcome}", 1.0))
            if route.ends is None:
                seen = case.visits[route.dest]
                weight = 0.0 if seen >= self.max_visits else weight * LOOP_DECAY ** seen
            weights.append(weight)
        if sum(weights) <= 0:
            self.finish(case, None)
            return
        self.follow(case, case.rng.choices(routes, weights)[0])

    def follow(self, case: _Case, route: Route) -> None:
        self.produced(case, route.produces)
        if route.ends is not None:
            self.finish(case, route.ends)
        else:
            self.enter(case, self.proc.step(route.dest))

    def finish(self, case: _Case, outcome: str | None) -> None:
        case.end = self.now if outcome is not None else None
        case.outcome = outcome or "unfinished"


def simulate(proc: Procedure, *, cases: int = 100, seed: int = 1,
             staff: Mapping[str, int] | None = None, start: dt.date = DEFAULT_START,
             arrivals_per_day: float = 1.0, max_visits: int = 10,
             calendar: WorkCalendar | None = None,
             outcome_weights: Mapping[str, float] | None = None) -> SimulationResult:
    """Simulate ``cases`` cases of ``proc`` (see the module docstring for the model).

    ``staff``: people per staff role (default 1 each). ``outcome_weights``: relative weight of
    an outcome, keyed ``"step_id.outcome_id"`` (default 1 each). ``calendar``: default
    ``calendar_for(proc.agency.timezone)``. Raises UsageError for bad options.
    """
    if isinstance(cases, bool) or not isinstance(cases, int) or not 1 <= cases <= MAX_CASES:
        raise UsageError.of("err.sim.cases", None, limit=MAX_CASES, value=repr(cases))
    if not isinstance(arrivals_per_day, (int, float)) or not 0 < arrivals_per_day < 10_000 \
            or math.isnan(arrivals_per_day):
        raise UsageError.of("err.sim.arrivals", None, value=repr(arrivals_per_day))
    if isinstance(max_visits, bool) or not isinstance(max_visits, int) or max_visits < 1:
        raise UsageError.of("err.sim.max_visits", None, value=repr(max_visits))
    weights = dict(outcome_weights or {})
    rules = rules_for(proc)
    for key, weight in weights.items():
        step_id, _, outcome_id = key.partition(".")
        step = rules.index.steps.get(step_id)
        service = step is not None and step.plan is not None \
            and outcome_id in {s.id for s in step.plan.services}
        if not outcome_id or (rules.route(step_id, outcome_id) is None and not service):
            raise UsageError.of("err.sim.weight_unknown", None, key=key, procedure=proc.id)
        if not isinstance(weight, (int, float)) or weight < 0 or math.isnan(weight) \
                or (service and weight > 1):
            raise UsageError.of("err.sim.weight_value", None, key=key, value=repr(weight))
    people = staffing(proc, staff)
    calendar = calendar or calendar_for(proc.agency.timezone)

    arrival_rng = random.Random(seed)
    rate = arrivals_per_day / HOURS_PER_DAY
    arrivals: list[float] = []
    moment = 0.0
    for _ in range(cases):
        moment += arrival_rng.expovariate(rate)
        arrivals.append(moment)
    rngs = [random.Random(f"{seed}:{index}") for index in range(cases)]

    sim = _Simulation(proc, people, max_visits, weights)
    done = sim.run(arrivals, rngs)
    timeline = _Timeline(calendar, start)

    finished = [c for c in done if c.end is not None]
    limit = proc.time_limit
    assessable = limit.amount is not None and limit.bound in ("max", "exact")
    due_span = Duration(amount=limit.amount, unit=limit.unit) if assessable \
        and limit.amount is not None and limit.unit is not None else None
    assessed = breached = 0
    clocked: list[float] = []
    for case in finished:
        assert case.end is not None
        if case.clock_start is None:
            continue
        clocked.append((case.end - case.clock_start) / HOURS_PER_DAY)
        if due_span is not None:
            assessed += 1
            began = timeline.moment(case.clock_start)
            if timeline.moment(case.end, end=True) > calendar.due(began, due_span):
                breached += 1
    last = max((c.end for c in finished if c.end is not None), default=None)
    return SimulationResult(
        procedure_id=proc.id, version=proc.version, seed=seed, cases=cases,
        start=timeline.day(0), arrivals_per_day=float(arrivals_per_day), max_visits=max_visits,
        staff=people, finished=len(finished), unfinished=cases - len(finished),
        outcomes=dict(sorted(Counter(c.outcome or "unfinished" for c in done).items())),
        completion=Distribution.of(clocked),
        total=Distribution.of((c.end - c.arrival) / HOURS_PER_DAY
                              for c in finished if c.end is not None),
        time_limit={"amount": limit.amount, "unit": limit.unit.value if limit.unit else None,
                    "bound": limit.bound,
                    "starts": limit.starts.value, "assessed": due_span is not None},
        assessed=assessed, breached=breached,
        roles=_loads(proc, sim, last or 0.0),
        last_completion=timeline.moment(last, end=True).isoformat() if last is not None
        else None,
        step_visits={s.id: sim.visits[s.id] for s in proc.steps},
    )


def _loads(proc: Procedure, sim: _Simulation, horizon: float) -> tuple[RoleLoad, ...]:
    staff: list[RoleLoad] = []
    external: list[RoleLoad] = []
    for role in proc.roles:
        pool = sim.pools.get(role.id)
        if pool is not None:
            waits = pool.waits or [0.0]
            capacity = pool.size * horizon
            staff.append(RoleLoad(
                role.id, role.title, role.kind.value, pool.size, pool.tasks,
                pool.busy / HOURS_PER_DAY, pool.busy / capacity if capacity else 0.0,
                sum(waits) / len(waits) / HOURS_PER_DAY, max(waits) / HOURS_PER_DAY))
        elif role.id in sim.external:
            work = sim.external[role.id]
            external.append(RoleLoad(role.id, role.title, role.kind.value, None, len(work),
                                     sum(work) / HOURS_PER_DAY, None, 0.0, 0.0))
    order = {r.id: i for i, r in enumerate(proc.roles)}
    staff.sort(key=lambda r: (-r.mean_wait_days, -(r.utilisation or 0.0), order[r.role]))
    return tuple(staff + external)
