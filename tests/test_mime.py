"""MIME walking on the sample emails and on hand-built awkward messages."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from email.message import EmailMessage

from parsers.mime import parse_message, sanitize_filename
from tests.helpers import require_samples
from tests.helpers_mail import sample_emails, winmail_dat

DOCX_BYTES = b"PK\x03\x04" + b"word/document.xml" + b"\x00" * 64  # sniffed as docx by name+magic


def _by_eml() -> dict[str, dict]:
    return {e["eml"].rsplit("/", 1)[-1]: e for e in sample_emails()}


def test_samples_headers_and_reports():
    for name, entry in _by_eml().items():
        info = parse_message(entry["raw"])
        assert info.message_id == entry["message_id"], name
        assert info.sender == entry["sender"].lower(), name
        if entry["report_doc_id"] is None and entry["expected"] == "ignore":
            assert info.report is None, name
        else:
            assert info.report is not None, name
        assert unicodedata.is_normalized("NFC", info.subject)


def test_sample_file_names_decoded():
    emails = _by_eml()
    # Outlook: RFC 2047 inside a quoted filename parameter, inside a zip
    info = parse_message(emails["002.eml"]["raw"])
    assert info.report.name == "BÁO CÁO SƠ KẾT CHỈ THỊ 07 TTr.docx"
    assert info.report.container == "BÁO CÁO SƠ KẾT CHỈ THỊ 07 TTr.zip"
    # RFC 2231 with a legacy .doc
    info = parse_message(emails["004.eml"]["raw"])
    assert (info.report.name, info.report.kind) == ("BC 07 - CB Sở Tư pháp.doc", "doc")
    # macOS NFD → NFC
    info = parse_message(emails["005.eml"]["raw"])
    assert info.report.name == unicodedata.normalize("NFC", "09.07 BC sơ kết Chỉ thị 07.docx")
    assert unicodedata.is_normalized("NFC", info.report.name)
    # forwarded message/rfc822: the report's sender is the original one
    info = parse_message(emails["006.eml"]["raw"])
    assert info.sender == "btg.dangbokhoi.pt@gmail.com"
    assert info.report.sender == "sxd@phutho.gov.vn"
    assert info.forwarded_senders == ["sxd@phutho.gov.vn"]
    # docx + scanned pdf: docx is the report, the pdf stays listed
    info = parse_message(emails["013.eml"]["raw"])
    assert info.report.kind == "docx"
    assert info.other_files == ["scan0001.pdf"]


def test_sanitize_filename():
    assert sanitize_filename("../../etc/passwd") == "passwd"
    assert sanitize_filename("..\\..\\Windows\\báo cáo.docx") == "báo cáo.docx"
    assert sanitize_filename("a\x00b\x1fc\r\n.docx") == "abc.docx"
    assert sanitize_filename("CON.docx") == "_CON.docx"
    assert sanitize_filename("") == "attachment"
    assert sanitize_filename("...") == "attachment"
    assert sanitize_filename('Báo cáo: "sơ kết"?.docx') == "Báo cáo_ _sơ kết__.docx"
    long = "Báo cáo " * 60 + ".docx"
    out = sanitize_filename(long)
    assert out.endswith(".docx") and len(out.encode()) <= 200


def _message(*parts: tuple[bytes, str, str], **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = headers.get("sender", "Đơn vị <donvi@example.vn>")
    msg["To"] = "btg@example.vn"
    msg["Subject"] = headers.get("subject", "Báo cáo")
    msg["Message-ID"] = headers.get("message_id", "<x1@example.vn>")
    msg.set_content("Kính gửi.")
    for data, maintype_subtype, filename in parts:
        maintype, subtype = maintype_subtype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def _zip(members: dict[str, bytes], utf8_flag: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    if not utf8_flag:  # Windows "Send to zip": UTF-8 name bytes without the UTF-8 flag
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(signature)
            while start != -1:
                flags = int.from_bytes(data[start + offset:start + offset + 2], "little")
                data[start + offset:start + offset + 2] = (flags & ~0x800).to_bytes(2, "little")
                start = data.find(signature, start + 4)
    return bytes(data)


def test_preference_docx_over_doc_over_pdf():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    pdf = b"%PDF-1.4\n%%EOF\n"
    msg = _message((pdf, "application/pdf", "scan.pdf"), (ole, "application/msword", "bc.doc"),
                   (DOCX_BYTES, "application/octet-stream", "bc.docx"))
    info = parse_message(msg.as_bytes())
    assert info.report.name == "bc.docx"
    assert sorted(info.other_files) == ["bc.doc", "scan.pdf"]
    msg = _message((pdf, "application/pdf", "scan.pdf"), (ole, "application/msword", "bc.doc"))
    assert parse_message(msg.as_bytes()).report.name == "bc.doc"


def test_zip_nested_dirs_names_and_traversal():
    inner = _zip({"../../evil/Báo cáo sơ kết.docx": DOCX_BYTES, "thư mục/ảnh.jpg": b"\xff\xd8\xff"},
                 utf8_flag=False)
    info = parse_message(_message((inner, "application/zip", "hồ sơ.zip")).as_bytes())
    assert info.report.name == "Báo cáo sơ kết.docx"
    assert info.report.container == "hồ sơ.zip"
    assert "ảnh.jpg" in info.other_files


def test_zip_bomb_is_skipped_with_warning():
    bomb = _zip({"big.docx": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    info = parse_message(_message((bomb, "application/zip", "bc.zip")).as_bytes())
    assert info.report is None
    assert any("zip bomb" in w for w in info.warnings)


def test_damaged_zip_kept_and_warned():
    info = parse_message(_message((b"PK\x03\x04garbage", "application/zip", "bc.zip")).as_bytes())
    assert info.report is None
    assert any("damaged zip" in w for w in info.warnings)
    assert info.other_files == ["bc.zip"]


def test_eml_attachment_walked_and_inline_images_ignored():
    inner = _message((DOCX_BYTES, "application/octet-stream", "bc.docx"), sender="a@donvi.vn")
    outer = _message((inner.as_bytes(), "application/octet-stream", "chuyển tiếp.eml"),
                     sender="btg@example.vn")
    outer.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="logo.png",
                         disposition="inline", cid="<logo>")
    info = parse_message(outer.as_bytes())
    assert info.report.name == "bc.docx"
    assert info.report.sender == "a@donvi.vn"
    assert "logo.png" not in info.other_files


def test_damaged_winmail_dat_warned():
    info = parse_message(_message((b"\x78\x9f\x3e\x22", "application/ms-tnef", "winmail.dat")).as_bytes())
    assert info.report is None
    assert any("winmail.dat" in w and "could not be read" in w for w in info.warnings)


def test_winmail_dat_files_are_unpacked():
    docx = (require_samples() / "docs" / "d001.docx").read_bytes()
    tnef = winmail_dat([("Báo cáo sơ kết CT07 - Sở Tư pháp.docx", docx), ("ghi chú.txt", b"x")])
    info = parse_message(_message((tnef, "application/ms-tnef", "winmail.dat")).as_bytes())
    assert info.report is not None and info.report.data == docx
    assert (info.report.name, info.report.kind) == ("Báo cáo sơ kết CT07 - Sở Tư pháp.docx", "docx")
    assert info.report.container == "winmail.dat"
    assert info.other_files == ["ghi chú.txt"]
    assert not any("winmail.dat" in w for w in info.warnings)


def test_raw_8bit_utf8_header_file_name():
    raw = (
        "From: a@b.vn\r\nSubject: Báo cáo\r\nMessage-ID: <x@b.vn>\r\n"
        'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
        'Content-Type: application/octet-stream; name="Báo cáo sơ kết.docx"\r\n'
        'Content-Disposition: attachment; filename="Báo cáo sơ kết.docx"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--zz--\r\n"
    ).encode()
    info = parse_message(raw)
    assert info.subject == "Báo cáo"
    assert info.attachments[0].name == "Báo cáo sơ kết.docx"


def test_malformed_headers_and_charsets_never_raise():
    raw = (
        b"From: =?x-unknown-charset?B?SGVsbG8=?= <a@b.vn>\r\n"
        b"Subject: =?windows-1258?Q?B=E1o_c=E1o?= =?utf-8?B?broken\r\n"
        b"Message-ID: junk without brackets\r\n"
        b"Date: not a date\r\n"
        b"Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n"
        b"--zz\r\nContent-Type: application/octet-stream; name*=x-bogus''B%E1o%20c%E1o.docx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!notbase64\r\n--zz"
    )
    info = parse_message(raw)
    assert info.sender == "a@b.vn"
    assert info.date is None
    assert len(info.sha256) == 64
    assert info.attachments and info.attachments[0].name.endswith(".docx")
    assert parse_message(b"").report is None
    assert parse_message(b"\xff\xfe\x00garbage").report is None


def test_encoded_word_filename_non_standard_charset():
    raw = (
        b"From: x@y.vn\r\nMessage-ID: <q@y.vn>\r\n"
        b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        b"Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;"
        b" name=\"=?utf8?B?" + __import__("base64").b64encode("Báo cáo.docx".encode()) + b"?=\"\r\n"
        b"Content-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + __import__("base64").b64encode(DOCX_BYTES) + b"\r\n--b--\r\n"
    )
    info = parse_message(raw)
    assert info.report.name == "Báo cáo.docx"


def test_display_name_with_comma_keeps_the_sender_address():
    raw = (
        b"From: =?utf-8?b?xJDhuqNuZyBi4buZIFPhu58gVsSDbiBob8OhLCBUaOG7gyB0aGFvIHbDoCBEdSBs4buLY2g=?=\r\n"
        b" <DangboVHTTDL@gmail.com>\r\nTo: btg@example.vn\r\nSubject: x\r\n\r\nhello\r\n"
    )
    info = parse_message(raw)
    assert info.sender == "dangbovhttdl@gmail.com"
    assert info.sender_name == "Đảng bộ Sở Văn hoá, Thể thao và Du lịch"
