"""/pengingat (rendatin pauses and resumes a unit's reminders) and /ringkasan (morning digest)."""

from __future__ import annotations

from telegram import Update

from bot.context import LapkinContext
from bot.services import reminder_commands
from handlers.common import acknowledge, call_service, domain_errors_as_replies, pressed, send_reply

PAUSE_WORDS = {"jeda", "pause", "stop"}
RESUME_WORDS = {"lanjut", "lanjutkan", "resume"}


@domain_errors_as_replies
async def pengingat(update: Update, context: LapkinContext) -> None:
    """Shows the units' reminder state, or pauses or resumes one unit's reminders."""
    services = context.services
    actor = context.registered_person
    args = list(context.args or [])
    action = args[0].lower() if args else ""
    if action in PAUSE_WORDS and len(args) >= 2:
        answer = await call_service(
            reminder_commands.pause_unit,
            db=services.db,
            actor=actor,
            unit_code=args[1],
            reason=" ".join(args[2:]),
            now=services.clock(),
        )
    elif action in RESUME_WORDS and len(args) >= 2:
        answer = await call_service(
            reminder_commands.resume_unit,
            db=services.db,
            actor=actor,
            unit_code=args[1],
            now=services.clock(),
        )
    else:
        answer = await call_service(reminder_commands.pause_overview, db=services.db, actor=actor)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def ringkasan(update: Update, context: LapkinContext) -> None:
    """Shows whether the morning digest is on, with a button to turn it on or off."""
    answer = await call_service(
        reminder_commands.digest_setting, db=context.services.db, actor=context.registered_person
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def resume(update: Update, context: LapkinContext) -> None:
    """Resumes the reminders of the unit on the pressed button."""
    services = context.services
    answer = await call_service(
        reminder_commands.resume_unit,
        db=services.db,
        actor=context.registered_person,
        unit_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def digest(update: Update, context: LapkinContext) -> None:
    """Turns the morning digest on or off, as the pressed button says."""
    services = context.services
    answer = await call_service(
        reminder_commands.set_digest,
        db=services.db,
        actor=context.registered_person,
        enabled=bool(pressed(update).id()),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)
