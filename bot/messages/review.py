"""What rendatin and the units read while the data is checked: pure functions of plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.callbacks import EntryAction, ReviewAction
from bot.domain.capaian import Capaian
from bot.domain.dates import format_short_day
from bot.domain.formatting import format_datetime
from bot.domain.numbers import format_number, format_percent
from bot.messages import Button, Keyboard, Reply
from bot.messages.status import LINE_LABELS

NOT_FOUND = "Maaf, data ini tidak ditemukan."
NOT_ALLOWED_TO_SEE = "Maaf, Anda tidak berwenang melihat data ini."
REASON_TOO_SHORT = "Mohon tulis alasan yang jelas (paling sedikit 5 huruf)."
NOTHING_BEING_FLAGGED = "Tidak ada data yang sedang ditandai."
JUST_REVIEWED = "Data ini baru saja diperiksa oleh anggota Tim lain."
ACCEPTED_TOAST = "Diterima."
# The checks' codes (bot/domain/checks.py) that a submitter confirmed, as rendatin reads them.
_WARNINGS = {
    "far_above_target": "capaian jauh di atas target, dan pengirim menyatakan angkanya benar",
    "far_below_target": "capaian jauh di bawah target, dan pengirim menyatakan angkanya benar",
}


def _warning_text(warnings: Sequence[str]) -> str:
    """Say the confirmed doubts in words: never the internal code of a check."""
    return "; ".join(_WARNINGS.get(code, "angka perlu diperiksa kembali") for code in warnings)


def evidence_caption(name: str) -> str:
    """The caption of an evidence file sent with a submission."""
    return f"📎 Bukti: {name}"[:1024]


@dataclass(frozen=True)
class Version:
    """One submitted version of a line, as the reviewers see it."""

    submission_id: int
    version: int
    realisasi: Decimal
    status: str
    submitted_at: datetime
    submitter: str  # the name, or "-" when the person is gone
    source: str  # "chat" or "xlsx"
    review_note: str | None


def _review_button(text: str, action: ReviewAction, object_id: int) -> Button:
    return Button(text, data=callbacks.encode(callbacks.REVIEW, action, object_id))


def _capaian_text(capaian: Capaian) -> str:
    return format_percent(capaian.value) if capaian.value is not None else capaian.note


def no_data_button(line_id: int) -> Button:
    """The button rendatin taps to mark an indicator as having no data."""
    return _review_button("🚫 Tandai tidak ada data", ReviewAction.NO_DATA, line_id)


def submission_detail(
    *,
    code: str,
    name: str,
    unit_name: str,
    period_label: str,
    target_text: str,
    satuan: str,
    capaian: Capaian,
    version: Version,
    line_id: int,
    latest: bool,
    penjelasan: str,
    pendukung: str | None,
    kendala: str | None,
    upaya: str | None,
    warnings: Sequence[str],
    file_count: int,
    tz: ZoneInfo,
    can_decide: bool,
    can_correct: bool,
) -> Reply:
    """One submission in full; rendatin gets the buttons to decide (or to ask a correction)."""
    lines = [
        f"🔎 {code} — {name}",
        f"{unit_name} · {period_label}",
        f"Versi {version.version}{'' if latest else ' (bukan versi terbaru)'} · "
        f"{LINE_LABELS.get(version.status, version.status)}",
        f"Target: {target_text}",
        f"Realisasi: {format_number(version.realisasi)} {satuan}",
        f"Capaian: {_capaian_text(capaian)}",
        f"Penjelasan: {penjelasan}",
    ]
    if pendukung:
        lines.append(f"Faktor pendukung: {pendukung}")
    if kendala:
        lines.append(f"Faktor penghambat (kendala): {kendala}")
    if upaya:
        lines.append(f"Upaya / alternatif solusi: {upaya}")
    if warnings:
        lines.append(f"Peringatan otomatis: {_warning_text(warnings)}")
    if version.review_note:
        lines.append(f"Catatan Tim: {version.review_note}")
    lines.append(
        f"Dikirim {format_datetime(version.submitted_at, tz)} oleh "
        f"{version.submitter} ({version.source})"
    )
    lines.append(f"Bukti: {file_count} berkas" if file_count else "Bukti: tidak ada")
    keyboard: Keyboard = []
    if can_decide:
        keyboard = review_keyboard(version.submission_id, line_id)
    elif can_correct:
        keyboard = [[_review_button("⚠️ Minta perbaikan", ReviewAction.FLAG, version.submission_id)]]
    return Reply("\n".join(lines), keyboard)


def review_keyboard(submission_id: int, line_id: int) -> Keyboard:
    """Accept, flag, or see the versions of a submission that waits for a decision."""
    return [
        [
            _review_button("☑️ Terima", ReviewAction.ACCEPT, submission_id),
            _review_button("⚠️ Tandai kurang valid", ReviewAction.FLAG, submission_id),
        ],
        [_review_button("🕘 Riwayat versi", ReviewAction.HISTORY, line_id)],
    ]


def history(
    *,
    code: str,
    name: str,
    satuan: str,
    versions: Sequence[Version],
    tz: ZoneInfo,
    line_id: int,
    offer_no_data: bool,
    no_data_reason: str | None,
) -> Reply:
    """Every version of a line: value, who, when, and what the team said.

    ``no_data_reason`` is given when the line is marked "tidak ada data".
    """
    lines = [f"🕘 Riwayat {code} — {name}"]
    if not versions:
        lines.append("Belum ada data.")
    for version in versions:
        lines.append(
            f"\nVersi {version.version}: {format_number(version.realisasi)} "
            f"{satuan} · {LINE_LABELS[version.status]}\n"
            f"{format_datetime(version.submitted_at, tz)} · "
            f"{version.submitter} · {version.source}"
        )
        if version.review_note:
            lines.append(f"Catatan Tim: {version.review_note}")
    keyboard = [
        [_review_button(f"Lihat versi {version.version}", ReviewAction.VIEW, version.submission_id)]
        for version in versions
    ][-8:]
    if offer_no_data:
        keyboard.append([no_data_button(line_id)])
    if no_data_reason is not None:
        lines.append(f"\n🚫 Ditandai tidak ada data: {no_data_reason}")
    return Reply("\n".join(lines), keyboard)


def newer_version_exists(code: str) -> str:
    """Refuse a decision on an old version."""
    return f"Sudah ada versi yang lebih baru untuk {code}; tombol ini untuk versi lama."


def flag_prompt(*, code: str, unit_name: str) -> Reply:
    """Ask rendatin for the reason the data is doubtful."""
    return Reply(
        f"Ketik alasan data {code} ({unit_name}) dinilai kurang "
        "valid. Alasan ini dikirim ke unit bersama tombol untuk memperbaiki.\n"
        "Ketik /batal untuk membatalkan."
    )


def flag_notice(*, code: str, name: str, period_label: str, reason: str, deadline: date) -> str:
    """Tell the unit its data was flagged, and why."""
    return (
        f"⚠️ Data {code} — {name} ({period_label}) "
        f"dinilai kurang valid oleh Tim.\nAlasan: {reason}\n\n"
        f"Mohon perbaiki sebelum {format_short_day(deadline)}."
    )


def fix_keyboard(line_id: int) -> Keyboard:
    """The unit's button to correct a flagged line."""
    return [
        [
            Button(
                "✏️ Perbaiki",
                data=callbacks.encode(callbacks.ENTRY, EntryAction.START, line_id),
            )
        ]
    ]


