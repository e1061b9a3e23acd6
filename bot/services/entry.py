"""SOP step 2a in chat: a unit member enters one indicator's realisasi, explanation and evidence.

The draft lives in ``pending_input`` until the person confirms, so a restart in the middle
loses nothing; a confirmed entry becomes a new, immutable submission version.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot import callbacks
from bot.callbacks import EntryAction
from bot.domain.capaian import CapaianStatus
from bot.domain.checks import CheckThresholds, Finding, Level, check_submission, check_value
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.files import (
    DEFAULT_UPLOAD_LIMITS,
    MAX_UPLOAD_BYTES,
    MB,
    UploadLimits,
    content_refusal,
    evidence_refusal,
    sanitize_filename,
)
from bot.domain.numbers import format_number, format_percent, parse_number
from bot.domain.periods import Period
from bot.domain.roles import Role
from bot.messages import Button, Keyboard, Reply
from bot.services import file_limits
from bot.services.audit import record_event
from bot.services.common import people_with_role, store_bytes
from bot.services.lines import (
    STATUS_ICONS,
    LineContext,
    current_submission,
    evidence_of,
    load_line,
    require_open_cycle,
    require_unit_member,
)
from bot.services.outbox import enqueue
from bot.services.pending import get_pending, set_pending
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import (
    Cycle,
    CycleIndicator,
    Evidence,
    Indicator,
    PendingInput,
    Submission,
    Unit,
)

ENTRY = "entry"
UPLOAD_STEPS = {"evidence", "confirm"}
STEPS = ("realisasi", "penjelasan", "kendala", "upaya", "evidence", "confirm")


def _button(text: str, action: EntryAction, *ids: int) -> Button:
    return Button(text, data=callbacks.encode(callbacks.ENTRY, action, *ids))


def _thresholds() -> CheckThresholds:
    return CheckThresholds()


STALE = "Isian ini sudah tidak berlaku. Ketik /isi untuk memulai lagi."


def _entry_in_progress(
    session: Session,
    actor: PersonView,
    *,
    steps: set[str] | None = None,
    missing: str = STALE,
) -> tuple[PendingInput, dict[str, Any], LineContext]:
    """Load the person's entry draft and its line, checking it may still be changed."""
    pending = get_pending(session, person_id=actor.id)
    if pending is None or pending.kind != ENTRY:
        raise NotFound(missing)
    if steps is not None and pending.payload.get("step") not in steps:
        raise NotAllowed(missing)
    payload: dict[str, Any] = dict(pending.payload)
    context = load_line(session, line_id=int(payload["line"]), office_id=actor.office_id)
    require_unit_member(actor, context)
    require_open_cycle(session, context)
    return pending, payload, context


def copy_evidence(session: Session, *, submission_id: int, evidence: list[Evidence]) -> None:
    """Carry earlier evidence over to a new version (a correction of the number alone)."""
    for old in evidence:
        session.add(
            Evidence(
                submission_id=submission_id,
                file_id=old.file_id,
                original_name=old.original_name,
                uploaded_by_person_id=old.uploaded_by_person_id,
                uploaded_at=old.uploaded_at,
            )
        )


# --------------------------------------------------------------------------- the menu


def entry_menu(*, db: Database, actor: PersonView) -> Reply:
    """List the unit's indicators in every open cycle, each with its status and a button."""
    if not actor.has_role(Role.STAF, Role.KASUBBAG) or actor.unit_code is None:
        raise NotAllowed("Maaf, pengisian data hanya untuk staf dan Kasubbag sebuah unit.")
    with db.session() as session:
        query = (
            select(CycleIndicator, Indicator, Cycle)
            .join(Indicator, col(Indicator.id) == col(CycleIndicator.indicator_id))
            .join(Cycle, col(Cycle.id) == col(CycleIndicator.cycle_id))
            .join(Unit, col(Unit.id) == col(CycleIndicator.unit_id))
            .where(
                Cycle.office_id == actor.office_id,
                Cycle.status == "open",
                Unit.code == actor.unit_code,
            )
            .order_by(col(Cycle.id), col(Indicator.code))
        )
        rows = list(session.exec(query))
    if not rows:
        return Reply("Tidak ada permintaan data yang sedang berjalan untuk unit Anda.")
    keyboard: list[list[Button]] = []
    lines = [f"Indikator {actor.unit_name}:"]
    current_cycle = None
    for line, indicator, cycle in rows:
        if cycle.id != current_cycle:
            current_cycle = cycle.id
            lines.append(f"\n{Period(cycle.period).label} {cycle.year}:")
        icon = STATUS_ICONS[line.status]
        lines.append(f"{icon} {indicator.code} — {indicator.name}")
        assert line.id is not None
        label = f"{icon} {indicator.code} {indicator.name}"
        keyboard.append([_button(label[:60], EntryAction.START, line.id)])
    lines.append("\n✅ terkirim · ⏳ belum diisi · ⚠️ perlu perbaikan · ☑️ diterima")
    lines.append("Pilih indikator yang akan diisi:")
    return Reply("\n".join(lines), keyboard)


