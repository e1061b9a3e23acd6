"""The Laporan Kinerja Instansi Pemerintah (LKjIP), from a .docx template (SOP steps 2–4).

The structure follows PermenPANRB 53/2014: cover, Kata Pengantar, Ikhtisar Eksekutif, Bab I
Pendahuluan, Bab II Perencanaan Kinerja, Bab III Akuntabilitas Kinerja (A. capaian per
sasaran against the target, earlier years and the Renstra, with the units' own explanation;
B. realisasi anggaran and efficiency), Bab IV Penutup and the Lampiran (Perjanjian Kinerja,
review meeting, lembar paraf and the signature). Fixed wording lives in the template, where
an office can change it in Word; this module supplies the numbers, the tables, the charts and
the sentences generated from them (``lkjip_context``; every variable in templates/lkjip.md).

Every number is written the Indonesian way (``format_number``, ``format_percent``,
``format_rupiah``), every date in Indonesian, every time in the office's zone (WIB unless
told otherwise). A konsep (draft) says "KONSEP" in every page header and on the cover; a
final report says it nowhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from bot.documents import lkjip_budget as budget_text
from bot.documents import lkjip_comparisons as comparisons
from bot.documents import lkjip_narrative as narrative
from bot.documents.charts import (
    Chart,
    band_colours,
    band_ranges,
    budget_chart,
    capaian_charts,
    structure_chart,
    trend_charts,
)
from bot.documents.docx_render import compiling_once, quick_listing
from bot.documents.errors import TemplateError
from bot.documents.lkjip_narrative import capaian_text as _capaian_text
from bot.documents.lkjip_narrative import number_text as _number
from bot.documents.lkjip_narrative import paragraphs as _paragraphs
from bot.documents.lkjip_narrative import percent_text as _percent
from bot.documents.lkjip_narrative import target_text
from bot.documents.templating import open_template as _open
from bot.documents.templating import template_environment as _environment
from bot.documents.templating import template_error as _template_error
from bot.domain.analysis import Analysis, IndicatorResult, SasaranResult
from bot.domain.budget import BudgetLine, budget_totals
from bot.domain.capaian import CapaianStatus
from bot.domain.dates import format_day, format_short_day
from bot.domain.efficiency import (
    BudgetBySasaran,
    KegiatanUse,
    budget_by_sasaran,
    sasaran_efficiency,
)
from bot.domain.formatting import format_datetime
from bot.domain.numbers import format_rupiah

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "lkjip.docx"
WIB = ZoneInfo("Asia/Jakarta")

# The template's XML is the same at every render: compiled once (bot.documents.docx_render).
_ENVIRONMENT = compiling_once(_environment())

KONSEP = "KONSEP"
CHART_WIDTH = Cm(16)  # the text width is 16,5 cm
CHART_MAX_HEIGHT = Cm(22)  # a taller chart is shrunk to fit an A4 page with its caption
SIGNATURE_HEIGHT_CM = 3.0  # the signature-and-stamp image, between the jabatan and the name
BLANK_DATE = "...................................."  # where the date is written by hand
_TEXT_WIDTH_TWIPS = 16.5 / 2.54 * 1440  # A4 less the template's margins


@dataclass(frozen=True)
class LkjipInput:
    """One written input (masukan/saran) from the review meeting."""

    author: str
    indicator_code: str | None  # None for input about the report as a whole
    text: str


@dataclass(frozen=True)
class LkjipMeeting:
    """The review meeting (rapat reviu, SOP step 2d) as the appendix reports it."""

    held_on: date | None
    place: str
    attendees: list[str]
    inputs: list[LkjipInput]
    minutes: str | None


@dataclass(frozen=True)
class LkjipInitial:
    """A Kasubbag on the lembar paraf; ``initialled_at`` is set once they initialled."""

    name: str
    jabatan: str
    initialled_at: datetime | None  # aware; a naive one is read as UTC, as the clock gives
    note: str | None = None  # e.g. "Plh." when someone initials on another's behalf


@dataclass(frozen=True)
class LkjipSignature:
    """The signer (the Sekretaris); ``signed_on`` is set once they signed."""

    name: str
    nip: str
    jabatan: str
    city: str
    signed_on: date | None
    # The office's signature-and-stamp image, placed instead of "ttd." on the signed copy.
    image: bytes | None = None


@dataclass(frozen=True)
class LkjipUnit:
    """A Sub Bagian for Bab I's structure chart and SDM table."""

    name: str
    head_name: str  # its Kasubbag, "" when there is none
    people: int


