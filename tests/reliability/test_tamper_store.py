"""Issue #15, tamper evidence: attacks with store access that used to pass, on SQLite and
PostgreSQL. Each test does what an attacker with SQL access would (raw statements behind alur's
back), then shows the attack is detected (``alur audit verify`` exits 5 naming it) or refused
(the engine will not act on it), with no traceback.

1. the stored procedure text edited (a fact no longer sensitive, the reporter made a reader);
2. a payload edited so that its hash stays: ``"$salts": {}`` added, a value wrapped as
   ``{"$redacted": v}``;
3. document contents rewritten or deleted;
4. the last events of a case deleted with a matching snapshot, a whole case deleted, the audit
   log deleted, and the same with the ledger rows deleted too (only an anchor shows that);
5. triggers dropped and re-created around an edit, under a worker that keeps the case warm;
6. malformed rows (not JSON, a list, a garbage snapshot state or due date, ``seq='abc'``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from runtime_support import ADULTS, Clock, Database, complete, open_mediasi, open_sapa, wib

from cli import main
from engine.api import Engine
from engine.cases.commands import SetFact
from engine.cases.state import replay
from engine.errors import AccessDenied, TamperDetected
from engine.store import migrations

from .summary import record

pytestmark = pytest.mark.reliability


def _cli(url: str | None, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, *(("--db", url) if url else ())])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def _verify(url: str, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = _cli(url, "audit", "verify", "--format", "json", *extra)
    return result.exit_code, json.loads(result.output)["problems"]


def _kinds(problems: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(p["case_id"], p["kind"]) for p in problems}


# --- 1. the procedure text -------------------------------------------------------------------

def test_an_edited_procedure_text_is_refused_and_reported(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(engine).case.case_id
    with pytest.raises(AccessDenied):
        engine.read_case(case_id, user="ani", role="pelapor")
    assert _verify(db.url) == (0, [])
    # the attack: the reporter is no longer external and may read; a fact is no longer sensitive
    (text,), = db.sql("SELECT text FROM alur_procedures")
    assert "    kind: external\n" in text and "read: [kepala_dinas, kepala_bidang]" in text
    forged = text.replace("    kind: external\n", "", 1).replace(
        "read: [kepala_dinas, kepala_bidang]", "read: [kepala_dinas, kepala_bidang, pelapor]")
    forged = forged.replace("    sensitive: true\n", "", 1)
    db.sql("UPDATE alur_procedures SET text = ?", (forged,))

    fresh = make_engine()  # a worker that has not cached the procedure
    with pytest.raises(TamperDetected) as refused:
        fresh.read_case(case_id, user="ani", role="pelapor")
    assert "SHA-256" in refused.value.message
    with pytest.raises(TamperDetected):
        complete(fresh, case_id, "menghubungi_sapa", "pelapor")
    shown = _cli(db.url, "case", "show", case_id, "--user", "ani", "--role", "pelapor")
    assert shown.exit_code == 5 and "SHA-256" in shown.output
    code, problems = _verify(db.url)
    assert code == 5 and ("procedure:sapa", "procedure") in _kinds(problems)
    record(f"tamper_store[procedure_text-{db.name}]", {"result": "detected"})


# --- 2. a payload edit that keeps the hash ---------------------------------------------------

def test_a_value_wrapped_as_redacted_breaks_the_chain(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    """On Mediasi, other_parties_relevant=false wrapped as {"$redacted": false} hashed as false,
    yet the fold saw a (truthy) dict: the engine demanded a participant nobody asked for."""
    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_mediasi(engine, {**ADULTS, "other_parties_relevant": False}).case.case_id
    engine.execute(SetFact(user="rina", role="pendamping_ppa", case_id=case_id,
                           name="other_parties_relevant", value=False))
    assert engine.verify() == []
    rows = db.sql("SELECT seq, type FROM alur_events WHERE case_id = ? ORDER BY seq",
                  (case_id,))
    opened = db.payload(case_id, 1)
    assert "$salts" in opened and "facts.victim_is_child" in opened["$salted"]
    # (a) an event that has salts: a value that was never salted is wrapped
    opened["facts"]["other_parties_relevant"] = {"$redacted": False}
    db.set_payload(case_id, 1, opened)
    # (b) an event that had none: "$salts": {} added and the value wrapped
    (fact_seq,) = [seq for seq, kind in rows if kind == "fact_set"]
    fact = db.payload(case_id, fact_seq)
    db.set_payload(case_id, fact_seq, {**fact, "value": {"$redacted": False}, "$salts": {}})

    found = {(p.case_id, p.seq, p.problem) for p in engine.verify()  # type: ignore[union-attr]
             if not isinstance(p, dict)}
    assert (case_id, 1, "edited") in found and (case_id, fact_seq, "edited") in found
    with pytest.raises(TamperDetected):
        engine.case(case_id)
    code, problems = _verify(db.url)
    assert code == 5 and {(p["case_id"], p["seq"]) for p in problems} >= {
        (case_id, 1), (case_id, fact_seq)}
    record(f"tamper_store[redacted_wrap-{db.name}]", {"result": "detected"})


def test_a_real_redaction_still_verifies(make_engine: Callable[..., Engine], db: Database,
                                         clock: Clock) -> None:
    """Retention wraps salted values: those, and only those, keep the hash."""
    from engine.cases.events import redact_payload

    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_mediasi(engine).case.case_id
    opened = db.payload(case_id, 1)
    db.set_payload(case_id, 1, redact_payload(opened))
    assert [p for p in engine.verify(case_id) if not isinstance(p, dict)] == []
    erased = db.payload(case_id, 1)
    assert erased["$salts"] == {} and set(erased["facts"]["victim_is_child"]) == {"$redacted"}


# --- 3. document contents --------------------------------------------------------------------

def test_rewritten_or_deleted_document_contents_are_reported(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_mediasi(engine).case.case_id  # attaches identitas_penerima_manfaat
    (sha,), = db.sql("SELECT sha256 FROM alur_blobs")
    assert _verify(db.url) == (0, [])
    db.sql("UPDATE alur_blobs SET content = ? WHERE sha256 = ?", (b"forged scan", sha))
    code, problems = _verify(db.url)
    assert code == 5 and (f"blob:{sha[:12]}", "blob") in _kinds(problems)
    db.sql("DELETE FROM alur_blobs WHERE sha256 = ?", (sha,))
    code, problems = _verify(db.url)
    assert code == 5 and (case_id, "blob") in _kinds(problems)
    assert any("missing" in p["detail"] for p in problems)
    record(f"tamper_store[blob-{db.name}]", {"result": "detected"})


# --- 4. truncation and deletion: the ledger and anchors ----------------------------------------

def _truncate_with_matching_snapshot(engine: Engine, db: Database, case_id: str,
                                     keep: int) -> None:
    """Delete the events after ``keep`` and rewrite the snapshot to what they fold to."""
    events = engine.store.events(case_id)[:keep]
    state = replay(events)
    snap = engine.snapshot_of(engine.context(state.procedure_hash), state)
    db.sql("DELETE FROM alur_events WHERE case_id = ? AND seq > ?", (case_id, keep))
    db.sql(f"UPDATE alur_snapshots SET version = ?, last_hash = ?, status = ?, "
           f"current_step = ?, \"current_role\" = ?, due_at = ?, updated_at = ?, "
           f"state = ?{db.json_cast} WHERE case_id = ?",
           (snap.version, snap.last_hash, snap.status, snap.current_step, snap.current_role,
            snap.due_at, snap.updated_at, json.dumps(snap.state), case_id))


def test_truncation_and_deletion_are_reported_by_the_ledger(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    cut = open_sapa(engine).case.case_id
    complete(engine, cut, "menghubungi_sapa", "pelapor")
    gone = open_sapa(engine).case.case_id
    kept = open_sapa(engine).case.case_id
    with pytest.raises(AccessDenied):  # a refusal: one audit record
        engine.read_case(kept, user="x", role="pelapor")
    assert _verify(db.url) == (0, [])

    _truncate_with_matching_snapshot(engine, db, cut, 4)
    with pytest.raises(TamperDetected):  # the chain and snapshot agree, but a full read
        make_engine().case(cut)  # checks the ledger's last entry for the case too
    code, problems = _verify(db.url)
    assert code == 5 and _kinds(problems) == {(cut, "truncated")}
    db.sql("DELETE FROM alur_events WHERE case_id = ?", (gone,))
    db.sql("DELETE FROM alur_snapshots WHERE case_id = ?", (gone,))
    db.sql("DELETE FROM alur_audit")
    code, problems = _verify(db.url)
    assert code == 5 and _kinds(problems) == {(cut, "truncated"), (gone, "vanished"),
                                              ("audit", "audit")}
    assert make_engine().verify() != []
    record(f"tamper_store[truncation_deletion-{db.name}]", {"result": "detected"})


def test_an_anchor_proves_nothing_before_it_was_removed(
        make_engine: Callable[..., Engine], db: Database, clock: Clock, tmp_path: Path) -> None:
    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    first = open_sapa(engine).case.case_id
    complete(engine, first, "menghubungi_sapa", "pelapor")
    second = open_sapa(engine).case.case_id
    key = tmp_path / "agency.key"
    made = _cli(None, "audit", "keygen", str(key))
    assert made.exit_code == 0 and (key.stat().st_mode & 0o777) == 0o600
    assert _cli(None, "audit", "keygen", str(key)).exit_code == 2  # never overwritten
    anchor = tmp_path / "anchor.json"
    signed = _cli(db.url, "audit", "anchor", "--key", str(key), "-o", str(anchor))
    assert signed.exit_code == 0, signed.output
    data = json.loads(anchor.read_text())
    assert data["count"] == 3 and data["signature"] and "PUBLIC KEY" in data["public_key"]
    public = str(key) + ".pub"

    # later work extends the ledger: the anchor still holds
    complete(engine, second, "menghubungi_sapa", "pelapor")
    ok = _cli(db.url, "audit", "verify", "--anchor", str(anchor), "--public-key", public)
    assert ok.exit_code == 0, ok.output

    # the thorough attacker: the case, its ledger rows and nothing else. The store alone
    # cannot tell any more (documented); the anchor can.
    for table, column in (("alur_events", "case_id"), ("alur_snapshots", "case_id"),
                          ("alur_ledger", "ref")):
        db.sql(f"DELETE FROM {table} WHERE {column} = ?", (first,))
    assert _verify(db.url) == (0, [])
    code, problems = _verify(db.url, "--anchor", str(anchor), "--public-key", public)
    assert code == 5 and _kinds(problems) == {("ledger", "anchor")}

    # a forged anchor (the root of the store as it is now) fails its signature
    current = json.loads(_cli(db.url, "audit", "anchor").output)
    forged = {**data, "root": current["root"], "count": current["count"],
              "last_seq": current["last_seq"]}
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    code, problems = _verify(db.url, "--anchor", str(tmp_path / "forged.json"),
                             "--public-key", public)
    assert code == 5 and any("signature" in p["detail"] for p in problems)
    bad = _cli(db.url, "audit", "verify", "--anchor", str(tmp_path / "missing.json"))
    assert bad.exit_code == 2
    record(f"tamper_store[anchor-{db.name}]", {"result": "detected"})


# --- 5. triggers dropped and re-created around an edit ------------------------------------------

def _triggers_off_and_on(db: Database, edit: Callable[[], None]) -> None:
    if db.name == "sqlite":
        step = migrations.MIGRATIONS[1]
        names = [s.split()[2] for s in step.sqlite if s.startswith("CREATE TRIGGER")]
        for name in names:
            db.sql(f"DROP TRIGGER {name}")
        edit()
        for statement in step.sqlite:
            if statement.startswith("CREATE TRIGGER"):
                db.sql(statement)
    else:
        db.sql("DROP TRIGGER alur_events_changed ON alur_events")
        edit()
        db.sql("CREATE TRIGGER alur_events_changed AFTER UPDATE OR DELETE ON alur_events "
               "FOR EACH ROW EXECUTE FUNCTION alur_count_event_edit()")


def test_a_warm_worker_does_not_append_on_a_case_edited_without_triggers(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    worker = make_engine()  # long-running: keeps the cases it verified
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(worker).case.case_id
    complete(worker, case_id, "menghubungi_sapa", "pelapor")
    head = worker.store.head(case_id)
    count = db.event_count(case_id)

    def edit() -> None:
        payload = db.payload(case_id, 5)
        db.set_payload(case_id, 5, {**payload, "note": "ditulis ulang"})

    _triggers_off_and_on(db, edit)
    after = worker.store.head(case_id)
    assert head is not None and after is not None
    assert after[:3] == head[:3]  # the edit counted nothing ...
    assert after.epoch != head.epoch  # ... but the trigger set is not the one verified
    with pytest.raises(TamperDetected):
        complete(worker, case_id, "menerima_pengaduan", "admin")
    assert db.event_count(case_id) == count  # nothing appended on the tampered case
    record(f"tamper_store[triggers_recreated-{db.name}]", {"result": "refused"})


def _warm_worker_with_a_case(make_engine: Callable[..., Engine], clock: Clock,
                             monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, str]:
    """A long-running worker holding a case it verified, which reads the ledger only as a
    case's head (one indexed row), never the whole of it, at a command."""
    worker = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(worker).case.case_id
    complete(worker, case_id, "menghubungi_sapa", "pelapor")
    complete(worker, case_id, "menerima_pengaduan", "admin")

    def no_full_ledger() -> None:
        raise AssertionError("a command read the whole ledger")

    monkeypatch.setattr(worker.store, "ledger", no_full_ledger)
    return worker, case_id


