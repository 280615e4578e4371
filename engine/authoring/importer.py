"""Drafting a procedure from the plain text of a published Standar Pelayanan (``alur import``).

Pure: text in, YAML text and review notes out; no files, no printing. The input is the text an
agency page or PDF gives when copied out, in the common layout of the seeds: agency header lines
(repeated at every page break by the extraction), the service title, ``No. SK :``, then sections
such as *Persyaratan*, *Sistem, Mekanisme dan Prosedur* (numbered steps), *Waktu Penyelesaian*,
*Biaya / Tarif*, *Produk Pelayanan* and *Pengaduan Layanan*. Other headings with the same meaning
("PERSYARATAN PELAYANAN", "Alur Pelayanan", "Jangka Waktu Pelayanan", English ones) and lettered
or bulleted lists are understood as well.

How it works, in three stages:

1. **Read** (:func:`_read`): clean the text, find the page header block (lines of the preamble
   that occur again later) and drop every repetition of it, including a header line that
   wrapped onto the next line of content; split the rest into sections by their headings.
2. **Build** (:class:`_Builder`): turn each section into the procedure's keys. Step and
   requirement texts are kept verbatim. The actor of a step is the role named by its leading
   phrase (a vocabulary of the usual roles, else the phrase itself becomes a new role); a step
   with no actor gets the previous step's actor, marked inferred. Branches written "- Jika ..."
   become a decision. Every guess is recorded as a :class:`Note`, which becomes both a flag in
   the procedure and a ``# REVIEW:`` comment on the line concerned.
3. **Emit and check** (:func:`draft_procedure`): dump the data as YAML, add the comments, and
   run the validator. A draft with errors is simplified step by step (straight-line graph,
   then a skeleton, then a fixed minimal procedure) until it validates: the result always loads.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.diagnostics import Diagnostic
from engine.messages import LANGS
from engine.messages import text as message_text
from engine.procedure.names import name_key
from engine.procedure.source import Path, format_path, read_text
from engine.procedure.validate import check_bytes

__all__ = ["MODELINE", "Draft", "Note", "draft_procedure", "slug"]

MODELINE = "# yaml-language-server: $schema=../schemas/procedure.schema.json"
MAX_INPUT_CHARS = 200_000   # a published SP is a few kilobytes
MAX_TEXT = 20_000           # the model's limit for one text value

Data = dict[str, Any]


# --- results --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Note:
    """One guess in the draft that a person must review: a flag and a ``# REVIEW:`` comment."""

    code: str         # stable name of the kind of guess, e.g. 'actor_inferred'
    path: Path        # where in the YAML the comment goes, e.g. ('steps', 4, 'actor')
    kind: str         # kind of the flag: assumption, inference, missing, ambiguity, copy_error
    about: str        # the flag's 'about', e.g. 'steps.mengundang_mediator'
    message: str
    quote: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "path": format_path(self.path), "kind": self.kind,
                "about": self.about, "message": self.message, "quote": self.quote}


@dataclass(frozen=True, slots=True)
class Draft:
    """The drafted procedure (always valid), its review notes and remaining warnings.

    ``fallback`` says how much had to be simplified for the draft to validate: 0 none,
    1 straight-line steps, 2 skeleton, 3 fixed minimal procedure.
    """

    yaml: str
    procedure_id: str
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]
    fallback: int


# --- messages: the catalogue's import.* entries ----------------------------------------------

def _msg(lang: str, key: str, **params: object) -> str:
    """A review note (``import.note.<key>``), its fields shortened, on one line."""
    values = {k: _short(str(v)) for k, v in params.items()}
    return _one_line(message_text(f"import.note.{key}", lang, **values)[0])


def _comment(lang: str, key: str, **params: object) -> str:
    return _one_line(message_text(f"import.comment.{key}", lang, **params)[0])


def _word(lang: str, key: str, **params: object) -> str:
    """A value the draft writes where the source is silent (``import.text.<key>``)."""
    return message_text(f"import.text.{key}", lang, **params)[0]


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _short(text: str, limit: int = 80) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- ids -------------------------------------------------------------------------------------

def slug(text: str, fallback: str = "x", *, max_words: int | None = None,
         max_len: int = 48) -> str:
    """A lower_snake_case ASCII id from ``text``: accents stripped, at most ``max_len`` chars,
    starting with a letter (``fallback`` is used or prefixed otherwise)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    if max_words is not None:
        words = words[:max_words]
    out = ""
    for word in words:
        candidate = f"{out}_{word}" if out else word
        if len(candidate) > max_len:
            break
        out = candidate
    if not out and words:
        out = words[0][:max_len]
    if not out:
        out = fallback
    if not out[0].isalpha():
        out = f"{fallback}_{out}"
    return out[:max_len].rstrip("_")


class _Ids:
    """Hands out unique ids (``x``, ``x_2``, ``x_3``, ...)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next: dict[str, int] = {}  # per base, the suffix to try next: the ones before are
        # taken (``used`` only grows), so a thousand steps of one name are not 500,000 probes

    def take(self, base: str) -> str:
        n = self.next.get(base)
        if n is None:
            candidate, n = base, 2
        else:
            candidate, n = self._suffixed(base, n), n + 1
        while candidate in self.used:
            candidate, n = self._suffixed(base, n), n + 1
        self.used.add(candidate)
        self.next[base] = n
        return candidate

    @staticmethod
    def _suffixed(base: str, n: int) -> str:
        suffix = f"_{n}"
        return base[: 64 - len(suffix)] + suffix


# --- reading the text ------------------------------------------------------------------------

_NOT_PRINTABLE = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                            "\U00010000-\U0010ffff]")
_ENUM = re.compile(r"^(?:\d{1,2}|[A-Za-z]|[IVX]{1,4})[.)]\s+")
_SK = re.compile(r"^(?:No(?:mor)?\.?\s*SK|SK\s+No(?:mor)?\.?|Nomor\s+Keputusan|Decree\s+No\.?)"
                 r"\s*[:.]?\s*(?P<value>.*)$", re.IGNORECASE)
_ARTIFACT = re.compile(r"^(?:Image not found or type unknown|(?:Page|Halaman|Hal\.)\s*\d+"
                       r"(?:\s*(?:of|dari|/)\s*\d+)?|\d+\s*/\s*\d+|-\s*\d+\s*-)$", re.IGNORECASE)
_GOV = re.compile(r"^Pemerintah\s+(?P<region>(?:Kota|Kabupaten|Kab\.|Provinsi)\s+[^/]+?)\s*/\s*"
                  r"(?P<name>.+)$", re.IGNORECASE)
_AGENCY = re.compile(r"^(?:Dinas|Badan|UPTD?|Unit\s+Pelaksana|Kantor|Sekretariat|Rumah\s+Sakit|"
                     r"Pusat|Lembaga|Kecamatan|Kelurahan|Department|Office|Agency)\b",
                     re.IGNORECASE)
_REGION = re.compile(r"\b(?P<region>(?:(?i:Kota|Kabupaten|Kab\.|Provinsi)|"
                     r"(?:City|Regency|Province)\s+of)\s+[A-Z][\w-]*"
                     r"(?:\s+(?!Nomor\b|No\b|Tahun\b)[A-Z][\w-]*)?)")
# a letterhead line that is only a region ("Kabupaten Bogor", "KOTA AMBON"): never a title
_REGION_ONLY = re.compile(r"^(?:Kota|Kabupaten|Kab\.|Provinsi)\s+[A-Za-z.' -]{2,40}$",
                          re.IGNORECASE)
_GOV_ONLY = re.compile(r"^(?:Pemerintah|City\s+of|Regency\s+of)\b", re.IGNORECASE)
_ADDRESS = re.compile(r"^(?:Jl\.?|Jln\.?|Jalan|Alamat\s*:|Address\s*:)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)
_TRAILING_PHONE = re.compile(r"\s+(?:(?:Telp|Tlp|Telepon|Phone)\.?\s*:?\s*)?"
                             r"(?P<phone>\(?\+?\d[\d()-]{7,}\d)$", re.IGNORECASE)
_TITLE_LABEL = re.compile(r"^(?:(?:Nama|Jenis)\s+(?:Layanan|Pelayanan)|Standar\s+Pelayanan|"
                          r"Service(?:\s+name)?)\s*:\s*(?P<title>.+)$", re.IGNORECASE)
_AGENCY_ANYWHERE = re.compile(r"\b(?:Dinas|Badan|UPTD|Office|Agency|Department)\b")
_GENERIC_TITLE = {"standarpelayanan", "standarpelayananpublik", "sp", "servicestandard",
                  "maklumatpelayanan"}

_HEADINGS: dict[str, str] = {}
for _section, _names in {
    "requirements": ["persyaratan", "persyaratanpelayanan", "persyaratanlayanan", "syarat",
                     "syaratsyarat", "persyaratanadministrasi", "syaratyangharusdipenuhi",
                     "persyaratanteknis", "requirements", "requirement"],
    "procedure": ["sistemmekanismedanprosedur", "sistemmekanismeprosedur", "prosedur",
                  "prosedurpelayanan", "prosedurlayanan", "alurpelayanan", "alurlayanan", "alur",
                  "mekanisme", "mekanismepelayanan", "mekanismedanprosedur", "tahapan",
                  "tahapanpelayanan", "langkahlangkah", "procedure", "procedures", "steps",
                  "serviceprocedure", "serviceflow", "process"],
    "time": ["waktupenyelesaian", "waktu", "jangkawaktu", "jangkawaktupelayanan",
             "jangkawaktupenyelesaian", "jangkawaktupenyelesaianpelayanan", "waktupelayanan",
             "waktulayanan", "completiontime", "servicetime", "timelimit", "timeframe",
             "processingtime"],
    "cost": ["biayatarif", "biaya", "tarif", "biayatarifpelayanan", "biayapelayanan", "cost",
             "costs", "fee", "fees", "costfee", "tariff"],
    "products": ["produkpelayanan", "produklayanan", "produk", "hasilpelayanan", "product",
                 "products", "serviceproduct", "serviceproducts", "output", "outputs"],
    "complaints": ["pengaduanlayanan", "pengaduan", "penangananpengaduan",
                   "pengelolaanpengaduan", "pengelolaanpengaduanlayanan",
                   "saluranpengaduan", "layananpengaduan",
                   "penangananpengaduansarandanmasukan", "pengaduansarandanmasukan",
                   "complaints", "complaint", "complainthandling", "complaintchannels"],
    "dasar_hukum": ["dasarhukum", "legalbasis"],
    "sarana_prasarana": ["saranadanprasarana", "saranaprasarana",
                         "saranadanprasaranadanataufasilitas", "saranaprasaranadanataufasilitas",
                         "fasilitas", "facilities"],
    "kompetensi_pelaksana": ["kompetensipelaksana", "staffcompetence"],
    "pengawasan_internal": ["pengawasaninternal", "internalsupervision"],
    "jumlah_pelaksana": ["jumlahpelaksana", "numberofstaff"],
    "jaminan_pelayanan": ["jaminanpelayanan", "serviceguarantee"],
    "jaminan_keamanan": ["jaminankeamanandankeselamatanpelayanan", "jaminankeamanan",
                         "jaminankeamanandankeselamatan"],
    "evaluasi_kinerja": ["evaluasikinerjapelaksana", "evaluasikinerja",
                         "performanceevaluation"],
}.items():
    for _name in _names:
        _HEADINGS[_name] = _section

COMPONENT_SECTIONS = ("dasar_hukum", "sarana_prasarana", "kompetensi_pelaksana",
                      "pengawasan_internal", "jumlah_pelaksana", "jaminan_pelayanan",
                      "jaminan_keamanan", "evaluasi_kinerja")


def _heading(line: str) -> tuple[str, str] | None:
    """``(section, text after 'Heading:')`` when ``line`` is a section heading."""
    stripped = _ENUM.sub("", line.strip(), count=1)
    head, sep, rest = stripped.partition(":")
    if len(head) > 70:
        return None
    key = re.sub(r"[^a-z]", "", head.lower())
    section = _HEADINGS.get(key)
    if section is None:
        return None
    return section, rest.strip() if sep else ""


def _sanitize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in ("\u2028", "\u2029", "\x85", "\x0b", "\x0c"):
        text = text.replace(char, "\n")
    text = text.replace("\t", " ")
    return _NOT_PRINTABLE.sub("", text)


_LABEL_START = re.compile(r"(?:(?<=[.;]\s)|(?<=[.;]))(?=[A-Z][A-Za-z/ ,]{2,60}:)")


def _labelled_parts(line: str) -> list[str]:
    """One line holding several labelled fields — "Jangka waktu: 7 hari kerja. Biaya: gratis.
    Produk: ..." — as one line a field, split only before a label alur knows as a heading."""
    parts = _LABEL_START.split(line)
    if len(parts) < 2:
        return [line]
    out = [parts[0]]
    for part in parts[1:]:
        if _heading(part.strip()) is not None:
            out.append(part.strip())
        else:
            out[-1] = f"{out[-1]}{part}"
    return [part.strip() for part in out] if len(out) > 1 else [line]


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.])\s+(?=[A-Z])")
_FIELD_BY_CONTENT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:Waktu|Jangka\s+waktu)\s+(?:pelayanan|layanan|penyelesaian)\b",
                re.IGNORECASE), "time"),
    (re.compile(r"^(?:Biaya|Tarif)\s+(?:pelayanan|layanan)\b|^(?:Layanan|Pelayanan)\s+ini\s+"
                r"(?:gratis|tidak\s+dipungut|tanpa\s+biaya|bebas\s+biaya)", re.IGNORECASE),
     "cost"),
    (re.compile(r"^(?:Hasil|Produk)\s+(?:pelayanan|layanan)\s+(?:berupa|adalah|yaitu)\b",
                re.IGNORECASE), "products"),
    (re.compile(r"^(?:Pengaduan|Keluhan|Saran)\b[^.]{0,40}\b(?:disampaikan|diajukan|melalui)\b",
                re.IGNORECASE), "complaints"),
)


