"""The consolidated draft's content: headings, the bloc's figures in sentences,
representative unit statements, appendices — each figure and quote with its sources.

Pure: unit statuses, campaign, registry and the wording (templates/draft.toml, already
loaded) in; a `Draft` out. Totals come from aggregators.dataset only, so the draft,
the exports and the digest can never disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import jinja2
import pandas as pd

from aggregators import dataset
from aggregators.records import UnitStatus
from aggregators.statements import (
    Statement,
    candidates,
    select_statements,
    strip_subject,
)
from aggregators.vnformat import QUALIFIER_WORDS, format_money, format_number, format_quantity
from parsers.campaign import Campaign, OutlineSection
from parsers.units import Registry

_VALUE = "\x00VALUE\x00"
_EXACT = "\x00EXACT\x00"
_SPLIT = re.compile("(\x00VALUE\x00|\x00EXACT\x00)")


@dataclass
class Span:
    text: str
    comment: str | None = None  # where a figure or quote came from
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    spans: list[Span]
    kind: str = "body"  # "body" | "note"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass
class Contribution:
    unit_id: str
    unit_name: str
    value: float
    qualifier: str | None
    section: str | None
    file: str | None
    message_id: str | None
    sentence: str


@dataclass
class TotalFigure:
    indicator: str
    label: str
    value: float
    lower_bound: bool
    units_reporting: int
    money: bool
    text: str  # as written in the draft: "trên 1.250", "2,636 tỷ đồng"
    exact: str | None  # money only: "2.636.000.000 đồng"
    section: str | None  # outline section where most of its facts sit
    contributions: list[Contribution] = field(default_factory=list)
    comment: str = ""


@dataclass
class DraftSection:
    id: str
    label: str
    title: str
    level: int
    heading: str  # the heading line(s); a part's label and title are separated by "\n"
    totals: list[TotalFigure]
    statements: list[Statement]
    paragraphs: list[Paragraph]


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    widths_cm: list[float] | None = None
    font_size: int | None = None
    bold_last_row: bool = False


@dataclass
class Appendix:
    title: str
    subtitle: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    landscape: bool = False


@dataclass
class Draft:
    header: dict[str, str]  # parent, issuer, star, number, nation, date_line
    doc_type: str
    title: str
    title_rule: str
    intro: list[Paragraph]
    sections: list[DraftSection]
    totals: list[TotalFigure]
    appendices: list[Appendix]
    recipients_title: str
    recipients: list[str]
    signature: list[str]
    signature_blank_lines: int
    layout: dict


class _Words:
    """Renders the jinja2 strings of the template file, compiled once."""

    def __init__(self, phrases: dict):
        self.phrases = phrases
        self.env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
        self._cache: dict[str, jinja2.Template] = {}

    def render(self, source: str, **values) -> str:
        template = self._cache.get(source)
        if template is None:
            template = self._cache[source] = self.env.from_string(source)
        return template.render(**values)

    def get(self, group: str, key: str, **values) -> str:
        return self.render(self.phrases[group][key], **values)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def issuer_short(campaign: Campaign) -> str:
    """The issuer without the province its parent already names ("… tỉnh Phú Thọ")."""
    parent = campaign.issuer_parent
    place = parent.split(" tỉnh ", 1)[1] if " tỉnh " in parent else ""
    if place and campaign.issuer.endswith(" " + place):
        return campaign.issuer[: -len(place) - 1]
    return campaign.issuer


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fact_value_text(value: float, qualifier: str | None, money: bool) -> str:
    text = format_money(value) if money else format_number(value)
    word = QUALIFIER_WORDS.get(qualifier or "")
    return f"{word} {text}" if word else text


def _place_totals(facts: pd.DataFrame, campaign: Campaign) -> dict[str, str | None]:
    """Indicator → the outline section holding most of its facts (ties: outline order)."""
    order = {s.id: k for k, s in enumerate(campaign.sections)}
    located = facts[facts["section"].isin(order)]
    fallback = None
    if not located.empty:
        counts = Counter(located["section"])
        fallback = min(counts, key=lambda s: (-counts[s], order[s]))
    out: dict[str, str | None] = {}
    for indicator, group in located.groupby("indicator", sort=False):
        counts = Counter(group["section"])
        out[str(indicator)] = min(counts, key=lambda s: (-counts[s], order[s]))
    for ind in campaign.indicators:
        out.setdefault(ind.id, fallback or (campaign.sections[0].id if campaign.sections else None))
    return out


def _totals(
    facts: pd.DataFrame, totals: pd.DataFrame, campaign: Campaign, words: _Words
) -> list[TotalFigure]:
    placement = _place_totals(facts, campaign)
    comments = words.phrases["comments"]
    max_lines = int(comments.get("max_lines", 25))
    clip = int(comments.get("max_sentence_chars", 220))
    by_indicator = {str(k): g for k, g in facts.groupby("indicator", sort=False)}
    out: list[TotalFigure] = []
    for row in totals.itertuples(index=False):
        ind = campaign.indicator(row.indicator)
        money = (ind.unit or "").upper() == "VND"
        value = row.value.item() if hasattr(row.value, "item") else row.value
        figure = TotalFigure(
            indicator=row.indicator, label=row.label, value=value,
            lower_bound=bool(row.lower_bound), units_reporting=int(row.units_reporting),
            money=money, text=format_quantity(value, bool(row.lower_bound), money=money),
            exact=f"{format_number(value)} đồng" if money else None,
            section=placement.get(row.indicator),
        )
        group = by_indicator.get(row.indicator)
        if group is not None:
            figure.contributions = [
                Contribution(
                    unit_id=r.unit_id, unit_name=r.unit_name, value=r.value,
                    qualifier=r.qualifier if isinstance(r.qualifier, str) else None,
                    section=r.section if isinstance(r.section, str) else None,
                    file=r.file, message_id=r.message_id, sentence=r.sentence or "",
                )
                for r in group.itertuples(index=False)
            ]
        lines = [words.get(
            "comments", "total_head", label=figure.label, text=figure.text, exact=figure.exact,
            n_facts=len(figure.contributions), n_units=figure.units_reporting,
            lower_bound=figure.lower_bound,
        )]
        for c in figure.contributions[:max_lines]:
            lines.append(words.get(
                "comments", "total_line", unit=c.unit_name,
                value=_fact_value_text(c.value, c.qualifier, money),
                file=c.file or "?", sentence=_clip(c.sentence, clip),
            ))
        if len(figure.contributions) > max_lines:
            lines.append(words.get(
                "comments", "total_more", n=len(figure.contributions) - max_lines))
        figure.comment = "\n".join(lines)
        out.append(figure)
    return out


def _figure_spans(template: str, figure: TotalFigure, words: _Words, **values) -> list[Span]:
    text = words.render(template, value=_VALUE, exact=_EXACT, label=figure.label, **values)
    spans: list[Span] = []
    for piece in _SPLIT.split(text):
        if piece == _VALUE:
            spans.append(Span(figure.text, comment=figure.comment))
        elif piece == _EXACT:
            spans.append(Span(figure.exact or figure.text, comment=figure.comment))
        elif piece:
            spans.append(Span(piece))
    return spans


def _summary(figures: list[TotalFigure], words: _Words) -> list[Paragraph]:
    """The bloc's figures for one section as sentences: lead + clauses joined by "; "."""
    body = words.phrases["body"]
    templates = words.phrases["indicators"]
    per = max(1, int(body.get("clauses_per_sentence", 3)))
    leads = list(body.get("leads", [""])) or [""]
    sentences: list[list[Span]] = []
    shown = [f for f in figures if f.units_reporting > 0]
    for start in range(0, len(shown), per):
        chunk = shown[start : start + per]
        spans: list[Span] = [Span(leads[min(len(sentences), len(leads) - 1)])]
        for k, figure in enumerate(chunk):
            if k:
                spans.append(Span("; "))
            source = templates.get(figure.indicator, templates["default"])
            spans.extend(_figure_spans(source, figure, words))
        spans.append(Span("."))
        spans = [s for s in spans if s.text]
        if spans and not spans[0].comment:
            spans[0].text = spans[0].text[:1].upper() + spans[0].text[1:]
        sentences.append(spans)
    if not sentences:
        return []
    # One paragraph: the sentences of a section's figures read as one passage.
    merged: list[Span] = []
    for k, spans in enumerate(sentences):
        if k:
            merged.append(Span(" "))
        merged.extend(spans)
    return [Paragraph(merged)]


