"""A Nota Dinas prepared by someone other than its signer (the Ketua Tim) goes to her with
Setujui / Kembalikan before it is numbered and sent (SOP step 1).

Her Plh./Plt., while an admin has named one with /delegasi, may decide for her. Every press
is checked against who pressed and the cycle's state now: a request approved, returned or
withdrawn answers so and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.domain.cycles import CycleEvent, CycleStatus
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import DOCX_MIME
from bot.domain.formatting import format_datetime
from bot.domain.pending import NotaDinasReturn
from bot.domain.periods import Period
from bot.messages import Reply
from bot.messages import cycles as messages
from bot.services.approval_requests import active_delegation, recipients
from bot.services.audit import record_event
from bot.services.common import store_bytes, team_lead
from bot.services.nota_dinas import indicators_by_unit, render, unit_counts, unnumbered_content
from bot.services.nota_dinas_sending import SentCycle, claim, open_cycle
from bot.services.outbox import enqueue, enqueue_edits
from bot.services.pending import read_pending, wait_for
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import Cycle, Office, Person


@dataclass(frozen=True)
class AwaitingSigner:
    """What Kirim did when pressed by someone other than the signer."""

    cycle_id: int
    period_label: str
    signer: str


def signer_to_ask(session: Session, *, office_id: int, actor: PersonView) -> Person | None:
    """Return the signer ``actor`` must ask, or None when ``actor`` signs the Nota Dinas.

    The signer is the Ketua Tim (``team_lead``), as the Nota Dinas names her; an office
    without one has the sender sign, as before.
    """
    signer = team_lead(session, office_id=office_id)
    return None if signer is None or signer.id == actor.id else signer


def ask_signer(
    session: Session,
    files: FileStore,
    *,
    cycle_id: int,
    office: Office,
    signer: Person,
    actor: PersonView,
    today: date,
    now: datetime,
    template: Path | None,
) -> AwaitingSigner:
    """Send the unnumbered Nota Dinas to its signer (and her Plh./Plt.) with Setujui /
    Kembalikan; nothing goes to the units (the caller commits)."""
    approvers = recipients(session, signer)
    if not approvers:
        raise NotAllowed(messages.signer_unreachable(signer.name))
    claim(
        session,
        cycle_id=cycle_id,
        office_id=actor.office_id,
        event=CycleEvent.SUBMIT,
        refusal=messages.ALREADY_SENT_OR_CANCELLED,
        submitted_by_person_id=actor.id,
        submitted_at=now,
    )
    cycle = session.get(Cycle, cycle_id)
    preparer = session.get(Person, actor.id)
    assert cycle is not None and preparer is not None and office.id is not None
    period = Period(cycle.period)
    period_label = period.named(cycle.year)
    content = unnumbered_content(
        session,
        office=office,
        actor=preparer,
        period=period,
        year=cycle.year,
        deadline=cycle.deadline,
        today=today,
    )
    stored = store_bytes(session, files, render(content, template), mime_type=DOCX_MIME, now=now)
    units = unit_counts(session, indicators_by_unit(session, office_id=office.id, year=cycle.year))
    ids = []
    for person, delegation in approvers:
        assert person.telegram_user_id is not None
        shown = messages.approval_request(
            cycle_id=cycle_id,
            period_label=period_label,
            deadline=cycle.deadline,
            units=units,
            by=actor.name,
            acting=(delegation.title, signer.name) if delegation is not None else None,
        )
        message = enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=shown.text,
            keyboard=shown.keyboard,
            document_path=stored.path,
            document_name=messages.approval_filename(period_label=period_label),
            person_id=person.id,
            office_id=office.id,
        )
        assert message is not None
        session.flush()
        ids.append(message.id or 0)
    cycle.approval_message_ids = ids
    session.add(cycle)
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="cycle.approval_requested",
        object_type="cycle",
        object_id=cycle_id,
        office_id=office.id,
        details={"signer": signer.name, "nota_dinas_sha256": stored.sha256},
    )
    return AwaitingSigner(cycle_id=cycle_id, period_label=period_label, signer=signer.name)


def _deciding(session: Session, *, cycle_id: int, actor: PersonView) -> tuple[Cycle, str | None]:
    """Return the cycle awaiting ``actor``'s decision and her acting title (None: the signer
    herself); refuse anyone else, and a request that no longer stands."""
    cycle = session.get(Cycle, cycle_id)
    if cycle is None or cycle.office_id != actor.office_id:
        raise NotAllowed(messages.NOT_SIGNER)
    signer = team_lead(session, office_id=cycle.office_id)
    title: str | None = None
    if signer is None or signer.id != actor.id:
        delegation = active_delegation(session, absent_person_id=signer.id or 0) if signer else None
        if delegation is None or delegation.delegate_person_id != actor.id:
            raise NotAllowed(messages.NOT_SIGNER)
        title = delegation.title
    if CycleStatus(cycle.status) is not CycleStatus.AWAITING_SIGNER:
        raise NotAllowed(messages.request_gone(cycle.status, cycle.nota_dinas_number))
    return cycle, title


def _who(actor: PersonView, title: str | None) -> str:
    return f"{actor.name} ({title})" if title else actor.name


def approve(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    cycle_id: int,
    now: datetime,
    tz: ZoneInfo,
    bot_username: str,
    template: Path | None = None,
    pdf_copies: bool = True,
) -> SentCycle:
    """The signer approves: the Nota Dinas is numbered and sent exactly as her own Kirim."""
    today = now.astimezone(tz).date()
    with db.session() as session:
        cycle, title = _deciding(session, cycle_id=cycle_id, actor=actor)
        preparer_id, message_ids = cycle.submitted_by_person_id, list(cycle.approval_message_ids)
        period_label = Period(cycle.period).named(cycle.year)
        sent = open_cycle(
            session,
            files,
            cycle_id=cycle_id,
            event=CycleEvent.APPROVE,
            refusal=messages.ALREADY_DECIDED,
            actor=actor,
            today=today,
            now=now,
            bot_username=bot_username,
            template=template,
            pdf_copies=pdf_copies,
        )
        who = _who(actor, title)
        enqueue_edits(
            session,
            message_ids,
            messages.approved_edit(
                nomor=sent.nota_dinas_number, by=who, when=format_datetime(now, tz)
            ),
            now=now,
        )
        preparer = session.get(Person, preparer_id) if preparer_id is not None else None
        if preparer is not None and preparer.telegram_user_id is not None and preparer.active:
            enqueue(
                session,
                chat_id=preparer.telegram_user_id,
                now=now,
                text=messages.approved_to_preparer(
                    period_label=period_label, nomor=sent.nota_dinas_number, signer=who
                ),
                person_id=preparer.id,
                office_id=actor.office_id,
            )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="cycle.approved",
            object_type="cycle",
            object_id=cycle_id,
            office_id=actor.office_id,
            details={"nomor": sent.nota_dinas_number, "acting_title": title},
        )
        session.commit()
    return sent


def begin_return(*, db: Database, actor: PersonView, cycle_id: int, now: datetime) -> Reply:
    """Ask the signer why she returns the Nota Dinas; nothing changes until she answers."""
    with db.session() as session:
        _deciding(session, cycle_id=cycle_id, actor=actor)
        wait_for(session, person_id=actor.id, payload=NotaDinasReturn(cycle=cycle_id), now=now)
        session.commit()
    return Reply(messages.ASK_RETURN_REASON)


def return_with_reason(
    *, db: Database, actor: PersonView, reason: str, now: datetime, tz: ZoneInfo
) -> Reply:
    """Return the Nota Dinas to its preparer with the signer's reason: a draft again."""
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput(messages.RETURN_REASON_TOO_SHORT)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=NotaDinasReturn)
        if found is None:
            raise NotFound(messages.NOTHING_BEING_RETURNED)
        session.delete(found[0])  # the question is settled, whatever follows
        cycle_id = found[1].cycle
        try:
            cycle, title = _deciding(session, cycle_id=cycle_id, actor=actor)
        except NotAllowed:
            session.commit()
            raise
        preparer_id, message_ids = cycle.submitted_by_person_id, list(cycle.approval_message_ids)
        year, period = cycle.year, Period(cycle.period)
        claim(
            session,
            cycle_id=cycle_id,
            office_id=actor.office_id,
            event=CycleEvent.RETURN,
            refusal=messages.ALREADY_DECIDED,
        )
        who = _who(actor, title)
        reason = reason[:1000]
        enqueue_edits(
            session,
            message_ids,
            messages.returned_edit(by=who, when=format_datetime(now, tz), reason=reason),
            now=now,
        )
        preparer = session.get(Person, preparer_id) if preparer_id is not None else None
        if preparer is not None and preparer.telegram_user_id is not None and preparer.active:
            told = messages.returned_to_preparer(
                cycle_id=cycle_id, year=year, period=period, by=who, reason=reason
            )
            enqueue(
                session,
                chat_id=preparer.telegram_user_id,
                now=now,
                text=told.text,
                keyboard=told.keyboard,
                person_id=preparer.id,
                office_id=actor.office_id,
            )
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="cycle.returned",
            object_type="cycle",
            object_id=cycle_id,
            office_id=actor.office_id,
            details={"reason": reason, "acting_title": title},
        )
        session.commit()
        return messages.returned(preparer=preparer.name if preparer else "penyusunnya")
