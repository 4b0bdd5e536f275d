"""document.xml (and note parts) → blocks: one pass over the element tree."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

from lxml import etree

from parsers.docx.numbering import Numbering
from parsers.docx.styles import (
    ParaProps,
    ParaStyle,
    RunProps,
    Styles,
    read_ppr_key,
    read_ppr_props,
    read_rpr,
    read_rpr_key,
    table_borders,
)
from parsers.docx.xmlutil import M_NS, MC_NS, W_VAL, int_attr, w
from parsers.legacy import decode_legacy, font_encoding
from parsers.model import Block, Cell, Footnote, Paragraph, Table

P, R, T, TBL, TR, TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
PPR, RPR, TBLPR, TRPR, TCPR = w("pPr"), w("rPr"), w("tblPr"), w("trPr"), w("tcPr")
PSTYLE, TBLSTYLE = w("pStyle"), w("tblStyle")
GRID_SPAN, VMERGE, GRID_BEFORE, GRID_AFTER = (
    w("gridSpan"), w("vMerge"), w("gridBefore"), w("gridAfter"),
)
TAB, PTAB, BR, CR = w("tab"), w("ptab"), w("br"), w("cr")
NO_BREAK_HYPHEN, SOFT_HYPHEN, SYM = w("noBreakHyphen"), w("softHyphen"), w("sym")
FLD_CHAR, FLD_CHAR_TYPE = w("fldChar"), w("fldCharType")
FOOTNOTE_REF, ENDNOTE_REF, NOTE_ID = w("footnoteReference"), w("endnoteReference"), w("id")
SYM_CHAR = w("char")
HYPERLINK, SMART_TAG, CUSTOM_XML, FLD_SIMPLE = (
    w("hyperlink"), w("smartTag"), w("customXml"), w("fldSimple"),
)
INS, DEL, MOVE_TO, MOVE_FROM = w("ins"), w("del"), w("moveTo"), w("moveFrom")
SDT, SDT_CONTENT, BDO, DIR = w("sdt"), w("sdtContent"), w("bdo"), w("dir")
TXBX_CONTENT = w("txbxContent")
ALT_CONTENT, MC_CHOICE, MC_FALLBACK = (
    f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback",
)
DRAWING, PICT, OBJECT = w("drawing"), w("pict"), w("object")
M_OMATH, M_OMATH_PARA, M_T = f"{{{M_NS}}}oMath", f"{{{M_NS}}}oMathPara", f"{{{M_NS}}}t"

# inline containers whose children are read as if they stood in the paragraph
_INLINE_WRAPPERS = frozenset({HYPERLINK, SMART_TAG, CUSTOM_XML, FLD_SIMPLE, INS, MOVE_TO, BDO, DIR})
_INLINE_ANY = _INLINE_WRAPPERS | {SDT, ALT_CONTENT}
_MATH = frozenset({M_OMATH, M_OMATH_PARA})
_BLOCK_WRAPPERS = frozenset({CUSTOM_XML, INS, MOVE_TO})
_DROPPED = frozenset({DEL, MOVE_FROM})
_TEXTBOX_HOSTS = frozenset({DRAWING, PICT, OBJECT, ALT_CONTENT})
_RUN_CONTENT = frozenset(
    {TAB, PTAB, BR, CR, FLD_CHAR, NO_BREAK_HYPHEN, SOFT_HYPHEN, FOOTNOTE_REF, ENDNOTE_REF, SYM}
) | _TEXTBOX_HOSTS
_SKIP_NOTE_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


_Run = tuple[str, bool, bool, bool]  # text, bold, italic, caps
_Fmt = tuple[bool, bool, bool, "str | None", bool]  # bold, italic, caps, encoding, vanish

_PARAGRAPH_FIELDS = (
    "text", "style_id", "style_name", "outline_level", "heading_level", "num_label",
    "num_level", "is_bullet", "bold", "italic", "caps", "alignment", "footnotes", "in_textbox",
)
if tuple(f.name for f in fields(Paragraph)) == _PARAGRAPH_FIELDS:
    _Paragraph = Paragraph
else:  # the model changed: fall back on keywords rather than fill the wrong fields

    def _Paragraph(*args: object) -> Paragraph:  # noqa: N802
        return Paragraph(**dict(zip(_PARAGRAPH_FIELDS, args, strict=True)))  # type: ignore[arg-type]


@dataclass(slots=True)
class _ParaState:
    runs: list[_Run]
    footnotes: list[Footnote]
    textboxes: list[etree._Element]


def find_textboxes(el: etree._Element, out: list[etree._Element]) -> None:
    """Outermost w:txbxContent under el, reading one branch of each mc:AlternateContent."""
    if el.tag == ALT_CONTENT:
        # Choice (DrawingML) and Fallback (VML) hold the same text box twice: read one
        branch = el.find(MC_CHOICE)
        if branch is None:
            branch = el.find(MC_FALLBACK)
        if branch is not None:
            find_textboxes(branch, out)
        return
    for child in el:
        tag = child.tag
        if tag == TXBX_CONTENT:
            out.append(child)
        elif isinstance(tag, str):
            find_textboxes(child, out)


class BodyReader:
    def __init__(
        self,
        styles: Styles,
        numbering: Numbering | None,
        notes: dict[str, Footnote] | None = None,
        warnings: list[str] | None = None,
    ):
        self.styles = styles
        self.numbering = numbering
        self.notes = notes or {}
        self.warnings = warnings if warnings is not None else []
        self._fields: list[bool] = []  # open complex fields: True while in the instruction
        self._in_instr = 0
        self._enc_cache: dict[str | None, str | None] = {}
        self._run_cache: dict[tuple[int, str | None], RunProps] = {}
        self._ppr_cache: dict[tuple, tuple[ParaStyle, ParaProps]] = {}
        self._default_style = styles.paragraph(None)
        # resolved run formatting as (bold, italic, caps, encoding, vanish): per paragraph
        # run properties (id of a RunProps the Styles cache keeps alive), and per
        # (paragraph properties, direct rPr)
        self._para_fmt: dict[int, _Fmt] = {}
        self._run_fmt: dict[tuple, _Fmt] = {}
        # when a list: every auto-numbered (not bulleted) w:p with the label Word shows
        self.labelled: list[tuple[etree._Element, str]] | None = None

    def _fmt_of(self, props: RunProps) -> _Fmt:
        enc = self._encoding(props.font) if props.font is not None else None
        return (bool(props.bold), bool(props.italic), bool(props.caps), enc, bool(props.vanish))

    def _direct_fmt(self, rpr: etree._Element, para_rpr: RunProps) -> _Fmt:
        """Formatting of a run with its own rPr, cached by what that rPr says."""
        key = (id(para_rpr), read_rpr_key(rpr))
        fmt = self._run_fmt.get(key)
        if fmt is None:
            fmt = self._run_fmt[key] = self._fmt_of(self._resolve(rpr, para_rpr))
        return fmt

    # ---- blocks ----------------------------------------------------------------------
    def read_blocks(self, container: etree._Element, out: list[Block], in_textbox: bool) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self.read_paragraph(child, out, in_textbox)
            elif tag == TBL:
                out.append(self.read_table(child, in_textbox))
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.read_blocks(content, out, in_textbox)
            elif tag in _BLOCK_WRAPPERS:
                self.read_blocks(child, out, in_textbox)
            elif tag == ALT_CONTENT:
                branch = child.find(MC_CHOICE)
                if branch is None:
                    branch = child.find(MC_FALLBACK)
                if branch is not None:
                    self.read_blocks(branch, out, in_textbox)

    def _para_props(self, ppr: etree._Element) -> tuple[ParaStyle, ParaProps]:
        key = read_ppr_key(ppr)
        cached = self._ppr_cache.get(key)
        if cached is None:
            direct = read_ppr_props(ppr)
            style = self.styles.paragraph(direct.style)
            cached = self._ppr_cache[key] = (style, direct.over(style.ppr))
        return cached

    def read_paragraph(self, p: etree._Element, out: list[Block], in_textbox: bool) -> None:
        style = self._default_style
        props = style.ppr
        para_rpr = style.rpr
        runs: list[_Run] = []
        state: _ParaState | None = None  # made only for what the fast path does not handle
        para_fmt = self._para_fmt.get(id(para_rpr))
        if para_fmt is None:
            para_fmt = self._para_fmt[id(para_rpr)] = self._fmt_of(para_rpr)
        for child in p:
            tag = child.tag
            if tag == R:
                # Inline fast path for the usual run (rPr and w:t only); anything else, or an
                # open field instruction, goes through _read_run. Nothing here has side
                # effects before the end, so bailing out midway is safe.
                if not self._in_instr:
                    fmt = para_fmt
                    text = None
                    for sub in child:
                        stag = sub.tag
                        if stag == T:
                            piece = sub.text
                            if piece:
                                text = piece if text is None else text + piece
                        elif stag == RPR:
                            fmt = self._direct_fmt(sub, para_rpr)
                        elif stag in _RUN_CONTENT:
                            break
                    else:
                        if text is not None and not fmt[4]:
                            if fmt[3] is not None:
                                text = decode_legacy(text, fmt[3])
                            runs.append((text, fmt[0], fmt[1], fmt[2]))
                        continue
                if state is None:
                    state = _ParaState(runs, [], [])
                self._read_run(child, state, para_rpr)
            elif tag == PPR:
                style, props = self._para_props(child)
                para_rpr = style.rpr
                para_fmt = self._para_fmt.get(id(para_rpr))
                if para_fmt is None:
                    para_fmt = self._para_fmt[id(para_rpr)] = self._fmt_of(para_rpr)
            elif tag in _INLINE_ANY:
                if state is None:
                    state = _ParaState(runs, [], [])
                self._read_inline(child, state, para_rpr)
            elif tag in _MATH and not self._in_instr:
                runs.append(("".join(t.text or "" for t in child.iter(M_T)), False, False, False))

        visible = lettered = False
        bold = italic = caps = True
        for run_text, run_bold, run_italic, run_caps in runs:
            if run_text.isspace():
                continue
            visible = True
            if not run_bold:
                bold = False
            if not run_italic:
                italic = False
            if caps or not lettered:
                upper = run_text.upper()
                if upper != run_text.lower():  # has letters
                    lettered = True
                    if not run_caps and upper != run_text:
                        caps = False
        if not runs:
            text = ""
        elif len(runs) == 1:
            text = runs[0][0]
        else:
            text = "".join([r[0] for r in runs])
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        label = None
        if props.num_id is not None and self.numbering is not None:
            label = self.numbering.label(props.num_id, props.num_ilvl, style.id)
            if label is not None and label.text and self.labelled is not None:
                self.labelled.append((p, label.text))
        # positional: ~2.5x cheaper than keywords (the field order is checked at import)
        out.append(
            _Paragraph(
                text,
                style.id,
                style.name,
                props.outline_level,
                style.heading_level,
                label.text if label is not None else None,
                label.level if label is not None else None,
                label.is_bullet if label is not None else False,
                visible and bold,
                visible and italic,
                lettered and caps,
                props.alignment,
                state.footnotes if state is not None else [],
                in_textbox,
            )
        )
        if state is None:
            return
        for box in state.textboxes:
            saved, saved_instr = self._fields, self._in_instr
            self._fields, self._in_instr = [], 0
            self.read_blocks(box, out, True)
            self._fields, self._in_instr = saved, saved_instr

    # ---- inline content -----------------------------------------------------------------
    def _read_inline(self, el: etree._Element, state: _ParaState, para_rpr: RunProps) -> None:
        """Runs inside an inline wrapper (hyperlink, insertion, field, sdt, …)."""
        tag = el.tag
        if tag == ALT_CONTENT:
            find_textboxes(el, state.textboxes)
            return
        if tag == SDT:
            content = el.find(SDT_CONTENT)
            if content is not None:
                self._read_inline(content, state, para_rpr)
            return
        for child in el:
            tag = child.tag
            if tag == R:
                self._read_run(child, state, para_rpr)
            elif tag in _INLINE_ANY:
                self._read_inline(child, state, para_rpr)
            elif tag in _MATH and not self._in_instr:
                state.runs.append(
                    ("".join(t.text or "" for t in child.iter(M_T)), False, False, False)
                )

    def _resolve(self, rpr: etree._Element | None, para_rpr: RunProps) -> RunProps:
        if rpr is None:
            return para_rpr
        direct = read_rpr(rpr)
        if direct.style is not None:
            key = (id(para_rpr), direct.style)
            base = self._run_cache.get(key)
            if base is None:
                base = self.styles.character(direct.style).over(para_rpr)
                self._run_cache[key] = base
            return direct.over(base)
        return direct.over(para_rpr)

    def _encoding(self, font: str | None) -> str | None:
        try:
            return self._enc_cache[font]
        except KeyError:
            enc = self._enc_cache[font] = font_encoding(font)
            return enc

    def _read_run(self, r: etree._Element, state: _ParaState, para_rpr: RunProps) -> None:
        props = para_rpr
        pieces: list[str] = []
        skip = self._in_instr  # inside a field instruction: no visible text
        for child in r:
            tag = child.tag
            if tag == T:  # by far the most common child: tested first
                if not skip:
                    text = child.text
                    if text:
                        pieces.append(text)
            elif tag == RPR:
                props = self._resolve(child, para_rpr)
            elif tag not in _RUN_CONTENT:
                continue  # instrText, delText, lastRenderedPageBreak, …
            elif tag in (TAB, PTAB):
                if not skip:
                    pieces.append("\t")
            elif tag in (BR, CR):
                if not skip:
                    pieces.append("\n")
            elif tag == FLD_CHAR:
                self._field_char(child.get(FLD_CHAR_TYPE))
                skip = self._in_instr
            elif tag == NO_BREAK_HYPHEN:
                if not skip:
                    pieces.append("-")
            elif tag == SOFT_HYPHEN:
                # in a TCVN3 run the soft hyphen is the letter "ư" (byte 0xAD); elsewhere invisible
                enc = self._encoding(props.font)
                if enc is not None and enc != "vni" and not skip:
                    pieces.append("\xad")
            elif tag in (FOOTNOTE_REF, ENDNOTE_REF):
                prefix = "" if tag == FOOTNOTE_REF else "e"
                note = self.notes.get(prefix + (child.get(NOTE_ID) or ""))
                if note is not None:
                    state.footnotes.append(note)
            elif tag in _TEXTBOX_HOSTS:
                find_textboxes(child, state.textboxes)
            elif tag == SYM and not skip:
                try:
                    value = int(child.get(SYM_CHAR) or "", 16)
                except ValueError:
                    continue
                if not 0xE000 <= value <= 0xF8FF:  # symbol-font glyphs have no text meaning
                    pieces.append(chr(value))
        if not pieces or props.vanish:
            return
        text = pieces[0] if len(pieces) == 1 else "".join(pieces)
        font = props.font
        if font is not None:
            enc = self._encoding(font)
            if enc is not None:
                text = decode_legacy(text, enc)
        state.runs.append((text, bool(props.bold), bool(props.italic), bool(props.caps)))

    def _field_char(self, kind: str | None) -> None:
        """Track complex fields: the instruction (begin…separate) is hidden, the result shown."""
        if kind == "begin":
            self._fields.append(True)
            self._in_instr += 1
        elif kind == "separate":
            if self._fields and self._fields[-1]:
                self._fields[-1] = False
                self._in_instr -= 1
        elif kind == "end" and self._fields and self._fields.pop():
            self._in_instr -= 1

    # ---- tables ---------------------------------------------------------------------------
    def _rows(self, tbl: etree._Element):
        for child in tbl:
            tag = child.tag
            if tag == TR:
                yield child
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    yield from self._rows(content)
            elif tag in _BLOCK_WRAPPERS:
                yield from self._rows(child)

    def _cells(self, tr: etree._Element):
        for child in tr:
            tag = child.tag
            if tag == TC:
                yield child
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    yield from self._cells(content)
            elif tag in _BLOCK_WRAPPERS:
                yield from self._cells(child)

    def read_table(self, tbl: etree._Element, in_textbox: bool) -> Table:
        tblpr = tbl.find(TBLPR)
        borders = table_borders(tblpr)
        if borders is None and tblpr is not None:
            style = tblpr.find(TBLSTYLE)
            if style is not None:
                borders = self.styles.table_has_borders(style.get(W_VAL))
        rows: list[list[Cell]] = []
        origins: dict[int, Cell] = {}  # grid column → the cell that started a vertical merge
        for tr in self._rows(tbl):
            row: list[Cell] = []
            trpr = _child(tr, TRPR)
            if trpr is not None:
                if _child(trpr, DEL) is not None:
                    continue  # a row deleted with tracked changes on
                before = int_attr(_child(trpr, GRID_BEFORE), 0) or 0
                row.extend(Cell([]) for _ in range(min(before, 64)))
            for tc in self._cells(tr):
                col = len(row)
                span, vmerge = 1, None
                tcpr = tc[0] if len(tc) and tc[0].tag == TCPR else None
                if tcpr is not None:
                    for prop in tcpr:
                        tag = prop.tag
                        if tag == GRID_SPAN:
                            span = max(1, min(int_attr(prop, 1) or 1, 64))
                        elif tag == VMERGE:
                            vmerge = prop.get(W_VAL) or "continue"
                blocks: list[Block] = []
                self.read_blocks(tc, blocks, in_textbox)
                paragraphs = _flatten(blocks)
                origin = origins.get(col) if vmerge == "continue" else None
                if origin is not None:
                    cell = Cell(origin.paragraphs, span, merged_from_above=True)
                else:
                    cell = Cell(paragraphs, span)
                    if vmerge == "restart":
                        origins[col] = cell
                    else:
                        origins.pop(col, None)
                row.extend([cell] * span)  # a horizontally merged cell repeats over its grid
            if trpr is not None:
                after = int_attr(_child(trpr, GRID_AFTER), 0) or 0
                row.extend(Cell([]) for _ in range(min(after, 64)))
            rows.append(row)
        return Table(rows=rows, borderless=not borders, in_textbox=in_textbox)


def _child(el: etree._Element, tag: str) -> etree._Element | None:
    """First child with this tag (a plain loop beats find() on small elements)."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _flatten(blocks: list[Block]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block)
        else:
            seen: set[int] = set()
            for row in block.rows:
                for cell in row:
                    if id(cell) not in seen and not cell.merged_from_above:
                        seen.add(id(cell))
                        out.extend(cell.paragraphs)
    return out


def read_notes(root: etree._Element, reader: BodyReader, tag: str, prefix: str) -> dict[str, Footnote]:
    """Footnotes (or endnotes) by id, the id prefixed for endnotes."""
    notes: dict[str, Footnote] = {}
    for note in root.iter(tag):
        if note.get(w("type")) in _SKIP_NOTE_TYPES:
            continue
        nid = note.get(NOTE_ID)
        if nid is None:
            continue
        blocks: list[Block] = []
        reader.read_blocks(note, blocks, False)
        text = "\n".join(p.text for p in _flatten(blocks)).strip()
        notes[prefix + nid] = Footnote(id=prefix + nid, text=text)
    return notes
