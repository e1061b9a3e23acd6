"""Open, render and inspect docxtpl templates; a broken template becomes a TemplateError.

Shared by the letters (Nota Dinas, Surat Pengantar) and the LKjIP. Every error names the
template's file and, where it can be found, the tag an office has to fix in Word.
"""

from __future__ import annotations

import html
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from lxml import etree

from bot.documents.errors import TemplateError

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_XML_TAG = re.compile(r"<[^>]+>")
_QUOTED = re.compile(r"'([^']+)'")
_UNCLOSED = re.compile(r"block that needs to be closed is '(\w+)'")
_OFFICE_PREFIX = re.compile(r"^(?:KPU|KOMISI PEMILIHAN UMUM)\s+", re.IGNORECASE)


def kop_wilayah(office_name: str) -> str:
    """Return the letterhead's second line: 'KPU Kota Bengkulu' → 'KOTA BENGKULU'."""
    return _OFFICE_PREFIX.sub("", office_name.strip()).upper()


def render_template(path: Path, context: dict[str, Any], *, variables_doc: str) -> bytes:
    """Render the template at ``path`` with ``context`` as .docx bytes, or raise TemplateError.

    ``variables_doc`` is the file listing the template's variables (``templates/x.md``), which
    the error for a misspelt variable points to.
    """
    document = open_template(path)
    try:
        document.render(context, jinja_env=template_environment())
        buffer = BytesIO()
        document.save(buffer)
    except jinja2.TemplateError as exc:
        raise template_error(path, exc, variables_doc=variables_doc) from None
    except etree.XMLSyntaxError as exc:
        raise broken_structure_error(path, exc) from None
    return buffer.getvalue()


def template_variables(path: Path) -> set[str]:
    """Return the names of the variables the template at ``path`` uses."""
    document = open_template(path)
    try:
        variables: set[str] = document.get_undeclared_template_variables(template_environment())
    except jinja2.TemplateError as exc:
        raise template_error(path, exc) from None
    return variables


def template_environment() -> jinja2.Environment:
    """Return the Jinja environment every template is rendered with."""
    # StrictUndefined: a misspelt variable is an error, not a silently empty line in a letter.
    # Autoescape: names such as "Umum & Logistik" must not break the document's XML.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def open_template(path: Path) -> Any:
    """Open the .docx template at ``path`` for docxtpl, or raise TemplateError."""
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


def broken_structure_error(path: Path, exc: etree.XMLSyntaxError) -> TemplateError:
    """Explain a render that produced broken XML."""
    # A tag placed across Word's structure (half a table, say) renders to broken XML.
    return TemplateError(
        f"Template {path.name} menghasilkan dokumen rusak: ada tag {{% ... %}} yang "
        f"memotong tabel atau paragraf ({exc}).",
        template=path,
    )


def template_error(
    path: Path, exc: jinja2.TemplateError, *, variables_doc: str = "nota_dinas.md"
) -> TemplateError:
    """Explain ``exc`` for the office: the file, the tag to fix in Word, and what is wrong."""
    # The default keeps the LKjIP's call (which rewrites the name to lkjip.md) unchanged.
    detail = (exc.message or type(exc).__name__).rstrip(".")
    if isinstance(exc, jinja2.UndefinedError):
        tag = _find_tag(_all_tags(path), _QUOTED.findall(detail))
        where = f" di tag {tag}" if tag else ""
        return TemplateError(
            f"Template {path.name} memakai variabel yang tidak tersedia{where}: {detail}. "
            f"Periksa ejaannya di templates/{variables_doc}.",
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
