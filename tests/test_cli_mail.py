"""`tonghop poll / status / assign` through the real command line on a Maildir."""

from __future__ import annotations

import json
import subprocess
import sys

from pipeline.store import Store
from tests.helpers import REPO
from tests.helpers_mail import deliver_maildir, maildir_settings, sample_emails, state_dump


def tonghop(config, *args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=300)


def stub_poll(config):
    done = subprocess.run([sys.executable, "-m", "tests.helpers_mail", str(config), "stub"],
                          cwd=REPO, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_poll_without_reports_is_idempotent(tmp_path):
    settings = maildir_settings(tmp_path)
    ignored = [e for e in sample_emails() if e["expected"] == "ignore"]
    for entry in ignored:
        deliver_maildir(settings.mailbox.path, entry["raw"], entry["delivered"])
    first = tonghop(settings.path, "poll", "--once")
    assert first.returncode == 0, first.stderr
    assert f"{len(ignored)} new" in first.stdout
    store = Store.open(settings)
    dump = state_dump(store)
    store.close()
    second = tonghop(settings.path, "poll", "--once")
    assert second.returncode == 0 and "0 fetched" in second.stdout
    store = Store.open(settings)
    assert state_dump(store) == dump
    assert {m.state for m in store.messages()} == {"no_report"}  # kept, not counted
    store.close()


def test_status_json_shape_and_assign(tmp_path):
    settings = maildir_settings(tmp_path)
    emails = sample_emails()
    for entry in emails:
        deliver_maildir(settings.mailbox.path, entry["raw"], entry["delivered"])
    stub_poll(settings.path)
    done = tonghop(settings.path, "status", "--json")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert set(status) == {"as_of", "units", "unknown_senders", "errors"}
    assert len(status["units"]) == len(settings.registry.units)
    for unit in status["units"]:
        assert set(unit) >= {"id", "name", "status", "submitted_at", "message_id", "file",
                             "resubmissions", "errors"}
        assert unit["status"] in ("on_time", "late", "missing")
    units = {u["id"]: u for u in status["units"]}
    assert units["tinh-doan"]["submitted_at"] == "2022-07-20T23:48:31+07:00"
    assert units["so-tai-chinh"]["resubmissions"] == 1
    assert units["so-tai-chinh"]["file"] == "BC 07 - CB Sở Tài chính (bản sửa).docx"
    unknown = next(e for e in emails if e["expected"] == "unknown_sender_resolved_by_content")
    assert [u["message_id"] for u in status["unknown_senders"]] == [unknown["message_id"]]
    # assign it by hand (angle brackets optional)
    bad = tonghop(settings.path, "assign", unknown["message_id"], "khong-co")
    assert bad.returncode == 2 and "unknown unit" in bad.stderr
    done = tonghop(settings.path, "assign", unknown["message_id"].strip("<>"),
                   unknown["expected_unit_id"])
    assert done.returncode == 0, done.stderr
    status = json.loads(tonghop(settings.path, "status", "--json").stdout)
    assert status["unknown_senders"] == []
    units = {u["id"]: u for u in status["units"]}
    assert units[unknown["expected_unit_id"]]["status"] == "on_time"
    assert units[unknown["expected_unit_id"]]["message_id"] == unknown["message_id"]
    text = tonghop(settings.path, "status")
    assert text.returncode == 0 and "đúng hạn" in text.stdout


def test_missing_maildir_is_a_config_error(tmp_path):
    settings = maildir_settings(tmp_path)
    config = settings.path.read_text(encoding="utf-8").replace(
        str(settings.mailbox.path), str(tmp_path / "nowhere"))
    settings.path.write_text(config, encoding="utf-8")
    done = tonghop(settings.path, "poll", "--once")
    assert done.returncode == 2 and "does not exist" in done.stderr
