"""/bantuan, /batal, and the answers to anything the bot did not expect."""

from __future__ import annotations

from telegram import Update

from bot.context import LapkinContext
from bot.messages import common as texts
from bot.services.pending import clear_pending
from handlers.common import act_for_awaited_answer, alert, call_service, is_private, reply
from handlers.menus import show_person_menu


async def help_command(update: Update, context: LapkinContext) -> None:
    """Lists the commands of the sender's roles and refreshes their command menu."""
    person = context.registered_person
    await reply(update, texts.help_text(person.roles))
    if person.telegram_user_id is not None:
        await show_person_menu(
            context.bot,
            context.services,
            person_id=person.id,
            chat_id=person.telegram_user_id,
            roles=person.roles,
        )


async def cancel(update: Update, context: LapkinContext) -> None:
    """Drops whatever the bot was waiting for; what was confirmed before stays."""
    await act_for_awaited_answer(context)
    dropped = await call_service(
        clear_pending, db=context.services.db, person_id=context.registered_person.id
    )
    await reply(update, texts.CANCELLED if dropped else texts.NOTHING_TO_CANCEL)


async def unknown_command(update: Update, context: LapkinContext) -> None:
    """Points to /bantuan for a command the bot does not know."""
    await reply(update, texts.UNKNOWN_COMMAND)


async def edited_message(update: Update, context: LapkinContext) -> None:
    """An edited message is never read as an answer: the person is told how to correct.

    Reading it would be guesswork (the edit may come after the next question was asked, and
    answer that one instead), so what was sent stands and the way to change it is named.
    Edits in groups are ignored.
    """
    if is_private(update):
        await reply(update, texts.EDIT_NOT_READ)


async def private_only_command(update: Update, context: LapkinContext) -> None:
    """Points a command sent in a group to the private chat, where it works."""
    await reply(update, texts.PRIVATE_ONLY)


async def unexpected_text(update: Update, context: LapkinContext) -> None:
    """Gives a hint instead of silence when free text arrives unasked."""
    await reply(update, texts.UNEXPECTED_TEXT)


async def stale_button(update: Update, context: LapkinContext) -> None:
    """Answers a button press no handler claimed: the button belongs to something past."""
    await alert(update, texts.STALE_BUTTON)
