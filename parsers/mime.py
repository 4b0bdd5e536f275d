"""Raw message bytes → MessageInfo: decoded headers, attachments, the chosen report.

Pure: bytes in, data out. Never raises on malformed mail; problems become warnings.
Handles RFC 2047 / RFC 2231 file names (also Outlook's encoded-words inside quoted
parameters), macOS NFD names, zip attachments (bomb limits), forwarded messages
(message/rfc822 parts and .eml attachments) and winmail.dat.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.parser
import email.policy
import email.utils
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message

# Report candidates by preference; the rest of the attachments are only listed.
REPORT_PREFERENCE = ("docx", "doc", "rtf", "pdf")
MAX_DEPTH = 5  # nested forwards / zips
MAX_MULTIPARTS = 300  # multipart parts in one message (a hostile nesting costs minutes)
ZIP_MAX_MEMBERS = 200
ZIP_MAX_MEMBER_BYTES = 50 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 200  # uncompressed / compressed, per member
WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
# Charsets mail clients put in headers that Python does not know by that name.
CHARSET_ALIASES = {
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unknown": "utf-8", "unknown-8bit": "utf-8",
    "windows-1258": "cp1258", "x-user-defined": "cp1252", "ansi_x3.4-1968": "ascii",
    "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "iso-8859-8-i": "iso-8859-8",
}


@dataclass
class Attachment:
    name: str  # sanitised display name (NFC, no path, safe for the file system)
    content_type: str
    data: bytes
    kind: str  # "docx" | "doc" | "rtf" | "pdf" | "zip" | "eml" | "image" | "other"
    inline: bool = False  # inline images of a signature: not listed as attachments
    container: str | None = None  # zip or forwarded message it came from
    sender: str = ""  # From address of the (possibly forwarded) message carrying it

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class MessageInfo:
    message_id: str  # "<…>" as in the header, or "" when the message has none
    sender: str  # lower-case address of From
    sender_name: str
    subject: str
    date: datetime | None  # the Date header (the sender's clock)
    sha256: str  # of the raw bytes
    attachments: list[Attachment] = field(default_factory=list)
    report: Attachment | None = None
    forwarded_senders: list[str] = field(default_factory=list)  # From of forwarded messages
    warnings: list[str] = field(default_factory=list)

    @property
    def other_files(self) -> list[str]:
        return [a.name for a in self.attachments if a is not self.report and not a.inline]


# --- text decoding -------------------------------------------------------------------------


def _codec(charset: str | None) -> str:
    name = (charset or "utf-8").strip().strip('"').lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset; a wrong declaration falls back to UTF-8, then cp1258."""
    codec = _codec(charset)
    for candidate in (codec, "utf-8", "cp1258"):
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


_ESCAPED_8BIT = re.compile("[\udc80-\udcff]")


def _unescape_8bit(text: str) -> str:
    """Raw 8-bit bytes in a header (UTF-8 or cp1258, against RFC 5322 but common) reach us
    as surrogate escapes from the stdlib parser: decode them for real."""
    if not _ESCAPED_8BIT.search(text):
        return text
    return decode_bytes(text.encode("utf-8", "surrogateescape"), "utf-8")


def decode_header_value(value: object) -> str:
    """RFC 2047 header text → NFC str; also encoded-words where they are not allowed."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        # compat32 wraps a header holding raw 8-bit bytes in a Header ("unknown-8bit").
        chunks = email.header.decode_header(value)
        value = "".join(decode_bytes(c, cs) if isinstance(c, bytes) else c for c, cs in chunks)
    text = _unescape_8bit(str(value))
    if "=?" not in text:
        return unicodedata.normalize("NFC", _unfold(text))
    try:
        parts = email.header.decode_header(_unfold(text))
    except Exception:  # malformed encoded-word: show it as written
        return unicodedata.normalize("NFC", _unfold(text))
    out = []
    for chunk, charset in parts:
        out.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return unicodedata.normalize("NFC", "".join(out))


def _unfold(text: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", text).replace("\r", "").replace("\n", "")


# --- file names -----------------------------------------------------------------------------


def sanitize_filename(name: str, default: str = "attachment") -> str:
    """A display name safe to use as a file name: no directories, no control characters,
    no Windows reserved names; Vietnamese letters are kept (NFC)."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # drop any path, incl. ../../etc/passwd
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip().strip(".").strip()
    if not name:
        return default
    stem, dot, ext = name.partition(".")
    if stem.upper().strip() in WINDOWS_RESERVED:
        name = "_" + name
    if len(name.encode("utf-8")) > 200:  # most file systems stop at 255 bytes
        ext = ("." + name.rsplit(".", 1)[1]) if "." in name else ""
        ext = ext if len(ext) <= 10 else ""
        stem = name[: len(name) - len(ext)] if ext else name
        while len((stem + ext).encode("utf-8")) > 200:
            stem = stem[:-1]
        name = stem + ext
    return name


