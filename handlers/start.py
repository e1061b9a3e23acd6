"""/start: registration through an invitation link, or a greeting."""

from __future__ import annotations

from telegram import Update

from bot.context import LapkinContext
from bot.messages import common as texts
from bot.services import entry
from bot.services.invitations import redeem_invitation
from handlers.common import call_service, domain_errors_as_replies, is_private, reply, send_reply
from handlers.menus import show_person_menu

ENTRY_DEEP_LINK = "isi"


@domain_errors_as_replies
async def start(update: Update, context: LapkinContext) -> None:
    """Registers the sender with the invitation token, or greets a registered person."""
    if not is_private(update):
        await reply(update, texts.PRIVATE_ONLY)
        return
    user = update.effective_user
    assert user is not None
    token = context.args[0] if context.args else None
    if context.person is not None and token == ENTRY_DEEP_LINK:
        # The "isi data" button in a unit group opens this private chat with /start isi.
        answer = await call_service(entry.entry_menu, db=context.services.db, actor=context.person)
        await send_reply(update, context, answer)
        return
    if context.person is not None and token is None:
        await reply(update, texts.greeting(name=context.person.name, roles=context.person.roles))
        return
    if token is None:
        await reply(update, texts.NOT_REGISTERED)
        return
    services = context.services
    person = await call_service(
        redeem_invitation,
        db=services.db,
        token=token,
        telegram_user_id=user.id,
        telegram_username=user.username,
        now=services.clock(),
    )
    context.person = person
    await reply(update, texts.welcome(person))
    if person.office_chosen_at is not None:  # set only for an account of other offices too
        await reply(update, texts.joined_another_office(person.office_name))
    await show_person_menu(
        context.bot, services, person_id=person.id, chat_id=user.id, roles=person.roles
    )
    services.dispatcher.wake()
