"""SOP step 2a in chat: a unit member enters one indicator's realisasi, explanation and evidence.

The draft lives in ``pending_input`` until the person confirms, so a restart in the middle
loses nothing; a confirmed entry becomes a new, immutable submission version.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain.capaian import CapaianStatus
from bot.domain.checks import CheckThresholds, Finding, Level, check_submission, check_value
from bot.domain.collection import LineEvent, LineStatus, SubmissionStatus, line_allows
from bot.domain.cycles import CycleStatus
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import (
    DEFAULT_UPLOAD_LIMITS,
    MAX_UPLOAD_BYTES,
    MB,
    UploadLimits,
    content_refusal,
    evidence_refusal,
    sanitize_filename,
)
from bot.domain.numbers import parse_number
from bot.domain.pending import EntryDraft, EntryStep, EvidenceFile
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import entry as messages
from bot.messages import review as review_messages
from bot.services import file_limits
from bot.services.audit import record_event
from bot.services.common import people_with_role, store_bytes
from bot.services.lines import (
    LineContext,
    current_submission,
    evidence_of,
    load_line,
    require_open_cycle,
    require_unit_member,
)
from bot.services.outbox import enqueue
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Cycle,
    CycleIndicator,
    Evidence,
    Indicator,
    PendingInput,
    Submission,
    Unit,
)

UPLOAD_STEPS = {EntryStep.EVIDENCE, EntryStep.CONFIRM}
# The line states a new version may be sent in (the collection table's SUBMIT moves).
SUBMITTABLE = [status.value for status in LineStatus if line_allows(status, LineEvent.SUBMIT)]


def _thresholds() -> CheckThresholds:
    return CheckThresholds()


def _entry_in_progress(
    session: Session,
    actor: PersonView,
    *,
    steps: set[EntryStep] | None = None,
    missing: str = messages.STALE,
) -> tuple[PendingInput, EntryDraft, LineContext]:
    """Load the person's entry draft and its line, checking it may still be changed."""
    found = read_pending(session, person_id=actor.id, expected=EntryDraft)
    if found is None:
        raise NotFound(missing)
    pending, draft = found
    if steps is not None and draft.step not in steps:
        raise NotAllowed(missing)
    context = load_line(session, line_id=draft.line, office_id=actor.office_id)
    require_unit_member(actor, context)
    require_open_cycle(session, context)
    return pending, draft, context


def copy_evidence(session: Session, *, submission_id: int, evidence: list[Evidence]) -> None:
    """Carry earlier evidence over to a new version (a correction of the number alone)."""
    for old in evidence:
        session.add(
            Evidence(
                submission_id=submission_id,
                file_id=old.file_id,
                original_name=old.original_name,
                uploaded_by_person_id=old.uploaded_by_person_id,
                uploaded_at=old.uploaded_at,
            )
        )


# --------------------------------------------------------------------------- the menu


def entry_menu(*, db: Database, actor: PersonView) -> Reply:
    """List the unit's indicators in every open cycle, each with its status and a button."""
    if not actor.has_role(Role.STAF, Role.KASUBBAG) or actor.unit_code is None:
        raise NotAllowed(messages.NOT_A_UNIT_MEMBER)
    with db.session() as session:
        query = (
            select(CycleIndicator, Indicator, Cycle)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .join(Cycle, col(Cycle.id) == col(CycleIndicator.cycle_id))
            .join(Unit, col(Unit.id) == col(CycleIndicator.unit_id))
            .where(
                Cycle.office_id == actor.office_id,
                Cycle.status == CycleStatus.OPEN,
                Unit.code == actor.unit_code,
            )
            .order_by(col(Cycle.id), col(Indicator.code))
        )
        rows = list(session.exec(query))
    menu_lines = []
    for line, indicator, cycle in rows:
        assert line.id is not None
        assert cycle.id is not None
        menu_lines.append(
            messages.MenuLine(
                line_id=line.id,
                cycle_id=cycle.id,
                period_label=Period(cycle.period).named(cycle.year),
                code=indicator.code,
                name=indicator.name,
                status=line.status,
            )
        )
    return messages.menu(unit_name=f"{actor.unit_name}", lines=menu_lines)