def part_filename(part: Message) -> str | None:
    """The file name of a MIME part, from Content-Disposition or Content-Type name."""
    part = _with_8bit_decoded(part)
    raw = None
    try:
        raw = part.get_filename()
    except Exception:  # broken RFC 2231 continuation: fall back to the raw parameter
        raw = None
    if raw is None:
        for header, param in (("content-disposition", "filename"), ("content-type", "name")):
            try:
                value = part.get_param(param, header=header)
            except Exception:
                value = None
            if value:
                raw = email.utils.collapse_rfc2231_value(value) if isinstance(value, tuple) else value
                break
    if raw is None:
        return None
    if isinstance(raw, bytes):
        raw = decode_bytes(raw, "utf-8")
    raw = _unescape_8bit(raw)
    # RFC 2231 values whose charset Python could not use arrive undecoded.
    if "%" in raw and re.fullmatch(r"[^']*'[^']*'.*", raw):
        charset, _, encoded = raw.split("'", 2)
        from urllib.parse import unquote_to_bytes

        raw = decode_bytes(unquote_to_bytes(encoded), charset)
    return decode_header_value(raw)  # Outlook: filename="=?utf-8?B?…?="


def _with_8bit_decoded(part: Message) -> Message:
    """compat32 turns raw 8-bit parameter bytes into U+FFFD when asked for them: give it the
    two headers that carry file names with those bytes decoded."""
    items = [(k, v) for k, v in part.raw_items()
             if k.lower() in ("content-disposition", "content-type")]
    if not any(_ESCAPED_8BIT.search(v) for _, v in items if isinstance(v, str)):
        return part
    fixed = Message()
    for key, value in items:
        fixed[key] = _unescape_8bit(value) if isinstance(value, str) else value
    return fixed


def file_kind(name: str, content_type: str, data: bytes) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(b"PK\x03\x04"):
        if ext in ("docx", "docm", "dotx"):
            return "docx"
        if ext == "zip" or content_type in ("application/zip", "application/x-zip-compressed"):
            return "zip"
        if b"word/" in data[:4096]:
            return "docx"
        return "zip" if ext not in ("xlsx", "pptx", "odt", "ods") else "other"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if ext in ("docx", "doc", "dot"):
            return "doc" if ext != "docx" else "docx"  # encrypted .docx is OLE: parser says so
        return "other"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if ext in ("docx", "doc", "pdf", "rtf"):
        return ext  # claims to be a report but the bytes are damaged: let the parser say why
    if ext == "eml" or content_type == "message/rfc822":
        return "eml"
    if ext == "zip":
        return "zip"
    if content_type.startswith("image/"):
        return "image"
    return "other"


# --- walking --------------------------------------------------------------------------------


def _address(value: str) -> tuple[str, str]:
    # Split before decoding: a decoded display name may hold commas ("Sở Văn hoá, Thể thao").
    name, addr = email.utils.parseaddr(value)
    if not addr or "@" not in addr:
        name, addr = email.utils.parseaddr(decode_header_value(value))
    return decode_header_value(name), addr.strip().lower()


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None


