"""SOP step 5: the signed report goes to the Sekretaris KPU Provinsi with a Surat Pengantar.

The letter and the report reach the registered ``provinsi`` recipients with a Terima button;
the receipt time is recorded and archives the cycle (step 6). Without a registered
recipient, the team gets the package to deliver by other means and confirms who received
it. A delivery after the office's deadline (``batas_kirim`` in the organisation file) is
marked late everywhere it shows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot import callbacks, documents
from bot.documents import TemplateError
from bot.domain.approval import DraftEvent, DraftStatus, next_status
from bot.domain.dates import format_day
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import PDF_MIME
from bot.domain.formatting import format_datetime
from bot.domain.organisation import LetterKind, SubmissionDeadlineSpec
from bot.domain.pending import ManualReceiver, SignedScan
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Button, Reply
from bot.messages import delivery as say
from bot.services import archive
from bot.services.analysis import latest_cycle
from bot.services.approval_requests import active_delegation, lock_draft, recipients
from bot.services.audit import record_event
from bot.services.common import (
    NOT_RENDATIN,
    load_office,
    people_with_role,
    require_role,
    sekretaris_of,
    store_bytes,
    store_document,
    team_lead,
    tell,
)
from bot.services.compliance import compliance_workbook
from bot.services.letter_numbers import next_letter_number
from bot.services.outbox import enqueue, enqueue_edits
from bot.services.pending import get_pending, read_pending, wait_for
from bot.services.people import PersonView
from bot.services.province import report_recipients, reports_to
from bot.services.review_route import signer
from bot.services.template_errors import template_problem
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Cycle,
    CycleIndicator,
    Draft,
    Evidence,
    Office,
    Person,
    ReportDelivery,
    StoredFile,
    Submission,
    Unit,
)


def report_deadline(period: Period, year: int, spec: SubmissionDeadlineSpec) -> date:
    """The day the signed report of ``period`` ``year`` must reach KPU Provinsi."""
    if period.quarter is None:
        return date.fromisoformat(f"{year + 1}-{spec.tahunan}")
    last_month = 3 * period.quarter
    first_of_next = date(year + (last_month == 12), last_month % 12 + 1, 1)
    return first_of_next - timedelta(days=1) + timedelta(days=spec.triwulan_hari)


def _deadline(office: Office, cycle: Cycle) -> date:
    spec = SubmissionDeadlineSpec.model_validate(office.settings.get("batas_kirim", {}))
    return report_deadline(Period(cycle.period), cycle.year, spec)


def _label(cycle: Cycle) -> str:
    return Period(cycle.period).named(cycle.year)


def _team(session: Session, office_id: int) -> list[Person]:
    people = {p.id: p for p in people_with_role(session, office_id=office_id, role=Role.RENDATIN)}
    lead = team_lead(session, office_id=office_id)
    if lead is not None and lead.telegram_user_id is not None:
        people.setdefault(lead.id, lead)
    return list(people.values())


def _send_files(
    session: Session,
    person: Person,
    documents: list[tuple[str, str]],
    *,
    now: datetime,
) -> None:
    assert person.telegram_user_id is not None
    for path, name in documents:
        enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            document_path=path,
            document_name=name,
            person_id=person.id,
            office_id=person.office_id,
        )


def _signed_draft(session: Session, cycle: Cycle) -> Draft:
    draft = session.exec(
        select(Draft).where(Draft.cycle_id == cycle.id).order_by(col(Draft.version).desc())
    ).first()
    if draft is None or draft.signed_file_id is None:
        raise NotAllowed(say.not_signed_yet(_label(cycle)))
    return draft


# ----------------------------------------------------------------------------- sending


def send_report(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    now: datetime,
    tz: ZoneInfo,
    template: Path | None = None,
    pdf_copies: bool = True,
) -> Reply:
    """Make the Surat Pengantar and ask its signer to approve it (rendatin only).

    Nothing leaves for KPU Provinsi until the signer (the route's signature stage, the
    Sekretaris by default) taps Setujui on it: see ``approve_letter``.
    """
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        cycle = latest_cycle(session, office_id=actor.office_id)
        draft_id = _signed_draft(session, cycle).id or 0
    with db.session() as session:
        draft = lock_draft(session, draft_id=draft_id)
        office = load_office(session, draft.office_id)
        approver = signer(session, office=office)
        existing = session.exec(
            select(ReportDelivery).where(ReportDelivery.cycle_id == cycle.id)
        ).first()
        if existing is not None and existing.letter_approved_at is None:
            raise NotAllowed(
                say.letter_awaits_approval(
                    label=_label(cycle),
                    number=existing.letter_number,
                    signer=approver.name if approver else None,
                )
            )
        if DraftStatus(draft.status) is not DraftStatus.SIGNED:
            when = format_datetime(existing.sent_at, tz) if existing else None
            raise NotAllowed(say.already_sent(_label(cycle), when))
        # The signer, and his Plh./Plt. while one is named: either may approve.
        approvers = recipients(session, approver) if approver is not None else []
        if approver is None or not approvers:
            raise NotAllowed(say.signer_unreachable(approver.name if approver else None))
        sender = session.get(Person, actor.id)
        assert sender is not None
        letter, letter_pdf, number = _letter(
            session,
            files,
            office=office,
            cycle=cycle,
            draft=draft,
            sender=sender,
            letter_signer=approver,
            now=now,
            tz=tz,
            template=template,
            pdf_copies=pdf_copies,
        )
        deadline = _deadline(office, cycle)
        # Prepared, not sent: method, recipients, time and lateness are settled on approval.
        delivery = ReportDelivery(
            office_id=office.id or 0,
            cycle_id=cycle.id or 0,
            draft_id=draft.id or 0,
            letter_number=number,
            letter_file_id=letter.id or 0,
            letter_pdf_file_id=letter_pdf.id if letter_pdf else None,
            method="telegram",
            recipients=[],
            sent_at=now,
            sent_by_person_id=actor.id,
            deadline=deadline,
        )
        session.add(delivery)
        session.flush()
        letter_name, letter_pdf_name, _, _ = say.package_names(
            office_name=office.name, label=_label(cycle)
        )
        letter_files = [(letter.path, letter_name)]
        if letter_pdf is not None:
            letter_files.append((letter_pdf.path, letter_pdf_name))
        ids = []
        for person, delegation in approvers:
            _send_files(session, person, letter_files, now=now)
            assert person.telegram_user_id is not None
            acting = (delegation.title, approver.name) if delegation is not None else None
            request = enqueue(
                session,
                chat_id=person.telegram_user_id,
                now=now,
                text=say.letter_for_approval(
                    label=_label(cycle), number=number, by=actor.name, acting=acting
                ),
                keyboard=[
                    [say.approve_letter_button(delivery.id or 0)],
                    [say.scan_button(draft.id or 0)],
                ],
                person_id=person.id,
                office_id=office.id,
            )
            assert request is not None
            session.flush()
            ids.append(request.id or 0)
        delivery.approval_message_ids = ids
        session.add(delivery)
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="letter.prepared",
            object_type="draft",
            object_id=f"{cycle.id}:{draft.version}",
            office_id=office.id,
            details={"version": draft.version, "letter_number": number, "signer": approver.name},
        )
        session.commit()
        return say.letter_sent_for_approval(number=number, signer=approver.name)


def approve_letter(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    delivery_id: int,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """The signer approves the Surat Pengantar with one tap: the package leaves (step 5).

    KPU Provinsi gets PDFs: the letter and the report (the stamped scan when one was
    attached). A missing PDF is made first, outside the draft's lock; when LibreOffice fails
    nothing changes and the same button can be pressed again.
    """
    with db.session() as session:
        delivery = _load_delivery(session, delivery_id=delivery_id, office_id=actor.office_id)
        office = load_office(session, delivery.office_id)
        _approving_as(session, office, actor)
        if delivery.letter_approved_at is not None:
            raise NotAllowed(
                say.letter_already_approved(format_datetime(delivery.letter_approved_at, tz))
            )
        draft_id = delivery.draft_id
    make_delivery_pdfs(db=db, files=files, delivery_id=delivery_id, now=now)
    with db.session() as session:
        draft = lock_draft(session, draft_id=draft_id)
        delivery = _load_delivery(session, delivery_id=delivery_id, office_id=actor.office_id)
        if delivery.letter_approved_at is not None:
            raise NotAllowed(
                say.letter_already_approved(format_datetime(delivery.letter_approved_at, tz))
            )
        office = load_office(session, delivery.office_id)
        title = _approving_as(session, office, actor)
        cycle = session.get(Cycle, delivery.cycle_id)
        assert cycle is not None
        draft.status = next_status(draft.status, DraftEvent.SEND, version=draft.version)
        session.add(draft)
        delivery.letter_approved_at = now
        delivery.letter_approved_by_person_id = actor.id
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="letter.approved",
            object_type="draft",
            object_id=f"{cycle.id}:{draft.version}",
            office_id=office.id,
            details={
                "version": draft.version,
                "letter_number": delivery.letter_number,
                "acting_title": title,
            },
        )
        told = _deliver(
            session, delivery, draft=draft, cycle=cycle, office=office, actor=actor, now=now, tz=tz
        )
        enqueue_edits(
            session,
            delivery.approval_message_ids,
            say.letter_approved_edit(
                number=delivery.letter_number,
                when=format_datetime(now, tz),
                by=f"{actor.name} ({title})" if title else actor.name,
            ),
            now=now,
        )
        tell(
            session,
            [p for p in _team(session, office.id or 0) if p.id != actor.id],
            told.text,
            now=now,
        )
        session.commit()
        return say.letter_approved(number=delivery.letter_number, told=told.text)


def _approving_as(session: Session, office: Office, actor: PersonView) -> str | None:
    """Check that ``actor`` may approve the letter: the signer (None), or his Plh./Plt.
    (the title)."""
    approver = signer(session, office=office)
    if approver is not None and approver.id == actor.id:
        return None
    delegation = active_delegation(session, absent_person_id=approver.id or 0) if approver else None
    if delegation is None or delegation.delegate_person_id != actor.id:
        raise NotAllowed(say.LETTER_ONLY_SIGNER)
    return delegation.title


def make_delivery_pdfs(*, db: Database, files: FileStore, delivery_id: int, now: datetime) -> None:
    """Make the PDFs KPU Provinsi receives that do not exist yet (letter, signed report).

    LibreOffice runs here, outside any lock; its failure is a polite refusal (nothing
    changed, the person may try again).
    """
    with db.session() as session:
        delivery = session.get(ReportDelivery, delivery_id)
        assert delivery is not None
        draft = session.get(Draft, delivery.draft_id)
        assert draft is not None
        wanted: dict[str, str] = {}
        if delivery.letter_pdf_file_id is None:
            wanted["letter"] = _path_of(session, delivery.letter_file_id)
        if draft.scan_file_id is None and draft.signed_pdf_file_id is None:
            assert draft.signed_file_id is not None
            wanted["report"] = _path_of(session, draft.signed_file_id)
    if not wanted:
        return
    made: dict[str, bytes] = {}
    for what, path in wanted.items():
        pdf = documents.convert_to_pdf(files.read(path))
        if pdf is None:
            raise NotAllowed(say.PDF_FAILED)
        made[what] = pdf
    with db.session() as session:
        delivery = session.get(ReportDelivery, delivery_id)
        assert delivery is not None
        draft = session.get(Draft, delivery.draft_id)
        assert draft is not None
        if "letter" in made:
            stored = store_bytes(session, files, made["letter"], mime_type=PDF_MIME, now=now)
            delivery.letter_pdf_file_id = stored.id
            session.add(delivery)
        if "report" in made:
            stored = store_bytes(session, files, made["report"], mime_type=PDF_MIME, now=now)
            draft.signed_pdf_file_id = stored.id
            session.add(draft)
        session.commit()


def _path_of(session: Session, file_id: int) -> str:
    stored = session.get(StoredFile, file_id)
    assert stored is not None
    return stored.path


def _deliver(
    session: Session,
    delivery: ReportDelivery,
    *,
    draft: Draft,
    cycle: Cycle,
    office: Office,
    actor: PersonView,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Send the approved package to the provinsi recipients, or to the team to hand over."""
    # Its own provinsi recipients, and its KPU Provinsi's when that runs in this deployment;
    # an account that is a person in both receives the package once (as the office's own).
    by_account: dict[int, Person] = {}
    for person in report_recipients(session, office):
        if person.telegram_user_id is not None:
            by_account.setdefault(person.telegram_user_id, person)
    recipients = list(by_account.values())
    late = now.astimezone(tz).date() > delivery.deadline
    delivery.method = "telegram" if recipients else "manual"
    delivery.recipients = [p.name for p in recipients]
    delivery.sent_at = now
    delivery.late = late
    session.add(delivery)
    package = _package(session, draft=draft, cycle=cycle, delivery=delivery)
    number = delivery.letter_number
    late_note = say.late_note(format_day(delivery.deadline) if late else None)
    if recipients:
        _send_package(
            session,
            delivery,
            recipients,
            package,
            text=say.to_provinsi(office_name=office.name, label=_label(cycle), number=number),
            button=say.receive_button(delivery.id or 0),
            now=now,
        )
        answer = say.sent(
            number=number,
            label=_label(cycle),
            recipients=[p.name for p in recipients],
            late=late_note,
        )
    else:
        _send_package(
            session,
            delivery,
            _team(session, delivery.office_id),
            package,
            text=say.to_team_by_hand(label=_label(cycle), number=number),
            button=say.by_hand_button(delivery.id or 0),
            now=now,
        )
        answer = say.made_for_hand_delivery(number=number, late=late_note)
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="report.sent",
        object_type="draft",
        object_id=f"{cycle.id}:{draft.version}",
        office_id=office.id,
        details={
            "version": draft.version,
            "letter_number": number,
            "method": delivery.method,
            "recipients": delivery.recipients,
            "deadline": delivery.deadline.isoformat(),
            "late": late,
            "scan": draft.scan_file_id is not None,
        },
    )
    return answer


