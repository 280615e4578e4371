"""alur's benchmark: ratios against peers measured on this machine, in one run.

    python bench/run.py                    # the full run (make bench), ~5-10 minutes on 2 cores
    python bench/run.py --quick --out x.json   # a tiny smoke run (tests/test_bench_smoke.py)

Sections (docs/performance.md explains each): ``exec`` (in-memory step execution vs transitions
driven two ways, python-statemachine, SpiffWorkflow), ``persist`` (commands on SQLite/PostgreSQL
vs eventsourcing's recorders, SpiffWorkflow saved after every step, and raw one-row commits),
``validate`` (three-layer validation vs a bare CSafeLoader parse), ``scale`` (latency at
10k/100k/1M stored cases, memory of a worker over 100k cases), ``concurrency`` (1/2/4 worker
processes), ``coldstart`` (``alur validate`` as a process vs bare imports). Every section runs
``--runs`` times (3); each run's number is the median of several interleaved repeats, and a target
is judged on the median of the runs, with their spread recorded. Progress goes to stderr, the
results to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import glob
import hashlib
import itertools
import json
import multiprocessing
import os
import resource
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench import workloads  # noqa: E402
from bench.common import (  # noqa: E402
    AT,
    BENCH,
    LINEAR,
    MEDIASI,
    bar,
    calibrate,
    loadavg,
    machine,
    median,
    ratio,
    rss_mib,
    timed,
    versions,
)

SECTIONS = ("exec", "persist", "validate", "scale", "concurrency", "coldstart", "http")

# The headline keys, each with its target: (key, comparison, bound, what it compares). Each is
# judged on the median of the runs' values (issue #20: one run decides nothing on a shared
# 2-core machine); the spread of the runs is recorded beside it.
TARGETS: tuple[tuple[str, str, float, str], ...] = (
    ("exec_vs_transitions", ">=", 0.5,
     "in-memory commands/s, alur runtime / transitions driven the faster of two ways "
     "(10-step linear procedure, distinct command times)"),
    ("exec_vs_spiff", ">=", 8.0,
     "in-memory commands/s, alur runtime / SpiffWorkflow BPMN (10-step linear procedure)"),
    ("persist_vs_eventsourcing_sqlite", ">=", 2.0,
     "persisted commands/s on SQLite WAL synchronous=FULL, alur / eventsourcing's SQLite "
     "recorder at the same settings"),
    ("persist_vs_eventsourcing_sqlite_normal", ">=", 2.0,
     "the same at synchronous=NORMAL"),
    ("persist_vs_eventsourcing_pg", ">=", 2.0,
     "persisted commands/s on PostgreSQL, alur / eventsourcing's PostgreSQL recorder"),
    ("persist_vs_spiff_sqlite", ">=", 10.0,
     "persisted commands/s on SQLite (FULL), alur / SpiffWorkflow serialised to JSON and "
     "saved after every step"),
    ("sqlite_full_vs_raw", ">=", 0.5,
     "commands/s on SQLite WAL synchronous=FULL / raw one-row commits/s (the durability bound)"),
    ("pg_vs_raw", ">=", 0.5, "commands/s on PostgreSQL / raw psycopg one-row commits/s"),
    ("http_vs_inprocess", ">=", 0.4,
     "commands/s over HTTP with 8 clients (alur serve) / the in-process Engine on the same store"),
    ("validate_vs_parse", "<=", 4.0,
     "full validation time / yaml CSafeLoader parse time (procedures/*.yaml)"),
    ("latency_1m_vs_10k", "<=", 1.2, "median command latency, 1M stored cases / 10k"),
    ("coldstart_vs_imports", "<=", 1.5,
     "'alur validate procedures/mediasi.yaml' process / python -c 'import yaml, pydantic, "
     "jsonschema'"),
)
REQUIRED_KEYS = tuple(key for key, *_ in TARGETS)


@dataclass(frozen=True)
class Config:
    quick: bool
    repeats: int  # repeats of every in-process measurement (the median is kept)
    batch_s: float  # seconds one in-memory repeat runs
    persist_s: float  # seconds one persisted repeat runs
    validate_repeats: int
    scale_stages: tuple[int, int, int]  # stored cases for the latency measurement
    latency_cases: int  # real cases opened per latency round (10 commands each)
    latency_rounds: int
    rss_cases: int  # distinct cases the memory worker runs a command on
    workers: tuple[int, ...]
    windows: int  # throughput windows per concurrency run (the median window is kept)
    window_s: float
    coldstart_runs: int


FULL = Config(quick=False, repeats=3, batch_s=0.4, persist_s=1.0, validate_repeats=21,
              scale_stages=(10_000, 100_000, 1_000_000), latency_cases=10, latency_rounds=9,
              rss_cases=100_000, workers=(1, 2, 4), windows=3, window_s=1.5, coldstart_runs=10)
QUICK = Config(quick=True, repeats=2, batch_s=0.03, persist_s=0.05, validate_repeats=2,
               scale_stages=(200, 1_000, 3_000), latency_cases=2, latency_rounds=2,
               rss_cases=400, workers=(1, 2), windows=2, window_s=0.25, coldstart_runs=2)


def _clock() -> datetime:
    return datetime.now(UTC)


def _missing(module: str) -> str | None:
    """Why ``module`` cannot be imported, or None when it can."""
    try:
        __import__(module)
    except ImportError as exc:
        return (f"{module} is not installed ({exc}); install the bench extra: "
                "pip install -e '.[bench]'")
    return None


# --- 1. in-memory step execution --------------------------------------------------------------

def _paired(numerators: list[float], denominators: list[float]) -> float:
    """The median of per-repeat ratios: each repeat's two measurements were taken one right
    after the other, so a slow moment of the machine spoils one ratio, not one side of all."""
    return median([a / b for a, b in zip(numerators, denominators, strict=True)])


def run_exec(cfg: Config, notes: list[str]) -> dict[str, Any]:
    peers = {"python-statemachine": _missing("statemachine"),
             "spiffworkflow": _missing("SpiffWorkflow")}
    for name, why in peers.items():
        if why:
            if not cfg.quick:
                raise SystemExit(f"bench: {why}")
            notes.append(f"exec: {name} skipped: {why}")
    out: dict[str, Any] = {"unit": "commands/s (a case = open + every step of its path)",
                           "alur_mode": "runtime: open_events/decide on a CaseState + chain()"}
    for label, path in (("linear10", LINEAR), ("mediasi", MEDIASI)):
        engine, digest, ctx = workloads.alur_context(path)
        plan = workloads.plan_for(ctx.proc)
        runners: dict[str, Callable[[int], None]] = {
            "alur": workloads.alur_runtime(ctx, plan),
            "alur_engine_memory": workloads.alur_engine(engine, digest, plan),
            "transitions": workloads.transitions_runner(plan),
            "transitions_shared": workloads.transitions_shared_runner(plan),
        }
        if not peers["python-statemachine"]:
            runners["python-statemachine"] = workloads.statemachine_runner(plan)
        if not peers["spiffworkflow"]:
            bpmn_file = os.path.join(BENCH, "linear10.bpmn")
            if label == "linear10":
                with open(bpmn_file, encoding="utf-8") as fh:
                    xml = fh.read()
            else:
                xml = workloads.bpmn_xml(plan)
            runners["spiffworkflow"] = workloads.spiff_runner(plan, xml)
        per_case = plan.commands_per_case
        with bar(f"exec {label}", len(runners) * (cfg.repeats + 1)) as progress:
            sizes = {}
            for name, run in runners.items():
                sizes[name] = calibrate(run, cfg.batch_s)
                progress.update()
            rates: dict[str, list[float]] = {name: [] for name in runners}
            cpu_rates: dict[str, list[float]] = {name: [] for name in runners}
            for _ in range(cfg.repeats):  # interleaved, so drift hits every runner alike
                for name, run in runners.items():
                    cpu = time.process_time()
                    took = timed(functools.partial(run, sizes[name]))
                    cpu = time.process_time() - cpu
                    rates[name].append(sizes[name] * per_case / took)
                    cpu_rates[name].append(sizes[name] * per_case / max(cpu, 1e-9))
                    progress.update()
        engine.close()
        out[label] = {"commands_per_case": per_case, "steps": len(plan.path),
                      "rates": {name: median(values) for name, values in rates.items()},
                      "rates_cpu": {name: median(values) for name, values in cpu_rates.items()},
                      # alur ÷ each runner, the median over repeats of the ratio of the two
                      # runs timed next to each other
                      "ratios": {name: _paired(rates["alur"], values)
                                 for name, values in rates.items()},
                      "ratios_cpu": {name: _paired(cpu_rates["alur"], values)
                                     for name, values in cpu_rates.items()}}
        # the headline peer: per repeat the faster of the two ways of driving transitions
        faster = [max(a, b) for a, b in zip(rates["transitions"], rates["transitions_shared"],
                                            strict=True)]
        faster_cpu = [max(a, b) for a, b in zip(cpu_rates["transitions"],
                                                cpu_rates["transitions_shared"], strict=True)]
        out[label]["ratios"]["transitions_faster"] = _paired(rates["alur"], faster)
        out[label]["ratios_cpu"]["transitions_faster"] = _paired(cpu_rates["alur"], faster_cpu)
        for name in ("transitions", "python-statemachine", "spiffworkflow"):
            for key in ("rates", "rates_cpu", "ratios", "ratios_cpu"):
                out[label][key].setdefault(name, None)
    return out


# --- 2. persisted commands --------------------------------------------------------------------

def _raw_row(index: int) -> tuple[Any, ...]:
    """One event row as alur writes a step_completed event (~330 bytes of values)."""
    case_id = f"raw-{index:09d}"
    payload = json.dumps({"note": None, "outcome": None, "produces": [], "step": "langkah_05"},
                         separators=(",", ":"))
    digest = hashlib.sha256(case_id.encode()).hexdigest()
    return (case_id, 1, "step_completed", payload, "user-petugas", "petugas", AT,
            hashlib.sha256(b"procedure").hexdigest(), digest, digest[::-1])


RAW_ROW_BYTES = sum(len(str(v)) for v in _raw_row(0))


def _ddl(dialect: str) -> str:
    from engine.store.migrations import MIGRATIONS

    statement = next(s for s in MIGRATIONS[0].statements(dialect)  # type: ignore[arg-type]
                     if s.startswith("CREATE TABLE alur_events"))
    return statement.replace("alur_events", "raw_events")


class _Counter:
    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _alur_cases(engine: Any, digest: str, plan: workloads.Plan, prefix: str,
                counter: _Counter) -> Callable[[int], None]:
    def run(n: int) -> None:
        for _ in range(n):
            # numbered as the raw peer numbers its rows (raw-000000001, ...): both sides insert
            # at the end of the (case_id, seq) key, as a store does with time-ordered case ids
            case_id = f"{prefix}-{counter.next():09d}"
            opening, commands = plan.case(case_id, digest)
            engine.execute(opening)
            for command in commands:
                engine.execute(command)

    return run


def _with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode([*pairs, ("schema", schema)])))


def _without_schema(url: str) -> str:
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def pg_base_url(enabled: bool) -> tuple[str | None, str]:
    """The PostgreSQL server to use (ALUR_PG_URL, else 127.0.0.1:5432 when it answers)."""
    if not enabled:
        return None, "PostgreSQL disabled (--no-pg)"
    url = os.environ.get("ALUR_PG_URL")
    if not url:
        try:
            socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        except OSError:
            return None, "ALUR_PG_URL is not set and nothing answers on 127.0.0.1:5432"
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    url = _without_schema(url)
    try:
        import psycopg

        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means: no PostgreSQL numbers, say why
        return None, f"PostgreSQL at {urlsplit(url).hostname}:{urlsplit(url).port} " \
                     f"cannot be used: {type(exc).__name__}: {str(exc).strip()[:200]}"
    return url, ""


@contextlib.contextmanager
def pg_schema(base_url: str, tag: str) -> Iterator[tuple[str, str]]:
    """A fresh schema on the server (dropped afterwards): (store URL with ?schema=, name)."""
    import psycopg
    from psycopg import sql

    schema = f"alur_bench_{tag}_{secrets.token_hex(4)}"
    try:
        yield _with_schema(base_url, schema), schema
    finally:
        with contextlib.suppress(Exception), psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                sql.Identifier(schema)))


def pg_settings(base_url: str) -> dict[str, str]:
    import psycopg

    found = {}
    with psycopg.connect(base_url, autocommit=True) as conn:
        for name in ("server_version", "fsync", "synchronous_commit", "wal_sync_method",
                     "shared_buffers"):
            row = conn.execute(f"SHOW {name}").fetchone()
            found[name] = row[0] if row else ""
    return found


def _sql_only(cfg: Config, workdir: str, sync: str) -> float:
    """Commands/s of alur's SQLite statements alone: the statements (and parameters) a run of
    whole linear10 cases sends through the store's connection, recorded, then replayed with raw
    sqlite3 on a new store file at the same setting (median of 3 replays). What the store would
    reach if the Python around it cost nothing: the ceiling of ``sqlite_*_vs_raw``."""
    from engine.api import Engine

    cases = 8 if cfg.quick else 120
    record_path = os.path.join(workdir, f"record-{sync.lower()}.db")
    engine = Engine(f"sqlite:///{record_path}?synchronous={sync}", clock=_clock)
    digest = engine.register(LINEAR)
    plan = workloads.plan_for(engine.procedure(digest))
    real = engine.store._conn  # type: ignore[attr-defined]
    recorded: list[tuple[str, tuple[Any, ...]]] = []

    class Recording:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def execute(self, sql: str, params: Any = ()) -> Any:
            recorded.append((sql, tuple(params)))
            return real.execute(sql, params)

    engine.store._conn = Recording()  # type: ignore[attr-defined]
    _alur_cases(engine, digest, plan, "sql", _Counter())(cases)
    engine.store._conn = real  # type: ignore[attr-defined]
    engine.close()
    times = []
    for attempt in range(3):
        path = os.path.join(workdir, f"replay-{sync.lower()}-{attempt}.db")
        Engine(f"sqlite:///{path}?synchronous={sync}", clock=_clock).close()  # schema, pragmas
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL").fetchall()
        conn.execute(f"PRAGMA synchronous = {sync}")
        conn.execute("PRAGMA foreign_keys = ON")
        # the procedure row the recorded cases name (registered before recording began)
        conn.execute("ATTACH DATABASE ? AS recorded", (record_path,))
        conn.execute("INSERT INTO alur_procedures SELECT * FROM recorded.alur_procedures")
        conn.execute("DETACH DATABASE recorded")
        start = time.perf_counter()
        for sql, params in recorded:
            conn.execute(sql, params).fetchall()
        times.append(time.perf_counter() - start)
        conn.close()
    return cases * plan.commands_per_case / median(times)


_FLOOR_HEAD = ("CREATE TABLE floor_heads (case_id TEXT PRIMARY KEY, version INTEGER NOT NULL, "
               "last_hash TEXT NOT NULL) WITHOUT ROWID")


def _floor_cases(conn: sqlite3.Connection, per_case: int, counter: _Counter
                 ) -> Callable[[int], None]:
    """Cases of ``per_case`` commands as the least an event-sourced command can write: a
    transaction that moves the case's head (version, last hash: what optimistic concurrency and
    the hash chain need) and inserts one event row like the raw peer's. No snapshot, no
    second event, no Python but the loop: the floor under any engine's command."""
    def run(n: int) -> None:
        for _ in range(n):
            index = counter.next()
            row = _raw_row(index)
            case_id, digest = f"floor-{index:09d}", row[9]
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO floor_heads VALUES (?, 1, ?)", (case_id, digest))
            conn.execute("INSERT INTO raw_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (case_id, *row[1:]))
            conn.execute("COMMIT")
            for seq in range(2, per_case + 1):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE floor_heads SET version = ?, last_hash = ? "
                             "WHERE case_id = ? AND version = ?", (seq, digest, case_id, seq - 1))
                conn.execute("INSERT INTO raw_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (case_id, seq, *row[2:]))
                conn.execute("COMMIT")

    return run


# The leanest layout that still stores what alur must: every event of a command (as alur seals
# them) and a head row a worker can list and check cases by, without the state.
_LEAN_HEAD = ("CREATE TABLE lean_heads (case_id TEXT PRIMARY KEY, version INTEGER NOT NULL, "
              "last_hash TEXT NOT NULL, edits INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, "
              "current_step TEXT, current_role TEXT, due_utc TEXT, updated_at TEXT NOT NULL) "
              "WITHOUT ROWID")
_LEAN_INDEXES = ("CREATE INDEX lean_status ON lean_heads (status)",
                 "CREATE INDEX lean_role_due ON lean_heads (current_role, due_utc)")
_LEAN_LISTED = ("status", "current_role", "due_utc")  # indexed: set only when they change

# per command of the template case: its event rows (case id left out), then the head's values
LeanCommand = tuple[list[tuple[Any, ...]], dict[str, Any]]


def _lean_template(path: str) -> list[LeanCommand]:
    """One whole case of ``path`` decided by the runtime: per command the rows of the events it
    sealed (payloads encoded as the store encodes them) and the head's columns after it."""
    from engine.cases.events import Event
    from engine.cases.runtime import decide, open_events
    from engine.store.checks import due_key, dump_json
    from engine.store.sql import prepare_append

    engine, _, ctx = workloads.alur_context(path)
    plan = workloads.plan_for(ctx.proc)

    def command(events: list[Event], state: Any) -> LeanCommand:
        snap = engine.snapshot_of(ctx, state)  # the listed columns as alur's store gets them
        # the event rows as alur's SQL stores write them, less the case id (each case its own)
        [(_, _, rows, _)], _ = prepare_append(state.case_id, events[0].seq - 1, events, snap,
                                              (), (), dump_json)
        return ([row[1:] for row in rows],
                {"version": snap.version, "last_hash": snap.last_hash, "status": snap.status,
                 "current_step": snap.current_step, "current_role": snap.current_role,
                 "due_utc": due_key(snap.due_at), "updated_at": snap.updated_at})

    opening, steps = plan.case("lean", ctx.proc_hash)
    state, events = open_events(ctx, "lean", opening, workloads._now)
    template = [command(events, state)]
    for step in steps:
        template.append(command(decide(ctx, state, step, workloads._now), state))
    engine.close()
    return template


def _lean_cases(conn: sqlite3.Connection, template: list[LeanCommand], counter: _Counter
                ) -> Callable[[int], None]:
    """Cases written in the lean layout (:data:`_LEAN_HEAD`): per command one transaction that
    inserts the command's event rows in one statement and moves the head where it still is at
    the expected version (listed columns set only when they change, as alur does). No Python
    but the loop: what a schema storing alur's events without the state would cost in SQL."""
    first_rows, first_head = template[0]
    insert_head = ("INSERT INTO lean_heads (case_id, " + ", ".join(first_head) + ") VALUES (?"
                   + ", ?" * len(first_head) + ")")
    plans = []  # per later command: the UPDATE and where its values come from
    for (_, before), (rows, head) in itertools.pairwise(template):
        columns = [c for c in head if c not in _LEAN_LISTED or head[c] != before[c]]
        plans.append((rows, "UPDATE lean_heads SET " + ", ".join(f"{c} = ?" for c in columns)
                      + " WHERE case_id = ? AND version = ? AND last_hash = ? AND edits = 0",
                      [head[c] for c in columns], before["version"], before["last_hash"]))

    def insert_events(case_id: str, rows: list[tuple[Any, ...]]) -> None:
        conn.execute("INSERT INTO raw_events VALUES "
                     + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(rows)),
                     [v for row in rows for v in (case_id, *row)])

    def run(n: int) -> None:
        for _ in range(n):
            case_id = f"lean-{counter.next():09d}"
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(insert_head, (case_id, *first_head.values()))
            insert_events(case_id, first_rows)
            conn.execute("COMMIT")
            for rows, update, values, version, last_hash in plans:
                conn.execute("BEGIN IMMEDIATE")
                if conn.execute(update, (*values, case_id, version, last_hash)).rowcount != 1:
                    raise AssertionError("lean head did not move")
                insert_events(case_id, rows)
                conn.execute("COMMIT")

    return run


