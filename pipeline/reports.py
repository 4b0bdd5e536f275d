"""Parse a report file as received: converting legacy formats at this edge, then parsing."""

from __future__ import annotations

from parsers.campaign import Campaign
from parsers.model import ReadError
from parsers.report import MAX_REPORT_BYTES, is_encrypted_ooxml, parse_report, sniff_format
from parsers.result import ParseResult
from parsers.units import Registry
from pipeline.convert import to_docx


def parse_file_bytes(
    data: bytes, name: str, campaign: Campaign, registry: Registry | None = None
) -> ParseResult:
    """Like parsers.report.parse_report, but .doc/.rtf go through LibreOffice first."""
    kind = sniff_format(data)
    if kind in ("ole", "rtf") and len(data) <= MAX_REPORT_BYTES and not is_encrypted_ooxml(data):
        try:
            data = to_docx(data, suffix=".doc" if kind == "ole" else ".rtf")
        except ReadError as exc:
            return ParseResult.failed(name, str(exc))
        result = parse_report(data, name, campaign, registry)
        result.warnings.insert(0, f"converted from .{'doc' if kind == 'ole' else 'rtf'} with LibreOffice")
        return result
    return parse_report(data, name, campaign, registry)
