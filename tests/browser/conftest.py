"""The workspace in a real browser: headless Chromium from the OS packages (``make install``
installs it with apt, as it does Graphviz) driven by Playwright for Python, which is pointed at
that binary and never downloads a browser of its own. Accessibility is checked with axe-core
from the npm registry (``make install`` puts it in ``.browser/``).

Without Chromium or axe-core these tests skip, except in CI (``CI=true``), where they fail:
the browser tests must run there.

* ``server``: ``alur serve``'s app on a SQLite store, served by uvicorn on a free loopback
  port in a thread, with a clock the tests move (the deadline sweep runs on it), and one user
  per role of both seed procedures (password ``rahasia-<user>``).
* ``browser``: headless Chromium; ``as_user(name)`` a page signed in as that user in a context
  of its own (cookies apart).
* ``shoot(page, name)``: a full-page screenshot in ``.screenshots/`` (not committed).
* ``axe(page)``: the serious and critical axe-core violations of the page.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".screenshots"
AXE = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# user -> roles: every role that acts in procedures/mediasi.yaml and procedures/sapa.yaml, an
# auditor and an administrator
USERS = {
    "pendamping1": ("pendamping_ppa",),
    "koordinator1": ("koordinator_uptd_ppa",),
    "mediator1": ("mediator",),
    "mk1": ("manajer_kasus",),
    "kepala1": ("kepala_upt",),
    "ani": ("pelapor",),
    "admin1": ("admin",),
    "kabid1": ("kepala_bidang",),
    "subkoor1": ("sub_koordinator",),
    "kadis1": ("kepala_dinas",),
    "auditor1": ("auditor",),
}


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing: the browser tests must run in CI (make install)")
    pytest.skip(f"{what} is missing (make install installs it)")


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    _missing("Chromium (apt-get install chromium)")
    raise AssertionError("unreachable")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Server:
    url: str
    service: Any
    clock: Clock


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import uvicorn

    from engine.service.app import Service, create_app
    from engine.service.auth import hash_password

    saved = os.environ.get("ALUR_PROCEDURES")
    os.environ["ALUR_PROCEDURES"] = str(ROOT / "procedures")
    clock = Clock()
    db = tmp_path_factory.mktemp("browser") / "alur.db"
    service = Service(f"sqlite:///{db}", clock=clock, sweep_interval=3600)
    for user, roles in USERS.items():
        service.accounts.add_user(user, hash_password(f"rahasia-{user}"), frozenset(roles),
                                  "demo")
    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(create_app(service=service), host="127.0.0.1",
                                            port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", service, clock)
    finally:
        running.should_exit = True
        thread.join(timeout=10)
        service.close()
        if saved is None:
            os.environ.pop("ALUR_PROCEDURES", None)
        else:
            os.environ["ALUR_PROCEDURES"] = saved


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, headless=True,
                                          args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def as_user(browser: Any, server: Server) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def sign_in(user: str, *, javascript: bool = True, viewport: dict[str, int] | None = None,
                ) -> Any:
        # bypass_csp: only so that axe-core can be injected; the pages themselves run no script
        context = browser.new_context(java_script_enabled=javascript, bypass_csp=True,
                                      viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server.url}/login")
        page.get_by_label("Nama pengguna").fill(user)
        page.get_by_label("Kata sandi").fill(f"rahasia-{user}")
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{server.url}/inbox")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def shoot() -> Callable[[Any, str], Path]:
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe() -> Callable[[Any], list[dict[str, Any]]]:
    if not AXE.is_file():
        _missing("axe-core (npm install --prefix .browser axe-core)")

    def serious(page: Any) -> list[dict[str, Any]]:
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("async () => (await axe.run(document)).violations")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in found if v["impact"] in ("serious", "critical")]

    return serious