def flagged(*, code: str, unit_name: str) -> Reply:
    """Tell rendatin the flag went out."""
    return Reply(
        f"⚠️ {code} ditandai kurang valid; {unit_name} sudah diberi tahu.",
        notify=True,
    )


def accepted_notice(*, code: str, period_label: str) -> str:
    """Tell the unit its data was accepted."""
    return f"☑️ Data {code} ({period_label}) telah diterima Tim. Terima kasih."


def accepted(*, code: str, unit_name: str) -> Reply:
    """Tell rendatin the acceptance went out."""
    return Reply(f"☑️ {code} ({unit_name}) diterima.", notify=True)


def new_submission(
    *,
    unit_name: str,
    code: str,
    name: str,
    period_label: str,
    realisasi: Decimal,
    satuan: str,
    target_text: str,
    capaian: Capaian,
    version: int,
    submitter: str,
    warnings: Sequence[str],
) -> str:
    """Tell rendatin a unit sent a new version."""
    warn = f"\n⚠️ Peringatan otomatis: {_warning_text(warnings)}" if warnings else ""
    return (
        f"📥 Data baru dari {unit_name}\n"
        f"{code} — {name} ({period_label})\n"
        f"Realisasi {format_number(realisasi)} {satuan} · target "
        f"{target_text} · capaian {_capaian_text(capaian)}\n"
        f"Versi {version}, oleh {submitter}{warn}"
    )


def new_submission_keyboard(submission_id: int) -> Keyboard:
    """Rendatin's buttons under a new version: look, accept, or flag."""
    return [
        [
            _review_button("🔎 Periksa", ReviewAction.VIEW, submission_id),
            _review_button("☑️ Terima", ReviewAction.ACCEPT, submission_id),
        ],
        [_review_button("⚠️ Tandai kurang valid", ReviewAction.FLAG, submission_id)],
    ]
