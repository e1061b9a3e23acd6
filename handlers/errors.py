"""The one error handler: log with context, apologise to the user, report to the admins."""

from __future__ import annotations

import logging
import traceback

from telegram import Update

from bot.context import LapkinContext
from bot.services.outbox import enqueue_to_admins
from bot.services.people import find_by_telegram_id
from handlers import texts
from handlers.common import call_service, is_private

log = logging.getLogger(__name__)


def _report_to_admins(context: LapkinContext, *, office_id: int | None, report: str) -> None:
    services = context.services
    with services.db.session() as session:
        enqueue_to_admins(
            session,
            office_id=office_id,
            now=services.clock(),
            text=report,
            extra_chat_id=services.settings.admin_chat_id,
        )
        session.commit()


async def error_handler(update: object, context: LapkinContext) -> None:
    """Logs the error, tells the user politely, and queues a report for the admins."""
    error = context.error
    where = "update" if isinstance(update, Update) else "job"
    log.error("error while handling an %s: %r", where, update, exc_info=error)
    if isinstance(update, Update):
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(texts.ERROR[:200], show_alert=True)
            elif is_private(update) and update.effective_message is not None:
                await update.effective_message.reply_text(texts.ERROR)
        except Exception:  # the apology itself may fail when Telegram is the problem
            log.warning("could not tell the user about the error", exc_info=True)
    try:
        # Error handlers get a fresh context, so the guard's person is not on it.
        user = update.effective_user if isinstance(update, Update) else None
        person = (
            await call_service(
                find_by_telegram_id, db=context.services.db, telegram_user_id=user.id
            )
            if user is not None
            else None
        )
        who = f"{person.name} (NIP {person.nip})" if person is not None else "—"
        trace = "".join(traceback.format_exception(error)) if error else ""
        report = (
            f"🛑 Kesalahan di Lapkin\nPengguna: {who}\n"
            f"Galat: {type(error).__name__}: {error}\n\n{trace[-3000:]}"
        ).replace(context.bot.token, "<token>")
        await call_service(
            _report_to_admins,
            context,
            office_id=person.office_id if person is not None else None,
            report=report[:4000],
        )
        context.services.dispatcher.wake()
    except Exception:  # e.g. the database is what failed: the log line above must suffice
        log.warning("could not queue the error report for the admins", exc_info=True)
