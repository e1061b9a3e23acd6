"""The command line as an operator runs it: ``python -m bot ...`` as a process of its own."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.conftest import ROOT


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without any Telegram or database setting, and no .env file
    (a developer's own beside the project must not leak in), plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["LAPKIN_ENV_FILE"] = ""
    env.update(settings)
    return env


def database_env(database_url: str, tmp_path: Path, **settings: str) -> dict[str, str]:
    """A clean environment pointing at ``database_url`` with its data under ``tmp_path``."""
    return clean_env(DATABASE_URL=database_url, DATA_DIR=str(tmp_path / "data"), **settings)


async def run_cli(
    env: dict[str, str], *args: str, cwd: Path = ROOT, wait_seconds: float = 60
) -> tuple[int, str, str]:
    """Run ``python -m bot ARGS`` to its end; return its exit code, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), wait_seconds)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
