"""Case record files (``engine.runner`` and ``alur run``): every mistake in a file is reported
with the file and the case / action number, never as a traceback, and one refused case does not
stop the others."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from cli import main
from engine.api import Engine
from engine.errors import CaseError, InvalidCaseInput
from engine.runner import CaseRun, load_case_file, run_case_file

ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = ROOT / "procedures"
AT = "2026-03-02T{}:00+07:00".format


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_PROCEDURES", str(PROCEDURES))
    for name in ("ALUR_LANG", "ALUR_DB", "ALUR_ROSTER"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug: the test fails loudly
    return result


def sapa_case(case_id: str, *actions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A SAPA case opened by its reporter, then ``actions``."""
    return {"id": case_id,
            "opened": {"at": AT("08:00"), "user": "pelapor-x", "role": "pelapor"},
            "facts": {"contacted_sapa": True}, "actions": list(actions), **extra}


def act(time: str, kind: str, value: Any, user: str = "pelapor-x", role: str = "pelapor",
        **extra: Any) -> dict[str, Any]:
    return {"at": AT(time), "user": user, "role": role, kind: value, **extra}


FIRST = act("08:05", "do", "menghubungi_sapa")
SECOND = act("09:00", "do", "menerima_pengaduan", user="admin1", role="admin")


def write(folder: Path, data: Any, name: str = "kasus.yaml") -> Path:
    path = folder / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True,
                                                             sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(tmp_path: Path, path: Path, *extra: str, proc: str = "sapa") -> Result:
    return invoke("--db", f"sqlite:///{tmp_path / 'x.db'}", "run", proc, path, *extra)


def stored_cases(tmp_path: Path) -> list[str]:
    result = invoke("--db", f"sqlite:///{tmp_path / 'x.db'}", "case", "list", "--format",
                    "json")
    assert result.exit_code == 0
    return [row["case_id"] for row in json.loads(result.stdout)["cases"]]


def runs(tmp_path: Path, path: Path, proc: str = "sapa") -> list[CaseRun]:
    with Engine(f"sqlite:///{tmp_path / 'api.db'}", lang="en") as engine:
        return run_case_file(engine, proc, path)


# --- the file as a whole --------------------------------------------------------------------

def test_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "cases:\n  - id: a\n    opened: {at: [unclosed\n")
    with pytest.raises(InvalidCaseInput) as caught:
        load_case_file(path)
    assert caught.value.message.startswith(f"{path}: 1 problem(s) in the case file")
    assert f"{path}:4:1: error Y001 YAML syntax error:" in caught.value.message
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert f"{path}:4:1: error Y001 YAML syntax error" in result.stderr
    assert "Traceback" not in result.output


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("cases: []\n# Sabtu \xe9\n".encode("latin-1"))
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert f"{path}:2:9: error Y006 file is not valid UTF-8" in result.stderr


def test_a_duplicated_key_is_a_located_error_and_runs_nothing(tmp_path: Path) -> None:
    """yaml.safe_load kept the second 'do:' silently; the hardened reader refuses the file."""
    path = write(tmp_path, "cases:\n  - id: sapa-1\n    actions:\n"
                           "      - {user: a, role: pelapor, do: menghubungi_sapa,\n"
                           "         do: verifikasi}\n")
    with pytest.raises(InvalidCaseInput) as caught:
        load_case_file(path)
    assert f"{path}:5:10: error Y002 duplicate key 'do' (first at line 4)" \
        in caught.value.message
    assert run_cli(tmp_path, path).exit_code == 1
    assert stored_cases(tmp_path) == []


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "procedure: sapa\n",
                                  "cases: {id: a}\n", "just text\n"])
