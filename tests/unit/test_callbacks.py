"""Button data: what decodes, and what a forged or garbled press turns into."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.domain.numbers import BIGGEST_ID, whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0", 0), ("42", 42), ("2026", 2026), (str(BIGGEST_ID), BIGGEST_ID)],
)
def test_whole_number_reads_plain_digits(text: str, expected: int) -> None:
    assert whole_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 1",
        "1 ",
        "1\n",
        "+1",
        "-1",
        "²",
        "١٢",
        "1_000",
        "0x10",
        "1e3",
        "NaN",
        str(BIGGEST_ID + 1),
        "9" * 40,
    ],
)
def test_whole_number_refuses_everything_else(text: str) -> None:
    assert whole_number(text) is None


def test_whole_number_keeps_to_its_bounds() -> None:
    assert whole_number("1999", lowest=2000, highest=2100) is None
    assert whole_number("2100", lowest=2000, highest=2100) == 2100


def test_decode_reads_what_encode_wrote() -> None:
    data = callbacks.encode(callbacks.STATUS, "u", 7, 3, 0)
    assert callbacks.decode(data) == callbacks.Callback("st", "u", (7, 3, 0))


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "e",
        ":s:1",
        "e:s:²",
        "e:s:١",
        "e:s: 1",
        "e:s:1\n",
        f"e:s:{2**63}",
        "e:s:-1",
        "e:s:",
        "e:s:1:x",
    ],
)
def test_decode_refuses_garbled_data(data: str | None) -> None:
    assert callbacks.decode(data) is None


def test_in_area_matches_only_well_formed_data_of_its_area_and_action() -> None:
    entry, cycle_send = callbacks.in_area("e"), callbacks.in_area("cy", "k")
    assert entry("e:s:1") and not entry("e:s:NaN") and not entry("rv:a:1") and not entry(None)
    assert cycle_send("cy:k:4") and not cycle_send("cy:x:4")
