"""Numeric indicator facts from report text: `trên 4.961 hội nghị` → (hoi_nghi, 4961, "tren").

How it works (one compiled matcher per campaign, cached):
- Text is NFC-normalised, numbers broken by a line break are joined, and it is split into
  clauses on `. ; ! ?`, line breaks, and `:` unless a number follows the colon
  (`hội nghị: 12`). Only clauses holding a digit are looked at.
- A clause is tokenised into syllables, whole numerals and single punctuation marks
  (spaCy's own Vietnamese tokenizer keeps punctuation glued: "dự;"), turned into a
  spaCy `Doc`, and a `PhraseMatcher` on `LOWER` finds the campaign's indicator terms.
- Clean numerals come from `parsers.numbers` (dates, document numbers, ratios,
  percentages, phone numbers are never clean). Context then drops years, ranges,
  durations (`5 năm`), ordinals (`lần thứ 3`, `Điều 3`) and the like.
- A numeral takes the term that follows it, after an optional scale word, a spelled-out
  copy `(mười hai)` and a classifier (`cuộc`, `buổi`, `lượt`, `cuốn`, `chiếc`, `tấm`…);
  the longest term wins (`cuộc hội nghị` over `cuộc`). A classifier that is itself a
  term (`cuộc`) first defers to a term just before the numeral (`hội nghị (12 cuộc)`).
  A classifier followed by other words is given to the indicator whose label/terms
  share those words (`buổi sinh hoạt` → the "Buổi, cuộc tuyên truyền miệng, sinh hoạt"
  indicator). A numeral that ends its clause looks back for an unclaimed term
  (`Số hội nghị đã tổ chức là 12`).
- Money (`1,2 tỷ đồng`, `350.000.000 đồng`, `180,5 triệu đồng`) goes to the campaign's
  indicator whose `unit` is "VND", in đồng; `đồng chí` / `đồng bộ` are not money.
- Qualifiers are read only directly before the numeral: trên/hơn/gần/khoảng/ước/xấp xỉ.
- Figure tables (`Segment.rows`): a row whose label cell holds a term and a later cell
  holds a number gives one fact; header rows and the documents table give none.

Configuration: each `[[indicators]]` entry's `terms` are the phrases matched (case-
insensitive, whole syllables; the longest wins); an optional `synonyms = [...]` list is
matched the same way once `IndicatorDef` carries it (read with getattr, so the loader can
add it without a change here). `label` words resolve classifiers (`buổi sinh hoạt`). The
indicator with `unit = "VND"` receives money; its terms' last words are currency words.
Another campaign needs a new TOML, not new code.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

from parsers.campaign import Campaign, IndicatorDef
from parsers.model import Segment
from parsers.numbers import (
    MULTIPLIERS,
    QUALIFIERS,
    TOKEN,
    NumberSpan,
    as_count,
    clean_numbers,
    is_spelled_number,
    join_split_numbers,
    scale,
    wordset,
)
from parsers.result import Fact

# General Vietnamese classifiers that sit between a numeral and its noun.
CLASSIFIERS = wordset(
    "cuộc buổi lượt cuốn bộ chiếc tấm tờ quyển đợt lớp cái con trang số bài người"
)
# Units of measure any count may be given in (a table's "Đơn vị tính" column).
_MEASURE_WORDS = CLASSIFIERS | wordset("bản lần đợt cái chiếc đồng chí")  # ("Đồng chí": people)
# Words after a number that make it a duration, not a count.
_DURATIONS = wordset("năm tháng ngày tuần giờ phút giây quý thập kỷ")
# Words before a number that make it a date part, an ordinal or a reference.
_HARD_BEFORE = wordset(
    "ngày tháng năm thứ khóa khoá điều khoản mục chương lần kỳ kì quý đoạn tuần lúc giờ "
    "phòng tầng điểm phụ lục biểu mẫu"
)
# Document types before a bare number: "Chỉ thị 07", "Kế hoạch 12" name a document.
_DOCUMENT_TYPES = frozenset([
    "chỉ thị", "nghị quyết", "quyết định", "kế hoạch", "thông báo", "hướng dẫn", "công văn",
    "nghị định", "thông tư", "quy định", "kết luận", "quy chế", "tờ trình",
])
# Words before a number after which only an explicit term makes it a count ("tổng số 560
# người dự" is a fact, "Kế hoạch số 12 ngày…" is not).
_SOFT_BEFORE = frozenset(["số"])
# Function words that may follow a count without naming what is counted.
_OPEN_AFTER = wordset(
    "với và cho tại trong về để nhằm có được gồm đạt thu hút trên ở qua từ của"
)
# Words between a "Số <term> …" subject and its value: "Số hội nghị đã tổ chức là 12".
_COPULAS = wordset("là đạt :")
# Event nouns after a bare classifier term: "39 buổi nói chuyện thời sự" is a buổi of the
# indicator counted in buổi; "02 cuộc kiểm tra" (not an event of this kind) is nothing.
_EVENT_WORDS = frozenset([
    "nói chuyện", "toạ đàm", "tọa đàm", "giao lưu", "mít tinh", "diễn đàn", "thảo luận",
    "sinh hoạt", "tuyên truyền", "phổ biến", "chuyên đề", "học tập", "quán triệt",
])
# "7.413 văn bản đến và 3.223 văn bản đi": mail in and out of an office, not documents issued.
_DIRECTION = wordset("đến đi")
# Documents an office handles rather than issues: "xử lý 180.000 văn bản điện tử".
_HANDLED = ("xử lý", "tiếp nhận", "luân chuyển", "số hoá", "số hóa", "lưu trữ")
# Money a unit earns, lends or raises is not money spent on the work: "doanh thu đạt 98,6 tỷ
# đồng", "nộp ngân sách 21,4 tỷ đồng", "nguồn vốn huy động 68.500 tỷ đồng".
_NOT_SPENDING = ("doanh thu", "lợi nhuận", "nộp ngân sách", "thu ngân sách", "nguồn vốn",
                 "vốn đăng ký", "vốn điều lệ", "dư nợ", "cho vay", "huy động", "tổng tài sản",
                 "giá trị sản xuất", "kim ngạch", "tiền gửi")
# People counted as something else than an audience: patients, the insured.
_NOT_AUDIENCE = wordset("bệnh bhxh bhyt dùng truy")  # also users, visits ("người dùng", "truy cập")
_CURRENCY = frozenset(["đồng", "đ", "vnđ", "vnd"])
# "đồng" followed by one of these is a word of its own (đồng chí, đồng bộ…), not money.
_DONG_COMPOUNDS = wordset(
    "chí bộ thuận đều bào ý thời hành nghiệp tâm loạt minh phục cảm lòng nhất đẳng dạng "
    "chủ môn hương niên cấp ca đội tình ruộng hồ xu diễn"
)
_PUNCT_CLOSE = frozenset(",;.:()!?]/")
_BOUNDARY = re.compile(r"[.;!?…]+(?=\s|$)|\n+|:(?!\s*(?:\w+\s+){0,2}\d)")
# A line break inside a sentence (the next line goes on in lower case or with a number).
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*(?=(\w))")
_DIGIT = re.compile(r"\d")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_CLAUSE_CACHE_SIZE = 20_000
_STOPWORDS = wordset("và các của số những cho về với trong tại")
_WINDOW_BACK = 10  # tokens a clause-final number looks back for its noun
_WINDOW_SUBJECT = 40  # tokens from a "Số <term>" subject to its value after "là"/"đạt"
_CLASSIFIER_REACH = 8  # words after a classifier that may say what it counts
_CLAUSE_GOES_ON = _OPEN_AFTER | {"là", "đều", "chủ", "trong", "chiếm"}


class _Tok(NamedTuple):
    text: str
    lower: str
    start: int
    end: int


class IndicatorMatcher:
    """The compiled term matcher of one campaign (build once, reuse for every report)."""

    def __init__(self, indicators: Iterable[IndicatorDef]):
        from spacy.matcher import PhraseMatcher

        self.nlp = _vi_pipeline()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.money_indicator: str | None = None
        self.currency = set(_CURRENCY)
        self.bare: dict[str, str] = {}  # classifier that is itself a term → indicator
        self.heads: dict[str, set[str]] = {}  # classifier → indicators with a term it starts
        self.words: dict[str, set[str]] = {}  # indicator → content syllables of label/terms
        self._clause_cache: dict[str, tuple[Fact, ...]] = {}
        for ind in indicators:
            terms = [*ind.terms, *getattr(ind, "synonyms", ())]
            if (ind.unit or "").upper() in ("VND", "VNĐ", "ĐỒNG"):
                # Money is recognised by the numeral grammar; its terms give currency words.
                self.money_indicator = self.money_indicator or ind.id
                self.currency.update(_words(t)[-1] for t in terms if _words(t))
                continue
            syllables = {w for t in (*terms, ind.label) for w in _words(t)}
            self.words[ind.id] = syllables - CLASSIFIERS - _STOPWORDS
            patterns = []
            for term in terms:
                ws = _words(term)
                if not ws:
                    continue
                if len(ws) == 1 and ws[0] in CLASSIFIERS:
                    self.bare.setdefault(ws[0], ind.id)
                if ws[0] in CLASSIFIERS:
                    self.heads.setdefault(ws[0], set()).add(ind.id)
                patterns.append(self.nlp.make_doc(_nfc(term)))
            if patterns:
                self.matcher.add(ind.id, patterns)

    # ---- prose -------------------------------------------------------------------------
    def facts_in_text(self, text: str, section: str | None, location: str) -> list[Fact]:
        text = _SOFT_BREAK.sub(_unwrap, join_split_numbers(_nfc(text)))
        out: list[Fact] = []
        for sentence in split_clauses(text):
            if not _DIGIT.search(sentence):
                continue
            found = self._clause_cache.get(sentence)
            if found is None:
                # Boilerplate repeats across reports: remember each clause's facts.
                nums = clean_numbers(sentence)
                found = tuple(self._facts_in_clause(sentence, nums)) if nums else ()
                if len(self._clause_cache) >= _CLAUSE_CACHE_SIZE:
                    self._clause_cache.clear()
                self._clause_cache[sentence] = found
            out.extend(replace(f, section=section, location=location) for f in found)
        return out

    def _facts_in_clause(self, clause: str, nums: list[NumberSpan]) -> list[Fact]:
        section, location = None, "body"  # filled in per segment by the caller
        toks = [_Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in TOKEN.finditer(clause)]
        doc = _make_doc(self.nlp.vocab, clause, toks)
        # Longest term starting at each token.
        by_start: dict[int, tuple[int, str]] = {}
        for match_id, start, end in self.matcher(doc):
            if start not in by_start or end > by_start[start][0]:
                by_start[start] = (end, self.nlp.vocab.strings[match_id])
        numbers = self._numbers(nums, toks)
        claimed: set[int] = set()  # start tokens of terms already given to a number
        facts: list[tuple[int, Fact]] = []
        pending: list[tuple[int, NumberSpan, str | None]] = []  # numbers that look back

        consumed: set[int] = set()  # numbers read as part of another ("2 tỷ 500 triệu")
        inherited: dict[str, str] = {}  # classifier → indicator it was resolved to earlier
        for i, num in numbers.items():
            if i in consumed:
                continue
            plausible = self._plausible(i, num, toks, numbers)
            if plausible == "no":
                continue
            # After "số" or for a bare year only an explicit term makes a count.
            soft = plausible == "soft"
            qualifier = _qualifier(toks, i)
            j, mult = i + 1, 1
            # "1 tỷ 200 triệu đồng": add up scale groups.
            value: int | float = num.value
            if j < len(toks) and toks[j].lower in MULTIPLIERS:
                mult = MULTIPLIERS[toks[j].lower]
                value = scale(num.value, mult)
                j += 1
                while (
                    j + 1 < len(toks)
                    and j in numbers
                    and toks[j + 1].lower in MULTIPLIERS
                    and MULTIPLIERS[toks[j + 1].lower] < mult
                ):
                    mult = MULTIPLIERS[toks[j + 1].lower]
                    value = as_count(value + scale(numbers[j].value, mult))
                    consumed.add(j)
                    j += 2
            if j < len(toks) and self._is_currency(toks, j):
                if self.money_indicator and not _is_not_spending(toks, i):
                    term = clause[toks[i + 1].start : toks[j].end] if j > i + 1 else toks[j].text
                    facts.append((i, self._fact(self.money_indicator, value, qualifier, section,
                                                term, clause, location)))
                continue
            j = _skip_spelled(toks, j)
            found = self._term_after(toks, j, by_start, claimed)
            if found is not None and (_is_mail_direction(toks, found[1])
                                      or _is_handled(toks, i, found[1])
                                      or _not_audience(toks, found[1], found[1] + 1)):
                continue
            if found is not None:
                start, end, ind_id, bare = found
                if bare:
                    back = None if soft else self._term_before(toks, i, by_start, claimed, numbers)
                    # "hội nghị (12 cuộc)": only an indicator counted in that classifier.
                    word = toks[start].lower
                    if back is not None and back[2] in self.heads.get(word, ()):
                        start, end, ind_id = back
                        inherited[word] = ind_id
                    elif word in inherited:
                        # "hội nghị trực tiếp 10 cuộc, trực tuyến 5 cuộc": same noun as before.
                        ind_id = inherited[word]
                    elif not self._bare_ok(toks, end, ind_id):
                        continue
                claimed.add(start)
                facts.append((i, self._fact(ind_id, value, qualifier, section,
                                            clause[toks[start].start : toks[end - 1].end],
                                            clause, location)))
                continue
            if soft or mult != 1:
                continue
            weak = self._classifier_guess(toks, j)
            if weak is not None:
                facts.append((i, self._fact(weak, value, qualifier, section, toks[j].text,
                                            clause, location)))
                continue
            if _is_open(toks, j) or _labelled_value(toks, i, j):
                pending.append((i, num, qualifier, None))
            elif j < len(toks) and toks[j].lower in CLASSIFIERS and _is_open(toks, j + 1):
                # "… tuyên truyền viên gồm 19 người", "Bản tin … đã phát hành 09 số"
                pending.append((i, num, qualifier, toks[j].lower))

        for i, num, qualifier, classifier in pending:
            back = self._subject_before(toks, i, by_start, claimed, numbers)
            if back is None and classifier == "người":
                back = self._person_before(toks, i, by_start, claimed, numbers)
            elif back is None and classifier is not None:
                back = self._topic_before(toks, i, by_start, claimed, numbers, classifier)
            elif back is None:
                back = self._term_before(toks, i, by_start, claimed, numbers)
            if back is None:
                continue
            start, end, ind_id = back
            claimed.add(start)
            facts.append((i, self._fact(ind_id, num.value, qualifier, section,
                                        clause[toks[start].start : toks[end - 1].end],
                                        clause, location)))
        facts.sort(key=lambda pair: pair[0])
        out = []
        for i, f in facts:
            if f.indicator != self.money_indicator and not isinstance(f.value, int):
                # A count is whole: "1,200 người" is an English-style thousands comma.
                if not _COMMA_THOUSANDS.fullmatch(numbers[i].written):
                    continue
                f = replace(f, value=int(numbers[i].written.replace(",", "")))
            out.append(f)
        return out

    def _numbers(self, nums: list[NumberSpan], toks: list[_Tok]) -> dict[int, NumberSpan]:
        spans = {n.start: n for n in nums}
        out: dict[int, NumberSpan] = {}
        for k, tok in enumerate(toks):
            span = spans.get(tok.start)
            if span is not None and span.end == tok.end:
                out[k] = span
        return out

    def _plausible(self, i: int, num: NumberSpan, toks: list[_Tok], numbers: dict) -> str:
        """Context rules: "no" for a date part, range, duration, ordinal or phone group;
        "soft" when only an explicit term may make it a count; else "yes"."""
        prev = toks[i - 1].lower if i > 0 else ""
        nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
        hard = prev in _HARD_BEFORE and not (prev == "điểm" and i > 1 and toks[i - 2].lower == "thí")
        hard = hard or (i > 1 and f"{toks[i - 2].lower} {prev}" in _DOCUMENT_TYPES)
        if hard or nxt in _DURATIONS or nxt in ("%", "‰") or nxt == "phần":
            return "no"  # ("thí điểm 05 bảng tin": a pilot, not "điểm 5")
        # Ranges "2016 - 2021", "12 – 15"; digit groups "0912 345 678".
        if nxt in ("-", "–", "—") and i + 2 < len(toks) and toks[i + 2].text[:1].isdigit():
            return "no"
        if prev in ("-", "–", "—") and i > 1 and toks[i - 2].text[:1].isdigit():
            return "no"
        if (i + 1) in numbers or (i - 1) in numbers:
            return "no"
        if prev in ("đến", "tới") and any(t.text[:1].isdigit() for t in toks[max(0, i - 4) : i - 1]):
            return "no"
        written = num.written
        if written.isdigit() and len(written) == 4 and 1945 <= int(written) <= 2100:
            return "soft"  # a year, unless a term follows at once
        if prev in _SOFT_BEFORE and not (i > 1 and toks[i - 2].lower == "tổng"):
            return "soft"  # "Kế hoạch số 12 …"; but "tổng số 612 lượt …" is a count
        return "yes"

    def _is_currency(self, toks: list[_Tok], j: int) -> bool:
        word = toks[j].lower
        if word not in self.currency:
            return False
        after = toks[j + 1].lower if j + 1 < len(toks) else ""
        # "đồng chí" is people; "500.000 đồng/người" is a rate, not an amount spent.
        return not ((word == "đồng" and after in _DONG_COMPOUNDS) or after == "/")

    def _term_after(
        self, toks: list[_Tok], j: int, by_start: dict, claimed: set[int]
    ) -> tuple[int, int, str, bool] | None:
        """The term right after a numeral: (start, end, indicator, is_bare_classifier)."""
        pos = j
        for _ in range(2):
            if pos >= len(toks):
                return None
            hit = by_start.get(pos)
            if hit is not None and pos not in claimed:
                end, ind_id = hit
                bare = end - pos == 1 and toks[pos].lower in self.bare
                return pos, end, ind_id, bare
            if toks[pos].lower == "đồng" and pos + 1 < len(toks) and toks[pos + 1].lower == "chí":
                pos += 2  # "08 đồng chí báo cáo viên": people, counted by the noun after
            elif toks[pos].lower in CLASSIFIERS:
                pos += 1
            else:
                return None
        return None

    def _term_before(
        self, toks: list[_Tok], i: int, by_start: dict, claimed: set[int], numbers: dict
    ) -> tuple[int, int, str] | None:
        """The nearest unclaimed term ending before token i, with no number in between."""
        lo = max(0, i - _WINDOW_BACK)
        best: tuple[int, int, str] | None = None
        for start, (end, ind_id) in by_start.items():
            if lo <= start and end <= i and start not in claimed:
                if end - start == 1 and toks[start].lower in self.bare:
                    continue  # a bare classifier names nothing by itself
                if any(k in numbers or toks[k].text[:1].isdigit() for k in range(end, i)):
                    continue
                if best is None or end > best[1] or (end == best[1] and start < best[0]):
                    best = (start, end, ind_id)
        return best

    def _subject_before(
        self, toks: list[_Tok], i: int, by_start: dict, claimed: set[int], numbers: dict
    ) -> tuple[int, int, str] | None:
        """"Số hội nghị học tập, quán triệt đã tổ chức là 25": the value after "là"/"đạt"/":"
        belongs to the nearest "số <term>" subject before it, however long the phrase between
        (document numbers such as "Quyết định số 52/2016/QĐ-TTg" may stand in it; counts may not)."""
        k = i - 1
        if k >= 0 and toks[k].lower in QUALIFIERS:
            k -= 1
        if k >= 1 and f"{toks[k - 1].lower} {toks[k].lower}" in QUALIFIERS:
            k -= 2
        if k < 0 or toks[k].lower not in _COPULAS:
            return None
        return self._latest_term(
            toks, i, k, by_start, claimed, numbers, max(1, i - _WINDOW_SUBJECT),
            lambda start, end, ind_id: toks[start - 1].lower in ("số", "lượng"))

    def _topic_before(
        self, toks: list[_Tok], i: int, by_start: dict, claimed: set[int], numbers: dict,
        classifier: str,
    ) -> tuple[int, int, str] | None:
        """"Tờ gấp, tờ rơi tuyên truyền được in và cấp phát 7.629 tờ": a number closing its
        clause with a bare classifier counts the clause's topic, the nearest term before it
        (any distance, no other count between) that this classifier counts ("tờ" → tờ gấp,
        "số" → số bản tin). A classifier that heads no term accepts the nearest term."""
        fits = self.heads.get(classifier)
        return self._latest_term(toks, i, i, by_start, claimed, numbers, 0,
                                 lambda start, end, ind_id: not fits or ind_id in fits)

    def _latest_term(self, toks: list[_Tok], i: int, limit: int, by_start: dict,
                     claimed: set[int], numbers: dict, lo: int, accept) -> tuple[int, int, str] | None:
        """The latest-starting unclaimed term in toks[lo:limit] that `accept`s, names something
        by itself (not a bare classifier, not "… người truy cập"), with no count before i."""
        best: tuple[int, int, str] | None = None
        for start, (end, ind_id) in by_start.items():
            if start < lo or end > limit or start in claimed or not accept(start, end, ind_id):
                continue
            if (end - start == 1 and toks[start].lower in self.bare) or _not_audience(toks, end, end + 1):
                continue  # ("Số lượt người truy cập …" counts visits)
            if any(n in numbers for n in range(end, i)):
                continue
            if best is None or start > best[0]:
                best = (start, end, ind_id)
        return best

    def _person_before(
        self, toks: list[_Tok], i: int, by_start: dict, claimed: set[int], numbers: dict
    ) -> tuple[int, int, str] | None:
        """"N người" at the end of a clause. "Đội ngũ tuyên truyền viên được củng cố với 19
        người" counts the person noun before it (a term ending in "viên": báo cáo viên, cộng
        tác viên …); "hội nghị quán triệt với 250 người" counts the people who came (the one
        indicator whose terms start with "người"). A clause naming no term counts nothing
        ("Chi bộ có 25 người")."""
        back = self._term_before(toks, i, by_start, claimed, numbers)
        if back is not None and toks[back[1] - 1].lower == "viên":
            return back
        attendance = self.heads.get("người", set())
        if len(attendance) == 1 and any(start < i for start in by_start):
            return i + 1, i + 2, next(iter(attendance))  # the term is "người" itself
        return None

    def _bare_ok(self, toks: list[_Tok], end: int, ind_id: str) -> bool:
        """A bare classifier term ("18.000 cuộc") counts when nothing else is named after it,
        or when an event noun of its own kind follows ("39 buổi nói chuyện thời sự")."""
        if _is_open(toks, end):
            return True
        following = {t.lower for t in toks[end : end + 2]}
        if following & self.words.get(ind_id, set()):
            return True
        return " ".join(t.lower for t in toks[end : end + 2]) in _EVENT_WORDS

    def _classifier_guess(self, toks: list[_Tok], j: int) -> str | None:
        """`300 lượt cán bộ, công chức tham dự`: a classifier heading one indicator's terms."""
        if j >= len(toks) or toks[j].lower not in self.heads:
            return None
        # The words the classifier counts, up to the next number or clause break ("300 lượt
        # học sinh, sinh viên tham dự"), but never a later term of another indicator.
        following: set[str] = set()
        stop = j + 1
        while stop < min(len(toks), j + 1 + _CLASSIFIER_REACH):
            tok = toks[stop]
            if tok.text[:1].isdigit() or tok.text in (";", ".", "(", ":"):
                break
            if tok.text == "," and stop + 1 < len(toks) and toks[stop + 1].lower in _CLAUSE_GOES_ON:
                break  # "… 19 người, là đảng viên trẻ": the noun phrase ended at the comma
            following.add(tok.lower)
            stop += 1
        if _not_audience(toks, j + 1, stop):
            return None
        scored = sorted(
            ((len(following & self.words.get(ind, set())), ind) for ind in self.heads[toks[j].lower]),
            reverse=True,
        )
        if not scored or scored[0][0] == 0:
            return None
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            bare = self.bare.get(toks[j].lower)
            return bare if bare in {ind for s, ind in scored if s == scored[0][0]} else None
        return scored[0][1]

    def _fact(self, ind_id, value, qualifier, section, term, sentence, location) -> Fact:
        return Fact(indicator=ind_id, value=as_count(value), qualifier=qualifier,
                    section=section, term=term, sentence=sentence.strip(), location=location)

    # ---- figure tables -----------------------------------------------------------------
    def facts_in_table(self, rows: list[list[str]], section: str | None) -> list[Fact]:
        """`Chỉ tiêu | Đơn vị | Số lượng` tables: the row label names the indicator. A table
        with several value columns (`Năm 2017 | … | Năm 2021`, `Cấp tỉnh | Cơ sở`) gives a
        fact per cell; a total column, when there is one, is read alone (no double count)."""
        rows = [[_nfc(c or "").strip() for c in row] for row in rows]
        value_cols = _value_columns(rows)
        out: list[Fact] = []
        for row in rows:
            facts = self._row_facts(row, value_cols, section)
            if facts:
                out.extend(facts)
                continue
            # A layout table holding prose: read its long cells as text.
            for cell in dict.fromkeys(row):
                if len(cell.split()) >= 8:
                    out.extend(self.facts_in_text(cell, section, "table"))
        return out

    def _row_facts(self, row: list[str], value_cols: list[int], section: str | None) -> list[Fact]:
        # A horizontally merged cell repeats its text in adjacent columns: keep it once. Equal
        # texts further apart are distinct cells ("STT 3 | Thông tin viên | 3").
        cells: list[str] = []
        col_to_cell: list[int] = []
        for k, text in enumerate(row):
            if not (k and text == row[k - 1]):
                cells.append(text)
            col_to_cell.append(len(cells) - 1)
        values = [k for k, v in enumerate(cells) if _cell_number(v) is not None]
        if not values:
            return []
        chosen = list(dict.fromkeys(col_to_cell[c] for c in value_cols
                                    if c < len(row) and _cell_number(row[c]) is not None))
        facts = []
        for k_val in chosen or values[-1:]:
            fact = self._cell_fact(cells, k_val, row, section)
            if fact is not None:
                facts.append(fact)
        return facts

    def _cell_fact(self, cells: list[str], k_val: int, row: list[str],
                   section: str | None) -> Fact | None:
        """The fact of value cell k_val, named by the first label cell before it."""
        number, qualifier, unit_words = _cell_number(cells[k_val])
        for k in range(k_val):
            cell = cells[k]
            if not cell or _cell_number(cell) is not None:
                continue
            doc = self.nlp.make_doc(cell)
            hits = sorted((s, -(e - s), self.nlp.vocab.strings[m], e) for m, s, e in self.matcher(doc))
            row_text = " ".join(c.lower() for c in cells[:k_val] if _cell_number(c) is None)
            money_mult = _money_multiplier(f"{row_text} {unit_words}", self.currency)
            if money_mult and self.money_indicator and (
                not hits or "kinh phí" in row_text or "đồng" in unit_words
            ):
                return self._fact(self.money_indicator, scale(number, money_mult), qualifier,
                                  section, cell, " | ".join(row), "table")
            if hits:
                start, neg_len, ind_id, end = hits[0]
                if not isinstance(as_count(number), int):
                    return None
                # The unit of measure, in the figure's cell or a short cell before it, must be
                # one the indicator is counted in: "Điểm cầu hội nghị trực tuyến | Điểm | 5"
                # counts bridge points, not conferences.
                units = [c for c in cells[k + 1 : k_val]
                         if c and len(c.split()) <= 3 and _cell_number(c) is None]
                if not self._unit_fits(ind_id, unit_words or (units[-1] if units else "")):
                    return None
                return self._fact(ind_id, number, qualifier, section, doc[start:end].text,
                                  " | ".join(row), "table")
        return None

    def _unit_fits(self, ind_id: str, unit: str) -> bool:
        words = set(_words(unit))
        return words <= _MEASURE_WORDS | self.words.get(ind_id, set())


