"""Settings read from the environment and ``.env`` (see .env.example for every one)."""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.files import MAX_UPLOAD_BYTES, MB, UploadLimits

# The shape BotFather hands out: the bot's numeric id, a colon, then 30+ URL-safe characters.
TOKEN_PATTERN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")

TOKEN_HELP = (
    "Lapkin needs a Telegram bot token. Open Telegram, talk to @BotFather, send /newbot and "
    "follow the steps; BotFather answers with a token such as "
    "123456789:AAH...xyz. Put it in the file .env next to the Makefile as "
    "TELEGRAM_BOT_TOKEN=<token> (copy .env.example to .env to start), or export "
    "TELEGRAM_BOT_TOKEN in the environment, then run the command again."
)


# What a self-hosted Bot API server in local mode lets a bot download.
LOCAL_MODE_MAX_MB = 2000


class Settings(BaseSettings):
    """Everything a deployment can change without touching code."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    # A self-hosted telegram-bot-api server started with --local (see the README): it gives
    # the bot each file as a path on this machine instead of a download, and files of up to
    # 2000 MB instead of the cloud API's 20 MB.
    local_mode: bool = False
    # The largest file a person may send the bot; above 20 MB only with LOCAL_MODE.
    max_upload_mb: int = Field(default=MAX_UPLOAD_BYTES // MB, ge=1, le=LOCAL_MODE_MAX_MB)
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

    @field_validator("max_upload_mb")
    @classmethod
    def _upload_limit_the_server_allows(cls, value: int, info: ValidationInfo) -> int:
        # local_mode is declared before max_upload_mb, so it is validated (and here) already.
        if value > MAX_UPLOAD_BYTES // MB and not info.data.get("local_mode"):
            raise ValueError(
                f"di atas {MAX_UPLOAD_BYTES // MB} MB hanya dengan LOCAL_MODE=true: Bot API "
                "Telegram memberi bot berkas paling besar 20 MB; berkas lebih besar perlu "
                "server telegram-bot-api sendiri (lihat README)"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

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
        """The upload quotas, the disk reserve and the largest file, in bytes."""
        return UploadLimits(
            person_cycle_bytes=self.upload_quota_person_mb * MB,
            cycle_bytes=self.upload_quota_cycle_mb * MB,
            disk_reserve_bytes=self.disk_reserve_mb * MB,
            file_bytes=self.max_upload_mb * MB,
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


def webhook_secret(token: str) -> str:
    """Derive the webhook's secret header from the token: stable across restarts, not guessable."""
    return hashlib.sha256(f"lapkin-webhook:{token}".encode()).hexdigest()
