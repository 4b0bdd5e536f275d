"""Property-based tests of the report parser on hostile bytes: random, mutated real DOCX,
bombs. parse_report must always return a ParseResult, quickly and in bounded memory."""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.report import parse_report
from parsers.result import ParseResult
from pipeline.config import load_campaign
from tests import hostile

CAMPAIGN = load_campaign()
SEEDS = hostile.seed_docs()
for _seed in [*SEEDS, b"%PDF-1.4\n"]:  # warm up: lazy imports are not per-input costs
    parse_report(_seed, "warm-up.docx", CAMPAIGN)
MAX_SECONDS = 5.0  # a hang detector, not a benchmark: CI machines are shared
MAX_PEAK = 200 * 1024 * 1024
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parse_bounded(data: bytes, file: str = "fuzz.docx") -> ParseResult:
    """parse_report under the time and memory bounds; never an exception."""
    measured = hostile.measure(lambda: parse_report(data, file, CAMPAIGN))
    result = measured.result
    assert isinstance(result, ParseResult)
    assert result.ok or result.error, "a failure must say why"
    assert measured.seconds < MAX_SECONDS, f"{measured.seconds:.2f}s for {len(data)} bytes"
    assert measured.peak_bytes < MAX_PEAK, f"peak {measured.peak_bytes / 1e6:.0f} MB"
    result.to_json()  # what `tonghop parse` prints must be serialisable too
    return result


def test_seeds_parse() -> None:
    for seed in SEEDS:
        assert parse_bounded(seed).ok


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    parse_bounded(data)


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_with_zip_magic(tail: bytes) -> None:
    parse_bounded(b"PK\x03\x04" + tail)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_with_pdf_magic(tail: bytes) -> None:
    parse_bounded(b"%PDF-1.4\n" + tail, "fuzz.pdf")


@FUZZ
@given(st.integers(0, 2**32 - 1), st.sampled_from(range(len(SEEDS))))
def test_structured_mutations(seed: int, which: int) -> None:
    rng = random.Random(seed)
    what, data = hostile.mutate_docx(SEEDS[which], rng)
    result = parse_bounded(data)
    if what.startswith("missing word/document.xml"):
        assert not result.ok


@FUZZ
@given(st.binary(max_size=3000))
def test_random_document_xml(xml: bytes) -> None:
    parse_bounded(hostile.replace_part(SEEDS[-1], "word/document.xml", xml))


@FUZZ
@given(st.text(max_size=300))
def test_text_with_any_characters(text: str) -> None:
    """Any Unicode (controls, surrogates excluded by XML) in a paragraph parses or fails cleanly."""
    from xml.sax.saxutils import escape

    safe = "".join(ch for ch in text if ch in "\t\n\r" or (ch >= " " and ch not in "\ufffe\uffff"))
    body = f'<w:p><w:r><w:t xml:space="preserve">{escape(safe)}</w:t></w:r></w:p>'
    parse_bounded(hostile.replace_part(
        SEEDS[-1], "word/document.xml",
        hostile.docx_parts(hostile.build_docx(body))["word/document.xml"]))


@pytest.mark.parametrize("part", ["word/numbering.xml", "word/styles.xml", "word/footnotes.xml"])
@pytest.mark.parametrize("content", [b"", b"<", b"\x00\xff" * 50, b"<a/>", None])
def test_broken_side_parts(part: str, content: bytes | None) -> None:
    for seed in SEEDS:
        result = parse_bounded(hostile.replace_part(seed, part, content))
        if content is None:  # a missing side part is not fatal
            assert result.ok, result.error


def test_missing_document_part() -> None:
    result = parse_bounded(hostile.replace_part(SEEDS[-1], "word/document.xml", None))
    assert not result.ok and "document.xml" in result.error


def test_zip_bomb() -> None:
    bomb = hostile.zip_bomb_docx(1 << 30)
    result = parse_bounded(bomb, "bomb.docx")
    assert not result.ok
    assert "bomb" in result.error or "too large" in result.error


def test_zip_bomb_with_lying_headers() -> None:
    """Headers claim 1000 bytes; the reader must still stop at its own cap."""
    result = parse_bounded(hostile.lying_zip_bomb_docx(256 << 20), "liar.docx")
    assert not result.ok


@pytest.mark.parametrize("build", [hostile.billion_laughs_docx, hostile.quadratic_blowup_docx,
                                   hostile.xxe_docx])
def test_entity_bombs_and_xxe(build) -> None:
    result = parse_bounded(build(), "laughs.docx")
    assert not result.ok
    assert "DOCTYPE" in result.error
    assert "root:" not in result.to_json().__repr__()  # /etc/passwd never read


@pytest.mark.parametrize("depth", [300, 5000, 100000])
def test_deeply_nested_tables(depth: int) -> None:
    result = parse_bounded(hostile.replace_part(SEEDS[-1], "word/document.xml",
                                                hostile.deep_xml(depth)))
    assert result.ok or result.error


def test_encrypted_docx() -> None:
    result = parse_bounded(hostile.encrypted_docx(), "secret.docx")
    assert not result.ok and "password" in result.error


def test_huge_attributes() -> None:
    xml = hostile.docx_parts(SEEDS[-1])["word/document.xml"]
    huge = b"A" * 5_000_000
    mutated = xml.replace(b"<w:p>", b'<w:p w:rsidR="' + huge + b'">', 1)
    assert mutated != xml
    parse_bounded(hostile.replace_part(SEEDS[-1], "word/document.xml", mutated))


def test_script_in_text_is_kept_as_text() -> None:
    """Markup in a document is data: it comes back as the same characters, not parsed."""
    body = hostile.para(f"I. TÌNH HÌNH {hostile.SCRIPT}") + hostile.para(hostile.SCRIPT * 3)
    result = parse_bounded(hostile.build_docx(body), f"{hostile.SCRIPT}.docx")
    assert result.ok
    assert hostile.SCRIPT in repr(result.to_json())


def test_bench_fuzz_run_short() -> None:
    """The standalone fuzzing run (bench/fuzz_run.py), bounded: no crash, within bounds."""
    import importlib.util

    from tests.helpers import REPO

    spec = importlib.util.spec_from_file_location("fuzz_run", REPO / "bench" / "fuzz_run.py")
    fuzz_run = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_run"] = fuzz_run  # dataclasses look their module up there
    spec.loader.exec_module(fuzz_run)
    samples = fuzz_run.run(60, seed=3)
    text, ok = fuzz_run.summary(samples)
    assert len(samples) == 60 and {s.target for s in samples} == {"docx", "mime"}
    assert ok, text
