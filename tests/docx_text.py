"""Reading a rendered .docx as a reader would: its paragraphs and its tables' rows."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.oxml.ns import qn


def paragraphs(data: bytes) -> list[str]:
    """Return the text of every paragraph of the body, tables included, in document order."""
    body = Document(BytesIO(data)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def table_rows(data: bytes, *header: str) -> list[list[str]]:
    """Return the rows of every table whose header row starts with ``header``."""
    rows = []
    for table in Document(BytesIO(data)).tables:
        cells = [cell.text for cell in table.rows[0].cells]
        if cells[: len(header)] == list(header):
            rows += [[cell.text for cell in row.cells] for row in table.rows]
    return rows


def section(text: list[str], start: str, end: str, *, after: int = 0) -> list[str]:
    """Return the paragraphs from the first ``start`` (at or after index ``after``) to the
    next ``end``."""
    first = text.index(start, after)
    return text[first : text.index(end, first + 1)]
