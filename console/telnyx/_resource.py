"""Shared plumbing of the resource classes (calls, conferences, queues, ...)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import pagination
from .endpoints import Endpoint
from .errors import APIError
from .phone import (
    InvalidPhoneNumber,
    normalize_destination,
    normalize_dial_string,
    normalize_e164,
    normalize_sip_uri,
)
from .responses import CommandResult, parse_data

if TYPE_CHECKING:
    from .client import TelnyxClient

M = TypeVar("M", bound=BaseModel)


class Resource:
    def __init__(self, client: TelnyxClient) -> None:
        self._client = client

    # -- phone numbers -----------------------------------------------------------------------

    def _phone(self, params: dict[str, Any], key: str, kind: str) -> None:
        """Normalise ``params[key]`` in place (kinds: e164, destination, dial, sip)."""
        value = params.get(key)
        if value is None:
            return
        country = self._client.default_country
        label = "from" if key == "from_" else key
        try:
            if isinstance(value, list) and kind == "dial":
                # The ",digits" shorthand is not supported for several destinations.
                params[key] = [normalize_destination(v, country) for v in _strs(value, label)]
            elif not isinstance(value, str):
                raise InvalidPhoneNumber(f"{label} must be text", text=str(value))
            elif kind == "e164":
                params[key] = normalize_e164(value, country)
            elif kind == "destination":
                params[key] = normalize_destination(value, country)
            elif kind == "dial":
                params[key] = normalize_dial_string(value, country)
            else:
                params[key] = normalize_sip_uri(value)
        except InvalidPhoneNumber as exc:
            raise InvalidPhoneNumber(
                f"Invalid '{label}': {exc.message}", text=exc.text, field=label
            ) from None

    # -- sending -----------------------------------------------------------------------------

    async def _command(
        self,
        endpoint: Endpoint,
        path_params: Mapping[str, str],
        params: Mapping[str, Any],
        result: type[M] = CommandResult,  # type: ignore[assignment]
    ) -> M:
        body, command_id = self._client.build_body(endpoint, params)
        data = await self._client.call(endpoint, path_params, json=body)
        extra = {"command_id": command_id} if "command_id" in result.model_fields else {}
        return _parse(endpoint, result, data, extra)

    async def _get(
        self,
        endpoint: Endpoint,
        path_params: Mapping[str, str],
        result: type[M],
        query: Mapping[str, Any] | None = None,
    ) -> M:
        data = await self._client.call(endpoint, path_params, params=query)
        return _parse(endpoint, result, data, {})

    async def _iter_numbered(
        self,
        endpoint: Endpoint,
        path_params: Mapping[str, str],
        result: type[M],
        query: Mapping[str, Any],
        page_size: int,
        max_pages: int,
    ) -> AsyncIterator[M]:
        async def fetch(page_query: dict[str, Any]) -> Any:
            return await self._client.call(endpoint, path_params, params=page_query)

        pages = pagination.iter_numbered(fetch, query, page_size=page_size, max_pages=max_pages)
        async for item in pages:
            yield _parse(endpoint, result, {"data": item}, {})

    async def _iter_cursor(
        self,
        endpoint: Endpoint,
        path_params: Mapping[str, str],
        result: type[M],
        limit: int,
        max_pages: int,
    ) -> AsyncIterator[M]:
        async def fetch(page_query: dict[str, Any]) -> Any:
            return await self._client.call(endpoint, path_params, params=page_query)

        async for item in pagination.iter_cursor(fetch, limit=limit, max_pages=max_pages):
            yield _parse(endpoint, result, {"data": item}, {})


def _strs(values: list[Any], label: str) -> list[str]:
    if not values:
        raise InvalidPhoneNumber(f"{label} needs at least one destination")
    for value in values:
        if not isinstance(value, str):
            raise InvalidPhoneNumber(f"{label} must be text", text=str(value))
    return values


def _parse(endpoint: Endpoint, model: type[M], body: Any, extra: dict[str, Any]) -> M:
    try:
        return parse_data(model, body, **extra)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "data"
        raise APIError(
            f"Telnyx's answer to {endpoint.name} was not understood ({where}: {first['msg']})",
            body=str(body)[:2000],
        ) from None


def filters(**values: Any) -> dict[str, Any]:
    """``filter_a_b=1`` style keyword arguments are mapped by the caller; drop the unset ones."""
    return {key: value for key, value in values.items() if value is not None}
