"""Smoke test of the benchmark (``bench/run.py --quick``): every section runs and the results have
every headline key as a number. No timing is asserted: the numbers of a quick run mean nothing.

Peers from the ``bench`` extra (python-statemachine, SpiffWorkflow, eventsourcing) may be
missing, since the test extra does not install them: their keys are then null, with a note.
PostgreSQL numbers are null when no server is reachable, with a note. alur's own code paths
(runtime, Engine on every store, seeding, worker processes, validation, cold start, a real
`alur serve`) always run.
"""

from __future__ import annotations

import importlib.util
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("exec_vs_transitions", "exec_vs_spiff", "persist_vs_eventsourcing_sqlite",
            "persist_vs_eventsourcing_sqlite_normal", "persist_vs_eventsourcing_pg",
            "persist_vs_spiff_sqlite", "sqlite_full_vs_raw", "pg_vs_raw", "http_vs_inprocess",
            "validate_vs_parse", "latency_1m_vs_10k", "coldstart_vs_imports")
ALWAYS = ("exec_vs_transitions", "exec_vs_transitions_recommended", "exec_vs_transitions_shared",
          "exec_vs_transitions_mediasi", "sqlite_full_vs_raw",
          "sqlite_normal_vs_raw", "sqlite_full_floor_vs_raw", "sqlite_normal_floor_vs_raw",
          "sqlite_normal_lean_vs_raw", "sqlite_normal_bound_vs_raw", "validate_vs_parse",
          "latency_1m_vs_10k", "rss_100k_vs_10k", "coldstart_vs_imports", "http_vs_inprocess",
          "http_p50_ms", "http_p99_ms")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "latest.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick",
                           "--out", str(out), "--workdir", str(tmp)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    assert out.exists()
    data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return data


@pytest.mark.slow
def test_quick_run_has_every_required_key(quick_results: dict[str, object]) -> None:
    notes = " ".join(str(n) for n in quick_results["notes"])  # type: ignore[attr-defined]
    spiff = importlib.util.find_spec("SpiffWorkflow") is not None
    eventsourcing = importlib.util.find_spec("eventsourcing") is not None
    for key in REQUIRED:
        assert key in quick_results, key
        assert key in quick_results["targets"], key  # type: ignore[operator]
        value = quick_results[key]
        if "spiff" in key and not spiff:
            assert value is None and "SpiffWorkflow" in notes
        elif "eventsourcing" in key and not eventsourcing:
            assert value is None and "eventsourcing" in notes
        elif key in ("pg_vs_raw", "persist_vs_eventsourcing_pg") and value is None:
            assert "postgres" in notes  # skipped with a reason, never silently
        else:
            assert _is_number(value), (key, value)
    for key in ALWAYS:
        assert _is_number(quick_results[key]), (key, quick_results[key])
    assert quick_results["quick"] is True


@pytest.mark.slow
def test_quick_run_records_rates_versions_and_machine(quick_results: dict[str, object]) -> None:
    machine = quick_results["machine"]
    assert isinstance(machine, dict)
    assert _is_number(machine["cpu_count"]) and machine["python"] and machine["platform"]
    versions = quick_results["versions"]
    assert isinstance(versions, dict)
    assert versions["alur"] and versions["transitions"] and versions["sqlite"]
    exec_ = quick_results["exec"]
    assert isinstance(exec_, dict)
    for procedure in ("linear10", "mediasi"):
        rates = exec_[procedure]["rates"]
        assert _is_number(rates["alur"]) and _is_number(rates["alur_engine_memory"])
        assert _is_number(rates["transitions"])
    persist = quick_results["persist"]
    assert isinstance(persist, dict)
    for store in ("sqlite_full", "sqlite_normal"):  # the floor is timed like alur, per store
        assert _is_number(persist[store]["floor"]) and persist[store]["floor"] > 0
        assert _is_number(persist[store]["budget_us_at_target"])
        # the lean layout is timed the same way, and the bound never beats its SQL alone
        lean = persist[store]["lean_vs_raw"]
        assert _is_number(lean) and lean > 0
        assert 0 < persist[store]["bound_vs_raw"] < lean
        assert _is_number(persist[store]["lean_budget_us_at_target"])
    assert _is_number(persist["runtime"]) and persist["runtime"] > 0
    # the missed targets' explanations: profiles of the workloads (shares summing to one) and
    # the CPU time an HTTP command costs each side
    profiles = quick_results["profiles"]
    assert isinstance(profiles, dict)
    for key in ("exec_alur_runtime", "persist_alur_sqlite_full"):
        shares = [area["share"] for area in profiles[key]["areas"]]
        assert abs(sum(shares) - 1) < 0.01 and profiles[key]["functions"]
    assert any(f["function"].startswith("<method 'execute' of 'sqlite3")
               for f in profiles["persist_alur_sqlite_full"]["functions"])
    cpu = quick_results["http"]["cpu_ms"]  # type: ignore[index]
    assert all(_is_number(cpu[side]) and cpu[side] > 0
               for side in ("server", "clients", "inprocess"))
    targets = quick_results["targets"]
    assert isinstance(targets, dict) and set(REQUIRED) == set(targets)
    # every judged key carries each run's value and their range, and the verdict is the median's
    runs = quick_results["runs"]
    assert isinstance(runs, list) and len(runs) == quick_results["config"]["runs"]  # type: ignore[index]
    for key, target in targets.items():
        assert target["runs"] == [run[key] for run in runs]
        if target["value"] is not None:
            assert target["spread"][0] <= target["value"] <= target["spread"][1]


