"""SOP steps 3–4: the draft report goes to every Kasubbag for initials, then to the Sekretaris.

Every decision is taken under a lock on the draft's row (an UPDATE of its lock_version is
the first statement of the transaction), so double taps, two reviewers pressing at once,
or a return racing an approval settle in one order and change the state exactly once.
Buttons carry the approval's id and the draft's version; both are re-checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import callbacks
from bot.documents import LkjipInitial, LkjipSignature
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
from bot.domain.dates import format_day
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.formatting import end_sentence, format_datetime
from bot.domain.measure import summary_lines
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.services.analysis import latest_cycle
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    initial_reviewers,
    load_office,
    people_with_role,
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
    signature_of,
)
from bot.services.entry import Reply
from bot.services.outbox import Button, enqueue, enqueue_edit
from bot.services.pending import get_pending, set_pending
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Approval,
    Cycle,
    Delegation,
    Draft,
    OutboxMessage,
    Person,
    ReportDelivery,
    StoredFile,
)

RETURN_REASON = "approval_return"  # pending input: a reviewer is writing why they return
MAX_CHANGES_SHOWN = 25

# The SOP's time standard per stage, shown to the reviewer.
_STANDARD_MINUTES = {Stage.KASUBBAG: 60, Stage.SEKRETARIS: 30}
_APPROVE_TEXT = {
    Stage.KASUBBAG: "✅ Setujui (paraf)",
    Stage.SEKRETARIS: "✅ Setujui & tandatangani",
}
_ASK = {Stage.KASUBBAG: "paraf", Stage.SEKRETARIS: "persetujuan dan tanda tangan"}
_DONE = {Stage.KASUBBAG: "memaraf", Stage.SEKRETARIS: "menandatangani"}


@dataclass(frozen=True)
class Route:
    """A draft with everything a decision needs, loaded under the draft's lock."""

    draft: Draft
    cycle: Cycle

    @property
    def label(self) -> str:
        return f"{Period(self.cycle.period).label} {self.cycle.year}"


# ----------------------------------------------------------------------------- buttons


def decision_keyboard(approval: Approval, version: int) -> list[list[Button]]:
    """Setujui / Kembalikan for one approval; the version rides along to catch stale presses."""
    assert approval.id is not None
    stage = Stage(approval.stage)
    return [
        [
            Button(
                _APPROVE_TEXT[stage],
                data=callbacks.encode(callbacks.APPROVAL, "ok", approval.id, version),
            ),
            Button(
                "↩️ Kembalikan",
                data=callbacks.encode(callbacks.APPROVAL, "rt", approval.id, version),
            ),
        ]
    ]


# ----------------------------------------------------------------------------- locking


def lock_draft(session: Session, *, draft_id: int) -> Draft:
    """Take the draft's row lock (first write of the transaction) and load it fresh."""
    session.execute(
        update(Draft)
        .where(col(Draft.id) == draft_id)
        .values(lock_version=col(Draft.lock_version) + 1)
    )
    draft = session.exec(
        select(Draft).where(Draft.id == draft_id).execution_options(populate_existing=True)
    ).first()
    if draft is None:
        raise NotFound("Konsep laporan tidak ditemukan.")
    return draft


def _draft_id_of(db: Database, *, approval_id: int, office_id: int) -> int:
    with db.session() as session:
        approval = session.get(Approval, approval_id)
        if approval is None or approval.office_id != office_id:
            raise NotFound(callbacks.INVALID_BUTTON)
        return approval.draft_id


def _route(session: Session, draft: Draft) -> Route:
    cycle = session.get(Cycle, draft.cycle_id)
    assert cycle is not None
    return Route(draft=draft, cycle=cycle)


# ----------------------------------------------------------------------------- people


def active_delegation(session: Session, *, absent_person_id: int) -> Delegation | None:
    """Return the delegation in force for an absent reviewer, if any."""
    return session.exec(
        select(Delegation)
        .where(
            Delegation.absent_person_id == absent_person_id,
            col(Delegation.ended_at).is_(None),
        )
        .order_by(col(Delegation.id).desc())
    ).first()


def _recipients(session: Session, reviewer: Person) -> list[tuple[Person, Delegation | None]]:
    """Who receives a reviewer's buttons: the reviewer and any delegate, when registered."""
    people: list[tuple[Person, Delegation | None]] = []
    if reviewer.active and reviewer.telegram_user_id is not None:
        people.append((reviewer, None))
    assert reviewer.id is not None
    delegation = active_delegation(session, absent_person_id=reviewer.id)
    if delegation is not None:
        delegate = session.get(Person, delegation.delegate_person_id)
        if delegate is not None and delegate.active and delegate.telegram_user_id is not None:
            people.append((delegate, delegation))
    return people


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


