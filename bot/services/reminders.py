"""Reminders and escalation, derived from the database by one idempotent sweep.

``sweep`` looks at the state (open cycles, pending approvals, meetings, digest choices)
and queues every reminder due at ``now`` that was not queued before; each one is recorded
in ``reminder`` under the same key as its outbox row. No job holds any state, so running
the sweep twice, or after a restart, neither repeats nor loses a reminder: a reminder
whose minute was missed is still due later that working day.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot import callbacks
from bot.domain.approval import STAGE_OF, Decision, DraftStatus, Stage
from bot.domain.calendar import WorkingCalendar
from bot.domain.dates import format_day
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.formatting import format_datetime
from bot.domain.organisation import OfficeHoursSpec, ReminderSpec
from bot.domain.periods import Period
from bot.domain.reminders import (
    Due,
    UnitDue,
    daily_due,
    meeting_due,
    overdue_days,
    review_due,
    review_overdue,
    unit_due,
)
from bot.domain.roles import Role
from bot.domain.working_time import is_office_time
from bot.messages import Button, Keyboard, Reply
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    people_with_role,
    registered,
    require_role,
    unit_heads,
    unit_people,
)
from bot.services.lines import STATUS_ICONS, STATUS_LABELS
from bot.services.meeting import MEETING
from bot.services.outbox import enqueue_new_rows, message_row
from bot.services.people import PersonView
from storage.db import Database
from storage.models import (
    Approval,
    Cycle,
    CycleIndicator,
    Delegation,
    Draft,
    Indicator,
    Meeting,
    MeetingAttendance,
    Office,
    Person,
    Reminder,
    ReminderPause,
    ReminderPreference,
    Unit,
)
from storage.queries import all_offices, roles_of, units_of_office

log = logging.getLogger(__name__)

REMINDER = callbacks.REMINDER
OWING = ("open", "flagged")  # a line in these states still needs the unit's data
MAX_LISTED = 20  # indicators listed in one reminder; the rest are counted
MAX_TEXT = 4096  # Telegram's limit for one message

CONTINUE_BUTTON = Button(
    "✍️ Lanjutkan pengisian", data=callbacks.encode(callbacks.ENTRY, callbacks.EntryAction.MENU)
)
STATUS_BUTTON = Button("📊 Lihat status", data=callbacks.encode(callbacks.STATUS, "o"))
APPROVALS_BUTTON = Button("Lihat yang menunggu", data=callbacks.encode(callbacks.APPROVAL, "ls"))
DIGEST_ROLES = (Role.RENDATIN, Role.SEKRETARIS)
STAGE_WORDS = {Stage.KASUBBAG: "paraf", Stage.SEKRETARIS: "tanda tangan"}


def reminder_spec(office: Office) -> ReminderSpec:
    """Return the office's reminder settings (the organisation file's ``pengingat:``)."""
    return ReminderSpec.model_validate(office.settings.get("pengingat", {}))


def _calendar(office: Office, today: date) -> WorkingCalendar:
    hours = OfficeHoursSpec.model_validate(office.settings.get("office_hours", {}))
    return _built_calendar(hours, today.year)


@functools.lru_cache(maxsize=16)
def _built_calendar(hours: OfficeHoursSpec, year: int) -> WorkingCalendar:
    # The sweep runs every minute; the holiday tables need not be rebuilt each time.
    return WorkingCalendar.for_office(hours, [year - 1, year, year + 1])


# --------------------------------------------------------------------------- the sweep


@dataclass
class _Round:
    """One office's sweep: what it needs, and the keys already queued today."""

    session: Session
    office: Office
    calendar: WorkingCalendar
    spec: ReminderSpec
    now: datetime
    tz: ZoneInfo
    queued: set[str]
    count: int = 0
    # Reminders decided this round (outbox row, reminder row), written together by write().
    pending: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def office_id(self) -> int:
        assert self.office.id is not None
        return self.office.id

    def send(
        self,
        *,
        kind: str,
        subject_id: int,
        due: Due,
        person: Person,
        text: str,
        keyboard: Keyboard,
    ) -> None:
        """Queue one reminder to ``person`` unless it was queued before; record it."""
        if person.telegram_user_id is None or not person.active or person.id is None:
            return
        key = f"reminder:{kind}:{subject_id}:{due.day.isoformat()}:{due.slot}:{person.id}"
        if key in self.queued:
            return
        self.queued.add(key)
        if len(text) > MAX_TEXT:  # a digest of a very large office: cut, never refused
            text = text[: MAX_TEXT - 1] + "…"
        message = message_row(
            chat_id=person.telegram_user_id,
            now=self.now,
            text=text,
            keyboard=keyboard,
            person_id=person.id,
            office_id=self.office_id,
            dedupe_key=key,
        )
        reminder = {
            "office_id": self.office_id,
            "key": key,
            "kind": kind,
            "subject_id": subject_id,
            "day": due.day,
            "slot": due.slot,
            "person_id": person.id,
            "created_at": self.now,
        }
        self.pending.append((message, reminder))
        self.count += 1

    def write(self) -> None:
        """Queue the round's reminders and record them: three statements however many.

        A message whose key is in the outbox already (queued by a round that could not record
        it) is not queued twice; its reminder is recorded without a message.
        """
        if not self.pending:
            return
        message_ids = enqueue_new_rows(self.session, [message for message, _ in self.pending])
        rows = [
            reminder | {"outbox_message_id": message_ids.get(reminder["key"])}
            for _, reminder in self.pending
        ]
        self.session.execute(insert(Reminder), rows)
        self.pending.clear()


