"""Every path of the two real procedures, end to end through :class:`Engine` on SQLite and
PostgreSQL: statuses, current steps, the path taken, the document register, when the clock
starts and the exact due dates."""

from __future__ import annotations

import pytest
from runtime_support import (
    CHILD_VICTIM,
    MEDIASI_ROLE,
    MEDIASI_STEPS,
    PARTIES,
    SAPA_ROLE,
    SPECIAL_NEEDS,
    Clock,
    attachment,
    complete,
    end_of,
    open_mediasi,
    open_sapa,
    wib,
)

from engine.api import Engine
from engine.cases.commands import AddParticipant, AttachDocument
from engine.cases.events import verify_chain
from engine.cases.state import replay
from engine.errors import CommandRefused

MEDIASI_DOCS_PRODUCED = {
    "hasil_asesmen": "asesmen_awal",
    "rencana_intervensi": "lapor_hasil_asesmen",
    "berita_acara_hasil_mediasi": "berita_acara_mediasi",
    "laporan_monitoring": "monitoring_implementasi",
    "dokumentasi_hasil_mediasi": "pendokumentasian",
}


def assert_consistent(engine: Engine, case_id: str) -> None:
    """The verified state equals a fresh fold of the stored events and the stored snapshot."""
    events = engine.store.events(case_id)
    assert verify_chain(case_id, events) == []
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    state = engine.case(case_id)
    assert state.to_dict() == replay(events).to_dict()
    snapshot = engine.store.snapshot(case_id)
    assert snapshot is not None and snapshot.state == state.to_dict()
    assert snapshot.status == state.status and snapshot.current_step == state.current_step


# --- Mediasi ----------------------------------------------------------------------------------

def test_mediasi_child_victim_with_guardian(engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 3, 16, 9))  # Monday; Nyepi and Idul Fitri 2026 lie ahead
    opened = open_mediasi(engine, CHILD_VICTIM)
    case_id = opened.case.case_id
    assert case_id == "mediasi-0001"
    state = opened.case
    assert (state.status, state.current_step) == ("registered", "asesmen_awal")
    assert state.clock_started_at is None and state.due_at is None  # hasil_asesmen is missing
    assert [e.type for e in opened.events] == ["case_opened", "document_attached",
                                               "step_started"]
    assert state.facts == {**CHILD_VICTIM, "other_parties_relevant": False}  # default filled

    # Step 1 produces the assessment: with the identity on file the requirements are met and
    # the 14 working-day clock starts at that moment, in the same transaction.
    clock.set(wib(2026, 3, 16, 14))
    result = complete(engine, case_id, "asesmen_awal", "pendamping_ppa")
    assert [e.type for e in result.events] == ["step_completed", "step_started",
                                               "clock_started"]
    state = result.case
    assert state.status == "active" and state.current_step == "asesmen_lanjutan"
    assert state.clock_started_at == "2026-03-16T14:00:00+07:00"
    # 17 Mar; 18-24 Mar are cuti bersama, Nyepi, Idul Fitri and a weekend; 25 Mar - 2 Apr;
    # 3 Apr is Good Friday; 6-13 Apr: the 14th working day is Monday 13 April.
    assert state.due_at == end_of("2026-04-13")
    assert result.events[-1].payload == {"due_at": end_of("2026-04-13")}

    people = {**PARTIES, "mediator": "Mediator", "pendamping_para_pihak": "Pendamping"}
    clock.set(wib(2026, 3, 25, 8))
    for step in ("asesmen_lanjutan", "lapor_hasil_asesmen", "perintah_hubungi_mediator",
                 "koordinasi_mediator"):
        clock.advance(hours=1)
        complete(engine, case_id, step, MEDIASI_ROLE[step], participants=people)

    # A child victim: the guardian must be recorded before the parties are invited.
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "mengundang_para_pihak", "pendamping_ppa")
    assert refused.value.rule == "guard.participants"
    assert "orang_tua_wali" in refused.value.message
    assert "pendamping_khusus" not in refused.value.message
    engine.execute(AddParticipant(user="rina", role="pendamping_ppa", case_id=case_id,
                                  participant_role="orang_tua_wali", name="Ibu Korban"))
    for step in ("mengundang_para_pihak", "melaksanakan_mediasi", "berita_acara_mediasi",
                 "lapor_berita_acara", "monitoring_implementasi", "lapor_hasil_monitoring"):
        clock.advance(hours=1)
        complete(engine, case_id, step, MEDIASI_ROLE[step])
    clock.advance(hours=1)
    complete(engine, case_id, "keputusan_terminasi", "manajer_kasus", outcome="terminasi")
    clock.advance(hours=1)
    final = complete(engine, case_id, "pendokumentasian", "pendamping_ppa")

    assert [e.type for e in final.events] == ["step_completed", "case_closed"]
    assert final.events[-1].payload == {"outcome": "completed", "reason": None}
    state = engine.case(case_id)
    assert (state.status, state.outcome, state.current_step) == ("completed", "completed", None)
    assert state.closed_at == final.events[-1].at
    assert [p["step"] for p in state.path] == [s for s, _ in MEDIASI_STEPS]
    assert state.participants["orang_tua_wali"] == "Ibu Korban"
    assert state.breaches == []  # finished before 13 April
    assert state.due_at == end_of("2026-04-13")
    _assert_mediasi_register(state.documents)
    assert_consistent(engine, case_id)


