"""Write the draft (aggregators.draft.Draft) as a Word document in the Party's layout.

Wording lives in templates/draft.toml; this module only lays it out: A4, Times New
Roman (East Asian font too), the two-column header, real Heading 1-3 styles restyled
black, comments carrying the sources of every figure and quote, the appendices.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from aggregators.draft import Appendix, Draft, Paragraph, Table

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PHRASES = TEMPLATES / "draft.toml"
BASE = TEMPLATES / "draft-base.docx"  # optional: a base document with its own styles

TABLE_STYLE = "Bang so lieu"  # paragraph style of table cells (ASCII id, Vietnamese-free)
_FIGURE = re.compile(r"(?:trên |hơn )?[\d.,]+")  # figure cells are right-aligned


def load_phrases(path: Path | None = None) -> dict:
    """The draft's wording and layout settings (templates/draft.toml)."""
    return tomllib.loads((path or PHRASES).read_text(encoding="utf-8"))


def _set_fonts(element, name: str) -> None:
    """Times New Roman for every script; theme fonts would override it, so drop them."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), name)


def _style_document(doc: DocxDocument, layout: dict) -> None:
    font = layout.get("font", "Times New Roman")
    size = Pt(float(layout.get("size", 14)))
    # Document defaults too: text outside any style (comments, tables) stays in the font.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            fonts = rpr_default.find(qn("w:rPr")).find(qn("w:rFonts"))
            if fonts is not None:
                for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                    fonts.attrib.pop(qn(f"w:{attr}"), None)
                for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                    fonts.set(qn(f"w:{attr}"), font)

    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = size
    _set_fonts(normal.element, font)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Cm(float(layout.get("first_line_indent_cm", 1.27)))
    pf.line_spacing = float(layout.get("line_spacing", 1.2))
    pf.space_before = Pt(0)
    pf.space_after = Pt(float(layout.get("space_after_pt", 6)))

    for level in (1, 2, 3):
        style = doc.styles[f"Heading {level}"]
        style.font.name = font
        style.font.size = Pt(float(layout.get("heading_size", 14)))
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        color = style.element.rPr.find(qn("w:color"))
        if color is not None:
            for attr in ("themeColor", "themeShade", "themeTint"):
                color.attrib.pop(qn(f"w:{attr}"), None)
        _set_fonts(style.element, font)
        hf = style.paragraph_format
        hf.space_before = Pt(6)
        hf.space_after = Pt(6)
        hf.line_spacing = float(layout.get("line_spacing", 1.2))
        hf.keep_with_next = True
        if level == 1:
            hf.space_before = Pt(12)
            hf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            hf.first_line_indent = Cm(0)
        else:
            hf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            hf.first_line_indent = Cm(float(layout.get("first_line_indent_cm", 1.27)))

    if TABLE_STYLE not in [s.name for s in doc.styles]:
        cell = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        cf = cell.paragraph_format
        cf.first_line_indent = Cm(0)
        cf.alignment = WD_ALIGN_PARAGRAPH.LEFT
        cf.space_after = Pt(0)
        cf.line_spacing = 1.0

    for section in doc.sections:
        _page(section, layout, landscape=False)


def _page(section, layout: dict, landscape: bool) -> None:
    short, long_ = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    section.top_margin = Cm(float(layout.get("margin_top_cm", 2.0)))
    section.bottom_margin = Cm(float(layout.get("margin_bottom_cm", 2.0)))
    if landscape:
        section.left_margin = section.right_margin = Cm(2.0)
    else:
        section.left_margin = Cm(float(layout.get("margin_left_cm", 3.0)))
        section.right_margin = Cm(float(layout.get("margin_right_cm", 1.5)))


def _line(container, text: str, *, bold=False, italic=False, underline=False,
          center=True, size: float | None = None, caps=False):
    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.first_line_indent = Cm(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.all_caps = caps or None
        if size:
            run.font.size = Pt(size)
    return p


def _borderless(doc: DocxDocument, widths_cm: tuple[float, float]):
    table = doc.add_table(rows=1, cols=2)  # the default table style draws no borders
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for cell, width in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(width)
        # python-docx gives each new cell an empty paragraph; reuse-free: remove it
        cell._tc.remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def _header(doc: DocxDocument, draft: Draft) -> None:
    h = draft.header
    size = float(draft.layout.get("header_size", 12))
    left, right = _borderless(doc, (9.0, 7.5))
    _line(left, h["parent"], size=size)
    _line(left, h["issuer"], bold=True, size=size)
    _line(left, h["star"], size=size)
    _line(left, h["number"], size=size)
    _line(right, h["nation"], bold=True, underline=True, size=size)
    _line(right, "", size=size)
    _line(right, h["date_line"], italic=True, size=size)
    _line(doc, "")
    _line(doc, draft.doc_type, bold=True, size=16)
    p = _line(doc, draft.title, bold=True)
    p.paragraph_format.space_after = Pt(0)
    _line(doc, draft.title_rule)
    _line(doc, "")


def _add_comment(doc: DocxDocument, run, text: str, layout: dict) -> None:
    lines = text.split("\n")
    comment = doc.add_comment(run, text=lines[0], author=layout.get("comment_author", "tonghop"),
                              initials=layout.get("comment_initials", "TH"))
    for line in lines[1:]:
        comment.add_paragraph(line)


def _paragraph(doc: DocxDocument, para: Paragraph, layout: dict) -> None:
    p = doc.add_paragraph()
    for span in para.spans:
        run = p.add_run(span.text)
        if span.bold:
            run.bold = True
        if span.italic or para.kind == "note":
            run.italic = True
        if span.comment:
            _add_comment(doc, run, span.comment, layout)


def _heading(doc: DocxDocument, text: str, level: int) -> None:
    p = doc.add_paragraph(style=f"Heading {min(level, 3)}")
    first, _, rest = text.partition("\n")
    p.add_run(first)
    if rest:
        p.runs[-1].add_break(WD_BREAK.LINE)
        # A part's title is printed in capitals; the text itself stays the outline's.
        p.add_run(rest).font.all_caps = True


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def _xml_text(text: str) -> str:
    return xml_escape(_NOT_XML.sub("", text), {'"': "&quot;"})


def _cell_xml(text: str, *, width: int | None, style_id: str, half_points: int, bold: bool,
              align: str | None) -> str:
    """One table cell as WordprocessingML (what python-docx's cell API would write)."""
    tc_pr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>' if width else ""
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    b = "<w:b/>" if bold else ""
    run = (f'<w:r><w:rPr>{b}<w:sz w:val="{half_points}"/></w:rPr>'
           f'<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r>') if text else ""
    return (f'<w:tc>{tc_pr}<w:p><w:pPr><w:pStyle w:val="{_xml_text(style_id)}"/>{jc}</w:pPr>'
            f"{run}</w:p></w:tc>")


def _table(doc: DocxDocument, spec: Table, default_size: float) -> None:
    if spec.caption:
        _line(doc, spec.caption, bold=True, center=False).paragraph_format.space_before = Pt(6)
    half_points = int(round(float(spec.font_size or default_size) * 2))
    cols = len(spec.headers)
    table = doc.add_table(rows=0, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths: list[int | None] = [None] * cols
    if spec.widths_cm:
        # LibreOffice lays out by the grid columns, Word by the cell widths: set both.
        for c, (column, width) in enumerate(zip(table.columns, spec.widths_cm, strict=False)):
            column.width = Cm(width)
            widths[c] = Cm(width).twips
    style_id = doc.styles[TABLE_STYLE].style_id
    # The rows are written as one piece of XML: python-docx's cell API costs ~0.5 ms a
    # cell, which made a 10 000-unit appendix take minutes.
    last = len(spec.rows)
    rows_xml: list[str] = []
    for r, values in enumerate([spec.headers, *spec.rows]):
        header = r == 0
        cells = []
        for c in range(cols):
            text = str(values[c]) if c < len(values) else ""
            align = ("center" if header or c == 0
                     else "right" if _FIGURE.fullmatch(text) else None)
            cells.append(_cell_xml(text, width=widths[c], style_id=style_id,
                                   half_points=half_points,
                                   bold=header or (spec.bold_last_row and r == last),
                                   align=align))
        tr_pr = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
        rows_xml.append(f"<w:tr>{tr_pr}{''.join(cells)}</w:tr>")
    holder = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows_xml)}</w:tbl>")
    tbl = table._tbl
    for tr in list(holder):
        tbl.append(tr)
    if spec.font_size and spec.font_size <= 9:
        _narrow_margins(table, Cm(0.05))


