"""schemathesis against the live app, from its own OpenAPI document: whatever it sends, no
response is a 5xx and every response matches the schema (status, content type, body)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from engine.service.app import Service, create_app
from engine.service.auth import hash_password

_HELD: dict[str, object] = {}


def _app() -> object:
    held = Service("memory://")
    held.accounts.add_user("kabid", hash_password("rahasia"),
                           frozenset({"kepala_bidang", "admin", "pelapor"}), "x")
    _, secret = held.accounts.add_token("kabid", "fuzz", frozenset({"read", "write", "admin"}))
    _HELD["token"] = secret
    return create_app(service=held)


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())


@schema.auth()
class _Token:
    """The API token, given as schemathesis' auth so that its own checks (a missing or a wrong
    token must be refused) send requests without it."""

    def get(self, case: schemathesis.Case, context: object) -> str:
        return str(_HELD["token"])

    def set(self, case: schemathesis.Case, data: str, context: object) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(autouse=True)
def _procedures(procedures_env: Path) -> Iterator[None]:
    yield


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_no_server_error_and_every_answer_matches_the_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()
