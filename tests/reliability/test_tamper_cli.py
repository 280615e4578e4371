"""Tamper evidence through the CLI, on SQLite and PostgreSQL.

tests/test_tamper.py covers the engine API and tests/test_audit.py covers ``alur audit verify``
on a small procedure; what neither does is the command that acts: here every edit of the store
behind alur's back (a changed payload, a deleted event, two events swapped, an altered snapshot)
on a real SAPA case makes ``alur case do`` (and ``case fact``, ``case show``) exit 5 before acting,
with nothing appended or rewritten, while ``alur audit verify`` exits 1 naming the case.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from runtime_support import Database

from cli import main

pytestmark = pytest.mark.reliability

AT = "2026-03-02T{}:00+07:00"


def changed_payload(db: Database, case_id: str) -> None:
    payload = db.payload(case_id, 5)
    db.set_payload(case_id, 5, {**payload, "note": "ditambahkan kemudian"})


def deleted_event(db: Database, case_id: str) -> None:
    db.sql("DELETE FROM alur_events WHERE case_id = ? AND seq = 3", (case_id,))


def deleted_last_event(db: Database, case_id: str) -> None:
    (last,), = db.sql("SELECT max(seq) FROM alur_events WHERE case_id = ?", (case_id,))
    db.sql("DELETE FROM alur_events WHERE case_id = ? AND seq = ?", (case_id, last))


def swapped_order(db: Database, case_id: str) -> None:
    for old, new in ((5, 1000), (6, 5), (1000, 6)):
        db.sql("UPDATE alur_events SET seq = ? WHERE case_id = ? AND seq = ?",
               (new, case_id, old))


def altered_snapshot(db: Database, case_id: str) -> None:
    state = db.snapshot_state(case_id)
    state["current_step"] = "pertimbangan_kepala_dinas"
    db.set_snapshot_state(case_id, state)


def altered_snapshot_columns(db: Database, case_id: str) -> None:
    db.sql("UPDATE alur_snapshots SET status = 'completed', current_step = NULL "
           "WHERE case_id = ?", (case_id,))


TAMPERS: list[Callable[[Database, str], None]] = [
    changed_payload, deleted_event, deleted_last_event, swapped_order, altered_snapshot,
    altered_snapshot_columns]


def _cli(url: str, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "--db", url])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def _rows(db: Database, case_id: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    events = db.sql("SELECT seq, hash, payload FROM alur_events WHERE case_id = ? ORDER BY seq",
                    (case_id,))
    snapshot = db.sql("SELECT version, last_hash, status, state FROM alur_snapshots "
                      "WHERE case_id = ?", (case_id,))
    return [tuple(map(str, row)) for row in events], [tuple(map(str, row)) for row in snapshot]


@pytest.mark.parametrize("tamper", TAMPERS, ids=[t.__name__ for t in TAMPERS])
def test_cli_refuses_to_act_on_a_tampered_case(db: Database, procedures_env: Path,
                                               tamper: Callable[[Database, str], None]) -> None:
    url = db.url
    opened = _cli(url, "case", "open", "sapa", "--id", "t1", "-u", "ani", "-r", "pelapor",
                  "--fact", "contacted_sapa=true", "--at", AT.format("08:00"))
    assert opened.exit_code == 0, opened.output
    for step, user, role, at in (("menghubungi_sapa", "ani", "pelapor", "08:05"),
                                 ("menerima_pengaduan", "adi", "admin", "09:00")):
        done = _cli(url, "case", "do", "t1", step, "-u", user, "-r", role, "--at", AT.format(at))
        assert done.exit_code == 0, done.output
    other = _cli(url, "case", "open", "sapa", "--id", "t2", "-u", "ani", "-r", "pelapor",
                 "--fact", "contacted_sapa=true", "--at", AT.format("08:00"))
    assert other.exit_code == 0
    assert _cli(url, "audit", "verify").exit_code == 0

    tamper(db, "t1")
    before = _rows(db, "t1")
    acting = [
        ("case", "do", "t1", "konfirmasi_identifikasi", "-u", "sule", "-r", "sub_koordinator",
         "--at", AT.format("10:00")),
        ("case", "do", "t1", "pertimbangan_kepala_dinas", "-u", "kadis", "-r", "kepala_dinas",
         "-o", "perlu_lembaga_lain", "--at", AT.format("10:00")),
        ("case", "fact", "t1", "contacted_sapa=false", "-u", "adi", "-r", "admin",
         "--at", AT.format("10:00")),
        ("case", "withdraw", "t1", "--reason", "x", "-u", "ani", "-r", "pelapor",
         "--at", AT.format("10:00")),
    ]
    for args in acting:
        result = _cli(url, *args)
        assert result.exit_code == 5, (args, result.output)
        assert "t1" in result.output and "audit verify" in result.output
    shown = _cli(url, "case", "show", "t1")
    assert shown.exit_code == 5, shown.output
    assert _rows(db, "t1") == before  # nothing appended, nothing rewritten

    verify = _cli(url, "audit", "verify")
    assert verify.exit_code == 5, verify.output
    assert "t1" in verify.output and "t2" not in verify.output.replace("t1", "")
    assert _cli(url, "audit", "verify", "--case", "t2").exit_code == 0
    # the untouched case goes on
    untouched = _cli(url, "case", "do", "t2", "menghubungi_sapa", "-u", "ani", "-r", "pelapor",
                     "--at", AT.format("10:00"))
    assert untouched.exit_code == 0, untouched.output
