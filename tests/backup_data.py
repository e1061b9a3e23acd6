"""A deployment worth backing up: the example office part way through its 2026 report.

Built through the services, as people would have built it: the Nota Dinas prepared by Fajar,
approved by Yulia and sent (documents in the outbox), an answer with evidence accepted, the
rest marked "tidak ada data", a draft sent to the Kasubbags with one of them having
initialled it (an edited message), someone half-way through an entry with a file uploaded,
the year's budget, and last year's cycle archived.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import update
from sqlmodel import col, select

from bot.domain.organisation import OrganisationSpec
from bot.domain.periods import Period
from bot.services import approvals, archive, entry, nota_dinas_approval, outbox, review
from bot.services.budget import import_budget
from bot.services.cycles import draft_cycle, send_cycle
from bot.services.drafts import make_draft
from bot.services.people import PersonView, find_by_telegram_id
from storage.db import Database
from storage.files import FileStore
from storage.models import Approval, Cycle, CycleIndicator, Submission
from tests.cycle_data import line_of
from tests.reminder_data import WIB, chat_of, import_pk, office_id, register_everyone, wib

NOW = wib(date(2026, 1, 12), 9)


def person(db: Database, name: str) -> PersonView:
    """Return the example person ``name`` (first name, lower case) as the services see them."""
    view = find_by_telegram_id(db=db, telegram_user_id=chat_of(name))
    assert view is not None
    return view


def evidence(seed: int, size: int = 3000) -> bytes:
    """A file that passes for a PDF, different for each seed."""
    return (b"%PDF-1.4 bukti " + str(seed).encode() + b" ").ljust(size, b"x")


def build_office(db: Database, spec: OrganisationSpec, data_dir: Path) -> FileStore:
    """Fill ``db`` (holding the example organisation) and ``data_dir``; return the file store."""
    files = FileStore(data_dir)
    import_pk(db, spec)
    for budget in spec.anggaran:
        import_budget(
            db=db,
            office_id=office_id(db),
            year=budget.year,
            lines=budget.to_domain(),
            now=NOW,
            actor="test",
        )
    people = register_everyone(db)
    _archived_2025(db, files, created_by=people["fajar"])
    fajar, dedi, siti = person(db, "fajar"), person(db, "dedi"), person(db, "siti")

    cycle = draft_cycle(
        db=db,
        actor=fajar,
        year=2026,
        period=Period.TAHUNAN,
        deadline=date(2026, 1, 30),
        now=NOW,
        tz=WIB,
    )
    send_cycle(
        db=db,
        files=files,
        actor=fajar,
        cycle_id=cycle.cycle_id,
        now=NOW,
        tz=WIB,
        bot_username="lapkin_test_bot",
        pdf_copies=False,
    )
    # Fajar prepared it; Yulia, the Ketua Tim who signs it, approves: numbered and sent.
    nota_dinas_approval.approve(
        db=db,
        files=files,
        actor=person(db, "yulia"),
        cycle_id=cycle.cycle_id,
        now=NOW,
        tz=WIB,
        bot_username="lapkin_test_bot",
        pdf_copies=False,
    )

    # KUL answers IK 3.3 with two evidence files; rendatin accepts it.
    entry.begin_entry(db=db, actor=dedi, line_id=line_of(db, "IK 3.3"), now=NOW)
    for answer in (
        "4",
        "Empat laporan keuangan disusun tepat waktu.",
        "Aplikasi SAKTI sudah dipakai seluruh pengelola keuangan.",
        "Tidak ada.",
    ):
        entry.handle_entry_text(db=db, actor=dedi, text=answer, now=NOW)
    for seed, name in ((1, "laporan Q1-Q2.pdf"), (2, "laporan Q3-Q4.pdf")):
        entry.add_evidence(
            db=db,
            files=files,
            actor=dedi,
            data=evidence(seed),
            filename=name,
            mime_type="application/pdf",
            now=NOW,
        )
    entry.evidence_done(db=db, actor=dedi, now=NOW)
    entry.confirm_entry(db=db, actor=dedi, now=NOW)
    with db.session() as session:
        submission = session.exec(select(Submission)).one()
        assert submission.id is not None
        submission_id = submission.id
    review.accept(db=db, actor=fajar, submission_id=submission_id, now=NOW)

    # TEKNIS started IK 2.1 and uploaded a file (kept in pending_input), then left it.
    entry.begin_entry(db=db, actor=siti, line_id=line_of(db, "IK 2.1"), now=NOW)
    for answer in (
        "12",
        "Dua belas kegiatan sosialisasi.",
        "Kerja sama dengan sekolah dan kampus.",
        "Tidak ada.",
    ):
        entry.handle_entry_text(db=db, actor=siti, text=answer, now=NOW)
    entry.add_evidence(
        db=db,
        files=files,
        actor=siti,
        data=evidence(3),
        filename="daftar hadir.pdf",
        mime_type="application/pdf",
        now=NOW,
    )
    # Every other line has no data this time, so the draft can be made.
    with db.session() as session:
        session.execute(
            update(CycleIndicator)
            .where(col(CycleIndicator.id) != line_of(db, "IK 3.3"))
            .values(status="no_data", no_data_reason="Belum ada kegiatan pada periode ini.")
        )
        session.commit()
    make_draft(db=db, files=files, actor=fajar, now=NOW, tz=WIB, pdf_copies=False)
    approvals.submit(db=db, files=files, actor=fajar, draft_id=None, now=NOW, tz=WIB)

    # Everything queued so far went out; Rina's initials then edit her request message.
    for item in outbox.claim_due(db=db, now=NOW, limit=1000):
        outbox.mark_sent(db=db, message_id=item.id, telegram_message_id=item.id + 500, now=NOW)
    rina = person(db, "rina")
    with db.session() as session:
        approval = session.exec(
            select(Approval).where(Approval.reviewer_person_id == rina.id)
        ).one()
        assert approval.id is not None
        approval_id = approval.id
    approvals.approve(
        db=db, files=files, actor=rina, approval_id=approval_id, version=1, now=NOW, tz=WIB
    )

    return files


def _archived_2025(db: Database, files: FileStore, *, created_by: int) -> None:
    """Last year's cycle, closed and archived (its data and audit trail as archived files)."""
    with db.session() as session:
        cycle = Cycle(
            office_id=office_id(db),
            year=2025,
            period="tahunan",
            status="closed",
            deadline=date(2025, 1, 31),
            created_by_person_id=created_by,
            created_at=wib(date(2025, 1, 6), 9),
            sent_at=wib(date(2025, 1, 6), 10),
        )
        session.add(cycle)
        session.flush()
        archive.archive_cycle(session, files, cycle=cycle, now=wib(date(2025, 3, 3), 9), tz=WIB)
        session.commit()


def stored_files(data_dir: Path) -> dict[str, bytes]:
    """Return every file under ``data_dir``/files by its path relative to ``data_dir``."""
    return {
        path.relative_to(data_dir).as_posix(): path.read_bytes()
        for path in sorted((data_dir / "files").rglob("*"))
        if path.is_file()
    }
