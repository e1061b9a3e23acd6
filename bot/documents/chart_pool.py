"""Charts drawn side by side in worker processes, when there are cores to draw them on.

A chart is ~40 ms of CPU that holds the GIL (Agg, Pillow's quantizer and zlib), so threads
gain nothing; a 400-indicator LKjIP draws 40 of them. With two cores or more, a batch of
charts (``draw_all``) goes to a pool of processes, one per core; on one core, or for a
handful of charts, they are drawn here, which is what the pool would cost anyway.

Nothing starts with the bot: the pool is made by the first batch that needs it (a document
being made), and its workers are forked from a server process that imports matplotlib
once (``forkserver``: safe in a process with threads, unlike a plain fork). The first batch
after start-up therefore pays ~0.5 s for that import; later ones find the workers ready.
How many workers: ``configure`` (``CHART_WORKERS`` in the settings), else one per usable
core, at most ``MAX_AUTO_WORKERS``.

Each worker re-imports the main script, as multiprocessing does outside a plain fork:
``python -m bot`` and pytest are safe (a package's ``__main__`` is not re-imported), and a
script of its own that makes reports needs the usual ``if __name__ == "__main__":`` guard.
Without one the workers die at start and the charts are drawn here, only slower.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

MAX_AUTO_WORKERS = 4
MIN_BATCH = 6  # fewer charts than this are drawn here: sending them costs more than it saves

Call = tuple[tuple[Any, ...], dict[str, Any]]

_lock = threading.Lock()
_configured: int | None = None
_pool: Executor | None = None


def configure(workers: int | None) -> None:
    """Set how many processes draw charts (0 or 1: none, draw here; None: one per core)."""
    global _configured
    _configured = workers


def workers() -> int:
    """Return how many worker processes a batch of charts is spread over (0: none)."""
    if _configured is not None:
        count = _configured
    else:
        count = min(len(os.sched_getaffinity(0)), MAX_AUTO_WORKERS)
    return count if count > 1 else 0


def draw_all(draw: Callable[..., bytes | None], calls: Sequence[Call]) -> list[bytes | None]:
    """Return ``draw(*args, **kwargs)`` for each call, in order, drawn side by side if it pays.

    ``draw`` must be a module-level function, importable by its module and name.
    """
    if len(calls) < MIN_BATCH or workers() == 0:
        return [draw(*args, **kwargs) for args, kwargs in calls]
    name = (draw.__module__, draw.__qualname__)
    try:
        futures = [_executor().submit(_draw, name, args, kwargs) for args, kwargs in calls]
        return [future.result() for future in futures]
    except Exception as error:  # a worker killed (out of memory, say): draw here instead
        from concurrent.futures.process import BrokenProcessPool

        if not isinstance(error, BrokenProcessPool):
            raise
        shutdown()
        return [draw(*args, **kwargs) for args, kwargs in calls]


def shutdown() -> None:
    """Stop the workers (tests, and a broken pool); the next batch starts new ones."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _executor() -> Executor:
    global _pool
    with _lock:
        if _pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            # Workers fork from a server that has the charts (and matplotlib) imported.
            context.set_forkserver_preload(["bot.documents.charts"])
            _pool = ProcessPoolExecutor(max_workers=workers(), mp_context=context)
        return _pool


def _draw(name: tuple[str, str], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes | None:
    """Draw one chart in a worker: the function itself, not its cache (which is the parent's)."""
    module, qualname = name
    draw = getattr(importlib.import_module(module), qualname)
    draw = getattr(draw, "__wrapped__", draw)
    result: bytes | None = draw(*args, **kwargs)
    return result
