"""The consolidated draft: statements, figures, headings, layout, appendices, PDF."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from rapidfuzz import fuzz

from aggregators.draft import build_draft
from aggregators.records import Submission, UnitStatus
from aggregators.statements import (
    MAX_CLUSTERED,
    candidates,
    fold,
    select_statements,
    split_sentences,
    strip_subject,
)
from aggregators.vnformat import format_quantity
from parsers.result import ParseResult, Section, UnitRef
from pipeline.draft_docx import load_phrases, write_docx
from tests.draft_fixtures import SHARED_SENTENCE, load
from tests.helpers import REPO, require_binary, require_samples

# --- statements ------------------------------------------------------------------------------


def _status(unit_id: str, name: str, texts: dict[str, str]) -> UnitStatus:
    result = ParseResult(
        file=f"{unit_id}.docx", unit=UnitRef(unit_id, name, "header"),
        sections=[Section(id=k, heading=k, label="1", level=2, confidence=1.0, text=v)
                  for k, v in texts.items()],
    )
    sub = Submission(id=1, unit_id=unit_id, unit_source="header", message_id=f"<{unit_id}@x>",
                     sender="a@b", subject="", received_at=datetime(2022, 7, 1, tzinfo=UTC),
                     file=f"{unit_id}.docx", sha256=None, ok=True, result=result)
    return UnitStatus(id=unit_id, name=name, status="on_time", submitted_at=sub.received_at,
                      message_id=sub.message_id, file=sub.file, resubmissions=0, errors=[],
                      submission=sub)


def test_split_sentences_drops_bullets_and_splits_at_sentence_ends():
    text = "- Chi bộ đã ban hành Kế hoạch số 05-KH/CB ngày 05/9/2016. Đồng thời tổ chức quán triệt.\n+ Thứ hai, tăng cường kiểm tra."
    assert split_sentences(text) == [
        "Chi bộ đã ban hành Kế hoạch số 05-KH/CB ngày 05/9/2016.",
        "Đồng thời tổ chức quán triệt.",
        "Thứ hai, tăng cường kiểm tra.",
    ]


def test_fold_ignores_accents_spelling_figures_and_own_name():
    a = fold("Chi uỷ Sở Tư pháp đã tổ chức 5 hội nghị", ("Chi uỷ Sở Tư pháp",))
    b = fold("Đảng ủy Sở Y tế đã tổ chức 40 hội nghị", ("Đảng ủy Sở Y tế",))
    assert a == b == "donvi da to chuc 0 hoi nghi"


def test_strip_subject_removes_the_unit_as_subject_only():
    names = ("Chi bộ Sở Tư pháp", "Sở Tư pháp")
    heads = ("Chi bộ", "Đảng uỷ")
    assert strip_subject("Chi bộ Sở Tư pháp đã ban hành kế hoạch", names, heads) == "đã ban hành kế hoạch"
    assert strip_subject("Đảng ủy Sở Tư pháp luôn quan tâm", names, heads) == "luôn quan tâm"
    assert strip_subject("Chi bộ và lãnh đạo cơ quan đã phối hợp", names, heads) is None
    assert strip_subject("Kinh phí còn hạn hẹp", names, heads) is None


def test_a_dozen_units_writing_the_same_sentence_become_one_statement():
    variants = ["còn hạn hẹp", "còn hạn chế", "còn rất hạn hẹp"]
    statuses = [
        _status(f"u{k}", f"Chi bộ Đơn vị {k}", {"S": (
            f"Chi bộ Đơn vị {k} nhận thấy kinh phí dành cho công tác thông tin cơ sở "
            f"{variants[k % 3]}, trang thiết bị chưa được đầu tư đồng bộ.")})
        for k in range(12)
    ]
    statuses.append(_status("x", "Chi bộ Sở Tư pháp", {"S": (
        "Chi bộ đã phối hợp với Hội Luật gia tỉnh biên soạn bộ câu hỏi pháp luật phục vụ "
        "tuyên truyền tại các thôn, khu dân cư. Một số đảng viên lớn tuổi chưa sử dụng thành "
        "thạo điện thoại thông minh để tiếp nhận thông tin.")}))
    names = {s.id: (s.name,) for s in statuses}
    cands = candidates(statuses, "S", names=names)
    assert len(cands) == 14
    chosen = select_statements(cands, limit=6)
    assert len(chosen) == 3
    assert len(chosen[0].unit_names) == 12  # the shared sentence leads, as one statement
    assert {s.unit_names[0] for s in chosen[1:]} == {"Chi bộ Sở Tư pháp"}
    for i, a in enumerate(chosen):
        for b in chosen[i + 1:]:
            assert fuzz.ratio(a.sources[0].folded, b.sources[0].folded) < 70


def test_select_statements_caps_the_count_and_spreads_over_units():
    texts = [
        "Đảng uỷ đã chỉ đạo xây dựng chuyên mục hỏi đáp pháp luật trên cổng thông tin điện tử.",
        "Hằng tháng, chi bộ tổ chức sinh hoạt chuyên đề về tình hình thời sự trong nước.",
        "Cơ quan lắp đặt hệ thống loa truyền thanh nội bộ tại các phòng, ban chuyên môn.",
        "Đoàn thanh niên thành lập đội hình tình nguyện tuyên truyền về chuyển đổi số.",
        "Công đoàn phối hợp tổ chức cuộc thi tìm hiểu lịch sử Đảng bộ tỉnh Phú Thọ.",
        "Bộ phận văn phòng cập nhật bảng tin điện tử tại sảnh chính mỗi tuần một lần.",
        "Thư viện cơ quan bổ sung tủ sách pháp luật với nhiều đầu sách mới về chuyển đổi số.",
    ]
    statuses = [_status("a", "Chi bộ A", {"S": " ".join(texts)}), _status("b", "Chi bộ B", {"S": texts[0]})]
    chosen = select_statements(candidates(statuses, "S"), limit=4)
    assert len(chosen) == 4
    assert len({c.folded for st in chosen for c in st.sources[:1]}) == 4


def test_very_many_sentences_are_clustered_on_a_sample_and_keep_all_their_sources():
    # Past MAX_CLUSTERED sentences the pairwise clustering runs on a spread sample; the
    # statement it picks must still name every unit that wrote the shared sentence.
    shared = ("Chi bộ Đơn vị {k} đã tổ chức quán triệt Chỉ thị số 07-CT/TW đến toàn thể "
              "cán bộ, đảng viên và người lao động trong cơ quan.")
    own = ("Đơn vị {k} lắp đặt bảng tin điện tử số {k} tại sảnh chính, cập nhật {w} "
           "mỗi tuần.")
    words = ["tin thời sự", "văn bản mới", "gương người tốt", "lịch công tác", "thông báo"]
    n = MAX_CLUSTERED + 500
    statuses = [
        _status(f"u{k}", f"Chi bộ Đơn vị {k}",
                {"S": shared.format(k=k) + " " + own.format(k=k, w=words[k % 5])})
        for k in range(n)
    ]
    cands = candidates(statuses, "S", names={s.id: (s.name,) for s in statuses})
    assert len(cands) > MAX_CLUSTERED
    chosen = select_statements(cands, limit=3)
    assert 1 <= len(chosen) <= 3
    assert "quán triệt Chỉ thị số 07-CT/TW" in chosen[0].text
    assert len(set(chosen[0].unit_names)) == n  # gathered from all, not just the sample
    every = [id(c) for st in chosen for c in st.sources]
    assert len(every) == len(set(every))  # no sentence counted under two statements


# --- the whole draft on the sample truth -------------------------------------------------------


@pytest.fixture(scope="module")
def sample_draft(tmp_path_factory):
    samples = require_samples()
    statuses, registry, campaign = load(samples)
    draft = build_draft(statuses, campaign, registry, load_phrases())
    path = write_docx(draft, tmp_path_factory.mktemp("draft") / "draft.docx")
    return samples, statuses, campaign, draft, path


def _body_paragraphs(document) -> list:
    """Paragraphs of the report body: after the header table, up to the first appendix."""
    out = []
    for p in document.paragraphs:
        if p.text.strip().startswith("Phụ lục"):
            break
        out.append(p)
    return out


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_headings_follow_the_outline_with_real_heading_styles(sample_draft):
    _, _, campaign, _, path = sample_draft
    document = docx.Document(str(path))
    headings = [(p.style.name, _norm(p.text)) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    expected = [
        (f"Heading {s.level}", f"{s.label} {s.title}" if s.level == 1 else f"{s.label}. {s.title}")
        for s in campaign.sections
    ]
    assert headings == expected
    h1 = document.styles["Heading 1"]
    assert h1.font.name == "Times New Roman" and str(h1.font.color.rgb) == "000000"
    fonts = h1.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None


def test_every_total_appears_exactly_as_the_sample_totals_say(sample_draft):
    samples, _, _, _, path = sample_draft
    totals = json.loads((samples / "totals.json").read_text(encoding="utf-8"))["indicators"]
    document = docx.Document(str(path))
    body = _norm(" ".join(p.text for p in _body_paragraphs(document)))
    cells = [_norm(c.text) for t in document.tables for row in t.rows for c in row.cells]
    for indicator, truth in totals.items():
        if truth["n_units"] == 0:
            continue
        money = indicator == "kinh_phi"
        written = format_quantity(truth["total"], truth["lower_bound"], money=money)
        assert re.search(rf"(?<![\d.,]){re.escape(written)}(?![\d]|,\d)", body), (indicator, written)
        assert any(written in c for c in cells), indicator
    assert "2,636 tỷ đồng" in body and "2.636.000.000 đồng" in body
    assert "trên 6.557" in body and "172 hội nghị" in body


def test_figures_and_quotes_carry_comments_with_their_sources(sample_draft):
    _, statuses, _, draft, path = sample_draft
    document = docx.Document(str(path))
    comments = {c.comment_id: c.text for c in document.comments}
    # The comment anchored on the run "172" lists the twelve units and their figures.
    anchored = {}
    for p in _body_paragraphs(document):
        open_ids: list[str] = []
        for child in p._p.iterchildren():
            if child.tag == qn("w:commentRangeStart"):
                open_ids.append(child.get(qn("w:id")))
            elif child.tag == qn("w:commentRangeEnd"):
                open_ids.remove(child.get(qn("w:id")))
            elif child.tag == qn("w:r") and open_ids:
                text = "".join(t.text or "" for t in child.iter(qn("w:t")))
                for cid in open_ids:
                    anchored.setdefault(text, []).append(comments[int(cid)])
    note = anchored["172"][0]
    assert "12 đơn vị" in note
    assert "Chi bộ Sở Tư pháp: 5 — d008.doc" in note
    assert "Đảng bộ Sở Y tế: 40" in note
    money_note = anchored["2.636.000.000 đồng"][0]
    assert "Đảng bộ Bệnh viện Sản Nhi tỉnh: 1,4 tỷ đồng" in money_note
    quotes = [t for t, notes in anchored.items() if t.endswith("(Chi bộ Sở Tư pháp).")]
    assert quotes and "Nguồn: Chi bộ Sở Tư pháp — tệp d008.doc" in anchored[quotes[0]][0]


def test_near_duplicate_unit_sentences_appear_once_merged(sample_draft):
    _, statuses, _, _, path = sample_draft
    document = docx.Document(str(path))
    texts = [p.text for p in _body_paragraphs(document)]
    merged = [t for t in texts if "kinh phí dành cho công tác thông tin cơ sở còn hạn hẹp" in t]
    assert merged == [
        "Nhiều đơn vị nhận thấy kinh phí dành cho công tác thông tin cơ sở còn hạn hẹp, "
        "trang thiết bị chưa được đầu tư đồng bộ."
    ]
    for s in statuses:
        assert SHARED_SENTENCE.format(name=s.name)[:40] not in " ".join(texts)


def test_party_layout_header_page_and_fonts(sample_draft):
    _, _, _, _, path = sample_draft
    document = docx.Document(str(path))
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    def cm(length) -> float:
        return round(length.cm, 2)

    assert cm(section.top_margin) == 2.0 and cm(section.bottom_margin) == 2.0
    assert cm(section.left_margin) == 3.0 and 1.5 <= cm(section.right_margin) <= 2.0
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
    assert normal.paragraph_format.first_line_indent == Cm(1.27)
    header = document.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs]
    right = [p.text for p in header.cell(0, 1).paragraphs]
    assert left == ["ĐẢNG BỘ TỈNH PHÚ THỌ", "ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH", "*", "Số      -BC/ĐUK"]
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header.cell(0, 1).paragraphs[0].runs[0].underline
    assert right[-1] == "Việt Trì, ngày      tháng      năm 2022"
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and texts.index("BÁO CÁO") < 5
    signature = [p.text for p in document.tables[1].cell(0, 1).paragraphs if p.text]
    assert signature == ["T/M ĐẢNG UỶ KHỐI", "BÍ THƯ"]
    assert document.tables[1].cell(0, 0).paragraphs[0].text == "Nơi nhận:"


def test_appendices_hold_documents_figures_by_unit_and_status(sample_draft):
    samples, statuses, campaign, _, path = sample_draft
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for title in ("Phụ lục 1", "Phụ lục 2", "Phụ lục 3"):
        assert title in texts
    status = json.loads((samples / "status.json").read_text(encoding="utf-8"))
    n_docs = sum(
        len(json.loads((samples / "truth" / f"{e['final_doc_id']}.json").read_text())["documents"])
        for e in status.values() if e.get("final_doc_id")
    )
    by_header = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    docs = by_header[("STT", "Đơn vị", "Số hiệu", "Tên văn bản", "Ngày ban hành")]
    assert len(docs.rows) - 1 == n_docs
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", docs.rows[1].cells[4].text)
    status_table = by_header[("STT", "Đơn vị", "Tình trạng", "Thời gian gửi", "Tệp báo cáo")]
    rows = {r.cells[1].text: r.cells[2].text for r in status_table.rows[1:]}
    for s in statuses:
        expected = {"on_time": "Đúng hạn", "late": "Gửi muộn", "missing": "Chưa gửi"}[s.status]
        assert rows[s.name] == expected
    wide = next(t for t in document.tables if len(t.columns) == 2 + len(campaign.indicators))
    last = [c.text for c in wide.rows[-1].cells]
    assert last[1] == "Tổng cộng" and "2.636.000.000" in last[-1]
    totals = json.loads((samples / "totals.json").read_text(encoding="utf-8"))
    tuphap = next(r for r in wide.rows if r.cells[1].text == "Chi bộ Sở Tư pháp")
    column = 2 + [i.id for i in campaign.indicators].index("hoi_nghi")
    assert tuphap.cells[column].text == str(totals["per_unit"]["so-tu-phap"]["hoi_nghi"])


def test_draft_renders_to_pdf_with_libreoffice(sample_draft, tmp_path):
    soffice = require_binary("soffice", "libreoffice")
    _, _, _, _, path = sample_draft
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=180,
    )
    pdf = tmp_path / "draft.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr.decode(errors="replace")
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "BÁO CÁO" in first and "ĐẢNG CỘNG SẢN VIỆT NAM" in first


# --- the command ------------------------------------------------------------------------------


def test_draft_command_reads_the_store_and_writes_the_docx(tmp_path):
    samples = require_samples()
    statuses, _, _ = load(samples)
    from sqlalchemy import insert

    from pipeline.store import MessageRow, Store, SubmissionRow

    (tmp_path / "tonghop.toml").write_text(
        f'[campaign]\nfile = "{samples / "campaign.toml"}"\nunits = "{samples / "units.toml"}"\n'
        f'[mailbox]\nkind = "maildir"\npath = "mail"\n'
        f'[storage]\nurl = "sqlite:///var/t.db"\narchive = "var/archive"\n',
        encoding="utf-8",
    )
    store = Store(f"sqlite:///{tmp_path}/var/t.db", tmp_path / "var" / "archive")
    now = datetime(2022, 7, 21, tzinfo=UTC)
    with store.session() as s:
        for k, st in enumerate(x for x in statuses if x.submission):
            sub = st.submission
            s.execute(insert(MessageRow).values(
                id=k + 1, sha256=f"{k:064d}", message_id=sub.message_id, sender=sub.sender,
                received_at=sub.received_at, archive_path=f"m{k}", state="report", stored_at=now))
            s.execute(insert(SubmissionRow).values(
                message_pk=k + 1, unit_id=sub.unit_id, unit_source="header",
                message_id=sub.message_id, sender=sub.sender, subject=sub.subject,
                received_at=sub.received_at, file=sub.file, ok=True,
                result_json=json.dumps(sub.result.to_json(), ensure_ascii=False)))
    store.close()
    out = tmp_path / "out" / "bao-cao.docx"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(tmp_path / "tonghop.toml"),
         "draft", "--out", str(out)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert out.exists() and done.stdout.strip() == str(out)
    body = " ".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "172 hội nghị" in body and "2,636 tỷ đồng" in body
