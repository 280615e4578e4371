"""The workspace pages in-process (the flows in a real browser are in tests/browser): security
headers on every page, no script anywhere, the language switch, who sees the audit pages, a
refused form that keeps its values, masked exports, and pages left out of the API's schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from engine.service.app import Service, create_app
from engine.service.auth import hash_password
from engine.service.pages import SECURITY_HEADERS

BASE = "https://testserver"


@pytest.fixture
def client(tmp_path: Path, procedures_env: Path) -> Iterator[TestClient]:
    service = Service(f"sqlite:///{tmp_path / 'alur.db'}")
    for user, role in (("pendamping1", "pendamping_ppa"), ("auditor1", "auditor")):
        service.accounts.add_user(user, hash_password(f"rahasia-{user}"), frozenset({role}),
                                  "x")
    try:
        with TestClient(create_app(service=service), base_url=BASE) as made:
            yield made
    finally:
        service.close()


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert found
    return found.group(1)


def _login(client: TestClient, user: str) -> str:
    token = _csrf(client.get("/login").text)
    client.post("/login", data={"csrf": token, "username": user,
                                "password": f"rahasia-{user}"})
    return _csrf(client.get("/inbox").text)


def _open(client: TestClient, token: str, **fields: str) -> str:
    answer = client.post("/cases/new", data={
        "csrf": token, "procedure": "mediasi", "role": "pendamping_ppa",
        "fact:victim_is_child": "false", "fact:perpetrator_is_child": "false",
        "fact:has_special_needs": "false", "part:pihak_korban": "Ibu A.", **fields},
        files={"doc:identitas_penerima_manfaat": ("ktp.txt", b"KTP (fiktif)", "text/plain")},
        follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_every_page_carries_the_security_headers_and_no_inline_script(
        client: TestClient) -> None:
    token = _login(client, "pendamping1")
    case = _open(client, token)
    pages = ["/login", "/inbox", "/cases/new?procedure=mediasi", case, "/procedures",
             "/procedures/mediasi", "/preview", "/audit", "/static/alur.css"]
    for path in pages:
        answer = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            if name != "Cache-Control" or path != "/static/alur.css":
                assert answer.headers[name] == value, (path, name)
        scripts = re.findall(r"<script[^>]*>", answer.text)
        assert all(re.fullmatch(r'<script src="/static/\w+\.js" defer>', tag)
                   for tag in scripts), (path, scripts)  # files of this origin, never inline
        tags = " ".join(re.findall(r"<[a-z][^>]*>", answer.text))
        assert not re.search(r"\s(style|on[a-z]+)\s*=", tags), path  # no inline style/handler
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert client.get("/static/inbox.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/..%2Fpages.py").status_code == 404


def test_pages_are_indonesian_by_default_and_switch_to_english(client: TestClient) -> None:
    _login(client, "pendamping1")
    assert "<h1>Kotak masuk</h1>" in client.get("/inbox").text
    answer = client.get("/lang/en?next=/procedures", follow_redirects=False)
    assert answer.headers["location"] == "/procedures"
    assert '<html lang="en">' in client.get("/inbox").text
    assert "<h1>Inbox</h1>" in client.get("/inbox").text
    # the switch returns only to this site
    for target in ("//evil.example/x", "https://evil.example", "/\\evil"):
        assert client.get(f"/lang/id?next={target}",
                          follow_redirects=False).headers["location"] == "/inbox"


def test_a_refused_step_keeps_what_was_typed_and_shows_the_rule(client: TestClient) -> None:
    token = _login(client, "pendamping1")
    case = _open(client, token)
    client.post(f"{case}/step", data={"csrf": token, "step": "asesmen_awal",
                                      "role": "pendamping_ppa"})
    answer = client.post(f"{case}/step", data={"csrf": token, "step": "asesmen_lanjutan",
                                               "role": "pendamping_ppa",
                                               "note": "catatan <b>penting</b>"})
    assert answer.status_code == 409
    assert "guard.participants" in answer.text and "Cara memperbaiki" in answer.text
    assert "catatan &lt;b&gt;penting&lt;/b&gt;</textarea>" in answer.text  # kept, escaped


def test_the_audit_pages_are_for_auditors_and_exports_stay_masked(client: TestClient) -> None:
    token = _login(client, "pendamping1")
    _open(client, token)
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/export.csv", follow_redirects=False).status_code == 303
    client.cookies.clear()
    _login(client, "auditor1")
    page = client.get("/audit")
    assert page.status_code == 200 and "Verifikasi rantai" in page.text
    assert re.search(r"Kasus dibuka</dt><dd>1<", page.text)
    # a period before the case: nothing opened in it
    earlier = client.get("/audit?procedure=mediasi&start=2020-01-01&end=2020-12-31").text
    assert re.search(r"Kasus dibuka</dt><dd>0<", earlier)
    exported = client.get("/audit/export.csv")
    assert exported.status_code == 200 and "attachment" in exported.headers[
        "content-disposition"]
    assert "mediasi-" in exported.text and "Ibu A." not in exported.text


def test_the_pages_are_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths and all(path.startswith("/api/v1/") or path in ("/metrics", "/healthz",
                                                                 "/readyz") for path in paths)
