"""/ajukan, /persetujuan, /delegasi and the Setujui / Kembalikan buttons (SOP steps 3–4)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction

from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.services import approval_overview, approvals, delegations
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    office_template,
    office_tz,
    pressed,
    send_reply,
)


@domain_errors_as_replies
async def submit_command(update: Update, context: LapkinContext) -> None:
    """Sends the latest konsep version for the Kasubbag's initials."""
    services = context.services
    answer = await call_service(
        approvals.submit,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        draft_id=None,
        now=services.clock(),
        tz=office_tz(context),
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def overview(update: Update, context: LapkinContext) -> None:
    """Shows what waits for the person's decision, and rendatin the round per reviewer."""
    services = context.services
    answers = await call_service(
        approval_overview.overview,
        db=services.db,
        actor=context.registered_person,
        tz=office_tz(context),
    )
    await acknowledge(update)
    for answer in answers:
        await send_reply(update, context, answer)


@domain_errors_as_replies
async def delegate_command(update: Update, context: LapkinContext) -> None:
    """/delegasi: list, name (NIP NIP Plh|Plt alasan) or end (selesai NIP) a Plh./Plt."""
    services = context.services
    actor = context.registered_person
    args = list(context.args or [])
    now = services.clock()
    if not args:
        answer = await call_service(delegations.listing, db=services.db, actor=actor)
    elif args[0].lower() == "selesai" and len(args) == 2:
        answer = await call_service(
            delegations.end, db=services.db, actor=actor, absent_nip=args[1], now=now
        )
    elif len(args) >= 4:
        answer = await call_service(
            delegations.delegate,
            db=services.db,
            files=services.files,
            actor=actor,
            absent_nip=args[0],
            delegate_nip=args[1],
            title=args[2],
            reason=" ".join(args[3:]),
            now=now,
            tz=office_tz(context),
        )
    else:
        raise InvalidInput(delegations.USAGE)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def submit(update: Update, context: LapkinContext) -> None:
    """Sends the pressed konsep version for paraf (the button under a new /konsep)."""
    services = context.services
    answer = await call_service(
        approvals.submit,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        draft_id=pressed(update).id(),
        now=services.clock(),
        tz=office_tz(context),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def approve(update: Update, context: LapkinContext) -> None:
    """Records the pressed paraf or signature."""
    data = pressed(update)
    services = context.services
    if update.effective_chat is not None:
        # Signing renders the final document: a few seconds.
        await update.effective_chat.send_action(ChatAction.TYPING)
    answer = await call_service(
        approvals.approve,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        approval_id=data.id(0),
        version=data.id(1),
        now=services.clock(),
        tz=office_tz(context),
        template=office_template(context, "lkjip.docx"),
        pdf_copies=services.settings.pdf_copies,
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def return_draft(update: Update, context: LapkinContext) -> None:
    """Asks the reviewer why they return the pressed version."""
    data = pressed(update)
    services = context.services
    answer = await call_service(
        approvals.begin_return,
        db=services.db,
        actor=context.registered_person,
        approval_id=data.id(0),
        version=data.id(1),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)
