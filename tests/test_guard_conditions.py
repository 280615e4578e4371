"""A step's conditional requirements are asked only of what is not there yet: a required_if
document already attached, or a person from outside the agency already named, is not missing
whatever the condition says, so the condition is not evaluated (it may read a fact not set).
The conformance audit replays completions with the same rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from runtime_support import GUARDED_YAML, attachment

from engine.analysis.audit.conformance import conform_case
from engine.api import Engine
from engine.cases.commands import CompleteStep
from engine.errors import CommandRefused

# the guarded procedure with a document and a person required only for a child
CONDITIONAL_YAML = GUARDED_YAML.replace(
    "  - {id: surat, title: Surat Keterangan, kind: produced}\n",
    "  - {id: surat, title: Surat Keterangan, kind: produced}\n"
    "  - {id: izin_wali, title: Izin wali, kind: requirement, presence: required_if,"
    " condition: is_child}\n",
).replace(
    "    requires: [ktp]\n    when: verified\n",
    "    requires: [ktp, izin_wali]\n    participants:\n"
    "      - {role: pemohon, when: is_child}\n    when: verified\n",
)


@pytest.fixture
def conditional(tmp_path: Path) -> str:
    assert CONDITIONAL_YAML != GUARDED_YAML
    path = tmp_path / "bersyarat.yaml"
    path.write_text(CONDITIONAL_YAML, encoding="utf-8")
    return str(path)


def _open(engine: Engine, path: str, facts: dict[str, Any], *, with_consent: bool,
          named: bool) -> str:
    documents = (attachment("ktp"),) + ((attachment("izin_wali"),) if with_consent else ())
    return engine.open_case(path, user="pia", role="petugas", facts=facts, documents=documents,
                            participants={"pemohon": "Siti"} if named else {}).case.case_id


def _receive(engine: Engine, case_id: str) -> str | None:
    """Complete the first step: None when it lands, else the rule that refused it."""
    try:
        engine.execute(CompleteStep(user="pia", role="petugas", case_id=case_id, step="terima"))
    except CommandRefused as exc:
        return exc.rule
    return None


@pytest.mark.parametrize(("facts", "with_consent", "named", "rule"), [
    # the fact is not set: what is there is not asked about, what is not there is
    ({"verified": True}, True, True, None),
    ({"verified": True}, False, True, "guard.fact_unset"),
    ({"verified": True}, True, False, "guard.fact_unset"),
    # the fact set: the conditions decide what is missing
    ({"verified": True, "is_child": True}, False, True, "guard.documents"),
    ({"verified": True, "is_child": True}, True, False, "guard.participants"),
    ({"verified": True, "is_child": False}, False, False, None),
])
def test_conditions_are_asked_of_what_is_missing_only(
        make_engine: Any, conditional: str, facts: dict[str, Any], with_consent: bool,
        named: bool, rule: str | None) -> None:
    engine = make_engine()
    case_id = _open(engine, conditional, facts, with_consent=with_consent, named=named)
    assert _receive(engine, case_id) == rule
    assert engine.case(case_id).current_step == ("terima" if rule else "putus")
    # the conformance audit asks the same questions: what the runtime accepted conforms
    audited = conform_case(engine.events(case_id), engine.context)
    assert (audited.conformant, audited.deviations) == (True, [])
