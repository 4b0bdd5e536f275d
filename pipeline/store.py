"""Storage: raw messages in a content-addressed archive, everything else in SQL.

The archive holds `archive/ab/abcdef….eml` (sha256 of the raw bytes) and the report
attachments as `archive/ab/abcdef….bin`; files are written atomically and never change,
so writing one twice is harmless. Rows go through SQLAlchemy (SQLite by default).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from aggregators.records import Submission
from parsers.result import ParseResult

log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    pass


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite forgets time zones: store UTC, hand back aware datetimes."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on any backend (SQLite drops zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        value = as_utc(value)
        return value.replace(tzinfo=None) if value is not None else None

    def process_result_value(self, value, dialect):
        return as_utc(value)


class MessageRow(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    message_id: Mapped[str] = mapped_column(String(998), index=True, default="")
    sender: Mapped[str] = mapped_column(String(320), default="")
    sender_name: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    date_header: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    folder: Mapped[str] = mapped_column(String(500), default="")
    uid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    archive_path: Mapped[str] = mapped_column(String(300))
    # "new" (stored, not yet processed) | "report" | "no_report" | "duplicate" | "error"
    state: Mapped[str] = mapped_column(String(20), default="new")
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FolderState(Base):
    __tablename__ = "folder_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))  # e.g. imap://user@host:993
    folder: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int] = mapped_column(Integer)
    last_uid: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("source", "folder"),)


class MaildirKey(Base):
    """Stable UIDs for Maildir files (their names are the only identity they have)."""

    __tablename__ = "maildir_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500))
    uid: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("source", "key"),)


class AttachmentRow(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    container: Mapped[str | None] = mapped_column(String(500), nullable=True)
    is_report: Mapped[bool] = mapped_column(Boolean, default=False)
    archive_path: Mapped[str | None] = mapped_column(String(300), nullable=True)


class SubmissionRow(Base):
    """A report that counts for a unit: usually one a message, one for each unit's report when
    a message bundles several."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("message_pk", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    unit_source: Mapped[str] = mapped_column(String(20), default="none")
    message_id: Mapped[str] = mapped_column(String(998), default="")
    sender: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    file: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    other_files: Mapped[str] = mapped_column(Text, default="[]")


class ErrorRow(Base):
    __tablename__ = "errors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)
    stage: Mapped[str] = mapped_column(String(50))  # "mime" | "parse" | "fetch" | "archive"
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AssignmentRow(Base):
    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    unit_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


