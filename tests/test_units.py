"""The unit registry: lookups by address and by a name written in free text."""

from __future__ import annotations

from parsers.units import registry_from_toml

REGISTRY = registry_from_toml(
    """
[[units]]
id = "so-vhttdl"
name = "Đảng bộ Sở Văn hoá, Thể thao và Du lịch"
emails = ["vanthu.svhttdl@phutho.gov.vn"]
aliases = ["Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"]

[[units]]
id = "so-tu-phap"
name = "Chi bộ Sở Tư pháp"
emails = ["chibosotuphap.pt@gmail.com"]
aliases = ["Sở Tư pháp"]
"""
)


def test_named_in_finds_the_unit_in_a_subject_whatever_the_tone_marks():
    unit = REGISTRY.named_in("Fwd: ĐẢNG BỘ SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH gửi báo cáo sơ kết")
    assert unit is not None and unit.id == "so-vhttdl"
    assert REGISTRY.named_in("Báo cáo của Sở Tư pháp").id == "so-tu-phap"


def test_named_in_needs_whole_words():
    assert REGISTRY.named_in("Báo cáo sơ kết Chỉ thị 07") is None
    assert REGISTRY.named_in("xSVHTTDLx") is None


def test_by_email_ignores_case():
    assert REGISTRY.by_email(" ChiBoSoTuPhap.PT@gmail.com").id == "so-tu-phap"
    assert REGISTRY.by_email("nobody@example.com") is None