def _rendatin_team(session: Session, *, office_id: int) -> list[Person]:
    return people_with_role(session, office_id=office_id, role=Role.RENDATIN)


# ----------------------------------------------------------------------------- review requests


def _changes_since(session: Session, *, draft: Draft, reviewer_id: int) -> list[str]:
    """What changed since the version this reviewer last saw, and why it came back."""
    seen = session.exec(
        select(Draft)
        .join(Approval, col(Approval.draft_id) == col(Draft.id))
        .where(
            Draft.cycle_id == draft.cycle_id,
            col(Draft.version) < draft.version,
            Approval.reviewer_person_id == reviewer_id,
        )
        .order_by(col(Draft.version).desc())
    ).first()
    returns = session.exec(
        select(Approval, Draft, Person)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(
            Draft.cycle_id == draft.cycle_id,
            col(Draft.version) < draft.version,
            col(Draft.version) >= (seen.version if seen else 0),
            Approval.decision == Decision.RETURNED.value,
        )
        .order_by(col(Draft.version))
    ).all()
    lines: list[str] = []
    if returns:
        lines.append("Alasan pengembalian sebelumnya:")
        lines += [
            f"• Versi {earlier.version}, {who.name}: {approval.reason}"
            for approval, earlier, who in returns
        ]
    if seen is None:
        return lines
    changed = []
    before, after = seen.indicator_values, draft.indicator_values
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code), after.get(code)
        if old == new:
            continue
        if old is None or new is None:
            changed.append(f"• {code}: {'ditambahkan' if old is None else 'dihapus'}")
            continue
        changed.append(
            f"• {code}: realisasi {old['realisasi']} → {new['realisasi']}, "
            f"capaian {old['capaian']} → {new['capaian']}"
        )
    lines.append(f"Perubahan sejak versi {seen.version} yang Anda periksa:")
    if not changed:
        lines.append("• Angka indikator tidak berubah (perubahan pada narasi atau lampiran).")
    else:
        lines += changed[:MAX_CHANGES_SHOWN]
        if len(changed) > MAX_CHANGES_SHOWN:
            lines.append(f"• … dan {len(changed) - MAX_CHANGES_SHOWN} indikator lain.")
    return lines


def _decided_by(session: Session, approval: Approval, reviewer: Person) -> str:
    """The reviewer's name, or "<delegate> (Plh. <reviewer>)" when a delegate decided."""
    if approval.acting_title and approval.decided_by_person_id:
        delegate = session.get(Person, approval.decided_by_person_id)
        if delegate is not None:
            return f"{delegate.name} ({approval.acting_title} {reviewer.name})"
    return reviewer.name


def _request_text(
    session: Session,
    *,
    route: Route,
    approval: Approval,
    reviewer: Person,
    delegation: Delegation | None,
    summary: list[str],
    tz: ZoneInfo,
) -> str:
    stage = Stage(approval.stage)
    office = load_office(session, route.draft.office_id)
    lines = []
    if delegation is not None:
        lines.append(
            f"Anda ditunjuk sebagai {delegation.title} untuk {reviewer.name} "
            f"({reviewer.jabatan}): {delegation.reason}"
        )
    lines += [
        f"📝 Mohon {_ASK[stage]} Konsep Laporan Kinerja {office.name} {route.label}, "
        f"versi {route.draft.version}.",
        f"Diajukan {format_datetime(approval.assigned_at, tz)}; waktu standar SOP "
        f"{_STANDARD_MINUTES[stage]} menit.",
    ]
    if stage is Stage.SEKRETARIS:
        initialled = session.exec(
            select(Approval, Person)
            .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
            .where(
                Approval.draft_id == route.draft.id,
                Approval.stage == Stage.KASUBBAG.value,
                Approval.decision == Decision.APPROVED.value,
            )
            .order_by(col(Approval.decided_at))
        ).all()
        names = ", ".join(_decided_by(session, a, p) for a, p in initialled)
        lines.append(end_sentence(f"Telah diparaf oleh: {names}"))
    lines += ["", *summary]
    changes = _changes_since(session, draft=route.draft, reviewer_id=reviewer.id or 0)
    if changes:
        lines += ["", *changes]
    lines += ["", "Dokumen terlampir di atas. Untuk mengembalikan, tuliskan alasannya."]
    return "\n".join(lines)


