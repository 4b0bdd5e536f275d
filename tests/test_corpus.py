"""The generated corpus (pipeline.corpus): real DOCX and RFC 5322 bytes, truth that matches
what is written, determinism, and the parser's accuracy measured against it."""

from __future__ import annotations

import argparse
import email
import importlib.util
import io
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections import Counter
from email import policy

import docx
import pytest
from lxml import etree

from pipeline.config import load_campaign
from pipeline.corpus import generate_corpus
from pipeline.corpus.tcvn3 import TCVN3_BYTES, encode_vntime, encode_vntimeh
from tests.helpers import on_ci, require_binary

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DECODE = {chr(v): k for k, v in TCVN3_BYTES.items()}


@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


@pytest.fixture(scope="module")
def corpus(campaign):
    return generate_corpus(5, 30, campaign)


# --- an independent reader of the accepted text --------------------------------------------


def _run_font(run) -> str:
    fonts = run.find(f"{W}rPr/{W}rFonts")
    return fonts.get(f"{W}ascii", "") if fonts is not None else ""


def _decode(text: str, font: str) -> str:
    if font.startswith(".Vn"):
        text = "".join(DECODE.get(c, c) for c in text)
        if font.endswith("H"):
            text = text.upper()
    return unicodedata.normalize("NFC", text)


def _paragraph_text(p) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
        owner = next(a for a in el.iterancestors(f"{W}p"))
        if owner is not p:  # text of a text box inside this paragraph: its own paragraphs
            continue
        if el.tag == f"{W}t":
            run = el.getparent()
            out.append(_decode(el.text or "", _run_font(run)))
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def accepted_paragraphs(data: bytes) -> list[str]:
    z = zipfile.ZipFile(io.BytesIO(data))
    paras = []
    for part in ("word/document.xml", "word/footnotes.xml"):
        root = etree.fromstring(z.read(part))
        paras += [_paragraph_text(p) for p in root.iter(f"{W}p")]
    return [p for p in paras if p]


# --- DOCX validity -----------------------------------------------------------------------------


def test_reports_are_valid_docx(corpus):
    assert len(corpus.reports) >= 25
    for rep in corpus.reports:
        z = zipfile.ZipFile(io.BytesIO(rep.data))
        assert z.testzip() is None
        names = set(z.namelist())
        for required in ("[Content_Types].xml", "_rels/.rels", "word/document.xml",
                         "word/styles.xml", "word/numbering.xml", "word/footnotes.xml",
                         "word/settings.xml", "word/_rels/document.xml.rels"):
            assert required in names, (rep.doc_id, required)
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))  # well-formed
        document = docx.Document(io.BytesIO(rep.data))
        assert document.paragraphs, rep.doc_id
        styles = {s.style_id for s in document.styles}
        assert {"Heading1", "Heading2", "Heading3"} <= styles


def test_quirks_are_really_in_the_xml(corpus):
    """Each quirk the truth claims is present in the bytes, and the mix covers them all."""
    seen = Counter()
    for rep in corpus.reports:
        xml = zipfile.ZipFile(io.BytesIO(rep.data)).read("word/document.xml").decode("utf-8")
        q = set(rep.truth.quirks)
        seen.update(q)
        if "tracked_changes" in q:
            assert "<w:ins " in xml or "<w:del " in xml
        if "auto_numbering" in q:
            assert "<w:numPr>" in xml
        if "outline_level" in q:
            assert "<w:outlineLvl " in xml
        if "tcvn3" in q:
            assert ".VnTime" in xml
        if "header_textbox" in q:
            assert "<w:txbxContent>" in xml
        if "footnotes" in q:
            assert "<w:footnoteReference " in xml
        if "nfd" in q:
            assert unicodedata.normalize("NFC", xml) != xml
        if "line_breaks" in q:
            assert "<w:br/>" in xml
    wide = generate_corpus(9, 120, load_campaign())
    for rep in wide.reports:
        seen.update(rep.truth.quirks)
    for quirk in ("tracked_changes", "auto_numbering", "outline_level", "tcvn3", "nfd",
                  "header_textbox", "header_table", "header_plain", "footnotes", "figure_table",
                  "documents_table", "merged", "skipped", "reordered", "paraphrased",
                  "not_applicable", "extra_heading", "fragmented_runs", "line_breaks",
                  "two_paragraph_part_heading", "custom_heading_styles"):
        assert seen[quirk] > 0, quirk


# --- truth against the written text ----------------------------------------------------------


QUAL = {"tren": "trên", "hon": "hơn", "gan": "gần", "khoang": "khoảng"}


