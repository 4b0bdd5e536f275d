"""One unit report: choose a layout, write the text, emit the DOCX spec and its ground truth.

Everything random comes from two seeds: `style_seed` (layout, wording, quirks) and the
indicator values passed in, so a corrected resubmission re-renders the same document with a
few figures changed.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from parsers.campaign import Campaign
from parsers.units import Unit
from pipeline.corpus import outline as ol
from pipeline.corpus import writing as wr
from pipeline.corpus.docx_writer import DocSpec, Para, Table, TextBox, render_label, write_docx
from pipeline.corpus.tcvn3 import can_encode

ALL_INDICATORS = (*wr.RANGES, "kinh_phi")


@dataclass
class ReportTruth:
    doc_id: str
    file: str
    unit_id: str
    report_date: str
    report_number: str
    version: int = 1
    supersedes: str | None = None
    changes_from_previous: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    quirks: list[str] = field(default_factory=list)
    extra_headings: list[str] = field(default_factory=list)
    format: str = "docx"

    def as_json(self) -> dict:
        out = {"file": self.file, "unit_id": self.unit_id, "report_date": self.report_date,
               "report_number": self.report_number, "sections": self.sections,
               "indicators": self.indicators, "documents": self.documents,
               "quirks": sorted(self.quirks), "extra_headings": self.extra_headings,
               "format": self.format, "version": self.version}
        if self.version > 1:
            out["supersedes"] = self.supersedes
            out["changes_from_previous"] = self.changes_from_previous
        return out


def pick_values(rng: random.Random) -> tuple[dict[str, int], dict[str, str | None]]:
    """A unit's figures and the qualifier it writes each with."""
    values = {ind: wr.pick_value(rng, ind) for ind in ALL_INDICATORS}
    quals: dict[str, str | None] = {}
    for ind in ALL_INDICATORS:
        r = rng.random()
        quals[ind] = ("tren" if r < 0.1 else "hon" if r < 0.16 else "gan" if r < 0.2
                      else "khoang" if r < 0.23 else None)
    return values, quals


def _ws(text: str) -> str:
    return " ".join(text.split())


def _accepted(segs: list[tuple[str, str]]) -> str:
    return "".join(" " if tag == "br" else "\t" if tag == "tab" else text
                   for text, tag in segs if tag != "del" and not tag.startswith("fn:"))


def first_words(segs: list[tuple[str, str]]) -> str:
    words = _accepted(segs).split()
    if words and words[0] in {"-", "–", "+", "•"}:
        words = words[1:]
    return " ".join(words[:8])


FOOTNOTE_SENTENCES = (
    "Trong đó có {tin_bai} tin, bài đăng trên Cổng thông tin điện tử của cơ quan.",
    "Gồm {to_gap} tờ gấp và {tai_lieu} tài liệu hỏi - đáp phát hành trong giai đoạn {PERIOD}.",
    "Số liệu tính đến ngày 30/6/2022, gồm {dau_sach} đầu sách các loại.",
    "Trong đó {lop_boi_duong} lớp bồi dưỡng do cơ quan tự tổ chức.",
)
FOOTNOTE_PLAIN = ("Theo Kế hoạch số {DOCNO} ngày {DATE} của Chi uỷ.",
                  "Đạt tỷ lệ {PCT} so với kế hoạch năm {YEAR}.")

DOC_TITLES = (
    "Kế hoạch thực hiện Chỉ thị số 07-CT/TW ngày 05/9/2016 của Ban Bí thư về đẩy mạnh công tác "
    "thông tin cơ sở trong tình hình mới",
    "Kế hoạch thực hiện Quyết định số 52/2016/QĐ-TTg về Quy chế hoạt động thông tin cơ sở",
    "Quy chế phát ngôn và cung cấp thông tin cho báo chí của cơ quan",
    "Hướng dẫn tổ chức sinh hoạt chuyên đề về công tác thông tin cơ sở",
    "Kế hoạch kiểm tra, giám sát việc thực hiện công tác thông tin cơ sở",
    "Nghị quyết lãnh đạo thực hiện nhiệm vụ công tác tư tưởng",
    "Kế hoạch tuyên truyền kỷ niệm các ngày lễ lớn của đất nước",
)