def _statement_paragraph(st: Statement, words: _Words, heads: tuple[str, ...],
                         names: dict[str, tuple[str, ...]]) -> Paragraph:
    conf = words.phrases["statements"]
    comments = words.phrases["comments"]
    clip = int(comments.get("max_sentence_chars", 220))
    max_sources = int(comments.get("max_sources", 8))
    units = st.unit_names
    text = st.text.rstrip(" .;:")
    if len(units) == 1:
        line = words.get("statements", "single", text=text, unit=units[0])
    elif not st.same_figures:
        # Different figures: one unit's sentence cannot speak for all of them.
        line = words.get("statements", "similar", text=text, unit=units[0],
                         others=", ".join(units[1:]))
    else:
        head = st.sources[0]
        own = (head.unit_name, *names.get(head.unit_id, ()))
        predicate = strip_subject(text, own, heads)
        many = len(units) >= int(conf.get("many_threshold", 4))
        listed = ", ".join(units[: int(conf.get("max_names", 3))])
        if len(units) > int(conf.get("max_names", 3)):
            listed += ", …"
        if predicate:
            line = words.get("statements", "many" if many else "some",
                             predicate=predicate, units=listed, count=len(units))
        else:
            line = words.get("statements", "many_quote" if many else "some_quote",
                             text=text, units=listed, count=len(units))
    notes = [
        words.get("comments", "statement_line", unit=c.unit_name, file=c.file or "?",
                  message_id=c.message_id, sentence=_clip(c.sentence, clip))
        for c in st.sources[:max_sources]
    ]
    if len(st.sources) > max_sources:
        notes.append(words.get("comments", "statement_more", n=len(st.sources) - max_sources))
    return Paragraph([Span(line, comment="\n".join(notes))])


