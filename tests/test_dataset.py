"""The dataset tables, checked against the sample corpus's independent truth."""

from __future__ import annotations

import json

import pandas as pd

from aggregators.dataset import (
    documents_frame,
    facts_frame,
    missing_sections,
    sections_frame,
    sections_wide,
    submissions_frame,
    totals_frame,
    units_by_indicator,
)
from tests.helpers import require_samples
from tests.helpers_digest import sample_records


def test_totals_equal_the_corpus_totals():
    totals_truth = json.loads((require_samples() / "totals.json").read_text(encoding="utf-8"))
    _subs, statuses, campaign, _reg = sample_records()
    totals = totals_frame(facts_frame(statuses, campaign), campaign)
    assert list(totals["indicator"]) == [i.id for i in campaign.indicators]
    for row in totals.itertuples(index=False):
        expected = totals_truth["indicators"][row.indicator]
        assert row.value == expected["total"], row.indicator
        assert row.lower_bound == expected["lower_bound"], row.indicator
        assert row.units_reporting == expected["n_units"], row.indicator


def test_only_the_latest_valid_submission_counts():
    totals_truth = json.loads((require_samples() / "totals.json").read_text(encoding="utf-8"))
    subs, statuses, campaign, _reg = sample_records()
    facts = facts_frame(statuses, campaign)
    # so-tai-chinh sent d011 then the corrected d006: only d006's facts are in the dataset.
    assert any(s.file == "d011.docx" for s in subs)
    assert set(facts.loc[facts.unit_id == "so-tai-chinh", "file"]) == {"d006.docx"}
    assert set(facts["unit_id"]) == set(totals_truth["units_counted"])
    wide = units_by_indicator(facts, statuses, campaign).set_index("unit_id")
    for unit_id, per_indicator in totals_truth["per_unit"].items():
        for indicator, value in per_indicator.items():
            assert wide.loc[unit_id, indicator] == value, (unit_id, indicator)
    # Missing units are rows of zeros, not absent.
    assert wide.loc["hoi-ccb", "hoi_nghi"] == 0
    assert wide.loc["hoi-ccb", "status"] == "missing"


def test_facts_columns_and_types():
    _subs, statuses, campaign, _reg = sample_records()
    facts = facts_frame(statuses, campaign)
    assert list(facts.columns[:11]) == [
        "unit_id", "unit_name", "indicator", "value", "qualifier", "section",
        "file", "message_id", "sentence", "term", "location",
    ]
    assert facts["value"].dtype == "int64"
    assert len(facts) == sum(len(s.submission.result.indicators)
                             for s in statuses if s.submission is not None)


def test_empty_inputs_give_zero_totals_in_campaign_order():
    _subs, _statuses, campaign, _reg = sample_records()
    facts = facts_frame([], campaign)
    assert facts.empty and "indicator" in facts.columns
    totals = totals_frame(facts, campaign)
    assert len(totals) == len(campaign.indicators)
    assert (totals["value"] == 0).all() and (totals["units_reporting"] == 0).all()
    assert not totals["lower_bound"].any()


def test_gan_and_khoang_are_not_lower_bounds():
    _subs, _statuses, campaign, _reg = sample_records()
    facts = pd.DataFrame({
        "unit_id": ["a", "b", "c"], "indicator": ["hoi_nghi"] * 3, "value": [10, 20, 5],
        "qualifier": ["gan", "khoang", None],
    })
    row = totals_frame(facts, campaign).set_index("indicator").loc["hoi_nghi"]
    assert row["value"] == 35 and not row["lower_bound"] and row["units_reporting"] == 3
    facts.loc[2, "qualifier"] = "hon"
    assert totals_frame(facts, campaign).set_index("indicator").loc["hoi_nghi", "lower_bound"]


def test_submissions_sections_documents():
    _subs, statuses, campaign, registry = sample_records()
    status_truth = json.loads((require_samples() / "status.json").read_text(encoding="utf-8"))
    subs = submissions_frame(statuses).set_index("unit_id")
    assert {u: subs.loc[u, "status"] for u in subs.index} == {
        u: t["status"] for u, t in status_truth.items()}
    assert subs.loc["so-tai-chinh", "resubmissions"] == 1
    assert "hỏng" in subs.loc["so-y-te", "errors"]

    sections = sections_frame(statuses, campaign)
    counted = [s for s in statuses if s.submission is not None]
    assert len(sections) == len(counted) * len(campaign.sections)
    truth = json.loads((require_samples() / "truth" / "d001.json").read_text(encoding="utf-8"))
    present = set(sections.loc[(sections.unit_id == "lien-minh-htx") & sections.present, "section"])
    assert {s["id"] for s in truth["sections"]} <= present
    wide = sections_wide(sections, campaign)
    assert list(wide.columns) == [s.id for s in campaign.sections]
    assert len(wide) == len(counted)
    media_only = {u.id: {"P2.I.4"} for u in registry.units if not u.media}
    gaps = missing_sections(sections, media_only)
    assert all("P2.I.4" not in ids for unit, ids in gaps.items() if unit != "hoi-vhnt")

    documents = documents_frame(statuses)
    expected = sum(len(s.submission.result.documents) for s in counted)
    assert len(documents) == expected
    assert list(documents.columns) == ["unit_id", "unit_name", "so_hieu", "ten_van_ban",
                                       "ngay_ban_hanh"]