# ---- module helpers ----------------------------------------------------------------------
_NLP = None
_LOCK = threading.Lock()
_CACHE: dict[tuple, IndicatorMatcher] = {}


def _vi_pipeline():
    """A blank Vietnamese spaCy pipeline (no pyvi, no download) with a syllable tokenizer."""
    global _NLP
    if _NLP is None:
        import spacy
        from spacy.tokens import Doc

        nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
        vocab = nlp.vocab

        def tokenize(text: str) -> Doc:
            toks = [_Tok(m.group(), "", m.start(), m.end()) for m in TOKEN.finditer(text)]
            return _make_doc(vocab, text, toks)

        nlp.tokenizer = tokenize
        _NLP = nlp
    return _NLP


def _make_doc(vocab, text: str, toks: list[_Tok]):
    """A spaCy Doc over our syllable/numeral/punctuation tokens (text round-trips)."""
    from spacy.tokens import Doc

    n = len(text)
    return Doc(vocab, words=[t.text for t in toks],
               spaces=[t.end < n and text[t.end].isspace() for t in toks])


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str) -> list[str]:
    return [m.group().lower() for m in TOKEN.finditer(_nfc(text)) if m.group()[0].isalnum()]


def split_clauses(text: str) -> list[str]:
    """Sentences/clauses: split at . ; ! ? and line breaks (not inside numbers), and at ':'
    unless a number follows it ("hội nghị: 12")."""
    out, pos = [], 0
    for m in _BOUNDARY.finditer(text):
        piece = text[pos : m.start()].strip(" \t-–•+*")
        if piece:
            out.append(piece)
        pos = m.end()
    tail = text[pos:].strip(" \t-–•+*")
    if tail:
        out.append(tail)
    return out


