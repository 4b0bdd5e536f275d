"""`tonghop poll --once`: fetch and process new mail once."""

from __future__ import annotations

import logging
import ssl
import sys

from pipeline.intake import poll_once
from pipeline.store import Store

log = logging.getLogger(__name__)


def run(args, settings) -> int:
    store = Store.open(settings)
    try:
        report = poll_once(settings, store)
    except (OSError, ssl.SSLError) as exc:
        print(f"tonghop poll: cannot read the mailbox: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        # imapclient raises its own error types (login refused, folder missing, …).
        if type(exc).__module__.startswith("imaplib") or "imapclient" in type(exc).__module__:
            print(f"tonghop poll: mailbox error: {exc}", file=sys.stderr)
            return 1
        raise
    finally:
        store.close()
    print(
        f"polled {', '.join(report.folders) or '-'}: {report.fetched} fetched, {report.new} new, "
        f"{report.reports} report(s), {report.duplicates} duplicate(s), "
        f"{report.no_report} without report, {len(report.errors)} error(s)"
    )
    for error in report.errors:
        print(f"  error: {error}")
    return 0
