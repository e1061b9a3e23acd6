"""The bot's rate limiter against the stand-in's sliding windows, at real and at test speed."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from telegram._utils.types import JSONDict
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.ratelimit import (
    REAL_TIME,
    Pacing,
    PriorityTurns,
    SlidingWindow,
    TelegramRateLimiter,
    queued_sends,
)
from bot.retries import RetryPolicy
from tests.standin import BotApiStandin

# Fast enough for a quick suite, slow enough that an unpaced burst over HTTP usually fills
# the stand-in's windows (test_without_pacing_a_burst_is_refused shows it at real speed).
FAST = Pacing(speed=10.0)

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*`retry_after`:telegram.warnings.PTBDeprecationWarning"
)


async def _paced_bot(standin: BotApiStandin, pacing: Pacing) -> ExtBot[Any]:
    bot: ExtBot[Any] = ExtBot(
        standin.token,
        base_url=standin.base_url,
        base_file_url=standin.base_file_url,
        rate_limiter=TelegramRateLimiter(pacing=pacing),
    )
    await bot.initialize()
    return bot


@pytest.fixture
async def fast_standin() -> AsyncIterator[BotApiStandin]:
    async with BotApiStandin(speed=FAST.speed) as standin:
        yield standin
    assert not standin.internal_errors, standin.internal_errors


def _refusals(standin: BotApiStandin) -> list[int]:
    return [call.status for call in standin.calls() if call.status == 429]


async def test_real_time_one_chat_gets_one_message_a_second_in_order() -> None:
    """The one test that keeps Telegram's real clock: three sends asked at once, to one chat."""
    async with BotApiStandin() as standin:
        user = standin.user("Alice")
        bot = await _paced_bot(standin, REAL_TIME)
        try:
            await asyncio.gather(*(bot.send_message(user.id, f"pesan {n}") for n in range(3)))
        finally:
            await bot.shutdown()
    assert [m.body for m in standin.messages(user)] == ["pesan 0", "pesan 1", "pesan 2"]
    assert _refusals(standin) == []
    arrivals = [call.at for call in standin.calls("sendMessage")]
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(arrivals))


async def test_a_broadcast_burst_stays_inside_every_window(fast_standin: BotApiStandin) -> None:
    """95 recipients and a chat with five messages at once: nothing is refused with 429."""
    users = [fast_standin.user(f"U{n}") for n in range(95)]
    bot = await _paced_bot(fast_standin, FAST)
    try:
        sends = [bot.send_message(user.id, "Nota Dinas") for user in users]
        sends += [bot.send_message(users[0].id, f"lampiran {n}") for n in range(5)]
        await asyncio.gather(*sends)
    finally:
        await bot.shutdown()
    assert _refusals(fast_standin) == []
    assert all(len(fast_standin.messages(user)) == 1 for user in users[1:])
    assert [m.body for m in fast_standin.messages(users[0])] == ["Nota Dinas"] + [
        f"lampiran {n}" for n in range(5)
    ]


async def test_without_pacing_a_burst_is_refused() -> None:
    """The stand-in's windows are real: a burst nothing paces is refused (at Telegram's speed,
    so that even a slow machine sends more than 30 requests inside one window)."""
    async with BotApiStandin() as standin:
        users = [standin.user(f"U{n}") for n in range(95)]
        async with ExtBot(standin.token, base_url=standin.base_url) as bot:
            results = await asyncio.gather(
                *(bot.send_message(user.id, "Nota Dinas") for user in users),
                return_exceptions=True,
            )
    assert any(isinstance(result, Exception) for result in results)
    assert _refusals(standin)


async def test_a_429_pauses_and_the_message_goes_once(fast_standin: BotApiStandin) -> None:
    user = fast_standin.user("Alice")
    fast_standin.fail_next("sendMessage", "429", retry_after=2)
    bot = await _paced_bot(fast_standin, FAST)
    try:
        await bot.send_message(user.id, "sekali saja")
    finally:
        await bot.shutdown()
    assert [m.body for m in fast_standin.messages(user)] == ["sekali saja"]
    refused, delivered = fast_standin.calls("sendMessage")
    assert refused.status == 429 and delivered.status == 200
    assert delivered.at - refused.at >= FAST.seconds(2)


async def test_edits_count_overall_but_not_per_chat(fast_standin: BotApiStandin) -> None:
    user = fast_standin.user("Alice")
    bot = await _paced_bot(fast_standin, FAST)
    try:
        sent = await bot.send_message(user.id, "1")
        await asyncio.gather(
            *(
                bot.edit_message_text(f"1 ({n})", chat_id=user.id, message_id=sent.message_id)
                for n in range(3)
            )
        )
    finally:
        await bot.shutdown()
    assert _refusals(fast_standin) == []
    assert fast_standin.messages(user)[0].edited


