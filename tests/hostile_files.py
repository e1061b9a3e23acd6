"""Hostile uploads, built the way an attacker (or an unlucky office) would make them.

Shared by the unit tests, the end-to-end tests and bench/bench_workbook_bombs.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import openpyxl

# A Windows program's first bytes: the MZ header and the DOS stub's message.
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + bytes(44)
    + b"\x80\x00\x00\x00"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + bytes(200)
)

# One row of a sheet, without row or cell references so that every copy is the same bytes:
# deflate then packs it some 290 times.
_REPEATED_ROW = (
    '<row><c/><c/><c/><c/><c/><c/><c t="n"><v>1</v></c>'
    '<c t="inlineStr"><is><t>xxxxxxxxxx</t></is></c></row>'
)
ZIP_BOMB_ROWS = 725_000
"""Rows that make the issue's bomb: ~260 KB packed, ~75 MB of sheet XML unpacked."""


def edited(workbook_bytes: bytes, edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    """Open a workbook with openpyxl, change it, and save it as Excel would."""
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_bomb(workbook_bytes: bytes) -> bytes:
    """The issue's first bomb: the same workbook plus one cell in Excel's last row."""

    def far_cell(workbook: openpyxl.Workbook) -> None:
        workbook.worksheets[0].cell(row=1_048_576, column=11, value="x")

    return edited(workbook_bytes, far_cell)


def rewrite_parts(workbook_bytes: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """Repack a workbook with every part passed through ``change(name, data)``."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return buffer.getvalue()


def zip_bomb(workbook_bytes: bytes, *, rows: int = ZIP_BOMB_ROWS) -> bytes:
    """The issue's second bomb: the workbook's first sheet padded with ``rows`` equal rows.

    The sheet's dimension is taken out, so only its size gives it away.
    """

    def pad(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = re.sub(r"<dimension ref=\"[^\"]*\"/>", "", data.decode())
        return text.replace("</sheetData>", _REPEATED_ROW * rows + "</sheetData>").encode()

    return rewrite_parts(workbook_bytes, pad)


def zip_of(parts: dict[str, bytes | str], *, level: int = 9) -> bytes:
    """Build a zip of the given parts, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def minimal_docx() -> bytes:
    """The smallest zip that passes for a Word document: its content types and main part."""
    return zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
