"""A new, minimal procedure file to fill in (``alur new``).

Pure: answers in, YAML text out. The skeleton is a valid procedure (three steps, one decision,
one requirement) so that ``alur validate``, ``alur show`` and ``alur graph`` work from the first
minute; above every key a comment explains it in Indonesian (``ID``) and English (``EN``).
Everything in it that must come from the published SP says so: ``GANTI`` / ``REPLACE``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from engine.diagnostics import Diagnostic, Severity, make
from engine.procedure.validate import check_bytes

__all__ = ["DEFAULT_SCHEMA", "TIMEZONES", "Answers", "modeline_for", "scaffold",
           "template_markers", "valid_id"]

DEFAULT_SCHEMA = "../schemas/procedure.schema.json"
# the copy of the schema alur reads, installed with the package (engine/data)
INSTALLED_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "procedure.schema.json"
# what a skeleton's placeholders say; ``alur validate --strict`` refuses a file that keeps one
TEMPLATE_MARKERS = ("GANTI", "REPLACE")
_MARKER = re.compile(r"\b(" + "|".join(TEMPLATE_MARKERS) + r")\b")
_REVIEW = re.compile(r"#\s*(REVIEW):")
TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True, slots=True)
class Answers:
    """What ``alur new`` asks for."""

    id: str = "layanan_baru"
    title: str = "Layanan Baru"
    agency: str = "Dinas ... (GANTI: nama instansi)"
    region: str = "Kota ... (GANTI: wilayah)"
    timezone: str = "Asia/Jakarta"
    unit: str | None = None


def valid_id(value: str) -> bool:
    return bool(_ID.match(value))


def modeline_for(target: str | os.PathLike[str] | None,
                 root: str | os.PathLike[str] | None = None) -> str:
    """The editor modeline for a file written to ``target``: the schema path relative to it when
    the project's ``schemas/procedure.schema.json`` is found under ``root`` (default: the current
    directory) or beside the target's folder; elsewhere (outside a clone) the absolute path of
    the schema installed with alur, so that the modeline always resolves."""
    schema = Path(root or os.getcwd()) / "schemas" / "procedure.schema.json"
    if target is None:
        return f"# yaml-language-server: $schema={DEFAULT_SCHEMA}"
    folder = Path(target).resolve().parent
    if not schema.is_file():
        schema = folder / DEFAULT_SCHEMA
    if schema.is_file():
        relative = Path(os.path.relpath(schema.resolve(), folder)).as_posix()
        return f"# yaml-language-server: $schema={relative}"
    return f"# yaml-language-server: $schema={INSTALLED_SCHEMA.as_posix()}"


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


_TEMPLATE = """\
{modeline}
#
# {title_comment}
# Kerangka dibuat oleh 'alur new'. Ganti setiap GANTI dengan isi Standar Pelayanan (SP) yang
# dipublikasikan, salin teksnya apa adanya, lalu periksa dengan: alur --lang id validate FILE
# Skeleton made by 'alur new'. Replace every REPLACE/GANTI with the published SP, copy its text
# verbatim, then check with: alur validate FILE. Reference: docs/language.md, docs/panduan.md.

# ID: id prosedur: huruf kecil, angka dan '_', diawali huruf (dipakai rujukan dan penyimpanan).
# EN: procedure id: lower-case letters, digits and '_', starting with a letter.
id: {id}
# ID: nama layanan persis seperti dipublikasikan.
# EN: the service name exactly as published.
title: {title}
# ID: versi berkas (teks); naikkan setiap kali isinya berubah berarti.
# EN: version of the file (text); raise it whenever the content changes meaningfully.
version: "1"
# ID: bahasa teks sumber: id (Indonesia) atau en.
# EN: language of the source text: id (Indonesian) or en.
language: id

# ID: instansi penyelenggara layanan, sesuai kepala dokumen SP.
# EN: the agency that delivers the service, as in the SP's header.
agency:
  # ID: nama instansi sesuai publikasi. EN: agency name as published.
  name: {agency}
  # ID: unit pelaksana (mis. UPTD PPA) atau null. EN: delivering unit (e.g. UPTD PPA) or null.
  unit: {unit}
  # ID: wilayah, mis. Kota Pasuruan. EN: region, e.g. Kota Pasuruan.
  region: {region}
  # ID: zona waktu untuk menghitung batas waktu: Asia/Jakarta (WIB), Asia/Makassar (WITA),
  #     Asia/Jayapura (WIT).
  # EN: time zone deadlines are counted in: WIB, WITA or WIT.
  timezone: {timezone}

# ID: SK yang menetapkan standar. Bila nomor SK kosong di sumber: number null, known false, dan
#     tambahkan flag 'missing' — jangan mengarang nomor.
# EN: the decree (SK) fixing the standard. When the source leaves it blank: number null,
#     known false, plus a 'missing' flag — never invent a number.
decree:
  # ID: nomor SK persis seperti tertulis, dalam tanda kutip. EN: SK number as written, quoted.
  number: null
  # ID: tanggal SK (YYYY-MM-DD) atau null. EN: date of the SK (YYYY-MM-DD) or null.
  date: null
  # ID: false selama nomor SK belum diketahui. EN: false while the SK number is unknown.
  known: false

