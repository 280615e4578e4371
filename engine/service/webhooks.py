"""Delivering the webhook outbox: signed POSTs, at least once, in order per case, with backoff.

The store writes one outbox row per (event, subscription) in the event's own transaction
(:mod:`engine.store.outbox`). A :class:`Deliverer` runs in every service worker beside the
deadline :class:`~engine.service.scheduler.Sweeper`: each round it claims a batch of due rows
(one worker at a time per row), builds each payload from the stored event — masked as the API
masks it unless the subscription may see sensitive values —, signs it and POSTs it with a
timeout. A ``2xx`` marks the row delivered; anything else (another status, a timeout, a refused
connection, a redirect) counts an attempt and schedules the next one after an exponential
backoff with jitter; after ``max_attempts`` the row is a dead letter until ``alur webhooks
retry`` puts it back. A worker that dies mid-delivery leaves a claim that runs out, and the row
is sent again: receivers de-duplicate by the ``X-Alur-Event-Id`` header.

Signature: ``X-Alur-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``
(:func:`sign`, :func:`verify`; docs/service.md has the same check in PHP and JavaScript).

Logs carry the subscription id, the outbox row id, the event type and the outcome: never a URL
(it may hold a token), a case id or a value.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import random
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge

from engine.api import Engine
from engine.cases.events import SALTED, SALTS, Event
from engine.cases.privacy import mask_event
from engine.errors import AlurError
from engine.store.outbox import Delivery, Outbox

__all__ = ["Deliverer", "WebhookMetrics", "payload_of", "sign", "verify"]

LOG = logging.getLogger("alur.service")
USER_AGENT = "alur-webhooks/1"
# answer as sent: (status or None, short error text without personal data)
Sender = Callable[[str, bytes, dict[str, str], float], tuple[int | None, str]]


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``X-Alur-Signature`` header value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, now: float | None = None,
           tolerance: float = 300.0) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and its timestamp is within
    ``tolerance`` seconds of ``now`` (what a receiver written in Python checks)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def payload_of(engine: Engine, event: Event, sensitive: bool) -> dict[str, Any]:
    """What a subscription receives for ``event``: masked as the API masks a case's history
    (sensitive facts and documents, participants' names, the ids of outside parties) unless
    ``sensitive``; salts never (they would let a receiver test guesses of masked values)."""
    proc = engine.procedure(event.procedure_hash)
    masked = mask_event(proc, event, reveal=sensitive)
    body = {k: v for k, v in dict(masked.get("payload") or {}).items()
            if k not in (SALTS, SALTED)}
    return {"id": event.hash, "type": event.type, "case_id": event.case_id, "seq": event.seq,
            "procedure_id": proc.id, "procedure_version": proc.version, "at": event.at,
            "role": event.role, "user": str(masked.get("user", "")), "payload": body}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is not 2xx: urllib would resend a POST as a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None,
                                                                                  str]:
    """POST with the standard library; the answer's status, or None and why (no body, no
    URL in the reason: it goes to the log and the dead-letter list)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            answer.read(65536)
            return int(answer.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), f"HTTP {exc.code}"
    except TimeoutError:
        return None, "timeout"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return None, "timeout"
        return None, type(reason).__name__ if isinstance(reason, BaseException) else "unreachable"
    except OSError as exc:
        return None, type(exc).__name__


