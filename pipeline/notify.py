"""Optional mail to units: a receipt when their report is processed, reminders before the deadline.

Off by default (`[notify] receipts = false`, `reminders_days_before = []`). Each receipt
or reminder is recorded in the `notify_log` table so a restart never sends it twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from aggregators.digest import short_date, short_datetime
from aggregators.records import Submission, UnitStatus
from pipeline import clock
from pipeline.templating import render

log = logging.getLogger(__name__)


class NotifyBase(DeclarativeBase):
    pass


class NotifyRow(NotifyBase):
    __tablename__ = "notify_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "receipt" | "reminder"
    key: Mapped[str] = mapped_column(String(1100))  # message id, or "unit:days-before"
    recipient: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("kind", "key"),)


@dataclass
class Outgoing:
    kind: str
    key: str
    recipient: str
    subject: str
    text: str


def receipts(submissions: list[Submission], statuses: list[UnitStatus], campaign,
             done: set[str], missing: dict[str, list[str]] | None = None) -> list[Outgoing]:
    """A receipt for each counted report whose sender has not had one for that message:
    what was read from it, and which outline sections seem to be missing."""
    tz = ZoneInfo(campaign.timezone)
    missing = missing or {}
    done = set(done)
    out = []
    for status in statuses:
        sub = status.submission
        if sub is None or not sub.sender or sub.message_id in done:
            continue
        done.add(sub.message_id)  # one receipt a message, even when it bundles several
        result = sub.result
        gaps = [campaign.section(sid) for sid in missing.get(status.id, [])]
        text = render("receipt.txt.j2", unit_name=status.name, issuer=campaign.issuer,
                      file=sub.file, received_at=short_datetime(sub.received_at, tz),
                      late=status.status == "late", deadline=short_date(campaign.unit_deadline),
                      n_sections=len({s.id for s in result.sections if s.id}) if result else 0,
                      n_figures=len(result.indicators) if result else 0,
                      missing_sections=[f"{s.label} {s.title}" for s in gaps])
        out.append(Outgoing("receipt", sub.message_id, sub.sender,
                            f"Đã nhận báo cáo của {status.name}", text))
    return out


def reminders(statuses: list[UnitStatus], registry, campaign, today: date,
              days_before: list[int], done: set[str]) -> list[Outgoing]:
    """Reminders to units that have not reported, on the configured days before the deadline."""
    days_left = (campaign.unit_deadline - today).days
    if days_left not in set(days_before):
        return []
    out = []
    for status in statuses:
        unit = registry.get(status.id)
        key = f"{status.id}:{days_left}"
        if status.status != "missing" or unit is None or not unit.emails or key in done:
            continue
        text = render("reminder.txt.j2", unit_name=status.name, issuer=campaign.issuer,
                      campaign_title=campaign.title, deadline=short_date(campaign.unit_deadline),
                      days_left=days_left, mailbox=campaign.mailbox or "hộp thư của Ban")
        out.append(Outgoing("reminder", key, unit.emails[0],
                            f"Nhắc gửi báo cáo (hạn {short_date(campaign.unit_deadline)})", text))
    return out


def _done(sessions, kind: str) -> set[str]:
    with sessions() as s:
        return set(s.scalars(select(NotifyRow.key).where(NotifyRow.kind == kind)))


def send_notifications(settings, submissions: list[Submission], statuses: list[UnitStatus],
                       now: datetime | None = None) -> int:
    """Send the receipts and reminders that are due; returns how many were sent."""
    cfg = settings.notify
    if not cfg.receipts and not cfg.reminders_days_before:
        return 0
    from pipeline.mailer import build_message, send

    engine = create_engine(settings.storage.url, future=True)
    NotifyBase.metadata.create_all(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    now = now or clock.now()
    today = now.astimezone(ZoneInfo(settings.campaign.timezone)).date()
    due: list[Outgoing] = []
    try:
        if cfg.receipts:
            from aggregators.dataset import missing_sections, sections_frame
            from pipeline.cmd_digest import optional_sections

            gaps = missing_sections(sections_frame(statuses, settings.campaign),
                                    optional_sections(settings))
            due += receipts(submissions, statuses, settings.campaign, _done(sessions, "receipt"),
                            gaps)
        if cfg.reminders_days_before:
            due += reminders(statuses, settings.registry, settings.campaign, today,
                             list(cfg.reminders_days_before), _done(sessions, "reminder"))
        sent = 0
        for item in due:
            msg = build_message(item.subject, settings.smtp.sender, [item.recipient], item.text)
            try:
                send(settings.smtp, msg)
            except Exception as exc:  # one bad address must not stop the others
                log.warning("could not send %s to %s: %s", item.kind, item.recipient, exc)
                continue
            with sessions() as s, s.begin():
                s.add(NotifyRow(kind=item.kind, key=item.key, recipient=item.recipient,
                                sent_at=datetime.now(UTC)))
            sent += 1
        return sent
    finally:
        engine.dispose()