def _heading(section: OutlineSection, words: _Words) -> str:
    if section.level == 1:
        label = words.get("headings", "part", label=section.label, title=section.title)
        return f"{label}\n{section.title}"
    return words.get("headings", "section", label=section.label, title=section.title)


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        d = datetime.fromisoformat(str(value)).date()
    except ValueError:
        return str(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _when(moment: datetime | None, tz: str) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(tz))
    return moment.strftime("%d/%m/%Y %H:%M")


def _appendices(statuses: list[UnitStatus], campaign: Campaign, facts: pd.DataFrame,
                figures: list[TotalFigure], words: _Words) -> list[Appendix]:
    conf = words.phrases["appendices"]
    layout = words.phrases["layout"]
    docs = dataset.documents_frame(statuses)
    doc_rows = [
        [str(k), r.unit_name, r.so_hieu or "", r.ten_van_ban or "", _date(r.ngay_ban_hanh)]
        for k, r in enumerate(docs.itertuples(index=False), start=1)
    ]
    documents = Appendix(
        title=conf["documents_title"], subtitle=conf["documents_subtitle"],
        tables=[Table("", list(conf["documents_headers"]), doc_rows,
                      widths_cm=[1.0, 4.0, 3.0, 5.7, 2.5])] if doc_rows else [],
        notes=[] if doc_rows else [conf["documents_empty"]],
    )

    no_data = conf.get("no_data", "—")
    totals_rows = [
        [str(k), f.label,
         (f"{f.text} ({f.exact})" if f.exact else f.text) if f.units_reporting else no_data,
         str(f.units_reporting)]
        for k, f in enumerate(figures, start=1)
    ]
    wide = dataset.units_by_indicator(facts, statuses, campaign)
    counted = {s.id for s in statuses if s.submission is not None and s.submission.ok}
    wide = wide[wide["unit_id"].isin(counted)]
    headers = list(conf["by_unit_first_headers"]) + [
        ind.label + (conf.get("money_header_suffix", "") if (ind.unit or "").upper() == "VND"
                     else "")
        for ind in campaign.indicators
    ]
    unit_rows = []
    for k, r in enumerate(wide.itertuples(index=False), start=1):
        cells = [str(k), r.unit_name]
        for ind in campaign.indicators:
            v = getattr(r, ind.id)
            cells.append(format_number(v) if v else "")
        unit_rows.append(cells)
    unit_rows.append(["", conf["total_row"]] + [
        format_quantity(f.value, f.lower_bound) if f.units_reporting else "" for f in figures
    ])
    n = len(campaign.indicators)
    money_cols = sum(1 for i in campaign.indicators if (i.unit or "").upper() == "VND")
    free = 25.7 - 0.7 - 3.2 - 2.2 * money_cols
    each = round(free / max(n - money_cols, 1), 2)
    widths = [0.7, 3.2] + [
        2.2 if (i.unit or "").upper() == "VND" else each for i in campaign.indicators
    ]
    figures_app = Appendix(
        title=conf["figures_title"], subtitle=conf["figures_subtitle"], landscape=True,
        tables=[
            Table(conf["totals_caption"], list(conf["totals_headers"]), totals_rows,
                  widths_cm=[1.2, 11.0, 8.0, 4.0], font_size=int(layout.get("table_size", 12))),
            Table(conf["by_unit_caption"], headers, unit_rows, widths_cm=widths,
                  font_size=int(layout.get("wide_table_size", 8)), bold_last_row=True),
        ],
    )

    names = conf["status_names"]
    rank = {"on_time": 0, "late": 1, "missing": 2}
    ordered = sorted(statuses, key=lambda s: rank.get(s.status, 3))
    status_rows = [
        [str(k), s.name, names.get(s.status, s.status), _when(s.submitted_at, campaign.timezone),
         s.file or ""]
        for k, s in enumerate(ordered, start=1)
    ]
    counts = Counter(s.status for s in statuses)
    status_app = Appendix(
        title=conf["status_title"], subtitle=conf["status_subtitle"],
        tables=[Table("", list(conf["status_headers"]), status_rows,
                      widths_cm=[1.0, 5.5, 2.5, 3.2, 4.0])],
        notes=[words.get("appendices", "status_summary", on_time=counts.get("on_time", 0),
                         late=counts.get("late", 0), missing=counts.get("missing", 0))],
    )
    return [documents, figures_app, status_app]


