"""Build real DOCX bytes from raw OOXML snippets, for tests of the readers.

    data = build_docx('<w:p><w:r><w:t>Hello</w:t></w:r></w:p>', numbering=NUMBERING_XML)

Snippets are the inner XML of w:body / w:styles / w:numbering / w:footnotes, with the
usual prefixes (w, r, mc, wps, v, wp, a) already declared.
"""

from __future__ import annotations

import io
import zipfile

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'mc:Ignorable="wps"'
)
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _content_types(parts: list[str]) -> str:
    overrides = {
        "document": "wordprocessingml.document.main+xml",
        "styles": "wordprocessingml.styles+xml",
        "numbering": "wordprocessingml.numbering+xml",
        "footnotes": "wordprocessingml.footnotes+xml",
    }
    body = "".join(
        f'<Override PartName="/word/{p}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{overrides[p]}"/>'
        for p in parts
    )
    return (
        DECL
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + body + "</Types>"
    )


def build_parts(
    body: str,
    styles: str | None = None,
    numbering: str | None = None,
    footnotes: str | None = None,
) -> dict[str, bytes]:
    """The part name → bytes mapping of a minimal package (to be tampered with by tests)."""
    parts = ["document"]
    rels = []
    files: dict[str, bytes] = {}
    for name, inner, root in (
        ("styles", styles, "styles"),
        ("numbering", numbering, "numbering"),
        ("footnotes", footnotes, "footnotes"),
    ):
        if inner is None:
            continue
        parts.append(name)
        rels.append(
            f'<Relationship Id="rId{len(rels) + 1}" Type="{REL}/{name}" Target="{name}.xml"/>'
        )
        files[f"word/{name}.xml"] = (DECL + f"<w:{root} {NS}>{inner}</w:{root}>").encode()
    files["[Content_Types].xml"] = _content_types(parts).encode()
    files["_rels/.rels"] = (
        DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    ).encode()
    files["word/_rels/document.xml.rels"] = (
        DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels) + "</Relationships>"
    ).encode()
    files["word/document.xml"] = (
        DECL + f"<w:document {NS}><w:body>{body}</w:body></w:document>"
    ).encode()
    return files


def zip_parts(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def build_docx(
    body: str,
    styles: str | None = None,
    numbering: str | None = None,
    footnotes: str | None = None,
) -> bytes:
    return zip_parts(build_parts(body, styles, numbering, footnotes))


def para(text: str, ppr: str = "", rpr: str = "") -> str:
    """One paragraph with one run; text is XML-escaped."""
    from xml.sax.saxutils import escape

    ppr_xml = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    rpr_xml = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:p>{ppr_xml}<w:r>{rpr_xml}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def numbered(text: str, num_id: int, ilvl: int = 0) -> str:
    return para(text, ppr=f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def abstract_num(aid: int, levels: list[tuple[str, str, int]], extra: str = "") -> str:
    """levels: (numFmt, lvlText, start) per ilvl from 0."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    return f'<w:abstractNum w:abstractNumId="{aid}">{lvls}</w:abstractNum>'


def num(num_id: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'
