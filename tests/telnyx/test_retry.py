"""Retries: what is retried, with which waits, and with one command_id throughout."""

from __future__ import annotations

import random

import httpx
import pytest

from console.telnyx import RetryPolicy
from console.telnyx.errors import NetworkError, RateLimitError, RequestTimeoutError, ServerError
from tests.telnyx.conftest import ok
from tests.telnyx.operation_cases import CCID, CONF, QUEUE

pytestmark = pytest.mark.anyio


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(
        code, headers=headers, json={"errors": [{"code": "10007", "title": "Unexpected"}]}
    )


async def test_command_retried_with_the_same_command_id(client, recorder, sleeper):
    recorder.reply(status(500), httpx.ReadTimeout("slow"), httpx.ConnectError("down"), ok())
    result = await client.calls.hangup(CCID)
    ids = {recorder.body(i)["command_id"] for i in range(len(recorder.requests))}
    assert len(recorder.requests) == 4
    assert len(ids) == 1
    assert result.command_id in ids
    assert len(sleeper.delays) == 3


async def test_retries_stop_at_max_attempts(client, recorder, sleeper):
    recorder.reply(status(503))
    with pytest.raises(ServerError):
        await client.calls.hangup(CCID)
    assert len(recorder.requests) == 4  # max_attempts
    assert len(sleeper.delays) == 3


async def test_retry_after_is_honoured_and_capped(make_client, recorder, sleeper):
    client = make_client(retry=RetryPolicy(max_attempts=3, max_retry_after=10, max_total=100))
    recorder.reply(status(429, **{"Retry-After": "2"}), status(429, **{"Retry-After": "120"}), ok())
    await client.calls.hangup(CCID)
    assert sleeper.delays == [2.0, 10.0]


async def test_rate_limit_retried_even_without_command_id(client, recorder, sleeper):
    recorder.reply(status(429, **{"Retry-After": "1"}), ok(QUEUE))
    queue = await client.queues.create(queue_name="support")
    assert queue.name == "support"
    assert sleeper.delays == [1.0]


async def test_backoff_is_exponential_with_jitter_and_capped():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, rng=random.Random(7))
    for n, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)]:
        delays = [policy.backoff(n) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered


async def test_total_time_budget_stops_retries(make_client, recorder, sleeper):
    client = make_client(
        retry=RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=1.0, max_total=2.5)
    )
    recorder.reply(status(503))
    with pytest.raises(ServerError):
        await client.calls.hangup(CCID)
    assert sum(sleeper.delays) <= 2.5
    assert len(recorder.requests) < 10


async def test_retry_after_beyond_budget_gives_up(make_client, recorder, sleeper):
    client = make_client(retry=RetryPolicy(max_attempts=5, max_total=5, max_retry_after=60))
    recorder.reply(status(429, **{"Retry-After": "30"}))
    with pytest.raises(RateLimitError) as info:
        await client.calls.hangup(CCID)
    assert info.value.retry_after == 30.0
    assert sleeper.delays == []
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "failure", [status(500), status(504), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("x")]
)
async def test_ambiguous_failure_not_retried_for_non_idempotent_post(client, recorder, failure):
    recorder.reply(failure, ok(QUEUE))
    with pytest.raises((ServerError, NetworkError)):
        await client.queues.create(queue_name="support")
    assert len(recorder.requests) == 1


async def test_conference_play_not_replayed_after_timeout(client, recorder):
    recorder.reply(httpx.ReadTimeout("slow"), ok())
    with pytest.raises(RequestTimeoutError):
        await client.conferences.play(CONF, audio_url="https://example.com/a.mp3")
    assert len(recorder.requests) == 1


async def test_connect_error_retried_for_non_idempotent_post(client, recorder):
    recorder.reply(httpx.ConnectError("refused"), ok(QUEUE))
    await client.queues.create(queue_name="support")
    assert len(recorder.requests) == 2


async def test_503_retried_for_non_idempotent_post(client, recorder):
    recorder.reply(status(503), ok(QUEUE))
    await client.queues.create(queue_name="support")
    assert len(recorder.requests) == 2


async def test_idempotent_get_retried_after_read_timeout(client, recorder):
    recorder.reply(httpx.ReadTimeout("slow"), ok(QUEUE))
    queue = await client.queues.retrieve("support")
    assert queue.max_size == 50
    assert len(recorder.requests) == 2


async def test_state_setting_conference_command_retried(client, recorder):
    recorder.reply(status(500), ok())
    await client.conferences.mute(CONF, call_control_ids=[CCID])
    assert len(recorder.requests) == 2
    assert "command_id" not in recorder.body(0)
    assert recorder.body(0) == recorder.body(1)


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
async def test_client_errors_not_retried(client, recorder, code):
    recorder.reply(status(code))
    with pytest.raises(Exception):  # noqa: B017 - the class is checked in test_errors
        await client.calls.hangup(CCID)
    assert len(recorder.requests) == 1


def test_policy_validation():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    assert RetryPolicy.disabled().max_attempts == 1
