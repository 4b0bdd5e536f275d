"""Helpers for the mail-intake tests: sample emails, a Maildir, a config file."""

from __future__ import annotations

import importlib
import json
import os
import struct
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.config import Settings, load_settings
from tests.helpers import on_ci, require_samples


def sample_emails() -> list[dict]:
    samples = require_samples()
    entries = json.loads((samples / "emails.json").read_text(encoding="utf-8"))
    for entry in entries:
        entry["raw"] = (samples / entry["eml"]).read_bytes()
        entry["delivered"] = datetime.fromisoformat(entry["delivered_at"])
    return entries


def winmail_dat(files: list[tuple[str, bytes]]) -> bytes:
    """An Outlook TNEF attachment (MS-OXTNEF) holding `files`: each with an 8.3 title and
    its long Unicode name in PR_ATTACH_LONG_FILENAME_W, as Outlook writes them."""

    def attribute(level: int, attribute_id: int, data: bytes) -> bytes:
        checksum = struct.pack("<H", sum(data) & 0xFFFF)
        return struct.pack("<BII", level, attribute_id, len(data)) + data + checksum

    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += attribute(1, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
    for index, (long_name, data) in enumerate(files):
        name = long_name.encode("utf-16-le") + b"\0\0"
        props = struct.pack("<IHHII", 1, 0x001F, 0x3707, 1, len(name)) + name
        props += b"\0" * (-len(props) % 4)
        out += attribute(2, 0x00069002, struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0, 0, 0))
        out += attribute(2, 0x00018010, f"BAOCAO~{index + 1}.DOC".encode() + b"\0")
        out += attribute(2, 0x0006800F, data)  # attAttachData
        out += attribute(2, 0x00069005, props)  # attAttachment: the MAPI properties
    return out


def deliver_maildir(root: Path, raw: bytes, delivered: datetime) -> Path:
    """Deliver like an MDA: write to tmp/, rename into new/, set the delivery time."""
    for sub in ("tmp", "new", "cur"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    stamp = delivered.timestamp()
    name = f"{int(stamp)}.M{uuid.uuid4().hex[:12]}.test"
    tmp = root / "tmp" / name
    tmp.write_bytes(raw)
    os.utime(tmp, (stamp, stamp))
    target = root / "new" / name
    os.replace(tmp, target)
    return target


def write_config(tmp: Path, mailbox: str, units: Path | None = None) -> Path:
    samples = require_samples()
    units = units or samples / "units.toml"
    tmp.mkdir(parents=True, exist_ok=True)
    config = tmp / "tonghop.toml"
    config.write_text(
        f'[campaign]\nfile = "{samples / "campaign.toml"}"\nunits = "{units}"\n\n'
        f"{mailbox}\n"
        f'[storage]\nurl = "sqlite:///{tmp / "var" / "tonghop.db"}"\narchive = "{tmp / "var" / "archive"}"\n',
        encoding="utf-8",
    )
    return config


def maildir_settings(tmp: Path) -> Settings:
    maildir = tmp / "Maildir"
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    config = write_config(tmp, f'[mailbox]\nkind = "maildir"\npath = "{maildir}"\n')
    return load_settings(config)


PARSER_PARTS = (
    ("parsers.docx", "read_docx"),
    ("parsers.structure", "structure_document"),
    ("parsers.header", "read_header"),
    ("parsers.doctable", "read_documents_table"),
    ("parsers.indicators", "extract_facts"),
    ("parsers.pdf", "read_pdf"),
)


def require_report_parser() -> None:
    """The DOCX parser is built by another engineer; until it exists these tests wait."""
    try:
        for module, name in PARSER_PARTS:
            getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        message = f"report parser not available yet: {exc}"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)


def stub_parse(data: bytes, name: str, settings):
    """Stand-in for the report parser in storage/dedupe tests: readable or not, no unit."""
    import io
    import zipfile

    from parsers.result import ParseResult

    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.read("word/document.xml")
        except Exception as exc:
            return ParseResult.failed(name, f"damaged docx: {exc}")
        return ParseResult(file=name)
    if data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")):
        return ParseResult(file=name)
    return ParseResult.failed(name, "not a Word document")


def state_dump(store) -> dict:
    """Everything that matters about the stored state, without ids and timestamps."""
    return {
        "messages": sorted((m.sha256, m.message_id, m.state, m.received_at.isoformat())
                           for m in store.messages()),
        "submissions": sorted((s.message_id, s.unit_id or "", s.ok, s.sha256 or "", s.file or "")
                              for s in store.submissions()),
        "errors": sorted((e.stage, e.message) for e in store.errors()),
        "counts": store.fingerprint(),
    }


def _main(argv: list[str]) -> int:
    """`python -m tests.helpers_mail CONFIG [stub]`: one poll, optionally with the stub
    parser (used to kill a poller mid-run without the real parser)."""
    from pipeline import intake
    from pipeline.store import Store

    settings = load_settings(Path(argv[0]))
    if len(argv) > 1 and argv[1] == "stub":
        intake._parse = stub_parse
    store = Store.open(settings)
    intake.poll_once(settings, store)
    store.close()
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))
