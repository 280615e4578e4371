"""``alur audit verify`` and ``alur audit conformance``.

Verify: every kind of tampering (payload edited, event deleted, event inserted, two events
reordered, snapshot altered) is done with raw SQL behind the store's back, on SQLite and on
PostgreSQL (``ALUR_PG_URL``; a fresh schema per test, dropped afterwards), and the command must
exit 1 naming the case and the event; a clean store exits 0.

Conformance: the runtime never writes a deviant history, so these tests write one directly:
events sealed with :func:`engine.cases.events.chain` and appended with the snapshot their replay
gives, so every chain verifies and only the content breaks the procedure. Each kind of deviation
is detected, and a conformant case has fitness 1.0.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from store.conftest import SQL_BACKENDS, Backend, make_backend, open_or_fail

from cli import main
from engine.analysis.audit import conformance, inspect_case
from engine.analysis.audit.conformance import ConformanceReport
from engine.api import Engine
from engine.cases.commands import CompleteStep, Withdraw
from engine.cases.events import CaseSnapshot, Event, canonical_json, chain
from engine.cases.state import CaseState, replay
from engine.procedure.model import Procedure

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 2, 2, 9, 0, tzinfo=WIB)  # Monday; no holiday that week

UJI = """\
id: uji
title: Layanan Uji
version: "1"
agency: {name: Dinas Uji, region: Kota Uji}
decree: {number: "1/2026"}
source: {file: uji.txt}
roles:
  - {id: pemohon, title: Pemohon, kind: external}
  - {id: wali, title: Wali, kind: external}
  - {id: petugas, title: Petugas}
  - {id: verifikator, title: Verifikator}
  - {id: kepala, title: Kepala}
  - {id: tim, title: Tim Pemeriksa, kind: team, members: [petugas, verifikator]}
documents:
  - {id: ktp, title: KTP, kind: requirement, sensitive: true}
  - {id: akta, title: Akta kelahiran, kind: requirement, presence: required_if,
     condition: is_child}
  - {id: berita_acara, title: Berita acara, kind: produced, sensitive: true}
  - {id: surat, title: Surat, kind: produced}
facts:
  - {id: is_child, title: Pemohon anak, type: bool, sensitive: true, required: true}
  - {id: lengkap, title: Berkas lengkap, type: bool, default: false}
requirements:
  - {number: 1, text: KTP, document: ktp}
steps:
  - id: terima
    number: "1"
    title: Terima permohonan
    actor: petugas
    text: Petugas menerima permohonan.
    requires: [ktp]
    deadline: {amount: 1, unit: working_days}
    next: periksa
  - id: periksa
    number: "2"
    title: Periksa berkas
    actor: tim
    text: Tim memeriksa berkas.
    requires: [akta]
    produces: [berita_acara]
    participants:
      - {role: pemohon}
      - {role: wali, when: is_child}
    next: putus
  - id: putus
    number: "3"
    title: Putuskan
    actor: kepala
    text: Kepala memutuskan.
    decision:
      question: Disetujui?
      outcomes:
        - {id: setuju, label: Setuju, when: lengkap, next: terbit}
        - {id: tolak, label: Tolak, otherwise: true, end: rejected}
  - id: terbit
    number: "4"
    title: Terbitkan surat
    actor: petugas
    text: Petugas menerbitkan surat.
    when: lengkap
    produces: [surat]
    end: completed
time_limit:
  amount: 5
  unit: working_days
  escalate_to: kepala
  source_text: "5 Hari"
cost: {text: Gratis}
products:
  - {text: Surat, document: surat}
complaints:
  - {channel: phone, value: "0800", text: "Telepon: 0800"}
components:
  dasar_hukum: {status: unknown}
  sarana_prasarana: {status: unknown}
  kompetensi_pelaksana: {status: unknown}
  pengawasan_internal: {status: unknown}
  jumlah_pelaksana: {status: unknown}
  jaminan_pelayanan: {status: unknown}
  jaminan_keamanan: {status: unknown}
  evaluasi_kinerja: {status: unknown}
