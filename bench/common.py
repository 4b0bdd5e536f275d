"""Shared helpers for the benchmarks: timing a child process with its own peak memory, the
machine's load, and one result row type the runner prints and writes to RESULTS.md."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else shutil.which("time")


@dataclass
class Row:
    """One measured line: what, how long / how big, and what it is compared with."""

    area: str  # "parse", "pipeline", "poll", …
    name: str
    value: str  # the measured number, already formatted
    peer: str = ""  # what it is compared with (a peer's number or a target)
    ratio: str = ""  # ours / peer, formatted
    note: str = ""


@dataclass
class ChildRun:
    seconds: float  # wall clock
    peak_mb: float  # the child's own peak resident set (ru_maxrss), MiB
    returncode: int
    stdout: Path | None = None


def run_child(cmd: list[str], *, cwd: Path = REPO, env: dict[str, str] | None = None,
              stdout: Path | None = None, stderr: Path | None = None) -> ChildRun:
    """Run cmd and measure its wall time and its own peak RSS.

    Linux folds the RSS high-water mark of the forking process into the child's ru_maxrss at
    exec, so a big runner would inflate every child's peak: the child is started through
    /usr/bin/time (a small process) when it exists, whose %M is the real child's own peak.
    Otherwise os.wait4 gives this child's rusage (RUSAGE_CHILDREN would be the maximum over
    every child this process ever had)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    err = open(stderr, "wb") if stderr else subprocess.DEVNULL  # noqa: SIM115
    fd, peak_file = tempfile.mkstemp(prefix="bench-time-")
    os.close(fd)
    wrapped = [TIME, "-q", "-f", "%M", "-o", peak_file, *cmd] if TIME else cmd
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = float(usage.ru_maxrss)
        if TIME:
            text = Path(peak_file).read_text().strip().splitlines()
            peak_kb = float(text[-1]) if text and text[-1].isdigit() else peak_kb
    finally:
        os.unlink(peak_file)
        for f in (out, err):
            if f is not subprocess.DEVNULL:
                f.close()
    return ChildRun(elapsed, peak_kb / 1024, proc.returncode, stdout)


def load_note() -> str:
    """Cores and load average, to say how busy the machine was while measuring."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} (1 min) / {five:.2f} (5 min)"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH")
                                     else "")
    env.update(extra)
    return env
