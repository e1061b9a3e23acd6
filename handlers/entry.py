"""/isi and the entry buttons: a unit member enters their indicators in chat."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot.context import LapkinContext
from bot.messages import Reply
from bot.services import entry
from handlers.common import acknowledge, call_service, domain_errors_as_replies, pressed, send_reply


@domain_errors_as_replies
async def menu(update: Update, context: LapkinContext) -> None:
    """Shows the unit's indicators with their status, each a button to start entering."""
    answer = await call_service(
        entry.entry_menu, db=context.services.db, actor=context.registered_person
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def begin(update: Update, context: LapkinContext) -> None:
    """Starts entering the indicator line of the pressed button."""
    services = context.services
    answer = await call_service(
        entry.begin_entry,
        db=services.db,
        actor=context.registered_person,
        line_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def evidence_done(update: Update, context: LapkinContext) -> None:
    """Closes the evidence step and shows the summary to confirm."""
    await _step(update, context, entry.evidence_done)


@domain_errors_as_replies
async def confirm(update: Update, context: LapkinContext) -> None:
    """Sends the entry as it stands."""
    await _step(update, context, entry.confirm_entry)


@domain_errors_as_replies
async def restart(update: Update, context: LapkinContext) -> None:
    """Starts the same indicator again, to change the answers."""
    await _step(update, context, entry.restart_entry)


@domain_errors_as_replies
async def cancel(update: Update, context: LapkinContext) -> None:
    """Drops the entry in progress."""
    answer = await call_service(
        entry.cancel_entry, db=context.services.db, actor=context.registered_person
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


async def _step(update: Update, context: LapkinContext, step: Callable[..., Reply]) -> None:
    """Runs one step of the person's entry in progress and shows where it stands."""
    services = context.services
    answer = await call_service(
        step, db=services.db, actor=context.registered_person, now=services.clock()
    )
    await acknowledge(update)
    await send_reply(update, context, answer)
