"""Sending over SMTP to a real aiosmtpd server on a loopback port: plain (when configured),
implicit TLS and STARTTLS with a password from the environment."""

from __future__ import annotations

import email
import email.policy
import smtplib
import socket
import ssl
import subprocess
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from aggregators.digest import build_digest
from pipeline.cmd_digest import DigestLog, produce_digest, render_digest, send_digest
from pipeline.config import ConfigError, SmtpConfig
from pipeline.mailer import build_message, send
from tests.helpers import require_binary
from tests.helpers_digest import fill_store, sample_records, store_settings

USER, PASSWORD = "btg", "mật-khẩu-thử"


class Collector:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    openssl = require_binary("openssl")
    root = tmp_path_factory.mktemp("tls")
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def _server(mode: str, certificate=None):
    handler = Collector()
    port = _free_port()
    kwargs = {}
    if mode != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, certificate))
        kwargs = {"authenticator": _authenticator, "auth_require_tls": True}
        if mode == "ssl":
            # aiosmtpd does not see implicit TLS as "TLS" for its AUTH check; the
            # whole connection is TLS here anyway.
            kwargs.update(ssl_context=context, auth_require_tls=False)
        else:
            kwargs.update(tls_context=context, require_starttls=True)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, handler, port


def _parsed(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_digest_mail_structure_plain_when_configured():
    subs, statuses, campaign, _registry = sample_records()
    evil = "<script>alert(1)</script>"
    statuses[0] = replace(statuses[0], name=f"Chi bộ Sở Tư pháp {evil}")
    digest = build_digest(statuses, subs, campaign, now=datetime(2022, 7, 21, 1, tzinfo=UTC))
    rendered = render_digest(digest)
    controller, handler, port = _server("none")
    try:
        config = SmtpConfig(host="127.0.0.1", port=port, tls="none", sender="tonghop@duk.vn")
        settings = type("S", (), {"smtp": config})()
        accepted = send_digest(settings, rendered, ["btg@duk.vn", "truongban@duk.vn"])
    finally:
        controller.stop()
    assert accepted == ["btg@duk.vn", "truongban@duk.vn"]
    [envelope] = handler.envelopes
    assert envelope.mail_from == "tonghop@duk.vn"
    assert envelope.rcpt_tos == ["btg@duk.vn", "truongban@duk.vn"]
    msg = _parsed(envelope)
    assert msg["Subject"] == digest.subject and "đơn vị đã gửi" in msg["Subject"]
    assert msg.get_content_type() == "multipart/alternative"
    text_part, related = msg.get_payload()
    assert text_part.get_content_type() == "text/plain"
    text = text_part.get_content()
    assert "Lượt người tham dự: trên 6.557" in text and evil in text
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    html = html_part.get_content()
    assert html_part.get_content_type() == "text/html"
    assert "Bản tin tổng hợp báo cáo" in html and "&lt;script&gt;" in html
    assert "<script>" not in html
    assert len(images) == 2
    for image, chart in zip(images, digest.charts, strict=True):
        assert image.get_content_type() == "image/png"
        assert image["Content-ID"] == f"<{chart.cid}>"
        assert f'src="cid:{chart.cid}"' in html
        assert image.get_content() == chart.png


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_tls_modes_with_password_from_env(mode, certificate, monkeypatch):
    controller, handler, port = _server(mode, certificate)
    monkeypatch.setenv("TEST_SMTP_PW", PASSWORD)
    config = SmtpConfig(host="127.0.0.1", port=port, tls=mode, username=USER,
                        password_env="TEST_SMTP_PW", sender="tonghop@duk.vn",
                        ca_file=str(certificate[0]), timeout=10)
    try:
        msg = build_message("Thử gửi thư: Đảng uỷ Khối", "tonghop@duk.vn", ["btg@duk.vn"],
                            "Nội dung tiếng Việt có dấu: Ban Tuyên giáo.")
        assert send(config, msg) == ["btg@duk.vn"]
        monkeypatch.setenv("TEST_SMTP_PW", "mật-khẩu-sai")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            send(config, msg)
        monkeypatch.delenv("TEST_SMTP_PW")
        with pytest.raises(ConfigError, match="TEST_SMTP_PW"):
            send(config, msg)
    finally:
        controller.stop()
    [envelope] = handler.envelopes
    received = _parsed(envelope)
    assert received["Subject"] == "Thử gửi thư: Đảng uỷ Khối"
    assert received.get_content().strip() == "Nội dung tiếng Việt có dấu: Ban Tuyên giáo."


def test_tls_refuses_an_untrusted_certificate(certificate):
    controller, handler, port = _server("ssl", certificate)
    config = SmtpConfig(host="127.0.0.1", port=port, tls="ssl", sender="a@b.vn", timeout=10)
    try:
        with pytest.raises(ssl.SSLError):
            send(config, build_message("x", "a@b.vn", ["c@d.vn"], "x"))
    finally:
        controller.stop()
    assert handler.envelopes == []


def test_digest_send_records_the_log(tmp_path):
    controller, handler, port = _server("none")
    settings = store_settings(
        tmp_path,
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\nsender = "tonghop@duk.vn"\n\n'
        '[digest]\nrecipients = ["btg@duk.vn"]\n')
    subs, _statuses, _campaign, _registry = sample_records()
    fill_store(settings, subs[:5])
    try:
        first = produce_digest(settings, send=True).digest
        fill_store(settings, subs[5:])
        second = produce_digest(settings, send=True).digest
    finally:
        controller.stop()
    assert len(handler.envelopes) == 2
    assert first.first_digest and len(first.arrivals) == 5
    assert not second.first_digest
    assert len(second.arrivals) == len(subs) - 5
    log = DigestLog.open(settings)
    try:
        assert log.last_sent(settings.campaign.id).max_submission_id == max(s.id for s in subs)
    finally:
        log.close()
    second_text = _parsed(handler.envelopes[1]).get_payload()[0].get_content()
    assert "THƯ MỚI TỪ BẢN TIN TRƯỚC" in second_text


def test_receipts_and_reminders_are_sent_once(tmp_path):
    from pipeline.notify import send_notifications

    controller, handler, port = _server("none")
    smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\nsender = "btg@duk.vn"\n\n'
    off = store_settings(tmp_path / "off", smtp)
    settings = store_settings(
        tmp_path / "on", smtp + "[notify]\nreceipts = true\nreminders_days_before = [3, 1]\n")
    subs, statuses, _campaign, _registry = sample_records()
    fill_store(settings, subs)
    three_days_before = datetime(2022, 7, 17, 2, 0, tzinfo=UTC)
    try:
        assert send_notifications(off, subs, statuses, now=three_days_before) == 0
        sent = send_notifications(settings, subs, statuses, now=three_days_before)
        again = send_notifications(settings, subs, statuses, now=three_days_before)
    finally:
        controller.stop()
    counted = [s for s in statuses if s.submission is not None]
    missing = [s for s in statuses if s.status == "missing"]
    assert sent == len(counted) + len(missing) and again == 0
    assert len(handler.envelopes) == sent
    messages = [_parsed(e) for e in handler.envelopes]
    receipts = [m for m in messages if m["Subject"].startswith("Đã nhận báo cáo")]
    reminders = [m for m in messages if m["Subject"].startswith("Nhắc gửi báo cáo")]
    assert len(receipts) == len(counted) and len(reminders) == len(missing)
    late = next(m for m in receipts if "Liên minh Hợp tác xã" in m["Subject"])
    assert "sau hạn 20/07/2022" in late.get_content()
    reminder = reminders[0].get_content()
    assert "còn 3 ngày" in reminder and "Kính gửi" in reminder
    _registry_units = {u.id: u for u in _registry.units}
    assert {m["To"] for m in reminders} == {_registry_units[s.id].emails[0] for s in missing}
    # The receipt says what was read and which outline sections seem missing (d002 skips P1.3).
    san_nhi = next(m for m in receipts if "Sản Nhi" in m["Subject"]).get_content()
    assert "đã đọc được 17 mục theo đề cương và 9 số liệu" in san_nhi
    assert "3 Việc thể chế hoá Chỉ thị số 07-CT/TW" in san_nhi
    assert "Kết quả xây dựng chương trình truyền thông" not in san_nhi  # media units only
