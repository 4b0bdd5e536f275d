"""`tonghop --config F draft --out FILE.docx`: the consolidated draft report."""

from __future__ import annotations

import logging
from pathlib import Path

from aggregators.draft import build_draft
from pipeline.draft_docx import load_phrases, write_docx

log = logging.getLogger(__name__)


def _statuses(settings):
    # Imported here: the store and status modules are heavier and not needed by `parse`.
    from aggregators.status import unit_statuses
    from pipeline.store import Store

    store = Store.open(settings)
    try:
        submissions = store.submissions()
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()
    return unit_statuses(submissions, settings.registry, settings.campaign)


def write_draft(settings, out_path: Path) -> Path:
    """Build the draft from the store and write it; returns the written path."""
    statuses = _statuses(settings)
    draft = build_draft(statuses, settings.campaign, settings.registry, load_phrases())
    path = write_docx(draft, Path(out_path))
    log.info("draft written: %s (%d units)", path, len(statuses))
    return path


def run(args, settings) -> int:
    path = write_draft(settings, args.out)
    print(path)
    return 0
