"""Build the .docx templates in templates/ with python-docx, so they are reproducible.

Each result is an ordinary Word document holding docxtpl tags: an office may open it in Word
and change the wording or layout, keeping the {{ ... }} and {% ... %} tags (listed in
templates/nota_dinas.md, templates/lkjip.md and templates/surat_pengantar.md). Run it again
to get back the shipped layout:

    .venv/bin/python scripts/build_templates.py [--out templates]
"""

from __future__ import annotations

import argparse
from collections.abc import Collection
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]
FONT = "Arial"
BODY_SIZE = Pt(12)
TABLE_SIZE = Pt(10)
# Rupiah columns: "Rp5.303.234.417" has no place to break, so it must fit its column whole.
AMOUNT_SIZE = Pt(9)
TEXT_WIDTH = Cm(16.5)  # A4 less the 2.5 cm left and 2 cm right margins
SIGNATURE_INDENT = Cm(9)

# Elements that must follow w:pBdr inside w:pPr (the schema's order, which Word enforces).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip

# The addressee and copy lists: one paragraph per person, numbered only when there are several.
_YTH = "{% if kepada|length > 1 %}{{ loop.index }}. {% endif %}{{ k }}"
_TEMBUSAN = "{% if tembusan|length > 1 %}{{ loop.index }}. {% endif %}{{ t }}"


def build_nota_dinas() -> DocumentObject:
    """Lay out the Nota Dinas template: letterhead, header block, body, signature, Lampiran."""
    document = Document()
    _set_up_page(document)
    props = document.core_properties
    props.title = "Nota Dinas"
    props.author = "Lapkin"
    props.comments = "Template Lapkin; variabel: templates/nota_dinas.md"

    _paragraph(document, "KOMISI PEMILIHAN UMUM", bold=True, size=Pt(14), align="center")
    _paragraph(document, "{{ kop_wilayah }}", bold=True, size=Pt(14), align="center")
    address = _paragraph(document, "{{ office_address }}", size=Pt(10), align="center")
    _border(address, "bottom", style="thickThinSmallGap", size=24)
    _paragraph(document, "")
    _paragraph(document, "NOTA DINAS", bold=True, align="center")
    _paragraph(document, "Nomor : {{ nomor }}", align="center", space_after=Pt(12))

    block = _borderless_table(document, rows=7, widths=(Cm(3), Cm(0.5), Cm(13)))
    labels = ("Yth.", "Dari", "Tembusan", "Tanggal", "Sifat", "Lampiran", "Hal")
    for row, label in zip(block.rows, labels, strict=True):
        _write(row.cells[0], label)
        _write(row.cells[1], ":")
    _write(block.cell(0, 2), "{%p for k in kepada %}", _YTH, "{%p endfor %}")
    _write(block.cell(1, 2), "{{ dari }}")
    _write(
        block.cell(2, 2), "{%p for t in tembusan %}", _TEMBUSAN, "{%p else %}", "-", "{%p endfor %}"
    )
    for row, name in enumerate(("tanggal", "sifat", "lampiran", "hal"), start=3):
        _write(block.cell(row, 2), f"{{{{ {name} }}}}")
    rule = _paragraph(document, "", space_after=Pt(12))
    _border(rule, "bottom", style="single", size=8)

    for text in (
        "Dalam rangka penyusunan Laporan Kinerja {{ office_name }} periode {{ period_label }}, "
        "bersama ini kami mohon Saudara menyampaikan data capaian kinerja Sub Bagian yang "
        "Saudara pimpin sesuai indikator kinerja dalam Perjanjian Kinerja, sebagaimana "
        "tercantum dalam lampiran Nota Dinas ini.",
        "Data capaian kinerja (realisasi, penjelasan, faktor pendukung dan penghambat, serta upaya "
        "tindak lanjut) beserta "
        "data dukung/bukti pendukungnya disampaikan melalui bot Telegram Lapkin paling lambat "
        "hari {{ deadline_with_day }}.",
        "Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih.",
    ):
        _paragraph(
            document, text, align="justify", first_line=Cm(1.25), space_after=Pt(6), spacing=1.15
        )

    _paragraph(document, "")
    _paragraph(document, "{{ signer_jabatan }}", indent=SIGNATURE_INDENT)
    for _ in range(3):
        _paragraph(document, "", indent=SIGNATURE_INDENT)
    _paragraph(document, "{{ signer_name }}", bold=True, indent=SIGNATURE_INDENT)
    _paragraph(document, "NIP. {{ signer_nip }}", indent=SIGNATURE_INDENT)

    _lampiran(document)
    return document


