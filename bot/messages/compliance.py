"""What /kepatuhan says: each SOP step's time against its standard."""

from __future__ import annotations

from collections.abc import Sequence

NOT_VIEWER = "Maaf, /kepatuhan hanya untuk Tim Laporan Kinerja, Sekretaris, Pimpinan, dan Admin."
USAGE = "Tulis /kepatuhan untuk siklus terakhir, atau /kepatuhan 2026 untuk satu tahun."
YEAR_UNREADABLE = f"Maaf, tahun tidak dapat dibaca. {USAGE}"
HOW_MEASURED = (
    "Durasi dihitung dalam jam kerja kantor (tanpa akhir pekan, libur nasional dan cuti "
    "bersama). Rinciannya ada di berkas Excel terlampir."
)
WORKBOOK_CAPTION = "Rincian kepatuhan SOP per langkah, per putaran, dan perbandingan antartahun."
ALL_YEARS = "Semua tahun"


def no_cycle_in(year: int, years: Sequence[int]) -> str:
    """Refuse a year without cycles, naming the years there are."""
    return (
        f"Belum ada siklus tahun {year}. Tahun yang tercatat: {', '.join(str(y) for y in years)}."
    )


def scope(year: int | None) -> str:
    """What the workbook covers: one year, or every year."""
    return ALL_YEARS if year is None else f"Tahun {year}"


def chart_caption(period_label: str) -> str:
    """The caption of one cycle's compliance chart."""
    return f"Kepatuhan waktu SOP {period_label} (100% = waktu standar)"


def workbook_filename(office_name: str, year: int | None) -> str:
    """The name of the compliance workbook people download."""
    return f"Kepatuhan SOP {office_name} {year if year is not None else 'semua tahun'}.xlsx"
