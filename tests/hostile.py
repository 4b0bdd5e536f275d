"""Builders of hostile inputs: bombs, encrypted and mutated DOCX, malformed mail.

Used by the hostile-input tests and by bench/fuzz_run.py. Everything is built in memory
from real bytes (zipfile, raw OOXML, RFC 5322 text); nothing here is mocked.
"""

from __future__ import annotations

import functools
import io
import random
import resource
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from tests.docx_builder import build_docx, build_parts, para, zip_parts

SAMPLE_DOCX = Path(__file__).resolve().parents[2] / "shared" / "samples" / "docs" / "d002.docx"
SAMPLE_EMAILS = Path(__file__).resolve().parents[2] / "shared" / "samples" / "emails"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SCRIPT = "<script>alert(1)</script>"


# --- DOCX seeds -------------------------------------------------------------------------------


def generated_docx() -> bytes:
    """A small report-like DOCX with a heading, a numbered line and a footnote part."""
    body = (para("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ")
            + para("BÁO CÁO Kết quả thực hiện Chỉ thị số 07-CT/TU")
            + para("I. TÌNH HÌNH TRIỂN KHAI")
            + para("Đã tổ chức 12 hội nghị quán triệt với 1.250 lượt cán bộ tham dự."))
    footnotes = ('<w:footnote w:id="1"><w:p><w:r><w:t>Ghi chú</w:t></w:r></w:p></w:footnote>')
    return build_docx(body, styles="", numbering="", footnotes=footnotes)


def seed_docs() -> list[bytes]:
    """Real DOCX seeds: the shared sample d002.docx (when present) and a generated one."""
    seeds = [generated_docx()]
    if SAMPLE_DOCX.is_file():
        seeds.insert(0, SAMPLE_DOCX.read_bytes())
    return seeds


def docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def replace_part(data: bytes, name: str, content: bytes | None) -> bytes:
    """The package with one part replaced (or removed when content is None)."""
    parts = docx_parts(data)
    if content is None:
        parts.pop(name, None)
    else:
        parts[name] = content
    return zip_parts(parts)


# --- bombs and protected files ----------------------------------------------------------------


def _stream_zeros(zf: zipfile.ZipFile, name: str, size: int, prefix: bytes = b"") -> None:
    """Write `size` bytes (prefix then zeros/spaces) in chunks: never held in memory."""
    chunk = b" " * (1 << 20)
    info = zipfile.ZipInfo(name, date_time=(2022, 7, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # fast: 1 GB of blanks still deflates to about 4 MB
    with zf.open(info, "w", force_zip64=size > 0x7FFFFFFF) as out:
        out.write(prefix)
        left = size - len(prefix)
        while left > 0:
            piece = chunk[: min(left, len(chunk))]
            out.write(piece)
            left -= len(piece)


@functools.lru_cache(maxsize=4)
def zip_bomb_docx(size: int = 1 << 30) -> bytes:
    """A DOCX whose word/document.xml inflates to `size` bytes (1 GB ≈ 4.7 MB, ~3 s)."""
    parts = build_parts(para("x"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            if name != "word/document.xml":
                zf.writestr(name, content)
        info_prefix = parts["word/document.xml"][:-len(b"</w:body></w:document>")]
        _stream_zeros(zf, "word/document.xml", size, info_prefix)
    return buf.getvalue()


def lying_zip_bomb_docx(size: int = 256 << 20) -> bytes:
    """Like zip_bomb_docx but the headers claim a tiny size (the reader must stop anyway)."""
    data = bytearray(zip_bomb_docx(size))
    # Patch the declared uncompressed size in the central directory and local header.
    name = b"word/document.xml"
    cd = data.rfind(b"PK\x01\x02", 0)
    while cd != -1:
        if data[cd + 46: cd + 46 + len(name)] == name:
            data[cd + 24: cd + 28] = (1000).to_bytes(4, "little")
        cd = data.rfind(b"PK\x01\x02", 0, cd)
    return bytes(data)


def billion_laughs_xml(levels: int = 10) -> bytes:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", '<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        lines.append(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">')
    lines.append("]>")
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    lines.append(f'<w:document xmlns:w="{ns}"><w:body><w:p><w:r><w:t>&lol{levels - 1};'
                 "</w:t></w:r></w:p></w:body></w:document>")
    return "\n".join(lines).encode()


def billion_laughs_docx() -> bytes:
    return replace_part(build_docx(para("x")), "word/document.xml", billion_laughs_xml())


def quadratic_blowup_docx(n: int = 20000) -> bytes:
    """One big entity referenced many times (no nesting): the other classic."""
    big = "A" * 50000
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "{big}">]>'
           f'<w:document xmlns:w="{ns}"><w:body><w:p><w:r><w:t>' + "&a;" * n
           + "</w:t></w:r></w:p></w:body></w:document>")
    return replace_part(build_docx(para("x")), "word/document.xml", xml.encode())


def xxe_docx() -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<w:document xmlns:w="{ns}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
           "</w:body></w:document>")
    return replace_part(build_docx(para("x")), "word/document.xml", xml.encode())


def deep_xml(depth: int = 100000) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    inner = "<w:tbl><w:tr><w:tc>" * depth + "</w:tc></w:tr></w:tbl>" * depth
    return (f'<w:document xmlns:w="{ns}"><w:body>{inner}</w:body></w:document>').encode()


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE file with an
    'EncryptedPackage' stream (directory entry names are UTF-16LE)."""
    header = bytearray(512)
    header[:8] = OLE_MAGIC
    directory = bytearray(512)
    for i, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        raw = name.encode("utf-16-le")
        directory[i * 128: i * 128 + len(raw)] = raw
    return bytes(header) + bytes(directory) + random.Random(7).randbytes(4096)


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


@functools.lru_cache(maxsize=4)
def zip_bomb_zip(size: int = 1 << 30) -> bytes:
    """A .zip attachment holding one member that inflates to `size` bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        _stream_zeros(zf, "bao-cao.docx", size, b"PK\x03\x04")
    return buf.getvalue()


# --- DOCX mutations ---------------------------------------------------------------------------


def flip_bytes(data: bytes, rng: random.Random, count: int = 8) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randrange(1, 64)) + data[at:]


