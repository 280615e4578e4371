"""The third worked procedure, ``procedures/pendampingan.yaml`` (issue #17): joint actors, a
parallel plan of services, a recurring obligation and clock windows in one SP, encoded from its
source text ``procedures/sources/pendampingan.txt`` like a real one, and its example case files
(``examples/pendampingan-*.yaml``) doing at run time what the file says.

``tests/test_examples.py`` checks each example's status, path, refusal and breaches; here is
what only this procedure has: the events of the signatures, the plan, the linked mediation
case, the recurring report and the phase limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.api import Engine
from engine.cases.events import Event
from engine.procedure.validate import check_path
from engine.runner import run_case_file

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE = ROOT / "procedures" / "pendampingan.yaml"
SOURCE = ROOT / "procedures" / "sources" / "pendampingan.txt"
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (YAML folds lines)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PROCEDURE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(autouse=True)
def _procedures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_PROCEDURES", str(ROOT / "procedures"))


@pytest.fixture
def engine() -> Iterator[Engine]:
    with Engine("memory://", lang="en") as opened:
        yield opened


def events(engine: Engine, case_id: str, *types: str) -> list[Event]:
    return [e for e in engine.events(case_id) if e.type in types]


# --- the file ---------------------------------------------------------------------------------

def test_the_procedure_validates_strictly_with_no_warning() -> None:
    checked = check_path(str(PROCEDURE))
    assert checked.diagnostics == () and checked.procedure is not None


def test_every_verbatim_text_is_in_the_source_text(data: dict[str, Any]) -> None:
    """What the file quotes, the source says: steps, outcomes, requirements (nested),
    time limits, cost, products, complaints and every flag's quote."""
    source = words(SOURCE.read_text(encoding="utf-8"))
    quoted: list[str] = [data["title"], data["time_limit"]["source_text"], data["cost"]["text"]]
    quoted += [p["source_text"] for p in data["phase_limits"]]
    quoted += [p["text"] for p in data["products"]]
    for step in data["steps"]:
        quoted.append(step["text"])
        quoted += [o["text"] for o in (step.get("decision") or {}).get("outcomes", [])
                   if o.get("text")]
        plan = step.get("plan") or {}
        quoted += ([plan["text"]] if plan.get("text") else [])
        quoted += [s["label"] for s in plan.get("services", [])]
    pending = list(data["requirements"])
    while pending:
        item = pending.pop()
        quoted.append(item["text"])
        pending += item.get("any_of", []) + item.get("all_of", [])
    channels = list(data["complaints"])
    while channels:
        channel = channels.pop()
        quoted.append(channel["text"])
        channels += channel.get("channels", [])
    quoted += [f["quote"] for f in data["flags"] if f.get("quote")]
    quoted += [c["text"] for c in data["components"].values() if c.get("text")]
    missing = [q for q in quoted if words(q).lower() not in source.lower()]
    assert missing == []


def test_it_says_it_is_not_one_decree(data: dict[str, Any]) -> None:
    assert data["source"]["file"] == "sources/pendampingan.txt"
    assert (PROCEDURE.parent / data["source"]["file"]).is_file()
    assert data["decree"] == {"number": None, "date": None, "known": False}
    flags = {f["id"]: f for f in data["flags"]}
    assert flags["sumber_komposit"]["about"] == "source"
    assert "not the encoding of one published decree" in flags["sumber_komposit"]["note"]
    assert flags["nomor_sk_kosong"]["kind"] == "missing"
    assert "bukan salinan keputusan" in SOURCE.read_text(encoding="utf-8")


