"""``make reliability``: ``alur serve`` under load and a SIGKILL, on PostgreSQL.

Two worker processes share one PostgreSQL schema; 16 clients drive at least 5,000 commands over
HTTP on loopback, on about 200 cases and on one shared case; one worker is killed with SIGKILL
when 40 % of the commands are done and started again. The checks are in
:mod:`tests.reliability.service_load`: every 2xx command in the store exactly once, no duplicate
event number, every chain verified, exactly one breach per passed deadline; and, with a webhook
subscription to a local receiver active through the load and the kill, every stored event's
outbox row delivered or dead-lettered, none lost, nothing delivered that is not in the store.
The figures go to the reliability summary (docs/reliability.md quotes a run).

It runs only when the reliability suite is asked for (``pytest -m reliability``), being a
few minutes long; ``tests/service/test_service_load_smoke.py`` is its short form in every run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.service_load import Plan, run
from tests.reliability.summary import record
from tests.runtime_support import make_database

pytestmark = [pytest.mark.reliability, pytest.mark.postgres, pytest.mark.slow]


def test_the_service_under_load_with_a_worker_killed(request: pytest.FixtureRequest,
                                                     tmp_path: Path) -> None:
    if "reliability" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("minutes long: runs with make reliability (pytest -m reliability)")
    with make_database("postgres", tmp_path) as db:
        plan = Plan()
        figures = run(db.url, tmp_path, plan)
    record("service_load[postgres]", figures)
    assert figures["commands_answered_2xx"] + figures["commands_unknown"] >= plan.commands
    assert figures["kills"] == 1
    assert figures["webhook_rows"] == figures["events"]  # one subscription wants every event
    assert figures["webhooks_delivered"] + figures["webhooks_dead"] == figures["webhook_rows"]
    assert figures["webhook_posts_refused_503"] > 0  # retries ran during the load
