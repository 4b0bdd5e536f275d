"""Vietnamese report prose: section bodies with numeric indicators written in many ways,
mixed with numbers that are NOT indicators (dates, document numbers, percentages, ratios,
years, durations, party-member counts).

A paragraph is a list of segments `(text, tag)`; tag "num" marks the numeral of a fact (so the
writer may split or track-change it), "" is plain text. Facts are returned beside the text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

Seg = tuple[str, str]


@dataclass
class FactTruth:
    indicator: str
    value: int
    qualifier: str | None
    written: str
    location: str = "body"
    section: str | None = None

    def as_json(self) -> dict:
        return {"indicator": self.indicator, "value": self.value, "qualifier": self.qualifier,
                "section": self.section, "written": self.written, "location": self.location}


# Value ranges of each count indicator (kinh_phi is money, chosen in đồng separately).
RANGES: dict[str, tuple[int, int]] = {
    "hoi_nghi": (2, 60), "luot_nguoi_du": (40, 9000), "tai_lieu": (20, 2500),
    "ban_tin": (4, 300), "tin_bai": (10, 4000), "bang_ron": (3, 180), "pa_no": (1, 60),
    "to_gap": (50, 6000), "buoi_tuyen_truyen": (4, 240), "bao_cao_vien": (1, 12),
    "tuyen_truyen_vien": (1, 30), "thong_tin_vien": (1, 25), "van_ban_chi_dao": (2, 40),
    "lop_boi_duong": (1, 12), "trang_mang_xa_hoi": (1, 9), "bang_tin": (1, 12),
    "dau_sach": (20, 3000),
}

QUALIFIER_WORDS = {"tren": "trên", "hon": "hơn", "gan": "gần", "khoang": "khoảng"}

# Sentences carrying facts: {indicator} is where the (qualifier +) numeral goes.
FACT_SENTENCES: dict[str, tuple[str, ...]] = {
    "P1.1": (
        "Chi bộ đã tổ chức {hoi_nghi} hội nghị quán triệt, triển khai Chỉ thị với {luot_nguoi_du} "
        "lượt cán bộ, đảng viên tham dự.",
        "Cấp uỷ ban hành {van_ban_chi_dao} văn bản chỉ đạo, hướng dẫn thực hiện, trong đó có "
        "Kế hoạch số {DOCNO} ngày {DATE}.",
        "Phối hợp với công đoàn, chi đoàn in và cấp phát {tai_lieu} tài liệu tuyên truyền cho "
        "{PCT} cán bộ, đảng viên trong cơ quan.",
        "Cử cán bộ tham gia {lop_boi_duong} lớp tập huấn, bồi dưỡng nghiệp vụ do Ban Tuyên giáo "
        "Đảng uỷ Khối tổ chức.",
        "Tổ chức được {hoi_nghi} cuộc hội nghị, thu hút {luot_nguoi_du} người tham dự; "
        "{RATIO} đảng viên được học tập, quán triệt.",
        "Kết quả: đã tổ chức được {hoi_nghi} hội nghị; số người tham dự đạt {luot_nguoi_du} "
        "lượt người, đạt {PCT} so với kế hoạch.",
        "Năm {YEAR}, Chi uỷ phân công 02 đồng chí theo dõi; in sao {tai_lieu} bộ tài liệu "
        "gửi các tổ đảng.",
    ),
    "P1.3": (
        "Đã cụ thể hoá bằng {van_ban_chi_dao} văn bản, gồm kế hoạch, quy chế và hướng dẫn; "
        "Quy chế phát ngôn được ban hành theo Quyết định số {QD} ngày {DATE}.",
        "Trong {DUR}, Chi bộ ban hành {van_ban_chi_dao} văn bản chỉ đạo về công tác thông tin "
        "cơ sở.",
    ),
    "P2.I.1": (
        "Đội ngũ báo cáo viên gồm {bao_cao_vien} báo cáo viên và {tuyen_truyen_vien} tuyên "
        "truyền viên, thường xuyên được cập nhật thông tin.",
        "Cơ quan bố trí {thong_tin_vien} cộng tác viên làm công tác thông tin cơ sở; tổ chức "
        "{buoi_tuyen_truyen} buổi tuyên truyền miệng tại các phòng, đơn vị.",
        "Treo {bang_ron} băng rôn, khẩu hiệu và {pa_no} pa nô, áp phích nhân các ngày lễ lớn "
        "của đất nước, của tỉnh trong giai đoạn {PERIOD}.",
        "In và phát hành {to_gap} tờ gấp, tờ rơi tuyên truyền về phòng, chống dịch bệnh và "
        "cải cách hành chính.",
        "Phối hợp tổ chức {hoi_nghi} hội nghị báo cáo viên với {luot_nguoi_du} lượt người "
        "tham gia.",
        "Duy trì {buoi_tuyen_truyen} cuộc tuyên truyền trong sinh hoạt chi bộ định kỳ; "
        "{PCT} đảng viên tham gia đầy đủ.",
        "Trong {DUR}, cơ quan đã cấp phát {to_gap} tờ rơi và treo {bang_ron} khẩu hiệu tại "
        "trụ sở; thời gian treo mỗi đợt từ 7 đến 10 ngày.",
        "Đội ngũ gồm {bao_cao_vien} báo cáo viên cấp cơ sở (03 đồng chí là cấp uỷ viên) và "
        "{thong_tin_vien} thông tin viên.",
    ),
    "P2.I.2": (
        "Thành lập {trang_mang_xa_hoi} nhóm Zalo và trang Facebook để chia sẻ thông tin; "
        "đăng tải {tin_bai} tin, bài trên Cổng thông tin điện tử của cơ quan.",
        "Xuất bản {ban_tin} số bản tin nội bộ, mỗi số từ 8 đến 12 trang.",
        "Từ năm {YEAR} đến nay, trang thông tin điện tử của đơn vị đã đăng {tin_bai} bài viết "
        "về hoạt động chuyên môn và công tác đảng.",
        "Hiện có {trang_mang_xa_hoi} trang mạng xã hội do cơ quan quản lý, thu hút hàng nghìn "
        "lượt theo dõi.",
        "Cổng thông tin điện tử của cơ quan (vận hành từ năm {YEAR}) đã đăng tải {tin_bai} tin "
        "và bài; đường dây nóng 0210.3846.115 hoạt động 24/24 giờ.",
    ),
    "P2.I.3": (
        "Tổng kinh phí đầu tư, nâng cấp trang thiết bị phục vụ công tác thông tin cơ sở là "
        "{kinh_phi}.",
        "Đơn vị đã đầu tư {kinh_phi} để mua sắm máy tính, màn hình và hệ thống âm thanh "
        "phục vụ hội nghị trực tuyến.",
        "Giai đoạn {PERIOD}, kinh phí chi cho công tác thông tin cơ sở đạt {kinh_phi}, trong "
        "đó nguồn xã hội hoá chiếm {PCT}.",
    ),
    "P2.I.4": (
        "Xây dựng chuyên trang, chuyên mục về cơ sở với {tin_bai} tin, bài phản ánh hoạt động "
        "của các địa phương.",
        "Phát hành {ban_tin} bản tin chuyên đề phục vụ cơ sở, thời lượng 15 phút mỗi số.",
    ),
    "P2.I.5": (
        "Cơ quan duy trì {bang_tin} bảng tin tại trụ sở và {dau_sach} đầu sách trong tủ sách "
        "pháp luật.",
        "Bổ sung {dau_sach} cuốn sách cho thư viện, phòng đọc với kinh phí {kinh_phi}.",
        "Tủ sách pháp luật hiện có {dau_sach} đầu sách, phục vụ khoảng 30% cán bộ mượn đọc "
        "thường xuyên.",
        "Rà soát, củng cố {bang_tin} bảng tin; {PCT} phòng, ban có góc tuyên truyền.",
    ),
    "P2.II.1": (
        "Nhờ đó, {RATIO} đảng viên đã cài đặt ứng dụng và tiếp cận thông tin kịp thời.",
    ),
}

PROSE: dict[str, tuple[str, ...]] = {
    "P1": (
        "Chỉ thị số 07-CT/TW được cấp uỷ xác định là nhiệm vụ thường xuyên, gắn với thực hiện "
        "nhiệm vụ chính trị của cơ quan.",
    ),
    "P1.1": (
        "Ban Chấp hành gồm 05 đồng chí, trong đó 02 đồng chí trực tiếp phụ trách công tác tuyên "
        "giáo.",
        "Ngay sau khi có Chỉ thị, cấp uỷ đã kịp thời chỉ đạo quán triệt đến toàn thể cán bộ, "
        "đảng viên, công chức, viên chức và người lao động.",
        "Việc quán triệt được thực hiện nghiêm túc, đúng thời gian, gắn với sinh hoạt chi bộ "
        "định kỳ hằng tháng.",
    ),
    "P1.2": (
        "Cấp uỷ, lãnh đạo cơ quan nhận thức đầy đủ vị trí, vai trò của công tác thông tin cơ "
        "sở trong việc tạo đồng thuận xã hội.",
        "Tuy nhiên, vẫn còn một số ít cán bộ, đảng viên chưa quan tâm đúng mức đến việc tiếp "
        "nhận và phản hồi thông tin.",
    ),
    "P1.3": (
        "Nội dung Chỉ thị được đưa vào chương trình công tác toàn khoá và nghị quyết lãnh đạo "
        "thực hiện nhiệm vụ hằng năm của chi bộ.",
    ),
    "P1.4": (
        "Công tác kiểm tra, giám sát việc thực hiện Chỉ thị được lồng ghép trong chương trình "
        "kiểm tra, giám sát hằng năm của cấp uỷ.",
        "Qua kiểm tra, các tổ chức đoàn thể đều thực hiện nghiêm túc, không có vi phạm phải "
        "xử lý.",
    ),
    "P2": (
        "Sau 5 năm triển khai, công tác thông tin cơ sở của cơ quan có nhiều chuyển biến "
        "tích cực.",
    ),
    "P2.I": (
        "Việc thực hiện các nhiệm vụ của Chỉ thị được gắn với Quyết định số 52/2016/QĐ-TTg ngày "
        "06/12/2016 của Thủ tướng Chính phủ.",
    ),
    "P2.I.1": (
        "Phát huy vai trò của các tổ chức đoàn thể trong việc cung cấp thông tin đến từng cán "
        "bộ, đảng viên.",
        "Kịp thời biểu dương, nhân rộng các điển hình tiên tiến, gương người tốt, việc tốt.",
    ),
    "P2.I.2": (
        "Khai thác, sử dụng có hiệu quả hộp thư điện tử công vụ và hệ thống quản lý văn bản "
        "điều hành.",
    ),
    "P2.I.3": (
        "Hệ thống mạng nội bộ, đường truyền Internet được nâng cấp, bảo đảm kết nối thông suốt "
        "phục vụ điều hành.",
    ),
    "P2.I.4": (
        "Chương trình truyền thông về cơ sở được xây dựng theo hướng gần gũi, thiết thực với "
        "đời sống nhân dân.",
    ),
    "P2.I.5": (
        "Bảng tin của cơ quan được đặt tại sảnh tầng 1, cập nhật thông tin hằng tuần.",
    ),
    "P2.II": (
        "Nhìn chung, việc thực hiện Chỉ thị đạt được nhiều kết quả quan trọng.",
    ),
    "P2.II.1": (
        "Nội dung thông tin ngày càng phong phú, đa dạng, đáp ứng nhu cầu của cán bộ, đảng viên.",
        "Cấp uỷ quan tâm lãnh đạo, chỉ đạo; sự phối hợp giữa các tổ chức đoàn thể ngày càng "
        "chặt chẽ.",
    ),
    "P2.II.2": (
        "Công tác thông tin cơ sở ở một số thời điểm còn chậm, chưa kịp thời định hướng dư luận.",
        "Cơ sở vật chất, trang thiết bị còn thiếu, chưa đồng bộ.",
    ),
    "P2.II.3": (
        "Một số cấp uỷ viên chưa thật sự quan tâm; kinh phí dành cho công tác thông tin còn hạn "
        "hẹp.",
    ),
    "P2.II.4": (
        "Phải thường xuyên quan tâm lãnh đạo, chỉ đạo, phát huy vai trò người đứng đầu cấp uỷ.",
    ),
    "P3": (
        "Để nâng cao chất lượng, hiệu quả công tác thông tin cơ sở trong thời gian tới, Chi bộ "
        "tập trung thực hiện tốt một số nhiệm vụ sau.",
    ),
    "P3.I": (
        "Tiếp tục quán triệt sâu sắc Chỉ thị số 07-CT/TW; phấn đấu đến năm 2025 có 100% đảng "
        "viên sử dụng thành thạo các nền tảng số.",
        "Đổi mới nội dung, phương thức tuyên truyền; đẩy mạnh ứng dụng công nghệ thông tin.",
    ),
    "P3.II": (
        "Đề nghị Đảng uỷ Khối tiếp tục mở các lớp bồi dưỡng nghiệp vụ cho đội ngũ báo cáo viên.",
        "Đề nghị tỉnh quan tâm bố trí kinh phí cho công tác thông tin cơ sở.",
    ),
    "EXTRA": (
        "Chi bộ hiện có {MEMBERS} đảng viên, sinh hoạt tại {CELLS} tổ đảng; cơ quan có {STAFF} "
        "công chức, viên chức và người lao động.",
    ),
}

NOT_APPLICABLE = (
    "Chi bộ không thuộc đối tượng thực hiện nội dung này.",
    "Không thuộc đối tượng báo cáo (đơn vị không phải cơ quan báo chí).",
    "Nội dung này không thuộc đối tượng của đơn vị.",
)

# Rows of a figure table: label (with the term a reader keys on), indicator.
TABLE_ROWS: dict[str, tuple[str, ...]] = {
    "hoi_nghi": ("Số hội nghị quán triệt, tuyên truyền", "Hội nghị quán triệt"),
    "luot_nguoi_du": ("Số lượt người tham dự", "Lượt người tham dự hội nghị"),
    "tai_lieu": ("Tài liệu phát hành", "Số tài liệu tuyên truyền"),
    "ban_tin": ("Số bản tin", "Bản tin nội bộ"),
    "tin_bai": ("Tin, bài đăng tải", "Số tin bài"),
    "bang_ron": ("Băng rôn, khẩu hiệu", "Số băng rôn"),
    "pa_no": ("Pa nô, áp phích", "Số pa nô"),
    "to_gap": ("Tờ gấp, tờ rơi", "Số tờ rơi"),
    "buoi_tuyen_truyen": ("Số buổi tuyên truyền miệng", "Buổi tuyên truyền"),
    "bao_cao_vien": ("Số báo cáo viên", "Báo cáo viên"),
    "tuyen_truyen_vien": ("Số tuyên truyền viên", "Tuyên truyền viên"),
    "thong_tin_vien": ("Thông tin viên, cộng tác viên", "Số cộng tác viên"),
    "lop_boi_duong": ("Lớp tập huấn, bồi dưỡng", "Số lớp bồi dưỡng"),
    "trang_mang_xa_hoi": ("Trang, nhóm mạng xã hội (nhóm Zalo, fanpage)", "Số nhóm Zalo"),
    "bang_tin": ("Số bảng tin", "Bảng tin"),
    "dau_sach": ("Đầu sách, cuốn sách", "Số đầu sách"),
    "kinh_phi": ("Kinh phí đầu tư (đồng)", "Tổng kinh phí (đồng)"),
}

PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def pick_value(rng: random.Random, indicator: str) -> int:
    if indicator == "kinh_phi":
        kind = rng.random()
        if kind < 0.35:
            return rng.randint(5, 900) * 1_000_000
        if kind < 0.6:
            return rng.randint(50, 900) * 100_000
        if kind < 0.8:
            return rng.randint(11, 45) * 100_000_000
        return rng.randint(10_000, 900_000) * 1_000
    lo, hi = RANGES[indicator]
    # Small units report small numbers: skew towards the low end.
    return int(lo + (hi - lo) * rng.random() ** 2.2)


def group(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def write_count(rng: random.Random, value: int) -> str:
    r = rng.random()  # always one draw: a corrected version keeps the same layout
    if value < 10 and r < 0.3:
        return f"{value:02d}"
    if 1000 <= value < 10000 and r < 0.15:
        return str(value)
    return group(value)


def write_money(rng: random.Random, value: int) -> str:
    """A money expression for `value` đồng, in one of the ways units write it."""
    r1, r2, r3 = rng.random(), rng.random(), rng.random()
    if value % 100_000_000 == 0 and value >= 1_000_000_000 and r1 < 0.8:
        billions = value / 1_000_000_000
        text = f"{billions:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{text} tỷ đồng"
    if value % 100_000 == 0 and r2 < 0.6:
        millions = value / 1_000_000
        text = f"{millions:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{text} triệu đồng"
    return f"{group(value)} đồng" if r3 < 0.93 else f"{group(value)}đ"


def _distractor(rng: random.Random, name: str) -> str:
    if name == "DATE":
        y, m, d = rng.randint(2016, 2022), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice((f"{d:02d}/{m}/{y}", f"{d}/{m:02d}/{y}", f"{d:02d}-{m}-{y}",
                           f"{d} tháng {m} năm {y}"))
    if name == "DOCNO":
        return f"{rng.randint(2, 120):02d}-{rng.choice(('KH', 'HD', 'CV', 'NQ'))}/CB"
    if name == "QD":
        return f"{rng.randint(5, 300)}/QĐ-{rng.choice(('UBND', 'STP', 'SYT', 'CB'))}"
    if name == "PCT":
        return rng.choice(("100%", f"{rng.randint(80, 99)},{rng.randint(1, 9)}%", "95%"))
    if name == "RATIO":
        n = rng.randint(12, 90)
        return f"{n - rng.randint(0, 3)}/{n}"
    if name == "YEAR":
        return str(rng.randint(2016, 2019))
    if name == "DUR":
        return rng.choice(("5 năm", "05 năm qua", "giai đoạn 2016 - 2021"))
    if name == "PERIOD":
        return rng.choice(("2016 - 2021", "2016-2021", "từ năm 2016 đến năm 2021"))
    if name == "MEMBERS":
        return str(rng.randint(9, 240))
    if name == "CELLS":
        return f"{rng.randint(2, 9):02d}"
    if name == "STAFF":
        return str(rng.randint(20, 800))
    raise KeyError(name)


def render_sentence(
    rng: random.Random, template: str, values: dict[str, int], qualifiers: dict[str, str | None],
    location: str = "body",
) -> tuple[list[Seg], list[FactTruth]]:
    """Fill a template: indicators from `values`, distractors at random."""
    segs: list[Seg] = []
    facts: list[FactTruth] = []
    pos = 0
    for m in PLACEHOLDER.finditer(template):
        if m.start() > pos:
            segs.append((template[pos:m.start()], ""))
        name = m.group(1)
        if name.islower():
            value = values[name]
            qual = qualifiers.get(name)
            written = write_money(rng, value) if name == "kinh_phi" else write_count(rng, value)
            if qual:
                segs.append((QUALIFIER_WORDS[qual] + " ", ""))
            segs.append((written, "num"))
            facts.append(FactTruth(name, value, qual, written, location))
        else:
            segs.append((_distractor(rng, name), ""))
        pos = m.end()
    if pos < len(template):
        segs.append((template[pos:], ""))
    return segs, facts


def sentence_indicators(template: str) -> list[str]:
    return [n for n in PLACEHOLDER.findall(template) if n.islower()]


def fill_prose(rng: random.Random, template: str) -> str:
    return PLACEHOLDER.sub(lambda m: _distractor(rng, m.group(1)), template)
