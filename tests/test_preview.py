"""Reports as HTML for a browser (mammoth): text escaped, dangerous links neutralised."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aggregators.records import Submission, UnitStatus
from pipeline.preview import report_html, write_previews
from tests.docx_builder import build_parts, para, zip_parts

HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def report_with_script_and_link() -> bytes:
    body = (
        para("CHI BỘ SỞ TƯ PHÁP <script>alert(1)</script>")
        + '<w:p><w:hyperlink r:id="rIdX"><w:r><w:t>bấm vào đây</w:t></w:r></w:hyperlink></w:p>'
        + para("Tổ chức 12 hội nghị quán triệt.")
    )
    parts = build_parts(body)
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdX" Type="{HYPERLINK_REL}" Target="javascript:alert(2)" '
        'TargetMode="External"/></Relationships>'.encode(),
    )
    return zip_parts(parts)


def test_report_html_escapes_document_text_and_drops_script_links():
    page = report_html(report_with_script_and_link(), "Chi bộ <Sở Tư pháp>", "BC <1>.docx")
    assert "Tổ chức 12 hội nghị quán triệt." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert "javascript:" not in page
    assert "Chi bộ &lt;Sở Tư pháp&gt;" in page and "BC &lt;1&gt;.docx" in page


def test_write_previews_renders_each_counted_docx_once(tmp_path: Path):
    data = report_with_script_and_link()
    sha = "ab" + "0" * 62
    archive = tmp_path / "archive"
    (archive / "ab").mkdir(parents=True)
    (archive / "ab" / f"{sha}.docx").write_bytes(data)
    sub = Submission(id=1, unit_id="so-tu-phap", unit_source="header", message_id="<m@x>",
                     sender="a@b.vn", subject="BC", received_at=datetime(2022, 7, 1, tzinfo=UTC),
                     file="BC.docx", sha256=sha, ok=True)
    counted = UnitStatus(id="so-tu-phap", name="Chi bộ Sở Tư pháp", status="on_time",
                         submitted_at=sub.received_at, message_id=sub.message_id, file=sub.file,
                         resubmissions=0, errors=[], submission=sub)
    missing = UnitStatus(id="so-y-te", name="Đảng bộ Sở Y tế", status="missing",
                         submitted_at=None, message_id=None, file=None, resubmissions=0,
                         errors=[], submission=None)
    out = tmp_path / "exports" / "bao-cao"
    written = write_previews([counted, missing], archive, out)
    assert written == [out / "so-tu-phap.html"]
    assert "12 hội nghị" in written[0].read_text(encoding="utf-8")
    assert (archive / "previews" / f"{sha}.html").exists()  # cached for the next export


def test_intake_renders_each_received_docx_report_for_the_browser(tmp_path: Path):
    from pipeline.intake import poll_once
    from pipeline.store import Store
    from tests.helpers_mail import deliver_maildir, maildir_settings, sample_emails

    settings = maildir_settings(tmp_path)
    entries = [e for e in sample_emails() if e["expected"] in ("report", "ignore")][:6]
    for entry in entries:
        deliver_maildir(settings.mailbox.path, entry["raw"], entry["delivered"])
    store = Store.open(settings)
    try:
        poll_once(settings, store)
        docx_reports = [s for s in store.submissions() if s.ok and s.file.endswith(".docx")]
    finally:
        store.close()
    assert docx_reports
    for sub in docx_reports:
        page = (settings.storage.archive / "previews" / f"{sub.sha256}.html").read_text("utf-8")
        assert "<p>" in page and "BÁO CÁO" in page.upper()


def test_preview_shows_the_numbers_word_shows_not_lists_restarting_at_one():
    from parsers.docx import read_docx, with_visible_numbering
    from tests.docx_builder import abstract_num, build_docx, num, numbered

    numbering = (abstract_num(0, [("upperRoman", "%1.", 1), ("decimal", "%2-", 1)])
                 + abstract_num(1, [("bullet", "•", 1)]) + num(1, 0) + num(2, 1))
    body = "".join([
        numbered("KẾT QUẢ THỰC HIỆN", 1, 0),
        numbered("Công tác lãnh đạo", 1, 1),
        para("Chi bộ đã tổ chức 3 hội nghị."),
        numbered("Công tác tuyên truyền", 1, 1),
        numbered("một gạch đầu dòng", 2, 0),
        numbered("NHIỆM VỤ THỜI GIAN TỚI", 1, 0),
    ])
    data = build_docx(body, numbering=numbering)
    visible = with_visible_numbering(data)
    # the text now carries the labels and nothing is numbered twice
    assert [p.text for p in read_docx(visible).paragraphs()] == [
        "I. KẾT QUẢ THỰC HIỆN", "1- Công tác lãnh đạo", "Chi bộ đã tổ chức 3 hội nghị.",
        "2- Công tác tuyên truyền", "một gạch đầu dòng", "II. NHIỆM VỤ THỜI GIAN TỚI"]
    assert [p.num_label for p in read_docx(visible).paragraphs()] == [
        None, None, None, None, None, None]
    page = report_html(data, "Chi bộ A", "bc.docx")
    assert "2- Công tác tuyên truyền" in page and "II. NHIỆM VỤ THỜI GIAN TỚI" in page
    assert "<li>một gạch đầu dòng</li>" in page  # bullets stay a list
    assert with_visible_numbering(build_docx(para("Không đánh số"))) == build_docx(
        para("Không đánh số"))
