"""Hostile input, from case data and from procedure files.

Case input (on SQLite and PostgreSQL): facts of the wrong type, SQL-looking text (stored verbatim,
tables intact), oversize notes, document paths leaving the documents folder (and devices),
unknown steps, outcomes, roles, facts and documents (refused with a did-you-mean), a command
replayed or dated before the last event. Each refusal names its rule, writes no event and is in
the audit log; through the CLI each exits non-zero without a traceback. A document over 10 MB is
kept as a reference only (its hash, not its content).

Procedure files and conditions (in a child process whose peak RSS is measured): billion laughs,
10,000-deep nesting, a 50 MB file, python tags, duplicate keys, invalid UTF-8, attribute access,
huge powers; and conditions that are valid but hostile at RUN time on case facts (a text fact
repeated a billion times, printf formatting of a huge width, a comparison chain of text and
numbers, a division by zero, huge integer literals): each gives a diagnostic or a refusal
(guard.condition) quickly, never a traceback, a hang or gigabytes of memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from runtime_support import (
    ADULTS,
    REPO,
    Database,
    all_event_count,
    attachment,
    complete,
    open_mediasi,
    open_sapa,
)

from cli import main
from engine.api import MAX_BLOB, Engine
from engine.cases.commands import (
    AddParticipant,
    AttachDocument,
    Command,
    CompleteStep,
    SetFact,
)
from engine.errors import AlurError, CaseError, InvalidCaseInput
from engine.runner import run_case_file
from tests.reliability.procs import uji, uji_file

pytestmark = pytest.mark.reliability

SQL = "x'); DROP TABLE alur_events; --"
SQL2 = 'Robert"); DELETE FROM alur_snapshots; --'
SQL_ID = "x--DROP_TABLE.alur_events--"  # case ids have a safe alphabet (issue 16): SQL words only
PEAK_GROWTH_MB = 200

def ktp() -> Any:
    return attachment("ktp")


def audit_count(engine: Engine) -> int:
    return len(engine.store.audit_records())


def refused(engine: Engine, command: Command, rule: str) -> AlurError:
    """``command`` is refused with ``rule``, writes no event, and the refusal is audited."""
    events, audits = all_event_count(engine), audit_count(engine)
    with pytest.raises(AlurError) as info:
        engine.execute(command)
    error = info.value
    assert getattr(error, "rule", None) == rule, (error, error.message)
    assert error.message and error.hint
    assert all_event_count(engine) == events
    records = engine.store.audit_records()
    assert len(records) == audits + 1
    assert (records[-1].action, records[-1].rule) == (f"refused:{type(command).__name__}", rule)
    assert records[-1].case_id == getattr(command, "case_id", None)
    return error


def tables_intact(db: Database) -> None:
    for table in ("alur_events", "alur_snapshots", "alur_audit", "alur_procedures"):
        assert db.sql(f"SELECT count(*) FROM {table}")[0][0] >= 0  # the table is there


# --- case input through the engine (SQLite and PostgreSQL) ------------------------------------

@pytest.mark.parametrize("value", ["maybe", 5, 1.5, [True], {"x": True}, None, "", SQL])
def test_fact_of_the_wrong_type(engine: Engine, value: Any) -> None:
    case_id = open_mediasi(engine).case.case_id
    error = refused(engine, SetFact(user="rina", role="pendamping_ppa", case_id=case_id,
                                    name="victim_is_child", value=value), "input.fact_type")
    assert "victim_is_child" in error.message
    assert engine.case(case_id).facts["victim_is_child"] is False


def test_wrong_types_when_opening_write_nothing(engine: Engine, tmp_path: Path) -> None:
    proc = uji_file(tmp_path)
    for facts, rule in (({"jumlah": "12abc"}, "input.fact_type"),
                        ({"jumlah": "9" * 30}, "input.fact_type"),  # no 30-digit numbers
                        ({"jumlah": 10**30}, "input.fact_type"),
                        ({"jumlah": 10**5000}, "input.fact_type"),  # json could not write it
                        ({"nama": "x" * 2001}, "input.fact_type"),  # text facts are bounded
                        ({"nama": 42}, "input.fact_type"),
                        ({"anak": "perhaps"}, "input.fact_type")):
        events, audits = all_event_count(engine), audit_count(engine)
        with pytest.raises(AlurError) as info:
            engine.open_case(proc, user="u", role="petugas", facts=facts, documents=(ktp(),),
                             case_id="uji-bad")
        assert getattr(info.value, "rule", None) == rule
        assert all_event_count(engine) == events and engine.store.events("uji-bad") == []
        assert audit_count(engine) == audits + 1
        assert engine.store.audit_records()[-1].action == "refused:OpenCase"


def test_sql_looking_text_is_stored_verbatim(engine: Engine, db: Database,
                                             tmp_path: Path) -> None:
    proc = uji_file(tmp_path)
    with pytest.raises(InvalidCaseInput, match="not a valid case id"):  # SQL as an id
        engine.open_case(proc, user=SQL, role="petugas", facts={"nama": SQL},
                         documents=(ktp(),), case_id=SQL)
    opened = engine.open_case(proc, user=SQL, role="petugas", facts={"nama": SQL},
                              documents=(ktp(),), participants={"pemohon": SQL2}, case_id=SQL_ID)
    assert opened.case.case_id == SQL_ID
    engine.execute(SetFact(user=SQL2, role="petugas", case_id=SQL_ID, name="nama", value=SQL2))
    engine.execute(CompleteStep(user=SQL, role="petugas", case_id=SQL_ID, step="terima", note=SQL))
    tables_intact(db)
    state = engine.case(SQL_ID)
    assert state.facts["nama"] == SQL2 and state.participants["pemohon"] == SQL2
    assert state.path[0]["user"] == SQL
    events = engine.events(SQL_ID)
    assert events[0].user == SQL and events[0].payload["facts"]["nama"] == SQL
    assert [e.payload["note"] for e in events if e.type == "step_completed"] == [SQL]
    assert db.sql("SELECT count(*) FROM alur_events WHERE case_id = ?", (SQL_ID,))[0][0] \
        == len(events)
    assert [s.case_id for s in engine.cases()] == [SQL_ID]
    # a refusal carrying SQL is recorded verbatim too, and changes nothing
    refused(engine, SetFact(user=SQL, role=SQL, case_id=SQL_ID, name="nama", value="x"),
            "guard.unknown_role")
    assert engine.store.audit_records(SQL_ID)[-1].user == SQL
    assert engine.verify() == []


def test_oversize_note_is_refused(engine: Engine) -> None:
    case_id = open_sapa(engine).case.case_id
    refused(engine, CompleteStep(user="ani", role="pelapor", case_id=case_id,
                                 step="menghubungi_sapa", note="n" * 10_001), "input.too_large")
    ok = complete(engine, case_id, "menghubungi_sapa", "pelapor", note="n" * 10_000)
    assert ok.events[0].payload["note"] == "n" * 10_000


@pytest.mark.parametrize(("command", "rule", "suggestion"), [
    (lambda c: CompleteStep(user="rina", role="pendamping_ppa", case_id=c,
                            step="asesmen_awl"), "guard.unknown_step", "asesmen_awal"),
    (lambda c: CompleteStep(user="rina", role="pendamping_ppa", case_id=c, step="asesmen_awal",
                            documents=(attachment("hasil_asesmn"),)),
     "input.document_unknown", "hasil_asesmen"),
    (lambda c: CompleteStep(user="rina", role="pendamping_pa", case_id=c, step="asesmen_awal"),
     "guard.unknown_role", "pendamping_ppa"),
    (lambda c: SetFact(user="rina", role="pendamping_ppa", case_id=c, name="victim_is_chld",
                       value=True), "input.fact_unknown", "victim_is_child"),
    (lambda c: AttachDocument(user="rina", role="pendamping_ppa", case_id=c,
                              attachment=attachment("surat_rujukn")),
     "input.document_unknown", "surat_rujukan"),
    (lambda c: AddParticipant(user="rina", role="pendamping_ppa", case_id=c,
                              participant_role="pihak_korbn", name="X"),
     "guard.unknown_role", "pihak_korban"),
], ids=["step", "document-with-step", "role", "fact", "document", "participant-role"])
def test_unknown_names_are_refused_with_did_you_mean(
        engine: Engine, command: Callable[[str], Command], rule: str, suggestion: str) -> None:
    case_id = open_mediasi(engine).case.case_id
    error = refused(engine, command(case_id), rule)
    assert f"did you mean '{suggestion}'" in error.message


def test_unknown_outcome_is_refused_with_did_you_mean(engine: Engine) -> None:
    case_id = open_sapa(engine).case.case_id
    for step, role in (("menghubungi_sapa", "pelapor"), ("menerima_pengaduan", "admin"),
                       ("konfirmasi_identifikasi", "sub_koordinator"),
                       ("verifikasi_surat_tugas", "kepala_bidang"),
                       ("penjangkauan", "konselor")):
        complete(engine, case_id, step, role)
    error = refused(engine, CompleteStep(user="kadis", role="kepala_dinas", case_id=case_id,
                                         step="pertimbangan_kepala_dinas",
                                         outcome="perlu_lembaga_lan"), "guard.outcome_unknown")
    assert "did you mean 'perlu_lembaga_lain'" in error.message


def test_replayed_and_backdated_commands_are_refused(engine: Engine) -> None:
    case_id = open_sapa(engine).case.case_id
    first = CompleteStep(user="ani", role="pelapor", case_id=case_id, step="menghubungi_sapa")
    engine.execute(first)
    refused(engine, first, "guard.not_current")  # the same command again
    last = engine.store.events(case_id)[-1].at
    from datetime import datetime, timedelta

    before = (datetime.fromisoformat(last) - timedelta(minutes=1)).isoformat()
    refused(engine, CompleteStep(user="adi", role="admin", case_id=case_id,
                                 step="menerima_pengaduan", at=before), "guard.out_of_order")
    refused(engine, SetFact(user="adi", role="admin", case_id=case_id, name="contacted_sapa",
                            value=False, at="2000-01-01T00:00:00+07:00"), "guard.out_of_order")
    assert engine.case(case_id).current_step == "menerima_pengaduan"


def test_document_paths_leaving_the_folder_are_refused(engine: Engine, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text("isi", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia", encoding="utf-8")
    (docs / "link.txt").symlink_to(secret)
    for path in (docs / ".." / "secret.txt", docs / "link.txt", Path("/etc/passwd"),
                 docs / ".." / ".." / ".." / "etc" / "passwd"):
        with pytest.raises(CaseError) as info:
            engine.attachment("surat_rujukan", path, root=docs)
        assert ("outside the documents folder" in info.value.message
                or ("symbolic link" in info.value.message and path.name == "link.txt"))
        assert getattr(info.value, "rule", None) == "input.document_path"
    assert engine.attachment("surat_rujukan", docs / "ok.txt", root=docs).content == b"isi"
    # a device never ends: refused before it is read, even without a documents folder
    with pytest.raises(CaseError, match="not a regular file"):
        engine.attachment("surat_rujukan", "/dev/zero")
    with pytest.raises(CaseError, match="not a regular file"):
        engine.attachment("surat_rujukan", docs)


def _case_file(folder: Path, document: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kasus.yaml"
    at = "2026-03-02T{}:00+07:00"
    path.write_text(json.dumps({"cases": [
        {"id": "buka-jahat", "opened": {"at": at.format("09:00"), "user": "rina",
                                        "role": "pendamping_ppa"},
         "facts": ADULTS, "documents": {"identitas_penerima_manfaat": {"file": document}}},
        {"id": "aksi-jahat", "opened": {"at": at.format("09:00"), "user": "rina",
                                        "role": "pendamping_ppa"},
         "facts": ADULTS, "documents": {"identitas_penerima_manfaat": "KTP"},
         "actions": [{"at": at.format("10:00"), "user": "rina", "role": "pendamping_ppa",
                      "attach": {"surat_rujukan": {"file": document}}}]},
    ]}), encoding="utf-8")
    return path


@pytest.mark.parametrize("document", ["../../etc/passwd", "../rahasia.txt", "/etc/passwd"])
def test_case_file_paths_leaving_its_folder_are_refused_and_audited(
        engine: Engine, tmp_path: Path, document: str) -> None:
    (tmp_path / "rahasia.txt").write_text("rahasia", encoding="utf-8")
    path = _case_file(tmp_path / "kasus", document)
    runs = run_case_file(engine, "mediasi", path)
    assert [r.refused_at for r in runs] == ["opening", "action 1"]
    for run in runs:
        assert isinstance(run.refused, CaseError)
        assert "outside the documents folder" in run.refused.message
    assert engine.store.events("buka-jahat") == []  # nothing opened
    assert [e.type for e in engine.store.events("aksi-jahat")][-1] != "document_attached"
    assert "surat_rujukan" not in engine.case("aksi-jahat").documents
    records = [(r.action, r.case_id, r.rule) for r in engine.store.audit_records()]
    assert records == [("refused:OpenCase", "buka-jahat", "input.document_path"),
                       ("refused:AttachDocument", "aksi-jahat", "input.document_path")]


def test_document_over_10_mb_is_kept_as_a_reference(engine: Engine, db: Database,
                                                    tmp_path: Path) -> None:
    big = tmp_path / "rekaman.bin"
    with big.open("wb") as fh:
        fh.write(b"\x01" * (MAX_BLOB + 4096))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    case_id = open_mediasi(engine).case.case_id
    held = engine.attachment("surat_rujukan", big, root=tmp_path)
    assert held.content is None and held.size == MAX_BLOB + 4096 and held.sha256 == digest
    result = engine.execute(AttachDocument(user="rina", role="pendamping_ppa", case_id=case_id,
                                           attachment=held))
    payload = result.events[0].payload
    assert (payload["sha256"], payload["size"], payload["stored"]) == (digest, big.stat().st_size,
                                                                       False)
    assert engine.store.blob(digest) is None
    (count,), = db.sql("SELECT count(*) FROM alur_blobs WHERE sha256 = ?", (digest,))
    assert count == 0
    if db.path is not None:
        assert db.path.stat().st_size < MAX_BLOB // 4  # the content is not in the file
    again = engine.attachment("identitas_penerima_manfaat", tmp_path / "rekaman.bin")
    assert again.content is None  # the same rule without a documents folder


@pytest.mark.parametrize(("condition", "facts"), [
    ("nama * 999999999 == 'x'", {"nama": "ab"}),  # string multiplication
    ("nama * jumlah == 'x'", {"nama": "ab", "jumlah": 999_999_999_999_999_999}),
    ("nama % jumlah == 'x'", {"nama": "%0999999999d", "jumlah": 1}),  # printf of a huge width
    ("'%0999999999d' % jumlah == 'x'", {"nama": "a", "jumlah": 1}),
    ("nama < jumlah < 5", {"nama": "a", "jumlah": 1}),  # a chain comparing text with a number
    ("jumlah / (jumlah - jumlah) == 1", {"nama": "a", "jumlah": 3}),
    # a list literal repeated ("[nama] * 99999 * 99999") is refused when the procedure is checked
    # (issue 16): tests/test_expression_bounds.py
], ids=["repeat-constant", "repeat-fact", "format-fact", "format-constant", "chain", "div0"])
def test_hostile_condition_at_run_time_is_a_refusal(engine: Engine, tmp_path: Path,
                                                     condition: str, facts: dict[str, Any]
                                                     ) -> None:
    proc = uji_file(tmp_path, when=condition)
    case_id = engine.open_case(proc, user="u", role="petugas", facts=facts,
                               documents=(ktp(),)).case.case_id
    error = refused(engine, CompleteStep(user="u", role="petugas", case_id=case_id,
                                         step="terima"), "guard.condition")
    assert condition in error.message


# --- the CLI: every refusal exits non-zero, with a message and no traceback -------------------

def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def test_cli_refusals_exit_non_zero_without_traceback(tmp_path: Path, procedures_env: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_DOCUMENTS", str(tmp_path))  # the CLI's documents folder
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    proc = uji_file(tmp_path / "proc")
    ktp_file = tmp_path / "ktp.txt"
    ktp_file.write_text("KTP", encoding="utf-8")
    opened = cli("case", "open", "mediasi", "--db", db, "-u", "rina", "-r", "pendamping_ppa",
                 "--id", "m1", "--fact", "victim_is_child=false",
                 "--fact", "perpetrator_is_child=false", "--fact", "has_special_needs=false",
                 "--doc", f"identitas_penerima_manfaat={ktp_file}",
                 "--at", "2026-03-02T09:00:00+07:00")
    assert opened.exit_code == 0, opened.output
    sql = cli("case", "open", proc, "--db", db, "-u", SQL, "-r", "petugas", "--id", SQL_ID,
              "--fact", f"nama={SQL}", "--doc", f"ktp={ktp_file}")
    assert sql.exit_code == 0, sql.output
    refusals = [
        (("case", "fact", "m1", "victim_is_child=maybe"), "must be true or false"),
        (("case", "fact", "m1", "victim_is_chld=true"), "did you mean 'victim_is_child'"),
        (("case", "do", "m1", "asesmen_awl"), "did you mean 'asesmen_awal'"),
        (("case", "do", "m1", "asesmen_awal", "--note", "n" * 10_001),
         "more than the limit of 10000"),
        (("case", "do", "m1", "lapor_hasil_asesmen"), "guard.not_current"),
        (("case", "do", "m1", "asesmen_awal", "--at", "2026-03-01T09:00:00+07:00"),
         "guard.out_of_order"),
        (("case", "do", "m1", "asesmen_awal", "--doc", "surat_rujukan=/dev/zero"),
         "outside the documents folder"),  # refused before it is even opened
        (("case", "do", "m1", "asesmen_awal", "--doc", "surat_rujukan=."),
         "outside the documents folder"),
        (("case", "do", "m1", "asesmen_awal", "--doc", f"surat_rujukan={tmp_path}/nope"),
         "cannot read document file"),
        (("case", "participant", "m1", "pihak_korbn=X"), "did you mean 'pihak_korban'"),
        (("case", "do", "m1", "asesmen_awal", "--at", "not-a-time"), "ISO 8601"),
        (("case", "open", "mediasi", "--id", "m1", "--fact", "victim_is_child=false",
          "--fact", "perpetrator_is_child=false", "--fact", "has_special_needs=false"),
         "guard.exists"),
        (("case", "fact", SQL_ID, "jumlah=" + "9" * 40), "must be a whole number"),
        (("case", "do", SQL_ID, "terima", "-o", "setuju"), "guard.outcome_not_decision"),
    ]
    for args, expected in refusals:
        role = "petugas" if SQL_ID in args else "pendamping_ppa"
        events = _count(tmp_path / "cli.db")
        result = cli(*args, "--db", db, "-u", "rina", "-r", role)
        assert result.exit_code != 0, (args, result.output)
        assert expected in result.output, (args, result.output)
        assert _count(tmp_path / "cli.db") == events, args
    wrong_role = cli("case", "do", "m1", "asesmen_awal", "--db", db, "-u", "x", "-r", "konselor")
    assert wrong_role.exit_code == 1 and "guard.role" in wrong_role.output
    shown = cli("case", "show", SQL_ID, "--db", db, "--format", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["case_id"] == SQL_ID
    with Engine(db) as engine:
        rules = [r.rule for r in engine.store.audit_records()]
        assert engine.verify() == []
    for rule in ("input.fact_type", "input.fact_unknown", "guard.unknown_step",
                 "input.too_large", "guard.not_current", "guard.out_of_order", "guard.exists",
                 "guard.role", "guard.unknown_role"):
        assert rule in rules, rule


def _count(path: Path) -> int:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM alur_events").fetchone()[0])


def test_cli_run_of_a_hostile_case_file(tmp_path: Path, procedures_env: Path) -> None:
    (tmp_path / "rahasia.txt").write_text("rahasia", encoding="utf-8")
    path = _case_file(tmp_path / "kasus", "../rahasia.txt")
    db = f"sqlite:///{tmp_path / 'run.db'}"
    result = cli("run", "mediasi", str(path), "--db", db)
    assert result.exit_code == 1
    assert result.output.count("outside the documents folder") == 2
    assert "rahasia" not in result.output.replace("rahasia.txt", "")
    broken = tmp_path / "rusak.yaml"
    broken.write_bytes(b"cases:\n  - id: x\n    facts: {a: \xff}\n")
    result = cli("run", "mediasi", str(broken), "--db", db)
    assert result.exit_code == 1 and f"{broken}:3:16: error Y006 file is not valid UTF-8" \
        in result.output
    nested = tmp_path / "dalam.yaml"
    nested.write_text("cases: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = cli("run", "mediasi", str(nested), "--db", db)
    assert result.exit_code == 1 and "error Y003 nesting deeper than 64 levels" in result.output
    huge = tmp_path / "angka.yaml"
    huge.write_text("cases:\n  - facts: {victim_is_child: " + "9" * 5000 + "}\n",
                    encoding="utf-8")
    result = cli("run", "mediasi", str(huge), "--db", db)
    # the hardened reader keeps a number Python will not convert as text: the fact is refused
    assert result.exit_code == 1 and "must be true or false" in result.output
    assert len(result.output) < 2_000
    # an alias tree of 10^9 values given as a fact, and as a description: refused at once,
    # never turned into text whole
    tree = ["b0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    tree += [f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]" for i in range(1, 9)]
    items = "".join(f"        - {line}\n" for line in tree)
    laughs = tmp_path / "tawa.yaml"
    laughs.write_text("cases:\n  - id: tawa\n    facts:\n      perpetrator_is_child: false\n"
                      "      has_special_needs: false\n      victim_is_child:\n" + items
                      + "    documents: {identitas_penerima_manfaat: KTP}\n", encoding="utf-8")
    started = time.monotonic()
    result = cli("run", "mediasi", str(laughs), "--db", db)
    assert result.exit_code == 1 and f"{laughs}:11:35: error Y004 aliases expand" in result.output
    assert len(result.output) < 5_000 and time.monotonic() - started < 10
    described = tmp_path / "uraian.yaml"
    described.write_text("cases:\n  - id: uraian\n    description:\n" + items.replace(
        "        -", "      -"), encoding="utf-8")
    result = cli("run", "mediasi", str(described), "--db", db)
    assert result.exit_code == 1 and f"{described}:8:33: error Y004 aliases expand" in result.output
    with Engine(db) as engine:
        assert engine.store.events("tawa") == [] and engine.store.events("uraian") == []


# --- hostile procedure files and conditions, in a child process with its memory measured ------

def _hostile_procedures(folder: Path) -> dict[str, str]:
    """Write the files; the diagnostic code each must give (or "valid")."""
    folder.mkdir()
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 20):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    files = {
        "load-laughs": ("\n".join(lines) + "\n", "Y004"),
        "load-deep": ("x: " + "[" * 10_000 + "]" * 10_000 + "\n", "Y003"),
        "load-python-tag": ('id: x\ntitle: !!python/object/apply:os.system ["touch '
                            f'{folder}/pwned"]\n', "Y007"),
        "load-duplicate-keys": (uji().replace('version: "1"\n', 'version: "1"\nversion: "2"\n'),
                                "Y002"),
        "load-attribute": (uji(when="nama.__class__.__bases__"), "R007"),
        "load-power": (uji(when="2**99999999999 == jumlah"), "R007"),
        "load-power-tower": (uji(when="9**9**9 == jumlah"), "R007"),
        "load-repeat-power": (uji(when="'a'*10**9 == nama"), "R007"),
        "load-call": (uji(when="__import__('os').system('touch pwned')"), "R007"),
        # bounded conditions (issue 16): refused when loading, no longer left to the run
        "load-huge-literal": (uji(when="jumlah == 1" + "0" * 1900), "R007"),
        "load-big-int": (uji(when=" * ".join(["9" * 900] * 2) + " == jumlah"), "R007"),
        "load-overlong-condition": (uji(when="jumlah == 1" + "0" * 5000), "S009"),
        "load-deep-not": (uji(when="not " * 495 + "anak"), "R006"),
        "load-deep-minus": (uji(when="-" * 1900 + "jumlah == 1"), "R006"),
        # conditions the graph check evaluates while loading (decision outcomes on bool facts)
        "load-outcome-repeat": (uji(outcome="not anak and 'a' * 999999999 == 'x'"), "R007"),
        "load-outcome-format": (uji(outcome="not anak and '%0999999999d' % 1 == 'x'"),
                                "valid"),
        "load-outcome-chain": (uji(outcome="not " + " < ".join(["anak"] * 60)), "valid"),
        "load-outcome-long-chain": (uji(outcome="not " + " < ".join(["anak"] * 150)), "R007"),
    }
    expected = {}
    for name, (text, code) in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        expected[name] = code
    (folder / "load-latin1.yaml").write_bytes("id: x\ntitle: Café\n".encode("latin-1"))
    expected["load-latin1"] = "Y006"
    with (folder / "load-50mb.yaml").open("wb") as fh:  # a real 50 MB file, not a sparse one
        block = b"# padding padding padding padding padding padding padding padding padding\n"
        fh.write(block * (50 * 1024 * 1024 // len(block) + 1))
    expected["load-50mb"] = "Y005"
    return expected


RUN_CONDITIONS = {
    "run-repeat": ("nama * 999999999 == 'x'", {"nama": "ab", "jumlah": 1}),
    "run-repeat-fact": ("nama * jumlah == 'x'", {"nama": "ab", "jumlah": 999999999999999999}),
    "run-format": ("nama % jumlah == 'x'", {"nama": "%0999999999d", "jumlah": 1}),
    "run-format-constant": ("'%0999999999d' % jumlah == 'x'", {"nama": "a", "jumlah": 1}),
    "run-chain": ("nama < jumlah < 5 < nama", {"nama": "a", "jumlah": 1}),
    "run-big-int": ("jumlah * jumlah * jumlah == 1", {"nama": "a", "jumlah": 10**18 - 1}),
    "run-long-text": ("nama * 50 + nama * 50 == nama", {"nama": "x" * 2000, "jumlah": 1}),
}


def test_hostile_procedures_and_conditions_in_bounded_memory(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    expected = _hostile_procedures(folder)
    for name, (condition, facts) in RUN_CONDITIONS.items():
        (folder / f"{name}.yaml").write_text(uji(when=condition), encoding="utf-8")
        (folder / f"{name}.json").write_text(json.dumps(facts), encoding="utf-8")
    child = subprocess.run([sys.executable, "-m", "tests.reliability.probe", str(folder)],
                           cwd=REPO, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.returncode == 0, child.stderr[-3000:]
    assert "Traceback" not in child.stderr
    report = json.loads(child.stdout.splitlines()[-1])
    for name, code in expected.items():
        found = report["load"][name]
        if code == "valid":
            assert found["valid"] and found["codes"] == [], (name, found)
        else:
            assert code in found["codes"] and not found["valid"], (name, found)
        assert found["seconds"] < 10, (name, found)
    assert not (folder / "pwned").exists()
    for name in RUN_CONDITIONS:
        found = report["run"][name]
        assert found["outcome"] == "CommandRefused:guard.condition", (name, found)
        assert found["events_after"] == found["opened_events"], (name, found)
        assert found["audit"] == ["guard.condition"], (name, found)
        assert found["seconds"] < 10, (name, found)
    growth = report["after_run_mb"] - report["baseline_mb"]
    assert growth < PEAK_GROWTH_MB, report
    from tests.reliability.summary import record

    record("hostile_procedures", {"files": len(expected), "conditions": len(RUN_CONDITIONS),
                                  "peak_rss_growth_mb": round(growth, 1),
                                  "baseline_mb": round(report["baseline_mb"], 1),
                                  "slowest_s": max(v["seconds"] for part in ("load", "run")
                                                   for v in report[part].values())})


def test_cli_validate_of_hostile_files_has_no_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    expected = _hostile_procedures(folder)
    for name, code in expected.items():
        result = cli("validate", str(folder / f"{name}.yaml"))
        if code == "valid":
            assert result.exit_code == 0, (name, result.output)
        else:
            assert result.exit_code == 1 and code in result.output, (name, result.output)
