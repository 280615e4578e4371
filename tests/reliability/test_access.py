"""Issue #15, items 7-13: each attack reproduced through the CLI, then shown to fail.

7. ``export --include-sensitive`` by a user holding only the reporter's role, and
   ``retention apply`` by anyone with a future ``--now``: refused unless the roster grants
   ``export_sensitive`` / ``erase``, and a ``--now`` later than the clock is refused.
8. With a roster, ``case list``, ``inbox``, ``due``, ``report``, ``graph --case``, ``audit`` and
   ``export`` without a user (or with one whose roles do not allow it) are refused; without a
   roster the notice comes once per terminal session.
9. ``ALUR_ROSTER=`` is an error, a duplicate user is an error at file:line:col, ``no`` is "no".
10. ``case show/do --format json`` do not print an outside role's user id.
11. Erased values do not stay in the SQLite WAL while another connection holds the file open;
    when a reader keeps the WAL from being emptied, retention says so (exit 5).
12. The SQLite store, its WAL and ``export -o`` files are not world-readable.
13. ``case attach`` of ``../../../../etc/passwd``, ``/proc/self/environ``, a symlink, a FIFO:
    refused; a file<->symlink swap race never lets the secret through.

Items 7, 8 and 10 run on SQLite and PostgreSQL (``db``); 11-13 are about files.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from runtime_support import ADULTS, ROSTER, Database, open_mediasi, open_sapa

import engine.cli.cases as cli_cases
from cli import main
from engine.api import Engine
from engine.cases.commands import Withdraw
from engine.errors import CaseError
from tests.reliability.summary import record

pytestmark = pytest.mark.reliability

KORBAN = "KORBAN-1507-UNIQUE"
PELAPOR = "pelapor-9911-unique"
LATER = "2032-01-01T00:00:00+07:00"  # past Mediasi's 5-year retention


def cli(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def audit_actions(url: str) -> list[tuple[str, str]]:
    with Engine(url) as engine:
        return [(r.action, r.user) for r in engine.store.audit_records()]


def withdrawn_mediasi(url: str) -> str:
    with Engine(url) as engine:
        case_id = open_mediasi(engine, ADULTS, participants={"pihak_korban": KORBAN}).case.case_id
        engine.execute(Withdraw(user="rina", role="pendamping_ppa", case_id=case_id,
                                reason="tidak dilanjutkan"))
    return case_id


# --- 7: privileged commands ---------------------------------------------------------------

def test_export_sensitive_needs_the_privilege(db: Database, procedures_env: Path) -> None:
    withdrawn_mediasi(db.url)
    attempts = {  # the attack of the issue, then its variants: all refused, nothing revealed
        "reporter role, roster": ("--roster", ROSTER, "-u", "ani"),
        "staff role without the privilege": ("--roster", ROSTER, "-u", "pendamping1"),
        "unknown user": ("--roster", ROSTER, "-u", "siapa-saja"),
        "no roster": ("-u", "auditor1"),
    }
    for label, extra in attempts.items():
        result = cli("export", "--format", "jsonl", "--include-sensitive", "--reason", "ingin",
                     "--db", db.url, *extra)
        assert result.exit_code == 1, (label, result.output)
        assert KORBAN not in result.output, label
    refused = [a for a in audit_actions(db.url) if a[0] == "refused:export_sensitive"]
    assert len(refused) == len(attempts)
    assert "reveal:export" not in [a for a, _ in audit_actions(db.url)]
    allowed = cli("export", "--format", "jsonl", "--include-sensitive", "--reason", "pengadilan",
                  "--db", db.url, "--roster", ROSTER, "-u", "auditor1")
    assert allowed.exit_code == 0 and KORBAN in allowed.output
    assert audit_actions(db.url)[-1] == ("reveal:export", "auditor1")
    record(f"access.export_sensitive[{db.name}]", {"attempts": len(attempts), "held":
                                                   len(refused)})


def test_retention_needs_the_privilege_and_refuses_a_future_now(
        db: Database, procedures_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case_id = withdrawn_mediasi(db.url)
    attempts = [  # minutes after withdrawal, erase it for good by asking for 2032
        ("--now", LATER),  # no roster: anybody
        ("--now", LATER, "--roster", ROSTER, "-u", "ani"),
        ("--now", LATER, "--roster", ROSTER, "-u", "koordinator1"),
        ("--now", LATER, "--roster", ROSTER, "-u", "arsip1"),  # the right user, the future
        ("--now", LATER, "--roster", ROSTER),  # the default user 'alur' holds no 'erase'
    ]
    for extra in attempts:
        result = cli("retention", "apply", "--db", db.url, *extra)
        assert result.exit_code == 1, (extra, result.output)
    with Engine(db.url) as engine:
        assert engine.case(case_id).anonymised_at is None
        assert KORBAN in json.dumps(engine.case(case_id).participants)
    actions = [a for a, _ in audit_actions(db.url)]
    assert actions.count("refused:erase") == len(attempts)
    # at the real clock nothing is due; once the clock has passed the period, it is erased
    assert "0 case(s)" in cli("retention", "apply", "--db", db.url, "--roster", ROSTER,
                              "-u", "arsip1").output
    monkeypatch.setattr(cli_cases, "CLOCK", lambda: datetime.fromisoformat(LATER))
    done = cli("retention", "apply", "--db", db.url, "--roster", ROSTER, "-u", "arsip1",
               "--format", "json")
    assert done.exit_code == 0, done.output
    assert [c["case_id"] for c in json.loads(done.stdout)["cases"]] == [case_id]
    record(f"access.retention[{db.name}]", {"attempts": len(attempts), "held": len(attempts)})


# --- 8: reads name a user -----------------------------------------------------------------

def test_reads_with_a_roster_need_a_user_whose_roles_allow_them(
        db: Database, procedures_env: Path) -> None:
    with Engine(db.url) as engine:
        mediasi = open_mediasi(engine, ADULTS).case.case_id
        sapa = open_sapa(engine).case.case_id
    roster = ("--roster", ROSTER, "--db", db.url)
    reads = {
        "case list": ("case", "list"), "inbox": ("inbox", "-r", "pendamping_ppa"),
        "due": ("due", "--no-record"), "report": ("report", "mediasi"),
        "audit verify": ("audit", "verify"), "audit conformance": ("audit", "conformance"),
        "export": ("export", "--format", "jsonl"),
        "graph --case": ("graph", "mediasi", "--case", mediasi),
    }
    held = 0
    for label, args in reads.items():
        for who in ((), ("-u", "ani"), ("-u", "siapa-saja")):  # nobody, reporter, stranger
            result = cli(*args, *roster, *who)
            assert result.exit_code == 1, (label, who, result.output)
            assert mediasi not in result.stdout, (label, who)
            held += 1
    allowed = {
        "case list": ("-u", "pendamping1"), "inbox": ("-u", "pendamping1"),
        "due": ("-u", "koordinator1"), "report": ("-u", "auditor1"),
        "audit verify": ("-u", "auditor1"), "audit conformance": ("-u", "auditor1"),
        "export": ("-u", "auditor1"),
        "graph --case": ("-u", "pendamping1", "-r", "pendamping_ppa"),
    }
    for label, who in allowed.items():
        result = cli(*reads[label], *roster, *who)
        assert result.exit_code in (0, 1) and "error:" not in result.output, (label, result.output)
    # a listing shows only the procedures one of the user's roles may read
    listed = cli("case", "list", *roster, "-u", "admin1", "--format", "json")
    assert [r["case_id"] for r in json.loads(listed.stdout)["cases"]] == [sapa]
    inbox = cli("inbox", "-r", "pendamping_ppa", *roster, "-u", "admin1")  # not admin1's role
    assert inbox.exit_code == 1 and mediasi not in inbox.stdout
    assert "refused:read" in [a for a, _ in audit_actions(db.url)]
    record(f"access.reads[{db.name}]", {"commands": len(reads), "held": held + 1})


def test_no_roster_notice_once_per_session(tmp_path: Path, procedures_env: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    first = cli("case", "list", "--db", url)
    second = cli("case", "list", "--db", url)
    assert "no roster configured" in first.stderr
    assert "no roster configured" not in second.stderr
    other = cli("case", "list", "--db", url, env={"ALUR_NOTICE_DIR": str(tmp_path)})
    assert "no roster configured" in other.stderr  # another session is told again


# --- 9: the roster file -------------------------------------------------------------------

def test_roster_file_attacks(tmp_path: Path, procedures_env: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    opened = ("case", "open", "mediasi", "-u", "rina", "-r", "koordinator_uptd_ppa",
              "--fact", "victim_is_child=false", "--fact", "perpetrator_is_child=false",
              "--fact", "has_special_needs=false", "--db", url)
    empty = cli(*opened, env={"ALUR_ROSTER": ""})
    assert empty.exit_code == 2 and "$ALUR_ROSTER is set but empty" in empty.output
    assert cli(*opened, "--roster", "").exit_code == 2
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("users:\n  rina: {roles: [pendamping_ppa]}\n"
                         "  rina: {roles: [koordinator_uptd_ppa]}\n", encoding="utf-8")
    result = cli(*opened, "--roster", duplicate)
    assert result.exit_code == 2 and f"{duplicate}:3:3" in result.output
    assert "duplicate key 'rina'" in result.output and "hint:" in result.output
    with Engine(url) as engine:
        assert engine.cases() == []  # nothing opened by any of them
    named_no = tmp_path / "no.yaml"
    named_no.write_text("users:\n  no: {roles: [pendamping_ppa]}\n", encoding="utf-8")
    from engine.cases.roster import load_roster

    roster = load_roster(named_no)
    assert roster.holds("no", "pendamping_ppa") and not roster.holds("False", "pendamping_ppa")
    bad = tmp_path / "bad.yaml"
    bad.write_text("privileges:\n  everything: [admin]\nusers:\n  a: {roles: [admin]}\n",
                   encoding="utf-8")
    result = cli("case", "list", "--db", url, "--roster", bad, "-u", "a")
    assert result.exit_code == 2 and f"{bad}:2:3" in result.output


# --- 10: an outside role's user id in json ------------------------------------------------

def test_json_output_masks_an_outside_roles_user(db: Database, procedures_env: Path) -> None:
    opened = cli("case", "open", "sapa", "-u", PELAPOR, "-r", "pelapor", "--fact",
                 "contacted_sapa=true", "--db", db.url, "--format", "json")
    assert opened.exit_code == 0, opened.output
    case_id = json.loads(opened.stdout)["case"]["case_id"]
    done = cli("case", "do", case_id, "menghubungi_sapa", "-u", PELAPOR, "-r", "pelapor",
               "--db", db.url, "--format", "json")
    assert done.exit_code == 0, done.output
    shown = cli("case", "show", case_id, "-u", "adi", "-r", "admin", "--db", db.url,
                "--format", "json")
    history = cli("case", "history", case_id, "-u", "adi", "-r", "admin", "--db", db.url,
                  "--format", "json")
    for result in (opened, done, shown, history):
        assert result.exit_code == 0
        assert PELAPOR not in result.stdout, result.stdout
    assert json.loads(shown.stdout)["path"][0]["user"] == "•••"
    revealed = cli("case", "show", case_id, "-u", "adi", "-r", "admin", "--db", db.url,
                   "--format", "json", "--reveal", "--reason", "verifikasi")
    assert PELAPOR in revealed.stdout


def test_retention_erases_an_outside_users_id_everywhere(
        db: Database, procedures_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reporter's id is in the user of every event of their actions (and in their
    participant name): after retention no copy of it is left in any table (SQLite: not in the
    file's nor the WAL's bytes), and every chain, the ledger and the snapshots still verify."""
    opened = cli("case", "open", "sapa", "-u", PELAPOR, "-r", "pelapor", "--fact",
                 "contacted_sapa=true", "--db", db.url, "--format", "json")
    assert opened.exit_code == 0, opened.output
    case_id = json.loads(opened.stdout)["case"]["case_id"]
    for args in (("case", "do", case_id, "menghubungi_sapa"),
                 ("case", "withdraw", case_id, "--reason", "sudah ditangani")):
        acted = cli(*args, "-u", PELAPOR, "-r", "pelapor", "--db", db.url)
        assert acted.exit_code == 0, acted.output
    with Engine(db.url) as engine:
        users = [e.user for e in engine.events(case_id)]
    assert users.count(PELAPOR) >= 6 and PELAPOR in db.text()  # the search below can find it
    monkeypatch.setattr(cli_cases, "CLOCK", lambda: datetime.fromisoformat(LATER))
    erased = cli("retention", "apply", "--db", db.url, "--roster", ROSTER, "-u", "arsip1",
                 "--format", "json")
    assert erased.exit_code == 0, erased.output
    (done,) = json.loads(erased.stdout)["cases"]
    assert done["case_id"] == case_id and done["kept_user_ids"] == 0
    assert done["redacted_values"] > len(users) - 1  # each id, and the participant name
    assert PELAPOR not in db.text()
    verified = cli("audit", "verify", "--db", db.url, "--roster", ROSTER, "-u", "auditor1")
    assert verified.exit_code == 0, verified.output
    revealed = cli("case", "history", case_id, "-u", "adi", "-r", "admin", "--reveal",
                   "--reason", "setelah retensi", "--db", db.url, "--format", "json")
    assert revealed.exit_code == 0 and PELAPOR not in revealed.stdout
    record(f"privacy.outside_user_id[{db.name}]", {"events": len(users), "left": 0})


