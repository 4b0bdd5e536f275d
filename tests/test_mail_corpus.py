"""A held-out corpus of 48 real-world emails through a real Dovecot and the real CLI.

The corpus (tests/fixtures/mail_corpus/make.py) was written independently of the product
from the shared sample reports: Outlook/Gmail/Apple naming quirks, zips, forwards,
winmail.dat, encrypted and truncated files, duplicates, resubmissions, late mail, unknown
senders, newsletters, a 30 MB attachment. Its expectations come from its own manifest,
never from the product. Polled twice: the second poll must change nothing.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.dovecot import start_dovecot
from tests.helpers import REPO, require_samples
from tests.helpers_mail import require_report_parser, write_config

pytestmark = pytest.mark.dovecot

MAKE = REPO / "tests" / "fixtures" / "mail_corpus" / "make.py"
NOW = "2022-07-25T09:00:00+07:00"


def _tonghop(config: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TONGHOP_NOW=NOW)
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    require_report_parser()
    samples = require_samples()
    out = tmp_path_factory.mktemp("mail-corpus")
    env = dict(os.environ, MAIL_CORPUS_OUT=str(out), MAIL_CORPUS_SAMPLES=str(samples))
    subprocess.run([sys.executable, str(MAKE)], env=env, check=True, capture_output=True,
                   timeout=600)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    server = start_dovecot()
    try:
        server.append_many([((out / e["file"]).read_bytes(),
                             datetime.fromisoformat(e["internaldate"])) for e in manifest])
        os.environ["TONGHOP_TEST_IMAP_PASSWORD"] = server.password
        config = write_config(out / "run", server.mailbox_config())
        _tonghop(config, "poll", "--once")
        first = json.loads(_tonghop(config, "status", "--json").stdout)
        _tonghop(config, "poll", "--once")
        status = json.loads(_tonghop(config, "status", "--json").stdout)
        _tonghop(config, "export", "--out", str(out / "export"))
    finally:
        server.stop()
        os.environ.pop("TONGHOP_TEST_IMAP_PASSWORD", None)
    with (out / "export" / "totals.csv").open(encoding="utf-8-sig") as handle:
        totals = {row["indicator"]: row for row in csv.DictReader(handle)}
    return {
        "manifest": manifest, "first": first, "status": status, "totals": totals, "out": out,
        "archive": out / "run" / "var" / "archive",
        "expected_status": json.loads((out / "expected_status.json").read_text("utf-8")),
        "expected_totals": json.loads((out / "expected_totals.json").read_text("utf-8")),
    }


def test_every_unit_has_the_expected_status_and_counted_message(corpus) -> None:
    units = {u["id"]: u for u in corpus["status"]["units"]}
    expected = corpus["expected_status"]["units"]
    assert set(units) == set(expected)
    for unit_id, want in expected.items():
        got = units[unit_id]
        assert got["status"] == want["status"], (unit_id, got)
        assert got["message_id"] == want["message_id"], unit_id
        if want["status"] != "missing":
            assert got["resubmissions"] == want["resubmissions"], unit_id
            assert got["file"] == want["attachment_name"].replace("\\", "/").split("/")[-1], unit_id
            assert datetime.fromisoformat(got["submitted_at"]) == datetime.fromisoformat(
                want["submitted_at"]), unit_id


def test_the_second_poll_changes_nothing(corpus) -> None:
    first, second = dict(corpus["first"]), dict(corpus["status"])
    first.pop("as_of"), second.pop("as_of")
    assert first == second


def test_unknown_senders_are_listed_and_resolved_ones_are_not(corpus) -> None:
    listed = {u["sender"] for u in corpus["status"]["unknown_senders"]}
    assert set(corpus["expected_status"]["unknown_senders"]) <= listed
    assert not listed & set(corpus["expected_status"]["resolved_by_content_not_unknown"])


def test_unreadable_reports_are_errors_on_their_unit(corpus) -> None:
    units = {u["id"]: u for u in corpus["status"]["units"]}
    # an encrypted .docx is the unit's only mail: missing, with the reason shown
    assert units["hoi-chu-thap-do"]["status"] == "missing"
    assert any("password-protected" in e for e in units["hoi-chu-thap-do"]["errors"])
    # a damaged "resubmission" after a valid report is shown, and the valid one still counts
    assert units["lien-minh-htx"]["status"] == "late"
    assert any("damaged" in e for e in units["lien-minh-htx"]["errors"])
    # every global error can be traced to the message it came from
    assert all(e["message_id"] or e["sender"] for e in corpus["status"]["errors"])


def test_totals_are_the_sum_of_each_units_final_report(corpus) -> None:
    for indicator, want in corpus["expected_totals"]["indicators"].items():
        got = corpus["totals"][indicator]
        assert float(got["value"]) == want["value"], indicator
        assert (got["lower_bound"].lower() == "true") == want["lower_bound"], indicator
        assert int(got["units_reporting"]) == want["units_reporting"], indicator


def test_every_message_received_is_archived_raw(corpus) -> None:
    archived = {p.read_bytes() for p in corpus["archive"].rglob("*.eml")}
    for entry in corpus["manifest"]:
        assert (corpus["out"] / entry["file"]).read_bytes() in archived, entry["file"]
