"""Graphs and the HTML page of a procedure speak the language asked for: every phrase alur adds
comes from the catalogue (``render.*`` and ``html.*`` entries), so with ``--lang id`` none of
the English ones is left — checked on every worked procedure and valid fixture, with a case
drawn over it."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from engine.messages import CATALOGUE
from engine.procedure.validate import load_procedure
from engine.render import render
from engine.render.trace import Trace

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("procedures/*.yaml"), *ROOT.glob("tests/fixtures/valid/*.yaml")])


def _fixed_english_parts() -> set[str]:
    """The English words of every render/html entry that Indonesian says differently: the
    fixed text between placeholders, of at least one word of four letters."""
    parts = set()
    for key, entry in CATALOGUE.items():
        if not key.startswith(("render.", "html.")):
            continue
        english, indonesian = entry["en"][0], entry["id"][0]
        for literal, *_ in string.Formatter().parse(english):
            literal = literal.strip(" ,.:;()·")
            if re.search(r"[A-Za-z]{4}", literal) and literal not in indonesian:
                parts.add(literal)
    return parts


ENGLISH = _fixed_english_parts()


def _case_over(proc_path: Path) -> Trace:
    proc = load_procedure(proc_path)
    first = proc.steps[0]
    return Trace(case_id="X-1", procedure_id=proc.id, status="active", visits=(),
                 taken=frozenset(), current_step=first.id,
                 current_started_at="2026-01-02T09:00:00+07:00",
                 current_due_at="2026-01-03T09:00:00+07:00", current_breached=True,
                 breached_steps=frozenset({first.id}), case_breached=True,
                 case_due_at="2026-01-03T09:00:00+07:00", outcome=None)


def test_the_english_phrases_are_found_at_all() -> None:
    assert {"together with", "requires", "time limit BREACHED", "Complaint channels"} <= ENGLISH


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["dot", "mermaid", "html"])
def test_indonesian_output_has_no_english_phrase(path: Path, fmt: str) -> None:
    proc = load_procedure(path)
    trace = _case_over(path)
    english = _shown(str(render(proc, fmt, trace=trace, lang="en")))
    indonesian = _shown(str(render(proc, fmt, trace=trace, lang="id")))
    own = {p for p in ENGLISH if _count(english, p)}
    assert own, "the English output shows alur's own words"
    source = " ".join(path.read_text(encoding="utf-8").split())  # folded lines joined
    left = sorted(p for p in own if _count(indonesian, p) > _count(source, p))
    assert not left, f"English left in the Indonesian {fmt}: {left}"


def _shown(output: str) -> str:
    """What a reader sees of a rendering: no HTML tags or style sheet, no Mermaid/DOT styling
    statements (their class names are identifiers, not words)."""
    output = re.sub(r"<style>.*?</style>|<[^>]*>", " ", output, flags=re.DOTALL)
    return re.sub(r"(?m)^\s*(classDef|class|style|linkStyle)\b.*$", "", output)


def _count(text: str, phrase: str) -> int:
    """How often ``phrase`` stands as words in ``text`` (not inside an id: ``end:completed``,
    ``step_completed``); in the procedure file it is the source's own text, kept as written."""
    return len(re.findall(rf"(?<![\w:]){re.escape(phrase)}(?![\w])", text))