# --------------------------------------------------------------------------- the steps


def begin_entry(*, db: Database, actor: PersonView, line_id: int, now: datetime) -> Reply:
    """Start (or restart) entering one indicator and ask for the realisasi."""
    with db.session() as session:
        context = load_line(session, line_id=line_id, office_id=actor.office_id)
        require_unit_member(actor, context)
        require_open_cycle(session, context)
        if not line_allows(context.line.status, LineEvent.SUBMIT):
            raise NotAllowed(messages.already_accepted(context.indicator.code))
        previous = current_submission(session, context.line)
        wait_for(session, person_id=actor.id, payload=EntryDraft(line=line_id), now=now)
        session.commit()
        return _realisasi_prompt(context, previous)


def _realisasi_prompt(context: LineContext, previous: Submission | None) -> Reply:
    indicator = context.indicator
    flagged = previous is not None and previous.status == SubmissionStatus.FLAGGED
    return messages.realisasi_prompt(
        code=indicator.code,
        name=indicator.name,
        sasaran=context.sasaran.name,
        period_label=context.period_label,
        target_text=context.target_text,
        satuan=indicator.satuan,
        cumulative=Period(context.cycle.period).is_cumulative,
        previous=(previous.version, Decimal(previous.realisasi)) if previous else None,
        flag_note=previous.review_note if previous is not None and flagged else None,
        evidence_required=indicator.evidence_required,
    )