def _field_of(sentence: str) -> str | None:
    for pattern, section in _FIELD_BY_CONTENT:
        if pattern.search(sentence):
            return section
    return None


def _unlabelled_fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """``(text that stays where it is, [(section, sentence), ...])`` for a line whose
    sentences name SP fields without a heading; no moves when none does."""
    sentences = _SENTENCE_END.split(line)
    stay: list[str] = []
    moves: list[tuple[str, str]] = []
    for sentence in sentences:
        section = _field_of(sentence)
        if section is not None:
            moves.append((section, sentence))
        elif moves:
            moves[-1] = (moves[-1][0], f"{moves[-1][1]} {sentence}")
        else:
            stay.append(sentence)
    return " ".join(stay), moves


_CELL_SPLIT = re.compile(r"\s*\|\s*")
_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)(?=\d{1,2}[.)]\s)")
_TABLE_HEAD = re.compile(r"^(?:no\.?|nomor)$", re.IGNORECASE)


def _untabled(lines: list[str]) -> list[str]:
    """A table flattened to text (``No | Komponen | Uraian``, one row a line) read as the
    headings and lists it holds: the component cell becomes a heading line and the
    description cell its lines, split at inline numbers ("1. ... 2. ...") or, without them, at
    semicolons. The table's own header row is dropped; other lines pass unchanged."""
    out: list[str] = []
    for line in lines:
        cells = [cell for cell in _CELL_SPLIT.split(line.strip(" |"))]
        if line.count("|") < 2 or len(cells) < 3:
            out.append(line)
            continue
        if _TABLE_HEAD.match(cells[0]) and not any(c[:1].isdigit() for c in cells[1:]):
            continue  # "No | Komponen | Uraian"
        if cells[0].rstrip(".").isdigit() or not cells[0]:
            cells = cells[1:]
        component, description = cells[0], " | ".join(cells[1:])
        out.append(component)
        parts = [p.strip() for p in _INLINE_NUMBER.split(description) if p.strip()]
        if len(parts) < 2:
            parts = [p.strip() for p in description.split(";") if p.strip()]
        out.extend(part.rstrip(";") for part in parts)
    return out


@dataclass
class _Read:
    preamble: list[str] = field(default_factory=list)      # lines before the first heading
    header: set[str] = field(default_factory=set)          # the repeated page header lines
    sections: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)         # sections in source order
    sk_line: str | None = None
    sk_value: str | None = None
    gov_region: str | None = None
    gov_name: str | None = None
    tail: str | None = None                                # wrapped end of the header
    tails_removed: dict[str, str] = field(default_factory=dict)   # cleaned line -> original
    truncated: bool = False


def _read(text: str) -> _Read:
    out = _Read()
    if len(text) > MAX_INPUT_CHARS:
        text, out.truncated = text[:MAX_INPUT_CHARS], True
    lines = [part for line in _untabled([line.strip() for line in
                                         _sanitize(text).split("\n")])
             for part in _labelled_parts(line)]
    first = next((i for i, line in enumerate(lines) if _heading(line) is not None), len(lines))
    preamble = [line for line in lines[:first] if line]
    counts = Counter(line for line in lines if line)
    out.header = {line for line in preamble if counts[line] >= 2}

    # "Pemerintah Kota X / <start of the agency name>": the rest of the name wraps onto the next
    # line, alone in the repeated headers and glued before the title or a heading elsewhere.
    agency_line = next((line for line in preamble if _AGENCY.match(line)), None)
    for line in preamble:
        match = _GOV.match(line)
        if match:
            out.gov_region = match["region"].strip()
            out.gov_name = match["name"].strip()
            if agency_line and agency_line.startswith(out.gov_name) and \
                    len(agency_line) > len(out.gov_name) + 2:
                out.tail = agency_line[len(out.gov_name):].strip()
            break

    previous = ""
    current: str | None = None
    for line in lines:
        if not line:
            continue
        is_header = line in out.header or (out.tail is not None and line == out.tail)
        if is_header or _ARTIFACT.match(line):
            previous = line if is_header else previous
            continue
        if out.tail and line.endswith(" " + out.tail) and (
                previous in out.header or _GOV.match(previous)):
            cleaned = line[: -len(out.tail)].rstrip()
            out.tails_removed[cleaned] = line
            line = cleaned
        previous = line
        sk = _SK.match(line)
        if sk and out.sk_line is None:
            out.sk_line = line
            out.sk_value = sk["value"].strip()
            continue
        if current is not None and _marker(line) is None and _heading(line) is None:
            # fields that follow the steps with no heading of their own ("Waktu pelayanan 14
            # hari kerja. Layanan ini gratis."): each sentence that says which field it is
            # starts that field, instead of running on into the last step
            stay, moves = _unlabelled_fields(line)
            if moves:
                if stay:
                    out.sections[current].append(stay)
                for section, sentence in moves:
                    current = section
                    if current not in out.sections:
                        out.sections[current] = []
                        out.order.append(current)
                    out.sections[current].append(sentence)
                continue
        heading = _heading(line)
        if heading is not None:
            current = heading[0]
            if current not in out.sections:
                out.sections[current] = []
                out.order.append(current)
            if heading[1]:
                out.sections[current].append(heading[1])
            continue
        if current is None:
            out.preamble.append(line)
        else:
            out.sections[current].append(line)
    # the header block itself, once, for the agency details
    out.preamble = [line for line in preamble if line in out.header] + out.preamble
    return out


# --- lists -----------------------------------------------------------------------------------

_MARKER = re.compile(
    r"^(?:(?P<nest>\d{1,3}(?:\.\d{1,3})+)\.?(?=\s)|(?P<num>\d{1,3})\s?[.)](?=\s|$|[A-Z])|\((?P<pnum>\d{1,3})\)|(?P<let>[a-zA-Z])[.)](?=\s)|"
    r"\((?P<plet>[a-z])\)|(?P<step>(?:Langkah|Tahap|Step)\s+(?P<snum>\d{1,3}))\s*[:.)-]|"
    r"(?P<bul>[-\u2013•*·▪●]))\s*(?P<rest>.*)$")


@dataclass
class _Item:
    marker: str
    kind: str
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(line for line in self.lines if line).strip()


def _marker(line: str) -> tuple[str, str, str] | None:
    """``(kind, marker, rest)`` of a list item line."""
    match = _MARKER.match(line)
    if match is None:
        return None
    if match["nest"]:  # "2.4": a numbered item of a numbered section (1.1, 1.2, 2.1 ...)
        return "num", match["nest"], match["rest"]
    if match["num"] or match["pnum"] or match["snum"]:
        return "num", match["num"] or match["pnum"] or match["snum"], match["rest"]
    if match["let"] or match["plet"]:
        return "let", (match["let"] or match["plet"]).lower(), match["rest"]
    return "bul", "-", match["rest"]


_OCR_ONE = re.compile(r"^[lI|][.)](?=\s)")  # "l." or "I." read by OCR for "1."
_HYPHENATED = re.compile(r"[a-z]-$")


_INLINE_ITEM = re.compile(r"(?:^|(?<=[;,.:]\s)|(?<=[;,.:]))\s*(?=\(\d{1,2}\)\s)")


_INLINE_LISTED = re.compile(r"(?<=;)\s*(?=(?:\d{1,2}|[a-z])[.)]\s)")


def _inline_items(line: str) -> list[str]:
    """A list written on one line — "(1) identitas pemohon; (2) surat permohonan", or after an
    inline label "Persyaratan: 1. KTP; 2. KK" / "a. KTP; b. KK" — as one line an item (only with
    two or more such markers, each after a separator; the plain ones must count on from the
    line's first marker, so "... ; b. ..." inside a sentence stays)."""
    parts = [part.strip() for part in _INLINE_ITEM.split(line) if part.strip()]
    if sum(1 for p in parts if re.match(r"\(\d{1,2}\)", p)) >= 2:
        return parts
    parts = [part.strip() for part in _INLINE_LISTED.split(line) if part.strip()]
    markers = [m[1] for m in (_marker(part) for part in parts) if m is not None]
    if len(parts) >= 2 and len(markers) == len(parts) and _counts_on(markers):
        return [part.rstrip(";").rstrip() for part in parts]
    return [line]


