"""The bot's @username, remembered at each start so the CLI can build links offline."""

from __future__ import annotations

import re
from pathlib import Path

USERNAME_FILE = "bot-username.txt"
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


def remember_username(data_dir: Path, username: str) -> None:
    """Note the username Telegram gave at start (written only when it changed)."""
    path = data_dir / USERNAME_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8").strip() != username:
        path.write_text(username + "\n", encoding="utf-8")


def remembered_username(data_dir: Path) -> str | None:
    """The username noted at the last successful start, if any."""
    path = data_dir / USERNAME_FILE
    if not path.is_file():
        return None
    username = path.read_text(encoding="utf-8").strip()
    return username if _USERNAME.fullmatch(username) else None
