"""Indonesian dates and Telegram-sized message parts."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.formatting import (
    end_sentence,
    format_datetime,
    join_words,
    split_message,
)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 1, 2, 1, 30, tzinfo=UTC), WIB, "2 Januari 2026 pukul 08.30 WIB"),
        (datetime(2026, 8, 16, 17, 5, tzinfo=UTC), WIB, "17 Agustus 2026 pukul 00.05 WIB"),
        (
            datetime(2026, 3, 1, 0, 0, tzinfo=UTC),
            ZoneInfo("Asia/Makassar"),
            "1 Maret 2026 pukul 08.00 WITA",
        ),
        (
            datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
            ZoneInfo("Asia/Jayapura"),
            "1 Januari 2027 pukul 08.00 WIT",
        ),
    ],
)
def test_datetimes_are_shown_in_indonesian_local_time(
    moment: datetime, zone: ZoneInfo, expected: str
) -> None:
    assert format_datetime(moment, zone) == expected


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        ([], ""),
        (["Rina"], "Rina"),
        (["Rina", "Agus"], "Rina dan Agus"),
        (["Rina", "Agus", "Nurhayati"], "Rina, Agus, dan Nurhayati"),
    ],
)
def test_lists_are_joined_with_the_serial_comma(items: list[str], joined: str) -> None:
    assert join_words(items) == joined


def test_a_name_ending_with_a_full_stop_gets_no_second_one() -> None:
    assert (
        end_sentence("dikirim kepada Suryadi, S.E., M.M.") == "dikirim kepada Suryadi, S.E., M.M."
    )
    assert end_sentence("dikirim kepada Suryadi") == "dikirim kepada Suryadi."


def test_short_text_is_one_part() -> None:
    assert split_message("halo") == ["halo"]


def test_long_text_splits_at_line_breaks_within_the_limit() -> None:
    lines = [f"baris {n:04d} " + "x" * 40 for n in range(300)]

    parts = split_message("\n".join(lines), limit=4096)

    assert len(parts) > 1
    assert all(len(part) <= 4096 for part in parts)
    assert "\n".join(parts) == "\n".join(lines)


def test_a_single_overlong_line_is_cut() -> None:
    parts = split_message("y" * 10000, limit=4096)

    assert [len(part) for part in parts] == [4096, 4096, 1808]