def now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, url: str, archive: Path) -> None:
        self.archive = Path(archive)
        self.archive.mkdir(parents=True, exist_ok=True)
        if url.startswith("sqlite:///"):
            db_path = url.removeprefix("sqlite:///")
            if db_path and db_path != ":memory:":
                Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _allow_several_submissions(self.engine)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, settings) -> Store:
        return cls(settings.storage.url, settings.storage.archive)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    # --- archive ----------------------------------------------------------------------------

    def archive_path(self, sha256: str, suffix: str) -> Path:
        return self.archive / sha256[:2] / f"{sha256}{suffix}"

    def put_blob(self, data: bytes, sha256: str, suffix: str) -> str:
        """Write once, atomically (temp file + fsync + rename); return the relative path."""
        target = self.archive_path(sha256, suffix)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return str(target.relative_to(self.archive))

    def read_blob(self, relative: str) -> bytes:
        return (self.archive / relative).read_bytes()

    # --- folder state -----------------------------------------------------------------------

    def folder_state(self, source: str, folder: str) -> tuple[int, int] | None:
        """(uidvalidity, last_uid) or None when the folder was never polled."""
        with self.session() as s:
            row = s.scalar(select(FolderState).where(
                FolderState.source == source, FolderState.folder == folder))
            return (row.uidvalidity, row.last_uid) if row else None

    @staticmethod
    def set_folder_state(s: Session, source: str, folder: str, uidvalidity: int, last_uid: int) -> None:
        row = s.scalar(select(FolderState).where(
            FolderState.source == source, FolderState.folder == folder))
        if row is None:
            s.add(FolderState(source=source, folder=folder, uidvalidity=uidvalidity, last_uid=last_uid))
        elif row.uidvalidity != uidvalidity:
            row.uidvalidity, row.last_uid = uidvalidity, last_uid
        else:
            row.last_uid = max(row.last_uid, last_uid)

    # --- queries ----------------------------------------------------------------------------

    def message_by_sha(self, sha256: str) -> MessageRow | None:
        with self.session() as s:
            return s.scalar(select(MessageRow).where(MessageRow.sha256 == sha256))

    def messages(self) -> list[MessageRow]:
        with self.session() as s:
            return list(s.scalars(select(MessageRow).order_by(MessageRow.id)))

    def errors(self) -> list[ErrorRow]:
        with self.session() as s:
            return list(s.scalars(select(ErrorRow).order_by(ErrorRow.id)))

    def mail_errors(self) -> list[tuple[ErrorRow, MessageRow | None]]:
        """Errors that no submission carries (unreadable containers, winmail.dat, archive
        problems), each with the message it came from, oldest first."""
        with self.session() as s:
            rows = s.execute(
                select(ErrorRow, MessageRow)
                .outerjoin(MessageRow, ErrorRow.message_pk == MessageRow.id)
                .where(ErrorRow.stage != "parse")  # parse errors live on their submission
                .order_by(ErrorRow.id))
            return [(error, message) for error, message in rows]

    def submission_rows(self) -> list[SubmissionRow]:
        with self.session() as s:
            return list(s.scalars(select(SubmissionRow).order_by(SubmissionRow.id)))

    def submissions(self) -> list[Submission]:
        """Every processed report attachment, oldest first, as aggregator records."""
        return [to_submission(row) for row in self.submission_rows()]

    def assign(self, message_id: str, unit_id: str) -> int:
        """Attribute a message's submission to a unit; returns how many submissions changed."""
        with self.session() as s:
            row = s.scalar(select(AssignmentRow).where(AssignmentRow.message_id == message_id))
            if row is None:
                s.add(AssignmentRow(message_id=message_id, unit_id=unit_id, created_at=now()))
            else:
                row.unit_id, row.created_at = unit_id, now()
            changed = 0
            # Reports bundled in the same message keep the units their headers name.
            for sub in s.scalars(select(SubmissionRow).where(
                    SubmissionRow.message_id == message_id, SubmissionRow.unit_source != "bundled")):
                sub.unit_id, sub.unit_source = unit_id, "assigned"
                changed += 1
            return changed

    def assignment(self, s: Session, message_id: str) -> str | None:
        if not message_id:
            return None
        row = s.scalar(select(AssignmentRow).where(AssignmentRow.message_id == message_id))
        return row.unit_id if row else None

    def fingerprint(self) -> dict[str, int]:
        """Row counts and the highest ids: equal fingerprints mean nothing changed."""
        with self.session() as s:
            out = {}
            for model in (MessageRow, AttachmentRow, SubmissionRow, ErrorRow, FolderState,
                          AssignmentRow):
                rows = list(s.scalars(select(model)))
                out[model.__tablename__] = len(rows)
            return out


def _allow_several_submissions(engine) -> None:
    """Databases made when a message could count for one unit only had submissions.message_pk
    unique: rebuild that table once without the constraint, keeping every row."""
    inspector = inspect(engine)
    if "submissions" not in inspector.get_table_names():
        return
    uniques = [u["column_names"] for u in inspector.get_unique_constraints("submissions")]
    indexes = inspector.get_indexes("submissions")
    uniques += [i["column_names"] for i in indexes if i.get("unique")]
    if ["message_pk"] not in uniques:
        return
    columns = ", ".join(c.name for c in SubmissionRow.__table__.columns)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE submissions RENAME TO submissions_old"))
        for index in indexes:  # index names stay taken by the renamed table
            if not index.get("duplicates_constraint"):
                conn.execute(text(f'DROP INDEX IF EXISTS "{index["name"]}"'))
        SubmissionRow.__table__.create(conn)
        conn.execute(text(f"INSERT INTO submissions ({columns}) SELECT {columns} FROM submissions_old"))
        conn.execute(text("DROP TABLE submissions_old"))
    log.info("store upgraded: a message may now count for several units")


def to_submission(row: SubmissionRow) -> Submission:
    result = ParseResult.from_json(json.loads(row.result_json)) if row.result_json else None
    return Submission(
        id=row.id,
        unit_id=row.unit_id,
        unit_source=row.unit_source,
        message_id=row.message_id,
        sender=row.sender,
        subject=row.subject,
        received_at=as_utc(row.received_at),
        file=row.file,
        sha256=row.sha256,
        ok=row.ok,
        error=row.error,
        result=result,
        other_files=json.loads(row.other_files or "[]"),
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (status) do not block the poller
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
