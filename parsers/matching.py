"""Matching a unit's headings to the campaign outline's canonical section ids.

Within each parent context (the matched part / Roman section) the unit's headings
and the outline's sections are paired as an assignment problem: the score of a pair
is wording similarity (rapidfuzz on folded text) plus label agreement plus depth and
order consistency; each outline id is used at most once. Wording outweighs labels,
because a skipped section shifts the unit's numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from parsers.campaign import Campaign, OutlineSection
from parsers.headings import Label, parse_label
from parsers.textnorm import fold

# Filler words that units add or drop freely ("Về …", "Những …", "Một số …").
_FILLERS = re.compile(r"\b(?:ve|viec|nhung|mot so|cac|cua|va|doi voi|tinh hinh chung)\b")
_LEAD_FILLERS = re.compile(r"^(?:(?:ve|viec|nhung|mot so|cac|ket qua|cong tac|danh gia)\s+)+")
_SPACES = re.compile(r"\s+")

MIN_WORDING = 0.4  # below this a pair needs label agreement too
MIN_MERGED = 0.5  # the second topic of a merged heading naming the next section
MIN_WITH_LABEL = 0.22
MIN_WEAK = 0.65  # a)/b) sub-items and other weak candidates
MIN_SAME_HEAD = 0.3  # a title opening with the outline title's first word ("Nguyên nhân …")


# Report vocabulary that units use interchangeably with the outline's words (folded).
_SYNONYMS = (
    (re.compile(r"\b(?:ton tai|yeu kem|bat cap|khuyet diem)\b"), "han che"),  # "Tồn tại, hạn chế"
    (re.compile(r"\bcu the hoa\b"), "the che hoa"),
    # "Những mặt làm được", "Mặt mạnh", "Kết quả nổi bật": what a review calls its strengths.
    (re.compile(r"\b(?:mat (?:lam duoc|duoc|manh|tich cuc)|diem manh|ket qua noi bat)\b"),
     "uu diem"),
    (re.compile(r"\bkinh nghiem rut ra\b"), "bai hoc kinh nghiem"),
)
_REPEATED = re.compile(r"\b(\w+ \w+)(?: \1\b)+")


@lru_cache(maxsize=4096)
def match_key(title: str) -> str:
    """Folded title without filler words, for similarity."""
    key = fold(title)
    for pattern, canonical in _SYNONYMS:
        key = pattern.sub(canonical, key)
    key = _SPACES.sub(" ", _FILLERS.sub(" ", key)).strip()
    return _REPEATED.sub(r"\1", key)


def conjunct_keys(title: str) -> tuple[str, str]:
    """match_key of the parts before and after " và " when a title joins two topics with it
    ("Hạn chế và nguyên nhân"); ("", "") otherwise."""
    folded = fold(title)
    if " va " not in folded:
        return "", ""
    first, rest = folded.split(" va ", 1)
    return match_key(first), match_key(rest)


def _lead(key: str) -> str:
    return _LEAD_FILLERS.sub("", key)


def _same_head(a: str, b: str) -> bool:
    """Both titles open with the same two-syllable word after fillers: "Nguyên nhân khách
    quan, chủ quan" and "Nguyên nhân hạn chế, khó khăn" name the same section."""
    ha, hb = _lead(a).split()[:2], _lead(b).split()[:2]
    return len(ha) == 2 and ha == hb


class Weights:
    """Inverse document frequency of syllables and syllable pairs over the outline titles:
    words shared by many titles ("công tác", "thông tin") say little about which one it is."""

    def __init__(self, keys: list[str]) -> None:
        df: dict[str, int] = {}
        for key in keys:
            for t in set(_terms(key)):
                df[t] = df.get(t, 0) + 1
        self.n = max(len(keys), 1)
        self.df = df
        self.unseen = math.log(1 + self.n)

    def __call__(self, term: str) -> float:
        d = self.df.get(term)
        return self.unseen if d is None else math.log(1 + self.n / d)


def _terms(key: str) -> list[str]:
    """Syllables and adjacent syllable pairs (Vietnamese words are mostly two syllables)."""
    syl = key.split()
    return syl + [f"{a}_{b}" for a, b in zip(syl, syl[1:], strict=False)]


def _profile(key: str, weight: Weights | None) -> tuple[dict[str, float], float, list[str]]:
    terms = set(_terms(key))
    weights = {t: (weight(t) if weight else 1.0) for t in terms}
    return weights, sum(weights.values()), _lead(key).split()


def wording(a: str, b: str, weight: Weights | None = None) -> float:
    """Similarity in [0, 1] of two titles (already passed through match_key)."""
    if not a or not b:
        return 0.0
    return _similarity(_profile(a, weight), _profile(b, weight), a, b)