def test_truth_matches_written_text(corpus):
    for rep in corpus.reports:
        paras = accepted_paragraphs(rep.data)
        text = " ".join(paras)
        t = rep.truth
        for s in t.sections:
            assert s["heading_text"] in text, (rep.doc_id, s["heading_text"])
            if s["label_kind"] == "typed" and s["label"]:
                assert s["heading_text"].startswith(s["label"]), (rep.doc_id, s)
            if s["first_words"]:
                assert s["first_words"] in text, (rep.doc_id, s["first_words"])
        for f in t.indicators:
            expr = f["written"] if f["qualifier"] is None else f"{QUAL[f['qualifier']]} {f['written']}"
            assert expr in text, (rep.doc_id, f)
        for row in t.documents:
            assert row["so_hieu"] in text and row["ngay_written"] in text
        for heading in t.extra_headings:
            assert heading in text
        # Section ids are canonical, in a plausible order, and never repeated.
        ids = [s["id"] for s in t.sections]
        assert len(ids) == len(set(ids))
        assert not set(ids) - {s.id for s in load_campaign().sections}
        assert t.unit_id in {u.id for u in corpus.registry.units}


def test_deleted_text_is_not_truth(corpus):
    tracked = [r for r in corpus.reports if "tracked_changes" in r.truth.quirks]
    wide = generate_corpus(21, 80, load_campaign())
    tracked += [r for r in wide.reports if "tracked_changes" in r.truth.quirks]
    assert tracked
    checked = 0
    for rep in tracked:
        root = etree.fromstring(zipfile.ZipFile(io.BytesIO(rep.data)).read("word/document.xml"))
        deleted = ["".join(d.itertext()) for d in root.iter(f"{W}del")]
        accepted = " ".join(accepted_paragraphs(rep.data))
        for d in deleted:
            if d.strip() and d.strip() not in accepted:
                checked += 1
    assert checked > 0


def test_tcvn3_table_agrees_with_glibc_iconv():
    iconv = shutil.which("iconv")
    if iconv is None:
        pytest.skip("iconv not installed")
    sample = "Đảng bộ Khối các cơ quan tỉnh Phú Thọ: tuyên truyền viên, bảng tin, ưu điểm"
    encoded = encode_vntime(sample).encode("latin-1")
    decoded = subprocess.run([iconv, "-f", "TCVN5712-1", "-t", "UTF-8"], input=encoded,
                             capture_output=True, check=True).stdout.decode("utf-8")
    assert unicodedata.normalize("NFC", decoded) == sample
    caps = encode_vntimeh("ĐẢNG CỘNG SẢN VIỆT NAM").encode("latin-1")
    out = subprocess.run([iconv, "-f", "TCVN5712-1", "-t", "UTF-8"], input=caps,
                         capture_output=True, check=True).stdout.decode("utf-8")
    assert unicodedata.normalize("NFC", out).upper() == "ĐẢNG CỘNG SẢN VIỆT NAM"


# --- determinism -------------------------------------------------------------------------------


def test_deterministic_for_a_seed(campaign):
    a = generate_corpus(3, 12, campaign)
    b = generate_corpus(3, 12, campaign)
    assert [r.data for r in a.reports] == [r.data for r in b.reports]
    assert [e.raw for e in a.emails] == [e.raw for e in b.emails]
    assert a.status == b.status and a.totals == b.totals
    c = generate_corpus(4, 12, campaign)
    assert [r.data for r in a.reports] != [r.data for r in c.reports]


# --- emails ------------------------------------------------------------------------------------


def _attachments(msg) -> list[tuple[str, bytes]]:
    out = []
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            continue
        if part.get_content_disposition() == "attachment" and part.get_filename():
            out.append((part.get_filename(), part.get_payload(decode=True)))
    return out


def test_emails_parse_and_attachments_roundtrip(corpus):
    scenarios = Counter()
    for e in corpus.emails:
        msg = email.message_from_bytes(e.raw, policy=policy.default)
        assert msg["Message-ID"] == e.message_id
        assert msg["Date"].datetime == e.date
        assert e.sender in str(msg["From"])
        scenarios[e.scenario] += 1
        got = _attachments(msg)
        want = e.attachments
        assert len(got) == len(want), e.name
        for (gname, gdata), (wname, wdata) in zip(got, want, strict=True):
            assert unicodedata.normalize("NFC", gname) == unicodedata.normalize("NFC", wname)
            assert gdata == wdata
        if e.report_doc_id and e.expected != "error_corrupt":
            report = corpus.report(e.report_doc_id).data
            payloads = [d for _, d in got]
            for _, d in got:
                if d[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(d)):
                    z = zipfile.ZipFile(io.BytesIO(d))
                    if "word/document.xml" not in z.namelist():
                        payloads += [z.read(n) for n in z.namelist()]
            assert report in payloads, e.name
        if e.expected == "error_corrupt":
            (_, data), = got
            assert not zipfile.is_zipfile(io.BytesIO(data))
    assert {"normal", "question", "newsletter"} <= set(scenarios)