def _letter(
    session: Session,
    files: FileStore,
    *,
    office: Office,
    cycle: Cycle,
    draft: Draft,
    sender: Person,
    letter_signer: Person,
    now: datetime,
    tz: ZoneInfo,
    template: Path | None,
    pdf_copies: bool,
) -> tuple[StoredFile, StoredFile | None, str]:
    """Number, render and store the Surat Pengantar (signed by the route's signer)."""
    number = _letter_number(session, office=office, sender=sender, year=now.astimezone(tz).year)
    items = [
        documents.SuratPengantarItem(name=name, count=count, note=note)
        for name, count, note in say.letter_items(
            office_name=office.name,
            label=_label(cycle),
            year=cycle.year,
            indicators=_indicator_count(session, cycle),
            evidence_files=_evidence_count(session, cycle),
        )
    ]
    content = documents.SuratPengantarContent(
        office_name=office.name,
        office_address=office.address,
        city=office.city,
        nomor=number,
        tanggal=now.astimezone(tz).date(),
        kepada=f"Sekretaris {office.parent_office}",
        tempat=office.parent_office.replace("KPU Provinsi ", "").strip() or office.city,
        items=items,
        signer_jabatan=letter_signer.jabatan or "Sekretaris",
        signer_name=letter_signer.name,
        signer_nip=letter_signer.nip,
    )
    try:
        docx = documents.render_surat_pengantar(content, template=template)
    except TemplateError as error:
        raise InvalidInput(template_problem(error)) from None
    letter, letter_pdf = store_document(session, files, docx, now=now, pdf_copies=pdf_copies)
    return letter, letter_pdf, number


