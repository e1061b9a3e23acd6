"""The per-unit entry template (.xlsx): built for one unit and cycle, read back when uploaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter

from bot.documents.errors import WorkbookError, WorkbookProblem
from bot.documents.workbooks import (
    BORDER,
    ENTRY_FILL,
    TITLE_FONT,
    WRAP_TOP,
    RawValue,
    cell_raw_value,
    cell_text,
    new_workbook,
    normalise_header,
    open_workbook,
    print_landscape,
    set_column_widths,
    workbook_bytes,
    write_header,
)
from bot.domain.dates import format_day

SHEET = "Isian"
META_SHEET = "_lapkin"
META_FORMAT = "lapkin-isian"
FORMAT_VERSION = 2  # 2 added the Faktor Pendukung column

HEADERS = (
    "No",
    "Kode",
    "Sasaran Strategis",
    "Indikator Kinerja",
    "Satuan",
    "Target",
    "Realisasi",
    "Penjelasan",
    "Faktor Pendukung",
    "Faktor Penghambat (Kendala)",
    "Upaya / Alternatif Solusi",
    "Bukti Wajib",
)
# A template of format 1 (sent before the faktor pendukung was asked) is still read: a unit
# may fill the copy it received at the start of the period and send it after an upgrade.
HEADERS_V1 = (
    "No",
    "Kode",
    "Sasaran Strategis",
    "Indikator Kinerja",
    "Satuan",
    "Target",
    "Realisasi",
    "Penjelasan",
    "Kendala",
    "Upaya Tindak Lanjut",
    "Bukti Wajib",
)
_LAYOUTS = {FORMAT_VERSION: HEADERS, 1: HEADERS_V1}
# Where each answer is in a layout: the header it has there (the first one found).
_FIELD_HEADERS = {
    "realisasi": ("Realisasi",),
    "penjelasan": ("Penjelasan",),
    "pendukung": ("Faktor Pendukung",),
    "kendala": ("Faktor Penghambat (Kendala)", "Kendala"),
    "upaya": ("Upaya / Alternatif Solusi", "Upaya Tindak Lanjut"),
}
_WIDTHS = (5, 10, 30, 45, 12, 14, 14, 40, 36, 32, 32, 11)
_CODE = 2
HEADER_ROW = 8  # where build_entry_workbook puts it; parsing searches, in case rows moved
_HEADER_SEARCH_ROWS = 30

_NOT_OURS = "bukan template isian Lapkin; unduh template dari bot"
_INSTRUCTIONS = (
    "Isi kolom berwarna kuning: Realisasi (angka, misalnya 85,5), Penjelasan, Faktor "
    'Pendukung (wajib untuk setiap indikator), Faktor Penghambat (tulis "tidak ada" bila tidak '
    "ada hambatan) dan Upaya / Alternatif Solusi (wajib bila capaian di bawah 100%). Kolom lain "
    "dikunci. Setelah selesai, kirim file ini ke bot Lapkin; bukti dukung dikirim terpisah "
    "melalui bot."
)


def _columns(headers: Sequence[str]) -> dict[str, int | None]:
    """The column of each answer in a layout (None: the layout has no such column)."""
    found: dict[str, int | None] = {}
    for name, candidates in _FIELD_HEADERS.items():
        found[name] = next(
            (headers.index(header) + 1 for header in candidates if header in headers), None
        )
    return found


_ENTRY_COLUMNS = _columns(HEADERS)
ENTRY_COLUMNS = tuple(column for column in _ENTRY_COLUMNS.values() if column is not None)


@dataclass(frozen=True)
class EntryWorkbookMeta:
    """Which unit, year, period and cycle an entry template belongs to."""

    office_code: str
    office_name: str
    unit_code: str
    unit_name: str
    year: int
    period: str
    period_label: str
    cycle_id: int
    deadline: date


@dataclass(frozen=True)
class EntryTemplateRow:
    """One indicator as pre-filled in the template."""

    code: str
    sasaran: str
    name: str
    satuan: str
    target_text: str
    evidence_required: bool


@dataclass(frozen=True)
class EntryRow:
    """One indicator row a unit filled in, as found in the uploaded file."""

    row_number: int  # the spreadsheet row, for messages such as "Isian baris 9"
    code: str
    realisasi: RawValue
    penjelasan: str | None
    pendukung: str | None
    kendala: str | None
    upaya: str | None


@dataclass(frozen=True)
class ParsedEntryWorkbook:
    """An uploaded entry template: whose it is, and what was filled in."""

    meta: EntryWorkbookMeta
    rows: list[EntryRow]
    asks_pendukung: bool = True  # False for a template of format 1 (no Faktor Pendukung)


def build_entry_workbook(meta: EntryWorkbookMeta, rows: Sequence[EntryTemplateRow]) -> bytes:
    """Build the .xlsx a unit fills in: indicators locked, the four entry columns open."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _write_title_block(sheet, meta)
    write_header(sheet, HEADER_ROW, HEADERS)
    for index, row in enumerate(rows, start=1):
        _write_row(sheet, HEADER_ROW + index, index, row)
    set_column_widths(sheet, _WIDTHS)
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    print_landscape(sheet, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(sheet)
    _write_meta(workbook.create_sheet(META_SHEET), meta)
    workbook.active = 0
    return workbook_bytes(workbook)


def _write_title_block(sheet: Any, meta: EntryWorkbookMeta) -> None:
    last = get_column_letter(len(HEADERS))
    sheet["A1"] = f"ISIAN DATA CAPAIAN KINERJA {meta.period_label.upper()}"
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = meta.office_name
    sheet["A2"].font = TITLE_FONT
    sheet["A3"] = f"Sub Bagian: {meta.unit_name}"
    sheet["A4"] = f"Periode: {meta.period_label}"
    sheet["A5"] = f"Batas waktu: {format_day(meta.deadline)}"
    sheet["A6"] = _INSTRUCTIONS
    sheet["A6"].alignment = WRAP_TOP
    sheet.merge_cells(f"A6:{last}6")
    sheet.row_dimensions[6].height = 32


def _write_row(sheet: Any, row_number: int, index: int, row: EntryTemplateRow) -> None:
    values: tuple[object, ...] = (
        index,
        row.code,
        row.sasaran,
        row.name,
        row.satuan,
        row.target_text,
        None,
        None,
        None,
        None,
        None,
        "Ya" if row.evidence_required else "Tidak",
    )
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row_number, column=column, value=value)
        cell.border = BORDER
        cell.alignment = WRAP_TOP
        if column in ENTRY_COLUMNS:
            cell.fill = ENTRY_FILL
            cell.protection = Protection(locked=False)


