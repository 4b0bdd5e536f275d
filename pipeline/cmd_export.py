"""`tonghop --config F export --out DIR`: CSV files and dataset.xlsx."""

from __future__ import annotations

import logging

from pipeline.exports import export_all, load_records
from pipeline.preview import write_previews

log = logging.getLogger(__name__)


def run(args, settings) -> int:
    _submissions, statuses = load_records(settings)
    written = export_all(statuses, settings.campaign, args.out)
    previews = write_previews(statuses, settings.storage.archive, args.out / "bao-cao")
    if previews:
        written.append(args.out / "bao-cao")
    for path in written:
        print(path)
    counted = sum(s.submission is not None for s in statuses)
    log.info("exported %d unit(s) with a counted report to %s", counted, args.out)
    return 0
