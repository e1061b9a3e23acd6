"""/kirim, /arsipkan, /arsip and the Terima / Sudah diserahkan buttons (SOP steps 5–6)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from telegram import InputFile, Update
from telegram.constants import ChatAction

from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.domain.numbers import whole_number
from bot.messages import archive as say
from bot.services import archive, delivery
from handlers.common import (
    acknowledge,
    call_service,
    domain_errors_as_replies,
    office_template,
    office_tz,
    pressed,
    reply,
    send_reply,
)


@domain_errors_as_replies
async def send_command(update: Update, context: LapkinContext) -> None:
    """/kirim: the Surat Pengantar and the signed report to KPU Provinsi."""
    services = context.services
    assert update.effective_chat is not None
    await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    answer = await call_service(
        delivery.send_report,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        now=services.clock(),
        tz=office_tz(context),
        template=office_template(context, "surat_pengantar.docx"),
        pdf_copies=services.settings.pdf_copies,
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def archive_command(update: Update, context: LapkinContext) -> None:
    """/arsipkan: archive the latest cycle after its report was sent."""
    services = context.services
    answer = await call_service(
        delivery.archive_now,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        now=services.clock(),
        tz=office_tz(context),
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def receive(update: Update, context: LapkinContext) -> None:
    """Records the provinsi recipient's Terima."""
    services = context.services
    answer = await call_service(
        delivery.receive,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        delivery_id=pressed(update).id(),
        now=services.clock(),
        tz=office_tz(context),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def approve_letter(update: Update, context: LapkinContext) -> None:
    """Records the signer's approval of the Surat Pengantar; the package leaves."""
    services = context.services
    # Making the PDFs can take a few seconds.
    assert update.effective_chat is not None
    await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    answer = await call_service(
        delivery.approve_letter,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        delivery_id=pressed(update).id(),
        now=services.clock(),
        tz=services.settings.tz,
    )
    await acknowledge(update)
    await send_reply(update, context, answer)
    services.dispatcher.wake()


@domain_errors_as_replies
async def begin_scan(update: Update, context: LapkinContext) -> None:
    """Asks for the scan of the wet-signed, stamped report."""
    services = context.services
    answer = await call_service(
        delivery.begin_scan,
        db=services.db,
        actor=context.registered_person,
        draft_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def delivered_by_hand(update: Update, context: LapkinContext) -> None:
    """Asks the team who received the report delivered by hand."""
    services = context.services
    answer = await call_service(
        delivery.begin_manual_confirmation,
        db=services.db,
        actor=context.registered_person,
        delivery_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def archive_browser(update: Update, context: LapkinContext) -> None:
    """/arsip, /arsip 2026 <kata>, /arsip 2026 zip."""
    archive.require_reader(context.registered_person)
    services = context.services
    args = list(context.args or [])
    if not args:
        answer = await call_service(
            archive.browse_years, db=services.db, actor=context.registered_person
        )
        await send_reply(update, context, answer)
        return
    year = whole_number(args[0], lowest=2000, highest=2100)
    if year is None:
        raise InvalidInput(say.YEAR_FIRST)
    words = " ".join(args[1:]).strip()
    if words.lower() == "zip":
        await _send_zip(update, context, year)
        return
    answer = await call_service(
        archive.browse,
        db=services.db,
        actor=context.registered_person,
        year=year,
        words=words,
        tz=office_tz(context),
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def archive_year(update: Update, context: LapkinContext) -> None:
    """Sends the signed reports of the pressed year."""
    archive.require_reader(context.registered_person)
    services = context.services
    found = await call_service(
        archive.signed_reports,
        db=services.db,
        files=services.files,
        office_id=context.registered_person.office_id,
        year=pressed(update).id(),
    )
    await acknowledge(update)
    await _send_files(update, found)


@domain_errors_as_replies
async def archive_file(update: Update, context: LapkinContext) -> None:
    """Sends the pressed archived file."""
    archive.require_reader(context.registered_person)
    services = context.services
    found = await call_service(
        archive.entry_file,
        db=services.db,
        files=services.files,
        office_id=context.registered_person.office_id,
        entry_id=pressed(update).id(),
    )
    await acknowledge(update)
    await _send_files(update, [found])


async def _send_files(update: Update, found: list[tuple[Path, str]]) -> None:
    assert update.effective_message is not None
    if not found:
        await reply(update, say.NO_SIGNED_REPORTS)
    for path, name in found:
        content = await asyncio.to_thread(path.read_bytes)
        await update.effective_message.reply_document(InputFile(content, filename=name))


async def _send_zip(update: Update, context: LapkinContext, year: int) -> None:
    services = context.services
    assert update.effective_message is not None and update.effective_chat is not None
    await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"arsip-lkjip-{year}.zip"
        count = await call_service(
            archive.export_year,
            db=services.db,
            files=services.files,
            office_id=context.registered_person.office_id,
            year=year,
            target=target,
        )
        parts = await call_service(
            archive.split_for_telegram, target, limit=services.settings.archive_part_bytes
        )
        await reply(
            update,
            say.zip_sent(
                year=year,
                files=count,
                manifest=archive.MANIFEST,
                parts=len(parts),
                name=target.name,
            ),
        )
        for name, data in parts:
            await update.effective_message.reply_document(InputFile(data, filename=name))