def _protect(sheet: Any) -> None:
    # No password: the lock only keeps people from typing into the wrong cells, and they may
    # still widen columns and rows to read long text.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_meta(sheet: Any, meta: EntryWorkbookMeta) -> None:
    sheet.sheet_state = "hidden"
    pairs: tuple[tuple[str, object], ...] = (
        ("format", META_FORMAT),
        ("format_version", FORMAT_VERSION),
        ("office_code", meta.office_code),
        ("office_name", meta.office_name),
        ("unit_code", meta.unit_code),
        ("unit_name", meta.unit_name),
        ("year", meta.year),
        ("period", meta.period),
        ("period_label", meta.period_label),
        ("cycle_id", meta.cycle_id),
        # ISO text rather than a date cell, so no spreadsheet program reinterprets it.
        ("deadline", meta.deadline.isoformat()),
    )
    for key, value in pairs:
        sheet.append([key, value])
    sheet.protection.sheet = True


def parse_entry_workbook(data: bytes) -> ParsedEntryWorkbook:
    """Read an uploaded entry template, or raise WorkbookError for a file that cannot be used."""
    workbook = open_workbook(data)
    meta, version = _read_meta(workbook)
    if SHEET not in workbook.sheetnames:
        raise _problem(None, None, None, f"lembar '{SHEET}' tidak ditemukan; {_NOT_OURS}")
    sheet = workbook[SHEET]
    headers = _LAYOUTS[version]
    header_row = _check_header(sheet, headers)
    columns = _columns(headers)
    realisasi_column = columns["realisasi"]
    assert realisasi_column is not None  # every layout has it
    rows: list[EntryRow] = []
    indicator_rows = 0
    for row_number in range(header_row + 1, sheet.max_row + 1):
        code = cell_text(sheet.cell(row=row_number, column=_CODE).value)
        cell = sheet.cell(row=row_number, column=realisasi_column)
        realisasi = cell_raw_value(cell.value, cell.number_format)
        notes = {
            name: None if column is None else cell_text(sheet.cell(row_number, column).value)
            for name, column in columns.items()
            if name != "realisasi"
        }
        if code is not None:
            indicator_rows += 1
        if realisasi is None and not any(notes.values()):
            continue
        rows.append(EntryRow(row_number=row_number, code=code or "", realisasi=realisasi, **notes))
    if not indicator_rows:
        raise _problem(
            SHEET,
            None,
            None,
            "tidak ada baris indikator di bawah judul kolom; unduh template dari bot",
        )
    if not rows:
        raise _problem(
            SHEET,
            None,
            None,
            "belum ada yang diisi; kolom isian (Realisasi sampai Upaya) masih kosong semua",
        )
    return ParsedEntryWorkbook(meta, rows, asks_pendukung=columns["pendukung"] is not None)


