"""Peers a user would pick instead of alur for *persisted* cases (issue #20).

- :func:`eventsourcing_runner`: the ``eventsourcing`` library, as its documentation builds an
  application: an ``Application`` with one ``Aggregate`` per case and one event per step,
  ``repository.get`` + ``save`` per command, on its own SQLite recorder (at the same journal mode
  and ``synchronous`` setting as alur's store) or its PostgreSQL recorder.
- :func:`spiff_persisted_runner`: the BPMN process SpiffWorkflow runs in the exec section,
  serialised with its JSON serializer and saved to SQLite after every step, as SpiffArena does
  (one row per case, replaced at every step, one transaction each).

Both run the same cases as alur (the procedure's :class:`~bench.workloads.Plan`): a case is the
opening plus every step of its path, each one a command that reads the case and commits.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from bench.workloads import Plan, Runner, spiff_spec, spiff_step

_IDS = itertools.count()


# --- eventsourcing ----------------------------------------------------------------------------

# where each procedure's steps lead, by procedure id: what the aggregate's guard consults
_MOVES: dict[str, dict[tuple[str, str], str]] = {}


@functools.cache
def _case_aggregate() -> Any:
    """The case as an eventsourcing aggregate: its current step, moved by one event per step
    (refused when the step is not the current one, the least guard any case store keeps). Made
    once: eventsourcing registers an aggregate class by its topic (module and name)."""
    from eventsourcing.domain import Aggregate, event

    class Case(Aggregate):
        @event("Opened")
        def __init__(self, procedure: str, step: str, at: str) -> None:
            self.procedure = procedure
            self.step = step
            self.updated_at = at

        @event("StepCompleted")
        def complete(self, step: str, trigger: str, user: str, at: str) -> None:
            if step != self.step:
                raise ValueError(f"step {step} is not the current step {self.step}")
            self.step = _MOVES[self.procedure][(step, trigger)]
            self.updated_at = at

    return Case


@contextlib.contextmanager
def _sqlite_synchronous(setting: str) -> Iterator[None]:
    """Every connection eventsourcing's SQLite pool makes while inside runs at ``setting`` (it
    sets WAL itself and leaves ``synchronous`` at SQLite's default, FULL)."""
    from eventsourcing.sqlite import SQLiteConnectionPool

    original = SQLiteConnectionPool._create_connection

    def create(self: Any) -> Any:
        connection = original(self)
        connection._sqlite_conn.execute(f"PRAGMA synchronous = {setting}")
        return connection

    SQLiteConnectionPool._create_connection = create  # type: ignore[method-assign]
    try:
        yield
    finally:
        SQLiteConnectionPool._create_connection = original  # type: ignore[method-assign]


def eventsourcing_app(plan: Plan, env: dict[str, str]) -> Any:
    from eventsourcing.application import Application

    _MOVES[plan.proc.id] = {(source, trigger): dest
                            for trigger, source, dest in plan.transitions}
    case_class = _case_aggregate()

    class Cases(Application[Any]):
        def open(self, procedure: str, step: str, at: str) -> Any:
            case = case_class(procedure, step, at)
            self.save(case)
            return case.id

        def complete(self, case_id: Any, step: str, trigger: str, user: str, at: str) -> None:
            case = self.repository.get(case_id)
            case.complete(step, trigger, user, at)
            self.save(case)

    return Cases(env=env)


def eventsourcing_sqlite(plan: Plan, path: str, synchronous: str
                         ) -> tuple[Runner, Callable[[], None]]:
    """A runner on eventsourcing's SQLite recorder at ``path``, and how to close it."""
    with _sqlite_synchronous(synchronous):
        app = eventsourcing_app(plan, {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                                       "SQLITE_DBNAME": path})
        run = _eventsourcing_runner(app, plan)
        run(1)  # the pool's first connection is made (with the setting) inside the patch
    return run, app.close


def eventsourcing_postgres(plan: Plan, dbname: str, host: str, port: str, user: str,
                           password: str, schema: str) -> tuple[Runner, Callable[[], None]]:
    app = eventsourcing_app(plan, {"PERSISTENCE_MODULE": "eventsourcing.postgres",
                                   "POSTGRES_DBNAME": dbname, "POSTGRES_HOST": host,
                                   "POSTGRES_PORT": port, "POSTGRES_USER": user,
                                   "POSTGRES_PASSWORD": password, "POSTGRES_SCHEMA": schema,
                                   "CREATE_TABLE": "y"})
    return _eventsourcing_runner(app, plan), app.close


def _eventsourcing_runner(app: Any, plan: Plan) -> Runner:
    hops = [(hop.step, hop.trigger, hop.user) for hop in plan.path]
    final = plan.final

    def run(n: int) -> None:
        for _ in range(n):
            at = plan.times.take(plan.commands_per_case)
            case_id = app.open(plan.proc.id, plan.entry, at[0])
            for (step, trigger, user), when in zip(hops, at[1:], strict=True):
                app.complete(case_id, step, trigger, user, when)
        if app.repository.get(case_id).step != final:
            raise AssertionError("eventsourcing case did not finish")

    return run


# --- SpiffWorkflow, persisted -----------------------------------------------------------------

_SPIFF_DDL = ("CREATE TABLE IF NOT EXISTS process_instance (id TEXT PRIMARY KEY, "
              "status TEXT NOT NULL, updated_at TEXT NOT NULL, bpmn_json TEXT NOT NULL)")


def spiff_persisted(plan: Plan, xml: str, path: str, synchronous: str
                    ) -> tuple[Runner, Callable[[], None]]:
    """SpiffWorkflow's workflow saved after every step: the whole instance serialised with
    ``BpmnWorkflowSerializer`` and written to one SQLite row in its own transaction, and read
    back (deserialised) before the next step, as a service handling each step as a request
    does."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

    spec = spiff_spec(plan, xml)
    serializer = BpmnWorkflowSerializer()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute(_SPIFF_DDL)
    hops = [(hop.step, hop.outcome) for hop in plan.path]

    def save(case_id: str, workflow: Any, at: str) -> None:
        status = "complete" if workflow.is_completed() else "user_input_required"
        conn.execute("INSERT OR REPLACE INTO process_instance VALUES (?, ?, ?, ?)",
                     (case_id, status, at, serializer.serialize_json(workflow)))

    def load(case_id: str) -> Any:
        (text,) = conn.execute("SELECT bpmn_json FROM process_instance WHERE id = ?",
                               (case_id,)).fetchone()
        return serializer.deserialize_json(text)

    def run(n: int) -> None:
        for _ in range(n):
            case_id = f"spiff-{next(_IDS):09d}"
            at = plan.times.take(plan.commands_per_case)
            workflow = BpmnWorkflow(spec)
            workflow.do_engine_steps()
            save(case_id, workflow, at[0])
            for (step, outcome), when in zip(hops, at[1:], strict=True):
                workflow = load(case_id)
                spiff_step(workflow, step, outcome)
                save(case_id, workflow, when)
            if not load(case_id).is_completed():
                raise AssertionError("SpiffWorkflow case did not finish")

    return run, conn.close