def sweep(*, db: Database, now: datetime, tz: ZoneInfo) -> int:
    """Queue every reminder due at ``now`` that is not queued yet; return how many."""
    with db.session() as session:
        office_ids = [office.id for office in all_offices(session) if office.id is not None]
    total = 0
    for office_id in office_ids:
        with db.session() as session:
            office = session.get(Office, office_id)
            assert office is not None
            today = now.astimezone(tz).date()
            calendar = _calendar(office, today)
            if not is_office_time(calendar, now, tz):
                continue  # nothing is ever due outside office hours
            queued = set(
                session.exec(
                    select(Reminder.key).where(
                        Reminder.office_id == office_id, Reminder.day == today
                    )
                )
            )
            run = _Round(
                session=session,
                office=office,
                calendar=calendar,
                spec=reminder_spec(office),
                now=now,
                tz=tz,
                queued=queued,
            )
            _unit_reminders(run)
            _review_reminders(run)
            _meeting_reminders(run)
            _digests(run)
            try:
                run.write()
                session.commit()
            except IntegrityError:
                # Another sweep (a second process) queued the same reminders first.
                session.rollback()
                log.info(
                    "reminder sweep for office %d lost a race; the next one resumes", office_id
                )
                continue
            total += run.count
    return total


# --------------------------------------------------------------------------- units


@dataclass
class _Owing:
    """What one unit still owes in one cycle."""

    unit: Unit
    cycle: Cycle
    lines: list[tuple[CycleIndicator, Indicator]] = field(default_factory=list)

    @property
    def deadline(self) -> date:
        return min(line.deadline for line, _ in self.lines)


def _owing_units(session: Session, *, office_id: int) -> list[_Owing]:
    """Return every unit that still owes data in an open cycle, with the lines it owes."""
    rows = session.exec(
        select(CycleIndicator, Indicator, Cycle)
        .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
        .join(Cycle, col(Cycle.id) == col(CycleIndicator.cycle_id))
        .where(Cycle.office_id == office_id, Cycle.status == "open")
        .where(col(CycleIndicator.status).in_(OWING))
        .order_by(col(Cycle.id), col(Indicator.code))
    ).all()
    units = {unit.id: unit for unit in units_of_office(session, office_id=office_id)}
    owing: dict[tuple[int, int], _Owing] = {}
    for line, indicator, cycle in rows:
        assert cycle.id is not None
        key = (cycle.id, line.unit_id)
        if key not in owing:
            owing[key] = _Owing(unit=units[line.unit_id], cycle=cycle)
        owing[key].lines.append((line, indicator))
    return sorted(owing.values(), key=lambda o: (o.cycle.id or 0, o.unit.number))


def active_pauses(session: Session, *, office_id: int) -> dict[int, ReminderPause]:
    """Return the units whose reminders rendatin paused, with the pause."""
    pauses = session.exec(
        select(ReminderPause).where(
            ReminderPause.office_id == office_id, col(ReminderPause.resumed_at).is_(None)
        )
    ).all()
    return {pause.unit_id: pause for pause in pauses}