def _lampiran(document: DocumentObject) -> None:
    """Add the Lampiran page: the indicators each unit must report on, one row each."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    reference = _borderless_table(document, rows=3, widths=(Cm(2.4), Cm(0.4), Cm(5.2)))
    reference.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for row, (label, value) in enumerate(
        (("Lampiran", "Nota Dinas"), ("Nomor", "{{ nomor }}"), ("Tanggal", "{{ tanggal }}"))
    ):
        for column, text in enumerate((label, ":", value)):
            _write(reference.cell(row, column), text, size=TABLE_SIZE)
    _paragraph(document, "")
    _paragraph(document, "DAFTAR INDIKATOR KINERJA", bold=True, align="center")
    _paragraph(
        document,
        "PERMINTAAN DATA CAPAIAN KINERJA {{ period_label|upper }}",
        bold=True,
        align="center",
        space_after=Pt(12),
    )

    headers = ("No", "Sub Bagian", "Kode", "Indikator Kinerja", "Satuan", "Target")
    widths = (Cm(1), Cm(3.6), Cm(1.8), Cm(6.1), Cm(2), Cm(2))
    table = document.add_table(rows=4, cols=len(headers))
    table.style = document.styles["Table Grid"]
    _fix_widths(table, widths)
    for column, title in enumerate(headers):
        cell = table.cell(0, column)
        _write(cell, title, bold=True, size=TABLE_SIZE, align="center")
        _shade(cell, "D9D9D9")
    _repeat_as_header(table.rows[0])
    # docxtpl repeats the middle row once per indicator; the {%tr %} rows themselves vanish.
    _write(table.cell(1, 0), "{%tr for row in indicators %}", size=TABLE_SIZE)
    fields = ("no", "unit_name", "code", "name", "satuan", "target_text")
    for column, field in enumerate(fields):
        align = "center" if field in ("no", "satuan", "target_text") else None
        _write(table.cell(2, column), f"{{{{ row.{field} }}}}", size=TABLE_SIZE, align=align)
    _write(table.cell(3, 0), "{%tr endfor %}", size=TABLE_SIZE)


def build_surat_pengantar() -> DocumentObject:
    """Lay out the Surat Pengantar template: letterhead, addressee, documents sent, receipt."""
    document = Document()
    _set_up_page(document)
    props = document.core_properties
    props.title = "Surat Pengantar"
    props.author = "Lapkin"
    props.comments = "Template Lapkin; variabel: templates/surat_pengantar.md"

    _paragraph(document, "KOMISI PEMILIHAN UMUM", bold=True, size=Pt(14), align="center")
    _paragraph(document, "{{ kop_wilayah }}", bold=True, size=Pt(14), align="center")
    address = _paragraph(document, "{{ office_address }}", size=Pt(10), align="center")
    _border(address, "bottom", style="thickThinSmallGap", size=24)
    _paragraph(document, "")
    _paragraph(document, "SURAT PENGANTAR", bold=True, align="center")
    _paragraph(document, "Nomor : {{ nomor }}", align="center", space_after=Pt(12))
    _paragraph(document, "Yth. {{ kepada }}")
    _paragraph(document, "di")
    _paragraph(document, "{{ tempat }}", indent=Cm(1), space_after=Pt(12))

    _loop_table(
        document,
        ("No", "Naskah/Dokumen yang dikirimkan", "Banyaknya", "Keterangan"),
        (Cm(1), Cm(8), Cm(3), Cm(4.5)),
        "item in items",
        ("item.no", "item.name", "item.count", "item.note"),
        centered={0, 2},
    )
    _paragraph(document, "")

    # The receipt on the left, the sender on the right, as on KPU's printed form.
    closing = _borderless_table(document, rows=1, widths=(Cm(8.25), Cm(8.25)))
    _write(
        closing.cell(0, 0),
        "Diterima tanggal : {{ diterima_pada }}",
        "Jabatan : {{ diterima_jabatan }}",
        "Nama : {{ diterima_oleh }}",
        "NIP : {{ diterima_nip }}",
        "",
        "",
        "Tanda tangan : ....................",
    )
    _write(
        closing.cell(0, 1),
        "{{ city }}, {{ tanggal }}",
        "{{ signer_jabatan }}",
        "",
        "",
        "",
        "",
        align="center",
    )
    signer = closing.cell(0, 1)
    _format(signer.add_paragraph(), "{{ signer_name }}", bold=True, size=None, align="center")
    _format(signer.add_paragraph(), "NIP. {{ signer_nip }}", bold=False, size=None, align="center")
    return document


# The LKjIP (PermenPANRB 53/2014): every chapter's fixed wording lives here, in the template,
# so an office can reword it in Word; the numbers and generated sentences come from
# bot.documents.lkjip_context (variables in templates/lkjip.md).
_LKJIP_LATAR_BELAKANG = (
    "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi "
    "Pemerintah mewajibkan setiap instansi pemerintah menyusun laporan kinerja sebagai wujud "
    "pertanggungjawaban atas pelaksanaan tugas dan fungsi serta penggunaan anggaran. "
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 Tahun "
    "2014 mengatur petunjuk teknis perjanjian kinerja, pelaporan kinerja, dan tata cara reviu "
    "atas laporan kinerja instansi pemerintah.",
    "Laporan Kinerja {{ office_full_name }} Tahun {{ year }} menyajikan capaian kinerja atas "
    "Perjanjian Kinerja Tahun {{ year }}, membandingkannya dengan realisasi tahun-tahun "
    "sebelumnya dan dengan target Rencana Strategis, menguraikan keberhasilan, kendala, dan "
    "upaya tindak lanjutnya, serta menyajikan realisasi anggaran yang mendukungnya. Laporan "
    "ini disampaikan kepada {{ parent_office }} dan menjadi bahan evaluasi untuk perbaikan "
    "kinerja pada tahun berikutnya.",
)
_LKJIP_SISTEMATIKA = (
    "Bab I Pendahuluan: latar belakang, tugas dan fungsi, struktur organisasi, profil sumber "
    "daya manusia, isu strategis, serta sistematika penyajian.",
    "Bab II Perencanaan Kinerja: Rencana Strategis dan Perjanjian Kinerja Tahun {{ year }}.",
    "Bab III Akuntabilitas Kinerja: capaian kinerja organisasi dan realisasi anggaran.",
    "Bab IV Penutup: simpulan atas capaian kinerja dan langkah perbaikan ke depan.",
    "Lampiran: Perjanjian Kinerja, notula rapat reviu, serta lembar paraf dan pengesahan.",
)
_LKJIP_PENGUKURAN = (
    "Pengukuran kinerja dilakukan dengan membandingkan realisasi dengan target setiap "
    "indikator kinerja dalam Perjanjian Kinerja Tahun {{ year }}. Untuk indikator yang "
    "semakin tinggi semakin baik, capaian = realisasi ÷ target × 100%; untuk indikator yang "
    "semakin rendah semakin baik, capaian = (2 × target − realisasi) ÷ target × 100%. "
    "Capaian setiap indikator dikelompokkan ke dalam kategori pada tabel berikut, dan capaian "
    "sasaran strategis adalah rata-rata capaian indikatornya yang terukur."
)
_RED = RGBColor(0xC0, 0x00, 0x00)


def build_lkjip() -> DocumentObject:
    """Lay out the LKjIP template: cover, Kata Pengantar, Ikhtisar, Bab I–IV and the Lampiran."""
    document = Document()
    _set_up_page(document)
    _style_headings(document)
    props = document.core_properties
    props.title = "Laporan Kinerja Instansi Pemerintah"
    props.author = "Lapkin"
    props.comments = "Template Lapkin; variabel: templates/lkjip.md"
    _page_header_and_number(document)
    _update_fields_on_open(document)

    _lkjip_cover(document)
    # The front matter numbered i, ii, …; the cover, a section of its own, carries no number.
    _new_section(document, number_format="lowerRoman", footer=True)
    _heading(document, "KATA PENGANTAR", 1)
    _loop_paragraphs(document, "text", "kata_pengantar")
    _lkjip_kata_pengantar_signer(document)
    _heading(document, "DAFTAR ISI", 1)
    _index_field(document, 'TOC \\o "1-3" \\h \\z \\u')
    _heading(document, "DAFTAR TABEL", 1)
    _index_field(document, 'TOC \\h \\z \\c "Tabel"')
    _heading(document, "DAFTAR GAMBAR", 1)
    _index_field(document, 'TOC \\h \\z \\c "Gambar"')
    _heading(document, "IKHTISAR EKSEKUTIF", 1)
    _loop_paragraphs(document, "text", "ikhtisar")
    _lkjip_ikhtisar_parts(document)
    _caption(document, "Tabel 1 Ringkasan Capaian Sasaran Strategis Tahun {{ year }}")
    _loop_table(
        document,
        ("No", "Sasaran Strategis", "Jumlah Indikator", "Rata-rata Capaian", "Kategori"),
        (Cm(1), Cm(7.3), Cm(2.6), Cm(2.8), Cm(2.8)),
        "s in sasaran",
        ("s.no", "s.title", "s.indicator_count", "s.mean", "s.category"),
        centered={0, 2, 3, 4},
    )
    # Bab I starts page 1 in Arabic numbers.
    _new_section(document, number_format="decimal", footer=False)
    _lkjip_bab_i(document)
    _lkjip_bab_ii(document)
    _lkjip_bab_iii(document)
    _heading(document, "BAB IV\nPENUTUP", 1)
    _loop_paragraphs(document, "text", "penutup")
    _lead(document, "Langkah ke depan")
    _loop_paragraphs(document, "text", "langkah_ke_depan")
    _lkjip_lampiran(document)
    return document


def _lkjip_cover(document: DocumentObject) -> None:
    _paragraph(document, "")
    _paragraph(document, "{%p if logo %}")
    _paragraph(document, "{{ logo }}", align="center")
    _paragraph(document, "{%p else %}")
    for _ in range(3):
        _paragraph(document, "")
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "LAPORAN KINERJA", bold=True, size=Pt(24), align="center")
    _paragraph(document, "INSTANSI PEMERINTAH", bold=True, size=Pt(24), align="center")
    _paragraph(document, "(LKjIP)", bold=True, size=Pt(16), align="center")
    _paragraph(document, "TAHUN {{ year }}", bold=True, size=Pt(20), align="center")
    _paragraph(document, "")
    _paragraph(document, "{%p if konsep %}")
    mark = _paragraph(
        document, "KONSEP — versi {{ version }}", bold=True, size=Pt(16), align="center"
    )
    mark.runs[0].font.color.rgb = _RED
    _paragraph(document, "{%p endif %}")
    for _ in range(6):
        _paragraph(document, "")
    _paragraph(document, "{{ office_full_name|upper }}", bold=True, size=Pt(16), align="center")
    _paragraph(document, "{{ office_address }}", size=Pt(11), align="center")
    _paragraph(document, "{{ city|upper }}", bold=True, size=Pt(14), align="center")
    _paragraph(document, "{{ issued_year }}", bold=True, size=Pt(14), align="center")


def _lkjip_kata_pengantar_signer(document: DocumentObject) -> None:
    _paragraph(document, "")
    _paragraph(document, "{{ signature.city }}, {{ kata_pengantar_date }}", indent=SIGNATURE_INDENT)
    _paragraph(document, "{{ signature.jabatan }}", indent=SIGNATURE_INDENT)
    for _ in range(3):
        _paragraph(document, "", indent=SIGNATURE_INDENT)
    _paragraph(document, "{{ signature.name }}", bold=True, indent=SIGNATURE_INDENT)
    _paragraph(document, "NIP. {{ signature.nip }}", indent=SIGNATURE_INDENT)


def _lkjip_ikhtisar_parts(document: DocumentObject) -> None:
    for title, name in (
        ("Tujuan dan sasaran", "ikhtisar_tujuan"),
        ("Kendala utama", "ikhtisar_kendala"),
        ("Langkah yang telah ditempuh", "ikhtisar_langkah"),
    ):
        _lead(document, title)
        _loop_paragraphs(document, "text", name)


def _lkjip_bab_i(document: DocumentObject) -> None:
    _heading(document, "BAB I\nPENDAHULUAN", 1)
    _heading(document, "A. Latar Belakang", 2)
    for text in _LKJIP_LATAR_BELAKANG:
        _body(document, text)
    _heading(document, "B. Tugas dan Fungsi", 2)
    _loop_paragraphs(document, "text", "tugas_fungsi")
    _heading(document, "C. Struktur Organisasi", 2)
    _body(document, "{{ struktur_sentence }}")
    _charts(document, "struktur_charts")
    _heading(document, "D. Profil Sumber Daya Manusia", 2)
    _body(document, "{{ sdm_sentence }}")
    _caption(document, "Tabel 2 Jumlah Pegawai per Unit Kerja")
    _loop_table(
        document,
        ("No", "Unit Kerja", "Jumlah Pegawai"),
        (Cm(1), Cm(11.5), Cm(4)),
        "u in sdm_rows",
        ("u.no", "u.name", "u.count"),
        centered={0, 2},
    )
    _heading(document, "E. Isu Strategis", 2)
    _loop_paragraphs(document, "text", "isu_strategis")
    _heading(document, "F. Sistematika Penyajian", 2)
    _body(document, "Laporan ini disajikan dengan sistematika sebagai berikut:")
    for number, text in enumerate(_LKJIP_SISTEMATIKA, start=1):
        _item(document, f"{number}.", text)


def _lkjip_bab_ii(document: DocumentObject) -> None:
    _heading(document, "BAB II\nPERENCANAAN KINERJA", 1)
    _heading(document, "A. Rencana Strategis", 2)
    _paragraph(document, "{%p if renstra %}")
    _body(document, "{{ renstra.sentence }}")
    _lead(document, "Visi")
    _body(document, "{{ renstra.visi }}")
    _lead(document, "Misi")
    _paragraph(document, "{%p for text in renstra.misi %}")
    _item(document, "{{ loop.index }}.", "{{ text }}")
    _paragraph(document, "{%p endfor %}")
    _lead(document, "Tujuan")
    _paragraph(document, "{%p for text in renstra.tujuan %}")
    _item(document, "{{ loop.index }}.", "{{ text }}")
    _paragraph(document, "{%p endfor %}")
    _lead(document, "Sasaran strategis dan target tahunan")
    _caption(document, "{{ renstra.caption }}")
    _year_table(
        document,
        (("Sasaran Strategis", Cm(3.8), "r.sasaran"), ("Kode", Cm(1.5), "r.code")),
        ("Indikator Kinerja", Cm(3.6), "r.name"),
        years="renstra.years",
        rows="r in renstra.rows",
        year_width=Cm(1.5),
    )
    _paragraph(document, "{%p else %}")
    _body(
        document,
        "Rencana Strategis yang mencakup Tahun {{ year }} belum dimuat ke Lapkin (bagian "
        "renstra: pada berkas organisasi), sehingga visi, misi, tujuan, dan target tahunannya "
        "belum dapat disajikan.",
    )
    _paragraph(document, "{%p endif %}")
    _heading(document, "B. Perjanjian Kinerja", 2)
    _body(
        document,
        "Perjanjian Kinerja {{ office_full_name }} Tahun {{ year }} memuat {{ sasaran_count }} "
        "sasaran strategis yang diukur dengan {{ indicator_count }} indikator kinerja, "
        "sebagaimana tercantum dalam tabel berikut.",
    )
    _caption(document, "{{ pk_caption }}")
    _pk_table(document)


def _pk_table(document: DocumentObject) -> None:
    _loop_table(
        document,
        ("No", "Sasaran Strategis", "Kode", "Indikator Kinerja", "Satuan", "Target"),
        (Cm(1), Cm(4.2), Cm(1.7), Cm(5.6), Cm(2), Cm(2)),
        "row in pk_rows",
        ("row.no", "row.sasaran", "row.code", "row.name", "row.satuan", "row.target"),
        centered={0, 2, 4, 5},
    )


def _lkjip_bab_iii(document: DocumentObject) -> None:
    _heading(document, "BAB III\nAKUNTABILITAS KINERJA", 1)
    _heading(document, "A. Capaian Kinerja Organisasi", 2)
    _body(document, _LKJIP_PENGUKURAN)
    _caption(document, "{{ scale_caption }}")
    scale = _loop_table(
        document,
        ("Warna", "Kategori", "Rentang Capaian"),
        (Cm(2), Cm(5), Cm(5)),
        "band in scale",
        ("", "band.label", "band.range"),
        centered={1, 2},
    )
    scale.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The colour the charts give the band, so this table is also the charts' legend.
    _write(scale.cell(2, 0), "{% cellbg band.colour %}", size=TABLE_SIZE)

    _paragraph(document, "{%p for s in sasaran %}")
    _heading(document, "{{ s.heading }}", 3)
    _caption(document, "{{ s.table_caption }}")
    _loop_table(
        document,
        ("No", "Kode", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Capaian", "Kategori"),
        (Cm(1), Cm(1.6), Cm(3.95), Cm(1.8), Cm(1.8), Cm(2.2), Cm(2.05), Cm(2.1)),
        "r in s.rows",
        (
            "r.no",
            "r.code",
            "r.name",
            "r.satuan",
            "r.target",
            "r.realisasi",
            "r.capaian",
            "r.category",
        ),
        centered={0, 1, 3, 4, 5, 6, 7},
    )
    _body(document, "{{ s.mean_sentence }}", space_before=Pt(6))
    _charts(document, "s.capaian_charts")

    _lead(document, "Perbandingan dengan tahun sebelumnya")
    _paragraph(document, "{%p if s.history_rows %}")
    _caption(document, "{{ s.history_caption }}")
    _year_table(
        document,
        (("Kode", Cm(1.5), "r.code"), ("Indikator Kinerja", Cm(4.2), "r.name")),
        ("Uraian", Cm(2.2), "r.label"),
        years="s.history_years",
        rows="r in s.history_rows",
    )
    _charts(document, "s.trend_charts")
    _paragraph(document, "{%p endif %}")
    _spaced_paragraphs(document, "s.history_sentences")

    _lead(document, "Perbandingan dengan target jangka menengah (Renstra)")
    _paragraph(document, "{%p if s.renstra_rows %}")
    _caption(document, "{{ s.renstra_caption }}")
    _year_table(
        document,
        (("Kode", Cm(1.5), "r.code"), ("Indikator Kinerja", Cm(2.8), "r.name")),
        ("Uraian", Cm(2.2), "r.label"),
        years="s.renstra_years",
        rows="r in s.renstra_rows",
    )
    _paragraph(document, "{%p endif %}")
    _spaced_paragraphs(document, "s.renstra_sentences")

    _lead(document, "Perbandingan dengan standar nasional")
    _spaced_paragraphs(document, "s.national_sentences")

    _lead(document, "Analisis capaian per indikator")
    _paragraph(document, "{%p for i in s.narratives %}")
    _lead(document, "{{ i.title }}")
    _paragraph(document, "{%p for line in i.lines %}")
    _labelled(document, "{{ line.label }}", "{{ line.text }}")
    _paragraph(document, "{%p endfor %}")
    _paragraph(document, "{%p endfor %}")

    _lead(document, "Penyebab keberhasilan dan kegagalan serta alternatif solusi")
    _loop_paragraphs(document, "text", "s.synthesis")
    _lkjip_sasaran_budget(document)
    _paragraph(document, "{%p endfor %}")

    _lkjip_bab_iii_b(document)


def _lkjip_sasaran_budget(document: DocumentObject) -> None:
    """Bab III.A's analyses (6) and (7) for the sasaran of the loop (PermenPANRB 53/2014)."""
    _lead(document, "Efisiensi penggunaan sumber daya")
    _loop_paragraphs(document, "text", "s.efficiency")
    _lead(document, "Program dan kegiatan yang mendukung atau menghambat")
    _loop_paragraphs(document, "text", "s.programs")