def _problem(sheet: str | None, row: int | None, column: str | None, message: str) -> WorkbookError:
    return WorkbookError([WorkbookProblem(sheet, row, column, message)])


def _read_meta(workbook: Any) -> tuple[EntryWorkbookMeta, int]:
    """Read whose the template is, and its format version (which says its columns)."""
    if META_SHEET not in workbook.sheetnames:
        raise _problem(None, None, None, _NOT_OURS)
    values: dict[str, object] = {}
    for key, value, *_ in workbook[META_SHEET].iter_rows(max_col=2, values_only=True):
        if isinstance(key, str):
            values[key.strip()] = value
    if values.get("format") != META_FORMAT:
        raise _problem(None, None, None, _NOT_OURS)
    try:
        version = _as_int(values.get("format_version"))
    except ValueError:
        version = 0
    if version not in _LAYOUTS:
        raise _problem(
            None, None, None, "versi template isian tidak dikenal; unduh template baru dari bot"
        )
    try:
        meta = EntryWorkbookMeta(
            office_code=_as_str(values["office_code"]),
            office_name=_as_str(values["office_name"]),
            unit_code=_as_str(values["unit_code"]),
            unit_name=_as_str(values["unit_name"]),
            year=_as_int(values["year"]),
            period=_as_str(values["period"]),
            period_label=_as_str(values["period_label"]),
            cycle_id=_as_int(values["cycle_id"]),
            deadline=_as_date(values["deadline"]),
        )
        return meta, version
    except (KeyError, TypeError, ValueError):
        raise _problem(
            None,
            None,
            None,
            "data pengenal template rusak atau tidak lengkap; unduh template baru dari bot",
        ) from None


def _as_str(value: object) -> str:
    text = cell_text(value)
    if text is None:
        raise ValueError("empty")
    return text


def _as_int(value: object) -> int:
    # A program that re-saves the file may turn 7 into 7.0 or into the text "7".
    if isinstance(value, bool) or value is None:
        raise ValueError("not a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not a whole number")
        return int(value)
    return int(str(value).strip())


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _check_header(sheet: Any, headers: Sequence[str]) -> int:
    """Find the header row and check its titles against the template's layout."""
    header_row = next(
        (
            row
            for row in range(1, min(sheet.max_row, _HEADER_SEARCH_ROWS) + 1)
            if normalise_header(sheet.cell(row=row, column=1).value) == "no"
        ),
        None,
    )
    if header_row is None:
        raise _problem(
            SHEET,
            None,
            None,
            f"baris judul kolom ({', '.join(headers[:4])}, ...) tidak ditemukan; {_NOT_OURS}",
        )
    problems = []
    for column, expected in enumerate(headers, start=1):
        found = sheet.cell(row=header_row, column=column).value
        if normalise_header(found) != normalise_header(expected):
            written = cell_text(found)
            now = f"tertulis '{written}'" if written else "kosong"
            problems.append(
                WorkbookProblem(
                    SHEET,
                    header_row,
                    get_column_letter(column),
                    f"judul kolom seharusnya '{expected}', {now}; jangan mengubah judul kolom, "
                    "unduh template baru dari bot",
                )
            )
    if problems:
        raise WorkbookError(problems)
    return header_row
