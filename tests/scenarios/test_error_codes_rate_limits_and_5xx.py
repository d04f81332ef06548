"""Error codes the simulator answers, through the real client: rate limits (429 10011 with
Retry-After, refused once and waited for by a retrying client) and injected server errors (500
10010, 503 10012), none retried. Plumbing and assertions are in tests/scenarios/client_errors.py.
"""

from __future__ import annotations

import pytest

from console.telnyx import RateLimitError, RetryPolicy, ServerError
from tests.scenarios.client_errors import readable, refused

pytestmark = pytest.mark.anyio


# --- 429 and 5xx --------------------------------------------------------------------------------


async def test_rate_limit_switched_on_is_429_10011_with_retry_after(env):
    env.sim.faults.rate_limit_per_second = 1
    outcomes: list[BaseException | None] = []
    # The window is one real second: the first request in it passes, the next is refused.
    # A request that happens to open a new window passes too, so stop at the first refusal.
    for _ in range(20):
        try:
            await env.client.queues.list_all()
        except RateLimitError as exc:
            outcomes.append(exc)
            break
        outcomes.append(None)
    error = outcomes[-1]
    assert isinstance(error, RateLimitError), "no request was rate limited"
    assert outcomes[0] is None
    assert (error.status_code, error.code, error.retry_after) == (429, "10011", 1.0)
    readable(error, code="10011")
    assert env.sent() == len(outcomes) and env.sleeps == []


async def test_random_429_is_refused_once_without_retries(env):
    env.sim.faults.api_429_rate = 1.0
    error = await refused(
        env, lambda: env.client.queues.list_all(), RateLimitError, "10011", status=429
    )
    assert error.retry_after == 1.0


async def test_retry_after_is_what_a_retrying_client_waits(env):
    """Not the no-retry policy: with 2 attempts the client sleeps Telnyx's Retry-After."""
    env.sim.faults.api_429_rate = 1.0
    client, transport = env.new_client(env.sim.api_key, retry=RetryPolicy(max_attempts=2))
    async with client:
        with pytest.raises(RateLimitError):
            await client.queues.list_all()
    assert len(transport.requests) == 2
    assert env.sleeps == [1.0]


async def test_injected_5xx_are_server_errors_with_their_codes(env):
    env.sim.faults.api_5xx_rate = 1.0
    seen: dict[int, ServerError] = {}
    attempts = 0
    for _ in range(40):  # the simulator picks 500 or 503 at random (seeded)
        attempts += 1
        with pytest.raises(ServerError) as info:
            await env.client.queues.list_all()
        seen.setdefault(info.value.status_code, info.value)
        if len(seen) == 2:
            break
    assert set(seen) == {500, 503}
    for status, code in ((500, "10010"), (503, "10012")):
        error = seen[status]
        assert type(error) is ServerError and error.code == code
        readable(error, code=code)
    assert env.sent() == attempts  # one request per call: not even 503 is retried
    assert env.sleeps == []
    env.sim.faults.api_5xx_rate = 0.0
    assert await env.client.queues.list_all() == []
