"""What real published SPs say, run by the runtime (issue 17): a minimum duration is no deadline,
requirements (numbered as the source numbers them, grouped any-of / all-of, naming several
documents) hold back the clock and the first staff step, conditions use three-valued logic, and
minutes are a unit. Each procedure is the minimal fixture with the feature written in."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_support import MINIMAL, Clock, attachment, complete, wib

from engine.api import Engine
from engine.cases.commands import SetFact
from engine.cases.rules import requirement_label, unmet_requirements
from engine.cli.cases import _deadline_status
from engine.errors import CommandRefused
from engine.procedure.validate import load_procedure

KTP = '  - {number: 1, text: "KTP", document: ktp}\n'


def _procedure(tmp_path: Path, *changes: tuple[str, str]) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "prosedur.yaml"
    path.write_text(text, encoding="utf-8")
    load_procedure(path)  # valid
    return str(path)


def _through(engine: Engine, case_id: str) -> None:
    complete(engine, case_id, "terima", "petugas")
    complete(engine, case_id, "putus", "kepala", outcome="setuju")
    complete(engine, case_id, "terbit", "petugas")


# --- a minimum is not a deadline -----------------------------------------------------------------

MINIMUM = ("  amount: 3\n  unit: working_days\n  source_text: \"3 Hari\"\n",
           "  amount: 12\n  unit: hours\n  bound: min\n"
           "  source_text: \"paling cepat 12 jam setelah laporan diterima\"\n")


@pytest.mark.parametrize(("hours", "early"), [(7, True), (31, False)])
def test_a_minimum_is_never_breached_and_closing_early_is_information(
        engine: Engine, clock: Clock, tmp_path: Path, hours: int, early: bool) -> None:
    proc = _procedure(tmp_path, MINIMUM)
    clock.set(wib(2026, 3, 2, 9))
    opened = engine.open_case(proc, user="adi", role="petugas",
                              documents=(attachment("ktp"),))
    case_id = opened.case.case_id
    assert opened.case.due_at is None and opened.case.earliest_at is not None
    clock.advance(hours=hours)
    _through(engine, case_id)
    engine.check_deadlines(clock.advance(hours=100))
    state = engine.case(case_id)
    assert state.status == "completed" and state.breaches == []
    status = _deadline_status(state, "en", "Asia/Jakarta",
                              "paling cepat 12 jam setelah laporan diterima")
    if early:
        assert "before the minimum" in status and "paling cepat 12 jam" in status
        assert "not a breach" in status
    else:
        assert status.startswith("closed after the minimum")
    assert "BREACHED" not in status


def test_show_prints_the_bound(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main

    out = CliRunner().invoke(main, ["show", _procedure(tmp_path, MINIMUM)]).output
    assert "time limit: 12 hour(s) from case opened (at least: a minimum, not a deadline)" in out


# --- requirements are enforced -------------------------------------------------------------------

GROUPED = (
    ("facts:\n", "facts:\n  - {id: warga_kota, title: Warga kota, type: bool}\n"
                 "  - {id: kejadian_di_kota, title: Kejadian di kota, type: bool}\n"),
    ("documents:\n", "documents:\n  - {id: kk, title: Kartu Keluarga, kind: requirement, "
                     "form: copy, sheets: 1}\n"),
    (KTP, KTP + '  - number: "2"\n'
          '    text: "Fotocopy KTP dan KK 1 lembar"\n'
          '    documents: [ktp, kk]\n'
          '  - number: "3"\n'
          '    text: "Salah satu dari:"\n'
          '    any_of:\n'
          '      - {number: "3.a", text: "Penduduk kota", fact: warga_kota}\n'
          '      - {number: "3.b", text: "Kejadian di wilayah kota", fact: kejadian_di_kota}\n'),
)


def test_requirements_hold_back_the_first_staff_step_by_their_source_number(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    proc = _procedure(tmp_path, *GROUPED)
    opened = engine.open_case(proc, user="adi", role="petugas", documents=(attachment("ktp"),),
                              facts={"warga_kota": False})
    case_id = opened.case.case_id
    unmet = unmet_requirements(load_procedure(proc), opened.case)
    assert [requirement_label(r) for r in unmet] == [
        '2 "Fotocopy KTP dan KK 1 lembar" (kk, ktp)', '3 "Salah satu dari:" (3.a | 3.b)']
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "terima", "petugas")
    assert refused.value.rule == "guard.requirements"
    assert '2 "Fotocopy KTP dan KK' in str(refused.value) and '3 "Salah satu' in str(refused.value)
    # one document of two is not the requirement met; one item of the any-of group is enough
    engine.execute(SetFact(user="adi", role="petugas", case_id=case_id, name="kejadian_di_kota",
                           value=True))
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "terima", "petugas")
    assert '2 "Fotocopy' in str(refused.value) and '3 "Salah' not in str(refused.value)
    complete(engine, case_id, "terima", "petugas", documents=(attachment("kk"),))
    assert engine.case(case_id).current_step == "putus"


def test_a_requirement_gates_what_it_says_and_the_clock_waits_for_it(
        engine: Engine, clock: Clock, tmp_path: Path) -> None:
    proc = _procedure(
        tmp_path,
        (KTP, '  - {number: "1.2.a", text: "KTP", document: ktp, gates: [clock, putus]}\n'),
        ("  unit: working_days\n", "  unit: working_days\n  starts: requirements_met\n"))
    opened = engine.open_case(proc, user="adi", role="petugas")
    case_id = opened.case.case_id
    assert opened.case.clock_started_at is None
    # the first staff step is not held back by it (the step's own 'requires' still asks)
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "terima", "petugas")
    assert refused.value.rule == "guard.documents"
    complete(engine, case_id, "terima", "petugas", documents=(attachment("ktp"),))
    assert engine.case(case_id).clock_started_at is not None


# --- three-valued conditions ---------------------------------------------------------------------

def test_an_unset_fact_matters_only_where_the_result_depends_on_it(
        engine: Engine, tmp_path: Path) -> None:
    proc = _procedure(
        tmp_path,
        ("facts:\n", "facts:\n  - {id: dirujuk, title: Dirujuk, type: bool}\n"),
        ("    actor: kepala\n", "    actor: kepala\n    when: is_child or dirujuk\n"))
    for facts, allowed in (({"is_child": True}, True), ({"is_child": False}, False)):
        opened = engine.open_case(proc, user="adi", role="petugas",
                                  documents=(attachment("ktp"),), facts=facts)
        case_id = opened.case.case_id
        complete(engine, case_id, "terima", "petugas")
        if allowed:  # true or unset: true
            complete(engine, case_id, "putus", "kepala", outcome="setuju")
        else:  # false or unset: unknown, so the unset fact is named
            with pytest.raises(CommandRefused) as refused:
                complete(engine, case_id, "putus", "kepala", outcome="setuju")
            assert refused.value.rule == "guard.fact_unset" and "dirujuk" in str(refused.value)


# --- minutes -------------------------------------------------------------------------------------

def test_minutes_stay_minutes_and_count_as_minutes(engine: Engine, clock: Clock,
                                                   tmp_path: Path) -> None:
    proc = _procedure(tmp_path, ("  amount: 3\n  unit: working_days\n  source_text: \"3 Hari\"\n",
                                 "  amount: 240\n  unit: minutes\n  source_text: \"240 menit\"\n"))
    clock.set(wib(2026, 3, 2, 9))
    opened = engine.open_case(proc, user="adi", role="petugas", documents=(attachment("ktp"),))
    assert opened.case.due_at == wib(2026, 3, 2, 13).isoformat()
    assert load_procedure(proc).time_limit.unit.value == "minutes"


# --- the worked example of docs/language.md §18 ---------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _docs_example(tmp_path: Path) -> str:
    text = (DOCS / "language.md").read_text(encoding="utf-8")
    section = text[text.index("## 18. A published SP as it is"):]
    block = section[section.index("```yaml\n") + len("```yaml\n"):section.index("\n```\n")]
    path = tmp_path / "penjangkauan_contoh.yaml"
    path.write_text(block + "\n", encoding="utf-8")
    return str(path)


def test_the_worked_example_of_the_language_guide_validates_strictly(tmp_path: Path) -> None:
    from engine.procedure.validate import check_path

    checked = check_path(_docs_example(tmp_path))
    assert checked.diagnostics == () and checked.procedure is not None
    proc = checked.procedure
    assert proc.roles[0].id == "korban" and proc.roles[0].aliases
    assert proc.requirements[1].any_of[1].number == "1.2.b"
    assert proc.time_limit.unit.value == "minutes"


def test_the_worked_example_runs_as_the_guide_says(engine: Engine, clock: Clock,
                                                   tmp_path: Path) -> None:
    proc = _docs_example(tmp_path)
    clock.set(wib(2026, 3, 2, 9))
    opened = engine.open_case(proc, user="sari", role="korban", documents=(attachment("ktp"),))
    case_id = opened.case.case_id
    assert opened.case.clock_started_at is None  # the requirements are not met yet
    complete(engine, case_id, "melapor", "korban")
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "menerima_laporan", "petugas_pengaduan", outcome="jangkau")
    assert refused.value.rule == "guard.requirements"
    assert '1.1 "Fotocopy KTP dan KK 1 lembar" (kk, ktp)' in str(refused.value)
    assert '1.2 "Memenuhi salah satu kriteria berikut:" (1.2.a | 1.2.b)' in str(refused.value)
    assert "1.3" not in str(refused.value)  # optional, and holds nothing back
    clock.advance(minutes=10)
    # high risk: outreach, though nobody said where the incident happened (three-valued 'or')
    done = complete(engine, case_id, "menerima_laporan", "petugas_pengaduan", outcome="jangkau",
                    documents=(attachment("kk"),),
                    facts={"warga_kota": True, "tingkat_risiko": "tinggi"})
    assert done.case.current_step == "penjangkauan"
    assert done.case.due_at == wib(2026, 3, 2, 13, 10).isoformat()  # 240 minutes


def test_the_guide_in_indonesian_shows_the_example_s_requirements() -> None:
    import yaml

    guide = (DOCS / "panduan.md").read_text(encoding="utf-8")
    block = guide[guide.index("```yaml\nrequirements:\n  - {number: \"1.1\""):]
    block = block[len("```yaml\n"):block.index("\n```\n")]
    language = (DOCS / "language.md").read_text(encoding="utf-8")
    section = language[language.index("## 18. A published SP as it is"):]
    example = section[section.index("```yaml\n") + len("```yaml\n"):section.index("\n```\n")]
    assert yaml.safe_load(block)["requirements"] == yaml.safe_load(example)["requirements"]


def test_strict_validation_refuses_a_leftover_review_comment(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main

    path = Path(_procedure(tmp_path, ("    actor: kepala\n",
                                      "    actor: kepala  # REVIEW: pelaku disimpulkan\n")))
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0
    strict = runner.invoke(main, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1 and "REVIEW" in strict.output


def test_case_show_lists_the_unmet_requirements(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from engine.cli import main

    proc = _procedure(tmp_path, *GROUPED)
    db = f"sqlite:///{tmp_path / 'alur.db'}"
    runner = CliRunner()
    opened = runner.invoke(main, ["case", "open", proc, "--db", db, "--id", "k-1", "--user", "adi",
                                  "--role", "petugas", "--at", "2026-03-02T09:00:00+07:00"])
    assert opened.exit_code == 0, opened.output
    shown = runner.invoke(main, ["case", "show", "k-1", "--db", db]).output
    assert ('requirements not met: 1 "KTP" (ktp); 2 "Fotocopy KTP dan KK 1 lembar" (kk, ktp); '
            '3 "Salah satu dari:" (3.a | 3.b)') in shown
