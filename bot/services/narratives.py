"""The LKjIP's narrative sections the team writes (``/narasi``): read, replace, versioned.

Every text a rendatin member gives is kept as a new version of its section, with who wrote
it and when; the next draft shows the latest (bot.services.drafts.build_content). While a
version of the report is under review or signed, its text cannot change: the reviewers must
sign what they read.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import NarrativeVersion


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