def _counts_on(markers: list[str]) -> bool:
    """``1, 2, 3`` or ``a, b, c``: each marker the one after the previous."""
    if all(marker.isdigit() for marker in markers):
        values = [int(marker) for marker in markers]
    elif all(len(marker) == 1 and marker.isalpha() for marker in markers):
        values = [ord(marker.lower()) for marker in markers]
    else:   # "1. ...; b. ..." is no list
        return False
    return all(b == a + 1 for a, b in itertools.pairwise(values))


def _ocr_repaired(lines: list[str]) -> list[str]:
    """Undo two things OCR does to lists: "1." read as "l."/"I." (only where a "2." follows,
    so a list lettered i., j., k., l. keeps its letter), and a word hyphenated across a line
    break ("men-" + "catat" is one word)."""
    numbers = [line for line in lines if re.match(r"^2[.)]\s", line)]
    out: list[str] = []
    for line in lines:
        if numbers and _OCR_ONE.match(line):
            line = "1" + line[1:]
        if out and _HYPHENATED.search(out[-1]) and line[:1].islower() and \
                _marker(line) is None:
            out[-1] = out[-1][:-1] + line
            continue
        out.append(line)
    return out


def _items(lines: list[str]) -> tuple[list[_Item], list[str], bool]:
    """Split a section into list items: ``(items, lines before the first item, numbered)``.

    The kind of the first marker (number, letter or bullet) makes an item; lines with another
    marker (the "- Jika ..." branches under a numbered step) and unmarked lines continue the
    item they follow. A section without markers gives one item per line (``numbered`` false).
    """
    lines = _ocr_repaired([part for line in lines for part in _inline_items(line)])
    kinds = [m[0] for m in (_marker(line) for line in lines) if m is not None]
    if not kinds:
        return [_Item(str(i + 1), "line", [line]) for i, line in enumerate(lines)], [], False
    primary = kinds[0]
    items: list[_Item] = []
    intro: list[str] = []
    for line in lines:
        found = _marker(line)
        if found is not None and found[0] == primary:
            items.append(_Item(found[1], primary, [found[2].strip()]))
        elif items:
            items[-1].lines.append(line)
        else:
            intro.append(line)
    for n, item in enumerate(items, start=1):
        if item.kind == "bul":
            item.marker = str(n)
    return [item for item in items if item.text], intro, True


# --- roles -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Known:
    pattern: re.Pattern[str]
    id: str
    kind: str = "staff"


def _k(pattern: str, role_id: str, kind: str = "staff", *, case: bool = False) -> _Known:
    flags = 0 if case else re.IGNORECASE
    return _Known(re.compile(rf"(?<![\w/])(?:{pattern})(?![\w])", flags), role_id, kind)


# Longest and most specific first: the first pattern that matches at a position wins.
_VOCABULARY: tuple[_Known, ...] = (
    _k(r"Tim\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", "", "team", case=True),
    _k(r"Team\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", "", "team", case=True),
    _k(r"Head\s+of\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", "", case=True),
    _k(r"Pendamping\s+PPA", "pendamping_ppa"),
    _k(r"Pendamping\s+Hukum", "pendamping_hukum"),
    _k(r"Pendamping\s+khusus", "pendamping_khusus", "external"),
    _k(r"Koordinator\s*\(?\s*UPTD?(?:\s+PPA)?\s*\)?", "koordinator_uptd_ppa"),
    _k(r"Sub\s*-?\s*Koordinator", "sub_koordinator"),
    _k(r"Koordinator", "koordinator"),
    # the unit's name is capitalised ("Kepala Bidang Perlindungan Anak"); the verb after it is
    # not ("... menyetujui"), whatever the pattern's own case rule
    _k(r"Kepala\s+Bidang(?:\s+(?!(?i:me[lmnrwy]|ber|di[a-z]))(?-i:[A-Z][\w-]*)){0,4}|Kabid",
       "kepala_bidang"),
    _k(r"Kepala\s+Dinas|Kadis", "kepala_dinas"),
    _k(r"Kepala\s+UPTD?(?:\s+PPA)?", "kepala_upt"),
    _k(r"(?:Kepala\s+Seksi|Kasie|Kasi)(?:\s+(?!(?:me[lmnrwy]|ber|di[a-z]|dan\b|untuk\b|"
       r"yang\b|kepada\b|serta\b|atau\b))[A-Za-z]+){0,2}", ""),
    _k(r"Kepala\s+Sub\s*Bagian|Kasubag", "kepala_subbagian"),
    _k(r"Kepala\s+Unit", "kepala_unit"),
    _k(r"Sekretaris\s+Dinas", "sekretaris_dinas"),
    _k(r"Manajer\s+Kasus|Manager\s+Kasus|Case\s+Manager", "manajer_kasus"),
    _k(r"MK", "manajer_kasus", case=True),
    _k(r"Konselor(?:\s*/\s*Konsultan)?|Konsultan|Counsell?or", "konselor"),
    _k(r"Psikolog(?:\s+Klinis)?|Psychologist", "psikolog"),
    _k(r"Pekerja\s+Sosial|Peksos|Social\s+Worker", "pekerja_sosial"),
    _k(r"Paralegal", "paralegal"),
    _k(r"Advokat|Pengacara|Lawyer", "advokat"),
    _k(r"Mediator(?:\s+bersertifika(?:t|si))?", "mediator", "external"),
    _k(r"Petugas\s+Admin(?:istrasi)?|Staf\s+Admin(?:istrasi)?|Admin(?:istrator)?", "admin"),
    _k(r"Pelapor|Pengadu|Complainant|Reporter", "pelapor", "external"),
    _k(r"Pemohon|Applicant", "pemohon", "external"),
    _k(r"Penerima\s+Manfaat|Beneficiary", "penerima_manfaat", "external"),
    _k(r"Klien|Client", "klien", "external"),
    _k(r"Korban|Victim", "korban", "external"),
)

_MODALS = {"dapat", "akan", "harus", "wajib", "segera", "kemudian", "lalu", "selanjutnya", "juga",
           "langsung", "then", "will", "may", "must", "shall", "also", "can"}
_STOP = {"dan", "yang", "dengan", "untuk", "di", "ke", "dari", "kepada", "pada", "oleh", "serta",
         "atau", "dalam", "sesuai", "secara", "the", "a", "an", "of", "to", "and", "for", "with",
         "by", "in", "on", "or"}
_NOT_SUBJECT = {"jika", "apabila", "bila", "kalau", "setelah", "sesudah", "sebelum", "kemudian",
                "selanjutnya", "lalu", "dalam", "pada", "untuk", "dengan", "sesuai", "setiap",
                "semua", "hasil", "berkas", "dokumen", "surat", "laporan", "data", "proses",
                "verifikasi", "validasi", "registrasi", "apakah", "bagi", "bahwa", "if", "after",
                "before", "when", "then", "once", "all", "each", "this", "that", "documents",
                "document", "report", "results", "result", "case", "cases", "it", "there",
                "selama", "sejak", "hingga", "sampai"}
_NOT_VERB = {"melalui", "mengenai", "menurut", "menuju", "meskipun", "berita", "berkas", "bersama",
             "berdasarkan", "beserta", "berupa", "berikut", "berbagai", "berkebutuhan"}
_ID_VERB = re.compile(r"^(?:me[lmnrwy][a-z]{2,}|ber[a-z]{3,})$")
_EN_VERB = re.compile(r"^[a-z]{3,}(?:s|es)$")
_BE = {"is", "are", "was", "were", "be", "been", "adalah", "ialah"}
_EN_NOT_VERB = {"this", "was", "has", "its", "his", "does", "process", "address", "access",
                "status", "business", "is", "as", "us", "less", "unless", "across", "various"}


def _is_verb(word: str, english: bool) -> bool:
    word = word.strip(".,;:()").lower()
    if word in _NOT_VERB:
        return False
    if _ID_VERB.match(word):
        return True
    return english and bool(_EN_VERB.match(word)) and word not in _EN_NOT_VERB


def _match_known(text: str, pos: int = 0) -> tuple[_Known, re.Match[str]] | None:
    for known in _VOCABULARY:
        match = known.pattern.match(text, pos)
        if match:
            return known, match
    return None


def _subject(text: str, english: bool) -> str | None:
    """The leading phrase of ``text`` when it is followed by an active verb (a new role)."""
    words = text.split()
    if english and words and words[0].lower() == "the":
        words = words[1:]
    phrase: list[str] = []
    for i, word in enumerate(words[:8]):
        bare = word.strip(".,;:")
        if i == 0:
            lower = bare.lower()
            if not bare[:1].isupper() or lower in _NOT_SUBJECT or _is_verb(bare, english) or \
                    re.match(r"^pe[a-z]{3,}an$", lower):
                return None
        if i > 0 and (_is_verb(bare, english) or bare.lower() in _MODALS):
            rest = words[i:]
            while rest and rest[0].strip(".,;:").lower() in _MODALS:
                rest = rest[1:]
            if len(rest) > 1 and rest[1].lower() in _BE:   # "visits are recorded": a noun
                return None
            if rest and _is_verb(rest[0], english) and phrase:
                return " ".join(phrase)
            return None
        if bare.lower() in _STOP or not re.match(r"^[A-Za-z][\w/()&-]*$", bare) or \
                word != bare or len(phrase) >= 5:
            return None
        if english and not bare[:1].isupper():
            return None
        phrase.append(bare)
    return None


_TEAM_DEF = re.compile(r"\b(?P<team>(?:Tim|Team)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)\s*"
                       r"\((?P<members>[^()]{3,300})\)")


# The names SPs give one outside party in the same text ("korban" / "penerima manfaat" /
# "klien", issue #17): in one SP they are one role, the first name its title, the others its
# aliases (a review note says so).
_SAME_PARTY = frozenset({"korban", "penerima_manfaat", "klien"})
# "Korban (selanjutnya disebut Klien)": the source itself gives a second name
_CALLED = re.compile(r"\(\s*(?:yang\s+)?(?:selanjutnya|kemudian|juga)\s+disebut\s+"
                     r"(?P<name>[A-Za-z][\w -]{1,40}?)\s*\)", re.IGNORECASE)


@dataclass
class _Role:
    id: str
    title: str
    kind: str
    members: list[str] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    new: bool = False
    origin: str = ""

    def names(self) -> set[str]:
        return {name_key(self.id), name_key(self.title), *map(name_key, self.aliases)}


# --- conditions, time, money -----------------------------------------------------------------

