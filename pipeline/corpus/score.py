"""How well a ParseResult matches a report's truth (the shared samples' truth JSON format).

Used by the corpus evaluation script (bench/eval_corpus.py) and by the tests that hold the
parser to the held-out report sets. Counts go into a Counter so runs add up; `scores`
turns them into rates; misses are collected per kind, to find what to fix.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from parsers.result import ParseResult


def in_order(truth_ids: list[str], got_ids: list[str]) -> int:
    """How many truth sections are found in the same relative order (longest common run)."""
    sm = SequenceMatcher(a=truth_ids, b=got_ids, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks())


def score_report(truth: dict, res: ParseResult, tag: str,
                 misses: dict[str, list[str]]) -> Counter:
    """Counts for one report: docs, unit, date, sections, statistics rows, facts."""
    c: Counter = Counter(docs=1, sec_truth=len(truth["sections"]),
                         fact_truth=len(truth["indicators"]), row_truth=len(truth["documents"]))
    if not res.ok:
        misses["failed"].append(f"{tag}: {res.error}")
        return c
    if res.unit.id == truth["unit_id"]:
        c["unit"] += 1
    else:
        misses["unit"].append(f"{tag}: want {truth['unit_id']} got {res.unit}")
    if res.report_date == truth["report_date"]:
        c["date"] += 1
    else:
        misses["date"].append(f"{tag}: want {truth['report_date']} got {res.report_date}")
    _score_sections(truth, res, tag, misses, c)
    _score_rows(truth, res, tag, misses, c)
    _score_facts(truth, res, tag, misses, c)
    return c


def _score_sections(truth: dict, res: ParseResult, tag: str, misses: dict[str, list[str]],
                    c: Counter) -> None:
    truth_ids = [s["id"] for s in truth["sections"]]
    got_ids = [s.id for s in res.sections if s.id]
    ts, ps = Counter(truth_ids), Counter(got_ids)
    c["sec_pred"] += sum(ps.values())
    c["sec_match"] += sum((ts & ps).values())
    c["sec_order"] += in_order(truth_ids, got_ids)
    by_id = {s["id"]: s for s in truth["sections"]}
    for sid in ts - ps:
        s = by_id[sid]
        misses["section_missed"].append(
            f"{tag}: {sid} L{s['level']} {s['label_kind']} {s['heading_text'][:90]!r}")
    for sid in ps - ts:
        got = next(s for s in res.sections if s.id == sid)
        misses["section_extra"].append(f"{tag}: {sid} {got.label!r} {got.heading[:90]!r}")
    if in_order(truth_ids, got_ids) < len(truth_ids) and not ts - ps:
        misses["section_order"].append(f"{tag}: want {truth_ids} got {got_ids}")


def _score_rows(truth: dict, res: ParseResult, tag: str, misses: dict[str, list[str]],
                c: Counter) -> None:
    want = Counter((d["so_hieu"], d["ten_van_ban"], d["ngay_ban_hanh"]) for d in truth["documents"])
    got = Counter((d.so_hieu, d.ten_van_ban, d.ngay_ban_hanh) for d in res.documents)
    c["row_pred"] += sum(got.values())
    c["row_match"] += sum((want & got).values())
    misses["row_missed"].extend(f"{tag}: {r}" for r in want - got)
    misses["row_extra"].extend(f"{tag}: {r}" for r in got - want)


def _score_facts(truth: dict, res: ParseResult, tag: str, misses: dict[str, list[str]],
                 c: Counter) -> None:
    facts = truth["indicators"]
    tf = Counter((f["indicator"], f["value"], f["qualifier"]) for f in facts)
    pf = Counter((f.indicator, f.value, f.qualifier) for f in res.indicators)
    tfs = Counter((f["indicator"], f["value"], f["qualifier"], f["section"]) for f in facts)
    pfs = Counter((f.indicator, f.value, f.qualifier, f.section) for f in res.indicators)
    c["fact_pred"] += sum(pf.values())
    c["fact_match"] += sum((tf & pf).values())
    c["fact_sec_match"] += sum((tfs & pfs).values())
    for key in tf - pf:
        f = next(f for f in facts if (f["indicator"], f["value"], f["qualifier"]) == key)
        misses["fact_missed"].append(
            f"{tag}: {key} in {f['section']} {f['location']} written {f['written']!r}")
    for key in pf - tf:
        g = next(f for f in res.indicators if (f.indicator, f.value, f.qualifier) == key)
        misses["fact_extra"].append(f"{tag}: {key} {g.location} {g.sentence[:110]!r}")
    matched = tf & pf
    for key in tfs - pfs:
        if key[:3] in matched:
            got = [f.section for f in res.indicators if (f.indicator, f.value, f.qualifier) == key[:3]]
            misses["fact_wrong_section"].append(f"{tag}: {key} got {got}")


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
