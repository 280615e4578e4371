"""The authorization matrix: every route of the service by anonymous / wrong role / right role /
other agency. The routes are read from the app itself, so a route added without a row here
fails ``test_every_route_has_a_row``.

Each row names who is the right caller, who holds the wrong role, and what each of them must
get. "Other agency" is a user holding every role, every scope and every privilege, of another
agency: whatever they ask, they see and change nothing of this agency's cases and users.
Callers are tried in the order anonymous, wrong, other, right; a refused call must leave the
case (its version) and the accounts as they were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.api import Engine
from engine.cases.commands import AttachDocument, Attachment, Terminate
from engine.service.app import Service, create_app
from engine.service.auth import hash_password
from engine.service.deps import api_routes
from tests.runtime_support import BACKENDS, make_database
from tests.service.support import SAPA_AGENCY

API = "/api/v1"
ROOT = Path(__file__).resolve().parents[2]
ALL_SCOPES = frozenset({"read", "write", "admin"})
PRIVILEGES = {"audit": frozenset({"auditor"}), "erase": frozenset({"auditor"}),
              "export_sensitive": frozenset({"auditor"})}
# name: (roles, agency, scopes)
USERS = {
    "ani": ({"pelapor"}, SAPA_AGENCY, frozenset({"read", "write"})),
    "kabid": ({"kepala_bidang"}, SAPA_AGENCY, frozenset({"read", "write"})),
    "audi": ({"auditor"}, SAPA_AGENCY, frozenset({"read", "write"})),
    "sri": ({"admin"}, SAPA_AGENCY, ALL_SCOPES),
    "kabag": ({"kepala_bidang"}, SAPA_AGENCY, ALL_SCOPES),  # admin scope, not the admin role
    "tamu": ({"pelapor"}, SAPA_AGENCY, frozenset({"read"})),  # the users routes act on
    "luar": ({"pelapor", "kepala_bidang", "sub_koordinator", "auditor", "admin"},
             "Dinas Lain Kota Lain", ALL_SCOPES),
}


@dataclass
class World:
    client: TestClient
    service: Service
    tokens: dict[str, str]
    engine: Engine

    def headers(self, user: str | None) -> dict[str, str]:
        return {} if user is None else {"Authorization": f"Bearer {self.tokens[user]}"}

    def open_case(self) -> str:
        answer = self.client.post(f"{API}/cases", headers=self.headers("ani"), json={
            "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True}})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["case"]["case_id"])

    def version(self, case_id: str) -> int:
        head = self.service.store.head(case_id)
        assert head is not None
        return head.version


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as patch, make_database(request.param, folder) as db:
        patch.setenv("ALUR_PROCEDURES", str(ROOT / "procedures"))
        held = Service(db.url, privileges=PRIVILEGES)
        tokens = {}
        for name, (roles, agency, scopes) in USERS.items():
            held.accounts.add_user(name, hash_password(f"rahasia-{name}"), frozenset(roles),
                                   agency)
            tokens[name] = held.accounts.add_token(name, "matrix", scopes)[1]
        # a second stored version of SAPA, so there is something to diff
        changed = (ROOT / "procedures" / "sapa.yaml").read_text(encoding="utf-8").replace(
            "\ntitle: ", "\ntitle: (revisi) ", 1)
        (folder / "sapa.yaml").write_text(changed, encoding="utf-8")
        engine = held.engine("en")
        engine.register(str(folder / "sapa.yaml"))
        with TestClient(create_app(service=held)) as client:
            yield World(client, held, tokens, engine)
        held.close()


@dataclass
class Call:
    """One request: method, concrete path and the keyword arguments of the test client; and
    the case it acts on (whose version a refusal must leave alone)."""

    path: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    case_id: str | None = None
    per_user: bool = False  # the body's "name" gets the caller's name (a name is taken once)


def _sensitive_document(world: World) -> tuple[str, str]:
    case_id = world.open_case()
    content = b"hasil identifikasi"
    world.engine.execute(AttachDocument(
        user="kabid", role="kepala_bidang", case_id=case_id, attachment=Attachment(
            "laporan_hasil_identifikasi", "lhi.txt", hashlib.sha256(content).hexdigest(),
            len(content), "text/plain", content)))
    return case_id, "laporan_hasil_identifikasi"


def _closed_case(world: World) -> str:
    case_id = world.open_case()
    world.engine.execute(Terminate(user="kabid", role="kepala_bidang", case_id=case_id,
                                   reason="uji"))
    return case_id


def _token_of_tamu(world: World) -> str:
    return world.service.accounts.add_token("tamu", "to revoke", frozenset({"read"}))[0].id


Make = Callable[[World], Call]
Check = Callable[[World, Call, Any], None]


def _status(expected: int) -> Check:
    def check(world: World, call: Call, answer: Any) -> None:
        assert answer.status_code == expected, answer.text
    return check


def _without_case(world: World, call: Call, answer: Any) -> None:
    """Answered, but nothing of the case shows (a listing of what the caller may see)."""
    assert answer.status_code == 200, answer.text
    assert call.case_id and call.case_id not in answer.text


def _with_case(world: World, call: Call, answer: Any) -> None:
    assert answer.status_code == 200, answer.text
    assert call.case_id and call.case_id in answer.text


def _without_tamu(world: World, call: Call, answer: Any) -> None:
    assert answer.status_code == 200 and "tamu" not in answer.text, answer.text


def _in_own_agency(world: World, call: Call, answer: Any) -> None:
    assert answer.status_code == 201, answer.text
    assert answer.json()["agency"] != SAPA_AGENCY


def _refused(status: int, code: str | None = None) -> Check:
    def check(world: World, call: Call, answer: Any) -> None:
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        if code is not None:
            assert answer.json()["code"] == code, answer.text
    return check


FORBIDDEN = _refused(403)
NOT_FOUND = _refused(404)


def AGENCY(world: World, call: Call, answer: Any) -> None:  # a check, named as the others
    """Refused for the agency, not for a role: the other agency's user holds them all."""
    _refused(403, "ACCESS_DENIED")(world, call, answer)
    assert "of agency 'Dinas Lain" in answer.json()["detail"]