# ID: asal penulisan: nama berkas teks SP dan/atau alamat web-nya.
# EN: where the encoding comes from: the SP text file and/or its web address.
source:
  file: null
  url: null

# ID: semua pihak yang bertindak atau ikut serta; title sesuai tulisan sumber.
#     kind: staff (petugas, bawaan), external (di luar instansi), team (dengan members).
# EN: everyone who acts or takes part; title as written in the source.
#     kind: staff (default), external (outside the agency), team (with members).
roles:
  - id: petugas
    title: Petugas (GANTI)
  - id: kepala
    title: Kepala (GANTI)
  - id: pemohon
    title: Pemohon
    kind: external

# ID: dokumen yang dibawa pemohon (requirement) atau dibuat langkah (produced).
#     sensitive: true untuk data pribadi (disamarkan sampai dibuka secara tegas).
# EN: documents brought by the applicant (requirement) or made by a step (produced).
#     sensitive: true for personal data (masked until explicitly revealed).
documents:
  - id: identitas_pemohon
    title: Identitas pemohon (GANTI)
    kind: requirement
    # ID: required (bawaan), optional ("jika ada"), required_if + condition.
    # EN: required (default), optional ("jika ada"), required_if + condition.
    presence: required
    sensitive: true
  - id: surat_hasil_layanan
    title: Surat hasil layanan (GANTI)
    kind: produced

# ID: informasi tentang kasus yang dibaca kondisi (when); hanya fakta yang dideklarasikan.
# EN: facts about a case that conditions (when) read; only declared facts may be used.
facts:
  - id: pemohon_anak
    title: Pemohon adalah anak
    type: bool
    sensitive: true
    default: false

# ID: daftar Persyaratan sesuai sumber: text apa adanya, dipenuhi oleh document atau fact.
# EN: the published Persyaratan: text verbatim, satisfied by a document or a fact.
requirements:
  - number: 1
    text: "GANTI: salin persyaratan 1 apa adanya · REPLACE: copy requirement 1 verbatim"
    document: identitas_pemohon

# ID: Sistem, Mekanisme dan Prosedur, berurutan. Langkah pertama adalah langkah awal.
#     Setiap langkah memakai tepat satu dari next / decision / end.
# EN: the steps in source order; the first is the entry. Each has exactly one of
#     next / decision / end.
steps:
  # ID: id langkah, nomor di sumber (teks), judul singkat, peran pelaku, teks sumber apa adanya.
  # EN: step id, number in the source (text), short title, acting role, verbatim source text.
  - id: terima_permohonan
    number: "1"
    title: Menerima permohonan
    actor: petugas
    text: "GANTI: salin teks langkah 1 apa adanya · REPLACE: copy step 1 verbatim"
    # ID: dokumen yang harus ada sebelum langkah selesai. EN: documents needed to complete it.
    requires: [identitas_pemohon]
    # ID: langkah berikutnya. EN: the next step.
    next: periksa_permohonan

  - id: periksa_permohonan
    number: "2"
    title: Memeriksa dan memutuskan
    actor: kepala
    text: "GANTI: salin teks langkah 2 apa adanya · REPLACE: copy step 2 verbatim"
    # ID: keputusan: pertanyaan dan minimal dua hasil. Tanpa 'when' pelaku memilih manual;
    #     dengan 'when' (kondisi atas fakta) dan satu 'otherwise: true' hasil dipilih otomatis.
    # EN: a decision: a question and at least two outcomes. Without 'when' the actor chooses;
    #     with 'when' (conditions over facts) and one 'otherwise: true' they apply by rule.
    decision:
      question: Apakah permohonan dapat dilanjutkan?
      outcomes:
        - id: dilanjutkan
          label: Dilanjutkan
          next: serahkan_hasil
        - id: tidak_dilanjutkan
          label: Tidak dilanjutkan
          # ID: akhir kasus: completed, terminated, referred, rejected (hanya bila sumber
          #     menyebutnya).
          # EN: how the case ends: completed, terminated, referred, rejected (only when the
          #     source says so).
          end: terminated

  - id: serahkan_hasil
    number: "3"
    title: Menyerahkan hasil layanan
    actor: petugas
    text: "GANTI: salin teks langkah 3 apa adanya · REPLACE: copy step 3 verbatim"
    # ID: dokumen yang dihasilkan langkah. EN: documents the step yields.
    produces: [surat_hasil_layanan]
    end: completed