def _unwrap(m: re.Match[str]) -> str:
    nxt = m.group(1)
    return " " if nxt.islower() or nxt.isdigit() else m.group(0)


def _qualifier(toks: list[_Tok], i: int) -> str | None:
    if i == 0:
        return None
    one = toks[i - 1].lower
    two = f"{toks[i - 2].lower} {one}" if i > 1 else ""
    return QUALIFIERS.get(two) or QUALIFIERS.get(one)


def _skip_spelled(toks: list[_Tok], j: int) -> int:
    """Skip "(mười hai)" after a numeral."""
    if j < len(toks) and toks[j].text == "(":
        for k in range(j + 1, min(len(toks), j + 8)):
            if toks[k].text == ")":
                if is_spelled_number([t.text for t in toks[j + 1 : k]]):
                    return k + 1
                break
    return j


def _phrase_before(toks: list[_Tok], i: int, phrases: tuple[str, ...], reach: int) -> bool:
    """Whether one of `phrases` (lower case, whole syllables) ends within `reach` tokens
    before token i, in the same clause part (not across a comma)."""
    words: list[str] = []
    for tok in reversed(toks[max(0, i - reach) : i]):
        if tok.text in (",", ";"):
            break
        words.insert(0, tok.lower)
    text = f" {' '.join(words)} "
    return any(f" {p} " in text for p in phrases)