def unit_names(registry: Registry) -> dict[str, tuple[str, ...]]:
    """Unit id → its name and aliases, to recognise a unit speaking of itself."""
    return {u.id: (u.name, *u.aliases) for u in registry.units}


def build_draft(
    statuses: list[UnitStatus],
    campaign: Campaign,
    registry: Registry,
    phrases: dict,
    *,
    facts: pd.DataFrame | None = None,
    totals: pd.DataFrame | None = None,
) -> Draft:
    """The draft's content model; `phrases` is templates/draft.toml as a dict."""
    words = _Words(phrases)
    if facts is None:
        facts = dataset.facts_frame(statuses, campaign)
    if totals is None:
        totals = dataset.totals_frame(facts, campaign)
    figures = _totals(facts, totals, campaign, words)
    names = unit_names(registry)
    conf = phrases["statements"]
    heads = tuple(conf.get("subject_heads", ()))
    body = phrases["body"]

    sections: list[DraftSection] = []
    for outline in campaign.sections:
        mine = [f for f in figures if f.section == outline.id and f.units_reporting > 0]
        cands = candidates(
            statuses, outline.id, names=names,
            min_chars=int(conf.get("min_chars", 40)), max_chars=int(conf.get("max_chars", 450)),
            skip=tuple(conf.get("skip", ())),
        )
        chosen = select_statements(
            cands, limit=int(conf.get("limit", 6)),
            similarity=float(conf.get("similarity", 80)), distinct=float(conf.get("distinct", 70)),
        )
        paragraphs = _summary(mine, words)
        if chosen and paragraphs and body.get("statements_intro"):
            paragraphs.append(Paragraph([Span(body["statements_intro"])]))
        paragraphs += [_statement_paragraph(st, words, heads, names) for st in chosen]
        has_children = any(s.parent == outline.id for s in campaign.sections)
        if not paragraphs and not has_children:
            paragraphs = [Paragraph([Span(body["empty_section"], italic=True)], kind="note")]
        sections.append(DraftSection(
            id=outline.id, label=outline.label, title=outline.title, level=outline.level,
            heading=_heading(outline, words), totals=mine, statements=chosen,
            paragraphs=paragraphs,
        ))

    counted = [s for s in statuses if s.submission is not None and s.submission.ok]
    context = {
        "campaign": campaign,
        "issuer_short": issuer_short(campaign),
        "year": campaign.draft_deadline.year,
        "reported": len(counted),
        "expected": len(statuses),
        "title_lower": _lower_first(campaign.title),
    }
    header = {key: words.get("header", key, **context)
              for key in ("parent", "issuer", "star", "number", "nation", "date_line")}
    closing = phrases["closing"]
    return Draft(
        header=header,
        doc_type=words.get("header", "doc_type", **context),
        title=words.get("header", "title", **context),
        title_rule=words.get("header", "title_rule", **context),
        intro=[Paragraph([Span(words.get("body", "intro", **context))])],
        sections=sections,
        totals=figures,
        appendices=_appendices(statuses, campaign, facts, figures, words),
        recipients_title=closing["recipients_title"],
        recipients=list(closing["recipients"]),
        signature=list(closing["signature"]),
        signature_blank_lines=int(closing.get("signature_blank_lines", 4)),
        layout=dict(phrases.get("layout", {})),
    )

