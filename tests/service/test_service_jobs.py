"""What the service does besides answering: the deadline sweep (one worker at a time, each
breach once), Prometheus metrics without personal data, documents up and down (a sensitive one
only with a recorded reason), and the procedure graph."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from engine.service.app import Service, create_app
from engine.service.auth import hash_password
from engine.service.scheduler import Sweeper
from tests.runtime_support import BACKENDS, make_database
from tests.service.support import SAPA_AGENCY

API = "/api/v1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path,
           procedures_env: Path) -> Iterator[tuple[str, Clock]]:
    with make_database(request.param, tmp_path) as db:
        yield db.url, Clock()


def _client(service: Service) -> TestClient:
    service.accounts.add_user("ani", hash_password("p"), frozenset({"pelapor"}), SAPA_AGENCY)
    service.accounts.add_user("sri", hash_password("p"),
                              frozenset({"admin", "sub_koordinator"}), SAPA_AGENCY)
    return TestClient(create_app(service=service))


def _bearer(service: Service, user: str, *scopes: str) -> dict[str, str]:
    _, secret = service.accounts.add_token(user, "t", frozenset(scopes or ("read", "write")))
    return {"Authorization": f"Bearer {secret}"}


def test_two_workers_sweep_one_at_a_time_and_record_each_breach_once(
        stores: tuple[str, Clock]) -> None:
    url, clock = stores
    first, second = Service(url, clock=clock), Service(url, clock=clock)
    try:
        client = _client(first)
        opened = client.post(f"{API}/cases", headers=_bearer(first, "ani"), json={
            "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True}})
        assert opened.status_code == 201, opened.text
        case_id = opened.json()["case"]["case_id"]
        one = Sweeper(first.engine("en"), first.accounts, interval=60)
        other = Sweeper(second.engine("en"), second.accounts, interval=60)
        assert one.tick() == 0  # nothing due yet; the first worker holds the lease now
        assert other.tick() is None  # the lease is the first worker's: the second waits
        clock.now = START + timedelta(days=30)
        assert one.tick() == 1
        assert other.tick() is None
        assert one.tick() == 0  # idempotent: the breach is not recorded again
        clock.now = START + timedelta(days=31)  # the first worker's lease (120 s) has run out
        assert other.tick() == 0
        events = first.engine("en").events(case_id)
        breaches = [e for e in events if e.type == "deadline_breached"]
        assert len(breaches) == 1 and breaches[0].at <= clock.now.isoformat()
    finally:
        first.close()
        second.close()


def test_metrics_count_requests_commands_and_refusals_without_ids(
        stores: tuple[str, Clock]) -> None:
    url, clock = stores
    service = Service(url, clock=clock)
    try:
        client = _client(service)
        reporter = _bearer(service, "ani")
        case_id = client.post(f"{API}/cases", headers=reporter, json={
            "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True}},
        ).json()["case"]["case_id"]
        wrong = {"command": "complete_step", "role": "pelapor", "step": "menerima_pengaduan"}
        assert client.post(f"{API}/cases/{case_id}/commands", headers=reporter,
                           json=wrong).status_code == 409
        text = client.get("/metrics").text
        assert 'alur_refusals_total{rule="guard.not_current"} 1.0' in text
        assert 'alur_commands_total{command="complete_step",result="refused"} 1.0' in text
        assert 'route="/api/v1/cases/{case_id}/commands"' in text
        assert case_id not in text and "ani" not in text
    finally:
        service.close()


def test_documents_up_and_down_a_sensitive_one_only_with_a_recorded_reason(
        stores: tuple[str, Clock]) -> None:
    url, clock = stores
    service = Service(url, clock=clock)
    try:
        client = _client(service)
        case_id = client.post(f"{API}/cases", headers=_bearer(service, "ani"), json={
            "procedure": "sapa", "role": "pelapor", "facts": {"contacted_sapa": True}},
        ).json()["case"]["case_id"]
        staff = _bearer(service, "sri")
        url_docs = f"{API}/cases/{case_id}/documents"
        refused = client.post(url_docs, headers=staff, data={
            "document": "laporan_hasil_identifikasi", "role": "sub_koordinator"},
            files={"file": ("x.exe", b"MZ", "application/x-msdownload")})
        assert refused.status_code == 422 and refused.json()["code"] == "svc.media_type"
        big = client.post(url_docs, headers=staff, data={
            "document": "laporan_hasil_identifikasi", "role": "sub_koordinator"},
            files={"file": ("a.pdf", b"0" * (10 * 1024 * 1024 + 1), "application/pdf")})
        assert big.status_code == 413
        sent = client.post(url_docs, headers=staff, data={
            "document": "laporan_hasil_identifikasi", "role": "sub_koordinator"},
            files={"file": ("identifikasi.pdf", b"%PDF-1.4 isi", "application/pdf")})
        assert sent.status_code == 200, sent.text
        down = f"{url_docs}/laporan_hasil_identifikasi"
        no_reason = client.get(down, headers=staff)
        assert no_reason.status_code == 422 and no_reason.json()["code"] == "svc.reveal_reason"
        got = client.get(down, params={"reason": "verifikasi kepala bidang"}, headers=staff)
        assert got.status_code == 200 and got.content == b"%PDF-1.4 isi"
        reveals = [r for r in service.store.audit_records(case_id)
                   if r.action == "reveal:case"]
        assert [(r.user, r.detail["reason"]) for r in reveals] == [
            ("sri", "verifikasi kepala bidang")]
    finally:
        service.close()


def test_the_graph_of_a_procedure(stores: tuple[str, Clock]) -> None:
    url, clock = stores
    service = Service(url, clock=clock)
    try:
        client = _client(service)
        who = _bearer(service, "sri")
        mermaid = client.get(f"{API}/procedures/sapa/graph?format=mermaid", headers=who)
        assert mermaid.status_code == 200 and mermaid.text.startswith(("flowchart", "%%"))
        assert client.get(f"{API}/procedures/nope/graph", headers=who).status_code == 404
    finally:
        service.close()
