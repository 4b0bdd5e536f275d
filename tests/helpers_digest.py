"""Records for the dataset/digest/export tests, built from the shared sample truth.

Each delivered report email becomes a Submission whose ParseResult holds the truth
indicators, sections and documents of its document; statuses come from status.json.
Superseded and corrupt submissions are included so the tests prove they do not count.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from aggregators.records import Submission, UnitStatus
from parsers.campaign import Campaign
from parsers.result import DocumentRow, Fact, ParseResult, Section, UnitRef
from parsers.units import Registry, registry_from_toml
from pipeline.config import load_campaign
from tests.helpers import require_samples


def truth_result(doc_id: str, unit_name: str) -> ParseResult:
    samples = require_samples()
    truth = json.loads((samples / "truth" / f"{doc_id}.json").read_text(encoding="utf-8"))
    return ParseResult(
        file=f"{doc_id}.docx",
        unit=UnitRef(id=truth["unit_id"], name=unit_name, source="header"),
        report_date=truth["report_date"],
        sections=[Section(s["id"], s["title"], s["label"], s["level"], 1.0, s["first_words"])
                  for s in truth["sections"]],
        indicators=[Fact(f["indicator"], f["value"], f["qualifier"], f["section"], f["written"],
                         f"… {f['written']} …", f["location"]) for f in truth["indicators"]],
        documents=[DocumentRow(d["so_hieu"], d["ten_van_ban"], d["ngay_ban_hanh"])
                   for d in truth["documents"]],
    )


def sample_records() -> tuple[list[Submission], list[UnitStatus], Campaign, Registry]:
    samples = require_samples()
    campaign = load_campaign(samples / "campaign.toml")
    registry = registry_from_toml((samples / "units.toml").read_text(encoding="utf-8"))
    names = {u.id: u.name for u in registry.units}
    emails = json.loads((samples / "emails.json").read_text(encoding="utf-8"))
    status_truth = json.loads((samples / "status.json").read_text(encoding="utf-8"))
    submissions: list[Submission] = []
    for number, mail in enumerate(emails, start=1):
        kind = mail["expected"]
        if kind in {"ignore", "duplicate"}:
            continue
        doc = mail["report_doc_id"]
        ok = kind != "error_corrupt"
        submissions.append(Submission(
            id=number,
            unit_id=mail["expected_unit_id"],
            unit_source="header",
            message_id=mail["message_id"],
            sender=mail["sender"],
            subject=f"Báo cáo {names.get(mail['expected_unit_id'], '')}",
            received_at=datetime.fromisoformat(mail["date"]),
            file=f"{doc}.docx" if doc else "bao-cao.docx",
            sha256=None,
            ok=ok,
            error=None if ok else "tệp Word bị hỏng (không phải tệp zip)",
            result=truth_result(doc, names[mail["expected_unit_id"]]) if ok and doc else None,
        ))
    statuses = []
    for unit in registry.units:
        truth = status_truth[unit.id]
        final = truth["final_doc_id"]
        mine = [s for s in submissions if s.unit_id == unit.id]
        counted = next((s for s in mine if s.ok and s.file == f"{final}.docx"), None)
        statuses.append(UnitStatus(
            id=unit.id, name=unit.name, status=truth["status"],
            submitted_at=counted.received_at if counted else None,
            message_id=counted.message_id if counted else None,
            file=counted.file if counted else None,
            resubmissions=max(0, sum(s.ok for s in mine) - 1),
            errors=[s.error for s in mine if s.error],
            submission=counted,
        ))
    return submissions, statuses, campaign, registry


def fill_store(settings, submissions: list[Submission]) -> None:
    """Write submissions into a real Store database as intake would have recorded them."""
    import hashlib
    from dataclasses import asdict

    from pipeline.store import MessageRow, Store, SubmissionRow

    store = Store.open(settings)
    try:
        with store.session() as s:
            for sub in submissions:
                when = sub.received_at.astimezone(UTC)  # the store keeps UTC (SQLite drops zones)
                sha = hashlib.sha256(f"{sub.message_id}{sub.id}".encode()).hexdigest()
                message = MessageRow(sha256=sha, message_id=sub.message_id, sender=sub.sender,
                                     subject=sub.subject, received_at=when,
                                     archive_path=f"{sha[:2]}/{sha}.eml", state="report",
                                     stored_at=when)
                s.add(message)
                s.flush()
                s.add(SubmissionRow(
                    id=sub.id, message_pk=message.id, unit_id=sub.unit_id,
                    unit_source=sub.unit_source, message_id=sub.message_id, sender=sub.sender,
                    subject=sub.subject, received_at=when, file=sub.file,
                    sha256=sub.sha256 or sha, ok=sub.ok, error=sub.error,
                    result_json=json.dumps(asdict(sub.result), ensure_ascii=False)
                    if sub.result else None,
                ))
    finally:
        store.close()


def store_settings(tmp, extra: str = ""):
    """Settings for the sample campaign and registry with a fresh database under tmp."""
    from pipeline.config import load_settings

    samples = require_samples()
    tmp.mkdir(parents=True, exist_ok=True)
    config = tmp / "tonghop.toml"
    config.write_text(
        f'[campaign]\nfile = "{samples / "campaign.toml"}"\nunits = "{samples / "units.toml"}"\n\n'
        f'[mailbox]\nkind = "maildir"\npath = "{tmp / "Maildir"}"\n\n'
        f'[storage]\nurl = "sqlite:///{tmp / "var" / "tonghop.db"}"\n'
        f'archive = "{tmp / "var" / "archive"}"\noutput = "{tmp / "var" / "output"}"\n\n{extra}',
        encoding="utf-8",
    )
    return load_settings(config)
