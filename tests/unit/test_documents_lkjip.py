"""The LKjIP: rendered from the shipped template with a small year built by hand, read back."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate

from bot.documents import (
    TemplateError,
    lkjip_context,
    lkjip_variables,
    render_lkjip,
    template_variables,
)
from bot.documents.lkjip import DEFAULT_TEMPLATE
from bot.documents.lkjip_narrative import indicator_narrative
from bot.domain.analysis import IndicatorResult
from bot.domain.performance import Target
from tests.docx_text import paragraphs, table_rows
from tests.lkjip_data import (
    CONTENT,
    NO_DATA_REASON,
    SIGNATURE,
    indicator,
    many_indicators,
    sasaran,
    small_analysis,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def konsep() -> bytes:
    return render_lkjip(CONTENT)


@pytest.fixture(scope="module")
def final() -> bytes:
    signed = replace(SIGNATURE, signed_on=date(2027, 1, 20))
    return render_lkjip(replace(CONTENT, konsep=False, signature=signed))


def row_of(rows: list[list[str]], code: str) -> list[str]:
    return next(row for row in rows if code in row)


def xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        }


def make_template(path: Path, *lines: str) -> Path:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def test_every_indicator_shows_its_capaian_and_category(konsep: bytes) -> None:
    rows = table_rows(konsep, "No", "Kode", "Indikator Kinerja")

    assert row_of(rows, "IK 1.1")[4:] == ["80", "81,26", "101,58%", "Sangat Baik"]
    assert row_of(rows, "IK 1.2")[4:] == ["80–90", "95", "105,56%", "Sangat Baik"]  # range
    assert row_of(rows, "IK 1.3")[4:] == ["85", "-", "-", "Tidak ada data"]
    assert row_of(rows, "IK 2.1")[3:] == ["temuan", "2", "1", "150%", "Sangat Baik"]  # lower
    assert row_of(rows, "IK 2.2")[4:] == ["100", "45", "45%", "Sangat Kurang"]


def test_every_sasaran_has_its_mean_and_category(konsep: bytes) -> None:
    text = paragraphs(konsep)

    # IK 1.3 has no data, so SS 1's mean counts IK 1.1 and IK 1.2 only, and says so.
    assert (
        "Rata-rata capaian sasaran SS 1 adalah 103,57% dengan kategori Sangat Baik. Rata-rata "
        "ini dihitung dari 2 indikator yang terukur; 1 indikator (IK 1.3) tidak dihitung karena "
        "tidak ada data atau capaiannya tidak dapat dihitung."
    ) in text
    assert "Rata-rata capaian sasaran SS 2 adalah 97,5% dengan kategori Sangat Baik." in text
    summary = table_rows(konsep, "No", "Sasaran Strategis", "Jumlah Indikator")
    assert ["1", "SS 1 Meningkatnya kualitas perencanaan", "3", "103,57%", "Sangat Baik"] in summary


def test_the_narrative_is_built_from_what_the_unit_wrote(konsep: bytes) -> None:
    text = paragraphs(konsep)

    assert "IK 1.1 Indikator IK 1.1" in text
    assert "Target 80 persen, realisasi 81,26 persen, capaian 101,58% (Sangat Baik)." in text
    assert "Penjelasan: Seluruh dokumen perencanaan disusun tepat waktu." in text
    assert (
        "Faktor pendukung: Jadwal penyusunan dokumen ditetapkan sejak Januari dan dipantau "
        "tiap bulan." in text
    )
    assert "Faktor penghambat: Data dari satker lain terlambat." in text
    assert "Upaya/alternatif solusi: Jadwal penyampaian data dimajukan." in text
    assert f"Tidak ada data: {NO_DATA_REASON}" in text
    assert any("semakin rendah semakin baik" in line for line in text)  # IK 2.1
    assert any(line.startswith("Catatan: Target berupa rentang 80–90") for line in text)
    assert (
        "Dibandingkan tahun sebelumnya: realisasi 2026 sebesar 1 dibandingkan 3 pada 2025; "
        "realisasi turun, sehingga kinerja membaik." in text
    )
    assert (
        "Terhadap target Renstra: target akhir Renstra 90 persen; capaian terhadap target "
        "Renstra 90,29%, belum mencapai target akhir periode." in text
    )


def indicator_lines(data: bytes, code: str) -> list[str]:
    """The paragraphs of one indicator's narrative: from its title to the next title."""
    text = paragraphs(data)
    start = text.index(f"{code} Indikator {code}")
    end = next(
        (i for i in range(start + 1, len(text)) if re.match(r"IK \d+\.\d+ Indikator", text[i])),
        len(text),
    )
    return text[start + 1 : end]