@dataclass(frozen=True)
class LkjipContent:
    """Everything the LKjIP says beyond the template's fixed wording."""

    analysis: Analysis
    office_name: str
    office_address: str
    city: str
    parent_office: str
    version: int
    konsep: bool
    kata_pengantar: str | None  # None: the default text; paragraphs separated by newlines
    meeting: LkjipMeeting | None
    initials: list[LkjipInitial]
    signature: LkjipSignature
    generated_on: date
    timezone: ZoneInfo = WIB  # for the times on the lembar paraf
    office_full_name: str = ""  # "Sekretariat Komisi Pemilihan Umum Kota Bengkulu"; "" = name
    logo: bytes | None = None  # the cover's image (PNG/JPEG), from the organisation file
    units: tuple[LkjipUnit, ...] = ()  # Bab I's structure and SDM; people outside a unit:
    people_outside_units: int = 0  # the Sekretaris and others, counted in the SDM total
    # The team's own text per section (bot.domain.narrative.SECTIONS), the latest version.
    narratives: Mapping[str, str] = field(default_factory=dict)
    # Bab III.A's synthesis per sasaran code (causes and alternative solutions), by the team.
    sasaran_synthesis: dict[str, str] = field(default_factory=dict)


# The context's top-level names, documented in templates/lkjip.md.
_VARIABLES = frozenset(
    {
        "office_name",
        "office_address",
        "city",
        "parent_office",
        "year",
        "period_label",
        "generated_on",
        "issued_year",
        "konsep",
        "konsep_mark",
        "version",
        "kata_pengantar",
        "kata_pengantar_date",
        "office_full_name",
        "logo",
        "ikhtisar",
        "ikhtisar_tujuan",
        "ikhtisar_kendala",
        "ikhtisar_langkah",
        "tugas_fungsi",
        "struktur_sentence",
        "struktur_charts",
        "sdm_sentence",
        "sdm_rows",
        "isu_strategis",
        "langkah_ke_depan",
        "sasaran_count",
        "indicator_count",
        "renstra",
        "pk_caption",
        "pk_rows",
        "scale_caption",
        "scale",
        "sasaran",
        "budget_rows",
        "budget_total",
        "budget_sentence",
        "budget_caption",
        "budget_charts",
        "budget_groups",
        "budget_recap_rows",
        "budget_notes",
        "efficiency_rule",
        "efficiency",
        "penutup",
        "meeting",
        "initials",
        "signature",
    }
)


def lkjip_variables() -> set[str]:
    """Return the names of the variables ``lkjip_context`` provides to a template."""
    return set(_VARIABLES)


