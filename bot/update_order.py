"""One person's updates strictly in order; different people's at the same time.

Telegram hands the bot several updates at once when someone types quickly or sends an album.
Handled concurrently (PTB's ``concurrent_updates(True)``) they race: "100" and then the
explanation could be read in the other order, and three files of an album could each add
themselves to the same pending entry and overwrite one another. Handled one after another
for everybody, one slow document would make the whole office wait. So updates are queued
per sender (the person, or the chat when there is no person) and the queues run side by side.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates being handled or waiting for their sender's turn. A person's waiting updates hold
# a place each, so this is generous: one person pasting 100 messages must not stall others.
MAX_UPDATES_AT_ONCE = 1024


class _Queue:
    """One sender's turn: the lock keeps their updates in arrival order."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.updates = 0  # handled or waiting; the queue is dropped at zero


class PerSenderUpdateProcessor(BaseUpdateProcessor):
    """Handles each sender's updates in the order Telegram sent them, senders concurrently."""

    def __init__(self, max_concurrent_updates: int = MAX_UPDATES_AT_ONCE) -> None:
        super().__init__(max_concurrent_updates)
        self._queues: dict[int, _Queue] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the sender's earlier updates, then handle this one."""
        sender = _sender(update)
        if sender is None:
            await coroutine
            return
        queue = self._queues.setdefault(sender, _Queue())
        queue.updates += 1
        started = False
        try:
            async with queue.lock:
                started = True
                await coroutine
        finally:
            queue.updates -= 1
            if queue.updates == 0:
                del self._queues[sender]
            if not started and isinstance(coroutine, Coroutine):
                coroutine.close()  # cancelled while waiting: never ran, and never will

    async def initialize(self) -> None:
        """Nothing to prepare."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _sender(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None
