"""How units write the outline's headings: paraphrases, label schemes, merges."""

from __future__ import annotations

# Paraphrased titles units write instead of the outline's wording (canonical one comes first
# from the campaign).
PARAPHRASES: dict[str, tuple[str, ...]] = {
    "P1": ("Công tác quán triệt, triển khai thực hiện Chỉ thị",
           "Tình hình quán triệt và tổ chức triển khai thực hiện Chỉ thị số 07-CT/TW",
           "Việc quán triệt, triển khai Chỉ thị số 07-CT/TW"),
    "P1.1": ("Công tác lãnh đạo, chỉ đạo quán triệt và tổ chức triển khai thực hiện",
             "Về công tác lãnh đạo, chỉ đạo",
             "Công tác lãnh đạo, chỉ đạo, quán triệt, triển khai thực hiện Chỉ thị"),
    "P1.2": ("Nhận thức của cấp uỷ, lãnh đạo cơ quan về công tác thông tin cơ sở",
             "Về nhận thức của cấp uỷ, lãnh đạo cơ quan, đơn vị",
             "Nhận thức về vị trí, vai trò của công tác thông tin cơ sở"),
    "P1.3": ("Việc thể chế hoá Chỉ thị số 07-CT/TW",
             "Công tác thể chế hoá Chỉ thị vào thực tiễn của cơ quan",
             "Về thể chế hoá Chỉ thị"),
    "P1.4": ("Công tác hướng dẫn, kiểm tra, giám sát",
             "Về công tác kiểm tra, giám sát",
             "Hướng dẫn, kiểm tra, giám sát việc thực hiện Chỉ thị"),
    "P2": ("Kết quả 5 năm thực hiện Chỉ thị số 07-CT/TW",
           "Kết quả sau 05 năm thực hiện Chỉ thị",
           "Kết quả thực hiện Chỉ thị số 07-CT/TW"),
    "P2.I": ("Kết quả thực hiện các nhiệm vụ",
             "Kết quả tổ chức, triển khai thực hiện các nhiệm vụ nêu trong Chỉ thị",
             "Kết quả thực hiện các nhiệm vụ của Chỉ thị gắn với Quyết định số 52/2016/QĐ-TTg"),
    "P2.I.1": ("Về phát huy sức mạnh tổng hợp của hệ thống chính trị",
               "Phát huy sức mạnh của hệ thống chính trị trong công tác thông tin cơ sở",
               "Phát huy sức mạnh tổng hợp của các tổ chức trong hệ thống chính trị"),
    "P2.I.2": ("Ứng dụng công nghệ về truyền thông đa phương tiện",
               "Kết quả ứng dụng công nghệ thông tin, truyền thông đa phương tiện",
               "Về ứng dụng công nghệ truyền thông"),
    "P2.I.3": ("Kết quả đầu tư cơ sở vật chất, phương tiện kỹ thuật",
               "Đầu tư, nâng cấp cơ sở vật chất, trang thiết bị",
               "Về đầu tư, nâng cấp cơ sở vật chất, phương tiện, thiết bị kỹ thuật"),
    "P2.I.4": ("Kết quả xây dựng chương trình truyền thông",
               "Xây dựng chương trình truyền thông về cơ sở",
               "Về chương trình truyền thông cơ sở"),
    "P2.I.5": ("Rà soát, củng cố các thiết chế văn hoá - thông tin cơ sở",
               "Kết quả rà soát, củng cố thiết chế văn hoá, thông tin",
               "Về củng cố bảng tin, tủ sách pháp luật, thư viện"),
    "P2.II": ("Đánh giá chung", "Đánh giá kết quả thực hiện", "Nhận xét, đánh giá chung"),
    "P2.II.1": ("Ưu điểm", "Ưu điểm, kết quả nổi bật", "Những ưu điểm"),
    "P2.II.2": ("Hạn chế, khó khăn", "Hạn chế, khó khăn, vướng mắc", "Những hạn chế, tồn tại"),
    "P2.II.3": ("Nguyên nhân của hạn chế", "Nguyên nhân hạn chế, khó khăn, vướng mắc",
                "Nguyên nhân"),
    "P2.II.4": ("Bài học kinh nghiệm", "Một số bài học kinh nghiệm", "Bài học rút ra"),
    "P3": ("Phương hướng, nhiệm vụ trong thời gian tới",
           "Phương hướng, nhiệm vụ, giải pháp thời gian tới",
           "Nhiệm vụ, giải pháp nâng cao hiệu quả công tác thông tin cơ sở"),
    "P3.I": ("Nhiệm vụ, giải pháp", "Phương hướng, nhiệm vụ", "Nhiệm vụ và giải pháp chủ yếu"),
    "P3.II": ("Kiến nghị, đề xuất", "Đề xuất, kiến nghị", "Đề xuất, kiến nghị với Đảng uỷ Khối"),
}

MERGED_TITLE = ("Hạn chế, khó khăn, vướng mắc và nguyên nhân",
                "Hạn chế, khó khăn và nguyên nhân")

EXTRA_HEADINGS = ("ĐẶC ĐIỂM TÌNH HÌNH", "Đặc điểm tình hình", "KHÁI QUÁT ĐẶC ĐIỂM TÌNH HÌNH")

PART_WORDS = ("NHẤT", "HAI", "BA")

# Typed label schemes: name -> function(position) -> (label, separator written after it).
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


def typed_label(scheme: str, n: int) -> tuple[str, str]:
    """(label as in the truth, text written after it before the title)."""
    if scheme == "phan_caps":
        return f"PHẦN THỨ {PART_WORDS[n - 1]}", ""
    if scheme == "phan_dot":
        return f"Phần thứ {PART_WORDS[n - 1].lower()}", ". "
    if scheme == "phan_colon":
        return f"PHẦN THỨ {PART_WORDS[n - 1]}", ": "
    if scheme == "phan_roman":
        return f"PHẦN {ROMAN[n - 1]}", ". "
    if scheme == "letter":
        return f"{'ABC'[n - 1]}.", " "
    if scheme == "roman_dot":
        return f"{ROMAN[n - 1]}.", " "
    if scheme == "roman_dash":
        return f"{ROMAN[n - 1]}-", " "
    if scheme == "dec_dot":
        return f"{n}.", " "
    if scheme == "dec_dash":
        return f"{n}-", " "
    if scheme == "dec_paren":
        return f"{n})", " "
    if scheme == "letter_paren":
        return f"{'abcdefgh'[n - 1]})", " "
    raise KeyError(scheme)


# Weighted: most units keep the outline's "PHẦN THỨ …"; some use A./B./C. or "PHẦN I".
LEVEL1_TYPED = ("phan_caps",) * 9 + ("phan_dot",) * 5 + ("phan_colon",) * 3 + ("letter",) * 3 + (
    "phan_roman",)
LEVEL2_PART_TYPED = ("roman_dot", "roman_dash")  # children of P2 / P3
LEVEL2_P1_TYPED = ("dec_dot", "dec_dash", "dec_paren")  # children of P1
LEVEL3_TYPED = ("dec_dot", "dec_dash", "dec_paren", "letter_paren")

# Auto-numbering abstract ids (docx_writer.ABSTRACT_NUMS) per level group.
LEVEL1_AUTO = (6,)
LEVEL2_PART_AUTO = (2, 7)
LEVEL2_P1_AUTO = (1, 3)
LEVEL3_AUTO = (1, 3, 4, 5)
