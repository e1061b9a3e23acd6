"""The Perjanjian Kinerja workbook: the template, a filled file read back, every problem reported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.documents import WorkbookError, build_pk_template, parse_pk_workbook
from bot.domain.performance import IndicatorSpec, NationalStandard, Polarity, Target

UNITS = ("KUL", "TEKNIS", "RENDATIN", "HUKUM")
HEADERS_2026 = [
    "Kode Sasaran",
    "Sasaran Strategis",
    "Kode Indikator",
    "Indikator Kinerja",
    "Satuan",
    "Polaritas",
    "Target 2026",
    "Target Renstra",
    "Unit PIC",
    "Bukti Wajib",
    "Realisasi 2023",
    "Realisasi 2024",
    "Realisasi 2025",
    "Target 2023",
    "Target 2024",
    "Target 2025",
    "Standar Nasional",
    "Sumber Standar Nasional",
]
SS1 = "Meningkatnya kualitas penyelenggaraan pemilu"
SS2 = "Meningkatnya akuntabilitas keuangan"


def save(workbook: Any) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_with(rows: Sequence[Sequence[object]]) -> bytes:
    """Fill the downloaded template as a person would: examples replaced by the office's rows."""
    workbook = load_workbook(BytesIO(build_pk_template(2026)))
    sheet = workbook["PK"]
    sheet.delete_rows(2, 2)
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    return save(workbook)


def test_the_template_has_the_columns_examples_and_a_guide() -> None:
    workbook = load_workbook(BytesIO(build_pk_template(2026)))

    assert workbook.sheetnames == ["PK", "Petunjuk"]
    sheet = workbook["PK"]
    assert [cell.value for cell in sheet[1]] == HEADERS_2026
    assert sheet.max_row >= 3 and sheet["C2"].value == "IK 1.1" and sheet["C3"].value == "IK 1.2"
    assert sheet["G4"].number_format == "@"  # ranges typed later stay text, not dates
    guide = " ".join(
        str(c.value) for row in workbook["Petunjuk"].iter_rows() for c in row if c.value
    )
    for phrase in (
        "naik",
        "turun",
        "ya bila",
        "80 - 90",
        "85,5",
        "file organisasi",
        "Target 2026",
        "Realisasi 2022",
        "Target 2025",
        "tidak ada standar nasional",
    ):
        assert phrase in guide
    for letter in ("N", "O", "P", "Q"):  # earlier targets and the standard: text, as targets
        assert sheet[f"{letter}4"].number_format == "@"


def test_the_template_as_downloaded_imports_its_examples() -> None:
    pk = parse_pk_workbook(build_pk_template(2026), year=2026, unit_codes=UNITS)

    assert pk.year == 2026
    first, second = pk.indicators
    assert first.code == "IK 1.1" and first.unit_code == "RENDATIN" and first.evidence_required
    assert first.history == {2023: Decimal(90), 2024: Decimal(95), 2025: Decimal(100)}
    assert second.polarity is Polarity.LOWER_IS_BETTER
    assert second.target == Target(Decimal(1), Decimal(2))
    assert second.renstra_target == Target.exactly(Decimal(0))
    assert first.history_targets == {y: Target.exactly(Decimal(100)) for y in (2023, 2024, 2025)}
    assert first.national_standard == NationalStandard(
        Target.exactly(Decimal(100)), "Contoh: peraturan yang menetapkan standar"
    )
    assert second.history_targets[2023] == Target(Decimal(2), Decimal(3))
    assert second.national_standard is None


def test_earlier_targets_and_the_national_standard_are_optional_columns() -> None:
    sheet = Workbook().active
    sheet.append([*HEADERS_2026[:10], "Target 2025", "Standar Nasional"])
    sheet.append(
        [
            "SS 1",
            SS1,
            "IK 1.1",
            "Partisipasi",
            "persen",
            "naik",
            "80",
            None,
            "TEKNIS",
            "tidak",
            "75 - 80",
            "70",
        ]
    )
    sheet.append(
        [
            None,
            None,
            "IK 1.2",
            "Sosialisasi",
            "kegiatan",
            "naik",
            "12",
            None,
            "TEKNIS",
            "tidak",
            "dua belas",
            None,
        ]
    )
    with pytest.raises(WorkbookError) as refused:
        parse_pk_workbook(save(sheet.parent), year=2026, unit_codes=UNITS)
    assert [str(p) for p in refused.value.problems] == [
        "Sheet!K3: target 2025 'dua belas' bukan angka; tulis misalnya 85,5 atau rentang 80 - 90"
    ]

    sheet["K3"] = "10"
    pk = parse_pk_workbook(save(sheet.parent), year=2026, unit_codes=UNITS)
    first, second = pk.indicators
    assert first.history_targets == {2025: Target(Decimal(75), Decimal(80))}
    assert first.national_standard == NationalStandard(Target.exactly(Decimal(70)), None)
    assert second.history_targets == {2025: Target.exactly(Decimal(10))}
    assert second.national_standard is None


