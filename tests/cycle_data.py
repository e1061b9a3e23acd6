"""Cycle data written straight into the database, to skip the SOP stages a test is not about."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import col, select

from storage.db import Database
from storage.models import CycleIndicator, Indicator, Submission

# realisasi per indicator; IK 2.3 is left out (rendatin marks it "tidak ada data").
VALUES = {
    "IK 1.1": "100",
    "IK 1.2": "3",
    "IK 1.3": "66.5",
    "IK 2.1": "10",
    "IK 2.2": "100",
    "IK 3.1": "96.5",
    "IK 3.2": "1",
    "IK 3.3": "4",
    "IK 3.4": "100",
    "IK 4.1": "100",
    "IK 4.2": "85",
    "IK 4.3": "90",
}


def accept_all(db: Database, *, person_id: int, skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Put an accepted version on every line, as if units had answered and rendatin accepted."""
    now = datetime.now(UTC)
    with db.session() as session:
        for line, indicator in session.exec(
            select(CycleIndicator, Indicator).join(
                Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id)
            )
        ):
            if indicator.code not in VALUES or indicator.code in skip:
                continue
            line.current_version = 1
            line.status = "accepted"
            session.add(
                Submission(
                    cycle_indicator_id=line.id,
                    version=1,
                    realisasi=Decimal(VALUES[indicator.code]),
                    penjelasan=f"Penjelasan {indicator.code}.",
                    kendala=f"Kendala {indicator.code}.",
                    upaya=f"Upaya {indicator.code}.",
                    source="chat",
                    submitted_by_person_id=person_id,
                    submitted_at=now,
                    status="accepted",
                    reviewed_at=now,
                )
            )
        session.commit()


def ready_for_a_draft(db: Database, *, answered: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Every indicator accepted (IK 2.3 marked "tidak ada data"), as after SOP step 2.

    ``answered``: indicators a test already had answered and accepted in chat.
    """
    accept_all(db, person_id=1, skip=answered)
    with db.session() as session:
        line = session.exec(
            select(CycleIndicator)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .where(Indicator.code == "IK 2.3")
        ).one()
        line.status = "no_data"
        line.no_data_reason = "Kegiatan ditunda ke tahun berikutnya."
        session.add(line)
        session.commit()


def submission_id(db: Database, code: str) -> int:
    """Return the id of the latest submission for indicator ``code``."""
    with db.session() as session:
        submission = session.exec(
            select(Submission)
            .join(CycleIndicator, col(CycleIndicator.id) == col(Submission.cycle_indicator_id))
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .where(Indicator.code == code)
            .order_by(col(Submission.version).desc())
        ).first()
        assert submission is not None and submission.id is not None
        return submission.id


def line_of(db: Database, code: str) -> int:
    """Return the id of the Rencana Aksi line for indicator ``code``."""
    with db.session() as session:
        line = session.exec(
            select(CycleIndicator)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .where(Indicator.code == code)
        ).one()
        assert line.id is not None
        return line.id