def _assert_mediasi_register(documents: dict[str, dict[str, object]]) -> None:
    assert set(documents) == {"identitas_penerima_manfaat", *MEDIASI_DOCS_PRODUCED}
    identity = documents["identitas_penerima_manfaat"]
    assert identity["stored"] is True and identity["produced_by"] is None
    assert identity["name"] == "identitas_penerima_manfaat.pdf"
    for doc_id, step in MEDIASI_DOCS_PRODUCED.items():
        assert documents[doc_id]["produced_by"] == step, doc_id
        assert documents[doc_id]["stored"] is False  # registered, no file attached


def test_mediasi_special_needs_monitoring_loops_twice_then_terminasi(engine: Engine,
                                                                       clock: Clock) -> None:
    clock.set(wib(2026, 4, 6, 9))  # Monday
    opened = open_mediasi(engine, SPECIAL_NEEDS)
    case_id = opened.case.case_id
    clock.set(wib(2026, 4, 6, 10))
    first = complete(engine, case_id, "asesmen_awal", "pendamping_ppa")
    assert first.case.clock_started_at == "2026-04-06T10:00:00+07:00"
    # 14 working days after Monday 6 April, none of them a holiday: Friday 24 April.
    assert first.case.due_at == end_of("2026-04-24")

    # special needs: no guardian is needed, but the pendamping khusus is
    people = {**PARTIES, "mediator": "Mediator", "pendamping_para_pihak": "Pendamping"}
    for step in ("asesmen_lanjutan", "lapor_hasil_asesmen", "perintah_hubungi_mediator",
                 "koordinasi_mediator"):
        clock.advance(hours=1)
        complete(engine, case_id, step, MEDIASI_ROLE[step], participants=people)
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "mengundang_para_pihak", "pendamping_ppa")
    assert refused.value.rule == "guard.participants"
    assert "pendamping_khusus" in refused.value.message
    assert "orang_tua_wali" not in refused.value.message

    clock.advance(hours=1)
    complete(engine, case_id, "mengundang_para_pihak", "pendamping_ppa",
             participants={"pendamping_khusus": "Juru Bahasa Isyarat"})
    for step in ("melaksanakan_mediasi", "berita_acara_mediasi", "lapor_berita_acara"):
        clock.advance(hours=1)
        complete(engine, case_id, step, MEDIASI_ROLE[step])

    for loop in range(3):
        for step in ("monitoring_implementasi", "lapor_hasil_monitoring"):
            clock.advance(hours=1)
            complete(engine, case_id, step, MEDIASI_ROLE[step])
        clock.advance(hours=1)
        outcome = "lanjut_monitoring" if loop < 2 else "terminasi"
        decided = complete(engine, case_id, "keputusan_terminasi", "manajer_kasus",
                           outcome=outcome)
        expected_next = "monitoring_implementasi" if loop < 2 else "pendokumentasian"
        assert decided.case.current_step == expected_next
        assert decided.case.status == "active"
        assert decided.events[-1].type == "step_started"
        assert decided.events[-1].payload["step"] == expected_next
    clock.advance(hours=1)
    complete(engine, case_id, "pendokumentasian", "pendamping_ppa")

    state = engine.case(case_id)
    assert state.status == "completed" and state.current_step is None
    rounds: list[tuple[str, str | None]] = [("monitoring_implementasi", None),
                                             ("lapor_hasil_monitoring", None)]
    expected = (
        [(s, None) for s, _ in MEDIASI_STEPS[:9]]
        + rounds + [("keputusan_terminasi", "lanjut_monitoring")]
        + rounds + [("keputusan_terminasi", "lanjut_monitoring")]
        + rounds + [("keputusan_terminasi", "terminasi")]
        + [("pendokumentasian", None)])
    assert [(p["step"], p["outcome"]) for p in state.path] == expected
    assert state.participants["pendamping_khusus"] == "Juru Bahasa Isyarat"
    assert "orang_tua_wali" not in state.participants
    _assert_mediasi_register(state.documents)
    # the monitoring report is registered by its first production and not overwritten
    first_monitoring = next(p for p in state.path if p["step"] == "monitoring_implementasi")
    assert state.documents["laporan_monitoring"]["at"] == first_monitoring["at"]
    assert state.breaches == []
    assert_consistent(engine, case_id)


