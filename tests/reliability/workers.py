"""Worker processes for the reliability suite: they drive cases hard and acknowledge each
command that reported success in an append-only log, so the parent can check that nothing
acknowledged was lost after it kills them with SIGKILL."""

from __future__ import annotations

import hashlib
import os
import random
from datetime import UTC, datetime

from engine.api import Engine
from engine.commands import Attachment, CompleteStep, SetFact
from engine.errors import CommandRefused, ConcurrencyConflict

PROC = os.path.join(os.path.dirname(__file__), "..", "fixtures", "valid", "minimal.yaml")


def _ktp() -> Attachment:
    content = b"ktp"
    return Attachment("ktp", "ktp.txt", hashlib.sha256(content).hexdigest(), len(content),
                      "text/plain", content)


def ack(log: str, line: str) -> None:
    """Append one acknowledgement and make it durable before going on."""
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def drive(url: str, log: str, worker: int, seed: int, shared: list[str]) -> None:
    """Forever: open cases and walk them to the end, interleaved with facts on shared cases."""
    rng = random.Random(seed)
    engine = Engine(url, clock=lambda: datetime(2026, 3, 2, 2, tzinfo=UTC))
    n = 0
    while True:
        n += 1
        case_id = f"w{worker}-{seed}-{n}"
        result = engine.open_case(PROC, user="u", role="petugas", documents=(_ktp(),),
                                  case_id=case_id)
        ack(log, f"{case_id} {result.events[-1].hash}")
        steps = [("terima", None, "petugas"), ("putus", "setuju", "kepala"),
                 ("terbit", None, "petugas")]
        for step, outcome, role in steps:
            result = engine.execute(CompleteStep(user="u", role=role, case_id=case_id,
                                                 step=step, outcome=outcome))
            ack(log, f"{case_id} {result.events[-1].hash}")
            if shared and rng.random() < 0.5:
                target = rng.choice(shared)
                try:
                    result = engine.execute(SetFact(user="u", role="petugas", case_id=target,
                                                    name="is_child",
                                                    value=rng.random() < 0.5), retries=5)
                except (ConcurrencyConflict, CommandRefused):
                    continue
                if result.events:
                    ack(log, f"{target} {result.events[-1].hash}")