def test_email_edge_cases_present(campaign):
    corpus = generate_corpus(8, 80, campaign)
    tags = Counter(t for e in corpus.emails for t in e.tags)
    expected = Counter(e.expected for e in corpus.emails)
    for tag in ("filename_rfc2231", "filename_outlook2047", "filename_nfd_mac", "zip_attachment",
                "forwarded_rfc822", "docx_plus_signed_scan_pdf", "same_message_id_redelivered",
                "corrected_version", "truncated_docx", "after_deadline", "unregistered_sender"):
        assert tags[tag] > 0, tag
    for outcome in ("report", "resubmission_supersedes", "duplicate", "ignore",
                    "unknown_sender_resolved_by_content", "error_corrupt", "late"):
        assert expected[outcome] > 0, outcome
    raw_2047 = next(e.raw for e in corpus.emails if "filename_outlook2047" in e.tags)
    assert b'filename="=?utf-8?B?' in raw_2047
    nfd = next(e for e in corpus.emails if "filename_nfd_mac" in e.tags)
    name = _attachments(email.message_from_bytes(nfd.raw, policy=policy.default))[0][0]
    assert unicodedata.normalize("NFD", name) == name and not name.isascii()
    dups = [e for e in corpus.emails if e.expected == "duplicate"]
    for d in dups:
        first = next(e for e in corpus.emails if e.message_id == d.message_id and e is not d)
        assert first.raw == d.raw and first.delivered_at < d.delivered_at
    registered = {a for u in corpus.registry.units for a in u.emails}
    for e in corpus.emails:
        if e.expected == "unknown_sender_resolved_by_content":
            assert e.sender not in registered


def test_status_follows_deliveries(corpus):
    deadline = corpus.deadline
    assert set(corpus.status) == {u.id for u in corpus.registry.units}
    for unit_id, st in corpus.status.items():
        mails = [e for e in corpus.emails if e.expected_unit_id == unit_id and e.report_doc_id
                 and e.expected in ("report", "resubmission_supersedes", "late",
                                    "unknown_sender_resolved_by_content")]
        if st["status"] == "missing":
            assert not mails and st["final_doc_id"] is None
            continue
        last = max(mails, key=lambda e: e.delivered_at)
        assert st["final_doc_id"] == last.report_doc_id
        assert (st["status"] == "late") == (last.delivered_at > deadline)
    finals = {st["final_doc_id"] for st in corpus.status.values() if st["final_doc_id"]}
    hoi_nghi = sum(f["value"] for r in corpus.reports if r.doc_id in finals
                   for f in r.truth.indicators if f["indicator"] == "hoi_nghi")
    assert corpus.totals["indicators"]["hoi_nghi"]["total"] == hoi_nghi


def test_write_layout_and_mtimes(corpus, tmp_path):
    corpus.write(tmp_path)
    listed = json.loads((tmp_path / "emails.json").read_text(encoding="utf-8"))
    assert len(listed) == len(corpus.emails)
    for entry, e in zip(listed, corpus.emails, strict=True):
        path = tmp_path / entry["eml"]
        assert path.read_bytes() == e.raw
        assert abs(path.stat().st_mtime - e.delivered_at.timestamp()) < 1
    truth = json.loads((tmp_path / "truth" / f"{corpus.reports[0].doc_id}.json").read_text())
    assert truth["unit_id"] == corpus.reports[0].truth.unit_id
    assert "[[units]]" in (tmp_path / "units.toml").read_text(encoding="utf-8")


# --- real readers: LibreOffice opens them ------------------------------------------------------


@pytest.mark.soffice
def test_libreoffice_opens_generated_reports(corpus, tmp_path):
    soffice = require_binary("soffice", "libreoffice")
    picks = []
    for quirk in ("tcvn3", "nfd", "tracked_changes", "header_textbox", "auto_numbering"):
        rep = next((r for r in corpus.reports if quirk in r.truth.quirks and r not in picks), None)
        if rep is not None:
            picks.append(rep)
    for rep in picks:
        (tmp_path / f"{rep.doc_id}.docx").write_bytes(rep.data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    *[str(tmp_path / f"{r.doc_id}.docx") for r in picks]],
                   check=True, capture_output=True, timeout=240)
    for rep in picks:
        text = (tmp_path / f"{rep.doc_id}.txt").read_text(encoding="utf-8-sig")
        text = " ".join(unicodedata.normalize("NFC", text).split())
        section = next(s for s in rep.truth.sections if s["level"] == 2)
        if "tcvn3" not in rep.truth.quirks:  # TCVN3 runs show as legacy bytes in plain text
            assert section["title"] in text, (rep.doc_id, section)
        for f in rep.truth.indicators:
            if f["location"] == "body" and "tcvn3" not in rep.truth.quirks:
                assert f["written"] in text, (rep.doc_id, f)


