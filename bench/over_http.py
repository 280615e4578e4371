"""Section 7 of the benchmark: commands over HTTP (``alur serve``) against the in-process Engine
on the same kind of store.

The service runs as a real ``alur serve`` process (2 uvicorn workers) on a SQLite file at
``synchronous=NORMAL``; 8 client threads, each on one kept-alive connection, run whole
``linear10`` cases (open + 10 steps, every command a ``POST``), for a fixed time. The in-process
peer is one :class:`~engine.api.Engine` in this process running the same cases on a fresh file
of the same settings. Reported: commands/s of each, their ratio, and the p50/p99 latency of an
HTTP command.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any

from bench.common import LINEAR

CLIENTS = 8


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(url: str) -> tuple[str, str]:
    """The procedure registered in the store, and an API token of a user holding its role."""
    from engine.api import Engine
    from engine.service.auth import hash_password
    from engine.store.accounts import open_accounts

    with Engine(url) as engine:
        digest = engine.register(LINEAR)
        accounts = open_accounts(url, engine.store)
        try:
            accounts.add_user("bench", hash_password("bench"), frozenset({"petugas"}),
                              engine.procedure(digest).agency.name)  # cases are the agency's
            _, secret = accounts.add_token("bench", "bench", frozenset({"read", "write"}))
        finally:
            accounts.close()
    return digest, secret


class _Connection:
    """One kept-alive HTTP/1.1 connection on a raw socket, as cheap as a load tool's: requests
    are bytes made once per case, an answer is read by its ``Content-Length``, and only the
    opening command's answer is parsed (for the case id). The ratio is about the server, and
    the clients share its two cores."""

    def __init__(self, port: int, token: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.head = (f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
                     "Content-Type: application/json\r\n").encode()
        self.buffer = b""

    def request(self, path: str, body: dict[str, Any]) -> bytes:
        data = json.dumps(body).encode()
        return (f"POST {path} HTTP/1.1\r\n".encode() + self.head
                + f"Content-Length: {len(data)}\r\n\r\n".encode() + data)

    def send(self, request: bytes) -> tuple[int, bytes]:
        """The answer's status and body."""
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._more()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in lines[1:]
                      if line[:15].lower() == b"content-length:")
        while len(rest) < length:
            rest += self._more()
        self.buffer = rest[length:]
        return int(lines[0].split(b" ", 2)[1]), rest[:length]

    def _more(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


def _client(port: int, token: str, digest: str, steps: list[str], until: float,
            latencies: list[float], counts: list[int], errors: list[str]) -> None:
    clock = time.perf_counter

    def post(conn: _Connection, request: bytes) -> bytes:
        started = clock()
        status, data = conn.send(request)
        latencies.append(clock() - started)
        if status >= 400:
            raise RuntimeError(f"{status} {data[:300]!r}")
        counts[0] += 1
        return data

    conn: _Connection | None = None
    try:
        conn = _Connection(port, token)
        opening = conn.request("/api/v1/cases", {"procedure": digest, "role": "petugas"})
        while clock() < until:
            case_id = json.loads(post(conn, opening))["case"]["case_id"]
            for request in [conn.request(f"/api/v1/cases/{case_id}/commands",
                                         {"command": "complete_step", "role": "petugas",
                                          "step": step}) for step in steps]:
                post(conn, request)
    except Exception as exc:  # reported by the driver: the figure is then not taken
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        if conn is not None:
            conn.close()


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its descendants (the
    uvicorn workers), read from /proc (Linux)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while the folder was read
            continue
        parents[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime, stime
    tree, frontier = {pid}, [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def _inprocess(url: str, seconds: float) -> tuple[float, int]:
    from engine.api import Engine
    from engine.cases.commands import CompleteStep

    count = 0
    with Engine(url) as engine:
        digest = engine.register(LINEAR)
        steps = [s.id for s in engine.procedure(digest).steps]
        until = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < until:
            case = engine.open_case(digest, user="bench", role="petugas").case
            count += 1
            for step in steps:
                engine.execute(CompleteStep(user="bench", role="petugas",
                                            case_id=case.case_id, step=step))
                count += 1
        return count / (time.perf_counter() - started), count


def run_http(workdir: str, seconds: float) -> dict[str, Any]:
    """commands/s over HTTP with :data:`CLIENTS` clients, in process, and the latencies."""
    served = f"sqlite:///{os.path.join(workdir, 'http.db')}?synchronous=NORMAL"
    digest, token = _prepare(served)

    port = _free_port()
    alur = os.path.join(os.path.dirname(sys.executable), "alur")
    proc = subprocess.Popen([alur, "serve", "--db", served, "--port", str(port), "--workers",
                             "2", "--sweep-interval", "0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        ready = time.monotonic() + 120  # a loaded machine imports slowly
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > ready or proc.poll() is not None:
                    raise RuntimeError("alur serve did not answer /readyz") from None
                time.sleep(0.1)
        steps = [f"langkah_{i:02d}" for i in range(1, 11)]
        latencies: list[float] = []
        counts = [0]
        errors: list[str] = []
        started = time.perf_counter()
        # CPU time of the server's processes and of this one (the client threads) over the
        # clients' run: with the in-process CPU time, a bound on the ratio that the machine's
        # cores set, whatever else the machine is doing
        server_cpu = _tree_cpu(proc.pid)
        client_cpu = time.process_time()
        until = started + seconds
        threads = [threading.Thread(target=_client, args=(port, token, digest, steps, until,
                                                          latencies, counts, errors))
                   for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        http_rate = counts[0] / (time.perf_counter() - started)
        client_cpu = time.process_time() - client_cpu
        server_cpu = _tree_cpu(proc.pid) - server_cpu
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if errors:
        raise RuntimeError(f"http clients failed: {errors[0]}")
    local_cpu = time.process_time()
    local, local_count = _inprocess(
        f"sqlite:///{os.path.join(workdir, 'inprocess.db')}?synchronous=NORMAL", seconds)
    local_cpu = time.process_time() - local_cpu
    ordered = sorted(latencies)
    return {"clients": CLIENTS, "server_workers": 2, "store": "SQLite WAL, synchronous=NORMAL",
            "http": http_rate, "inprocess": local, "ratio": http_rate / local,
            "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            "requests": len(ordered),
            "cpu_ms": {"server": server_cpu * 1000 / max(len(ordered), 1),
                       "clients": client_cpu * 1000 / max(len(ordered), 1),
                       "inprocess": local_cpu * 1000 / max(local_count, 1)},
            "cores": os.cpu_count()}
