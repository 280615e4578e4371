"""The HTTP service end to end, on SQLite and PostgreSQL: authentication, the auth matrix,
problem details with the engine's rules in the asked language, ETag/If-Match, Idempotency-Key,
and a Mediasi-free SAPA case driven over HTTP from opening to its next steps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.service.app import Service, create_app
from engine.service.auth import hash_password
from tests.runtime_support import BACKENDS, make_database
from tests.service.support import SAPA_AGENCY

API = "/api/v1"


@pytest.fixture(params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path: Path,
            procedures_env: Path) -> Iterator[Service]:
    with make_database(request.param, tmp_path) as db:
        held = Service(db.url)
        accounts = held.accounts
        for name, role in (("ani", "pelapor"), ("sri", "admin")):
            accounts.add_user(name, hash_password(f"rahasia-{name}"), frozenset({role}),
                              SAPA_AGENCY)
        accounts.add_user("kabid", hash_password("rahasia-kabid"),
                          frozenset({"kepala_bidang"}), SAPA_AGENCY)
        try:
            yield held
        finally:
            held.close()


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service=service)) as made:
        yield made


def _token(client: TestClient, user: str) -> dict[str, str]:
    answer = client.post(f"{API}/auth/token",
                         json={"username": user, "password": f"rahasia-{user}"})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _open(client: TestClient, who: dict[str, str]) -> dict[str, Any]:
    answer = client.post(f"{API}/cases", headers=who, json={
        "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True}})
    assert answer.status_code == 201, answer.text
    assert answer.headers["etag"] == f'"{answer.json()["case"]["version"]}"'
    return dict(answer.json()["case"])


def test_every_api_route_needs_a_token(client: TestClient) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    for path, methods in schema["paths"].items():
        if not path.startswith(API) or path.endswith("/auth/token"):
            continue
        for method in methods:
            concrete = path.replace("{case_id}", "sapa-x")
            answer = client.request(method.upper(), concrete, json={})
            assert answer.status_code == 401, (method, path, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] == "svc.auth_required"
            assert answer.headers["www-authenticate"] == "Bearer"


def test_a_wrong_password_is_refused_recorded_and_then_rate_limited(
        client: TestClient, service: Service) -> None:
    for _ in range(5):
        answer = client.post(f"{API}/auth/token", json={"username": "ani", "password": "no"})
        assert answer.status_code == 401 and answer.json()["code"] == "svc.login_failed"
    blocked = client.post(f"{API}/auth/token",
                          json={"username": "ani", "password": "rahasia-ani"})
    assert blocked.status_code == 429 and blocked.headers["retry-after"]
    refusals = [r for r in service.store.audit_records() if r.action == "refused:login"]
    assert len(refusals) == 5 and all(r.user == "ani" for r in refusals)


def test_a_revoked_token_and_a_disabled_user_stop_at_once(client: TestClient,
                                                          service: Service) -> None:
    who = _token(client, "kabid")
    assert client.get(f"{API}/cases", headers=who).status_code == 200
    token = service.accounts.tokens("kabid")[0]
    assert service.accounts.revoke(token.id)
    assert client.get(f"{API}/cases", headers=who).json()["code"] == "svc.auth_invalid"
    again = _token(client, "kabid")
    service.accounts.set_disabled("kabid", True)
    refused = client.get(f"{API}/cases", headers=again)
    assert refused.status_code == 403 and refused.json()["code"] == "svc.user_disabled"


def test_scopes_limit_what_a_token_does(client: TestClient, service: Service) -> None:
    _, secret = service.accounts.add_token("ani", "reader", frozenset({"read"}))
    reader = {"Authorization": f"Bearer {secret}"}
    answer = client.post(f"{API}/cases", headers=reader,
                         json={"procedure": "sapa", "role": "pelapor"})
    assert answer.status_code == 403 and answer.json()["code"] == "svc.scope_missing"
    assert client.post(f"{API}/due/sweep", headers=_token(client, "sri")).status_code == 403


def test_a_case_over_http_with_etag_if_match_and_idempotency(client: TestClient) -> None:
    reporter, admin = _token(client, "ani"), _token(client, "sri")
    case = _open(client, reporter)
    url = f"{API}/cases/{case['case_id']}"
    # the reporter (an outside party) may not read the file; the admin may, masked
    assert client.get(url, headers=reporter).status_code == 403
    shown = client.get(url, headers=admin)
    assert shown.status_code == 200 and shown.headers["etag"] == f'"{case["version"]}"'
    step = {"command": "complete_step", "role": "pelapor", "step": "menghubungi_sapa"}
    stale = client.post(f"{url}/commands", headers={**reporter, "If-Match": '"1"'}, json=step)
    assert stale.status_code == 412 and stale.json()["code"] == "svc.precondition"
    retried = {**reporter, "Idempotency-Key": "langkah-1", "If-Match": shown.headers["etag"]}
    first = client.post(f"{url}/commands", headers=retried, json=step)
    assert first.status_code == 200, first.text
    assert first.json()["case"]["current_step"] != "menghubungi_sapa"
    again = client.post(f"{url}/commands", headers=retried, json=step)
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    history = client.get(f"{url}/history", headers=admin).json()
    assert [e["type"] for e in history].count("step_completed") == 1  # not completed twice
    reused = client.post(f"{url}/commands", headers={**reporter, "Idempotency-Key": "langkah-1"},
                         json={**step, "step": "menerima_pengaduan"})
    assert reused.status_code == 422 and reused.json()["code"] == "svc.idempotency_reused"


def test_a_refusal_is_a_409_with_the_rule_and_hint_in_the_asked_language(
        client: TestClient) -> None:
    reporter = _token(client, "ani")
    case = _open(client, reporter)
    wrong = {"command": "complete_step", "role": "pelapor", "step": "menerima_pengaduan"}
    url = f"{API}/cases/{case['case_id']}/commands"
    english = client.post(url, headers=reporter, json=wrong)
    indonesian = client.post(url, headers={**reporter, "Accept-Language": "id, en;q=0.5"},
                             json=wrong)
    for answer in (english, indonesian):
        assert answer.status_code == 409
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["rule"] == indonesian.json()["rule"]
        assert answer.json()["hint"]
    assert english.json()["detail"] != indonesian.json()["detail"]
    assert "langkah" in indonesian.json()["detail"]


def test_bad_bodies_are_422_problems_never_500(client: TestClient) -> None:
    reporter = _token(client, "ani")
    for body in ({"procedure": "sapa"}, {"procedure": "../etc", "role": "pelapor"},
                 {"procedure": "sapa", "role": "pelapor", "extra": 1}, []):
        answer = client.post(f"{API}/cases", headers=reporter, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["code"] == "svc.request_invalid" and answer.json()["errors"]
    missing = client.post(f"{API}/cases", headers=reporter,
                          json={"procedure": "tidak_ada", "role": "pelapor"})
    assert missing.status_code == 404


def test_the_inbox_and_listings_show_only_what_the_roles_may_read(client: TestClient) -> None:
    reporter, head = _token(client, "ani"), _token(client, "kabid")
    case = _open(client, reporter)
    assert client.get(f"{API}/cases", headers=reporter).json() == []
    listed = client.get(f"{API}/cases", headers=head).json()
    assert [c["case_id"] for c in listed] == [case["case_id"]]
    refused = client.get(f"{API}/inbox?role=admin", headers=head)
    assert refused.status_code == 403 and refused.json()["code"] == "svc.role_not_held"


def test_validate_an_uploaded_procedure_reports_located_diagnostics(client: TestClient) -> None:
    who = _token(client, "kabid")
    good = (Path(__file__).resolve().parents[2] / "procedures" / "sapa.yaml").read_bytes()
    assert client.post(f"{API}/procedures/validate", headers=who, content=good).json()["valid"]
    broken = client.post(f"{API}/procedures/validate", headers=who,
                         content=b"id: x\nsteps: [\n").json()
    assert not broken["valid"] and broken["diagnostics"][0]["line"] >= 1


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_the_api_finds_a_case_by_its_short_number(client: TestClient) -> None:
    reporter, admin = _token(client, "ani"), _token(client, "sri")
    case = _open(client, reporter)
    assert case["number"].startswith("SAP-") and case["number"] != case["case_id"]
    by_number = f"{API}/cases/{case['number'].lower()}"  # as typed: case does not matter
    shown = client.get(by_number, headers=admin)
    assert shown.status_code == 200 and shown.json()["case_id"] == case["case_id"]
    step = {"command": "complete_step", "role": "pelapor", "step": "menghubungi_sapa"}
    done = client.post(f"{by_number}/commands", headers=reporter, json=step)
    assert done.status_code == 200 and done.json()["case"]["case_id"] == case["case_id"]
    listed = client.get(f"{API}/cases", headers=admin).json()
    assert {c["number"] for c in listed} == {case["number"]}
    assert client.get(f"{API}/cases/SAP-1999-0001", headers=admin).status_code == 404


def test_an_outside_users_id_is_masked_in_every_response(client: TestClient) -> None:
    """The reporter's own id (their login here, their participant name too) is personal data:
    the command's events and every state and history the API answers show it masked."""
    reporter, admin = _token(client, "ani"), _token(client, "sri")
    opened = client.post(f"{API}/cases", headers=reporter, json={
        "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True}})
    assert opened.status_code == 201, opened.text
    url = f"{API}/cases/{opened.json()['case']['case_id']}"
    done = client.post(f"{url}/commands", headers=reporter, json={
        "command": "complete_step", "role": "pelapor", "step": "menghubungi_sapa"})
    assert done.status_code == 200, done.text
    shown, history = client.get(url, headers=admin), client.get(f"{url}/history", headers=admin)
    for answer in (opened, done):
        assert answer.json()["events"] and {e["user"] for e in answer.json()["events"]} == {"•••"}
        assert {p["user"] for p in answer.json()["case"]["state"]["path"]} <= {"•••"}
    assert {p["user"] for p in shown.json()["state"]["path"]} == {"•••"}
    assert {e["user"] for e in history.json()} == {"•••"}
    for answer in (opened, done, shown, history):
        assert '"ani"' not in answer.text and "$salts" not in answer.text
