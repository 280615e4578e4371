"""Listings (issue 16): ``case list``, ``inbox`` and ``due`` page by keyset, stream from the
store (memory flat in the number of cases), print a header, the role expected at the current
step, why a clock is not running, and escalated cases in the escalation role's inbox."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main
from engine.api import Engine
from engine.cases.events import CaseSnapshot
from engine.listings import decode_cursor, list_rows, page
from engine.store import MemoryStore
from engine.store.checks import due_key

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FACTS = ("--fact", "victim_is_child=false", "--fact", "perpetrator_is_child=false",
         "--fact", "has_special_needs=false")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def mediasi_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("ALUR_LANG", raising=False)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    invoke("--db", db, "run", "mediasi", *map(str, sorted(EXAMPLES.glob("mediasi-*.yaml"))),
           "--now", "2026-06-30T17:00:00+07:00", "--format", "json")
    return db


def _pages(db: str, *command: str, limit: int) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        args = [*command, "--limit", str(limit), "--format", "json"]
        if cursor is not None:
            args += ["--after", cursor]
        result = invoke("--db", db, *args)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        rows = data["cases"] if "cases" in data else data["due"]
        pages.append(rows)
        cursor = data["next"]
        if cursor is None:
            return pages
        assert len(pages) < 50


def test_case_list_pages_cover_the_listing_once(mediasi_db: str) -> None:
    whole = json.loads(invoke("--db", mediasi_db, "case", "list", "--format", "json").stdout)
    assert whole["next"] is None
    everything = [r["case_id"] for r in whole["cases"]]
    assert len(everything) > 5
    pages = _pages(mediasi_db, "case", "list", limit=3)
    assert all(len(p) == 3 for p in pages[:-1]) and 1 <= len(pages[-1]) <= 3
    assert [r["case_id"] for p in pages for r in p] == everything


def test_inbox_and_due_page_too(mediasi_db: str) -> None:
    role = "koordinator_uptd_ppa"
    whole = json.loads(invoke("--db", mediasi_db, "inbox", "-r", role, "--format",
                              "json").stdout)["cases"]
    assert [r["case_id"] for p in _pages(mediasi_db, "inbox", "-r", role, limit=2) for r in p] \
        == [r["case_id"] for r in whole]
    late = "2026-06-30T17:00:00+07:00"
    all_due = json.loads(invoke("--db", mediasi_db, "due", "--no-record", "--now", late,
                                "--format", "json").stdout)["due"]
    paged = _pages(mediasi_db, "due", "--no-record", "--now", late, limit=1)
    assert [(r["case_id"], r["target"]) for p in paged for r in p] \
        == [(r["case_id"], r["target"]) for r in all_due]


def test_text_listing_ends_with_the_next_cursor(mediasi_db: str) -> None:
    text = invoke("--db", mediasi_db, "case", "list", "--limit", "2").stdout.splitlines()
    assert text[0].split()[:4] == ["NUMBER", "CASE", "PROCEDURE", "STATUS"]
    assert text[-2] == "2 case(s)"
    cursor = text[-1].removeprefix("more: --after ")
    after = invoke("--db", mediasi_db, "case", "list", "--limit", "2", "--after", cursor)
    assert after.exit_code == 0
    assert after.stdout.splitlines()[1].split()[0] not in {line.split()[0] for line in text}


def test_a_bad_cursor_is_a_usage_error(mediasi_db: str) -> None:
    result = invoke("--db", mediasi_db, "case", "list", "--after", "not-a-cursor!")
    assert result.exit_code == 2
    assert "not a listing cursor" in result.stderr
    assert "Traceback" not in result.output
    assert decode_cursor(None, "en") is None


def test_escalated_cases_are_in_the_escalation_roles_inbox(mediasi_db: str) -> None:
    rows = json.loads(invoke("--db", mediasi_db, "inbox", "-r", "koordinator_uptd_ppa",
                             "--format", "json").stdout)["cases"]
    escalated = [r for r in rows if r["role"] != "koordinator_uptd_ppa"]
    assert escalated, "the breached cases of other roles must reach the coordinator"
    assert all("koordinator_uptd_ppa" in r["escalated_to"] for r in escalated)
    text = invoke("--db", mediasi_db, "inbox", "-r", "koordinator_uptd_ppa").stdout
    assert "[escalated to koordinator_uptd_ppa]" in text


def test_columns_stay_in_place_and_show_the_expected_role(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    monkeypatch.chdir(ROOT)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    at = "--at", "2026-03-02T09:00:00+07:00"
    for case_id in ("m-1", "mediasi-a-much-longer-case-id-01"):
        assert invoke("--db", db, "case", "open", "mediasi", "-u", "p1", "-r", "pendamping_ppa",
                      "--id", case_id, *at, *FACTS).exit_code == 0
    lines = invoke("--db", db, "case", "list").stdout.splitlines()
    header, rows = lines[0], lines[1:3]
    for row in rows:
        assert row.index("mediasi ") == header.index("PROCEDURE")
        assert row.index("pendamping_ppa") == header.index("ROLE (USER)")
        # the clock of mediasi starts once its requirements are met: the listing says which
        assert "clock not running: waits for identitas_penerima_manfaat" in row
    data = json.loads(invoke("--db", db, "case", "list", "--format", "json").stdout)
    assert {r["role"] for r in data["cases"]} == {"pendamping_ppa"}
    assert all("identitas_penerima_manfaat" in r["clock_waiting_for"] for r in data["cases"])
    indonesian = invoke("--lang", "id", "--db", db, "case", "list").stdout
    assert indonesian.startswith("NOMOR") and "waktu belum berjalan: menunggu" in indonesian


def test_case_do_says_what_happened_in_words(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    opened = invoke("--db", db, "case", "open", "sapa", "-u", "ani", "-r", "pelapor", "--fact",
                    "contacted_sapa=true", "--id", "s-1", "--at", "2026-03-02T09:00:00+07:00")
    assert "+ opened by" in opened.stdout
    done = invoke("--db", db, "case", "do", "s-1", "menghubungi_sapa", "-u", "ani", "-r",
                  "pelapor", "--at", "2026-03-02T09:05:00+07:00")
    assert done.exit_code == 0, done.output
    assert "step_completed" not in done.stdout and "step_started" not in done.stdout
    assert "✓ 1 " in done.stdout and "now at step" in done.stdout
    indonesian = invoke("--lang", "id", "--db", db, "case", "do", "s-1", "menerima_pengaduan",
                        "-u", "a1", "-r", "admin", "--at", "2026-03-02T09:10:00+07:00")
    assert "sekarang di langkah" in indonesian.stdout


# -- memory stays flat: the CLI pulls rows lazily and never asks for the whole list ----------

class CountingStore(MemoryStore):
    """A memory store that counts the snapshots a listing pulls and refuses ``cases()``."""

    def __init__(self) -> None:
        super().__init__()
        self.pulled = 0

    def cases(self, **kwargs: Any) -> list[CaseSnapshot]:
        raise AssertionError("a listing must not load every case")

    def iter_cases(self, **kwargs: Any) -> Iterator[CaseSnapshot]:
        for snap in super().iter_cases(**kwargs):
            self.pulled += 1
            yield snap


def _fill(store: MemoryStore, count: int) -> None:
    engine = Engine(store, lang="en")  # not closed: that would close the memory store
    for i in range(count):
        engine.open_case(str(ROOT / "procedures" / "sapa.yaml"), user="ani", role="pelapor",
                         facts={"contacted_sapa": True}, case_id=f"s-{i:05d}",
                         at="2026-03-02T09:00:00+07:00")


def test_a_page_pulls_only_what_it_shows() -> None:
    store = CountingStore()
    _fill(store, 60)
    engine = Engine(store, lang="en")
    listing = page(list_rows(engine), 5)
    assert store.pulled == 0  # nothing is read before the rows are asked for
    rows = list(listing.rows)
    assert len(rows) == 5 and store.pulled == 6  # the sixth says whether a next page exists
    key = decode_cursor(listing.next_cursor, "en")
    assert key == (due_key(rows[-1].due_at), rows[-1].case_id)
    assert [r.case_id for r in page(list_rows(engine, after=key), 3).rows] \
        == [f"s-{i:05d}" for i in range(5, 8)]
    assert len(engine.inbox("pelapor")) == 60  # the API's inbox streams too (cases() refuses)


def test_listing_memory_is_flat_in_the_number_of_cases(tmp_path: Path) -> None:
    """Printing a page of 10 after 3000 cases costs no more memory than after 300."""
    def peak(count: int) -> int:
        url = f"sqlite:///{tmp_path / f'{count}.db'}"
        with Engine(url, lang="en") as engine:
            proc = str(ROOT / "procedures" / "sapa.yaml")
            for i in range(count):
                engine.open_case(proc, user="ani", role="pelapor",
                                 facts={"contacted_sapa": True}, case_id=f"s-{i:05d}",
                                 at="2026-03-02T09:00:00+07:00")
        tracemalloc.start()
        try:
            result = invoke("--db", url, "case", "list", "--limit", "10")
            assert result.exit_code == 0
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(300), peak(3000)
    assert large < small * 1.5 + 200_000, (small, large)


@pytest.mark.parametrize("command", [("case", "list"), ("inbox", "-r", "mediator"),
                                     ("due", "--no-record", "--now",
                                      "2026-06-30T17:00:00+07:00")])
def test_output_piped_into_head_exits_0(mediasi_db: str, command: tuple[str, ...]) -> None:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "--db", mediasi_db,
                                *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)  # a reader that stops early, as `head -c 10` does
    process.stdout.close()
    error = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 0, error
    assert "Traceback" not in error and "Broken pipe" not in error
