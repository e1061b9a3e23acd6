"""The database tables, all keyed by office so one deployment can serve several offices."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index)


class Office(SQLModel, table=True):
    """A satker (e.g. KPU Kota Bengkulu) with its letterhead data and its own settings."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    city: str = Field(max_length=100)
    address: str = Field(max_length=500)
    region_code: str = Field(max_length=16)
    parent_office: str = Field(max_length=200)
    # The office this one reports to in the same deployment (a kabupaten/kota's KPU Provinsi,
    # the organisation file's ``induk``): its provinsi people receive this office's report and
    # its /pantau shows this office's cycle.
    parent_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    # Letter-number pattern, category scale, office hours: validated by bot.domain.organisation.
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Unit(SQLModel, table=True):
    """A Sub Bagian of the office."""

    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    code: str = Field(max_length=32)
    name: str = Field(max_length=200)
    number: int  # the numeric unit code used in letter numbers
    active: bool = True


class Person(SQLModel, table=True):
    """Someone in the organisation file; registered once their Telegram account is bound."""

    # One Telegram account may be a person in several offices (a person row per office, since
    # history points at it), but only once in each.
    __table_args__ = (
        UniqueConstraint("office_id", "nip"),
        UniqueConstraint("office_id", "telegram_user_id", name="uq_person_office_account"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    nip: str = Field(max_length=32)
    name: str = Field(max_length=200)
    jabatan: str = Field(max_length=200)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    # Telegram user ids exceed 32 bits.
    telegram_user_id: int | None = Field(
        default=None, sa_type=BigInteger, index=True, nullable=True
    )
    telegram_username: str | None = Field(default=None, max_length=64)
    registered_at: datetime | None = _utc(nullable=True)
    # Removed from the organisation file: kept, because history points at them.
    active: bool = True
    # The command menu last set for them in Telegram (a digest of its commands), so that
    # start-up sets only the menus that changed since.
    menu_digest: str | None = Field(default=None, max_length=64)
    # Since when they have blocked the bot (or their account is gone): messages to them are
    # held, not sent, until they return (bot.services.reachability).
    blocked_at: datetime | None = _utc(nullable=True)
    # When the account chose this person's office with /kantor: the latest chosen is the
    # account's current office (none chosen: the first registered).
    office_chosen_at: datetime | None = _utc(nullable=True)


class PersonRole(SQLModel, table=True):
    """One role held by one person."""

    __tablename__ = "person_role"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    # Indexed on its own too: "everyone who is rendatin" reads by role.
    role: str = Field(primary_key=True, max_length=32, index=True)


class Invitation(SQLModel, table=True):
    """A one-time registration link; only the SHA-256 of its token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = _utc()
    expires_at: datetime = _utc()
    used_at: datetime | None = _utc(nullable=True)
    created_by: str = Field(max_length=200)  # "cli" or the inviting person's name


class OutboxMessage(SQLModel, table=True):
    """A message the bot sends on its own initiative, written with the change that caused it."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    chat_id: int = Field(sa_type=BigInteger, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    text: str | None = None
    parse_mode: str | None = Field(default=None, max_length=16)
    reply_markup: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # A stored file relative to DATA_DIR (rows from before 2026-11-28 may hold absolute paths).
    document_path: str | None = Field(default=None, max_length=500)
    document_name: str | None = Field(default=None, max_length=255)
    # Makes enqueueing idempotent: a reminder enqueued twice with one key is stored once.
    dedupe_key: str | None = Field(default=None, unique=True, max_length=200)
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime = _utc(index=True)
    created_at: datetime = _utc()
    sent_at: datetime | None = _utc(nullable=True)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    last_error: str | None = None
    # Set for an edit: replace the text (and drop the buttons) of that earlier message.
    edit_of_id: int | None = Field(default=None, foreign_key="outbox_message.id", index=True)


class AuditEvent(SQLModel, table=True):
    """An append-only record of one state change: when, who, what, on which object."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True)
    at: datetime = _utc(index=True)
    actor_person_id: int | None = Field(default=None, foreign_key="person.id")
    actor: str = Field(max_length=200)  # a readable name: the person, "cli" or "sistem"
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=64)
    object_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class LetterSequence(SQLModel, table=True):
    """The last letter number used per office, sequence and year (never reused).

    ``classification`` holds the sequence's name (bot.services.letter_numbers), which is the
    classification unless the organisation file names a sequence for a kind of letter.
    """

    __tablename__ = "letter_sequence"
    __table_args__ = (UniqueConstraint("office_id", "classification", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id")
    classification: str = Field(max_length=32)
    year: int
    last_seq: int = 0


class Sasaran(SQLModel, table=True):
    """A strategic goal of one year's Perjanjian Kinerja."""

    __table_args__ = (UniqueConstraint("office_id", "year", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    year: int
    code: str = Field(max_length=32)
    name: str = Field(max_length=500)


class Indicator(SQLModel, table=True):
    """An indicator of one year's Perjanjian Kinerja, with its target and responsible unit."""

    __table_args__ = (UniqueConstraint("office_id", "year", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    year: int
    sasaran_id: int = Field(foreign_key="sasaran.id")
    code: str = Field(max_length=32)
    name: str = Field(max_length=500)
    satuan: str = Field(max_length=64)
    polarity: str = Field(max_length=16)
    target_low: Decimal = Field(sa_type=Numeric(20, 4))
    target_high: Decimal = Field(sa_type=Numeric(20, 4))
    renstra_low: Decimal | None = Field(default=None, sa_type=Numeric(20, 4), nullable=True)
    renstra_high: Decimal | None = Field(default=None, sa_type=Numeric(20, 4), nullable=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    evidence_required: bool = False
    # Earlier years' realisations as {"2024": "81.5"}: exact decimals kept as text.
    history: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Earlier years' targets as {"2024": "100", "2025": "80-90"}, as the file writes them.
    history_targets: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    # The national standard, where one exists (LKjIP Bab III.A), and who sets it.
    national_low: Decimal | None = Field(default=None, sa_type=Numeric(20, 4), nullable=True)
    national_high: Decimal | None = Field(default=None, sa_type=Numeric(20, 4), nullable=True)
    national_source: str | None = Field(default=None, max_length=500)
    # Dropped from a later import: kept because cycles point at it.
    active: bool = True


class StoredFile(SQLModel, table=True):
    """A file's content, stored once under DATA_DIR by its SHA-256."""

    __tablename__ = "stored_file"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, max_length=64)
    size: int
    mime_type: str = Field(max_length=128)
    path: str = Field(max_length=300)  # relative to DATA_DIR
    # When these bytes were last stored: the cleanup of unreferenced files counts from it.
    created_at: datetime = _utc()


class Cycle(SQLModel, table=True):
    """One data-collection round (SOP steps 1–2): a year and a period, with its Nota Dinas."""

    __table_args__ = (
        # One live cycle per year and period; cancelled and closed ones do not count.
        Index(
            "uq_cycle_live",
            "office_id",
            "year",
            "period",
            unique=True,
            sqlite_where=text("status IN ('draft', 'awaiting_signer', 'open')"),
            postgresql_where=text("status IN ('draft', 'awaiting_signer', 'open')"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    year: int
    period: str = Field(max_length=16)
    # draft, awaiting_signer, open, closed, cancelled (bot/domain/cycles.py)
    status: str = Field(default="draft", max_length=16)
    deadline: date
    created_by_person_id: int = Field(foreign_key="person.id")
    created_at: datetime = _utc()
    sent_at: datetime | None = _utc(nullable=True)
    nota_dinas_number: str | None = Field(default=None, max_length=100)
    nota_dinas_file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    rencana_aksi_file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    # Kirim pressed by someone other than the signer: who, when, and the messages carrying
    # the signer's Setujui / Kembalikan (edited once she decided).
    submitted_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    submitted_at: datetime | None = _utc(nullable=True)
    approval_message_ids: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class CycleIndicator(SQLModel, table=True):
    """A Rencana Aksi line: which unit owes which indicator by when, and where it stands."""

    __tablename__ = "cycle_indicator"
    __table_args__ = (UniqueConstraint("cycle_id", "indicator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    responsible: str = Field(max_length=500)
    deadline: date
    # open, submitted, flagged (kurang valid), accepted, no_data (marked by rendatin)
    status: str = Field(default="open", max_length=16)
    current_version: int = 0
    no_data_reason: str | None = None


class Submission(SQLModel, table=True):
    """One version of a unit's answer for one indicator; corrections add versions."""

    __table_args__ = (UniqueConstraint("cycle_indicator_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_indicator_id: int = Field(foreign_key="cycle_indicator.id", index=True)
    version: int
    realisasi: Decimal = Field(sa_type=Numeric(20, 4))
    capaian: Decimal | None = Field(default=None, sa_type=Numeric(12, 2), nullable=True)
    penjelasan: str
    pendukung: str | None = None  # faktor pendukung; None for versions sent before it was asked
    kendala: str | None = None  # faktor penghambat
    upaya: str | None = None  # upaya / alternatif solusi
    source: str = Field(max_length=16)  # chat or xlsx
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    submitted_by_person_id: int = Field(foreign_key="person.id")
    submitted_at: datetime = _utc()
    # submitted, flagged, accepted; a newer version supersedes this one
    status: str = Field(default="submitted", max_length=16)
    review_note: str | None = None
    reviewed_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    reviewed_at: datetime | None = _utc(nullable=True)


class Evidence(SQLModel, table=True):
    """A file uploaded as evidence for one submission version."""

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    file_id: int = Field(foreign_key="stored_file.id")
    original_name: str = Field(max_length=255)
    uploaded_by_person_id: int = Field(foreign_key="person.id")
    uploaded_at: datetime = _utc()


class PendingInput(SQLModel, table=True):
    """What the bot last asked a person to type or send, kept so a restart loses nothing."""

    __tablename__ = "pending_input"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    kind: str = Field(max_length=32)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _utc()


class TelegramGroup(SQLModel, table=True):
    """A unit's Telegram group, which also receives the Nota Dinas and reminders."""

    __tablename__ = "telegram_group"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    chat_id: int = Field(sa_type=BigInteger, unique=True)
    title: str = Field(max_length=255)
    registered_by_person_id: int = Field(foreign_key="person.id")
    registered_at: datetime = _utc()


class BudgetItem(SQLModel, table=True):
    """A program or kegiatan of the year's budget: its ceiling (pagu) and what was spent."""

    __tablename__ = "budget_item"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    year: int
    position: int  # keeps the order of the source file
    program: str = Field(max_length=500)
    kegiatan: str = Field(max_length=500)
    pagu: Decimal = Field(sa_type=Numeric(20, 2))
    realisasi: Decimal = Field(sa_type=Numeric(20, 2))
    # The sasaran codes the kegiatan serves, as written ("SS 1"); empty: dukungan manajemen.
    sasaran_codes: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class Meeting(SQLModel, table=True):
    """The review meeting (rapat reviu, SOP step 2d) of a cycle."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    starts_at: datetime = _utc()
    place: str = Field(max_length=500)
    agenda: str
    status: str = Field(default="scheduled", max_length=16)  # scheduled, held, cancelled
    created_by_person_id: int = Field(foreign_key="person.id")
    created_at: datetime = _utc()
    minutes: str | None = None
    minutes_file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    minutes_recorded_at: datetime | None = _utc(nullable=True)


class MeetingAttendance(SQLModel, table=True):
    """An invitee's answer: hadir or berhalangan."""

    __tablename__ = "meeting_attendance"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    response: str | None = Field(default=None, max_length=16)  # hadir, berhalangan
    responded_at: datetime | None = _utc(nullable=True)


class MeetingInput(SQLModel, table=True):
    """Written input (masukan/saran) for the draft, general or about one indicator."""

    __tablename__ = "meeting_input"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    indicator_id: int | None = Field(default=None, foreign_key="indicator.id")
    text: str
    created_at: datetime = _utc()


class Draft(SQLModel, table=True):
    """A version of the Laporan Kinerja (LKjIP) of a cycle, kept with its checksum."""

    __table_args__ = (UniqueConstraint("cycle_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    version: int
    file_id: int = Field(foreign_key="stored_file.id")
    pdf_file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    sha256: str = Field(max_length=64)
    created_by_person_id: int = Field(foreign_key="person.id")
    created_at: datetime = _utc()
    # bot.domain.approval.DraftStatus; changed only through its transition table.
    status: str = Field(default="konsep", max_length=24)
    # Bumped by every decision: the UPDATE that bumps it locks the row, so decisions on one
    # draft are taken one at a time even on PostgreSQL's READ COMMITTED.
    lock_version: int = 0
    # Each indicator's figures as this version shows them, to tell reviewers what changed.
    indicator_values: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    # SHA-256 of what the document says (not of the docx bytes): the signed version must
    # say exactly what the reviewers initialled.
    content_digest: str = Field(default="", max_length=64)
    submitted_at: datetime | None = _utc(nullable=True)
    signed_at: datetime | None = _utc(nullable=True)
    signed_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    signed_file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    signed_pdf_file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    signed_sha256: str | None = Field(default=None, max_length=64)
    # The wet-signed and stamped scan (as PDF), once attached: the report KPU Provinsi gets.
    scan_file_id: int | None = Field(default=None, foreign_key="stored_file.id")


class Approval(SQLModel, table=True):
    """One reviewer's decision on one draft version at one stage (paraf or tanda tangan)."""

    __table_args__ = (UniqueConstraint("draft_id", "stage", "reviewer_person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    stage: str = Field(max_length=16)  # bot.domain.approval.Stage
    reviewer_person_id: int = Field(foreign_key="person.id", index=True)
    decision: str = Field(default="pending", max_length=16)  # bot.domain.approval.Decision
    reason: str | None = None
    # Who pressed: the reviewer, or their delegate (then ``acting_title`` is "Plh."/"Plt.").
    decided_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    acting_title: str | None = Field(default=None, max_length=8)
    assigned_at: datetime = _utc()
    decided_at: datetime | None = _utc(nullable=True)
    # The outbox messages that carry this decision's buttons, edited once it is settled.
    message_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Delegation(SQLModel, table=True):
    """A Plh./Plt. who decides for an absent reviewer until the delegation is ended."""

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    absent_person_id: int = Field(foreign_key="person.id", index=True)
    delegate_person_id: int = Field(foreign_key="person.id", index=True)
    title: str = Field(max_length=8)  # "Plh." or "Plt."
    reason: str
    created_by_person_id: int = Field(foreign_key="person.id")
    created_at: datetime = _utc()
    ended_at: datetime | None = _utc(nullable=True)
    ended_by_person_id: int | None = Field(default=None, foreign_key="person.id")


class Reminder(SQLModel, table=True):
    """A reminder the sweep queued: one per kind, subject, slot and person, never two."""

    __table_args__ = (
        UniqueConstraint("key", name="uq_reminder_key"),
        Index("ix_reminder_office_day", "office_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id")
    # The outbox dedupe key too: reminder:<kind>:<subject>:<day>:<slot>:<person>.
    key: str = Field(max_length=200)
    kind: str = Field(
        max_length=16
    )  # unit, escalation, overdue, review, nota_dinas, meeting, digest
    subject_id: int  # the unit, approval, meeting or office the reminder is about
    day: date  # the office's working day the slot belongs to
    slot: str = Field(max_length=32)
    person_id: int = Field(foreign_key="person.id")
    outbox_message_id: int | None = Field(default=None, foreign_key="outbox_message.id")
    created_at: datetime = _utc()


class ReminderPause(SQLModel, table=True):
    """Rendatin paused a unit's reminders, with a reason, until ``resumed_at``."""

    __tablename__ = "reminder_pause"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    reason: str
    paused_by_person_id: int = Field(foreign_key="person.id")
    paused_at: datetime = _utc()
    resumed_at: datetime | None = _utc(nullable=True)
    resumed_by_person_id: int | None = Field(default=None, foreign_key="person.id")


class ReminderPreference(SQLModel, table=True):
    """A person's choice about the morning digest (off unless they turn it on)."""

    __tablename__ = "reminder_preference"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    morning_digest: bool = False
    updated_at: datetime = _utc()


class ReportDelivery(SQLModel, table=True):
    """SOP step 5: the signed report and its Surat Pengantar on their way to KPU Provinsi."""

    __tablename__ = "report_delivery"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    cycle_id: int = Field(foreign_key="cycle.id", unique=True)
    draft_id: int = Field(foreign_key="draft.id")
    letter_number: str = Field(max_length=100)
    letter_file_id: int = Field(foreign_key="stored_file.id")
    letter_pdf_file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    # "telegram": to the registered provinsi recipients; "manual": the team carries it.
    method: str = Field(max_length=16)
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sent_at: datetime = _utc()
    sent_by_person_id: int = Field(foreign_key="person.id")
    deadline: date
    late: bool = False
    received_at: datetime | None = _utc(nullable=True)
    received_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    # Who received it at the provinsi (manual delivery: as the team reports it).
    received_by_name: str | None = Field(default=None, max_length=200)
    # The outbox messages carrying the Terima buttons, edited once the receipt is recorded.
    message_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The signer approves the Surat Pengantar before anything leaves: until then the row is a
    # prepared letter (``sent_at`` is when it was made) and nothing was sent.
    letter_approved_at: datetime | None = _utc(nullable=True)
    letter_approved_by_person_id: int | None = Field(default=None, foreign_key="person.id")
    # The messages carrying the signer's Setujui button, edited once it was pressed.
    approval_message_ids: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class ArchiveEntry(SQLModel, table=True):
    """SOP step 6: one file of a cycle's archive, with the checksum it had when archived."""

    __tablename__ = "archive_entry"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="office.id", index=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    year: int = Field(index=True)
    kind: str = Field(max_length=32)  # bot.services.archive.KINDS
    name: str = Field(max_length=300)  # the file's name inside the archive
    indicator_code: str | None = Field(default=None, max_length=32)
    file_id: int = Field(foreign_key="stored_file.id")
    sha256: str = Field(max_length=64)
    size: int
    created_at: datetime = _utc()


class NarrativeVersion(SQLModel, table=True):
    """One version of a narrative section of a cycle's LKjIP, as the team wrote it.

    Every version is kept (who wrote it and when); the report shows the latest per section.
    ``section`` is a key of bot.domain.narrative.SECTIONS or ``sintesis:<kode sasaran>``.
    """

    __tablename__ = "narrative_version"
    __table_args__ = (UniqueConstraint("cycle_id", "section", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    section: str = Field(max_length=64)
    version: int
    text: str
    author_person_id: int = Field(foreign_key="person.id")
    created_at: datetime = _utc()
