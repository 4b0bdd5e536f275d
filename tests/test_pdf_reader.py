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
    full = norm(" ".join(p.text for p in doc.paragraphs()))
    for section in truth["sections"]:
        assert section["heading_text"] in full, section["id"]
        assert section["first_words"] in full, section["id"]


def test_typed_headings_are_bold_paragraphs_of_their_own(d007) -> None:
    doc, truth = d007
    texts = [(norm(p.text), p.bold) for p in doc.paragraphs()]
    for section in truth["sections"]:
        if section["level"] == 1:  # "Phần I" + title: a two-paragraph part heading
            assert (section["label"], True) in texts
            continue
        assert (section["heading_text"], True) in texts, section["heading_text"]


def test_body_paragraphs_are_joined_and_not_bold(d007) -> None:
    doc, _ = d007
    para = next(p for p in doc.paragraphs() if p.text.startswith("- Ngay sau khi có Chỉ thị"))
    assert "07-CT/TW vào Nghị quyết lãnh đạo hằng năm" in para.text  # wrapped line joined
    assert not para.bold
    title = next(p for p in doc.paragraphs() if p.text == "BÁO CÁO")
    assert title.bold and title.alignment == "center"


def test_footnote_attached_to_reference_paragraph(d007) -> None:
    doc, truth = d007
    carriers = [p for p in doc.paragraphs() if p.footnotes]
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
    full = norm(" ".join(p.text for p in doc.paragraphs()))
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


# --- small reports built here: DOCX → PDF with LibreOffice, then read back ------------------

_LONG = ("Trong giai đoạn 2016 - 2021, cấp ủy đã ban hành 25 văn bản lãnh đạo, chỉ đạo liên quan "
         "đến công tác thông tin cơ sở, đồng thời tổ chức quán triệt đến toàn thể cán bộ, đảng "
         "viên trong cơ quan và các tổ chức đoàn thể trực thuộc.")
_HEADING = ("1. Công tác lãnh đạo, chỉ đạo quán triệt và tổ chức triển khai thực hiện của cấp ủy, "
            "lãnh đạo cơ quan, đơn vị và các tổ chức đoàn thể")
