"""Message catalogue: every user-facing message in English (``en``) and Indonesian (``id``).

Each entry maps a stable code to ``(message, hint)`` templates per language; templates use
``{name}`` fields filled from the caller's parameters. A missing field renders as ``?`` rather than
raising, so a message can never crash the program that reports a problem. A field written
``{name!t}`` takes term codes (``list|null``, ``append_case=K-1``) that render as the ``term.*``
entries in the message's language: the code never passes English words to be translated.
The language is chosen by ``--lang`` or ``ALUR_LANG`` (default ``en``).

This is alur's one translation mechanism (docs/architecture.md, "Translation"): every key has
both languages with the same fields, and no user-facing text is written outside this module
(``tests/test_translation_catalogue.py``).
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping

__all__ = ["CATALOGUE", "LANGS", "default_lang", "line", "render", "text"]

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
    # --- import.note.*, import.comment.*: review notes and comments of alur import ----------------
    "import.note.title": {
        "en": ("title taken from the line '{line}'; check it", ""),
        "id": ("judul diambil dari baris '{line}'; periksa", ""),
    },
    "import.note.title_missing": {
        "en": ("no service title found; write the title as published", ""),
        "id": ("judul layanan tidak ditemukan; tulis judul sesuai publikasi", ""),
    },
    "import.note.header_tail": {
        "en": ("'{tail}' was removed from this line as the wrapped end of the page header", ""),
        "id": ("'{tail}' dihapus dari baris ini sebagai sambungan kepala halaman", ""),
    },
    "import.note.agency": {
        "en": ("agency name taken from the page header; check it", ""),
        "id": ("nama instansi diambil dari kepala halaman; periksa", ""),
    },
    "import.note.agency_missing": {
        "en": ("no agency name found; write it as published", ""),
        "id": ("nama instansi tidak ditemukan; tulis sesuai publikasi", ""),
    },
    "import.note.region_missing": {
        "en": ("no region (Kota/Kabupaten/Provinsi) found; write it", ""),
        "id": ("wilayah (Kota/Kabupaten/Provinsi) tidak ditemukan; isi", ""),
    },
    "import.note.unit": {
        "en": ("unit guessed from the mentions of '{unit}' in the text", ""),
        "id": ("unit ditebak dari penyebutan '{unit}' dalam teks", ""),
    },
    "import.note.timezone": {
        "en": ("time zone not given by the source: {tz} assumed from the region", ""),
        "id": ("zona waktu tidak disebut sumber: {tz} diasumsikan dari wilayah", ""),
    },
    "import.note.decree_blank": {
        "en": ("the SK number is blank in the source ('{quote}'): number null, known false; "
               "never invent a number",
               ""),
        "id": ("nomor SK kosong di sumber ('{quote}'): number null, known false; jangan "
               "mengarang nomor",
               ""),
    },
    "import.note.decree_absent": {
        "en": ("the source gives no SK number: number null, known false", ""),
        "id": ("sumber tidak memuat nomor SK: number null, known false", ""),
    },
    "import.note.role_new": {
        "en": ("new role from the leading phrase '{phrase}' of step {number}; kind 'staff' "
               "assumed",
               ""),
        "id": ("peran baru dari frasa awal '{phrase}' pada langkah {number}; jenis 'staff' "
               "diasumsikan",
               ""),
    },
    "import.note.role_aliases": {
        "en": ("'{phrase}' is also called {names} in the source: one role with aliases "
               "assumed; split it if they are different parties", ""),
        "id": ("'{phrase}' juga disebut {names} dalam sumber: diasumsikan satu peran dengan "
               "alias; pisahkan bila mereka pihak yang berbeda", ""),
    },
    "import.note.team_empty": {
        "en": ("team '{phrase}': the source lists no members; add them", ""),
        "id": ("tim '{phrase}': sumber tidak menyebut anggotanya; tambahkan", ""),
    },
    "import.note.actor_inferred": {
        "en": ("step {number} names no actor: assumed to be {actor}, the actor of the "
               "previous step",
               ""),
        "id": ("langkah {number} tidak menyebut pelaku: diasumsikan {actor}, pelaku langkah "
               "sebelumnya",
               ""),
    },
    "import.note.actor_placeholder": {
        "en": ("step {number} names no actor and no step comes before it: placeholder role; "
               "name the actor",
               ""),
        "id": ("langkah {number} tidak menyebut pelaku dan tidak ada langkah sebelumnya: "
               "peran sementara; sebutkan pelakunya",
               ""),
    },
    "import.note.actor_by": {
        "en": ("actor of step {number} taken from 'oleh {actor}' (passive sentence)", ""),
        "id": ("pelaku langkah {number} diambil dari 'oleh {actor}' (kalimat pasif)", ""),
    },
    "import.note.other_actors": {
        "en": ("step {number} also describes actions by {roles}: consider splitting it "
               "({number}a, {number}b, ...)",
               ""),
        "id": ("langkah {number} juga memuat tindakan {roles}: pertimbangkan memecahnya "
               "({number}a, {number}b, ...)",
               ""),
    },
    "import.note.decision": {
        "en": ("the branches of step {number} became outcomes chosen by hand; the source does "
               "not say where each leads: all go to {target}",
               ""),
        "id": ("cabang langkah {number} menjadi hasil keputusan yang dipilih manual; sumber "
               "tidak menyebut ke mana masing-masing menuju: semuanya ke {target}",
               ""),
    },
    "import.note.copy_error": {
        "en": ("the branches of step {number} have the same text (evident copy error): kept "
               "verbatim for the agency to correct",
               ""),
        "id": ("cabang-cabang langkah {number} bertekst sama (jelas salah salin): disalin apa "
               "adanya agar diperbaiki instansi",
               ""),
    },
    "import.note.one_branch": {
        "en": ("step {number} contains a condition the draft does not model: decide whether "
               "it is a decision (and where the other branch goes) or a condition on "
               "participants or documents",
               ""),
        "id": ("langkah {number} memuat kondisi yang tidak dimodelkan draf: tentukan apakah "
               "ini keputusan (dan ke mana cabang lainnya) atau kondisi bagi peserta atau "
               "dokumen",
               ""),
    },
    "import.note.joint": {
        "en": ("step {number}: '{quote}' names several actors: drafted as joint roles {roles} "
               "who must each sign off (sign_off: all); use 'any' if one of them suffices",
               ""),
        "id": ("langkah {number}: '{quote}' menyebut beberapa pelaksana: dirancang sebagai "
               "peran bersama {roles} yang masing-masing harus tercatat (sign_off: all); "
               "pakai 'any' bila salah satu cukup",
               ""),
    },
    "import.note.repeat": {
        "en": ("step {number}: '{quote}' drafted as a recurring obligation that ends with "
               "'{until}' (a step completing, or a duration): check the end the source gives",
               ""),
        "id": ("langkah {number}: '{quote}' dirancang sebagai kewajiban berulang yang berakhir "
               "dengan '{until}' (langkah yang selesai, atau lamanya): periksa akhir yang "
               "disebut sumber",
               ""),
    },
    "import.note.phase_limit": {
        "en": ("step {number}: '{quote}' drafted as a further time limit that ends when the step "
               "completes and starts at {start}: check the event the source counts from",
               ""),
        "id": ("langkah {number}: '{quote}' dirancang sebagai batas waktu tambahan yang berakhir "
               "saat langkah ini selesai dan mulai pada {start}: periksa peristiwa awal "
               "penghitungan menurut sumber",
               ""),
    },
    "import.note.repeated": {
        "en": ("step {number} repeats '{quote}' (probably a copy or extraction error); kept "
               "verbatim",
               ""),
        "id": ("langkah {number} mengulang '{quote}' (kemungkinan salah salin atau "
               "ekstraksi); disalin apa adanya",
               ""),
    },
    "import.note.steps_unnumbered": {
        "en": ("the steps are not numbered in the source: each line became one step", ""),
        "id": ("langkah tidak bernomor di sumber: setiap baris menjadi satu langkah", ""),
    },
    "import.note.steps_missing": {
        "en": ("no steps found in the source: one placeholder step; write the steps", ""),
        "id": ("langkah tidak ditemukan di sumber: satu langkah sementara; tulis langkahnya", ""),
    },
    "import.note.req_fact": {
        "en": ("requirement {number} reads as a condition, not a document: recorded as the "
               "bool fact '{fact}'",
               ""),
        "id": ("persyaratan {number} berupa keadaan, bukan dokumen: dicatat sebagai fakta "
               "bool '{fact}'",
               ""),
    },
    "import.note.req_missing": {
        "en": ("no 'Persyaratan' section found", ""),
        "id": ("bagian 'Persyaratan' tidak ditemukan", ""),
    },
    "import.note.documents": {
        "en": ("kind and 'sensitive' of each document guessed from its title", ""),
        "id": ("jenis dan 'sensitive' setiap dokumen ditebak dari judulnya", ""),
    },
    "import.note.time_unit": {
        "en": ("the source says '{quote}' without 'kerja' or 'kalender': working days assumed",
               ""),
        "id": ("sumber menulis '{quote}' tanpa 'kerja' atau 'kalender': hari kerja diasumsikan",
               ""),
    },
    "import.note.time_converted": {
        "en": ("'{quote}' converted to {amount} {unit}", ""),
        "id": ("'{quote}' dikonversi menjadi {amount} {unit}", ""),
    },
    "import.note.time_amount": {
        "en": ("no number of days found in the time limit: amount null", ""),
        "id": ("jumlah hari tidak ditemukan pada jangka waktu: amount null", ""),
    },
    "import.note.time_starts": {
        "en": ("the source does not say when the clock starts: assumed when the case is opened",
               ""),
        "id": ("sumber tidak menyebut kapan penghitungan dimulai: diasumsikan saat kasus dibuka",
               ""),
    },
    "import.note.time_requirements": {
        "en": ("'{quote}' read as: the clock starts when the requirements are met", ""),
        "id": ("'{quote}' dibaca: penghitungan dimulai saat persyaratan terpenuhi", ""),
    },
    "import.note.time_situational": {
        "en": ("'{quote}': limit marked situational and extendable; the source does not say "
               "who may extend it, why or by how much",
               ""),
        "id": ("'{quote}': jangka waktu ditandai situasional dan dapat diperpanjang; sumber "
               "tidak menyebut siapa, mengapa atau berapa lama",
               ""),
    },
    "import.note.time_extendable": {
        "en": ("'{quote}': limit marked extendable; the source does not say who may extend it "
               "or by how much",
               ""),
        "id": ("'{quote}': jangka waktu ditandai dapat diperpanjang; sumber tidak menyebut "
               "siapa yang boleh memperpanjang atau berapa lama",
               ""),
    },
    "import.note.time_missing": {
        "en": ("no time limit section found: amount null", ""),
        "id": ("bagian jangka waktu tidak ditemukan: amount null", ""),
    },
    "import.note.cost_missing": {
        "en": ("no cost section found: free of charge assumed", ""),
        "id": ("bagian biaya tidak ditemukan: diasumsikan tidak dipungut biaya", ""),
    },
    "import.note.cost_amount": {
        "en": ("amount {amount} read from '{quote}'; check it", ""),
        "id": ("jumlah {amount} dibaca dari '{quote}'; periksa", ""),
    },
    "import.note.cost_unclear": {
        "en": ("cost text not understood: amount 0 assumed", ""),
        "id": ("teks biaya tidak dipahami: jumlah 0 diasumsikan", ""),
    },
    "import.note.products_missing": {
        "en": ("no product section found: the service title is used", ""),
        "id": ("bagian produk tidak ditemukan: judul layanan dipakai", ""),
    },
    "import.note.complaints_missing": {
        "en": ("no complaint channel found; add the published ones", ""),
        "id": ("saluran pengaduan tidak ditemukan; tambahkan yang dipublikasikan", ""),
    },
    "import.note.complaint_other": {
        "en": ("channel of '{quote}' not recognised: 'other'", ""),
        "id": ("saluran '{quote}' tidak dikenali: 'other'", ""),
    },
    "import.note.retention": {
        "en": ("the source gives no retention period: 5 years (1825 calendar days) assumed", ""),
        "id": ("sumber tidak menyebut masa retensi: 5 tahun (1825 hari kalender) diasumsikan", ""),
    },
    "import.note.language": {
        "en": ("the source looks English: language 'en'", ""),
        "id": ("sumber tampak berbahasa Inggris: language 'en'", ""),
    },
    "import.note.truncated": {
        "en": ("text longer than {limit} characters was cut", ""),
        "id": ("teks lebih dari {limit} karakter dipotong", ""),
    },
    "import.note.fallback_linear": {
        "en": ("the full draft did not validate: decisions and document links were removed "
               "and the steps put in a straight line",
               ""),
        "id": ("draf lengkap tidak valid: keputusan dan tautan dokumen dihapus dan langkah "
               "dibuat berurutan lurus",
               ""),
    },
    "import.note.fallback_skeleton": {
        "en": ("the draft did not validate: only the step texts were kept; rebuild the rest "
               "from the source",
               ""),
        "id": ("draf tidak valid: hanya teks langkah yang dipertahankan; susun sisanya dari "
               "sumber",
               ""),
    },
    "import.note.fallback_minimal": {
        "en": ("the source could not be turned into a valid draft: a minimal placeholder "
               "procedure; write it from the source",
               ""),
        "id": ("sumber tidak dapat diubah menjadi draf yang valid: prosedur sementara "
               "minimal; tulis dari sumber",
               ""),
    },
    "import.comment.head1": {
        "en": ("Draft generated by 'alur import' from {source}.", ""),
        "id": ("Draf dibuat oleh 'alur import' dari {source}.", ""),
    },
    "import.comment.head2": {
        "en": ("Every '# REVIEW:' line is a guess: check it against the source, fix the "
               "value, then delete",
               ""),
        "id": ("Setiap baris '# REVIEW:' adalah tebakan: cocokkan dengan sumber, perbaiki "
               "nilainya, lalu",
               ""),
    },
    "import.comment.head3": {
        "en": ("the comment (keep the flag when the source itself is unclear). Texts are "
               "verbatim.",
               ""),
        "id": ("hapus komentarnya (flag tetap bila sumbernya sendiri tidak jelas). Teks apa "
               "adanya.",
               ""),
    },
    "import.comment.roles": {
        "en": ("roles", ""),
        "id": ("peran", ""),
    },
    "import.comment.documents": {
        "en": ("documents", ""),
        "id": ("dokumen", ""),
    },
    "import.comment.facts": {
        "en": ("facts", ""),
        "id": ("fakta", ""),
    },
    "import.comment.requirements": {
        "en": ("Persyaratan", ""),
        "id": ("Persyaratan", ""),
    },
    "import.comment.steps": {
        "en": ("Sistem, Mekanisme dan Prosedur", ""),
        "id": ("Sistem, Mekanisme dan Prosedur", ""),
    },
    "import.comment.time_limit": {
        "en": ("Waktu Penyelesaian", ""),
        "id": ("Waktu Penyelesaian", ""),
    },
    "import.comment.cost": {
        "en": ("Biaya / Tarif, Produk, Pengaduan", ""),
        "id": ("Biaya / Tarif, Produk, Pengaduan", ""),
    },
    "import.comment.components": {
        "en": ("the 8 internal components", ""),
        "id": ("8 komponen internal", ""),
    },
    "import.comment.retention": {
        "en": ("retention", ""),
        "id": ("retensi", ""),
    },
    "import.comment.flags": {
        "en": ("flags: what the source leaves open and what the draft guessed", ""),
        "id": ("flag: yang tidak jelas di sumber dan yang ditebak draf", ""),
    },
    # --- import.text.*: values alur import writes into a draft when the source is silent ----------
    "import.text.untitled": {
        "en": ("Untitled service", ""),
        "id": ("Layanan tanpa judul", ""),
    },
    "import.text.agency_unknown": {
        "en": ("(agency unknown)", ""),
        "id": ("(instansi belum diketahui)", ""),
    },
    "import.text.region_unknown": {
        "en": ("(region unknown)", ""),
        "id": ("(wilayah belum diketahui)", ""),
    },
    "import.text.unknown": {
        "en": ("(unknown)", ""),
        "id": ("(belum diketahui)", ""),
    },
    "import.text.mentioned": {
        "en": ("Mentioned in step {numbers}.", ""),
        "id": ("Disebut pada langkah {numbers}.", ""),
    },
    "import.text.officer": {
        "en": ("Officer", ""),
        "id": ("Petugas", ""),
    },
    "import.text.step_unwritten": {
        "en": ("Step not written yet", ""),
        "id": ("Langkah belum ditulis", ""),
    },
    "import.text.no_step_in_source": {
        "en": ("(no step found in the source)", ""),
        "id": ("(langkah tidak ditemukan di sumber)", ""),
    },
    "import.text.no_step": {
        "en": ("(no step found)", ""),
        "id": ("(langkah tidak ditemukan di sumber)", ""),
    },
    "import.text.not_given": {
        "en": ("(not given by the source)", ""),
        "id": ("(tidak disebutkan dalam sumber)", ""),
    },
    "import.text.branch": {
        "en": ("Branch {number}", ""),
        "id": ("Cabang {number}", ""),
    },
    "import.text.or": {
        "en": ("{first} or {second}", ""),
        "id": ("{first} atau {second}", ""),
    },
    "import.text.step": {
        "en": ("Step {number}", ""),
        "id": ("Langkah {number}", ""),
    },
    "import.text.source": {
        "en": ("text", ""),
        "id": ("teks", ""),
    },
    # --- cli.policy.*: alur diff and alur simulate reports ----------------------------------------
    "cli.policy.comparing": {
        "en": ("Comparing {old} → {new}", ""),
        "id": ("Membandingkan {old} → {new}", ""),
    },
    "cli.policy.none": {
        "en": ("No differences.", ""),
        "id": ("Tidak ada perbedaan.", ""),
    },
    "cli.policy.count": {
        "en": ("{count} change(s):", ""),
        "id": ("{count} perubahan:", ""),
    },
    "cli.policy.cases": {
        "en": ("Running cases at a step that the new version removes or changes:", ""),
        "id": ("Kasus berjalan pada langkah yang dihapus atau diubah versi baru:", ""),
    },
    "cli.policy.no_cases": {
        "en": ("No running case sits at a step that the new version removes or changes.", ""),
        "id": ("Tidak ada kasus berjalan pada langkah yang dihapus atau diubah versi baru.", ""),
    },
    "cli.policy.removed": {
        "en": ("removed", ""),
        "id": ("dihapus", ""),
    },
    "cli.policy.changed": {
        "en": ("changed", ""),
        "id": ("diubah", ""),
    },
    "cli.policy.pinned": {
        "en": ("runs the old version", ""),
        "id": ("menjalankan versi lama", ""),
    },
    "cli.policy.by_id": {
        "en": ("runs another stored version; matched by procedure and step id", ""),
        "id": ("menjalankan versi lain; dicocokkan dengan id prosedur dan langkah", ""),
    },
    "cli.policy.at_step": {
        "en": ("at step {number} '{step}'", ""),
        "id": ("pada langkah {number} '{step}'", ""),
    },
    "cli.policy.sim_title": {
        "en": ("Simulation of {id} v{version}: {cases} case(s), seed {seed}, {rate} "
               "arrival(s) per working day from {start}",
               ""),
        "id": ("Simulasi {id} v{version}: {cases} kasus, seed {seed}, {rate} kedatangan per "
               "hari kerja mulai {start}",
               ""),
    },
    "cli.policy.sim_model": {
        "en": ("Working time 08:00-16:00 on working days; step durations lognormal around "
               "each estimate; external roles unlimited.",
               ""),
        "id": ("Waktu kerja 08.00-16.00 pada hari kerja; durasi langkah lognormal di sekitar "
               "perkiraannya; peran eksternal tanpa batas.",
               ""),
    },
    "cli.policy.sim_staff": {
        "en": ("Staff: {staff}", ""),
        "id": ("Petugas: {staff}", ""),
    },
    "cli.policy.sim_finished": {
        "en": ("Finished: {finished} of {cases} ({outcomes})", ""),
        "id": ("Selesai: {finished} dari {cases} ({outcomes})", ""),
    },
    "cli.policy.sim_unfinished": {
        "en": ("{count} case(s) stopped unfinished: a loop reached --max-visits {max_visits}", ""),
        "id": ("{count} kasus berhenti tanpa selesai: putaran mencapai --max-visits {max_visits}",
               ""),
    },
    "cli.policy.sim_completion": {
        "en": ("Completion, working days from the clock start ({starts}):", ""),
        "id": ("Penyelesaian, hari kerja sejak penghitungan dimulai ({starts}):", ""),
    },
    "cli.policy.sim_total": {
        "en": ("Total, working days from arrival:", ""),
        "id": ("Total, hari kerja sejak kedatangan:", ""),
    },
    "cli.policy.sim_stats": {
        "en": ("  mean {mean}  median {median}  p90 {p90}  max {max}", ""),
        "id": ("  rata-rata {mean}  median {median}  p90 {p90}  maks {max}", ""),
    },
    "cli.policy.sim_limit": {
        "en": ("Time limit {amount} {unit}: {breached} of {assessed} case(s) breach it ({share})",
               ""),
        "id": ("Jangka waktu {amount} {unit}: {breached} dari {assessed} kasus melampauinya "
               "({share})",
               ""),
    },
    "cli.policy.sim_overloaded": {
        "en": ("WARNING: {role} is over capacity: {demand} working day(s) of its work arrive per "
               "working day for {staff} person(s); its queue grows as long as cases arrive, so "
               "the times and breaches above measure the overload. Try --staff {role}={needed} "
               "or --arrivals-per-day {rate}.", ""),
        "id": ("PERINGATAN: {role} melebihi kapasitas: {demand} hari kerja pekerjaannya datang "
               "per hari kerja untuk {staff} orang; antreannya tumbuh selama kasus datang, jadi "
               "waktu dan pelampauan di atas mengukur beban lebih itu. Coba --staff "
               "{role}={needed} atau --arrivals-per-day {rate}.", ""),
    },
    "cli.policy.sim_no_limit": {
        "en": ("Time limit: not assessed (no amount, or a minimum bound)", ""),
        "id": ("Jangka waktu: tidak dinilai (tanpa jumlah, atau batas minimum)", ""),
    },
    "cli.policy.sim_roles": {
        "en": ("Roles, bottleneck first:", ""),
        "id": ("Peran, hambatan terbesar lebih dulu:", ""),
    },
    "cli.policy.sim_header": {
        "en": ("  {role:<24} {staff:>5} {util:>7} {wait:>10} {maxwait:>10} {tasks:>6}", ""),
        "id": ("  {role:<24} {staff:>5} {util:>7} {wait:>10} {maxwait:>10} {tasks:>6}", ""),
    },
    "cli.policy.h_role": {
        "en": ("ROLE", ""),
        "id": ("PERAN", ""),
    },
    "cli.policy.h_staff": {
        "en": ("STAFF", ""),
        "id": ("STAF", ""),
    },
    "cli.policy.h_util": {
        "en": ("UTIL", ""),
        "id": ("UTIL", ""),
    },
    "cli.policy.h_wait": {
        "en": ("MEAN WAIT", ""),
        "id": ("RATA TUNGGU", ""),
    },
    "cli.policy.h_max": {
        "en": ("MAX WAIT", ""),
        "id": ("MAKS TUNGGU", ""),
    },
    "cli.policy.h_tasks": {
        "en": ("TASKS", ""),
        "id": ("TUGAS", ""),
    },
    "cli.policy.external": {
        "en": ("(external)", ""),
        "id": ("(eksternal)", ""),
    },
    "cli.policy.day": {
        "en": ("d", ""),
        "id": ("hk", ""),
    },
    "cli.policy.working_days": {
        "en": ("working day(s)", ""),
        "id": ("hari kerja", ""),
    },
    "cli.policy.calendar_days": {
        "en": ("calendar day(s)", ""),
        "id": ("hari kalender", ""),
    },
    "cli.policy.hours": {
        "en": ("hour(s)", ""),
        "id": ("jam", ""),
    },
    # --- err.policy.*: refusals of alur diff and alur simulate ------------------------------------
    "err.policy.no_store": {
        "en": ("no store at {url}", "give the URL of an existing store; diff never creates one"),
        "id": ("tidak ada penyimpanan di {url}",
               "berikan URL penyimpanan yang sudah ada; diff tidak pernah membuatnya"),
    },
    "err.policy.weight": {
        "en": ("--weight '{item}' is not STEP.OUTCOME=WEIGHT",
               "write e.g. --weight keputusan_terminasi.terminasi=3"),
        "id": ("--weight '{item}' bukan LANGKAH.HASIL=BOBOT",
               "tulis mis. --weight keputusan_terminasi.terminasi=3"),
    },
    # --- cli.import.*, cli.new.*, err.import.*: alur import and alur new --------------------------
    "err.import.unreadable": {
        "en": ("cannot read '{source}': {problem}",
               "give the path of the SP copied as plain text (.txt)"),
        "id": ("berkas '{source}' tidak dapat dibaca: {problem}",
               "berikan jalur teks SP yang disalin sebagai teks biasa (.txt)"),
    },
    "cli.import.not_utf8": {
        "en": ("the file is not UTF-8: read as Windows-1252; check accented letters", ""),
        "id": ("berkas bukan UTF-8: dibaca sebagai Windows-1252; periksa huruf beraksen", ""),
    },
    "err.write.exists": {
        "en": ("'{path}' already exists; not overwritten",
               "choose another -o FILE, or add --force to replace it"),
        "id": ("'{path}' sudah ada; tidak ditimpa",
               "pilih -o BERKAS lain, atau tambahkan --force untuk menggantinya"),
    },
    "err.write.failed": {
        "en": ("cannot write '{path}': {problem}", "check the folder exists and may be written"),
        "id": ("'{path}' tidak dapat ditulis: {problem}",
               "periksa foldernya ada dan boleh ditulisi"),
    },
    "cli.import.summary": {
        "en": ("{where}: draft '{id}' is well-formed but NOT ready ({warnings} warning(s)); "
               "{notes} point(s) to review (# REVIEW):",
               ""),
        "id": ("{where}: draf '{id}' tersusun benar tetapi BELUM siap ({warnings} "
               "peringatan); {notes} hal perlu ditinjau (# REVIEW):",
               ""),
    },
    "cli.import.summary_ready": {
        "en": ("{where}: draft '{id}' valid ({warnings} warning(s)); nothing left to review",
               ""),
        "id": ("{where}: draf '{id}' sah ({warnings} peringatan); tidak ada yang perlu "
               "ditinjau",
               ""),
    },
    "cli.import.fallback": {
        "en": ("the draft was simplified to validate (level {level}/3)", ""),
        "id": ("draf disederhanakan agar valid (tingkat {level}/3)", ""),
    },
    "cli.import.next": {
        "en": ("next: review every # REVIEW, then run: alur validate {target}", ""),
        "id": ("berikutnya: tinjau setiap # REVIEW, lalu jalankan: alur --lang id validate "
               "{target}",
               ""),
    },
    "cli.new.ask_title": {
        "en": ("Service name (as in the SP)", ""),
        "id": ("Nama layanan (sesuai SP)", ""),
    },
    "cli.new.ask_id": {
        "en": ("Procedure id", ""),
        "id": ("Id prosedur", ""),
    },
    "cli.new.ask_agency": {
        "en": ("Agency", ""),
        "id": ("Nama instansi", ""),
    },
    "cli.new.ask_region": {
        "en": ("Region (e.g. Kota Pasuruan)", ""),
        "id": ("Wilayah (mis. Kota Pasuruan)", ""),
    },
    "cli.new.ask_unit": {
        "en": ("Delivering unit (leave empty if none)", ""),
        "id": ("Unit pelaksana (kosongkan bila tidak ada)", ""),
    },
    "cli.new.ask_timezone": {
        "en": ("Time zone", ""),
        "id": ("Zona waktu", ""),
    },
    "cli.new.written": {
        "en": ("{target}: procedure skeleton '{id}' written (valid). Replace every "
               "REPLACE/GANTI from the SP, then: alur validate {target}",
               ""),
        "id": ("{target}: kerangka prosedur '{id}' ditulis (valid). Isi setiap GANTI dari SP, "
               "lalu: alur --lang id validate {target}",
               ""),
    },
    "err.new.invalid": {
        "en": ("the skeleton does not validate: {problem}", "shorten or simplify the answers"),
        "id": ("kerangka tidak valid: {problem}", "persingkat atau sederhanakan jawabannya"),
    },
    # --- term.*: words a message takes as a parameter --------------------------------------------
    # A field written {name!t} holds term codes, not words: 'list', 'list|null' (alternatives,
    # joined by term.or) or 'append_case=K-1' (a term with its argument, the {arg} of the entry).
    # The code passes codes; each language renders its own words. Diagnostics keep the codes.
    "term.or": {
        "en": (" or ", ""),
        "id": (" atau ", ""),
    },
    "term.did_you_mean": {
        "en": (" (did you mean '{arg}'?)", ""),
        "id": (" (maksud Anda '{arg}'?)", ""),
    },
    "term.text": {
        "en": ("text", ""),
        "id": ("teks", ""),
    },
    "term.int": {
        "en": ("a whole number", ""),
        "id": ("bilangan bulat", ""),
    },
    "term.number": {
        "en": ("a number", ""),
        "id": ("angka", ""),
    },
    "term.bool": {
        "en": ("true or false", ""),
        "id": ("true atau false", ""),
    },
    "term.list": {
        "en": ("a list", ""),
        "id": ("daftar", ""),
    },
    "term.mapping": {
        "en": ("a mapping", ""),
        "id": ("pemetaan", ""),
    },
    "term.null": {
        "en": ("nothing (null)", ""),
        "id": ("kosong (null)", ""),
    },
    "term.nothing": {
        "en": ("nothing", ""),
        "id": ("kosong", ""),
    },
    "term.single_value": {
        "en": ("a single value", ""),
        "id": ("satu nilai", ""),
    },
    "term.other_value": {
        "en": ("another value", ""),
        "id": ("nilai lain", ""),
    },
    "term.date": {
        "en": ("a date (YYYY-MM-DD)", ""),
        "id": ("tanggal (YYYY-MM-DD)", ""),
    },
    "term.one_of": {
        "en": ("one of {arg}", ""),
        "id": ("salah satu dari {arg}", ""),
    },
    "term.role": {
        "en": ("role", ""),
        "id": ("peran", ""),
    },
    "term.document": {
        "en": ("document", ""),
        "id": ("dokumen", ""),
    },
    "term.fact": {
        "en": ("fact", ""),
        "id": ("fakta", ""),
    },
    "term.step": {
        "en": ("step", ""),
        "id": ("langkah", ""),
    },
    "term.flag": {
        "en": ("flag", ""),
        "id": ("catatan (flag)", ""),
    },
    "cli.service.open": {"en": ("open", ""), "id": ("terbuka", "")},
    "cli.service.ended": {"en": ("ended", ""), "id": ("selesai", "")},
    "cli.service.skipped": {"en": ("not selected", ""), "id": ("tidak dipilih", "")},
    "term.service": {
        "en": ("service", ""),
        "id": ("layanan", ""),
    },
    "term.outcome": {
        "en": ("outcome", ""),
        "id": ("hasil keputusan", ""),
    },
    "term.attribute": {
        "en": ("attribute access (a.b)", ""),
        "id": ("akses atribut (a.b)", ""),
    },
    "term.call": {
        "en": ("function call", ""),
        "id": ("pemanggilan fungsi", ""),
    },
    "term.subscript": {
        "en": ("subscript (a[b])", ""),
        "id": ("subskrip (a[b])", ""),
    },
    "term.power": {
        "en": ("power (**)", ""),
        "id": ("pangkat (**)", ""),
    },
    "term.lambda": {
        "en": ("lambda", ""),
        "id": ("lambda", ""),
    },
    "term.if": {
        "en": ("if-expression", ""),
        "id": ("ekspresi if", ""),
    },
    "term.star": {
        "en": ("star", ""),
        "id": ("bintang (*)", ""),
    },
    "term.assignment": {
        "en": ("assignment (:=)", ""),
        "id": ("penugasan (:=)", ""),
    },
    "term.condition_long": {"en": ("condition longer than 1000 characters", ""),
                            "id": ("kondisi lebih dari 1000 karakter", "")},
    "term.condition_parts": {"en": ("condition with more than 200 parts", ""),
                             "id": ("kondisi dengan lebih dari 200 bagian", "")},
    "term.many_items": {"en": ("list with more than 100 items", ""),
                        "id": ("daftar dengan lebih dari 100 butir", "")},
    "term.big_number": {"en": ("number larger than 18 digits", ""),
                        "id": ("angka lebih dari 18 digit", "")},
    "term.repeat_sequence": {"en": ("repeating a list or text (*)", ""),
                             "id": ("pengulangan daftar atau teks (*)", "")},
    "term.note_inference": {"en": ("inference", ""), "id": ("penyimpulan", "")},
    "term.note_assumption": {"en": ("assumption", ""), "id": ("asumsi", "")},
    "term.note_gap": {"en": ("gap", ""), "id": ("kekosongan", "")},
    "term.note_conflict": {"en": ("conflict", ""), "id": ("pertentangan", "")},
    "term.note_typo": {"en": ("typo", ""), "id": ("salah ketik", "")},
    # --- words of units, clock starts and statuses (messages.word) --------------------------
    "term.working_days": {"en": ("working day(s)", ""), "id": ("hari kerja", "")},
    "term.calendar_days": {"en": ("calendar day(s)", ""), "id": ("hari kalender", "")},
    "term.hours": {"en": ("hour(s)", ""), "id": ("jam", "")},
    "term.minutes": {"en": ("minute(s)", ""), "id": ("menit", "")},
    "term.months": {"en": ("month(s)", ""), "id": ("bulan", "")},
    "term.original": {"en": ("original", ""), "id": ("asli", "")},
    "term.copy": {"en": ("copy", ""), "id": ("fotokopi", "")},
    "term.original_and_copy": {"en": ("original and copy", ""), "id": ("asli dan fotokopi", "")},
    "term.case_opened": {"en": ("case opened", ""), "id": ("kasus dibuka", "")},
    "term.requirements_met": {"en": ("requirements met", ""), "id": ("persyaratan terpenuhi", "")},
    "term.step_completed": {"en": ("step completed", ""), "id": ("langkah selesai", "")},
    "term.registered": {"en": ("registered", ""), "id": ("terdaftar", "")},
    "term.active": {"en": ("active", ""), "id": ("aktif", "")},
    "term.completed": {"en": ("completed", ""), "id": ("selesai", "")},
    "term.terminated": {"en": ("terminated", ""), "id": ("dihentikan", "")},
    "term.referred": {"en": ("referred", ""), "id": ("dirujuk", "")},
    "term.rejected": {"en": ("rejected", ""), "id": ("ditolak", "")},
    "term.withdrawn": {"en": ("withdrawn", ""), "id": ("dicabut", "")},
    "term.long_text": {
        "en": ("text constant longer than 200 characters", ""),
        "id": ("konstanta teks lebih dari 200 karakter", ""),
    },
    "term.terminate": {
        "en": ("terminate a case", ""),
        "id": ("mengakhiri kasus", ""),
    },
    "term.extend": {
        "en": ("extend a deadline", ""),
        "id": ("memperpanjang tenggat", ""),
    },
    "term.open": {
        "en": ("open it", ""),
        "id": ("membukanya", ""),
    },
    "term.list_cases": {
        "en": ("list cases", ""),
        "id": ("mendaftar kasus", ""),
    },
    "term.read_events": {
        "en": ("read events", ""),
        "id": ("membaca peristiwa", ""),
    },
    "term.read_procedure": {
        "en": ("read a procedure", ""),
        "id": ("membaca prosedur", ""),
    },
    "term.list_procedures": {
        "en": ("list procedures", ""),
        "id": ("mendaftar prosedur", ""),
    },
    "term.write_audit": {
        "en": ("write the audit log", ""),
        "id": ("menulis log audit", ""),
    },
    "term.read_schema": {"en": ("read the schema", ""), "id": ("membaca skema", "")},
    "term.list_documents": {"en": ("list documents", ""), "id": ("mendaftar dokumen", "")},
    "term.read_ledger": {"en": ("read the ledger", ""), "id": ("membaca buku besar", "")},
    "term.checkpoint_wal": {"en": ("checkpoint the WAL", ""),
                            "id": ("mengosongkan WAL (checkpoint)", "")},
    "term.read_audit": {
        "en": ("read the audit log", ""),
        "id": ("membaca log audit", ""),
    },
    "term.store_document": {
        "en": ("store a document", ""),
        "id": ("menyimpan dokumen", ""),
    },
    "term.read_document": {
        "en": ("read a document", ""),
        "id": ("membaca dokumen", ""),
    },
    "term.append_case": {
        "en": ("append to case {arg}", ""),
        "id": ("menambah ke kasus {arg}", ""),
    },
    "term.read_case": {
        "en": ("read case {arg}", ""),
        "id": ("membaca kasus {arg}", ""),
    },
    "term.store_procedure": {
        "en": ("store procedure {arg}", ""),
        "id": ("menyimpan prosedur {arg}", ""),
    },
    # --- diag.*: the labels of a diagnostic line (file:line:col: severity CODE message) -----------
    "diag.error": {
        "en": ("error", ""),
        "id": ("galat", ""),
    },
    "diag.warning": {
        "en": ("warning", ""),
        "id": ("peringatan", ""),
    },
    "diag.info": {
        "en": ("info", ""),
        "id": ("info", ""),
    },
    "diag.at": {
        "en": ("at {path}", ""),
        "id": ("di {path}", ""),
    },
    "diag.hint": {
        "en": ("hint", ""),
        "id": ("petunjuk", ""),
    },
    # --- err.roster.*, err.input.*, err.store.*, err.cli.*: more refusals -------------------------
    "err.roster.unreadable": {
        "en": ("cannot read roster {file}: {problem}",
               "check the path given with --roster or $ALUR_ROSTER"),
        "id": ("daftar petugas {file} tidak dapat dibaca: {problem}",
               "periksa jalur yang diberikan dengan --roster atau $ALUR_ROSTER"),
    },
    "err.roster.yaml": {
        "en": ("roster {file} is not valid YAML: {problem}",
               "see the roster format in docs/embedding.md"),
        "id": ("daftar petugas {file} bukan YAML yang sah: {problem}",
               "lihat format daftar petugas di docs/embedding.md"),
    },
    "err.roster.roles": {
        "en": ("roster {file}: user '{user}' needs 'roles: [..]' (a list of ids)",
               "e.g. rina: {{roles: [pendamping_ppa]}}"),
        "id": ("daftar petugas {file}: pengguna '{user}' memerlukan 'roles: [..]' (daftar id)",
               "mis. rina: {{roles: [pendamping_ppa]}}"),
    },
    "err.input.time": {
        "en": ("'{value}' is not an ISO 8601 date-time", "write e.g. 2026-03-02T09:00:00+07:00"),
        "id": ("'{value}' bukan tanggal-waktu ISO 8601", "tulis mis. 2026-03-02T09:00:00+07:00"),
    },
    "err.input.extension": {
        "en": ("invalid extension: {amount} {unit}",
               "amount 1..3650 and unit working_days, calendar_days or hours"),
        "id": ("perpanjangan tidak sah: {amount} {unit}",
               "jumlah 1..3650 dan satuan working_days, calendar_days atau hours"),
    },
    "err.store.memory_closed": {
        "en": ("the memory store is closed", "open a new store"),
        "id": ("penyimpanan memori sudah ditutup", "buka penyimpanan baru"),
    },
    "err.store.not_json": {
        "en": ("{what} cannot be written as JSON: {problem}",
               "use str, int, float, bool, None, list or dict values"),
        "id": ("{what} tidak dapat ditulis sebagai JSON: {problem}",
               "gunakan nilai str, int, float, bool, None, list atau dict"),
    },
    "err.store.synchronous": {
        "en": ("synchronous must be 'FULL' or 'NORMAL', not {value}",
               "FULL (default) survives power loss; NORMAL is faster"),
        "id": ("synchronous harus 'FULL' atau 'NORMAL', bukan {value}",
               "FULL (bawaan) bertahan saat listrik padam; NORMAL lebih cepat"),
    },
    "err.cli.procedure_no_cases": {
        "en": ("no procedure '{ref}' has cases in {store}", "procedures in this store: {known}"),
        "id": ("tidak ada kasus prosedur '{ref}' di {store}",
               "prosedur di penyimpanan ini: {known}"),
    },
    "err.cli.sensitive_needs": {
        "en": ("--include-sensitive needs {missing}: say why sensitive data is revealed and "
               "who reveals it",
               "give --reason and --user"),
        "id": ("--include-sensitive memerlukan {missing}: sebutkan mengapa data sensitif "
               "dibuka dan siapa yang membukanya",
               "berikan --reason dan --user"),
    },
    "err.cli.output": {
        "en": ("cannot write '{path}': {problem}",
               "give a writable file path with -o, or leave -o out for standard output"),
        "id": ("'{path}' tidak dapat ditulis: {problem}",
               "berikan jalur berkas yang dapat ditulisi dengan -o, atau hilangkan -o untuk "
               "keluaran standar"),
    },
    "err.cli.png_terminal": {
        "en": ("PNG is binary and is not written to the terminal", "give a file: -o graph.png"),
        "id": ("PNG berupa data biner dan tidak ditulis ke terminal",
               "berikan berkas: -o graph.png"),
    },
    "err.cli.case_other_procedure": {
        "en": ("case {case} belongs to procedure '{procedure}', not '{given}'",
               "run: alur graph {procedure} --case {case}"),
        "id": ("kasus {case} milik prosedur '{procedure}', bukan '{given}'",
               "jalankan: alur graph {procedure} --case {case}"),
    },
    # --- err.sim.*: options of alur simulate ------------------------------------------------------
    "err.sim.staff_shape": {
        "en": ("--staff '{item}' is not ROLE=COUNT", "write e.g. --staff pendamping_ppa=2"),
        "id": ("--staff '{item}' bukan PERAN=JUMLAH", "tulis mis. --staff pendamping_ppa=2"),
    },
    "err.sim.staff_number": {
        "en": ("--staff '{item}': '{count}' is not a whole number",
               "write e.g. --staff pendamping_ppa=2"),
        "id": ("--staff '{item}': '{count}' bukan bilangan bulat",
               "tulis mis. --staff pendamping_ppa=2"),
    },
    "err.sim.staff_zero": {
        "en": ("--staff '{item}': a role needs at least 1 person", "give a count of 1 or more"),
        "id": ("--staff '{item}': sebuah peran memerlukan paling sedikit 1 orang",
               "berikan jumlah 1 atau lebih"),
    },
    "err.sim.staff_twice": {
        "en": ("--staff gives role '{role}' twice", "give each role once"),
        "id": ("--staff menyebut peran '{role}' dua kali", "sebut setiap peran sekali saja"),
    },
    "err.sim.staff_unknown": {
        "en": ("--staff: procedure '{procedure}' has no role '{role}'{suggestion!t}",
               "staff roles: {known}"),
        "id": ("--staff: prosedur '{procedure}' tidak memiliki peran '{role}'{suggestion!t}",
               "peran petugas: {known}"),
    },
    "err.sim.staff_external": {
        "en": ("--staff: role '{role}' is external and is never short of people",
               "give counts for staff roles only"),
        "id": ("--staff: peran '{role}' adalah pihak luar dan tidak pernah kekurangan orang",
               "berikan jumlah untuk peran petugas saja"),
    },
    "err.sim.staff_team": {
        "en": ("--staff: role '{role}' is a team; its steps are done by one of its members",
               "give counts for its members: {members}"),
        "id": ("--staff: peran '{role}' adalah tim; langkahnya dikerjakan oleh salah satu "
               "anggotanya",
               "berikan jumlah untuk anggotanya: {members}"),
    },
    "err.sim.staff_count": {
        "en": ("--staff: role '{role}' needs a whole number of at least 1 person, not {count}",
               "give a count of 1 or more"),
        "id": ("--staff: peran '{role}' memerlukan bilangan bulat paling sedikit 1 orang, "
               "bukan {count}",
               "berikan jumlah 1 atau lebih"),
    },
    "err.sim.cases": {
        "en": ("the number of cases must be 1 to {limit}, not {value}", "e.g. --cases 200"),
        "id": ("jumlah kasus harus 1 sampai {limit}, bukan {value}", "mis. --cases 200"),
    },
    "err.sim.arrivals": {
        "en": ("arrivals per day must be above 0, not {value}", "e.g. --arrivals-per-day 0.5"),
        "id": ("kedatangan per hari harus lebih dari 0, bukan {value}",
               "mis. --arrivals-per-day 0.5"),
    },
    "err.sim.max_visits": {
        "en": ("max visits must be at least 1, not {value}", "e.g. --max-visits 10"),
        "id": ("max visits harus paling sedikit 1, bukan {value}", "mis. --max-visits 10"),
    },
    "err.sim.weight_unknown": {
        "en": ("no outcome '{key}' in procedure '{procedure}'",
               "key weights as step_id.outcome_id"),
        "id": ("tidak ada hasil keputusan '{key}' di prosedur '{procedure}'",
               "tulis kunci bobot sebagai id_langkah.id_hasil"),
    },
    "err.sim.weight_value": {
        "en": ("outcome weight '{key}' must be 0 or more, not {value}",
               "weights are relative, e.g. 3 and 1"),
        "id": ("bobot hasil keputusan '{key}' harus 0 atau lebih, bukan {value}",
               "bobot bersifat relatif, mis. 3 dan 1"),
    },
    # --- err.check.*: what a store refuses to write (checks shared by every backend) --------------
    "err.check.not_str": {
        "en": ("{what} must be a str, not {type}",
               "see the Store contract in engine/store/base.py"),
        "id": ("{what} harus berupa str, bukan {type}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.nul": {
        "en": ("{what} contains a NUL character, which PostgreSQL cannot store",
               "remove the \\x00 character"),
        "id": ("{what} memuat karakter NUL, yang tidak dapat disimpan PostgreSQL",
               "hapus karakter \\x00"),
    },
    "err.check.unicode": {
        "en": ("{what} is not valid Unicode text ({problem})", "remove lone surrogate characters"),
        "id": ("{what} bukan teks Unicode yang sah ({problem})",
               "hapus karakter surrogate yang tidak berpasangan"),
    },
    "err.check.deep": {
        "en": ("{what} is nested deeper than {limit} levels", "flatten the value"),
        "id": ("{what} bertingkat lebih dari {limit} tingkat", "sederhanakan nilainya"),
    },
    "err.check.not_finite": {
        "en": ("{what} is {value}; JSON has no NaN or infinity", "store a finite number or null"),
        "id": ("{what} bernilai {value}; JSON tidak mengenal NaN atau tak hingga",
               "simpan angka terhingga atau null"),
    },
    "err.check.negative_zero": {
        "en": ("{what} is -0.0, which PostgreSQL jsonb turns into 0.0", "store 0.0 instead"),
        "id": ("{what} bernilai -0.0, yang diubah jsonb PostgreSQL menjadi 0.0",
               "simpan 0.0 sebagai gantinya"),
    },
    "err.check.key": {
        "en": ("{what} has the key {key}; JSON object keys are strings", "use text keys"),
        "id": ("{what} memiliki kunci {key}; kunci objek JSON berupa teks",
               "gunakan kunci berupa teks"),
    },
    "err.check.type": {
        "en": ("{what} is a {type}, which JSON cannot hold",
               "use str, int, float, bool, None, list or dict values"),
        "id": ("{what} berupa {type}, yang tidak dapat dimuat JSON",
               "gunakan nilai str, int, float, bool, None, list atau dict"),
    },
    "err.check.due_offset": {
        "en": ("snapshot due_at {value} has no UTC offset",
               "write it with an offset, e.g. 2026-03-02T09:00:00+07:00"),
        "id": ("due_at snapshot {value} tidak memiliki selisih UTC",
               "tulis dengan selisih waktu, mis. 2026-03-02T09:00:00+07:00"),
    },
    "err.check.due_time": {
        "en": ("snapshot due_at {value} is not an ISO 8601 date-time",
               "write it with an offset, e.g. 2026-03-02T09:00:00+07:00"),
        "id": ("due_at snapshot {value} bukan tanggal-waktu ISO 8601",
               "tulis dengan selisih waktu, mis. 2026-03-02T09:00:00+07:00"),
    },
    "err.check.version": {
        "en": ("expected_version must be an int >= 0, not {value}",
               "see the Store contract in engine/store/base.py"),
        "id": ("expected_version harus int >= 0, bukan {value}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.no_events": {
        "en": ("append to case {case} has no events",
               "a command that changes nothing must not append"),
        "id": ("penambahan ke kasus {case} tidak memuat peristiwa",
               "perintah yang tidak mengubah apa pun tidak boleh menambah"),
    },
    "err.check.event_case": {
        "en": ("event {seq} belongs to case {other}, not to {case}",
               "see the Store contract in engine/store/base.py"),
        "id": ("peristiwa {seq} milik kasus {other}, bukan {case}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.event_seq": {
        "en": ("event of case {case} has seq {seq}; after version {version} event {offset} "
               "must have seq {want}",
               "number events expected_version+1, +2, ... in order"),
        "id": ("peristiwa kasus {case} ber-seq {seq}; setelah versi {version} peristiwa "
               "ke-{offset} harus ber-seq {want}",
               "beri nomor peristiwa expected_version+1, +2, ... berurutan"),
    },
    "err.check.unsealed": {
        "en": ("event {seq} of case {case} is not sealed",
               "seal events with engine.cases.events.chain() before appending"),
        "id": ("peristiwa {seq} kasus {case} belum disegel",
               "segel peristiwa dengan engine.cases.events.chain() sebelum menambah"),
    },
    "err.check.snapshot_case": {
        "en": ("snapshot is of case {other}, not of {case}",
               "see the Store contract in engine/store/base.py"),
        "id": ("snapshot milik kasus {other}, bukan {case}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.snapshot_version": {
        "en": ("snapshot of case {case} has version {version}; after {count} event(s) on "
               "version {expected} it must be {want}",
               "see the Store contract in engine/store/base.py"),
        "id": ("snapshot kasus {case} berversi {version}; setelah {count} peristiwa pada "
               "versi {expected} seharusnya {want}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.snapshot_number": {
        "en": ("snapshot of case {case} has the case number {number}, which is not one "
               "(PREFIX-YEAR-NNNN)",
               "see the Store contract in engine/store/base.py"),
        "id": ("snapshot kasus {case} bernomor kasus {number}, yang bukan nomor kasus "
               "(PREFIKS-TAHUN-NNNN)",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.snapshot_hash": {
        "en": ("snapshot of case {case}: last_hash is not the hash of event {seq}",
               "see the Store contract in engine/store/base.py"),
        "id": ("snapshot kasus {case}: last_hash bukan hash peristiwa {seq}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.head_on_open": {
        "en": ("an append that opens a case (expected_version 0) has no head to expect",
               "pass expected_head=None"),
        "id": ("penambahan yang membuka kasus (expected_version 0) tidak memiliki head yang "
               "diharapkan",
               "berikan expected_head=None"),
    },
    "err.check.head": {
        "en": ("expected_head {head} is not a Head at version {version}",
               "pass the Head that store.head() gave"),
        "id": ("expected_head {head} bukan Head pada versi {version}",
               "berikan Head yang diberikan store.head()"),
    },
    "err.check.redacted": {
        "en": ("redacted event {seq} of case {case} no longer matches its hash",
               "redact with engine.cases.events.redact_payload only"),
        "id": ("peristiwa {seq} kasus {case} yang disamarkan tidak lagi cocok dengan hash-nya",
               "samarkan hanya dengan engine.cases.events.redact_payload"),
    },
    "err.check.blob_type": {
        "en": ("blob content must be bytes, not {type}",
               "see the Store contract in engine/store/base.py"),
        "id": ("isi blob harus berupa bytes, bukan {type}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.check.blob_hash": {
        "en": ("blob hash {hash} is not the SHA-256 of its content",
               "pass hashlib.sha256(content).hexdigest()"),
        "id": ("hash blob {hash} bukan SHA-256 dari isinya",
               "berikan hashlib.sha256(content).hexdigest()"),
    },
    "err.check.limit": {
        "en": ("limit must be None or an int >= 0, not {value}",
               "see the Store contract in engine/store/base.py"),
        "id": ("limit harus None atau int >= 0, bukan {value}",
               "lihat kontrak Store di engine/store/base.py"),
    },
    "err.conflict.version": {
        "en": ("case {case} is at version {found}, not at the expected version {expected}: "
               "another command was applied first",
               "reload the case and retry the command"),
        "id": ("kasus {case} berada pada versi {found}, bukan versi yang diharapkan "
               "{expected}: perintah lain diterapkan lebih dulu",
               "muat ulang kasus lalu ulangi perintahnya"),
    },
    "err.conflict.seq": {
        "en": ("case {case} moved past the expected version {expected}: event {seq} already "
               "exists",
               "reload the case and retry the command"),
        "id": ("kasus {case} sudah melewati versi yang diharapkan {expected}: peristiwa {seq} "
               "sudah ada",
               "muat ulang kasus lalu ulangi perintahnya"),
    },
    "err.conflict.stale_rows": {
        "en": ("case {case} is no longer as it was read at version {expected}: its stored "
               "rows were changed",
               "reload the case and retry the command"),
        "id": ("kasus {case} tidak lagi seperti saat dibaca pada versi {expected}: baris "
               "tersimpannya berubah",
               "muat ulang kasus lalu ulangi perintahnya"),
    },
    "err.conflict.number": {
        "en": ("case number {number} was taken by another case while case {case} was opened",
               "open the case again: it draws the next number"),
        "id": ("nomor kasus {number} sudah dipakai kasus lain saat kasus {case} dibuka",
               "buka kasus lagi: nomor berikutnya akan diambil"),
    },
    "err.conflict.stale_version": {
        "en": ("case {case} is no longer as it was read at version {expected}: it is at "
               "version {found}",
               "reload the case and retry the command"),
        "id": ("kasus {case} tidak lagi seperti saat dibaca pada versi {expected}: kini pada "
               "versi {found}",
               "muat ulang kasus lalu ulangi perintahnya"),
    },
    # --- err.cal.*: calendar override files and working-time arithmetic ---------------------------
    "term.cal_overrides": {
        "en": ("calendar overrides", ""),
        "id": ("pengecualian kalender", ""),
    },
    "term.cal_file": {
        "en": ("calendar override file '{arg}'", ""),
        "id": ("berkas pengecualian kalender '{arg}'", ""),
    },
    "err.cal.not_a_date_value": {
        "en": ("{source!t}{at}: date must be a date, not {value}",
               "Use datetime.date(YYYY, M, D)."),
        "id": ("{source!t}{at}: date harus berupa tanggal, bukan {value}",
               "Gunakan datetime.date(YYYY, M, D)."),
    },
    "err.cal.listed_twice": {
        "en": ("{source!t}{at}: the date is already listed as {first}",
               "List each date once, in one of holidays, removed or working."),
        "id": ("{source!t}{at}: tanggal itu sudah tercantum sebagai {first}",
               "Cantumkan setiap tanggal sekali, di salah satu dari holidays, removed atau "
               "working."),
    },
    "err.cal.version": {
        "en": ("{source!t}{at}: version must be text, found {value}",
               'Quote it, e.g. version: "2026.1".'),
        "id": ("{source!t}{at}: version harus berupa teks, ditemukan {value}",
               'Beri tanda kutip, mis. version: "2026.1".'),
    },
    "err.cal.file_missing": {
        "en": ("{source!t} not found",
               "agency.calendar is relative to the procedure file; check the name and the folder."),
        "id": ("{source!t} tidak ditemukan",
               "agency.calendar relatif terhadap berkas prosedur; periksa nama dan foldernya."),
    },
    "err.cal.yaml": {
        "en": ("{source!t}: YAML error: {problem}",
               "Check indentation (spaces only) and that every ':' and '-' is followed by a "
               "space."),
        "id": ("{source!t}: kesalahan YAML: {problem}",
               "Periksa indentasi (hanya spasi) dan pastikan setiap ':' dan '-' diikuti spasi."),
    },
    "err.cal.value": {
        "en": ("{source!t}: invalid value: {problem}", "Write dates as YYYY-MM-DD without tags."),
        "id": ("{source!t}: nilai tidak sah: {problem}",
               "Tulis tanggal sebagai YYYY-MM-DD tanpa tag."),
    },
    "err.cal.no_tzdata": {
        "en": ("cannot load time zone {zone}: no time-zone database is installed",
               "Install the IANA database: 'pip install tzdata' (or the operating system's "
               "tzdata package)."),
        "id": ("zona waktu {zone} tidak dapat dimuat: basis data zona waktu tidak terpasang",
               "Pasang basis data IANA: 'pip install tzdata' (atau paket tzdata sistem operasi)."),
    },
    "err.cal.zone": {
        "en": ("unknown time zone {zone}",
               "Use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)."),
        "id": ("zona waktu {zone} tidak dikenal",
               "Gunakan Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)."),
    },
    "err.cal.not_datetime": {
        "en": ("{what} must be a datetime, not {type}",
               "Pass a timezone-aware datetime.datetime."),
        "id": ("{what} harus berupa datetime, bukan {type}",
               "Berikan datetime.datetime yang memiliki zona waktu."),
    },
    "err.cal.naive": {
        "en": ("{what} {value} has no time zone",
               "Pass an aware datetime, e.g. datetime(2026, 3, 17, 9, "
               "tzinfo=ZoneInfo('Asia/Jakarta')), or an ISO time with an offset such as "
               "2026-03-17T09:00+07:00."),
        "id": ("{what} {value} tidak memiliki zona waktu",
               "Berikan datetime dengan zona waktu, mis. datetime(2026, 3, 17, 9, "
               "tzinfo=ZoneInfo('Asia/Jakarta')), atau waktu ISO dengan selisih seperti "
               "2026-03-17T09:00+07:00."),
    },
    "err.cal.expected_date": {
        "en": ("expected a date, not {value}",
               "Pass a datetime.date; for a datetime use local_date(moment)."),
        "id": ("seharusnya tanggal, bukan {value}",
               "Berikan datetime.date; untuk datetime gunakan local_date(moment)."),
    },
    "err.cal.language": {
        "en": ("unknown language {value}", "Use 'en' or 'id'."),
        "id": ("bahasa {value} tidak dikenal", "Gunakan 'en' atau 'id'."),
    },
    "err.cal.overrides_type": {
        "en": ("overrides must be CalendarOverrides, not {type}",
               "Build them with load_overrides() or parse_overrides()."),
        "id": ("overrides harus berupa CalendarOverrides, bukan {type}",
               "Buat dengan load_overrides() atau parse_overrides()."),
    },
    "err.cal.negative_days": {
        "en": ("cannot add {count} working days", "Use a count >= 0."),
        "id": ("tidak dapat menambah {count} hari kerja", "Gunakan jumlah >= 0."),
    },
    "err.cal.amount": {
        "en": ("duration amount must be at least 1, not {amount}",
               "A deadline is 1 or more hours or days."),
        "id": ("jumlah durasi harus paling sedikit 1, bukan {amount}",
               "Tenggat adalah 1 jam atau hari atau lebih."),
    },
    "err.cal.unit": {
        "en": ("unknown duration unit {unit}", "Use working_days, calendar_days or hours."),
        "id": ("satuan durasi {unit} tidak dikenal",
               "Gunakan working_days, calendar_days atau hours."),
    },
    # --- audit.*: what alur audit verify and alur audit conformance find --------------------------
    "audit.kind.edited": {
        "en": ("the event's content was changed after it was sealed", ""),
        "id": ("isi peristiwa diubah setelah disegel", ""),
    },
    "audit.kind.deleted": {
        "en": ("the event is missing from the store", ""),
        "id": ("peristiwa hilang dari penyimpanan", ""),
    },
    "audit.kind.inserted": {
        "en": ("the event was added behind the engine's back", ""),
        "id": ("peristiwa ditambahkan di luar mesin", ""),
    },
    "audit.kind.reordered": {
        "en": ("the event was moved to another position (sequence number)", ""),
        "id": ("peristiwa dipindahkan ke posisi lain (nomor urut)", ""),
    },
    "audit.kind.snapshot": {
        "en": ("the case's snapshot does not match its events", ""),
        "id": ("snapshot kasus tidak sesuai dengan peristiwanya", ""),
    },
    "audit.kind.unreadable": {
        "en": ("the case's rows hold values alur never writes (not JSON, a seq that is no "
               "number): they were written behind alur's back", ""),
        "id": ("baris kasus berisi nilai yang tidak pernah ditulis alur (bukan JSON, seq yang "
               "bukan angka): ditulis di luar alur", ""),
    },
    "audit.kind.procedure": {
        "en": ("the procedure version the case is pinned to is not in the store", ""),
        "id": ("versi prosedur yang dipakai kasus tidak ada di penyimpanan", ""),
    },
    "audit.integrity.all_missing": {
        "en": ("every event of the case is missing; its snapshot counts {version}", ""),
        "id": ("semua peristiwa kasus hilang; snapshot-nya mencatat {version}", ""),
    },
    "audit.integrity.gap": {
        "en": ("event {missing} is missing: the store goes from event {before} to event {seq}",
               ""),
        "id": ("peristiwa {missing} hilang: penyimpanan melompat dari peristiwa {before} ke "
               "peristiwa {seq}",
               ""),
    },
    "audit.integrity.repeated_seq": {
        "en": ("event {seq} repeats a sequence number already used", ""),
        "id": ("peristiwa {seq} mengulang nomor urut yang sudah dipakai", ""),
    },
    "audit.integrity.content": {
        "en": ("its content no longer matches its hash", ""),
        "id": ("isinya tidak lagi cocok dengan hash-nya", ""),
    },
    "audit.integrity.moved": {
        "en": ("it holds the event sealed as number {original}", ""),
        "id": ("isinya peristiwa yang disegel sebagai nomor {original}", ""),
    },
    "audit.integrity.first_resealed": {
        "en": ("the first event links to a predecessor: it was re-sealed", ""),
        "id": ("peristiwa pertama menaut ke pendahulu: peristiwa itu disegel ulang", ""),
    },
    "audit.integrity.resealed": {
        "en": ("event {seq} was rewritten and re-sealed: event {next} still links to the original",
               ""),
        "id": ("peristiwa {seq} ditulis ulang dan disegel ulang: peristiwa {next} masih "
               "menaut ke aslinya",
               ""),
    },
    "audit.integrity.after_snapshot": {
        "en": ("it comes after the last event the snapshot knows ({version})", ""),
        "id": ("peristiwa ini muncul setelah peristiwa terakhir yang dikenal snapshot ({version})",
               ""),
    },
    "audit.integrity.fewer": {
        "en": ("the snapshot counts {version} events; the store holds {last}", ""),
        "id": ("snapshot mencatat {version} peristiwa; penyimpanan memuat {last}", ""),
    },
    "audit.integrity.chain": {
        "en": ("the hash chain does not verify", ""),
        "id": ("rantai hash tidak dapat diverifikasi", ""),
    },
    "audit.integrity.added_before": {
        "en": ("it was added before event {seq} and the later events renumbered", ""),
        "id": ("peristiwa ini ditambahkan sebelum peristiwa {seq} dan peristiwa sesudahnya "
               "diberi nomor ulang",
               ""),
    },
    "audit.integrity.removed": {
        "en": ("event {seq} was removed and the later events renumbered (event {seq} now "
               "holds what was event {next})",
               ""),
        "id": ("peristiwa {seq} dihapus dan peristiwa sesudahnya diberi nomor ulang "
               "(peristiwa {seq} kini memuat peristiwa {next})",
               ""),
    },
    "audit.integrity.unreplayable": {
        "en": ("the events verify but cannot be replayed ({problem}); they were written by "
               "something other than alur",
               ""),
        "id": ("peristiwa terverifikasi tetapi tidak dapat diputar ulang ({problem}); ditulis "
               "oleh sesuatu selain alur",
               ""),
    },
    "audit.integrity.no_snapshot": {
        "en": ("the case has no snapshot", ""),
        "id": ("kasus tidak memiliki snapshot", ""),
    },
    "audit.integrity.snapshot_differs": {
        "en": ("the snapshot differs from its events in {columns}", ""),
        "id": ("snapshot berbeda dari peristiwanya pada {columns}", ""),
    },
    "audit.integrity.procedure_missing": {
        "en": ("procedure version {hash} is not in the store or does not load", ""),
        "id": ("versi prosedur {hash} tidak ada di penyimpanan atau tidak dapat dimuat", ""),
    },
    "audit.conf.chain": {
        "en": ("its hash chain does not verify (run 'alur audit verify')", ""),
        "id": ("rantai hash-nya tidak terverifikasi (jalankan 'alur audit verify')", ""),
    },
    "audit.conf.unloadable": {
        "en": ("its procedure version cannot be loaded: {problem}", ""),
        "id": ("versi prosedurnya tidak dapat dimuat: {problem}", ""),
    },
    "audit.conf.no_next": {
        "en": ("the completion of {step} (event {seq}) led to no next step and did not close "
               "the case",
               ""),
        "id": ("penyelesaian {step} (peristiwa {seq}) tidak menuju langkah berikutnya dan "
               "tidak menutup kasus",
               ""),
    },
    "audit.conf.begins": {
        "en": ("the history begins with {kind}, not case_opened", ""),
        "id": ("riwayat diawali {kind}, bukan case_opened", ""),
    },
    "audit.conf.backdated": {
        "en": ("{kind} is dated {at}, before the event recorded before it ({before})", ""),
        "id": ("{kind} bertanggal {at}, sebelum peristiwa yang tercatat sebelumnya ({before})",
               ""),
    },
    "audit.conf.after_close": {
        "en": ("{kind} after the case was closed ({status})", ""),
        "id": ("{kind} setelah kasus ditutup ({status})", ""),
    },
    "audit.conf.external_extended": {
        "en": ("the external role {role} extended a deadline", ""),
        "id": ("peran eksternal {role} memperpanjang tenggat", ""),
    },
    "audit.conf.unrecorded": {
        "en": ("{kind} at {at} is after the due date of {target} ({due}) but no breach was "
               "recorded",
               ""),
        "id": ("{kind} pada {at} melewati tenggat {target} ({due}) tetapi pelanggaran tidak "
               "dicatat",
               ""),
    },
    "audit.conf.unknown_step": {
        "en": ("{step} is not a step of {procedure} version {version}", ""),
        "id": ("{step} bukan langkah {procedure} versi {version}", ""),
    },
    "audit.conf.role": {
        "en": ("{role} completed {step}, whose actor is {actor}", ""),
        "id": ("{role} menyelesaikan {step}, yang pelakunya {actor}", ""),
    },
    "audit.conf.skipped": {
        "en": ("{step} was completed while {current} was current; skipped: {between}", ""),
        "id": ("{step} diselesaikan saat {current} sedang berjalan; dilewati: {between}", ""),
    },
    "audit.conf.out_of_order": {
        "en": ("{step} was completed while {current} was current", ""),
        "id": ("{step} diselesaikan saat {current} sedang berjalan", ""),
    },
    "audit.conf.out_of_order_none": {
        "en": ("{step} was completed while no step was current", ""),
        "id": ("{step} diselesaikan saat tidak ada langkah berjalan", ""),
    },
    "audit.conf.requirements": {
        "en": ("{step} was completed while requirement(s) were not met: {missing}", ""),
        "id": ("{step} diselesaikan padahal persyaratan belum terpenuhi: {missing}", ""),
    },
    "audit.conf.documents": {
        "en": ("{step} was completed without {missing}", ""),
        "id": ("{step} diselesaikan tanpa {missing}", ""),
    },
    "audit.conf.condition": {
        "en": ("the condition of {step} ({when}) did not hold", ""),
        "id": ("syarat {step} ({when}) tidak terpenuhi", ""),
    },
    "audit.conf.participants": {
        "en": ("{step} was completed without {missing}", ""),
        "id": ("{step} diselesaikan tanpa {missing}", ""),
    },
    "audit.conf.plan_selection": {
        "en": ("{step} set going {recorded}, where its services' conditions select {selected}",
               ""),
        "id": ("{step} menjalankan {recorded}, padahal syarat layanannya memilih {selected}", ""),
    },
    "audit.conf.unset": {
        "en": ("{step} was completed while {facts} was not set", ""),
        "id": ("{step} diselesaikan saat {facts} belum diisi", ""),
    },
    "audit.conf.not_decision": {
        "en": ("{step} is not a decision but outcome {outcome} was recorded", ""),
        "id": ("{step} bukan keputusan tetapi hasil {outcome} dicatat", ""),
    },
    "audit.conf.no_outcome": {
        "en": ("the decision {step} was completed with no outcome (known: {known})", ""),
        "id": ("keputusan {step} diselesaikan tanpa hasil (yang dikenal: {known})", ""),
    },
    "audit.conf.unknown_outcome": {
        "en": ("the decision {step} was completed with the unknown outcome {outcome} (known: "
               "{known})",
               ""),
        "id": ("keputusan {step} diselesaikan dengan hasil tak dikenal {outcome} (yang "
               "dikenal: {known})",
               ""),
    },
    "audit.conf.outcome_condition": {
        "en": ("outcome {outcome} of {step} was chosen but its condition ({when}) did not hold",
               ""),
        "id": ("hasil {outcome} dari {step} dipilih tetapi syaratnya ({when}) tidak terpenuhi",
               ""),
    },
    "audit.conf.otherwise": {
        "en": ("outcome {outcome} of {step} applies only when no other does, but another did", ""),
        "id": ("hasil {outcome} dari {step} hanya berlaku bila tidak ada yang lain, tetapi "
               "ada yang lain berlaku",
               ""),
    },
    "audit.conf.not_edge": {
        "en": ("{source} → {target} is not an edge of the procedure graph (allowed: {allowed})",
               ""),
        "id": ("{source} → {target} bukan sisi graf prosedur (yang diizinkan: {allowed})", ""),
    },
    "audit.conf.external_terminated": {
        "en": ("the external role {role} terminated the case", ""),
        "id": ("peran eksternal {role} mengakhiri kasus", ""),
    },
    "audit.conf.closed_forced": {
        "en": ("the case was closed as {outcome} from {current} without completing a step "
               "that ends that way",
               ""),
        "id": ("kasus ditutup sebagai {outcome} dari {current} tanpa menyelesaikan langkah "
               "yang berakhir demikian",
               ""),
    },
    "audit.conf.started_forced": {
        "en": ("{step} was started from {current} without completing a step that leads there", ""),
        "id": ("{step} dimulai dari {current} tanpa menyelesaikan langkah yang menuju ke sana",
               ""),
    },
    "audit.conf.no_next_step": {
        "en": ("the completion of {step} (event {seq}) led to no next step", ""),
        "id": ("penyelesaian {step} (peristiwa {seq}) tidak menuju langkah berikutnya", ""),
    },
    # --- audit.conf.*_none: the same findings when no step was current ----------------------------
    "audit.conf.closed_forced_none": {
        "en": ("the case was closed as {outcome} from no step without completing a step that "
               "ends that way",
               ""),
        "id": ("kasus ditutup sebagai {outcome} tanpa langkah berjalan dan tanpa "
               "menyelesaikan langkah yang berakhir demikian",
               ""),
    },
    "audit.conf.started_forced_none": {
        "en": ("{step} was started from no step without completing a step that leads there", ""),
        "id": ("{step} dimulai tanpa langkah berjalan dan tanpa menyelesaikan langkah yang "
               "menuju ke sana",
               ""),
    },
    # --- term.*: more words put into messages (Y001, Y006, input.fact_type) -----------------------
    "term.unknown_alias": {
        "en": ("unknown alias '*{arg}'", ""),
        "id": ("alias '*{arg}' tidak dikenal", ""),
    },
    "term.tab": {
        "en": (" (a tab character is used; indent with spaces)", ""),
        "id": (" (ada karakter tab; gunakan spasi untuk indentasi)", ""),
    },
    "term.bad_byte": {
        "en": ("byte {arg} at offset {arg2}", ""),
        "id": ("bita {arg} pada posisi {arg2}", ""),
    },
    "term.bad_character": {
        "en": ("character {arg} at offset {arg2}", ""),
        "id": ("karakter {arg} pada posisi {arg2}", ""),
    },
    "term.text_max": {
        "en": ("text of at most {arg} characters", ""),
        "id": ("teks paling banyak {arg} karakter", ""),
    },
    # --- term.*: the problems of R006 and R008 ----------------------------------------------------
    "term.too_complex": {
        "en": ("expression too complex", ""),
        "id": ("ekspresi terlalu rumit", ""),
    },
    "term.unit": {
        "en": ("has an amount but no unit", ""),
        "id": ("memiliki jumlah tetapi tanpa satuan", ""),
    },
    "term.event": {
        "en": ("has an amount and an outside event: it is one or the other", ""),
        "id": ("memiliki jumlah sekaligus peristiwa luar: pilih salah satu", ""),
    },
    "term.starts_after_missing": {
        "en": ("'starts: step_completed' needs 'starts_after_step: <step id>'", ""),
        "id": ("'starts: step_completed' memerlukan 'starts_after_step: <id langkah>'", ""),
    },
    "term.never_produced": {
        "en": ("document '{arg}' is of kind 'produced' but no step produces it", ""),
        "id": ("dokumen '{arg}' adalah dokumen hasil (kind: produced) tetapi tidak ada langkah "
               "yang menghasilkannya", ""),
    },
    "term.hint_produced": {
        "en": ("Add '{arg}' to 'produces' of the step that makes it; when the agency hands it "
               "over outside the steps, name it in a product with issued_outside: true.", ""),
        "id": ("Tambahkan '{arg}' ke 'produces' langkah yang membuatnya; bila instansi "
               "menyerahkannya di luar langkah-langkah, sebut dokumen itu pada produk dengan "
               "issued_outside: true.", ""),
    },
    "term.hint_starts_after_missing": {
        "en": ("Name the step whose completion starts the clock: starts_after_step: <step id>.",
               ""),
        "id": ("Sebutkan langkah yang penyelesaiannya memulai jam: starts_after_step: "
               "<id langkah>.", ""),
    },
    "term.hint_repeat_needs_next": {
        "en": ("Add 'next: <step id>': the case moves on while the recurring step is reported "
               "again.", ""),
        "id": ("Tambahkan 'next: <id langkah>': kasus berlanjut sementara langkah berulang "
               "dilaporkan lagi.", ""),
    },
    # --- Y: reading the YAML text -------------------------------------------------------------
    "Y001": {
        "en": ("YAML syntax error: {problem}{extra!t}",
               "Check indentation (spaces only, no tabs) and that every ':' and '-' is followed "
               "by a space."),
        "id": ("Kesalahan sintaks YAML: {problem}{extra!t}",
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
        "en": ("file is not valid UTF-8: {problem!t}",
               "Save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)."),
        "id": ("berkas bukan UTF-8 yang sah: {problem!t}",
               "Simpan berkas dengan pengodean UTF-8."),
    },
    "Y007": {
        "en": ("tag '{tag}' is not allowed", "Remove the tag; procedures hold plain data only."),
        "id": ("tag '{tag}' tidak diizinkan",
               "Hapus tag tersebut; prosedur hanya berisi data biasa."),
    },
    "Y008": {
        "en": ("the file must hold one mapping (key: value) at the top, found {found!t}",
               "Start the file with 'id:', 'title:' and the other procedure keys."),
        "id": ("berkas harus berisi satu pemetaan (kunci: nilai) di tingkat atas, ditemukan "
               "{found!t}",
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
        "en": ("mapping keys must be plain text, found {found!t}", "Write the key as a word."),
        "id": ("kunci pemetaan harus berupa teks, ditemukan {found!t}",
               "Tulis kunci sebagai kata."),
    },
    "Y012": {
        "en": ("the file holds more than {limit} values",
               "A procedure holds about a thousand values: check you opened the right file, "
               "or split it."),
        "id": ("berkas berisi lebih dari {limit} nilai",
               "Sebuah prosedur berisi sekitar seribu nilai: periksa apakah berkasnya benar, "
               "atau pecah berkasnya."),
    },
    # --- S: shape (JSON Schema) ------------------------------------------------------------------
    "S001": {
        "en": ("unknown key '{key}'{suggestion!t}",
               "Use one of: {allowed}."),
        "id": ("kunci '{key}' tidak dikenal{suggestion!t}",
               "Gunakan salah satu dari: {allowed}."),
    },
    "S002": {
        "en": ("missing required key '{key}'", "Add '{key}:' here."),
        "id": ("kunci wajib '{key}' tidak ada", "Tambahkan '{key}:' di sini."),
    },
    "S003": {
        "en": ("expected {expected!t}, found {found!t}",
               "Change the value to {expected!t}, written like this: {example}"),
        "id": ("seharusnya {expected!t}, ditemukan {found!t}",
               "Ubah nilainya menjadi {expected!t}, ditulis seperti ini: {example}"),
    },
    "S004": {
        "en": ("'{value}' is not one of the allowed values", "Use one of: {allowed}."),
        "id": ("'{value}' bukan salah satu nilai yang diizinkan",
               "Gunakan salah satu dari: {allowed}."),
    },
    "S005": {
        "en": ("invalid value: {problem!t}", "See docs/language.md for this key."),
        "id": ("nilai tidak sah: {problem!t}", "Lihat docs/language.md untuk kunci ini."),
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
        "en": ("unknown role '{name}'{suggestion!t}", "Declare it under 'roles:' or use one of: "
               "{known}."),
        "id": ("peran '{name}' tidak dikenal{suggestion!t}",
               "Deklarasikan di bawah 'roles:' atau gunakan salah satu dari: {known}."),
    },
    "R002": {
        "en": ("unknown document '{name}'{suggestion!t}",
               "Declare it under 'documents:' or use one of: {known}."),
        "id": ("dokumen '{name}' tidak dikenal{suggestion!t}",
               "Deklarasikan di bawah 'documents:' atau gunakan salah satu dari: {known}."),
    },
    "R003": {
        "en": ("unknown step '{name}'{suggestion!t}", "Use the id of a step: {known}."),
        "id": ("langkah '{name}' tidak dikenal{suggestion!t}",
               "Gunakan id sebuah langkah: {known}."),
    },
    "R004": {
        "en": ("unknown fact '{name}'{suggestion!t}",
               "Declare it under 'facts:' or use one of: {known}."),
        "id": ("fakta '{name}' tidak dikenal{suggestion!t}",
               "Deklarasikan di bawah 'facts:' atau gunakan salah satu dari: {known}."),
    },
    "R005": {
        "en": ("duplicate {kind!t} id '{name}' (first at line {first_line})",
               "Give each {kind!t} its own id."),
        "id": ("id {kind!t} '{name}' ganda (pertama di baris {first_line})",
               "Beri setiap {kind!t} id tersendiri."),
    },
    "R006": {
        "en": ("condition is not a valid expression: {problem!t}",
               "Write conditions like: victim_is_child and not has_guardian"),
        "id": ("kondisi bukan ekspresi yang sah: {problem!t}",
               "Tulis kondisi seperti: victim_is_child and not has_guardian"),
    },
    "R007": {
        "en": ("condition uses a construct that is not allowed: {construct!t}",
               "Only fact names, literals, comparisons, 'and', 'or', 'not', 'in' and arithmetic "
               "are allowed."),
        "id": ("kondisi memakai konstruksi yang tidak diizinkan: {construct!t}",
               "Hanya nama fakta, literal, perbandingan, 'and', 'or', 'not', 'in' dan aritmetika "
               "yang diizinkan."),
    },
    "R008": {
        "en": ("invalid value: {problem!t}", "{hint!t}"),
        "id": ("nilai tidak sah: {problem!t}", "{hint!t}"),
    },
    "R009": {
        "en": ("a step must say what comes next: exactly one of 'next', 'decision' or 'end'",
               "Keep exactly one: remove 'next' or 'end' (or the 'decision') when it has "
               "several; when it has none, add 'next: <step id>', a 'decision:' with outcomes, "
               "or 'end: completed'."),
        "id": ("langkah harus menyebut kelanjutannya: tepat satu dari 'next', 'decision' atau "
               "'end'",
               "Sisakan tepat satu: hapus 'next' atau 'end' (atau 'decision') bila ada lebih "
               "dari satu; bila tidak ada, tambahkan 'next: <id langkah>', 'decision:' dengan "
               "hasil, atau 'end: completed'."),
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
    "R015": {
        "en": ("{component} is empty but no flag says the source gives none",
               "Add a flag {{kind: missing, about: {component}}} quoting what the source says "
               "(or fill it in from the source); never invent a placeholder."),
        "id": ("{component} kosong tetapi tidak ada flag yang menyatakan sumber tidak "
               "menyebutnya",
               "Tambahkan flag {{kind: missing, about: {component}}} dengan kutipan sumber "
               "(atau isi dari sumber); jangan mengarang pengganti."),
    },
    "R016": {
        "en": ("'{value}' is not a value of fact '{name}': the comparison can never hold"
               "{suggestion!t}",
               "Use one of its values: {known}, or add the value to the fact's 'values'."),
        "id": ("'{value}' bukan nilai fakta '{name}': perbandingan ini tidak pernah berlaku"
               "{suggestion!t}",
               "Gunakan salah satu nilainya: {known}, atau tambahkan nilai itu ke 'values' "
               "fakta tersebut."),
    },
    "R017": {
        "en": ("calendar file '{name}' does not exist (next to the procedure file)",
               "agency.calendar is relative to the procedure file: check the name, or create "
               "the file (docs/calendar.md)."),
        "id": ("berkas kalender '{name}' tidak ada (di samping berkas prosedur)",
               "agency.calendar relatif terhadap berkas prosedur: periksa namanya, atau buat "
               "berkasnya (docs/calendar.md)."),
    },
    "R018": {
        "en": ("requirement {name} names nothing alur can check",
               "Link it to what satisfies it ('document', 'documents', 'fact', 'any_of' or "
               "'all_of'), or write gates: [] when it is information only."),
        "id": ("persyaratan {name} tidak menunjuk apa pun yang dapat diperiksa alur",
               "Hubungkan dengan yang memenuhinya ('document', 'documents', 'fact', 'any_of' "
               "atau 'all_of'), atau tulis gates: [] bila hanya informasi."),
    },
    "R019": {
        "en": ("step '{name}' has a 'plan' and a 'decision': its services run at once and join "
               "before 'next'",
               "Put the decision in a step of its own after the plan (next: <that step>)."),
        "id": ("langkah '{name}' memiliki 'plan' dan 'decision': layanannya berjalan bersamaan "
               "dan bergabung sebelum 'next'",
               "Pindahkan keputusan ke langkah tersendiri setelah rencana (next: <langkah itu>)."),
    },
    "R020": {
        "en": ("service '{name}' needs exactly one of 'refer' (a linked case in another "
               "procedure) or 'actor' (a branch of this case a role records done)",
               "Keep 'refer: {{procedure: ...}}' or 'actor: <role>', not both and not neither."),
        "id": ("layanan '{name}' membutuhkan tepat satu dari 'refer' (kasus tertaut di prosedur "
               "lain) atau 'actor' (cabang kasus ini yang dicatat selesai oleh suatu peran)",
               "Sisakan 'refer: {{procedure: ...}}' atau 'actor: <peran>', bukan keduanya dan "
               "bukan tidak sama sekali."),
    },
    "R021": {
        "en": ("procedure '{procedure}' requires {missing} when a case is opened, and this "
               "referral cannot supply it",
               "Map it from a fact of this procedure (facts: {{<target fact>: <fact here>}}) or "
               "declare a fact of the same name here."),
        "id": ("prosedur '{procedure}' mewajibkan {missing} saat kasus dibuka, dan rujukan ini "
               "tidak dapat memberikannya",
               "Petakan dari fakta prosedur ini (facts: {{<fakta tujuan>: <fakta di sini>}}) "
               "atau deklarasikan fakta bernama sama di sini."),
    },
    "R022": {
        "en": ("procedure '{procedure}' declares no fact '{name}'{suggestion!t}",
               "Map to one of its facts: {known}."),
        "id": ("prosedur '{procedure}' tidak mendeklarasikan fakta '{name}'{suggestion!t}",
               "Petakan ke salah satu faktanya: {known}."),
    },
    "R023": {
        "en": ("'{name}' is already a name of role '{role}'",
               "Give each name to one role only: remove the alias, or merge the two roles "
               "into one whose aliases list every name the source uses."),
        "id": ("'{name}' sudah menjadi nama peran '{role}'",
               "Berikan setiap nama kepada satu peran saja: hapus alias itu, atau gabungkan "
               "kedua peran menjadi satu yang aliases-nya memuat semua nama dalam sumber."),
    },
    "R024": {
        "en": ("template placeholder {marker} left from 'alur new' or 'alur import'",
               "Replace it with the published SP's text, or review the guess and remove the "
               "'# REVIEW:' comment (only 'alur validate --strict' refuses it)."),
        "id": ("penanda templat {marker} dari 'alur new' atau 'alur import' masih ada",
               "Ganti dengan teks SP yang dipublikasikan, atau tinjau tebakannya dan hapus "
               "komentar '# REVIEW:' (hanya 'alur validate --strict' yang menolaknya)."),
    },
    "R025": {
        "en": ("recurring step '{name}' needs exactly one end: 'until_step' (a step completes) or "
               "'lasts' (a duration from its first completion)",
               "Keep repeat: {{until_step: <step id>}} for \"until ...\" or "
               "repeat: {{lasts: {{amount: 3, unit: months}}}} for \"selama 3 bulan\"."),
        "id": ("langkah berulang '{name}' membutuhkan tepat satu akhir: 'until_step' (suatu "
               "langkah selesai) atau 'lasts' (lama sejak penyelesaian pertamanya)",
               "Tulis repeat: {{until_step: <id langkah>}} untuk \"sampai ...\" atau "
               "repeat: {{lasts: {{amount: 3, unit: months}}}} untuk \"selama 3 bulan\"."),
    },
    "R026": {
        "en": ("the time limit {problem!t}",
               "Write an amount with its unit (amount: 3, unit: months), or amount: null with "
               "the outside event it lasts until (event: \"putusan berkekuatan hukum tetap\")."),
        "id": ("batas waktu {problem!t}",
               "Tulis jumlah dengan satuannya (amount: 3, unit: months), atau amount: null "
               "dengan peristiwa luar yang menjadi akhirnya (event: \"putusan berkekuatan hukum "
               "tetap\")."),
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
               "overall time limit of {amount} {unit!w}",
               "Shorten step deadlines or check the time limit."),
        "id": ("batas waktu langkah di jalur terpanjang berjumlah {total} hari, melebihi "
               "jangka waktu keseluruhan {amount} {unit!w}",
               "Perpendek batas waktu langkah atau periksa jangka waktunya."),
    },
    "G008": {
        "en": ("decision of step '{name}' has conditions on some outcomes only; the others are "
               "chosen by hand",
               "Give every outcome a 'when' (and one 'otherwise: true'), or none."),
        "id": ("keputusan langkah '{name}' hanya memberi kondisi pada sebagian hasil",
               "Beri setiap hasil 'when' (dan satu 'otherwise: true'), atau tidak sama sekali."),
    },
    # --- D: data files other than procedures (rosters, case files, calendar overrides) ---------
    "D001": {
        "en": ("invalid value: {problem}", "See the format of this file in docs/validation.md."),
        "id": ("nilai tidak sah: {problem}", "Lihat format berkas ini di docs/validation.md."),
    },
    "D002": {
        "en": ("'{value}' is not a date that exists (YYYY-MM-DD)",
               "Write dates as YYYY-MM-DD, e.g. 2026-07-01."),
        "id": ("'{value}' bukan tanggal yang ada (YYYY-MM-DD)",
               "Tulis tanggal sebagai YYYY-MM-DD, mis. 2026-07-01."),
    },
    "D003": {
        "en": ("date {date} is already listed at line {first_line} ({first})",
               "List each date once, in one of holidays, removed or working."),
        "id": ("tanggal {date} sudah tercantum di baris {first_line} ({first})",
               "Cantumkan setiap tanggal sekali saja, di salah satu dari holidays, removed atau "
               "working."),
    },
    "D004": {
        "en": ("must be non-empty text", "Write the text, or leave an optional key out."),
        "id": ("harus berupa teks yang tidak kosong",
               "Tulis teksnya, atau hilangkan kunci yang tidak wajib."),
    },
    "D005": {
        "en": ("an action needs exactly one of {kinds}{found}",
               "Write one action per line, e.g. {{do: asesmen_awal, user: rina, role: ...}}."),
        "id": ("tindakan memerlukan tepat satu dari {kinds}{found}",
               "Tulis satu tindakan per baris, mis. {{do: asesmen_awal, user: rina, role: ...}}."),
    },
    "D006": {
        "en": ("'{key}' goes only with 'do', not with '{kind}'",
               "Move it to a 'do' action or remove it."),
        "id": ("'{key}' hanya untuk 'do', bukan untuk '{kind}'",
               "Pindahkan ke tindakan 'do' atau hapus."),
    },
    "D007": {
        "en": ("'{kind}' takes exactly one name: value pair", "e.g. {example}"),
        "id": ("'{kind}' memerlukan tepat satu pasangan nama: nilai", "mis. {example}"),
    },
    "D008": {
        "en": ("a document needs exactly one of 'text' or 'file'",
               "Write {{text: ...}} (or just the text) or {{file: path/relative/to/the/file}}."),
        "id": ("dokumen memerlukan tepat satu dari 'text' atau 'file'",
               "Tulis {{text: ...}} (atau teksnya saja) atau {{file: jalur/relatif/ke/berkas}}."),
    },
    # --- runtime: refusals of commands (rule ids) -----------------------------------------------
    "guard.closed": {
        "en": ("case {case} is already closed ({status})",
               "Closed cases accept no more commands; open a new case if needed."),
        "id": ("kasus {case} sudah ditutup ({status})",
               "Kasus yang ditutup tidak menerima perintah lagi; buka kasus baru bila perlu."),
    },
    "guard.retention_none": {
        "en": ("procedure {procedure} sets no retention period: its cases are not anonymised",
               "Add 'retention: after_closed: ...' to the procedure if its cases must be erased."),
        "id": ("prosedur {procedure} tidak menetapkan masa retensi: kasusnya tidak dianonimkan",
               "Tambahkan 'retention: after_closed: ...' pada prosedur bila kasusnya harus "
               "dihapus."),
    },
    "guard.anonymised": {
        "en": ("case {case} was anonymised already ({at})", "Nothing is left to erase."),
        "id": ("kasus {case} sudah dianonimkan ({at})", "Tidak ada lagi yang dapat dihapus."),
    },
    "guard.retention_open": {
        "en": ("case {case} is not closed ({status}): only closed cases are anonymised",
               "Close the case first; its retention period runs from its closing."),
        "id": ("kasus {case} belum ditutup ({status}): hanya kasus yang ditutup yang dianonimkan",
               "Tutup kasus dahulu; masa retensinya dihitung sejak ditutup."),
    },
    "guard.retention_period": {
        "en": ("case {case} is kept {period} after closing ({closed}): its retention period "
               "ends {ends}", "Apply retention after {ends}."),
        "id": ("kasus {case} disimpan {period} setelah ditutup ({closed}): masa retensinya "
               "berakhir {ends}", "Terapkan retensi setelah {ends}."),
    },
    "guard.not_current": {
        "en": ("step '{step}' is not the current step of case {case} (current: {current})",
               "Complete '{current}' first, or check the step id with 'alur case show {case}'."),
        "id": ("langkah '{step}' bukan langkah saat ini pada kasus {case} (saat ini: {current})",
               "Selesaikan '{current}' dahulu, atau periksa id langkah dengan "
               "'alur case show {case}'."),
    },
    "guard.unknown_step": {
        "en": ("procedure {procedure} has no step '{step}'{suggestion!t}",
               "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki langkah '{step}'{suggestion!t}",
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
    "guard.plan_open": {
        "en": ("step '{step}' waits for its services ({join}): still open: {open}",
               "Record each branch done (alur case do CASE {step} --service <id> --role <its "
               "actor>) and let each linked case close; then complete the step again."),
        "id": ("langkah '{step}' menunggu layanannya ({join}): masih terbuka: {open}",
               "Catat setiap cabang selesai (alur case do KASUS {step} --service <id> --role "
               "<pelakunya>) dan biarkan setiap kasus tertaut ditutup; lalu selesaikan langkah "
               "ini lagi."),
    },
    "guard.service_unknown": {
        "en": ("step '{step}' has no service '{service}'{suggestion!t}",
               "Use one of: {known}."),
        "id": ("langkah '{step}' tidak memiliki layanan '{service}'{suggestion!t}",
               "Gunakan salah satu dari: {known}."),
    },
    "guard.service_which": {
        "en": ("role '{role}' acts for several open services of step '{step}': {open}",
               "Say which one with --service <id>."),
        "id": ("peran '{role}' bertindak untuk beberapa layanan terbuka pada langkah '{step}': "
               "{open}",
               "Sebutkan yang mana dengan --service <id>."),
    },
    "guard.service_linked": {
        "en": ("service '{service}' of step '{step}' is a linked case in procedure "
               "'{procedure}': it ends when that case closes",
               "Close the linked case ('alur case show' lists it); then complete step '{step}'."),
        "id": ("layanan '{service}' pada langkah '{step}' adalah kasus tertaut di prosedur "
               "'{procedure}': layanan ini berakhir saat kasus itu ditutup",
               "Tutup kasus tertaut ('alur case show' menampilkannya); lalu selesaikan langkah "
               "'{step}'."),
    },
    "guard.plan_unselected": {
        "en": ("the services of step '{step}' have not been selected yet",
               "Let the step's actor complete it first: that selects its services."),
        "id": ("layanan langkah '{step}' belum dipilih",
               "Biarkan pelaku langkah menyelesaikannya dahulu: itu memilih layanannya."),
    },
    "guard.service_done": {
        "en": ("service '{service}' of step '{step}' is not open (it is {status})",
               "Only an open, selected service can be recorded done; 'alur case show' lists "
               "them."),
        "id": ("layanan '{service}' pada langkah '{step}' tidak terbuka (statusnya {status})",
               "Hanya layanan terpilih yang masih terbuka yang dapat dicatat selesai; 'alur case "
               "show' menampilkannya."),
    },
    "guard.plan_none": {
        "en": ("step '{step}' has no plan: --service {service} does not apply",
               "Leave out --service (it names a service of a plan step)."),
        "id": ("langkah '{step}' tidak memiliki rencana: --service {service} tidak berlaku",
               "Hapus --service (opsi itu menyebut layanan pada langkah rencana)."),
    },
    "guard.signed": {
        "en": ("role '{role}' has already signed step '{step}' (its actors act together and "
               "each signs once)",
               "Let another of the step's actors sign; 'alur case show' lists who has signed."),
        "id": ("peran '{role}' sudah menandatangani langkah '{step}' (para pelakunya bertindak "
               "bersama dan masing-masing menandatangani sekali)",
               "Biarkan pelaku lain langkah ini menandatangani; 'alur case show' menampilkan "
               "siapa yang sudah menandatangani."),
    },
    "guard.unsigned": {
        "en": ("step '{step}' was completed before {missing} signed (its actors act together "
               "and each signs)",
               "Record each joint actor's signature before the step completes."),
        "id": ("langkah '{step}' diselesaikan sebelum {missing} menandatangani (para pelakunya "
               "bertindak bersama dan masing-masing menandatangani)",
               "Catat tanda tangan setiap pelaku bersama sebelum langkah selesai."),
    },
    "guard.sign_outcome": {
        "en": ("step '{step}' is performed together: the outcome is chosen with the last "
               "signature, and {missing} has not signed yet",
               "Sign without --outcome now; give the outcome when the last actor signs."),
        "id": ("langkah '{step}' dilakukan bersama: hasilnya dipilih pada tanda tangan "
               "terakhir, dan {missing} belum menandatangani",
               "Tandatangani sekarang tanpa --outcome; berikan hasilnya saat pelaku terakhir "
               "menandatangani."),
    },
    "guard.unknown_role": {
        "en": ("procedure {procedure} has no role '{role}'{suggestion!t}", "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki peran '{role}'{suggestion!t}",
               "Gunakan salah satu dari: {known}."),
    },
    "guard.roster": {
        "en": ("user '{user}' does not hold role '{role}' in the roster",
               "Add the role to the user in the roster file, or act as another user."),
        "id": ("pengguna '{user}' tidak memegang peran '{role}' dalam daftar petugas",
               "Tambahkan peran itu pada pengguna di berkas roster, atau gunakan pengguna lain."),
    },
    "guard.requirements": {
        "en": ("step '{step}' waits for requirement(s) not met: {missing}",
               "Meet them first: {how!t}."),
        "id": ("langkah '{step}' menunggu persyaratan yang belum terpenuhi: {missing}",
               "Penuhi dahulu: {how!t}."),
    },
    # the hint of guard.requirements fits what is missing: documents, facts or both
    "term.req_documents": {
        "en": ("attach the document (alur case attach {arg} <document>=<file>)", ""),
        "id": ("lampirkan dokumennya (alur case attach {arg} <dokumen>=<berkas>)", ""),
    },
    "term.req_facts": {
        "en": ("set the fact (alur case fact {arg} <fact>=true)", ""),
        "id": ("isi faktanya (alur case fact {arg} <fakta>=true)", ""),
    },
    "term.req_both": {
        "en": ("attach the document (alur case attach {arg} <document>=<file>) or set the fact "
               "(alur case fact {arg} <fact>=true)", ""),
        "id": ("lampirkan dokumennya (alur case attach {arg} <dokumen>=<berkas>) atau isi "
               "faktanya (alur case fact {arg} <fakta>=true)", ""),
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
        "en": ("step '{step}' has no outcome '{outcome}'{suggestion!t}", "Use one of: {known}."),
        "id": ("langkah '{step}' tidak memiliki hasil '{outcome}'{suggestion!t}",
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
    "guard.future": {
        "en": ("the time {at} is later than the clock ({now}) by more than {tolerance} s",
               "Give a time that has already happened ({option}); recorded, a future time "
               "would refuse every later command on the case as out of order. A clock that is "
               "behind: set ALUR_CLOCK_TOLERANCE (seconds)."),
        "id": ("waktu {at} lebih lambat dari jam sistem ({now}) lebih dari {tolerance} detik",
               "Isi waktu yang sudah terjadi ({option}); waktu di masa depan akan membuat "
               "setiap perintah berikutnya pada kasus ditolak karena tidak berurutan. Jam yang "
               "tertinggal: atur ALUR_CLOCK_TOLERANCE (detik)."),
    },
    "err.clock_tolerance": {
        "en": ("clock tolerance '{value}' is not a number of seconds from 0 to {limit}",
               "Set {env} to a whole number of seconds, e.g. 300."),
        "id": ("toleransi jam '{value}' bukan jumlah detik dari 0 sampai {limit}",
               "Atur {env} ke jumlah detik, mis. 300."),
    },
    "input.case_id": {
        "en": ("'{case}' is not a valid case id",
               "Use letters, digits, '.', '_' and '-' (up to 100, starting with a letter or "
               "digit), e.g. sapa-2026-001; or leave --id out for a generated one."),
        "id": ("'{case}' bukan id kasus yang sah",
               "Gunakan huruf, angka, '.', '_' dan '-' (paling banyak 100, diawali huruf atau "
               "angka), mis. sapa-2026-001; atau jangan isi --id agar dibuatkan."),
    },
    "input.user": {
        "en": ("user '{user}' contains the control character {char}",
               "Give the user's name or id as plain text, without control characters."),
        "id": ("pengguna '{user}' memuat karakter kendali {char}",
               "Isi nama atau id pengguna sebagai teks biasa, tanpa karakter kendali."),
    },
    "err.arg_not_utf8": {
        "en": ("argument {number} is not valid UTF-8: {arg}",
               "Type the argument again in a UTF-8 terminal (check the locale, e.g. "
               "LANG=C.UTF-8)."),
        "id": ("argumen ke-{number} bukan UTF-8 yang sah: {arg}",
               "Ketik ulang argumennya di terminal UTF-8 (periksa locale, mis. LANG=C.UTF-8)."),
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
        "en": ("role '{role}' is not staff of the agency and may not {action!t}",
               "Use a staff role."),
        "id": ("peran '{role}' bukan petugas dan tidak boleh {action!t}",
               "Gunakan peran petugas."),
    },
    "input.fact_unknown": {
        "en": ("procedure {procedure} has no fact '{fact}'{suggestion!t}", "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki fakta '{fact}'{suggestion!t}",
               "Gunakan salah satu dari: {known}."),
    },
    "input.fact_type": {
        "en": ("fact '{fact}' must be {expected!t}, got {value!r}", "Give {expected!t}."),
        "id": ("fakta '{fact}' harus berupa {expected!t}, diberikan {value!r}",
               "Berikan {expected!t}."),
    },
    "input.document_unknown": {
        "en": ("procedure {procedure} has no document '{document}'{suggestion!t}",
               "Use one of: {known}."),
        "id": ("prosedur {procedure} tidak memiliki dokumen '{document}'{suggestion!t}",
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
    "cli.clock_stopped": {
        "en": ('clock stopped: step {step} completed', ""),
        "id": ('jangka waktu berhenti: langkah {step} selesai', ""),
    },
    "cli.phase_started": {
        "en": ('phase limit {phase} started; due {due}', ""),
        "id": ('jangka waktu bagian {phase} mulai berjalan; batas {due}', ""),
    },
    "cli.phase_stopped": {
        "en": ('phase limit {phase} met', ""),
        "id": ('jangka waktu bagian {phase} terpenuhi', ""),
    },
    "cli.target.repeat": {
        "en": ('the next report of step {step}', ""),
        "id": ('laporan berikutnya langkah {step}', ""),
    },
    "cli.obligation_started": {
        "en": ('step {step} recurs: next report due {due}', ""),
        "id": ('langkah {step} berulang: laporan berikutnya paling lambat {due}', ""),
    },
    "cli.obligation_reported": {
        "en": ('↻ step {step} reported by {user}; next due {due}', ""),
        "id": ('↻ langkah {step} dilaporkan oleh {user}; berikutnya paling lambat {due}', ""),
    },
    "cli.obligation_started_open": {
        "en": ('step {step} recurs: reported whenever it happens', ""),
        "id": ('langkah {step} berulang: dilaporkan kapan pun terjadi', ""),
    },
    "cli.obligation_ends": {
        "en": ('; the obligation ends {ends}', ""),
        "id": ('; kewajiban ini berakhir {ends}', ""),
    },
    "cli.obligation_reported_open": {
        "en": ('↻ step {step} reported by {user}', ""),
        "id": ('↻ langkah {step} dilaporkan oleh {user}', ""),
    },
    "cli.obligation_ended": {
        "en": ('step {step} no longer recurs', ""),
        "id": ('langkah {step} tidak lagi berulang', ""),
    },
    "cli.target.phase": {
        "en": ('phase limit {phase}', ""),
        "id": ('jangka waktu bagian {phase}', ""),
    },
    "cli.no_limit": {
        "en": ('(no limit)', ""),
        "id": ('(tanpa batas)', ""),
    },
    "cli.breached": {
        "en": ('! deadline of {target} ({due}) breached; escalated to {role}', ""),
        "id": ('! batas waktu {target} ({due}) terlampaui; dieskalasi ke {role}', ""),
    },
    "cli.breached_only": {
        "en": ('! deadline of {target} ({due}) breached', ""),
        "id": ('! batas waktu {target} ({due}) terlampaui', ""),
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
    "cli.status.min_early": {
        "en": ('closed before the minimum (not before {earliest}); the SP says: "{quote}" '
               '(information, not a breach)', ""),
        "id": ('ditutup sebelum waktu minimum (tidak sebelum {earliest}); SP menyebut: '
               '"{quote}" (informasi, bukan pelanggaran)', ""),
    },
    "cli.status.min_met": {
        "en": ('closed after the minimum (not before {earliest})', ""),
        "id": ('ditutup setelah waktu minimum (tidak sebelum {earliest})', ""),
    },
    "cli.status.min_running": {
        "en": ('a minimum, not a deadline: not before {earliest}', ""),
        "id": ('waktu minimum, bukan batas akhir: tidak sebelum {earliest}', ""),
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
    "cli.show.unmet": {
        "en": ('  requirements not met: {requirements}', ""),
        "id": ('  persyaratan belum terpenuhi: {requirements}', ""),
    },
    "cli.none": {
        "en": ('none', ""),
        "id": ('tidak ada', ""),
    },
    "cli.show.services": {
        "en": ("  services: {services}", ""),
        "id": ("  layanan: {services}", ""),
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
    "cli.plan_started": {
        "en": ("⑂ {number} {title} — services started: {services}", ""),
        "id": ("⑂ {number} {title} — layanan dimulai: {services}", ""),
    },
    "cli.service_ended": {
        "en": ("✓ service {service} ended ({how})", ""),
        "id": ("✓ layanan {service} selesai ({how})", ""),
    },
    "cli.plan_joined": {
        "en": ("⑃ {number} {title} — services joined ({join})", ""),
        "id": ("⑃ {number} {title} — layanan digabungkan ({join})", ""),
    },
    "cli.signed": {
        "en": ("✎ {number} {title} — signed for {signer} by {user}", ""),
        "id": ("✎ {number} {title} — ditandatangani untuk {signer} oleh {user}", ""),
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
    "cli.list.header": {
        "en": ('NUMBER|CASE|PROCEDURE|STATUS|STEP|ROLE (USER)|DUE', ""),
        "id": ('NOMOR|KASUS|PROSEDUR|STATUS|LANGKAH|PERAN (PENGGUNA)|BATAS WAKTU', ""),
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
        "en": ('NUMBER|CASE|PROCEDURE|STATE|DEADLINE OF|ROLE|DUE', ""),
        "id": ('NOMOR|KASUS|PROSEDUR|KEADAAN|BATAS UNTUK|PERAN|BATAS WAKTU', ""),
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
    "cli.due.preview": {
        "en": ('{breaches} breach(es) at {now}: a preview, nothing recorded',
               "Record breaches with --record (at the clock, or with --now not in the future)."),
        "id": ('{breaches} pelampauan pada {now}: pratinjau, tidak ada yang dicatat',
               "Catat pelampauan dengan --record (pada jam sistem, atau --now yang tidak di "
               "masa depan)."),
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
    "cli.run.breaches_unexpected": {
        "en": ("  {file}: case {number}: breaches not as expected: expected but not breached: "
               "{missing}; breached but not expected: {unexpected}", ""),
        "id": ("  {file}: kasus {number}: pelanggaran batas waktu tidak sesuai harapan: "
               "diharapkan tetapi tidak terjadi: {missing}; terjadi tetapi tidak diharapkan: "
               "{unexpected}", ""),
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
    "cli.proc.issued_outside": {
        "en": (' [handed over outside the steps]', ""),
        "id": (' [diserahkan di luar langkah-langkah]', ""),
    },
    "cli.proc.limit_event": {
        "en": ('  time limit: until {event} (an outside event), from {starts}', ""),
        "id": ('  jangka waktu: sampai {event} (peristiwa di luar instansi), sejak {starts}', ""),
    },
    "cli.proc.limit_none": {
        "en": ('  time limit: (not given by the source), from {starts}', ""),
        "id": ('  jangka waktu: (tidak dicantumkan sumber), sejak {starts}', ""),
    },
    "cli.proc.bound_max": {
        "en": (' (at most)', ""),
        "id": (' (paling lama)', ""),
    },
    "cli.proc.bound_min": {
        "en": (' (at least: a minimum, not a deadline)', ""),
        "id": (' (paling cepat: waktu minimum, bukan batas akhir)', ""),
    },
    "cli.proc.bound_exact": {
        "en": (' (exactly)', ""),
        "id": (' (tepat)', ""),
    },
    "cli.proc.extendable": {
        "en": ('  extendable: {rule}', ""),
        "id": ('  dapat diperpanjang: {rule}', ""),
    },
    "cli.proc.max_extension": {
        "en": (' (at most {limit})', ""),
        "id": (' (paling lama {limit})', ""),
    },
    "cli.proc.escalate": {
        "en": ('  a breach is escalated to {role}', ""),
        "id": ('  pelanggaran dilaporkan kepada {role}', ""),
    },
    "cli.proc.quote": {
        "en": ('    source: "{text}"', ""),
        "id": ('    sumber: "{text}"', ""),
    },
    "cli.proc.requirements": {
        "en": ('  requirements:', ""),
        "id": ('  persyaratan:', ""),
    },
    "cli.proc.any_of": {
        "en": ('any one of:', ""),
        "id": ('salah satu dari:', ""),
    },
    "cli.proc.all_of": {
        "en": ('all of:', ""),
        "id": ('semua dari:', ""),
    },
    "cli.proc.optional": {
        "en": (' [optional]', ""),
        "id": (' [tidak wajib]', ""),
    },
    "cli.proc.if": {
        "en": (' [if {condition}]', ""),
        "id": (' [bila {condition}]', ""),
    },
    "cli.proc.gates": {
        "en": (' [holds back: {gates}]', ""),
        "id": (' [menahan: {gates}]', ""),
    },
    "cli.proc.when": {
        "en": ('          only when: {condition}', ""),
        "id": ('          hanya bila: {condition}', ""),
    },
    "cli.proc.participants": {
        "en": ('          with: {items}', ""),
        "id": ('          bersama: {items}', ""),
    },
    "cli.proc.estimate": {
        "en": ('          typically: {estimate}', ""),
        "id": ('          biasanya: {estimate}', ""),
    },
    "cli.proc.refer": {
        "en": ('          refers to: {procedure}', ""),
        "id": ('          merujuk ke: {procedure}', ""),
    },
    "cli.proc.refer_short": {
        "en": (' (refers to {procedure})', ""),
        "id": (' (merujuk ke {procedure})', ""),
    },
    "cli.proc.aliases": {
        "en": ('; also called: {names}', ""),
        "id": ('; disebut juga: {names}', ""),
    },
    "cli.proc.facts": {
        "en": ('  facts:   {facts}', ""),
        "id": ('  fakta:   {facts}', ""),
    },
    "cli.proc.required": {
        "en": (' [at opening]', ""),
        "id": (' [saat dibuka]', ""),
    },
    "cli.proc.products": {
        "en": ('  products: {products}', ""),
        "id": ('  produk:  {products}', ""),
    },
    "cli.proc.complaints": {
        "en": ('  complaint channels:', ""),
        "id": ('  sarana pengaduan:', ""),
    },
    "cli.proc.complaints_none": {
        "en": ('  complaint channels: (not given by the source)', ""),
        "id": ('  sarana pengaduan: (tidak dicantumkan sumber)', ""),
    },
    "cli.proc.copies": {
        "en": ('{count} copies', ""),
        "id": ('{count} rangkap', ""),
    },
    "cli.proc.sheets": {
        "en": ('{count} sheet(s)', ""),
        "id": ('{count} lembar', ""),
    },
    "cli.proc.until": {
        "en": (", until step {step} completes", ""),
        "id": (", sampai langkah {step} selesai", ""),
    },
    "cli.proc.phase": {
        "en": ("  phase limit {id}: {amount} {unit} from {starts}, until step {step} completes"
               " — \"{source}\"", ""),
        "id": ("  jangka waktu bagian {id}: {amount} {unit} sejak {starts}, sampai langkah "
               "{step} selesai — \"{source}\"", ""),
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
    "cli.proc.repeat": {
        "en": ("          repeats: {period} {end}", ""),
        "id": ("          berulang: {period} {end}", ""),
    },
    "cli.proc.repeat_every": {
        "en": ("reported again at least every {amount} {unit}", ""),
        "id": ("dilaporkan lagi paling lambat setiap {amount} {unit}", ""),
    },
    "cli.proc.repeat_open": {
        "en": ("reported whenever it happens (the source gives no period: never late)", ""),
        "id": ("dilaporkan kapan pun terjadi (sumber tidak menyebut periode: tidak pernah "
               "terlambat)", ""),
    },
    "cli.proc.repeat_until": {
        "en": ("until step {step} completes", ""),
        "id": ("sampai langkah {step} selesai", ""),
    },
    "cli.proc.repeat_lasts": {
        "en": ("for {span} from its first completion", ""),
        "id": ("selama {span} sejak penyelesaian pertamanya", ""),
    },
    "cli.proc.joint_all": {
        "en": ("          together with: {roles} (each signs; the step completes with the last)",
               ""),
        "id": ("          bersama: {roles} (masing-masing menandatangani; langkah selesai pada "
               "tanda tangan terakhir)", ""),
    },
    "cli.proc.plan_all": {
        "en": ("          plan: these services start at once; the step completes when every "
               "selected one has ended", ""),
        "id": ("          rencana: layanan berikut dimulai bersamaan; langkah selesai setelah "
               "setiap layanan terpilih berakhir", ""),
    },
    "cli.proc.plan_any": {
        "en": ("          plan: these services start at once; the step completes when the "
               "first selected one has ended", ""),
        "id": ("          rencana: layanan berikut dimulai bersamaan; langkah selesai setelah "
               "layanan terpilih pertama berakhir", ""),
    },
    "cli.proc.service_refer": {
        "en": ("linked case in {procedure}", ""),
        "id": ("kasus tertaut di {procedure}", ""),
    },
    "cli.proc.joint_any": {
        "en": ("          together with: {roles} (any one of them completes it)", ""),
        "id": ("          bersama: {roles} (salah satu dari mereka menyelesaikannya)", ""),
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
    "cli.retention.kept_users": {
        "en": ("  {case}: {count} action(s) by outside users were recorded before user ids were "
               "salted: their ids stay (erasing them would break the hash chain)", ""),
        "id": ("  {case}: {count} tindakan pengguna dari luar tercatat sebelum id pengguna "
               "diberi garam: id-nya tetap ada (menghapusnya akan memutus rantai hash)", ""),
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
    "cli.anchor.holds": {
        "en": ('the ledger still begins with the {count} entries anchored at {at}', ""),
        "id": ('ledger masih diawali {count} entri yang dijangkarkan pada {at}', ""),
    },
    "cli.anchor.keygen": {
        "en": ('wrote the private key {path} (keep it secret) and the public key {path}.pub '
               '(give it to auditors)', ""),
        "id": ('kunci privat {path} (rahasiakan) dan kunci publik {path}.pub (berikan kepada '
               'auditor) telah ditulis', ""),
    },
    "cli.anchor.written": {
        "en": ('wrote {path}: {count} ledger entries, root {root}…; keep it outside the store',
               ""),
        "id": ('{path} ditulis: {count} entri ledger, akar {root}…; simpan di luar '
               'penyimpanan', ""),
    },
    "cli.due.skipped": {
        "en": ('skipped case {case}: {message}', ""),
        "id": ('kasus {case} dilewati: {message}', ""),
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
    "cli.rep.windows": {
        "en": ("phase limits breached: {phases}; recurring reports late: {reports}", ""),
        "id": ("batas waktu tahap terlampaui: {phases}; laporan berkala terlambat: {reports}",
               ""),
    },
    "cli.rep.minimum": {
        "en": ('minimum time limit (not a deadline): {before} of {closed} cases closed before '
               'it — information, not a breach; the SP says: "{quote}"', ""),
        "id": ('jangka waktu minimum (bukan batas akhir): {before} dari {closed} kasus ditutup '
               'sebelumnya — informasi, bukan pelampauan; SP menyebut: "{quote}"', ""),
    },
    "cli.rep.joint": {
        "en": ("steps signed jointly (completions): {steps}", ""),
        "id": ("langkah yang ditandatangani bersama (penyelesaian): {steps}", ""),
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
    "err.tamper_procedure": {
        "en": ("the stored text of procedure {procedure} (version {version}) does not match its "
               "SHA-256: it was edited in the store",
               "run 'alur audit verify' and restore the procedure text from a backup; alur will "
               "not act on cases of this version"),
        "id": ("teks prosedur {procedure} (versi {version}) yang tersimpan tidak cocok dengan "
               "SHA-256-nya: teks itu diubah di penyimpanan",
               "jalankan 'alur audit verify' dan pulihkan teks prosedur dari cadangan; alur "
               "tidak akan memproses kasus versi ini"),
    },
    "err.anchor.unreadable": {
        "en": ("cannot read the anchor or its public key: {problem}",
               "give the file 'alur audit anchor' wrote and the agency's public key PEM"),
        "id": ("jangkar atau kunci publiknya tidak dapat dibaca: {problem}",
               "berikan berkas yang ditulis 'alur audit anchor' dan PEM kunci publik instansi"),
    },
    "err.anchor.key_exists": {
        "en": ("the key file '{path}' already exists", "alur never overwrites a key; choose "
               "another name or remove the old key deliberately"),
        "id": ("berkas kunci '{path}' sudah ada", "alur tidak pernah menimpa kunci; pilih nama "
               "lain atau hapus kunci lama dengan sengaja"),
    },
    "err.anchor.key_unwritable": {
        "en": ("cannot write the key file '{path}': {problem}", "check the folder and its "
               "permissions"),
        "id": ("berkas kunci '{path}' tidak dapat ditulis: {problem}", "periksa folder dan "
               "izinnya"),
    },
    "err.anchor.key_unreadable": {
        "en": ("cannot use the key file '{path}': {problem}", "give the private key PEM that "
               "'alur audit keygen' wrote"),
        "id": ("berkas kunci '{path}' tidak dapat dipakai: {problem}", "berikan PEM kunci "
               "privat yang ditulis 'alur audit keygen'"),
    },
    "err.tamper_unreadable": {
        "en": ("case {case} holds rows alur never writes ({problem}): they were written behind "
               "alur's back",
               "run 'alur audit verify' and restore the case from a backup; alur will not act "
               "on this case"),
        "id": ("kasus {case} memuat baris yang tidak pernah ditulis alur ({problem}): baris itu "
               "ditulis di luar alur",
               "jalankan 'alur audit verify' dan pulihkan kasus dari cadangan; alur tidak akan "
               "memproses kasus ini"),
    },
    "err.tamper_snapshot": {
        "en": ("the snapshot of case {case} does not match its events",
               "run 'alur audit verify'; the snapshot table was edited"),
        "id": ("snapshot kasus {case} tidak cocok dengan peristiwanya",
               "jalankan 'alur audit verify'; tabel snapshot telah diubah"),
    },
    "err.tamper_ledger": {
        "en": ("the events of case {case} are not the ones the store-wide ledger recorded "
               "(cut short, rewritten, or written behind alur's back)",
               "run 'alur audit verify' (with --anchor if one is kept); nothing was appended"),
        "id": ("peristiwa kasus {case} tidak sama dengan yang dicatat buku besar penyimpanan "
               "(dipotong, ditulis ulang, atau ditulis di luar alur)",
               "jalankan 'alur audit verify' (dengan --anchor bila ada); tidak ada yang "
               "ditambahkan"),
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
    "err.other_agency": {
        "en": ("user '{user}' of agency '{agency}' may not use {action} on procedure "
               "{procedure}: it belongs to '{owner}'",
               "only staff of the procedure's agency may; an administrator sets a user's "
               "agency with alur user add --agency"),
        "id": ("pengguna '{user}' dari instansi '{agency}' tidak boleh memakai {action} pada "
               "prosedur {procedure}: prosedur itu milik '{owner}'",
               "hanya petugas instansi pemilik prosedur yang boleh; administrator mengatur "
               "instansi pengguna dengan alur user add --agency"),
    },
    "err.roster_empty": {
        "en": ("{where} is set but empty: alur will not run without the roster it was told to "
               "use", "give the roster file's path, or unset {where} to run without a roster"),
        "id": ("{where} diisi tetapi kosong: alur tidak berjalan tanpa roster yang diminta",
               "berikan jalur berkas roster, atau hapus {where} untuk berjalan tanpa roster"),
    },
    "err.privilege_no_roster": {
        "en": ("{action} needs the '{privilege}' privilege, and no roster is configured",
               "configure a roster (--roster FILE or $ALUR_ROSTER) whose 'privileges: "
               "{privilege}:' names a role the user holds"),
        "id": ("{action} memerlukan hak '{privilege}', dan roster tidak diatur",
               "atur roster (--roster BERKAS atau $ALUR_ROSTER) yang 'privileges: {privilege}:' "
               "-nya menyebut peran yang dipegang pengguna"),
    },
    "err.privilege": {
        "en": ("user '{user}' may not {action}: none of their roles has the '{privilege}' "
               "privilege in the roster", "roles with it: {roles}"),
        "id": ("pengguna '{user}' tidak boleh {action}: tidak satu pun perannya memiliki hak "
               "'{privilege}' menurut roster", "peran yang memilikinya: {roles}"),
    },
    "err.needs_user": {
        "en": ("with a roster, {action} needs --user (who reads)",
               "give --user with a user from the roster"),
        "id": ("dengan roster, {action} memerlukan --user (siapa yang membaca)",
               "berikan --user dengan pengguna dari roster"),
    },
    "err.no_readable": {
        "en": ("user '{user}' holds no role that may read cases",
               "ask the agency to add a reading role to the user in the roster"),
        "id": ("pengguna '{user}' tidak memegang peran yang boleh membaca kasus",
               "minta instansi menambahkan peran pembaca pada pengguna di roster"),
    },
    "err.now_in_future": {
        "en": ("--now {now} is later than the clock ({clock}): retention cannot be applied "
               "ahead of time", "give a --now that is not in the future"),
        "id": ("--now {now} lebih lambat dari jam ({clock}): retensi tidak dapat diterapkan "
               "lebih awal", "berikan --now yang tidak di masa depan"),
    },
    "err.wal_checkpoint": {
        "en": ("erased values may remain in {file}-wal: another connection keeps it open "
               "(checkpoint failed {tries} times)",
               "close other alur processes on this store and run 'alur retention apply' again"),
        "id": ("nilai yang dihapus mungkin masih ada di {file}-wal: koneksi lain masih "
               "membukanya (checkpoint gagal {tries} kali)",
               "tutup proses alur lain pada store ini lalu jalankan 'alur retention apply' lagi"),
    },
    "err.document_link": {
        "en": ("document path '{path}' goes through a symbolic link",
               "copy the file itself into the documents folder"),
        "id": ("jalur dokumen '{path}' melewati tautan simbolik",
               "salin berkasnya sendiri ke folder dokumen"),
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
    "err.import_too_large": {
        "en": ("'{source}' is longer than {limit} characters: not the text of one Standar "
               "Pelayanan",
               "Copy only the Standar Pelayanan's own text (a few pages) into a .txt file."),
        "id": ("'{source}' lebih dari {limit} karakter: bukan teks satu Standar Pelayanan",
               "Salin hanya teks Standar Pelayanan itu sendiri (beberapa halaman) ke berkas "
               ".txt."),
    },
    "err.date_before_year_1": {
        "en": ("the time {date} is too close to the year 1: no due date can be computed from it",
               "Check the time (--at): a case happens now, not in the year 1."),
        "id": ("waktu {date} terlalu dekat ke tahun 1: batas waktu tidak dapat dihitung darinya",
               "Periksa waktunya (--at): kasus terjadi sekarang, bukan pada tahun 1."),
    },
    "err.due_past_9999": {
        "en": ("the due date from {date} runs past year 9999",
               "Check the start and the duration."),
        "id": ("batas waktu dari {date} melewati tahun 9999",
               "Periksa waktu mulai dan lamanya."),
    },
    "err.date_past_9999": {
        "en": ("counting working days from {date} runs past year 9999",
               "Check the start and the number of days."),
        "id": ("penghitungan hari kerja dari {date} melewati tahun 9999",
               "Periksa tanggal mulai dan jumlah harinya."),
    },
    "err.casefile_unreadable": {
        "en": ("cannot read case file {file}: {problem}", "check the path"),
        "id": ("berkas kasus {file} tidak dapat dibaca: {problem}", "periksa jalurnya"),
    },
    "err.casefile_too_large": {
        "en": ("case file {file} is {size} bytes, larger than the limit of {limit} bytes",
               "Split the cases over several files, and attach large documents as files "
               "({{file: path}}) instead of inline text."),
        "id": ("berkas kasus {file} berukuran {size} bita, melebihi batas {limit} bita",
               "Bagi kasus ke beberapa berkas, dan lampirkan dokumen besar sebagai berkas "
               "({{file: jalur}}), bukan teks di dalam berkas."),
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
        "en": ("'expect' must be a mapping {{status:, refused:, breaches:}}", ""),
        "id": ("'expect' harus berupa pemetaan {{status:, refused:, breaches:}}", ""),
    },
    "cli.cf.expect_breaches": {
        "en": ("expect 'breaches' must be a list of time limits, e.g. [case], "
               "[phase:<id>, repeat:<step>] or [] for none", ""),
        "id": ("expect 'breaches' harus berupa daftar batas waktu, mis. [case], "
               "[phase:<id>, repeat:<langkah>] atau [] bila tidak ada", ""),
    },
    "cli.cf.breach_unknown": {
        "en": ("expect 'breaches': procedure {procedure} has no time limit '{target}' "
               "(it has: {known})", ""),
        "id": ("expect 'breaches': prosedur {procedure} tidak memiliki batas waktu '{target}' "
               "(yang ada: {known})", ""),
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
    "err.casefile_not_linked": {
        "en": ("case '{case}' was not opened by case '{source}' (the cases it opened: {linked})",
               "an action's 'case' names a case this one opened by a referral or a plan "
               "service; leave 'case' out to act on this case"),
        "id": ("kasus '{case}' tidak dibuka oleh kasus '{source}' (kasus yang dibukanya: "
               "{linked})",
               "'case' pada sebuah tindakan menyebut kasus yang dibuka kasus ini melalui rujukan "
               "atau layanan rencana; hapus 'case' untuk bertindak pada kasus ini"),
    },
    "err.casefile_read": {
        "en": ("{file}: {count} problem(s) in the case file; nothing was run",
               "fix each line shown; the format is in docs/embedding.md"),
        "id": ("{file}: {count} masalah dalam berkas kasus; tidak ada yang dijalankan",
               "perbaiki setiap baris yang ditampilkan; formatnya ada di docs/embedding.md"),
    },
    "err.roster_problems": {
        "en": ("roster {file}: {count} problem(s); no roster was loaded",
               "fix each line shown; the roster format is in docs/embedding.md"),
        "id": ("roster {file}: {count} masalah; roster tidak dimuat",
               "perbaiki setiap baris yang ditampilkan; format roster ada di docs/embedding.md"),
    },
    "err.overrides_problems": {
        "en": ("calendar override file {file}: {count} problem(s)",
               "fix each line shown; the format is in docs/calendar.md"),
        "id": ("berkas penyesuaian kalender {file}: {count} masalah",
               "perbaiki setiap baris yang ditampilkan; formatnya ada di docs/calendar.md"),
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
        "en": ("SQLite store {path}: cannot {action!t}: {problem}",
               "check the path and that the file is an alur database"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action!t}: {problem}",
               "periksa jalurnya dan pastikan berkas itu basis data alur"),
    },
    "err.store.sqlite_busy": {
        "en": ("SQLite store {path}: cannot {action!t}: {problem}",
               "another process held the database for more than {seconds} s; retry, or find "
               "the process that keeps it busy"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action!t}: {problem}",
               "proses lain memegang basis data lebih dari {seconds} detik; coba lagi, atau "
               "cari proses yang membuatnya sibuk"),
    },
    "err.store.sqlite_permission": {
        "en": ("SQLite store {path}: cannot {action!t}: {problem}",
               "check the permissions of the file and of its directory"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action!t}: {problem}",
               "periksa izin berkas dan direktorinya"),
    },
    "err.store.sqlite_corrupt": {
        "en": ("SQLite store {path}: cannot {action!t}: {problem}",
               "the database file is damaged; restore it from a backup"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action!t}: {problem}",
               "berkas basis data rusak; pulihkan dari cadangan"),
    },
    "err.store.sqlite_disk": {
        "en": ("SQLite store {path}: cannot {action!t}: {problem}",
               "check free disk space and the disk itself"),
        "id": ("penyimpanan SQLite {path}: tidak dapat {action!t}: {problem}",
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
        "en": ("PostgreSQL store {url}: cannot {action!t}: {problem}", _PG_HINT_EN),
        "id": ("penyimpanan PostgreSQL {url}: tidak dapat {action!t}: {problem}", _PG_HINT_ID),
    },
    "err.store.pg_failed": {
        "en": ("PostgreSQL store {url}: cannot {action!t}: {problem}",
               "check the server log; the store may need a migration or repair"),
        "id": ("penyimpanan PostgreSQL {url}: tidak dapat {action!t}: {problem}",
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
    "cli.unit.minutes": {
        "en": ("minutes", ""),
        "id": ("menit", ""),
    },
    "cli.unit.months": {
        "en": ("months", ""),
        "id": ("bulan", ""),
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
    "cli.html.phase": {"en": ("phase limit", ""), "id": ("batas waktu tahap", "")},
    "cli.html.late_step": {"en": ("recurring step (late reports)", ""),
                           "id": ("langkah berkala (laporan terlambat)", "")},
    "cli.html.minimum": {"en": ("Minimum time limit (information, not a breach)", ""),
                         "id": ("Jangka waktu minimum (informasi, bukan pelampauan)", "")},
    "cli.html.joint": {"en": ("Steps signed jointly", ""),
                       "id": ("Langkah yang ditandatangani bersama", "")},
    "cli.html.step": {"en": ("step", ""), "id": ("langkah", "")},
    "cli.html.completions": {"en": ("completions", ""), "id": ("penyelesaian", "")},
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
    "cli.diff.not_given": {
        "en": ("none given by the source", ""),
        "id": ("tidak disebut sumber", ""),
    },
    "cli.diff.phase_limit": {
        "en": ("Phase limit '{id}'", ""),
        "id": ("Batas waktu tahap '{id}'", ""),
    },
    "cli.diff.aliases_added": {
        "en": ('now also called {new}', ""),
        "id": ('kini juga disebut {new}', ""),
    },
    "cli.diff.aliases_removed": {
        "en": ('no longer called {old}', ""),
        "id": ('tidak lagi disebut {old}', ""),
    },
    "cli.diff.joint": {
        "en": ('performed together with {new} (was {old})', ""),
        "id": ('dilaksanakan bersama {new} (sebelumnya {old})', ""),
    },
    "cli.diff.joint_value": {
        "en": ('{roles} ({sign})', ""),
        "id": ('{roles} ({sign})', ""),
    },
    "cli.diff.sign_off_all": {
        "en": ('each signs', ""),
        "id": ('masing-masing menandatangani', ""),
    },
    "cli.diff.sign_off_any": {
        "en": ('any one completes it', ""),
        "id": ('salah satu menyelesaikannya', ""),
    },
    "cli.diff.repeat": {
        "en": ('repeated {new} (was {old})', ""),
        "id": ('diulang {new} (sebelumnya {old})', ""),
    },
    "cli.diff.repeat_lasting": {
        "en": ("at least every {every} for {lasts}", ""),
        "id": ("paling lambat setiap {every} selama {lasts}", ""),
    },
    "cli.diff.repeat_value": {
        "en": ("at least every {every} until '{until}' completes", ""),
        "id": ("paling lambat setiap {every} sampai '{until}' selesai", ""),
    },
    "cli.diff.unit.minutes": {
        "en": ('minute(s)', ""),
        "id": ('menit', ""),
    },
    "cli.diff.unit.months": {
        "en": ('month(s)', ""),
        "id": ('bulan', ""),
    },
    "cli.diff.field.case_prefix": {
        "en": ('case number prefix', ""),
        "id": ('awalan nomor kasus', ""),
    },
    "cli.diff.field.form": {
        "en": ('form (original or copy)', ""),
        "id": ('bentuk (asli atau fotokopi)', ""),
    },
    "cli.diff.field.copies": {
        "en": ('copies', ""),
        "id": ('rangkap', ""),
    },
    "cli.diff.field.sheets": {
        "en": ('sheets', ""),
        "id": ('lembar', ""),
    },
    "cli.diff.field.documents": {
        "en": ('documents', ""),
        "id": ('dokumen', ""),
    },
    "cli.diff.field.gates": {
        "en": ('what it gates', ""),
        "id": ('yang ditahannya', ""),
    },
    "cli.diff.field.platform": {
        "en": ('platform', ""),
        "id": ('platform', ""),
    },
    "cli.diff.field.until_step": {
        "en": ('clock stops at step', ""),
        "id": ('jam berhenti pada langkah', ""),
    },
    "cli.diff.field.aliases": {
        "en": ('other names', ""),
        "id": ('nama lain', ""),
    },
    # --- stored events that do not fit the vocabulary (engine/cases/vocabulary.py) -----------
    "err.event.keys": {
        "en": ("a stored {event_type} event with unknown keys {unknown} or missing keys {missing}",
               "run 'alur audit verify': the event was not written by this alur"),
        "id": ("peristiwa {event_type} tersimpan memiliki kunci tak dikenal {unknown} atau tidak "
               "memiliki {missing}",
               "jalankan 'alur audit verify': peristiwa ini tidak ditulis oleh alur ini"),
    },
    "err.event.version": {
        "en": ("a {event_type} payload of version {version}, expected {expected}",
               "read stored payloads through decode(), which upcasts them"),
        "id": ("muatan {event_type} versi {version}, yang diharapkan {expected}",
               "baca muatan tersimpan lewat decode(), yang menaikkan versinya"),
    },
    "err.event.types": {
        "en": ("a stored {event_type} event whose {fields} is not of its declared type",
               "run 'alur audit verify': the event was changed or not written by this alur"),
        "id": ("peristiwa {event_type} tersimpan yang {fields}-nya tidak sesuai tipenya",
               "jalankan 'alur audit verify': peristiwa diubah atau tidak ditulis oleh alur ini"),
    },
    "err.event.no_upcaster": {
        "en": ("no upcaster for {event_type} version {version}",
               "register one with register_upcaster"),
        "id": ("tidak ada penaik versi untuk {event_type} versi {version}",
               "daftarkan dengan register_upcaster"),
    },
    "err.event.newer": {
        "en": ("{event_type} version {version} is newer than this alur reads ({known})",
               "upgrade alur to read this store"),
        "id": ("{event_type} versi {version} lebih baru daripada yang dibaca alur ini ({known})",
               "perbarui alur untuk membaca penyimpanan ini"),
    },
    "err.event.unknown_type": {
        "en": ("unknown event type '{event_type}'",
               "run 'alur audit verify': the event was not written by this alur"),
        "id": ("jenis peristiwa tidak dikenal '{event_type}'",
               "jalankan 'alur audit verify': peristiwa ini tidak ditulis oleh alur ini"),
    },
    "err.event.version_nan": {
        "en": ("a stored {event_type} event whose version is not a number",
               "run 'alur audit verify': the event was changed"),
        "id": ("peristiwa {event_type} tersimpan yang versinya bukan angka",
               "jalankan 'alur audit verify': peristiwa telah diubah"),
    },
    "err.salts.source": {
        "en": ("the salt source gave {kind} {value}, not {size} bytes",
               "pass Engine(salts=...) a function of n giving n bytes"),
        "id": ("sumber garam memberi {kind} {value}, bukan {size} byte",
               "beri Engine(salts=...) fungsi dari n yang menghasilkan n byte"),
    },
    "err.file_kind": {
        "en": ("unknown file kind '{kind}'", "use one of: {kinds}"),
        "id": ("jenis berkas tidak dikenal '{kind}'", "gunakan salah satu dari: {kinds}"),
    },
    # --- the HTTP service (engine/service) and its accounts (engine/store/accounts) ----------
    "svc.request_invalid": {
        "en": ("the request does not have the expected shape",
               "see 'errors' for each field, and the schema at /api/v1/openapi.json"),
        "id": ("permintaan tidak berbentuk seperti yang diharapkan",
               "lihat 'errors' untuk tiap isian, dan skema di /api/v1/openapi.json"),
    },
    "svc.body_unreadable": {
        "en": ("the request body cannot be read", "send JSON encoded as UTF-8"),
        "id": ("isi permintaan tidak dapat dibaca", "kirim JSON dengan pengodean UTF-8"),
    },
    "svc.media_type": {
        "en": ("documents of type '{media}' are not taken", "send one of: {allowed}"),
        "id": ("dokumen bertipe '{media}' tidak diterima", "kirim salah satu dari: {allowed}"),
    },
    "svc.no_document": {
        "en": ("the case holds no stored content for document '{document}'",
               "see the case's documents: GET /api/v1/cases/{{id}}"),
        "id": ("kasus tidak menyimpan isi dokumen '{document}'",
               "lihat dokumen kasus: GET /api/v1/cases/{{id}}"),
    },
    "svc.reveal_reason": {
        "en": ("this document is sensitive: downloading it needs a reason",
               "add ?reason=... (it is recorded with who and when)"),
        "id": ("dokumen ini sensitif: mengunduhnya memerlukan alasan",
               "tambahkan ?reason=... (dicatat beserta siapa dan kapan)"),
    },
    "svc.no_route": {
        "en": ("there is no such resource", "the resources are listed at /api/v1/docs"),
        "id": ("sumber daya itu tidak ada", "daftar sumber daya ada di /api/v1/docs"),
    },
    "svc.method": {
        "en": ("this resource does not take that method", "see /api/v1/docs"),
        "id": ("sumber daya ini tidak menerima metode itu", "lihat /api/v1/docs"),
    },
    "svc.http": {
        "en": ("the request failed with HTTP status {http}", "see /api/v1/docs"),
        "id": ("permintaan gagal dengan status HTTP {http}", "lihat /api/v1/docs"),
    },
    "svc.auth_required": {
        "en": ("this resource needs an API token",
               "send 'Authorization: Bearer <token>'; get one with POST /api/v1/auth/token or "
               "'alur user token'"),
        "id": ("sumber daya ini memerlukan token API",
               "kirim 'Authorization: Bearer <token>'; dapatkan dengan POST /api/v1/auth/token "
               "atau 'alur user token'"),
    },
    "svc.auth_invalid": {
        "en": ("the API token is not valid (unknown or revoked)",
               "ask for a new token: POST /api/v1/auth/token or 'alur user token'"),
        "id": ("token API tidak sah (tidak dikenal atau sudah dicabut)",
               "minta token baru: POST /api/v1/auth/token atau 'alur user token'"),
    },
    "svc.user_disabled": {
        "en": ("user '{user}' is disabled", "an administrator can enable them: alur user enable"),
        "id": ("pengguna '{user}' dinonaktifkan",
               "administrator dapat mengaktifkannya: alur user enable"),
    },
    "svc.scope_missing": {
        "en": ("the API token does not allow '{scope}'",
               "use a token with the '{scope}' scope ('alur user token --scope {scope}')"),
        "id": ("token API tidak mengizinkan '{scope}'",
               "gunakan token dengan cakupan '{scope}' ('alur user token --scope {scope}')"),
    },
    "svc.role_not_held": {
        "en": ("you do not hold role '{role}'", "ask an administrator: alur user roles"),
        "id": ("Anda tidak memegang peran '{role}'", "minta administrator: alur user roles"),
    },
    "svc.login_failed": {
        "en": ("wrong user name or password", "check both; repeated failures are blocked"),
        "id": ("nama pengguna atau kata sandi salah",
               "periksa keduanya; kegagalan berulang akan diblokir"),
    },
    "svc.login_limited": {
        "en": ("too many failed logins for this user from this address",
               "wait a few minutes, or ask an administrator to set a new password"),
        "id": ("terlalu banyak login gagal untuk pengguna ini dari alamat ini",
               "tunggu beberapa menit, atau minta administrator mengganti kata sandi"),
    },
    "svc.precondition": {
        "en": ("the case has moved on: it is at version {version}",
               "read the case again (GET) and send its ETag in If-Match"),
        "id": ("kasus sudah berubah: kini versi {version}",
               "baca kasus lagi (GET) dan kirim ETag-nya di If-Match"),
    },
    "svc.idempotency_reused": {
        "en": ("this Idempotency-Key was used for a different request",
               "use a new key for every new request"),
        "id": ("Idempotency-Key ini sudah dipakai untuk permintaan lain",
               "gunakan kunci baru untuk setiap permintaan baru"),
    },
    "svc.idempotency_pending": {
        "en": ("a request with this Idempotency-Key has not finished (or its worker stopped "
               "mid-way)", "retry later; if it stays so, read the case (GET) to see whether "
               "the command landed before sending it again with a new key"),
        "id": ("permintaan dengan Idempotency-Key ini belum selesai (atau prosesnya berhenti "
               "di tengah jalan)", "coba lagi nanti; bila tetap begitu, baca kasusnya (GET) "
               "untuk melihat apakah perintah sudah tercatat sebelum mengirimnya lagi dengan "
               "kunci baru"),
    },
    "svc.not_administrator": {
        "en": ("user '{user}' is not an administrator (role '{role}')",
               "user administration needs the '{role}' role and a token with the admin scope"),
        "id": ("pengguna '{user}' bukan administrator (peran '{role}')",
               "pengelolaan pengguna memerlukan peran '{role}' dan token dengan cakupan admin"),
    },
    "svc.no_user": {
        "en": ("no user '{user}' in this agency", "list the users (GET /api/v1/users)"),
        "id": ("tidak ada pengguna '{user}' di instansi ini",
               "lihat daftar pengguna (GET /api/v1/users)"),
    },
    "svc.no_token": {
        "en": ("no active token '{token}' of a user of this agency",
               "list a user's tokens (GET /api/v1/users/NAME/tokens)"),
        "id": ("tidak ada token aktif '{token}' milik pengguna instansi ini",
               "lihat token pengguna (GET /api/v1/users/NAMA/tokens)"),
    },
    "svc.no_version": {
        "en": ("procedure {procedure} has no stored version '{version}'",
               "stored versions (content hashes): {known}"),
        "id": ("prosedur {procedure} tidak punya versi tersimpan '{version}'",
               "versi tersimpan (hash isi): {known}"),
    },
    "svc.one_version": {
        "en": ("procedure {procedure} has only one stored version here",
               "name both versions with old= and new= (content hashes)"),
        "id": ("prosedur {procedure} baru punya satu versi tersimpan di sini",
               "sebutkan kedua versi dengan old= dan new= (hash isi)"),
    },
    "svc.too_large": {
        "en": ("the request body is too large (limit {limit})", "send a smaller file"),
        "id": ("isi permintaan terlalu besar (batas {limit})", "kirim berkas yang lebih kecil"),
    },
    # --- the workspace pages (engine/service/pages.py, templates/) and their sessions -------
    "web.csrf": {
        "en": ("the form was refused: it does not belong to your current session",
               "reload the page and send the form again (log in again if asked)"),
        "id": ("formulir ditolak: formulir ini bukan milik sesi Anda saat ini",
               "muat ulang halaman lalu kirim lagi (masuk lagi bila diminta)"),
    },
    "web.skip": {"en": ("Skip to content", ""), "id": ("Langsung ke isi", "")},
    "web.nav.label": {"en": ("Main menu", ""), "id": ("Menu utama", "")},
    "web.nav.inbox": {"en": ("Inbox", ""), "id": ("Kotak masuk", "")},
    "web.nav.open": {"en": ("Open a case", ""), "id": ("Buka kasus", "")},
    "web.nav.procedures": {"en": ("Procedures", ""), "id": ("Prosedur", "")},
    "web.nav.preview": {"en": ("Policy preview", ""), "id": ("Pratinjau kebijakan", "")},
    "web.nav.audit": {"en": ("Audit", ""), "id": ("Audit", "")},
    "web.signed_in": {"en": ("{user} ({roles})", ""), "id": ("{user} ({roles})", "")},
    "web.logout": {"en": ("Log out", ""), "id": ("Keluar", "")},
    "web.error.title": {"en": ("Something stopped this page", ""),
                        "id": ("Halaman ini terhenti", "")},
    "web.fix": {"en": ("How to fix it:", ""), "id": ("Cara memperbaiki:", "")},
    "web.rule": {"en": ("Rule:", ""), "id": ("Aturan:", "")},
    "web.refused": {"en": ("Refused", ""), "id": ("Ditolak", "")},
    "web.none": {"en": ("none", ""), "id": ("tidak ada", "")},
    "web.yes": {"en": ("yes", ""), "id": ("ya", "")},
    "web.no": {"en": ("no", ""), "id": ("tidak", "")},
    "web.choose": {"en": ("— choose —", ""), "id": ("— pilih —", "")},
    "web.required": {"en": ("required", ""), "id": ("wajib", "")},
    "web.optional": {"en": ("optional", ""), "id": ("tidak wajib", "")},
    "web.sensitive": {"en": ("sensitive: masked unless revealed with a reason", ""),
                      "id": ("sensitif: disamarkan kecuali dibuka dengan alasan", "")},
    "web.needed_when": {"en": ("needed when {condition}", ""),
                        "id": ("diperlukan bila {condition}", "")},
    "web.case": {"en": ("Case", ""), "id": ("Kasus", "")},
    "web.procedure": {"en": ("Procedure", ""), "id": ("Prosedur", "")},
    "web.login.title": {"en": ("Log in", ""), "id": ("Masuk", "")},
    "web.login.username": {"en": ("User name", ""), "id": ("Nama pengguna", "")},
    "web.login.password": {"en": ("Password", ""), "id": ("Kata sandi", "")},
    "web.login.submit": {"en": ("Log in", ""), "id": ("Masuk", "")},
    "web.inbox.title": {"en": ("Inbox", ""), "id": ("Kotak masuk", "")},
    "web.inbox.intro": {
        "en": ("Cases waiting for your roles, and those escalated to you, soonest due first.", ""),
        "id": ("Kasus yang menunggu peran Anda, dan yang dieskalasi kepada Anda, dari batas "
               "waktu terdekat.", "")},
    "web.inbox.caption": {"en": ("{count} case(s)", ""), "id": ("{count} kasus", "")},
    "web.inbox.step": {"en": ("Current step", ""), "id": ("Langkah saat ini", "")},
    "web.inbox.who": {"en": ("Who must act", ""), "id": ("Yang harus bertindak", "")},
    "web.inbox.due": {"en": ("Due", ""), "id": ("Batas waktu", "")},
    "web.inbox.state": {"en": ("State", ""), "id": ("Keadaan", "")},
    "web.inbox.escalated": {"en": ("Escalated to you", ""),
                            "id": ("Dieskalasi kepada Anda", "")},
    "web.inbox.overdue": {"en": ("Overdue", ""), "id": ("Lewat batas waktu", "")},
    "web.inbox.on_time": {"en": ("On time", ""), "id": ("Tepat waktu", "")},
    "web.inbox.empty": {"en": ("Nothing waits for you.", ""),
                        "id": ("Tidak ada yang menunggu Anda.", "")},
    "web.case.graph": {"en": ("graph of the procedure", ""), "id": ("bagan prosedur", "")},
    "web.case.now": {"en": ("Now", ""), "id": ("Sekarang", "")},
    "web.case.step": {"en": ("Step {number}: {title}", ""),
                      "id": ("Langkah {number}: {title}", "")},
    "web.case.who": {"en": ("Who must act:", ""), "id": ("Yang harus bertindak:", "")},
    "web.case.step_due": {"en": ("This step is due:", ""),
                          "id": ("Batas waktu langkah ini:", "")},
    "web.case.role": {"en": ("Role", ""), "id": ("Peran", "")},
    "web.case.documents": {"en": ("Documents", ""), "id": ("Dokumen", "")},
    "web.case.requires": {"en": ("needed", ""), "id": ("diperlukan", "")},
    "web.case.produces": {"en": ("made in this step", ""), "id": ("dibuat di langkah ini", "")},
    "web.case.participants": {"en": ("Outside participants", ""),
                              "id": ("Pihak luar yang terlibat", "")},
    "web.case.facts": {"en": ("Facts", ""), "id": ("Fakta", "")},
    "web.case.note": {"en": ("Note (optional)", ""), "id": ("Catatan (tidak wajib)", "")},
    "web.case.complete": {"en": ("Complete step {number}", ""),
                          "id": ("Selesaikan langkah {number}", "")},
    "web.case.waiting": {"en": ("Waiting for: {role}", ""), "id": ("Menunggu: {role}", "")},
    "web.case.closed": {"en": ("The case is closed ({outcome}).", ""),
                        "id": ("Kasus sudah ditutup ({outcome}).", "")},
    "web.case.clocks": {"en": ("Deadlines and requirements", ""),
                        "id": ("Batas waktu dan persyaratan", "")},
    "web.case.due": {"en": ("The case is due:", ""), "id": ("Batas waktu kasus:", "")},
    "web.case.breach": {"en": ("Overdue: {target} was due {due}; escalated to {role}", ""),
                        "id": ("Lewat batas waktu: {target} jatuh tempo {due}; dieskalasi "
                               "kepada {role}", "")},
    "web.case.unmet": {"en": ("Requirements not yet met", ""),
                       "id": ("Persyaratan yang belum dipenuhi", "")},
    "web.case.data": {"en": ("What the case holds", ""), "id": ("Isi kasus", "")},
    "web.case.fact": {"en": ("Fact", ""), "id": ("Fakta", "")},
    "web.case.value": {"en": ("Value", ""), "id": ("Nilai", "")},
    "web.case.document": {"en": ("Document", ""), "id": ("Dokumen", "")},
    "web.case.file": {"en": ("File", ""), "id": ("Berkas", "")},
    "web.case.no_file": {"en": ("made outside alur (no file attached)", ""),
                         "id": ("dibuat di luar alur (tanpa berkas terlampir)", "")},
    "web.case.name": {"en": ("Name", ""), "id": ("Nama", "")},
    "web.case.reason": {"en": ("Reason to reveal the masked values (recorded)", ""),
                        "id": ("Alasan membuka nilai yang disamarkan (dicatat)", "")},
    "web.case.reveal": {"en": ("Reveal with reason", ""), "id": ("Buka dengan alasan", "")},
    "web.case.revealed": {
        "en": ("Shown unmasked for this page only; the reveal is recorded in the audit log.", ""),
        "id": ("Ditampilkan tanpa samaran untuk halaman ini saja; pembukaan dicatat di log "
               "audit.", "")},
    "web.case.path": {"en": ("The case's path over the procedure's graph", ""),
                      "id": ("Jalur kasus pada bagan prosedur", "")},
    "web.case.outside": {
        "en": ("As an outside party you see only the step you act on, not the case file.", ""),
        "id": ("Sebagai pihak luar Anda hanya melihat langkah yang Anda kerjakan, bukan berkas "
               "kasus.", "")},
    "web.case.timeline": {"en": ("Timeline", ""), "id": ("Linimasa", "")},
    "web.open.title": {"en": ("Open a case", ""), "id": ("Buka kasus", "")},
    "web.open.choose": {"en": ("Show its form", ""), "id": ("Tampilkan formulirnya", "")},
    "web.open.role": {"en": ("You open it as", ""), "id": ("Anda membukanya sebagai", "")},
    "web.open.requirements": {"en": ("Requirements (Persyaratan)", ""),
                              "id": ("Persyaratan", "")},
    "web.open.submit": {"en": ("Open the case", ""), "id": ("Buka kasus", "")},
    "web.proc.decree": {"en": ("decree: {decree}", ""), "id": ("SK: {decree}", "")},
    "web.proc.graph": {"en": ("Graph", ""), "id": ("Bagan", "")},
    "web.proc.graph_label": {"en": ("Graph of {title}: steps in swimlanes by role", ""),
                             "id": ("Bagan {title}: langkah per lajur peran", "")},
    "web.proc.no_graphviz": {
        "en": ("The graph needs Graphviz on the server (apt-get install graphviz).", ""),
        "id": ("Bagan memerlukan Graphviz di server (apt-get install graphviz).", "")},
    "web.proc.summary": {"en": ("Summary", ""), "id": ("Ringkasan", "")},
    "web.proc.limit": {"en": ("Time limit: {text}", ""),
                       "id": ("Waktu penyelesaian: {text}", "")},
    "web.proc.cost": {"en": ("Cost: {cost}", ""), "id": ("Biaya: {cost}", "")},
    "web.proc.steps": {"en": ("Steps", ""), "id": ("Langkah", "")},
    "web.proc.step": {"en": ("Step", ""), "id": ("Langkah", "")},
    "web.proc.then": {"en": ("Then", ""), "id": ("Lalu", "")},
    "web.proc.inferred": {"en": ("inferred", ""), "id": ("disimpulkan", "")},
    "web.proc.missing": {"en": ("{count} SP component(s) missing: {missing}", ""),
                         "id": ("{count} komponen SP tidak ada: {missing}", "")},
    "web.proc.flags": {"en": ("Flags", ""), "id": ("Catatan sumber", "")},
    "web.proc.versions": {"en": ("Versions", ""), "id": ("Versi", "")},
    "web.proc.version": {"en": ("Version", ""), "id": ("Versi", "")},
    "web.proc.hash": {"en": ("Content hash", ""), "id": ("Hash isi", "")},
    "web.proc.running": {"en": ("Open cases", ""), "id": ("Kasus berjalan", "")},
    "web.proc.diff": {"en": ("Differences", ""), "id": ("Perbedaan", "")},
    "web.proc.compare": {"en": ("compare with the current version", ""),
                         "id": ("bandingkan dengan versi kini", "")},
    "web.proc.current": {"en": ("current", ""), "id": ("kini", "")},
    "web.proc.changes": {"en": ("Changes since that version", ""),
                         "id": ("Perubahan sejak versi itu", "")},
    "web.preview.title": {"en": ("Policy preview", ""), "id": ("Pratinjau kebijakan", "")},
    "web.preview.intro": {
        "en": ("Paste or upload a procedure (YAML): every problem is shown at its line, and the "
               "graph as it would be. Nothing is saved.", ""),
        "id": ("Tempel atau unggah prosedur (YAML): setiap masalah ditampilkan pada barisnya, "
               "beserta bagannya. Tidak ada yang disimpan.", "")},
    "web.preview.source": {"en": ("Procedure (YAML)", ""), "id": ("Prosedur (YAML)", "")},
    "web.preview.file": {"en": ("or a file", ""), "id": ("atau berkas", "")},
    "web.preview.check": {"en": ("Check", ""), "id": ("Periksa", "")},
    "web.preview.result": {"en": ("Result", ""), "id": ("Hasil", "")},
    "web.preview.valid": {"en": ("'{title}' is valid.", ""), "id": ("'{title}' sah.", "")},
    "web.preview.invalid": {"en": ("Not valid: {count} problem(s).", ""),
                            "id": ("Tidak sah: {count} masalah.", "")},
    "web.preview.at": {"en": ("line {line}, column {column}", ""),
                       "id": ("baris {line}, kolom {column}", "")},
    "web.preview.line": {"en": ("line {line}:", ""), "id": ("baris {line}:", "")},
    "web.preview.nothing_saved": {"en": ("Nothing was saved.", ""),
                                  "id": ("Tidak ada yang disimpan.", "")},
    "web.audit.denied": {
        "en": ("the audit pages are for the auditor and admin roles",
               "ask an administrator: alur user roles"),
        "id": ("halaman audit hanya untuk peran auditor dan admin",
               "minta administrator: alur user roles")},
    "web.audit.verify": {"en": ("Chain verification", ""), "id": ("Verifikasi rantai", "")},
    "web.audit.chains_ok": {"en": ("Every hash chain, the ledger and the documents verify.", ""),
                            "id": ("Semua rantai hash, buku besar dan dokumen terverifikasi.",
                                   "")},
    "web.audit.problems": {"en": ("{count} problem(s) found", ""),
                           "id": ("{count} masalah ditemukan", "")},
    "web.audit.from": {"en": ("From (first day of the period)", ""),
                       "id": ("Dari (hari pertama periode)", "")},
    "web.audit.to": {"en": ("To (last day, inclusive)", ""),
                     "id": ("Sampai (hari terakhir, termasuk)", "")},
    "web.audit.show": {"en": ("Show", ""), "id": ("Tampilkan", "")},
    "web.audit.report": {"en": ("Service report: {procedure}", ""),
                         "id": ("Laporan layanan: {procedure}", "")},
    "web.audit.opened": {"en": ("Cases opened", ""), "id": ("Kasus dibuka", "")},
    "web.audit.closed": {"en": ("Cases closed", ""), "id": ("Kasus ditutup", "")},
    "web.audit.within": {"en": ("Finished within the time limit", ""),
                         "id": ("Selesai dalam batas waktu", "")},
    "web.audit.breaches": {"en": ("Deadline breaches", ""),
                           "id": ("Pelanggaran batas waktu", "")},
    "web.audit.step_time": {"en": ("Time per step (working days)", ""),
                            "id": ("Waktu per langkah (hari kerja)", "")},
    "web.audit.median": {"en": ("median", ""), "id": ("median", "")},
    "web.audit.conformance": {"en": ("Conformance", ""), "id": ("Kesesuaian", "")},
    "web.audit.fitness": {"en": ("version {version}: fitness {fitness}, {conformant} of {cases} "
                                 "case(s) conformant", ""),
                          "id": ("versi {version}: kesesuaian {fitness}, {conformant} dari "
                                 "{cases} kasus sesuai", "")},
    "web.audit.export": {"en": ("Export", ""), "id": ("Ekspor", "")},
    "web.audit.export_masked": {"en": ("Sensitive values stay masked in these files.", ""),
                                "id": ("Nilai sensitif tetap disamarkan dalam berkas ini.", "")},
    "web.audit.log": {"en": ("Audit log (latest 50)", ""), "id": ("Log audit (50 terakhir)", "")},
    "web.audit.when": {"en": ("When", ""), "id": ("Kapan", "")},
    "web.audit.user": {"en": ("User", ""), "id": ("Pengguna", "")},
    "web.audit.action": {"en": ("Action", ""), "id": ("Tindakan", "")},
    "web.audit.detail": {"en": ("Reason or message", ""), "id": ("Alasan atau pesan", "")},
    "cli.serve.listening": {
        "en": ("alur serve: listening on http://{host}:{port} (API docs: /api/v1/docs)", ""),
        "id": ("alur serve: mendengarkan di http://{host}:{port} (dokumentasi API: /api/v1/docs)",
               ""),
    },
    "cli.user.password_prompt": {"en": ("Password: ", ""), "id": ("Kata sandi: ", "")},
    "cli.user.password_again": {"en": ("Password again: ", ""),
                                "id": ("Ulangi kata sandi: ", "")},
    "cli.user.password_empty": {
        "en": ("no password given", "give --password, or one line on standard input"),
        "id": ("kata sandi tidak diberikan", "beri --password, atau satu baris di masukan standar"),
    },
    "cli.user.password_mismatch": {
        "en": ("the two passwords differ", "type the same password twice"),
        "id": ("kedua kata sandi berbeda", "ketik kata sandi yang sama dua kali"),
    },
    "cli.user.added": {"en": ("user {user} added (roles: {roles})", ""),
                       "id": ("pengguna {user} ditambahkan (peran: {roles})", "")},
    "cli.user.disabled": {"en": ("disabled", ""), "id": ("nonaktif", "")},
    "cli.user.disabled_now": {"en": ("user {user} disabled", ""),
                              "id": ("pengguna {user} dinonaktifkan", "")},
    "cli.user.enabled_now": {"en": ("user {user} enabled", ""),
                             "id": ("pengguna {user} diaktifkan", "")},
    "cli.user.roles_set": {"en": ("user {user} now holds: {roles}", ""),
                           "id": ("pengguna {user} kini memegang: {roles}", "")},
    "cli.user.password_set": {"en": ("password of {user} set", ""),
                              "id": ("kata sandi {user} diganti", "")},
    "cli.user.token_made": {
        "en": ("token {id} made: it is shown only once", ""),
        "id": ("token {id} dibuat: hanya ditampilkan sekali", ""),
    },
    "cli.user.no_token": {"en": ("no active token {id}", "list tokens with alur user list"),
                          "id": ("tidak ada token aktif {id}",
                                 "lihat token dengan alur user list")},
    "cli.user.revoked": {"en": ("token {id} revoked", ""), "id": ("token {id} dicabut", "")},
    "cli.hooks.added": {
        "en": ("webhook {id} added (procedure: {procedure}, events: {types}); its signing "
               "secret:", ""),
        "id": ("webhook {id} ditambahkan (prosedur: {procedure}, peristiwa: {types}); rahasia "
               "penandatangannya:", ""),
    },
    "cli.hooks.secret_once": {
        "en": ("the secret is shown only once: keep it where the receiver verifies signatures",
               ""),
        "id": ("rahasia hanya ditampilkan sekali: simpan di tempat penerima memeriksa tanda "
               "tangan", ""),
    },
    "cli.hooks.line": {
        "en": ("{id}\t{url}\tprocedure {procedure}\tevents {types}\tpending {pending}, "
               "delivered {delivered}, dead {dead}", ""),
        "id": ("{id}\t{url}\tprosedur {procedure}\tperistiwa {types}\tmenunggu {pending}, "
               "terkirim {delivered}, gagal {dead}", ""),
    },
    "cli.hooks.sensitive": {"en": ("sensitive values allowed", ""),
                            "id": ("nilai sensitif diizinkan", "")},
    "cli.hooks.removed": {"en": ("webhook {id} removed", ""),
                          "id": ("webhook {id} dihapus", "")},
    "cli.hooks.requeued": {"en": ("{count} dead letter(s) queued again", ""),
                           "id": ("{count} kiriman gagal diantrekan lagi", "")},
    "hook.url": {
        "en": ("'{url}' is not a webhook URL", "give an http:// or https:// URL without spaces"),
        "id": ("'{url}' bukan URL webhook", "beri URL http:// atau https:// tanpa spasi"),
    },
    "hook.event_type": {
        "en": ("unknown event type '{type}'", "choose from: {known}"),
        "id": ("jenis peristiwa '{type}' tidak dikenal", "pilih dari: {known}"),
    },
    "hook.secret_short": {
        "en": ("the signing secret is too short", "give 16 characters or more, or none to "
               "have one made"),
        "id": ("rahasia penandatangan terlalu pendek", "beri 16 karakter atau lebih, atau "
               "kosongkan agar dibuatkan"),
    },
    "hook.other_agency": {
        "en": ("procedure '{procedure}' is not one of your agency's",
               "subscribe to a procedure your agency publishes (GET /api/v1/procedures); "
               "store-wide webhooks are added on the machine with alur webhooks add"),
        "id": ("prosedur '{procedure}' bukan milik instansi Anda",
               "berlangganan pada prosedur yang diterbitkan instansi Anda (GET "
               "/api/v1/procedures); webhook untuk seluruh penyimpanan ditambahkan di mesin "
               "dengan alur webhooks add"),
    },
    "hook.no_subscription": {
        "en": ("no webhook '{id}'", "list the webhooks: alur webhooks list"),
        "id": ("tidak ada webhook '{id}'", "lihat daftar webhook: alur webhooks list"),
    },
    "hook.no_dead": {
        "en": ("no dead letter among: {ids}", "list them: alur webhooks list --dead"),
        "id": ("tidak ada kiriman gagal di antara: {ids}",
               "lihat daftarnya: alur webhooks list --dead"),
    },
    "hook.store_kind": {
        "en": ("the store {scheme} keeps no webhooks",
               "use a sqlite://, postgresql:// or memory:// store"),
        "id": ("penyimpanan {scheme} tidak menyimpan webhook",
               "gunakan penyimpanan sqlite://, postgresql:// atau memory://"),
    },
    "hook.store_failed": {
        "en": ("the webhooks could not be read or written: {problem}",
               "check the store URL and that the database answers"),
        "id": ("webhook tidak dapat dibaca atau ditulis: {problem}",
               "periksa URL penyimpanan dan pastikan basis data menjawab"),
    },
    "acct.user_exists": {
        "en": ("user '{user}' exists", "change them with: alur user passwd / alur user roles"),
        "id": ("pengguna '{user}' sudah ada",
               "ubah dengan: alur user passwd / alur user roles"),
    },
    "acct.no_user": {
        "en": ("no user '{user}'", "list the users: alur user list"),
        "id": ("tidak ada pengguna '{user}'", "lihat daftar pengguna: alur user list"),
    },
    "acct.scope_unknown": {
        "en": ("unknown token scope(s): {scopes}", "choose from: {known}"),
        "id": ("cakupan token tidak dikenal: {scopes}", "pilih dari: {known}"),
    },
    "acct.store_kind": {
        "en": ("the store {scheme} keeps no accounts",
               "use a sqlite://, postgresql:// or memory:// store"),
        "id": ("penyimpanan {scheme} tidak menyimpan akun",
               "gunakan penyimpanan sqlite://, postgresql:// atau memory://"),
    },
    # --- the words of a drawn procedure (engine/render/scene.py) and its errors -------------
    "render.span.minutes.one": {"en": ("{n} minute", ""), "id": ("{n} menit", "")},
    "render.span.minutes.many": {"en": ("{n} minutes", ""), "id": ("{n} menit", "")},
    "render.span.months.one": {"en": ("{n} month", ""), "id": ("{n} bulan", "")},
    "render.span.months.many": {"en": ("{n} months", ""), "id": ("{n} bulan", "")},
    "render.span.hours.one": {"en": ("{n} hour", ""), "id": ("{n} jam", "")},
    "render.span.hours.many": {"en": ("{n} hours", ""), "id": ("{n} jam", "")},
    "render.span.working_days.one": {"en": ("{n} working day", ""), "id": ("{n} hari kerja", "")},
    "render.span.working_days.many": {"en": ("{n} working days", ""),
                                      "id": ("{n} hari kerja", "")},
    "render.span.calendar_days.one": {"en": ("{n} calendar day", ""),
                                      "id": ("{n} hari kalender", "")},
    "render.span.calendar_days.many": {"en": ("{n} calendar days", ""),
                                       "id": ("{n} hari kalender", "")},
    "render.deadline": {"en": ("deadline {span}", ""), "id": ("batas {span}", "")},
    "render.estimate": {"en": ("est. {span}", ""), "id": ("perk. {span}", "")},
    "render.repeats": {"en": ("repeats {period}, {end}", ""),
                       "id": ("diulang {period}, {end}", "")},
    "render.repeat.every": {"en": ("every {span}", ""), "id": ("setiap {span}", "")},
    "render.repeat.no_period": {"en": ("whenever it happens (no set period)", ""),
                                "id": ("kapan pun terjadi (tanpa periode tetap)", "")},
    "render.repeat.until": {"en": ("until {step}", ""), "id": ("sampai {step}", "")},
    "render.repeat.lasts": {"en": ("for {span}", ""), "id": ("selama {span}", "")},
    "render.window.stops": {"en": ("⏱ time limit ({span}) stops here", ""),
                            "id": ("⏱ jangka waktu ({span}) berhenti di sini", "")},
    "render.window.phase_starts": {"en": ("⏱ phase {phase} ({span}) starts after this", ""),
                                   "id": ("⏱ tahap {phase} ({span}) mulai setelah ini", "")},
    "render.window.phase_ends": {"en": ("⏱ phase {phase} ({span}) ends here", ""),
                                 "id": ("⏱ tahap {phase} ({span}) berakhir di sini", "")},
    "render.joint.all": {"en": ("together with: {roles} (each signs)", ""),
                         "id": ("bersama: {roles} (masing-masing menandatangani)", "")},
    "render.joint.any": {"en": ("together with: {roles} (any one)", ""),
                         "id": ("bersama: {roles} (salah satu)", "")},
    "render.requires": {"en": ("requires: {documents}", ""), "id": ("memerlukan: {documents}", "")},
    "render.produces": {"en": ("produces: {documents}", ""),
                        "id": ("menghasilkan: {documents}", "")},
    "render.service_linked": {"en": ("linked case: {procedure}", ""),
                              "id": ("kasus tertaut: {procedure}", "")},
    "render.service_by": {"en": ("by {role}", ""), "id": ("oleh {role}", "")},
    "render.join.all": {"en": ("join: all", ""), "id": ("gabung: semua", "")},
    "render.join.any": {"en": ("join: any", ""), "id": ("gabung: salah satu", "")},
    "render.refers": {"en": ("refers to procedure: {procedure}", ""),
                      "id": ("merujuk ke prosedur: {procedure}", "")},
    "render.refer_edge": {"en": ("{label} (refer to {procedure})", ""),
                          "id": ("{label} (rujuk ke {procedure})", "")},
    "render.actor_inferred": {"en": ("(actor inferred)", ""), "id": ("(pelaku disimpulkan)", "")},
    "render.external": {"en": ("{title} (external)", ""), "id": ("{title} (eksternal)", "")},
    "render.subtitle": {"en": ("{agency}, {region} · SK {decree} · v{version}", ""),
                        "id": ("{agency}, {region} · SK {decree} · v{version}", "")},
    "render.decree_unknown": {"en": ("unknown", ""), "id": ("tidak diketahui", "")},
    "render.banner": {"en": ("Case {case}: {status}", ""), "id": ("Kasus {case}: {status}", "")},
    "render.banner_step": {"en": (", at step {number}", ""), "id": (", di langkah {number}", "")},
    "render.banner_breached": {"en": (" · time limit BREACHED", ""),
                               "id": (" · jangka waktu TERLAMPAUI", "")},
    "render.banner_due": {"en": (" (due {date})", ""), "id": (" (batas {date})", "")},
    "render.unknown_format": {
        "en": ("unknown graph format '{format}'", "use one of: {formats}"),
        "id": ("format bagan '{format}' tidak dikenal", "gunakan salah satu dari: {formats}")},
    "render.other_procedure": {
        "en": ("case {case} belongs to procedure '{procedure}', not '{drawn}'",
               "draw it with the procedure '{procedure}'"),
        "id": ("kasus {case} milik prosedur '{procedure}', bukan '{drawn}'",
               "gambar dengan prosedur '{procedure}'")},
    "render.dot_missing": {
        "en": ("Graphviz 'dot' is not installed",
               "apt-get install graphviz (Debian/Ubuntu) or brew install graphviz; DOT and "
               "Mermaid output still work"),
        "id": ("program 'dot' dari Graphviz belum terpasang",
               "apt-get install graphviz (Debian/Ubuntu) atau brew install graphviz; keluaran "
               "DOT dan Mermaid tetap dapat dibuat")},
    "render.dot_failed": {
        "en": ("Graphviz could not draw the graph: {detail}",
               "this is a bug in alur's DOT output; please report it with the output of "
               "'alur graph PROC --format dot'"),
        "id": ("Graphviz tidak dapat menggambar bagan: {detail}",
               "ini kesalahan pada keluaran DOT alur; laporkan dengan menyertakan keluaran "
               "'alur graph PROC --format dot'")},
    # --- the HTML page of a procedure (engine/render/html.py) ---------------------------------
    "html.legend.lanes": {
        "en": ("Lanes: one per role that performs a step (yellow: external, green: team).", ""),
        "id": ("Lajur: satu untuk setiap peran yang melaksanakan langkah (kuning: "
             "pihak luar, hijau: tim).", "")},
    "html.legend.box": {
        "en": ("Box: a step, “number title”, with its estimate or deadline and the "
             "documents it requires and produces.", ""),
        "id": ("Kotak: satu langkah, “nomor judul”, dengan perkiraan waktu atau "
             "batas waktunya serta dokumen yang diperlukan dan dihasilkannya.", "")},
    "html.legend.inferred": {
        "en": ("Dashed border and “(actor inferred)”: the source names no actor for the step.", ""),
        "id": ("Garis tepi putus-putus dan “(pelaku disimpulkan)”: sumber tidak "
             "menyebut pelaku langkah itu.", "")},
    "html.legend.flag": {
        "en": ("Orange border and ⚑: a flag (ambiguity, contradiction, inference, "
             "...) is about the step.", ""),
        "id": ("Garis tepi jingga dan ⚑: ada catatan (ketaksaan, pertentangan, "
             "penyimpulan, ...) tentang langkah itu.", "")},
    "html.legend.diamond": {
        "en": ("Diamond: the question of a decision; its edges carry the outcome labels.", ""),
        "id": ("Belah ketupat: pertanyaan sebuah keputusan; panahnya membawa label hasil.", "")},
    "html.legend.loop": {
        "en": ("Dashed purple edge with ↺: a loop back to an earlier step.", ""),
        "id": ("Panah ungu putus-putus dengan ↺: putaran kembali ke langkah sebelumnya.", "")},
    "html.legend.end": {
        "en": ("Double circle: how the case ends (completed, referred, terminated, rejected).", ""),
        "id": ("Lingkaran ganda: cara kasus berakhir (selesai, dirujuk, dihentikan, "
               "ditolak).", "")},
    "html.legend.overlay": {
        "en": ("Case overlay: blue fill and thick blue edges for the path taken, "
             "time spent on each step, red for a breached deadline, a thick "
             "outline for the current step.", ""),
        "id": ("Lapisan kasus: isian biru dan panah biru tebal untuk jalur yang "
             "ditempuh, waktu di setiap langkah, merah untuk batas waktu yang "
             "terlampaui, garis tepi tebal untuk langkah saat ini.", "")},
    "html.none": {"en": ("none", ""), "id": ("tidak ada", "")},
    "html.sensitive": {"en": ("sensitive", ""), "id": ("sensitif", "")},
    "html.inferred": {"en": ("inferred", ""), "id": ("disimpulkan", "")},
    "html.with": {"en": ("with: {roles}", ""), "id": ("bersama: {roles}", "")},
    "html.if": {"en": (" (if {condition})", ""), "id": (" (jika {condition})", "")},
    "html.ends": {"en": ("ends: {outcome}", ""), "id": ("berakhir: {outcome}", "")},
    "html.requires": {"en": ("requires", ""), "id": ("memerlukan", "")},
    "html.produces": {"en": ("produces", ""), "id": ("menghasilkan", "")},
    "html.until_event": {
        "en": ("until {event} (an outside event)", ""),
        "id": ("sampai {event} (peristiwa di luar instansi)", ""),
    },
    "html.not_given": {
        "en": ("not given by the source", ""),
        "id": ("tidak disebut oleh sumber", "")},
    "html.not_given_short": {"en": ("not given", ""), "id": ("tidak disebut", "")},
    "html.yes": {"en": ("yes", ""), "id": ("ya", "")},
    "html.no": {"en": ("no", ""), "id": ("tidak", "")},
    "html.bound.max": {"en": ("at most", ""), "id": ("paling lama", "")},
    "html.bound.min": {"en": ("at least", ""), "id": ("paling cepat", "")},
    "html.bound.exact": {"en": ("exactly", ""), "id": ("tepat", "")},
    "html.bound.min_note": {"en": (" (a minimum, not a deadline: closing earlier is reported "
                                   "as information)", ""),
                            "id": (" (waktu minimum, bukan batas akhir: penutupan lebih cepat "
                                   "dilaporkan sebagai informasi)", "")},
    "html.tl.stops": {"en": ("clock stops", ""), "id": ("waktu berhenti dihitung", "")},
    "html.tl.stops_at": {"en": ("when {step} completes", ""),
                         "id": ("saat {step} selesai", "")},
    "html.tl.stops_closed": {"en": ("when the case closes", ""),
                             "id": ("saat kasus ditutup", "")},
    "html.h.phase_limits": {"en": ("Phase limits", ""), "id": ("Batas waktu tahap", "")},
    "html.col.aliases": {"en": ("also called", ""), "id": ("disebut juga", "")},
    "html.any_of": {"en": ("any one of:", ""), "id": ("salah satu dari:", "")},
    "html.all_of": {"en": ("all of:", ""), "id": ("semua dari:", "")},
    "html.form.original": {"en": ("original", ""), "id": ("asli", "")},
    "html.form.copy": {"en": ("copy", ""), "id": ("fotokopi", "")},
    "html.form.original_and_copy": {"en": ("original and copy", ""),
                                    "id": ("asli dan fotokopi", "")},
    "html.copies": {"en": ("{n} copies", ""), "id": ("{n} rangkap", "")},
    "html.sheets": {"en": ("{n} sheet(s)", ""), "id": ("{n} lembar", "")},
    "html.signed_by": {"en": ("signed by: {roles}", ""),
                       "id": ("ditandatangani oleh: {roles}", "")},
    "html.min_early": {"en": ("Closed before the minimum (not before {at}) — information, not a "
                              "breach. The SP says:", ""),
                       "id": ("Ditutup sebelum waktu minimum (tidak sebelum {at}) — informasi, "
                              "bukan pelampauan. SP menyebut:", "")},
    "html.min_info": {"en": ("A minimum, not a deadline: not before {at}.", ""),
                      "id": ("Waktu minimum, bukan batas akhir: tidak sebelum {at}.", "")},
    "html.phase_breached": {"en": ("Phase limit {phase} was breached", ""),
                            "id": ("Batas waktu tahap {phase} terlampaui", "")},
    "html.report_late": {"en": ("A recurring report of {step} came late.", ""),
                         "id": ("Laporan berkala {step} terlambat.", "")},
    "html.tl.limit": {"en": ("limit", ""), "id": ("batas", "")},
    "html.tl.starts": {"en": ("clock starts", ""), "id": ("waktu mulai dihitung", "")},
    "html.tl.situational": {"en": ("situational", ""), "id": ("tergantung keadaan", "")},
    "html.tl.extendable": {"en": ("extendable", ""), "id": ("dapat diperpanjang", "")},
    "html.tl.extension_rule": {"en": ("extension rule", ""), "id": ("aturan perpanjangan", "")},
    "html.tl.max_extension": {"en": ("max extension", ""), "id": ("perpanjangan paling lama", "")},
    "html.tl.escalate_to": {"en": ("escalate to", ""), "id": ("dilaporkan kepada", "")},
    "html.case": {"en": ("Case {case}", ""), "id": ("Kasus {case}", "")},
    "html.status": {"en": ("status:", ""), "id": ("status:", "")},
    "html.current_step": {"en": ("current step:", ""), "id": ("langkah saat ini:", "")},
    "html.current_step_row": {"en": ("current step", ""), "id": ("langkah saat ini", "")},
    "html.case_breached": {
        "en": ("The time limit of the case was breached{due}.", ""),
        "id": ("Jangka waktu kasus terlampaui{due}.", "")},
    "html.breached": {"en": ("breached", ""), "id": ("terlampaui", "")},
    "html.source": {"en": (" · source {file}", ""), "id": (" · sumber {file}", "")},
    "html.procedure": {
        "en": ("procedure {id} version {version}", ""),
        "id": ("prosedur {id} versi {version}", "")},
    "html.agency": {"en": ("agency: {agency}", ""), "id": ("instansi: {agency}", "")},
    "html.decree": {"en": ("decree (SK): {decree}", ""), "id": ("keputusan (SK): {decree}", "")},
    "html.no_graphviz": {
        "en": ("Graphviz \u2018dot\u2019 was not installed when this report was made, so the "
             "graph is given as Mermaid source below: paste it into a Mermaid "
             "viewer or a ```mermaid block on GitHub, or install Graphviz (apt-"
             "get install graphviz) and make the report again.", ""),
        "id": ("Graphviz \u2018dot\u2019 belum terpasang ketika laporan ini dibuat, jadi "
             "bagan diberikan sebagai sumber Mermaid di bawah: tempelkan ke "
             "penampil Mermaid atau blok ```mermaid di GitHub, atau pasang "
             "Graphviz (apt-get install graphviz) lalu buat laporan ini lagi.", "")},
    "html.h.graph": {"en": ("Graph", ""), "id": ("Bagan", "")},
    "html.h.steps": {"en": ("Steps", ""), "id": ("Langkah", "")},
    "html.h.roles": {"en": ("Roles", ""), "id": ("Peran", "")},
    "html.h.documents": {"en": ("Documents", ""), "id": ("Dokumen", "")},
    "html.h.requirements": {"en": ("Requirements (Persyaratan)", ""), "id": ("Persyaratan", "")},
    "html.h.time_limit": {"en": ("Time limit", ""), "id": ("Jangka waktu", "")},
    "html.h.cost": {"en": ("Cost", ""), "id": ("Biaya/tarif", "")},
    "html.h.products": {"en": ("Products", ""), "id": ("Produk pelayanan", "")},
    "html.h.complaints": {"en": ("Complaint channels", ""), "id": ("Penanganan pengaduan", "")},
    "html.h.flags": {"en": ("Flags", ""), "id": ("Catatan", "")},
    "html.h.missing": {
        "en": ("Missing SP components ({count} of 14)", ""),
        "id": ("Komponen SP yang tidak ada ({count} dari 14)", "")},
    "html.col.number": {"en": ("#", ""), "id": ("#", "")},
    "html.col.step": {"en": ("step", ""), "id": ("langkah", "")},
    "html.col.actor": {"en": ("actor", ""), "id": ("pelaku", "")},
    "html.col.source_text": {"en": ("source text", ""), "id": ("teks sumber", "")},
    "html.col.documents": {"en": ("documents", ""), "id": ("dokumen", "")},
    "html.col.deadline": {"en": ("deadline", ""), "id": ("batas waktu", "")},
    "html.col.then": {"en": ("then", ""), "id": ("lalu", "")},
    "html.col.item": {"en": ("item", ""), "id": ("butir", "")},
    "html.col.value": {"en": ("value", ""), "id": ("nilai", "")},
    "html.col.outcome": {"en": ("outcome", ""), "id": ("hasil", "")},
    "html.col.started": {"en": ("started", ""), "id": ("mulai", "")},
    "html.col.completed": {"en": ("completed", ""), "id": ("selesai", "")},
    "html.col.spent": {"en": ("time spent", ""), "id": ("waktu", "")},
    "html.col.due": {"en": ("due", ""), "id": ("batas", "")},
    "html.col.id": {"en": ("id", ""), "id": ("id", "")},
    "html.col.title": {"en": ("title", ""), "id": ("judul", "")},
    "html.col.kind": {"en": ("kind", ""), "id": ("jenis", "")},
    "html.col.members": {"en": ("members", ""), "id": ("anggota", "")},
    "html.col.note": {"en": ("note", ""), "id": ("keterangan", "")},
    "html.col.presence": {"en": ("presence", ""), "id": ("keharusan", "")},
    "html.col.sensitive": {"en": ("sensitive", ""), "id": ("sensitif", "")},
    "html.col.satisfied_by": {"en": ("satisfied by", ""), "id": ("dipenuhi oleh", "")},
    "html.col.channel": {"en": ("channel", ""), "id": ("saluran", "")},
    "html.col.as_published": {"en": ("as published", ""), "id": ("sebagaimana diterbitkan", "")},
    "html.col.about": {"en": ("about", ""), "id": ("tentang", "")},
    "html.col.quote": {"en": ("quote", ""), "id": ("kutipan", "")},
    "acct.store_failed": {
        "en": ("the accounts could not be read or written: {problem}",
               "check the store URL and that the database answers"),
        "id": ("akun tidak dapat dibaca atau ditulis: {problem}",
               "periksa URL penyimpanan dan pastikan basis data menjawab"),
    },
}


def _terms(value: str, lang: str) -> str:
    """The words for a ``{field!t}`` value: ``code``, ``code|code`` (alternatives) or
    ``code=argument`` (``code=first|second`` for a term with ``{arg}`` and ``{arg2}``); a code
    the catalogue does not know is shown as it is."""
    if not value:
        return ""
    key, sep, arg = value.partition("=")
    if sep and f"term.{key}" not in CATALOGUE:
        return value  # not a term: text from elsewhere (a library's message), shown as it is
    codes = [key] if sep else value.split("|")
    words = []
    for code in codes:
        entry = CATALOGUE.get(f"term.{code}")
        if entry is None:
            words.append(code)
            continue
        word = (entry.get(lang) or entry["en"])[0]
        first, second = arg.rpartition("|")[::2] if "{arg2}" in word else (arg, "")
        words.append(word.replace("{arg}", first).replace("{arg2}", second))
    return _terms_or(lang).join(words)


def _terms_or(lang: str) -> str:
    entry = CATALOGUE["term.or"]
    return (entry.get(lang) or entry["en"])[0]


class _Formatter(string.Formatter):
    """``str.format`` with one more conversion, ``!t``: the value is term codes (see above)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert_field(self, value: object, conversion: str | None) -> object:
        if conversion == "t":
            return _terms(str(value), self.lang)
        if conversion == "w":  # a unit, clock start or status: its term.* entry
            return word(str(value), self.lang)
        return super().convert_field(value, conversion)


