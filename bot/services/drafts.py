"""The draft Laporan Kinerja (konsep LKjIP): built from accepted data, versioned, checksummed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot.documents import (
    LkjipContent,
    LkjipInitial,
    LkjipInput,
    LkjipMeeting,
    LkjipSignature,
    TemplateError,
    convert_to_pdf,
    render_lkjip,
)
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.files import DOCX_MIME
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.services.analysis import analyse_cycle, latest_cycle, missing_for_draft
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    load_office,
    people_with_role,
    require_role,
    sekretaris_of,
    store_bytes,
)
from bot.services.cycles import template_problem
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import Cycle, Draft, Indicator, Meeting, MeetingAttendance, MeetingInput, Person


@dataclass(frozen=True)
class DraftMade:
    """A new draft version and where its files are."""

    version: int
    sha256: str
    docx_path: str
    pdf_path: str | None
    filename: str


def _meeting(session: Session, *, cycle: Cycle, tz: ZoneInfo) -> LkjipMeeting | None:
    meeting = session.exec(
        select(Meeting)
        .where(Meeting.cycle_id == cycle.id, col(Meeting.status) != "cancelled")
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
                MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.response == "hadir"
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
            LkjipInput(
                author=author.name if author else "-",
                indicator_code=indicator.code if indicator else None,
                text=item.text,
            )
        )
    return LkjipMeeting(
        held_on=meeting.starts_at.astimezone(tz).date(),
        place=meeting.place,
        attendees=attendees,
        inputs=inputs,
        minutes=meeting.minutes,
    )


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
            lines = [
                "Konsep belum dapat dibuat. Indikator yang belum diterima atau ditandai tidak ada data:"
            ]
            for unit, items in missing.items():
                lines.append(f"\n{unit}:")
                lines += [f"• {item}" for item in items]
            lines.append(
                '\nTerima datanya lewat /status, atau tandai "tidak ada data" dengan alasannya.'
            )
            raise NotAllowed("\n".join(lines))
        office = load_office(session, cycle.office_id)
        analysis = analyse_cycle(session, cycle=cycle, accepted_only=True)
        reviewers = sorted(
            people_with_role(session, office_id=office.id or 0, role=Role.KASUBBAG),
            key=lambda p: p.name,
        )
        sekretaris = sekretaris_of(session, office_id=office.id or 0)
        version = (
            session.exec(select(func.max(Draft.version)).where(Draft.cycle_id == cycle.id)).one()
            or 0
        ) + 1
        content = LkjipContent(
            analysis=analysis,
            office_name=office.name,
            office_address=office.address,
            city=office.city,
            parent_office=office.parent_office,
            version=version,
            konsep=True,
            kata_pengantar=None,
            meeting=_meeting(session, cycle=cycle, tz=tz),
            initials=[
                LkjipInitial(name=p.name, jabatan=p.jabatan, initialled_at=None, note=None)
                for p in reviewers
            ],
            signature=LkjipSignature(
                name=sekretaris.name if sekretaris else "",
                nip=sekretaris.nip if sekretaris else "",
                jabatan=sekretaris.jabatan if sekretaris else "Sekretaris",
                city=office.city,
                signed_on=None,
            ),
            generated_on=now.astimezone(tz).date(),
        )
        try:
            docx = render_lkjip(content, template=template)
        except TemplateError as error:
            raise InvalidInput(template_problem(error)) from None
        stored = store_bytes(session, files, docx, mime_type=DOCX_MIME, now=now)
        pdf = convert_to_pdf(docx) if pdf_copies else None
        stored_pdf = (
            store_bytes(session, files, pdf, mime_type="application/pdf", now=now) if pdf else None
        )
        assert stored.id is not None
        session.add(
            Draft(
                office_id=office.id or 0,
                cycle_id=cycle.id,
                version=version,
                file_id=stored.id,
                pdf_file_id=stored_pdf.id if stored_pdf else None,
                sha256=stored.sha256,
                created_by_person_id=actor.id,
                created_at=now,
            )
        )
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
                "indicators": len(analysis.indicators),
            },
        )
        session.commit()
        label = f"{Period(cycle.period).label} {cycle.year}"
        return DraftMade(
            version=version,
            sha256=stored.sha256,
            docx_path=stored.path,
            pdf_path=stored_pdf.path if stored_pdf else None,
            filename=f"KONSEP LKjIP {office.name} {label} v{version}",
        )
