"""parsers.docx.read_docx on the real sample reports and on hand-built OOXML quirks."""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile

import pytest

from parsers.docx import read_docx
from parsers.legacy import encode_tcvn3, encode_vni
from parsers.model import Paragraph, Table
from tests.docx_builder import abstract_num, build_docx, num, numbered, para
from tests.helpers import require_samples


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sample_ids() -> list[str]:
    return [f"d{i:03d}" for i in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13)]


def load(doc_id: str):
    samples = require_samples()
    truth = json.loads((samples / "truth" / f"{doc_id}.json").read_text(encoding="utf-8"))
    data = (samples / "docs" / f"{doc_id}.docx").read_bytes()
    return read_docx(data), truth, data


# ---- real samples -----------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", sample_ids())
def test_sample_headings_and_first_words(doc_id: str) -> None:
    doc, truth, _ = load(doc_id)
    paras = doc.paragraphs()
    full = norm(" ".join(p.text for p in paras))
    for section in truth["sections"]:
        assert section["heading_text"] in full, section["id"]
        if section["label_kind"] == "auto":
            # the auto-number is not in the text but in num_label, as Word displays it
            assert any(
                p.num_label == section["label"] and norm(p.text) == section["heading_text"]
                for p in paras
            ), (section["id"], section["label"])
        if section["first_words"]:
            assert section["first_words"] in full, section["id"]


@pytest.mark.parametrize("doc_id", sample_ids())
def test_sample_indicators_written_are_found(doc_id: str) -> None:
    doc, truth, _ = load(doc_id)
    paras = doc.paragraphs()
    body = norm(" ".join(p.text for p in paras))
    notes = norm(" ".join(f.text for p in paras for f in p.footnotes))
    for fact in truth["indicators"]:
        where = notes if fact["location"] == "footnote" else body
        assert fact["written"] in where, fact


@pytest.mark.parametrize("doc_id", sample_ids())
def test_sample_text_is_nfc(doc_id: str) -> None:
    doc, _, _ = load(doc_id)
    for p in doc.paragraphs():
        assert unicodedata.is_normalized("NFC", p.text)


def test_d003_tcvn3_decoded_to_truth() -> None:
    doc, truth, _ = load("d003")
    texts = [p.text for p in doc.paragraphs()]
    assert "PHẦN THỨ NHẤT. TÌNH HÌNH QUÁN TRIỆT" in texts[8]  # .VnTimeH: decoded then upper
    assert texts[0].startswith("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH PHÚ THỌ")
    assert texts[3].startswith("Số 37-BC/CB")
    assert "Ban Bí thư Trung ương Đảng" in texts[5]  # U+00AD inside TCVN3 is "ư"
    # the Unicode runs of the same file are left alone
    assert any("Căn cứ Kế hoạch số 112-KH/ĐUK" in t for t in texts)
    assert not any(c in "".join(texts) for c in "®¶¬ÖÕ")
    assert truth["sections"][0]["heading_text"] == norm(texts[8])


def test_d004_nfd_normalised() -> None:
    samples = require_samples()
    raw = zipfile.ZipFile(samples / "docs" / "d004.docx").read("word/document.xml").decode()
    assert not unicodedata.is_normalized("NFC", raw)  # the file really is NFD
    doc, truth, _ = load("d004")
    full = norm(" ".join(p.text for p in doc.paragraphs()))
    assert truth["sections"][1]["heading_text"] in full


@pytest.mark.parametrize("doc_id", ["d005", "d006", "d011"])
def test_tracked_changes_accepted(doc_id: str) -> None:
    doc, _, data = load(doc_id)
    raw = zipfile.ZipFile(__import__("io").BytesIO(data)).read("word/document.xml").decode()
    deleted = re.findall(r"<w:del\b.*?</w:del>", raw, flags=re.S)
    assert deleted
    full = " ".join(p.text for p in doc.paragraphs())
    for chunk in deleted:
        # the paragraph around each deletion reads without the deleted text
        for text in re.findall(r"<w:delText[^>]*>([^<]+)<", chunk):
            before = raw[: raw.index(chunk)]
            context = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)<", before[-400:]))[-15:]
            if context.strip():
                assert context + text not in full
    inserted = re.findall(r"<w:ins\b[^>]*>.*?</w:ins>", raw, flags=re.S)
    for chunk in inserted:
        for text in re.findall(r"<w:t(?: [^>]*)?>([^<]+)<", chunk):
            assert text.strip() in full