def test_an_indicator_at_target_gives_its_causes_of_success_too(konsep: bytes) -> None:
    # IK 1.2 is above its range (capaian 100 % or more): the causes are printed all the same.
    lines = indicator_lines(konsep, "IK 1.2")

    assert (
        "Faktor pendukung: Koordinasi rutin dengan Disdukcapil dan PPS dalam rapat pleno "
        "bulanan." in lines
    )
    assert "Faktor penghambat: Tidak ada." in lines
    assert not any(line.startswith("Upaya/alternatif solusi") for line in lines)


def test_an_indicator_below_target_gives_its_causes_and_the_solution(konsep: bytes) -> None:
    lines = indicator_lines(konsep, "IK 2.2")

    assert any(line.startswith("Faktor pendukung: Kerja sama dengan sekolah") for line in lines)
    assert "Faktor penghambat: Anggaran sosialisasi dipotong pada revisi DIPA." in lines
    assert (
        "Upaya/alternatif solusi: Sosialisasi dialihkan ke media sosial dan siaran radio." in lines
    )


def test_a_version_sent_before_the_faktor_pendukung_says_it_was_not_given() -> None:
    at_target = indicator("IK 9.1", realisasi="100", target=Target.exactly(Decimal(100)))
    below = indicator("IK 9.2", realisasi="50", target=Target.exactly(Decimal(100)))
    no_data = indicator(
        "IK 9.3", realisasi=None, target=Target.exactly(Decimal(100)), no_data_reason="Batal."
    )

    def lines(result: IndicatorResult) -> dict[str, str]:
        narrative = indicator_narrative(result, 2026)
        return {line["label"]: line["text"] for line in narrative["lines"]}

    assert lines(at_target)["Faktor pendukung: "] == "belum disampaikan oleh unit."
    assert lines(at_target)["Faktor penghambat: "] == "tidak ada."
    assert lines(below)["Faktor penghambat: "] == "belum disampaikan oleh unit."
    assert "Faktor pendukung: " not in lines(no_data)


def test_earlier_years_are_compared_by_target_realisasi_and_capaian(konsep: bytes) -> None:
    history = table_rows(konsep, "Kode", "Indikator Kinerja", "Uraian")
    text = paragraphs(konsep)

    assert ["Kode", "Indikator Kinerja", "Uraian", "2024", "2025", "2026"] in history
    assert ["IK 1.1", "Indikator IK 1.1 (persen)", "Target", "75", "80", "80"] in history
    assert ["", "", "Realisasi", "70", "75,5", "81,26"] in history
    assert ["", "", "Capaian", "93,33%", "94,38%", "101,58%"] in history
    assert ["IK 1.2", "Indikator IK 1.2 (persen)", "Target", "-", "-", "80–90"] in history
    assert ["IK 2.1", "Indikator IK 2.1 (temuan)", "Target", "-", "-", "-", "2"] in history
    assert (
        "IK 1.1: capaian Tahun 2026 sebesar 101,58% dibandingkan 94,38% pada Tahun 2025 "
        "(target 80 persen, realisasi 75,5 persen); capaian naik, sehingga kinerja membaik." in text
    )
    assert (
        "IK 1.2: realisasi Tahun 2026 sebesar 95 persen dibandingkan 88 persen pada Tahun 2025; "
        "target Tahun 2025 tidak tercatat, sehingga capaiannya tidak dapat dibandingkan." in text
    )
    assert "IK 2.2: belum ada data tahun sebelumnya untuk dibandingkan." in text