def _unit_reminders(run: _Round) -> None:
    session = run.session
    paused = active_pauses(session, office_id=run.office_id)
    heads = unit_heads(session, office_id=run.office_id)
    people = unit_people(session, office_id=run.office_id)
    for owing in _owing_units(session, office_id=run.office_id):
        unit_id = owing.unit.id
        assert unit_id is not None
        if unit_id in paused:
            continue
        due = unit_due(run.calendar, run.spec, deadline=owing.deadline, now=run.now, tz=run.tz)
        if due is None:
            continue
        kasubbag = heads.get(unit_id)
        members = registered(people.get(unit_id, []))
        staff = [p for p in members if kasubbag is None or p.id != kasubbag.id]
        # The staff enter the data; a unit without registered staff has only its Kasubbag.
        recipients = staff or [p for p in members if kasubbag is not None and p.id == kasubbag.id]
        for person in recipients:
            run.send(
                kind="unit",
                subject_id=unit_id,
                due=due,
                person=person,
                text=unit_text(owing, due, person=person, escalation=False),
                keyboard=[[CONTINUE_BUTTON]],
            )
        if due.escalate and kasubbag is not None and kasubbag.id not in {p.id for p in recipients}:
            run.send(
                kind="escalation",
                subject_id=unit_id,
                due=due,
                person=kasubbag,
                text=unit_text(owing, due, person=kasubbag, escalation=True),
                keyboard=[[CONTINUE_BUTTON]],
            )
    _overdue_digest(run, paused)


def _short(name: str, limit: int = 120) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _missing_lines(lines: list[tuple[CycleIndicator, Indicator]]) -> list[str]:
    shown = [
        f"{STATUS_ICONS[line.status]} {indicator.code} — {_short(indicator.name)} "
        f"({STATUS_LABELS[line.status]})"
        for line, indicator in lines[:MAX_LISTED]
    ]
    if len(lines) > MAX_LISTED:
        shown.append(f"… dan {len(lines) - MAX_LISTED} indikator lainnya")
    return shown


def unit_text(owing: _Owing, due: UnitDue, *, person: Person, escalation: bool) -> str:
    """Write a unit's reminder: what is missing, by when, and what to do."""
    period = f"{Period(owing.cycle.period).label} {owing.cycle.year}"
    deadline = format_day(owing.deadline)
    if due.overdue:
        when = f"Batas waktu {deadline} telah lewat {due.overdue} hari kerja."
    elif due.days_left:
        when = f"Batas waktu: {deadline} ({due.days_left} hari kerja lagi)."
    else:
        when = f"Batas waktu: hari ini, {deadline}."
    lines = [
        f"🔔 Pengingat data capaian kinerja {period}",
        f"Yth. {person.name},",
        "",
        f"{owing.unit.name} masih perlu melengkapi {len(owing.lines)} indikator:",
        *_missing_lines(owing.lines),
        "",
        when,
    ]
    if escalation:
        lines.append("Mohon bantuan Bapak/Ibu selaku Kasubbag agar data ini segera dilengkapi.")
    else:
        lines.append("Mohon dilengkapi melalui tombol di bawah. Terima kasih.")
    return "\n".join(lines)


def _overdue_digest(run: _Round, paused: dict[int, ReminderPause]) -> None:
    """Tell rendatin, once a working day, which units and reviewers are late."""
    due = daily_due(run.calendar, run.spec.daily_time, slot="harian", now=run.now, tz=run.tz)
    if due is None:
        return
    text = overdue_text(run.session, run, paused)
    if text is None:
        return
    for person in people_with_role(run.session, office_id=run.office_id, role=Role.RENDATIN):
        run.send(
            kind="overdue",
            subject_id=run.office_id,
            due=due,
            person=person,
            text=text,
            keyboard=[[STATUS_BUTTON]],
        )


