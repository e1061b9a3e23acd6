"""The reminder sweep over a cycle started with Kirim: who is reminded of what, and only once."""

from __future__ import annotations

from datetime import date

from bot.services.reminder_sweep import sweep
from tests.reminder_data import wib
from tests.services.steps import (
    AT_TARGET,
    WIB,
    Office,
    approve_nota_dinas,
    draft,
    enter,
    kirim,
    start_cycle,
)

UNIT_STAF = ("dedi", "siti", "fajar", "bima")  # each unit's staff (Fajar: RENDATIN's)


def test_nothing_is_due_the_day_after_kirim(office: Office) -> None:
    start_cycle(office)
    office.outbox.clear()

    assert sweep(db=office.db, now=wib(date(2026, 11, 24), 9), tz=WIB) == 0

    office.outbox.assert_nothing_sent()


def test_on_the_deadline_each_unit_is_reminded_once_of_what_it_still_owes(
    office: Office,
) -> None:
    start_cycle(office)
    enter(office, "dedi", "IK 3.1", "96,5", "Penyerapan sesuai rencana kas.", *AT_TARGET)
    office.outbox.clear()

    queued = sweep(db=office.db, now=wib(date(2026, 11, 30), 9), tz=WIB)

    assert queued == len(office.outbox.messages()) > 0
    for staf in UNIT_STAF:
        office.outbox.assert_sent_to(staf, containing="masih perlu melengkapi")
    dedi = office.outbox.assert_sent_to(
        "dedi", containing="Sub Bagian Keuangan, Umum dan Logistik masih perlu melengkapi 3"
    )
    assert "IK 3.1" not in dedi.text and "⏳ IK 3.2" in dedi.text
    office.outbox.assert_buttons(dedi, [["✍️ Lanjutkan pengisian"]])
    office.outbox.assert_not_sent_to("hendra")
    office.outbox.assert_not_sent_to("suryadi")
    office.outbox.clear()

    assert sweep(db=office.db, now=wib(date(2026, 11, 30), 9, 30), tz=WIB) == 0
    office.outbox.assert_nothing_sent()


def test_a_nota_dinas_awaiting_its_signer_is_in_her_reminders_until_she_decides(
    office: Office,
) -> None:
    cycle_id = draft(office)
    kirim(office, cycle_id)  # Fajar's Kirim: it waits for Yulia from 09.00 on Monday
    office.outbox.clear()

    # Within the SOP's hour nothing; after it, one reminder with her buttons.
    assert sweep(db=office.db, now=wib(date(2026, 11, 23), 9, 30), tz=WIB) == 0
    sweep(db=office.db, now=wib(date(2026, 11, 23), 10, 30), tz=WIB)
    reminder = office.outbox.assert_sent_to("yulia", containing="menunggu persetujuan Bapak/Ibu")
    assert "Nota Dinas permintaan data Tahun 2026" in reminder.text
    office.outbox.assert_buttons(reminder, [["✅ Setujui", "↩️ Kembalikan"]])
    office.outbox.assert_not_sent_to("fajar", containing="Nota Dinas")
    office.outbox.clear()

    # The next working morning again; once approved, never.
    sweep(db=office.db, now=wib(date(2026, 11, 24), 9), tz=WIB)
    office.outbox.assert_sent_to("yulia", containing="menunggu persetujuan Bapak/Ibu")
    approve_nota_dinas(office, cycle_id)
    office.outbox.clear()
    sweep(db=office.db, now=wib(date(2026, 11, 25), 9), tz=WIB)
    office.outbox.assert_not_sent_to("yulia", containing="menunggu persetujuan")
