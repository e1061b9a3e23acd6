"""The access guard: only invited, registered, active people get past it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import LapkinContext
from bot.services.people import find_by_telegram_id
from handlers import membership, texts
from handlers.common import call_service, is_private, reply


def _is_start(update: Update) -> bool:
    message = update.effective_message
    return bool(message and message.text and message.text.split()[0].split("@")[0] == "/start")


async def guard(update: Update, context: LapkinContext) -> None:
    """Load the sender as a person, or refuse politely and stop the update here."""
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    person = await call_service(
        find_by_telegram_id, db=context.services.db, telegram_user_id=user.id
    )
    if person is not None and person.blocked_at is not None and is_private(update):
        # They write to the bot, so they no longer block it (Telegram's notice may be late).
        await membership.welcome_back(context, user.id)
    if person is not None and person.active:
        if update.callback_query is not None and not is_private(update):
            # Decisions are personal: a button pressed in a group acts for nobody.
            await update.callback_query.answer(texts.PRIVATE_ONLY, show_alert=True)
            raise ApplicationHandlerStop
        context.person = person
        return
    # Registration itself is the one thing a stranger may do.
    if person is None and _is_start(update):
        return
    text = texts.INACTIVE if person is not None else texts.NOT_REGISTERED
    if update.callback_query is not None:
        await update.callback_query.answer(texts.NOT_REGISTERED_SHORT, show_alert=True)
    elif is_private(update):
        await reply(update, text)
    elif update.effective_message and (update.effective_message.text or "").startswith("/"):
        # In a group, answer only commands, so the bot never chatters at ordinary talk.
        await reply(update, texts.NOT_REGISTERED_SHORT)
    raise ApplicationHandlerStop
