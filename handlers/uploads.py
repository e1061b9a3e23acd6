"""Files people send: evidence during an entry, a filled entry template, or the year's PK."""

from __future__ import annotations

from telegram import Document, File, PhotoSize, Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.domain.files import MB, XLSX_MIME, extension_of, photo_name
from bot.domain.roles import Role
from bot.services import entry, perjanjian, workbook_submission
from bot.services.pending import pending_kind
from handlers.common import call_service, domain_errors_as_replies, reply, send_reply


def too_big(limit_bytes: int) -> str:
    """Say that a file over the bot's limit (MAX_UPLOAD_MB) is not taken, and what to do."""
    return (
        f"Maaf, berkas lebih dari {limit_bytes // MB} MB tidak dapat diterima bot. Mohon "
        "perkecil ukurannya (misalnya simpan ulang PDF dengan kualitas lebih rendah) atau pecah "
        "menjadi beberapa berkas."
    )


FETCH_FAILED = (
    "Maaf, berkas Anda belum dapat diambil dari Telegram karena gangguan sementara. "
    "Mohon kirim ulang berkasnya sebentar lagi."
)
UNKNOWN_FILE = (
    "Berkas diterima, tetapi saya tidak tahu untuk apa. Untuk mengirim bukti dukung, mulai dulu "
    "dengan /isi lalu pilih indikatornya. Untuk mengirim isian, gunakan template .xlsx dari bot."
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
        raise InvalidInput(FETCH_FAILED) from None


async def _fetch(update: Update, limit: int) -> tuple[bytes, str, str | None]:
    message = update.effective_message
    assert message is not None
    if message.document is not None:
        document = message.document
        if document.file_size is not None and document.file_size > limit:
            raise InvalidInput(too_big(limit))
        file = await _get_file(document, limit)
        name = document.file_name or "berkas"
        mime = document.mime_type
    else:
        photo = message.photo[-1]  # the largest size Telegram keeps
        if photo.file_size is not None and photo.file_size > limit:
            raise InvalidInput(too_big(limit))
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
            raise InvalidInput(too_big(limit)) from None
        raise
    # A file sent without its size is measured here, before its bytes are read.
    if file.file_size is not None and file.file_size > limit:
        raise InvalidInput(too_big(limit))
    return file


@domain_errors_as_replies
async def received_file(update: Update, context: LapkinContext) -> None:
    """Routes an uploaded file to what the person is doing."""
    services = context.services
    actor = context.registered_person
    waiting = await call_service(pending_kind, db=services.db, person_id=actor.id)
    limits = services.settings.upload_limits
    data, name, mime = await _download(update, limits.file_bytes)
    now = services.clock()
    if waiting == entry.ENTRY:
        answer = await call_service(
            entry.add_evidence,
            db=services.db,
            files=services.files,
            actor=actor,
            data=data,
            filename=name,
            mime_type=mime,
            now=now,
            limits=limits,
            admin_chat_id=services.settings.admin_chat_id,
        )
        await send_reply(update, context, answer)
        return
    if extension_of(name) == ".xlsx" or mime == XLSX_MIME:
        if actor.has_role(Role.RENDATIN) and await call_service(
            perjanjian.looks_like_pk_workbook, data
        ):
            summary = await call_service(
                perjanjian.import_pk_workbook, db=services.db, actor=actor, data=data, now=now
            )
            await reply(update, summary)
            return
        text, stored = await call_service(
            workbook_submission.submit_entry_workbook,
            db=services.db,
            actor=actor,
            data=data,
            now=now,
        )
        await reply(update, text)
        if stored:
            services.dispatcher.wake()
        return
    await reply(update, UNKNOWN_FILE)
