"""A per-unit entry template built by hand, and filling it in as a person would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from bot.documents import (
    EntryTemplateRow,
    EntryWorkbookMeta,
    build_entry_workbook,
)
from bot.documents.entry_workbook import HEADER_ROW

META = EntryWorkbookMeta(
    office_code="kpu-kota-bengkulu",
    office_name="KPU Kota Bengkulu",
    unit_code="KUL",
    unit_name="Sub Bagian Keuangan, Umum dan Logistik",
    year=2026,
    period="tahunan",
    period_label="Tahun 2026",
    cycle_id=7,
    deadline=date(2026, 11, 30),
)


ROWS = [
    EntryTemplateRow(
        "IK 2.1",
        "Meningkatnya akuntabilitas keuangan",
        "Persentase realisasi anggaran",
        "persen",
        "95",
        True,
    ),
    EntryTemplateRow(
        "IK 2.2",
        "Meningkatnya akuntabilitas keuangan",
        "Jumlah temuan pemeriksaan",
        "temuan",
        "0",
        False,
    ),
    EntryTemplateRow(
        "IK 2.3",
        "Meningkatnya kualitas layanan umum",
        "Persentase pemeliharaan BMN",
        "persen",
        "80–90",
        True,
    ),
    EntryTemplateRow(
        "IK 2.4",
        "Meningkatnya kualitas layanan umum",
        "Jumlah laporan persediaan",
        "laporan",
        "4",
        False,
    ),
]


FIRST = HEADER_ROW + 1


def filled(edit: Callable[[Any], None], data: bytes | None = None) -> bytes:
    """Open the template with openpyxl, change it as a person would, and save it."""
    workbook = load_workbook(BytesIO(data or build_entry_workbook(META, ROWS)))
    edit(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_some(workbook: Any) -> None:
    """Fill a few cells as people do: a percent, padded text, a comma decimal, blanks.

    Columns G to K: Realisasi, Penjelasan, Faktor Pendukung, Faktor Penghambat, Upaya.
    """
    sheet = workbook["Isian"]
    sheet[f"G{FIRST}"] = 0.855
    sheet[f"G{FIRST}"].number_format = "0.0%"
    sheet[f"H{FIRST}"] = "  Realisasi sesuai SP2D.  "
    sheet[f"I{FIRST}"] = "Rencana penarikan dana dipantau setiap bulan."
    sheet[f"G{FIRST + 1}"] = " 85,5 "
    sheet[f"J{FIRST + 1}"] = "Pemeriksaan belum selesai"
    sheet[f"K{FIRST + 1}"] = "   "
    sheet[f"H{FIRST + 3}"] = "Data menyusul"


def as_format_1(data: bytes) -> bytes:
    """Turn a template into one the bot sent before the Faktor Pendukung column (format 1):
    the column gone, the old titles, and format_version 1 in the hidden sheet."""
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["Isian"]
    sheet.delete_cols(9)
    sheet[f"I{HEADER_ROW}"] = "Kendala"
    sheet[f"J{HEADER_ROW}"] = "Upaya Tindak Lanjut"
    for row in workbook["_lapkin"].iter_rows():
        if row[0].value == "format_version":
            row[1].value = 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_some_format_1(workbook: Any) -> None:
    """Fill a format-1 template as a unit did: G to J are Realisasi, Penjelasan, Kendala, Upaya."""
    sheet = workbook["Isian"]
    sheet[f"G{FIRST}"] = 92
    sheet[f"H{FIRST}"] = "Realisasi sesuai SP2D."
    sheet[f"G{FIRST + 1}"] = "1"
    sheet[f"H{FIRST + 1}"] = "Satu temuan administrasi."
    sheet[f"I{FIRST + 1}"] = "Bukti belanja terlambat dilengkapi."
    sheet[f"J{FIRST + 1}"] = "Reviu internal sebelum pemeriksaan."
