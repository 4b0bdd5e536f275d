"""Time the consolidated draft for a synthetic bloc (default 100 units).

    .venv/bin/python bench/bench_draft.py [--units 100] [--out /tmp/bench-draft.docx]

Each unit writes ~10 sentences per outline section: some shared by many units in
their own name (to be merged), some paraphrased, some its own; ~30 indicator facts
and ~8 rows of the documents table.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aggregators.draft import build_draft  # noqa: E402
from aggregators.records import Submission, UnitStatus  # noqa: E402
from parsers.result import DocumentRow, Fact, ParseResult, Section, UnitRef  # noqa: E402
from parsers.units import Registry, Unit  # noqa: E402
from pipeline.config import load_campaign  # noqa: E402
from pipeline.draft_docx import load_phrases, write_docx  # noqa: E402

SHARED = [
    "{name} đã ban hành kế hoạch triển khai thực hiện Chỉ thị và quán triệt đến toàn thể cán bộ, đảng viên.",
    "{name} nhận thấy kinh phí dành cho công tác thông tin cơ sở còn hạn hẹp, trang thiết bị chưa đồng bộ.",
    "{name} thường xuyên chỉ đạo cập nhật tin, bài trên trang thông tin điện tử của cơ quan.",
    "Đội ngũ báo cáo viên, tuyên truyền viên của {name} còn mỏng, chủ yếu kiêm nhiệm.",
]
WORDS = ["tuyên", "truyền", "quán", "triệt", "nghị", "quyết", "chỉ", "thị", "cán", "bộ", "đảng", "viên", "cơ", "quan", "đơn", "vị", "thông", "tin", "cơ", "sở", "bảng", "tin", "tủ", "sách", "pháp", "luật", "hội", "nghị", "chuyên", "đề", "mạng", "xã", "hội", "chuyển", "đổi", "số", "kiểm", "tra", "giám", "sát", "phối", "hợp", "đoàn", "thể", "công", "đoàn", "đoàn", "thanh", "niên", "phụ", "nữ", "người", "lao", "động"]


def synthetic(n_units: int, seed: int = 7):
    rnd = random.Random(seed)
    campaign = load_campaign()
    units = tuple(Unit(id=f"u{k:03d}", name=f"Chi bộ Cơ quan số {k}") for k in range(n_units))
    tz = timezone(timedelta(hours=7))
    statuses = []
    for k, unit in enumerate(units):
        if k % 10 == 9:  # a tenth never report
            statuses.append(UnitStatus(unit.id, unit.name, "missing", None, None, None, 0, [], None))
            continue
        sections = []
        for outline in campaign.sections:
            sentences = [rnd.choice(SHARED).format(name=unit.name) for _ in range(2)]
            sentences += [
                " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(12, 30))).capitalize() + "."
                for _ in range(8)
            ]
            sections.append(Section(outline.id, outline.title, outline.label, outline.level, 0.9,
                                    "\n".join(sentences)))
        facts = []
        for _ in range(30):
            ind = rnd.choice(campaign.indicators)
            value = rnd.randint(1, 500) * (1_000_000 if ind.unit == "VND" else 1)
            facts.append(Fact(ind.id, value, rnd.choice([None, None, "tren"]),
                              rnd.choice(campaign.sections).id, "", f"Đã thực hiện {value} ({ind.id})."))
        docs = [DocumentRow(f"{j}-KH/CB", f"Kế hoạch thực hiện nhiệm vụ số {j}", "2018-03-05")
                for j in range(8)]
        received = datetime(2022, 7, 10, tzinfo=tz) + timedelta(hours=k)
        result = ParseResult(file=f"{unit.id}.docx", unit=UnitRef(unit.id, unit.name, "header"),
                             sections=sections, indicators=facts, documents=docs)
        sub = Submission(k, unit.id, "header", f"<{unit.id}@x>", "a@b", "", received,
                         f"{unit.id}.docx", None, True, result=result)
        statuses.append(UnitStatus(unit.id, unit.name, "on_time", received, sub.message_id,
                                   sub.file, 0, [], sub))
    return statuses, campaign, Registry(units)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-draft.docx"))
    args = parser.parse_args()
    statuses, campaign, registry = synthetic(args.units)
    t0 = time.perf_counter()
    draft = build_draft(statuses, campaign, registry, load_phrases())
    t1 = time.perf_counter()
    write_docx(draft, args.out)
    t2 = time.perf_counter()
    n_statements = sum(len(s.statements) for s in draft.sections)
    print(f"units={args.units} build={t1 - t0:.2f}s write={t2 - t1:.2f}s total={t2 - t0:.2f}s "
          f"statements={n_statements} size={args.out.stat().st_size // 1024} KiB -> {args.out}")


if __name__ == "__main__":
    main()
