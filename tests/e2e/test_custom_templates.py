"""An office's own template: used when present; a broken one is explained, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.context import LapkinApplication
from bot.settings import Settings
from storage.db import Database
from tests.e2e.conftest import register_people
from tests.e2e.steps import say, tap
from tests.nota_dinas_data import make_template
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """Point TEMPLATES_DIR at a folder holding a broken Nota Dinas template."""
    folder = tmp_path / "office-templates"
    folder.mkdir()
    make_template(folder / "nota_dinas.docx", "NOTA DINAS {{ nomor }}", "{% iff hal %}")
    return settings.model_copy(update={"templates_dir": folder})


async def test_a_broken_office_template_is_explained_and_nothing_is_sent(
    standin: BotApiStandin, pk_db: Database, bot: LapkinApplication
) -> None:
    people = await register_people(standin, pk_db, "fajar", "dedi")
    fajar = people["fajar"]
    question = await say(standin, fajar, "/siklus", "periode apa")
    deadline = await tap(standin, fajar, question, "Tahun 2026", "Batas waktu")

    refusal = await tap(standin, fajar, deadline, "Gunakan", "templatenya bermasalah")

    assert "iff" in refusal.body and "nota_dinas.docx" in refusal.body
    assert "Traceback" not in refusal.body
    assert not any("Permintaan data" in m.body for m in standin.messages(people["dedi"]))
