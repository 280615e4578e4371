"""Every guard's refusal, on SQLite and PostgreSQL.

For each refusal: the exception type and rule id; a message and a hint; the Indonesian message
from an ``Engine(lang="id")``; nothing written to the case (events and snapshot identical, no
event anywhere in the store); and an audit record naming the user, role and rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from runtime_support import (
    ADULTS,
    CHILD_VICTIM,
    Clock,
    all_event_count,
    attachment,
    complete,
    mediasi_until,
    open_mediasi,
    open_sapa,
    refused_command,
    sapa_until,
    stored,
    wib,
)

from engine.api import Engine
from engine.cases.commands import (
    AttachDocument,
    Command,
    CompleteStep,
    ExtendDeadline,
    OpenCase,
    SetFact,
    Terminate,
    Withdraw,
)
from engine.cases.roster import Roster
from engine.errors import CaseError, CommandRefused, InvalidCaseInput

ROSTER = Roster({"rina": frozenset({"pendamping_ppa"}),
                 "budi": frozenset({"koordinator_uptd_ppa"})})

Setup = Callable[[Engine, str], str]  # (engine, path of the guarded procedure) -> case id


@dataclass(frozen=True)
class Refusal:
    name: str
    setup: Setup
    command: Callable[[str], Command]
    rule: str
    indonesian: str  # a phrase of the Indonesian message
    english: str = ""  # a phrase of the English message, when worth checking
    error: type[CaseError] = CommandRefused
    roster: Roster | None = None


# --- setups: each leaves a case where the refused command will be tried -------------------

def sapa_open(engine: Engine, _: str) -> str:
    return open_sapa(engine).case.case_id


def sapa_withdrawn(engine: Engine, _: str) -> str:
    case_id = open_sapa(engine).case.case_id
    engine.execute(Withdraw(user="ani", role="pelapor", case_id=case_id,
                            reason="pelapor mencabut pengaduan"))
    return case_id


def sapa_at_decision(engine: Engine, _: str) -> str:
    case_id = open_sapa(engine).case.case_id
    sapa_until(engine, case_id, "pertimbangan_kepala_dinas")
    return case_id


def mediasi_open(engine: Engine, _: str) -> str:
    return open_mediasi(engine, ADULTS).case.case_id


def mediasi_without_identity(engine: Engine, _: str) -> str:
    return open_mediasi(engine, ADULTS, identity=False).case.case_id


def mediasi_child_at_invitation(engine: Engine, _: str) -> str:
    case_id = open_mediasi(engine, CHILD_VICTIM).case.case_id
    people = {"pihak_korban": "Korban", "pihak_pelaku": "Pelaku", "mediator": "Mediator"}
    for step, role in (("asesmen_awal", "pendamping_ppa"), ("asesmen_lanjutan", "pendamping_ppa"),
                       ("lapor_hasil_asesmen", "pendamping_ppa"),
                       ("perintah_hubungi_mediator", "koordinator_uptd_ppa"),
                       ("koordinasi_mediator", "pendamping_ppa")):
        complete(engine, case_id, step, role, participants=people)
    return case_id


def guarded_open(engine: Engine, path: str, **facts: Any) -> str:
    return engine.open_case(path, user="pia", role="petugas", facts=facts,
                            documents=(attachment("ktp"),)).case.case_id


def guarded_at_decision(facts: dict[str, Any]) -> Setup:
    def setup(engine: Engine, path: str) -> str:
        case_id = guarded_open(engine, path, verified=True, **facts)
        complete(engine, case_id, "terima", "petugas")
        return case_id
    return setup


def step(name: str, role: str, user: str = "u1", **kwargs: Any) -> Callable[[str], Command]:
    return lambda case_id: CompleteStep(user=user, role=role, case_id=case_id, step=name,
                                        **kwargs)


REFUSALS = [
    Refusal("closed case", sapa_withdrawn, step("menghubungi_sapa", "pelapor", "ani"),
            "guard.closed", "sudah ditutup", "already closed (withdrawn)"),
    Refusal("not the current step", sapa_open, step("menerima_pengaduan", "admin"),
            "guard.not_current", "bukan langkah saat ini", "current: menghubungi_sapa"),
    Refusal("unknown step", sapa_open, step("menerima_pengaduann", "admin"),
            "guard.unknown_step", "(maksud Anda 'menerima_pengaduan'?)",
            "(did you mean 'menerima_pengaduan'?)"),
    Refusal("wrong role", sapa_open, step("menghubungi_sapa", "admin"),
            "guard.role", "tidak boleh melakukan langkah", "it is done by 'pelapor'"),
    Refusal("unknown role", sapa_open, step("menghubungi_sapa", "pelapr"),
            "guard.unknown_role", "(maksud Anda 'pelapor'?)", "(did you mean 'pelapor'?)"),
    Refusal("user lacks the role in the roster", mediasi_open,
            step("asesmen_awal", "pendamping_ppa", "budi"),
            "guard.roster", "tidak memegang peran", "user 'budi' does not hold role",
            roster=ROSTER),
    Refusal("missing required document", mediasi_without_identity,
            step("asesmen_awal", "pendamping_ppa", "rina"),
            "guard.requirements", "belum terpenuhi",
            '2 "Identitas Penerima Manfaat" (identitas_penerima_manfaat)'),
    Refusal("step condition false", lambda e, p: guarded_open(e, p),
            step("terima", "petugas"), "guard.condition", "tidak terpenuhi", "verified"),
    Refusal("child without guardian", mediasi_child_at_invitation,
            step("mengundang_para_pihak", "pendamping_ppa", "rina"),
            "guard.participants", "belum dicatat", "orang_tua_wali"),
    Refusal("decision without outcome", sapa_at_decision,
            step("pertimbangan_kepala_dinas", "kepala_dinas"),
            "guard.outcome_missing", "pilih hasilnya", "choose an outcome"),
    Refusal("unknown outcome", sapa_at_decision,
            step("pertimbangan_kepala_dinas", "kepala_dinas", outcome="perlu_lembaga"),
            "guard.outcome_unknown", "(maksud Anda 'perlu_lembaga_lain'?)",
            "(did you mean 'perlu_lembaga_lain'?)"),
    Refusal("outcome on a step that is no decision", sapa_open,
            step("menghubungi_sapa", "pelapor", outcome="perlu_lembaga_lain"),
            "guard.outcome_not_decision", "bukan keputusan", "is not a decision"),
    Refusal("outcome whose condition fails", guarded_at_decision({"is_child": True}),
            step("putus", "kepala", outcome="setuju"),
            "guard.outcome_condition", "tidak berlaku", "not is_child"),
    Refusal("otherwise outcome while another applies", guarded_at_decision({"is_child": False}),
            step("putus", "kepala", outcome="tolak"),
            "guard.outcome_condition", "tidak berlaku", "not (not is_child)"),
    Refusal("fact unset in a condition", guarded_at_decision({}),
            step("putus", "kepala", outcome="setuju"),
            "guard.fact_unset", "belum diisi", "fact 'is_child' is needed"),
    Refusal("required facts at opening", sapa_open,
            lambda _: OpenCase(user="rina", role="pendamping_ppa", procedure="mediasi",
                               facts={"victim_is_child": True}, case_id="mediasi-new"),
            "guard.required_facts", "fakta wajib", "perpetrator_is_child, has_special_needs"),
    Refusal("fact of the wrong type", mediasi_open,
            lambda c: SetFact(user="rina", role="pendamping_ppa", case_id=c,
                              name="victim_is_child", value="mungkin"),
            "input.fact_type", "harus berupa", "must be true or false",
            error=InvalidCaseInput),
    Refusal("unknown fact", mediasi_open,
            lambda c: SetFact(user="rina", role="pendamping_ppa", case_id=c,
                              name="victim_is_chld", value=True),
            "input.fact_unknown", "(maksud Anda 'victim_is_child'?)",
            "(did you mean 'victim_is_child'?)", error=InvalidCaseInput),
    Refusal("unknown document", mediasi_open,
            lambda c: AttachDocument(user="rina", role="pendamping_ppa", case_id=c,
                                     attachment=attachment("surat_rujukn")),
            "input.document_unknown", "(maksud Anda 'surat_rujukan'?)",
            "(did you mean 'surat_rujukan'?)", error=InvalidCaseInput),
    Refusal("note too large", sapa_open,
            step("menghubungi_sapa", "pelapor", "ani", note="catatan " * 1500),
            "input.too_large", "melebihi batas 10000", "more than the limit of 10000",
            error=InvalidCaseInput),
    Refusal("extension of a non-extendable procedure", mediasi_open,
            lambda c: ExtendDeadline(user="budi", role="koordinator_uptd_ppa", case_id=c,
                                     amount=3, unit="working_days", reason="kasus rumit"),
            "guard.extension", "tidak dapat diperpanjang", "cannot be extended"),
    Refusal("extension without reason", sapa_open,
            lambda c: ExtendDeadline(user="bambang", role="kepala_bidang", case_id=c,
                                     amount=3, unit="working_days", reason="  "),
            "guard.reason", "alasan wajib", "a reason is required"),
    Refusal("extension by an external role", sapa_open,
            lambda c: ExtendDeadline(user="ani", role="pelapor", case_id=c,
                                     amount=3, unit="working_days", reason="saya sibuk"),
            "guard.staff", "bukan petugas", "may not extend a deadline"),
    Refusal("withdraw without reason", sapa_open,
            lambda c: Withdraw(user="ani", role="pelapor", case_id=c, reason=""),
            "guard.reason", "alasan wajib", "a reason is required"),
    Refusal("terminate without reason", sapa_open,
            lambda c: Terminate(user="kadis", role="kepala_dinas", case_id=c, reason=" "),
            "guard.reason", "alasan wajib", "a reason is required"),
    Refusal("terminate by an external role", sapa_open,
            lambda c: Terminate(user="ani", role="pelapor", case_id=c, reason="selesai"),
            "guard.staff", "bukan petugas", "may not terminate a case"),
    Refusal("duplicate case id", sapa_open,
            lambda c: OpenCase(user="ani", role="pelapor", procedure="sapa",
                               facts={"contacted_sapa": True}, case_id=c),
            "guard.exists", "sudah ada", "already exists"),
]


def _target(case_id: str, command: Command) -> str:
    """The case a refused command is about: an OpenCase names its own (new) case id."""
    if isinstance(command, OpenCase) and command.case_id is not None:
        return command.case_id
    return case_id


@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.name for r in REFUSALS])
def test_refusal(refusal: Refusal, make_engine: Callable[..., Engine], guarded: str,
                 clock: Clock) -> None:
    clock.set(wib(2026, 3, 2, 9))
    engine = make_engine(roster=refusal.roster)
    case_id = refusal.setup(engine, guarded)
    command = refusal.command(case_id)
    target = _target(case_id, command)
    before, total = stored(engine, target), all_event_count(engine)
    audited = len(engine.store.audit_records(target))

    clock.advance(hours=1)
    error = refused_command(engine, command)
    assert type(error) is refusal.error, error
    assert error.rule == refusal.rule
    assert error.message.strip() and error.hint.strip()
    assert str(error) == error.message
    if refusal.english:
        assert refusal.english in error.message

    indonesian = make_engine(lang="id", roster=refusal.roster)
    error_id = refused_command(indonesian, command)
    assert type(error_id) is refusal.error
    assert error_id.rule == refusal.rule
    assert refusal.indonesian in error_id.message
    assert error_id.hint.strip()
    assert error_id.message != error.message
    assert error_id.hint != error.hint

    # nothing was written: the case's events and snapshot, and the whole store's events
    assert stored(engine, target) == before
    assert all_event_count(engine) == total
    if isinstance(command, OpenCase) and refusal.rule != "guard.exists":
        assert before.events == [] and before.snapshot is None

    records = engine.store.audit_records(target)[audited:]
    assert len(records) == 2  # one per refused attempt, English and Indonesian
    for record, refused in zip(records, (error, error_id), strict=True):
        assert (record.user, record.role, record.rule) == (command.user, command.role,
                                                             refusal.rule)
        assert record.case_id == target
        assert record.action == f"refused:{type(command).__name__}"
        audited_message = refused.audit_message or str(refused)
        assert record.detail["message"] == audited_message
        if refusal.rule == "input.fact_type":  # a sensitive fact's value is not kept
            assert "mungkin" in str(refused) and "mungkin" not in audited_message
        assert record.at == clock.now.isoformat()


def test_refused_command_on_a_case_with_a_late_breach_writes_no_breach(
        engine: Engine, clock: Clock) -> None:
    """A late command records the breach first, but when the command itself is refused the
    breach is not written either: the refusal writes nothing."""
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    before = stored(engine, case_id)
    clock.set(wib(2026, 3, 30, 9))  # after the due date of 26 March
    with pytest.raises(CommandRefused) as refused:
        complete(engine, case_id, "menerima_pengaduan", "admin")
    assert refused.value.rule == "guard.not_current"
    assert stored(engine, case_id) == before
    assert engine.case(case_id).breaches == []


def test_roster_accepts_the_role_a_user_holds(make_engine: Callable[..., Engine]) -> None:
    engine = make_engine(roster=ROSTER)
    assert engine.roster_configured
    case_id = open_mediasi(engine, ADULTS).case.case_id
    with pytest.raises(CommandRefused) as refused:  # rina holds pendamping_ppa only
        engine.execute(Terminate(user="rina", role="koordinator_uptd_ppa", case_id=case_id,
                                 reason="tidak dilanjutkan"))
    assert refused.value.rule == "guard.roster"
    done = complete(engine, case_id, "asesmen_awal", "pendamping_ppa")
    assert done.case.path[-1]["user"] == "rina"
    closed = engine.execute(Terminate(user="budi", role="koordinator_uptd_ppa", case_id=case_id,
                                      reason="tidak dilanjutkan"))
    assert closed.case.status == "terminated"
    assert [a.rule for a in engine.store.audit_records(case_id)] == ["guard.roster"]


def test_unknown_role_at_opening_is_refused_and_audited(engine: Engine) -> None:
    with pytest.raises(CommandRefused) as refused:
        engine.open_case("sapa", user="x", role="pelpor", facts={"contacted_sapa": True},
                         case_id="sapa-x")
    assert refused.value.rule == "guard.unknown_role"
    assert "did you mean 'pelapor'" in refused.value.message
    assert engine.store.events("sapa-x") == [] and engine.store.snapshot("sapa-x") is None
    (record,) = engine.store.audit_records("sapa-x")
    assert (record.user, record.role, record.rule) == ("x", "pelpor", "guard.unknown_role")


def test_mediasi_guardian_rule_covers_a_child_perpetrator(engine: Engine) -> None:
    facts = {"victim_is_child": False, "perpetrator_is_child": True, "has_special_needs": False}
    case_id = open_mediasi(engine, facts).case.case_id
    with pytest.raises(CommandRefused) as refused:  # bring the people adults would need
        mediasi_until(engine, case_id, "melaksanakan_mediasi", ADULTS)
    assert refused.value.rule == "guard.participants"
    assert "orang_tua_wali" in refused.value.message
    assert engine.case(case_id).current_step == "mengundang_para_pihak"


def test_a_duplicate_opening_stores_none_of_its_document_content(engine: Engine) -> None:
    """The existence of the case is checked before a document's content is stored: a refused
    opening must not leave personal documents behind that no case owns."""
    import hashlib

    from engine.cases.commands import Attachment

    case_id = open_sapa(engine).case.case_id
    proc = engine.procedure(engine.case(case_id).procedure_hash)
    content = b"surat pernyataan korban"
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(proc.documents[0].id, "surat.pdf", digest, len(content),
                            "application/pdf", content)
    with pytest.raises(CommandRefused) as refused:
        engine.execute(OpenCase(user="ani", role="pelapor", procedure="sapa", case_id=case_id,
                                facts={"contacted_sapa": True}, documents=(attachment,)))
    assert refused.value.rule == "guard.exists"
    assert engine.store.blob(digest) is None
    assert [r.rule for r in engine.store.audit_records(case_id)] == ["guard.exists"]