_BRANCH_SPLIT = re.compile(r"(?:^|\s)(?:[-\u2013•*]|[a-z][.)])\s+(?=(?:Jika|Apabila|Bila|Kalau|"
                           r"Dalam\s+hal|If|When|In\s+case)\b)")
_IF_SENTENCE = re.compile(r"(?:^|(?<=[.;]\s))(?P<s>(?:Jika|Apabila|Bila|Kalau|Dalam\s+hal|If)\b"
                          r"[^.;]*[.;]?)")
_CONDITION_WORD = re.compile(r"^(?:Jika|Apabila|Bila|Kalau|Dalam\s+hal|If|When|In\s+case)\s+",
                             re.IGNORECASE)
_REPEAT = re.compile(r"(?<![\w])(?P<w>[A-Za-z][\w/]*(?:\s+[A-Za-z][\w/]*){0,3})[.,]\s+"
                     r"(?P=w)[.,](?!\w)")

_NUMBER_WORDS = {"satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
                 "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
                 "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
                 "fifteen": 15, "twenty": 20, "thirty": 30}
_UNIT = (r"(?P<unit>hari\s+kerja|hari\s+kalender|hari|jam|menit|minggu|pekan|bulan|tahun|"
         r"working\s+days?|business\s+days?|calendar\s+days?|days?|hours?|minutes?|weeks?|"
         r"months?|years?)\b")
_AMOUNT = re.compile(r"(?P<n>\d{1,6})\s*(?:\([^)]{0,40}\)\s*)?" + _UNIT, re.IGNORECASE)
_AMOUNT_WORDS = re.compile(r"\b(?P<w>(?:[a-z]+\s+){0,2}[a-z]+)\s+" + _UNIT, re.IGNORECASE)
_SITUATIONAL = re.compile(r"situasional|kondisional|tergantung|bergantung|menyesuaikan|"
                          r"case\s+by\s+case|depend", re.IGNORECASE)
_AFTER_REQUIREMENTS = re.compile(r"\b(?:setelah|sesudah|sejak|terhitung|after|from|once)\b"
                                 r"[^.]*\b(?:memenuhi|lengkap|terpenuhi|persyaratan|"
                                 r"administrasi|requirements?|complete)", re.IGNORECASE)
_FREE = re.compile(r"tidak\s+(?:dipungut|dikenakan|ada)|gratis|tanpa\s+biaya|bebas\s+biaya|"
                   r"\bfree\b|no\s+(?:fee|charge|cost)|rp\.?\s*0\b|nihil|cuma-cuma",
                   re.IGNORECASE)
_RUPIAH = re.compile(r"rp\.?\s*(?P<n>\d{1,3}(?:[.,]\d{3})+|\d+)", re.IGNORECASE)
_OPTIONAL = re.compile(r"(?:\(\s*)?\b(?:jika|bila|apabila|kalau|if)\s+(?:ada|diperlukan|dibutuhkan|"
                       r"any|available|needed)\b(?:\s*\))?|\(\s*(?:opsional|optional)\s*\)",
                       re.IGNORECASE)
_EXTENDABLE = re.compile(r"dapat\s+diperpanjang|bisa\s+diperpanjang|perpanjangan|\bextend",
                         re.IGNORECASE)
_FACT_START = {"telah", "sudah", "bersedia", "berusia", "berdomisili", "merupakan", "memiliki",
               "mengisi", "menghubungi", "tidak", "belum", "pernah", "warga", "sedang", "is",
               "has", "have", "must", "be", "being", "aged", "resident", "willing"}
_SENSITIVE = re.compile(r"identitas|\bktp\b|\bkk\b|kartu\s+keluarga|akta|asesmen|assessment|"
                        r"visum|rujukan|referral|medis|medical|psikolog|laporan|report|foto|"
                        r"photo|keterangan|identity|id\s+card|kronologi|bukti|surat\s+kuasa",
                        re.IGNORECASE)
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_WITA = re.compile(r"\b(?:Bali|Denpasar|Makassar|Mataram|Kupang|Manado|Balikpapan|Samarinda|"
                   r"Banjarmasin|Banjarbaru|Palu|Kendari|Gorontalo|Sulawesi|Nusa\s+Tenggara|"
                   r"Kalimantan\s+(?:Selatan|Timur|Utara)|Bontang|Tarakan|Parepare|Bitung)\b",
                   re.IGNORECASE)
_WIT = re.compile(r"\b(?:Papua|Jayapura|Ambon|Maluku|Sorong|Ternate|Tidore|Merauke|Manokwari|"
                  r"Tual)\b",
                  re.IGNORECASE)


_JOINER = re.compile(r"\s*(?:,\s*|\s(?:dan|bersama(?:\s+dengan)?|beserta|serta|and|"
                    r"together\s+with)\s+)(?:the\s+)?", re.IGNORECASE)
_EVERY = re.compile(r"\b(?:setiap|tiap|every)\s+(?P<n>\d{1,4}|[a-z]+)\s*(?:\([^)]{0,40}\)\s*)?"
                    + _UNIT, re.IGNORECASE)
_LASTS = re.compile(r"\s*(?:selama|for)\s+(?P<n>\d{1,4})\s*(?:\([^)]{0,40}\)\s*)?" + _UNIT,
                    re.IGNORECASE)
_STEP_LIMIT = re.compile(r"\b(?:paling\s+(?:lama|lambat)|selambat-lambatnya|maksimal|"
                         r"dalam\s+waktu|within|at\s+most|no\s+later\s+than)\s+"
                         r"\d{1,4}\s*(?:\([^)]{0,40}\)\s*)?" + _UNIT +
                         r"(?:\s+(?:sejak|setelah|sesudah|terhitung(?:\s+sejak)?|after|from)"
                         r"\s+[^.;,]+)?", re.IGNORECASE)


def _count(word: str) -> int | None:
    """A count written in digits or words ("7", "tujuh")."""
    return int(word) if word.isdigit() else _words_number(word)


def _words_number(words: str) -> int | None:
    tokens = words.lower().split()
    total, current, seen = 0, 0, False
    for token in tokens:
        if token in _NUMBER_WORDS:
            current += _NUMBER_WORDS[token]
            seen = True
        elif token == "belas" and seen:
            current += 10
        elif token == "puluh" and seen:
            current *= 10
        elif token == "ratus" and seen:
            current *= 100
        elif seen:
            total += current
            current = 0
        else:
            continue
    total += current
    return total if seen and total > 0 else None


# --- building --------------------------------------------------------------------------------

