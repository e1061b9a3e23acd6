"""Official letter numbers: taken from the office's sequence when a letter is sent.

Each kind of letter (bot.domain.organisation.LetterKind) is numbered by the office's
``letter_number`` settings: its own classification, document-type code and pattern where the
organisation file gives them. A sequence runs per office, sequence name and year; kinds share
one when their sequence names are equal (by default the classification, so a Nota Dinas and a
Surat Pengantar of one classification share, as before kinds existed). A number once given is
never given again.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain.letter_numbers import draft_letter_number, format_letter_number
from bot.domain.organisation import LetterFormat, LetterKind, LetterNumberSpec
from storage.models import LetterSequence, Office


def letter_format(office: Office, kind: LetterKind) -> LetterFormat:
    """Return how the office numbers ``kind``."""
    spec = LetterNumberSpec.model_validate(office.settings.get("letter_number", {}))
    return spec.format_of(kind)


def placeholder_number(office: Office, *, kind: LetterKind, unit_number: int, year: int) -> str:
    """The number shown on a preview: the pattern without a sequence (none is taken)."""
    letter = letter_format(office, kind)
    return draft_letter_number(
        letter.pattern,
        classification=letter.classification,
        type=letter.type,
        region=office.region_code,
        unit=letter.unit or unit_number,
        year=year,
    )


def next_letter_number(
    session: Session, *, office: Office, kind: LetterKind, unit_number: int, year: int
) -> str:
    """Take the next number of ``kind``'s sequence for the office and year (never reused).

    ``unit_number`` is the signing unit's code, used unless the kind has a fixed one.
    """
    assert office.id is not None
    letter = letter_format(office, kind)
    # The column is named for what it held before kinds: the sequence name defaults to it.
    key = (
        col(LetterSequence.office_id) == office.id,
        col(LetterSequence.classification) == letter.sequence,
        col(LetterSequence.year) == year,
    )
    if session.exec(select(LetterSequence).where(*key)).first() is None:
        session.add(LetterSequence(office_id=office.id, classification=letter.sequence, year=year))
        session.flush()
    # An UPDATE takes the row lock, so two letters numbered at once get different numbers.
    session.execute(update(LetterSequence).where(*key).values(last_seq=LetterSequence.last_seq + 1))
    sequence = session.exec(select(LetterSequence).where(*key)).one()
    session.refresh(sequence)
    return format_letter_number(
        letter.pattern,
        seq=sequence.last_seq,
        classification=letter.classification,
        type=letter.type,
        region=office.region_code,
        unit=letter.unit or unit_number,
        year=year,
    )
