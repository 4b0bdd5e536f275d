"""Hostile or broken input: read_docx raises ReadError, quickly, with a clear message."""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
import zlib

import pytest

from parsers.docx import read_docx
from parsers.model import ReadError
from tests.docx_builder import build_docx, build_parts, para, zip_parts

GOOD = build_docx(para("Báo cáo"))


def fails_fast(data: bytes, *words: str) -> str:
    start = time.process_time()  # CPU time: robust to a loaded machine
    with pytest.raises(ReadError) as info:
        read_docx(data)
    elapsed = time.process_time() - start
    assert elapsed < 1.0, f"took {elapsed:.2f}s"
    message = str(info.value)
    for word in words:
        assert word in message.lower(), message
    return message


def test_good_document_reads() -> None:
    assert read_docx(GOOD).paragraphs()[0].text == "Báo cáo"


def test_not_a_zip() -> None:
    fails_fast(b"Hello, this is plain text", "not")
    fails_fast(b"", "not")
    fails_fast(b"PK\x03\x04garbage", "damaged")


def test_truncated_zip() -> None:
    fails_fast(GOOD[: len(GOOD) // 2], "damaged")


def test_missing_document_xml() -> None:
    files = build_parts(para("x"))
    del files["word/document.xml"]
    fails_fast(zip_parts(files), "document.xml")


def test_fifty_megabyte_input() -> None:
    data = b"PK\x03\x04" + os.urandom(1024) * (50 * 1024)
    assert len(data) > 50_000_000
    fails_fast(data, "too large")


def test_zip_bomb_by_declared_size() -> None:
    files = build_parts(para("x"))
    filler = para("0" * 100) * 250_000  # 38 MB inflated
    files["word/document.xml"] = files["word/document.xml"].replace(
        b"</w:body>", filler.encode() + b"</w:body>"
    )
    fails_fast(zip_parts(files), "too large")


def test_zip_bomb_by_ratio() -> None:
    files = build_parts(para("x"))
    # 10 MB (under the size cap) of one repeated paragraph compresses ~1000:1
    filler = para("0" * 100) * 70_000
    files["word/document.xml"] = files["word/document.xml"].replace(
        b"</w:body>", filler.encode() + b"</w:body>"
    )
    data = zip_parts(files)
    assert len(data) < 2_000_000
    fails_fast(data, "zip bomb")


def test_zip_bomb_with_lying_size() -> None:
    """A deflate stream far longer than the size its header declares is cut off, not inflated."""
    payload = b"<w:p/>" * 10_000_000  # 60 MB inflated
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = comp.compress(payload) + comp.flush()
    files = build_parts(para("x"))
    data = bytearray(zip_parts({k: v for k, v in files.items() if k != "word/document.xml"}))
    # append a document.xml entry by hand, declaring 1 kB uncompressed
    name = b"word/document.xml"
    crc = zlib.crc32(payload[:1000])
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated), 1000, len(name), 0)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        infos = zf.infolist()
        blobs = {i.filename: zf.read(i) for i in infos}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, v in blobs.items():
            zf.writestr(k, v)
    base = out.getvalue()
    cd_start = base.index(b"PK\x01\x02")
    entries = base[cd_start : base.index(b"PK\x05\x06")]
    offset = cd_start
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(deflated), 1000,
        len(name), 0, 0, 0, 0, 0, offset,
    )
    body = base[:cd_start] + local + name + deflated
    cd = entries + central + name
    count = len(blobs) + 1
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(cd), len(body), 0)
    fails_fast(body + cd + eocd)


def test_entity_bomb() -> None:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(1, 10))
        + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    files = build_parts(para("x"))
    files["word/document.xml"] = lol.encode()
    fails_fast(zip_parts(files), "doctype")


def test_entity_bomb_in_utf16_part() -> None:
    bomb = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    files = build_parts(para("x"))
    files["word/document.xml"] = bomb.encode("utf-16")
    fails_fast(zip_parts(files), "doctype")


def test_external_entity() -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    files = build_parts(para("x"))
    files["word/styles.xml"] = xxe.encode()
    files["word/_rels/document.xml.rels"] = files["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/styles" Target="styles.xml"/></Relationships>',
    )
    message = fails_fast(zip_parts(files), "doctype")
    assert "root:" not in message


def test_malformed_xml() -> None:
    files = build_parts(para("x"))
    files["word/document.xml"] = b"<w:document><w:body><w:p>"
    fails_fast(zip_parts(files), "malformed")


def test_deeply_nested_xml() -> None:
    files = build_parts(para("x"))
    depth = 5000
    files["word/document.xml"] = files["word/document.xml"].replace(
        b"<w:body>", b"<w:body>" + b"<w:sdt><w:sdtContent>" * depth
    ).replace(b"</w:body>", b"</w:sdtContent></w:sdt>" * depth + b"</w:body>")
    fails_fast(zip_parts(files))


def test_password_protected_zip_entry() -> None:
    data = bytearray(GOOD)
    # set the "encrypted" flag bit on every local and central header
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(sig)
        while pos != -1:
            data[pos + flag_at] |= 0x01
            pos = data.find(sig, pos + 4)
    fails_fast(bytes(data), "password")


def test_ole_encrypted_package() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le")
    fails_fast(ole, "not")


def test_random_mutations_only_raise_read_error() -> None:
    import random

    rng = random.Random(7)
    outcomes: dict[str, int] = {"read": 0, "refused": 0}
    for _ in range(200):
        data = bytearray(GOOD)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_docx(bytes(data))  # anything but ReadError escaping fails the test
            outcomes["read"] += 1
        except ReadError as exc:
            assert str(exc)
            outcomes["refused"] += 1
    assert outcomes["refused"] > 100
