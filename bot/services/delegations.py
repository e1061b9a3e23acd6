"""Plh./Plt.: an admin names who decides for an absent reviewer, with the reason on record."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.errors import InvalidInput, NotFound
from bot.domain.formatting import end_sentence, format_datetime
from bot.domain.roles import Role
from bot.messages import Reply
from bot.services.approval_requests import active_delegation, send_pending_to_delegate
from bot.services.audit import record_event
from bot.services.common import require_role, tell
from bot.services.people import PersonView
from storage.db import Database
from storage.files import FileStore
from storage.models import Delegation, Person

TITLES = {"plh": "Plh.", "plt": "Plt."}
USAGE = (
    "Menunjuk Plh./Plt. untuk pemeriksa yang berhalangan:\n"
    "/delegasi <NIP yang berhalangan> <NIP pengganti> <Plh|Plt> <alasan>\n"
    "Contoh: /delegasi 198001012005011001 198502022010012002 Plh Dinas luar 25–27 November\n\n"
    "Mengakhiri: /delegasi selesai <NIP yang berhalangan>"
)
NOT_ADMIN = "Maaf, hanya admin yang dapat menunjuk Plh./Plt."


def _person(session: Session, *, office_id: int, nip: str) -> Person:
    person = session.exec(
        select(Person).where(Person.office_id == office_id, Person.nip == nip.replace(" ", ""))
    ).first()
    if person is None or not person.active:
        raise NotFound(f"Tidak ada pegawai aktif dengan NIP {nip}.")
    return person


def delegate(
    *,
    db: Database,
    files: FileStore,
    actor: PersonView,
    absent_nip: str,
    delegate_nip: str,
    title: str,
    reason: str,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Name ``delegate_nip`` as Plh./Plt. for ``absent_nip``; hand over what waits for them."""
    require_role(actor, Role.ADMIN, message=NOT_ADMIN)
    shown_title = TITLES.get(title.lower().rstrip("."))
    if shown_title is None:
        raise InvalidInput(f"Sebutan harus Plh atau Plt, bukan “{title}”.\n\n{USAGE}")
    reason = reason.strip()
    if len(reason) < 5:
        raise InvalidInput(f"Mohon tulis alasan penunjukan (paling sedikit 5 huruf).\n\n{USAGE}")
    with db.session() as session:
        absent = _person(session, office_id=actor.office_id, nip=absent_nip)
        substitute = _person(session, office_id=actor.office_id, nip=delegate_nip)
        if absent.id == substitute.id:
            raise InvalidInput("Pegawai yang berhalangan dan penggantinya harus orang berbeda.")
        if substitute.telegram_user_id is None:
            raise InvalidInput(
                f"{substitute.name} belum terdaftar di Lapkin; undang dulu dengan /undang."
            )
        assert absent.id is not None and substitute.id is not None
        previous = active_delegation(session, absent_person_id=absent.id)
        if previous is not None:
            previous.ended_at = now
            previous.ended_by_person_id = actor.id
            session.add(previous)
        delegation = Delegation(
            office_id=actor.office_id,
            absent_person_id=absent.id,
            delegate_person_id=substitute.id,
            title=shown_title,
            reason=reason[:500],
            created_by_person_id=actor.id,
            created_at=now,
        )
        session.add(delegation)
        session.flush()
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="delegation.created",
            object_type="delegation",
            object_id=delegation.id,
            office_id=actor.office_id,
            details={
                "absent": absent.name,
                "delegate": substitute.name,
                "title": shown_title,
                "reason": reason,
            },
        )
        handed_over = send_pending_to_delegate(
            session, files, delegation=delegation, now=now, tz=tz
        )
        tell(
            session,
            [substitute],
            f"📌 Anda ditunjuk sebagai {shown_title} untuk {absent.name} ({absent.jabatan}) "
            f"dalam persetujuan Laporan Kinerja, sejak {format_datetime(now, tz)}.\n"
            f"Alasan: {reason}",
            now=now,
        )
        tell(
            session,
            [absent],
            f"📌 {substitute.name} ditunjuk sebagai {shown_title} Anda dalam persetujuan Laporan "
            f"Kinerja.\nAlasan: {reason}",
            now=now,
        )
        session.commit()
        waiting = (
            f" {handed_over} keputusan yang menunggu sudah dikirim kepadanya."
            if handed_over
            else ""
        )
        return Reply(
            end_sentence(f"✅ {substitute.name} menjadi {shown_title} untuk {absent.name}")
            + waiting,
            notify=True,
        )


def end(*, db: Database, actor: PersonView, absent_nip: str, now: datetime) -> Reply:
    """End the delegation in force for ``absent_nip``."""
    require_role(actor, Role.ADMIN, message=NOT_ADMIN)
    with db.session() as session:
        absent = _person(session, office_id=actor.office_id, nip=absent_nip)
        assert absent.id is not None
        delegation = active_delegation(session, absent_person_id=absent.id)
        if delegation is None:
            raise NotFound(end_sentence(f"Tidak ada Plh./Plt. yang berlaku untuk {absent.name}"))
        delegation.ended_at = now
        delegation.ended_by_person_id = actor.id
        session.add(delegation)
        record_event(
            session,
            now=now,
            actor=actor.name,
            actor_person_id=actor.id,
            action="delegation.ended",
            object_type="delegation",
            object_id=delegation.id,
            office_id=actor.office_id,
            details={"absent": absent.name},
        )
        substitute = session.get(Person, delegation.delegate_person_id)
        if substitute is not None:
            tell(
                session,
                [substitute],
                f"📌 Penunjukan Anda sebagai {delegation.title} untuk {absent.name} berakhir.",
                now=now,
            )
        session.commit()
        return Reply(f"✅ {delegation.title} untuk {absent.name} diakhiri.", notify=True)


def listing(*, db: Database, actor: PersonView) -> Reply:
    """The usage and the delegations in force."""
    require_role(actor, Role.ADMIN, message=NOT_ADMIN)
    with db.session() as session:
        rows = session.exec(
            select(Delegation)
            .where(Delegation.office_id == actor.office_id, col(Delegation.ended_at).is_(None))
            .order_by(col(Delegation.id))
        ).all()
        lines = [USAGE]
        if rows:
            lines.append("\nYang berlaku sekarang:")
            for row in rows:
                absent = session.get(Person, row.absent_person_id)
                substitute = session.get(Person, row.delegate_person_id)
                lines.append(
                    f"• {row.title} {absent.name if absent else '-'}: "
                    f"{substitute.name if substitute else '-'} ({row.reason})"
                )
        else:
            lines.append("\nBelum ada Plh./Plt. yang berlaku.")
        return Reply("\n".join(lines))
