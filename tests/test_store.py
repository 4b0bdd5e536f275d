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


def test_old_database_with_one_submission_per_message_is_upgraded(tmp_path):
    """A database made before a message could count for several units: its unique
    submissions.message_pk is dropped on open, every row is kept, and a second report
    of the same message can then be stored."""
    import sqlite3

    db = tmp_path / "db.sqlite"
    Store(f"sqlite:///{db}", tmp_path / "archive").close()  # today's schema, then made old:
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE submissions")
        conn.execute(
            "CREATE TABLE submissions (id INTEGER PRIMARY KEY, message_pk INTEGER NOT NULL UNIQUE"
            " REFERENCES messages(id), unit_id VARCHAR(200), unit_source VARCHAR(20) NOT NULL,"
            " message_id VARCHAR(998) NOT NULL, sender VARCHAR(320) NOT NULL, subject TEXT NOT"
            " NULL, received_at DATETIME NOT NULL, file VARCHAR(500), sha256 VARCHAR(64),"
            " ok BOOLEAN NOT NULL, error TEXT, result_json TEXT, other_files TEXT NOT NULL)")
        conn.execute("CREATE INDEX ix_submissions_unit_id ON submissions (unit_id)")
        conn.execute("INSERT INTO messages (id, sha256, message_id, sender, sender_name, subject,"
                     " folder, size, archive_path, state, warnings, stored_at, received_at)"
                     " VALUES (1, 'aa', '<m@x>', 's@x', '', '', 'INBOX', 1, 'aa.eml', 'report',"
                     " '[]', '2022-07-20 00:00:00', '2022-07-20 00:00:00')")
        conn.execute("INSERT INTO submissions VALUES (1, 1, 'so-y-te', 'header', '<m@x>', 's@x',"
                     " '', '2022-07-20 00:00:00', 'a.docx', 'sa', 1, NULL, NULL, '[]')")
    store = Store(f"sqlite:///{db}", tmp_path / "archive")
    assert [(s.unit_id, s.file) for s in store.submissions()] == [("so-y-te", "a.docx")]
    with store.session() as s:
        s.add(SubmissionRow(message_pk=1, unit_id="tinh-doan", unit_source="bundled",
                            message_id="<m@x>", sender="s@x", subject="",
                            received_at=datetime(2022, 7, 20, tzinfo=VN), file="b.docx",
                            sha256="sb", ok=True, other_files="[]"))
    assert sorted(s.unit_id for s in store.submissions()) == ["so-y-te", "tinh-doan"]
    store.close()
    Store(f"sqlite:///{db}", tmp_path / "archive").close()  # opening again changes nothing
