"""The input rules every store shares, so memory, SQLite and PostgreSQL accept and refuse the
same inputs: :func:`check_append`, :func:`check_redacted`, :func:`dump_json`, :func:`check_text`,
:func:`due_key`, :func:`conflict` and friends.

Must not: do I/O, interpret payloads or procedures, or decide anything about a case's state.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import operator
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from engine.cases.events import AuditRecord, CaseSnapshot, Event, plain_json
from engine.cases.numbers import label, split
from engine.errors import ConcurrencyConflict, NumberTaken, StaleCase, UsageError
from engine.store.base import StoredProcedure

__all__ = ["check_append", "check_blob", "check_head", "check_json",
           "check_limit", "check_procedure", "check_record", "check_redacted", "check_text",
           "conflict", "due_key", "dump_json", "fast_dump", "load_json", "number_parts",
           "number_taken", "stale", "stored_number", "tolerant_json"]

_MAX_DEPTH = 200


# ---------------------------------------------------------

def _texts_ok(values: tuple[object, ...]) -> bool:
    """The common case of :func:`check_text` for several values at once, without building a
    message: ASCII text (a flag CPython keeps on every str) without NUL is valid UTF-8."""
    try:
        joined = "".join(values)  # type: ignore[arg-type]  # a non-str fails here
    except TypeError:
        return False
    return joined.isascii() and "\x00" not in joined


def check_text(value: object, what: str) -> None:
    """A text column value: a str every backend can hold (no NUL, valid UTF-8)."""
    if not isinstance(value, str):
        raise UsageError.of("err.check.not_str", None, what=what, type=type(value).__name__)
    if "\x00" in value:
        raise UsageError.of("err.check.nul", None, what=what)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError.of("err.check.unicode", None, what=what, problem=exc.reason) from exc


def check_json(value: object, what: str) -> None:
    """A JSON value every backend returns exactly as given (PostgreSQL ``jsonb`` included)."""
    stack: list[tuple[object, str, int]] = [(value, what, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise UsageError.of("err.check.deep", None, what=what, limit=_MAX_DEPTH)
        if item is None or isinstance(item, bool | int):
            continue
        if isinstance(item, str):
            check_text(item, path)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise UsageError.of("err.check.not_finite", None, what=path, value=repr(item))
            if item == 0.0 and math.copysign(1.0, item) < 0:
                raise UsageError.of("err.check.negative_zero", None, what=path)
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise UsageError.of("err.check.key", None, what=path, key=repr(key))
                check_text(key, f"{path} key {key!r}")
                stack.append((child, f"{path}.{key}", depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{path}[{index}]", depth + 1)
                         for index, child in enumerate(item))
        else:
            raise UsageError.of("err.check.type", None, what=path, type=type(item).__name__)


_NUL = b"\\u0000"  # how orjson (and json) write a NUL character inside a string
_LONG_NUMBER = re.compile(r"\d{19}")
_LONG_NUMBER_BYTES = re.compile(rb"\d{19}")


def _plain(value: object) -> bool:
    """Only dicts, lists, str, int, bool and None, at most ``_MAX_DEPTH`` deep: no float (whose
    rules :func:`check_json` knows), nothing JSON cannot hold."""
    return plain_json(value, _MAX_DEPTH)


def fast_dump(value: object) -> str | None:
    """``value`` as compact JSON text when it obeys :func:`check_json` for sure, written by
    orjson (a tenth of the time of walking it and calling ``json.dumps``); None when the
    checked path must decide (floats, a non-text key, a NUL, a lone surrogate, a huge int)."""
    if not _plain(value):
        return None
    try:
        data = orjson.dumps(value)
    except orjson.JSONEncodeError:
        return None
    return None if _NUL in data else data.decode("utf-8")


def dump_json(value: object, what: str) -> str:
    """``value`` as JSON text (after :func:`check_json`); UTF-8 kept, no spaces."""
    fast = fast_dump(value)
    if fast is not None:
        return fast
    check_json(value, what)
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise UsageError.of("err.store.not_json", None, what=what, problem=exc) from exc


def load_json(text: str | bytes) -> Any:
    """Stored JSON text as Python values. orjson reads it when it gives what ``json.loads``
    gives: it turns integers beyond 64 bits into floats (so a run of 19 digits takes the json
    path) and refuses what only the json module reads (NaN, a lone surrogate escape)."""
    long_number = _LONG_NUMBER_BYTES if isinstance(text, bytes) else _LONG_NUMBER
    if not long_number.search(text):  # type: ignore[arg-type]
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def tolerant_json(text: Any) -> Any:
    """Stored JSON read as :func:`load_json` reads it, or, when the row holds something that is
    not JSON text at all (written behind alur's back), ``{"$unreadable": <its repr>}``: a value
    no hash matches and no fold accepts, so the case is reported as tampered instead of every
    tool that reads it stopping with a traceback."""
    if isinstance(text, (str, bytes)):
        try:
            return load_json(text)
        except (ValueError, RecursionError):
            pass
    return {"$unreadable": repr(text)[:200]}


def due_key(due_at: str | None) -> str | None:
    """The UTC instant of ``due_at`` as sortable text (``YYYY-MM-DDTHH:MM:SS.ffffff``)."""
    if due_at is None:
        return None
    if not _texts_ok((due_at,)):  # before the cache, which needs a hashable key
        check_text(due_at, "snapshot due_at")
    return _due_key(due_at)


@functools.lru_cache(maxsize=4096)  # a case's due date stays the same for many commands
def _due_key(due_at: str) -> str:
    check_text(due_at, "snapshot due_at")
    try:
        moment = datetime.fromisoformat(due_at)
        if moment.utcoffset() is None:
            raise UsageError.of("err.check.due_offset", None, value=repr(due_at))
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    except (ValueError, OverflowError) as exc:
        raise UsageError.of("err.check.due_time", None, value=repr(due_at)) from exc


_EVENT_TEXT = ("type", "user", "role", "at", "procedure_hash", "prev_hash", "hash")
_event_texts = operator.attrgetter(*_EVENT_TEXT)
_snapshot_texts = operator.attrgetter("procedure_id", "procedure_hash", "status", "updated_at",
                                      "last_hash")


def check_append(case_id: str, expected_version: int, events: Sequence[Event],
                 snapshot: CaseSnapshot) -> None:
    """Refuse an append whose arguments do not fit together (checked before any write).

    Events must be sealed, belong to ``case_id`` and be numbered ``expected_version + 1`` on;
    the snapshot must be of the same case at the last event (``version``, ``last_hash``).
    """
    check_text(case_id, "case_id")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int) \
            or expected_version < 0:
        raise UsageError.of("err.check.version", None, value=repr(expected_version))
    if not events:
        raise UsageError.of("err.check.no_events", None, case=repr(case_id))
    for offset, event in enumerate(events, start=1):
        want = expected_version + offset
        if event.case_id != case_id:
            raise UsageError.of("err.check.event_case", None, seq=event.seq,
                                other=repr(event.case_id), case=repr(case_id))
        if event.seq != want:
            raise UsageError.of("err.check.event_seq", None, case=repr(case_id), seq=event.seq,
                                version=expected_version, offset=offset, want=want)
        if not event.hash:
            raise UsageError.of("err.check.unsealed", None, seq=event.seq, case=repr(case_id))
        if not _texts_ok(_event_texts(event)):  # messages are built only when one may be bad
            for name in _EVENT_TEXT:
                check_text(getattr(event, name), f"event {event.seq} {name}")
    if snapshot.case_id != case_id:
        raise UsageError.of("err.check.snapshot_case", None, other=repr(snapshot.case_id),
                            case=repr(case_id))
    if snapshot.version != expected_version + len(events):
        raise UsageError.of("err.check.snapshot_version", None, case=repr(case_id),
                            version=snapshot.version, count=len(events), expected=expected_version,
                            want=expected_version + len(events))
    if snapshot.last_hash != events[-1].hash:
        raise UsageError.of("err.check.snapshot_hash", None, case=repr(case_id), seq=events[-1].seq)
    if not _texts_ok(_snapshot_texts(snapshot)):
        for name in ("procedure_id", "procedure_hash", "status", "updated_at", "last_hash"):
            check_text(getattr(snapshot, name), f"snapshot {name}")
    for name in ("current_step", "current_role"):
        if getattr(snapshot, name) is not None and not _texts_ok((getattr(snapshot, name),)):
            check_text(getattr(snapshot, name), f"snapshot {name}")
    if snapshot.number is not None and number_parts(snapshot.number) is None:
        raise UsageError.of("err.check.snapshot_number", None, case=repr(case_id),
                            number=repr(snapshot.number)[:40])


def stored_number(series: str | None, seq: int | None) -> str | None:
    """The case number of a snapshot's two number columns (None when it has none)."""
    return label(series, seq) if series is not None and seq is not None else None


def number_parts(number: str | None) -> tuple[str | None, int | None] | None:
    """A snapshot's case number as the store's two columns (series, counter): (None, None)
    for a case without one, None for text that is no canonical case number."""
    if number is None:
        return None, None
    return _canonical_parts(number) if type(number) is str else None


# A case keeps its number for life and every append of it checks and splits the number twice
# (check_append, prepare_append): a regular expression and two formattings that were a tenth of
# the Python a persisted command added with case numbers (issue #21). Bounded: the cases a
# worker is busy with.
@functools.lru_cache(maxsize=4096)
def _canonical_parts(number: str) -> tuple[str, int] | None:
    parts = split(number)
    return parts if parts is not None and label(*parts) == number else None


def check_head(expected_version: int, expected_head: object) -> None:
    """An expected head, when given, is the one of ``expected_version``."""
    if expected_head is None:
        return
    if expected_version == 0:
        raise UsageError.of("err.check.head_on_open", None)
    version = getattr(expected_head, "version", None)
    if version != expected_version or not isinstance(getattr(expected_head, "last_hash", None),
                                                     str) \
            or not isinstance(getattr(expected_head, "edits", None), int):
        raise UsageError.of("err.check.head", None, head=repr(expected_head),
                            version=expected_version)


def check_redacted(case_id: str, redacted: Sequence[Event]) -> None:
    """Redaction may change a payload only in ways the event's hash does not see."""
    for event in redacted:
        if event.case_id != case_id or event.content_hash() != event.hash:
            raise UsageError.of("err.check.redacted", None, seq=event.seq, case=repr(case_id))


def check_procedure(proc: StoredProcedure) -> None:
    for name in ("hash", "id", "version", "text", "stored_at"):
        check_text(getattr(proc, name), f"procedure {name}")


def check_record(record: AuditRecord) -> None:
    for name in ("at", "user", "role", "action"):
        check_text(getattr(record, name), f"audit record {name}")
    for name in ("case_id", "rule"):
        if getattr(record, name) is not None:
            check_text(getattr(record, name), f"audit record {name}")


def check_blob(sha256: str, content: bytes) -> bytes:
    """``content`` as bytes, refused unless ``sha256`` is its lowercase hex SHA-256."""
    if not isinstance(content, bytes | bytearray | memoryview):
        raise UsageError.of("err.check.blob_type", None, type=type(content).__name__)
    data = bytes(content)
    if sha256 != hashlib.sha256(data).hexdigest():
        raise UsageError.of("err.check.blob_hash", None, hash=repr(sha256))
    return data


def check_limit(limit: int | None) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise UsageError.of("err.check.limit", None, value=repr(limit))


def conflict(case_id: str, expected_version: int, *, found: int | None = None,
             seq: int | None = None) -> ConcurrencyConflict:
    """The one ConcurrencyConflict every backend raises, naming the case and the versions."""
    if found is not None:
        return ConcurrencyConflict.of("err.conflict.version", None, case=repr(case_id),
                                      found=found, expected=expected_version)
    return ConcurrencyConflict.of("err.conflict.seq", None, case=repr(case_id),
                                  expected=expected_version, seq=seq)


def number_taken(case_id: str, number: str | None) -> NumberTaken:
    """The conflict of an opening whose case number another case holds already."""
    return NumberTaken.of("err.conflict.number", None, case=repr(case_id), number=number)


def stale(case_id: str, expected_version: int, found: int) -> StaleCase:
    """The conflict of an append whose expected head is gone (``found``: the stored version)."""
    if found == expected_version:
        return StaleCase.of("err.conflict.stale_rows", None, case=repr(case_id),
                            expected=expected_version)
    return StaleCase.of("err.conflict.stale_version", None, case=repr(case_id),
                        expected=expected_version, found=found)
