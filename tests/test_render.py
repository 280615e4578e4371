"""Renderers (:mod:`engine.render`) and ``alur graph``: golden files, structure, images, the HTML
report, the case overlay and the command line.

Golden files: ``tests/golden/<procedure>.dot`` and ``.mmd`` hold the expected DOT and Mermaid
text of every procedure in ``procedures/``. After an intended change to the drawing, regenerate
them and review the diff::

    ALUR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py -q

Tests that need Graphviz' ``dot`` (SVG, PNG, parsing the DOT) or Chromium (``/usr/bin/chromium``,
Debian's ``chromium`` package: a screenshot of the HTML report) skip with the reason when the
program is absent.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main
from engine.cases.state import CaseState
from engine.errors import UsageError
from engine.procedure.graph import END_PREFIX, procedure_graph
from engine.procedure.model import Procedure
from engine.procedure.validate import load_procedure
from engine.render import FORMATS, RENDERERS, case_trace, render
from engine.render import image as image_module
from engine.render.dot import ALERT, ALERT_FILL, PATH, VISITED, html_text, render_dot
from engine.render.html import render_html
from engine.render.mermaid import escape, render_mermaid
from engine.render.scene import build_scene
from engine.render.trace import format_span

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PROCEDURES = ("mediasi", "sapa", "pendampingan")
UPDATE = os.environ.get("ALUR_UPDATE_GOLDEN") == "1"
HAS_DOT = shutil.which("dot") is not None
NO_DOT = "Graphviz 'dot' is not installed (apt-get install graphviz)"
CHROMIUM = Path("/usr/bin/chromium")


def procedure(name: str) -> Procedure:
    return load_procedure(ROOT / "procedures" / f"{name}.yaml")


def ends_of(proc: Procedure) -> set[str]:
    found = {s.end.value for s in proc.steps if s.end}
    for step in proc.steps:
        for outcome in step.decision.outcomes if step.decision else ():
            if outcome.end:
                found.add(outcome.end.value)
    return found


def outcome_labels(proc: Procedure) -> list[str]:
    return [o.label for s in proc.steps for o in (s.decision.outcomes if s.decision else ())]


def flat(dot: str) -> str:
    """DOT text with the label line breaks turned back into spaces."""
    return dot.replace("<BR/>", " ")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALUR_LANG", raising=False)
    monkeypatch.setenv("ALUR_PROCEDURES", str(ROOT / "procedures"))


# --- golden files and determinism ---------------------------------------------------------------

# fixtures for what issue #17 added: joint actors (bersama), a recurring obligation (berulang),
# clock windows (jendela: the overall limit stops at a step, a phase limit)
FIXTURES = ("bersama", "berulang", "jendela")


@pytest.mark.parametrize("name", PROCEDURES + FIXTURES)
@pytest.mark.parametrize(("fmt", "suffix"), [("dot", "dot"), ("mermaid", "mmd")])
def test_golden(name: str, fmt: str, suffix: str) -> None:
    text = render(procedure(name) if name in PROCEDURES else load_procedure(
        ROOT / "tests" / "fixtures" / "valid" / f"{name}.yaml"), fmt)
    assert isinstance(text, str)
    golden = GOLDEN / f"{name}.{suffix}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"{golden} missing: run with ALUR_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{fmt} of {name} differs from {golden}; if the change is intended, regenerate with "
        "ALUR_UPDATE_GOLDEN=1 and review the diff")


# language features no procedure of procedures/ uses yet, drawn from their fixtures
FIXTURE_GOLDEN = ("rencana",)


@pytest.mark.parametrize("name", FIXTURE_GOLDEN)
@pytest.mark.parametrize(("fmt", "suffix"), [("dot", "dot"), ("mermaid", "mmd")])
def test_golden_fixture(name: str, fmt: str, suffix: str) -> None:
    text = render(load_procedure(ROOT / "tests" / "fixtures" / "valid" / f"{name}.yaml"), fmt)
    assert isinstance(text, str)
    golden = GOLDEN / f"{name}.{suffix}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{fmt} of {name} differs from {golden}; regenerate with ALUR_UPDATE_GOLDEN=1")


def test_a_plan_is_drawn_as_a_fork_and_a_join() -> None:
    """One node per service (in its actor's lane; a linked case in the plan's), an edge from
    the plan step to each labelled with its condition, each into the join, the join on."""
    scene = build_scene(load_procedure(ROOT / "tests" / "fixtures" / "valid" / "rencana.yaml"))
    services = [n for n in scene.nodes if n.kind == "service"]
    assert [n.title for n in services] == ["Layanan kesehatan", "Pendampingan psikologis",
                                           "Mediasi"]
    assert scene.node("join:rencana_layanan").title == "join: all"
    edges = {(e.source, e.target): e.label for e in scene.edges}
    assert edges[("rencana_layanan", "svc:rencana_layanan/kesehatan")] == "butuh_kesehatan"
    assert ("svc:rencana_layanan/mediasi", "join:rencana_layanan") in edges
    assert ("join:rencana_layanan", "evaluasi") in edges
    assert ("rencana_layanan", "evaluasi") not in edges  # the step goes on through its join
    lanes = {lane.role: lane.nodes for lane in scene.lanes}
    assert "svc:rencana_layanan/kesehatan" in lanes["perawat"]
    assert "svc:rencana_layanan/mediasi" in lanes["manajer_kasus"]
    mermaid = render(load_procedure(ROOT / "tests" / "fixtures" / "valid" / "rencana.yaml"),
                     "mermaid")
    assert isinstance(mermaid, str) and ":" not in "".join(
        line.split("[")[0].split("{")[0] for line in mermaid.splitlines()
        if line.strip().startswith(("f15_", "j_")))


def test_every_procedure_has_golden_files() -> None:
    names = sorted(p.stem for p in (ROOT / "procedures").glob("*.yaml"))
    assert names == sorted(PROCEDURES)


_DIGESTS = """
import hashlib, sys
from pathlib import Path
from engine.procedure.validate import load_procedure
from engine.render.dot import render_dot
from engine.render.html import render_html
from engine.render.mermaid import render_mermaid
for path in sorted(Path("procedures").glob("*.yaml")):
    proc = load_procedure(path)
    for render in (render_dot, render_mermaid, render_html):
        print(path.stem, render.__name__, hashlib.sha256(render(proc).encode()).hexdigest())