def test_a_filled_template_reads_back() -> None:
    data = template_with(
        [
            [
                "SS 1",
                SS1,
                "IK 1.1",
                "Persentase partisipasi pemilih",
                "persen",
                "naik",
                "85,5",
                "80 - 90",
                "teknis",
                "ya",
                78.25,
                "80,1",
                None,
            ],
            [
                None,
                None,
                "IK 1.2",
                "Jumlah sosialisasi pendidikan pemilih",
                "kegiatan",
                "Naik",
                "1.200",
                "-",
                "TEKNIS",
                "tidak",
                None,
                None,
                None,
            ],
            [
                "SS 2",
                SS2,
                "IK 2.1",
                "Jumlah temuan pemeriksaan keuangan",
                "temuan",
                "turun",
                "0",
                None,
                "KUL",
                None,
                3,
                2,
                1,
            ],
            [
                "SS 2",
                None,
                "IK 2.2",
                "Persentase realisasi anggaran",
                "persen",
                "positif",
                "90–95",
                "95",
                "KUL",
                "Y",
                None,
                None,
                None,
            ],
        ]
    )

    pk = parse_pk_workbook(data, year=2026, unit_codes=UNITS)

    assert pk.indicators == (
        IndicatorSpec(
            code="IK 1.1",
            sasaran_code="SS 1",
            sasaran_name=SS1,
            name="Persentase partisipasi pemilih",
            satuan="persen",
            polarity=Polarity.HIGHER_IS_BETTER,
            target=Target.exactly(Decimal("85.5")),
            unit_code="TEKNIS",
            evidence_required=True,
            renstra_target=Target(Decimal(80), Decimal(90)),
            history={2023: Decimal("78.25"), 2024: Decimal("80.1")},
        ),
        IndicatorSpec(
            code="IK 1.2",
            sasaran_code="SS 1",
            sasaran_name=SS1,
            name="Jumlah sosialisasi pendidikan pemilih",
            satuan="kegiatan",
            polarity=Polarity.HIGHER_IS_BETTER,
            target=Target.exactly(Decimal(1200)),
            unit_code="TEKNIS",
            evidence_required=False,
            renstra_target=None,
        ),
        IndicatorSpec(
            code="IK 2.1",
            sasaran_code="SS 2",
            sasaran_name=SS2,
            name="Jumlah temuan pemeriksaan keuangan",
            satuan="temuan",
            polarity=Polarity.LOWER_IS_BETTER,
            target=Target.exactly(Decimal(0)),
            unit_code="KUL",
            history={2023: Decimal(3), 2024: Decimal(2), 2025: Decimal(1)},
        ),
        IndicatorSpec(
            code="IK 2.2",
            sasaran_code="SS 2",
            sasaran_name=SS2,
            name="Persentase realisasi anggaran",
            satuan="persen",
            polarity=Polarity.HIGHER_IS_BETTER,
            target=Target(Decimal(90), Decimal(95)),
            unit_code="KUL",
            evidence_required=True,
            renstra_target=Target.exactly(Decimal(95)),
        ),
    )


def test_an_office_file_with_its_own_layout_is_read_by_header_text() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lembar1"
    sheet.append(["PERJANJIAN KINERJA KPU KOTA BENGKULU TAHUN 2026"])
    sheet.append([])
    sheet.append(
        [
            "No",
            "Unit PIC",
            "Indikator Kinerja",
            "Kode Indikator",
            "Target 2026",
            "Satuan",
            "Polaritas",
            "Kode Sasaran",
            "Sasaran Strategis",
            "Bukti Wajib",
            "Target Renstra",
            "Realisasi 2021",
            "Keterangan",
        ]
    )
    sheet.append(
        [
            1,
            "HUKUM",
            "Persentase produk hukum yang ditetapkan tepat waktu",
            "IK 3.1",
            0.9,
            "persen",
            "naik",
            "SS 3",
            "Meningkatnya kualitas produk hukum",
            "tidak",
            None,
            75,
            "catatan",
        ]
    )
    sheet["E4"].number_format = "0%"

    (spec,) = parse_pk_workbook(save(workbook), year=2026, unit_codes=UNITS).indicators

    assert spec.code == "IK 3.1" and spec.unit_code == "HUKUM"
    assert spec.target == Target.exactly(Decimal(90))
    assert spec.history == {2021: Decimal(75)}


