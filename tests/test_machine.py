"""One shared ``transitions`` machine per procedure version: built once per content hash, never
per case, with step ids plus ``end:<outcome>`` as states, and never given a model."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_support import MINIMAL, PROCEDURES, attachment, complete, open_sapa, sapa_until

import engine.cases.machine as machine_module
from engine.api import Engine
from engine.cases.machine import COMPLETE, ProcedureMachine, machine_for, outcome_trigger
from engine.procedure.model import Procedure
from engine.procedure.validate import check_path, load_procedure


@pytest.fixture
def memory_engine(procedures_env: Path) -> Iterator[Engine]:
    engine = Engine("memory://", lang="en")
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture
def constructions(monkeypatch: pytest.MonkeyPatch) -> list[ProcedureMachine]:
    """Every ProcedureMachine built from now on (versions met by earlier tests stay kept)."""
    built: list[ProcedureMachine] = []

    class Counting(ProcedureMachine):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            built.append(self)

    monkeypatch.setattr(machine_module, "ProcedureMachine", Counting)
    return built


def _procedure(name: str) -> Procedure:
    checked = check_path(PROCEDURES / f"{name}.yaml" if name != "minimal" else MINIMAL)
    assert checked.procedure is not None
    return checked.procedure


def test_machine_for_returns_one_object_per_hash(
        constructions: list[ProcedureMachine]) -> None:
    proc = _procedure("sapa")
    a, b = f"hash-a-{uuid.uuid4()}", f"hash-b-{uuid.uuid4()}"  # versions no test met before
    first = machine_for(proc, a)
    assert machine_for(proc, a) is first
    assert len(constructions) == 1
    other = machine_for(proc, b)  # another version (even with equal content)
    assert other is not first
    assert len(constructions) == 2


def test_opening_1000_cases_builds_no_machine(memory_engine: Engine,
                                              constructions: list[ProcedureMachine]) -> None:
    first = open_sapa(memory_engine).case
    machine = memory_engine.context(first.procedure_hash).machine
    built = len(constructions)  # 1, or 0 when an earlier test met this version already
    assert built <= 1
    for _ in range(999):
        open_sapa(memory_engine)
    assert len(constructions) == built
    assert len(memory_engine.cases()) == 1000
    # a second engine (its own context cache) shares the machine of the same version
    with Engine("memory://", lang="en") as other:
        digest = other.register("sapa")
        assert digest == first.procedure_hash
        assert other.context(digest).machine is machine
    assert len(constructions) == built
    assert machine.machine.models == []


def test_states_are_steps_and_ends() -> None:
    expected = {
        "mediasi": ["asesmen_awal", "asesmen_lanjutan", "lapor_hasil_asesmen",
                    "perintah_hubungi_mediator", "koordinasi_mediator", "mengundang_para_pihak",
                    "melaksanakan_mediasi", "berita_acara_mediasi", "lapor_berita_acara",
                    "monitoring_implementasi", "lapor_hasil_monitoring", "keputusan_terminasi",
                    "pendokumentasian", "end:completed"],
        "sapa": ["menghubungi_sapa", "menerima_pengaduan", "konfirmasi_identifikasi",
                 "verifikasi_surat_tugas", "penjangkauan", "pertimbangan_kepala_dinas",
                 "rujukan_lembaga_lain", "penyelesaian_dokumen_kasus", "end:referred",
                 "end:completed"],
        "minimal": ["terima", "putus", "terbit", "end:rejected", "end:completed"],
    }
    for name, states in expected.items():
        proc = _procedure(name)
        machine = ProcedureMachine(proc)
        assert list(machine.machine.states) == states, name
        assert set(machine.machine.states) == {s.id for s in proc.steps} | {
            s for s in states if s.startswith("end:")}
        assert machine.entry == proc.steps[0].id
        assert machine.machine.models == []


def test_triggers_and_moves() -> None:
    machine = ProcedureMachine(_procedure("mediasi"))
    assert machine.triggers("asesmen_awal") == [COMPLETE]
    assert sorted(machine.triggers("keputusan_terminasi")) == [
        outcome_trigger("lanjut_monitoring"), outcome_trigger("terminasi")]
    assert machine.triggers("end:completed") == []
    back = machine.move("keputusan_terminasi", "outcome:lanjut_monitoring")
    assert (back.dest, back.ends) == ("monitoring_implementasi", None)
    end = machine.move("pendokumentasian", COMPLETE)
    assert (end.dest, end.ends) == ("end:completed", "completed")
    with pytest.raises(KeyError):
        machine.move("asesmen_awal", "outcome:terminasi")  # not a decision
    with pytest.raises(KeyError):
        machine.move("keputusan_terminasi", COMPLETE)  # a decision needs an outcome
    with pytest.raises(KeyError):
        machine.move("asesmen_awal", "no-such-trigger")

    minimal = ProcedureMachine(_procedure("minimal"))
    rejected = minimal.move("putus", "outcome:tolak")
    assert (rejected.dest, rejected.ends) == ("end:rejected", "rejected")
    assert minimal.machine.models == []


def test_running_cases_never_adds_a_model(memory_engine: Engine) -> None:
    case_id = open_sapa(memory_engine).case.case_id
    machine = memory_engine.context(memory_engine.case(case_id).procedure_hash).machine
    sapa_until(memory_engine, case_id, "pertimbangan_kepala_dinas")
    complete(memory_engine, case_id, "pertimbangan_kepala_dinas", "kepala_dinas",
             outcome="tidak_perlu_lembaga_lain")
    done = complete(memory_engine, case_id, "penyelesaian_dokumen_kasus", "sub_koordinator")
    assert done.case.status == "completed"
    assert machine.machine.models == []
    other = memory_engine.open_case(str(MINIMAL), user="p", role="petugas",
                                    documents=(attachment("ktp"),)).case
    complete(memory_engine, other.case_id, "terima", "petugas")
    complete(memory_engine, other.case_id, "putus", "kepala", outcome="tolak")
    assert memory_engine.case(other.case_id).status == "rejected"
    assert memory_engine.context(other.procedure_hash).machine.machine.models == []


def test_each_move_is_fired_on_the_machine_once_and_remembered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    machine = ProcedureMachine(_procedure("sapa"))
    fired: list[str] = []
    for name, event in machine.machine.events.items():
        original = event.trigger

        def counting(model: object, *args: object, _name: str = name,
                     _original: object = original, **kwargs: object) -> bool:
            fired.append(_name)
            return _original(model, *args, **kwargs)  # type: ignore[operator, no-any-return]

        monkeypatch.setattr(event, "trigger", counting)
    state = machine.entry
    trigger = machine.triggers(state)[0]
    first = machine.move(state, trigger)
    again = machine.move(state, trigger)
    assert again == first and first.source == state and first.dest != state
    assert fired == [trigger]  # the second answer came from what the machine said the first time
    with pytest.raises(KeyError):
        machine.move(state, "no-such-trigger")
    with pytest.raises(KeyError):  # an impossible move is not remembered as possible
        machine.move(state, "no-such-trigger")


def test_only_a_procedure_with_a_plan_is_hierarchical() -> None:
    """A plan's parallel regions need HierarchicalMachine; without a plan the plain Machine
    answers the same moves, and a cold command does not load transitions.extensions (asyncio,
    the diagram machines)."""
    from transitions.extensions.nesting import HierarchicalMachine

    plain = ProcedureMachine(_procedure("sapa"))
    assert not isinstance(plain.machine, HierarchicalMachine)
    planned = ProcedureMachine(load_procedure(
        Path(__file__).resolve().parent / "fixtures" / "valid" / "rencana.yaml"))
    assert isinstance(planned.machine, HierarchicalMachine)
    # parallel: every region is entered at once (its initial states are all of them)
    assert planned.machine.get_state("rencana_layanan").initial == [
        "kesehatan", "pendampingan_psikologis", "mediasi"]
    code = ("import sys, engine.api, engine.cases.runtime, cli; "
            "print('transitions.extensions' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
