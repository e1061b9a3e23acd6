"""Deployment settings: the webhook secret and URL, and how long PostgreSQL is waited for."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from bot.webhook import WebhookProblem, webhook_path, webhook_secret


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)  # type: ignore[call-arg]


def test_a_given_secret_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    assert webhook_secret(_settings(tmp_path, webhook_secret="from-the_env-123")) == (
        "from-the_env-123"
    )
    assert not (tmp_path / "webhook-secret").exists()


def test_without_one_a_secret_is_generated_once_and_a_damaged_file_replaced(
    tmp_path: Path,
) -> None:
    first = webhook_secret(_settings(tmp_path))
    assert webhook_secret(_settings(tmp_path)) == first
    (tmp_path / "webhook-secret").write_text("not allowed!\n")
    replaced = webhook_secret(_settings(tmp_path))
    assert replaced != first and (tmp_path / "webhook-secret").read_text() == replaced + "\n"


def test_a_secret_telegram_would_refuse_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET may hold only"):
        _settings(tmp_path, webhook_secret="with spaces")


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.kpu.go.id/lapkin/telegram", "/lapkin/telegram"),
        ("https://bot.kpu.go.id/lapkin/telegram/", "/lapkin/telegram"),
        ("https://bot.kpu.go.id", "/"),
    ],
)
def test_the_listening_path_is_the_urls_path(url: str, path: str) -> None:
    assert webhook_path(url) == path


@pytest.mark.parametrize(
    "url", ["bot.kpu.go.id/lapkin", "ftp://bot.kpu.go.id/x", "https://bot.kpu.go.id/healthz"]
)
def test_urls_that_cannot_work_are_refused_in_one_line(url: str) -> None:
    with pytest.raises(WebhookProblem) as refused:
        webhook_path(url)
    assert "\n" not in str(refused.value) and "--webhook" in str(refused.value)


def test_postgresql_gives_up_on_a_silent_server_in_seconds_unless_the_url_says_otherwise() -> None:
    from storage.db import postgres_connect_args

    ours = postgres_connect_args("postgresql+psycopg://lapkin@db/lapkin")
    assert ours["connect_timeout"] == 10 and ours["keepalives_idle"] == 30
    theirs = postgres_connect_args("postgresql+psycopg://lapkin@db/lapkin?connect_timeout=3")
    assert "connect_timeout" not in theirs and theirs["keepalives"] == 1


@pytest.mark.parametrize(("configured", "workers"), [("0", 0), ("1", 0), ("3", 3)])
def test_chart_workers_reach_the_chart_pool_when_the_bot_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: str, workers: int
) -> None:
    from bot.app import build_application
    from bot.documents import chart_pool

    monkeypatch.setenv("CHART_WORKERS", configured)
    settings = Settings(
        telegram_bot_token="123456789:AAH-test-token-for-the-local-standin",  # type: ignore[arg-type]
        telegram_base_url="http://127.0.0.1:9/bot",
        database_url=f"sqlite:///{tmp_path}/lapkin.sqlite3",
        data_dir=tmp_path,
    )
    try:
        build_application(settings)
        assert chart_pool.workers() == workers
    finally:
        chart_pool.configure(None)


def test_a_negative_number_of_chart_workers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHART_WORKERS", "-1")
    with pytest.raises(ValidationError, match="chart_workers"):
        Settings()
