"""Short case numbers (issue #16): ``MED-2026-0042`` per procedure prefix and agency-local year,
sealed in the opening event, unique in the store under concurrency, given to the cases of an
older store by its migration in opening order, shown in listings and accepted wherever the CLI
takes a case id."""

from __future__ import annotations

import json
import multiprocessing
import queue
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from runtime_support import (
    BACKENDS,
    PROCEDURES,
    Clock,
    Database,
    make_database,
    open_engine,
    open_sapa,
    wib,
)

from engine.api import Engine
from engine.cases import numbers
from engine.errors import TamperDetected
from engine.procedure.model import default_case_prefix
from engine.store import MemoryStore
from engine.store.base import SCHEMA_VERSION

TIMEOUT_S = 120
AT = wib(2026, 3, 2, 10).isoformat()


def mediasi(engine: Engine, at: str, **kwargs: Any) -> str:
    result = engine.open_case("mediasi", user="p1", role="pendamping_ppa", at=at, facts={
        "victim_is_child": True, "perpetrator_is_child": False, "has_special_needs": False,
        "other_parties_relevant": False}, **kwargs)
    return result.case.case_id


# --- the text form --------------------------------------------------------------------------

@given(st.from_regex(r"[A-Z][A-Z0-9]{0,9}", fullmatch=True), st.integers(1, 9999),
       st.integers(1, 10**6))
def test_a_number_reads_back_as_written_in_any_case(prefix: str, year: int, seq: int) -> None:
    series = f"{prefix}-{year:04d}"
    text = numbers.label(series, seq)
    assert numbers.split(text) == (series, seq)
    assert numbers.parse(text.lower()) == text
    assert numbers.parse(f"{series}-{seq}") == text  # without the leading zeros


@pytest.mark.parametrize("text", ["", "MED", "MED-26-0001", "MED-2026-0000", "MED-2026-",
                                  "1ED-2026-0001", "MED-2026-0001-1", "MED 2026 0001"])
def test_text_that_is_no_number_is_refused(text: str) -> None:
    assert numbers.split(text) is None


def test_the_default_prefix_comes_from_the_procedure_id() -> None:
    assert default_case_prefix("mediasi") == "MED"
    assert default_case_prefix("sapa") == "SAP"
    assert default_case_prefix("a_b_c_d") == "ABC"


# --- opening --------------------------------------------------------------------------------

def test_numbers_count_per_prefix_and_agency_local_year(engine: Engine, clock: Clock,
                                                       db: Database) -> None:
    first = mediasi(engine, AT)
    second = mediasi(engine, AT)
    sapa = open_sapa(engine, at=AT).case
    # 31 December 17:30 UTC is already 1 January in Jakarta (WIB, +07:00)
    clock.set(wib(2027, 1, 2))
    new_year = mediasi(engine, "2026-12-31T17:30:00+00:00")
    assert [engine.case(c).number for c in (first, second, new_year)] == [
        "MED-2026-0001", "MED-2026-0002", "MED-2027-0001"]
    assert sapa.number == "SAP-2026-0001"
    # sealed in the opening event (hashed), which says which payload version it is
    opened = engine.events(first)[0]
    assert opened.payload["number"] == "MED-2026-0001" and opened.payload["$version"] == 2
    assert engine.store.case_of_number("med-2026-2") == second
    assert engine.store.last_number("MED-2026") == 2


def test_a_procedure_names_its_own_prefix(tmp_path: Path, clock: Clock) -> None:
    text = (PROCEDURES / "sapa.yaml").read_text(encoding="utf-8")
    assert "\ncase_prefix:" not in text
    own = tmp_path / "sapa.yaml"
    own.write_text(text.replace("\nagency:", "\ncase_prefix: PPA\nagency:", 1), encoding="utf-8")
    with Engine(MemoryStore(), clock=clock, lang="en") as engine:
        opened = engine.open_case(str(own), user="ani", role="pelapor",
                                  facts={"contacted_sapa": True}, at=AT)
    assert opened.case.number == "PPA-2026-0001"


def test_a_changed_number_column_is_tampering(engine: Engine, db: Database) -> None:
    case_id = mediasi(engine, AT)
    other = mediasi(engine, AT)
    db.sql("UPDATE alur_snapshots SET number_seq = 7 WHERE case_id = ?", (case_id,))
    engine.forget()
    with pytest.raises(TamperDetected):
        engine.case(case_id)
    assert engine.case(other).number == "MED-2026-0002"
    assert any(p.get("problem") == "snapshot" for p in engine.verify(case_id)
               if isinstance(p, dict))


