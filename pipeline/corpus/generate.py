"""A whole campaign's intake, deterministic for a seed: registry, reports with truth, the
emails that carry them (with every intake scenario), and the expected status and totals."""

from __future__ import annotations

import gc
import json
import os
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from parsers.campaign import Campaign
from parsers.units import Registry, Unit
from pipeline.corpus import emails as em
from pipeline.corpus.report import ReportTruth, build_report, pick_values
from pipeline.corpus.units import make_registry, registry_toml


@dataclass
class GeneratedReport:
    doc_id: str
    data: bytes
    truth: ReportTruth
    filename: str = ""  # the attachment name it was sent under


@dataclass
class GeneratedEmail:
    name: str  # "001.eml"
    raw: bytes
    message_id: str
    date: datetime  # the Date header
    delivered_at: datetime  # when the mailbox received it (Maildir file mtime)
    sender: str
    expected: str  # report | resubmission_supersedes | duplicate | ignore |
    #                unknown_sender_resolved_by_content | error_corrupt | late
    expected_unit_id: str | None
    report_doc_id: str | None
    scenario: str
    tags: list[str] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, bytes) sent

    def as_json(self) -> dict:
        return {"eml": f"emails/{self.name}", "message_id": self.message_id,
                "date": self.date.isoformat(), "expected_unit_id": self.expected_unit_id,
                "report_doc_id": self.report_doc_id, "expected": self.expected,
                "sender": self.sender, "tags": self.tags, "scenario": self.scenario,
                "delivered_at": self.delivered_at.isoformat()}


@dataclass
class Corpus:
    seed: int
    campaign: Campaign
    registry: Registry
    reports: list[GeneratedReport]
    emails: list[GeneratedEmail]
    status: dict[str, dict]  # unit id -> {"status", "final_doc_id"}
    totals: dict  # like totals.json
    deadline: datetime = field(default=None)  # type: ignore[assignment]

    def report(self, doc_id: str) -> GeneratedReport:
        return next(r for r in self.reports if r.doc_id == doc_id)

    def write(self, out: Path) -> None:
        """The samples layout: units.toml, docs/, truth/, emails/, emails.json, status.json,
        totals.json. Each .eml file's mtime is its delivery time."""
        for sub in ("docs", "truth", "emails"):
            (out / sub).mkdir(parents=True, exist_ok=True)
        (out / "units.toml").write_text(registry_toml(self.registry), encoding="utf-8")
        for r in self.reports:
            (out / "docs" / f"{r.doc_id}.docx").write_bytes(r.data)
            _dump(out / "truth" / f"{r.doc_id}.json", r.truth.as_json())
        for e in self.emails:
            path = out / "emails" / e.name
            path.write_bytes(e.raw)
            ts = e.delivered_at.timestamp()
            os.utime(path, (ts, ts))
        _dump(out / "emails.json", [e.as_json() for e in self.emails])
        _dump(out / "status.json", self.status)
        _dump(out / "totals.json", self.totals)