# --- 11: the WAL after erasure ------------------------------------------------------------

def _wal_case(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "wal.db"
    url = f"sqlite:///{path}"
    withdrawn_mediasi(url)
    return url, path


def test_retention_empties_the_wal_while_another_connection_holds_it(
        tmp_path: Path, procedures_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url, path = _wal_case(tmp_path)
    other = sqlite3.connect(path, isolation_level=None)  # a second process's connection
    try:
        other.execute("SELECT count(*) FROM alur_events").fetchall()
        monkeypatch.setattr(cli_cases, "CLOCK", lambda: datetime.fromisoformat(LATER))
        result = cli("retention", "apply", "--db", url, "--roster", ROSTER, "-u", "arsip1")
        assert result.exit_code == 0, result.output
        wal = Path(f"{path}-wal")
        assert not wal.exists() or KORBAN.encode() not in wal.read_bytes()
        assert KORBAN.encode() not in path.read_bytes()
    finally:
        other.close()


def test_retention_reports_a_wal_it_cannot_empty(
        tmp_path: Path, procedures_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.retention as retention

    url, path = _wal_case(tmp_path)
    monkeypatch.setattr(retention, "CHECKPOINT_TRIES", 3)
    monkeypatch.setattr(retention, "CHECKPOINT_WAIT", 0.01)
    monkeypatch.setattr(cli_cases, "CLOCK", lambda: datetime.fromisoformat(LATER))
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM alur_events").fetchall()  # holds a read snapshot
    try:
        result = cli("retention", "apply", "--db", url, "--roster", ROSTER, "-u", "arsip1")
        assert result.exit_code == 5, result.output
        assert "-wal" in result.output and "hint:" in result.output
    finally:
        reader.execute("COMMIT")
        reader.close()
    again = cli("retention", "apply", "--db", url, "--roster", ROSTER, "-u", "arsip1")
    assert again.exit_code == 0, again.output  # nothing due now; the WAL is emptied
    wal = Path(f"{path}-wal")
    assert not wal.exists() or KORBAN.encode() not in wal.read_bytes()


# --- 12: file permissions -----------------------------------------------------------------

def test_store_wal_and_exports_are_not_world_readable(tmp_path: Path,
                                                      procedures_env: Path) -> None:
    previous = os.umask(0o022)  # the usual default that made them 0644
    try:
        path = tmp_path / "perm.db"
        withdrawn_mediasi(f"sqlite:///{path}")
        with Engine(f"sqlite:///{path}") as engine:  # held open: the WAL exists
            assert engine.cases()
            files = [path, Path(f"{path}-wal")]
            out = tmp_path / "out.jsonl"
            assert cli("export", "--format", "jsonl", "-o", out, "--db",
                       f"sqlite:///{path}").exit_code == 0
            files.append(out)
            for file in files:
                mode = stat.S_IMODE(file.stat().st_mode)
                assert mode & 0o077 == 0, (file, oct(mode))
    finally:
        os.umask(previous)


# --- 13: documents ------------------------------------------------------------------------

def test_cli_documents_come_from_the_documents_folder(
        tmp_path: Path, procedures_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "dokumen"
    docs.mkdir()
    monkeypatch.chdir(docs)
    monkeypatch.setenv("ALUR_DOCUMENTS", str(docs))
    secret = tmp_path / "rahasia.txt"
    secret.write_text("RAHASIA-4242", encoding="utf-8")
    (docs / "tautan.pdf").symlink_to(secret)
    (docs / "sub").mkdir()
    (docs / "sub" / "naik").symlink_to(tmp_path)
    os.mkfifo(docs / "pipa.pdf")
    (docs / "surat.pdf").write_text("isi surat", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with Engine(url) as engine:
        case_id = open_mediasi(engine, ADULTS).case.case_id
    attacks = ["../../../../etc/passwd", "/proc/self/environ", "/etc/passwd",
               "tautan.pdf", "sub/naik/rahasia.txt", "pipa.pdf", "/dev/zero",
               str(docs / ".." / "rahasia.txt")]
    for target in attacks:
        result = cli("case", "attach", case_id, f"surat_rujukan={target}", "-u", "rina",
                     "-r", "pendamping_ppa", "--db", url)
        assert result.exit_code == 1, (target, result.output)
        assert "RAHASIA" not in result.output
    with Engine(url) as engine:
        assert not any(e.type == "document_attached" and e.payload["document"] == "surat_rujukan"
                       for e in engine.events(case_id))
    ok = cli("case", "attach", case_id, "surat_rujukan=surat.pdf", "-u", "rina", "-r",
             "pendamping_ppa", "--db", url)
    assert ok.exit_code == 0, ok.output
    record("access.documents", {"attacks": len(attacks), "held": len(attacks)})


def _swap(docs: str, secret: str, stop: Any) -> None:
    """Replace docs/doc.txt, atomically, by a harmless file and by a link to the secret, in a
    loop (another process: no GIL between the swap and the reader)."""
    target, file, link = (Path(docs) / name for name in ("doc.txt", ".file", ".link"))
    while not stop.is_set():
        file.write_bytes(b"harmless")
        os.replace(file, target)
        link.unlink(missing_ok=True)
        link.symlink_to(secret)
        os.replace(link, target)


def test_a_file_symlink_swap_race_never_lets_the_secret_through(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"SECRET-RACE")
    target = docs / "doc.txt"
    target.write_bytes(b"harmless")
    stop = multiprocessing.Event()
    swapper = multiprocessing.Process(target=_swap, args=(str(docs), str(secret), stop),
                                      daemon=True)
    swapper.start()
    engine = Engine("memory://")
    attempts, leaked, read, refused = 2000, 0, 0, 0  # before the fix: 14 of 2000 leaked
    try:
        for _ in range(attempts):
            try:
                got: Any = engine.attachment("surat_rujukan", target, root=docs)
            except CaseError:
                refused += 1
                continue
            read += 1
            leaked += got.content == b"SECRET-RACE"
    finally:
        stop.set()
        swapper.join(10)
        engine.close()
    assert leaked == 0 and read + refused == attempts
    assert read > 0 and refused > 0  # both sides of the swap were met
    record("access.symlink_race", {"attempts": attempts, "read": read, "refused": refused,
                                   "leaked": leaked})
