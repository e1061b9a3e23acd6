"""The Surat Pengantar sending the signed Laporan Kinerja to the Sekretaris KPU Provinsi (SOP step 5).

Rendered from a .docx template like the Nota Dinas; the receipt block stays as blank lines
until the province's receipt is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.documents.templating import kop_wilayah, render_template
from bot.domain.dates import format_short_day
from bot.domain.formatting import format_datetime

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "surat_pengantar.docx"
WIB = ZoneInfo("Asia/Jakarta")
BLANK = "...................................."  # a line to write on by hand


@dataclass(frozen=True)
class SuratPengantarItem:
    """One row of the table of documents sent."""

    name: str  # "Laporan Kinerja (LKjIP) KPU Kota Bengkulu Tahun 2026 (ditandatangani)"
    count: str  # "1 (satu) berkas"
    note: str  # "Asli, ditandatangani dan distempel; dalam bentuk PDF" or ""


@dataclass(frozen=True)
class SuratPengantarContent:
    """Everything a Surat Pengantar says."""

    office_name: str  # "KPU Kota Bengkulu"
    office_address: str
    city: str
    nomor: str
    tanggal: date
    kepada: str  # "Sekretaris KPU Provinsi Bengkulu"
    tempat: str  # "Bengkulu"
    items: list[SuratPengantarItem]
    signer_jabatan: str  # with "Plh. " in front when a deputy signs
    signer_name: str
    signer_nip: str
    diterima_oleh: str | None = None
    diterima_jabatan: str | None = None
    diterima_nip: str | None = None
    diterima_pada: datetime | None = None  # aware (naive is refused); printed in WIB


def surat_pengantar_context(content: SuratPengantarContent) -> dict[str, Any]:
    """Return the template variables for ``content``: text as it is printed, dates in Indonesian."""
    return {
        "kop_wilayah": kop_wilayah(content.office_name),
        "office_name": content.office_name,
        "office_address": content.office_address,
        "city": content.city,
        "nomor": content.nomor,
        "tanggal": format_short_day(content.tanggal),
        "kepada": content.kepada,
        "tempat": content.tempat,
        "items": [
            {"no": number, "name": item.name, "count": item.count, "note": item.note}
            for number, item in enumerate(content.items, start=1)
        ],
        "signer_jabatan": content.signer_jabatan,
        "signer_name": content.signer_name,
        "signer_nip": content.signer_nip,
        "diterima_pada": _receipt_time(content.diterima_pada),
        "diterima_oleh": content.diterima_oleh or BLANK,
        "diterima_jabatan": content.diterima_jabatan or BLANK,
        "diterima_nip": content.diterima_nip or BLANK,
    }


def render_surat_pengantar(
    content: SuratPengantarContent, *, template: Path | None = None
) -> bytes:
    """Render the Surat Pengantar as .docx bytes, or raise TemplateError naming the bad tag."""
    return render_template(
        template or DEFAULT_TEMPLATE,
        surat_pengantar_context(content),
        variables_doc="surat_pengantar.md",
    )


def _receipt_time(moment: datetime | None) -> str:
    if moment is None:
        return BLANK
    if moment.tzinfo is None:
        # Storage gives back aware times; a naive one would print a guessed hour on the receipt.
        raise ValueError("diterima_pada must be an aware datetime")
    return format_datetime(moment, WIB)
