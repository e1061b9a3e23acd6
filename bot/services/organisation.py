"""Import and export the organisation file: office, units, people and their roles."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete

from bot.domain.approval_route import ReviewStageSpec
from bot.domain.category_scale import CategoryBand
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.organisation import (
    OFFICE_SETTINGS,
    LetterNumberSpec,
    OfficeHoursSpec,
    OfficeSpec,
    OrganisationSpec,
    PersonSpec,
    ReminderSpec,
    SubmissionDeadlineSpec,
    UnitSpec,
    full_office_name,
    parent_problems,
    parents_first,
)
from bot.domain.renstra import Renstra
from bot.domain.renstra_spec import RenstraEntry
from bot.domain.roles import Role
from bot.messages import office as messages
from bot.services.audit import record_event
from storage.db import Database
from storage.models import Office, Person, PersonRole, Unit
from storage.queries import all_offices, office_by_code, people_of_office, roles_of, units_of_office


@dataclass
class ImportReport:
    """What an import changed; an identical re-import reports nothing."""

    office_code: str
    office_created: bool = False
    office_updated: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Tell whether anything in the database changed."""
        return bool(
            self.office_created
            or self.office_updated
            or self.created
            or self.updated
            or self.deactivated
            or self.reactivated
        )

    def summary(self) -> str:
        """Describe the changes in a few lines for the CLI."""
        return messages.import_summary(
            self.office_code,
            changed=self.changed,
            office_created=self.office_created,
            created=self.created,
            updated=self.updated,
            deactivated=self.deactivated,
            reactivated=self.reactivated,
        )


def _office_settings(spec: OrganisationSpec) -> dict[str, Any]:
    route = {"review_route": [stage.model_dump(mode="json") for stage in spec.review_route]}
    image = {"tanda_tangan": spec.office.tanda_tangan} if spec.office.tanda_tangan else {}
    return {
        "letter_number": spec.letter_number.model_dump(mode="json"),
        "category_scale": [band.model_dump(mode="json") for band in spec.category_scale],
        "office_hours": spec.office_hours.model_dump(mode="json"),
        "pemaraf": list(spec.pemaraf),
        "pengingat": spec.pengingat.model_dump(mode="json"),
        "batas_kirim": spec.batas_kirim.model_dump(mode="json"),
        # Only when configured, so the settings of an office on the default route stay as
        # they were (a re-import changes nothing).
        **(route if spec.review_route else {}),
        # The office's own deployment settings, only those it sets (the rest: the
        # deployment's), so an office that sets none keeps the settings it had.
        **{
            name: value
            for name in OFFICE_SETTINGS
            if (value := getattr(spec.office, name)) is not None
        },
        **image,
        **_cover_settings(spec),
        # Kept as written, only when the file has one (bot.domain.renstra_spec).
        **({"renstra": spec.renstra.as_written()} if spec.renstra else {}),
    }


def _cover_settings(spec: OrganisationSpec) -> dict[str, Any]:
    """The LKjIP cover's full name and logo, only when the file gives them.

    The logo's bytes are kept (base64) with the path as written: the report is rendered where
    the organisation file may no longer be.
    """
    cover: dict[str, Any] = {}
    if spec.office.full_name:
        cover["full_name"] = spec.office.full_name
    if spec.office.logo:
        try:
            data = Path(spec.office.logo).read_bytes()
        except OSError:
            data = b""  # checked at load (bot.orgfile); gone since: the cover goes without
        if data:
            cover["logo"] = {"file": spec.office.logo, "data": base64.b64encode(data).decode()}
    return cover


def office_logo(office: Office) -> bytes | None:
    """The office's logo image for the LKjIP cover, None when it has none."""
    logo = office.settings.get("logo")
    return base64.b64decode(logo["data"]) if logo else None


def office_renstra_entry(office: Office) -> RenstraEntry | None:
    """The office's Renstra as its organisation file wrote it, None when it has none."""
    written = office.settings.get("renstra")
    return RenstraEntry.model_validate(written) if written else None


def office_renstra(office: Office) -> Renstra | None:
    """The office's Renstra (LKjIP Bab II, and each indicator's path in Bab III.A)."""
    entry = office_renstra_entry(office)
    return entry.to_domain() if entry is not None else None


