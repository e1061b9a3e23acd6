"""Roles and commands, invitation tokens, settings, and the direction of imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.domain.errors import NotAllowed
from bot.domain.invitations import (
    check_redeemable,
    deep_link,
    hash_token,
    looks_like_token,
    new_token,
)
from bot.domain.roles import Role, commands_for, parse_role
from bot.logs import RedactFilter
from bot.settings import MissingToken, Settings

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def test_each_role_sees_only_its_commands() -> None:
    assert [c.name for c in commands_for({Role.STAF})] == ["bantuan", "isi", "batal", "kantor"]
    assert "siklus" not in [c.name for c in commands_for({Role.STAF, Role.KASUBBAG})]
    assert "undang" in [c.name for c in commands_for({Role.STAF, Role.ADMIN})]


def test_role_names_are_read_leniently_and_unknown_ones_refused() -> None:
    assert parse_role(" Kasubbag ") is Role.KASUBBAG
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_role("bupati")


def test_tokens_are_random_long_and_fit_a_deep_link() -> None:
    tokens = {new_token() for _ in range(200)}

    assert len(tokens) == 200
    assert all(looks_like_token(token) and len(token) <= 64 for token in tokens)
    # 24 random bytes: at least 128 bits, as the issue asks.
    assert all(len(token) * 6 >= 128 for token in tokens)
    token = tokens.pop()
    assert hash_token(token) != token and len(hash_token(token)) == 64
    assert deep_link("lapkin_bot", token) == f"https://t.me/lapkin_bot?start={token}"


@pytest.mark.parametrize(
    "text", ["", "short", "has space in it 1234567", "a" * 65, "semi;colon" * 3]
)
def test_things_that_are_not_tokens_are_recognised(text: str) -> None:
    assert not looks_like_token(text)


def test_a_token_is_redeemable_once_and_before_it_expires() -> None:
    check_redeemable(used_at=None, expires_at=NOW + timedelta(seconds=1), now=NOW)
    with pytest.raises(NotAllowed, match="sudah pernah digunakan"):
        check_redeemable(used_at=NOW, expires_at=NOW + timedelta(days=1), now=NOW)
    with pytest.raises(NotAllowed, match="kedaluwarsa"):
        check_redeemable(used_at=None, expires_at=NOW, now=NOW)


@pytest.mark.parametrize("token", [None, "", "abc", "123:short", "not a token at all, really!!"])
def test_missing_or_malformed_token_explains_botfather(token: str | None) -> None:
    settings = Settings(telegram_bot_token=token, _env_file=None)  # type: ignore[call-arg]

    with pytest.raises(MissingToken, match="@BotFather"):
        settings.bot_token()


def test_a_well_formed_token_is_accepted() -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    assert Settings(telegram_bot_token=token, _env_file=None).bot_token() == token  # type: ignore[call-arg]


def test_default_database_is_a_sqlite_file_under_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]

    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve()}/lapkin.sqlite3"


def test_a_faster_telegram_clock_is_only_for_a_stand_in() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_TIME_SCALE"):
        Settings(telegram_time_scale=100, _env_file=None)  # type: ignore[call-arg]
    stand_in = Settings(
        telegram_time_scale=100,
        telegram_base_url="http://127.0.0.1:8081/bot",
        _env_file=None,  # type: ignore[call-arg]
    )
    assert stand_in.telegram_time_scale == 100
    assert Settings(_env_file=None).telegram_time_scale == 1  # type: ignore[call-arg]


def test_redaction_removes_the_token_from_messages_and_tracebacks() -> None:
    import logging

    secret = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{secret}/getMe failed")
    except RuntimeError as error:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "calling %s",
            (f"bot{secret}",),
            (type(error), error, None),
        )
    RedactFilter([secret]).filter(record)

    assert secret not in record.getMessage()
    assert record.exc_text is not None and secret not in record.exc_text


def _imports(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_the_domain_knows_no_framework() -> None:
    assert not _imports("bot/domain") & {
        "telegram",
        "sqlmodel",
        "sqlalchemy",
        "docxtpl",
        "storage",
        "handlers",
    }


def test_handlers_never_touch_storage_directly() -> None:
    assert not _imports("handlers") & {"storage", "sqlmodel", "sqlalchemy"}


def test_services_know_nothing_of_telegram() -> None:
    assert "telegram" not in _imports("bot/services")


def test_a_waiting_bot_has_not_loaded_the_document_libraries() -> None:
    # They weigh some 60 MB and load when the first document is made (see bot/documents).
    probe = (
        "import sys, bot.app, bot.cli\n"
        "heavy = ('matplotlib', 'openpyxl', 'docxtpl', 'docx', 'PIL', 'numpy')\n"
        "print(' '.join(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.split() == []