def _payload(part: Message, warnings: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:
        warnings.append(f"cannot decode a MIME part: {exc}")
        return b""
    if data is None:
        return b""
    return data if isinstance(data, bytes) else str(data).encode("utf-8", "replace")


class _Walker:
    def __init__(self) -> None:
        self.attachments: list[Attachment] = []
        self.warnings: list[str] = []
        self.forwarded: list[str] = []

    def walk_message(self, msg: Message, sender: str, container: str | None, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.warnings.append("message nested too deeply; inner parts ignored")
            return
        for part in self._leaves(msg):
            self._leaf(part, sender, container, depth)

    def _leaves(self, msg: Message):
        """Leaf parts and message/rfc822 parts, without descending into the latter."""
        stack = [msg]
        while stack:
            part = stack.pop()
            ctype = part.get_content_type()
            if ctype == "message/rfc822" and part is not msg:
                yield part
            elif part.is_multipart():
                payload = part.get_payload()
                if isinstance(payload, list):
                    stack.extend(reversed(payload))
            else:
                yield part

    def _leaf(self, part: Message, sender: str, container: str | None, depth: int) -> None:
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message):
                self._forwarded(inner, container, depth)
            return
        name = part_filename(part)
        disposition = (part.get_content_disposition() or "").lower()
        if name is None and (ctype.startswith("text/") or ctype.startswith("multipart/")):
            return  # the body
        data = _payload(part, self.warnings)
        display = sanitize_filename(name or "", default=f"attachment.{ctype.split('/')[-1]}")
        kind = file_kind(display, ctype, data)
        inline = kind == "image" and (disposition == "inline" or part.get("Content-ID") is not None)
        if (display.lower() == "winmail.dat" or ctype == "application/ms-tnef") and \
                self._untnef(data, display, sender, depth):
            return
        if kind in ("eml", "zip"):
            self._contained(display, data, container, sender, depth, ctype)
            return
        self.attachments.append(
            Attachment(display, ctype, data, kind, inline=inline, container=container, sender=sender)
        )

    def _contained(self, display: str, data: bytes, container: str | None, sender: str,
                   depth: int, ctype: str = "") -> None:
        """A file that came as an attachment or out of a zip or winmail.dat: containers are
        opened (zip, forwarded .eml), everything else is listed."""
        kind = file_kind(display, ctype, data)
        if kind == "zip" and depth < MAX_DEPTH:
            self._unzip(data, display, sender, depth + 1)
            return
        if kind == "eml":
            try:
                inner = email.message_from_bytes(data, policy=email.policy.compat32)
            except Exception as exc:
                self.warnings.append(f"{display}: cannot read the attached message: {exc}")
            else:
                self._forwarded(inner, display, depth)
                return
        self.attachments.append(
            Attachment(display, ctype, data, kind, container=container, sender=sender)
        )

    def _untnef(self, data: bytes, display: str, sender: str, depth: int) -> bool:
        """Outlook's winmail.dat (TNEF): its files become attachments. False when unreadable."""
        from tnefparse import TNEF

        try:
            files = [(_tnef_name(a), a.data) for a in TNEF(data, do_checksum=False).attachments]
        except Exception as exc:  # tnefparse raises many kinds on damaged input
            self.warnings.append(
                f"winmail.dat (Outlook TNEF) attachment could not be read ({type(exc).__name__}); "
                "ask the unit to send the report as a normal attachment")
            return False
        if not files:
            self.warnings.append("winmail.dat (Outlook TNEF) attachment holds no files")
        for name, member in files:
            if isinstance(member, bytes) and member:
                self._contained(sanitize_filename(name), member, display, sender, depth)
        return True

    def _forwarded(self, inner: Message, container: str | None, depth: int) -> None:
        _, inner_sender = _address(inner.get("From", ""))
        if inner_sender:
            self.forwarded.append(inner_sender)
        label = container or decode_header_value(inner.get("Subject", "")) or "forwarded message"
        self.walk_message(inner, inner_sender, label, depth + 1)

    def _unzip(self, data: bytes, zip_name: str, sender: str, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.warnings.append(f"{zip_name}: damaged zip file ({exc})")
            self.attachments.append(Attachment(zip_name, "application/zip", data, "zip", sender=sender))
            return
        if len(infos) > ZIP_MAX_MEMBERS:
            self.warnings.append(f"{zip_name}: {len(infos)} files in the zip; only the first "
                                 f"{ZIP_MAX_MEMBERS} are read")
            infos = infos[:ZIP_MAX_MEMBERS]
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            name = _zip_member_name(info)
            display = sanitize_filename(name)
            if info.flag_bits & 0x1:
                self.warnings.append(f"{zip_name}: {display} is password-protected in the zip")
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if (info.file_size > ZIP_MAX_MEMBER_BYTES or total + info.file_size > ZIP_MAX_TOTAL_BYTES
                    or ratio > ZIP_MAX_RATIO):
                self.warnings.append(f"{zip_name}: {display} skipped (too large when unpacked: "
                                     f"{info.file_size / 1e6:.1f} MB, possible zip bomb)")
                continue
            try:
                member = _read_limited(archive, info, ZIP_MAX_MEMBER_BYTES)
            except Exception as exc:
                self.warnings.append(f"{zip_name}: cannot unpack {display} ({exc})")
                continue
            total += len(member)
            self._contained(display, member, zip_name, sender, depth)


def _tnef_name(attachment) -> str:
    """The long file name Outlook stored (bytes in the sender's code page, or str)."""
    name = attachment.long_filename() or attachment.name or ""
    if isinstance(name, bytes):
        name = decode_bytes(name.rstrip(b"\x00"), "utf-8")
    return name.strip("\x00")


def _zip_member_name(info: zipfile.ZipInfo) -> str:
    """zipfile decodes names without the UTF-8 flag as CP437; Vietnamese Windows zips
    often hold UTF-8 (or cp1258) bytes without the flag, so undo and retry."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for codec in ("utf-8", "cp1258"):
        try:
            decoded = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-8" or not raw.isascii():
            return decoded
    return name


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read a member but stop at `limit` bytes whatever the header claims."""
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError("member larger than its header says")
    return data


def choose_report(attachments: list[Attachment]) -> Attachment | None:
    """docx over doc over rtf over pdf; among equals the first one in the message."""
    for kind in REPORT_PREFERENCE:
        for attachment in attachments:
            if attachment.kind == kind and not attachment.inline:
                return attachment
    return None


BUNDLE_KINDS = ("docx", "doc", "rtf")


def bundled_candidates(info: MessageInfo) -> list[Attachment]:
    """Other Word files of a message that may be other units' reports (a forward bundling
    several): not the chosen report, not a copy of it, not the same file name in another
    format ("BC.docx" beside "BC.doc"). Whether one counts is decided by its header."""
    chosen = info.report
    if chosen is None:
        return []
    stem = _stem(chosen.name)
    return [a for a in info.attachments
            if a is not chosen and not a.inline and a.kind in BUNDLE_KINDS
            and a.sha256 != chosen.sha256 and _stem(a.name) != stem]


def _stem(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0].casefold()


def parse_message(raw: bytes) -> MessageInfo:
    """Read one RFC 5322 message. Never raises for bad mail."""
    digest = hashlib.sha256(raw).hexdigest()
    warnings: list[str] = []
    # The stdlib parser needs seconds per thousand nested multiparts (then a RecursionError);
    # real mail has a handful, so past the cap only the headers are read.
    headers_only = raw.lower().count(b"multipart/") > MAX_MULTIPARTS
    if headers_only:
        warnings.append("message has too many nested parts; its attachments were not read")
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.compat32) if not headers_only \
            else email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
                raw, headersonly=True)
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        return MessageInfo("", "", "", "", None, digest, warnings=[f"unreadable message: {exc}"])

    def header(name: str) -> str:
        try:
            return decode_header_value(msg.get(name, ""))
        except Exception:
            return ""

    message_id = header("Message-ID").strip()
    found = re.search(r"<[^<>\s]+>", message_id)
    message_id = found.group(0) if found else message_id.split(" ")[0] if message_id else ""
    sender_name, sender = _address(str(msg.get("From", "") or ""))
    walker = _Walker()
    try:
        if not headers_only:
            walker.walk_message(msg, sender, None, 0)
    except RecursionError:
        warnings.append("message structure too deeply nested")
    for defect in getattr(msg, "defects", [])[:5]:
        warnings.append(f"malformed message: {type(defect).__name__}")
    info = MessageInfo(
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        subject=header("Subject"),
        date=_parse_date(msg.get("Date")),
        sha256=digest,
        attachments=walker.attachments,
        forwarded_senders=walker.forwarded,
        warnings=warnings + walker.warnings,
    )
    info.report = choose_report(info.attachments)
    return info
