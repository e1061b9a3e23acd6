"""/siklus: rendatin chooses the period and deadline, checks the Nota Dinas, and sends it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from telegram import InputFile, Update

from bot import callbacks
from bot.context import LapkinContext
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import cycles as messages
from bot.messages.cycles import PERIODS
from bot.services import cycles, nota_dinas_approval
from bot.services.common import NOT_RENDATIN
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    office_template,
    office_tz,
    pressed,
    remove_buttons,
    reply,
    send_reply,
)
from handlers.keyboards import inline_keyboard

T = TypeVar("T")


def _period(index: int) -> Period:
    if not 0 <= index < len(PERIODS):
        raise InvalidInput(callbacks.INVALID_BUTTON)
    return PERIODS[index]


def _require_rendatin(context: LapkinContext) -> None:
    if not context.registered_person.has_role(Role.RENDATIN):
        raise NotAllowed(NOT_RENDATIN)


def _today(context: LapkinContext) -> date:
    return context.services.clock().astimezone(office_tz(context)).date()


@domain_errors_as_replies
async def start_cycle(update: Update, context: LapkinContext) -> None:
    """Asks which period to collect: last year's annual report, or this year's."""
    _require_rendatin(context)
    year = _today(context).year
    choices = [(year - 1, Period.TAHUNAN), (year, Period.TAHUNAN)]
    choices += [(year, period) for period in PERIODS if period is not Period.TAHUNAN]
    question = messages.period_choice(choices)
    await reply(update, question.text, question.keyboard)


@domain_errors_as_replies
async def choose_period(update: Update, context: LapkinContext) -> None:
    """Asks for the deadline, suggesting the SOP's 7 working days."""
    _require_rendatin(context)
    data = pressed(update)
    year, period = data.id(0), _period(data.id(1))
    services = context.services
    suggested = await call_service(
        cycles.ask_deadline,
        db=services.db,
        actor=context.registered_person,
        year=year,
        period=period,
        now=services.clock(),
        tz=office_tz(context),
    )
    await acknowledge(update)
    question = messages.deadline_question(year=year, period=period, suggested=suggested)
    await reply(update, question.text, question.keyboard)


@domain_errors_as_replies
async def choose_suggested_deadline(update: Update, context: LapkinContext) -> None:
    """Takes the suggested deadline from the button."""
    data = pressed(update)
    try:
        deadline = datetime.strptime(str(data.id(2)), "%Y%m%d").date()
    except ValueError:
        raise InvalidInput(callbacks.INVALID_BUTTON) from None
    await _preview(update, context, year=data.id(0), period=_period(data.id(1)), deadline=deadline)
    await acknowledge(update)


async def typed_deadline(update: Update, context: LapkinContext) -> None:
    """Takes a deadline typed as text while /siklus waits for one."""
    assert update.effective_message is not None and update.effective_message.text is not None
    year, period, deadline = await call_service(
        cycles.typed_deadline,
        db=context.services.db,
        actor=context.registered_person,
        text=update.effective_message.text,
    )
    await _preview(update, context, year=year, period=period, deadline=deadline)


async def _preview(
    update: Update, context: LapkinContext, *, year: int, period: Period, deadline: date
) -> None:
    _require_rendatin(context)
    services = context.services
    draft = await call_service(
        cycles.draft_cycle,
        db=services.db,
        actor=context.registered_person,
        year=year,
        period=period,
        deadline=deadline,
        now=services.clock(),
        tz=office_tz(context),
        template=office_template(context, "nota_dinas.docx"),
    )
    shown = messages.preview(
        year=year, period=period, deadline=deadline, units=draft.units, cycle_id=draft.cycle_id
    )
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        InputFile(draft.docx, filename=draft.filename),
        caption=shown.text[:1024],
        reply_markup=inline_keyboard(shown.keyboard),
    )


async def _sending(service: Callable[..., T], update: Update, context: LapkinContext) -> T:
    """Call Kirim's or Setujui's service for the pressed cycle, then wake the dispatcher: both
    may have queued the Nota Dinas for every unit."""
    services = context.services
    result = await call_service(
        service,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        cycle_id=pressed(update).id(),
        now=services.clock(),
        tz=office_tz(context),
        bot_username=context.bot.username,
        pdf_copies=services.settings.pdf_copies,
        template=office_template(context, "nota_dinas.docx"),
    )
    services.dispatcher.wake()
    return result


@domain_errors_as_replies
async def send(update: Update, context: LapkinContext) -> None:
    """Numbers and sends the Nota Dinas to every unit, or asks its signer to approve it."""
    query = update.callback_query
    assert query is not None
    sent = await _sending(cycles.send_cycle, update, context)
    if isinstance(sent, nota_dinas_approval.AwaitingSigner):
        await acknowledge(update, messages.SUBMITTED_TOAST)
        await remove_buttons(query)
        await reply(
            update, messages.awaiting_signer(period_label=sent.period_label, signer=sent.signer)
        )
        return
    await acknowledge(update, messages.SENT_TOAST)
    await remove_buttons(query)
    await reply(
        update,
        messages.sending(
            nomor=sent.nota_dinas_number, units=sent.units, recipients=sent.recipients
        ),
    )


@domain_errors_as_replies
async def approve(update: Update, context: LapkinContext) -> None:
    """Records the signer's approval: the Nota Dinas is numbered and sent to every unit."""
    query = update.callback_query
    assert query is not None
    sent = await _sending(nota_dinas_approval.approve, update, context)
    answer = messages.approved(
        nomor=sent.nota_dinas_number, units=sent.units, recipients=sent.recipients
    )
    await acknowledge(update, messages.SENT_TOAST)
    await remove_buttons(query)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def return_nota_dinas(update: Update, context: LapkinContext) -> None:
    """Asks the signer why she returns the Nota Dinas."""
    services = context.services
    answer = await call_service(
        nota_dinas_approval.begin_return,
        db=services.db,
        actor=context.registered_person,
        cycle_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


async def typed_return_reason(update: Update, context: LapkinContext, text: str) -> Reply:
    """Returns the Nota Dinas to its preparer with the reason the signer typed."""
    services = context.services
    return await call_service(
        nota_dinas_approval.return_with_reason,
        db=services.db,
        actor=context.registered_person,
        reason=text,
        now=services.clock(),
        tz=office_tz(context),
    )


@domain_errors_as_replies
async def cancel(update: Update, context: LapkinContext) -> None:
    """Discards the draft."""
    query = update.callback_query
    data = callbacks.decode(query.data if query else None)
    assert query is not None and data is not None
    services = context.services
    await call_service(
        cycles.cancel_draft,
        db=services.db,
        actor=context.registered_person,
        cycle_id=data.id(),
        now=services.clock(),
    )
    await acknowledge(update, messages.CANCELLED_TOAST)
    await remove_buttons(query)
    await reply(update, messages.CANCELLED)