def test_no_cases_list(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert f"error: {path}: a case file needs a 'cases:' list" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli(tmp_path, tmp_path / "nowhere.yaml")
    assert result.exit_code == 1
    assert "cannot read case file" in result.stderr


def test_wrong_procedure_in_file(tmp_path: Path) -> None:
    path = write(tmp_path, {"procedure": "sapa", "cases": [sapa_case("sapa-1", FIRST)]})
    result = run_cli(tmp_path, path, proc="mediasi")
    assert result.exit_code == 1
    assert "the case file is for procedure 'sapa', not 'mediasi'" in result.stderr
    assert "hint: run it with procedure sapa" in result.stderr
    assert stored_cases(tmp_path) == []
    as_json = run_cli(tmp_path, path, "--format", "json", proc="mediasi")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["code"] == "INVALID_INPUT"


def test_a_malformed_second_file_runs_nothing(tmp_path: Path) -> None:
    good = write(tmp_path, {"cases": [sapa_case("sapa-1", FIRST)]}, "good.yaml")
    bad = write(tmp_path, {"cases": [sapa_case("sapa-2", {"do": "menghubungi_sapa"})]},
                "bad.yaml")
    result = run_cli(tmp_path, good, bad)
    assert result.exit_code == 1
    assert f"{bad}: case 1 (sapa-2), action 1: needs 'user'" in result.stderr
    assert stored_cases(tmp_path) == []


def test_unknown_procedure(tmp_path: Path) -> None:
    path = write(tmp_path, {"cases": [sapa_case("sapa-1")]})
    result = run_cli(tmp_path, path, proc="tidak-ada")
    assert result.exit_code == 3
    assert "no procedure 'tidak-ada'" in result.stderr


# --- shape problems: named with file, case and action, and nothing runs --------------------

SHAPE_PROBLEMS = [
    ("two kinds", act("08:05", "do", "menghubungi_sapa", fact={"contacted_sapa": True}),
     "case 2 (sapa-bad), action 1: an action needs exactly one of do, fact, participant, "
     "attach, extend, withdraw, terminate (found do, fact)"),
    ("no kind", {"at": AT("08:05"), "user": "pelapor-x", "role": "pelapor"},
     "case 2 (sapa-bad), action 1: an action needs exactly one of"),
    ("missing user", {"at": AT("08:05"), "role": "pelapor", "do": "menghubungi_sapa"},
     "case 2 (sapa-bad), action 1: needs 'user'"),
    ("missing role", {"at": AT("08:05"), "user": "pelapor-x", "do": "menghubungi_sapa"},
     "case 2 (sapa-bad), action 1: needs 'role'"),
    ("empty user", act("08:05", "do", "menghubungi_sapa", user=""),
     "case 2 (sapa-bad), action 1: 'user' must be a non-empty text"),
    ("not a mapping", "do menghubungi_sapa",
     "case 2 (sapa-bad), action 1: an action is a mapping"),
    ("unknown key", act("08:05", "do", "menghubungi_sapa", outcom="x"),
     "case 2 (sapa-bad), action 1: unknown key 'outcom'"),
    ("documents on a fact", act("08:05", "fact", {"contacted_sapa": True},
                                documents={"dokumen_kasus": {"text": "x"}}),
     "case 2 (sapa-bad), action 1: 'documents' does not go with 'fact'"),
    ("two facts", act("08:05", "fact", {"contacted_sapa": True, "x": 1}),
     "case 2 (sapa-bad), action 1: 'fact' takes one 'name: value' pair"),
    ("participant without name", act("08:05", "participant", {"pelapor": None}),
     "case 2 (sapa-bad), action 1: 'participant': 'pelapor' needs the person's name"),
    ("extend amount", act("08:05", "extend", {"amount": "dua", "reason": "x"},
                          user="kabid1", role="kepala_bidang"),
     "case 2 (sapa-bad), action 1: 'extend' needs 'amount', a whole number of at least 1"),
    ("document shape", act("08:05", "do", "menghubungi_sapa",
                           documents={"dokumen_kasus": {"path": "x.pdf"}}),
     "case 2 (sapa-bad), action 1: 'documents': document 'dokumen_kasus' needs exactly one "
     "of {text: ...} or {file: path}"),
    ("participants list", act("08:05", "do", "menghubungi_sapa", participants=["pelapor"]),
     "case 2 (sapa-bad), action 1: 'participants' must be a mapping of role: name"),
    ("empty linked case", act("08:05", "do", "menghubungi_sapa", case=""),
     "case 2 (sapa-bad), action 1: 'case' must be a non-empty text"),
]


@pytest.mark.parametrize(("action", "message"), [(a, m) for _, a, m in SHAPE_PROBLEMS],
                         ids=[name for name, _, _ in SHAPE_PROBLEMS])
def test_action_shape_problems(tmp_path: Path, action: Any, message: str) -> None:
    path = write(tmp_path, {"procedure": "sapa",
                            "cases": [sapa_case("sapa-good", FIRST),
                                      sapa_case("sapa-bad", action)]})
    with pytest.raises(InvalidCaseInput) as caught:
        load_case_file(path)
    assert f"{path}: {message}" in caught.value.message
    assert caught.value.message.startswith(f"{path}: 1 problem(s) in the case file; "
                                           "nothing was run")
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert stored_cases(tmp_path) == []  # not even the good case ran


CASE_PROBLEMS = [
    ({"actions": {"do": "menghubungi_sapa"}}, "case 1 (sapa-1): 'actions' must be a list"),
    ({"facts": ["contacted_sapa"]}, "case 1 (sapa-1): 'facts' must be a mapping"),
    ({"expect": {"statu": "completed"}}, "case 1 (sapa-1): unknown key 'statu' in 'expect'"),
    ({"expect": "completed"}, "case 1 (sapa-1): 'expect' must be a mapping"),
    ({"opened": "2026-03-02"}, "case 1 (sapa-1): 'opened' must be a mapping"),
    ({"opened": {"at": AT("08:00"), "user": "x", "rol": "pelapor"}},
     "case 1 (sapa-1): unknown key 'rol' in 'opened'"),
    ({"action": []}, "case 1 (sapa-1): unknown key 'action'"),
    ({"id": 7}, "case 1 (7): 'id' must be a non-empty text"),
    ({"participants": {"pelapor": ""}},
     "case 1 (sapa-1): 'participants': 'pelapor' needs the person's name"),
]


@pytest.mark.parametrize(("change", "message"), CASE_PROBLEMS,
                         ids=[m.split(": ", 1)[1] for _, m in CASE_PROBLEMS])
def test_case_shape_problems(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    path = write(tmp_path, {"cases": [{**sapa_case("sapa-1", FIRST), **change}]})
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert f"{path}: {message}" in result.stderr
    assert stored_cases(tmp_path) == []


def test_a_case_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, {"cases": [sapa_case("sapa-1"), "sapa-2"]})
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert f"{path}: case 2: each case is a mapping" in result.stderr


def test_every_shape_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, {"procedur": "sapa", "cases": [
        sapa_case("sapa-1", {"do": "menghubungi_sapa"}),
        sapa_case("sapa-2", FIRST, act("09:00", "withdraw", ["x"]))]})
    with pytest.raises(InvalidCaseInput) as caught:
        load_case_file(path)
    message = caught.value.message
    assert message.startswith(f"{path}: 4 problem(s)")
    assert f"{path}: unknown key 'procedur'" in message
    assert f"{path}: case 1 (sapa-1), action 1: needs 'user'" in message
    assert f"{path}: case 1 (sapa-1), action 1: needs 'role'" in message
    assert f"{path}: case 2 (sapa-2), action 2: 'withdraw' takes the reason as text" in message


