"""Files people send: evidence during an entry, a filled entry template, the PK or the budget."""

from __future__ import annotations

from telegram import Document, File, PhotoSize, Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.domain.files import XLSX_MIME, extension_of, photo_name
from bot.domain.pending import PendingKind
from bot.domain.roles import Role
from bot.messages import entry as messages
from bot.services import budget, delivery, entry, perjanjian, workbook_submission
from bot.services.pending import awaited_kind
from handlers import narratives
from handlers.common import (
    act_for_awaited_answer,
    call_service,
    domain_errors_as_replies,
    reply,
    send_reply,
)


async def _download(update: Update, limit: int) -> tuple[bytes, str, str | None]:
    """Fetch the document or photo the person sent, refusing one over ``limit`` bytes.

    With LOCAL_MODE the Bot API server hands over a path on this machine, which PTB reads
    instead of downloading. When Telegram keeps failing past the rate limiter's retries, the
    person is asked to send the file again (nothing was stored, so nothing is lost).
    """
    try:
        return await _fetch(update, limit)
    except (NetworkError, RetryAfter) as error:
        if isinstance(error, BadRequest):
            raise
        raise InvalidInput(messages.FETCH_FAILED) from None


async def _fetch(update: Update, limit: int) -> tuple[bytes, str, str | None]:
    message = update.effective_message
    assert message is not None
    if message.document is not None:
        document = message.document
        if document.file_size is not None and document.file_size > limit:
            raise InvalidInput(messages.too_big(limit))
        file = await _get_file(document, limit)
        name = document.file_name or "berkas"
        mime = document.mime_type
    else:
        photo = message.photo[-1]  # the largest size Telegram keeps
        if photo.file_size is not None and photo.file_size > limit:
            raise InvalidInput(messages.too_big(limit))
        file = await _get_file(photo, limit)
        data = bytes(await file.download_as_bytearray())
        return (data, *photo_name(photo.file_unique_id, data))
    return bytes(await file.download_as_bytearray()), name, mime


async def _get_file(attachment: Document | PhotoSize, limit: int) -> File:
    """Ask Telegram for the file; one too big for it, sent without its size, is refused there."""
    try:
        file = await attachment.get_file()
    except BadRequest as error:
        if "too big" in error.message.lower():
            raise InvalidInput(messages.too_big(limit)) from None
        raise
    # A file sent without its size is measured here, before its bytes are read.
    if file.file_size is not None and file.file_size > limit:
        raise InvalidInput(messages.too_big(limit))
    return file


@domain_errors_as_replies
async def received_file(update: Update, context: LapkinContext) -> None:
    """Routes an uploaded file to what the person is doing."""
    await act_for_awaited_answer(context)
    services = context.services
    waiting = await call_service(
        awaited_kind, db=services.db, person_id=context.registered_person.id
    )
    data, name, mime = await _download(update, services.settings.upload_limits.file_bytes)
    if waiting is PendingKind.ENTRY:
        await _evidence(update, context, data, name, mime)
    elif waiting is PendingKind.SIGNED_SCAN:
        await _signed_scan(update, context, data, name)
    elif waiting is PendingKind.NARRATIVE:
        await narratives.received_file(update, context, data, name)
    elif extension_of(name) == ".xlsx" or mime == XLSX_MIME:
        await _workbook(update, context, data)
    else:
        await reply(update, messages.UNKNOWN_FILE)


async def _evidence(
    update: Update, context: LapkinContext, data: bytes, name: str, mime: str | None
) -> None:
    """Attaches the file to the entry in progress."""
    services = context.services
    answer = await call_service(
        entry.add_evidence,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        data=data,
        filename=name,
        mime_type=mime,
        now=services.clock(),
        limits=services.settings.upload_limits,
        admin_chat_id=services.settings.admin_chat_id,
    )
    await send_reply(update, context, answer)


async def _signed_scan(update: Update, context: LapkinContext, data: bytes, name: str) -> None:
    """Takes the stamped scan that replaces the signed report KPU Provinsi receives."""
    services = context.services
    answer = await call_service(
        delivery.attach_scan,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        data=data,
        filename=name,
        now=services.clock(),
        tz=services.settings.tz,
    )
    await send_reply(update, context, answer)
    services.dispatcher.wake()


async def _workbook(update: Update, context: LapkinContext, data: bytes) -> None:
    """Imports the year's PK or budget (rendatin), or takes a unit's filled entry template."""
    services = context.services
    actor = context.registered_person
    now = services.clock()
    if actor.has_role(Role.RENDATIN) and await call_service(
        perjanjian.looks_like_pk_workbook, data
    ):
        summary = await call_service(
            perjanjian.import_pk_workbook, db=services.db, actor=actor, data=data, now=now
        )
        await reply(update, summary)
        return
    # The /anggaran template sent back (a sheet named Anggaran): the report year's budget.
    if actor.has_role(Role.RENDATIN) and await call_service(
        budget.looks_like_budget_workbook, data
    ):
        summary = await call_service(
            budget.import_budget_workbook, db=services.db, actor=actor, data=data, now=now
        )
        await reply(update, summary)
        return
    text, stored = await call_service(
        workbook_submission.submit_entry_workbook, db=services.db, actor=actor, data=data, now=now
    )
    await reply(update, text)
    if stored:
        services.dispatcher.wake()