def test_every_problem_is_reported_with_sheet_row_and_column() -> None:
    data = template_with(
        [
            [
                "SS 1",
                SS1,
                "IK 1.1",
                "Persentase partisipasi pemilih",
                "persen",
                "naik",
                "85",
                None,
                "TEKNIS",
                "ya",
            ],
            [
                "SS 1",
                SS1,
                "IK 1.2",
                "Indeks kepuasan layanan",
                "indeks",
                "naik",
                "3",
                None,
                "TEKNIS",
                "ya",
            ],
            [
                "SS 1",
                "Sasaran lain",
                "IK 1.1",
                None,
                "persen",
                "ke atas",
                "90 - 80",
                "abc",
                "BUPATI",
                "mungkin",
                "x",
            ],
            ["SS 2", SS2, "IK 2.1", "Jumlah temuan", "temuan", "turun", None, None, "KUL", "tidak"],
            [
                "SS 2",
                SS2,
                "IK 2.2",
                "Persentase realisasi anggaran",
                "persen",
                "naik",
                "8o",
                None,
                "KUL",
                "tidak",
            ],
        ]
    )

    with pytest.raises(WorkbookError) as caught:
        parse_pk_workbook(data, year=2026, unit_codes=UNITS)

    report = str(caught.value).splitlines()
    assert report == [
        f"PK!B4: sasaran 'SS 1' sudah bernama '{SS1}' di baris 2, di sini 'Sasaran lain'",
        "PK!C4: kode indikator 'IK 1.1' sudah dipakai di baris 2",
        "PK!D4: Indikator Kinerja kosong",
        "PK!F4: polaritas 'ke atas' tidak dikenal; tulis naik atau turun",
        "PK!G4: rentang target '90 - 80' terbalik; tulis angka terkecil terlebih dahulu, misalnya 80 - 90",
        "PK!H4: target Renstra 'abc' bukan angka; tulis misalnya 85,5 atau rentang 80 - 90",
        "PK!I4: unit PIC 'BUPATI' tidak dikenal; gunakan kode unit dari file organisasi: HUKUM, KUL, RENDATIN, TEKNIS",
        "PK!J4: bukti wajib 'mungkin' tidak dikenal; tulis ya atau tidak",
        "PK!K4: realisasi 2023 'x' bukan angka; tulis misalnya 85,5 (koma untuk desimal)",
        "PK!G5: Target 2026 kosong",
        "PK!G6: target '8o' bukan angka; tulis misalnya 85,5 atau rentang 80 - 90",
    ]
    assert (
        caught.value.problems[-1].sheet,
        caught.value.problems[-1].row,
        caught.value.problems[-1].column,
    ) == ("PK", 6, "G")


def test_missing_columns_are_named_and_another_years_file_is_recognised() -> None:
    workbook = load_workbook(BytesIO(build_pk_template(2025)))
    workbook["PK"]["I1"] = "Penanggung Jawab"
    workbook["PK"]["M1"] = "Realisasi 2026"

    with pytest.raises(WorkbookError) as caught:
        parse_pk_workbook(save(workbook), year=2026, unit_codes=UNITS)

    assert str(caught.value).splitlines() == [
        "PK!M1: kolom 'Realisasi 2026' harus tahun sebelum 2026",
        "PK baris 1: kolom 'Target 2026' tidak ditemukan (ada kolom 'Target 2025': apakah ini berkas untuk tahun 2025?)",
        "PK baris 1: kolom 'Unit PIC' tidak ditemukan",
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], "PK: belum ada indikator di bawah baris judul"),
        (
            [
                [
                    None,
                    "Sasaran tanpa kode",
                    "IK 1.1",
                    "Nama",
                    "persen",
                    "naik",
                    "1",
                    None,
                    "KUL",
                    "ya",
                ]
            ],
            "PK!A2: Kode Sasaran kosong",
        ),
        (
            [["SS 9", None, "IK 1.1", "Nama", "persen", "naik", "1", None, "KUL", "ya"]],
            "PK!B2: Sasaran Strategis kosong",
        ),
        (
            [["SS 1", SS1, "IK 1.1", "Nama", "persen", "naik", "1-2-3", None, "KUL", "ya"]],
            "PK!G2: target '1-2-3' bukan angka",
        ),
    ],
)
def test_single_problems(rows: list[list[object]], expected: str) -> None:
    with pytest.raises(WorkbookError, match=expected):
        parse_pk_workbook(template_with(rows), year=2026, unit_codes=UNITS)


def test_a_range_excel_turned_into_a_date_is_explained() -> None:
    workbook = load_workbook(
        BytesIO(
            template_with(
                [["SS 1", SS1, "IK 1.1", "Nama", "persen", "naik", "1", None, "KUL", "ya"]]
            )
        )
    )
    workbook["PK"]["G2"] = datetime(2026, 2, 1)

    with pytest.raises(
        WorkbookError,
        match=r"PK!G2: target terbaca sebagai tanggal \(2026-02-01\); format sel sebagai Teks",
    ):
        parse_pk_workbook(save(workbook), year=2026, unit_codes=UNITS)


def test_a_sheet_without_any_known_header_is_refused() -> None:
    workbook = Workbook()
    workbook.active.append(["Nama", "Nilai"])

    with pytest.raises(
        WorkbookError,
        match="baris judul kolom tidak ditemukan; judul yang diperlukan: Kode Sasaran",
    ):
        parse_pk_workbook(save(workbook), year=2026, unit_codes=UNITS)
