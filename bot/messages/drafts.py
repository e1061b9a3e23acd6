"""What /konsep says: the draft report's versions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot import callbacks
from bot.domain.dates import format_day
from bot.messages import Button, Keyboard

CHECK_THE_DRAFT = (
    "Periksa konsep ini. Bila sudah sesuai, ajukan untuk paraf Kasubbag (langkah 3 SOP); "
    "bila belum, perbaiki lalu buat versi baru dengan /konsep."
)


def not_ready(missing: Mapping[str, Sequence[str]]) -> str:
    """Refuse the draft while indicators wait for acceptance or a "tidak ada data" mark.

    ``missing`` lists, per unit name, the indicators the draft waits for.
    """
    lines = [
        "Konsep belum dapat dibuat. Indikator yang belum diterima atau ditandai tidak ada data:"
    ]
    for unit, items in missing.items():
        lines.append(f"\n{unit}:")
        lines += [f"• {item}" for item in items]
    lines.append('\nTerima datanya lewat /status, atau tandai "tidak ada data" dengan alasannya.')
    return "\n".join(lines)


def under_review(version: int, status_label: str) -> str:
    """Refuse a new version while an earlier one is with its reviewers."""
    return (
        f"Konsep versi {version} {status_label}. Versi baru "
        "dapat dibuat setelah pemeriksa mengembalikannya (lihat /persetujuan)."
    )


def already_signed(version: int) -> str:
    """Refuse a new version once the report is signed."""
    return (
        f"Laporan versi {version} sudah ditandatangani; laporan yang sudah "
        "ditandatangani tidak dapat diganti."
    )


def draft_caption(version: int, sha256: str, signable_from: date | None = None) -> str:
    """The caption of a new draft's .docx; an early draft says from when it can be signed."""
    caption = f"Konsep Laporan Kinerja versi {version}\nSHA-256: {sha256}"
    if signable_from is not None:
        caption += (
            "\n\n⏳ Konsep awal: periode laporan ini belum berakhir. Konsep dapat disusun, "
            "diperiksa, dan diparaf sekarang, tetapi baru dapat ditandatangani mulai "
            f"{format_day(signable_from)}."
        )
    return caption


def submit_keyboard(draft_id: int) -> Keyboard:
    """The button that sends a new draft for the Kasubbag's paraf."""
    return [
        [
            Button(
                "📤 Ajukan untuk paraf",
                data=callbacks.encode(
                    callbacks.APPROVAL, callbacks.ApprovalAction.SUBMIT, draft_id
                ),
            )
        ]
    ]
