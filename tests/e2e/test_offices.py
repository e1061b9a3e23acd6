"""One Telegram account in two offices of one deployment (issue 15: people across offices,
per-office settings, isolation).

KPU Kota Bengkulu (the example, WIB by default) and a second office imported beside it that
sets its own time zone (WITA, only so that the two tell apart). Fajar is invited by each
office and links one account to both; Dedi is a person of Kota Bengkulu only.
"""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from bot.context import LapkinApplication
from bot.domain.organisation import OrganisationSpec
from bot.messages import offices as office_texts
from storage.db import Database
from storage.models import Cycle, CycleIndicator, Indicator, Person, Unit
from storage.queries import office_by_code
from tests.e2e.conftest import PEOPLE, count_errors, invite
from tests.e2e.steps import alert_for, import_second_office, last, say, start_cycle
from tests.reliability.state import differences, snapshot
from tests.standin import BotApiStandin, FakeUser

pytestmark = pytest.mark.e2e

KOTA = "kpu-kota-bengkulu"
SELUMA = "kpu-kabupaten-seluma"


async def _register(
    standin: BotApiStandin, db: Database, user: FakeUser, office_code: str, nip: str
) -> str:
    seen = len(standin.messages(user))
    await standin.send_text(user, f"/start {invite(db, nip, office_code=office_code)}")
    welcome = await standin.wait_for_message(user, contains="Selamat datang", after=seen)
    return welcome.body


async def _choose(standin: BotApiStandin, user: FakeUser, office_name: str) -> None:
    menu = await say(standin, user, "/kantor", "Pilih kantor")
    shown = len(standin.messages(user)) - 1  # the choice replaces the menu itself
    await standin.tap(user, menu, office_name)
    await last(standin, user, f"Kantor Anda sekarang: {office_name}", after=shown)


def _first_line(db: Database, office_code: str) -> tuple[int, int, int]:
    """The office's cycle, its KUL unit and KUL's first line."""
    with db.session() as session:
        office = office_by_code(session, code=office_code)
        assert office is not None
        cycle = session.exec(select(Cycle).where(Cycle.office_id == office.id)).one()
        unit = session.exec(
            select(Unit).where(Unit.office_id == office.id, Unit.code == "KUL")
        ).one()
        line = session.exec(
            select(CycleIndicator)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .where(CycleIndicator.cycle_id == cycle.id, Indicator.unit_id == unit.id)
        ).first()
        assert cycle.id is not None and unit.id is not None and line and line.id is not None
        return cycle.id, unit.id, line.id


async def test_one_account_in_two_offices_acts_in_each_and_is_isolated(
    standin: BotApiStandin,
    pk_db: Database,
    example_spec: OrganisationSpec,
    bot: LapkinApplication,
) -> None:
    db = pk_db
    import_second_office(
        db, example_spec, code=SELUMA, name="KPU Kabupaten Seluma", timezone="WITA"
    )
    errors = count_errors(bot)
    fajar = standin.user("Fajar")
    nip = PEOPLE["fajar"][0]

    # Each office invites separately; the second link links the same account.
    await _register(standin, db, fajar, KOTA, nip)
    await _register(standin, db, fajar, SELUMA, nip)
    await standin.wait_for_message(fajar, contains="lebih dari satu kantor")
    with db.session() as session:
        rows = session.exec(select(Person).where(Person.telegram_user_id == fajar.id)).all()
    assert len(rows) == 2 and len({row.office_id for row in rows}) == 2

    # The office just joined is current: its people, in its own time zone.
    listing = await say(standin, fajar, "/pegawai", "Daftar pegawai")
    assert "WITA" in listing.body and "WIB" not in listing.body
    menu = await say(standin, fajar, "/kantor", "Pilih kantor")
    assert menu.buttons == [
        ["KPU Kota Bengkulu"],
        ["✅ KPU Kabupaten Seluma"],
    ]
    await _choose(standin, fajar, "KPU Kota Bengkulu")
    listing = await say(standin, fajar, "/pegawai", "Daftar pegawai")
    assert "WIB" in listing.body and "WITA" not in listing.body

    # A cycle in Seluma, started there (and approved by Seluma's Ketua Tim, who signs its
    # Nota Dinas); Dedi, of Kota Bengkulu only, is refused its buttons.
    await _choose(standin, fajar, "KPU Kabupaten Seluma")
    yulia = standin.user("Yulia")
    await _register(standin, db, yulia, SELUMA, PEOPLE["yulia"][0])
    await start_cycle(standin, fajar, signer=yulia)
    cycle, unit, line = _first_line(db, SELUMA)
    dedi = standin.user("Dedi")
    await _register(standin, db, dedi, KOTA, PEOPLE["dedi"][0])
    await standin.wait_until_idle()
    before = snapshot(db)
    for data in (f"e:s:{line}", f"rv:h:{line}"):
        answer = await alert_for(standin, dedi, standin.messages(dedi)[-1], data)
        assert answer.startswith("Maaf"), (data, answer)
    assert differences(before, snapshot(db)) == {}

    # Back in Kota Bengkulu, a button of Seluma's cycle still acts in Seluma.
    await _choose(standin, fajar, "KPU Kota Bengkulu")
    seen = len(standin.messages(fajar))
    await standin.tap_data(fajar, standin.messages(fajar)[-1], f"st:u:{cycle}:{unit}:0")
    page = await standin.wait_for_message(fajar, after=seen - 1, contains="Keuangan")
    assert not page.body.startswith("Maaf")

    # A question a Seluma button asks is answered in Seluma, though Kota Bengkulu is current.
    seen = len(standin.messages(fajar))
    await standin.tap_data(fajar, standin.messages(fajar)[-1], f"rv:n:{line}")
    await standin.wait_for_message(fajar, contains="Ketik alasan", after=seen)
    await say(standin, fajar, "Instansi belum menerbitkan datanya.", "ditandai tidak ada data")
    with db.session() as session:
        marked = session.get(CycleIndicator, line)
        assert marked is not None and marked.status == "no_data"

    # An office the account is no person of is refused, whatever the press.
    with db.session() as session:
        seluma = office_by_code(session, code=SELUMA)
        assert seluma is not None
    answer = await alert_for(standin, dedi, standin.messages(dedi)[-1], f"of:c:{seluma.id}")
    assert answer == office_texts.OTHER_OFFICE
    assert errors == []
