"""SOP steps 2b and 2e: rendatin checks each submission, flags doubtful data, accepts it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import callbacks
from bot.domain.capaian import Capaian
from bot.domain.dates import format_short_day
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.formatting import format_datetime
from bot.domain.numbers import format_number, format_percent
from bot.domain.roles import Role
from bot.messages import Button, Reply
from bot.messages.analysis import no_data_button
from bot.services.audit import record_event
from bot.services.common import NOT_RENDATIN, require_role, unit_members
from bot.services.lines import (
    STATUS_LABELS,
    LineContext,
    evidence_of,
    load_line,
    require_open_cycle,
)
from bot.services.outbox import enqueue
from bot.services.pending import get_pending, set_pending
from bot.services.people import PersonView
from storage.db import Database
from storage.models import CycleIndicator, Person, StoredFile, Submission

FLAG = "flag"


def _capaian_text(capaian: Capaian) -> str:
    return format_percent(capaian.value) if capaian.value is not None else capaian.note


READERS = (Role.RENDATIN, Role.PIMPINAN, Role.SEKRETARIS)


def _load(
    db_session: Session, *, actor: PersonView, submission_id: int
) -> tuple[Submission, LineContext]:
    submission = db_session.get(Submission, submission_id)
    if submission is None:
        raise NotFound("Maaf, data ini tidak ditemukan.")
    context = load_line(
        db_session, line_id=submission.cycle_indicator_id, office_id=actor.office_id
    )
    return submission, context


def _flag_button(submission: Submission, text: str) -> Button:
    assert submission.id is not None
    return Button(text, data=callbacks.encode(callbacks.REVIEW, "f", submission.id))


def _review_keyboard(submission: Submission) -> list[list[Button]]:
    assert submission.id is not None
    return [
        [
            Button("☑️ Terima", data=callbacks.encode(callbacks.REVIEW, "a", submission.id)),
            _flag_button(submission, "⚠️ Tandai kurang valid"),
        ],
        [
            Button(
                "🕘 Riwayat versi",
                data=callbacks.encode(callbacks.REVIEW, "h", submission.cycle_indicator_id),
            )
        ],
    ]


def submission_detail(
    *, db: Database, actor: PersonView, submission_id: int, tz: ZoneInfo
) -> tuple[Reply, list[tuple[str, str]]]:
    """Show one submission in full, with its evidence files (path, name) to send along."""
    with db.session() as session:
        submission, context = _load(session, actor=actor, submission_id=submission_id)
        own_unit = actor.unit_code == context.unit.code
        if not (actor.has_role(*READERS) or own_unit):
            raise NotAllowed("Maaf, Anda tidak berwenang melihat data ini.")
        submitter = session.get(Person, submission.submitted_by_person_id)
        capaian = context.capaian(Decimal(submission.realisasi))
        latest = submission.version == context.line.current_version
        lines = [
            f"🔎 {context.indicator.code} — {context.indicator.name}",
            f"{context.unit.name} · {context.period_label}",
            f"Versi {submission.version}{'' if latest else ' (bukan versi terbaru)'} · "
            f"{STATUS_LABELS.get(submission.status, submission.status)}",
            f"Target: {context.target_text}",
            f"Realisasi: {format_number(Decimal(submission.realisasi))} {context.indicator.satuan}",
            f"Capaian: {_capaian_text(capaian)}",
            f"Penjelasan: {submission.penjelasan}",
        ]
        if submission.kendala:
            lines.append(f"Kendala: {submission.kendala}")
        if submission.upaya:
            lines.append(f"Upaya: {submission.upaya}")
        if submission.warnings:
            lines.append(f"Peringatan otomatis: {', '.join(submission.warnings)}")
        if submission.review_note:
            lines.append(f"Catatan Tim: {submission.review_note}")
        lines.append(
            f"Dikirim {format_datetime(submission.submitted_at, tz)} oleh "
            f"{submitter.name if submitter else '-'} ({submission.source})"
        )
        evidence = evidence_of(session, submission.id)
        files: list[tuple[str, str]] = []
        for item in evidence:
            stored = session.get(StoredFile, item.file_id)
            if stored is not None:
                files.append((stored.path, item.original_name))
        lines.append(f"Bukti: {len(files)} berkas" if files else "Bukti: tidak ada")
        keyboard: list[list[Button]] = []
        if actor.has_role(Role.RENDATIN) and latest and submission.status == "submitted":
            keyboard = _review_keyboard(submission)
        elif actor.has_role(Role.RENDATIN) and latest and submission.status == "accepted":
            keyboard = [[_flag_button(submission, "⚠️ Minta perbaikan")]]
        return Reply("\n".join(lines), keyboard), files


def history(*, db: Database, actor: PersonView, line_id: int, tz: ZoneInfo) -> Reply:
    """List every version of a line: value, who, when, and what the team said."""
    with db.session() as session:
        context = load_line(session, line_id=line_id, office_id=actor.office_id)
        if not (actor.has_role(*READERS) or actor.unit_code == context.unit.code):
            raise NotAllowed("Maaf, Anda tidak berwenang melihat data ini.")
        versions = session.exec(
            select(Submission)
            .where(Submission.cycle_indicator_id == line_id)
            .order_by(col(Submission.version))
        ).all()
        lines = [f"🕘 Riwayat {context.indicator.code} — {context.indicator.name}"]
        if not versions:
            lines.append("Belum ada data.")
        for submission in versions:
            submitter = session.get(Person, submission.submitted_by_person_id)
            lines.append(
                f"\nVersi {submission.version}: {format_number(Decimal(submission.realisasi))} "
                f"{context.indicator.satuan} · {STATUS_LABELS[submission.status]}\n"
                f"{format_datetime(submission.submitted_at, tz)} · "
                f"{submitter.name if submitter else '-'} · {submission.source}"
            )
            if submission.review_note:
                lines.append(f"Catatan Tim: {submission.review_note}")
        keyboard = []
        for submission in versions:
            assert submission.id is not None
            keyboard.append(
                [
                    Button(
                        f"Lihat versi {submission.version}",
                        data=callbacks.encode(callbacks.REVIEW, "v", submission.id),
                    )
                ]
            )
        keyboard = keyboard[-8:]
        if actor.has_role(Role.RENDATIN) and context.line.status not in {"accepted", "no_data"}:
            assert context.line.id is not None
            keyboard.append([no_data_button(context.line.id)])
        if context.line.status == "no_data":
            lines.append(f"\n🚫 Ditandai tidak ada data: {context.line.no_data_reason}")
        return Reply("\n".join(lines), keyboard)


def _require_reviewable(
    session: Session, context: LineContext, submission: Submission, *, flagging: bool = False
) -> None:
    """Refuse a decision on an old version or one already decided.

    Accepted data can still be flagged (the correction flow of SOP step 2e, e.g. after a
    reviewer returned the draft report), but not accepted twice.
    """
    require_open_cycle(session, context)
    if submission.version != context.line.current_version:
        raise NotAllowed(
            f"Sudah ada versi yang lebih baru untuk {context.indicator.code}; tombol ini untuk "
            "versi lama."
        )
    if submission.status not in _DECIDABLE[flagging]:
        state = "ditandai kurang valid" if submission.status == "flagged" else "diterima"
        raise NotAllowed(f"Versi ini sudah {state}.")


# The statuses a submission may be decided from: accepting (False) or flagging (True).
_DECIDABLE = {False: ("submitted",), True: ("submitted", "accepted")}


def begin_flag(*, db: Database, actor: PersonView, submission_id: int, now: datetime) -> Reply:
    """Ask rendatin for the reason the data is doubtful."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        submission, context = _load(session, actor=actor, submission_id=submission_id)
        _require_reviewable(session, context, submission, flagging=True)
        set_pending(
            session, person_id=actor.id, kind=FLAG, payload={"submission": submission_id}, now=now
        )
        session.commit()
        return Reply(
            f"Ketik alasan data {context.indicator.code} ({context.unit.name}) dinilai kurang "
            "valid. Alasan ini dikirim ke unit bersama tombol untuk memperbaiki.\n"
            "Ketik /batal untuk membatalkan."
        )


