"""The validator: one fixture per diagnostic code, valid procedures, hostile YAML, messages.

Each file in ``tests/fixtures/invalid`` states what it must produce in its leading comment block,
one ``# expect: CODE line:column`` line per diagnostic (errors and warnings); the exact set is
compared, so an unexpected extra diagnostic fails too. Inputs YAML text cannot hold (bad UTF-8,
over-size files, a missing file) are generated here in ``tmp_path``.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

import engine.procedure.source
from engine.diagnostics import Diagnostic, Severity
from engine.errors import ProcedureError
from engine.messages import CATALOGUE, LANGS
from engine.procedure.source import MAX_BYTES, MAX_DEPTH, MAX_NODES, read_text
from engine.procedure.validate import Checked, check_bytes, check_path, load_procedure, validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml")) + sorted((ROOT / "procedures").glob("*.yaml"))
MINIMAL = FIXTURES / "valid" / "minimal.yaml"
DOCS = ROOT / "docs" / "validation.md"

DIAGNOSTIC_CODE = re.compile(r"^[YSRG]\d{3}$")
VALIDATION_CODES = sorted(code for code in CATALOGUE if DIAGNOSTIC_CODE.match(code))
# codes whose input YAML text cannot hold: produced by the tests below instead of a fixture
GENERATED_CODES = {"Y005", "Y006", "Y009", "Y012",
                   "R017",  # another file (the calendar): alur validate, not the loader
                   "R021", "R022",  # other files too (referral targets): tests/test_plans.py
                   "R024"}  # alur validate --strict only (tests/test_cli_validate.py)
EXPECT = re.compile(r"^#\s*expect:\s*([YSRG]\d{3})\s+(\d+):(\d+)\s*$")


def expectations(path: Path) -> list[tuple[str, int, int]]:
    """The ``# expect: CODE line:col`` lines of the file's leading comment block."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = EXPECT.match(line)
        if match:
            found.append((match[1], int(match[2]), int(match[3])))
    return found


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def codes(checked: Checked) -> list[str]:
    return [d.code for d in checked.diagnostics]


def minimal_with(*edits: tuple[str, str]) -> bytes:
    """The minimal valid procedure with each ``(old, new)`` replacement applied once."""
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"edit target not unique: {old!r}"
        text = text.replace(old, new)
    return text.encode("utf-8")


