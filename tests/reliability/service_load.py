"""The load and fault harness of ``alur serve``: worker processes on one PostgreSQL store,
clients driving commands over HTTP on loopback, one worker killed with SIGKILL mid-load and
started again, and the checks afterwards.

Every command sets the whole-number fact ``jumlah`` of a case to a value no other command uses,
so each command can be found in the store afterwards. A client retries a command whose answer
it did not get (a connection cut by the kill, a 409 conflict on a busy case, a 503) with the
same ``Idempotency-Key``, on the other worker; a command whose key the killed worker had
claimed stays "unknown" (409 ``svc.idempotency_pending``): it may or may not have landed.

Afterwards: every command answered 2xx is in the store exactly once, an unknown one at most
once, no value twice; every case's events are numbered 1..n with no gap or duplicate; every
chain verifies; each case seeded with a passed deadline carries exactly one breach, recorded by
the workers' own sweeps while the load ran (one worker killed among them).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.api import Engine
from engine.service.auth import hash_password
from engine.store.accounts import open_accounts
from tests.reliability.procs import uji_file

ALUR = Path(sys.executable).parent / "alur"
ROOT = Path(__file__).resolve().parents[2]
AGENCY = "Dinas Uji"  # as the uji procedure names it
NETWORK_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One client's keep-alive connections, one per worker (standard library only)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.connections: dict[int, http.client.HTTPConnection] = {}

    def post(self, port: int, path: str, body: dict[str, Any],
             headers: dict[str, str]) -> Answer:
        connection = self.connections.get(port)
        if connection is None:
            connection = self.connections[port] = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", path, body=json.dumps(body), headers={
                "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                **headers})
            raw = connection.getresponse()
            return Answer(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
        except NETWORK_ERRORS:
            connection.close()
            del self.connections[port]
            raise

    def close(self) -> None:
        for connection in self.connections.values():
            connection.close()


def _ready(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/readyz")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except NETWORK_ERRORS:
        return False


@dataclass
class Plan:
    workers: int = 2
    clients: int = 16
    commands: int = 5000
    cases: int = 200  # cases opened by the clients (besides the shared one)
    shared_share: float = 0.2  # share of commands on the one shared case
    seeded: int = 20  # cases opened in the past: their deadline has passed
    kill_at: float = 0.4  # share of the commands done when a worker is killed
    time_limit: float = 170.0


@dataclass
class Tally:
    ok: dict[int, str] = field(default_factory=dict)  # value -> case of a 2xx command
    unknown: dict[int, str] = field(default_factory=dict)
    failed: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self) -> int:
        return len(self.ok) + len(self.unknown) + sum(self.failed.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Worker:
    """One ``alur serve`` process on its own port (so one can be killed and restarted)."""

    def __init__(self, url: str, log: Path) -> None:
        self.url, self.log = url, log
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "ALUR_DB": self.url}
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(ALUR), "serve", "--db", self.url, "--port", str(self.port),
                 "--sweep-interval", "0.5"], cwd=ROOT, env=env, stdout=out,
                stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _ready(self.port):
                return
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError("alur serve exited: " + self.log.read_text()[-2000:])
            time.sleep(0.2)
        raise AssertionError("alur serve did not start: " + self.log.read_text()[-2000:])

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)


def prepare(url: str, folder: Path, plan: Plan) -> tuple[str, str, list[str]]:
    """Register the procedure, add the user and a token, open the shared case and the cases
    whose deadline has passed (opened with a clock a month back). Returns the procedure's hash,
    the token and the seeded case ids."""
    path = uji_file(folder)
    past = datetime(2026, 11, 2, 2, tzinfo=UTC)
    with Engine(url, clock=lambda: past) as engine:
        digest = engine.register(path)
        seeded = [engine.open_case(digest, user="beban", role="petugas",
                                   case_id=f"lewat-{n}").case.case_id
                  for n in range(plan.seeded)]
        # the shared case is opened then too: its breach lands while the load is on it
        seeded.append(engine.open_case(digest, user="beban", role="petugas",
                                       case_id="bersama").case.case_id)
        accounts = open_accounts(url, engine.store)
        try:
            accounts.add_user("beban", hash_password("beban"), frozenset({"petugas"}), AGENCY)
            _, secret = accounts.add_token("beban", "load", frozenset({"read", "write"}))
        finally:
            accounts.close()
    return digest, secret, seeded


def _post(client: Client, workers: list[Worker], first: int, path: str,
          body: dict[str, Any], key: str | None, tally: Tally) -> tuple[str, Any]:
    """Send until answered: ("ok", answer), ("unknown", None) or ("failed:<why>", None)."""
    pending = 0
    for attempt in range(200):
        worker = workers[(first + attempt) % len(workers)]
        headers = {"Idempotency-Key": key} if key else {}
        started = time.perf_counter()
        try:
            answer = client.post(worker.port, path, body, headers)
        except NETWORK_ERRORS:
            with tally.lock:
                tally.retries["network"] += 1
            time.sleep(0.05)
            continue
        took = time.perf_counter() - started
        if answer.is_success:
            with tally.lock:
                tally.latencies.append(took)
            return "ok", answer
        code = answer.json().get("code", "") if answer.headers.get(
            "content-type", "").startswith("application/problem+json") else ""
        if answer.status == 409 and code == "svc.idempotency_pending":
            pending += 1
            with tally.lock:
                tally.retries["pending"] += 1
            if pending >= 20:  # its worker was killed holding the key: outcome unknown
                return "unknown", None
            time.sleep(0.1)
            continue
        if answer.status in (409, 503) and code in ("CONFLICT", "", "STORE"):
            with tally.lock:
                tally.retries[f"{answer.status}:{code or '-'}"] += 1
            time.sleep(random.uniform(0.0, 0.02))
            continue
        return f"failed:{answer.status}:{code}", None
    return "failed:gave-up", None


def drive(workers: list[Worker], token: str, digest: str, plan: Plan, tally: Tally,
          client_no: int, quota: int) -> None:
    rng = random.Random(client_no)
    own: list[str] = []
    client = Client(token)
    try:
        for n in range(quota):
            if time.monotonic() > DEADLINE[0]:
                return
            if len(own) < plan.cases // plan.clients + 1 and (not own or rng.random() < 0.1):
                case_id = f"c{client_no}-{len(own)}"
                result, _ = _post(client, workers, client_no, "/api/v1/cases",
                                  {"procedure": "uji_input", "role": "petugas",
                                   "case_id": case_id}, None, tally)
                # guard.exists: the attempt whose answer the kill cut off opened it
                if result == "ok" or result == "failed:409:REFUSED":
                    own.append(case_id)
                    with tally.lock:
                        tally.opened.append(case_id)
                else:
                    with tally.lock:
                        tally.failed[f"open {result}"] += 1
                if not own:
                    continue
            case_id = "bersama" if rng.random() < plan.shared_share else rng.choice(own)
            value = client_no * 1_000_000 + n
            result, _ = _post(client, workers, client_no + n, f"/api/v1/cases/{case_id}/commands",
                              {"command": "set_fact", "role": "petugas", "name": "jumlah",
                               "value": value}, f"k{client_no}-{n}", tally)
            with tally.lock:
                if result == "ok":
                    tally.ok[value] = case_id
                elif result == "unknown":
                    tally.unknown[value] = case_id
                else:
                    tally.failed[result] += 1
    finally:
        client.close()


DEADLINE = [0.0]


@contextlib.contextmanager
def running(url: str, folder: Path, count: int) -> Iterator[list[Worker]]:
    workers = [Worker(url, folder / f"worker-{n}.log") for n in range(count)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.wait_ready()
        yield workers
    finally:
        for worker in workers:
            worker.stop()


def run(url: str, folder: Path, plan: Plan) -> dict[str, Any]:
    """The whole run; returns its figures (and raises AssertionError on any check)."""
    digest, token, seeded = prepare(url, folder, plan)
    tally = Tally()
    started = time.monotonic()
    DEADLINE[0] = started + plan.time_limit
    kills = 0
    restart_took = 0.0
    with running(url, folder, plan.workers) as workers:
        quota = plan.commands // plan.clients + 1
        threads = [threading.Thread(target=drive, args=(workers, token, digest, plan, tally,
                                                        n, quota), daemon=True)
                   for n in range(plan.clients)]
        for thread in threads:
            thread.start()
        while tally.done() < plan.commands * plan.kill_at and any(
                t.is_alive() for t in threads):
            time.sleep(0.05)
        victim = workers[0]
        victim.kill()
        kills += 1
        killed_at = time.monotonic()
        time.sleep(0.5)  # the clients find it gone and retry on the other worker
        victim.start()
        victim.wait_ready()
        restart_took = time.monotonic() - killed_at
        for thread in threads:
            thread.join(timeout=max(1.0, DEADLINE[0] - time.monotonic() + 30))
        load_took = time.monotonic() - started
        # the sweeps go on: wait until every seeded case carries its breach
        with Engine(url) as engine:
            for _ in range(200):
                if all(any(e.type == "deadline_breached" for e in engine.store.events(c))
                       for c in seeded):
                    break
                time.sleep(0.1)
    figures = check(url, tally, seeded)
    latencies = sorted(tally.latencies)
    figures.update({
        "workers": plan.workers, "clients": plan.clients, "kills": kills,
        "commands_answered_2xx": len(tally.ok), "commands_unknown": len(tally.unknown),
        "commands_failed": dict(tally.failed), "retries": dict(tally.retries),
        "cases_opened": len(tally.opened), "load_seconds": round(load_took, 1),
        "restart_seconds": round(restart_took, 1),
        "commands_per_second": round(len(tally.ok) / load_took, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 1) if latencies
        else None})
    return figures


def check(url: str, tally: Tally, seeded: list[str]) -> dict[str, Any]:
    with Engine(url) as engine:
        seen: Counter[int] = Counter()
        where: dict[int, str] = {}
        events = 0
        by_case: dict[str, list[int]] = {}
        breaches: Counter[str] = Counter()
        for event in engine.store.all_events():
            events += 1
            by_case.setdefault(event.case_id, []).append(event.seq)
            if event.type == "fact_set" and event.payload.get("name") == "jumlah":
                seen[event.payload["value"]] += 1
                where[event.payload["value"]] = event.case_id
            if event.type == "deadline_breached":
                breaches[f"{event.case_id} {event.payload.get('target', 'case')}"] += 1
        problems = engine.verify()
    missing = [v for v in tally.ok if seen[v] != 1]
    assert not missing, f"2xx commands not in the store exactly once: {missing[:10]}"
    assert all(where[v] == c for v, c in tally.ok.items()), "a command landed on another case"
    assert all(seen[v] <= 1 for v in tally.unknown), "an unknown command landed twice"
    twice = [v for v, n in seen.items() if n > 1]
    assert not twice, f"commands in the store twice: {twice[:10]}"
    strays = set(seen) - set(tally.ok) - set(tally.unknown)
    assert not strays, f"commands in the store nobody sent or got an answer for: {strays}"
    gaps = [c for c, seqs in by_case.items() if sorted(seqs) != list(range(1, len(seqs) + 1))]
    assert not gaps, f"cases whose events are not numbered 1..n: {gaps[:10]}"
    assert problems == [], problems[:5]
    for case_id in seeded:
        assert breaches[f"{case_id} case"] == 1, (case_id, breaches)
    assert sum(breaches.values()) == len(seeded), breaches
    return {"events": events, "cases": len(by_case), "breaches": sum(breaches.values()),
            "unknown_landed": sum(seen[v] for v in tally.unknown)}
