"""/kepatuhan: how well each SOP step kept its time standard, with a chart and a workbook."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.constants import ChatAction

from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.domain.numbers import whole_number
from bot.messages import compliance as messages
from bot.services import compliance
from handlers.common import call_service, domain_errors_as_replies, office_tz, reply


def parse_year(args: list[str] | None, *, unreadable: str = messages.YEAR_UNREADABLE) -> int | None:
    """Read the optional year argument, or raise InvalidInput with ``unreadable`` (the usage)."""
    if not args:
        return None
    year = whole_number(args[0].strip(), lowest=2000, highest=2100)
    if len(args) > 1 or year is None:
        raise InvalidInput(unreadable)
    return year


@domain_errors_as_replies
async def kepatuhan(update: Update, context: LapkinContext) -> None:
    """Sends each SOP step's duration against its standard, the chart and the .xlsx."""
    services = context.services
    year = parse_year(context.args)
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    report = await call_service(
        compliance.compliance_report,
        db=services.db,
        actor=context.registered_person,
        year=year,
        now=services.clock(),
        tz=office_tz(context),
    )
    await reply(update, report.text)
    for caption, png in report.charts:
        await update.effective_message.reply_photo(png, caption=caption[:1024])
    await update.effective_message.reply_document(
        InputFile(report.workbook, filename=report.filename),
        caption=messages.WORKBOOK_CAPTION,
    )