def _lkjip_bab_iii_b(document: DocumentObject) -> None:
    """Bab III.B: the budget per sasaran as the PK lists them, dukungan manajemen, the total."""
    _heading(document, "B. Realisasi Anggaran", 2)
    _paragraph(document, "{%p if budget_rows %}")
    _body(document, "{{ budget_sentence }}")
    _loop_paragraphs(document, "text", "efficiency_rule")
    _paragraph(document, "{%p for g in budget_groups %}")
    _heading(document, "{{ g.heading }}", 3)
    _paragraph(document, "{%p if g.rows %}")
    _caption(document, "{{ g.caption }}")
    _budget_table(document, "g.rows", "g.total")
    _paragraph(document, "{%p endif %}")
    _spaced_paragraphs(document, "g.sentences")
    _paragraph(document, "{%p endfor %}")

    _heading(document, "Rekapitulasi Realisasi Anggaran", 3)
    _caption(document, "{{ budget_caption }}")
    recap = _loop_table(
        document,
        ("No", "Sasaran Strategis", "Pagu", "Realisasi", "Penyerapan", "Capaian"),
        (Cm(1), Cm(3.6), Cm(3.5), Cm(3.5), Cm(2.8), Cm(2.1)),
        "r in budget_recap_rows",
        ("r.no", "r.name", "r.pagu", "r.realisasi", "r.absorption", "r.capaian"),
        centered={0, 4, 5},
        right={2, 3},
        extra_rows=1,
        small={2, 3},
    )
    _jumlah_row(recap, "budget_total")
    _write(recap.rows[-1].cells[5], "-", bold=True, size=TABLE_SIZE, align="center")
    _loop_paragraphs(document, "text", "budget_notes")
    _charts(document, "budget_charts")
    _body(document, "{{ efficiency }}", space_before=Pt(6))
    _paragraph(document, "{%p else %}")
    _body(document, "Data anggaran belum tersedia.")
    _paragraph(document, "{%p endif %}")