def test_the_renstra_path_is_followed_to_its_end_target(konsep: bytes) -> None:
    path = table_rows(konsep, "Kode", "Indikator Kinerja", "Uraian")
    text = paragraphs(konsep)

    assert ["Kode", "Indikator Kinerja", "Uraian", "2025", "2026", "2027", "2028", "2029"] in path
    assert [
        "IK 1.1",
        "Indikator IK 1.1 (persen)",
        "Target Renstra",
        "78",
        "80",
        "84",
        "87",
        "90",
    ] in path
    assert ["", "", "Realisasi", "75,5", "81,26", "-", "-", "-"] in path
    assert ["", "", "Capaian", "96,79%", "101,58%", "-", "-", "-"] in path
    assert (
        "IK 1.1: target Renstra Tahun 2026 sebesar 80 persen tercapai (capaian 101,58%); "
        "realisasi Tahun 2026 mencapai 90,29% dari target akhir Renstra Tahun 2029 (90 persen), "
        "sehingga target akhir belum tercapai, dengan sisa 3 tahun periode Renstra." in text
    )
    assert "IK 1.2: tidak memiliki target Renstra." in text


def test_each_indicator_is_compared_with_its_national_standard_or_says_there_is_none(
    konsep: bytes,
) -> None:
    text = paragraphs(konsep)

    assert (
        "IK 1.1: standar nasional 85 persen (Peraturan KPU Nomor 1 Tahun 2025); realisasi "
        "81,26 persen belum memenuhi standar nasional (capaian terhadap standar 95,6%)." in text
    )
    for code in ("IK 1.2", "IK 1.3", "IK 2.1", "IK 2.2"):
        assert f"{code}: tidak ada standar nasional." in text


def test_bab_ii_presents_the_renstra_before_the_perjanjian_kinerja(konsep: bytes) -> None:
    text = paragraphs(konsep)
    plan = table_rows(konsep, "Sasaran Strategis", "Kode", "Indikator Kinerja")

    assert text.index("A. Rencana Strategis") < text.index("B. Perjanjian Kinerja")
    assert "Menjadi penyelenggara pemilu yang mandiri dan berintegritas" in text
    assert any(t.endswith("Meningkatkan akuntabilitas keuangan") for t in text)
    assert any("Tahun 2026 adalah tahun ke-2 dari 5 tahun periode Renstra" in t for t in text)
    assert [
        "SS 1 Meningkatnya kualitas perencanaan",
        "IK 1.1",
        "Indikator IK 1.1 (persen)",
        "78",
        "80",
        "84",
        "87",
        "90",
    ] in plan
    captions = [t for t in text if t.startswith("Tabel ")]
    assert captions[:5] == [
        "Tabel 1 Ringkasan Capaian Sasaran Strategis Tahun 2026",
        "Tabel 2 Jumlah Pegawai per Unit Kerja",
        "Tabel 3 Sasaran Strategis, Indikator Kinerja dan Target Renstra Tahun 2025–2029",
        "Tabel 4 Perjanjian Kinerja Tahun 2026",
        "Tabel 5 Kategori Capaian Kinerja",
    ]


def test_without_a_renstra_bab_ii_says_it_is_not_loaded(tmp_path: Path) -> None:
    content = replace(CONTENT, analysis=replace(small_analysis(), renstra=None))

    text = paragraphs(render_lkjip(content))

    assert any(
        t.startswith("Rencana Strategis yang mencakup Tahun 2026 belum dimuat") for t in text
    )
    assert "Tabel 3 Perjanjian Kinerja Tahun 2026" in text


def test_the_budget_tables_are_per_sasaran_in_rupiah_with_totals_and_efficiency(
    konsep: bytes,
) -> None:
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in Document(BytesIO(konsep)).tables
        if [cell.text for cell in table.rows[0].cells][:2] == ["Program", "Kegiatan"]
    ]
    text = paragraphs(konsep)

    # SS 1: its own kegiatan and the one it shares with SS 2 (counted in full for each).
    ss1, ss2, support = tables
    assert ss1[1:] == [
        [
            "Program Dukungan Manajemen",
            "Penyusunan laporan kinerja",
            "Rp1.234.567",
            "Rp1.000.000",
            "81%",
        ],
        ["", "Pengelolaan data (juga untuk SS 2)", "Rp2.000.000", "Rp2.000.000", "100%"],
        ["Jumlah", "Jumlah", "Rp3.234.567", "Rp3.000.000", "92,75%"],
    ]
    assert ss2[-1][-3:] == ["Rp2.000.000", "Rp2.000.000", "100%"]
    assert support[1][:2] == ["Program Penyelenggaraan Pemilu", "Sosialisasi"]
    assert text.index("Tabel 11 Realisasi Anggaran Kegiatan Pendukung SS 1") < text.index(
        "Tabel 12 Realisasi Anggaran Kegiatan Pendukung SS 2"
    )
    assert "Tabel 13 Realisasi Anggaran Dukungan Manajemen" in text
    # The recapitulation counts every kegiatan once: the office's own total.
    recap = table_rows(konsep, "No", "Sasaran Strategis", "Pagu")
    total = next(row for row in recap if row[0] == "Jumlah")
    assert total[-4:] == ["Rp3.734.567", "Rp3.250.000", "87,02%", "-"]
    assert any(
        "penyerapan anggaran 87,02% dan rata-rata capaian kinerja 100,53%" in line
        and "efisien" in line
        for line in text
    )