@dataclass
class Row:
    make: Make
    right: str
    right_check: Check
    wrong: str
    wrong_check: Check
    other_check: Check
    why: str = ""  # when the wrong role or the other agency is answered: why that is right


def _case_call(suffix: str = "", **kwargs: Any) -> Make:
    def make(world: World) -> Call:
        case_id = world.open_case()
        return Call(f"{API}/cases/{case_id}{suffix}", kwargs, case_id)
    return make


def _listing(path: str, **kwargs: Any) -> Make:
    def make(world: World) -> Call:
        return Call(path, kwargs, world.open_case())
    return make


def _command(world: World) -> Call:
    case_id = world.open_case()
    return Call(f"{API}/cases/{case_id}/commands", {"json": {
        "command": "complete_step", "role": "pelapor", "step": "menghubungi_sapa"}}, case_id)


def _attach(world: World) -> Call:
    case_id = world.open_case()
    return Call(f"{API}/cases/{case_id}/documents", {
        "data": {"document": "laporan_hasil_identifikasi", "role": "kepala_bidang"},
        "files": {"file": ("lhi.txt", b"isi", "text/plain")}}, case_id)


def _download(world: World) -> Call:
    case_id, document = _sensitive_document(world)
    return Call(f"{API}/cases/{case_id}/documents/{document}", {"params": {"reason": "uji"}},
                case_id)


def _open(world: World) -> Call:
    return Call(f"{API}/cases", {"json": {"procedure": "sapa", "role": "pelapor",
                                          "facts": {"contacted_sapa": True}}})


def _fixed(path: str, **kwargs: Any) -> Make:
    return lambda world: Call(path, kwargs, per_user=path.endswith("/users")
                              and "json" in kwargs)


def _audit(path: str, **params: Any) -> Make:
    def make(world: World) -> Call:
        return Call(path, {"params": params}, world.open_case())
    return make


