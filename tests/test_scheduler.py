"""The scheduler with real APScheduler in a subprocess: jobs run, never overlap, and
SIGTERM stops it cleanly; a mailbox that is down is logged, retried and reported."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

from pipeline.cmd_digest import DigestLog, produce_digest
from pipeline.scheduler import Jobs, build_scheduler, schedule_for
from tests.helpers import REPO
from tests.helpers_digest import fill_store, sample_records, store_settings
from tests.helpers_mail import deliver_maildir, sample_emails

SCRIPT = """
import logging, sys, time
from datetime import datetime, timedelta
from pathlib import Path
from pipeline.config import load_settings
from pipeline import scheduler

logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format="%(asctime)s %(threadName)s %(name)s: %(message)s")
settings = load_settings(Path(sys.argv[1]))
scheduler.warm_up()
plan = scheduler.schedule_for(settings)
now = datetime.now(plan.timezone)
plan.poll_seconds = 1
plan.digest_time = (now + timedelta(seconds=2)).time().replace(microsecond=0)
plan.draft_at = now + timedelta(seconds=3)

# Make each poll outlast its 1-second interval: the next run must wait, never overlap.
original = scheduler.Jobs.poll
def slow_poll(self):
    original(self)
    time.sleep(1.5)
scheduler.Jobs.poll = slow_poll

print("ready", flush=True)
jobs = scheduler.run_scheduler(settings, plan)
print("runs", jobs.runs, flush=True)
"""


def test_scheduler_runs_jobs_without_overlap_and_stops_on_sigterm(tmp_path):
    settings = store_settings(tmp_path)
    for entry in sample_emails()[:1]:  # a question, no attachment: polls stay short
        deliver_maildir(settings.mailbox.path, entry["raw"], entry["delivered"])
    script = tmp_path / "run_scheduler.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(settings.path)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(9)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    assert "received SIGTERM" in err and "scheduler stopped" in err
    runs = eval(out.split("runs", 1)[1].strip())  # the dict printed by the script
    assert runs["digest"] == 1 and runs["draft"] == 1, err[-3000:]
    # ~9 s with polls of >= 1.5 s: a handful, not one per second.
    assert 2 <= runs["poll"] <= 6, runs
    for job in ("poll", "digest", "draft"):
        events = re.findall(rf"job {job}: (start|end)", err)
        assert events == ["start", "end"] * runs[job], (job, events)
    assert "maximum number of running instances reached" in err
    outputs = {p.name for p in settings.storage.output.iterdir()}
    assert any(name.startswith("digest-") and name.endswith(".html") for name in outputs)
    digest_log = DigestLog.open(settings)
    try:
        assert digest_log.last_poll() is not None
    finally:
        digest_log.close()


MID_LOOP_SCRIPT = """
import logging, os, signal, sys
from pathlib import Path
from apscheduler.jobstores.memory import MemoryJobStore
from pipeline.config import load_settings
from pipeline import scheduler

logging.basicConfig(level=logging.INFO, stream=sys.stderr)
settings = load_settings(Path(sys.argv[1]))
plan = scheduler.schedule_for(settings)
plan.poll_seconds = 1
# SIGTERM delivered while the scheduler's loop holds due jobs it has yet to update: the
# worst moment for a shutdown run inside the signal handler.
original = MemoryJobStore.get_due_jobs
calls = []
def get_due_jobs(self, now):
    due = original(self, now)
    calls.append(1)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGTERM)
    return due
MemoryJobStore.get_due_jobs = get_due_jobs
jobs = scheduler.run_scheduler(settings, plan)
print("runs", jobs.runs, flush=True)
"""


def test_sigterm_in_the_middle_of_the_scheduler_loop_still_stops_cleanly(tmp_path):
    settings = store_settings(tmp_path)
    script = tmp_path / "mid_loop.py"
    script.write_text(MID_LOOP_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(settings.path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "received SIGTERM" in done.stderr and "scheduler stopped" in done.stderr
    assert "JobLookupError" not in done.stderr
    assert done.stdout.startswith("runs")


def test_mailbox_down_is_logged_retried_and_reported(tmp_path, monkeypatch):
    settings = store_settings(tmp_path)
    # An IMAP server that is not there: a closed loopback port.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.mailbox.kind, settings.mailbox.port, settings.mailbox.tls = "imap", port, "none"
    settings.mailbox.username, settings.mailbox.timeout = "btg", 3
    settings.mailbox.password_env = "TONGHOP_TEST_IMAP_PW"
    monkeypatch.setenv("TONGHOP_TEST_IMAP_PW", "x")
    subs, _statuses, _campaign, _registry = sample_records()
    fill_store(settings, subs)
    jobs = Jobs(settings)
    jobs.poll()  # must not raise
    jobs.poll()  # retried on the next turn
    assert jobs.runs["poll"] == 2
    log = DigestLog.open(settings)
    try:
        error = log.last_poll_error()
    finally:
        log.close()
    assert error and ("refused" in error.lower() or "errno" in error.lower()), error
    digest = produce_digest(settings, now=datetime(2022, 7, 21, tzinfo=UTC)).digest
    assert digest.problems[0].kind == "poll_error"
    assert digest.problems[0].detail == error
    assert digest.reported == 12  # what was stored before still counts


def test_schedule_from_config(tmp_path):
    settings = store_settings(
        tmp_path, '[schedule]\npoll_minutes = 10\n\n[digest]\ntime = "06:45"\n')
    plan = schedule_for(settings)
    assert plan.poll_seconds == 600
    assert (plan.digest_time.hour, plan.digest_time.minute) == (6, 45)
    assert plan.draft_at.date().isoformat() == "2022-07-21"  # the day after the unit deadline
    scheduler, _jobs = build_scheduler(settings, plan, now=datetime(2022, 7, 1, tzinfo=UTC))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"poll", "digest", "draft"}
    trigger = str(jobs["digest"].trigger)
    assert trigger.startswith("cron[") and "hour='6'" in trigger and "minute='45'" in trigger