_BORDERS = ('<w:tblBorders>' + "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + '</w:tblBorders>')
_NO_BORDERS = ('<w:tblBorders>' + "".join(
    f'<w:{side} w:val="nil"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + '</w:tblBorders>')


def _cell(texts: list[str], width: int, tcpr: str = "", rpr: str = "") -> str:
    from tests.docx_builder import para

    body = "".join(para(t, ppr='<w:jc w:val="center"/>', rpr=rpr) for t in texts)
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{tcpr}</w:tcPr>{body}</w:tc>'


def _table(rows: list[str], widths: list[int], borders: str) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>{borders}</w:tblPr>'
            f'<w:tblGrid>{grid}</w:tblGrid>' + "".join(f"<w:tr>{r}</w:tr>" for r in rows)
            + '</w:tbl>')


def _report_docx() -> bytes:
    from tests.docx_builder import build_docx, para

    bold, centre, justify = "<w:b/>", '<w:jc w:val="center"/>', '<w:jc w:val="both"/>'
    header = _table([
        _cell(["ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"], 4500)
        + _cell(["ĐẢNG CỘNG SẢN VIỆT NAM"], 4500, rpr=bold),
        _cell(["CHI BỘ SỞ TƯ PHÁP", "*", "Số 12-BC/CB"], 4500)
        + _cell(["Việt Trì, ngày 15 tháng 7 năm 2022"], 4500, rpr="<w:i/>"),
    ], [4500, 4500], _NO_BORDERS)
    stats = _table([
        _cell(["STT"], 900, rpr=bold) + _cell(["Số hiệu"], 1800, rpr=bold)
        + _cell(["Tên văn bản"], 4500, rpr=bold) + _cell(["Ngày ban hành"], 1800, rpr=bold),
        _cell(["1"], 900) + _cell(["05-KH/CB"], 1800)
        + _cell(["Kế hoạch triển khai thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư"], 4500)
        + _cell(["10/3/2017"], 1800, tcpr='<w:vMerge w:val="restart"/>'),
        _cell(["2"], 900) + _cell(["12-NQ/CB"], 1800)
        + _cell(["Nghị quyết lãnh đạo thực hiện nhiệm vụ chính trị"], 4500)
        + _cell([""], 1800, tcpr="<w:vMerge/>"),
    ], [900, 1800, 4500, 1800], _BORDERS)
    tracked = ('<w:p><w:pPr><w:ind w:firstLine="567"/></w:pPr><w:r><w:t xml:space="preserve">'
               'Cơ quan đã treo </w:t></w:r><w:del w:id="1" w:author="A" w:date="2022-01-01T00:00:00Z">'
               '<w:r><w:delText>116</w:delText></w:r></w:del><w:ins w:id="2" w:author="A" '
               'w:date="2022-01-01T00:00:00Z"><w:r><w:t>105</w:t></w:r></w:ins><w:r>'
               '<w:t xml:space="preserve"> băng rôn, khẩu hiệu.</w:t></w:r></w:p>')
    noted = ('<w:p><w:pPr><w:ind w:firstLine="567"/></w:pPr><w:r><w:t xml:space="preserve">'
             'Các hình thức tuyên truyền được duy trì thường xuyên</w:t></w:r><w:r><w:rPr>'
             '<w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
             '<w:r><w:t>.</w:t></w:r></w:p>')
    small = '<w:sz w:val="20"/>'
    footnotes = ('<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
                 f'{small}</w:rPr><w:footnoteRef/></w:r><w:r><w:rPr>{small}</w:rPr>'
                 '<w:t xml:space="preserve"> Treo 45 pa nô, áp phích.</w:t></w:r></w:p></w:footnote>')
    tcvn3 = para("Tæ chøc 12 héi nghÞ qu¸n triÖt cho c¸n bé, ®¶ng viªn.",
                 ppr='<w:ind w:firstLine="567"/>', rpr='<w:rFonts w:ascii=".VnTime" '
                 'w:hAnsi=".VnTime"/>')
    body = (header
            + para("BÁO CÁO", ppr=centre, rpr=bold + '<w:sz w:val="30"/>')
            + para("Sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW", ppr=centre, rpr=bold)
            + para("PHẦN THỨ NHẤT", ppr=centre, rpr=bold)
            + para("TÌNH HÌNH QUÁN TRIỆT VÀ TỔ CHỨC TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 07-CT/TW "
                   "CỦA CẤP ỦY ĐẢNG, LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ", ppr=centre, rpr=bold)
            + para(_HEADING, ppr=justify, rpr=bold)
            + para(_LONG, ppr=justify + '<w:ind w:firstLine="567"/>')
            + tracked + noted + tcvn3
            + para("BIỂU THỐNG KÊ", ppr=centre, rpr=bold) + stats
            + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" '
              'w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>')
    return build_docx(body, footnotes=footnotes)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import subprocess

    from tests.helpers import require_binary

    soffice = require_binary("soffice", "libreoffice")
    tmp = tmp_path_factory.mktemp("pdf")
    (tmp / "report.docx").write_bytes(_report_docx())
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(tmp / "report.docx")],
                   check=True, capture_output=True, timeout=240)
    return read_pdf((tmp / "report.pdf").read_bytes())


def _tables(doc):
    from parsers.model import Table

    return [b for b in doc.blocks if isinstance(b, Table)]


@pytest.mark.soffice
def test_borderless_header_is_a_two_column_table(built) -> None:
    header = _tables(built)[0]
    assert header.borderless and built.blocks[0] is header
    left, right = (norm(c.text) for c in header.rows[0])
    assert "CHI BỘ SỞ TƯ PHÁP" in left and "Số 12-BC/CB" in left
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in right and "ngày 15 tháng 7 năm 2022" in right
    assert "VIỆT NAM" not in left and "TƯ PHÁP" not in right


