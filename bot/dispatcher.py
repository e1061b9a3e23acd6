"""Sends the outbox: within Telegram's limits, with retries, resuming after a restart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.clock import Clock
from bot.ratelimit import Pacing, queued_sends
from bot.services import outbox, reachability
from bot.services.outbox import OutboxItem
from storage.db import Database
from storage.files import FileStore

log = logging.getLogger(__name__)


class OutboxDispatcher:
    """A background task that drains the outbox; ``wake()`` makes it look at once."""

    def __init__(
        self,
        *,
        bot: Bot,
        db: Database,
        clock: Clock,
        pacing: Pacing,
        admin_chat_id: int | None,
        poll_seconds: float,
        max_attempts: int,
        files: FileStore,
    ) -> None:
        self._bot = bot
        self._files = files
        self._db = db
        self._clock = clock
        self._pacing = pacing
        self._admin_chat_id = admin_chat_id
        self._poll_seconds = poll_seconds
        self._max_attempts = max_attempts
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Ask the dispatcher to look at the outbox now (call from the event loop)."""
        self._wake.set()

    async def start(self) -> None:
        """Requeue what a crash interrupted, then start draining in the background."""
        recovered = await asyncio.to_thread(outbox.recover_interrupted, db=self._db)
        if recovered:
            log.warning("requeued %d outbox message(s) interrupted by a previous stop", recovered)
        self._task = asyncio.create_task(self._run_forever(), name="outbox-dispatcher")

    async def stop(self) -> None:
        """Stop after the message being sent (messages in flight are requeued on start)."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run_forever(self) -> None:
        with queued_sends():  # a person waiting for a direct reply goes first
            await self._drain_forever()

    async def _drain_forever(self) -> None:
        while True:
            try:
                sent = await self.run_once()
            except Exception:
                # The database may be briefly unavailable; keep the loop alive and retry.
                log.exception("outbox dispatcher round failed")
                sent = 0
            if sent:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)

    async def run_once(self) -> int:
        """Send every message due now; return how many were attempted."""
        items = await asyncio.to_thread(outbox.claim_due, db=self._db, now=self._clock())
        by_chat: dict[int, list[OutboxItem]] = defaultdict(list)
        for item in items:
            by_chat[item.chat_id].append(item)
        # Chats are independent; within a chat, order is kept (claim_due gives one per chat).
        await asyncio.gather(*(self._send_all(chat_items) for chat_items in by_chat.values()))
        return len(items)

    async def _send_all(self, items: list[OutboxItem]) -> None:
        for item in items:
            await self._deliver(item)

    async def _deliver(self, item: OutboxItem) -> None:
        if item.edit_of_id is not None:
            await self._deliver_edit(item)
            return
        try:
            message = await self._send(item)
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay if isinstance(delay, int | float) else delay.total_seconds()
            await self._retry(item, seconds, f"RetryAfter {seconds}s", count=False)
        except Forbidden as exc:
            if not await self._refused(item, exc.message):
                await self._give_up(item, outbox.UNDELIVERABLE, exc.message)
        except ChatMigrated as exc:
            await self._migrated(item, exc.new_chat_id)
            await self._retry(item, 0, f"ChatMigrated to {exc.new_chat_id}", count=False)
        except BadRequest as exc:
            gone = "chat not found" in exc.message.lower()
            if gone and await self._refused(item, f"BadRequest: {exc.message}"):
                return
            status = outbox.UNDELIVERABLE if gone else outbox.FAILED
            await self._give_up(item, status, f"BadRequest: {exc.message}")
        except (NetworkError, TelegramError) as exc:
            # TimedOut and 5xx answers land here: Telegram may be down for a while.
            if item.attempts >= self._max_attempts:
                await self._give_up(item, outbox.FAILED, f"{type(exc).__name__}: {exc.message}")
            else:
                wait = outbox.backoff(item.attempts).total_seconds()
                await self._retry(item, wait, f"{type(exc).__name__}: {exc.message}", count=True)
        except OSError as exc:
            await self._give_up(item, outbox.FAILED, f"cannot read the document: {exc}")
        else:
            await asyncio.to_thread(
                outbox.mark_sent,
                db=self._db,
                message_id=item.id,
                telegram_message_id=message.message_id,
                now=self._clock(),
            )

    async def _deliver_edit(self, item: OutboxItem) -> None:
        """Edit an earlier message; an edit that cannot apply any more is simply dropped."""
        assert item.edit_of_id is not None and item.text is not None
        target = await asyncio.to_thread(
            outbox.edit_target, db=self._db, message_id=item.edit_of_id
        )
        if target is None:
            # The message it edits never reached the chat: nothing to correct there.
            await self._finish_edit(item, outbox.FAILED, "the edited message was never sent")
            return
        try:
            if target.has_document:
                await self._bot.edit_message_caption(
                    chat_id=item.chat_id,
                    message_id=target.telegram_message_id,
                    caption=item.text,
                    reply_markup=None,
                )
            else:
                await self._bot.edit_message_text(
                    chat_id=item.chat_id,
                    message_id=target.telegram_message_id,
                    text=item.text,
                    reply_markup=None,
                )
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay if isinstance(delay, int | float) else delay.total_seconds()
            await self._retry(item, seconds, f"RetryAfter {seconds}s", count=False)
        except BadRequest as exc:
            # "message is not modified", or deleted by the person: the edit has nothing to do.
            await self._finish_edit(item, outbox.FAILED, f"BadRequest: {exc.message}")
        except Forbidden as exc:
            if not await self._refused(item, exc.message):
                await self._finish_edit(item, outbox.UNDELIVERABLE, exc.message)
        except ChatMigrated as exc:
            # The message it edits stayed in the old chat: the move drops this edit.
            await self._migrated(item, exc.new_chat_id)
            await self._finish_edit(item, outbox.FAILED, f"ChatMigrated to {exc.new_chat_id}")
        except (NetworkError, TelegramError) as exc:
            if item.attempts >= self._max_attempts:
                await self._finish_edit(item, outbox.FAILED, f"{type(exc).__name__}: {exc.message}")
            else:
                wait = outbox.backoff(item.attempts).total_seconds()
                await self._retry(item, wait, f"{type(exc).__name__}: {exc.message}", count=True)
        else:
            await asyncio.to_thread(
                outbox.mark_sent,
                db=self._db,
                message_id=item.id,
                telegram_message_id=target.telegram_message_id,
                now=self._clock(),
            )

    async def _refused(self, item: OutboxItem, error: str) -> bool:
        """Handle a chat that refuses the bot; False when it is nobody's to handle.

        A person who blocked the bot gets their messages held until they return, and the
        admins are told once (not once per message); a unit group that removed the bot is
        unregistered, with one alert.
        """
        if item.chat_id > 0:  # private chats have the person's (positive) user id
            handled = await asyncio.to_thread(
                reachability.mark_blocked,
                db=self._db,
                chat_id=item.chat_id,
                now=self._clock(),
                reason=error,
                admin_chat_id=self._admin_chat_id,
                held_message_id=item.id,
            )
        else:
            handled = await asyncio.to_thread(
                reachability.group_removed,
                db=self._db,
                chat_id=item.chat_id,
                now=self._clock(),
                reason=error,
                admin_chat_id=self._admin_chat_id,
            )
        if handled:
            log.warning("outbox chat %d refuses the bot: %s", item.chat_id, error)
            self.wake()  # the alert is queued
        return handled

    async def _migrated(self, item: OutboxItem, new_chat_id: int) -> None:
        log.info("outbox chat %d moved to %d", item.chat_id, new_chat_id)
        await asyncio.to_thread(
            reachability.group_migrated,
            db=self._db,
            old_chat_id=item.chat_id,
            new_chat_id=new_chat_id,
            now=self._clock(),
        )

    async def _finish_edit(self, item: OutboxItem, status: str, error: str) -> None:
        # An edit only tidies an old message (its buttons are refused by the services
        # anyway), so a failed one is logged, not reported to the admins.
        log.info("outbox edit %d in chat %d dropped: %s", item.id, item.chat_id, error)
        await asyncio.to_thread(
            outbox.mark_dropped, db=self._db, message_id=item.id, status=status, error=error
        )

    async def _send(self, item: OutboxItem) -> Message:
        markup = (
            InlineKeyboardMarkup.de_json(item.reply_markup, self._bot)
            if item.reply_markup
            else None
        )
        if item.document_path is not None:
            path = self._files.root / item.document_path  # an absolute path stays as it is
            content = await asyncio.to_thread(path.read_bytes)
            return await self._bot.send_document(
                chat_id=item.chat_id,
                document=content,
                filename=item.document_name or path.name,
                caption=item.text,
                parse_mode=item.parse_mode,
                reply_markup=markup,
            )
        assert item.text is not None
        return await self._bot.send_message(
            chat_id=item.chat_id, text=item.text, parse_mode=item.parse_mode, reply_markup=markup
        )

    async def _retry(self, item: OutboxItem, seconds: float, error: str, *, count: bool) -> None:
        seconds = self._pacing.seconds(seconds)
        log.info("outbox message %d: %s; retrying in %.2fs", item.id, error, seconds)
        at = self._clock() + outbox.seconds(seconds)
        await asyncio.to_thread(
            outbox.mark_retry,
            db=self._db,
            message_id=item.id,
            at=at,
            error=error,
            attempts=item.attempts if count else item.attempts - 1,
        )
        # Look again when it falls due, rather than at the next poll.
        asyncio.get_running_loop().call_later(seconds, self.wake)

    async def _give_up(self, item: OutboxItem, status: str, error: str) -> None:
        log.warning("outbox message %d to chat %d: %s (%s)", item.id, item.chat_id, status, error)
        await asyncio.to_thread(
            outbox.mark_given_up,
            db=self._db,
            item=item,
            status=status,
            error=error,
            now=self._clock(),
            admin_chat_id=self._admin_chat_id,
        )
        self.wake()
