"""A case is pinned to the procedure version it was opened with: after the YAML changes, new
cases follow the new graph and old cases finish on the old one (also in a fresh engine that
loads the old version from the store)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from runtime_support import MINIMAL, Clock, attachment, complete

from engine.api import Engine
from engine.cases.events import verify_chain
from engine.cases.machine import machine_for
from engine.cases.state import replay
from engine.errors import CommandRefused


def _edit(text: str) -> str:
    """Version 2 of the minimal procedure: 'terbit' renamed 'terbitkan', and a new step 'arsip'
    after it (so the old case's steps partly no longer exist)."""
    assert text.count('version: "1"') == 1
    text = text.replace('version: "1"', 'version: "2"')
    text = text.replace("next: terbit", "next: terbitkan")
    new_steps = """  - id: terbitkan
    number: "3"
    title: Terbitkan surat
    actor: petugas
    text: Petugas menerbitkan surat.
    produces: [surat]
    next: arsip
  - id: arsip
    number: "4"
    title: Arsipkan
    actor: kepala
    text: Kepala Dinas mengarsipkan berkas.
    end: completed
"""
    start = text.index("  - id: terbit\n")
    end = text.index("time_limit:")
    return text[:start] + new_steps + text[end:]


@pytest.fixture
def procedures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procedures_env: Path) -> Path:
    """A procedures folder of our own holding a copy of minimal.yaml (id 'contoh'); it
    replaces the repository's ``procedures_env`` for this test."""
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "contoh.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("ALUR_PROCEDURES", str(folder))
    return folder


def _open(engine: Engine) -> str:
    return engine.open_case("contoh", user="pia", role="petugas",
                            documents=(attachment("ktp"),)).case.case_id


def test_old_case_finishes_on_its_version(engine: Engine, procedures: Path, clock: Clock,
                                          make_engine: Callable[..., Engine]) -> None:
    old_case = _open(engine)
    old_hash = engine.case(old_case).procedure_hash
    assert engine.case(old_case).procedure_version == "1"
    complete(engine, old_case, "terima", "petugas")

    path = procedures / "contoh.yaml"
    path.write_text(_edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    clock.advance(hours=1)
    new_case = _open(engine)
    new_state = engine.case(new_case)
    assert new_state.procedure_version == "2"
    new_hash = new_state.procedure_hash
    assert new_hash != old_hash
    assert engine.register("contoh") == new_hash  # the id now names the new version

    stored = engine.store.procedures("contoh")
    assert [(p.hash, p.version) for p in stored] == [(old_hash, "1"), (new_hash, "2")]
    assert 'version: "1"' in stored[0].text and "arsip" not in stored[0].text
    assert "id: arsip" in stored[1].text

    # the old case still follows version 1: putus -> terbit -> completed
    done = complete(engine, old_case, "putus", "kepala", outcome="setuju")
    assert done.case.current_step == "terbit"
    # ... and a fresh engine (no cache; the procedure is read back from the store) agrees
    fresh = make_engine()
    with pytest.raises(CommandRefused) as refused:
        complete(fresh, old_case, "terbitkan", "petugas")
    assert refused.value.rule == "guard.unknown_step"
    assert "did you mean 'terbit'" in refused.value.message
    final = complete(fresh, old_case, "terbit", "petugas")
    assert final.case.status == "completed"
    assert [p["step"] for p in final.case.path] == ["terima", "putus", "terbit"]
    assert {e.procedure_hash for e in fresh.store.events(old_case)} == {old_hash}
    assert fresh.context(old_hash).proc.version == "1"

    # the new case follows version 2: ... -> terbitkan -> arsip -> completed
    for step, role, outcome in (("terima", "petugas", None), ("putus", "kepala", "setuju"),
                                ("terbitkan", "petugas", None)):
        result = complete(fresh, new_case, step, role, outcome=outcome)
    assert result.case.current_step == "arsip"
    with pytest.raises(CommandRefused) as refused:
        complete(fresh, new_case, "terbit", "petugas")
    assert refused.value.rule == "guard.unknown_step"
    final_new = complete(fresh, new_case, "arsip", "kepala")
    assert final_new.case.status == "completed"
    assert [p["step"] for p in final_new.case.path] == ["terima", "putus", "terbitkan", "arsip"]
    assert {e.procedure_hash for e in fresh.store.events(new_case)} == {new_hash}

    # one machine per version, each with its own states
    old_machine = machine_for(fresh.procedure(old_hash), old_hash)
    new_machine = machine_for(fresh.procedure(new_hash), new_hash)
    assert old_machine is not new_machine
    assert "arsip" not in old_machine.machine.states and "arsip" in new_machine.machine.states
    for case_id in (old_case, new_case):
        events = fresh.store.events(case_id)
        assert verify_chain(case_id, events) == []
        assert replay(events).to_dict() == fresh.case(case_id).to_dict()


def test_opening_by_hash_pins_an_older_version(engine: Engine, procedures: Path) -> None:
    first = _open(engine)
    old_hash = engine.case(first).procedure_hash
    path = procedures / "contoh.yaml"
    path.write_text(_edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    again = engine.open_case(old_hash, user="pia", role="petugas",
                             documents=(attachment("ktp"),)).case
    assert again.procedure_hash == old_hash and again.procedure_version == "1"
    assert len(engine.store.procedures("contoh")) == 1  # nothing new was registered


def test_unchanged_file_is_registered_once(engine: Engine, procedures: Path) -> None:
    first = _open(engine)
    second = _open(engine)
    assert engine.case(first).procedure_hash == engine.case(second).procedure_hash
    assert len(engine.store.procedures("contoh")) == 1