# --- problems only the procedure can judge: the case is refused, the others go on -----------

def test_fact_of_the_wrong_type(tmp_path: Path) -> None:
    bad = {"id": "mediasi-1",
           "opened": {"at": AT("09:00"), "user": "pendamping1", "role": "pendamping_ppa"},
           "facts": {"victim_is_child": "maybe", "perpetrator_is_child": False,
                     "has_special_needs": False}}
    path = write(tmp_path, {"procedure": "mediasi", "cases": [bad]})
    (run,) = runs(tmp_path, path, "mediasi")
    assert isinstance(run.refused, InvalidCaseInput)
    assert run.refused_action == 0 and run.refused_at == "opening"
    assert run.refused_rule == "INVALID_INPUT"
    assert "fact 'victim_is_child' must be true or false, got 'maybe'" in run.refused.message
    assert run.state is None and not run.as_expected
    result = run_cli(tmp_path, path, proc="mediasi")
    assert result.exit_code == 1
    assert "(not opened)" not in result.stdout
    assert f"mediasi-1  ({path.name}, case 1)" in result.stdout
    assert "REFUSED at opening [INVALID_INPUT]: fact 'victim_is_child' must be true or false" \
        in result.stdout
    assert "NOT AS EXPECTED" in result.stdout
    assert stored_cases(tmp_path) == []


