"""Explaining a store that fails verification: which events were edited, deleted, inserted or
reordered, and whether each case's snapshot still matches its events.

Owns :func:`inspect_case` (one case's stored events and snapshot → :class:`Finding` list) and
:func:`case_ids` (every case a store knows of). It rests on the same primitives as
:meth:`engine.api.Engine.verify` (:func:`~engine.cases.events.verify_chain` and
:func:`~engine.cases.state.replay`), so a case is clean here exactly when it is clean there, and
adds
two things: a *kind* for each break that an auditor can act on, and a check of every snapshot
column (status, current step and role, due date), not only of the state document.

That a chain is broken is certain; which edit broke it is the most likely explanation:

* an event whose hash does not match its content is ``edited``, unless its content matches its
  hash under another sequence number: then the row was moved (``reordered``: two events
  swapped, or a run renumbered to hide an ``inserted`` or ``deleted`` event);
* a gap in the sequence numbers, or fewer events than the snapshot counts, is ``deleted``;
* a row after the last event the snapshot knows is ``inserted``;
* an event that verifies but links to a different predecessor means that predecessor was
  rewritten and re-sealed (``edited``).

Someone able to rewrite *every* later event and the snapshot leaves a chain that verifies; only
a copy of the last hashes kept elsewhere (``alur audit verify --format json``) can show that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from engine.cases.events import GENESIS, CaseSnapshot, Event, verify_chain
from engine.cases.state import CaseState, replay
from engine.messages import text
from engine.store.base import Store

__all__ = ["KINDS", "Finding", "case_ids", "inspect_case"]

# each kind, explained by the catalogue entry audit.kind.<kind>
KINDS = {kind: text(f"audit.kind.{kind}", "en")[0]
         for kind in ("edited", "deleted", "inserted", "reordered", "snapshot", "procedure",
                      "unreadable")}

_SEARCH_BUDGET = 20_000  # content hashes tried per case when looking for a moved event's place


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong with a stored case. ``seq`` is the event concerned (for a deleted event,
    the number it had; for the snapshot, the version the events reach)."""

    case_id: str
    seq: int
    kind: str
    detail: str  # in $ALUR_LANG; :meth:`localized` gives another language
    key: str = field(default="", compare=False)  # catalogue entry of the detail
    args: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, case_id: str, seq: int, kind: str, key: str, /, **params: object) -> Finding:
        """The finding whose detail is the catalogue entry ``audit.integrity.<key>``."""
        key = f"audit.integrity.{key}"
        return cls(case_id, seq, kind, text(key, None, **params)[0], key,
                   tuple((name, str(value)) for name, value in params.items()))

    def localized(self, lang: str) -> str:
        """The detail in ``lang``."""
        return text(self.key, lang, **dict(self.args))[0] if self.key else self.detail

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "seq": self.seq, "kind": self.kind,
                "detail": self.detail}


def case_ids(store: Store) -> list[str]:
    """Every case id with a snapshot or an event, sorted (one streaming pass over events)."""
    ids = {snapshot.case_id for snapshot in store.cases()}
    ids.update(event.case_id for event in store.all_events())
    return sorted(ids)


def _original_seq(event: Event, top: int, budget: list[int]) -> int | None:
    """The sequence number under which ``event``'s content matches its hash, if another one."""
    for distance in range(1, top + 1):
        for candidate in (event.seq - distance, event.seq + distance):
            if candidate < 1 or candidate > top + 1 or budget[0] <= 0:
                continue
            budget[0] -= 1
            if replace(event, seq=candidate).content_hash() == event.hash:
                return candidate
        if budget[0] <= 0:
            return None
    return None


