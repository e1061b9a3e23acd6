"""The LKjIP's narrative sections the team writes (``/narasi``): read, replace, versioned.

Every text a rendatin member gives is kept as a new version of its section, with who wrote
it and when; the next draft shows the latest (bot.services.drafts.build_content). While a
version of the report is under review or signed, its text cannot change: the reviewers must
sign what they read.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot.callbacks import INVALID_BUTTON
from bot.documents import lkjip_narrative as narrative
from bot.domain.analysis import Analysis
from bot.domain.approval import FINAL, DraftStatus
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.narrative import SECTIONS, SYNTHESIS_PREFIX, section_label
from bot.domain.pending import NarrativeText
from bot.domain.roles import Role
from bot.messages import Reply
from bot.messages import narratives as messages
from bot.services.analysis import analyse_cycle, latest_cycle
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, load_office, require_role
from bot.services.organisation import office_full_name
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.models import Cycle, Draft, NarrativeVersion, Office, Person

MAX_CHARS = 20000  # a section longer than this is cut: a report chapter, not a book


def latest_texts(session: Session, *, cycle_id: int) -> dict[str, str]:
    """The latest version of each section the team wrote for the cycle's report."""
    texts: dict[str, str] = {}
    for row in session.exec(
        select(NarrativeVersion)
        .where(NarrativeVersion.cycle_id == cycle_id)
        .order_by(col(NarrativeVersion.section), col(NarrativeVersion.version))
    ):
        texts[row.section] = row.text  # later versions overwrite earlier ones
    return texts


def add_version(
    session: Session, *, cycle_id: int, section: str, text: str, author_id: int, now: datetime
) -> NarrativeVersion:
    """Keep ``text`` as the next version of ``section``; earlier versions stay."""
    latest = session.exec(
        select(func.max(NarrativeVersion.version)).where(
            NarrativeVersion.cycle_id == cycle_id, NarrativeVersion.section == section
        )
    ).one()
    row = NarrativeVersion(
        cycle_id=cycle_id,
        section=section,
        version=(latest or 0) + 1,
        text=text,
        author_person_id=author_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _versions(session: Session, *, cycle_id: int, section: str) -> list[NarrativeVersion]:
    return list(
        session.exec(
            select(NarrativeVersion)
            .where(NarrativeVersion.cycle_id == cycle_id, NarrativeVersion.section == section)
            .order_by(col(NarrativeVersion.version))
        )
    )


def _sections(analysis: Analysis) -> list[str]:
    """Every section of the report the team may write, in the report's order."""
    return [*SECTIONS, *(f"{SYNTHESIS_PREFIX}{s.code}" for s in analysis.sasaran)]


def _default_text(section: str, *, office: Office, analysis: Analysis) -> str:
    """What the report says when the team wrote nothing (generated from the data)."""
    full_name = office_full_name(office)
    if section.startswith(SYNTHESIS_PREFIX):
        code = section.removeprefix(SYNTHESIS_PREFIX)
        sasaran = next(s for s in analysis.sasaran if s.code == code)
        return narrative.mean_sentence(sasaran)
    generated: dict[str, list[str]] = {  # each a few sentences: cheap to make them all
        "kata_pengantar": narrative.kata_pengantar(
            office=full_name, analysis=analysis, written=None
        ),
        "ikhtisar_tujuan": narrative.ikhtisar_tujuan(analysis),
        "ikhtisar_kendala": narrative.ikhtisar_kendala(analysis),
        "ikhtisar_langkah": narrative.ikhtisar_langkah(analysis),
        "tugas_fungsi": narrative.tugas_fungsi(office_full_name=full_name),
        "isu_strategis": narrative.isu_strategis(analysis),
        "langkah_ke_depan": narrative.langkah_ke_depan(analysis),
    }
    return "\n".join(generated[section])


def _section_of(
    session: Session, *, actor: PersonView, cycle_id: int, number: int
) -> tuple[Cycle, Analysis, str]:
    """The latest cycle of the actor's office and its ``number``-th section, or a refusal."""
    cycle = latest_cycle(session, office_id=actor.office_id)
    if cycle.id != cycle_id:
        raise InvalidInput(INVALID_BUTTON)  # an older cycle's menu, or a forged press
    analysis = analyse_cycle(session, cycle=cycle, accepted_only=True)
    sections = _sections(analysis)
    if not 0 <= number < len(sections):
        raise InvalidInput(messages.UNKNOWN_SECTION)
    return cycle, analysis, sections[number]


def _require_editable(session: Session, *, cycle_id: int) -> None:
    """Refuse while a version of the report is under review or signed: it must not change."""
    for draft in session.exec(select(Draft).where(Draft.cycle_id == cycle_id)):
        status = DraftStatus(draft.status)
        if status in (DraftStatus.REVIEW_KASUBBAG, DraftStatus.REVIEW_SEKRETARIS) or (
            status in FINAL
        ):
            raise NotAllowed(messages.under_review(draft.version))


def narasi_command(*, db: Database, actor: PersonView) -> Reply:
    """/narasi: the sections of the latest cycle's report, as buttons."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        cycle = latest_cycle(session, office_id=actor.office_id)
        assert cycle.id is not None
        analysis = analyse_cycle(session, cycle=cycle, accepted_only=True)
        written = latest_texts(session, cycle_id=cycle.id)
        return messages.menu(
            cycle.id,
            [
                (number, section_label(key), key in written)
                for number, key in enumerate(_sections(analysis))
            ],
        )


def show_section(
    *, db: Database, actor: PersonView, cycle_id: int, number: int, tz: ZoneInfo
) -> Reply:
    """A section's current text: the latest version the team wrote, else the generated one."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        cycle, analysis, section = _section_of(
            session, actor=actor, cycle_id=cycle_id, number=number
        )
        versions = _versions(session, cycle_id=cycle_id, section=section)
        if versions:
            latest = versions[-1]
            author = session.get(Person, latest.author_person_id)
            return messages.current(
                cycle_id=cycle_id,
                number=number,
                label=section_label(section),
                text=latest.text,
                version=latest.version,
                author=author.name if author else None,
                written_at=latest.created_at,
                tz=tz,
            )
        office = load_office(session, cycle.office_id)
        return messages.current(
            cycle_id=cycle_id,
            number=number,
            label=section_label(section),
            text=_default_text(section, office=office, analysis=analysis),
            version=None,
            author=None,
            written_at=None,
            tz=tz,
        )


