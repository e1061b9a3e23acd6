"""The provincial view's rules: a child's stage, its lateness, who the provinsi is reminded of;
and its chart and workbook open."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot import documents
from bot.domain.province import ChildCycle, ChildStage, late_children, share

DEADLINE = date(2027, 1, 31)
SENT = datetime(2027, 1, 20, 2, 0, tzinfo=UTC)
NOT_STARTED = ChildCycle(
    office_code="kab-a",
    office_name="KPU Kabupaten A",
    period_label=None,
    nota_dinas_sent_at=None,
    indicators=0,
    answered=0,
    accepted=0,
    draft_version=None,
    draft_status=None,
    decided=0,
    reviewers=0,
    signed_at=None,
    sent_at=None,
    received_at=None,
    deadline=DEADLINE,
    sent_late=None,
)
COLLECTING = replace(
    NOT_STARTED,
    office_code="kab-b",
    office_name="KPU Kabupaten B",
    period_label="Tahun 2026",
    nota_dinas_sent_at=SENT,
    indicators=15,
    answered=9,
    accepted=6,
)


@pytest.mark.parametrize(
    ("child", "stage"),
    [
        (NOT_STARTED, ChildStage.NOT_STARTED),
        (replace(COLLECTING, nota_dinas_sent_at=None), ChildStage.NOTA_DINAS),
        (COLLECTING, ChildStage.COLLECTING),
        (replace(COLLECTING, draft_version=2, draft_status="returned"), ChildStage.DRAFTING),
        (replace(COLLECTING, draft_version=1, draft_status="review_kasubbag"), ChildStage.PARAF),
        (
            replace(COLLECTING, draft_version=1, draft_status="review_sekretaris"),
            ChildStage.SIGNATURE,
        ),
        (replace(COLLECTING, draft_version=1, draft_status="signed"), ChildStage.SIGNED),
        (replace(COLLECTING, draft_version=1, draft_status="sent"), ChildStage.SENT),
        (replace(COLLECTING, draft_version=1, draft_status="archived"), ChildStage.RECEIVED),
    ],
)
def test_the_stage_follows_the_cycle_and_its_newest_draft(
    child: ChildCycle, stage: ChildStage
) -> None:
    assert child.stage is stage


def test_an_unsent_report_is_late_after_its_batas_kirim_a_sent_one_as_it_was_sent() -> None:
    assert not COLLECTING.late(DEADLINE)
    assert COLLECTING.late(date(2027, 2, 1))
    on_time = replace(COLLECTING, sent_at=SENT, sent_late=False)
    assert not on_time.late(date(2027, 3, 1))
    assert replace(on_time, sent_late=True).late(DEADLINE)


def test_the_provinsi_is_reminded_of_late_unsent_cycles_only() -> None:
    after = date(2027, 2, 1)
    sent_late = replace(COLLECTING, office_code="kab-c", sent_at=SENT, sent_late=True)

    assert late_children([NOT_STARTED, COLLECTING, sent_late], after) == [COLLECTING]


def test_shares_are_whole_percents_and_nothing_of_nothing_is_zero() -> None:
    assert (share(6, 15), share(2, 3), share(0, 0)) == (40, 67, 0)


def test_the_chart_and_the_workbook_show_every_office() -> None:
    today = date(2027, 2, 1)
    png = documents.province_chart([NOT_STARTED, COLLECTING], title="Uji", today=today)
    workbook = load_workbook(
        BytesIO(
            documents.build_province_workbook(
                parent_name="KPU Provinsi Uji",
                year=2026,
                children=[NOT_STARTED, COLLECTING],
                compliance=[("KPU Kabupaten A", []), ("KPU Kabupaten B", [])],
                today=today,
                tz=ZoneInfo("Asia/Jakarta"),
            )
        )
    )

    assert png.startswith(b"\x89PNG")
    progress = [[c.value for c in row] for row in workbook["Kemajuan"].iter_rows(min_row=5)]
    assert progress[1][:7] == [
        "KPU Kabupaten B",
        "Tahun 2026",
        "pengumpulan data",
        "20 Januari 2027 pukul 09.00 WIB",
        15,
        60,
        40,
    ]
    assert progress[1][-1] == "Ya"  # past 31 January, not sent
    steps = workbook["Waktu SOP"]
    assert [c.value for c in steps[4]][3:] == ["KPU Kabupaten A", "KPU Kabupaten B"]
    assert steps.max_row == 4 + 6  # the six SOP steps
