"""Walks Telnyx's two pagination styles, bounded so a misbehaving server cannot loop forever.

* page numbers: ``page[number]`` / ``page[size]``, stopping at ``meta.total_pages``;
* cursors: ``page[after]`` / ``page[limit]``, following ``meta.cursors.after`` until it is
  empty or repeats (used by ``GET /connections/{id}/active_calls``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

Fetch = Callable[[dict[str, Any]], Awaitable[Any]]
"""Fetches one page: takes the query parameters, returns the decoded JSON body."""

DEFAULT_PAGE_SIZE = 250  # the spec's maximum: fewest round trips
DEFAULT_MAX_PAGES = 1000


async def iter_numbered(
    fetch: Fetch,
    params: Mapping[str, Any] | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> AsyncIterator[dict[str, Any]]:
    """Yield every item of a ``page[number]``-paginated list."""
    number = 1
    while number <= max_pages:
        body = await fetch({**(params or {}), "page[number]": number, "page[size]": page_size})
        items = _items(body)
        for item in items:
            yield item
        meta = body.get("meta") if isinstance(body, dict) else None
        total_pages = meta.get("total_pages") if isinstance(meta, dict) else None
        if not items:
            return
        if isinstance(total_pages, int):
            if number >= total_pages:
                return
        elif len(items) < page_size:  # no meta: a short page is the last one
            return
        number += 1


async def iter_cursor(
    fetch: Fetch,
    params: Mapping[str, Any] | None = None,
    *,
    limit: int = DEFAULT_PAGE_SIZE,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> AsyncIterator[dict[str, Any]]:
    """Yield every item of a cursor-paginated list (``page[after]``)."""
    seen: set[str] = set()
    after: str | None = None
    for _ in range(max_pages):
        query = {**(params or {}), "page[limit]": limit}
        if after is not None:
            query["page[after]"] = after
        body = await fetch(query)
        items = _items(body)
        for item in items:
            yield item
        after = _next_cursor(body)
        # A repeated cursor would fetch the same page again: stop rather than loop forever.
        if not items or not after or after in seen:
            return
        seen.add(after)


async def collect(iterator: AsyncIterator[T]) -> list[T]:
    return [item async for item in iterator]


def _items(body: Any) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) else None
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _next_cursor(body: Any) -> str | None:
    meta = body.get("meta") if isinstance(body, dict) else None
    if not isinstance(meta, dict):
        return None
    cursors = meta.get("cursors")
    after = cursors.get("after") if isinstance(cursors, dict) else None
    # The spec's default for page[after] is the string "null"; treat it as no cursor.
    if not isinstance(after, str) or not after or after == "null":
        return None
    return after
