"""TelnyxClient: one long-lived httpx.AsyncClient plus the request, error and retry core."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from console import __version__

from .endpoints import Endpoint
from .errors import (
    APIError,
    NetworkError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TelnyxInputError,
    error_from_response,
)
from .responses import encode_client_state
from .retry import RetryPolicy

DEFAULT_BASE_URL = "https://api.telnyx.com/v2"
USER_AGENT = f"telnyx-console/{__version__}"
# Commands are answered quickly; a long read timeout would only freeze the operator's button.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=10.0, pool=5.0)

# Fields that Telnyx wants base64-encoded; the client takes them as plain text.
BASE64_FIELDS = ("client_state", "target_leg_client_state")

# Failures where the request provably never reached Telnyx.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures where it may have reached Telnyx and been acted on.
_AMBIGUOUS = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)

Sleep = Callable[[float], Awaitable[Any]]


class TelnyxClient:
    """Async client of the Telnyx Call Control API.

    Use it as ``async with TelnyxClient(api_key=...) as client:`` or call :meth:`aclose`.
    ``transport`` lets tests pass an ``httpx.MockTransport``; ``sleep`` and ``clock`` let them
    observe retry waits without real time passing. ``default_country`` (ISO alpha-2, or None)
    is used to read phone numbers typed without a country code.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        default_country: str | None = "US",
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | float | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise TelnyxInputError("No Telnyx API key is set", field="api_key")
        self.base_url = base_url.rstrip("/")
        self.default_country = default_country
        self.retry = retry or RetryPolicy()
        self._sleep: Sleep = sleep or asyncio.sleep
        self._clock = clock or time.monotonic
        # The httpx client itself is made at the first request (``_http``): its transport
        # imports httpcore and loads the CA bundle into a TLS context, 60-110 ms that would
        # otherwise delay the window, which makes this client while the console starts. The
        # URL and headers are checked here, as before.
        self._http_options: dict[str, Any] = {
            "base_url": httpx.URL(self.base_url + "/"),
            "headers": httpx.Headers(
                {
                    "Authorization": f"Bearer {api_key.strip()}",
                    "User-Agent": USER_AGENT,
                    "Accept": "application/json",
                }
            ),
            "timeout": timeout if timeout is not None else DEFAULT_TIMEOUT,
            "transport": transport,
            "follow_redirects": False,
        }
        self._http_client: httpx.AsyncClient | None = None
        self._closed_unused = False
        from .applications import Applications, Recordings
        from .calls import Calls, Connections
        from .conferences import Conferences
        from .queues import Queues

        self.calls = Calls(self)
        self.connections = Connections(self)
        self.conferences = Conferences(self)
        self.queues = Queues(self)
        self.applications = Applications(self)
        self.recordings = Recordings(self)

    def __repr__(self) -> str:  # never show the key
        return f"TelnyxClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> TelnyxClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http_client is None:
            self._closed_unused = True  # nothing was opened
            return
        await self._http_client.aclose()

    @property
    def is_closed(self) -> bool:
        if self._http_client is None:
            return self._closed_unused
        return self._http_client.is_closed

    @property
    def _http(self) -> httpx.AsyncClient:
        """The httpx client, made at the first request (see ``__init__``)."""
        if self._http_client is None:
            if self._closed_unused:
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            self._http_client = httpx.AsyncClient(**self._http_options)
        return self._http_client

    # -- building requests -------------------------------------------------------------------

    def build_body(
        self, endpoint: Endpoint, params: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str | None]:
        """Validate ``params`` against the endpoint's request model; return (JSON, command_id).

        ``None`` values mean "not set" and are dropped. ``client_state`` text is base64-encoded.
        A ``command_id`` (UUID4) is added when the schema has one and the caller gave none; the
        body is built once, so every retry carries the same id.
        """
        model = endpoint.body
        if model is None:
            raise TypeError(f"{endpoint.name} has no request body")
        values = {key: value for key, value in params.items() if value is not None}
        for key in BASE64_FIELDS:
            if key in values and key in model.model_fields:
                if not isinstance(values[key], str):
                    raise TelnyxInputError(f"{key} must be text", field=key)
                values[key] = encode_client_state(values[key])
        if endpoint.has_command_id and "command_id" not in values:
            values["command_id"] = str(uuid.uuid4())
        try:
            body = model.model_validate(values).to_wire()
        except ValidationError as exc:
            raise TelnyxInputError.from_validation_error(exc, operation=endpoint.name) from None
        return body, body.get("command_id")

    @staticmethod
    def build_path(endpoint: Endpoint, path_params: Mapping[str, str]) -> str:
        values = {}
        for name, value in path_params.items():
            if not isinstance(value, str) or not value.strip():
                raise TelnyxInputError(f"{endpoint.name}: {name} is required", field=name)
            # Keep ':' (call_control_ids are "v3:...") but escape '/', '?', '#', spaces...
            values[name] = quote(value, safe=":@!$&'()*+,;=-._~")
        return endpoint.path.format(**values)

    # -- sending -----------------------------------------------------------------------------

    async def call(
        self,
        endpoint: Endpoint,
        path_params: Mapping[str, str] | None = None,
        *,
        json: dict[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one operation (with retries) and return the decoded JSON body (None if empty)."""
        path = self.build_path(endpoint, path_params or {})
        if endpoint.replay_safe is not None:
            replay_safe = endpoint.replay_safe
        else:
            replay_safe = endpoint.method != "POST" or bool(json and json.get("command_id"))
        response = await self._send(
            endpoint.method, path, json=json, params=params, safe=replay_safe
        )
        return _decode(response)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None,
        params: Mapping[str, Any] | None,
        safe: bool,
    ) -> httpx.Response:
        policy = self.retry
        started = self._clock()
        attempt = 0
        url = path.lstrip("/")  # relative to base_url, so a /v2 prefix is kept
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                response = await self._http.request(method, url, json=json, params=query or None)
            except httpx.TransportError as exc:
                error: Exception = _network_error(exc, method, self.base_url + path)
                retryable = isinstance(exc, _NOT_SENT) or (safe and isinstance(exc, _AMBIGUOUS))
            else:
                if response.status_code < 400:
                    return response
                await response.aread()
                error = error_from_response(response)
                status = response.status_code
                if isinstance(error, RateLimitError) or status == 503:
                    retryable = True  # turned away, not processed
                    retry_after = _retry_after(error, response)
                else:
                    retryable = safe and isinstance(error, ServerError)
            if not retryable or attempt >= policy.max_attempts:
                raise error
            delay = policy.delay_for(attempt, retry_after)
            if self._clock() - started + delay > policy.max_total:
                raise error
            await self._sleep(delay)


def _retry_after(error: APIError, response: httpx.Response) -> float | None:
    if isinstance(error, RateLimitError):
        return error.retry_after
    from .errors import parse_retry_after

    return parse_retry_after(response.headers.get("retry-after"))


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _network_error(exc: httpx.TransportError, method: str, url: str) -> NetworkError:
    host = httpx.URL(url).host or url
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connecting to",
            httpx.ReadTimeout: "waiting for an answer from",
            httpx.WriteTimeout: "sending the request to",
            httpx.PoolTimeout: "waiting for a free connection to",
        }.get(type(exc), "talking to")
        return RequestTimeoutError(f"Timed out {phase} Telnyx ({host})", method=method, url=url)
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc) or "connection failed"
        return NetworkError(
            f"Could not connect to Telnyx ({host}): {detail}", method=method, url=url
        )
    detail = str(exc) or type(exc).__name__
    return NetworkError(
        f"Network error talking to Telnyx ({host}): {detail}", method=method, url=url
    )


def _decode(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise APIError(
            f"Telnyx sent an answer the console could not read (HTTP {response.status_code})",
            status_code=response.status_code,
            method=response.request.method,
            url=str(response.request.url),
            body=response.text[:2000],
        ) from None
