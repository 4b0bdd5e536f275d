"""Configuration: the shipped campaign, the reference campaign file, tonghop.toml."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from parsers.campaign import campaign_from_toml
from pipeline.config import ConfigError, load_campaign, load_registry, load_settings
from tests.helpers import SHARED, require_samples


def test_shipped_campaign_has_the_reference_outline_and_indicators():
    campaign = load_campaign()
    assert [s.id for s in campaign.sections][:3] == ["P1", "P1.1", "P1.2"]
    assert len(campaign.sections) == 20
    assert campaign.section("P2.I.3").parent == "P2.I"
    assert campaign.section("P2.I.3").level == 3
    assert campaign.unit_deadline == date(2022, 7, 20)
    assert campaign.digest_time == time(7, 30)
    assert campaign.indicator("kinh_phi").unit == "VND"
    assert campaign.documents_table is not None
    assert campaign.documents_table.columns[1] == "so_hieu"


def test_reference_campaign_file_loads_unchanged():
    path = SHARED / "campaign-ct07-2022.toml"
    if not path.exists():
        pytest.skip("shared reference campaign not present")
    reference = campaign_from_toml(path.read_text(encoding="utf-8"))
    assert reference == load_campaign()


def test_sample_registry_loads():
    registry = load_registry(require_samples() / "units.toml")
    unit = registry.get("so-tu-phap")
    assert unit is not None and unit.name == "Chi bộ Sở Tư pháp"
    assert registry.by_email("ChiBoSoTuPhap.pt@gmail.com") == unit


def test_settings_resolve_relative_paths_and_never_read_secrets_from_file(tmp_path: Path):
    (tmp_path / "units.toml").write_text(
        '[[units]]\nid = "a"\nname = "Chi bộ A"\n', encoding="utf-8"
    )
    config = tmp_path / "tonghop.toml"
    config.write_text(
        """
[campaign]
units = "units.toml"
[mailbox]
kind = "imap"
host = "127.0.0.1"
port = 1143
tls = "none"
username = "btg"
password_env = "TONGHOP_TEST_PASSWORD_UNSET"
[storage]
url = "sqlite:///var/t.db"
archive = "var/archive"
""",
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.registry.get("a").name == "Chi bộ A"
    assert settings.storage.archive == (tmp_path / "var" / "archive").resolve()
    assert settings.storage.url == "sqlite:///" + str((tmp_path / "var" / "t.db").resolve())
    with pytest.raises(ConfigError, match="TONGHOP_TEST_PASSWORD_UNSET"):
        settings.mailbox.password()


def test_unknown_config_keys_are_reported(tmp_path: Path):
    config = tmp_path / "tonghop.toml"
    config.write_text('[mailbox]\nkind = "imap"\npasword_env = "X"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="pasword_env"):
        load_settings(config)


def test_example_config_loads():
    settings = load_settings(Path(__file__).resolve().parents[1] / "config" / "tonghop.example.toml")
    assert settings.mailbox.tls == "ssl" and settings.smtp.tls == "ssl"
    assert settings.registry.units
