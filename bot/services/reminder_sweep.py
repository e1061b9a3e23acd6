"""The reminder sweep: reminders and escalation, derived from the database, idempotently.

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

from bot.domain.approval import STAGE_OF, Decision, Stage, waits_for
from bot.domain.calendar import WorkingCalendar
from bot.domain.cycles import CycleStatus
from bot.domain.meeting import UPCOMING, Answer
from bot.domain.organisation import OfficeHoursSpec, ReminderSpec
from bot.domain.periods import Period
from bot.domain.reminders import (
    DIGEST_ROLES,
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
from bot.domain.timezones import office_zone
from bot.domain.working_time import is_office_time
from bot.messages import Keyboard
from bot.messages import delivery as delivery_words
from bot.messages import reminders as messages
from bot.messages.cycles import approval_keyboard
from bot.services.approval_requests import kind_of_round
from bot.services.common import (
    people_with_role,
    registered,
    team_lead,
    unit_heads,
    unit_people,
)
from bot.services.lines import STATUS_ICONS, STATUS_LABELS
from bot.services.outbox import enqueue_new_rows, enqueue_to_admins, message_row
from bot.services.pantau import late_reports_text
from bot.services.review_route import signer
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
    ReportDelivery,
    Unit,
)
from storage.queries import all_offices, current_stages, roles_of, units_of_office

log = logging.getLogger(__name__)

OWING = ("open", "flagged")  # a line in these states still needs the unit's data
MAX_TEXT = 4096  # Telegram's limit for one message


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

    @staticmethod
    def key(kind: str, subject_id: int, due: Due, person: Person) -> str:
        """The reminder's key: one per kind, subject, day, slot and person."""
        return f"reminder:{kind}:{subject_id}:{due.day.isoformat()}:{due.slot}:{person.id}"

    def sent_today(self, kind: str, subject_id: int, due: Due, person: Person) -> bool:
        """Tell whether this reminder to ``person`` was queued already."""
        return self.key(kind, subject_id, due, person) in self.queued

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
        key = self.key(kind, subject_id, due, person)
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
    """Queue every reminder due at ``now`` that is not queued yet; return how many.

    Each office in its own time zone (the organisation file's ``office.timezone``; ``tz``,
    the deployment's, for an office that sets none): its day, office hours and the times
    its reminders show.
    """
    default_tz = tz
    with db.session() as session:
        office_ids = [office.id for office in all_offices(session) if office.id is not None]
    total = 0
    for office_id in office_ids:
        with db.session() as session:
            office = session.get(Office, office_id)
            assert office is not None
            tz = office_zone(office.settings.get("timezone"), default_tz)
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
            _nota_dinas_reminders(run)
            _letter_reminders(run)
            _meeting_reminders(run)
            _digests(run)
            _late_children(run)
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

    @property
    def period_label(self) -> str:
        return Period(self.cycle.period).named(self.cycle.year)

    def reminder(self, due: UnitDue, *, person: Person, escalation: bool) -> str:
        """The unit's reminder to ``person``: what is missing, by when, and what to do."""
        return messages.unit_reminder(
            period_label=self.period_label,
            person_name=person.name,
            unit_name=self.unit.name,
            owed=[
                messages.OwedIndicator(
                    STATUS_ICONS[line.status],
                    indicator.code,
                    indicator.name,
                    STATUS_LABELS[line.status],
                )
                for line, indicator in self.lines
            ],
            deadline=self.deadline,
            due=due,
            escalation=escalation,
        )

    def as_listed(
        self, run: _Round, paused: dict[int, ReminderPause], today: date
    ) -> messages.OwingUnit:
        """The unit as rendatin's digests list it: how much it owes, how late, paused or not."""
        pause = paused.get(self.unit.id or 0)
        return messages.OwingUnit(
            name=self.unit.name,
            owed=len(self.lines),
            days_late=overdue_days(run.calendar, deadline=self.deadline, today=today),
            pause_reason=pause.reason if pause else None,
        )


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
                text=owing.reminder(due, person=person, escalation=False),
                keyboard=[[messages.CONTINUE_BUTTON]],
            )
        if due.escalate and kasubbag is not None and kasubbag.id not in {p.id for p in recipients}:
            run.send(
                kind="escalation",
                subject_id=unit_id,
                due=due,
                person=kasubbag,
                text=owing.reminder(due, person=kasubbag, escalation=True),
                keyboard=[[messages.CONTINUE_BUTTON]],
            )
    _overdue_digest(run, paused)


