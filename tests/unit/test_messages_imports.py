"""bot.messages says things from plain data: it reads no database, no service, no Telegram."""

from __future__ import annotations

import ast
from pathlib import Path

MESSAGES = Path(__file__).resolve().parents[2] / "bot" / "messages"
# The domain, the callback data (itself pure) and the standard library only.
ALLOWED = ("bot.domain", "bot.messages", "bot.callbacks")
FRAMEWORKS = {"storage", "handlers", "telegram", "sqlmodel", "sqlalchemy", "docxtpl"}


def _forbidden(name: str) -> bool:
    if name.split(".")[0] in FRAMEWORKS:
        return True
    return name.startswith("bot.") and not name.startswith(ALLOWED)


def test_messages_import_only_the_domain_and_the_callback_data() -> None:
    offending = []
    for path in sorted(MESSAGES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "bot":
                names = [f"bot.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            offending += [f"{path.name}: {name}" for name in names if _forbidden(name)]
    assert offending == []
