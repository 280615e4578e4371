"""Text output of the CLI in Indonesian (``--lang id`` or ``ALUR_LANG=id``).

Every label a command prints in ``--format text`` comes from the ``cli.*`` entries of the
message catalogue; English stays the default and unchanged.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from runtime_support import ROSTER

from cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PROCEDURES = ROOT / "procedures"

# English labels replaced by catalogue entries: none may appear in Indonesian output.
ENGLISH_LABELS = (
    "current step", "deadline:", "facts:", "documents:", "timeline:", "linked:", "case(s)",
    "outcome:", "path:", "REFUSED", "hint:", "NOT AS EXPECTED", "not opened", "agency:",
    "decree:", "time limit:", "cost:", "steps:", "requires:", "produces:", "roles:",
    "missing SP components", "flag [", "(inferred)", "[sensitive]", "error:", "rule:",
    "breach(es)", "newly escalated", "opened by", "attached", "within the time limit",
)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ALUR_PROCEDURES", str(PROCEDURES))
    for name in ("ALUR_LANG", "ALUR_DB", "ALUR_ROSTER"):
        monkeypatch.delenv(name, raising=False)
    yield


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mediasi example cases (one of them refused on purpose), run once per module."""
    path = tmp_path_factory.mktemp("i18n") / "seeded.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALUR_PROCEDURES", str(PROCEDURES))
        for name in ("ALUR_LANG", "ALUR_DB", "ALUR_ROSTER"):
            patch.delenv(name, raising=False)
        result = invoke("--db", f"sqlite:///{path}", "run", "mediasi",
                        *sorted(EXAMPLES.glob("mediasi-*.yaml")))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def db(seeded_db: Path, tmp_path: Path) -> str:
    """A private copy of the seeded store, so a test that changes cases changes only its own."""
    copy = tmp_path / "x.db"
    for suffix in ("", "-wal", "-shm"):  # WAL: a file left behind holds committed pages too
        if Path(f"{seeded_db}{suffix}").exists():
            shutil.copyfile(f"{seeded_db}{suffix}", f"{copy}{suffix}")
    return f"sqlite:///{copy}"


def _absent(output: str, labels: tuple[str, ...] = ENGLISH_LABELS) -> None:
    found = [label for label in labels if label in output]
    assert not found, f"English labels in Indonesian output: {found}\n{output}"


def test_case_show_in_indonesian(db: str) -> None:
    english = invoke("--db", db, "case", "show", "mediasi-anak-01").output
    assert "  deadline: within the time limit" in english and "  timeline:" in english
    result = invoke("--lang", "id", "--db", db, "case", "show", "mediasi-anak-01")
    assert result.exit_code == 0, result.output
    for label in ("  batas waktu: dalam jangka waktu", "  fakta: ", "  dokumen: ",
                  "  linimasa:", "dibuka oleh"):
        assert label in result.output
    _absent(result.output)


def test_case_show_current_step_in_indonesian(db: str) -> None:
    result = invoke("--lang", "id", "--db", db, "case", "show", "mediasi-ditolak-wali")
    assert "  langkah saat ini: melaksanakan_mediasi" in result.output
    assert "current step" not in result.output


def test_run_in_indonesian(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'y.db'}"
    files = sorted(EXAMPLES.glob("mediasi-*.yaml"))
    result = invoke("--lang", "id", "--db", url, "run", "mediasi", *files)
    assert result.exit_code == 0, result.output
    for label in ("  hasil: completed   jalur: ", "  batas waktu: ", ", kasus 1)",
                  "  DITOLAK pada tindakan 8 [guard.participants]", "    petunjuk: ",
                  "catatan: roster tidak diatur"):
        assert label in result.output
    _absent(result.output)


def test_run_not_as_expected_in_indonesian(db: str) -> None:
    """Running the same file again: the cases exist, so each is refused when opening."""
    result = invoke("--lang", "id", "--db", db, "run", "mediasi",
                    EXAMPLES / "mediasi-anak.yaml")
    assert result.exit_code == 1
    assert "  DITOLAK pada pembukaan [guard.exists]" in result.output
    assert "  TIDAK SESUAI HARAPAN (diharapkan " in result.output
    _absent(result.output)


def test_show_in_indonesian() -> None:
    english = invoke("show", "mediasi").output
    assert "  missing SP components (" in english and "  agency:  " in english
    result = invoke("--lang", "id", "show", "mediasi")
    assert result.exit_code == 0, result.output
    for label in ("  instansi:  ", "  SK:  ", "  jangka waktu: ", "  biaya:   ", "  langkah:",
                  "memerlukan: ", "menghasilkan: ", "  peran:   ", "  dokumen: ",
                  "  komponen SP yang belum ada (", " dari 14)", "  catatan ["):
        assert label in result.output
    _absent(result.output)


def test_alur_lang_environment_switches_output(db: str) -> None:
    result = invoke("--db", db, "case", "show", "mediasi-anak-01", env={"ALUR_LANG": "id"})
    assert "  linimasa:" in result.output and "  timeline:" not in result.output
    result = invoke("show", "mediasi", env={"ALUR_LANG": "id"})
    assert "  instansi:  " in result.output and "agency:" not in result.output
    # --lang wins over the environment
    result = invoke("--lang", "en", "show", "mediasi", env={"ALUR_LANG": "id"})
    assert "  agency:  " in result.output


