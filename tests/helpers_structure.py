"""Hand-built Documents (parsers.model) for the structure, header and table tests."""

from __future__ import annotations

from pathlib import Path

from parsers.campaign import Campaign, campaign_from_toml
from parsers.model import Cell, Document, Footnote, Paragraph, Table
from parsers.textnorm import is_upper_text

REPO = Path(__file__).resolve().parents[1]


def campaign() -> Campaign:
    return campaign_from_toml((REPO / "config" / "campaign-ct07-2022.toml").read_text("utf-8"))


def P(text: str, **kw: object) -> Paragraph:  # noqa: N802 - reads like the document
    """A body paragraph (justified, not bold)."""
    kw.setdefault("alignment", "both")
    kw.setdefault("caps", is_upper_text(text))
    return Paragraph(text=text, **kw)  # type: ignore[arg-type]


def H(text: str, **kw: object) -> Paragraph:  # noqa: N802
    """A bold heading paragraph as units type them."""
    kw.setdefault("bold", True)
    return P(text, **kw)


def C(text: str, **kw: object) -> Paragraph:  # noqa: N802
    """A centred bold line (part headings, titles)."""
    kw.setdefault("bold", True)
    kw.setdefault("alignment", "center")
    return P(text, **kw)


def FN(text: str, note: str) -> Paragraph:  # noqa: N802
    return P(text, footnotes=[Footnote(id="1", text=note)])


def cell(*lines: str) -> Cell:
    return Cell(paragraphs=[Paragraph(text=line) for line in lines])


def table(rows: list[list[str]], borderless: bool = False) -> Table:
    return Table(rows=[[cell(*c.split("\n")) for c in row] for row in rows], borderless=borderless)


def header_table(left: list[str], right: list[str]) -> Table:
    return Table(rows=[[cell(*left), cell(*right)]], borderless=True)


STANDARD_HEADER = header_table(
    ["ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH PHÚ THỌ", "CHI BỘ SỞ TƯ PHÁP", "*", "Số 15-BC/CB"],
    ["ĐẢNG CỘNG SẢN VIỆT NAM", "Việt Trì, ngày 12 tháng 7 năm 2022"],
)

TITLE = [
    C("BÁO CÁO"),
    C("Sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW ngày 05/9/2016 của Ban Bí thư"),
    C("-----", bold=False),
    P("Căn cứ Kế hoạch số 112-KH/ĐUK ngày 14/6/2022 của Ban Thường vụ Đảng uỷ Khối, "
      "Chi bộ Sở Tư pháp báo cáo kết quả như sau:"),
]

SIGNATURE = [
    table([["Nơi nhận:\n- Ban Tuyên giáo Đảng uỷ Khối;\n- Lưu.", "T/M CHI BỘ\nBÍ THƯ\nNguyễn Văn A"]],
          borderless=True),
]


def report(*blocks: Paragraph | Table, header: Table | None = STANDARD_HEADER) -> Document:
    """A whole report: header table, title, intro, the given body, signature."""
    head: list[Paragraph | Table] = [header] if header is not None else []
    return Document(blocks=[*head, *TITLE, *blocks, *SIGNATURE])


def body(words: str = "Chi bộ đã tổ chức quán triệt đầy đủ nội dung cho cán bộ, đảng viên.") -> Paragraph:
    return P("- " + words)