def line_of(data: bytes, needle: str) -> int:
    lines = data.decode("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# --- one fixture per code ---------------------------------------------------------------------

@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_fixture_produces_exactly_the_expected_diagnostics(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect: CODE line:col' line"
    code = path.name.split("-")[0]
    assert code in {c for c, _, _ in expected}, f"{path.name} does not expect its own code"

    checked = check_path(path)
    actual = sorted((d.code, d.line, d.column) for d in checked.diagnostics)
    assert actual == sorted(expected), "\n".join(d.format() for d in checked.diagnostics)

    has_error = any(d.is_error for d in checked.diagnostics)
    assert (checked.procedure is None) == has_error
    for diagnostic in checked.diagnostics:
        assert diagnostic.file == str(path)
        assert diagnostic.message and diagnostic.hint
        # every field of the message and hint templates was filled (no '?' placeholders)
        params = dict(diagnostic.args)
        for lang in LANGS:
            for template in CATALOGUE[diagnostic.code][lang]:
                assert fields(template) <= set(params), (diagnostic.code, lang, template)


def test_every_code_is_covered_by_a_fixture_or_a_generated_test() -> None:
    fixture_codes = {p.name.split("-")[0] for p in INVALID}
    assert fixture_codes | GENERATED_CODES == set(VALIDATION_CODES)
    assert not fixture_codes & GENERATED_CODES


# --- valid procedures --------------------------------------------------------------------------

@pytest.mark.parametrize("path", VALID, ids=[f"{p.parent.name}/{p.name}" for p in VALID])
def test_valid_procedure_has_no_errors(path: Path) -> None:
    checked = check_path(path)
    assert not checked.errors, "\n".join(d.format() for d in checked.errors)
    assert checked.procedure is not None
    assert load_procedure(path) == checked.procedure


def test_minimal_procedure_is_clean() -> None:
    assert validate(MINIMAL) == []


def test_load_procedure_raises_with_every_error() -> None:
    path = FIXTURES / "invalid" / "G004-leads-nowhere.yaml"
    with pytest.raises(ProcedureError) as info:
        load_procedure(path)
    assert [d.code for d in info.value.diagnostics] == ["G004", "G005"]
    assert "2 error(s)" in info.value.message


def test_results_are_cached_by_content() -> None:
    raw = MINIMAL.read_bytes()
    assert check_bytes(raw, "a.yaml") is check_bytes(raw, "a.yaml")
    assert check_bytes(raw, "a.yaml").sha256 == check_bytes(raw, "b.yaml").sha256


# --- messages and documentation ---------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_message_exists_in_english_and_indonesian(code: str) -> None:
    entry = CATALOGUE[code]
    assert set(entry) == set(LANGS)
    for lang in LANGS:
        message, hint = entry[lang]
        # diagnostics and refusals always carry a hint; plain output lines (CLI text, labels, the
        # importer's notes and comments, audit findings, terms put into other messages, the
        # workspace pages' labels, the words of graphs and of the HTML page) have none
        text_only = code.startswith(("audit.", "cli.", "diag.", "html.", "import.", "render.",
                                     "term.", "web."))
        assert message.strip() and (hint.strip() or text_only), (code, lang)
    assert fields(entry["en"][0]) == fields(entry["id"][0]), code
    assert fields(entry["en"][1]) == fields(entry["id"][1]), code


def test_every_diagnostic_code_is_documented() -> None:
    assert DOCS.is_file(), "docs/validation.md is missing"
    text = DOCS.read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,4} .*?\b([YSRG]\d{3})\b", text, flags=re.MULTILINE))
    missing = [code for code in VALIDATION_CODES if code not in headings]
    assert not missing, f"codes without a section in docs/validation.md: {missing}"
    for code in VALIDATION_CODES:  # both languages of the message are shown
        for lang in LANGS:
            template = CATALOGUE[code][lang][0]
            longest = max((lit for lit, *_ in string.Formatter().parse(template)), key=len)
            assert longest.strip() in text, (code, lang, longest)


def test_lang_id_gives_the_indonesian_message() -> None:
    path = FIXTURES / "invalid" / "R001-unknown-role.yaml"
    (english,) = check_path(path).diagnostics
    (indonesian,) = check_path(path, lang="id").diagnostics
    assert english.message == "unknown role 'petugass' (did you mean 'petugas'?)"
    assert indonesian.message == "peran 'petugass' tidak dikenal (maksud Anda 'petugas'?)"
    assert indonesian.hint.startswith("Deklarasikan di bawah 'roles:'")
    assert (indonesian.code, indonesian.line, indonesian.column) == (
        english.code, english.line, english.column)
    assert english.localized("id") == indonesian.localized("id")


def test_lang_id_translates_the_words_filled_into_messages() -> None:
    (s003,) = check_path(FIXTURES / "invalid" / "S003-wrong-type.yaml", lang="id").diagnostics
    assert s003.message == "seharusnya daftar, ditemukan teks"
    (y008,) = check_path(FIXTURES / "invalid" / "Y008-not-a-mapping.yaml", lang="id").diagnostics
    assert y008.message.endswith("ditemukan daftar")
    (r005,) = check_path(FIXTURES / "invalid" / "R005-duplicate-id.yaml", lang="id").diagnostics
    assert r005.message == "id peran 'petugas' ganda (pertama di baris 14)"
    (r007,) = check_path(FIXTURES / "invalid" / "R007-forbidden-construct.yaml",
                         lang="id").diagnostics
    assert r007.message.endswith("akses atribut (a.b)")
    (g007,) = check_path(FIXTURES / "invalid" / "G007-deadlines-exceed-limit.yaml",
                         lang="id").diagnostics
    assert "berjumlah 5 hari" in g007.message
    # a list of expected types, one of which ("true or false") contains "or" itself
    raw = minimal_with(("{id: is_child, title: Korban anak, type: bool, sensitive: true}",
                        "{id: is_child, title: Korban anak, type: bool, default: [1]}"))
    (s003,) = check_bytes(raw, lang="id").diagnostics
    assert s003.message == ("seharusnya true atau false atau bilangan bulat atau teks atau "
                            "kosong (null), ditemukan daftar")
    assert s003.localized("en").message == ("expected true or false or a whole number or text "
                                            "or nothing (null), found a list")


# --- did you mean -------------------------------------------------------------------------------

@pytest.mark.parametrize(("edit", "code", "suggestion"), [
    (("    next: putus\n", "    nxet: putus\n"), "S001", "next"),
    (("  unit: working_days\n", "  unit: working_days\n  sources_text: x\n"), "S001",
     "source_text"),
    (("    requires: [ktp]\n", "    requires: [ktp]\n    deadlin: {amount: 1, unit: hours}\n"),
     "S001", "deadline"),
    (("    actor: kepala\n", "    actor: kepal\n"), "R001", "kepala"),
    (("    requires: [ktp]\n", "    requires: [kpt]\n"), "R002", "ktp"),
    (("    next: putus\n", "    next: putsu\n"), "R003", "putus"),
    (("{id: setuju, label: Setuju, next: terbit}", "{id: setuju, label: Setuju, next: terbt}"),
     "R003", "terbit"),
    (("    requires: [ktp]\n", "    requires: [ktp]\n    when: is_chld\n"), "R004", "is_child"),
])
def test_did_you_mean(edit: tuple[str, str], code: str, suggestion: str) -> None:
    raw = minimal_with(edit)
    (diagnostic,) = check_bytes(raw).diagnostics
    assert diagnostic.code == code
    assert diagnostic.message.endswith(f"(did you mean '{suggestion}'?)")
    assert diagnostic.line == line_of(raw, edit[1].strip().splitlines()[-1])


@pytest.mark.parametrize("key", ["~", "null", "yes", "1.5"])
def test_unknown_key_is_quoted_as_written(key: str) -> None:
    (diagnostic,) = check_bytes(minimal_with(("version: \"1\"\n", f"version: \"1\"\n{key}: x\n")))\
        .diagnostics
    assert diagnostic.code == "S001"
    assert diagnostic.message == f"unknown key '{key}'"


def test_no_suggestion_when_nothing_is_close() -> None:
    (diagnostic,) = check_bytes(minimal_with(("    actor: kepala\n", "    actor: bupati\n")))\
        .diagnostics
    assert diagnostic.message == "unknown role 'bupati'"
    assert "kepala, petugas" in diagnostic.hint


# --- hostile and broken YAML --------------------------------------------------------------------

def test_billion_laughs_is_rejected_with_y004(tmp_path: Path) -> None:
    # 20 levels of 10 aliases each: 10^20 values if expanded; must stop at the node limit
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 20):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = check_path(path)
    assert codes(checked) == ["Y004"]
    assert checked.procedure is None


