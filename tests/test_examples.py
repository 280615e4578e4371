"""The example case files and the embedding guide, run for real.

Every ``examples/*.yaml`` goes through ``alur run`` in-process (text and json); the json report is
compared with what each example was designed to show (status, path, refusal, breaches, due
date). Refused cases are replayed up to the action before the refusal into a second store, whose
history must be identical: the refused action wrote nothing. Then ``alur case show``, ``case
history``, ``case list``, ``inbox`` and ``due`` are checked on the stores the examples leave
behind, and every ``python`` block of ``docs/embedding.md`` is executed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from cli import main
from engine.api import Engine
from engine.cases.privacy import MASK

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PROCEDURES = ROOT / "procedures"
GUIDE = ROOT / "docs" / "embedding.md"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))

LATE = "2026-12-31T17:00:00+07:00"
EARLY = "2026-03-20T09:00:00+07:00"


@dataclass(frozen=True)
class Design:
    """What one example case was written to show."""

    status: str
    path: tuple[str, ...]
    refused: str | None = None
    refused_action: int | None = None
    breaches: tuple[str, ...] = ()
    due: str | None = None  # the local date the time limit falls on


MEDIASI = ("asesmen_awal", "asesmen_lanjutan", "lapor_hasil_asesmen",
           "perintah_hubungi_mediator", "koordinasi_mediator", "mengundang_para_pihak",
           "melaksanakan_mediasi", "berita_acara_mediasi", "lapor_berita_acara")
MONITORING = ("monitoring_implementasi", "lapor_hasil_monitoring")
TERMINATED = (*MONITORING, "keputusan_terminasi→terminasi", "pendokumentasian")
ONE_ROUND = MEDIASI + TERMINATED
LOOPED = MEDIASI + (*MONITORING, "keputusan_terminasi→lanjut_monitoring") * 2 + TERMINATED
SAPA = ("menghubungi_sapa", "menerima_pengaduan", "konfirmasi_identifikasi",
        "verifikasi_surat_tugas", "penjangkauan")
SAPA_DONE = (*SAPA, "pertimbangan_kepala_dinas→tidak_perlu_lembaga_lain",
             "penyelesaian_dokumen_kasus")
PLANNED = ("penerimaan_pengaduan", "asesmen→layanan_lanjutan", "penyusunan_rencana",
           "pelaksanaan_layanan")  # the plan step is in the path once, when it is joined
PLACED = ("usul_rumah_aman→perlu_rumah_aman", "persetujuan_penempatan", "penerimaan_rumah_aman",
          "laporan_kondisi", "akhir_penempatan")
NOT_PLACED = ("usul_rumah_aman→tanpa_rumah_aman",)
CLOSED = ("evaluasi→tercapai", "terminasi")

DESIGNS: dict[str, dict[str, Design]] = {
    "mediasi-anak.yaml": {
        "mediasi-anak-01": Design("completed", ONE_ROUND, due="2026-04-06"),
        "mediasi-anak-02": Design("completed", ONE_ROUND, due="2026-05-04"),
    },
    "mediasi-berkebutuhan-khusus.yaml": {
        "mediasi-khusus-01": Design("completed", ONE_ROUND, due="2026-06-29"),
        "mediasi-khusus-02": Design("completed", ONE_ROUND, due="2026-07-24"),
    },
    "mediasi-monitoring.yaml": {
        "mediasi-monitoring-01": Design("completed", LOOPED, due="2026-07-24"),
        "mediasi-monitoring-02": Design("completed", LOOPED, breaches=("case",),
                                        due="2026-03-27"),
    },
    "mediasi-ditolak.yaml": {
        "mediasi-ditolak-wali": Design("active", MEDIASI[:6], "guard.participants", 8,
                                       due="2026-03-27"),
        "mediasi-ditolak-wali-undangan": Design("active", MEDIASI[:5], "guard.participants", 6,
                                                due="2026-03-27"),
        "mediasi-ditolak-peran": Design("active", MEDIASI[:3], "guard.role", 4,
                                        due="2026-04-07"),
        "mediasi-ditolak-urutan": Design("active", MEDIASI[:6], "guard.not_current", 7,
                                         due="2026-04-08"),
        "mediasi-ditolak-keputusan": Design("active", MEDIASI + MONITORING,
                                            "guard.outcome_missing", 12, due="2026-04-24"),
    },
    "sapa-rujukan.yaml": {
        "sapa-rujukan-01": Design("referred", (*SAPA, "pertimbangan_kepala_dinas→"
                                               "perlu_lembaga_lain", "rujukan_lembaga_lain"),
                                  due="2026-03-04"),
    },
    "sapa-selesai.yaml": {
        "sapa-selesai-01": Design("completed", SAPA_DONE, due="2026-03-26"),
        "sapa-selesai-perpanjangan": Design("completed", SAPA_DONE, due="2026-04-13"),
        "sapa-selesai-terlambat": Design("completed", SAPA_DONE, breaches=("case",),
                                         due="2026-04-08"),
        "sapa-selesai-dicabut": Design("withdrawn", SAPA[:2], due="2026-04-22"),
    },
    "pendampingan-layanan.yaml": {
        "pendampingan-layanan-semua": Design("completed", PLANNED + NOT_PLACED + CLOSED,
                                             due="2026-06-09"),
        "pendampingan-layanan-tanpa-layanan": Design("completed", PLANNED + PLACED + CLOSED,
                                                     due="2026-07-21"),
        "pendampingan-layanan-menunggu": Design("active", PLANNED[:3], "guard.plan_open", 7,
                                                due="2026-07-15"),
        "pendampingan-layanan-tanpa-persetujuan": Design("active", PLANNED[:3], "guard.consent",
                                                         5, due="2026-07-16"),
    },
    "pendampingan-rumah-aman.yaml": {
        "pendampingan-rumah-aman-01": Design("completed", PLANNED + PLACED + CLOSED,
                                             due="2026-05-21"),
        "pendampingan-rumah-aman-02": Design("completed", PLANNED + PLACED + CLOSED,
                                             breaches=("repeat:laporan_kondisi",),
                                             due="2026-06-23"),
    },
    "pendampingan-rujukan.yaml": {
        "pendampingan-rujukan-bukan-kewenangan": Design(
            "referred", ("penerimaan_pengaduan", "asesmen→bukan_kewenangan"), due="2026-06-02"),
        "pendampingan-rujukan-lembaga-lain": Design(
            "referred", PLANNED + NOT_PLACED + ("evaluasi→rujuk_lembaga_lain",),
            due="2026-06-03"),
        "pendampingan-rujukan-ulang": Design(
            "completed", PLANNED + NOT_PLACED + ("evaluasi→belum_terpenuhi",) + PLANNED[2:]
            + NOT_PLACED + CLOSED, due="2026-07-15"),
    },
    "pendampingan-terlambat.yaml": {
        "pendampingan-terlambat-asesmen": Design("completed", PLANNED + NOT_PLACED + CLOSED,
                                                 breaches=("phase:asesmen",), due="2026-06-05"),
        "pendampingan-terlambat-rencana": Design("completed", PLANNED + NOT_PLACED + CLOSED,
                                                 breaches=("phase:rencana_intervensi",),
                                                 due="2026-06-09"),
        "pendampingan-terlambat-persyaratan": Design("active", PLANNED[:1],
                                                     "guard.requirements", 3, due="2026-06-10"),
        "pendampingan-terlambat-tanda-tangan": Design("active", PLANNED[:1],
                                                      "guard.sign_outcome", 2, due="2026-06-11"),
    },
}

WAITING = {  # role → the example cases left waiting for it (refused ones stay open)
    "mediator": {"mediasi-ditolak-wali", "mediasi-ditolak-urutan"},
    "pendamping_ppa": {"mediasi-ditolak-wali-undangan"},
    "koordinator_uptd_ppa": {"mediasi-ditolak-peran"},
    "manajer_kasus": {"mediasi-ditolak-keputusan"},
    "kepala_upt": set(),
}

# names written in the examples that must never appear in masked output
PERSONAL = ("Anak R.", "Ibu S.", "Sdr. T.", "Sdri. C.", "Bpk. H.")


# --- helpers --------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_PROCEDURES", str(PROCEDURES))
    for name in ("ALUR_LANG", "ALUR_DB", "ALUR_ROSTER"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def db_url(folder: Path, name: str = "x.db") -> str:
    return f"sqlite:///{folder / name}"


def procedure_of(path: Path) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return str(data["procedure"])


def run_json(db: str, *files: Path, now: str | None = None) -> list[dict[str, Any]]:
    extra = ["--now", now] if now else []
    result = invoke("--db", db, "run", procedure_of(files[0]), *files, *extra,
                    "--format", "json")
    assert result.exit_code == 0, result.output
    report: list[dict[str, Any]] = json.loads(result.stdout)
    return report


def history(db: str, case_id: str) -> list[dict[str, Any]]:
    result = invoke("--db", db, "case", "history", case_id, "--format", "json")
    assert result.exit_code == 0, result.output
    events: list[dict[str, Any]] = json.loads(result.stdout)
    return events


def content(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events without their hashes (and salts, and the case number, which counts the cases
    opened before in that store): what happened, by whom, when."""
    return [{**{k: v for k, v in e.items() if k not in ("hash", "prev_hash")},
             "payload": {k: v for k, v in e["payload"].items() if k not in ("$salts", "number")}}
            for e in events]