# ID: Waktu Penyelesaian. unit selalu eksplisit: working_days (hari kerja), calendar_days,
#     hours. Bila sumber hanya menulis "Hari", pilih satuannya dan catat flag 'assumption'.
# EN: the published time limit. The unit is always explicit; when the source only says
#     "Hari", choose one and record an 'assumption' flag.
time_limit:
  # ID: angka, atau null bila sumber tidak menyebut. EN: a number, or null when not given.
  amount: 5
  unit: working_days
  # ID: max (paling lama, bawaan), min, exact. EN: max (default), min or exact.
  bound: max
  # ID: mulai dihitung: case_opened, requirements_met, step_completed (+ starts_after_step).
  # EN: the clock starts at: case_opened, requirements_met, step_completed.
  starts: case_opened
  # ID: teks Waktu Penyelesaian apa adanya (semua barisnya). EN: the source text, verbatim.
  source_text: "GANTI: salin Waktu Penyelesaian apa adanya · REPLACE: copy it verbatim"

# ID: Biaya / Tarif: jumlah dalam rupiah dan teks apa adanya. EN: cost in rupiah, text verbatim.
cost:
  amount: 0
  text: Tidak dipungut biaya

# ID: Produk Pelayanan, apa adanya; document menunjuk dokumen produknya.
# EN: the service products, verbatim; document points to the document that is the product.
products:
  - text: "GANTI: produk pelayanan · REPLACE: the product"
    document: surat_hasil_layanan

# ID: saluran Pengaduan: phone, whatsapp, online, email, address, web, sms, other.
# EN: complaint channels: phone, whatsapp, online, email, address, web, sms, other.
complaints:
  - channel: phone
    value: null
    text: "GANTI: Telepon: ... · REPLACE: as published"

# ID: 8 komponen internal SP: filled (ada, salin ke text), absent (sumber menyatakan tidak
#     ada) atau unknown (sumber tidak menyebut).
# EN: the 8 internal SP components: filled (copy to text), absent or unknown.
components:
  dasar_hukum: {{status: unknown}}
  sarana_prasarana: {{status: unknown}}
  kompetensi_pelaksana: {{status: unknown}}
  pengawasan_internal: {{status: unknown}}
  jumlah_pelaksana: {{status: unknown}}
  jaminan_pelayanan: {{status: unknown}}
  jaminan_keamanan: {{status: unknown}}
  evaluasi_kinerja: {{status: unknown}}

# ID: peran yang boleh membaca kasus selain para pelaku langkah (biasanya atasan).
# EN: roles that may read cases besides the actors of the steps (usually supervisors).
access:
  read: [kepala]

# ID: berapa lama setelah ditutup kasus dianonimkan. EN: anonymise closed cases after this.
retention:
  after_closed: {{amount: 1825, unit: calendar_days}}

# ID: catatan atas bagian sumber yang tidak jelas atau keliru, dan asumsi berkas ini.
#     kind: ambiguity, contradiction, inference, assumption, missing, copy_error.
# EN: notes on what the source leaves open or gets wrong, and what this file assumes.
flags:
  - id: nomor_sk_belum_diisi
    kind: missing
    about: decree
    note: >-
      GANTI: isi nomor SK dari sumber, atau biarkan null bila sumber mengosongkannya.
      REPLACE: fill in the SK number, or keep null when the source leaves it blank.
  - id: masa_retensi
    kind: assumption
    about: retention
    note: >-
      Sumber tidak menyebut masa retensi; 5 tahun diasumsikan dan perlu dikonfirmasi instansi.
"""


def scaffold(answers: Answers, modeline: str | None = None) -> str:
    """The YAML text of a new, valid procedure skeleton for ``answers``."""
    first = (modeline or "").split("\n", 1)[0]
    if not first.startswith("#"):
        first = f"# yaml-language-server: $schema={DEFAULT_SCHEMA}"
    defaults = Answers()
    title = answers.title.strip() or defaults.title
    text = _TEMPLATE.format(
        modeline=first,
        title_comment=" ".join(f"{title} — {answers.agency}, {answers.region}".split()),
        id=answers.id if valid_id(answers.id) else defaults.id,
        title=_q(title),
        agency=_q(answers.agency.strip() or defaults.agency),
        region=_q(answers.region.strip() or defaults.region),
        unit=_q(answers.unit.strip()) if answers.unit and answers.unit.strip() else "null",
        timezone=answers.timezone if answers.timezone in TIMEZONES else "Asia/Jakarta",
    )
    checked = check_bytes(text.encode("utf-8"), "<new>")
    if checked.errors:  # pragma: no cover - the template is tested to validate
        raise ValueError("the skeleton does not validate: "
                         + "; ".join(d.format() for d in checked.errors))
    return text


def template_markers(text: str, file: str, lang: str = "en") -> list[Diagnostic]:
    """R024 at every placeholder ``alur new``'s skeleton left (``GANTI`` / ``REPLACE`` outside
    a comment: the SP's own text was never filled in) and every ``# REVIEW:`` comment of
    ``alur import`` (a guess nobody has reviewed yet), at its line and column. Only
    ``alur validate --strict`` asks: a draft being worked on loads and runs meanwhile."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _REVIEW.search(line)
        if match is None and not line.lstrip().startswith("#"):
            match = _MARKER.search(line)
        if match is not None:
            found.append(make("R024", Severity.ERROR, file, (number, match.start() + 1), "",
                              lang, marker=match.group(1)))
    return found
