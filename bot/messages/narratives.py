"""What /narasi says: the LKjIP's narrative sections, their current text, the prompts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.callbacks import NarrativeAction
from bot.domain.formatting import format_datetime
from bot.messages import Button, Reply

PREVIEW_CHARS = 3500  # Telegram's 4096 less the heading and the note
MIN_CHARS = 20

NOT_WRITING = "Tidak ada narasi yang sedang Anda tulis. Pilih bagiannya melalui /narasi."
TOO_SHORT = (
    f"Narasi terlalu singkat (kurang dari {MIN_CHARS} huruf); mohon tulis lebih lengkap atau "
    "kirim berkas .docx atau .txt."
)
UNREADABLE = (
    "Maaf, berkas ini tidak dapat dibaca sebagai narasi. Kirim berkas .docx atau .txt "
    "(UTF-8), atau ketik teksnya."
)
UNKNOWN_SECTION = "Maaf, bagian narasi ini tidak dikenal. Pilih kembali melalui /narasi."


def menu(cycle_id: int, sections: list[tuple[int, str, bool]]) -> Reply:
    """The sections as buttons; ✏️ marks those the team wrote, the rest come from the data."""
    lines = [
        "📝 Narasi Laporan Kinerja. Pilih bagian untuk membaca teksnya saat ini dan "
        "menggantinya. ✏️ = ditulis tim; lainnya disusun otomatis dari data."
    ]
    keyboard = [
        [
            Button(
                f"{'✏️ ' if written else ''}{label}",
                callbacks.encode(callbacks.NARRATIVE, NarrativeAction.SHOW, cycle_id, number),
            )
        ]
        for number, label, written in sections
    ]
    return Reply("\n".join(lines), keyboard)


def current(
    *,
    cycle_id: int,
    number: int,
    label: str,
    text: str,
    version: int | None,
    author: str | None,
    written_at: datetime | None,
    tz: ZoneInfo,
) -> Reply:
    """A section's current text, who wrote it (or that it comes from the data), and Ganti."""
    if version is None or written_at is None:
        origin = "Belum ditulis tim; teks ini disusun otomatis dari data."
    else:
        origin = f"Versi {version}, ditulis {author or '-'} pada {format_datetime(written_at, tz)}."
    body = text if len(text) <= PREVIEW_CHARS else f"{text[:PREVIEW_CHARS]}…"
    return Reply(
        f"📝 {label}\n{origin}\n\n{body}",
        [
            [
                Button(
                    "✏️ Ganti teks",
                    callbacks.encode(
                        callbacks.NARRATIVE, NarrativeAction.REPLACE, cycle_id, number
                    ),
                )
            ]
        ],
    )


def ask_text(label: str) -> Reply:
    """Ask for the section's new text."""
    return Reply(
        f"Ketik teks baru untuk {label}, atau kirim berkas .docx atau .txt. Pisahkan paragraf "
        "dengan baris baru. Ketik /batal untuk membatalkan."
    )


def saved(label: str, version: int) -> Reply:
    """The new version is kept; the next konsep shows it."""
    return Reply(
        f"✅ {label} tersimpan sebagai versi {version}. Konsep berikutnya (/konsep) memuat "
        "teks ini; versi sebelumnya tetap tersimpan."
    )


def under_review(version: int) -> str:
    """Refusal while a version of the report is being reviewed or is signed."""
    return (
        f"Narasi tidak dapat diubah karena konsep versi {version} sedang dalam proses paraf "
        "atau sudah ditandatangani. Tunggu hingga konsep dikembalikan terlebih dahulu."
    )
