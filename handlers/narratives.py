"""/narasi: rendatin reads and replaces the LKjIP's narrative sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.context import LapkinContext
from bot.messages import Reply
from bot.services import narratives
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    pressed,
    send_reply,
)


@domain_errors_as_replies
async def narasi_command(update: Update, context: LapkinContext) -> None:
    """Lists the report's narrative sections as buttons."""
    services = context.services
    answer = await call_service(
        narratives.narasi_command, db=services.db, actor=context.registered_person
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def show(update: Update, context: LapkinContext) -> None:
    """Shows a section's current text with the Ganti button."""
    await _on_section(update, context, narratives.show_section, tz=context.services.settings.tz)


@domain_errors_as_replies
async def replace(update: Update, context: LapkinContext) -> None:
    """Asks for the section's new text."""
    await _on_section(update, context, narratives.begin_replace, now=context.services.clock())


async def _on_section(
    update: Update, context: LapkinContext, use_case: Callable[..., Reply], **extra: Any
) -> None:
    """Calls ``use_case`` for the pressed button's cycle and section, and sends its answer."""
    press = pressed(update)
    answer = await call_service(
        use_case,
        db=context.services.db,
        actor=context.registered_person,
        cycle_id=press.id(0),
        number=press.id(1),
        **extra,
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


async def received_file(update: Update, context: LapkinContext, data: bytes, name: str) -> None:
    """Takes an uploaded .docx/.txt as the section's new text."""
    services = context.services
    answer = await call_service(
        narratives.record_text,
        db=services.db,
        actor=context.registered_person,
        now=services.clock(),
        data=data,
        filename=name,
    )
    await send_reply(update, context, answer)
