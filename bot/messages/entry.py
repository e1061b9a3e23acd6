"""What a unit member reads while entering data (in chat or by workbook): pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot import callbacks
from bot.callbacks import EntryAction
from bot.domain.approval import DRAFT_STATUS_LABELS, FINAL, DraftStatus
from bot.domain.capaian import Capaian
from bot.domain.checks import NO_PENGHAMBAT, Finding, Level
from bot.domain.files import MB
from bot.domain.numbers import format_number, format_percent
from bot.messages import Button, Keyboard, Reply
from bot.messages.status import LINE_ICONS

NOT_A_UNIT_MEMBER = "Maaf, pengisian data hanya untuk staf dan Kasubbag sebuah unit."
STALE = "Isian ini sudah tidak berlaku. Ketik /isi untuk memulai lagi."
NOTHING_IN_PROGRESS = "Tidak ada isian yang sedang berjalan."
NOT_WAITING_FOR_FILES = "Tidak ada isian yang menunggu berkas bukti."
ALREADY_SENT = "Isian ini sudah dikirim atau tidak berlaku lagi."
TOO_SHORT = "Mohon tulis sedikit lebih lengkap (paling sedikit 3 huruf)."
TYPE_AGAIN = "\nMohon ketik ulang nilainya."
NOT_A_WORKBOOK_SENDER = "Maaf, hanya staf dan Kasubbag sebuah unit yang dapat mengirim isian."
NOT_OUR_OFFICE = "Berkas ini bukan template dari kantor Anda. Gunakan template yang dikirim bot."


LINE_NOT_FOUND = "Maaf, indikator ini tidak ditemukan."


def another_units_line(*, code: str, unit_name: str) -> str:
    """Refuse an entry for an indicator of another unit."""
    return (
        f"Maaf, indikator {code} adalah tanggung jawab {unit_name}; "
        "Anda hanya dapat mengisi data unit Anda sendiri."
    )


def collection_closed_for_changes(period_label: str) -> str:
    """Refuse a change once the cycle no longer collects data."""
    return f"Pengumpulan data {period_label} sudah ditutup; data tidak dapat diubah lagi."


def report_lock(*, version: int, status: DraftStatus) -> str:
    """Say why the data cannot change while a version of the report is decided or signed."""
    if status in FINAL:
        return (
            f"Laporan Kinerja periode ini sudah ditandatangani (versi {version}); "
            "datanya tidak dapat diubah lagi."
        )
    return (
        f"Konsep Laporan Kinerja versi {version} "
        f"{DRAFT_STATUS_LABELS[status]}; data tidak dapat diubah sampai konsep "
        "itu dikembalikan oleh pemeriksa."
    )


@dataclass(frozen=True)
class MenuLine:
    """One indicator of the unit in an open cycle."""

    line_id: int
    cycle_id: int
    period_label: str  # e.g. "Tahun 2026", the heading of its cycle
    code: str
    name: str
    status: str


def _button(text: str, action: EntryAction, *ids: int) -> Button:
    return Button(text, data=callbacks.encode(callbacks.ENTRY, action, *ids))


def _cancel_keyboard() -> Keyboard:
    return [[_button("Batal", EntryAction.CANCEL)]]


def _shown(capaian: Capaian, missing: str) -> str:
    return format_percent(capaian.value) if capaian.value is not None else missing


def menu(*, unit_name: str, lines: Sequence[MenuLine]) -> Reply:
    """The unit's indicators in every open cycle, each with its status and a button."""
    if not lines:
        return Reply("Tidak ada permintaan data yang sedang berjalan untuk unit Anda.")
    keyboard: list[list[Button]] = []
    text = [f"Indikator {unit_name}:"]
    current_cycle = None
    for line in lines:
        if line.cycle_id != current_cycle:
            current_cycle = line.cycle_id
            text.append(f"\n{line.period_label}:")
        icon = LINE_ICONS[line.status]
        text.append(f"{icon} {line.code} — {line.name}")
        label = f"{icon} {line.code} {line.name}"
        keyboard.append([_button(label[:60], EntryAction.START, line.line_id)])
    text.append("\n✅ terkirim · ⏳ belum diisi · ⚠️ perlu perbaikan · ☑️ diterima")
    text.append("Pilih indikator yang akan diisi:")
    return Reply("\n".join(text), keyboard)


