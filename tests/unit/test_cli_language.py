"""The CLI's own texts (help and argparse's errors) are Indonesian, like the bot's."""

from __future__ import annotations

import pytest

from bot.cli import build_parser


def test_the_help_is_indonesian_throughout() -> None:
    text = build_parser().format_help()

    assert "penggunaan: python -m bot" in text and "opsi:" in text
    assert "tampilkan bantuan ini lalu keluar" in text
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in text


def test_a_missing_argument_is_one_indonesian_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["invite"])

    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error == "python -m bot invite: galat: argumen berikut wajib diisi: nip"
