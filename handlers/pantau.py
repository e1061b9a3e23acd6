"""/pantau: the KPU Provinsi's read-only view of its kabupaten/kota, with chart and .xlsx."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.constants import ChatAction

from bot.context import LapkinContext
from bot.messages import province as messages
from bot.services import pantau as service
from handlers.common import call_service, domain_errors_as_replies, office_tz, reply
from handlers.compliance import parse_year


@domain_errors_as_replies
async def pantau(update: Update, context: LapkinContext) -> None:
    """Sends where each kabupaten/kota's cycle stands, the chart and the side-by-side .xlsx."""
    services = context.services
    year = parse_year(context.args, unreadable=messages.YEAR_UNREADABLE)
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    report = await call_service(
        service.pantau,
        db=services.db,
        actor=context.registered_person,
        year=year,
        now=services.clock(),
        tz=office_tz(context),
    )
    await reply(update, report.text)
    await update.effective_message.reply_photo(report.chart, caption=messages.CHART_CAPTION)
    await update.effective_message.reply_document(
        InputFile(report.workbook, filename=report.filename), caption=messages.WORKBOOK_CAPTION
    )
