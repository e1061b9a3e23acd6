"""Documents behind one small interface: render .docx and .xlsx, read uploaded workbooks.

Plain dataclasses in, bytes out (and back): nothing here knows Telegram or the database.
"""

from bot.documents.budget_workbook import build_budget_template, parse_budget_workbook
from bot.documents.charts import (
    Chart,
    budget_chart,
    capaian_chart,
    capaian_charts,
    trend_chart,
    trend_charts,
)
from bot.documents.entry_workbook import (
    EntryRow,
    EntryTemplateRow,
    EntryWorkbookMeta,
    ParsedEntryWorkbook,
    build_entry_workbook,
    parse_entry_workbook,
)
from bot.documents.errors import TemplateError, WorkbookError, WorkbookProblem
from bot.documents.lkjip import (
    LkjipContent,
    LkjipInitial,
    LkjipInput,
    LkjipMeeting,
    LkjipSignature,
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
from bot.documents.pdf import convert_to_pdf, find_soffice
from bot.documents.pk_workbook import build_pk_template, parse_pk_workbook
from bot.documents.rencana_aksi import RencanaAksiRow, build_rencana_aksi_workbook
from bot.documents.surat_pengantar import (
    SuratPengantarContent,
    SuratPengantarItem,
    render_surat_pengantar,
    surat_pengantar_context,
)
from bot.documents.templating import template_variables
from bot.documents.workbooks import RawValue

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
    "build_entry_workbook",
    "build_pk_template",
    "build_rencana_aksi_workbook",
    "capaian_chart",
    "capaian_charts",
    "convert_to_pdf",
    "find_soffice",
    "lkjip_context",
    "lkjip_variables",
    "nota_dinas_context",
    "parse_budget_workbook",
    "parse_entry_workbook",
    "parse_pk_workbook",
    "render_lkjip",
    "render_nota_dinas",
    "render_surat_pengantar",
    "surat_pengantar_context",
    "template_variables",
    "trend_chart",
    "trend_charts",
]
