"""Telling the admins, once the database is back, how long it was unreachable."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.formatting import format_datetime, format_duration
from bot.services.outbox import enqueue_to_admins
from storage.db import Database


def report_outage(
    *,
    db: Database,
    began: datetime,
    ended: datetime,
    admin_chat_id: int | None,
    tz: ZoneInfo,
) -> None:
    """Queue one message for the admins about an outage that is over."""
    text = (
        f"⚠️ Basis data Lapkin tidak dapat dihubungi selama "
        f"{format_duration((ended - began).total_seconds())} "
        f"({format_datetime(began, tz)} sampai {format_datetime(ended, tz)}). Selama itu bot "
        "tidak dapat memproses pesan; siapa pun yang mendapat pesan galat perlu mengulanginya. "
        "Pesan dan pengingat yang tertunda kini dikirim."
    )
    with db.session() as session:
        enqueue_to_admins(
            session,
            office_id=None,
            now=ended,
            text=text,
            extra_chat_id=admin_chat_id,
            # The same outage is reported once, even if two parts of the bot noticed its end.
            dedupe_key=f"alert:db-outage:{began.isoformat()}",
        )
        session.commit()
