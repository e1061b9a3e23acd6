"""Logging set-up: one format, quiet HTTP libraries, and the bot token never in a line."""

from __future__ import annotations

import logging


class RedactFilter(logging.Filter):
    """Replace secrets in every record with a placeholder, however they got there."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "<token>")
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self._secrets:
                record.exc_text = record.exc_text.replace(secret, "<token>")
        return True


def install_redaction(handlers: list[logging.Handler], *, secrets: list[str]) -> None:
    """Make each handler drop ``secrets`` from what it writes."""
    redact = RedactFilter(secrets)
    for handler in handlers:
        handler.addFilter(redact)


def configure_logging(level: str, *, secrets: list[str]) -> None:
    """Log to stderr at ``level``, with ``secrets`` redacted from every handler's output."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    install_redaction(logging.getLogger().handlers, secrets=secrets)
    # httpx logs every request URL at INFO, and Telegram's URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


class _WithoutBootstrapFailures(logging.Filter):
    """Drop python-telegram-bot's traceback when it cannot start (the CLI says it in one line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Network Retry Loop (Bootstrap")


def quiet_bootstrap_failures(level: str) -> None:
    """Leave a failed start to the CLI's one-line message, unless LOG_LEVEL is DEBUG."""
    if level != "DEBUG":
        logging.getLogger("telegram.ext").addFilter(_WithoutBootstrapFailures())
