"""The one error handler: log with context, apologise to the user, report to the admins."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotData, LapkinContext
from bot.messages import common as texts
from bot.outage import is_unavailable
from bot.services.error_reports import report_failure
from handlers.common import alert, call_service, is_private

log = logging.getLogger(__name__)


async def error_handler(update: object, context: LapkinContext) -> None:
    """Logs the error, queues a report for the admins, and tells the user politely.

    The report goes first: the apology says it was reported only when it was (when the
    database is what failed, it could not be). The database being unreachable is not traced
    for every update: the watch (bot.outage) logs it a line a minute and tells the admins
    how long it lasted once it is back.

    Whatever happens here, the update stops: an error in the access guard must never let
    the update go on to the handlers as if it had passed (the guard fails closed).
    """
    try:
        error = context.error
        where = "update" if isinstance(update, Update) else "job"
        if is_unavailable(error):
            assert error is not None
            context.services.watch.failed(error, where=where)
            reported = False  # a report would go through the database too
        else:
            log.error("error while handling an %s: %r", where, update, exc_info=error)
            reported = await _report(update, context, error)
        if isinstance(update, Update):
            await _apologise(update, texts.ERROR if reported else texts.ERROR_NOT_REPORTED)
    except Exception:  # never let the error handler's own failure end the stop below
        log.exception("the error handler failed")
    raise ApplicationHandlerStop


async def _apologise(update: Update, apology: str) -> None:
    try:
        if update.callback_query is not None:
            await alert(update, apology)
        elif is_private(update) and update.effective_message is not None:
            await update.effective_message.reply_text(apology)
    except Exception:  # the apology itself may fail when Telegram is the problem
        log.warning("could not tell the user about the error", exc_info=True)


async def _report(update: object, context: LapkinContext, error: BaseException | None) -> bool:
    """Queue the admins' report; tell whether it was queued."""
    try:
        # Error handlers get a fresh context, so the guard's person is not on it.
        user = update.effective_user if isinstance(update, Update) else None
        services = context.services
        bot_data: BotData = context.bot_data
        await call_service(
            report_failure,
            db=services.db,
            reported=bot_data.error_reports,
            error=error,
            telegram_user_id=user.id if user is not None else None,
            secret=context.bot.token,
            admin_chat_id=services.settings.admin_chat_id,
            now=services.clock(),
            tz=services.settings.tz,
        )
        context.services.dispatcher.wake()
    except Exception as exc:  # e.g. the database is what failed: the log line above must do
        if is_unavailable(exc):
            context.services.watch.failed(exc, where="error report")
        else:
            log.warning("could not queue the error report for the admins", exc_info=True)
        return False
    return True
