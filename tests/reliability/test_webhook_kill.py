"""No webhook is lost when a delivering worker dies: a worker process sending the outbox is
killed with SIGKILL while receivers are answering, and a new one takes over once the dead
worker's claims run out. Afterwards every (event, subscription) row is delivered, the receiver
has every stored event at least once (the ones in flight at the kill come twice, with the same
``X-Alur-Event-Id``), and each case's events first arrived in their order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from engine.api import Engine
from engine.cases.commands import CompleteStep
from engine.service.webhooks import Backoff, Deliverer
from engine.store import open_store
from engine.store.outbox import open_outbox
from tests.runtime_support import BACKENDS, make_database

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
CASES = 12
LEASE = 1.5
WORKER = """
import sys, time
from engine.api import Engine
from engine.service.webhooks import Backoff, Deliverer
from engine.store import open_store
from engine.store.outbox import open_outbox

url = sys.argv[1]
store = open_store(url)
deliverer = Deliverer(Engine(store), open_outbox(url, store), timeout=2.0, batch=4,
                      lease=float(sys.argv[2]), backoff=Backoff(base=0.01, cap=0.05))
print("ready", flush=True)
while True:
    if not deliverer.tick():
        time.sleep(0.02)
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_worker_killed_mid_delivery_loses_no_webhook(backend: str, tmp_path: Path,
                                                       procedures_env: Path) -> None:
    got: list[tuple[str, dict[str, object]]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                got.append((self.headers["X-Alur-Event-Id"], json.loads(body)))
            time.sleep(0.02)  # slow enough that the kill finds a delivery in flight
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with make_database(backend, tmp_path) as db:
        store = open_store(db.url)
        outbox = open_outbox(db.url, store)
        try:
            outbox.add(f"http://127.0.0.1:{server.server_address[1]}/hook")
            engine = Engine(store)
            for _ in range(CASES):
                case_id = engine.open_case("sapa", user="ani", role="pelapor",
                                           facts={"contacted_sapa": True}).case.case_id
                engine.execute(CompleteStep(user="ani", role="pelapor", case_id=case_id,
                                            step="menghubungi_sapa"))
            stored = {e.hash: e for s in engine.cases() for e in engine.events(s.case_id)}
            worker = subprocess.Popen([sys.executable, "-c", WORKER, db.url, str(LEASE)],
                                      cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                      stdout=subprocess.PIPE)
            try:
                assert worker.stdout is not None and worker.stdout.readline() == b"ready\n"
                until = time.monotonic() + 60
                while len(got) < len(stored) // 3:  # a third sent: kill it mid-flight
                    assert time.monotonic() < until and worker.poll() is None
                    time.sleep(0.005)
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
            finally:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
                if worker.stdout is not None:
                    worker.stdout.close()
            assert outbox.counts()["pending"] > 0  # the kill left work behind
            time.sleep(LEASE)  # the dead worker's claims run out
            heir = Deliverer(Engine(store), outbox, timeout=2.0, lease=LEASE,
                             backoff=Backoff(base=0.01, cap=0.05))
            until = time.monotonic() + 120
            while outbox.counts()["pending"]:
                assert time.monotonic() < until, outbox.counts()
                if not heir.tick():
                    time.sleep(0.02)
            assert outbox.counts() == {"pending": 0, "delivered": len(stored), "dead": 0}
        finally:
            outbox.close()
            store.close()
            server.shutdown()
            server.server_close()
    first: dict[str, dict[str, object]] = {}
    for event_id, body in got:
        first.setdefault(event_id, body)
    assert set(first) == set(stored)  # every event at least once, nothing unknown
    for case_id in {e.case_id for e in stored.values()}:
        seqs = [b["seq"] for b in first.values() if b["case_id"] == case_id]
        assert seqs == sorted(seqs)
