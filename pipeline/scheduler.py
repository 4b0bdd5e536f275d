"""The long-running scheduler (`tonghop run`): poll, daily digest, draft after the deadline.

APScheduler 3.x. Every job has max_instances=1 and coalesce=True: a slow poll is never
overlapped by the next one, and missed runs collapse into one. A job that fails logs
and waits for its next turn; a mailbox that is down is recorded in the poll log, so
the next digest says so. SIGTERM / SIGINT stop the scheduler after running jobs finish.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from pipeline import clock

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 3600}


@dataclass
class Schedule:
    poll_seconds: float
    digest_time: time  # local time in the campaign time zone
    draft_at: datetime  # aware; once, after the unit deadline
    timezone: ZoneInfo


def schedule_for(settings) -> Schedule:
    """The schedule the configuration asks for."""
    campaign = settings.campaign
    tz = ZoneInfo(campaign.timezone)
    digest_time = campaign.digest_time
    if settings.digest.time:
        hh, mm = settings.digest.time.split(":")[:2]
        digest_time = time(int(hh), int(mm))
    # The morning after the last day units may report (the deadline day is inclusive).
    draft_at = datetime.combine(campaign.unit_deadline + timedelta(days=1), digest_time, tzinfo=tz)
    return Schedule(
        poll_seconds=max(float(settings.schedule.poll_minutes) * 60.0, 1.0),
        digest_time=digest_time,
        draft_at=draft_at,
        timezone=tz,
    )


def _draft_path(settings) -> Path:
    return Path(settings.storage.output) / f"du-thao-{settings.campaign.id}.docx"


class Jobs:
    """The job bodies. Each catches its own errors: a failure must not stop the scheduler."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.runs: dict[str, int] = {"poll": 0, "digest": 0, "draft": 0}
        self._lock = threading.Lock()

    def _count(self, name: str) -> None:
        with self._lock:
            self.runs[name] += 1

    def poll(self) -> None:
        from pipeline.cmd_digest import DigestLog

        self._count("poll")
        log.info("job poll: start")
        digest_log = DigestLog.open(self.settings)
        try:
            from pipeline.intake import poll_once
            from pipeline.store import Store

            store = Store.open(self.settings)
            try:
                report = poll_once(self.settings, store)
            finally:
                store.close()
            digest_log.record_poll(True)
            log.info("job poll: done: %d new, %d report(s), %d error(s)",
                     report.new, report.reports, len(report.errors))
            self._notify()
        except Exception as exc:  # mailbox down, login refused, …: retried next interval
            log.error("job poll: failed: %s", exc)
            digest_log.record_poll(False, f"{type(exc).__name__}: {exc}")
        finally:
            digest_log.close()
            log.info("job poll: end")

    def _notify(self) -> None:
        cfg = self.settings.notify
        if not cfg.receipts and not cfg.reminders_days_before:
            return
        from pipeline.exports import load_records
        from pipeline.notify import send_notifications

        try:
            submissions, statuses = load_records(self.settings)
            sent = send_notifications(self.settings, submissions, statuses)
            if sent:
                log.info("sent %d notification(s) to units", sent)
        except Exception as exc:
            log.error("notifications failed: %s", exc)

    def digest(self) -> None:
        from pipeline.cmd_digest import produce_digest

        self._count("digest")
        log.info("job digest: start")
        try:
            today = clock.now().astimezone(ZoneInfo(self.settings.campaign.timezone))
            out = Path(self.settings.storage.output) / f"digest-{today:%Y-%m-%d}.html"
            send = bool(self.settings.digest.recipients)
            produce_digest(self.settings, out=out, send=send)
            log.info("job digest: written %s%s", out, " and sent" if send else "")
            self._notify()
        except Exception as exc:
            log.error("job digest: failed: %s", exc)
        finally:
            log.info("job digest: end")

    def draft(self) -> None:
        self._count("draft")
        log.info("job draft: start")
        try:
            path = _draft_path(self.settings)
            if path.exists():
                log.info("job draft: %s already exists; not overwritten", path)
                return
            try:
                from pipeline.cmd_draft import write_draft
            except ImportError as exc:
                log.warning("job draft: the draft writer is not available (%s)", exc)
                return
            write_draft(self.settings, path)
            log.info("job draft: written %s", path)
        except Exception as exc:
            log.error("job draft: failed: %s", exc)
        finally:
            log.info("job draft: end")


def build_scheduler(settings, schedule: Schedule | None = None,
                    now: datetime | None = None) -> tuple[BlockingScheduler, Jobs]:
    schedule = schedule or schedule_for(settings)
    now = now or clock.now()
    scheduler = BlockingScheduler(timezone=schedule.timezone, job_defaults=JOB_DEFAULTS)
    jobs = Jobs(settings)
    scheduler.add_job(jobs.poll, IntervalTrigger(seconds=schedule.poll_seconds,
                                                 timezone=schedule.timezone),
                      id="poll", name="poll the mailbox", next_run_time=now)
    scheduler.add_job(jobs.digest, CronTrigger(hour=schedule.digest_time.hour,
                                               minute=schedule.digest_time.minute,
                                               second=schedule.digest_time.second,
                                               timezone=schedule.timezone),
                      id="digest", name="daily digest")
    # Started after the moment has passed: write the draft right away (once).
    draft_at = max(schedule.draft_at, now + timedelta(seconds=1))
    if not _draft_path(settings).exists():
        scheduler.add_job(jobs.draft, DateTrigger(run_date=draft_at, timezone=schedule.timezone),
                          id="draft", name="consolidated draft")
    return scheduler, jobs


def warm_up() -> None:
    """Import the heavy job modules now: imports inside job threads serialise on the import
    lock and delay the first runs by seconds."""
    import importlib

    for name in ("pipeline.intake", "pipeline.store", "pipeline.cmd_digest", "pipeline.exports",
                 "pipeline.cmd_draft"):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            log.warning("cannot import %s yet: %s", name, exc)


def run_scheduler(settings, schedule: Schedule | None = None) -> Jobs:
    """Run until SIGTERM or SIGINT; returns the jobs (with run counts) after a clean stop."""
    warm_up()
    scheduler, jobs = build_scheduler(settings, schedule)
    stopping = threading.Event()
    stopper = threading.Thread(target=scheduler.shutdown, kwargs={"wait": False},
                               name="scheduler-stop", daemon=True)

    def stop(signum, _frame) -> None:
        if stopping.is_set():
            return
        stopping.set()
        log.info("received %s: stopping after running jobs finish", signal.Signals(signum).name)
        # Not here: the handler may interrupt the main loop inside _process_jobs, and a
        # shutdown there empties the job store under it (JobLookupError). From another thread
        # it waits for the scheduler's job-store lock, then wakes the loop.
        stopper.start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for job in scheduler.get_jobs():
            log.info("scheduled %s: %s", job.id, job.trigger)
        scheduler.start()  # blocks until shutdown
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopper.is_alive():
        stopper.join()
    # shutdown(wait=False) in the handler only wakes the loop; wait for job threads here.
    executor = scheduler._executors.get("default")  # noqa: SLF001 - no public accessor
    if executor is not None and hasattr(executor, "_pool"):
        executor._pool.shutdown(wait=True)
    log.info("scheduler stopped: %s", ", ".join(f"{k}={v}" for k, v in jobs.runs.items()))
    return jobs