# --- the parser measured against the truth -----------------------------------------------------


def _parser_available() -> bool:
    needed = ("parsers.docx", "parsers.structure", "parsers.indicators", "parsers.header",
              "parsers.doctable")
    try:
        return all(importlib.util.find_spec(m) is not None for m in needed)
    except ImportError:
        return False


def measure_parser(corpus, n: int = 50) -> dict[str, float]:
    """Recall/precision of sections and facts; unit and date accuracy, over n reports."""
    from parsers.report import parse_report

    c = Counter()
    for rep in corpus.reports[:n]:
        t = rep.truth
        res = parse_report(rep.data, rep.doc_id, corpus.campaign, corpus.registry)
        c["docs"] += 1
        if not res.ok:
            c["sec_truth"] += len(t.sections)
            c["fact_truth"] += len(t.indicators)
            continue
        c["unit"] += res.unit.id == t.unit_id
        c["date"] += res.report_date == t.report_date
        ts = Counter(s["id"] for s in t.sections)
        ps = Counter(s.id for s in res.sections if s.id)
        c["sec_truth"] += sum(ts.values())
        c["sec_pred"] += sum(ps.values())
        c["sec_match"] += sum((ts & ps).values())
        tf = Counter((f["indicator"], f["value"], f["qualifier"], f["section"])
                     for f in t.indicators)
        pf = Counter((f.indicator, f.value, f.qualifier, f.section) for f in res.indicators)
        c["fact_truth"] += sum(tf.values())
        c["fact_pred"] += sum(pf.values())
        c["fact_match"] += sum((tf & pf).values())
    return {
        "unit": c["unit"] / c["docs"],
        "date": c["date"] / c["docs"],
        "sections_recall": c["sec_match"] / max(1, c["sec_truth"]),
        "sections_precision": c["sec_match"] / max(1, c["sec_pred"]),
        "facts_recall": c["fact_match"] / max(1, c["fact_truth"]),
        "facts_precision": c["fact_match"] / max(1, c["fact_pred"]),
    }


def test_parser_accuracy_on_generated_reports(campaign):
    if not _parser_available():
        if on_ci():
            pytest.fail("parsers (docx/structure/indicators/header/doctable) are missing")
        pytest.skip("the report parser is not there yet")
    corpus = generate_corpus(12, 60, campaign)
    scores = measure_parser(corpus, 50)
    print("parser accuracy on generated reports:", json.dumps(scores))
    for name, value in scores.items():
        assert value >= 0.95, (name, scores)


# --- the demo command --------------------------------------------------------------------------


def test_demo_builds_a_maildir_and_runs(tmp_path, capsys, monkeypatch):
    from pipeline import cmd_demo

    # setenv first so monkeypatch restores the variable's absence after the demo sets it.
    monkeypatch.setenv("TONGHOP_NOW", "")
    monkeypatch.delenv("TONGHOP_NOW")
    out = tmp_path / "demo"
    code = cmd_demo.run(argparse.Namespace(out=out, units=8))
    printed = capsys.readouterr().out
    new = sorted((out / "mailbox" / "new").iterdir())
    assert new and (out / "mailbox" / "cur").is_dir() and (out / "mailbox" / "tmp").is_dir()
    corpus = generate_corpus(cmd_demo.DEMO_SEED, 8, load_campaign())
    assert len(new) == len(corpus.emails)
    by_raw = {e.raw: e for e in corpus.emails}
    for path in new:
        mail = by_raw[path.read_bytes()]
        assert abs(path.stat().st_mtime - mail.delivered_at.timestamp()) < 1
    assert (out / "units.toml").is_file() and (out / "tonghop.toml").is_file()
    assert re.search(r"TONGHOP_NOW=2022-07-21T08:00:00\+07:00", printed)
    for step in ("poll", "export", "digest", "draft"):
        assert step in printed
    assert "draft report" in printed and str(out / "draft.docx") in printed
    if all(importlib.util.find_spec(f"pipeline.cmd_{s}") for s in ("poll", "export", "digest",
                                                                   "draft")):
        assert code == 0, printed
        assert (out / "digest.html").is_file()
        assert (out / "draft.docx").is_file()
        assert (out / "exports" / "indicators.csv").is_file()
        docx.Document(str(out / "draft.docx"))
