"""What every Lapkin workbook shares: safe opening of uploads, reading cells, the house style."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot.documents.errors import WorkbookError, WorkbookProblem
from bot.domain.files import MAX_UPLOAD_BYTES
from bot.domain.numbers import format_number

# Excel writes both legacy .xls files and encrypted .xlsx files as OLE2 compound files.
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")

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


def open_workbook(data: bytes) -> Any:
    """Open uploaded ``data`` as an .xlsx workbook, or raise WorkbookError saying why not."""
    if len(data) > MAX_UPLOAD_BYTES:
        size = format_number(Decimal(len(data)) / (1024 * 1024), max_decimals=1)
        raise _file_problem(f"file terlalu besar ({size} MB); batasnya 20 MB")
    if not data:
        raise _file_problem("file kosong (0 byte); kirim ulang file .xlsx-nya")
    if data.startswith(OLE2_SIGNATURE):
        raise _file_problem(
            "file ini dilindungi kata sandi atau berformat .xls lama; simpan ulang sebagai "
            ".xlsx tanpa kata sandi"
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (extensions, slicers): harmless here.
            warnings.simplefilter("ignore")
            return load_workbook(BytesIO(data), data_only=True)
    except Exception:  # an upload can break openpyxl in many ways; all mean the same here
        raise _file_problem(
            "file ini bukan file Excel .xlsx yang dapat dibaca; buka di Excel lalu simpan "
            "sebagai Excel Workbook (.xlsx)"
        ) from None


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