def test_fact_of_the_wrong_type_in_an_action(tmp_path: Path) -> None:
    path = write(tmp_path, {"cases": [sapa_case(
        "sapa-1", FIRST, act("08:10", "fact", {"contacted_sapa": "maybe"},
                             user="admin1", role="admin"))]})
    result = run_cli(tmp_path, path, "--format", "json")
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)
    assert entry["refused_action"] == 2
    assert entry["refused"]["code"] == "INVALID_INPUT"
    assert "must be true or false" in entry["refused"]["message"]
    assert entry["status"] == "active" and entry["path"] == ["menghubungi_sapa"]


def test_unknown_document(tmp_path: Path) -> None:
    path = write(tmp_path, {"cases": [sapa_case(
        "sapa-1", act("08:05", "do", "menghubungi_sapa",
                      documents={"formulir_sapa": {"text": "isi formulir"}}))]})
    (run,) = runs(tmp_path, path)
    assert isinstance(run.refused, InvalidCaseInput)
    assert run.refused_action == 1
    assert "procedure sapa has no document 'formulir_sapa'" in run.refused.message
    assert run.state is not None and run.state.path == []  # the step did not complete
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert "REFUSED at action 1 [INVALID_INPUT]: procedure sapa has no document " \
           "'formulir_sapa'" in result.stdout


@pytest.mark.parametrize("where", ["opening", "action"])
@pytest.mark.parametrize("target", ["../../etc/passwd", "/etc/passwd", "../rahasia.txt"])
def test_document_outside_the_case_file_folder(tmp_path: Path, where: str, target: str) -> None:
    folder = tmp_path / "kasus"
    folder.mkdir()
    (tmp_path / "rahasia.txt").write_text("bukan untuk dilampirkan", encoding="utf-8")
    document = {"surat_rujukan": {"file": target}}
    if where == "opening":
        bad = {**sapa_case("sapa-bad", FIRST), "documents": document}
    else:
        bad = sapa_case("sapa-bad", FIRST, act("08:10", "attach", document,
                                               user="subkoor1", role="sub_koordinator"))
    path = write(folder, {"cases": [bad, sapa_case("sapa-next", FIRST)]})
    first, second = runs(tmp_path, path)
    assert isinstance(first.refused, CaseError)
    assert first.refused_rule == "CASE"
    label = "opening" if where == "opening" else "action 2"
    assert first.refused_at == label
    assert first.refused.message.startswith(f"{path}: case 1, {label}: document path "
                                            f"'{folder / target}' is outside the documents "
                                            "folder")
    assert second.refused is None and second.state is not None
    assert second.state.current_step == "menerima_pengaduan"

    result = run_cli(tmp_path, path, "--format", "json")
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert entries[0]["refused"]["error"] == "CaseError"
    assert entries[1]["refused"] is None and entries[1]["status"] == "active"
    with Engine(f"sqlite:///{tmp_path / 'x.db'}") as engine:
        if where == "opening":
            assert [s.case_id for s in engine.cases()] == ["sapa-next"]
        else:  # the case stays as the first action left it
            state = engine.case("sapa-bad")
            assert "surat_rujukan" not in state.documents
            assert [e.type for e in engine.events("sapa-bad")][-1] == "step_started"


def test_document_inside_the_folder_is_attached(tmp_path: Path) -> None:
    (tmp_path / "lampiran").mkdir()
    (tmp_path / "lampiran" / "rujukan.txt").write_text("Surat rujukan (fiktif)",
                                                       encoding="utf-8")
    path = write(tmp_path, {"cases": [sapa_case(
        "sapa-1", FIRST, act("08:10", "attach",
                             {"surat_rujukan": {"file": "lampiran/rujukan.txt"}},
                             user="subkoor1", role="sub_koordinator"))],
    })
    (run,) = runs(tmp_path, path)
    assert run.refused is None and run.state is not None
    assert run.state.documents["surat_rujukan"]["name"] == "rujukan.txt"
    assert run.state.documents["surat_rujukan"]["size"] == len("Surat rujukan (fiktif)")


def test_time_that_is_not_iso(tmp_path: Path) -> None:
    path = write(tmp_path, {"cases": [sapa_case("sapa-1", {**FIRST, "at": "kemarin sore"})]})
    (run,) = runs(tmp_path, path)
    assert isinstance(run.refused, InvalidCaseInput)
    assert "'kemarin sore' is not an ISO 8601 date-time" in run.refused.message


