"""A small procedure for the reliability tests, with what Mediasi and SAPA lack: a text fact
(sensitive) and a whole-number fact, so hostile text and numbers can reach conditions and the
store. Its first step's condition and its decision's conditions can be set per test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["UJI", "uji", "uji_file"]

# A small procedure with a text fact and an int fact (the real ones have only true/false facts).
# {when} is the condition of the first step.
UJI = """\
id: uji_input
title: Layanan Uji Masukan
version: "1"
agency: {{name: Dinas Uji, region: Kota Uji}}
decree: {{number: "1/2026"}}
source: {{file: uji.txt}}
roles:
  - {{id: petugas, title: Petugas}}
  - {{id: kepala, title: Kepala}}
  - {{id: pemohon, title: Pemohon, kind: external}}
documents:
  - {{id: ktp, title: KTP, kind: requirement, sensitive: true}}
  - {{id: surat, title: Surat, kind: produced}}
facts:
  - {{id: nama, title: Nama pemohon, type: str, sensitive: true}}
  - {{id: jumlah, title: Jumlah, type: int}}
  - {{id: anak, title: Pemohon anak, type: bool, default: false}}
requirements:
  - {{number: 1, text: KTP, document: ktp}}
steps:
  - id: terima
    number: "1"
    title: Terima
    actor: petugas
    text: Petugas menerima.
    requires: [ktp]
{when}    next: putus
  - id: putus
    number: "2"
    title: Putuskan
    actor: kepala
    text: Kepala memutuskan.
    decision:
      question: Disetujui?
      outcomes:
        - {{id: setuju, label: Setuju, next: terbit{outcome}}}
        - {{id: tolak, label: Tolak, end: rejected{tolak}}}
  - id: terbit
    number: "3"
    title: Terbit
    actor: petugas
    text: Petugas menerbitkan.
    produces: [surat]
    end: completed
time_limit: {{amount: 5, unit: working_days, source_text: "5 Hari"}}
cost: {{text: Gratis}}
products:
  - {{text: Surat, document: surat}}
complaints:
  - {{channel: phone, value: "0800", text: "Telepon: 0800"}}
components:
  dasar_hukum: {{status: unknown}}
  sarana_prasarana: {{status: unknown}}
  kompetensi_pelaksana: {{status: unknown}}
  pengawasan_internal: {{status: unknown}}
  jumlah_pelaksana: {{status: unknown}}
  jaminan_pelayanan: {{status: unknown}}
  jaminan_keamanan: {{status: unknown}}
  evaluasi_kinerja: {{status: unknown}}
retention:
  after_closed: {{amount: 30, unit: calendar_days}}
"""


def uji(when: str | None = None, outcome: str | None = None) -> str:
    """The procedure; with ``outcome``, the decision's two outcomes are ``outcome`` and
    ``anak`` (no ``otherwise``), so the validator evaluates ``outcome`` while loading."""
    return UJI.format(when=f"    when: {json.dumps(when)}\n" if when else "",
                      outcome=f", when: {json.dumps(outcome)}" if outcome else "",
                      tolak=", when: anak" if outcome else ", otherwise: true")


def uji_file(folder: Path, name: str = "uji.yaml", **kwargs: Any) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(uji(**kwargs), encoding="utf-8")
    return str(path)
