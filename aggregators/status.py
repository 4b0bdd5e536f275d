"""Per-unit reporting status from the recorded submissions. Pure.

Rules:
- the deadline is the end of `campaign.unit_deadline` (inclusive) in `campaign.timezone`,
  compared with `received_at` (the mailbox's delivery time, not the sender's Date);
- a unit is on_time when its first valid report arrived by the deadline, late when its
  only valid reports came after it, missing when it has none;
- the latest valid report is the one that counts; each further distinct valid report
  is a resubmission; the same Message-ID or the same attachment bytes twice is one;
- a report that failed to parse is an error on the unit's status while no later valid
  report replaced it; it never replaces an earlier valid report.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from aggregators.records import Submission, UnitStatus
from parsers.campaign import Campaign
from parsers.units import Registry


def deadline_end(campaign: Campaign) -> datetime:
    """The first instant after the deadline day, as an aware datetime."""
    zone = ZoneInfo(campaign.timezone or "Asia/Ho_Chi_Minh")
    return datetime.combine(campaign.unit_deadline + timedelta(days=1), time(0), tzinfo=zone)


def is_late(received_at: datetime, campaign: Campaign) -> bool:
    return received_at >= deadline_end(campaign)


def distinct(submissions: list[Submission]) -> list[Submission]:
    """Oldest first, without repeats of a Message-ID or of identical attachment bytes."""
    seen_ids: set[str] = set()
    seen_files: set[str] = set()
    out = []
    for sub in sorted(submissions, key=lambda s: (s.received_at, s.id)):
        if sub.message_id and sub.message_id in seen_ids:
            continue
        if sub.sha256 and sub.sha256 in seen_files:
            continue
        if sub.message_id:
            seen_ids.add(sub.message_id)
        if sub.sha256:
            seen_files.add(sub.sha256)
        out.append(sub)
    return out


def unit_statuses(
    submissions: list[Submission], registry: Registry, campaign: Campaign
) -> list[UnitStatus]:
    """One status per registry unit, in registry order."""
    by_unit: dict[str, list[Submission]] = {}
    for sub in submissions:
        if sub.unit_id:
            by_unit.setdefault(sub.unit_id, []).append(sub)
    statuses = []
    for unit in registry.units:
        subs = distinct(by_unit.get(unit.id, []))
        valid = [s for s in subs if s.ok]
        latest = valid[-1] if valid else None
        errors = [
            f"{s.file or 'attachment'}: {s.error or 'unreadable'}"
            for s in subs
            if not s.ok and (latest is None or (s.received_at, s.id) > (latest.received_at, latest.id))
        ]
        if latest is None:
            status = "missing"
        elif not is_late(valid[0].received_at, campaign):
            status = "on_time"
        else:
            status = "late"
        statuses.append(UnitStatus(
            id=unit.id,
            name=unit.name,
            status=status,
            submitted_at=latest.received_at if latest else None,
            message_id=latest.message_id if latest else None,
            file=latest.file if latest else None,
            resubmissions=max(len(valid) - 1, 0),
            errors=errors,
            submission=latest,
        ))
    return statuses


def unknown_senders(submissions: list[Submission]) -> list[Submission]:
    """Reports no unit could be found for, waiting for `tonghop assign`."""
    return [s for s in distinct(submissions) if s.unit_id is None]
