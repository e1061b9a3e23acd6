"""SOP step 2d: the review meeting — invitations, attendance, written input and minutes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.dates import parse_date_time
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import content_refusal, sanitize_filename
from bot.domain.meeting import LIVE, Answer, MeetingEvent, next_status, require_open
from bot.domain.pending import InviteeInput, MeetingSchedule, Minutes, ScheduleStep
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import meeting as messages
from bot.services.analysis import latest_cycle
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, people_with_role, require_role, store_bytes
from bot.services.lines import report_lock
from bot.services.outbox import enqueue
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import Cycle, Indicator, Meeting, MeetingAttendance, MeetingInput, Person

_CODE_PREFIX = re.compile(
    r"^\s*(?P<code>IK\s*[\d.]*\d)\s*[:\-–]\s*(?P<text>.+)$", re.IGNORECASE | re.DOTALL
)


def _current_meeting(session: Session, *, cycle: Cycle) -> Meeting | None:
    return session.exec(
        select(Meeting)
        .where(Meeting.cycle_id == cycle.id, col(Meeting.status).in_(LIVE))
        .order_by(col(Meeting.id).desc())
    ).first()


def meeting_command(*, db: Database, actor: PersonView, now: datetime, tz: ZoneInfo) -> Reply:
    """Start scheduling the review meeting, or show the one already scheduled."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        cycle = latest_cycle(session, office_id=actor.office_id)
        meeting = _current_meeting(session, cycle=cycle)
        if meeting is not None:
            return _status(session, meeting, tz)
        assert cycle.id is not None
        wait_for(session, person_id=actor.id, payload=MeetingSchedule(cycle=cycle.id), now=now)
        session.commit()
    return messages.ASK_WHEN


def _status(session: Session, meeting: Meeting, tz: ZoneInfo) -> Reply:
    assert meeting.id is not None
    rows = session.exec(
        select(MeetingAttendance, Person)
        .join(Person, col(Person.id) == col(MeetingAttendance.person_id))
        .where(MeetingAttendance.meeting_id == meeting.id)
        .order_by(col(Person.name))
    ).all()
    inputs = session.exec(select(MeetingInput).where(MeetingInput.meeting_id == meeting.id)).all()
    return messages.meeting_status(
        meeting_id=meeting.id,
        starts_at=meeting.starts_at,
        tz=tz,
        place=meeting.place,
        agenda=meeting.agenda,
        invitees=[(person.name, attendance.response) for attendance, person in rows],
        inputs=len(inputs),
        minutes_recorded=bool(meeting.minutes or meeting.minutes_file_id),
    )


def continue_schedule(
    *, db: Database, actor: PersonView, text: str, now: datetime, tz: ZoneInfo
) -> Reply:
    """Take the next answer while scheduling; on the last one, invite everyone."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=MeetingSchedule)
        if found is None:
            raise NotFound(messages.NOTHING_SCHEDULED)
        pending, payload = found
        text = text.strip()
        step = payload.step
        if step is ScheduleStep.WHEN:
            day, clock = parse_date_time(text)
            starts_at = datetime.combine(day, clock, tzinfo=tz)
            if starts_at <= now:
                raise InvalidInput(messages.NOT_AHEAD)
            payload = replace(payload, step=ScheduleStep.PLACE, starts_at=starts_at.isoformat())
            reply = messages.ask_place(day, clock)
        elif step is ScheduleStep.PLACE:
            if len(text) < 3:
                raise InvalidInput(messages.PLACE_TOO_SHORT)
            payload = replace(payload, step=ScheduleStep.AGENDA, place=text[:500])
            reply = messages.ASK_AGENDA
        else:
            if len(text) < 3:
                raise InvalidInput(messages.AGENDA_TOO_SHORT)
            session.delete(pending)
            reply = _schedule(
                session, actor=actor, payload=payload, agenda=text[:2000], now=now, tz=tz
            )
            session.commit()
            return reply
        wait_for(session, person_id=actor.id, payload=payload, now=now)
        session.commit()
        return reply


def _schedule(
    session: Session,
    *,
    actor: PersonView,
    payload: MeetingSchedule,
    agenda: str,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    cycle = session.get(Cycle, payload.cycle)
    assert cycle is not None and cycle.id is not None
    meeting = Meeting(
        office_id=actor.office_id,
        cycle_id=cycle.id,
        starts_at=datetime.fromisoformat(payload.starts_at or ""),
        place=payload.place or "",
        agenda=agenda,
        created_by_person_id=actor.id,
        created_at=now,
    )
    session.add(meeting)
    session.flush()
    assert meeting.id is not None
    invitees: dict[int, Person] = {}
    for role in (Role.KASUBBAG, Role.SEKRETARIS):
        for person in people_with_role(session, office_id=actor.office_id, role=role):
            assert person.id is not None
            invitees[person.id] = person
    text = messages.invitation(
        starts_at=meeting.starts_at, tz=tz, place=meeting.place, agenda=agenda
    )
    keyboard = messages.invitation_keyboard(meeting.id)
    for person_id, person in invitees.items():
        session.add(MeetingAttendance(meeting_id=meeting.id, person_id=person_id))
        assert person.telegram_user_id is not None
        enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=text,
            keyboard=keyboard,
            person_id=person_id,
            office_id=actor.office_id,
        )
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="meeting.scheduled",
        object_type="meeting",
        object_id=meeting.id,
        office_id=actor.office_id,
        details={
            "starts_at": meeting.starts_at.isoformat(),
            "place": meeting.place,
            "invitees": len(invitees),
        },
    )
    return messages.scheduled(
        starts_at=meeting.starts_at, tz=tz, place=meeting.place, invitees=len(invitees)
    )


def _invited_meeting(
    session: Session, *, actor: PersonView, meeting_id: int
) -> tuple[Meeting, MeetingAttendance | None]:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.office_id != actor.office_id:
        raise NotFound(messages.NOT_FOUND)
    attendance = session.get(MeetingAttendance, (meeting_id, actor.id))
    if attendance is None and not actor.has_role(Role.RENDATIN):
        raise NotAllowed(messages.NOT_INVITED)
    require_open(meeting.status)
    # Inputs and minutes go into the report: frozen while it is decided and once signed.
    locked = report_lock(session, cycle_id=meeting.cycle_id)
    if locked is not None:
        raise NotAllowed(locked)
    return meeting, attendance


def respond(
    *, db: Database, actor: PersonView, meeting_id: int, attending: bool, now: datetime
) -> Reply:
    """Record an invitee's answer (they may change it until the meeting is held)."""
    with db.session() as session:
        meeting, attendance = _invited_meeting(session, actor=actor, meeting_id=meeting_id)
        if attendance is None:
            raise NotAllowed(messages.NOT_INVITED)
        next_status(meeting.status, MeetingEvent.RESPOND)  # answers close once it is held
        attendance.response = Answer.HADIR if attending else Answer.BERHALANGAN
        attendance.responded_at = now
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="meeting.attendance",
            object_type="meeting",
            object_id=meeting_id,
            office_id=actor.office_id,
            details={"response": attendance.response},
        )
        session.commit()
    return messages.answer_recorded(attending=attending)


