"""Reminders over a simulated cycle in May 2026, swept as the bot sweeps, with a clock in hand.

The cycle opens on Monday 11 May with its deadline on Tuesday 19 May. The weeks hold
Ascension Day (Thursday 14 May), two weekends and Idul Adha (Wednesday 27 May).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.domain.approval_route import ReviewStageSpec
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.organisation import OrganisationSpec, ReminderSpec
from bot.domain.roles import Role
from bot.services import approvals, drafts, outbox
from bot.services.organisation import export_organisation, import_organisation
from bot.services.people import PersonView, find_by_telegram_id
from bot.services.reminder_commands import (
    digest_setting,
    pause_overview,
    pause_unit,
    resume_unit,
    set_digest,
)
from bot.services.reminder_sweep import sent_reminders, sweep
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Approval,
    Delegation,
    Draft,
    Meeting,
    MeetingAttendance,
    OutboxMessage,
    Person,
    Reminder,
)
from tests.cycle_data import ready_for_a_draft
from tests.reminder_data import (
    NAMES,
    WIB,
    chat_of,
    import_pk,
    office_id,
    open_cycle,
    register_everyone,
    set_status,
    stored_file,
    wib,
)

DEADLINE = date(2026, 5, 19)
CHATS = {chat_of(name): name for name in NAMES}


@pytest.fixture
def people(office_db: Database, example_spec: OrganisationSpec) -> dict[str, int]:
    import_pk(office_db, example_spec)
    return register_everyone(office_db)


@pytest.fixture
def cycle(office_db: Database, people: dict[str, int]) -> int:
    return open_cycle(office_db, deadline=DEADLINE, sent_at=wib(date(2026, 5, 11), 8))


def actor(db: Database, name: str) -> PersonView:
    view = find_by_telegram_id(db=db, telegram_user_id=chat_of(name))
    assert view is not None
    return view


def instants(start: datetime, end: datetime, step: timedelta) -> Iterator[datetime]:
    moment = start
    while moment < end:
        yield moment
        moment += step


def delivered(db: Database, kind: str | None = None) -> dict[tuple[str, str], list[str]]:
    """Group the queued reminders as {(kind, person): ["13 09:00", ...]} in WIB."""
    kinds = {r.outbox_message_id: r.kind for r in sent_reminders(db=db)}
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for message in outbox.messages(db=db):
        if message.id not in kinds or (kind and kinds[message.id] != kind):
            continue
        local = message.created_at.astimezone(WIB)
        found[(kinds[message.id], CHATS[message.chat_id])].append(local.strftime("%d %H:%M"))
    return dict(found)


def days(*values: int, at: str = "09:00") -> list[str]:
    return [f"{value:02d} {at}" for value in values]


def test_a_three_week_cycle_sends_exactly_the_expected_reminders(
    office_db: Database, cycle: int, people: dict[str, int]
) -> None:
    db = office_db
    events = {
        wib(date(2026, 5, 11), 10): lambda: set_status(
            db, unit="KUL", status="submitted", codes=("IK 3.1",)
        ),
        wib(date(2026, 5, 12), 10): lambda: set_status(
            db, unit="KUL", status="flagged", codes=("IK 3.2",)
        ),
        wib(date(2026, 5, 15), 12): lambda: set_status(db, unit="TEKNIS", status="submitted"),
        wib(date(2026, 5, 18), 8): lambda: pause_unit(
            db=db,
            actor=actor(db, "fajar"),
            unit_code="RENDATIN",
            reason="tim sedang menyusun konsep",
            now=wib(date(2026, 5, 18), 8),
        ),
        wib(date(2026, 5, 25), 8): lambda: resume_unit(
            db=db, actor=actor(db, "yulia"), unit_code="rendatin", now=wib(date(2026, 5, 25), 8)
        ),
        wib(date(2026, 5, 27), 10): lambda: set_status(db, unit="KUL", status="submitted"),
    }
    # Every 30 minutes, day and night, from Monday 11 May to Friday 29 May.
    for now in instants(wib(date(2026, 5, 11)), wib(date(2026, 5, 30)), timedelta(minutes=30)):
        if now in events:
            events[now]()
        sweep(db=db, now=now, tz=WIB)

    assert delivered(db, "unit") == {
        ("unit", "siti"): days(13),  # TEKNIS finished on Friday 15 May
        ("unit", "dedi"): days(13, 18, 19, 20, 21, 22, 25, 26),  # KUL finished on 27 May
        ("unit", "bima"): days(13, 18, 19, 20, 21, 22, 25, 26, 28, 29),
        ("unit", "fajar"): days(13, 25, 26, 28, 29),  # paused from 18 to 25 May
    }
    assert delivered(db, "escalation") == {
        ("escalation", "rina"): days(21, 22, 25, 26),
        ("escalation", "nurhayati"): days(21, 22, 25, 26, 28, 29),
        ("escalation", "yulia"): days(25, 26, 28, 29),
    }
    assert delivered(db, "overdue") == {
        ("overdue", "fajar"): days(20, 21, 22, 25, 26, 28, 29),
        ("overdue", "yulia"): days(20, 21, 22, 25, 26, 28, 29),
    }
    # Nothing else: no digest nobody asked for, nothing to the Sekretaris or to Kasubbag early.
    assert {kind for kind, _ in delivered(db)} == {"unit", "escalation", "overdue"}
    assert len(outbox.messages(db=db)) == len(sent_reminders(db=db))


def test_a_reminder_lists_exactly_what_is_missing_with_a_button_to_continue(
    office_db: Database, cycle: int
) -> None:
    set_status(office_db, unit="KUL", status="submitted", codes=("IK 3.1",))
    set_status(office_db, unit="KUL", status="flagged", codes=("IK 3.2",))

    sweep(db=office_db, now=wib(date(2026, 5, 21), 9), tz=WIB)

    by_chat = {m.chat_id: m for m in outbox.messages(db=office_db)}
    dedi = by_chat[chat_of("dedi")]
    assert dedi.text is not None
    assert "Sub Bagian Keuangan, Umum dan Logistik masih perlu melengkapi 3 indikator" in dedi.text
    assert "IK 3.1" not in dedi.text
    assert "⚠️ IK 3.2" in dedi.text and "(perlu perbaikan)" in dedi.text
    assert "⏳ IK 3.3" in dedi.text and "⏳ IK 3.4" in dedi.text
    assert "telah lewat 2 hari kerja" in dedi.text
    assert dedi.reply_markup == {
        "inline_keyboard": [[{"text": "✍️ Lanjutkan pengisian", "callback_data": "e:m"}]]
    }
    rina = by_chat[chat_of("rina")]
    assert rina.text is not None and "selaku Kasubbag" in rina.text
    digest = by_chat[chat_of("fajar")]  # fajar is RENDATIN staff and in the team
    assert digest.text is not None
    late = [m for m in outbox.messages(db=office_db) if m.text and "Rekap keterlambatan" in m.text]
    assert {m.chat_id for m in late} == {chat_of("fajar"), chat_of("yulia")}
    assert "Sub Bagian Hukum dan Sumber Daya Manusia: 3 indikator belum lengkap, terlambat 2" in (
        late[0].text or ""
    )


def test_a_restart_in_the_middle_sends_no_duplicate_and_misses_none(
    office_db: Database, cycle: int, database_url: str
) -> None:
    # 08:45 on the deadline day: nothing due yet. Then the bot is down until 11:10.
    assert sweep(db=office_db, now=wib(DEADLINE, 8, 45), tz=WIB) == 0
    office_db.dispose()

    restarted = Database(database_url)
    try:
        first = sweep(db=restarted, now=wib(DEADLINE, 11, 10), tz=WIB)
        assert first == 4  # the 09:00 reminder to each unit's staff, late but not lost
        # Two processes sweeping at once, and the next rounds: nothing more.
        assert sweep(db=Database(database_url), now=wib(DEADLINE, 11, 10), tz=WIB) == 0
        assert sweep(db=restarted, now=wib(DEADLINE, 11, 11), tz=WIB) == 0
        assert sweep(db=restarted, now=wib(DEADLINE, 15, 59), tz=WIB) == 0
        # The next working day brings the next one, once.
        assert sweep(db=restarted, now=wib(date(2026, 5, 20), 9), tz=WIB) == 6  # + 2 overdue
        assert sweep(db=restarted, now=wib(date(2026, 5, 20), 9, 1), tz=WIB) == 0
        keys = [m.dedupe_key for m in outbox.messages(db=restarted)]
        assert len(keys) == len(set(keys)) == 10
    finally:
        restarted.dispose()


def test_a_reminder_queued_already_by_another_process_is_not_repeated(
    office_db: Database, cycle: int
) -> None:
    sweep(db=office_db, now=wib(DEADLINE, 9), tz=WIB)
    with office_db.session() as session:
        for row in session.exec(select(Reminder)):
            session.delete(row)
        session.commit()

    # The record is gone but the outbox keeps its key: nothing is sent twice.
    sweep(db=office_db, now=wib(DEADLINE, 10), tz=WIB)
    assert len(outbox.messages(db=office_db)) == 4


def test_a_paused_unit_needs_a_reason_and_rendatin(office_db: Database, cycle: int) -> None:
    now = wib(date(2026, 5, 18), 8)
    with pytest.raises(NotAllowed):
        pause_unit(
            db=office_db, actor=actor(office_db, "dedi"), unit_code="KUL", reason="x" * 9, now=now
        )
    with pytest.raises(InvalidInput, match="alasan"):
        pause_unit(
            db=office_db, actor=actor(office_db, "fajar"), unit_code="KUL", reason=" ", now=now
        )
    with pytest.raises(NotFound, match="KUL, TEKNIS"):
        pause_unit(
            db=office_db, actor=actor(office_db, "fajar"), unit_code="XX", reason="abc", now=now
        )

    reply = pause_unit(
        db=office_db, actor=actor(office_db, "fajar"), unit_code="kul", reason="cuti", now=now
    )
    assert "dijeda (cuti)" in reply.text
    assert [[b.data for b in row] for row in reply.keyboard] == [["rm:r:1"]]
    with pytest.raises(NotAllowed, match="sudah dijeda"):
        pause_unit(
            db=office_db, actor=actor(office_db, "fajar"), unit_code="KUL", reason="lagi", now=now
        )
    overview = pause_overview(db=office_db, actor=actor(office_db, "yulia"))
    assert "KUL — Sub Bagian Keuangan, Umum dan Logistik: ⏸ dijeda (cuti)" in overview.text
    assert "TEKNIS — Sub Bagian Teknis" in overview.text

    sweep(db=office_db, now=wib(date(2026, 5, 18), 9), tz=WIB)
    assert chat_of("dedi") not in {m.chat_id for m in outbox.messages(db=office_db)}

    resume_unit(db=office_db, actor=actor(office_db, "fajar"), unit_id=1, now=now)
    with pytest.raises(NotAllowed, match="tidak sedang dijeda"):
        resume_unit(db=office_db, actor=actor(office_db, "fajar"), unit_code="KUL", now=now)
    sweep(db=office_db, now=wib(date(2026, 5, 18), 10), tz=WIB)
    assert chat_of("dedi") in {m.chat_id for m in outbox.messages(db=office_db)}


# --------------------------------------------------------------------------- reviewers


def _draft(db: Database, *, cycle: int, status: str, version: int, creator: int) -> int:
    with db.session() as session:
        draft = Draft(
            office_id=office_id(db),
            cycle_id=cycle,
            version=version,
            file_id=stored_file(db) if version == 1 else 1,
            sha256="a" * 64,
            created_by_person_id=creator,
            created_at=wib(date(2026, 5, 13), 8),
            status=status,
        )
        session.add(draft)
        session.commit()
        assert draft.id is not None
        return draft.id


def _approval(
    db: Database, *, draft: int, stage: str, reviewer: int, at: datetime, decision: str = "pending"
) -> None:
    with db.session() as session:
        session.add(
            Approval(
                office_id=office_id(db),
                draft_id=draft,
                stage=stage,
                reviewer_person_id=reviewer,
                decision=decision,
                assigned_at=at,
            )
        )
        session.commit()


def test_reviewers_are_reminded_after_60_and_30_office_minutes_then_each_morning(
    office_db: Database, cycle: int, people: dict[str, int]
) -> None:
    db = office_db
    for unit in ("KUL", "TEKNIS", "HUKUM", "RENDATIN"):
        set_status(db, unit=unit, status="accepted")  # no unit reminders in the way
    initials = _draft(db, cycle=cycle, status="review_kasubbag", version=1, creator=people["fajar"])
    signing = _draft(
        db, cycle=cycle, status="review_sekretaris", version=2, creator=people["fajar"]
    )
    # A pending row of a round the draft is no longer in (not its latest) waits for nobody.
    _approval(
        db,
        draft=initials,
        stage="sekretaris",
        reviewer=people["hendra"],
        at=wib(date(2026, 5, 13), 15, 30),
    )
    # Rina has to initial from Wednesday 15:30; Agus already did; Hendra (Sekretaris) is
    # waiting on version 2 from Friday 15:45, with Yulia as his Plh.
    _approval(
        db,
        draft=initials,
        stage="kasubbag",
        reviewer=people["rina"],
        at=wib(date(2026, 5, 13), 15, 30),
    )
    _approval(
        db,
        draft=initials,
        stage="kasubbag",
        reviewer=people["agus"],
        at=wib(date(2026, 5, 13), 15, 30),
        decision="approved",
    )
    _approval(
        db,
        draft=signing,
        stage="sekretaris",
        reviewer=people["hendra"],
        at=wib(date(2026, 5, 15), 15, 45),
    )
    with db.session() as session:
        session.add(
            Delegation(
                office_id=office_id(db),
                absent_person_id=people["hendra"],
                delegate_person_id=people["yulia"],
                title="Plh.",
                reason="dinas luar",
                created_by_person_id=people["fajar"],
                created_at=wib(date(2026, 5, 15), 8),
            )
        )
        session.commit()

    for now in instants(wib(date(2026, 5, 13), 15), wib(date(2026, 5, 20)), timedelta(minutes=15)):
        sweep(db=db, now=now, tz=WIB)

    assert delivered(db, "review") == {
        # 30 minutes on Wednesday, none on Ascension Day, 30 on Friday: 08:00.
        ("review", "rina"): ["15 08:00", "18 09:00", "19 09:00"],
        # 15 minutes on Friday, 15 on Monday: 07:45; then Tuesday morning.
        ("review", "hendra"): ["18 07:45", "19 09:00"],
        ("review", "yulia"): ["18 07:45", "19 09:00"],
    }
    texts = {CHATS[m.chat_id]: m for m in outbox.messages(db=db) if m.chat_id != chat_of("fajar")}
    assert "menunggu paraf Bapak/Ibu" in (texts["rina"].text or "")
    assert "menunggu tanda tangan Drs. Hendra Saputra" in (texts["yulia"].text or "")
    assert "Plh." in (texts["yulia"].text or "")
    assert texts["hendra"].reply_markup == {
        "inline_keyboard": [[{"text": "Lihat yang menunggu", "callback_data": "ap:ls"}]]
    }
    # Rendatin's daily recap names the late reviewers.
    recap = [m.text or "" for m in outbox.messages(db=db) if "Rekap" in (m.text or "")]
    assert "Rina Marlina" in recap[0] and "Hendra" not in recap[0]  # Friday 15 May
    assert "Drs. Hendra Saputra" in recap[-1]


THREE_STAGES = (
    ReviewStageSpec(name="ketua_tim", label="Paraf Ketua Tim", units=("RENDATIN",)),
    ReviewStageSpec(name="kasubbag", roles=(Role.KASUBBAG,)),  # every Kasubbag not yet asked
    ReviewStageSpec(name="sekretaris", action="tanda_tangan", roles=(Role.SEKRETARIS,)),
)


def _pending_approval(db: Database, name: str) -> tuple[int, int]:
    """The id of ``name``'s undecided approval, and its draft's version."""
    with db.session() as session:
        approval, draft = session.exec(
            select(Approval, Draft)
            .join(Draft, col(Draft.id) == col(Approval.draft_id))
            .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
            .where(Person.nip == NAMES[name], Approval.decision == "pending")
        ).one()
        assert approval.id is not None
        return approval.id, draft.version


def test_every_stage_of_a_configured_route_is_reminded_whatever_it_is_called(
    office_db: Database, example_spec: OrganisationSpec, tmp_path: Path
) -> None:
    db = office_db
    routed = example_spec.model_copy(update={"pemaraf": (), "review_route": THREE_STAGES})
    import_organisation(db=db, spec=routed, now=wib(date(2026, 11, 2), 8))
    import_pk(db, routed)
    people = register_everyone(db)
    # Triwulan III: a period that has ended, so the Sekretaris may sign in November.
    open_cycle(db, deadline=date(2026, 11, 30), sent_at=wib(date(2026, 11, 23), 9), period="tw3")
    ready_for_a_draft(db)  # no unit reminders in the way
    files = FileStore(tmp_path / "data")
    with db.session() as session:  # Fajar stands in for the Ketua Tim this week
        session.add(
            Delegation(
                office_id=office_id(db),
                absent_person_id=people["yulia"],
                delegate_person_id=people["fajar"],
                title="Plh.",
                reason="dinas luar",
                created_by_person_id=people["fajar"],
                created_at=wib(date(2026, 11, 23), 8),
            )
        )
        session.commit()

    def make_and_submit(now: datetime) -> None:
        fajar = actor(db, "fajar")
        drafts.make_draft(db=db, files=files, actor=fajar, now=now, tz=WIB, pdf_copies=False)
        approvals.submit(db=db, files=files, actor=fajar, draft_id=None, now=now, tz=WIB)

    def approve(name: str, now: datetime) -> None:
        approval_id, version = _pending_approval(db, name)
        approvals.approve(
            db=db,
            files=files,
            actor=actor(db, name),
            approval_id=approval_id,
            version=version,
            now=now,
            tz=WIB,
            pdf_copies=False,
        )

    tuesday, wednesday, thursday = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)
    events = {
        # The Ketua Tim is asked first, and initials after 90 minutes.
        wib(tuesday, 10): lambda: make_and_submit(wib(tuesday, 10)),
        wib(tuesday, 11, 30): lambda: approve("yulia", wib(tuesday, 11, 30)),
        # Then the other three Kasubbag; Nurhayati only the next morning, before 09:00.
        wib(tuesday, 12): lambda: [approve(n, wib(tuesday, 12)) for n in ("rina", "agus")],
        wib(wednesday, 8): lambda: approve("nurhayati", wib(wednesday, 8)),
        # The Sekretaris signs on Thursday.
        wib(thursday, 10): lambda: approve("hendra", wib(thursday, 10)),
    }
    for now in instants(wib(tuesday, 9), wib(date(2026, 11, 28)), timedelta(minutes=15)):
        if now in events:
            events[now]()
        sweep(db=db, now=now, tz=WIB)
        assert sweep(db=db, now=now, tz=WIB) == 0  # a second sweep at once adds nothing

    assert delivered(db, "review") == {
        ("review", "yulia"): ["24 11:00"],  # the Ketua Tim: 60 office minutes
        ("review", "fajar"): ["24 11:00"],  # her Plh.
        ("review", "nurhayati"): ["24 12:30"],  # the other Kasubbag: 60 minutes
        ("review", "hendra"): ["25 08:30", "26 09:00"],  # the Sekretaris: 30, then a morning
    }
    reminders = {
        CHATS[m.chat_id]: m.text or ""
        for m in outbox.messages(db=db)
        if m.text and m.text.startswith("🔔 Pengingat")
    }
    assert "menunggu paraf Bapak/Ibu" in reminders["yulia"]
    assert "Batas waktu SOP: 60 menit" in reminders["yulia"]
    assert "menunggu paraf Yulia Fitriani, S.T., M.M." in reminders["fajar"]
    assert "Plh." in reminders["fajar"]
    assert "menunggu tanda tangan Bapak/Ibu" in reminders["hendra"]
    assert "Batas waktu SOP: 30 menit" in reminders["hendra"]
    keys = [r.key for r in sent_reminders(db=db)]
    assert len(keys) == len(set(keys))


def test_a_signature_stage_of_another_name_is_reminded_of_the_signature(
    office_db: Database, cycle: int, people: dict[str, int]
) -> None:
    db = office_db
    for unit in ("KUL", "TEKNIS", "HUKUM", "RENDATIN"):
        set_status(db, unit=unit, status="accepted")
    # The route's last stage is called "plt": Yulia signs in the Sekretaris's place.
    signing = _draft(
        db, cycle=cycle, status="review_sekretaris", version=1, creator=people["fajar"]
    )
    _approval(
        db, draft=signing, stage="ketua_tim", reviewer=people["yulia"], at=wib(date(2026, 5, 12), 9)
    )
    with db.session() as session:
        session.exec(select(Approval)).one().decision = "approved"
        session.commit()
    _approval(
        db, draft=signing, stage="plt", reviewer=people["yulia"], at=wib(date(2026, 5, 12), 10)
    )

    for now in instants(wib(date(2026, 5, 12), 10), wib(date(2026, 5, 13)), timedelta(minutes=15)):
        sweep(db=db, now=now, tz=WIB)

    assert delivered(db, "review") == {("review", "yulia"): ["12 10:30"]}  # 30 minutes
    (reminder,) = [
        m.text or ""
        for m in outbox.messages(db=db)
        if m.chat_id == chat_of("yulia") and (m.text or "").startswith("🔔 Pengingat")
    ]
    assert "menunggu tanda tangan Bapak/Ibu" in reminder
    assert "Batas waktu SOP: 30 menit" in reminder


# --------------------------------------------------------------------------- meetings, digest


def test_invitees_are_reminded_of_the_meeting_the_working_day_before_and_an_hour_before(
    office_db: Database, cycle: int, people: dict[str, int]
) -> None:
    db = office_db
    for unit in ("KUL", "TEKNIS", "HUKUM", "RENDATIN"):
        set_status(db, unit=unit, status="accepted")
    with db.session() as session:
        meeting = Meeting(
            office_id=office_id(db),
            cycle_id=cycle,
            starts_at=wib(date(2026, 5, 25), 10),
            place="Ruang Rapat",
            agenda="Reviu konsep",
            created_by_person_id=people["fajar"],
            created_at=wib(date(2026, 5, 20), 10),
        )
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        for name, response in (("rina", None), ("agus", "hadir"), ("nurhayati", "berhalangan")):
            session.add(
                MeetingAttendance(meeting_id=meeting.id, person_id=people[name], response=response)
            )
        session.commit()

    for now in instants(wib(date(2026, 5, 20), 10), wib(date(2026, 5, 26)), timedelta(minutes=30)):
        sweep(db=db, now=now, tz=WIB)

    assert delivered(db, "meeting") == {
        ("meeting", "rina"): ["22 10:00", "25 09:00"],
        ("meeting", "agus"): ["22 10:00", "25 09:00"],
    }
    rina = next(m for m in outbox.messages(db=db) if m.chat_id == chat_of("rina"))
    assert rina.reply_markup is not None
    assert [b["text"] for b in rina.reply_markup["inline_keyboard"][0]] == [
        "✅ Hadir",
        "❌ Berhalangan",
    ]
    agus = next(m for m in outbox.messages(db=db) if m.chat_id == chat_of("agus"))
    assert agus.reply_markup == {
        "inline_keyboard": [[{"text": "💬 Kirim masukan", "callback_data": "mt:i:1"}]]
    }


def test_the_morning_digest_goes_to_those_who_turned_it_on(office_db: Database, cycle: int) -> None:
    db = office_db
    now = wib(date(2026, 5, 15), 7)
    with pytest.raises(NotAllowed, match="Tim Laporan Kinerja dan Sekretaris"):
        set_digest(db=db, actor=actor(db, "dedi"), enabled=True, now=now)
    assert "tidak aktif" in digest_setting(db=db, actor=actor(db, "hendra")).text
    set_digest(db=db, actor=actor(db, "hendra"), enabled=True, now=now)
    set_digest(db=db, actor=actor(db, "fajar"), enabled=True, now=now)
    set_digest(db=db, actor=actor(db, "yulia"), enabled=True, now=now)
    reply = set_digest(db=db, actor=actor(db, "yulia"), enabled=False, now=now)
    assert [[b.data for b in row] for row in reply.keyboard] == [["rm:g:1"]]
    assert "07.30" in digest_setting(db=db, actor=actor(db, "hendra")).text
    set_status(db, unit="TEKNIS", status="submitted")

    for moment in instants(
        wib(date(2026, 5, 14), 7), wib(date(2026, 5, 16)), timedelta(minutes=15)
    ):
        sweep(db=db, now=moment, tz=WIB)

    # None on Ascension Day; one at 07:30 on Friday, with the day's state.
    assert delivered(db, "digest") == {
        ("digest", "hendra"): ["15 07:30"],
        ("digest", "fajar"): ["15 07:30"],
    }
    digest = next(m for m in outbox.messages(db=db) if m.chat_id == chat_of("hendra"))
    assert digest.text is not None
    assert "Ringkasan pagi, Jumat, 15 Mei 2026" in digest.text
    assert "Lengkap: 3/13 indikator." in digest.text
    assert "Sub Bagian Teknis" not in digest.text
    assert "Sub Bagian Hukum dan Sumber Daya Manusia: 3 belum lengkap" in digest.text


def test_the_reminder_settings_travel_with_the_organisation_file(
    db: Database, example_spec: OrganisationSpec
) -> None:
    spec = example_spec.model_copy(
        update={"pengingat": ReminderSpec(daily_time=time(8, 15), kasubbag_minutes=90)}
    )
    import_organisation(db=db, spec=spec, now=datetime(2026, 1, 5, tzinfo=UTC))

    exported = export_organisation(db=db, office_code=spec.office.code)
    assert exported.pengingat == spec.pengingat
    with db.session() as session:
        assert session.exec(select(OutboxMessage)).first() is None