"""


def test_output_is_the_same_whatever_the_hash_seed() -> None:
    """Set and dict order of strings changes with PYTHONHASHSEED from one process to the next;
    rendering the same procedure twice in one process cannot show that, three processes can."""
    outputs = []
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _DIGESTS], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True, timeout=300)
        outputs.append(done.stdout)
    assert outputs[0].count("\n") == 3 * len(PROCEDURES)
    assert outputs[0] == outputs[1] == outputs[2]


def test_registry_lists_the_formats() -> None:
    assert set(RENDERERS) == {"dot", "mermaid", "svg", "png", "html"}
    assert tuple(RENDERERS) == FORMATS
    with pytest.raises(UsageError, match="unknown graph format"):
        render(procedure("sapa"), "pdf")


# --- structure ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PROCEDURES)
def test_dot_structure(name: str) -> None:
    proc = procedure(name)
    dot = render_dot(proc)
    text = flat(dot)
    for step in proc.steps:
        assert f'"{step.id}" [' in dot
        assert f"<B>{html_text(step.number)}</B>" in dot
    actors = {s.actor for s in proc.steps}
    for role_id in actors:
        assert f'subgraph "cluster_{role_id}" {{' in dot
        assert html_text(proc.role(role_id).title) in dot
    for label in outcome_labels(proc):
        assert html_text(label) in text
    for end in ends_of(proc):
        assert f'"{END_PREFIX}{end}" [shape=doublecircle' in dot
    for step in proc.steps:
        if step.decision:
            assert f'"{step.id}" -> "q:{step.id}";' in dot
            assert f'"q:{step.id}" [shape=diamond' in dot
        if step.actor_inferred:
            line = next(x for x in dot.splitlines() if x.strip().startswith(f'"{step.id}" ['))
            assert "dashed" in line and "(actor inferred)" in line
    for flag in proc.flags:
        if flag.about.startswith("steps."):
            assert flag.id in dot
    for step in proc.steps:
        for service in step.plan.services if step.plan else ():
            assert f'"{step.id}" -> "svc:{step.id}/{service.id}"' in dot
            assert f'"svc:{step.id}/{service.id}" -> "join:{step.id}";' in dot
    graph = procedure_graph(proc)
    # a decision adds the edge to its diamond; a plan's step -> next becomes a fork to each
    # service and a join from each
    assert dot.count(" -> ") == graph.number_of_edges() + sum(
        1 if s.decision else 2 * len(s.plan.services) if s.plan else 0 for s in proc.steps)


@pytest.mark.parametrize("name", PROCEDURES)
def test_mermaid_structure(name: str) -> None:
    proc = procedure(name)
    text = render_mermaid(proc)
    assert text.startswith("flowchart TD\n")
    for step in proc.steps:
        assert re.search(rf"^\s+s_{step.id}\(\"<b>{re.escape(escape(step.number))}</b> ",
                         text, re.M)
    for role_id in {s.actor for s in proc.steps}:
        assert f'subgraph lane_{role_id}["{escape(proc.role(role_id).title)}' in text
    for label in outcome_labels(proc):
        assert escape(label) in text
    for end in ends_of(proc):
        assert f'e_{end}((("{end}")))' in text
    assert text.count("subgraph ") == text.count("\n  end\n")
    # every quoted label is closed on its line and holds no raw quote
    for line in text.splitlines():
        assert line.count('"') % 2 == 0, line


def test_monitoring_loop_is_a_back_edge() -> None:
    proc = procedure("mediasi")
    dot = render_dot(proc)
    back = [x for x in dot.splitlines()
            if x.strip().startswith('"q:keputusan_terminasi" -> "monitoring_implementasi"')]
    assert len(back) == 1
    assert "style=dashed" in back[0] and "↺ Monitoring dilanjutkan" in back[0]
    mermaid = render_mermaid(proc)
    assert re.search(r"q_keputusan_terminasi -\.->\|\"↺ Monitoring dilanjutkan\"\| "
                     r"s_monitoring_implementasi", mermaid)
    scene = build_scene(proc)
    assert [(e.source, e.target) for e in scene.edges if e.back] == [
        ("q:keputusan_terminasi", "monitoring_implementasi")]


def test_sapa_decision_and_two_endings() -> None:
    proc = procedure("sapa")
    dot = render_dot(proc)
    assert '"q:pertimbangan_kepala_dinas" -> "rujukan_lembaga_lain"' in dot
    assert '"q:pertimbangan_kepala_dinas" -> "penyelesaian_dokumen_kasus"' in dot
    assert "SK unknown" in dot  # the source gives no decree number
    assert '"end:referred"' in dot and '"end:completed"' in dot
    assert "Tim Penjangkauan (Sub Koordinator, Konselor/Konsultan, Kepala Bidang)" in dot


def _tricky(proc: Procedure) -> Procedure:
    nasty = 'Say "hi" <b>&amp; {x} [y] | #1 `z` \\ (a); end'
    first = proc.steps[0].model_copy(update={"title": nasty, "number": '1"<'})
    role = proc.roles[0].model_copy(update={"title": 'Lane "quoted" <&> (x)'})
    return proc.model_copy(update={"title": nasty, "steps": (first, *proc.steps[1:]),
                                   "roles": (role, *proc.roles[1:])})


def test_special_characters_are_escaped() -> None:
    proc = _tricky(procedure("sapa"))
    dot = render_dot(proc)
    assert 'Say "hi"' not in dot and "<b>&amp;" not in dot
    assert "Say &quot;hi&quot; &lt;b&gt;&amp;amp; {x} [y] | #1 `z` \\" in flat(dot)
    mermaid = render_mermaid(proc)
    assert "Say #quot;hi#quot; #lt;b#gt;#amp;amp;" in mermaid
    assert 'subgraph lane_pelapor["Lane #quot;quoted#quot; #lt;#amp;#gt; (x)' in mermaid
    assert "<B>Lane &quot;quoted&quot; &lt;&amp;&gt; (x)" in dot
    for line in mermaid.splitlines():
        assert line.count('"') % 2 == 0, line
    if HAS_DOT:
        svg = render(proc, "svg")
        assert isinstance(svg, str) and "Say &quot;hi&quot;" in svg


def test_referrals_are_named() -> None:
    from engine.procedure.model import Referral

    proc = procedure("sapa")
    steps = list(proc.steps)
    index = next(i for i, s in enumerate(steps) if s.id == "rujukan_lembaga_lain")
    steps[index] = steps[index].model_copy(update={"refer": Referral(procedure="mediasi")})
    decider = next(i for i, s in enumerate(steps) if s.decision)
    decision = steps[decider].decision
    assert decision is not None
    outcomes = (decision.outcomes[0].model_copy(update={"refer": Referral(procedure="mediasi")}),
                *decision.outcomes[1:])
    steps[decider] = steps[decider].model_copy(
        update={"decision": decision.model_copy(update={"outcomes": outcomes})})
    changed = proc.model_copy(update={"steps": tuple(steps)})
    for text in (flat(render_dot(changed)), render_mermaid(changed)):
        assert "refers to procedure: mediasi" in text
        assert "Memerlukan layanan dari lembaga lain (refer to mediasi)" in text


# --- images (Graphviz) --------------------------------------------------------------------------

@pytest.mark.skipif(not HAS_DOT, reason=NO_DOT)
@pytest.mark.parametrize("name", PROCEDURES)
def test_dot_parses_with_graphviz(name: str) -> None:
    done = subprocess.run(["dot", "-Tcanon"], input=render_dot(procedure(name)).encode(),
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert not done.stderr.strip(), done.stderr.decode()  # no warnings either


@pytest.mark.skipif(not HAS_DOT, reason=NO_DOT)
@pytest.mark.parametrize("name", PROCEDURES)
def test_svg_and_png(name: str) -> None:
    proc = procedure(name)
    svg = render(proc, "svg")
    assert isinstance(svg, str) and "<svg" in svg
    for step in proc.steps:
        assert f">{step.number}<" in svg
    png = render(proc, "png")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width > 300 and height > 300


def test_missing_dot_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(image_module.shutil, "which", lambda name: None)
    with pytest.raises(UsageError) as caught:
        render(procedure("sapa"), "svg")
    assert caught.value.message == "Graphviz 'dot' is not installed"
    assert "apt-get install graphviz" in caught.value.hint
    assert "DOT and Mermaid output still work" in caught.value.hint
    assert isinstance(render(procedure("sapa"), "dot"), str)  # still works


def test_graphviz_backend_error_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import graphviz

    def missing(*args: object, **kwargs: object) -> bytes:
        raise graphviz.ExecutableNotFound(("dot",))

    monkeypatch.setattr(image_module.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(graphviz.Source, "pipe", missing)
    with pytest.raises(UsageError, match="Graphviz 'dot' is not installed"):
        render(procedure("mediasi"), "png")


# --- HTML report ----------------------------------------------------------------------------------

URL_REF = re.compile(r"""\b(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _check_report(proc: Procedure, page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert html.escape(proc.title) in page
    for step in proc.steps:
        assert html.escape(step.text) in page, step.id
    for flag in proc.flags:
        assert html.escape(flag.note) in page
        assert html.escape(flag.kind) in page and html.escape(flag.about) in page
        if flag.quote:
            assert html.escape(flag.quote) in page
    assert html.escape(proc.time_limit.source_text) in page
    for component in proc.missing_components():
        assert f"<code>{component}</code>" in page
    for doc in proc.documents:
        assert html.escape(doc.title) in page
    assert page.count('class="sensitive">sensitive<') == sum(d.sensitive for d in proc.documents)
    for channel in proc.complaints:
        assert html.escape(channel.text) in page
    assert not URL_REF.search(page), URL_REF.search(page)
    assert "<script" not in page and "<link" not in page and "@import" not in page


@pytest.mark.parametrize("name", PROCEDURES)
def test_html_report_is_complete_and_self_contained(name: str) -> None:
    proc = procedure(name)
    page = render(proc, "html")
    assert isinstance(page, str)
    _check_report(proc, page)
    decree = proc.decree.number if proc.decree.known else "unknown"
    assert f"decree (SK): {html.escape(str(decree))}" in page
    if HAS_DOT:
        assert '<figure id="graph">\n<svg' in page and "<!DOCTYPE svg" not in page


def test_html_report_without_dot_embeds_mermaid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(image_module.shutil, "which", lambda name: None)
    proc = procedure("mediasi")
    page = render(proc, "html")
    assert isinstance(page, str)
    _check_report(proc, page)
    assert "<svg" not in page
    assert '<pre id="graph" class="mermaid-source">flowchart TD' in page
    assert html.escape(render_mermaid(proc)) in page
    assert "Graphviz \u2018dot\u2019 was not installed" in page


# --- case overlay ---------------------------------------------------------------------------------

def sapa_state() -> CaseState:
    """A SAPA case: three steps done (the third after its due date), now at step 4, and the
    case's own time limit breached while step 4 was running."""
    def entry(step: str, start: str, at: str, due: str | None = None) -> dict[str, object]:
        return {"step": step, "outcome": None, "at": at, "started_at": start, "due_at": due,
                "user": "u", "role": "r"}

    return CaseState(
        case_id="sapa-demo", procedure_id="sapa", procedure_version="1", status="active",
        current_step="verifikasi_surat_tugas", step_started_at="2026-03-04T12:00:00+07:00",
        due_at="2026-03-04T23:59:59+07:00",
        path=[entry("menghubungi_sapa", "2026-03-02T09:00:00+07:00", "2026-03-02T10:00:00+07:00"),
              entry("menerima_pengaduan", "2026-03-02T10:00:00+07:00",
                    "2026-03-02T12:00:00+07:00"),
              entry("konfirmasi_identifikasi", "2026-03-02T12:00:00+07:00",
                    "2026-03-04T12:00:00+07:00", due="2026-03-02T16:00:00+07:00")],
        breaches=[{"target": "case", "due_at": "2026-03-04T23:59:59+07:00",
                   "escalate_to": "kepala_bidang", "at": "2026-03-05T09:00:00+07:00"}])


def test_trace_data() -> None:
    proc = procedure("sapa")
    state = sapa_state()
    trace = case_trace(proc, state)
    assert trace == case_trace(proc, state.to_dict())
    assert trace.visited == {"menghubungi_sapa", "menerima_pengaduan", "konfirmasi_identifikasi"}
    assert trace.seconds("menerima_pengaduan") == 7200
    assert format_span(7200) == "2.0 h" and format_span(2 * 86_400) == "2.0 d"
    assert ("menghubungi_sapa", "menerima_pengaduan") in trace.taken
    assert ("konfirmasi_identifikasi", "verifikasi_surat_tugas") in trace.taken
    assert trace.breached_steps == {"konfirmasi_identifikasi", "verifikasi_surat_tugas"}
    assert trace.case_breached and trace.current_breached
    assert trace.current_step == "verifikasi_surat_tugas"


def test_trace_of_a_closed_case_reaches_its_end() -> None:
    proc = procedure("mediasi")
    steps = [s.id for s in proc.steps]
    path = [{"step": s, "outcome": "terminasi" if s == "keputusan_terminasi" else None,
             "at": f"2026-03-{i + 3:02d}T09:00:00+07:00",
             "started_at": f"2026-03-{i + 2:02d}T09:00:00+07:00", "due_at": None}
            for i, s in enumerate(steps)]
    state = {"case_id": "m-1", "procedure_id": "mediasi", "status": "completed",
             "outcome": "completed", "path": path, "breaches": []}
    trace = case_trace(proc, state)
    assert ("pendokumentasian", "end:completed") in trace.taken
    assert ("keputusan_terminasi", "pendokumentasian") in trace.taken
    assert ("keputusan_terminasi", "monitoring_implementasi") not in trace.taken
    dot = render_dot(proc, trace=trace)
    end_line = next(x for x in dot.splitlines() if x.strip().startswith('"end:completed" ['))
    assert "penwidth=2.5" in end_line
    assert "time: 1.0 d" in dot


def test_overlay_in_dot_mermaid_and_html() -> None:
    proc = procedure("sapa")
    trace = case_trace(proc, sapa_state())
    dot = render_dot(proc, trace=trace)
    lines = {x.strip().split(" [", 1)[0].strip('"'): x for x in dot.splitlines()
             if x.strip().startswith('"') and " -> " not in x}
    assert f'fillcolor="{VISITED}"' in lines["menghubungi_sapa"]
    assert "time: 1.0 h" in lines["menghubungi_sapa"]
    assert f'fillcolor="{ALERT_FILL}"' in lines["konfirmasi_identifikasi"]
    assert "DEADLINE BREACHED" in lines["konfirmasi_identifikasi"]
    assert "CURRENT STEP" in lines["verifikasi_surat_tugas"]
    assert f'color="{ALERT}"' in lines["verifikasi_surat_tugas"]
    assert f'fillcolor="{VISITED}"' not in lines["penjangkauan"]
    taken = [x for x in dot.splitlines() if '"menghubungi_sapa" -> "menerima_pengaduan"' in x]
    assert f'color="{PATH}"' in taken[0] and "penwidth=2.6" in taken[0]
    assert "Case sapa-demo: active, at step 4 · time limit BREACHED (due 2026-03-04)" in dot

    mermaid = render_mermaid(proc, trace=trace)
    assert re.search(r"class [a-z_,]*s_menghubungi_sapa[a-z_,]* visited", mermaid)
    assert re.search(r"class [a-z_,]*s_konfirmasi_identifikasi[a-z_,]* breached", mermaid)
    assert re.search(r"class [a-z_,]*s_verifikasi_surat_tugas[a-z_,]* current", mermaid)
    assert "class banner alert" in mermaid
    assert re.search(r"linkStyle [0-9,]+ stroke:#1d4ed8", mermaid)

    page = render_html(proc, trace=trace)
    assert "<h2>Case sapa-demo</h2>" in page
    assert "The time limit of the case was breached" in page
    assert page.count('<span class="alert">breached</span>') == 2
    if HAS_DOT:
        svg = render(proc, "svg", trace=sapa_state())
        assert isinstance(svg, str) and "DEADLINE BREACHED" in svg


def test_overlay_refuses_a_case_of_another_procedure() -> None:
    with pytest.raises(UsageError, match="belongs to procedure 'sapa'"):
        render(procedure("mediasi"), "dot", trace=sapa_state())


# --- command line ---------------------------------------------------------------------------------

def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
@pytest.mark.parametrize("name", PROCEDURES)
def test_cli_text_formats_to_stdout(name: str, fmt: str) -> None:
    result = run("graph", name, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == render(procedure(name), fmt)


def test_cli_default_format_is_dot_and_accepts_a_path() -> None:
    result = run("graph", ROOT / "procedures" / "sapa.yaml")
    assert result.exit_code == 0
    assert result.stdout.startswith('digraph "sapa" {')


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_each_format_to_a_file(fmt: str, tmp_path: Path) -> None:
    if fmt in ("svg", "png") and not HAS_DOT:
        pytest.skip(NO_DOT)
    target = tmp_path / f"graph.{fmt}"
    result = run("graph", "mediasi", "--format", fmt, "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    data = target.read_bytes()
    expected = render(procedure("mediasi"), fmt)
    assert data == (expected if isinstance(expected, bytes) else expected.encode("utf-8"))


@pytest.mark.skipif(not HAS_DOT, reason=NO_DOT)
def test_cli_svg_and_html_to_stdout() -> None:
    assert run("graph", "sapa", "--format", "svg").stdout.lstrip().startswith("<?xml")
    assert run("graph", "sapa", "--format", "html").stdout.startswith("<!DOCTYPE html>")


def test_cli_png_to_stdout_is_refused() -> None:
    result = run("graph", "sapa", "--format", "png")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "PNG" in result.stderr and "-o" in result.stderr


def test_cli_unknown_procedure_exits_3() -> None:
    result = run("graph", "no_such_procedure", "--format", "mermaid")
    assert result.exit_code == 3
    assert "no procedure 'no_such_procedure'" in result.stderr


def test_cli_unknown_format_exits_2() -> None:
    assert run("graph", "sapa", "--format", "pdf").exit_code == 2


def test_cli_unwritable_output_exits_2(tmp_path: Path) -> None:
    result = run("graph", "sapa", "-o", tmp_path / "missing" / "x.dot")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_cli_missing_dot_says_so(fmt: str, monkeypatch: pytest.MonkeyPatch,
                                 tmp_path: Path) -> None:
    monkeypatch.setattr(image_module.shutil, "which", lambda name: None)
    result = run("graph", "sapa", "--format", fmt, "-o", tmp_path / f"x.{fmt}")
    assert result.exit_code == 2
    assert "error: Graphviz 'dot' is not installed" in result.stderr
    assert "hint: apt-get install graphviz (Debian/Ubuntu) or brew install graphviz; DOT and " \
           "Mermaid output still work" in result.stderr
    assert not (tmp_path / f"x.{fmt}").exists()
    assert run("graph", "sapa", "--format", "html").exit_code == 0  # falls back to Mermaid


@pytest.fixture
def sapa_store(tmp_path: Path) -> str:
    """A SQLite store with one SAPA case: two steps done, the case's time limit breached."""
    from datetime import datetime, timedelta, timezone

    from engine.api import Engine
    from engine.cases.commands import CompleteStep

    url = f"sqlite:///{tmp_path / 'alur.db'}"
    with Engine(url) as engine:
        engine.open_case("sapa", user="ani", role="admin", facts={"contacted_sapa": True},
                         at="2026-03-02T09:00:00+07:00", case_id="sapa-1")
        engine.execute(CompleteStep(user="pelapor", role="pelapor", case_id="sapa-1",
                                    step="menghubungi_sapa", at="2026-03-02T10:00:00+07:00"))
        engine.execute(CompleteStep(user="ani", role="admin", case_id="sapa-1",
                                    step="menerima_pengaduan", at="2026-03-02T12:00:00+07:00"))
        engine.check_deadlines(datetime(2026, 3, 10, 9, tzinfo=timezone(timedelta(hours=7))))
    return url


def test_cli_case_overlay(sapa_store: str) -> None:
    result = run("graph", "sapa", "--case", "sapa-1", "--db", sapa_store)
    assert result.exit_code == 0, result.output
    dot = result.stdout
    assert "Case sapa-1: active, at step 3 · time limit BREACHED" in dot
    line = next(x for x in dot.splitlines() if x.strip().startswith('"menerima_pengaduan" ['))
    assert f'fillcolor="{VISITED}"' in line and "time: 2.0 h" in line
    current = next(x for x in dot.splitlines()
                   if x.strip().startswith('"konfirmasi_identifikasi" ['))
    assert "CURRENT STEP" in current and "DEADLINE BREACHED" in current
    # the global --db works too
    assert run("--db", sapa_store, "graph", "sapa", "--case", "sapa-1",
               "--format", "mermaid").exit_code == 0


def test_cli_case_of_another_procedure_is_refused(sapa_store: str) -> None:
    result = run("graph", "mediasi", "--case", "sapa-1", "--db", sapa_store)
    assert result.exit_code == 2
    assert "case sapa-1 belongs to procedure 'sapa', not 'mediasi'" in result.stderr
    assert "alur graph sapa --case sapa-1" in result.stderr


def test_cli_unknown_case_exits_3(sapa_store: str) -> None:
    result = run("graph", "sapa", "--case", "nope", "--db", sapa_store)
    assert result.exit_code == 3
    assert "no case 'nope'" in result.stderr


# --- the HTML report in a real browser ----------------------------------------------------------

def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, channels, unfiltered pixel rows) of an 8-bit RGB/RGBA PNG (stdlib)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    out = bytearray(height * stride)
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        out[y * stride:(y + 1) * stride] = line
        previous = line
    return width, height, channels, bytes(out)


@pytest.mark.slow
def test_html_report_draws_the_graph_in_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium not installed (Debian package 'chromium')")
    if not HAS_DOT:
        pytest.skip(NO_DOT + ": the report would hold Mermaid source, not a drawing")
    page = tmp_path / "mediasi.html"
    page.write_text(str(render(procedure("mediasi"), "html")), encoding="utf-8")
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri()],
        capture_output=True, timeout=120, check=False)
    assert shot.is_file(), done.stderr.decode("utf-8", "replace")[-2000:]
    width, height, channels, pixels = decode_png(shot.read_bytes())
    assert (width, height) == (1400, 1000)
    # the graph starts below the title block: look at the lower four fifths of the window
    ink = lane = 0
    for y in range(200, height, 2):
        row = y * width * channels
        for x in range(0, width, 2):
            r, g, b = pixels[row + x * channels:row + x * channels + 3]
            if r < 235 or g < 235 or b < 235:
                ink += 1
            if b - r >= 8 and r > 200:  # the light blue of a staff lane (#eef3fa)
                lane += 1
    sampled = ((height - 200) // 2) * (width // 2)
    assert ink > sampled * 0.01, f"only {ink} of {sampled} sampled pixels are drawn"
    assert lane > sampled * 0.03, f"only {lane} of {sampled} sampled pixels are lane-blue"


def test_decode_png_roundtrip() -> None:
    """The stdlib PNG decoder used above, on an image written here with each filter type."""
    width, height = 3, 5
    pixels = bytes((x * 40 + y * 7 + c * 3) & 0xFF for y in range(height) for x in range(width)
                   for c in range(3))
    stride = width * 3
    raw = bytearray()
    previous = bytes(stride)
    for y in range(height):
        line = pixels[y * stride:(y + 1) * stride]
        kind = y % 5
        filtered = bytearray(stride)
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = previous[i]
            c = previous[i - 3] if i >= 3 else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            paeth = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            pred = (0, a, b, (a + b) >> 1, paeth)[kind]
            filtered[i] = (line[i] - pred) & 0xFF
        raw += bytes([kind]) + filtered
        previous = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                            0, 0, 0))
           + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))
    assert decode_png(png) == (width, height, 3, pixels)



