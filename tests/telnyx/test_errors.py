"""Error bodies and transport failures become the right exception with a readable message."""

from __future__ import annotations

import httpx
import pytest

from console.telnyx import RetryPolicy
from console.telnyx.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TelnyxError,
    TelnyxInputError,
    UnprocessableEntityError,
    error_from_response,
    parse_retry_after,
)
from tests.telnyx.operation_cases import CCID

pytestmark = pytest.mark.anyio


def telnyx_error(status: int, code: str, title: str, detail: str | None = None, **source):
    err: dict = {"code": code, "title": title}
    if detail:
        err["detail"] = detail
    if source:
        err["source"] = source
    return httpx.Response(status, json={"errors": [err]})


@pytest.fixture
def no_retry_client(make_client):
    return make_client(retry=RetryPolicy.disabled())


@pytest.mark.parametrize(
    ("reply", "exc_type", "message"),
    [
        (
            telnyx_error(401, "10009", "Authentication failed", "Could not understand the key."),
            AuthenticationError,
            "Authentication failed (10009): Could not understand the key.",
        ),
        (
            telnyx_error(403, "10010", "Authorization failed"),
            PermissionDeniedError,
            "Authorization failed (10010)",
        ),
        (
            telnyx_error(404, "10005", "Resource not found"),
            NotFoundError,
            "Resource not found (10005)",
        ),
        (
            telnyx_error(422, "90018", "Call has already ended"),
            UnprocessableEntityError,
            "Call has already ended (90018)",
        ),
        (
            telnyx_error(400, "10015", "Bad Request", "The request failed."),
            BadRequestError,
            "Bad Request (10015): The request failed.",
        ),
        (
            telnyx_error(500, "10007", "Unexpected error"),
            ServerError,
            "Unexpected error (10007)",
        ),
        (
            httpx.Response(502, text="<html><body>Bad gateway</body></html>"),
            ServerError,
            "Telnyx had an internal problem; try again shortly (HTTP 502 Bad Gateway)",
        ),
        (
            httpx.Response(401),
            AuthenticationError,
            "Telnyx did not accept the API key; check it in Settings (HTTP 401 Unauthorized)",
        ),
        (
            httpx.Response(418, text="short and stout"),
            APIError,
            "Telnyx rejected the request (HTTP 418 I'm a teapot): short and stout",
        ),
        (
            httpx.Response(403, json={"error": "ip not allowed"}),
            PermissionDeniedError,
            "ip not allowed",
        ),
    ],
)
async def test_error_status_maps_to_exception(no_retry_client, recorder, reply, exc_type, message):
    recorder.reply(reply)
    with pytest.raises(exc_type) as info:
        await no_retry_client.calls.hangup(CCID)
    assert type(info.value) is exc_type
    assert str(info.value) == message
    assert info.value.user_message == message
    assert isinstance(info.value, TelnyxError)
    assert info.value.status_code == reply.status_code
    assert len(recorder.requests) == 1


async def test_422_points_at_fields(no_retry_client, recorder):
    recorder.reply(
        httpx.Response(
            422,
            json={
                "errors": [
                    {
                        "code": "90017",
                        "title": "Invalid value for client_state",
                        "detail": "client_state must be a valid Base-64 encoded string.",
                        "source": {"pointer": "/client_state"},
                    },
                    {
                        "code": "10015",
                        "title": "Bad Request",
                        "source": {"pointer": "/custom_headers/0/name"},
                    },
                ]
            },
        )
    )
    with pytest.raises(UnprocessableEntityError) as info:
        await no_retry_client.calls.hangup(CCID)
    err = info.value
    assert err.code == "90017"
    assert [e.field for e in err.errors] == ["client_state", "custom_headers.0.name"]
    assert set(err.field_errors) == {"client_state", "custom_headers.0.name"}
    assert str(err).startswith(
        "Invalid value for client_state (90017): client_state must be a valid Base-64"
    )
    assert "Bad Request (10015) [field: custom_headers.0.name]" in str(err)


async def test_query_parameter_source(no_retry_client, recorder):
    recorder.reply(telnyx_error(400, "10015", "Bad Request", parameter="page[size]"))
    with pytest.raises(BadRequestError) as info:
        await no_retry_client.queues.list_all()
    assert info.value.errors[0].field == "page[size]"


async def test_429_carries_retry_after(no_retry_client, recorder):
    recorder.reply(
        httpx.Response(
            429,
            headers={"Retry-After": "7"},
            json={"errors": [{"code": "10011", "title": "Too many requests"}]},
        )
    )
    with pytest.raises(RateLimitError) as info:
        await no_retry_client.calls.hangup(CCID)
    assert info.value.retry_after == 7.0
    assert str(info.value) == "Too many requests (10011)"


async def test_empty_error_body_still_reads(no_retry_client, recorder):
    recorder.reply(httpx.Response(503, content=b""))
    with pytest.raises(ServerError) as info:
        await no_retry_client.calls.hangup(CCID)
    assert "HTTP 503" in str(info.value)


async def test_network_error(no_retry_client, recorder):
    recorder.reply(httpx.ConnectError("Connection refused"))
    with pytest.raises(NetworkError) as info:
        await no_retry_client.calls.hangup(CCID)
    assert str(info.value) == "Could not connect to Telnyx (telnyx.test): Connection refused"
    assert not isinstance(info.value, RequestTimeoutError)


async def test_read_timeout(no_retry_client, recorder):
    recorder.reply(httpx.ReadTimeout("timed out"))
    with pytest.raises(RequestTimeoutError) as info:
        await no_retry_client.calls.hangup(CCID)
    assert isinstance(info.value, NetworkError)
    assert str(info.value) == "Timed out waiting for an answer from Telnyx (telnyx.test)"


async def test_unreadable_success_body(no_retry_client, recorder):
    recorder.reply(httpx.Response(200, text="not json"))
    with pytest.raises(APIError, match="could not read"):
        await no_retry_client.calls.hangup(CCID)


async def test_success_body_missing_required_id(no_retry_client, recorder):
    recorder.reply(httpx.Response(200, json={"data": {"is_alive": True}}))
    with pytest.raises(APIError, match=r"calls.retrieve was not understood \(call_control_id"):
        await no_retry_client.calls.retrieve(CCID)


def test_input_error_is_both_telnyx_error_and_value_error():
    assert issubclass(TelnyxInputError, TelnyxError)
    assert issubclass(TelnyxInputError, ValueError)
    assert not issubclass(APIError, TelnyxInputError)


def test_parse_retry_after_forms():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


def test_error_from_response_without_request():
    err = error_from_response(httpx.Response(404, json={"errors": []}))
    assert isinstance(err, NotFoundError)
    assert err.method is None
    assert "HTTP 404" in str(err)