def _overdue_digest(run: _Round, paused: dict[int, ReminderPause]) -> None:
    """Tell rendatin, once a working day, which units and reviewers are late."""
    due = daily_due(run.calendar, run.spec.daily_time, slot="harian", now=run.now, tz=run.tz)
    if due is None:
        return
    text = _overdue_text(run, paused)
    if text is None:
        return
    for person in people_with_role(run.session, office_id=run.office_id, role=Role.RENDATIN):
        run.send(
            kind="overdue",
            subject_id=run.office_id,
            due=due,
            person=person,
            text=text,
            keyboard=[[messages.STATUS_BUTTON]],
        )


def _overdue_text(run: _Round, paused: dict[int, ReminderPause]) -> str | None:
    """List the late units and reviewers; None when nobody is late."""
    today = run.now.astimezone(run.tz).date()
    late_units = [
        listed
        for owing in _owing_units(run.session, office_id=run.office_id)
        if (listed := owing.as_listed(run, paused, today)).days_late
    ]
    late_approvals = [waiting for waiting in _waiting_approvals(run) if waiting.overdue]
    if not late_units and not late_approvals:
        return None
    return messages.overdue_digest(
        today=today, late_units=late_units, late_approvals=late_approvals, tz=run.tz
    )


# --------------------------------------------------------------------------- reviewers


def _allowed_minutes(spec: ReminderSpec, stage: Stage) -> int:
    return spec.kasubbag_minutes if stage is Stage.KASUBBAG else spec.sekretaris_minutes


def _pending_approvals(
    session: Session, *, office_id: int
) -> list[tuple[Approval, Draft, Stage, Person]]:
    """Return the undecided approvals of the round each draft waits for, with its kind.

    The round is the draft's latest, whatever its stage is called (a configured route names
    its own stages); its kind, paraf or signature, follows the stage's action, which the
    draft's status records. Three statements however many drafts and reviewers.
    """
    rows = session.exec(
        select(Approval, Draft, Person)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(Approval.office_id == office_id, Approval.decision == Decision.PENDING.value)
        .where(col(Draft.status).in_([status.value for status in STAGE_OF]))
        .order_by(col(Approval.id))
    ).all()
    current = current_stages(session, draft_ids={draft.id or 0 for _, draft, _ in rows})
    return [
        (approval, draft, kind_of_round(draft), reviewer)
        for approval, draft, reviewer in rows
        if waits_for(draft.status, approval.stage, current=current.get(draft.id or 0))
    ]


def _waiting_approvals(run: _Round) -> list[messages.WaitingApproval]:
    """The undecided approvals, each marked whether past the SOP's time for its stage."""
    return [
        messages.WaitingApproval(
            reviewer=reviewer.name,
            stage=stage,
            version=draft.version,
            since=approval.assigned_at,
            overdue=review_overdue(
                run.calendar,
                assigned_at=approval.assigned_at,
                allowed_minutes=_allowed_minutes(run.spec, stage),
                now=run.now,
                tz=run.tz,
            ),
        )
        for approval, draft, stage, reviewer in _pending_approvals(
            run.session, office_id=run.office_id
        )
    ]


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
        period_label = Period(cycle.period).named(cycle.year)
        run.send(
            kind="review",
            subject_id=approval.id,
            due=due,
            person=reviewer,
            text=messages.review_reminder(
                period_label=period_label,
                version=draft.version,
                stage=stage,
                since=approval.assigned_at,
                tz=run.tz,
                allowed_minutes=_allowed_minutes(run.spec, stage),
            ),
            keyboard=[[messages.APPROVALS_BUTTON]],
        )
        assert reviewer.id is not None
        for delegate, title in _delegates(session, office_id=run.office_id, person_id=reviewer.id):
            run.send(
                kind="review",
                subject_id=approval.id,
                due=due,
                person=delegate,
                text=messages.delegate_review_reminder(
                    period_label=period_label,
                    version=draft.version,
                    stage=stage,
                    reviewer=reviewer.name,
                    title=title,
                    since=approval.assigned_at,
                    tz=run.tz,
                ),
                keyboard=[[messages.APPROVALS_BUTTON]],
            )


