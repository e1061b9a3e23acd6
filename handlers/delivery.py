"""/kirim, /arsipkan, /arsip and the Terima / Sudah diserahkan buttons (SOP steps 5–6)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from telegram import InputFile, Update
from telegram.constants import ChatAction

from bot import callbacks
from bot.context import LapkinContext
from bot.domain.errors import InvalidInput
from bot.domain.numbers import whole_number
from bot.messages import Button, Reply
from bot.services import archive, delivery
from handlers.common import acknowledge, call_service, domain_errors_as_replies, reply, send_reply

DELIVERY_AREA = delivery.DELIVERY
ARCHIVE = callbacks.ARCHIVE
MAX_RESULTS = 20


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
        tz=services.settings.tz,
        template=services.settings.template("surat_pengantar.docx"),
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
        tz=services.settings.tz,
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def delivery_button(update: Update, context: LapkinContext) -> None:
    """Terima (the provinsi recipient) and Sudah diserahkan (the team)."""
    query = update.callback_query
    data = callbacks.decode(query.data if query else None)
    assert query is not None and data is not None
    services = context.services
    actor = context.registered_person
    if data.action == "ok":
        answer = await call_service(
            delivery.receive,
            db=services.db,
            files=services.files,
            actor=actor,
            delivery_id=data.id(),
            now=services.clock(),
            tz=services.settings.tz,
        )
    elif data.action == "mn":
        answer = await call_service(
            delivery.begin_manual_confirmation,
            db=services.db,
            actor=actor,
            delivery_id=data.id(),
            now=services.clock(),
        )
    else:
        raise InvalidInput(callbacks.INVALID_BUTTON)
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def archive_browser(update: Update, context: LapkinContext) -> None:
    """/arsip, /arsip 2026 <kata>, /arsip 2026 zip."""
    archive.require_reader(context.registered_person)
    services = context.services
    office_id = context.registered_person.office_id
    args = list(context.args or [])
    if not args:
        years = await call_service(archive.years, db=services.db, office_id=office_id)
        if not years:
            await reply(update, "Belum ada siklus yang diarsipkan.")
            return
        keyboard = [
            [Button(str(year), data=callbacks.encode(ARCHIVE, "y", year))] for year in years
        ]
        await reply(
            update,
            "🗄️ Arsip Laporan Kinerja. Pilih tahun untuk menerima laporan bertanda tangan.\n"
            "Cari berkas: /arsip 2026 <kata>, misalnya /arsip 2026 IK 3.1\n"
            "Unduh semua berkas setahun: /arsip 2026 zip",
            keyboard,
        )
        return
    year = whole_number(args[0], lowest=2000, highest=2100)
    if year is None:
        raise InvalidInput("Tulis tahunnya dulu, misalnya /arsip 2026 notulen.")
    words = " ".join(args[1:]).strip()
    if words.lower() == "zip":
        await _send_zip(update, context, year)
        return
    found = await call_service(
        archive.search,
        db=services.db,
        office_id=office_id,
        year=year,
        words=words,
    )
    if not found:
        await reply(update, f"Tidak ada berkas arsip {year} yang cocok dengan “{words}”.")
        return
    shown = found[:MAX_RESULTS]
    lines = [f"🗄️ Arsip {year}" + (f" — “{words}”" if words else "") + f": {len(found)} berkas."]
    if not words:
        lines += await call_service(
            archive.delivery_notes, db=services.db, office_id=office_id, year=year
        )
    lines += [f"{number}. {entry.name}" for number, entry in enumerate(shown, start=1)]
    if len(found) > MAX_RESULTS:
        lines.append(f"… dan {len(found) - MAX_RESULTS} lainnya; persempit pencariannya.")
    keyboard = [
        [
            Button(
                f"{number}. {entry.name[-50:]}", data=callbacks.encode(ARCHIVE, "f", entry.id or 0)
            )
        ]
        for number, entry in enumerate(shown, start=1)
    ]
    await send_reply(update, context, Reply("\n".join(lines), keyboard))


@domain_errors_as_replies
async def archive_button(update: Update, context: LapkinContext) -> None:
    """A year's signed reports, or one archived file."""
    archive.require_reader(context.registered_person)
    query = update.callback_query
    data = callbacks.decode(query.data if query else None)
    assert query is not None and data is not None and update.effective_message is not None
    services = context.services
    office_id = context.registered_person.office_id
    if data.action == "y":
        found = await call_service(
            archive.signed_reports,
            db=services.db,
            files=services.files,
            office_id=office_id,
            year=data.id(),
        )
    elif data.action == "f":
        found = [
            await call_service(
                archive.entry_file,
                db=services.db,
                files=services.files,
                office_id=office_id,
                entry_id=data.id(),
            )
        ]
    else:
        raise InvalidInput(callbacks.INVALID_BUTTON)
    await acknowledge(update)
    if not found:
        await reply(update, "Tidak ada laporan bertanda tangan di arsip tahun itu.")
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
        note = (
            ""
            if len(parts) == 1
            else f"\nTerbagi {len(parts)} bagian; gabungkan dengan: cat {target.name}.* > {target.name}"
        )
        await reply(
            update,
            f"🗜️ Arsip {year}: {count} berkas dan {archive.MANIFEST} (daftar checksum).{note}",
        )
        for name, data in parts:
            await update.effective_message.reply_document(InputFile(data, filename=name))