def flag_with_reason(*, db: Database, actor: PersonView, reason: str, now: datetime) -> Reply:
    """Flag the submission rendatin is writing a reason for, and ping the unit."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput("Mohon tulis alasan yang jelas (paling sedikit 5 huruf).")
    with db.session() as session:
        pending = get_pending(session, person_id=actor.id)
        if pending is None or pending.kind != FLAG:
            raise NotFound("Tidak ada data yang sedang ditandai.")
        submission, context = _load(
            session, actor=actor, submission_id=int(pending.payload["submission"])
        )
        _require_reviewable(session, context, submission, flagging=True)
        _decide(
            session,
            submission=submission,
            context=context,
            status="flagged",
            note=reason[:1000],
            actor=actor,
            now=now,
        )
        assert context.line.id is not None
        fix = [
            [
                Button(
                    "✏️ Perbaiki",
                    data=callbacks.encode(
                        callbacks.ENTRY, callbacks.EntryAction.START, context.line.id
                    ),
                )
            ]
        ]
        text = (
            f"⚠️ Data {context.indicator.code} — {context.indicator.name} ({context.period_label}) "
            f"dinilai kurang valid oleh Tim.\nAlasan: {reason}\n\n"
            f"Mohon perbaiki sebelum {format_short_day(context.line.deadline)}."
        )
        for member in unit_members(session, unit_id=context.unit.id or 0):
            assert member.telegram_user_id is not None
            enqueue(
                session,
                chat_id=member.telegram_user_id,
                now=now,
                text=text,
                keyboard=fix,
                person_id=member.id,
                office_id=actor.office_id,
            )
        session.delete(pending)
        session.commit()
        return Reply(
            f"⚠️ {context.indicator.code} ditandai kurang valid; "
            f"{context.unit.name} sudah diberi tahu.",
            notify=True,
        )


def accept(*, db: Database, actor: PersonView, submission_id: int, now: datetime) -> Reply:
    """Accept a submission as valid and tell the unit."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        submission, context = _load(session, actor=actor, submission_id=submission_id)
        _require_reviewable(session, context, submission)
        _decide(
            session,
            submission=submission,
            context=context,
            status="accepted",
            note=None,
            actor=actor,
            now=now,
        )
        text = (
            f"☑️ Data {context.indicator.code} ({context.period_label}) telah diterima Tim. "
            "Terima kasih."
        )
        for member in unit_members(session, unit_id=context.unit.id or 0):
            assert member.telegram_user_id is not None
            enqueue(
                session,
                chat_id=member.telegram_user_id,
                now=now,
                text=text,
                person_id=member.id,
                office_id=actor.office_id,
            )
        session.commit()
        return Reply(f"☑️ {context.indicator.code} ({context.unit.name}) diterima.", notify=True)


def _decide(
    session: Session,
    *,
    submission: Submission,
    context: LineContext,
    status: str,
    note: str | None,
    actor: PersonView,
    now: datetime,
) -> None:
    # Conditional updates: of two simultaneous taps, exactly one changes the state.
    changed = session.execute(
        update(Submission)
        .where(col(Submission.id) == submission.id, col(Submission.status) == submission.status)
        .values(status=status, review_note=note, reviewed_by_person_id=actor.id, reviewed_at=now)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise NotAllowed("Data ini baru saja diperiksa oleh anggota Tim lain.")
    session.execute(
        update(CycleIndicator)
        .where(
            col(CycleIndicator.id) == context.line.id,
            col(CycleIndicator.current_version) == submission.version,
        )
        .values(status=status)
    )
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action=f"submission.{status}",
        object_type="submission",
        object_id=submission.id,
        office_id=actor.office_id,
        details={
            "indicator": context.indicator.code,
            "version": submission.version,
            "reason": note,
        },
    )
