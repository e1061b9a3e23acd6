"""Thousands of hostile updates: none reaches the error handler, none changes what is held.

``make test`` sends 2,000 per database; ``LAPKIN_HOSTILE_UPDATES=10000`` sends more, and
``LAPKIN_HOSTILE_SEED`` picks another sequence (the seed is in every failure message).
"""

from __future__ import annotations

import logging
import os
import traceback
from collections import Counter

import pytest

from bot.context import LapkinApplication
from storage.db import Database
from tests.e2e.conftest import PEOPLE, count_errors, deactivate, register
from tests.reliability.hostile import HostileUpdates, Sender
from tests.reliability.state import differences, snapshot
from tests.standin import BotApiStandin

pytestmark = pytest.mark.e2e

COUNT = int(os.environ.get("LAPKIN_HOSTILE_UPDATES", "2000"))
SEED = int(os.environ.get("LAPKIN_HOSTILE_SEED", "20261128"))
PIMPINAN_NIP = "197101011998031001"
PROVINSI_NIP = "197603032002121002"


async def test_hostile_updates_change_nothing_and_raise_nothing(
    standin: BotApiStandin,
    office_db: Database,
    bot: LapkinApplication,
    caplog: pytest.LogCaptureFixture,
) -> None:
    senders = [
        Sender(await register(standin, office_db, nip, first_name), label)
        for label, (nip, first_name) in (
            ("admin+rendatin", PEOPLE["fajar"]),
            ("staf", PEOPLE["dedi"]),
            ("kasubbag", PEOPLE["rina"]),
            ("sekretaris", PEOPLE["hendra"]),
            ("pimpinan", (PIMPINAN_NIP, "Pimpinan")),
            ("provinsi", (PROVINSI_NIP, "Provinsi")),
        )
    ]
    deactivated = await register(standin, office_db, *PEOPLE["bima"])
    deactivate(office_db, PEOPLE["bima"][0])
    senders += [Sender(deactivated, "deactivated"), Sender(standin.user("Orang Asing"), "stranger")]
    group = standin.group("Grup Uji", *(sender.user for sender in senders))
    await standin.wait_until_idle()

    errors = count_errors(bot)
    before = snapshot(office_db)
    generator = HostileUpdates(standin, senders, group, seed=SEED)
    caplog.set_level(logging.ERROR)

    await generator.send(COUNT)
    await standin.wait_until_idle(timeout=120)

    assert errors == [], f"seed {SEED}: {len(errors)} errors:\n" + _describe(errors)
    logged = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert logged == [], f"seed {SEED}: {[record.getMessage() for record in logged[:5]]}"
    assert differences(before, snapshot(office_db)) == {}, f"seed {SEED}"
    assert sum(generator.sent.values()) >= COUNT * 0.95, generator.sent
    # Still alive and polite afterwards.
    staf = senders[1].user
    seen = len(standin.messages(staf))
    await standin.send_text(staf, "/bantuan")
    await standin.wait_for_message(staf, after=seen, contains="Isi data capaian")


def _describe(errors: list[BaseException | None]) -> str:
    """One line per distinct error: its type, message and the innermost frame of Lapkin."""
    kinds: Counter[str] = Counter()
    for error in errors:
        frames = traceback.extract_tb(error.__traceback__) if error else []
        ours = [f for f in frames if "/site-packages/" not in f.filename] or frames
        where = f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "?"
        kinds[f"{type(error).__name__}: {str(error)[:120]} at {where}"] += 1
    return "\n".join(f"{count}× {kind}" for kind, count in kinds.most_common())
