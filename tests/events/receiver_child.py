"""Durability-test child: a receiver on a journal file that prints its port, then serves.

Run as ``python tests/events/receiver_child.py DB_PATH PUBLIC_KEY`` with the project root on
PYTHONPATH. The parent reads the port line (readiness without sleeping) and later SIGKILLs it.
"""

from __future__ import annotations

import asyncio
import sys

from console.events.journal import Journal
from console.events.receiver import WebhookReceiver


async def main(db_path: str, public_key: str) -> None:
    journal = Journal(db_path)
    receiver = WebhookReceiver(
        journal, on_event=lambda envelope, received: None, public_key=public_key
    )
    await receiver.start()
    print(receiver.port, flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
