"""`tonghop --config F digest --out FILE.html [--send]`: the daily status digest.

The digest log lives in the same database as the store (tables `digest_log` and
`poll_log`, defined here): it remembers the highest submission id each sent digest
covered ("what arrived since the last digest") and the outcome of each poll (a
mailbox that was down shows in the next digest).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Boolean, DateTime, Integer, String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from aggregators.digest import Digest, Problem, build_digest, short_datetime
from pipeline import clock
from pipeline.templating import render

log = logging.getLogger(__name__)


class LogBase(DeclarativeBase):
    pass


class DigestLogRow(LogBase):
    __tablename__ = "digest_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    max_submission_id: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[bool] = mapped_column(Boolean, default=False)
    recipients: Mapped[str] = mapped_column(Text, default="")


class PollLogRow(LogBase):
    __tablename__ = "poll_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # SQLite drops the zone; we always store UTC
    return value


class DigestLog:
    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, future=True)
        LogBase.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, settings) -> DigestLog:
        return cls(settings.storage.url)

    def close(self) -> None:
        self.engine.dispose()

    def last_sent(self, campaign_id: str) -> DigestLogRow | None:
        with self._sessions() as s:
            return s.scalar(select(DigestLogRow)
                            .where(DigestLogRow.campaign_id == campaign_id, DigestLogRow.sent)
                            .order_by(DigestLogRow.id.desc()).limit(1))

    def record_digest(self, campaign_id: str, max_submission_id: int, sent: bool,
                      recipients: list[str]) -> None:
        with self._sessions() as s, s.begin():
            s.add(DigestLogRow(campaign_id=campaign_id, created_at=datetime.now(UTC),
                               max_submission_id=max_submission_id, sent=sent,
                               recipients=", ".join(recipients)))

    def record_poll(self, ok: bool, error: str | None = None) -> None:
        with self._sessions() as s, s.begin():
            s.add(PollLogRow(at=datetime.now(UTC), ok=ok, error=error))

    def last_poll(self) -> PollLogRow | None:
        with self._sessions() as s:
            return s.scalar(select(PollLogRow).order_by(PollLogRow.id.desc()).limit(1))

    def last_poll_error(self) -> str | None:
        """The error of the latest poll, or None when it succeeded (or none ran)."""
        row = self.last_poll()
        if row is None or row.ok:
            return None
        return f"{row.error} (lúc {_aware(row.at).strftime('%d/%m/%Y %H:%M')} UTC)"


@dataclass
class RenderedDigest:
    digest: Digest
    html_file: str  # charts as data: URIs: opens standalone
    html_mail: str  # charts as cid: references
    text: str


def render_digest(digest: Digest) -> RenderedDigest:
    import base64

    def charts(inline: bool):
        return [
            {"cid": c.cid, "title": c.title,
             "src": (f"data:image/png;base64,{base64.b64encode(c.png).decode('ascii')}"
                     if inline else f"cid:{c.cid}")}
            for c in digest.charts
        ]

    return RenderedDigest(
        digest=digest,
        html_file=render("digest.html.j2", d=digest, charts=charts(True)),
        html_mail=render("digest.html.j2", d=digest, charts=charts(False)),
        text=render("digest.txt.j2", d=digest),
    )


def optional_sections(settings) -> dict[str, set[str]]:
    """Sections only press/media units write (the campaign's note says so)."""
    media_only = {s.id for s in settings.campaign.sections if "media" in s.note.lower()}
    return {u.id: media_only for u in settings.registry.units if not u.media}


def store_problems(settings) -> list[Problem]:
    """Messages the store could not turn into a submission (unreadable container,
    winmail.dat, …): they carry no report, so only a person can follow them up."""
    from pipeline.store import Store

    store = Store.open(settings)
    try:
        errors = store.mail_errors()
    finally:
        store.close()
    tz = _tz(settings)
    problems = []
    for error, message in errors:
        unit = settings.registry.by_email(message.sender) if message else None
        who = unit.name if unit else (message.sender if message else "") or "hộp thư"
        when = short_datetime(_aware(message.received_at), tz) if message else ""
        subject = f"Thư “{message.subject}” ({when}): " if message else ""
        problems.append(Problem("error", "Thư có tệp không mở được", who,
                                f"{subject}{error.message}"))
    return problems


def produce_digest(settings, *, out: Path | None = None, send: bool = False,
                   now: datetime | None = None) -> RenderedDigest:
    """Build, write and/or send the digest; record it in the digest log when sent."""
    from pipeline.exports import load_records

    now = now or clock.now()
    submissions, statuses = load_records(settings)
    digest_log = DigestLog.open(settings)
    try:
        previous = digest_log.last_sent(settings.campaign.id)
        digest = build_digest(
            statuses, submissions, settings.campaign, now=now,
            since_id=previous.max_submission_id if previous else None,
            last_poll_error=digest_log.last_poll_error(),
            optional_sections=optional_sections(settings),
        )
        digest.problems.extend(store_problems(settings))
        if previous is not None:
            digest.previous_at = short_datetime(_aware(previous.created_at), _tz(settings))
        rendered = render_digest(digest)
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(rendered.html_file, encoding="utf-8")
            out.with_suffix(".txt").write_text(rendered.text, encoding="utf-8")
        if send:
            recipients = list(settings.digest.recipients)
            send_digest(settings, rendered, recipients)
            top = max((s.id for s in submissions), default=0)
            digest_log.record_digest(settings.campaign.id, top, True, recipients)
        return rendered
    finally:
        digest_log.close()


def _tz(settings):
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.campaign.timezone)


def send_digest(settings, rendered: RenderedDigest, recipients: list[str]) -> list[str]:
    from pipeline.config import ConfigError
    from pipeline.mailer import InlineImage, build_message, send

    if not recipients:
        raise ConfigError("[digest] recipients is empty: nobody to send the digest to")
    msg = build_message(
        rendered.digest.subject, settings.smtp.sender or settings.smtp.username, recipients,
        rendered.text, rendered.html_mail,
        [InlineImage(c.cid, c.png, c.filename) for c in rendered.digest.charts],
    )
    return send(settings.smtp, msg)


def run(args, settings) -> int:
    if args.out is None and not args.send:
        rendered = produce_digest(settings)
        sys.stdout.write(rendered.text)
        return 0
    rendered = produce_digest(settings, out=args.out, send=args.send)
    if args.out is not None:
        print(args.out)
    if args.send:
        log.info("digest sent to %s", ", ".join(settings.digest.recipients))
    return 0
