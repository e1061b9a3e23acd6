"""When a request Telegram refused or never answered is tried again, and after how long.

Every request but getUpdates passes :class:`bot.ratelimit.TelegramRateLimiter`, which asks
this policy after each failure, so the decision lives in one place. Two kinds of request
pass it:

- *direct* ones, made while a person waits (a handler's reply, the answer to a button press,
  the edit of the pressed message, a document): tried up to ``tries`` times in all, with at
  most ``max_direct_wait`` of waiting between them, then handed to the durable outbox
  (bot.reply_rescue), so one failed call never leaves a step unanswered;
- *queued* ones, the outbox's own sends: only a 429 is waited out here; a 5xx or a time-out
  goes back to the outbox, whose back-off survives restarts and counts attempts.

What is safe to repeat, and the duplicate bound:

- 429 (RetryAfter): Telegram did not perform the request; waiting ``retry_after`` and trying
  again cannot duplicate anything.
- 5xx and connection errors: the request did not reach Telegram's bot server or failed
  there; trying again is the only way the person gets the reply.
- Time-outs (TimedOut): the request may have been performed, only its answer lost. A send
  repeated after a time-out can show the person the same reply twice. The bound: a reply
  appears at most once more than the number of its attempts that timed out *after* Telegram
  had performed them — so a person who sees a reply twice saw a time-out, never a 429 or a
  5xx; and there are at most ``tries`` attempts in-line before the outbox takes over (whose
  own attempts follow the same rule). An edit or a button answer repeated after a time-out
  is harmless: "message is not modified" or "query is too old" then means it was done
  (:func:`already_done`).
- answerCallbackQuery expires some 15 s after the press: it is tried again only while the
  whole try stays within ``callback_answer_budget``; after that it would only fail again.
- getUpdates never comes here (python-telegram-bot's updater polls outside the limiter and
  retries on its own); 400 (BadRequest), 403 (Forbidden) and other refusals are never tried
  again: they would fail the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

CALLBACK_ANSWER = "answerCallbackQuery"
_ALREADY_DONE = {
    # A repeat of an edit that went through: Telegram reports that nothing changes.
    "edit": ("message is not modified",),
    # A repeat of an answer that went through: the query is used up.
    CALLBACK_ANSWER: ("query is too old", "query id is invalid"),
}


@dataclass(frozen=True)
class RetryPolicy:
    """How often and after what wait a failed request is tried again (in Telegram's seconds).

    The limiter scales the waits by its :class:`bot.ratelimit.Pacing`, so tests run them a
    hundred times faster.
    """

    tries: int = 4  # attempts in all, the first included
    first_backoff: float = 0.5  # before the second try after a 5xx or a time-out; doubles
    max_direct_wait: float = 30.0  # a person's updates wait at most this in all for retries
    callback_answer_budget: float = 10.0  # a button press expires some 15 s after it was made

    def wait_before_retry(
        self,
        endpoint: str,
        error: TelegramError,
        *,
        attempt: int,
        elapsed: float = 0.0,
        waited: float = 0.0,
        queued: bool = False,
    ) -> float | None:
        """Return how long to wait before trying ``endpoint`` again, or None: stop trying.

        ``attempt`` is the number of the try that just failed (1 for the first), ``elapsed``
        the Telegram seconds since the first try began, ``waited`` those spent in the waits
        this policy asked for. A direct request stops once its waits would pass
        ``max_direct_wait``: the outbox waits the rest without holding the person's next
        updates (they are handled in order, bot.update_order). So a reply holds its sender
        at most ``tries`` read time-outs plus ``max_direct_wait``.
        """
        if endpoint == "getUpdates" or attempt >= self.tries or not is_transient(error):
            return None
        if isinstance(error, RetryAfter):
            wait = retry_after_seconds(error)
        elif queued:
            return None  # the outbox's own back-off takes over
        else:
            wait = self.first_backoff * 2 ** (attempt - 1)
        if not queued and waited + wait > self.max_direct_wait:
            return None
        if endpoint == CALLBACK_ANSWER and elapsed + wait > self.callback_answer_budget:
            return None
        return wait


DEFAULT_POLICY = RetryPolicy()


def is_transient(error: TelegramError) -> bool:
    """Tell whether trying again later may succeed: a 429, a 5xx, a time-out, a lost connection."""
    if isinstance(error, RetryAfter):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def already_done(endpoint: str, error: TelegramError) -> bool:
    """Tell whether a refusal of a repeated request says the earlier try went through.

    Only meaningful after a time-out: the first try may have been performed.
    """
    if not isinstance(error, BadRequest):
        return False
    key = "edit" if endpoint.startswith("edit") else endpoint
    message = error.message.lower()
    return any(phrase in message for phrase in _ALREADY_DONE.get(key, ()))


def retry_after_seconds(error: RetryAfter) -> float:
    """Return a 429's retry_after in seconds (python-telegram-bot gives int or timedelta)."""
    delay = error.retry_after
    return float(delay) if isinstance(delay, int | float) else delay.total_seconds()
