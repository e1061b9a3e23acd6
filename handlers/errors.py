"""The one error handler: log with context, apologise to the user, report to the admins."""

from __future__ import annotations

import hashlib
import logging
import traceback
from datetime import timedelta

from telegram import Update

from bot.context import BotData, LapkinContext, ReportedError
from bot.domain.formatting import format_datetime
from bot.services.outbox import enqueue_edits, enqueue_to_admins
from bot.services.people import find_by_telegram_id
from handlers import texts
from handlers.common import call_service, is_private

log = logging.getLogger(__name__)


# The same error again within this time is counted in the first report, not sent anew.
REPEAT_WINDOW = timedelta(hours=1)


def _fingerprint(error: BaseException | None) -> str:
    """Name an error by its type, message and where it was raised."""
    if error is None:
        return "none"
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    text = f"{type(error).__name__}|{str(error)[:200]}|{where}"
    return hashlib.sha256(text.encode()).hexdigest()


def _report_to_admins(
    context: LapkinContext, *, office_id: int | None, report: str, fingerprint: str
) -> None:
    """Queue the report, or count a repeat in the one already sent this hour (an edit)."""
    services = context.services
    bot_data: BotData = context.bot_data
    now = services.clock()
    # Forget errors whose hour is over, so a bot running for months keeps only a few.
    for key, old in list(bot_data.error_reports.items()):
        if now - old.first_at >= REPEAT_WINDOW:
            bot_data.error_reports.pop(key, None)
    seen = bot_data.error_reports.get(fingerprint)
    with services.db.session() as session:
        if seen is not None:
            count = seen.count + 1
            since = format_datetime(seen.first_at, services.settings.tz)
            text = f"{seen.text[:3800]}\n\n🔁 Terjadi {count} kali sejak {since}."
            enqueue_edits(session, seen.message_ids, text, now=now)
            session.commit()
            seen.count = count
            return
        message_ids = enqueue_to_admins(
            session,
            office_id=office_id,
            now=now,
            text=report,
            extra_chat_id=services.settings.admin_chat_id,
        )
        session.commit()
    bot_data.error_reports[fingerprint] = ReportedError(now, 1, message_ids, report)


async def error_handler(update: object, context: LapkinContext) -> None:
    """Logs the error, queues a report for the admins, and tells the user politely.

    The report goes first: the apology says it was reported only when it was (when the
    database is what failed, it could not be).
    """
    error = context.error
    where = "update" if isinstance(update, Update) else "job"
    log.error("error while handling an %s: %r", where, update, exc_info=error)
    reported = await _report(update, context, error)
    if isinstance(update, Update):
        apology = texts.ERROR if reported else texts.ERROR_NOT_REPORTED
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(apology[:200], show_alert=True)
            elif is_private(update) and update.effective_message is not None:
                await update.effective_message.reply_text(apology)
        except Exception:  # the apology itself may fail when Telegram is the problem
            log.warning("could not tell the user about the error", exc_info=True)


async def _report(update: object, context: LapkinContext, error: BaseException | None) -> bool:
    """Queue the admins' report; tell whether it was queued."""
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
            fingerprint=_fingerprint(error),
        )
        context.services.dispatcher.wake()
    except Exception:  # e.g. the database is what failed: the log line above must suffice
        log.warning("could not queue the error report for the admins", exc_info=True)
        return False
    return True
