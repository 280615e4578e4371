"""Worker processes for the reliability suite: they drive cases hard and acknowledge each
command that reported success in an append-only log, so the parent can check that nothing
acknowledged was lost after it kills them with SIGKILL."""

from __future__ import annotations

import hashlib
import os
import random
from datetime import UTC, datetime
from typing import Any

from engine.api import Engine
from engine.cases.commands import Attachment, CompleteStep, SetFact
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


def race(url: str, procedures: str, worker: int, barrier: Any, tasks: Any, results: Any) -> None:
    """Run in a spawned process: for each task (a command and its ``retries``), wait at the
    barrier for every other worker, execute the command at once and report what happened:
    ("ok", hashes of the events appended), ("conflict", None) or ("refused:<rule>", None).
    Conflicts absorbed by ``retries`` are counted (``execute`` itself does not say)."""
    os.environ["ALUR_PROCEDURES"] = procedures
    engine = Engine(url, lang="en")
    absorbed = 0
    once = engine._execute_once

    def counting(command: Any) -> Any:
        nonlocal absorbed
        try:
            return once(command)
        except ConcurrencyConflict:
            absorbed += 1
            raise

    engine._execute_once = counting  # type: ignore[method-assign]
    try:
        while True:
            task = tasks.get()
            if task is None:
                return
            tag, command, retries = task
            barrier.wait(timeout=60)
            before = absorbed
            try:
                result = engine.execute(command, retries=retries)
            except ConcurrencyConflict:
                results.put((worker, tag, "conflict", None, absorbed - before))
            except CommandRefused as exc:
                results.put((worker, tag, f"refused:{exc.rule}", None, absorbed - before))
            except Exception as exc:  # reported, so the parent fails with the cause
                results.put((worker, tag, f"error:{exc!r}", None, absorbed - before))
            else:
                results.put((worker, tag, "ok", [(e.seq, e.hash) for e in result.events],
                             absorbed - before))
    finally:
        engine.close()