def test_it_uses_every_construct_the_two_real_procedures_do_not(data: dict[str, Any]) -> None:
    steps = {s["id"]: s for s in data["steps"]}
    assert steps["asesmen"]["joint"] == {"roles": ["psikolog"], "sign_off": "all"}
    plan = steps["pelaksanaan_layanan"]["plan"]
    assert plan["join"] == "all"
    assert [s["id"] for s in plan["services"]] == ["kesehatan", "psikologis", "hukum", "mediasi"]
    assert [bool(s.get("actor")) for s in plan["services"]] == [True, True, True, False]
    assert plan["services"][3]["refer"]["procedure"] == "mediasi"
    assert steps["laporan_kondisi"]["repeat"] == {
        "every": {"amount": 3, "unit": "working_days"}, "until_step": "akhir_penempatan"}
    assert [p["id"] for p in data["phase_limits"]] == ["asesmen", "rencana_intervensi"]
    korban = next(r for r in data["roles"] if r["id"] == "korban")
    assert korban["aliases"] == ["klien", "penerima manfaat"]
    assert [r["number"] for r in data["requirements"][1]["any_of"]] == ["2.a", "2.b"]


def test_the_mediation_referral_supplies_what_mediasi_requires(data: dict[str, Any]) -> None:
    """Every fact the Layanan Mediasi needs at opening comes from a declared fact here, and
    the documents carried are ones mediasi declares."""
    mediasi = yaml.safe_load((ROOT / "procedures" / "mediasi.yaml").read_text(encoding="utf-8"))
    refer = next(s for s in data["steps"] if s.get("plan"))["plan"]["services"][3]["refer"]
    required = {f["id"] for f in mediasi["facts"] if f.get("required")}
    assert set(refer["facts"]) == required
    assert set(refer["facts"].values()) <= {f["id"] for f in data["facts"]}
    assert set(refer["documents"]) <= {d["id"] for d in mediasi["documents"]}
    consent = next(f for f in data["facts"] if f["id"] == refer["consent"])
    assert consent["type"] == "bool" and consent["default"] is False


def test_the_language_guide_shows_step_4_as_it_is_in_the_file(data: dict[str, Any]) -> None:
    text = (DOCS / "language.md").read_text(encoding="utf-8")
    section = text[text.index("## 19. A third worked procedure"):]
    block = section[section.index("```yaml\n") + len("```yaml\n"):section.index("\n```\n")]
    (shown,) = yaml.safe_load(block)
    assert shown == next(s for s in data["steps"] if s["id"] == "pelaksanaan_layanan")


def test_both_guides_name_it_as_the_third_worked_example() -> None:
    language = (DOCS / "language.md").read_text(encoding="utf-8")
    panduan = (DOCS / "panduan.md").read_text(encoding="utf-8")
    for guide in (language, panduan):
        assert "procedures/pendampingan.yaml" in guide
        assert "examples/pendampingan-" in guide
    assert "prosedur contoh ketiga" in panduan.lower()
    assert "third worked procedure" in language


# --- the example case files, event by event -----------------------------------------------------

def test_the_joint_assessment_is_signed_by_both_and_decided_by_the_last(engine: Engine) -> None:
    run_case_file(engine, "pendampingan", EXAMPLES / "pendampingan-rumah-aman.yaml")
    for case_id, order in (("pendampingan-rumah-aman-01", ["manajer_kasus", "psikolog"]),
                           ("pendampingan-rumah-aman-02", ["psikolog", "manajer_kasus"])):
        signed = events(engine, case_id, "step_signed")
        assert [e.payload["signer"] for e in signed] == order
        (done,) = [e for e in events(engine, case_id, "step_completed")
                   if e.payload["step"] == "asesmen"]
        assert done.role == order[-1] and done.at == signed[-1].at
        assert done.payload["outcome"] == "layanan_lanjutan"


