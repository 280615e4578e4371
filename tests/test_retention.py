"""Retention anonymises closed cases past their period: personal data gone, chains verify."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from runtime_support import ROSTER

import engine.cli.cases as cli_cases
from cli import main
from engine.api import Engine
from engine.cases.commands import Anonymise, Attachment, CompleteStep, Withdraw
from engine.cases.events import SALTS, Event, verify_chain
from engine.cases.roster import load_roster
from engine.cases.runtime import erasure_plan
from engine.errors import CommandRefused
from engine.retention import Anonymised, apply_retention

WIB = timezone(timedelta(hours=7))
PROC = str(Path(__file__).parent / "fixtures" / "valid" / "minimal.yaml")


def _engine(url: str) -> Engine:
    return Engine(url, clock=lambda: datetime(2026, 3, 2, 9, tzinfo=WIB))


def _erase(engine: Engine, now: datetime, **kwargs: object) -> list[Anonymised]:
    """apply_retention by the roster's records officer, on an engine whose clock is ``now``."""
    eraser = Engine(engine.store, roster=load_roster(ROSTER), clock=lambda: now)
    return apply_retention(eraser, now, user="arsip1", role="petugas_retensi",
                           **kwargs)  # type: ignore[arg-type]


def _ktp(text: bytes = b"NIK 3575xxxx Ibu S.") -> Attachment:
    return Attachment("ktp", "ktp-ibu-s.jpg", hashlib.sha256(text).hexdigest(), len(text),
                      "image/jpeg", text)


def _closed_case(engine: Engine, case_id: str) -> None:
    engine.open_case(PROC, user="u", role="petugas", facts={"is_child": True},
                     documents=(_ktp(),), participants={}, case_id=case_id)
    engine.execute(Withdraw(user="u", role="petugas", case_id=case_id, reason="pindah"))


def test_personal_values_are_salted_in_events(tmp_path: Path) -> None:
    engine = _engine(f"sqlite:///{tmp_path / 'a.db'}")
    _closed_case(engine, "c1")
    opened = engine.events("c1")[0]
    assert opened.payload["facts"]["is_child"] is True
    assert set(opened.payload[SALTS]) == {"facts.is_child"}
    attached = next(e for e in engine.events("c1") if e.type == "document_attached")
    assert set(attached.payload[SALTS]) == {"name"}  # ktp is a sensitive document
    engine.close()


def test_retention_erases_personal_data_and_keeps_chains(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    engine = _engine(f"sqlite:///{db}")
    _closed_case(engine, "old")
    engine.open_case(PROC, user="u", role="petugas", facts={"is_child": True},
                     documents=(_ktp(),), case_id="open")
    sha = hashlib.sha256(b"NIK 3575xxxx Ibu S.").hexdigest()
    assert engine.store.blob(sha) is not None
    # the minimal procedure has no retention rule: nothing happens
    assert _erase(engine, datetime(2040, 1, 1, tzinfo=WIB)) == []
    engine.close()

    with_rule = tmp_path / "with_rule.yaml"
    with_rule.write_text(Path(PROC).read_text() + "retention:\n  after_closed: "
                         "{amount: 30, unit: calendar_days}\n")
    engine = _engine(f"sqlite:///{tmp_path / 'b.db'}")
    engine.open_case(str(with_rule), user="u", role="petugas", facts={"is_child": True},
                     documents=(_ktp(),), case_id="old")
    engine.execute(Withdraw(user="u", role="petugas", case_id="old", reason="pindah"))
    engine.open_case(str(with_rule), user="u", role="petugas", facts={"is_child": False},
                     documents=(_ktp(b"another person's KTP"),), case_id="open")
    before = [e.hash for e in engine.events("old")]
    assert _erase(engine, datetime(2026, 3, 20, tzinfo=WIB)) == []  # not yet due
    done = _erase(engine, datetime(2026, 6, 1, tzinfo=WIB))
    assert [d.case_id for d in done] == ["old"]
    assert done[0].redacted_values == 2 and done[0].erased_documents == 1
    after = engine.events("old")
    assert [e.hash for e in after[:-1]] == before  # history kept, hashes unchanged
    assert after[-1].type == "case_anonymised"
    assert engine.verify() == []
    raw = json.dumps([e.payload for e in after])
    assert "ktp-ibu-s.jpg" not in raw and "$redacted" in raw
    assert engine.case("old").facts["is_child"] != True  # noqa: E712 - the value is gone
    assert engine.store.blob(sha) is None
    # idempotent, and the open case is untouched
    assert _erase(engine, datetime(2026, 6, 2, tzinfo=WIB)) == []
    assert engine.case("open").facts["is_child"] is False
    engine.close()


def test_retention_cli_and_masked_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          ) -> None:
    with_rule = tmp_path / "p.yaml"
    with_rule.write_text(Path(PROC).read_text() + "retention:\n  after_closed: "
                         "{amount: 1, unit: calendar_days}\n")
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = _engine(url)
    engine.open_case(str(with_rule), user="u", role="petugas", facts={"is_child": True},
                     documents=(_ktp(),), case_id="k")
    engine.execute(CompleteStep(user="u", role="petugas", case_id="k", step="terima"))
    engine.execute(Withdraw(user="u", role="petugas", case_id="k", reason="x"))
    engine.close()
    runner = CliRunner()
    history = runner.invoke(main, ["case", "history", "k", "--db", url, "--format", "json"])
    assert history.exit_code == 0, history.output
    assert "$salts" not in history.output and "ktp-ibu-s.jpg" not in history.output
    # the CLI's clock stands after the period (no option moves it: see test_authorization)
    monkeypatch.setattr(cli_cases, "CLOCK", lambda: datetime(2026, 4, 2, tzinfo=WIB))
    erase = ["--roster", str(ROSTER), "--user", "arsip1"]
    dry = runner.invoke(main, ["retention", "apply", "--now", "2026-04-01T00:00:00+07:00",
                               "--dry-run", "--db", url, "--format", "json", *erase])
    assert dry.exit_code == 0 and json.loads(dry.output)["cases"][0]["case_id"] == "k"
    real = runner.invoke(main, ["retention", "apply", "--now", "2026-04-01T00:00:00+07:00",
                                "--db", url, *erase])
    assert real.exit_code == 0 and "anonymised k" in real.output
    verify_engine = _engine(url)
    assert verify_engine.verify() == []
    records = verify_engine.store.audit_records("k")
    assert any(r.action == "retention:apply" for r in records)
    verify_engine.close()


