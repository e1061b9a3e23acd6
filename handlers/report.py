"""/analisis, /rapat, /konsep and /anggaran: analysing, the review meeting, the draft report."""

from __future__ import annotations

from telegram import InputFile, InputMediaPhoto, Update
from telegram.constants import ChatAction

from bot.context import LapkinContext
from bot.domain.errors import NotAllowed
from bot.domain.roles import Role
from bot.messages import drafts as messages
from bot.services import analysis, drafts, meeting, templates
from bot.services.common import NOT_RENDATIN
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
async def analyse(update: Update, context: LapkinContext) -> None:
    """Sends the summary of the latest cycle and its charts."""
    result = await call_service(
        analysis.analysis_message, db=context.services.db, actor=context.registered_person
    )
    await reply(update, result.text)
    assert update.effective_message is not None
    # An album holds at most 10 pictures; each carries its caption.
    for start in range(0, len(result.charts), 10):
        batch = result.charts[start : start + 10]
        if len(batch) == 1:
            caption, png = batch[0]
            await update.effective_message.reply_photo(png, caption=caption[:1024])
        else:
            await update.effective_message.reply_media_group(
                [InputMediaPhoto(png, caption=caption[:1024]) for caption, png in batch]
            )


@domain_errors_as_replies
async def meeting_command(update: Update, context: LapkinContext) -> None:
    """Starts scheduling the review meeting, or shows who comes and what was sent."""
    services = context.services
    answer = await call_service(
        meeting.meeting_command,
        db=services.db,
        actor=context.registered_person,
        now=services.clock(),
        tz=office_tz(context),
    )
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def attend(update: Update, context: LapkinContext) -> None:
    """Records that the invitee will attend the review meeting (Hadir)."""
    await _respond(update, context, attending=True)


@domain_errors_as_replies
async def decline(update: Update, context: LapkinContext) -> None:
    """Records that the invitee cannot attend the review meeting (Berhalangan)."""
    await _respond(update, context, attending=False)


async def _respond(update: Update, context: LapkinContext, *, attending: bool) -> None:
    services = context.services
    answer = await call_service(
        meeting.respond,
        db=services.db,
        actor=context.registered_person,
        meeting_id=pressed(update).id(),
        attending=attending,
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def meeting_input(update: Update, context: LapkinContext) -> None:
    """Asks the invitee for their written input (Kirim masukan)."""
    services = context.services
    answer = await call_service(
        meeting.begin_input,
        db=services.db,
        actor=context.registered_person,
        meeting_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def minutes(update: Update, context: LapkinContext) -> None:
    """Asks rendatin for the meeting's minutes (Catat notulen)."""
    services = context.services
    answer = await call_service(
        meeting.begin_minutes,
        db=services.db,
        actor=context.registered_person,
        meeting_id=pressed(update).id(),
        now=services.clock(),
    )
    await acknowledge(update)
    await send_reply(update, context, answer)


@domain_errors_as_replies
async def draft(update: Update, context: LapkinContext) -> None:
    """Builds the next draft version of the report and sends it."""
    services = context.services
    if not context.registered_person.has_role(Role.RENDATIN):
        raise NotAllowed(NOT_RENDATIN)
    assert update.effective_chat is not None
    # Building the document takes a few seconds: show "sending a file…" meanwhile.
    await update.effective_chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    made = await call_service(
        drafts.make_draft,
        db=services.db,
        files=services.files,
        actor=context.registered_person,
        now=services.clock(),
        tz=office_tz(context),
        pdf_copies=services.settings.pdf_copies,
        template=office_template(context, "lkjip.docx"),
    )
    assert update.effective_message is not None
    caption = messages.draft_caption(made.version, made.sha256, made.signable_from)
    content = await call_service(services.files.read, made.docx_path)
    await update.effective_message.reply_document(
        InputFile(content, filename=f"{made.filename}.docx"), caption=caption
    )
    if made.pdf_path:
        pdf = await call_service(services.files.read, made.pdf_path)
        await update.effective_message.reply_document(
            InputFile(pdf, filename=f"{made.filename}.pdf")
        )
    await reply(update, messages.CHECK_THE_DRAFT, messages.submit_keyboard(made.draft_id))


@domain_errors_as_replies
async def budget_template(update: Update, context: LapkinContext) -> None:
    """Sends the budget workbook template (program, kegiatan, pagu, realisasi)."""
    services = context.services
    template = await call_service(
        templates.budget_template,
        actor=context.registered_person,
        asked_year=context.args[0] if context.args else None,
        this_year=services.clock().astimezone(office_tz(context)).year,
    )
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        InputFile(template.workbook, filename=template.filename), caption=template.caption
    )
