"""/pantau: the KPU Provinsi's read-only view of its kabupaten/kota, with chart and .xlsx."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.constants import ChatAction

from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.domain.numbers import whole_number
from bot.messages import province as messages
from bot.services import pantau as service
from handlers.common import call_service, domain_errors_as_replies, reply


def parse_year(args: list[str] | None) -> int | None:
    """Read the optional year argument, or raise InvalidInput with the usage."""
    if not args:
        return None
    year = whole_number(args[0].strip(), lowest=2000, highest=2100)
    if len(args) > 1 or year is None:
        raise InvalidInput(messages.YEAR_UNREADABLE)
    return year


@domain_errors_as_replies
async def pantau(update: Update, context: LapkinContext) -> None:
    """Sends where each kabupaten/kota's cycle stands, the chart and the side-by-side .xlsx."""
    services = context.services
    year = parse_year(context.args)
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    report = await call_service(
        service.pantau,
        db=services.db,
        actor=context.registered_person,
        year=year,
        now=services.clock(),
        tz=services.settings.tz,
    )
    await reply(update, report.text)
    await update.effective_message.reply_photo(report.chart, caption=messages.CHART_CAPTION)
    await update.effective_message.reply_document(
        InputFile(report.workbook, filename=report.filename), caption=messages.WORKBOOK_CAPTION
    )
