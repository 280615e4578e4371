"""The parts of the façade (engine/casework/) on their own: the warm cases against a plain
model of a bounded least-recently-used map, and the one reading of a snapshot's due dates that
``Engine.due`` and the paged ``due`` listing share (they must list the same deadlines and skip
the same unreadable cases)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from runtime_support import Clock, Database, complete, open_sapa, wib

from engine.api import Engine
from engine.cases.state import CaseState
from engine.casework.warm import WarmCases
from engine.listings import due_rows
from engine.store.base import Head

CASES = ("a", "b", "c")
OPS = st.lists(st.tuples(st.sampled_from(("keep", "take", "forget")), st.sampled_from(CASES),
                         st.integers(1, 5), st.booleans()), max_size=40)


def _state(case_id: str, version: int, closed: bool) -> CaseState:
    state = CaseState(case_id=case_id, procedure_id="p", procedure_hash="h")
    state.version = version
    state.status = "withdrawn" if closed else "open"
    return state


@settings(max_examples=500, deadline=None)
@given(limit=st.integers(0, 3), ops=OPS)
@example(limit=2, ops=[("keep", "a", 1, False), ("keep", "b", 1, False),
                       ("keep", "a", 1, False), ("keep", "c", 1, False), ("take", "a", 1, False)])
def test_warm_cases_behave_as_a_bounded_lru_map(limit: int, ops: list[tuple[str, str, int,
                                                                             bool]]) -> None:
    warm = WarmCases(limit)
    model: OrderedDict[str, int] = OrderedDict()  # case -> version kept
    for op, case_id, version, closed in ops:
        if op == "keep":
            warm.keep(_state(case_id, version, closed), Head(version, f"h{version}", 0))
            # a closed case is not kept; a newer copy is not overwritten by an older one
            if limit and not closed and model.get(case_id, 0) <= version:
                model[case_id] = version
                model.move_to_end(case_id)
                while len(model) > limit:
                    model.popitem(last=False)
        elif op == "take":
            taken = warm.take(case_id)
            expected = model.pop(case_id, None)
            assert (taken[0].version if taken else None) == expected
            assert taken is None or taken[1].version == expected
        else:
            warm.forget(case_id)
            model.pop(case_id, None)
        assert len(warm) == len(model) <= limit
        assert all(c in warm for c in model)


def test_the_due_preview_and_the_due_listing_agree(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    cases = [open_sapa(engine).case.case_id for _ in range(4)]
    for case_id in cases[:3]:
        complete(engine, case_id, "menghubungi_sapa", "pelapor")
    complete(engine, cases[0], "menerima_pengaduan", "admin")
    # one case's snapshot written behind alur's back with a due date that is no date
    db.sql("UPDATE alur_snapshots SET state = " + ("?::jsonb" if db.name == "postgres" else "?")
           + " WHERE case_id = ?", ('{"due_at": "garbage"}', cases[1]))
    for now in (clock(), clock() + timedelta(days=40)):
        skipped_items: list[tuple[str, str]] = []
        skipped_rows: list[tuple[str, str]] = []
        items = engine.due(now, skipped=skipped_items)
        rows = list(due_rows(engine, now, skipped=skipped_rows))
        assert sorted((i.case_id, i.target, i.due_at, i.breached) for i in items) == sorted(
            (r.case_id, r.target, r.due_at, r.breached) for r in rows)
        assert items and {i.case_id for i in items} <= set(cases) - {cases[1]}
        assert [c for c, _ in skipped_items] == [c for c, _ in skipped_rows] == [cases[1]]
    assert any(i.breached for i in engine.due(clock() + timedelta(days=40)))
