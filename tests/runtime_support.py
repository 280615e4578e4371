"""Helpers shared by the runtime tests (not a test module): a fixed clock, deterministic ids,
the databases the engine runs on (with raw SQL behind alur's back), documents to attach and
drivers that walk the Mediasi and SAPA procedures step by step.

Fixtures wrapping these live in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest

from engine.api import CaseResult, Engine
from engine.cases.commands import Attachment, Command, CompleteStep
from engine.cases.events import CaseSnapshot, Event
from engine.errors import CaseError, StoreError

WIB = ZoneInfo("Asia/Jakarta")
TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
PROCEDURES = REPO / "procedures"
ROSTER = REPO / "examples" / "rosters" / "roster.yaml"  # auditor1 reveals, arsip1 erases
MINIMAL = TESTS / "fixtures" / "valid" / "minimal.yaml"

PG_ENV = "ALUR_PG_URL"
PG_SKIP_REASON = ("ALUR_PG_URL not set: PostgreSQL tests skipped (export "
                  "ALUR_PG_URL=postgresql://postgres@127.0.0.1:5432/test to run them)")


def wib(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


END_OF_DAY = "T23:59:59.999999+07:00"


def end_of(day: str) -> str:
    """The ISO text of the last instant of a WIB day, as due dates are stored."""
    return day + END_OF_DAY


def edited_minimal(folder: Path, *changes: tuple[str, str], name: str = "p.yaml") -> Path:
    """``minimal.yaml`` with each ``(old, new)`` replaced once (each ``old`` must be there),
    written to ``folder / name``: a procedure that differs from the minimal one in one feature."""
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class Ids:
    """Deterministic case ids: ``<procedure>-0001``, ``<procedure>-0002`` ..."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, procedure_id: str) -> str:
        self.count += 1
        return f"{procedure_id}-{self.count:04d}"


# --- databases ------------------------------------------------------------------------------

def with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode([*pairs, ("schema", schema)])))