def overdue_text(session: Session, run: _Round, paused: dict[int, ReminderPause]) -> str | None:
    """List the late units and reviewers; None when nobody is late."""
    today = run.now.astimezone(run.tz).date()
    late: list[str] = []
    for owing in _owing_units(session, office_id=run.office_id):
        days = overdue_days(run.calendar, deadline=owing.deadline, today=today)
        if not days:
            continue
        pause = paused.get(owing.unit.id or 0)
        note = f" · pengingat dijeda: {pause.reason}" if pause else ""
        late.append(
            f"• {owing.unit.name}: {len(owing.lines)} indikator belum lengkap, "
            f"terlambat {days} hari kerja{note}"
        )
    reviewers = [
        f"• {reviewer.name}: {STAGE_WORDS[stage]} konsep versi {draft.version}, menunggu sejak "
        f"{format_datetime(approval.assigned_at, run.tz)}"
        for approval, draft, stage, reviewer in _pending_approvals(session, office_id=run.office_id)
        if review_overdue(
            run.calendar,
            assigned_at=approval.assigned_at,
            allowed_minutes=_allowed_minutes(run.spec, stage),
            now=run.now,
            tz=run.tz,
        )
    ]
    if not late and not reviewers:
        return None
    parts = [f"⏰ Rekap keterlambatan, {format_day(today)}"]
    if late:
        parts += ["", "Unit yang belum melengkapi data:", *late]
    if reviewers:
        parts += ["", "Persetujuan yang melewati batas waktu SOP:", *reviewers]
    return "\n".join(parts)


# --------------------------------------------------------------------------- reviewers


def _allowed_minutes(spec: ReminderSpec, stage: Stage) -> int:
    return spec.kasubbag_minutes if stage is Stage.KASUBBAG else spec.sekretaris_minutes


def _pending_approvals(
    session: Session, *, office_id: int
) -> list[tuple[Approval, Draft, Stage, Person]]:
    """Return the undecided approvals of drafts waiting for exactly that stage."""
    rows = session.exec(
        select(Approval, Draft)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .where(Approval.office_id == office_id, Approval.decision == Decision.PENDING.value)
        .where(col(Draft.status).in_([status.value for status in STAGE_OF]))
        .order_by(col(Approval.id))
    ).all()
    pending = []
    for approval, draft in rows:
        stage = STAGE_OF[DraftStatus(draft.status)]
        if approval.stage != stage.value:
            continue
        reviewer = session.get(Person, approval.reviewer_person_id)
        assert reviewer is not None
        pending.append((approval, draft, stage, reviewer))
    return pending


def _delegates(session: Session, *, office_id: int, person_id: int) -> list[tuple[Person, str]]:
    rows = session.exec(
        select(Delegation).where(
            Delegation.office_id == office_id,
            Delegation.absent_person_id == person_id,
            col(Delegation.ended_at).is_(None),
        )
    ).all()
    found = []
    for delegation in rows:
        delegate = session.get(Person, delegation.delegate_person_id)
        if delegate is not None:
            found.append((delegate, delegation.title))
    return found


def _review_reminders(run: _Round) -> None:
    session = run.session
    for approval, draft, stage, reviewer in _pending_approvals(session, office_id=run.office_id):
        assert approval.id is not None
        due = review_due(
            run.calendar,
            run.spec,
            assigned_at=approval.assigned_at,
            allowed_minutes=_allowed_minutes(run.spec, stage),
            now=run.now,
            tz=run.tz,
        )
        if due is None:
            continue
        cycle = session.get(Cycle, draft.cycle_id)
        assert cycle is not None
        about = (
            f"konsep Laporan Kinerja {Period(cycle.period).label} {cycle.year} "
            f"versi {draft.version}"
        )
        since = format_datetime(approval.assigned_at, run.tz)
        word = STAGE_WORDS[stage]
        run.send(
            kind="review",
            subject_id=approval.id,
            due=due,
            person=reviewer,
            text=(
                f"🔔 Pengingat: {about} menunggu {word} Bapak/Ibu sejak {since}.\n"
                f"Batas waktu SOP: {_allowed_minutes(run.spec, stage)} menit jam kerja. "
                "Mohon diperiksa melalui tombol di bawah. Terima kasih."
            ),
            keyboard=[[APPROVALS_BUTTON]],
        )
        assert reviewer.id is not None
        for delegate, title in _delegates(session, office_id=run.office_id, person_id=reviewer.id):
            run.send(
                kind="review",
                subject_id=approval.id,
                due=due,
                person=delegate,
                text=(
                    f"🔔 Pengingat: {about} menunggu {word} {reviewer.name} sejak {since}. "
                    f"Bapak/Ibu tercatat sebagai {title} untuk beliau; mohon diperiksa "
                    "melalui tombol di bawah. Terima kasih."
                ),
                keyboard=[[APPROVALS_BUTTON]],
            )


