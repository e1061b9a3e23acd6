"""The draft Laporan Kinerja (konsep LKjIP): built from accepted data, versioned, checksummed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot import documents
from bot.documents import TemplateError
from bot.domain.approval import DRAFT_STATUS_LABELS, FINAL, DraftEvent, DraftStatus, next_status
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.meeting import LIVE, Answer
from bot.domain.narrative import SYNTHESIS_PREFIX
from bot.domain.numbers import format_number, format_percent
from bot.domain.periods import Period, may_sign, signing_opens
from bot.domain.roles import Role
from bot.messages import drafts as messages
from bot.services.analysis import analyse_cycle, latest_cycle, missing_for_draft
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    load_office,
    require_role,
    store_document,
    unit_heads,
)
from bot.services.lembar_paraf import lembar_paraf
from bot.services.narratives import latest_texts
from bot.services.organisation import office_full_name, office_logo
from bot.services.people import PersonView
from bot.services.review_route import paraf_people, signer
from bot.services.template_errors import template_problem
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Cycle,
    Draft,
    Indicator,
    Meeting,
    MeetingAttendance,
    MeetingInput,
    Office,
    Person,
)
from storage.queries import people_of_office, units_of_office


@dataclass(frozen=True)
class DraftMade:
    """A new draft version and where its files are."""

    draft_id: int
    version: int
    sha256: str
    docx_path: str
    pdf_path: str | None
    filename: str
    # The first day it may be signed, while its period still runs (None once it has ended).
    signable_from: date | None = None


def _meeting(session: Session, *, cycle: Cycle, tz: ZoneInfo) -> documents.LkjipMeeting | None:
    meeting = session.exec(
        select(Meeting)
        .where(Meeting.cycle_id == cycle.id, col(Meeting.status).in_(LIVE))
        .order_by(col(Meeting.id).desc())
    ).first()
    if meeting is None:
        return None
    attendees = [
        person.name
        for attendance, person in session.exec(
            select(MeetingAttendance, Person)
            .join(Person, col(Person.id) == col(MeetingAttendance.person_id))
            .where(
                MeetingAttendance.meeting_id == meeting.id,
                MeetingAttendance.response == Answer.HADIR,
            )
            .order_by(col(Person.name))
        )
    ]
    inputs = []
    for item in session.exec(
        select(MeetingInput)
        .where(MeetingInput.meeting_id == meeting.id)
        .order_by(col(MeetingInput.id))
    ):
        author = session.get(Person, item.person_id)
        indicator = session.get(Indicator, item.indicator_id) if item.indicator_id else None
        inputs.append(
            documents.LkjipInput(
                author=author.name if author else "-",
                indicator_code=indicator.code if indicator else None,
                text=item.text,
            )
        )
    return documents.LkjipMeeting(
        held_on=meeting.starts_at.astimezone(tz).date(),
        place=meeting.place,
        attendees=attendees,
        inputs=inputs,
        minutes=meeting.minutes,
    )


def build_content(
    session: Session,
    *,
    cycle: Cycle,
    office: Office,
    version: int,
    konsep: bool,
    initials: list[documents.LkjipInitial],
    signature: documents.LkjipSignature,
    generated_on: date,
    tz: ZoneInfo,
) -> documents.LkjipContent:
    """Gather what the report of ``cycle`` says, from the accepted data and the meeting."""
    assert office.id is not None and cycle.id is not None
    narratives = latest_texts(session, cycle_id=cycle.id)
    units, outside = _units_and_people(session, office_id=office.id)
    return documents.LkjipContent(
        analysis=analyse_cycle(session, cycle=cycle, accepted_only=True),
        office_name=office.name,
        office_address=office.address,
        city=office.city,
        parent_office=office.parent_office,
        version=version,
        konsep=konsep,
        kata_pengantar=None,
        meeting=_meeting(session, cycle=cycle, tz=tz),
        initials=initials,
        signature=signature,
        generated_on=generated_on,
        timezone=tz,  # the office's: the times on the lembar paraf
        office_full_name=office_full_name(office),
        logo=office_logo(office),
        units=units,
        people_outside_units=outside,
        narratives={k: v for k, v in narratives.items() if not k.startswith(SYNTHESIS_PREFIX)},
        sasaran_synthesis={
            k.removeprefix(SYNTHESIS_PREFIX): v
            for k, v in narratives.items()
            if k.startswith(SYNTHESIS_PREFIX)
        },
    )


def _units_and_people(
    session: Session, *, office_id: int
) -> tuple[tuple[documents.LkjipUnit, ...], int]:
    """Bab I's units (with their Kasubbag and head count) and the people outside any unit."""
    people = [p for p in people_of_office(session, office_id=office_id) if p.active]
    heads = unit_heads(session, office_id=office_id)
    units = tuple(
        documents.LkjipUnit(
            name=unit.name,
            head_name=heads[unit.id].name if unit.id in heads else "",
            people=sum(1 for p in people if p.unit_id == unit.id),
        )
        for unit in units_of_office(session, office_id=office_id)
        if unit.active
    )
    return units, sum(1 for p in people if p.unit_id is None)


