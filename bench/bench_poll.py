"""Benchmark: a poll with no new mail against a local Dovecot holding N messages.

    .venv/bin/python -m bench.bench_poll [--messages 5000]

Target: < 1 s for the in-process poll (and reported: the whole `tonghop poll --once`
command, including interpreter start-up).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.config import load_settings  # noqa: E402
from pipeline.intake import poll_once  # noqa: E402
from pipeline.store import Store  # noqa: E402
from tests.dovecot import start_dovecot  # noqa: E402
from tests.helpers_mail import write_config  # noqa: E402


def message(n: int) -> bytes:
    return (f"From: Don vi {n} <donvi{n}@example.vn>\r\nTo: btg@example.vn\r\n"
            f"Subject: Tin nhan {n}\r\nMessage-ID: <bench-{n}@example.vn>\r\n"
            f"Date: Mon, 18 Jul 2022 08:00:00 +0700\r\n\r\nNoi dung {n}.\r\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    server = start_dovecot()
    try:
        os.environ["TONGHOP_TEST_IMAP_PASSWORD"] = server.password
        start = time.perf_counter()
        base = datetime(2022, 7, 1, tzinfo=UTC)
        with server.client() as client:
            for n in range(args.messages):
                client.append("INBOX", message(n), flags=(), msg_time=base + timedelta(minutes=n))
        print(f"appended {args.messages} messages in {time.perf_counter() - start:.1f} s")
        with tempfile.TemporaryDirectory() as tmp:
            config = write_config(Path(tmp), server.mailbox_config())
            settings = load_settings(config)
            store = Store.open(settings)
            start = time.perf_counter()
            first = poll_once(settings, store)
            print(f"first poll: {first.fetched} messages in {time.perf_counter() - start:.1f} s")
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                again = poll_once(settings, store)
                times.append(time.perf_counter() - start)
                assert again.fetched == 0
            store.close()
            print(f"poll with no new mail (in process): best {min(times) * 1000:.0f} ms, "
                  f"worst {max(times) * 1000:.0f} ms over {args.runs} runs")
            cli = []
            for _ in range(3):
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "pipeline.cli", "--config", str(config),
                                "poll", "--once"], cwd=REPO, check=True, capture_output=True)
                cli.append(time.perf_counter() - start)
            print(f"`tonghop poll --once` with no new mail (whole command): best "
                  f"{min(cli) * 1000:.0f} ms, worst {max(cli) * 1000:.0f} ms")
            ok = max(times) < 1.0
            print("OK (< 1 s)" if ok else "TOO SLOW (>= 1 s)")
            return 0 if ok else 1
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
