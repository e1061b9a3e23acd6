"""The office's review route resolved to people: who initials in each stage, who signs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.domain.approval_route import ReviewRoute, ReviewStageSpec, RouteStage, review_route
from bot.domain.roles import Role
from bot.services.common import sekretaris_of, unit_heads
from storage.models import Office, Person
from storage.queries import active_people_by_nip, active_people_with_role, units_of_office


@dataclass(frozen=True)
class StagePeople:
    """A stage of the route and the people who decide in it."""

    stage: RouteStage
    people: list[Person]


def office_route(office: Office) -> ReviewRoute:
    """The office's route: its ``review_route:`` setting, or every Kasubbag then the Sekretaris."""
    settings = office.settings
    stages = [ReviewStageSpec.model_validate(stage) for stage in settings.get("review_route", [])]
    return review_route(stages, pemaraf=settings.get("pemaraf") or ())


def _unit_heads(session: Session, *, office: Office, codes: set[str] | None) -> list[Person]:
    """The Kasubbag of the office's active units (of ``codes``; all when None), by unit number."""
    assert office.id is not None
    heads = unit_heads(session, office_id=office.id)  # two statements, whatever the size
    return [
        heads[unit.id]
        for unit in units_of_office(session, office_id=office.id)
        if unit.active and (codes is None or unit.code in codes) and unit.id in heads
    ]


def stage_people(session: Session, *, office: Office, stage: RouteStage) -> list[Person]:
    """Who decides in ``stage``: its units' Kasubbag, then its roles, then its NIPs, once each."""
    assert office.id is not None
    found: list[Person] = []
    if stage.units:
        found += _unit_heads(session, office=office, codes=set(stage.units))
    for role in stage.roles:
        if role is Role.KASUBBAG:
            found += _unit_heads(session, office=office, codes=None)
        elif role is Role.SEKRETARIS:
            sekretaris = sekretaris_of(session, office_id=office.id)
            found += [sekretaris] if sekretaris is not None else []
        else:
            found += active_people_with_role(session, office_id=office.id, role=role.value)
    found += active_people_by_nip(session, office_id=office.id, nips=list(stage.nips))
    people: dict[int, Person] = {}
    for person in found:
        assert person.id is not None
        people.setdefault(person.id, person)
    return list(people.values())


def route_people(session: Session, *, office: Office, route: ReviewRoute) -> list[StagePeople]:
    """Every stage with its people; a paraf stage leaves out who an earlier stage asked."""
    asked: set[int] = set()
    resolved = []
    for stage in route.stages:
        people = stage_people(session, office=office, stage=stage)
        if not stage.signs:
            people = [person for person in people if person.id not in asked]
            asked.update(person.id for person in people if person.id is not None)
        resolved.append(StagePeople(stage, people))
    return resolved


def people_of_stage(
    session: Session, *, office: Office, route: ReviewRoute, stage: RouteStage
) -> list[Person]:
    """Who decides in ``stage`` of ``route`` (earlier stages' people left out, as above)."""
    return next(
        (
            item.people
            for item in route_people(session, office=office, route=route)
            if item.stage == stage
        ),
        [],
    )


def paraf_people(session: Session, *, office: Office) -> list[Person]:
    """Everyone who initials the office's drafts, stage after stage (the lembar paraf)."""
    route = office_route(office)
    return [
        person
        for item in route_people(session, office=office, route=route)
        if not item.stage.signs
        for person in item.people
    ]


def signer(session: Session, *, office: Office) -> Person | None:
    """Who signs the office's reports: the first person of the route's signature stage."""
    route = office_route(office)
    people = stage_people(session, office=office, stage=route.signature)
    return people[0] if people else None
