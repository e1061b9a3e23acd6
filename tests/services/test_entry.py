"""SOP step 2 as a use case: a unit member enters one indicator in chat and confirms it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.errors import InvalidInput, NotAllowed
from bot.services import entry, review
from tests.cycle_data import line_of
from tests.services.steps import LATER, Office, enter, line, start_cycle, submissions

REVIEW_BUTTONS = [["🔎 Periksa", "☑️ Terima"], ["⚠️ Tandai kurang valid"]]


@pytest.fixture
def cycle(office: Office) -> Office:
    """Give the office with the annual 2026 cycle sent and the outbox cleared."""
    start_cycle(office)
    office.outbox.clear()
    return office


def test_a_confirmed_entry_is_version_1_and_the_rendatin_team_may_review_it(
    cycle: Office,
) -> None:
    reply = enter(cycle, "dedi", "IK 3.1", "96,5", "Penyerapan sesuai rencana kas.")

    assert "Data IK 3.1 terkirim (versi 1, capaian 101,58%)" in reply.text
    [submission] = submissions(cycle.db, "IK 3.1")
    assert submission.version == 1 and submission.realisasi == Decimal("96.5")
    assert submission.status == "submitted" and submission.source == "chat"
    assert submission.kendala is None and submission.upaya is None
    assert (line(cycle.db, "IK 3.1").status, line(cycle.db, "IK 3.1").current_version) == (
        "submitted",
        1,
    )
    cycle.outbox.assert_recipients("fajar", "yulia")
    for member in ("fajar", "yulia"):
        notice = cycle.outbox.assert_sent_to(
            member, containing="📥 Data baru dari Sub Bagian Keuangan, Umum dan Logistik"
        )
        assert "Versi 1, oleh Dedi Kurniawan" in notice.text
        cycle.outbox.assert_buttons(notice, REVIEW_BUTTONS)


def test_below_target_the_entry_asks_for_kendala_and_upaya(cycle: Office) -> None:
    enter(cycle, "dedi", "IK 3.1", "90", "Sebagian kegiatan ditunda.", "Revisi DIPA.", "Percepat.")

    [submission] = submissions(cycle.db, "IK 3.1")
    assert (submission.kendala, submission.upaya) == ("Revisi DIPA.", "Percepat.")


def test_a_value_that_is_not_a_number_or_negative_is_refused_and_nothing_stored(
    cycle: Office,
) -> None:
    dedi = cycle.person("dedi")
    entry.begin_entry(db=cycle.db, actor=dedi, line_id=line_of(cycle.db, "IK 3.1"), now=LATER)

    with pytest.raises(InvalidInput, match="tidak dapat dibaca sebagai angka"):
        entry.handle_entry_text(db=cycle.db, actor=dedi, text="sembilan puluh", now=LATER)
    with pytest.raises(InvalidInput, match="negatif"):
        entry.handle_entry_text(db=cycle.db, actor=dedi, text="-3", now=LATER)

    assert submissions(cycle.db, "IK 3.1") == []
    cycle.outbox.assert_nothing_sent()


def test_a_member_of_another_unit_cannot_enter_the_indicator(cycle: Office) -> None:
    with pytest.raises(NotAllowed, match="tanggung jawab Sub Bagian Keuangan"):
        entry.begin_entry(
            db=cycle.db,
            actor=cycle.person("siti"),
            line_id=line_of(cycle.db, "IK 3.1"),
            now=LATER,
        )

    cycle.outbox.assert_nothing_sent()


def test_a_rendatin_member_entering_their_own_units_data_is_not_told_of_it(
    cycle: Office,
) -> None:
    enter(cycle, "fajar", "IK 1.2", "3", "Tiga dokumen disusun tepat waktu.")

    cycle.outbox.assert_recipients("yulia")


def test_data_the_team_accepts_while_a_correction_waits_on_the_confirm_step_is_kept(
    cycle: Office,
) -> None:
    enter(cycle, "dedi", "IK 3.1", "96,5", "Penyerapan sesuai rencana kas.")
    [first] = submissions(cycle.db, "IK 3.1")
    dedi = cycle.person("dedi")
    entry.begin_entry(db=cycle.db, actor=dedi, line_id=line_of(cycle.db, "IK 3.1"), now=LATER)
    entry.handle_entry_text(db=cycle.db, actor=dedi, text="97", now=LATER)
    entry.handle_entry_text(db=cycle.db, actor=dedi, text="Koreksi angka.", now=LATER)
    entry.evidence_done(db=cycle.db, actor=dedi, now=LATER)
    assert first.id is not None
    review.accept(db=cycle.db, actor=cycle.person("fajar"), submission_id=first.id, now=LATER)

    with pytest.raises(NotAllowed, match=r"Data IK 3\.1 sudah diterima Tim"):
        entry.confirm_entry(db=cycle.db, actor=dedi, now=LATER)

    assert [s.version for s in submissions(cycle.db, "IK 3.1")] == [1]
    stored = line(cycle.db, "IK 3.1")
    assert (stored.status, stored.current_version) == ("accepted", 1)