def test_one_refused_case_does_not_stop_the_others(tmp_path: Path) -> None:
    wrong_role = act("09:00", "do", "menerima_pengaduan", user="pelapor-x", role="pelapor")
    path = write(tmp_path, {"procedure": "sapa", "cases": [
        sapa_case("sapa-1", FIRST, SECOND, expect={"status": "active"}),
        sapa_case("sapa-2", FIRST, wrong_role, SECOND),
        sapa_case("sapa-3", FIRST, SECOND,
                  act("10:00", "withdraw", "Pelapor mencabut pengaduan"),
                  expect={"status": "withdrawn"}),
    ]})
    result = run_cli(tmp_path, path, "--format", "json")
    assert result.exit_code == 1  # sapa-2 says nothing about being refused
    entries = {e["case_id"]: e for e in json.loads(result.stdout)}
    assert entries["sapa-1"]["as_expected"] and entries["sapa-3"]["as_expected"]
    assert entries["sapa-3"]["status"] == "withdrawn"
    refused = entries["sapa-2"]
    assert not refused["as_expected"]
    assert refused["refused"]["rule"] == "guard.role" and refused["refused_action"] == 2
    assert refused["path"] == ["menghubungi_sapa"]  # action 3 never ran
    assert refused["status"] == "active"
    assert sorted(stored_cases(tmp_path)) == ["sapa-1", "sapa-2", "sapa-3"]
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    text = run_cli(fresh, path)
    assert text.exit_code == 1
    assert text.stdout.count("NOT AS EXPECTED") == 1
    assert "NOT AS EXPECTED (expected {})" in text.stdout
    assert "REFUSED at action 2 [guard.role]" in text.stdout


def test_an_action_on_a_case_this_one_did_not_open_is_refused(tmp_path: Path) -> None:
    """``case:`` reaches only a case this case opened (a referral, a plan service): never
    another case of the store, even one of the same file."""
    path = write(tmp_path, {"procedure": "sapa", "cases": [
        sapa_case("sapa-1", FIRST),
        sapa_case("sapa-2", FIRST, {**SECOND, "case": "sapa-1"}, SECOND,
                  expect={"refused": "INVALID_INPUT"}),
    ]})
    result = run_cli(tmp_path, path, "--format", "json")
    assert result.exit_code == 0, result.output
    entries = {e["case_id"]: e for e in json.loads(result.stdout)}
    refused = entries["sapa-2"]
    assert refused["refused_action"] == 2 and refused["path"] == ["menghubungi_sapa"]
    assert "case 'sapa-1' was not opened by case 'sapa-2' (the cases it opened: -)" in \
        refused["refused"]["message"]
    assert entries["sapa-1"]["path"] == ["menghubungi_sapa"]  # untouched
    shown = invoke("--db", f"sqlite:///{tmp_path / 'x.db'}", "case", "show", "sapa-1",
                   "--format", "json")
    assert [p["step"] for p in json.loads(shown.stdout)["path"]] == ["menghubungi_sapa"]


def test_expected_refusal_makes_the_run_succeed(tmp_path: Path) -> None:
    wrong_role = act("09:00", "do", "menerima_pengaduan", user="pelapor-x", role="pelapor")
    path = write(tmp_path, {"cases": [
        sapa_case("sapa-1", FIRST, wrong_role, expect={"refused": "guard.role",
                                                       "status": "active"}),
        sapa_case("sapa-2", act("08:05", "fact", {"contacted_sapa": "maybe"}),
                  expect={"refused": "INVALID_INPUT"}),
    ]})
    result = run_cli(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert "REFUSED at action 2 [guard.role]" in result.stdout
    assert "REFUSED at action 1 [INVALID_INPUT]" in result.stdout


@pytest.mark.parametrize(("expect", "ok"), [
    ({"status": "active"}, True),
    ({"status": "completed"}, False),
    ({"refused": "guard.role"}, False),
    ({}, True),
])
def test_expectations_of_a_case_that_is_not_refused(tmp_path: Path, expect: dict[str, str],
                                                     ok: bool) -> None:
    path = write(tmp_path, {"cases": [sapa_case("sapa-1", FIRST, expect=expect)]})
    (run,) = runs(tmp_path, path)
    assert run.refused is None
    assert run.as_expected is ok
    assert run_cli(tmp_path, path).exit_code == (0 if ok else 1)


def test_wrong_refusal_rule_is_not_as_expected(tmp_path: Path) -> None:
    path = write(tmp_path, {"cases": [sapa_case(
        "sapa-1", FIRST, act("08:06", "do", "penjangkauan", user="admin1", role="admin"),
        expect={"refused": "guard.role"})]})
    (run,) = runs(tmp_path, path)
    assert run.refused_rule == "guard.not_current"
    assert not run.as_expected


def test_bad_now_runs_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, {"cases": [sapa_case("sapa-1", FIRST)]})
    result = run_cli(tmp_path, path, "--now", "besok")
    assert result.exit_code == 2
    assert "is not ISO 8601" in result.output
    naive = run_cli(tmp_path, path, "--now", "2026-03-20T09:00:00")
    assert naive.exit_code == 2
    assert stored_cases(tmp_path) == []


