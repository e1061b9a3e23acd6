"""Wiring: build the Telegram application with its services, handlers and outbox dispatcher."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes

import handlers
from bot import file_cleanup, reminders
from bot.bot_identity import remember_username
from bot.clock import Clock, utc_now
from bot.context import BotData, LapkinApplication, LapkinContext, Services
from bot.dispatcher import OutboxDispatcher
from bot.documents import chart_pool
from bot.outage import DatabaseWatch
from bot.ratelimit import REAL_TIME, Pacing, TelegramRateLimiter
from bot.reply_rescue import ReplyRescue
from bot.services.people import menu_owners
from bot.settings import Settings
from bot.update_order import PerSenderUpdateProcessor
from handlers.menus import set_default_menu, sync_menus
from storage.db import Database
from storage.files import FileStore

log = logging.getLogger(__name__)


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock = utc_now,
    pacing: Pacing = REAL_TIME,
) -> LapkinApplication:
    """Build the bot: token and Bot API address from ``settings``, services wired in.

    ``pacing`` is how fast Telegram's rate limits and retry waits run (tests speed them up).
    """
    token = settings.bot_token()
    chart_pool.configure(settings.chart_workers)
    database = db or Database(settings.effective_database_url)
    context_types = ContextTypes(context=LapkinContext, bot_data=BotData)
    limiter = TelegramRateLimiter(pacing=pacing)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .local_mode(settings.local_mode)
        .context_types(context_types)
        .rate_limiter(limiter)
        .read_timeout(settings.telegram_read_timeout)
        .write_timeout(settings.telegram_write_timeout)
        .get_updates_read_timeout(settings.telegram_read_timeout + 30)
        .concurrent_updates(PerSenderUpdateProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    files = FileStore(settings.data_dir)
    watch = DatabaseWatch(
        db=database, admin_chat_id=settings.admin_chat_id, tz=settings.tz, clock=clock
    )
    dispatcher = OutboxDispatcher(
        bot=application.bot,
        db=database,
        watch=watch,
        clock=clock,
        pacing=pacing,
        admin_chat_id=settings.admin_chat_id,
        poll_seconds=settings.outbox_poll_seconds,
        max_attempts=settings.outbox_max_attempts,
        files=files,
        answer_timeout=settings.telegram_read_timeout,
    )
    # A reply still refused after its tries is sent later by the outbox (bot.reply_rescue).
    limiter.rescue = ReplyRescue(db=database, files=files, clock=clock, wake=dispatcher.wake)
    application.bot_data.services = Services(
        settings=settings,
        db=database,
        files=files,
        dispatcher=dispatcher,
        watch=watch,
        clock=clock,
    )
    typed = cast(LapkinApplication, application)
    handlers.register(typed)
    reminders.install(typed)
    file_cleanup.install(typed)
    return typed


def _services(application: LapkinApplication) -> Services:
    bot_data: BotData = application.bot_data
    return bot_data.services


async def _post_init(application: LapkinApplication) -> None:
    """Set the command menus and start draining the outbox."""
    services = _services(application)
    await set_default_menu(application.bot)
    # People's menus are a convenience: the first start after an upgrade may set thousands,
    # and nobody should wait for that, so it runs beside the bot.
    bot_data: BotData = application.bot_data
    bot_data.menu_sync = asyncio.create_task(_sync_menus(application), name="menu-sync")
    await services.dispatcher.start()
    services.pending.start(db=services.db)
    await services.known_people.start(
        db=services.db, interval=services.settings.outbox_poll_seconds
    )
    # `python -m bot invite` builds its links from this when Telegram cannot be asked.
    remember_username(services.settings.data_dir, application.bot.username)
    log.info("Lapkin is running as @%s", application.bot.username)


async def _sync_menus(application: LapkinApplication) -> None:
    services = _services(application)
    try:
        owners = await asyncio.to_thread(menu_owners, db=services.db)
        changed = await sync_menus(application.bot, services, owners)
    except Exception:
        # The next start tries again; the bot works without them meanwhile.
        log.exception("setting the command menus failed")
        return
    log.info("command menus: %d of %d people needed a new one", changed, len(owners))


async def _post_stop(application: LapkinApplication) -> None:
    """Stop the menu set-up and the outbox dispatcher while the bot can still finish a send."""
    bot_data: BotData = application.bot_data
    if bot_data.menu_sync is not None:
        bot_data.menu_sync.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bot_data.menu_sync
        bot_data.menu_sync = None
    await _services(application).dispatcher.stop()
    await _services(application).known_people.stop()
    _services(application).pending.stop()


async def _post_shutdown(application: LapkinApplication) -> None:
    """Close the database connections and stop the chart workers, if a report started them."""
    _services(application).db.dispose()
    await asyncio.to_thread(chart_pool.shutdown)


@asynccontextmanager
async def running(
    application: LapkinApplication, *, poll_timeout: float = 1.0
) -> AsyncIterator[LapkinApplication]:
    """Run the bot with long polling inside the caller's event loop (tests, embedding).

    It goes through the same start-up and shut-down steps as ``run_polling``.
    """
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0.0, timeout=int(poll_timeout) or 1, allowed_updates=Update.ALL_TYPES
    )
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
