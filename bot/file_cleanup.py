"""The cleanup of stored files nothing refers to any more, on the application's JobQueue.

It runs soon after start and then every FILE_CLEANUP_INTERVAL_HOURS; each run derives what to
remove from the database and the file store (bot.services.file_limits), so it keeps no state.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.context import LapkinApplication, LapkinContext
from bot.outage import is_unavailable
from bot.services.file_limits import remove_unreferenced_files

log = logging.getLogger(__name__)

JOB_NAME = "file-cleanup"
FIRST_RUN_SECONDS = 60.0  # once the bot is up and serving; nothing is urgent about it


async def cleanup_job(context: LapkinContext) -> None:
    """Removes the stored files nothing has referred to for the grace period."""
    services = context.services
    grace = timedelta(hours=services.settings.file_cleanup_grace_hours)
    try:
        await asyncio.to_thread(
            remove_unreferenced_files,
            db=services.db,
            files=services.files,
            now=services.clock(),
            grace=grace,
        )
    except Exception as exc:
        # Nothing is lost when a run fails (the files stay); the next run tries again.
        if is_unavailable(exc):
            services.watch.failed(exc, where="file cleanup")
        else:
            log.exception("the cleanup of unreferenced files failed")


def install(application: LapkinApplication, *, first: float = FIRST_RUN_SECONDS) -> None:
    """Run the cleanup every FILE_CLEANUP_INTERVAL_HOURS, replacing an earlier cleanup job."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    hours = application.bot_data.services.settings.file_cleanup_interval_hours
    job_queue.run_repeating(
        cleanup_job,
        interval=hours * 3600,
        first=first,
        name=JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