def handle_entry_text(
    *,
    db: Database,
    actor: PersonView,
    text: str,
    now: datetime,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> Reply:
    """Take the person's typed answer for the current step and ask the next question.

    ``max_upload_bytes`` is the largest file the bot accepts, named when it asks for evidence.
    """
    with db.session() as session:
        _, draft, context = _entry_in_progress(session, actor, missing=messages.NOTHING_IN_PROGRESS)
        text = text.strip()
        if draft.step is EntryStep.REALISASI:
            draft, reply = _take_realisasi(context, draft, text)
        elif draft.step in _TEXT_STEPS:
            draft, reply = _take_text(context, draft, text, max_upload_bytes)
        elif draft.step is EntryStep.EVIDENCE:
            reply = messages.send_files_not_text(has_files=bool(draft.evidence))
        else:
            reply = messages.press_a_button()
        wait_for(session, person_id=actor.id, payload=draft, now=now)
        session.commit()
        return reply


_TEXT_STEPS = (EntryStep.PENJELASAN, EntryStep.PENDUKUNG, EntryStep.KENDALA, EntryStep.UPAYA)


def _take_realisasi(context: LineContext, draft: EntryDraft, text: str) -> tuple[EntryDraft, Reply]:
    parsed = parse_number(text)  # raises InvalidInput with the how-to
    refused = [
        finding
        for finding in check_value(
            realisasi=parsed.value,
            satuan=context.indicator.satuan,
            target=context.target,
            polarity=context.polarity,
            thresholds=_thresholds(),
        )
        if finding.level is Level.ERROR
    ]
    if refused:
        raise InvalidInput(messages.value_refused(refused))
    draft = replace(draft, realisasi=str(parsed.value), step=EntryStep.PENJELASAN)
    return draft, messages.ask_penjelasan(
        realisasi=parsed.value,
        satuan=context.indicator.satuan,
        capaian=context.capaian(parsed.value),
    )


def _realisasi(draft: EntryDraft) -> Decimal:
    assert draft.realisasi is not None  # every step after the first has it
    return Decimal(draft.realisasi)


def _below_target(context: LineContext, draft: EntryDraft) -> bool:
    capaian = context.capaian(_realisasi(draft))
    return capaian.status is not CapaianStatus.OK or (capaian.value or Decimal(0)) < 100


def _take_text(
    context: LineContext, draft: EntryDraft, text: str, max_upload_bytes: int
) -> tuple[EntryDraft, Reply]:
    if len(text) < 3:
        raise InvalidInput(messages.TOO_SHORT)
    draft = draft.answered(text[:4000])
    return _ask_next(context, draft, max_upload_bytes)


def _ask_next(
    context: LineContext, draft: EntryDraft, max_upload_bytes: int
) -> tuple[EntryDraft, Reply]:
    """Move the draft to its next unanswered question and ask it (evidence when none is left)."""
    below_target = _below_target(context, draft)
    step = draft.next_question(below_target=below_target)
    draft = replace(draft, step=step)
    if step is EntryStep.PENJELASAN:
        realisasi = _realisasi(draft)
        return draft, messages.ask_penjelasan(
            realisasi=realisasi,
            satuan=context.indicator.satuan,
            capaian=context.capaian(realisasi),
        )
    if step is EntryStep.PENDUKUNG:
        return draft, messages.ask_pendukung()
    if step is EntryStep.KENDALA:
        return draft, messages.ask_kendala(below_target=below_target)
    if step is EntryStep.UPAYA:
        return draft, messages.ask_upaya()
    return draft, messages.ask_evidence(
        required=context.indicator.evidence_required,
        max_mb=max_upload_bytes // MB,
        has_files=bool(draft.evidence),
    )


def add_evidence(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    data: bytes,
    filename: str,
    mime_type: str | None,
    now: datetime,
    limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
    admin_chat_id: int | None = None,
) -> Reply:
    """Keep an uploaded evidence file with the entry in progress, within the upload limits."""
    name = sanitize_filename(filename)
    # The bytes too, not only the name: an executable called laporan.pdf goes to reviewers.
    refusal = evidence_refusal(name, len(data), limits.file_bytes) or content_refusal(name, data)
    if refusal:
        raise InvalidInput(refusal)
    with db.session() as session:
        _, draft, context = _entry_in_progress(
            session,
            actor,
            steps=UPLOAD_STEPS,
            missing=messages.NOT_WAITING_FOR_FILES,
        )
        assert context.cycle.id is not None
        over_limit = file_limits.check_upload(
            session,
            files=files,
            actor=actor,
            cycle_id=context.cycle.id,
            period_label=context.period_label,
            name=name,
            data=data,
            limits=limits,
        )
        if over_limit is not None:
            file_limits.refuse_upload(
                session,
                over_limit,
                actor=actor,
                cycle_id=context.cycle.id,
                now=now,
                admin_chat_id=admin_chat_id,
            )
        # The file is written in full before its row exists: see storage.files.
        stored = store_bytes(
            session, files, data, mime_type=mime_type or "application/octet-stream", now=now
        )
        assert stored.id is not None
        if any(item.file == stored.id for item in draft.evidence):
            # The same bytes again (sent twice, or forwarded back): attached once.
            session.commit()
            return messages.file_already_attached(name=name, count=len(draft.evidence))
        draft = replace(
            draft,
            evidence=(*draft.evidence, EvidenceFile(file=stored.id, name=name)),
            step=EntryStep.EVIDENCE,
        )
        file_limits.record_upload(
            session, actor=actor, cycle_id=context.cycle.id, stored=stored, name=name, now=now
        )
        wait_for(session, person_id=actor.id, payload=draft, now=now)
        session.commit()
        return messages.file_received(name=name, count=len(draft.evidence))


def evidence_done(*, db: Database, actor: PersonView, now: datetime) -> Reply:
    """Close the upload step and show the summary to confirm."""
    with db.session() as session:
        _, draft, context = _entry_in_progress(session, actor, steps=UPLOAD_STEPS)
        skipped = _skipped_question(session, actor, context, draft, now)
        if skipped is not None:
            return skipped
        findings = _findings(session, context, draft)
        errors = [f for f in findings if f.level is Level.ERROR]
        if errors:
            return messages.not_yet_sendable(errors, has_files=bool(draft.evidence))
        draft = replace(draft, step=EntryStep.CONFIRM)
        wait_for(session, person_id=actor.id, payload=draft, now=now)
        session.commit()
        return _summary(context, draft, findings)


def _skipped_question(
    session: Session,
    actor: PersonView,
    context: LineContext,
    draft: EntryDraft,
    now: datetime,
) -> Reply | None:
    """Ask a question the draft never got (stored before it existed), or None when complete.

    The files already sent stay with the draft; after the answer the person is asked for
    evidence again and may close the step at once.
    """
    if draft.next_question(below_target=_below_target(context, draft)) is EntryStep.EVIDENCE:
        return None
    # A typed question comes next, so the upload limit the evidence prompt names is not shown.
    draft, reply = _ask_next(context, draft, MAX_UPLOAD_BYTES)
    wait_for(session, person_id=actor.id, payload=draft, now=now)
    session.commit()
    return messages.question_skipped(reply)


def _carried_evidence(session: Session, context: LineContext) -> list[Evidence]:
    previous = current_submission(session, context.line)
    return evidence_of(session, previous.id if previous else None)


def _findings(session: Session, context: LineContext, draft: EntryDraft) -> list[Finding]:
    evidence_count = len(draft.evidence) or len(_carried_evidence(session, context))
    return check_submission(
        realisasi=_realisasi(draft),
        satuan=context.indicator.satuan,
        target=context.target,
        polarity=context.polarity,
        evidence_required=context.indicator.evidence_required,
        evidence_count=evidence_count,
        penjelasan=draft.penjelasan,
        pendukung=draft.pendukung,
        kendala=draft.kendala,
        upaya=draft.upaya,
        thresholds=_thresholds(),
    )


def _summary(context: LineContext, draft: EntryDraft, findings: list[Finding]) -> Reply:
    realisasi = _realisasi(draft)
    return messages.summary(
        code=context.indicator.code,
        name=context.indicator.name,
        target_text=context.target_text,
        realisasi=realisasi,
        satuan=context.indicator.satuan,
        capaian=context.capaian(realisasi),
        penjelasan=draft.penjelasan,
        pendukung=draft.pendukung,
        kendala=draft.kendala,
        upaya=draft.upaya,
        new_files=[item.name for item in draft.evidence],
        findings=findings,
    )


def restart_entry(*, db: Database, actor: PersonView, now: datetime) -> Reply:
    """Go back to the realisasi question, keeping nothing of the draft but the indicator."""
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=EntryDraft)
        if found is None:
            raise NotAllowed(messages.STALE)
        line_id = found[1].line
    return begin_entry(db=db, actor=actor, line_id=line_id, now=now)


