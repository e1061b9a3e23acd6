"""Documents behind one small interface: render .docx and .xlsx, read uploaded workbooks.

Plain dataclasses in, bytes out (and back): nothing here knows Telegram or the database.

The names load on first use: docxtpl, openpyxl and matplotlib take some 60 MB and a second
to import, and a bot that is only waiting for messages should not carry them. Callers write
``from bot import documents`` and ``documents.render_lkjip(...)`` inside the function that
makes the document; ``from bot.documents import X`` also works, and loads X's module then.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.documents.budget_workbook import (
        build_budget_template,
        parse_budget_workbook,
    )
    from bot.documents.charts import (
        Chart,
        budget_chart,
        capaian_chart,
        capaian_charts,
        structure_chart,
        trend_chart,
        trend_charts,
    )
    from bot.documents.compliance_chart import (
        compliance_chart,
    )
    from bot.documents.compliance_workbook import (
        build_compliance_workbook,
    )
    from bot.documents.entry_workbook import (
        EntryRow,
        EntryTemplateRow,
        EntryWorkbookMeta,
        ParsedEntryWorkbook,
        build_entry_workbook,
        parse_entry_workbook,
    )
    from bot.documents.errors import (
        TemplateError,
        WorkbookError,
        WorkbookProblem,
    )
    from bot.documents.lkjip import (
        LkjipContent,
        LkjipInitial,
        LkjipInput,
        LkjipMeeting,
        LkjipSignature,
        LkjipUnit,
        lkjip_context,
        lkjip_variables,
        render_lkjip,
    )
    from bot.documents.nota_dinas import (
        NotaDinasContent,
        NotaDinasIndicator,
        nota_dinas_context,
        render_nota_dinas,
    )
    from bot.documents.pdf import (
        convert_to_pdf,
        find_soffice,
        image_to_pdf,
    )
    from bot.documents.pdf_indexes import (
        convert_with_indexes,
    )
    from bot.documents.pk_workbook import (
        build_pk_template,
        parse_pk_workbook,
    )
    from bot.documents.province_chart import (
        province_chart,
    )
    from bot.documents.province_workbook import (
        build_province_workbook,
    )
    from bot.documents.rencana_aksi import (
        RencanaAksiRow,
        build_rencana_aksi_workbook,
    )
    from bot.documents.surat_pengantar import (
        SuratPengantarContent,
        SuratPengantarItem,
        render_surat_pengantar,
        surat_pengantar_context,
    )
    from bot.documents.templating import (
        template_variables,
    )
    from bot.documents.workbooks import (
        RawValue,
        open_workbook,
    )

# Each public name and the module (under bot/documents/) that defines it.
_HOMES = {
    "Chart": "charts",
    "EntryRow": "entry_workbook",
    "EntryTemplateRow": "entry_workbook",
    "EntryWorkbookMeta": "entry_workbook",
    "LkjipContent": "lkjip",
    "LkjipInitial": "lkjip",
    "LkjipInput": "lkjip",
    "LkjipMeeting": "lkjip",
    "LkjipSignature": "lkjip",
    "LkjipUnit": "lkjip",
    "NotaDinasContent": "nota_dinas",
    "NotaDinasIndicator": "nota_dinas",
    "ParsedEntryWorkbook": "entry_workbook",
    "RawValue": "workbooks",
    "RencanaAksiRow": "rencana_aksi",
    "SuratPengantarContent": "surat_pengantar",
    "SuratPengantarItem": "surat_pengantar",
    "TemplateError": "errors",
    "WorkbookError": "errors",
    "WorkbookProblem": "errors",
    "budget_chart": "charts",
    "build_budget_template": "budget_workbook",
    "build_compliance_workbook": "compliance_workbook",
    "build_entry_workbook": "entry_workbook",
    "build_province_workbook": "province_workbook",
    "build_pk_template": "pk_workbook",
    "build_rencana_aksi_workbook": "rencana_aksi",
    "capaian_chart": "charts",
    "capaian_charts": "charts",
    "structure_chart": "charts",
    "compliance_chart": "compliance_chart",
    "convert_to_pdf": "pdf",
    "province_chart": "province_chart",
    "image_to_pdf": "pdf",
    "find_soffice": "pdf",
    "convert_with_indexes": "pdf_indexes",
    "lkjip_context": "lkjip",
    "lkjip_variables": "lkjip",
    "nota_dinas_context": "nota_dinas",
    "open_workbook": "workbooks",
    "parse_budget_workbook": "budget_workbook",
    "parse_entry_workbook": "entry_workbook",
    "parse_pk_workbook": "pk_workbook",
    "render_lkjip": "lkjip",
    "render_nota_dinas": "nota_dinas",
    "render_surat_pengantar": "surat_pengantar",
    "surat_pengantar_context": "surat_pengantar",
    "template_variables": "templating",
    "trend_chart": "charts",
    "trend_charts": "charts",
}

__all__ = [
    "Chart",
    "EntryRow",
    "EntryTemplateRow",
    "EntryWorkbookMeta",
    "LkjipContent",
    "LkjipInitial",
    "LkjipInput",
    "LkjipMeeting",
    "LkjipSignature",
    "LkjipUnit",
    "NotaDinasContent",
    "NotaDinasIndicator",
    "ParsedEntryWorkbook",
    "RawValue",
    "RencanaAksiRow",
    "SuratPengantarContent",
    "SuratPengantarItem",
    "TemplateError",
    "WorkbookError",
    "WorkbookProblem",
    "budget_chart",
    "build_budget_template",
    "build_compliance_workbook",
    "build_entry_workbook",
    "build_pk_template",
    "build_province_workbook",
    "build_rencana_aksi_workbook",
    "capaian_chart",
    "capaian_charts",
    "compliance_chart",
    "convert_to_pdf",
    "convert_with_indexes",
    "find_soffice",
    "image_to_pdf",
    "lkjip_context",
    "lkjip_variables",
    "nota_dinas_context",
    "open_workbook",
    "parse_budget_workbook",
    "parse_entry_workbook",
    "parse_pk_workbook",
    "province_chart",
    "render_lkjip",
    "render_nota_dinas",
    "render_surat_pengantar",
    "structure_chart",
    "surat_pengantar_context",
    "template_variables",
    "trend_chart",
    "trend_charts",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` when it is first asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