def _similarity(
    pa: tuple[dict[str, float], float, list[str]],
    pb: tuple[dict[str, float], float, list[str]],
    a: str,
    b: str,
) -> float:
    ta, wa, la = pa
    tb, wb, lb = pb
    inter = sum(w for t, w in ta.items() if t in tb)
    if not inter:
        return 0.0
    containment = inter / min(wa, wb)
    dice = 2 * inter / (wa + wb)
    n = min(len(la), len(lb), 3)
    lead = 0.0
    if n:
        same = 0
        while same < n and la[same] == lb[same]:
            same += 1
        lead = same / n
    fuzzy = fuzz.token_sort_ratio(a, b, processor=None) / 100.0
    return 0.45 * containment + 0.25 * dice + 0.2 * lead + 0.1 * fuzzy


@dataclass
class Node:
    """A heading of the unit's document in its tree."""

    key: str
    label: Label | None
    weak: bool = False
    soft: bool = False  # a plain-format line: a heading only if its wording matches
    first_key: str = ""  # key of the first conjunct of a merged title ("A và B" → A)
    rest_key: str = ""  # … and of the rest (B): it may be the next outline section
    also_covers: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    section_id: str | None = None
    confidence: float = 0.0


@dataclass(frozen=True)
class _Target:
    section: OutlineSection
    key: str
    label: Label | None
    index: int  # position among the outline's sections under the same parent


def _outline_label(section: OutlineSection) -> Label | None:
    """The outline's label as a Label: "PHẦN THỨ NHẤT", and bare "1" / "II" read as "1." / "II."."""
    if not section.label:
        return None
    label = section.label.strip()
    parsed = parse_label(label + " x") or parse_label(label + ". x")
    return parsed[0] if parsed else None


