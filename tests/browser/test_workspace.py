"""User flows of the workspace in headless Chromium, one test per flow (docs/workspace.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import USERS, Server

pytestmark = pytest.mark.slow


def test_each_role_logs_in_and_sees_its_inbox(as_user: Callable[..., Any], server: Server,
                                              shoot: Callable[[Any, str], Any],
                                              axe: Callable[[Any], list[Any]]) -> None:
    for user, roles in USERS.items():
        page = as_user(user)
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text() == "Kotak masuk"
        assert user in page.locator("header").inner_text()
        assert (page.get_by_role("link", name="Audit").count() == 1) is bool(
            {"auditor", "admin"} & set(roles))
    shoot(page, "inbox")
    assert axe(page) == []