def test_d002_textbox_read_once_and_flagged() -> None:
    doc, _, _ = load("d002")
    boxed = [b for b in doc.blocks if isinstance(b, Paragraph) and b.in_textbox]
    assert any("ĐẢNG BỘ BỆNH VIỆN SẢN NHI TỈNH PHÚ THỌ" in p.text for p in boxed)
    all_text = [p.text for p in doc.paragraphs()]
    assert sum("BỆNH VIỆN SẢN NHI TỈNH PHÚ THỌ" in t for t in all_text) == 1
    # the text box comes right after the paragraph that anchors it
    first_box = next(i for i, b in enumerate(doc.blocks) if getattr(b, "in_textbox", False))
    assert first_box == 1


@pytest.mark.parametrize("doc_id", ["d002", "d003", "d006"])
def test_footnotes_attached(doc_id: str) -> None:
    doc, truth, _ = load(doc_id)
    notes = [f for p in doc.paragraphs() for f in p.footnotes]
    assert notes
    wanted = [i["written"] for i in truth["indicators"] if i["location"] == "footnote"]
    joined = " ".join(f.text for f in notes)
    for written in wanted:
        assert written in joined
    for f in notes:
        assert f.text and not f.text.startswith(" ")


def test_d003_auto_numbering_labels() -> None:
    doc, _, _ = load("d003")
    labels = [p.num_label for p in doc.paragraphs() if p.num_label]
    assert labels[:4] == ["1.", "2.", "3.", "4."]
    assert "I." in labels and "II." in labels


# ---- hand-built quirks -------------------------------------------------------------------


def read_body(body: str, **parts: str):
    return read_docx(build_docx(body, **parts))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs()]


def test_split_runs_mid_number_join() -> None:
    body = "<w:p><w:r><w:t>Tổ chức trên 4.9</w:t></w:r><w:r><w:t>61 hội nghị</w:t></w:r></w:p>"
    assert texts(read_body(body)) == ["Tổ chức trên 4.961 hội nghị"]


