"""Shared fixtures of the runtime tests.

* ``clock``: a :class:`~runtime_support.Clock` standing at Monday 2 March 2026, 09:00 WIB.
* ``ids``: deterministic case ids (``mediasi-0001`` ...).
* ``procedures_env``: ``ALUR_PROCEDURES`` points at the repository's ``procedures/`` (and
  ``ALUR_LANG`` is unset, so messages are English unless a test asks otherwise).
* ``db``: a fresh database, once on SQLite (a file in tmp_path) and once on PostgreSQL (a schema
  of its own, dropped afterwards). PostgreSQL needs ``ALUR_PG_URL``: unset, those tests are
  skipped with a reason; set but the server does not answer, they fail.
* ``engine``: an :class:`~engine.api.Engine` on ``db`` with the clock and ids above;
  ``make_engine(**kwargs)`` opens more engines on the same database (closed afterwards).
* every test (autouse): a terminal session of its own for the "no roster configured" notice
  (``ALUR_NOTICE_DIR``), and no ``ALUR_ROSTER`` / ``ALUR_DOCUMENTS`` from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from runtime_support import (
    BACKENDS,
    GUARDED_YAML,
    PROCEDURES,
    Clock,
    Database,
    Ids,
    make_database,
    open_engine,
    wib,
)

from engine.api import Engine


@pytest.fixture(autouse=True)
def _cli_session(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory,
                 ) -> None:
    monkeypatch.setenv("ALUR_NOTICE_DIR", str(tmp_path_factory.mktemp("session")))
    monkeypatch.delenv("ALUR_ROSTER", raising=False)
    monkeypatch.delenv("ALUR_DOCUMENTS", raising=False)


@pytest.fixture
def clock() -> Clock:
    return Clock(wib(2026, 3, 2, 9))


@pytest.fixture
def ids() -> Ids:
    return Ids()


@pytest.fixture
def procedures_env(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALUR_PROCEDURES", str(PROCEDURES))
    monkeypatch.delenv("ALUR_LANG", raising=False)
    return PROCEDURES


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with make_database(request.param, tmp_path) as made:
        yield made


@pytest.fixture(autouse=True, scope="session")
def _story_clock_tolerance() -> Iterator[None]:
    """Tests run their stories on clocks that stand at the start while the commands give their
    own, later times (and CLI tests on the wall clock give dates of their own): they are not
    about the future guard, so it allows ten years here; tests/test_clock.py tests the guard
    with the real default. Set for the session (before any module's engine is made) and in the
    environment, so subprocess workers see it too."""
    previous = os.environ.get("ALUR_CLOCK_TOLERANCE")
    os.environ["ALUR_CLOCK_TOLERANCE"] = str(10 * 365 * 86400)
    yield
    if previous is None:
        del os.environ["ALUR_CLOCK_TOLERANCE"]
    else:
        os.environ["ALUR_CLOCK_TOLERANCE"] = previous


@pytest.fixture
def make_engine(db: Database, clock: Clock, ids: Ids,
                procedures_env: Path) -> Iterator[Callable[..., Engine]]:
    opened: list[Engine] = []

    def make(**kwargs: Any) -> Engine:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("new_id", ids)
        kwargs.setdefault("lang", "en")
        engine = open_engine(db, **kwargs)
        opened.append(engine)
        return engine

    yield make
    for engine in opened:
        engine.close()


@pytest.fixture
def engine(make_engine: Callable[..., Engine]) -> Engine:
    return make_engine()


@pytest.fixture
def guarded(tmp_path: Path) -> str:
    """Path of a small procedure with a step condition, a step deadline and outcome
    conditions (see ``runtime_support.GUARDED_YAML``)."""
    folder = tmp_path / "guarded"
    folder.mkdir()
    path = folder / "bersyarat.yaml"
    path.write_text(GUARDED_YAML, encoding="utf-8")
    return str(path)
