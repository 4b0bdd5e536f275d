"""Unit statuses for draft tests, built from the shared sample truth (real figures).

The truth files hold each report's indicator facts and sections but not the section
bodies, so section texts are written here: each unit's own opening words, a sentence
every unit writes in its own name (a near-duplicate the draft must merge), and
sentences only one unit writes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from aggregators.records import Submission, UnitStatus
from parsers.campaign import Campaign, campaign_from_toml
from parsers.result import DocumentRow, Fact, ParseResult, Section, UnitRef
from parsers.units import Registry, registry_from_toml

TZ = timezone(timedelta(hours=7))
SHARED_SENTENCE = (
    "{name} nhận thấy kinh phí dành cho công tác thông tin cơ sở còn hạn hẹp, "
    "trang thiết bị chưa được đầu tư đồng bộ."
)
UNIQUE = {
    "so-tu-phap": "Chi bộ đã phối hợp với Hội Luật gia tỉnh biên soạn bộ câu hỏi pháp luật "
                  "phục vụ tuyên truyền tại các thôn, khu dân cư.",
    "so-y-te": "Đảng bộ chỉ đạo các bệnh viện tuyến tỉnh lắp đặt màn hình thông tin tại khu "
               "khám bệnh để hướng dẫn người bệnh về chính sách bảo hiểm y tế.",
    "kho-bac": "Chi bộ Kho bạc Nhà nước tỉnh số hoá toàn bộ tài liệu sinh hoạt chi bộ và đưa "
               "lên nhóm Zalo của đảng viên để tra cứu.",
}


def load(samples: Path) -> tuple[list[UnitStatus], Registry, Campaign]:
    campaign = campaign_from_toml((samples / "campaign.toml").read_text(encoding="utf-8"))
    registry = registry_from_toml((samples / "units.toml").read_text(encoding="utf-8"))
    status = json.loads((samples / "status.json").read_text(encoding="utf-8"))
    statuses: list[UnitStatus] = []
    base = datetime(2022, 7, 15, 9, 0, tzinfo=TZ)
    for k, unit in enumerate(registry.units):
        entry = status.get(unit.id, {"status": "missing", "final_doc_id": None})
        doc_id = entry.get("final_doc_id")
        sub = None
        if doc_id:
            truth = json.loads((samples / "truth" / f"{doc_id}.json").read_text(encoding="utf-8"))
            received = base + timedelta(days=10 if entry["status"] == "late" else 0, hours=k)
            file = Path(truth["file"]).name
            sub = Submission(
                id=k + 1, unit_id=unit.id, unit_source="header",
                message_id=f"<{doc_id}@mail.example>", sender=(unit.emails or ("x@example",))[0],
                subject="Báo cáo sơ kết Chỉ thị 07", received_at=received, file=file,
                sha256=None, ok=True, result=result_from_truth(truth, unit.id, unit.name),
            )
        statuses.append(UnitStatus(
            id=unit.id, name=unit.name, status=entry["status"],
            submitted_at=sub.received_at if sub else None,
            message_id=sub.message_id if sub else None, file=sub.file if sub else None,
            resubmissions=0, errors=[], submission=sub,
        ))
    return statuses, registry, campaign


def result_from_truth(truth: dict, unit_id: str, unit_name: str) -> ParseResult:
    sections = []
    for s in truth["sections"]:
        text = ""
        if s["id"] == "P2.II.2":
            text += "\n" + SHARED_SENTENCE.format(name=unit_name)
        if s["id"] == "P1.1" and unit_id in UNIQUE:
            text += "\n- " + UNIQUE[unit_id]
        sections.append(Section(id=s["id"], heading=s["title"], label=s["label"], level=s["level"],
                                confidence=1.0, text=text))
    facts = [
        Fact(indicator=f["indicator"], value=f["value"], qualifier=f["qualifier"],
             section=f["section"], term="", location=f.get("location", "body"),
             sentence=f"Đơn vị báo cáo {f['written']} ({f['indicator']}).")
        for f in truth["indicators"]
    ]
    documents = [DocumentRow(d["so_hieu"], d["ten_van_ban"], d.get("ngay_ban_hanh"))
                 for d in truth.get("documents", [])]
    return ParseResult(file=truth["file"], unit=UnitRef(unit_id, unit_name, "header"),
                       sections=sections, indicators=facts, documents=documents)
