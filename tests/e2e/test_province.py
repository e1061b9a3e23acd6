"""A province in one deployment, end to end: a KPU Provinsi and two kabupaten/kota.

One Telegram account is the provinsi recipient of the KPU Provinsi and of both kabupaten/kota
(invited by each office, linked on each link): both signed reports reach it once each, it
confirms both with Terima, each office is told; /pantau shows both with their states, and a
kabupaten/kota person is refused.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.context import LapkinApplication
from bot.domain.organisation import OrganisationSpec
from bot.services.organisation import import_organisations
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.models import Office
from tests.e2e.conftest import PEOPLE, MovableClock, invite, register
from tests.e2e.steps import (
    KASUBBAG,
    last,
    say,
    signed,
    tap,
)
from tests.province_data import PARENT_CODE, parent_spec
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e

BENGKULU = "kpu-kota-bengkulu"
SELUMA = "kpu-kabupaten-seluma"
PENERIMA = parent_spec().people[3].nip  # the KPU Provinsi's provinsi recipient
SURYADI = "197603032002121002"  # the kabupaten/kota's own provinsi recipient (example file)
TEAM = ("fajar", "hendra", *KASUBBAG)


def _seluma_nip(nip: str) -> str:
    return "2" + nip[1:]


@pytest.fixture
def province_db(pk_db: Database, example_spec: OrganisationSpec) -> Database:
    """KPU Provinsi Uji over KPU Kota Bengkulu and a copy of it, KPU Kabupaten Seluma."""
    bengkulu = example_spec.model_copy(
        update={"office": example_spec.office.model_copy(update={"induk": PARENT_CODE})}
    )
    seluma = example_spec.model_copy(
        update={
            "office": bengkulu.office.model_copy(
                update={"code": SELUMA, "name": "KPU Kabupaten Seluma", "region_code": "1705"}
            ),
            "people": tuple(
                p.model_copy(update={"nip": _seluma_nip(p.nip)}) for p in example_spec.people
            ),
        }
    )
    now = datetime.now(UTC)
    import_organisations(db=pk_db, specs=[bengkulu, seluma, parent_spec()], now=now)
    with pk_db.session() as session:
        office_id = session.exec(select(Office.id).where(Office.code == SELUMA)).one()
    assert office_id is not None
    for year in example_spec.perjanjian_kinerja:
        import_perjanjian_kinerja(
            db=pk_db, office_id=office_id, pk=year.to_domain(), now=now, actor="test"
        )
    return pk_db


async def test_both_reports_reach_the_provinsi_are_received_and_show_in_pantau(
    standin: BotApiStandin, province_db: Database, bot: LapkinApplication, clock: MovableClock
) -> None:
    db = province_db
    bengkulu, seluma = {}, {}
    for name in TEAM:
        nip, first_name = PEOPLE[name]
        bengkulu[name] = await register(standin, db, nip, first_name, office_code=BENGKULU)
        seluma[name] = await register(
            standin, db, _seluma_nip(nip), f"{first_name} S", office_code=SELUMA
        )
    penerima = await register(standin, db, PENERIMA, "Penerima", office_code=PARENT_CODE)
    # The same account is also each kabupaten/kota's own provinsi recipient: each office
    # invites it, and redeeming the second and third links links them to the one account.
    for office_code, nip in ((BENGKULU, SURYADI), (SELUMA, _seluma_nip(SURYADI))):
        seen = len(standin.messages(penerima))
        await standin.send_text(penerima, f"/start {invite(db, nip, office_code=office_code)}")
        await standin.wait_for_message(penerima, contains="Selamat datang", after=seen)

    for people, office in (
        (bengkulu, (BENGKULU, "KPU Kota Bengkulu")),
        (seluma, (SELUMA, "KPU Kabupaten Seluma")),
    ):
        await signed(standin, db, people, clock.move_to, office=office)
        await say(standin, people["fajar"], "/kirim", "untuk disetujui")
        request = await last(standin, people["hendra"], "Mohon Bapak/Ibu setujui")
        await tap(standin, people["hendra"], request, "✅ Setujui Surat Pengantar", "Terima kasih")
        sent = await last(standin, people["fajar"], "dikirim kepada")
        assert "Surat Pengantar nomor" in sent.body

    offers = {}
    for office in ("KPU Kota Bengkulu", "KPU Kabupaten Seluma"):
        offers[office] = await last(standin, penerima, f"📨 {office} menyampaikan Laporan Kinerja")

    # Each report reached the account once, though it is a recipient twice over.
    for office in ("KPU Kota Bengkulu", "KPU Kabupaten Seluma"):
        packages = [m for m in standin.messages(penerima) if f"📨 {office} menyampaikan" in m.body]
        assert len(packages) == 1
    # /pantau is the KPU Provinsi's: the account picks that office first.
    menu = await say(standin, penerima, "/kantor", "Pilih kantor")
    shown = len(standin.messages(penerima)) - 1
    await standin.tap(penerima, menu, "KPU Provinsi Uji")
    await last(standin, penerima, "Kantor Anda sekarang: KPU Provinsi Uji", after=shown)

    # Before any Terima, /pantau shows both reports sent and waiting.
    view = await say(standin, penerima, "/pantau", "Pantauan Laporan Kinerja Tahun 2026")
    assert view.body.count("dikirim, menunggu Terima") == 2

    for offer in offers.values():
        await tap(standin, penerima, offer, "✅ Terima", "Penerimaan Laporan Kinerja tercatat")
    for people in (bengkulu, seluma):
        for name in ("fajar", "hendra"):
            await last(standin, people[name], "Tahun 2026: Diterima oleh")

    before = len(standin.messages(penerima))
    view = await say(standin, penerima, "/pantau", "Pantauan Laporan Kinerja Tahun 2026")
    assert "2 kabupaten/kota · 2 laporan diterima" in view.body
    assert "✅ KPU Kabupaten Seluma: diterima" in view.body
    assert "✅ KPU Kota Bengkulu: diterima" in view.body
    chart = await last(standin, penerima, "Kemajuan siklus kabupaten/kota", after=before)
    assert chart.photo
    workbook_message = await last(standin, penerima, "berdampingan", after=before)
    assert workbook_message.document is not None
    workbook = load_workbook(io.BytesIO(standin.download(workbook_message.document["file_id"])))
    offices = [row[0].value for row in workbook["Kemajuan"].iter_rows(min_row=5)]
    assert offices == ["KPU Kabupaten Seluma", "KPU Kota Bengkulu"]

    # A kabupaten/kota's rendatin heads nothing; its Kasubbag may not ask at all.
    await say(standin, bengkulu["fajar"], "/pantau", "tidak membawahi kabupaten/kota")
    await say(standin, seluma["rina"], "/pantau", "/pantau hanya untuk")
