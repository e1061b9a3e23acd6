"""The LKjIP's front matter and the office's narrative, opened with python-docx."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn

from bot.documents import (
    render_lkjip,
    structure_chart,
)
from tests.lkjip_data import office_report

LOGO = structure_chart(office="KPU", head=("Sekretaris", "A"), units=[("Unit", "B", 1)])
CONTENT = office_report(signed_on=date(2027, 1, 20))


def _text(data: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(data)).paragraphs]


def test_the_cover_has_the_logo_and_the_full_name() -> None:
    with_logo = Document(BytesIO(render_lkjip(replace(CONTENT, logo=LOGO))))
    without = Document(BytesIO(render_lkjip(CONTENT)))

    assert len(with_logo.inline_shapes) == len(without.inline_shapes) + 1
    cover = [p.text for p in with_logo.paragraphs[:25]]
    assert "SEKRETARIAT KOMISI PEMILIHAN UMUM KOTA BENGKULU" in cover


def test_the_kata_pengantar_ends_with_place_date_and_signer() -> None:
    text = _text(render_lkjip(CONTENT))

    start = text.index("KATA PENGANTAR")
    end = text.index("DAFTAR ISI")
    block = text[start:end]
    assert "Bengkulu, 20 Januari 2027" in block
    assert "Zahyochi, S.Sos." in block and "NIP. 197001011990031001" in block


def test_the_cover_is_unnumbered_the_front_matter_roman_and_bab_i_starts_at_one() -> None:
    document = Document(BytesIO(render_lkjip(CONTENT)))

    formats = [
        (s._sectPr.find(qn("w:pgNumType")), s.footer.is_linked_to_previous)
        for s in document.sections
    ]
    assert len(formats) == 3
    assert formats[0][0] is None or formats[0][0].get(qn("w:fmt")) is None
    assert not any(p.text for p in document.sections[0].footer.paragraphs)
    assert formats[1][0].get(qn("w:fmt")) == "lowerRoman"
    assert formats[2][0].get(qn("w:fmt")) == "decimal" and formats[2][0].get(qn("w:start")) == "1"
    assert "PAGE" in document.sections[1].footer.paragraphs[0]._p.xml
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_the_lists_are_fields_and_every_caption_holds_a_seq_field() -> None:
    document = Document(BytesIO(render_lkjip(CONTENT)))
    body = document.element.body
    instructions = [i.text for i in body.iter(qn("w:instrText"))]

    assert any('TOC \\o "1-3"' in i for i in instructions)
    assert any('TOC \\h \\z \\c "Tabel"' in i for i in instructions)
    assert any('TOC \\h \\z \\c "Gambar"' in i for i in instructions)
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert captions and all("SEQ" in p._p.xml for p in captions)
    assert [p.text for p in captions[:2]] == [
        "Tabel 1 Ringkasan Capaian Sasaran Strategis Tahun 2026",
        "Gambar 1 Struktur Organisasi Sekretariat Komisi Pemilihan Umum Kota Bengkulu",
    ]


def test_bab_i_counts_the_people_and_the_team_text_replaces_the_default() -> None:
    written = replace(
        CONTENT,
        narratives={"isu_strategis": "Isu dari tim.\nIsu kedua dari tim.", "tugas_fungsi": " "},
    )
    text = _text(render_lkjip(written))

    assert any("adalah 6 orang" in line for line in text)
    assert "Isu dari tim." in text and "Isu kedua dari tim." in text
    assert not any(line.startswith("Isu strategis yang dihadapi") for line in text)
    # An empty text is no text: the default stays.
    assert any("Peraturan Komisi Pemilihan Umum Nomor 14 Tahun 2020" in line for line in text)
    for heading in ("C. Struktur Organisasi", "D. Profil Sumber Daya Manusia", "E. Isu Strategis"):
        assert heading in text
    assert "Langkah ke depan" in text and "Kendala utama" in text


def test_the_ikhtisar_s_obstacles_leave_out_a_penghambat_that_says_none() -> None:
    from bot.documents.lkjip_narrative import ikhtisar_kendala
    from tests.lkjip_data import IK_22, small_analysis

    analysis = small_analysis()
    # IK 2.2 is below target; its unit wrote that nothing stood in the way.
    said_none = replace(IK_22, kendala="Tidak ada.")
    sasaran = tuple(
        replace(s, indicators=tuple(said_none if i.code == "IK 2.2" else i for i in s.indicators))
        for s in analysis.sasaran
    )

    obstacles = ikhtisar_kendala(replace(analysis, sasaran=sasaran))

    assert not any(line.startswith("IK 2.2:") for line in obstacles)
    assert "IK 2.2: Anggaran sosialisasi dipotong pada revisi DIPA." in ikhtisar_kendala(analysis)