class _Builder:
    def __init__(self, read: _Read, lang: str, source_name: str | None,
                 proc_id: str | None) -> None:
        self.r = read
        self.lang = lang
        self.source_name = source_name
        self.proc_id = proc_id
        self.notes: list[Note] = []
        self.roles: dict[str, _Role] = {}  # by the id a phrase gives; an alias's id: its role
        self.called: dict[str, _Role] = {}  # a name the source declares for a role
        self.role_ids = _Ids()
        body = " ".join(line for lines in read.sections.values() for line in lines)
        self.body = body
        english = len(re.findall(r"\b(?:the|and|of|is|with|for|to)\b", body, re.IGNORECASE))
        indonesian = len(re.findall(r"\b(?:dan|yang|dengan|untuk|di|ke|dari|kepada)\b", body,
                                    re.IGNORECASE))
        self.english = english > indonesian
        self.teams: dict[str, list[str]] = {}
        self.phases: list[Data] = []
        pre = read.preamble
        self.agency_line = next((line for line in pre if _AGENCY.match(line)), None) or next(
            (line for line in pre if _AGENCY_ANYWHERE.search(line) and len(line) < 200
             and not _TITLE_LABEL.match(line)), None)

    def note(self, path: Path, kind: str, about: str, key: str, quote: str | None = None,
             **params: object) -> None:
        params.setdefault("quote", quote or "")
        self.notes.append(Note(key, path, kind, about, _msg(self.lang, key, **params),
                               _cut(quote) if quote else None))

    # -- the whole procedure --

    def build(self) -> Data:
        title = self.title()
        agency = self.agency()
        decree = self.decree()
        version = "1"
        if decree["number"]:
            year = re.search(r"(?:19|20)\d\d(?!.*(?:19|20)\d\d)", decree["number"])
            if year:
                version = f"{year.group(0)}.1"
        proc_id = self.proc_id or _procedure_id(title)
        data: Data = {"id": proc_id, "title": title, "version": version,
                      "language": "en" if self.english else "id", "agency": agency,
                      "decree": decree, "source": {"file": self.source_name}}
        if self.english:
            self.note(("language",), "assumption", "language", "language")
        steps = self.steps()
        documents, facts, requirements = self.requirements()
        data["roles"] = self.role_list()
        data["documents"] = documents
        data["facts"] = facts
        data["requirements"] = requirements
        data["steps"] = steps
        data["time_limit"] = self.time_limit()
        if self.phases:
            data["phase_limits"] = self.phases
        data["cost"] = self.cost()
        data["products"] = self.products(title)
        data["complaints"] = self.complaints()
        data["components"] = self.components()
        data["retention"] = {"after_closed": {"amount": 1825, "unit": "calendar_days"}}
        self.note(("retention",), "assumption", "retention", "retention")
        if self.r.truncated:
            self.note(("source",), "missing", "source", "truncated", limit=MAX_INPUT_CHARS)
        for key in ("documents", "facts"):
            if not data[key]:
                del data[key]
        return data

    # -- identity --

    def title(self) -> str:
        candidates = [line for line in self.r.preamble if line not in self.r.header
                      and not self._agency_detail(line)]
        for line in candidates:
            match = _TITLE_LABEL.match(line)
            if match:
                return _cut(match["title"].strip() or line)
        for line in candidates:
            if re.sub(r"[^a-z]", "", line.lower()) in _GENERIC_TITLE or len(line) > 200:
                continue
            self.note(("title",), "inference", "title", "title", quote=line, line=line)
            original = self.r.tails_removed.get(line)
            if original is not None and self.r.tail:
                self.note(("title",), "inference", "title", "header_tail", quote=original,
                          tail=self.r.tail)
            return _cut(line.rstrip(".:").strip() or line)
        self.note(("title",), "missing", "title", "title_missing")
        return _word(self.lang, "untitled")

    def _agency_detail(self, line: str) -> bool:
        return bool(_AGENCY.match(line) or _GOV_ONLY.match(line) or _ADDRESS.match(line)
                    or _REGION_ONLY.match(line) or line == self.agency_line or _URL.search(line)
                    or re.fullmatch(r"[\d\s()+-]{6,}", line) or _ARTIFACT.match(line))

    def agency(self) -> Data:
        pre = self.r.preamble
        name = self.agency_line or self.r.gov_name
        if name:
            self.note(("agency", "name"), "inference", "agency", "agency", quote=name)
        else:
            name = _word(self.lang, "agency_unknown")
            self.note(("agency", "name"), "missing", "agency", "agency_missing")
        region = self.r.gov_region
        if region is None:
            for line in [*pre, *(x for lines in self.r.sections.values() for x in lines)]:
                match = _REGION.search(line)
                if match:
                    region = match["region"]
                    break
        if region is not None and region.isupper():
            region = region.title()
        if region is None:
            region = _word(self.lang, "region_unknown")
            self.note(("agency", "region"), "missing", "agency.region", "region_missing")
        agency: Data = {"name": _cut(name), "unit": None, "region": _cut(region)}
        everything = "\n".join([*pre, *(x for lines in self.r.sections.values() for x in lines)])
        unit = re.search(r"\bUPTD?\s+PPA\b", everything)
        if unit:
            agency["unit"] = "UPTD PPA"
            self.note(("agency", "unit"), "assumption", "agency.unit", "unit", unit="UPTD PPA")
        address_line = next((line for line in pre if _ADDRESS.match(line)), None)
        phone: str | None = None
        if address_line:
            match = _TRAILING_PHONE.search(address_line)
            if match:
                phone = match["phone"]
                address_line = address_line[: match.start()].rstrip(" ,")
            agency["address"] = re.sub(r"^(?:Alamat|Address)\s*:\s*", "", address_line,
                                       flags=re.IGNORECASE) or None
        if phone is None:
            for line in pre:
                match = re.match(r"^(?:Telp|Tlp|Telepon|Phone)\.?\s*:?\s*(?P<p>\+?\d[\d\s()-]{5,}"
                                 r"\d)", line, re.IGNORECASE)
                if match:
                    phone = match["p"]
                    break
        agency["phone"] = phone
        website = next((m.group(0).strip("<>").rstrip(">") for line in pre
                        if (m := _URL.search(line))), None)
        agency["website"] = website
        place = " ".join([region, *pre])
        tz = "Asia/Jayapura" if _WIT.search(place) else \
            "Asia/Makassar" if _WITA.search(place) else "Asia/Jakarta"
        agency["timezone"] = tz
        self.note(("agency", "timezone"), "assumption", "agency.timezone", "timezone", tz=tz)
        return agency

    def decree(self) -> Data:
        value = (self.r.sk_value or "").strip(" .:-\u2013")
        if value and re.search(r"\w", value):
            return {"number": _cut(value), "date": None, "known": True}
        key = "decree_blank" if self.r.sk_line is not None else "decree_absent"
        self.note(("decree", "number"), "missing", "decree", key, quote=self.r.sk_line)
        return {"number": None, "date": None, "known": False}

    # -- roles --

    def role_for(self, known: _Known | None, phrase: str, number: str) -> _Role:
        """The role a phrase names, declared on first use."""
        phrase = _noun_phrase(phrase.strip(), self.english)
        if known is not None:
            role_id, kind = known.id or slug(phrase, "tim" if known.kind == "team"
                                             else "peran"), known.kind
        else:
            role_id, kind = slug(phrase, "peran"), "staff"
        role = self.roles.get(role_id) or self.called.get(name_key(phrase))
        if role is None and role_id in _SAME_PARTY:
            role = next((self.roles[key] for key in self.roles if key in _SAME_PARTY), None)
        if role is not None:
            self.roles.setdefault(role_id, role)
            if role.kind == "external":
                self.alias(role, phrase)
            return role
        role = _Role(self.role_ids.take(role_id), _cut(phrase), kind, origin=number)
        self.roles[role_id] = role
        if known is None:
            role.new = True
        for match in _CALLED.finditer(self.body):  # "<phrase> (selanjutnya disebut Klien)"
            if name_key(match.string[:match.start()]).endswith(name_key(phrase)):
                self.alias(role, match["name"])
                self.called.setdefault(name_key(match["name"]), role)
        if kind == "team":
            members = self.teams.get(phrase.lower(), [])
            for member in members:
                found = _match_known(member)
                inner = self.role_for(found[0] if found and found[1].end() == len(member)
                                      else None, member, number)
                if inner.id != role.id and inner.id not in role.members:
                    role.members.append(inner.id)
        return role

    def alias(self, role: _Role, name: str) -> None:
        """``name`` as another name of ``role``, unless it is one already or another role's."""
        key = name_key(name)
        if key in role.names() or any(key in other.names() for other in self.roles.values()
                                      if other is not role):
            return
        role.aliases.append(_cut(name.strip()))

    def role_list(self) -> list[Data]:
        out: list[Data] = []
        unique = {role.id: role for role in self.roles.values()}  # an alias's key: its role
        for index, role in enumerate(unique.values()):
            entry: Data = {"id": role.id, "title": role.title}
            if role.kind != "staff":
                entry["kind"] = role.kind
            if role.members:
                entry["members"] = list(role.members)
            if role.aliases:
                entry["aliases"] = list(role.aliases)
                self.note(("roles", index, "aliases"), "assumption", f"roles.{role.id}",
                          "role_aliases", quote=role.title, phrase=role.title,
                          names=", ".join(role.aliases))
            if role.mentioned:
                numbers = ", ".join(dict.fromkeys(role.mentioned))
                entry["note"] = _word(self.lang, "mentioned", numbers=numbers)
            out.append(entry)
            if role.new:
                self.note(("roles", index), "assumption", f"roles.{role.id}", "role_new",
                          quote=role.title, phrase=role.title, number=role.origin)
            if role.kind == "team" and not role.members:
                self.note(("roles", index), "missing", f"roles.{role.id}", "team_empty",
                          phrase=role.title)
        return out

    def actor_of(self, text: str) -> tuple[_Known | None, str] | None:
        found = _match_known(text)
        if found is None and self.english and text.lower().startswith("the "):
            found = _match_known(text, 4)
        if found is not None:
            return found[0], found[1].group(0)
        phrase = _subject(text, self.english)
        if phrase is not None:
            again = _match_known(phrase)
            if again is not None and again[1].end() == len(phrase):
                return again[0], phrase
            return None, phrase
        return None

    # -- steps --

    def steps(self) -> list[Data]:
        lines = self.r.sections.get("procedure", [])
        items, _intro, numbered = _items(lines)
        if lines and not numbered:
            self.note(("steps",), "assumption", "steps", "steps_unnumbered")
        for item in items:
            for match in _TEAM_DEF.finditer(item.text):
                members = re.split(r",|;|&|\s+dan\s+|\s+and\s+|\s+serta\s+", match["members"])
                self.teams.setdefault(match["team"].lower(),
                                      [m.strip(" .") for m in members if m.strip(" .")])
        ids = _Ids()
        steps: list[Data] = []
        previous_actor: _Role | None = None
        placeholder: list[int] = []
        for index, item in enumerate(items):
            text = item.text
            if len(text) > MAX_TEXT:
                text = text[:MAX_TEXT].rstrip() or text[:MAX_TEXT]
                self.note(("steps", index, "text"), "missing", "steps", "truncated",
                          limit=MAX_TEXT)
            number = item.marker
            lead = self.actor_of(text)
            actor: _Role | None = None
            inferred = False
            by_passive: str | None = None
            joint: list[_Role] = []
            if lead is not None:
                actor = self.role_for(lead[0], lead[1], number)
                joint, joint_end = self.joint_actors(text, len(lead[1]), number)
                if joint:
                    lead = (lead[0], text[:joint_end])
            else:
                first_sentence = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0]
                oleh = re.search(r"\b(?:oleh|by)\s+(?:the\s+)?", first_sentence)
                found = _match_known(first_sentence, oleh.end()) if oleh else None
                if found is not None:
                    actor = self.role_for(found[0], found[1].group(0), number)
                    by_passive = found[1].group(0)
                elif oleh is not None:
                    named = re.match(r"[A-Z][\w/-]*(?:\s+[A-Z][\w/-]*){0,4}",
                                     first_sentence[oleh.end():])
                    if named is not None:
                        actor = self.role_for(None, named.group(0), number)
                        by_passive = named.group(0)
            if actor is None:
                inferred = True
                if previous_actor is None:
                    placeholder.append(index)
                    actor = self.role_for(None, _word(self.lang, "officer"),
                                          number)
                else:
                    actor = previous_actor
            previous_actor = actor
            step_id = ids.take(_step_id(text, lead[1] if lead else None, index))
            step: Data = {"id": step_id, "number": number, "title": _step_title(text),
                          "actor": actor.id}
            if inferred:
                step["actor_inferred"] = True
            about = f"steps.{step_id}"
            joint_ids = [role.id for role in joint if role.id != actor.id]
            if joint_ids:
                step["joint"] = {"roles": joint_ids, "sign_off": "all"}
                self.note(("steps", index, "joint"), "assumption", about, "joint",
                          quote=lead[1] if lead else None, number=number,
                          roles=", ".join(joint_ids))
            step["text"] = text
            steps.append(step)
            if inferred:
                key = "actor_placeholder" if index in placeholder else "actor_inferred"
                self.note(("steps", index, "actor"), "inference", about, key,
                          quote=_first_words(text), number=number, actor=actor.title)
            if by_passive:
                self.note(("steps", index, "actor"), "inference", about, "actor_by",
                          quote=f"oleh {by_passive}", number=number, actor=by_passive)
            skip = len(lead[1]) if lead is not None and text.startswith(lead[1]) else 0
            self.mentions(text, number, actor, ("steps", index), about, skip)
            repeat = _REPEAT.search(text)
            if repeat:
                self.note(("steps", index, "text"), "copy_error", about, "repeated",
                          quote=repeat.group(0), number=number)
        if not steps:
            self.note(("steps",), "missing", "steps", "steps_missing")
            actor = self.role_for(None, _word(self.lang, "officer"), "1")
            steps.append({"id": "langkah_1", "number": "1",
                          "title": _word(self.lang, "step_unwritten"),
                          "actor": actor.id,
                          "text": _word(self.lang, "no_step_in_source")})
        self.link(steps)
        self.recurring(steps)
        self.phases = self.phase_limits(steps)
        return steps

    def joint_actors(self, text: str, pos: int, number: str) -> tuple[list[_Role], int]:
        """The roles named with the actor before the verb — "Manajer Kasus dan Psikolog
        melakukan ...", "Korban bersama Terlapor menjalani ..." — and where their phrase ends;
        none unless a verb follows the last of them."""
        roles: list[_Role] = []
        end = pos
        while True:
            joiner = _JOINER.match(text, end)
            if joiner is None:
                break
            found = self.actor_of(text[joiner.end():])
            if found is None:
                break
            roles.append(self.role_for(found[0], found[1], number))
            end = joiner.end() + len(found[1])
        after = text[end:].split()
        while after and after[0].strip(".,").lower() in _MODALS:
            after = after[1:]
        if not roles or not after or not _is_verb(after[0], self.english):
            return [], pos
        return roles, end

    def recurring(self, steps: list[Data]) -> None:
        """A step the source repeats ("... setiap 7 hari", "every 14 days"): a ``repeat``
        draft that lasts the duration the source gives ("selama 3 bulan") or else runs until the
        next step completes, for a person to confirm that end."""
        for index, step in enumerate(steps[:-1]):
            match = _EVERY.search(str(step["text"]))
            if match is None:
                continue
            amount = _count(match["n"])
            if amount is None:
                continue
            _factor, unit, exact = _unit(re.sub(r"\s+", " ", match["unit"].lower()))
            if _factor != 1 or not 1 <= amount <= 3650:   # weeks: not in the source's unit
                continue
            repeat: Data = {"every": {"amount": amount, "unit": unit}}
            lasts = _LASTS.match(str(step["text"]), match.end())
            span = _unit(re.sub(r"\s+", " ", lasts["unit"].lower())) if lasts else None
            if lasts is not None and span is not None and span[0] == 1:
                # "setiap 14 hari selama 3 bulan": the source's own end is a duration
                repeat["lasts"] = {"amount": int(lasts["n"]), "unit": span[1]}
                until = lasts.group(0).strip()
            else:
                until = repeat["until_step"] = steps[index + 1]["id"]
            step["repeat"] = repeat
            self.note(("steps", index, "repeat"), "assumption", f"steps.{step['id']}",
                      "repeat", quote=match.group(0), number=step["number"], until=until)
            if not exact:
                self.note(("steps", index, "repeat", "every"), "assumption",
                          f"steps.{step['id']}", "time_unit", quote=match.group(0))

    def phase_limits(self, steps: list[Data]) -> list[Data]:
        """A limit stated inside a step ("paling lama 30 menit setelah korban diterima",
        "dalam waktu 240 menit") as a clock window ending when that step completes; it starts
        when the case opens (first step) or when the step before completes, a guess to review."""
        phases: list[Data] = []
        ids = _Ids()
        for index, step in enumerate(steps):
            match = _STEP_LIMIT.search(str(step["text"]))
            if match is None:
                continue
            amount_match = _AMOUNT.search(match.group(0))
            if amount_match is None:
                continue
            raw = re.sub(r"\s+", " ", amount_match["unit"].lower())
            factor, unit, _exact = _unit(raw)
            amount = int(amount_match["n"])
            if factor != 1 or not 1 <= amount <= 3650:
                continue
            phase: Data = {"id": ids.take(slug(f"{step['id']} {amount} {raw}", "batas",
                                               max_len=56)),
                           "amount": amount, "unit": unit}
            if index == 0:
                phase["starts"] = "case_opened"
            else:
                phase["starts"] = "step_completed"
                phase["starts_after_step"] = steps[index - 1]["id"]
            phase["until_step"] = step["id"]
            phase["source_text"] = match.group(0).strip(" .;,")
            self.note(("phase_limits", len(phases)), "assumption", f"steps.{step['id']}",
                      "phase_limit", quote=phase["source_text"], number=step["number"],
                      start=phase.get("starts_after_step") or phase["starts"])
            phases.append(phase)
        return phases

    def mentions(self, text: str, number: str, actor: _Role, path: Path, about: str,
                 start: int) -> None:
        """Declare roles named later in the step; note those that act there."""
        acting: list[str] = []
        pos = max(start, 1)
        while pos < len(text):
            found = _match_known(text, pos) if not text[pos - 1].isalnum() else None
            if found is None:
                pos += 1
                continue
            known, match = found
            role = self.role_for(known, match.group(0), number)
            if role.id != actor.id:
                role.mentioned.append(number)
                after = text[match.end():].split()
                while after and after[0].strip(".,").lower() in _MODALS:
                    after = after[1:]
                before = text[:match.start()].rstrip()
                starts_clause = not before or before.endswith((".", ",", ";", "-", ":"))
                if after and _is_verb(after[0], self.english) and starts_clause and \
                        role.title not in acting:
                    acting.append(role.title)
            pos = match.end()
        if acting:
            self.note(path, "ambiguity", about, "other_actors", number=number,
                      roles=", ".join(acting))

    def link(self, steps: list[Data]) -> None:
        """Connect the steps in order; branches become decisions."""
        for index, step in enumerate(steps):
            last = index == len(steps) - 1
            target: Data = {"end": "completed"} if last else {"next": steps[index + 1]["id"]}
            target_name = "end: completed" if last else str(steps[index + 1]["id"])
            about = f"steps.{step['id']}"
            branches = self.branches(str(step["text"]))
            if len(branches) >= 2:
                outcome_ids = _Ids()
                outcomes: list[Data] = []
                labels: list[str] = []
                for n, branch in enumerate(branches, start=1):
                    label = _branch_label(branch, n, self.lang)
                    labels.append(label)
                    outcomes.append({"id": outcome_ids.take(slug(label, "hasil", max_words=5)),
                                     "label": label, "text": branch, **target})
                step["decision"] = {"question": _question(str(step["text"]), branches, labels,
                                                          self.lang),
                                    "outcomes": outcomes}
                self.note(("steps", index, "decision"), "assumption", f"{about}.decision",
                          "decision", number=step["number"], target=target_name)
                consequences = {_consequence(b) for b in branches}
                if len(consequences) < len(branches):
                    self.note(("steps", index, "decision"), "copy_error", f"{about}.decision",
                              "copy_error", quote=branches[-1], number=step["number"])
            else:
                step.update(target)
                single = _IF_SENTENCE.search(str(step["text"]))
                if single:
                    key = "next" if not last else "end"
                    self.note(("steps", index, key), "ambiguity", about, "one_branch",
                              quote=single["s"], number=step["number"])

    @staticmethod
    def branches(text: str) -> list[str]:
        parts = _BRANCH_SPLIT.split(text)
        if len(parts) >= 3:
            return [p.strip() for p in parts[1:] if p.strip()]
        sentences = [m["s"].strip() for m in _IF_SENTENCE.finditer(text)]
        if len(sentences) >= 2:
            return sentences
        return []

    # -- requirements --

    def requirements(self) -> tuple[list[Data], list[Data], list[Data]]:
        lines = self.r.sections.get("requirements")
        documents: list[Data] = []
        facts: list[Data] = []
        requirements: list[Data] = []
        if not lines:
            self.note(("requirements",), "missing", "requirements", "req_missing")
            return documents, facts, requirements
        items, _intro, _numbered = _items(lines)
        doc_ids, fact_ids = _Ids(), _Ids()
        for n, item in enumerate(items, start=1):
            text = _cut(item.text)
            number = int(item.marker) if item.marker.isdigit() else n
            optional = bool(_OPTIONAL.search(text))
            title = _cut(re.sub(r"\(\s*\)", "", _OPTIONAL.sub("", text)).strip(" .;:,") or text)
            entry: Data = {"number": number, "text": text}
            first = (re.findall(r"[A-Za-z]+", text)[:1] or [""])[0].lower()
            if first in _FACT_START:
                fact_id = fact_ids.take(_short_id(title, "syarat"))
                facts.append({"id": fact_id, "title": title, "type": "bool", "required": True})
                entry["fact"] = fact_id
                self.note(("requirements", len(requirements), "fact"), "assumption",
                          "requirements", "req_fact", quote=text, number=number, fact=fact_id)
            else:
                doc_id = doc_ids.take(_short_id(title, "dokumen"))
                document: Data = {"id": doc_id, "title": title, "kind": "requirement"}
                if optional:
                    document["presence"] = "optional"
                document["sensitive"] = bool(_SENSITIVE.search(text))
                documents.append(document)
                entry["document"] = doc_id
            if optional:
                entry["presence"] = "optional"
            requirements.append(entry)
        if documents:
            self.note(("documents",), "assumption", "documents", "documents")
        return documents, facts, requirements

    # -- time limit --

    def time_limit(self) -> Data:
        lines = [line for line in self.r.sections.get("time", []) if line]
        if not lines:
            self.note(("time_limit", "amount"), "missing", "time_limit", "time_missing")
            return {"amount": None, "unit": "working_days", "bound": "max",
                    "starts": "case_opened",
                    "source_text": _word(self.lang, "not_given")}
        source_text = _cut("\n".join(lines))
        flat = " ".join(lines)
        amount: int | None = None
        unit = "working_days"
        raw_unit = ""
        quote = ""
        match = _AMOUNT.search(flat)
        if match:
            amount, raw_unit, quote = int(match["n"]), match["unit"].lower(), match.group(0)
        else:
            for words in _AMOUNT_WORDS.finditer(flat):
                value = _words_number(words["w"])
                if value is not None:
                    amount, raw_unit, quote = value, words["unit"].lower(), words.group(0)
                    break
        raw_unit = re.sub(r"\s+", " ", raw_unit)
        limit: Data = {"amount": None, "unit": unit, "bound": "max", "starts": "case_opened"}
        if amount is not None:
            factor, unit, exact = _unit(raw_unit)
            converted = math.ceil(amount * factor)
            if 1 <= converted <= 3650:
                limit["amount"], limit["unit"] = converted, unit
                if not exact:
                    if raw_unit in ("hari", "day", "days"):
                        self.note(("time_limit", "unit"), "assumption", "time_limit",
                                  "time_unit", quote=quote)
                    else:
                        self.note(("time_limit", "unit"), "assumption", "time_limit",
                                  "time_converted", quote=quote, amount=converted, unit=unit)
            else:
                amount = None
        if limit["amount"] is None:
            self.note(("time_limit", "amount"), "missing", "time_limit", "time_amount",
                      quote=source_text)
        if re.search(r"paling\s+cepat|minimal|sekurang|at\s+least", flat, re.IGNORECASE) and \
                not re.search(r"maksimal|paling\s+lama|selambat|at\s+most", flat, re.IGNORECASE):
            limit["bound"] = "min"
        after = _AFTER_REQUIREMENTS.search(flat)
        if after:
            limit["starts"] = "requirements_met"
            self.note(("time_limit", "starts"), "inference", "time_limit", "time_requirements",
                      quote=_sentence_at(flat, after.start()), )
        else:
            self.note(("time_limit", "starts"), "assumption", "time_limit", "time_starts")
        extendable = _EXTENDABLE.search(flat)
        if extendable and not _SITUATIONAL.search(flat):
            limit["extendable"] = True
            self.note(("time_limit", "extendable"), "ambiguity", "time_limit", "time_extendable",
                      quote=_sentence_at(flat, extendable.start()))
        situational = _SITUATIONAL.search(flat)
        if situational:
            limit["situational"] = True
            limit["extendable"] = True
            self.note(("time_limit", "situational"), "ambiguity", "time_limit",
                      "time_situational", quote=_sentence_at(flat, situational.start()))
        limit["source_text"] = source_text
        return limit

    # -- cost, products, complaints, components --

    def cost(self) -> Data:
        lines = [line for line in self.r.sections.get("cost", []) if line]
        if not lines:
            self.note(("cost", "amount"), "missing", "cost", "cost_missing")
            return {"amount": 0, "text": _word(self.lang, "not_given")}
        text = _cut("\n".join(_strip_marker(line) for line in lines))
        if _FREE.search(text):
            return {"amount": 0, "text": text}
        money = _RUPIAH.search(text)
        if money:
            amount = int(re.sub(r"[.,]", "", money["n"]))
            self.note(("cost", "amount"), "assumption", "cost", "cost_amount",
                      quote=money.group(0), amount=amount)
            return {"amount": amount, "text": text}
        self.note(("cost", "amount"), "assumption", "cost", "cost_unclear", quote=text)
        return {"amount": 0, "text": text}

    def products(self, title: str) -> list[Data]:
        lines = [line for line in self.r.sections.get("products", []) if line]
        items, _intro, _numbered = _items(lines)
        products = [{"text": _cut(item.text)} for item in items if item.text]
        if not products:
            self.note(("products",), "missing", "products", "products_missing")
            products = [{"text": title}]
        return products

    def complaints(self) -> list[Data]:
        lines = [_strip_marker(line) for line in self.r.sections.get("complaints", []) if line]
        channels: list[Data] = []
        for line in lines:
            if line.endswith(":") and not re.search(r"\d{6,}|@|https?://|www\.", line):
                continue   # "Pengaduan disampaikan melalui:" introduces the list
            nested = _NESTED_CHANNELS.match(line)
            if nested:   # "media sosial: Facebook ..., Instagram ...": channels under one
                inner = [self.channel(part, ("complaints", len(channels), "channels", k))
                         for k, part in enumerate(_channel_parts(nested["rest"]))]
                channels.append({"channel": "social_media", "value": None,
                                 "text": _cut(line), "channels": inner})
                continue
            for part in _channel_parts(line):
                channels.append(self.channel(part, ("complaints", len(channels))))
        if not channels:
            self.note(("complaints",), "missing", "complaints", "complaints_missing")
            channels = [{"channel": "other", "value": None,
                         "text": _word(self.lang, "not_given")}]
        return channels

    def channel(self, part: str, path: Path) -> Data:
        """One published channel: its kind, its value (number, address, handle, URL) and, for
        social media, the platform."""
        label, sep, value = part.partition(":")
        channel, found = _channel(part, label, value.strip() if sep else part)
        if channel == "other":
            self.note(path, "assumption", "complaints", "complaint_other", quote=part)
        entry: Data = {"channel": channel, "value": found}
        platform = _PLATFORM.search(part)
        if channel == "social_media" and platform:
            entry["platform"] = _PLATFORMS[platform.group(0).lower()]
        entry["text"] = _cut(part)
        return entry

    def components(self) -> Data:
        out: Data = {}
        for name in COMPONENT_SECTIONS:
            lines = [line for line in self.r.sections.get(name, []) if line]
            if lines:
                out[name] = {"status": "filled", "text": _cut("\n".join(lines))}
            else:
                out[name] = {"status": "unknown"}
        return out


