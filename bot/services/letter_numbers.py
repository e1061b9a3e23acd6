"""Official letter numbers: taken from the office's sequence when a letter is sent.

The Nota Dinas (SOP step 1) and the Surat Pengantar (step 5) share one sequence per office,
classification and year; a number once given is never given again.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain.letter_numbers import draft_letter_number, format_letter_number
from bot.domain.organisation import LetterNumberSpec
from storage.models import LetterSequence, Office


def letter_spec(office: Office) -> LetterNumberSpec:
    """Return the office's letter-number pattern and classification."""
    return LetterNumberSpec.model_validate(office.settings.get("letter_number", {}))


def placeholder_number(office: Office, *, unit_number: int, year: int) -> str:
    """The number shown on a preview: the pattern without a sequence (none is taken)."""
    spec = letter_spec(office)
    return draft_letter_number(
        spec.pattern,
        classification=spec.classification,
        region=office.region_code,
        unit=unit_number,
        year=year,
    )


def next_letter_number(session: Session, *, office: Office, unit_number: int, year: int) -> str:
    """Take the next letter number for the office, classification and year (never reused)."""
    assert office.id is not None
    spec = letter_spec(office)
    key = (
        col(LetterSequence.office_id) == office.id,
        col(LetterSequence.classification) == spec.classification,
        col(LetterSequence.year) == year,
    )
    if session.exec(select(LetterSequence).where(*key)).first() is None:
        session.add(
            LetterSequence(office_id=office.id, classification=spec.classification, year=year)
        )
        session.flush()
    # An UPDATE takes the row lock, so two letters numbered at once get different numbers.
    session.execute(update(LetterSequence).where(*key).values(last_seq=LetterSequence.last_seq + 1))
    sequence = session.exec(select(LetterSequence).where(*key)).one()
    session.refresh(sequence)
    return format_letter_number(
        spec.pattern,
        seq=sequence.last_seq,
        classification=spec.classification,
        region=office.region_code,
        unit=unit_number,
        year=year,
    )