def _letter_number(session: Session, *, office: Office, sender: Person, year: int) -> str:
    """The Surat Pengantar's number, of its own kind (``letter_number.kinds`` in the
    organisation file), by the sending unit (the team's Sub Bagian) unless the kind fixes one.
    """
    unit = session.get(Unit, sender.unit_id) if sender.unit_id is not None else None
    return next_letter_number(
        session,
        office=office,
        kind=LetterKind.SURAT_PENGANTAR,
        unit_number=unit.number if unit else 0,
        year=year,
    )


def _indicator_count(session: Session, cycle: Cycle) -> int:
    """The cycle's Perjanjian Kinerja indicators (its Rencana Aksi lines)."""
    return session.exec(
        select(func.count()).select_from(CycleIndicator).where(CycleIndicator.cycle_id == cycle.id)
    ).one()


def _evidence_count(session: Session, cycle: Cycle) -> int:
    """The data dukung behind the report: the files of the accepted answers."""
    return session.exec(
        select(func.count())
        .select_from(Evidence)
        .join(Submission, col(Submission.id) == col(Evidence.submission_id))
        .join(CycleIndicator, col(CycleIndicator.id) == col(Submission.cycle_indicator_id))
        .where(CycleIndicator.cycle_id == cycle.id, Submission.status == "accepted")
    ).one()