@pytest.fixture
def mediasi_db(tmp_path: Path) -> str:
    """A store holding every mediasi example."""
    db = db_url(tmp_path)
    run_json(db, *sorted(EXAMPLES.glob("mediasi-*.yaml")))
    return db


@pytest.fixture
def sapa_db(tmp_path: Path) -> str:
    db = db_url(tmp_path)
    run_json(db, *sorted(EXAMPLES.glob("sapa-*.yaml")))
    return db


def refused_cases() -> Iterator[tuple[str, str, Design]]:
    for file, cases in DESIGNS.items():
        for case_id, design in cases.items():
            if design.refused is not None:
                yield file, case_id, design


# --- the examples as designed ---------------------------------------------------------------

def test_every_example_file_is_designed() -> None:
    assert {p.name for p in EXAMPLE_FILES} == set(DESIGNS)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_files_start_with_a_comment_and_expect_every_case(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), "each example starts with a comment saying what it shows"
    data = yaml.safe_load(text)
    assert data["procedure"] == path.name.split("-")[0]
    for case in data["cases"]:
        expect = case.get("expect") or {}
        assert {"status", "refused"} & set(expect), case["id"]
        assert str(case["opened"]["at"]).startswith("2026-")
        for action in case["actions"]:
            assert str(action["at"]).startswith("2026-"), (case["id"], action)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_runs_in_text_format(path: Path, tmp_path: Path) -> None:
    result = invoke("--db", db_url(tmp_path), "run", procedure_of(path), path)
    assert result.exit_code == 0, result.output
    assert "NOT AS EXPECTED" not in result.output
    assert "Traceback" not in result.output
    for case_id, design in DESIGNS[path.name].items():
        assert f"{case_id}  ({path.name}, case " in result.stdout
        if design.refused:
            assert f"[{design.refused}]" in result.stdout
        if design.breaches:
            assert "breached; escalated to" in result.stdout
    assert "no roster configured" in result.stderr


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_runs_as_designed(path: Path, tmp_path: Path) -> None:
    report = run_json(db_url(tmp_path), path)
    designs = DESIGNS[path.name]
    assert [entry["case_id"] for entry in report] == list(designs)
    for number, entry in enumerate(report, start=1):
        design = designs[entry["case_id"]]
        assert entry["as_expected"] is True
        assert entry["case"] == number
        assert entry["status"] == design.status, entry["case_id"]
        assert tuple(entry["path"]) == design.path, entry["case_id"]
        assert tuple(entry["breaches"]) == design.breaches, entry["case_id"]
        assert f"due {design.due} 23:59 WIB" in entry["deadline"], entry["deadline"]
        if design.refused is None:
            assert entry["refused"] is None
        else:
            assert entry["refused"]["rule"] == design.refused
            assert entry["refused"]["error"] == "CommandRefused"
            assert entry["refused_rule"] == design.refused
            assert entry["refused_action"] == design.refused_action


