"""The Surat Pengantar's table of documents: what is listed, counted in words, plainly noted."""

from __future__ import annotations

import pytest

from bot.messages.delivery import count_of, letter_items


@pytest.mark.parametrize(
    ("number", "said"),
    [
        (0, "0 (nol) berkas"),
        (1, "1 (satu) berkas"),
        (11, "11 (sebelas) berkas"),
        (13, "13 (tiga belas) berkas"),
        (20, "20 (dua puluh) berkas"),
        (24, "24 (dua puluh empat) berkas"),
        (100, "100 (seratus) berkas"),
        (215, "215 (dua ratus lima belas) berkas"),
    ],
)
def test_a_count_is_written_as_letters_write_it(number: int, said: str) -> None:
    assert count_of(number, "berkas") == said


def test_the_letter_lists_the_lkjip_the_perjanjian_kinerja_and_the_data_dukung() -> None:
    items = letter_items(
        office_name="KPU Kota Bengkulu",
        label="Tahun 2026",
        year=2026,
        indicators=13,
        evidence_files=24,
    )

    assert items == [
        (
            "Laporan Kinerja Instansi Pemerintah (LKjIP) KPU Kota Bengkulu Tahun 2026",
            "1 (satu) berkas",
            "Asli, ditandatangani dan distempel; dalam bentuk PDF",
        ),
        (
            "Perjanjian Kinerja KPU Kota Bengkulu Tahun 2026",
            "1 (satu) berkas",
            "Memuat 13 (tiga belas) indikator kinerja; termuat dalam LKjIP",
        ),
        (
            "Data dukung capaian indikator kinerja",
            "24 (dua puluh empat) berkas",
            "Bukti dukung dari unit kerja; tersimpan dalam arsip dan dapat disampaikan "
            "bila diperlukan",
        ),
    ]
    assert not any("SHA" in note for _, _, note in items)
