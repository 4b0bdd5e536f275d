"""Raw OOXML writer for generated reports: template strings zipped with zipfile.

The block model is deliberately small (paragraphs, tables, text boxes, footnotes); the
quirks real files have (auto-numbering, outline levels, tracked changes, runs split inside
numbers, TCVN3 fonts, NFD text, soft breaks) are switches on it.
"""

from __future__ import annotations

import io
import random
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from pipeline.corpus.tcvn3 import can_encode, encode_vntime, encode_vntimeh

Seg = tuple[str, str]  # (text, tag): "" | "num" | "del" | "ins" | "br" | "tab" | "fn:<id>"


@dataclass
class Para:
    segs: list[Seg]
    style: str | None = None
    outline: int | None = None  # direct w:outlineLvl (0-based)
    num: tuple[int, int] | None = None  # (numId, ilvl)
    bold: bool = False
    italic: bool = False
    align: str | None = None  # "center" | "both" | "right"
    font: str | None = None  # ".VnTime" | ".VnTimeH": text is encoded to TCVN3
    first_line: bool = False
    size: int | None = None  # half-points


@dataclass
class Table:
    rows: list[list[list[Para]]]
    widths: list[int]
    borders: bool = True


@dataclass
class TextBox:
    paras: list[Para]
    width_pt: int = 250
    height_pt: int = 120
    modern: bool = False  # Word 2010+ form: a DrawingML shape with a VML fallback copy


Block = Para | Table | TextBox

# Abstract numbering definitions every generated document carries: (numFmt, lvlText).
ABSTRACT_NUMS: dict[int, tuple[str, str]] = {
    1: ("decimal", "%1."),
    2: ("upperRoman", "%1."),
    3: ("decimal", "%1-"),
    4: ("decimal", "%1)"),
    5: ("lowerLetter", "%1)"),
    6: ("upperLetter", "%1."),
    7: ("upperRoman", "%1-"),
}

_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def render_label(abstract_id: int, n: int) -> str:
    fmt, text = ABSTRACT_NUMS[abstract_id]
    if fmt == "decimal":
        value = str(n)
    elif fmt == "upperRoman":
        value = _ROMAN[n]
    elif fmt == "lowerLetter":
        value = "abcdefghij"[n - 1]
    else:
        value = "ABCDEFGHIJ"[n - 1]
    return text.replace("%1", value)


@dataclass
class DocSpec:
    body: list[Block]
    footnotes: dict[int, list[Para]] = field(default_factory=dict)
    nums: dict[int, int] = field(default_factory=dict)  # numId -> abstract id
    split_numbers: float = 0.0  # probability a numeral is split across two runs
    split_text: float = 0.0  # probability a plain text segment is split across runs
    nfd: bool = False
    track_revisions: bool = False
    font: str = "Times New Roman"
    seed: int = 0
    title: str = ""


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_DECL = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


_RPR_CACHE: dict[tuple, str] = {}