def _is_not_spending(toks: list[_Tok], i: int) -> bool:
    return _phrase_before(toks, i, _NOT_SPENDING, 8)


def _is_handled(toks: list[_Tok], i: int, end: int) -> bool:
    """"xử lý trên 180.000 văn bản (điện tử)": documents handled, not issued."""
    if toks[end - 1].lower != "bản" or end - 2 < 0 or toks[end - 2].lower != "văn":
        return False
    electronic = end + 1 < len(toks) and toks[end].lower == "điện" and toks[end + 1].lower == "tử"
    return electronic or _phrase_before(toks, i, _HANDLED, 4)


def _not_audience(toks: list[_Tok], start: int, stop: int) -> bool:
    """"650.000 lượt người bệnh", "143.500 người tham gia BHXH", "lượt người dùng": patients,
    the insured, users; "bệnh viện" (a hospital) is not a patient."""
    for k in range(start, min(stop, len(toks))):
        word = toks[k].lower
        if word in _NOT_AUDIENCE and not (
                word == "bệnh" and k + 1 < len(toks) and toks[k + 1].lower == "viện"):
            return True
    return False


def _is_mail_direction(toks: list[_Tok], end: int) -> bool:
    """"văn bản đến", "văn bản đi" at a clause break or before "và": incoming and outgoing
    mail ("ban hành 15 văn bản đến các chi bộ" goes on, so it is not one)."""
    if end >= len(toks) or toks[end].lower not in _DIRECTION:
        return False
    return toks[end].lower == "đi" or _is_open(toks, end + 1) or toks[end + 1].lower == "và"