class _Builder:
    def __init__(self, campaign: Campaign, unit: Unit, style_seed: int, values: dict[str, int],
                 quals: dict[str, str | None]) -> None:
        self.c = campaign
        self.unit = unit
        self.rng = random.Random(style_seed)
        self.values = values
        self.quals = quals
        self.body: list = []
        self.footnotes: dict[int, list[Para]] = {}
        self.nums: dict[int, int] = {}
        self.facts: list[wr.FactTruth] = []
        self.sections: list[dict] = []
        self.quirks: set[str] = set()
        self.extra: list[str] = []
        self.used: set[str] = set()
        self.pending_first: dict | None = None  # section waiting for its first body paragraph
        r = self.rng
        self.mode = r.choice(("styles", "styles", "custom_styles", "outline", "bold", "bold"))
        self.tcvn3 = r.random() < 0.1
        self.tcvn3_full = self.tcvn3 and r.random() < 0.5
        self.nfd = not self.tcvn3 and r.random() < 0.08
        self.track = r.random() < 0.15
        self.split = r.random() < 0.35
        self.soft_breaks = r.random() < 0.2
        self.footnote_p = 0.0 if r.random() < 0.7 else 0.35
        self.figure_table = r.random() < 0.25
        self.paraphrase = r.random() < 0.6
        self.upper1 = r.random() < 0.75
        self.upper2 = r.random() < 0.35
        self.indent = r.random() < 0.6
        # Label scheme per level group: (typed scheme | None, auto abstract id | None)
        self.schemes = {
            "l1": self._scheme(ol.LEVEL1_TYPED, ol.LEVEL1_AUTO, 0.08),
            "l2p1": self._scheme(ol.LEVEL2_P1_TYPED, ol.LEVEL2_P1_AUTO, 0.25),
            "l2": self._scheme(ol.LEVEL2_PART_TYPED, ol.LEVEL2_PART_AUTO, 0.25),
            "l3": self._scheme(ol.LEVEL3_TYPED, ol.LEVEL3_AUTO, 0.25),
        }
        # "PHẦN THỨ NHẤT" is either its own paragraph or a line broken from the title
        self.two_para_part = self.schemes["l1"][0] == "phan_caps" and (
            not self.soft_breaks or r.random() < 0.5)
        if any(s[1] for s in self.schemes.values()):
            self.quirks.add("auto_numbering")
        self.quirks.add({"styles": "styled_headings", "custom_styles": "custom_heading_styles",
                         "outline": "outline_level", "bold": "bold_typed_headings"}[self.mode])
        for flag, tag in ((self.track, "tracked_changes"), (self.split, "fragmented_runs"),
                          (self.nfd, "nfd"), (self.tcvn3, "tcvn3"),
                          (self.tcvn3 and not self.tcvn3_full, "tcvn3_partial")):
            if flag:
                self.quirks.add(tag)

    def _scheme(self, typed, auto, p_auto) -> tuple[str | None, int | None]:
        if self.rng.random() < p_auto:
            return None, self.rng.choice(auto)
        return self.rng.choice(typed), None

    # -- paragraphs -------------------------------------------------------------------
    def para(self, segs, **kw) -> Para:
        p = Para(segs, **kw)
        if self.tcvn3 and p.font is None and (self.tcvn3_full or self.rng.random() < 0.3):
            text = "".join(t for t, _ in segs)
            if can_encode(text):
                p.font = ".VnTime"
        return p

    def body_para(self, segs, section: str | None) -> None:
        p = self.para(segs, align="both", first_line=self.indent)
        self.body.append(p)
        if self.pending_first is not None:
            self.pending_first["first_words"] = first_words(segs)
            self.pending_first = None

    def heading(self, sec_id: str | None, level: int, group: str, position: int, title: str,
                truth_level: int) -> None:
        typed, auto = self.schemes[group]
        r = self.rng
        if sec_id is None:  # a non-canonical heading: no label
            typed, auto = None, None
        if (level == 1 and self.upper1) or (level == 2 and group == "l2" and self.upper2):
            title = title.upper()
        kw: dict = {"bold": True}
        if self.mode in ("styles", "custom_styles"):
            prefix = "Heading" if self.mode == "styles" else "Muc"
            kw["style"] = f"{prefix}{level}"
        elif self.mode == "outline":
            kw["outline"] = level - 1
        if level == 1:
            kw["align"] = "center"
        elif level == 3 and self.mode == "bold" and r.random() < 0.5:
            kw["italic"] = True
        label, label_kind, sep = "", "typed", ""
        if auto is not None:
            if position == 1 or group not in self._num_of:
                self._num_of[group] = len(self.nums) + 1
                self.nums[self._num_of[group]] = auto
            kw["num"] = (self._num_of[group], 0)
            label, label_kind = render_label(auto, position), "auto"
        elif typed is not None:
            label, sep = ol.typed_label(typed, position)
        whole = f"{label}{sep}{title}" if typed else title
        font = None
        if self.tcvn3 and level == 1 and whole == whole.upper() and can_encode(whole.lower()):
            font = ".VnTimeH"
        if typed and self.two_para_part and level == 1:
            self.body.append(Para([(label, "")], font=font, **kw))
            self.body.append(Para([(title, "")], font=font, **kw))
            heading_text = f"{label} {title}"
            self.quirks.add("two_paragraph_part_heading")
        elif typed == "phan_caps" and self.soft_breaks:
            self.body.append(Para([(label, ""), ("", "br"), (title, "")], font=font, **kw))
            heading_text = f"{label} {title}"
            self.quirks.add("line_breaks")
        else:
            text = whole
            if typed and r.random() < 0.1:
                text = f"{label}{sep} {title}"  # a double space typed by hand
            p = self.para([(text, "")], **kw) if font is None else Para([(text, "")], font=font, **kw)
            self.body.append(p)
            heading_text = text
        if sec_id is None:
            self.extra.append(_ws(heading_text))
            self.pending_first = None
            return
        entry = {"id": sec_id, "heading_text": _ws(heading_text), "first_words": "",
                 "label": label, "label_kind": label_kind, "title": _ws(title),
                 "level": truth_level}
        self.sections.append(entry)
        self.pending_first = entry
        self.current = sec_id

    _num_of: dict[str, int]

    # -- content ----------------------------------------------------------------------
    def fact_sentence(self, section: str, templates, location: str = "body"):
        """A sentence with facts whose indicators are still unused, else None."""
        options = [t for t in templates if not set(wr.sentence_indicators(t)) & self.used]
        if not options:
            return None
        t = self.rng.choice(options)
        segs, facts = wr.render_sentence(self.rng, t, self.values, self.quals, location)
        self.used.update(wr.sentence_indicators(t))
        for f in facts:
            f.section = section
        return segs, facts

    def section_body(self, sec_id: str, has_children: bool, merged_with: str | None) -> None:
        r = self.rng
        if sec_id == "P2.I.4" and not self.unit.media:
            self.body_para([(r.choice(wr.NOT_APPLICABLE), "")], sec_id)
            self.quirks.add("not_applicable")
            return
        if has_children and r.random() < 0.55:
            return  # heading directly followed by its first sub-heading
        ids = [sec_id] + ([merged_with] if merged_with else [])
        for sid in ids:
            prose = list(wr.PROSE.get(sid, ()))
            r.shuffle(prose)
            paras: list[list] = [[(wr.fill_prose(r, prose[0]), "")]] if prose else []
            n_fact = r.randint(1, 3) if sid in wr.FACT_SENTENCES else 0
            for _ in range(n_fact):
                got = self.fact_sentence(sec_id, wr.FACT_SENTENCES[sid])
                if got is None:
                    break
                segs, facts = got
                self.facts.extend(facts)
                if paras and r.random() < 0.3:
                    paras[-1] = paras[-1] + [(" ", "")] + segs
                else:
                    if r.random() < 0.25:
                        segs = [("- ", "")] + segs
                    paras.append(segs)
            if len(prose) > 1 and r.random() < 0.5:
                paras.append([(wr.fill_prose(r, prose[1]), "")])
            if sid == "P2.I.1" and self.figure_table:
                self.figure(sec_id, paras)
                continue
            for segs in paras:
                segs = self.decorate(segs, sec_id)
                self.body_para(segs, sec_id)

    def decorate(self, segs, sec_id: str):
        """Tracked changes, footnotes and soft breaks on one body paragraph."""
        r = self.rng
        if self.track and r.random() < 0.4:
            out = []
            for text, tag in segs:
                if tag == "num" and r.random() < 0.5:
                    old = wr.group(int(re.sub(r"\D", "", text) or "1") + r.randint(1, 9))
                    out += [(old, "del"), (text, "ins")]
                else:
                    out.append((text, tag))
            segs = out
            if r.random() < 0.3:
                segs = segs + [(" Đã tổ chức 3 hội nghị chuyên đề.", "del")]
            elif r.random() < 0.3:
                segs = segs + [(" Công tác này được thực hiện thường xuyên.", "ins")]
        if self.footnote_p and r.random() < self.footnote_p:
            fid = len(self.footnotes) + 1
            got = self.fact_sentence(sec_id, FOOTNOTE_SENTENCES, "footnote")
            if got is None:
                note = [(wr.fill_prose(r, r.choice(FOOTNOTE_PLAIN)), "")]
            else:
                note, facts = got
                self.facts.extend(facts)
            self.footnotes[fid] = [Para(note)]
            segs = segs + [("", f"fn:{fid}")]
            self.quirks.add("footnotes")
        if self.soft_breaks and r.random() < 0.2:
            for i, (text, tag) in enumerate(segs):
                if tag == "" and "; " in text:
                    a, b = text.split("; ", 1)
                    segs = segs[:i] + [(a + ";", ""), ("", "br"), (b, "")] + segs[i + 1:]
                    self.quirks.add("line_breaks")
                    break
        return segs

    def figure(self, sec_id: str, paras) -> None:
        r = self.rng
        for segs in paras[:1]:
            self.body_para(self.decorate(segs, sec_id), sec_id)
        self.body_para([(r.choice(("Kết quả cụ thể như sau:", "Một số kết quả chủ yếu:")), "")],
                       sec_id)
        free = [i for i in wr.TABLE_ROWS if i not in self.used]
        chosen = r.sample(free, min(len(free), r.randint(3, 6)))
        with_unit = r.random() < 0.4
        head = ["STT", "Chỉ tiêu", "Số lượng"] if r.random() < 0.5 else ["Chỉ tiêu", "Số lượng"]
        if with_unit:
            head.insert(-1, "Đơn vị tính")
        rows = [[[Para([(h, "")], bold=True, align="center")] for h in head]]
        for k, ind in enumerate(chosen, 1):
            value = self.values[ind]
            written = wr.group(value)
            cells = [r.choice(wr.TABLE_ROWS[ind])]
            if head[0] == "STT":
                cells.insert(0, str(k))
            if with_unit:
                cells.append("đồng" if ind == "kinh_phi" else "lượt" if ind == "luot_nguoi_du"
                             else "cái" if ind in ("bang_ron", "pa_no", "bang_tin") else "")
            cells.append(written)
            rows.append([[Para([(c, "num" if c == written and i == len(cells) - 1 else "")])]
                         for i, c in enumerate(cells)])
            self.used.add(ind)
            self.facts.append(wr.FactTruth(ind, value, None, written, "table", sec_id))
        widths = [700, 5200, 1600, 1600][: len(head)] if head[0] == "STT" else [5600, 1800, 1800][: len(head)]
        self.body.append(Table(rows, widths))
        self.quirks.add("figure_table")
        for segs in paras[1:]:
            self.body_para(self.decorate(segs, sec_id), sec_id)


