"""The SOP compliance workbook (.xlsx): each cycle's six steps, the details, the comparison.

Three sheets: "Kepatuhan SOP" (six rows per cycle: duration against the standard),
"Rincian" (every review round, every reviewer's decision, every unit's data) and
"Perbandingan" (one row per cycle, to compare the years). Durations are numbers (office
minutes, working days), so they can be summed and charted; times are written as text in
Indonesian, as the other Lapkin workbooks write dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl.styles import PatternFill
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
from bot.domain.compliance import STEPS, CycleCompliance, Detail, StepResult, late_label
from bot.domain.formatting import format_datetime

STEPS_SHEET = "Kepatuhan SOP"
DETAILS_SHEET = "Rincian"
COMPARISON_SHEET = "Perbandingan"

STEP_HEADERS = (
    "Tahun",
    "Periode",
    "Langkah",
    "Kegiatan",
    "Waktu standar",
    "Mulai",
    "Selesai",
    "Durasi (menit kerja)",
    "Durasi (hari kerja)",
    "% waktu standar",
    "Status",
    "Sesuai standar",
    "Terlambat",
    "Pengembalian",
)
_STEP_WIDTHS = (8, 16, 9, 36, 14, 22, 22, 12, 11, 11, 13, 12, 44, 13)
DETAIL_HEADERS = (
    "Tahun",
    "Periode",
    "Langkah",
    "Bagian",
    "Pemeriksa / unit / pelaksana",
    "Mulai",
    "Selesai",
    "Hasil",
    "Durasi (menit kerja)",
    "Terlambat",
    "Keterangan",
)
_DETAIL_WIDTHS = (8, 16, 9, 20, 34, 22, 22, 20, 12, 11, 40)
COMPARISON_HEADERS = (
    "Tahun",
    "Periode",
    *(
        f"Langkah {spec.number} ({'hari kerja' if spec.standard.working_days else 'menit'})"
        for spec in STEPS
    ),
    "Langkah sesuai standar",
    "Langkah melebihi standar",
    "Pengembalian",
    "Pengiriman ke KPU Provinsi",
)
_COMPARISON_WIDTHS = (8, 16, 13, 13, 13, 13, 13, 13, 14, 14, 13, 30)
_HEADER_ROW = 5
LATE_FILL = PatternFill("solid", start_color="F4CCCC")
NOTE = (
    "Durasi dihitung dalam waktu kerja kantor: hari kerja dan jam kerja saja, tanpa akhir "
    "pekan, libur nasional, dan cuti bersama. Langkah yang belum dimulai ditulis 'belum'."
)


def build_compliance_workbook(
    *, office_name: str, scope: str, cycles: Sequence[CycleCompliance], tz: ZoneInfo
) -> bytes:
    """Build the compliance workbook of ``cycles`` (``scope`` says which: 'Tahun 2026')."""
    workbook = new_workbook()
    steps = workbook.active
    steps.title = STEPS_SHEET
    _title(steps, office_name, scope, len(STEP_HEADERS))
    write_header(steps, _HEADER_ROW, STEP_HEADERS)
    row = _HEADER_ROW
    for cycle in cycles:
        for step in cycle.steps:
            row += 1
            _write_row(steps, row, _step_values(cycle, step, tz), late=step.late is True)
    steps.cell(row=row + 2, column=1, value=NOTE)
    _finish(steps, _STEP_WIDTHS, row)

    details = workbook.create_sheet(DETAILS_SHEET)
    _title(details, office_name, scope, len(DETAIL_HEADERS))
    write_header(details, _HEADER_ROW, DETAIL_HEADERS)
    row = _HEADER_ROW
    for cycle in cycles:
        for step in cycle.steps:
            for part, detail in [("putaran", d) for d in step.rounds] + [
                (_detail_kind(step), d) for d in step.details
            ]:
                row += 1
                values = _detail_values(cycle, step, part, detail, tz)
                _write_row(details, row, values, late=detail.late)
    _finish(details, _DETAIL_WIDTHS, row)

    comparison = workbook.create_sheet(COMPARISON_SHEET)
    _title(comparison, office_name, scope, len(COMPARISON_HEADERS))
    write_header(comparison, _HEADER_ROW, COMPARISON_HEADERS)
    row = _HEADER_ROW
    for cycle in cycles:
        row += 1
        _write_row(comparison, row, _comparison_values(cycle), late=False)
        if cycle.sent_late:
            comparison.cell(row=row, column=len(COMPARISON_HEADERS)).fill = LATE_FILL
        for offset, step in enumerate(cycle.steps, start=3):
            if step.late:
                comparison.cell(row=row, column=offset).fill = LATE_FILL
    _finish(comparison, _COMPARISON_WIDTHS, row)
    return workbook_bytes(workbook)


def _title(sheet: Any, office_name: str, scope: str, columns: int) -> None:
    last = get_column_letter(columns)
    texts = (
        "Kepatuhan terhadap Waktu Standar SOP Pengelolaan Kinerja dan Penyusunan Laporan Kinerja",
        office_name,
        scope,
    )
    for row, text in enumerate(texts, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        if row < 3:
            cell.font = TITLE_FONT
        sheet.merge_cells(f"A{row}:{last}{row}")


def _write_row(sheet: Any, row: int, values: Sequence[object], *, late: bool) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.border = BORDER
        cell.alignment = WRAP_TOP
        if late:
            cell.fill = LATE_FILL


def _finish(sheet: Any, widths: Sequence[float], last_row: int) -> None:
    set_column_widths(sheet, widths)
    sheet.freeze_panes = f"A{_HEADER_ROW + 1}"
    if last_row > _HEADER_ROW:
        last = get_column_letter(len(widths))
        sheet.auto_filter.ref = f"A{_HEADER_ROW}:{last}{last_row}"
    print_landscape(sheet, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")


def _when(moment: datetime | None, tz: ZoneInfo) -> str:
    return format_datetime(moment, tz) if moment is not None else ""


def _verdict(late: bool | None) -> str:
    return {True: "Tidak", False: "Ya", None: ""}[late]


def _step_values(cycle: CycleCompliance, step: StepResult, tz: ZoneInfo) -> list[object]:
    measured = step.measured
    late = "; ".join(late_label(step, detail) for detail in step.late_people)
    return [
        cycle.year,
        cycle.period_label,
        step.number,
        step.spec.name,
        step.standard_label,
        _when(step.started_at, tz),
        _when(step.ended_at, tz),
        step.minutes if measured else step.status.value,
        step.working_days if step.working_days is not None else "",
        float(step.share) if step.share is not None else "",
        step.status.value,
        _verdict(step.late),
        late,
        step.returns,
    ]


def _detail_kind(step: StepResult) -> str:
    return {2: "data unit", 3: "paraf", 4: "tanda tangan"}.get(step.number, "pelaksana")


def _detail_values(
    cycle: CycleCompliance, step: StepResult, part: str, detail: Detail, tz: ZoneInfo
) -> list[object]:
    return [
        cycle.year,
        cycle.period_label,
        step.number,
        f"{part} {detail.what}" if part in ("paraf", "tanda tangan") else detail.what,
        detail.who,
        _when(detail.started_at, tz),
        _when(detail.ended_at, tz),
        detail.outcome,
        detail.minutes if detail.minutes is not None else "",
        "Ya" if detail.late else "Tidak",
        detail.note,
    ]


def _comparison_values(cycle: CycleCompliance) -> list[object]:
    durations: list[object] = []
    for step in cycle.steps:
        if not step.measured:
            durations.append(step.status.value)
        elif step.working_days is not None:
            durations.append(step.working_days)
        else:
            durations.append(step.minutes)
    finished = cycle.finished
    return [
        cycle.year,
        cycle.period_label,
        *durations,
        len(cycle.on_time),
        len(finished) - len(cycle.on_time),
        cycle.returns,
        cycle.delivery_label,
    ]