def _with_rule(tmp_path: Path) -> str:
    path = tmp_path / "with_rule.yaml"
    path.write_text(Path(PROC).read_text() + "retention:\n  after_closed: "
                    "{amount: 30, unit: calendar_days}\n")
    return str(path)


def test_anonymising_is_a_command_the_rules_decide_and_refusals_are_recorded(
        tmp_path: Path) -> None:
    """Each way to erase too early or without the right is refused with its rule (and fix),
    recorded in the audit log, and changes nothing; then the allowed command appends the
    marker, and a second one is refused as done."""
    engine = _engine(f"sqlite:///{tmp_path / 'r.db'}")
    proc = _with_rule(tmp_path)
    for case_id in ("old", "open"):
        engine.open_case(proc, user="u", role="petugas", facts={"is_child": True},
                         documents=(_ktp(),), case_id=case_id)
    engine.execute(Withdraw(user="u", role="petugas", case_id="old", reason="pindah"))
    later = datetime(2026, 6, 1, tzinfo=WIB)
    roster = load_roster(ROSTER)
    eraser = Engine(engine.store, roster=roster, clock=lambda: later)
    nobody = Engine(engine.store, clock=lambda: later)  # no roster: nobody holds 'erase'

    def erase(by: Engine, case_id: str = "old", user: str = "arsip1",
              role: str = "petugas_retensi", at: datetime = later) -> None:
        by.execute(Anonymise(user=user, role=role, case_id=case_id, at=at.isoformat()))

    attempts = {
        "guard.retention_open": lambda: erase(eraser, "open"),
        "guard.retention_period": lambda: erase(eraser, at=datetime(2026, 3, 20, tzinfo=WIB)),
        "err.now_in_future": lambda: erase(eraser, at=later + timedelta(hours=1)),
        "err.privilege": lambda: erase(eraser, user="pendamping1", role="pendamping_ppa"),
        "guard.roster": lambda: erase(eraser, role="auditor"),  # arsip1 does not hold it
        "err.privilege_no_roster": lambda: erase(nobody),
    }
    before = engine.store.read_case("old")
    for rule, attempt in attempts.items():
        with pytest.raises(CommandRefused) as refused:
            attempt()
        assert refused.value.rule == rule and refused.value.hint, rule
    assert engine.store.read_case("old") == before  # nothing written
    recorded = [r.rule for r in engine.store.audit_records() if r.action == "refused:Anonymise"]
    assert recorded == list(attempts)

    result = eraser.execute(Anonymise(user="arsip1", role="petugas_retensi", case_id="old",
                                      at=later.isoformat()))
    (marker,) = result.events
    assert (marker.type, marker.user, marker.role) == ("case_anonymised", "arsip1",
                                                       "petugas_retensi")
    assert marker.payload["redacted"] == 2 and len(marker.payload["erased"]) == 0  # "open"
    snapshot = engine.store.snapshot("old")
    assert snapshot is not None and "ktp-ibu-s.jpg" not in json.dumps(snapshot.state)
    assert snapshot.state == result.case.to_dict()  # the state handed back holds none either
    with pytest.raises(CommandRefused) as again:
        erase(eraser)
    assert again.value.rule == "guard.anonymised"
    assert engine.verify() == []
    engine.close()


def test_events_sealed_before_ids_were_salted_keep_their_user_and_verify() -> None:
    """An old store's outside users (a mediator of 2024 acting under their id) were hashed in
    clear: the erasure plan erases every salted value, keeps those ids (counted), and the
    redacted history still verifies."""
    stored = json.loads((Path(__file__).parent / "fixtures" / "events"
                         / "stored-before-vocabulary.json").read_text(encoding="utf-8"))
    case = next(c for c in stored["cases"] if c["case_id"] == "mediasi-ditolak-keputusan")
    events = [Event(**e) for e in case["events"]]
    engine = Engine("memory://")
    ctx = engine.context(engine.register("mediasi"))
    plan = erasure_plan(ctx, events)
    outside = [e for e in events if e.role in ctx.index.external]
    assert outside and plan.kept_users == len(outside)
    assert plan.values == sum(len(e.payload.get(SALTS) or {}) for e in events) > 0
    assert [e.user for e in plan.history if e.role in ctx.index.external] \
        == [e.user for e in outside]  # kept: erasing it would break the chain
    assert verify_chain(case["case_id"], list(plan.history)) == []
    assert "$redacted" in json.dumps([e.payload for e in plan.redacted])
