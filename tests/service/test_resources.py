"""The resources beyond cases, over HTTP, on SQLite and PostgreSQL: diff of two stored versions,
audit (conformance, report, streamed export with and without a reveal, the audit log),
referrals and linked cases, retention, user administration, and Idempotency-Key claims. Each
answer is compared with what the store or the engine says, not with fixed values."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.cases.commands import CompleteStep, SetFact, Terminate
from engine.service import wire
from engine.service.app import Service, create_app, request_fingerprint
from engine.service.auth import hash_password
from tests.runtime_support import BACKENDS, Clock, make_database
from tests.service.support import SAPA_AGENCY
from tests.test_referrals import _ktp, _source

API = "/api/v1"
ROOT = Path(__file__).resolve().parents[2]
PRIVILEGES = {"audit": frozenset({"auditor"}), "erase": frozenset({"auditor"}),
              "export_sensitive": frozenset({"auditor"})}
MINIMAL = ROOT / "tests" / "fixtures" / "valid" / "minimal.yaml"


@pytest.fixture(params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path: Path,
            procedures_env: Path) -> Iterator[Service]:
    with make_database(request.param, tmp_path) as db:
        held = Service(db.url, privileges=PRIVILEGES,
                       clock=Clock(datetime(2026, 3, 2, 2, tzinfo=UTC)))
        for name, roles in (("ani", {"pelapor"}), ("kabid", {"kepala_bidang"}),
                            ("audi", {"auditor"}), ("sri", {"admin"})):
            held.accounts.add_user(name, hash_password(f"rahasia-{name}"), frozenset(roles),
                                   SAPA_AGENCY)
        try:
            yield held
        finally:
            held.close()


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service=service)) as made:
        yield made


def _as(service: Service, user: str, *scopes: str) -> dict[str, str]:
    secret = service.accounts.add_token(user, "test", frozenset(scopes or ("read", "write")))[1]
    return {"Authorization": f"Bearer {secret}"}


def _open(client: TestClient, service: Service, **facts: Any) -> str:
    answer = client.post(f"{API}/cases", headers=_as(service, "ani"), json={
        "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True, **facts}})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case"]["case_id"])


def test_diff_of_two_stored_versions_in_the_asked_language(client: TestClient,
                                                           service: Service,
                                                           tmp_path: Path) -> None:
    case_id = _open(client, service)
    engine = service.engine("en")
    old = engine.store.procedures("sapa")[-1].hash
    changed = (ROOT / "procedures" / "sapa.yaml").read_text(encoding="utf-8")
    changed = changed.replace("    actor: pelapor\n", "    actor: admin\n", 1)
    (tmp_path / "sapa2.yaml").write_text(changed, encoding="utf-8")
    new = engine.register(str(tmp_path / "sapa2.yaml"))
    head = _as(service, "kabid")
    english = client.get(f"{API}/procedures/sapa/diff", headers=head)
    assert english.status_code == 200, english.text
    body = english.json()
    assert (body["old"], body["new"], body["differences"]) == (old, new, True)
    assert any(c["subject"] == "menghubungi_sapa" for c in body["changes"])
    # the running case sits at the step whose actor changed: a reader is told
    assert [c["case_id"] for c in body["cases"]] == [case_id]
    indonesian = client.get(f"{API}/procedures/sapa/diff",
                            headers={**head, "Accept-Language": "id"}).json()
    assert [c["message"] for c in indonesian["changes"]] != [
        c["message"] for c in body["changes"]]
    same = client.get(f"{API}/procedures/sapa/diff", params={"old": old, "new": old},
                      headers=head).json()
    assert same["differences"] is False and same["changes"] == []
    unknown = client.get(f"{API}/procedures/sapa/diff", params={"old": "0" * 64},
                         headers=head)
    assert unknown.status_code == 404 and unknown.json()["code"] == "svc.no_version"


def test_export_is_streamed_masked_and_a_reveal_is_recorded(client: TestClient,
                                                            service: Service) -> None:
    case_id = _open(client, service)
    service.engine("en").execute(SetFact(user="kabid", role="kepala_bidang", case_id=case_id,
                                         name="contacted_sapa", value=False))
    auditor = _as(service, "audi")
    events = service.store.events(case_id)
    lines = client.get(f"{API}/audit/export", params={"format": "jsonl"},
                       headers=auditor)
    assert lines.status_code == 200 and lines.headers["content-type"].startswith(
        "application/x-ndjson")
    rows = [json.loads(line) for line in lines.text.splitlines()]
    assert len(rows) == len(events) and {r["case_id"] for r in rows} == {case_id}
    table = list(csv.reader(io.StringIO(client.get(
        f"{API}/audit/export", params={"format": "csv", "procedure": "sapa"},
        headers=auditor).text)))
    assert len(table) == len(events) + 1  # and the header
    xes = ET.fromstring(client.get(f"{API}/audit/export", headers=auditor).content)
    assert len([t for t in xes if t.tag.endswith("trace")]) == 1
    no_reason = client.get(f"{API}/audit/export", params={"include_sensitive": True},
                           headers=auditor)
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "svc.reveal_reason"
    revealed = client.get(f"{API}/audit/export", params={
        "include_sensitive": True, "reason": "permintaan pengadilan", "format": "jsonl"},
        headers=auditor)
    assert revealed.status_code == 200
    actions = [(r.action, r.detail.get("reason")) for r in service.store.audit_records()
               if r.user == "audi"]
    assert ("reveal:export", "permintaan pengadilan") in actions
    assert actions.count(("read:export", None)) == 3
    log = client.get(f"{API}/audit/log", headers=auditor).json()
    assert log[0]["action"] == "read:audit_log" or log[1]["action"] == "reveal:export"


def test_conformance_and_report_are_the_cli_s(client: TestClient, service: Service) -> None:
    from engine.analysis.audit.conformance import conformance

    case_id = _open(client, service)
    auditor = _as(service, "audi")
    answer = client.get(f"{API}/audit/conformance", headers=auditor)
    assert answer.status_code == 200
    engine = service.engine("en")
    expected = conformance(engine.store.all_events("sapa"), engine.context).to_dict()
    assert answer.json() == json.loads(json.dumps(expected))
    assert case_id in answer.text
    report = client.get(f"{API}/audit/report", params={"procedure": "sapa"}, headers=auditor)
    assert report.status_code == 200 and report.json()["title"] == engine.procedure(
        engine.store.procedures("sapa")[-1].hash).title
    refused = client.get(f"{API}/audit/report", params={"procedure": "sapa"},
                         headers=_as(service, "kabid"))
    assert refused.status_code == 403
    assert any(r.action == "refused:audit" and r.user == "kabid"
               for r in service.store.audit_records())


def test_retention_plans_then_erases_only_what_is_due(client: TestClient,
                                                      service: Service) -> None:
    case_id = _open(client, service)
    engine = service.engine("en")
    engine.execute(Terminate(user="kabid", role="kepala_bidang", case_id=case_id,
                             reason="selesai"))
    auditor = _as(service, "audi")
    assert client.post(f"{API}/retention", headers=auditor).json()["cases"] == []
    later = (engine.clock() + timedelta(days=6 * 365)).isoformat()
    plan = client.get(f"{API}/retention", params={"now": later}, headers=auditor).json()
    assert [c["case_id"] for c in plan["cases"]] == [case_id] and plan["dry_run"]
    ahead = client.post(f"{API}/retention", params={"now": later}, headers=auditor)
    assert ahead.status_code == 403  # never ahead of the clock
    clock = engine.clock
    assert isinstance(clock, Clock)
    clock.advance(days=6 * 365)
    done = client.post(f"{API}/retention", headers=auditor).json()
    assert [c["case_id"] for c in done["cases"]] == [case_id] and not done["dry_run"]
    assert service.store.events(case_id)[-1].type == "case_anonymised"
    assert any(r.action == "retention:apply" and r.case_id == case_id
               for r in service.store.audit_records())
    assert engine.verify() == []


def test_an_administrator_manages_the_users_of_their_agency(client: TestClient,
                                                            service: Service) -> None:
    admin = _as(service, "sri", "read", "write", "admin")
    made = client.post(f"{API}/users", headers=admin, json={
        "name": "rina", "roles": ["kepala_bidang"], "password": "rahasia-rina"})
    assert made.status_code == 201 and made.json()["agency"] == SAPA_AGENCY
    again = client.post(f"{API}/users", headers=admin, json={
        "name": "rina", "roles": ["x"], "password": "rahasia-rina"})
    assert again.status_code == 409
    login = client.post(f"{API}/auth/token", json={"username": "rina",
                                                   "password": "rahasia-rina"})
    assert login.status_code == 201
    rina = {"Authorization": f"Bearer {login.json()['token']}"}
    case_id = _open(client, service)
    assert client.get(f"{API}/cases/{case_id}", headers=rina).status_code == 200
    roles = client.put(f"{API}/users/rina/roles", headers=admin, json={"roles": ["pelapor"]})
    assert roles.json()["roles"] == ["pelapor"]
    service.roster.cache.at = float("-inf")  # the roster reads the accounts again at once
    assert client.get(f"{API}/cases/{case_id}", headers=rina).status_code == 403
    token = client.post(f"{API}/users/rina/tokens", headers=admin,
                        json={"scopes": ["read"], "label": "mesin"}).json()
    machine = {"Authorization": f"Bearer {token['token']}"}
    assert client.get(f"{API}/cases", headers=machine).status_code == 200
    listed = client.get(f"{API}/users/rina/tokens", headers=admin).json()
    assert {t["label"] for t in listed} == {"login", "mesin"}
    assert "token" not in listed[0]  # secrets are shown once, never listed
    assert client.delete(f"{API}/tokens/{token['id']}", headers=admin).status_code == 204
    assert client.get(f"{API}/cases", headers=machine).status_code == 401
    assert client.delete(f"{API}/tokens/{token['id']}", headers=admin).status_code == 404
    client.post(f"{API}/users/rina/disable", headers=admin)
    assert client.get(f"{API}/cases", headers=rina).json()["code"] == "svc.user_disabled"
    client.post(f"{API}/users/rina/enable", headers=admin)
    assert client.get(f"{API}/cases", headers=rina).status_code == 200
    assert client.put(f"{API}/users/rina/password", headers=admin,
                      json={"password": "baru-rahasia"}).status_code == 204
    assert client.post(f"{API}/auth/token", json={"username": "rina",
                                                  "password": "baru-rahasia"}).status_code == 201
    actions = [r.action for r in service.store.audit_records() if r.user == "sri"]
    assert actions == ["user:add", "user:roles", "user:token", "user:revoke", "user:disable",
                       "user:enable", "user:password"]
    text = json.dumps([r.detail for r in service.store.audit_records()])
    assert "rahasia-rina" not in text and token["token"] not in text


def test_an_idempotency_key_is_claimed_before_its_command_runs(client: TestClient,
                                                               service: Service) -> None:
    case_id = _open(client, service)
    reporter = _as(service, "ani")
    step = {"command": "complete_step", "role": "pelapor", "step": "menghubungi_sapa"}
    url = f"{API}/cases/{case_id}/commands"
    opened = service.store.head(case_id)
    # a request with this key is running (or its worker died): the retry does not run it
    assert service.accounts.claim("ani", "k-lost", request_fingerprint(
        case_id, wire.CompleteStepIn(**step)))
    pending = client.post(url, headers={**reporter, "Idempotency-Key": "k-lost"}, json=step)
    assert pending.status_code == 409 and pending.json()["code"] == "svc.idempotency_pending"
    assert service.store.head(case_id) == opened
    # a refused command gives its key back: the corrected retry with the same key runs
    wrong = {**step, "step": "menerima_pengaduan"}
    refused = client.post(url, headers={**reporter, "Idempotency-Key": "k-1"}, json=wrong)
    assert refused.status_code == 409 and refused.json()["rule"]
    assert service.accounts.recall("ani", "k-1") is None
    done = client.post(url, headers={**reporter, "Idempotency-Key": "k-1"}, json=step)
    assert done.status_code == 200, done.text


def test_links_and_referrals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "tujuan.yaml").write_text(MINIMAL.read_text().replace("id: contoh", "id: tujuan"))
    (folder / "sumber.yaml").write_text(_source(wait=False))
    monkeypatch.setenv("ALUR_PROCEDURES", str(folder))
    held = Service(f"sqlite:///{tmp_path / 'r.db'}", privileges={})
    held.accounts.add_user("u", hash_password("p"), frozenset({"petugas", "kepala"}),
                           "Dinas Contoh")
    engine = held.engine("en")
    engine.open_case("sumber", user="u", role="petugas", documents=(_ktp(),), case_id="src")
    for command in (CompleteStep(user="u", role="petugas", case_id="src", step="terima"),
                    SetFact(user="u", role="petugas", case_id="src", name="consent_given",
                            value=True),
                    CompleteStep(user="u", role="kepala", case_id="src", step="putus",
                                 outcome="setuju")):
        engine.execute(command)
    who = _as(held, "u")
    with TestClient(create_app(service=held)) as client:
        out = client.get(f"{API}/cases/src/links", headers=who).json()
        target = engine.case("src-ref1")
        assert [(o["direction"], o["case_id"], o["status"]) for o in out] == [
            ("out", "src-ref1", target.status)]
        back = client.get(f"{API}/cases/src-ref1/links", headers=who).json()
        assert [(b["direction"], b["case_id"]) for b in back] == [("in", "src")]
        referrals = client.get(f"{API}/referrals", headers=who).json()
        assert [(r["case_id"], r["referred_case_id"]) for r in referrals] == [
            ("src", "src-ref1")]
    held.close()


def test_serve_refuses_a_broken_roster_before_listening(tmp_path: Path) -> None:
    import subprocess
    import sys

    roster = tmp_path / "roster.yaml"
    roster.write_text("privileges:\n  audit: [auditor]\n  audit: [semua]\n", encoding="utf-8")
    done = subprocess.run([str(Path(sys.executable).parent / "alur"), "serve", "--roster",
                           str(roster), "--db", f"sqlite:///{tmp_path / 'a.db'}"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "roster.yaml:3" in done.stderr and "Traceback" not in done.stderr


def test_a_case_is_masked_unless_revealed_with_a_reason(client: TestClient,
                                                        service: Service) -> None:
    answer = client.post(f"{API}/cases", headers=_as(service, "ani"), json={
        "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True},
        "participants": {"pelapor": "Siti Aminah"}})
    assert answer.status_code == 201, answer.text
    case_id = answer.json()["case"]["case_id"]
    head = _as(service, "kabid")
    for path in ("", "/history"):
        masked = client.get(f"{API}/cases/{case_id}{path}", headers=head)
        assert masked.status_code == 200 and "Siti Aminah" not in masked.text
        shown = client.get(f"{API}/cases/{case_id}{path}", params={"reason": "pendampingan"},
                           headers=head)
        assert shown.status_code == 200 and "Siti Aminah" in shown.text
    reveals = [r for r in service.store.audit_records() if r.action == "reveal:case"]
    assert [(r.user, r.detail["reason"]) for r in reveals] == [("kabid", "pendampingan")] * 2


def test_the_login_limit_counts_per_user_and_address_within_its_window() -> None:
    import time

    from engine.service.auth import LoginLimiter

    limiter = LoginLimiter(limit=2, window=0.3)
    for _ in range(2):
        limiter.failed("ani", "10.0.0.1")
    assert limiter.blocked("ani", "10.0.0.1")
    # another user from that address, or the user from another address, is not held up
    assert not limiter.blocked("kabid", "10.0.0.1")
    assert not limiter.blocked("ani", "10.0.0.2")
    time.sleep(0.35)  # the failures fall out of the window
    assert not limiter.blocked("ani", "10.0.0.1")
    limiter.failed("ani", "10.0.0.1")
    limiter.succeeded("ani", "10.0.0.1")  # a good password clears the count
    limiter.failed("ani", "10.0.0.1")
    assert not limiter.blocked("ani", "10.0.0.1")


def test_a_case_opens_by_stored_content_hash_too(client: TestClient, service: Service) -> None:
    _open(client, service)
    digest = service.store.procedures("sapa")[-1].hash
    answer = client.post(f"{API}/cases", headers=_as(service, "ani"), json={
        "procedure": digest, "role": "pelapor", "facts": {"contacted_sapa": True}})
    assert answer.status_code == 201, answer.text
    snap = service.store.snapshot(answer.json()["case"]["case_id"])
    assert snap is not None and snap.procedure_hash == digest
