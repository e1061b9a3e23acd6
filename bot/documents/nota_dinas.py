"""The Nota Dinas asking every unit for its capaian kinerja (SOP step 1), from a .docx template."""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from lxml import etree

from bot.documents.errors import TemplateError
from bot.domain.dates import format_day, format_short_day

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "nota_dinas.docx"

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_XML_TAG = re.compile(r"<[^>]+>")
_QUOTED = re.compile(r"'([^']+)'")
_UNCLOSED = re.compile(r"block that needs to be closed is '(\w+)'")
_OFFICE_PREFIX = re.compile(r"^(?:KPU|KOMISI PEMILIHAN UMUM)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class NotaDinasIndicator:
    """One indicator in the Lampiran table."""

    unit_name: str
    code: str
    name: str
    satuan: str
    target_text: str  # already formatted, e.g. "85,5" or "80–90"


@dataclass(frozen=True)
class NotaDinasContent:
    """Everything a Nota Dinas says."""

    office_name: str  # "KPU Kota Bengkulu"
    office_address: str
    city: str
    nomor: str
    kepada: list[str]  # the Yth. lines, one per addressee
    dari: str  # the sender's jabatan
    tembusan: list[str]
    tanggal: date
    sifat: str  # "Segera"
    lampiran: str  # "1 (satu) berkas"
    hal: str  # "Permintaan Data Capaian Kinerja Tahun 2026"
    period_label: str  # "Tahunan 2026", "Triwulan I 2026"
    deadline: date
    indicators: list[NotaDinasIndicator]
    signer_jabatan: str
    signer_name: str
    signer_nip: str


def nota_dinas_context(content: NotaDinasContent) -> dict[str, Any]:
    """Return the template variables for ``content``: text as it is printed, dates in Indonesian."""
    return {
        "kop_wilayah": _OFFICE_PREFIX.sub("", content.office_name.strip()).upper(),
        "office_name": content.office_name,
        "office_address": content.office_address,
        "city": content.city,
        "nomor": content.nomor,
        "kepada": list(content.kepada),
        "dari": content.dari,
        "tembusan": list(content.tembusan),
        "tanggal": format_short_day(content.tanggal),
        "sifat": content.sifat,
        "lampiran": content.lampiran,
        "hal": content.hal,
        "period_label": content.period_label,
        "deadline": format_short_day(content.deadline),
        "deadline_with_day": format_day(content.deadline),
        "indicators": _lampiran_rows(content.indicators),
        "signer_jabatan": content.signer_jabatan,
        "signer_name": content.signer_name,
        "signer_nip": content.signer_nip,
    }


def _lampiran_rows(indicators: list[NotaDinasIndicator]) -> list[dict[str, object]]:
    # Grouped by unit in the order units first appear; the unit is named on its first row only,
    # so the table reads as one block per Sub Bagian.
    units: dict[str, list[NotaDinasIndicator]] = {}
    for indicator in indicators:
        units.setdefault(indicator.unit_name, []).append(indicator)
    rows: list[dict[str, object]] = []
    for unit_name, members in units.items():
        for position, indicator in enumerate(members):
            rows.append(
                {
                    "no": len(rows) + 1,
                    "unit_name": unit_name if position == 0 else "",
                    "code": indicator.code,
                    "name": indicator.name,
                    "satuan": indicator.satuan,
                    "target_text": indicator.target_text,
                }
            )
    return rows


def render_nota_dinas(content: NotaDinasContent, *, template: Path | None = None) -> bytes:
    """Render the Nota Dinas as .docx bytes, or raise TemplateError naming the bad tag."""
    path = template or DEFAULT_TEMPLATE
    document = _open(path)
    try:
        document.render(nota_dinas_context(content), jinja_env=_environment())
        buffer = BytesIO()
        document.save(buffer)
    except jinja2.TemplateError as exc:
        raise _template_error(path, exc) from None
    except etree.XMLSyntaxError as exc:
        # A tag placed across Word's structure (half a table, say) renders to broken XML.
        raise TemplateError(
            f"Template {path.name} menghasilkan dokumen rusak: ada tag {{% ... %}} yang "
            f"memotong tabel atau paragraf ({exc}).",
            template=path,
        ) from None
    return buffer.getvalue()


def template_variables(path: Path) -> set[str]:
    """Return the names of the variables the template at ``path`` uses."""
    document = _open(path)
    try:
        variables: set[str] = document.get_undeclared_template_variables(_environment())
    except jinja2.TemplateError as exc:
        raise _template_error(path, exc) from None
    return variables


def _environment() -> jinja2.Environment:
    # StrictUndefined: a misspelt variable is an error, not a silently empty line in a letter.
    # Autoescape: names such as "Umum & Logistik" must not break the document's XML.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def _open(path: Path) -> Any:
    try:
        document = DocxTemplate(path)
        document.init_docx()
    except FileNotFoundError:
        raise TemplateError(f"Template {path} tidak ditemukan.", template=path) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise TemplateError(
            f"Template {path.name} bukan dokumen Word (.docx) yang dapat dibaca.", template=path
        ) from None
    return document


def _template_error(path: Path, exc: jinja2.TemplateError) -> TemplateError:
    detail = (exc.message or type(exc).__name__).rstrip(".")
    if isinstance(exc, jinja2.UndefinedError):
        tag = _find_tag(_all_tags(path), _QUOTED.findall(detail))
        where = f" di tag {tag}" if tag else ""
        return TemplateError(
            f"Template {path.name} memakai variabel yang tidak tersedia{where}: {detail}. "
            "Periksa ejaannya di templates/nota_dinas.md.",
            template=path,
            tag=tag,
        )
    if isinstance(exc, jinja2.TemplateSyntaxError) and (block := _UNCLOSED.search(detail)):
        # The error points at the end of the document; the culprit is the block's opening tag.
        opening = re.compile(rf"^\{{%-?(p|tr|tc|r)?\s+{block[1]}\b")
        found = [(t, m[1] or "") for t in _all_tags(path) if (m := opening.match(t))]
        tag, kind = found[-1] if found else (None, "")
        return TemplateError(
            f"Template {path.name} rusak: tag {tag or block[1]} tidak ditutup; tambahkan "
            f"{{%{kind} end{block[1]} %}} ({detail}).",
            template=path,
            tag=tag,
        )
    tag = None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        line = _line(exc.source, exc.lineno)
        tag = _find_tag(_TAG.findall(line), _QUOTED.findall(detail))
    where = f" di tag {tag}" if tag else ""
    return TemplateError(
        f"Template {path.name} rusak{where}: {detail}. Perbaiki tag itu di Word.",
        template=path,
        tag=tag,
    )


def _line(source: str | None, lineno: int | None) -> str:
    """Return the text (without Word's XML) of the template line an error points at."""
    if not source or not lineno:
        return ""
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return ""
    return html.unescape(_XML_TAG.sub("", lines[lineno - 1]))


def _all_tags(path: Path) -> list[str]:
    """Return every Jinja tag written in the template's text."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = " ".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.startswith("word/") and name.endswith(".xml")
            )
    except (OSError, zipfile.BadZipFile):
        return []
    return _TAG.findall(html.unescape(_XML_TAG.sub("", xml)))


def _find_tag(tags: list[str], names: list[str]) -> str | None:
    """Pick the tag an error is about: the one naming what the error quotes, or the only one."""
    for name in names:
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        for tag in tags:
            if word.search(tag):
                return tag
    return tags[0] if len(tags) == 1 else None