# --------------------------------------------------------------------------- meetings


def _meeting_button(text: str, action: str, meeting_id: int) -> Button:
    # The invitation's own buttons: bot.services.meeting answers them.
    return Button(text, data=callbacks.encode(MEETING, action, meeting_id))


def _meeting_reminders(run: _Round) -> None:
    session = run.session
    meetings = session.exec(
        select(Meeting).where(
            Meeting.office_id == run.office_id,
            Meeting.status == "scheduled",
            col(Meeting.starts_at) > run.now,
        )
    ).all()
    for meeting in meetings:
        assert meeting.id is not None
        due = meeting_due(
            run.calendar,
            run.spec,
            starts_at=meeting.starts_at,
            scheduled_at=meeting.created_at,
            now=run.now,
            tz=run.tz,
        )
        if due is None:
            continue
        invited = session.exec(
            select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)
        ).all()
        lead = (
            "Rapat reviu konsep Laporan Kinerja dimulai sebentar lagi."
            if due.slot == "soon"
            else "Rapat reviu konsep Laporan Kinerja diadakan pada hari kerja berikutnya."
        )
        text = (
            f"🔔 Pengingat: {lead}\nWaktu: {format_datetime(meeting.starts_at, run.tz)}\n"
            f"Tempat: {meeting.place}\nAgenda: {meeting.agenda}"
        )
        for attendance in invited:
            if attendance.response == "berhalangan":
                continue
            person = session.get(Person, attendance.person_id)
            assert person is not None
            keyboard: list[list[Button]] = []
            if attendance.response is None:
                keyboard.append(
                    [
                        _meeting_button("✅ Hadir", callbacks.MeetingAction.ATTEND, meeting.id),
                        _meeting_button(
                            "❌ Berhalangan", callbacks.MeetingAction.DECLINE, meeting.id
                        ),
                    ]
                )
            keyboard.append(
                [_meeting_button("💬 Kirim masukan", callbacks.MeetingAction.INPUT, meeting.id)]
            )
            suffix = "" if attendance.response else "\nMohon konfirmasi kehadiran Bapak/Ibu."
            run.send(
                kind="meeting",
                subject_id=meeting.id,
                due=due,
                person=person,
                text=text + suffix,
                keyboard=keyboard,
            )


# --------------------------------------------------------------------------- the digest


def _digests(run: _Round) -> None:
    due = daily_due(run.calendar, run.spec.digest_time, slot="pagi", now=run.now, tz=run.tz)
    if due is None:
        return
    session = run.session
    wanting = session.exec(
        select(Person)
        .join(ReminderPreference, col(ReminderPreference.person_id) == col(Person.id))
        .where(Person.office_id == run.office_id, col(ReminderPreference.morning_digest))
        .order_by(col(Person.id))
    ).all()
    text: str | None = None
    for person in wanting:
        assert person.id is not None
        roles = set(roles_of(session, person_id=person.id))
        if not roles & {role.value for role in DIGEST_ROLES}:
            continue
        text = text or digest_text(run)
        keyboard = [[STATUS_BUTTON]]
        if Role.SEKRETARIS.value in roles:
            keyboard.append([APPROVALS_BUTTON])
        run.send(
            kind="digest",
            subject_id=run.office_id,
            due=due,
            person=person,
            text=text,
            keyboard=keyboard,
        )


