"""Error codes the simulator answers, through the real client: commands the state of a call,
a conference or a queue does not allow (90015, 90018, 90102, 90034, 90019, 90044, 90035, 90036,
90038). Plumbing and assertions are in tests/scenarios/client_errors.py.
"""

from __future__ import annotations

import pytest

from console.simulator import phones
from console.telnyx import UnprocessableEntityError
from tests.scenarios.client_errors import refused

pytestmark = pytest.mark.anyio


# --- call state errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        lambda c, ccid: c.calls.hangup(ccid),
        lambda c, ccid: c.calls.answer(ccid),
        lambda c, ccid: c.calls.speak(ccid, payload="hello", voice="female"),
    ],
)
async def test_unknown_call_control_id_is_90015(env, action):
    await refused(
        env,
        lambda: action(env.client, "v3:no-such-call"),
        UnprocessableEntityError,
        "90015",
        pointer="/call_control_id",
    )


async def test_command_on_ended_call_is_90018(env):
    ccid = await env.dial(phones.BUSY)
    hangup = await env.webhooks.wait("call.hangup", ccid)
    assert hangup.data.payload.hangup_cause == "user_busy"
    error = await refused(
        env, lambda: env.client.calls.hangup(ccid), UnprocessableEntityError, "90018"
    )
    assert "ended" in error.user_message


async def test_answer_on_outbound_call_is_90102(env):
    ccid = await env.dial(phones.ANSWERS)
    await env.webhooks.wait("call.answered", ccid)
    await refused(env, lambda: env.client.calls.answer(ccid), UnprocessableEntityError, "90102")


@pytest.mark.parametrize(
    "action",
    [
        lambda c, ccid: c.calls.speak(ccid, payload="hello", voice="female"),
        lambda c, ccid: c.calls.record_start(ccid, format="mp3", channels="single"),
        lambda c, ccid: c.calls.enqueue(ccid, queue_name="support"),
        lambda c, ccid: c.conferences.create(call_control_id=ccid, name="unanswered"),
    ],
)
async def test_command_needing_an_answered_call_is_90034(env, action):
    ccid = await env.ringing_inbound()
    await refused(env, lambda: action(env.client, ccid), UnprocessableEntityError, "90034")
    truth = env.sim.truth()["calls"][ccid]
    assert (truth["answered"], truth["queue"], truth["recording"]) == (False, None, False)


# --- conferences -----------------------------------------------------------------------------


async def test_command_on_ended_conference_is_90019(env):
    a = await env.answered_inbound()
    b = await env.answered_inbound("+13125550143")
    conference = await env.client.conferences.create(call_control_id=a, name="ended-room")
    await env.client.conferences.end(conference.id)
    await env.webhooks.wait("call.hangup", a)  # ending a conference hangs its participants up
    await refused(
        env,
        lambda: env.client.conferences.join(conference.id, call_control_id=b),
        UnprocessableEntityError,
        "90019",
    )
    await refused(
        env, lambda: env.client.conferences.mute(conference.id), UnprocessableEntityError, "90019"
    )


async def test_joining_a_conference_twice_is_90044(env):
    a = await env.answered_inbound()
    b = await env.answered_inbound("+13125550143")
    conference = await env.client.conferences.create(call_control_id=a, name="busy-room")
    await env.client.conferences.join(conference.id, call_control_id=b)
    await env.webhooks.wait("conference.participant.joined", b)
    error = await refused(
        env,
        lambda: env.client.conferences.join(conference.id, call_control_id=b),
        UnprocessableEntityError,
        "90044",
    )
    assert "already" in error.user_message
    # The creator is a participant already, too.
    await refused(
        env,
        lambda: env.client.conferences.join(conference.id, call_control_id=a),
        UnprocessableEntityError,
        "90044",
    )


# --- queues -----------------------------------------------------------------------------------


async def test_leaving_a_queue_the_call_is_not_in_is_90035(env):
    ccid = await env.answered_inbound()
    await refused(
        env, lambda: env.client.calls.leave_queue(ccid), UnprocessableEntityError, "90035"
    )


async def test_full_queue_is_90036(env):
    a = await env.answered_inbound()
    b = await env.answered_inbound("+13125550143")
    await env.client.calls.enqueue(a, queue_name="tiny", max_size=1)
    await env.webhooks.wait("call.enqueued", a)
    error = await refused(
        env,
        lambda: env.client.calls.enqueue(b, queue_name="tiny"),
        UnprocessableEntityError,
        "90036",
    )
    assert "tiny" in error.user_message


async def test_enqueueing_a_queued_call_is_90038(env):
    ccid = await env.answered_inbound()
    await env.client.calls.enqueue(ccid, queue_name="support")
    await env.webhooks.wait("call.enqueued", ccid)
    for queue in ("support", "sales"):  # the same queue, or another while still queued
        await refused(
            env,
            lambda q=queue: env.client.calls.enqueue(ccid, queue_name=q),
            UnprocessableEntityError,
            "90038",
        )