def test_aliases_to_a_single_value_count_towards_the_limit() -> None:
    # 300,000 aliases fit in 1 MiB; uncounted, they became 300,000 shape errors (tens of seconds)
    raw = ("a: &a 1\nroles: [" + ",".join(["*a"] * 300_000) + "]\n").encode()
    assert len(raw) < MAX_BYTES
    assert codes(check_bytes(raw)) == ["Y004"]


def test_many_plain_values_are_not_called_billion_laughs() -> None:
    """Issue 16: 80,000 plain keys were reported as aliases expanding ('billion laughs')."""
    raw = ("x:\n" + "".join(f"  k{i}: 1\n" for i in range(80_000))).encode()
    assert len(raw) < MAX_BYTES
    checked = check_bytes(raw)
    assert codes(checked) == ["Y012"]
    (y012,) = checked.diagnostics
    assert "alias" not in y012.message and "laughs" not in y012.message
    assert y012.message == f"the file holds more than {MAX_NODES} values"
    assert check_bytes(raw, lang="id").diagnostics[0].message.startswith("berkas berisi lebih")


def test_alias_used_once_is_fine() -> None:
    doc = read_text("a: &x [1, 2]\nb: *x\n")
    assert doc.ok and doc.data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text", [
    "x: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "x: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
    "- " * 10_000 + "x\n",
], ids=["flow-lists", "flow-mappings", "block-lists"])
def test_ten_thousand_levels_deep_gives_y003_without_recursion_error(text: str) -> None:
    checked = check_bytes(text.encode())
    assert codes(checked) == ["Y003"]
    assert f"deeper than {MAX_DEPTH}" in checked.diagnostics[0].message