def _labelled_value(toks: list[_Tok], i: int, j: int) -> bool:
    """"tài liệu phát hành: 450 bộ": a value after a colon with only a classifier after it."""
    before = i - 1 if i > 0 and toks[i - 1].lower not in QUALIFIERS else i - 2
    if before < 0 or toks[before].text != ":":
        return False
    k = j
    while k < len(toks) and toks[k].lower in CLASSIFIERS:
        k += 1
    return k > j and _is_open(toks, k)


def _is_open(toks: list[_Tok], j: int) -> bool:
    """Nothing is named after position j: end of clause, punctuation or a function word."""
    return j >= len(toks) or toks[j].text in _PUNCT_CLOSE or toks[j].lower in _OPEN_AFTER


_CELL_NUMBER = re.compile(r"^\s*(?:(?P<q>[^\d\s]+(?:\s+[^\d\s]+)?)\s+)?(?P<n>\S+)\s*(?P<u>.*)$")


def _cell_number(cell: str) -> tuple[int | float, str | None, str] | None:
    """A table cell that is a figure: "570", "khoảng 71", "180,5 triệu đồng"."""
    if not cell or not any(ch.isdigit() for ch in cell):
        return None
    m = _CELL_NUMBER.match(cell.replace("\n", " "))
    if m is None:
        return None
    qual = m.group("q")
    qualifier = QUALIFIERS.get(qual.lower()) if qual else None
    if qual and qualifier is None:
        return None
    nums = clean_numbers(m.group("n"))
    if len(nums) != 1 or nums[0].written != m.group("n").rstrip("đ"):
        return None
    unit = m.group("u").strip().lower()
    if len(unit.split()) > 3 or any(ch.isdigit() for ch in unit) or "%" in unit:
        return None
    return nums[0].value, qualifier, unit


