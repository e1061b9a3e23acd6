"""Keeps the bot inside Telegram's flood limits, so a broadcast is not answered with 429s.

Telegram counts messages in sliding windows: about 30 a second overall, one a second per
chat and 20 a minute per group. A leaky bucket (PTB's AIORateLimiter) lets a burst through on
top of its steady rate, which such a window refuses, and every refusal pauses all sends. Here
each window counts a send from the moment it starts until its answer arrives, and the slot it
took frees one period after that answer: the server stamped the send in between, so the next
send in a full window reaches Telegram at least one period after the one it replaces, however
long the network took.

A person waiting for an answer goes first: sends the outbox makes (a broadcast of the Nota
Dinas to hundreds, say) are marked with :func:`queued_sends` and yield the overall window to
direct replies; within a chat, order is kept.

Every request but getUpdates passes here, so this is also where a failed one is tried again
(:mod:`bot.retries` decides what and when), and where a direct reply still failing after its
tries is handed to the outbox (:mod:`bot.reply_rescue`).

How fast time runs is a :class:`Pacing`: real seconds in production, a hundredth of them in
the end-to-end tests, whose local Bot API stand-in keeps the same windows at the same speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter

from bot.retries import DEFAULT_POLICY, RetryPolicy, already_done, is_transient

log = logging.getLogger(__name__)

# Telegram's published limits (https://core.telegram.org/bots/faq#broadcasting-to-users).
OVERALL_MESSAGES_PER_SECOND = 30
CHAT_MESSAGES_PER_SECOND = 1
GROUP_MESSAGES_PER_MINUTE = 20


@dataclass(frozen=True)
class Pacing:
    """How fast Telegram's clock runs for the bot: 1.0 in production, faster in tests."""

    speed: float = 1.0

    def seconds(self, real_seconds: float) -> float:
        """Return how long ``real_seconds`` of Telegram's time last at this speed."""
        return real_seconds / self.speed


REAL_TIME = Pacing()

_queued: ContextVar[bool] = ContextVar("lapkin_queued_sends", default=False)


@contextlib.contextmanager
def queued_sends() -> Iterator[None]:
    """Mark the requests made inside (and in tasks started inside) as queued, not awaited.

    The outbox dispatcher runs in it, so a person's direct reply overtakes a broadcast.
    """
    token = _queued.set(True)
    try:
        yield
    finally:
        _queued.reset(token)


class PriorityTurns:
    """One request at a time, direct ones before queued ones, first come first served within each.

    Like :class:`asyncio.Lock`, but with two lines; a turn passes straight to the next waiter.
    """

    def __init__(self) -> None:
        self._held = False
        self._lines: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())  # direct, queued

    @contextlib.asynccontextmanager
    async def turn(self, *, queued: bool) -> AsyncIterator[None]:
        """Wait for this request's turn and hold it inside the block."""
        await self._acquire(queued)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, queued: bool) -> None:
        if not self._held and not any(self._lines):
            self._held = True
            return
        future = asyncio.get_running_loop().create_future()
        line = self._lines[1 if queued else 0]
        line.append(future)
        try:
            await future
        except asyncio.CancelledError:
            if future.cancelled():
                line.remove(future)
            else:
                self._release()  # handed the turn just as it was cancelled: pass it on
            raise

    def _release(self) -> None:
        for line in self._lines:
            while line:
                future = line.popleft()
                if not future.done():
                    future.set_result(None)  # the turn stays held, by the next waiter
                    return
        self._held = False