def lkjip_context(content: LkjipContent, tpl: DocxTemplate) -> dict[str, Any]:
    """Return the template variables for ``content``; ``tpl`` receives the charts' images."""
    analysis = content.analysis
    numbers = _Numbering()
    charts = _ChartImages(tpl, numbers)
    full_name = content.office_full_name or content.office_name
    written = content.narratives
    # Bab I's chart is the report's first figure.
    struktur = [charts.image(f"Struktur Organisasi {full_name}", _structure_png(content))]
    # Bab II's tables (the Renstra when there is one, the PK) and Bab III's scale come next.
    renstra = comparisons.renstra_overview(analysis.renstra, office=full_name, year=analysis.year)
    if renstra is not None:
        renstra["caption"] = (
            f"{numbers.table()} Sasaran Strategis, Indikator Kinerja dan Target Renstra "
            f"Tahun {renstra['period']}"
        )
    pk_caption = f"{numbers.table()} Perjanjian Kinerja Tahun {analysis.year}"
    scale_caption = f"{numbers.table()} Kategori Capaian Kinerja"
    for chart in capaian_charts(analysis):
        charts.add("capaian", chart)
    for chart in trend_charts(analysis):
        charts.add("trend", chart)
    sasaran = [
        _sasaran_context(
            index, item, analysis, numbers, charts, content.sasaran_synthesis.get(item.code)
        )
        for index, item in enumerate(analysis.sasaran, start=1)
    ]
    # Numbered after the sasaran's tables and figures, in the order the report shows them:
    # one table per sasaran with kegiatan, dukungan manajemen, then the recapitulation.
    by_sasaran = budget_by_sasaran(analysis)
    budget_groups = _budget_groups(by_sasaran, numbers) if analysis.budget else []
    budget_caption = (
        f"{numbers.table()} Rekapitulasi Realisasi Anggaran per Sasaran Strategis Tahun "
        f"{analysis.year}"
    )
    budget_png = budget_chart(analysis)
    budget_figures = (
        [charts.image(f"Penyerapan Anggaran dan Capaian Kinerja Tahun {analysis.year}", budget_png)]
        if budget_png is not None
        else []
    )
    colours = band_colours(analysis.scale)
    return {
        "office_name": content.office_name,
        "office_address": content.office_address,
        "city": content.city,
        "parent_office": content.parent_office,
        "year": str(analysis.year),
        "period_label": analysis.period_label,
        "generated_on": format_short_day(content.generated_on),
        "issued_year": str(content.generated_on.year),
        "konsep": content.konsep,
        "konsep_mark": KONSEP if content.konsep else "",
        "version": content.version,
        "kata_pengantar": narrative.kata_pengantar(
            office=full_name,
            analysis=analysis,
            written=written.get("kata_pengantar") or content.kata_pengantar,
        ),
        "kata_pengantar_date": _signature(content.signature, tpl)["day"],
        "office_full_name": full_name,
        "logo": _logo(tpl, content.logo),
        "ikhtisar": narrative.ikhtisar(office=full_name, analysis=analysis),
        "ikhtisar_tujuan": narrative.written_or(
            written.get("ikhtisar_tujuan"), narrative.ikhtisar_tujuan(analysis)
        ),
        "ikhtisar_kendala": narrative.written_or(
            written.get("ikhtisar_kendala"), narrative.ikhtisar_kendala(analysis)
        ),
        "ikhtisar_langkah": narrative.written_or(
            written.get("ikhtisar_langkah"), narrative.ikhtisar_langkah(analysis)
        ),
        "tugas_fungsi": narrative.written_or(
            written.get("tugas_fungsi"), narrative.tugas_fungsi(office_full_name=full_name)
        ),
        "struktur_sentence": (
            f"Struktur organisasi {full_name} terdiri atas {len(content.units)} Sub Bagian, "
            "sebagaimana gambar berikut."
        ),
        "struktur_charts": struktur,
        "sdm_sentence": _sdm_sentence(content),
        "sdm_rows": _sdm_rows(content),
        "isu_strategis": narrative.written_or(
            written.get("isu_strategis"), narrative.isu_strategis(analysis)
        ),
        "langkah_ke_depan": narrative.written_or(
            written.get("langkah_ke_depan"), narrative.langkah_ke_depan(analysis)
        ),
        "sasaran_count": str(len(analysis.sasaran)),
        "indicator_count": str(len(analysis.indicators)),
        "renstra": renstra,
        "pk_caption": pk_caption,
        "pk_rows": _pk_rows(analysis),
        "scale_caption": scale_caption,
        "scale": [
            {"label": label, "range": span, "colour": colours[label].lstrip("#")}
            for label, span in band_ranges(analysis.scale)
        ],
        "sasaran": sasaran,
        "budget_rows": _budget_rows(analysis.budget),
        "budget_total": _budget_total(analysis.budget),
        "budget_sentence": narrative.budget_sentence(analysis),
        "budget_caption": budget_caption,
        "budget_charts": budget_figures,
        "budget_groups": budget_groups,
        "budget_recap_rows": _budget_recap_rows(by_sasaran),
        "budget_notes": _budget_notes(by_sasaran, analysis.year),
        "efficiency_rule": list(budget_text.EFFICIENCY_RULE),
        "efficiency": narrative.efficiency_sentence(analysis),
        "penutup": narrative.penutup(office=full_name, analysis=analysis),
        "meeting": _meeting(content.meeting),
        "initials": [
            _initial(number, item, content.timezone)
            for number, item in enumerate(content.initials, start=1)
        ],
        "signature": _signature(content.signature, tpl),
    }