def _money_multiplier(text: str, currency: set[str]) -> int | None:
    words = _words(text)
    for k, w in enumerate(words):
        if w in currency and not (w == "đồng" and k + 1 < len(words) and words[k + 1] in _DONG_COMPOUNDS):
            return MULTIPLIERS.get(words[k - 1], 1) if k > 0 else 1
    return None


_VALUE_HEADERS = ("số lượng", "kết quả", "số liệu")
_TOTAL_HEADERS = ("tổng", "cộng")
# Columns that are never figures: row numbers, the unit of measure, notes, the row label.
_NOT_VALUE_HEADERS = re.compile(r"^(?:stt|tt|số tt|đvt|đơn vị(?: tính)?|ghi chú|nội dung|chỉ tiêu"
                                r"|hình thức|tên|loại)\b")


def _value_columns(rows: list[list[str]]) -> list[int]:
    """Columns holding the figures, from the header rows (those before the first figure):
    a total column alone if there is one; else every column with figures under a header
    ("Năm 2017" … "Năm 2021", "Cấp tỉnh" | "Cơ sở") when there are several; else the one
    headed "Số lượng" / "Kết quả"; [] when nothing says (the last figure of a row is read)."""
    header_rows = []
    for row in rows[:3]:
        if any(_cell_number(c) is not None for c in row):
            break
        header_rows.append(row)
    if not header_rows:
        return []
    width = max(len(r) for r in rows)
    headers = [" ".join(r[k].lower() for r in header_rows if k < len(r)) for k in range(width)]
    totals = [k for k, h in enumerate(headers) if any(w in h for w in _TOTAL_HEADERS)]
    if totals:
        return totals[:1]
    data = rows[len(header_rows):]
    figures = [k for k, h in enumerate(headers)
               if h.strip() and not _NOT_VALUE_HEADERS.match(h.strip())
               and 2 * sum(1 for r in data if k < len(r) and _cell_number(r[k]) is not None)
               >= len(data)]
    if len(figures) > 1:
        return figures
    named = [k for k, h in enumerate(headers) if any(w in h for w in _VALUE_HEADERS)]
    return named[:1]


def matcher_for(campaign: Campaign) -> IndicatorMatcher:
    """The campaign's compiled matcher, built once per process per indicator list."""
    key = (campaign.id, tuple((i.id, i.label, i.unit, i.terms,
                               tuple(getattr(i, "synonyms", ()))) for i in campaign.indicators))
    found = _CACHE.get(key)
    if found is None:
        with _LOCK:
            found = _CACHE.get(key)
            if found is None:
                found = IndicatorMatcher(campaign.indicators)
                _CACHE[key] = found
    return found


def extract_facts(segments: list[Segment], campaign: Campaign) -> list[Fact]:
    """Every indicator fact in the segments, in document order."""
    matcher = matcher_for(campaign)
    out: list[Fact] = []
    for seg in segments:
        if seg.location == "table" and seg.rows:
            out.extend(matcher.facts_in_table(seg.rows, seg.section))
        elif seg.text:
            out.extend(matcher.facts_in_text(seg.text, seg.section, seg.location))
    return out
