"""The role gates of the authorisation table: commands (bot/domain/roles.py COMMANDS) and
buttons (bot/callbacks.py BUTTON_RULES) are refused here, before their handler runs, to anyone
outside the roles the table gives them. The services check again, against the object pressed
and its state (whose line, whose paraf): a role is necessary, never sufficient.
"""

from __future__ import annotations

import functools

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import LapkinContext
from bot.domain.roles import COMMAND_BY_NAME, Command, who_holds
from handlers.common import Callback, reply


def command(name: str, callback: Callback) -> CommandHandler[LapkinContext, None]:
    """A handler for the command ``name`` of the table: in its kind of chat, for its roles.

    A private command ignores groups here (the group catch-all points people to the private
    chat); a group command also answers in private, where its handler says where to send it.
    """
    entry = COMMAND_BY_NAME[name]
    chats = filters.ALL if entry.in_group else filters.ChatType.PRIVATE
    return CommandHandler(name, _command_gate(entry, callback), chats)


def button(
    area: str, callback: Callback, *, action: str | None = None
) -> CallbackQueryHandler[LapkinContext, None]:
    """A handler for the well-formed presses of ``area`` (and ``action``), for their roles."""
    return CallbackQueryHandler(_button_gate(callback), pattern=callbacks.in_area(area, action))


def unrouted_buttons() -> CallbackQueryHandler[LapkinContext, None]:
    """A handler for the presses of a known area whose action no route takes: refused."""
    return CallbackQueryHandler(_invalid_press, pattern=callbacks.in_known_area)


async def _invalid_press(update: Update, context: LapkinContext) -> None:
    """Refuses a press no button of the bot makes."""
    if update.callback_query is not None:
        await update.callback_query.answer(callbacks.INVALID_BUTTON, show_alert=True)


def refusal(entry: Command) -> str:
    """What someone outside the command's roles is told."""
    return f"Maaf, /{entry.name} hanya untuk {who_holds(entry.roles)}."


def button_refusal(rule: callbacks.ButtonRule) -> str:
    """What someone outside the button's roles is told (in the alert of their press)."""
    return f"Maaf, tombol ini hanya untuk {who_holds(rule.roles)}."[:200]


def _command_gate(entry: Command, callback: Callback) -> Callback:
    @functools.wraps(callback)
    async def gated(update: Update, context: LapkinContext) -> None:
        if not entry.allowed_for(context.registered_person.roles):
            await reply(update, refusal(entry))
            return
        await callback(update, context)

    return gated


def _button_gate(callback: Callback) -> Callback:
    @functools.wraps(callback)
    async def gated(update: Update, context: LapkinContext) -> None:
        query = update.callback_query
        data = callbacks.decode(query.data if query else None)
        assert query is not None and data is not None  # the pattern matched
        rule = callbacks.rule_for(data.area, data.action)
        if rule is None:
            await query.answer(callbacks.INVALID_BUTTON, show_alert=True)
            return
        if not rule.allowed_for(context.registered_person.roles):
            await query.answer(button_refusal(rule), show_alert=True)
            return
        await callback(update, context)

    return gated
