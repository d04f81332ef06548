"""The nats-server fixture itself: JetStream answers, and a kill + start keeps the stream."""

from __future__ import annotations

import nats
import pytest

pytestmark = pytest.mark.anyio


async def test_jetstream_answers_and_survives_a_kill(own_nats_server):
    nc = await nats.connect(own_nats_server.url, max_reconnect_attempts=0)
    js = nc.jetstream()
    await js.add_stream(name="FIXTURE", subjects=["fixture.>"])
    ack = await js.publish("fixture.one", b"x")
    assert ack.seq == 1
    await nc.close()

    own_nats_server.kill()
    assert not own_nats_server.running
    own_nats_server.start()

    nc = await nats.connect(own_nats_server.url, max_reconnect_attempts=0)
    info = await nc.jetstream().stream_info("FIXTURE")
    assert info.state.messages == 1
    await nc.close()