def test_case_list_inbox_and_due_in_indonesian(db: str) -> None:
    listed = invoke("--lang", "id", "--db", db, "case", "list")
    assert listed.output.rstrip().endswith(" kasus") and "case(s)" not in listed.output
    inbox = invoke("--lang", "id", "--db", db, "inbox", "--role", "pendamping_ppa")
    assert inbox.output.rstrip().endswith(" kasus") and "case(s)" not in inbox.output
    due = invoke("--lang", "id", "--db", db, "due", "--no-record",
                 "--now", "2027-01-01T09:00:00+07:00")
    assert " pelampauan pada 2027-01-01 09:00 WIB: pratinjau" in due.output
    assert "TERLAMPAUI" in due.output
    _absent(due.output, ("BREACHED", "breach(es)", "preview"))
    english = invoke("--db", db, "due", "--no-record", "--now", "2027-01-01T09:00:00+07:00")
    assert "BREACHED" in english.output and "a preview, nothing recorded" in english.output
    recorded = invoke("--lang", "id", "--db", db, "due", "--record",
                      "--now", "2026-06-30T09:00:00+07:00")
    assert " pelampauan, " in recorded.output and " baru dieskalasi" in recorded.output


def test_errors_in_indonesian(db: str) -> None:
    result = invoke("--lang", "id", "--db", db, "case", "do", "mediasi-ditolak-wali",
                    "melaksanakan_mediasi", "-u", "m1", "-r", "mediator")
    assert result.exit_code == 1
    assert "galat: " in result.stderr and "  aturan: guard." in result.stderr
    assert "  petunjuk: " in result.stderr
    _absent(result.stderr, ("error:", "rule:", "hint:"))
    english = invoke("--db", db, "case", "do", "mediasi-ditolak-wali",
                     "melaksanakan_mediasi", "-u", "m1", "-r", "mediator")
    assert "error: " in english.stderr and "  rule: guard." in english.stderr


def test_case_command_summary_in_indonesian(db: str) -> None:
    result = invoke("--lang", "id", "--db", db, "case", "fact", "mediasi-ditolak-wali",
                    "-u", "p1", "-r", "pendamping_ppa", "has_special_needs=false")
    assert ", pada langkah melaksanakan_mediasi" in result.output
    assert "at step" not in result.output


def test_graph_wrote_in_indonesian(tmp_path: Path) -> None:
    out = tmp_path / "g.dot"
    result = invoke("--lang", "id", "graph", "mediasi", "-o", out)
    assert result.exit_code == 0 and f"ditulis: {out}" in result.stderr
    assert not result.stderr.startswith("wrote")


def test_retention_in_indonesian(db: str) -> None:
    result = invoke("--lang", "id", "--db", db, "retention", "apply", "--dry-run",
                    "--now", "2040-01-01T00:00:00+07:00", "--roster", ROSTER, "-u", "arsip1")
    assert result.exit_code == 0, result.output
    assert "kasus akan dianonimkan" in result.output and "would anonymise" not in result.output


def test_lang_is_also_an_option_of_each_command(tmp_path: Path) -> None:
    """``alur validate --lang id`` (as the issue spells it) equals ``alur --lang id validate``;
    the command's own option wins over the group's."""
    bad = Path(__file__).parent / "fixtures" / "invalid" / "R001-unknown-role.yaml"
    runner = CliRunner()
    after = runner.invoke(main, ["validate", "--lang", "id", str(bad)])
    before = runner.invoke(main, ["--lang", "id", "validate", str(bad)])
    assert after.exit_code == before.exit_code == 1
    assert after.stdout == before.stdout and "tidak sah" in after.stdout
    english = runner.invoke(main, ["--lang", "id", "validate", "--lang", "en", str(bad)])
    assert "invalid (1 error(s)" in english.stdout


# --- engine errors and the HTML report ---------------------------------------------------------

def test_case_not_found_in_indonesian(db: str) -> None:
    result = invoke("--lang", "id", "--db", db, "case", "show", "NOPE")
    assert result.exit_code == 3, result.output
    assert "tidak ada kasus 'NOPE'" in result.output
    assert "alur case list" in result.output and "no case" not in result.output
    english = invoke("--db", db, "case", "show", "NOPE")
    assert english.exit_code == 3 and "no case 'NOPE'" in english.output


def test_procedure_not_found_in_indonesian() -> None:
    result = invoke("--lang", "id", "show", "nope")
    assert result.exit_code == 3, result.output
    assert "tidak ada prosedur 'nope'" in result.output
    assert "prosedur yang dikenal" in result.output and "no procedure" not in result.output


