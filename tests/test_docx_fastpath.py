"""The DOCX reader's speed paths give the same answers as the slow ones.

Parts shared between reports (styles.xml, numbering.xml, rels) are parsed once per distinct
content; members are inflated straight from the package bytes with zipfile as fallback.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.docx import read_docx
from parsers.model import ReadError
from tests.docx_builder import abstract_num, build_docx, build_parts, num, numbered, para

HEADING_STYLES = (
    '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>'
    '<w:rPr><w:b/></w:rPr></w:style>'
)
OTHER_STYLES = (
    '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="Title"/>'
    '<w:rPr><w:i/></w:rPr></w:style>'
)
NUMBERING = abstract_num(0, [("decimal", "%1.", 1)]) + num(1, 0)


def _zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_same_styles_part_name_different_content_not_confused() -> None:
    body = para("Phần một", ppr='<w:pStyle w:val="H1"/>')
    first = read_docx(build_docx(body, styles=HEADING_STYLES)).paragraphs()[0]
    second = read_docx(build_docx(body, styles=OTHER_STYLES)).paragraphs()[0]
    again = read_docx(build_docx(body, styles=HEADING_STYLES)).paragraphs()[0]
    assert (first.style_name, first.heading_level, first.bold, first.italic) == (
        "heading 1", 1, True, False,
    )
    assert (second.style_name, second.heading_level, second.bold, second.italic) == (
        "Title", None, False, True,
    )
    assert again == first


def test_numbering_counters_start_afresh_for_each_document() -> None:
    # two reports from one template: the cached list definitions must not carry counters over
    data = build_docx(numbered("Một", 1) + numbered("Hai", 1), numbering=NUMBERING)
    labels = [[p.num_label for p in read_docx(data).paragraphs()] for _ in range(3)]
    assert labels == [["1.", "2."]] * 3


def test_stored_members_read_like_deflated_ones() -> None:
    files = build_parts(para("Báo cáo số 7"), styles=HEADING_STYLES)
    stored = read_docx(_zip(files, zipfile.ZIP_STORED))
    deflated = read_docx(_zip(files, zipfile.ZIP_DEFLATED))
    assert stored == deflated
    assert stored.paragraphs()[0].text == "Báo cáo số 7"


def test_member_with_bad_crc_is_refused() -> None:
    files = build_parts(para("Số liệu 12345"))
    data = bytearray(_zip(files, zipfile.ZIP_STORED))
    at = data.index(b"12345")
    data[at] = ord("9")  # same size, different bytes: only the CRC tells
    with pytest.raises(ReadError, match="damaged"):
        read_docx(bytes(data))


def test_local_header_name_mismatch_falls_back_to_zipfile_error() -> None:
    files = build_parts(para("x"))
    data = bytearray(_zip(files))
    # rename word/document.xml in its local header only (the first occurrence; the central
    # directory at the end keeps the right name)
    local = data.index(b"word/document.xml")
    data[local : local + 4] = b"WORD"
    with pytest.raises(ReadError, match="damaged"):
        read_docx(bytes(data))


def test_gc_state_restored_after_success_and_failure() -> None:
    import gc

    assert gc.isenabled()
    read_docx(build_docx(para("x")))
    assert gc.isenabled()
    with pytest.raises(ReadError):
        read_docx(b"PK\x03\x04garbage")
    assert gc.isenabled()
    gc.disable()
    try:
        read_docx(build_docx(para("x")))
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