def digest_text(run: _Round) -> str:
    """Summarise the office's cycles and approvals at the start of the working day."""
    session = run.session
    today = run.now.astimezone(run.tz).date()
    parts = [f"☀️ Ringkasan pagi, {format_day(today)}"]
    cycles = session.exec(
        select(Cycle)
        .where(Cycle.office_id == run.office_id, Cycle.status == "open")
        .order_by(col(Cycle.id))
    ).all()
    paused = active_pauses(session, office_id=run.office_id)
    owing_by_cycle: dict[int, list[_Owing]] = defaultdict(list)
    for owing in _owing_units(session, office_id=run.office_id):
        owing_by_cycle[owing.cycle.id or 0].append(owing)
    for cycle in cycles:
        assert cycle.id is not None
        lines = session.exec(
            select(CycleIndicator).where(CycleIndicator.cycle_id == cycle.id)
        ).all()
        done = sum(1 for line in lines if line.status not in OWING)
        parts += [
            "",
            f"📊 {Period(cycle.period).label} {cycle.year} · batas {format_day(cycle.deadline)}",
            f"Lengkap: {done}/{len(lines)} indikator.",
        ]
        for owing in owing_by_cycle.get(cycle.id, []):
            days = overdue_days(run.calendar, deadline=owing.deadline, today=today)
            late = f", terlambat {days} hari kerja" if days else ""
            pause = paused.get(owing.unit.id or 0)
            note = f" (pengingat dijeda: {pause.reason})" if pause else ""
            parts.append(f"• {owing.unit.name}: {len(owing.lines)} belum lengkap{late}{note}")
    if not cycles:
        parts += ["", "Tidak ada pengumpulan data yang sedang berjalan."]
    pending = _pending_approvals(session, office_id=run.office_id)
    if pending:
        parts += ["", "Menunggu persetujuan:"]
        for approval, draft, stage, reviewer in pending:
            overdue = review_overdue(
                run.calendar,
                assigned_at=approval.assigned_at,
                allowed_minutes=_allowed_minutes(run.spec, stage),
                now=run.now,
                tz=run.tz,
            )
            parts.append(
                f"• {STAGE_WORDS[stage]} {reviewer.name} (konsep versi {draft.version})"
                + (" ⏰ melewati batas SOP" if overdue else "")
            )
    return "\n".join(parts)


# --------------------------------------------------------------------------- /pengingat


PAUSE_USAGE = (
    "Untuk menjeda pengingat sebuah unit: /pengingat jeda KODE_UNIT alasan\n"
    "Contoh: /pengingat jeda KUL sedang dinas luar sampai Jumat\n"
    "Untuk melanjutkan: /pengingat lanjut KODE_UNIT"
)


def _unit_by_code(session: Session, *, office_id: int, code: str) -> Unit:
    for unit in units_of_office(session, office_id=office_id):
        if unit.active and unit.code.casefold() == code.strip().casefold():
            return unit
    codes = ", ".join(u.code for u in units_of_office(session, office_id=office_id) if u.active)
    raise NotFound(f'Unit "{code}" tidak dikenal. Kode unit: {codes}.')


def pause_overview(*, db: Database, actor: PersonView) -> Reply:
    """Show each unit's reminder state, with a button to resume the paused ones."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        paused = active_pauses(session, office_id=actor.office_id)
        lines = ["🔔 Pengingat unit:"]
        keyboard: list[list[Button]] = []
        for unit in units_of_office(session, office_id=actor.office_id):
            if not unit.active or unit.id is None:
                continue
            pause = paused.get(unit.id)
            if pause is None:
                lines.append(f"• {unit.code} — {unit.name}: aktif")
                continue
            lines.append(f"• {unit.code} — {unit.name}: ⏸ dijeda ({pause.reason})")
            keyboard.append(
                [
                    Button(
                        f"▶️ Lanjutkan {unit.code}",
                        data=callbacks.encode(REMINDER, callbacks.ReminderAction.RESUME, unit.id),
                    )
                ]
            )
        return Reply("\n".join([*lines, "", PAUSE_USAGE]), keyboard)


def pause_unit(
    *, db: Database, actor: PersonView, unit_code: str, reason: str, now: datetime
) -> Reply:
    """Stop a unit's reminders (not rendatin's digest of it) until they are resumed."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    reason = " ".join(reason.split())
    if len(reason) < 3:
        raise InvalidInput("Mohon tuliskan alasan penjedaan.\n" + PAUSE_USAGE)
    with db.session() as session:
        unit = _unit_by_code(session, office_id=actor.office_id, code=unit_code)
        assert unit.id is not None
        if unit.id in active_pauses(session, office_id=actor.office_id):
            raise NotAllowed(f"Pengingat {unit.name} sudah dijeda.")
        session.add(
            ReminderPause(
                office_id=actor.office_id,
                unit_id=unit.id,
                reason=reason[:500],
                paused_by_person_id=actor.id,
                paused_at=now,
            )
        )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="reminders.paused",
            object_type="unit",
            object_id=unit.id,
            office_id=actor.office_id,
            details={"reason": reason},
        )
        session.commit()
        return Reply(
            f"⏸ Pengingat untuk {unit.name} dijeda ({reason}). "
            f"Lanjutkan dengan /pengingat lanjut {unit.code}.",
            [
                [
                    Button(
                        f"▶️ Lanjutkan {unit.code}",
                        data=callbacks.encode(REMINDER, callbacks.ReminderAction.RESUME, unit.id),
                    )
                ]
            ],
        )


