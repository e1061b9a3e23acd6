"""/kepatuhan's service on a real database: a cycle's audit trail, approvals and submissions.

January 2026 again: Isra Mi'raj on Friday 16 January, office hours 07:30–16:00 WIB.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.domain.errors import NotAllowed, NotFound
from bot.domain.organisation import OrganisationSpec
from bot.services.compliance import compliance_report, compliance_workbook
from bot.services.people import PersonView, find_by_telegram_id
from storage.db import Database
from storage.models import (
    Approval,
    AuditEvent,
    Cycle,
    CycleIndicator,
    Draft,
    Person,
    Submission,
    Unit,
)
from tests.reminder_data import (
    WIB,
    chat_of,
    import_pk,
    office_id,
    open_cycle,
    register_everyone,
    stored_file,
    wib,
)

NOW = wib(date(2026, 1, 30), 12)


def jan(day: int, hour: int, minute: int = 0) -> datetime:
    return wib(date(2026, 1, day), hour, minute)


def _event(db: Database, at: datetime, action: str, object_id: str, **details: Any) -> None:
    kind = action.split(".")[0] if action.startswith("submission") else None
    with db.session() as session:
        session.add(
            AuditEvent(
                office_id=office_id(db),
                at=at,
                actor="Fajar Ramadhan, S.Kom.",
                action=action,
                object_type=kind or ("draft" if ":" in object_id else "cycle"),
                object_id=object_id,
                details=details,
            )
        )
        session.commit()


def _person(db: Database, first_name: str) -> int:
    with db.session() as session:
        person = session.exec(select(Person).where(col(Person.name).startswith(first_name))).one()
        assert person.id is not None
        return person.id


def _view(name: str, db: Database) -> PersonView:
    view = find_by_telegram_id(db=db, telegram_user_id=chat_of(name))
    assert view is not None
    return view


def _submit(db: Database, cycle_id: int, unit: str, at: datetime, version: int = 1) -> list[int]:
    """Answer every line of ``unit`` at ``at``; return the submission ids."""
    ids = []
    with db.session() as session:
        lines = session.exec(
            select(CycleIndicator)
            .join(Unit, col(Unit.id) == col(CycleIndicator.unit_id))
            .where(CycleIndicator.cycle_id == cycle_id, Unit.code == unit)
        ).all()
        for line in lines:
            row = Submission(
                cycle_indicator_id=line.id or 0,
                version=version,
                realisasi=Decimal(1),
                penjelasan="-",
                source="chat",
                submitted_by_person_id=_person(db, "Dedi"),
                submitted_at=at,
            )
            session.add(row)
            session.flush()
            ids.append(row.id or 0)
        session.commit()
    return ids


def _draft(db: Database, cycle_id: int, version: int, file_id: int) -> int:
    with db.session() as session:
        draft = Draft(
            office_id=office_id(db),
            cycle_id=cycle_id,
            version=version,
            file_id=file_id,
            sha256="0" * 64,
            created_by_person_id=_person(db, "Fajar"),
            created_at=jan(26, 8),
        )
        session.add(draft)
        session.commit()
        assert draft.id is not None
        return draft.id


def _approval(
    db: Database,
    draft_id: int,
    stage: str,
    reviewer: str,
    decision: str,
    assigned: datetime,
    decided: datetime | None,
) -> None:
    with db.session() as session:
        session.add(
            Approval(
                office_id=office_id(db),
                draft_id=draft_id,
                stage=stage,
                reviewer_person_id=_person(db, reviewer),
                decision=decision,
                assigned_at=assigned,
                decided_at=decided,
                decided_by_person_id=_person(db, reviewer) if decided else None,
            )
        )
        session.commit()


@pytest.fixture
def trail_db(office_db: Database, example_spec: OrganisationSpec) -> Database:
    """The 2026 cycle through step 4 (signed), and a 2025 cycle that only sent its Nota Dinas."""
    db = office_db
    import_pk(db, example_spec)
    register_everyone(db)
    cycle = open_cycle(db, deadline=date(2026, 1, 28), sent_at=jan(19, 9))
    c = str(cycle)
    # Step 1 across the holiday and the weekend: 60 + 90 office minutes.
    _event(db, jan(15, 15), "cycle.drafted", c)
    _event(db, jan(19, 9), "cycle.sent", c)
    # Step 2: KUL in time (its correction later does not count), TEKNIS a day late,
    # HUKUM owes nothing (marked "tidak ada data"), RENDATIN in time.
    flagged = _submit(db, cycle, "KUL", jan(23, 14))
    _submit(db, cycle, "KUL", jan(29, 10), version=2)
    _submit(db, cycle, "TEKNIS", jan(29, 9))
    _submit(db, cycle, "RENDATIN", jan(22, 9))
    with db.session() as session:
        hukum = session.exec(select(Unit).where(Unit.code == "HUKUM")).one()
        for line in session.exec(select(CycleIndicator).where(CycleIndicator.unit_id == hukum.id)):
            line.status = "no_data"
            session.add(line)
        session.commit()
    _event(db, jan(21, 10), "submission.flagged", str(flagged[0]), version=1)
    # Step 3: version 1 returned by Agus after 90 minutes; version 2 initialled in 30 + 30.
    file_id = stored_file(db)
    first, second = _draft(db, cycle, 1, file_id), _draft(db, cycle, 2, file_id)
    _event(db, jan(27, 10), "draft.submitted", f"{c}:1", version=1)
    _approval(db, first, "kasubbag", "Rina", "approved", jan(27, 10), jan(27, 10, 20))
    _approval(db, first, "kasubbag", "Agus", "returned", jan(27, 10), jan(27, 11, 30))
    _event(db, jan(27, 11, 30), "draft.kasubbag.returned", f"{c}:1", version=1)
    _event(db, jan(28, 15, 30), "draft.submitted", f"{c}:2", version=2)
    _approval(db, second, "kasubbag", "Rina", "approved", jan(28, 15, 30), jan(28, 15, 40))
    _approval(db, second, "kasubbag", "Agus", "approved", jan(28, 15, 30), jan(29, 8))
    _event(db, jan(29, 8), "draft.initialled", f"{c}:2", version=2)
    # Step 4: signed in 25 minutes.
    _approval(db, second, "sekretaris", "Drs. Hendra", "approved", jan(29, 8), jan(29, 8, 25))
    _event(db, jan(29, 8, 25), "draft.signed", f"{c}:2", version=2)

    with db.session() as session:
        old = Cycle(
            office_id=office_id(db),
            year=2025,
            period="tahunan",
            status="closed",
            deadline=date(2025, 2, 10),
            created_by_person_id=_person(db, "Fajar"),
            created_at=wib(date(2025, 1, 30), 8),
            sent_at=wib(date(2025, 1, 30), 9),
        )
        cancelled = Cycle(
            office_id=office_id(db),
            year=2024,
            period="tahunan",
            status="cancelled",
            deadline=date(2024, 2, 10),
            created_by_person_id=_person(db, "Fajar"),
            created_at=wib(date(2024, 1, 30), 8),
        )
        session.add_all([old, cancelled])
        session.commit()
        old_id = old.id
    _event(db, wib(date(2025, 1, 30), 8), "cycle.drafted", str(old_id))
    _event(db, wib(date(2025, 1, 30), 9), "cycle.sent", str(old_id))
    return db


def test_the_report_measures_six_steps_from_the_database(trail_db: Database) -> None:
    report = compliance_report(
        db=trail_db, actor=_view("fajar", trail_db), year=None, now=NOW, tz=WIB
    )
    lines = report.text.split("\n")
    assert lines[0] == "📋 Kepatuhan SOP — Tahun 2026"
    steps = lines[1:7]
    assert steps[0].startswith("1. Kompilasi data (Nota Dinas, Rencana Aksi): 150 menit")
    # Step 2 ends with TEKNIS's data, a day after the deadline the office set.
    assert "8 hari kerja (standar 7 hari kerja) ⚠️" in steps[1]
    assert "1 data dikembalikan ke unit" in steps[1]
    teknis = "Sub Bagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat"
    assert f"terlambat: {teknis} (terlambat 1 hari kerja)" in steps[1]
    assert "Keuangan" not in steps[1] and "Hukum" not in steps[1]
    assert "150 menit (standar 60 menit) ⚠️; dikembalikan 1 kali" in steps[2]
    assert "terlambat: Agus Salim, S.IP. (versi 1, 90 menit)" in steps[2]
    assert "Rina" not in steps[2]  # Rina's 20 and 10 minutes, Agus's 60 on version 2: in time
    assert steps[3] == "4. Penandatanganan oleh Sekretaris: 25 menit (standar 30 menit) ✅"
    # Signed on Thursday 08:25 and not yet delivered: step 5 runs, already past its standard.
    assert steps[4] == (
        "5. Penyampaian ke Sekretaris KPU Provinsi: 725 menit (standar 30 menit) ⚠️ belum selesai"
    )
    assert steps[5] == "6. Pendokumentasian laporan kinerja: belum"
    # The comparison: the cancelled 2024 cycle never ran the SOP and is left out.
    assert "Tahun 2025: 1✅ 2⚠️ 3– 4– 5– 6–; pengembalian 0" in lines
    assert "Tahun 2026: 1⚠️ 2⚠️ 3⚠️ 4✅ 5⚠️ 6–; pengembalian 2" in lines
    assert not any("2024" in line for line in lines)
    assert len(report.charts) == 1 and report.charts[0][1].startswith(b"\x89PNG")
    sheets = load_workbook(io.BytesIO(report.workbook)).sheetnames
    assert sheets == ["Kepatuhan SOP", "Rincian", "Perbandingan"]


def test_the_workbook_of_one_year_is_built_without_telegram(trail_db: Database) -> None:
    data = compliance_workbook(trail_db, office_id(trail_db), 2026, now=NOW, tz=WIB)
    book = load_workbook(io.BytesIO(data))
    rows = [row for row in book["Kepatuhan SOP"].iter_rows(min_row=6, values_only=True)]
    steps = [row for row in rows if row[0] == 2026]
    assert [(row[2], row[7], row[10]) for row in steps] == [
        (1, 150, "selesai"),
        (2, 4080, "selesai"),  # Monday 19 January 09:00 to TEKNIS's data on the 29th
        (3, 150, "selesai"),
        (4, 25, "selesai"),
        (5, 725, "belum selesai"),
        (6, "belum", "belum"),
    ]
    assert steps[1][8] == 8  # working days
    comparison = list(book["Perbandingan"].iter_rows(min_row=6, values_only=True))
    assert comparison == [
        (2026, "Tahun 2026", 150, 8, 150, 25, 725, "belum", 1, 3, 2, "belum dikirim"),
    ]
    details = list(book["Rincian"].iter_rows(min_row=6, values_only=True))
    assert ("paraf versi 1", "Agus Salim, S.IP.", "dikembalikan", 90, "Ya") in [
        (row[3], row[4], row[7], row[8], row[9]) for row in details
    ]


def test_every_year_and_the_rights_to_see_them(trail_db: Database) -> None:
    everything = load_workbook(
        io.BytesIO(compliance_workbook(trail_db, office_id(trail_db), None, now=NOW, tz=WIB))
    )
    years = [row[0] for row in everything["Perbandingan"].iter_rows(min_row=6, values_only=True)]
    assert years == [2025, 2026]
    # The Sekretaris may look; a unit's staff may not.
    one_year = compliance_report(
        db=trail_db, actor=_view("hendra", trail_db), year=2025, now=NOW, tz=WIB
    )
    assert one_year.text.startswith("📋 Kepatuhan SOP — Tahun 2025")
    with pytest.raises(NotAllowed):
        compliance_report(db=trail_db, actor=_view("dedi", trail_db), year=None, now=NOW, tz=WIB)
    with pytest.raises(NotFound, match="Tahun yang tercatat: 2025, 2026"):
        compliance_report(db=trail_db, actor=_view("fajar", trail_db), year=2023, now=NOW, tz=WIB)


def test_an_office_without_cycles_is_told_to_start_one(office_db: Database) -> None:
    register_everyone(office_db)
    with pytest.raises(NotFound, match="/siklus"):
        compliance_report(db=office_db, actor=_view("fajar", office_db), year=None, now=NOW, tz=WIB)
    assert compliance_workbook(office_db, office_id(office_db), None, now=NOW, tz=WIB)
