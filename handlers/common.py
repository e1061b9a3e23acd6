"""Small helpers every handler module shares: running services off the event loop, replies."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from telegram import Update
from telegram.constants import ChatType

from bot.context import LapkinContext
from bot.domain.errors import DomainError
from bot.domain.formatting import split_message

P = ParamSpec("P")
T = TypeVar("T")

Callback = Callable[[Update, LapkinContext], Coroutine[Any, Any, None]]


async def call_service(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a (blocking, database-bound) service function in a worker thread."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def reply(update: Update, text: str) -> None:
    """Answer the update's message, split into parts when it is longer than Telegram allows."""
    message = update.effective_message
    if message is None:
        return
    for part in split_message(text):
        await message.reply_text(part)


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
            if update.callback_query is not None:
                await update.callback_query.answer(error.message[:200], show_alert=True)
            else:
                await reply(update, error.message)

    return wrapper
