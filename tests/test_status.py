"""Per-unit status rules on hand-made submission records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from aggregators.records import Submission
from aggregators.status import deadline_end, unit_statuses, unknown_senders
from parsers.units import Registry, Unit
from pipeline.config import load_campaign
from tests.helpers import require_samples

VN = timezone(timedelta(hours=7))
REGISTRY = Registry(units=(Unit("a", "Chi bộ A"), Unit("b", "Chi bộ B"), Unit("c", "Chi bộ C")))


def campaign():
    return load_campaign(require_samples() / "campaign.toml")


def sub(n: int, unit: str | None, when: datetime, ok: bool = True, mid: str | None = None,
        sha: str | None = None, error: str | None = None) -> Submission:
    return Submission(id=n, unit_id=unit, unit_source="sender", message_id=mid or f"<m{n}@x>",
                      sender=f"{unit}@x.vn", subject="BC", received_at=when, file=f"bc{n}.docx",
                      sha256=sha or f"{n:064d}", ok=ok, error=error)


def by_id(subs):
    return {s.id: s for s in unit_statuses(subs, REGISTRY, campaign())}


def test_deadline_is_end_of_day_in_campaign_timezone():
    end = deadline_end(campaign())
    assert end == datetime(2022, 7, 21, 0, 0, tzinfo=VN)
    just_in = datetime(2022, 7, 20, 23, 59, 59, tzinfo=VN)
    midnight = datetime(2022, 7, 21, 0, 0, 0, tzinfo=VN)
    # the same instant as a UTC INTERNALDATE
    utc_late = datetime(2022, 7, 20, 17, 0, 0, tzinfo=UTC)
    got = by_id([sub(1, "a", just_in), sub(2, "b", midnight), sub(3, "c", utc_late)])
    assert (got["a"].status, got["b"].status, got["c"].status) == ("on_time", "late", "late")


def test_latest_valid_supersedes_and_counts_resubmissions():
    t = datetime(2022, 7, 10, 9, tzinfo=VN)
    got = by_id([sub(1, "a", t), sub(2, "a", t + timedelta(days=2)),
                 sub(3, "a", t + timedelta(days=20))])  # a correction after the deadline
    assert got["a"].status == "on_time"  # it did report on time
    assert got["a"].message_id == "<m3@x>"
    assert got["a"].submission.id == 3
    assert got["a"].resubmissions == 2
    assert got["b"].status == "missing" and got["b"].submission is None


def test_duplicates_by_message_id_and_by_bytes_count_once():
    t = datetime(2022, 7, 10, 9, tzinfo=VN)
    got = by_id([sub(1, "a", t), sub(2, "a", t + timedelta(hours=1), mid="<m1@x>"),
                 sub(3, "a", t + timedelta(hours=2), sha=f"{1:064d}")])
    assert got["a"].resubmissions == 0
    assert got["a"].message_id == "<m1@x>"


def test_corrupt_attachment_is_an_error_and_never_replaces_a_valid_report():
    t = datetime(2022, 7, 10, 9, tzinfo=VN)
    got = by_id([
        sub(1, "a", t), sub(2, "a", t + timedelta(days=1), ok=False, error="damaged docx"),
        sub(3, "b", t, ok=False, error="password-protected"),
        sub(4, "c", t, ok=False, error="truncated"), sub(5, "c", t + timedelta(days=1)),
    ])
    assert got["a"].status == "on_time" and got["a"].message_id == "<m1@x>"
    assert got["a"].errors == ["bc2.docx: damaged docx"]
    assert got["b"].status == "missing" and got["b"].errors == ["bc3.docx: password-protected"]
    assert got["c"].status == "on_time" and got["c"].errors == []  # fixed by the resend


def test_unknown_senders_listed_once():
    t = datetime(2022, 7, 10, 9, tzinfo=VN)
    subs = [sub(1, None, t), sub(2, None, t, mid="<m1@x>"), sub(3, "a", t)]
    assert [s.id for s in unknown_senders(subs)] == [1]
    assert by_id(subs)["a"].status == "on_time"