def _runtime_rate(cfg: Config) -> float:
    """Commands/s of the runtime alone on linear10 (deciding and sealing, no store)."""
    engine, _, ctx = workloads.alur_context(LINEAR)
    plan = workloads.plan_for(ctx.proc)
    run = workloads.alur_runtime(ctx, plan)
    size = calibrate(run, cfg.batch_s)
    rate = median([size * plan.commands_per_case / timed(lambda: run(size))
                   for _ in range(cfg.repeats)])
    engine.close()
    return rate


def _raw_sqlite(workdir: str, name: str, sync: str, *schema: str) -> sqlite3.Connection:
    """A new SQLite file for a peer written with raw ``sqlite3``: autocommit, WAL at ``sync``,
    the ``raw_events`` table laid out like ``alur_events``, and any more ``schema``."""
    conn = sqlite3.connect(os.path.join(workdir, f"{name}-{sync.lower()}.db"),
                           isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    conn.execute(f"PRAGMA synchronous = {sync}")
    for statement in (_ddl("sqlite"), *schema):
        conn.execute(statement)
    return conn


def _measure_group(cfg: Config, progress: Any,
                   runners: dict[str, tuple[Callable[[int], None], int]]) -> dict[str, list[float]]:
    """Per repeat, the rate of each runner (``(run, units per call)``: commands or rows a second),
    each calibrated first and then timed interleaved with the others, so a slow moment of the
    machine spoils one repeat's ratios rather than one side of every ratio."""
    sizes = {name: calibrate(run, cfg.persist_s) for name, (run, _) in runners.items()}
    progress.update()
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(cfg.repeats):
        for name, (run, units) in runners.items():
            rates[name].append(sizes[name] * units / timed(functools.partial(run, sizes[name])))
        progress.update()
    return rates


def _pg_env(base_url: str, schema: str) -> dict[str, str]:
    """eventsourcing's PostgreSQL settings for the server ``base_url`` names."""
    parts = urlsplit(base_url)
    return {"dbname": parts.path.lstrip("/") or "postgres", "host": parts.hostname or "127.0.0.1",
            "port": str(parts.port or 5432), "user": parts.username or "postgres",
            "password": parts.password or "", "schema": schema}


PERSIST_GROUPS = ("sqlite_full", "sqlite_normal", "postgres")


def run_persist(cfg: Config, workdir: str, pg_url: str | None, notes: list[str],
                only: tuple[str, ...] = PERSIST_GROUPS) -> dict[str, Any]:
    """The persisted commands; ``only``: the groups measured (the others are left out, as
    PostgreSQL is when no server answers)."""
    from bench import peers
    from engine.api import Engine

    out: dict[str, Any] = {"unit": "commands/s (a case: open + 10 steps of linear10; every "
                                   "command read, decided and committed) vs rows/s (raw: one "
                                   f"~{RAW_ROW_BYTES}-byte event row per transaction)",
                           "raw_row_bytes": RAW_ROW_BYTES}
    missing = {"eventsourcing": _missing("eventsourcing"),
               "spiffworkflow": _missing("SpiffWorkflow")}
    for name, why in missing.items():
        if why:
            if not cfg.quick:
                raise SystemExit(f"bench: {why}")
            notes.append(f"persist: {name} skipped: {why}")
    with open(os.path.join(BENCH, "linear10.bpmn"), encoding="utf-8") as fh:
        xml = fh.read()
    counter = _Counter()
    template = _lean_template(LINEAR)
    out["lean_events_per_command"] = sum(len(rows) for rows, _ in template) / len(template)
    runtime_rate = _runtime_rate(cfg)
    out["runtime"] = runtime_rate
    syncs = [sync for sync in ("FULL", "NORMAL") if f"sqlite_{sync.lower()}" in only]
    if "postgres" not in only:
        pg_url = None
    groups = len(syncs) + (1 if pg_url else 0)
    with bar("persist", groups * (cfg.repeats + 1)) as progress:
        for sync in syncs:
            tag = sync.lower()
            engine = Engine(f"sqlite:///{os.path.join(workdir, f'persist-{tag}.db')}"
                            f"?synchronous={sync}", clock=_clock)
            digest = engine.register(LINEAR)
            plan = workloads.plan_for(engine.procedure(digest))
            per_case = plan.commands_per_case
            raw = _raw_sqlite(workdir, "raw", sync)
            floor = _raw_sqlite(workdir, "floor", sync, _FLOOR_HEAD)
            lean = _raw_sqlite(workdir, "lean", sync, _LEAN_HEAD, *_LEAN_INDEXES)
            rows = _Counter()

            def insert(n: int, raw: sqlite3.Connection = raw, rows: _Counter = rows) -> None:
                for _ in range(n):  # autocommit: each INSERT is its own transaction
                    raw.execute("INSERT INTO raw_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                _raw_row(rows.next()))

            runners: dict[str, tuple[Callable[[int], None], int]] = {
                "alur": (_alur_cases(engine, digest, plan, f"p{sync}", counter), per_case),
                "raw": (insert, 1),
                "floor": (_floor_cases(floor, per_case, _Counter()), per_case),
                "lean": (_lean_cases(lean, template, _Counter()), per_case)}
            closers: list[Callable[[], object]] = [engine.close, raw.close, floor.close,
                                                   lean.close]
            try:
                if not missing["eventsourcing"]:
                    run, close = peers.eventsourcing_sqlite(
                        plan, os.path.join(workdir, f"eventsourcing-{tag}.db"), sync)
                    runners["eventsourcing"] = (run, per_case)
                    closers.append(close)
                if not missing["spiffworkflow"]:
                    run, close = peers.spiff_persisted(
                        plan, xml, os.path.join(workdir, f"spiff-{tag}.db"), sync)
                    runners["spiffworkflow"] = (run, per_case)
                    closers.append(close)
                rates = _measure_group(cfg, progress, runners)
            finally:
                for close in closers:
                    close()
            sql_only = _sql_only(cfg, workdir, sync)

            def vs(peer: str, rates: dict[str, list[float]] = rates, side: str = "alur"
                   ) -> float | None:
                return _paired(rates[side], rates[peer]) if peer in rates else None

            raw_rate, floor_rate = median(rates["raw"]), median(rates["floor"])
            lean_ratio = vs("raw", side="lean")
            assert lean_ratio is not None
            out[f"sqlite_{tag}"] = {
                "rates": {name: median(values) for name, values in rates.items()},
                "alur": median(rates["alur"]), "raw": raw_rate, "ratio": vs("raw"),
                "vs_eventsourcing": vs("eventsourcing"), "vs_spiffworkflow": vs("spiffworkflow"),
                "sql_only": sql_only, "sql_only_vs_raw": sql_only / raw_rate,
                "floor": floor_rate, "floor_vs_raw": vs("raw", side="floor"),
                # what a command may spend beside the floor's SQL and still reach half the raw
                # rate: 2 raw commits' time less the floor's (negative: the target is below the
                # floor)
                "budget_us_at_target": 1e6 * (2 / raw_rate - 1 / floor_rate),
                "lean": median(rates["lean"]), "lean_vs_raw": lean_ratio,
                # the best ratio a store writing alur's events in the lean layout could reach:
                # its SQL plus the runtime's decision, and no other Python at all
                "bound_vs_raw": 1 / (1 / lean_ratio + raw_rate / runtime_rate),
                # what is left for the rest of a command (the engine and the store's Python)
                # at half the raw rate, beside the lean layout's SQL and the decision
                "lean_budget_us_at_target": 1e6 * (2 / raw_rate - 1 / (lean_ratio * raw_rate)
                                                   - 1 / runtime_rate)}
        if pg_url:
            import psycopg

            with pg_schema(pg_url, "persist") as (url, schema):
                engine = Engine(url, clock=_clock)
                digest = engine.register(LINEAR)
                plan = workloads.plan_for(engine.procedure(digest))
                raw_conn = psycopg.connect(pg_url, autocommit=True)
                raw_conn.execute(f'SET search_path TO "{schema}"')
                raw_conn.execute(_ddl("postgres"))
                pg_rows = _Counter()
                sql = ("INSERT INTO raw_events VALUES "
                       "(%s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s)")

                def insert_pg(n: int) -> None:
                    with raw_conn.cursor() as cur:
                        for _ in range(n):  # autocommit: one row, one commit
                            cur.execute(sql, _raw_row(pg_rows.next()))

                per_case = plan.commands_per_case
                pg_runners: dict[str, tuple[Callable[[int], None], int]] = {
                    "alur": (_alur_cases(engine, digest, plan, "pg", counter), per_case),
                    "raw": (insert_pg, 1)}
                pg_closers: list[Callable[[], object]] = [engine.close, raw_conn.close]
                try:
                    if not missing["eventsourcing"]:
                        env = _pg_env(pg_url, schema)
                        run, close = peers.eventsourcing_postgres(
                            plan, env["dbname"], env["host"], env["port"], env["user"],
                            env["password"], env["schema"])
                        pg_runners["eventsourcing"] = (run, per_case)
                        pg_closers.append(close)
                    pg_rates = _measure_group(cfg, progress, pg_runners)
                finally:
                    for close in pg_closers:
                        close()
            out["postgres"] = {
                "rates": {name: median(values) for name, values in pg_rates.items()},
                "alur": median(pg_rates["alur"]), "raw": median(pg_rates["raw"]),
                "ratio": _paired(pg_rates["alur"], pg_rates["raw"]),
                "vs_eventsourcing": (_paired(pg_rates["alur"], pg_rates["eventsourcing"])
                                     if "eventsourcing" in pg_rates else None),
                "settings": pg_settings(pg_url)}
        else:
            out["postgres"] = None
    return out


# --- 3. loading and validation ----------------------------------------------------------------

def _validation_stages(path: str, name: str, raw: bytes, lang: str
                       ) -> dict[str, Callable[[], object]]:
    """What is timed for one file: full uncached validation (``_check`` on freshly read bytes,
    as ``check_bytes`` does on a cache miss), the bare parse, each layer alone, the cached call."""
    import yaml

    from engine.procedure.graph import check_graph
    from engine.procedure.model import Procedure
    from engine.procedure.references import check_references
    from engine.procedure.shape import check_shape
    from engine.procedure.source import read_bytes
    from engine.procedure.validate import _check, check_path

    text = raw.decode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    doc = read_bytes(raw, name, lang)
    proc = Procedure.model_validate(doc.data)
    check_path(path, lang)  # fills the cache for the cached figure
    return {
        "validate": lambda: _check(read_bytes(raw, name, lang), digest, lang),
        "parse_csafeloader": lambda: yaml.load(text, Loader=yaml.CSafeLoader),
        "layer_read": lambda: read_bytes(raw, name, lang),
        "layer_shape": lambda: check_shape(doc, lang),
        "layer_model": lambda: Procedure.model_validate(doc.data),
        "layer_references": lambda: check_references(proc, doc, lang),
        "layer_graph": lambda: check_graph(proc, doc, lang),
        "cached_check_path": lambda: check_path(path, lang),
    }


def run_validate(cfg: Config) -> dict[str, Any]:
    """Each repeat times every stage of every file back to back; per file the median of each
    stage is kept, and the headline is the median over repeats of (validation time of all
    procedures / their parse time), so a slow moment of the machine spoils one repeat's ratio
    rather than one side of every ratio."""
    files = [*sorted(glob.glob(os.path.join(ROOT, "procedures", "*.yaml"))), LINEAR]
    lang = "en"
    out: dict[str, Any] = {"unit": "milliseconds per file (median)", "files": {}}
    plans: dict[str, tuple[int, dict[str, Callable[[], object]]]] = {}
    for path in files:
        with open(path, "rb") as fh:
            raw = fh.read()
        name = os.path.relpath(path, ROOT)
        plans[name] = (len(raw), _validation_stages(path, name, raw, lang))
        for fn in plans[name][1].values():
            fn()  # warm-up
    times: dict[str, dict[str, list[float]]] = {
        name: {stage: [] for stage in stages} for name, (_, stages) in plans.items()}
    cpu: dict[str, dict[str, list[float]]] = {
        name: {stage: [] for stage in stages} for name, (_, stages) in plans.items()}
    with bar("validate", cfg.validate_repeats) as progress:
        for _ in range(cfg.validate_repeats):
            for name, (_, stages) in plans.items():
                for stage, fn in stages.items():
                    start = time.process_time()
                    times[name][stage].append(timed(fn))
                    cpu[name][stage].append(time.process_time() - start)
            progress.update()
    for name, (size, _) in plans.items():
        entry: dict[str, Any] = {stage: median(values) * 1000
                                 for stage, values in times[name].items()}
        entry["cpu_ms"] = {stage: median(values) * 1000 for stage, values in cpu[name].items()}
        entry["bytes"] = size
        entry["ratio"] = median([v / p for v, p in zip(times[name]["validate"],
                                                       times[name]["parse_csafeloader"],
                                                       strict=True)])
        entry["files_per_s"] = 1000 / entry["validate"]
        out["files"][name] = entry
    procedures = [name for name in plans if name.startswith("procedures")]

    def per_repeat(series: dict[str, dict[str, list[float]]]) -> float:
        return median([sum(series[n]["validate"][i] for n in procedures)
                       / sum(series[n]["parse_csafeloader"][i] for n in procedures)
                       for i in range(cfg.validate_repeats)])

    out["validate_ms_total"] = sum(out["files"][n]["validate"] for n in procedures)
    out["parse_ms_total"] = sum(out["files"][n]["parse_csafeloader"] for n in procedures)
    out["ratio"] = per_repeat(times)
    out["ratio_cpu"] = per_repeat(cpu)
    return out


# --- 4. scale ---------------------------------------------------------------------------------

class _LatencyProbe:
    """An Engine on one store size that times ``CompleteStep`` on real cases it opens, a round
    at a time (10 cases x 10 steps), and reads random seeded cases."""

    def __init__(self, url: str, tag: str) -> None:
        from engine.api import Engine

        self.engine = Engine(url, clock=_clock)
        self.tag = f"{tag}-{secrets.token_hex(3)}"  # each run's probe opens cases of its own
        self.digest = self.engine.register(LINEAR)
        self.plan = workloads.plan_for(self.engine.procedure(self.digest))
        self.rounds: list[float] = []

    def round(self, cfg: Config) -> float:
        ids = [f"lat-{self.tag}-{len(self.rounds)}-{i}" for i in range(cfg.latency_cases)]
        cases = [self.plan.case(case_id, self.digest) for case_id in ids]
        for opening, _ in cases:
            self.engine.execute(opening)
        samples = []
        for index in range(len(self.plan.path)):  # step by step across the cases
            for _, commands in cases:
                command = commands[index]
                start = time.perf_counter()
                self.engine.execute(command)
                samples.append(time.perf_counter() - start)
        self.rounds.append(median(samples))
        return self.rounds[-1]

    def random_reads(self, cfg: Config, seeded: int) -> float:
        import random

        from bench.seed import seed_id

        chooser = random.Random(seeded)
        reads = []
        for _ in range(max(20, cfg.latency_cases * 20)):
            case_id = seed_id(chooser.randrange(seeded))
            start = time.perf_counter()
            self.engine.case(case_id)
            reads.append(time.perf_counter() - start)
        return median(reads)


def run_scale(cfg: Config, workdir: str, notes: list[str], seeded: dict[str, Any]
              ) -> dict[str, Any]:
    """Seed one store to each size (a copy is kept at each smaller size), then time commands on
    the three sizes **interleaved**, round by round, like the other sections' peers: a slow
    moment of the machine then spoils one round's ratio, not one size's whole measurement.

    Seeding (and the memory worker, which runs beside it) happens in the first run only:
    ``seeded`` keeps the stores, their sizes and the memory figures for the later runs, which
    time commands on the same stores again."""
    if seeded:
        return _scale_latency(cfg, seeded["stores"], json.loads(json.dumps(seeded["out"])))
    from bench import workers
    from bench.seed import Seeder

    path = os.path.join(workdir, "scale.db")
    seeder = Seeder(path)
    out: dict[str, Any] = {"store": "SQLite WAL, synchronous=NORMAL",
                           "events_per_seeded_case": seeder.events_per_case, "stages": {}}
    spawn = multiprocessing.get_context("spawn")
    memory_result = None
    memory_proc: Any = None
    memory_queue: Any = None
    total = cfg.scale_stages[-1]
    stores: dict[int, str] = {}
    with bar("scale: seed + measure", total) as progress:
        for stage in cfg.scale_stages:
            seed_s = seeder.seed_to(stage, progress=progress.update)  # ends with a checkpoint
            stores[stage] = path
            if stage != cfg.scale_stages[-1]:  # seeding goes on in scale.db: keep this size
                stores[stage] = os.path.join(workdir, f"scale-{stage}.db")
                shutil.copyfile(path, stores[stage])
            out["stages"][str(stage)] = {"seed_s": seed_s,
                                         "db_mib": os.path.getsize(path) / 2**20}
            if stage == cfg.scale_stages[1]:
                # memory: a fresh worker process runs one command on each of rss_cases seeded
                # cases, on a copy of the store (so the next seeding can go on beside it)
                copy = os.path.join(workdir, "memory.db")
                shutil.copyfile(path, copy)
                count = min(cfg.rss_cases, stage)
                checkpoints = sorted({max(1, count // 100), count // 10, count})
                memory_queue = spawn.Queue()
                memory_proc = spawn.Process(
                    target=workers.memory,
                    args=(f"sqlite:///{copy}?synchronous=NORMAL", count, checkpoints,
                          memory_queue))
                memory_proc.start()
                progress.set_postfix_str("memory worker running")
        if memory_proc is not None:
            memory_result = memory_queue.get(timeout=3600)
            memory_proc.join()
        # the seeding left up to GBs of dirty pages: write them out first, so the kernel's
        # writeback does not compete with the commands being timed
        os.sync()
    if memory_result is None or "error" in memory_result:
        notes.append(f"scale: memory worker failed: {memory_result}")
        out["memory"] = None
    else:
        rss = {int(k): v for k, v in memory_result["rss_mib"].items()}
        count = max(rss)
        tenth = count // 10
        out["memory"] = {"cases": count, "rss_mib": rss, "rss_after_tenth_mib": rss[tenth],
                         "rss_after_all_mib": rss[count], "ratio": rss[count] / rss[tenth],
                         "commands_per_s": count / memory_result["seconds"]}
    with contextlib.suppress(OSError):
        os.remove(os.path.join(workdir, "memory.db"))
    seeded["stores"] = stores
    seeded["out"] = json.loads(json.dumps(out))
    return _scale_latency(cfg, stores, out)


def _scale_latency(cfg: Config, stores: dict[int, str], out: dict[str, Any]) -> dict[str, Any]:
    """Command latency on each seeded size, sizes interleaved round by round."""
    with bar("scale: latency, sizes interleaved", cfg.latency_rounds) as progress:
        probes = {stage: _LatencyProbe(f"sqlite:///{stores[stage]}?synchronous=NORMAL",
                                       str(stage)) for stage in cfg.scale_stages}
        try:
            ratios = []
            for _ in range(cfg.latency_rounds):
                times = {stage: probe.round(cfg) for stage, probe in probes.items()}
                ratios.append(times[cfg.scale_stages[-1]] / times[cfg.scale_stages[0]])
                progress.update()
            for stage, probe in probes.items():
                entry = out["stages"][str(stage)]
                entry["command_ms"] = median(probe.rounds) * 1000
                entry["read_random_case_ms"] = probe.random_reads(cfg, stage) * 1000
        finally:
            for probe in probes.values():
                probe.engine.close()
    out["latency_ratio"] = median(ratios)
    first, last = (out["stages"][str(s)] for s in (cfg.scale_stages[0], cfg.scale_stages[-1]))
    out["read_ratio"] = last["read_random_case_ms"] / first["read_random_case_ms"]
    return out


# --- 5. concurrency ---------------------------------------------------------------------------

def _throughput(url: str, count: int, cfg: Config) -> float:
    """Commands/s of ``count`` worker processes, each its own Engine and cases (median window)."""
    from bench import workers

    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(count)
    results = spawn.Queue()
    procs = [spawn.Process(target=workers.throughput,
                           args=(url, i, barrier, cfg.windows, cfg.window_s, results))
             for i in range(count)]
    for proc in procs:
        proc.start()
    found = []
    try:
        for _ in procs:
            worker, counts = results.get(timeout=300)
            if isinstance(counts, str):
                raise RuntimeError(f"worker {worker} failed: {counts}")
            found.append(counts)
    finally:
        for proc in procs:
            proc.join(timeout=60)
            if proc.is_alive():
                proc.terminate()
    per_window = [sum(c[w] for c in found) / cfg.window_s for w in range(cfg.windows)]
    return median(per_window)


def run_concurrency(cfg: Config, workdir: str, pg_url: str | None) -> dict[str, Any]:
    stores: list[tuple[str, Callable[[], contextlib.AbstractContextManager[str]]]] = []

    for sync in ("FULL", "NORMAL"):
        @contextlib.contextmanager
        def sqlite_url(sync: str = sync) -> Iterator[str]:
            from engine.store import open_store

            url = f"sqlite:///{os.path.join(workdir, f'conc-{sync.lower()}.db')}" \
                  f"?synchronous={sync}"
            open_store(url).close()  # migrate once, before the workers race to
            yield url

        stores.append((f"sqlite_{sync.lower()}", sqlite_url))
    if pg_url:
        @contextlib.contextmanager
        def postgres_url() -> Iterator[str]:
            from engine.store import open_store

            with pg_schema(pg_url, "conc") as (url, _):
                open_store(url).close()
                yield url

        stores.append(("postgres", postgres_url))
    out: dict[str, Any] = {"unit": f"commands/s, all workers together (median of {cfg.windows} "
                                   f"windows of {cfg.window_s:g} s)"}
    with bar("concurrency", len(stores) * len(cfg.workers)) as progress:
        for name, opener in stores:
            with opener() as url:
                rates = {}
                for count in cfg.workers:
                    progress.set_postfix_str(f"{name} x{count}")
                    rates[str(count)] = _throughput(url, count, cfg)
                    progress.update()
            base = rates[str(cfg.workers[0])]
            out[name] = {"rates": rates,
                         "speedup": {k: v / base for k, v in rates.items()} if base else None}
    if not pg_url:
        out["postgres"] = None
    return out


# --- 6. cold start ----------------------------------------------------------------------------

def run_coldstart(cfg: Config) -> dict[str, Any]:
    python = sys.executable
    alur = os.path.join(os.path.dirname(python), "alur")
    alur_cmd = [alur] if os.path.exists(alur) else [python, os.path.join(ROOT, "cli.py")]
    commands = {
        "alur_validate": [*alur_cmd, "validate", os.path.join("procedures", "mediasi.yaml")],
        "bare_imports": [python, "-c", "import yaml, pydantic, jsonschema"],
        "python_only": [python, "-c", "pass"],
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    with bar("coldstart", cfg.coldstart_runs + 1) as progress:
        for index in range(cfg.coldstart_runs + 1):
            for name, command in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True,
                                      check=False)
                took = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode != 0:
                    raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: "
                                       f"{done.stderr.decode(errors='replace')[-500:]}")
                if index:  # the first round warms the OS file cache
                    times[name].append(took)
                    cpu[name].append(after.ru_utime - before.ru_utime
                                     + after.ru_stime - before.ru_stime)
            progress.update()
    return {"unit": "milliseconds per process (median wall time; cpu_ms: user + system)",
            **{name: median(values) * 1000 for name, values in times.items()},
            "cpu_ms": {name: median(values) * 1000 for name, values in cpu.items()}}


# --- the run ----------------------------------------------------------------------------------

def _judge(value: float | None, comparison: str, bound: float) -> bool | None:
    if value is None:
        return None
    return value >= bound if comparison == ">=" else value <= bound


def headline(results: dict[str, Any]) -> dict[str, float | None]:
    exec_ = results.get("exec") or {}
    lin = (exec_.get("linear10") or {}).get("ratios", {})
    lin_rates = (exec_.get("linear10") or {}).get("rates", {})
    lin_cpu = (exec_.get("linear10") or {}).get("ratios_cpu", {})
    med = (exec_.get("mediasi") or {}).get("ratios", {})
    persist = results.get("persist") or {}
    pg = persist.get("postgres") or {}
    val = results.get("validate") or {}
    scale = results.get("scale") or {}
    cold = results.get("coldstart") or {}

    def pair(entry: dict[str, Any] | None) -> float | None:
        return (entry or {}).get("ratio")

    full = persist.get("sqlite_full") or {}
    normal = persist.get("sqlite_normal") or {}
    return {
        "exec_vs_transitions": lin.get("transitions_faster"),
        "exec_vs_transitions_recommended": lin.get("transitions"),
        "exec_vs_transitions_shared": lin.get("transitions_shared"),
        "exec_vs_spiff": lin.get("spiffworkflow"),
        "persist_vs_eventsourcing_sqlite": full.get("vs_eventsourcing"),
        "persist_vs_eventsourcing_sqlite_normal": normal.get("vs_eventsourcing"),
        "persist_vs_eventsourcing_pg": pg.get("vs_eventsourcing") if pg else None,
        "persist_vs_spiff_sqlite": full.get("vs_spiffworkflow"),
        "persist_vs_spiff_sqlite_normal": normal.get("vs_spiffworkflow"),
        "http_vs_inprocess": (results.get("http") or {}).get("ratio"),
        "http_p50_ms": (results.get("http") or {}).get("p50_ms"),
        "http_p99_ms": (results.get("http") or {}).get("p99_ms"),
        "exec_vs_statemachine": lin.get("python-statemachine"),
        "exec_vs_transitions_mediasi": med.get("transitions_faster"),
        "exec_vs_spiff_mediasi": med.get("spiffworkflow"),
        "engine_memory_vs_transitions": ratio(lin_rates.get("alur_engine_memory"),
                                              lin_rates.get("transitions")),
        "exec_vs_transitions_cpu": lin_cpu.get("transitions_faster"),
        "exec_vs_spiff_cpu": lin_cpu.get("spiffworkflow"),
        "sqlite_full_vs_raw": pair(persist.get("sqlite_full")),
        "sqlite_normal_vs_raw": pair(persist.get("sqlite_normal")),
        "sqlite_full_sql_only_vs_raw": (persist.get("sqlite_full") or {}).get("sql_only_vs_raw"),
        "sqlite_normal_sql_only_vs_raw": (persist.get("sqlite_normal") or {}).get(
            "sql_only_vs_raw"),
        "sqlite_full_floor_vs_raw": (persist.get("sqlite_full") or {}).get("floor_vs_raw"),
        "sqlite_normal_floor_vs_raw": (persist.get("sqlite_normal") or {}).get("floor_vs_raw"),
        "sqlite_full_lean_vs_raw": (persist.get("sqlite_full") or {}).get("lean_vs_raw"),
        "sqlite_normal_lean_vs_raw": (persist.get("sqlite_normal") or {}).get("lean_vs_raw"),
        "sqlite_normal_bound_vs_raw": (persist.get("sqlite_normal") or {}).get("bound_vs_raw"),
        "pg_vs_raw": pair(pg) if pg else None,
        "validate_vs_parse": val.get("ratio"),
        "validate_vs_parse_cpu": val.get("ratio_cpu"),
        "latency_1m_vs_10k": scale.get("latency_ratio"),
        "rss_100k_vs_10k": (scale.get("memory") or {}).get("ratio"),
        "coldstart_vs_imports": ratio(cold.get("alur_validate"), cold.get("bare_imports")),
        "coldstart_vs_imports_cpu": ratio((cold.get("cpu_ms") or {}).get("alur_validate"),
                                          (cold.get("cpu_ms") or {}).get("bare_imports")),
    }


def _across_runs(per_run: list[dict[str, float | None]]
                 ) -> tuple[dict[str, float | None], dict[str, list[float] | None]]:
    """Per key, the median of the runs' values and their range ([min, max]); None where no run
    measured it."""
    keys: dict[str, float | None] = {}
    spread: dict[str, list[float] | None] = {}
    for key in per_run[0]:
        values = [v for v in (r[key] for r in per_run) if v is not None]
        keys[key] = median(values) if values else None
        spread[key] = [min(values), max(values)] if values else None
    return keys, spread


# --- profiles of the workloads behind the targets -------------------------------------------

def run_profiles(cfg: Config, workdir: str, chosen: list[str]) -> dict[str, Any]:
    """Own-time shares (bench/profiles.py) of alur's in-memory runtime on linear10 and of alur
    and eventsourcing on SQLite FULL, each run once under cProfile after the timed runs."""
    from bench import peers
    from bench.profiles import profile
    from engine.api import Engine

    out: dict[str, Any] = {}
    if "exec" in chosen:
        engine, _, ctx = workloads.alur_context(LINEAR)
        plan = workloads.plan_for(ctx.proc)
        run = workloads.alur_runtime(ctx, plan)
        run(2)  # caches and the year's holidays are paid before profiling, as when timing
        out["exec_alur_runtime"] = profile(run, 20 if cfg.quick else 1500)
        engine.close()
    if "persist" in chosen:
        engine = Engine(f"sqlite:///{os.path.join(workdir, 'profile-full.db')}"
                        "?synchronous=FULL", clock=_clock)
        digest = engine.register(LINEAR)
        plan = workloads.plan_for(engine.procedure(digest))
        run = _alur_cases(engine, digest, plan, "prof", _Counter())
        run(2)
        out["persist_alur_sqlite_full"] = profile(run, 5 if cfg.quick else 200)
        engine.close()
        if not _missing("eventsourcing"):
            es_run, close = peers.eventsourcing_sqlite(
                plan, os.path.join(workdir, "profile-eventsourcing-full.db"), "FULL")
            try:
                es_run(2)
                out["persist_eventsourcing_sqlite_full"] = profile(es_run,
                                                                   5 if cfg.quick else 200)
            finally:
                close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run (seconds)")
    parser.add_argument("--out", default=os.path.join(BENCH, "results", "latest.json"),
                        help="where to write the JSON results (default: %(default)s)")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help="comma-separated subset of: " + ", ".join(SECTIONS))
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--only", default=",".join(PERSIST_GROUPS),
                        help="the persisted workloads measured, a comma-separated subset of: "
                             + ", ".join(PERSIST_GROUPS) + " (an A/B of one store)")
    parser.add_argument("--workdir", default=None,
                        help="where temporary stores go (default: a new temporary folder)")
    parser.add_argument("--runs", type=int, default=None,
                        help="how many times every section runs; targets are judged on the "
                             "median of the runs (default: 3, 1 with --quick)")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    runs = args.runs if args.runs is not None else (1 if args.quick else 3)
    if runs < 1:
        parser.error("--runs must be at least 1")
    chosen = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    only = tuple(g.strip() for g in args.only.split(",") if g.strip())
    if not only or set(only) - set(PERSIST_GROUPS):
        parser.error(f"--only takes a subset of: {', '.join(PERSIST_GROUPS)}")
    os.chdir(ROOT)
    started = time.perf_counter()
    load_at_start = loadavg()
    notes: list[str] = []
    workdir = tempfile.mkdtemp(prefix="alur-bench-", dir=args.workdir)
    pg_url, why = pg_base_url(not args.no_pg) if {"persist", "concurrency"} & set(chosen) \
        else (None, "")
    if pg_url is None and why:
        notes.append(f"postgres: {why}")
    results: dict[str, Any] = {}
    per_run: list[dict[str, float | None]] = []
    seeded: dict[str, Any] = {}  # the scale section seeds its stores once, in the first run
    try:
        for run in range(1, runs + 1):
            rundir = os.path.join(workdir, f"run-{run}")
            os.makedirs(rundir)
            for section in SECTIONS:
                if section not in chosen:
                    results[section] = None
                    continue
                print(f"[bench] run {run} of {runs}: {section}", file=sys.stderr, flush=True)
                if section == "exec":
                    results[section] = run_exec(cfg, notes)
                elif section == "persist":
                    results[section] = run_persist(cfg, rundir, pg_url, notes, only)
                elif section == "validate":
                    results[section] = run_validate(cfg)
                elif section == "scale":
                    results[section] = run_scale(cfg, workdir, notes, seeded)
                elif section == "concurrency":
                    results[section] = run_concurrency(cfg, rundir, pg_url)
                elif section == "coldstart":
                    results[section] = run_coldstart(cfg)
                elif section == "http":
                    from bench.over_http import run_http

                    results[section] = run_http(rundir, 1.5 if cfg.quick else 8.0)
            per_run.append(headline(results))
            shutil.rmtree(rundir, ignore_errors=True)
        print("[bench] profiles", file=sys.stderr, flush=True)
        profiled = run_profiles(cfg, workdir, chosen)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    notes[:] = list(dict.fromkeys(notes))  # a skip is said once, not once per run
    keys, spread = _across_runs(per_run)
    facts = machine()
    facts["loadavg_at_start"] = load_at_start
    facts["loadavg_at_end"] = loadavg()
    facts["driver_rss_mib"] = round(rss_mib(), 1)
    if pg_url:
        with contextlib.suppress(Exception):
            facts["postgres"] = pg_settings(pg_url)
    document = {
        **keys,
        "targets": {key: {"value": keys[key], "comparison": comparison, "bound": bound,
                          "met": _judge(keys[key], comparison, bound), "what": what,
                          "runs": [r[key] for r in per_run], "spread": spread[key]}
                    for key, comparison, bound, what in TARGETS},
        "runs": per_run,
        "spread": spread,
        "quick": cfg.quick,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - started, 1),
        "machine": facts,
        "versions": versions(),
        "config": {**cfg.__dict__, "runs": runs},
        "notes": notes,
        **{section: results[section] for section in SECTIONS},
        "profiles": profiled,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(document, fh, indent=2, sort_keys=False)
        fh.write("\n")
    print(f"bench: wrote {args.out} in {document['duration_s']} s", file=sys.stderr)
    for key, comparison, bound, _ in TARGETS:
        value = keys[key]
        shown = "n/a" if value is None else f"{value:.3g}"
        verdict = {True: "met", False: "MISSED", None: "not measured"}[
            _judge(value, comparison, bound)]
        low_high = spread[key]
        ranged = "" if low_high is None else f"  (runs {low_high[0]:.3g}-{low_high[1]:.3g})"
        print(f"  {key:38s} {shown:>8s}  target {comparison} {bound:g}  {verdict}{ranged}",
              file=sys.stderr)
    for note in notes:
        print(f"  note: {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
