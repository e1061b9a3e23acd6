"""The stored budget: each line's sasaran round-trips, and a code the stored PK lacks is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.domain.budget import BudgetLine
from bot.domain.errors import InvalidInput
from bot.domain.organisation import OrganisationSpec
from bot.services.analysis import budget_of
from bot.services.budget import import_budget
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def _import(db: Database, lines: tuple[BudgetLine, ...]) -> str:
    return import_budget(db=db, office_id=1, year=2026, lines=lines, now=NOW, actor="test")


def _stored(db: Database) -> tuple[BudgetLine, ...]:
    with db.session() as session:
        return budget_of(session, office_id=1, year=2026)


def _example_budget(spec: OrganisationSpec) -> tuple[BudgetLine, ...]:
    return spec.anggaran[0].to_domain()


def test_the_sasaran_of_each_line_round_trip(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    lines = (
        *_example_budget(example_spec),
        BudgetLine("P", "Bersama", Decimal(1), Decimal(1), ("SS 1", "SS 3")),
    )

    summary = _import(office_db, lines)

    assert _stored(office_db) == lines
    assert [line.sasaran_codes for line in _stored(office_db)][-2:] == [("SS 2",), ("SS 1", "SS 3")]
    assert "6 kegiatan dipetakan ke sasaran strategis, 1 kegiatan dukungan manajemen" in summary
    # No PK stored for 2026 yet: the codes are kept, and the summary says they are unchecked.
    assert summary.endswith(
        "\n⚠️ Kode sasaran belum dapat diperiksa karena Perjanjian Kinerja 2026 belum diimpor; "
        "kode yang tidak ada dalam Perjanjian Kinerja akan disebut di Bab III LKjIP dan "
        "kegiatannya dihitung sebagai dukungan manajemen."
    )
    # The same amounts with another map is a change, and imported as one.
    remapped = (replace(lines[0], sasaran_codes=("SS 4",)), *lines[1:])
    assert _import(office_db, lines).startswith("Anggaran 2026: tidak ada perubahan")
    assert _import(office_db, remapped).startswith("Anggaran 2026 diimpor")
    assert _stored(office_db)[0].sasaran_codes == ("SS 4",)


def test_a_sasaran_the_stored_pk_lacks_is_refused_and_nothing_changes(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    import_perjanjian_kinerja(
        db=office_db,
        office_id=1,
        pk=example_spec.perjanjian_kinerja[0].to_domain(),
        now=NOW,
        actor="test",
    )
    lines = _example_budget(example_spec)
    assert "⚠️" not in _import(office_db, lines)  # checked against the stored PK
    wrong = (*lines[:-1], replace(lines[-1], sasaran_codes=("SS 2", "SS 9")))

    with pytest.raises(InvalidInput) as refused:
        _import(office_db, wrong)

    assert str(refused.value) == (
        "Berkas anggaran belum dapat diimpor; tidak ada yang diubah:\n"
        "Sosialisasi, pendidikan pemilih dan partisipasi masyarakat (Program Penyelenggaraan "
        "Pemilu dan Pemilihan): sasaran SS 9 tidak ada dalam Perjanjian Kinerja 2026 "
        "(sasarannya: SS 1, SS 2, SS 3, SS 4); perbaiki kodenya, atau kosongkan bila kegiatan "
        "ini dukungan manajemen untuk seluruh sasaran."
    )
    assert _stored(office_db) == lines
