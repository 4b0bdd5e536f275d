"""The `tonghop` command line. Each command lives in its own `pipeline.cmd_*` module."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from pipeline.config import ConfigError, load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tonghop",
        description="Collect unit reports from a mailbox, parse them, and consolidate them.",
    )
    parser.add_argument("--config", type=Path, help="tonghop.toml (needed by mailbox commands)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse report files and print one JSON line per file")
    p.add_argument("--campaign", type=Path, help="campaign TOML (default: the shipped one)")
    p.add_argument("--units", type=Path, help="unit registry TOML")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")

    p = sub.add_parser("poll", help="fetch and process new mail")
    p.add_argument("--once", action="store_true", help="poll once and exit (the default)")

    p = sub.add_parser("status", help="per-unit reporting status")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("assign", help="assign a message from an unknown sender to a unit")
    p.add_argument("message_id", metavar="MESSAGE_ID")
    p.add_argument("unit_id", metavar="UNIT_ID")

    p = sub.add_parser("export", help="write the dataset as CSV files and dataset.xlsx")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")

    p = sub.add_parser("digest", help="render (and optionally send) the status digest")
    p.add_argument("--out", type=Path, metavar="FILE.html")
    p.add_argument("--send", action="store_true", help="send it to the digest recipients")

    p = sub.add_parser("draft", help="write the consolidated draft report")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.docx")

    sub.add_parser("run", help="run the scheduler (poll, daily digest, draft after deadline)")

    p = sub.add_parser("demo", help="run the whole pipeline on a generated local mailbox")
    p.add_argument("--out", type=Path, default=Path("demo-out"), metavar="DIR")
    p.add_argument("--units", type=int, default=36, help="how many units in the demo bloc")
    return parser


NEEDS_CONFIG = {"poll", "status", "assign", "export", "digest", "draft", "run"}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    settings = None
    if args.command in NEEDS_CONFIG:
        if args.config is None:
            print(f"tonghop {args.command}: --config FILE is required", file=sys.stderr)
            return 2
        try:
            settings = load_settings(args.config)
        except ConfigError as exc:
            print(f"tonghop: {exc}", file=sys.stderr)
            return 2
    module = importlib.import_module(f"pipeline.cmd_{args.command}")
    try:
        return int(module.run(args, settings) or 0)
    except ConfigError as exc:
        print(f"tonghop: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