def confirm_entry(*, db: Database, actor: PersonView, now: datetime) -> Reply:
    """Store the entry as a new submission version and tell the rendatin team."""
    with db.session() as session:
        pending, draft, context = _entry_in_progress(
            session,
            actor,
            steps={EntryStep.CONFIRM},
            missing=messages.ALREADY_SENT,
        )
        skipped = _skipped_question(session, actor, context, draft, now)
        if skipped is not None:
            return skipped
        findings = _findings(session, context, draft)
        if any(f.level is Level.ERROR for f in findings):
            raise InvalidInput("\n".join(f.message for f in findings if f.level is Level.ERROR))
        carried = _carried_evidence(session, context)
        submission = record_submission(
            session,
            context=context,
            actor=actor,
            realisasi=_realisasi(draft),
            penjelasan=draft.penjelasan or "",
            pendukung=draft.pendukung,
            kendala=draft.kendala,
            upaya=draft.upaya,
            warnings=[f.code for f in findings if f.level is Level.WARNING],
            source="chat",
            now=now,
        )
        assert submission.id is not None
        if draft.evidence:
            for item in draft.evidence:
                session.add(
                    Evidence(
                        submission_id=submission.id,
                        file_id=item.file,
                        original_name=item.name,
                        uploaded_by_person_id=actor.id,
                        uploaded_at=now,
                    )
                )
        else:
            # A correction that only changes the number keeps the evidence already given.
            copy_evidence(session, submission_id=submission.id, evidence=carried)
        session.delete(pending)
        session.commit()
        return messages.sent(
            code=context.indicator.code,
            version=submission.version,
            capaian=context.capaian(submission.realisasi),
        )