def test_the_plan_runs_its_services_at_once_and_waits_for_the_mediation_case(
        engine: Engine) -> None:
    runs = run_case_file(engine, "pendampingan", EXAMPLES / "pendampingan-layanan.yaml")
    assert all(run.as_expected for run in runs)
    case_id, linked = "pendampingan-layanan-semua", "pendampingan-layanan-semua-ref1"
    (started,) = events(engine, case_id, "plan_started")
    assert started.payload["services"] == ["kesehatan", "psikologis", "hukum", "mediasi"]
    assert started.payload["cases"] == {"mediasi": linked}
    ended = {e.payload["service"]: e for e in events(engine, case_id, "service_ended")}
    assert {s: e.role for s, e in ended.items()} == {
        "kesehatan": "tenaga_kesehatan", "hukum": "pendamping_hukum", "psikologis": "psikolog",
        "mediasi": "manajer_kasus"}
    assert ended["mediasi"].payload["status"] == "completed"
    # the linked case closed on 7 May; the join that found it closed is the next day's
    mediation = engine.case(linked)
    assert mediation.procedure_id == "mediasi" and mediation.status == "completed"
    (closed,) = events(engine, linked, "case_closed")
    (joined,) = events(engine, case_id, "plan_joined")
    assert closed.at < joined.at == ended["mediasi"].at
    assert joined.payload["ended"] == ["kesehatan", "psikologis", "hukum", "mediasi"]
    # what mediasi requires, under its own names, and the documents its requirements name
    assert {k: mediation.facts[k] for k in ("victim_is_child", "perpetrator_is_child",
                                            "has_special_needs")} == {
        "victim_is_child": False, "perpetrator_is_child": False, "has_special_needs": False}
    assert {"identitas_penerima_manfaat", "hasil_asesmen"} <= set(mediation.documents)
    assert mediation.links[0]["case_id"] == case_id
    # every action on the linked case was the mediation's own staff, never this case's
    assert {e.role for e in engine.events(linked)[1:]} <= {
        "pendamping_ppa", "koordinator_uptd_ppa", "mediator", "manajer_kasus"}


def test_a_plan_that_selects_nothing_goes_straight_on(engine: Engine) -> None:
    run_case_file(engine, "pendampingan", EXAMPLES / "pendampingan-layanan.yaml")
    case_id = "pendampingan-layanan-tanpa-layanan"
    (started,) = events(engine, case_id, "plan_started")
    assert started.payload["services"] == []
    assert started.payload["skipped"] == ["kesehatan", "psikologis", "hukum", "mediasi"]
    assert events(engine, case_id, "service_ended") == []
    assert len(events(engine, case_id, "plan_joined")) == 1


def test_a_plan_refused_for_consent_opens_no_mediation_case(engine: Engine) -> None:
    run_case_file(engine, "pendampingan", EXAMPLES / "pendampingan-layanan.yaml")
    case_id = "pendampingan-layanan-tanpa-persetujuan"
    assert events(engine, case_id, "plan_started", "case_referred") == []
    assert engine.store.head(f"{case_id}-ref1") is None


def test_the_late_condition_report_is_a_breach_escalated_to_the_case_manager(
        engine: Engine) -> None:
    run_case_file(engine, "pendampingan", EXAMPLES / "pendampingan-rumah-aman.yaml")
    assert events(engine, "pendampingan-rumah-aman-01", "deadline_breached") == []
    on_time = events(engine, "pendampingan-rumah-aman-01", "obligation_reported")
    assert len(on_time) == 2  # the first completion started it; two more reports
    late = "pendampingan-rumah-aman-02"
    (breach,) = events(engine, late, "deadline_breached")
    assert breach.payload["target"] == "repeat:laporan_kondisi"
    assert breach.payload["escalate_to"] == "manajer_kasus"
    assert breach.at == "2026-05-21T10:00:00+07:00"  # the late report records it first
    (started,) = events(engine, late, "obligation_started")
    # 12 May + 3 working days, 14-15 May (Ascension Day, joint leave) not counted
    assert started.payload["due_at"].startswith("2026-05-19")
    assert len(events(engine, late, "obligation_ended")) == 1


