"""Telegram I/O: read the update, call one service, reply. All handlers are registered here."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks
from bot.callbacks import (
    ApprovalAction,
    ArchiveAction,
    CycleAction,
    DeliveryAction,
    EntryAction,
    MeetingAction,
    NarrativeAction,
    OfficeAction,
    ReminderAction,
    ReviewAction,
    StatusAction,
)
from bot.context import LapkinApplication
from handlers import (
    access,
    admin,
    approval,
    compliance,
    cycle,
    delivery,
    entry,
    general,
    membership,
    narratives,
    office,
    pantau,
    reminders,
    report,
    review,
    start,
    status,
    text_input,
    uploads,
)
from handlers.errors import error_handler
from handlers.permissions import button, command, unrouted_buttons

# Groups run in order; a handler that raises ApplicationHandlerStop ends the update.
MEMBERSHIP_GROUP = -2
GUARD_GROUP = -1
MAIN_GROUP = 0


def register(application: LapkinApplication) -> None:
    """Register every handler, in the order that matters."""
    # 0. Telegram's notices about the bot's own chats, before the guard: they are no one's
    #    request, and who caused them (anyone may remove the bot from a group, or upgrade
    #    it) must not keep them from being recorded. Each ends its update.
    application.add_handler(
        ChatMemberHandler(membership.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        group=MEMBERSHIP_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.StatusUpdate.MIGRATE, membership.group_migrated),
        group=MEMBERSHIP_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.CHANNEL_POSTS, membership.channel_post),
        group=MEMBERSHIP_GROUP,
    )

    # 1. Nobody gets further than this unless registered (or registering with /start).
    application.add_handler(TypeHandler(Update, access.guard), group=GUARD_GROUP)

    # 2. An edited message is never an answer (nor a command run again): handled first.
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED, general.edited_message), group=MAIN_GROUP
    )

    # 3. Commands.
    application.add_handler(CommandHandler("start", start.start), group=MAIN_GROUP)
    # Nothing personal in groups: every command in the table but /daftarkan_grup answers
    # only in private chats (see the group catch-all below); each is refused, from the same
    # table, to anyone outside its roles.
    for name, callback in (
        ("bantuan", general.help_command),
        ("batal", general.cancel),
        ("undang", admin.invite),
        ("pegawai", admin.people),
        ("isi", entry.menu),
        ("siklus", cycle.start_cycle),
        ("status", status.overview),
        ("pk", office.pk_template),
        ("daftarkan_grup", office.register_unit_group),
        ("analisis", report.analyse),
        ("rapat", report.meeting_command),
        ("konsep", report.draft),
        ("narasi", narratives.narasi_command),
        ("anggaran", report.budget_template),
        ("ajukan", approval.submit_command),
        ("persetujuan", approval.overview),
        ("delegasi", approval.delegate_command),
        ("kirim", delivery.send_command),
        ("arsipkan", delivery.archive_command),
        ("arsip", delivery.archive_browser),
        ("kepatuhan", compliance.kepatuhan),
        ("pantau", pantau.pantau),
        ("pengingat", reminders.pengingat),
        ("ringkasan", reminders.ringkasan),
        ("kantor", office.kantor),
    ):
        application.add_handler(command(name, callback), group=MAIN_GROUP)
    # /help is /bantuan for those who guess in English; it is not in the menus.
    application.add_handler(
        CommandHandler("help", general.help_command, filters.ChatType.PRIVATE), group=MAIN_GROUP
    )

    # 4. Buttons: the routing table, one row per area and action (bot/callbacks.py names
    #    them; a row without an action takes the whole area). The guard lets only private-
    #    chat presses through, the gate the roles of bot/callbacks.py BUTTON_RULES; the
    #    services re-check the object and state.
    for area, action, callback in (
        (callbacks.ENTRY, EntryAction.MENU, entry.menu),
        (callbacks.ENTRY, EntryAction.START, entry.begin),
        (callbacks.ENTRY, EntryAction.EVIDENCE_DONE, entry.evidence_done),
        (callbacks.ENTRY, EntryAction.CONFIRM, entry.confirm),
        (callbacks.ENTRY, EntryAction.RESTART, entry.restart),
        (callbacks.ENTRY, EntryAction.CANCEL, entry.cancel),
        (callbacks.CYCLE, CycleAction.PERIOD, cycle.choose_period),
        (callbacks.CYCLE, CycleAction.DEADLINE, cycle.choose_suggested_deadline),
        (callbacks.CYCLE, CycleAction.SEND, cycle.send),
        (callbacks.CYCLE, CycleAction.CANCEL, cycle.cancel),
        (callbacks.CYCLE, CycleAction.APPROVE, cycle.approve),
        (callbacks.CYCLE, CycleAction.RETURN, cycle.return_nota_dinas),
        (callbacks.REVIEW, ReviewAction.VIEW, review.view),
        (callbacks.REVIEW, ReviewAction.HISTORY, review.history),
        (callbacks.REVIEW, ReviewAction.ACCEPT, review.accept),
        (callbacks.REVIEW, ReviewAction.FLAG, review.flag),
        (callbacks.REVIEW, ReviewAction.NO_DATA, review.no_data),
        (callbacks.STATUS, StatusAction.OVERVIEW, status.back_to_overview),
        (callbacks.STATUS, StatusAction.UNIT, status.unit_page),
        (callbacks.STATUS, StatusAction.RENCANA_AKSI, status.rencana_aksi),
        (callbacks.MEETING, MeetingAction.ATTEND, report.attend),
        (callbacks.MEETING, MeetingAction.DECLINE, report.decline),
        (callbacks.MEETING, MeetingAction.INPUT, report.meeting_input),
        (callbacks.MEETING, MeetingAction.MINUTES, report.minutes),
        (callbacks.APPROVAL, ApprovalAction.WAITING, approval.overview),
        (callbacks.APPROVAL, ApprovalAction.SUBMIT, approval.submit),
        (callbacks.APPROVAL, ApprovalAction.APPROVE, approval.approve),
        (callbacks.APPROVAL, ApprovalAction.RETURN, approval.return_draft),
        (callbacks.DELIVERY, DeliveryAction.RECEIVE, delivery.receive),
        (callbacks.DELIVERY, DeliveryAction.BY_HAND, delivery.delivered_by_hand),
        (callbacks.DELIVERY, DeliveryAction.APPROVE_LETTER, delivery.approve_letter),
        (callbacks.DELIVERY, DeliveryAction.SCAN, delivery.begin_scan),
        (callbacks.ARCHIVE, ArchiveAction.YEAR, delivery.archive_year),
        (callbacks.ARCHIVE, ArchiveAction.FILE, delivery.archive_file),
        (callbacks.REMINDER, ReminderAction.RESUME, reminders.resume),
        (callbacks.REMINDER, ReminderAction.DIGEST, reminders.digest),
        (callbacks.OFFICE, OfficeAction.CHOOSE, office.choose),
        (callbacks.NARRATIVE, NarrativeAction.SHOW, narratives.show),
        (callbacks.NARRATIVE, NarrativeAction.REPLACE, narratives.replace),
    ):
        application.add_handler(button(area, callback, action=action), group=MAIN_GROUP)
    # A well-formed press of a known area with an action no row routes is refused politely.
    application.add_handler(unrouted_buttons(), group=MAIN_GROUP)

    # 5. Files and free text in private chats.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.Document.ALL | filters.PHOTO), uploads.received_file
        ),
        group=MAIN_GROUP,
    )

    # 6. Catch-alls last: nothing a person sends goes unanswered (in private chats); a
    #    command meant for a private chat, sent in a group, is pointed there.
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.GROUPS, general.private_only_command),
        group=MAIN_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, general.unknown_command),
        group=MAIN_GROUP,
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, text_input.received_text
        ),
        group=MAIN_GROUP,
    )
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, general.unexpected_text),
        group=MAIN_GROUP,
    )
    application.add_handler(CallbackQueryHandler(general.stale_button), group=MAIN_GROUP)

    application.add_error_handler(error_handler)
