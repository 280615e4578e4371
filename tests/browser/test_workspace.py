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


def _complete(page: Any, number: str) -> None:
    page.get_by_role("button", name=f"Selesaikan langkah {number}").click()


def _open_mediasi(page: Any, server: Server, tmp_path: Any, *, child: bool = False) -> str:
    """Open a Mediasi case through its checklist as the Pendamping PPA; its id."""
    identity = tmp_path / "ktp.txt"
    identity.write_text("Fotokopi KTP a.n. Ibu A. (fiktif)", encoding="utf-8")
    page.get_by_role("link", name="Buka kasus").first.click()
    page.get_by_label("Prosedur").select_option("mediasi")
    page.get_by_role("button", name="Tampilkan formulirnya").click()
    checklist = page.get_by_role("group", name="Persyaratan")
    assert "Identitas Penerima Manfaat" in checklist.inner_text()
    page.get_by_label("Identitas Penerima Manfaat").set_input_files(str(identity))
    page.get_by_label("Korban adalah anak").select_option("true" if child else "false")
    page.get_by_label("Pelaku adalah anak").select_option("false")
    page.get_by_label("berkebutuhan khusus").select_option("false")
    page.get_by_label("perempuan/anak korban").fill("Ibu A.")
    page.get_by_role("button", name="Buka kasus").last.click()
    page.wait_for_url(re.compile(r"/cases/mediasi-"))
    return page.url.rsplit("/", 1)[1]


def test_a_mediasi_case_from_opening_to_its_ending(as_user: Callable[..., Any], server: Server,
                                                   tmp_path: Any,
                                                   shoot: Callable[[Any, str], Any],
                                                   axe: Callable[[Any], list[Any]]) -> None:
    staff = as_user("pendamping1")
    case_id = _open_mediasi(staff, server, tmp_path)
    assert "WIB" in staff.get_by_role("region", name="Linimasa").inner_text()
    _complete(staff, "1")
    # step 2 needs the other party: completing it without them is refused, inline, with the
    # rule and the fix, and the note typed is still there
    staff.get_by_label("Catatan").fill("asesmen kedua pihak")
    _complete(staff, "2")
    refusal = staff.get_by_role("alert")
    assert "guard.participants" in refusal.inner_text()
    assert "Cara memperbaiki" in refusal.inner_text()
    assert staff.get_by_label("Catatan").input_value() == "asesmen kedua pihak"
    shoot(staff, "case-refused")
    assert axe(staff) == []
    staff.get_by_label("pelaku", exact=True).fill("Sdr. Z.")
    _complete(staff, "2")
    assert staff.get_by_role("alert").count() == 0
    _complete(staff, "3a")
    # step 3b is the coordinator's: the Pendamping PPA sees who must act, and no form
    assert "Menunggu: Koordinator UPTD PPA" in staff.locator("main").inner_text()
    boss = as_user("koordinator1")
    boss.goto(f"{server.url}/cases/{case_id}")
    _complete(boss, "3b")
    staff.reload()
    staff.get_by_label("mediator bersertifikat").fill("Bpk. H.")
    _complete(staff, "4")
    staff.get_by_label("pendamping masing-masing").fill("Sdri. W.")
    _complete(staff, "5")
    mediator = as_user("mediator1")
    mediator.goto(f"{server.url}/cases/{case_id}")
    assert "pihak luar" in mediator.locator("main").inner_text()  # no case file for them
    _complete(mediator, "6a")
    staff.reload()
    report = tmp_path / "berita-acara.txt"
    report.write_text("Berita acara hasil mediasi (fiktif)", encoding="utf-8")
    staff.get_by_label("Berita Acara Hasil Mediasi").set_input_files(str(report))
    _complete(staff, "6b")
    _complete(staff, "7")
    _complete(staff, "8")
    _complete(staff, "9a")
    manager = as_user("mk1")
    manager.goto(f"{server.url}/cases/{case_id}")
    _complete(manager, "9b")  # a decision without an outcome is refused
    assert "guard.outcome_missing" in manager.get_by_role("alert").inner_text()
    manager.get_by_label("terminasi layanan").check()
    _complete(manager, "9b")
    staff.reload()
    _complete(staff, "10")
    assert "selesai" in staff.locator(".sub .badge").inner_text()
    shoot(staff, "case-completed")
    assert axe(staff) == []
