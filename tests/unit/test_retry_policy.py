"""The retry policy: what is tried again, how often and after how long (bot.retries)."""

from __future__ import annotations

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.retries import RetryPolicy, already_done, is_transient

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*`retry_after`:telegram.warnings.PTBDeprecationWarning"
)

POLICY = RetryPolicy()
TRANSIENT = [RetryAfter(1), NetworkError("Bad Gateway"), TimedOut()]


def _waits(endpoint: str, error: TelegramError, *, queued: bool = False) -> list[float | None]:
    """Return the policy's answer after each of the first five failed tries."""
    return [
        POLICY.wait_before_retry(endpoint, error, attempt=attempt, elapsed=0.0, queued=queued)
        for attempt in range(1, 6)
    ]


@pytest.mark.parametrize("error", [NetworkError("Bad Gateway"), TimedOut()])
def test_a_reply_is_tried_four_times_in_all_with_doubling_waits(error: TelegramError) -> None:
    assert _waits("sendMessage", error) == [0.5, 1.0, 2.0, None, None]


def test_a_429_waits_what_telegram_asks_and_counts_as_a_try() -> None:
    assert _waits("sendMessage", RetryAfter(7)) == [7.0, 7.0, 7.0, None, None]


def test_a_429_too_long_for_a_waiting_person_goes_to_the_outbox_at_once() -> None:
    long = RetryAfter(int(POLICY.max_direct_wait) + 1)
    assert _waits("sendMessage", long)[0] is None
    # The outbox's own sends wait it out: nobody is held up by them.
    assert _waits("sendMessage", long, queued=True)[0] == POLICY.max_direct_wait + 1


@pytest.mark.parametrize(("error", "wait"), [(RetryAfter(7), 7.0), (TimedOut(), 1.0)])
def test_a_person_waits_for_retries_at_most_max_direct_wait_in_all(
    error: TelegramError, wait: float
) -> None:
    def after(waited: float, *, queued: bool = False) -> float | None:
        return POLICY.wait_before_retry(
            "sendMessage", error, attempt=2, waited=waited, queued=queued
        )

    assert after(POLICY.max_direct_wait - wait) == wait
    assert after(POLICY.max_direct_wait - wait + 0.1) is None
    if isinstance(error, RetryAfter):  # the outbox's sends are held by no one
        assert after(POLICY.max_direct_wait, queued=True) == wait


@pytest.mark.parametrize("error", [NetworkError("Bad Gateway"), TimedOut()])
def test_the_outbox_keeps_its_own_back_off_for_5xx_and_time_outs(error: TelegramError) -> None:
    assert _waits("sendMessage", error, queued=True) == [None] * 5


@pytest.mark.parametrize(
    "error",
    [
        BadRequest("message is too long"),
        Forbidden("bot was blocked by the user"),
        InvalidToken(),
        Conflict("terminated by other getUpdates request"),
        ChatMigrated(-100123),
        TelegramError("something else"),
    ],
)
def test_refusals_that_would_repeat_are_never_tried_again(error: TelegramError) -> None:
    assert not is_transient(error)
    assert _waits("sendMessage", error) == [None] * 5


@pytest.mark.parametrize("error", TRANSIENT)
def test_transient_failures_are_recognised(error: TelegramError) -> None:
    assert is_transient(error)


@pytest.mark.parametrize("error", TRANSIENT)
def test_get_updates_is_left_to_the_updater(error: TelegramError) -> None:
    assert _waits("getUpdates", error) == [None] * 5


def test_a_button_answer_is_tried_again_only_while_the_press_is_fresh() -> None:
    budget = POLICY.callback_answer_budget

    def wait(error: TelegramError, elapsed: float) -> float | None:
        return POLICY.wait_before_retry(
            "answerCallbackQuery", error, attempt=1, elapsed=elapsed, queued=False
        )

    assert wait(NetworkError("Bad Gateway"), 0.0) == 0.5
    assert wait(NetworkError("Bad Gateway"), budget - 0.5) == 0.5
    assert wait(NetworkError("Bad Gateway"), budget - 0.4) is None
    assert wait(RetryAfter(3), budget - 3) == 3.0
    assert wait(RetryAfter(3), budget - 2) is None
    # Other requests have no such deadline.
    assert POLICY.wait_before_retry(
        "sendMessage", TimedOut(), attempt=1, elapsed=budget * 10, queued=False
    )


def test_the_number_of_tries_is_a_setting() -> None:
    two = RetryPolicy(tries=2, first_backoff=0.1)
    waits = [
        two.wait_before_retry("sendMessage", TimedOut(), attempt=n, elapsed=0.0, queued=False)
        for n in (1, 2)
    ]
    assert waits == [0.1, None]


@pytest.mark.parametrize(
    ("endpoint", "message", "done"),
    [
        ("editMessageText", "Message is not modified: specified new message content ...", True),
        ("editMessageCaption", "message is not modified", True),
        ("editMessageReplyMarkup", "Message is not modified", True),
        ("answerCallbackQuery", "Query is too old and response timeout expired", True),
        ("answerCallbackQuery", "query id is invalid", True),
        ("editMessageText", "Message to edit not found", False),
        ("sendMessage", "message is not modified", False),
        ("answerCallbackQuery", "MESSAGE_TOO_LONG", False),
    ],
)
def test_a_repeat_refused_as_already_done_counts_as_done(
    endpoint: str, message: str, done: bool
) -> None:
    assert already_done(endpoint, BadRequest(message)) is done
    assert not already_done(endpoint, NetworkError(message))