def office_full_name(office: Office) -> str:
    """The office's full name (organisation file ``office.full_name``, else from its name)."""
    return str(office.settings.get("full_name") or full_office_name(office.name))


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set attributes that differ; return whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


class ParentProblems(InvalidInput):
    """Offices imported together name parents (``induk``) that cannot be used.

    ``problems`` pairs the index of the file in the import with what is wrong with it.
    """

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def import_organisation(
    *, db: Database, spec: OrganisationSpec, now: datetime, actor: str = "cli"
) -> ImportReport:
    """Create or update the office of ``spec``; people are matched by NIP, never deleted."""
    return import_organisations(db=db, specs=[spec], now=now, actor=actor)[0]


def import_organisations(
    *, db: Database, specs: Sequence[OrganisationSpec], now: datetime, actor: str = "cli"
) -> list[ImportReport]:
    """Import several offices at once (a province), parents before their children.

    A kabupaten/kota names its KPU Provinsi by code (``induk``); the parent may be in the
    same import, in any order, or already in the database. An unknown parent, a code given
    twice or a cycle of parents raises ``ParentProblems`` and imports nothing. The reports
    come back in the order of ``specs``.
    """
    pairs = [(spec.office.code, spec.office.induk) for spec in specs]
    with db.session() as session:
        offices = all_offices(session)
        codes = {office.id: office.code for office in offices}
        stored = {office.code: codes.get(office.parent_id) for office in offices}
        problems = parent_problems(pairs, stored=stored)
        if problems:
            raise ParentProblems(problems)
        reports: dict[int, ImportReport] = {}
        for index in parents_first(pairs):
            reports[index] = _import_one(session, spec=specs[index], now=now, actor=actor)
        session.commit()
        return [reports[index] for index in range(len(specs))]


def _import_one(
    session: Session, *, spec: OrganisationSpec, now: datetime, actor: str
) -> ImportReport:
    report = ImportReport(office_code=spec.office.code)
    office = _upsert_office(session, spec=spec, now=now, report=report)
    assert office.id is not None
    units = _sync_units(session, office_id=office.id, specs=spec.units, report=report)
    _sync_people(session, office_id=office.id, specs=spec.people, units=units, report=report)
    if report.changed:
        record_event(
            session,
            now=now,
            actor=actor,
            action="organisation.imported",
            object_type="office",
            object_id=office.id,
            office_id=office.id,
            details={
                "created": report.created,
                "updated": report.updated,
                "deactivated": report.deactivated,
                "reactivated": report.reactivated,
            },
        )
    return report


def _upsert_office(
    session: Session, *, spec: OrganisationSpec, now: datetime, report: ImportReport
) -> Office:
    values = spec.office.model_dump(
        exclude={*OFFICE_SETTINGS, "induk", "tanda_tangan", "full_name", "logo"}
    )
    values["settings"] = _office_settings(spec)
    parent = office_by_code(session, code=spec.office.induk) if spec.office.induk else None
    values["parent_id"] = parent.id if parent is not None else None
    office = office_by_code(session, code=spec.office.code)
    if office is None:
        office = Office(**values, created_at=now, updated_at=now)
        session.add(office)
        session.flush()
        report.office_created = True
    elif _assign(office, values):
        office.updated_at = now
        report.office_updated = True
    return office


def _sync_units(
    session: Session, *, office_id: int, specs: tuple[UnitSpec, ...], report: ImportReport
) -> dict[str, Unit]:
    existing = {unit.code: unit for unit in units_of_office(session, office_id=office_id)}
    for unit_spec in specs:
        unit = existing.get(unit_spec.code)
        values: dict[str, Any] = {
            "name": unit_spec.name,
            "number": unit_spec.number,
            "active": True,
        }
        if unit is None:
            unit = Unit(office_id=office_id, code=unit_spec.code, **values)
            session.add(unit)
            existing[unit_spec.code] = unit
            report.created.append(f"unit {unit_spec.code}")
        else:
            was_active = unit.active
            if _assign(unit, values):
                target = report.updated if was_active else report.reactivated
                target.append(f"unit {unit_spec.code}")
    wanted = {unit_spec.code for unit_spec in specs}
    for code, unit in existing.items():
        if code not in wanted and unit.active:
            unit.active = False
            report.deactivated.append(f"unit {code}")
    session.flush()
    return existing


