"""Deadlines: due dates across weekends, Nyepi, Idul Fitri 2026 and cuti bersama; breaches
recorded once, first, in the command's own transaction; ``Engine.check_deadlines`` idempotent and
escalating to the procedure's ``escalate_to``; extensions moving the due date by working days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from runtime_support import (
    ADULTS,
    Clock,
    attachment,
    complete,
    end_of,
    open_mediasi,
    open_sapa,
    stored,
    wib,
)

from engine.api import Engine
from engine.cases.commands import CheckDeadlines, ExtendDeadline, SetFact, Withdraw
from engine.cases.events import CaseSnapshot, Event, verify_chain
from engine.errors import CommandRefused


def types(events: Sequence[Event]) -> list[str]:
    return [e.type for e in events]


@pytest.mark.parametrize(("opened", "due"), [
    # Tuesday before Nyepi: 18 Mar cuti bersama, 19 Nyepi, 20 cuti bersama Idul Fitri,
    # 21-22 Idul Fitri (weekend), 23-24 cuti bersama; then Wednesday 25 and Thursday 26
    (wib(2026, 3, 17, 9), "2026-03-26"),
    (wib(2026, 3, 19, 10), "2026-03-26"),  # opened on Nyepi itself
    (wib(2026, 3, 21, 8), "2026-03-26"),  # opened on Idul Fitri (a Saturday)
    (wib(2026, 3, 6, 16), "2026-03-10"),  # Friday: Monday and Tuesday
    (wib(2026, 3, 7, 10), "2026-03-10"),  # Saturday counts like a holiday
    (wib(2026, 3, 13, 23, 30), "2026-03-17"),  # late on Friday: the day never counts
    (datetime(2026, 3, 12, 18, 0, tzinfo=UTC), "2026-03-17"),  # = Friday 13 Mar, 01:00 WIB
    (wib(2026, 4, 2, 9), "2026-04-07"),  # Good Friday 3 April
    (wib(2026, 5, 13, 9), "2026-05-19"),  # Ascension 14 May and its cuti bersama 15 May
    (wib(2026, 12, 23, 9), "2026-12-29"),  # Christmas cuti bersama 24 Dec, Christmas 25 Dec
])
def test_sapa_due_dates(engine: Engine, clock: Clock, opened: datetime, due: str) -> None:
    clock.set(opened)
    result = open_sapa(engine)
    assert result.case.clock_started_at == opened.isoformat()
    assert result.case.due_at == end_of(due)
    snapshot = engine.store.snapshot(result.case.case_id)
    assert snapshot is not None and snapshot.due_at == end_of(due)


def test_a_time_without_offset_is_taken_in_the_agency_zone(engine: Engine) -> None:
    result = engine.open_case("sapa", user="ani", role="pelapor", at="2026-03-17T09:00:00",
                              facts={"contacted_sapa": True})
    assert result.case.opened_at == "2026-03-17T09:00:00+07:00"
    assert result.case.due_at == end_of("2026-03-26")


def test_mediasi_clock_starts_when_requirements_are_met(engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 3, 13, 9))  # Friday
    case_id = open_mediasi(engine, ADULTS).case.case_id
    assert engine.due(wib(2026, 12, 31)) == []  # no clock, no deadline yet
    clock.set(wib(2026, 3, 17, 16))
    state = complete(engine, case_id, "asesmen_awal", "pendamping_ppa").case
    assert state.clock_started_at == "2026-03-17T16:00:00+07:00"
    # 14 working days after 17 March: 25-27 Mar (3), 30 Mar - 2 Apr (7), 6-10 Apr (12),
    # 13-14 Apr (14); 18-24 March and Good Friday are not counted.
    assert state.due_at == end_of("2026-04-14")


def test_late_command_records_the_breach_first_in_the_same_append(
        engine: Engine, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id

    # at the last instant of the due day the deadline is still met
    on_time = engine.execute(SetFact(user="adi", role="admin", case_id=case_id,
                                     name="contacted_sapa", value=True,
                                     at="2026-03-26T23:59:59.999999+07:00"))
    assert types(on_time.events) == ["fact_set"]

    appends: list[tuple[int, list[str]]] = []
    real_append = engine.store.append

    def spy(case: str, expected: int, events: Sequence[Event], snapshot: CaseSnapshot,
            **options: Any) -> None:
        appends.append((expected, types(events)))
        real_append(case, expected, events, snapshot, **options)

    monkeypatch.setattr(engine.store, "append", spy)
    clock.set(wib(2026, 3, 27, 8))
    late = complete(engine, case_id, "menghubungi_sapa", "pelapor")
    assert types(late.events) == ["deadline_breached", "step_completed", "step_started"]
    assert appends == [(on_time.case.version, types(late.events))]  # one transaction
    breach = late.events[0]
    # a reporter's own id is personal data: salted in every event of their command
    assert breach.payload["$salts"].keys() == {"$user"} and breach.payload["$salted"] == ["$user"]
    assert {k: v for k, v in breach.payload.items() if not k.startswith("$")} == {
        "target": "case", "due_at": end_of("2026-03-26"), "escalate_to": "kepala_bidang"}
    assert (breach.user, breach.role) == ("ani", "pelapor")  # recorded by the late command
    assert breach.at == late.events[1].at == "2026-03-27T08:00:00+07:00"
    assert breach.seq + 1 == late.events[1].seq

    clock.advance(hours=2)
    later = complete(engine, case_id, "menerima_pengaduan", "admin")
    assert types(later.events) == ["step_completed", "step_started"]  # recorded once only
    state = engine.case(case_id)
    assert state.breaches == [{"target": "case", "due_at": end_of("2026-03-26"),
                               "escalate_to": "kepala_bidang", "at": "2026-03-27T08:00:00+07:00"}]
    assert [e.type for e in engine.store.events(case_id)].count("deadline_breached") == 1


def test_check_deadlines_is_idempotent_and_escalates(engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 3, 17, 9))
    late_sapa = open_sapa(engine).case.case_id  # due 26 Mar
    clock.set(wib(2026, 3, 25, 9))
    fresh_sapa = open_sapa(engine).case.case_id  # due 27 Mar
    clock.set(wib(2026, 2, 23, 9))
    mediasi = open_mediasi(engine, ADULTS).case.case_id
    complete(engine, mediasi, "asesmen_awal", "pendamping_ppa")
    assert engine.case(mediasi).due_at == end_of("2026-03-13")  # 14 working days
    waiting = open_mediasi(engine, ADULTS, identity=False).case.case_id  # no clock
    closed = open_sapa(engine).case.case_id  # due 25 Feb, but withdrawn on time
    engine.execute(Withdraw(user="ani", role="pelapor", case_id=closed, reason="dicabut"))

    now = wib(2026, 3, 27, 8)
    due = {(d.case_id, d.target): d for d in engine.due(now)}
    assert set(due) == {(late_sapa, "case"), (fresh_sapa, "case"), (mediasi, "case")}
    assert due[(late_sapa, "case")].breached and due[(mediasi, "case")].breached
    assert not due[(fresh_sapa, "case")].breached
    total = sum(len(engine.store.events(c)) for c in (late_sapa, fresh_sapa, mediasi, waiting,
                                                      closed))

    results = engine.check_deadlines(now)
    by_case = {r.case.case_id: r for r in results}
    assert set(by_case) == {late_sapa, mediasi}
    escalation = {late_sapa: ("kepala_bidang", end_of("2026-03-26")),
                  mediasi: ("koordinator_uptd_ppa", end_of("2026-03-13"))}
    for case_id, (role, due_at) in escalation.items():
        (event,) = by_case[case_id].events
        assert event.type == "deadline_breached"
        assert event.payload == {"target": "case", "due_at": due_at, "escalate_to": role}
        assert (event.user, event.role, event.at) == ("alur", role, now.isoformat())
        assert verify_chain(case_id, engine.store.events(case_id)) == []
    after_first = sum(len(engine.store.events(c)) for c in (late_sapa, fresh_sapa, mediasi,
                                                            waiting, closed))
    assert after_first == total + 2

    assert engine.check_deadlines(now) == []  # idempotent
    assert engine.check_deadlines(wib(2026, 3, 27, 17)) == []  # same due dates, later
    assert sum(len(engine.store.events(c)) for c in (late_sapa, fresh_sapa, mediasi, waiting,
                                                     closed)) == after_first
    # a late command after the check records no second breach
    clock.set(wib(2026, 3, 30, 9))
    result = complete(engine, late_sapa, "menghubungi_sapa", "pelapor")
    assert "deadline_breached" not in types(result.events)
    # ... but the fresh case, due 27 March, is now breached
    (fresh,) = engine.check_deadlines(wib(2026, 3, 30, 9))
    assert fresh.case.case_id == fresh_sapa
    assert fresh.events[0].payload["due_at"] == end_of("2026-03-27")


def test_check_deadlines_command_on_a_case_not_due_adds_nothing(engine: Engine,
                                                                 clock: Clock) -> None:
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    before = stored(engine, case_id)
    result = engine.execute(CheckDeadlines(user="alur", role="kepala_bidang", case_id=case_id,
                                           at="2026-03-20T09:00:00+07:00"))
    assert result.events == ()
    assert stored(engine, case_id) == before


def test_extend_deadline_moves_the_due_date_by_working_days(engine: Engine,
                                                           clock: Clock) -> None:
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    clock.set(wib(2026, 3, 25, 10))
    reason = "korban dirawat di rumah sakit; penjangkauan ditunda"
    result = engine.execute(ExtendDeadline(user="bambang", role="kepala_bidang",
                                           case_id=case_id, amount=3, unit="working_days",
                                           reason=reason))
    (event,) = result.events
    # three working days after Thursday 26 March: Friday 27, Monday 30, Tuesday 31
    assert event.type == "deadline_extended"
    assert event.payload == {"target": "case", "due_at": end_of("2026-03-31"), "reason": reason}
    state = engine.case(case_id)
    assert state.due_at == end_of("2026-03-31")
    assert state.extensions == [{"target": "case", "due_at": end_of("2026-03-31"),
                                 "reason": reason, "at": "2026-03-25T10:00:00+07:00",
                                 "user": "bambang"}]
    snapshot = engine.store.snapshot(case_id)
    assert snapshot is not None and snapshot.due_at == end_of("2026-03-31")

    clock.set(wib(2026, 3, 30, 9))  # after the old due date, before the new one
    assert types(complete(engine, case_id, "menghubungi_sapa", "pelapor").events) == [
        "step_completed", "step_started"]
    assert engine.check_deadlines() == []
    clock.set(wib(2026, 4, 1, 9))
    late = complete(engine, case_id, "menerima_pengaduan", "admin")
    assert late.events[0].type == "deadline_breached"
    assert late.events[0].payload["due_at"] == end_of("2026-03-31")


def test_extension_after_a_breach_is_breached_again_once(engine: Engine, clock: Clock) -> None:
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    clock.set(wib(2026, 3, 27, 9))
    extended = engine.execute(ExtendDeadline(user="bambang", role="kepala_bidang",
                                             case_id=case_id, amount=2, unit="calendar_days",
                                             reason="pelapor belum dapat dihubungi"))
    assert types(extended.events) == ["deadline_breached", "deadline_extended"]
    assert extended.events[1].payload["due_at"] == end_of("2026-03-28")  # 26 Mar + 2 days
    assert engine.check_deadlines(wib(2026, 3, 28, 23)) == []
    (again,) = engine.check_deadlines(wib(2026, 3, 29, 0))
    assert again.events[0].payload["due_at"] == end_of("2026-03-28")
    assert engine.check_deadlines(wib(2026, 3, 30, 0)) == []
    assert [b["due_at"] for b in engine.case(case_id).breaches] == [end_of("2026-03-26"),
                                                                     end_of("2026-03-28")]


def _guarded_case(engine: Engine, path: str, **facts: Any) -> str:
    return engine.open_case(path, user="pia", role="petugas", facts=facts,
                            documents=(attachment("ktp"),)).case.case_id


def test_step_deadline_escalates_to_the_steps_role(engine: Engine, clock: Clock,
                                                   guarded: str) -> None:
    clock.set(wib(2026, 3, 2, 9))  # Monday
    case_id = _guarded_case(engine, guarded)
    state = engine.case(case_id)
    assert state.step_due_at == end_of("2026-03-03")  # step terima: 1 working day
    assert state.due_at == end_of("2026-03-09")  # case: 5 working days
    snapshot = engine.store.snapshot(case_id)
    assert snapshot is not None and snapshot.due_at == end_of("2026-03-03")  # the sooner one
    assert snapshot.current_role == "petugas"

    (result,) = engine.check_deadlines(wib(2026, 3, 4, 9))
    (event,) = result.events
    assert event.payload == {"target": "terima", "due_at": end_of("2026-03-03"),
                             "escalate_to": "kepala"}
    # the procedure names no escalate_to: the check runs under its first role
    assert event.role == "petugas"
    assert engine.check_deadlines(wib(2026, 3, 4, 10)) == []

    # extending the current step's deadline moves step_due_at (max 2 working days)
    clock.set(wib(2026, 3, 4, 11))
    with pytest.raises(CommandRefused) as refused:
        engine.execute(ExtendDeadline(user="kadis", role="kepala", case_id=case_id, amount=3,
                                      unit="calendar_days", reason="menunggu berkas",
                                      target="terima"))
    assert refused.value.rule == "guard.extension_limit"  # 6 Mar is beyond 5 Mar
    with pytest.raises(CommandRefused) as refused:
        engine.execute(ExtendDeadline(user="kadis", role="kepala", case_id=case_id, amount=1,
                                      unit="working_days", reason="menunggu berkas",
                                      target="putus"))
    assert refused.value.rule == "guard.not_current"
    with pytest.raises(CommandRefused) as refused:
        engine.execute(ExtendDeadline(user="kadis", role="kepala", case_id=case_id, amount=1,
                                      unit="working_days", reason="menunggu berkas",
                                      target="terim"))
    assert refused.value.rule == "guard.unknown_step"
    assert "did you mean 'terima'" in refused.value.message
    moved = engine.execute(ExtendDeadline(user="kadis", role="kepala", case_id=case_id,
                                          amount=2, unit="working_days",
                                          reason="menunggu berkas", target="terima"))
    assert moved.case.step_due_at == end_of("2026-03-05")
    assert moved.case.due_at == end_of("2026-03-09")  # the case's own limit is unchanged
    (again,) = engine.check_deadlines(wib(2026, 3, 6, 9))
    assert again.events[0].payload["due_at"] == end_of("2026-03-05")
