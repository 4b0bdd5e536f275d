"""A longer fuzzing run over the report parser and the MIME walker.

    .venv/bin/python bench/fuzz_run.py [--n 2000] [--seed 1] [--target docx|mime|both]

Mutates real DOCX (shared sample d002.docx + a generated one) and real .eml samples,
runs parse_report / parse_message on each input, records wall time and tracemalloc
peak per input, and prints a summary: crashes (any exception), slowest inputs, largest
peaks and the process's max RSS (getrusage). Exit status 1 when anything raised or an
input broke the bounds.
"""

from __future__ import annotations

import argparse
import random
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.mime import parse_message  # noqa: E402
from parsers.report import parse_report  # noqa: E402
from pipeline.config import load_campaign  # noqa: E402
from tests import hostile  # noqa: E402

MAX_SECONDS = 2.0
MAX_PEAK = 200 * 1024 * 1024


@dataclass
class Sample:
    target: str
    what: str
    size: int
    seconds: float
    peak: int
    crash: str | None = None


def run(n: int, seed: int, target: str = "both") -> list[Sample]:
    rng = random.Random(seed)
    campaign = load_campaign()
    docs = hostile.seed_docs()
    mails = hostile.seed_emails() or [hostile.mail(attachments=[("a.docx", docs[-1])])]
    for doc in docs:  # warm-up: lazy imports are not per-input costs
        parse_report(doc, "warm.docx", campaign)
    parse_report(b"%PDF-1.4\n", "warm.pdf", campaign)
    samples: list[Sample] = []
    for i in range(n):
        kind = target if target != "both" else ("docx" if i % 2 == 0 else "mime")
        if kind == "docx":
            what, data = hostile.mutate_docx(rng.choice(docs), rng)
            call = lambda d=data: parse_report(d, "fuzz.docx", campaign)  # noqa: E731
        else:
            data = rng.choice(mails)
            for _ in range(rng.randrange(1, 4)):
                data = hostile.mutate_mail(data, rng)
            what = "mutated eml"
            call = lambda d=data: parse_message(d)  # noqa: E731
        crash = None
        try:
            measured = hostile.measure(call)
        except Exception:
            crash = traceback.format_exc(limit=4)
            measured = hostile.Measured(0.0, 0, None)
        samples.append(Sample(kind, what, len(data), measured.seconds, measured.peak_bytes, crash))
    return samples


def summary(samples: list[Sample]) -> tuple[str, bool]:
    crashes = [s for s in samples if s.crash]
    slow = [s for s in samples if s.seconds >= MAX_SECONDS]
    fat = [s for s in samples if s.peak >= MAX_PEAK]
    lines = [f"{len(samples)} inputs, {len(crashes)} crash(es), {len(slow)} over {MAX_SECONDS}s, "
             f"{len(fat)} over {MAX_PEAK >> 20} MB; max RSS {hostile.max_rss_mb():.0f} MB"]
    for target in sorted({s.target for s in samples}):
        part = sorted(s.seconds for s in samples if s.target == target)
        peaks = sorted(s.peak for s in samples if s.target == target)
        lines.append(f"  {target}: {len(part)} inputs, median {part[len(part) // 2] * 1000:.1f} ms, "
                     f"p99 {part[int(len(part) * 0.99)] * 1000:.1f} ms, max {part[-1] * 1000:.1f} ms;"
                     f" peak memory max {peaks[-1] / 1e6:.1f} MB")
    for s in sorted(samples, key=lambda s: -s.seconds)[:5]:
        lines.append(f"  slow: {s.target} {s.what} ({s.size} B): {s.seconds * 1000:.0f} ms, "
                     f"{s.peak / 1e6:.1f} MB")
    for s in crashes[:5]:
        lines.append(f"  CRASH {s.target} {s.what} ({s.size} B):\n{s.crash}")
    return "\n".join(lines), not (crashes or slow or fat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--target", choices=("docx", "mime", "both"), default="both")
    args = parser.parse_args(argv)
    text, ok = summary(run(args.n, args.seed, args.target))
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