def _retention(world: World) -> Call:
    """A closed case, and a moment past its retention period (a plan may look ahead)."""
    return Call(f"{API}/retention", {"params": {"now": "2040-01-01T00:00:00+07:00"}},
                _closed_case(world))


def _retention_now(world: World) -> Call:
    return Call(f"{API}/retention", {}, _closed_case(world))


def _user(suffix: str, **kwargs: Any) -> Make:
    return _fixed(f"{API}/users/tamu{suffix}", **kwargs)


def _revoke(world: World) -> Call:
    return Call(f"{API}/tokens/{_token_of_tamu(world)}")


PUBLIC = ("procedure texts are published Standar Pelayanan: any signed-in user may read, "
          "draw or validate one; nothing of a case is in the answer")
OPERATOR = ("store-wide jobs of the operator (admin scope): the sweep records every "
            "agency's breaches as the system does, verification checks every chain")

MATRIX: dict[tuple[str, str], Row] = {
    ("GET", f"{API}/procedures"): Row(
        _fixed(f"{API}/procedures"), "kabid", _status(200), "ani", _status(200),
        lambda w, c, a: (a.status_code == 200 and a.json() == []) or pytest.fail(a.text),
        PUBLIC + "; another agency's list is empty"),
    ("POST", f"{API}/procedures/validate"): Row(
        _fixed(f"{API}/procedures/validate",
               content=(ROOT / "procedures" / "sapa.yaml").read_bytes()),
        "kabid", _status(200), "ani", _status(200), _status(200), PUBLIC),
    ("GET", f"{API}/procedures/{{procedure_id}}/graph"): Row(
        _fixed(f"{API}/procedures/sapa/graph", params={"format": "mermaid"}),
        "kabid", _status(200), "ani", _status(200), _status(200), PUBLIC),
    ("GET", f"{API}/procedures/{{procedure_id}}/diff"): Row(
        _audit(f"{API}/procedures/sapa/diff"), "kabid", _status(200), "ani", _without_case,
        AGENCY, "the changes are public; the cases they reach are listed to readers only"),
    ("POST", f"{API}/cases"): Row(_open, "ani", _status(201), "kabid", FORBIDDEN, AGENCY),
    ("GET", f"{API}/cases"): Row(_listing(f"{API}/cases"), "kabid", _with_case, "ani",
                                 _without_case, _without_case),
    ("GET", f"{API}/cases/{{case_id}}"): Row(_case_call(), "kabid", _status(200), "ani",
                                             FORBIDDEN, AGENCY),
    ("GET", f"{API}/cases/{{case_id}}/history"): Row(_case_call("/history"), "kabid",
                                                     _status(200), "ani", FORBIDDEN, AGENCY),
    ("GET", f"{API}/cases/{{case_id}}/links"): Row(_case_call("/links"), "kabid",
                                                   _status(200), "ani", FORBIDDEN, AGENCY),
    ("POST", f"{API}/cases/{{case_id}}/commands"): Row(_command, "ani", _status(200), "kabid",
                                                       FORBIDDEN, AGENCY),
    ("POST", f"{API}/cases/{{case_id}}/documents"): Row(_attach, "kabid", _status(200), "ani",
                                                        FORBIDDEN, AGENCY),
    ("GET", f"{API}/cases/{{case_id}}/documents/{{document}}"): Row(
        _download, "kabid", _status(200), "ani", FORBIDDEN, AGENCY),
    ("GET", f"{API}/inbox"): Row(_listing(f"{API}/inbox"), "ani", _with_case, "kabid",
                                 _without_case, _without_case),
    ("GET", f"{API}/due"): Row(_listing(f"{API}/due"), "kabid", _with_case, "ani",
                               _without_case, _without_case),
    ("GET", f"{API}/referrals"): Row(_listing(f"{API}/referrals"), "kabid", _status(200),
                                     "ani", _without_case, _without_case),
    ("POST", f"{API}/due/sweep"): Row(_fixed(f"{API}/due/sweep"), "sri", _status(200), "kabid",
                                      _refused(403, "svc.scope_missing"), _status(200),
                                      OPERATOR),
    ("GET", f"{API}/audit/verify"): Row(_fixed(f"{API}/audit/verify"), "sri", _status(200),
                                        "kabid", _refused(403, "svc.scope_missing"),
                                        _status(200), OPERATOR),
    ("GET", f"{API}/audit/conformance"): Row(
        _audit(f"{API}/audit/conformance", procedure="sapa"), "audi", _with_case, "kabid",
        FORBIDDEN, AGENCY),
    ("GET", f"{API}/audit/report"): Row(_audit(f"{API}/audit/report", procedure="sapa"),
                                        "audi", _status(200), "kabid", FORBIDDEN, AGENCY),
    ("GET", f"{API}/audit/export"): Row(
        _audit(f"{API}/audit/export", procedure="sapa", format="jsonl"), "audi", _with_case,
        "kabid", FORBIDDEN, AGENCY),
    ("GET", f"{API}/audit/log"): Row(
        _audit(f"{API}/audit/log"), "audi", _status(200), "kabid", FORBIDDEN, _without_case,
        "another agency's auditor reads its own agency's records only"),
    ("GET", f"{API}/retention"): Row(_retention, "audi", _with_case, "kabid", FORBIDDEN,
                                     _without_case, "another agency's eraser reaches only "
                                     "its own agency's cases"),
    ("POST", f"{API}/retention"): Row(_retention_now, "audi", _status(200), "kabid", FORBIDDEN,
                                      _without_case, "as GET"),
    ("GET", f"{API}/users"): Row(_fixed(f"{API}/users"), "sri", _status(200), "kabag",
                                 FORBIDDEN, _without_tamu, "an agency's administrator lists "
                                 "its own users only"),
    ("POST", f"{API}/users"): Row(
        _fixed(f"{API}/users", json={"name": "baru", "roles": ["pelapor"],
                                      "password": "rahasia-baru"}),
        "sri", _status(201), "kabag", FORBIDDEN, _in_own_agency,
        "a user made by another agency's administrator belongs to that agency"),
    ("POST", f"{API}/users/{{name}}/disable"): Row(_user("/disable"), "sri", _status(200),
                                                   "kabag", FORBIDDEN, NOT_FOUND),
    ("POST", f"{API}/users/{{name}}/enable"): Row(_user("/enable"), "sri", _status(200),
                                                  "kabag", FORBIDDEN, NOT_FOUND),
    ("PUT", f"{API}/users/{{name}}/roles"): Row(_user("/roles", json={"roles": ["pelapor"]}),
                                                "sri", _status(200), "kabag", FORBIDDEN,
                                                NOT_FOUND),
    ("PUT", f"{API}/users/{{name}}/password"): Row(
        _user("/password", json={"password": "rahasia-tamu"}), "sri", _status(204), "kabag",
        FORBIDDEN, NOT_FOUND),
    ("GET", f"{API}/users/{{name}}/tokens"): Row(_user("/tokens"), "sri", _status(200),
                                                 "kabag", FORBIDDEN, NOT_FOUND),
    ("POST", f"{API}/users/{{name}}/tokens"): Row(_user("/tokens", json={"scopes": ["read"]}),
                                                  "sri", _status(201), "kabag", FORBIDDEN,
                                                  NOT_FOUND),
    ("DELETE", f"{API}/tokens/{{token_id}}"): Row(_revoke, "sri", _status(204), "kabag",
                                                  FORBIDDEN, NOT_FOUND),
}

