"""The budget workbook: the template, a filled file read back, every problem reported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.documents import WorkbookError, build_budget_template, parse_budget_workbook
from bot.domain.budget import BudgetLine, budget_warnings

D = Decimal
DM = "Program Dukungan Manajemen"
PP = "Program Penyelenggaraan Pemilu dan Pemilihan"
HEADERS = ["Program", "Kegiatan", "Pagu", "Realisasi"]
PK_2026 = ["SS 1", "SS 2", "SS 3", "SS 4"]


def save(workbook: Any) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_with(rows: Sequence[Sequence[object]]) -> bytes:
    """Fill the downloaded template as a person would: examples replaced by the office's rows."""
    workbook = load_workbook(BytesIO(build_budget_template(2026)))
    sheet = workbook["Anggaran"]
    sheet.delete_rows(2, 2)
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    return save(workbook)


def own_file(rows: Sequence[Sequence[object]], *, title: str = "Sheet") -> bytes:
    """An office's own workbook, not made from the template."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for values in rows:
        sheet.append(list(values))
    return save(workbook)


def problems_of(
    data: bytes, *, year: int = 2026, sasaran: Sequence[str] | None = None
) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        parse_budget_workbook(data, year=year, sasaran=sasaran)
    return [str(problem) for problem in caught.value.problems]


def test_the_template_has_the_columns_examples_and_a_guide() -> None:
    workbook = load_workbook(BytesIO(build_budget_template(2026)))

    assert workbook.sheetnames == ["Anggaran", "Petunjuk"]
    sheet = workbook["Anggaran"]
    assert [cell.value for cell in sheet[1]] == [*HEADERS, "Sasaran"]
    assert sheet["A2"].value == DM and sheet["A3"].value == PP and sheet["A4"].value is None
    assert sheet["C2"].number_format == "#,##0" and sheet["D200"].number_format == "#,##0"
    guide = workbook["Petunjuk"]
    assert guide["A1"].value == "PETUNJUK PENGISIAN ANGGARAN 2026"
    explained = {guide.cell(row=row, column=1).value for row in range(1, guide.max_row + 1)}
    assert {*HEADERS, "Sasaran"} <= explained


def test_the_template_reads_back_as_its_two_examples() -> None:
    lines = parse_budget_workbook(build_budget_template(2026), year=2026)

    assert lines == (
        BudgetLine(DM, "Layanan perkantoran", D(3245780000), D(3158402117)),
        BudgetLine(
            PP,
            "Sosialisasi, pendidikan pemilih dan partisipasi masyarakat",
            D(524600000),
            D(468286150),
            ("SS 2",),
        ),
    )


def test_a_filled_template_reads_numbers_and_indonesian_text() -> None:
    data = template_with(
        [
            (DM, "Layanan perkantoran", 3245780000, "Rp 3.158.402.117"),
            (None, "Pengelolaan keuangan", "412.500.000", 378945600.5),  # program from above
            (DM, "Perencanaan", "Rp 286.350.000,-", "-"),  # "-" is nil
            (PP, "Pemutakhiran data pemilih", "356.000.000,25", "Rp. 331.972.800"),
            (PP, "Sosialisasi", 100, 120),  # overspending is allowed, and warned about
        ]
    )

    lines = parse_budget_workbook(data, year=2026)

    assert lines == (
        BudgetLine(DM, "Layanan perkantoran", D(3245780000), D(3158402117)),
        BudgetLine(DM, "Pengelolaan keuangan", D(412500000), D("378945600.5")),
        BudgetLine(DM, "Perencanaan", D(286350000), D(0)),
        BudgetLine(PP, "Pemutakhiran data pemilih", D("356000000.25"), D(331972800)),
        BudgetLine(PP, "Sosialisasi", D(100), D(120)),
    )
    assert len(budget_warnings(lines)) == 1


def test_an_offices_own_layout_is_read() -> None:
    data = own_file(
        [
            ("LAPORAN REALISASI ANGGARAN KPU KOTA BENGKULU 2026",),
            (),
            ("No", "Kegiatan", "Realisasi Anggaran (Rp)", "Program", "Pagu Anggaran 2026", "Ket"),
            (None, None, None, DM),  # a heading for the kegiatan below it
            (1, "Layanan perkantoran", 90, None, 100, "gaji"),
            (2, "Pengelolaan keuangan", 45, None, 50),
            ("JUMLAH", None, 135, "Jumlah", 150),  # a total row is skipped
            (None, "Total", 135, None, 150),
        ],
        title="LRA",
    )

    assert parse_budget_workbook(data, year=2026) == (
        BudgetLine(DM, "Layanan perkantoran", D(100), D(90)),
        BudgetLine(DM, "Pengelolaan keuangan", D(50), D(45)),
    )


def test_every_problem_is_reported_with_its_cell() -> None:
    data = template_with(
        [
            (None, "Layanan perkantoran", 100, 90),
            (DM, None, 100, 90),
            (DM, "Keuangan", None, None),
            (DM, "Perencanaan", "satu juta", "85%"),
            (DM, "Hukum", -5, "Rp -1.000"),
            (DM, "keuangan", 10, 10),
            (DM, "Sosialisasi", datetime(2026, 1, 2), 10**19),
            (DM, "Data", 100, 90),  # a good row among bad ones is still not imported
        ]
    )

    assert problems_of(data) == [
        "Anggaran!A2: Program kosong",
        "Anggaran!B3: Kegiatan kosong; isi nama kegiatan, atau hapus baris ini bila isinya "
        "jumlah per program",
        "Anggaran!C4: Pagu kosong",
        "Anggaran!D4: Realisasi kosong; tulis 0 bila belum ada realisasi",
        "Anggaran!C5: Pagu 'satu juta' bukan jumlah rupiah; tulis misalnya 1.234.567 atau "
        "Rp 1.234.567",
        "Anggaran!D5: Realisasi '85%' bukan jumlah rupiah; tulis misalnya 1.234.567 atau "
        "Rp 1.234.567",
        "Anggaran!C6: Pagu tidak boleh negatif (-Rp5)",
        "Anggaran!D6: Realisasi tidak boleh negatif (-Rp1.000)",
        f"Anggaran!B7: kegiatan 'keuangan' pada program '{DM}' sudah ada di baris 4",
        "Anggaran!C8: Pagu terbaca sebagai tanggal (2026-01-02); format sel sebagai Angka lalu "
        "ketik ulang jumlahnya",
        "Anggaran!D8: Realisasi terlalu besar (Rp10.000.000.000.000.000.000); periksa kembali "
        "angkanya",
    ]


def test_a_number_formatted_as_percent_is_refused() -> None:
    workbook = load_workbook(BytesIO(template_with([(DM, "Layanan", 100, 0.9)])))
    workbook["Anggaran"]["D2"].number_format = "0.0%"

    assert problems_of(save(workbook)) == [
        "Anggaran!D2: Realisasi berformat persen; isi jumlah rupiah, tulis misalnya 1.234.567 "
        "atau Rp 1.234.567"
    ]


@pytest.mark.parametrize(
    ("rows", "problems"),
    [
        (
            [("Program", "Kegiatan", "Pagu")],
            ["Sheet baris 1: kolom 'Realisasi' tidak ditemukan"],
        ),
        (
            [("Program", "Kegiatan", "Pagu 2025", "Realisasi 2025")],
            [
                "Sheet baris 1: kolom 'Pagu' tidak ditemukan (ada kolom untuk tahun 2025: "
                "apakah ini berkas anggaran tahun 2025, bukan 2026?)",
                "Sheet baris 1: kolom 'Realisasi' tidak ditemukan (ada kolom untuk tahun 2025: "
                "apakah ini berkas anggaran tahun 2025, bukan 2026?)",
            ],
        ),
        (
            [("Program", "Kegiatan", "Pagu", "Realisasi", "Pagu Anggaran")],
            ["Sheet!E1: kolom 'Pagu Anggaran' ada dua kali"],
        ),
        (
            [("Nama", "Jumlah"), ("a", 1)],
            [
                "Sheet: baris judul kolom tidak ditemukan; judul yang diperlukan: Program, "
                "Kegiatan, Pagu, Realisasi. Unduh template dari bot"
            ],
        ),
        (
            [],
            [
                "Sheet: baris judul kolom tidak ditemukan; judul yang diperlukan: Program, "
                "Kegiatan, Pagu, Realisasi. Unduh template dari bot"
            ],
        ),
        (
            [HEADERS, (), (None, None, None, None, "catatan")],
            ["Sheet: belum ada baris anggaran di bawah baris judul"],
        ),
        (
            [HEADERS, (DM,), ("Jumlah", None, 0, 0)],
            ["Sheet: belum ada baris anggaran di bawah baris judul"],
        ),
    ],
)
def test_a_sheet_that_cannot_be_read_says_why(
    rows: list[Sequence[object]], problems: list[str]
) -> None:
    assert problems_of(own_file(rows)) == problems


def test_the_anggaran_sheet_is_read_even_when_it_is_not_the_first() -> None:
    workbook = load_workbook(BytesIO(build_budget_template(2026)))
    workbook.move_sheet("Anggaran", offset=1)
    assert workbook.sheetnames == ["Petunjuk", "Anggaran"]

    assert len(parse_budget_workbook(save(workbook), year=2026)) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file kosong"),
        (b"not a workbook", "bukan file Excel .xlsx"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(data: bytes, message: str) -> None:
    (problem,) = problems_of(data)

    assert message in problem


def test_the_sasaran_column_maps_kegiatan_to_one_or_several_sasaran() -> None:
    data = template_with(
        [
            (DM, "Layanan perkantoran", 100, 90),  # no sasaran: dukungan manajemen
            (DM, "Perencanaan", 100, 90, "SS 1"),
            (DM, "Keuangan", 100, 90, "ss 3, SS 1"),  # several, written loosely
            (PP, "Sosialisasi", 100, 90, "SS 2; SS 2"),  # a code once
        ]
    )

    lines = parse_budget_workbook(data, year=2026, sasaran=PK_2026)

    assert [line.sasaran_codes for line in lines] == [(), ("SS 1",), ("ss 3", "SS 1"), ("SS 2",)]


def test_a_sasaran_that_is_not_in_the_years_pk_is_refused_with_its_cell() -> None:
    data = template_with(
        [(DM, "Perencanaan", 100, 90, "SS 1"), (PP, "Sosialisasi", 100, 90, "SS 2, SS 9")]
    )

    assert problems_of(data, sasaran=PK_2026) == [
        "Anggaran!E3: sasaran SS 9 tidak ada dalam Perjanjian Kinerja 2026 (sasarannya: SS 1, "
        "SS 2, SS 3, SS 4); perbaiki kodenya, atau kosongkan bila kegiatan ini dukungan "
        "manajemen untuk seluruh sasaran"
    ]
    # Without the year's PK nothing can be checked yet: the code is kept, and the LKjIP says
    # which kegiatan it cannot place.
    (_, sosialisasi) = parse_budget_workbook(data, year=2026)
    assert sosialisasi.sasaran_codes == ("SS 2", "SS 9")


def test_an_offices_own_sasaran_column_is_read_and_is_optional() -> None:
    data = own_file(
        [
            ("Program", "Kegiatan", "Sasaran Strategis", "Pagu", "Realisasi"),
            (DM, "Perencanaan", "SS 1", 100, 90),
            (DM, "Layanan perkantoran", None, 50, 45),
        ]
    )

    assert parse_budget_workbook(data, year=2026) == (
        BudgetLine(DM, "Perencanaan", D(100), D(90), ("SS 1",)),
        BudgetLine(DM, "Layanan perkantoran", D(50), D(45)),
    )