class _Writer:
    def __init__(self, spec: DocSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.rev = 0
        self.shape = 0

    def text(self, s: str, font: str | None) -> str:
        if font == ".VnTimeH":
            s = encode_vntimeh(s)
        elif font == ".VnTime":
            s = encode_vntime(s)
        elif self.spec.nfd:
            s = unicodedata.normalize("NFD", s)
        return escape(s)

    def rpr(self, p: Para) -> str:
        key = (p.font, p.bold, p.italic, p.size)
        cached = _RPR_CACHE.get(key)
        if cached is None:
            cached = _RPR_CACHE[key] = self._rpr(p)
        return cached

    def _rpr(self, p: Para) -> str:
        parts = []
        if p.font:
            parts.append(f'<w:rFonts w:ascii="{p.font}" w:hAnsi="{p.font}" w:cs="{p.font}"/>')
        if p.bold:
            parts.append("<w:b/><w:bCs/>")
        if p.italic:
            parts.append("<w:i/><w:iCs/>")
        if p.size:
            parts.append(f'<w:sz w:val="{p.size}"/><w:szCs w:val="{p.size}"/>')
        inner = "".join(parts)
        return f"<w:rPr>{inner}</w:rPr>" if inner else ""

    def runs_for(self, text: str, p: Para, tag: str) -> list[str]:
        """Plain text as one or more runs (Word splits runs at edits and spell-check marks)."""
        pieces = [text]
        threshold = self.spec.split_numbers if tag == "num" else self.spec.split_text
        if len(text) > 1 and threshold and self.rng.random() < threshold:
            cut = self.rng.randint(1, len(text) - 1)
            pieces = [text[:cut], text[cut:]]
        del_tag = tag == "del"
        out = []
        for piece in pieces:
            t = "w:delText" if del_tag else "w:t"
            out.append(f'<w:r>{self.rpr(p)}<{t} xml:space="preserve">{self.text(piece, p.font)}'
                       f"</{t}></w:r>")
        return out

    def revision_attrs(self) -> str:
        self.rev += 1
        return f'w:id="{self.rev}" w:author="Văn phòng" w:date="2022-07-{10 + self.rev % 9:02d}T09:00:00Z"'

    def paragraph(self, p: Para) -> str:
        ppr = []
        if p.style:
            ppr.append(f'<w:pStyle w:val="{p.style}"/>')
        if p.num:
            ppr.append(f'<w:numPr><w:ilvl w:val="{p.num[1]}"/><w:numId w:val="{p.num[0]}"/></w:numPr>')
        if p.first_line:
            ppr.append('<w:ind w:firstLine="567"/>')
        if p.align:
            ppr.append(f'<w:jc w:val="{p.align}"/>')
        if p.outline is not None:
            ppr.append(f'<w:outlineLvl w:val="{p.outline}"/>')
        out = [f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>" if ppr else "<w:p>"]
        for text, tag in p.segs:
            if tag == "br":
                out.append(f"<w:r>{self.rpr(p)}<w:br/></w:r>")
            elif tag == "tab":
                out.append("<w:r><w:tab/></w:r>")
            elif tag.startswith("fn:"):
                fid = tag[3:]
                out.append('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                           f'<w:footnoteReference w:id="{fid}"/></w:r>')
            elif tag == "del":
                out.append(f"<w:del {self.revision_attrs()}>{''.join(self.runs_for(text, p, tag))}</w:del>")
            elif tag == "ins":
                out.append(f"<w:ins {self.revision_attrs()}>{''.join(self.runs_for(text, p, tag))}</w:ins>")
            else:
                out.extend(self.runs_for(text, p, tag))
        out.append("</w:p>")
        return "".join(out)

    def table(self, t: Table) -> str:
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in t.widths)
        if t.borders:
            borders = "".join(f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                              for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
        else:
            borders = "".join(f'<w:{b} w:val="nil"/>'
                              for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(t.widths)}" w:type="dxa"/>'
               f"<w:tblBorders>{borders}</w:tblBorders>"
               f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
        for row in t.rows:
            out.append("<w:tr>")
            for i, cell in enumerate(row):
                width = t.widths[i] if i < len(t.widths) else t.widths[-1]
                paras = "".join(self.paragraph(p) for p in cell) or "<w:p/>"
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{paras}</w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def textbox(self, b: TextBox) -> str:
        self.shape += 1
        inner = "".join(self.paragraph(p) for p in b.paras)
        style = (f"position:absolute;margin-left:0;margin-top:0;width:{b.width_pt}pt;"
                 f"height:{b.height_pt}pt;z-index:{self.shape}")
        vml = (f'<w:pict><v:shape id="TextBox{self.shape}" o:spid="_x0000_s10{self.shape:02d}" '
               f'type="#_x0000_t202" style="{style}" stroked="f" filled="f">'
               f'<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox>'
               f'<w10:wrap type="topAndBottom"/></v:shape></w:pict>')
        if not b.modern:
            return f"<w:p><w:r>{vml}</w:r></w:p>"
        cx, cy = b.width_pt * 12700, b.height_pt * 12700
        drawing = (
            '<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
            f'relativeHeight="{251659264 + self.shape}" behindDoc="0" locked="0" layoutInCell="1" '
            'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:wrapTopAndBottom/><wp:docPr id="{self.shape}" name="Text Box {self.shape}"/>'
            "<wp:cNvGraphicFramePr/><a:graphic><a:graphicData "
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            "<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>"
            f"<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>"
            '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" '
            'bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>'
            "</a:graphicData></a:graphic></wp:anchor></w:drawing>")
        return (f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
                f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r></w:p>")

    def document(self) -> str:
        parts = []
        for block in self.spec.body:
            if isinstance(block, Para):
                parts.append(self.paragraph(block))
            elif isinstance(block, Table):
                parts.append(self.table(block))
                parts.append("<w:p/>")  # Word always keeps a paragraph after a table
            else:
                parts.append(self.textbox(block))
        sect = ('<w:sectPr><w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr>'
                '<w:pgSz w:w="11907" w:h="16840"/><w:pgMar w:top="1134" w:right="1134" '
                'w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>')
        return f"{XML_HEAD}<w:document {NS_DECL}><w:body>{''.join(parts)}{sect}</w:body></w:document>"

    def footnotes(self) -> str:
        notes = ['<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
                 '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
                 "<w:continuationSeparator/></w:r></w:p></w:footnote>"]
        for fid, paras in sorted(self.spec.footnotes.items()):
            body = []
            for i, p in enumerate(paras):
                xml = self.paragraph(Para(p.segs, style="FootnoteText", font=p.font))
                if i == 0:  # the footnote's own number mark opens its first paragraph
                    xml = xml.replace("</w:pPr>", '</w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>'
                                      "</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>", 1)
                body.append(xml)
            notes.append(f'<w:footnote w:id="{fid}">{"".join(body)}</w:footnote>')
        return f"{XML_HEAD}<w:footnotes {NS_DECL}>{''.join(notes)}</w:footnotes>"

    def numbering(self) -> str:
        abstract = []
        for aid, (fmt, text) in ABSTRACT_NUMS.items():
            abstract.append(
                f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                '<w:pPr><w:ind w:left="0" w:firstLine="567"/></w:pPr></w:lvl></w:abstractNum>')
        nums = [f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                for nid, aid in sorted(self.spec.nums.items())]
        return f"{XML_HEAD}<w:numbering {NS_DECL}>{''.join(abstract)}{''.join(nums)}</w:numbering>"

    def styles(self) -> str:
        font = self.spec.font
        return STYLES_XML.replace("{FONT}", font)

    def settings(self) -> str:
        track = "<w:trackRevisions/>" if self.spec.track_revisions else ""
        return (f'{XML_HEAD}<w:settings {NS_DECL}>{track}<w:defaultTabStop w:val="720"/>'
                '<w:characterSpacingControl w:val="doNotCompress"/>'
                '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
                '<w:compat><w:compatSetting w:name="compatibilityMode" '
                'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>')


def _heading_style(sid: str, name: str, lvl: int, size: int, bold: bool = True) -> str:
    b = "<w:b/><w:bCs/>" if bold else ""
    return (f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
            '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
            f'<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:outlineLvl w:val="{lvl}"/></w:pPr>'
            f'<w:rPr>{b}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>')


STYLES_XML = (
    f'{XML_HEAD}<w:styles xmlns:w="{W_NS}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" '
    'w:cs="{FONT}" w:eastAsia="{FONT}"/><w:sz w:val="28"/><w:szCs w:val="28"/>'
    '<w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="288" w:lineRule="auto"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    + _heading_style("Heading1", "heading 1", 0, 28)
    + _heading_style("Heading2", "heading 2", 1, 28)
    + _heading_style("Heading3", "heading 3", 2, 28)
    # Custom styles some offices use instead of the built-in headings.
    + _heading_style("Muc1", "Muc 1", 0, 28)
    + _heading_style("Muc2", "Muc 2", 1, 28)
    + _heading_style("Muc3", "Muc 3", 2, 28, bold=False)
    + '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>'
    '<w:qFormat/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/></w:style>'
    "</w:styles>"
)

CONTENT_TYPES = (
    f"{XML_HEAD}"
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.footnotes+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.settings+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
    'core-properties+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    f"{XML_HEAD}"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)

DOC_RELS = (
    f"{XML_HEAD}"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/{kind}" Target="{kind}.xml"/>'
        for i, kind in enumerate(("styles", "numbering", "footnotes", "settings"), start=1)
    )
    + "</Relationships>"
)


def _core(title: str) -> str:
    return (f"{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>Văn phòng</dc:creator>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2022-07-01T08:00:00Z</dcterms:created>'
            "</cp:coreProperties>")


# A fixed timestamp keeps the zip bytes identical for the same seed.
_ZIP_TIME = (2022, 7, 1, 8, 0, 0)


def write_docx(spec: DocSpec) -> bytes:
    """The .docx bytes of a document spec."""
    w = _Writer(spec)
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/core.xml", _core(spec.title)),
        ("word/document.xml", w.document()),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", w.styles()),
        ("word/numbering.xml", w.numbering()),
        ("word/footnotes.xml", w.footnotes()),
        ("word/settings.xml", w.settings()),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            # Small fixed parts are stored; the body is deflated quickly (speed over size).
            big = name in ("word/document.xml", "word/styles.xml", "word/numbering.xml")
            info.compress_type = zipfile.ZIP_DEFLATED if big else zipfile.ZIP_STORED
            zf.writestr(info, text.encode("utf-8"), compresslevel=1 if big else None)
    return buf.getvalue()


def tcvn3_ok(text: str) -> bool:
    return can_encode(text)
