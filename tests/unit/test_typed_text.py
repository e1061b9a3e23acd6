"""Typed text made safe to store."""

from __future__ import annotations

import pytest

from bot.domain.typed_text import clean_typed_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("96,5", "96,5"),
        ("a\x00b", "ab"),
        ("baris satu\r\nbaris dua\rtiga", "baris satu\nbaris dua\ntiga"),
        ("tab\tdan\nbaris", "tab\tdan\nbaris"),
        ("\x07\x1b[31mmerah\x7f", "[31mmerah"),
        ("Ümlaut 漢字 🙂", "Ümlaut 漢字 🙂"),
    ],
)
def test_control_characters_go_and_line_breaks_stay(typed: str, kept: str) -> None:
    assert clean_typed_text(typed) == kept