@pytest.mark.parametrize(("case_id", "phase", "due", "at"), [
    ("pendampingan-terlambat-asesmen", "asesmen", "2026-04-21", "2026-04-22T10:00:00+07:00"),
    ("pendampingan-terlambat-rencana", "rencana_intervensi", "2026-04-23",
     "2026-04-27T10:00:00+07:00"),
])
def test_a_phase_limit_missed_is_recorded_once_and_the_case_goes_on(
        engine: Engine, case_id: str, phase: str, due: str, at: str) -> None:
    run_case_file(engine, "pendampingan", EXAMPLES / "pendampingan-terlambat.yaml")
    (started,) = [e for e in events(engine, case_id, "phase_started")
                  if e.payload["phase"] == phase]
    assert started.payload["due_at"].startswith(due)
    (breach,) = events(engine, case_id, "deadline_breached")
    assert (breach.payload["target"], breach.at) == (f"phase:{phase}", at)
    assert breach.payload["escalate_to"] == "kepala_uptd"
    assert engine.case(case_id).status == "completed"


def test_the_refused_assessment_names_the_unmet_requirements_by_number(engine: Engine) -> None:
    runs = {r.case_id: r for r in run_case_file(engine, "pendampingan",
                                                 EXAMPLES / "pendampingan-terlambat.yaml")}
    refusal = str(runs["pendampingan-terlambat-persyaratan"].refused)
    assert re.search(r'\b2 "Memenuhi salah satu ketentuan berikut:" \(2\.a \| 2\.b\)', refusal)
    assert '3 "Surat pernyataan persetujuan pendampingan' in refusal
    assert '1 "' not in refusal and "4 " not in refusal  # met, and optional


def test_the_command_of_the_indonesian_guide_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from click.testing import CliRunner

    from cli import main

    guide = (DOCS / "panduan.md").read_text(encoding="utf-8")
    (line,) = [ln for ln in guide.splitlines() if ln.startswith("alur --lang id --db memory:// "
                                                                "run pendampingan")]
    result = CliRunner().invoke(main, line.split()[1:])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("hasil: completed") == 2
    assert "[guard.plan_open]" in result.stdout and "[guard.consent]" in result.stdout


def test_a_phase_limit_is_met_by_the_step_that_closes_the_case(engine: Engine) -> None:
    """The assessment that ends the case `referred` is the step the phase limit `asesmen`
    runs until: the limit is met before the case closes, and nothing of it runs after."""
    run_case_file(engine, "pendampingan", EXAMPLES / "pendampingan-rujukan.yaml")
    case_id = "pendampingan-rujukan-bukan-kewenangan"
    tail = [e.type for e in engine.events(case_id)][-3:]
    assert tail == ["step_completed", "phase_stopped", "case_closed"]
    state = engine.case(case_id)
    assert [t for t, _ in state.running_deadlines()] == ["case"]
    assert "rencana_intervensi" not in state.phases  # no phase starts on a closing case
    assert engine.store.snapshot(case_id).due_at == state.due_at


def test_every_example_store_verifies_after_the_deadline_sweep(tmp_path: Path) -> None:
    """Signatures, plans, recurring reports and phase limits all change the running
    deadlines; the snapshot's earliest due date is the one `audit verify` recomputes."""
    from click.testing import CliRunner

    from cli import main

    db = f"sqlite:///{tmp_path / 'x.db'}"
    runner = CliRunner()
    files = sorted(str(p) for p in EXAMPLES.glob("pendampingan-*.yaml"))
    assert runner.invoke(main, ["--db", db, "run", "pendampingan", *files]).exit_code == 0
    swept = runner.invoke(main, ["--db", db, "due", "--now", "2026-06-30T17:00:00+07:00",
                                 "--record"])
    assert swept.exit_code == 0, swept.output
    verified = runner.invoke(main, ["--db", db, "audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "every hash chain and snapshot verifies" in verified.stdout


def test_the_privacy_summary_names_every_fact_and_reader(data: dict[str, Any]) -> None:
    text = (DOCS / "privacy.md").read_text(encoding="utf-8")
    section = text[text.index("### Pendampingan (`pendampingan`)"):text.index("## Legal basis")]
    for fact in data["facts"]:
        assert f"`{fact['id']}`" in section, fact["id"]
    assert all(d["sensitive"] for d in data["documents"])  # "Every document is sensitive"
    for role in data["access"]["read"]:
        assert f"`{role}`" in section
    assert f"{data['retention']['after_closed']['amount']} calendar days" in section