def test_without_a_budget_the_report_says_so(tmp_path: Path) -> None:
    content = replace(CONTENT, analysis=small_analysis(budget=()))

    data = render_lkjip(content)

    assert "Data anggaran belum tersedia." in paragraphs(data)
    assert not any("Rp" in line for line in paragraphs(data))
    assert len(Document(BytesIO(data)).inline_shapes) == 5  # no budget chart


def test_the_charts_are_embedded_within_the_page(konsep: bytes) -> None:
    shapes = Document(BytesIO(konsep)).inline_shapes

    # The structure (Bab I), capaian and trend per sasaran, and the budget: six charts.
    assert len(shapes) == 6
    assert all(shape.width <= Cm(16) + 1 and shape.height <= Cm(22) + 1 for shape in shapes)
    captions = [line for line in paragraphs(konsep) if line.startswith("Gambar ")]
    assert captions == [
        "Gambar 1 Struktur Organisasi KPU Kota Bengkulu",
        "Gambar 2 Capaian Kinerja SS 1",
        "Gambar 3 Realisasi SS 1 dari Tahun ke Tahun",
        "Gambar 4 Capaian Kinerja SS 2",
        "Gambar 5 Realisasi SS 2 dari Tahun ke Tahun",
        "Gambar 6 Penyerapan Anggaran dan Capaian Kinerja Tahun 2026",
    ]


def test_a_konsep_says_konsep_on_every_page_and_the_cover(konsep: bytes) -> None:
    document = Document(BytesIO(konsep))

    headers = [p.text for section in document.sections for p in section.header.paragraphs]
    assert "KONSEP" in headers
    assert "KONSEP — versi 3" in paragraphs(konsep)


def test_a_final_report_says_konsep_nowhere(final: bytes) -> None:
    for name, xml in xml_parts(final).items():
        assert "konsep" not in xml.casefold(), name


def test_the_lembar_paraf_shows_who_initialled_when(konsep: bytes) -> None:
    rows = table_rows(konsep, "No", "Nama", "Jabatan", "Paraf/Waktu", "Keterangan")

    assert [
        "1",
        "Budi Santoso",
        "Kepala Sub Bagian Keuangan, Umum dan Logistik",
        "Diparaf 15 Januari 2027 pukul 09.30 WIB",
        "",
    ] in rows
    assert ["2", "Sari Dewi", "Kepala Sub Bagian Hukum dan SDM", "", ""] in rows
    assert row_of(rows, "Rina Putri")[3:] == ["Diparaf 15 Januari 2027 pukul 14.05 WIB", "Plh."]


def test_the_signature_is_filled_only_once_signed(konsep: bytes, final: bytes) -> None:
    unsigned, signed = paragraphs(konsep), paragraphs(final)

    assert "Bengkulu, ...................................." in unsigned
    assert "ttd." not in unsigned
    assert "Bengkulu, 20 Januari 2027" in signed
    assert "ttd." in signed
    for text in (unsigned, signed):
        start = text.index("Sekretaris KPU Kota Bengkulu")
        assert "Zahyochi, S.Sos." in text[start:]
        assert "NIP. 197001011990031001" in text[start:]


