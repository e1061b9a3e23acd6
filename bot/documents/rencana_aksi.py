"""The Rencana Aksi (.xlsx): who must deliver which indicator's data by when (SOP step 1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl.utils import get_column_letter

from bot.documents.workbooks import (
    BORDER,
    TITLE_FONT,
    WRAP_TOP,
    new_workbook,
    print_landscape,
    set_column_widths,
    workbook_bytes,
    write_header,
)
from bot.domain.dates import format_short_day

SHEET = "Rencana Aksi"
HEADERS = (
    "No",
    "Sub Bagian",
    "Kode",
    "Indikator Kinerja",
    "Penanggung Jawab",
    "Batas Waktu",
    "Status",
)
_WIDTHS = (5, 34, 10, 50, 30, 18, 14)
_HEADER_ROW = 5


@dataclass(frozen=True)
class RencanaAksiRow:
    """One line of the Rencana Aksi."""

    unit_name: str
    indicator_code: str
    indicator_name: str
    responsible: str
    deadline: date
    status: str


def build_rencana_aksi_workbook(
    *, title: str, office_name: str, period_label: str, rows: Sequence[RencanaAksiRow]
) -> bytes:
    """Build the Rencana Aksi as a printable sheet, dates written in Indonesian."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = SHEET
    last = get_column_letter(len(HEADERS))
    for row, (text, font) in enumerate(
        ((title, TITLE_FONT), (office_name, TITLE_FONT), (f"Periode: {period_label}", None)),
        start=1,
    ):
        cell = sheet.cell(row=row, column=1, value=text)
        if font is not None:
            cell.font = font
        sheet.merge_cells(f"A{row}:{last}{row}")
    write_header(sheet, _HEADER_ROW, HEADERS)
    for index, line in enumerate(rows, start=1):
        values = (
            index,
            line.unit_name,
            line.indicator_code,
            line.indicator_name,
            line.responsible,
            # Text, not a date cell: month names then read Indonesian in every viewer.
            format_short_day(line.deadline),
            line.status,
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=_HEADER_ROW + index, column=column, value=value)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
    set_column_widths(sheet, _WIDTHS)
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"
    if rows:
        sheet.auto_filter.ref = f"A{_HEADER_ROW}:{last}{_HEADER_ROW + len(rows)}"
    print_landscape(sheet, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")
    return workbook_bytes(workbook)