def _header_lines(b: _Builder, unit: Unit, number: str, report_date: date) -> tuple[list, list]:
    r = b.rng
    issuer = r.choice(("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH",
                       "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH PHÚ THỌ"))
    name = unit.name
    if unit.kind == "dang_bo" and r.random() < 0.5:
        name = name.replace("Đảng bộ", "Đảng uỷ", 1)
    elif unit.kind == "chi_bo" and r.random() < 0.2:
        name = name.replace("Chi bộ", "Chi uỷ", 1)
    d, m = report_date.day, report_date.month
    place = r.choice(("Việt Trì", "Việt Trì", "Phú Thọ"))
    date_line = r.choice((f"{place}, ngày {d} tháng {m} năm {report_date.year}",
                          f"{place}, ngày {d:02d} tháng {m:02d} năm {report_date.year}",
                          f"{place}, ngày {d:02d} tháng {m} năm {report_date.year}"))
    num_line = r.choice((f"Số {number}", f"Số: {number}", f"Số {number}"))
    left = [(issuer, False), (name.upper(), True), ("*", False), (num_line, False)]
    right = [("ĐẢNG CỘNG SẢN VIỆT NAM", True), (date_line, False)]
    return left, right


def _header(b: _Builder, unit: Unit, number: str, report_date: date) -> None:
    left, right = _header_lines(b, unit, number, report_date)
    r = b.rng
    hfont = ".VnTimeH" if b.tcvn3 else None
    tfont = ".VnTime" if b.tcvn3 else None

    def cell_para(text: str, bold: bool, italic: bool = False) -> Para:
        font = None
        if b.tcvn3 and text == text.upper() and can_encode(text.lower()):
            font = hfont
        elif b.tcvn3 and can_encode(text):
            font = tfont
        return Para([(text, "")], bold=bold, italic=italic, align="center", font=font)

    layout = r.choice(("table", "table", "plain", "textbox"))
    b.quirks.add({"table": "header_table", "plain": "header_plain", "textbox": "header_textbox"}[layout])
    lp = [cell_para(t, bold) for t, bold in left]
    rp = [cell_para(right[0][0], True), cell_para(right[1][0], False, italic=True)]
    if layout == "table":
        b.body.append(Table([[lp, rp]], [4200, 5300], borders=False))
    elif layout == "textbox":
        modern = r.random() < 0.5
        b.body.append(TextBox(lp, modern=modern))
        if modern:
            b.quirks.add("textbox_alternate_content")
        for p in rp:
            p.align = "right"
            b.body.append(p)
    else:
        first = Para([(left[0][0], ""), ("", "tab"), ("", "tab"), (right[0][0], "")], bold=False)
        b.body.append(first)
        b.body.append(Para([(left[1][0], "")], bold=True))
        b.body.append(Para([("*", "")]))
        b.body.append(Para([(left[3][0], ""), ("", "tab"), ("", "tab"), (right[1][0], "")],
                           italic=False))