def test_nesting_at_the_limit_is_accepted() -> None:
    depth = MAX_DEPTH - 1  # the top-level mapping is one level
    doc = read_text("x: " + "[" * depth + "]" * depth + "\n")
    assert doc.ok


def test_python_object_tag_is_rejected_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f'id: x\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n',
                    encoding="utf-8")
    checked = check_path(path)
    assert [(d.code, d.line, d.column) for d in checked.diagnostics] == [("Y007", 2, 8)]
    assert "python/object/apply:os.system" in checked.diagnostics[0].message
    assert not marker.exists()


@pytest.mark.parametrize("tagged", [
    "!!python/name:os.system", "!!python/object:os.system", "!!binary aGVsbG8=",
    "!!set {a, b}", "!!omap [a: 1]", "!custom value", "!<tag:example.com,2024:x> 1",
])
def test_tags_outside_plain_data_give_y007(tagged: str) -> None:
    assert codes(check_bytes(f"id: x\ntitle: {tagged}\n".encode())) == ["Y007"]


@pytest.mark.parametrize("tagged", ["!!str 12", "!!int 12", "!!bool true", "!!null ''",
                                    "!!float 1.5", "!!map {a: 1}", "!!seq [1]"])
def test_plain_data_tags_are_allowed(tagged: str) -> None:
    assert read_text(f"x: {tagged}\n").ok


@pytest.mark.parametrize("tagged", ["!!bool maybe", "!!int ''", "!!float ''", "!!int 0x"])
def test_malformed_plain_tags_do_not_crash(tagged: str) -> None:
    doc = read_text(f"x: {tagged}\n? {tagged}\n: 1\n")
    assert doc.ok and isinstance(doc.data["x"], str)


def test_reading_does_not_keep_constructed_scalars() -> None:
    for i in range(50):
        read_text(f"a: {i}\nb: {i}.5\nc: true\nd: null\n")
    assert not engine.procedure.source._CONSTRUCTOR.constructed_objects


def test_duplicate_key_gives_y002_with_both_lines() -> None:
    raw = minimal_with(("version: \"1\"\n", "version: \"1\"\ntitle: Layanan Lain\n"))
    (diagnostic,) = check_bytes(raw).diagnostics
    first, second = line_of(raw, "title: Layanan Contoh"), line_of(raw, "title: Layanan Lain")
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("Y002", second, 1)
    assert f"(first at line {first})" in diagnostic.message
    assert diagnostic.path == "title"


def test_every_duplicate_key_is_reported() -> None:
    checked = check_bytes(b"a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\nb: 4\n")
    assert [(d.code, d.line) for d in checked.diagnostics] == [("Y002", 3), ("Y002", 6),
                                                               ("Y002", 7)]


def test_tab_indentation_gives_y001_with_the_tab_explanation() -> None:
    (diagnostic,) = check_bytes(b"id: x\nagency:\n\tname: Dinas\n").diagnostics
    assert (diagnostic.code, diagnostic.line) == ("Y001", 3)
    assert "a tab character is used; indent with spaces" in diagnostic.message
    assert "no tabs" in diagnostic.hint