"""

HAPPY_EVENTS = 14  # events of a case through the whole of uji (see ``happy``)


def at(day: int, hour: int = 9, minute: int = 0) -> str:
    """A moment in February 2026, WIB."""
    return datetime(2026, 2, day, hour, minute, tzinfo=WIB).isoformat()


@pytest.fixture
def uji(tmp_path: Path) -> Path:
    path = tmp_path / "uji.yaml"
    path.write_text(UJI, encoding="utf-8")
    return path


@pytest.fixture
def ktp(tmp_path: Path) -> Path:
    path = tmp_path / "ktp-budi.pdf"
    path.write_bytes(b"%PDF-1.4 ktp")
    return path


@pytest.fixture(params=SQL_BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    with make_backend(request.param, tmp_path) as made:
        yield made


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'audit.db'}"


@contextlib.contextmanager
def engine_on(url_or_backend: str | Backend) -> Iterator[Engine]:
    store = (open_or_fail(url_or_backend) if isinstance(url_or_backend, Backend)
             else url_or_backend)
    engine = Engine(store, clock=lambda: T0)
    try:
        yield engine
    finally:
        engine.close()


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# --- building cases ---------------------------------------------------------------------------

def open_uji(engine: Engine, uji: Path, ktp: Path | None, case_id: str, *,
             is_child: bool = False, people: dict[str, str] | None = None,
             akta: Path | None = None) -> None:
    documents = []
    if ktp is not None:
        documents.append(engine.attachment("ktp", ktp))
    if akta is not None:
        documents.append(engine.attachment("akta", akta))
    engine.open_case(str(uji), user="petugas1", role="petugas", facts={"is_child": is_child},
                     documents=tuple(documents),
                     participants={"pemohon": "Budi Santoso"} if people is None else people,
                     case_id=case_id, at=at(2))


def step(engine: Engine, case_id: str, name: str, user: str, role: str, when: str,
         **kwargs: Any) -> None:
    engine.execute(CompleteStep(user=user, role=role, at=when, case_id=case_id, step=name,
                                **kwargs))


def happy(engine: Engine, uji: Path, ktp: Path, case_id: str) -> None:
    """A case through every step of uji, as the runtime records it (14 events)."""
    open_uji(engine, uji, ktp, case_id)
    step(engine, case_id, "terima", "petugas1", "petugas", at(2, 10))
    step(engine, case_id, "periksa", "vera", "verifikator", at(3))  # a member of the team
    step(engine, case_id, "putus", "kadis", "kepala", at(3, 11), outcome="setuju",
         facts={"lengkap": True})
    step(engine, case_id, "terbit", "petugas1", "petugas", at(4))


def snapshot_of(proc: Procedure, state: CaseState) -> CaseSnapshot:
    role = proc.step(state.current_step).actor if state.current_step else None
    dues = [d for d in (state.step_due_at, state.due_at) if d]
    return CaseSnapshot(state.case_id, state.procedure_id, state.procedure_hash, state.version,
                        state.status, state.current_step, role, min(dues) if dues else None,
                        state.updated_at or "", state.last_hash, state.to_dict())


Spec = tuple[str, dict[str, Any], str, str, str]


def write(engine: Engine, case_id: str, *specs: Spec) -> None:
    """Append events as given, behind the runtime's back: sealed onto the chain and stored with
    the snapshot their replay gives, so the case verifies but need not conform."""
    state = engine.case(case_id)
    proc = engine.procedure(state.procedure_hash)
    raw = [Event(case_id, state.version + index, kind, payload, user, role, when,
                 state.procedure_hash)
           for index, (kind, payload, user, role, when) in enumerate(specs, start=1)]
    sealed = chain(raw, state.last_hash)
    version = state.version
    after = replay(sealed, state)
    engine.store.append(case_id, version, sealed, snapshot_of(proc, after))


def done(name: str, user: str, role: str, when: str, outcome: str | None = None,
         produces: tuple[str, ...] = ()) -> Spec:
    return ("step_completed", {"step": name, "outcome": outcome, "produces": list(produces),
                               "note": None}, user, role, when)


def started(name: str, when: str, due_at: str | None = None) -> Spec:
    return ("step_started", {"step": name, "due_at": due_at}, "petugas1", "petugas", when)


# --- audit verify: a clean store --------------------------------------------------------------

def test_clean_store_verifies(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        happy(engine, uji, ktp, "c1")
        open_uji(engine, uji, ktp, "c2")
    result = run("audit", "verify", "--db", backend.url)
    assert result.exit_code == 0, result.output
    assert "2 case(s), 19 event(s): every hash chain and snapshot verifies" in result.stdout
    data = json.loads(run("audit", "verify", "--db", backend.url, "--format", "json").stdout)
    assert data["ok"] is True and data["problems"] == []
    assert (data["cases"], data["events"]) == (2, HAPPY_EVENTS + 5)
    assert [h["case_id"] for h in data["heads"]] == ["c1", "c2"]
    assert data["heads"][0]["version"] == HAPPY_EVENTS


def verify_problems(url: str, *extra: str) -> tuple[int, list[tuple[str, int, str]], str]:
    result = run("audit", "verify", "--db", url, "--format", "json", *extra)
    data = json.loads(result.stdout)
    assert data["ok"] is (result.exit_code == 0)
    text = run("audit", "verify", "--db", url, *extra)
    assert text.exit_code == result.exit_code
    return (result.exit_code, [(p["case_id"], p["seq"], p["kind"]) for p in data["problems"]],
            text.stdout)


# --- audit verify: each kind of tampering -----------------------------------------------------

def test_payload_edited(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        happy(engine, uji, ktp, "c1")
        happy(engine, uji, ktp, "c2")
    backend.sql("UPDATE alur_events SET payload = '{\"step\": \"terima\", \"outcome\": null, "
                "\"produces\": [], \"note\": \"ditulis ulang\"}' "
                "WHERE case_id = 'c1' AND seq = 6")
    code, problems, text = verify_problems(backend.url)
    assert code == 5  # tampering (README: 5)
    assert problems == [("c1", 6, "edited")]
    assert "c1  event 6    edited" in text
    assert "1 problem(s) in 1 case(s)" in text
    with engine_on(backend) as engine:  # the engine's own check agrees
        assert engine.verify("c1") and not engine.verify("c2")


def test_event_deleted(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        happy(engine, uji, ktp, "c1")
        happy(engine, uji, ktp, "c2")
    backend.sql("DELETE FROM alur_events WHERE case_id = 'c1' AND seq = 7")
    backend.sql(f"DELETE FROM alur_events WHERE case_id = 'c2' AND seq = {HAPPY_EVENTS}")
    code, problems, text = verify_problems(backend.url)
    assert code == 5  # tampering (README: 5)
    assert problems == [("c1", 7, "deleted"), ("c2", HAPPY_EVENTS, "deleted")]
    assert "c1  event 7    deleted    event 7 is missing" in text
    with engine_on(backend) as engine:
        assert engine.verify("c1") and engine.verify("c2")


def _row(event: Event) -> tuple[Any, ...]:
    return (event.case_id, event.seq, event.type, canonical_json(event.payload), event.user,
            event.role, event.at, event.procedure_hash, event.prev_hash, event.hash)


def test_event_inserted(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        for case_id in ("c1", "c2", "c3"):
            open_uji(engine, uji, ktp, case_id)
            step(engine, case_id, "terima", "petugas1", "petugas", at(2, 10))
        last = engine.store.events("c1")[-1]
        proc_hash = last.procedure_hash
        note = {"name": "lengkap", "value": True}
        store = engine.store
        # c1: a well-sealed event appended after the last one, snapshot left alone
        forged = chain([Event("c1", last.seq + 1, "fact_set", note, "x", "petugas", at(3),
                              proc_hash)], last.hash)[0]
        backend.inject_event_row(store, _row(forged))
        # c2: an appended row whose hash is made up
        backend.inject_event_row(store, ("c2", last.seq + 1, "fact_set", canonical_json(note),
                                         "x", "petugas", at(3), proc_hash, last.hash, "f" * 64))
        # c3: an event slipped in as number 3, the later ones renumbered to make room
        second = engine.store.events("c3")[1]
    for seq in range(last.seq, 2, -1):
        backend.sql(f"UPDATE alur_events SET seq = {seq + 1} WHERE case_id = 'c3' "
                    f"AND seq = {seq}")
    with engine_on(backend) as engine:
        slipped = chain([Event("c3", 3, "fact_set", note, "x", "petugas", at(2), proc_hash)],
                        second.hash)[0]
        backend.inject_event_row(engine.store, _row(slipped))
    code, problems, _ = verify_problems(backend.url)
    assert code == 5  # tampering (README: 5)
    assert ("c1", last.seq + 1, "inserted") in problems
    assert ("c2", last.seq + 1, "inserted") in problems
    assert ("c3", 3, "inserted") in problems
    assert {p for p in problems if p[0] != "c3"} == {("c1", 8, "inserted"),
                                                      ("c2", 8, "inserted")}
    # the renumbered events are each reported as moved
    assert {(seq, kind) for case, seq, kind in problems if case == "c3" and seq > 3} \
        == {(seq, "reordered") for seq in range(4, last.seq + 2)}


def test_events_reordered(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        happy(engine, uji, ktp, "c1")
    backend.sql("UPDATE alur_events SET seq = 1000 WHERE case_id = 'c1' AND seq = 7")
    backend.sql("UPDATE alur_events SET seq = 7 WHERE case_id = 'c1' AND seq = 8")
    backend.sql("UPDATE alur_events SET seq = 8 WHERE case_id = 'c1' AND seq = 1000")
    code, problems, text = verify_problems(backend.url)
    assert code == 5  # tampering (README: 5)
    assert problems == [("c1", 7, "reordered"), ("c1", 8, "reordered")]
    assert "it holds the event sealed as number 8" in text
    with engine_on(backend) as engine:
        assert engine.verify("c1")


def test_event_deleted_and_renumbered(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        happy(engine, uji, ktp, "c1")
    backend.sql("DELETE FROM alur_events WHERE case_id = 'c1' AND seq = 10")
    for seq in range(11, HAPPY_EVENTS + 1):
        backend.sql(f"UPDATE alur_events SET seq = {seq - 1} WHERE case_id = 'c1' "
                    f"AND seq = {seq}")
    code, problems, _ = verify_problems(backend.url)
    assert code == 5  # tampering (README: 5)
    assert problems[0] == ("c1", 10, "deleted")
    assert problems[1:] == [("c1", seq, "reordered") for seq in range(11, HAPPY_EVENTS)]


def test_snapshot_altered(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        happy(engine, uji, ktp, "c1")
        open_uji(engine, uji, ktp, "c2")
        open_uji(engine, uji, ktp, "c3")
    # an open case made to look finished in every listing
    backend.sql("UPDATE alur_snapshots SET status = 'completed', current_step = NULL, "
                "\"current_role\" = NULL WHERE case_id = 'c2'")
    # the state document rewritten
    backend.sql("UPDATE alur_snapshots SET state = '{}' WHERE case_id = 'c3'")
    code, problems, text = verify_problems(backend.url)
    assert code == 5  # tampering (README: 5)
    assert problems == [("c2", 5, "snapshot"), ("c3", 5, "snapshot")]
    assert "status, current_step, current_role" in text
    assert "c3  event 5    snapshot   the snapshot differs from its events in state" in text


def test_verify_one_case(backend: Backend, uji: Path, ktp: Path) -> None:
    with engine_on(backend) as engine:
        open_uji(engine, uji, ktp, "c1")
        open_uji(engine, uji, ktp, "c2")
    backend.sql("DELETE FROM alur_events WHERE case_id = 'c2' AND seq = 2")
    assert run("audit", "verify", "--db", backend.url, "--case", "c1").exit_code == 0
    code, problems, _ = verify_problems(backend.url, "--case", "c2")
    assert (code, problems) == (5, [("c2", 2, "deleted")])
    missing = run("audit", "verify", "--db", backend.url, "--case", "nope")
    assert missing.exit_code == 3
    assert "no case 'nope'" in missing.output


def test_events_without_snapshot_and_snapshot_without_events(sqlite_url: str, uji: Path,
                                                             ktp: Path) -> None:
    with engine_on(sqlite_url) as engine:
        open_uji(engine, uji, ktp, "c1")
        events = engine.store.events("c1")
        snapshot = engine.store.snapshot("c1")
    assert inspect_case("c1", events, snapshot) == []
    assert [(f.seq, f.kind) for f in inspect_case("c1", events, None)] == [(5, "snapshot")]
    assert [(f.seq, f.kind) for f in inspect_case("c1", [], snapshot)] \
        == [(seq, "deleted") for seq in range(1, 6)]
    rehashed = list(events)
    edited = Event(**{**events[1].to_dict(), "payload": {"role": "pemohon", "name": "X"},
                      "hash": ""})
    rehashed[1] = chain([edited], events[0].hash)[0]  # rewritten and sealed again
    assert [(f.seq, f.kind) for f in inspect_case("c1", rehashed, snapshot)] == [(2, "edited")]


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.cli import audit as audit_cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(audit_cli.sys, "stderr", terminal)
    with audit_cli._progress(["a", "b", "c"], "text", "verifying") as items:
        assert list(items) == ["a", "b", "c"]
    assert "verifying" in terminal.getvalue()
    quiet = Terminal()
    monkeypatch.setattr(audit_cli.sys, "stderr", quiet)
    with audit_cli._progress(["a", "b"], "json", "verifying") as items:
        assert list(items) == ["a", "b"]
    assert quiet.getvalue() == ""


# --- audit conformance ------------------------------------------------------------------------

def check(engine: Engine) -> ConformanceReport:
    return conformance(engine.store.all_events(), engine.context)


def kinds(report: ConformanceReport, case_id: str) -> list[tuple[int, str]]:
    case = next(c for c in report.cases if c.case_id == case_id)
    return [(d.seq, d.kind) for d in case.deviations]


def test_conformant_case_has_fitness_one(sqlite_url: str, uji: Path, ktp: Path) -> None:
    with engine_on(sqlite_url) as engine:
        happy(engine, uji, ktp, "ok")
        open_uji(engine, uji, ktp, "open")
        step(engine, "open", "terima", "petugas1", "petugas", at(2, 10))
        report = check(engine)
    for case in report.cases:
        assert case.conformant and case.fitness == 1.0 and case.deviations == []
    ok = next(c for c in report.cases if c.case_id == "ok")
    assert (ok.case_id, ok.moves, ok.status) == ("ok", 4, "completed")
    [proc] = report.procedures
    assert (proc.procedure_id, proc.cases, proc.moves, proc.fitness) == ("uji", 2, 5, 1.0)
    result = run("audit", "conformance", "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    assert "uji v1: fitness 1.000 (5 of 5 move(s) conform); 2 of 2 case(s) conformant" \
        in result.stdout


def test_each_deviation_is_detected(sqlite_url: str, uji: Path, ktp: Path,
                                    tmp_path: Path) -> None:
    akta = tmp_path / "akta.pdf"
    akta.write_bytes(b"akta")
    with engine_on(sqlite_url) as engine:
        # skipped: periksa done while terima was current
        open_uji(engine, uji, ktp, "skipped")
        write(engine, "skipped", done("periksa", "vera", "verifikator", at(2, 10),
                                      produces=("berita_acara",)), started("putus", at(2, 10)))
        # role: the head of office does the clerk's step
        open_uji(engine, uji, ktp, "role")
        write(engine, "role", done("terima", "kadis", "kepala", at(2, 10)),
              started("periksa", at(2, 10)))
        # documents: the identity card was never attached
        open_uji(engine, uji, None, "documents")
        write(engine, "documents", done("terima", "petugas1", "petugas", at(2, 10)),
              started("periksa", at(2, 10)))
        # participants: a child's guardian must be present at periksa
        open_uji(engine, uji, ktp, "participants", is_child=True, akta=akta)
        step(engine, "participants", "terima", "petugas1", "petugas", at(2, 10))
        write(engine, "participants", done("periksa", "vera", "verifikator", at(2, 11),
                                           produces=("berita_acara",)),
              started("putus", at(2, 11)))
        # outcome: a decision recorded without an outcome, and one whose condition fails
        for case_id, outcome in (("no_outcome", None), ("bad_outcome", "setuju")):
            open_uji(engine, uji, ktp, case_id)
            step(engine, case_id, "terima", "petugas1", "petugas", at(2, 10))
            step(engine, case_id, "periksa", "vera", "verifikator", at(2, 11))
            write(engine, case_id, done("putus", "kadis", "kepala", at(2, 12), outcome),
                  started("terbit", at(2, 12)))
        # forced: terima leads to periksa, not to putus
        open_uji(engine, uji, ktp, "forced")
        write(engine, "forced", done("terima", "petugas1", "petugas", at(2, 10)),
              started("putus", at(2, 10)))
        # condition: terbit needs a complete file
        open_uji(engine, uji, ktp, "condition")
        step(engine, "condition", "terima", "petugas1", "petugas", at(2, 10))
        step(engine, "condition", "periksa", "vera", "verifikator", at(2, 11))
        step(engine, "condition", "putus", "kadis", "kepala", at(2, 12), outcome="setuju",
             facts={"lengkap": True})
        write(engine, "condition",
              ("fact_set", {"name": "lengkap", "value": False}, "x", "petugas", at(2, 13)),
              done("terbit", "petugas1", "petugas", at(2, 14), produces=("surat",)),
              ("case_closed", {"outcome": "completed", "reason": None}, "petugas1", "petugas",
               at(2, 14)))
        # unrecorded breach: terima (1 working day) done on Wednesday, no breach recorded
        open_uji(engine, uji, ktp, "late")
        write(engine, "late", done("terima", "petugas1", "petugas", at(4)),
              started("periksa", at(4)))
        # after_close: work recorded on a withdrawn case
        open_uji(engine, uji, ktp, "closed")
        engine.execute(Withdraw(user="Budi Santoso", role="pemohon", at=at(2, 10),
                                case_id="closed", reason="tidak jadi"))
        write(engine, "closed", done("terima", "petugas1", "petugas", at(2, 11)),
              started("periksa", at(2, 11)))
        # unknown step, and a step done out of order (going back)
        open_uji(engine, uji, ktp, "unknown")
        write(engine, "unknown", done("cetak", "petugas1", "petugas", at(2, 10)),
              started("periksa", at(2, 10)))
        # backdated: a completion dated before the event recorded before it
        open_uji(engine, uji, ktp, "backdated")
        step(engine, "backdated", "terima", "petugas1", "petugas", at(2, 12))
        write(engine, "backdated", done("periksa", "vera", "verifikator", at(2, 11),
                                        produces=("berita_acara",)),
              started("putus", at(2, 11)))
        open_uji(engine, uji, ktp, "back")
        step(engine, "back", "terima", "petugas1", "petugas", at(2, 10))
        step(engine, "back", "periksa", "vera", "verifikator", at(2, 11))
        write(engine, "back", done("terima", "petugas1", "petugas", at(2, 12)),
              started("periksa", at(2, 12)))
        report = check(engine)
    assert run("audit", "verify", "--db", sqlite_url).exit_code == 0  # all sealed properly
    assert kinds(report, "skipped") == [(6, "skipped")]
    assert kinds(report, "role") == [(6, "role")]
    # the published requirement (KTP) and the step's own 'requires' both say it
    assert kinds(report, "documents") == [(5, "requirements"), (5, "documents")]
    assert kinds(report, "participants") == [(9, "participants")]
    assert kinds(report, "no_outcome") == [(10, "outcome")]
    assert kinds(report, "bad_outcome") == [(10, "outcome")]
    assert kinds(report, "forced") == [(7, "forced")]
    assert kinds(report, "condition") == [(14, "condition")]
    assert kinds(report, "late") == [(6, "unrecorded_breach")]
    assert {k for _, k in kinds(report, "closed")} == {"after_close"}
    assert kinds(report, "unknown") == [(6, "unknown_step")]
    assert kinds(report, "back") == [(10, "out_of_order")]
    assert kinds(report, "backdated") == [(8, "backdated")]
    by_id = {c.case_id: c for c in report.cases}
    assert "skipped: terima" in by_id["skipped"].deviations[0].detail
    assert "without wali" in by_id["participants"].deviations[0].detail
    assert "terima → putus is not an edge" in by_id["forced"].deviations[0].detail
    late = by_id["late"]
    assert [(b.target, b.recorded) for b in late.breaches] == [("terima", False)]
    assert report.totals == {"skipped": 1, "out_of_order": 1, "unknown_step": 1, "role": 1,
                             "requirements": 1, "documents": 1, "condition": 1,
                             "participants": 1, "outcome": 2,
                             "forced": 1, "after_close": 2, "backdated": 1,
                             "unrecorded_breach": 1}
    assert not report.ok

    result = run("audit", "conformance", "uji", "--db", sqlite_url)
    assert result.exit_code == 1
    assert "skipped: terima" in result.stdout
    data = json.loads(run("audit", "conformance", "--db", sqlite_url, "--format",
                          "json").stdout)
    assert data["ok"] is False and data["totals"] == report.totals


def test_fitness_counts_deviating_moves(sqlite_url: str, uji: Path, ktp: Path) -> None:
    with engine_on(sqlite_url) as engine:
        happy(engine, uji, ktp, "ok")  # 4 moves, none deviating
        open_uji(engine, uji, ktp, "role")
        write(engine, "role", done("terima", "kadis", "kepala", at(2, 10)),
              started("periksa", at(2, 10)))
        # the runtime carries on from where the deviant history left the case
        step(engine, "role", "periksa", "vera", "verifikator", at(2, 11))
        step(engine, "role", "putus", "kadis", "kepala", at(2, 12), outcome="tolak")
        report = check(engine)
    role = next(c for c in report.cases if c.case_id == "role")
    assert (role.moves, role.deviating_moves, role.status) == (3, 1, "rejected")
    assert role.fitness == pytest.approx(2 / 3)
    [proc] = report.procedures
    assert (proc.moves, proc.deviating_moves, proc.conformant_cases) == (7, 1, 1)
    assert proc.fitness == pytest.approx(1 - 1 / 7)
    data = json.loads(run("audit", "conformance", "--db", sqlite_url, "--format",
                          "json").stdout)
    assert data["procedures"][0]["fitness"] == pytest.approx(6 / 7)


def test_recorded_breach_is_not_a_deviation(sqlite_url: str, uji: Path, ktp: Path) -> None:
    with engine_on(sqlite_url) as engine:
        open_uji(engine, uji, ktp, "late")
        step(engine, "late", "terima", "petugas1", "petugas", at(4))  # the runtime records it
        report = check(engine)
    [case] = report.cases
    assert case.conformant and case.fitness == 1.0
    assert [(b.target, b.recorded, b.escalate_to) for b in case.breaches] \
        == [("terima", True, "kepala")]
    result = run("audit", "conformance", "--db", sqlite_url)
    assert result.exit_code == 0
    assert "breach" in result.stdout and "recorded, escalated to kepala" in result.stdout


def test_tampered_case_is_not_replayed(sqlite_url: str, uji: Path, ktp: Path) -> None:
    with engine_on(sqlite_url) as engine:
        happy(engine, uji, ktp, "c1")
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("UPDATE alur_events SET role = 'pemohon' WHERE case_id = 'c1' AND seq = 6")
    result = run("audit", "conformance", "--db", sqlite_url)
    assert result.exit_code == 1
    assert "c1: NOT VERIFIED, not replayed: its hash chain does not verify" in result.stdout
    assert "1 not verified" in result.stdout


def test_conformance_of_unknown_procedure(sqlite_url: str, uji: Path, ktp: Path) -> None:
    with engine_on(sqlite_url) as engine:
        open_uji(engine, uji, ktp, "c1")
    result = run("audit", "conformance", "tidak_ada", "--db", sqlite_url)
    assert result.exit_code == 3
    assert "procedures in this store: uji" in result.output
    assert run("audit", "conformance", str(uji), "--db", sqlite_url).exit_code == 0


def test_missing_procedure_version(sqlite_url: str, uji: Path, ktp: Path) -> None:
    with engine_on(sqlite_url) as engine:
        happy(engine, uji, ktp, "c1")
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("DELETE FROM alur_procedures")
    code, problems, text = verify_problems(sqlite_url)
    assert (code, problems) == (5, [("c1", 1, "procedure")])
    assert "is not in the store or does not load" in text
    result = run("audit", "conformance", "--db", sqlite_url)
    assert result.exit_code == 1
    assert "c1: NOT VERIFIED, not replayed: its procedure version cannot be loaded" \
        in result.stdout
