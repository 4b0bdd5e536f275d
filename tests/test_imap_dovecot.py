"""Intake from a real Dovecot over IMAP: APPENDed sample mail with its INTERNALDATE."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from aggregators.status import unit_statuses
from pipeline import intake
from pipeline.config import load_settings
from pipeline.intake import poll_once
from pipeline.store import Store
from tests.dovecot import start_dovecot
from tests.helpers import REPO, require_samples
from tests.helpers_mail import (
    require_report_parser,
    sample_emails,
    state_dump,
    stub_parse,
    write_config,
)

pytestmark = pytest.mark.dovecot


@pytest.fixture
def dovecot():
    server = start_dovecot()
    yield server
    server.stop()


@pytest.fixture
def imap_env(monkeypatch, dovecot):
    monkeypatch.setenv("TONGHOP_TEST_IMAP_PASSWORD", dovecot.password)
    return dovecot


def _load(dovecot, emails=None):
    emails = emails if emails is not None else sample_emails()
    dovecot.append_many([(e["raw"], e["delivered"]) for e in emails])
    return emails


def _settings(tmp_path, dovecot):
    return load_settings(write_config(tmp_path, dovecot.mailbox_config()))


def _cli(config, *args, crash=None):
    env = dict(os.environ)
    env.pop("TONGHOP_TEST_CRASH", None)
    if crash:
        env["TONGHOP_TEST_CRASH"] = crash
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_imap_poll_storage_uids_and_no_side_effects(tmp_path, imap_env, monkeypatch):
    monkeypatch.setattr(intake, "_parse", stub_parse)
    emails = _load(imap_env)
    settings = _settings(tmp_path, imap_env)
    store = Store.open(settings)
    first = poll_once(settings, store)
    assert first.fetched == len(emails)
    assert first.duplicates == 1
    dump = state_dump(store)
    second = poll_once(settings, store)
    assert second.fetched == 0
    assert state_dump(store) == dump
    # INTERNALDATE is the time that counts
    delivered = {e["message_id"]: e["delivered"] for e in emails if e["expected"] != "duplicate"}
    for sub in store.submissions():
        assert sub.received_at == delivered[sub.message_id]
    late = next(e for e in emails if e["expected"] == "late")
    statuses = {s.id: s for s in unit_statuses(store.submissions(), settings.registry,
                                               settings.campaign)}
    assert statuses[late["expected_unit_id"]].status == "late"
    # read-only: nothing marked \Seen, nothing deleted
    with imap_env.client() as client:
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(client.search(["ALL"]))
        assert len(flags) == len(emails)
        assert all(b"\\Seen" not in f for f in flags.values())
    # new mail arrives: only it is fetched
    imap_env.append(emails[0]["raw"].replace(b"Message-ID: <", b"Message-ID: <new-", 1),
                    emails[0]["delivered"])
    third = poll_once(settings, store)
    assert third.fetched == 1 and third.new == 1
    store.close()


def test_uidvalidity_change_rescans_without_double_counting(tmp_path, imap_env, monkeypatch):
    monkeypatch.setattr(intake, "_parse", stub_parse)
    emails = _load(imap_env)
    settings = _settings(tmp_path, imap_env)
    store = Store.open(settings)
    poll_once(settings, store)
    dump = state_dump(store)
    # Recreate the folder: a new UIDVALIDITY, the same mail with new UIDs.
    with imap_env.client() as client:
        client.create_folder("Reports")
    imap_env.append_many([(e["raw"], e["delivered"]) for e in emails], folder="Reports")
    settings.mailbox.folder = "Reports"
    report = poll_once(settings, store)
    assert report.fetched == len(emails) and report.new == 0
    after = state_dump(store)
    assert after["messages"] == dump["messages"] and after["submissions"] == dump["submissions"]
    store.close()


def test_move_processed_to_moves_handled_mail_into_a_folder_it_creates(tmp_path, imap_env,
                                                                        monkeypatch):
    monkeypatch.setattr(intake, "_parse", stub_parse)
    emails = _load(imap_env)
    settings = _settings(tmp_path, imap_env)
    settings.mailbox.move_processed_to = "Da xu ly"
    store = Store.open(settings)
    first = poll_once(settings, store)
    assert first.fetched == len(emails)
    dump = state_dump(store)
    with imap_env.client() as client:
        client.select_folder("INBOX", readonly=True)
        assert client.search(["ALL"]) == []  # every handled message left the inbox
        client.select_folder("Da xu ly", readonly=True)
        moved = client.fetch(client.search(["ALL"]), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        assert len(moved) == len(emails)
        assert all(b"\\Seen" not in f for f in client.get_flags(list(moved)).values())
    # a later message is fetched and moved too; the moved ones are not read again
    imap_env.append(emails[0]["raw"].replace(b"Message-ID: <", b"Message-ID: <new-", 1),
                    emails[0]["delivered"])
    second = poll_once(settings, store)
    assert second.fetched == 1 and second.new == 1
    after = state_dump(store)
    assert len(after["messages"]) == len(dump["messages"]) + 1
    with imap_env.client() as client:
        assert client.select_folder("Da xu ly", readonly=True)[b"EXISTS"] == len(emails) + 1
    store.close()


def test_imap_over_tls_with_ca_file(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "_parse", stub_parse)
    server = start_dovecot(tls=True)
    try:
        monkeypatch.setenv("TONGHOP_TEST_IMAP_PASSWORD", server.password)
        emails = _load(server, sample_emails()[:3])
        settings = _settings(tmp_path, server)
        assert settings.mailbox.tls == "ssl" and settings.mailbox.ca_file
        store = Store.open(settings)
        assert poll_once(settings, store).fetched == len(emails)
        store.close()
        # without the CA the self-signed certificate is refused: exit 1, clear message
        config = write_config(tmp_path / "noca", server.mailbox_config().replace(
            f'ca_file = "{server.ca_file}"\n', ""))
        done = _cli(config, "poll", "--once")
        assert done.returncode == 1
        assert "certificate" in done.stderr.lower()
    finally:
        server.stop()


def test_imap_starttls(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "_parse", stub_parse)
    server = start_dovecot(starttls=True)
    try:
        monkeypatch.setenv("TONGHOP_TEST_IMAP_PASSWORD", server.password)
        emails = _load(server, sample_emails()[:2])
        settings = _settings(tmp_path, server)
        assert settings.mailbox.tls == "starttls"
        store = Store.open(settings)
        assert poll_once(settings, store).fetched == len(emails)
        store.close()
    finally:
        server.stop()


def test_wrong_password_is_a_clear_error(tmp_path, imap_env, monkeypatch):
    config = write_config(tmp_path, imap_env.mailbox_config())
    monkeypatch.setenv("TONGHOP_TEST_IMAP_PASSWORD", "sai")
    done = _cli(config, "poll", "--once")
    assert done.returncode == 1
    assert "mailbox" in done.stderr


@pytest.mark.parametrize("crash", ["stored:3", "recorded:9"])
def test_killed_imap_poller_then_repoll_equals_clean_run(tmp_path, imap_env, crash):
    _load(imap_env)

    def poll(config, crash=None):
        env = dict(os.environ)
        env.pop("TONGHOP_TEST_CRASH", None)
        if crash:
            env["TONGHOP_TEST_CRASH"] = crash
        done = subprocess.run([sys.executable, "-m", "tests.helpers_mail", str(config), "stub"],
                              cwd=REPO, env=env, capture_output=True, timeout=120)
        if done.returncode not in (0, 70):
            print(done.stderr.decode(errors="replace")[-3000:])
        return done.returncode

    clean = write_config(tmp_path / "clean", imap_env.mailbox_config())
    crashed = write_config(tmp_path / "crashed", imap_env.mailbox_config())
    assert poll(clean) == 0
    assert poll(crashed, crash) == 70
    assert poll(crashed) == 0
    assert poll(crashed) == 0
    a, b = Store.open(load_settings(clean)), Store.open(load_settings(crashed))
    assert state_dump(b) == state_dump(a)
    a.close()
    b.close()


def test_samples_end_to_end_cli(tmp_path, imap_env):
    """The whole corpus through the real CLI and the real parser, twice; then a kill."""
    require_report_parser()
    emails = _load(imap_env)
    config = write_config(tmp_path, imap_env.mailbox_config())
    for _ in range(2):
        done = _cli(config, "poll", "--once")
        assert done.returncode == 0, done.stderr
    status = json.loads(_cli(config, "status", "--json").stdout)
    expected = json.loads((require_samples() / "status.json").read_text(encoding="utf-8"))
    docs = {e["message_id"]: e["report_doc_id"] for e in emails}
    units = {u["id"]: u for u in status["units"]}
    assert set(units) == set(expected)
    for unit_id, want in expected.items():
        assert units[unit_id]["status"] == want["status"], unit_id
        assert docs.get(units[unit_id]["message_id"]) == want["final_doc_id"], unit_id
    assert status["unknown_senders"] == []
    # every report found exactly once
    store = Store.open(load_settings(config))
    subs = store.submissions()
    assert sorted(s.message_id for s in subs) == sorted(
        {e["message_id"] for e in emails if e["report_doc_id"] or e["expected"] == "error_corrupt"})
    store.close()
    # an interrupted run on a fresh database ends in the same state
    crashed = write_config(tmp_path / "crashed", imap_env.mailbox_config())
    assert _cli(crashed, "poll", "--once", crash="recorded:5").returncode == 70
    assert _cli(crashed, "poll", "--once").returncode == 0
    a, b = Store.open(load_settings(config)), Store.open(load_settings(crashed))
    assert state_dump(b) == state_dump(a)
    a.close()
    b.close()


def test_oauth2_token_from_command_or_env(monkeypatch):
    from pipeline.config import ConfigError, MailboxConfig
    from pipeline.mailsource import oauth2_token

    config = MailboxConfig(auth="xoauth2", oauth2_token_command=f"{sys.executable} -c "
                           "\"print('ya29.token-from-helper')\"")
    assert oauth2_token(config) == "ya29.token-from-helper"
    config = MailboxConfig(auth="xoauth2", oauth2_token_env="TONGHOP_TEST_TOKEN")
    monkeypatch.setenv("TONGHOP_TEST_TOKEN", "ya29.env")
    assert oauth2_token(config) == "ya29.env"
    monkeypatch.delenv("TONGHOP_TEST_TOKEN")
    with pytest.raises(ConfigError, match="TONGHOP_TEST_TOKEN"):
        oauth2_token(config)


GOOD_TOKEN = "ya29.a0-thu-nghiem"


@pytest.fixture
def oauth2_dovecot():
    """Dovecot accepting XOAUTH2, with a local RFC 7662 introspection endpoint that knows
    one active token (what Google or Microsoft would answer for a valid access token)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs

    seen: list[str] = []

    class Introspect(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            token = parse_qs(self.rfile.read(length).decode()).get("token", [""])[0]
            seen.append(token)
            body = (json.dumps({"active": True, "username": "btg"}) if token == GOOD_TOKEN
                    else json.dumps({"active": False})).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Introspect)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    server = start_dovecot(
        oauth2_introspection_url=f"http://127.0.0.1:{http.server_address[1]}/introspect")
    server.tokens_seen = seen
    yield server
    server.stop()
    http.shutdown()