def _nota_dinas_reminders(run: _Round) -> None:
    """Remind the Nota Dinas's signer (and her Plh./Plt.) of a request waiting for her, as a
    Kasubbag is reminded of a paraf: after the SOP's time, then every working morning."""
    session = run.session
    waiting = session.exec(
        select(Cycle).where(
            Cycle.office_id == run.office_id,
            Cycle.status == CycleStatus.AWAITING_SIGNER.value,
        )
    ).all()
    signer = team_lead(session, office_id=run.office_id) if waiting else None
    if signer is None or signer.id is None:
        return
    delegates = _delegates(session, office_id=run.office_id, person_id=signer.id)
    for cycle in waiting:
        if cycle.submitted_at is None or cycle.id is None:
            continue
        due = review_due(
            run.calendar,
            run.spec,
            assigned_at=cycle.submitted_at,
            allowed_minutes=run.spec.kasubbag_minutes,
            now=run.now,
            tz=run.tz,
        )
        if due is None:
            continue
        period_label = Period(cycle.period).named(cycle.year)
        for person, acting in _signer_and_deputies(signer, delegates):
            run.send(
                kind="nota_dinas",
                subject_id=cycle.id,
                due=due,
                person=person,
                text=messages.nota_dinas_reminder(
                    period_label=period_label, since=cycle.submitted_at, tz=run.tz, acting=acting
                ),
                keyboard=approval_keyboard(cycle.id),
            )


def _signer_and_deputies(
    signer: Person, delegates: list[tuple[Person, str]]
) -> list[tuple[Person, tuple[str, str] | None]]:
    """The signer, then each Plh./Plt. with what their reminder says: (title, whose)."""
    return [(signer, None), *((delegate, (title, signer.name)) for delegate, title in delegates)]


def _letter_reminders(run: _Round) -> None:
    """Remind the Surat Pengantar's signer (and his Plh./Plt.) of a letter waiting for his
    one tap (SOP step 5): after the Sekretaris's time, then every working morning. Until he
    taps, nothing has left for KPU Provinsi."""
    session = run.session
    waiting = session.exec(
        select(ReportDelivery).where(
            ReportDelivery.office_id == run.office_id,
            col(ReportDelivery.letter_approved_at).is_(None),
        )
    ).all()
    approver = signer(session, office=run.office) if waiting else None
    if approver is None or approver.id is None:
        return
    delegates = _delegates(session, office_id=run.office_id, person_id=approver.id)
    for delivery in waiting:
        cycle = session.get(Cycle, delivery.cycle_id)
        if delivery.id is None or cycle is None:
            continue
        due = review_due(
            run.calendar,
            run.spec,
            assigned_at=delivery.sent_at,
            allowed_minutes=run.spec.sekretaris_minutes,
            now=run.now,
            tz=run.tz,
        )
        if due is None:
            continue
        label = Period(cycle.period).named(cycle.year)
        keyboard = [
            [delivery_words.approve_letter_button(delivery.id)],
            [delivery_words.scan_button(delivery.draft_id)],
        ]
        for person, acting in _signer_and_deputies(approver, delegates):
            run.send(
                kind="surat_pengantar",
                subject_id=delivery.id,
                due=due,
                person=person,
                text=messages.letter_reminder(
                    label=label,
                    number=delivery.letter_number,
                    since=delivery.sent_at,
                    tz=run.tz,
                    acting=acting,
                ),
                keyboard=keyboard,
            )


# --------------------------------------------------------------------------- meetings