def resume_unit(
    *,
    db: Database,
    actor: PersonView,
    now: datetime,
    unit_code: str | None = None,
    unit_id: int | None = None,
) -> Reply:
    """Resume a paused unit's reminders (the next due one goes out at its usual time)."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        if unit_id is not None:
            unit = session.get(Unit, unit_id)
            if unit is None or unit.office_id != actor.office_id:
                raise NotFound("Maaf, unit ini tidak ditemukan.")
        else:
            unit = _unit_by_code(session, office_id=actor.office_id, code=unit_code or "")
        assert unit.id is not None
        pause = active_pauses(session, office_id=actor.office_id).get(unit.id)
        if pause is None:
            raise NotAllowed(f"Pengingat {unit.name} tidak sedang dijeda.")
        pause.resumed_at = now
        pause.resumed_by_person_id = actor.id
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="reminders.resumed",
            object_type="unit",
            object_id=unit.id,
            office_id=actor.office_id,
        )
        session.commit()
        return Reply(f"▶️ Pengingat untuk {unit.name} berjalan lagi.")


# --------------------------------------------------------------------------- /ringkasan


def _digest_button(enabled: bool) -> Button:
    label = "🔕 Matikan ringkasan pagi" if enabled else "🔔 Aktifkan ringkasan pagi"
    return Button(
        label, data=callbacks.encode(REMINDER, callbacks.ReminderAction.DIGEST, 0 if enabled else 1)
    )


def digest_setting(*, db: Database, actor: PersonView) -> Reply:
    """Show whether the person receives the morning digest, with a button to change it."""
    require_role(
        actor,
        *DIGEST_ROLES,
        message="Maaf, ringkasan pagi hanya untuk Tim Rendatin dan Sekretaris.",
    )
    with db.session() as session:
        preference = session.get(ReminderPreference, actor.id)
        enabled = preference is not None and preference.morning_digest
        office = session.get(Office, actor.office_id)
        assert office is not None
        at = reminder_spec(office).digest_time.strftime("%H.%M")
    state = "aktif" if enabled else "tidak aktif"
    return Reply(
        f"☀️ Ringkasan pagi (keadaan pengumpulan data dan persetujuan, setiap hari kerja "
        f"pukul {at}) saat ini {state} untuk Anda.",
        [[_digest_button(enabled)]],
    )


def set_digest(*, db: Database, actor: PersonView, enabled: bool, now: datetime) -> Reply:
    """Turn the person's morning digest on or off."""
    require_role(
        actor,
        *DIGEST_ROLES,
        message="Maaf, ringkasan pagi hanya untuk Tim Rendatin dan Sekretaris.",
    )
    with db.session() as session:
        preference = session.get(ReminderPreference, actor.id)
        if preference is None:
            preference = ReminderPreference(person_id=actor.id, updated_at=now)
            session.add(preference)
        preference.morning_digest = enabled
        preference.updated_at = now
        session.commit()
    if enabled:
        return Reply(
            "🔔 Ringkasan pagi diaktifkan; terkirim setiap hari kerja di awal jam kantor.",
            [[_digest_button(True)]],
        )
    return Reply("🔕 Ringkasan pagi dimatikan.", [[_digest_button(False)]])


def sent_reminders(*, db: Database, kind: str | None = None) -> list[Reminder]:
    """Return the recorded reminders, oldest first (for tests and the CLI)."""
    with db.session() as session:
        query = select(Reminder).order_by(col(Reminder.id))
        if kind is not None:
            query = query.where(Reminder.kind == kind)
        return list(session.exec(query))
