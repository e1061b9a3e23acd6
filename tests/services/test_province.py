"""A province in one deployment: the child's report reaches the parent's provinsi people,
their Terima is reported back to the child, and /pantau shows the children's cycles."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.domain.errors import NotFound
from bot.domain.organisation import OrganisationSpec
from bot.messages import Reply
from bot.services import delivery
from bot.services.organisation import import_organisations
from bot.services.people import PersonView, find_by_telegram_id
from storage.models import ReportDelivery
from tests.cycle_data import ready_for_a_draft
from tests.province_data import PARENT_CODE, child_spec, parent_spec
from tests.services.steps import (
    KASUBBAG,
    LATER,
    WIB,
    Office,
    decide,
    make_draft,
    register,
    start_cycle,
    submit,
)

PARENT_PROVINSI = "19900000202000041"  # "Penerima Provinsi" of tests/province_data.py
PARENT_PROVINSI_CHAT = 7200
OTHER_PROVINSI_CHAT = 7300


@pytest.fixture
def province(office: Office, example_spec: OrganisationSpec) -> Office:
    """Make the example office a child of KPU Provinsi Uji, whose recipient is registered."""
    child = example_spec.model_copy(
        update={"office": example_spec.office.model_copy(update={"induk": PARENT_CODE})}
    )
    import_organisations(db=office.db, specs=[child, parent_spec()], now=LATER)
    register(office.db, nip=PARENT_PROVINSI, chat_id=PARENT_PROVINSI_CHAT)
    office.outbox.name(PARENT_PROVINSI_CHAT, "penerima")
    return office


def _parent_person(office: Office, chat: int = PARENT_PROVINSI_CHAT) -> PersonView:
    view = find_by_telegram_id(db=office.db, telegram_user_id=chat)
    assert view is not None
    return view


def _sign_and_send(office: Office) -> Reply:
    start_cycle(office)
    ready_for_a_draft(office.db)
    make_draft(office)
    submit(office)
    for name in KASUBBAG:
        decide(office, name, stage="kasubbag")
    decide(office, "hendra", stage="sekretaris")
    office.outbox.clear()
    return delivery.send_report(
        db=office.db,
        files=office.files,
        actor=office.person("fajar"),
        now=LATER,
        tz=WIB,
        pdf_copies=False,
    )


def _delivery_id(office: Office) -> int:
    with office.db.session() as session:
        found = session.exec(select(ReportDelivery)).one()
        assert found.id is not None
        return found.id


def test_the_report_reaches_the_parents_provinsi_beside_the_childs_own(province: Office) -> None:
    reply = _sign_and_send(province)

    assert "Suryadi, S.E." in reply.text and "Penerima Provinsi" in reply.text
    for recipient in ("suryadi", "penerima"):
        package = province.outbox.assert_sent_to(
            recipient, containing="KPU Kota Bengkulu menyampaikan Laporan Kinerja"
        )
        province.outbox.assert_buttons(package, [["✅ Terima"]])


def test_the_parents_terima_is_reported_to_the_childs_sekretaris_and_rendatin(
    province: Office,
) -> None:
    _sign_and_send(province)
    province.outbox.clear()

    reply = delivery.receive(
        db=province.db,
        files=province.files,
        actor=_parent_person(province),
        delivery_id=_delivery_id(province),
        now=LATER,
        tz=WIB,
    )

    assert reply.text.startswith("✅ Terima kasih.")
    for member in ("fajar", "hendra"):
        told = province.outbox.assert_sent_to(member, containing="📬 Laporan Kinerja Tahunan 2026")
        assert "Diterima oleh Penerima Provinsi" in told.text
    with province.db.session() as session:
        received = session.exec(select(ReportDelivery)).one()
    assert received.received_by_person_id == _parent_person(province).id


def test_a_provinsi_person_of_another_province_cannot_receive(province: Office) -> None:
    other = child_spec(1).model_copy(
        update={"office": child_spec(1).office.model_copy(update={"induk": None})}
    )
    with_recipient = other.model_copy(
        update={
            "people": (
                *other.people,
                parent_spec().people[3].model_copy(update={"nip": "19990000202000041"}),
            )
        }
    )
    import_organisations(db=province.db, specs=[with_recipient], now=LATER)
    register(province.db, nip="19990000202000041", chat_id=OTHER_PROVINSI_CHAT)
    _sign_and_send(province)
    province.outbox.clear()

    with pytest.raises(NotFound):
        delivery.receive(
            db=province.db,
            files=province.files,
            actor=_parent_person(province, OTHER_PROVINSI_CHAT),
            delivery_id=_delivery_id(province),
            now=LATER,
            tz=WIB,
        )
    province.outbox.assert_nothing_sent()
