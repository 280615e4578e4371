"""``alur import``: drafting a procedure from the plain text of a published Standar Pelayanan.

(a) The two seeds reproduce the essentials of the hand-written procedures (steps, actors,
requirements, time limit, decree, SAPA's copy-error decision, header handling). (b) SP texts in
other layouts (``tests/fixtures/sp_texts``) degrade gracefully: the draft validates and marks its
guesses. (c) Property tests: random and mangled text never raises and always yields a draft that
validates. (d) The command line: -o, stdout, json, errors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from engine.authoring import importer
from engine.authoring.importer import MODELINE, Draft, draft_procedure, slug
from engine.procedure.validate import check_bytes

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "fixtures" / "sp_texts"
MEDIASI = TEXTS / "000_5b7c4c12d8571858.txt"
SAPA = TEXTS / "004_160641347f90fabb.txt"
SEEDS = [(MEDIASI, ROOT / "procedures" / "mediasi.yaml", 10),
         (SAPA, ROOT / "procedures" / "sapa.yaml", 6)]
CORPUS = sorted(p for p in TEXTS.glob("*.txt") if p not in (MEDIASI, SAPA))


def draft(path: Path, lang: str = "en") -> tuple[Draft, dict[str, Any]]:
    result = draft_procedure(path.read_text(encoding="utf-8"), source_name=path.name, lang=lang)
    return result, yaml.safe_load(result.yaml)


def assert_valid(result: Draft) -> None:
    checked = check_bytes(result.yaml.encode("utf-8"))
    assert not checked.errors, "\n".join(d.format() for d in checked.errors)
    assert checked.procedure is not None
    assert result.yaml.splitlines()[0].startswith("# yaml-language-server: $schema=")


def loose(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower())


def same_role(a: str, b: str) -> bool:
    x, y = loose(a), loose(b)
    return bool(x) and bool(y) and (x in y or y in x)


def base_number(number: str) -> str:
    return re.sub(r"[a-z]$", "", str(number))


# --- (a) the seeds -----------------------------------------------------------------------------

@pytest.fixture(scope="module", params=SEEDS, ids=["mediasi", "sapa"])
def seed(request: pytest.FixtureRequest) -> tuple[Path, Draft, dict[str, Any], dict[str, Any]]:
    text_path, yaml_path, _count = request.param
    result, data = draft(text_path)
    hand = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    return text_path, result, data, hand


def test_seed_draft_validates_without_simplification(seed: Any) -> None:
    _path, result, _data, _hand = seed
    assert_valid(result)
    assert result.fallback == 0
    assert result.yaml.splitlines()[0] == MODELINE


@pytest.mark.parametrize(("text_path", "yaml_path", "count"), SEEDS, ids=["mediasi", "sapa"])
def test_seed_has_the_same_source_steps(text_path: Path, yaml_path: Path, count: int) -> None:
    _result, data = draft(text_path)
    hand = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    numbers = [s["number"] for s in data["steps"]]
    assert len(set(numbers)) == count
    assert set(numbers) == {base_number(s["number"]) for s in hand["steps"]}


def test_seed_identity_and_agency_match(seed: Any) -> None:
    _path, _result, data, hand = seed
    assert data["id"] == hand["id"]
    assert data["title"] == hand["title"]
    for key in ("name", "unit", "region", "address", "phone", "website", "timezone"):
        assert data["agency"][key] == hand["agency"][key], key


def test_seed_actors_named_by_the_source_match(seed: Any) -> None:
    _path, _result, data, hand = seed
    titles = {r["id"]: r["title"] for r in data["roles"]}
    hand_titles = {r["id"]: r["title"] for r in hand["roles"]}
    first_part: dict[str, dict[str, Any]] = {}
    for step in hand["steps"]:
        first_part.setdefault(base_number(step["number"]), step)
    checked = 0
    for step in data["steps"]:
        reference = first_part[step["number"]]
        if reference.get("actor_inferred"):
            assert step.get("actor_inferred") is True, step["number"]
            continue
        assert not step.get("actor_inferred"), step["number"]
        assert same_role(titles[step["actor"]], hand_titles[reference["actor"]]), step["number"]
        checked += 1
    assert checked >= 6


def test_seed_inferred_actors_are_flagged_and_marked(seed: Any) -> None:
    _path, result, data, _hand = seed
    lines = result.yaml.splitlines()
    inference = {f["about"] for f in data.get("flags", []) if f["kind"] == "inference"}
    for step in data["steps"]:
        if step.get("actor_inferred"):
            assert f"steps.{step['id']}" in inference
            start = next(i for i, line in enumerate(lines)
                         if line.strip().startswith(f"- id: {step['id']}"))
            actor_line = next(line for line in lines[start:] if line.strip().startswith("actor:"))
            assert actor_line.strip().startswith(f"actor: {step['actor']}  # REVIEW:")


def test_seed_requirements_are_verbatim(seed: Any) -> None:
    _path, _result, data, hand = seed
    assert [r["text"] for r in data["requirements"]] == [r["text"] for r in hand["requirements"]]
    assert [r.get("presence", "required") for r in data["requirements"]] == \
        [r.get("presence", "required") for r in hand["requirements"]]
    documents = {d["id"]: d for d in data.get("documents", [])}
    for requirement in data["requirements"]:
        if "document" in requirement:
            document = documents[requirement["document"]]
            assert document["kind"] == "requirement"
            assert document.get("presence", "required") == requirement.get("presence",
                                                                             "required")


def test_seed_time_limit(seed: Any) -> None:
    _path, result, data, hand = seed
    limit, expected = data["time_limit"], hand["time_limit"]
    for key in ("amount", "unit", "starts", "source_text"):
        assert limit[key] == expected[key], key
    assert limit.get("situational", False) == expected.get("situational", False)
    assert limit.get("extendable", False) == expected.get("extendable", False)
    assert any(n.code == "time_unit" and n.kind == "assumption" for n in result.notes)
    unit_line = next(line for line in result.yaml.splitlines()
                     if line.strip().startswith("unit: working_days"))
    assert "# REVIEW:" in unit_line


def test_seed_cost_products_complaints(seed: Any) -> None:
    _path, _result, data, hand = seed
    assert data["cost"] == {"amount": 0, "text": hand["cost"]["text"]}
    assert data["products"] == hand["products"]
    assert data["complaints"] == hand["complaints"]
    assert all(data["components"][name] == {"status": "unknown"}
               for name in hand["components"])


def test_seed_step_texts_are_verbatim_substrings(seed: Any) -> None:
    path, _result, data, _hand = seed
    source = path.read_text(encoding="utf-8")
    for step in data["steps"]:
        assert step["text"] in source
        for outcome in (step.get("decision") or {}).get("outcomes", []):
            assert outcome["text"] in source


def test_seed_page_headers_do_not_leak(seed: Any) -> None:
    _path, result, data, _hand = seed
    assert "Image not found" not in result.yaml
    for step in data["steps"]:
        assert "Pemerintah Kota" not in step["text"]
        assert "www." not in step["text"] and "https://" not in step["text"]
    assert data["products"][0]["text"] == data["products"][0]["text"].strip()


def test_mediasi_decree_and_review_of_wrapped_header() -> None:
    result, data = draft(MEDIASI)
    assert data["decree"] == {"number": "000.8.3.4/12/423.115/2024", "date": None,
                              "known": True}
    assert data["version"] == "2024.1"
    # "Layanan Mediasi Anak dan Keluarga Berencana": the header's wrapped tail is removed
    assert any(n.code == "header_tail" for n in result.notes)
    assert data["steps"][2]["number"] == "3"
    assert any(n.code == "repeated" and n.quote == "PPA. PPA." for n in result.notes)


def test_sapa_empty_sk_is_unknown_and_flagged() -> None:
    result, data = draft(SAPA)
    assert data["decree"] == {"number": None, "date": None, "known": False}
    flag = next(f for f in data["flags"] if f["about"] == "decree")
    assert flag["kind"] == "missing"
    number_line = next(line for line in result.yaml.splitlines()
                       if line.strip().startswith("number: null"))
    assert "# REVIEW:" in number_line


def test_sapa_step_6_is_a_decision_with_a_copy_error_flag() -> None:
    _result, data = draft(SAPA)
    hand = yaml.safe_load((ROOT / "procedures" / "sapa.yaml").read_text(encoding="utf-8"))
    step = next(s for s in data["steps"] if s["number"] == "6")
    outcomes = step["decision"]["outcomes"]
    assert len(outcomes) == 2
    expected = next(s for s in hand["steps"] if s["number"] == "6a")["decision"]["outcomes"]
    assert [o["text"] for o in outcomes] == [o["text"] for o in expected]
    assert [o["label"] for o in outcomes] == [o["label"] for o in expected]
    assert step["decision"]["question"].startswith("Apakah memerlukan layanan dari lembaga lain")
    copy_errors = [f for f in data["flags"] if f["kind"] == "copy_error"]
    assert [f["about"] for f in copy_errors] == [f"steps.{step['id']}.decision"]
    assert copy_errors[0]["quote"] == outcomes[1]["text"]


def test_sapa_team_and_fact_requirement() -> None:
    _result, data = draft(SAPA)
    roles = {r["id"]: r for r in data["roles"]}
    team = roles["tim_penjangkauan"]
    assert team["kind"] == "team"
    assert [roles[m]["title"] for m in team["members"]] == \
        ["Sub Koordinator", "Konselor/Konsultan", "Kepala Bidang"]
    assert roles["pelapor"]["kind"] == "external"
    requirement = data["requirements"][0]
    fact = next(f for f in data["facts"] if f["id"] == requirement["fact"])
    assert fact["type"] == "bool" and fact["required"] is True


def review_comments(text: str) -> str:
    return "\n".join(line.split("# REVIEW: ", 1)[1] for line in text.splitlines()
                     if "# REVIEW: " in line)


def test_every_note_is_a_flag_and_a_review_comment() -> None:
    for path, _yaml, _count in SEEDS:
        result, data = draft(path)
        ids = [f["id"] for f in data["flags"]]
        assert len(ids) == len(set(ids)) == len(result.notes)
        assert [f["note"] for f in data["flags"]] == [n.message for n in result.notes]
        comments = review_comments(result.yaml)
        for note in result.notes:
            assert note.message in comments


def test_indonesian_notes() -> None:
    result, data = draft(SAPA, lang="id")
    assert any("diasumsikan" in n.message for n in result.notes)
    assert "# Draf dibuat oleh 'alur import'" in result.yaml
    assert data["language"] == "id"


def test_explicit_id_and_modeline() -> None:
    text = SAPA.read_text(encoding="utf-8")
    modeline = "# yaml-language-server: $schema=../../schemas/procedure.schema.json"
    result = draft_procedure(text, proc_id="Pengaduan SAPA", modeline=modeline + "\nid: no")
    assert result.procedure_id == "pengaduan_sapa"
    assert result.yaml.startswith(modeline + "\n#\n")
    assert_valid(result)


# --- (b) other layouts ------------------------------------------------------------------------

@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
@pytest.mark.parametrize("lang", ["en", "id"])
def test_other_layouts_degrade_gracefully(path: Path, lang: str) -> None:
    result, data = draft(path, lang)
    assert_valid(result)
    assert result.fallback == 0
    assert "# REVIEW:" in result.yaml
    assert result.notes
    assert len(data["flags"]) == len(result.notes)
    source = " ".join(path.read_text(encoding="utf-8").split())
    for step in data["steps"]:   # verbatim, up to the line breaks of the source
        assert " ".join(step["text"].split()) in source or step["text"].startswith("(")


def test_corpus_has_at_least_three_own_texts() -> None:
    assert len(CORPUS) >= 3


def test_konseling_layout() -> None:
    result, data = draft(TEXTS / "konseling_psikologis.txt")
    assert data["title"] == "Layanan Konseling Psikologis"
    assert data["agency"]["region"] == "Kabupaten Sukamaju"
    assert data["decree"]["number"] == "463/118/DP3A/2025"
    assert len(data["requirements"]) == 4
    assert data["requirements"][3]["presence"] == "optional"
    limit = data["time_limit"]
    assert (limit["amount"], limit["unit"], limit["starts"]) == (3, "working_days",
                                                                 "requirements_met")
    assert not any(n.code == "time_unit" for n in result.notes)   # "hari kerja" is explicit
    actors = [s["actor"] for s in data["steps"]]
    assert actors == ["petugas_registrasi", "manajer_kasus", "koordinator_uptd_ppa", "psikolog",
                      "psikolog", "manajer_kasus"]
    assert data["steps"][4]["actor_inferred"] is True
    decision = data["steps"][5]["decision"]
    assert [o["label"] for o in decision["outcomes"]] == [
        "Penerima layanan memerlukan sesi lanjutan",
        "Penerima layanan tidak memerlukan sesi lanjutan"]
    assert not any(f["kind"] == "copy_error" for f in data["flags"])
    assert {c["channel"] for c in data["complaints"]} == {"phone", "whatsapp", "email",
                                                         "address"}


def test_lettered_steps_without_roles_and_missing_cost() -> None:
    result, data = draft(TEXTS / "rujukan_rumah_aman.txt")
    assert [s["number"] for s in data["steps"]] == list("abcdef")
    first = data["steps"][0]
    assert first["actor_inferred"] is True
    assert any(n.code == "actor_placeholder" for n in result.notes)
    assert data["steps"][1]["actor"] == "pekerja_sosial"          # "... oleh Pekerja Sosial"
    assert data["cost"]["amount"] == 0
    assert any(n.code == "cost_missing" and n.kind == "missing" for n in result.notes)
    limit = data["time_limit"]
    assert (limit["amount"], limit["unit"], limit["extendable"]) == (14, "calendar_days", True)
    assert data["decree"]["known"] is False
    assert "Halaman" not in result.yaml.replace("# ", "")
    assert [c["channel"] for c in data["complaints"]] == ["suggestion_box", "online"]


def test_english_layout() -> None:
    result, data = draft(TEXTS / "shelter_intake_en.txt")
    assert data["language"] == "en"
    assert data["title"] == "Emergency Shelter Intake"
    limit = data["time_limit"]
    assert (limit["amount"], limit["unit"], limit["starts"]) == (24, "hours", "requirements_met")
    actors = [s["actor"] for s in data["steps"]]
    assert actors[:3] == ["intake_officer", "manajer_kasus", "shelter_coordinator"]
    assert data["steps"][3]["actor_inferred"] is True   # "Follow-up visits are recorded"
    assert data["documents"][0]["presence"] == "optional"
    assert data["documents"][0]["title"] == "Identity card of the applicant"
    assert any(n.code == "req_fact" for n in result.notes)


def test_bullets_inline_headings_and_wrapped_header() -> None:
    result, data = draft(TEXTS / "pendampingan_hukum.txt")
    assert len(data["steps"]) == 4                  # "Prosedur Anak Kabupaten Watu Agung"
    assert data["steps"][0]["actor"] == "petugas_pengaduan"
    assert data["components"]["dasar_hukum"]["status"] == "filled"
    assert (data["time_limit"]["amount"], data["time_limit"]["unit"]) == (7, "calendar_days")
    assert any(n.code == "time_converted" for n in result.notes)
    assert any(n.code == "one_branch" for n in result.notes)
    assert data["complaints"][0]["channel"] == "phone"


def test_text_without_structure() -> None:
    result, data = draft(TEXTS / "tanpa_struktur.txt")
    codes = {n.code for n in result.notes}
    assert {"steps_missing", "req_missing", "time_missing", "cost_missing",
            "complaints_missing"} <= codes
    assert data["time_limit"]["amount"] is None
    assert data["requirements"] == []


# --- fallbacks --------------------------------------------------------------------------------

def test_a_draft_that_does_not_validate_is_simplified(monkeypatch: pytest.MonkeyPatch) -> None:
    original = importer._Builder.build

    def broken(self: Any) -> dict[str, Any]:
        data = original(self)
        data["steps"][0]["next"] = "no_such_step"
        data["steps"][0]["requires"] = ["no_such_document"]
        return data

    monkeypatch.setattr(importer._Builder, "build", broken)
    result = draft_procedure(SAPA.read_text(encoding="utf-8"))
    assert_valid(result)
    assert result.fallback == 1
    assert any(n.code == "fallback_linear" for n in result.notes)
    data = yaml.safe_load(result.yaml)
    assert len(data["steps"]) == 6
    assert all("decision" not in s for s in data["steps"])


def test_a_builder_bug_is_raised_not_hidden_behind_a_simpler_draft(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Any) -> dict[str, Any]:
        raise RuntimeError("bug")

    monkeypatch.setattr(importer._Builder, "build", crash)
    with pytest.raises(RuntimeError, match="bug"):
        draft_procedure(SAPA.read_text(encoding="utf-8"), lang="id")


def test_text_the_yaml_cannot_hold_still_gives_a_valid_draft(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def unrepresentable(self: Any) -> dict[str, Any]:
        raise yaml.representer.RepresenterError("cannot represent an object", object())

    monkeypatch.setattr(importer._Builder, "build", unrepresentable)
    result = draft_procedure(SAPA.read_text(encoding="utf-8"), lang="id")
    assert_valid(result)
    assert result.fallback == 2


def test_the_minimal_procedure_validates() -> None:
    for lang in ("en", "id"):
        for args in ((), ("", []), ("x" * 30_000, ["", "y" * 30_000])):
            data = importer._minimal(lang, *args)
            assert importer._finish(data, [], lang, "t", 3) is not None


def test_slug() -> None:
    assert slug("Pengaduan Ának & Perempuan") == "pengaduan_anak_perempuan"
    assert slug("14 Hari") == "x_14_hari"
    assert slug("", "langkah") == "langkah"
    assert slug("!!!", "peran") == "peran"
    assert len(slug("kata " * 50)) <= 48
    assert slug("\u00c7\u015e\u011e \U0001d518\U0001d52b") == "csg_un"   # accents, math letters


# --- (c) properties ----------------------------------------------------------------------------

PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ALL_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))]
FRAGMENTS = ["1. Pendamping PPA melakukan asesmen.", "Persyaratan", "- Jika a, b.",
             "Waktu Penyelesaian", "14 Hari", "situasional", "Tim A (B, C dan Tim A)",
             "Tim A melakukan x", "No. SK :", "a. Jika x, y.", "Pemerintah Kota X / Dinas Y",
             "Biaya / Tarif", "Rp 10.000", "Pengaduan Layanan", "WA: 08123456789",
             "Produk Pelayanan", "oleh Kepala Dinas", "Sistem, Mekanisme dan Prosedur",
             "Langkah 3: Admin menerima", "PPA. PPA.", "0 hari", "99999 hari", "3 minggu",
             "•", "-", "1.", "(a)", ": ", "#", "&a *a", "!!python/object", "---", "\t", "\x00"]


def assert_always_valid(text: str) -> None:
    result = draft_procedure(text, source_name="fuzz.txt")
    assert_valid(result)
    assert isinstance(yaml.safe_load(result.yaml), dict)


@pytest.mark.parametrize("text", ["", ".", ":", "-", "\n\n", "No. SK :", "Persyaratan", "1.",
                                  "Tim A (Tim A, B)\nProsedur\n1. Tim A melakukan x.",
                                  "Prosedur\n1. - Jika a, b. - Jika a, b.", "\ufeff\x00\u2028"])
def test_edge_inputs_need_no_simplification(text: str) -> None:
    result = draft_procedure(text)
    assert_valid(result)
    assert result.fallback == 0


@PROPERTY
@given(st.text(max_size=2000))
def test_random_text_always_gives_a_valid_draft(text: str) -> None:
    assert_always_valid(text)


@PROPERTY
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=40))
def test_random_fragments_always_give_a_valid_draft(lines: list[str]) -> None:
    assert_always_valid("\n".join(lines))


@st.composite
def mangled(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(ALL_TEXTS)).split("\n")
    operation = draw(st.sampled_from(["shuffle", "delete_lines", "delete_section", "duplicate",
                                      "garble", "merge"]))
    if operation == "shuffle":
        lines = draw(st.permutations(lines))
    elif operation == "delete_lines":
        keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
        lines = [line for line, kept in zip(lines, keep, strict=True) if kept]
    elif operation == "delete_section":
        headings = [i for i, line in enumerate(lines) if importer._heading(line)] or [0]
        start = draw(st.sampled_from(headings))
        end = next((i for i in headings if i > start), len(lines))
        lines = lines[:start] + lines[end:]
    elif operation == "duplicate":
        start = draw(st.integers(0, max(len(lines) - 1, 0)))
        lines = lines + lines[start:start + draw(st.integers(1, 30))]
    elif operation == "garble":
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        lines[index:index + 1] = [draw(st.text(max_size=80))]
    else:
        lines = lines + draw(st.sampled_from(ALL_TEXTS)).split("\n")
    return "\n".join(lines)


@PROPERTY
@given(mangled())
def test_mangled_sp_text_always_gives_a_valid_draft(text: str) -> None:
    assert_always_valid(text)


# --- (d) the command line ------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ALUR_LANG", raising=False)
    monkeypatch.setenv("ALUR_PROCEDURES", str(tmp_path / "procedures"))


def run(*args: str | Path, stdin: bytes | str | None = None) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_cli_import_writes_a_file_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "procedures" / "mediasi.yaml"
    result = run("import", MEDIASI, "-o", target)
    assert result.exit_code == 0, result.output
    assert "point(s) to review" in result.stdout
    assert f"alur validate {target}" in result.stdout
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["id"] == "mediasi"
    validated = run("validate", target)
    assert validated.exit_code == 0, validated.output


def test_cli_import_to_stdout(tmp_path: Path) -> None:
    result = run("import", SAPA)
    assert result.exit_code == 0
    assert result.stdout.startswith("# yaml-language-server: $schema=")
    assert yaml.safe_load(result.stdout)["id"] == "sapa"
    assert "point(s) to review" in result.stderr
    assert not list(tmp_path.glob("**/*.yaml"))


def test_cli_import_json_and_id(tmp_path: Path) -> None:
    result = run("import", SAPA, "--id", "sapa_draft", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["id"] == "sapa_draft"
    # well-formed, but with points to review it is not reported valid
    assert report["well_formed"] is True and report["file"] is None
    assert report["valid"] is False and report["to_review"] == len(report["notes"]) > 0
    assert yaml.safe_load(report["yaml"])["id"] == "sapa_draft"
    assert {"copy_error", "missing"} <= {n["kind"] for n in report["notes"]}


def test_cli_import_in_indonesian_from_stdin() -> None:
    result = run("--lang", "id", "import", "-", stdin=SAPA.read_bytes())
    assert result.exit_code == 0
    assert "hal perlu ditinjau" in result.stderr
    assert "source:\n  file: stdin" in result.stdout


def test_cli_import_unreadable_file_exits_1(tmp_path: Path) -> None:
    assert run("import", tmp_path / "missing.txt").exit_code == 3  # not found, as everywhere
    for bad in (tmp_path,):
        result = run("import", bad)
        assert result.exit_code == 1
        assert "cannot read" in result.stderr
        assert "Traceback" not in result.output


def test_cli_import_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "sapa.yaml"
    target.write_text("keep me", encoding="utf-8")
    result = run("import", SAPA, "-o", target)
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert run("import", SAPA, "-o", target, "--force").exit_code == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["id"] == "sapa"


def test_cli_import_non_utf8_text(tmp_path: Path) -> None:
    source = tmp_path / "sp.txt"
    source.write_bytes(SAPA.read_text(encoding="utf-8").replace("Online", "Daring é").encode(
        "cp1252"))
    result = run("import", source, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 0
    assert "not UTF-8" in result.stdout


# --- the worked example of docs/panduan.md --------------------------------------------------------

GUIDE = ROOT / "docs" / "panduan.md"
KONSELING_TEXT = TEXTS / "konseling_psikologis.txt"
KONSELING = ROOT / "tests" / "fixtures" / "valid" / "konseling.yaml"


def test_guide_reviewed_procedure_keeps_the_source() -> None:
    source = " ".join(KONSELING_TEXT.read_text(encoding="utf-8").split())
    reviewed = yaml.safe_load(KONSELING.read_text(encoding="utf-8"))
    _result, drafted = draft(KONSELING_TEXT)
    assert reviewed["title"] == drafted["title"]
    assert reviewed["decree"]["number"] == drafted["decree"]["number"]
    assert [r["text"] for r in reviewed["requirements"]] == \
        [r["text"] for r in drafted["requirements"]]
    assert {s["number"] for s in reviewed["steps"]} == {s["number"] for s in drafted["steps"]}
    assert reviewed["time_limit"]["source_text"] == drafted["time_limit"]["source_text"]
    for step in reviewed["steps"]:
        assert " ".join(step["text"].split()) in source
        for outcome in (step.get("decision") or {}).get("outcomes", []):
            assert " ".join(outcome["text"].split()) in source
    for flag in reviewed["flags"]:
        if flag.get("quote"):
            assert " ".join(flag["quote"].split()) in source, flag["id"]
    assert KONSELING.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../../schemas/procedure.schema.json\n")
    assert (KONSELING.parent / "../../../schemas/procedure.schema.json").resolve().is_file()


def test_guide_case_file_runs_as_the_guide_says(tmp_path: Path) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    block = guide.split("<!-- berkas-kasus: konseling-uji.yaml -->", 1)[1]
    case_text = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    cases = tmp_path / "konseling-uji.yaml"
    cases.write_text(case_text, encoding="utf-8")
    result = run("--lang", "id", "--db", "memory://", "run", KONSELING, cases, "--now",
                 "2026-02-20T17:00:00+07:00")
    assert result.exit_code == 0, result.output
    assert "hasil: completed" in result.stdout
    assert "DITOLAK pada tindakan 4 [guard.participants]" in result.stdout
    assert "! batas waktu sesi_konseling (2026-02-06 23:59 WIB) terlampaui" in result.stdout


def test_guide_commands_exist() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for command in ("alur --lang id import", "alur --lang id new", "alur --lang id validate",
                    "alur --lang id show", "alur graph", "alur --lang id --db memory:// run",
                    "alur --lang id diff"):
        assert command in guide, command
    assert "tests/fixtures/valid/konseling.yaml" in guide


# --- role aliases (issue #17, item 11) ------------------------------------------------------

def test_one_party_under_several_names_is_one_role_with_aliases() -> None:
    """"Korban", "Penerima Manfaat", "Klien" and a name the source declares ("selanjutnya
    disebut Penerima Layanan") are one role: every step they act in names it, and the merge is
    a point to review."""
    made, data = draft(ROOT / "tests" / "fixtures" / "sp_texts" / "alias_rumah_aman.txt")
    roles = {r["id"]: r for r in data["roles"]}
    assert roles["korban"]["aliases"] == ["Penerima Layanan", "Penerima Manfaat", "Klien"]
    assert not {"klien", "penerima_manfaat", "penerima_layanan"} & set(roles)
    actors = [s["actor"] for s in data["steps"]]
    assert actors == ["korban", "admin", "korban", "pekerja_sosial", "korban", "korban"]
    assert any(n.path == ("roles", 0, "aliases") for n in made.notes)
    assert_valid(made)
    assert made.yaml.count("# REVIEW: 'Korban' is also called") == 1



# --- real layouts of the five encoded SPs (issue #17): each defect with its own text ----------

def _text(*lines: str) -> dict[str, Any]:
    result = draft_procedure("\n".join(lines), source_name="uji.txt")
    assert_valid(result)
    data: dict[str, Any] = yaml.safe_load(result.yaml)
    return data


_HEAD = ("PEMERINTAH KOTA UJI", "UPTD PPA KOTA UJI", "", "Nama Layanan: Layanan Uji")


@pytest.mark.parametrize("listing", ["1. Surat rujukan; 2. Hasil asesmen; 3. Surat pernyataan",
                                     "a. Surat rujukan; b. Hasil asesmen; c. Surat pernyataan"])
def test_an_inline_requirement_list_is_split(listing: str) -> None:
    data = _text(*_HEAD, f"Persyaratan: {listing}", "Prosedur:",
                 "1. Manajer Kasus menerima rujukan.", "2. Psikolog melakukan asesmen.")
    assert [r["text"] for r in data["requirements"]] == [
        "Surat rujukan", "Hasil asesmen", "Surat pernyataan"]


def test_letters_inside_a_sentence_are_not_a_list() -> None:
    data = _text(*_HEAD, "Persyaratan:", "1. Dokumen berikut; b. lampiran yang diminta",
                 "Prosedur:", "1. Manajer Kasus menerima rujukan.")
    assert [r["text"] for r in data["requirements"]] == [
        "Dokumen berikut; b. lampiran yang diminta"]


@pytest.mark.parametrize("layout", [
    ("6. Kepala UPTD PPA menetapkan terminasi penempatan.", "Waktu: paling lama 14 hari "
                                                             "kalender."),
    ("6. Kepala UPTD PPA menetapkan terminasi penempatan. Waktu: paling lama 14 hari "
     "kalender.",)])
def test_a_time_label_after_or_inside_the_last_step_starts_the_time_limit(
        layout: tuple[str, ...]) -> None:
    data = _text(*_HEAD, "Prosedur:", "5. Manajer Kasus melakukan evaluasi penempatan.",
                 *layout, "Biaya: Tidak dipungut biaya.")
    assert data["steps"][-1]["text"] == "Kepala UPTD PPA menetapkan terminasi penempatan."
    limit = data["time_limit"]
    assert (limit["amount"], limit["unit"]) == (14, "calendar_days")
    assert limit["source_text"] == "paling lama 14 hari kalender."


def test_a_channel_list_is_split_and_each_channel_classified() -> None:
    data = _text(*_HEAD, "Prosedur:", "1. Manajer Kasus menerima rujukan.",
                 "Pengaduan: Datang langsung; Telepon (0411) 452211; Instagram @uptdppa.uji; "
                 "Kotak saran, surat tertulis",
                 "SMS 0812-1111-2222, e-mail ppa@uji.go.id",
                 "Media sosial: Facebook DinsosP3A Kota Uji, TikTok @ppa.uji",
                 "Alamat: Jl. Anggrek Raya No. 3, Kota Uji")
    got = [(c["channel"], c["value"], c.get("platform")) for c in data["complaints"]]
    assert got == [("in_person", None, None), ("phone", "(0411) 452211", None),
                   ("social_media", "@uptdppa.uji", "Instagram"),
                   ("suggestion_box", None, None), ("letter", None, None),
                   ("sms", "0812-1111-2222", None), ("email", "ppa@uji.go.id", None),
                   ("social_media", None, None),
                   ("address", "Jl. Anggrek Raya No. 3, Kota Uji", None)]
    nested = data["complaints"][7]["channels"]
    assert [(c["channel"], c["platform"], c["value"]) for c in nested] == [
        ("social_media", "Facebook", "DinsosP3A Kota Uji"),
        ("social_media", "TikTok", "@ppa.uji")]


def test_minutes_keep_their_unit() -> None:
    data = _text(*_HEAD, "Prosedur:", "1. Manajer Kasus menerima rujukan.",
                 "Waktu Penyelesaian:", "240 menit")
    limit = data["time_limit"]
    assert (limit["amount"], limit["unit"]) == (240, "minutes")


@pytest.mark.parametrize(("line", "title"), [
    ("5. Kepala Bidang Perlindungan Anak menyetujui rencana pendampingan.",
     "Kepala Bidang Perlindungan Anak"),
    ("5. Kepala Bidang menyetujui rencana reintegrasi.", "Kepala Bidang"),
    ("5. Petugas Rumah Aman Terpadu melakukan orientasi.", "Petugas Rumah Aman Terpadu")])
def test_a_role_title_is_the_noun_phrase_and_the_step_id_its_words(line: str,
                                                                    title: str) -> None:
    data = _text(*_HEAD, "Prosedur:", "4. Manajer Kasus menyusun rencana.", line)
    step = data["steps"][-1]
    role = next(r for r in data["roles"] if r["id"] == step["actor"])
    assert role["title"] == title
    assert not step["id"].startswith("langkah")
    assert step["id"].startswith(("menyetujui_rencana", "orientasi"))


@pytest.mark.parametrize("joiner", ["dan", "bersama", "bersama dengan"])
def test_joint_actors_are_drafted_for_review(joiner: str) -> None:
    result = draft_procedure("\n".join([
        *_HEAD, "Prosedur:", "1. Manajer Kasus menerima rujukan.",
        f"2. Manajer Kasus {joiner} Psikolog melakukan penjangkauan ke rumah korban.",
        "3. Psikolog menyusun laporan bersama korban."]), source_name="uji.txt")
    assert_valid(result)
    data = yaml.safe_load(result.yaml)
    second, third = data["steps"][1], data["steps"][2]
    assert (second["actor"], second["joint"]) == ("manajer_kasus",
                                                  {"roles": ["psikolog"], "sign_off": "all"})
    assert second["id"] == "penjangkauan_rumah_korban"
    assert "joint" not in third      # "bersama korban" after the verb is not a co-actor
    line = next(x for x in result.yaml.splitlines() if x.strip().startswith("joint:"))
    assert "# REVIEW:" in line and "psikolog" in line


def test_a_recurring_step_and_a_limit_inside_steps_are_drafted_for_review() -> None:
    result = draft_procedure("\n".join([
        *_HEAD, "Prosedur:",
        "1. Manajer Kasus menghubungi rumah sakit paling lama 30 menit setelah korban diterima.",
        "2. Dokter melakukan pemeriksaan medis.",
        "3. Petugas Pendamping menerima hasil pemeriksaan dalam waktu 240 menit.",
        "4. Pekerja Sosial melakukan kunjungan pemantauan setiap 14 hari kalender selama 3 "
        "bulan.",
        "5. Manajer Kasus melakukan evaluasi setiap 7 hari kerja.",
        "6. Manajer Kasus menutup kasus."]), source_name="uji.txt")
    assert_valid(result)
    data = yaml.safe_load(result.yaml)
    steps = data["steps"]
    # the source's own end: a duration when it gives one, else (to review) the next step
    assert steps[3]["repeat"] == {"every": {"amount": 14, "unit": "calendar_days"},
                                  "lasts": {"amount": 3, "unit": "months"}}
    assert steps[4]["repeat"] == {"every": {"amount": 7, "unit": "working_days"},
                                  "until_step": steps[5]["id"]}
    assert "repeat" not in steps[5]
    first, second = data["phase_limits"]
    assert (first["amount"], first["unit"], first["starts"], first["until_step"]) == (
        30, "minutes", "case_opened", steps[0]["id"])
    assert first["source_text"] == "paling lama 30 menit setelah korban diterima"
    assert (second["amount"], second["starts"], second["starts_after_step"],
            second["until_step"]) == (240, "step_completed", steps[1]["id"], steps[2]["id"])
    codes = {n.code for n in result.notes}
    assert {"repeat", "phase_limit"} <= codes
    for key in ("repeat:", "- id: " + first["id"]):
        line = next(x for x in result.yaml.splitlines() if x.strip().startswith(key))
        assert "# REVIEW:" in line
