"""The deadline sweep the service runs by itself, so breaches escalate without cron.

Every ``interval`` seconds each worker tries to take the ``sweep`` lease (a row in the store,
taken or renewed in one statement); the one that holds it sweeps: ``Engine.check_deadlines`` at
the clock's now, which records each passed due date once (idempotent) and never a time in the
future. With several workers, or several machines on one PostgreSQL store, exactly one sweeps
at a time; if it dies, its lease runs out and another takes over.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable

from engine.api import Engine
from engine.errors import AlurError
from engine.store.accounts import Accounts

__all__ = ["Sweeper"]

LOG = logging.getLogger("alur.service")


class Sweeper:
    def __init__(self, engine: Engine, accounts: Accounts, interval: float,
                 on_sweep: Callable[[int], None] | None = None) -> None:
        self.engine = engine
        self.accounts = accounts
        self.interval = interval
        self.holder = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.on_sweep = on_sweep
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> int | None:
        """One round: the number of cases a breach was recorded on, or None when another
        worker holds the lease."""
        now = self.engine.clock()
        if not self.accounts.lease("sweep", self.holder, self.interval * 2, now.timestamp()):
            return None
        try:
            recorded = len(self.engine.check_deadlines(now, user="alur-scheduler"))
        except AlurError as exc:  # the store did not answer: try again next round
            LOG.warning("deadline sweep failed: %s", exc.code)
            return 0
        if self.on_sweep is not None:
            self.on_sweep(recorded)
        return recorded

    def start(self) -> None:
        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.tick()

        self._thread = threading.Thread(target=loop, name="alur-sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