# webhooks: subscriptions to one agency's procedures, administered by that agency only
HOOKS = f"{API}/webhooks"


def _subscription(world: World) -> Call:
    sub = world.service.outbox.add("https://gateway.example/matrix", procedure_id="sapa")
    return Call(f"{HOOKS}/subscriptions/{sub.id}")


def _hooks(path: str, **kwargs: Any) -> Make:
    def make(world: World) -> Call:
        world.service.outbox.add("https://gateway.example/matrix", procedure_id="sapa")
        return Call(path, kwargs)
    return make


def _listed(world: World, call: Call, answer: Any) -> None:
    assert answer.status_code == 200 and answer.json(), answer.text


def _nothing_listed(world: World, call: Call, answer: Any) -> None:
    """Answered with none of this agency's subscriptions or dead letters."""
    assert answer.status_code == 200 and answer.json() in ([], {"requeued": 0}), answer.text


MATRIX.update({
    ("GET", f"{HOOKS}/subscriptions"): Row(
        _hooks(f"{HOOKS}/subscriptions"), "sri", _listed, "kabid",
        _refused(403, "svc.scope_missing"), _nothing_listed,
        "another agency's administrator lists its own agency's subscriptions only"),
    ("POST", f"{HOOKS}/subscriptions"): Row(
        _fixed(f"{HOOKS}/subscriptions", json={"url": "https://gateway.example/new",
                                               "procedure": "sapa", "allow_sensitive": True}),
        "sri", _status(201), "kabid", _refused(403, "svc.scope_missing"),
        _refused(403, "hook.other_agency")),
    ("DELETE", f"{HOOKS}/subscriptions/{{webhook_id}}"): Row(
        _subscription, "sri", _status(204), "kabid", _refused(403, "svc.scope_missing"),
        _refused(404, "hook.no_subscription")),
    ("GET", f"{HOOKS}/dead"): Row(
        _hooks(f"{HOOKS}/dead"), "sri", _status(200), "kabid",
        _refused(403, "svc.scope_missing"), _nothing_listed, "as the subscriptions"),
    ("POST", f"{HOOKS}/retry"): Row(
        _hooks(f"{HOOKS}/retry", json={}), "sri", _status(200), "kabid",
        _refused(403, "svc.scope_missing"), _nothing_listed, "as the subscriptions"),
})

