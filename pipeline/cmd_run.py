"""`tonghop --config F run`: the scheduler, until SIGTERM or SIGINT."""

from __future__ import annotations

from pipeline.scheduler import run_scheduler


def run(args, settings) -> int:
    run_scheduler(settings)
    return 0
