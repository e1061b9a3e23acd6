"""SIGKILL at random points of a scripted cycle, then a restart: nothing lost, few repeats.

Issue 11, part 11. The real bot runs as its own process (``python -m bot run``, as an operator
runs it) against the Bot API stand-in, and is killed with SIGKILL, with no chance to finish
anything, at seeded random points of a short cycle, then started again:

- the people the cycle needs register with their invitation links;
- rendatin runs /siklus and sends the Nota Dinas to every unit (a broadcast of 16 messages
  and documents to 5 people);
- a staf of KUL enters IK 3.1 with an evidence PDF and sends it (rendatin are notified);
- rendatin accepts it (the unit is notified).

The kills land while the bot works on its own (after a random number of the messages of the
broadcast, or of the notices a step causes, went out), in the middle of a person's step
(after a random number of the bot's calls to Telegram counted from the person's action: the
fetch of the update, the answers), and between a person's steps. A step whose answer
was lost to a kill is repeated as a person would: the command sent again, the button pressed
again, the file sent again; every step here is one where that is safe (a second press of
Kirim sends once, the same file is attached once, a used invitation answers "sudah
terdaftar").

Typed answers (the realisasi, the penjelasan, the faktor pendukung and penghambat) are killed
only after their answer arrived.
python-telegram-bot confirms updates to Telegram as it fetches them, before it handles them,
so a kill during that handling loses the text for good, and the person cannot tell a text
that was lost from one that was taken but whose answer was lost: typing it again would
answer the next question. That is the update source's contract, out of this test's scope.

Asserted: nothing is lost (the submission with its value and exactly one evidence file, its
acceptance, every outbox row SENT, every outbox message delivered at least once), and
duplicates stay within the bound the README states: a message goes out twice only when a kill
caught it sent but not yet marked sent, and as the outbox has at most one message in flight
per chat, that is at most one per chat and kill (a kill during a broadcast can catch several
chats at once; the figures printed show how many each kill caught).

``make test`` kills 5 times; LAPKIN_KILLS=N kills N times, LAPKIN_KILL_SEED picks other points.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

import pytest
from sqlmodel import col, select

from bot.services import outbox
from storage.db import Database
from storage.models import Evidence, OutboxMessage, StoredFile, Submission
from tests.cli_process import clean_env
from tests.conftest import ROOT
from tests.e2e.conftest import PEOPLE, TOKEN, invite
from tests.reliability.deliveries import SENDS, Delivery, deliveries
from tests.standin import ApiCall, BotApiStandin, FakeUser, SentMessage

pytestmark = [
    pytest.mark.e2e,
    # A bot killed while it uploads a document cuts the request body short; the stand-in's
    # multipart reader (aiohttp) then warns about aiohttp's own internals.
    pytest.mark.filterwarnings("ignore:unread_data:DeprecationWarning"),
]

KILLS = int(os.environ.get("LAPKIN_KILLS", "5"))
SEED = int(os.environ.get("LAPKIN_KILL_SEED", "20261128"))
# The stand-in's speed (tests/e2e/conftest.py TEST_PACING): the bot process keeps to it.
TIME_SCALE = "100"
EVIDENCE = b"%PDF-1.4\n% SP2D Januari-Desember 2026\n"

# The calls that show the bot at work on a step: fetching it, answering, sending.
WORK_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "getFile",
    }
)


@dataclass(frozen=True)
class Step:
    """One thing a person does, as the kill plan sees it."""

    name: str
    repeatable: bool = True  # False: typed text, killed only after its answer
    work: int = 3  # how many calls the bot makes for the step itself (fetch, answer)
    outbox: int = 0  # how many messages it causes the outbox to send after its answer


# Rendatin (Yulia, the Ketua Tim: she signs the Nota Dinas, so her Kirim sends it), both
# people of KUL (the unit that answers), and one staf of each other unit.
REGISTERED = ("yulia", "dedi", "rina", "siti", "bima")
SCRIPT = (
    *(Step(f"{name} registers", work=2) for name in REGISTERED),
    Step("/siklus"),
    Step("Tahun 2026"),
    Step("Gunakan (deadline)"),
    Step("Kirim (Nota Dinas)", work=4, outbox=16),  # the broadcast to every unit
    Step("Mulai isi data"),
    Step("IK 3.1"),
    Step("realisasi 96,5", repeatable=False),
    Step("penjelasan", repeatable=False),
    Step("faktor pendukung", repeatable=False),
    Step("faktor penghambat", repeatable=False),
    Step("SP2D.pdf"),
    Step("Selesai unggah"),
    Step("Kirim (IK 3.1)", outbox=1),  # rendatin's notice
    Step("Terima", work=4, outbox=2),  # the unit's notices
)
BROADCAST = next(i for i, step in enumerate(SCRIPT) if step.name == "Kirim (Nota Dinas)")
NOTICES = [i for i, step in enumerate(SCRIPT) if step.name in ("Kirim (IK 3.1)", "Terima")]


@dataclass(frozen=True)
class Kill:
    """Where to kill the bot during a step.

    ``calls``: after that many of the bot's calls counted from the person's action (the
    fetch of the update, the answers, the sends), or None: once the step was answered.
    ``outbox``: count only the messages sent once the step was answered (the broadcast or
    the notices it caused).
    """

    step: int
    calls: int | None
    outbox: bool = False


def kill_plan(seed: int, kills: int) -> list[Kill]:
    """Draw the kill points: one in the broadcast, one in a notification, the rest anywhere."""
    rng = random.Random(seed)

    def during(step: int) -> Kill:
        return Kill(step, rng.randint(0, SCRIPT[step].work))

    def in_outbox(step: int) -> Kill:
        return Kill(step, rng.randint(1, SCRIPT[step].outbox), outbox=True)

    plan = [in_outbox(BROADCAST), in_outbox(rng.choice(NOTICES))][:kills]
    while len(plan) < kills:
        step = rng.randrange(len(SCRIPT))
        between = not SCRIPT[step].repeatable or rng.random() < 0.4
        plan.append(Kill(step, None) if between else during(step))
    return sorted(plan, key=lambda kill: (kill.step, kill.outbox, kill.calls is None, kill.calls))


class BotProcess:
    """The real bot as a separate process, killed with SIGKILL and started again."""

    def __init__(self, standin: BotApiStandin, database_url: str, data_dir: Path, log: Path):
        self.standin = standin
        self.env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=standin.base_url,
            TELEGRAM_BASE_FILE_URL=standin.base_file_url,
            TELEGRAM_TIME_SCALE=TIME_SCALE,
            DATABASE_URL=database_url,
            DATA_DIR=str(data_dir),
            OUTBOX_POLL_SECONDS="0.2",
            REMINDERS_ENABLED="false",
            PDF_COPIES="false",
        )
        self.log_path = log
        self._log: IO[bytes] | None = None
        self.process: asyncio.subprocess.Process | None = None
        self.kills = 0

    async def start(self) -> None:
        """Start the bot and wait until it polls for updates (its outbox is draining then)."""
        mark = len(self.standin.calls())
        self._log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=self._log,
        )

        def polling() -> bool:
            return any(call.method == "getUpdates" for call in self.standin.calls()[mark:])

        try:
            await self.standin.wait_until(polling, timeout=60, what="the bot to start polling")
        except AssertionError:
            raise AssertionError(f"the bot did not start:\n{self.log_tail()}") from None

    async def kill(self) -> None:
        """SIGKILL: the process stops wherever it is."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.kills += 1
        self._close_log()

    async def stop(self) -> int | None:
        """SIGTERM, as a service manager stops it; return the exit code."""
        if self.process is None:
            return None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.process.wait(), 60)
        except TimeoutError:
            await self.kill()  # leave no process behind; the exit code says it hung
            raise
        finally:
            self._close_log()
        return code

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


