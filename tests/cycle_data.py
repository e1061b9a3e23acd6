"""Cycle data written straight into the database, to skip the SOP stages a test is not about."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Office, Submission

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

# What each unit wrote as the faktor pendukung (every indicator is asked, at or above 100 %).
PENDUKUNG = {
    "IK 1.1": "Koordinasi rutin dengan Disdukcapil dan PPS dalam rapat pleno bulanan.",
    "IK 1.2": "Jadwal penyusunan dokumen ditetapkan sejak Januari dan dipantau tiap bulan.",
    "IK 1.3": "Pendampingan dari KPU Provinsi Bengkulu dalam penyusunan dokumen SAKIP.",
    "IK 2.1": "Kerja sama dengan sekolah, kampus dan komunitas pemilih pemula.",
    "IK 2.2": "Layanan PPID daring yang memantau setiap permohonan sampai selesai.",
    "IK 3.1": "Rencana penarikan dana disusun per bulan dan direviu setiap triwulan.",
    "IK 3.2": "Reviu internal atas pertanggungjawaban belanja sebelum pemeriksaan.",
    "IK 3.3": "Aplikasi SAKTI sudah dipakai seluruh pengelola keuangan.",
    "IK 3.4": "Pencatatan BMN di aplikasi SIMAK diperbarui setiap ada mutasi barang.",
    "IK 4.1": "Konsultasi rancangan keputusan dengan Biro Hukum KPU RI sejak awal.",
    "IK 4.2": "Bimbingan teknis dan pelatihan daring bagi pegawai dari KPU RI.",
    "IK 4.3": "Pendampingan hukum oleh Kejaksaan Negeri Bengkulu melalui MoU.",
}


def _lines(office_code: str | None) -> Any:
    """Every cycle line with its indicator; only those of ``office_code`` when given."""
    query = select(CycleIndicator, Indicator).join(
        Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id)
    )
    if office_code is not None:
        query = (
            query.join(Cycle, col(Cycle.id) == col(CycleIndicator.cycle_id))
            .join(Office, col(Office.id) == col(Cycle.office_id))
            .where(Office.code == office_code)
        )
    return query


def accept_all(
    db: Database,
    *,
    person_id: int,
    skip: set[str] = frozenset(),  # type: ignore[assignment]
    office_code: str | None = None,
) -> None:
    """Put an accepted version on every line (of ``office_code``'s cycles, when given), as if
    units had answered and rendatin accepted."""
    now = datetime.now(UTC)
    with db.session() as session:
        for line, indicator in session.exec(_lines(office_code)):
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
                    pendukung=PENDUKUNG[indicator.code],
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


def ready_for_a_draft(
    db: Database,
    *,
    answered: set[str] = frozenset(),  # type: ignore[assignment]
    office_code: str | None = None,
) -> None:
    """Every indicator accepted (IK 2.3 marked "tidak ada data"), as after SOP step 2.

    ``answered``: indicators a test already had answered and accepted in chat;
    ``office_code``: the office whose cycle it is, when the database holds several.
    """
    accept_all(db, person_id=1, skip=answered, office_code=office_code)
    with db.session() as session:
        line, _ = session.exec(_lines(office_code).where(Indicator.code == "IK 2.3")).one()
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