def _narrow_margins(table, width) -> None:
    """Thin cell padding so many narrow columns of figures do not wrap mid-number."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(width.twips)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _appendix(doc: DocxDocument, app: Appendix, layout: dict) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, layout, landscape=app.landscape)
    _line(doc, app.title, bold=True)
    _line(doc, app.subtitle, bold=True).paragraph_format.space_after = Pt(6)
    for note in app.notes:
        _line(doc, note, italic=True, center=False).paragraph_format.space_after = Pt(6)
    for spec in app.tables:
        _table(doc, spec, float(layout.get("table_size", 12)))


def _closing(doc: DocxDocument, draft: Draft) -> None:
    _line(doc, "")
    left, right = _borderless(doc, (8.0, 8.5))
    _line(left, draft.recipients_title, bold=True, italic=True, center=False, size=12)
    for item in draft.recipients:
        _line(left, item, center=False, size=11)
    for k, line in enumerate(draft.signature):
        _line(right, line, bold=True)
        if k == len(draft.signature) - 1:
            for _ in range(draft.signature_blank_lines):
                _line(right, "")


def render_docx(draft: Draft) -> DocxDocument:
    """The python-docx document for a draft (not yet saved)."""
    layout = draft.layout
    doc = Document(str(BASE)) if BASE.exists() else Document()
    _style_document(doc, layout)
    _header(doc, draft)
    for para in draft.intro:
        _paragraph(doc, para, layout)
    for section in draft.sections:
        _heading(doc, section.heading, section.level)
        for para in section.paragraphs:
            _paragraph(doc, para, layout)
    _closing(doc, draft)
    for app in draft.appendices:
        _appendix(doc, app, layout)
    return doc


def write_docx(draft: Draft, out_path: Path) -> Path:
    """Save the draft; written to a temporary name first so a reader never sees half a file."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    render_docx(draft).save(str(tmp))
    tmp.replace(out_path)
    return out_path
