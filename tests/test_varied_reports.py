"""`parse_report` on a held-out set of reports written in other ways than the samples.

Computes the outside check's metrics over tests/varied_reports.py and asserts each ≥ 0.95:
files ok; sections found with the right id in the right order (longest common subsequence of
the truth ids and the parsed ids, over truth sections; spurious ids count against precision);
unit and report date per file; statistics-table rows exact; indicator facts (indicator, value,
qualifier) precision and recall; right section for the found facts.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from parsers.report import parse_report
from parsers.result import ParseResult
from parsers.units import registry_from_toml
from tests.helpers_structure import campaign
from tests.varied_reports import REGISTRY_TOML, build_all

THRESHOLD = 0.95


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _key(indicator: str, value: float, qualifier: str | None) -> tuple[str, float, str | None]:
    return indicator, float(value), qualifier


def score(results: list[tuple[ParseResult, dict]]) -> tuple[dict[str, float], list[str]]:
    """The metrics over (parsed, truth) pairs, and one line per miss for the failure message."""
    n_ok = sec_truth = sec_found = sec_parsed = 0
    unit_ok = date_ok = 0
    rows_truth = rows_found = rows_parsed = 0
    facts_truth = facts_parsed = facts_found = facts_section = 0
    misses: list[str] = []
    for res, truth in results:
        name = truth["name"]
        n_ok += res.ok
        want = truth["sections"]
        got = [s.id for s in res.sections if s.id]
        common = _lcs(want, got)
        sec_truth += len(want)
        sec_parsed += len(got)
        sec_found += common
        if common != len(want) or len(got) != len(want):
            misses.append(f"{name} sections: want {want}\n{' ' * 8}got  {got}")
        unit_ok += res.unit.id == truth["unit_id"]
        if res.unit.id != truth["unit_id"]:
            misses.append(f"{name} unit: want {truth['unit_id']} got {res.unit}")
        date_ok += res.report_date == truth["report_date"]
        if res.report_date != truth["report_date"]:
            misses.append(f"{name} date: want {truth['report_date']} got {res.report_date}")
        want_rows = Counter((d["so_hieu"], d["ten_van_ban"], d["ngay_ban_hanh"])
                            for d in truth["documents"])
        got_rows = Counter((d.so_hieu, d.ten_van_ban, d.ngay_ban_hanh) for d in res.documents)
        rows_truth += sum(want_rows.values())
        rows_parsed += sum(got_rows.values())
        rows_found += sum((want_rows & got_rows).values())
        if want_rows != got_rows:
            misses.append(f"{name} documents: missing {list(want_rows - got_rows)} "
                          f"extra {list(got_rows - want_rows)}")
        # Facts: pair by (indicator, value, qualifier), same section first.
        pool = [(_key(f.indicator, f.value, f.qualifier), f.section) for f in res.indicators]
        facts_parsed += len(pool)
        facts_truth += len(truth["indicators"])
        unmatched = []
        pending = []
        for t in truth["indicators"]:
            k = _key(t["indicator"], t["value"], t["qualifier"])
            if (k, t["section"]) in pool:
                pool.remove((k, t["section"]))
                facts_found += 1
                facts_section += 1
            else:
                pending.append((k, t["section"]))
        for k, section in pending:
            hit = next((p for p in pool if p[0] == k), None)
            if hit is None:
                unmatched.append((k, section))
                continue
            pool.remove(hit)
            facts_found += 1
            misses.append(f"{name} fact {k} in {hit[1]}, want section {section}")
        if unmatched:
            misses.append(f"{name} facts missed: {unmatched}")
        if pool:
            misses.append(f"{name} facts spurious: {pool}")
    n = len(results)
    metrics = {
        "files_ok": n_ok / n,
        "sections_recall": sec_found / max(sec_truth, 1),
        "sections_precision": sec_found / max(sec_parsed, 1),
        "unit": unit_ok / n,
        "report_date": date_ok / n,
        "documents_rows_recall": rows_found / max(rows_truth, 1),
        "documents_rows_precision": rows_found / max(rows_parsed, 1),
        "facts_precision": facts_found / max(facts_parsed, 1),
        "facts_recall": facts_found / max(facts_truth, 1),
        "facts_section": facts_section / max(facts_found, 1),
    }
    return metrics, misses


@cache
def _results() -> tuple[tuple[ParseResult, dict], ...]:
    registry = registry_from_toml(REGISTRY_TOML)
    camp = campaign()
    return tuple(
        (parse_report(data, f"{name}.docx", camp, registry), truth)
        for name, data, truth in build_all()
    )


def test_varied_set_is_large_and_varied() -> None:
    results = _results()
    assert len(results) >= 25
    assert len({t["scheme"] for _, t in results}) >= 6
    assert len({t["header"] for _, t in results}) >= 5
    assert sum(len(t["indicators"]) for _, t in results) >= 100


@pytest.mark.parametrize("metric", [
    "files_ok", "sections_recall", "sections_precision", "unit", "report_date",
    "documents_rows_recall", "documents_rows_precision", "facts_precision", "facts_recall",
    "facts_section",
])
def test_varied_metric(metric: str) -> None:
    metrics, misses = score(list(_results()))
    print("\n".join(f"{k:26s} {v:.3f}" for k, v in metrics.items()))
    assert metrics[metric] >= THRESHOLD, "\n".join(misses)
