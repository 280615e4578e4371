"""The short form of the service's load and fault test (``tests/reliability/
test_service_load.py``): two ``alur serve`` workers on PostgreSQL, 4 clients, 200 commands, one
worker killed with SIGKILL and restarted, a webhook receiver subscribed throughout; the same
checks afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.service_load import Plan, run
from tests.runtime_support import make_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_two_workers_a_kill_and_nothing_lost_or_doubled(tmp_path: Path) -> None:
    with make_database("postgres", tmp_path) as db:
        plan = Plan(clients=4, commands=200, cases=12, seeded=3, time_limit=90.0)
        figures = run(db.url, tmp_path, plan)
    assert figures["kills"] == 1 and figures["breaches"] == plan.seeded + 1  # and the shared case
    assert figures["commands_answered_2xx"] + figures["commands_unknown"] >= plan.commands
    assert figures["webhooks_delivered"] + figures["webhooks_dead"] == figures["webhook_rows"]
    assert figures["webhook_rows"] == figures["events"]
