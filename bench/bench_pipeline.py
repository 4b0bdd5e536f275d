"""Benchmark: the whole pipeline over generated mail for 100, 1 000 and 10 000 units.

    .venv/bin/python -m bench.bench_pipeline [--sizes 100,1000,10000] [--budget 900]

For each size: generate the campaign's mail (pipeline.corpus, untimed, in a child process),
deliver it into a Maildir, write a tonghop.toml (maildir source, SQLite storage), then run
each stage as its own `tonghop` process and measure its wall time and peak RSS:
poll --once (everything new), poll --once again (nothing new), export, digest --out,
draft --out. Prints seconds and peak MiB per stage and the growth from one size to the next.

A size whose poll would take longer than --budget seconds (extrapolated linearly from the
previous size) is replaced by a smaller one (3 000), and the table says so.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench.common` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PYTHON, ChildRun, Row, child_env, run_child  # noqa: E402

SEED = 2022
STAGES = ("poll", "poll (no new mail)", "export", "digest", "draft")
FALLBACK_SIZE = 3000


@dataclass
class SizeResult:
    units: int
    reports: int = 0
    emails: int = 0
    stages: dict[str, ChildRun] = field(default_factory=dict)
    note: str = ""


def prepare(n_units: int, out: Path) -> tuple[int, int, str]:
    """Generate the corpus for n_units and lay out a working directory like `tonghop demo`
    does. Returns (reports, emails, TONGHOP_NOW)."""
    from pipeline.cmd_demo import write_config, write_maildir
    from pipeline.config import DEFAULT_CAMPAIGN, load_campaign
    from pipeline.corpus import as_of_after_deadline, generate_corpus
    from pipeline.corpus.units import registry_toml

    campaign = load_campaign(DEFAULT_CAMPAIGN)
    corpus = generate_corpus(SEED, n_units, campaign)
    out.mkdir(parents=True, exist_ok=True)
    (out / "units.toml").write_text(registry_toml(corpus.registry), encoding="utf-8")
    write_maildir(out / "mailbox", corpus)
    write_config(out, DEFAULT_CAMPAIGN)
    return len(corpus.reports), len(corpus.emails), as_of_after_deadline(campaign).isoformat()


def _prepare_in_child(n_units: int, work: Path) -> tuple[int, int, str]:
    # A child process, so the generator's memory never counts against the runner.
    info = work / "prepared.txt"
    run = run_child([PYTHON, "-m", "bench.bench_pipeline", "--prepare", str(n_units), str(work)],
                    env=child_env(), stdout=info, stderr=work / "prepare.err")
    if run.returncode != 0:
        raise RuntimeError(f"corpus generation failed: {(work / 'prepare.err').read_text()[-2000:]}")
    reports, emails, now = info.read_text().split()
    return int(reports), int(emails), now


def measure_size(n_units: int, work: Path) -> SizeResult:
    result = SizeResult(n_units)
    result.reports, result.emails, now = _prepare_in_child(n_units, work)
    config = work / "tonghop.toml"
    env = child_env(TONGHOP_NOW=now)
    base = [PYTHON, "-m", "pipeline.cli", "--config", str(config)]
    commands = {
        "poll": ["poll", "--once"],
        "poll (no new mail)": ["poll", "--once"],
        "export": ["export", "--out", str(work / "exports")],
        "digest": ["digest", "--out", str(work / "digest.html")],
        "draft": ["draft", "--out", str(work / "draft.docx")],
    }
    for stage in STAGES:
        slug = stage.split()[0] + ("-again" if "no new" in stage else "")
        run = run_child(base + commands[stage], env=env, stdout=work / f"{slug}.out",
                        stderr=work / f"{slug}.err")
        result.stages[stage] = run
        print(f"  {n_units:>6} units  {stage:<20} {run.seconds:8.2f} s {run.peak_mb:8.0f} MiB"
              f"{'' if run.returncode == 0 else f'  exit {run.returncode}'}", flush=True)
    return result


def run(sizes: tuple[int, ...] = (100, 1000, 10_000), budget: float = 900.0,
        keep: Path | None = None) -> list[Row]:
    results: list[SizeResult] = []
    for n in sizes:
        note = ""
        if results and "poll" in results[-1].stages:
            prev = results[-1]
            estimate = prev.stages["poll"].seconds * n / prev.units
            if estimate > budget and n > FALLBACK_SIZE:
                note = (f"{n} units skipped: poll extrapolated to {estimate:.0f} s "
                        f"(> {budget:.0f} s budget); measured {FALLBACK_SIZE} instead")
                print(f"  {note}", flush=True)
                n = FALLBACK_SIZE
        work = Path(tempfile.mkdtemp(prefix=f"bench-pipeline-{n}-"))
        try:
            print(f"pipeline: {n} units in {work}", flush=True)
            res = measure_size(n, work)
            res.note = note
            results.append(res)
        finally:
            if keep is None:
                shutil.rmtree(work, ignore_errors=True)
    return rows(results)


def rows(results: list[SizeResult]) -> list[Row]:
    out: list[Row] = []
    for i, res in enumerate(results):
        prev = results[i - 1] if i else None
        for stage, runr in res.stages.items():
            growth, peer = "", ""
            if prev is not None and stage in prev.stages:
                p = prev.stages[stage]
                growth = (f"×{runr.seconds / p.seconds:.1f} time, ×{runr.peak_mb / p.peak_mb:.1f} "
                          f"memory for ×{res.units / prev.units:g} units")
                peer = f"{prev.units} units"
            failed = "" if runr.returncode == 0 else f"exit code {runr.returncode}; "
            out.append(Row(
                "pipeline", f"{res.units} units ({res.reports} reports, {res.emails} emails): "
                f"{stage}", f"{runr.seconds:.2f} s, {runr.peak_mb:.0f} MiB peak", peer, growth,
                failed + res.note))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--budget", type=float, default=900.0,
                    help="largest poll (seconds, extrapolated) before falling back to 3000 units")
    ap.add_argument("--keep", action="store_true", help="keep the working directories")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON (the runner can reuse them)")
    ap.add_argument("--prepare", nargs=2, metavar=("UNITS", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.prepare:
        reports, emails, now = prepare(int(args.prepare[0]), Path(args.prepare[1]))
        print(reports, emails, now)
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(","))
    result = run(sizes, args.budget, keep=Path(".") if args.keep else None)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in result], ensure_ascii=False, indent=1),
                             encoding="utf-8")
    for row in result:
        print(f"{row.name:<70} {row.value:<24} {row.ratio}  {row.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
