"""`tonghop parse FILE…`: one JSON line per file, in input order."""

from __future__ import annotations

import json
import sys

from parsers.result import ParseResult
from pipeline.config import load_campaign, load_registry
from pipeline.reports import parse_file_bytes


def run(args, settings) -> int:
    campaign = load_campaign(args.campaign)
    registry = load_registry(args.units) if args.units else None
    out = sys.stdout
    for path in args.files:
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = ParseResult.failed(name, f"cannot read file: {exc.strerror or exc}")
        else:
            result = parse_file_bytes(data, name, campaign, registry)
        out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        out.flush()
    return 0