NUMBERING = (
    abstract_num(0, [("upperRoman", "%1.", 1), ("decimal", "%2-", 1), ("lowerLetter", "%3)", 1)])
    + abstract_num(1, [("decimal", "%1.", 5), ("decimal", "%1.%2.", 1)])
    + abstract_num(2, [("bullet", "•", 1)])
    + abstract_num(3, [("decimalZero", "%1.", 1)])
    + num(1, 0)
    + num(2, 0)  # shares abstract 0: continues its counting
    + num(3, 1)
    + num(4, 1, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>')
    + num(5, 2)
    + num(6, 3)
)


def test_numbering_formats_levels_and_restarts() -> None:
    body = "".join(
        [
            numbered("Một", 1, 0),  # I.
            numbered("a", 1, 1),  # 1-
            numbered("b", 1, 1),  # 2-
            numbered("x", 1, 2),  # a)
            numbered("y", 1, 2),  # b)
            numbered("Hai", 2, 0),  # II. (same abstract list)
            numbered("c", 1, 1),  # 1- (restarted under II)
            numbered("start5", 3, 0),  # 5.
            numbered("sub", 3, 1),  # 5.1.
            numbered("start6", 3, 0),  # 6.
            numbered("restart", 4, 0),  # 1. (startOverride)
            numbered("bullet", 5, 0),
            numbered("zero", 6, 0),  # 01.
            numbered("none", 0, 0),  # numId 0: not numbered
        ]
    )
    doc = read_body(body, numbering=NUMBERING)
    got = [(p.text, p.num_label) for p in doc.paragraphs()]
    assert got == [
        ("Một", "I."), ("a", "1-"), ("b", "2-"), ("x", "a)"), ("y", "b)"), ("Hai", "II."),
        ("c", "1-"), ("start5", "5."), ("sub", "5.1."), ("start6", "6."), ("restart", "1."),
        ("bullet", None), ("zero", "01."), ("none", None),
    ]
    bullet = doc.paragraphs()[11]
    assert bullet.is_bullet and bullet.num_label is None
    assert doc.paragraphs()[1].num_level == 1


def test_style_based_numbering_and_outline_levels() -> None:
    styles = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="u1"><w:name w:val="heading 1"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Muc"><w:name w:val="Muc lon"/><w:basedOn w:val="u1"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="Heading 2"/></w:style>'
    )
    numbering = abstract_num(0, [("upperRoman", "%1-", 1)]) + num(1, 0)
    body = (
        para("Tiêu đề", ppr='<w:pStyle w:val="u1"/>')
        + para("Mục một", ppr='<w:pStyle w:val="Muc"/>')
        + para("Mục hai", ppr='<w:pStyle w:val="Muc"/>')
        + para("Cấp hai", ppr='<w:pStyle w:val="Heading2"/>')
        + para("Trực tiếp", ppr='<w:outlineLvl w:val="2"/>')
        + para("Thân bài")
    )
    doc = read_body(body, styles=styles, numbering=numbering)
    ps = doc.paragraphs()
    assert (ps[0].style_name, ps[0].heading_level, ps[0].outline_level, ps[0].bold) == (
        "heading 1", 1, 0, True,
    )
    # outline level and bold inherited through basedOn; numbering from the style
    assert (ps[1].outline_level, ps[1].num_label, ps[1].bold, ps[1].heading_level) == (0, "I-", True, None)
    assert ps[2].num_label == "II-"
    assert (ps[3].heading_level, ps[3].outline_level) == (2, 1)
    assert ps[4].outline_level == 2 and ps[4].style_name == "Normal"
    assert ps[5].outline_level is None and not ps[5].bold


def test_bold_resolution_run_style_and_defaults() -> None:
    styles = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:b/></w:rPr></w:rPrDefault></w:docDefaults>'
        '<w:style w:type="character" w:styleId="Plain"><w:name w:val="Plain"/>'
        '<w:rPr><w:b w:val="0"/></w:rPr></w:style>'
    )
    body = (
        para("đậm mặc định")
        + para("tắt", rpr='<w:b w:val="false"/>')
        + para("kiểu ký tự", rpr='<w:rStyle w:val="Plain"/>')
        + '<w:p><w:r><w:t xml:space="preserve">đậm </w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="Plain"/></w:rPr><w:t>thường</w:t></w:r></w:p>'
    )
    doc = read_body(body, styles=styles)
    assert [p.bold for p in doc.paragraphs()] == [True, False, False, False]


def test_caps_and_alignment() -> None:
    body = (
        para("chữ hoa", ppr='<w:jc w:val="center"/>', rpr="<w:caps/>")
        + para("BÁO CÁO", ppr='<w:jc w:val="both"/>')
        + para("Thường")
    )
    ps = read_body(body).paragraphs()
    assert [(p.caps, p.alignment) for p in ps] == [(True, "center"), (True, "both"), (False, None)]


def test_table_grid_span_and_vmerge() -> None:
    def tc(text: str, tcpr: str = "") -> str:
        return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{para(text)}</w:tc>"

    body = (
        '<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single"/></w:tblBorders></w:tblPr>'
        + "<w:tr>" + tc("Gộp", '<w:gridSpan w:val="2"/>') + tc("C") + "</w:tr>"
        + "<w:tr>" + tc("A1", '<w:vMerge w:val="restart"/>') + tc("B1") + tc("C1") + "</w:tr>"
        + "<w:tr>" + tc("", "<w:vMerge/>") + tc("B2") + tc("C2") + "</w:tr>"
        +
        "</w:tbl>"
        '<w:tbl><w:tblPr><w:tblBorders><w:top w:val="nil"/></w:tblBorders></w:tblPr>'
        + "<w:tr>" + tc("x") + "</w:tr></w:tbl>"
    )
    doc = read_body(body)
    table, plain = doc.blocks
    assert isinstance(table, Table) and not table.borderless and plain.borderless
    assert table.texts() == [["Gộp", "Gộp", "C"], ["A1", "B1", "C1"], ["A1", "B2", "C2"]]
    assert table.rows[0][0].grid_span == 2
    assert table.rows[2][0].merged_from_above and not table.rows[1][0].merged_from_above
    assert table.rows[2][0].paragraphs is table.rows[1][0].paragraphs


