"""Referrals: a step or outcome opens a linked case in another procedure, atomically, after
consent; the source can wait for the target's outcome; `alur case show` shows links both ways."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.api import Engine
from engine.cases.commands import Attachment, CompleteStep, SetFact
from engine.errors import CommandRefused

WIB = timezone(timedelta(hours=7))
MINIMAL = (Path(__file__).parent / "fixtures" / "valid" / "minimal.yaml").read_text()


def _source(wait: bool) -> str:
    text = MINIMAL.replace("id: contoh", "id: sumber").replace(
        "        - {id: setuju, label: Setuju, next: terbit}",
        "        - id: setuju\n          label: Rujuk\n"
        f"          refer: {{procedure: tujuan, documents: [ktp], consent: consent_given, "
        f"wait: {str(wait).lower()}}}\n"
        f"          {'next: terbit' if wait else 'end: referred'}")
    if not wait:  # keep the issuing step reachable when the referral ends the case
        text = text.replace("{id: tolak, label: Tolak, end: rejected}",
                            "{id: tolak, label: Tolak, next: terbit}")
    return text.replace("facts:\n", "facts:\n  - {id: consent_given, title: Persetujuan, "
                                    "type: bool, default: false}\n")


@pytest.fixture
def procs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "tujuan.yaml").write_text(MINIMAL.replace("id: contoh", "id: tujuan"))
    monkeypatch.setenv("ALUR_PROCEDURES", str(folder))
    yield folder


def _ktp() -> Attachment:
    data = b"ktp"
    return Attachment("ktp", "ktp.jpg", hashlib.sha256(data).hexdigest(), 3, "image/jpeg", data)


def _engine(url: str) -> Engine:
    return Engine(url, clock=lambda: datetime(2026, 3, 2, 9, tzinfo=WIB))


def _to_decision(engine: Engine, proc: str) -> str:
    case_id = engine.open_case(proc, user="u", role="petugas", documents=(_ktp(),),
                               case_id="src").case.case_id
    engine.execute(CompleteStep(user="u", role="petugas", case_id=case_id, step="terima"))
    return case_id


def test_referral_needs_consent_then_opens_a_linked_case(procs: Path, tmp_path: Path) -> None:
    (procs / "sumber.yaml").write_text(_source(wait=False))
    engine = _engine(f"sqlite:///{tmp_path / 'r.db'}")
    case_id = _to_decision(engine, "sumber")
    version = engine.case(case_id).version
    with pytest.raises(CommandRefused) as refused:
        engine.execute(CompleteStep(user="k", role="kepala", case_id=case_id, step="putus",
                                    outcome="setuju"))
    assert refused.value.rule == "guard.consent"
    assert engine.case(case_id).version == version and engine.store.snapshot("src-ref1") is None
    engine.execute(SetFact(user="u", role="petugas", case_id=case_id, name="consent_given",
                           value=True))
    result = engine.execute(CompleteStep(user="k", role="kepala", case_id=case_id, step="putus",
                                         outcome="setuju"))
    assert result.case.status == "referred"
    assert result.case.links[0]["case_id"] == "src-ref1"
    target = engine.case("src-ref1")
    assert target.procedure_id == "tujuan" and target.status in ("registered", "active")
    # the target is numbered in its own procedure's series, in the referral's transaction
    assert (engine.case(case_id).number, target.number) == ("SUM-2026-0001", "TUJ-2026-0001")
    assert target.links[0] == {"direction": "in", "case_id": "src", "procedure_id": "sumber",
                               "at": target.opened_at}
    assert "ktp" in target.documents  # the named document travelled with it
    assert target.documents["ktp"]["sha256"] == _ktp().sha256
    assert engine.verify() == []
    engine.close()

    show = CliRunner().invoke(main, ["case", "show", "src-ref1", "--db",
                                     f"sqlite:///{tmp_path / 'r.db'}"])
    assert show.exit_code == 0 and "linked: in sumber src" in show.output


def test_waiting_referral_blocks_until_the_target_closes(procs: Path, tmp_path: Path) -> None:
    (procs / "sumber.yaml").write_text(_source(wait=True))
    engine = _engine(f"sqlite:///{tmp_path / 'w.db'}")
    case_id = _to_decision(engine, "sumber")
    engine.execute(SetFact(user="u", role="petugas", case_id=case_id, name="consent_given",
                           value=True))
    engine.execute(CompleteStep(user="k", role="kepala", case_id=case_id, step="putus",
                                outcome="setuju"))
    with pytest.raises(CommandRefused) as refused:
        engine.execute(CompleteStep(user="u", role="petugas", case_id=case_id, step="terbit"))
    assert refused.value.rule == "guard.referral_open"
    for step, outcome, role in (("terima", None, "petugas"), ("putus", "tolak", "kepala")):
        engine.execute(CompleteStep(user="t", role=role, case_id="src-ref1", step=step,
                                    outcome=outcome))
    assert engine.case("src-ref1").status == "rejected"
    done = engine.execute(CompleteStep(user="u", role="petugas", case_id=case_id, step="terbit"))
    assert done.case.status == "completed"
    engine.close()
