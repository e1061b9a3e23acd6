"""/daftarkan_grup (a unit's group), /pk (the Perjanjian Kinerja template), /kantor (the
office a person of several acts in)."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.context import LapkinContext
from bot.messages import office as messages
from bot.messages import offices as office_messages
from bot.services.groups import register_group
from bot.services.offices import choose_office, office_menu
from bot.services.templates import pk_template as build_pk_template
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    is_private,
    office_tz,
    pressed,
    reply,
    show_in_place,
)
from handlers.menus import show_person_menu


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
        this_year=services.clock().astimezone(office_tz(context)).year,
    )
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        InputFile(template.workbook, filename=template.filename), caption=template.caption
    )


async def kantor(update: Update, context: LapkinContext) -> None:
    """Lists the sender's offices as buttons, the current one marked."""
    answer = office_menu(account=context.registered_account)
    await reply(update, answer.text, answer.keyboard)


@domain_errors_as_replies
async def choose(update: Update, context: LapkinContext) -> None:
    """Makes the pressed office the sender's current one, and shows its roles' menu."""
    # The guard gave the person of the pressed office (or refused the press).
    person = context.registered_person
    services = context.services
    name = await call_service(
        choose_office,
        db=services.db,
        account=context.registered_account,
        office_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await show_in_place(update, office_messages.office_chosen(name), None)
    if person.telegram_user_id is not None:
        await show_person_menu(
            context.bot,
            services,
            person_id=person.id,
            chat_id=person.telegram_user_id,
            roles=person.roles,
        )