def begin_replace(
    *, db: Database, actor: PersonView, cycle_id: int, number: int, now: datetime
) -> Reply:
    """Ask for the section's new text (typed, or a .docx/.txt file)."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        _, _, section = _section_of(session, actor=actor, cycle_id=cycle_id, number=number)
        _require_editable(session, cycle_id=cycle_id)
        wait_for(
            session,
            person_id=actor.id,
            payload=NarrativeText(cycle=cycle_id, section=section),
            now=now,
        )
        session.commit()
    return messages.ask_text(section_label(section))


def record_text(
    *,
    db: Database,
    actor: PersonView,
    now: datetime,
    text: str | None = None,
    data: bytes | None = None,
    filename: str | None = None,
) -> Reply:
    """Keep the typed or uploaded text as the section's next version."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    written = text if text is not None else _file_text(data or b"", filename or "")
    written = "\n".join(line.rstrip() for line in written.strip().splitlines())
    if len(written) < messages.MIN_CHARS:
        raise InvalidInput(messages.TOO_SHORT)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=NarrativeText)
        if found is None:
            raise NotFound(messages.NOT_WRITING)
        pending, writing = found
        _require_editable(session, cycle_id=writing.cycle)
        row = add_version(
            session,
            cycle_id=writing.cycle,
            section=writing.section,
            text=written[:MAX_CHARS],
            author_id=actor.id,
            now=now,
        )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="narrative.written",
            object_type="cycle",
            object_id=writing.cycle,
            office_id=actor.office_id,
            details={"section": writing.section, "version": row.version, "file": data is not None},
        )
        session.delete(pending)
        session.commit()
        return messages.saved(section_label(writing.section), row.version)


def _file_text(data: bytes, filename: str) -> str:
    """The text of an uploaded .txt (UTF-8) or .docx, or a polite refusal."""
    if filename.lower().endswith(".txt"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(messages.UNREADABLE) from None
    if filename.lower().endswith(".docx"):
        from docx import Document  # loaded only when a .docx arrives
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = Document(BytesIO(data))
        except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
            raise InvalidInput(messages.UNREADABLE) from None
        return "\n".join(p.text for p in document.paragraphs)
    raise InvalidInput(messages.UNREADABLE)
