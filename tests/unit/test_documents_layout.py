"""Table columns wide enough that no word breaks in the middle ("Realisas/i").

A word breaks mid-word when it is wider than its column. The widths are measured with
DejaVu Sans, the font LibreOffice puts in for Arial on a server without Arial (the PDFs Lapkin
sends are made there) and wider than Arial, so what fits here fits in Word too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import matplotlib
import pytest
from docx import Document
from docx.table import Table
from PIL import ImageFont

from bot.documents import render_lkjip
from bot.domain.budget import BudgetLine
from tests.lkjip_data import CONTENT, small_analysis

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
CELL_PADDING_CM = 2 * 0.19  # Word's default left and right cell margins
TAG = re.compile(r"\{[{%].*?[}%]\}")  # a template tag: replaced or gone when rendered
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), 1000
    )


def _word_cm(word: str, *, points: float, bold: bool) -> float:
    return _font(bold).getlength(word) / 1000 * points / 72 * 2.54


def _too_narrow(table: Table, *, rows: slice) -> list[str]:
    """Every word of ``rows`` that is wider than its cell, as 'word: needed > width cm'."""
    problems = []
    for row in table.rows[rows]:
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per column it spans
                continue
            seen.add(id(cell._tc))
            width = cell._tc.tcPr.find(f"{W}tcW") if cell._tc.tcPr is not None else None
            if width is None:
                continue
            cm = int(width.get(f"{W}w")) / 567
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    points = run.font.size.pt if run.font.size else 12
                    for word in TAG.sub(" ", run.text).split():
                        if len(word) < 2:
                            continue  # one letter cannot break
                        needed = (
                            _word_cm(word, points=points, bold=bool(run.bold)) + CELL_PADDING_CM
                        )
                        if needed > cm:
                            problems.append(f"{word}: {needed:.2f} > {cm:.2f} cm")
    return problems


@pytest.mark.parametrize("template", ["lkjip.docx", "nota_dinas.docx", "surat_pengantar.docx"])
def test_no_header_word_is_wider_than_its_column(template: str) -> None:
    document = Document(str(TEMPLATES / template))

    problems = [
        problem for table in document.tables for problem in _too_narrow(table, rows=slice(0, 1))
    ]

    assert problems == []


def test_an_office_budget_of_billions_fits_its_columns_in_the_rows_and_the_total() -> None:
    budget = (
        BudgetLine(
            "Program Dukungan Manajemen",
            "Layanan perkantoran",
            Decimal(5_303_234_417),
            Decimal(4_999_999_999),
        ),
        BudgetLine(
            "Program Dukungan Manajemen",
            "Pengelolaan data",
            Decimal(2_000_000_000),
            Decimal(1_000_000_000),
        ),
    )
    data = render_lkjip(replace(CONTENT, analysis=small_analysis(budget=budget)))

    tables = [t for t in Document(BytesIO(data)).tables if "Penyerapan" in t.rows[0].cells[-1].text]

    assert tables, "no budget table"
    assert "Rp7.303.234.417" in "".join(c.text for c in tables[0].rows[-1].cells)
    assert _too_narrow(tables[0], rows=slice(0, None)) == []


def test_every_table_caption_stays_on_the_page_of_its_table() -> None:
    body = Document(BytesIO(render_lkjip(CONTENT))).element.body
    captions = []
    for element in body.iterchildren(f"{W}tbl"):
        before = element.getprevious()
        text = "".join(before.itertext()) if before is not None else ""
        if before is not None and before.tag == f"{W}p" and text.strip():
            style = before.find(f"{W}pPr/{W}pStyle")
            heading = style is not None and style.get(f"{W}val", "").startswith("Heading")
            kept = heading or before.find(f"{W}pPr/{W}keepNext") is not None
            captions.append((text, kept))  # a heading's style keeps it with the next

    assert len(captions) >= 5  # the summary, the PK, the scale, a sasaran's, the budget
    assert [text for text, kept in captions if not kept] == []


def test_the_budget_tables_per_sasaran_fit_a_long_program_name_and_billions() -> None:
    budget = (
        BudgetLine(
            "Program Penyelenggaraan Pemilu dan Pemilihan",
            "Pemutakhiran data pemilih berkelanjutan",
            Decimal(5_303_234_417),
            Decimal(4_999_999_999),
            ("SS 1",),
        ),
        BudgetLine(
            "Program Dukungan Manajemen",
            "Layanan perkantoran",
            Decimal(2_000_000_000),
            Decimal(1_000_000_000),
        ),
    )
    data = render_lkjip(replace(CONTENT, analysis=small_analysis(budget=budget)))

    tables = [
        t
        for t in Document(BytesIO(data)).tables
        if t.rows[0].cells[-1].text in ("Penyerapan", "Capaian")
        and t.rows[0].cells[0].text in ("Program", "No")
        and "Rp" in "".join(c.text for c in t.rows[-1].cells)
    ]

    assert len(tables) == 3  # SS 1, dukungan manajemen, the recapitulation
    assert [p for table in tables for p in _too_narrow(table, rows=slice(0, None))] == []
