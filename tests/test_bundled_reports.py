"""One message carrying several units' reports (a secretary forwarding a batch): each Word
file whose header names another registered unit counts for that unit; copies and
appendices do not. Real Maildir, real parser."""

from __future__ import annotations

import io
from datetime import datetime
from email.message import EmailMessage

import docx
from sqlalchemy import select

from aggregators.status import unit_statuses
from pipeline.intake import poll_once
from pipeline.store import AttachmentRow, Store
from tests.helpers import require_samples
from tests.helpers_mail import deliver_maildir, maildir_settings, require_report_parser

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MESSAGE_ID = "<bundle-1@gmail.com>"


def _appendix() -> bytes:
    """An appendix that names no unit in a header: it rides along, it is not a report."""
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    document.add_paragraph("Danh sách các hội nghị đã tổ chức trong quý II năm 2022.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _bundle() -> bytes:
    docs = require_samples() / "docs"
    msg = EmailMessage()
    msg["From"] = "Văn thư <vanthu.khoi@gmail.com>"
    msg["To"] = "tonghop@dangbokhoi.vn"
    msg["Subject"] = "Fwd: báo cáo Chỉ thị 07 của 3 đơn vị"
    msg["Message-ID"] = MESSAGE_ID
    msg["Date"] = "Wed, 20 Jul 2022 09:00:00 +0700"
    msg.set_content("Kính gửi Ban Tuyên giáo, em chuyển báo cáo của ba đơn vị.")
    files = [
        ("BC Liên minh HTX.docx", (docs / "d001.docx").read_bytes()),
        ("BC BV Sản Nhi.docx", (docs / "d002.docx").read_bytes()),
        ("Bản sao BC Liên minh HTX.docx", (docs / "d001.docx").read_bytes()),  # same bytes
        ("BC Sở Xây dựng.docx", (docs / "d003.docx").read_bytes()),
        ("Phụ lục.docx", _appendix()),
    ]
    for name, data in files:
        maintype, subtype = DOCX.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def test_each_bundled_report_counts_for_the_unit_its_header_names(tmp_path):
    require_report_parser()
    settings = maildir_settings(tmp_path)
    deliver_maildir(settings.mailbox.path, _bundle(),
                    datetime.fromisoformat("2022-07-20T09:05:00+07:00"))
    store = Store.open(settings)
    report = poll_once(settings, store)
    assert report.reports == 3 and not report.errors

    subs = store.submissions()
    assert sorted((s.unit_id, s.file, s.unit_source) for s in subs) == [
        ("bv-san-nhi", "BC BV Sản Nhi.docx", "bundled"),
        ("lien-minh-htx", "BC Liên minh HTX.docx", "header"),
        ("so-xay-dung", "BC Sở Xây dựng.docx", "bundled"),
    ]
    statuses = {s.id: s for s in unit_statuses(subs, settings.registry, settings.campaign)}
    for unit_id in ("lien-minh-htx", "bv-san-nhi", "so-xay-dung"):
        assert statuses[unit_id].status == "on_time"
        assert statuses[unit_id].message_id == MESSAGE_ID
        assert statuses[unit_id].submission.result.sections  # really parsed
    with store.session() as s:
        archived = {a.name: a.archive_path for a in s.scalars(select(AttachmentRow)) if a.is_report}
    assert set(archived) == {"BC Liên minh HTX.docx", "BC BV Sản Nhi.docx", "BC Sở Xây dựng.docx"}
    for name, path in archived.items():  # each counted report kept in the archive
        assert store.read_blob(path)[:2] == b"PK", name

    before = store.fingerprint()
    assert poll_once(settings, store).reports == 0
    assert store.fingerprint() == before

    # Assigning the message by hand moves the report it was counted for, not the bundled ones.
    assert store.assign(MESSAGE_ID, "tinh-doan") == 1
    units = sorted(s.unit_id for s in store.submissions())
    assert units == ["bv-san-nhi", "so-xay-dung", "tinh-doan"]
