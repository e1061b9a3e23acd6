"""How much an uploaded .xlsx may hold, checked before openpyxl reads any of it.

A workbook is a zip of XML parts, and what it costs to read is known before reading it: the
zip's directory gives every part's sizes without unpacking anything (zipfile also stops at
the declared size, so a part cannot unpack to more than its directory says), and one pass of
expat over each XML part, streaming and building no tree, finds how far each sheet reaches
and how many cells it holds. A file over the limits below is refused with a message saying
what is wrong and what to do; one within them is bounded, so openpyxl's read-only mode then
reads it in bounded time and memory. (Before these checks, a 7 KB template with one more
cell in row 1,048,576 took the bot to 1.3 GB and 17 s, a 260 KB zip of repeated rows to
2.6 GB and 71 s: see bench/bench_workbook_bombs.py.)

The limits come from the largest real office, some 20 units × 100 indicators: its PK
workbook has ~2,000 rows of ~15 columns, a unit's entry template one unit's share of them, a
budget a few hundred lines. Each limit leaves several times that.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import IO
from xml.parsers import expat

from bot.domain.files import zip_directory
from bot.domain.numbers import format_number

MAX_ROWS = 5_000
"""The last row a sheet may use: 2,000 indicators plus title rows, 2.5 times over."""
MAX_COLUMNS = 100
"""The last column a sheet may use (CV): the templates use at most ~20."""
MAX_CELLS = 200_000
"""Cells written in all sheets together, and shared strings: the 2,000 × 15 PK is 30,000."""
MAX_PARTS = 200
"""Parts in the zip: Excel writes 10–30 (sheets, styles, theme, properties, images)."""
MAX_DIRECTORY_BYTES = 256 * 1024
"""The zip's central directory: ~300 bytes a part at most; zipfile reads all of it first."""
MAX_PART_BYTES = 16 * 1024 * 1024
"""One sheet or the shared strings, unpacked: a 2,000-row sheet is ~2 MB, its text ~1 MB.
openpyxl streams these two kinds, so their size costs time, not memory."""
MAX_TREE_PART_BYTES = 2 * 1024 * 1024
"""Any other XML part, unpacked. openpyxl builds these whole in memory (a 4 MB styles.xml
took 100 MB and 1.7 s, a 16 MB one 400 MB); Excel's own are a few KB to a few hundred."""
MAX_TOTAL_BYTES = 64 * 1024 * 1024
"""All parts together, unpacked: a 20 MB upload of ordinary parts and pictures fits."""
MAX_RATIO = 100
"""Unpacked ÷ packed size of one part. Spreadsheet XML packs 5 to 30 times; a zip bomb
packs hundreds or a thousand times. Parts under RATIO_FLOOR_BYTES are exempt: small, they
are harmless whatever their ratio (a style list can repeat itself a hundred times)."""
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_GROUP_ELEMENTS = 5_000
"""XML elements in one row (or one shared string), which openpyxl holds whole while it reads
it: 100 cells with rich text of a few formatted runs each."""
MAX_OTHER_ELEMENTS = 20_000
"""Elements of a sheet outside its rows (column widths, merged cells, validations...), which
openpyxl turns into objects: a PK with a merged cell per sasaran has a few hundred."""
MAX_ELEMENTS = 1_000_000
"""Elements of all sheets and shared strings together, which bounds openpyxl's reading time
(about a second for a million): the 2,000-row PK has ~100,000."""

_CHUNK = 64 * 1024

NOT_XLSX = (
    "file ini bukan file Excel .xlsx yang dapat dibaca; buka di Excel lalu simpan sebagai "
    "Excel Workbook (.xlsx)"
)
_FRESH_COPY = (
    "salin isiannya (Tempel Nilai / Paste Values) ke template baru dari bot, simpan sebagai "
    ".xlsx, lalu kirim ulang"
)


class XlsxRefused(Exception):
    """An upload is not read: ``message`` says why and what to do, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetExtent:
    """How far a sheet's cells reach: the last row and the last column that have one."""

    rows: int
    columns: int


@dataclass
class XlsxExtent:
    """What the checks found: each sheet's extent, by the sheet part's name in the zip."""

    sheets: dict[str, SheetExtent] = field(default_factory=dict)


def check_xlsx(data: bytes) -> XlsxExtent:
    """Check an upload against the limits without unpacking it; raise XlsxRefused if over."""
    _check_directory(data)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except Exception:  # a damaged zip breaks zipfile in many ways; all mean the same here
        raise XlsxRefused(NOT_XLSX) from None
    with archive:
        parts = archive.infolist()
        _check_sizes(parts)
        extent = XlsxExtent()
        budget = _Budget()
        for part in parts:
            sheet = _scan_part(archive, part, budget)
            if sheet is not None:
                extent.sheets[part.filename] = sheet
        return extent