def test_generated_ids_and_default_unit(tmp_path: Path) -> None:
    case = sapa_case("x", FIRST, act("09:00", "extend", {"amount": 2, "reason": "situasional"},
                                     user="kabid1", role="kepala_bidang"))
    del case["id"]
    path = write(tmp_path, {"cases": [case]})
    (run,) = runs(tmp_path, path)
    assert run.refused is None and run.case_id is not None
    assert run.case_id.startswith("sapa-")
    assert run.state is not None
    assert run.state.extensions[0]["due_at"].startswith("2026-03-06")  # 2 working days more


# --- the case file model of `alur validate` refuses what `alur run` refuses ---------------------

@pytest.mark.parametrize("case", [sapa_case("sapa-bad", a) for _, a, _ in SHAPE_PROBLEMS]
                         + [{**sapa_case("sapa-1", FIRST), **c} for c, _ in CASE_PROBLEMS]
                         + ["sapa-2"],
                         ids=[n for n, _, _ in SHAPE_PROBLEMS]
                         + [m.split(": ", 1)[1] for _, m in CASE_PROBLEMS] + ["not a mapping"])
def test_validate_refuses_every_case_file_run_refuses(tmp_path: Path, case: Any) -> None:
    """Two readers of one format (runner's messages name case and action; the model of
    engine/cases/case_file.py locates by line): this keeps them from drifting apart."""
    from engine.cases.case_file import check_case_record_file

    path = write(tmp_path, {"procedure": "sapa", "cases": [sapa_case("sapa-good", FIRST), case]})
    with pytest.raises(InvalidCaseInput):
        load_case_file(path)
    read = check_case_record_file(path)
    assert read.model is None and read.errors
    assert all(d.line > 1 for d in read.errors)  # each at its place, not at the file's start


def test_validate_accepts_what_run_accepts(tmp_path: Path) -> None:
    from engine.cases.case_file import check_case_record_file

    path = write(tmp_path, {"procedure": "sapa", "cases": [sapa_case("sapa-1", FIRST)]})
    assert load_case_file(path)
    assert check_case_record_file(path).diagnostics == ()


def test_rerun_on_the_same_store_skips_existing_cases(tmp_path: Path) -> None:
    """Without --skip-existing a re-run refuses every case (and says what to add); with it the
    stored cases are reported and the run exits 0."""
    path = Path(__file__).resolve().parent.parent / "examples" / "sapa-selesai.yaml"
    assert run_cli(tmp_path, path).exit_code == 0
    again = run_cli(tmp_path, path)
    assert again.exit_code == 1 and "add --skip-existing" in again.output
    skipped = run_cli(tmp_path, path, "--skip-existing")
    assert skipped.exit_code == 0, skipped.output
    assert skipped.output.count("already in the store: not run again") == 4
    data = json.loads(run_cli(tmp_path, path, "--skip-existing", "--format",
                              "json").stdout)
    assert all(entry["skipped"] and entry["as_expected"] for entry in data)
    assert {entry["status"] for entry in data} == {"completed", "withdrawn"}


# --- expect: {breaches: [...]} ----------------------------------------------------------------

ENCODED = ROOT / "tests" / "fixtures" / "encoded"
RKD = ENCODED / "rujukan_kesehatan_denpasar.yaml"
RKD_CASES = ENCODED / "rujukan_kesehatan_denpasar.case.yaml"


def rkd_cases(**expects: Any) -> dict[str, Any]:
    """The Denpasar case file with other ``breaches`` expectations (case id: list)."""
    data: dict[str, Any] = yaml.safe_load(RKD_CASES.read_text(encoding="utf-8"))
    for case in data["cases"]:
        if case["id"] in expects:
            case["expect"] = {"status": "completed", "breaches": expects[case["id"]]}
    return data


