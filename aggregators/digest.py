"""The daily digest's content: what the propaganda department reads each morning.

Pure: statuses, submissions and a few facts about the mailbox in; a `Digest`
dataclass out, which the jinja2 templates (HTML and text) render. Charts are PNG
bytes; the mailer embeds them as CID images, the HTML file as data: URIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from aggregators import charts
from aggregators.dataset import (
    facts_frame,
    missing_sections,
    sections_frame,
    sections_wide,
    totals_frame,
)
from aggregators.records import Submission, UnitStatus
from aggregators.vnformat import format_quantity
from parsers.campaign import Campaign

STATUS_WORDS = {"on_time": "đúng hạn", "late": "muộn", "missing": "chưa gửi"}


@dataclass
class Chart:
    cid: str  # Content-ID without angle brackets
    title: str
    png: bytes
    filename: str


@dataclass
class Arrival:
    unit_name: str
    file: str
    received_at: str  # "dd/mm/yyyy HH:MM" in the campaign time zone
    note: str  # "báo cáo mới", "gửi lại (thay bản trước)", "lỗi: …", "chưa rõ đơn vị"
    sender: str


@dataclass
class Problem:
    kind: str  # "error" | "unknown_sender" | "missing_sections" | "poll_error"
    title: str  # short Vietnamese label of the kind
    who: str
    detail: str


@dataclass
class TotalLine:
    indicator: str
    label: str
    value_text: str
    units_reporting: int
    lower_bound: bool


@dataclass
class UnitLine:
    id: str
    name: str
    status: str
    status_text: str
    submitted_at: str
    file: str


@dataclass
class Digest:
    subject: str
    campaign_title: str
    issuer: str
    as_of: str
    deadline: str
    days_left: int  # negative: days past the deadline
    deadline_phrase: str
    total_units: int
    reported: int
    on_time: int
    late: int
    missing: int
    missing_units: list[UnitLine]
    units: list[UnitLine]
    arrivals: list[Arrival]
    first_digest: bool
    problems: list[Problem]
    totals: list[TotalLine]
    charts: list[Chart] = field(default_factory=list)
    last_poll_error: str | None = None
    previous_at: str = ""  # when the previous digest was sent ("" for the first one)


def short_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def short_datetime(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz) if moment.tzinfo else moment
    return f"{short_date(local.date())} {local:%H:%M}"


def deadline_phrase(days_left: int, deadline: date) -> str:
    when = short_date(deadline)
    if days_left > 0:
        return f"Còn {days_left} ngày đến hạn gửi báo cáo ({when})."
    if days_left == 0:
        return f"Hôm nay ({when}) là hạn cuối gửi báo cáo."
    return f"Đã quá hạn gửi báo cáo {-days_left} ngày (hạn {when})."


def _distinct(submissions: list[Submission]) -> list[Submission]:
    """The same message (or the same file) delivered twice is one arrival."""
    seen: set[str] = set()
    out = []
    for sub in submissions:
        keys = {k for k in (sub.message_id, sub.sha256) if k}
        if keys & seen:
            continue
        seen |= keys
        out.append(sub)
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _arrival(sub: Submission, names: dict[str, str], counted_ids: set[int], earlier: set[str],
             tz: ZoneInfo) -> Arrival:
    if sub.unit_id is None:
        note = "chưa rõ đơn vị gửi"
    elif not sub.ok:
        note = f"lỗi: {sub.error or 'không đọc được tệp'}"
    elif sub.unit_id in earlier:
        note = "gửi lại (thay thế bản trước)" if sub.id in counted_ids else "gửi lại"
    else:
        note = "báo cáo mới"
    return Arrival(
        unit_name=names.get(sub.unit_id or "", "") or sub.sender,
        file=sub.file or "(không có tệp đính kèm)",
        received_at=short_datetime(sub.received_at, tz),
        note=note,
        sender=sub.sender,
    )


def _problems(statuses: list[UnitStatus], submissions: list[Submission], gaps: dict[str, list[str]],
              names: dict[str, str], campaign: Campaign, last_poll_error: str | None,
              tz: ZoneInfo) -> list[Problem]:
    problems: list[Problem] = []
    if last_poll_error:
        problems.append(Problem("poll_error", "Không đọc được hộp thư",
                                "Lần nhận thư gần nhất", last_poll_error))
    counted = {s.id: s.submission.id for s in statuses if s.submission is not None}
    for sub in submissions:
        when = short_datetime(sub.received_at, tz)
        if sub.unit_id is None:
            problems.append(Problem(
                "unknown_sender", "Chưa xác định được đơn vị gửi", sub.sender,
                f"Thư “{sub.subject}” ({when}), tệp: {sub.file or 'không có'}",
            ))
        elif not sub.ok and sub.id > counted.get(sub.unit_id, -1):
            # A failure already followed by a good resubmission needs nobody.
            problems.append(Problem(
                "error", "Tệp không đọc được", names.get(sub.unit_id, sub.unit_id),
                f"{sub.file or 'không có tệp'} ({when}): {sub.error or 'lỗi không rõ'}",
            ))
    titles = {s.id: s.title for s in campaign.sections}
    for unit_id, section_ids in gaps.items():
        listed = "; ".join(f"{i} ({_short(titles.get(i, ''))})" for i in section_ids)
        problems.append(Problem(
            "missing_sections", "Báo cáo thiếu mục đề cương", names.get(unit_id, unit_id),
            f"Thiếu {len(section_ids)} mục: {listed}",
        ))
    return problems


def build_digest(
    statuses: list[UnitStatus],
    submissions: list[Submission],
    campaign: Campaign,
    *,
    now: datetime,
    since_id: int | None = None,
    last_poll_error: str | None = None,
    optional_sections: dict[str, set[str]] | None = None,
    with_charts: bool = True,
) -> Digest:
    """Everything the digest shows, computed from the store's records.

    `since_id`: the highest submission id included in the previous digest (None: first digest).
    `optional_sections`: unit id → outline sections it need not write (see dataset.missing_sections).
    """
    tz = ZoneInfo(campaign.timezone)
    today = now.astimezone(tz).date() if now.tzinfo else now.date()
    days_left = (campaign.unit_deadline - today).days
    names = {s.id: s.name for s in statuses}

    units = [
        UnitLine(s.id, s.name, s.status, STATUS_WORDS.get(s.status, s.status),
                 short_datetime(s.submitted_at, tz) if s.submitted_at else "", s.file or "")
        for s in statuses
    ]
    on_time = sum(s.status == "on_time" for s in statuses)
    late = sum(s.status == "late" for s in statuses)
    missing_units = [u for u in units if u.status == "missing"]

    facts = facts_frame(statuses, campaign)
    totals = totals_frame(facts, campaign)
    money = {i.id for i in campaign.indicators if (i.unit or "").upper() in {"VND", "DONG", "ĐỒNG"}}
    total_lines = [
        TotalLine(row.indicator, row.label,
                  format_quantity(row.value, row.lower_bound, money=row.indicator in money),
                  int(row.units_reporting), bool(row.lower_bound))
        for row in totals.itertuples(index=False)
    ]

    sections = sections_frame(statuses, campaign)
    gaps = missing_sections(sections, optional_sections)
    ordered = _distinct(sorted(submissions, key=lambda s: s.id))
    counted_ids = {s.submission.id for s in statuses if s.submission is not None}
    arrivals, seen_units = [], set()
    for sub in ordered:
        if since_id is None or sub.id > since_id:
            arrivals.append(_arrival(sub, names, counted_ids, seen_units, tz))
        if sub.unit_id and sub.ok:
            seen_units.add(sub.unit_id)

    reported = on_time + late
    subject = (f"[Tổng hợp báo cáo] {short_date(today)}: {reported}/{len(statuses)} đơn vị đã gửi"
               f" – {deadline_phrase(days_left, campaign.unit_deadline).rstrip('.')}")
    digest = Digest(
        subject=subject,
        campaign_title=campaign.title,
        issuer=campaign.issuer,
        as_of=short_datetime(now, tz),
        deadline=short_date(campaign.unit_deadline),
        days_left=days_left,
        deadline_phrase=deadline_phrase(days_left, campaign.unit_deadline),
        total_units=len(statuses),
        reported=reported,
        on_time=on_time,
        late=late,
        missing=len(missing_units),
        missing_units=missing_units,
        units=units,
        arrivals=arrivals,
        first_digest=since_id is None,
        problems=_problems(statuses, ordered, gaps, names, campaign, last_poll_error, tz),
        totals=total_lines,
        last_poll_error=last_poll_error,
    )
    if with_charts:
        # Progress counts each registry unit once, at its first valid report.
        first: dict[str, datetime] = {}
        for sub in ordered:
            if sub.ok and sub.unit_id in names and sub.unit_id not in first:
                first[sub.unit_id] = sub.received_at
        submitted = [m.astimezone(tz) if m.tzinfo else m for m in first.values()]
        digest.charts = [
            Chart("progress@tonghop", "Tiến độ gửi báo cáo",
                  charts.progress_chart(submitted, len(statuses), campaign.opens,
                                        campaign.unit_deadline, today),
                  "tien-do.png"),
            Chart("coverage@tonghop", "Các mục đề cương có trong báo cáo",
                  charts.coverage_chart(sections_wide(sections, campaign)),
                  "de-cuong.png"),
        ]
    return digest
