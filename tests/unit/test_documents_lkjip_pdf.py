"""The LKjIP as LibreOffice prints it: the Daftar Isi, Tabel and Gambar list their pages.

Skipped only where LibreOffice is missing on a developer's machine; in CI (CI=true) the
missing program is a failure, since .ci/run installs it.
"""

from __future__ import annotations

import os
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from bot.documents import render_lkjip
from bot.documents.pdf import find_soffice
from bot.documents.pdf_indexes import convert_with_indexes
from tests.lkjip_data import office_report

CONTENT = office_report()

pytestmark = pytest.mark.skipif(
    find_soffice() is None and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (CI installs it)",
)


@pytest.fixture(scope="module")
def pages() -> list[str]:
    pdf = convert_with_indexes(render_lkjip(CONTENT))
    assert pdf is not None, "LibreOffice did not make the PDF"
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def _entry(pages: list[str], heading: str, title: str) -> str:
    page = next(text for text in pages if heading in text.splitlines()[:3])
    # An entry may wrap: its title, then dots and the page number at the end of a line.
    start = rf"^{re.escape(title)}[^\n]*?"
    found = re.search(rf"{start}\.{{3,}}\s*([ivx]+|\d+)$", page, re.M) or re.search(
        rf"{start}\n[^\n.]*\.{{3,}}\s*([ivx]+|\d+)$", page, re.M
    )
    assert found, page
    return found.group(1)


def test_the_table_of_contents_lists_every_chapter_with_its_page(pages: list[str]) -> None:
    first = next(i for i, text in enumerate(pages) if "BAB I\nPENDAHULUAN" in text)
    body = pages[first:]  # page 1 onwards
    for bab, title in (
        ("BAB I", "PENDAHULUAN"),
        ("BAB II", "PERENCANAAN KINERJA"),
        ("BAB III", "AKUNTABILITAS KINERJA"),
        ("BAB IV", "PENUTUP"),
    ):
        page = int(_entry(pages, "DAFTAR ISI", f"{bab} {title}"))
        assert f"{bab}\n{title}" in body[page - 1]
        assert body[page - 1].rstrip().endswith(str(page))  # the footer's number
    assert _entry(pages, "DAFTAR ISI", "BAB I PENDAHULUAN") == "1"


def test_the_front_matter_is_numbered_in_roman_and_the_cover_not_at_all(
    pages: list[str],
) -> None:
    assert _entry(pages, "DAFTAR ISI", "KATA PENGANTAR") == "i"
    assert _entry(pages, "DAFTAR ISI", "IKHTISAR EKSEKUTIF") == "v"
    assert not re.search(r"^\s*(\d{1,3}|[ivx]+)\s*$", pages[0], re.M)  # 2027 is the year
    assert pages[1].rstrip().endswith("\ni")  # the Kata Pengantar


def test_the_lists_of_tables_and_figures_name_each_caption_with_its_page(
    pages: list[str],
) -> None:
    assert _entry(pages, "DAFTAR TABEL", "Tabel 4 Perjanjian Kinerja Tahun 2026").isdigit()
    assert _entry(pages, "DAFTAR TABEL", "Tabel 3 Sasaran Strategis, Indikator").isdigit()
    assert _entry(pages, "DAFTAR GAMBAR", "Gambar 1 Struktur Organisasi").isdigit()
