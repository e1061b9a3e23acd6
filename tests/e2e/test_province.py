"""A province in one deployment, end to end: a KPU Provinsi and two kabupaten/kota.

Both signed reports reach the provinsi recipient, who confirms both with Terima; each
office is told; /pantau shows both with their states, and a kabupaten/kota person is refused.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.context import LapkinApplication
from bot.domain.organisation import OrganisationSpec
from bot.services.invitations import create_invitation
from bot.services.organisation import import_organisations
from bot.services.perjanjian import import_perjanjian_kinerja
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Office, Submission
from tests.cycle_data import VALUES
from tests.e2e.conftest import PEOPLE
from tests.e2e.steps import (
    INITIAL,
    KASUBBAG,
    SIGN,
    find_request,
    last,
    say,
    signed,
    start_cycle,
    tap,
)
from tests.province_data import PARENT_CODE, parent_spec
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e

SELUMA = "kpu-kabupaten-seluma"
PENERIMA = parent_spec().people[3].nip  # the KPU Provinsi's provinsi recipient
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


def _ready(db: Database, office_code: str) -> None:
    """Accept every line of the office's cycle (IK 2.3: tidak ada data), as after step 2."""
    now = datetime.now(UTC)
    with db.session() as session:
        rows = session.exec(
            select(CycleIndicator, Indicator)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .join(Cycle, col(Cycle.id) == col(CycleIndicator.cycle_id))
            .join(Office, col(Office.id) == col(Cycle.office_id))
            .where(Office.code == office_code)
        ).all()
        for line, indicator in rows:
            if indicator.code not in VALUES:
                line.status = "no_data"
                line.no_data_reason = "Kegiatan ditunda ke tahun berikutnya."
                session.add(line)
                continue
            line.current_version = 1
            line.status = "accepted"
            session.add(
                Submission(
                    cycle_indicator_id=line.id,
                    version=1,
                    realisasi=Decimal(VALUES[indicator.code]),
                    penjelasan=f"Penjelasan {indicator.code}.",
                    kendala="-",
                    upaya="-",
                    source="chat",
                    submitted_by_person_id=1,
                    submitted_at=now,
                    status="accepted",
                    reviewed_at=now,
                )
            )
        session.commit()


async def _register(
    standin: BotApiStandin, db: Database, office_code: str, nip: str, first_name: str
) -> FakeUser:
    """Invite the person of ``office_code`` as the CLI does (--office) and open the link."""
    token = create_invitation(
        db=db,
        nip=nip,
        office_code=office_code,
        now=datetime.now(UTC),
        valid_days=7,
        created_by="cli",
    ).token
    user = standin.user(first_name)
    await standin.send_text(user, f"/start {token}")
    await standin.wait_for_message(user, contains="Selamat datang")
    return user


async def _sign_seluma(standin: BotApiStandin, db: Database, people: dict[str, FakeUser]) -> None:
    fajar = people["fajar"]
    await start_cycle(standin, fajar)
    _ready(db, SELUMA)
    offer = await say(standin, fajar, "/konsep", "ajukan untuk paraf Kasubbag")
    await tap(standin, fajar, offer, "Ajukan untuk paraf", "versi 1 dikirim untuk paraf")
    for name in KASUBBAG:
        request = await find_request(standin, people[name], 1, "Mohon paraf")
        await standin.tap(people[name], request, INITIAL)
    to_sign = await find_request(standin, people["hendra"], 1, "Mohon persetujuan")
    await standin.tap(people["hendra"], to_sign, SIGN)
    await last(standin, fajar, "telah ditandatangani")


async def test_both_reports_reach_the_provinsi_are_received_and_show_in_pantau(
    standin: BotApiStandin, province_db: Database, bot: LapkinApplication
) -> None:
    db = province_db
    bengkulu, seluma = {}, {}
    for name in TEAM:
        nip, first_name = PEOPLE[name]
        bengkulu[name] = await _register(standin, db, "kpu-kota-bengkulu", nip, first_name)
        seluma[name] = await _register(standin, db, SELUMA, _seluma_nip(nip), f"{first_name} S")
    penerima = await _register(standin, db, PARENT_CODE, PENERIMA, "Penerima")

    await signed(standin, db, bengkulu)
    sent = await say(standin, bengkulu["fajar"], "/kirim", "dikirim kepada Penerima Provinsi")
    assert "Surat Pengantar nomor" in sent.body
    await _sign_seluma(standin, db, seluma)
    await say(standin, seluma["fajar"], "/kirim", "dikirim kepada Penerima Provinsi")

    offers = {}
    for office in ("KPU Kota Bengkulu", "KPU Kabupaten Seluma"):
        offers[office] = await last(standin, penerima, f"📨 {office} menyampaikan Laporan Kinerja")

    # Before any Terima, /pantau shows both reports sent and waiting.
    view = await say(standin, penerima, "/pantau", "Pantauan Laporan Kinerja Tahun 2026")
    assert view.body.count("dikirim, menunggu Terima") == 2

    for offer in offers.values():
        await tap(standin, penerima, offer, "✅ Terima", "Penerimaan Laporan Kinerja tercatat")
    for people in (bengkulu, seluma):
        for name in ("fajar", "hendra"):
            await last(standin, people[name], "Tahunan 2026: Diterima oleh Penerima Provinsi")

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
