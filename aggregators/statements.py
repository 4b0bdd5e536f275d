"""Representative, distinct statements from unit reports, per outline section.

A dozen units writing the same sentence (give or take their own name and figures)
become one cluster; clusters are ranked by how many units share them and how typical
their sentence is, and near-duplicates never reach the draft twice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from aggregators.records import UnitStatus

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“(]?[A-ZÀ-ỸĐ0-9])")
_BULLET = re.compile(r"^\s*(?:[-+•*–—]|[a-zđ]\)|\d+[.)])\s*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Candidate:
    """One sentence of one unit's section text."""

    unit_id: str
    unit_name: str
    section: str
    sentence: str
    file: str | None
    message_id: str | None
    folded: str = field(default="", compare=False)


@dataclass
class Statement:
    """A cluster of near-identical sentences; `sources[0]` is the representative."""

    section: str
    sources: list[Candidate]

    @property
    def text(self) -> str:
        return self.sources[0].sentence

    @property
    def unit_names(self) -> list[str]:
        seen: dict[str, str] = {}
        for c in self.sources:
            seen.setdefault(c.unit_id, c.unit_name)
        return list(seen.values())

    @property
    def same_figures(self) -> bool:
        """All sentences carry the same numbers (so one sentence can speak for all)."""
        figures = {tuple(_DIGITS.findall(c.sentence)) for c in self.sources}
        return len(figures) == 1


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base if len(base) == 1 else c


# Latin, Latin Extended and Vietnamese (U+1E00-U+1EFF): every character that folds.
_FOLD_TABLE = {
    cp: folded for cp in range(0x41, 0x2000) if (folded := _fold_char(chr(cp))) != chr(cp)
}


def fold_aligned(text: str) -> str:
    """Lower case without diacritics, one character per input character (indices align)."""
    return text.translate(_FOLD_TABLE).lower()


def fold(text: str, names: tuple[str, ...] = ()) -> str:
    """Comparison key: no diacritics, numbers as 0, the unit's own names as `donvi`."""
    folded = fold_aligned(unicodedata.normalize("NFC", text))
    for name in names:
        key = fold_aligned(name)
        if key:
            folded = folded.replace(key, " donvi ")
    folded = _NUMBER.sub("0", folded)
    folded = re.sub(r"[^\w\s]", " ", folded)
    return " ".join(folded.split())


def split_sentences(text: str) -> list[str]:
    """Sentences of a section's text: per paragraph, then at sentence ends."""
    out: list[str] = []
    for para in text.splitlines():
        para = _BULLET.sub("", para.strip())
        if not para:
            continue
        out.extend(s.strip() for s in _SENTENCE_END.split(para) if s.strip())
    return out


def candidates(
    statuses: list[UnitStatus],
    section_id: str,
    *,
    names: dict[str, tuple[str, ...]] | None = None,
    min_chars: int = 40,
    max_chars: int = 450,
    skip: tuple[str, ...] = (),
) -> list[Candidate]:
    """Sentences every counted unit wrote under `section_id`, folded for comparison."""
    names = names or {}
    skip_keys = tuple(fold_aligned(s) for s in skip)
    out: list[Candidate] = []
    for status in statuses:
        sub = status.submission
        if sub is None or not sub.ok or sub.result is None:
            continue
        own = tuple(sorted({status.name, *names.get(status.id, ())}, key=len, reverse=True))
        seen: set[str] = set()
        for section in sub.result.sections:
            if section.id != section_id and section_id not in section.also_covers:
                continue
            for sentence in split_sentences(section.text):
                if not min_chars <= len(sentence) <= max_chars:
                    continue
                key = fold(sentence, own)
                plain = fold_aligned(sentence)
                if key in seen or any(s in plain for s in skip_keys):
                    continue
                seen.add(key)
                out.append(Candidate(
                    unit_id=status.id, unit_name=status.name, section=section_id,
                    sentence=sentence, file=sub.file or sub.result.file,
                    message_id=sub.message_id, folded=key,
                ))
    return out


MAX_CLUSTERED = 2000  # sentences compared pairwise (2000² ratios ≈ 0.5 s, 4 MB)