def content_digest(content: documents.LkjipContent) -> str:
    """SHA-256 of what the report says, leaving out what changes along the route.

    The version number, the KONSEP mark, the initials and the signature change between the
    draft the reviewers saw and the signed copy; everything else must stay identical.
    """
    fixed = replace(
        content,
        version=0,
        konsep=True,
        initials=[],
        signature=documents.LkjipSignature(name="", nip="", jabatan="", city="", signed_on=None),
        generated_on=date.min,
    )
    # A capaian's unrounded value is not shown (the means made from it are), so it stays
    # out: a konsep made before it existed still matches its signed copy.
    shown = asdict(fixed, dict_factory=lambda items: {k: v for k, v in items if k != "exact"})
    text = json.dumps(shown, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def indicator_values(content: documents.LkjipContent) -> dict[str, dict[str, str]]:
    """Each indicator's figures as the report shows them, for "what changed" summaries."""
    values: dict[str, dict[str, str]] = {}
    for item in content.analysis.indicators:
        values[item.code] = {
            "realisasi": format_number(item.realisasi) if item.realisasi is not None else "-",
            "capaian": format_percent(item.capaian.value)
            if item.capaian.value is not None
            else "-",
        }
    return values


def signature_of(session: Session, *, office: Office) -> documents.LkjipSignature:
    """The signer's block (the route's signature stage: the Sekretaris), not yet signed."""
    sekretaris = signer(session, office=office)
    return documents.LkjipSignature(
        name=sekretaris.name if sekretaris else "",
        nip=sekretaris.nip if sekretaris else "",
        jabatan=sekretaris.jabatan if sekretaris else "Sekretaris",
        city=office.city,
        signed_on=None,
    )


def render(content: documents.LkjipContent, *, template: Path | None) -> bytes:
    """Render the LKjIP; a broken office template is explained, not raised."""
    try:
        return documents.render_lkjip(content, template=template)
    except TemplateError as error:
        raise InvalidInput(template_problem(error)) from None


def draft_filename(office: Office, cycle: Cycle, version: int, *, signed: bool) -> str:
    """The file name people see (without extension)."""
    label = Period(cycle.period).named(cycle.year)
    prefix = "LKjIP" if signed else "KONSEP LKjIP"
    return f"{prefix} {office.name} {label} v{version}"


def _supersede_open_versions(session: Session, *, cycle: Cycle, version: int) -> None:
    """Retire the earlier versions nobody is reviewing; refuse while one is under review."""
    for earlier in session.exec(
        select(Draft).where(Draft.cycle_id == cycle.id).order_by(col(Draft.version))
    ):
        status = DraftStatus(earlier.status)
        if status in (DraftStatus.REVIEW_KASUBBAG, DraftStatus.REVIEW_SEKRETARIS):
            raise NotAllowed(messages.under_review(earlier.version, DRAFT_STATUS_LABELS[status]))
        if status in FINAL:
            raise NotAllowed(messages.already_signed(earlier.version))
        if status in (DraftStatus.KONSEP, DraftStatus.RETURNED):
            earlier.status = next_status(status, DraftEvent.SUPERSEDE, version=earlier.version)
            session.add(earlier)


def make_draft(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    now: datetime,
    tz: ZoneInfo,
    template: Path | None = None,
    pdf_copies: bool = True,
) -> DraftMade:
    """Build the next konsep version of the latest cycle's report, or say what is missing."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        cycle = latest_cycle(session, office_id=actor.office_id)
        assert cycle.id is not None
        missing = missing_for_draft(session, cycle=cycle)
        if missing:
            raise NotAllowed(messages.not_ready(missing))
        office = load_office(session, cycle.office_id)
        version = (
            session.exec(select(func.max(Draft.version)).where(Draft.cycle_id == cycle.id)).one()
            or 0
        ) + 1
        _supersede_open_versions(session, cycle=cycle, version=version)
        reviewers = sorted(paraf_people(session, office=office), key=lambda p: p.name)
        content = build_content(
            session,
            cycle=cycle,
            office=office,
            version=version,
            konsep=True,
            initials=lembar_paraf(
                konseptor=actor,
                made_at=now,
                reviewers=[
                    (p, documents.LkjipInitial(p.name, p.jabatan, initialled_at=None))
                    for p in reviewers
                ],
            ),
            signature=signature_of(session, office=office),
            generated_on=now.astimezone(tz).date(),
            tz=tz,
        )
        docx = render(content, template=template)
        stored, stored_pdf = store_document(
            session, files, docx, now=now, pdf_copies=pdf_copies, indexes=True
        )
        assert stored.id is not None
        draft = Draft(
            office_id=office.id or 0,
            cycle_id=cycle.id,
            version=version,
            file_id=stored.id,
            pdf_file_id=stored_pdf.id if stored_pdf else None,
            sha256=stored.sha256,
            created_by_person_id=actor.id,
            created_at=now,
            indicator_values=indicator_values(content),
            content_digest=content_digest(content),
        )
        session.add(draft)
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="draft.created",
            object_type="draft",
            object_id=f"{cycle.id}:{version}",
            office_id=office.id,
            details={
                "version": version,
                "sha256": stored.sha256,
                "indicators": len(content.analysis.indicators),
            },
        )
        session.commit()
        return DraftMade(
            draft_id=draft.id or 0,
            version=version,
            sha256=stored.sha256,
            docx_path=stored.path,
            pdf_path=stored_pdf.path if stored_pdf else None,
            filename=draft_filename(office, cycle, version, signed=False),
            signable_from=_signable_from(cycle, today=now.astimezone(tz).date()),
        )


def _signable_from(cycle: Cycle, *, today: date) -> date | None:
    """The day an early draft becomes signable; None when its period has already ended."""
    period = Period(cycle.period)
    return None if may_sign(period, cycle.year, today) else signing_opens(period, cycle.year)
