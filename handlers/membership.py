"""Telegram's notices about the bot's own chats: a person blocking it and coming back, a group
adding or removing it, a group upgraded to a supergroup; channel posts are ignored.

These come before the access guard: they are not requests, and whoever caused them (a
stranger may remove the bot from a unit's group) must not keep them from being recorded.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import LapkinContext
from bot.messages import common as texts
from bot.services import reachability
from handlers.common import call_service

log = logging.getLogger(__name__)

# The bot's status in a chat it cannot write to ("kicked" is also a blocked private chat).
GONE = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})
GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})


async def bot_membership(update: Update, context: LapkinContext) -> None:
    """Records that a person blocked the bot or came back, or that a group removed it."""
    change = update.my_chat_member
    assert change is not None
    chat, status = change.chat, change.new_chat_member.status
    if chat.type == ChatType.PRIVATE and status in GONE:
        await _blocked(context, chat.id)
    elif chat.type == ChatType.PRIVATE:
        await welcome_back(context, chat.id)
    elif chat.type in GROUPS and status in GONE:
        services = context.services
        await call_service(
            reachability.group_removed,
            db=services.db,
            chat_id=chat.id,
            now=services.clock(),
            reason=f"the bot's status became {status}",
            admin_chat_id=services.settings.admin_chat_id,
        )
        services.dispatcher.wake()
    elif chat.type in GROUPS and change.old_chat_member.status in GONE:
        await _added_to_group(context, chat.id)
    raise ApplicationHandlerStop


async def _blocked(context: LapkinContext, chat_id: int) -> None:
    # Marked at once, before any send to them has to fail.
    services = context.services
    await call_service(
        reachability.mark_blocked,
        db=services.db,
        chat_id=chat_id,
        now=services.clock(),
        reason="bot was blocked by the user",
        admin_chat_id=services.settings.admin_chat_id,
    )
    services.dispatcher.wake()


async def welcome_back(context: LapkinContext, chat_id: int) -> None:
    """Ends a person's block: the note about held messages first, then the messages."""
    services = context.services
    held = await call_service(reachability.held_count, db=services.db, telegram_user_id=chat_id)
    if held is None:
        return
    if held:
        # Sent before the block is lifted, so it comes before the messages it announces.
        try:
            await context.bot.send_message(chat_id, texts.welcome_back(held))
        except Forbidden:
            return  # blocked again already: the messages stay held
        except TelegramError:
            log.warning("could not tell chat %d about its held messages", chat_id, exc_info=True)
    await call_service(
        reachability.mark_returned,
        db=services.db,
        telegram_user_id=chat_id,
        now=services.clock(),
        admin_chat_id=services.settings.admin_chat_id,
    )
    services.dispatcher.wake()


async def _added_to_group(context: LapkinContext, chat_id: int) -> None:
    """Points a group that just added the bot to the registration command."""
    registered = await call_service(
        reachability.is_registered_group, db=context.services.db, chat_id=chat_id
    )
    if registered:
        return
    try:
        await context.bot.send_message(chat_id, texts.GROUP_ADDED)
    except TelegramError:  # a courtesy only; the group may have removed the bot again
        log.warning("could not greet group %d", chat_id, exc_info=True)


async def group_migrated(update: Update, context: LapkinContext) -> None:
    """Moves a unit group's registration and queued messages to its new supergroup id."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id is not None:  # said in the old chat
        old, new = message.chat.id, message.migrate_to_chat_id
    else:  # said in the new chat
        assert message.migrate_from_chat_id is not None
        old, new = message.migrate_from_chat_id, message.chat.id
    services = context.services
    await call_service(
        reachability.group_migrated,
        db=services.db,
        old_chat_id=old,
        new_chat_id=new,
        now=services.clock(),
    )
    services.dispatcher.wake()
    raise ApplicationHandlerStop


async def channel_post(update: Update, context: LapkinContext) -> None:
    """Ignores posts in channels: Lapkin works in private chats and unit groups only."""
    raise ApplicationHandlerStop
