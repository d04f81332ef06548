"""Every operation sends the right method, path, query and JSON body, and parses the answer."""

from __future__ import annotations

import uuid

import pytest

from console.telnyx import CommandResult, DialResult
from console.telnyx.endpoints import ALL_ENDPOINTS
from tests.telnyx.operation_cases import CASES, CCID, reply_for

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_operation_wire_format(case, client, recorder):
    recorder.reply(reply_for(case))

    result = await case.run(client)

    assert len(recorder.requests) == 1
    request = recorder.last
    assert request.method == case.method
    assert request.url.raw_path.split(b"?")[0].decode() == "/v2" + case.path
    assert dict(request.url.params) == case.query
    if case.body is None:
        assert request.content == b""
        if case.method == "GET":
            assert result is not None
    else:
        body = recorder.body()
        command_id = body.pop("command_id", None)
        assert body == case.body
        if case.command_id:
            assert uuid.UUID(command_id).version == 4
            if isinstance(result, CommandResult | DialResult):
                assert result.command_id == command_id
        else:
            assert command_id is None
    if case.status == 204:
        assert result is None
    elif isinstance(case.response, list):
        assert len(result) == len(case.response)
    elif isinstance(result, CommandResult):
        assert result.result == "ok"


def test_every_endpoint_has_a_case():
    covered = {case.id for case in CASES}
    missing = sorted(e.name for e in ALL_ENDPOINTS if e.name not in covered)
    assert not missing


async def test_headers_auth_user_agent_and_json(client, recorder):
    await client.calls.hangup(CCID)
    headers = recorder.last.headers
    assert headers["authorization"] == "Bearer KEY_test"
    assert headers["user-agent"] == "telnyx-console/0.1.0"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert str(recorder.last.url).startswith("http://telnyx.test/v2/calls/")


async def test_default_base_url_and_repr_hides_key(make_client, recorder):
    from console.telnyx import DEFAULT_BASE_URL

    assert DEFAULT_BASE_URL == "https://api.telnyx.com/v2"
    c = make_client(base_url=DEFAULT_BASE_URL)
    recorder.reply(reply_for(next(case for case in CASES if case.id == "calls.retrieve")))
    await c.calls.retrieve(CCID)
    assert str(recorder.last.url) == f"https://api.telnyx.com/v2/calls/{CCID}"
    assert "KEY" not in repr(c)
    await c.aclose()
    assert c.is_closed


async def test_caller_command_id_is_used(client, recorder):
    result = await client.calls.answer(CCID, command_id="my-id-1")
    assert recorder.body()["command_id"] == "my-id-1"
    assert result.command_id == "my-id-1"


async def test_none_means_not_sent(client, recorder):
    await client.calls.answer(CCID, client_state=None, command_id=None)
    body = recorder.body()
    assert set(body) == {"command_id"}


async def test_path_segments_are_escaped(client, recorder):
    recorder.reply(reply_for(next(c for c in CASES if c.id == "queues.retrieve")))
    await client.queues.retrieve("sales/EU team")
    assert recorder.last.url.raw_path == b"/v2/queues/sales%2FEU%20team"


async def test_dial_result_fields(client, recorder):
    recorder.reply(reply_for(CASES[0]))
    result = await CASES[0].run(client)
    assert isinstance(result, DialResult)
    assert result.call_control_id == CCID
    assert result.is_alive is False
    assert result.call_leg_id and result.call_session_id


async def test_response_models_keep_unknown_fields(client, recorder):
    case = next(c for c in CASES if c.id == "calls.retrieve")
    case_reply = {**case.response, "new_field_2030": {"x": 1}}
    import httpx

    recorder.reply(httpx.Response(200, json={"data": case_reply}))
    call = await client.calls.retrieve(CCID)
    assert call.is_alive is True
    assert call.model_extra["new_field_2030"] == {"x": 1}


async def test_recording_download_urls(client, recorder):
    recorder.reply(reply_for(next(c for c in CASES if c.id == "recordings.retrieve")))
    rec = await client.recordings.retrieve("r1")
    assert rec.download_urls.mp3 == "https://example.com/r.mp3"
    assert rec.download_urls.wav == "https://example.com/r.wav"


async def test_queue_call_from_alias(client, recorder):
    recorder.reply(reply_for(next(c for c in CASES if c.id == "queues.retrieve_call")))
    queued = await client.queues.retrieve_call("support", CCID)
    assert queued.from_ == "+18005550101"
    assert queued.queue_position == 1


async def test_context_manager_closes(make_client):
    async with make_client() as c:
        assert not c.is_closed
    assert c.is_closed