def begin_input(*, db: Database, actor: PersonView, meeting_id: int, now: datetime) -> Reply:
    """Ask an invitee for their written input."""
    with db.session() as session:
        _invited_meeting(session, actor=actor, meeting_id=meeting_id)
        wait_for(session, person_id=actor.id, payload=InviteeInput(meeting=meeting_id), now=now)
        session.commit()
    return messages.ASK_INPUT


def record_input(*, db: Database, actor: PersonView, text: str, now: datetime) -> Reply:
    """Store the written input; it goes into the draft's appendix."""
    text = text.strip()
    if len(text) < 5:
        raise InvalidInput(messages.INPUT_TOO_SHORT)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=InviteeInput)
        if found is None:
            raise NotFound(messages.NO_INPUT_IN_PROGRESS)
        pending, writing = found
        meeting, _ = _invited_meeting(session, actor=actor, meeting_id=writing.meeting)
        cycle = session.get(Cycle, meeting.cycle_id)
        assert cycle is not None and meeting.id is not None
        indicator_id = None
        if match := _CODE_PREFIX.match(text):
            code = " ".join(match["code"].upper().replace("IK", "IK ").split())
            indicator = session.exec(
                select(Indicator).where(
                    Indicator.office_id == actor.office_id,
                    Indicator.year == cycle.year,
                    Indicator.code == code,
                )
            ).first()
            if indicator is None:
                raise InvalidInput(messages.unknown_indicator(code, cycle.year))
            indicator_id, text = indicator.id, match["text"].strip()
        session.add(
            MeetingInput(
                meeting_id=meeting.id,
                person_id=actor.id,
                indicator_id=indicator_id,
                text=text[:4000],
                created_at=now,
            )
        )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="meeting.input",
            object_type="meeting",
            object_id=meeting.id,
            office_id=actor.office_id,
            details={"indicator_id": indicator_id},
        )
        session.delete(pending)
        session.commit()
    return messages.INPUT_RECORDED


def begin_minutes(*, db: Database, actor: PersonView, meeting_id: int, now: datetime) -> Reply:
    """Ask rendatin for the minutes, as text or a file."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        _invited_meeting(session, actor=actor, meeting_id=meeting_id)
        wait_for(session, person_id=actor.id, payload=Minutes(meeting=meeting_id), now=now)
        session.commit()
    return messages.ASK_MINUTES


def record_minutes(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    now: datetime,
    text: str | None = None,
    data: bytes | None = None,
    filename: str | None = None,
    mime_type: str | None = None,
) -> Reply:
    """Store the minutes (text or file) and mark the meeting as held."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    if text is not None and len(text.strip()) < 10:
        raise InvalidInput(messages.MINUTES_TOO_SHORT)
    if data is not None and (
        refusal := content_refusal(sanitize_filename(filename or "notulen"), data)
    ):
        raise InvalidInput(refusal)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=Minutes)
        if found is None:
            raise NotFound(messages.NO_MINUTES_IN_PROGRESS)
        pending, recording = found
        meeting, _ = _invited_meeting(session, actor=actor, meeting_id=recording.meeting)
        if data is not None:
            stored = store_bytes(
                session, files, data, mime_type=mime_type or "application/octet-stream", now=now
            )
            meeting.minutes_file_id = stored.id
            meeting.minutes = meeting.minutes or messages.minutes_attached(
                sanitize_filename(filename or "notulen")
            )
        else:
            assert text is not None
            meeting.minutes = text.strip()[:20000]
        meeting.status = next_status(meeting.status, MeetingEvent.RECORD_MINUTES)
        meeting.minutes_recorded_at = now
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="meeting.minutes",
            object_type="meeting",
            object_id=meeting.id,
            office_id=actor.office_id,
            details={"file": data is not None},
        )
        session.delete(pending)
        session.commit()
    return messages.MINUTES_RECORDED
