"""Invitation tokens: random, stored only as a hash, single-use, expiring."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from bot.domain.errors import NotAllowed

# 24 random bytes = 192 bits; token_urlsafe gives 32 characters of [A-Za-z0-9_-], which is
# exactly the alphabet Telegram allows in a /start deep-link parameter (at most 64 chars).
TOKEN_BYTES = 24
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    """Return a fresh random invitation token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Tell whether ``text`` could be a token at all (cheap check before a lookup)."""
    return bool(TOKEN_SHAPE.match(text))


def deep_link(bot_username: str, token: str) -> str:
    """Return the t.me link that opens the bot with ``/start <token>``."""
    return f"https://t.me/{bot_username}?start={token}"


def check_redeemable(*, used_at: datetime | None, expires_at: datetime, now: datetime) -> None:
    """Raise NotAllowed with the reason a person reads when a token cannot be used."""
    if used_at is not None:
        raise NotAllowed(
            "Tautan undangan ini sudah pernah digunakan. Jika Anda belum terdaftar, "
            "mohon minta tautan baru kepada admin Lapkin."
        )
    if now >= expires_at:
        raise NotAllowed(
            "Tautan undangan ini sudah kedaluwarsa. Mohon minta tautan baru kepada admin Lapkin."
        )