def _sections_plan(b: _Builder, campaign: Campaign) -> list[tuple[str, str | None]]:
    """Canonical ids in the order written, with P2.II.3 merged into P2.II.2 when chosen."""
    r = b.rng
    ids = [s.id for s in campaign.sections]
    skip: set[str] = set()
    if r.random() < 0.3:
        skip.update(r.sample(["P1.4", "P2.II.4", "P3.II", "P1.3", "P2.I.5"], r.randint(1, 2)))
    if not b.unit.media and r.random() < 0.4:
        skip.add("P2.I.4")
    if skip:
        b.quirks.add("skipped")
    merge = r.random() < 0.15
    if merge:
        skip.add("P2.II.3")
        b.quirks.add("merged")
    ids = [i for i in ids if i not in skip]
    if r.random() < 0.15:
        pairs = [("P1.2", "P1.3"), ("P2.II.3", "P2.II.4"), ("P3.I", "P3.II"), ("P2.I.4", "P2.I.5")]
        a, c = r.choice(pairs)
        if a in ids and c in ids and ids.index(c) == ids.index(a) + 1:
            k = ids.index(a)
            ids[k], ids[k + 1] = ids[k + 1], ids[k]
            b.quirks.add("reordered")
    return [(i, "P2.II.3" if merge and i == "P2.II.2" else None) for i in ids]