class OutlineMatcher:
    def __init__(self, campaign: Campaign) -> None:
        self.sections = campaign.sections
        self.children: dict[str | None, list[OutlineSection]] = {}
        for s in self.sections:
            self.children.setdefault(s.parent, []).append(s)
        self.targets: dict[str, _Target] = {}
        for kids in self.children.values():
            for i, s in enumerate(kids):
                self.targets[s.id] = _Target(s, match_key(s.title), _outline_label(s), i)
        self.weights = Weights([t.key for t in self.targets.values()])
        self._profiles: dict[str, tuple[dict[str, float], float, list[str]]] = {}
        self._cache: dict[tuple[str, str], float] = {}

    def wording(self, a: str, b: str) -> float:
        """Cached similarity with the outline's term weights."""
        if not a or not b:
            return 0.0
        hit = self._cache.get((a, b))
        if hit is None:
            if len(self._cache) > 100_000:  # a long-running intake must not grow without bound
                self._cache.clear()
                self._profiles.clear()
            pa = self._profiles.get(a) or self._profiles.setdefault(a, _profile(a, self.weights))
            pb = self._profiles.get(b) or self._profiles.setdefault(b, _profile(b, self.weights))
            hit = self._cache[(a, b)] = _similarity(pa, pb, a, b)
        return hit

    def _candidates(self, parent: str | None) -> list[tuple[_Target, int]]:
        """Outline sections below `parent` down to two levels, with their depth below it."""
        out: list[tuple[_Target, int]] = []
        for child in self.children.get(parent, []):
            out.append((self.targets[child.id], 1))
            for grandchild in self.children.get(child.id, []):
                out.append((self.targets[grandchild.id], 2))
        return out

    def score(self, node: Node, pos: float, target: _Target, depth: int, weak: bool) -> float:
        """Pair score, or -1 when the pair is not acceptable."""
        w = self.wording(node.key, target.key)
        if node.first_key:
            # "Hạn chế, khó khăn và nguyên nhân" merges two sections; it stands for the first.
            w = max(w, self.wording(node.first_key, target.key))
        if w < (MIN_WEAK if weak else MIN_WITH_LABEL):
            return -1.0  # below every threshold that follows: most pairs end here
        fam = _same_kind(node.label, target.label, part_as_roman=depth == 1)
        ord_ = node.label is not None and target.label is not None and (
            node.label.ordinal == target.label.ordinal)
        if weak:
            if w < MIN_WEAK:
                return -1.0
        elif w < MIN_WORDING and not (w >= MIN_WITH_LABEL and ord_ and fam and depth == 1) \
                and not (w >= MIN_SAME_HEAD and _same_head(node.key, target.key)):
            return -1.0
        siblings = len(self.children.get(target.section.parent, [])) or 1
        order = 1.0 - abs(pos - target.index / siblings)
        return (
            w
            + (0.12 if ord_ else 0.0)
            + (0.08 if fam else 0.0)
            + 0.05 * order
            - (0.2 if depth > 1 else 0.0)
        )

    @staticmethod
    def _assign_group(
        group: list[Node], free: list[tuple[_Target, int]], matrix: list[list[float]],
        used: set[str],
    ) -> None:
        for i, j in _assign(matrix):
            node, (target, _) = group[i], free[j]
            node.section_id = target.section.id
            node.confidence = round(max(0.0, min(1.0, matrix[i][j])), 3)
            used.add(target.section.id)

    def match(self, roots: list[Node]) -> None:
        """Set section_id and confidence on every node of the tree, in place."""
        used: set[str] = set()
        self._match_children(None, roots, used)
        self._merged_siblings(roots, used)

    def _merged_siblings(self, nodes: list[Node], used: set[str]) -> None:
        """A heading joining two topics ("Hạn chế và nguyên nhân") matched to one outline
        section also covers the section next to it that its second topic names, when the
        document has no heading of its own for that one."""
        for node in nodes:
            if node.section_id and node.rest_key:
                target = self.targets[node.section_id]
                siblings = self.children.get(target.section.parent, [])
                near = [s for s in siblings[max(target.index - 1, 0):target.index + 2]
                        if s.id != node.section_id and s.id not in used
                        and not self.children.get(s.id)]  # leaves: parts are never merged
                scored = [(self.wording(node.rest_key, self.targets[s.id].key), s.id)
                          for s in near]
                best = max(scored, default=(0.0, ""))
                if best[0] >= MIN_MERGED:
                    node.also_covers.append(best[1])
                    used.add(best[1])
            self._merged_siblings(node.children, used)

    def _match_children(self, parent: str | None, nodes: list[Node], used: set[str]) -> None:
        """Pair `nodes` with the outline's children of `parent`, then recurse. Grandchildren
        (a document without part headings: "1. Công tác lãnh đạo" at the top) are offered
        only after every matched node's own children had their turn, so a late heading
        ("VĂN BẢN TRIỂN KHAI …" in an appendix) cannot take a section its part still holds."""
        if not nodes:
            return
        candidates = self._candidates(parent)
        children = [(t, d) for t, d in candidates if d == 1]
        self._assign_nodes(nodes, children, used)
        self._fill_gaps(nodes, [t for t, _ in children], used)
        for node in nodes:
            if node.section_id:
                self._match_children(node.section_id, node.children, used)
        rest = [n for n in nodes if not n.section_id]
        self._assign_nodes(rest, [(t, d) for t, d in candidates if d == 2], used)
        self._fill_gaps(nodes, [t for t, _ in candidates], used)
        for node in rest:
            # Under a heading that matches nothing, its children keep the outer context.
            self._match_children(node.section_id or parent, node.children, used)

    def _fill_gaps(self, nodes: list[Node], outline: list[_Target], used: set[str]) -> None:
        """Numbered headings whose wording names no section ("I. Kết quả cụ thể", "1. Những
        việc đã làm tốt") placed by structure. Between two headings that matched, the outline
        sections still free between theirs are the only places left: a single heading there
        takes a single free section; otherwise each heading takes the free section numbered
        like it (same number, same kind of label), in order, when a matched neighbour or a
        run of such headings backs the numbering up."""
        where = {t.section.id: k for k, t in enumerate(outline)}
        placed = [(k, where[n.section_id]) for k, n in enumerate(nodes) if n.section_id in where]
        bounds = [(-1, -1), *placed, (len(nodes), len(outline))]
        for (a, lo), (b, hi) in zip(bounds, bounds[1:], strict=False):
            waiting = [nodes[k] for k in range(a + 1, b)
                       if nodes[k].section_id is None and nodes[k].label is not None
                       and not (nodes[k].weak or nodes[k].soft)]
            free = [t for t in outline[lo + 1 : hi] if t.section.id not in used]
            if not waiting or not free:
                continue
            if a >= 0 and b < len(nodes) and len(waiting) == 1 and len(free) == 1:
                self._place(waiting[0], free[0], used)
                continue
            pairs: list[tuple[Node, _Target]] = []
            last = -1
            for node in waiting:
                fits = [i for i, t in enumerate(free) if i > last
                        and _numbered_alike(node.label, t.label)]
                if len(fits) == 1:
                    pairs.append((node, free[fits[0]]))
                    last = fits[0]
            # Numbers alone are evidence only beside a matched neighbour, or as a run of
            # several ("I." and "II." under a part whose Roman sections both read differently).
            if pairs and (a >= 0 or b < len(nodes) or len(pairs) >= 2):
                for node, target in pairs:
                    self._place(node, target, used)

    @staticmethod
    def _place(node: Node, target: _Target, used: set[str]) -> None:
        node.section_id, node.confidence = target.section.id, 0.5
        used.add(target.section.id)

    def _assign_nodes(self, nodes: list[Node], targets: list[tuple[_Target, int]],
                      used: set[str]) -> None:
        targets = [(t, d) for t, d in targets if t.section.id not in used]
        strong = [n for n in nodes if not n.weak]
        weak = [n for n in nodes if n.weak]
        for group, is_weak in ((strong, False), (weak, True)):
            free = [(t, d) for t, d in targets if t.section.id not in used]
            n = len(group)
            matrix = [
                [self.score(node, i / max(n, 1), t, d, is_weak) for t, d in free]
                for i, node in enumerate(group)
            ]
            self._assign_group(group, free, matrix, used)
        matched = [n for n in weak if n.section_id]
        rest = [n for n in weak if not n.section_id]
        if rest and len(matched) >= 2 and len(matched) * 2 >= len(weak):
            # Most of an a)/b)/c) series are outline headings: the series is a heading level,
            # so its other items need only the ordinary wording threshold.
            free = [(t, d) for t, d in targets if t.section.id not in used]
            index = {id(n): k for k, n in enumerate(weak)}
            matrix = [
                [self.score(node, index[id(node)] / len(weak), t, d, False) for t, d in free]
                for node in rest
            ]
            self._assign_group(rest, free, matrix, used)