def _budget_table(document: DocumentObject, rows: str, total_of: str) -> Table:
    """Add a table of kegiatan (program, kegiatan, pagu, realisasi, penyerapan) and its total.

    No running number: a sasaran has a few kegiatan, and the width goes to the program's name
    ("Penyelenggaraan" must not break) and to amounts of billions in the bold total.
    """
    table = _loop_table(
        document,
        ("Program", "Kegiatan", "Pagu", "Realisasi", "Penyerapan"),
        (Cm(3.5), Cm(3.2), Cm(3.5), Cm(3.5), Cm(2.8)),
        f"b in {rows}",
        ("b.program", "b.kegiatan", "b.pagu", "b.realisasi", "b.absorption"),
        centered={4},
        right={2, 3},
        extra_rows=1,
        small={2, 3},
    )
    _jumlah_row(table, total_of)
    return table


def _jumlah_row(table: Table, total_of: str) -> None:
    """Fill a budget table's last row: "Jumlah" over its first two columns, then the bold
    totals of ``total_of`` (pagu, realisasi, penyerapan) in columns 2–4."""
    total = table.rows[-1]
    total.cells[0].merge(total.cells[1])
    _write(total.cells[0], "Jumlah", bold=True, size=TABLE_SIZE, align="center")
    for column, field in ((2, "pagu"), (3, "realisasi"), (4, "absorption")):
        _write(
            total.cells[column],
            f"{{{{ {total_of}.{field} }}}}",
            bold=True,
            size=AMOUNT_SIZE if column in (2, 3) else TABLE_SIZE,
            align="center" if column == 4 else "right",
        )


