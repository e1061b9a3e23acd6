"""SOP steps 2b and 2e: rendatin checks each submission, flags doubtful data, accepts it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain.collection import (
    LINE_EVENT_OF,
    LineStatus,
    SubmissionEvent,
    is_settled,
    next_line_status,
    next_submission_status,
    submission_allows,
)
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.pending import FlagReason
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import review as messages
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, require_role, unit_members
from bot.services.lines import LineContext, evidence_of, load_line, require_open_cycle
from bot.services.outbox import enqueue
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.models import CycleIndicator, Person, StoredFile, Submission

READERS = (Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS)


def _load(
    db_session: Session, *, actor: PersonView, submission_id: int
) -> tuple[Submission, LineContext]:
    submission = db_session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(messages.NOT_FOUND)
    context = load_line(
        db_session, line_id=submission.cycle_indicator_id, office_id=actor.office_id
    )
    return submission, context


def _version(session: Session, submission: Submission) -> messages.Version:
    assert submission.id is not None
    submitter = session.get(Person, submission.submitted_by_person_id)
    return messages.Version(
        submission_id=submission.id,
        version=submission.version,
        realisasi=Decimal(submission.realisasi),
        status=submission.status,
        submitted_at=submission.submitted_at,
        submitter=submitter.name if submitter else "-",
        source=submission.source,
        review_note=submission.review_note,
    )


def submission_detail(
    *, db: Database, actor: PersonView, submission_id: int, tz: ZoneInfo
) -> tuple[Reply, list[tuple[str, str]]]:
    """Show one submission in full, with its evidence files (path, name) to send along."""
    with db.session() as session:
        submission, context = _load(session, actor=actor, submission_id=submission_id)
        own_unit = actor.unit_code == context.unit.code
        if not (actor.has_role(*READERS) or own_unit):
            raise NotAllowed(messages.NOT_ALLOWED_TO_SEE)
        latest = submission.version == context.line.current_version
        files: list[tuple[str, str]] = []
        for item in evidence_of(session, submission.id):
            stored = session.get(StoredFile, item.file_id)
            if stored is not None:
                files.append((stored.path, item.original_name))
        deciding = actor.has_role(Role.RENDATIN) and latest
        answer = messages.submission_detail(
            code=context.indicator.code,
            name=context.indicator.name,
            unit_name=context.unit.name,
            period_label=context.period_label,
            target_text=context.target_text,
            satuan=context.indicator.satuan,
            capaian=context.capaian(Decimal(submission.realisasi)),
            version=_version(session, submission),
            line_id=submission.cycle_indicator_id,
            latest=latest,
            penjelasan=submission.penjelasan,
            pendukung=submission.pendukung,
            kendala=submission.kendala,
            upaya=submission.upaya,
            warnings=submission.warnings,
            file_count=len(files),
            tz=tz,
            can_decide=deciding and submission_allows(submission.status, SubmissionEvent.ACCEPT),
            can_correct=deciding and _correctable(submission.status),
        )
        return answer, files


def _correctable(status: str) -> bool:
    """Accepted data can only be flagged: rendatin asks the unit for a correction."""
    return submission_allows(status, SubmissionEvent.FLAG) and not submission_allows(
        status, SubmissionEvent.ACCEPT
    )


def history(*, db: Database, actor: PersonView, line_id: int, tz: ZoneInfo) -> Reply:
    """List every version of a line: value, who, when, and what the team said."""
    with db.session() as session:
        context = load_line(session, line_id=line_id, office_id=actor.office_id)
        if not (actor.has_role(*READERS) or actor.unit_code == context.unit.code):
            raise NotAllowed(messages.NOT_ALLOWED_TO_SEE)
        versions = session.exec(
            select(Submission)
            .where(Submission.cycle_indicator_id == line_id)
            .order_by(col(Submission.version))
        ).all()
        status = context.line.status
        return messages.history(
            code=context.indicator.code,
            name=context.indicator.name,
            satuan=context.indicator.satuan,
            versions=[_version(session, submission) for submission in versions],
            tz=tz,
            line_id=line_id,
            offer_no_data=actor.has_role(Role.RENDATIN) and not is_settled(status),
            no_data_reason=context.line.no_data_reason if status == LineStatus.NO_DATA else None,
        )


def _require_reviewable(
    session: Session, context: LineContext, submission: Submission, event: SubmissionEvent
) -> None:
    """Refuse a decision on an old version or one already decided (bot/domain/collection.py
    says which decisions a version still takes)."""
    require_open_cycle(session, context)
    if submission.version != context.line.current_version:
        raise NotAllowed(messages.newer_version_exists(context.indicator.code))
    next_submission_status(submission.status, event)


def begin_flag(*, db: Database, actor: PersonView, submission_id: int, now: datetime) -> Reply:
    """Ask rendatin for the reason the data is doubtful."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        submission, context = _load(session, actor=actor, submission_id=submission_id)
        _require_reviewable(session, context, submission, SubmissionEvent.FLAG)
        wait_for(session, person_id=actor.id, payload=FlagReason(submission=submission_id), now=now)
        session.commit()
        return messages.flag_prompt(code=context.indicator.code, unit_name=context.unit.name)