def render_lkjip(content: LkjipContent, *, template: Path | None = None) -> bytes:
    """Render the LKjIP as .docx bytes, or raise TemplateError naming the file and the tag."""
    path = template or DEFAULT_TEMPLATE
    document = quick_listing(_open(path))
    context = lkjip_context(content, document)
    try:
        document.render(context, jinja_env=_ENVIRONMENT)
        _fit_grids(document.docx.element.body)
        _number_captions(document.docx.element.body)
        buffer = BytesIO()
        document.save(buffer)
    except jinja2.TemplateError as exc:
        error = _template_error(path, exc)
        # The shared helper points at the Nota Dinas' variable list; this is the LKjIP's.
        raise TemplateError(
            error.message.replace("nota_dinas.md", "lkjip.md"), template=path, tag=error.tag
        ) from None
    except etree.XMLSyntaxError as exc:
        # A tag placed across Word's structure (half a table, say) renders to broken XML.
        raise TemplateError(
            f"Template {path.name} menghasilkan dokumen rusak: ada tag {{% ... %}} yang "
            f"memotong tabel atau paragraf ({exc}).",
            template=path,
        ) from None
    return buffer.getvalue()


def _fit_grids(body: Any) -> None:
    """Give each table's grid its cells' widths, shrunk to the text width when too wide.

    docxtpl's column loop ({%tc for %}, the table of earlier years) repeats a cell but leaves
    the table's grid as it guessed it; Word follows the cells, LibreOffice (and so the PDF)
    follows the grid.
    """
    for table in body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        rows = table.findall(qn("w:tr"))
        if grid is None or not rows:
            continue
        widths = [_cell_width(cell) for cell in rows[0].findall(qn("w:tc"))]
        if not widths or None in widths:
            continue  # a merged or unsized cell: leave the table as Word would lay it out
        sized = [width for width in widths if width is not None]
        scale = min(1.0, _TEXT_WIDTH_TWIPS / sum(sized))
        fitted = [str(int(width * scale)) for width in sized]
        for column in grid.findall(qn("w:gridCol")):
            grid.remove(column)
        for width in fitted:
            column = OxmlElement("w:gridCol")
            column.set(qn("w:w"), width)
            grid.append(column)
        if scale < 1:
            for row in rows:
                cells = row.findall(qn("w:tc"))
                if len(cells) != len(fitted):
                    continue  # a row with merged cells keeps its own widths
                for cell, width in zip(cells, fitted, strict=True):
                    size = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                    if size is not None:
                        size.set(qn("w:w"), width)


def _cell_width(cell: Any) -> int | None:
    properties = cell.find(qn("w:tcPr"))
    if properties is None or properties.find(qn("w:gridSpan")) is not None:
        return None
    size = properties.find(qn("w:tcW"))
    if size is None or size.get(qn("w:type")) != "dxa":
        return None
    return int(size.get(qn("w:w")))


_CAPTION = re.compile(r"^(Tabel|Gambar) (\d+) ")


def _number_captions(body: Any) -> None:
    """Turn the number of each rendered caption "Tabel 7 …" into a SEQ field (result 7).

    The Daftar Tabel and Daftar Gambar (TOC \\c "Tabel", TOC \\c "Gambar") list the
    paragraphs holding such a field; the numbers run through the report, as Word and
    LibreOffice count them when they update the fields, so the result shown stays the same.
    """
    for paragraph in body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None or style.get(qn("w:val")) != "Caption":
            continue
        if paragraph.find(f".//{qn('w:instrText')}") is not None:
            continue  # the template's own captions already hold their field
        runs = paragraph.findall(qn("w:r"))
        text = "".join(t.text or "" for r in runs for t in r.findall(qn("w:t")))
        match = _CAPTION.match(text)
        if not runs or match is None:
            continue
        kind, number = match.groups()
        template_run = runs[0]
        for run in runs:
            paragraph.remove(run)
        pieces = [
            ("text", f"{kind} "),
            ("begin", None),
            ("instr", f" SEQ {kind} \\* ARABIC "),
            ("separate", None),
            ("text", number),
            ("end", None),
            ("text", text[match.end() - 1 :]),
        ]
        for kind_of_piece, value in pieces:
            run = OxmlElement("w:r")
            properties = template_run.find(qn("w:rPr"))
            if properties is not None:
                run.append(etree.fromstring(etree.tostring(properties)))
            if kind_of_piece == "text":
                element = OxmlElement("w:t")
                element.set(qn("xml:space"), "preserve")
                element.text = value
            elif kind_of_piece == "instr":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = value
            else:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind_of_piece)
            run.append(element)
            paragraph.append(run)