def _check_directory(data: bytes) -> None:
    """Refuse a zip whose directory alone would be big to read: zipfile loads it whole."""
    directory = zip_directory(data)
    if directory is None:
        raise XlsxRefused(NOT_XLSX)
    parts, directory_bytes = directory
    if parts > MAX_PARTS or directory_bytes > MAX_DIRECTORY_BYTES:
        raise _too_many_parts(parts)


def _too_many_parts(count: int) -> XlsxRefused:
    return XlsxRefused(
        f"file ini terdiri atas {_number(count)} bagian, jauh lebih banyak daripada file Excel "
        f"biasa (batasnya {MAX_PARTS}); {_FRESH_COPY}"
    )


def _check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise _too_many_parts(len(parts))
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise XlsxRefused(
                f"bagian {part.filename} dari file ini mengembang {_number(int(ratio))} kali saat "
                f"dibuka, padahal file Excel biasa paling banyak puluhan kali; {_FRESH_COPY}"
            )
        if part.file_size > MAX_PART_BYTES:
            raise XlsxRefused(
                f"bagian {part.filename} dari file ini terlalu besar bila dibuka "
                f"({_megabytes(part.file_size)} MB; batasnya {_megabytes(MAX_PART_BYTES)} MB); "
                f"{_FRESH_COPY}"
            )
    total = sum(part.file_size for part in parts)
    if total > MAX_TOTAL_BYTES:
        raise XlsxRefused(
            f"isi file ini terlalu besar bila dibuka ({_megabytes(total)} MB; batasnya "
            f"{_megabytes(MAX_TOTAL_BYTES)} MB); {_FRESH_COPY}"
        )


@dataclass
class _Budget:
    """What all the parts of one workbook have used of the shared limits."""

    cells: int = 0
    elements: int = 0


class _Done(Exception):
    """Nothing more to learn from this part."""


def _scan_part(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: _Budget
) -> SheetExtent | None:
    """Stream one part through expat; return its extent when it is a sheet."""
    scan = _PartScan(part, budget)
    parser = expat.ParserCreate()
    # No DTD: Excel never writes one, and entity declarations are how XML bombs expand.
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    try:
        with archive.open(part) as stream:
            _feed(parser, stream)
    except _Done:
        pass
    except XlsxRefused:
        raise
    except expat.ExpatError:
        if scan.kind is None:
            return None  # not XML from the first byte: a picture or a binary part
        raise XlsxRefused(NOT_XLSX) from None
    except Exception:  # a damaged part, an unknown compression, an encrypted entry
        raise XlsxRefused(NOT_XLSX) from None
    if scan.kind != "worksheet":
        return None
    return SheetExtent(scan.last_row, scan.last_column)


def _feed(parser: expat.XMLParserType, stream: IO[bytes]) -> None:
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _refuse_doctype(*_: object) -> None:
    raise XlsxRefused(NOT_XLSX)