YEAR_WIDTH = Cm(2)  # "101,58%" fits a year column of the earlier-years and Renstra tables


def _year_table(
    document: DocumentObject,
    fixed: tuple[tuple[str, Cm, str], ...],
    last_fixed: tuple[str, Cm, str],
    *,
    years: str,
    rows: str,
    year_width: Cm = YEAR_WIDTH,
) -> None:
    """Add a table with fixed columns, then one column per year, however many years there are.

    ``fixed`` and ``last_fixed`` are (header, width, field) of the columns before the years;
    each row's ``cells`` fill the year columns (``year_width`` each: "101,58%" fits; a table
    wider than the page is shrunk to it when rendered).
    """
    columns = (*fixed, last_fixed)
    table = document.add_table(rows=4, cols=len(columns) + 3)
    table.style = document.styles["Table Grid"]
    # Autofit, not fixed: docxtpl repeats the year column, and Word then fits the columns.
    widths = (*(width for _, width, _ in columns), Cm(0.3), year_width, Cm(0.3))
    for column, width in enumerate(widths):
        for row in table.rows:
            row.cells[column].width = width
    header, data = table.rows[0], table.rows[2]
    for column, (title, _, field) in enumerate(columns):
        _write(header.cells[column], title, bold=True, size=TABLE_SIZE, align="center")
        align = None if "name" in field or "sasaran" in field else "center"
        _write(data.cells[column], f"{{{{ {field} }}}}", size=TABLE_SIZE, align=align)
    loop = len(columns)
    _write(header.cells[loop], f"{{%tc for year in {years} %}}", size=TABLE_SIZE)
    _write(header.cells[loop + 1], "{{ year }}", bold=True, size=TABLE_SIZE, align="center")
    _write(header.cells[loop + 2], "{%tc endfor %}", size=TABLE_SIZE)
    for cell in header.cells:
        _shade(cell, "D9D9D9")
    _repeat_as_header(header)
    _write(table.cell(1, 0), f"{{%tr for {rows} %}}", size=TABLE_SIZE)
    _keep_row_on_one_page(data)
    _write(data.cells[loop], "{%tc for value in r.cells %}", size=TABLE_SIZE)
    _write(data.cells[loop + 1], "{{ value }}", size=TABLE_SIZE, align="center")
    _write(data.cells[loop + 2], "{%tc endfor %}", size=TABLE_SIZE)
    _write(table.cell(3, 0), "{%tr endfor %}", size=TABLE_SIZE)