def _send_request(
    session: Session,
    files: FileStore,
    *,
    route: Route,
    approval: Approval,
    summary: list[str],
    now: datetime,
    tz: ZoneInfo,
    only: Person | None = None,
) -> int:
    """Send the draft and the decision buttons to the reviewer (and delegate); return how many."""
    reviewer = session.get(Person, approval.reviewer_person_id)
    assert reviewer is not None
    documents = _draft_files(session, files, route.draft)
    office = load_office(session, route.draft.office_id)
    name = draft_filename(office, route.cycle, route.draft.version, signed=False)
    sent = 0
    message_ids = list(approval.message_ids)
    for person, delegation in _recipients(session, reviewer):
        if only is not None and person.id != only.id:
            continue
        assert person.telegram_user_id is not None
        for path, extension in documents:
            enqueue(
                session,
                chat_id=person.telegram_user_id,
                now=now,
                document_path=path,
                document_name=f"{name}.{extension}",
                person_id=person.id,
                office_id=route.draft.office_id,
            )
        message = enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=_request_text(
                session,
                route=route,
                approval=approval,
                reviewer=reviewer,
                delegation=delegation,
                summary=summary,
                tz=tz,
            ),
            keyboard=decision_keyboard(approval, route.draft.version),
            person_id=person.id,
            office_id=route.draft.office_id,
        )
        assert message is not None
        session.flush()
        message_ids.append(message.id or 0)
        sent += 1
    approval.message_ids = message_ids  # a new list, so the JSON column is written
    session.add(approval)
    return sent


def _draft_files(session: Session, files: FileStore, draft: Draft) -> list[tuple[str, str]]:
    """The draft's files as (path on disk, extension)."""
    found = []
    for file_id, extension in ((draft.file_id, "docx"), (draft.pdf_file_id, "pdf")):
        stored = session.get(StoredFile, file_id) if file_id else None
        if stored is not None:
            found.append((str(files.path(stored.path)), extension))
    return found


def _summary(session: Session, route: Route, *, tz: ZoneInfo) -> list[str]:
    office = load_office(session, route.draft.office_id)
    content = build_content(
        session,
        cycle=route.cycle,
        office=office,
        version=route.draft.version,
        konsep=True,
        initials=[],
        signature=signature_of(session, office=office),
        generated_on=route.draft.created_at.astimezone(tz).date(),
        tz=tz,
    )
    return ["Ringkasan:", *summary_lines(content.analysis)]


def _open_round(
    session: Session,
    files: FileStore,
    *,
    route: Route,
    stage: Stage,
    reviewers: list[Person],
    now: datetime,
    tz: ZoneInfo,
) -> list[Approval]:
    summary = _summary(session, route, tz=tz)
    approvals = []
    for reviewer in reviewers:
        approval = Approval(
            office_id=route.draft.office_id,
            draft_id=route.draft.id or 0,
            stage=stage.value,
            reviewer_person_id=reviewer.id or 0,
            assigned_at=now,
        )
        session.add(approval)
        session.flush()
        _send_request(
            session, files, route=route, approval=approval, summary=summary, now=now, tz=tz
        )
        approvals.append(approval)
    return approvals


