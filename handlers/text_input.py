"""Free text in a private chat: the answer to whatever the bot asked, or a hint."""

from __future__ import annotations

from telegram import Update

from bot.context import LapkinContext
from bot.domain.typed_text import clean_typed_text
from bot.messages import common as texts
from bot.services import analysis, approvals, cycles, delivery, entry, meeting, review
from bot.services.known_people import NotHeld
from handlers.common import call_service, domain_errors_as_replies, reply, send_reply
from handlers.cycle import typed_deadline


@domain_errors_as_replies
async def received_text(update: Update, context: LapkinContext) -> None:
    """Passes the text to the question the person is answering."""
    services = context.services
    actor = context.registered_person
    assert update.effective_message is not None and update.effective_message.text is not None
    text = clean_typed_text(update.effective_message.text)
    held = services.pending.lookup(actor.id)
    pending = (
        await call_service(services.pending.read, db=services.db, person_id=actor.id)
        if isinstance(held, NotHeld)
        else held
    )
    if pending is None:
        await reply(update, texts.UNEXPECTED_TEXT)
        return
    kind, payload = pending
    now = services.clock()
    if kind == entry.ENTRY:
        answer = await call_service(
            entry.handle_entry_text,
            db=services.db,
            actor=actor,
            text=text,
            now=now,
            max_upload_bytes=services.settings.upload_limits.file_bytes,
        )
    elif kind == review.FLAG:
        answer = await call_service(
            review.flag_with_reason, db=services.db, actor=actor, reason=text, now=now
        )
    elif kind == analysis.NO_DATA:
        answer = await call_service(
            analysis.mark_no_data, db=services.db, actor=actor, reason=text, now=now
        )
    elif kind == meeting.SCHEDULE:
        answer = await call_service(
            meeting.continue_schedule,
            db=services.db,
            actor=actor,
            text=text,
            now=now,
            tz=services.settings.tz,
        )
    elif kind == meeting.INPUT:
        answer = await call_service(
            meeting.record_input, db=services.db, actor=actor, text=text, now=now
        )
    elif kind == meeting.MINUTES:
        answer = await call_service(
            meeting.record_minutes,
            db=services.db,
            files=services.files,
            actor=actor,
            now=now,
            text=text,
        )
    elif kind == approvals.RETURN_REASON:
        answer = await call_service(
            approvals.return_with_reason,
            db=services.db,
            actor=actor,
            reason=text,
            now=now,
            tz=services.settings.tz,
        )
    elif kind == delivery.MANUAL_RECEIVER:
        answer = await call_service(
            delivery.confirm_manual,
            db=services.db,
            files=services.files,
            actor=actor,
            text=text,
            now=now,
            tz=services.settings.tz,
        )
    elif kind == cycles.DEADLINE_QUESTION:
        await typed_deadline(update, context, payload)
        return
    else:
        await reply(update, texts.UNEXPECTED_TEXT)
        return
    await send_reply(update, context, answer)