def inspect_case(case_id: str, events: Sequence[Event], snapshot: CaseSnapshot | None, *,
                 current_role: Callable[[CaseState], str | None] | None = None,
                 ) -> list[Finding]:
    """Everything wrong with one case as stored: ``events`` as the store returns them (by seq)
    and its ``snapshot``. ``current_role`` gives the role a snapshot should list for a state
    (from the pinned procedure); without it that column is not checked. Empty when clean."""
    found: list[Finding] = []
    if not events:
        if snapshot is not None:
            found.extend(Finding.of(case_id, seq, "deleted", "all_missing",
                                    version=snapshot.version)
                         for seq in range(1, snapshot.version + 1))
        return found
    ordered = sorted(events, key=lambda e: e.seq)
    last = ordered[-1].seq
    top = max(last, snapshot.version if snapshot is not None else 0)
    budget = [_SEARCH_BUDGET]
    origin: dict[int, int | None] = {}
    for event in ordered:
        if event.content_hash() != event.hash:
            origin[event.seq] = _original_seq(event, top, budget)
    known_version = snapshot.version if snapshot is not None else last
    by_seq: dict[int, Finding] = {}

    def add(at: int, kind: str, key: str, /, **params: object) -> None:
        by_seq.setdefault(at, Finding.of(case_id, at, kind, key, **params))

    expected, prev_hash, prev_intact = 1, GENESIS, True
    for event in ordered:
        seq = event.seq
        gap = seq > expected
        for missing in range(expected, seq):
            add(missing, "deleted", "gap", missing=missing, before=expected - 1, seq=seq)
        if seq < expected:
            add(seq, "inserted", "repeated_seq", seq=seq)
        if seq in origin:
            original = origin[seq]
            if original is None:
                add(seq, "edited", "content")
            else:
                add(seq, "reordered", "moved", original=original)
        elif event.prev_hash != prev_hash and not gap and prev_intact:
            if seq == 1:
                add(1, "edited", "first_resealed")
            else:
                add(seq - 1, "edited", "resealed", seq=seq - 1, next=seq)
        if seq > known_version and origin.get(seq) is None:
            by_seq[seq] = Finding.of(case_id, seq, "inserted", "after_snapshot",
                                     version=known_version)
        prev_intact = seq not in origin
        prev_hash = event.hash
        expected = seq + 1
    hidden_deletions = _explain_runs(case_id, ordered, origin, by_seq)
    if snapshot is not None and snapshot.version - hidden_deletions > last:
        for missing in range(last + 1, snapshot.version - hidden_deletions + 1):
            add(missing, "deleted", "fewer", version=snapshot.version, last=last)
    found = sorted(by_seq.values(), key=lambda f: (f.seq, f.kind))
    if not found and not verify_chain(case_id, ordered):
        found.extend(_snapshot_findings(case_id, ordered, snapshot, current_role))
    elif not found:  # pragma: no cover - every break verify_chain reports is explained above
        found.extend(Finding.of(b.case_id, b.seq, b.problem, "chain")
                     for b in verify_chain(case_id, ordered))
    return found


def _explain_runs(case_id: str, ordered: Sequence[Event], origin: dict[int, int | None],
                  by_seq: dict[int, Finding]) -> int:
    """Re-read runs of moved events: shifted up by one behind an added event (that event is
    ``inserted``), shifted down by one over a removed one (``deleted``). Returns how many events
    were removed that way, so the count against the snapshot is not taken twice."""
    removed = 0
    seqs = [e.seq for e in ordered]
    originals = {value for value in origin.values() if value is not None}
    index = 0
    while index < len(seqs):
        seq = seqs[index]
        shift = _shift(seq, origin)
        if shift not in (1, -1) or _shift(seq - 1, origin) == shift:
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(seqs) and seqs[run_end + 1] == seqs[run_end] + 1 \
                and _shift(seqs[run_end + 1], origin) == shift:
            run_end += 1
        if shift == 1 and seq - 1 in seqs and _shift(seq - 1, origin) is None:
            by_seq[seq - 1] = Finding.of(case_id, seq - 1, "inserted", "added_before",
                                         seq=seq - 1)
        elif shift == -1 and seq not in originals:  # not a swap: nothing holds event seq
            removed += 1
            for number in range(seq, seqs[run_end] + 1):
                by_seq[number] = Finding.of(case_id, number, "reordered", "moved",
                                            original=number + 1)
            by_seq[seq] = Finding.of(case_id, seq, "deleted", "removed", seq=seq, next=seq + 1)
        index = run_end + 1
    return removed


def _shift(seq: int, origin: dict[int, int | None]) -> int | None:
    original = origin.get(seq)
    return None if original is None else seq - original


def _snapshot_findings(case_id: str, events: Sequence[Event], snapshot: CaseSnapshot | None,
                       current_role: Callable[[CaseState], str | None] | None,
                       ) -> list[Finding]:
    try:
        state = replay(events)
    except (KeyError, TypeError, ValueError) as exc:  # a sealed event the fold cannot read
        return [Finding.of(case_id, events[-1].seq, "edited", "unreplayable",
                           problem=f"{type(exc).__name__}: {exc}")]
    if snapshot is None:
        return [Finding.of(case_id, state.version, "snapshot", "no_snapshot")]
    expected = _expected_columns(state)
    if state.number is not None:  # sealed in the opening event (older cases: the store's word)
        expected["number"] = state.number
    if current_role is not None:
        expected["current_role"] = current_role(state)
    differing = [name for name, value in expected.items() if getattr(snapshot, name) != value]
    if snapshot.state != state.to_dict():
        differing.append("state")
    if not differing:
        return []
    return [Finding.of(case_id, state.version, "snapshot", "snapshot_differs",
                       columns=", ".join(differing))]


def _expected_columns(state: CaseState) -> dict[str, Any]:
    return {"procedure_id": state.procedure_id, "procedure_hash": state.procedure_hash,
            "version": state.version, "status": state.status,
            "current_step": state.current_step, "due_at": state.earliest_due(),
            "updated_at": state.updated_at or "", "last_hash": state.last_hash}