def select_statements(
    cands: list[Candidate], *, limit: int = 6, similarity: float = 80, distinct: float = 70
) -> list[Statement]:
    """The `limit` most representative clusters, mutually distinct.

    Greedy leader clustering around the most central sentences: a sentence's
    centrality is its mean likeness to every other sentence of the section.
    """
    if not cands:
        return []
    if len(cands) > MAX_CLUSTERED:
        return _select_from_sample(cands, limit=limit, similarity=similarity, distinct=distinct)
    keys = [c.folded for c in cands]
    scores = process.cdist(keys, keys, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
    n = len(cands)
    np.fill_diagonal(scores, 0)
    centrality = scores.sum(axis=1, dtype=np.float64) / max(n - 1, 1)
    close = scores >= similarity
    order = np.lexsort((-centrality, -close.sum(axis=1)))  # most neighbours, then most typical
    assigned = np.zeros(n, dtype=bool)
    clusters: list[list[int]] = []
    for i in order:
        if assigned[i]:
            continue
        members = [i] + [int(j) for j in np.flatnonzero(close[i] & ~assigned) if j != i]
        assigned[members] = True
        clusters.append(members)

    def rank(members: list[int]) -> tuple:
        units = len({cands[m].unit_id for m in members})
        return (-units, -float(centrality[members[0]]))

    clusters.sort(key=rank)
    chosen: list[Statement] = []
    chosen_keys: list[str] = []
    used_units: dict[str, int] = {}
    # Two passes: first one statement per unit at most (breadth), then fill up.
    for per_unit_cap in (1, limit):
        for members in clusters:
            if len(chosen) >= limit:
                break
            head = _representative(members, cands, scores)
            if head.folded in chosen_keys:
                continue
            if any(fuzz.ratio(head.folded, k) >= distinct for k in chosen_keys):
                continue
            if len(members) == 1 and used_units.get(head.unit_id, 0) >= per_unit_cap:
                continue
            sources = [head] + [cands[m] for m in members if cands[m] is not head]
            chosen.append(Statement(section=head.section, sources=sources))
            chosen_keys.append(head.folded)
            used_units[head.unit_id] = used_units.get(head.unit_id, 0) + 1
    return chosen


def _select_from_sample(
    cands: list[Candidate], *, limit: int, similarity: float, distinct: float
) -> list[Statement]:
    """select_statements for very many sentences: the clustering compares every pair, so it
    runs on an evenly spread sample of MAX_CLUSTERED; each chosen statement then gathers
    its sources from all the sentences (a bloc of 10 000 units has ~30 000 per section)."""
    step = len(cands) / MAX_CLUSTERED
    sample = [cands[int(k * step)] for k in range(MAX_CLUSTERED)]
    chosen = select_statements(sample, limit=limit, similarity=similarity, distinct=distinct)
    if not chosen:
        return chosen
    heads = [statement.sources[0] for statement in chosen]
    scores = process.cdist([h.folded for h in heads], [c.folded for c in cands],
                           scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
    taken = {id(h) for h in heads}
    out: list[Statement] = []
    for row, head in zip(scores, heads, strict=True):
        sources = [head]
        for j in np.flatnonzero(row >= similarity):
            cand = cands[int(j)]
            if id(cand) not in taken:
                taken.add(id(cand))
                sources.append(cand)
        out.append(Statement(section=head.section, sources=sources))
    return out


def _representative(members: list[int], cands: list[Candidate], scores: np.ndarray) -> Candidate:
    """The member most like the others, preferring one without figures (it speaks for all)."""
    if len(members) == 1:
        return cands[members[0]]
    sub = scores[np.ix_(members, members)].sum(axis=1)
    best = sorted(
        range(len(members)),
        key=lambda k: (bool(_DIGITS.search(cands[members[k]].sentence)), -int(sub[k])),
    )[0]
    return cands[members[best]]


def strip_subject(sentence: str, names: tuple[str, ...], heads: tuple[str, ...]) -> str | None:
    """The predicate once the unit as subject is removed, or None when there is none.

    "Chi bộ Sở Tư pháp đã ban hành …" → "đã ban hành …". The result must start
    with a lower-case word that does not continue the subject ("và", "cùng").
    """
    folded = fold_aligned(sentence)
    pos = _match_prefix(folded, 0, heads + names)
    if pos is None:
        return None
    more = _match_prefix(folded, _skip_space(folded, pos), names)
    if more is not None:
        pos = more
    rest = sentence[pos:].lstrip(" ,")
    if not rest or not rest[0].islower():
        return None
    first = fold_aligned(rest.split(maxsplit=1)[0])
    if first in {"va", "cung", "voi", "cua", "tinh", "co", "quan"}:
        return None
    return rest


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _match_prefix(folded: str, pos: int, options: tuple[str, ...]) -> int | None:
    for option in sorted(options, key=len, reverse=True):
        key = fold_aligned(option)
        end = pos + len(key)
        if key and folded.startswith(key, pos) and (end == len(folded) or not folded[end].isalnum()):
            return end
    return None