@dataclass
class Run:
    """Plays the script's steps, kills the bot where the plan says, and repeats lost steps."""

    standin: BotApiStandin
    bot: BotProcess
    db: Database
    plan: list[Kill]
    taken: int = 0  # steps played so far
    repeated: list[str] = field(default_factory=list)
    where: Counter[str] = field(default_factory=Counter)  # kills by kind
    at_risk: list[Counter[int]] = field(default_factory=list)  # per kill: repeats by chat
    repeats: Counter[Delivery] = field(default_factory=Counter)  # outbox messages sent again

    async def step(
        self,
        name: str,
        person: FakeUser,
        act: Callable[[], Awaitable[object]],
        *,
        expect: str,
        done_too: tuple[str, ...] = (),
        pressed: Callable[[], SentMessage | None] | None = None,
        button: str | None = None,
    ) -> SentMessage | None:
        """Play one step and return its answer (None: the step's effect showed otherwise).

        ``done_too``: other messages or button alerts that tell the person the step was
        already done (the answer to a repeat); ``pressed`` and ``button``: the message whose
        button the step presses; a button gone from it also says the step was done.
        """
        index = self.taken
        assert SCRIPT[index].name == name, f"step {index} is {SCRIPT[index].name!r}, not {name!r}"
        self.taken += 1
        before, mark = len(self.standin.messages(person)), _from_the_waiting_poll(self.standin)

        def answer() -> SentMessage | None:
            seen = self.standin.messages(person)[before:]
            for message in reversed(seen):
                if expect in message.body:
                    return message
            return None

        def done() -> bool:
            if answer() is not None:
                return True
            seen = [m.body for m in self.standin.messages(person)[before:]]
            alerts = [
                str(call.params.get("text") or "")
                for call in self.standin.calls()[mark:]
                if call.method == "answerCallbackQuery" and call.status == 200
            ]
            if any(text in shown for text in done_too for shown in [*seen, *alerts]):
                return True
            if pressed is not None and button is not None:
                message = pressed()
                return message is not None and not _has_button(message, button)
            return False

        await act()
        unsure = False  # a kill since the step was (re)done may have lost it
        for kill in (kill for kill in self.plan if kill.step == index):
            if kill.calls is None:
                await self._finish(index, person, act, done, unsure=unsure)
                unsure = False
                self.where["between steps"] += 1
            elif kill.outbox:
                await self._finish(index, person, act, done, unsure=unsure)
                unsure = False
                await self._after_calls(len(self.standin.calls()), kill.calls, SENDS)
                self.where[f"in the outbox after {name}"] += 1
            else:
                await self._after_calls(mark, kill.calls)
                self.where[f"during {name}"] += 1
                unsure = True
            await self._kill_and_restart()
        await self._finish(index, person, act, done, unsure=unsure)
        return answer()

    async def _finish(
        self,
        index: int,
        person: FakeUser,
        act: Callable[[], Awaitable[object]],
        done: Callable[[], bool],
        *,
        unsure: bool,
    ) -> None:
        """Wait for the step's answer; after a kill, repeat the step if it was lost."""
        name = SCRIPT[index].name
        if unsure:
            # Its update may be handled again after the restart (not yet confirmed when the
            # kill came): look once the bot is quiet, as a person waits before trying again.
            await self.standin.wait_until_idle(quiet=1.0, timeout=60)
            if not done():
                assert SCRIPT[index].repeatable, f"{name} lost its answer"
                self.repeated.append(name)
                await act()
        await self._wait_for(done, name, person)

    async def _kill_and_restart(self) -> None:
        await self.bot.kill()
        # What the dead process had sent but not yet marked sent goes out again.
        self.at_risk.append(_unrecorded(self.standin, self.db, self.repeats))
        await self.bot.start()

    async def _wait_for(self, done: Callable[[], bool], name: str, person: FakeUser) -> None:
        try:
            await self.standin.wait_until(done, timeout=60, what=f"the answer to {name}")
        except AssertionError as error:
            raise AssertionError(
                f"{error}; {person.first_name} sees:\n{self.standin.transcript(person)}\n"
                f"the bot's log:\n{self.bot.log_tail()}"
            ) from None

    async def _after_calls(
        self, mark: int, count: int, methods: frozenset[str] = WORK_METHODS
    ) -> None:
        """Wait for ``count`` of the bot's calls since ``mark``, or for it to fall quiet."""

        def reached() -> bool:
            return _work_calls(self.standin.calls()[mark:], methods) >= count

        busy = asyncio.create_task(self.standin.wait_until(reached, timeout=60))
        # Quiet for long enough that a step still being handled (a Nota Dinas being
        # rendered) is not taken for one that is over.
        quiet = asyncio.create_task(self.standin.wait_until_idle(quiet=2.0, timeout=60))
        done, pending = await asyncio.wait({busy, quiet}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            task.result()


def _unrecorded(standin: BotApiStandin, db: Database, repeats: Counter[Delivery]) -> Counter[int]:
    """Count, by chat, the outbox messages delivered but still 'sending' (the bot was killed
    between Telegram's answer and marking them sent): the restart sends them again.

    ``repeats`` (the ones found at earlier kills) is updated.
    """
    rows = [row for row in outbox.messages(db=db) if row.edit_of_id is None]
    sent = Counter(_expected(row) for row in rows if row.status == outbox.SENT)
    sending = Counter(_expected(row) for row in rows if row.status == outbox.SENDING)
    delivered = deliveries(standin)
    found: Counter[int] = Counter()
    for key, count in sending.items():
        unrecorded = min(count, delivered[key] - sent[key] - repeats[key])
        if unrecorded > 0:
            repeats[key] += unrecorded
            found[key[0]] += unrecorded
    return found


def _from_the_waiting_poll(standin: BotApiStandin) -> int:
    """Return where the calls that can show the bot's work on a new update begin: at the
    long poll waiting now (it will fetch the update), else at the next call."""
    calls = standin.calls()
    polls = [i for i, call in enumerate(calls) if call.method == "getUpdates"]
    return polls[-1] if polls and calls[polls[-1]].status == 0 else len(calls)


def _work_calls(calls: list[ApiCall], methods: frozenset[str]) -> int:
    """Count the calls that show the bot working: those of ``methods`` answered, and (for
    WORK_METHODS) the fetches that brought updates."""
    return sum(
        1
        for call in calls
        if (call.method in methods and call.status != 0)
        or (
            methods is WORK_METHODS
            and call.method == "getUpdates"
            and (call.response or {}).get("result")
        )
    )


def _has_button(message: SentMessage, text: str) -> bool:
    return any(text in label for row in message.buttons for label in row)


def _latest(standin: BotApiStandin, user: FakeUser, contains: str) -> SentMessage | None:
    found = [m for m in standin.messages(user) if contains in m.body]
    return found[-1] if found else None


def _latest_with(standin: BotApiStandin, user: FakeUser, contains: str, button: str) -> SentMessage:
    found = [m for m in standin.messages(user) if contains in m.body and _has_button(m, button)]
    assert found, f"no message {contains!r} with {button!r}:\n{standin.transcript(user)}"
    return found[-1]


async def play_cycle(run: Run, standin: BotApiStandin, db: Database) -> dict[str, FakeUser]:
    """Register the people, send the Nota Dinas, enter IK 3.1 with evidence, accept it."""

    def say(user: FakeUser, text: str) -> Callable[[], Awaitable[object]]:
        return lambda: standin.send_text(user, text)

    def tap(user: FakeUser, contains: str, button: str) -> Callable[[], Awaitable[object]]:
        """Press ``button`` on the latest message that shows it (a person's reflex)."""
        return lambda: standin.tap(user, _latest_with(standin, user, contains, button), button)

    people: dict[str, FakeUser] = {}
    for name in REGISTERED:
        nip, first_name = PEOPLE[name]
        user = people[name] = standin.user(first_name)
        await run.step(
            f"{name} registers",
            user,
            say(user, f"/start {invite(db, nip)}"),
            expect="Selamat datang",
            done_too=("sudah terdaftar",),
        )
    yulia, dedi = people["yulia"], people["dedi"]

    await run.step("/siklus", yulia, say(yulia, "/siklus"), expect="periode apa")
    await run.step(
        "Tahun 2026",
        yulia,
        tap(yulia, "periode apa", "Tahun 2026"),
        expect="Batas waktu",
    )
    await run.step(
        "Gunakan (deadline)", yulia, tap(yulia, "Batas waktu", "Gunakan"), expect="Pratinjau"
    )
    preview = _latest(standin, yulia, "Pratinjau Nota Dinas")
    await run.step(
        "Kirim (Nota Dinas)",
        yulia,
        tap(yulia, "Pratinjau Nota Dinas", "Kirim"),
        expect="sedang dikirim",
        # Fajar is in a unit too: the Nota Dinas reaching him says it went.
        done_too=("Permintaan data capaian",),
        pressed=lambda: preview,
        button="Kirim",
    )
    await standin.wait_for_message(dedi, contains="Permintaan data capaian", timeout=60)

    await run.step(
        "Mulai isi data",
        dedi,
        tap(dedi, "Permintaan data capaian", "Mulai isi data"),
        expect="Pilih indikator",
    )
    await run.step(
        "IK 3.1", dedi, tap(dedi, "Pilih indikator", "IK 3.1"), expect="Ketik nilai realisasi"
    )
    await run.step("realisasi 96,5", dedi, say(dedi, "96,5"), expect="capaian 101,58%")
    await run.step(
        "penjelasan",
        dedi,
        say(dedi, "Penyerapan sesuai rencana kas."),
        expect="Ketik faktor pendukung",
    )
    await run.step(
        "faktor pendukung",
        dedi,
        say(dedi, "Rencana kas dipantau setiap bulan."),
        expect="Ketik faktor penghambat",
    )
    await run.step("faktor penghambat", dedi, say(dedi, "Tidak ada."), expect="Kirim berkas bukti")
    await run.step(
        "SP2D.pdf",
        dedi,
        lambda: standin.send_document(dedi, "SP2D.pdf", EVIDENCE),
        expect="diterima (1 berkas)",
        done_too=("sudah terlampir (1 berkas)",),
    )
    await run.step(
        "Selesai unggah",
        dedi,
        tap(dedi, "(1 berkas)", "Selesai unggah"),
        expect="Ringkasan isian IK 3.1",
    )
    await run.step(
        "Kirim (IK 3.1)",
        dedi,
        tap(dedi, "Ringkasan isian IK 3.1", "Kirim"),
        expect="terkirim (versi 1",
        done_too=("sudah dikirim",),
    )
    await standin.wait_for_message(yulia, contains="Data baru dari Sub Bagian Keuangan", timeout=60)
    notice = _latest(standin, yulia, "Data baru dari Sub Bagian Keuangan")
    await run.step(
        "Terima",
        yulia,
        tap(yulia, "Data baru dari Sub Bagian Keuangan", "Terima"),
        expect="diterima.",
        done_too=("sudah diterima",),
        pressed=lambda: notice,
        button="Terima",
    )
    await standin.wait_for_message(dedi, contains="telah diterima Tim", timeout=60)
    assert run.taken == len(SCRIPT)
    return people


def _expected(row: OutboxMessage) -> Delivery:
    name = row.document_name
    if row.document_path is not None and name is None:
        name = Path(row.document_path).name
    return row.chat_id, row.text, name


async def _drained(standin: BotApiStandin, db: Database) -> None:
    """Wait until the bot is quiet and nothing in the outbox is still to be sent."""

    def waiting() -> list[OutboxMessage]:
        return outbox.messages(db=db, status=outbox.PENDING) + outbox.messages(
            db=db, status=outbox.SENDING
        )

    for _ in range(20):
        await standin.wait_until_idle(quiet=0.5, timeout=60)
        if not waiting():
            return
    raise AssertionError(f"the outbox still holds {waiting()}")


async def test_killed_at_random_points_of_a_cycle_the_bot_loses_nothing(
    standin: BotApiStandin, pk_db: Database, database_url: str, tmp_path: Path
) -> None:
    plan = kill_plan(SEED, KILLS)
    data_dir = tmp_path / "data"
    bot = BotProcess(standin, database_url, data_dir, tmp_path / "bot.log")
    run = Run(standin, bot, pk_db, plan)
    await bot.start()
    try:
        await play_cycle(run, standin, pk_db)
        await _drained(standin, pk_db)
    finally:
        code = await bot.stop()
    assert code == 0, bot.log_tail()

    # The submission, its value and its one evidence file; its acceptance.
    with pk_db.session() as session:
        (submission,) = session.exec(select(Submission)).all()
        evidence = session.exec(
            select(Evidence).where(Evidence.submission_id == submission.id)
        ).all()
        files = [session.get(StoredFile, item.file_id) for item in evidence]
    assert (submission.version, submission.realisasi) == (1, Decimal("96.5"))
    assert submission.penjelasan == "Penyerapan sesuai rencana kas."
    assert submission.pendukung == "Rencana kas dipantau setiap bulan."
    assert submission.status == "accepted"
    assert [item.original_name for item in evidence] == ["SP2D.pdf"]
    assert [(data_dir / f.path).read_bytes() for f in files if f is not None] == [EVIDENCE]

    # Every outbox message went out at least once. A message went out twice only where a kill
    # caught its send answered but not yet marked sent: at most one per chat and kill (README).
    rows = [row for row in outbox.messages(db=pk_db) if row.edit_of_id is None]
    with pk_db.session() as session:
        unsent = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.status) != outbox.SENT)
        ).all()
    expected = Counter(_expected(row) for row in rows)
    delivered = deliveries(standin)
    lost = {key: n for key, n in expected.items() if delivered[key] < n}
    twice = {key: delivered[key] - n for key, n in expected.items() if delivered[key] > n}
    caught = [sum(found.values()) for found in run.at_risk]
    where = ", ".join(f"{count} {place}" for place, count in run.where.items())
    print(
        f"\nseed {SEED}: kills {bot.kills} ({where}); steps repeated after a kill "
        f"{len(run.repeated)} {run.repeated}; outbox messages {sum(expected.values())}: lost "
        f"{len(lost)}, duplicated {sum(twice.values())} (sends caught unrecorded, per kill: "
        f"{caught})"
    )
    assert bot.kills == KILLS
    assert rows and unsent == [] and lost == {}
    assert all(count <= run.repeats[key] for key, count in twice.items()), (twice, run.repeats)
    assert all(count <= 1 for found in run.at_risk for count in found.values()), run.at_risk