def _same_kind(a: Label | None, b: Label | None, part_as_roman: bool = True) -> bool:
    """The same kind of label; "PHẦN THỨ HAI" and "II." count as one where parts may be
    numbered in Roman figures (directly below the outline's top)."""
    if a is None or b is None:
        return False
    return a.family == b.family or (part_as_roman and {a.family, b.family} <= {"part", "roman"})


def _numbered_alike(a: Label | None, b: Label | None) -> bool:
    """Same number and the same kind of label."""
    return a is not None and b is not None and a.ordinal == b.ordinal and _same_kind(a, b)


_MATCHERS: dict[int, tuple[Campaign, OutlineMatcher]] = {}


def matcher_for(campaign: Campaign) -> OutlineMatcher:
    """One matcher per campaign object (its term weights and caches are reused)."""
    hit = _MATCHERS.get(id(campaign))
    if hit is None or hit[0] is not campaign:
        if len(_MATCHERS) > 16:
            _MATCHERS.clear()
        hit = _MATCHERS[id(campaign)] = (campaign, OutlineMatcher(campaign))
    return hit[1]


def _assign(matrix: list[list[float]]) -> list[tuple[int, int]]:
    """Max-weight assignment of rows to columns over acceptable (>= 0) pairs.

    Rows that share no acceptable column cannot compete, so each connected group of rows
    and columns is solved on its own: most headings fit one or two sections, and the exact
    search below then runs over a handful of small groups instead of the whole matrix."""
    acceptable = [[j for j, s in enumerate(row) if s >= 0] for row in matrix]
    owner: dict[int, int] = {}  # column → the group (its first row) that reaches it
    parent = list(range(len(matrix)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, cols in enumerate(acceptable):
        for j in cols:
            k = owner.setdefault(j, i)
            if k != i:
                parent[root(i)] = root(k)
    groups: dict[int, list[int]] = {}
    for i, cols in enumerate(acceptable):
        if cols:
            groups.setdefault(root(i), []).append(i)
    out: list[tuple[int, int]] = []
    for rows in groups.values():
        if len(rows) == 1:
            row = matrix[rows[0]]
            out.append((rows[0], max(acceptable[rows[0]], key=row.__getitem__)))
            continue
        cols = sorted({j for i in rows for j in acceptable[i]})
        small = [[matrix[i][j] for j in cols] for i in rows]
        out.extend((rows[a], cols[b]) for a, b in _assign_dense(small))
    return sorted(out)


def _assign_dense(matrix: list[list[float]]) -> list[tuple[int, int]]:
    rows = len(matrix)
    cols = len(matrix[0])
    if cols > 12 or rows > 24:
        return _greedy(matrix)
    # DP over rows with a bitmask of used columns; small outlines make this cheap.
    best: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {0: (0.0, ())}
    for i in range(rows):
        nxt: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {}
        for mask, (total, pairs) in best.items():
            if total > nxt.get(mask, (-1.0,))[0]:
                nxt[mask] = (total, pairs)  # row i left unmatched
            for j in range(cols):
                s = matrix[i][j]
                if s < 0 or mask >> j & 1:
                    continue
                m2 = mask | 1 << j
                cand = (total + s + 0.3, (*pairs, (i, j)))  # bonus: prefer matching more rows
                if cand[0] > nxt.get(m2, (-1.0,))[0]:
                    nxt[m2] = cand
        best = nxt
    return list(max(best.values(), key=lambda v: v[0])[1])


def _greedy(matrix: list[list[float]]) -> list[tuple[int, int]]:
    pairs = sorted(
        ((s, i, j) for i, row in enumerate(matrix) for j, s in enumerate(row) if s >= 0),
        reverse=True,
    )
    used_r: set[int] = set()
    used_c: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_r and j not in used_c:
            used_r.add(i)
            used_c.add(j)
            out.append((i, j))
    return out