class _Numbering:
    """Numbers the tables and figures in the order they appear, through the whole report."""

    def __init__(self) -> None:
        # Tabel 1–2 are the template's own: the Ikhtisar's summary and Bab I's SDM.
        self._tables = 2
        self._figures = 0

    def table(self) -> str:
        self._tables += 1
        return f"Tabel {self._tables}"

    def figure(self) -> str:
        self._figures += 1
        return f"Gambar {self._figures}"


def _logo(tpl: DocxTemplate, logo: bytes | None) -> InlineImage | None:
    if not logo:
        return None
    return InlineImage(tpl, BytesIO(logo), height=Cm(4))


def _structure_png(content: LkjipContent) -> bytes:
    sekretaris = (content.signature.jabatan, content.signature.name)
    return structure_chart(
        office=content.office_full_name or content.office_name,
        head=sekretaris,
        units=[(unit.name, unit.head_name, unit.people) for unit in content.units],
    )


def _sdm_rows(content: LkjipContent) -> list[dict[str, Any]]:
    return [
        {"no": number, "name": unit.name, "count": str(unit.people)}
        for number, unit in enumerate(content.units, start=1)
    ]


def _sdm_sentence(content: LkjipContent) -> str:
    total = sum(unit.people for unit in content.units) + content.people_outside_units
    return (
        f"Jumlah pegawai {content.office_full_name or content.office_name} yang tercatat "
        f"adalah {total} orang: {content.people_outside_units} orang pada pimpinan "
        f"sekretariat dan {total - content.people_outside_units} orang pada "
        f"{len(content.units)} Sub Bagian, dengan rincian sebagai berikut."
    )


class _ChartImages:
    """The charts as docxtpl images, per sasaran and kind, numbered as they are placed."""

    def __init__(self, tpl: DocxTemplate, numbers: _Numbering) -> None:
        self._tpl = tpl
        self._numbers = numbers
        self._charts: dict[tuple[str, str | None], list[Chart]] = {}

    def add(self, kind: str, chart: Chart) -> None:
        self._charts.setdefault((kind, chart.sasaran_code), []).append(chart)

    def placed(self, kind: str, sasaran_code: str) -> list[dict[str, Any]]:
        """Return the images of ``kind`` for the sasaran, numbered from here on."""
        return [self.image(c.title, c.png) for c in self._charts.get((kind, sasaran_code), [])]

    def image(self, title: str, png: bytes) -> dict[str, Any]:
        width, height = _fit(png)
        return {
            "image": InlineImage(self._tpl, BytesIO(png), width=width, height=height),
            "caption": f"{self._numbers.figure()} {title}",
        }


def _fit(png: bytes) -> tuple[Length, Length]:
    """Return the printed size of a PNG: the text width, or less when it would be too tall."""
    # The IHDR chunk, always first, holds the pixel width and height at bytes 16–24.
    pixels_wide = int.from_bytes(png[16:20], "big")
    pixels_high = int.from_bytes(png[20:24], "big")
    width = int(CHART_WIDTH)
    height = width * pixels_high // max(pixels_wide, 1)
    if height > CHART_MAX_HEIGHT:
        width = width * int(CHART_MAX_HEIGHT) // height
        height = int(CHART_MAX_HEIGHT)
    return Length(width), Length(height)