_NESTED_CHANNELS = re.compile(r"^(?:media\s+sosial|sosial\s+media|medsos|social\s+media)"
                              r"[^:]{0,30}:\s*(?P<rest>.+)$", re.IGNORECASE)
_PLATFORMS = {"facebook": "Facebook", "fb": "Facebook", "instagram": "Instagram",
              "ig": "Instagram", "twitter": "Twitter", "tiktok": "TikTok", "youtube": "YouTube",
              "telegram": "Telegram", "threads": "Threads"}
_PLATFORM = re.compile(r"\b(?:" + "|".join(_PLATFORMS) + r")\b", re.IGNORECASE)
_SHORT_NUMBER = re.compile(r"(?<![\w.])\d{3,}(?![\w.])")


def _channel_parts(line: str) -> list[str]:
    """The channels one published line lists — "Datang langsung; Telepon (0411) 452211;
    Instagram @..." — split at semicolons, then at commas or "atau"/"dan" where every piece
    is a channel of its own (an address "Jl. Anggrek No. 3, Makassar" stays one)."""
    out: list[str] = []
    for piece in (p.strip(" .") for p in line.split(";")):
        if not piece:
            continue
        for splitter in (r"\s*,\s*", r"\s+(?:atau|dan|or|and)\s+"):
            parts = [p.strip(" .") for p in re.split(splitter, piece) if p.strip(" .")]
            if len(parts) >= 2 and all(_channel(p, p.partition(":")[0], p)[0]
                                       not in ("other", "address") for p in parts):
                out.extend(parts)
                break
        else:
            out.append(piece)
    return out


