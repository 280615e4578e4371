"""Browser sessions of the workspace, on SQLite and PostgreSQL: cookies with the right flags,
secrets hashed at rest, expiry on the service's clock, the end of a session on logout, password
change and disable, CSRF on every form, and failed logins limited and recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from engine.service.app import Service, create_app
from engine.service.auth import hash_password
from engine.service.sessions import SESSION_COOKIE, csrf_token
from engine.store.accounts import token_digest
from tests.runtime_support import BACKENDS, make_database

BASE = "https://testserver"  # Secure cookies travel only over https


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=BACKENDS)
def held(request: pytest.FixtureRequest, tmp_path: Path,
         procedures_env: Path) -> Iterator[tuple[Service, Clock]]:
    clock = Clock()
    with make_database(request.param, tmp_path) as db:
        service = Service(db.url, clock=clock)
        service.accounts.add_user("pendamping1", hash_password("rahasia-1"),
                                  frozenset({"pendamping_ppa"}), "x")
        try:
            yield service, clock
        finally:
            service.close()


@pytest.fixture
def client(held: tuple[Service, Clock]) -> Iterator[TestClient]:
    with TestClient(create_app(service=held[0]), base_url=BASE) as made:
        yield made


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def _login(client: TestClient, user: str = "pendamping1", password: str = "rahasia-1") -> str:
    token = _csrf(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "username": user,
                                         "password": password}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return _csrf(client.get("/inbox").text)


def test_login_sets_a_secure_httponly_lax_cookie_whose_secret_is_stored_only_hashed(
        client: TestClient, held: tuple[Service, Clock]) -> None:
    token = _csrf(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "username": "pendamping1",
                                         "password": "rahasia-1"}, follow_redirects=False)
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith(SESSION_COOKIE + "="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
    secret = cookie.split(";")[0].partition("=")[2]
    found = held[0].accounts.session(secret, held[1]().timestamp())
    assert found is not None and found[1].name == "pendamping1"
    # the store holds the digest, never the secret: the secret itself finds nothing
    assert held[0].accounts.session(token_digest(secret), held[1]().timestamp()) is None
    assert client.get("/inbox").status_code == 200


def test_a_post_without_the_sessions_csrf_token_is_refused_and_does_nothing(
        client: TestClient, held: tuple[Service, Clock]) -> None:
    good = _login(client)
    form = {"procedure": "sapa", "role": "pendamping_ppa"}
    for token in (None, "", "0" * 64, csrf_token("another-session")):
        data = dict(form) if token is None else {**form, "csrf": token}
        answer = client.post("/cases/new", data=data, follow_redirects=False)
        assert answer.status_code == 403, token
    assert not list(held[0].store.iter_cases())
    # logging out also needs the token: a page elsewhere cannot sign the user out
    assert client.post("/logout", data={"csrf": "x"}).status_code == 403
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    assert client.post("/logout", data={"csrf": good},
                       follow_redirects=False).status_code == 303


def test_the_login_form_itself_needs_its_pre_login_token(client: TestClient) -> None:
    answer = client.post("/login", data={"username": "pendamping1", "password": "rahasia-1"},
                         follow_redirects=False)
    assert answer.status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_a_session_expires_on_the_services_clock(client: TestClient,
                                                 held: tuple[Service, Clock]) -> None:
    _login(client)
    held[1].now += timedelta(hours=7, minutes=59)
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    held[1].now += timedelta(minutes=2)
    answer = client.get("/inbox", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_logout_ends_the_session_in_the_store_not_only_in_the_browser(
        client: TestClient) -> None:
    token = _login(client)
    stolen = client.cookies[SESSION_COOKIE]
    client.post("/logout", data={"csrf": token}, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, stolen)  # a copy of the cookie kept elsewhere
    assert client.get("/inbox", follow_redirects=False).headers["location"] == "/login"


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_password_change_or_a_disable_ends_every_session_of_the_user(
        client: TestClient, held: tuple[Service, Clock], change: str) -> None:
    _login(client)
    if change == "password":
        held[0].accounts.set_password("pendamping1", hash_password("baru"))
    else:
        held[0].accounts.set_disabled("pendamping1", True)
    assert client.get("/inbox", follow_redirects=False).headers["location"] == "/login"


def test_failed_logins_are_recorded_and_then_limited(client: TestClient,
                                                     held: tuple[Service, Clock]) -> None:
    for _ in range(5):
        token = _csrf(client.get("/login").text)
        answer = client.post("/login", data={"csrf": token, "username": "pendamping1",
                                             "password": "salah"})
        assert answer.status_code == 401
        assert "nama pengguna atau kata sandi salah" in answer.text
    token = _csrf(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "username": "pendamping1",
                                         "password": "rahasia-1"})
    assert answer.status_code == 429  # blocked before the password is even checked
    refused = [r for r in held[0].store.audit_records() if r.action == "refused:login"]
    assert len(refused) == 5 and all(r.user == "pendamping1" for r in refused)


def test_the_api_never_takes_the_session_cookie(client: TestClient) -> None:
    _login(client)
    assert client.get("/api/v1/inbox").status_code == 401