def already_accepted(code: str) -> str:
    """Refuse to start an entry for data the team accepted."""
    return (
        f"Data {code} sudah diterima Tim. Bila perlu dikoreksi, "
        "mohon hubungi Tim Laporan Kinerja (Rendatin)."
    )


def realisasi_prompt(
    *,
    code: str,
    name: str,
    sasaran: str,
    period_label: str,
    target_text: str,
    satuan: str,
    cumulative: bool,
    previous: tuple[int, Decimal] | None,  # the last version and its realisasi
    flag_note: str | None,  # the team's note when the last version was flagged
    evidence_required: bool,
) -> Reply:
    """Ask for the realisasi of one indicator, with what the person needs to answer."""
    lines = [
        f"✍️ {code} — {name}",
        f"Sasaran: {sasaran}",
        f"Periode: {period_label}",
        f"Target: {target_text}",
    ]
    if cumulative:
        lines.append("Realisasi triwulan dihitung kumulatif sejak Januari.")
    if previous is not None:
        version, realisasi = previous
        lines.append(f"Isian terakhir (versi {version}): {format_number(realisasi)} {satuan}")
        if flag_note:
            lines.append(f"⚠️ Catatan Tim: {flag_note}")
    if evidence_required:
        lines.append("Bukti dukung wajib dilampirkan.")
    lines.append(f"\nKetik nilai realisasi ({satuan}), misalnya 85,5.")
    return Reply("\n".join(lines), _cancel_keyboard())


def value_refused(findings: Sequence[Finding]) -> str:
    """Refuse a realisasi the checks reject, and ask for it again."""
    return "\n".join(f.message for f in findings) + TYPE_AGAIN


def ask_penjelasan(*, realisasi: Decimal, satuan: str, capaian: Capaian) -> Reply:
    """Confirm the realisasi and ask for the explanation."""
    return Reply(
        f"Realisasi: {format_number(realisasi)} {satuan} "
        f"(capaian {_shown(capaian, capaian.note)}).\n\nKetik penjelasan singkat atas capaian ini.",
        _cancel_keyboard(),
    )


def ask_pendukung() -> Reply:
    """Ask what helped reach the result (asked for every indicator)."""
    return Reply(
        "Ketik faktor pendukung: hal-hal yang membantu tercapainya hasil ini (misalnya "
        "koordinasi, dukungan anggaran, sarana, atau SDM).",
        _cancel_keyboard(),
    )


def ask_kendala(*, below_target: bool) -> Reply:
    """Ask what stood in the way; at or above 100 % "tidak ada" is a fine answer."""
    if below_target:
        return Reply(
            "Capaian belum mencapai 100%. Ketik faktor penghambat (kendala) yang dihadapi.",
            _cancel_keyboard(),
        )
    return Reply(
        "Ketik faktor penghambat (kendala) yang dihadapi. Bila tidak ada hambatan, ketik "
        f'"{NO_PENGHAMBAT}".',
        _cancel_keyboard(),
    )


def ask_upaya() -> Reply:
    """Ask what the unit does or will do about it."""
    return Reply(
        "Ketik upaya / alternatif solusi (upaya tindak lanjut) yang dilakukan atau akan dilakukan.",
        _cancel_keyboard(),
    )


def question_skipped(question: Reply) -> Reply:
    """Ask a question an entry begun before it existed never got, before it is sent."""
    return Reply(
        "Sebelum dikirim, mohon lengkapi isian yang belum ditanyakan.\n\n" + question.text,
        question.keyboard,
    )


def ask_evidence(*, required: bool, max_mb: int, has_files: bool) -> Reply:
    """Ask for the evidence files."""
    wajib = " (wajib)" if required else ""
    return Reply(
        f"Kirim berkas bukti dukung{wajib}: pdf, docx, xlsx, jpg atau png, paling besar "
        f"{max_mb} MB per berkas; boleh lebih dari satu. Setelah "
        'selesai, tekan "Selesai unggah".',
        evidence_keyboard(has_files=has_files),
    )


def send_files_not_text(*, has_files: bool) -> Reply:
    """Say that the evidence step waits for files, not text."""
    return Reply(
        'Kirim berkas bukti sebagai dokumen atau foto, lalu tekan "Selesai unggah".',
        evidence_keyboard(has_files=has_files),
    )


