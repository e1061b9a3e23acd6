"""The Surat Pengantar: rendered from the shipped template, read back, broken templates refused."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from bot.documents import (
    SuratPengantarContent,
    SuratPengantarItem,
    TemplateError,
    render_surat_pengantar,
    surat_pengantar_context,
    template_variables,
)
from bot.documents.surat_pengantar import BLANK, DEFAULT_TEMPLATE
from tests.nota_dinas_data import make_template, paragraphs

ROOT = Path(__file__).resolve().parents[2]

ITEMS = [
    SuratPengantarItem(
        "Laporan Kinerja (LKjIP) KPU Kota Bengkulu Tahun 2026 (ditandatangani)",
        "1 (satu) berkas",
        "Asli, ditandatangani dan distempel; dalam bentuk PDF",
    ),
    SuratPengantarItem("Perjanjian Kinerja Tahun 2026", "1 (satu) berkas", ""),
    SuratPengantarItem("Data Dukung Capaian Kinerja Umum & Logistik", "3 (tiga) berkas", "PDF"),
]

CONTENT = SuratPengantarContent(
    office_name="KPU Kota Bengkulu",
    office_address="Jl. WR. Supratman No. 08 Kel. Bentiring Permai Bengkulu",
    city="Bengkulu",
    nomor="3/PR.01-SD/1771/3/2027",
    tanggal=date(2027, 1, 15),
    kepada="Sekretaris KPU Provinsi Bengkulu",
    tempat="Bengkulu",
    items=ITEMS,
    signer_jabatan="Plh. Sekretaris KPU Kota Bengkulu",
    signer_name="Yulia Fitriani, S.T., M.M.",
    signer_nip="198011302006042002",
)


def item_rows(data: bytes) -> list[list[str]]:
    table = Document(BytesIO(data)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_surat_pengantar_holds_the_letter_and_every_document_sent() -> None:
    data = render_surat_pengantar(CONTENT)

    text = paragraphs(data)
    joined = "\n".join(text)
    assert text[:3] == ["KOMISI PEMILIHAN UMUM", "KOTA BENGKULU", CONTENT.office_address]
    assert "SURAT PENGANTAR" in text
    assert "Nomor : 3/PR.01-SD/1771/3/2027" in text
    assert "Yth. Sekretaris KPU Provinsi Bengkulu" in text
    assert text[text.index("di") + 1] == "Bengkulu"
    assert "Bengkulu, 15 Januari 2027" in text
    assert "Plh. Sekretaris KPU Kota Bengkulu" in text
    assert "Yulia Fitriani, S.T., M.M." in text
    assert "NIP. 198011302006042002" in text
    assert not re.search(r"\{\{|\{%|%\}|\}\}", joined)


def test_the_table_has_one_row_per_document() -> None:
    rows = item_rows(render_surat_pengantar(CONTENT))

    assert rows == [
        ["No", "Naskah/Dokumen yang dikirimkan", "Banyaknya", "Keterangan"],
        [
            "1",
            "Laporan Kinerja (LKjIP) KPU Kota Bengkulu Tahun 2026 (ditandatangani)",
            "1 (satu) berkas",
            "Asli, ditandatangani dan distempel; dalam bentuk PDF",
        ],
        ["2", "Perjanjian Kinerja Tahun 2026", "1 (satu) berkas", ""],
        # "&" survives the trip through the XML.
        ["3", "Data Dukung Capaian Kinerja Umum & Logistik", "3 (tiga) berkas", "PDF"],
    ]


def test_the_receipt_block_is_blank_lines_until_the_receipt_is_recorded() -> None:
    text = paragraphs(render_surat_pengantar(CONTENT))

    assert f"Diterima tanggal : {BLANK}" in text
    for line in ("Jabatan", "Nama", "NIP"):
        assert f"{line} : {BLANK}" in text
    assert any(line.startswith("Tanda tangan : ...") for line in text)


def test_a_recorded_receipt_fills_the_block_in_wib() -> None:
    received = replace(
        CONTENT,
        diterima_oleh="Ahmad Fauzi",
        diterima_jabatan="Kepala Subbagian Umum",
        diterima_nip="198001012005011001",
        diterima_pada=datetime(2027, 1, 18, 3, 15, tzinfo=UTC),
    )

    text = paragraphs(render_surat_pengantar(received))

    assert "Diterima tanggal : 18 Januari 2027 pukul 10.15 WIB" in text
    assert "Jabatan : Kepala Subbagian Umum" in text
    assert "Nama : Ahmad Fauzi" in text
    assert "NIP : 198001012005011001" in text
    assert not any(BLANK in line for line in text)


def test_a_naive_receipt_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        surat_pengantar_context(replace(CONTENT, diterima_pada=datetime(2027, 1, 18, 10, 15)))


def test_the_letterhead_names_the_region_as_the_nota_dinas_does() -> None:
    office = "Komisi Pemilihan Umum Kabupaten Seluma"

    context = surat_pengantar_context(replace(CONTENT, office_name=office))

    assert context["kop_wilayah"] == "KABUPATEN SELUMA"


def test_every_variable_of_the_shipped_template_is_provided() -> None:
    used = template_variables(DEFAULT_TEMPLATE)

    assert used
    assert used <= set(surat_pengantar_context(CONTENT))


def test_the_variable_list_documents_every_variable() -> None:
    listed = set(
        re.findall(r"^\| `(\w+)` \|", (ROOT / "templates" / "surat_pengantar.md").read_text(), re.M)
    )

    assert listed == set(surat_pengantar_context(CONTENT))


def test_the_shipped_template_is_what_the_build_script_makes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_templates.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )

    with (
        zipfile.ZipFile(tmp_path / "surat_pengantar.docx") as built,
        zipfile.ZipFile(DEFAULT_TEMPLATE) as shipped,
    ):
        for part in ("word/document.xml", "word/styles.xml"):
            assert built.read(part) == shipped.read(part), f"{part}: run scripts/build_templates.py"


def test_a_broken_tag_is_reported_with_the_file_and_the_tag(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "kantor.docx", "Nomor {{ nomor }}", "{% iff nomor %}x{% endif %}"
    )

    with pytest.raises(TemplateError) as caught:
        render_surat_pengantar(CONTENT, template=template)

    assert "kantor.docx" in caught.value.message
    assert caught.value.tag == "{% iff nomor %}"
    assert caught.value.template == template


def test_a_misspelt_variable_points_to_the_surat_pengantar_list(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "kantor.docx", "{%p for item in items %}", "{{ item.jumlah }}", "{%p endfor %}"
    )

    with pytest.raises(TemplateError) as caught:
        render_surat_pengantar(CONTENT, template=template)

    assert caught.value.tag == "{{ item.jumlah }}"
    assert "templates/surat_pengantar.md" in caught.value.message


def test_a_custom_template_renders_the_same_variables(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "kantor.docx", "{{ city }}, {{ tanggal }}", "{{ kepada|upper }}"
    )

    assert paragraphs(render_surat_pengantar(CONTENT, template=template)) == [
        "Bengkulu, 15 Januari 2027",
        "SEKRETARIS KPU PROVINSI BENGKULU",
    ]
