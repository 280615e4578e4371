"""Webhooks through the transactional outbox, against a real HTTP receiver on loopback: rows
written with their events or not at all, delivery that survives a 500 and a timeout (at least
once, signed, in order per case), dead letters and ``retry``, masking, the API, the CLI and
the metrics. SQLite and PostgreSQL (and the memory store where it has something to say)."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from engine.api import Engine
from engine.cases.privacy import MASK
from engine.cli.app import main
from engine.errors import StoreError
from engine.service.app import Service, create_app
from engine.service.auth import hash_password
from engine.service.webhooks import Backoff, Deliverer, WebhookMetrics, sign, verify
from engine.store import open_store
from engine.store.outbox import open_outbox
from tests.runtime_support import BACKENDS, CHILD_VICTIM, PARTIES, make_database, open_mediasi

API = "/api/v1"
SUBS = f"{API}/webhooks/subscriptions"
SECRET = "rahasia-penerima-0123456789"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class Receiver:
    """A webhook receiver on loopback. ``script``: what the next requests get, in turn
    (an HTTP status, or ``"slow"``: answer 200 only after the sender has given up); once it
    runs out, every request gets ``then``."""

    url: str = ""
    script: list[int | str] = field(default_factory=list)
    then: int = 200
    got: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self) -> int | str:
        with self.lock:
            return self.script.pop(0) if self.script else self.then

    def delivered(self) -> list[dict[str, Any]]:
        """Bodies answered 2xx, de-duplicated by event id as a receiver would, in the order
        they arrived."""
        seen: set[str] = set()
        out = []
        for got in self.got:
            if got.answered == 200 and got.headers["X-Alur-Event-Id"] not in seen:
                seen.add(got.headers["X-Alur-Event-Id"])
                out.append(json.loads(got.body))
        return out


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    held = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            what = held.answer()
            status = 200 if what == "slow" else int(what)
            with held.lock:  # taken in, as a receiver that then answers too late would
                held.got.append(Received(dict(self.headers), body, status))
            if what == "slow":
                time.sleep(1.5)  # the sender's timeout (0.5 s) runs out first
            try:
                self.send_response(status)
                self.end_headers()
            except OSError:  # the sender hung up
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    held.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield held
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path, procedures_env: Path) -> Iterator[str]:
    with make_database(request.param, tmp_path) as db:
        yield db.url


def _deliverer(engine: Engine, outbox: Any, **kwargs: Any) -> Deliverer:
    kwargs.setdefault("timeout", 5.0)
    kwargs.setdefault("backoff", Backoff(base=0.01, cap=0.05))
    return Deliverer(engine, outbox, **kwargs)


def _drain(deliverer: Deliverer, done: Callable[[], bool], seconds: float = 30.0) -> None:
    until = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < until, "the outbox was not drained in time"
        if not deliverer.tick():
            time.sleep(0.02)


def _sapa_step(engine: Engine, case_id: str) -> None:
    from engine.cases.commands import CompleteStep

    engine.execute(CompleteStep(user="ani", role="pelapor", case_id=case_id,
                                step="menghubungi_sapa"))


def test_delivery_survives_a_500_and_a_timeout_signed_and_in_order_per_case(
        url: str, receiver: Receiver) -> None:
    store = open_store(url)
    outbox = open_outbox(url, store)
    try:
        sub = outbox.add(receiver.url, procedure_id="sapa", secret=SECRET)
        engine = Engine(store)
        cases = [engine.open_case("sapa", user="ani", role="pelapor",
                                  facts={"contacted_sapa": True}).case.case_id for _ in range(2)]
        for case_id in cases:
            _sapa_step(engine, case_id)
        stored = {(e.case_id, e.seq): e for c in cases for e in engine.events(c)}
        # the first attempt gets a 500, the second times out (the receiver takes it late)
        receiver.script = [500, "slow"]
        from prometheus_client import CollectorRegistry, generate_latest

        registry = CollectorRegistry()
        metrics = WebhookMetrics(registry, outbox)
        deliverer = _deliverer(engine, outbox, metrics=metrics, timeout=0.5)
        _drain(deliverer, lambda: outbox.counts()["pending"] == 0)
        assert outbox.counts() == {"pending": 0, "delivered": len(stored), "dead": 0}
        delivered = receiver.delivered()
        # every event at least once: exactly the stored ones, whatever was sent twice
        assert {(b["case_id"], b["seq"]) for b in delivered} == set(stored)
        assert len(receiver.got) >= len(stored) + 2  # the 500 and the late one came again
        for case_id in cases:  # each case's events arrive in their order
            seqs = [b["seq"] for b in delivered if b["case_id"] == case_id]
            assert seqs == sorted(seqs)
        for got in receiver.got:
            assert verify(sub.secret, got.body, got.headers["X-Alur-Signature"])
            assert not verify("another-secret-0000", got.body, got.headers["X-Alur-Signature"])
            body = json.loads(got.body)
            event = stored[(body["case_id"], body["seq"])]
            assert got.headers["X-Alur-Event-Id"] == body["id"] == event.hash
            assert got.headers["X-Alur-Event-Type"] == body["type"] == event.type
        scraped = generate_latest(registry).decode()
        assert f"alur_webhooks_delivered_total {float(len(stored))}" in scraped
        failed = re.search(r"^alur_webhooks_failed_total (\S+)$", scraped, re.M)
        assert failed is not None and float(failed.group(1)) >= 2  # more if the machine is slow
        assert "alur_outbox_lag_seconds 0.0" in scraped
    finally:
        outbox.close()
        store.close()


def test_a_signature_is_refused_when_the_body_or_the_time_differ() -> None:
    body = b'{"id":"x"}'
    header = sign(SECRET, body, 1_700_000_000)
    assert verify(SECRET, body, header, now=1_700_000_100)
    assert not verify(SECRET, body + b" ", header, now=1_700_000_100)
    assert not verify(SECRET, body, header, now=1_700_000_000 + 301)  # replayed too late
    assert not verify(SECRET, body, "t=abc,v1=00", now=1_700_000_000)


def test_dead_letters_after_max_attempts_and_retry_sends_them_again(
        url: str, receiver: Receiver, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="alur.service")
    store = open_store(url)
    outbox = open_outbox(url, store)
    runner = CliRunner()
    try:
        outbox.add(receiver.url, event_types=["case_opened"], secret=SECRET)
        engine = Engine(store)
        case_id = engine.open_case("sapa", user="ani", role="pelapor",
                                   facts={"contacted_sapa": True}).case.case_id
        receiver.then = 503
        deliverer = _deliverer(engine, outbox, max_attempts=3)
        _drain(deliverer, lambda: outbox.counts()["dead"] == 1)
        assert len(receiver.got) == 3  # three attempts, then given up
        dead = json.loads(runner.invoke(main, ["--db", url, "webhooks", "list", "--dead",
                                               "--format", "json"]).output)
        assert [(d["case_id"], d["seq"], d["attempts"], d["last_error"]) for d in dead] == [
            (case_id, 1, 3, "HTTP 503")]
        assert deliverer.tick() == 0  # a dead letter is not sent again by itself
        missing = runner.invoke(main, ["--db", url, "webhooks", "retry", "999999"])
        assert missing.exit_code == 3
        receiver.then = 200
        retried = runner.invoke(main, ["--db", url, "webhooks", "retry", str(dead[0]["id"]),
                                       "--format", "json"])
        assert retried.exit_code == 0 and json.loads(retried.output) == {"requeued": 1}
        _drain(deliverer, lambda: outbox.counts()["delivered"] == 1)
        assert [b["case_id"] for b in receiver.delivered()] == [case_id]
        assert outbox.counts() == {"pending": 0, "delivered": 1, "dead": 0}
        logged = [json.loads(r.getMessage()) for r in caplog.records
                  if r.name == "alur.service"]
        assert [line["outcome"] for line in logged] == ["retry", "retry", "dead", "delivered"]
        assert case_id not in caplog.text and receiver.url not in caplog.text  # no personal data
    finally:
        outbox.close()
        store.close()


def _refuse_outbox_rows(url: str) -> None:
    """A trigger that makes every outbox insert fail, as a full disk or a lost connection
    would in the middle of an append."""
    if url.startswith("sqlite://"):
        import sqlite3

        conn = sqlite3.connect(url[len("sqlite:///"):])
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON alur_outbox BEGIN "
                     "SELECT RAISE(ABORT, 'outbox write failed'); END")
        conn.commit()
        conn.close()
        return
    import psycopg

    from engine.store.postgres import split_schema

    conninfo, schema = split_schema(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                     "BEGIN RAISE EXCEPTION 'outbox write failed'; END $$")
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON alur_outbox "
                     "FOR EACH ROW EXECUTE FUNCTION refuse()")


@pytest.mark.parametrize("one_statement", [True, False], ids=["one-statement", "pipelined"])
def test_an_append_whose_outbox_write_fails_leaves_neither_events_nor_rows(
        url: str, one_statement: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not one_statement:  # PostgreSQL's other append path (SQLite has one path only)
        import engine.store.postgres

        monkeypatch.setattr(engine.store.postgres, "_ONE_STATEMENT_EVENTS", 0)
    store = open_store(url)
    outbox = open_outbox(url, store)
    try:
        outbox.add("http://127.0.0.1:9/hook", secret=SECRET)
        engine = Engine(store)
        case_id = engine.open_case("sapa", user="ani", role="pelapor",
                                   facts={"contacted_sapa": True}).case.case_id
        before = engine.events(case_id)
        rows = outbox.rows()
        assert [(r.case_id, r.seq) for r in rows] == [(case_id, e.seq) for e in before]
        _refuse_outbox_rows(url)
        fresh = Engine(open_store(url))  # the trigger changed the schema: read afresh
        with pytest.raises(StoreError):
            _sapa_step(fresh, case_id)
        assert fresh.events(case_id) == before  # no event without its outbox rows
        assert fresh.store.snapshot(case_id).version == len(before)  # type: ignore[union-attr]
        assert outbox.rows() == rows
        fresh.store.close()
    finally:
        outbox.close()
        store.close()


def test_payloads_are_masked_unless_the_subscription_is_allowed_sensitive_values(
        url: str, receiver: Receiver) -> None:
    store = open_store(url)
    outbox = open_outbox(url, store)
    try:
        masked = outbox.add(receiver.url + "?masked", procedure_id="mediasi",
                            event_types=["case_opened", "participant_added"])
        revealed = outbox.add(receiver.url + "?revealed", procedure_id="mediasi",
                              event_types=["case_opened", "participant_added"],
                              sensitive=True)
        engine = Engine(store)
        open_mediasi(engine, CHILD_VICTIM, participants=dict(PARTIES))
        _drain(_deliverer(engine, outbox), lambda: outbox.counts()["pending"] == 0)
        by_sub: dict[str, list[dict[str, Any]]] = {masked.id: [], revealed.id: []}
        for got in receiver.got:
            sub = masked if verify(masked.secret, got.body,
                                   got.headers["X-Alur-Signature"]) else revealed
            by_sub[sub.id].append(json.loads(got.body))
        hidden, shown = by_sub[masked.id], by_sub[revealed.id]
        assert len(hidden) == len(shown) >= 3
        raw_hidden, raw_shown = json.dumps(hidden), json.dumps(shown)
        for value in PARTIES.values():  # participants' names
            assert value not in raw_hidden and value in raw_shown
        opened = next(b for b in hidden if b["type"] == "case_opened")
        for name in ("victim_is_child", "perpetrator_is_child", "has_special_needs"):
            assert opened["payload"]["facts"][name] == MASK  # sensitive: true in mediasi.yaml
        facts = next(b for b in shown if b["type"] == "case_opened")["payload"]["facts"]
        assert {k: facts[k] for k in CHILD_VICTIM} == CHILD_VICTIM
        assert "salts" not in raw_hidden and "salts" not in raw_shown
    finally:
        outbox.close()
        store.close()


def test_subscriptions_match_procedure_and_event_type_on_the_memory_store(
        procedures_env: Path) -> None:
    store = open_store("memory://")
    outbox = open_outbox("memory://", store)
    every = outbox.add("http://127.0.0.1:9/all")
    opened = outbox.add("http://127.0.0.1:9/opened", event_types=["case_opened"])
    other = outbox.add("http://127.0.0.1:9/mediasi", procedure_id="mediasi")
    engine = Engine(store)
    case_id = engine.open_case("sapa", user="ani", role="pelapor",
                               facts={"contacted_sapa": True}).case.case_id
    events = engine.events(case_id)
    rows = outbox.rows()
    assert [(r.seq, r.event_type) for r in rows if r.subscription_id == every.id] == [
        (e.seq, e.type) for e in events]
    assert [r.seq for r in rows if r.subscription_id == opened.id] == [1]
    assert not [r for r in rows if r.subscription_id == other.id]
    # per subscription and case, only the oldest pending row can be claimed: order is kept
    claimed = outbox.claim("w", 100, time.time(), 60)
    assert sorted((d.subscription.id, d.row.seq) for d in claimed) == sorted(
        [(every.id, 1), (opened.id, 1)])
    assert outbox.claim("other", 100, time.time(), 60) == []  # claimed, and the rest waits
    assert outbox.remove(every.id) and not outbox.remove(every.id)
    assert {r.subscription_id for r in outbox.rows()} == {opened.id}


def test_two_deliverers_send_each_row_once_while_their_claims_hold(
        url: str, receiver: Receiver) -> None:
    store = open_store(url)
    outboxes = [open_outbox(url, store) for _ in range(2)]
    try:
        outboxes[0].add(receiver.url, secret=SECRET)
        engine = Engine(store)
        for _ in range(4):
            _sapa_step(engine, engine.open_case("sapa", user="ani", role="pelapor",
                                                facts={"contacted_sapa": True}).case.case_id)
        workers = [_deliverer(engine, outbox, batch=3) for outbox in outboxes]
        threads = [threading.Thread(target=_drain, args=(
            worker, lambda: outboxes[0].counts()["pending"] == 0)) for worker in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        ids = [got.headers["X-Alur-Event-Id"] for got in receiver.got]
        assert len(ids) == len(set(ids)) == outboxes[0].counts()["delivered"]
    finally:
        for outbox in outboxes:
            outbox.close()
        store.close()


def _admin_client(service: Service) -> tuple[TestClient, dict[str, str], dict[str, str]]:
    service.accounts.add_user("sri", hash_password("p"), frozenset({"admin"}), "x")
    _, admin = service.accounts.add_token("sri", "t", frozenset({"read", "write", "admin"}))
    _, reader = service.accounts.add_token("sri", "t", frozenset({"read", "write"}))
    return (TestClient(create_app(service=service)), {"Authorization": f"Bearer {admin}"},
            {"Authorization": f"Bearer {reader}"})


def test_the_api_manages_subscriptions_for_administrators_only(url: str) -> None:
    service = Service(url)
    try:
        client, admin, reader = _admin_client(service)
        body = {"url": "https://gateway.example/alur", "procedure": "sapa",
                "event_types": ["case_opened", "deadline_breached"]}
        assert client.post(SUBS, json=body, headers=reader).status_code == 403
        assert client.get(SUBS).status_code == 401
        made = client.post(SUBS, json=body, headers=admin)
        assert made.status_code == 201, made.text
        created = made.json()
        assert created["secret"].startswith("whsec_") and created["allow_sensitive"] is False
        listed = client.get(SUBS, headers=admin).json()
        assert listed == [{k: v for k, v in created.items() if k != "secret"}]
        wrong = client.post(SUBS, headers=admin,
                            json={**body, "event_types": ["no_such_event"]})
        assert wrong.status_code == 422 and "no_such_event" in wrong.json()["detail"]
        assert client.get(f"{API}/webhooks/dead", headers=admin).json() == []
        retried = client.post(f"{API}/webhooks/retry", json={}, headers=admin)
        assert retried.json() == {"requeued": 0}
        assert client.delete(f"{SUBS}/{created['id']}",
                             headers=admin).status_code == 204
        gone = client.delete(f"{SUBS}/{created['id']}", headers=admin)
        assert gone.status_code == 404 and gone.json()["code"] == "hook.no_subscription"
        assert client.get(SUBS, headers=admin).json() == []
    finally:
        service.close()


def test_the_service_delivers_by_itself_and_shows_the_outbox_on_metrics(
        url: str, receiver: Receiver) -> None:
    service = Service(url, webhook_interval=0.05)
    try:
        client, admin, _ = _admin_client(service)
        made = client.post(SUBS, json={"url": receiver.url}, headers=admin).json()
        with client:  # runs the lifespan: the deliverer starts, and stops at the end
            engine = Engine(service.store)  # another writer on the store: no roster
            case_id = engine.open_case("sapa", user="ani", role="pelapor",
                                       facts={"contacted_sapa": True}).case.case_id
            until = time.monotonic() + 20
            while service.outbox.counts()["pending"] and time.monotonic() < until:
                time.sleep(0.05)
            scraped = client.get("/metrics").text
        assert {b["case_id"] for b in receiver.delivered()} == {case_id}
        assert all(verify(made["secret"], g.body, g.headers["X-Alur-Signature"])
                   for g in receiver.got)
        assert "alur_webhooks_delivered_total" in scraped
        assert "alur_outbox_lag_seconds 0.0" in scraped
        assert case_id not in scraped
    finally:
        service.close()


def test_the_cli_adds_lists_and_removes_subscriptions(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'alur.db'}"
    runner = CliRunner()

    def alur(*args: str) -> Any:
        return runner.invoke(main, ["--db", db, "webhooks", *args])

    made = alur("add", "https://gateway.example/alur", "--event", "case_opened",
                "--format", "json")
    assert made.exit_code == 0, made.output
    sub = json.loads(made.output)
    assert sub["event_types"] == ["case_opened"] and sub["secret"].startswith("whsec_")
    listed = json.loads(alur("list", "--format", "json").output)
    assert [(s["id"], s["pending"], "secret" in s) for s in listed] == [(sub["id"], 0, False)]
    assert sub["secret"] not in alur("list").output
    bad = alur("add", "ftp://example/x")
    assert bad.exit_code == 2 and "http" in bad.output
    assert alur("add", "https://x.example", "--event", "nope").exit_code == 2
    assert alur("add", "https://x.example", "--secret", "short").exit_code == 2
    assert alur("remove", sub["id"]).exit_code == 0
    assert alur("remove", sub["id"]).exit_code == 3
    assert runner.invoke(main, ["--lang", "id", "--db", db, "webhooks", "retry"]).output \
        .strip() == "0 kiriman gagal diantrekan lagi"


def _docs_block(language: str) -> str:
    text = (Path(__file__).resolve().parents[2] / "docs" / "service.md").read_text("utf-8")
    section = text[text.index("## Webhooks"):text.index("## Running it")]
    found = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert found is not None, language
    return found.group(1)


def test_the_docs_verification_helpers_accept_a_real_delivery_and_nothing_else(
        tmp_path: Path, receiver: Receiver, procedures_env: Path) -> None:
    url = f"sqlite:///{tmp_path / 'alur.db'}"
    store = open_store(url)
    outbox = open_outbox(url, store)
    try:
        sub = outbox.add(receiver.url, event_types=["participant_added"])
        engine = Engine(store)
        engine.open_case("sapa", user="ani", role="pelapor", facts={"contacted_sapa": True})
        _drain(_deliverer(engine, outbox), lambda: outbox.counts()["pending"] == 0)
    finally:
        outbox.close()
        store.close()
    [got] = receiver.got
    header = got.headers["X-Alur-Signature"]
    helpers: dict[str, Any] = {}
    exec(_docs_block("python"), helpers)  # the Python helper exactly as documented
    verify_alur = helpers["verify_alur"]
    assert verify_alur(sub.secret, got.body, header)
    assert not verify_alur(sub.secret, got.body.replace(b"pelapor", b"pelaku"), header)
    assert not verify_alur("another-secret-0000", got.body, header)
    # the documented example has the fields of a real body, masked as documented
    example = json.loads(_docs_block("json"))
    body = json.loads(got.body)
    assert set(example) == set(body) and set(example["payload"]) == set(body["payload"])
    assert body["user"] == body["payload"]["name"] == MASK
    node = shutil.which("node")
    if node is None:
        return
    script = tmp_path / "verify.js"
    script.write_text(_docs_block("js") + "\nconst [secret, header, file] = "
                      "process.argv.slice(2);\nprocess.exit(verifyAlur(secret, "
                      "require('node:fs').readFileSync(file), header) ? 0 : 1);\n", "utf-8")
    (tmp_path / "body").write_bytes(got.body)
    (tmp_path / "forged").write_bytes(got.body + b" ")

    def run(secret: str, file: str) -> int:
        return subprocess.run([node, str(script), secret, header, str(tmp_path / file)],
                              timeout=30, check=False).returncode

    assert run(sub.secret, "body") == 0
    assert run(sub.secret, "forged") == 1
    assert run("another-secret-0000", "body") == 1
