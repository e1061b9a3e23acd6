"""Hostile files: bytes that are not what their name says, and workbooks built to exhaust us."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import openpyxl.xml
import pytest

from bot.documents import WorkbookError, parse_entry_workbook
from bot.documents import xlsx_guard as guard
from bot.documents.xlsx_guard import NOT_XLSX, SheetExtent, XlsxRefused, check_xlsx
from bot.domain.files import OLE2_SIGNATURE, content_refusal, describe_content
from tests.entry_data import fill_some, filled
from tests.hostile_files import (
    EXECUTABLE,
    minimal_docx,
    rewrite_parts,
    row_bomb,
    zip_bomb,
    zip_of,
)
from tests.standin import tiny_png

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------ sniffing


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("bukti.pdf", lambda: PDF),
        ("foto.png", tiny_png),
        ("foto.jpg", lambda: JPEG),
        ("Foto.JPEG", lambda: JPEG),
        ("laporan.docx", minimal_docx),
        ("rekap.xlsx", xlsx),
        ("catatan.txt", lambda: b"anything: the kind itself is evidence_refusal's to judge"),
    ],
)
def test_files_that_are_what_their_names_say_pass(name: str, make: object) -> None:
    assert callable(make)
    assert content_refusal(name, make()) is None


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("laporan.pdf", lambda: EXECUTABLE, "isinya bukan PDF (tampaknya sebuah program Windows"),
        ("foto.png", lambda: JPEG, "isinya bukan gambar PNG (tampaknya sebuah gambar JPEG)"),
        ("foto.jpg", tiny_png, "isinya bukan gambar JPEG (tampaknya sebuah gambar PNG)"),
        (
            "laporan.docx",
            xlsx,
            "bukan dokumen Word (.docx) (tampaknya sebuah buku kerja Excel (.xlsx))",
        ),
        ("rekap.xlsx", minimal_docx, "bukan buku kerja Excel (.xlsx) (tampaknya sebuah dokumen"),
        (
            "rekap.xlsx",
            lambda: zip_of({"xl/workbook.xml": "<workbook/>"}),
            "(tampaknya sebuah buku kerja Excel",  # a zip without [Content_Types].xml
        ),
        ("rekap.xlsx", lambda: zip_of({"a.txt": "x"}), "(tampaknya sebuah arsip zip)"),
        ("rekap.xlsx", lambda: b"PK\x03\x04" + bytes(50), "(tampaknya sebuah arsip zip)"),
        ("laporan.docx", lambda: OLE2_SIGNATURE + bytes(512), "dokumen Office lama"),
        ("laporan.pdf", lambda: b"<!DOCTYPE html><html>", "halaman web (HTML)"),
        ("laporan.pdf", lambda: b"", "isinya bukan PDF. Mohon kirim berkas aslinya"),
    ],
)
def test_files_whose_bytes_are_something_else_are_refused_saying_what_they_seem(
    name: str, make: object, expected: str
) -> None:
    assert callable(make)
    refusal = content_refusal(name, make())

    assert refusal is not None and expected in refusal, refusal
    assert refusal.startswith(f'Maaf, berkas "{name}" tidak dapat diterima')


def test_a_zip_whose_directory_is_huge_is_not_read_to_be_sniffed() -> None:
    names = {f"{n:06d}": "" for n in range(30_000)}  # ~1.3 MB of directory
    names.update({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})

    assert content_refusal("laporan.docx", zip_of(names, level=1)) is not None
    assert describe_content(zip_of(names, level=1)) == "sebuah arsip zip"


# ------------------------------------------------------------------------ workbook limits


def refusal_of(data: bytes) -> str:
    with pytest.raises(XlsxRefused) as caught:
        check_xlsx(data)
    return caught.value.message


def test_openpyxl_reads_xml_through_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML


def test_a_filled_template_passes_and_its_extent_is_its_cells() -> None:
    extent = check_xlsx(filled(fill_some))

    assert extent.sheets == {
        "xl/worksheets/sheet1.xml": SheetExtent(rows=12, columns=12),
        "xl/worksheets/sheet2.xml": SheetExtent(rows=11, columns=2),
    }


def test_the_template_with_one_cell_in_the_last_row_is_refused_politely() -> None:
    with pytest.raises(WorkbookError) as caught:
        parse_entry_workbook(row_bomb(filled(fill_some)))

    message = caught.value.report()
    assert "terpakai sampai baris 1.048.576," in message
    assert "hanya membaca sampai baris 5.000" in message
    assert "hapus baris kosong di bawah tabel" in message


def test_a_far_cell_is_found_even_when_the_dimension_lies() -> None:
    def lie(name: str, data: bytes) -> bytes:
        return data.replace(b'<dimension ref="A1:K1048576"/>', b'<dimension ref="A1:K12"/>')

    bomb = rewrite_parts(row_bomb(filled(fill_some)), lie)
    assert (
        b"K1048576" not in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")[:800]
    )

    assert "terpakai sampai baris 1.048.576," in refusal_of(bomb)


def test_a_far_column_is_refused() -> None:
    def far_column(workbook: openpyxl.Workbook) -> None:
        workbook["Isian"].cell(row=3, column=16_384, value="x")

    from tests.hostile_files import edited

    message = refusal_of(edited(filled(fill_some), far_column))
    assert "sampai kolom XFD," in message and "sampai kolom CV" in message


def test_rows_without_references_are_counted_as_openpyxl_counts_them() -> None:
    rows = "<row><c><v>1</v></c></row>" * (guard.MAX_ROWS + 1)
    sheet = f'<worksheet xmlns="x"><sheetData>{rows}</sheetData></worksheet>'

    message = refusal_of(zip_of({"xl/worksheets/sheet1.xml": sheet}))
    assert "sampai baris 5.001" in message


def test_the_zip_bomb_is_refused_for_how_much_it_unpacks() -> None:
    bomb = zip_bomb(filled(fill_some))
    assert len(bomb) < 300_000

    message = refusal_of(bomb)
    assert "bagian xl/worksheets/sheet1.xml dari file ini mengembang" in message
    assert "kali saat dibuka" in message


@pytest.mark.parametrize(
    ("limit", "value", "parts", "expected"),
    [
        ("MAX_PART_BYTES", 50_000, {"xl/worksheets/sheet1.xml": "<a/>" * 20_000}, "terlalu besar"),
        ("MAX_TOTAL_BYTES", 50_000, {"a.bin": "x" * 30_000, "b.bin": "y" * 30_000}, "0,1 MB"),
        ("MAX_PARTS", 3, {f"p{n}": "" for n in range(4)}, "terdiri atas 4 bagian"),
        ("MAX_TREE_PART_BYTES", 1_000, {"xl/styles.xml": "<styleSheet>" + " " * 2_000}, "gaya sel"),
        (
            "MAX_CELLS",
            10,
            {
                "s.xml": "<worksheet><sheetData><row>"
                + "<c/>" * 11
                + "</row></sheetData></worksheet>"
            },
            "lebih dari 10 sel",
        ),
        (
            "MAX_CELLS",
            10,
            {"xl/sharedStrings.xml": "<sst>" + "<si><t>a</t></si>" * 11 + "</sst>"},
            "lebih dari 10 sel",
        ),
        (
            "MAX_GROUP_ELEMENTS",
            20,
            {
                "s.xml": "<worksheet><sheetData><row>"
                + "<c><v/></c>" * 11
                + "</row></sheetData></worksheet>"
            },
            "terlalu rumit",
        ),
        (
            "MAX_OTHER_ELEMENTS",
            20,
            {
                "s.xml": "<worksheet><mergeCells>"
                + "<mergeCell/>" * 20
                + "</mergeCells></worksheet>"
            },
            "terlalu rumit",
        ),
        (
            "MAX_ELEMENTS",
            20,
            {
                "s.xml": "<worksheet><sheetData>"
                + "<row><c/></row>" * 11
                + "</sheetData></worksheet>"
            },
            "terlalu rumit",
        ),
    ],
)
def test_each_limit_refuses_with_what_is_wrong_and_what_to_do(
    monkeypatch: pytest.MonkeyPatch, limit: str, value: int, parts: dict[str, str], expected: str
) -> None:
    monkeypatch.setattr(guard, limit, value)

    message = refusal_of(zip_of(dict(parts.items())))  # type: ignore[arg-type]
    assert expected in message, message
    assert "template baru dari bot" in message


def test_a_billion_laughs_is_refused_before_it_expands() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<workbook>&lol2;</workbook>"
    )
    assert refusal_of(zip_of({"xl/workbook.xml": laughs})) == NOT_XLSX


@pytest.mark.parametrize(
    "data",
    [
        b"not a zip at all",
        b"PK\x03\x04" + bytes(100),
        zip_of({"xl/worksheets/s.xml": "<worksheet><row"}),
    ],
    ids=["text", "broken-zip", "broken-sheet"],
)
def test_what_is_no_workbook_at_all_says_so(data: bytes) -> None:
    assert refusal_of(data) == NOT_XLSX


def test_pictures_and_other_binary_parts_are_left_alone() -> None:
    extent = check_xlsx(zip_of({"xl/media/image1.png": tiny_png(), "xl/printer.bin": b"\x00\x01"}))

    assert extent.sheets == {}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ('<row r="3"><c r="K6000"><v>1</v></c></row>', "sampai baris 6.000 (sel K6000)"),
        ('<row r="3"><c r="XFD3"><v>1</v></c></row>', "sampai kolom XFD (sel XFD3)"),
        ("<row>" + "<c/>" * 101 + "</row>", "sampai kolom CW (sel CW1)"),
    ],
)
def test_the_cell_that_reaches_too_far_is_named(row: str, expected: str) -> None:
    sheet = f"<worksheet><sheetData>{row}</sheetData></worksheet>"

    assert expected in refusal_of(zip_of({"xl/worksheets/sheet1.xml": sheet}))
