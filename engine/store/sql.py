"""SQL text shared by the SQLite and PostgreSQL backends (they differ in placeholders and in
quoting ``current_role``, a reserved word in PostgreSQL). Built from literal fragments only:
values always travel as parameters."""

from __future__ import annotations

from typing import Any

__all__ = ["cases_query"]


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