def test_case_file_error_in_indonesian(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases: 5\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = invoke("--lang", "id", "--db", url, "run", "mediasi", bad)
    assert result.exit_code != 0
    assert f"{bad}: berkas kasus memerlukan daftar 'cases:'" in result.output
    assert "needs a 'cases:' list" not in result.output
    shape = tmp_path / "shape.yaml"
    shape.write_text("cases:\n  - foo: 1\n", encoding="utf-8")
    result = invoke("--lang", "id", "--db", url, "run", "mediasi", shape)
    assert f"{shape}: 1 masalah dalam berkas kasus; tidak ada yang dijalankan" in result.output


def test_reveal_without_reason_in_indonesian(db: str) -> None:
    result = invoke("--lang", "id", "--db", db, "case", "show", "NOPE", "--reveal")
    assert result.exit_code != 0
    assert "--reveal memerlukan --reason" in result.output


def test_html_report_in_indonesian(db: str) -> None:
    result = invoke("--lang", "id", "--db", db, "report", "mediasi", "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.output
    assert '<html lang="id">' in page
    for heading in ("<h2>Kasus</h2>", "<h2>Pelampauan jangka waktu</h2>",
                    "<h2>Perintah yang ditolak</h2>", "Periode:", "per kasus"):
        assert heading in page, heading
    for english in ("<h2>Cases</h2>", "<h2>Breaches</h2>", "Refused commands", "Period:"):
        assert english not in page, english
    default = invoke("--db", db, "report", "mediasi", "--format", "html")
    assert '<html lang="en">' in default.output and "<h2>Cases</h2>" in default.output


def test_diff_wording_comes_from_the_catalogue() -> None:
    """The phrases of ``alur diff`` (Change.message) are ``cli.diff.*`` catalogue entries."""
    import engine.authoring.diff
    from engine.messages import CATALOGUE

    assert CATALOGUE["cli.diff.step"] == {"en": ("Step {number} '{id}'", ""),
                                          "id": ("Langkah {number} '{id}'", "")}
    assert CATALOGUE["cli.diff.unit.working_days"]["id"][0] == "hari kerja"
    change = engine.authoring.diff.Change(engine.authoring.diff.ChangeKind.ROLE_REMOVED, "kepala",
                                old={"title": "Kepala"})
    assert change.message() == "Role 'kepala' removed (was: 'Kepala')"
    assert change.message("id") == "Peran 'kepala' dihapus (sebelumnya: 'Kepala')"


# --- store errors, parameters, case file lines and report units --------------------------------

def test_store_url_error_follows_alur_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_LANG", "id")
    result = invoke("--db", "foo://x", "case", "list")
    assert result.exit_code == 2, result.output
    assert "skema URL penyimpanan 'foo://' tidak dikenal" in result.output
    assert "unknown store URL scheme" not in result.output
    monkeypatch.delenv("ALUR_LANG")
    english = invoke("--db", "foo://x", "case", "list")
    assert english.exit_code == 2
    assert "unknown store URL scheme 'foo://'" in english.output


def test_not_a_database_in_indonesian(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some text " * 100)
    monkeypatch.setenv("ALUR_LANG", "id")
    result = invoke("--db", f"sqlite:///{junk}", "case", "list")
    assert result.exit_code == 5, result.output
    assert f"{junk} bukan basis data SQLite" in result.output
    assert "is not a SQLite database" not in result.output


def test_bad_now_parameter_in_indonesian() -> None:
    result = invoke("--lang", "id", "due", "--now", "yesterday", "--db", "memory://")
    assert result.exit_code == 2, result.output
    assert "'yesterday' bukan waktu ISO 8601" in result.output
    assert "is not ISO 8601" not in result.output
    result = invoke("--lang", "id", "due", "--now", "2026-03-02T09:00:00", "--db", "memory://")
    assert result.exit_code == 2, result.output
    assert "berikan selisih zona waktu" in result.output
    english = invoke("due", "--now", "yesterday", "--db", "memory://")
    assert english.exit_code == 2 and "'yesterday' is not ISO 8601" in english.output


def test_case_file_problem_line_in_indonesian(tmp_path: Path) -> None:
    shape = tmp_path / "shape.yaml"
    shape.write_text("cases:\n  - foo: 1\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = invoke("--lang", "id", "--db", url, "run", "mediasi", shape)
    assert f"{shape}: kasus 1: kunci 'foo' tidak dikenal (seharusnya id," in result.output
    assert "unknown key" not in result.output
    english = invoke("--db", url, "run", "mediasi", shape)
    assert f"{shape}: case 1: unknown key 'foo' (expected id," in english.output


def test_report_unit_in_indonesian(db: str) -> None:
    english = invoke("--db", db, "report", "mediasi")
    assert english.exit_code == 0, english.output
    result = invoke("--lang", "id", "--db", db, "report", "mediasi")
    assert result.exit_code == 0, result.output
    units = {"working days": "hari kerja", "calendar days": "hari kalender", "hours": "jam"}
    def heading(output: str) -> str:  # the first line after the once-a-session roster note
        return next(line for line in output.splitlines() if not line.startswith(
            ("note:", "catatan:")))

    used = [unit for unit in units if unit in heading(english.output)]
    assert used, english.output
    assert units[used[0]] in heading(result.output)
    assert used[0] not in result.output