# --- docs/auditing.md cannot rot ----------------------------------------------------------------

DOCS = ROOT / "docs"


def test_docs_mermaid_block_is_the_current_output() -> None:
    text = (DOCS / "auditing.md").read_text(encoding="utf-8")
    block = re.search(r"^```mermaid\n(.*?)^```$", text, re.S | re.M)
    assert block, "docs/auditing.md has no ```mermaid block"
    assert block.group(1) == render_mermaid(procedure("sapa")), (
        "regenerate the block with: alur graph sapa --format mermaid")


@pytest.mark.parametrize("name", PROCEDURES)
def test_docs_images_are_rendered_graphs(name: str) -> None:
    text = (DOCS / "auditing.md").read_text(encoding="utf-8")
    assert f"](img/{name}.svg)" in text
    svg = (DOCS / "img" / f"{name}.svg").read_text(encoding="utf-8")
    assert "<svg" in svg
    for step in procedure(name).steps:
        assert f">{step.number}<" in svg and html.escape(step.title.split()[0]) in svg


# --- a loop is an edge that closes a cycle (issue 17) ---------------------------------------------

def test_an_edge_is_a_loop_only_when_it_closes_a_cycle(tmp_path: Path) -> None:
    """The minimal procedure with its steps listed out of order: 'terbit' (listed first) is
    reached from 'putus' (listed later) without any cycle, so no edge is a loop; the monitoring
    loop of Mediasi (9b back to 8) is one, and the only one."""
    text = (ROOT / "tests" / "fixtures" / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: terbit\n")
    end = text.index("time_limit:")
    moved = text[:text.index("steps:\n") + len("steps:\n")] + text[start:end] \
        + text[text.index("steps:\n") + len("steps:\n"):start] + text[end:]
    path = tmp_path / "urutan.yaml"
    path.write_text(moved, encoding="utf-8")
    scene = build_scene(load_procedure(path))
    assert next(e.target for e in scene.edges if e.source == "q:putus") == "terbit"
    assert not any(e.back for e in scene.edges)
    mediasi = build_scene(load_procedure(ROOT / "procedures" / "mediasi.yaml"))
    assert [(e.source, e.target) for e in mediasi.edges if e.back] == [
        ("q:keputusan_terminasi", "monitoring_implementasi")]
