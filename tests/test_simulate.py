"""``engine.analysis.simulate`` and ``alur simulate``: deterministic what-if runs of a procedure."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main
from engine.analysis.simulate import HOURS_PER_DAY, parse_staff, simulate, staffing, work_hours
from engine.errors import UsageError
from engine.procedure.model import Duration, DurationUnit, Procedure
from engine.procedure.validate import load_procedure

ROOT = Path(__file__).resolve().parent.parent
MEDIASI_FILE = ROOT / "procedures" / "mediasi.yaml"
SAPA_FILE = ROOT / "procedures" / "sapa.yaml"
PENDAMPINGAN_FILE = ROOT / "procedures" / "pendampingan.yaml"


@pytest.fixture(scope="module")
def mediasi() -> Procedure:
    return load_procedure(MEDIASI_FILE)


@pytest.fixture(scope="module")
def sapa() -> Procedure:
    return load_procedure(SAPA_FILE)


@pytest.fixture(scope="module")
def pendampingan() -> Procedure:
    return load_procedure(PENDAMPINGAN_FILE)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALUR_LANG", raising=False)
    monkeypatch.setenv("ALUR_PROCEDURES", str(ROOT / "procedures"))


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# --- determinism ------------------------------------------------------------------------------

def test_same_seed_gives_identical_results(mediasi: Procedure) -> None:
    first = simulate(mediasi, cases=25, seed=3, arrivals_per_day=0.3)
    second = simulate(mediasi, cases=25, seed=3, arrivals_per_day=0.3)
    assert first == second
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


def test_different_seeds_differ(mediasi: Procedure) -> None:
    first = simulate(mediasi, cases=25, seed=1, arrivals_per_day=0.3)
    second = simulate(mediasi, cases=25, seed=2, arrivals_per_day=0.3)
    assert first.to_dict() != second.to_dict()
    assert first.completion != second.completion


# --- what it reports --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["mediasi", "sapa", "pendampingan"])
def test_every_case_finishes(name: str, request: pytest.FixtureRequest) -> None:
    proc: Procedure = request.getfixturevalue(name)
    result = simulate(proc, cases=30, seed=5, arrivals_per_day=0.5)
    assert result.finished == 30 and result.unfinished == 0
    assert sum(result.outcomes.values()) == 30
    assert result.completion.count == 30
    assert result.last_completion is not None
    assert result.completion.max is not None and result.completion.p90 is not None
    assert result.completion.median is not None and result.completion.mean is not None
    assert 0 < result.completion.median <= result.completion.p90 <= result.completion.max


def test_sapa_ends_in_both_branches(sapa: Procedure) -> None:
    result = simulate(sapa, cases=40, seed=1, arrivals_per_day=0.5)
    assert set(result.outcomes) == {"completed", "referred"}


def test_loops_terminate_and_repeat(mediasi: Procedure) -> None:
    result = simulate(mediasi, cases=40, seed=1, arrivals_per_day=0.3)
    visits = result.step_visits["monitoring_implementasi"]
    assert 40 < visits < 40 * 3  # some monitoring repeats, decaying quickly
    assert result.step_visits["pendokumentasian"] == 40


def test_a_loop_that_cannot_end_is_reported_unfinished(mediasi: Procedure) -> None:
    result = simulate(mediasi, cases=5, seed=1, max_visits=2,
                      outcome_weights={"keputusan_terminasi.terminasi": 0})
    assert result.finished == 0 and result.unfinished == 5
    assert result.outcomes == {"unfinished": 5}
    assert result.step_visits["monitoring_implementasi"] == 10  # capped at 2 per case
    assert result.share_breaching is None


def test_more_staff_for_the_bottleneck_lowers_the_p90(mediasi: Procedure) -> None:
    few = simulate(mediasi, cases=40, seed=2, arrivals_per_day=0.3)
    assert few.bottlenecks[0] == "pendamping_ppa"
    assert few.roles[0].utilisation is not None and few.roles[0].utilisation > 0.8
    more = simulate(mediasi, cases=40, seed=2, arrivals_per_day=0.3,
                    staff={"pendamping_ppa": 3})
    assert few.completion.p90 is not None and more.completion.p90 is not None
    assert more.completion.p90 < few.completion.p90
    assert more.roles[0].mean_wait_days < few.roles[0].mean_wait_days
    # common random numbers: the same work was done, only the queueing changed
    assert more.roles[0].busy_days == pytest.approx(few.roles[0].busy_days)


def test_share_breaching_is_a_share(sapa: Procedure, mediasi: Procedure) -> None:
    for proc, rate in ((sapa, 0.5), (mediasi, 0.2)):
        result = simulate(proc, cases=30, seed=4, arrivals_per_day=rate)
        assert result.share_breaching is not None
        assert 0.0 <= result.share_breaching <= 1.0
        assert result.assessed == 30
        assert result.to_dict()["share_breaching"] == round(result.share_breaching, 3)


def test_a_quiet_office_meets_a_generous_limit(sapa: Procedure) -> None:
    limit = sapa.time_limit.model_copy(update={"amount": 30})
    generous = sapa.model_copy(update={"time_limit": limit})
    result = simulate(generous, cases=10, seed=1, arrivals_per_day=0.05)
    assert result.breached == 0 and result.share_breaching == 0.0
    assert all(r.mean_wait_days < 0.5 for r in result.roles)


def test_clock_starts_when_requirements_are_met(mediasi: Procedure) -> None:
    # mediasi's clock waits for the assessment (produced by step 1): completion < total
    result = simulate(mediasi, cases=10, seed=1, arrivals_per_day=0.1)
    assert result.time_limit["starts"] == "requirements_met"
    assert result.completion.mean is not None and result.total.mean is not None
    assert result.completion.mean < result.total.mean


def test_team_steps_are_done_by_members(sapa: Procedure) -> None:
    result = simulate(sapa, cases=20, seed=1, arrivals_per_day=0.5)
    tasks = {r.role: r.tasks for r in result.roles}
    assert "tim_penjangkauan" not in tasks
    # sub_koordinator: steps 3 and 6b/6c; kepala_bidang: step 4; any member: step 5
    assert tasks["sub_koordinator"] + tasks["kepala_bidang"] + tasks["konselor"] == 20 * 4
    assert tasks["pelapor"] == 20
    external = [r for r in result.roles if r.staff is None]
    assert [r.role for r in external] == ["pelapor"] and external[0].utilisation is None


def test_start_moves_to_a_working_day(sapa: Procedure) -> None:
    result = simulate(sapa, cases=3, seed=1, start=dt.date(2026, 1, 1))  # New Year's Day
    assert result.start == dt.date(2026, 1, 2)


def test_work_hours() -> None:
    assert work_hours(None) == HOURS_PER_DAY
    assert work_hours(Duration(amount=4, unit=DurationUnit.HOURS)) == 4
    assert work_hours(Duration(amount=3, unit=DurationUnit.WORKING_DAYS)) == 24
    assert work_hours(Duration(amount=7, unit=DurationUnit.CALENDAR_DAYS)) == 40


# --- options ----------------------------------------------------------------------------------

def test_staffing_defaults_and_overrides(sapa: Procedure) -> None:
    assert staffing(sapa) == {"admin": 1, "sub_koordinator": 1, "kepala_bidang": 1,
                              "konselor": 1, "kepala_dinas": 1}
    assert staffing(sapa, {"admin": 3})["admin"] == 3


@pytest.mark.parametrize(("staff", "message"), [
    ({"admn": 2}, "no role 'admn' (did you mean 'admin'?)"),
    ({"pelapor": 2}, "external"),
    ({"tim_penjangkauan": 2}, "is a team"),
    ({"admin": 0}, "at least 1"),
])
def test_staffing_rejects(sapa: Procedure, staff: dict[str, int], message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("?", r"\?")):
        staffing(sapa, staff)


@pytest.mark.parametrize("values", [["admin"], ["admin=x"], ["=2"], ["admin=0"],
                                    ["admin=1", "admin=2"]])
def test_parse_staff_rejects(values: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_staff(values)


def test_bad_options_raise_usage_errors(sapa: Procedure) -> None:
    with pytest.raises(UsageError):
        simulate(sapa, cases=0)
    with pytest.raises(UsageError):
        simulate(sapa, arrivals_per_day=0)
    with pytest.raises(UsageError):
        simulate(sapa, outcome_weights={"pertimbangan_kepala_dinas.nope": 1})


# --- the command ------------------------------------------------------------------------------

def test_cli_json_is_deterministic_and_complete() -> None:
    args = ("simulate", SAPA_FILE, "--cases", "15", "--seed", "9", "--format", "json",
            "--staff", "sub_koordinator=2")
    first, second = run(*args), run(*args)
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["cases"] == 15 and data["finished"] == 15 and data["seed"] == 9
    assert data["staff"]["sub_koordinator"] == 2
    assert set(data["completion_working_days"]) == {"count", "mean", "median", "p90", "max"}
    assert 0 <= data["share_breaching"] <= 1
    assert data["bottlenecks"][0] == data["roles"][0]["role"]
    assert data["time_limit"] == {"amount": 2, "unit": "working_days", "bound": "max",
                                  "starts": "case_opened", "assessed": True}


def test_cli_text() -> None:
    result = run("simulate", "mediasi", "--cases", "10", "--arrivals-per-day", "0.2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Simulation of mediasi v2024.1: 10 case(s), seed 1" in out
    assert "Finished: 10 of 10" in out
    assert "Time limit 14 working day(s):" in out
    assert "Roles, bottleneck first:" in out
    assert "(external)" in out


def test_cli_text_indonesian() -> None:
    result = run("--lang", "id", "simulate", SAPA_FILE, "--cases", "5")
    assert result.exit_code == 0
    assert "Simulasi sapa v1: 5 kasus" in result.stdout


@pytest.mark.parametrize(("value", "message"), [
    ("pendamping_ppa", "--staff 'pendamping_ppa' is not ROLE=COUNT"),
    ("pendamping_ppa=two", "'two' is not a whole number"),
    ("pendamping=2", "has no role 'pendamping'"),
    ("mediator=2", "role 'mediator' is external"),
])
def test_cli_bad_staff_exits_2_with_a_clear_message(value: str, message: str) -> None:
    result = run("simulate", "mediasi", "--cases", "5", "--staff", value)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_unknown_procedure_exits_3() -> None:
    assert run("simulate", "no_such_procedure").exit_code == 3


def test_arrivals_beyond_a_roles_capacity_are_warned_about(mediasi: Procedure) -> None:
    """The README's example (one pendamping, 1 arrival a day) overloads pendamping_ppa: the
    result says so, with the staff or arrival rate that would keep up."""
    result = simulate(mediasi, cases=200, seed=1)
    over = {o["role"]: o for o in result.overloaded}
    assert set(over) == {"pendamping_ppa"}
    needed = over["pendamping_ppa"]["staff_needed"]
    assert needed > 1 and result.to_dict()["overloaded"] == result.overloaded
    text = run("simulate", "mediasi", "--cases", "200", "--seed", "1")
    assert text.exit_code == 0
    assert "pendamping_ppa is over capacity" in text.output
    assert f"--staff pendamping_ppa={needed}" in text.output
    staffed = simulate(mediasi, cases=200, seed=1, staff={"pendamping_ppa": needed})
    assert staffed.overloaded == []
    assert "over capacity" not in run("simulate", "mediasi", "--cases", "200", "--seed", "1",
                                      "--staff", f"pendamping_ppa={needed}").output
    indonesian = run("--lang", "id", "simulate", "mediasi", "--cases", "50", "--seed", "1")
    assert "melebihi kapasitas" in indonesian.output