def _channel(line: str, label: str, value: str) -> tuple[str, str | None]:
    lower = line.lower()
    url = _URL.search(line)
    platform = _PLATFORM.search(line)
    if platform and not re.search(r"whats\s*app|\bwa\b", lower):
        handle = line[platform.end():].strip(" :.-")
        return "social_media", handle or (url.group(0) if url else None)
    if re.search(r"whats\s*app|\bwa\b", lower):
        phone = _PHONE.search(value)
        return "whatsapp", phone.group(0).strip() if phone else None
    if re.search(r"\bsms\b", lower):
        phone = _PHONE.search(value)
        return "sms", phone.group(0).strip() if phone else None
    if re.search(r"e-?mail|surel|@", lower):
        email = _EMAIL.search(line)
        return "email", email.group(0) if email else None
    if re.search(r"telep|telp|tlp|phone|hotline|\bhp\b|call\s*cent|command\s*cent|nomor",
                 lower):
        phone = _PHONE.search(value) or _SHORT_NUMBER.search(value)
        return "phone", phone.group(0).strip() if phone else None
    if re.search(r"website|situs|\bweb\b", label.lower()) and url:
        return "web", url.group(0)
    if re.search(r"online|daring|lapor|sp4n|aplikasi|formulir|web|http|www\.", lower):
        return "online", url.group(0) if url else None
    if re.search(r"kotak\s+(?:saran|pengaduan)|suggestion\s+box", lower):
        return "suggestion_box", None
    if re.search(r"\bsurat\b|tertulis|\bletter\b|in\s+writing", lower):
        return "letter", None
    if re.search(r"datang\s+langsung|tatap\s+muka|secara\s+langsung|in\s+person|walk[\s-]in",
                 lower):
        return "in_person", None
    if re.search(r"alamat|address|datang|langsung|kantor|jl\.|jalan|loket", lower):
        return "address", value or None
    phone = _PHONE.fullmatch(value.strip())
    if phone:
        return "phone", phone.group(0)
    return "other", value or None


def _unit(raw: str) -> tuple[float, str, bool]:
    """``(factor, unit, explicit)`` for a unit word of the source."""
    if raw in ("hari kerja",) or raw.startswith(("working day", "business day")):
        return 1, "working_days", True
    if raw == "hari kalender" or raw.startswith("calendar day"):
        return 1, "calendar_days", True
    if raw in ("jam",) or raw.startswith("hour"):
        return 1, "hours", True
    if raw == "menit" or raw.startswith("minute"):
        return 1, "minutes", True   # the source's unit is kept (docs/language.md)
    if raw in ("minggu", "pekan") or raw.startswith("week"):
        return 7, "calendar_days", False
    if raw == "bulan" or raw.startswith("month"):
        return 1, "months", True  # kept as months: calendar arithmetic, never 30 days
    if raw == "tahun" or raw.startswith("year"):
        return 365, "calendar_days", False
    return 1, "working_days", False


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit]


def _strip_marker(line: str) -> str:
    found = _marker(line)
    return found[2].strip() if found is not None and found[2].strip() else line


def _first_words(text: str, n: int = 8) -> str:
    words = text.split()
    return " ".join(words[:n])


def _sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind(". ", 0, pos) + 2, 0) if text.rfind(". ", 0, pos) >= 0 else 0
    end = text.find(". ", pos)
    return text[start: end + 1 if end >= 0 else len(text)].strip()


_LIGHT = {"melakukan", "dapat", "akan", "telah", "sudah", "kemudian", "lalu", "then"}


def _step_id(text: str, actor_phrase: str | None, index: int) -> str:
    """Three content words of the step after its actor; the step's own title words when the
    actor phrase took them all ("langkah_5" says nothing about the step)."""
    rest = text
    if actor_phrase and text.lower().startswith(actor_phrase.lower()):
        rest = text[len(actor_phrase):]
    words: list[str] = []
    for part in (rest, _step_title(text)):
        clause = re.split(r"[.;:(]", part, maxsplit=1)[0]
        words = [w for w in re.findall(r"[^\W\d_]+", clause.lower())
                 if w not in _STOP and w not in _LIGHT]
        if words:
            break
    return slug(" ".join(words[:3]), f"langkah_{index + 1}", max_len=40)


def _noun_phrase(phrase: str, english: bool) -> str:
    """A role's title: the words before the first verb ("Kepala Bidang menyetujui rencana"
    names "Kepala Bidang"); the phrase itself when it starts with one."""
    words = phrase.split()
    for i, word in enumerate(words[1:], start=1):
        if _is_verb(word, english) or word.lower() in _LIGHT:
            return " ".join(words[:i]).rstrip(" ,;:")
    return phrase


def _short_id(title: str, fallback: str) -> str:
    words = [w for w in re.findall(r"[^\W_]+", title) if w.lower() not in _STOP
             and w.lower() not in {"telah", "sudah", "bagi", "yang", "ataupun", "if", "any"}]
    return slug(" ".join(words), fallback, max_words=4, max_len=40)


def _step_title(text: str) -> str:
    clause = re.split(r"[.;:(]|,\s", text, maxsplit=1)[0].strip() or text.strip()
    words = clause.split()
    title = " ".join(words[:9])
    if len(title) > 90:
        title = title[:90].rsplit(" ", 1)[0]
    title = title.strip(" ,-") or text[:90].strip() or "Langkah"
    return title[0].upper() + title[1:]


def _procedure_id(title: str) -> str:
    acronym = re.search(r"\(([A-Za-z]{2,12})\)\s*$", title)
    if acronym:
        return slug(acronym.group(1), "prosedur")
    rest = re.sub(r"^(?:Standar\s+Pelayanan\s+)?(?:Layanan|Pelayanan)\s+", "", title,
                  flags=re.IGNORECASE)
    return slug(rest, "prosedur", max_words=4, max_len=40)


def _branch_label(branch: str, n: int, lang: str) -> str:
    condition = re.split(r",|\s+maka\s+|\s+then\s+|[.;]", branch, maxsplit=1)[0]
    condition = _CONDITION_WORD.sub("", condition.strip()).strip()
    if len(condition) > 80:
        condition = condition[:80].rsplit(" ", 1)[0]
    if not condition:
        return _word(lang, "branch", number=n)
    return condition[0].upper() + condition[1:]


def _consequence(branch: str) -> str:
    _condition, sep, rest = branch.partition(",")
    return re.sub(r"\s+", " ", (rest if sep else branch).strip().lower())


