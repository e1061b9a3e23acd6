"""The Nota Dinas: rendered from the shipped template, read back, and broken templates refused."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from bot.documents import (
    TemplateError,
    nota_dinas_context,
    render_nota_dinas,
    template_variables,
)
from bot.documents.nota_dinas import DEFAULT_TEMPLATE
from tests.nota_dinas_data import CONTENT, make_template, paragraphs

ROOT = Path(__file__).resolve().parents[2]


def lampiran_rows(data: bytes) -> list[list[str]]:
    table = Document(BytesIO(data)).tables[-1]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_nota_dinas_holds_everything_the_units_need() -> None:
    data = render_nota_dinas(CONTENT)

    text = paragraphs(data)
    joined = "\n".join(text)
    assert text[:2] == ["KOMISI PEMILIHAN UMUM", "KOTA BENGKULU"]
    assert "NOTA DINAS" in text
    assert "Nomor : 12/PR.01-ND/1771/3/2026" in text
    # Several addressees are numbered; "&" survives the trip through the XML.
    assert "1. Kepala Sub Bagian Keuangan, Umum & Logistik" in text
    for number, addressee in enumerate(CONTENT.kepada, start=1):
        assert f"{number}. {addressee}" in text
    assert "Sekretaris KPU Kota Bengkulu" in text
    assert "25 November 2026" in text
    assert CONTENT.hal in text
    assert "paling lambat hari Senin, 30 November 2026." in joined
    assert "faktor pendukung dan penghambat, serta upaya tindak lanjut" in joined
    assert "Lapkin" in joined and "Tahun 2026" in joined
    assert "Yulia Fitriani, S.T., M.M." in text
    assert "NIP. 198011302006042002" in text
    assert not re.search(r"\{\{|\{%|%\}|\}\}", joined)


def test_the_lampiran_lists_every_indicator_grouped_by_unit() -> None:
    rows = lampiran_rows(render_nota_dinas(CONTENT))

    assert rows[0] == ["No", "Sub Bagian", "Kode", "Indikator Kinerja", "Satuan", "Target"]
    assert rows[1:] == [
        [
            "1",
            "Sub Bagian Keuangan, Umum dan Logistik",
            "IK 2.1",
            "Persentase realisasi anggaran",
            "persen",
            "95",
        ],
        ["2", "", "IK 2.2", "Jumlah temuan hasil pemeriksaan keuangan", "temuan", "0"],
        [
            "3",
            "Sub Bagian Perencanaan, Data dan Informasi",
            "IK 1.1",
            "Persentase dokumen perencanaan dan pelaporan kinerja yang tepat waktu",
            "persen",
            "80–90",
        ],
    ]


def test_one_addressee_is_not_numbered_and_no_copies_print_a_dash() -> None:
    content = replace(CONTENT, kepada=["Kepala Sub Bagian Hukum dan SDM"], tembusan=[])

    text = paragraphs(render_nota_dinas(content))

    assert "Kepala Sub Bagian Hukum dan SDM" in text
    assert "1. Kepala Sub Bagian Hukum dan SDM" not in text
    assert text[text.index("Tembusan") + 2] == "-"


@pytest.mark.parametrize(
    ("office", "letterhead"),
    [
        ("KPU Kota Bengkulu", "KOTA BENGKULU"),
        ("Komisi Pemilihan Umum Provinsi Bengkulu", "PROVINSI BENGKULU"),
        ("Sekretariat Bawaslu", "SEKRETARIAT BAWASLU"),
    ],
)
def test_the_letterhead_names_the_region_under_komisi_pemilihan_umum(
    office: str, letterhead: str
) -> None:
    assert nota_dinas_context(replace(CONTENT, office_name=office))["kop_wilayah"] == letterhead


def test_every_variable_of_the_shipped_template_is_provided() -> None:
    used = template_variables(DEFAULT_TEMPLATE)

    assert used  # the template does use variables
    assert used <= set(nota_dinas_context(CONTENT))


def test_the_variable_list_documents_every_variable() -> None:
    listed = set(
        re.findall(r"^\| `(\w+)` \|", (ROOT / "templates" / "nota_dinas.md").read_text(), re.M)
    )

    assert listed == set(nota_dinas_context(CONTENT))


def test_the_shipped_template_is_what_the_build_script_makes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_templates.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )

    with (
        zipfile.ZipFile(tmp_path / "nota_dinas.docx") as built,
        zipfile.ZipFile(DEFAULT_TEMPLATE) as shipped,
    ):
        for part in ("word/document.xml", "word/styles.xml"):
            assert built.read(part) == shipped.read(part), f"{part}: run scripts/build_templates.py"


def test_a_broken_tag_is_reported_with_the_file_and_the_tag(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "kantor.docx", "Nomor {{ nomor }}", "{% iff nomor %}x{% endif %}"
    )

    with pytest.raises(TemplateError) as caught:
        render_nota_dinas(CONTENT, template=template)

    assert "kantor.docx" in caught.value.message
    assert "{% iff nomor %}" in caught.value.message
    assert caught.value.tag == "{% iff nomor %}"
    assert caught.value.template == template


def test_an_unknown_filter_is_reported_with_its_tag(tmp_path: Path) -> None:
    template = make_template(tmp_path / "kantor.docx", "{{ nomor }}", "{{ hal|tebal }}")

    with pytest.raises(TemplateError, match=r"kantor\.docx.*\{\{ hal\|tebal \}\}"):
        render_nota_dinas(CONTENT, template=template)


def test_an_undefined_variable_is_an_error_not_an_empty_line(tmp_path: Path) -> None:
    template = make_template(tmp_path / "kantor.docx", "Nomor: {{ nomr }}")

    with pytest.raises(TemplateError) as caught:
        render_nota_dinas(CONTENT, template=template)

    assert "kantor.docx" in caught.value.message and "nomr" in caught.value.message
    assert caught.value.tag == "{{ nomr }}"


def test_an_undefined_field_of_a_row_is_an_error(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "kantor.docx", "{%p for row in indicators %}", "{{ row.nama }}", "{%p endfor %}"
    )

    with pytest.raises(TemplateError, match=r"\{\{ row\.nama \}\}"):
        render_nota_dinas(CONTENT, template=template)


def test_an_unclosed_loop_is_an_error(tmp_path: Path) -> None:
    template = make_template(tmp_path / "kantor.docx", "{%p for k in kepada %}", "{{ k }}")

    with pytest.raises(TemplateError, match=r"kantor\.docx.*endfor") as caught:
        render_nota_dinas(CONTENT, template=template)
    assert caught.value.tag == "{%p for k in kepada %}"
    with pytest.raises(TemplateError, match=r"kantor\.docx"):
        template_variables(template)


def test_a_missing_or_non_word_template_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="tidak ditemukan"):
        render_nota_dinas(CONTENT, template=tmp_path / "tidak-ada.docx")
    (tmp_path / "teks.docx").write_text("bukan dokumen")
    with pytest.raises(TemplateError, match=r"teks\.docx bukan dokumen Word"):
        render_nota_dinas(CONTENT, template=tmp_path / "teks.docx")


def test_a_custom_template_renders_the_same_variables(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "kantor.docx", "{{ city }}, {{ tanggal }}", "{{ period_label|upper }}"
    )

    assert paragraphs(render_nota_dinas(CONTENT, template=template)) == [
        "Bengkulu, 25 November 2026",
        "TAHUN 2026",
    ]