@dataclass
class Database:
    """Where an engine keeps its cases, and raw SQL on it behind alur's back."""

    name: str  # "sqlite" or "postgres"
    url: str
    path: Path | None = None
    base_url: str | None = None
    schema: str | None = None

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (``?`` placeholders) in its own committed transaction."""
        if self.name == "sqlite":
            assert self.path is not None
            with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as conn, \
                    contextlib.closing(conn.execute(statement, params)) as cursor:
                return cursor.fetchall() if cursor.description else []
        import psycopg
        from psycopg import sql

        assert self.base_url is not None and self.schema is not None
        with psycopg.connect(self.base_url, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
            cur.execute(statement.replace("?", "%s"), params)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []

    def text(self) -> str:
        """Everything the store holds, as text: the SQLite file, WAL and journal bytes, or every
        row of every table of the PostgreSQL schema (and the blobs' bytes)."""
        if self.name == "sqlite":
            assert self.path is not None
            files = [self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-journal")]
            return "".join(f.read_bytes().decode("latin-1") for f in files if f.exists())
        tables = [row[0] for row in self.sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
            (self.schema,))]
        assert "alur_events" in tables and "alur_blobs" in tables
        parts = []
        for table in tables:
            parts += [str(row[0]) for row in self.sql(f"SELECT CAST(t AS text) FROM {table} AS t")]
        parts += [bytes(row[0]).decode("latin-1")
                  for row in self.sql("SELECT content FROM alur_blobs")]
        return "\n".join(parts)

    @property
    def json_cast(self) -> str:
        return "::jsonb" if self.name == "postgres" else ""

    def payload(self, case_id: str, seq: int) -> dict[str, Any]:
        (value,), = self.sql("SELECT payload FROM alur_events WHERE case_id = ? AND seq = ?",
                             (case_id, seq))
        return value if isinstance(value, dict) else json.loads(value)

    def set_payload(self, case_id: str, seq: int, payload: dict[str, Any]) -> None:
        self.sql(f"UPDATE alur_events SET payload = ?{self.json_cast} "
                 "WHERE case_id = ? AND seq = ?", (json.dumps(payload), case_id, seq))

    def snapshot_state(self, case_id: str) -> dict[str, Any]:
        (value,), = self.sql("SELECT state FROM alur_snapshots WHERE case_id = ?", (case_id,))
        return value if isinstance(value, dict) else json.loads(value)

    def set_snapshot_state(self, case_id: str, state: dict[str, Any]) -> None:
        self.sql(f"UPDATE alur_snapshots SET state = ?{self.json_cast} WHERE case_id = ?",
                 (json.dumps(state), case_id))

    def event_count(self, case_id: str) -> int:
        (count,), = self.sql("SELECT count(*) FROM alur_events WHERE case_id = ?", (case_id,))
        return int(count)


def _drop_schema(base_url: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@contextlib.contextmanager
def make_database(name: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh database: a SQLite file in ``tmp_path``, or a PostgreSQL schema of its own
    (dropped afterwards). PostgreSQL is skipped when ALUR_PG_URL is unset."""
    if name == "sqlite":
        path = tmp_path / "alur.db"
        yield Database("sqlite", f"sqlite:///{path}", path=path)
        return
    assert name == "postgres", name
    base_url = os.environ.get(PG_ENV)
    if not base_url:
        pytest.skip(PG_SKIP_REASON)
    schema = f"alur_rt_{secrets.token_hex(6)}"
    try:
        yield Database("postgres", with_schema(base_url, schema), base_url=base_url,
                       schema=schema)
    finally:
        with contextlib.suppress(Exception):  # the server may be what failed
            _drop_schema(base_url, schema)


def pg_param() -> Any:
    return pytest.param("postgres", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not os.environ.get(PG_ENV), reason=PG_SKIP_REASON)])


BACKENDS = ["sqlite", pg_param()]


def open_engine(db: Database, **kwargs: Any) -> Engine:
    """An engine on ``db``; a PostgreSQL server named by ALUR_PG_URL that does not answer
    fails the test instead of skipping it."""
    try:
        return Engine(db.url, **kwargs)
    except StoreError as exc:
        if db.name == "postgres":
            pytest.fail(f"{PG_ENV} is set but the PostgreSQL store cannot be opened: "
                        f"{exc.message} ({exc.hint})")
        raise


# --- cases ----------------------------------------------------------------------------------

def attachment(document: str, content: bytes | None = None) -> Attachment:
    data = content if content is not None else f"isi {document}".encode()
    return Attachment(document, f"{document}.pdf", hashlib.sha256(data).hexdigest(), len(data),
                      "application/pdf", data)


@dataclass(frozen=True)
class Stored:
    """Everything the store holds about one case."""

    events: list[Event]
    snapshot: CaseSnapshot | None


def stored(engine: Engine, case_id: str) -> Stored:
    return Stored(engine.store.events(case_id), engine.store.snapshot(case_id))


def all_event_count(engine: Engine) -> int:
    return sum(1 for _ in engine.store.all_events())


# Facts of a Mediasi case: a child victim (guardian needed), and special needs.
CHILD_VICTIM = {"victim_is_child": True, "perpetrator_is_child": False,
                "has_special_needs": False}
SPECIAL_NEEDS = {"victim_is_child": False, "perpetrator_is_child": False,
                 "has_special_needs": True}
ADULTS = {"victim_is_child": False, "perpetrator_is_child": False, "has_special_needs": False}

PARTIES = {"pihak_korban": "Korban", "pihak_pelaku": "Pelaku"}
MEDIATION_PEOPLE = {"mediator": "Mediator", "pendamping_para_pihak": "Pendamping"}

# Mediasi in order: (step, acting role). Steps 8-9b repeat while the MK continues monitoring.
MEDIASI_STEPS = [
    ("asesmen_awal", "pendamping_ppa"),
    ("asesmen_lanjutan", "pendamping_ppa"),
    ("lapor_hasil_asesmen", "pendamping_ppa"),
    ("perintah_hubungi_mediator", "koordinator_uptd_ppa"),
    ("koordinasi_mediator", "pendamping_ppa"),
    ("mengundang_para_pihak", "pendamping_ppa"),
    ("melaksanakan_mediasi", "mediator"),
    ("berita_acara_mediasi", "pendamping_ppa"),
    ("lapor_berita_acara", "pendamping_ppa"),
    ("monitoring_implementasi", "pendamping_ppa"),
    ("lapor_hasil_monitoring", "pendamping_ppa"),
    ("keputusan_terminasi", "manajer_kasus"),
    ("pendokumentasian", "pendamping_ppa"),
]
MEDIASI_ROLE = dict(MEDIASI_STEPS)

SAPA_STEPS = [
    ("menghubungi_sapa", "pelapor"),
    ("menerima_pengaduan", "admin"),
    ("konfirmasi_identifikasi", "sub_koordinator"),
    ("verifikasi_surat_tugas", "kepala_bidang"),
    ("penjangkauan", "konselor"),  # a member of the team tim_penjangkauan
    ("pertimbangan_kepala_dinas", "kepala_dinas"),
    ("rujukan_lembaga_lain", "sub_koordinator"),
    ("penyelesaian_dokumen_kasus", "sub_koordinator"),
]
SAPA_ROLE = dict(SAPA_STEPS)

USERS = {"pendamping_ppa": "rina", "koordinator_uptd_ppa": "budi", "manajer_kasus": "sari",
         "mediator": "pak_mediator", "kepala_upt": "kusuma", "konselor": "dewi",
         "pelapor": "ani", "admin": "adi", "sub_koordinator": "sule",
         "kepala_bidang": "bambang", "kepala_dinas": "kadis"}


def complete(engine: Engine, case_id: str, step: str, role: str, **kwargs: Any) -> CaseResult:
    return engine.execute(CompleteStep(user=USERS.get(role, role), role=role, case_id=case_id,
                                       step=step, **kwargs))


def open_mediasi(engine: Engine, facts: dict[str, Any] | None = None, *,
                 identity: bool = True, **kwargs: Any) -> CaseResult:
    documents = (attachment("identitas_penerima_manfaat"),) if identity else ()
    return engine.open_case("mediasi", user="rina", role="pendamping_ppa",
                            facts=dict(facts or ADULTS), documents=documents, **kwargs)


def mediasi_until(engine: Engine, case_id: str, stop: str, facts: dict[str, Any]) -> None:
    """Complete Mediasi steps (with everyone the facts require) until ``stop`` is current."""
    people = {**PARTIES, **MEDIATION_PEOPLE}
    if facts.get("victim_is_child") or facts.get("perpetrator_is_child"):
        people["orang_tua_wali"] = "Wali"
    if facts.get("has_special_needs"):
        people["pendamping_khusus"] = "Pendamping Khusus"
    for step, role in MEDIASI_STEPS:
        if step == stop:
            return
        outcome = "terminasi" if step == "keputusan_terminasi" else None
        complete(engine, case_id, step, role, outcome=outcome, participants=people)
    raise AssertionError(f"{stop} is not a Mediasi step")


def open_sapa(engine: Engine, **kwargs: Any) -> CaseResult:
    return engine.open_case("sapa", user="ani", role="pelapor", facts={"contacted_sapa": True},
                            **kwargs)


def sapa_until(engine: Engine, case_id: str, stop: str) -> None:
    for step, role in SAPA_STEPS[:5]:
        if step == stop:
            return
        complete(engine, case_id, step, role)
    if stop != "pertimbangan_kepala_dinas":
        raise AssertionError(f"sapa_until stops at step 6a at the latest, not {stop}")


def refused_command(engine: Engine, command: Command) -> CaseError:
    """The refusal ``command`` meets (the test fails when it is accepted)."""
    try:
        engine.execute(command)
    except CaseError as exc:
        return exc
    raise AssertionError(f"{command!r} was accepted")


# A procedure exercising what the two real procedures lack: a step `when`, a step deadline with
# its own escalation, an outcome `when` (and an `otherwise`), an optional fact that a condition
# reads, an external role, and a limit on extensions (no procedure-level escalate_to).
GUARDED_YAML = """\
id: bersyarat
title: Layanan Bersyarat
version: "1"
agency:
  name: Dinas Contoh
  region: Kota Contoh
decree:
  number: "000/2/2024"
source:
  file: bersyarat.txt
roles:
  - {id: petugas, title: Petugas}
  - {id: kepala, title: Kepala Dinas}
  - {id: pemohon, title: Pemohon, kind: external}
documents:
  - {id: ktp, title: KTP, kind: requirement}
  - {id: surat, title: Surat Keterangan, kind: produced}
facts:
  - {id: is_child, title: Pemohon anak, type: bool}
  - {id: verified, title: Berkas terverifikasi, type: bool, default: false}
requirements:
  - {number: 1, text: "KTP", document: ktp}
steps:
  - id: terima
    number: "1"
    title: Terima permohonan
    actor: petugas
    text: Petugas menerima permohonan.
    requires: [ktp]
    when: verified
    deadline: {amount: 1, unit: working_days}
    escalate_to: kepala
    next: putus
  - id: putus
    number: "2"
    title: Putuskan
    actor: kepala
    text: Kepala Dinas memutuskan.
    decision:
      question: Disetujui?
      outcomes:
        - {id: setuju, label: Setuju, next: terbit, when: "not is_child"}
        - {id: tolak, label: Tolak, end: rejected, otherwise: true}
  - id: terbit
    number: "3"
    title: Terbitkan surat
    actor: petugas
    text: Petugas menerbitkan surat.
    produces: [surat]
    end: completed
time_limit:
  amount: 5
  unit: working_days
  extendable: true
  max_extension: {amount: 2, unit: working_days}
  source_text: "5 Hari"
cost: {text: Tidak dipungut biaya}
products:
  - {text: Surat Keterangan, document: surat}
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


BERSAMA = Path(__file__).resolve().parent / "fixtures" / "valid" / "bersama.yaml"


def at_joint_mediation(engine: Engine) -> str:
    """A case of tests/fixtures/valid/bersama.yaml at its joint step 'mediasi' (the victim,
    the reported party and the officer each sign): the id of the case."""
    digest = engine.register(BERSAMA)
    case = engine.open_case(digest, user="ani", role="petugas",
                            documents=(attachment("ktp"),)).case
    complete(engine, case.case_id, "terima", "petugas")
    return case.case_id
