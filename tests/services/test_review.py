"""SOP step 2, the team's side: accepting data, flagging it back, and marking "tidak ada data"."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.domain.errors import InvalidInput, NotAllowed
from bot.services import analysis, entry, review
from storage.models import AuditEvent
from tests.cycle_data import line_of
from tests.services.steps import AT_TARGET, LATER, Office, enter, line, start_cycle, submissions


@pytest.fixture
def entered(office: Office) -> Office:
    """Give the office with Dedi's IK 3.1 (96,5) submitted and the outbox cleared."""
    start_cycle(office)
    enter(office, "dedi", "IK 3.1", "96,5", "Penyerapan sesuai rencana kas.", *AT_TARGET)
    office.outbox.clear()
    return office


def _submission_id(office: Office, code: str = "IK 3.1") -> int:
    submission_id = submissions(office.db, code)[-1].id
    assert submission_id is not None
    return submission_id


def test_accepted_data_is_final_and_the_unit_is_thanked(entered: Office) -> None:
    fajar = entered.person("fajar")

    reply = review.accept(
        db=entered.db, actor=fajar, submission_id=_submission_id(entered), now=LATER
    )

    assert reply.text == "☑️ IK 3.1 (Sub Bagian Keuangan, Umum dan Logistik) diterima."
    [submission] = submissions(entered.db, "IK 3.1")
    assert submission.status == "accepted" and submission.reviewed_by_person_id == fajar.id
    assert line(entered.db, "IK 3.1").status == "accepted"
    entered.outbox.assert_recipients("rina", "dedi")
    thanks = entered.outbox.assert_sent_to("dedi", containing="☑️ Data IK 3.1 (Tahun 2026)")
    assert "telah diterima Tim" in thanks.text and thanks.buttons == []


def test_accepted_data_cannot_be_entered_again(entered: Office) -> None:
    review.accept(
        db=entered.db,
        actor=entered.person("fajar"),
        submission_id=_submission_id(entered),
        now=LATER,
    )
    entered.outbox.clear()

    with pytest.raises(NotAllowed, match="sudah diterima Tim"):
        entry.begin_entry(
            db=entered.db,
            actor=entered.person("dedi"),
            line_id=line_of(entered.db, "IK 3.1"),
            now=LATER,
        )

    entered.outbox.assert_nothing_sent()


def test_of_two_acceptances_only_the_first_counts(entered: Office) -> None:
    submission_id = _submission_id(entered)
    review.accept(
        db=entered.db, actor=entered.person("fajar"), submission_id=submission_id, now=LATER
    )
    entered.outbox.clear()

    with pytest.raises(NotAllowed):
        review.accept(
            db=entered.db, actor=entered.person("yulia"), submission_id=submission_id, now=LATER
        )

    entered.outbox.assert_nothing_sent()
    assert submissions(entered.db, "IK 3.1")[0].reviewed_by_person_id == entered.person("fajar").id


def test_a_staf_cannot_review(entered: Office) -> None:
    with pytest.raises(NotAllowed):
        review.accept(
            db=entered.db,
            actor=entered.person("dedi"),
            submission_id=_submission_id(entered),
            now=LATER,
        )

    assert submissions(entered.db, "IK 3.1")[0].status == "submitted"
    entered.outbox.assert_nothing_sent()


def test_flagged_data_goes_back_to_the_unit_with_the_reason_and_a_fix_button(
    entered: Office,
) -> None:
    fajar = entered.person("fajar")
    asked = review.begin_flag(
        db=entered.db, actor=fajar, submission_id=_submission_id(entered), now=LATER
    )
    assert "Ketik alasan data IK 3.1" in asked.text
    entered.outbox.assert_nothing_sent()  # nothing changes until the reason is typed

    reply = review.flag_with_reason(
        db=entered.db, actor=fajar, reason="Angka tidak sesuai SP2D.", now=LATER
    )

    assert "IK 3.1 ditandai kurang valid" in reply.text
    [submission] = submissions(entered.db, "IK 3.1")
    assert submission.status == "flagged" and submission.review_note == "Angka tidak sesuai SP2D."
    assert line(entered.db, "IK 3.1").status == "flagged"
    entered.outbox.assert_recipients("rina", "dedi")
    notice = entered.outbox.assert_sent_to("dedi", containing="dinilai kurang valid oleh Tim")
    assert "Alasan: Angka tidak sesuai SP2D." in notice.text
    entered.outbox.assert_buttons(notice, [["✏️ Perbaiki"]])


def test_the_correction_is_version_2_and_shows_the_teams_note(entered: Office) -> None:
    fajar = entered.person("fajar")
    review.begin_flag(db=entered.db, actor=fajar, submission_id=_submission_id(entered), now=LATER)
    review.flag_with_reason(
        db=entered.db, actor=fajar, reason="Angka tidak sesuai SP2D.", now=LATER
    )

    prompt = entry.begin_entry(
        db=entered.db,
        actor=entered.person("dedi"),
        line_id=line_of(entered.db, "IK 3.1"),
        now=LATER,
    )
    assert "⚠️ Catatan Tim: Angka tidak sesuai SP2D." in prompt.text
    enter(entered, "dedi", "IK 3.1", "95", "Dikoreksi sesuai SP2D.", *AT_TARGET)

    assert [(s.version, s.status) for s in submissions(entered.db, "IK 3.1")] == [
        (1, "flagged"),
        (2, "submitted"),
    ]


def test_a_flag_needs_a_real_reason(entered: Office) -> None:
    fajar = entered.person("fajar")
    review.begin_flag(db=entered.db, actor=fajar, submission_id=_submission_id(entered), now=LATER)

    with pytest.raises(InvalidInput, match="paling sedikit 5 huruf"):
        review.flag_with_reason(db=entered.db, actor=fajar, reason="  no ", now=LATER)

    assert submissions(entered.db, "IK 3.1")[0].status == "submitted"
    entered.outbox.assert_nothing_sent()


def test_an_indicator_marked_no_data_carries_its_reason_and_is_audited(office: Office) -> None:
    start_cycle(office)
    office.outbox.clear()
    fajar = office.person("fajar")

    analysis.begin_no_data(
        db=office.db, actor=fajar, line_id=line_of(office.db, "IK 2.3"), now=LATER
    )
    reply = analysis.mark_no_data(
        db=office.db, actor=fajar, reason="Kegiatan ditunda ke tahun berikutnya.", now=LATER
    )

    assert reply.text == "IK 2.3 ditandai tidak ada data: Kegiatan ditunda ke tahun berikutnya."
    marked = line(office.db, "IK 2.3")
    assert marked.status == "no_data"
    assert marked.no_data_reason == "Kegiatan ditunda ke tahun berikutnya."
    with office.db.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "line.no_data")).one()
        assert event.actor_person_id == fajar.id and event.details["indicator"] == "IK 2.3"
    office.outbox.assert_nothing_sent()


def test_accepted_data_cannot_be_marked_no_data(entered: Office) -> None:
    fajar = entered.person("fajar")
    review.accept(db=entered.db, actor=fajar, submission_id=_submission_id(entered), now=LATER)

    with pytest.raises(NotAllowed, match="sudah berisi data yang diterima"):
        analysis.begin_no_data(
            db=entered.db, actor=fajar, line_id=line_of(entered.db, "IK 3.1"), now=LATER
        )

    assert line(entered.db, "IK 3.1").status == "accepted"