def test_fields_sdt_hyperlink_and_breaks() -> None:
    body = (
        "<w:p>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>12</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:fldSimple w:instr=" DATE "><w:r><w:t xml:space="preserve"> 05/7/2022</w:t></w:r></w:fldSimple>'
        '<w:hyperlink r:id="rId9"><w:r><w:t xml:space="preserve"> link</w:t></w:r></w:hyperlink>'
        "<w:r><w:br/><w:t>dòng</w:t><w:tab/><w:t>tab</w:t><w:noBreakHyphen/><w:t>x</w:t>"
        "<w:softHyphen/><w:cr/></w:r>"
        '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="a"/>'
        "</w:p>"
        "<w:sdt><w:sdtPr/><w:sdtContent>" + para("trong sdt") + "</w:sdtContent></w:sdt>"
        "<w:p><w:sdt><w:sdtContent><w:r><w:t>inline sdt</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    )
    assert texts(read_body(body)) == [
        "12 05/7/2022 link\ndòng\ttab-x\n",
        "trong sdt",
        "inline sdt",
    ]


def test_tracked_changes_ins_del_move() -> None:
    body = (
        "<w:p><w:r><w:t xml:space=\"preserve\">Tổ chức </w:t></w:r>"
        '<w:del w:id="1" w:author="a"><w:r><w:delText>12</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>15</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> hội nghị</w:t></w:r>'
        '<w:moveFrom w:id="3" w:author="a"><w:r><w:t> cũ</w:t></w:r></w:moveFrom>'
        '<w:moveTo w:id="4" w:author="a"><w:r><w:t> mới</w:t></w:r></w:moveTo>'
        "</w:p>"
    )
    assert texts(read_body(body)) == ["Tổ chức 15 hội nghị mới"]


def test_mc_alternate_content_textbox_read_once() -> None:
    box = "<w:txbxContent>" + para("Trong hộp") + "</w:txbxContent>"
    body = (
        "<w:p><w:r><w:t>Neo</w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>" + para("Sau")
    )
    doc = read_body(body)
    assert [(p.text, p.in_textbox) for p in doc.paragraphs()] == [
        ("Neo", False), ("Trong hộp", True), ("Sau", False),
    ]


def test_footnote_reference_attaches_note() -> None:
    footnotes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> Gồm 120 buổi tuyên truyền.</w:t></w:r></w:p></w:footnote>'
    )
    body = (
        '<w:p><w:r><w:t>Kết quả</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
        + para("Khác")
    )
    ps = read_body(body, footnotes=footnotes).paragraphs()
    assert [f.text for f in ps[0].footnotes] == ["Gồm 120 buổi tuyên truyền."]
    assert ps[0].text == "Kết quả" and ps[1].footnotes == []


SENTENCE = "Sơ kết 5 năm thực hiện Chỉ thị của Ban Bí thư Trung ương Đảng: tổ chức được 4.961 hội nghị"


def test_tcvn3_mixed_paragraph_and_soft_hyphen() -> None:
    legacy = encode_tcvn3(SENTENCE)
    # Word may keep TCVN3 "ư" (0xAD) as <w:softHyphen/>: split the run there
    head, _, tail = legacy.partition("\xad")
    font = '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
    body = (
        f'<w:p><w:r><w:t xml:space="preserve">Unicode: Đảng ư </w:t></w:r>'
        f'<w:r><w:rPr>{font}</w:rPr><w:t xml:space="preserve">{head}</w:t><w:softHyphen/>'
        f'<w:t xml:space="preserve">{tail}</w:t></w:r>'
        "<w:r><w:softHyphen/><w:t> hết</w:t></w:r></w:p>"
    )
    assert texts(read_body(body)) == ["Unicode: Đảng ư " + SENTENCE + " hết"]