def _lkjip_lampiran(document: DocumentObject) -> None:
    _heading(document, "LAMPIRAN", 1)
    _heading(document, "Perjanjian Kinerja Tahun {{ year }}", 2)
    _pk_table(document)

    _paragraph(document, "{%p if meeting %}")
    _page_break(document)
    _heading(document, "Notula Rapat Reviu Laporan Kinerja", 2)
    block = _borderless_table(document, rows=2, widths=(Cm(3.5), Cm(0.5), Cm(12.5)))
    for row, (label, value) in enumerate(
        (("Hari, tanggal", "{{ meeting.date }}"), ("Tempat", "{{ meeting.place }}"))
    ):
        for column, text in enumerate((label, ":", value)):
            _write(block.cell(row, column), text)
    _lead(document, "Peserta rapat:")
    _paragraph(document, "{%p for name in meeting.attendees %}")
    _item(document, "{{ loop.index }}.", "{{ name }}")
    _paragraph(document, "{%p else %}")
    _body(document, "-")
    _paragraph(document, "{%p endfor %}")
    _lead(document, "Masukan dan saran:")
    _paragraph(document, "{%p if meeting.inputs %}")
    _loop_table(
        document,
        ("No", "Dari", "Indikator", "Masukan/Saran"),
        (Cm(1), Cm(4), Cm(2.2), Cm(9.3)),
        "m in meeting.inputs",
        ("m.no", "m.author", "m.indicator", "m.text"),
        centered={0, 2},
    )
    _paragraph(document, "{%p else %}")
    _body(document, "Tidak ada masukan tertulis.")
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p if meeting.minutes %}")
    _lead(document, "Notulen:")
    _loop_paragraphs(document, "text", "meeting.minutes")
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p endif %}")

    _page_break(document)
    _heading(document, "Lembar Paraf dan Pengesahan", 2)
    _body(
        document,
        "Laporan Kinerja {{ office_full_name }} Tahun {{ year }} telah diperiksa dan diparaf oleh:",
    ).paragraph_format.keep_with_next = True
    _loop_table(
        document,
        ("No", "Nama", "Jabatan", "Paraf/Waktu", "Keterangan"),
        (Cm(1), Cm(4.2), Cm(4.8), Cm(3.8), Cm(2.7)),
        "p in initials",
        ("p.no", "p.name", "p.jabatan", "p.paraf", "p.note"),
        centered={0, 3, 4},
        row_height=Cm(1.2),
    )
    _paragraph(document, "")
    _paragraph(document, "{{ signature.place_date }}", indent=SIGNATURE_INDENT)
    _paragraph(document, "{{ signature.jabatan }}", indent=SIGNATURE_INDENT)
    _paragraph(document, "", indent=SIGNATURE_INDENT)
    _paragraph(document, "{{ signature.mark }}", indent=SIGNATURE_INDENT)
    _paragraph(document, "", indent=SIGNATURE_INDENT)
    _paragraph(document, "{{ signature.name }}", bold=True, indent=SIGNATURE_INDENT)
    _paragraph(document, "NIP. {{ signature.nip }}", indent=SIGNATURE_INDENT)


