"""Five published SPs encoded from the docs alone (issue 17: "a hidden set of real SPs will be
encoded again from the docs alone"), each checked three ways:

* ``alur validate --strict`` accepts the procedure and its case file;
* the file says what its source text says, verbatim: every step, requirement, time-limit,
  cost, product, complaint and flag quote is found in the SP text, and every numbered source
  step is encoded once;
* ``alur run`` takes each case to the end it was written for, and the store's history shows the
  feature the SP needed (joint sign-offs, recurring reports, clock windows, refusals naming the
  requirement by its source number).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_examples import history, invoke  # the CLI in-process, and a case's events as data

ROOT = Path(__file__).resolve().parent.parent
ENCODED = ROOT / "tests" / "fixtures" / "encoded"
CORPUS = ROOT / "tests" / "fixtures" / "sp_texts" / "corpus"


@dataclass(frozen=True)
class Design:
    """What one case of a case file was written to show."""

    status: str
    path: tuple[str, ...]
    refused: str | None = None
    breaches: tuple[str, ...] = ()
    events: tuple[tuple[str, int], ...] = ()  # event type → how many the history holds


@dataclass(frozen=True)
class Encoded:
    name: str  # tests/fixtures/encoded/<name>.yaml
    source: str  # tests/fixtures/sp_texts/corpus/<source>.txt
    cases: dict[str, Design]


RAM = ("permohonan_penempatan", "persetujuan_penempatan", "penerimaan_orientasi",
       "pemulihan_psikologis", "evaluasi_penempatan", "terminasi_penempatan")
PJS = ("terima_laporan", "penjangkauan", "pertolongan_pertama", "rencana",
       "persetujuan_rencana", "pendampingan")
RKD = ("hubungi_rumah_sakit", "antar_korban", "pemeriksaan_medis", "terima_hasil", "catat_hasil")
PHM = ("terima_permohonan", "telaah_kelayakan", "tanda_tangan_kuasa", "pendampingan_kepolisian",
       "pendampingan_persidangan", "laporan")
RSJ = ("asesmen_keluarga", "susun_rencana", "setujui_rencana", "antar_korban",
       "kunjungan_pemantauan", "tutup_kasus")

ENCODINGS = (
    Encoded("rumah_aman_makassar", "inline_rumah_aman_makassar", {
        "ram-uji-01": Design("completed", RAM, events=(
            ("obligation_started", 2), ("obligation_reported", 2), ("obligation_ended", 2))),
        "ram-uji-02": Design("active", (), refused="guard.requirements"),
    }),
    Encoded("penjangkauan_surabaya", "bersama_penjangkauan_surabaya", {
        "pjs-uji-01": Design("completed", PJS, events=(("step_signed", 4),)),
        "pjs-uji-02": Design("active", PJS[:1], refused="guard.not_current",
                             events=(("step_signed", 1),)),
    }),
    Encoded("rujukan_kesehatan_denpasar", "menit_rujukan_kesehatan_denpasar", {
        "rkd-uji-01": Design("completed", RKD, events=(("phase_started", 2),
                                                       ("phase_stopped", 2))),
        "rkd-uji-02": Design("completed", RKD, breaches=("phase:hubungi_rs_30_menit",)),
    }),
    Encoded("reintegrasi_jayapura", "romawi_reintegrasi_jayapura", {
        "rsj-uji-01": Design("completed", RSJ, events=(
            ("obligation_started", 1), ("obligation_reported", 5), ("obligation_ended", 1))),
        "rsj-uji-02": Design("registered", (), refused="guard.requirements"),
    }),
    Encoded("pendampingan_hukum_medan", "oleh_pendampingan_hukum_medan", {
        "phm-uji-01": Design("completed", PHM, events=(("fact_set", 1),)),
        "phm-uji-02": Design("active", PHM[:4], refused="guard.condition"),
    }),
)
IDS = [e.name for e in ENCODINGS]

# what each refusal must name: the requirement by its source number and verbatim text
REFUSAL_NAMES = {
    "ram-uji-02": '3 "Surat pernyataan kesediaan korban"',
    "rsj-uji-02": '2 "Persetujuan keluarga penerima"',
}


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALUR_LANG", "ALUR_DB", "ALUR_ROSTER", "ALUR_PROCEDURES"):
        monkeypatch.delenv(name, raising=False)


def procedure(enc: Encoded) -> Path:
    return ENCODED / f"{enc.name}.yaml"


def case_file(enc: Encoded) -> Path:
    return ENCODED / f"{enc.name}.case.yaml"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def squash(text: str) -> str:
    return " ".join(text.split())


def source_text(enc: Encoded) -> str:
    return squash((CORPUS / f"{enc.source}.txt").read_text(encoding="utf-8"))


def requirement_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        out.append(item)
        out += requirement_items(item.get("any_of", []) + item.get("all_of", []))
    return out


def complaint_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        out.append(item)
        out += complaint_items(item.get("channels", []))
    return out


# --- the files are accepted ---------------------------------------------------------------------

def test_every_encoded_file_is_listed() -> None:
    names = {p.name for p in ENCODED.glob("*.yaml")}
    assert names == {f"{e.name}.yaml" for e in ENCODINGS} | {f"{e.name}.case.yaml"
                                                             for e in ENCODINGS}


@pytest.mark.parametrize("enc", ENCODINGS, ids=IDS)
def test_procedure_and_case_file_validate_strict(enc: Encoded) -> None:
    result = invoke("validate", "--strict", procedure(enc), case_file(enc))
    assert result.exit_code == 0, result.output
    assert result.output.count("valid (0 error(s), 0 warning(s))") == 2


# --- the files say what the source says ---------------------------------------------------------

@pytest.mark.parametrize("enc", ENCODINGS, ids=IDS)
def test_every_quoted_text_is_verbatim_from_the_source(enc: Encoded) -> None:
    data, source = load(procedure(enc)), source_text(enc)
    quoted = [s["text"] for s in data["steps"]]
    quoted += [r["text"] for r in requirement_items(data["requirements"])]
    quoted += [data["cost"]["text"], data["time_limit"]["source_text"]]
    quoted += [p["text"] for p in data["products"]]
    quoted += [c["text"] for c in complaint_items(data["complaints"])]
    quoted += [p["source_text"] for p in data.get("phase_limits", [])]
    quoted += [f["quote"] for f in data.get("flags", []) if "quote" in f]
    quoted += [r["title"] for r in data["roles"]]
    missing = [q for q in quoted if squash(q) not in source]
    assert not missing, missing


@pytest.mark.parametrize("enc", ENCODINGS, ids=IDS)
def test_every_numbered_source_step_is_encoded_once(enc: Encoded) -> None:
    data = load(procedure(enc))
    raw = (CORPUS / f"{enc.source}.txt").read_text(encoding="utf-8")
    procedure_part = re.split(r"\n(?:Prosedur|B\. Prosedur|Sistem, Mekanisme dan Prosedur|"
                              r"II\. SISTEM, MEKANISME DAN PROSEDUR|PROSEDUR)\s*:?\s*\n", raw)[1]
    procedure_part = re.split(r"\n\s*\n", procedure_part)[0]
    numbered = re.findall(r"^(\d+|[a-z])\. (.+)$", procedure_part, flags=re.MULTILINE)
    assert [(s["number"], s["text"]) for s in data["steps"]] == numbered


@pytest.mark.parametrize("enc", ENCODINGS, ids=IDS)
def test_every_requirement_is_checkable_and_the_internal_components_unknown(
        enc: Encoded) -> None:
    data = load(procedure(enc))
    for item in requirement_items(data["requirements"]):
        assert {"document", "documents", "fact", "any_of", "all_of"} & set(item), item
    assert {c["status"] for c in data["components"].values()} == {"unknown"}
    assert data["decree"] == {"number": None, "date": None, "known": False}
    assert any(f["kind"] == "missing" and f["about"] == "decree" for f in data["flags"])


def test_show_prints_what_the_sp_needed() -> None:
    """The features each SP needed appear in ``alur show``: the window, the joint step, the
    recurrence, the phase limits in minutes, the complaint platform, the event-bound limit."""
    shown = {e.name: invoke("show", procedure(e)).output for e in ENCODINGS}
    assert "every 7 calendar day(s) until step terminasi_penempatan" in shown[
        "rumah_aman_makassar"]
    assert "reported whenever it happens (the source gives no period: never late) until step " \
           "terminasi_penempatan" in shown["rumah_aman_makassar"]
    assert "(surat_keterangan_penempatan) [handed over outside the steps]" in shown[
        "rumah_aman_makassar"]
    assert "(laporan_penjangkauan, rencana_pendampingan)" in shown["penjangkauan_surabaya"]
    assert "(Instagram): @uptdppa.makassar" in shown["rumah_aman_makassar"]
    assert "together with" in shown["penjangkauan_surabaya"]
    assert "240 minute(s)" in shown["rujukan_kesehatan_denpasar"]
    assert "paling lama 30 menit setelah korban diterima" in shown["rujukan_kesehatan_denpasar"]
    assert "every 14 calendar day(s) for 3 month(s) from its first completion" in shown[
        "reintegrasi_jayapura"]
    assert "time limit: 3 month(s) from step completed (antar_korban)" in shown[
        "reintegrasi_jayapura"]
    assert "time limit: until putusan pengadilan berkekuatan hukum tetap (an outside event)" \
        in shown["pendampingan_hukum_medan"]
    assert "calendar day" not in shown["pendampingan_hukum_medan"]
    for name, text in shown.items():
        # each SP publishes a time limit, Medan's an outside event ("until the verdict is
        # final"): none is listed as a missing component
        assert "jangka_waktu" not in text, name


# --- every case runs to the end it was written for ----------------------------------------------

def run(enc: Encoded, db: str) -> dict[str, dict[str, Any]]:
    result = invoke("--db", db, "run", procedure(enc), case_file(enc), "--format", "json")
    assert result.exit_code == 0, result.output
    return {entry["case_id"]: entry for entry in json.loads(result.stdout)}


@pytest.mark.parametrize("enc", ENCODINGS, ids=IDS)
def test_each_case_ends_as_designed(enc: Encoded, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'encoded.db'}"
    report = run(enc, db)
    declared = [c["id"] for c in load(case_file(enc))["cases"]]
    assert list(report) == declared == list(enc.cases)
    for case_id, design in enc.cases.items():
        entry = report[case_id]
        assert entry["as_expected"] is True, entry
        assert (entry["status"], tuple(entry["path"])) == (design.status, design.path)
        assert entry["refused_rule"] == design.refused
        assert tuple(entry["breaches"]) == design.breaches
        counts = Counter(e["type"] for e in history(db, case_id))
        for kind, times in design.events:
            assert counts[kind] == times, (case_id, kind, counts)
        if case_id in REFUSAL_NAMES:
            assert REFUSAL_NAMES[case_id] in entry["refused"]["message"]


# --- the guide's exact reading of the worked example's time limit runs --------------------------

GUIDE = ROOT / "docs" / "panduan.md"


def guide_block(marker: str) -> str:
    block = GUIDE.read_text(encoding="utf-8").split(f"<!-- {marker} -->", 1)[1]
    return block.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_guide_window_stops_the_clock_at_the_first_session(tmp_path: Path) -> None:
    """panduan §8 'Jendela yang tepat': the worked example with the window instead of a step
    deadline validates, its clock stops at the first session, and later sessions do not count."""
    worked = (ROOT / "tests" / "fixtures" / "valid" / "konseling.yaml").read_text(encoding="utf-8")
    start, end = worked.index("time_limit:\n"), worked.index("\n# --- Biaya")
    deadline = "    deadline: {amount: 3, unit: working_days}\n"
    assert deadline in worked
    window = worked[:start] + guide_block("jendela-konseling") + worked[end:]
    proc = tmp_path / "konseling.yaml"
    proc.write_text(window.replace(deadline, ""), encoding="utf-8")
    cases = tmp_path / "konseling-uji.yaml"
    cases.write_text(guide_block("berkas-kasus: konseling-uji.yaml"), encoding="utf-8")
    assert invoke("validate", "--strict", proc).exit_code == 0
    assert "jangka_waktu" not in invoke("show", proc).output
    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = invoke("--db", db, "run", proc, cases, "--now", "2026-02-20T17:00:00+07:00",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    report = {e["case_id"]: e for e in json.loads(result.stdout)}
    assert report["konseling-uji-01"]["breaches"] == []  # two sessions, the second after day 3
    assert report["konseling-uji-02"]["breaches"] == ["case"]  # no session by day 3
    events = history(db, "konseling-uji-01")
    stops = [e for e in events if e["type"] == "clock_stopped"]
    first = next(e for e in events
                 if e["type"] == "step_completed" and e["payload"]["step"] == "sesi_konseling")
    assert len(stops) == 1 and stops[0]["at"] == first["at"]
