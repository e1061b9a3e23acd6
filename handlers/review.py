"""Rendatin's buttons on a submission: look, accept, flag as doubtful, see the versions."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.context import LapkinContext
from bot.messages import review as messages
from bot.services import analysis, review
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    office_tz,
    pressed,
    remove_buttons,
    send_reply,
)


@domain_errors_as_replies
async def view(update: Update, context: LapkinContext) -> None:
    """Shows one submission in full and sends its evidence files along."""
    services = context.services
    answer, files = await call_service(
        review.submission_detail,
        db=services.db,
        actor=context.registered_person,
        submission_id=pressed(update).id(),
        tz=office_tz(context),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)
    assert update.effective_message is not None
    for relative, name in files:
        content = await call_service(services.files.read, relative)
        await update.effective_message.reply_document(
            InputFile(content, filename=name), caption=messages.evidence_caption(name)
        )


@domain_errors_as_replies
async def history(update: Update, context: LapkinContext) -> None:
    """Lists every version of the pressed line."""
    services = context.services
    answer = await call_service(
        review.history,
        db=services.db,
        actor=context.registered_person,
        line_id=pressed(update).id(),
        tz=office_tz(context),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def accept(update: Update, context: LapkinContext) -> None:
    """Accepts the submission and takes the buttons off the pressed message."""
    query = update.callback_query
    assert query is not None
    services = context.services
    answer = await call_service(
        review.accept,
        db=services.db,
        actor=context.registered_person,
        submission_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update, messages.ACCEPTED_TOAST)
    await remove_buttons(query)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def flag(update: Update, context: LapkinContext) -> None:
    """Asks for the reason the submission is doubtful."""
    services = context.services
    answer = await call_service(
        review.begin_flag,
        db=services.db,
        actor=context.registered_person,
        submission_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def no_data(update: Update, context: LapkinContext) -> None:
    """Asks why the pressed line will have no data in the report."""
    services = context.services
    answer = await call_service(
        analysis.begin_no_data,
        db=services.db,
        actor=context.registered_person,
        line_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)