def test_mediasi_clock_waits_for_identity(engine: Engine, clock: Clock) -> None:
    """Without the identity document step 1 is refused and the clock does not start; once the
    identity is attached and step 1 is done, it starts at that moment."""
    clock.set(wib(2026, 3, 2, 9))
    opened = open_mediasi(engine, CHILD_VICTIM, identity=False)
    case_id = opened.case.case_id
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "asesmen_awal", "pendamping_ppa")
    assert refused.value.rule == "guard.requirements"  # requirement 2, by its number
    assert '2 "Identitas Penerima Manfaat"' in str(refused.value)
    clock.set(wib(2026, 3, 3, 11))
    attached = engine.execute(AttachDocument(user="rina", role="pendamping_ppa", case_id=case_id,
                                             attachment=attachment("identitas_penerima_manfaat")))
    assert [e.type for e in attached.events] == ["document_attached"]  # hasil_asesmen missing
    assert attached.case.clock_started_at is None
    clock.set(wib(2026, 3, 4, 15))
    done = complete(engine, case_id, "asesmen_awal", "pendamping_ppa")
    assert done.case.clock_started_at == "2026-03-04T15:00:00+07:00"
    # 5 Mar - 17 Mar (9 working days), 18-24 Mar holidays, 25 Mar - 31 Mar: the 14th is 31 Mar
    assert done.case.due_at == end_of("2026-03-31")
    assert engine.store.blob(attachment("identitas_penerima_manfaat").sha256) is not None
    assert_consistent(engine, case_id)


# --- SAPA -------------------------------------------------------------------------------------

SAPA_COMMON = ["menghubungi_sapa", "menerima_pengaduan", "konfirmasi_identifikasi",
               "verifikasi_surat_tugas", "penjangkauan", "pertimbangan_kepala_dinas"]