class SlidingWindow:
    """At most ``limit`` sends per ``period`` seconds, counted from each send's answer.

    Only one task waits on a window at a time (the caller holds the lock that guards it), so a
    single event is enough to wake it when a send in flight finishes.
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._finished: deque[float] = deque()  # when recent sends got their answer, in order
        self._in_flight = 0
        self._changed = asyncio.Event()

    def is_idle(self, now: float) -> bool:
        """Tell whether nothing is in flight or counted any more (the window can be dropped)."""
        self._forget_before(now - self.period)
        return self._in_flight == 0 and not self._finished

    def _forget_before(self, moment: float) -> None:
        while self._finished and self._finished[0] <= moment:
            self._finished.popleft()

    def _seconds_until_free(self, now: float) -> float | None:
        """Return 0.0 when a send may start now, the wait for a slot, or None: wait for an answer."""
        self._forget_before(now - self.period)
        excess = len(self._finished) + self._in_flight - self.limit
        if excess < 0:
            return 0.0
        if excess < len(self._finished):
            return self._finished[excess] + self.period - now
        return None

    async def reserve(self) -> None:
        """Wait for a free slot and take it; :meth:`release` must follow."""
        loop = asyncio.get_running_loop()
        while (wait := self._seconds_until_free(loop.time())) != 0.0:
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), wait)
        self._in_flight += 1

    def release(self) -> None:
        """Count the send taken by :meth:`reserve` as answered now."""
        self._in_flight -= 1
        self._finished.append(asyncio.get_running_loop().time())
        self._changed.set()


class _ChatLane:
    """One chat's window, and the lock that keeps its sends in the order they were asked."""

    def __init__(self, window: SlidingWindow) -> None:
        self.window = window
        self.lock = asyncio.Lock()
        # A direct send to this chat went to the outbox: later ones follow it there, so they
        # cannot overtake it, until the outbox gets a send through to the chat again.
        self.rescued = False


