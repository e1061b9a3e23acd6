"""/status stays within Telegram's limits for 10 units with 40 indicators each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import select

from bot.domain.organisation import OfficeSpec, OrganisationSpec, PersonSpec, UnitSpec
from bot.domain.performance import IndicatorSpec, PerjanjianKinerja, Polarity, Target
from bot.domain.roles import Role
from bot.services.organisation import import_organisation
from bot.services.people import list_people
from bot.services.perjanjian import import_perjanjian_kinerja
from bot.services.status import overview, unit_detail
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
LONG_NAME = "Persentase dokumen perencanaan, penganggaran dan pelaporan yang disusun tepat waktu dan lengkap"


def test_ten_units_of_forty_indicators_fit_in_messages_and_pages(db: Database) -> None:
    units = tuple(
        UnitSpec(
            code=f"U{n:02d}", name=f"Sub Bagian Nomor {n} dengan Nama yang Cukup Panjang", number=n
        )
        for n in range(1, 11)
    )
    spec = OrganisationSpec(
        office=OfficeSpec(
            code="kpu-uji",
            name="KPU Uji",
            city="Uji",
            address="Jl. Uji",
            region_code="9999",
            parent_office="KPU Provinsi Uji",
        ),
        units=units,
        people=(
            PersonSpec(
                nip="199001012020011001",
                name="Tim Uji",
                jabatan="Staf",
                unit="U01",
                roles=(Role.STAF, Role.RENDATIN),
            ),
        ),
    )
    import_organisation(db=db, spec=spec, now=NOW)
    indicators = tuple(
        IndicatorSpec(
            code=f"IK {u}.{i:02d}",
            sasaran_code=f"SS {u}",
            sasaran_name=f"Sasaran {u}",
            name=f"{LONG_NAME} {i}",
            satuan="persen",
            polarity=Polarity.HIGHER_IS_BETTER,
            target=Target.exactly(Decimal(100)),
            unit_code=f"U{u:02d}",
        )
        for u in range(1, 11)
        for i in range(1, 41)
    )
    import_perjanjian_kinerja(
        db=db, office_id=1, pk=PerjanjianKinerja(2026, indicators), now=NOW, actor="test"
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
