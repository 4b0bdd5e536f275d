"""Parser accuracy against the generated corpus's truth, over several seeds, with the misses.

    .venv/bin/python bench/eval_corpus.py [--seeds 1-6] [--units 40] [--misses 40]

Scores per seed and overall: unit, date, sections (recall/precision by id, and in-order),
statistics-table rows exact, facts (indicator, value, qualifier) and with the right section.
Misses are listed grouped by kind with the report's quirks, to find what to fix.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.report import parse_report  # noqa: E402
from pipeline.config import load_campaign  # noqa: E402
from pipeline.corpus import generate_corpus  # noqa: E402


def _seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def _in_order(truth_ids: list[str], got_ids: list[str]) -> int:
    """How many truth sections are found in the same relative order (longest common run)."""
    sm = SequenceMatcher(a=truth_ids, b=got_ids, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks())


def evaluate(seed: int, n_units: int, campaign, misses: dict[str, list[str]]) -> Counter:
    corpus = generate_corpus(seed, n_units, campaign)
    c: Counter = Counter()
    for rep in corpus.reports:
        t = rep.truth
        if t.format != "docx":
            continue
        tag = f"s{seed}/{rep.doc_id} [{','.join(sorted(t.quirks))}]"
        res = parse_report(rep.data, rep.doc_id, corpus.campaign, corpus.registry)
        c["docs"] += 1
        c["sec_truth"] += len(t.sections)
        c["fact_truth"] += len(t.indicators)
        c["row_truth"] += len(t.documents)
        if not res.ok:
            misses["failed"].append(f"{tag}: {res.error}")
            continue
        if res.unit.id == t.unit_id:
            c["unit"] += 1
        else:
            misses["unit"].append(f"{tag}: want {t.unit_id} got {res.unit}")
        if res.report_date == t.report_date:
            c["date"] += 1
        else:
            misses["date"].append(f"{tag}: want {t.report_date} got {res.report_date}")
        # Sections: by id, and in order.
        truth_ids = [s["id"] for s in t.sections]
        got_ids = [s.id for s in res.sections if s.id]
        ts, ps = Counter(truth_ids), Counter(got_ids)
        c["sec_pred"] += sum(ps.values())
        c["sec_match"] += sum((ts & ps).values())
        c["sec_order"] += _in_order(truth_ids, got_ids)
        by_id = {s["id"]: s for s in t.sections}
        for sid in (ts - ps):
            s = by_id[sid]
            misses["section_missed"].append(f"{tag}: {sid} L{s['level']} "
                                            f"{s['label_kind']} {s['heading_text'][:90]!r}")
        for sid in (ps - ts):
            got = next(s for s in res.sections if s.id == sid)
            misses["section_extra"].append(f"{tag}: {sid} {got.label!r} {got.heading[:90]!r}")
        for s in res.sections:
            if s.heading.rstrip().endswith(":"):
                misses["heading_colon"].append(f"{tag}: {s.heading[:60]!r}")
        # Statistics table rows, exact.
        want_rows = Counter((d["so_hieu"], d["ten_van_ban"], d["ngay_ban_hanh"])
                            for d in t.documents)
        got_rows = Counter((d.so_hieu, d.ten_van_ban, d.ngay_ban_hanh) for d in res.documents)
        c["row_pred"] += sum(got_rows.values())
        c["row_match"] += sum((want_rows & got_rows).values())
        for r in want_rows - got_rows:
            misses["row_missed"].append(f"{tag}: {r}")
        for r in got_rows - want_rows:
            misses["row_extra"].append(f"{tag}: {r}")
        # Facts: (indicator, value, qualifier), then also with the section.
        tf = Counter((f["indicator"], f["value"], f["qualifier"]) for f in t.indicators)
        pf = Counter((f.indicator, f.value, f.qualifier) for f in res.indicators)
        tfs = Counter((f["indicator"], f["value"], f["qualifier"], f["section"])
                      for f in t.indicators)
        pfs = Counter((f.indicator, f.value, f.qualifier, f.section) for f in res.indicators)
        c["fact_pred"] += sum(pf.values())
        c["fact_match"] += sum((tf & pf).values())
        c["fact_sec_match"] += sum((tfs & pfs).values())
        for key in tf - pf:
            f = next(f for f in t.indicators
                     if (f["indicator"], f["value"], f["qualifier"]) == key)
            misses["fact_missed"].append(f"{tag}: {key} in {f['section']} "
                                         f"{f['location']} written {f['written']!r}")
        for key in pf - tf:
            f = next(f for f in res.indicators if (f.indicator, f.value, f.qualifier) == key)
            misses["fact_extra"].append(f"{tag}: {key} {f.location} {f.sentence[:110]!r}")
        matched = tf & pf
        for key in (tfs - pfs):
            if key[:3] in matched:
                got = [f.section for f in res.indicators
                       if (f.indicator, f.value, f.qualifier) == key[:3]]
                misses["fact_wrong_section"].append(f"{tag}: {key} got {got}")
    return c


def scores(c: Counter) -> dict[str, float]:
    d = max(1, c["docs"])
    return {
        "unit": c["unit"] / d,
        "date": c["date"] / d,
        "sec_recall": c["sec_match"] / max(1, c["sec_truth"]),
        "sec_precision": c["sec_match"] / max(1, c["sec_pred"]),
        "sec_in_order": c["sec_order"] / max(1, c["sec_truth"]),
        "rows_recall": c["row_match"] / max(1, c["row_truth"]),
        "rows_precision": c["row_match"] / max(1, c["row_pred"]),
        "facts_recall": c["fact_match"] / max(1, c["fact_truth"]),
        "facts_precision": c["fact_match"] / max(1, c["fact_pred"]),
        "facts_section": c["fact_sec_match"] / max(1, c["fact_match"]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="1-6")
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--misses", type=int, default=40, help="misses shown per kind")
    args = ap.parse_args(argv)
    campaign = load_campaign()
    misses: dict[str, list[str]] = defaultdict(list)
    total: Counter = Counter()
    names = list(scores(Counter()))
    print("seed  docs  " + "  ".join(f"{n:>15}" for n in names))
    for seed in _seeds(args.seeds):
        c = evaluate(seed, args.units, campaign, misses)
        total += c
        s = scores(c)
        print(f"{seed:>4}  {c['docs']:>4}  " + "  ".join(f"{s[n]:>15.3f}" for n in names))
    s = scores(total)
    print(f" all  {total['docs']:>4}  " + "  ".join(f"{s[n]:>15.3f}" for n in names))
    for kind in sorted(misses):
        items = misses[kind]
        print(f"\n== {kind}: {len(items)}")
        for line in items[: args.misses]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