def _sync_people(
    session: Session,
    *,
    office_id: int,
    specs: tuple[PersonSpec, ...],
    units: dict[str, Unit],
    report: ImportReport,
) -> None:
    existing = {person.nip: person for person in people_of_office(session, office_id=office_id)}
    for person_spec in specs:
        values: dict[str, Any] = {
            "name": person_spec.name,
            "jabatan": person_spec.jabatan,
            "unit_id": units[person_spec.unit].id if person_spec.unit else None,
            "active": True,
        }
        label = f"{person_spec.name} ({person_spec.nip})"
        person = existing.get(person_spec.nip)
        if person is None:
            person = Person(office_id=office_id, nip=person_spec.nip, **values)
            session.add(person)
            session.flush()
            _sync_roles(session, person=person, roles=person_spec.roles)
            report.created.append(label)
            continue
        was_active = person.active
        fields_changed = _assign(person, values)
        roles_changed = _sync_roles(session, person=person, roles=person_spec.roles)
        if not was_active:
            report.reactivated.append(label)
        elif fields_changed or roles_changed:
            report.updated.append(label)
    wanted = {person_spec.nip for person_spec in specs}
    for nip, person in existing.items():
        if nip not in wanted and person.active:
            person.active = False
            report.deactivated.append(f"{person.name} ({nip})")


def _sync_roles(session: Session, *, person: Person, roles: tuple[Role, ...]) -> bool:
    assert person.id is not None
    current = set(roles_of(session, person_id=person.id))
    wanted = {role.value for role in roles}
    if current == wanted:
        return False
    stale = current - wanted
    if stale:
        session.execute(
            delete(PersonRole).where(
                col(PersonRole.person_id) == person.id, col(PersonRole.role).in_(stale)
            )
        )
    for role in sorted(wanted - current):
        session.add(PersonRole(person_id=person.id, role=role))
    return True


def export_organisation(*, db: Database, office_code: str) -> OrganisationSpec:
    """Read the office back as an organisation file (active units and people only)."""
    with db.session() as session:
        office = office_by_code(session, code=office_code)
        if office is None:
            raise NotFound(f"office '{office_code}' is not in the database")
        assert office.id is not None
        units = [u for u in units_of_office(session, office_id=office.id) if u.active]
        unit_codes = {unit.id: unit.code for unit in units}
        people = []
        for person in people_of_office(session, office_id=office.id):
            if not person.active:
                continue
            assert person.id is not None
            people.append(
                PersonSpec(
                    nip=person.nip,
                    name=person.name,
                    jabatan=person.jabatan,
                    unit=unit_codes.get(person.unit_id) if person.unit_id else None,
                    roles=tuple(Role(r) for r in roles_of(session, person_id=person.id)),
                )
            )
        settings = office.settings
        scale = tuple(CategoryBand.model_validate(b) for b in settings.get("category_scale", []))
        return OrganisationSpec(
            office=OfficeSpec(
                code=office.code,
                name=office.name,
                city=office.city,
                address=office.address,
                region_code=office.region_code,
                parent_office=office.parent_office,
                **{name: settings[name] for name in OFFICE_SETTINGS if name in settings},
                induk=_code_of(session, office.parent_id),
                tanda_tangan=settings.get("tanda_tangan"),
                full_name=settings.get("full_name"),
                logo=(settings.get("logo") or {}).get("file"),
            ),
            units=tuple(UnitSpec(code=u.code, name=u.name, number=u.number) for u in units),
            people=tuple(people),
            letter_number=LetterNumberSpec.model_validate(settings.get("letter_number", {})),
            category_scale=scale,
            office_hours=OfficeHoursSpec.model_validate(settings.get("office_hours", {})),
            pemaraf=tuple(settings.get("pemaraf", ())),
            review_route=tuple(
                ReviewStageSpec.model_validate(stage) for stage in settings.get("review_route", [])
            ),
            pengingat=ReminderSpec.model_validate(settings.get("pengingat", {})),
            batas_kirim=SubmissionDeadlineSpec.model_validate(settings.get("batas_kirim", {})),
            renstra=office_renstra_entry(office),
        )


def _code_of(session: Session, office_id: int | None) -> str | None:
    office = session.get(Office, office_id) if office_id is not None else None
    return office.code if office is not None else None