def press_a_button() -> Reply:
    """Say that the summary waits for a button."""
    return Reply("Mohon pilih salah satu tombol di atas: Kirim, Ubah, atau Batal.")


def evidence_keyboard(*, has_files: bool) -> Keyboard:
    """Close the upload step (or skip it), or cancel."""
    label = "Selesai unggah" if has_files else "Lewati (tanpa bukti baru)"
    return [[_button(label, EntryAction.EVIDENCE_DONE)], [_button("Batal", EntryAction.CANCEL)]]


def file_already_attached(*, name: str, count: int) -> Reply:
    """Say that the same file came again and is attached once."""
    return Reply(
        f'📎 Berkas "{name}" sudah terlampir ({count} berkas). Kirim berkas '
        'lain, atau tekan "Selesai unggah".',
        evidence_keyboard(has_files=bool(count)),
    )


def file_received(*, name: str, count: int) -> Reply:
    """Confirm an evidence file."""
    return Reply(
        f'📎 Berkas "{name}" diterima ({count} berkas). Kirim berkas lain, atau tekan '
        '"Selesai unggah".',
        evidence_keyboard(has_files=True),
    )


def not_yet_sendable(errors: Sequence[Finding], *, has_files: bool) -> Reply:
    """Say what keeps the entry from being sent."""
    return Reply(
        "Belum dapat dikirim:\n" + "\n".join(f"❌ {f.message}" for f in errors),
        evidence_keyboard(has_files=has_files),
    )


def summary(
    *,
    code: str,
    name: str,
    target_text: str,
    realisasi: Decimal,
    satuan: str,
    capaian: Capaian,
    penjelasan: str | None,
    pendukung: str | None,
    kendala: str | None,
    upaya: str | None,
    new_files: Sequence[str],
    findings: Sequence[Finding],
) -> Reply:
    """The entry as it stands, to send or change; warnings ask to check the number."""
    lines = [
        f"Ringkasan isian {code} — {name}",
        f"Target: {target_text}",
        f"Realisasi: {format_number(realisasi)} {satuan}",
        f"Capaian: {_shown(capaian, '-')}" + (f" ({capaian.note})" if capaian.note else ""),
        f"Penjelasan: {penjelasan if penjelasan is not None else '-'}",
        f"Faktor pendukung: {pendukung if pendukung is not None else '-'}",
        f"Faktor penghambat (kendala): {kendala if kendala is not None else '-'}",
    ]
    if upaya:
        lines.append(f"Upaya / alternatif solusi: {upaya}")
    lines.append(
        f"Bukti: {', '.join(new_files)}"
        if new_files
        else "Bukti: (memakai bukti sebelumnya, bila ada)"
    )
    warnings = [f for f in findings if f.level is Level.WARNING]
    if warnings:
        lines.append("")
        lines += [f"⚠️ {f.message}" for f in warnings]
        lines.append('Bila angkanya sudah benar, tekan "Kirim"; bila belum, tekan "Ubah".')
    send = "Kirim (angka sudah benar)" if warnings else "Kirim"
    keyboard = [
        [_button(send, EntryAction.CONFIRM), _button("Ubah", EntryAction.RESTART)],
        [_button("Batal", EntryAction.CANCEL)],
    ]
    return Reply("\n".join(lines), keyboard)


def sent(*, code: str, version: int, capaian: Capaian) -> Reply:
    """Thank the person for the entry they sent."""
    return Reply(
        f"✅ Data {code} terkirim (versi {version}, capaian "
        f"{_shown(capaian, '-')}). Terima kasih. Tim akan memeriksanya.",
        [[_button("Isi indikator lain", EntryAction.MENU)]],
        notify=True,
    )


def sent_by_another(code: str) -> str:
    """Refuse a version another member of the unit sent at the same moment."""
    return (
        f"Data {code} baru saja dikirim oleh anggota unit lain. Mohon "
        "periksa menu isian, lalu kirim ulang bila perlu."
    )


def nothing_to_cancel() -> Reply:
    """Say that no entry is in progress."""
    return Reply(NOTHING_IN_PROGRESS)


def cancelled() -> Reply:
    """Confirm the entry was dropped."""
    return Reply(
        "Isian dibatalkan. Data yang sudah dikirim sebelumnya tetap tersimpan.",
        [[_button("Kembali ke daftar indikator", EntryAction.MENU)]],
    )