def test_monitoring_loops_twice_and_the_long_one_breaches(tmp_path: Path) -> None:
    db = db_url(tmp_path)
    report = {e["case_id"]: e for e in run_json(db, EXAMPLES / "mediasi-monitoring.yaml")}
    for entry in report.values():
        assert entry["path"].count("keputusan_terminasi→lanjut_monitoring") == 2
        assert entry["path"].count("monitoring_implementasi") == 3
        assert entry["path"][-2:] == ["keputusan_terminasi→terminasi", "pendokumentasian"]
    assert report["mediasi-monitoring-01"]["deadline"].startswith("within the time limit")
    assert report["mediasi-monitoring-02"]["deadline"].startswith("time limit BREACHED")
    breached = [e for e in history(db, "mediasi-monitoring-02")
                if e["type"] == "deadline_breached"]
    assert len(breached) == 1
    assert breached[0]["at"] == "2026-03-30T09:00:00+07:00"  # first action after 27 March
    assert breached[0]["payload"]["escalate_to"] == "koordinator_uptd_ppa"
    shown = invoke("--db", db, "case", "show", "mediasi-monitoring-02")
    assert shown.exit_code == 0
    assert "! deadline of case (2026-03-27 23:59 WIB) breached; escalated to " \
           "koordinator_uptd_ppa" in shown.stdout