# --------------------------------------------------------------------------- the steps


def begin_entry(*, db: Database, actor: PersonView, line_id: int, now: datetime) -> Reply:
    """Start (or restart) entering one indicator and ask for the realisasi."""
    with db.session() as session:
        context = load_line(session, line_id=line_id, office_id=actor.office_id)
        require_unit_member(actor, context)
        require_open_cycle(session, context)
        if context.line.status == "accepted":
            raise NotAllowed(
                f"Data {context.indicator.code} sudah diterima Tim. Bila perlu dikoreksi, "
                "mohon hubungi Tim Laporan Kinerja (Rendatin)."
            )
        previous = current_submission(session, context.line)
        set_pending(
            session,
            person_id=actor.id,
            kind=ENTRY,
            payload={"line": line_id, "step": "realisasi", "evidence": []},
            now=now,
        )
        session.commit()
        return Reply(_realisasi_prompt(context, previous), [[_button("Batal", EntryAction.CANCEL)]])


def _realisasi_prompt(context: LineContext, previous: Submission | None) -> str:
    indicator = context.indicator
    lines = [
        f"✍️ {indicator.code} — {indicator.name}",
        f"Sasaran: {context.sasaran.name}",
        f"Periode: {context.period_label}",
        f"Target: {context.target_text}",
    ]
    if Period(context.cycle.period).is_cumulative:
        lines.append("Realisasi triwulan dihitung kumulatif sejak Januari.")
    if previous is not None:
        lines.append(
            f"Isian terakhir (versi {previous.version}): "
            f"{format_number(Decimal(previous.realisasi))} {indicator.satuan}"
        )
        if previous.status == "flagged" and previous.review_note:
            lines.append(f"⚠️ Catatan Tim: {previous.review_note}")
    if indicator.evidence_required:
        lines.append("Bukti dukung wajib dilampirkan.")
    lines.append(f"\nKetik nilai realisasi ({indicator.satuan}), misalnya 85,5.")
    return "\n".join(lines)