Result = bool | JSONDict | list[JSONDict]
Rescue = Callable[[str, JSONDict], Awaitable[Result | None]]
"""Hands a direct request the policy gave up on to the outbox; returns what the caller gets
instead of Telegram's answer, or None when the request cannot be handed over."""


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Sliding windows overall, per chat and per group; tries failed requests again.

    A send (sendMessage, sendDocument, ... but not sendChatAction) takes a slot in its chat's
    window, then one in the overall window; edits take one in the overall window only, as
    Telegram counts them. Sends to one chat go out in the order they were asked.

    A failed request is tried again as :class:`bot.retries.RetryPolicy` says (the waits
    scaled by the pacing); ``rate_limit_args`` overrides how many times. A direct request
    still failing after its tries goes to :attr:`rescue` (the durable outbox, wired in
    bot.app), so the person still gets the reply.
    """

    def __init__(
        self,
        *,
        pacing: Pacing = REAL_TIME,
        policy: RetryPolicy = DEFAULT_POLICY,
        rescue: Rescue | None = None,
    ) -> None:
        self._pacing = pacing
        self._policy = policy
        self.rescue = rescue
        self._overall = SlidingWindow(OVERALL_MESSAGES_PER_SECOND, pacing.seconds(1.0))
        self._overall_turns = PriorityTurns()
        self._chats: dict[int | str, _ChatLane] = {}
        self._paused_until = 0.0  # loop time when a 429's retry_after ends
        # Queued sends go out evenly, one every 1/30 s, rather than 30 at once and then nothing
        # for a second: a direct reply then waits for the next slot, not for the next second.
        self._queued_spacing = pacing.seconds(1.0) / OVERALL_MESSAGES_PER_SECOND
        self._next_queued_at = 0.0

    async def initialize(self) -> None:
        """Nothing to prepare: windows are made as chats appear."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Run the request inside its windows, trying again as the policy says, then rescue it."""
        policy = self._policy
        if rate_limit_args is not None:
            policy = replace(policy, tries=rate_limit_args + 1)
        queued = _queued.get()
        chat_id = data.get("chat_id")
        lane = self._lane(chat_id) if _is_send(endpoint) and chat_id is not None else None
        # The chat's lock is held across retries, so a later send cannot overtake a refused one.
        async with lane.lock if lane is not None else contextlib.nullcontext():
            if lane is not None and lane.rescued and not queued:
                behind = await self._rescue(endpoint, data)
                if behind is not None:
                    return behind
            try:
                result = await self._with_retries(
                    policy, queued, lane, endpoint, callback, args, kwargs
                )
            except TelegramError as error:
                if queued or not is_transient(error):
                    raise
                rescued = await self._rescue(endpoint, data)
                if rescued is None:
                    raise
                if lane is not None:
                    lane.rescued = True
                return rescued
            if queued and lane is not None:
                lane.rescued = False
            return result

    async def _with_retries(
        self,
        policy: RetryPolicy,
        queued: bool,
        lane: _ChatLane | None,
        endpoint: str,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> Result:
        counted = lane is not None or endpoint.startswith("edit")
        loop = asyncio.get_running_loop()
        started = loop.time()
        waited = 0.0  # Telegram seconds spent in the policy's waits
        timed_out = False
        for attempt in itertools.count(1):
            try:
                if not counted:
                    await self._wait_out_pause()
                    return await callback(*args, **kwargs)
                chat_window = lane.window if lane is not None else None
                return await self._in_windows(chat_window, callback, args, kwargs)
            except TelegramError as error:
                if timed_out and already_done(endpoint, error):
                    return True  # the try that timed out went through
                elapsed = (loop.time() - started) * self._pacing.speed
                wait = policy.wait_before_retry(
                    endpoint, error, attempt=attempt, elapsed=elapsed, waited=waited, queued=queued
                )
                if wait is None:
                    raise
                waited += wait
                log.info("%s failed (%s); try %d in %.2f s", endpoint, error, attempt + 1, wait)
                timed_out = timed_out or isinstance(error, TimedOut)
                if isinstance(error, RetryAfter):
                    self._pause(wait, endpoint)
                else:
                    await asyncio.sleep(self._pacing.seconds(wait))
        raise AssertionError("unreachable: the policy stops the tries")

    async def _rescue(self, endpoint: str, data: JSONDict) -> Result | None:
        if self.rescue is None:
            return None
        try:
            return await self.rescue(endpoint, data)
        except Exception:
            # E.g. the database is down too: the caller gets Telegram's error instead.
            log.exception("could not hand %s to the outbox", endpoint)
            return None

    async def _in_windows(
        self,
        chat_window: SlidingWindow | None,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> bool | JSONDict | list[JSONDict]:
        if chat_window is not None:
            await chat_window.reserve()
        try:
            queued = _queued.get()
            async with self._overall_turns.turn(queued=queued):
                await self._wait_out_pause()
                if queued:
                    await self._wait_for_spacing()
                await self._overall.reserve()
            try:
                return await callback(*args, **kwargs)
            finally:
                self._overall.release()
        finally:
            if chat_window is not None:
                chat_window.release()

    def _lane(self, chat_id: object) -> _ChatLane:
        key: int | str = chat_id if isinstance(chat_id, int | str) else str(chat_id)
        with contextlib.suppress(ValueError, TypeError):
            key = int(key)
        lane = self._chats.get(key)
        if lane is None:
            if len(self._chats) > 1024:
                self._forget_idle_chats()
            is_group = isinstance(key, str) or key < 0
            window = (
                SlidingWindow(GROUP_MESSAGES_PER_MINUTE, self._pacing.seconds(60.0))
                if is_group
                else SlidingWindow(CHAT_MESSAGES_PER_SECOND, self._pacing.seconds(1.0))
            )
            lane = self._chats[key] = _ChatLane(window)
        return lane

    def _forget_idle_chats(self) -> None:
        """Drop chats with nothing in their window, so a long-running bot stays small."""
        now = asyncio.get_running_loop().time()
        for key, lane in list(self._chats.items()):
            if not lane.lock.locked() and not lane.rescued and lane.window.is_idle(now):
                del self._chats[key]

    def _pause(self, retry_after: float, endpoint: str) -> None:
        """Hold every send until Telegram's retry_after has passed (it applies to the bot)."""
        seconds = self._pacing.seconds(retry_after)
        log.info("Telegram refused %s with 429; every send waits %.2f s", endpoint, seconds)
        resume = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, resume)

    async def _wait_for_spacing(self) -> None:
        loop = asyncio.get_running_loop()
        wait = self._next_queued_at - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        # Keep to the schedule when a wake-up came late (no drift below the rate), but after a
        # quiet spell start afresh rather than send a burst of "owed" slots.
        catch_up = 3 * self._queued_spacing
        self._next_queued_at = max(self._next_queued_at, loop.time() - catch_up)
        self._next_queued_at += self._queued_spacing

    async def _wait_out_pause(self) -> None:
        left = self._paused_until - asyncio.get_running_loop().time()
        if left > 0:
            await asyncio.sleep(left)


def _is_send(endpoint: str) -> bool:
    """Tell whether the request posts a message (which Telegram paces per chat)."""
    if endpoint == "sendChatAction":
        return False
    return endpoint.startswith(("send", "copyMessage", "forwardMessage"))
