"""parsers.pdf.read_pdf on the sample PDF report and on broken or protected PDFs."""

from __future__ import annotations

import io
import json
import re

import pypdf
import pytest

from parsers.model import ReadError
from parsers.pdf import read_pdf
from tests.helpers import require_samples


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def d007():
    samples = require_samples()
    truth = json.loads((samples / "truth" / "d007.json").read_text(encoding="utf-8"))
    return read_pdf((samples / "docs" / "d007.pdf").read_bytes()), truth


def test_sections_and_first_words_findable(d007) -> None:
    doc, truth = d007
    assert doc.source_format == "pdf"
    full = norm(" ".join(p.text for p in doc.blocks))
    for section in truth["sections"]:
        assert section["heading_text"] in full, section["id"]
        assert section["first_words"] in full, section["id"]


def test_typed_headings_are_bold_paragraphs_of_their_own(d007) -> None:
    doc, truth = d007
    texts = [(norm(p.text), p.bold) for p in doc.blocks]
    for section in truth["sections"]:
        if section["level"] == 1:  # "Phần I" + title: a two-paragraph part heading
            assert (section["label"], True) in texts
            continue
        assert (section["heading_text"], True) in texts, section["heading_text"]


def test_body_paragraphs_are_joined_and_not_bold(d007) -> None:
    doc, _ = d007
    para = next(p for p in doc.blocks if p.text.startswith("- Ngay sau khi có Chỉ thị"))
    assert "07-CT/TW vào Nghị quyết lãnh đạo hằng năm" in para.text  # wrapped line joined
    assert not para.bold
    title = next(p for p in doc.blocks if p.text == "BÁO CÁO")
    assert title.bold and title.alignment == "center"


def test_footnote_attached_to_reference_paragraph(d007) -> None:
    doc, truth = d007
    carriers = [p for p in doc.blocks if p.footnotes]
    assert len(carriers) == 1
    para = carriers[0]
    assert para.text.startswith("- Chi bộ đã chỉ đạo tổ chức quán triệt")
    assert not para.text.endswith("1")  # the superscript mark is not body text
    note_text = para.footnotes[0].text
    for fact in truth["indicators"]:
        if fact["location"] == "footnote":
            assert fact["written"] in note_text
    assert any("footnote" in w for w in doc.warnings)


def test_indicators_written_in_body_are_found(d007) -> None:
    doc, truth = d007
    full = norm(" ".join(p.text for p in doc.blocks))
    for fact in truth["indicators"]:
        if fact["location"] == "body":
            assert fact["written"] in full, fact


def _blank_pdf(password: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(ReadError, match="password"):
        read_pdf(_blank_pdf("secret"))


def test_pdf_without_text_layer_is_refused() -> None:
    with pytest.raises(ReadError, match="no text"):
        read_pdf(_blank_pdf())


@pytest.mark.parametrize("data", [b"%PDF-1.4\n garbage", b"%PDF-", b"not a pdf at all"])
def test_damaged_pdf_is_read_error(data: bytes) -> None:
    with pytest.raises(ReadError):
        read_pdf(data)


def test_truncated_sample_is_read_error_or_partial() -> None:
    samples = require_samples()
    data = (samples / "docs" / "d007.pdf").read_bytes()
    try:
        doc = read_pdf(data[: len(data) // 3])
    except ReadError as exc:
        assert str(exc)
    else:
        assert doc.source_format == "pdf"
