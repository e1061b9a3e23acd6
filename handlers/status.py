"""/status: progress per unit, and a unit's indicators page by page."""

from __future__ import annotations

from datetime import date

from telegram import InputFile, Update

from bot.context import LapkinContext
from bot.services import cycles, status
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    office_tz,
    pressed,
    send_reply,
    show_in_place,
)


def _today(context: LapkinContext) -> date:
    return context.services.clock().astimezone(office_tz(context)).date()


@domain_errors_as_replies
async def overview(update: Update, context: LapkinContext) -> None:
    """Shows each open cycle's progress per unit."""
    answer = await call_service(
        status.overview,
        db=context.services.db,
        actor=context.registered_person,
        today=_today(context),
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def back_to_overview(update: Update, context: LapkinContext) -> None:
    """Replaces the status message with the summary of every open cycle."""
    answer = await call_service(
        status.overview,
        db=context.services.db,
        actor=context.registered_person,
        today=_today(context),
    )
    await acknowledge(update)
    await show_in_place(update, answer.text, answer.keyboard)


@domain_errors_as_replies
async def unit_page(update: Update, context: LapkinContext) -> None:
    """Replaces the status message with the page asked for of one unit's indicators."""
    data = pressed(update)
    answer = await call_service(
        status.unit_detail,
        db=context.services.db,
        actor=context.registered_person,
        cycle_id=data.id(0),
        unit_id=data.id(1),
        page=data.id(2),
        today=_today(context),
    )
    await acknowledge(update)
    await show_in_place(update, answer.text, answer.keyboard)


@domain_errors_as_replies
async def rencana_aksi(update: Update, context: LapkinContext) -> None:
    """Sends the cycle's Rencana Aksi workbook."""
    relative, name = await call_service(
        cycles.rencana_aksi_file,
        db=context.services.db,
        actor=context.registered_person,
        cycle_id=pressed(update).id(),
    )
    await acknowledge(update)
    assert update.effective_message is not None
    content = await call_service(context.services.files.read, relative)
    await update.effective_message.reply_document(
        InputFile(content, filename=name), caption=name.removesuffix(".xlsx")
    )