def _dump(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


BLOC_MAILBOX = "tothongtinvienduk@gmail.com"
FORWARDER = ("btg.dangbokhoi.pt@gmail.com", "Ban Tuyên giáo ĐUK")
UNKNOWN_NAMES = (("ha.hn1992", "Hoàng Ngọc Hà"), ("thuy.nguyen.pt", "Nguyễn Thị Thuỳ"),
                 ("minhtuan.vt88", "Minh Tuấn"), ("lananh.tran85", "Trần Lan Anh"),
                 ("hoangvanbinh1979", "Hoàng Văn Bình"), ("vanthu.cq", "Văn thư"))
MAILERS = ("Microsoft Outlook 16.0", "", "Apple Mail (2.3696)", "", "Zimbra 8.8", "")

SCENARIOS = (("normal", 40), ("zip", 6), ("forward", 6), ("two_attach", 6), ("dup_msgid", 6),
             ("resubmit", 8), ("corrupt", 5), ("gmail_unknown", 6), ("late", 7),
             ("just_before_deadline", 4))


def _filename(rng: random.Random, unit: Unit, generic: bool) -> str:
    if generic:
        return rng.choice(("Document1.docx", "bao cao.docx", "BC.docx", "Báo cáo.docx"))
    org = unit.aliases[0] if unit.aliases else unit.name
    abbr = unit.aliases[-1] if unit.aliases else "DV"
    return rng.choice((
        f"Báo cáo sơ kết Chỉ thị 07 - {org}.docx",
        f"BC so ket CT07 - {abbr}.docx",
        f"BaoCao_CT07_{abbr.replace(' ', '')}.docx",
        f"Báo cáo 5 năm thực hiện CT 07-CT.TW ({unit.name}).docx",
        f"{abbr} - BC sơ kết 5 năm CT 07.docx",
    ))


def _subject(rng: random.Random, unit: Unit) -> str:
    return rng.choice((
        f"Báo cáo sơ kết 5 năm Chỉ thị 07 - {unit.name}",
        "V/v gửi báo cáo sơ kết Chỉ thị 07-CT/TW",
        f"BC so ket CT 07 - {unit.aliases[-1] if unit.aliases else unit.id}",
        f"{unit.name} gửi báo cáo",
        "Gửi báo cáo CT07",
    ))


BODY = ("Kính gửi Ban Tuyên giáo Đảng uỷ Khối,\n\n{who} xin gửi báo cáo sơ kết 5 năm thực hiện "
        "Chỉ thị số 07-CT/TW (file đính kèm).\n\nTrân trọng!\n--\nVăn phòng {org}\n"
        "ĐT: 0210.38{phone}")


def generate_corpus(seed: int, n_units: int, campaign: Campaign) -> Corpus:
    """The whole intake of a campaign for `n_units` units, deterministic for `seed`."""
    # Thousands of small acyclic objects: the cyclic GC only slows a large run down.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(seed, n_units, campaign)
    finally:
        if enabled:
            gc.enable()


def _generate(seed: int, n_units: int, campaign: Campaign) -> Corpus:
    rng = random.Random(seed)
    registry = make_registry(n_units, random.Random(seed + 1))
    tz = ZoneInfo(campaign.timezone)
    opens = datetime.combine(campaign.opens, time(8, 0), tz)
    deadline = datetime.combine(campaign.unit_deadline, time(23, 59, 59), tz)
    units = list(registry.units)
    n_missing = max(1 if n_units >= 5 else 0, round(n_units * 0.08))
    missing = set(u.id for u in rng.sample(units, n_missing))
    names, weights = zip(*SCENARIOS, strict=True)
    reports: list[GeneratedReport] = []
    pending: list[dict] = []  # emails before numbering by delivery time
    status: dict[str, dict] = {}
    final_doc: dict[str, str] = {}
    domain_seq = 0

    def new_doc(unit: Unit, when: datetime, version: int = 1, base: dict | None = None):
        doc_id = f"d{len(reports) + 1:0{max(3, len(str(n_units * 2)))}d}"
        if base is None:
            vrng = random.Random(rng.random())
            values, quals = pick_values(vrng)
            style_seed = rng.randrange(1 << 30)
            number = f"{rng.randint(5, 180)}-BC/{'ĐU' if unit.kind == 'dang_bo' else 'CB'}"
            rep_day = max(campaign.opens, (when - timedelta(days=rng.randint(0, 4))).date())
        else:
            values, quals = dict(base["values"]), dict(base["quals"])
            changed = rng.sample(sorted(values), 2)
            for ind in changed:
                values[ind] = values[ind] + max(1, values[ind] // 10) * rng.choice((1, -1))
                values[ind] = max(1, values[ind])
            style_seed, number = base["style_seed"], base["number"]
            rep_day = when.date()
        data, truth = build_report(campaign, unit, doc_id, style_seed, values, quals,
                                   rep_day, number, version)
        rep = GeneratedReport(doc_id, data, truth)
        reports.append(rep)
        return rep, {"values": values, "quals": quals, "style_seed": style_seed, "number": number}

    def message_id(host: str) -> str:
        nonlocal domain_seq
        domain_seq += 1
        return f"<{rng.getrandbits(48):012x}.{domain_seq:06x}@{host}>"

    def mail(unit: Unit | None, sender: str, sender_name: str, when: datetime, *,
             rep: GeneratedReport | None, expected: str, scenario: str, tags: list[str],
             attach: list[em.Attachment] | None = None, forwarded: bytes | None = None,
             subject: str | None = None, text: str | None = None, mid: str | None = None,
             raw: bytes | None = None) -> dict:
        host = sender.split("@", 1)[1]
        mid = mid or message_id("mail.gmail.com" if host == "gmail.com" else host)
        if raw is None:
            who = unit.name if unit else "Đơn vị"
            org = unit.aliases[0] if unit and unit.aliases else "cơ quan"
            raw = em.build_message(
                sender=sender, sender_name=sender_name, to=campaign.mailbox or BLOC_MAILBOX,
                subject=subject or _subject(rng, unit), date=when, message_id=mid,
                text=text or BODY.format(who=who, org=org, phone=rng.randint(10000, 99999)),
                attachments=attach, forwarded=forwarded, mailer=rng.choice(MAILERS),
                boundary_seed=f"{rng.getrandbits(40):010x}")
        return {"raw": raw, "message_id": mid, "date": when, "delivered_at": when,
                "sender": sender, "expected": expected,
                "expected_unit_id": unit.id if unit else None,
                "report_doc_id": rep.doc_id if rep else None, "scenario": scenario,
                "tags": tags, "attachments": [(a.filename, a.data) for a in attach or []]}

    def when_on_time(late_bias: float = 2.5) -> datetime:
        span = (deadline - opens - timedelta(days=5)).total_seconds()
        offset = span * (1 - rng.random() ** late_bias)  # most reports come near the deadline
        t = opens + timedelta(days=5, seconds=offset)
        return t.replace(second=rng.randint(0, 59), microsecond=0)

    def doc_attachment(rep: GeneratedReport, unit: Unit, generic: bool = False) -> em.Attachment:
        name = _filename(rng, unit, generic)
        style = rng.choice(("ascii", "rfc2231", "rfc2047", "rfc2047", "nfd_mac"))
        if not name.isascii() and style == "ascii":
            style = "rfc2231"
        rep.filename = name
        ctype = em.DOCX_TYPE if rng.random() < 0.85 else "application/octet-stream"
        return em.Attachment(name, rep.data, ctype, name_style=style)

    def tag_of(att: em.Attachment) -> str:
        style = att.name_style if att.name_style != "ascii" else "rfc2231"
        return {"ascii": "filename_ascii", "rfc2231": "filename_rfc2231",
                "rfc2047": "filename_outlook2047", "nfd_mac": "filename_nfd_mac"}[
            "ascii" if att.filename.isascii() else style]

    # A bloc big enough shows every scenario at least once; the rest are drawn by weight.
    forced = list(names) if n_units >= 2 * len(names) else []
    for unit in units:
        if unit.id in missing:
            status[unit.id] = {"status": "missing", "final_doc_id": None}
            continue
        scenario = forced.pop(0) if forced else rng.choices(names, weights)[0]
        sender = rng.choice(unit.emails)
        sname = rng.choice(("", unit.name, "Văn phòng", "Nguyen Van Nam"))
        when = when_on_time()
        on_time = True
        if scenario == "late":
            when = deadline + timedelta(minutes=rng.randint(8, 60 * 72))
            on_time = False
        elif scenario == "just_before_deadline":
            when = deadline - timedelta(minutes=rng.randint(1, 30), seconds=rng.randint(0, 59))
        rep, base = new_doc(unit, when)
        att = doc_attachment(rep, unit)
        tags = [tag_of(att)]
        if scenario in ("normal", "just_before_deadline", "late"):
            extra = {"late": ["after_deadline"], "just_before_deadline": ["just_before_deadline"]}
            pending.append(mail(unit, sender, sname, when, rep=rep,
                                expected="late" if scenario == "late" else "report",
                                scenario=scenario, tags=tags + extra.get(scenario, []),
                                attach=[att]))
        elif scenario == "zip":
            zname = att.filename.rsplit(".", 1)[0] + ".zip"
            zatt = em.Attachment(zname, em.zip_bytes(att.filename, rep.data),
                                 "application/x-zip-compressed", att.name_style)
            pending.append(mail(unit, sender, sname, when, rep=rep, expected="report",
                                scenario="zip", tags=[tag_of(zatt), "zip_attachment"],
                                attach=[zatt]))
        elif scenario == "forward":
            orig_when = when - timedelta(hours=rng.randint(1, 30))
            orig = mail(unit, sender, sname, orig_when, rep=rep, expected="report",
                        scenario="forward", tags=[], attach=[att])
            fwd_when = max(orig_when + timedelta(minutes=5), when)
            pending.append(mail(unit, FORWARDER[0], FORWARDER[1], fwd_when, rep=rep,
                                expected="report", scenario="forward",
                                tags=tags + ["forwarded_rfc822", "original_sender_registered"],
                                forwarded=orig["raw"],
                                subject="Fwd: " + _subject(rng, unit),
                                text="Chuyển tiếp báo cáo của đơn vị gửi nhầm địa chỉ.\n"))
            pending[-1]["attachments"] = orig["attachments"]
        elif scenario == "two_attach":
            pdf = em.Attachment(att.filename.rsplit(".", 1)[0] + " (bản ký).pdf",
                                em.scan_pdf(), "application/pdf", att.name_style)
            pending.append(mail(unit, sender, sname, when, rep=rep, expected="report",
                                scenario="two_attach", tags=tags + ["docx_plus_signed_scan_pdf"],
                                attach=[att, pdf]))
        elif scenario == "dup_msgid":
            first = mail(unit, sender, sname, when, rep=rep, expected="report",
                         scenario="dup_msgid", tags=tags, attach=[att])
            pending.append(first)
            dup = dict(first, delivered_at=when + timedelta(minutes=rng.randint(3, 40)),
                       expected="duplicate", tags=tags + ["same_message_id_redelivered"])
            pending.append(dup)
        elif scenario == "resubmit":
            when = min(when, deadline - timedelta(days=2, hours=rng.randint(2, 40)))
            pending.append(mail(unit, sender, sname, when, rep=rep, expected="report",
                                scenario="resubmit", tags=tags + ["first_version"], attach=[att]))
            when2 = when + timedelta(hours=rng.randint(2, 40))
            rep2, _ = new_doc(unit, when2, version=2, base=base)
            rep2.truth.supersedes = rep.doc_id
            rep2.truth.changes_from_previous = _changes(rep.truth, rep2.truth)
            att2 = doc_attachment(rep2, unit)
            att2.filename = att2.filename.replace(".docx", " (bản sửa).docx")
            rep2.filename = att2.filename
            pending.append(mail(unit, sender, sname, when2, rep=rep2,
                                expected="resubmission_supersedes", scenario="resubmit",
                                tags=[tag_of(att2), "corrected_version"], attach=[att2],
                                subject="Gửi lại báo cáo (bản đã sửa) - " + unit.name))
            rep = rep2
        elif scenario == "corrupt":
            when = min(when, deadline - timedelta(days=1, hours=rng.randint(1, 30)))
            broken = em.Attachment(att.filename, rep.data[: len(rep.data) * 2 // 5],
                                   name_style=att.name_style)
            pending.append(mail(unit, sender, sname, when, rep=None, expected="error_corrupt",
                                scenario="corrupt", tags=tags + ["truncated_docx"],
                                attach=[broken]))
            pending.append(mail(unit, sender, sname, when + timedelta(hours=rng.randint(1, 20)),
                                rep=rep, expected="report", scenario="corrupt",
                                tags=tags + ["resend_after_corrupt"], attach=[att]))
        elif scenario == "gmail_unknown":
            local, pname = rng.choice(UNKNOWN_NAMES)
            addr = f"{local}{rng.randint(1, 99)}@gmail.com"
            gatt = doc_attachment(rep, unit, generic=True)
            pending.append(mail(unit, addr, pname, when, rep=rep,
                                expected="unknown_sender_resolved_by_content",
                                scenario="gmail", tags=[tag_of(gatt), "unregistered_sender",
                                                        "generic_filename"], attach=[gatt]))
        final_doc[unit.id] = rep.doc_id
        status[unit.id] = {"status": "on_time" if on_time else "late", "final_doc_id": rep.doc_id}

    # Mail that is not a report: questions from units, newsletters.
    for _ in range(max(1, n_units // 10)):
        unit = rng.choice(units)
        when = when_on_time(1.0)
        pending.append(mail(unit, unit.emails[0], "", when, rep=None, expected="ignore",
                            scenario="question", tags=["registered_sender", "no_attachment",
                                                       "question"],
                            subject="Hỏi về mẫu biểu thống kê Chỉ thị 07",
                            text="Kính gửi Ban Tuyên giáo,\nĐơn vị xin hỏi biểu thống kê có cần "
                                 "gửi kèm bản ký không ạ?\nTrân trọng."))
    for _ in range(max(1, n_units // 12)):
        when = when_on_time(1.0)
        pending.append(mail(None, "newsletter@thuvienphapluat.vn", "THƯ VIỆN PHÁP LUẬT", when,
                            rep=None, expected="ignore", scenario="newsletter",
                            tags=["newsletter", "no_attachment"],
                            subject="Văn bản mới tuần này", text="Bản tin văn bản pháp luật mới."))
    pending.sort(key=lambda m: (m["delivered_at"], m["message_id"], m["expected"] == "duplicate"))
    width = max(3, len(str(len(pending))))
    mails = [GeneratedEmail(name=f"{i:0{width}d}.eml", raw=m["raw"], message_id=m["message_id"],
                            date=m["date"], delivered_at=m["delivered_at"], sender=m["sender"],
                            expected=m["expected"], expected_unit_id=m["expected_unit_id"],
                            report_doc_id=m["report_doc_id"], scenario=m["scenario"],
                            tags=m["tags"], attachments=m["attachments"])
             for i, m in enumerate(pending, 1)]
    # Registry order for status like the samples' status.json.
    ordered_status = {u.id: status[u.id] for u in units}
    final_ids = set(final_doc.values())
    totals = compute_totals(campaign, [r for r in reports if r.doc_id in final_ids])
    return Corpus(seed=seed, campaign=campaign, registry=registry, reports=reports, emails=mails,
                  status=ordered_status, totals=totals, deadline=deadline)


def _changes(old: ReportTruth, new: ReportTruth) -> list[dict]:
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for f in old.indicators:
        before[f["indicator"]] = before.get(f["indicator"], 0) + f["value"]
    for f in new.indicators:
        after[f["indicator"]] = after.get(f["indicator"], 0) + f["value"]
    return [{"indicator": k, "old": before.get(k), "new": after.get(k)}
            for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]


def compute_totals(campaign: Campaign, finals: list[GeneratedReport]) -> dict:
    """totals.json: per indicator the sum over each unit's final report."""
    out: dict[str, dict] = {}
    for ind in campaign.indicators:
        total, lower, n_facts, unit_ids = 0, False, 0, set()
        for rep in finals:
            for f in rep.truth.indicators:
                if f["indicator"] == ind.id:
                    total += f["value"]
                    n_facts += 1
                    unit_ids.add(rep.truth.unit_id)
                    lower = lower or f["qualifier"] in ("tren", "hon")
        out[ind.id] = {"total": total, "lower_bound": lower, "n_facts": n_facts,
                       "n_units": len(unit_ids)}
    return {"note": "Sum over each unit's final (latest valid) submission, late ones included; "
                    "all facts of an indicator in a document are added. lower_bound = some "
                    "summed value was written with 'trên'/'hơn'.",
            "units_counted": [r.truth.unit_id for r in finals], "indicators": out}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def as_of_after_deadline(campaign: Campaign) -> datetime:
    """The demo's clock: the morning after the units' deadline, campaign time zone."""
    tz = ZoneInfo(campaign.timezone)
    return datetime.combine(campaign.unit_deadline + timedelta(days=1), time(8, 0), tz)


