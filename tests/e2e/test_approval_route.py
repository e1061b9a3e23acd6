"""A configured review route end to end: the Ketua Tim first, then the other Kasubbag, then
the Sekretaris signs (the organisation file's ``review_route:``)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from sqlmodel import col, select

from bot.context import LapkinApplication
from bot.domain.approval_route import ReviewStageSpec
from bot.domain.organisation import OrganisationSpec
from bot.domain.roles import Role
from bot.services.organisation import import_organisation
from storage.db import Database
from storage.models import AuditEvent
from tests.cycle_data import ready_for_a_draft
from tests.e2e.conftest import MovableClock, register_people
from tests.e2e.steps import (
    AFTER_THE_YEAR,
    INITIAL,
    RETURN,
    SIGN,
    all_text,
    draft_and_submit,
    find_request,
    last,
    say,
    start_cycle,
    until,
)
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e

THREE_STAGES = (
    ReviewStageSpec(name="ketua_tim", label="Paraf Ketua Tim", units=("RENDATIN",)),
    ReviewStageSpec(name="kasubbag", roles=(Role.KASUBBAG,)),  # every Kasubbag not yet asked
    ReviewStageSpec(name="sekretaris", action="tanda_tangan", roles=(Role.SEKRETARIS,)),
)


async def test_the_ketua_tim_initials_first_then_the_other_kasubbag_then_the_sekretaris_signs(
    standin: BotApiStandin,
    pk_db: Database,
    example_spec: OrganisationSpec,
    bot: LapkinApplication,
    clock: MovableClock,
) -> None:
    routed = example_spec.model_copy(update={"pemaraf": (), "review_route": THREE_STAGES})
    import_organisation(db=pk_db, spec=routed, now=datetime(2026, 1, 6, 1, 0, tzinfo=UTC))
    people = await register_people(
        standin, pk_db, "fajar", "hendra", "yulia", "rina", "agus", "nurhayati"
    )
    fajar, hendra, yulia = people["fajar"], people["hendra"], people["yulia"]
    others = [people[name] for name in ("rina", "agus", "nurhayati")]
    await start_cycle(standin, fajar)
    ready_for_a_draft(pk_db)

    # Stage 1: only the Ketua Tim (Kasubbag RENDATIN) is asked.
    await draft_and_submit(standin, fajar, 1)
    first = await find_request(standin, yulia, 1, "Mohon paraf")
    assert first.buttons == [[INITIAL, RETURN]]
    assert "Telah diparaf oleh" not in first.body
    for user in others:
        assert not any("Mohon paraf" in m.body for m in standin.messages(user))
    await standin.tap(yulia, first, INITIAL)
    await last(standin, fajar, "Paraf tahap Paraf Ketua Tim lengkap untuk versi 1")

    # Stage 2: the other Kasubbag, told who initialled before them; the Ketua Tim not again.
    second = {
        user.first_name: await find_request(standin, user, 1, "Mohon paraf") for user in others
    }
    for request in second.values():
        assert "Telah diparaf oleh: Yulia Fitriani, S.T., M.M." in request.body
        assert request.buttons == [[INITIAL, RETURN]]
    await until(lambda: "memaraf konsep versi 1" in first.body, "Yulia's request to be settled")
    assert not any("Mohon paraf" in m.body for m in standin.messages(yulia))  # asked once
    overview = await say(standin, fajar, "/persetujuan", "📋 Konsep")
    assert "Paraf Ketua Tim:\n• Yulia Fitriani, S.T., M.M.: disetujui" in overview.body
    assert "\nParaf Kasubbag:\n" in overview.body
    for user in others:
        await standin.tap(user, second[user.first_name], INITIAL)
    await last(standin, fajar, "Semua Kasubbag telah memaraf versi 1")

    # Stage 3: the Sekretaris signs; the lembar paraf holds all four initials.
    to_sign = await find_request(standin, hendra, 1, "Mohon persetujuan dan tanda tangan")
    assert to_sign.buttons == [[SIGN, RETURN]]
    for name in ("Yulia Fitriani", "Rina Marlina", "Agus Salim", "Nurhayati"):
        assert name in to_sign.body
    clock.move_to(AFTER_THE_YEAR)
    await standin.tap(hendra, to_sign, SIGN)
    signed = await last(standin, fajar, "telah ditandatangani")
    assert signed.document is not None
    text = all_text(Document(io.BytesIO(standin.download(signed.document["file_id"]))))
    for name in ("Yulia Fitriani", "Rina Marlina, S.E.", "Agus Salim, S.IP.", "Nurhayati, S.H."):
        assert name in text
    await until(lambda: to_sign.buttons == [], "the Sekretaris's buttons to go")

    with pk_db.session() as session:
        events = [
            event.action
            for event in session.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action).like("draft.%"))
                .order_by(col(AuditEvent.id))
            )
        ]
    assert events == [
        "draft.created",
        "draft.submitted",
        "draft.ketua_tim.approved",
        "draft.stage_initialled",
        *["draft.kasubbag.approved"] * 3,
        "draft.initialled",
        "draft.sekretaris.approved",
        "draft.signed",
    ]
