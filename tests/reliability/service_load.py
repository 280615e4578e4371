"""The load and fault harness of ``alur serve``: worker processes on one PostgreSQL store,
clients driving commands over HTTP on loopback, one worker killed with SIGKILL mid-load and
started again, and the checks afterwards.

Every command sets the whole-number fact ``jumlah`` of a case to a value no other command uses,
so each command can be found in the store afterwards. A client retries a command whose answer
it did not get (a connection cut by the kill, a 409 conflict on a busy case, a 503) with the
same ``Idempotency-Key``, on the other worker; a command whose key the killed worker had
claimed stays "unknown" (409 ``svc.idempotency_pending``): it may or may not have landed.

A webhook subscription to a local :class:`Receiver` is active from the start: the workers
deliver the outbox while the load runs and through the kill (a killed worker's claims run out
after ``--webhook-lease``), and the receiver answers the first attempt of about one event in
ten with ``503``, so retries with backoff run too.

Afterwards: every command answered 2xx is in the store exactly once, an unknown one at most
once, no value twice; every case's events are numbered 1..n with no gap or duplicate; every
chain verifies; each case seeded with a passed deadline carries exactly one breach, recorded by
the workers' own sweeps while the load ran (one worker killed among them). And no webhook is
lost: every stored event has exactly one outbox row and no row lacks its event, every row ends
delivered or dead-lettered, every row marked delivered reached the receiver, and the receiver
got nothing but stored events (same case and number), each correctly signed.
"""

from __future__ import annotations

import contextlib
import hashlib
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from engine.api import Engine
from engine.service.auth import hash_password
from engine.service.webhooks import verify
from engine.store.accounts import open_accounts
from engine.store.outbox import open_outbox
from tests.reliability.procs import uji_file

ALUR = Path(sys.executable).parent / "alur"
ROOT = Path(__file__).resolve().parents[2]
AGENCY = "Dinas Uji"  # as the uji procedure names it
NETWORK_ERRORS = (OSError, http.client.HTTPException)
# how long a worker's claim on webhook rows holds (``--webhook-lease``): the rows the killed
# worker had claimed are sent again by the other worker after it
LEASE = 15.0  # longer than a batch of 20 takes on a loaded machine: no thrashing


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
    drain_limit: float = 300.0  # seconds the outbox may take to drain after the load


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


class Receiver:
    """A webhook receiver on loopback: records each delivery (event id, case, number, whether
    the signature verifies) and answers ``503`` to the first attempt of the events whose id's
    first byte of SHA-256 is a multiple of ten (about one in ten, the same on every run)."""

    secret = "whsec_beban_" + "0123456789abcdef"

    def __init__(self) -> None:
        self.got: list[tuple[str, str, int, bool]] = []
        self.refused = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                event_id = self.headers.get("X-Alur-Event-Id", "")
                if (self.headers.get("X-Alur-Attempt") == "1"
                        and hashlib.sha256(event_id.encode()).digest()[0] % 10 == 0):
                    with receiver.lock:
                        receiver.refused += 1
                    self.send_response(503)
                else:
                    sent = json.loads(body)
                    signed = verify(receiver.secret, body,
                                    self.headers.get("X-Alur-Signature", ""))
                    with receiver.lock:
                        receiver.got.append((event_id, str(sent["case_id"]), int(sent["seq"]),
                                             signed))
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:  # quiet: the figures say what happened
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alur"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


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
                 "--sweep-interval", "0.5", "--webhook-interval", "0.2",
                 "--webhook-lease", str(LEASE)], cwd=ROOT, env=env, stdout=out,
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


def prepare(url: str, folder: Path, plan: Plan,
            receiver: Receiver) -> tuple[str, str, list[str]]:
    """Subscribe the receiver to every event, register the procedure, add the user and a
    token, open the shared case and the cases whose deadline has passed (opened with a clock a
    month back). Returns the procedure's hash, the token and the seeded case ids."""
    path = uji_file(folder)
    past = datetime(2026, 11, 2, 2, tzinfo=UTC)
    with Engine(url, clock=lambda: past) as engine:
        outbox = open_outbox(url, engine.store)
        try:  # first: every event of the run goes to it
            outbox.add(receiver.url, secret=receiver.secret)
        finally:
            outbox.close()
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
    with Receiver() as receiver:
        return _run(url, folder, plan, receiver)


def _run(url: str, folder: Path, plan: Plan, receiver: Receiver) -> dict[str, Any]:
    digest, token, seeded = prepare(url, folder, plan, receiver)
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
            # and the deliveries: the killed worker's claims run out, refused rows come due
            outbox = open_outbox(url, engine.store)
            try:
                drain_started = time.monotonic()
                backlog = outbox.counts()["pending"]
                while (outbox.counts()["pending"]
                       and time.monotonic() - drain_started < plan.drain_limit):
                    time.sleep(0.2)
                drain_took = time.monotonic() - drain_started
            finally:
                outbox.close()
    figures = check(url, tally, seeded)
    figures.update(check_webhooks(url, receiver))
    figures["webhook_backlog_after_load"] = backlog
    figures["webhook_drain_seconds"] = round(drain_took, 1)
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


def check_webhooks(url: str, receiver: Receiver) -> dict[str, Any]:
    """No webhook lost, none made up: one outbox row per stored event (the one subscription
    wants them all) and no row without its event; every row delivered or dead-lettered; every
    delivered row received; nothing received that is not a stored event, or badly signed."""
    with Engine(url) as engine:
        outbox = open_outbox(url, engine.store)
        try:
            rows = outbox.rows()
        finally:
            outbox.close()
        stored = {e.hash: (e.case_id, e.seq) for e in engine.store.all_events()}
    per_event = Counter((r.case_id, r.seq) for r in rows)
    assert set(per_event) == set(stored.values()), (
        f"events without an outbox row: {sorted(set(stored.values()) - set(per_event))[:5]}; "
        f"rows without an event: {sorted(set(per_event) - set(stored.values()))[:5]}")
    assert all(n == 1 for n in per_event.values()), "an event with two rows for one subscription"
    stuck = [(r.id, r.state, r.attempts, r.last_error) for r in rows
             if r.state not in ("delivered", "dead")]
    assert not stuck, f"outbox rows neither delivered nor dead-lettered: {stuck[:5]}"
    with receiver.lock:
        got = list(receiver.got)
        refused = receiver.refused
    strays = [g for g in got if stored.get(g[0]) != (g[1], g[2])]
    assert not strays, f"deliveries of events not in the store: {strays[:5]}"
    assert all(g[3] for g in got), "a delivery whose signature does not verify"
    received = {(case_id, seq) for _, case_id, seq, _ in got}
    unsent = [(r.case_id, r.seq) for r in rows if r.state == "delivered"
              and (r.case_id, r.seq) not in received]
    assert not unsent, f"rows marked delivered the receiver never got: {unsent[:5]}"
    return {"webhook_rows": len(rows),
            "webhooks_delivered": sum(r.state == "delivered" for r in rows),
            "webhooks_dead": sum(r.state == "dead" for r in rows),
            "webhook_posts_received": len(got),
            "webhook_posts_refused_503": refused,
            "webhook_events_received_twice": len(got) - len({g[0] for g in got})}