def test_the_review_meeting_is_in_the_appendix(konsep: bytes) -> None:
    text = paragraphs(konsep)
    rows = table_rows(konsep, "No", "Dari", "Indikator", "Masukan/Saran")

    assert "Notula Rapat Reviu Laporan Kinerja" in text
    assert "Kamis, 14 Januari 2027" in text
    assert "Ruang Rapat KPU Kota Bengkulu" in text
    assert any(line.endswith("Sari Dewi") for line in text)  # an attendee
    assert ["1", "Budi Santoso", "IK 2.1", "Jelaskan penurunan jumlah temuan."] in rows
    assert ["2", "Sari Dewi", "Umum", "Tambahkan foto kegiatan pada lampiran."] in rows
    assert "Seluruh masukan diterima." in text


def test_without_a_meeting_the_appendix_has_no_minutes() -> None:
    text = paragraphs(render_lkjip(replace(CONTENT, meeting=None)))

    assert "Notula Rapat Reviu Laporan Kinerja" not in text
    assert "Lembar Paraf dan Pengesahan" in text


def test_the_summaries_count_what_was_measured(konsep: bytes) -> None:
    text = "\n".join(paragraphs(konsep))

    assert "memuat 2 sasaran strategis dengan 5 indikator kinerja" in text
    assert (
        "Dari 5 indikator kinerja, 4 indikator dapat diukur capaiannya: 3 indikator mencapai "
        "atau melampaui target (capaian 100% atau lebih) dan 1 indikator belum mencapai target."
    ) in text
    # The mean of the unrounded capaian (101,58; 105,555…; 150; 45), not of the rounded
    # ones (which would give 100,54%).
    assert "Rata-rata capaian kinerja seluruh indikator adalah 100,53%" in text
    assert "yaitu IK 2.2, menjadi perhatian" in text  # Bab IV names what fell short
    assert "Ketersediaan data untuk indikator IK 1.3" in text


def test_every_number_is_written_the_indonesian_way(konsep: bytes) -> None:
    text = "\n".join(paragraphs(konsep))

    assert not re.search(r"\d\.\d+%", text)
    for decimal in ("81.26", "75.5", "100.53", "87.02", "1234567"):
        assert decimal not in text
    assert not re.search(r"\{\{|\{%|%\}|\}\}", text)


def test_a_kata_pengantar_written_by_the_team_replaces_the_default() -> None:
    content = replace(CONTENT, kata_pengantar="Paragraf pertama.\n\nParagraf kedua.")

    text = paragraphs(render_lkjip(content))

    start = text.index("KATA PENGANTAR")
    assert text[start + 1 : start + 3] == ["Paragraf pertama.", "Paragraf kedua."]


def test_a_sasaran_with_many_indicators_gets_several_charts_that_fit_the_page() -> None:
    content = replace(CONTENT, analysis=many_indicators(30))

    shapes = Document(BytesIO(render_lkjip(content))).inline_shapes

    assert len(shapes) == 5  # structure; capaian 15 + 15 bars, trend 15 + 15 panels
    assert all(shape.width <= Cm(16) + 1 and shape.height <= Cm(22) + 1 for shape in shapes)


def test_every_variable_of_the_shipped_template_is_provided() -> None:
    used = template_variables(DEFAULT_TEMPLATE)

    assert used
    assert used <= lkjip_variables()
    assert lkjip_variables() == set(lkjip_context(CONTENT, DocxTemplate(DEFAULT_TEMPLATE)))


def test_the_variable_list_documents_every_variable() -> None:
    listed = set(re.findall(r"^\| `(\w+)` \|", (ROOT / "templates" / "lkjip.md").read_text(), re.M))

    assert listed == lkjip_variables()


def test_the_shipped_template_is_what_the_build_script_makes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_templates.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )

    with (
        zipfile.ZipFile(tmp_path / "lkjip.docx") as built,
        zipfile.ZipFile(DEFAULT_TEMPLATE) as shipped,
    ):
        parts = ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml")
        for part in parts:
            assert built.read(part) == shipped.read(part), f"{part}: run scripts/build_templates.py"


def test_a_broken_tag_is_reported_with_the_file_and_the_tag(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "lkjip-kantor.docx", "{{ office_name }}", "{% iff konsep %}x{% endif %}"
    )

    with pytest.raises(TemplateError) as caught:
        render_lkjip(CONTENT, template=template)

    assert "lkjip-kantor.docx" in caught.value.message
    assert caught.value.tag == "{% iff konsep %}"
    assert caught.value.template == template


