"""/status stays within Telegram's limits for 10 units with 40 indicators each."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from bot.services.organisation import import_organisation
from bot.services.people import list_people
from bot.services.perjanjian import import_perjanjian_kinerja
from bot.services.status import overview, unit_detail
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator
from tests.office_data import office_spec, perjanjian_kinerja

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
LONG_NAME = "Persentase dokumen perencanaan, penganggaran dan pelaporan yang disusun tepat waktu dan lengkap"


def test_ten_units_of_forty_indicators_fit_in_messages_and_pages(db: Database) -> None:
    import_organisation(
        db=db,
        spec=office_spec(10, unit_name="Sub Bagian Nomor {n} dengan Nama yang Cukup Panjang"),
        now=NOW,
    )
    import_perjanjian_kinerja(
        db=db,
        office_id=1,
        pk=perjanjian_kinerja(2026, units=10, per_unit=40, name=LONG_NAME),
        now=NOW,
        actor="test",
    )
    with db.session() as session:
        cycle = Cycle(
            office_id=1,
            year=2026,
            period="tahunan",
            status="open",
            deadline=date(2026, 12, 4),
            created_by_person_id=1,
            created_at=NOW,
        )
        session.add(cycle)
        session.flush()
        for indicator in session.exec(select(Indicator)):
            session.add(
                CycleIndicator(
                    cycle_id=cycle.id,
                    indicator_id=indicator.id,
                    unit_id=indicator.unit_id,
                    responsible="-",
                    deadline=cycle.deadline,
                    status="submitted",
                    current_version=1,
                )
            )
        session.commit()
    (actor,) = list_people(db=db)

    summary = overview(db=db, actor=actor, today=date(2026, 12, 10))

    assert len(summary.text) <= 4096
    assert "Jumlah: 400/400 indikator terisi." in summary.text
    assert sum(len(row) for row in summary.keyboard) <= 100
    for unit_id in range(1, 11):
        pages = []
        for page in range(4):
            answer = unit_detail(
                db=db, actor=actor, cycle_id=1, unit_id=unit_id, page=page, today=date(2026, 12, 10)
            )
            assert len(answer.text) <= 4096
            assert all(len((b.data or "").encode()) <= 64 for row in answer.keyboard for b in row)
            pages.append(answer.text)
        shown = [line for text in pages for line in text.splitlines() if line.startswith("✅ IK")]
        assert len(shown) == 40 and len(set(shown)) == 40
