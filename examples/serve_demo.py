"""`make demo`'s last step: start `alur serve` on the demo store, drive one SAPA case over HTTP
as an agency's web application would (docs/service.md), then print the address of the
workspace (docs/workspace.md) and a demo user for every role. On a terminal the service keeps
running until Ctrl-C, so a newcomer can click through a Mediasi case; otherwise (CI, a pipe)
it stops after the drive.

    python examples/serve_demo.py sqlite:///demo/alur.db
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

# one user per role that acts in procedures/mediasi.yaml and procedures/sapa.yaml, an auditor
# and an administrator; the password of each is rahasia-<name>
DEMO_USERS = (
    ("pendamping1", "pendamping_ppa"), ("koordinator1", "koordinator_uptd_ppa"),
    ("mediator1", "mediator"), ("mk1", "manajer_kasus"), ("kepala1", "kepala_upt"),
    ("ani", "pelapor"), ("admin1", "admin"), ("subkoor1", "sub_koordinator"),
    ("kabid", "kepala_bidang"), ("kadis1", "kepala_dinas"), ("auditor1", "auditor"),
)


def _port() -> int:
    """8080 when it is free (an address to remember), else any free port."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", 8080))
            return 8080
        except OSError:
            pass
    return _free_port()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _call(url: str, method: str = "GET", body: Any = None,
          token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, method=method, data=None if body is None
                                     else json.dumps(body).encode("utf-8"))
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept-Language", "id")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# a user reads and acts on the cases of their own agency only
SAPA_AGENCY = "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak"
# procedures/pendampingan.yaml's agency, and one user per role acting in it
PENDAMPINGAN_AGENCY = "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"
PENDAMPINGAN_USERS = (
    ("penerima1", "petugas_pengaduan"), ("mk-pd1", "manajer_kasus"), ("psikolog1", "psikolog"),
    ("nakes1", "tenaga_kesehatan"), ("hukum1", "pendamping_hukum"),
    ("ra1", "petugas_rumah_aman"), ("pekerja1", "pendamping"), ("kepala-pd1", "kepala_uptd"),
)


def main(db: str) -> int:
    from engine.service.auth import hash_password
    from engine.store import open_store
    from engine.store.accounts import open_accounts

    store = open_store(db)
    accounts = open_accounts(db, store)
    for users, agency in ((DEMO_USERS, SAPA_AGENCY), (PENDAMPINGAN_USERS, PENDAMPINGAN_AGENCY)):
        for name, role in users:
            if accounts.user(name) is None:
                accounts.add_user(name, hash_password(f"rahasia-{name}"), frozenset({role}),
                                  agency)
    accounts.close()
    store.close()
    port = _port()
    alur = os.path.join(os.path.dirname(sys.executable), "alur")
    server = subprocess.Popen([alur, "serve", "--db", db, "--port", str(port),
                               "--sweep-interval", "0"], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/readyz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        print(f"serve-demo: alur serve on {base} (API docs: {base}/api/v1/docs)")
        _, login = _call(f"{base}/api/v1/auth/token", "POST",
                         {"username": "ani", "password": "rahasia-ani"})
        status, opened = _call(f"{base}/api/v1/cases", "POST",
                               {"procedure": "sapa", "role": "pelapor",
                                "facts": {"contacted_sapa": True}}, login["token"])
        case_id = opened["case"]["case_id"]
        print(f"serve-demo: POST /api/v1/cases -> {status}, case {case_id}")
        status, stepped = _call(f"{base}/api/v1/cases/{case_id}/commands", "POST",
                                {"command": "complete_step", "role": "pelapor",
                                 "step": "menghubungi_sapa"}, login["token"])
        print(f"serve-demo: complete_step menghubungi_sapa -> {status}, now at "
              f"{stepped['case']['current_step']}")
        status, refused = _call(f"{base}/api/v1/cases/{case_id}/commands", "POST",
                                {"command": "complete_step", "role": "pelapor",
                                 "step": "menghubungi_sapa"}, login["token"])
        print(f"serve-demo: the same step again -> {status} {refused['rule']}: "
              f"{refused['detail']}")
        _, head = _call(f"{base}/api/v1/auth/token", "POST",
                        {"username": "kabid", "password": "rahasia-kabid"})
        status, shown = _call(f"{base}/api/v1/cases/{case_id}", token=head["token"])
        print(f"serve-demo: GET as kepala_bidang -> {status}, status {shown['status']}, "
              f"participants {shown['state']['participants']}")
        print(f"workspace: {base}/ (docs/workspace.md); log in with password rahasia-<user>:")
        for name, role in DEMO_USERS:
            print(f"  {name:<13} {role}")
        print("  (pendampingan, its agency's staff:)")
        for name, role in PENDAMPINGAN_USERS:
            print(f"  {name:<13} {role}")
        if sys.stdin.isatty():
            print("workspace: running until Ctrl-C")
            with contextlib.suppress(KeyboardInterrupt):
                server.wait()
        return 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite:///demo/alur.db"))
