"""The services as the handlers call them, played in a few lines: a cycle started, an
indicator entered, a draft made and decided. Each step is the public service function."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.domain.periods import Period
from bot.messages import Reply
from bot.services import approvals, drafts, entry, nota_dinas_approval
from bot.services.cycles import draft_cycle, send_cycle
from bot.services.nota_dinas_approval import AwaitingSigner
from bot.services.nota_dinas_sending import SentCycle
from bot.services.people import PersonView, find_by_telegram_id
from storage.db import Database
from storage.files import FileStore
from storage.models import Approval, CycleIndicator, Draft, Person, Submission
from tests.cycle_data import line_of, ready_for_a_draft
from tests.reminder_data import chat_of, wib
from tests.services.outbox_recorder import RecordingOutbox

WIB = ZoneInfo("Asia/Jakarta")
BOT = "lapkin_test_bot"
PROVINSI = "197603032002121002"  # Suryadi, the provinsi recipient in the example office
PROVINSI_CHAT = 7100
KASUBBAG = ("rina", "agus", "yulia", "nurhayati")

# The week of the annual 2026 cycle: sent on Monday morning, due the Monday after.
SENT = wib(date(2026, 11, 23), 9)
DEADLINE = date(2026, 11, 30)
LATER = wib(date(2026, 11, 24), 10)
# The annual report may be signed once its year has ended: the first Monday of 2027.
SIGNING = wib(date(2027, 1, 4), 10)


@dataclass
class Office:
    """The example office as the services see it, and what they queued."""

    db: Database
    files: FileStore
    outbox: RecordingOutbox

    def person(self, name: str) -> PersonView:
        """Return ``name``'s view as a handler would look it up (fresh, with current roles)."""
        chat = PROVINSI_CHAT if name == "suryadi" else chat_of(name)
        view = find_by_telegram_id(db=self.db, telegram_user_id=chat)
        assert view is not None, name
        return view


def register(db: Database, *, nip: str, chat_id: int) -> None:
    """Bind a Telegram account to the person with ``nip``."""
    with db.session() as session:
        person = session.exec(select(Person).where(Person.nip == nip)).one()
        person.telegram_user_id = chat_id
        person.registered_at = SENT
        session.add(person)
        session.commit()


def draft(office: Office, *, by: str = "fajar", now: datetime = SENT) -> int:
    """Have ``by`` draft the annual 2026 cycle (nothing is sent); return the cycle id."""
    return draft_cycle(
        db=office.db,
        actor=office.person(by),
        year=2026,
        period=Period.TAHUNAN,
        deadline=DEADLINE,
        now=now,
        tz=WIB,
    ).cycle_id


def kirim(
    office: Office, cycle_id: int, *, by: str = "fajar", now: datetime = SENT
) -> SentCycle | AwaitingSigner:
    """Have ``by`` (Fajar: not the signer) press Kirim on the drafted cycle."""
    return send_cycle(
        db=office.db,
        files=office.files,
        actor=office.person(by),
        cycle_id=cycle_id,
        now=now,
        tz=WIB,
        bot_username=BOT,
        pdf_copies=False,
    )


def approve_nota_dinas(
    office: Office, cycle_id: int, *, by: str = "yulia", now: datetime = SENT
) -> SentCycle:
    """Have ``by`` (Yulia, the Ketua Tim who signs the Nota Dinas) press Setujui."""
    return nota_dinas_approval.approve(
        db=office.db,
        files=office.files,
        actor=office.person(by),
        cycle_id=cycle_id,
        now=now,
        tz=WIB,
        bot_username=BOT,
        pdf_copies=False,
    )


def start_cycle(office: Office, *, now: datetime = SENT) -> SentCycle:
    """Have Fajar draft the annual 2026 cycle and press Kirim, and Yulia approve it."""
    cycle_id = draft(office, now=now)
    assert isinstance(kirim(office, cycle_id, now=now), AwaitingSigner)
    return approve_nota_dinas(office, cycle_id, now=now)