def test_syntax_error_position() -> None:
    (diagnostic,) = check_bytes(b"id: x\ntitle: [a, b\nversion: 1\n").diagnostics
    assert diagnostic.code == "Y001"
    assert diagnostic.line >= 2


def test_control_character_is_located() -> None:
    (diagnostic,) = check_bytes("id: x\ntitle: é\x01\n".encode()).diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("Y001", 2, 9)


def test_unknown_alias_gives_y001() -> None:
    (diagnostic,) = check_bytes(b"id: x\ntitle: *nowhere\n").diagnostics
    assert diagnostic.code == "Y001" and "*nowhere" in diagnostic.message


@pytest.mark.parametrize(("text", "found"), [
    ("", "nothing"), ("# only a comment\n", "nothing"), ("just text\n", "a single value"),
    ("- a\n- b\n", "a list"), ("42\n", "a single value"),
])
def test_top_level_must_be_a_mapping(text: str, found: str) -> None:
    (diagnostic,) = check_bytes(text.encode()).diagnostics
    assert diagnostic.code == "Y008" and diagnostic.message.endswith(f"found {found}")


def test_oversize_file_gives_y005(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# padding\n" * (2 * 1024 * 1024 // 10))
    checked = check_path(path)
    assert [(d.code, d.line, d.column) for d in checked.diagnostics] == [("Y005", 1, 1)]
    assert str(path.stat().st_size) in checked.diagnostics[0].message
    assert str(MAX_BYTES) in checked.diagnostics[0].message
    assert codes(check_bytes(path.read_bytes())) == ["Y005"]


def test_huge_file_is_rejected_without_being_read(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the over-size file was opened for reading")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(engine.procedure.source, "open", refuse, raising=False)
    checked = check_path(path)
    assert codes(checked) == ["Y005"]
    assert "52428800" in checked.diagnostics[0].message


def test_invalid_utf8_gives_y006(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\ntitle: Café\n".encode("latin-1"))
    (diagnostic,) = check_path(path).diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("Y006", 2, 11)
    assert "0xe9" in diagnostic.message


def test_invalid_utf8_after_a_bom_is_located() -> None:
    (diagnostic,) = check_bytes(b"\xef\xbb\xbfid: \xff\n").diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("Y006", 1, 5)
    assert "0xff at offset 7" in diagnostic.message


def test_bom_is_ignored() -> None:
    assert check_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes()).procedure is not None


def test_lone_surrogate_in_text_gives_y006() -> None:
    (diagnostic,) = read_text("id: x\ntitle: a\ud800\n").diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("Y006", 2, 9)


def test_missing_file_gives_y009(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    checked = check_path(path)
    assert [(d.code, d.line, d.column) for d in checked.diagnostics] == [("Y009", 1, 1)]
    assert checked.procedure is None and checked.diagnostics[0].file == str(path)


def test_directory_gives_y009(tmp_path: Path) -> None:
    assert codes(check_path(tmp_path)) == ["Y009"]


# --- conditions ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("expression", "construct"), [
    ("a.__class__", "attribute access"),
    ("is_child.__class__.__bases__", "attribute access"),
    ("f()", "function call"),
    ("__import__('os').system('echo')", "function call"),
    ("x[0]", "subscript"),
    ("2**9999999", "power"),
    ("lambda: 1", "lambda"),
    ("[x for x in is_child]", "ListComp"),
    ("is_child if is_child else is_child", "if-expression"),
])
def test_forbidden_constructs_give_r007(expression: str, construct: str) -> None:
    raw = minimal_with(("    requires: [ktp]\n",
                        f"    requires: [ktp]\n    when: {json.dumps(expression)}\n"))
    (diagnostic,) = check_bytes(raw).diagnostics
    assert diagnostic.code == "R007"
    assert construct in diagnostic.message
    assert diagnostic.path == "steps[0].when"


@pytest.mark.parametrize("edit", [
    ("    requires: [ktp]\n", "    requires: [ktp]\n    when: is_child and is_adult\n"),
    ("{id: setuju, label: Setuju, next: terbit}",
     "{id: setuju, label: Setuju, next: terbit, when: is_adult}"),
    ("{id: tolak, label: Tolak, end: rejected}",
     "{id: tolak, label: Tolak, end: rejected, when: not is_adult}"),
    ("kind: requirement, sensitive: true}",
     "kind: requirement, sensitive: true, presence: required_if, condition: is_adult}"),
    ('{number: 1, text: "KTP", document: ktp}',
     '{number: 1, text: "KTP", document: ktp, presence: required_if, condition: is_adult}'),
    ("    actor: kepala\n",
     "    actor: kepala\n    participants: [{role: petugas, when: is_adult}]\n"),
], ids=["step", "outcome", "outcome2", "document", "requirement", "participant"])
def test_unknown_fact_in_a_condition_gives_r004(edit: tuple[str, str]) -> None:
    raw = minimal_with(edit)
    errors = check_bytes(raw).errors
    assert [d.code for d in errors] == ["R004"]
    assert errors[0].message.startswith("unknown fact 'is_adult'")
    assert "is_child" in errors[0].hint
    assert errors[0].line == line_of(raw, "is_adult")


def test_coverage_check_survives_expressions_that_cannot_be_evaluated() -> None:
    raw = minimal_with(
        ("  - {id: is_child", "  - {id: jenis, title: Jenis, type: enum, values: [a, b]}\n"
                           "  - {id: is_child"),
        ("next: terbit}", "next: terbit, when: 'jenis * 999999999 == \"x\"'}"),
        ("end: rejected}", "end: rejected, when: 'jenis == \"b\"'}"))
    assert check_bytes(raw).procedure is not None


# --- several problems, order, layers ------------------------------------------------------------

def test_every_problem_in_a_layer_is_reported_in_line_order() -> None:
    raw = minimal_with(
        ("{id: petugas, title: Petugas}", "{id: petugas, title: Petugas, kind: staf}"),
        ("    actor: petugas\n    text: Petugas menerima",
         "    actr: petugas\n    text: Petugas menerima"),
        ("    title: Putuskan\n", "    title: Putuskan\n    deadline: {amount: 0, unit: hours}\n"),
        ("  unit: working_days\n", "  unit: weeks\n"),
        ("  evaluasi_kinerja: {status: unknown}\n", ""),
    )
    checked = check_bytes(raw)
    assert checked.procedure is None
    assert [(d.code, d.line) for d in checked.diagnostics] == [
        ("S004", line_of(raw, "kind: staf")),
        ("S002", line_of(raw, "- id: terima")),  # step 1 has no 'actor' ...
        ("S001", line_of(raw, "actr: petugas")),  # ... because it is misspelt
        ("S008", line_of(raw, "amount: 0")),
        ("S004", line_of(raw, "unit: weeks")),
        ("S002", line_of(raw, "dasar_hukum:")),  # components: evaluasi_kinerja is missing
    ]
    places = [(d.line, d.column) for d in checked.diagnostics]
    assert places == sorted(places)


def test_every_reference_problem_is_reported_in_line_order() -> None:
    raw = minimal_with(
        ("    requires: [ktp]\n", "    requires: [kpt]\n    when: is_chlid\n"),
        ("    actor: kepala\n", "    actor: kepal\n"),
        ("next: terbit}", "next: terbt}"),
        ("    produces: [surat]\n", "    produces: [surta]\n    actor_inferred: true\n"),
    )
    checked = check_bytes(raw)
    # the R008 warning: document 'surat' is no longer produced by any step
    assert codes(checked) == ["R008", "R002", "R004", "R001", "R003", "R002", "R013"]
    lines = [(d.line, d.column) for d in checked.diagnostics]
    assert lines == sorted(lines)


def test_a_layer_runs_only_when_the_one_before_found_no_error() -> None:
    # an unknown key (shape) hides the unknown role (references) until it is fixed
    raw = minimal_with(("    next: putus\n", "    nxet: putus\n"),
                       ("    actor: kepala\n", "    actor: kepal\n"))
    assert codes(check_bytes(raw)) == ["S001"]
    fixed = raw.replace(b"nxet", b"next")
    assert codes(check_bytes(fixed)) == ["R001"]


def test_warnings_do_not_stop_later_layers() -> None:
    raw = minimal_with(
        ("  - {id: surat, title: Surat Keterangan, kind: produced}\n",
         "  - {id: surat, title: Surat Keterangan, kind: produced}\n"
         "  - {id: arsip, title: Arsip, kind: produced}\n"),
        ("    requires: [ktp]\n", "    requires: [ktp]\n    deadline: {amount: 9, unit: "
                                  "calendar_days}\n"))
    checked = check_bytes(raw)
    assert codes(checked) == ["R008", "G007"]
    assert all(d.severity is Severity.WARNING for d in checked.diagnostics)
    assert checked.procedure is not None


def test_pattern_with_trailing_newline_is_s006() -> None:
    raw = minimal_with(("  - id: terima\n", '  - id: "terima\\n"\n'))
    (diagnostic,) = check_bytes(raw).diagnostics
    assert (diagnostic.code, diagnostic.path) == ("S006", "steps[0].id")
    assert diagnostic.line == line_of(raw, '- id: "terima')


def test_diagnostics_are_plain_values() -> None:
    (diagnostic,) = check_path(FIXTURES / "invalid" / "R003-unknown-step.yaml").diagnostics
    assert isinstance(diagnostic, Diagnostic)
    data = diagnostic.to_dict()
    assert data["severity"] == "error" and data["code"] == "R003"
    assert set(data) == {"code", "severity", "file", "line", "column", "path", "message", "hint"}
    assert diagnostic.format().startswith(f"{diagnostic.file}:30:11: error R003 unknown step")


# --- additions of issue 17 ----------------------------------------------------------------------

def _minimal_with(old: str, new: str, tmp_path: Path, name: str = "p.yaml") -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_lower_case_true_in_a_condition_gets_a_did_you_mean(tmp_path: Path) -> None:
    path = _minimal_with("    actor: kepala\n", "    actor: kepala\n    when: is_child == true\n",
                         tmp_path)
    [problem] = check_path(path).errors
    assert problem.code == "R004" and "did you mean 'True'" in problem.message


def test_a_calendar_file_is_validated_with_its_procedure(tmp_path: Path) -> None:
    from engine.cases.files import check_file

    path = _minimal_with("  region: Kota Contoh\n",
                         "  region: Kota Contoh\n  calendar: libur.yaml\n", tmp_path)
    [missing] = check_file(path).errors
    assert (missing.code, missing.line, missing.path) == ("R017", 8, "agency.calendar")
    assert missing.message and missing.hint
    (tmp_path / "libur.yaml").write_text("version: 1\nholidays:\n  - {date: 2026-02-30, "
                                         "name: Tidak ada}\n", encoding="utf-8")
    checked = check_file(path)
    assert checked.errors and all(d.file.endswith("libur.yaml") for d in checked.errors)


def test_a_type_hint_shows_the_right_form(tmp_path: Path) -> None:
    path = _minimal_with('    number: "1"\n', '    number: 4\n    deadline: 3\n', tmp_path)
    hints = {d.path: d.hint for d in check_path(path).errors}
    assert hints["steps[0].number"].endswith('number: "4"')
    assert hints["steps[0].deadline"].endswith("deadline: {amount: 1, unit: working_days}")


def test_r009_says_to_remove_next_or_end() -> None:
    [problem] = check_path(FIXTURES / "invalid" / "R009-next-and-end.yaml").errors
    assert "remove 'next' or 'end'" in problem.hint
