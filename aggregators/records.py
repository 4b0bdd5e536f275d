"""Records the aggregators read: one per processed report attachment (or failed one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from parsers.result import ParseResult


@dataclass
class Submission:
    id: int  # store key, increasing with arrival
    unit_id: str | None  # resolved unit (None: unknown sender, waiting for a person)
    unit_source: str  # "header" | "text" | "sender" | "assigned" | "none"
    message_id: str
    sender: str
    subject: str
    received_at: datetime  # timezone-aware; the server's INTERNALDATE
    file: str | None  # the attachment chosen as the report (sanitised display name)
    sha256: str | None  # of the report attachment bytes
    ok: bool  # the report parsed
    error: str | None = None
    result: ParseResult | None = None
    other_files: list[str] = field(default_factory=list)


@dataclass
class UnitStatus:
    id: str
    name: str
    status: str  # "on_time" | "late" | "missing"
    submitted_at: datetime | None
    message_id: str | None
    file: str | None
    resubmissions: int  # valid submissions beyond the first
    errors: list[str]
    submission: Submission | None  # the latest valid one: the one that counts
