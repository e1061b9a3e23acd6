"""Settings read from the environment and ``.env`` (see .env.example for every one)."""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.files import MAX_UPLOAD_BYTES, MB, UploadLimits

# What Telegram accepts as a webhook's secret token.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# The shape BotFather hands out: the bot's numeric id, a colon, then 30+ URL-safe characters.
TOKEN_PATTERN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")

TOKEN_HELP = (
    "minta token ke @BotFather di Telegram (/newbot), lalu tulis TELEGRAM_BOT_TOKEN=<token> "
    "di .env di folder proyek (salin .env.example menjadi .env) dan jalankan lagi."
)


# What a self-hosted Bot API server in local mode lets a bot download.
LOCAL_MODE_MAX_MB = 2000


class Settings(BaseSettings):
    """Everything a deployment can change without touching code."""

    # The .env file is chosen by load_settings (never the one where the command happens to
    # be run); Settings() alone reads only the environment.
    model_config = SettingsConfigDict(
        env_file=None, env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
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
    # The bot's @username without the @, for `invite` on a machine that cannot reach Telegram
    # (otherwise it is asked of Telegram, or taken from the last start).
    bot_username: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
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
    # Processes that draw a report's charts side by side (bot.documents.chart_pool). Empty:
    # one per usable core, at most 4; 0 or 1: drawn in the bot's own process (one core, or a
    # machine short of memory: each worker holds matplotlib, ~60 MB).
    chart_workers: int | None = Field(default=None, ge=0, le=32)
    # The logo on the LKjIP cover for an office whose organisation file names none.
    logo_file: Path | None = None
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
    # For a Bot API stand-in in tests only: how many times faster than real time Telegram's
    # rate limits and retry waits run (bot.ratelimit.Pacing). Against Telegram it must be 1,
    # or the bot would flood it; so it is refused unless TELEGRAM_BASE_URL points elsewhere.
    telegram_time_scale: float = Field(default=1.0, ge=1.0)

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

    @field_validator("webhook_secret")
    @classmethod
    def _usable_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, at most 256")
        return value

    @model_validator(mode="after")
    def _time_scale_only_for_a_stand_in(self) -> Settings:
        if self.telegram_time_scale != 1.0 and _is_telegram(self.telegram_base_url):
            raise ValueError(
                "TELEGRAM_TIME_SCALE is for a Bot API stand-in in tests; against Telegram "
                "it must be 1"
            )
        return self

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
            raise MissingToken("TELEGRAM_BOT_TOKEN belum diisi: " + TOKEN_HELP)
        if not TOKEN_PATTERN.match(token):
            raise MissingToken("TELEGRAM_BOT_TOKEN bukan token bot yang sah: " + TOKEN_HELP)
        return token


# A source checkout (the README's set-up): the project folder holds pyproject.toml and .env.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENV_FILE_VARIABLE = "LAPKIN_ENV_FILE"  # names the .env file; empty: read none


def load_settings(env_file: Path | None = None) -> Settings:
    """Read the settings for a command: the environment, then one .env file.

    The .env file is ``env_file`` (``--env-file``), else $LAPKIN_ENV_FILE, else the one beside
    the project. Relative DATA_DIR and TEMPLATES_DIR are taken from that file's folder (the
    project folder without one), never from the current directory: the CLI run from
    elsewhere must find the same database and files as the service.
    """
    chosen = _env_file(env_file)
    settings = Settings(_env_file=chosen)
    base = chosen.parent if chosen is not None else PROJECT_ROOT
    settings.data_dir = (base / settings.data_dir).resolve()
    if settings.templates_dir is not None:
        settings.templates_dir = (base / settings.templates_dir).resolve()
    if settings.logo_file is not None:
        settings.logo_file = (base / settings.logo_file).resolve()
    return settings


def _env_file(explicit: Path | None) -> Path | None:
    if explicit is None and ENV_FILE_VARIABLE in os.environ:
        named = os.environ[ENV_FILE_VARIABLE]
        explicit = Path(named) if named else None
        if explicit is None:
            return None
    if explicit is not None:
        if not explicit.is_file():
            raise SettingsFileMissing(f"Berkas pengaturan {explicit} tidak ditemukan.")
        return explicit.resolve()
    beside = PROJECT_ROOT / ".env"
    return beside if beside.is_file() else None


class SettingsFileMissing(Exception):
    """The .env file named on the command line or in $LAPKIN_ENV_FILE does not exist."""


def _is_telegram(base_url: str) -> bool:
    """Tell whether the Bot API address is Telegram's own."""
    host = urlsplit(base_url).hostname or ""
    return host == "api.telegram.org" or host.endswith(".telegram.org")


class MissingToken(Exception):
    """The bot token is absent or malformed; the message says how to get one."""
