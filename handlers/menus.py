"""The command menu each person sees, matching their roles.

Telegram has no scope per role, so each registered person gets a menu of their own chat.
Which menu was last set is remembered per person (a digest of its commands): start-up sets
only the menus that changed (roles edited in the organisation file, a new release's
commands), not one per person at every start.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.context import Services
from bot.domain.roles import Role, commands_for
from bot.messages import common as texts
from bot.services.people import MenuOwner, record_menus
from handlers.common import call_service

log = logging.getLogger(__name__)

# What a stranger's menu shows: registration happens through the invitation link.
DEFAULT_COMMANDS = [BotCommand(name, description) for name, description in texts.STRANGER_MENU]


async def set_default_menu(bot: Bot) -> None:
    """Set the menu for people the bot does not know yet."""
    await bot.set_my_commands(DEFAULT_COMMANDS, scope=BotCommandScopeDefault())


# The digest of a deactivated person's menu: none at all.
CLEARED = "cleared"
# setMyCommands is not a message, so the rate limiter lets it through: keep a few at a time.
MENUS_AT_ONCE = 8
MENUS_PER_SAVE = 200


def _commands(roles: frozenset[Role]) -> list[BotCommand]:
    return [BotCommand(c.name, c.description) for c in commands_for(roles)]


def menu_digest(roles: frozenset[Role], *, active: bool = True) -> str:
    """Return the digest of the menu a person with ``roles`` should see."""
    if not active:
        return CLEARED
    listing = "\n".join(f"{c.command} {c.description}" for c in _commands(roles))
    return hashlib.sha256(listing.encode()).hexdigest()


async def set_person_menu(bot: Bot, *, chat_id: int, roles: frozenset[Role]) -> bool:
    """Show a registered person exactly the commands of their roles; tell whether it worked."""
    try:
        await bot.set_my_commands(_commands(roles), scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        # A menu is a convenience; a person who blocked the bot must not stop start-up.
        log.warning("could not set the command menu for chat %s: %s", chat_id, error)
        return False
    return True


async def clear_person_menu(bot: Bot, *, chat_id: int) -> bool:
    """Remove a deactivated person's menu; tell whether it worked."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except TelegramError as error:
        log.warning("could not clear the command menu for chat %s: %s", chat_id, error)
        return False
    return True


async def show_person_menu(
    bot: Bot, services: Services, *, person_id: int, chat_id: int, roles: frozenset[Role]
) -> None:
    """Set a person's menu now (they registered, or asked for help) and remember it."""
    if await set_person_menu(bot, chat_id=chat_id, roles=roles):
        digests = {person_id: menu_digest(roles)}
        await call_service(record_menus, db=services.db, digests=digests)


async def sync_menus(bot: Bot, services: Services, owners: Sequence[MenuOwner]) -> int:
    """Set or clear the menus that differ from what each person should see; return how many.

    Progress is saved every few hundred menus, so a stop part-way loses little.
    """
    stale = [
        (owner, digest)
        for owner in owners
        if (digest := menu_digest(owner.roles, active=owner.active)) != owner.menu_digest
    ]
    gate = asyncio.Semaphore(MENUS_AT_ONCE)

    async def sync(owner: MenuOwner) -> bool:
        async with gate:
            if owner.active:
                return await set_person_menu(bot, chat_id=owner.chat_id, roles=owner.roles)
            return await clear_person_menu(bot, chat_id=owner.chat_id)

    for start in range(0, len(stale), MENUS_PER_SAVE):
        chunk = stale[start : start + MENUS_PER_SAVE]
        done = await asyncio.gather(*(sync(owner) for owner, _ in chunk))
        digests = {
            owner.person_id: digest for (owner, digest), ok in zip(chunk, done, strict=True) if ok
        }
        await call_service(record_menus, db=services.db, digests=digests)
    return len(stale)
