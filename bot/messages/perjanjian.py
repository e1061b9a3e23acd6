"""What a Perjanjian Kinerja import tells rendatin (in chat and in the CLI): pure functions."""

from __future__ import annotations

from collections.abc import Sequence

YEAR_UNREADABLE = (
    'Tahun Perjanjian Kinerja tidak terbaca: kolom "Target YYYY" tidak ditemukan. '
    "Gunakan template PK dari /pk."
)


def unknown_units(codes: Sequence[str]) -> str:
    """Refuse a PK naming units the office does not have."""
    return f"Unit PIC tidak dikenal: {', '.join(codes)}."


def would_lose_data(codes: Sequence[str]) -> str:
    """Refuse a PK that drops indicators the units already filled."""
    return (
        "Impor dibatalkan: indikator berikut sudah berisi data dari unit dan tidak ada "
        f"di berkas baru: {', '.join(codes)}. Tambahkan kembali ke berkas, atau hubungi "
        "admin bila memang harus dihapus."
    )


def locked(*, year: int, reason: str) -> str:
    """Refuse a PK whose year's report is being decided or signed."""
    return f"Perjanjian Kinerja {year} tidak diubah: {reason}"


def workbook_unreadable(report: str) -> str:
    """Refuse a PK workbook that cannot be read."""
    return "Berkas PK belum dapat diimpor; tidak ada yang diubah:\n" + report


def import_summary(
    *,
    year: int,
    created: Sequence[str],
    updated: Sequence[str],
    removed: Sequence[str],
    targets_changed_with_data: Sequence[str],
    added_to_open_cycles: Sequence[str],
) -> str:
    """Describe an import in Indonesian."""
    if not (created or updated or removed):
        return f"Perjanjian Kinerja {year}: tidak ada perubahan."
    lines = [f"Perjanjian Kinerja {year} diimpor."]
    for label, items in (
        ("Indikator baru", created),
        ("Indikator diperbarui", updated),
        ("Indikator dihapus", removed),
        ("Target berubah padahal unit sudah mengisi data", targets_changed_with_data),
        ("Ditambahkan ke siklus yang sedang berjalan", added_to_open_cycles),
    ):
        if items:
            lines.append(f"{label} ({len(items)}): {', '.join(items)}")
    return "\n".join(lines)
