"""SOP steps 3–4: the draft report goes to every Kasubbag for initials, then to the Sekretaris.

Every decision is taken under a lock on the draft's row (an UPDATE of its lock_version is
the first statement of the transaction), so double taps, two reviewers pressing at once,
or a return racing an approval settle in one order and change the state exactly once.
Buttons carry the approval's id and the draft's version; both are re-checked here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import callbacks, documents
from bot.domain.approval import (
    DECISION_LABELS,
    DRAFT_STATUS_LABELS,
    STAGE_OF,
    Decision,
    DraftEvent,
    DraftStatus,
    Stage,
    next_status,
)
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.formatting import end_sentence, format_datetime
from bot.domain.pending import ReturnReason
from bot.domain.roles import Role
from bot.messages import Reply
from bot.services.analysis import latest_cycle
from bot.services.approval_requests import (
    Route,
    active_delegation,
    draft_id_of,
    lock_draft,
    open_round,
    recipients,
    rendatin_team,
    route_of,
    unreachable,
)
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    initial_reviewers,
    load_office,
    require_role,
    sekretaris_of,
    store_document,
    team_lead,
    tell,
)
from bot.services.drafts import (
    build_content,
    content_digest,
    draft_filename,
    render,
)
from bot.services.outbox import enqueue, enqueue_edits
from bot.services.pending import get_pending, read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Approval,
    Draft,
    Person,
)

RETURN_REASON = "approval_return"  # pending input: a reviewer is writing why they return
_DONE = {Stage.KASUBBAG: "memaraf", Stage.SEKRETARIS: "menandatangani"}


def _acting_title(session: Session, approval: Approval, actor: PersonView) -> str | None:
    """None when the reviewer presses; "Plh."/"Plt." for their delegate; else refuse."""
    if actor.id == approval.reviewer_person_id:
        return None
    delegation = active_delegation(session, absent_person_id=approval.reviewer_person_id)
    if delegation is not None and delegation.delegate_person_id == actor.id:
        return delegation.title
    reviewer = session.get(Person, approval.reviewer_person_id)
    name = reviewer.name if reviewer else "pemeriksa lain"
    raise NotAllowed(
        f"{end_sentence(f'Tombol ini untuk {name}')} Hanya pemeriksa yang ditunjuk yang dapat "
        "memutuskan."
    )


# ----------------------------------------------------------------------------- step 3: submit


def submit(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    draft_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Send the latest konsep version to every Kasubbag for initials (rendatin only)."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        if draft_id is None:
            cycle = latest_cycle(session, office_id=actor.office_id)
            latest = session.exec(
                select(Draft).where(Draft.cycle_id == cycle.id).order_by(col(Draft.version).desc())
            ).first()
            if latest is None:
                raise NotFound("Belum ada konsep laporan. Buat dulu dengan /konsep.")
            draft_id = latest.id or 0
        draft = lock_draft(session, draft_id=draft_id)
        if draft.office_id != actor.office_id:
            raise NotFound(callbacks.INVALID_BUTTON)
        newer = session.exec(
            select(Draft).where(
                Draft.cycle_id == draft.cycle_id, col(Draft.version) > draft.version
            )
        ).first()
        if newer is not None:
            raise NotAllowed(
                f"Sudah ada konsep versi {newer.version}; versi {draft.version} tidak diajukan."
            )
        status = next_status(draft.status, DraftEvent.SUBMIT, version=draft.version)
        office = load_office(session, draft.office_id)
        reviewers = initial_reviewers(session, office=office)
        sekretaris = sekretaris_of(session, office_id=office.id or 0)
        if not reviewers:
            raise NotAllowed("Belum ada Kasubbag di berkas organisasi yang dapat memaraf konsep.")
        if sekretaris is None:
            raise NotAllowed("Belum ada Sekretaris di berkas organisasi untuk menandatangani.")
        missing = unreachable(session, [*reviewers, sekretaris])
        if missing:
            raise NotAllowed(
                "Konsep belum dapat diajukan: "
                + ", ".join(missing)
                + " belum terdaftar di Lapkin. Undang dengan /undang, atau minta admin "
                "menunjuk Plh. dengan /delegasi."
            )
        draft.status = status
        draft.submitted_at = now
        session.add(draft)
        route = route_of(session, draft)
        open_round(
            session, files, route=route, stage=Stage.KASUBBAG, reviewers=reviewers, now=now, tz=tz
        )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="draft.submitted",
            object_type="draft",
            object_id=f"{draft.cycle_id}:{draft.version}",
            office_id=draft.office_id,
            details={"version": draft.version, "reviewers": [p.name for p in reviewers]},
        )
        others = [p for p in rendatin_team(session, office_id=draft.office_id) if p.id != actor.id]
        tell(
            session,
            others,
            f"📤 {actor.name} mengajukan konsep versi {draft.version} untuk paraf Kasubbag.",
            now=now,
        )
        session.commit()
        names = "\n".join(f"• {p.name} ({p.jabatan})" for p in reviewers)
        return Reply(
            f"📤 Konsep versi {draft.version} dikirim untuk paraf kepada:\n{names}\n\n"
            "Anda akan diberi tahu setiap keputusan. Pantau dengan /persetujuan.",
            notify=True,
        )


# ----------------------------------------------------------------------------- decisions


def _load_for_decision(
    session: Session, *, approval_id: int, version: int, actor: PersonView
) -> tuple[Route, Approval, str | None]:
    """Check the press: right person, current version, round still open, not decided yet."""
    approval = session.get(Approval, approval_id)
    if approval is None or approval.office_id != actor.office_id:
        raise NotFound(callbacks.INVALID_BUTTON)
    draft = session.get(Draft, approval.draft_id)
    assert draft is not None
    title = _acting_title(session, approval, actor)
    if draft.version != version:
        raise NotAllowed(callbacks.INVALID_BUTTON)
    status = DraftStatus(draft.status)
    stage = Stage(approval.stage)
    if STAGE_OF.get(status) is not stage or approval.decision == Decision.CANCELLED:
        raise NotAllowed(
            f"Konsep versi {draft.version} {DRAFT_STATUS_LABELS[status]}; "
            "tombol ini tidak berlaku lagi."
        )
    if approval.decision != Decision.PENDING:
        raise NotAllowed(
            f"Keputusan untuk versi {draft.version} sudah tercatat: "
            f"{DECISION_LABELS[Decision(approval.decision)]}."
        )
    return route_of(session, draft), approval, title


def approve(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    approval_id: int,
    version: int,
    now: datetime,
    tz: ZoneInfo,
    template: Path | None = None,
    pdf_copies: bool = True,
) -> Reply:
    """Record a paraf (step 3) or the signature (step 4)."""
    draft_id = draft_id_of(db, approval_id=approval_id, office_id=actor.office_id)
    with db.session() as session:
        lock_draft(session, draft_id=draft_id)
        route, approval, title = _load_for_decision(
            session, approval_id=approval_id, version=version, actor=actor
        )
        stage = Stage(approval.stage)
        _settle(
            session, approval, Decision.APPROVED, actor=actor, title=title, reason=None, now=now
        )
        if stage is Stage.KASUBBAG:
            answer = _after_initial(
                session, files, route=route, approval=approval, actor=actor, now=now, tz=tz
            )
        else:
            answer = _sign(
                session,
                files=files,
                route=route,
                approval=approval,
                actor=actor,
                title=title,
                now=now,
                tz=tz,
                template=template,
                pdf_copies=pdf_copies,
            )
        session.commit()
        return answer


def _settle(
    session: Session,
    approval: Approval,
    decision: Decision,
    *,
    actor: PersonView,
    title: str | None,
    reason: str | None,
    now: datetime,
) -> None:
    approval.decision = decision.value
    approval.reason = reason
    approval.decided_at = now
    approval.decided_by_person_id = actor.id
    approval.acting_title = title
    session.add(approval)
    draft = session.get(Draft, approval.draft_id)
    assert draft is not None
    reviewer = session.get(Person, approval.reviewer_person_id)
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action=f"draft.{approval.stage}.{decision.value}",
        object_type="draft",
        object_id=f"{draft.cycle_id}:{draft.version}",
        office_id=draft.office_id,
        details={
            "version": draft.version,
            "stage": approval.stage,
            "decision": decision.value,
            "reason": reason,
            "on_behalf_of": reviewer.name if title and reviewer else None,
            "acting_title": title,
        },
    )


def _who(actor: PersonView, title: str | None, reviewer: Person | None) -> str:
    if title and reviewer is not None:
        return f"{actor.name} ({title} {reviewer.name})"
    return actor.name


def _after_initial(
    session: Session,
    files: FileStore,
    *,
    route: Route,
    approval: Approval,
    actor: PersonView,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    draft = route.draft
    reviewer = session.get(Person, approval.reviewer_person_id)
    title = approval.acting_title
    who = _who(actor, title, reviewer)
    enqueue_edits(
        session,
        approval.message_ids,
        f"✅ {who} memaraf konsep versi {draft.version} pada {format_datetime(now, tz)}.",
        now=now,
    )
    round_ = session.exec(
        select(Approval).where(
            Approval.draft_id == draft.id, Approval.stage == Stage.KASUBBAG.value
        )
    ).all()
    done = sum(1 for item in round_ if item.decision == Decision.APPROVED)
    team = rendatin_team(session, office_id=draft.office_id)
    tell(
        session,
        team,
        f"✍️ {who} memaraf konsep versi {draft.version} ({done} dari {len(round_)} paraf).",
        now=now,
    )
    if done < len(round_):
        return Reply(
            f"✅ Paraf Anda untuk versi {draft.version} tercatat. Terima kasih.", notify=True
        )
    draft.status = next_status(draft.status, DraftEvent.ALL_INITIALLED, version=draft.version)
    session.add(draft)
    sekretaris = sekretaris_of(session, office_id=draft.office_id)
    if sekretaris is None:
        raise NotAllowed("Belum ada Sekretaris di berkas organisasi untuk menandatangani.")
    open_round(
        session, files, route=route, stage=Stage.SEKRETARIS, reviewers=[sekretaris], now=now, tz=tz
    )
    record_event(
        session,
        now=now,
        actor="sistem",
        action="draft.initialled",
        object_type="draft",
        object_id=f"{draft.cycle_id}:{draft.version}",
        office_id=draft.office_id,
        details={"version": draft.version, "initials": done},
    )
    reachable = (
        ""
        if recipients(session, sekretaris)
        else (" Sekretaris belum terdaftar di Lapkin: undang dengan /undang atau tunjuk Plh.")
    )
    tell(
        session,
        team,
        f"🖋️ Semua Kasubbag telah memaraf versi {draft.version}; konsep dikirim kepada "
        f"{sekretaris.name} untuk ditandatangani.{reachable}",
        now=now,
    )
    return Reply(
        f"✅ Paraf Anda untuk versi {draft.version} tercatat. Paraf sudah lengkap; konsep "
        "diteruskan kepada Sekretaris.",
        notify=True,
    )


def _signed_initials(session: Session, draft: Draft) -> list[documents.LkjipInitial]:
    rows = session.exec(
        select(Approval, Person)
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(Approval.draft_id == draft.id, Approval.stage == Stage.KASUBBAG.value)
        .order_by(col(Person.name))
    ).all()
    initials = []
    for approval, reviewer in rows:
        signer = (
            session.get(Person, approval.decided_by_person_id)
            if approval.decided_by_person_id
            else None
        )
        if approval.acting_title and signer is not None:
            initials.append(
                documents.LkjipInitial(
                    name=signer.name,
                    jabatan=f"{approval.acting_title} {reviewer.jabatan}",
                    initialled_at=approval.decided_at,
                    note=f"{approval.acting_title} untuk {reviewer.name}",
                )
            )
        else:
            initials.append(
                documents.LkjipInitial(
                    name=reviewer.name,
                    jabatan=reviewer.jabatan,
                    initialled_at=approval.decided_at,
                    note=None,
                )
            )
    return initials


def _sign(
    session: Session,
    *,
    files: FileStore,
    route: Route,
    approval: Approval,
    actor: PersonView,
    title: str | None,
    now: datetime,
    tz: ZoneInfo,
    template: Path | None,
    pdf_copies: bool,
) -> Reply:
    draft = route.draft
    office = load_office(session, draft.office_id)
    signer = session.get(Person, actor.id)
    sekretaris = session.get(Person, approval.reviewer_person_id)
    assert signer is not None and sekretaris is not None
    signature = documents.LkjipSignature(
        name=signer.name,
        nip=signer.nip,
        jabatan=f"{title} {sekretaris.jabatan}" if title else sekretaris.jabatan,
        city=office.city,
        signed_on=now.astimezone(tz).date(),
    )
    content = build_content(
        session,
        cycle=route.cycle,
        office=office,
        version=draft.version,
        konsep=False,
        initials=_signed_initials(session, draft),
        signature=signature,
        generated_on=draft.created_at.astimezone(tz).date(),
        tz=tz,
    )
    if content_digest(content) != draft.content_digest:
        # The data changed after this version was made (it should not: changes are refused
        # while a version is under review). Signing would put a different report on record.
        raise NotAllowed(
            f"Isi laporan sudah berbeda dari konsep versi {draft.version} yang diparaf. "
            "Mohon kembalikan konsep ini agar Tim membuat versi baru."
        )
    docx = render(content, template=template)
    stored, stored_pdf = store_document(session, files, docx, now=now, pdf_copies=pdf_copies)
    draft.status = next_status(draft.status, DraftEvent.SIGN, version=draft.version)
    draft.signed_at = now
    draft.signed_by_person_id = actor.id
    draft.signed_file_id = stored.id
    draft.signed_pdf_file_id = stored_pdf.id if stored_pdf else None
    draft.signed_sha256 = stored.sha256
    session.add(draft)
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="draft.signed",
        object_type="draft",
        object_id=f"{draft.cycle_id}:{draft.version}",
        office_id=draft.office_id,
        details={"version": draft.version, "sha256": stored.sha256, "acting_title": title},
    )
    who = _who(actor, title, sekretaris)
    enqueue_edits(
        session,
        approval.message_ids,
        f"✅ {who} menyetujui dan menandatangani versi {draft.version} pada "
        f"{format_datetime(now, tz)}.",
        now=now,
    )
    name = draft_filename(office, route.cycle, draft.version, signed=True)
    caption = (
        f"🖋️ Laporan Kinerja {route.label} versi {draft.version} telah ditandatangani oleh "
        f"{who} pada {format_datetime(now, tz)}.\nSHA-256: {stored.sha256}"
    )
    lead = team_lead(session, office_id=draft.office_id)
    receivers = {p.id: p for p in rendatin_team(session, office_id=draft.office_id)}
    if lead is not None and lead.telegram_user_id is not None:
        receivers.setdefault(lead.id, lead)
    for person in receivers.values():
        assert person.telegram_user_id is not None
        enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=caption,
            document_path=stored.path,
            document_name=f"{name}.docx",
            person_id=person.id,
            office_id=draft.office_id,
        )
        if stored_pdf is not None:
            enqueue(
                session,
                chat_id=person.telegram_user_id,
                now=now,
                document_path=stored_pdf.path,
                document_name=f"{name}.pdf",
                person_id=person.id,
                office_id=draft.office_id,
            )
    return Reply(
        f"✅ Laporan versi {draft.version} telah Anda tandatangani. Salinan bertanda tangan "
        "dikirim kepada Ketua Tim dan Tim Laporan Kinerja.",
        notify=True,
    )


# ----------------------------------------------------------------------------- returns


def begin_return(
    *, db: Database, actor: PersonView, approval_id: int, version: int, now: datetime
) -> Reply:
    """Ask the reviewer why they return the draft; nothing changes until they answer."""
    with db.session() as session:
        route, _, _ = _load_for_decision(
            session, approval_id=approval_id, version=version, actor=actor
        )
        wait_for(
            session,
            person_id=actor.id,
            payload=ReturnReason(approval=approval_id, version=version),
            now=now,
        )
        session.commit()
        return Reply(
            f"↩️ Tuliskan alasan konsep versi {route.draft.version} dikembalikan ke Tim (apa yang "
            "perlu diperbaiki). Alasan ini dikirim ke Tim dan pemeriksa lain.\n"
            "Ketik /batal untuk membatalkan."
        )


def return_with_reason(
    *, db: Database, actor: PersonView, reason: str, now: datetime, tz: ZoneInfo
) -> Reply:
    """Return the draft to the team with the reviewer's reason."""
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput("Mohon tulis alasan yang jelas (paling sedikit 5 huruf).")
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=ReturnReason)
        if found is None:
            raise NotFound("Tidak ada konsep yang sedang dikembalikan.")
        approval_id, version = found[1].approval, found[1].version
    draft_id = draft_id_of(db, approval_id=approval_id, office_id=actor.office_id)
    with db.session() as session:
        lock_draft(session, draft_id=draft_id)
        pending = get_pending(session, person_id=actor.id)
        if pending is not None:
            session.delete(pending)
        try:
            route, approval, title = _load_for_decision(
                session, approval_id=approval_id, version=version, actor=actor
            )
        except NotAllowed:
            session.commit()  # the pending question is settled either way
            raise
        draft = route.draft
        reviewer = session.get(Person, approval.reviewer_person_id)
        who = _who(actor, title, reviewer)
        _settle(
            session,
            approval,
            Decision.RETURNED,
            actor=actor,
            title=title,
            reason=reason[:1000],
            now=now,
        )
        draft.status = next_status(draft.status, DraftEvent.RETURN, version=draft.version)
        session.add(draft)
        enqueue_edits(
            session,
            approval.message_ids,
            f"↩️ {who} mengembalikan konsep versi {draft.version} pada "
            f"{format_datetime(now, tz)}.\nAlasan: {reason}",
            now=now,
        )
        for other in session.exec(
            select(Approval).where(Approval.draft_id == draft.id, col(Approval.id) != approval.id)
        ).all():
            if other.decision == Decision.PENDING:
                other.decision = Decision.CANCELLED.value
                other.decided_at = now
                session.add(other)
                text = (
                    f"↩️ Konsep versi {draft.version} dikembalikan oleh {who}; tombol ini tidak "
                    f"berlaku lagi dan Anda tidak perlu memutuskan.\nAlasan: {reason}\n"
                    "Versi perbaikan akan dikirim kembali."
                )
            else:
                text = (
                    f"{_DONE_LINE[Decision(other.decision)]} versi {draft.version}. Versi ini "
                    f"kemudian dikembalikan oleh {who}.\nAlasan: {reason}\n"
                    "Versi perbaikan akan dikirim kembali."
                )
            enqueue_edits(session, other.message_ids, text, now=now)
        tell(
            session,
            rendatin_team(session, office_id=draft.office_id),
            f"↩️ Konsep versi {draft.version} dikembalikan oleh {who} "
            f"({reviewer.jabatan if reviewer else '-'}).\nAlasan: {reason}\n\n"
            "Perbaiki datanya (lewat /status: Minta perbaikan) atau narasinya, lalu buat versi "
            "baru dengan /konsep dan ajukan kembali.",
            now=now,
        )
        session.commit()
        return Reply(
            f"↩️ Konsep versi {draft.version} dikembalikan ke Tim dengan alasan Anda.", notify=True
        )


_DONE_LINE = {
    Decision.APPROVED: "✅ Anda sudah menyetujui",
    Decision.RETURNED: "↩️ Anda mengembalikan",
    Decision.CANCELLED: "Keputusan tidak diperlukan lagi untuk",
}
