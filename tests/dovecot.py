"""A throw-away Dovecot IMAP server on a free loopback port (see notes/test-servers.md).

`dovecot_server(tmp_path, tls=False)` returns a running `Dovecot`; `stop()` ends it.
With tls=True a self-signed certificate is made and the server speaks IMAPS; its
`ca_file` is the certificate to trust.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import imapclient

from tests.helpers import require_binary

USER = "btg"
PASSWORD = "mat-khau-thu"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Dovecot:
    base: Path
    config: Path
    port: int
    tls: bool
    ca_file: str
    user: str = USER
    password: str = PASSWORD
    starttls: bool = False  # plain port that requires STARTTLS

    def client(self) -> imapclient.IMAPClient:
        if self.tls:
            import ssl

            context = ssl.create_default_context(cafile=self.ca_file)
            client = imapclient.IMAPClient("127.0.0.1", port=self.port, ssl=True,
                                           ssl_context=context, timeout=30)
        else:
            client = imapclient.IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
            if self.starttls:
                import ssl

                client.starttls(ssl.create_default_context(cafile=self.ca_file))
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, when: datetime, folder: str = "INBOX") -> None:
        with self.client() as client:
            client.append(folder, raw, flags=(), msg_time=when)

    def append_many(self, items: list[tuple[bytes, datetime]], folder: str = "INBOX") -> None:
        with self.client() as client:
            for raw, when in items:
                client.append(folder, raw, flags=(), msg_time=when)

    def stop(self) -> None:
        dovecot = shutil.which("dovecot")
        if dovecot:
            subprocess.run([dovecot, "-c", str(self.config), "stop"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
                           check=False)
        pid_file = self.base / "run" / "master.pid"
        deadline = time.monotonic() + 10
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        shutil.rmtree(self.base, ignore_errors=True)

    def mailbox_config(self, folder: str = "INBOX") -> str:
        lines = ['[mailbox]', 'kind = "imap"', 'host = "127.0.0.1"', f"port = {self.port}",
                 f'tls = "{"ssl" if self.tls else "starttls" if self.starttls else "none"}"', f'username = "{self.user}"',
                 'password_env = "TONGHOP_TEST_IMAP_PASSWORD"', f'folder = "{folder}"']
        if self.ca_file:
            lines.append(f'ca_file = "{self.ca_file}"')
        return "\n".join(lines) + "\n"


def _self_signed(directory: Path) -> tuple[Path, Path]:
    openssl = require_binary("openssl")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def start_dovecot(tls: bool = False, starttls: bool = False,
                  oauth2_introspection_url: str = "") -> Dovecot:
    """Start a server in its own temp dir (pytest's tmp_path is 0700 root-only, which the
    dovecot users cannot traverse); `stop()` removes the directory.

    With oauth2_introspection_url, XOAUTH2 and OAUTHBEARER logins are accepted too: Dovecot
    asks that URL (RFC 7662 token introspection) whether the token is active, for whom."""
    dovecot = require_binary("dovecot")
    base = Path(tempfile.mkdtemp(prefix="tonghop-dovecot-"))
    base.chmod(0o755)
    as_root = os.geteuid() == 0
    if as_root:
        entry = pwd.getpwnam("dovecot")
        uid, gid = entry.pw_uid, entry.pw_gid
    else:
        uid, gid = os.getuid(), os.getgid()
    mail = base / "mail"
    mail.mkdir(exist_ok=True)
    (base / "run").mkdir(exist_ok=True)
    (base / "state").mkdir(exist_ok=True)
    passwd = base / "passwd"
    passwd.write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port = free_port()
    ca_file = ""
    ssl_lines = "ssl = no\n"
    listener = f"inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n" \
               "  inet_listener imaps {\n    port = 0\n  }\n"
    if tls or starttls:
        cert, key = _self_signed(base)
        ca_file = str(cert)
        ssl_lines = f"ssl = required\nssl_cert = <{cert}\nssl_key = <{key}\n"
    if tls:
        listener = "inet_listener imap {\n    port = 0\n  }\n" \
                   f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {port}\n" \
                   "    ssl = yes\n  }\n"
    users = ("default_login_user = dovenull\ndefault_internal_user = dovecot\n" if as_root else
             f"default_login_user = {pwd.getpwuid(uid).pw_name}\n"
             f"default_internal_user = {pwd.getpwuid(uid).pw_name}\n")
    mechanisms, oauth2_passdb = "plain login", ""
    if oauth2_introspection_url:
        oauth2_conf = base / "oauth2.conf.ext"
        oauth2_conf.write_text(
            "introspection_mode = post\n"
            f"introspection_url = {oauth2_introspection_url}\n"
            "force_introspection = yes\n"
            "username_attribute = username\n"
            "active_attribute = active\nactive_value = true\n", encoding="utf-8")
        mechanisms = "plain login xoauth2 oauthbearer"
        oauth2_passdb = f"passdb {{\n  driver = oauth2\n  args = {oauth2_conf}\n}}\n"
    config = base / "dovecot.conf"
    config.write_text(
        f"base_dir = {base / 'run'}\nstate_dir = {base / 'state'}\n"
        f"log_path = {base / 'dovecot.log'}\ninfo_log_path = {base / 'dovecot.log'}\n"
        "listen = 127.0.0.1\nprotocols = imap\n"
        f"{users}first_valid_uid = 1\n{ssl_lines}"
        f"disable_plaintext_auth = no\nauth_mechanisms = {mechanisms}\n"
        f"passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {passwd}\n}}\n"
        f"{oauth2_passdb}"
        f"userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={mail}/%u\n}}\n"
        f"mail_location = maildir:{mail}/%u/Maildir\n"
        f"service imap-login {{\n  {listener}}}\n"
        "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"
        "mail_fsync = never\nprotocol imap {\n  mail_max_userip_connections = 100\n}\n",
        encoding="utf-8",
    )
    if as_root:
        for path in (mail,):
            os.chown(path, uid, gid)
    # dovecot forks into the background: its child must not hold our pipes open.
    errors = base / "start.err"
    with errors.open("wb") as err:
        done = subprocess.run([dovecot, "-c", str(config)], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=err, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"dovecot did not start: {errors.read_text()}\n{_log(base)}")
    server = Dovecot(base, config, port, tls, ca_file, starttls=starttls)
    deadline = time.monotonic() + 15
    while True:
        try:
            server.client().logout()
            return server
        except Exception as exc:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"dovecot did not answer on port {port}: {exc}\n{_log(base)}") \
                    from exc
            time.sleep(0.1)


def _log(base: Path) -> str:
    log = base / "dovecot.log"
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""
