"""The reminder sweep on the application's JobQueue.

The job carries no state: each run derives what is due from the database
(bot.services.reminder_sweep.sweep), so a restart neither loses nor repeats a reminder.
"""

from __future__ import annotations

import asyncio
import logging

from bot.context import LapkinApplication, LapkinContext
from bot.outage import is_unavailable
from bot.services import reminder_sweep

log = logging.getLogger(__name__)

JOB_NAME = "reminder-sweep"
FIRST_RUN_SECONDS = 5.0  # soon after start, once the bot is up and the outbox draining


async def sweep_job(context: LapkinContext) -> None:
    """Queues the reminders that fell due and wakes the outbox when there are any."""
    services = context.services
    try:
        queued = await asyncio.to_thread(
            reminder_sweep.sweep, db=services.db, now=services.clock(), tz=services.settings.tz
        )
    except Exception as exc:
        if is_unavailable(exc):
            # The database is away: one line a minute, and the admins hear when it is back.
            services.watch.failed(exc, where="reminder sweep")
            return
        # The sweep runs every minute: report a failure to the admins once a day, not every
        # minute, and keep the job alive for the next run.
        log.exception("the reminder sweep failed")
        await asyncio.to_thread(
            reminder_sweep.report_failure,
            db=services.db,
            now=services.clock(),
            admin_chat_id=services.settings.admin_chat_id,
        )
        services.dispatcher.wake()
        return
    await services.watch.recovered(wake=services.dispatcher.wake)
    if queued:
        log.info("queued %d reminder(s)", queued)
        services.dispatcher.wake()


def install(application: LapkinApplication, *, first: float = FIRST_RUN_SECONDS) -> None:
    """Run the sweep every ``REMINDER_SWEEP_SECONDS``, replacing an earlier sweep job."""
    if not application.bot_data.services.settings.reminders_enabled:
        log.info("reminders are turned off (REMINDERS_ENABLED=false)")
        return
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    job_queue.run_repeating(
        sweep_job,
        interval=application.bot_data.services.settings.reminder_sweep_seconds,
        first=first,
        name=JOB_NAME,
        # A slow sweep is not run twice at once, and runs missed while busy collapse to one.
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
