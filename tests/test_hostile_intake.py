"""Hostile mail end to end through the real CLI on a real Maildir: every bad message ends
as a recorded error, the good report still counts, every raw message is archived,
nothing is written outside the data directory, and the digest escapes document text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests import hostile
from tests.helpers import REPO, require_samples
from tests.helpers_mail import deliver_maildir, require_report_parser, write_config

GOOD_SENDER = "vanphong.stp@phutho.gov.vn"  # registered in the samples' units.toml
KNOWN_SENDER = "dangbosyt@phutho.gov.vn"  # so-y-te: its only mail holds a damaged zip


def tonghop(config: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def hostile_mailbox() -> list[tuple[str, bytes]]:
    """(label, raw message): one good report and the hostile ones."""
    samples = require_samples()
    good = (samples / "docs" / "d002.docx").read_bytes()
    script_doc = hostile.build_docx(
        hostile.para(f"ĐẢNG BỘ {hostile.SCRIPT}") + hostile.para(f"I. {hostile.SCRIPT}"))
    return [
        ("good", hostile.mail("Báo cáo CT07", GOOD_SENDER, [("bao-cao.docx", good)])),
        ("traversal", hostile.mail("tệp lạ", "x1@evil.example", [
            ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"),
            ("..\\..\\boot.ini.docx", b"[boot loader]\r\ntimeout=30\r\n")])),
        ("30 MB", hostile.mail("tệp lớn", "x2@evil.example", [
            ("lon.docx", b"PK\x03\x04" + os.urandom(30 * 1024 * 1024))])),
        ("encrypted", hostile.mail("có mật khẩu", "x3@evil.example", [
            ("mat-khau.docx", hostile.encrypted_docx())])),
        ("zip bomb docx", hostile.mail("bom", "x4@evil.example", [
            ("bom.docx", hostile.zip_bomb_docx(1 << 30))])),
        ("zip bomb zip", hostile.mail("bom nén", "x5@evil.example", [
            ("bom.zip", hostile.zip_bomb_zip(1 << 30))])),
        ("laughs", hostile.mail("cười", "x6@evil.example", [
            ("cuoi.docx", hostile.billion_laughs_docx())])),
        ("malformed headers", hostile.raw_mail(
            "From: =?x-unknown?B?!!!?= <x7@evil.example>\nSubject: =?utf-8?Q?=ZZ?= \x00\n"
            "Message-ID: <<bad@@id>\nDate: Tue, 99 Foo 20222\nMIME-Version: 1.0\n"
            "Content-Type: application/octet-stream\n"
            "Content-Disposition: attachment; filename*0*=x-unknown''%E1%BA; "
            "filename*1=\"hong.docx\"\nContent-Transfer-Encoding: base64\n",
            b"UEsDBBQAAAAIAA==\r\n")),
        ("damaged zip from a unit", hostile.mail("Báo cáo Sở Y tế", KNOWN_SENDER, [
            ("bao-cao-syt.zip", b"PK\x03\x04 truncated")], message_id="<hong-zip@syt>")),
        ("script", hostile.mail(hostile.SCRIPT, "x8@evil.example", [
            (f"{hostile.SCRIPT}.docx", script_doc)], body=hostile.SCRIPT)),
    ]


@pytest.fixture(scope="module")
def polled(tmp_path_factory):
    require_report_parser()
    tmp = tmp_path_factory.mktemp("hostile")
    maildir = tmp / "Maildir"
    config = write_config(tmp, f'[mailbox]\nkind = "maildir"\npath = "{maildir}"\n')
    messages = hostile_mailbox()
    when = datetime.fromisoformat("2022-07-01T08:00:00+07:00")
    for i, (_, raw) in enumerate(messages):
        deliver_maildir(maildir, raw, when + timedelta(minutes=i))
    before = tree(tmp)
    poll = tonghop(config, "poll", "--once")
    status = json.loads(tonghop(config, "status", "--json").stdout)
    digest_file = tmp / "out" / "digest.html"
    tonghop(config, "digest", "--out", str(digest_file))
    return {"tmp": tmp, "config": config, "messages": messages, "before": before,
            "poll": poll.stdout, "status": status, "digest": digest_file.read_text("utf-8")}


def all_errors(status: dict) -> list[str]:
    found = [f"{e['file'] or ''}: {e['error'] or ''}" for e in status["errors"]]
    for unit in status["units"]:
        found.extend(unit["errors"])
    return found


def test_good_report_counts(polled) -> None:
    submitted = [u for u in polled["status"]["units"] if u["status"] != "missing"]
    assert [u["file"] for u in submitted] == ["bao-cao.docx"], polled["status"]["units"]
    assert submitted[0]["errors"] == []


@pytest.mark.parametrize("needle", [
    "boot.ini.docx", "lon.docx: file too large", "mat-khau.docx: the document is password",
    "bom.docx", "bom.zip: bao-cao.docx skipped", "cuoi.docx", "hong.docx"])
def test_each_bad_message_is_a_recorded_error(polled, needle: str) -> None:
    errors = all_errors(polled["status"])
    assert any(needle in e for e in errors), (needle, errors)


def test_unreadable_mail_from_a_registered_sender_is_on_its_unit(polled) -> None:
    [entry] = [e for e in polled["status"]["errors"] if "bao-cao-syt.zip" in e["error"]]
    assert (entry["message_id"], entry["sender"], entry["unit_id"]) == (
        "<hong-zip@syt>", KNOWN_SENDER, "so-y-te")
    [unit] = [u for u in polled["status"]["units"] if u["id"] == "so-y-te"]
    assert unit["status"] == "missing"
    assert any("bao-cao-syt.zip: damaged zip file" in e for e in unit["errors"]), unit
    assert "Đảng bộ Sở Y tế" in polled["digest"]


def test_errors_say_why(polled) -> None:
    errors = " | ".join(all_errors(polled["status"]))
    for why in ("too large", "password-protected", "zip bomb", "DOCTYPE"):
        assert why in errors, (why, errors)


def test_every_raw_message_is_archived(polled) -> None:
    archive = polled["tmp"] / "var" / "archive"
    emls = sorted(archive.rglob("*.eml"))
    assert len(emls) == len(polled["messages"])
    archived = {p.read_bytes() for p in emls}
    for label, raw in polled["messages"]:
        assert raw in archived, label


def test_nothing_written_outside_the_data_dirs(polled) -> None:
    tmp = polled["tmp"]
    new = tree(tmp) - polled["before"]
    allowed = (tmp / "var", tmp / "out")
    stray = [p for p in new if not any(p.is_relative_to(a) for a in allowed)]
    assert stray == []
    assert not [p for p in tree(tmp) if p.name in ("passwd", "boot.ini", "boot.ini.docx")]


def test_digest_escapes_markup(polled) -> None:
    html = polled["digest"]
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html
    assert "<script" not in html.lower()


def test_digest_lists_the_failures(polled) -> None:
    html = polled["digest"]
    for name in ("boot.ini.docx", "lon.docx", "mat-khau.docx", "bom.docx", "cuoi.docx"):
        assert name in html, name


def test_second_poll_changes_nothing(polled) -> None:
    before = json.dumps(polled["status"]["errors"], sort_keys=True)
    tonghop(polled["config"], "poll", "--once")
    status = json.loads(tonghop(polled["config"], "status", "--json").stdout)
    assert json.dumps(status["errors"], sort_keys=True) == before