def _meeting_reminders(run: _Round) -> None:
    session = run.session
    meetings = session.exec(
        select(Meeting).where(
            Meeting.office_id == run.office_id,
            col(Meeting.status).in_(UPCOMING),
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
        for attendance in invited:
            if attendance.response == Answer.BERHALANGAN:
                continue
            person = session.get(Person, attendance.person_id)
            assert person is not None
            answered = attendance.response is not None
            run.send(
                kind="meeting",
                subject_id=meeting.id,
                due=due,
                person=person,
                text=messages.meeting_reminder(
                    soon=due.slot == "soon",
                    starts_at=meeting.starts_at,
                    tz=run.tz,
                    place=meeting.place,
                    agenda=meeting.agenda,
                    answered=answered,
                ),
                keyboard=messages.meeting_reminder_keyboard(meeting.id, answered=answered),
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
        text = text or _digest_text(run)
        keyboard = messages.digest_keyboard(sekretaris=Role.SEKRETARIS.value in roles)
        run.send(
            kind="digest",
            subject_id=run.office_id,
            due=due,
            person=person,
            text=text,
            keyboard=keyboard,
        )


def _late_children(run: _Round) -> None:
    """Remind a KPU Provinsi's provinsi people of its kabupaten/kota reports that are late."""
    due = daily_due(run.calendar, run.spec.digest_time, slot="pantau", now=run.now, tz=run.tz)
    if due is None:
        return
    recipients = people_with_role(run.session, office_id=run.office_id, role=Role.PROVINSI)
    if all(run.sent_today("late_children", run.office_id, due, person) for person in recipients):
        return  # nobody to tell, or told already today: the children are not read again
    text = late_reports_text(run.session, parent=run.office, today=due.day)
    if text is None:
        return
    for person in recipients:
        run.send(
            kind="late_children",
            subject_id=run.office_id,
            due=due,
            person=person,
            text=text,
            keyboard=[],
        )


def _digest_text(run: _Round) -> str:
    """Summarise the office's cycles and approvals at the start of the working day."""
    session = run.session
    today = run.now.astimezone(run.tz).date()
    cycles = session.exec(
        select(Cycle)
        .where(Cycle.office_id == run.office_id, Cycle.status == "open")
        .order_by(col(Cycle.id))
    ).all()
    paused = active_pauses(session, office_id=run.office_id)
    owing_by_cycle: dict[int, list[_Owing]] = defaultdict(list)
    for owing in _owing_units(session, office_id=run.office_id):
        owing_by_cycle[owing.cycle.id or 0].append(owing)
    progress = []
    for cycle in cycles:
        assert cycle.id is not None
        lines = session.exec(
            select(CycleIndicator).where(CycleIndicator.cycle_id == cycle.id)
        ).all()
        progress.append(
            messages.CycleProgress(
                period_label=Period(cycle.period).named(cycle.year),
                deadline=cycle.deadline,
                complete=sum(1 for line in lines if line.status not in OWING),
                total=len(lines),
                owing=[
                    owing.as_listed(run, paused, today)
                    for owing in owing_by_cycle.get(cycle.id, [])
                ],
            )
        )
    return messages.morning_digest(today=today, cycles=progress, approvals=_waiting_approvals(run))


def report_failure(*, db: Database, now: datetime, admin_chat_id: int | None) -> None:
    """Tell the admins, once a day, that the sweep failed (the log has the details)."""
    with db.session() as session:
        enqueue_to_admins(
            session,
            office_id=None,
            now=now,
            text=messages.SWEEP_FAILED,
            extra_chat_id=admin_chat_id,
            dedupe_key=f"alert:reminders:{now.date().isoformat()}",
        )
        session.commit()


def sent_reminders(*, db: Database, kind: str | None = None) -> list[Reminder]:
    """Return the recorded reminders, oldest first (for tests and the CLI)."""
    with db.session() as session:
        query = select(Reminder).order_by(col(Reminder.id))
        if kind is not None:
            query = query.where(Reminder.kind == kind)
        return list(session.exec(query))
