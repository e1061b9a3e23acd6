"""A province in one deployment: the child's report reaches the parent's provinsi people,
their Terima is reported back to the child, and /pantau shows the children's cycles."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.domain.errors import NotAllowed, NotFound
from bot.domain.organisation import OrganisationSpec
from bot.messages import Reply
from bot.messages import archive as archive_say
from bot.services import archive, delivery, pantau, reminder_sweep
from bot.services.organisation import import_organisations
from bot.services.people import PersonView, find_by_telegram_id
from storage.models import ReportDelivery
from tests.province_data import PARENT_CODE, child_spec, parent_spec
from tests.reminder_data import wib
from tests.services.steps import (
    LATER,
    SIGNING,
    WIB,
    Office,
    register,
    sign,
    start_cycle,
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
    """Steps 1–5: signed once the year is over, the Surat Pengantar approved by the Sekretaris."""
    sign(office)
    delivery.send_report(
        db=office.db,
        files=office.files,
        actor=office.person("fajar"),
        now=SIGNING,
        tz=WIB,
        pdf_copies=False,
    )
    with office.db.session() as session:
        prepared = session.exec(select(ReportDelivery)).one()
    assert prepared.id is not None
    return delivery.approve_letter(
        db=office.db,
        files=office.files,
        actor=office.person("hendra"),
        delivery_id=prepared.id,
        now=SIGNING,
        tz=WIB,
    )


def _receive(office: Office) -> Reply:
    """The parent's provinsi recipient presses Terima on the report."""
    return delivery.receive(
        db=office.db,
        files=office.files,
        actor=_parent_person(office),
        delivery_id=_delivery_id(office),
        now=SIGNING,
        tz=WIB,
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

    reply = _receive(province)

    assert reply.text.startswith("✅ Terima kasih.")
    for member in ("fajar", "hendra"):
        told = province.outbox.assert_sent_to(member, containing="📬 Laporan Kinerja Tahun 2026")
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


def _pantau(office: Office, viewer: PersonView) -> pantau.ProvinceReport:
    return pantau.pantau(db=office.db, actor=viewer, year=2026, now=SIGNING, tz=WIB)


def test_pantau_shows_each_child_with_its_state_the_chart_and_the_workbook(
    province: Office,
) -> None:
    import_organisations(db=province.db, specs=[child_spec(1)], now=LATER)
    _sign_and_send(province)
    _receive(province)
    province.outbox.clear()

    report = _pantau(province, _parent_person(province))

    text = report.text
    assert text.startswith("🗺️ Pantauan Laporan Kinerja Tahun 2026 — KPU Provinsi Uji")
    assert "2 kabupaten/kota · 1 laporan diterima · 0 terlambat" in text
    assert "✅ KPU Kota Bengkulu: diterima" in text
    assert "terjawab 100%, diterima 100% dari 13 indikator" in text
    assert "konsep versi 1; paraf/tanda tangan 5/5" in text
    assert "• KPU Kabupaten Uji 1: belum memulai siklus" in text
    assert report.chart.startswith(b"\x89PNG")
    workbook = load_workbook(BytesIO(report.workbook))
    progress = workbook["Kemajuan"]
    rows = [[cell.value for cell in row] for row in progress.iter_rows(min_row=5)]
    assert [row[0] for row in rows] == ["KPU Kabupaten Uji 1", "KPU Kota Bengkulu"]
    assert rows[1][2] == "diterima" and rows[1][5] == 100
    steps = workbook["Waktu SOP"]
    assert [cell.value for cell in steps[4]][3:] == ["KPU Kabupaten Uji 1", "KPU Kota Bengkulu"]
    assert steps["D5"].value == "belum mulai"
    province.outbox.assert_nothing_sent()  # reading changes nothing and tells nobody


def test_the_parents_sekretaris_may_look_a_childs_rendatin_may_not(province: Office) -> None:
    sekretaris = find_by_telegram_id(db=province.db, telegram_user_id=7201)
    assert sekretaris is None  # not registered: register the parent's Sekretaris
    register(province.db, nip="19900000202000011", chat_id=7201)
    sekretaris = find_by_telegram_id(db=province.db, telegram_user_id=7201)
    assert sekretaris is not None

    assert "KPU Kota Bengkulu" in _pantau(province, sekretaris).text
    with pytest.raises(NotAllowed, match="tidak membawahi kabupaten/kota"):
        _pantau(province, province.person("fajar"))
    with pytest.raises(NotAllowed, match="hanya untuk penerima di KPU Provinsi"):
        _pantau(province, province.person("rina"))  # a Kasubbag: not a viewer at all


def test_the_provinsi_is_reminded_daily_of_a_child_past_its_batas_kirim(
    province: Office,
) -> None:
    start_cycle(province)
    province.outbox.clear()
    before = wib(date(2027, 1, 29), 9)  # the annual 2026 report is due 31 January 2027
    after = wib(date(2027, 2, 1), 9)

    reminder_sweep.sweep(db=province.db, now=before, tz=WIB)
    assert not [m for m in province.outbox.messages() if m.to == "penerima"]
    reminder_sweep.sweep(db=province.db, now=after, tz=WIB)
    reminder_sweep.sweep(db=province.db, now=after + timedelta(hours=1), tz=WIB)

    told = [m for m in province.outbox.messages() if m.to == "penerima"]
    assert len(told) == 1  # once a day
    assert "Laporan Kinerja Tahun 2026 yang belum dikirim melewati batas kirim" in told[0].text
    assert "KPU Kota Bengkulu (batas kirim Minggu, 31 Januari 2027; pengumpulan data)" in (
        told[0].text
    )
    assert not [
        m for m in province.outbox.messages() if "batas kirim" in m.text and m.to != "penerima"
    ]


def test_the_parents_archive_lists_the_reports_received_per_office_and_year(
    province: Office,
) -> None:
    register(province.db, nip="19900000202000011", chat_id=7201)  # the parent's Sekretaris
    sekretaris = find_by_telegram_id(db=province.db, telegram_user_id=7201)
    assert sekretaris is not None
    _sign_and_send(province)
    assert archive.browse_years(db=province.db, actor=sekretaris) == archive_say.NOTHING_ARCHIVED
    _receive(province)

    years = archive.browse_years(db=province.db, actor=sekretaris)
    listed = archive.browse(db=province.db, actor=sekretaris, year=2026, words="", tz=WIB)

    assert years.keyboard is not None and [b.text for row in years.keyboard for b in row] == [
        "2026"
    ]
    assert "📥 Laporan diterima dari kabupaten/kota:" in listed.text
    assert (
        "• KPU Kota Bengkulu: Laporan Kinerja Tahun 2026, diterima 4 Januari 2027 pukul 10.00 WIB "
        "oleh Penerima Provinsi"
    ) in listed.text