@pytest.mark.parametrize("triggers", ["kept", "dropped_and_recreated"])
def test_a_warm_worker_does_not_append_on_a_case_cut_short(
        make_engine: Callable[..., Engine], db: Database, clock: Clock,
        monkeypatch: pytest.MonkeyPatch, triggers: str) -> None:
    """A second connection deletes the case's last events and rewrites its snapshot to what
    the rest folds to: chain and snapshot agree, so only the ledger, which recorded the later
    head, tells. The warm worker's copy is refused at its append (the head moved, or the
    epoch), and the full read that follows checks the case against its ledger entry."""
    worker, case_id = _warm_worker_with_a_case(make_engine, clock, monkeypatch)
    count = db.event_count(case_id)

    def cut() -> None:
        _truncate_with_matching_snapshot(worker, db, case_id, 4)

    if triggers == "kept":
        cut()
    else:
        _triggers_off_and_on(db, cut)
    with pytest.raises(TamperDetected) as caught:
        complete(worker, case_id, "konfirmasi_identifikasi", "sub_koordinator")
    assert "ledger" in caught.value.message
    assert db.event_count(case_id) == 4 < count  # nothing appended on the cut-short case
    record(f"tamper_store[warm_cut_short_{triggers}-{db.name}]", {"result": "refused"})