# no token needed, on purpose: signing in, and what monitoring and the docs read
OPEN = {("POST", f"{API}/auth/token"), ("GET", "/healthz"), ("GET", "/readyz"),
        ("GET", "/metrics")}


def test_every_route_has_a_row() -> None:
    app = create_app("memory://")
    routes = {(method, path) for path, methods, _ in api_routes(app) for method in methods
              if method != "HEAD" and path.startswith(("/api/v1/", "/healthz", "/readyz",
                                                       "/metrics"))
              and not path.endswith(("/openapi.json", "/docs"))}
    assert routes - OPEN - set(MATRIX) == set(), "routes without a row in MATRIX"
    assert set(MATRIX) - routes == set(), "rows for routes that do not exist"


def _accounts_state(world: World) -> list[Any]:
    return [(u.name, u.roles, u.disabled, u.password_hash) for u in world.service.accounts.users()
            ] + [(t.id, t.revoked_at) for t in world.service.accounts.tokens()]


@pytest.mark.parametrize("route", sorted(MATRIX), ids=" ".join)
def test_the_matrix(world: World, route: tuple[str, str]) -> None:
    method, _ = route
    row = MATRIX[route]
    call = row.make(world)
    before = world.version(call.case_id) if call.case_id else None
    accounts = _accounts_state(world)

    def ask(user: str | None) -> Any:
        kwargs = dict(call.kwargs)
        if call.per_user:
            kwargs["json"] = {**kwargs["json"], "name": f"{kwargs['json']['name']}-{user}"}
        return world.client.request(method, call.path, headers=world.headers(user), **kwargs)

    anonymous = ask(None)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "svc.auth_required"
    for who, check in ((row.wrong, row.wrong_check), ("luar", row.other_check)):
        answer = ask(who)
        check(world, call, answer)
        if answer.status_code >= 400:  # a refusal changes nothing
            if before is not None:
                assert world.version(call.case_id or "") == before
            assert _accounts_state(world) == accounts
    row.right_check(world, call, ask(row.right))


def test_an_other_agency_refusal_is_recorded(world: World) -> None:
    case_id = world.open_case()
    world.client.get(f"{API}/cases/{case_id}", headers=world.headers("luar"))
    records = [r for r in world.service.store.audit_records()
               if r.user == "luar" and r.rule == "access.agency"]
    assert records and "Dinas Lain" in records[-1].detail["message"]