def _style_headings(document: DocumentObject) -> None:
    """Make Word's heading styles plain black Arial (the navigation pane still lists them)."""
    caption = document.styles["Caption"]
    caption.font.name, caption.font.size, caption.font.bold = FONT, Pt(11), True
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    for level, size in ((1, Pt(14)), (2, Pt(12)), (3, Pt(12))):
        style = document.styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = size
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.rPr.rFonts
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over Arial
        fonts.set(qn("w:eastAsia"), FONT)
        fmt = style.paragraph_format
        fmt.space_before = Pt(18 if level == 1 else 12)
        fmt.space_after = Pt(12 if level == 1 else 6)
        if level == 1:
            fmt.keep_with_next = True
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.page_break_before = True  # every chapter on a page of its own


def _page_header_and_number(document: DocumentObject) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    _format(header, "{{ konsep_mark }}", bold=True, size=Pt(14), align="right")
    header.runs[0].font.color.rgb = _RED
    # The cover's footer stays empty: the page numbers start in the next section.
    section.footer.is_linked_to_previous = False


def _page_number(footer: Paragraph) -> None:
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, " PAGE ", "1")
    for run in footer.runs:
        run.font.size = Pt(10)


def _heading(document: DocumentObject, text: str, level: int) -> Paragraph:
    first, *rest = text.split("\n")
    heading: Paragraph = document.add_heading(first, level)
    for line in rest:  # "BAB I" over "PENDAHULUAN", in one heading
        run = heading.add_run()
        run.add_break()
        run.add_text(line)
    return heading


def _body(document: DocumentObject, text: str, *, space_before: Pt | None = None) -> Paragraph:
    paragraph = _paragraph(document, text, align="justify", space_after=Pt(6), spacing=1.15)
    if space_before is not None:
        paragraph.paragraph_format.space_before = space_before
    return paragraph


def _item(document: DocumentObject, number: str, text: str) -> None:
    """Add a numbered line that hangs under its number (the numbers are text, not Word's)."""
    paragraph = _paragraph(document, f"{number}\t{text}", align="justify", spacing=1.15)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(1.0)
    fmt.first_line_indent = Cm(-0.6)
    fmt.space_after = Pt(3)
    fmt.tab_stops.add_tab_stop(Cm(1.0))