GARBLED_XML = (
    b"",
    b"<",
    b"not xml at all \x00\xff",
    b'<?xml version="1.0"?><w:document/>',
    b'<w:document xmlns:w="urn:x"><w:body><w:p>',
    b'<?xml version="1.0" encoding="x-unknown"?><a/>',
    b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-16'?><a/>",
)


def mutate_docx(seed: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One structured mutation of a real DOCX; returns (what was done, bytes)."""
    parts = docx_parts(seed)
    doc_name = "word/document.xml"
    choice = rng.randrange(11)
    if choice == 0:
        return "flip", flip_bytes(seed, rng, rng.randrange(1, 32))
    if choice == 1:
        return "truncate", truncate(seed, rng)
    if choice == 2:
        return "insert", insert_bytes(seed, rng)
    if choice == 3:
        return "random document.xml", replace_part(seed, doc_name, rng.randbytes(rng.randrange(2000)))
    if choice == 4:
        return "garbled document.xml", replace_part(seed, doc_name, rng.choice(GARBLED_XML))
    if choice == 5:
        return "deep document.xml", replace_part(seed, doc_name, deep_xml(rng.choice((300, 5000, 100000))))
    if choice == 6:
        name = rng.choice(("word/numbering.xml", "word/styles.xml", "word/footnotes.xml"))
        ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        broken = rng.choice((
            rng.randbytes(200),
            f'<w:numbering xmlns:w="{ns}"><w:num w:numId="x"><w:abstractNumId w:val="-9"/>'
            f'</w:num><w:abstractNum w:abstractNumId="99999999999999999999"><w:lvl w:ilvl="999">'
            f'<w:lvlText w:val="%1.%9.%99"/><w:start w:val="-5"/></w:lvl></w:abstractNum>'
            f"</w:numbering>".encode(),
            f'<w:styles xmlns:w="{ns}"><w:style w:styleId="a"><w:basedOn w:val="b"/></w:style>'
            f'<w:style w:styleId="b"><w:basedOn w:val="a"/></w:style></w:styles>'.encode(),
            f'<w:footnotes xmlns:w="{ns}"><w:footnote w:id="abc"/><w:footnote/></w:footnotes>'.encode(),
        ))
        return f"broken {name}", replace_part(seed, name, broken)
    if choice == 7:
        victims = [n for n in parts if n != doc_name]
        victim = rng.choice(victims or [doc_name])
        return f"missing {victim}", replace_part(seed, victim, None)
    if choice == 8:
        xml = parts.get(doc_name, b"")
        huge = b"A" * rng.choice((10_000, 1_000_000, 5_000_000))
        mutated = xml.replace(b"<w:p>", b'<w:p w:rsidR="' + huge + b'">', 3)
        mutated = mutated.replace(b"<w:t>", b'<w:t xml:space="' + huge[:100000] + b'">', 3)
        return "huge attributes", replace_part(seed, doc_name, mutated)
    if choice == 9:
        xml = parts.get(doc_name, b"")
        return "mutated xml", replace_part(seed, doc_name, flip_bytes(xml, rng, rng.randrange(1, 16))
                                           if xml else b"")
    rels = "word/_rels/document.xml.rels"
    return "broken rels", replace_part(seed, rels, rng.choice((
        b"<Relationships/>", rng.randbytes(100),
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="r" Type="x/styles" Target="../../../../etc/passwd"/>'
        b'<Relationship Id="s" Type="x/numbering" Target="word/document.xml"/></Relationships>',
    )))


# --- mail -------------------------------------------------------------------------------------


def seed_emails() -> list[bytes]:
    if not SAMPLE_EMAILS.is_dir():
        return []
    return [p.read_bytes() for p in sorted(SAMPLE_EMAILS.glob("*.eml"))]


def mail(subject: str = "Báo cáo", sender: str = "a@example.org",
         attachments: list[tuple[str, bytes]] = (), message_id: str | None = None,
         body: str = "Kính gửi Ban Tuyên giáo.") -> bytes:
    """A well-formed message with attachments (name, bytes) as application/octet-stream."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "tonghop@example.org"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2022, 7, 1, 8, 0, tzinfo=UTC))
    msg["Message-ID"] = message_id or f"<{random.Random(subject + sender).getrandbits(64):x}@test>"
    msg.set_content(body)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def raw_mail(headers: str, body: bytes) -> bytes:
    """A message as written, with no repair by the stdlib: headers may be anything."""
    return headers.replace("\n", "\r\n").encode("utf-8", "surrogateescape") + b"\r\n" + body


def nested_multipart(depth: int) -> bytes:
    """multipart/mixed nested `depth` deep with an attachment at the bottom."""
    head = "From: a@example.org\nSubject: nested\nMIME-Version: 1.0\n"
    body = (b'Content-Type: application/octet-stream; name="x.docx"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n")
    for level in range(depth):
        b = f"b{level}".encode()
        body = (b'Content-Type: multipart/mixed; boundary="' + b + b'"\r\n\r\n--' + b + b"\r\n"
                + body + b"\r\n--" + b + b"--\r\n")
    return raw_mail(head, b"") [:-2] + body


MALFORMED_HEADER_MAILS: list[tuple[str, bytes]] = [
    ("bad encoded-word", raw_mail(
        "From: =?utf-8?B?!!!notbase64?= <x@example.org>\nSubject: =?utf-8?Q?=ZZ=?= =?x?y?z?=\n"
        'Content-Type: application/octet-stream; name="=?utf-8?B?////?="\n', b"abc")),
    ("unknown charset", raw_mail(
        "From: a@example.org\nSubject: =?x-unknown?B?QsOhbyBjw6Fv?=\n"
        'Content-Type: text/plain; charset="x-unknown"\n'
        "Content-Disposition: attachment; filename*=x-unknown''B%C3%A1o%20c%C3%A1o.docx\n",
        b"\xff\xfe")),
    ("broken rfc2231", raw_mail(
        "From: a@example.org\nMIME-Version: 1.0\n"
        "Content-Type: application/octet-stream\n"
        "Content-Disposition: attachment; filename*0*=utf-8''%E1%BA; filename*2=\"x\";"
        " filename*1*=%ZZ; filename*99=../../etc/passwd\n", b"data")),
    ("missing boundary", raw_mail(
        "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n",
        b"--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--\r\n")),
    ("boundary never closed", raw_mail(
        'From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="q"\n',
        b"--q\r\nContent-Type: application/octet-stream; name=a.docx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!!====@@@")),
    ("nul bytes", raw_mail("From: a\x00b@example.org\nSubject: x\x00y\n"
                           "Content-Type: application/pdf; name=\"a\x00.pdf\"\n", b"%PDF-\x00\x00")),
    ("8-bit garbage", b"From: \xff\xfe\xc3(@\x80\r\nSubject: \xe1\xba\xa0\xff\xff\r\n"
     b"Content-Type: application/octet-stream; name=\"\xc3\x28\xa0\xa1.docx\"\r\n\r\n\x00\x01"),
    ("no headers", b"\r\n\r\n\r\n"),
    ("empty", b""),
    ("bad date and id", raw_mail("From: <<<>>>\nDate: Tue, 99 Foo 20222 99:99:99 +9999\n"
                                 "Message-ID: <<a<b>\n", b"")),
    ("bad transfer encoding", raw_mail(
        "From: a@example.org\nContent-Type: application/octet-stream; name=r.docx\n"
        "Content-Transfer-Encoding: x-uuencode\n", b"begin 644 r.docx\n#86)C\n`\nend\n")),
    ("quoted-printable garbage", raw_mail(
        "From: a@example.org\nContent-Type: application/octet-stream; name=r.docx\n"
        "Content-Transfer-Encoding: quoted-printable\n", b"=\r\n=Z=\xff=0")),
    ("traversal names", raw_mail(
        'From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="z"\n',
        b"--z\r\nContent-Disposition: attachment; filename=\"../../etc/passwd\"\r\n\r\nroot\r\n"
        b"--z\r\nContent-Disposition: attachment; filename=\"..\\\\..\\\\boot.ini\"\r\n\r\nx\r\n"
        b"--z\r\nContent-Disposition: attachment; filename=\"/abs/..\"\r\n\r\nx\r\n"
        b"--z\r\nContent-Disposition: attachment; filename=\"..\"\r\n\r\nx\r\n"
        b"--z\r\nContent-Disposition: attachment; filename=\"a\x1b[31m\x07b\r.docx\"\r\n\r\nx\r\n"
        b"--z\r\nContent-Disposition: attachment; filename=\"" + b"A" * 5000 + b".docx\"\r\n\r\nx\r\n"
        b"--z--\r\n")),
    ("nested 200", nested_multipart(200)),
    ("nested 2000", nested_multipart(2000)),
]


def mutate_mail(seed: bytes, rng: random.Random) -> bytes:
    """Byte-level and line-level mutations of a real .eml."""
    choice = rng.randrange(5)
    if choice == 0:
        return flip_bytes(seed, rng, rng.randrange(1, 64)) if seed else seed
    if choice == 1:
        return truncate(seed, rng)
    if choice == 2:
        return insert_bytes(seed, rng)
    lines = seed.split(b"\n")
    if choice == 3:  # shuffle / duplicate / drop lines (boundaries, headers)
        for _ in range(rng.randrange(1, 10)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            op = rng.randrange(3)
            if op == 0:
                lines[i], lines[j] = lines[j], lines[i]
            elif op == 1:
                lines.insert(i, lines[j])
            elif len(lines) > 1:
                lines.pop(i)
        return b"\n".join(lines)
    # corrupt a header line with hostile fragments
    fragments = (b"=?utf-8?B?####?=", b"=?x-unknown?Q?=C3=A1?=", b"\x00", b"\xff\xfe",
                 b"filename*0*=utf-8''%E1; filename*1=", b'boundary=""', b"../../etc/passwd",
                 b"charset=\"x-unknown\"", SCRIPT.encode())
    i = rng.randrange(min(len(lines), 40) or 1)
    if lines:
        lines[i] = lines[i] + b" " + rng.choice(fragments)
    return b"\n".join(lines)


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Measured:
    seconds: float
    peak_bytes: int  # tracemalloc peak of Python allocations (lxml's C heap not included)
    result: object


def measure(fn: Callable[[], object], trace: bool = True) -> Measured:
    """Run fn with wall time and the tracemalloc peak recorded."""
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
    return Measured(elapsed, peak, result)


def max_rss_mb() -> float:
    """The process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
