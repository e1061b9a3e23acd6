"""SOP step 4's last act: the signature renders the final report, on record with its digest.

Called by bot.services.approvals under the draft's lock, after the signer's decision is
settled; the caller commits.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import documents
from bot.domain.approval import DraftEvent, next_status
from bot.domain.errors import NotAllowed
from bot.domain.files import is_png_or_jpeg
from bot.domain.formatting import format_datetime
from bot.messages import Reply
from bot.messages import approval as say
from bot.messages import delivery as delivery_say
from bot.services.approval_requests import Route, rendatin_team
from bot.services.audit import record_event
from bot.services.common import load_office, store_document, team_lead
from bot.services.drafts import build_content, content_digest, draft_filename, render
from bot.services.lembar_paraf import lembar_paraf
from bot.services.outbox import enqueue, enqueue_edits
from bot.services.people import PersonView
from storage.files import FileStore
from storage.models import Approval, Draft, Office, Person

logger = logging.getLogger(__name__)


def signature_image(office: Office) -> bytes | None:
    """The office's signature-and-stamp image (``office.tanda_tangan``), or None.

    An image that cannot be read leaves the typed "ttd." in place (and a warning in the
    log): the signature itself is never refused for it.
    """
    path = office.settings.get("tanda_tangan")
    if not path:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        logger.warning("Gambar tanda tangan %s tidak dapat dibaca: %s", path, error)
        return None
    if not is_png_or_jpeg(data):
        logger.warning("Gambar tanda tangan %s bukan PNG atau JPEG", path)
        return None
    return data


def _signed_initials(
    session: Session, draft: Draft, *, signature_stage: str
) -> list[documents.LkjipInitial]:
    """The version's lembar paraf: its konseptor, then every paraf (all rounds but the
    signature's) by name."""
    rows = session.exec(
        select(Approval, Person)
        .join(Person, col(Person.id) == col(Approval.reviewer_person_id))
        .where(Approval.draft_id == draft.id, Approval.stage != signature_stage)
        .order_by(col(Person.name))
    ).all()
    initials: list[tuple[Person, documents.LkjipInitial]] = []
    for approval, reviewer in rows:
        signer = (
            session.get(Person, approval.decided_by_person_id)
            if approval.decided_by_person_id
            else None
        )
        if approval.acting_title and signer is not None:
            initials.append(
                (
                    signer,
                    documents.LkjipInitial(
                        name=signer.name,
                        jabatan=say.acting_jabatan(approval.acting_title, reviewer.jabatan),
                        initialled_at=approval.decided_at,
                        note=say.acting_note(approval.acting_title, reviewer.name),
                    ),
                )
            )
        else:
            initials.append(
                (
                    reviewer,
                    documents.LkjipInitial(
                        name=reviewer.name,
                        jabatan=reviewer.jabatan,
                        initialled_at=approval.decided_at,
                        note=None,
                    ),
                )
            )
    konseptor = session.get(Person, draft.created_by_person_id)
    assert konseptor is not None  # a draft's maker is a person row, never deleted
    return lembar_paraf(konseptor=konseptor, made_at=draft.created_at, reviewers=initials)


def sign(
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
    """Sign the version (step 4): render the final report, store it, send it to the team."""
    draft = route.draft
    office = load_office(session, draft.office_id)
    signer = session.get(Person, actor.id)
    sekretaris = session.get(Person, approval.reviewer_person_id)
    assert signer is not None and sekretaris is not None
    signature = documents.LkjipSignature(
        name=signer.name,
        nip=signer.nip,
        jabatan=say.acting_jabatan(title, sekretaris.jabatan),
        city=office.city,
        signed_on=now.astimezone(tz).date(),
        image=signature_image(office),
    )
    content = build_content(
        session,
        cycle=route.cycle,
        office=office,
        version=draft.version,
        konsep=False,
        initials=_signed_initials(session, draft, signature_stage=approval.stage),
        signature=signature,
        generated_on=draft.created_at.astimezone(tz).date(),
        tz=tz,
    )
    if content_digest(content) != draft.content_digest:
        # The data changed after this version was made (it should not: changes are refused
        # while a version is under review). Signing would put a different report on record.
        raise NotAllowed(say.content_changed(draft.version))
    docx = render(content, template=template)
    stored, stored_pdf = store_document(
        session, files, docx, now=now, pdf_copies=pdf_copies, indexes=True
    )
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
    who = say.who(actor.name, title, sekretaris.name)
    when = format_datetime(now, tz)
    enqueue_edits(
        session,
        approval.message_ids,
        say.signed_edit(who=who, version=draft.version, when=when),
        now=now,
    )
    name = draft_filename(office, route.cycle, draft.version, signed=True)
    caption = say.signed_caption(
        label=route.label, version=draft.version, who=who, when=when, sha256=stored.sha256
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
            # The team may attach the wet-signed, stamped scan for the Sekretaris.
            keyboard=[[delivery_say.scan_button(draft.id or 0)]],
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
    return say.signed(draft.version)
