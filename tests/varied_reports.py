"""A held-out set of report DOCX files written the way OTHER units write, with their truth.

The sample corpus comes from one generator; these reports are built independently (python-docx)
to catch overfitting: other heading schemes ("A.", "Phần thứ nhất:", "PHẦN I.", "Phần 1 -",
"I /", "1 .", unlabelled capitals, Word heading styles), paraphrased / abbreviated titles,
skipped, reordered and merged sections, other header layouts (2- and 3-column tables, plain
centred paragraphs, tab columns, a unit named only in the body), other date spellings, other
statistics-table wordings and date formats, and other indicator phrasings among distractors.

Truth is recorded while building: each heading carries the outline id it stands for and
each sentence the facts (indicator, value, qualifier) it states; the section of a fact is the
section being written. `build_all()` → [(name, docx bytes, truth)]; run this module to write
the files to tests/fixtures/varied/ for `tonghop parse`.
"""

from __future__ import annotations

import io
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT_DIR = Path(__file__).resolve().parent / "fixtures" / "varied"

# The registry the set is parsed with: the sample registry's units plus one more.
REGISTRY_TOML = """
[[units]]
id = "so-tu-phap"
name = "Chi bộ Sở Tư pháp"
aliases = ["Sở Tư pháp", "Chi bộ Sở Tư pháp tỉnh Phú Thọ", "Chi uỷ Sở Tư pháp", "STP"]
[[units]]
id = "so-y-te"
name = "Đảng bộ Sở Y tế"
kind = "dang_bo"
aliases = ["Sở Y tế", "Đảng uỷ Sở Y tế", "Đảng bộ cơ quan Sở Y tế", "SYT"]
[[units]]
id = "hoi-vhnt"
name = "Chi bộ Hội Văn học Nghệ thuật tỉnh"
aliases = ["Hội Văn học Nghệ thuật tỉnh Phú Thọ", "Hội VHNT tỉnh", "Tạp chí Văn nghệ Đất Tổ",
           "Chi bộ Hội Văn học Nghệ thuật"]
media = true
[[units]]
id = "so-tai-chinh"
name = "Chi bộ Sở Tài chính"
aliases = ["Sở Tài chính", "Chi bộ Sở Tài chính tỉnh Phú Thọ", "STC"]
[[units]]
id = "so-khcn"
name = "Chi bộ Sở Khoa học và Công nghệ"
aliases = ["Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở KHCN", "Chi bộ Sở KH&CN"]
[[units]]
id = "thanh-tra-tinh"
name = "Chi bộ Thanh tra tỉnh"
aliases = ["Thanh tra tỉnh Phú Thọ", "Chi bộ Thanh tra tỉnh Phú Thọ", "Chi uỷ Thanh tra tỉnh"]
[[units]]
id = "kho-bac"
name = "Đảng bộ Kho bạc Nhà nước Phú Thọ"
kind = "dang_bo"
aliases = ["Kho bạc Nhà nước Phú Thọ", "Kho bạc Nhà nước tỉnh", "KBNN Phú Thọ",
           "Đảng uỷ KBNN Phú Thọ"]
[[units]]
id = "tinh-doan"
name = "Chi bộ Tỉnh Đoàn"
aliases = ["Tỉnh Đoàn", "Tỉnh đoàn Phú Thọ", "Chi bộ cơ quan Tỉnh Đoàn", "Chi bộ Tỉnh đoàn"]
[[units]]
id = "so-xay-dung"
name = "Chi bộ Sở Xây dựng"
aliases = ["Sở Xây dựng", "Sở Xây dựng tỉnh Phú Thọ", "SXD"]
[[units]]
id = "bv-san-nhi"
name = "Đảng bộ Bệnh viện Sản Nhi tỉnh"
kind = "dang_bo"
aliases = ["Bệnh viện Sản Nhi", "Bệnh viện Sản Nhi Phú Thọ", "Đảng uỷ Bệnh viện Sản Nhi"]
[[units]]
id = "ban-dan-toc"
name = "Chi bộ Ban Dân tộc tỉnh"
aliases = ["Ban Dân tộc", "Ban Dân tộc tỉnh Phú Thọ", "Chi bộ Ban Dân tộc"]
[[units]]
id = "lien-minh-htx"
name = "Chi bộ Liên minh Hợp tác xã tỉnh"
aliases = ["Liên minh HTX tỉnh", "Liên minh Hợp tác xã tỉnh Phú Thọ", "LMHTX"]
[[units]]
id = "hoi-chu-thap-do"
name = "Chi bộ Hội Chữ thập đỏ tỉnh"
aliases = ["Hội Chữ thập đỏ tỉnh Phú Thọ", "Hội CTĐ tỉnh"]
[[units]]
id = "vp-doan-dbqh"
name = "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh"
aliases = ["Văn phòng Đoàn ĐBQH và HĐND tỉnh", "VP Đoàn ĐBQH và HĐND"]
[[units]]
id = "hoi-ccb"
name = "Chi bộ Hội Cựu chiến binh tỉnh"
aliases = ["Hội Cựu chiến binh tỉnh Phú Thọ", "Hội CCB tỉnh"]
[[units]]
id = "cd-y-te"
name = "Đảng bộ Trường Cao đẳng Y tế Phú Thọ"
kind = "dang_bo"
aliases = ["Trường Cao đẳng Y tế Phú Thọ", "Cao đẳng Y tế Phú Thọ"]
[[units]]
id = "so-noi-vu"
name = "Chi bộ Sở Nội vụ"
aliases = ["Sở Nội vụ", "Sở Nội vụ tỉnh Phú Thọ", "SNV"]
"""

