"""The store: archive files, rows, ParseResult round trip, folder state."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

from parsers.result import Fact, ParseResult, Section, UnitRef
from pipeline.store import MessageRow, Store, SubmissionRow, now

VN = timezone(timedelta(hours=7))


def test_archive_is_content_addressed_and_idempotent(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "archive")
    raw = b"From: a@b.vn\r\n\r\nbody\r\n"
    sha = hashlib.sha256(raw).hexdigest()
    path = store.put_blob(raw, sha, ".eml")
    assert path == f"{sha[:2]}/{sha}.eml"
    assert store.put_blob(raw, sha, ".eml") == path
    assert store.read_blob(path) == raw
    assert not [p for p in (tmp_path / "archive").rglob(".tmp-*")]
    store.close()


def test_submission_round_trip_and_assign(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "archive")
    result = ParseResult(
        file="Báo cáo.docx", unit=UnitRef("so-y-te", "Đảng bộ Sở Y tế", "header"),
        report_number="15-BC/ĐU", report_date="2022-07-12",
        sections=[Section("P1.1", "Về công tác lãnh đạo", "1", 2, 0.9, "Đã triển khai.")],
        indicators=[Fact("hoi_nghi", 4961, "tren", "P1.1", "hội nghị", "Triển khai trên 4.961 hội nghị")],
    )
    received = datetime(2022, 7, 20, 23, 59, 59, tzinfo=VN)
    with store.session() as s:
        msg = MessageRow(sha256="ab" * 32, message_id="<x@y>", received_at=received,
                         archive_path="ab/x.eml", stored_at=now())
        s.add(msg)
        s.flush()
        s.add(SubmissionRow(message_pk=msg.id, unit_id=None, message_id="<x@y>",
                            received_at=received, file="Báo cáo.docx", sha256="cd" * 32, ok=True,
                            result_json=json.dumps(result.to_json(), ensure_ascii=False),
                            other_files='["scan.pdf"]'))
    [sub] = store.submissions()
    assert sub.received_at == received  # aware, same instant, through SQLite
    assert sub.received_at.tzinfo is not None
    assert sub.result == result
    assert sub.other_files == ["scan.pdf"]
    assert store.assign("<x@y>", "so-y-te") == 1
    [sub] = store.submissions()
    assert (sub.unit_id, sub.unit_source) == ("so-y-te", "assigned")
    store.close()


def test_folder_state(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "archive")
    assert store.folder_state("imap://u@h:993", "INBOX") is None
    with store.session() as s:
        store.set_folder_state(s, "imap://u@h:993", "INBOX", 7, 10)
    with store.session() as s:
        store.set_folder_state(s, "imap://u@h:993", "INBOX", 7, 4)  # never goes back
    assert store.folder_state("imap://u@h:993", "INBOX") == (7, 10)
    with store.session() as s:
        store.set_folder_state(s, "imap://u@h:993", "INBOX", 8, 2)  # new UIDVALIDITY: reset
    assert store.folder_state("imap://u@h:993", "INBOX") == (8, 2)
    store.close()