def _question(text: str, branches: list[str], labels: list[str], lang: str) -> str:
    first = text.find(branches[0]) if branches else -1
    before = text[:first] if first > 0 else text
    match = re.search(r"\b(apakah|whether)\b(?P<q>[^.?;]*)", before, re.IGNORECASE)
    if match and match["q"].strip():
        word = "Apakah" if match.group(1).lower() == "apakah" else "Whether"
        return _cut(f"{word} {match['q'].strip()}?")
    rest = [label[0].lower() + label[1:] for label in labels[1:]]
    question = labels[0]
    for label in rest:
        question = _word(lang, "or", first=question, second=label)
    return _cut(question + "?")


# --- emitting YAML with comments -------------------------------------------------------------

# libyaml's loader where installed: the pure-Python one spent most of an import re-reading the
# draft (tens of seconds for a 40 KB text); the dumper stays Python for its indentation
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(yaml.SafeDumper):
    """Indent block sequences under their key, as the hand-written procedures do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if re.fullmatch(r"[\d\s+().:/-]+", value):   # numbers that are text: "1", "0343424614"
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


_SECTIONS = ("roles", "documents", "facts", "requirements", "steps", "time_limit", "cost",
             "components", "retention", "flags")


def _emit(data: Data, notes: Iterable[Note], lang: str, source: str,
         modeline: str = MODELINE) -> str:
    """The YAML text of ``data`` with the modeline, a header, section comments and one
    ``# REVIEW:`` comment per note on (or, for a multi-line value, just above) its line."""
    text = _dump(data)
    lines = text.split("\n")
    root = yaml.compose(text, Loader=_Loader)
    where: dict[Path, tuple[int, int]] = {}
    unsafe: set[int] = set()
    stack: list[tuple[Path, yaml.Node]] = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                where[child] = (key.start_mark.line, key.start_mark.column)
                stack.append((child, value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                child = (*path, i)
                where[child] = (item.start_mark.line, max(item.start_mark.column - 2, 0))
                stack.append((child, item))
        elif isinstance(node, yaml.ScalarNode) and node.end_mark.line > node.start_mark.line:
            unsafe.update(range(node.start_mark.line, node.end_mark.line))
    inline: dict[int, list[str]] = {}
    above: dict[int, list[tuple[int, str]]] = {}
    for note in notes:
        probe = note.path
        while probe and probe not in where:
            probe = probe[:-1]
        line, column = where.get(probe, (0, 0))
        if line in unsafe:
            above.setdefault(line, []).append((column, note.message))
        else:
            inline.setdefault(line, []).append(note.message)
    for key in _SECTIONS:
        if (key,) in where:
            line = where[(key,)][0]
            title = _comment(lang, key)
            above.setdefault(line, []).insert(0, (-1, f"# --- {title} " + "-" * max(
                3, 92 - len(title))))
    out = [modeline, "#", f"# {_comment(lang, 'head1', source=source)}",
           f"# {_comment(lang, 'head2')}", f"# {_comment(lang, 'head3')}", ""]
    for number, content in enumerate(lines):
        for column, message in above.get(number, []):
            if column < 0:
                out.extend(["", message])
            else:
                out.append(" " * column + f"# REVIEW: {message}")
        if number in inline and content.strip():
            content = f"{content}  # REVIEW: {'; '.join(dict.fromkeys(inline[number]))}"
        out.append(content)
    return "\n".join(out).rstrip("\n") + "\n"


def _flags(notes: Iterable[Note]) -> list[Data]:
    ids = _Ids()
    flags: list[Data] = []
    for note in notes:
        head, _dot, tail = note.about.partition(".")
        named = head in ("steps", "roles", "documents") and tail
        tail = tail.removesuffix(".decision")
        base = slug(f"{note.code} {tail}" if named else note.code, "catatan", max_len=56)
        flag: Data = {"id": ids.take(base), "kind": note.kind,
                      "about": note.about}
        if note.quote:
            flag["quote"] = note.quote
        flag["note"] = note.message
        flags.append(flag)
    return flags


# --- fallbacks -------------------------------------------------------------------------------

def _linear(data: Data, lang: str) -> tuple[Data, list[Note]]:
    """The same draft with a straight-line graph and no document links."""
    out = copy.deepcopy(data)
    steps = [s for s in out.get("steps", []) if isinstance(s, dict)]
    ids = _Ids()
    roles = [r for r in out.get("roles", []) if isinstance(r, dict)]
    role_ids = {str(r.get("id")) for r in roles}
    for step in steps:
        step["id"] = ids.take(slug(str(step.get("id", "")), "langkah"))
    for index, step in enumerate(steps):
        for key in ("decision", "next", "end", "requires", "produces", "participants", "when",
                    "deadline", "escalate_to", "refer", "estimate", "joint", "repeat"):
            step.pop(key, None)
        if index + 1 < len(steps):
            step["next"] = steps[index + 1]["id"]
        else:
            step["end"] = "completed"
        actor = slug(str(step.get("actor", "")), "petugas")
        step["actor"] = actor
        if actor not in role_ids:
            roles.append({"id": actor, "title": actor.replace("_", " ").title()})
            role_ids.add(actor)
        for role in roles:
            role["members"] = [m for m in role.get("members", []) if m in role_ids]
            if not role["members"]:
                role.pop("members", None)
    out["steps"] = steps
    out["roles"] = roles
    out.pop("phase_limits", None)   # they name steps the straight line may have renamed
    notes = [Note("fallback_linear", ("steps",), "assumption", "steps",
                  _msg(lang, "fallback_linear"))]
    notes += [Note("actor_inferred", ("steps", i, "actor"), "inference", f"steps.{s['id']}",
                   _msg(lang, "actor_inferred", number=s.get("number", i + 1),
                        actor=s["actor"]))
              for i, s in enumerate(steps) if s.get("actor_inferred")]
    return out, notes


def _skeleton(data: Data, lang: str) -> tuple[Data, list[Note]]:
    """A minimal procedure that keeps the title and the step texts."""
    texts = [str(s.get("text", "")) for s in data.get("steps", []) if isinstance(s, dict)]
    title = str(data.get("title") or "")
    out = _minimal(lang, title, texts)
    return out, [Note("fallback_skeleton", ("steps",), "missing", "steps",
                      _msg(lang, "fallback_skeleton"))]


def _minimal(lang: str, title: str = "", texts: list[str] | None = None) -> Data:
    unknown = _word(lang, "unknown")
    title = _cut(title.strip()) or _word(lang, "untitled")
    texts = [_cut(t.strip()) for t in texts or [] if t.strip()] or \
        [_word(lang, "no_step")]
    steps: list[Data] = []
    for index, text in enumerate(texts):
        step: Data = {"id": f"langkah_{index + 1}", "number": str(index + 1),
                      "title": _word(lang, "step", number=index + 1),
                      "actor": "petugas", "text": text}
        step.update({"next": f"langkah_{index + 2}"} if index + 1 < len(texts)
                    else {"end": "completed"})
        steps.append(step)
    missing = _word(lang, "not_given")
    return {
        "id": "draf", "title": title, "version": "1", "language": lang,
        "agency": {"name": unknown, "region": unknown, "timezone": "Asia/Jakarta"},
        "decree": {"number": None, "date": None, "known": False},
        "source": {"file": None},
        "roles": [{"id": "petugas", "title": _word(lang, "officer")}],
        "steps": steps,
        "time_limit": {"amount": None, "unit": "working_days", "source_text": missing},
        "cost": {"amount": 0, "text": missing},
        "products": [{"text": title}],
        "complaints": [{"channel": "other", "value": None, "text": missing}],
        "components": {name: {"status": "unknown"} for name in COMPONENT_SECTIONS},
    }


# --- the entry point -------------------------------------------------------------------------

def draft_procedure(text: str, *, source_name: str | None = None, proc_id: str | None = None,
                    lang: str = "en", modeline: str = MODELINE) -> Draft:
    """Draft a procedure from the plain text of a published SP. Never raises on any text; the
    returned YAML always validates (warnings allowed).

    ``source_name`` goes to ``source.file``; ``proc_id`` overrides the id derived from the title;
    ``lang`` ('en' or 'id') is the language of the review notes; ``modeline`` is the first line.
    """
    lang = lang if lang in LANGS else "en"
    modeline = _one_line(modeline.split("\n", 1)[0])
    if not modeline.startswith("#"):
        modeline = MODELINE
    label = _one_line(source_name or _word(lang, "source"))
    wanted_id = slug(proc_id, "prosedur", max_len=64) if proc_id else None
    attempts: list[Callable[[], tuple[Data, list[Note]]]] = []
    built: dict[str, tuple[Data, list[Note]]] = {}

    def full() -> tuple[Data, list[Note]]:
        builder = _Builder(_read(text), lang, source_name, wanted_id)
        built["full"] = (builder.build(), builder.notes)
        return built["full"]

    def linear() -> tuple[Data, list[Note]]:
        data, notes = built.get("full") or full()
        flat, extra = _linear(data, lang)
        kept = [n for n in notes if n.kind != "inference" or not n.about.startswith("steps.")
                or "decision" in n.about]
        return flat, kept + extra

    def skeleton() -> tuple[Data, list[Note]]:
        data, _notes = built.get("full") or ({}, [])
        return _skeleton(data, lang)

    attempts = [full, linear, skeleton]
    for level, attempt in enumerate(attempts):
        try:
            data, notes = attempt()
            if wanted_id:
                data["id"] = wanted_id
            result = _finish(data, notes, lang, label, level, modeline)
        except (yaml.YAMLError, RecursionError):
            # text the emitted YAML cannot hold, or nesting past Python's depth: a simpler
            # draft can still be made. Any other exception is a bug and is raised, not hidden
            # behind a simpler draft
            continue
        if result is not None:
            return result
    data = _minimal(lang)
    if wanted_id:
        data["id"] = wanted_id
    notes = [Note("fallback_minimal", ("steps",), "missing", "steps",
                  _msg(lang, "fallback_minimal"))]
    result = _finish(data, notes, lang, label, 3, modeline)
    if result is None:  # pragma: no cover - the minimal procedure is tested to validate
        raise RuntimeError("the minimal draft does not validate")
    return result


def _finish(data: Data, notes: list[Note], lang: str, label: str, level: int,
            modeline: str = MODELINE) -> Draft | None:
    data = dict(data)
    data.pop("flags", None)
    steps = {str(s.get("id")) for s in data.get("steps", []) if isinstance(s, dict)}
    kept = [n for n in notes if not n.about.startswith("steps.")
            or n.about.split(".")[1] in steps]
    if kept:
        data["flags"] = _flags(kept)
    text = _emit(data, kept, lang, label, modeline)
    reread = read_text(text, "<draft>", lang)  # the one reader: a duplicate key is not data
    if not reread.ok or reread.data != data:  # the comments must never change the data
        text = modeline + "\n" + _dump(data)
    checked = check_bytes(text.encode("utf-8"), "<draft>", lang)
    if checked.errors:
        return None
    return Draft(text, str(data["id"]), tuple(kept), checked.diagnostics, level)