def record_submission(
    session: Session,
    *,
    context: LineContext,
    actor: PersonView,
    realisasi: Decimal,
    penjelasan: str,
    pendukung: str | None,
    kendala: str | None,
    upaya: str | None,
    warnings: list[str],
    source: str,
    now: datetime,
) -> Submission:
    """Add the next version for a line, tell rendatin, and audit it (caller commits)."""
    line = context.line
    version = line.current_version + 1
    # Two members of a unit confirming at the same moment must not both become version n, and
    # data the team accepted while someone sat on the confirm step must not be overwritten.
    # The update is this function's first write: when it moves nothing there is nothing to undo,
    # so a workbook's other rows in the same transaction stay stored.
    moved = session.execute(
        update(CycleIndicator)
        .where(
            col(CycleIndicator.id) == line.id,
            col(CycleIndicator.current_version) == line.current_version,
            col(CycleIndicator.status).in_(SUBMITTABLE),
        )
        .values(current_version=version, status=LineStatus.SUBMITTED.value)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(line)
        if not line_allows(line.status, LineEvent.SUBMIT):
            raise NotAllowed(messages.already_accepted(context.indicator.code))
        raise NotAllowed(messages.sent_by_another(context.indicator.code))
    session.refresh(line)
    capaian = context.capaian(realisasi)
    assert line.id is not None
    submission = Submission(
        cycle_indicator_id=line.id,
        version=version,
        realisasi=realisasi,
        capaian=capaian.value,
        penjelasan=penjelasan,
        pendukung=pendukung,
        kendala=kendala,
        upaya=upaya,
        source=source,
        warnings=warnings,
        submitted_by_person_id=actor.id,
        submitted_at=now,
    )
    session.add(submission)
    session.flush()
    assert submission.id is not None
    text = review_messages.new_submission(
        unit_name=context.unit.name,
        code=context.indicator.code,
        name=context.indicator.name,
        period_label=context.period_label,
        realisasi=realisasi,
        satuan=context.indicator.satuan,
        target_text=context.target_text,
        capaian=capaian,
        version=version,
        submitter=actor.name,
        warnings=warnings,
    )
    review = review_messages.new_submission_keyboard(submission.id)
    for member in people_with_role(session, office_id=context.cycle.office_id, role=Role.RENDATIN):
        if member.id == actor.id or member.telegram_user_id is None:
            continue
        enqueue(
            session,
            chat_id=member.telegram_user_id,
            now=now,
            text=text,
            keyboard=review,
            person_id=member.id,
            office_id=context.cycle.office_id,
        )
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="submission.created",
        object_type="submission",
        object_id=submission.id,
        office_id=context.cycle.office_id,
        details={
            "indicator": context.indicator.code,
            "cycle_id": context.cycle.id,
            "version": version,
            "realisasi": str(realisasi),
            "source": source,
            "warnings": warnings,
        },
    )
    return submission


def cancel_entry(*, db: Database, actor: PersonView) -> Reply:
    """Drop the entry in progress; everything confirmed before stays."""
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=EntryDraft)
        if found is None:
            return messages.nothing_to_cancel()
        session.delete(found[0])
        session.commit()
    return messages.cancelled()
