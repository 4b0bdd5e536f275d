"""Parser accuracy against the generated corpus's truth, over several seeds, with the misses.

    .venv/bin/python bench/eval_corpus.py [--seeds 1-6] [--units 40] [--misses 40]
    .venv/bin/python bench/eval_corpus.py --dir DOCS TRUTH [--campaign F] [--registry F]

Scores per seed and overall: unit, date, sections (recall/precision by id, and in-order),
statistics-table rows exact, facts (indicator, value, qualifier) and with the right section.
Misses are listed grouped by kind with the report's quirks, to find what to fix.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.report import parse_report  # noqa: E402
from pipeline.config import load_campaign, load_registry  # noqa: E402
from pipeline.corpus import generate_corpus  # noqa: E402
from pipeline.corpus.score import score_report, scores  # noqa: E402


def _seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def evaluate(seed: int, n_units: int, campaign, misses: dict[str, list[str]]) -> Counter:
    """The project's own generated corpus for one seed (DOCX reports only)."""
    corpus = generate_corpus(seed, n_units, campaign)
    c: Counter = Counter()
    for rep in corpus.reports:
        t = rep.truth
        if t.format != "docx":
            continue
        tag = f"s{seed}/{rep.doc_id} [{','.join(sorted(t.quirks))}]"
        res = parse_report(rep.data, rep.doc_id, corpus.campaign, corpus.registry)
        c += score_report(t.as_json(), res, tag, misses)
    return c


def evaluate_dir(docs: Path, truth: Path, campaign, registry, misses: dict[str, list[str]]) -> Counter:
    """A folder of report files with truth/<stem>.json beside (the shared samples' layout)."""
    from pipeline.reports import parse_file_bytes

    c: Counter = Counter()
    for path in sorted(p for p in docs.iterdir() if p.suffix.lower() in (".docx", ".doc", ".pdf")):
        t = json.loads((truth / f"{path.stem}.json").read_text(encoding="utf-8"))
        res = parse_file_bytes(path.read_bytes(), path.name, campaign, registry)
        c += score_report(t, res, f"{path.name} [{','.join(sorted(t.get('quirks', [])))}]", misses)
    return c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1-6")
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--misses", type=int, default=40, help="misses shown per kind")
    ap.add_argument("--dir", nargs=2, type=Path, metavar=("DOCS", "TRUTH"),
                    help="score a folder of reports against truth JSON instead of generating")
    ap.add_argument("--campaign", type=Path, help="with --dir: the campaign file")
    ap.add_argument("--registry", type=Path, help="with --dir: the unit registry")
    args = ap.parse_args(argv)
    campaign = load_campaign(args.campaign) if args.campaign else load_campaign()
    misses: dict[str, list[str]] = defaultdict(list)
    total: Counter = Counter()
    names = list(scores(Counter()))
    print("seed  docs  " + "  ".join(f"{n:>15}" for n in names))
    runs = [("dir", None)] if args.dir else [(str(seed), seed) for seed in _seeds(args.seeds)]
    for name, seed in runs:
        if seed is None:
            registry = load_registry(args.registry) if args.registry else None
            c = evaluate_dir(args.dir[0], args.dir[1], campaign, registry, misses)
        else:
            c = evaluate(seed, args.units, campaign, misses)
        total += c
        s = scores(c)
        print(f"{name:>4}  {c['docs']:>4}  " + "  ".join(f"{s[n]:>15.3f}" for n in names))
    s = scores(total)
    print(f" all  {total['docs']:>4}  " + "  ".join(f"{s[n]:>15.3f}" for n in names))
    for kind in sorted(k for k, items in misses.items() if items):
        items = misses[kind]
        print(f"\n== {kind}: {len(items)}")
        for line in items[: args.misses]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
