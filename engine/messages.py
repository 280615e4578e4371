"""Message catalogue: every user-facing message in English (``en``) and Indonesian (``id``).

Each entry maps a stable code to ``(message, hint)`` templates per language; templates use
``{name}`` fields filled from the caller's parameters. A missing field renders as ``?`` rather than
raising, so a message can never crash the program that reports a problem.
The language is chosen by ``--lang`` or ``ALUR_LANG`` (default ``en``).
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping

__all__ = ["CATALOGUE", "LANGS", "PHRASES", "default_lang", "render", "text"]

LANGS = ("en", "id")

_Entry = dict[str, tuple[str, str]]

_URL_HINT_EN = ("use sqlite:///relative/path.db or sqlite:////absolute/path.db (optionally "
                "?synchronous=NORMAL), memory://, or postgresql://user@host:5432/dbname "
                "(optionally ?schema=name)")
_URL_HINT_ID = ("gunakan sqlite:///jalur/relatif.db atau sqlite:////jalur/absolut.db (boleh "
                "dengan ?synchronous=NORMAL), memory://, atau postgresql://user@host:5432/namadb "
                "(boleh dengan ?schema=nama)")
_PG_HINT_EN = ("check that the server is running and that host, port, user, password and "
               "database in the URL are right")
_PG_HINT_ID = ("periksa bahwa server berjalan dan host, port, user, kata sandi serta nama basis "
               "data di URL sudah benar")

CATALOGUE: dict[str, _Entry] = {
    # --- Y: reading the YAML text -------------------------------------------------------------
    "Y001": {
        "en": ("YAML syntax error: {problem}",
               "Check indentation (spaces only, no tabs) and that every ':' and '-' is followed "
               "by a space."),
        "id": ("Kesalahan sintaks YAML: {problem}",
               "Periksa indentasi (hanya spasi, tanpa tab) dan pastikan setiap ':' dan '-' "
               "diikuti spasi."),
    },
    "Y002": {
        "en": ("duplicate key '{key}' (first at line {first_line})",
               "Remove or rename one of the two; YAML would silently keep only the last."),
        "id": ("kunci '{key}' ganda (pertama di baris {first_line})",
               "Hapus atau ganti nama salah satunya; YAML diam-diam hanya menyimpan yang "
               "terakhir."),
    },
    "Y003": {
        "en": ("nesting deeper than {limit} levels", "Flatten the structure."),
        "id": ("susunan bertingkat lebih dari {limit} tingkat", "Sederhanakan strukturnya."),
    },
    "Y004": {
        "en": ("aliases expand to more than {limit} nodes (possible 'billion laughs' attack)",
               "Write the values out instead of nesting aliases (*name)."),
        "id": ("alias berkembang menjadi lebih dari {limit} simpul (kemungkinan serangan "
               "'billion laughs')",
               "Tulis nilainya langsung, jangan bersarang alias (*nama)."),
    },
    "Y005": {
        "en": ("file is {size} bytes, larger than the limit of {limit} bytes",
               "A procedure is a few kilobytes; split or check you opened the right file."),
        "id": ("berkas berukuran {size} bita, melebihi batas {limit} bita",
               "Prosedur biasanya beberapa kilobita; periksa apakah berkasnya benar."),
    },
    "Y006": {
        "en": ("file is not valid UTF-8: {problem}",
               "Save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)."),
        "id": ("berkas bukan UTF-8 yang sah: {problem}",
               "Simpan berkas dengan pengodean UTF-8."),
    },
    "Y007": {
        "en": ("tag '{tag}' is not allowed", "Remove the tag; procedures hold plain data only."),
        "id": ("tag '{tag}' tidak diizinkan",
               "Hapus tag tersebut; prosedur hanya berisi data biasa."),
    },
    "Y008": {
        "en": ("the file must hold one mapping (key: value) at the top, found {found}",
               "Start the file with 'id:', 'title:' and the other procedure keys."),
        "id": ("berkas harus berisi satu pemetaan (kunci: nilai) di tingkat atas, ditemukan "
               "{found}",
               "Awali berkas dengan 'id:', 'title:' dan kunci prosedur lainnya."),
    },
    "Y009": {
        "en": ("cannot read file: {problem}", "Check the path and the file permissions."),
        "id": ("berkas tidak dapat dibaca: {problem}", "Periksa jalur dan izin berkas."),
    },
    "Y010": {
        "en": ("the file holds more than one YAML document",
               "Keep one procedure per file; remove the extra '---'."),
        "id": ("berkas berisi lebih dari satu dokumen YAML",
               "Satu prosedur per berkas; hapus '---' tambahan."),
    },
    "Y011": {
        "en": ("mapping keys must be plain text, found {found}", "Write the key as a word."),
        "id": ("kunci pemetaan harus berupa teks, ditemukan {found}", "Tulis kunci sebagai kata."),
    },
    # --- S: shape (JSON Schema) ------------------------------------------------------------------
    "S001": {
        "en": ("unknown key '{key}'{suggestion}",
               "Use one of: {allowed}."),
        "id": ("kunci '{key}' tidak dikenal{suggestion}",
               "Gunakan salah satu dari: {allowed}."),
    },
    "S002": {
        "en": ("missing required key '{key}'", "Add '{key}:' here."),
        "id": ("kunci wajib '{key}' tidak ada", "Tambahkan '{key}:' di sini."),
    },
    "S003": {
        "en": ("expected {expected}, found {found}", "Change the value to {expected}."),
        "id": ("seharusnya {expected}, ditemukan {found}", "Ubah nilainya menjadi {expected}."),
    },
    "S004": {
        "en": ("'{value}' is not one of the allowed values", "Use one of: {allowed}."),
        "id": ("'{value}' bukan salah satu nilai yang diizinkan",
               "Gunakan salah satu dari: {allowed}."),
    },
    "S005": {
        "en": ("invalid value: {problem}", "See docs/language.md for this key."),
        "id": ("nilai tidak sah: {problem}", "Lihat docs/language.md untuk kunci ini."),
    },
    "S006": {
        "en": ("'{value}' is not a valid id", "Use lower-case letters, digits and '_', starting "
               "with a letter (e.g. pendamping_ppa)."),
        "id": ("'{value}' bukan id yang sah", "Gunakan huruf kecil, angka dan '_', diawali "
               "huruf (mis. pendamping_ppa)."),
    },
    "S007": {
        "en": ("needs at least {limit} item(s) or character(s)", "Add the missing entries."),
        "id": ("membutuhkan paling sedikit {limit} butir atau karakter",
               "Tambahkan isian yang kurang."),
    },
    "S008": {
        "en": ("{value} is out of range ({bound})", "Use a value within the range."),
        "id": ("{value} di luar rentang ({bound})", "Gunakan nilai di dalam rentang."),
    },
    "S009": {
        "en": ("too long: at most {limit} characters or items", "Shorten it."),
        "id": ("terlalu panjang: paling banyak {limit} karakter atau butir", "Persingkat."),
    },
    # --- R: types and references -----------------------------------------------------------------
    "R001": {
        "en": ("unknown role '{name}'{suggestion}", "Declare it under 'roles:' or use one of: "
               "{known}."),
        "id": ("peran '{name}' tidak dikenal{suggestion}",
               "Deklarasikan di bawah 'roles:' atau gunakan salah satu dari: {known}."),
    },
    "R002": {
        "en": ("unknown document '{name}'{suggestion}",
               "Declare it under 'documents:' or use one of: {known}."),
        "id": ("dokumen '{name}' tidak dikenal{suggestion}",
               "Deklarasikan di bawah 'documents:' atau gunakan salah satu dari: {known}."),
    },
    "R003": {
        "en": ("unknown step '{name}'{suggestion}", "Use the id of a step: {known}."),
        "id": ("langkah '{name}' tidak dikenal{suggestion}",
               "Gunakan id sebuah langkah: {known}."),
    },
    "R004": {
        "en": ("unknown fact '{name}'{suggestion}",
               "Declare it under 'facts:' or use one of: {known}."),
        "id": ("fakta '{name}' tidak dikenal{suggestion}",
               "Deklarasikan di bawah 'facts:' atau gunakan salah satu dari: {known}."),
    },
    "R005": {
        "en": ("duplicate {kind} id '{name}' (first at line {first_line})",
               "Give each {kind} its own id."),
        "id": ("id {kind} '{name}' ganda (pertama di baris {first_line})",
               "Beri setiap {kind} id tersendiri."),
    },
    "R006": {
        "en": ("condition is not a valid expression: {problem}",
               "Write conditions like: victim_is_child and not has_guardian"),
        "id": ("kondisi bukan ekspresi yang sah: {problem}",
               "Tulis kondisi seperti: victim_is_child and not has_guardian"),
    },
    "R007": {
        "en": ("condition uses a construct that is not allowed: {construct}",
               "Only fact names, literals, comparisons, 'and', 'or', 'not', 'in' and arithmetic "
               "are allowed."),
        "id": ("kondisi memakai konstruksi yang tidak diizinkan: {construct}",
               "Hanya nama fakta, literal, perbandingan, 'and', 'or', 'not', 'in' dan aritmetika "
               "yang diizinkan."),
    },
    "R008": {
        "en": ("invalid value: {problem}", "See docs/language.md for this key."),
        "id": ("nilai tidak sah: {problem}", "Lihat docs/language.md untuk kunci ini."),
    },
    "R009": {
        "en": ("a step must say what comes next: exactly one of 'next', 'decision' or 'end'",
               "Add 'next: <step id>', a 'decision:' with outcomes, or 'end: completed'."),
        "id": ("langkah harus menyebut kelanjutannya: tepat satu dari 'next', 'decision' atau "
               "'end'",
               "Tambahkan 'next: <id langkah>', 'decision:' dengan hasil, atau 'end: completed'."),
    },
    "R010": {
        "en": ("an outcome must lead somewhere: exactly one of 'next' or 'end'",
               "Add 'next: <step id>' or 'end: completed|terminated|referred|rejected'."),
        "id": ("hasil keputusan harus menuju ke suatu tempat: tepat satu dari 'next' atau 'end'",
               "Tambahkan 'next: <id langkah>' atau "
               "'end: completed|terminated|referred|rejected'."),
    },
    "R011": {
        "en": ("'required_if' presence needs a 'condition'",
               "Add 'condition: <expression over facts>' or use presence 'required'."),
        "id": ("kehadiran 'required_if' membutuhkan 'condition'",
               "Tambahkan 'condition: <ekspresi atas fakta>' atau gunakan 'required'."),
    },
    "R012": {
        "en": ("team '{name}' contains itself", "Remove the cycle from 'members'."),
        "id": ("tim '{name}' memuat dirinya sendiri", "Hapus siklus dari 'members'."),
    },
    "R013": {
        "en": ("step '{name}' names its actor by inference but no flag explains it",
               "Add a flag of kind 'inference' whose 'about' is 'steps.{name}'."),
        "id": ("aktor langkah '{name}' hasil penyimpulan tetapi tidak ada catatan (flag) yang "
               "menjelaskannya",
               "Tambahkan flag berjenis 'inference' dengan 'about' 'steps.{name}'."),
    },
    "R014": {
        "en": ("fact '{name}' of type enum needs 'values'", "List the allowed values."),
        "id": ("fakta '{name}' bertipe enum membutuhkan 'values'", "Sebutkan nilai yang boleh."),
    },
    # --- G: graph --------------------------------------------------------------------------------
    "G001": {
        "en": ("no entry step: every step is reached from another one",
               "Make sure the first step is not the target of any 'next'."),
        "id": ("tidak ada langkah awal: setiap langkah dicapai dari langkah lain",
               "Pastikan langkah pertama tidak menjadi tujuan 'next' mana pun."),
    },
    "G002": {
        "en": ("several entry steps: {names}",
               "Only the first step may have no predecessor; link the others with 'next'."),
        "id": ("beberapa langkah awal: {names}",
               "Hanya langkah pertama yang boleh tanpa pendahulu; hubungkan lainnya dengan "
               "'next'."),
    },
    "G003": {
        "en": ("step '{name}' cannot be reached from the entry step '{entry}'",
               "Point a 'next' or a decision outcome at it, or remove it."),
        "id": ("langkah '{name}' tidak dapat dicapai dari langkah awal '{entry}'",
               "Arahkan 'next' atau hasil keputusan ke langkah ini, atau hapus."),
    },
    "G004": {
        "en": ("step '{name}' leads nowhere", "Add 'next', 'decision' or 'end' to it."),
        "id": ("langkah '{name}' tidak menuju ke mana pun",
               "Tambahkan 'next', 'decision' atau 'end'."),
    },
    "G005": {
        "en": ("steps {names} form a loop with no way out",
               "Give one of them a decision outcome that leaves the loop or ends the case."),
        "id": ("langkah {names} membentuk putaran tanpa jalan keluar",
               "Beri salah satunya hasil keputusan yang keluar dari putaran atau mengakhiri "
               "kasus."),
    },
    "G006": {
        "en": ("decision of step '{name}' does not cover every case: no outcome applies when "
               "{example}",
               "Add an outcome with 'otherwise: true' or widen the conditions."),
        "id": ("keputusan langkah '{name}' tidak mencakup semua kemungkinan: tidak ada hasil "
               "yang berlaku bila {example}",
               "Tambahkan hasil dengan 'otherwise: true' atau perluas kondisinya."),
    },
    "G007": {
        "en": ("step deadlines along the longest path add up to {total} days, more than the "
               "overall time limit of {limit}",
               "Shorten step deadlines or check the time limit."),
        "id": ("batas waktu langkah di jalur terpanjang berjumlah {total} hari, melebihi "
               "jangka waktu keseluruhan {limit}",
               "Perpendek batas waktu langkah atau periksa jangka waktunya."),
    },
    "G008": {
        "en": ("decision of step '{name}' has conditions on some outcomes only; the others are "
               "chosen by hand",
               "Give every outcome a 'when' (and one 'otherwise: true'), or none."),
        "id": ("keputusan langkah '{name}' hanya memberi kondisi pada sebagian hasil",
               "Beri setiap hasil 'when' (dan satu 'otherwise: true'), atau tidak sama sekali."),
    },
    # --- runtime: refusals of commands (rule ids) -----------------------------------------------
    "guard.closed": {
        "en": ("case {case} is already closed ({status})",
               "Closed cases accept no more commands; open a new case if needed."),
        "id": ("kasus {case} sudah ditutup ({status})",
               "Kasus yang ditutup tidak menerima perintah lagi; buka kasus baru bila perlu."),
    },
    "guard.not_current": {
        "en": ("step '{step}' is not the current step of case {case} (current: {current})",
               "Complete '{current}' first, or check the step id with 'alur case show {case}'."),
        "id": ("langkah '{step}' bukan langkah saat ini pada kasus {case} (saat ini: {current})",
               "Selesaikan '{current}' dahulu, atau periksa id langkah dengan "
               "'alur case show {case}'."),
    },
    "guard.unknown_step": {
        "en": ("procedure {procedure} has no step '{step}'{suggestion}",
               "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki langkah '{step}'{suggestion}",
               "Gunakan salah satu dari: {known}."),
    },
    "guard.role": {
        "en": ("role '{role}' may not perform step '{step}'; it is done by '{actor}'",
               "Act as '{actor}' (--role {actor}) with a user who holds that role."),
        "id": ("peran '{role}' tidak boleh melakukan langkah '{step}'; langkah ini dilakukan "
               "oleh '{actor}'",
               "Bertindak sebagai '{actor}' (--role {actor}) dengan pengguna yang memegang "
               "peran itu."),
    },
    "guard.unknown_role": {
        "en": ("procedure {procedure} has no role '{role}'{suggestion}", "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki peran '{role}'{suggestion}",
               "Gunakan salah satu dari: {known}."),
    },
    "guard.roster": {
        "en": ("user '{user}' does not hold role '{role}' in the roster",
               "Add the role to the user in the roster file, or act as another user."),
        "id": ("pengguna '{user}' tidak memegang peran '{role}' dalam daftar petugas",
               "Tambahkan peran itu pada pengguna di berkas roster, atau gunakan pengguna lain."),
    },
    "guard.documents": {
        "en": ("step '{step}' needs document(s) not yet attached: {missing}",
               "Attach them first: alur case attach {case} <document>=<file>, or with "
               "--doc <document>=<file>."),
        "id": ("langkah '{step}' membutuhkan dokumen yang belum dilampirkan: {missing}",
               "Lampirkan dahulu: alur case attach {case} <dokumen>=<berkas>, atau dengan "
               "--doc <dokumen>=<berkas>."),
    },
    "guard.condition": {
        "en": ("the condition of step '{step}' does not hold: {condition}",
               "Check the case facts (alur case show {case}); set them with --fact."),
        "id": ("kondisi langkah '{step}' tidak terpenuhi: {condition}",
               "Periksa fakta kasus (alur case show {case}); atur dengan --fact."),
    },
    "guard.participants": {
        "en": ("step '{step}' needs participant(s) who are not recorded: {missing}",
               "Record them first: alur case participant {case} <role>=<name>."),
        "id": ("langkah '{step}' membutuhkan peserta yang belum dicatat: {missing}",
               "Catat dahulu: alur case participant {case} <peran>=<nama>."),
    },
    "guard.outcome_missing": {
        "en": ("step '{step}' is a decision: choose an outcome",
               "Add --outcome with one of: {known}."),
        "id": ("langkah '{step}' adalah keputusan: pilih hasilnya",
               "Tambahkan --outcome dengan salah satu dari: {known}."),
    },
    "guard.outcome_unknown": {
        "en": ("step '{step}' has no outcome '{outcome}'{suggestion}", "Use one of: {known}."),
        "id": ("langkah '{step}' tidak memiliki hasil '{outcome}'{suggestion}",
               "Gunakan salah satu dari: {known}."),
    },
    "guard.outcome_condition": {
        "en": ("outcome '{outcome}' does not apply: {condition}",
               "Choose another outcome or correct the case facts."),
        "id": ("hasil '{outcome}' tidak berlaku: {condition}",
               "Pilih hasil lain atau perbaiki fakta kasus."),
    },
    "guard.outcome_not_decision": {
        "en": ("step '{step}' is not a decision; it takes no --outcome",
               "Leave out --outcome."),
        "id": ("langkah '{step}' bukan keputusan; tidak memerlukan --outcome",
               "Hilangkan --outcome."),
    },
    "guard.fact_unset": {
        "en": ("fact '{fact}' is needed but not set on case {case}",
               "Set it: --fact {fact}=<value>."),
        "id": ("fakta '{fact}' diperlukan tetapi belum diisi pada kasus {case}",
               "Isi dengan: --fact {fact}=<nilai>."),
    },
    "guard.extension": {
        "en": ("the time limit of procedure {procedure} cannot be extended",
               "Only procedures whose time limit says 'extendable: true' allow it."),
        "id": ("jangka waktu prosedur {procedure} tidak dapat diperpanjang",
               "Hanya prosedur dengan 'extendable: true' yang mengizinkannya."),
    },
    "guard.extension_limit": {
        "en": ("the extension goes beyond the maximum of {limit}",
               "Ask for a shorter extension."),
        "id": ("perpanjangan melebihi batas {limit}", "Minta perpanjangan yang lebih pendek."),
    },
    "guard.reason": {
        "en": ("a reason is required", "Give one with --reason."),
        "id": ("alasan wajib diisi", "Isi dengan --reason."),
    },
    "guard.out_of_order": {
        "en": ("the command is dated {at}, before the last event of case {case} ({last})",
               "Give the time it really happened (--at), not earlier than the case's history."),
        "id": ("perintah bertanggal {at}, sebelum peristiwa terakhir kasus {case} ({last})",
               "Isi waktu sebenarnya (--at), tidak lebih awal dari riwayat kasus."),
    },
    "guard.consent": {
        "en": ("the referral of case {case} to {procedure} needs consent: '{consent}' is not "
               "recorded",
               "Record the consent first (set the fact to true or attach the document)."),
        "id": ("rujukan kasus {case} ke {procedure} membutuhkan persetujuan: '{consent}' belum "
               "dicatat",
               "Catat persetujuannya dahulu (isi fakta dengan true atau lampirkan dokumennya)."),
    },
    "guard.referral_open": {
        "en": ("case {case} waits for the referred case {linked}, which is still {status}",
               "Continue when the referred case is closed (alur case show {linked})."),
        "id": ("kasus {case} menunggu kasus rujukan {linked} yang masih {status}",
               "Lanjutkan setelah kasus rujukan ditutup (alur case show {linked})."),
    },
    "guard.exists": {
        "en": ("case {case} already exists", "Choose another case id or leave it out."),
        "id": ("kasus {case} sudah ada", "Pilih id kasus lain atau kosongkan."),
    },
    "guard.required_facts": {
        "en": ("fact(s) required when opening a case: {missing}",
               "Give them with --fact name=value."),
        "id": ("fakta wajib saat membuka kasus: {missing}", "Isi dengan --fact nama=nilai."),
    },
    "guard.staff": {
        "en": ("role '{role}' is not staff of the agency and may not {action}",
               "Use a staff role."),
        "id": ("peran '{role}' bukan petugas dan tidak boleh {action}",
               "Gunakan peran petugas."),
    },
    "input.fact_unknown": {
        "en": ("procedure {procedure} has no fact '{fact}'{suggestion}", "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki fakta '{fact}'{suggestion}",
               "Gunakan salah satu dari: {known}."),
    },
    "input.fact_type": {
        "en": ("fact '{fact}' must be {expected}, got {value!r}", "Give {expected}."),
        "id": ("fakta '{fact}' harus berupa {expected}, diberikan {value!r}",
               "Berikan {expected}."),
    },
    "input.document_unknown": {
        "en": ("procedure {procedure} has no document '{document}'{suggestion}",
               "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki dokumen '{document}'{suggestion}",
               "Gunakan salah satu dari: {known}."),
    },
    "input.too_large": {
        "en": ("{what} is {size} bytes, more than the limit of {limit}",
               "Store a reference instead, or reduce it."),
        "id": ("{what} berukuran {size} bita, melebihi batas {limit}",
               "Simpan rujukan saja, atau perkecil."),
    },
    # --- CLI text output (json output keeps machine values) ----------------------------
    "cli.opened": {
        "en": ('opened by {user} ({role})', ""),
        "id": ('dibuka oleh {user} ({role})', ""),
    },
    "cli.clock": {
        "en": ('clock started; due {due}', ""),
        "id": ('jangka waktu mulai berjalan; batas {due}', ""),
    },
    "cli.no_limit": {
        "en": ('(no limit)', ""),
        "id": ('(tanpa batas)', ""),
    },
    "cli.breached": {
        "en": ('! deadline of {target} ({due}) breached; escalated to {role}', ""),
        "id": ('! batas waktu {target} ({due}) terlampaui; dieskalasi ke {role}', ""),
    },
    "cli.closed": {
        "en": ('closed: {outcome}', ""),
        "id": ('ditutup: {outcome}', ""),
    },
    "cli.fact_set": {
        "en": ('fact {name} set', ""),
        "id": ('fakta {name} diisi', ""),
    },
    "cli.document": {
        "en": ('document {document} attached ({size} bytes)', ""),
        "id": ('dokumen {document} dilampirkan ({size} bita)', ""),
    },
    "cli.participant": {
        "en": ('participant {role} recorded', ""),
        "id": ('peserta {role} dicatat', ""),
    },
    "cli.extended": {
        "en": ('deadline of {target} extended to {due}', ""),
        "id": ('batas waktu {target} diperpanjang sampai {due}', ""),
    },
    "cli.referred": {
        "en": ('referred to {procedure} as case {case}', ""),
        "id": ('dirujuk ke {procedure} sebagai kasus {case}', ""),
    },
    "cli.anonymised": {
        "en": ('anonymised ({count} value(s) erased)', ""),
        "id": ('dianonimkan ({count} nilai dihapus)', ""),
    },
    "cli.status.none": {
        "en": ('no time limit running', ""),
        "id": ('jangka waktu belum berjalan', ""),
    },
    "cli.status.nofixed": {
        "en": ('no fixed limit', ""),
        "id": ('tanpa batas tetap', ""),
    },
    "cli.status.breached": {
        "en": ('time limit BREACHED (due {due})', ""),
        "id": ('jangka waktu TERLAMPAUI (batas {due})', ""),
    },
    "cli.status.within": {
        "en": ('within the time limit (due {due})', ""),
        "id": ('dalam jangka waktu (batas {due})', ""),
    },
    "cli.status.within_ext": {
        "en": ('within the extended time limit (due {due})', ""),
        "id": ('dalam jangka waktu yang diperpanjang (batas {due})', ""),
    },
    "cli.status.running": {
        "en": ('running, due {due}', ""),
        "id": ('berjalan, batas {due}', ""),
    },
    "cli.status.running_ext": {
        "en": ('running, due {due} (extended)', ""),
        "id": ('berjalan, batas {due} (diperpanjang)', ""),
    },
    "cli.valid": {
        "en": ('{file}: valid ({errors} error(s), {warnings} warning(s))', ""),
        "id": ('{file}: sah ({errors} galat, {warnings} peringatan)', ""),
    },
    "cli.invalid": {
        "en": ('{file}: invalid ({errors} error(s), {warnings} warning(s))', ""),
        "id": ('{file}: tidak sah ({errors} galat, {warnings} peringatan)', ""),
    },
    "cli.no_roster": {
        "en": ("note: no roster configured: roles are taken as claimed "
               "(use --roster FILE or $ALUR_ROSTER)", ""),
        "id": ("catatan: roster tidak diatur: peran diterima seperti yang diakui "
               "(pakai --roster BERKAS atau $ALUR_ROSTER)", ""),
    },
    "cli.error": {
        "en": ('error: {message}', ""),
        "id": ('galat: {message}', ""),
    },
    "cli.rule": {
        "en": ('  rule: {rule}', ""),
        "id": ('  aturan: {rule}', ""),
    },
    "cli.hint": {
        "en": ('  hint: {hint}', ""),
        "id": ('  petunjuk: {hint}', ""),
    },
    "cli.at_step": {
        "en": (', at step {step}', ""),
        "id": (', pada langkah {step}', ""),
    },
    "cli.due": {
        "en": (', due {due}', ""),
        "id": (', batas {due}', ""),
    },
    "cli.target.case": {
        "en": ('case', ""),
        "id": ('kasus', ""),
    },
    "cli.target.step": {
        "en": ('step {step}', ""),
        "id": ('langkah {step}', ""),
    },
    "cli.show.current": {
        "en": ('  current step: {step}', ""),
        "id": ('  langkah saat ini: {step}', ""),
    },
    "cli.show.step_due": {
        "en": (' (due {due})', ""),
        "id": (' (batas {due})', ""),
    },
    "cli.show.deadline": {
        "en": ('  deadline: {status}', ""),
        "id": ('  batas waktu: {status}', ""),
    },
    "cli.show.facts": {
        "en": ('  facts: {facts}', ""),
        "id": ('  fakta: {facts}', ""),
    },
    "cli.show.documents": {
        "en": ('  documents: {documents}', ""),
        "id": ('  dokumen: {documents}', ""),
    },
    "cli.none": {
        "en": ('none', ""),
        "id": ('tidak ada', ""),
    },
    "cli.show.linked": {
        "en": ('  linked: {direction} {procedure} {case}', ""),
        "id": ('  tertaut: {direction} {procedure} {case}', ""),
    },
    "cli.show.timeline": {
        "en": ('  timeline:', ""),
        "id": ('  linimasa:', ""),
    },
    "cli.cases": {
        "en": ('{count} case(s)', ""),
        "id": ('{count} kasus', ""),
    },
    "cli.step_started": {
        "en": ('now at step {number} {title} ({role})', ""),
        "id": ('sekarang di langkah {number} {title} ({role})', ""),
    },
    "cli.run.skipped": {
        "en": ('  already in the store: not run again (--skip-existing)', ""),
        "id": ('  sudah ada di penyimpanan: tidak dijalankan lagi (--skip-existing)', ""),
    },
    "cli.run.exists_hint": {
        "en": ('  the case was run before on this store: add --skip-existing to report it '
               'instead', ""),
        "id": ('  kasus ini sudah dijalankan pada penyimpanan ini: tambahkan --skip-existing '
               'untuk melaporkannya saja', ""),
    },
    "cli.produced_outside": {
        "en": ('(produced outside alur: no file)', ""),
        "id": ('(dibuat di luar alur: tanpa berkas)', ""),
    },
    "cli.outside": {
        "en": ('produced outside alur (no file attached): {documents}', ""),
        "id": ('dibuat di luar alur (tanpa berkas terlampir): {documents}', ""),
    },
    "cli.template_marker": {
        "en": ("{file}:{line}: error: template placeholder {marker} left from 'alur new': "
               "replace it with the published SP's text", ""),
        "id": ("{file}:{line}: galat: penanda templat {marker} dari 'alur new' masih ada: "
               "ganti dengan teks SP yang dipublikasikan", ""),
    },
    "cli.list.header": {
        "en": ('CASE|PROCEDURE|STATUS|STEP|ROLE (USER)|DUE', ""),
        "id": ('KASUS|PROSEDUR|STATUS|LANGKAH|PERAN (PENGGUNA)|BATAS WAKTU', ""),
    },
    "cli.list.clock_waits": {
        "en": ('[clock not running: waits for {what}]', ""),
        "id": ('[waktu belum berjalan: menunggu {what}]', ""),
    },
    "cli.list.escalated": {
        "en": ('[escalated to {roles}]', ""),
        "id": ('[dieskalasi ke {roles}]', ""),
    },
    "cli.list.next": {
        "en": ('more: --after {cursor}', ""),
        "id": ('berikutnya: --after {cursor}', ""),
    },
    "cli.due.header": {
        "en": ('CASE|PROCEDURE|STATE|DEADLINE OF|ROLE|DUE', ""),
        "id": ('KASUS|PROSEDUR|KEADAAN|BATAS UNTUK|PERAN|BATAS WAKTU', ""),
    },
    "err.cursor": {
        "en": ("'{cursor}' is not a listing cursor",
               "pass the cursor printed after 'more: --after' (or the \"next\" of --format json)"),
        "id": ("'{cursor}' bukan kursor daftar",
               "berikan kursor yang dicetak setelah 'berikutnya: --after' "
               "(atau \"next\" dari --format json)"),
    },
    "cli.due.breached": {
        "en": ('BREACHED', ""),
        "id": ('TERLAMPAUI', ""),
    },
    "cli.due.due": {
        "en": ('due', ""),
        "id": ('batas', ""),
    },
    "cli.due.footer": {
        "en": ('{breaches} breach(es), {escalated} newly escalated', ""),
        "id": ('{breaches} pelampauan, {escalated} baru dieskalasi', ""),
    },
    "cli.run.not_opened": {
        "en": ('(not opened)', ""),
        "id": ('(tidak dibuka)', ""),
    },
    "cli.run.title": {
        "en": ('{case}  ({file}, case {number})', ""),
        "id": ('{case}  ({file}, kasus {number})', ""),
    },
    "cli.run.outcome": {
        "en": ('  outcome: {status}   path: {path}', ""),
        "id": ('  hasil: {status}   jalur: {path}', ""),
    },
    "cli.run.opening": {
        "en": ('opening', ""),
        "id": ('pembukaan', ""),
    },
    "cli.run.action": {
        "en": ('action {number}', ""),
        "id": ('tindakan {number}', ""),
    },
    "cli.run.refused": {
        "en": ('  REFUSED at {where} [{rule}]: {message}', ""),
        "id": ('  DITOLAK pada {where} [{rule}]: {message}', ""),
    },
    "cli.run.hint": {
        "en": ('    hint: {hint}', ""),
        "id": ('    petunjuk: {hint}', ""),
    },
    "cli.run.unexpected": {
        "en": ('  NOT AS EXPECTED (expected {expected})', ""),
        "id": ('  TIDAK SESUAI HARAPAN (diharapkan {expected})', ""),
    },
    "cli.proc.agency": {
        "en": ('  agency:  {agency}', ""),
        "id": ('  instansi:  {agency}', ""),
    },
    "cli.proc.decree": {
        "en": ('  decree:  {decree}', ""),
        "id": ('  SK:  {decree}', ""),
    },
    "cli.proc.no_decree": {
        "en": ('(unknown: the source gives no SK number)', ""),
        "id": ('(tidak diketahui: sumber tidak mencantumkan nomor SK)', ""),
    },
    "cli.proc.no_amount": {
        "en": ('(not given by the source)', ""),
        "id": ('(tidak dicantumkan sumber)', ""),
    },
    "cli.proc.limit": {
        "en": ('  time limit: {amount} {unit} from {starts}', ""),
        "id": ('  jangka waktu: {amount} {unit} sejak {starts}', ""),
    },
    "cli.proc.situational": {
        "en": ('  (situational)', ""),
        "id": ('  (situasional)', ""),
    },
    "cli.proc.cost": {
        "en": ('  cost:    {cost}', ""),
        "id": ('  biaya:   {cost}', ""),
    },
    "cli.proc.steps": {
        "en": ('  steps:', ""),
        "id": ('  langkah:', ""),
    },
    "cli.proc.inferred": {
        "en": (' (inferred)', ""),
        "id": (' (disimpulkan)', ""),
    },
    "cli.proc.requires": {
        "en": ('          requires: {items}', ""),
        "id": ('          memerlukan: {items}', ""),
    },
    "cli.proc.produces": {
        "en": ('          produces: {items}', ""),
        "id": ('          menghasilkan: {items}', ""),
    },
    "cli.proc.deadline": {
        "en": ('          deadline: {deadline}', ""),
        "id": ('          batas waktu: {deadline}', ""),
    },
    "cli.proc.end": {
        "en": ('end: {end}', ""),
        "id": ('selesai: {end}', ""),
    },
    "cli.proc.roles": {
        "en": ('  roles:   {roles}', ""),
        "id": ('  peran:   {roles}', ""),
    },
    "cli.proc.documents": {
        "en": ('  documents: {documents}', ""),
        "id": ('  dokumen: {documents}', ""),
    },
    "cli.proc.sensitive": {
        "en": (' [sensitive]', ""),
        "id": (' [sensitif]', ""),
    },
    "cli.proc.missing": {
        "en": ('  missing SP components ({count} of 14): {missing}', ""),
        "id": ('  komponen SP yang belum ada ({count} dari 14): {missing}', ""),
    },
    "cli.proc.flag": {
        "en": ('  flag [{kind}] {about}: {note}', ""),
        "id": ('  catatan [{kind}] {about}: {note}', ""),
    },
    "cli.retention.would": {
        "en": ('would anonymise', ""),
        "id": ('akan dianonimkan', ""),
    },
    "cli.retention.done": {
        "en": ('anonymised', ""),
        "id": ('dianonimkan', ""),
    },
    "cli.retention.case": {
        "en": ('{verb} {case}: {values} value(s), {documents} document(s)', ""),
        "id": ('{verb} {case}: {values} nilai, {documents} dokumen', ""),
    },
    "cli.retention.total": {
        "en": ('{count} case(s) {verb}', ""),
        "id": ('{count} kasus {verb}', ""),
    },
    "cli.wrote": {
        "en": ('wrote {file}', ""),
        "id": ('ditulis: {file}', ""),
    },
    "cli.graph.version": {
        "en": ("note: case {case} was opened on version {opened} of '{procedure}'; "
               "it is drawn on version {drawn}", ""),
        "id": ("catatan: kasus {case} dibuka pada versi {opened} dari '{procedure}'; "
               "digambar pada versi {drawn}", ""),
    },
    "cli.audit.event": {
        "en": ('event',
               ""),
        "id": ('peristiwa',
               ""),
    },
    "cli.verify.checked": {
        "en": ('checked {cases} case(s), {events} event(s): ',
               ""),
        "id": ('diperiksa {cases} kasus, {events} peristiwa: ',
               ""),
    },
    "cli.verify.problems": {
        "en": ('{problems} problem(s) in {cases} case(s)',
               ""),
        "id": ('{problems} masalah pada {cases} kasus',
               ""),
    },
    "cli.verify.hint": {
        "en": ('  hint: restore the affected cases from a backup; alur will not act on them',
               ""),
        "id": ('  petunjuk: pulihkan kasus yang terdampak dari cadangan; '
               'alur tidak akan memprosesnya',
               ""),
    },
    "cli.verify.ok": {
        "en": ('every hash chain and snapshot verifies',
               ""),
        "id": ('setiap rantai hash dan snapshot terverifikasi',
               ""),
    },
    "cli.export.cases": {
        "en": (' of {cases} case(s)',
               ""),
        "id": (' dari {cases} kasus',
               ""),
    },
    "cli.export.revealed": {
        "en": ('sensitive data REVEALED',
               ""),
        "id": ('data sensitif DIBUKA',
               ""),
    },
    "cli.export.masked": {
        "en": ('sensitive data masked',
               ""),
        "id": ('data sensitif disamarkan',
               ""),
    },
    "cli.export.done": {
        "en": ('exported {count} event(s){cases} to {output} ({format}; {masked})',
               ""),
        "id": ('{count} peristiwa{cases} diekspor ke {output} ({format}; {masked})',
               ""),
    },
    "cli.conf.unverified": {
        "en": ('{case}: NOT VERIFIED, not replayed: {problem}',
               ""),
        "id": ('{case}: TIDAK TERVERIFIKASI, tidak diputar ulang: {problem}',
               ""),
    },
    "cli.conf.case": {
        "en": ('{case} [{procedure} v{version}, {status}]: fitness {fitness} '
               '({deviating} of {moves} move(s) deviate)',
               ""),
        "id": ('{case} [{procedure} v{version}, {status}]: kesesuaian '
               '{fitness} ({deviating} dari {moves} langkah menyimpang)',
               ""),
    },
    "cli.conf.event": {
        "en": ('event',
               ""),
        "id": ('peristiwa',
               ""),
    },
    "cli.conf.breach": {
        "en": ('{target} due {due}, {state}',
               ""),
        "id": ('{target} batas {due}, {state}',
               ""),
    },
    "cli.conf.recorded": {
        "en": ('recorded',
               ""),
        "id": ('tercatat',
               ""),
    },
    "cli.conf.not_recorded": {
        "en": ('NOT recorded',
               ""),
        "id": ('TIDAK tercatat',
               ""),
    },
    "cli.conf.escalated": {
        "en": (', escalated to {role}',
               ""),
        "id": (', dieskalasi ke {role}',
               ""),
    },
    "cli.conf.procedure": {
        "en": ('{procedure} v{version}: fitness {fitness} ({conforming} of '
               '{moves} move(s) conform); {conformant} of {cases} case(s) '
               'conformant',
               ""),
        "id": ('{procedure} v{version}: kesesuaian {fitness} ({conforming} '
               'dari {moves} langkah sesuai); {conformant} dari {cases} '
               'kasus sesuai',
               ""),
    },
    "cli.conf.unverified_count": {
        "en": (', {count} not verified',
               ""),
        "id": (', {count} tidak terverifikasi',
               ""),
    },
    "cli.conf.totals": {
        "en": ('deviations: {deviations}; breaches: {breaches}',
               ""),
        "id": ('penyimpangan: {deviations}; pelampauan: {breaches}',
               ""),
    },
    "cli.rep.all_time": {
        "en": ('all time',
               ""),
        "id": ('seluruh waktu',
               ""),
    },
    "cli.rep.period": {
        "en": ('{start} to {end}',
               ""),
        "id": ('{start} sampai {end}',
               ""),
    },
    "cli.rep.no_limit": {
        "en": ('no closed case had a time limit',
               ""),
        "id": ('tidak ada kasus selesai yang memiliki jangka waktu',
               ""),
    },
    "cli.rep.share": {
        "en": ('{within} of {total} closed case(s) ({share})',
               ""),
        "id": ('{within} dari {total} kasus selesai ({share})',
               ""),
    },
    "cli.rep.title": {
        "en": ('{name} ({procedure}), {period}; times in {unit}',
               ""),
        "id": ('{name} ({procedure}), {period}; waktu dalam {unit}',
               ""),
    },
    "cli.rep.cases": {
        "en": ('cases: {opened} opened, {closed} closed ({outcomes})',
               ""),
        "id": ('kasus: {opened} dibuka, {closed} ditutup ({outcomes})',
               ""),
    },
    "cli.rep.within": {
        "en": ('within the time limit: {share}',
               ""),
        "id": ('dalam jangka waktu: {share}',
               ""),
    },
    "cli.rep.case_time": {
        "en": ('time per case: median {median}, p90 {p90} ({count} case(s))',
               ""),
        "id": ('waktu per kasus: median {median}, p90 {p90} ({count} kasus)',
               ""),
    },
    "cli.rep.step_time": {
        "en": ('time per step:',
               ""),
        "id": ('waktu per langkah:',
               ""),
    },
    "cli.rep.breaches": {
        "en": ('breaches: {count} (by actor: {actors}; escalated to: '
               '{escalated})',
               ""),
        "id": ('pelampauan: {count} (menurut pelaksana: {actors}; dieskalasi '
               'ke: {escalated})',
               ""),
    },
    "cli.rep.refused": {
        "en": ('refused commands: {count} ({rules})',
               ""),
        "id": ('perintah ditolak: {count} ({rules})',
               ""),
    },
    "cli.rep.refused_openings": {
        "en": ('; refused case openings (no case to attribute): {count}',
               ""),
        "id": ('; pembukaan kasus ditolak (tanpa kasus terkait): {count}',
               ""),
    },
    "cli.rep.unverified": {
        "en": ('not measured: {count} case(s) whose hash chain or procedure '
               "version does not verify (run 'alur audit verify')",
               ""),
        "id": ('tidak diukur: {count} kasus yang rantai hash atau versi '
               "prosedurnya tidak terverifikasi (jalankan 'alur audit "
               "verify')",
               ""),
    },
    # --- runtime errors (engine.api, engine.catalog, engine.runner, engine.cli) ---------------
    "err.case_not_found": {
        "en": ("no case '{case}' in {store}", "list cases with 'alur case list'"),
        "id": ("tidak ada kasus '{case}' di {store}",
               "tampilkan daftar kasus dengan 'alur case list'"),
    },
    "err.procedure_version_missing": {
        "en": ("procedure version {version} is not in the store",
               "the store is incomplete or was edited; run 'alur audit verify'"),
        "id": ("versi prosedur {version} tidak ada di penyimpanan",
               "penyimpanan tidak lengkap atau telah diubah; jalankan 'alur audit verify'"),
    },
    "err.procedure_invalid": {
        "en": ("{file}: the procedure does not validate",
               "run 'alur validate' on it and fix the errors"),
        "id": ("{file}: prosedur tidak lolos validasi",
               "jalankan 'alur validate' pada berkas itu dan perbaiki kesalahannya"),
    },
    "err.procedure_not_loaded": {
        "en": ("{file}: {count} error(s); the procedure did not load",
               "run 'alur validate' on the file to see each problem"),
        "id": ("{file}: {count} kesalahan; prosedur tidak dapat dimuat",
               "jalankan 'alur validate' pada berkas itu untuk melihat setiap masalah"),
    },
    "err.procedure_file_missing": {
        "en": ("no procedure file '{ref}'",
               "check the path, or give the id of a procedure in {folder}/"),
        "id": ("tidak ada berkas prosedur '{ref}'",
               "periksa jalurnya, atau berikan id prosedur di {folder}/"),
    },
    "err.procedure_unknown": {
        "en": ("no procedure '{ref}' in {folder}/",
               "known procedures: {known}; or give a path to a .yaml file"),
        "id": ("tidak ada prosedur '{ref}' di {folder}/",
               "prosedur yang dikenal: {known}; atau berikan jalur ke berkas .yaml"),
    },
    "err.document_outside": {
        "en": ("document path '{path}' is outside the documents folder {base}",
               "attach files from inside the documents folder only"),
        "id": ("jalur dokumen '{path}' berada di luar folder dokumen {base}",
               "lampirkan hanya berkas dari dalam folder dokumen"),
    },
    "err.document_not_file": {
        "en": ("document path '{path}' is not a regular file",
               "attach a file, not a device, pipe or folder"),
        "id": ("jalur dokumen '{path}' bukan berkas biasa",
               "lampirkan berkas, bukan perangkat, pipa, atau folder"),
    },
    "err.document_unreadable": {
        "en": ("cannot read document file '{path}': {problem}", "check the path"),
        "id": ("berkas dokumen '{path}' tidak dapat dibaca: {problem}", "periksa jalurnya"),
    },
    "err.tamper_chain": {
        "en": ("the history of case {case} fails verification: {parts}",
               "run 'alur audit verify' and restore the store from a backup; alur will not "
               "act on this case"),
        "id": ("riwayat kasus {case} gagal diverifikasi: {parts}",
               "jalankan 'alur audit verify' dan pulihkan penyimpanan dari cadangan; alur "
               "tidak akan memproses kasus ini"),
    },
    "err.tamper_snapshot": {
        "en": ("the snapshot of case {case} does not match its events",
               "run 'alur audit verify'; the snapshot table was edited"),
        "id": ("snapshot kasus {case} tidak cocok dengan peristiwanya",
               "jalankan 'alur audit verify'; tabel snapshot telah diubah"),
    },
    "err.read_needs_actor": {
        "en": ("name the user and role that read the case (--user, --role)",
               "roles that may read it: {roles}"),
        "id": ("sebutkan pengguna dan peran yang membaca kasus (--user, --role)",
               "peran yang boleh membacanya: {roles}"),
    },
    "err.read_role": {
        "en": ("role '{role}' may not read cases of procedure {procedure}",
               "roles that may read it: {roles}"),
        "id": ("peran '{role}' tidak boleh membaca kasus prosedur {procedure}",
               "peran yang boleh membacanya: {roles}"),
    },
    "err.read_roster": {
        "en": ("user '{user}' does not hold role '{role}' in the roster",
               "roles that may read it: {roles}"),
        "id": ("pengguna '{user}' tidak memegang peran '{role}' menurut daftar petugas",
               "peran yang boleh membacanya: {roles}"),
    },
    "err.reveal_reason": {
        "en": ("revealing personal data needs a reason", "give --reason with why it is needed"),
        "id": ("membuka data pribadi memerlukan alasan",
               "berikan --reason berisi alasan data itu diperlukan"),
    },
    "err.reveal_needs_reason": {
        "en": ("--reveal needs --reason", "say why the personal data is needed"),
        "id": ("--reveal memerlukan --reason", "sebutkan mengapa data pribadi itu diperlukan"),
    },
    "err.one_pair": {
        "en": ("give exactly one NAME=VALUE", "repeat the command for more"),
        "id": ("berikan tepat satu NAME=VALUE", "ulangi perintah untuk nilai berikutnya"),
    },
    "err.not_pair": {
        "en": ("'{item}' is not NAME=VALUE", "e.g. victim_is_child=true"),
        "id": ("'{item}' bukan NAME=VALUE", "mis. victim_is_child=true"),
    },
    "err.casefile_unreadable": {
        "en": ("cannot read case file {file}: {problem}", "check the path"),
        "id": ("berkas kasus {file} tidak dapat dibaca: {problem}", "periksa jalurnya"),
    },
    "err.casefile_yaml": {
        "en": ("{file}{where}: case file is not valid YAML{problem}",
               "check indentation and quoting"),
        "id": ("{file}{where}: berkas kasus bukan YAML yang sah{problem}",
               "periksa indentasi dan tanda kutip"),
    },
    "err.casefile_utf8": {
        "en": ("{file}: case file is not UTF-8 text", "save the file as UTF-8"),
        "id": ("{file}: berkas kasus bukan teks UTF-8", "simpan berkas dengan pengodean UTF-8"),
    },
    "err.casefile_value": {
        "en": ("{file}: case file holds a value that cannot be read ({problem})",
               "write numbers of at most 18 digits"),
        "id": ("{file}: berkas kasus berisi nilai yang tidak dapat dibaca ({problem})",
               "tulis angka paling banyak 18 digit"),
    },
    "err.casefile_deep": {
        "en": ("{file}: case file is nested too deeply",
               "a case file needs only a few levels: cases, actions, facts"),
        "id": ("{file}: berkas kasus bertingkat terlalu dalam",
               "berkas kasus hanya memerlukan beberapa tingkat: cases, actions, facts"),
    },
    "err.casefile_no_cases": {
        "en": ("{file}: a case file needs a 'cases:' list",
               "see the format in docs/embedding.md or examples/"),
        "id": ("{file}: berkas kasus memerlukan daftar 'cases:'",
               "lihat formatnya di docs/embedding.md atau examples/"),
    },
    "err.casefile_problems": {
        "en": ("{file}: {count} problem(s) in the case file; nothing was run",
               "see the case file format in docs/embedding.md or the files in examples/"),
        "id": ("{file}: {count} masalah dalam berkas kasus; tidak ada yang dijalankan",
               "lihat format berkas kasus di docs/embedding.md atau berkas di examples/"),
    },
    "cli.casefile.more": {
        "en": ("... and {more} more", ""),
        "id": ("... dan {more} lainnya", ""),
    },
    # individual problem lines of a case file check (under err.casefile_problems)
    "cli.cf.case": {"en": ("case {number}", ""), "id": ("kasus {number}", "")},
    "cli.cf.opening": {"en": ("{where}, opening", ""), "id": ("{where}, pembukaan", "")},
    "cli.cf.action": {"en": ("{where}, action {number}", ""),
                      "id": ("{where}, tindakan {number}", "")},
    "cli.cf.unknown_key": {
        "en": ("unknown key '{key}' (expected {expected})", ""),
        "id": ("kunci '{key}' tidak dikenal (seharusnya {expected})", ""),
    },
    "cli.cf.unknown_key_in": {
        "en": ("unknown key '{key}' in '{section}' (expected {expected})", ""),
        "id": ("kunci '{key}' di '{section}' tidak dikenal (seharusnya {expected})", ""),
    },
    "cli.cf.unknown_key_bare": {
        "en": ("unknown key '{key}'", ""),
        "id": ("kunci '{key}' tidak dikenal", ""),
    },
    "cli.cf.procedure_id": {
        "en": ("'procedure' must be a procedure id", ""),
        "id": ("'procedure' harus berupa id prosedur", ""),
    },
    "cli.cf.case_mapping": {
        "en": ("each case is a mapping (id:, opened:, facts:, actions: ...)", ""),
        "id": ("setiap kasus berupa pemetaan (id:, opened:, facts:, actions: ...)", ""),
    },
    "cli.cf.non_empty": {
        "en": ("'{key}' must be a non-empty text", ""),
        "id": ("'{key}' harus berupa teks yang tidak kosong", ""),
    },
    "cli.cf.text": {
        "en": ("'{key}' must be a text", ""),
        "id": ("'{key}' harus berupa teks", ""),
    },
    "cli.cf.list": {
        "en": ("'{key}' must be a list", ""),
        "id": ("'{key}' harus berupa daftar", ""),
    },
    "cli.cf.opened_mapping": {
        "en": ("'opened' must be a mapping {{at:, user:, role:}}", ""),
        "id": ("'opened' harus berupa pemetaan {{at:, user:, role:}}", ""),
    },
    "cli.cf.expect_mapping": {
        "en": ("'expect' must be a mapping {{status:, refused:}}", ""),
        "id": ("'expect' harus berupa pemetaan {{status:, refused:}}", ""),
    },
    "cli.cf.expect_text": {
        "en": ("expect '{key}' must be a text, e.g. {example}", ""),
        "id": ("expect '{key}' harus berupa teks, mis. {example}", ""),
    },
    "cli.cf.actor_missing": {
        "en": ("needs '{key}' (who acts, and in which role)", ""),
        "id": ("memerlukan '{key}' (siapa yang bertindak, dan dalam peran apa)", ""),
    },
    "cli.cf.at": {
        "en": ("'at' must be an ISO 8601 time, e.g. 2026-03-02T09:00:00+07:00", ""),
        "id": ("'at' harus berupa waktu ISO 8601, mis. 2026-03-02T09:00:00+07:00", ""),
    },
    "cli.cf.action_mapping": {
        "en": ("an action is a mapping, e.g. {{at: ..., user: rina, role: pendamping_ppa, "
               "do: asesmen_awal}}", ""),
        "id": ("tindakan berupa pemetaan, mis. {{at: ..., user: rina, role: pendamping_ppa, "
               "do: asesmen_awal}}", ""),
    },
    "cli.cf.action_kind": {
        "en": ("an action needs exactly one of {kinds}{found}", ""),
        "id": ("tindakan memerlukan tepat satu dari {kinds}{found}", ""),
    },
    "cli.cf.found": {"en": (" (found {kinds})", ""), "id": (" (ditemukan {kinds})", "")},
    "cli.cf.not_with": {
        "en": ("'{key}' does not go with '{kind}'", ""),
        "id": ("'{key}' tidak dapat dipakai bersama '{kind}'", ""),
    },
    "cli.cf.do_step": {
        "en": ("'do' names a step id", ""),
        "id": ("'do' menyebut id langkah", ""),
    },
    "cli.cf.one_pair": {
        "en": ("'{kind}' takes one 'name: value' pair, e.g. {example}", ""),
        "id": ("'{kind}' menerima satu pasangan 'nama: nilai', mis. {example}", ""),
    },
    "cli.cf.extend_mapping": {
        "en": ("'extend' takes {{amount:, unit:, reason:}}", ""),
        "id": ("'extend' menerima {{amount:, unit:, reason:}}", ""),
    },
    "cli.cf.extend_amount": {
        "en": ("'extend' needs 'amount', a whole number of at least 1", ""),
        "id": ("'extend' memerlukan 'amount', bilangan bulat paling sedikit 1", ""),
    },
    "cli.cf.extend_text": {
        "en": ("'extend' '{key}' must be a text", ""),
        "id": ("'extend' '{key}' harus berupa teks", ""),
    },
    "cli.cf.reason_text": {
        "en": ("'{kind}' takes the reason as text", ""),
        "id": ("'{kind}' menerima alasan berupa teks", ""),
    },
    "cli.cf.facts_mapping": {
        "en": ("{where} must be a mapping, e.g. {{victim_is_child: true}}", ""),
        "id": ("{where} harus berupa pemetaan, mis. {{victim_is_child: true}}", ""),
    },
    "cli.cf.fact_name": {
        "en": ("fact name {name} must be a text", ""),
        "id": ("nama fakta {name} harus berupa teks", ""),
    },
    "cli.cf.names_mapping": {
        "en": ("{where} must be a mapping of role: name, e.g. {{orang_tua_wali: Ibu S.}}", ""),
        "id": ("{where} harus berupa pemetaan peran: nama, mis. {{orang_tua_wali: Ibu S.}}", ""),
    },
    "cli.cf.role_id": {
        "en": ("role {role} must be a role id", ""),
        "id": ("peran {role} harus berupa id peran", ""),
    },
    "cli.cf.person_name": {
        "en": ("'{role}' needs the person's name (a non-empty text)", ""),
        "id": ("'{role}' memerlukan nama orangnya (teks yang tidak kosong)", ""),
    },
    "cli.cf.documents_mapping": {
        "en": ("{where} must be a mapping of document: {{text: ...}} or {{file: path}}", ""),
        "id": ("{where} harus berupa pemetaan dokumen: {{text: ...}} atau {{file: jalur}}", ""),
    },
    "cli.cf.document_id": {
        "en": ("document id {document} must be a text", ""),
        "id": ("id dokumen {document} harus berupa teks", ""),
    },
    "cli.cf.document_one": {
        "en": ("document '{document}' needs exactly one of {{text: ...}} or {{file: path}}", ""),
        "id": ("dokumen '{document}' memerlukan tepat satu dari {{text: ...}} atau "
               "{{file: jalur}}", ""),
    },
    "cli.cf.document_file": {
        "en": ("document '{document}': 'file' must be a path", ""),
        "id": ("dokumen '{document}': 'file' harus berupa jalur", ""),
    },
    "cli.cf.document_text": {
        "en": ("document '{document}': 'text' must be a text", ""),
        "id": ("dokumen '{document}': 'text' harus berupa teks", ""),
    },
    "err.casefile_procedure": {
        "en": ("{file}: the case file is for procedure '{wanted}', not '{actual}'",
               "run it with procedure {wanted}"),
        "id": ("{file}: berkas kasus ini untuk prosedur '{wanted}', bukan '{actual}'",
               "jalankan dengan prosedur {wanted}"),
    },
    # --- stores (engine/store): opening and using the database --------------------------------
    "err.store.url_empty": {
        "en": ("store URL must be a non-empty string, not {url}", _URL_HINT_EN),
        "id": ("URL penyimpanan harus berupa teks yang tidak kosong, bukan {url}", _URL_HINT_ID),
    },
    "err.store.url_scheme": {
        "en": ("unknown store URL scheme {scheme}", _URL_HINT_EN),
        "id": ("skema URL penyimpanan {scheme} tidak dikenal", _URL_HINT_ID),
    },
    "err.store.not_url": {
        "en": ("{url} is not a store URL", _URL_HINT_EN),
        "id": ("{url} bukan URL penyimpanan", _URL_HINT_ID),
    },
    "err.store.sqlite_no_path": {
        "en": ("SQLite store URL {url} has no file path",
               "write three slashes before a relative path (sqlite:///alur.db) and four before "
               "an absolute one (sqlite:////var/lib/alur.db)"),
        "id": ("URL penyimpanan SQLite {url} tidak memuat jalur berkas",
               "tulis tiga garis miring sebelum jalur relatif (sqlite:///alur.db) dan empat "
               "sebelum jalur absolut (sqlite:////var/lib/alur.db)"),
    },
    "err.store.sqlite_option": {
        "en": ("SQLite store URL {url}: unknown option {key}={value}",
               "the only option is synchronous=FULL (default) or synchronous=NORMAL"),
        "id": ("URL penyimpanan SQLite {url}: opsi {key}={value} tidak dikenal",
               "satu-satunya opsi adalah synchronous=FULL (bawaan) atau synchronous=NORMAL"),
    },
    "err.store.no_directory": {
        "en": ("cannot open SQLite store {path}: the directory {directory} does not exist",
               "create it first (mkdir -p {directory}) or choose another path in the store URL "
               "/ ALUR_DB"),
        "id": ("penyimpanan SQLite {path} tidak dapat dibuka: direktori {directory} tidak ada",
               "buat dulu direktorinya (mkdir -p {directory}) atau pilih jalur lain di URL "
               "penyimpanan / ALUR_DB"),
    },
    "err.store.is_directory": {
        "en": ("cannot open SQLite store {path}: it is a directory",
               "give the path of a database file, e.g. sqlite:///alur.db"),
        "id": ("penyimpanan SQLite {path} tidak dapat dibuka: jalur itu adalah direktori",
               "berikan jalur berkas basis data, mis. sqlite:///alur.db"),
    },
    "err.store.not_sqlite": {
        "en": ("{path} is not a SQLite database",
               "point the store URL (or ALUR_DB) at an alur database file, or at a path that "
               "does not exist yet; alur does not overwrite other files"),
        "id": ("{path} bukan basis data SQLite",
               "arahkan URL penyimpanan (atau ALUR_DB) ke berkas basis data alur, atau ke jalur "
               "yang belum ada; alur tidak menimpa berkas lain"),
    },
    "err.store.sqlite_failed": {
        "en": ("SQLite store {path}: cannot {action}: {problem}",
               "check the path and that the file is an alur database"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action}: {problem}",
               "periksa jalurnya dan pastikan berkas itu basis data alur"),
    },
    "err.store.sqlite_busy": {
        "en": ("SQLite store {path}: cannot {action}: {problem}",
               "another process held the database for more than {seconds} s; retry, or find "
               "the process that keeps it busy"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action}: {problem}",
               "proses lain memegang basis data lebih dari {seconds} detik; coba lagi, atau "
               "cari proses yang membuatnya sibuk"),
    },
    "err.store.sqlite_permission": {
        "en": ("SQLite store {path}: cannot {action}: {problem}",
               "check the permissions of the file and of its directory"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action}: {problem}",
               "periksa izin berkas dan direktorinya"),
    },
    "err.store.sqlite_corrupt": {
        "en": ("SQLite store {path}: cannot {action}: {problem}",
               "the database file is damaged; restore it from a backup"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action}: {problem}",
               "berkas basis data rusak; pulihkan dari cadangan"),
    },
    "err.store.sqlite_disk": {
        "en": ("SQLite store {path}: cannot {action}: {problem}",
               "check free disk space and the disk itself"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action}: {problem}",
               "periksa ruang kosong disk dan disknya sendiri"),
    },
    "err.store.sqlite_closed": {
        "en": ("SQLite store {path} is closed", "open it again"),
        "id": ("penyimpanan SQLite {path} sudah ditutup", "buka kembali"),
    },
    "err.store.no_schema_version": {
        "en": ("alur_meta has no schema_version",
               "the store was edited by hand or damaged; restore it from a backup"),
        "id": ("alur_meta tidak memuat schema_version",
               "penyimpanan diubah secara manual atau rusak; pulihkan dari cadangan"),
    },
    "err.store.bad_schema_version": {
        "en": ("alur_meta holds schema_version {value}, which is not a version",
               "the store was edited by hand or damaged; restore it from a backup"),
        "id": ("alur_meta memuat schema_version {value}, yang bukan nomor versi",
               "penyimpanan diubah secara manual atau rusak; pulihkan dari cadangan"),
    },
    "err.store.newer": {
        "en": ("store was written by a newer alur (schema version {current}; this alur knows "
               "versions up to {newest})",
               "upgrade alur (pip install -U alur) before opening this store, or open another"),
        "id": ("penyimpanan ditulis oleh alur yang lebih baru (versi skema {current}; alur ini "
               "mengenal versi sampai {newest})",
               "perbarui alur (pip install -U alur) sebelum membuka penyimpanan ini, atau buka "
               "penyimpanan lain"),
    },
    "err.store.pg_missing": {
        "en": ("PostgreSQL support is not installed (no module psycopg)",
               "install the PostgreSQL driver: pip install 'alur[postgres]'"),
        "id": ("dukungan PostgreSQL belum terpasang (modul psycopg tidak ada)",
               "pasang driver PostgreSQL: pip install 'alur[postgres]'"),
    },
    "err.store.pg_connect": {
        "en": ("cannot connect to PostgreSQL at {url}: {problem}", _PG_HINT_EN),
        "id": ("tidak dapat terhubung ke PostgreSQL di {url}: {problem}", _PG_HINT_ID),
    },
    "err.store.pg_open": {
        "en": ("cannot open the PostgreSQL store at {url}: {problem}", _PG_HINT_EN),
        "id": ("penyimpanan PostgreSQL di {url} tidak dapat dibuka: {problem}", _PG_HINT_ID),
    },
    "err.store.pg_encoding": {
        "en": ("database at {url} is not UTF8 (server_encoding {encoding})",
               "create the database WITH ENCODING 'UTF8'"),
        "id": ("basis data di {url} bukan UTF8 (server_encoding {encoding})",
               "buat basis data dengan WITH ENCODING 'UTF8'"),
    },
    "err.store.pg_schema": {
        "en": ("schema {schema} in the store URL is not a plain SQL name",
               "use letters, digits and _ (not first), at most 63 characters"),
        "id": ("skema {schema} di URL penyimpanan bukan nama SQL biasa",
               "gunakan huruf, angka dan _ (bukan di awal), paling banyak 63 karakter"),
    },
    "err.store.pg_closed": {
        "en": ("PostgreSQL store {url} is closed", "open it again"),
        "id": ("penyimpanan PostgreSQL {url} sudah ditutup", "buka kembali"),
    },
    "err.store.pg_unreachable": {
        "en": ("PostgreSQL store {url}: cannot {action}: {problem}", _PG_HINT_EN),
        "id": ("penyimpanan PostgreSQL {url}: tidak dapat {action}: {problem}", _PG_HINT_ID),
    },
    "err.store.pg_failed": {
        "en": ("PostgreSQL store {url}: cannot {action}: {problem}",
               "check the server log; the store may need a migration or repair"),
        "id": ("penyimpanan PostgreSQL {url}: tidak dapat {action}: {problem}",
               "periksa log server; penyimpanan mungkin perlu migrasi atau perbaikan"),
    },
    # --- command-line parameters (click.BadParameter) -----------------------------------------
    "cli.param.not_iso": {
        "en": ("'{value}' is not ISO 8601", ""),
        "id": ("'{value}' bukan waktu ISO 8601", ""),
    },
    "cli.param.no_offset": {
        "en": ("give an offset, e.g. 2026-03-02T09:00:00+07:00", ""),
        "id": ("berikan selisih zona waktu, mis. 2026-03-02T09:00:00+07:00", ""),
    },
    "cli.param.from_after_to": {
        "en": ("{first} is after {last}", ""),
        "id": ("{first} jatuh setelah {last}", ""),
    },
    "cli.param.not_pair": {
        "en": ("'{item}' is not NAME=VALUE", ""),
        "id": ("'{item}' bukan NAME=VALUE", ""),
    },
    "cli.param.bad_id": {
        "en": ("use lower-case letters, digits and '_', starting with a letter (at most 64), "
               "e.g. konseling", ""),
        "id": ("gunakan huruf kecil, angka dan '_', diawali huruf (paling banyak 64), "
               "mis. konseling", ""),
    },
    # --- time units in reports ----------------------------------------------------------------
    "cli.unit.working_days": {
        "en": ("working days", ""),
        "id": ("hari kerja", ""),
    },
    "cli.unit.calendar_days": {
        "en": ("calendar days", ""),
        "id": ("hari kalender", ""),
    },
    "cli.unit.hours": {
        "en": ("hours", ""),
        "id": ("jam", ""),
    },
    # --- the HTML report (alur report --format html) ------------------------------------------
    "cli.html.period": {
        "en": ("Period: {period}. Versions: {versions}. Times in {unit} on the agency calendar.",
               ""),
        "id": ("Periode: {period}. Versi: {versions}. Waktu dalam {unit} menurut kalender "
               "instansi.", ""),
    },
    "cli.html.cases": {"en": ("Cases", ""), "id": ("Kasus", "")},
    "cli.html.measure": {"en": ("measure", ""), "id": ("ukuran", "")},
    "cli.html.value": {"en": ("value", ""), "id": ("nilai", "")},
    "cli.html.opened": {"en": ("opened", ""), "id": ("dibuka", "")},
    "cli.html.closed": {"en": ("closed", ""), "id": ("ditutup", "")},
    "cli.html.closed_as": {"en": ("closed: {outcome}", ""), "id": ("ditutup: {outcome}", "")},
    "cli.html.within": {"en": ("finished within the time limit", ""),
                        "id": ("selesai dalam jangka waktu", "")},
    "cli.html.time": {"en": ("Time ({unit})", ""), "id": ("Waktu ({unit})", "")},
    "cli.html.median": {"en": ("median", ""), "id": ("median", "")},
    "cli.html.median_hours": {"en": ("median (hours)", ""), "id": ("median (jam)", "")},
    "cli.html.p90_hours": {"en": ("p90 (hours)", ""), "id": ("p90 (jam)", "")},
    "cli.html.per_case": {"en": ("per case", ""), "id": ("per kasus", "")},
    "cli.html.breaches": {"en": ("Breaches", ""), "id": ("Pelampauan jangka waktu", "")},
    "cli.html.actor": {"en": ("role with the work (actor)", ""),
                       "id": ("peran yang memegang pekerjaan (pelaksana)", "")},
    "cli.html.breach_count": {"en": ("breaches", ""), "id": ("pelampauan", "")},
    "cli.html.escalated": {"en": ("escalated to", ""), "id": ("dieskalasi ke", "")},
    "cli.html.refused": {"en": ("Refused commands", ""), "id": ("Perintah yang ditolak", "")},
    "cli.html.rule": {"en": ("rule", ""), "id": ("aturan", "")},
    "cli.html.refusals": {"en": ("refusals", ""), "id": ("penolakan", "")},
    "cli.html.refused_openings": {
        "en": ("Refused case openings that name no stored case: {count}.", ""),
        "id": ("Pembukaan kasus yang ditolak tanpa kasus tersimpan: {count}.", ""),
    },
    "cli.html.unverified": {
        "en": ("Cases not measured because their hash chain or procedure version does not "
               "verify: {count}.", ""),
        "id": ("Kasus yang tidak diukur karena rantai hash atau versi prosedurnya tidak "
               "terverifikasi: {count}.", ""),
    },
    "cli.html.generated": {"en": ("Generated by alur report at {at}.", ""),
                           "id": ("Dibuat oleh alur report pada {at}.", "")},
    # --- wording of procedure version changes (engine.diff, Change.message) -----------------
    "cli.diff.step": {
        "en": ("Step {number} '{id}'", ""),
        "id": ("Langkah {number} '{id}'", ""),
    },
    "cli.diff.step_lower": {
        "en": ("step {number} '{id}'", ""),
        "id": ("langkah {number} '{id}'", ""),
    },
    "cli.diff.role": {
        "en": ("Role '{id}'", ""),
        "id": ("Peran '{id}'", ""),
    },
    "cli.diff.document": {
        "en": ("Document '{id}'", ""),
        "id": ("Dokumen '{id}'", ""),
    },
    "cli.diff.fact": {
        "en": ("Fact '{id}'", ""),
        "id": ("Fakta '{id}'", ""),
    },
    "cli.diff.requirement": {
        "en": ("Requirement {id}", ""),
        "id": ("Persyaratan {id}", ""),
    },
    "cli.diff.time_limit": {
        "en": ("Time limit", ""),
        "id": ("Jangka waktu", ""),
    },
    "cli.diff.cost": {
        "en": ("Cost", ""),
        "id": ("Biaya", ""),
    },
    "cli.diff.product": {
        "en": ("Product '{id}'", ""),
        "id": ("Produk '{id}'", ""),
    },
    "cli.diff.complaint": {
        "en": ("Complaint channel {id}", ""),
        "id": ("Saluran pengaduan {id}", ""),
    },
    "cli.diff.decree": {
        "en": ("Decree (SK)", ""),
        "id": ("SK", ""),
    },
    "cli.diff.source": {
        "en": ("Source", ""),
        "id": ("Sumber", ""),
    },
    "cli.diff.agency": {
        "en": ("Agency", ""),
        "id": ("Instansi", ""),
    },
    "cli.diff.procedure": {
        "en": ("Procedure '{id}'", ""),
        "id": ("Prosedur '{id}'", ""),
    },
    "cli.diff.component": {
        "en": ("SP component '{id}'", ""),
        "id": ("Komponen SP '{id}'", ""),
    },
    "cli.diff.access": {
        "en": ("Read access", ""),
        "id": ("Akses baca", ""),
    },
    "cli.diff.retention": {
        "en": ("Retention", ""),
        "id": ("Retensi", ""),
    },
    "cli.diff.flag": {
        "en": ("Flag '{id}'", ""),
        "id": ("Flag '{id}'", ""),
    },
    "cli.diff.added": {
        "en": ("added", ""),
        "id": ("ditambahkan", ""),
    },
    "cli.diff.removed": {
        "en": ("removed", ""),
        "id": ("dihapus", ""),
    },
    "cli.diff.changed_from": {
        "en": ("{field} changed from {old} to {new}", ""),
        "id": ("{field} berubah dari {old} menjadi {new}", ""),
    },
    "cli.diff.set": {
        "en": ("{field} set to {new}", ""),
        "id": ("{field} ditetapkan {new}", ""),
    },
    "cli.diff.cleared": {
        "en": ("{field} removed (was {old})", ""),
        "id": ("{field} dihapus (sebelumnya {old})", ""),
    },
    "cli.diff.text_changed": {
        "en": ("{field} changed", ""),
        "id": ("{field} berubah", ""),
    },
    "cli.diff.list_added": {
        "en": ("{field}: {new} added", ""),
        "id": ("{field}: {new} ditambahkan", ""),
    },
    "cli.diff.list_removed": {
        "en": ("{field}: {old} removed", ""),
        "id": ("{field}: {old} dihapus", ""),
    },
    "cli.diff.none": {
        "en": ("none", ""),
        "id": ("tidak ada", ""),
    },
    "cli.diff.yes": {
        "en": ("yes", ""),
        "id": ("ya", ""),
    },
    "cli.diff.no": {
        "en": ("no", ""),
        "id": ("tidak", ""),
    },
    "cli.diff.always": {
        "en": ("always (no condition)", ""),
        "id": ("selalu (tanpa kondisi)", ""),
    },
    "cli.diff.end": {
        "en": ("the end of the case ({end})", ""),
        "id": ("akhir kasus ({end})", ""),
    },
    "cli.diff.nowhere": {
        "en": ("nowhere", ""),
        "id": ("tidak ke mana pun", ""),
    },
    "cli.diff.renamed_pair": {
        "en": ("{old_step} is now {new_step} (renamed/re-numbered)", ""),
        "id": ("{old_step} kini {new_step} (diganti nama/nomor)", ""),
    },
    "cli.diff.renumbered": {
        "en": ("re-numbered {new} (was {old})", ""),
        "id": ("nomor diubah menjadi {new} (sebelumnya {old})", ""),
    },
    "cli.diff.retitled": {
        "en": ("title changed to {new} (was {old})", ""),
        "id": ("judul diubah menjadi {new} (sebelumnya {old})", ""),
    },
    "cli.diff.actor": {
        "en": ("actor changed to role {new} (was {old})", ""),
        "id": ("pelaksana diubah menjadi peran {new} (sebelumnya {old})", ""),
    },
    "cli.diff.actor_inferred_on": {
        "en": ("the actor is now inferred (the source names none)", ""),
        "id": ("pelaksana kini disimpulkan (sumber tidak menyebutnya)", ""),
    },
    "cli.diff.actor_inferred_off": {
        "en": ("the actor is now named by the source", ""),
        "id": ("pelaksana kini disebut oleh sumber", ""),
    },
    "cli.diff.step_added": {
        "en": ("added: {title}, by role {actor}", ""),
        "id": ("ditambahkan: {title}, oleh peran {actor}", ""),
    },
    "cli.diff.step_removed": {
        "en": ("removed (was: {title}, by role {actor})", ""),
        "id": ("dihapus (sebelumnya: {title}, oleh peran {actor})", ""),
    },
    "cli.diff.next": {
        "en": ("now leads to {new} (was {old})", ""),
        "id": ("kini menuju {new} (sebelumnya {old})", ""),
    },
    "cli.diff.to_decision": {
        "en": ("now ends in the decision {question}: {outcomes} (was: leads to {old})", ""),
        "id": ("kini diakhiri keputusan {question}: {outcomes} (sebelumnya: menuju {old})", ""),
    },
    "cli.diff.from_decision": {
        "en": ("no longer asks {question}; now leads to {new}", ""),
        "id": ("tidak lagi menanyakan {question}; kini menuju {new}", ""),
    },
    "cli.diff.question": {
        "en": ("decision question changed to {new} (was {old})", ""),
        "id": ("pertanyaan keputusan diubah menjadi {new} (sebelumnya {old})", ""),
    },
    "cli.diff.outcome_added": {
        "en": ("new outcome '{outcome}' ({label}) leads to {to}", ""),
        "id": ("hasil baru '{outcome}' ({label}) menuju {to}", ""),
    },
    "cli.diff.outcome_removed": {
        "en": ("outcome '{outcome}' ({label}) removed (it led to {to})", ""),
        "id": ("hasil '{outcome}' ({label}) dihapus (sebelumnya menuju {to})", ""),
    },
    "cli.diff.outcome_next": {
        "en": ("outcome '{outcome}' now leads to {new} (was {old})", ""),
        "id": ("hasil '{outcome}' kini menuju {new} (sebelumnya {old})", ""),
    },
    "cli.diff.outcome_label": {
        "en": ("outcome '{outcome}' relabelled {new} (was {old})", ""),
        "id": ("label hasil '{outcome}' diubah menjadi {new} (sebelumnya {old})", ""),
    },
    "cli.diff.outcome_when": {
        "en": ("outcome '{outcome}' now applies when {new} (was {old})", ""),
        "id": ("hasil '{outcome}' kini berlaku bila {new} (sebelumnya {old})", ""),
    },
    "cli.diff.outcome_otherwise_on": {
        "en": ("outcome '{outcome}' now applies when no other does", ""),
        "id": ("hasil '{outcome}' kini berlaku bila tidak ada hasil lain", ""),
    },
    "cli.diff.outcome_otherwise_off": {
        "en": ("outcome '{outcome}' no longer applies when no other does", ""),
        "id": ("hasil '{outcome}' tidak lagi berlaku bila tidak ada hasil lain", ""),
    },
    "cli.diff.outcome_field": {
        "en": ("outcome '{outcome}': {field} changed", ""),
        "id": ("hasil '{outcome}': {field} berubah", ""),
    },
    "cli.diff.requires_added": {
        "en": ("now requires document {new}", ""),
        "id": ("kini mensyaratkan dokumen {new}", ""),
    },
    "cli.diff.requires_removed": {
        "en": ("no longer requires document {old}", ""),
        "id": ("tidak lagi mensyaratkan dokumen {old}", ""),
    },
    "cli.diff.produces_added": {
        "en": ("now produces document {new}", ""),
        "id": ("kini menghasilkan dokumen {new}", ""),
    },
    "cli.diff.produces_removed": {
        "en": ("no longer produces document {old}", ""),
        "id": ("tidak lagi menghasilkan dokumen {old}", ""),
    },
    "cli.diff.outcome_produces_added": {
        "en": ("outcome '{outcome}' now produces document {new}", ""),
        "id": ("hasil '{outcome}' kini menghasilkan dokumen {new}", ""),
    },
    "cli.diff.outcome_produces_removed": {
        "en": ("outcome '{outcome}' no longer produces document {old}", ""),
        "id": ("hasil '{outcome}' tidak lagi menghasilkan dokumen {old}", ""),
    },
    "cli.diff.participant_added": {
        "en": ("role {new} now takes part", ""),
        "id": ("peran {new} kini ikut serta", ""),
    },
    "cli.diff.participant_added_when": {
        "en": ("role {new} now takes part when {when}", ""),
        "id": ("peran {new} kini ikut serta bila {when}", ""),
    },
    "cli.diff.participant_removed": {
        "en": ("role {old} no longer takes part", ""),
        "id": ("peran {old} tidak lagi ikut serta", ""),
    },
    "cli.diff.participant_when": {
        "en": ("role '{role}' now takes part when {new} (was {old})", ""),
        "id": ("peran '{role}' kini ikut serta bila {new} (sebelumnya {old})", ""),
    },
    "cli.diff.participant_note": {
        "en": ("note on role '{role}' changed", ""),
        "id": ("catatan peran '{role}' berubah", ""),
    },
    "cli.diff.when": {
        "en": ("may now be completed only when {new} (was {old})", ""),
        "id": ("kini hanya dapat diselesaikan bila {new} (sebelumnya {old})", ""),
    },
    "cli.diff.members_added": {
        "en": ("the team now includes role {new}", ""),
        "id": ("tim kini mencakup peran {new}", ""),
    },
    "cli.diff.members_removed": {
        "en": ("the team no longer includes role {old}", ""),
        "id": ("tim tidak lagi mencakup peran {old}", ""),
    },
    "cli.diff.read_added": {
        "en": ("role {new} may now read cases", ""),
        "id": ("peran {new} kini boleh membaca kasus", ""),
    },
    "cli.diff.read_removed": {
        "en": ("role {old} may no longer read cases", ""),
        "id": ("peran {old} tidak lagi boleh membaca kasus", ""),
    },
    "cli.diff.sensitive_on": {
        "en": ("is now sensitive (personal data, masked)", ""),
        "id": ("kini sensitif (data pribadi, disamarkan)", ""),
    },
    "cli.diff.sensitive_off": {
        "en": ("is no longer sensitive", ""),
        "id": ("tidak lagi sensitif", ""),
    },
    "cli.diff.limit": {
        "en": ("changed from {old} to {new}", ""),
        "id": ("berubah dari {old} menjadi {new}", ""),
    },
    "cli.diff.flag_added": {
        "en": ("added ({kind}, about {about})", ""),
        "id": ("ditambahkan ({kind}, tentang {about})", ""),
    },
    "cli.diff.flag_removed": {
        "en": ("removed ({kind}, about {about})", ""),
        "id": ("dihapus ({kind}, tentang {about})", ""),
    },
    "cli.diff.role_added": {
        "en": ("added: {title} ({kind})", ""),
        "id": ("ditambahkan: {title} ({kind})", ""),
    },
    "cli.diff.role_removed": {
        "en": ("removed (was: {title})", ""),
        "id": ("dihapus (sebelumnya: {title})", ""),
    },
    "cli.diff.titled_added": {
        "en": ("added: {title}", ""),
        "id": ("ditambahkan: {title}", ""),
    },
    "cli.diff.titled_removed": {
        "en": ("removed (was: {title})", ""),
        "id": ("dihapus (sebelumnya: {title})", ""),
    },
    "cli.diff.field.id": {
        "en": ("id", ""),
        "id": ("id", ""),
    },
    "cli.diff.field.title": {
        "en": ("title", ""),
        "id": ("judul", ""),
    },
    "cli.diff.field.version": {
        "en": ("version", ""),
        "id": ("versi", ""),
    },
    "cli.diff.field.language": {
        "en": ("language", ""),
        "id": ("bahasa", ""),
    },
    "cli.diff.field.name": {
        "en": ("name", ""),
        "id": ("nama", ""),
    },
    "cli.diff.field.unit": {
        "en": ("unit", ""),
        "id": ("satuan", ""),
    },
    "cli.diff.field.region": {
        "en": ("region", ""),
        "id": ("wilayah", ""),
    },
    "cli.diff.field.address": {
        "en": ("address", ""),
        "id": ("alamat", ""),
    },
    "cli.diff.field.phone": {
        "en": ("phone", ""),
        "id": ("telepon", ""),
    },
    "cli.diff.field.website": {
        "en": ("website", ""),
        "id": ("situs web", ""),
    },
    "cli.diff.field.timezone": {
        "en": ("time zone", ""),
        "id": ("zona waktu", ""),
    },
    "cli.diff.field.calendar": {
        "en": ("holiday calendar", ""),
        "id": ("kalender libur", ""),
    },
    "cli.diff.field.number": {
        "en": ("number", ""),
        "id": ("nomor", ""),
    },
    "cli.diff.field.date": {
        "en": ("date", ""),
        "id": ("tanggal", ""),
    },
    "cli.diff.field.known": {
        "en": ("known", ""),
        "id": ("diketahui", ""),
    },
    "cli.diff.field.file": {
        "en": ("file", ""),
        "id": ("berkas", ""),
    },
    "cli.diff.field.url": {
        "en": ("URL", ""),
        "id": ("URL", ""),
    },
    "cli.diff.field.retrieved": {
        "en": ("retrieved", ""),
        "id": ("diambil", ""),
    },
    "cli.diff.field.kind": {
        "en": ("kind", ""),
        "id": ("jenis", ""),
    },
    "cli.diff.field.members": {
        "en": ("members", ""),
        "id": ("anggota", ""),
    },
    "cli.diff.field.note": {
        "en": ("note", ""),
        "id": ("catatan", ""),
    },
    "cli.diff.field.presence": {
        "en": ("presence", ""),
        "id": ("keberadaan", ""),
    },
    "cli.diff.field.condition": {
        "en": ("condition", ""),
        "id": ("kondisi", ""),
    },
    "cli.diff.field.sensitive": {
        "en": ("sensitive", ""),
        "id": ("sensitif", ""),
    },
    "cli.diff.field.type": {
        "en": ("type", ""),
        "id": ("tipe", ""),
    },
    "cli.diff.field.values": {
        "en": ("allowed value", ""),
        "id": ("nilai yang diizinkan", ""),
    },
    "cli.diff.field.required": {
        "en": ("required when the case is opened", ""),
        "id": ("wajib saat kasus dibuka", ""),
    },
    "cli.diff.field.default": {
        "en": ("default", ""),
        "id": ("nilai bawaan", ""),
    },
    "cli.diff.field.text": {
        "en": ("text", ""),
        "id": ("teks", ""),
    },
    "cli.diff.field.document": {
        "en": ("document", ""),
        "id": ("dokumen", ""),
    },
    "cli.diff.field.fact": {
        "en": ("fact", ""),
        "id": ("fakta", ""),
    },
    "cli.diff.field.bound": {
        "en": ("bound", ""),
        "id": ("batas", ""),
    },
    "cli.diff.field.starts": {
        "en": ("clock start", ""),
        "id": ("awal penghitungan", ""),
    },
    "cli.diff.field.starts_after_step": {
        "en": ("clock start step", ""),
        "id": ("langkah awal penghitungan", ""),
    },
    "cli.diff.field.situational": {
        "en": ("situational", ""),
        "id": ("situasional", ""),
    },
    "cli.diff.field.extendable": {
        "en": ("extendable", ""),
        "id": ("dapat diperpanjang", ""),
    },
    "cli.diff.field.extension_rule": {
        "en": ("extension rule", ""),
        "id": ("aturan perpanjangan", ""),
    },
    "cli.diff.field.max_extension": {
        "en": ("maximum extension", ""),
        "id": ("perpanjangan maksimum", ""),
    },
    "cli.diff.field.escalate_to": {
        "en": ("escalation role", ""),
        "id": ("peran eskalasi", ""),
    },
    "cli.diff.field.source_text": {
        "en": ("source text", ""),
        "id": ("teks sumber", ""),
    },
    "cli.diff.field.amount": {
        "en": ("amount", ""),
        "id": ("jumlah", ""),
    },
    "cli.diff.field.currency": {
        "en": ("currency", ""),
        "id": ("mata uang", ""),
    },
    "cli.diff.field.channel": {
        "en": ("channel", ""),
        "id": ("saluran", ""),
    },
    "cli.diff.field.value": {
        "en": ("value", ""),
        "id": ("nilai", ""),
    },
    "cli.diff.field.status": {
        "en": ("status", ""),
        "id": ("status", ""),
    },
    "cli.diff.field.read": {
        "en": ("read", ""),
        "id": ("baca", ""),
    },
    "cli.diff.field.after_closed": {
        "en": ("anonymise closed cases after", ""),
        "id": ("anonimkan kasus tertutup setelah", ""),
    },
    "cli.diff.field.about": {
        "en": ("about", ""),
        "id": ("tentang", ""),
    },
    "cli.diff.field.quote": {
        "en": ("quote", ""),
        "id": ("kutipan", ""),
    },
    "cli.diff.field.deadline": {
        "en": ("deadline", ""),
        "id": ("batas waktu langkah", ""),
    },
    "cli.diff.field.estimate": {
        "en": ("estimate", ""),
        "id": ("perkiraan durasi", ""),
    },
    "cli.diff.field.refer": {
        "en": ("referral", ""),
        "id": ("rujukan", ""),
    },
    "cli.diff.field.label": {
        "en": ("label", ""),
        "id": ("label", ""),
    },
    "cli.diff.field.when": {
        "en": ("condition", ""),
        "id": ("kondisi", ""),
    },
    "cli.diff.unit.working_days": {
        "en": ("working day(s)", ""),
        "id": ("hari kerja", ""),
    },
    "cli.diff.unit.calendar_days": {
        "en": ("calendar day(s)", ""),
        "id": ("hari kalender", ""),
    },
    "cli.diff.unit.hours": {
        "en": ("hour(s)", ""),
        "id": ("jam", ""),
    },
}


# English words that the validator puts into the fields {found}, {expected}, {kind},
# {construct} and {suggestion} of Y/S/R/G messages. Diagnostics keep their parameters in English
# (so Diagnostic.localized works both ways); rendering in Indonesian translates them here.
PHRASES: dict[str, str] = {
    "text": "teks",
    "a whole number": "bilangan bulat",
    "a number": "angka",
    "true or false": "true atau false",
    "a list": "daftar",
    "a mapping": "pemetaan",
    "nothing (null)": "kosong (null)",
    "nothing": "kosong",
    "a single value": "satu nilai",
    "another value": "nilai lain",
    # {kind} of R005
    "role": "peran", "document": "dokumen", "fact": "fakta", "step": "langkah",
    "flag": "catatan (flag)", "outcome": "hasil keputusan",
    # {construct} of R007 (names from engine.expressions)
    "attribute access (a.b)": "akses atribut (a.b)", "function call": "pemanggilan fungsi",
    "subscript (a[b])": "subskrip (a[b])", "power (**)": "pangkat (**)",
    "if-expression": "ekspresi if", "star": "bintang (*)", "assignment (:=)": "penugasan (:=)",
    "text constant longer than 200 characters": "konstanta teks lebih dari 200 karakter",
}
_TRANSLATED_FIELDS = ("found", "expected", "kind", "construct")
_VALIDATION_CODE = re.compile(r"[YSRG]\d{3}$")
_DID_YOU_MEAN = re.compile(r" \(did you mean '(.*)'\?\)", re.DOTALL)


# {action} of the err.store.* entries (what the store was doing when the database failed)
_STORE_ACTIONS = {
    "open it": "membukanya", "list cases": "mendaftar kasus", "read events": "membaca peristiwa",
    "read a procedure": "membaca prosedur", "list procedures": "mendaftar prosedur",
    "write the audit log": "menulis log audit", "read the audit log": "membaca log audit",
    "store a document": "menyimpan dokumen", "read a document": "membaca dokumen",
}
_STORE_ACTION_PREFIXES = (("append to case ", "menambah ke kasus "),
                          ("read case ", "membaca kasus "),
                          ("store procedure ", "menyimpan prosedur "))


def _store_action(action: str) -> str:
    if action in _STORE_ACTIONS:
        return _STORE_ACTIONS[action]
    for english, indonesian in _STORE_ACTION_PREFIXES:
        if action.startswith(english):
            return indonesian + action[len(english):]
    return action


def _in_indonesian(code: str, params: Mapping[str, str]) -> dict[str, str]:
    out = dict(params)
    for name in _TRANSLATED_FIELDS if _VALIDATION_CODE.match(code) else ():
        if name in out:  # "a list or nothing (null)", where "true or false" is one phrase
            parts, words = out[name].split(" or "), []
            while parts:
                pair = " or ".join(parts[:2])
                taken = 2 if len(parts) > 1 and pair in PHRASES else 1
                english = " or ".join(parts[:taken])
                words.append(PHRASES.get(english, english))
                del parts[:taken]
            out[name] = " atau ".join(words)
    if code == "G007" and "limit" in out:  # "3 working_days" -> "3 hari kerja"
        amount, _, unit = out["limit"].partition(" ")
        out["limit"] = f"{amount} {word(unit, 'id')}" if unit else amount
    if code.startswith("err.store.") and "action" in out:
        out["action"] = _store_action(out["action"])
    match = _DID_YOU_MEAN.fullmatch(out.get("suggestion", ""))
    if match:
        out["suggestion"] = f" (maksud Anda '{match[1]}'?)"
    return out


# values of the procedure language and of case states that text output shows as words:
# English as written in files (or its reading), Indonesian for --lang id
WORDS: dict[str, tuple[str, str]] = {
    "working_days": ("working day(s)", "hari kerja"),
    "calendar_days": ("calendar day(s)", "hari kalender"),
    "hours": ("hour(s)", "jam"),
    "case_opened": ("case opened", "kasus dibuka"),
    "requirements_met": ("requirements met", "persyaratan terpenuhi"),
    "step_completed": ("step completed", "langkah selesai"),
    "registered": ("registered", "terdaftar"),
    "active": ("active", "aktif"),
    "completed": ("completed", "selesai"),
    "terminated": ("terminated", "dihentikan"),
    "referred": ("referred", "dirujuk"),
    "rejected": ("rejected", "ditolak"),
    "withdrawn": ("withdrawn", "dicabut"),
}


def word(value: str, lang: str | None) -> str:
    """``value`` (a unit, a clock start, a status) as a word of ``lang``; unknown values as
    they are."""
    pair = WORDS.get(value)
    if pair is None:
        return value
    return pair[1] if lang == "id" else pair[0]


class _Lenient(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def default_lang() -> str:
    lang = os.environ.get("ALUR_LANG", "en").strip().lower()[:2]
    return lang if lang in LANGS else "en"


def render(code: str, lang: str, params: Mapping[str, str]) -> tuple[str, str]:
    """Message and hint for ``code`` in ``lang`` (falls back to English, then to the code)."""
    entry = CATALOGUE.get(code)
    if entry is None:
        return code, ""
    message, hint = entry.get(lang) or entry["en"]
    fields = _Lenient(_in_indonesian(code, params) if lang == "id" else params)
    fmt = string.Formatter()
    return fmt.vformat(message, (), fields), fmt.vformat(hint, (), fields)


def text(code: str, lang: str | None = None, **params: object) -> tuple[str, str]:
    """Render a catalogue entry with keyword parameters (convenience for runtime messages)."""
    return render(code, lang or default_lang(), {k: str(v) for k, v in params.items()})
