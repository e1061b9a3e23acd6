"""Commands registered from the one table in bot/domain/roles.py, gated by its roles."""

from __future__ import annotations

import functools

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import LapkinContext
from bot.domain.roles import COMMAND_BY_NAME, Command, who_may_use
from handlers.common import Callback, reply


def command(name: str, callback: Callback) -> CommandHandler[LapkinContext, None]:
    """A handler for the command ``name`` of the table: in its kind of chat, for its roles.

    A private command ignores groups here (the group catch-all points people to the private
    chat); a group command also answers in private, where its handler says where to send it.
    """
    entry = COMMAND_BY_NAME[name]
    chats = filters.ALL if entry.in_group else filters.ChatType.PRIVATE
    return CommandHandler(name, _only_for_its_roles(entry, callback), chats)


def refusal(entry: Command) -> str:
    """What someone outside the command's roles is told."""
    return f"Maaf, /{entry.name} hanya untuk {who_may_use(entry)}."


def _only_for_its_roles(entry: Command, callback: Callback) -> Callback:
    @functools.wraps(callback)
    async def gated(update: Update, context: LapkinContext) -> None:
        if not entry.allowed_for(context.registered_person.roles):
            await reply(update, refusal(entry))
            return
        await callback(update, context)

    return gated
