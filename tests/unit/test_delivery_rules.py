"""The report's delivery deadline and the archive's split into Telegram-sized parts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.domain.organisation import SubmissionDeadlineSpec
from bot.domain.periods import Period
from bot.services.archive import split_for_telegram
from bot.services.delivery import report_deadline


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.TAHUNAN, date(2027, 1, 31)),
        (Period.TW1, date(2026, 4, 10)),
        (Period.TW2, date(2026, 7, 10)),
        (Period.TW3, date(2026, 10, 10)),
        (Period.TW4, date(2027, 1, 10)),  # the quarter ends with the year
    ],
)
def test_the_deadline_follows_the_period(period: Period, expected: date) -> None:
    assert report_deadline(period, 2026, SubmissionDeadlineSpec()) == expected


def test_the_office_sets_its_own_deadline_and_a_bad_day_is_refused() -> None:
    spec = SubmissionDeadlineSpec(tahunan="02-28", triwulan_hari=0)
    assert report_deadline(Period.TAHUNAN, 2026, spec) == date(2027, 2, 28)
    assert report_deadline(Period.TW1, 2026, spec) == date(2026, 3, 31)
    with pytest.raises(ValidationError, match="MM-DD"):
        SubmissionDeadlineSpec(tahunan="02-30")


def test_a_small_zip_goes_whole_and_a_big_one_in_parts_that_join_back(tmp_path: Path) -> None:
    bundle = tmp_path / "arsip-lkjip-2026.zip"
    data = bytes(range(256)) * 40  # 10 240 bytes
    bundle.write_bytes(data)

    assert split_for_telegram(bundle) == [("arsip-lkjip-2026.zip", data)]
    parts = split_for_telegram(bundle, limit=4000)
    assert [name for name, _ in parts] == [
        "arsip-lkjip-2026.zip.001",
        "arsip-lkjip-2026.zip.002",
        "arsip-lkjip-2026.zip.003",
    ]
    assert all(len(part) <= 4000 for _, part in parts)
    assert b"".join(part for _, part in parts) == data
