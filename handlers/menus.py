"""The command menu each person sees, matching their roles."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.domain.roles import Role, commands_for

log = logging.getLogger(__name__)

# What a stranger's menu shows: registration happens through the invitation link.
DEFAULT_COMMANDS = [
    BotCommand("start", "Mulai / daftar dengan tautan undangan"),
    BotCommand("bantuan", "Bantuan"),
]


async def set_default_menu(bot: Bot) -> None:
    """Set the menu for people the bot does not know yet."""
    await bot.set_my_commands(DEFAULT_COMMANDS, scope=BotCommandScopeDefault())


async def set_person_menu(bot: Bot, *, chat_id: int, roles: frozenset[Role]) -> None:
    """Show a registered person exactly the commands of their roles."""
    commands = [BotCommand(c.name, c.description) for c in commands_for(roles)]
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        # A menu is a convenience; a person who blocked the bot must not stop start-up.
        log.warning("could not set the command menu for chat %s: %s", chat_id, error)


async def clear_person_menu(bot: Bot, *, chat_id: int) -> None:
    """Remove a deactivated person's menu."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        log.warning("could not clear the command menu for chat %s: %s", chat_id, error)