def test_the_denpasar_file_states_its_breach_and_runs_as_expected(tmp_path: Path) -> None:
    result = run_cli(tmp_path, RKD_CASES, "--format", "json", proc=str(RKD))
    assert result.exit_code == 0, result.output
    report = {entry["case_id"]: entry for entry in json.loads(result.stdout)}
    assert report["rkd-uji-01"]["expected"]["breaches"] == []
    assert report["rkd-uji-02"]["expected"]["breaches"] == ["phase:hubungi_rs_30_menit"]
    assert report["rkd-uji-02"]["breaches"] == ["phase:hubungi_rs_30_menit"]


@pytest.mark.parametrize(("wanted", "missing", "unexpected"), [
    ([], "-", "phase:hubungi_rs_30_menit"),
    (["case"], "case", "phase:hubungi_rs_30_menit"),
    (["phase:hubungi_rs_30_menit", "phase:hasil_240_menit"], "phase:hasil_240_menit", "-"),
])
def test_breaches_other_than_expected_fail_the_run_with_the_case_named(
        tmp_path: Path, wanted: list[str], missing: str, unexpected: str) -> None:
    path = write(tmp_path, rkd_cases(**{"rkd-uji-02": wanted}))
    result = run_cli(tmp_path, path, proc=str(RKD))
    assert result.exit_code == 1
    assert (f"{path}: case 2: breaches not as expected: expected but not breached: {missing}; "
            f"breached but not expected: {unexpected}") in result.stdout
    first, second = runs(tmp_path, path, proc=str(RKD))
    assert first.as_expected and not second.as_expected
    assert second.breach_mismatch == ([m for m in [missing] if m != "-"],
                                      [u for u in [unexpected] if u != "-"])


def test_a_breach_the_procedure_cannot_have_is_a_located_error_and_runs_nothing(
        tmp_path: Path) -> None:
    path = write(tmp_path, rkd_cases(**{"rkd-uji-02": ["phase:hubungi_rs_30_menit",
                                                       "phase:hubungi_rs"]}))
    result = run_cli(tmp_path, path, proc=str(RKD))
    assert result.exit_code == 1
    assert (f"{path}: case 2 (rkd-uji-02): expect 'breaches': procedure "
            "rujukan_kesehatan_denpasar has no time limit 'phase:hubungi_rs' (it has: case, "
            "phase:hubungi_rs_30_menit, phase:hasil_240_menit)") in result.stderr
    assert "Traceback" not in result.output
    assert stored_cases(tmp_path) == []


@pytest.mark.parametrize("value", ["case", [""], [3], {"case": True}])
def test_breaches_must_be_a_list_of_targets(tmp_path: Path, value: Any) -> None:
    path = write(tmp_path, {"cases": [sapa_case("sapa-1", FIRST,
                                                expect={"breaches": value})]})
    result = run_cli(tmp_path, path)
    assert result.exit_code == 1
    assert f"{path}: case 1 (sapa-1): expect 'breaches' must be a list" in result.stderr
    assert stored_cases(tmp_path) == []


def test_a_breach_recorded_by_now_counts(tmp_path: Path) -> None:
    """The hospital is never called: at 10:00 the 30-minute window has passed; the overall
    240 minutes have not."""
    data = rkd_cases()
    case = {**data["cases"][0], "actions": [], "expect": {
        "status": "active", "breaches": ["phase:hubungi_rs_30_menit"]}}
    path = write(tmp_path, {"procedure": data["procedure"], "cases": [case]})
    assert run_cli(tmp_path, path, proc=str(RKD)).exit_code == 1   # nothing checked yet
    path = write(tmp_path, {"procedure": data["procedure"],
                            "cases": [{**case, "id": "rkd-uji-03"}]}, "kasus3.yaml")
    result = run_cli(tmp_path, path, "--now", "2026-05-04T10:00:00+08:00", proc=str(RKD))
    assert result.exit_code == 0, result.output


def test_validate_locates_a_breaches_value_that_is_not_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "procedure: sapa\ncases:\n  - id: a\n    expect: {breaches: case}\n",
                 "x.case.yaml")
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert f"{path}:4:24: error S003 expected a list" in result.output