def test_xoauth2_login_with_a_token_from_env_or_command(tmp_path, oauth2_dovecot, monkeypatch):
    monkeypatch.setattr(intake, "_parse", stub_parse)
    emails = _load(oauth2_dovecot)
    mailbox = oauth2_dovecot.mailbox_config() + 'auth = "xoauth2"\n'
    monkeypatch.setenv("TONGHOP_IMAP_OAUTH2_TOKEN", GOOD_TOKEN)
    settings = load_settings(write_config(tmp_path / "env", mailbox))
    store = Store.open(settings)
    assert poll_once(settings, store).fetched == len(emails)
    store.close()
    assert GOOD_TOKEN in oauth2_dovecot.tokens_seen  # the server really checked the token
    # a refresh helper printing the token
    monkeypatch.delenv("TONGHOP_IMAP_OAUTH2_TOKEN")
    helper = tmp_path / "token.sh"
    helper.write_text(f"#!/bin/sh\necho {GOOD_TOKEN}\n")
    helper.chmod(0o755)
    settings = load_settings(write_config(
        tmp_path / "cmd", mailbox + f'oauth2_token_command = "{helper}"\n'))
    store = Store.open(settings)
    assert poll_once(settings, store).fetched == len(emails)
    store.close()
    # an expired token: the command fails with a clear message and a non-zero exit
    monkeypatch.setenv("TONGHOP_IMAP_OAUTH2_TOKEN", "ya29.het-han")
    config = write_config(tmp_path / "bad", mailbox)
    done = _cli(config, "poll", "--once")
    assert done.returncode == 1
    assert "mailbox" in done.stderr and "AUTHENTICATIONFAILED" in done.stderr
