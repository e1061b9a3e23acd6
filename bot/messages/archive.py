"""The archive browser (/arsip, SOP step 6): pure functions of plain data."""

from __future__ import annotations

from collections.abc import Sequence

from bot import callbacks
from bot.callbacks import ArchiveAction
from bot.messages import Button, Reply

NOT_READER = "Maaf, arsip hanya dapat dibuka Tim Laporan Kinerja, Sekretaris, Pimpinan, dan Admin."
NOTHING_ARCHIVED = Reply("Belum ada siklus yang diarsipkan.")
YEAR_FIRST = "Tulis tahunnya terlebih dahulu, misalnya /arsip 2026 notulen."
NO_SIGNED_REPORTS = "Tidak ada laporan bertanda tangan di arsip tahun itu."
FILE_NOT_FOUND = "Berkas arsip tidak ditemukan."
MAX_RESULTS = 20


def no_archive(year: int) -> str:
    """Refuse a zip of a year without an archive."""
    return f"Belum ada arsip tahun {year}."


def years_menu(years: Sequence[int]) -> Reply:
    """The years with an archive, each a button, and how to search."""
    keyboard = [
        [Button(str(year), data=callbacks.encode(callbacks.ARCHIVE, ArchiveAction.YEAR, year))]
        for year in years
    ]
    return Reply(
        "🗄️ Arsip Laporan Kinerja. Pilih tahun untuk menerima laporan bertanda tangan.\n"
        "Cari berkas: /arsip 2026 <kata>, misalnya /arsip 2026 IK 3.1\n"
        "Unduh semua berkas setahun: /arsip 2026 zip",
        keyboard,
    )


def delivery_note(*, label: str, deadline: str, late: bool, received_by: str | None) -> str:
    """One archived cycle's delivery: on time or late, and received by whom."""
    when = f"batas {deadline}"
    verdict = f"TERLAMBAT ({when})" if late else f"tepat waktu ({when})"
    received = f", diterima {received_by}" if received_by else ""
    return f"{label}: dikirim {verdict}{received}"


def received_from_children(rows: Sequence[tuple[str, str, str, str]]) -> list[str]:
    """The reports received from kabupaten/kota: (office, period, when, by whom), by office."""
    if not rows:
        return []
    lines = ["📥 Laporan diterima dari kabupaten/kota:"]
    lines += [
        f"• {office}: Laporan Kinerja {label}, diterima {when}" + (f" oleh {by}" if by else "")
        for office, label, when, by in rows
    ]
    return lines


def no_match(year: int, words: str) -> Reply:
    """Nothing archived in ``year`` matches the words."""
    return Reply(f"Tidak ada berkas arsip {year} yang cocok dengan “{words}”.")


def found(
    *, year: int, words: str, notes: Sequence[str], files: Sequence[tuple[int, str]]
) -> Reply:
    """The matching files (id, name), the first MAX_RESULTS each a button."""
    shown = files[:MAX_RESULTS]
    lines = [f"🗄️ Arsip {year}" + (f" — “{words}”" if words else "") + f": {len(files)} berkas."]
    lines += notes
    lines += [f"{number}. {name}" for number, (_, name) in enumerate(shown, start=1)]
    if len(files) > MAX_RESULTS:
        lines.append(f"… dan {len(files) - MAX_RESULTS} lainnya; persempit pencariannya.")
    keyboard = [
        [
            Button(
                f"{number}. {name[-50:]}",
                data=callbacks.encode(callbacks.ARCHIVE, ArchiveAction.FILE, entry_id),
            )
        ]
        for number, (entry_id, name) in enumerate(shown, start=1)
    ]
    return Reply("\n".join(lines), keyboard)


def zip_sent(*, year: int, files: int, manifest: str, parts: int, name: str) -> str:
    """Announce the year's zip (and how to join it when it comes in parts)."""
    note = (
        "" if parts == 1 else f"\nTerbagi {parts} bagian; gabungkan dengan: cat {name}.* > {name}"
    )
    return f"🗜️ Arsip {year}: {files} berkas dan {manifest} (daftar checksum).{note}"
