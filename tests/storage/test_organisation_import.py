"""Importing the organisation file: idempotent, matched by NIP, never deleting anyone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.domain.organisation import OrganisationSpec, PersonSpec, UnitSpec
from bot.domain.roles import Role
from bot.services.audit import events
from bot.services.organisation import export_organisation, import_organisation
from bot.services.people import list_people
from storage.db import Database
from storage.models import Office, Person, PersonRole, Unit

LATER = datetime(2026, 2, 1, 2, 0, tzinfo=UTC)


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    with db.session() as session:
        people = [
            (p.nip, p.name, p.jabatan, p.unit_id, p.active) for p in session.exec(select(Person))
        ]
        roles = [(r.person_id, r.role) for r in session.exec(select(PersonRole))]
        units = [(u.code, u.name, u.number, u.active) for u in session.exec(select(Unit))]
    return sorted(people) + sorted(roles) + sorted(units)  # type: ignore[return-value]


def test_first_import_creates_office_units_and_people(office_db: Database) -> None:
    people = list_people(db=office_db)

    assert len(people) == 11
    yulia = next(p for p in people if p.nip == "198011302006042002")
    assert yulia.roles == {Role.KASUBBAG, Role.RENDATIN}
    assert yulia.unit_code == "RENDATIN"
    assert not yulia.registered


def test_reimporting_the_same_file_changes_nothing(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    before = _snapshot(office_db)
    with office_db.session() as session:
        audit_before = len(events(session))

    report = import_organisation(db=office_db, spec=example_spec, now=LATER)

    assert not report.changed
    assert report.summary() == "kpu-kota-bengkulu: tidak ada perubahan."
    assert _snapshot(office_db) == before
    with office_db.session() as session:
        assert len(events(session)) == audit_before


def test_reimport_updates_by_nip_and_deactivates_the_removed(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    people = list(example_spec.people)
    removed = people.pop(2)  # Dedi, staf KUL
    people[0] = people[0].model_copy(update={"jabatan": "Sekretaris (Plt.)"})
    people.append(
        PersonSpec(
            nip="200001012025011001",
            name="Putri Lestari",
            jabatan="Staf",
            unit="KUL",
            roles=(Role.STAF,),
        )
    )
    people[5] = people[5].model_copy(update={"roles": (Role.STAF,)})  # Fajar loses rendatin+admin
    spec = example_spec.model_copy(update={"people": tuple(people)})

    report = import_organisation(db=office_db, spec=spec, now=LATER)

    assert report.deactivated == [f"{removed.name} ({removed.nip})"]
    assert any("Putri Lestari" in item for item in report.created)
    assert len(report.updated) == 2
    by_nip = {p.nip: p for p in list_people(db=office_db)}
    assert by_nip[removed.nip].active is False  # still there: history points at him
    assert by_nip[people[0].nip].jabatan == "Sekretaris (Plt.)"
    assert by_nip[people[5].nip].roles == {Role.STAF}
    with office_db.session() as session:
        audit = events(session, action="organisation.imported")
    assert len(audit) == 2 and audit[-1].details["deactivated"] == report.deactivated

    # Putting him back reactivates the same row.
    again = import_organisation(db=office_db, spec=example_spec, now=LATER)
    assert again.reactivated == [f"{removed.name} ({removed.nip})"]
    assert {p.nip: p for p in list_people(db=office_db)}[removed.nip].active


def test_removed_unit_is_deactivated_not_deleted(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    spec = example_spec.model_copy(
        update={
            "units": (
                *example_spec.units[:3],
                UnitSpec(code="HUKUM", name="Sub Bagian Hukum", number=4),
            ),
        }
    )
    assert import_organisation(db=office_db, spec=spec, now=LATER).updated == ["unit HUKUM"]

    without = example_spec.model_copy(
        update={
            "units": example_spec.units[:3],
            "people": tuple(p for p in example_spec.people if p.unit != "HUKUM"),
        }
    )
    report = import_organisation(db=office_db, spec=without, now=LATER)

    assert "unit HUKUM" in report.deactivated
    with office_db.session() as session:
        hukum = session.exec(select(Unit).where(Unit.code == "HUKUM")).one()
    assert hukum.active is False


def test_export_gives_back_what_was_imported(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    exported = export_organisation(db=office_db, office_code="kpu-kota-bengkulu")

    assert exported.office == example_spec.office
    assert exported.units == example_spec.units
    assert exported.letter_number == example_spec.letter_number
    assert exported.category_scale == example_spec.category_scale
    assert exported.office_hours == example_spec.office_hours
    assert exported.renstra == example_spec.renstra
    assert sorted(exported.people, key=lambda p: p.nip) == sorted(
        (p.model_copy(update={"roles": tuple(sorted(p.roles))}) for p in example_spec.people),
        key=lambda p: p.nip,
    )


def test_an_office_s_own_settings_are_stored_and_exported_back(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    own = example_spec.office.model_copy(
        update={"timezone": "WITA", "admin_chat_id": -100123, "templates_dir": "/srv/kop"}
    )
    import_organisation(
        db=office_db, spec=example_spec.model_copy(update={"office": own}), now=LATER
    )

    exported = export_organisation(db=office_db, office_code="kpu-kota-bengkulu")
    assert exported.office == own
    again = import_organisation(db=office_db, spec=exported, now=LATER)
    assert not again.changed


def test_the_signature_image_is_kept_in_the_settings_and_exported(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    office = example_spec.office.model_copy(update={"tanda_tangan": "/srv/lapkin/ttd.png"})
    import_organisation(
        db=office_db, spec=example_spec.model_copy(update={"office": office}), now=LATER
    )

    with office_db.session() as session:
        stored = session.exec(select(Office)).one()
    assert stored.settings["tanda_tangan"] == "/srv/lapkin/ttd.png"
    exported = export_organisation(db=office_db, office_code="kpu-kota-bengkulu")
    assert exported.office.tanda_tangan == "/srv/lapkin/ttd.png"
