"""A read Document → the report's sections (matched to the outline) and text segments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.campaign import Campaign
from parsers.doctable import is_documents_table
from parsers.headings import (
    Candidate,
    heading_candidate,
    heading_candidate_text,
    parse_label,
    plain_body_text,
    strip_colon,
    styled_level,
    subheading_candidate_text,
)
from parsers.matching import Node, conjunct_keys, match_key, matcher_for
from parsers.model import Document, Paragraph, Segment, Table
from parsers.result import Section
from parsers.textnorm import fold, fold_first_word, fold_initial, is_upper_text, squash

_SIGNATURE = re.compile(r"^(?:noi nhan|(?:t m|tm|k t|kt|q|tl|t l)\s+(?:chi|dang|ban|thuong|bi)\b)")
_HEADER_WORDS = re.compile(r"^(?:dang cong san viet nam|so\b|doc lap)")
_TITLE_START = re.compile(r"^bao cao\b")
# Titles of tables and appendices, never outline headings ("BIỂU THỐNG KÊ", "PHỤ LỤC").
_CAPTION = re.compile(r"^(?:bieu|bang) (?:thong ke|tong hop)|^phu luc\b|^danh muc\b")
_CAPTION_LOOKAHEAD = 3  # short lines (subtitle, "(Kèm theo …)") between a caption and its table


@dataclass
class Structure:
    sections: list[Section]
    segments: list[Segment]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Heading:
    node: Node
    cand: Candidate
    rank: float
    level: int
    heading: str
    label: str
    text: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)  # heading paragraph(s)
    parent: _Heading | None = None
    run_in: Paragraph | None = None  # the body text after a run-in heading, same paragraph


def _is_separator(text: str) -> bool:
    return bool(text.strip()) and not any(ch.isalnum() for ch in text)


# The first folded word of every _SIGNATURE alternative: other lines need no full fold.
_SIGNATURE_FIRST = frozenset(("noi", "t", "tm", "k", "kt", "q", "tl"))
_SIGNATURE_INITIALS = frozenset("NnTtKkQq")  # their first letters, which have no diacritics


def _signature_text(text: str) -> bool:
    head = text[:60].lstrip(" \t\n\r*-–—(\"“‘'")
    if head[:1] not in _SIGNATURE_INITIALS:
        return False  # most body paragraphs: decided without folding
    return fold_first_word(head, 3) in _SIGNATURE_FIRST and bool(_SIGNATURE.match(fold(head)))


def _is_signature(block: Paragraph | Table) -> bool:
    if isinstance(block, Table):
        if not block.rows:
            return False
        return any(_signature_text(c.text) for c in block.rows[0])
    return _signature_text(block.text)


def body_bounds(doc: Document) -> tuple[int, int]:
    """Block indexes [start, end) of the report body: after the title, before the signature."""
    blocks = doc.blocks
    start = _title_end(blocks)
    end = len(blocks)
    for i in range(start, len(blocks)):
        if _is_signature(blocks[i]):
            end = i
            break
    return start, end


def _title_end(blocks: list[Paragraph | Table]) -> int:
    limit = min(len(blocks), 60)
    for i in range(limit):
        b = blocks[i]
        if not isinstance(b, Paragraph) or b.in_textbox:
            continue
        if fold_initial(b.text[:200]) != "b":
            continue  # not "bao cao …": the title check below would fail
        f = fold(b.text[:200])
        if _TITLE_START.match(f) and len(f.split()) <= 12 and not b.text.rstrip().endswith("."):
            j = i + 1
            while j < len(blocks):
                nxt = blocks[j]
                if not isinstance(nxt, Paragraph):
                    break
                text = nxt.text.strip()
                if not text or nxt.in_textbox:
                    j += 1
                    continue
                if nxt.alignment != "center" or parse_label(text) or nxt.num_label:
                    break
                j += 1
                if _is_separator(text):
                    break
            return j
    # No "BÁO CÁO" line: the body starts at the first labelled heading or real sentence.
    for i in range(limit):
        b = blocks[i]
        if not isinstance(b, Paragraph) or b.in_textbox:
            continue
        cand = heading_candidate(b)
        if cand and cand.label and cand.label.family in ("part", "roman"):
            return i
        text = squash(b.text)
        if (len(text.split()) >= 15 and b.alignment != "center"
                and not _HEADER_WORDS.match(fold(text))):
            return i
    return 0


def _is_caption(blocks: list[Paragraph | Table], i: int, text: str, campaign: Campaign) -> bool:
    """An unlabelled bold/capital line that titles the statistics table (or an appendix)
    rather than opening a section: "BIỂU THỐNG KÊ", or any line the table follows closely."""
    if _CAPTION.match(fold(text[:40])):
        return True
    seen = 0
    for block in blocks[i + 1 : i + 1 + 2 * _CAPTION_LOOKAHEAD]:
        if isinstance(block, Table):
            return is_documents_table(block, campaign)
        if not block.text.strip():
            continue
        seen += 1
        if seen > _CAPTION_LOOKAHEAD or len(block.text.split()) > 25 or parse_label(block.text):
            return False
    return False


def _look(p: Paragraph) -> tuple[bool, bool, bool, bool]:
    """How a heading looks: capitals, bold, centred, italic."""
    return (p.caps or is_upper_text(p.text), p.bold, p.alignment == "center", p.italic)


def _demoted(h: _Heading) -> bool:
    return (h.cand.weak or h.cand.soft) and h.node.section_id is None


def _header_like_table(table: Table) -> bool:
    text = fold(" ".join(c.text for row in table.rows[:2] for c in row))
    return "dang cong san viet nam" in text or "noi nhan" in text


def structure_document(doc: Document, campaign: Campaign) -> Structure:
    """Headings → outline ids, each section's own text, and segments for indicators."""
    start, end = body_bounds(doc)
    warnings: list[str] = []
    events: list[tuple[str, object]] = []  # ("h", _Heading) | ("p", Paragraph) | ("t", Table)
    headings: list[_Heading] = []
    stack: list[_Heading] = []
    seen_body = False
    list_run: tuple[str, int] | None = None
    unlabelled_ranks: dict[tuple[bool, bool, bool, bool], float] = {}
    blocks = doc.blocks
    i = start
    while i < end:
        block = blocks[i]
        i += 1
        if isinstance(block, Table):
            if not is_documents_table(block, campaign) and not _header_like_table(block):
                events.append(("t", block))
            continue
        if not block.text.strip():
            continue
        cand: Candidate | None = None
        # Neither kind of candidate in a text box, a bullet or plain body text.
        if not (block.in_textbox or block.is_bullet
                or (plain_body_text(block, block.text) and styled_level(block) is None)):
            text = squash(block.text)  # once for both candidate checks (the text is NFC)
            cand = heading_candidate_text(block, text)
            if cand is None and stack and block.bold and not block.num_label:
                cand = subheading_candidate_text(block, text)
        paras = [block]
        if (cand is not None and cand.label is None and not cand.styled and not seen_body
                and not headings):
            cand = None  # a leftover title line, not a section
        if cand is not None and cand.label is None and _is_caption(blocks, i - 1, text, campaign):
            cand = None
        if (cand is not None and cand.label is not None and cand.label.family == "part"
                and not cand.title):
            # "PHẦN THỨ NHẤT" alone; its title is the next (bold / centred) paragraph.
            j = i
            while j < end and isinstance(blocks[j], Paragraph) and not blocks[j].text.strip():
                j += 1
            if j < end and isinstance(blocks[j], Paragraph):
                nxt = blocks[j]
                ncand = heading_candidate(nxt)
                if (ncand is not None and ncand.label is None) or (
                    nxt.alignment == "center" and not parse_label(nxt.text)
                    and len(nxt.text.split()) <= 40
                ):
                    cand.title = strip_colon(squash(nxt.text))
                    paras.append(nxt)
                    i = j + 1
        if cand is not None and cand.soft and cand.label is not None:
            # Plain numbered lines inside a section are usually a list, not headings: accept one
            # only if it moves the numbering of its would-be sibling heading forward.
            fam, ordinal = cand.label.family, cand.label.ordinal
            sibling = next((h for h in reversed(stack) if h.rank == cand.label.rank), None)
            in_list = list_run is not None and list_run == (fam, ordinal - 1)
            # Numbering that restarts or repeats is a list; a gap is a skipped section.
            out_of_seq = sibling is not None and sibling.cand.label is not None and (
                ordinal <= sibling.cand.label.ordinal
            )
            if in_list or out_of_seq:
                list_run = (fam, ordinal)
                cand = None
        if cand is None:
            seen_body = seen_body or len(block.text.split()) >= 8
            events.append(("p", block))
            continue
        if cand.subheading:
            if not stack:
                events.append(("p", block))
                continue
            # One level below the heading it follows (siblings replace each other).
            top = stack[-1]
            base = top.parent if top.cand.subheading else top
            if base is None:
                events.append(("p", block))
                continue
            rank: float = base.rank + 0.5
        elif cand.label is not None:
            rank = cand.label.rank
        elif cand.styled:
            rank = float(min(cand.outline_level or 0, 3))
        else:
            # Unlabelled headings in the same format are siblings (a unit writing its parts
            # as bare capitals has "I." headings between them).
            look = _look(block)
            rank = unlabelled_ranks.get(look)
            if rank is None:
                if cand.weak and stack:
                    rank = stack[-1].rank + 0.5  # bare bold titles: below the heading above
                else:
                    rank = 0.5 if any(h.rank == 0 for h in stack) else 0.0
                unlabelled_ranks[look] = rank
        while stack and stack[-1].rank >= rank:
            stack.pop()
        first_key, rest_key = conjunct_keys(cand.title)
        node = Node(key=match_key(cand.title), label=cand.label, weak=cand.weak, soft=cand.soft,
                    first_key=first_key, rest_key=rest_key)
        h = _Heading(
            node=node,
            cand=cand,
            rank=rank,
            level=min(len(stack) + 1, 3),
            heading=cand.title,
            label=cand.label.text if cand.label else "",
            paragraphs=paras,
            parent=stack[-1] if stack else None,
        )
        if h.parent is not None:
            h.parent.node.children.append(node)
        stack.append(h)
        headings.append(h)
        events.append(("h", h))
        if cand.run_in:
            # The rest of a run-in heading's paragraph is the section's first text.
            tail = Paragraph(text=cand.run_in)
            h.run_in = tail
            events.append(("p", tail))

    roots = [h.node for h in headings if h.parent is None]
    matcher_for(campaign).match(roots)

    sections: list[Section] = []
    segments: list[Segment] = []
    current: _Heading | None = None
    context: str | None = None

    def _context(h: _Heading | None) -> str | None:
        while h is not None:
            if h.node.section_id is not None:
                return h.node.section_id
            h = h.parent
        return None

    def _add_paragraph(p: Paragraph, owner: _Heading | None, text: str | None = None) -> None:
        body = (text if text is not None else p.text).strip()
        if owner is not None:
            owner.text.append(body)
        segments.append(Segment(text=body, section=context, location="body"))
        for fn in p.footnotes:
            segments.append(Segment(text=fn.text, section=context, location="footnote"))

    skip: set[int] = set()  # run-in tails already given in full with their demoted heading
    for kind, item in events:
        if kind == "p" and id(item) in skip:
            continue
        if kind == "h":
            h = item  # type: ignore[assignment]
            assert isinstance(h, _Heading)
            if _demoted(h):
                # An a)/b) sub-item or plain numbered line that matches nothing: body text.
                p = h.paragraphs[0]
                label = p.num_label + " " if p.num_label else ""
                _add_paragraph(p, current, label + p.text)
                if h.run_in is not None:
                    skip.add(id(h.run_in))
                continue
            current = h
            if h.node.section_id is not None or h.cand.label is not None:
                # An unnumbered heading naming no section ("Một số số liệu cụ thể") goes on
                # within the section in force; a numbered one stands beside it.
                context = _context(h)
            if h.run_in is not None:
                h.run_in.footnotes = [fn for p in h.paragraphs for fn in p.footnotes]
                continue  # footnotes go with the run-in text
            for p in h.paragraphs:
                for fn in p.footnotes:
                    segments.append(Segment(text=fn.text, section=context, location="footnote"))
        elif kind == "p":
            assert isinstance(item, Paragraph)
            _add_paragraph(item, current)
        else:
            assert isinstance(item, Table)
            rows = [[c.text for c in row] for row in item.rows]
            if any(any(cell for cell in row) for row in rows):
                segments.append(
                    Segment(text="\n".join(" | ".join(r) for r in rows), section=context,
                            location="table", rows=rows)
                )
            for row in item.rows:
                for cell in row:
                    if cell.merged_from_above:
                        continue
                    for p in cell.paragraphs:
                        for fn in p.footnotes:
                            segments.append(
                                Segment(text=fn.text, section=context, location="footnote")
                            )

    for h in headings:
        if _demoted(h):
            continue
        sections.append(
            Section(
                id=h.node.section_id,
                heading=h.heading,
                label=h.label,
                level=h.level,
                confidence=h.node.confidence if h.node.section_id else 0.0,
                text="\n".join(t for t in h.text if t),
                also_covers=list(h.node.also_covers),
            )
        )
    if not any(s.id for s in sections):
        warnings.append("no heading of the report matches the campaign outline")
    return Structure(sections=sections, segments=segments, warnings=warnings)
