"""bot.documents renders and reads bytes from plain dataclasses: no Telegram, no database."""

from __future__ import annotations

import ast
from pathlib import Path

DOCUMENTS = Path(__file__).resolve().parents[2] / "bot" / "documents"
FORBIDDEN = ("telegram", "sqlmodel", "sqlalchemy", "storage", "handlers", "bot.services")


def test_documents_import_neither_telegram_nor_storage() -> None:
    offending = []
    for path in sorted(DOCUMENTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offending += [
                f"{path.name}: {name}"
                for name in names
                if any(name == bad or name.startswith(f"{bad}.") for bad in FORBIDDEN)
            ]
    assert offending == []
