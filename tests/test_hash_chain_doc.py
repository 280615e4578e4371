"""docs/hash-chain.md is normative: its test vectors hold for the engine, and for sha256sum.

The vectors are read from the doc's fenced blocks (``json vector-N-event``, ``text
vector-N-canonical``, ``text vector-N-sha256``); the doc's own shell block is run on the
canonical bytes with the system's ``sha256sum``, so a third party's check is the one tested.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from engine.cases.events import (
    GENESIS,
    Event,
    _hashed_payload,
    canonical_bytes,
    canonical_json,
    commitment,
    redact_event,
    verify_chain,
)

DOC = Path(__file__).resolve().parent.parent / "docs" / "hash-chain.md"
_BLOCK = re.compile(r"^```(\w+) ([\w-]+)\n(.*?)\n```$", re.MULTILINE | re.DOTALL)


def blocks() -> dict[str, str]:
    return {name: body for _, name, body in _BLOCK.findall(DOC.read_text(encoding="utf-8"))}


VECTORS = ("1", "2", "3", "4")


def event(name: str) -> Event:
    return Event(**json.loads(blocks()[f"vector-{name}-event"]))


def engine_canonical(e: Event) -> bytes:
    salts = e.payload.get("$salts") or {}
    user = commitment(salts["$user"], e.user) if "$user" in salts else e.user  # section 3.1
    fields = [e.case_id, e.seq, e.type, _hashed_payload(e.payload), user, e.role, e.at,
              e.procedure_hash, e.prev_hash]
    assert canonical_bytes(fields) == canonical_json(fields).encode("utf-8")  # both spellings
    return canonical_json(fields).encode("utf-8")


def test_the_doc_has_every_vector() -> None:
    found = blocks()
    for n in VECTORS:
        assert {f"vector-{n}-event", f"vector-{n}-canonical", f"vector-{n}-sha256"} <= set(found)
    assert {"vector-2b-event", "vector-2-commitment", "vector-4b-event", "vector-4-commitment",
            "check-vectors"} <= set(found)


@pytest.mark.parametrize("n", VECTORS)
def test_each_vector_holds_for_the_engine(n: str) -> None:
    found = blocks()
    e = event(n)
    canonical = found[f"vector-{n}-canonical"].encode("utf-8")
    assert engine_canonical(e) == canonical
    assert e.content_hash() == e.hash == found[f"vector-{n}-sha256"].strip()


def test_the_vectors_form_one_chain_from_genesis_and_redaction_keeps_the_hash() -> None:
    chain = [event(n) for n in VECTORS]
    assert chain[0].prev_hash == GENESIS
    assert verify_chain("mediasi-0001", chain) == []
    redacted = event("2b")
    assert redacted.content_hash() == event("2").hash
    assert engine_canonical(redacted) == engine_canonical(event("2"))
    assert verify_chain("mediasi-0001", [chain[0], redacted, chain[2]]) == []
    salt = event("2").payload["$salts"]["name"]
    assert commitment(salt, "Siti Aminah") == blocks()["vector-2-commitment"].strip()


def test_an_outside_users_id_is_committed_and_its_redaction_keeps_the_hash() -> None:
    salted, erased = event("4"), event("4b")
    assert erased.user == blocks()["vector-4-commitment"].strip() \
        == commitment(salted.payload["$salts"]["$user"], salted.user)
    assert erased.content_hash() == salted.hash and redact_event(salted) == erased
    assert engine_canonical(erased) == engine_canonical(salted)
    assert verify_chain("mediasi-0001", [event(n) for n in ("1", "2b", "3", "4b")]) == []
    # the id in clear where the commitment stands, or a salt put back for another id: edited
    for forged in (replace(erased, user=salted.user),
                   replace(erased, user="mediator-n",
                           payload={**erased.payload, "$salts": {"$user": "0" * 32}})):
        assert forged.content_hash() != salted.hash


@pytest.mark.skipif(shutil.which("sha256sum") is None or shutil.which("sh") is None,
                    reason="needs sh and sha256sum (coreutils)")
def test_a_third_party_gets_the_hashes_with_sha256sum(tmp_path: Path) -> None:
    found = blocks()
    for n in VECTORS:
        (tmp_path / f"vector-{n}.bytes").write_bytes(
            found[f"vector-{n}-canonical"].encode("utf-8"))
    run = subprocess.run(["sh", "-c", found["check-vectors"]], cwd=tmp_path, check=True,
                         capture_output=True, text=True)
    digests = [line.split()[0] for line in run.stdout.splitlines()]
    expected = [found[f"vector-{n}-sha256"].strip() for n in VECTORS]
    assert digests == [*expected, found["vector-2-commitment"].strip(),
                       found["vector-4-commitment"].strip()]