def build_report(campaign: Campaign, unit: Unit, doc_id: str, style_seed: int,
                 values: dict[str, int], quals: dict[str, str | None], report_date: date,
                 report_number: str, version: int = 1) -> tuple[bytes, ReportTruth]:
    """Render one report; returns the .docx bytes and its truth."""
    b = _Builder(campaign, unit, style_seed, values, quals)
    b._num_of = {}
    r = b.rng
    _header(b, unit, report_number, report_date)
    b.body.append(Para([("BÁO CÁO", "")], bold=True, align="center", style="Title"
                       if r.random() < 0.3 else None, size=30))
    subtitle = r.choice((
        "Sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW ngày 05/9/2016 của Ban Bí thư Trung ương "
        "Đảng (khoá XII) về “Đẩy mạnh công tác thông tin cơ sở trong tình hình mới”",
        "Kết quả 05 năm thực hiện Chỉ thị 07-CT/TW của Ban Bí thư về đẩy mạnh công tác thông tin "
        "cơ sở trong tình hình mới",
        "sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW (giai đoạn 2016 - 2021)",
    ))
    b.body.append(Para([(subtitle, "")], bold=True, align="center"))
    b.body.append(Para([("-----", "")], align="center"))
    b.body_para([(f"Thực hiện Kế hoạch số {r.randint(80, 140)}-KH/ĐUK ngày {r.randint(1, 15)}/6/2022 "
                  f"của Ban Thường vụ Đảng uỷ Khối về sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW, "
                  f"{unit.name} báo cáo kết quả như sau:", "")], None)
    if r.random() < 0.15:
        title = r.choice(ol.EXTRA_HEADINGS)
        b.heading(None, 1, "l1", 0, title, 1)
        b.body_para([(wr.fill_prose(r, wr.PROSE["EXTRA"][0]), "")], None)
        b.quirks.add("extra_heading")
    plan = _sections_plan(b, campaign)
    present = {sid for sid, _ in plan}
    positions: dict[str | None, int] = {}
    for sid, merged in plan:
        sec = campaign.section(sid)
        parent = sec.parent
        positions[parent] = positions.get(parent, 0) + 1
        pos = positions[parent]
        level = sec.level
        group = "l1" if level == 1 else "l3" if level == 3 else "l2p1" if parent == "P1" else "l2"
        if merged:
            title = r.choice(ol.MERGED_TITLE)
        elif b.paraphrase and r.random() < 0.6:
            title = r.choice(ol.PARAPHRASES[sid])
            b.quirks.add("paraphrased")
        else:
            title = sec.title
        b.heading(sid, level, group, pos, title, level)
        children = any(s.parent == sid and s.id in present for s in campaign.sections)
        b.section_body(sid, children, merged)
    # Signature and recipients.
    sig = [Para([("T/M " + ("ĐẢNG UỶ" if unit.kind == "dang_bo" else "CHI BỘ"), "")], bold=True,
                align="center"),
           Para([(r.choice(("BÍ THƯ", "PHÓ BÍ THƯ")), "")], bold=True, align="center"),
           Para([(r.choice(("Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Đức", "Phạm Thu Hà",
                            "Hoàng Anh Tuấn")), "")], bold=True, align="center")]
    recip = [Para([("Nơi nhận:", "")], bold=True, italic=True),
             Para([("- Ban Tuyên giáo Đảng uỷ Khối (b/c);", "")]),
             Para([("- Lưu VP.", "")])]
    b.body.append(Table([[recip, sig]], [4500, 5000], borders=False))
    documents = _documents_table(b, campaign, unit, report_date)
    for f in b.facts:
        if f.section is None:
            raise AssertionError("fact outside any section")
    spec = DocSpec(body=b.body, footnotes=b.footnotes, nums=b.nums,
                   split_numbers=0.5 if b.split else 0.0, split_text=0.15 if b.split else 0.0,
                   nfd=b.nfd, track_revisions=b.track, seed=style_seed ^ 0x5A5A,
                   title=subtitle[:60])
    data = write_docx(spec)
    truth = ReportTruth(doc_id=doc_id, file=f"docs/{doc_id}.docx", unit_id=unit.id,
                        report_date=report_date.isoformat(), report_number=report_number,
                        version=version, sections=b.sections,
                        indicators=[f.as_json() for f in b.facts], documents=documents,
                        quirks=sorted(b.quirks), extra_headings=b.extra)
    return data, truth


