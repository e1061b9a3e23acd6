"""Importing the Perjanjian Kinerja: idempotent, and never silently losing submitted data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import col, select

from bot.domain.errors import InvalidInput
from bot.domain.organisation import OrganisationSpec
from bot.domain.performance import IndicatorSpec, PerjanjianKinerja, Target
from bot.services.perjanjian import import_perjanjian_kinerja, indicator_spec
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Sasaran, Submission

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def _pk(spec: OrganisationSpec) -> PerjanjianKinerja:
    return spec.perjanjian_kinerja[0].to_domain()


def _import(db: Database, pk: PerjanjianKinerja) -> object:
    return import_perjanjian_kinerja(db=db, office_id=1, pk=pk, now=NOW, actor="test")


def _open_cycle_with_answer(db: Database, code: str) -> None:
    """Open a cycle and put one submission on indicator ``code``."""
    with db.session() as session:
        cycle = Cycle(
            office_id=1,
            year=2026,
            period="tahunan",
            status="open",
            deadline=NOW.date(),
            created_by_person_id=1,
            created_at=NOW,
        )
        session.add(cycle)
        session.flush()
        for indicator in session.exec(select(Indicator)):
            line = CycleIndicator(
                cycle_id=cycle.id,
                indicator_id=indicator.id,
                unit_id=indicator.unit_id,
                responsible="-",
                deadline=NOW.date(),
            )
            session.add(line)
            session.flush()
            if indicator.code == code:
                line.current_version = 1
                line.status = "submitted"
                session.add(
                    Submission(
                        cycle_indicator_id=line.id,
                        version=1,
                        realisasi=Decimal(90),
                        penjelasan="ok",
                        source="chat",
                        submitted_by_person_id=1,
                        submitted_at=NOW,
                    )
                )
        session.commit()


def test_import_creates_and_reimport_changes_nothing(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    first = _import(office_db, _pk(example_spec))
    assert len(first.created) == 13  # type: ignore[attr-defined]

    again = _import(office_db, _pk(example_spec))

    assert not again.changed  # type: ignore[attr-defined]
    assert again.summary() == "Perjanjian Kinerja 2026: tidak ada perubahan."  # type: ignore[attr-defined]
    with office_db.session() as session:
        ranged = session.exec(select(Indicator).where(Indicator.code == "IK 4.2")).one()
    assert (ranged.target_low, ranged.target_high) == (Decimal(80), Decimal(90))


def test_earlier_targets_and_the_national_standard_are_kept(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    pk = _pk(example_spec)
    _import(office_db, pk)

    with office_db.session() as session:
        stored = {
            indicator.code: indicator_spec(indicator, sasaran, "X")
            for indicator, sasaran in session.exec(
                select(Indicator, Sasaran).where(col(Sasaran.id) == col(Indicator.sasaran_id))
            )
        }
    for spec in pk.indicators:
        assert stored[spec.code].history_targets == spec.history_targets, spec.code
        assert stored[spec.code].national_standard == spec.national_standard, spec.code
    assert stored["IK 3.1"].national_standard is not None


def test_dropping_an_indicator_that_holds_data_is_refused_and_changes_nothing(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    pk = _pk(example_spec)
    _import(office_db, pk)
    _open_cycle_with_answer(office_db, "IK 3.1")
    without = replace(
        pk, indicators=tuple(i for i in pk.indicators if i.code not in {"IK 3.1", "IK 3.2"})
    )

    with pytest.raises(InvalidInput, match=r"IK 3\.1"):
        _import(office_db, without)

    with office_db.session() as session:
        assert all(i.active for i in session.exec(select(Indicator)))


def test_changes_during_an_open_cycle_are_reported_and_the_rencana_aksi_follows(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    pk = _pk(example_spec)
    _import(office_db, pk)
    _open_cycle_with_answer(office_db, "IK 3.1")
    changed = tuple(
        replace(i, target=Target.exactly(Decimal(98))) if i.code == "IK 3.1" else i
        for i in pk.indicators
        if i.code != "IK 3.2"  # no data yet: may go
    )
    added = IndicatorSpec(
        code="IK 3.5",
        sasaran_code="SS 3",
        sasaran_name=pk.indicators[6].sasaran_name,
        name="Jumlah arsip yang didigitalkan",
        satuan="dokumen",
        polarity=pk.indicators[0].polarity,
        target=Target.exactly(Decimal(500)),
        unit_code="KUL",
    )

    report = _import(office_db, replace(pk, indicators=(*changed, added)))

    assert report.targets_changed_with_data == ["IK 3.1"]  # type: ignore[attr-defined]
    assert report.removed == ["IK 3.2"]  # type: ignore[attr-defined]
    assert report.added_to_open_cycles == ["IK 3.5"]  # type: ignore[attr-defined]
    assert "Target berubah padahal unit sudah mengisi data" in report.summary()  # type: ignore[attr-defined]
    with office_db.session() as session:
        codes = {
            indicator.code
            for _line, indicator in session.exec(
                select(CycleIndicator, Indicator).join(
                    Indicator, Indicator.id == CycleIndicator.indicator_id
                )
            )
        }
    assert "IK 3.5" in codes and "IK 3.2" not in codes and "IK 3.1" in codes


def test_an_unknown_unit_is_refused(office_db: Database, example_spec: OrganisationSpec) -> None:
    pk = _pk(example_spec)
    wrong = replace(
        pk, indicators=(replace(pk.indicators[0], unit_code="HUMAS"), *pk.indicators[1:])
    )

    with pytest.raises(InvalidInput, match="HUMAS"):
        _import(office_db, wrong)
