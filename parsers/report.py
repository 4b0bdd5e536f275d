"""One report file's bytes → ParseResult: read, structure, header, table, indicators."""

from __future__ import annotations

from parsers.campaign import Campaign
from parsers.model import Document, ReadError
from parsers.result import ParseResult
from parsers.units import Registry

MAX_REPORT_BYTES = 20 * 1024 * 1024  # larger files are refused before anything is read

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(data: bytes) -> str:
    """"docx" | "pdf" | "ole" (legacy .doc or an encrypted OOXML) | "rtf" | "unknown"."""
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    return "unknown"


def is_encrypted_ooxml(data: bytes) -> bool:
    """A password-protected .docx is an OLE file holding an 'EncryptedPackage' stream."""
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data[:65536 * 8]


def read_document(data: bytes) -> Document:
    """Read DOCX or PDF bytes into the document model; ReadError for anything else."""
    if len(data) > MAX_REPORT_BYTES:
        raise ReadError(
            f"file too large: {len(data) / 1e6:.1f} MB (limit {MAX_REPORT_BYTES / 1e6:.0f} MB)"
        )
    kind = sniff_format(data)
    if kind == "docx":
        from parsers.docx import read_docx

        return read_docx(data)
    if kind == "pdf":
        from parsers.pdf import read_pdf

        return read_pdf(data)
    if kind == "ole":
        if is_encrypted_ooxml(data):
            raise ReadError("the document is password-protected (encrypted); ask the unit for an unprotected copy")
        raise ReadError("legacy Word .doc: convert it first (LibreOffice is needed for .doc files)")
    if kind == "rtf":
        raise ReadError("RTF document: convert it first (LibreOffice is needed for .rtf files)")
    if not data:
        raise ReadError("empty file")
    raise ReadError("not a Word document (neither .docx, .doc nor .pdf)")


def analyse_document(
    doc: Document, file: str, campaign: Campaign, registry: Registry | None = None
) -> ParseResult:
    """Structure, header, statistics table and indicators of a read document."""
    from parsers.doctable import read_documents_table
    from parsers.header import read_header
    from parsers.indicators import extract_facts
    from parsers.structure import structure_document

    structure = structure_document(doc, campaign)
    header = read_header(doc, registry)
    rows, table_warnings = read_documents_table(doc, campaign)
    facts = extract_facts(structure.segments, campaign)
    return ParseResult(
        file=file,
        unit=header.unit,
        report_number=header.report_number,
        report_date=header.report_date,
        sections=structure.sections,
        indicators=facts,
        documents=rows,
        warnings=[*doc.warnings, *structure.warnings, *header.warnings, *table_warnings],
    )


def parse_report(
    data: bytes, file: str, campaign: Campaign, registry: Registry | None = None
) -> ParseResult:
    """Parse one report; never raises for bad input: ok=False with the reason instead."""
    try:
        doc = read_document(data)
    except ReadError as exc:
        return ParseResult.failed(file, str(exc))
    try:
        return analyse_document(doc, file, campaign, registry)
    except RecursionError:
        return ParseResult.failed(file, "document structure too deeply nested")
