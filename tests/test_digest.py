"""The daily digest: content in Vietnamese, escaping, charts, the digest log."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import replace
from datetime import UTC, datetime

from aggregators.digest import build_digest
from aggregators.records import Submission
from pipeline.cmd_digest import DigestLog, produce_digest, render_digest
from tests.helpers_digest import fill_store, sample_records, store_settings

PNG = b"\x89PNG\r\n\x1a\n"


def _optional(registry):
    return {u.id: {"P2.I.4"} for u in registry.units if not u.media}


def test_digest_content_before_the_deadline():
    subs, statuses, campaign, registry = sample_records()
    digest = build_digest(statuses, subs, campaign, now=datetime(2022, 7, 18, 1, 0, tzinfo=UTC),
                          since_id=9, last_poll_error="IMAP: Connection refused",
                          optional_sections=_optional(registry))
    assert digest.days_left == 2
    assert digest.deadline_phrase == "Còn 2 ngày đến hạn gửi báo cáo (20/07/2022)."
    assert (digest.total_units, digest.reported, digest.on_time, digest.late, digest.missing) == (
        16, 12, 11, 1, 4)
    assert [u.name for u in digest.missing_units] == [
        "Chi bộ Hội Chữ thập đỏ tỉnh", "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        "Chi bộ Hội Cựu chiến binh tỉnh", "Đảng bộ Trường Cao đẳng Y tế Phú Thọ"]
    # Arrivals after submission 9 only; the so-tai-chinh correction is named as such.
    assert [a.file for a in digest.arrivals] == [
        "d007.docx", "d006.docx", "d005.docx", "d012.docx", "d002.docx", "d004.docx", "d001.docx"]
    assert digest.arrivals[1].note.startswith("gửi lại")
    totals = {t.indicator: t for t in digest.totals}
    assert totals["luot_nguoi_du"].value_text == "trên 6.557"
    assert totals["hoi_nghi"].value_text == "172"
    assert totals["kinh_phi"].value_text == "2,636 tỷ đồng"
    kinds = [p.kind for p in digest.problems]
    assert kinds[0] == "poll_error" and "Connection refused" in digest.problems[0].detail
    gaps = {p.who: p.detail for p in digest.problems if p.kind == "missing_sections"}
    assert "P1.3" in gaps["Đảng bộ Bệnh viện Sản Nhi tỉnh"]
    assert "P3.II" in gaps["Đảng bộ Bệnh viện Sản Nhi tỉnh"]
    # P2.I.4 is for press/media units only: not a gap for the others.
    assert not any("P2.I.4" in detail for detail in gaps.values())
    # The corrupt so-y-te file was replaced by a good one: nothing for a person to do.
    assert "error" not in kinds
    assert "12/16 đơn vị đã gửi" in digest.subject

    text = render_digest(digest).text
    assert "Còn 2 ngày đến hạn gửi báo cáo" in text
    assert "Chi bộ Hội Cựu chiến binh tỉnh" in text
    assert "Lượt người tham dự: trên 6.557 (10 đơn vị)" in text
    assert "Không đọc được hộp thư" in text


def test_digest_after_the_deadline_and_first_digest():
    subs, statuses, campaign, _registry = sample_records()
    digest = build_digest(statuses, subs, campaign, now=datetime(2022, 7, 23, 1, 0, tzinfo=UTC),
                          with_charts=False)
    assert digest.days_left == -3
    assert digest.deadline_phrase == "Đã quá hạn gửi báo cáo 3 ngày (hạn 20/07/2022)."
    assert digest.first_digest
    # Every distinct arrival, the corrupt one flagged as an error.
    assert len(digest.arrivals) == len(subs)
    assert any(a.note.startswith("lỗi:") for a in digest.arrivals)
    assert digest.charts == []
    on_day = build_digest(statuses, subs, campaign, now=datetime(2022, 7, 20, 10, tzinfo=UTC),
                          with_charts=False)
    assert on_day.deadline_phrase == "Hôm nay (20/07/2022) là hạn cuối gửi báo cáo."


def test_problems_unknown_sender_and_unreadable_file():
    subs, statuses, campaign, _registry = sample_records()
    when = datetime(2022, 7, 19, 3, 0, tzinfo=UTC)
    extra = [
        Submission(100, None, "none", "<x1@gmail.com>", "ai.do@gmail.com", "Gửi báo cáo",
                   when, "baocao.docx", "a" * 64, True),
        Submission(101, "hoi-ccb", "sender", "<x2@ccb>", "ccb@phutho.gov.vn", "BC", when,
                   "BC CCB.docx", "b" * 64, False, error="tệp bị hỏng"),
        # The same message delivered twice is listed once.
        Submission(102, "hoi-ccb", "sender", "<x2@ccb>", "ccb@phutho.gov.vn", "BC", when,
                   "BC CCB.docx", "b" * 64, False, error="tệp bị hỏng"),
    ]
    digest = build_digest(statuses, subs + extra, campaign, now=when, since_id=99,
                          with_charts=False)
    assert [a.note for a in digest.arrivals] == ["chưa rõ đơn vị gửi", "lỗi: tệp bị hỏng"]
    by_kind = {p.kind: p for p in digest.problems}
    assert by_kind["unknown_sender"].who == "ai.do@gmail.com"
    assert "baocao.docx" in by_kind["unknown_sender"].detail
    assert by_kind["error"].who == "Chi bộ Hội Cựu chiến binh tỉnh"
    assert "tệp bị hỏng" in by_kind["error"].detail


def test_html_escapes_everything_from_documents():
    subs, statuses, campaign, _registry = sample_records()
    evil = "<script>alert('x')</script>"
    statuses = [replace(s, name=f"{s.name} {evil}") for s in statuses]
    statuses[0] = replace(statuses[0], file=f"{evil}.docx")
    subs = [replace(s, file=f"<img src=x onerror=alert(1)>{s.file}") for s in subs]
    subs.append(Submission(200, None, "none", "<e@x>", "a@b.c", f"Báo cáo {evil}",
                           datetime(2022, 7, 19, tzinfo=UTC), f"{evil}.docx", None, True))
    rendered = render_digest(build_digest(statuses, subs, campaign,
                                          now=datetime(2022, 7, 21, tzinfo=UTC)))
    for html in (rendered.html_file, rendered.html_mail):
        assert "<script>" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html
        assert "Chi bộ Hội Cựu chiến binh tỉnh &lt;script&gt;" in html
    # The text part is not HTML: it keeps what the documents said.
    assert evil in rendered.text


def test_charts_embedded_as_data_uris_and_cids():
    subs, statuses, campaign, _registry = sample_records()
    digest = build_digest(statuses, subs, campaign, now=datetime(2022, 7, 21, tzinfo=UTC))
    assert [c.cid for c in digest.charts] == ["progress@tonghop", "coverage@tonghop"]
    assert all(c.png.startswith(PNG) and len(c.png) > 5000 for c in digest.charts)
    rendered = render_digest(digest)
    uris = re.findall(r'src="data:image/png;base64,([^"]+)"', rendered.html_file)
    assert [base64.b64decode(u) for u in uris] == [c.png for c in digest.charts]
    assert "cid:" not in rendered.html_file
    assert 'src="cid:progress@tonghop"' in rendered.html_mail
    assert 'src="cid:coverage@tonghop"' in rendered.html_mail
    assert 'lang="vi"' in rendered.html_file and 'charset="utf-8"' in rendered.html_file


def test_digest_command_and_log(tmp_path):
    settings = store_settings(tmp_path)
    subs, _statuses, _campaign, _registry = sample_records()
    fill_store(settings, subs)
    out = tmp_path / "digest.html"
    rendered = produce_digest(settings, out=out, now=datetime(2022, 7, 21, 1, tzinfo=UTC))
    html = out.read_text(encoding="utf-8")
    assert html == rendered.html_file and "Bản tin tổng hợp báo cáo" in html
    assert out.with_suffix(".txt").read_text(encoding="utf-8") == rendered.text
    assert rendered.digest.first_digest
    assert rendered.digest.reported == 12

    log = DigestLog.open(settings)
    try:
        assert log.last_sent(settings.campaign.id) is None  # writing a file is not sending
        log.record_poll(False, "OSError: [Errno 111] Connection refused")
        assert "Connection refused" in log.last_poll_error()
        log.record_digest(settings.campaign.id, max(s.id for s in subs), True, ["btg@x.vn"])
    finally:
        log.close()
    again = produce_digest(settings, now=datetime(2022, 7, 22, 1, tzinfo=UTC)).digest
    assert not again.first_digest and again.arrivals == []
    assert again.problems[0].kind == "poll_error"
    log = DigestLog.open(settings)
    log.record_poll(True)
    log.close()
    assert produce_digest(settings).digest.last_poll_error is None


def test_store_errors_without_a_submission_need_a_person(tmp_path):
    from pipeline.store import ErrorRow, MessageRow, Store

    settings = store_settings(tmp_path)
    when = datetime(2022, 7, 19, 2, 0, tzinfo=UTC)
    store = Store.open(settings)
    try:
        with store.session() as s:
            message = MessageRow(sha256="c" * 64, message_id="<w@x>", sender="vanthu@phutho.gov.vn",
                                 subject="Báo cáo <CT07>", received_at=when,
                                 archive_path="cc/x.eml", state="no_report", stored_at=when)
            s.add(message)
            s.flush()
            s.add(ErrorRow(message_pk=message.id, stage="mime",
                           message="winmail.dat: Outlook attachment cannot be read", created_at=when))
    finally:
        store.close()
    rendered = produce_digest(settings, now=when)
    [problem] = [p for p in rendered.digest.problems if p.kind == "error"]
    assert problem.who == "vanthu@phutho.gov.vn"
    assert "winmail.dat" in problem.detail and "19/07/2022 09:00" in problem.detail
    assert "Báo cáo &lt;CT07&gt;" in rendered.html_file


def test_coverage_chart_is_a_heatmap_for_a_bloc_and_shares_for_thousands():
    import numpy as np
    import pandas as pd
    from PIL import Image

    from aggregators import charts

    columns = ["P1", "P1.1", "P1.2", "P2", "P2.I", "P3"]

    def wide(n: int) -> pd.DataFrame:
        present = (np.arange(n * len(columns)).reshape(n, len(columns)) % 5 != 0) * 0.9
        return pd.DataFrame(present, index=[f"Chi bộ {k}" for k in range(n)], columns=columns)

    small = Image.open(io.BytesIO(charts.coverage_chart(wide(40))))
    large = Image.open(io.BytesIO(charts.coverage_chart(wide(3000))))
    assert small.format == large.format == "PNG"
    # 40 unit rows make a tall heatmap; 3 000 units become one bar per section, not a
    # 30-inch image of unreadable names.
    assert small.size[1] > 400
    assert large.size[1] < small.size[1]
    assert large.size == Image.open(io.BytesIO(charts.coverage_chart(wide(300)))).size
