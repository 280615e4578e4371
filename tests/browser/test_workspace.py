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
    # the coordinator's inbox is open (its timers on a clock the test moves)
    boss = as_user("koordinator1")
    boss.clock.install()
    boss.reload()
    in_inbox = boss.locator(f'a[href="/cases/{case_id}"]')  # shown by its short number
    assert in_inbox.count() == 0
    _complete(staff, "3a")
    # step 3b is the coordinator's: the Pendamping PPA sees who must act, and no form
    assert "Menunggu: Koordinator UPTD PPA" in staff.locator("main").inner_text()
    # ... and the case appears in the coordinator's inbox without a reload
    boss.clock.run_for(31_000)
    in_inbox.wait_for()
    assert re.fullmatch(r"MED-\d{4}-\d{4}", in_inbox.inner_text())
    in_inbox.click()
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


@pytest.mark.parametrize(("choice", "status"), [
    ("Tidak memerlukan layanan dari lembaga lain", "selesai"),
    ("Memerlukan layanan dari lembaga lain", "dirujuk"),
])
def test_a_sapa_complaint_from_the_reporter_to_each_ending(
        as_user: Callable[..., Any], server: Server, choice: str, status: str,
        shoot: Callable[[Any, str], Any]) -> None:
    reporter = as_user("ani")
    reporter.get_by_role("link", name="Buka kasus").first.click()
    reporter.get_by_label("Prosedur").select_option("sapa")
    reporter.get_by_role("button", name="Tampilkan formulirnya").click()
    reporter.get_by_label("Anda membukanya sebagai").select_option("pelapor")
    reporter.get_by_role("group", name="Persyaratan").get_by_role("combobox").first \
        .select_option("true")
    reporter.get_by_role("button", name="Buka kasus").last.click()
    reporter.wait_for_url(re.compile(r"/cases/sapa-"))
    case_id = reporter.url.rsplit("/", 1)[1]
    _complete(reporter, "1")
    for user in ("admin1", "subkoor1", "kabid1", "subkoor1", "kadis1", "subkoor1"):
        page = as_user(user)
        page.goto(f"{server.url}/cases/{case_id}")
        for field in page.get_by_role("group", name="Pihak luar yang terlibat") \
                .get_by_role("textbox").all():
            field.fill("Sdri. A. (fiktif)")
        if page.get_by_role("radio").count():
            page.get_by_label(choice, exact=True).check()
        page.get_by_role("button", name=re.compile("Selesaikan langkah")).click()
        assert page.get_by_role("alert").count() == 0, page.get_by_role("alert").inner_text()
    assert status in page.locator(".sub .badge").inner_text()
    shoot(page, f"sapa-{status}")


def test_a_reveal_with_a_reason_is_found_in_the_audit_log(
        as_user: Callable[..., Any], server: Server, tmp_path: Any,
        shoot: Callable[[Any, str], Any], axe: Callable[[Any], list[Any]]) -> None:
    staff = as_user("pendamping1")
    case_id = _open_mediasi(staff, server, tmp_path)
    data = staff.get_by_role("region", name="Isi kasus")
    assert "Ibu A." not in data.inner_text() and "•••" in data.inner_text()
    staff.get_by_label("Alasan membuka").fill("permintaan pengadilan (uji)")
    staff.get_by_role("button", name="Buka dengan alasan").click()
    assert "Ibu A." in staff.get_by_role("region", name="Isi kasus").inner_text()
    auditor = as_user("auditor1")
    auditor.get_by_role("link", name="Audit").click()
    log = auditor.get_by_role("region", name="Log audit (50 terakhir)")
    row = log.get_by_role("row").filter(has_text="permintaan pengadilan (uji)")
    assert row.count() == 1
    assert "reveal:case" in row.inner_text() and case_id in row.inner_text()
    assert "pendamping1" in row.inner_text()
    shoot(auditor, "audit")
    assert axe(auditor) == []


def test_a_broken_procedure_previewed_shows_its_diagnostics_at_their_lines(
        as_user: Callable[..., Any], server: Server, shoot: Callable[[Any, str], Any],
        axe: Callable[[Any], list[Any]]) -> None:
    from tests.browser.conftest import ROOT

    lines = (ROOT / "procedures" / "sapa.yaml").read_text(encoding="utf-8").split("\n")
    broken = next(i for i, line in enumerate(lines) if line.strip() == "actor: admin")
    lines[broken] = lines[broken].replace("actor: admin", "actor: admn")
    page = as_user("pendamping1")
    page.get_by_role("link", name="Pratinjau kebijakan").click()
    page.get_by_label("Prosedur (YAML)").fill("\n".join(lines))
    page.get_by_role("button", name="Periksa").click()
    assert "Tidak sah" in page.get_by_role("alert").inner_text()
    flagged = page.locator(f"#line-{broken + 1} .diag")
    assert flagged.count() >= 1 and "admn" in flagged.first.inner_text()
    assert page.locator(".diag").evaluate_all(
        "nodes => nodes.map(n => n.dataset.line)") == [str(broken + 1)] * page.locator(
        ".diag").count()
    shoot(page, "preview-broken")
    assert axe(page) == []
    page.get_by_label("Prosedur (YAML)").fill("\n".join(
        (ROOT / "procedures" / "sapa.yaml").read_text(encoding="utf-8").split("\n")))
    page.get_by_role("button", name="Periksa").click()
    assert "sah" in page.get_by_role("status").inner_text()
    assert page.locator("figure.graph svg").count() == 1


def test_english_without_javascript_on_a_phone(as_user: Callable[..., Any], server: Server,
                                                tmp_path: Any,
                                                shoot: Callable[[Any, str], Any]) -> None:
    page = as_user("pendamping1", javascript=False, viewport={"width": 390, "height": 844})
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Inbox"
    page.get_by_role("link", name="Procedures").click()
    page.get_by_role("link", name="Layanan Mediasi").click()
    assert page.locator("figure.graph svg").count() == 1
    assert page.get_by_role("heading", name="Versions").count() == 1
    shoot(page, "procedure-phone-en")
    page.get_by_role("link", name="Bahasa Indonesia").click()
    assert page.get_by_role("heading", name="Versi").count() == 1


def test_an_escalation_reaches_the_supervisors_inbox_after_the_sweep(
        as_user: Callable[..., Any], server: Server, tmp_path: Any,
        shoot: Callable[[Any, str], Any], axe: Callable[[Any], list[Any]]) -> None:
    from datetime import timedelta

    staff = as_user("pendamping1")
    case_id = _open_mediasi(staff, server, tmp_path)
    _complete(staff, "1")  # the requirements are met: the 14 working days start
    boss = as_user("koordinator1")
    row = boss.get_by_role("row").filter(has_text=case_id)
    assert row.count() == 0  # step 2 is not the coordinator's
    server.clock.now += timedelta(days=40)
    assert server.service.sweeper is not None and server.service.sweeper.tick()
    boss = as_user("koordinator1")  # a new session: the clock moved past the old one
    row = boss.get_by_role("row").filter(has_text=case_id)
    assert "Dieskalasi kepada Anda" in row.inner_text()
    assert "Lewat batas waktu" in row.inner_text()
    assert "escalated" in (row.get_attribute("class") or "")
    shoot(boss, "inbox-escalated")
    assert axe(boss) == []
    boss.locator(f'a[href="/cases/{case_id}"]').click()
    assert "dieskalasi kepada koordinator_uptd_ppa" in boss.locator("main").inner_text()
