"""Structure, header and statistics table on the real sample reports against their truth."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

from parsers.doctable import read_documents_table
from parsers.docx import read_docx
from parsers.header import read_header
from parsers.model import Document
from parsers.structure import structure_document
from parsers.units import registry_from_toml
from tests.helpers import require_binary, require_samples
from tests.helpers_structure import campaign

DOCX_IDS = [f"d{i:03d}" for i in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13)]
_BULLET = re.compile(r"^[-+•]\s*")


@cache
def _registry():
    return registry_from_toml((require_samples() / "units.toml").read_text("utf-8"))


def _load(doc_id: str) -> tuple[Document, dict]:
    samples = require_samples()
    truth = json.loads((samples / "truth" / f"{doc_id}.json").read_text("utf-8"))
    path = samples / "docs" / f"{doc_id}.docx"
    if not path.exists():
        require_binary("soffice", "libreoffice")
        from pipeline.convert import to_docx

        data = to_docx((samples / "docs" / f"{doc_id}.doc").read_bytes(), ".doc")
    else:
        data = path.read_bytes()
    return read_docx(data), truth


def _check(doc: Document, truth: dict) -> None:
    camp = campaign()
    structure = structure_document(doc, camp)
    got = [s for s in structure.sections if s.id]
    assert [s.id for s in got] == [t["id"] for t in truth["sections"]]
    for section, want in zip(got, truth["sections"], strict=True):
        assert section.heading == want["title"], want["id"]
        assert section.label == want["label"], want["id"]
        assert section.level == want["level"], want["id"]
        first = section.text.split("\n")[0] if section.text else ""
        assert " ".join(_BULLET.sub("", first).split()[:8]) == want["first_words"], want["id"]
    extra = [s.heading for s in structure.sections if s.id is None]
    assert extra == truth.get("extra_headings", [])
    # every indicator figure of the truth sits in a segment of its section and location
    for fact in truth["indicators"]:
        assert any(
            seg.section == fact["section"] and seg.location == fact["location"]
            and fact["written"] in seg.text
            for seg in structure.segments
        ), fact

    header = read_header(doc, _registry())
    assert header.unit.id == truth["unit_id"]
    assert header.unit.source == "header"
    assert header.report_date == truth["report_date"]

    rows, _ = read_documents_table(doc, camp)
    assert [(r.so_hieu, r.ten_van_ban, r.ngay_ban_hanh) for r in rows] == [
        (d["so_hieu"], d["ten_van_ban"], d["ngay_ban_hanh"]) for d in truth.get("documents", [])
    ]


@pytest.mark.parametrize("doc_id", DOCX_IDS)
def test_sample_docx(doc_id: str) -> None:
    doc, truth = _load(doc_id)
    _check(doc, truth)


def test_sample_legacy_doc_via_libreoffice() -> None:
    doc, truth = _load("d008")
    _check(doc, truth)


def test_samples_without_registry_name_the_unit() -> None:
    doc, truth = _load("d010")
    header = read_header(doc, None)
    assert header.unit.id is None
    assert header.unit.name and "SỞ Y TẾ" in header.unit.name


def test_sample_pdf() -> None:
    from parsers.pdf import read_pdf

    samples = require_samples()
    truth = json.loads((samples / "truth" / "d007.json").read_text("utf-8"))
    _check(read_pdf((samples / "docs" / "d007.pdf").read_bytes()), truth)