def _package(
    session: Session, *, draft: Draft, cycle: Cycle, delivery: ReportDelivery
) -> list[tuple[str, str]]:
    """(path, file name) of what is sent: the letter and the report, as PDFs.

    The report is the stamped scan when one was attached, else the signed document's PDF
    (the .docx stays in the archive).
    """
    office = session.get(Office, draft.office_id)
    assert office is not None
    _, letter_pdf_name, _, report_pdf = say.package_names(
        office_name=office.name, label=_label(cycle)
    )
    report_id = draft.scan_file_id or draft.signed_pdf_file_id
    assert delivery.letter_pdf_file_id is not None and report_id is not None
    return [
        (_path_of(session, delivery.letter_pdf_file_id), letter_pdf_name),
        (_path_of(session, report_id), report_pdf),
    ]


def _send_package(
    session: Session,
    delivery: ReportDelivery,
    people: list[Person],
    package: list[tuple[str, str]],
    *,
    text: str,
    button: Button,
    now: datetime,
) -> None:
    """Send the package and, under it, the text with its button; remember the buttons."""
    ids = []
    for person in people:
        _send_files(session, person, package, now=now)
        assert person.telegram_user_id is not None
        message = enqueue(
            session,
            chat_id=person.telegram_user_id,
            now=now,
            text=text,
            keyboard=[[button]],
            person_id=person.id,
            office_id=delivery.office_id,
        )
        assert message is not None
        session.flush()
        ids.append(message.id or 0)
    delivery.message_ids = ids
    session.add(delivery)


