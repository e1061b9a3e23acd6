"""The review route resolved against the database: the default is the SOP's route exactly
(every Kasubbag or the pemaraf units', then the Sekretaris), a configured one its stages."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.approval_route import ReviewStageSpec
from bot.domain.organisation import OrganisationSpec
from bot.domain.roles import Role
from bot.services.common import sekretaris_of
from bot.services.organisation import import_organisation
from bot.services.review_route import (
    office_route,
    paraf_people,
    route_people,
    signer,
    stage_people,
)
from storage.db import Database
from storage.queries import office_by_code

NOW = datetime(2026, 1, 6, 1, 0, tzinfo=UTC)


def _stages(db: Database) -> list[tuple[str, bool, list[str]]]:
    with db.session() as session:
        office = office_by_code(session, code="kpu-kota-bengkulu")
        assert office is not None
        resolved = route_people(session, office=office, route=office_route(office))
        return [
            (item.stage.name, item.stage.signs, [p.name for p in item.people]) for item in resolved
        ]


def test_the_default_route_asks_whom_it_always_asked(office_db: Database) -> None:
    with office_db.session() as session:
        office = office_by_code(session, code="kpu-kota-bengkulu")
        assert office is not None and office.id is not None
        first = stage_people(session, office=office, stage=office_route(office).first)
        # The Kasubbag of the example's pemaraf units, in unit order, as always.
        assert [p.name for p in first] == [
            "Rina Marlina, S.E.",
            "Agus Salim, S.IP.",
            "Yulia Fitriani, S.T., M.M.",
            "Nurhayati, S.H.",
        ]
        before = [p.id for p in first]
        sekretaris = sekretaris_of(session, office_id=office.id)
        (paraf, signature) = route_people(session, office=office, route=office_route(office))
        assert [p.id for p in paraf.people] == before
        assert [p.id for p in paraf_people(session, office=office)] == before
        assert signature.people == [sekretaris] and signer(session, office=office) == sekretaris
    assert [name for name, _, _ in _stages(office_db)] == ["kasubbag", "sekretaris"]


def test_a_pemaraf_list_keeps_only_its_units_in_unit_order(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    import_organisation(
        db=office_db, spec=example_spec.model_copy(update={"pemaraf": ("HUKUM", "KUL")}), now=NOW
    )

    assert _stages(office_db)[0] == ("kasubbag", False, ["Rina Marlina, S.E.", "Nurhayati, S.H."])


def test_a_configured_route_leaves_out_who_an_earlier_stage_asked(
    office_db: Database, example_spec: OrganisationSpec
) -> None:
    route = (
        ReviewStageSpec(name="ketua_tim", units=("RENDATIN",)),
        ReviewStageSpec(name="kasubbag", roles=(Role.KASUBBAG,)),
        ReviewStageSpec(name="plt", action="tanda_tangan", nips=("198011302006042002",)),
    )
    spec = example_spec.model_copy(update={"pemaraf": (), "review_route": route})
    import_organisation(db=office_db, spec=spec, now=NOW)

    assert _stages(office_db) == [
        ("ketua_tim", False, ["Yulia Fitriani, S.T., M.M."]),
        ("kasubbag", False, ["Rina Marlina, S.E.", "Agus Salim, S.IP.", "Nurhayati, S.H."]),
        # The signature stage is not thinned: a Plt. who initialled may still sign.
        ("plt", True, ["Yulia Fitriani, S.T., M.M."]),
    ]
