"""Free text in a private chat: the answer to whatever the bot asked, or a hint."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.context import LapkinContext
from bot.domain.pending import PendingKind
from bot.domain.typed_text import clean_typed_text
from bot.messages import Reply
from bot.messages import common as texts
from bot.messages import delivery as delivery_texts
from bot.services import analysis, approvals, delivery, entry, meeting, narratives, review
from bot.services.known_people import NotHeld
from bot.services.pending import known_kind
from handlers.common import (
    act_for_awaited_answer,
    call_service,
    domain_errors_as_replies,
    office_tz,
    reply,
    send_reply,
)
from handlers.cycle import typed_deadline, typed_return_reason

# An answer takes the update (for the few that reply on their own), the context and the
# cleaned text; it returns the Reply to send, or None when it has replied itself.
Answer = Callable[[Update, LapkinContext, str], Coroutine[Any, Any, Reply | None]]


async def _entry(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        entry.handle_entry_text,
        db=services.db,
        actor=context.registered_person,
        text=text,
        now=services.clock(),
        max_upload_bytes=services.settings.upload_limits.file_bytes,
    )


async def _flag_reason(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        review.flag_with_reason,
        db=services.db,
        actor=context.registered_person,
        reason=text,
        now=services.clock(),
    )


async def _no_data_reason(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        analysis.mark_no_data,
        db=services.db,
        actor=context.registered_person,
        reason=text,
        now=services.clock(),
    )


async def _cycle_deadline(update: Update, context: LapkinContext, text: str) -> None:
    # The preview is a document with its own buttons: the cycle handler sends it.
    await typed_deadline(update, context)


async def _meeting_schedule(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        meeting.continue_schedule,
        db=services.db,
        actor=context.registered_person,
        text=text,
        now=services.clock(),
        tz=office_tz(context),
    )


async def _meeting_input(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        meeting.record_input,
        db=services.db,
        actor=context.registered_person,
        text=text,
        now=services.clock(),
    )


async def _minutes(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        meeting.record_minutes,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        now=services.clock(),
        text=text,
    )


async def _return_reason(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        approvals.return_with_reason,
        db=services.db,
        actor=context.registered_person,
        reason=text,
        now=services.clock(),
        tz=office_tz(context),
    )


async def _manual_receiver(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        delivery.confirm_manual,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        text=text,
        now=services.clock(),
        tz=office_tz(context),
    )


async def _signed_scan(update: Update, context: LapkinContext, text: str) -> Reply:
    return delivery_texts.SCAN_IS_A_FILE


async def _narrative(update: Update, context: LapkinContext, text: str) -> Reply:
    services = context.services
    return await call_service(
        narratives.record_text,
        db=services.db,
        actor=context.registered_person,
        now=services.clock(),
        text=text,
    )


# What each kind of awaited input does with the text: one row per kind.
ANSWERS: dict[PendingKind, Answer] = {
    PendingKind.ENTRY: _entry,
    PendingKind.FLAG_REASON: _flag_reason,
    PendingKind.NO_DATA_REASON: _no_data_reason,
    PendingKind.CYCLE_DEADLINE: _cycle_deadline,
    PendingKind.MEETING_SCHEDULE: _meeting_schedule,
    PendingKind.MEETING_INPUT: _meeting_input,
    PendingKind.MINUTES: _minutes,
    PendingKind.RETURN_REASON: _return_reason,
    PendingKind.MANUAL_RECEIVER: _manual_receiver,
    PendingKind.SIGNED_SCAN: _signed_scan,
    PendingKind.NARRATIVE: _narrative,
    PendingKind.NOTA_DINAS_RETURN: typed_return_reason,
}


@domain_errors_as_replies
async def received_text(update: Update, context: LapkinContext) -> None:
    """Passes the text to the question the person is answering."""
    assert update.effective_message is not None and update.effective_message.text is not None
    text = clean_typed_text(update.effective_message.text)
    await act_for_awaited_answer(context)
    services = context.services
    held = services.pending.lookup(context.registered_person.id)
    pending = (
        await call_service(
            services.pending.read, db=services.db, person_id=context.registered_person.id
        )
        if isinstance(held, NotHeld)
        else held
    )
    kind = known_kind(pending[0]) if pending is not None else None
    if kind is None:
        await reply(update, texts.UNEXPECTED_TEXT)
        return
    answer = await ANSWERS[kind](update, context, text)
    if answer is not None:
        await send_reply(update, context, answer)