async def test_a_direct_reply_overtakes_a_queued_broadcast(fast_standin: BotApiStandin) -> None:
    recipients = [fast_standin.user(f"U{n}") for n in range(120)]
    typist = fast_standin.user("Dedi")
    bot = await _paced_bot(fast_standin, FAST)
    try:
        with queued_sends():
            broadcast = asyncio.gather(*(bot.send_message(u.id, "Nota Dinas") for u in recipients))
        await fast_standin.wait_for_message(recipients[0])  # the broadcast is under way
        await bot.send_message(typist.id, "Nilai realisasi tersimpan.")
        await broadcast
    finally:
        await bot.shutdown()
    order = [call.params["chat_id"] for call in fast_standin.calls("sendMessage")]
    # Asked after the broadcast started, answered within the window it was asked in: it
    # overtook (at least) the last of the four windows the broadcast needs.
    assert order.index(typist.id) < 90, order.index(typist.id)
    assert _refusals(fast_standin) == []


async def test_turns_go_to_direct_requests_first_and_survive_cancellation() -> None:
    turns = PriorityTurns()
    order: list[str] = []
    release = asyncio.Event()

    async def take(name: str, *, queued: bool, hold: asyncio.Event | None = None) -> None:
        async with turns.turn(queued=queued):
            order.append(name)
            if hold is not None:
                await hold.wait()

    holder = asyncio.create_task(take("holder", queued=True, hold=release))
    await asyncio.sleep(0)
    waiters = [
        asyncio.create_task(take("queued 1", queued=True)),
        asyncio.create_task(take("cancelled", queued=False)),
        asyncio.create_task(take("queued 2", queued=True)),
        asyncio.create_task(take("direct", queued=False)),
    ]
    await asyncio.sleep(0)
    waiters[1].cancel()  # gave up while waiting: it must not hold the line
    release.set()
    await asyncio.gather(holder, *waiters, return_exceptions=True)
    assert order == ["holder", "direct", "queued 1", "queued 2"]

    # A waiter handed the turn just as it is cancelled passes it on.
    tasks: dict[str, asyncio.Task[None]] = {}
    both_waiting = asyncio.Event()

    async def hand_over_then_cancel() -> None:
        async with turns.turn(queued=False):
            order.append("first")
            await both_waiting.wait()
        # The turn has just been handed to "unlucky", which has not run yet.
        tasks["unlucky"].cancel()

    first = asyncio.create_task(hand_over_then_cancel())
    await asyncio.sleep(0)
    tasks["unlucky"] = asyncio.create_task(take("unlucky", queued=False))
    tasks["after"] = asyncio.create_task(take("after", queued=True))
    await asyncio.sleep(0)  # both are in line now
    both_waiting.set()
    async with asyncio.timeout(5):  # a turn lost to the cancellation would hang here
        await asyncio.gather(first, *tasks.values(), return_exceptions=True)
    assert order[-2:] == ["first", "after"]
    assert tasks["unlucky"].cancelled()


async def test_a_window_is_idle_once_nothing_is_in_flight_or_within_its_period() -> None:
    window = SlidingWindow(1, 0.5)
    now = asyncio.get_running_loop().time
    await window.reserve()
    assert not window.is_idle(now())  # in flight
    window.release()
    assert not window.is_idle(now())  # answered, still counted
    assert window.is_idle(now() + 0.5)  # its period is over: the chat can be forgotten


# ---------------------------------------------------------------- retries and the rescue

QUICK = Pacing(speed=1000.0)  # back-off of 0.5 s Telegram time is half a millisecond here


