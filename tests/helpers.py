"""Shared test helpers: real files and system programs, skipped only off CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "samples"
REPO = Path(__file__).resolve().parents[1]


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_binary(name: str, *alternatives: str) -> str:
    """Path of a system program; skip when missing on a user's machine, fail on CI."""
    for candidate in (name, *alternatives):
        found = shutil.which(candidate)
        if found:
            return found
    message = f"{name} is not installed (Debian package needed; .ci/run installs it)"
    if on_ci():
        pytest.fail(message)
    pytest.skip(message)


def require_samples() -> Path:
    """The shared sample corpus beside the repo (../shared/samples)."""
    if not SAMPLES.is_dir():
        message = f"shared samples not found at {SAMPLES}"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)
    return SAMPLES
