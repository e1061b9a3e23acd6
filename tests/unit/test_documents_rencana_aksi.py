"""The Rencana Aksi workbook: readable, one row per line, dates in Indonesian."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from bot.documents import RencanaAksiRow, build_rencana_aksi_workbook

ROWS = [
    RencanaAksiRow(
        "Sub Bagian Keuangan, Umum dan Logistik",
        "IK 2.1",
        "Persentase realisasi anggaran",
        "Rina Marlina, S.E.",
        date(2026, 11, 30),
        "Belum",
    ),
    RencanaAksiRow(
        "Sub Bagian Hukum dan Sumber Daya Manusia",
        "IK 3.1",
        "Persentase produk hukum yang ditetapkan tepat waktu",
        "Kasubbag Hukum dan SDM",
        date(2026, 12, 2),
        "Sudah",
    ),
]


def test_the_rencana_aksi_opens_and_holds_every_line() -> None:
    data = build_rencana_aksi_workbook(
        title="RENCANA AKSI PENGUMPULAN DATA KINERJA",
        office_name="KPU Kota Bengkulu",
        period_label="Tahun 2026",
        rows=ROWS,
    )

    sheet = load_workbook(BytesIO(data))["Rencana Aksi"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "RENCANA AKSI PENGUMPULAN DATA KINERJA"
    assert values[1][0] == "KPU Kota Bengkulu"
    assert values[2][0] == "Periode: Tahun 2026"
    header = values.index(
        [
            "No",
            "Sub Bagian",
            "Kode",
            "Indikator Kinerja",
            "Penanggung Jawab",
            "Batas Waktu",
            "Status",
        ]
    )
    assert values[header + 1 :] == [
        [
            1,
            "Sub Bagian Keuangan, Umum dan Logistik",
            "IK 2.1",
            "Persentase realisasi anggaran",
            "Rina Marlina, S.E.",
            "30 November 2026",
            "Belum",
        ],
        [
            2,
            "Sub Bagian Hukum dan Sumber Daya Manusia",
            "IK 3.1",
            "Persentase produk hukum yang ditetapkan tepat waktu",
            "Kasubbag Hukum dan SDM",
            "2 Desember 2026",
            "Sudah",
        ],
    ]


def test_an_empty_rencana_aksi_still_opens() -> None:
    data = build_rencana_aksi_workbook(
        title="RENCANA AKSI",
        office_name="KPU Kota Bengkulu",
        period_label="Triwulan I Tahun 2026",
        rows=[],
    )

    assert (
        load_workbook(BytesIO(data))["Rencana Aksi"]["A3"].value == "Periode: Triwulan I Tahun 2026"
    )