# (unit id, header name in capitals, name as written in running text)
UNITS = [
    ("so-tu-phap", "CHI BỘ SỞ TƯ PHÁP", "Chi bộ Sở Tư pháp"),
    ("so-y-te", "ĐẢNG BỘ SỞ Y TẾ", "Đảng bộ Sở Y tế"),
    ("hoi-vhnt", "CHI BỘ HỘI VĂN HỌC NGHỆ THUẬT TỈNH", "Chi bộ Hội Văn học Nghệ thuật tỉnh"),
    ("so-tai-chinh", "CHI BỘ SỞ TÀI CHÍNH", "Chi bộ Sở Tài chính"),
    ("so-khcn", "CHI BỘ SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Chi bộ Sở Khoa học và Công nghệ"),
    ("thanh-tra-tinh", "CHI BỘ THANH TRA TỈNH", "Chi bộ Thanh tra tỉnh"),
    ("kho-bac", "ĐẢNG BỘ KHO BẠC NHÀ NƯỚC PHÚ THỌ", "Đảng bộ Kho bạc Nhà nước Phú Thọ"),
    ("tinh-doan", "CHI BỘ TỈNH ĐOÀN", "Chi bộ Tỉnh Đoàn"),
    ("so-xay-dung", "CHI BỘ SỞ XÂY DỰNG", "Chi bộ Sở Xây dựng"),
    ("bv-san-nhi", "ĐẢNG BỘ BỆNH VIỆN SẢN NHI TỈNH", "Đảng bộ Bệnh viện Sản Nhi tỉnh"),
    ("ban-dan-toc", "CHI BỘ BAN DÂN TỘC TỈNH", "Chi bộ Ban Dân tộc tỉnh"),
    ("lien-minh-htx", "CHI BỘ LIÊN MINH HỢP TÁC XÃ TỈNH", "Chi bộ Liên minh Hợp tác xã tỉnh"),
    ("hoi-chu-thap-do", "CHI BỘ HỘI CHỮ THẬP ĐỎ TỈNH", "Chi bộ Hội Chữ thập đỏ tỉnh"),
    ("vp-doan-dbqh", "CHI BỘ VĂN PHÒNG ĐOÀN ĐBQH VÀ HĐND TỈNH",
     "Chi bộ Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
    ("hoi-ccb", "CHI BỘ HỘI CỰU CHIẾN BINH TỈNH", "Chi bộ Hội Cựu chiến binh tỉnh"),
    ("cd-y-te", "ĐẢNG BỘ TRƯỜNG CAO ĐẲNG Y TẾ PHÚ THỌ", "Đảng bộ Trường Cao đẳng Y tế Phú Thọ"),
    ("so-noi-vu", "CHI BỘ SỞ NỘI VỤ", "Chi bộ Sở Nội vụ"),
]

# Paraphrased / abbreviated titles per outline id, as units write them.
TITLES: dict[str, list[str]] = {
    "P1": ["Tình hình quán triệt, triển khai thực hiện Chỉ thị số 07-CT/TW",
           "Công tác quán triệt và tổ chức triển khai thực hiện Chỉ thị",
           "Việc quán triệt, tổ chức thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư"],
    "P1.1": ["Công tác lãnh đạo, chỉ đạo", "Về công tác lãnh đạo, chỉ đạo quán triệt",
             "Lãnh đạo, chỉ đạo quán triệt, triển khai thực hiện Chỉ thị"],
    "P1.2": ["Nhận thức", "Về nhận thức của cấp uỷ, cán bộ, đảng viên",
             "Nhận thức về vị trí, vai trò của công tác thông tin cơ sở"],
    "P1.3": ["Thể chế hoá", "Việc thể chế hóa Chỉ thị vào thực tiễn",
             "Về thể chế hoá Chỉ thị số 07-CT/TW"],
    "P1.4": ["Kiểm tra, giám sát", "Công tác hướng dẫn, kiểm tra, giám sát",
             "Về kiểm tra, giám sát việc thực hiện Chỉ thị"],
    "P2": ["Kết quả 5 năm thực hiện Chỉ thị số 07-CT/TW", "Kết quả thực hiện Chỉ thị",
           "Kết quả sau 5 năm triển khai thực hiện Chỉ thị số 07-CT/TW"],
    "P2.I": ["Kết quả thực hiện nhiệm vụ", "Kết quả thực hiện các nhiệm vụ nêu trong Chỉ thị",
             "Kết quả tổ chức triển khai các nhiệm vụ"],
    "P2.I.1": ["Phát huy sức mạnh tổng hợp của hệ thống chính trị",
               "Về phát huy sức mạnh của cả hệ thống chính trị trong công tác thông tin cơ sở",
               "Phát huy sức mạnh tổng hợp của các tổ chức trong hệ thống chính trị"],
    "P2.I.2": ["Ứng dụng công nghệ truyền thông đa phương tiện",
               "Về ứng dụng công nghệ thông tin, truyền thông đa phương tiện",
               "Kết quả ứng dụng công nghệ trong công tác thông tin cơ sở"],
    "P2.I.3": ["Đầu tư, nâng cấp cơ sở vật chất", "Đầu tư cơ sở vật chất, trang thiết bị",
               "Về đầu tư, nâng cấp cơ sở vật chất, phương tiện kỹ thuật"],
    "P2.I.4": ["Xây dựng chương trình truyền thông về cơ sở",
               "Chương trình truyền thông về cơ sở", "Về xây dựng chương trình truyền thông"],
    "P2.I.5": ["Rà soát, củng cố các thiết chế văn hóa - thông tin cơ sở",
               "Củng cố thiết chế văn hoá, thông tin (bảng tin, tủ sách)",
               "Về rà soát, củng cố thiết chế văn hoá - thông tin"],
    "P2.II": ["Đánh giá chung", "Đánh giá", "Đánh giá chung kết quả thực hiện"],
    "P2.II.1": ["Ưu điểm", "Những ưu điểm", "Ưu điểm, kết quả nổi bật"],
    "P2.II.2": ["Tồn tại, hạn chế", "Hạn chế, khó khăn", "Những tồn tại, hạn chế"],
    "P2.II.3": ["Nguyên nhân của hạn chế", "Nguyên nhân", "Nguyên nhân của tồn tại, hạn chế"],
    "P2.II.4": ["Bài học kinh nghiệm", "Một số bài học kinh nghiệm", "Bài học rút ra"],
    "P3": ["Phương hướng, nhiệm vụ thời gian tới",
           "Phương hướng, nhiệm vụ, giải pháp trong thời gian tới",
           "Nhiệm vụ, giải pháp thời gian tới"],
    "P3.I": ["Phương hướng, nhiệm vụ", "Nhiệm vụ, giải pháp",
             "Phương hướng nhiệm vụ thời gian tới"],
    "P3.II": ["Kiến nghị, đề xuất", "Đề xuất, kiến nghị", "Kiến nghị"],
}
OUTLINE = list(TITLES)
MERGED_TITLES = ["Hạn chế và nguyên nhân", "Tồn tại, hạn chế và nguyên nhân"]

Fact = tuple[str, int, str | None]  # indicator, value, qualifier


def fmt(n: int) -> str:
    """Vietnamese thousands grouping: 2000 → "2.000"."""
    return f"{n:,}".replace(",", ".")


# ---- sentences: each returns its text and the facts it states ---------------------------------

def _s_hoi_nghi(r: random.Random) -> tuple[str, list[Fact]]:
    n, m = r.randint(3, 40), r.randint(120, 2400)
    q = r.choice([None, "gan", "tren", "hon"])
    qw = {"gan": "gần ", "tren": "trên ", "hon": "hơn ", None: ""}[q]
    text = r.choice([
        f"Chi uỷ đã tổ chức được {n} cuộc hội nghị quán triệt, thu hút {qw}{fmt(m)} lượt "
        "người tham gia.",
        f"Tổ chức được {n} cuộc hội nghị quán triệt, triển khai với {qw}{fmt(m)} lượt người "
        "tham gia.",
    ])
    return text, [("hoi_nghi", n, None), ("luot_nguoi_du", m, q)]


def _s_colon(r: random.Random) -> tuple[str, list[Fact]]:
    n, m = r.randint(2, 30), r.randint(50, 900)
    return f"Hội nghị: {n}; tài liệu phát hành: {m} bộ.", [
        ("hoi_nghi", n, None), ("tai_lieu", m, None)]


def _s_la(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.randint(2, 30)
    return f"Số hội nghị đã tổ chức là {n}.", [("hoi_nghi", n, None)]


def _s_bang_ron(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(10, 90), r.randint(2, 30)
    return (f"Treo {a} băng rôn, {b} pa nô tuyên truyền tại trụ sở cơ quan và các tuyến đường "
            "trung tâm.", [("bang_ron", a, None), ("pa_no", b, None)])


def _s_to_gap(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.choice([1500, 2000, 3200, 5000])
    return f"In và phát hành trên {fmt(n)} tờ gấp tuyên truyền về chủ trương, chính sách mới.", [
        ("to_gap", n, "tren")]


def _s_money_trieu(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.choice([120, 350, 480, 75])
    return (f"Tổng kinh phí đầu tư, nâng cấp trang thiết bị khoảng {n} triệu đồng từ nguồn "
            "ngân sách của cơ quan.", [("kinh_phi", n * 10**6, "khoang")])


def _s_money_ty(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(1, 3), r.randint(1, 9)
    return (f"Cơ quan đã bố trí {a},{b} tỷ đồng để mua sắm màn hình, hệ thống âm thanh phục vụ "
            "hội nghị trực tuyến.", [("kinh_phi", a * 10**9 + b * 10**8, None)])


def _s_gan_luot(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.choice([300, 450, 500, 800])
    return (f"Các buổi sinh hoạt chuyên đề thu hút gần {n} lượt người tham gia.",
            [("luot_nguoi_du", n, "gan")])


def _s_van_ban(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.randint(3, 15)
    return (f"Chi uỷ đã ban hành {n} văn bản chỉ đạo, hướng dẫn triển khai thực hiện Chỉ thị.",
            [("van_ban_chi_dao", n, None)])


def _s_bang_tin(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(1, 6), r.randint(100, 900)
    return (f"Duy trì {a} bảng tin và {fmt(b)} đầu sách tại tủ sách pháp luật của cơ quan.",
            [("bang_tin", a, None), ("dau_sach", b, None)])


def _s_online(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(2, 9), r.randint(1, 4)
    c = r.randint(150, 1600)
    return (f"Thành lập {a} nhóm Zalo, {b} trang Facebook; đăng tải {fmt(c)} tin, bài trên "
            "trang thông tin điện tử.",
            [("trang_mang_xa_hoi", a, None), ("trang_mang_xa_hoi", b, None),
             ("tin_bai", c, None)])


def _s_bcv(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(1, 5), r.randint(3, 20)
    return (f"Hiện nay đơn vị có {a} báo cáo viên, {b} tuyên truyền viên cơ sở hoạt động "
            "thường xuyên.", [("bao_cao_vien", a, None), ("tuyen_truyen_vien", b, None)])


def _s_lop(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(1, 8), r.randint(60, 600)
    return (f"Tổ chức {a} lớp tập huấn nghiệp vụ cho {b} lượt cán bộ, đảng viên.",
            [("lop_boi_duong", a, None), ("luot_nguoi_du", b, None)])


def _s_ban_tin(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(12, 60), r.randint(200, 1200)
    return (f"Biên tập, phát hành {a} bản tin nội bộ và {fmt(b)} cuốn tài liệu sinh hoạt chi bộ.",
            [("ban_tin", a, None), ("tai_lieu", b, None)])


def _s_buoi(r: random.Random) -> tuple[str, list[Fact]]:
    a = r.randint(5, 40)
    return (f"Tổ chức {a} buổi tuyên truyền miệng lồng ghép trong sinh hoạt chi bộ.",
            [("buoi_tuyen_truyen", a, None)])


def _s_spelled(r: random.Random) -> tuple[str, list[Fact]]:
    return ("Tổ chức 12 (mười hai) hội nghị chuyên đề về công tác thông tin cơ sở.",
            [("hoi_nghi", 12, None)])


def _s_ctv(r: random.Random) -> tuple[str, list[Fact]]:
    a = r.randint(3, 15)
    return (f"Kiện toàn đội ngũ {a} cộng tác viên phụ trách trang thông tin điện tử.",
            [("thong_tin_vien", a, None)])


def _s_money_full(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.choice([35, 150, 420])
    return (f"Kinh phí mua sắm loa, đài truyền thanh là {fmt(n * 10**6)} đồng.",
            [("kinh_phi", n * 10**6, None)])


def _s_money_mixed(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(1, 3), r.choice([200, 500, 750])
    return (f"Tổng nguồn lực đầu tư hơn {a} tỷ {b} triệu đồng cho hệ thống thông tin nội bộ.",
            [("kinh_phi", a * 10**9 + b * 10**6, "hon")])


def _s_hon_dang_vien(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.choice([1200, 1850, 2400])
    a = r.randint(2, 9)
    return (f"Phối hợp tổ chức {a} hội nghị với hơn {fmt(n)} lượt đảng viên dự.",
            [("hoi_nghi", a, None), ("luot_nguoi_du", n, "hon")])


def _s_hoi_nghi_truc_tuyen(r: random.Random) -> tuple[str, list[Fact]]:
    a, b = r.randint(3, 12), r.randint(1, 6)
    return (f"Trong đó, hội nghị trực tiếp {a} cuộc, trực tuyến {b} cuộc.",
            [("hoi_nghi", a, None), ("hoi_nghi", b, None)])


def _s_khoang_tai_lieu(r: random.Random) -> tuple[str, list[Fact]]:
    n = r.choice([300, 600, 1000])
    return (f"Cấp phát khoảng {fmt(n)} cuốn tài liệu hỏi - đáp về công tác thông tin cơ sở cho "
            "đoàn viên, hội viên.", [("tai_lieu", n, "khoang")])


FACT_SENTENCES = [_s_hoi_nghi, _s_colon, _s_la, _s_bang_ron, _s_to_gap, _s_money_trieu,
                  _s_money_ty, _s_gan_luot, _s_van_ban, _s_bang_tin, _s_online, _s_bcv, _s_lop,
                  _s_ban_tin, _s_buoi, _s_spelled, _s_ctv, _s_money_full, _s_money_mixed,
                  _s_hoi_nghi_truc_tuyen, _s_khoang_tai_lieu, _s_hon_dang_vien]

DISTRACTORS = [
    "Ngày 10/3/2017, Chi uỷ ban hành Kế hoạch số 05-KH/CB về thực hiện Chỉ thị số 07-CT/TW "
    "ngày 05/9/2016 của Ban Bí thư Trung ương Đảng (khoá XII).",
    "100% cán bộ, đảng viên (144/144 đồng chí) được quán triệt đầy đủ nội dung Chỉ thị.",
    "Chi bộ hiện có 25 đảng viên, sinh hoạt tại 03 tổ đảng.",
    "Chi uỷ gồm 03 đồng chí, trong đó 01 đồng chí phụ trách công tác tuyên giáo.",
    "Sau 5 năm thực hiện (2016 - 2021), nhận thức của cán bộ, đảng viên có chuyển biến rõ rệt.",
    "Mọi thông tin xin liên hệ số điện thoại 0210.3846.123 hoặc 0912 345 678.",
    "Tỷ lệ đảng viên tham gia học tập nghị quyết đạt 98,5%.",
    "Năm 2018, Chi bộ được Đảng uỷ Khối công nhận hoàn thành xuất sắc nhiệm vụ.",
    "Thực hiện Quyết định số 52/2016/QĐ-TTg ngày 06/12/2016 của Thủ tướng Chính phủ.",
    "Đảng bộ có 12 chi bộ trực thuộc với 345 đảng viên.",
    "Trong 02 năm 2020 - 2021, do ảnh hưởng của dịch Covid-19, nhiều hoạt động phải tạm dừng.",
    "Đơn vị hoàn thành 4/4 chỉ tiêu đề ra theo Nghị quyết Đại hội lần thứ XIX.",
    "Việc triển khai bảo đảm đúng tiến độ, nghiêm túc, hiệu quả.",
    "Cấp uỷ thường xuyên quan tâm, chỉ đạo sát sao công tác thông tin cơ sở trong cơ quan.",
]


TASKS = [
    "Tiếp tục nâng cao nhận thức của cấp uỷ, lãnh đạo cơ quan và cán bộ, đảng viên về vị trí, "
    "vai trò của công tác thông tin cơ sở trong tình hình mới.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong công tác thông tin cơ sở, "
    "nhất là trên các nền tảng mạng xã hội.",
    "Tăng cường công tác kiểm tra, giám sát việc thực hiện Chỉ thị số 07-CT/TW tại các tổ "
    "chức đảng trực thuộc.",
    "Quan tâm bố trí kinh phí, đầu tư cơ sở vật chất, trang thiết bị phục vụ công tác thông "
    "tin cơ sở.",
]

# ---- the document builder ------------------------------------------------------------------

@dataclass
class Truth:
    name: str
    unit_id: str
    report_date: str
    sections: list[str] = field(default_factory=list)
    documents: list[tuple[str, str, str | None]] = field(default_factory=list)
    facts: list[tuple[str, int, str | None, str | None]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "name": self.name, "unit_id": self.unit_id, "report_date": self.report_date,
            "sections": self.sections,
            "documents": [{"so_hieu": a, "ten_van_ban": b, "ngay_ban_hanh": c}
                          for a, b, c in self.documents],
            "indicators": [{"indicator": i, "value": v, "qualifier": q, "section": s}
                           for i, v, q, s in self.facts],
        }


class Builder:
    def __init__(self, name: str, unit_id: str, report_date: str, rng: random.Random) -> None:
        self.doc = new_document()
        self.doc.styles["Normal"].font.name = "Times New Roman"
        self.doc.styles["Normal"].font.size = Pt(14)
        self.truth = Truth(name, unit_id, report_date)
        self.section: str | None = None
        self.rng = rng

    # text blocks
    def para(self, text: str, *, bold: bool = False, italic: bool = False,
             align: str | None = "both", style: str | None = None) -> None:
        p = self.doc.add_paragraph(style=style)
        parts = text.split("\n")
        for k, part in enumerate(parts):
            run = p.add_run(part)
            run.bold = bold or None
            run.italic = italic or None
            if k + 1 < len(parts):
                run.add_break()
        if align:
            p.alignment = {"both": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]

    def heading(self, sid: str | None, text: str, *, bold: bool = True, italic: bool = False,
                align: str = "both", style: str | None = None) -> None:
        """A heading standing for outline section `sid` (None: extra, not a section)."""
        self.para(text, bold=bold, italic=italic, align=align, style=style)
        if sid is not None:
            self.truth.sections.append(sid)
            self.section = sid

    def body(self, n_facts: int = 2, n_distractors: int = 1) -> None:
        """A few body paragraphs mixing fact sentences and distractors."""
        for _ in range(n_facts):
            text, facts = self.rng.choice(FACT_SENTENCES)(self.rng)
            if self.rng.random() < 0.4:
                text = "- " + text
            self.fact_para(text, facts)
        for _ in range(n_distractors):
            self.para(self.rng.choice(DISTRACTORS))

    def fact_para(self, text: str, facts: list[Fact]) -> None:
        self.para(text)
        self.truth.facts.extend((i, v, q, self.section) for i, v, q in facts)

    def table(self, rows: list[list[str]], merge_first_row: bool = False) -> None:
        ncols = max(len(r) for r in rows)
        t = self.doc.add_table(rows=len(rows), cols=ncols)
        t.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
        if merge_first_row:
            first = t.cell(0, 0).merge(t.cell(0, ncols - 1))
            first.text = rows[0][0]

    def layout_table(self, columns: list[list[str]]) -> None:
        """A borderless header/signature table: one cell per column, one paragraph a line."""
        t = self.doc.add_table(rows=1, cols=len(columns))
        for c, lines in enumerate(columns):
            cell = t.cell(0, c)
            cell.paragraphs[0].text = lines[0] if lines else ""
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for line in lines[1:]:
                p = cell.add_paragraph(line)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def figure_table(self, variant: int) -> None:
        r = self.rng
        hn, lu, br, kp = r.randint(3, 20), r.randint(200, 3000), r.randint(5, 60), r.randint(50, 900)
        if variant == 0:
            rows = [["Nội dung", "Đơn vị tính", "Số lượng"],
                    ["Hội nghị quán triệt", "cuộc", str(hn)],
                    ["Lượt người tham dự", "lượt", fmt(lu)],
                    ["Băng rôn, khẩu hiệu", "chiếc", str(br)],
                    ["Kinh phí đầu tư", "triệu đồng", str(kp)]]
        else:
            rows = [["STT", "Chỉ tiêu", "ĐVT", "Kết quả", "Ghi chú"],
                    ["1", "Hội nghị", "cuộc", str(hn), ""],
                    ["2", "Lượt người dự", "lượt", fmt(lu), ""],
                    ["3", "Băng rôn", "cái", str(br), "Treo tại trụ sở"],
                    ["4", "Kinh phí", "triệu đồng", str(kp), ""]]
        self.table(rows)
        s = self.section
        self.truth.facts += [("hoi_nghi", hn, None, s), ("luot_nguoi_du", lu, None, s),
                             ("bang_ron", br, None, s), ("kinh_phi", kp * 10**6, None, s)]

    def documents_table(self, variant: int) -> None:
        """The statistics table of directing documents in one of several layouts."""
        docs = [("05-KH/CB", "Kế hoạch thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư",
                 (10, 3, 2017)),
                ("12-CV/CB", "Công văn về đẩy mạnh công tác thông tin cơ sở", (5, 9, 2018)),
                ("21-KH/CB", "Kế hoạch tuyên truyền kỷ niệm các ngày lễ lớn", (20, 1, 2020))]
        date_fmts = [lambda d, m, y: f"{d}/{m}/{y}", lambda d, m, y: f"{d}-{m}-{y}",
                     lambda d, m, y: f"{d:02d}.{m:02d}.{y}",
                     lambda d, m, y: f"ngày {d} tháng {m} năm {y}",
                     lambda d, m, y: f"{d:02d}/{m:02d}/{y}"]
        fmt_date = date_fmts[variant % len(date_fmts)]
        headers = [["STT", "Số hiệu văn bản", "Tên văn bản", "Ngày ban hành"],
                   ["TT", "Số, ký hiệu", "Trích yếu nội dung", "Ngày, tháng, năm ban hành"],
                   ["STT", "Tên văn bản", "Số hiệu", "Ngày ban hành", "Ghi chú"],
                   ["Số TT", "Số ký hiệu văn bản", "Trích yếu", "Ngày ban hành"]][variant % 4]
        order = [headers.index(h) for h in headers]
        rows: list[list[str]] = []
        title = variant % 2 == 1
        if title:
            rows.append(["BIỂU THỐNG KÊ CÁC VĂN BẢN CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN CHỈ THỊ "
                         "SỐ 07-CT/TW"] * len(headers))
        rows.append(headers)
        swapped = headers[1] == "Tên văn bản"
        for k, (so, ten, (d, m, y)) in enumerate(docs, 1):
            row = [str(k), ten, so, fmt_date(d, m, y)] if swapped else [
                str(k), so, ten, fmt_date(d, m, y)]
            if len(headers) == 5:
                row.append("")
            rows.append(row)
            self.truth.documents.append((so, ten, f"{y}-{m:02d}-{d:02d}"))
        del order
        self.table(rows, merge_first_row=title)


# ---- header, title, signature ------------------------------------------------------------------

SUPERIORS = ["ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH PHÚ THỌ",
             "ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH"]


def _date_text(kind: int, d: int, m: int) -> str:
    place = ["Phú Thọ", "Việt Trì", "Việt Trì", "Phú Thọ", "Việt Trì"][kind % 5]
    return [f"{place}, ngày {d:02d} tháng {m} năm 2022", f"{place}, ngày {d}/{m}/2022",
            f"{place}, ngày {d} tháng {m:02d} năm 2022", f"{place}, ngày {d:02d}/{m:02d}/2022",
            f"{place}, ngày  {d}  tháng  {m}  năm  2022"][kind % 5]


def _header(b: Builder, kind: str, unit_lines: list[str], number: str, date: str | None) -> None:
    sup = b.rng.choice(SUPERIORS)
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", date or ""]
    if kind == "table2":
        b.layout_table([[sup, *unit_lines, "*", number], right])
    elif kind == "table3":
        b.layout_table([[sup, *unit_lines, "*", number], [""], right])
    elif kind == "table2_rows":
        # Two rows: names on top, number and date below.
        t = b.doc.add_table(rows=2, cols=2)
        t.cell(0, 0).text = "\n".join([sup, *unit_lines, "*"])
        t.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
        t.cell(1, 0).text = number
        t.cell(1, 1).text = date or ""
    elif kind == "plain":
        for line in [sup, *unit_lines, "*", number]:
            b.para(line, align="left", bold=line in unit_lines)
        b.para("ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, align="right")
        if date:
            b.para(date, italic=True, align="right")
    elif kind == "centred":
        b.para("ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, align="center")
        for line in [sup, *unit_lines]:
            b.para(line, align="center", bold=line in unit_lines)
        b.para(number, align="center")
        if date:
            b.para(date, italic=True, align="center")
    elif kind == "tabs":
        b.para(f"{sup}\t\tĐẢNG CỘNG SẢN VIỆT NAM", align="left")
        b.para(f"{unit_lines[0]}", align="left", bold=True)
        for line in unit_lines[1:]:
            b.para(line, align="left", bold=True)
        b.para(f"{number}\t\t{date or ''}", align="left")
    elif kind == "no_unit":
        b.layout_table([[sup, "*", number], right])


def _title(b: Builder, kind: int) -> None:
    if kind == 0:
        b.para("BÁO CÁO", bold=True, align="center")
        b.para("Sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW ngày 05/9/2016 của Ban Bí thư\n"
               "về đẩy mạnh công tác thông tin cơ sở trong tình hình mới", bold=True,
               align="center")
        b.para("-----", align="center")
    elif kind == 1:
        b.para("BÁO CÁO SƠ KẾT 5 NĂM THỰC HIỆN CHỈ THỊ SỐ 07-CT/TW CỦA BAN BÍ THƯ TRUNG ƯƠNG "
               "ĐẢNG (KHOÁ XII)", bold=True, align="center")
        b.para("về đẩy mạnh công tác thông tin cơ sở trong tình hình mới", italic=True,
               align="center")
    else:
        b.para("BÁO CÁO", bold=True, align="center")
        b.para("Kết quả 5 năm thực hiện Chỉ thị số 07-CT/TW của Ban Bí thư Trung ương Đảng",
               bold=True, align="center")


def _intro(b: Builder, text_name: str | None) -> None:
    who = text_name or "Chi bộ"
    b.para(f"Thực hiện Kế hoạch số 125-KH/ĐUK ngày 15/6/2022 của Ban Thường vụ Đảng uỷ Khối "
           f"về sơ kết 5 năm thực hiện Chỉ thị số 07-CT/TW, {who} báo cáo kết quả như sau:")


def _signature(b: Builder, kind: int, date: str | None) -> None:
    if date:
        b.para(date, italic=True, align="right")
    if kind == 0:
        b.layout_table([["Nơi nhận:", "- Đảng uỷ Khối (b/c),", "- Lưu VP."],
                        ["T/M CHI UỶ", "BÍ THƯ", "", "Nguyễn Văn An"]])
    else:
        b.para("TM. BAN CHẤP HÀNH", bold=True, align="right")
        b.para("BÍ THƯ", bold=True, align="right")
        b.para("Trần Thị Bình", bold=True, align="right")


# ---- heading schemes -------------------------------------------------------------------------

ROMAN = ["I", "II", "III", "IV", "V", "VI"]
PART_WORDS = ["NHẤT", "HAI", "BA", "TƯ"]


@dataclass
class Scheme:
    """How one unit labels its headings, per outline depth."""

    part: str  # format of part labels
    sub: str  # labels of P1's children and of P2/P3's roman children
    leaf: str  # labels of P2.I.x / P2.II.x
    part_caps: bool = True
    part_split: bool = False  # "PHẦN THỨ NHẤT" on its own line, title on the next
    styles: bool = False  # Word "Heading N" styles
    leaf_bold: bool = True
    colon: bool = False  # trailing colon on sub/leaf headings
    wrap: bool = False  # a soft line break inside long part titles
    plain_sub: bool = False  # level 2-3 headings in plain body format (not bold)
    run_in: bool = False  # leaf headings run into their text: "1. Ưu điểm: Cấp uỷ đã …"


def _part_label(s: Scheme, n: int) -> str:
    return {
        "thu": f"PHẦN THỨ {PART_WORDS[n - 1]}",
        "thu_colon": f"Phần thứ {PART_WORDS[n - 1].lower()}:",
        "roman_dot": f"PHẦN {ROMAN[n - 1]}.",
        "arabic_dash": f"Phần {n} -",
        "letter": f"{'ABCD'[n - 1]}.",
        "roman_only": f"{ROMAN[n - 1]}.",
        "none": "",
    }[s.part]


def _label(fmt_name: str, n: int) -> str:
    roman, alpha = ROMAN[(n - 1) % len(ROMAN)], "abcdeg"[(n - 1) % 6]
    return {
        "arabic": f"{n}.", "arabic_space": f"{n} .", "arabic_paren": f"{n})",
        "arabic_dash": f"{n} -", "roman_slash": f"{roman} /", "roman": f"{roman}.",
        "roman_dash": f"{roman}-", "alpha": f"{alpha})",
        "arabic2": f"{n // 10}.{n % 10}.",
        "none": "",
    }[fmt_name]


def _join(label: str, title: str) -> str:
    return f"{label} {title}".strip()


def write_outline(b: Builder, s: Scheme, plan: list[tuple[str, str]], extras: dict) -> None:
    """Write the headings of `plan` ([(outline id or "MERGED", title)]) with bodies."""
    counters: dict[str, int] = {}

    def nxt(key: str) -> int:
        counters[key] = counters.get(key, 0) + 1
        return counters[key]

    parent_part = ""
    offset = 0
    if extras.get("intro_heading"):
        # A non-canonical first part ("ĐẶC ĐIỂM TÌNH HÌNH") shifts the parts' numbers.
        offset = 1
        label = _part_label(s, 1)
        b.heading(None, _join(label, "ĐẶC ĐIỂM TÌNH HÌNH CHUNG"), align="center")
        b.body(n_facts=0, n_distractors=2)
    for sid, title in plan:
        depth = 1 + sid.count(".") if sid != "MERGED" else 3
        real = "P2.II.2" if sid == "MERGED" else sid
        if depth == 1:
            parent_part = sid
            counters.clear()
            n = int(sid[1]) + offset
            label = _part_label(s, n)
            text = title.upper() if s.part_caps else title
            if s.wrap and len(text.split()) > 6:
                words = text.split()
                text = " ".join(words[:5]) + "\n" + " ".join(words[5:])
            style = "Heading 1" if s.styles else None
            if s.part_split and label:
                b.para(label, bold=True, align="center", style=style)
                b.heading(real, text, align="center", style=style)
            else:
                b.heading(real, _join(label, text), align="center" if s.part != "letter"
                          else "both", style=style)
        else:
            if depth == 2:
                # P1's children are numbered like leaves under a roman-part scheme.
                kind = s.sub if not (parent_part == "P1" and s.sub.startswith("roman")
                                     and s.part not in ("letter", "none", "roman_only")) else s.leaf
                if kind == "arabic2":
                    kind = "arabic"
                if s.part == "roman_only":
                    kind = "arabic"
                n = nxt(parent_part)
                style = "Heading 2" if s.styles else None
                bold = True
            else:
                kind = s.leaf if s.part != "roman_only" else "alpha"
                n = nxt(parent_part + "/" + str(counters.get(parent_part, 0)))
                if kind == "arabic2":
                    n += 10 * counters.get(parent_part, 0)
                style = "Heading 3" if s.styles else None
                bold = s.leaf_bold
            label = _label(kind, n)
            text = title + (":" if s.colon else "")
            if depth == 2 and kind.startswith("roman") and not s.styles:
                text = text.upper()
            if s.plain_sub:
                bold = False
            if s.run_in and depth == 3:
                # The heading runs into its first sentence in one (not all bold) paragraph.
                sentence, facts = b.rng.choice(FACT_SENTENCES)(b.rng)
                b.truth.sections.append(real)
                b.section = real
                b.fact_para(_join(label, f"{title}: {sentence}"), facts)
            else:
                b.heading(real, _join(label, text), bold=bold,
                          italic=depth == 3 and not bold and not s.plain_sub, style=style)
        extra = extras.get(sid)
        if extra:
            extra(b)
        if sid in ("P1", "P2", "P3") and b.rng.random() < 0.5:
            continue  # a part heading directly followed by its first child
        if sid in ("P2.I", "P2.II", "P3") and b.rng.random() < 0.5:
            continue
        if sid == "P3.I":
            # A numbered list of tasks inside the section: not headings.
            for k, task in enumerate(TASKS, 1):
                b.para(f"{k}. {task}")
        b.body(n_facts=b.rng.randint(0, 2) if depth > 1 else 0, n_distractors=1)


def make_plan(rng: random.Random, variant: dict) -> list[tuple[str, str]]:
    ids = list(OUTLINE)
    for sid in variant.get("skip", []):
        ids.remove(sid)
    if variant.get("merge"):
        k = ids.index("P2.II.2")
        ids[k] = "MERGED"
        ids.remove("P2.II.3")
    for a, c in variant.get("swap", []):
        if a not in ids or c not in ids:
            continue
        i, j = ids.index(a), ids.index(c)
        ids[i], ids[j] = ids[j], ids[i]
    pick = variant.get("titles", rng.randrange(3))
    out = []
    for sid in ids:
        if sid == "MERGED":
            out.append((sid, rng.choice(MERGED_TITLES)))
        else:
            choices = TITLES[sid]
            out.append((sid, choices[(pick + rng.randrange(2)) % len(choices)]))
    return out


SCHEMES = [
    Scheme("letter", "roman", "arabic"),
    Scheme("thu_colon", "roman_slash", "arabic_space", part_caps=False),
    Scheme("roman_dot", "roman", "arabic", colon=True),
    Scheme("arabic_dash", "roman_dash", "arabic_paren", part_caps=False),
    Scheme("none", "roman", "arabic"),
    Scheme("roman_only", "arabic", "alpha"),
    Scheme("thu", "roman_slash", "arabic_space", part_split=True),
    Scheme("thu", "roman", "arabic", styles=True),
    Scheme("roman_dot", "roman_dash", "arabic_dash", leaf_bold=False),
    Scheme("thu_colon", "roman", "alpha", part_caps=False, colon=True),
    Scheme("thu", "arabic", "arabic2", wrap=True),
    Scheme("roman_dot", "roman_slash", "arabic2", part_caps=False),
    Scheme("thu", "roman", "arabic", plain_sub=True),
    Scheme("arabic_dash", "roman", "arabic", run_in=True),
]

HEADERS = ["table2", "table3", "plain", "centred", "tabs", "table2_rows"]


def build_one(k: int) -> tuple[str, bytes, dict]:
    rng = random.Random(1000 + k)
    unit_id, caps_name, text_name = UNITS[k % len(UNITS)]
    scheme = SCHEMES[k % len(SCHEMES)]
    header = HEADERS[k % len(HEADERS)]
    no_unit_in_header = k in (7, 19, 26)
    if no_unit_in_header:
        header = "no_unit"
    d, m = 1 + (k * 7) % 28, 7 if k % 3 else 6
    date = _date_text(k, d, m)
    date_at_end = k in (5, 17)
    name = f"v{k + 1:02d}"
    b = Builder(name, unit_id, f"2022-{m:02d}-{d:02d}", rng)
    unit_lines = [caps_name]
    if k % 4 == 1 and len(caps_name.split()) > 4:
        words = caps_name.split()
        half = len(words) // 2 + 1
        unit_lines = [" ".join(words[:half]), " ".join(words[half:])]  # name over two lines
    number = rng.choice([f"Số: {rng.randint(2, 60)} - BC/CB", f"Số {rng.randint(2, 60)}-BC/ĐU",
                         f"Số: {rng.randint(2, 60)}-BC/CB"])
    _header(b, header, unit_lines, number, None if date_at_end else date)
    _title(b, k % 3)
    _intro(b, text_name)
    variant: dict = {}
    if k % 5 == 0:
        variant["skip"] = ["P2.I.4"]
    if k % 5 == 2:
        variant["skip"] = ["P1.3", "P2.II.4", "P2.I.4"]
    if k % 6 == 3:
        variant["merge"] = True
    if k % 7 == 4:
        variant["swap"] = [("P1.3", "P1.4")]
    if k % 8 == 6:
        variant["skip"] = ["P3.I", "P3.II"]
    extras: dict = {}
    if k % 3 == 0:
        extras["P2.I.1"] = lambda bb: bb.figure_table(k % 2)
    if k % 9 == 4:
        extras["intro_heading"] = True
    docs_inline = k % 4 == 2
    if docs_inline:
        extras["P1.3"] = lambda bb: bb.documents_table(k)
    plan = make_plan(rng, variant)
    if docs_inline and "P1.3" not in [s for s, _ in plan]:
        extras["P1.1"] = extras.pop("P1.3")
    write_outline(b, scheme, plan, extras)
    _signature(b, k % 2, date if date_at_end else None)
    if not docs_inline and k % 2 == 0:
        b.para("PHỤ LỤC", bold=True, align="center")
        b.documents_table(k)
    buf = io.BytesIO()
    b.doc.save(buf)
    truth = b.truth.to_json()
    truth["scheme"] = scheme.part
    truth["header"] = header
    return name, buf.getvalue(), truth


N_REPORTS = 40


def build_all() -> list[tuple[str, bytes, dict]]:
    return [build_one(k) for k in range(N_REPORTS)]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    (out / "units.toml").write_text(REGISTRY_TOML, "utf-8")
    for name, data, truth in build_all():
        (out / f"{name}.docx").write_bytes(data)
        (out / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
    print(f"wrote {N_REPORTS} reports to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