def test_runs_are_judged_on_the_median_with_their_spread() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.run import _across_runs
    finally:
        sys.path.remove(str(ROOT))
    keys, spread = _across_runs([{"a": 0.4, "b": None}, {"a": 0.7, "b": None},
                                 {"a": 0.5, "b": None}])
    assert keys == {"a": 0.5, "b": None}
    assert spread == {"a": [0.4, 0.7], "b": None}


def test_command_times_are_distinct_and_increase_within_a_case() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.common import Times
    finally:
        sys.path.remove(str(ROOT))
    times = Times()
    first = times.take(11)
    assert len(set(first)) == 11 and first == sorted(first)
    times.take(Times.SPAN - 15)  # near the end of the span: the next case starts over whole
    again = times.take(11)
    assert again == first


@pytest.mark.slow
def test_report_renders_the_quick_results(quick_results: dict[str, object],
                                          tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench import report
    finally:
        sys.path.remove(str(ROOT))
    doc = tmp_path / "performance.md"
    shutil.copyfile(ROOT / "docs" / "performance.md", doc)
    before = doc.read_text(encoding="utf-8")
    results = tmp_path / "results.json"
    results.write_text(json.dumps(quick_results), encoding="utf-8")
    assert report.main([str(results), str(doc)]) == 0
    after = doc.read_text(encoding="utf-8")
    head = before.split(report.START)[0]
    tail = before.split(report.END)[1]
    assert after.startswith(head) and after.endswith(tail)
    assert "exec_vs_transitions" in after and "quick smoke run" in after
    assert "### 8. Profiles" in after and "the cores' bound on the ratio" in after


def test_performance_prose_quotes_no_measured_numbers() -> None:
    """Numbers live in the generated block only (issue #20): the prose around it says how each
    figure is measured and what bounds it, never a time, rate or ratio of an earlier run."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench import report
    finally:
        sys.path.remove(str(ROOT))
    import re

    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    prose = text.split(report.START)[0] + text.split(report.END)[1]
    measured = re.findall(r"\b\d+(?:\.\d+)?\s?(?:µs|ms|MiB|GB|%)|\b0\.\d{2,}\b"
                          r"|\d+(?:\.\d+)?\u00d7(?! )|\b\d+(?:\.\d+)?-\d+(?:\.\d+)?\u00d7", prose)
    assert measured == [], measured


@pytest.mark.slow
def test_only_measures_the_persisted_workloads_it_names(tmp_path: Path) -> None:
    """``--only`` (an A/B of one store): the named group is measured, the others are not."""
    out = tmp_path / "only.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick",
                           "--sections", "persist", "--only", "sqlite_normal", "--no-pg",
                           "--out", str(out), "--workdir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert _is_number(data["sqlite_normal_vs_raw"])
    assert data["sqlite_full_vs_raw"] is None and data["pg_vs_raw"] is None
    assert "sqlite_full" not in data["persist"] and data["persist"]["postgres"] is None
    refused = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--only", "mysql"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and "--only takes a subset of" in refused.stderr