@pytest.mark.soffice
def test_ruled_table_keeps_rows_cells_and_vertical_merges(built) -> None:
    stats = _tables(built)[-1]
    assert not stats.borderless
    texts = [[norm(t) for t in row] for row in stats.texts()]
    assert texts[0] == ["STT", "Số hiệu", "Tên văn bản", "Ngày ban hành"]
    assert texts[1][:2] == ["1", "05-KH/CB"] and texts[1][3] == "10/3/2017"
    assert stats.rows[2][3].merged_from_above and texts[2][1] == "12-NQ/CB"
    assert not any(isinstance(b, str) for b in built.blocks)


@pytest.mark.soffice
def test_wrapped_lines_join_and_headings_stay_whole(built) -> None:
    paras = [(norm(p.text), p) for p in built.blocks if not hasattr(p, "rows")]
    heading = next(p for t, p in paras if t == _HEADING)
    assert heading.bold and not heading.alignment
    body = next(p for t, p in paras if t == _LONG)
    assert not body.bold
    part = [p for t, p in paras if t.startswith(("PHẦN THỨ NHẤT", "TÌNH HÌNH QUÁN TRIỆT"))]
    assert all(p.bold and p.alignment == "center" for p in part)
    assert any(t.endswith("LÃNH ĐẠO CƠ QUAN, ĐƠN VỊ") for t, _ in paras)  # one paragraph


@pytest.mark.soffice
def test_tracked_deletion_shown_struck_is_dropped(built) -> None:
    full = norm(" ".join(p.text for p in built.paragraphs()))
    assert "treo 105 băng rôn" in full and "116" not in full


@pytest.mark.soffice
def test_footnote_attached_and_mark_removed(built) -> None:
    carrier = next(p for p in built.paragraphs() if p.footnotes)
    assert carrier.text.startswith("Các hình thức tuyên truyền")
    assert "Treo 45 pa nô" in carrier.footnotes[0].text
    assert not re.search(r"thường xuyên\s*1", carrier.text)


@pytest.mark.soffice
def test_legacy_text_without_its_font_is_decoded(built) -> None:
    full = norm(" ".join(p.text for p in built.paragraphs()))
    assert "Tổ chức 12 hội nghị quán triệt cho cán bộ, đảng viên." in full


def test_legacy_guess_leaves_unicode_alone() -> None:
    from parsers.pdf import encoding

    assert encoding.guess("Tổ chức 12 hội nghị") is None
    assert encoding.guess("ViÖt Tr×, ngµy 29 th¸ng 6 n¨m 2022") == "tcvn3"
    assert encoding.guess("Vieät Trì, ngaøy 21 thaùng 7 naêm 2022") == "vni"
    assert encoding.decode("chi ñy trêng chÝnh trÞ", "tcvn3", bold=True) == \
        "CHI ỦY TRƯỜNG CHÍNH TRỊ"  # a .VnTimeH line; the lost "ư" is put back


def _line(text: str, top: float, page: int):
    from parsers.pdf.lines import Line

    return Line(glyphs=[], text=text, x0=85, x1=300, top=top, base=top + 12, size=12,
                bold=False, italic=False, first_word=20, legacy=False, page=page)


def test_running_header_and_page_numbers_dropped() -> None:
    from parsers.pdf.notes import drop_page_numbers, drop_running_lines

    pages = [[_line("Báo cáo sơ kết Chỉ thị 07", 30, i), _line(f"Nội dung trang {i}", 400, i),
              _line(f"- {i + 1} -", 800, i)] for i in range(3)]
    kept = drop_running_lines(pages, [842.0] * 3)
    kept = [drop_page_numbers(lines, 842.0) for lines in kept]
    assert [[x.text for x in lines] for lines in kept] == [
        ["Nội dung trang 0"], ["Nội dung trang 1"], ["Nội dung trang 2"]]