class _PartScan:
    """Expat's callbacks for one part: the part's kind from its root, then the limits."""

    def __init__(self, part: zipfile.ZipInfo, budget: _Budget) -> None:
        self.part = part
        self.budget = budget
        self.kind: str | None = None
        self.depth = 0
        self.in_sheet_data = False
        self.group_depth = 0  # the depth of the open row (or shared string); 0: none
        self.group_elements = 0
        self.other_elements = 0
        self.row = 0  # counted as openpyxl counts: the r attribute, else one more
        self.column = 0
        self.cells_in_row = 0
        self.rows = 0
        self.last_row = 0
        self.last_column = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        self.depth += 1
        if self.kind is None:
            self._root(tag)
            return
        self.budget.elements += 1
        if self.budget.elements > MAX_ELEMENTS:
            raise _too_complex()
        if self.group_depth:
            self.group_elements += 1
            if self.group_elements > MAX_GROUP_ELEMENTS:
                raise _too_complex()
            if tag == "c" and self.depth == self.group_depth + 1:
                self._cell(attributes.get("r"))
        elif self.kind == "sst" and tag == "si" and self.depth == 2:
            self._open_group()
            self._count_cell()
        elif self.in_sheet_data and tag == "row":
            self._open_group()
            self._row(attributes.get("r"))
        elif tag == "sheetData" and self.kind == "worksheet":
            self.in_sheet_data = True
        else:
            self.other_elements += 1
            if self.other_elements > MAX_OTHER_ELEMENTS:
                raise _too_complex()
            if tag == "dimension" and self.kind == "worksheet":
                self._dimension(attributes.get("ref", ""))

    def end(self, name: str) -> None:
        if self.group_depth == self.depth:
            self.group_depth = 0
            if self.kind == "worksheet" and self.cells_in_row:
                self.last_row = max(self.last_row, self.row)
        elif self.in_sheet_data and name.rpartition(":")[2] == "sheetData":
            self.in_sheet_data = False
        self.depth -= 1

    def _root(self, tag: str) -> None:
        self.kind = tag
        if tag in ("worksheet", "sst"):
            return  # read on: openpyxl streams these, so their extent is what matters
        if self.part.file_size > MAX_TREE_PART_BYTES:
            raise XlsxRefused(
                f"bagian {self.part.filename} dari file ini terlalu besar "
                f"({_megabytes(self.part.file_size)} MB; batasnya "
                f"{_megabytes(MAX_TREE_PART_BYTES)} MB), biasanya karena terlalu banyak gaya "
                f"sel atau gambar; {_FRESH_COPY}"
            )
        raise _Done  # small enough, and past the point where a DTD could be

    def _open_group(self) -> None:
        self.group_depth = self.depth
        self.group_elements = 0

    def _count_cell(self) -> None:
        self.budget.cells += 1
        if self.budget.cells > MAX_CELLS:
            raise XlsxRefused(
                f"file ini berisi lebih dari {_number(MAX_CELLS)} sel, jauh lebih banyak daripada "
                f"template Lapkin; {_FRESH_COPY}"
            )

    def _row(self, reference: str | None) -> None:
        self.row = _whole_number(reference) if reference is not None else self.row + 1
        self.rows += 1
        self.column = 0
        self.cells_in_row = 0
        if self.row > MAX_ROWS or self.rows > MAX_ROWS:
            raise _beyond(None, max(self.row, self.rows), 1)

    def _cell(self, reference: str | None) -> None:
        self._count_cell()
        self.cells_in_row += 1
        if reference is None:
            self.column += 1
            row = self.row
        else:
            row, self.column = _coordinate(reference)
        column = max(self.column, self.cells_in_row)
        if row > MAX_ROWS or column > MAX_COLUMNS:
            raise _beyond(reference or f"{_letters(column)}{row}", row, column)
        self.last_column = max(self.last_column, column)

    def _dimension(self, reference: str) -> None:
        """Refuse at once a sheet that says it reaches past the limits (Excel says true)."""
        last = reference.rpartition(":")[2].replace("$", "")
        if not last:
            return
        try:
            row, column = _coordinate(last)
        except XlsxRefused:
            return  # a dimension is only a hint to openpyxl; the cells decide
        if row > MAX_ROWS or column > MAX_COLUMNS:
            raise _beyond(None, row, column)


def _beyond(reference: str | None, row: int, column: int) -> XlsxRefused:
    if row > MAX_ROWS:
        where, limit = f"baris {_number(row)}", f"baris {_number(MAX_ROWS)}"
        fix = "hapus baris kosong di bawah tabel (blok barisnya, klik kanan, Delete)"
    else:
        where, limit = f"kolom {_letters(column)}", f"kolom {_letters(MAX_COLUMNS)}"
        fix = "hapus kolom kosong di kanan tabel (blok kolomnya, klik kanan, Delete)"
    cell = f" (sel {reference})" if reference else ""
    return XlsxRefused(
        f"lembar kerja di file ini terpakai sampai {where}{cell}, padahal bot hanya membaca "
        f"sampai {limit}; {fix}, simpan, lalu kirim ulang; atau {_FRESH_COPY}"
    )


def _too_complex() -> XlsxRefused:
    return XlsxRefused(
        "susunan lembar kerja di file ini terlalu rumit untuk dibaca bot (terlalu banyak "
        f"format, sel gabungan atau teks berformat); {_FRESH_COPY}"
    )


def _whole_number(text: str) -> int:
    """Read a row number as openpyxl does ("7", or "7.0" from some programs)."""
    try:
        number = float(text)
        if not number.is_integer():
            raise ValueError(text)
        return int(number)
    except (ValueError, OverflowError):
        raise XlsxRefused(NOT_XLSX) from None


def _coordinate(reference: str) -> tuple[int, int]:
    """Return (row, column) of a cell reference such as 'K1048576'."""
    letters = reference.rstrip("0123456789")
    digits = reference[len(letters) :]
    if not digits or not letters or len(letters) > 3 or not letters.isalpha():
        raise XlsxRefused(NOT_XLSX)
    column = 0
    for letter in letters.upper():
        if not "A" <= letter <= "Z":
            raise XlsxRefused(NOT_XLSX)
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(digits), column


def _letters(column: int) -> str:
    """Return the column letters of a column number (1 → A, 100 → CV)."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _number(value: int) -> str:
    return format_number(Decimal(value))


def _megabytes(size: int) -> str:
    return format_number(Decimal(size) / (1024 * 1024), max_decimals=1)
