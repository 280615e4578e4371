"""Reading procedure text safely into plain data that remembers where every node came from.

This module owns the step *text → data with positions*. It builds values from the YAML *event*
stream (libyaml's C parser when available) with an explicit stack, which is what lets it:

- reject duplicate keys (PyYAML keeps the last one silently),
- reject every tag outside plain YAML data (``!!python/object`` and friends),
- bound nesting depth and the expanded size of aliases ("billion laughs") before any deep
  structure is walked, with no recursion that a 10,000-deep file could overflow,
- keep the 1-based line and column of every key and value for diagnostics.

It returns diagnostics instead of raising and never prints. It knows nothing of procedures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.diagnostics import Diagnostic, Severity, make

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Path", "SourceDoc", "format_path",
           "read_file", "read_text"]

MAX_BYTES = 1_048_576  # a real procedure is ~10 KB; 1 MiB leaves room and bounds memory
MAX_DEPTH = 64
# a real procedure has ~1,000 values; counted with aliases expanded, so shared subtrees cannot
# hide size, and low enough that a file of many wrong values is still diagnosed in about a second
MAX_NODES = 50_000

Path = tuple[str | int, ...]
Pos = tuple[int, int]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.SafeLoader("")  # only its implicit-type resolver is used
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_YAML_TAG = "tag:yaml.org,2002:"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {_STR, _TIMESTAMP, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def format_path(path: Path) -> str:
    """``('steps', 2, 'next')`` → ``steps[2].next``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class SourceDoc:
    """Plain data read from one file, with the position of every value and mapping key."""

    file: str
    text: str
    data: Any = None
    value_marks: dict[Path, Pos] = field(default_factory=dict)
    key_marks: dict[Path, Pos] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def locate(self, path: Path, *, key: bool = False) -> Pos:
        """Position of ``path`` (its key when ``key``), else of the nearest ancestor, else 1:1."""
        probe = tuple(path)
        if key and probe in self.key_marks:
            return self.key_marks[probe]
        while probe:
            if probe in self.value_marks:
                return self.value_marks[probe]
            if probe in self.key_marks:
                return self.key_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), (1, 1))


class _Abort(Exception):
    """Stops reading at the first problem that makes the rest unreadable."""


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _describe(value: Any) -> str:
    """What ``value`` is, as a term code for a ``{found!t}`` field."""
    return {dict: "mapping", list: "list", type(None): "nothing"}.get(type(value), "single_value")