class _Flaky:
    """A request that fails with the given errors, in order, then succeeds."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> JSONDict:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"sent": True}


class _Rescue:
    """Records what the limiter hands over; answers like bot.reply_rescue (or refuses)."""

    def __init__(self, answer: Any = "queued") -> None:
        self.answer = answer
        self.handed: list[tuple[str, JSONDict]] = []

    async def __call__(self, endpoint: str, data: JSONDict) -> Any:
        self.handed.append((endpoint, data))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


async def _request(
    limiter: TelegramRateLimiter, request: _Flaky, endpoint: str = "sendMessage", chat: int = 1
) -> Any:
    return await limiter.process_request(
        callback=request,
        args=(),
        kwargs={},
        endpoint=endpoint,
        data={"chat_id": chat, "text": "Nilai tersimpan."},
        rate_limit_args=None,
    )


def _faults(kind: str, times: int) -> list[TelegramError]:
    made: dict[str, Callable[[], TelegramError]] = {
        "429": lambda: RetryAfter(1),
        "502": lambda: NetworkError("Bad Gateway"),
        "timeout": TimedOut,
    }
    return [made[kind]() for _ in range(times)]


@pytest.mark.parametrize("kind", ["429", "502", "timeout"])
@pytest.mark.parametrize("times", [1, 2, 3])
async def test_a_reply_is_tried_again_until_it_goes_through(kind: str, times: int) -> None:
    rescue = _Rescue()
    limiter = TelegramRateLimiter(pacing=QUICK, rescue=rescue)
    request = _Flaky(*_faults(kind, times))

    assert await _request(limiter, request) == {"sent": True}
    assert request.calls == times + 1 and rescue.handed == []


async def test_the_back_off_doubles_and_runs_at_the_pacing() -> None:
    limiter = TelegramRateLimiter(pacing=QUICK)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await _request(limiter, _Flaky(*_faults("502", 3)))
    assert loop.time() - started >= QUICK.seconds(0.5 + 1 + 2)


@pytest.mark.parametrize("kind", ["429", "502", "timeout"])
async def test_past_its_tries_a_reply_goes_to_the_rescue_and_later_ones_follow(kind: str) -> None:
    rescue = _Rescue()
    limiter = TelegramRateLimiter(pacing=QUICK, rescue=rescue)
    failing = _Flaky(*_faults(kind, 4))

    assert await _request(limiter, failing) == "queued"
    assert failing.calls == 4
    assert rescue.handed == [("sendMessage", {"chat_id": 1, "text": "Nilai tersimpan."})]
    # The next reply to that chat follows the first into the outbox, so it cannot overtake
    # it; other chats are not affected.
    later, elsewhere = _Flaky(), _Flaky()
    assert await _request(limiter, later) == "queued" and later.calls == 0
    assert await _request(limiter, elsewhere, chat=2) == {"sent": True}
    # Once the outbox gets a send through to the chat, replies go directly again.
    with queued_sends():
        await _request(limiter, _Flaky())
    again = _Flaky()
    assert await _request(limiter, again) == {"sent": True} and again.calls == 1
    assert len(rescue.handed) == 2


async def test_the_outbox_retries_its_own_5xx_and_time_outs() -> None:
    rescue = _Rescue()
    limiter = TelegramRateLimiter(pacing=QUICK, rescue=rescue)
    with queued_sends():
        for error in (NetworkError("Bad Gateway"), TimedOut()):
            request = _Flaky(error)
            with pytest.raises(type(error)):
                await _request(limiter, request)
            assert request.calls == 1
        # A 429 is waited out here, as before.
        assert await _request(limiter, _Flaky(RetryAfter(1), RetryAfter(1))) == {"sent": True}
    assert rescue.handed == []


@pytest.mark.parametrize(
    "error", [BadRequest("message is too long"), Forbidden("bot was blocked by the user")]
)
async def test_a_refusal_is_raised_at_once_and_not_rescued(error: TelegramError) -> None:
    rescue = _Rescue()
    limiter = TelegramRateLimiter(pacing=QUICK, rescue=rescue)
    request = _Flaky(error)
    with pytest.raises(type(error)):
        await _request(limiter, request)
    assert request.calls == 1 and rescue.handed == []


@pytest.mark.parametrize("answer", [None, RuntimeError("the database is down")])
async def test_when_the_rescue_fails_the_caller_gets_telegrams_error(answer: Any) -> None:
    limiter = TelegramRateLimiter(pacing=QUICK, rescue=_Rescue(answer))
    with pytest.raises(TimedOut):
        await _request(limiter, _Flaky(*_faults("timeout", 4)))


async def test_an_edit_repeated_after_a_time_out_that_went_through_counts_as_done() -> None:
    limiter = TelegramRateLimiter(pacing=QUICK)
    not_modified = "Message is not modified: specified new message content ..."
    edit = _Flaky(TimedOut(), BadRequest(not_modified))
    assert await _request(limiter, edit, "editMessageText") is True
    # Without a time-out before it, the refusal is the caller's to handle.
    with pytest.raises(BadRequest):
        await _request(limiter, _Flaky(BadRequest(not_modified)), "editMessageText")


async def test_a_late_button_answer_is_not_tried_again() -> None:
    rescue = _Rescue(True)
    # Real time: a one-second time-out already spends a tenth of the press's life.
    limiter = TelegramRateLimiter(pacing=REAL_TIME, rescue=rescue, policy=RetryPolicy(tries=4))
    answer = _Flaky(RetryAfter(11))
    assert await _request(limiter, answer, "answerCallbackQuery") is True
    assert answer.calls == 1 and rescue.handed[0][0] == "answerCallbackQuery"