def test_an_undefined_variable_names_its_tag_and_the_variable_list(tmp_path: Path) -> None:
    template = make_template(tmp_path / "lkjip-kantor.docx", "Tahun {{ tahun }}")

    with pytest.raises(TemplateError) as caught:
        render_lkjip(CONTENT, template=template)

    assert caught.value.tag == "{{ tahun }}"
    assert "lkjip-kantor.docx" in caught.value.message
    assert "templates/lkjip.md" in caught.value.message


def test_an_undefined_field_inside_a_loop_is_an_error(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "lkjip-kantor.docx", "{%p for s in sasaran %}", "{{ s.nama }}", "{%p endfor %}"
    )

    with pytest.raises(TemplateError, match=r"\{\{ s\.nama \}\}"):
        render_lkjip(CONTENT, template=template)


def test_a_custom_template_renders_the_same_variables(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "lkjip-kantor.docx",
        "{{ office_name|upper }} {{ year }}",
        "{%p for s in sasaran %}",
        "{{ s.code }}: {{ s.mean }}",
        "{%p endfor %}",
    )

    text = paragraphs(render_lkjip(CONTENT, template=template))

    assert text == ["KPU KOTA BENGKULU 2026", "SS 1: 103,57%", "SS 2: 97,5%"]


def test_a_long_history_table_is_fitted_to_the_page_width() -> None:
    years = {year: str(50 + year % 7) for year in range(2018, 2026)}
    long = indicator("IK 1.1", realisasi="81", target=Target.exactly(Decimal(80)), history=years)
    analysis = replace(small_analysis(), sasaran=(sasaran("SS 1", "Panjang", long),))

    document = Document(BytesIO(render_lkjip(replace(CONTENT, analysis=analysis))))

    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Kode")
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert [cell.text for cell in table.rows[0].cells][3:] == [str(y) for y in range(2018, 2027)]
    assert len(grid) == 3 + 9
    assert sum(grid) <= 16.5 / 2.54 * 1440


def _png(width: int = 400, height: int = 200) -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), "blue").save(out, format="PNG")
    return out.getvalue()


def test_the_office_signature_and_stamp_image_replaces_the_typed_ttd() -> None:
    signed = replace(SIGNATURE, signed_on=date(2027, 1, 20), image=_png())
    stamped = render_lkjip(replace(CONTENT, konsep=False, signature=signed))

    text = paragraphs(stamped)
    assert "ttd." not in text
    start = text.index("Sekretaris KPU Kota Bengkulu")
    assert "Zahyochi, S.Sos." in text[start:]
    document = Document(BytesIO(stamped))
    images = [shape for shape in document.inline_shapes if shape.height == Cm(3)]
    assert len(images) == 1


def test_the_image_waits_for_the_signature() -> None:
    unsigned = render_lkjip(replace(CONTENT, signature=replace(SIGNATURE, image=_png())))
    document = Document(BytesIO(unsigned))
    assert not [shape for shape in document.inline_shapes if shape.height == Cm(3)]


def test_the_teams_synthesis_of_causes_and_solutions_is_in_each_sasarans_analysis() -> None:
    written = replace(
        CONTENT,
        sasaran_synthesis={"SS 1": "Keberhasilan didukung jadwal yang dimajukan.\nSolusi: rapat."},
    )

    text = paragraphs(render_lkjip(written))

    heading = "Penyebab keberhasilan dan kegagalan serta alternatif solusi"
    assert text.count(heading) == 2  # one per sasaran
    assert "Keberhasilan didukung jadwal yang dimajukan." in text and "Solusi: rapat." in text
    # SS 2 has none written: the report says so instead of leaving a blank.
    assert sum("belum ditulis oleh Tim Laporan Kinerja" in line for line in text) == 1


def test_no_table_row_is_split_over_two_pages(konsep: bytes) -> None:
    document = Document(BytesIO(konsep))
    data_tables = [t for t in document.tables if len(t.rows) > 1 and t.style is not None]
    assert len(data_tables) >= 10

    for table in data_tables:
        if table.style.name != "Table Grid":
            continue
        for row in table.rows[1:]:
            assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None, [
                c.text for c in row.cells
            ]