def _sasaran_context(
    number: int,
    sasaran: SasaranResult,
    analysis: Analysis,
    numbers: _Numbering,
    charts: _ChartImages,
    synthesis: str | None,
) -> dict[str, Any]:
    indicators = sasaran.indicators
    table_caption = f"{numbers.table()} Capaian Indikator Kinerja {sasaran.code}"
    capaian_images = charts.placed("capaian", sasaran.code)
    history_years, history_rows = comparisons.earlier_years_table(indicators, analysis.year)
    history_caption = (
        f"{numbers.table()} Target, Realisasi dan Capaian {sasaran.code} Tahun "
        f"{history_years[0]}–{analysis.year}"
        if history_rows
        else ""
    )
    trend_images = charts.placed("trend", sasaran.code)
    renstra_years, renstra_rows = comparisons.renstra_path_table(indicators, analysis)
    renstra_caption = (
        f"{numbers.table()} Capaian {sasaran.code} terhadap Target Renstra Tahun "
        f"{renstra_years[0]}–{renstra_years[-1]}"
        if renstra_rows
        else ""
    )
    return {
        "no": number,
        "code": sasaran.code,
        "name": sasaran.name,
        "title": f"{sasaran.code} {sasaran.name}",
        "heading": f"Sasaran Strategis {number}: {sasaran.name}",
        "indicator_count": len(indicators),
        "mean": _percent(sasaran.mean),
        "category": sasaran.category or "-",
        "mean_sentence": narrative.mean_sentence(sasaran),
        **_sasaran_budget(sasaran, analysis),
        "table_caption": table_caption,
        "rows": [_indicator_row(index, item) for index, item in enumerate(indicators, start=1)],
        "capaian_charts": capaian_images,
        "history_caption": history_caption,
        "history_years": history_years,
        "history_rows": history_rows,
        "history_sentences": comparisons.earlier_years_sentences(indicators, analysis.year),
        "trend_charts": trend_images,
        "renstra_caption": renstra_caption,
        "renstra_years": renstra_years,
        "renstra_rows": renstra_rows,
        "renstra_sentences": comparisons.renstra_sentences(indicators, analysis.year),
        "national_sentences": comparisons.national_standard_sentences(indicators),
        "narratives": [narrative.indicator_narrative(item, analysis.year) for item in indicators],
        # The team's synthesis of causes and solutions (/narasi), or a plain sentence saying
        # it is not written yet: an evaluator reads that it is missing, not a blank.
        "synthesis": _paragraphs(synthesis)
        if synthesis and synthesis.strip()
        else [narrative.NO_SYNTHESIS],
    }


def _indicator_row(number: int, result: IndicatorResult) -> dict[str, Any]:
    return {
        "no": number,
        "code": result.code,
        "name": result.name,
        "satuan": result.satuan,
        "target": target_text(result.target),
        "realisasi": _number(result.realisasi),
        "capaian": _capaian_text(result.capaian),
        "category": _category_text(result),
    }


def _pk_rows(analysis: Analysis) -> list[dict[str, Any]]:
    # Grouped by sasaran; the sasaran is named on its first row only, so each reads as a block.
    rows: list[dict[str, Any]] = []
    for sasaran in analysis.sasaran:
        for position, result in enumerate(sasaran.indicators):
            rows.append(
                {
                    "no": len(rows) + 1,
                    "sasaran": f"{sasaran.code} {sasaran.name}" if position == 0 else "",
                    "code": result.code,
                    "name": result.name,
                    "satuan": result.satuan,
                    "target": target_text(result.target),
                }
            )
    return rows