def _documents_table(b: _Builder, campaign: Campaign, unit: Unit, report_date: date) -> list[dict]:
    r = b.rng
    if campaign.documents_table is None or r.random() < 0.4:
        return []
    suffix = "ĐU" if unit.kind == "dang_bo" else "CB"
    rows = []
    titles = r.sample(DOC_TITLES, r.randint(2, 5))
    y = 2016
    for t in titles:
        y = min(2022, y + r.randint(0, 2))
        issued = date(y, r.randint(1, 12), r.randint(1, 28))
        kind = "KH" if t.startswith("Kế hoạch") else "HD" if t.startswith("Hướng") else (
            "NQ" if t.startswith("Nghị") else "QĐ")
        so_hieu = f"{r.randint(1, 99):02d}-{kind}/{suffix}"
        written = r.choice((f"{issued.day:02d}/{issued.month:02d}/{issued.year}",
                            f"{issued.day}/{issued.month}/{issued.year}",
                            f"{issued.day:02d}-{issued.month:02d}-{issued.year}"))
        rows.append({"so_hieu": so_hieu, "ten_van_ban": t, "ngay_ban_hanh": issued.isoformat(),
                     "ngay_written": written})
    headers = list(campaign.documents_table.headers)
    if r.random() < 0.3:
        headers = ["TT", "Số, ký hiệu văn bản", "Trích yếu nội dung văn bản", "Ngày, tháng ban hành"]
    b.body.append(Para([("", "")]))
    b.body.append(Para([(campaign.documents_table.title.upper(), "")], bold=True, align="center"))
    grid = [[[Para([(h, "")], bold=True, align="center")] for h in headers]]
    for k, row in enumerate(rows, 1):
        grid.append([[Para([(str(k), "")], align="center")], [Para([(row["so_hieu"], "")])],
                     [Para([(row["ten_van_ban"], "")])], [Para([(row["ngay_written"], "")])]])
    b.body.append(Table(grid, [700, 1900, 5000, 1800]))
    b.quirks.add("documents_table")
    return rows


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