class WebhookMetrics:
    """The outbox figures on ``/metrics``: deliveries, failed attempts and dead letters of
    this worker, and the outbox lag (age of the oldest undelivered row, for all workers)."""

    def __init__(self, registry: CollectorRegistry, outbox: Outbox,
                 now: Callable[[], float] = time.time) -> None:
        self.delivered = Counter("alur_webhooks_delivered", "Webhook deliveries answered 2xx",
                                 registry=registry)
        self.failed = Counter("alur_webhooks_failed", "Webhook attempts that failed",
                              registry=registry)
        self.dead = Counter("alur_webhooks_dead", "Webhook rows moved to the dead letters",
                            registry=registry)
        lag = Gauge("alur_outbox_lag_seconds", "Age of the oldest undelivered outbox row "
                    "(0: none)", registry=registry)

        def oldest() -> float:
            try:
                first = outbox.oldest_pending()
            except AlurError:  # the store does not answer: no figure, not a failed scrape
                return float("nan")
            return 0.0 if first is None else max(0.0, now() - first)

        lag.set_function(oldest)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Seconds before attempt ``n + 1`` after ``n`` failed ones: ``base * 2**(n-1)``, at most
    ``cap``, times a random factor in [0.5, 1) so receivers coming back are not stampeded."""

    base: float = 2.0
    cap: float = 3600.0

    def delay(self, failed: int, rng: random.Random) -> float:
        return float(min(self.cap, self.base * 2 ** max(0, failed - 1)) * rng.uniform(0.5, 1.0))


class Deliverer:
    """One worker's delivery loop (``start``/``stop``) and its single round (``tick``)."""

    def __init__(self, engine: Engine, outbox: Outbox, *, interval: float = 1.0,
                 batch: int = 20, timeout: float = 10.0, max_attempts: int = 8,
                 backoff: Backoff = Backoff(), metrics: WebhookMetrics | None = None,
                 now: Callable[[], float] = time.time, send: Sender = post,
                 rng: random.Random | None = None, lease: float | None = None) -> None:
        self.engine = engine
        self.outbox = outbox
        self.interval = interval
        self.batch = batch
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.metrics = metrics
        self.now = now
        self.send = send
        self.rng = rng or random.Random()
        # how long a claim holds: by default the batch sent one by one, each up to its timeout
        self.lease = lease if lease is not None else batch * (timeout + 1) + 30
        self.worker = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> int:
        """One round: claim due rows and send each; how many rows were claimed."""
        try:
            claimed = self.outbox.claim(self.worker, self.batch, self.now(), self.lease)
        except AlurError as exc:  # the store did not answer: try again next round
            LOG.warning(json.dumps({"webhooks": "claim failed", "code": exc.code}))
            return 0
        for delivery in claimed:
            if self._stop.is_set():  # shutting down: the claims run out, others send them
                break
            try:
                self._deliver(delivery)
            except AlurError as exc:
                LOG.warning(json.dumps({"webhooks": "store failed", "code": exc.code,
                                        "row": delivery.row.id}))
        return len(claimed)

    def _event(self, delivery: Delivery) -> Event | None:
        # one row read: reading the whole case made each delivery cost as much as the case's
        # history (a case of 1,000 events under load held the outbox back for minutes)
        return self.engine.store.event(delivery.row.case_id, delivery.row.seq)

    def _deliver(self, delivery: Delivery) -> None:
        row, sub = delivery.row, delivery.subscription
        event = self._event(delivery)
        if event is None:  # never written by alur, or gone: nothing to send, ever
            self._failed(delivery, "event missing", dead=True)
            return
        body = json.dumps(payload_of(self.engine, event, sub.sensitive), ensure_ascii=False,
                          sort_keys=True, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "X-Alur-Event-Id": event.hash, "X-Alur-Event-Type": event.type,
                   "X-Alur-Delivery": str(row.id), "X-Alur-Attempt": str(row.attempts + 1),
                   "X-Alur-Signature": sign(sub.secret, body, int(self.now()))}
        status, error = self.send(sub.url, body, headers, self.timeout)
        if status is not None and 200 <= status < 300:
            if self.outbox.delivered(row.id, self.worker, self.now()) and self.metrics:
                self.metrics.delivered.inc()
            self._log(delivery, "delivered", status)
            return
        self._failed(delivery, error or f"HTTP {status}",
                     dead=row.attempts + 1 >= self.max_attempts)

    def _failed(self, delivery: Delivery, error: str, *, dead: bool) -> None:
        row = delivery.row
        next_at = self.now() + (0.0 if dead else self.backoff.delay(row.attempts + 1, self.rng))
        if self.outbox.failed(row.id, self.worker, error, next_at, dead) and self.metrics:
            self.metrics.failed.inc()
            if dead:
                self.metrics.dead.inc()
        self._log(delivery, "dead" if dead else "retry", None, error)

    @staticmethod
    def _log(delivery: Delivery, outcome: str, status: int | None, error: str = "") -> None:
        LOG.info(json.dumps({"webhook": delivery.subscription.id, "row": delivery.row.id,
                             "type": delivery.row.event_type, "attempt":
                             delivery.row.attempts + 1, "outcome": outcome, "status": status,
                             "error": error or None}))

    def start(self) -> None:
        def loop() -> None:
            while not self._stop.is_set():
                if not self.tick():  # rows were due: look again at once
                    self._stop.wait(self.interval)

        self._thread = threading.Thread(target=loop, name="alur-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 5)
