"""docs/service.md runs as written: its curl session against a real ``alur serve`` process on a
fresh SQLite store, and ``alur user`` from the command line."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALUR = Path(sys.executable).parent / "alur"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    db = f"sqlite:///{tmp_path / 'alur.db'}"
    port = _free_port()
    env = {**os.environ, "ALUR_DB": db}
    proc = subprocess.Popen([str(ALUR), "serve", "--db", db, "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/readyz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            proc.kill()
            pytest.fail("alur serve did not start: " + proc.stdout.read().decode()[-2000:]
                        if proc.stdout else "")
        yield url, db
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_curl_session_of_the_docs_runs_as_written(server: tuple[str, str],
                                                     tmp_path: Path) -> None:
    url, db = server
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    session = re.search(r"## With curl.*?```sh\n(.*?)```", text, re.S)
    assert session is not None
    script = session.group(1).replace("alur ", f"{ALUR} ")
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT,
                          env={**os.environ, "ALUR_DB": db, "ALUR_URL": url},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    # the two `alur user add` lines, then curl's answers, each without a newline
    values, rest, decoder = [], done.stdout[done.stdout.index("{"):].strip(), json.JSONDecoder()
    while rest:  # curl prints each answer without a newline: read one JSON value after another
        value, end = decoder.raw_decode(rest)
        values.append(value)
        rest = rest[end:].lstrip()
    stepped, case = values[-2:]
    assert stepped["case"]["current_step"] == "menerima_pengaduan"
    assert case["procedure_id"] == "sapa" and case["state"]["facts"] == {"contacted_sapa": True}
    assert set(case["state"]["participants"].values()) == {"\u2022\u2022\u2022"}  # masked


def test_alur_user_commands(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'alur.db'}"

    def alur(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(ALUR), "--db", db, *args], input=stdin, cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=False)

    assert alur("user", "add", "rina", "--role", "pendamping_ppa", stdin="sandi\n").returncode == 0
    again = alur("user", "add", "rina", "--role", "x", "--password", "y")
    assert again.returncode == 2 and "rina" in again.stderr
    made = alur("user", "token", "rina", "--format", "json")
    token = json.loads(made.stdout)
    assert token["token"].startswith("alur_") and token["scopes"] == ["read", "write"]
    listed = json.loads(alur("user", "list", "--format", "json").stdout)
    assert listed == [{"user": "rina", "roles": ["pendamping_ppa"], "agency": "",
                       "disabled": False}]
    assert alur("user", "revoke", token["id"]).returncode == 0
    assert alur("user", "revoke", token["id"]).returncode == 3  # no active token any more
    assert alur("--lang", "id", "user", "disable", "rina").stdout.strip() == (
        "pengguna rina dinonaktifkan")
    stored = (tmp_path / "alur.db").read_bytes()
    assert token["token"].encode() not in stored  # only its SHA-256 is kept


def test_the_demo_drives_a_case_over_http(tmp_path: Path) -> None:
    """`make demo`'s last step (examples/serve_demo.py): a real alur serve, one SAPA case."""
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "serve_demo.py"), db],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("POST /api/v1/cases -> 201" in line for line in lines), done.stdout
    assert any("now at menerima_pengaduan" in line for line in lines), done.stdout
    assert any("-> 409 guard.not_current" in line for line in lines), done.stdout
    assert any("GET as kepala_bidang -> 200" in line for line in lines), done.stdout
    # then the workspace's address and a demo user for every role that acts in a procedure
    workspace = next(line for line in lines if line.startswith("workspace: http://127.0.0.1:"))
    users = {line.split()[1] for line in lines if line.startswith("  ")}
    assert {"pendamping_ppa", "koordinator_uptd_ppa", "mediator", "manajer_kasus", "pelapor",
            "admin", "sub_koordinator", "kepala_bidang", "kepala_dinas", "auditor"} <= users
    assert "running until Ctrl-C" not in done.stdout, workspace  # no terminal: it stops
