"""Where mail comes from: an IMAP server, or a local Maildir (the embedded default).

Both give the same view: folders with a UIDVALIDITY, messages with increasing UIDs,
raw bytes and the time the mailbox received them. Sources never change the mailbox
(no \\Seen, no delete) unless `mailbox.move_processed_to` is set.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import ssl
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline.config import ConfigError, MailboxConfig

log = logging.getLogger(__name__)
FETCH_BATCH = 50


@dataclass
class RawMessage:
    folder: str
    uid: int
    raw: bytes
    received_at: datetime  # timezone-aware: IMAP INTERNALDATE or the Maildir delivery time


class MailSource:
    """Interface of a source; use as a context manager."""

    name: str  # identity for the stored folder state, e.g. "imap://user@host:993"

    def folders(self) -> list[str]:
        raise NotImplementedError

    def select(self, folder: str) -> int:
        """Open a folder; return its UIDVALIDITY."""
        raise NotImplementedError

    def uids_after(self, last_uid: int) -> list[int]:
        raise NotImplementedError

    def fetch(self, uids: list[int]) -> Iterator[RawMessage]:
        raise NotImplementedError

    def processed(self, uids: list[int]) -> None:
        """Called after messages are fully recorded (moves them when configured)."""

    def __enter__(self) -> MailSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


def _folders(config: MailboxConfig) -> list[str]:
    seen: list[str] = []
    for folder in [config.folder, *config.folders]:
        if folder and folder not in seen:
            seen.append(folder)
    return seen


# --- Maildir ----------------------------------------------------------------------------------


class MaildirSource(MailSource):
    """A Maildir (new/ and cur/; sub-folders Maildir++ style as `.Name`).

    Maildir files have no UIDs: each file name (without the `:2,flags` info) gets one the
    first time it is seen, in delivery-time order, and the mapping is kept in the store.
    """

    def __init__(self, config: MailboxConfig, store) -> None:
        if config.path is None:
            raise ConfigError("mailbox.kind = \"maildir\" needs mailbox.path")
        self.root = Path(config.path)
        if not self.root.is_dir():
            raise ConfigError(f"maildir {self.root} does not exist")
        self.config = config
        self.store = store
        self.name = f"maildir://{self.root.resolve()}"
        self._folder = ""
        self._files: dict[int, Path] = {}

    def folders(self) -> list[str]:
        return _folders(self.config)

    def _dir(self, folder: str) -> Path:
        if folder.upper() == "INBOX" or folder in ("", "."):
            return self.root
        return self.root / ("." + folder.replace("/", "."))

    def select(self, folder: str) -> int:
        from sqlalchemy import func, select

        from pipeline.store import MaildirKey

        self._folder = folder
        directory = self._dir(folder)
        source = f"{self.name}#{folder}"
        found: dict[str, Path] = {}
        for sub in ("new", "cur"):
            try:
                entries = list(os.scandir(directory / sub))
            except FileNotFoundError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                key = entry.name.split(":", 1)[0].split("!", 1)[0]
                found[key] = Path(entry.path)
        with self.store.session() as s:
            known = dict(s.execute(
                select(MaildirKey.key, MaildirKey.uid).where(MaildirKey.source == source)).all())
            fresh = [key for key in found if key not in known]
            if fresh:
                next_uid = (s.scalar(select(func.max(MaildirKey.uid)).where(
                    MaildirKey.source == source)) or 0) + 1
                fresh.sort(key=lambda k: (found[k].stat().st_mtime, k))
                for key in fresh:
                    s.add(MaildirKey(source=source, key=key, uid=next_uid))
                    known[key] = next_uid
                    next_uid += 1
        self._files = {known[key]: path for key, path in found.items()}
        # A stable number per maildir: changes only if the directory is replaced.
        return zlib.crc32(str(directory.resolve()).encode()) & 0x7FFFFFFF or 1

    def uids_after(self, last_uid: int) -> list[int]:
        return sorted(uid for uid in self._files if uid > last_uid)

    def fetch(self, uids: list[int]) -> Iterator[RawMessage]:
        for uid in uids:
            path = self._files[uid]
            try:
                raw = path.read_bytes()
                mtime = path.stat().st_mtime
            except FileNotFoundError:  # moved to cur/ meanwhile by a mail client
                matches = list(path.parent.parent.glob(f"*/{path.name.split(':', 1)[0]}*"))
                if not matches:
                    log.warning("maildir message %s vanished", path)
                    continue
                raw, mtime = matches[0].read_bytes(), matches[0].stat().st_mtime
            yield RawMessage(self._folder, uid, raw, datetime.fromtimestamp(mtime, UTC))


# --- IMAP -------------------------------------------------------------------------------------


def oauth2_token(config: MailboxConfig) -> str:
    """An XOAUTH2 access token: from a command's stdout (a refresh helper) or an env var."""
    if config.oauth2_token_command:
        try:
            done = subprocess.run(shlex.split(config.oauth2_token_command), capture_output=True,
                                  text=True, timeout=60, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise ConfigError(f"mailbox.oauth2_token_command failed: {exc}") from exc
        token = done.stdout.strip()
        if not token:
            raise ConfigError("mailbox.oauth2_token_command printed no token")
        return token
    token = os.environ.get(config.oauth2_token_env)
    if not token:
        raise ConfigError(f"environment variable {config.oauth2_token_env} is not set (OAuth2 token)")
    return token


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


class ImapSource(MailSource):
    def __init__(self, config: MailboxConfig) -> None:
        import imapclient

        self.config = config
        tls = config.tls.lower()
        if tls not in ("ssl", "starttls", "none"):
            raise ConfigError(f'mailbox.tls must be "ssl", "starttls" or "none", not {config.tls!r}')
        port = config.port or (993 if tls == "ssl" else 143)
        self.name = f"imap://{config.username}@{config.host}:{port}"
        context = tls_context(config.ca_file) if tls != "none" else None
        self.client = imapclient.IMAPClient(
            config.host, port=port, ssl=tls == "ssl", ssl_context=context, timeout=config.timeout)
        try:
            if tls == "starttls":
                self.client.starttls(context)
            if config.auth == "xoauth2":
                self.client.oauth2_login(config.username, oauth2_token(config))
            else:
                self.client.login(config.username, config.password())
        except BaseException:
            self.close()
            raise
        self.client.normalise_times = False  # keep INTERNALDATE's zone
        self._folder = ""
        self._target_ready = False  # move_processed_to's folder checked (and made) once

    def folders(self) -> list[str]:
        return _folders(self.config)

    def select(self, folder: str) -> int:
        self._folder = folder
        # Read-only unless we must move processed mail: then nothing sets \Seen anyway
        # because we only ever fetch BODY.PEEK[].
        readonly = not self.config.move_processed_to
        info = self.client.select_folder(folder, readonly=readonly)
        return int(info[b"UIDVALIDITY"])

    def uids_after(self, last_uid: int) -> list[int]:
        # "N:*" always matches the highest UID, even when it is < N: filter.
        return sorted(u for u in self.client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)

    def fetch(self, uids: list[int]) -> Iterator[RawMessage]:
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start:start + FETCH_BATCH]
            data = self.client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
            for uid in batch:
                item = data.get(uid)
                if item is None:  # expunged meanwhile
                    continue
                raw = item.get(b"BODY[]") or b""
                when = item.get(b"INTERNALDATE")
                if when is None:
                    when = datetime.now(UTC)
                elif when.tzinfo is None:
                    when = when.astimezone()
                yield RawMessage(self._folder, uid, raw, when)

    def processed(self, uids: list[int]) -> None:
        target = self.config.move_processed_to
        if not target or not uids:
            return
        if not self._target_ready:
            if not self.client.folder_exists(target):
                self.client.create_folder(target)
            self._target_ready = True
        if self.client.has_capability("MOVE"):
            self.client.move(uids, target)
        else:
            self.client.copy(uids, target)
            self.client.delete_messages(uids)
            self.client.expunge(uids)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection
            self.client.logout()


def open_source(config: MailboxConfig, store) -> MailSource:
    kind = config.kind.lower()
    if kind == "maildir":
        return MaildirSource(config, store)
    if kind == "imap":
        return ImapSource(config)
    raise ConfigError(f'mailbox.kind must be "imap" or "maildir", not {config.kind!r}')