def test_sapa_extension_is_recorded_and_keeps_the_case_on_time(tmp_path: Path) -> None:
    db = db_url(tmp_path)
    report = {e["case_id"]: e for e in run_json(db, EXAMPLES / "sapa-selesai.yaml")}
    extended = report["sapa-selesai-perpanjangan"]
    assert extended["deadline"].startswith("within the extended time limit")
    events = history(db, "sapa-selesai-perpanjangan")
    extensions = [e for e in events if e["type"] == "deadline_extended"]
    assert len(extensions) == 1
    assert extensions[0]["payload"]["due_at"].startswith("2026-04-13")
    assert extensions[0]["payload"]["reason"].startswith("Korban sementara")
    assert extensions[0]["role"] == "kepala_bidang"
    assert not [e for e in events if e["type"] == "deadline_breached"]
    closed = [e for e in history(db, "sapa-selesai-dicabut") if e["type"] == "case_closed"]
    assert closed[0]["payload"]["outcome"] == "withdrawn"
    assert closed[0]["role"] == "pelapor"


def test_reporter_who_opens_a_sapa_case_is_recorded(tmp_path: Path) -> None:
    db = db_url(tmp_path)
    run_json(db, EXAMPLES / "sapa-rujukan.yaml")
    added = [e for e in history(db, "sapa-rujukan-01") if e["type"] == "participant_added"]
    assert [(e["payload"]["role"], e["payload"]["name"]) for e in added] == [("pelapor", MASK)]
    shown = json.loads(invoke("--db", db, "case", "show", "sapa-rujukan-01", "--format",
                              "json").stdout)
    assert shown["status"] == "referred"
    assert set(shown["documents"]) >= {"dokumen_kasus", "surat_rujukan"}


@pytest.mark.parametrize(("file", "case_id", "design"), list(refused_cases()),
                         ids=[c for _, c, _ in refused_cases()])
def test_refused_action_writes_nothing(file: str, case_id: str, design: Design,
                                       tmp_path: Path) -> None:
    source = EXAMPLES / file
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    (spec,) = [c for c in data["cases"] if c["id"] == case_id]
    assert design.refused_action is not None
    # the same case, stopped just before the refused action
    before = {**spec, "actions": spec["actions"][:design.refused_action - 1]}
    before.pop("expect")
    truncated = tmp_path / "before.yaml"
    # keys in file order: the facts of one action are set in the order written
    truncated.write_text(yaml.safe_dump({"procedure": data["procedure"], "cases": [before]},
                                        allow_unicode=True, sort_keys=False), encoding="utf-8")
    full_db, before_db = db_url(tmp_path, "full.db"), db_url(tmp_path, "before.db")
    (entry,) = [e for e in run_json(full_db, source) if e["case_id"] == case_id]
    (reference,) = run_json(before_db, truncated)
    assert reference["status"] == design.status and reference["refused"] is None
    assert entry["version"] == reference["version"]
    full, prefix = history(full_db, case_id), history(before_db, case_id)
    assert len(full) == reference["version"]
    # the same events: nothing of the refused action landed (hashes differ between the two
    # stores only because personal data is hashed with a random salt)
    assert content(full) == content(prefix)
    with Engine(full_db) as engine:
        assert engine.case(case_id).version == len(prefix)
        audit = [r for r in engine.store.audit_records(case_id) if r.rule == design.refused]
        assert len(audit) == 1
        assert audit[0].action == "refused:CompleteStep"


