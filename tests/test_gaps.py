"""Gaps found by encoding real SPs from their documents alone (tests/fixtures/encoded): months as
a unit, a recurring step without a period or ending after a duration, a product naming several
documents, a time limit tied to an outside event, a product handed over outside the steps, and
the wording of what alur prints about them. Each runs from the file to the runtime."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from runtime_support import MINIMAL, Clock, attachment, edited_minimal, wib

from engine.api import Engine
from engine.cases.calendar import add_months, calendar_for
from engine.procedure.model import Duration, DurationUnit
from engine.procedure.validate import load_procedure

JAKARTA = calendar_for("Asia/Jakarta")


def _procedure(tmp_path: Path, *changes: tuple[str, str], name: str = "prosedur.yaml") -> str:
    return str(edited_minimal(tmp_path, *changes, name=name))


LIMIT = "  amount: 3\n  unit: working_days\n  source_text: \"3 Hari\"\n"


# --- 1. months ---------------------------------------------------------------------------------

def test_a_month_ends_on_the_same_day_or_the_month_s_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 3, 15), 12) == dt.date(2027, 3, 15)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(1, 120), st.integers(1, 120))
def test_months_add_up_and_never_lose_a_month(day: dt.date, a: int, b: int) -> None:
    moved = add_months(day, a)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == a
    clamped = moved.day < day.day and (moved + dt.timedelta(days=1)).month != moved.month
    assert moved.day == day.day or clamped  # else clamped to the month's last day
    # adding in two goes never ends later than in one (clamping only ever shortens)
    assert add_months(add_months(day, a), b) <= add_months(day, a + b)


@given(st.datetimes(min_value=dt.datetime(2001, 1, 1), max_value=dt.datetime(2080, 1, 1)),
       st.integers(1, 36))
def test_a_months_limit_is_due_at_the_end_of_its_day_and_measures_as_many_months(
        start: dt.datetime, months: int) -> None:
    begin = start.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    due = JAKARTA.due(begin, Duration(amount=months, unit=DurationUnit.MONTHS))
    assert due.date() == add_months(begin.date(), months)
    assert due.time() == dt.time.max
    assert abs(JAKARTA.elapsed(begin, due, DurationUnit.MONTHS) - months) < 1e-6
    half = begin + (due - begin) / 2
    assert 0 < JAKARTA.elapsed(begin, half, "months") < months


def test_a_case_of_three_months_is_due_three_calendar_months_later(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    proc = _procedure(tmp_path, (LIMIT, "  amount: 3\n  unit: months\n"
                                        "  source_text: \"3 bulan\"\n"))
    assert load_procedure(proc).time_limit.unit is DurationUnit.MONTHS
    clock.set(wib(2026, 11, 30, 9))
    opened = engine.open_case(proc, user="adi", role="petugas", documents=(attachment("ktp"),))
    due = dt.datetime.fromisoformat(opened.case.due_at or "")
    assert due.date() == dt.date(2027, 2, 28)


def test_the_importer_keeps_bulan_as_months() -> None:
    from engine.authoring.importer import _unit

    assert _unit("bulan") == (1, "months", True)
    assert _unit("months") == (1, "months", True)


def test_the_importer_keeps_three_bulan_as_three_months() -> None:
    import yaml

    from engine.authoring.importer import draft_procedure

    sp = Path(__file__).resolve().parent.parent / "examples" / "sp" / "konseling_psikologis.txt"
    source = sp.read_text(encoding="utf-8")
    old = "3 (tiga) hari kerja sejak persyaratan lengkap"
    assert old in source
    draft = draft_procedure(source.replace(old, "3 (tiga) bulan sejak persyaratan lengkap"),
                            lang="id")
    limit = yaml.safe_load(draft.yaml)["time_limit"]
    assert (limit["amount"], limit["unit"]) == (3, "months")


# --- 2. a recurring step without a period, and one that lasts a duration -----------------------

BERULANG = MINIMAL.parent / "berulang.yaml"
EVERY_DAY = "      every: {amount: 1, unit: calendar_days}\n      until_step: terbit\n"


def _recurring(tmp_path: Path, repeat: str) -> str:
    text = BERULANG.read_text(encoding="utf-8")
    assert EVERY_DAY in text
    path = tmp_path / "berulang.yaml"
    path.write_text(text.replace(EVERY_DAY, repeat, 1), encoding="utf-8")
    return str(path)


def _at_monitoring(engine: Engine, clock: Clock, proc: str) -> str:
    from engine.cases.commands import CompleteStep

    clock.set(wib(2026, 6, 1, 9))
    case_id = engine.open_case(proc, user="ani", role="petugas",
                               documents=(attachment("ktp"),)).case.case_id
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="terima"))
    engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id, step="putus",
                                outcome="setuju"))
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id, step="pantau"))
    return case_id


def _report(engine: Engine, case_id: str) -> list[str]:
    from engine.cases.commands import CompleteStep

    result = engine.execute(CompleteStep(user="ani", role="petugas", case_id=case_id,
                                         step="pantau", note="sesi pemulihan"))
    # the case's own limit (3 working days) runs out meanwhile: not what these tests are about
    return [e.type for e in result.events if e.payload.get("target") != "case"]


def test_a_recurring_step_without_a_period_is_reported_whenever_and_never_late(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    from engine.cases.commands import CheckDeadlines, CompleteStep

    proc = _recurring(tmp_path, "      until_step: terbit\n")
    case_id = _at_monitoring(engine, clock, proc)
    state = engine.case(case_id)
    assert state.current_step == "terbit" and state.obligations["pantau"]["due_at"] is None
    clock.set(wib(2026, 7, 20, 9))  # seven weeks without a report: nothing is owed
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    assert _report(engine, case_id) == ["obligation_reported"]
    state = engine.case(case_id)
    assert [b for b in state.breaches if b["target"] != "case"] == []  # the case's own limit
    assert state.obligations["pantau"]["reports"] == 2
    assert not [i for i in engine.due() if i.case_id == case_id and i.target.startswith("rep")]
    # nothing is owed: the psychologist's inbox does not hold the case for it
    assert case_id not in [snap.case_id for snap in engine.inbox("petugas")]
    assert case_id in [snap.case_id for snap in engine.inbox("kepala")]  # the current step
    done = engine.execute(CompleteStep(user="budi", role="kepala", case_id=case_id,
                                       step="terbit"))
    assert "obligation_ended" in [e.type for e in done.events]
    assert engine.verify(case_id) == []


def test_a_recurring_step_that_lasts_three_months_ends_by_itself(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    from engine.analysis.audit.conformance import conform_case
    from engine.cases.commands import CheckDeadlines

    proc = _recurring(tmp_path, "      every: {amount: 14, unit: calendar_days}\n"
                                "      lasts: {amount: 3, unit: months}\n")
    case_id = _at_monitoring(engine, clock, proc)  # first visit on 1 June
    running = engine.case(case_id).obligations["pantau"]
    assert running["ends_at"].startswith("2026-09-01")
    assert running["due_at"].startswith("2026-06-15")
    for day in (14, 28):  # visits in June, July and August, each within 14 days
        clock.set(wib(2026, 6, day, 10))
        assert _report(engine, case_id) == ["obligation_reported"]
    for month, day in ((7, 10), (7, 24), (8, 7), (8, 21)):
        clock.set(wib(2026, month, day, 10))
        assert _report(engine, case_id) == ["obligation_reported"]
    # the next visit would fall due on 4 September, after the 3 months: none is owed
    assert engine.case(case_id).obligations["pantau"]["due_at"] is None
    clock.set(wib(2026, 9, 20, 9))
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    state = engine.case(case_id)
    assert state.obligations["pantau"]["ended_at"] is not None
    assert [b for b in state.breaches if b["target"] != "case"] == []
    assert state.current_step == "terbit"
    from engine.errors import CommandRefused
    with pytest.raises(CommandRefused):  # over: a report is no longer taken
        _report(engine, case_id)
    assert conform_case(engine.events(case_id), engine.context).deviations == []


def test_a_visit_missed_within_the_period_is_still_a_breach(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    proc = _recurring(tmp_path, "      every: {amount: 14, unit: calendar_days}\n"
                                "      lasts: {amount: 3, unit: months}\n")
    case_id = _at_monitoring(engine, clock, proc)
    clock.set(wib(2026, 6, 20, 9))
    _report(engine, case_id)  # 19 days after the first visit: late
    assert "repeat:pantau" in [b["target"] for b in engine.case(case_id).breaches]


@pytest.mark.parametrize(("repeat", "code"), [
    ("      every: {amount: 1, unit: calendar_days}\n", "R025"),
    ("      until_step: terbit\n      lasts: {amount: 3, unit: months}\n", "R025"),
])
def test_a_recurring_step_needs_exactly_one_end(tmp_path: Path, repeat: str, code: str) -> None:
    from engine.procedure.validate import check_path

    checked = check_path(_recurring(tmp_path, repeat))
    assert [d.code for d in checked.diagnostics] == [code]
    assert checked.diagnostics[0].line == 46  # at the step's repeat mapping


def test_show_says_how_a_step_recurs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main

    runner = CliRunner()
    open_ = runner.invoke(main, ["show", _recurring(tmp_path, "      until_step: terbit\n")])
    assert "reported whenever it happens (the source gives no period: never late) until step " \
           "terbit completes" in open_.output
    lasting = _recurring(tmp_path, "      every: {amount: 14, unit: calendar_days}\n"
                                   "      lasts: {amount: 3, unit: months}\n")
    shown = runner.invoke(main, ["--lang", "id", "show", lasting])
    assert "dilaporkan lagi paling lambat setiap 14 hari kalender selama 3 bulan sejak " \
           "penyelesaian pertamanya" in shown.output
    graph = runner.invoke(main, ["graph", lasting, "--format", "mermaid"])
    assert "repeats every 14 calendar days, for 3 months" in graph.output


# --- 3. a product naming several documents ------------------------------------------------------

TWO_DOCUMENTS = (
    ("  - {id: surat, title: Surat Keterangan, kind: produced}\n",
     "  - {id: surat, title: Surat Keterangan, kind: produced}\n"
     "  - {id: rencana, title: Rencana, kind: produced}\n"),
    ("    produces: [surat]\n", "    produces: [surat, rencana]\n"),
    ("  - {text: Surat Keterangan, document: surat}\n",
     "  - {text: Surat keterangan dan rencana, documents: [surat, rencana]}\n"))


def test_a_product_names_several_documents(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main
    from engine.procedure.validate import check_path

    proc = _procedure(tmp_path, *TWO_DOCUMENTS)
    assert check_path(proc).diagnostics == ()
    assert load_procedure(proc).products[0].documents == ("surat", "rencana")
    shown = CliRunner().invoke(main, ["show", proc]).output
    assert "Surat keterangan dan rencana (surat, rencana)" in shown
    typo = _procedure(tmp_path, *TWO_DOCUMENTS[:2],
                      ("  - {text: Surat Keterangan, document: surat}\n",
                       "  - {text: Surat keterangan dan rencana, documents: [surat, rencan]}\n"),
                      name="typo.yaml")
    found = check_path(typo).diagnostics
    assert [(d.code, d.path) for d in found] == [("R002", "products[0].documents[1]")]


# --- 4. a time limit tied to an outside event ---------------------------------------------------

EVENT = (LIMIT, "  amount: null\n  event: putusan pengadilan berkekuatan hukum tetap\n"
                "  until_step: terbit\n"
                "  source_text: \"sampai putusan pengadilan berkekuatan hukum tetap\"\n")


def test_a_limit_until_an_outside_event_is_given_and_has_no_unit(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main
    from engine.procedure.validate import check_path

    proc = _procedure(tmp_path, EVENT)
    assert check_path(proc).diagnostics == ()
    loaded = load_procedure(proc)
    assert loaded.time_limit.unit is None and "jangka_waktu" not in loaded.missing_components()
    for lang, words in (("en", "time limit: until putusan pengadilan berkekuatan hukum tetap "
                               "(an outside event)"),
                        ("id", "jangka waktu: sampai putusan pengadilan berkekuatan hukum tetap "
                               "(peristiwa di luar instansi)")):
        shown = CliRunner().invoke(main, ["--lang", lang, "show", proc]).output
        assert words in shown
        assert "calendar day" not in shown and "not given by the source" not in shown
        assert "tidak dicantumkan" not in shown
    clock.set(wib(2026, 3, 2, 9))
    opened = engine.open_case(proc, user="adi", role="petugas", documents=(attachment("ktp"),))
    assert opened.case.due_at is None  # no date to be late against


@pytest.mark.parametrize(("limit", "path"), [
    ("  amount: 3\n  source_text: \"3 Hari\"\n", "time_limit.amount"),
    ("  amount: 3\n  unit: months\n  event: putusan\n  source_text: \"3 Hari\"\n",
     "time_limit.event"),
])
def test_an_amount_needs_a_unit_and_excludes_an_event(tmp_path: Path, limit: str,
                                                     path: str) -> None:
    from engine.procedure.validate import check_path

    found = check_path(_procedure(tmp_path, (LIMIT, limit))).diagnostics
    assert [(d.code, d.path) for d in found] == [("R026", path)]


# --- 5. a product handed over outside the steps -------------------------------------------------

NOT_PRODUCED = ("    produces: [surat]\n", "")


def test_a_product_issued_outside_the_steps_needs_no_producing_step(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main

    runner = CliRunner()
    plain = _procedure(tmp_path, NOT_PRODUCED)
    refused = runner.invoke(main, ["--lang", "id", "validate", "--strict", plain])
    assert refused.exit_code == 1 and "R008" in refused.output
    # the Indonesian message is Indonesian, and its hint says what to do
    assert "is of kind" not in refused.output and "berjenis 'produced'" not in refused.output
    assert "dokumen 'surat' adalah dokumen hasil" in refused.output
    assert "issued_outside: true" in refused.output and "produces" in refused.output
    assert "Lihat docs/language.md" not in refused.output
    outside = _procedure(tmp_path, NOT_PRODUCED, (
        "  - {text: Surat Keterangan, document: surat}\n",
        "  - {text: Surat Keterangan, document: surat, issued_outside: true}\n"),
        name="outside.yaml")
    accepted = runner.invoke(main, ["validate", "--strict", outside])
    assert accepted.exit_code == 0, accepted.output
    assert "[handed over outside the steps]" in runner.invoke(main, ["show", outside]).output


# --- 6. what alur prints ----------------------------------------------------------------------

def test_a_breach_escalated_to_nobody_says_so_without_a_dash(engine: Engine, clock: Clock,
                                                            tmp_path: Path) -> None:
    from engine.cases.commands import CheckDeadlines
    from engine.render.timeline import describe

    proc = _procedure(tmp_path)
    clock.set(wib(2026, 3, 2, 9))
    case_id = engine.open_case(proc, user="adi", role="petugas",
                               documents=(attachment("ktp"),)).case.case_id
    clock.set(wib(2026, 3, 20, 9))
    engine.execute(CheckDeadlines(user="alur", role="-", case_id=case_id))
    loaded = load_procedure(proc)
    said = [describe(loaded, e, lang) for e in engine.events(case_id)
            if e.type == "deadline_breached" for lang in ("en", "id")]
    assert said and all(s is not None and "-" not in s.split(")")[-1] for s in said), said
    assert all("escalated" not in s and "dieskalasi" not in s for s in said if s)


def test_the_requirement_hint_fits_what_is_missing(engine: Engine, clock: Clock,
                                                   tmp_path: Path) -> None:
    from engine.cases.commands import CompleteStep
    from engine.errors import CommandRefused

    proc = _procedure(tmp_path)
    clock.set(wib(2026, 3, 2, 9))
    case_id = engine.open_case(proc, user="adi", role="petugas").case.case_id
    with pytest.raises(CommandRefused) as refused:
        engine.execute(CompleteStep(user="adi", role="petugas", case_id=case_id, step="terima"))
    assert refused.value.rule == "guard.requirements"
    hint = refused.value.hint or ""
    assert f"alur case attach {case_id}" in hint and "set the fact" not in hint
    fact = _procedure(tmp_path, ('  - {number: 1, text: "KTP", document: ktp}\n',
                                 '  - {number: 1, text: "Korban anak", fact: is_child}\n'),
                      name="fakta.yaml")
    other = engine.open_case(fact, user="adi", role="petugas").case.case_id
    with pytest.raises(CommandRefused) as by_fact:
        engine.execute(CompleteStep(user="adi", role="petugas", case_id=other, step="terima",
                                    documents=(attachment("ktp"),)))
    hint = by_fact.value.hint or ""
    assert f"alur case fact {other}" in hint and "attach" not in hint


def test_a_staff_member_recording_an_outside_role_s_step_is_named(tmp_path: Path) -> None:
    from test_examples import invoke

    encoded = Path(__file__).resolve().parent / "fixtures" / "encoded"
    db = f"sqlite:///{tmp_path / 'rkd.db'}"
    assert invoke("--db", db, "run", encoded / "rujukan_kesehatan_denpasar.yaml",
                  encoded / "rujukan_kesehatan_denpasar.case.yaml").exit_code == 0
    shown = invoke("--db", db, "case", "show", "rkd-uji-01").output
    assert "Pemeriksaan medis dan visum — Dokter made" in shown  # staff: named
    assert "•••" not in shown.split("timeline:")[1].split("opened by")[0]
    # an outside person acting in their own name stays masked
    from engine.cases.privacy import MASK, masked_user, staff_users

    proc = load_procedure(encoded / "rujukan_kesehatan_denpasar.yaml")
    assert masked_user(proc, "ni.l", "dokter", staff_users(proc, [])) == MASK
    assert masked_user(proc, "made", "dokter",
                       staff_users(proc, [{"user": "made", "role": "petugas_pendamping"}])) \
        == "made"
