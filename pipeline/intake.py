"""Poll once: fetch new mail, store it raw, walk it, parse the report, record the result.

Re-runnable by construction:
- the raw bytes go to the content-addressed archive and a `messages` row (state "new")
  is committed BEFORE any processing;
- the processing result (attachments, submission, errors, message state) and the
  folder's last UID are committed together in one transaction;
- a message whose sha256 is already recorded is skipped; a second message with an
  already seen Message-ID is kept but marked "duplicate";
- messages left in state "new" by a crash are finished from the archive on the next poll.
So a crash at any point followed by another poll ends in the same state as one clean run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field

from sqlalchemy import select

from parsers.mime import Attachment, MessageInfo, bundled_candidates, parse_message
from parsers.result import ParseResult
from pipeline.mailsource import MailSource, RawMessage, open_source
from pipeline.store import (
    AttachmentRow,
    ErrorRow,
    MessageRow,
    Store,
    SubmissionRow,
    as_utc,
    now,
)

log = logging.getLogger(__name__)

# Test hook: "stored:N" exits right after the N-th raw message is stored (before it is
# processed); "recorded:N" exits right after the N-th message is fully recorded.
CRASH_ENV = "TONGHOP_TEST_CRASH"
# Walker warnings (parsers.mime) meaning attached files were received but not read.
UNREAD_MARKERS = ("possible zip bomb", "password-protected in the zip", "damaged zip file",
                  "too many nested parts")


@dataclass
class PollReport:
    folders: list[str] = field(default_factory=list)
    fetched: int = 0
    new: int = 0
    reports: int = 0
    duplicates: int = 0
    no_report: int = 0
    errors: list[str] = field(default_factory=list)
    rescanned: list[str] = field(default_factory=list)  # folders whose UIDVALIDITY changed


class _CrashHook:
    def __init__(self) -> None:
        spec = os.environ.get(CRASH_ENV, "")
        point, _, count = spec.partition(":")
        self.point = point
        self.limit = int(count) if count.isdigit() else 0
        self.counts: dict[str, int] = {}

    def hit(self, point: str) -> None:
        if self.point != point or not self.limit:
            return
        self.counts[point] = self.counts.get(point, 0) + 1
        if self.counts[point] >= self.limit:
            logging.shutdown()
            os._exit(70)


def poll_once(settings, store: Store, source: MailSource | None = None) -> PollReport:
    """Fetch and process everything new in the configured folders."""
    report = PollReport()
    crash = _CrashHook()
    finish_pending(settings, store, report)
    own = source is None
    source = source or open_source(settings.mailbox, store)
    try:
        for folder in source.folders():
            _poll_folder(settings, store, source, folder, report, crash)
    finally:
        if own:
            source.close()
    return report


def _poll_folder(settings, store: Store, source: MailSource, folder: str, report: PollReport,
                 crash: _CrashHook) -> None:
    uidvalidity = source.select(folder)
    report.folders.append(folder)
    state = store.folder_state(source.name, folder)
    last_uid = 0
    if state is not None:
        if state[0] == uidvalidity:
            last_uid = state[1]
        else:  # the server renumbered the folder: read it all again, dedupe by content
            log.warning("UIDVALIDITY of %s changed (%s → %s): rescanning", folder, state[0], uidvalidity)
            report.rescanned.append(folder)
    uids = source.uids_after(last_uid)
    if not uids:
        if state is None or state[0] != uidvalidity:
            with store.session() as s:
                store.set_folder_state(s, source.name, folder, uidvalidity, 0)
        return
    log.info("%s: %d new message(s)", folder, len(uids))
    done: list[int] = []
    for message in source.fetch(uids):
        report.fetched += 1
        ingest(settings, store, message, report, crash,
               folder_state=(source.name, folder, uidvalidity))
        done.append(message.uid)
        crash.hit("recorded")
    # Everything listed was handled (vanished ones included): remember the highest UID.
    with store.session() as s:
        store.set_folder_state(s, source.name, folder, uidvalidity, max(uids))
    source.processed(done)


def ingest(settings, store: Store, message: RawMessage, report: PollReport,
           crash: _CrashHook | None = None,
           folder_state: tuple[str, str, int] | None = None) -> None:
    """Store one fetched message raw, then process it (unless already processed)."""
    raw = message.raw
    sha = hashlib.sha256(raw).hexdigest()
    with store.session() as s:
        row = s.scalar(select(MessageRow).where(MessageRow.sha256 == sha))
        if row is not None and row.state != "new":
            if folder_state:  # already recorded (re-poll, other folder, rescan)
                store.set_folder_state(s, *folder_state, message.uid)
            return
    path = store.put_blob(raw, sha, ".eml")
    info = parse_message(raw)
    with store.session() as s:
        row = s.scalar(select(MessageRow).where(MessageRow.sha256 == sha))
        if row is None:
            row = MessageRow(
                sha256=sha, message_id=info.message_id[:998], sender=info.sender[:320],
                sender_name=info.sender_name[:500], subject=info.subject,
                date_header=as_utc(info.date), received_at=as_utc(message.received_at),
                folder=message.folder, uid=message.uid, size=len(raw), archive_path=path,
                state="new", warnings=json.dumps(info.warnings, ensure_ascii=False),
                stored_at=now())
            s.add(row)
            report.new += 1
        pk = row.id if row.id is not None else None
    if crash:
        crash.hit("stored")
    if pk is None:
        pk = store.message_by_sha(sha).id
    _process(settings, store, pk, info, report, folder_state, message.uid)


def finish_pending(settings, store: Store, report: PollReport) -> None:
    """Messages stored by a run that died before processing them: finish from the archive."""
    with store.session() as s:
        pending = list(s.scalars(select(MessageRow).where(MessageRow.state == "new")
                                 .order_by(MessageRow.id)))
    for row in pending:
        try:
            raw = store.read_blob(row.archive_path)
        except OSError as exc:
            report.errors.append(f"archived message {row.sha256} unreadable: {exc}")
            continue
        log.info("finishing message %s left unprocessed by an earlier run", row.message_id)
        _process(settings, store, row.id, parse_message(raw), report, None, None)


def _process(settings, store: Store, pk: int, info: MessageInfo, report: PollReport,
             folder_state: tuple[str, str, int] | None, uid: int | None) -> None:
    registry = settings.registry
    with store.session() as s:
        row = s.get(MessageRow, pk)
        earlier = None
        if info.message_id:
            earlier = s.scalar(select(MessageRow.id).where(
                MessageRow.message_id == info.message_id, MessageRow.id < pk).limit(1))
    counted: list[_Counted] = []
    errors: list[tuple[str, str]] = []
    state = "no_report"
    if earlier is not None:
        state = "duplicate"
    elif info.report is not None:
        attachment = info.report
        result = _parse(attachment.data, attachment.name, settings)
        with store.session() as s:
            assigned = store.assignment(s, info.message_id)
        unit_id, unit_source = None, "none"
        if assigned:
            unit_id, unit_source = assigned, "assigned"
        elif result.ok and result.unit.id and registry.get(result.unit.id):
            unit_id, unit_source = result.unit.id, result.unit.source or "header"
        else:
            for address in (attachment.sender, info.sender, *info.forwarded_senders):
                unit = registry.by_email(address) if address else None
                if unit is not None:
                    unit_id, unit_source = unit.id, "sender"
                    break
        state = "report" if result.ok else "error"
        counted.append(_Counted(attachment, result, unit_id, unit_source))
        if not result.ok:
            errors.append(("parse", f"{attachment.name}: {result.error}"))
        counted += _bundled(settings, info, {unit_id})
        for item in counted:
            item.path = store.put_blob(item.attachment.data, item.attachment.sha256,
                                       "." + item.attachment.kind)
            if item.result.ok and item.attachment.kind == "docx":
                from pipeline.preview import cache_preview

                unit = registry.get(item.unit_id) if item.unit_id else None
                cache_preview(store.archive, item.attachment.sha256, item.attachment.data,
                              unit.name if unit else (item.result.unit.name or item.attachment.name),
                              item.attachment.name)
    elif any("winmail.dat" in w for w in info.warnings):
        errors.append(("mime", next(w for w in info.warnings if "winmail.dat" in w)))
    else:  # no report because a container could not be opened: someone must look at it
        errors.extend(("mime", w) for w in info.warnings if any(m in w for m in UNREAD_MARKERS))
    with store.session() as s:
        row = s.get(MessageRow, pk)
        if row.state != "new":  # another poller got here first
            return
        row.state = state
        paths = {id(item.attachment): item.path for item in counted}
        for attachment in info.attachments:
            if attachment.inline:
                continue
            path = paths.get(id(attachment))
            s.add(AttachmentRow(
                message_pk=pk, name=attachment.name[:500], content_type=attachment.content_type[:200],
                kind=attachment.kind, size=attachment.size, sha256=attachment.sha256,
                container=(attachment.container or None) and attachment.container[:500],
                is_report=path is not None, archive_path=path))
        for item in counted:
            s.add(SubmissionRow(
                message_pk=pk, unit_id=item.unit_id, unit_source=item.unit_source,
                message_id=row.message_id, sender=row.sender, subject=row.subject,
                received_at=row.received_at, file=item.attachment.name,
                sha256=item.attachment.sha256, ok=item.result.ok, error=item.result.error,
                result_json=json.dumps(item.result.to_json(), ensure_ascii=False),
                other_files=json.dumps(info.other_files, ensure_ascii=False)))
        for stage, text in errors:
            s.add(ErrorRow(message_pk=pk, stage=stage, message=text, created_at=now()))
        if folder_state and uid is not None:
            store.set_folder_state(s, *folder_state, uid)
    if state == "duplicate":
        report.duplicates += 1
    elif state == "no_report":
        report.no_report += 1
    else:
        report.reports += len(counted)
    report.errors.extend(text for _, text in errors)


@dataclass
class _Counted:
    """One report of a message that counts for a unit (usually the only one)."""

    attachment: Attachment
    result: ParseResult
    unit_id: str | None
    unit_source: str
    path: str | None = None  # where its bytes are archived


def _bundled(settings, info: MessageInfo, taken: set[str | None]) -> list[_Counted]:
    """Reports of other units in the same message (someone forwarding several at once):
    a further Word file counts only when its header names a registered unit that no other
    report of the message already stands for. Appendices and copies name no other unit."""
    out = []
    for attachment in bundled_candidates(info):
        result = _parse(attachment.data, attachment.name, settings)
        unit_id = result.unit.id if result.ok else None
        if unit_id and unit_id not in taken and settings.registry.get(unit_id):
            taken.add(unit_id)
            out.append(_Counted(attachment, result, unit_id, "bundled"))
    return out


def _parse(data: bytes, name: str, settings) -> ParseResult:
    from pipeline.reports import parse_file_bytes

    try:
        return parse_file_bytes(data, name, settings.campaign, settings.registry)
    except ImportError:
        raise  # a broken installation: fail the poll, process this message next time
    except Exception as exc:  # a parser bug must not stop the intake of other mail
        log.exception("parser failed on %s", name)
        return ParseResult.failed(name, f"internal error while parsing: {type(exc).__name__}: {exc}")
