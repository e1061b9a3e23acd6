"""The LKjIP of the example office: efficiency and kegiatan per sasaran, III.B by sasaran.

The example's 2026 Perjanjian Kinerja and budget (examples/kpu-kota-bengkulu.yaml) with the
realisations below; every expected number is worked out by hand in the comments.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from bot.documents import render_lkjip
from bot.domain.measure import IndicatorInput, analyse
from bot.orgfile import parse_organisation
from tests.conftest import EXAMPLE_ORG
from tests.lkjip_data import CONTENT, SCALE

REALISASI = {
    # SS 1: 100%, 100%, 65/70 = 92,857%: mean 97,62%.
    "IK 1.1": "100",
    "IK 1.2": "3",
    "IK 1.3": "65",
    # SS 2: 9/12 = 75%, 100%, 96/120 = 80%: mean 85%.
    "IK 2.1": "9",
    "IK 2.2": "100",
    "IK 2.3": "96",
    # SS 3: 91,87/95 = 96,705%, one finding against a target of 0 = 0%, 100%, 100%:
    # mean 296,705/4 = 74,18%.
    "IK 3.1": "91.87",
    "IK 3.2": "1",
    "IK 3.3": "4",
    "IK 3.4": "100",
    # SS 4: 100%, 85 within 80–90 = 100%, 100%: mean 100%.
    "IK 4.1": "100",
    "IK 4.2": "85",
    "IK 4.3": "100",
}
PP = "Program Penyelenggaraan Pemilu dan Pemilihan"
DM = "Program Dukungan Manajemen"


@pytest.fixture(scope="module")
def report() -> bytes:
    spec = parse_organisation(EXAMPLE_ORG.read_text(encoding="utf-8"))
    pk = spec.perjanjian_kinerja[0].to_domain()
    analysis = analyse(
        office_name="KPU Kota Bengkulu",
        year=2026,
        period_label="Tahun 2026",
        indicators=[
            IndicatorInput(spec=s, unit_name=s.unit_code, realisasi=Decimal(REALISASI[s.code]))
            for s in pk.indicators
        ],
        budget=spec.anggaran[0].to_domain(),
        scale=SCALE,
    )
    return render_lkjip(replace(CONTENT, analysis=analysis))


def _paragraphs(data: bytes) -> list[str]:
    body = Document(BytesIO(data)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def _after(lines: list[str], heading: str, start: str) -> list[str]:
    """The paragraphs under the lead ``heading`` that follows the line starting ``start``."""
    begin = next(i for i, line in enumerate(lines) if line.startswith(start))
    lead = lines.index(heading, begin)
    following = []
    for line in lines[lead + 1 :]:
        if line in (
            "Program dan kegiatan yang mendukung atau menghambat",
            "Efisiensi penggunaan sumber daya",
        ) or line.startswith(("Sasaran Strategis ", "B. Realisasi Anggaran")):
            break
        if line.strip():
            following.append(line)
    return following


def test_each_sasaran_states_its_efficiency_with_absorption_capaian_and_index(
    report: bytes,
) -> None:
    lines = _paragraphs(report)
    efficiency = "Efisiensi penggunaan sumber daya"

    # SS 1: Pemutakhiran Rp356.000.000/Rp331.972.800 and Perencanaan Rp286.350.000/
    # Rp259.123.450: Rp591.096.250 of Rp642.350.000 = 92,02%; 97,62 ÷ 92,02 = 1,0608.
    assert _after(lines, efficiency, "Sasaran Strategis 1") == [
        "Kegiatan yang mendukung sasaran SS 1 menyerap Rp591.096.250 dari pagu Rp642.350.000 "
        "(penyerapan 92,02%), dengan rata-rata capaian indikator 97,62%. Indeks efisiensi "
        "(capaian ÷ penyerapan) 1,06, sama dengan atau lebih dari 1: capaian kinerja sebanding "
        "dengan atau melampaui penggunaan anggarannya, sehingga penggunaan sumber daya untuk "
        "sasaran ini dinilai efisien."
    ]
    # SS 2: Sosialisasi Rp1.003.286.150 of Rp1.124.600.000 = 89,21%; 85 ÷ 89,21 = 0,9528.
    (ss2,) = _after(lines, efficiency, "Sasaran Strategis 2")
    assert ss2.startswith(
        "Kegiatan yang mendukung sasaran SS 2 menyerap Rp1.003.286.150 dari pagu "
        "Rp1.124.600.000 (penyerapan 89,21%), dengan rata-rata capaian indikator 85%. Indeks "
        "efisiensi (capaian ÷ penyerapan) 0,95, kurang dari 1"
    )
    assert ss2.endswith("perlu ditingkatkan.")
    # SS 3: Rp378.945.600 of Rp412.500.000 = 91,87%; 74,18 ÷ 91,87 = 0,8074.
    (ss3,) = _after(lines, efficiency, "Sasaran Strategis 3")
    assert "(penyerapan 91,87%), dengan rata-rata capaian indikator 74,18%" in ss3
    assert "(capaian ÷ penyerapan) 0,8, kurang dari 1" not in ss3
    assert "(capaian ÷ penyerapan) 0,80, kurang dari 1" in ss3
    # SS 4: Rp171.504.300 of Rp198.720.000 = 86,30%; 100 ÷ 86,3 = 1,1587.
    (ss4,) = _after(lines, efficiency, "Sasaran Strategis 4")
    assert "menyerap Rp171.504.300 dari pagu Rp198.720.000 (penyerapan 86,3%)" in ss4
    assert "rata-rata capaian indikator 100%. Indeks efisiensi (capaian ÷ penyerapan) 1,15" in ss4
    assert ss4.endswith("dinilai efisien.")


def test_each_sasaran_names_the_kegiatan_that_supported_or_hindered_it(report: bytes) -> None:
    lines = _paragraphs(report)
    programs = "Program dan kegiatan yang mendukung atau menghambat"

    assert _after(lines, programs, "Sasaran Strategis 1") == [
        f"Sasaran SS 1 didukung oleh {DM} melalui kegiatan “Perencanaan, data dan informasi” "
        f"(penyerapan 90,49%) dan {PP} melalui kegiatan “Pemutakhiran data pemilih "
        "berkelanjutan” (penyerapan 93,25%).",
        "Sasaran ini belum mencapai target (rata-rata capaian 97,62%).",
        "Kegiatan “Perencanaan, data dan informasi” (penyerapan 90,49%) dan “Pemutakhiran data "
        "pemilih berkelanjutan” (penyerapan 93,25%) telah terserap dengan baik dan mendukung "
        "capaian yang ada, tetapi belum cukup untuk mencapai target; penyebab lainnya "
        "diuraikan pada analisis per indikator di atas.",
    ]
    ss2 = _after(lines, programs, "Sasaran Strategis 2")
    assert ss2[2] == (
        "Penyerapan rendah pada kegiatan “Sosialisasi, pendidikan pemilih dan partisipasi "
        "masyarakat” (89,21%), di bawah 90%, turut menghambat pencapaian target sasaran ini."
    )
    ss4 = _after(lines, programs, "Sasaran Strategis 4")
    assert ss4[1:] == [
        "Sasaran ini mencapai target (rata-rata capaian 100%), sehingga kegiatan tersebut "
        "mendukung keberhasilannya.",
        "Penyerapan kegiatan “Hukum, sumber daya manusia dan organisasi” (86,3%) di bawah 90% "
        "tanpa menghambat pencapaian target, menandakan adanya penghematan anggaran.",
    ]


def test_bab_iii_b_has_a_table_per_sasaran_then_dukungan_manajemen_then_the_total(
    report: bytes,
) -> None:
    document = Document(BytesIO(report))
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in document.tables
        if [cell.text for cell in table.rows[0].cells][:2] == ["Program", "Kegiatan"]
    ]

    assert [table[-1][2:] for table in tables] == [
        ["Rp642.350.000", "Rp591.096.250", "92,02%"],  # SS 1
        ["Rp1.124.600.000", "Rp1.003.286.150", "89,21%"],  # SS 2
        ["Rp412.500.000", "Rp378.945.600", "91,87%"],  # SS 3
        ["Rp198.720.000", "Rp171.504.300", "86,3%"],  # SS 4
        ["Rp3.245.780.000", "Rp3.158.402.117", "97,31%"],  # layanan perkantoran
    ]
    assert tables[0][1:3] == [
        [DM, "Perencanaan, data dan informasi", "Rp286.350.000", "Rp259.123.450", "90,49%"],
        [
            PP,
            "Pemutakhiran data pemilih berkelanjutan",
            "Rp356.000.000",
            "Rp331.972.800",
            "93,25%",
        ],
    ]
    recap = next(
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in document.tables
        if table.rows[0].cells[1].text == "Sasaran Strategis"
        and table.rows[0].cells[-1].text == "Capaian"
    )
    assert [row[2:] for row in recap[1:]] == [
        ["Rp642.350.000", "Rp591.096.250", "92,02%", "97,62%"],
        ["Rp1.124.600.000", "Rp1.003.286.150", "89,21%", "85%"],
        ["Rp412.500.000", "Rp378.945.600", "91,87%", "74,18%"],
        ["Rp198.720.000", "Rp171.504.300", "86,3%", "100%"],
        ["Rp3.245.780.000", "Rp3.158.402.117", "97,31%", "-"],
        # Every kegiatan once: Rp5.303.234.417 of Rp5.623.950.000 = 94,30%.
        ["Rp5.623.950.000", "Rp5.303.234.417", "94,3%", "-"],
    ]

    lines = _paragraphs(report)
    bab = lines[lines.index("B. Realisasi Anggaran") :]
    headings = [
        "SS 1 Terselenggaranya pemutakhiran data pemilih berkelanjutan yang akurat",
        "SS 2 Meningkatnya partisipasi dan literasi pemilih",
        "SS 3 Meningkatnya tata kelola kelembagaan yang akuntabel",
        "SS 4 Meningkatnya kualitas sumber daya manusia dan kepastian hukum",
        "Dukungan Manajemen",
        "Rekapitulasi Realisasi Anggaran",
    ]
    positions = [bab.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert any(line.startswith("Penggunaan sumber daya setiap sasaran strategis") for line in bab)
    assert (
        "Kegiatan dukungan manajemen menunjang seluruh sasaran strategis dan tidak dihitung "
        "dalam efisiensi per sasaran; kegiatan ini menyerap Rp3.158.402.117 dari pagu "
        "Rp3.245.780.000 (penyerapan 97,31%)." in bab
    )
    assert any(
        line.startswith("Dengan penyerapan anggaran 94,3% dan rata-rata capaian kinerja")
        for line in bab
    )


def test_the_tables_are_numbered_in_the_order_the_report_shows_them(report: bytes) -> None:
    captions = [
        p.text
        for p in Document(BytesIO(report)).paragraphs
        if p.style is not None and p.style.name == "Caption" and p.text.startswith("Tabel ")
    ]

    numbers = [int(line.split()[1]) for line in captions]
    assert numbers == list(range(1, len(numbers) + 1))
    titles = [line.split(" ", 2)[2] for line in captions]
    assert titles[-6:] == [
        "Realisasi Anggaran Kegiatan Pendukung SS 1",
        "Realisasi Anggaran Kegiatan Pendukung SS 2",
        "Realisasi Anggaran Kegiatan Pendukung SS 3",
        "Realisasi Anggaran Kegiatan Pendukung SS 4",
        "Realisasi Anggaran Dukungan Manajemen",
        "Rekapitulasi Realisasi Anggaran per Sasaran Strategis Tahun 2026",
    ]


def test_a_sasaran_without_kegiatan_says_so_and_has_no_table_and_a_stray_code_is_noted() -> None:
    from bot.domain.budget import BudgetLine
    from tests.lkjip_data import small_analysis

    budget = (
        BudgetLine(DM, "Penyusunan laporan kinerja", Decimal(1000), Decimal(900), ("SS 1",)),
        BudgetLine(DM, "Pengelolaan data", Decimal(500), Decimal(500), ("SS 9",)),
    )
    data = render_lkjip(replace(CONTENT, analysis=small_analysis(budget=budget)))
    lines = _paragraphs(data)
    bab = lines[lines.index("B. Realisasi Anggaran") :]

    no_kegiatan = (
        "Belum ada kegiatan anggaran yang dipetakan ke sasaran ini, sehingga efisiensinya tidak "
        "dapat dinilai."
    )
    ss2 = bab.index("SS 2 Meningkatnya akuntabilitas keuangan")
    assert bab[ss2 + 1] == no_kegiatan  # no caption, no table
    assert _after(lines, "Efisiensi penggunaan sumber daya", "Sasaran Strategis 2") == [no_kegiatan]
    # SS 9 is no sasaran of 2026: the kegiatan is dukungan manajemen, and the report says so.
    assert (
        "Kegiatan “Pengelolaan data” (Program Dukungan Manajemen) dipetakan ke SS 9, yang tidak "
        "ada dalam Perjanjian Kinerja Tahun 2026; kode tersebut diabaikan, sehingga kegiatan ini "
        "dihitung sebagai dukungan manajemen. Perbaiki pemetaannya pada data anggaran." in bab
    )
    captions = [
        p.text
        for p in Document(BytesIO(data)).paragraphs
        if p.style is not None and p.style.name == "Caption" and p.text.startswith("Tabel ")
    ]
    assert [int(text.split()[1]) for text in captions] == list(range(1, len(captions) + 1))
    assert [text.split(" ", 2)[2] for text in captions][-3:] == [
        "Realisasi Anggaran Kegiatan Pendukung SS 1",
        "Realisasi Anggaran Dukungan Manajemen",
        "Rekapitulasi Realisasi Anggaran per Sasaran Strategis Tahun 2026",
    ]


def test_without_a_budget_or_without_a_map_the_report_says_what_is_missing() -> None:
    from bot.domain.budget import BudgetLine
    from tests.lkjip_data import small_analysis

    nothing = _paragraphs(render_lkjip(replace(CONTENT, analysis=small_analysis(budget=()))))
    assert _after(nothing, "Efisiensi penggunaan sumber daya", "Sasaran Strategis 1") == [
        "Data anggaran belum tersedia, sehingga penggunaan sumber daya dan kegiatan pendukung "
        "sasaran ini belum dapat dinilai."
    ]

    unmapped = (BudgetLine(DM, "Layanan perkantoran", Decimal(1000), Decimal(900)),)
    lines = _paragraphs(render_lkjip(replace(CONTENT, analysis=small_analysis(budget=unmapped))))
    assert (
        "Belum ada kegiatan anggaran yang dipetakan ke sasaran strategis, sehingga seluruh "
        "kegiatan disajikan sebagai dukungan manajemen dan efisiensi per sasaran belum dapat "
        "dinilai." in lines
    )
    assert _after(
        lines, "Program dan kegiatan yang mendukung atau menghambat", "Sasaran Strategis 2"
    ) == [
        "Belum ada kegiatan anggaran yang dipetakan ke sasaran ini, sehingga program dan "
        "kegiatan yang mendukung atau menghambatnya belum dapat diuraikan."
    ]
