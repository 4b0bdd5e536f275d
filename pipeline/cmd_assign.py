"""`tonghop assign MESSAGE_ID UNIT_ID`: attribute a report from an unknown sender."""

from __future__ import annotations

import sys

from pipeline.store import Store


def normalise_message_id(value: str) -> str:
    value = value.strip()
    return value if value.startswith("<") else f"<{value}>"


def run(args, settings) -> int:
    if settings.registry.get(args.unit_id) is None:
        print(f"tonghop assign: unknown unit id {args.unit_id!r} (see the unit registry)",
              file=sys.stderr)
        return 2
    store = Store.open(settings)
    try:
        message_id = normalise_message_id(args.message_id)
        changed = store.assign(message_id, args.unit_id)
    finally:
        store.close()
    if changed:
        print(f"{message_id} → {args.unit_id} ({changed} submission(s))")
    else:
        print(f"{message_id} → {args.unit_id}: no report from that message yet; "
              "it will be assigned when it arrives")
    return 0