# values of the procedure language and of case states that text output shows as words:
# English as written in files (or its reading), Indonesian for --lang id
# the words of units, clock starts and statuses shown to people (``word``): ``term.*`` entries
WORD_KEYS: dict[str, str] = {value: f"term.{value}" for value in (
    "working_days", "calendar_days", "hours", "minutes", "months", "original", "copy",
    "original_and_copy", "case_opened", "requirements_met",
    "step_completed", "registered", "active", "completed", "terminated", "referred",
    "rejected", "withdrawn")}


def word(value: str, lang: str | None) -> str:
    """``value`` (a unit, a clock start, a status) as a word of ``lang`` (its ``term.*``
    catalogue entry); unknown values as they are."""
    key = WORD_KEYS.get(value)
    return value if key is None else text(key, lang)[0]


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
    fields = _Lenient(params)
    fmt = _Formatter(lang)
    return fmt.vformat(message, (), fields), fmt.vformat(hint, (), fields)


def text(code: str, lang: str | None = None, **params: object) -> tuple[str, str]:
    """Render a catalogue entry with keyword parameters (convenience for runtime messages)."""
    return render(code, lang or default_lang(), {k: str(v) for k, v in params.items()})


def line(code: str, lang: str | None = None, **params: object) -> str:
    """One line of output (a label, a heading, a timeline line): the entry's message alone,
    for the entries that have no hint."""
    return text(code, lang, **params)[0]
