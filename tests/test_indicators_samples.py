"""Indicator facts of the shared sample reports, through the real reading path, vs truth."""

from __future__ import annotations

import importlib
import json
from collections import Counter

import pytest

from pipeline.config import load_campaign
from tests.helpers import on_ci, require_binary, require_samples


def _require_module(name: str) -> None:
    try:
        importlib.import_module(name)
    except ImportError as exc:
        message = f"{name} is not available yet ({exc})"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)


def _parse(path, campaign):
    data = path.read_bytes()
    if path.suffix == ".doc":
        require_binary("soffice", "libreoffice")
        from pipeline.reports import parse_file_bytes

        return parse_file_bytes(data, path.name, campaign)
    if path.suffix == ".pdf":
        _require_module("parsers.pdf")
    from parsers.report import parse_report

    return parse_report(data, path.name, campaign)


def _compare(results):
    tp = fp = fn = placed = total = 0
    for truth, result in results:
        want = Counter((t["indicator"], t["value"], t["qualifier"]) for t in truth)
        got = Counter((f.indicator, f.value, f.qualifier) for f in result.indicators)
        tp += sum((want & got).values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
        want_s = Counter((t["indicator"], t["value"], t["section"], t["location"]) for t in truth)
        got_s = Counter((f.indicator, f.value, f.section, f.location) for f in result.indicators)
        placed += sum((want_s & got_s).values())
        total += len(truth)
    return tp, fp, fn, placed, total


def _samples(suffixes):
    samples = require_samples()
    _require_module("parsers.docx")
    _require_module("parsers.structure")
    campaign = load_campaign()
    out = []
    for path in sorted((samples / "docs").iterdir()):
        if path.suffix not in suffixes:
            continue
        truth = json.loads((samples / "truth" / f"{path.stem}.json").read_text("utf-8"))
        result = _parse(path, campaign)
        assert result.ok, (path.name, result.error)
        out.append((truth["indicators"], result))
    assert out
    return out


def test_docx_samples_precision_recall_and_sections():
    tp, fp, fn, placed, total = _compare(_samples({".docx"}))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95, (precision, tp, fp, fn)
    assert recall >= 0.95, (recall, tp, fp, fn)
    assert placed / total >= 0.95, (placed, total)


@pytest.mark.parametrize("suffix", [".doc", ".pdf"])
def test_doc_and_pdf_samples(suffix):
    tp, fp, fn, placed, total = _compare(_samples({suffix}))
    assert tp / max(1, tp + fp) >= 0.95, (tp, fp, fn)
    assert tp / max(1, tp + fn) >= 0.95, (tp, fp, fn)