# --- reading the stores the examples leave behind -------------------------------------------

def test_case_show(mediasi_db: str) -> None:
    text = invoke("--db", mediasi_db, "case", "show", "mediasi-anak-01")
    assert text.exit_code == 0
    assert text.stdout.startswith("MED-2026-0001 (mediasi-anak-01)  [mediasi v2024.1]  completed")
    assert "deadline: within the time limit (due 2026-04-06 23:59 WIB)" in text.stdout
    assert f"victim_is_child={MASK}" in text.stdout
    # the mediator acts in an external role: like a reporter's, the name is masked
    assert f"✓ 6a Pelaksanaan mediasi — mediator bersertifikat {MASK}" in text.stdout
    assert "closed: completed" in text.stdout
    data = json.loads(invoke("--db", mediasi_db, "case", "show", "mediasi-anak-01",
                             "--format", "json").stdout)
    assert data["status"] == "completed"
    assert data["facts"]["victim_is_child"] == MASK
    assert data["facts"]["other_parties_relevant"] is False  # not sensitive
    assert set(data["participants"]) == {"pihak_korban", "pihak_pelaku", "mediator",
                                         "orang_tua_wali", "pendamping_para_pihak"}
    assert set(data["participants"].values()) == {MASK}
    assert data["documents"]["hasil_asesmen"]["name"] == MASK
    assert [p["step"] for p in data["path"]][-1] == "pendokumentasian"
    for name in PERSONAL:
        assert name not in text.stdout
        assert name not in json.dumps(data, ensure_ascii=False)


def test_case_show_unknown_case_exits_3(mediasi_db: str) -> None:
    result = invoke("--db", mediasi_db, "case", "show", "mediasi-tidak-ada")
    assert result.exit_code == 3
    assert "no case 'mediasi-tidak-ada'" in result.stderr


def test_case_history(mediasi_db: str) -> None:
    result = invoke("--db", mediasi_db, "case", "history", "mediasi-ditolak-wali", "--format",
                    "json")
    assert result.exit_code == 0
    events = json.loads(result.stdout)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    previous = "0" * 64
    for event in events:
        assert {"case_id", "seq", "type", "payload", "user", "role", "at", "procedure_hash",
                "prev_hash", "hash"} <= set(event)
        assert re.fullmatch(r"[0-9a-f]{64}", event["hash"])
        assert event["prev_hash"] == previous
        previous = event["hash"]
    opened = events[0]
    assert opened["type"] == "case_opened"
    assert opened["payload"]["facts"] == {"victim_is_child": MASK, "perpetrator_is_child": MASK,
                                          "has_special_needs": MASK,
                                          "other_parties_relevant": False}
    (corrected,) = [e for e in events if e["type"] == "fact_set"]
    assert corrected["payload"]["name"] == "victim_is_child"
    assert corrected["payload"]["value"] == MASK
    assert "$salts" not in result.stdout  # a salt would let anyone test guesses of a value
    assert {e["payload"]["name"] for e in events if e["type"] == "participant_added"} == {MASK}
    for name in PERSONAL:
        assert name not in result.stdout
    text = invoke("--db", mediasi_db, "case", "history", "mediasi-ditolak-wali")
    assert text.exit_code == 0
    assert text.stdout.count("\n") == len(events)
    assert events[-1]["hash"][:12] in text.stdout


