"""The current time, overridable with TONGHOP_NOW (ISO datetime) for demos and replays."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    """Timezone-aware now; TONGHOP_NOW (e.g. "2022-07-21T07:30:00+07:00") when set."""
    override = os.environ.get("TONGHOP_NOW")
    if override:
        moment = datetime.fromisoformat(override)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)