def line(db: Database, code: str) -> CycleIndicator:
    """Return the cycle's line for indicator ``code`` as it is now."""
    with db.session() as session:
        found = session.get(CycleIndicator, line_of(db, code))
        assert found is not None
        return found


def submissions(db: Database, code: str) -> list[Submission]:
    """Return the submissions for indicator ``code``, oldest version first."""
    with db.session() as session:
        return list(
            session.exec(
                select(Submission)
                .where(Submission.cycle_indicator_id == line_of(db, code))
                .order_by(col(Submission.version))
            )
        )


# The faktor pendukung and penghambat of an indicator at or above 100 %: nothing stood in the
# way, so the upaya is not asked.
AT_TARGET = ("Rencana penarikan dana dipantau setiap bulan.", "Tidak ada.")


def enter(
    office: Office,
    name: str,
    code: str,
    *answers: str,
    now: datetime = LATER,
) -> Reply:
    """Have ``name`` enter ``code``: each typed answer in turn, skip evidence, confirm."""
    person = office.person(name)
    entry.begin_entry(db=office.db, actor=person, line_id=line_of(office.db, code), now=now)
    for answer in answers:
        entry.handle_entry_text(db=office.db, actor=person, text=answer, now=now)
    summary = entry.evidence_done(db=office.db, actor=person, now=now)
    assert summary.text.startswith(f"Ringkasan isian {code}"), summary.text
    return entry.confirm_entry(db=office.db, actor=person, now=now)


def make_draft(office: Office, *, now: datetime = LATER) -> drafts.DraftMade:
    """Have Fajar make the next konsep of the report."""
    return drafts.make_draft(
        db=office.db,
        files=office.files,
        actor=office.person("fajar"),
        now=now,
        tz=WIB,
        pdf_copies=False,
    )


def submit(office: Office, *, now: datetime = LATER) -> Reply:
    """Have Fajar submit the latest konsep for the Kasubbag's initials."""
    return approvals.submit(
        db=office.db,
        files=office.files,
        actor=office.person("fajar"),
        draft_id=None,
        now=now,
        tz=WIB,
    )


def approval_of(db: Database, name_nip: str, *, stage: str) -> Approval:
    """Return the newest draft's approval of ``stage`` by the person with NIP ``name_nip``."""
    with db.session() as session:
        found = session.exec(
            select(Approval)
            .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
            .join(Draft, col(Draft.id) == col(Approval.draft_id))
            .where(Person.nip == name_nip, Approval.stage == stage)
            .order_by(col(Draft.version).desc())
        ).first()
        assert found is not None, (name_nip, stage)
        return found


def decide(office: Office, name: str, *, stage: str, now: datetime = LATER) -> Reply:
    """Have ``name`` approve their pending ``stage`` (paraf or tanda tangan) of the newest draft."""
    person = office.person(name)
    approval = approval_of(office.db, person.nip, stage=stage)
    with office.db.session() as session:
        draft = session.get(Draft, approval.draft_id)
        assert draft is not None and approval.id is not None
        version = draft.version
    return approvals.approve(
        db=office.db,
        files=office.files,
        actor=person,
        approval_id=approval.id,
        version=version,
        now=now,
        tz=WIB,
        pdf_copies=False,
    )


def draft_status(db: Database) -> list[tuple[int, str]]:
    """Return every draft's (version, status), oldest first."""
    with db.session() as session:
        return [
            (d.version, d.status) for d in session.exec(select(Draft).order_by(col(Draft.version)))
        ]


def sign(office: Office) -> None:
    """Play steps 1–4: v1 initialled by every Kasubbag and signed once the year is over (the
    outbox cleared)."""
    start_cycle(office)
    ready_for_a_draft(office.db)
    make_draft(office)
    submit(office)
    for name in KASUBBAG:
        decide(office, name, stage="kasubbag")
    decide(office, "hendra", stage="sekretaris", now=SIGNING)
    office.outbox.clear()