@pytest.mark.parametrize("edit", ["rewritten", "deleted"])
def test_a_warm_worker_notices_the_ledger_entry_of_its_case_changed(
        make_engine: Callable[..., Engine], db: Database, clock: Clock,
        monkeypatch: pytest.MonkeyPatch, edit: str) -> None:
    """No trigger guards the ledger: its last entry for the case is part of the case's head
    instead. Rewritten, the full read that follows refuses the case (the ledger names an event
    it does not hold); deleted, the entries left still match the events, so the command goes
    on from a full read (only an anchor shows a removed entry: docs/auditing.md)."""
    worker, case_id = _warm_worker_with_a_case(make_engine, clock, monkeypatch)
    count = db.event_count(case_id)
    last = ("(SELECT max(seq) FROM alur_ledger WHERE kind = 'case' AND ref = ?)")
    reads: list[str] = []
    real = worker.store.read_case

    def counting(cid: str) -> Any:
        reads.append(cid)
        return real(cid)

    monkeypatch.setattr(worker.store, "read_case", counting)
    if edit == "rewritten":
        db.sql(f"UPDATE alur_ledger SET hash = ? WHERE seq = {last}", ("0" * 64, case_id))
        with pytest.raises(TamperDetected):
            complete(worker, case_id, "konfirmasi_identifikasi", "sub_koordinator")
        assert db.event_count(case_id) == count
    else:
        db.sql(f"DELETE FROM alur_ledger WHERE seq = {last}", (case_id,))
        complete(worker, case_id, "konfirmasi_identifikasi", "sub_koordinator")
        assert db.event_count(case_id) > count
    assert reads == [case_id]  # the kept copy was not used: the case was read again
    record(f"tamper_store[warm_ledger_{edit}-{db.name}]",
           {"result": "refused" if edit == "rewritten" else "re-read"})