def test_a_number_taken_meanwhile_is_drawn_again(engine: Engine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The race a second process would win, played in one: the store still says 0 when the
    second case draws, so its append meets the unique index, and the engine draws again."""
    first = mediasi(engine, AT)
    real = type(engine.store).last_number
    stale = iter([0])
    monkeypatch.setattr(type(engine.store), "last_number",
                        lambda self, series: next(stale, None) or real(self, series))
    second = mediasi(engine, AT)
    assert [engine.case(c).number for c in (first, second)] == ["MED-2026-0001",
                                                                "MED-2026-0002"]
    assert engine.verify() == []


# --- many processes opening at once ---------------------------------------------------------

def _opener(url: str, procedures: str, barrier: Any, count: int, results: Any) -> None:
    import os

    os.environ["ALUR_PROCEDURES"] = procedures
    engine = Engine(url, lang="en")
    try:
        barrier.wait(timeout=TIMEOUT_S)
        opened = []
        for _ in range(count):
            opened.append(open_sapa(engine, at=AT).case.case_id)
        results.put(("ok", opened))
    except Exception as exc:  # reported, not raised: the parent judges
        results.put(("error", repr(exc)))
    finally:
        engine.close()


@pytest.fixture(params=BACKENDS)
def race_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with make_database(request.param, tmp_path) as made:
        yield made


def test_processes_opening_at_once_never_share_a_number(race_db: Database,
                                                         procedures_env: Path) -> None:
    processes, each = 6, 5
    open_engine(race_db).close()  # the schema first
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    workers = [ctx.Process(target=_opener, daemon=True,
                           args=(race_db.url, str(PROCEDURES), barrier, each, results))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    try:
        found = [results.get(timeout=TIMEOUT_S) for _ in workers]
    except queue.Empty:  # pragma: no cover - a worker died
        pytest.fail(f"a worker did not answer: {[w.exitcode for w in workers]}")
    finally:
        for worker in workers:
            worker.join(timeout=TIMEOUT_S)
    assert all(kind == "ok" for kind, _ in found), found
    case_ids = [case_id for _, opened in found for case_id in opened]
    assert len(set(case_ids)) == processes * each
    with open_engine(race_db, lang="en") as engine:
        got = sorted(engine.case(case_id).number or "" for case_id in case_ids)
    assert got == [numbers.label("SAP-2026", n) for n in range(1, processes * each + 1)]


# --- an older store -------------------------------------------------------------------------

def _open_unnumbered(engine: Engine, monkeypatch: pytest.MonkeyPatch, opens: list[Any]) -> None:
    """Open cases as alur did before numbers: a version-1 opening payload, no number column."""
    from engine.cases import runtime

    real = runtime._Draft.emit

    def emit(self: Any, kind: str, payload: dict[str, Any], **kwargs: Any) -> None:
        if kind == "case_opened":
            payload = {k: v for k, v in payload.items() if k not in ("number", "$version")}
        real(self, kind, payload, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(runtime._Draft, "emit", emit)
        for open_one in opens:
            open_one()


def test_the_migration_numbers_older_cases_in_opening_order(
        db: Database, clock: Clock, procedures_env: Path, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    engine = open_engine(db, clock=clock, lang="en")
    clock.set(wib(2027, 2, 1))
    made: dict[str, str] = {}
    _open_unnumbered(engine, monkeypatch, [
        lambda: made.setdefault("late", mediasi(engine, wib(2026, 3, 5).isoformat(),
                                                case_id="a-late")),
        lambda: made.setdefault("early", mediasi(engine, wib(2026, 3, 2).isoformat(),
                                                 case_id="z-early")),
        lambda: made.setdefault("next_year", mediasi(engine, wib(2027, 1, 5).isoformat(),
                                                     case_id="b-2027")),
        lambda: made.setdefault("sapa", open_sapa(engine, at=AT, case_id="c-sapa").case.case_id),
    ])
    assert engine.events("a-late")[0].payload.keys() >= {"procedure_id"}
    assert "number" not in engine.events("a-late")[0].payload
    engine.close()
    # back to schema 5: what a store written before case numbers holds
    db.sql("DROP INDEX alur_snapshots_number")
    db.sql("ALTER TABLE alur_snapshots DROP COLUMN number_seq")
    db.sql("ALTER TABLE alur_snapshots DROP COLUMN number_series")
    db.sql("UPDATE alur_meta SET value = '5' WHERE key = 'schema_version'")
    engine = open_engine(db, clock=clock, lang="en")
    try:
        assert db.sql("SELECT value FROM alur_meta WHERE key = 'schema_version'") == [
            (str(SCHEMA_VERSION),)]
        got = {key: engine.case(case_id).number for key, case_id in made.items()}
        assert got == {"early": "MED-2026-0001", "late": "MED-2026-0002",
                       "next_year": "MED-2027-0001", "sapa": "SAP-2026-0001"}
        # a case opened now continues the series; the old ones still verify and take commands
        assert engine.case(mediasi(engine, wib(2027, 1, 20).isoformat())).number \
            == "MED-2027-0002"
        assert [p for p in engine.verify() if isinstance(p, dict)
                and p.get("problem") == "snapshot"] == []
        engine.forget()
        assert engine.case("a-late").number == "MED-2026-0002"
    finally:
        engine.close()
    # the CLI finds an old case by its number
    shown = _cli(db.url, "case", "show", "MED-2026-0001", "--format", "json")
    assert shown["case_id"] == "z-early" and shown["number"] == "MED-2026-0001"


# --- the CLI --------------------------------------------------------------------------------

def _cli(db: str, *args: str) -> Any:
    from engine.cli import main

    result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "json" in args else result.stdout


def test_the_cli_takes_a_number_wherever_it_takes_a_case_id(tmp_path: Path,
                                                           procedures_env: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           ) -> None:
    monkeypatch.chdir(PROCEDURES.parent)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    opened = _cli(db, "case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
                  "contacted_sapa=true", "--at", AT, "--format", "json")
    case_id = opened["case"]["case_id"]
    assert opened["case"]["number"] == "SAP-2026-0001"
    text = _cli(db, "case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
                "contacted_sapa=true", "--at", AT)
    assert text.splitlines()[0].startswith("SAP-2026-0002 (sapa-")
    did = _cli(db, "case", "do", "sap-2026-1", "menghubungi_sapa", "-u", "ani", "-r",
               "pelapor", "--at", AT)
    assert did.startswith(f"SAP-2026-0001 ({case_id}): ")
    assert _cli(db, "case", "show", "SAP-2026-0001").startswith(f"SAP-2026-0001 ({case_id})")
    history = _cli(db, "case", "history", "SAP-2026-1", "--format", "json")
    assert history[0]["case_id"] == case_id
    listed = _cli(db, "case", "list", "--format", "json")["cases"]
    assert sorted(r["number"] for r in listed) == ["SAP-2026-0001", "SAP-2026-0002"]
    rows = _cli(db, "case", "list").splitlines()
    assert rows[0].split()[:2] == ["NUMBER", "CASE"]
    assert {row.split()[0] for row in rows[1:3]} == {"SAP-2026-0001", "SAP-2026-0002"}
    due = _cli(db, "due", "--no-record", "--format", "json")["due"]
    assert {r["number"] for r in due} <= {"SAP-2026-0001", "SAP-2026-0002"} and due
    verified = _cli(db, "audit", "verify", "--case", "SAP-2026-0002", "--format", "json")
    assert verified["cases"] == 1
    assert _cli(db, "graph", "sapa", "--case", "SAP-2026-0001", "--format", "mermaid")
    # a case id that reads like a number is still that case
    _cli(db, "case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
         "contacted_sapa=true", "--at", AT, "--id", "SAP-2026-0001")
    assert _cli(db, "case", "show", "SAP-2026-0001", "--format", "json")["case_id"] \
        == "SAP-2026-0001"


def test_audit_verify_names_a_changed_number_column(tmp_path: Path, procedures_env: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.cli import main

    monkeypatch.chdir(PROCEDURES.parent)
    path = tmp_path / "x.db"
    db = f"sqlite:///{path}"
    _cli(db, "case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
         "contacted_sapa=true", "--at", AT, "--id", "k-1")
    assert CliRunner().invoke(main, ["--db", db, "audit", "verify"]).exit_code == 0
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alur_snapshots SET number_seq = 9 WHERE case_id = 'k-1'")
    checked = CliRunner().invoke(main, ["--db", db, "audit", "verify", "--format", "json"])
    assert checked.exit_code == 5
    assert "number" in checked.stdout
