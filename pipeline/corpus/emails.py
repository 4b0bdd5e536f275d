"""RFC 5322 messages as units really send them: Outlook, Gmail, Apple Mail, forwarded mail.

Built by hand (not with email.message) because the quirks are exactly what the stdlib
refuses to produce: RFC 2047 words inside a filename parameter (Outlook), NFD names (macOS),
RFC 2231 continuations.
"""

from __future__ import annotations

import base64
import io
import quopri
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime
from urllib.parse import quote

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Attachment:
    filename: str
    data: bytes
    content_type: str = DOCX_TYPE
    name_style: str = "rfc2231"  # "ascii" | "rfc2231" | "rfc2047" | "nfd_mac"


def _b64(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def _rfc2047(text: str) -> str:
    return Header(text, "utf-8", maxlinelen=998).encode()


def _addr(name: str, address: str) -> str:
    if not name:
        return address
    if name.isascii():
        return f'"{name}" <{address}>'
    return f"{_rfc2047(name)} <{address}>"


def _filename_params(att: Attachment) -> tuple[str, str]:
    """(Content-Type name parameter, Content-Disposition filename parameter)."""
    name = att.filename
    if name.isascii():
        return f'; name="{name}"', f'; filename="{name}"'
    if att.name_style == "rfc2047":  # Outlook / Gmail web: encoded-words in a quoted string
        word = "=?utf-8?B?" + base64.b64encode(name.encode("utf-8")).decode("ascii") + "?="
        return f'; name="{word}"', f'; filename="{word}"'
    if att.name_style == "nfd_mac":
        name = unicodedata.normalize("NFD", name)
    encoded = quote(name.encode("utf-8"), safe="")
    if len(encoded) <= 60:
        return f"; name*=utf-8''{encoded}", f";\r\n filename*=utf-8''{encoded}"
    chunks, i = [], 0
    while i < len(encoded):  # split on %XX boundaries
        j = min(i + 60, len(encoded))
        while j < len(encoded) and "%" in encoded[j - 2:j]:
            j -= 1
        chunks.append(encoded[i:j])
        i = j
    params = "".join(
        f";\r\n filename*{k}*={'utf-8' + chr(39) * 2 if k == 0 else ''}{c}" for k, c in enumerate(chunks)
    )
    return f"; name*=utf-8''{chunks[0]}", params


def _attachment_part(att: Attachment) -> str:
    ct_name, cd_name = _filename_params(att)
    return (f"Content-Type: {att.content_type}{ct_name}\r\n"
            f"Content-Disposition: attachment{cd_name}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n"
            f"{_b64(att.data)}\r\n")


def _text_part(text: str, html: bool = False) -> str:
    body = quopri.encodestring(text.replace("\n", "\r\n").encode("utf-8")).decode("ascii")
    kind = "html" if html else "plain"
    return (f'Content-Type: text/{kind}; charset="UTF-8"\r\n'
            f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{body}\r\n")


def build_message(
    *, sender: str, sender_name: str, to: str, subject: str, date: datetime, message_id: str,
    text: str, attachments: list[Attachment] | None = None, forwarded: bytes | None = None,
    mailer: str = "", boundary_seed: str = "0",
) -> bytes:
    """One complete RFC 5322 message (CRLF line ends)."""
    headers = [
        f"Received: from mail.phutho.gov.vn by mx.gmail.com; {format_datetime(date)}",
        f"From: {_addr(sender_name, sender)}",
        f"To: {to}",
        f"Subject: {_rfc2047(subject) if not subject.isascii() else subject}",
        f"Date: {format_datetime(date)}",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
    ]
    if mailer:
        headers.append(f"X-Mailer: {mailer}")
    attachments = attachments or []
    if not attachments and forwarded is None:
        head = "\r\n".join(headers)
        return (head + "\r\n" + _text_part(text)).encode("ascii")
    boundary = f"----=_Part_{boundary_seed}"
    parts = [_text_part(text)]
    if forwarded is not None:
        parts.append("Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
                     + forwarded.decode("ascii") + "\r\n")
    parts.extend(_attachment_part(a) for a in attachments)
    out = "\r\n".join(headers)
    out += f'\r\nContent-Type: multipart/mixed;\r\n boundary="{boundary}"\r\n\r\n'
    out += "This is a multi-part message in MIME format.\r\n\r\n"
    for part in parts:
        out += f"--{boundary}\r\n{part}"
    out += f"--{boundary}--\r\n"
    return out.encode("ascii")


def zip_bytes(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name, date_time=(2022, 7, 1, 8, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)
    return buf.getvalue()


def scan_pdf(label: str = "Signed scan") -> bytes:
    """A one-page PDF standing in for the signed, scanned copy units attach beside the .docx."""
    stream = f"BT /F1 18 Tf 72 720 Td ({label}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
