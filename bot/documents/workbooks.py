"""What every Lapkin workbook shares: safe reading of uploads, reading cells, the house style."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot.documents.errors import WorkbookError, WorkbookProblem
from bot.documents.xlsx_guard import (
    MAX_COLUMNS,
    MAX_ROWS,
    NOT_XLSX,
    SheetExtent,
    XlsxExtent,
    XlsxRefused,
    check_xlsx,
)
from bot.domain.files import MAX_UPLOAD_BYTES, OLE2_SIGNATURE
from bot.domain.numbers import format_number

MAX_WORKBOOK_BYTES = MAX_UPLOAD_BYTES
"""The largest workbook read, whatever MAX_UPLOAD_MB allows for evidence scans: the limits in
bot.documents.xlsx_guard are sized for a workbook of at most this (the largest office's PK
is well under 1 MB), so a bigger upload is refused before they are even checked."""

RawValue = Decimal | str | None
"""A cell as read: a number, text for the caller's ``parse_number``, or nothing."""

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="D9E1F2")
ENTRY_FILL = PatternFill("solid", start_color="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")

# Quoted text, escaped characters and [colour]/[$-421] codes in a number format are not
# operators, so a '%' inside them does not scale the value.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass(frozen=True, slots=True)
class ReadCell:
    """One cell of an uploaded sheet: where it is, what it holds, how it is formatted."""

    row: int
    column: int
    value: Any = None
    number_format: str = "General"


class SheetGrid:
    """An uploaded sheet's cells, read once: what the parsers look up by row and column.

    openpyxl's read-only mode streams a sheet and cannot be asked for a cell without reading
    the sheet again from the top, so the cells that hold something are kept here, as many
    as the limits of bot.documents.xlsx_guard allow.
    """

    def __init__(self, title: str, cells: dict[tuple[int, int], ReadCell]) -> None:
        self.title = title
        self._cells = cells
        self.max_row = max((row for row, _ in cells), default=1)
        self.max_column = max((column for _, column in cells), default=1)

    def cell(self, row: int, column: int) -> ReadCell:
        """Return the cell at ``row``, ``column`` (an empty one when nothing is there)."""
        return self._cells.get((row, column)) or ReadCell(row, column)

    def __getitem__(self, row: int) -> tuple[ReadCell, ...]:
        """Return a row's cells, from column A to the sheet's last column."""
        return tuple(self.cell(row, column) for column in range(1, self.max_column + 1))

    def iter_rows(
        self,
        *,
        min_row: int = 1,
        max_row: int | None = None,
        max_col: int | None = None,
        values_only: bool = True,
    ) -> Iterator[tuple[Any, ...]]:
        """Yield the values of rows ``min_row`` to ``max_row``, as openpyxl's iter_rows does."""
        last_column = max_col or self.max_column
        for row in range(min_row, min(max_row or self.max_row, self.max_row) + 1):
            cells = (self.cell(row, column) for column in range(1, last_column + 1))
            yield tuple(cell.value if values_only else cell for cell in cells)


class UploadedWorkbook:
    """An uploaded workbook's sheets, by name and in order."""

    def __init__(self, sheets: list[SheetGrid]) -> None:
        self.worksheets = sheets
        self.sheetnames = [sheet.title for sheet in sheets]

    def __getitem__(self, name: str) -> SheetGrid:
        return self.worksheets[self.sheetnames.index(name)]


def open_workbook(data: bytes) -> UploadedWorkbook:
    """Read uploaded ``data`` as an .xlsx workbook, or raise WorkbookError saying why not.

    The file is checked against bot.documents.xlsx_guard's limits first, and then read by
    openpyxl in read-only mode no further than its cells reach: a hostile file is refused
    before it costs memory, and a good one costs little.
    """
    if len(data) > MAX_WORKBOOK_BYTES:
        size = format_number(Decimal(len(data)) / (1024 * 1024), max_decimals=1)
        limit = MAX_WORKBOOK_BYTES // (1024 * 1024)
        raise _file_problem(f"file terlalu besar ({size} MB); batasnya {limit} MB")
    if not data:
        raise _file_problem("file kosong (0 byte); kirim ulang file .xlsx-nya")
    if data.startswith(OLE2_SIGNATURE):
        raise _file_problem(
            "file ini dilindungi kata sandi atau berformat .xls lama; simpan ulang sebagai "
            ".xlsx tanpa kata sandi"
        )
    try:
        extent = check_xlsx(data)
    except XlsxRefused as refused:
        raise _file_problem(refused.message) from None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (extensions, slicers): harmless here.
            warnings.simplefilter("ignore")
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
            try:
                return UploadedWorkbook([_read_sheet(s, extent) for s in workbook.worksheets])
            finally:
                workbook.close()
    except Exception:  # an upload can break openpyxl in many ways; all mean the same here
        raise _file_problem(NOT_XLSX) from None