@pytest.mark.parametrize(("outcome", "last_step", "status", "produced"), [
    ("perlu_lembaga_lain", "rujukan_lembaga_lain", "referred", {"dokumen_kasus", "surat_rujukan"}),
    ("tidak_perlu_lembaga_lain", "penyelesaian_dokumen_kasus", "completed", {"dokumen_kasus"}),
])
def test_sapa_paths(engine: Engine, clock: Clock, outcome: str, last_step: str, status: str,
                    produced: set[str]) -> None:
    clock.set(wib(2026, 3, 17, 9))  # Tuesday before Nyepi and Idul Fitri
    opened = open_sapa(engine)
    case_id = opened.case.case_id
    assert case_id == "sapa-0001"
    # the clock starts when the case is opened (starts: case_opened)
    assert [e.type for e in opened.events] == ["case_opened", "participant_added",
                                               "step_started", "clock_started"]
    state = opened.case
    assert (state.status, state.current_step) == ("active", "menghubungi_sapa")
    assert state.clock_started_at == state.opened_at == "2026-03-17T09:00:00+07:00"
    assert state.due_at == end_of("2026-03-26")
    assert state.participants == {"pelapor": "ani"}  # a reporter opening the case is present

    for step in SAPA_COMMON:
        clock.advance(hours=1)
        assert engine.case(case_id).current_step == step
        result = complete(engine, case_id, step, SAPA_ROLE[step],
                          outcome=outcome if step == "pertimbangan_kepala_dinas" else None)
        assert result.case.status == "active"
    assert result.case.current_step == last_step
    clock.advance(hours=1)
    final = complete(engine, case_id, last_step, "sub_koordinator")
    assert [e.type for e in final.events] == ["step_completed", "case_closed"]
    assert final.events[-1].payload["outcome"] == status

    state = engine.case(case_id)
    assert (state.status, state.outcome, state.current_step) == (status, status, None)
    assert [p["step"] for p in state.path] == [*SAPA_COMMON, last_step]
    assert state.path[5]["outcome"] == outcome
    assert state.path[4]["role"] == "konselor"  # a member acting for tim_penjangkauan
    assert set(state.documents) == {"laporan_hasil_identifikasi", "rancangan_surat_tugas",
                                    "laporan_saran_tindak_lanjut", *produced}
    assert {d: v["produced_by"] for d, v in state.documents.items()} == {
        "laporan_hasil_identifikasi": "konfirmasi_identifikasi",
        "rancangan_surat_tugas": "verifikasi_surat_tugas",
        "laporan_saran_tindak_lanjut": "penjangkauan",
        **dict.fromkeys(produced, last_step)}
    assert state.due_at == end_of("2026-03-26") and state.breaches == []
    assert engine.cases(status=status)[0].case_id == case_id
    assert engine.inbox("sub_koordinator") == []
    assert_consistent(engine, case_id)


def test_sapa_opened_by_admin_needs_the_reporter(engine: Engine, clock: Clock) -> None:
    """Staff opening a case do not become participants; step 3 confirms with the reporter,
    who must then be recorded."""
    opened = engine.open_case("sapa", user="adi", role="admin", facts={"contacted_sapa": "ya"})
    case_id = opened.case.case_id
    assert opened.case.participants == {}
    assert opened.case.facts == {"contacted_sapa": True}  # "ya" coerced to a bool
    complete(engine, case_id, "menghubungi_sapa", "pelapor")
    complete(engine, case_id, "menerima_pengaduan", "admin")
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "konfirmasi_identifikasi", "sub_koordinator")
    assert refused.value.rule == "guard.participants" and "pelapor" in refused.value.message
    done = complete(engine, case_id, "konfirmasi_identifikasi", "sub_koordinator",
                    participants={"pelapor": "Ani"})
    assert done.case.current_step == "verifikasi_surat_tugas"
    assert [e.type for e in done.events] == ["participant_added", "step_completed",
                                             "step_started"]
    assert engine.inbox("kepala_bidang")[0].case_id == case_id
    assert engine.inbox("konselor") == []  # not yet: penjangkauan comes later
    assert_consistent(engine, case_id)