def test_postgres_disabled_triggers_change_the_epoch(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    if db.name != "postgres":
        pytest.skip("ALTER TABLE ... DISABLE TRIGGER is PostgreSQL's")
    worker = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    case_id = open_sapa(worker).case.case_id
    complete(worker, case_id, "menghubungi_sapa", "pelapor")
    db.sql("ALTER TABLE alur_events DISABLE TRIGGER alur_events_changed")
    payload = db.payload(case_id, 5)
    db.set_payload(case_id, 5, {**payload, "note": "ditulis ulang"})
    db.sql("ALTER TABLE alur_events ENABLE TRIGGER alur_events_changed")
    with pytest.raises(TamperDetected):
        complete(worker, case_id, "menerima_pengaduan", "admin")


# --- 6. malformed rows: each case judged on its own ---------------------------------------------

MALFORMED: dict[str, tuple[str | None, str]] = {  # id: (only on this backend, statement)
    "payload_not_json": ("sqlite", "UPDATE alur_events SET payload = 'not json' "
                                   "WHERE case_id = ? AND seq = 2"),
    "payload_list": (None, "UPDATE alur_events SET payload = '[1,2]' "
                           "WHERE case_id = ? AND seq = 2"),
    "payload_text": ("postgres", "UPDATE alur_events SET payload = '\"not json\"' "
                                 "WHERE case_id = ? AND seq = 2"),
    "payload_dict_for_text": (None, "UPDATE alur_events SET payload = "
                                    "'{\"step\": {\"a\": 1}, \"outcome\": [1]}' "
                                    "WHERE case_id = ? AND seq = 5"),
    "state_garbage": ("sqlite", "UPDATE alur_snapshots SET state = 'garbage' WHERE case_id = ?"),
    "state_list": (None, "UPDATE alur_snapshots SET state = '[1,2]' WHERE case_id = ?"),
    "due_at_garbage": (None, "UPDATE alur_snapshots SET due_at = 'garbage' WHERE case_id = ?"),
    "state_due_at_garbage": (None, "UPDATE alur_snapshots SET state = "
                                   "'{\"due_at\": \"garbage\", \"step_due_at\": [1]}' "
                                   "WHERE case_id = ?"),
    "seq_text": ("sqlite", "UPDATE alur_events SET seq = 'abc' WHERE case_id = ? AND seq = 3"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_one_malformed_row_takes_down_only_its_case(
        make_engine: Callable[..., Engine], db: Database, clock: Clock, name: str) -> None:
    only, statement = MALFORMED[name]
    if only is not None and only != db.name:
        pytest.skip(f"{name}: a value only a {only} column accepts")
    engine = make_engine()
    clock.set(wib(2026, 3, 17, 9))
    bad = open_sapa(engine).case.case_id
    complete(engine, bad, "menghubungi_sapa", "pelapor")
    good = open_sapa(engine).case.case_id
    db.sql(statement.replace("' WHERE", f"'{db.json_cast} WHERE")
           if db.name == "postgres" and ("payload =" in statement or "state =" in statement)
           else statement, (bad,))

    shown = _cli(db.url, "case", "show", bad)
    assert shown.exit_code == 5, shown.output
    acted = _cli(db.url, "case", "do", bad, "menerima_pengaduan", "-u", "adi", "-r", "admin",
                 "--at", "2026-03-17T10:00:00+07:00")
    assert acted.exit_code == 5, acted.output
    code, problems = _verify(db.url)
    assert code == 5 and {p["case_id"] for p in problems} == {bad}, problems
    due = _cli(db.url, "due", "--now", "2026-06-30T09:00:00+07:00", "--record", "--format",
               "json")
    assert due.exit_code == 0, due.output
    swept = json.loads(due.output)
    assert good in swept["escalated"] and bad not in swept["escalated"]
    assert [s["case_id"] for s in swept["skipped"]] == [bad]
    assert _cli(db.url, "case", "show", good).exit_code == 0
    record(f"tamper_store[malformed_{name}-{db.name}]", {"result": "reported"})


def test_anchors_taken_among_concurrent_writers_stay_prefixes(
        make_engine: Callable[..., Engine], db: Database, clock: Clock) -> None:
    """The ledger's order is its seq, drawn at insert on PostgreSQL: an anchor must still see
    a settled prefix while other connections append (Store.ledger waits for them). A property
    check: without the SHARE lock this run still passed twice (the window between drawing a
    seq and committing a one-statement append is microseconds), so it guards against gross
    breakage, not that race."""
    import threading

    from engine.analysis.audit.ledger import check_anchor, make_anchor

    clock.set(wib(2026, 3, 17, 9))
    workers = [make_engine(new_id=lambda p, n=n: f"{p}-w{n}-{secrets.token_hex(3)}")
               for n in range(3)]
    reader = make_engine()
    stop = threading.Event()
    failures: list[BaseException] = []

    def work(engine: Engine) -> None:
        try:
            while not stop.is_set():
                case_id = open_sapa(engine).case.case_id
                complete(engine, case_id, "menghubungi_sapa", "pelapor")
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    anchors = []
    try:
        for _ in range(15):
            anchors.append(make_anchor(reader.store.ledger(), "t", db.url))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not failures, failures
    final = reader.store.ledger()
    assert len(final) > anchors[0].count
    assert all(check_anchor(final, anchor, None) == [] for anchor in anchors)
    assert make_engine().verify() == []
    record(f"tamper_store[anchors_concurrent-{db.name}]",
           {"anchors": len(anchors), "entries": len(final), "broken": 0})


def test_events_sealed_before_salted_paths_keep_a_narrow_legacy_rule() -> None:
    """Events sealed before "$salted" existed (schema 2) verify after a real redaction (a
    64-hex commitment where a value was salted); a value wrapped anywhere else, or wrapped
    without being a commitment, breaks their hash."""
    from engine.cases.events import GENESIS, Event, redact_payload, seal

    old = {"name": "value_of", "value": "Ani", "note": True, "$salts": {"value": "ab" * 16}}
    sealed = seal("c1", 1, "fact_set", old, "u", "staff", "2026-03-02T09:00:00+07:00",
                  "p" * 64, GENESIS)

    def hash_of(payload: dict[str, Any]) -> str:
        return Event("c1", 1, "fact_set", payload, "u", "staff", "2026-03-02T09:00:00+07:00",
                     "p" * 64, GENESIS, sealed.hash).content_hash()

    erased = redact_payload(old)
    assert "$salted" not in erased and hash_of(erased) == sealed.hash
    assert hash_of({**old, "note": {"$redacted": True}}) != sealed.hash
    assert hash_of({**erased, "note": {"$redacted": True}}) != sealed.hash
    assert hash_of({**erased, "value": {"$redacted": "Ani"}}) != sealed.hash
