"""The provincial workbook (.xlsx, /pantau): each kabupaten/kota's cycle, and the SOP step
times of the offices side by side (the /kepatuhan figures, ``bot.domain.compliance``).

Two sheets: "Kemajuan" (one row per office: where its cycle stands) and "Waktu SOP" (one
row per SOP step, one column per office: the duration against the standard, red when it
took longer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl.utils import get_column_letter

from bot.documents.compliance_workbook import LATE_FILL, _write_row
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
from bot.domain.compliance import STEPS, CycleCompliance
from bot.domain.dates import format_day
from bot.domain.formatting import format_datetime
from bot.domain.province import ChildCycle, share

PROGRESS_SHEET = "Kemajuan"
STEPS_SHEET = "Waktu SOP"
PROGRESS_HEADERS = (
    "Kantor",
    "Periode",
    "Tahap",
    "Nota Dinas dikirim",
    "Indikator",
    "% terjawab",
    "% diterima",
    "Versi konsep",
    "Paraf/tanda tangan",
    "Ditandatangani",
    "Dikirim",
    "Diterima",
    "Batas kirim",
    "Terlambat",
)
_PROGRESS_WIDTHS = (30, 16, 24, 22, 10, 11, 11, 10, 12, 22, 22, 22, 26, 10)
_HEADER_ROW = 4


def build_province_workbook(
    *,
    parent_name: str,
    year: int,
    children: Sequence[ChildCycle],
    compliance: Sequence[tuple[str, Sequence[CycleCompliance]]],
    today: date,
    tz: ZoneInfo,
) -> bytes:
    """Build the workbook of the children's cycles of ``year`` and their SOP step times."""
    workbook = new_workbook()
    progress = workbook.active
    progress.title = PROGRESS_SHEET
    _title(progress, parent_name, year, len(PROGRESS_HEADERS))
    write_header(progress, _HEADER_ROW, PROGRESS_HEADERS)
    row = _HEADER_ROW
    for child in children:
        row += 1
        _write_row(progress, row, _progress_values(child, tz, today), late=child.late(today))
    set_column_widths(progress, _PROGRESS_WIDTHS)
    progress.freeze_panes = f"B{_HEADER_ROW + 1}"
    print_landscape(progress, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")

    steps = workbook.create_sheet(STEPS_SHEET)
    # Each office's newest cycle of the year, as /kepatuhan shows it first.
    newest = [(name, cycles[-1] if cycles else None) for name, cycles in compliance]
    headers = ["Langkah", "Kegiatan", "Waktu standar", *(name for name, _ in newest)]
    _title(steps, parent_name, year, len(headers))
    write_header(steps, _HEADER_ROW, headers)
    for index, spec in enumerate(STEPS):
        row = _HEADER_ROW + 1 + index
        values: list[object] = [spec.number, spec.name, spec.standard.label]
        late: list[bool] = [False, False, False]
        for _, cycle in newest:
            step = cycle.steps[index] if cycle is not None else None
            values.append(step.duration_label if step is not None else "belum mulai")
            late.append(bool(step is not None and step.late))
        for column, (value, over) in enumerate(zip(values, late, strict=True), start=1):
            cell = steps.cell(row=row, column=column, value=value)
            cell.border = BORDER
            cell.alignment = WRAP_TOP
            if over:
                cell.fill = LATE_FILL
    set_column_widths(steps, (9, 40, 14, *([22] * len(newest))))
    steps.freeze_panes = f"D{_HEADER_ROW + 1}"
    print_landscape(steps, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")
    return workbook_bytes(workbook)


def _title(sheet: Any, parent_name: str, year: int, columns: int) -> None:
    last = get_column_letter(max(columns, 1))
    texts = (f"Pantauan Laporan Kinerja Kabupaten/Kota Tahun {year}", parent_name)
    for row, text in enumerate(texts, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = TITLE_FONT
        sheet.merge_cells(f"A{row}:{last}{row}")


def _when(moment: datetime | None, tz: ZoneInfo) -> str:
    return format_datetime(moment, tz) if moment is not None else ""


def _progress_values(child: ChildCycle, tz: ZoneInfo, today: date) -> list[object]:
    return [
        child.office_name,
        child.period_label or "",
        child.stage.value,
        _when(child.nota_dinas_sent_at, tz),
        child.indicators,
        share(child.answered, child.indicators),
        share(child.accepted, child.indicators),
        child.draft_version or "",
        f"{child.decided}/{child.reviewers}" if child.draft_version else "",
        _when(child.signed_at, tz),
        _when(child.sent_at, tz),
        _when(child.received_at, tz),
        format_day(child.deadline),
        "Ya" if child.late(today) else "Tidak",
    ]