def test_case_list_by_status(mediasi_db: str) -> None:
    completed = {c for cases in DESIGNS.values() for c, d in cases.items()
                 if d.status == "completed" and c.startswith("mediasi-")}
    result = invoke("--db", mediasi_db, "case", "list", "--status", "completed", "--format",
                    "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["cases"]
    assert {r["case_id"] for r in rows} == completed
    assert {r["status"] for r in rows} == {"completed"}
    active = json.loads(invoke("--db", mediasi_db, "case", "list", "--status", "active",
                               "--procedure", "mediasi", "--format", "json").stdout)["cases"]
    assert {r["case_id"] for r in active} == set(DESIGNS["mediasi-ditolak.yaml"])
    text = invoke("--db", mediasi_db, "case", "list", "--status", "completed")
    assert text.stdout.rstrip().endswith(f"{len(completed)} case(s)")


@pytest.mark.parametrize("role", sorted(WAITING))
def test_inbox(mediasi_db: str, role: str) -> None:
    result = invoke("--db", mediasi_db, "inbox", "--role", role, "--format", "json")
    assert result.exit_code == 0
    rows = [r for r in json.loads(result.stdout)["cases"] if role not in r["escalated_to"]]
    assert {r["case_id"] for r in rows} == WAITING[role]
    assert all(r["role"] == role and r["status"] == "active" for r in rows)
    dues = [r["due_at"] for r in rows]
    assert dues == sorted(dues)
    text = invoke("--db", mediasi_db, "inbox", "--role", role)
    listed = len(json.loads(result.stdout)["cases"])
    assert text.stdout.rstrip().endswith(f"{listed} case(s)")


def test_inbox_of_a_team_member(sapa_db: str) -> None:
    """A case at a step of the Tim Penjangkauan waits for each of its member roles."""
    at = "2026-03-02T{}:00+07:00".format
    steps = [("open", "sapa", "--user", "pelapor-x", "--role", "pelapor", "--fact",
              "contacted_sapa=true", "--id", "sapa-tim-01", "--at", at("08:00")),
             ("do", "sapa-tim-01", "menghubungi_sapa", "-u", "pelapor-x", "-r", "pelapor",
              "--at", at("08:00")),
             ("do", "sapa-tim-01", "menerima_pengaduan", "-u", "admin1", "-r", "admin",
              "--at", at("09:00")),
             ("do", "sapa-tim-01", "konfirmasi_identifikasi", "-u", "subkoor1", "-r",
              "sub_koordinator", "--at", at("10:00")),
             ("do", "sapa-tim-01", "verifikasi_surat_tugas", "-u", "kabid1", "-r",
              "kepala_bidang", "--at", at("11:00"))]
    for args in steps:
        result = invoke("--db", sapa_db, "case", *args)
        assert result.exit_code == 0, result.output
    for role in ("konselor", "sub_koordinator", "kepala_bidang", "tim_penjangkauan"):
        rows = json.loads(invoke("--db", sapa_db, "inbox", "--role", role, "--format",
                                 "json").stdout)["cases"]
        assert [r["case_id"] for r in rows] == ["sapa-tim-01"], role
    assert json.loads(invoke("--db", sapa_db, "inbox", "--role", "admin", "--format",
                             "json").stdout)["cases"] == []


def test_due_records_each_breach_once(mediasi_db: str) -> None:
    open_cases = set(DESIGNS["mediasi-ditolak.yaml"])
    counts = {c: len(history(mediasi_db, c)) for c in open_cases}

    early = json.loads(invoke("--db", mediasi_db, "due", "--now", EARLY, "--format",
                              "json").stdout)
    assert early["escalated"] == []
    assert {i["case_id"] for i in early["due"]} == open_cases
    assert not any(i["breached"] for i in early["due"])
    assert {c: len(history(mediasi_db, c)) for c in open_cases} == counts

    listed = invoke("--db", mediasi_db, "due", "--now", LATE, "--no-record", "--format", "json")
    assert all(i["breached"] for i in json.loads(listed.stdout)["due"])
    assert {c: len(history(mediasi_db, c)) for c in open_cases} == counts

    # --now alone is a preview (issue 16): --record records at that moment
    preview = invoke("--db", mediasi_db, "due", "--now", LATE, "--format", "json")
    assert json.loads(preview.stdout)["escalated"] == []
    assert {c: len(history(mediasi_db, c)) for c in open_cases} == counts

    first = invoke("--db", mediasi_db, "due", "--now", LATE, "--record", "--format", "json")
    assert first.exit_code == 0
    assert set(json.loads(first.stdout)["escalated"]) == open_cases
    after = {c: len(history(mediasi_db, c)) for c in open_cases}
    assert after == {c: n + 1 for c, n in counts.items()}

    second = invoke("--db", mediasi_db, "due", "--now", LATE, "--record")
    assert second.exit_code == 0
    assert second.stdout.rstrip().endswith(f"{len(open_cases)} breach(es), 0 newly escalated")
    assert {c: len(history(mediasi_db, c)) for c in open_cases} == after
    for case_id in open_cases:
        breaches = [e for e in history(mediasi_db, case_id) if e["type"] == "deadline_breached"]
        assert len(breaches) == 1
        assert breaches[0]["payload"]["escalate_to"] == "koordinator_uptd_ppa"
        assert breaches[0]["at"] == LATE


ROSTER = """\
users:
  pendamping1: {roles: [pendamping_ppa]}
  pendamping2: {roles: [pendamping_ppa]}
  koordinator1: {roles: [koordinator_uptd_ppa]}
  mk1: {roles: [manajer_kasus]}
  mediator-h: {roles: [mediator]}
  mediator-n: {roles: [mediator]}
"""


def test_examples_run_with_a_roster(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER, encoding="utf-8")
    db = db_url(tmp_path)
    result = invoke("--db", db, "run", "mediasi", EXAMPLES / "mediasi-ditolak.yaml",
                    "--roster", roster)
    assert result.exit_code == 0, result.output
    assert "no roster configured" not in result.stderr
    # the system user that records breaches must hold the escalation role (docs/embedding.md)
    roster.write_text(ROSTER + "  alur: {roles: [koordinator_uptd_ppa]}\n", encoding="utf-8")
    due = invoke("--db", db, "due", "--now", LATE, "--record", "--roster", roster, "--format",
                 "json", "--user", "koordinator1")
    assert due.exit_code == 0, due.output
    assert set(json.loads(due.stdout)["escalated"]) == set(DESIGNS["mediasi-ditolak.yaml"])


def test_due_with_a_roster_that_lists_staff_only(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER, encoding="utf-8")
    monkeypatch.setenv("ALUR_ROSTER", str(roster))
    db = db_url(tmp_path)
    assert invoke("--db", db, "run", "mediasi", EXAMPLES / "mediasi-ditolak.yaml").exit_code == 0
    assert invoke("--db", db, "due", "--now", LATE, "--record", "--user",
                  "koordinator1").exit_code == 0


def test_run_with_now_records_breaches_and_still_as_expected(tmp_path: Path) -> None:
    """What ``make demo`` does: every example still ends as its file says."""
    db = db_url(tmp_path)
    report = run_json(db, *sorted(EXAMPLES.glob("mediasi-*.yaml")), now=LATE)
    assert all(e["as_expected"] for e in report)
    for entry in report:
        if entry["status"] == "active":
            assert entry["breaches"] == ["case"]


# --- the embedding guide --------------------------------------------------------------------

def guide_blocks() -> list[tuple[int, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 2, m.group(1))
            for m in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M)]


