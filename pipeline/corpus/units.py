"""A realistic bloc of units: Phú Thọ's provincial agencies (Sở, Ban, Ngành, press, hospitals,
schools), each with the names, aliases and addresses a real registry would hold."""

from __future__ import annotations

import random
from dataclasses import dataclass

from parsers.units import Registry, Unit


@dataclass(frozen=True)
class UnitSeed:
    id: str
    org: str  # the agency the party organisation belongs to: "Sở Tư pháp"
    kind: str  # "chi_bo" | "dang_bo"
    abbr: str  # "STP": used in aliases and in mail addresses
    mail: str  # local part of the official address at phutho.gov.vn
    media: bool = False
    gmail: str = ""  # a personal / office Gmail address the unit also sends from


# (id, agency, kind, abbreviation, official mailbox, media, gmail)
_SEEDS: tuple[UnitSeed, ...] = tuple(
    UnitSeed(*row)
    for row in (
        ("so-tu-phap", "Sở Tư pháp", "chi_bo", "STP", "vanphong.stp", False, "chibosotuphap.pt"),
        ("so-y-te", "Sở Y tế", "dang_bo", "SYT", "dangbosyt", False, ""),
        ("so-tai-chinh", "Sở Tài chính", "chi_bo", "STC", "vanphong.stc", False, ""),
        ("so-khcn", "Sở Khoa học và Công nghệ", "chi_bo", "SKHCN", "skhcn", False, "chibokhcn"),
        ("so-xay-dung", "Sở Xây dựng", "chi_bo", "SXD", "sxd", False, ""),
        ("so-gddt", "Sở Giáo dục và Đào tạo", "dang_bo", "SGDĐT", "dangbo.sgddt", False, ""),
        ("so-noi-vu", "Sở Nội vụ", "chi_bo", "SNV", "snv", False, "chibosonoivu"),
        ("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội", "dang_bo", "SLĐTBXH", "sldtbxh",
         False, ""),
        ("so-tnmt", "Sở Tài nguyên và Môi trường", "dang_bo", "STNMT", "stnmt", False,
         "dangbotnmtphutho"),
        ("so-gtvt", "Sở Giao thông vận tải", "dang_bo", "SGTVT", "sgtvt", False, ""),
        ("so-cong-thuong", "Sở Công Thương", "chi_bo", "SCT", "sct", False, "chibocongthuong.pt"),
        ("so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "dang_bo", "SNN&PTNT",
         "snnptnt", False, ""),
        ("so-vhttdl", "Sở Văn hoá, Thể thao và Du lịch", "dang_bo", "SVHTTDL", "svhttdl", False,
         "dangbovhttdl"),
        ("so-tttt", "Sở Thông tin và Truyền thông", "chi_bo", "STTTT", "stttt", False, ""),
        ("so-khdt", "Sở Kế hoạch và Đầu tư", "chi_bo", "SKHĐT", "skhdt", False, ""),
        ("so-ngoai-vu", "Sở Ngoại vụ", "chi_bo", "SNgV", "sngv", False, "chibongoaivu"),
        ("thanh-tra-tinh", "Thanh tra tỉnh", "chi_bo", "TTT", "thanhtra", False, ""),
        ("ban-dan-toc", "Ban Dân tộc tỉnh", "chi_bo", "BDT", "bandantoc", False, ""),
        ("vp-ubnd", "Văn phòng Uỷ ban nhân dân tỉnh", "dang_bo", "VP UBND", "vpubnd", False, ""),
        ("vp-doan-dbqh", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "chi_bo",
         "VP ĐĐBQH&HĐND", "vpdbqh", False, "chibovpdoandbqh"),
        ("kho-bac", "Kho bạc Nhà nước tỉnh", "dang_bo", "KBNN", "kbnn", False, "dangbokbnnpt"),
        ("cuc-thue", "Cục Thuế tỉnh", "dang_bo", "CT", "cucthue", False, ""),
        ("cuc-thong-ke", "Cục Thống kê tỉnh", "chi_bo", "CTK", "cucthongke", False, ""),
        ("bhxh", "Bảo hiểm xã hội tỉnh", "dang_bo", "BHXH", "bhxh", False, "dangbobhxhphutho"),
        ("bao-phu-tho", "Báo Phú Thọ", "dang_bo", "BPT", "baophutho", True, "toasoanbaophutho"),
        ("dai-ptth", "Đài Phát thanh và Truyền hình tỉnh", "dang_bo", "PTV", "ptv", True,
         "dangbodaiptth"),
        ("hoi-vhnt", "Hội Văn học Nghệ thuật tỉnh", "chi_bo", "Hội VHNT", "hoivhnt", True,
         "vannghedatto"),
        ("hoi-nha-bao", "Hội Nhà báo tỉnh", "chi_bo", "HNB", "hoinhabao", True, "hoinhabaophutho"),
        ("bv-da-khoa", "Bệnh viện Đa khoa tỉnh", "dang_bo", "BVĐK", "bvdk", False,
         "dangbobvdkphutho"),
        ("bv-san-nhi", "Bệnh viện Sản Nhi tỉnh", "dang_bo", "BVSN", "bvsannhi", False,
         "bvsannhi.phutho"),
        ("bv-yhct", "Bệnh viện Y học cổ truyền tỉnh", "chi_bo", "BVYHCT", "bvyhct", False, ""),
        ("dh-hung-vuong", "Trường Đại học Hùng Vương", "dang_bo", "ĐHHV", "dhhv", False, ""),
        ("cd-y-te", "Trường Cao đẳng Y tế Phú Thọ", "dang_bo", "CĐYT", "cdyt", False,
         "dangbocdytpt"),
        ("thpt-chuyen", "Trường Trung học phổ thông Chuyên Hùng Vương", "dang_bo", "THPT CHV",
         "thptchuyenhv", False, ""),
        ("truong-chinh-tri", "Trường Chính trị tỉnh", "chi_bo", "TCT", "truongchinhtri", False, ""),
        ("tinh-doan", "Tỉnh Đoàn", "chi_bo", "TĐ", "tinhdoan", False, "tinhdoanphutho"),
        ("hoi-lhpn", "Hội Liên hiệp Phụ nữ tỉnh", "chi_bo", "HLHPN", "hoilhpn", False, ""),
        ("hoi-nong-dan", "Hội Nông dân tỉnh", "chi_bo", "HND", "hoinongdan", False, ""),
        ("hoi-chu-thap-do", "Hội Chữ thập đỏ tỉnh", "chi_bo", "HCTĐ", "hoichuthapdo", False, ""),
        ("lien-minh-htx", "Liên minh Hợp tác xã tỉnh", "chi_bo", "LMHTX", "lmhtx", False,
         "lmhtxphutho"),
        ("ldld", "Liên đoàn Lao động tỉnh", "chi_bo", "LĐLĐ", "ldld", False, ""),
        ("ubmttq", "Uỷ ban Mặt trận Tổ quốc Việt Nam tỉnh", "chi_bo", "UBMTTQ", "mttq", False,
         "chibomttqphutho"),
        ("nhnn", "Ngân hàng Nhà nước chi nhánh tỉnh", "chi_bo", "NHNN", "nhnn", False, ""),
        ("vien-ksnd", "Viện Kiểm sát nhân dân tỉnh", "dang_bo", "VKSND", "vksnd", False, ""),
        ("ban-qlda", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "chi_bo", "BQLDA", "bqlda", False,
         "chiboqldapt"),
        ("trung-tam-xttm", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "chi_bo",
         "TTXT", "ttxt", False, ""),
    )
)

