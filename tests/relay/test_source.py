"""The console's JetStream source on a real nats-server, fed by the real publisher."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Sequence

import pytest

from console.events.journal import Journal, JournalRecord
from console.relay.connection import BrokerConnection, BrokerOptions
from console.relay.publisher import JournalPublisher
from console.relay.source import JetStreamSource, ResyncReason
from console.relay.stream import StreamSettings
from tests.relay.helpers import append_events, open_journal, wait_until

pytestmark = pytest.mark.anyio

_names = itertools.count(1)


class Console:
    """What a console's session does with a source: keep records and the resync reasons."""

    def __init__(self) -> None:
        self.records: list[JournalRecord] = []
        self.batches = 0
        self.resyncs: list[ResyncReason] = []

    def deliver(self, batch: Sequence[JournalRecord]) -> None:
        self.batches += 1
        self.records.extend(batch)

    @property
    def event_ids(self) -> list[str]:
        return [r.event_id for r in self.records]


class Relay:
    """A journal and its publisher: the relay's side, without the HTTP receiver."""

    def __init__(self, broker: BrokerConnection, path, stream: StreamSettings):
        self.journal = open_journal(path)
        self.publisher = JournalPublisher(broker, Journal(path, readonly=True), stream, "relay-1")
        self.ids: list[str] = []
        self.stream = stream

    async def publish(self, count: int) -> list[str]:
        ids = append_events(self.journal, count)
        self.ids += ids
        self.publisher.wake()
        await self.publisher.caught_up(within=20)
        return ids


async def connect(url: str) -> BrokerConnection:
    broker = BrokerConnection(BrokerOptions(servers=(url,), reconnect_wait=0.1))
    await broker.connect()
    return broker


def new_stream(**kw) -> StreamSettings:
    n = next(_names)
    return StreamSettings(name=f"SRC{n}", subject_prefix=f"src{n}.events", **kw)


@pytest.fixture
async def relay(nats_server, tmp_path):
    broker = await connect(nats_server.url)
    relay = Relay(broker, tmp_path / "relay.sqlite3", new_stream())
    relay.publisher.start()
    yield relay
    await relay.publisher.stop()
    await broker.close()
    relay.journal.close()


async def start_console(url: str, stream: StreamSettings, cursor: int = 0):
    broker = await connect(url)
    console = Console()
    source = JetStreamSource(broker, stream, on_resync=console.resyncs.append)
    await source.start(cursor, console.deliver)
    await source.subscribed()
    return broker, source, console


async def test_two_consoles_see_every_event_once_in_order_and_catch_up(nats_server, relay):
    await relay.publish(10)
    b1, s1, one = await start_console(nats_server.url, relay.stream)
    b2, s2, two = await start_console(nats_server.url, relay.stream, cursor=4)  # saved cursor
    await relay.publish(5)  # live, after both started

    await wait_until(lambda: len(one.records) == 15 and len(two.records) == 11, what="events")
    assert one.event_ids == relay.ids
    assert two.event_ids == relay.ids[4:]
    assert [r.seq for r in two.records] == list(range(5, 16))
    assert one.records[0].event_type == "call.initiated" and one.records[0].received_at > 0
    assert s1.cursor == s2.cursor == 15 and s1.pending == 0
    assert one.batches < 15  # the catch-up came in batches, not one call per event
    assert one.resyncs == two.resyncs == []
    for source, broker in ((s1, b1), (s2, b2)):
        await source.stop()
        await broker.close()


async def test_a_console_offline_past_retention_is_told_to_resync(nats_server, tmp_path):
    broker = await connect(nats_server.url)
    relay = Relay(broker, tmp_path / "relay.sqlite3", new_stream(max_msgs=5))
    relay.publisher.start()
    await relay.publish(12)  # the stream keeps 8..12

    b, source, console = await start_console(nats_server.url, relay.stream, cursor=2)
    await wait_until(lambda: len(console.records) == 5, what="what the stream still has")
    assert console.resyncs == [ResyncReason.GAP]
    assert [r.seq for r in console.records] == [8, 9, 10, 11, 12]

    # A cursor inside what the stream holds is no gap.
    b3, s3, fine = await start_console(nats_server.url, relay.stream, cursor=7)
    await wait_until(lambda: len(fine.records) == 5, what="events")
    assert fine.resyncs == []
    for s, bb in ((source, b), (s3, b3)):
        await s.stop()
        await bb.close()
    await relay.publisher.stop()
    await broker.close()


async def test_broker_killed_and_restarted_mid_stream_no_gap_no_duplicate(
    own_nats_server, tmp_path
):
    relay_broker = await connect(own_nats_server.url)
    relay = Relay(relay_broker, tmp_path / "relay.sqlite3", new_stream())
    relay.publisher.start()
    await relay.publish(20)
    broker, source, console = await start_console(own_nats_server.url, relay.stream)
    await wait_until(lambda: len(console.records) == 20, what="the first events")

    own_nats_server.kill()
    await wait_until(lambda: source.problem == "broker disconnected", what="the disconnect")
    ids_while_down = append_events(relay.journal, 15)  # the relay journals meanwhile
    relay.ids += ids_while_down
    own_nats_server.start()
    relay.publisher.wake()
    await relay.publisher.caught_up(within=30)
    await relay.publish(5)

    await wait_until(lambda: len(console.records) >= 40, within=30, what="the rest")
    assert console.event_ids == relay.ids  # every event, in order, once
    assert ResyncReason.RECONNECTED in console.resyncs
    assert ResyncReason.GAP not in console.resyncs
    await source.stop()
    await broker.close()
    await relay.publisher.stop()
    await relay_broker.close()


async def test_a_broker_that_lost_its_store_resets_the_console(own_nats_server, tmp_path):
    relay_broker = await connect(own_nats_server.url)
    relay = Relay(relay_broker, tmp_path / "relay.sqlite3", new_stream())
    relay.publisher.start()
    await relay.publish(6)
    broker, source, console = await start_console(own_nats_server.url, relay.stream)
    await wait_until(lambda: len(console.records) == 6, what="events")
    await relay.publisher.stop()

    own_nats_server.kill()
    shutil.rmtree(own_nats_server.store_dir / "jetstream")
    own_nats_server.start()
    # The relay comes back and republishes its journal; the console reads it from the start.
    relay.publisher.start()
    await relay.publish(2)
    await wait_until(
        lambda: ResyncReason.STREAM_RESET in console.resyncs, within=30, what="the reset"
    )
    await wait_until(lambda: len(console.records) == 6 + 8, within=30, what="the republish")
    assert console.event_ids[6:] == relay.ids
    assert source.cursor == 8
    await source.stop()
    await broker.close()
    await relay.publisher.stop()
    await relay_broker.close()
