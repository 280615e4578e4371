"""Joint actors (issue #17): a step its actors perform together.

``joint: {roles: [...], sign_off: all}``: the actor and every joint role are recorded (one
``step_signed`` each) before the step completes, with the last signature; ``sign_off: any``:
any of them completes it alone. Fixture: ``tests/fixtures/valid/bersama.yaml`` (mediation that
the victim and the reported party undergo together, guided by the officer; a decision the head
or the officer may take).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from engine.api import Engine
from engine.cases.commands import Attachment, CompleteStep
from engine.errors import CommandRefused
from engine.procedure.validate import check_bytes
from tests.runtime_support import at_joint_mediation

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "valid" / "bersama.yaml"
KTP = Attachment("ktp", "ktp.pdf", hashlib.sha256(b"x" * 10).hexdigest(), 10, "application/pdf",
                 b"x" * 10)


@pytest.fixture
def at_mediation(engine: Engine) -> tuple[Engine, str]:
    return engine, at_joint_mediation(engine)


def sign(engine: Engine, case_id: str, role: str, step: str = "mediasi",
         outcome: str | None = None) -> object:
    user = {"petugas": "ani", "kepala": "budi"}.get(role, "ani")
    return engine.execute(CompleteStep(user=user, role=role, case_id=case_id, step=step,
                                       outcome=outcome))


def test_the_step_completes_only_when_every_joint_actor_has_signed(
        at_mediation: tuple[Engine, str]) -> None:
    engine, case_id = at_mediation
    first = sign(engine, case_id, "korban")
    assert [e.type for e in first.events] == ["step_signed"]  # type: ignore[attr-defined]
    state = engine.case(case_id)
    assert state.current_step == "mediasi"
    assert [s["signer"] for s in state.signatures] == ["korban"]
    sign(engine, case_id, "petugas")
    assert engine.case(case_id).current_step == "mediasi"
    last = sign(engine, case_id, "terlapor")
    assert [e.type for e in last.events] == [  # type: ignore[attr-defined]
        "step_signed", "step_completed", "step_started"]
    state = engine.case(case_id)
    assert state.current_step == "putus" and state.signatures == []
    done = next(p for p in state.path if p["step"] == "mediasi")
    assert done["signed_by"] == ["korban", "petugas", "terlapor"]
    assert engine.verify(case_id) == []


def test_a_joint_actor_signs_once(at_mediation: tuple[Engine, str]) -> None:
    engine, case_id = at_mediation
    sign(engine, case_id, "korban")
    with pytest.raises(CommandRefused) as refused:
        sign(engine, case_id, "korban")
    assert refused.value.rule == "guard.signed"


def test_a_role_outside_the_joint_actors_is_refused(at_mediation: tuple[Engine, str]) -> None:
    engine, case_id = at_mediation
    with pytest.raises(CommandRefused) as refused:
        sign(engine, case_id, "kepala")
    assert refused.value.rule == "guard.role"


def test_an_outcome_waits_for_the_last_signature(engine: Engine) -> None:
    digest = engine.register(FIXTURE)
    case = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case
    for role in ("petugas",):
        engine.execute(CompleteStep(user="ani", role=role, case_id=case.case_id, step="terima"))
    for role in ("korban", "terlapor", "petugas"):
        sign(engine, case.case_id, role)
    # "any": the officer alone completes the decision the head would otherwise take
    result = sign(engine, case.case_id, "petugas", step="putus", outcome="setuju")
    assert "step_signed" not in [e.type for e in result.events]  # type: ignore[attr-defined]
    assert engine.case(case.case_id).current_step == "terbit"


def test_sign_off_all_refuses_an_outcome_before_the_last_signature(tmp_path: Path,
                                                                   engine: Engine) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "joint: {roles: [petugas], sign_off: any}", "joint: {roles: [petugas], sign_off: all}")
    path = tmp_path / "bersama.yaml"
    path.write_text(text, encoding="utf-8")
    digest = engine.register(path)
    case = engine.open_case(digest, user="ani", role="petugas", documents=(KTP,)).case
    engine.execute(CompleteStep(user="ani", role="petugas", case_id=case.case_id, step="terima"))
    for role in ("korban", "terlapor", "petugas"):
        sign(engine, case.case_id, role)
    with pytest.raises(CommandRefused) as refused:
        sign(engine, case.case_id, "petugas", step="putus", outcome="setuju")
    assert refused.value.rule == "guard.sign_outcome"
    sign(engine, case.case_id, "petugas", step="putus")
    sign(engine, case.case_id, "kepala", step="putus", outcome="tolak")
    assert engine.case(case.case_id).status == "rejected"


def test_an_unknown_joint_role_is_a_located_error() -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("roles: [korban, terlapor]",
                                                       "roles: [korban, terlapr]")
    checked = check_bytes(text.encode("utf-8"), "bersama.yaml")
    errors = [d for d in checked.errors if d.code == "R001"]
    assert errors and errors[0].line is not None
    assert "terlapor" in errors[0].format()  # did you mean


def test_conformance_finds_a_joint_step_completed_before_everyone_signed(
        at_mediation: tuple[Engine, str]) -> None:
    from dataclasses import replace

    from engine.analysis.audit.conformance import conform_case
    from engine.cases.events import GENESIS, chain

    engine, case_id = at_mediation
    for role in ("korban", "petugas", "terlapor"):
        sign(engine, case_id, role)
    events = engine.events(case_id)
    assert conform_case(events, engine.context).deviations == []
    # the same log without the reported party's signature, renumbered and re-chained: as if
    # written by hand into a store
    kept = [e for e in events
            if not (e.type == "step_signed" and e.payload["signer"] == "terlapor")]
    forged = chain([replace(e, seq=i) for i, e in enumerate(kept, start=1)], GENESIS)
    found = conform_case(forged, engine.context).deviations
    assert [d.rule for d in found] == ["guard.unsigned"]
    assert "terlapor" in found[0].detail and "terlapor" in found[0].localized("id")
