"""Role aliases (issue #17, item 11): one party under several names in one SP ("korban" /
"penerima manfaat" / "klien") is one role with ``aliases``. A command may name the role by an
alias, from the engine, the CLI or the HTTP API; what is recorded is always the role's id.
Fixture: ``tests/fixtures/valid/bersama.yaml`` (``korban`` has the aliases "penerima manfaat"
and "klien"). Validation of a name given to two roles is R023 (tests/fixtures/invalid).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from engine.api import Engine
from engine.cases.commands import AddParticipant, Attachment, CompleteStep
from engine.cases.lookup import ProcedureIndex
from engine.cases.roster import Roster
from engine.errors import AccessDenied, CommandRefused
from engine.procedure.names import name_key
from engine.procedure.validate import load_procedure
from engine.service.app import Service, create_app
from engine.service.auth import hash_password
from tests.runtime_support import at_joint_mediation, make_database
from tests.service.support import SAPA_AGENCY

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "bersama.yaml"
KTP = Attachment("ktp", "ktp.pdf", hashlib.sha256(b"x" * 10).hexdigest(), 10, "application/pdf",
                 b"x" * 10)


def roles_recorded(engine: Engine, case_id: str) -> list[str]:
    return [event.role for event in engine.store.events(case_id)]


@pytest.fixture
def at_mediation(engine: Engine) -> tuple[Engine, str]:
    return engine, at_joint_mediation(engine)


# --- the names a role goes by -----------------------------------------------------------------

def test_an_alias_in_any_spelling_names_its_role() -> None:
    index = ProcedureIndex.of(load_procedure(FIXTURE))
    for name in ("korban", "penerima manfaat", "Penerima  Manfaat", "penerima_manfaat",
                 "penerima-manfaat", "KLIEN"):
        assert index.role_id(name) == "korban", name
    assert index.role_id("petugas") == "petugas"
    assert index.role_id("pendamping") == "pendamping"  # no name of any role: left for the guard


@given(st.text(alphabet="abc _-ABC", min_size=1, max_size=20))
def test_name_key_is_idempotent_and_ignores_case_and_separators(name: str) -> None:
    key = name_key(name)
    assert name_key(key) == key
    assert name_key(name.upper()) == key
    assert name_key(name.replace("_", " ")) == key == name_key(name.replace("-", "_"))


# --- the runtime records the role's id --------------------------------------------------------

def test_a_joint_actor_signs_under_an_alias_and_the_event_names_the_role(
        at_mediation: tuple[Engine, str]) -> None:
    engine, case_id = at_mediation
    signed = engine.execute(CompleteStep(user="sari", role="Penerima Manfaat", case_id=case_id,
                                         step="mediasi"))
    assert [e.role for e in signed.events] == ["korban"]
    assert [s["signer"] for s in engine.case(case_id).signatures] == ["korban"]
    with pytest.raises(CommandRefused) as again:  # the same party under its other name
        engine.execute(CompleteStep(user="sari", role="klien", case_id=case_id, step="mediasi"))
    assert again.value.rule == "guard.signed"
    assert "klien" not in roles_recorded(engine, case_id)


def test_an_alias_opens_a_case_and_names_a_participant(engine: Engine) -> None:
    digest = engine.register(FIXTURE)
    case = engine.open_case(digest, user="sari", role="klien", documents=(KTP,),
                            participants={"penerima manfaat": "Ibu S."}).case
    assert set(roles_recorded(engine, case.case_id)) == {"korban"}
    assert engine.case(case.case_id).participants == {"korban": "Ibu S."}
    engine.execute(AddParticipant(user="ani", role="petugas", case_id=case.case_id,
                                  participant_role="Penerima_Manfaat", name="Ibu T."))
    assert engine.case(case.case_id).participants == {"korban": "Ibu T."}


def test_a_name_of_no_role_is_still_refused_as_unknown(at_mediation: tuple[Engine, str]) -> None:
    engine, case_id = at_mediation
    with pytest.raises(CommandRefused) as refused:
        engine.execute(CompleteStep(user="sari", role="pendamping", case_id=case_id,
                                    step="mediasi"))
    assert refused.value.rule == "guard.unknown_role"


def test_the_roster_is_checked_against_the_role_an_alias_names(
        make_engine: object, tmp_path: Path) -> None:
    roster = Roster({"ani": frozenset({"petugas"}), "sari": frozenset({"korban"})})
    engine: Engine = make_engine(roster=roster)  # type: ignore[operator]
    digest = engine.register(FIXTURE)
    case = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case.case_id, step="terima"))
    engine.execute(CompleteStep(user="sari", role="klien", case_id=case.case_id, step="mediasi"))
    with pytest.raises(CommandRefused) as refused:  # ani does not hold korban by any name
        engine.execute(CompleteStep(user="ani", role="penerima manfaat", case_id=case.case_id,
                                    step="mediasi"))
    assert refused.value.rule == "guard.roster"


def test_reading_and_the_inbox_take_an_alias(at_mediation: tuple[Engine, str]) -> None:
    engine, case_id = at_mediation
    assert [s.case_id for s in engine.inbox("Kepala")] == []  # no alias of kepala: no role
    with pytest.raises(AccessDenied):  # an outside party reads no file, by any of its names
        engine.read_case(case_id, user="sari", role="klien")
    assert engine.read_case(case_id, user="ani", role="petugas").case_id == case_id


# --- the CLI ---------------------------------------------------------------------------------

def test_the_cli_role_option_takes_an_alias(tmp_path: Path, procedures_env: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.cli import main

    monkeypatch.chdir(tmp_path)  # documents are attached from inside the working folder
    db = f"sqlite:///{tmp_path / 'x.db'}"
    (tmp_path / "ktp.pdf").write_bytes(b"x" * 10)

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    opened = json.loads(cli("case", "open", str(FIXTURE), "-u", "ani", "-r", "petugas",
                            "--doc", "ktp=ktp.pdf", "--format", "json"))
    case_id = opened["case"]["case_id"]
    cli("case", "do", case_id, "terima", "-u", "ani", "-r", "petugas")
    cli("case", "do", case_id, "mediasi", "-u", "sari", "-r", "penerima manfaat")
    history = json.loads(cli("case", "history", case_id, "--format", "json"))
    assert history[-1]["role"] == "korban"
    assert all(event["role"] != "penerima manfaat" for event in history)


# --- the HTTP API ----------------------------------------------------------------------------

@pytest.fixture
def aliased_sapa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The service over a copy of sapa whose reporter role has the aliases "pengadu" and
    "masyarakat" (a test copy: the published sapa.yaml keeps its source's names)."""
    folder = tmp_path / "procedures"
    folder.mkdir()
    text = (ROOT / "procedures" / "sapa.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: pelapor\n    title: Pelapor\n",
                        "  - id: pelapor\n    title: Pelapor\n    aliases: [pengadu, masyarakat]\n",
                        1)
    assert "aliases: [pengadu" in text
    (folder / "sapa.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("ALUR_PROCEDURES", str(folder))
    monkeypatch.delenv("ALUR_LANG", raising=False)
    with make_database("sqlite", tmp_path) as db:
        service = Service(db.url)
        service.accounts.add_user("ani", hash_password("rahasia-ani"), frozenset({"pelapor"}),
                                  SAPA_AGENCY)
        try:
            with TestClient(create_app(service=service)) as client:
                yield client
        finally:
            service.close()


def test_the_http_api_takes_an_alias_and_records_the_role_id(aliased_sapa: TestClient) -> None:
    client = aliased_sapa
    token = client.post("/api/v1/auth/token",
                        json={"username": "ani", "password": "rahasia-ani"}).json()["token"]
    who = {"Authorization": f"Bearer {token}"}
    opened = client.post("/api/v1/cases", headers=who, json={
        "procedure": "sapa", "role": "Pengadu", "facts": {"contacted_sapa": True}})
    assert opened.status_code == 201, opened.text
    url = f"/api/v1/cases/{opened.json()['case']['case_id']}/commands"
    done = client.post(url, headers=who, json={"command": "complete_step",
                                               "role": "masyarakat",
                                               "step": "menghubungi_sapa"})
    assert done.status_code == 200, done.text
    assert {e["role"] for e in done.json()["events"]} == {"pelapor"}
    unknown = client.post(url, headers=who, json={"command": "complete_step",
                                                  "role": "warga kota", "step": "x"})
    assert unknown.status_code == 409 and unknown.json()["rule"] == "guard.unknown_role"
