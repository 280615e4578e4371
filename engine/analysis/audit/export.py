"""The event log for process mining: XES (IEEE 1849), CSV and JSON Lines.

Owns :func:`export_rows` (events → one flat :class:`Row` per event, masked unless revealed) and
the writers :func:`write_csv`, :func:`write_jsonl` and :func:`write_xes`, which stream to a text
file: events are read one case at a time, never all at once. Recording a reveal in the audit
log is the caller's business (the CLI does it before writing).

Row (and XES event) fields: ``case_id``, ``seq``, ``activity`` (the step title for
step_started / step_completed, otherwise the event type), ``timestamp``, ``resource`` (the
user), ``role``, ``lifecycle`` (``start`` for step_started, ``complete`` for step_completed,
otherwise the event type), ``type``, ``step``, ``hash`` and ``payload``.

Masking (unless ``reveal``): what :func:`engine.cases.privacy.mask_event` hides (sensitive facts,
the
file names of sensitive documents, participant names) and, because the person acting in an
external role (a reporter, a party) is a participant too, the ``resource`` of their events.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from engine.cases.events import Event
from engine.cases.privacy import MASK, mask_event
from engine.cases.state import replay
from engine.procedure.model import Procedure, RoleKind

__all__ = ["COLUMNS", "Row", "export_rows", "write_csv", "write_jsonl", "write_xes"]

COLUMNS = ("case_id", "seq", "activity", "timestamp", "resource", "role", "lifecycle", "type",
           "step", "hash", "payload")
_LIFECYCLE = {"step_started": "start", "step_completed": "complete"}


@dataclass(frozen=True, slots=True)
class Row:
    case_id: str
    seq: int
    activity: str
    timestamp: str
    resource: str
    role: str
    lifecycle: str
    type: str
    step: str | None
    hash: str
    payload: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COLUMNS}


def _row(proc: Procedure, event: Event, reveal: bool) -> Row:
    data = mask_event(proc, event, reveal)
    step_id = event.payload.get("step") if event.type in _LIFECYCLE else None
    activity = event.type
    if step_id is not None:
        try:
            activity = proc.step(step_id).title
        except KeyError:
            activity = step_id
    resource = event.user
    if not reveal:
        try:
            if proc.role(event.role).kind is RoleKind.EXTERNAL:
                resource = MASK
        except KeyError:
            pass
    return Row(event.case_id, event.seq, activity, event.at, resource, event.role,
               _LIFECYCLE.get(event.type, event.type), event.type, step_id, event.hash,
               data["payload"])


def export_rows(events: Iterable[Event], procedure: Callable[[str], Procedure], *,
                reveal: bool = False) -> Iterator[Row]:
    """One row per event, in the order given; ``procedure`` gives the procedure of a hash."""
    for event in events:
        yield _row(procedure(event.procedure_hash), event, reveal)


# --- CSV and JSON Lines -------------------------------------------------------------------

_FORMULA = re.compile(r"^[=+@\t\r]|^-(?![\d.])")


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection)."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def write_csv(rows: Iterable[Row], out: TextIO) -> int:
    """Write ``rows`` as CSV with a header (payload as JSON text); returns the row count."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        values = row.to_dict()
        values["payload"] = json.dumps(row.payload, ensure_ascii=False, sort_keys=True)
        writer.writerow([_cell(values[name]) for name in COLUMNS])
        count += 1
    return count


def write_jsonl(rows: Iterable[Row], out: TextIO) -> int:
    """Write one JSON object per line; returns the row count."""
    count = 0
    for row in rows:
        out.write(json.dumps(row.to_dict(), ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count


# --- XES ----------------------------------------------------------------------------------

XES_NS = "http://www.xes-standard.org/"
EXTENSIONS = (("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
              ("Time", "time", "http://www.xes-standard.org/time.xesext"),
              ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
              ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"))
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    """Text XML 1.0 can hold: characters it forbids (most control characters) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def _attr(parent: ET.Element, kind: str, key: str, value: object) -> None:
    ET.SubElement(parent, kind, {"key": key, "value": _text(value)})


def _header(name: str) -> str:
    log = ET.Element("log", {"xes.version": "1849-2016", "xes.features": "",
                             "xmlns": XES_NS})
    for ext_name, prefix, uri in EXTENSIONS:
        ET.SubElement(log, "extension", {"name": ext_name, "prefix": prefix, "uri": uri})
    trace_global = ET.SubElement(log, "global", {"scope": "trace"})
    _attr(trace_global, "string", "concept:name", "UNKNOWN")
    event_global = ET.SubElement(log, "global", {"scope": "event"})
    _attr(event_global, "string", "concept:name", "UNKNOWN")
    _attr(event_global, "date", "time:timestamp", "1970-01-01T00:00:00.000+00:00")
    _attr(event_global, "string", "lifecycle:transition", "complete")
    ET.SubElement(log, "classifier", {"name": "Activity", "keys": "concept:name"})
    ET.SubElement(log, "classifier", {"name": "Activity and transition",
                                      "keys": "concept:name lifecycle:transition"})
    _attr(log, "string", "concept:name", name)
    ET.indent(log)
    text = ET.tostring(log, encoding="unicode")
    return text[:-len("</log>")].rstrip() + "\n"


def _trace(case_id: str, rows: list[Row], procedure_id: str, version: str,
           status: str) -> ET.Element:
    trace = ET.Element("trace")
    _attr(trace, "string", "concept:name", case_id)
    _attr(trace, "string", "procedure_id", procedure_id)
    _attr(trace, "string", "procedure_version", version)
    _attr(trace, "string", "status", status)
    for row in rows:
        event = ET.SubElement(trace, "event")
        _attr(event, "string", "concept:name", row.activity)
        _attr(event, "date", "time:timestamp", row.timestamp)
        _attr(event, "string", "org:resource", row.resource)
        _attr(event, "string", "org:role", row.role)
        _attr(event, "string", "lifecycle:transition", row.lifecycle)
        _attr(event, "string", "type", row.type)
        if row.step is not None:
            _attr(event, "string", "step", row.step)
        _attr(event, "int", "seq", row.seq)
        _attr(event, "string", "hash", row.hash)
        _attr(event, "string", "payload", json.dumps(row.payload, ensure_ascii=False,
                                                     sort_keys=True))
    return trace


def write_xes(events: Iterable[Event], procedure: Callable[[str], Procedure], out: TextIO, *,
              reveal: bool = False, name: str = "alur event log") -> tuple[int, int]:
    """Write an XES log, one trace per case (``events`` ordered by case id, then seq); returns
    (traces, events) written."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(_header(name))
    traces = written = 0
    for case_id, group in itertools.groupby(events, key=lambda e: e.case_id):
        history = list(group)
        proc = procedure(history[0].procedure_hash)
        try:
            status = replay(history).status
        except (KeyError, TypeError, ValueError):  # a damaged history: still export what is there
            status = "unknown"
        rows = [_row(proc, event, reveal) for event in history]
        trace = _trace(case_id, rows, proc.id, proc.version, status)
        ET.indent(trace, level=1)
        out.write("  " + ET.tostring(trace, encoding="unicode") + "\n")
        traces += 1
        written += len(rows)
    out.write("</log>\n")
    return traces, written
