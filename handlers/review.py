"""Rendatin's buttons on a submission: look, accept, flag as doubtful, see the versions."""

from __future__ import annotations

from telegram import InputFile, Update

from bot import callbacks
from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.services import analysis, review
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    remove_buttons,
    send_reply,
)


@domain_errors_as_replies
async def button(update: Update, context: LapkinContext) -> None:
    """Handles the review buttons; the service re-checks the person and the current state."""
    query = update.callback_query
    data = callbacks.decode(query.data if query else None)
    assert query is not None and data is not None
    services = context.services
    actor = context.registered_person
    now = services.clock()
    tz = services.settings.tz
    if data.action == "v":
        answer, files = await call_service(
            review.submission_detail, db=services.db, actor=actor, submission_id=data.id(), tz=tz
        )
        await acknowledge(update)
        await send_reply(update, context, answer)
        assert update.effective_message is not None
        for relative, name in files:
            content = await call_service(services.files.read, relative)
            await update.effective_message.reply_document(
                InputFile(content, filename=name), caption=f"📎 Bukti: {name}"[:1024]
            )
        return
    if data.action == "a":
        answer = await call_service(
            review.accept, db=services.db, actor=actor, submission_id=data.id(), now=now
        )
        await acknowledge(update, "Diterima.")
        await remove_buttons(query)
    elif data.action == "f":
        answer = await call_service(
            review.begin_flag, db=services.db, actor=actor, submission_id=data.id(), now=now
        )
        await acknowledge(update)
    elif data.action == "n":
        answer = await call_service(
            analysis.begin_no_data, db=services.db, actor=actor, line_id=data.id(), now=now
        )
        await acknowledge(update)
    elif data.action == "h":
        answer = await call_service(
            review.history, db=services.db, actor=actor, line_id=data.id(), tz=tz
        )
        await acknowledge(update)
    else:
        raise InvalidInput(callbacks.INVALID_BUTTON)
    await send_reply(update, context, answer)
