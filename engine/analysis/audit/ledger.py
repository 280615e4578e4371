"""The store-wide ledger and its anchors: what makes truncation and deletion detectable.

Each case's hash chain proves its events were not edited, but not that the last ones, the
whole case or an audit record are still there: a chain cut short still verifies. The store
keeps a ledger (``alur_ledger``, schema 3): one entry per case append (the case's new version
and last hash) and per audit record (its SHA-256), written in the same transaction as what it
records. Its chain is computed here, over the entries in ``seq`` order::

    root_0 = "0" * 64
    root_n = sha256(root_{n-1} + digest(entry_n))      (hex text, UTF-8)

so every entry hashes all before it. The rows do not store the chain: writers never read one
another's rows, which keeps PostgreSQL's appends concurrent (see the migration note in
:mod:`engine.store.migrations` for how a reader gets a settled prefix).

What the ledger alone shows (``alur audit verify``): a case whose events end before a version
the ledger recorded (truncated), whose event at a recorded version has another hash
(rewritten), a case the ledger knows that is gone, an audit record the ledger knows that is
gone or changed. Someone who also deletes or rewrites the ledger rows can hide all of that
from the store alone: an **anchor** — the root and entry count signed with the agency's
Ed25519 key and kept outside the store — proves, at any later time, that the first ``count``
entries still hash to that root (``alur audit verify --anchor FILE``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.cases.events import GENESIS, AuditRecord, Event, LedgerEntry, audit_hash, canonical_json

__all__ = ["ANCHOR_FORMAT", "Anchor", "LedgerProblem", "audit_problems", "blob_problems",
           "case_problems", "check_anchor", "generate_key", "load_anchor", "make_anchor",
           "procedure_problems", "public_pem", "roots"]

ANCHOR_FORMAT = "alur-anchor/1"


@dataclass(frozen=True, slots=True)
class LedgerProblem:
    """Something the store-wide checks found: ``subject`` is a case id, ``audit``, ``ledger``,
    ``procedure:<id>`` or ``blob:<sha256>``; ``kind`` one of the keys of :data:`KINDS`."""

    subject: str
    seq: int
    kind: str
    detail: str


KINDS = {
    "truncated": "the case's events end before a version the ledger recorded",
    "rewritten": "the case's event at a version the ledger recorded has another hash",
    "vanished": "a case the ledger recorded is not in the store",
    "unledgered": "a case or audit record is in the store but not in the ledger",
    "audit": "an audit record the ledger recorded is missing or was changed",
    "procedure": "a stored procedure text does not match its SHA-256",
    "blob": "a stored document does not match its SHA-256, or a referenced one is missing",
    "anchor": "the ledger no longer holds the anchored root, or the anchor is not genuine",
}


def roots(entries: Iterable[LedgerEntry]) -> list[str]:
    """The chain root after each entry (in the order given: by seq)."""
    out: list[str] = []
    root = GENESIS
    for entry in entries:
        root = hashlib.sha256((root + entry.digest()).encode("utf-8")).hexdigest()
        out.append(root)
    return out


def root_of(entries: Sequence[LedgerEntry]) -> str:
    found = roots(entries)
    return found[-1] if found else GENESIS


# --- checks against the store's rows --------------------------------------------------------

def case_entries(entries: Iterable[LedgerEntry]) -> dict[str, list[LedgerEntry]]:
    """The case entries of the ledger, per case id, in seq order."""
    by_case: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        if entry.kind == "case":
            by_case[entry.ref].append(entry)
    return by_case


def case_problems(case_id: str, events: Sequence[Event],
                  recorded: Sequence[LedgerEntry]) -> list[LedgerProblem]:
    """A case's events against the heads the ledger recorded for it (read *before* the events,
    so a case may be ahead of the ledger, never behind)."""
    if not recorded:
        if not events:
            return []
        return [LedgerProblem(case_id, 0, "unledgered",
                              "the case is not in the ledger: written behind alur's back")]
    if not events:
        last = recorded[-1]
        return [LedgerProblem(case_id, last.version, "vanished",
                              f"the ledger recorded the case at version {last.version} "
                              f"(ledger entry {last.seq}); the store holds none of its events")]
    hashes = {event.seq: event.hash for event in events if type(event.seq) is int}
    held = max(hashes, default=0)
    for entry in recorded:
        found = hashes.get(entry.version)
        if found is None and entry.version > held:
            return [LedgerProblem(case_id, entry.version, "truncated",
                                  f"the ledger recorded version {entry.version} (entry "
                                  f"{entry.seq}); the store holds events up to {held}")]
        if found != entry.hash:
            return [LedgerProblem(case_id, entry.version, "rewritten",
                                  f"event {entry.version} is not the one the ledger recorded "
                                  f"(entry {entry.seq})")]
    return []


def vanished_cases(by_case: dict[str, list[LedgerEntry]],
                   present: Iterable[str]) -> list[LedgerProblem]:
    """Cases the ledger recorded that the store no longer lists at all."""
    gone = sorted(set(by_case) - set(present))
    return [LedgerProblem(cid, by_case[cid][-1].version, "vanished",
                          f"the ledger recorded the case at version {by_case[cid][-1].version}; "
                          "the store holds neither its events nor its snapshot")
            for cid in gone]


def audit_problems(entries: Iterable[LedgerEntry],
                   records: Sequence[AuditRecord]) -> list[LedgerProblem]:
    """The audit log (read after the ledger, in id order) against the ledger's audit entries.
    Every recorded hash must be present; a record the ledger does not know is reported unless
    it comes after every record the ledger knows (written while verify read)."""
    expected = Counter(entry.hash for entry in entries if entry.kind == "audit")
    recorded = {entry.hash: entry for entry in entries if entry.kind == "audit"}
    hashes = [audit_hash(record) for record in records]
    unknown: list[int] = []
    last_known = -1
    for index, digest in enumerate(hashes):
        if expected[digest] > 0:
            expected[digest] -= 1
            last_known = index
        else:
            unknown.append(index)
    problems = [LedgerProblem("audit", recorded[digest].seq, "audit",
                              f"the audit record of ledger entry {recorded[digest].seq} (id "
                              f"{recorded[digest].ref}) is missing or was changed")
                for digest, left in expected.items() for _ in range(left)]
    problems += [LedgerProblem("audit", 0, "unledgered",
                               f"audit record #{index + 1} ({records[index].action}, "
                               f"{records[index].at}) is not in the ledger")
                 for index in unknown if index < last_known]
    return problems


def procedure_problems(procedures: Iterable[Any]) -> list[LedgerProblem]:
    """Every stored procedure text against its SHA-256 (the key cases are pinned to)."""
    problems = []
    for proc in procedures:
        text = proc.text
        ok = isinstance(text, str)
        if ok:
            try:
                ok = hashlib.sha256(text.encode("utf-8")).hexdigest() == proc.hash
            except UnicodeEncodeError:
                ok = False
        if not ok:
            problems.append(LedgerProblem(f"procedure:{proc.id}", 0, "procedure",
                                          f"the stored text of version {str(proc.hash)[:12]} "
                                          "does not match its SHA-256: it was edited"))
    return problems


def referenced_blobs(events: Iterable[Event]) -> tuple[set[str], set[str], bool]:
    """From one case's events: the document contents it stored, those retention erased
    (listed in ``case_anonymised``), and whether it was anonymised before erasures were
    listed (then any of its sensitive contents may be gone)."""
    stored: set[str] = set()
    erased: set[str] = set()
    unlisted = False
    for event in events:
        payload = event.payload
        if type(payload) is not dict:
            continue
        if event.type == "document_attached" and payload.get("stored") \
                and isinstance(payload.get("sha256"), str):
            stored.add(payload["sha256"])
        elif event.type == "case_anonymised":
            listed = payload.get("erased")
            if isinstance(listed, list):
                erased.update(item for item in listed if isinstance(item, str))
            else:
                unlisted = True
    return stored, erased, unlisted


def blob_problems(stored_keys: Sequence[str], read: Any,
                  referenced: dict[str, str], erased: set[str]) -> list[LedgerProblem]:
    """Every stored content against its hash key (``read(sha)`` gives it), and every
    referenced one (sha -> the case that refers to it) present unless retention erased it."""
    problems = []
    for sha in stored_keys:
        content = read(sha)
        if content is None or hashlib.sha256(content).hexdigest() != sha:
            problems.append(LedgerProblem(f"blob:{sha[:12]}", 0, "blob",
                                          "the stored document content does not match its "
                                          "SHA-256: it was rewritten"))
    present = set(stored_keys)
    for sha, case_id in sorted(referenced.items()):
        if sha not in present and sha not in erased:
            problems.append(LedgerProblem(case_id, 0, "blob",
                                          f"document content {sha[:12]} the case stored is "
                                          "missing (not erased by retention)"))
    return problems


# --- anchors --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Anchor:
    """A ledger root kept outside the store. ``count`` entries, the last one ``last_seq``."""

    root: str
    count: int
    last_seq: int
    at: str
    store: str
    public_key: str | None = None  # PEM (SubjectPublicKeyInfo) of the signing key
    signature: str | None = None  # base64 Ed25519 signature of :meth:`signed_text`

    def signed_text(self) -> bytes:
        return canonical_json({"format": ANCHOR_FORMAT, "root": self.root, "count": self.count,
                               "last_seq": self.last_seq, "at": self.at,
                               "store": self.store}).encode("utf-8")

    def to_dict(self) -> dict[str, Any]:
        return {"format": ANCHOR_FORMAT, "root": self.root, "count": self.count,
                "last_seq": self.last_seq, "at": self.at, "store": self.store,
                "public_key": self.public_key, "signature": self.signature}


def generate_key(private_path: str | os.PathLike[str]) -> str:
    """A new Ed25519 key: the private key written as PEM to ``private_path`` (created with
    mode 0600, never overwritten), the public key PEM returned (and written beside it as
    ``<name>.pub``)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    fd = os.open(os.fspath(private_path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    Path(os.fspath(private_path) + ".pub").write_bytes(public)
    return public.decode("ascii")


def public_pem(private_pem: bytes) -> str:
    from cryptography.hazmat.primitives import serialization

    key = _private_key(private_pem)
    public: bytes = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return public.decode("ascii")


def _private_key(private_pem: bytes) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def make_anchor(entries: Sequence[LedgerEntry], at: str, store: str,
                private_pem: bytes | None = None) -> Anchor:
    """The anchor of the ledger as read (``Store.ledger()``: a settled prefix), signed when a
    private key is given."""
    anchor = Anchor(root_of(entries), len(entries), entries[-1].seq if entries else 0, at,
                    store)
    if private_pem is None:
        return anchor
    key = _private_key(private_pem)
    signature = base64.b64encode(key.sign(anchor.signed_text())).decode("ascii")
    return Anchor(anchor.root, anchor.count, anchor.last_seq, at, store,
                  public_pem(private_pem), signature)


def load_anchor(text: str) -> Anchor:
    """An anchor file's content; ValueError when it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != ANCHOR_FORMAT:
        raise ValueError(f"not an {ANCHOR_FORMAT} file")
    root, count, last_seq = data.get("root"), data.get("count"), data.get("last_seq")
    at, store = data.get("at"), data.get("store")
    if not (isinstance(root, str) and type(count) is int and type(last_seq) is int
            and isinstance(at, str) and isinstance(store, str)):
        raise ValueError("an anchor needs root, count, last_seq, at and store")
    key, signature = data.get("public_key"), data.get("signature")
    return Anchor(root, count, last_seq, at, store,
                  key if isinstance(key, str) else None,
                  signature if isinstance(signature, str) else None)


def check_signature(anchor: Anchor, public_key_pem: bytes | None) -> str | None:
    """Why the anchor's signature is not genuine (None: it is). With ``public_key_pem`` the
    signature must be by that key (the agency's, known independently); without it, by the key
    the file names, which proves only that the file is intact."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if anchor.signature is None:
        return "the anchor is not signed" if public_key_pem is not None else None
    pem = public_key_pem or (anchor.public_key or "").encode("ascii", "replace")
    try:
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, Ed25519PublicKey):
            return "the public key is not an Ed25519 key"
        key.verify(base64.b64decode(anchor.signature, validate=True), anchor.signed_text())
    except InvalidSignature:
        return "the signature does not match the anchor (the file was changed, or another " \
               "key signed it)"
    except ValueError as exc:
        return f"the key or signature cannot be read ({exc})"
    return None


def check_anchor(entries: Sequence[LedgerEntry], anchor: Anchor,
                 public_key_pem: bytes | None) -> list[LedgerProblem]:
    """Whether the store's ledger still begins with what ``anchor`` saw: its first
    ``anchor.count`` entries hash to ``anchor.root``, the last of them numbered
    ``anchor.last_seq``; and the signature is genuine."""
    problems = []
    why = check_signature(anchor, public_key_pem)
    if why is not None:
        problems.append(LedgerProblem("ledger", anchor.count, "anchor", why))
    if len(entries) < anchor.count:
        problems.append(LedgerProblem("ledger", anchor.count, "anchor",
                                      f"the anchor covers {anchor.count} ledger entries; the "
                                      f"store holds {len(entries)}: entries were deleted"))
        return problems
    prefix = entries[:anchor.count]
    if root_of(prefix) != anchor.root or (prefix and prefix[-1].seq != anchor.last_seq):
        problems.append(LedgerProblem("ledger", anchor.count, "anchor",
                                      f"the first {anchor.count} ledger entries no longer hash "
                                      f"to the anchored root {anchor.root[:12]} (of {anchor.at}):"
                                      " something recorded before the anchor was removed or "
                                      "changed"))
    return problems
