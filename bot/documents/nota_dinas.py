"""The Nota Dinas asking every unit for its capaian kinerja (SOP step 1), from a .docx template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.documents.templating import kop_wilayah, render_template
from bot.domain.dates import format_day, format_short_day

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "nota_dinas.docx"


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
    period_label: str  # "Tahun 2026", "Triwulan I Tahun 2026"
    deadline: date
    indicators: list[NotaDinasIndicator]
    signer_jabatan: str
    signer_name: str
    signer_nip: str


def nota_dinas_context(content: NotaDinasContent) -> dict[str, Any]:
    """Return the template variables for ``content``: text as it is printed, dates in Indonesian."""
    return {
        "kop_wilayah": kop_wilayah(content.office_name),
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
    return render_template(
        template or DEFAULT_TEMPLATE, nota_dinas_context(content), variables_doc="nota_dinas.md"
    )
