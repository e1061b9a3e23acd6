"""What /anggaran and a budget workbook's import say (LKjIP chapter III.B)."""

from __future__ import annotations

from collections.abc import Sequence


def budget_unchanged(year: int) -> str:
    """The budget workbook is the one already imported."""
    return f"Anggaran {year}: tidak ada perubahan."


def budget_locked(year: int, reason: str) -> str:
    """The year's report is decided or signed: its budget stays."""
    return f"Anggaran {year} tidak diubah: {reason}"


def budget_imported(
    *,
    year: int,
    lines: int,
    pagu: str,
    realisasi: str,
    absorbed: str | None,
    warnings: Sequence[str],
    mapped: int = 0,
) -> str:
    """Summarise an imported budget: lines, totals, absorption and anything odd in it."""
    absorption = f" ({absorbed})" if absorbed is not None else ""
    notes = "".join(f"\n⚠️ {warning}" for warning in warnings)
    support = lines - mapped
    sasaran = (
        f" {mapped} kegiatan dipetakan ke sasaran strategis, {support} kegiatan dukungan manajemen."
        if mapped
        else ""
    )
    return (
        f"Anggaran {year} diimpor: {lines} baris, pagu {pagu}, "
        f"realisasi {realisasi}{absorption}.{sasaran}{notes}"
    )


def sasaran_unchecked(year: int) -> str:
    """The budget names sasaran, but the year's Perjanjian Kinerja is not imported yet."""
    return (
        f"Kode sasaran belum dapat diperiksa karena Perjanjian Kinerja {year} belum diimpor; "
        "kode yang tidak ada dalam Perjanjian Kinerja akan disebut di Bab III LKjIP dan "
        "kegiatannya dihitung sebagai dukungan manajemen."
    )


def budget_not_imported(report: str) -> str:
    """Refuse a budget workbook, with what is wrong in it."""
    return "Berkas anggaran belum dapat diimpor; tidak ada yang diubah:\n" + report