_SYNTH_ORGS = (
    ("Trường Trung học phổ thông", "THPT", "dang_bo"),
    ("Trung tâm Y tế", "TTYT", "dang_bo"),
    ("Chi cục Thuế khu vực", "CCT", "chi_bo"),
    ("Trung tâm Giáo dục nghề nghiệp", "TTGDNN", "chi_bo"),
)


def _prefix(kind: str) -> str:
    return "Đảng bộ" if kind == "dang_bo" else "Chi bộ"


def _committee(kind: str) -> str:
    return "Đảng uỷ" if kind == "dang_bo" else "Chi uỷ"


def unit_seeds(n: int) -> list[UnitSeed]:
    """The first n units of the bloc; past the named ones, numbered schools and centres."""
    seeds = list(_SEEDS[:n])
    k = 0
    while len(seeds) < n:
        org, abbr, kind = _SYNTH_ORGS[k % len(_SYNTH_ORGS)]
        num = k // len(_SYNTH_ORGS) + 1
        slug = abbr.lower()
        seeds.append(UnitSeed(f"{slug}-{num}", f"{org} số {num}", kind, f"{abbr} {num}",
                              f"{slug}{num}", False, f"chibo{slug}{num}" if num % 3 == 0 else ""))
        k += 1
    return seeds


def make_unit(seed: UnitSeed) -> Unit:
    name = f"{_prefix(seed.kind)} {seed.org}"
    emails = [f"{seed.mail}@phutho.gov.vn"]
    if seed.gmail:
        emails.append(f"{seed.gmail}@gmail.com")
    aliases = [
        seed.org,
        f"{name} tỉnh Phú Thọ" if "tỉnh" not in name else f"{name} Phú Thọ",
        f"{_committee(seed.kind)} {seed.org}",
        f"{_prefix(seed.kind)} cơ quan {seed.org}",
        seed.abbr,
    ]
    return Unit(id=seed.id, name=name, kind=seed.kind, emails=tuple(emails),
                aliases=tuple(aliases), media=seed.media)


def make_registry(n: int, rng: random.Random | None = None) -> Registry:
    """Registry of n units (deterministic; rng only shuffles the order a real file would have)."""
    units = [make_unit(s) for s in unit_seeds(n)]
    if rng is not None:
        rng.shuffle(units)
    return Registry(units=tuple(units))


def registry_toml(registry: Registry) -> str:
    """The registry as `units.toml` (CONTRACT.md schema)."""

    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = ["# Unit registry of the demo bloc (generated). media = press/media agencies.", ""]
    for u in registry.units:
        out += [
            "[[units]]",
            f"id = {q(u.id)}",
            f"name = {q(u.name)}",
            f"kind = {q(u.kind)}",
            f"emails = [{', '.join(q(e) for e in u.emails)}]",
            f"aliases = [{', '.join(q(a) for a in u.aliases)}]",
            f"media = {'true' if u.media else 'false'}",
            "",
        ]
    return "\n".join(out)
