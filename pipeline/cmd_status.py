"""`tonghop status [--json]`: who has reported, who is late or missing."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from aggregators.records import Submission
from aggregators.status import unit_statuses, unknown_senders
from parsers.units import Registry
from pipeline import clock
from pipeline.store import Store, as_utc


def _iso(value: datetime | None, zone: ZoneInfo | None = None) -> str | None:
    if value is None:
        return None
    return (value.astimezone(zone) if zone else value).isoformat()


def _unit_guess(sub: Submission, registry: Registry) -> str | None:
    """What a person assigning this message should look at first: the document's own
    unit line, else a registry unit named in the subject."""
    if sub.result and sub.result.unit and sub.result.unit.name:
        return sub.result.unit.name
    unit = registry.named_in(sub.subject or "")
    return unit.id if unit else None


def status_json(settings, store: Store) -> dict:
    submissions = store.submissions()
    statuses = unit_statuses(submissions, settings.registry, settings.campaign)
    unit_ids = {u.id for u in settings.registry.units}
    zone = ZoneInfo(settings.campaign.timezone or "Asia/Ho_Chi_Minh")  # times as the user reads them
    errors = []
    for sub in submissions:  # failures no registry unit can show
        if not sub.ok and sub.unit_id not in unit_ids:
            errors.append({"message_id": sub.message_id, "sender": sub.sender, "file": sub.file,
                           "unit_id": None, "error": sub.error})
    by_id = {s.id: s for s in statuses}
    for row, message in store.mail_errors():
        # A registered sender's unreadable mail is that unit's problem while no valid
        # report came after it.
        unit = settings.registry.by_email(message.sender) if message else None
        status = by_id.get(unit.id) if unit else None
        if status is not None and (status.submitted_at is None
                                   or as_utc(status.submitted_at) < as_utc(message.received_at)):
            status.errors.append(row.message)
        errors.append({"message_id": message.message_id if message else None,
                       "sender": message.sender if message else None, "file": None,
                       "unit_id": unit.id if unit else None, "error": row.message})
    return {
        "as_of": clock.now().astimezone(zone).isoformat(timespec="seconds"),
        "units": [
            {"id": s.id, "name": s.name, "status": s.status, "submitted_at": _iso(s.submitted_at, zone),
             "message_id": s.message_id, "file": s.file, "resubmissions": s.resubmissions,
             "errors": s.errors}
            for s in statuses
        ],
        "unknown_senders": [
            {"message_id": s.message_id, "sender": s.sender, "subject": s.subject,
             "received_at": _iso(s.received_at, zone), "file": s.file, "ok": s.ok,
             "unit_guess": _unit_guess(s, settings.registry)}
            for s in unknown_senders(submissions)
        ],
        "errors": errors,
    }


LABELS = {"on_time": "đúng hạn", "late": "muộn", "missing": "chưa nộp"}


def run(args, settings) -> int:
    store = Store.open(settings)
    try:
        data = status_json(settings, store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    for unit in data["units"]:
        when = unit["submitted_at"] or ""
        print(f"{LABELS[unit['status']]:<9} {unit['id']:<24} {when[:16]:<16} {unit['file'] or ''}")
        for error in unit["errors"]:
            print(f"          lỗi: {error}")
    for item in data["unknown_senders"]:
        print(f"chưa rõ đơn vị: {item['message_id']} từ {item['sender']} ({item['file']}) — "
              f"dùng: tonghop assign {item['message_id']} MÃ_ĐƠN_VỊ")
    for error in data["errors"]:
        print(f"lỗi: {error['error']}")
    return 0