def _labelled(document: DocumentObject, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(0.6)
    fmt.space_after = Pt(3)
    fmt.line_spacing = 1.15


def _lead(document: DocumentObject, text: str) -> None:
    """Add a bold line that introduces what follows (a sub-heading outside the outline)."""
    paragraph = _paragraph(document, text, bold=True, space_after=Pt(3))
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True


def _caption(document: DocumentObject, text: str) -> None:
    """Add a caption: "Tabel N …" with N a SEQ field, so the Daftar Tabel (TOC \\c) lists it.

    A caption that is one tag ({{ s.table_caption }}) gets its SEQ field at render time
    (bot.documents.lkjip numbers the rendered captions).
    """
    paragraph = document.add_paragraph(style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    kind, _, rest = text.partition(" ")
    number, _, title = rest.partition(" ")
    if kind in ("Tabel", "Gambar") and number.isdigit():
        paragraph.add_run(f"{kind} ")
        _field(paragraph, f" SEQ {kind} \\* ARABIC ", number)
        paragraph.add_run(f" {title}")
    else:
        paragraph.add_run(text)


def _field(paragraph: Paragraph, instruction: str, result: str, *, dirty: bool = False) -> None:
    """Add a Word field (begin, instruction, separator, result, end), as Word writes it."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            if dirty:
                element.set(qn("w:dirty"), "true")  # Word recomputes it on opening
        run._r.append(element)
    paragraph.add_run(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _index_field(document: DocumentObject, instruction: str) -> None:
    """Add a Daftar Isi/Tabel/Gambar: a TOC field Word and LibreOffice fill on updating."""
    paragraph = document.add_paragraph()
    _field(
        paragraph,
        f" {instruction} ",
        "Daftar ini diperbarui saat dokumen dibuka (Word: klik kanan, Update Field).",
        dirty=True,
    )


def _update_fields_on_open(document: DocumentObject) -> None:
    """Ask Word to update every field (the Daftar Isi, the page numbers) when it opens."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _new_section(document: DocumentObject, *, number_format: str, footer: bool) -> None:
    """Start a new page section whose page numbers restart at 1 in ``number_format``.

    ``footer``: give this section a page-number footer of its own (the sections before it
    keep theirs; the cover's is empty); later sections inherit the last one.
    """
    section = document.add_section(WD_SECTION.NEW_PAGE)
    numbering = section._sectPr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        section._sectPr.append(numbering)
    numbering.set(qn("w:fmt"), number_format)
    numbering.set(qn("w:start"), "1")
    if footer:
        section.footer.is_linked_to_previous = False
        _page_number(section.footer.paragraphs[0])


def _loop_paragraphs(document: DocumentObject, name: str, items: str) -> None:
    _paragraph(document, f"{{%p for {name} in {items} %}}")
    _body(document, f"{{{{ {name} }}}}")
    _paragraph(document, "{%p endfor %}")


def _spaced_paragraphs(document: DocumentObject, items: str) -> None:
    """Like ``_loop_paragraphs``, each paragraph set off from what is above it (a table)."""
    _paragraph(document, f"{{%p for text in {items} %}}")
    _body(document, "{{ text }}", space_before=Pt(6))
    _paragraph(document, "{%p endfor %}")


def _charts(document: DocumentObject, items: str) -> None:
    """Add the charts of ``items``, each centred above its caption."""
    _paragraph(document, f"{{%p for chart in {items} %}}")
    picture = _paragraph(document, "{{ chart.image }}", align="center")
    picture.paragraph_format.space_before = Pt(6)
    picture.paragraph_format.keep_with_next = True
    _caption(document, "{{ chart.caption }}")
    _paragraph(document, "{%p endfor %}")


def _page_break(document: DocumentObject) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _loop_table(
    document: DocumentObject,
    headers: tuple[str, ...],
    widths: tuple[Cm, ...],
    loop: str,
    fields: tuple[str, ...],
    *,
    centered: Collection[int] = (),
    right: Collection[int] = (),
    extra_rows: int = 0,
    row_height: Cm | None = None,
    small: Collection[int] = (),
) -> Table:
    """Add a table with a grey header and one row per item of ``loop`` (docxtpl's {%tr %})."""
    table: Table = document.add_table(rows=4 + extra_rows, cols=len(headers))
    table.style = document.styles["Table Grid"]
    _fix_widths(table, widths)
    for column, title in enumerate(headers):
        cell = table.cell(0, column)
        _write(cell, title, bold=True, size=TABLE_SIZE, align="center")
        _shade(cell, "D9D9D9")
    _repeat_as_header(table.rows[0])
    # docxtpl repeats the middle row once per item; the {%tr %} rows themselves vanish.
    _write(table.cell(1, 0), f"{{%tr for {loop} %}}", size=TABLE_SIZE)
    for column, field in enumerate(fields):
        if not field:
            continue
        align = "center" if column in centered else "right" if column in right else None
        size = AMOUNT_SIZE if column in small else TABLE_SIZE
        _write(table.cell(2, column), f"{{{{ {field} }}}}", size=size, align=align)
    for row in (table.rows[2], *table.rows[4:]):  # the repeated row and the totals
        _keep_row_on_one_page(row)
    if row_height is not None:
        table.rows[2].height = row_height
    _write(table.cell(3, 0), "{%tr endfor %}", size=TABLE_SIZE)
    return table


def _set_up_page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    # python-docx sets only the Latin font; East Asian text would fall back to another face.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _paragraph(
    parent: DocumentObject | _Cell,
    text: str,
    *,
    bold: bool = False,
    size: Pt | None = None,
    align: str | None = None,
    indent: Cm | None = None,
    first_line: Cm | None = None,
    space_after: Pt | None = None,
    spacing: float | None = None,
) -> Paragraph:
    paragraph = parent.add_paragraph()
    _format(paragraph, text, bold=bold, size=size, align=align)
    fmt = paragraph.paragraph_format
    if indent is not None:
        fmt.left_indent = indent
    if first_line is not None:
        fmt.first_line_indent = first_line
    if space_after is not None:
        fmt.space_after = space_after
    if spacing is not None:
        fmt.line_spacing = spacing
    return paragraph


def _format(
    paragraph: Paragraph, text: str, *, bold: bool, size: Pt | None, align: str | None
) -> None:
    # One run per paragraph, so Word never splits a tag across runs.
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size is not None:
            run.font.size = size
    if align is not None:
        paragraph.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]


def _write(
    cell: _Cell, *lines: str, bold: bool = False, size: Pt | None = None, align: str | None = None
) -> None:
    """Fill ``cell`` with one paragraph per line."""
    first, *rest = lines
    _format(cell.paragraphs[0], first, bold=bold, size=size, align=align)
    for line in rest:
        _format(cell.add_paragraph(), line, bold=bold, size=size, align=align)


def _borderless_table(document: DocumentObject, *, rows: int, widths: tuple[Cm, ...]) -> Table:
    table: Table = document.add_table(rows=rows, cols=len(widths))  # no style: no borders
    _fix_widths(table, widths)
    return table


def _fix_widths(table: Table, widths: tuple[Cm, ...]) -> None:
    table.autofit = False  # a fixed layout: Word keeps these widths instead of guessing
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _border(paragraph: Paragraph, side: str, *, style: str, size: int) -> None:
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for name, value in (("val", style), ("sz", str(size)), ("space", "1"), ("color", "000000")):
        edge.set(qn(f"w:{name}"), value)
    borders.append(edge)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _keep_row_on_one_page(row: _Row) -> None:
    """Keep a row whole: an indicator's name and its years are not split over two pages."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _repeat_as_header(row: _Row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def main() -> None:
    """Write the templates into --out (templates/ by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in (
        ("nota_dinas.docx", build_nota_dinas),
        ("lkjip.docx", build_lkjip),
        ("surat_pengantar.docx", build_surat_pengantar),
    ):
        target = args.out / name
        build().save(str(target))
        print(f"ditulis: {target}")


if __name__ == "__main__":
    main()
