"""/daftarkan_grup (a unit's group) and /pk (the Perjanjian Kinerja template)."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.context import LapkinContext
from bot.messages import office as messages
from bot.services.groups import register_group
from bot.services.templates import pk_template as build_pk_template
from handlers.common import call_service, domain_errors_as_replies, is_private, reply


@domain_errors_as_replies
async def register_unit_group(update: Update, context: LapkinContext) -> None:
    """Registers the group it is sent in as the Kasubbag's unit group."""
    if is_private(update):
        await reply(update, messages.GROUP_COMMAND_IN_GROUP)
        return
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    confirmation = await call_service(
        register_group,
        db=services.db,
        actor=context.registered_person,
        chat_id=chat.id,
        title=chat.title or "",
        now=services.clock(),
    )
    await reply(update, confirmation)


@domain_errors_as_replies
async def pk_template(update: Update, context: LapkinContext) -> None:
    """Sends the Perjanjian Kinerja workbook template for this year (or the year given)."""
    services = context.services
    template = await call_service(
        build_pk_template,
        actor=context.registered_person,
        asked_year=context.args[0] if context.args else None,
        this_year=services.clock().astimezone(services.settings.tz).year,
    )
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        InputFile(template.workbook, filename=template.filename), caption=template.caption
    )
