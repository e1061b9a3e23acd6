"""The per-unit entry template: built, filled in as a person would, and read back."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.documents import (
    EntryRow,
    WorkbookError,
    build_entry_workbook,
    parse_entry_workbook,
)
from bot.documents.entry_workbook import HEADER_ROW, HEADERS
from bot.documents.workbooks import OLE2_SIGNATURE, is_percent_format
from tests.entry_data import (
    FIRST,
    META,
    ROWS,
    as_format_1,
    fill_some,
    fill_some_format_1,
    filled,
)


def row(
    number: int,
    code: str,
    realisasi: object,
    penjelasan: str | None = None,
    pendukung: str | None = None,
    kendala: str | None = None,
    upaya: str | None = None,
) -> EntryRow:
    return EntryRow(number, code, realisasi, penjelasan, pendukung, kendala, upaya)  # type: ignore[arg-type]


def test_a_filled_template_reads_back_with_its_unit_and_cycle() -> None:
    parsed = parse_entry_workbook(filled(fill_some))

    assert parsed.meta == META
    assert parsed.asks_pendukung
    assert parsed.rows == [
        row(
            FIRST,
            "IK 2.1",
            Decimal("85.5"),
            "Realisasi sesuai SP2D.",
            pendukung="Rencana penarikan dana dipantau setiap bulan.",
        ),
        row(FIRST + 1, "IK 2.2", "85,5", kendala="Pemeriksaan belum selesai"),
        row(FIRST + 3, "IK 2.4", None, "Data menyusul"),
    ]


def test_a_template_sent_before_the_faktor_pendukung_still_reads_by_its_own_columns() -> None:
    old = as_format_1(build_entry_workbook(META, ROWS))
    parsed = parse_entry_workbook(filled(fill_some_format_1, old))

    assert parsed.meta == META
    assert not parsed.asks_pendukung
    assert parsed.rows == [
        row(FIRST, "IK 2.1", Decimal("92"), "Realisasi sesuai SP2D."),
        row(
            FIRST + 1,
            "IK 2.2",
            "1",
            "Satu temuan administrasi.",
            kendala="Bukti belanja terlambat dilengkapi.",
            upaya="Reviu internal sebelum pemeriksaan.",
        ),
    ]


def test_a_format_1_template_with_the_new_titles_is_refused() -> None:
    # The format in the hidden sheet says which titles to expect; a mix is not ours.
    def new_titles(workbook: Any) -> None:
        workbook["Isian"][f"I{HEADER_ROW}"] = "Faktor Pendukung"
        fill_some_format_1(workbook)

    old = as_format_1(build_entry_workbook(META, ROWS))
    with pytest.raises(WorkbookError) as caught:
        parse_entry_workbook(filled(new_titles, old))

    assert "judul kolom seharusnya 'Kendala'" in str(caught.value)


def test_plain_numbers_become_decimals_without_float_noise() -> None:
    def fill(workbook: Any) -> None:
        sheet = workbook["Isian"]
        sheet[f"G{FIRST}"] = 92
        sheet[f"G{FIRST + 1}"] = 0.1
        sheet[f"G{FIRST + 2}"] = 3
        sheet[f"G{FIRST + 2}"].number_format = '0" %"'  # a literal sign: no scaling

    values = [row.realisasi for row in parse_entry_workbook(filled(fill)).rows]

    assert values == [Decimal("92"), Decimal("0.1"), Decimal("3")]


def test_the_template_locks_all_but_the_five_entry_columns() -> None:
    workbook = load_workbook(BytesIO(build_entry_workbook(META, ROWS)))
    sheet = workbook["Isian"]

    assert [cell.value for cell in sheet[HEADER_ROW]] == list(HEADERS)
    assert sheet.protection.sheet
    assert [c.value for c in sheet[FIRST]] == [
        1,
        "IK 2.1",
        "Meningkatnya akuntabilitas keuangan",
        "Persentase realisasi anggaran",
        "persen",
        "95",
        None,
        None,
        None,
        None,
        None,
        "Ya",
    ]
    assert sheet[f"L{FIRST + 1}"].value == "Tidak"
    assert [sheet.cell(HEADER_ROW, column).value for column in range(7, 12)] == [
        "Realisasi",
        "Penjelasan",
        "Faktor Pendukung",
        "Faktor Penghambat (Kendala)",
        "Upaya / Alternatif Solusi",
    ]
    for number in range(FIRST, FIRST + len(ROWS)):
        for column in "ABCDEFL":
            assert sheet[f"{column}{number}"].protection.locked, f"{column}{number}"
        for column in "GHIJK":
            assert not sheet[f"{column}{number}"].protection.locked, f"{column}{number}"
            assert sheet[f"{column}{number}"].fill.fgColor.rgb.endswith("FFF2CC")
    title = " ".join(str(sheet[f"A{row}"].value) for row in range(1, HEADER_ROW))
    for part in (
        "KPU Kota Bengkulu",
        "Sub Bagian Keuangan, Umum dan Logistik",
        "Tahun 2026",
        "Senin, 30 November 2026",
    ):
        assert part in title
    assert workbook["_lapkin"].sheet_state == "hidden"
    assert workbook.active.title == "Isian"


def test_meta_written_back_as_other_types_by_another_program_still_reads() -> None:
    def resave(workbook: Any) -> None:
        meta = workbook["_lapkin"]
        for row in meta.iter_rows():
            if row[0].value == "year":
                row[1].value = 2026.0
            if row[0].value == "cycle_id":
                row[1].value = "7"
            if row[0].value == "deadline":
                row[1].value = date(2026, 11, 30)
        fill_some(workbook)

    assert parse_entry_workbook(filled(resave)).meta == META


def without_meta(workbook: Any) -> None:
    del workbook["_lapkin"]


def renamed_header(workbook: Any) -> None:
    workbook["Isian"][f"G{HEADER_ROW}"] = "Capaian"
    fill_some(workbook)


def foreign_meta(workbook: Any) -> None:
    workbook["_lapkin"]["B1"] = "sesuatu-lain"


def newer_version(workbook: Any) -> None:
    workbook["_lapkin"]["B2"] = 99


def broken_meta(workbook: Any) -> None:
    workbook["_lapkin"]["B7"] = "dua ribu"


def no_rows(workbook: Any) -> None:
    workbook["Isian"].delete_rows(FIRST, len(ROWS))


def docx_bytes() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_workbook() -> bytes:
    buffer = BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: b"ini bukan spreadsheet, hanya teks" * 10, "bukan file Excel .xlsx"),
        (docx_bytes, "bukan file Excel .xlsx"),
        (
            lambda: OLE2_SIGNATURE + bytes(4096),
            "dilindungi kata sandi atau berformat .xls lama; simpan ulang sebagai .xlsx tanpa kata sandi",
        ),
        (lambda: b"", "file kosong"),
        (lambda: b"PK" + bytes(20 * 1024 * 1024), "terlalu besar (20 MB); batasnya 20 MB"),
        (plain_workbook, "bukan template isian Lapkin; unduh template dari bot"),
        (lambda: filled(without_meta), "bukan template isian Lapkin; unduh template dari bot"),
        (lambda: filled(foreign_meta), "bukan template isian Lapkin"),
        (lambda: filled(newer_version), "versi template isian tidak dikenal"),
        (lambda: filled(broken_meta), "data pengenal template rusak"),
        (
            lambda: filled(renamed_header),
            "Isian!G8: judul kolom seharusnya 'Realisasi', tertulis 'Capaian'",
        ),
        (lambda: filled(no_rows), "tidak ada baris indikator"),
        (lambda: build_entry_workbook(META, ROWS), "belum ada yang diisi"),
    ],
    ids=[
        "random",
        "docx",
        "ole2",
        "empty-file",
        "too-big",
        "plain",
        "no-meta",
        "foreign",
        "version",
        "bad-meta",
        "renamed-header",
        "no-rows",
        "unfilled",
    ],
)
def test_unusable_files_are_refused_with_a_helpful_message(
    make: Callable[[], bytes], expected: str
) -> None:
    with pytest.raises(WorkbookError) as caught:
        parse_entry_workbook(make())

    assert expected in str(caught.value)
    assert caught.value.problems


def test_every_changed_header_is_named() -> None:
    def rename(workbook: Any) -> None:
        sheet = workbook["Isian"]
        sheet[f"G{HEADER_ROW}"] = "Capaian"
        sheet[f"K{HEADER_ROW}"] = None

    with pytest.raises(WorkbookError) as caught:
        parse_entry_workbook(filled(rename))

    assert [(p.sheet, p.row, p.column) for p in caught.value.problems] == [
        ("Isian", HEADER_ROW, "G"),
        ("Isian", HEADER_ROW, "K"),
    ]
    assert "'Upaya / Alternatif Solusi', kosong" in caught.value.problems[1].message


def test_header_text_is_compared_leniently() -> None:
    def relabel(workbook: Any) -> None:
        workbook["Isian"][f"K{HEADER_ROW}"] = "  upaya /  alternatif solusi "
        fill_some(workbook)

    assert len(parse_entry_workbook(filled(relabel)).rows) == 3


@pytest.mark.parametrize(
    ("number_format", "percent"),
    [
        ("0%", True),
        ("0.0%", True),
        ("General", False),
        ('0.0"%"', False),
        ("0\\%", False),
        ("[Red]0.00%", True),
        ("@", False),
    ],
)
def test_percent_formats_are_told_from_literal_percent_signs(
    number_format: str, percent: bool
) -> None:
    assert is_percent_format(number_format) is percent