# ----------------------------------------------------------------- the workbook upload


def workbook_unreadable(report: str) -> str:
    """Refuse a file that is not a readable entry template."""
    return "Berkas tidak dapat diproses:\n" + report


def workbook_of_another_unit(*, unit_name: str, own_unit: str) -> str:
    """Refuse another unit's template."""
    return (
        f"Berkas ini template milik unit {unit_name}, bukan {own_unit}. "
        "Anda hanya dapat mengirim data unit Anda sendiri."
    )


def workbook_of_another_period(period_label: str) -> str:
    """Refuse a template of a period not being collected."""
    return (
        f"Berkas ini untuk periode {period_label} yang tidak sedang dikumpulkan. "
        "Gunakan template terbaru yang dikirim bot."
    )


def collection_closed(period_label: str) -> str:
    """Refuse a template once its period's collection closed."""
    return f"Pengumpulan data {period_label} sudah ditutup."


ROW_UNKNOWN_CODE = "kode indikator tidak dikenal untuk unit ini"
ROW_TWICE = "indikator ini muncul dua kali"
ROW_ACCEPTED = "data sudah diterima Tim; hubungi Tim bila perlu koreksi"
ROW_NO_REALISASI = "kolom Realisasi kosong"
ROW_EVIDENCE_MISSING = "bukti wajib belum ada — unggah lewat chat (tombol Mulai isi data)"
ROW_PENDUKUNG_MISSING = (
    "kolom Faktor Pendukung kosong; mohon tuliskan hal yang mendukung capaian indikator ini "
    "(wajib untuk setiap indikator, juga bila capaian 100% atau lebih)"
)
WORKBOOK_WITHOUT_PENDUKUNG = (
    "Berkas ini template versi lama, tanpa kolom Faktor Pendukung; data diterima tanpa faktor "
    "pendukung. Mohon lengkapi faktor pendukungnya melalui /isi, atau gunakan template terbaru "
    "untuk pengiriman berikutnya."
)


def row_label(*, row_number: int, code: str | None) -> str:
    """Name a row of the uploaded workbook."""
    return f"baris {row_number} ({code or 'tanpa kode'})"


def row_stored(*, code: str, capaian: Capaian, version: int) -> str:
    """Describe a row stored as a new version."""
    return f"{code}: capaian {_shown(capaian, '-')} (versi {version})"


def workbook_outcome(
    *,
    unit_name: str,
    period_label: str,
    accepted: Sequence[str],
    warnings: Sequence[str],
    rejected: Sequence[str],
) -> str:
    """Summarise the upload for the person who sent it."""
    lines = [f"📊 Template {unit_name} · {period_label}"]
    if accepted:
        lines.append(f"\n✅ Diterima ({len(accepted)}):")
        lines += [f"• {item}" for item in accepted]
    if warnings:
        lines.append("\n⚠️ Mohon periksa kembali:")
        lines += [f"• {item}" for item in warnings]
    if rejected:
        lines.append(f"\n❌ Ditolak ({len(rejected)}):")
        lines += [f"• {item}" for item in rejected]
        lines.append("Perbaiki baris yang ditolak lalu kirim ulang, atau isi lewat tombol.")
    return "\n".join(lines)


# ----------------------------------------------------------------- files people send


def too_big(limit_bytes: int) -> str:
    """Say that a file over the bot's limit (MAX_UPLOAD_MB) is not taken, and what to do."""
    return (
        f"Maaf, berkas lebih dari {limit_bytes // MB} MB tidak dapat diterima bot. Mohon "
        "perkecil ukurannya (misalnya simpan ulang PDF dengan kualitas lebih rendah) atau pecah "
        "menjadi beberapa berkas."
    )


FETCH_FAILED = (
    "Maaf, berkas Anda belum dapat diambil dari Telegram karena gangguan sementara. "
    "Mohon kirim ulang berkasnya sebentar lagi."
)
UNKNOWN_FILE = (
    "Berkas diterima, tetapi saya tidak tahu untuk apa. Untuk mengirim bukti dukung, mulai terlebih dahulu "
    "dengan /isi lalu pilih indikatornya. Untuk mengirim isian, gunakan template .xlsx dari bot."
)
