"""``alur report`` folds the store's events case by case (issue #16): the same answer as the
first implementation (tests/reference_report.py) on every example, and memory that does not
grow with the number of cases."""

from __future__ import annotations

import gc
import json
import sqlite3
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import reference_report
from click.testing import CliRunner

from engine.analysis.audit.report import performance
from engine.api import Engine
from engine.cases.events import GENESIS, chain
from engine.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
WINDOWS = [(None, None), (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 4, 1), None),
           (None, date(2026, 3, 10)), (date(2030, 1, 1), None)]


def _run_examples(db: str) -> None:
    for proc, pattern in (("mediasi", "mediasi-*.yaml"), ("sapa", "sapa-*.yaml"),
                          ("pendampingan", "pendampingan-*.yaml")):
        done = subprocess.run(
            [sys.executable, "-m", "cli", "--db", db, "run", proc,
             *map(str, sorted(EXAMPLES.glob(pattern)))],
            cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode in (0, 1), done.stderr  # 1: an expectation the example states


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("report") / "x.db"
    db = f"sqlite:///{path}"
    _run_examples(db)
    # one case whose chain no longer verifies: both must count it as unverified
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alur_events SET at = '2026-03-03T09:00:00+07:00' "
                     "WHERE case_id = 'sapa-selesai-01' AND seq = 2")
    yield db


def _both(engine: Engine, procedure_id: str, start: date | None,
          end: date | None) -> tuple[dict[str, object], dict[str, object]]:
    def belongs(case_id: str) -> bool:
        snap = engine.store.snapshot(case_id)
        return snap is not None and snap.procedure_id == procedure_id

    new = performance(procedure_id, engine.store.all_events(procedure_id), engine.context,
                      engine.store.audit_records(), start=start, end=end, belongs=belongs)
    old = reference_report.performance(procedure_id, engine.store.all_events(procedure_id),
                                       engine.context, engine.store.audit_records(),
                                       start=start, end=end)
    return new.to_dict(), old.to_dict()


def _older(report: dict[str, object]) -> dict[str, object]:
    """What the first implementation knows: the report without what joint actors and clock
    windows added later (joint sign-offs, breaches of a phase and whose they are)."""
    kept = {k: v for k, v in report.items() if k != "joint_signoffs"}
    breaches = kept.get("breaches")
    if isinstance(breaches, dict):
        kept["breaches"] = {k: v for k, v in breaches.items()
                            if k not in ("phases", "by_actor", "late_reports")}
    return kept


@pytest.mark.parametrize("procedure_id", ["mediasi", "sapa", "pendampingan"])
def test_the_streaming_report_equals_the_first_one_on_the_examples(
        examples_db: str, procedure_id: str) -> None:
    with Engine(examples_db, lang="en") as engine:
        for start, end in WINDOWS:
            new, old = _both(engine, procedure_id, start, end)
            if procedure_id == "pendampingan":  # joint steps and clock windows: newer
                new, old = _older(new), _older(old)
            assert new == old, (start, end)
        whole, _ = _both(engine, procedure_id, None, None)
    if procedure_id == "pendampingan":  # what the reference predates is there all the same
        assert whole["joint_signoffs"]
    # the examples exercise what is compared: closings, step times, refusals, breaches
    cases = whole["cases"]
    assert isinstance(cases, dict) and cases["closed"] > 0
    assert whole["step_time"] and whole["refused"]["total"] + whole["breaches"]["total"] > 0
    if procedure_id == "sapa":
        assert whole["unverified_cases"] == 1
    from engine.cli import main

    shown = CliRunner().invoke(main, ["--db", examples_db, "report", procedure_id,
                                      "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert {k: v for k, v in json.loads(shown.stdout).items() if k != "title"} == whole


def _clone_store(db: str, template_db: str, count: int) -> None:
    """A store of ``count`` sapa cases: the examples' cases copied under new ids (each chain
    sealed again for its id), written straight to the store: fast enough to make thousands."""
    source = open_store(template_db)
    templates = [(source.events(s.case_id), s) for s in source.cases(procedure_id="sapa")]
    procedures = source.procedures()
    source.close()
    target = open_store(db)
    for proc in procedures:
        target.put_procedure(proc)
    for index in range(count):
        events, snapshot = templates[index % len(templates)]
        case_id = f"salinan-{index:06d}"
        sealed = chain([replace(e, case_id=case_id) for e in events], GENESIS)
        target.append(case_id, 0, sealed, replace(snapshot, case_id=case_id, number=None,
                                                  last_hash=sealed[-1].hash))
    target.close()


def _peak(db: str) -> int:
    with Engine(db, lang="en") as engine:
        def run() -> None:
            performance("sapa", engine.store.all_events("sapa"), engine.context,
                        engine.store.audit_records(), belongs=lambda case_id: True)

        run()  # imports, procedure versions and calendars loaded once, outside the measure
        gc.collect()
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


@pytest.mark.slow
def test_report_memory_does_not_grow_with_the_number_of_cases(tmp_path: Path) -> None:
    template = f"sqlite:///{tmp_path / 'examples.db'}"
    _run_examples(template)
    small, large = (f"sqlite:///{tmp_path / name}?synchronous=NORMAL"
                    for name in ("small.db", "large.db"))
    _clone_store(small, template, 500)
    _clone_store(large, template, 2000)
    peaks = _peak(small), _peak(large)
    # four times the cases: within a small factor of the same peak (the durations, 8 bytes
    # each, are what grows); the first implementation's lists and id set were not the issue
    # here, a listing of every case would be (several hundred bytes a case)
    assert peaks[1] < 1.5 * peaks[0], peaks
