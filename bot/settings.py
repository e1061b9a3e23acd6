"""Settings read from the environment and ``.env`` (see .env.example for every one)."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.files import MB, UploadLimits

# What Telegram accepts as a webhook's secret token.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# The shape BotFather hands out: the bot's numeric id, a colon, then 30+ URL-safe characters.
TOKEN_PATTERN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")

TOKEN_HELP = (
    "Lapkin needs a Telegram bot token. Open Telegram, talk to @BotFather, send /newbot and "
    "follow the steps; BotFather answers with a token such as "
    "123456789:AAH...xyz. Put it in the file .env next to the Makefile as "
    "TELEGRAM_BOT_TOKEN=<token> (copy .env.example to .env to start), or export "
    "TELEGRAM_BOT_TOKEN in the environment, then run the command again."
)


class Settings(BaseSettings):
    """Everything a deployment can change without touching code."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str | None = None
    data_dir: Path = Path("./data")
    timezone: str = "Asia/Jakarta"
    log_level: str = "INFO"
    admin_chat_id: int | None = Field(
        default=None, description="Telegram chat that receives error reports and alerts"
    )
    invitation_valid_days: int = Field(default=7, ge=1, le=90)
    # A PDF beside each generated .docx, when LibreOffice (soffice) is installed.
    pdf_copies: bool = True
    # The office's own .docx templates (its letterhead): nota_dinas.docx, lkjip.docx. A file
    # that is not there falls back to the one shipped in templates/.
    templates_dir: Path | None = None
    # Outbox dispatcher: how often it looks for due messages when nothing woke it.
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    outbox_max_attempts: int = Field(default=12, ge=1)
    # Reminders: how often the sweep looks for reminders that fell due.
    reminder_sweep_seconds: float = Field(default=60.0, gt=0)
    # The largest file the bot sends; a bigger archive zip goes in numbered parts.
    archive_part_bytes: int = Field(default=50_000_000, gt=0, le=50_000_000)
    # Off only where reminders would get in the way (the end-to-end tests of other features).
    reminders_enabled: bool = True
    # Seconds PTB waits for Telegram; tests shorten them to exercise time-outs.
    telegram_read_timeout: float = Field(default=10.0, gt=0)
    telegram_write_timeout: float = Field(default=20.0, gt=0)
    # Uploads (see .env.example for why these defaults): what one person may upload in one
    # cycle, what the whole office may, and the free space DATA_DIR keeps; an upload past one
    # of them is refused politely and the admins are told once.
    upload_quota_person_mb: int = Field(default=500, ge=1)
    upload_quota_cycle_mb: int = Field(default=5 * 1024, ge=1)
    disk_reserve_mb: int = Field(default=1024, ge=0)
    # Stored files nothing refers to any more (the uploads of a cancelled entry) are removed
    # this long after they were last stored; the cleanup runs this often, and at start.
    file_cleanup_grace_hours: float = Field(default=24.0, gt=0)
    file_cleanup_interval_hours: float = Field(default=6.0, gt=0)
    # Webhook mode (run --webhook): the secret Telegram sends with every update. Empty: one is
    # generated at the first webhook start and kept in DATA_DIR/webhook-secret (bot.webhook).
    webhook_secret: SecretStr | None = None
    # Polling mode: answer GET /healthz on this port (empty: no health server). In webhook
    # mode /healthz is always answered by the webhook's own server.
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_listen: str = "127.0.0.1"

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("webhook_secret")
    @classmethod
    def _usable_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, at most 256")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Jakarta)") from None
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        """The office's time zone (WIB by default) for everything shown to people."""
        return ZoneInfo(self.timezone)

    @property
    def effective_database_url(self) -> str:
        """The database to use: DATABASE_URL, or a SQLite file under DATA_DIR."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'lapkin.sqlite3').resolve()}"

    @property
    def upload_limits(self) -> UploadLimits:
        """The upload quotas and the disk reserve, in bytes."""
        return UploadLimits(
            person_cycle_bytes=self.upload_quota_person_mb * MB,
            cycle_bytes=self.upload_quota_cycle_mb * MB,
            disk_reserve_bytes=self.disk_reserve_mb * MB,
        )

    def template(self, name: str) -> Path | None:
        """Return the office's own template ``name`` when it has one (None: the shipped one)."""
        if self.templates_dir is None:
            return None
        path = self.templates_dir / name
        return path if path.is_file() else None

    def bot_token(self) -> str:
        """Return the token, or raise MissingToken with the help paragraph."""
        token = (
            self.telegram_bot_token.get_secret_value().strip() if self.telegram_bot_token else ""
        )
        if not token:
            raise MissingToken("TELEGRAM_BOT_TOKEN is not set.\n\n" + TOKEN_HELP)
        if not TOKEN_PATTERN.match(token):
            raise MissingToken(
                "TELEGRAM_BOT_TOKEN does not look like a bot token.\n\n" + TOKEN_HELP
            )
        return token


class MissingToken(Exception):
    """The bot token is absent or malformed; the message says how to get one."""
