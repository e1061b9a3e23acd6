"""Errors reported to the admins: one report per error and hour, counting the repeats.

A failure that hits everyone (a broken template, a full disk) would otherwise page the admins
once per person who tried. The same error (type, message, place) within an hour edits the
first report to say how often it happened instead. What was reported is kept per process: a
restart may report a repeat once more, which is harmless.
"""

from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain.formatting import format_datetime
from bot.messages import error_reports as messages
from bot.services.outbox import enqueue_edits, enqueue_to_admins
from storage.db import Database
from storage.queries import person_by_telegram_id

REPEAT_WINDOW = timedelta(hours=1)


@dataclass
class ReportedError:
    """An error the admins were told of: when, how often since, and the messages to update."""

    first_at: datetime
    count: int
    message_ids: list[int]
    text: str


def fingerprint(error: BaseException | None) -> str:
    """Name an error by its type, message and where it was raised."""
    if error is None:
        return "none"
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    text = f"{type(error).__name__}|{str(error)[:200]}|{where}"
    return hashlib.sha256(text.encode()).hexdigest()


def report_error(
    *,
    db: Database,
    reported: dict[str, ReportedError],
    key: str,
    text: str,
    office_id: int | None,
    admin_chat_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Queue ``text`` for the admins, or count a repeat of ``key`` in the report already sent."""
    with db.session() as session:
        _report(
            session,
            reported=reported,
            key=key,
            text=text,
            office_id=office_id,
            admin_chat_id=admin_chat_id,
            now=now,
            tz=tz,
        )


def report_failure(
    *,
    db: Database,
    reported: dict[str, ReportedError],
    error: BaseException | None,
    telegram_user_id: int | None,
    secret: str,
    admin_chat_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Report ``error``, met by the person of ``telegram_user_id`` (if any), to the admins.

    ``secret`` (the bot's token) never reaches the report, even when the error quotes it.
    """
    with db.session() as session:
        person = (
            person_by_telegram_id(session, telegram_user_id=telegram_user_id)
            if telegram_user_id is not None
            else None
        )
        trace = "".join(traceback.format_exception(error)) if error else ""
        text = messages.error_report(
            who=messages.reporter(
                name=person.name if person else None, nip=person.nip if person else None
            ),
            error_type=type(error).__name__,
            error=str(error),
            trace=trace,
        ).replace(secret, "<token>")
        _report(
            session,
            reported=reported,
            key=fingerprint(error),
            text=text[:4000],
            office_id=person.office_id if person is not None else None,
            admin_chat_id=admin_chat_id,
            now=now,
            tz=tz,
        )


def _report(
    session: Session,
    *,
    reported: dict[str, ReportedError],
    key: str,
    text: str,
    office_id: int | None,
    admin_chat_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    # Forget errors whose hour is over, so a bot running for months keeps only a few.
    for old_key, old in list(reported.items()):
        if now - old.first_at >= REPEAT_WINDOW:
            reported.pop(old_key, None)
    seen = reported.get(key)
    if seen is not None:
        count = seen.count + 1
        since = format_datetime(seen.first_at, tz)
        repeated = messages.repeated(seen.text, count=count, since=since)
        enqueue_edits(session, seen.message_ids, repeated, now=now)
        session.commit()
        seen.count = count
        return
    message_ids = enqueue_to_admins(
        session, office_id=office_id, now=now, text=text, extra_chat_id=admin_chat_id
    )
    session.commit()
    reported[key] = ReportedError(now, 1, message_ids, text)
