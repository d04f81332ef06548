"""Presence against a real nats-server: statuses shared live, offline by leaving or by silence."""

from __future__ import annotations

import itertools

import pytest

from console.relay.connection import BrokerConnection, BrokerOptions
from console.relay.presence import OperatorStatus, Presence, PresenceBoard
from tests.relay.helpers import wait_until

pytestmark = pytest.mark.anyio

_buckets = itertools.count(1)


@pytest.fixture
def bucket() -> str:
    return f"presence_test_{next(_buckets)}"


async def board(url: str, operator: str, bucket: str, **kw) -> PresenceBoard:
    broker = BrokerConnection(BrokerOptions(servers=(url,), reconnect_wait=0.1))
    await broker.connect()
    presence = PresenceBoard(broker, operator, bucket=bucket, **kw)
    await presence.open()
    return presence


def status_of(board: PresenceBoard, name: str) -> OperatorStatus | None:
    presence = board.operators.get(name)
    return presence.status if presence else None


async def test_colleagues_see_each_others_status_and_call(nats_server, bucket):
    seen: list[Presence] = []
    alex = await board(nats_server.url, "Alex", bucket, on_change=seen.append)
    sam = await board(nats_server.url, "Sam", bucket, supervisor=True, endpoint="+13125550111")
    await wait_until(lambda: status_of(alex, "Sam") is OperatorStatus.AVAILABLE, what="Sam")
    assert [p.operator for p in alex.colleagues] == ["Sam"]
    assert alex.operators["Sam"].supervisor and alex.operators["Sam"].endpoint == "+13125550111"

    await sam.set_status(OperatorStatus.BUSY, "v3:call-1")
    await wait_until(lambda: status_of(alex, "Sam") is OperatorStatus.BUSY, what="busy")
    assert alex.operators["Sam"].call_control_id == "v3:call-1"
    assert OperatorStatus.BUSY.words == "On a call"
    await sam.set_status(OperatorStatus.WRAP_UP, "v3:call-1")
    await wait_until(lambda: status_of(alex, "Sam") is OperatorStatus.WRAP_UP, what="wrap-up")
    await sam.set_status(OperatorStatus.AWAY)
    await wait_until(lambda: status_of(alex, "Sam") is OperatorStatus.AWAY, what="away")
    assert alex.operators["Sam"].call_control_id is None

    await sam.leave()
    await sam._broker.close()
    await wait_until(lambda: status_of(alex, "Sam") is OperatorStatus.OFFLINE, what="offline")
    assert [p.status for p in seen if p.operator == "Sam"][-1] is OperatorStatus.OFFLINE
    await alex.leave()
    await alex._broker.close()


async def test_an_operator_whose_heartbeats_stop_goes_offline(nats_server, bucket):
    alex = await board(nats_server.url, "Alex", bucket, heartbeat_secs=0.2)
    sam = await board(nats_server.url, "Sam", bucket, heartbeat_secs=0.2)
    await wait_until(lambda: status_of(alex, "Sam") is OperatorStatus.AVAILABLE, what="Sam")
    sam._heartbeat.cancel()  # Sam's machine loses power: no goodbye
    await sam._broker.nc.close()
    await wait_until(
        lambda: status_of(alex, "Sam") is OperatorStatus.OFFLINE, within=10, what="offline"
    )
    assert status_of(alex, "Alex") is OperatorStatus.AVAILABLE  # our own heartbeat goes on
    await alex.leave()
    await alex._broker.close()
