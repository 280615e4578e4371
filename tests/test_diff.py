"""``engine.authoring.diff`` and ``alur diff``: changes between two versions of a procedure, in
words."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner, Result

from cli import main
from engine.api import Engine, text_hash
from engine.authoring.diff import Change, ChangeKind, affected_cases, diff
from engine.cases.commands import CompleteStep
from engine.procedure.model import FactType, Procedure
from engine.procedure.validate import check_path

ROOT = Path(__file__).resolve().parent.parent
MEDIASI = ROOT / "procedures" / "mediasi.yaml"
SAPA = ROOT / "procedures" / "sapa.yaml"
TEXT = MEDIASI.read_text(encoding="utf-8")
SAPA_TEXT = SAPA.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ALUR_LANG", raising=False)
    monkeypatch.delenv("ALUR_DB", raising=False)
    monkeypatch.setenv("ALUR_PROCEDURES", str(tmp_path / "procedures"))


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r}"
    return text.replace(old, new)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    checked = check_path(path)
    assert checked.procedure is not None, [d.format() for d in checked.errors]
    return path


def load(path: Path) -> Procedure:
    procedure = check_path(path).procedure
    assert procedure is not None
    return procedure


def changes_between(tmp_path: Path, text: str, base: Path = MEDIASI) -> list[Change]:
    return diff(load(base), load(write(tmp_path, "new.yaml", text)))


def messages(changes: list[Change], lang: str = "en") -> list[str]:
    return [c.message(lang) for c in changes]


# --- edits of mediasi.yaml --------------------------------------------------------------------

def without_step_7(text: str) -> str:
    """Remove step 7 (lapor_berita_acara) and route step 6b straight to step 8."""
    start = text.index("  - id: lapor_berita_acara")
    end = text.index("  - id: monitoring_implementasi")
    text = text[:start] + text[end:]
    return replace(text, "    next: lapor_berita_acara\n", "    next: monitoring_implementasi\n")


def without_step_2(text: str) -> str:
    """Remove step 2 (asesmen_lanjutan) and route step 1 straight to step 3a."""
    start = text.index("  - id: asesmen_lanjutan")
    end = text.index("  - id: lapor_hasil_asesmen")
    text = text[:start] + text[end:]
    return replace(text, "    next: asesmen_lanjutan\n", "    next: lapor_hasil_asesmen\n")


def with_document(text: str) -> str:
    return replace(text, "documents:\n", "documents:\n"
                   "  - id: surat_persetujuan\n"
                   "    title: Surat persetujuan mediasi\n"
                   "    kind: requirement\n"
                   "    presence: optional\n")


# --- no spurious changes ----------------------------------------------------------------------

def test_identical_procedures_have_no_changes() -> None:
    assert diff(load(MEDIASI), load(MEDIASI)) == []
    assert diff(load(SAPA), load(SAPA)) == []


def test_reformatted_yaml_with_reordered_keys_and_lists_has_no_changes(tmp_path: Path) -> None:
    data = yaml.safe_load(TEXT)
    for key in ("roles", "documents", "facts", "flags", "steps"):
        data[key] = list(reversed(data[key]))
    text = yaml.safe_dump(data, sort_keys=True, allow_unicode=True, indent=4, width=60)
    assert text != TEXT
    assert changes_between(tmp_path, text) == []


def test_whitespace_inside_a_condition_is_not_a_change(tmp_path: Path) -> None:
    text = TEXT.replace("when: victim_is_child or perpetrator_is_child",
                        "when: (victim_is_child  or perpetrator_is_child)")
    assert text != TEXT
    assert changes_between(tmp_path, text) == []


def test_cli_exits_0_for_identical_files(tmp_path: Path) -> None:
    copy = write(tmp_path, "copy.yaml", TEXT + "\n# a comment only\n")
    result = run("diff", MEDIASI, copy)
    assert result.exit_code == 0
    assert "No differences." in result.stdout


# --- each kind of change, in words ------------------------------------------------------------

def test_removed_step_and_reroute(tmp_path: Path) -> None:
    changes = changes_between(tmp_path, without_step_7(TEXT))
    assert [(c.kind, c.subject) for c in changes] == [
        (ChangeKind.STEP_REROUTED, "berita_acara_mediasi"),
        (ChangeKind.STEP_REMOVED, "lapor_berita_acara"),
    ]
    assert messages(changes) == [
        "Step 6b 'berita_acara_mediasi': now leads to 'monitoring_implementasi' "
        "(was 'lapor_berita_acara')",
        "Step 7 'lapor_berita_acara' removed (was: 'Laporan Berita Acara kepada Kepala UPT/MK', "
        "by role 'pendamping_ppa')",
    ]


def test_outcome_rerouted(tmp_path: Path) -> None:
    text = replace(TEXT, "          label: Monitoring dilanjutkan\n"
                         "          next: monitoring_implementasi\n",
                   "          label: Monitoring dilanjutkan\n"
                   "          next: pendokumentasian\n")
    [change] = changes_between(tmp_path, text)
    assert change.kind is ChangeKind.STEP_REROUTED
    assert change.path == "outcomes.lanjut_monitoring.next"
    assert (change.old, change.new) == ("monitoring_implementasi", "pendokumentasian")
    assert change.message() == ("Step 9b 'keputusan_terminasi': outcome 'lanjut_monitoring' now "
                                "leads to 'pendokumentasian' (was 'monitoring_implementasi')")
    assert change.message("id") == ("Langkah 9b 'keputusan_terminasi': hasil 'lanjut_monitoring' "
                                    "kini menuju 'pendokumentasian' (sebelumnya "
                                    "'monitoring_implementasi')")


def test_outcome_added_relabelled_and_ending(tmp_path: Path) -> None:
    text = replace(TEXT, "          label: Monitoring dilanjutkan\n",
                   "          label: Monitoring diteruskan\n")
    text = replace(text, "          next: monitoring_implementasi\n",
                   "          next: monitoring_implementasi\n"
                   "        - id: hentikan\n"
                   "          label: Layanan dihentikan\n"
                   "          end: terminated\n")
    assert messages(changes_between(tmp_path, text)) == [
        "Step 9b 'keputusan_terminasi': outcome 'lanjut_monitoring' relabelled "
        "'Monitoring diteruskan' (was 'Monitoring dilanjutkan')",
        "Step 9b 'keputusan_terminasi': new outcome 'hentikan' ('Layanan dihentikan') leads to "
        "the end of the case (terminated)",
    ]


def test_step_title_renamed(tmp_path: Path) -> None:
    [change] = changes_between(tmp_path, replace(TEXT, "title: Asesmen kasus\n",
                                                 "title: Asesmen awal kasus\n"))
    assert change.kind is ChangeKind.STEP_RENAMED
    assert change.path == "title"
    assert change.message() == ("Step 1 'asesmen_awal': title changed to 'Asesmen awal kasus' "
                                "(was 'Asesmen kasus')")


def test_step_id_and_number_renamed_is_one_change_not_a_reroute(tmp_path: Path) -> None:
    text = TEXT.replace("lapor_berita_acara", "laporan_berita_acara")
    text = replace(text, 'number: "7"', 'number: "7a"')
    changes = changes_between(tmp_path, text)
    steps = [c for c in changes if c.area == "steps"]
    assert [(c.kind, c.path) for c in steps] == [(ChangeKind.STEP_RENAMED, "id")]
    assert steps[0].old_id == "lapor_berita_acara"
    assert steps[0].message() == ("Step 7 'lapor_berita_acara' is now step 7a "
                                  "'laporan_berita_acara' (renamed/re-numbered)")
    # the flag about the step follows the new id: a real (if consequential) change
    assert [c.kind for c in changes if c.area != "steps"] == [ChangeKind.FLAG_CHANGED]


def test_actor_changed(tmp_path: Path) -> None:
    text = replace(TEXT, "    actor: koordinator_uptd_ppa\n    text: >-\n      Koordinator UPTD",
                   "    actor: kasie_tindak_lanjut\n    text: >-\n      Koordinator UPTD")
    [change] = changes_between(tmp_path, text)
    assert change.kind is ChangeKind.ACTOR_CHANGED
    assert change.message() == ("Step 3b 'perintah_hubungi_mediator': actor changed to role "
                                "'kasie_tindak_lanjut' (was 'koordinator_uptd_ppa')")


def test_time_limit_changed(tmp_path: Path) -> None:
    text = replace(TEXT, "  amount: 14\n", "  amount: 10\n")
    text = replace(text, "  starts: requirements_met", "  starts: case_opened")
    text = replace(text, "  bound: max\n", "  bound: max\n  extendable: true\n")
    changes = changes_between(tmp_path, text)
    assert {c.kind for c in changes} == {ChangeKind.TIME_LIMIT_CHANGED}
    assert messages(changes) == [
        "Time limit changed from 14 working day(s) to 10 working day(s)",
        "Time limit: clock start changed from 'requirements_met' to 'case_opened'",
        "Time limit: extendable changed from no to yes",
    ]
    assert changes[0].old == {"amount": 14, "unit": "working_days"}


def test_document_added(tmp_path: Path) -> None:
    [change] = changes_between(tmp_path, with_document(TEXT))
    assert change.kind is ChangeKind.DOCUMENT_ADDED
    assert change.subject == "surat_persetujuan"
    assert change.message() == "Document 'surat_persetujuan' added: 'Surat persetujuan mediasi'"
    assert change.message("id") == ("Dokumen 'surat_persetujuan' ditambahkan: "
                                    "'Surat persetujuan mediasi'")


def test_document_presence_and_sensitivity_changed(tmp_path: Path) -> None:
    text = replace(TEXT, "    kind: requirement\n    presence: optional\n    sensitive: true\n",
                   "    kind: requirement\n")
    assert messages(changes_between(tmp_path, text)) == [
        "Document 'surat_rujukan': presence changed from 'optional' to 'required'",
        "Document 'surat_rujukan' is no longer sensitive",
    ]


def test_participant_condition_changed(tmp_path: Path) -> None:
    text = replace(TEXT, "      - role: pendamping_khusus\n        when: has_special_needs\n"
                         "        note: harus ada pendamping khusus\n    estimate: {amount: 2",
                   "      - role: pendamping_khusus\n        when: has_special_needs or "
                   "victim_is_child\n        note: harus ada pendamping khusus\n"
                   "    estimate: {amount: 2")
    [change] = changes_between(tmp_path, text)
    assert change.kind is ChangeKind.CONDITION_CHANGED
    assert change.path == "participants.pendamping_khusus.when"
    assert change.message() == ("Step 5 'mengundang_para_pihak': role 'pendamping_khusus' now "
                                "takes part when 'has_special_needs or victim_is_child' "
                                "(was 'has_special_needs')")


def test_outcome_condition_is_a_reroute(tmp_path: Path) -> None:
    text = replace(TEXT, "          label: Monitoring dilanjutkan\n",
                   "          label: Monitoring dilanjutkan\n"
                   "          when: other_parties_relevant\n")
    [change] = changes_between(tmp_path, text)
    assert change.kind is ChangeKind.STEP_REROUTED
    assert change.message() == ("Step 9b 'keputusan_terminasi': outcome 'lanjut_monitoring' now "
                                "applies when 'other_parties_relevant' "
                                "(was always (no condition))")


def test_requires_and_estimate_changed(tmp_path: Path) -> None:
    text = replace(TEXT, "    requires: [berita_acara_hasil_mediasi]\n"
                         "    produces: [laporan_monitoring]\n"
                         "    estimate: {amount: 3, unit: working_days}",
                   "    requires: [berita_acara_hasil_mediasi, rencana_intervensi]\n"
                   "    produces: [laporan_monitoring]\n"
                   "    deadline: {amount: 5, unit: working_days}\n"
                   "    estimate: {amount: 2, unit: working_days}")
    assert messages(changes_between(tmp_path, text)) == [
        "Step 8 'monitoring_implementasi': now requires document 'rencana_intervensi'",
        "Step 8 'monitoring_implementasi': deadline set to 5 working day(s)",
        "Step 8 'monitoring_implementasi': estimate changed from 3 working day(s) to "
        "2 working day(s)",
    ]


def test_other_areas(tmp_path: Path) -> None:
    text = replace(SAPA_TEXT, "    members: [sub_koordinator, konselor, kepala_bidang]",
                   "    members: [sub_koordinator, kepala_bidang]")
    text = replace(text, "  amount: 0\n  text: Tidak dipungut biaya",
                   "  amount: 5000\n  text: Rp 5.000")
    text = replace(text, "  - channel: online\n", "  - channel: email\n")
    text = replace(text, "  number: null                    # \"No. SK :\"",
                   "  number: \"123/2026\"  # \"No. SK :\"")
    start = text.index("  - id: masa_retensi")
    text = text[:start].rstrip() + "\n"
    changes = changes_between(tmp_path, text, SAPA)
    assert [c.kind for c in changes] == [
        ChangeKind.DECREE_CHANGED, ChangeKind.ROLE_CHANGED, ChangeKind.COST_CHANGED,
        ChangeKind.COST_CHANGED, ChangeKind.COMPLAINT_CHANGED, ChangeKind.FLAG_REMOVED]
    assert messages(changes) == [
        "Decree (SK): number set to '123/2026'",
        "Role 'tim_penjangkauan': the team no longer includes role 'konselor'",
        "Cost: amount changed from 0 to 5000",
        "Cost: text changed from 'Tidak dipungut biaya' to 'Rp 5.000'",
        "Complaint channel email: channel changed from 'online' to 'email'",
        "Flag 'masa_retensi' removed (assumption, about retention)",
    ]


def test_fact_and_requirement_changes() -> None:
    old = load(MEDIASI)
    facts = tuple(f.model_copy(update={"type": FactType.INT}) if f.id == "other_parties_relevant"
                  else f for f in old.facts)
    requirements = old.requirements[:2]
    new = old.model_copy(update={"facts": facts, "requirements": requirements})
    assert messages(diff(old, new)) == [
        "Fact 'other_parties_relevant': type changed from 'bool' to 'int'",
        "Requirement 3 removed (was: 'Hasil asesmen')",
    ]


def test_order_follows_the_file(tmp_path: Path) -> None:
    text = with_document(without_step_7(TEXT))
    text = replace(text, "title: Asesmen kasus\n", "title: Asesmen awal kasus\n")
    text = replace(text, "  amount: 14\n", "  amount: 10\n")
    kinds = [c.kind for c in changes_between(tmp_path, text)]
    assert kinds == [ChangeKind.DOCUMENT_ADDED, ChangeKind.STEP_RENAMED,
                     ChangeKind.STEP_REROUTED, ChangeKind.STEP_REMOVED,
                     ChangeKind.TIME_LIMIT_CHANGED]


# --- the command ------------------------------------------------------------------------------

def test_cli_text_lists_every_change_and_exits_1(tmp_path: Path) -> None:
    new = write(tmp_path, "new.yaml", without_step_7(TEXT))
    result = run("diff", MEDIASI, new)
    assert result.exit_code == 1
    assert "2 change(s):" in result.stdout
    assert "  - Step 7 'lapor_berita_acara' removed" in result.stdout


def test_cli_indonesian(tmp_path: Path) -> None:
    new = write(tmp_path, "new.yaml", without_step_7(TEXT))
    result = run("diff", "--lang", "id", MEDIASI, new)
    assert result.exit_code == 1
    assert "2 perubahan:" in result.stdout
    assert "Langkah 7 'lapor_berita_acara' dihapus" in result.stdout


def test_cli_json_structure(tmp_path: Path) -> None:
    new = write(tmp_path, "new.yaml", without_step_7(TEXT))
    result = run("diff", MEDIASI, new, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"old", "new", "differences", "count", "changes"}
    assert data["differences"] is True and data["count"] == 2
    assert data["old"] == {"file": str(MEDIASI), "id": "mediasi", "version": "2024.1",
                           "hash": text_hash(TEXT)}
    assert set(data["changes"][0]) == {"kind", "area", "subject", "old_subject", "number",
                                       "path", "old", "new", "message"}
    assert data["changes"][1]["kind"] == "step_removed"
    assert data["changes"][1]["old"]["title"] == "Laporan Berita Acara kepada Kepala UPT/MK"


def test_cli_json_no_differences() -> None:
    result = run("diff", MEDIASI, MEDIASI, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["differences"] is False and data["changes"] == []


def test_cli_missing_file_exits_3(tmp_path: Path) -> None:
    """A missing file is "not found" (3) in diff too, as everywhere (README exit codes)."""
    result = run("diff", MEDIASI, tmp_path / "missing.yaml")
    assert result.exit_code == 3
    assert "Traceback" not in result.output


@pytest.mark.parametrize("make_args", [
    lambda tmp: ["diff", MEDIASI, write_invalid(tmp)],
    lambda tmp: ["diff", MEDIASI, MEDIASI, "--db", f"sqlite:///{tmp / 'nothing.db'}"],
    lambda tmp: ["diff", MEDIASI],
])
def test_cli_trouble_exits_2(tmp_path: Path, make_args: Callable[[Path], list[str]]) -> None:
    result = run(*make_args(tmp_path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def write_invalid(tmp_path: Path) -> Path:
    path = tmp_path / "invalid.yaml"
    path.write_text(TEXT.replace("actor: manajer_kasus", "actor: nobody"), encoding="utf-8")
    return path


# --- running cases ----------------------------------------------------------------------------

def _engine(tmp_path: Path) -> tuple[Engine, str]:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    clock = datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Jakarta"))
    return Engine(url, clock=lambda: clock), url


def _open(engine: Engine, proc: Path, case_id: str, tmp_path: Path) -> None:
    file = tmp_path / "scan.pdf"
    file.write_bytes(b"%PDF")
    engine.open_case(str(proc), user="ani", role="pendamping_ppa", case_id=case_id,
                     facts={"victim_is_child": False, "perpetrator_is_child": False,
                            "has_special_needs": False},
                     documents=(engine.attachment("identitas_penerima_manfaat", file),))


def test_cases_at_a_removed_step_are_listed(tmp_path: Path) -> None:
    old = write(tmp_path, "old.yaml", TEXT)
    new = write(tmp_path, "new.yaml", without_step_2(TEXT))
    other = write(tmp_path, "other.yaml", TEXT.replace("title: Layanan Mediasi",
                                                      "title: Layanan Mediasi (draft)"))
    engine, url = _engine(tmp_path)
    with engine:
        file = tmp_path / "scan.pdf"
        _open(engine, old, "c1", tmp_path)  # will sit at step 2, which the new version removes
        engine.execute(CompleteStep(user="ani", role="pendamping_ppa", case_id="c1",
                                    step="asesmen_awal",
                                    documents=(engine.attachment("hasil_asesmen", file),)))
        _open(engine, old, "c2", tmp_path)  # at step 1, which is re-routed
        _open(engine, new, "c3", tmp_path)  # already on the new version
        _open(engine, other, "c4", tmp_path)  # another version: matched by id and step
    result = run("diff", old, new, "--db", url)
    assert result.exit_code == 1
    out = result.stdout
    assert "c1 (active) at step 2 'asesmen_lanjutan': removed; runs the old version" in out
    assert "c2 (registered) at step 1 'asesmen_awal': changed; runs the old version" in out
    assert "c3" not in out
    assert "c4 (registered) at step 1 'asesmen_awal': changed; runs another stored version" in out

    data = json.loads(run("diff", old, new, "--db", url, "--format", "json").stdout)
    cases = {c["case_id"]: c for c in data["cases"]}
    assert set(cases) == {"c1", "c2", "c4"}
    assert cases["c1"]["effect"] == "removed" and cases["c1"]["pinned"] is True
    assert cases["c1"]["procedure_hash"] == data["old"]["hash"]
    assert cases["c4"]["pinned"] is False
    assert cases["c2"]["changes"] == ["Step 1 'asesmen_awal': now leads to "
                                      "'lapor_hasil_asesmen' (was 'asesmen_lanjutan')"]


def test_no_affected_cases_is_said(tmp_path: Path) -> None:
    old = write(tmp_path, "old.yaml", TEXT)
    new = write(tmp_path, "new.yaml", without_step_7(TEXT))
    engine, url = _engine(tmp_path)
    with engine:
        _open(engine, old, "c1", tmp_path)
    result = run("diff", old, new, "--db", url)
    assert result.exit_code == 1
    assert "No running case sits at a step" in result.stdout


def test_affected_cases_skips_closed_cases() -> None:
    from engine.cases.events import CaseSnapshot

    old = load(MEDIASI)
    new = old.model_copy(update={"steps": tuple(
        s.model_copy(update={"title": "Baru"}) if s.id == "asesmen_awal" else s
        for s in old.steps)})
    changes = diff(old, new)
    snap = CaseSnapshot("c1", "mediasi", "h-old", 1, "withdrawn", "asesmen_awal", None, None,
                        "", "")
    running = CaseSnapshot("c2", "mediasi", "h-old", 1, "active", "asesmen_awal", None, None,
                           "", "")
    found = affected_cases(changes, old, [snap, running], "h-old", "h-new")
    assert [c.case_id for c in found] == ["c2"]
    assert found[0].effect == "changed"


def test_a_field_unknown_to_diff_is_still_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.authoring.diff

    old = load(MEDIASI)
    new = old.model_copy(update={"access": old.access.model_copy(update={"read": ()})})
    monkeypatch.setattr(engine.authoring.diff, "_KNOWN_FIELDS",
                        engine.authoring.diff._KNOWN_FIELDS - {"access"})
    kinds = [(c.kind, c.path) for c in diff(old, new)]
    assert (ChangeKind.PROCEDURE_CHANGED, "access") in kinds


# --- the fields issue #17 added: each change is reported, in both languages ------------------

VALID = ROOT / "tests" / "fixtures" / "valid"


def _data(name: str) -> dict[str, object]:
    data = yaml.safe_load((VALID / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _step(data: dict[str, object], step_id: str) -> dict[str, object]:
    steps = data["steps"]
    assert isinstance(steps, list)
    return next(s for s in steps if s["id"] == step_id)


def _set_requirements(data: dict[str, object], groups: list[object]) -> None:
    data["requirements"] = groups


_GROUP = {"number": "1", "text": "Domisili", "any_of": [
    {"number": "1.a", "text": "Warga kota", "document": "ktp"},
    {"number": "1.b", "text": "Kejadian di kota", "fact": "is_child"}]}


def _nested_group_changed(data: dict[str, object]) -> None:
    changed = json.loads(json.dumps(_GROUP))
    changed["any_of"][1]["text"] = "Kejadian di wilayah kota"
    changed["any_of"].append({"number": "1.c", "text": "Rujukan", "document": "ktp"})
    data["requirements"] = [changed]


def _channels(data: dict[str, object], names: list[str]) -> None:
    data["complaints"] = [{"channel": "social_media", "text": "Media sosial", "channels": [
        {"channel": "social_media", "platform": name, "text": name} for name in names]}]


# (fixture, edit of the old data, edit that makes the new one, kind, path, words in the English
# message). The old data is edited first where the fixture lacks the field.
FIELD_EDITS: list[tuple[str, Callable[..., None] | None, Callable[..., None], ChangeKind, str,
                        str]] = [
    ("bersama", None, lambda d: _step(d, "mediasi")["joint"].update(sign_off="any"),
     ChangeKind.JOINT_CHANGED, "joint", "any one completes it"),
    ("bersama", None, lambda d: _step(d, "terbit").update(joint={"roles": ["kepala"]}),
     ChangeKind.JOINT_CHANGED, "joint", "together with 'kepala' (each signs) (was none)"),
    ("berulang", None, lambda d: _step(d, "pantau")["repeat"]["every"].update(amount=14),
     ChangeKind.REPEAT_CHANGED, "repeat", "every 14"),
    ("jendela", None, lambda d: d["phase_limits"][0].update(amount=5),
     ChangeKind.PHASE_LIMIT_CHANGED, "amount", "from 1 to 5"),
    ("jendela", None, lambda d: d.update(phase_limits=[]),
     ChangeKind.PHASE_LIMIT_REMOVED, "", "removed"),
    ("jendela", None, lambda d: d["time_limit"].update(until_step="terbit"),
     ChangeKind.TIME_LIMIT_CHANGED, "until_step", "'putus' to 'terbit'"),
    ("minimal", None, lambda d: d["time_limit"].update(bound="min"),
     ChangeKind.TIME_LIMIT_CHANGED, "bound", "'max' to 'min'"),
    ("minimal", None, lambda d: d["time_limit"].update(amount=240, unit="minutes"),
     ChangeKind.TIME_LIMIT_CHANGED, "limit", "3 working day(s) to 240 minute(s)"),
    ("minimal", lambda d: _set_requirements(d, [_GROUP]), _nested_group_changed,
     ChangeKind.REQUIREMENT_CHANGED, "text", "Requirement 1 > 1.b"),
    ("minimal", lambda d: _set_requirements(d, [_GROUP]), _nested_group_changed,
     ChangeKind.REQUIREMENT_ADDED, "", "Requirement 1 > 1.c added"),
    ("minimal", None, lambda d: d["requirements"][0].update(documents=["ktp", "surat"],
                                                           document=None),
     ChangeKind.REQUIREMENT_CHANGED, "documents", "'surat'"),
    ("minimal", None, lambda d: d["requirements"][0].update(gates=[]),
     ChangeKind.REQUIREMENT_CHANGED, "gates", "what it gates"),
    ("minimal", None, lambda d: d["documents"][0].update(form="copy", copies=2, sheets=1),
     ChangeKind.DOCUMENT_CHANGED, "form", "'copy'"),
    ("minimal", None, lambda d: d["documents"][0].update(copies=2),
     ChangeKind.DOCUMENT_CHANGED, "copies", "copies"),
    ("minimal", None, lambda d: d["documents"][0].update(sheets=1),
     ChangeKind.DOCUMENT_CHANGED, "sheets", "sheets"),
    ("minimal", lambda d: _channels(d, ["Facebook"]), lambda d: _channels(d, ["Facebook",
                                                                             "Instagram"]),
     ChangeKind.COMPLAINT_ADDED, "", "social_media Instagram"),
    ("minimal", lambda d: _channels(d, ["Facebook"]), lambda d: _channels(d, ["Fb"]),
     ChangeKind.COMPLAINT_CHANGED, "platform", "'Facebook' to 'Fb'"),
    ("bersama", None, lambda d: d["roles"][2]["aliases"].append("penerima layanan"),
     ChangeKind.ROLE_CHANGED, "aliases", "now also called 'penerima layanan'"),
    ("bersama", None, lambda d: d["roles"][2]["aliases"].remove("klien"),
     ChangeKind.ROLE_CHANGED, "aliases", "no longer called 'klien'"),
    ("minimal", None, lambda d: d.update(complaints=[], flags=[
        {"id": "tanpa_pengaduan", "kind": "missing", "about": "complaints",
         "note": "Sumber tidak memuat saluran pengaduan."}]),
     ChangeKind.FLAG_ADDED, "", "missing"),
    ("minimal", None, lambda d: d.update(complaints=[], flags=[
        {"id": "tanpa_pengaduan", "kind": "missing", "about": "complaints",
         "note": "Sumber tidak memuat saluran pengaduan."}]),
     ChangeKind.COMPLAINT_REMOVED, "", "removed"),
    ("minimal", None, lambda d: d["time_limit"].update(amount=None, source_text=None),
     ChangeKind.TIME_LIMIT_CHANGED, "limit", "3 working day(s) to none given by the source"),
    ("minimal", None, lambda d: _step(d, "terima").update(deadline={"amount": 90,
                                                                    "unit": "minutes"}),
     ChangeKind.DEADLINE_CHANGED, "deadline", "90 minute(s)"),
    ("minimal", None, lambda d: d.update(case_prefix="KTN"),
     ChangeKind.PROCEDURE_CHANGED, "case_prefix", "case number prefix"),
]


@pytest.mark.parametrize(("name", "before", "edit", "kind", "path", "words"), FIELD_EDITS,
                         ids=[f"{e[0]}-{e[3].value}-{e[4] or 'item'}-{i}"
                              for i, e in enumerate(FIELD_EDITS)])
def test_every_new_field_is_reported(name: str, before: Callable[..., None] | None,
                                     edit: Callable[..., None], kind: ChangeKind, path: str,
                                     words: str) -> None:
    old = _data(name)
    if before is not None:
        before(old)
    new = json.loads(json.dumps(old))
    edit(new)
    found = diff(Procedure.model_validate(old), Procedure.model_validate(new))
    mine = [c for c in found if c.kind is kind and c.path == path]
    assert mine, "\n".join(f"{c.kind} {c.path}: {c.message()}" for c in found)
    english = " | ".join(c.message("en") for c in mine)
    assert words in english, english
    indonesian = " | ".join(c.message("id") for c in mine)
    assert indonesian != english and "{" not in indonesian, indonesian
    assert diff(Procedure.model_validate(new), Procedure.model_validate(new)) == []


# fields every compared item has that diff reads without naming them (ids match items; the
# rest are compared elsewhere): anything else a model gains must be named in diff.py
_MATCHED_BY = {"id"}


@pytest.mark.parametrize("model_name", ["Role", "Document", "Fact", "Requirement", "Step",
                                        "TimeLimit", "PhaseLimit", "ComplaintChannel",
                                        "Procedure"])
def test_every_field_of_the_model_is_compared(model_name: str) -> None:
    """A field added to the language later must be taught to diff, not silently skipped:
    every field's name appears in diff.py as a compared name."""
    from engine.procedure import model

    source = (ROOT / "engine" / "authoring" / "diff.py").read_text(encoding="utf-8")
    fields = set(getattr(model, model_name).model_fields) - _MATCHED_BY
    missing = sorted(f for f in fields if f'"{f}"' not in source and f".{f}" not in source)
    assert missing == [], f"{model_name}: diff.py never compares {missing}"
