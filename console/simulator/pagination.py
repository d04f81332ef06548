"""Telnyx pagination: page[number]/page[size] (PaginationMeta) and cursors (active calls)."""

from __future__ import annotations

import base64
import math
from typing import Any, TypeVar

from aiohttp import web

from . import errors

T = TypeVar("T")
MAX_PAGE = 250


def _int_param(request: web.Request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise errors.TelnyxError(
            400, "10015", "Bad Request", f"{name} must be an integer.", parameter=name
        ) from None
    if value < low or (high is not None and value > high):
        raise errors.TelnyxError(
            400,
            "10033",
            "Value outside of range",
            f"The value is outside of allowed range {low} to {high or 'any'}",
            parameter=name,
        )
    return value


def page_numbers(request: web.Request, items: list[T]) -> tuple[list[T], dict[str, Any]]:
    number = _int_param(request, "page[number]", 1, 1, None)
    size = _int_param(request, "page[size]", 20, 1, MAX_PAGE)
    start = (number - 1) * size
    meta = {
        "page_number": number,
        "page_size": size,
        "total_pages": math.ceil(len(items) / size),
        "total_results": len(items),
    }
    return items[start : start + size], meta


def _token(offset: int) -> str:
    return "sim1:" + base64.urlsafe_b64encode(str(offset).encode()).decode().rstrip("=")


def _offset(token: str, name: str) -> int:
    try:
        raw = token.removeprefix("sim1:")
        return int(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode())
    except (ValueError, UnicodeDecodeError):
        raise errors.TelnyxError(
            400, "10015", "Bad Request", f"{name} is not a valid cursor.", parameter=name
        ) from None


def cursor_page(request: web.Request, items: list[T], path: str) -> tuple[list[T], dict[str, Any]]:
    """Cursor pagination (CursorPaginationMeta). Cursors are opaque offsets into the list."""
    limit = _int_param(request, "page[limit]", 20, 1, MAX_PAGE)
    after = request.query.get("page[after]")
    before = request.query.get("page[before]")
    if after and after != "null":
        start = _offset(after, "page[after]")
    elif before and before != "null":
        start = max(0, _offset(before, "page[before]") - limit)
    else:
        start = 0
    page = items[start : start + limit]
    cursors: dict[str, str] = {}
    meta: dict[str, Any] = {"total_items": len(items)}
    if start + limit < len(items):
        cursors["after"] = _token(start + limit)
        meta["next"] = f"{path}?page[after]={cursors['after']}&page[limit]={limit}"
    if start > 0:
        cursors["before"] = _token(start)
        meta["previous"] = f"{path}?page[before]={cursors['before']}&page[limit]={limit}"
    meta["cursors"] = cursors
    return page, meta