def test_tcvn3_cp1252_view_and_uppercase_font() -> None:
    # bytes 0x80-0x9F may arrive as their cp1252 characters (e.g. 0x9C → "œ" for "Ợ")
    cp = bytes([0x9C]).decode("cp1252")
    upper_font = '<w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/>'
    body = (
        para("phÇn thø hai", rpr=upper_font)
        + para("L" + cp + "I", rpr='<w:rFonts w:ascii=".VnArial"/>')
    )
    assert texts(read_body(body)) == ["PHẦN THỨ HAI", "LỢI"]


def test_tcvn3_font_from_paragraph_style_and_defaults() -> None:
    styles = (
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
        "</w:rPr></w:rPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:styleId="Uni"><w:name w:val="Uni"/>'
        '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/></w:rPr></w:style>'
    )
    body = para(encode_tcvn3("Đảng bộ khối")) + para("Đảng bộ khối", ppr='<w:pStyle w:val="Uni"/>')
    assert texts(read_body(body, styles=styles)) == ["Đảng bộ khối", "Đảng bộ khối"]


def test_vni_runs() -> None:
    font = '<w:rFonts w:ascii="VNI-Times" w:hAnsi="VNI-Times"/>'
    body = para(encode_vni(SENTENCE), rpr=font) + para(encode_vni("ĐẢNG BỘ KHỐI Ỵ ỹ"), rpr=font)
    assert texts(read_body(body)) == [SENTENCE, "ĐẢNG BỘ KHỐI Ỵ ỹ"]


def test_nfd_text_normalised() -> None:
    nfd = unicodedata.normalize("NFD", SENTENCE)
    assert nfd != SENTENCE
    assert texts(read_body(para(nfd))) == [SENTENCE]


def test_nested_table_in_cell_and_borderless_default() -> None:
    inner = f"<w:tbl><w:tr><w:tc>{para('trong')}</w:tc></w:tr></w:tbl>"
    body = f"<w:tbl><w:tr><w:tc>{para('ngoài')}{inner}</w:tc></w:tr></w:tbl>"
    table = read_body(body).blocks[0]
    assert table.texts() == [["ngoài\ntrong"]] and table.borderless


def test_style_bound_numbering_levels() -> None:
    """Multi-level heading lists: the style's numPr has no ilvl; lvl/pStyle picks the level."""
    styles = (
        '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
        '<w:pStyle w:val="H1"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:pStyle w:val="H2"/><w:lvlText w:val="%2."/></w:lvl>'
        "</w:abstractNum>" + num(1, 0)
    )
    body = "".join(
        para(t, ppr=f'<w:pStyle w:val="{s}"/>')
        for s, t in (("H1", "A"), ("H2", "a1"), ("H2", "a2"), ("H1", "B"), ("H2", "b1"))
    )
    doc = read_body(body, styles=styles, numbering=numbering)
    assert [(p.num_label, p.num_level, p.heading_level) for p in doc.paragraphs()] == [
        ("I.", 0, 1), ("1.", 1, 2), ("2.", 1, 2), ("II.", 0, 1), ("1.", 1, 2),
    ]


def test_tracked_deleted_table_row_dropped() -> None:
    body = (
        "<w:tbl>"
        f"<w:tr><w:tc>{para('giữ')}</w:tc></w:tr>"
        '<w:tr><w:trPr><w:del w:id="1" w:author="a"/></w:trPr>'
        f"<w:tc>{para('xoá')}</w:tc></w:tr>"
        "</w:tbl>"
    )
    assert read_body(body).blocks[0].texts() == [["giữ"]]


def test_math_text_kept() -> None:
    body = "<w:p><w:r><w:t xml:space=\"preserve\">Tỷ lệ </w:t></w:r><m:oMath><m:r><m:t>x=2</m:t></m:r></m:oMath></w:p>"
    assert texts(read_body(body)) == ["Tỷ lệ x=2"]