def test_embedding_guide_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    blocks = guide_blocks()
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)
    saved = dict(os.environ)
    namespace: dict[str, Any] = {"__name__": "embedding_guide"}
    try:
        for line, code in blocks:
            # pad so that a traceback names the line in docs/embedding.md
            exec(compile("\n" * (line - 1) + code, str(GUIDE), "exec"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        for value in namespace.values():
            if isinstance(value, Engine):
                value.close()
    assert "guard.role" in capsys.readouterr().out


def test_embedding_guide_imports_only_the_public_api() -> None:
    """The guide shows what an embedder may rely on: names from ``engine.__all__`` only."""
    import ast

    import engine

    imported: set[str] = set()
    for _line, code in guide_blocks():
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("engine"):
                assert node.module == "engine", f"guide imports from {node.module}"
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("engine") for a in node.names)
    assert imported and imported <= set(engine.__all__), imported - set(engine.__all__)


def test_embedding_guide_covers_the_api() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for name in ("OpenCase", "SetFact", "AttachDocument", "AddParticipant", "CompleteStep",
                 "ExtendDeadline", "Withdraw", "Terminate", "CheckDeadlines", "CaseResult",
                 "CaseState", "ConcurrencyConflict", "retries=", "clock=", "new_id=",
                 "Roster", "inbox", "check_deadlines", "events(", "case(", "memory://",
                 "postgresql://", "sqlite:///", "$ALUR_DB", "alur run", "alur due",
                 "alur inbox", "alur case history", "TamperDetected", "UsageError"):
        assert name in text, name
    for code in range(6):
        assert f"| {code} |" in text or f"{code} means" in text, code
