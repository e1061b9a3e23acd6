"""Small helpers every handler module shares: running services off the event loop, replies."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot import callbacks
from bot.context import LapkinContext
from bot.domain.errors import DomainError
from bot.domain.formatting import split_message
from bot.domain.timezones import office_zone
from bot.messages import Keyboard, Reply
from bot.services.known_people import NotHeld
from handlers.keyboards import inline_keyboard

log = logging.getLogger(__name__)

MAX_ALERT_LENGTH = 200  # Telegram's limit for the text of a button press's answer

P = ParamSpec("P")
T = TypeVar("T")

Callback = Callable[[Update, LapkinContext], Coroutine[Any, Any, None]]


async def call_service(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a (blocking, database-bound) service function in a worker thread."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def act_for_awaited_answer(context: LapkinContext) -> None:
    """Act as the account's person whose question a typed text or a file answers.

    A button acts in the office of its object, so the question it asked (a reason, a value,
    evidence) waits on the account's person in that office; what they type next answers it,
    whichever office is current. The current office's question comes first.
    """
    account = context.account
    if account is None or not account.several:
        return
    services = context.services
    for person in (context.registered_person, *account.people):
        if not person.active:
            continue
        held = services.pending.lookup(person.id)
        pending = (
            await call_service(services.pending.read, db=services.db, person_id=person.id)
            if isinstance(held, NotHeld)
            else held
        )
        if pending is not None:
            context.person = person
            return


def office_tz(context: LapkinContext) -> ZoneInfo:
    """The time zone of the office the sender acts in: its own, else the deployment's."""
    person = context.person
    return office_zone(person.office_timezone if person else None, context.services.settings.tz)


def office_template(context: LapkinContext, name: str) -> Path | None:
    """The sender's office's own template ``name``, else the deployment's (None: shipped)."""
    person = context.person
    if person is not None and person.office_templates_dir is not None:
        path = Path(person.office_templates_dir) / name
        if path.is_file():
            return path
    return context.services.settings.template(name)


async def reply(update: Update, text: str, keyboard: Keyboard | None = None) -> None:
    """Answer in the update's chat, split into parts when longer than Telegram allows.

    The buttons go with the last part, under the text they belong to.
    """
    message = update.effective_message
    if message is None:
        return
    parts = split_message(text)
    for index, part in enumerate(parts):
        markup = inline_keyboard(keyboard) if keyboard and index == len(parts) - 1 else None
        await message.reply_text(part, reply_markup=markup)


async def send_reply(update: Update, context: LapkinContext, answer: Reply) -> None:
    """Show a service's Reply, and wake the outbox when the service queued messages."""
    await reply(update, answer.text, answer.keyboard)
    if answer.notify:
        context.services.dispatcher.wake()


# Telegram's answers when the pressed message is gone, too old, or already shows this text.
_CANNOT_EDIT = (
    "not modified",
    "not found",
    "can't be edited",
    "message_id_invalid",
    "no text in the message",  # the pressed message is a document or a photo
)


def _cannot_edit(error: BadRequest) -> bool:
    return any(reason in error.message.lower() for reason in _CANNOT_EDIT)


async def remove_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message; when it is gone or too old, leave it."""
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as error:
        if not _cannot_edit(error):
            raise


async def show_in_place(update: Update, text: str, keyboard: Keyboard | None) -> None:
    """Replace the pressed message with ``text``; send it anew when it cannot be edited."""
    query = update.callback_query
    assert query is not None
    try:
        markup = inline_keyboard(keyboard) if keyboard else None
        await query.edit_message_text(text[:4096], reply_markup=markup)
    except BadRequest as error:
        if not _cannot_edit(error):
            raise
        if "not modified" not in error.message.lower():  # pressing the same page twice
            await reply(update, text, keyboard)


async def acknowledge(update: Update, toast: str | None = None) -> None:
    """Answer a button press at once, so the person's app stops its spinner.

    An answer that cannot be given (the press is too old, Telegram keeps failing) only leaves
    the spinner turning a little longer: the step goes on to its reply.
    """
    if update.callback_query is not None:
        await _answer(update.callback_query, toast, show_alert=False)


async def alert(update: Update, text: str) -> None:
    """Show ``text`` in an alert on the pressed button; say it in the chat when that fails.

    An alert that cannot be shown (too long, the press already answered or expired, Telegram
    failing after the retries) is not lost: the person reads it in the chat instead.
    """
    query = update.callback_query
    if query is not None and len(text) <= MAX_ALERT_LENGTH:
        if await _answer(query, text, show_alert=True):
            return
    elif query is not None:
        await acknowledge(update)
    await reply(update, text)


def pressed(update: Update) -> callbacks.Callback:
    """Return the decoded press of a button update (its route matched well-formed data)."""
    query = update.callback_query
    data = callbacks.decode(query.data if query else None)
    assert data is not None  # the routing table's pattern decoded it already
    return data


def is_private(update: Update) -> bool:
    """Tell whether the update comes from a private chat."""
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def domain_errors_as_replies(callback: Callback) -> Callback:
    """Turn a DomainError raised by a service into its polite message, instead of an error."""

    @functools.wraps(callback)
    async def wrapper(update: Update, context: LapkinContext) -> None:
        try:
            await callback(update, context)
        except DomainError as error:
            await alert(update, error.message)

    return wrapper


async def _answer(query: CallbackQuery, text: str | None, *, show_alert: bool) -> bool:
    """Answer a button press; False when that failed (answered already, expired, Telegram)."""
    try:
        await query.answer(text, show_alert=show_alert)
    except (NetworkError, RetryAfter) as error:  # BadRequest is a NetworkError
        log.info("could not answer a button press: %s", error)
        return False
    return True