def handle_entry_text(
    *,
    db: Database,
    actor: PersonView,
    text: str,
    now: datetime,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> Reply:
    """Take the person's typed answer for the current step and ask the next question.

    ``max_upload_bytes`` is the largest file the bot accepts, named when it asks for evidence.
    """
    with db.session() as session:
        _, payload, context = _entry_in_progress(
            session, actor, missing="Tidak ada isian yang sedang berjalan."
        )
        step = payload["step"]
        text = text.strip()
        if step == "realisasi":
            reply = _take_realisasi(context, payload, text)
        elif step in {"penjelasan", "kendala", "upaya"}:
            reply = _take_text(context, payload, step, text, max_upload_bytes)
        elif step == "evidence":
            reply = Reply(
                'Kirim berkas bukti sebagai dokumen atau foto, lalu tekan "Selesai unggah".',
                _evidence_keyboard(payload),
            )
        else:
            reply = Reply("Mohon pilih salah satu tombol di atas: Kirim, Ubah, atau Batal.")
        set_pending(session, person_id=actor.id, kind=ENTRY, payload=payload, now=now)
        session.commit()
        return reply


def _take_realisasi(context: LineContext, payload: dict[str, Any], text: str) -> Reply:
    parsed = parse_number(text)  # raises InvalidInput with the how-to
    refused = [
        finding
        for finding in check_value(
            realisasi=parsed.value,
            satuan=context.indicator.satuan,
            target=context.target,
            polarity=context.polarity,
            thresholds=_thresholds(),
        )
        if finding.level is Level.ERROR
    ]
    if refused:
        raise InvalidInput("\n".join(f.message for f in refused) + "\nMohon ketik ulang nilainya.")
    payload["realisasi"] = str(parsed.value)
    payload["step"] = "penjelasan"
    capaian = context.capaian(parsed.value)
    shown = format_percent(capaian.value) if capaian.value is not None else capaian.note
    return Reply(
        f"Realisasi: {format_number(parsed.value)} {context.indicator.satuan} "
        f"(capaian {shown}).\n\nKetik penjelasan singkat atas capaian ini.",
        [[_button("Batal", EntryAction.CANCEL)]],
    )


def _below_target(context: LineContext, payload: dict[str, Any]) -> bool:
    capaian = context.capaian(Decimal(payload["realisasi"]))
    return capaian.status is not CapaianStatus.OK or (capaian.value or Decimal(0)) < 100


def _take_text(
    context: LineContext, payload: dict[str, Any], step: str, text: str, max_upload_bytes: int
) -> Reply:
    if len(text) < 3:
        raise InvalidInput("Mohon tulis sedikit lebih lengkap (paling sedikit 3 huruf).")
    payload[step] = text[:4000]
    if step == "penjelasan" and _below_target(context, payload):
        payload["step"] = "kendala"
        return Reply(
            "Capaian di bawah 100%. Ketik kendala yang dihadapi.",
            [[_button("Batal", EntryAction.CANCEL)]],
        )
    if step == "kendala":
        payload["step"] = "upaya"
        return Reply(
            "Ketik upaya tindak lanjut yang akan dilakukan.",
            [[_button("Batal", EntryAction.CANCEL)]],
        )
    payload["step"] = "evidence"
    required = " (wajib)" if context.indicator.evidence_required else ""
    return Reply(
        f"Kirim berkas bukti dukung{required}: pdf, docx, xlsx, jpg atau png, paling besar "
        f"{max_upload_bytes // MB} MB per berkas; boleh lebih dari satu. Setelah "
        'selesai, tekan "Selesai unggah".',
        _evidence_keyboard(payload),
    )


def _evidence_keyboard(payload: dict[str, Any]) -> Keyboard:
    label = "Selesai unggah" if payload.get("evidence") else "Lewati (tanpa bukti baru)"
    return [[_button(label, EntryAction.EVIDENCE_DONE)], [_button("Batal", EntryAction.CANCEL)]]


def add_evidence(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    data: bytes,
    filename: str,
    mime_type: str | None,
    now: datetime,
    limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
    admin_chat_id: int | None = None,
) -> Reply:
    """Keep an uploaded evidence file with the entry in progress, within the upload limits."""
    name = sanitize_filename(filename)
    # The bytes too, not only the name: an executable called laporan.pdf goes to reviewers.
    refusal = evidence_refusal(name, len(data), limits.file_bytes) or content_refusal(name, data)
    if refusal:
        raise InvalidInput(refusal)
    with db.session() as session:
        _, payload, context = _entry_in_progress(
            session,
            actor,
            steps=UPLOAD_STEPS,
            missing="Tidak ada isian yang menunggu berkas bukti.",
        )
        assert context.cycle.id is not None
        over_limit = file_limits.check_upload(
            session,
            files=files,
            actor=actor,
            cycle_id=context.cycle.id,
            period_label=context.period_label,
            name=name,
            data=data,
            limits=limits,
        )
        if over_limit is not None:
            file_limits.refuse_upload(
                session,
                over_limit,
                actor=actor,
                cycle_id=context.cycle.id,
                now=now,
                admin_chat_id=admin_chat_id,
            )
        # The file is written in full before its row exists: see storage.files.
        stored = store_bytes(
            session, files, data, mime_type=mime_type or "application/octet-stream", now=now
        )
        attached = payload.get("evidence", [])
        if any(item["file"] == stored.id for item in attached):
            # The same bytes again (sent twice, or forwarded back): attached once.
            session.commit()
            return Reply(
                f'📎 Berkas "{name}" sudah terlampir ({len(attached)} berkas). Kirim berkas '
                'lain, atau tekan "Selesai unggah".',
                _evidence_keyboard(payload),
            )
        payload["evidence"] = [*attached, {"file": stored.id, "name": name}]
        payload["step"] = "evidence"
        file_limits.record_upload(
            session, actor=actor, cycle_id=context.cycle.id, stored=stored, name=name, now=now
        )
        set_pending(session, person_id=actor.id, kind=ENTRY, payload=payload, now=now)
        session.commit()
        count = len(payload["evidence"])
        return Reply(
            f'📎 Berkas "{name}" diterima ({count} berkas). Kirim berkas lain, atau tekan '
            '"Selesai unggah".',
            _evidence_keyboard(payload),
        )


def evidence_done(*, db: Database, actor: PersonView, now: datetime) -> Reply:
    """Close the upload step and show the summary to confirm."""
    with db.session() as session:
        _, payload, context = _entry_in_progress(session, actor, steps=UPLOAD_STEPS)
        findings = _findings(session, context, payload)
        errors = [f for f in findings if f.level is Level.ERROR]
        if errors:
            return Reply(
                "Belum dapat dikirim:\n" + "\n".join(f"❌ {f.message}" for f in errors),
                _evidence_keyboard(payload),
            )
        payload["step"] = "confirm"
        set_pending(session, person_id=actor.id, kind=ENTRY, payload=payload, now=now)
        session.commit()
        return Reply(_summary(context, payload, findings), _confirm_keyboard(findings))


def _carried_evidence(session: Session, context: LineContext) -> list[Evidence]:
    previous = current_submission(session, context.line)
    return evidence_of(session, previous.id if previous else None)


def _findings(session: Session, context: LineContext, payload: dict[str, Any]) -> list[Finding]:
    evidence_count = len(payload.get("evidence", [])) or len(_carried_evidence(session, context))
    return check_submission(
        realisasi=Decimal(payload["realisasi"]),
        satuan=context.indicator.satuan,
        target=context.target,
        polarity=context.polarity,
        evidence_required=context.indicator.evidence_required,
        evidence_count=evidence_count,
        penjelasan=payload.get("penjelasan"),
        kendala=payload.get("kendala"),
        upaya=payload.get("upaya"),
        thresholds=_thresholds(),
    )


def _summary(context: LineContext, payload: dict[str, Any], findings: list[Finding]) -> str:
    realisasi = Decimal(payload["realisasi"])
    capaian = context.capaian(realisasi)
    shown = format_percent(capaian.value) if capaian.value is not None else "-"
    lines = [
        f"Ringkasan isian {context.indicator.code} — {context.indicator.name}",
        f"Target: {context.target_text}",
        f"Realisasi: {format_number(realisasi)} {context.indicator.satuan}",
        f"Capaian: {shown}" + (f" ({capaian.note})" if capaian.note else ""),
        f"Penjelasan: {payload.get('penjelasan', '-')}",
    ]
    if payload.get("kendala"):
        lines.append(f"Kendala: {payload['kendala']}")
    if payload.get("upaya"):
        lines.append(f"Upaya tindak lanjut: {payload['upaya']}")
    new_files = [item["name"] for item in payload.get("evidence", [])]
    lines.append(
        f"Bukti: {', '.join(new_files)}"
        if new_files
        else "Bukti: (memakai bukti sebelumnya, bila ada)"
    )
    warnings = [f for f in findings if f.level is Level.WARNING]
    if warnings:
        lines.append("")
        lines += [f"⚠️ {f.message}" for f in warnings]
        lines.append('Bila angkanya sudah benar, tekan "Kirim"; bila belum, tekan "Ubah".')
    return "\n".join(lines)


def _confirm_keyboard(findings: list[Finding]) -> Keyboard:
    warned = any(f.level is Level.WARNING for f in findings)
    send = "Kirim (angka sudah benar)" if warned else "Kirim"
    return [
        [_button(send, EntryAction.CONFIRM), _button("Ubah", EntryAction.RESTART)],
        [_button("Batal", EntryAction.CANCEL)],
    ]


def restart_entry(*, db: Database, actor: PersonView, now: datetime) -> Reply:
    """Go back to the realisasi question, keeping nothing of the draft but the indicator."""
    with db.session() as session:
        pending = get_pending(session, person_id=actor.id)
        if pending is None or pending.kind != ENTRY:
            raise NotAllowed(STALE)
        line_id = int(pending.payload["line"])
    return begin_entry(db=db, actor=actor, line_id=line_id, now=now)


def confirm_entry(*, db: Database, actor: PersonView, now: datetime) -> Reply:
    """Store the entry as a new submission version and tell the rendatin team."""
    with db.session() as session:
        pending, payload, context = _entry_in_progress(
            session,
            actor,
            steps={"confirm"},
            missing="Isian ini sudah dikirim atau tidak berlaku lagi.",
        )
        findings = _findings(session, context, payload)
        if any(f.level is Level.ERROR for f in findings):
            raise InvalidInput("\n".join(f.message for f in findings if f.level is Level.ERROR))
        carried = _carried_evidence(session, context)
        submission = record_submission(
            session,
            context=context,
            actor=actor,
            realisasi=Decimal(payload["realisasi"]),
            penjelasan=payload["penjelasan"],
            kendala=payload.get("kendala"),
            upaya=payload.get("upaya"),
            warnings=[f.code for f in findings if f.level is Level.WARNING],
            source="chat",
            now=now,
        )
        assert submission.id is not None
        new_files = payload.get("evidence", [])
        if new_files:
            for item in new_files:
                session.add(
                    Evidence(
                        submission_id=submission.id,
                        file_id=int(item["file"]),
                        original_name=item["name"],
                        uploaded_by_person_id=actor.id,
                        uploaded_at=now,
                    )
                )
        else:
            # A correction that only changes the number keeps the evidence already given.
            copy_evidence(session, submission_id=submission.id, evidence=carried)
        session.delete(pending)
        session.commit()
        capaian = context.capaian(submission.realisasi)
        shown = format_percent(capaian.value) if capaian.value is not None else "-"
        return Reply(
            f"✅ Data {context.indicator.code} terkirim (versi {submission.version}, capaian "
            f"{shown}). Terima kasih. Tim akan memeriksanya.",
            [[_button("Isi indikator lain", EntryAction.MENU)]],
            notify=True,
        )


def record_submission(
    session: Session,
    *,
    context: LineContext,
    actor: PersonView,
    realisasi: Decimal,
    penjelasan: str,
    kendala: str | None,
    upaya: str | None,
    warnings: list[str],
    source: str,
    now: datetime,
) -> Submission:
    """Add the next version for a line, tell rendatin, and audit it (caller commits)."""
    line = context.line
    version = line.current_version + 1
    # Two members of a unit confirming at the same moment must not both become version n.
    moved = session.execute(
        update(CycleIndicator)
        .where(
            col(CycleIndicator.id) == line.id,
            col(CycleIndicator.current_version) == line.current_version,
        )
        .values(current_version=version, status="submitted")
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise NotAllowed(
            f"Data {context.indicator.code} baru saja dikirim oleh anggota unit lain. Mohon "
            "periksa menu isian, lalu kirim ulang bila perlu."
        )
    session.refresh(line)
    capaian = context.capaian(realisasi)
    assert line.id is not None
    submission = Submission(
        cycle_indicator_id=line.id,
        version=version,
        realisasi=realisasi,
        capaian=capaian.value,
        penjelasan=penjelasan,
        kendala=kendala,
        upaya=upaya,
        source=source,
        warnings=warnings,
        submitted_by_person_id=actor.id,
        submitted_at=now,
    )
    session.add(submission)
    session.flush()
    assert submission.id is not None
    shown = format_percent(capaian.value) if capaian.value is not None else capaian.note
    warn = f"\n⚠️ Peringatan otomatis: {', '.join(warnings)}" if warnings else ""
    text = (
        f"📥 Data baru dari {context.unit.name}\n"
        f"{context.indicator.code} — {context.indicator.name} ({context.period_label})\n"
        f"Realisasi {format_number(realisasi)} {context.indicator.satuan} · target "
        f"{context.target_text} · capaian {shown}\n"
        f"Versi {version}, oleh {actor.name}{warn}"
    )
    review = [
        [
            Button(
                "🔎 Periksa",
                data=callbacks.encode(callbacks.REVIEW, callbacks.ReviewAction.VIEW, submission.id),
            ),
            Button(
                "☑️ Terima",
                data=callbacks.encode(
                    callbacks.REVIEW, callbacks.ReviewAction.ACCEPT, submission.id
                ),
            ),
        ],
        [
            Button(
                "⚠️ Tandai kurang valid",
                data=callbacks.encode(callbacks.REVIEW, callbacks.ReviewAction.FLAG, submission.id),
            )
        ],
    ]
    for member in people_with_role(session, office_id=context.cycle.office_id, role=Role.RENDATIN):
        if member.id == actor.id or member.telegram_user_id is None:
            continue
        enqueue(
            session,
            chat_id=member.telegram_user_id,
            now=now,
            text=text,
            keyboard=review,
            person_id=member.id,
            office_id=context.cycle.office_id,
        )
    record_event(
        session,
        now=now,
        actor=actor.name,
        actor_person_id=actor.id,
        action="submission.created",
        object_type="submission",
        object_id=submission.id,
        office_id=context.cycle.office_id,
        details={
            "indicator": context.indicator.code,
            "cycle_id": context.cycle.id,
            "version": version,
            "realisasi": str(realisasi),
            "source": source,
            "warnings": warnings,
        },
    )
    return submission


def cancel_entry(*, db: Database, actor: PersonView) -> Reply:
    """Drop the entry in progress; everything confirmed before stays."""
    with db.session() as session:
        pending = get_pending(session, person_id=actor.id)
        if pending is None or pending.kind != ENTRY:
            return Reply("Tidak ada isian yang sedang berjalan.")
        session.delete(pending)
        session.commit()
    return Reply(
        "Isian dibatalkan. Data yang sudah dikirim sebelumnya tetap tersimpan.",
        [[_button("Kembali ke daftar indikator", EntryAction.MENU)]],
    )