def read_file(path: str | os.PathLike[str], lang: str = "en") -> SourceDoc:
    """Read and parse ``path``; problems (missing file, size, encoding, syntax) are diagnostics."""
    name = os.fspath(path)
    doc = SourceDoc(file=name, text="")
    try:
        size = os.stat(name).st_size
        if size > MAX_BYTES:
            doc.diagnostics.append(make("Y005", Severity.ERROR, name, (1, 1), "", lang,
                                        size=size, limit=MAX_BYTES))
            return doc
        with open(name, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        doc.diagnostics.append(make("Y009", Severity.ERROR, name, (1, 1), "", lang,
                                    problem=exc.strerror or str(exc)))
        return doc
    return read_bytes(raw, name, lang)


def read_bytes(raw: bytes, name: str = "<text>", lang: str = "en") -> SourceDoc:
    doc = SourceDoc(file=name, text="")
    if len(raw) > MAX_BYTES:
        doc.diagnostics.append(make("Y005", Severity.ERROR, name, (1, 1), "", lang,
                                    size=len(raw), limit=MAX_BYTES))
        return doc
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0  # offsets below count from the file start
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        line = raw.count(b"\n", 0, start) + 1
        line_start = max(raw.rfind(b"\n", 0, start) + 1, bom)
        column = len(raw[line_start:start].decode("utf-8", "replace")) + 1  # in characters
        doc.diagnostics.append(make("Y006", Severity.ERROR, name, (line, column), "", lang,
                                    problem=f"bad_byte=0x{raw[start]:02x}|{start}"))
        return doc
    return read_text(text, name, lang)


def read_text(text: str, name: str = "<text>", lang: str = "en") -> SourceDoc:
    """Parse YAML ``text`` into a :class:`SourceDoc`; never raises for bad input."""
    doc = SourceDoc(file=name, text=text)
    if len(text) > MAX_BYTES:
        doc.diagnostics.append(make("Y005", Severity.ERROR, name, (1, 1), "", lang,
                                    size=len(text), limit=MAX_BYTES))
        return doc
    builder = _Builder(doc, lang)
    try:
        builder.run(yaml.parse(text, Loader=_Loader))
    except _Abort:
        doc.data = None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "unreadable"
        if "maximum nesting depth" in problem:
            # PyYAML >= 6.0.2 limits nesting itself, and its scanner reads a run of opening
            # brackets before alur's own depth check sees them: the same finding, said as ours
            doc.diagnostics.append(make("Y003", Severity.ERROR, name, _pos(mark), "", lang,
                                        limit=MAX_DEPTH))
            doc.data = None
            return doc
        lines = text.splitlines()
        tab = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]
        doc.diagnostics.append(make("Y001", Severity.ERROR, name, _pos(mark), "", lang,
                                    problem=problem, extra="tab" if tab else ""))
        doc.data = None
    except UnicodeEncodeError as exc:  # lone surrogates in a str that did not come from bytes
        before = text[:exc.start]
        doc.diagnostics.append(make("Y006", Severity.ERROR, name,
                                    (before.count("\n") + 1,
                                     len(before) - (before.rfind("\n") + 1) + 1), "", lang,
                                    problem=f"bad_character=U+{ord(text[exc.start]):04X}|"
                                            f"{exc.start}"))
        doc.data = None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no problem_mark
        pos = (1, 1)
        offset = getattr(exc, "position", None)  # libyaml: a UTF-8 byte offset into the text
        if isinstance(offset, int):
            before = (text[:offset] if _Loader is yaml.SafeLoader else
                      text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "replace"))
            pos = (before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        doc.diagnostics.append(make("Y001", Severity.ERROR, name, pos, "", lang,
                                    problem=str(exc).splitlines()[0], extra=""))
        doc.data = None
    if doc.ok and not isinstance(doc.data, dict):
        doc.diagnostics.append(make("Y008", Severity.ERROR, name, doc.value_marks.get((), (1, 1)),
                                    "", lang, found=_describe(doc.data)))
        doc.data = None
    return doc


@dataclass
class _Frame:
    value: dict[Any, Any] | list[Any]
    path: Path
    anchor: str | None
    weight: int = 1
    pending_key: Any = None
    key_pos: Pos | None = None
    expecting_key: bool = True
    first_lines: dict[Any, int] = field(default_factory=dict)


class _Builder:
    """Folds YAML events into Python values with an explicit stack (no recursion)."""

    def __init__(self, doc: SourceDoc, lang: str) -> None:
        self.doc = doc
        self.lang = lang
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.total = 0
        self.aliased = 0  # of the total, what aliases stood for
        self.documents = 0

    def error(self, code: str, pos: Pos, path: Path = (), **params: object) -> None:
        self.doc.diagnostics.append(make(code, Severity.ERROR, self.doc.file, pos,
                                         format_path(path), self.lang, **params))

    def run(self, events: Iterator[yaml.Event]) -> None:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self.error("Y010", _pos(event.start_mark))
                    raise _Abort
            elif isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.MappingStartEvent):
                self.open(event, {}, _MAP_TAG)
            elif isinstance(event, yaml.SequenceStartEvent):
                self.open(event, [], _SEQ_TAG)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = self.stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.value, frame.weight)
                self.attach(frame.value, frame.weight, None)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    self.error("Y001", _pos(event.start_mark),
                               problem="", extra=f"unknown_alias={event.anchor}")
                    raise _Abort
                value, weight = self.anchors[event.anchor]
                # every alias counts its expanded size, an alias to a single value too (else
                # 300,000 '*a' in a 1 MiB file would slip past the limit)
                self.aliased += weight
                self.count(weight, _pos(event.start_mark))
                self.attach(value, weight, _pos(event.start_mark))

    def child_path(self) -> Path:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        return (*top.path, top.pending_key)

    def count(self, weight: int, pos: Pos) -> None:
        self.total += weight
        if self.total > MAX_NODES:
            # mostly aliases: the "billion laughs"; else simply too many values written out
            self.error("Y004" if 2 * self.aliased > self.total else "Y012", pos, limit=MAX_NODES)
            raise _Abort

    def check_tag(self, tag: str | None, allowed: set[str] | str, pos: Pos) -> None:
        if tag and tag not in ("!", "?") and tag not in allowed:
            shown = "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag
            self.error("Y007", pos, self.child_path(), tag=shown)  # as written: !!python/...
            raise _Abort

    def open(self, event: Any, value: dict[Any, Any] | list[Any], tag: str) -> None:
        pos = _pos(event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            self.error("Y003", pos, limit=MAX_DEPTH)
            raise _Abort
        self.check_tag(event.tag, tag, pos)
        if self.stack and self.stack[-1].expecting_key and isinstance(self.stack[-1].value, dict):
            self.error("Y011", pos, self.stack[-1].path, found=_describe(value))
            raise _Abort
        self.count(1, pos)
        path = self.child_path()
        self.doc.value_marks.setdefault(path, pos)
        self.stack.append(_Frame(value, path, event.anchor))

    def scalar(self, event: yaml.ScalarEvent) -> None:
        pos = _pos(event.start_mark)
        self.check_tag(event.tag, _SCALAR_TAGS, pos)
        if event.tag in _SCALAR_TAGS:
            tag = event.tag
        else:
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value,  # type: ignore[no-untyped-call]
                                    event.implicit)
        if tag in (_STR, _TIMESTAMP):  # dates stay text: the schema speaks of ISO strings
            value: Any = event.value
        else:
            # the tag's constructor is called directly: construct_object() would remember every
            # node in the shared constructor forever (a leak); odd values ('!!bool maybe',
            # '!!int ""') raise KeyError/IndexError there and simply stay text
            node = yaml.ScalarNode(tag, event.value)
            constructor = _CONSTRUCTOR.yaml_constructors.get(tag)
            try:
                value = constructor(_CONSTRUCTOR, node) if constructor else event.value
            except (yaml.YAMLError, ValueError, LookupError):
                value = event.value
        self.count(1, pos)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self.attach(value, 1, pos, raw=event.value)

    def attach(self, value: Any, weight: int, pos: Pos | None, raw: str | None = None) -> None:
        if not self.stack:
            self.doc.data = value
            if pos is not None:
                self.doc.value_marks.setdefault((), pos)
            return
        top = self.stack[-1]
        top.weight += weight
        if isinstance(top.value, list):
            if pos is not None:
                self.doc.value_marks.setdefault((*top.path, len(top.value)), pos)
            top.value.append(value)
            return
        if top.expecting_key:
            if isinstance(value, (dict, list)):
                self.error("Y011", pos or (1, 1), top.path, found=_describe(value))
                raise _Abort
            # a key is text as written: 'null', '~' or 'yes' rather than 'None' or 'True'
            key = value if isinstance(value, str) else raw if raw is not None else str(value)
            key_pos = pos or (1, 1)
            if key in top.first_lines:
                self.error("Y002", key_pos, (*top.path, key), key=key,
                           first_line=top.first_lines[key])
                key = _DuplicateKey(key)
            else:
                top.first_lines[key] = key_pos[0]
                self.doc.key_marks[(*top.path, key)] = key_pos
            top.pending_key = key
            top.expecting_key = False
            return
        key = top.pending_key
        if pos is not None and not isinstance(key, _DuplicateKey):
            self.doc.value_marks.setdefault((*top.path, key), pos)
        if not isinstance(key, _DuplicateKey):
            top.value[key] = value
        top.expecting_key = True


class _DuplicateKey(str):
    """Marks the second occurrence of a key so its value is dropped (the first one is kept)."""
