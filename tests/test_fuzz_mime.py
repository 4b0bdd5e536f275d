"""The MIME walker on hostile mail: random and mutated real .eml, malformed headers, deep
nesting, bombs in zip attachments. parse_message never raises, names are always safe."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.mime import MessageInfo, parse_message
from tests import hostile

SEEDS = hostile.seed_emails() or [hostile.mail(attachments=[("a.docx", hostile.generated_docx())])]
MAX_SECONDS = 5.0  # a hang detector, not a benchmark: CI machines are shared
MAX_PEAK = 200 * 1024 * 1024
FUZZ = settings(max_examples=80, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_safe_name(name: str) -> None:
    assert name, "an attachment always has a name"
    assert "/" not in name and "\\" not in name, name
    assert ".." not in name.replace("...", ""), name  # no parent-directory component
    assert name not in (".", ".."), name
    assert not any(unicodedata.category(ch)[0] == "C" for ch in name), repr(name)
    assert len(name.encode("utf-8")) <= 255, len(name)


def walk_bounded(raw: bytes) -> MessageInfo:
    measured = hostile.measure(lambda: parse_message(raw))
    info = measured.result
    assert isinstance(info, MessageInfo)
    assert measured.seconds < MAX_SECONDS, f"{measured.seconds:.2f}s for {len(raw)} bytes"
    assert measured.peak_bytes < MAX_PEAK, f"peak {measured.peak_bytes / 1e6:.0f} MB"
    for attachment in info.attachments:
        assert_safe_name(attachment.name)
        assert isinstance(attachment.data, bytes)
    if info.report is not None:
        assert info.report in info.attachments
    return info


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(raw: bytes) -> None:
    walk_bounded(raw)


@settings(FUZZ, max_examples=200)
@given(st.integers(0, 2**32 - 1), st.sampled_from(range(len(SEEDS))))
def test_mutated_samples(seed: int, which: int) -> None:
    rng = random.Random(seed)
    raw = SEEDS[which]
    for _ in range(rng.randrange(1, 4)):
        raw = hostile.mutate_mail(raw, rng)
    walk_bounded(raw)


@FUZZ
@given(st.text(max_size=300))
def test_any_attachment_name_is_sanitised(name: str) -> None:
    raw = hostile.mail(attachments=[(name or "x", b"data")]) if "\x00" not in name else b""
    walk_bounded(raw)


@FUZZ
@given(st.lists(st.binary(min_size=1, max_size=120), min_size=1, max_size=6))
def test_garbage_header_lines(values: list[bytes]) -> None:
    head = b"".join(b"X-H%d: " % i + v.replace(b"\n", b" ") + b"\r\n" for i, v in enumerate(values))
    raw = (b"From: a@example.org\r\nSubject: " + values[0].replace(b"\n", b"") + b"\r\n" + head
           + b"Content-Type: application/octet-stream; name=\"" + values[-1].replace(b"\"", b"")
           .replace(b"\n", b"") + b".docx\"\r\n\r\nPK\x03\x04")
    walk_bounded(raw)


@pytest.mark.parametrize("label,raw", hostile.MALFORMED_HEADER_MAILS,
                         ids=[label for label, _ in hostile.MALFORMED_HEADER_MAILS])
def test_malformed_mail(label: str, raw: bytes) -> None:
    walk_bounded(raw)


def test_traversal_names_lose_their_path() -> None:
    info = walk_bounded(dict(hostile.MALFORMED_HEADER_MAILS)["traversal names"])
    names = [a.name for a in info.attachments]
    assert "passwd" in names and "boot.ini" in names
    assert all(len(n.encode()) <= 200 for n in names)


def test_nested_200_deep_finds_the_attachment() -> None:
    info = walk_bounded(hostile.nested_multipart(200))
    assert [a.name for a in info.attachments] == ["x.docx"]


def test_script_in_names_and_subject_is_plain_text() -> None:
    raw = hostile.mail(subject=hostile.SCRIPT, attachments=[
        (f"{hostile.SCRIPT}.docx", hostile.build_docx(hostile.para(hostile.SCRIPT)))])
    info = walk_bounded(raw)
    assert info.subject == hostile.SCRIPT  # kept as data; escaping is the renderer's job
    assert info.report is not None and "<" not in info.report.name and ">" not in info.report.name


def test_zip_bomb_attachment_is_skipped_with_a_warning() -> None:
    raw = hostile.mail(attachments=[("bao-cao.zip", hostile.zip_bomb_zip(1 << 30))])
    info = walk_bounded(raw)
    assert info.report is None
    assert any("bomb" in w for w in info.warnings), info.warnings


def test_bomb_docx_attachment_stays_a_report_candidate() -> None:
    """The walker keeps a .docx as it came; the parser is the one that refuses it."""
    raw = hostile.mail(attachments=[("bao-cao.docx", hostile.zip_bomb_docx(1 << 30))])
    info = walk_bounded(raw)
    assert info.report is not None and info.report.kind == "docx"


def test_zip_of_zips_nested_deeply() -> None:
    inner = hostile.zip_of({"r.docx": hostile.generated_docx()})
    for level in range(12):
        inner = hostile.zip_of({f"l{level}.zip": inner})
    walk_bounded(hostile.mail(attachments=[("deep.zip", inner)]))


def test_zip_member_names_with_traversal() -> None:
    archive = hostile.zip_of({"../../etc/passwd.docx": hostile.generated_docx(),
                              "..\\..\\boot.ini": b"x", "/abs/name.pdf": b"%PDF-1.4"})
    info = walk_bounded(hostile.mail(attachments=[("a.zip", archive)]))
    assert sorted(a.name for a in info.attachments) == ["boot.ini", "name.pdf", "passwd.docx"]
