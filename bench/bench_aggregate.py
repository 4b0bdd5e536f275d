"""Benchmark: the digest for 100 units (build + render + send to a local SMTP server) and
the exports (CSV + dataset.xlsx) for 10 000 reports, on synthetic records.

    .venv/bin/python bench/bench_aggregate.py [--units 100] [--reports 10000]

Targets: digest under 1 s, exports in seconds. Imports are not timed (a long-running
scheduler pays them once).
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402

from aggregators.digest import build_digest  # noqa: E402
from aggregators.records import Submission, UnitStatus  # noqa: E402
from parsers.result import DocumentRow, Fact, ParseResult, Section  # noqa: E402
from pipeline.cmd_digest import render_digest, send_digest  # noqa: E402
from pipeline.config import SmtpConfig, load_campaign  # noqa: E402
from pipeline.exports import export_all  # noqa: E402

QUALIFIERS = [None, None, None, "tren", "hon", "gan", "khoang"]


def synthetic(n_units: int, campaign, seed: int = 7) -> tuple[list[Submission], list[UnitStatus]]:
    rng = random.Random(seed)
    start = datetime.combine(campaign.opens, datetime.min.time(), tzinfo=UTC)
    span = (campaign.unit_deadline - campaign.opens).days + 3
    submissions, statuses = [], []
    for i in range(n_units):
        unit_id, name = f"u{i:05d}", f"Chi bộ đơn vị số {i + 1}"
        if rng.random() < 0.15:
            statuses.append(UnitStatus(unit_id, name, "missing", None, None, None, 0, [], None))
            continue
        received = start + timedelta(days=rng.uniform(0, span))
        facts = [
            Fact(ind.id, rng.randint(1, 5000) * (1_000_000 if ind.unit else 1),
                 rng.choice(QUALIFIERS), rng.choice(campaign.sections).id, ind.terms[0] if ind.terms
                 else ind.id, f"Tổ chức {rng.randint(1, 99)} {ind.label.lower()} cho cán bộ.")
            for ind in rng.sample(campaign.indicators, k=rng.randint(6, 14))
        ]
        sections = [Section(s.id, s.title, s.label, s.level, round(rng.uniform(0.6, 1), 2), "…")
                    for s in campaign.sections if rng.random() < 0.9]
        documents = [DocumentRow(f"{rng.randint(1, 99)}-KH/CB", "Kế hoạch thực hiện Chỉ thị",
                                 "2017-03-10") for _ in range(rng.randint(0, 6))]
        result = ParseResult(file=f"bc-{i}.docx", sections=sections, indicators=facts,
                             documents=documents)
        sub = Submission(len(submissions) + 1, unit_id, "header", f"<{i}@bench>",
                         f"u{i}@example.vn", "Báo cáo", received, f"bc-{i}.docx", None, True,
                         result=result)
        submissions.append(sub)
        late = received.date() > campaign.unit_deadline
        statuses.append(UnitStatus(unit_id, name, "late" if late else "on_time", received,
                                   sub.message_id, sub.file, 0, [], sub))
    return submissions, statuses


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_digest(n_units: int, campaign) -> float:
    submissions, statuses = synthetic(n_units, campaign)
    now = datetime.combine(campaign.unit_deadline, datetime.min.time(), tzinfo=UTC)
    # One untimed warm-up (font cache, template compilation), then the timed run.
    render_digest(build_digest(statuses, submissions, campaign, now=now))
    sink, port = Sink(), _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = type("S", (), {"smtp": SmtpConfig(host="127.0.0.1", port=port, tls="none",
                                                     sender="bench@tonghop.vn")})()
        started = time.perf_counter()
        rendered = render_digest(build_digest(statuses, submissions, campaign, now=now))
        send_digest(settings, rendered, ["btg@tonghop.vn"])
        elapsed = time.perf_counter() - started
    finally:
        controller.stop()
    assert sink.count == 1
    return elapsed


def bench_exports(n_reports: int, campaign) -> tuple[float, int]:
    _subs, statuses = synthetic(n_reports, campaign)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        export_all(statuses, campaign, Path(tmp))
        elapsed = time.perf_counter() - started
        size = (Path(tmp) / "dataset.xlsx").stat().st_size
    return elapsed, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--reports", type=int, default=10_000)
    args = parser.parse_args()
    campaign = load_campaign()
    digest_s = bench_digest(args.units, campaign)
    print(f"digest, {args.units} units (build + render + charts + SMTP send): {digest_s:.3f} s")
    export_s, size = bench_exports(args.reports, campaign)
    print(f"exports, {args.reports} reports (6 CSV + dataset.xlsx, {size / 1e6:.1f} MB): "
          f"{export_s:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