def flag_with_reason(*, db: Database, actor: PersonView, reason: str, now: datetime) -> Reply:
    """Flag the submission rendatin is writing a reason for, and ping the unit."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput(messages.REASON_TOO_SHORT)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=FlagReason)
        if found is None:
            raise NotFound(messages.NOTHING_BEING_FLAGGED)
        pending, flagging = found
        submission, context = _load(session, actor=actor, submission_id=flagging.submission)
        _require_reviewable(session, context, submission, SubmissionEvent.FLAG)
        _decide(
            session,
            submission=submission,
            context=context,
            event=SubmissionEvent.FLAG,
            note=reason[:1000],
            actor=actor,
            now=now,
        )
        assert context.line.id is not None
        fix = messages.fix_keyboard(context.line.id)
        text = messages.flag_notice(
            code=context.indicator.code,
            name=context.indicator.name,
            period_label=context.period_label,
            reason=reason,
            deadline=context.line.deadline,
        )
        for member in unit_members(session, unit_id=context.unit.id or 0):
            assert member.telegram_user_id is not None
            enqueue(
                session,
                chat_id=member.telegram_user_id,
                now=now,
                text=text,
                keyboard=fix,
                person_id=member.id,
                office_id=actor.office_id,
            )
        session.delete(pending)
        session.commit()
        return messages.flagged(code=context.indicator.code, unit_name=context.unit.name)


def accept(*, db: Database, actor: PersonView, submission_id: int, now: datetime) -> Reply:
    """Accept a submission as valid and tell the unit."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        submission, context = _load(session, actor=actor, submission_id=submission_id)
        _require_reviewable(session, context, submission, SubmissionEvent.ACCEPT)
        _decide(
            session,
            submission=submission,
            context=context,
            event=SubmissionEvent.ACCEPT,
            note=None,
            actor=actor,
            now=now,
        )
        text = messages.accepted_notice(
            code=context.indicator.code, period_label=context.period_label
        )
        for member in unit_members(session, unit_id=context.unit.id or 0):
            assert member.telegram_user_id is not None
            enqueue(
                session,
                chat_id=member.telegram_user_id,
                now=now,
                text=text,
                person_id=member.id,
                office_id=actor.office_id,
            )
        session.commit()
        return messages.accepted(code=context.indicator.code, unit_name=context.unit.name)


def _decide(
    session: Session,
    *,
    submission: Submission,
    context: LineContext,
    event: SubmissionEvent,
    note: str | None,
    actor: PersonView,
    now: datetime,
) -> None:
    status = next_submission_status(submission.status, event)
    line_status = next_line_status(context.line.status, LINE_EVENT_OF[event])
    # Conditional updates: of two simultaneous taps, exactly one changes the state.
    changed = session.execute(
        update(Submission)
        .where(col(Submission.id) == submission.id, col(Submission.status) == submission.status)
        .values(
            status=status.value, review_note=note, reviewed_by_person_id=actor.id, reviewed_at=now
        )
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise NotAllowed(messages.JUST_REVIEWED)
    session.execute(
        update(CycleIndicator)
        .where(
            col(CycleIndicator.id) == context.line.id,
            col(CycleIndicator.current_version) == submission.version,
        )
        .values(status=line_status.value)
    )
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action=f"submission.{status.value}",
        object_type="submission",
        object_id=submission.id,
        office_id=actor.office_id,
        details={
            "indicator": context.indicator.code,
            "version": submission.version,
            "reason": note,
        },
    )
