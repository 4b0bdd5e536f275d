"""`tonghop.toml`: where the mailbox, SMTP server, storage and campaign are.

Secrets are never in the file: it names the environment variables that hold them.
Relative paths are relative to the config file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from parsers.campaign import Campaign, campaign_from_toml
from parsers.units import Registry, registry_from_toml

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CAMPAIGN = PACKAGE_ROOT / "config" / "campaign-ct07-2022.toml"


class ConfigError(Exception):
    """The configuration is unusable; the message says what to fix."""


@dataclass
class MailboxConfig:
    kind: str = "maildir"  # "imap" | "maildir"
    host: str = "127.0.0.1"
    port: int | None = None  # default by tls: 993 for ssl, 143 otherwise
    tls: str = "ssl"  # "ssl" | "starttls" | "none"
    username: str = ""
    password_env: str = "TONGHOP_IMAP_PASSWORD"
    auth: str = "password"  # "password" | "xoauth2"
    oauth2_token_env: str = "TONGHOP_IMAP_OAUTH2_TOKEN"
    oauth2_token_command: str = ""  # run to print an access token (e.g. a refresh helper)
    folder: str = "INBOX"
    folders: list[str] = field(default_factory=list)  # extra folders, e.g. "[Gmail]/All Mail"
    path: Path | None = None  # maildir
    move_processed_to: str = ""  # empty: never move mail
    timeout: float = 30.0
    ca_file: str = ""  # extra CA bundle (self-signed test servers)

    def password(self) -> str:
        value = os.environ.get(self.password_env)
        if value is None:
            raise ConfigError(f"environment variable {self.password_env} is not set (mailbox password)")
        return value


@dataclass
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int | None = None  # default by tls: 465 ssl, 587 starttls, 25 none
    tls: str = "ssl"
    username: str = ""
    password_env: str = "TONGHOP_SMTP_PASSWORD"
    sender: str = ""
    timeout: float = 30.0
    ca_file: str = ""

    def password(self) -> str | None:
        return os.environ.get(self.password_env) if self.username else None


@dataclass
class DigestConfig:
    recipients: list[str] = field(default_factory=list)
    time: str = ""  # overrides the campaign's digest_time when set


@dataclass
class NotifyConfig:
    receipts: bool = False  # short receipt to a unit when its report is processed
    reminders_days_before: list[int] = field(default_factory=list)  # e.g. [3, 1]


@dataclass
class StorageConfig:
    url: str = "sqlite:///var/tonghop.db"
    archive: Path = Path("var/archive")
    output: Path = Path("var/output")  # drafts and exports written by `run`


@dataclass
class ScheduleConfig:
    poll_minutes: int = 15


@dataclass
class Settings:
    path: Path | None
    campaign: Campaign
    campaign_file: Path
    registry: Registry
    units_file: Path | None
    mailbox: MailboxConfig
    smtp: SmtpConfig
    digest: DigestConfig
    notify: NotifyConfig
    storage: StorageConfig
    schedule: ScheduleConfig


def load_campaign(path: Path | None = None) -> Campaign:
    path = path or DEFAULT_CAMPAIGN
    try:
        return campaign_from_toml(path.read_text(encoding="utf-8"))
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot load campaign {path}: {exc}") from exc


def load_registry(path: Path | None) -> Registry:
    if path is None:
        return Registry()
    try:
        return registry_from_toml(path.read_text(encoding="utf-8"))
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot load unit registry {path}: {exc}") from exc


def _section(cls, data: dict, base: Path, paths: tuple[str, ...] = ()):
    known = set(cls.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"unknown keys for {cls.__name__}: {', '.join(sorted(unknown))}")
    values = dict(data)
    for key in paths:
        if values.get(key):
            values[key] = (base / values[key]).resolve()
    return cls(**values)


def load_settings(path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    base = path.resolve().parent
    campaign_section = data.get("campaign", {})
    campaign_file = (base / campaign_section["file"]).resolve() if "file" in campaign_section else DEFAULT_CAMPAIGN
    units_file = (base / campaign_section["units"]).resolve() if "units" in campaign_section else None
    storage = _section(StorageConfig, data.get("storage", {}), base, ("archive", "output"))
    if storage.url.startswith("sqlite:///") and not storage.url.startswith("sqlite:////"):
        relative = storage.url.removeprefix("sqlite:///")
        if relative and relative != ":memory:":
            storage.url = "sqlite:///" + str((base / relative).resolve())
    return Settings(
        path=path.resolve(),
        campaign=load_campaign(campaign_file),
        campaign_file=campaign_file,
        registry=load_registry(units_file),
        units_file=units_file,
        mailbox=_section(MailboxConfig, data.get("mailbox", {}), base, ("path",)),
        smtp=_section(SmtpConfig, data.get("smtp", {}), base),
        digest=_section(DigestConfig, data.get("digest", {}), base),
        notify=_section(NotifyConfig, data.get("notify", {}), base),
        storage=storage,
        schedule=_section(ScheduleConfig, data.get("schedule", {}), base),
    )
