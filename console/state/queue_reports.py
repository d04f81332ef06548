"""What Telnyx last said about each queue (average wait, size limit), whatever the order.

A queue's figures come from call.enqueued webhooks and from REST listings. Each report carries
the timeline key of what it came with (occurred_at, rank, id): the newest report of each
figure wins, so a late webhook cannot overwrite a newer listing.
"""

from __future__ import annotations

from typing import Any


class QueueReports:
    """queue name -> figure -> (key of the report, value)."""

    def __init__(self) -> None:
        self._reports: dict[str, dict[str, tuple[Any, int | None]]] = {}

    def report(self, name: str, key: Any, **values: int | None) -> None:
        """Keep each of ``values`` unless a report newer than ``key`` already gave it."""
        reports = self._reports.setdefault(name, {})
        for figure, value in values.items():
            current = reports.get(figure)
            if current is None or current[0] <= key:
                reports[figure] = (key, value)

    def value(self, name: str, figure: str) -> int | None:
        """The newest value reported for ``figure`` of queue ``name`` (None if never)."""
        current = self._reports.get(name, {}).get(figure)
        return current[1] if current is not None else None
