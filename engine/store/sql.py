"""SQL text shared by the SQLite and PostgreSQL backends (they differ in placeholders and in
quoting ``current_role``, a reserved word in PostgreSQL). Built from literal fragments only:
values always travel as parameters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.cases.events import CaseSnapshot, Event
from engine.store.base import Linked
from engine.store.checks import check_append, check_redacted, due_key, number_parts

__all__ = ["CLOSED_STATUSES", "Prepared", "cases_query", "outbox_insert", "page_query",
           "prepare_append"]

# statuses of a case that waits for no one (engine.case.CLOSED, repeated: a store knows no case)
CLOSED_STATUSES = ("completed", "terminated", "referred", "rejected", "withdrawn")

# per case: (case_id, expected_version, event rows, snapshot row)
Prepared = tuple[str, int, list[tuple[Any, ...]], tuple[Any, ...]]


def cases_query(columns: str, mark: str, role_column: str, *, status: str | None,
                procedure_id: str | None, role: str | None,
                limit: int | None) -> tuple[str, list[Any]]:
    """The snapshot listing of ``Store.cases``: filters, order by due instant then case id."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("status", status), ("procedure_id", procedure_id),
                          (role_column, role)):
        if value is not None:
            where.append(f"{column} = {mark}")
            params.append(value)
    query = f"SELECT {columns} FROM alur_snapshots"
    if where:
        query += " WHERE " + " AND ".join(where)
    query += " ORDER BY due_utc IS NULL, due_utc, case_id"
    if limit is not None:
        query += f" LIMIT {mark}"
        params.append(limit)
    return query, params


def page_query(columns: str, mark: str, role_column: str, *, status: str | None,
               procedure_id: str | None, roles: Sequence[str] | None, open_only: bool,
               after: tuple[str | None, str] | None, limit: int) -> tuple[str, list[Any]]:
    """One page of ``Store.iter_cases``: the listing order of :func:`cases_query` (due instant,
    cases without one last, then case id), resumed after the key ``after`` = (due_utc, case_id)
    of the last row seen (keyset pagination: each page is an index range, never an OFFSET)."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("status", status), ("procedure_id", procedure_id)):
        if value is not None:
            where.append(f"{column} = {mark}")
            params.append(value)
    if roles is not None:
        if not roles:
            where.append("1 = 0")
        else:
            where.append(f"{role_column} IN ({', '.join([mark] * len(roles))})")
            params.extend(roles)
    if open_only:
        where.append(f"status NOT IN ({', '.join([mark] * len(CLOSED_STATUSES))})")
        params.extend(CLOSED_STATUSES)
    if after is not None:
        due, case_id = after
        if due is None:
            where.append(f"(due_utc IS NULL AND case_id > {mark})")
            params.append(case_id)
        else:
            where.append(f"(due_utc > {mark} OR (due_utc = {mark} AND case_id > {mark}) "
                         "OR due_utc IS NULL)")
            params.extend((due, due, case_id))
    query = f"SELECT {columns} FROM alur_snapshots"
    if where:
        query += " WHERE " + " AND ".join(where)
    query += f" ORDER BY due_utc IS NULL, due_utc, case_id LIMIT {mark}"
    params.append(limit)
    return query, params


def prepare_append(case_id: str, expected_version: int, events: Sequence[Event],
                   snapshot: CaseSnapshot, redacted: Sequence[Event], linked: Sequence[Linked],
                   dump: Callable[[object, str], str],
                   ) -> tuple[list[Prepared], list[tuple[Any, ...]]]:
    """Check an append and turn it into rows: per case its event rows (in ``alur_events``
    column order) and snapshot row (its case number last, as series and counter), and the
    rewrites of a redaction (payload and user)."""
    batch = [(case_id, expected_version, events, snapshot), *linked]
    for entry in batch:
        check_append(*entry)
    check_redacted(case_id, redacted)
    rewrites = [(dump(e.payload, f"event {e.seq} payload"), e.user, case_id, e.seq, e.hash)
                for e in redacted]
    prepared: list[Prepared] = [(cid, expected, [
        (e.case_id, e.seq, e.type, dump(e.payload, f"event {e.seq} payload"), e.user, e.role,
         e.at, e.procedure_hash, e.prev_hash, e.hash) for e in evs], (
        snap.case_id, snap.procedure_id, snap.procedure_hash, snap.version, snap.status,
        snap.current_step, snap.current_role, snap.due_at, due_key(snap.due_at),
        snap.updated_at, snap.last_hash, dump(snap.state, "snapshot state"),
        *(number_parts(snap.number) or (None, None))))
        for cid, expected, evs, snap in batch]
    return prepared, rewrites


def outbox_insert(dialect: str, rows: Sequence[tuple[Any, ...]], procedure_id: str, now: float,
                  *, only_if: str = "") -> tuple[str, list[Any]]:
    """The INSERT that writes, in the append's own transaction, one outbox row per (event,
    subscription that wants it) for the event ``rows`` of one case (``alur_events`` column
    order). It reads the subscriptions in that transaction, so a subscription added or removed
    meanwhile either sees the whole append or none of it. ``only_if``: an extra condition (the
    PostgreSQL one-statement append adds ``EXISTS (SELECT 1 FROM s)``: only when the snapshot
    was written). Values travel as parameters; the SQL is built from literal fragments."""
    mark = "?" if dialect == "sqlite" else "%s"
    find = "instr" if dialect == "sqlite" else "strpos"
    values = ", ".join([f"(CAST({mark} AS TEXT), CAST({mark} AS INTEGER), CAST({mark} AS TEXT))"]
                       * len(rows))
    params: list[Any] = [now, now]
    for row in rows:
        params.extend((row[0], row[1], row[2]))
    params.append(procedure_id)
    sql = ("INSERT INTO alur_outbox (subscription_id, case_id, seq, event_type, created_at, "
           f"next_at) SELECT w.id, v.column1, v.column2, v.column3, CAST({mark} AS DOUBLE "
           f"PRECISION), CAST({mark} AS DOUBLE PRECISION) FROM alur_webhooks w, "
           f"(VALUES {values}) AS v WHERE (w.procedure_id = '' OR w.procedure_id = {mark}) "
           f"AND (w.event_types = '*' OR {find}(',' || w.event_types || ',', "
           "',' || v.column3 || ',') > 0)")
    if only_if:
        sql += f" AND {only_if}"
    return sql + " ORDER BY v.column2, w.id", params