# ----------------------------------------------------------------------------- the stamped scan


def _may_attach_scan(session: Session, actor: PersonView, office: Office) -> None:
    """The team attaches the scan, or the signer himself (or his Plh./Plt.)."""
    if actor.has_role(Role.RENDATIN):
        return
    try:
        _approving_as(session, office, actor)
    except NotAllowed:
        raise NotAllowed(say.SCAN_ONLY_TEAM_OR_SIGNER) from None


def _draft_open_for_scan(session: Session, *, draft_id: int, office_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None or draft.office_id != office_id:
        raise NotFound(callbacks.INVALID_BUTTON)
    if DraftStatus(draft.status) is not DraftStatus.SIGNED:
        raise NotAllowed(say.SCAN_TOO_LATE)
    return draft


def begin_scan(*, db: Database, actor: PersonView, draft_id: int, now: datetime) -> Reply:
    """Ask for the scan of the wet-signed, stamped report (before the report is sent)."""
    with db.session() as session:
        office = load_office(session, actor.office_id)
        _may_attach_scan(session, actor, office)
        _draft_open_for_scan(session, draft_id=draft_id, office_id=actor.office_id)
        wait_for(session, person_id=actor.id, payload=SignedScan(draft=draft_id), now=now)
        session.commit()
        return say.ASK_SCAN


def attach_scan(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    data: bytes,
    filename: str,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Keep the scan (a PDF, or an image made into one): KPU Provinsi receives it instead of
    the generated PDF. The generated .docx and PDF stay in the archive."""
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=SignedScan)
        if found is None:
            raise NotFound(say.NOTHING_AWAITS_A_SCAN)
        draft_id = found[1].draft
    pdf = data if data.startswith(b"%PDF-") else documents.image_to_pdf(data)
    if pdf is None:
        # The person may send another file: the bot keeps waiting for the scan.
        raise InvalidInput(say.SCAN_NOT_PDF_OR_IMAGE)
    with db.session() as session:
        lock_draft(session, draft_id=draft_id)
        office = load_office(session, actor.office_id)
        _may_attach_scan(session, actor, office)
        draft = _draft_open_for_scan(session, draft_id=draft_id, office_id=actor.office_id)
        pending = get_pending(session, person_id=actor.id)
        if pending is not None:
            session.delete(pending)
        stored = store_bytes(session, files, pdf, mime_type=PDF_MIME, now=now)
        replaced = draft.scan_file_id is not None
        draft.scan_file_id = stored.id
        session.add(draft)
        cycle = session.get(Cycle, draft.cycle_id)
        assert cycle is not None
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="report.scan_attached",
            object_type="draft",
            object_id=f"{cycle.id}:{draft.version}",
            office_id=office.id,
            details={"version": draft.version, "sha256": stored.sha256, "file": filename[:200]},
        )
        others = [p for p in _team(session, office.id or 0) if p.id != actor.id]
        approver = signer(session, office=office)
        if approver is not None and approver.id != actor.id:
            others.append(approver)
        tell(
            session,
            others,
            say.scan_attached_notice(
                label=_label(cycle), by=actor.name, when=format_datetime(now, tz)
            ),
            now=now,
        )
        session.commit()
        return say.scan_attached(label=_label(cycle), replaced=replaced)


# ----------------------------------------------------------------------------- receipt


def _load_delivery(session: Session, *, delivery_id: int, office_id: int) -> ReportDelivery:
    delivery = session.get(ReportDelivery, delivery_id)
    if delivery is None or delivery.office_id != office_id:
        raise NotFound(callbacks.INVALID_BUTTON)
    return delivery


def receive(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    delivery_id: int,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """The provinsi recipient presses Terima: record the receipt, then archive the cycle."""
    require_role(actor, Role.PROVINSI, message=say.RECEIVE_ONLY_PROVINSI)
    with db.session() as session:
        delivery = _receivable(session, delivery_id=delivery_id, actor=actor)
        if delivery.method != "telegram":
            raise NotAllowed(callbacks.INVALID_BUTTON)
        draft_id = delivery.draft_id
        office_id = delivery.office_id
        year = _year_of(session, delivery)
    compliance = compliance_workbook(db, office_id, year, now=now, tz=tz)
    with db.session() as session:
        lock_draft(session, draft_id=draft_id)
        delivery = _receivable(session, delivery_id=delivery_id, actor=actor)
        _record_receipt(
            session,
            files,
            delivery,
            actor=actor,
            received_by=actor.name,
            now=now,
            tz=tz,
            compliance=compliance,
        )
        session.commit()
        return say.received(format_datetime(now, tz))


def _receivable(session: Session, *, delivery_id: int, actor: PersonView) -> ReportDelivery:
    """Load a delivery the actor's office receives: its own, or a kabupaten/kota's it heads."""
    delivery = session.get(ReportDelivery, delivery_id)
    office = session.get(Office, delivery.office_id) if delivery is not None else None
    if (
        delivery is None
        or office is None
        or not reports_to(office, reader_office_id=actor.office_id)
    ):
        raise NotFound(callbacks.INVALID_BUTTON)
    return delivery


def begin_manual_confirmation(
    *, db: Database, actor: PersonView, delivery_id: int, now: datetime
) -> Reply:
    """Ask who received the package that the team delivered by hand."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        delivery = _load_delivery(session, delivery_id=delivery_id, office_id=actor.office_id)
        if delivery.method != "manual":
            raise NotAllowed(callbacks.INVALID_BUTTON)
        if delivery.received_at is not None:
            raise NotAllowed(say.ALREADY_HANDED_OVER)
        wait_for(session, person_id=actor.id, payload=ManualReceiver(delivery=delivery_id), now=now)
        session.commit()
        return say.ASK_RECEIVER


def confirm_manual(
    *, db: Database, files: FileStore, actor: PersonView, text: str, now: datetime, tz: ZoneInfo
) -> Reply:
    """Record a delivery by hand: who delivered it (the actor), who received it, and when."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    receiver = " ".join(text.split())
    if len(receiver) < 3:
        raise InvalidInput(say.RECEIVER_NEEDED)
    with db.session() as session:
        found = read_pending(session, person_id=actor.id, expected=ManualReceiver)
        if found is None:
            raise NotFound(say.NOTHING_BEING_HANDED_OVER)
        delivery_id = found[1].delivery
        delivery = _load_delivery(session, delivery_id=delivery_id, office_id=actor.office_id)
        draft_id = delivery.draft_id
        year = _year_of(session, delivery)
    compliance = compliance_workbook(db, actor.office_id, year, now=now, tz=tz)
    with db.session() as session:
        lock_draft(session, draft_id=draft_id)
        pending = get_pending(session, person_id=actor.id)
        if pending is not None:
            session.delete(pending)
        delivery = _load_delivery(session, delivery_id=delivery_id, office_id=actor.office_id)
        _record_receipt(
            session,
            files,
            delivery,
            actor=actor,
            received_by=receiver[:200],
            now=now,
            tz=tz,
            compliance=compliance,
        )
        session.commit()
        return say.handed_over(receiver=receiver, when=format_datetime(now, tz), by=actor.name)


def _record_receipt(
    session: Session,
    files: FileStore,
    delivery: ReportDelivery,
    *,
    actor: PersonView,
    received_by: str,
    now: datetime,
    tz: ZoneInfo,
    compliance: bytes | None,
) -> None:
    draft = session.get(Draft, delivery.draft_id)
    cycle = session.get(Cycle, delivery.cycle_id)
    assert draft is not None and cycle is not None
    if delivery.received_at is not None:
        raise NotAllowed(say.already_received(format_datetime(delivery.received_at, tz)))
    draft.status = next_status(draft.status, DraftEvent.RECEIVE, version=draft.version)
    delivery.received_at = now
    delivery.received_by_person_id = actor.id
    delivery.received_by_name = received_by
    session.add(delivery)
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="report.received",
        object_type="draft",
        object_id=f"{cycle.id}:{draft.version}",
        office_id=delivery.office_id,
        details={
            "version": draft.version,
            "method": delivery.method,
            "received_by": received_by,
            "late": delivery.late,
        },
    )
    done = say.receipt_done(
        by_telegram=delivery.method == "telegram",
        received_by=received_by,
        delivered_by=actor.name,
        when=format_datetime(now, tz),
    )
    enqueue_edits(session, delivery.message_ids, done, now=now)
    count = _archive(
        session, files, cycle=cycle, draft=draft, actor=actor, now=now, tz=tz, compliance=compliance
    )
    # The child's Sekretaris is told as well: at a province, the receipt comes from elsewhere.
    told = _team(session, delivery.office_id)
    sekretaris = sekretaris_of(session, office_id=delivery.office_id)
    if sekretaris is not None and all(person.id != sekretaris.id for person in told):
        told.append(sekretaris)
    tell(session, told, say.receipt_to_team(label=_label(cycle), done=done, files=count), now=now)


def _archive(
    session: Session,
    files: FileStore,
    *,
    cycle: Cycle,
    draft: Draft,
    actor: PersonView,
    now: datetime,
    tz: ZoneInfo,
    compliance: bytes | None,
) -> int:
    draft.status = next_status(draft.status, DraftEvent.ARCHIVE, version=draft.version)
    session.add(draft)
    # The event goes first so the archived audit trail ends with the archiving itself.
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="archive.created",
        object_type="cycle",
        object_id=cycle.id,
        office_id=cycle.office_id,
        details={"version": draft.version},
    )
    session.flush()
    return archive.archive_cycle(session, files, cycle=cycle, now=now, tz=tz, compliance=compliance)


def archive_now(
    *, db: Database, files: FileStore, actor: PersonView, now: datetime, tz: ZoneInfo
) -> Reply:
    """Archive the latest cycle once its report was sent (rendatin's command)."""
    require_role(actor, Role.RENDATIN, message=NOT_RENDATIN)
    with db.session() as session:
        cycle = latest_cycle(session, office_id=actor.office_id)
        draft_id = _signed_draft(session, cycle).id or 0
    compliance = compliance_workbook(db, actor.office_id, cycle.year, now=now, tz=tz)
    with db.session() as session:
        draft = lock_draft(session, draft_id=draft_id)
        if DraftStatus(draft.status) is DraftStatus.SIGNED:
            raise NotAllowed(say.SEND_FIRST)
        count = _archive(
            session,
            files,
            cycle=cycle,
            draft=draft,
            actor=actor,
            now=now,
            tz=tz,
            compliance=compliance,
        )
        session.commit()
        return say.archived(label=_label(cycle), files=count)


def _year_of(session: Session, delivery: ReportDelivery) -> int:
    cycle = session.get(Cycle, delivery.cycle_id)
    assert cycle is not None
    return cycle.year