def _budget_rows(lines: Sequence[BudgetLine]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    previous: str | None = None
    for line in lines:
        rows.append(
            {
                "no": len(rows) + 1,
                "program": line.program if line.program != previous else "",
                "kegiatan": line.kegiatan,
                "pagu": format_rupiah(line.pagu),
                "realisasi": format_rupiah(line.realisasi),
                "absorption": _percent(line.absorption),
            }
        )
        previous = line.program
    return rows


def _sasaran_budget(sasaran: SasaranResult, analysis: Analysis) -> dict[str, Any]:
    """Bab III.A's analyses (6) efficiency and (7) programs and kegiatan, for one sasaran."""
    if not analysis.budget:
        return {"efficiency": [budget_text.NO_BUDGET], "programs": [budget_text.NO_BUDGET]}
    item = sasaran_efficiency(analysis, sasaran.code)
    return {
        "efficiency": budget_text.efficiency_paragraphs(item),
        "programs": budget_text.program_paragraphs(item),
    }


def _budget_groups(by_sasaran: BudgetBySasaran, numbers: _Numbering) -> list[dict[str, Any]]:
    """Bab III.B: per sasaran (the PK's order) its kegiatan and efficiency; then the rest."""
    groups: list[dict[str, Any]] = []
    for item in by_sasaran.sasaran:
        lines = [use.line for use in item.kegiatan]
        groups.append(
            {
                "heading": f"{item.sasaran.code} {item.sasaran.name}",
                "caption": (
                    f"{numbers.table()} Realisasi Anggaran Kegiatan Pendukung {item.sasaran.code}"
                    if lines
                    else ""
                ),
                "rows": _group_rows(item.kegiatan),
                "total": _budget_total(lines),
                "sentences": [budget_text.efficiency_sentence(item)],
            }
        )
    if by_sasaran.support:
        groups.append(
            {
                "heading": "Dukungan Manajemen",
                "caption": f"{numbers.table()} Realisasi Anggaran Dukungan Manajemen",
                "rows": _budget_rows(by_sasaran.support),
                "total": _budget_total(by_sasaran.support),
                "sentences": budget_text.support_paragraphs(by_sasaran.support),
            }
        )
    return groups


def _group_rows(uses: Sequence[KegiatanUse]) -> list[dict[str, Any]]:
    rows = _budget_rows([use.line for use in uses])
    for row, use in zip(rows, uses, strict=True):
        if use.also_serves:
            row["kegiatan"] = f"{row['kegiatan']} (juga untuk {', '.join(use.also_serves)})"
    return rows


def _budget_recap_rows(by_sasaran: BudgetBySasaran) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in by_sasaran.sasaran:
        mapped = bool(item.kegiatan)
        rows.append(
            {
                "no": len(rows) + 1,
                "name": f"{item.sasaran.code} {item.sasaran.name}",
                "pagu": format_rupiah(item.pagu) if mapped else "-",
                "realisasi": format_rupiah(item.realisasi) if mapped else "-",
                "absorption": _percent(item.absorption),
                "capaian": _percent(item.mean),
            }
        )
    if by_sasaran.support:
        total = _budget_total(by_sasaran.support)
        rows.append({"no": len(rows) + 1, "name": "Dukungan Manajemen", **total, "capaian": "-"})
    return rows


def _budget_notes(by_sasaran: BudgetBySasaran, year: int) -> list[str]:
    notes = budget_text.unknown_notes(by_sasaran, year)
    if not by_sasaran.mapped:
        notes.append(budget_text.NOTHING_MAPPED)
    if any(use.also_serves for item in by_sasaran.sasaran for use in item.kegiatan):
        notes.append(budget_text.SHARED_NOTE)
    return notes


def _budget_total(lines: Sequence[BudgetLine]) -> dict[str, str]:
    pagu, realisasi, absorption = budget_totals(lines)
    return {
        "pagu": format_rupiah(pagu),
        "realisasi": format_rupiah(realisasi),
        "absorption": _percent(absorption),
    }


def _meeting(meeting: LkjipMeeting | None) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {
        "date": format_day(meeting.held_on) if meeting.held_on else "-",
        "place": meeting.place or "-",
        "attendees": list(meeting.attendees),
        "inputs": [
            {
                "no": number,
                "author": item.author,
                "indicator": item.indicator_code or "Umum",
                "text": item.text,
            }
            for number, item in enumerate(meeting.inputs, start=1)
        ],
        "minutes": _paragraphs(meeting.minutes or ""),
    }


def _initial(number: int, initial: LkjipInitial, tz: ZoneInfo) -> dict[str, Any]:
    paraf = ""
    if initial.initialled_at is not None:
        moment = initial.initialled_at
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        paraf = f"Diparaf {format_datetime(moment, tz)}"
    return {
        "no": number,
        "name": initial.name,
        "jabatan": initial.jabatan,
        "paraf": paraf,
        "note": initial.note or "",
    }


def _signature(signature: LkjipSignature, tpl: DocxTemplate) -> dict[str, Any]:
    signed = signature.signed_on is not None
    mark: object = "ttd." if signed else ""
    if signed and signature.image is not None:
        mark = InlineImage(tpl, BytesIO(signature.image), height=Cm(SIGNATURE_HEIGHT_CM))
    day = format_short_day(signature.signed_on) if signature.signed_on else BLANK_DATE
    return {
        "city": signature.city,
        "day": day,
        "place_date": f"{signature.city}, {day}",
        "jabatan": signature.jabatan,
        "name": signature.name,
        "nip": signature.nip,
        "signed": signed,
        # "ttd." (tertanda) where the signature goes: this copy records a signature given;
        # or the office's signature-and-stamp image.
        "mark": mark,
    }


def _category_text(result: IndicatorResult) -> str:
    if result.category:
        return result.category
    if result.capaian.status is CapaianStatus.NOT_MEASURABLE:
        return "Tidak dapat diukur"
    return "Tidak ada data"
