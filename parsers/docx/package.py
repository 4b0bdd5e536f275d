"""Safe access to the parts of a DOCX zip: size caps, bomb checks, encryption detection."""

from __future__ import annotations

import io
import posixpath
import struct
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from parsers.docx.xmlutil import REL_NS, parse_xml
from parsers.model import ReadError

MAX_INPUT_BYTES = 40 * 1024 * 1024  # larger inputs are refused without opening them
MAX_PART_BYTES = 32 * 1024 * 1024  # one decompressed XML part
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all parts we decompress together
MAX_RATIO = 200  # deflate of real XML rarely beats ~30:1; bombs are 1000:1
RATIO_FLOOR = 2 * 1024 * 1024  # small parts may have any ratio
MAX_ENTRIES = 20000

DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


_LOCAL_HEADER = b"PK\x03\x04"
_CACHE_SIZE = 64  # distinct parts kept: units mostly share a handful of Word templates
_CACHE_MAX_PART = 512 * 1024  # larger parts are not kept (real styles.xml are 20-300 KB)
_cache: OrderedDict[tuple[str, bytes], Any] = OrderedDict()
_cache_lock = threading.Lock()


def cached(kind: str, data: bytes, build: Callable[[bytes], Any]) -> Any:
    """build(data), remembered per (kind, exact bytes) in a small process-wide LRU.

    Keyed by the bytes themselves, not the zip CRC: a CRC is trivial to collide, and a
    crafted part must never change how another unit's report is read.
    """
    if len(data) > _CACHE_MAX_PART:
        return build(data)
    key = (kind, data)
    with _cache_lock:
        value = _cache.get(key)
        if value is not None:
            _cache.move_to_end(key)
            return value
    value = build(data)
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


@dataclass
class Package:
    zf: zipfile.ZipFile
    names: set[str]
    read_total: int = 0
    warnings: list[str] = field(default_factory=list)
    data: bytes = b""  # the whole package, for reading members without zipfile's overhead

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """The decompressed bytes of one part, never more than the caps allow."""
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise ReadError(f"the document is incomplete: {name} is missing") from None
        if info.flag_bits & 0x1:
            raise ReadError(
                "the document is password-protected (encrypted); ask the unit for an unprotected copy"
            )
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(f"the document is too large: {name} unpacks to {info.file_size} bytes")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(f"the document looks like a zip bomb: {name} is compressed too well")
        budget = min(MAX_PART_BYTES, MAX_TOTAL_BYTES - self.read_total)
        data = self._fast_read(info, budget)
        if data is not None:
            self.read_total += len(data)
            return data
        try:
            with self.zf.open(info) as fh:
                data = fh.read(budget + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise ReadError(f"the document is damaged: cannot unpack {name} ({exc})") from None
        except RuntimeError as exc:  # zipfile raises this for encrypted entries
            raise ReadError(f"the document cannot be unpacked: {exc}") from None
        except NotImplementedError as exc:  # unsupported compression method
            raise ReadError(f"the document cannot be unpacked: {exc}") from None
        if len(data) > budget:
            raise ReadError(f"the document is too large: {name} unpacks to more than {budget} bytes")
        self.read_total += len(data)
        return data

    def _fast_read(self, info: zipfile.ZipInfo, budget: int) -> bytes | None:
        """The member inflated straight from the package bytes (zipfile.open costs ~50 µs a
        part); None when anything is unusual, so that zipfile reads it and reports the error."""
        data = self.data
        off = info.header_offset
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return None
        if info.flag_bits & 0x61:  # encrypted, patched or strongly encrypted: zipfile decides
            return None
        if off < 0 or off + 30 > len(data) or data[off : off + 4] != _LOCAL_HEADER:
            return None
        name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
        try:
            name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        except UnicodeEncodeError:
            return None
        if data[off + 30 : off + 30 + name_len] != name:
            return None
        start = off + 30 + name_len + extra_len
        end = start + info.compress_size
        if end > len(data):
            return None
        if info.compress_type == zipfile.ZIP_STORED:
            out = data[start:end]
        else:
            inflater = zlib.decompressobj(-15)
            try:
                out = inflater.decompress(data[start:end], budget + 1)
            except zlib.error:
                return None
            if not inflater.eof:
                return None
        if len(out) != info.file_size or len(out) > budget or zlib.crc32(out) != info.CRC:
            return None
        return out

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name), name)

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, absolute part name) for one part (do not mutate)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        return cached(
            "rels:" + rels_name, self.read(rels_name), lambda d: _read_rels(d, rels_name, folder)
        )

    def main_part(self) -> str:
        for rel_type, target in self._root_rels():
            if rel_type in (DOC_REL, STRICT_DOC_REL) and target in self.names:
                return target
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise ReadError("not a Word document: the file has no word/document.xml")

    def _root_rels(self) -> list[tuple[str, str]]:
        if "_rels/.rels" not in self.names:
            return []
        try:
            return cached("rootrels", self.read("_rels/.rels"), _read_root_rels)
        except ReadError:
            return []


def _read_rels(data: bytes, rels_name: str, folder: str) -> dict[str, tuple[str, str]]:
    root = parse_xml(data, rels_name)
    out: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = (rel.get("Type") or "", resolved)
    return out


def _read_root_rels(data: bytes) -> list[tuple[str, str]]:
    root = parse_xml(data, "_rels/.rels")
    return [
        (rel.get("Type") or "", (rel.get("Target") or "").lstrip("/"))
        for rel in root.iter(f"{{{REL_NS}}}Relationship")
    ]


def open_package(data: bytes) -> Package:
    if len(data) > MAX_INPUT_BYTES:
        raise ReadError(
            f"the file is too large to be a report: {len(data) / 1e6:.1f} MB "
            f"(limit {MAX_INPUT_BYTES / 1e6:.0f} MB)"
        )
    if not data.startswith(b"PK"):
        raise ReadError("not a Word document: the file is not a .docx (zip) package")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise ReadError(f"the document is damaged or truncated: {exc}") from None
    if len(infos) > MAX_ENTRIES:
        raise ReadError(f"the document is malformed: {len(infos)} entries in the package")
    declared = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    if declared > 16 * MAX_TOTAL_BYTES:
        raise ReadError("the document looks like a zip bomb: its parts declare huge sizes")
    return Package(zf=zf, names={i.filename for i in infos}, data=data)
