"""The access guard: only invited, registered, active people get past it."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import ApplicationHandlerStop

from bot import callbacks
from bot.callbacks import INVALID_BUTTON
from bot.context import LapkinContext
from bot.messages import common as texts
from bot.messages import offices as office_texts
from bot.services.known_people import NotHeld
from bot.services.offices import offices_of
from bot.services.people import Account, PersonView
from handlers import membership
from handlers.common import call_service, is_private, reply


def _is_start(update: Update, bot_username: str | None) -> bool:
    """Tell whether the update is /start (or /start@<this bot>) in a private chat."""
    message = update.effective_message
    if message is None or not message.text or not is_private(update):
        return False
    words = message.text.split()
    if not words:
        return False
    command, _, addressee = words[0].partition("@")
    return command == "/start" and (not addressee or addressee == bot_username)


async def guard(update: Update, context: LapkinContext) -> None:
    """Load the sender as a person, or refuse politely and stop the update here."""
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    known_people = context.services.known_people
    held = known_people.lookup(user.id)
    account = (
        await call_service(known_people.find, db=context.services.db, telegram_user_id=user.id)
        if isinstance(held, NotHeld)
        else held
    )
    # A command acts in the account's current office; a button, below, in its object's.
    person = account.current if account is not None else None
    if person is not None and person.blocked_at is not None and is_private(update):
        # They write to the bot, so they no longer block it (Telegram's notice may be late).
        await membership.welcome_back(context, user.id)
    if person is not None and person.active:
        query = update.callback_query
        if query is not None and (query.message is None or not query.data):
            # A button under no message we sent (inline mode), or one without data (which
            # every CallbackQueryHandler would match), is none of ours.
            await query.answer(INVALID_BUTTON, show_alert=True)
            raise ApplicationHandlerStop
        if query is not None and not is_private(update):
            # Decisions are personal: a button pressed in a group acts for nobody.
            await query.answer(texts.PRIVATE_ONLY, show_alert=True)
            raise ApplicationHandlerStop
        assert account is not None
        if query is not None:
            person = await _person_of_press(context, account, person, query)
        context.account = account
        context.person = person
        return
    # Registration itself is the one thing a stranger may do.
    if person is None and _is_start(update, context.bot.username):
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


async def _person_of_press(
    context: LapkinContext, account: Account, current: PersonView, query: CallbackQuery
) -> PersonView:
    """Return the account's person in the office of the object a button names.

    A press naming no object (a year, a period) acts in the current office; one naming an
    object that is gone is left to its service (which says so). A press of an object of an
    office the account is no (active) person of is refused here, before any service (which
    checks the office again): one statement per press that names an object.
    """
    decoded = callbacks.decode(query.data)
    named = callbacks.subject_of(decoded) if decoded is not None else None
    if named is None:
        return current
    offices = await call_service(
        offices_of, db=context.services.db, subject=named[0], object_id=named[1]
    )
    if not offices or current.office_id in offices:
        return current
    people = [account.in_office(office_id) for office_id in offices]
    person = next((p for p in people if p is not None and p.active), None)
    if person is None:
        inactive = any(p is not None for p in people)
        refusal = office_texts.NO_LONGER_ACTIVE_THERE if inactive else office_texts.OTHER_OFFICE
        await query.answer(refusal, show_alert=True)
        raise ApplicationHandlerStop
    return person