def _read_sheet(sheet: Any, extent: XlsxExtent) -> SheetGrid:
    """Keep the cells of a read-only sheet that hold something, as far as its cells reach."""
    # The part's name is how the guard's findings meet openpyxl's sheets; every part of the
    # zip was checked, so the limits themselves are a safe bound should the names not meet.
    found = extent.sheets.get(getattr(sheet, "_worksheet_path", ""))
    bounds = found or SheetExtent(MAX_ROWS, MAX_COLUMNS)
    cells: dict[tuple[int, int], ReadCell] = {}
    if bounds.rows and bounds.columns:
        for row in sheet.iter_rows(min_row=1, max_row=bounds.rows, max_col=bounds.columns):
            for cell in row:
                if cell.value is not None:
                    number_format = cell.number_format or "General"
                    key = (cell.row, cell.column)
                    cells[key] = ReadCell(cell.row, cell.column, cell.value, number_format)
    return SheetGrid(sheet.title, cells)


def _file_problem(message: str) -> WorkbookError:
    return WorkbookError([WorkbookProblem(None, None, None, message)])


def is_percent_format(number_format: str) -> bool:
    """Tell whether a number format shows the value times 100 with a % sign."""
    return "%" in _FORMAT_LITERALS.sub("", number_format or "")


def tidy_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros (85.500 → 85.5) without switching to exponent notation."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def cell_text(value: object) -> str | None:
    """Return a cell's content as stripped text, or None when it is empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    text = " ".join(str(value).split())
    return text or None


def cell_raw_value(value: object, number_format: str) -> RawValue:
    """Return a number cell as Decimal (percent formats times 100), other content as text."""
    if isinstance(value, bool | date | datetime | time):
        return cell_text(value)
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:  # NaN or infinity from a broken formula
            return cell_text(value)
        if is_percent_format(number_format):
            number *= 100
        return tidy_decimal(number)
    return cell_text(value)


def normalise_header(text: object) -> str:
    """Return header text compared leniently: spaces collapsed, case ignored."""
    return " ".join(str(text or "").split()).casefold()


def set_column_widths(sheet: Any, widths: Iterable[float]) -> None:
    """Set the widths of the first columns, in Excel's character units."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_header(sheet: Any, row: int, headers: Iterable[str]) -> None:
    """Write a bold, shaded, bordered header row."""
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = HEADER_ALIGNMENT


def print_landscape(sheet: Any, *, title_rows: str) -> None:
    """Print on landscape A4, one page wide, repeating ``title_rows`` (e.g. '8:8')."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def new_workbook() -> Any:
    """Return an empty workbook whose author is Lapkin."""
    workbook = Workbook()
    workbook.properties.creator = "Lapkin"
    return workbook


def workbook_bytes(workbook: Any) -> bytes:
    """Serialise ``workbook`` to .xlsx bytes; no cell in it is a formula.

    openpyxl stores any text that starts with "=" as a formula, so a penjelasan typed as
    =HYPERLINK(...) would become a live formula in the office's workbook. Lapkin writes no
    formulas of its own: every such cell is stored as the text it is.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_guide(
    sheet: Any,
    notes: Sequence[str],
    columns: Sequence[tuple[str, str]],
    *,
    first_width: float,
) -> None:
    """Write a "Petunjuk" sheet: numbered notes, then a table explaining each column."""
    for row, note in enumerate(notes, start=1):
        sheet.cell(row=row, column=1, value=note)
    sheet["A1"].font = TITLE_FONT
    first = len(notes) + 2
    write_header(sheet, first, ("Kolom", "Keterangan"))
    for offset, (column, text) in enumerate(columns, start=1):
        for index, value in enumerate((column, text), start=1):
            cell = sheet.cell(row=first + offset, column=index, value=value)
            cell.alignment = WRAP_TOP
            cell.border = BORDER
        sheet.cell(row=first + offset, column=1).font = HEADER_FONT
    set_column_widths(sheet, (first_width, 100))
