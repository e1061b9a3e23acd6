"""Build the .docx templates in templates/ with python-docx, so they are reproducible.

The result is an ordinary Word document holding docxtpl tags: an office may open it in Word
and change the wording or layout, keeping the {{ ... }} and {% ... %} tags (listed in
templates/nota_dinas.md). Run it again to get back the shipped layout:

    .venv/bin/python scripts/build_templates.py [--out templates]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]
FONT = "Arial"
BODY_SIZE = Pt(12)
TABLE_SIZE = Pt(10)
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
        "Data capaian kinerja (realisasi, penjelasan, kendala dan upaya tindak lanjut) beserta "
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
    reference = _borderless_table(document, rows=3, widths=(Cm(2.2), Cm(0.4), Cm(5.4)))
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
    target = args.out / "nota_dinas.docx"
    build_nota_dinas().save(str(target))
    print(f"ditulis: {target}")


if __name__ == "__main__":
    main()