def _unreachable(session: Session, people: list[Person]) -> list[str]:
    """Name the reviewers nobody could decide for: unregistered and without a delegate."""
    return [person.name for person in people if not _recipients(session, person)]


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
        unreachable = _unreachable(session, [*reviewers, sekretaris])
        if unreachable:
            raise NotAllowed(
                "Konsep belum dapat diajukan: "
                + ", ".join(unreachable)
                + " belum terdaftar di Lapkin. Undang dengan /undang, atau minta admin "
                "menunjuk Plh. dengan /delegasi."
            )
        draft.status = status
        draft.submitted_at = now
        session.add(draft)
        route = _route(session, draft)
        _open_round(
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
        others = [p for p in _rendatin_team(session, office_id=draft.office_id) if p.id != actor.id]
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
    return _route(session, draft), approval, title


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
    draft_id = _draft_id_of(db, approval_id=approval_id, office_id=actor.office_id)
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


def _edit_messages(session: Session, approval: Approval, text: str, *, now: datetime) -> None:
    """Replace the text of every message carrying this approval's buttons (and drop them)."""
    for message_id in approval.message_ids:
        message = session.get(OutboxMessage, message_id)
        if message is not None:
            enqueue_edit(session, of=message, text=text, now=now)


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
    _edit_messages(
        session,
        approval,
        f"✅ {who} memaraf konsep versi {draft.version} pada {format_datetime(now, tz)}.",
        now=now,
    )
    round_ = session.exec(
        select(Approval).where(
            Approval.draft_id == draft.id, Approval.stage == Stage.KASUBBAG.value
        )
    ).all()
    done = sum(1 for item in round_ if item.decision == Decision.APPROVED)
    team = _rendatin_team(session, office_id=draft.office_id)
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
    _open_round(
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
        if _recipients(session, sekretaris)
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


def _signed_initials(session: Session, draft: Draft) -> list[LkjipInitial]:
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
                LkjipInitial(
                    name=signer.name,
                    jabatan=f"{approval.acting_title} {reviewer.jabatan}",
                    initialled_at=approval.decided_at,
                    note=f"{approval.acting_title} untuk {reviewer.name}",
                )
            )
        else:
            initials.append(
                LkjipInitial(
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
    signature = LkjipSignature(
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
    _edit_messages(
        session,
        approval,
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
    receivers = {p.id: p for p in _rendatin_team(session, office_id=draft.office_id)}
    if lead is not None and lead.telegram_user_id is not None:
        receivers.setdefault(lead.id, lead)
    for person in receivers.values():
        assert person.telegram_user_id is not None
        enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=caption,
            document_path=str(files.path(stored.path)),
            document_name=f"{name}.docx",
            person_id=person.id,
            office_id=draft.office_id,
        )
        if stored_pdf is not None:
            enqueue(
                session,
                chat_id=person.telegram_user_id,
                now=now,
                document_path=str(files.path(stored_pdf.path)),
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
        set_pending(
            session,
            person_id=actor.id,
            kind=RETURN_REASON,
            payload={"approval": approval_id, "version": version},
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
        pending = get_pending(session, person_id=actor.id)
        if pending is None or pending.kind != RETURN_REASON:
            raise NotFound("Tidak ada konsep yang sedang dikembalikan.")
        approval_id = int(pending.payload["approval"])
        version = int(pending.payload["version"])
    draft_id = _draft_id_of(db, approval_id=approval_id, office_id=actor.office_id)
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
        _edit_messages(
            session,
            approval,
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
            _edit_messages(session, other, text, now=now)
        tell(
            session,
            _rendatin_team(session, office_id=draft.office_id),
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


# ----------------------------------------------------------------------------- /persetujuan


def overview(*, db: Database, actor: PersonView, tz: ZoneInfo) -> list[Reply]:
    """What waits for the actor's decision, and for rendatin the current round per reviewer."""
    replies: list[Reply] = []
    with db.session() as session:
        waiting = _waiting_for(session, actor=actor)
        for approval, draft, reviewer, title in waiting:
            stage = Stage(approval.stage)
            on_behalf = f" sebagai {title} {reviewer.name}" if title else ""
            replies.append(
                Reply(
                    f"⏳ Menunggu {_ASK[stage]} Anda{on_behalf}: konsep versi {draft.version}, "
                    f"sejak {format_datetime(approval.assigned_at, tz)}.",
                    decision_keyboard(approval, draft.version),
                )
            )
        if actor.has_role(Role.RENDATIN):
            replies.append(Reply(_round_text(session, actor=actor, tz=tz)))
        elif not waiting:
            replies.append(Reply("Tidak ada konsep laporan yang menunggu keputusan Anda."))
    return replies


def _waiting_for(
    session: Session, *, actor: PersonView
) -> list[tuple[Approval, Draft, Person, str | None]]:
    reviewer_ids: dict[int, str | None] = {actor.id: None}
    for delegation in session.exec(
        select(Delegation).where(
            Delegation.delegate_person_id == actor.id, col(Delegation.ended_at).is_(None)
        )
    ):
        reviewer_ids.setdefault(delegation.absent_person_id, delegation.title)
    rows = session.exec(
        select(Approval, Draft, Person)
        .join(Draft, col(Draft.id) == col(Approval.draft_id))
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(
            col(Approval.reviewer_person_id).in_(list(reviewer_ids)),
            Approval.decision == Decision.PENDING.value,
            Approval.office_id == actor.office_id,
        )
        .order_by(col(Approval.assigned_at))
    ).all()
    return [
        (approval, draft, reviewer, reviewer_ids[reviewer.id or 0])
        for approval, draft, reviewer in rows
        if STAGE_OF.get(DraftStatus(draft.status)) is Stage(approval.stage)
    ]


def _round_text(session: Session, *, actor: PersonView, tz: ZoneInfo) -> str:
    try:
        cycle = latest_cycle(session, office_id=actor.office_id)
    except NotFound:
        return "Belum ada pengumpulan data. Mulai dengan /siklus."
    draft = session.exec(
        select(Draft).where(Draft.cycle_id == cycle.id).order_by(col(Draft.version).desc())
    ).first()
    if draft is None:
        return "Belum ada konsep laporan. Buat dengan /konsep."
    label = f"{Period(cycle.period).label} {cycle.year}"
    status = DraftStatus(draft.status)
    lines = [f"📋 Konsep {label} versi {draft.version}: {DRAFT_STATUS_LABELS[status]}."]
    rows = session.exec(
        select(Approval, Person)
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(Approval.draft_id == draft.id)
        .order_by(col(Approval.id))
    ).all()
    for stage in Stage:
        items = [(a, p) for a, p in rows if a.stage == stage.value]
        if not items:
            continue
        lines.append("")
        lines.append("Paraf Kasubbag:" if stage is Stage.KASUBBAG else "Tanda tangan Sekretaris:")
        for approval, reviewer in items:
            lines.append(_approval_line(session, approval, reviewer, tz=tz))
    if status is DraftStatus.KONSEP:
        lines.append("\nAjukan untuk paraf dengan /ajukan.")
    if status is DraftStatus.SIGNED:
        lines.append("\nKirim ke KPU Provinsi dengan /kirim.")
    lines += _delivery_lines(session, cycle=cycle, tz=tz)
    delegations = session.exec(
        select(Delegation).where(
            Delegation.office_id == actor.office_id, col(Delegation.ended_at).is_(None)
        )
    ).all()
    if delegations:
        lines.append("\nPlh./Plt. yang berlaku:")
        for delegation in delegations:
            absent = session.get(Person, delegation.absent_person_id)
            delegate = session.get(Person, delegation.delegate_person_id)
            lines.append(
                f"• {delegation.title} {absent.name if absent else '-'}: "
                f"{delegate.name if delegate else '-'} ({delegation.reason})"
            )
    return "\n".join(lines)


def _delivery_lines(session: Session, *, cycle: Cycle, tz: ZoneInfo) -> list[str]:
    """Step 5 as the status shows it, late deliveries marked."""
    delivery = session.exec(
        select(ReportDelivery).where(ReportDelivery.cycle_id == cycle.id)
    ).first()
    if delivery is None:
        return []
    late = f" — TERLAMBAT (batas {format_day(delivery.deadline)})" if delivery.late else ""
    lines = [
        "",
        f"📨 Dikirim {format_datetime(delivery.sent_at, tz)} dengan Surat Pengantar nomor "
        f"{delivery.letter_number}{late}.",
    ]
    if delivery.received_at is not None:
        lines.append(
            f"📬 Diterima {delivery.received_by_name or '-'} pada "
            f"{format_datetime(delivery.received_at, tz)}."
        )
    else:
        lines.append("📬 Tanda terima belum ada.")
    return lines


def _approval_line(session: Session, approval: Approval, reviewer: Person, *, tz: ZoneInfo) -> str:
    decision = Decision(approval.decision)
    line = f"• {reviewer.name}: {DECISION_LABELS[decision]}"
    if decision is Decision.PENDING:
        return f"{line} sejak {format_datetime(approval.assigned_at, tz)}"
    if approval.decided_at is not None:
        line += f" {format_datetime(approval.decided_at, tz)}"
    if approval.acting_title and approval.decided_by_person_id:
        delegate = session.get(Person, approval.decided_by_person_id)
        line += f" oleh {approval.acting_title} {delegate.name if delegate else '-'}"
    if approval.reason:
        line += f"\n  Alasan: {approval.reason}"
    return line


# ----------------------------------------------------------------------------- delegation support


def send_pending_to_delegate(
    session: Session, files: FileStore, *, delegation: Delegation, now: datetime, tz: ZoneInfo
) -> int:
    """Give a new delegate the buttons of every decision waiting for the absent reviewer."""
    delegate = session.get(Person, delegation.delegate_person_id)
    assert delegate is not None
    sent = 0
    for approval in session.exec(
        select(Approval).where(
            Approval.reviewer_person_id == delegation.absent_person_id,
            Approval.decision == Decision.PENDING.value,
        )
    ).all():
        draft = session.get(Draft, approval.draft_id)
        assert draft is not None
        if STAGE_OF.get(DraftStatus(draft.status)) is not Stage(approval.stage):
            continue
        route = _route(session, draft)
        sent += _send_request(
            session,
            files,
            route=route,
            approval=approval,
            summary=_summary(session, route, tz=tz),
            now=now,
            tz=tz,
            only=delegate,
        )
    return sent
