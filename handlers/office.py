"""/daftarkan_grup (a unit's group) and /pk (the Perjanjian Kinerja template)."""

from __future__ import annotations

from telegram import InputFile, Update

from bot import documents
from bot.context import LapkinContext
from bot.domain.errors import NotAllowed
from bot.domain.numbers import whole_number
from bot.domain.roles import Role
from bot.services.common import NOT_RENDATIN
from bot.services.groups import register_group
from handlers.common import call_service, domain_errors_as_replies, is_private, reply

PK_HELP = (
    "Template Perjanjian Kinerja {year} terlampir. Isi satu baris per indikator (kode sasaran, "
    "sasaran, kode dan nama indikator, satuan, polaritas naik/turun, target, target Renstra, "
    "kode unit PIC, bukti wajib ya/tidak, realisasi tahun-tahun sebelumnya), lalu kirim "
    "berkasnya kembali ke saya. Bila ada kesalahan, saya sebutkan sel mana saja dan tidak ada "
    "yang diubah."
)


@domain_errors_as_replies
async def register_unit_group(update: Update, context: LapkinContext) -> None:
    """Registers the group it is sent in as the Kasubbag's unit group."""
    if is_private(update):
        await reply(update, "Kirim perintah ini di dalam grup Telegram unit Anda.")
        return
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    confirmation = await call_service(
        register_group,
        db=services.db,
        actor=context.registered_person,
        chat_id=chat.id,
        title=chat.title or "",
        now=services.clock(),
    )
    await reply(update, confirmation)


@domain_errors_as_replies
async def pk_template(update: Update, context: LapkinContext) -> None:
    """Sends the Perjanjian Kinerja workbook template for this year (or the year given)."""
    if not context.registered_person.has_role(Role.RENDATIN):
        raise NotAllowed(NOT_RENDATIN)
    year = context.services.clock().astimezone(context.services.settings.tz).year
    asked = whole_number(context.args[0], lowest=2000, highest=2100) if context.args else None
    year = asked or year
    workbook = await call_service(documents.build_pk_template, year)
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        InputFile(workbook, filename=f"Template Perjanjian Kinerja {year}.xlsx"),
        caption=PK_HELP.format(year=year)[:1024],
    )
