"""Importing a province at once: parents stored before children, unknown parents refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.services.organisation import ParentProblems, export_organisation, import_organisations
from storage.db import Database
from storage.models import Office
from tests.province_data import PARENT_CODE, child_code, child_spec, parent_spec, province

NOW = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def _parents(db: Database) -> dict[str, str | None]:
    with db.session() as session:
        offices = list(session.exec(select(Office)))
    codes = {office.id: office.code for office in offices}
    return {office.code: codes.get(office.parent_id) for office in offices}


def test_children_listed_before_their_parent_are_linked_to_it(db: Database) -> None:
    reports = import_organisations(db=db, specs=province(2), now=NOW)

    assert [r.office_code for r in reports] == [child_code(1), child_code(2), PARENT_CODE]
    assert all(r.office_created for r in reports)
    assert _parents(db) == {
        PARENT_CODE: None,
        child_code(1): PARENT_CODE,
        child_code(2): PARENT_CODE,
    }


def test_reimporting_the_province_changes_nothing(db: Database) -> None:
    import_organisations(db=db, specs=province(2), now=NOW)

    reports = import_organisations(db=db, specs=list(reversed(province(2))), now=NOW)

    assert not any(r.changed for r in reports)


def test_a_child_alone_finds_its_parent_in_the_database(db: Database) -> None:
    import_organisations(db=db, specs=[parent_spec()], now=NOW)

    import_organisations(db=db, specs=[child_spec(3)], now=NOW)

    assert _parents(db)[child_code(3)] == PARENT_CODE


def test_an_unknown_parent_imports_nothing(db: Database) -> None:
    with pytest.raises(ParentProblems) as caught:
        import_organisations(db=db, specs=[child_spec(1), child_spec(2)], now=NOW)

    assert [index for index, _ in caught.value.problems] == [0, 1]
    assert PARENT_CODE in caught.value.problems[0][1]
    assert _parents(db) == {}


def test_the_export_names_the_parent(db: Database) -> None:
    import_organisations(db=db, specs=province(1), now=NOW)

    assert export_organisation(db=db, office_code=child_code(1)).office.induk == PARENT_CODE
    assert export_organisation(db=db, office_code=PARENT_CODE).office.induk is None
