"""Sending mail over SMTP: TLS by default, plain only when the config says "none".

The digest is multipart/alternative: a text part, and a multipart/related part with
the HTML and its charts as CID images, so mail clients show the pictures inline
without fetching anything.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr

from pipeline.config import ConfigError, SmtpConfig

log = logging.getLogger(__name__)


@dataclass
class InlineImage:
    cid: str  # without angle brackets; the HTML refers to it as "cid:<cid>"
    data: bytes
    filename: str
    subtype: str = "png"


def _address(value: str) -> str:
    """RFC 2047-encode a display name ("Ban Tuyên giáo <btg@…>") when it is not ASCII."""
    name, addr = parseaddr(value)
    return formataddr((name, addr), charset="utf-8") if name else addr or value


def build_message(
    subject: str,
    sender: str,
    recipients: list[str],
    text: str,
    html: str | None = None,
    images: list[InlineImage] | None = None,
) -> Message:
    """multipart/alternative[text/plain, multipart/related[text/html, image…]].

    Built with the classic email.mime API: CPython 3.11's default policy drops the
    space between RFC 2047 words when it folds a long Vietnamese subject.
    """
    text_part = MIMEText(text, "plain", "utf-8")
    if html is None:
        msg: Message = text_part
    else:
        related = MIMEMultipart("related")
        related.attach(MIMEText(html, "html", "utf-8"))
        for image in images or []:
            part = MIMEImage(image.data, _subtype=image.subtype)
            part.add_header("Content-ID", f"<{image.cid}>")
            part.add_header("Content-Disposition", "inline", filename=image.filename)
            related.attach(part)
        msg = MIMEMultipart("alternative")
        msg.attach(text_part)
        msg.attach(related)
    msg["Subject"] = Header(subject, "utf-8")
    msg["From"] = _address(sender)
    msg["To"] = ", ".join(_address(r) for r in recipients)
    msg["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "tonghop.local"
    msg["Message-ID"] = make_msgid("tonghop", domain=domain)
    return msg


def _context(config: SmtpConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if config.ca_file:
        context.load_verify_locations(cafile=config.ca_file)
    return context


def connect(config: SmtpConfig) -> smtplib.SMTP:
    """An authenticated SMTP connection according to `config.tls`."""
    mode = (config.tls or "ssl").lower()
    if mode == "ssl":
        port = config.port or 465
        client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, port, timeout=config.timeout,
                                                context=_context(config))
    elif mode == "starttls":
        client = smtplib.SMTP(config.host, config.port or 587, timeout=config.timeout)
        client.ehlo()
        client.starttls(context=_context(config))
        client.ehlo()
    elif mode == "none":
        client = smtplib.SMTP(config.host, config.port or 25, timeout=config.timeout)
    else:
        raise ConfigError(f'smtp.tls must be "ssl", "starttls" or "none", not {config.tls!r}')
    if config.username:
        password = config.password()
        if password is None:
            client.close()
            raise ConfigError(
                f"environment variable {config.password_env} is not set (SMTP password)")
        _login(client, config.username, password)
    return client


def _login(client: smtplib.SMTP, username: str, password: str) -> None:
    if (username + password).isascii():
        client.login(username, password)
        return
    # smtplib encodes credentials as ASCII; AUTH PLAIN is UTF-8 by RFC 4616.
    client.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def send(config: SmtpConfig, msg: Message) -> list[str]:
    """Send one message; returns the recipients the server accepted."""
    if not config.sender and not msg["From"]:
        raise ConfigError("smtp.sender is not set")
    recipients = [addr for _name, addr in getaddresses([str(msg["To"] or "")]) if addr]
    if not recipients:
        raise ConfigError("no recipients")
    with connect(config) as client:
        refused = client.send_message(msg)
    accepted = [r for r in recipients if r not in refused]
    log.info("sent %r to %d recipient(s)", str(msg["Subject"]), len(accepted))
    return accepted
