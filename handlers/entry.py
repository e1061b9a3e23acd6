"""/isi and the entry buttons: a unit member enters their indicators in chat."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.services import entry
from handlers.common import acknowledge, call_service, domain_errors_as_replies, send_reply


@domain_errors_as_replies
async def menu(update: Update, context: LapkinContext) -> None:
    """Shows the unit's indicators with their status, each a button to start entering."""
    answer = await call_service(
        entry.entry_menu, db=context.services.db, actor=context.registered_person
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def button(update: Update, context: LapkinContext) -> None:
    """Handles the entry buttons: start, upload done, send, change, cancel."""
    query = update.callback_query
    data = callbacks.decode(query.data if query else None)
    assert data is not None
    services = context.services
    actor = context.registered_person
    now = services.clock()
    if data.action == "m":
        answer = await call_service(entry.entry_menu, db=services.db, actor=actor)
    elif data.action == "s":
        answer = await call_service(
            entry.begin_entry, db=services.db, actor=actor, line_id=data.id(), now=now
        )
    elif data.action == "d":
        answer = await call_service(entry.evidence_done, db=services.db, actor=actor, now=now)
    elif data.action == "k":
        answer = await call_service(entry.confirm_entry, db=services.db, actor=actor, now=now)
    elif data.action == "u":
        answer = await call_service(entry.restart_entry, db=services.db, actor=actor, now=now)
    elif data.action == "x":
        answer = await call_service(entry.cancel_entry, db=services.db, actor=actor)
    else:
        raise InvalidInput(callbacks.INVALID_BUTTON)
    await acknowledge(update)
    await send_reply(update, context, answer)
