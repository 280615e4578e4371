"""Property tests of the fold (:func:`engine.cases.state.replay`) against a real store.

Hypothesis generates sequences of plausible and implausible commands on the minimal and the
Mediasi procedures (refused ones are skipped) and checks after every command that:

(a) replaying a prefix and then the rest gives the same state as replaying everything (and so
    does resuming from the stored snapshot);
(b) the stored snapshot's state equals ``replay(events)``;
(c) the hash chain verifies and seq numbers run 1..n without gaps;
(d) a refused command never changes the stored events or snapshot.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from runtime_support import MINIMAL, PROCEDURES, USERS, attachment, stored, wib

from engine.api import Engine
from engine.cases.commands import (
    AddParticipant,
    AttachDocument,
    CheckDeadlines,
    Command,
    CompleteStep,
    ExtendDeadline,
    SetFact,
    Terminate,
    Withdraw,
)
from engine.cases.events import Event, verify_chain
from engine.cases.state import CaseState, apply, replay
from engine.errors import CaseError

PROPERTY_SETTINGS = settings(max_examples=50, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])

# A command maker: (current state, case id, moment) -> command
Maker = Callable[[CaseState, str, str], Command]

MEDIASI_PEOPLE = {"pihak_korban": "Korban", "pihak_pelaku": "Pelaku", "mediator": "Mediator",
                  "pendamping_para_pihak": "Pendamping", "orang_tua_wali": "Wali",
                  "pendamping_khusus": "Pendamping Khusus", "pihak_lain_relevan": "Saksi"}
MEDIASI_ACTORS = {"asesmen_awal": "pendamping_ppa", "asesmen_lanjutan": "pendamping_ppa",
                  "lapor_hasil_asesmen": "pendamping_ppa",
                  "perintah_hubungi_mediator": "koordinator_uptd_ppa",
                  "koordinasi_mediator": "pendamping_ppa",
                  "mengundang_para_pihak": "pendamping_ppa",
                  "melaksanakan_mediasi": "mediator", "berita_acara_mediasi": "pendamping_ppa",
                  "lapor_berita_acara": "pendamping_ppa",
                  "monitoring_implementasi": "pendamping_ppa",
                  "lapor_hasil_monitoring": "pendamping_ppa",
                  "keputusan_terminasi": "manajer_kasus", "pendokumentasian": "pendamping_ppa"}
MINIMAL_ACTORS = {"terima": "petugas", "putus": "kepala", "terbit": "petugas"}


def step_cmd(step: str, role: str, **kwargs: Any) -> Maker:
    return lambda _s, case_id, at: CompleteStep(user=USERS.get(role, role), role=role, at=at,
                                                case_id=case_id, step=step, **kwargs)


def current_cmd(actors: dict[str, str], outcomes: dict[str, list[str]], choice: int,
                **kwargs: Any) -> Maker:
    """Complete whatever step is current, by its actor (a plausible command)."""
    def make(state: CaseState, case_id: str, at: str) -> Command:
        step = state.current_step or "terima"
        options = outcomes.get(step)
        outcome = options[choice % len(options)] if options else None
        return CompleteStep(user="u", role=actors.get(step, "petugas"), at=at, case_id=case_id,
                            step=step, outcome=outcome, **kwargs)
    return make


def fact_cmd(role: str, name: str, value: Any) -> Maker:
    return lambda _s, case_id, at: SetFact(user="u", role=role, at=at, case_id=case_id,
                                           name=name, value=value)


def doc_cmd(role: str, document: str) -> Maker:
    return lambda _s, case_id, at: AttachDocument(user="u", role=role, at=at, case_id=case_id,
                                                  attachment=attachment(document))


def person_cmd(role: str, participant: str) -> Maker:
    return lambda _s, case_id, at: AddParticipant(user="u", role=role, at=at, case_id=case_id,
                                                  participant_role=participant, name="Nama")


def extend_cmd(role: str, amount: int, unit: str, reason: str = "alasan") -> Maker:
    return lambda _s, case_id, at: ExtendDeadline(user="u", role=role, at=at, case_id=case_id,
                                                  amount=amount, unit=unit, reason=reason)


def close_cmd(kind: type[Withdraw] | type[Terminate], role: str, reason: str) -> Maker:
    return lambda _s, case_id, at: kind(user="u", role=role, at=at, case_id=case_id,
                                        reason=reason)


def check_cmd(role: str) -> Maker:
    return lambda _s, case_id, at: CheckDeadlines(user="alur", role=role, at=at,
                                                  case_id=case_id)


MINIMAL_OUTCOMES = {"putus": ["setuju", "tolak"]}
MINIMAL_COMMANDS: list[Maker] = [
    *[current_cmd(MINIMAL_ACTORS, MINIMAL_OUTCOMES, i) for i in range(2)] * 3,
    step_cmd("terima", "petugas", documents=(attachment("ktp"),)),
    step_cmd("terima", "kepala"),  # wrong role
    step_cmd("putus", "kepala"),  # no outcome
    step_cmd("putus", "kepala", outcome="setujuu"),  # unknown outcome
    step_cmd("terbit", "petugas", outcome="setuju"),  # outcome on a non-decision
    step_cmd("tidak_ada", "petugas"),  # unknown step
    doc_cmd("petugas", "ktp"),
    doc_cmd("petugas", "surat"),
    doc_cmd("petugas", "foto"),  # unknown document
    fact_cmd("petugas", "is_child", True),
    fact_cmd("petugas", "is_child", "bukan"),  # wrong type
    fact_cmd("petugas", "umur", 3),  # unknown fact
    person_cmd("petugas", "kepala"),
    person_cmd("petugas", "walikota"),  # unknown role
    extend_cmd("kepala", 2, "working_days"),  # not extendable
    close_cmd(Withdraw, "petugas", "dicabut"),
    close_cmd(Withdraw, "petugas", ""),  # no reason
    close_cmd(Terminate, "kepala", "dihentikan"),
    check_cmd("kepala"),
    check_cmd("tamu"),  # unknown role
]

MEDIASI_OUTCOMES = {"keputusan_terminasi": ["lanjut_monitoring", "terminasi"]}
MEDIASI_COMMANDS: list[Maker] = [
    *[current_cmd(MEDIASI_ACTORS, MEDIASI_OUTCOMES, i, participants=MEDIASI_PEOPLE)
      for i in range(2)] * 8,
    current_cmd(MEDIASI_ACTORS, MEDIASI_OUTCOMES, 0),  # maybe without the participants
    step_cmd("asesmen_awal", "pendamping_ppa",
             documents=(attachment("identitas_penerima_manfaat"),)),
    step_cmd("asesmen_awal", "mediator"),  # wrong role
    step_cmd("keputusan_terminasi", "manajer_kasus", outcome="terminasi"),
    step_cmd("pendokumentasian", "pendamping_ppa"),
    doc_cmd("pendamping_ppa", "identitas_penerima_manfaat"),
    doc_cmd("pendamping_ppa", "surat_rujukan"),
    fact_cmd("pendamping_ppa", "other_parties_relevant", True),
    fact_cmd("pendamping_ppa", "victim_is_child", "ya"),
    fact_cmd("pendamping_ppa", "victim_is_child", 7),  # wrong type
    person_cmd("pendamping_ppa", "orang_tua_wali"),
    person_cmd("pendamping_ppa", "pendamping_khusus"),
    extend_cmd("koordinator_uptd_ppa", 2, "working_days"),  # not extendable
    close_cmd(Terminate, "pihak_korban", "tidak mau"),  # external role
    close_cmd(Terminate, "koordinator_uptd_ppa", "korban pindah kota"),
    close_cmd(Withdraw, "pihak_korban", "mencabut"),
    check_cmd("koordinator_uptd_ppa"),
]

HOURS = st.sampled_from([0, 1, 2, 7, 26, 80, 200])


def _open(engine: Engine, procedure: str, variant: int) -> str:
    if procedure == "mediasi":
        facts = {"victim_is_child": bool(variant & 1), "perpetrator_is_child": bool(variant & 2),
                 "has_special_needs": bool(variant & 4)}
        documents = (attachment("identitas_penerima_manfaat"),) if variant & 8 else ()
        return engine.open_case("mediasi", user="rina", role="pendamping_ppa", facts=facts,
                                documents=documents).case.case_id
    facts = {"is_child": bool(variant & 1)} if variant & 2 else {}
    documents = (attachment("ktp"),) if variant & 8 else ()
    return engine.open_case(str(MINIMAL), user="pia", role="petugas", facts=facts,
                            documents=documents).case.case_id


NEWER = ("signatures", "clock_stopped_at", "phases", "obligations", "earliest_at", "services")


def _check_stored(engine: Engine, case_id: str) -> list[Event]:
    events = engine.store.events(case_id)
    # (c) seq 1..n and the chain verifies
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert verify_chain(case_id, events) == []
    # (b) the snapshot is the fold of the events
    folded = replay(events)
    snapshot = engine.store.snapshot(case_id)
    assert snapshot is not None
    # the reference: every field, less the case number (a column of its own) and the fields
    # newer than the first snapshots while they are empty (left out so older snapshots match)
    reference = {k: v for k, v in dataclasses.asdict(folded).items()
                 if k != "number" and not (k in NEWER and not v)}
    assert snapshot.state == folded.to_dict() == reference  # fast == reference
    assert (snapshot.version, snapshot.last_hash) == (len(events), events[-1].hash)
    assert (snapshot.status, snapshot.current_step) == (folded.status, folded.current_step)
    return events


def _check_prefixes(events: list[Event]) -> None:
    """(a) replay(prefix) then the rest == replay(all), for every split point."""
    whole = replay(events).to_dict()
    for k in range(1, len(events)):
        head = replay(events[:k])
        kept = copy.deepcopy(head.to_dict())
        assert replay(events[k:], head).to_dict() == whole
        resumed = replay(events[k:], CaseState.from_dict(copy.deepcopy(kept)))
        assert resumed.to_dict() == whole  # resuming from a snapshot's JSON form
    state = replay(events[:1])
    for later in events[1:]:
        before = state.to_dict()
        state = apply(state, later)
        assert replay([], CaseState.from_dict(before)).to_dict() == before  # apply copies
    assert state.to_dict() == whole


def run_sequence(engine: Engine, procedure: str, variant: int, steps: list[tuple[int, int]],
                 commands: list[Maker], *, report: bool = True) -> CaseState:
    """Run the commands on a new case, checking (a)-(d); the final state."""
    start = wib(2026, 3, 2, 9)
    case_id = _open(engine, procedure, variant)
    _check_stored(engine, case_id)
    moment: datetime = start
    accepted = 0
    for index, hours in steps:
        moment += timedelta(hours=hours)
        state = engine.case(case_id)
        command = commands[index](state, case_id, moment.isoformat())
        before = stored(engine, case_id)
        try:
            result = engine.execute(command)
        except CaseError:
            # (d) a refusal writes nothing
            assert stored(engine, case_id) == before
            continue
        accepted += 1
        events = _check_stored(engine, case_id)
        assert len(events) == len(before.events) + len(result.events)
        assert list(result.events) == events[len(before.events):]
        assert result.case.to_dict() == replay(events).to_dict()
    _check_prefixes(engine.store.events(case_id))
    final = engine.case(case_id)
    if report:  # hypothesis statistics (--hypothesis-show-statistics)
        event(f"final status: {final.status}")
        event(f"accepted commands: {min(accepted, 10)}{'+' if accepted >= 10 else ''}")
    return final


@pytest.fixture(scope="module")
def fold_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One SQLite store for every example (each example opens a case of its own)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALUR_PROCEDURES", str(PROCEDURES))
        patch.delenv("ALUR_LANG", raising=False)
        path = tmp_path_factory.mktemp("fold") / "fold.db"
        engine = Engine(f"sqlite:///{path}?synchronous=NORMAL",
                        clock=lambda: wib(2026, 3, 2, 9), lang="en")
        try:
            yield engine
        finally:
            engine.close()


def sequences(commands: list[Maker]) -> st.SearchStrategy[list[tuple[int, int]]]:
    return st.lists(st.tuples(st.integers(0, len(commands) - 1), HOURS), max_size=30)


@PROPERTY_SETTINGS
@given(variant=st.integers(0, 15), steps=sequences(MINIMAL_COMMANDS))
def test_fold_properties_minimal(fold_engine: Engine, variant: int,
                                 steps: list[tuple[int, int]]) -> None:
    run_sequence(fold_engine, "minimal", variant, steps, MINIMAL_COMMANDS)


@PROPERTY_SETTINGS
@given(variant=st.integers(0, 15), steps=sequences(MEDIASI_COMMANDS))
def test_fold_properties_mediasi(fold_engine: Engine, variant: int,
                                 steps: list[tuple[int, int]]) -> None:
    run_sequence(fold_engine, "mediasi", variant, steps, MEDIASI_COMMANDS)


def test_the_generated_commands_reach_the_end(fold_engine: Engine) -> None:
    """The plausible commands alone finish both procedures (so the properties above see whole
    cases, not only their first steps)."""
    minimal = run_sequence(fold_engine, "minimal", 8 | 2, [(0, 1)] * 3, MINIMAL_COMMANDS,
                           report=False)
    assert minimal.status == "completed" and len(minimal.path) == 3
    plan = [(0, 1)] * 11 + [(1, 1), (0, 1)]  # terminasi at the first decision
    mediasi = run_sequence(fold_engine, "mediasi", 8 | 1, plan, MEDIASI_COMMANDS, report=False)
    assert mediasi.status == "completed"
    assert [p["step"] for p in mediasi.path] == list(MEDIASI_ACTORS)
