"""Intake from a real Maildir: storage, dedupe, UID tracking, crash safety, then the
sample corpus end to end once the report parser exists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest

from aggregators.status import unit_statuses
from pipeline import intake
from pipeline.intake import poll_once
from pipeline.store import Store
from tests.helpers import REPO, require_samples
from tests.helpers_mail import (
    deliver_maildir,
    maildir_settings,
    require_report_parser,
    sample_emails,
    state_dump,
    stub_parse,
)


@pytest.fixture
def stubbed(monkeypatch):
    monkeypatch.setattr(intake, "_parse", stub_parse)


def _deliver_all(settings, emails):
    for entry in emails:
        deliver_maildir(settings.mailbox.path, entry["raw"], entry["delivered"])


def _expected_status() -> dict:
    return json.loads((require_samples() / "status.json").read_text(encoding="utf-8"))


def test_poll_samples_storage_and_dedupe(tmp_path, stubbed):
    settings = maildir_settings(tmp_path)
    emails = sample_emails()
    _deliver_all(settings, emails)
    store = Store.open(settings)
    report = poll_once(settings, store)
    assert report.fetched == len(emails) == report.new
    messages = store.messages()
    assert len(messages) == len(emails)
    for row in messages:  # raw kept, byte for byte, content-addressed
        raw = store.read_blob(row.archive_path)
        assert row.archive_path == f"{row.sha256[:2]}/{row.sha256}.eml"
        assert __import__("hashlib").sha256(raw).hexdigest() == row.sha256
    states = {m.message_id: m.state for m in messages}
    by_expected = {}
    for entry in emails:
        by_expected.setdefault(entry["expected"], []).append(entry["message_id"])
    for mid in by_expected["ignore"]:
        assert states[mid] == "no_report"
    assert sorted(m.state for m in messages).count("duplicate") == 1
    assert states[by_expected["error_corrupt"][0]] == "error"
    # received_at is the delivery time, not the Date header
    delivered = {e["message_id"]: datetime.fromisoformat(e["delivered_at"]) for e in emails
                 if e["expected"] != "duplicate"}
    for sub in store.submissions():
        assert sub.received_at == delivered[sub.message_id]
    # statuses by sender only (stub parser): all but the unregistered Gmail sender
    statuses = {s.id: s for s in unit_statuses(store.submissions(), settings.registry,
                                               settings.campaign)}
    unknown = next(e for e in emails if e["expected"] == "unknown_sender_resolved_by_content")
    for unit_id, want in _expected_status().items():
        got = statuses[unit_id]
        if unit_id == unknown["expected_unit_id"]:
            assert got.status == "missing"
        else:
            assert got.status == want["status"], unit_id
    assert statuses["so-tai-chinh"].resubmissions == 1
    assert statuses["so-y-te"].errors == []  # the corrupt file was replaced by a good one
    assert [s.message_id for s in store.submissions() if s.unit_id is None] == [unknown["message_id"]]
    # a person assigns the unknown sender's report
    assert store.assign(unknown["message_id"], unknown["expected_unit_id"]) == 1
    statuses = {s.id: s for s in unit_statuses(store.submissions(), settings.registry,
                                               settings.campaign)}
    assert {k: statuses[k].status for k in statuses} == {
        k: v["status"] for k, v in _expected_status().items()}
    store.close()


def test_second_poll_changes_nothing_and_new_mail_is_picked_up(tmp_path, stubbed):
    settings = maildir_settings(tmp_path)
    emails = sample_emails()
    _deliver_all(settings, emails[:10])
    store = Store.open(settings)
    poll_once(settings, store)
    before = state_dump(store)
    again = poll_once(settings, store)
    assert again.fetched == 0 and again.new == 0
    assert state_dump(store) == before
    _deliver_all(settings, emails[10:])
    later = poll_once(settings, store)
    assert later.fetched == len(emails) - 10
    assert len(store.messages()) == len(emails)
    # the same bytes delivered again (e.g. copied into another folder) are not counted twice
    deliver_maildir(settings.mailbox.path, emails[3]["raw"], emails[3]["delivered"])
    dump = state_dump(store)
    poll_once(settings, store)
    after = state_dump(store)
    assert after["messages"] == dump["messages"] and after["submissions"] == dump["submissions"]
    store.close()


def _poll_subprocess(config, crash: str | None) -> int:
    env = dict(os.environ)
    env.pop("TONGHOP_TEST_CRASH", None)
    if crash:
        env["TONGHOP_TEST_CRASH"] = crash
    done = subprocess.run([sys.executable, "-m", "tests.helpers_mail", str(config), "stub"],
                          cwd=REPO, env=env, capture_output=True, timeout=120)
    return done.returncode


@pytest.mark.parametrize("crash", ["stored:1", "stored:6", "recorded:4", "recorded:16"])
def test_killed_poller_then_repoll_equals_clean_run(tmp_path, crash):
    emails = sample_emails()
    clean = maildir_settings(tmp_path / "clean")
    _deliver_all(clean, emails)
    assert _poll_subprocess(clean.path, None) == 0
    crashed = maildir_settings(tmp_path / "crashed")
    _deliver_all(crashed, emails)
    assert _poll_subprocess(crashed.path, crash) == 70  # died mid-run
    store = Store.open(crashed)
    stored = len(store.messages())
    assert 1 <= stored < len(emails)
    if crash.startswith("stored"):  # the raw message is kept before processing starts
        assert store.messages()[-1].state == "new"
    store.close()
    assert _poll_subprocess(crashed.path, None) == 0
    assert _poll_subprocess(crashed.path, None) == 0
    a, b = Store.open(clean), Store.open(crashed)
    assert state_dump(b) == state_dump(a)
    a.close()
    b.close()


def test_samples_end_to_end_with_parser(tmp_path):
    require_report_parser()
    settings = maildir_settings(tmp_path)
    emails = sample_emails()
    _deliver_all(settings, emails)
    store = Store.open(settings)
    poll_once(settings, store)
    poll_once(settings, store)
    statuses = {s.id: s for s in unit_statuses(store.submissions(), settings.registry,
                                               settings.campaign)}
    docs = {e["message_id"]: e["report_doc_id"] for e in emails}
    for unit_id, want in _expected_status().items():
        got = statuses[unit_id]
        assert got.status == want["status"], unit_id
        final = docs.get(got.message_id) if got.message_id else None
        assert final == want["final_doc_id"], unit_id
    assert not [s for s in store.submissions() if s.unit_id is None]
    store.close()


def test_bad_attachments_are_errors_and_the_rest_goes_on(tmp_path):
    """Real parse path (no stub): refusals happen before any DOCX reading."""
    from email.message import EmailMessage

    settings = maildir_settings(tmp_path)
    unit = settings.registry.units[0]
    when = datetime.fromisoformat("2022-07-15T09:00:00+07:00")

    def mail(n: int, data: bytes, filename: str) -> bytes:
        msg = EmailMessage()
        msg["From"], msg["To"] = unit.emails[0], "btg@example.vn"
        msg["Subject"], msg["Message-ID"] = f"BC {n}", f"<bad-{n}@example.vn>"
        msg.set_content("Gửi báo cáo.")
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
        return msg.as_bytes()

    huge = b"PK\x03\x04" + os.urandom(1024) * (30 * 1024)  # a 30 MB "docx"
    encrypted = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
                 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    bad_headers = (b"From: =?bogus?Q?x?= <" + unit.emails[0].encode() + b">\r\n"
                   b"Subject: =?utf-8?B?!!!?=\r\nDate: 99 Foo 2022\r\n\r\nno attachment\r\n")
    for n, raw in enumerate([mail(1, huge, "báo cáo.docx"), mail(2, encrypted, "bc.docx"),
                             bad_headers]):
        deliver_maildir(settings.mailbox.path, raw, when + __import__("datetime").timedelta(hours=n))
    store = Store.open(settings)
    report = poll_once(settings, store)
    assert report.fetched == 3 and report.new == 3
    assert len(report.errors) == 2
    assert any("too large" in e for e in report.errors)
    assert any("password-protected" in e for e in report.errors)
    [status] = [s for s in unit_statuses(store.submissions(), settings.registry, settings.campaign)
                if s.id == unit.id]
    assert status.status == "missing" and len(status.errors) == 2
    # the raw mail is kept even when nothing in it could be read
    assert sorted(m.state for m in store.messages()) == ["error", "error", "no_report"]
    assert all(store.read_blob(m.archive_path) for m in store.messages())
    store.close()
