"""The words of a drawn procedure in Indonesian (``alur --lang id graph``): a :class:`Scene`
built in English (what the renderers and their tests read) with every phrase alur adds —
timings, documents, marks, lane kinds, end outcomes, the case banner — put in Indonesian. The
procedure's own text (titles, questions, outcome labels) is the source's and stays as written.
"""

from __future__ import annotations

import re
from dataclasses import replace

from engine.messages import word
from engine.render.scene import Node, Scene

__all__ = ["indonesian"]

# longest first: "working days" before "working day", "calendar days" before "days"
_PHRASES = (
    ("refers to procedure: ", "merujuk ke prosedur: "),
    ("linked case: ", "kasus tertaut: "),
    ("requires: ", "memerlukan: "),
    ("together with: ", "bersama: "),
    ("repeats every ", "diulang setiap "),
    (", until ", ", sampai "),
    ("(each signs)", "(masing-masing menandatangani)"),
    ("(any one)", "(salah satu)"),
    ("produces: ", "menghasilkan: "),
    ("(actor inferred)", "(pelaku disimpulkan)"),
    ("working days", "hari kerja"),
    ("working day", "hari kerja"),
    ("calendar days", "hari kalender"),
    ("calendar day", "hari kalender"),
    ("time limit BREACHED", "jangka waktu TERLAMPAUI"),
)
_WORDS = ((re.compile(r"\bdeadline\b"), "batas"), (re.compile(r"\best\. "), "perk. "),
          (re.compile(r"\bhours?\b"), "jam"), (re.compile(r"\(due "), "(batas "),
          (re.compile(r"^Case "), "Kasus "), (re.compile(r", at step "), ", di langkah "),
          (re.compile(r" \(refer to "), " (rujuk ke "), (re.compile(r" \(external\)$"),
                                                         " (eksternal)"),
          (re.compile(r"^by "), "oleh "))


_JOINS = {"join: all": "gabung: semua", "join: any": "gabung: salah satu"}


def _say(text: str) -> str:
    for english, indonesian_text in _PHRASES:
        text = text.replace(english, indonesian_text)
    for pattern, replacement in _WORDS:
        text = pattern.sub(replacement, text)
    return text


def _node(node: Node) -> Node:
    title = (word(node.title, "id") if node.kind == "end"
             else _JOINS.get(node.title, node.title) if node.kind == "join" else node.title)
    return replace(node, title=title, details=tuple(_say(d) for d in node.details),
                   marks=tuple(_say(m) for m in node.marks))


def indonesian(scene: Scene) -> Scene:
    """``scene`` with alur's own words in Indonesian."""
    lanes = tuple(replace(lane, title=_say(lane.title)) for lane in scene.lanes)
    edges = tuple(replace(edge, label=_say(edge.label)) for edge in scene.edges)
    banner = scene.banner
    if banner is not None:
        case, _, rest = banner.partition(": ")
        status, sep, more = rest.partition(",")
        if not sep:
            status, sep, more = rest.partition(" ·")
        banner = _say(case) + ": " + word(status, "id") + sep + _say(more)
    subtitle = scene.subtitle.replace(" · SK unknown ", " · SK tidak diketahui ")
    return replace(scene, lanes=lanes, edges=edges, nodes=tuple(_node(n) for n in scene.nodes),
                   banner=banner, subtitle=subtitle)

