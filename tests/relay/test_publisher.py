"""The relay's publisher against a real nats-server: once each, resumes where the stream ends."""

from __future__ import annotations

import shutil
import time

import pytest

from console.events.journal import Journal
from console.relay.connection import BrokerConnection, BrokerOptions
from console.relay.publisher import JournalPublisher
from console.relay.stream import MSG_ID_HEADER, RELAY_SEQ_HEADER, StreamSettings
from tests.relay.helpers import append_events, open_journal, wait_until

pytestmark = pytest.mark.anyio

_streams = iter(range(1, 10_000))


@pytest.fixture
def stream() -> StreamSettings:
    n = next(_streams)
    return StreamSettings(name=f"PUB{n}", subject_prefix=f"pub{n}.events")


@pytest.fixture
def journal(tmp_path):
    journal = open_journal(tmp_path / "relay-journal.sqlite3")
    yield journal
    journal.close()


async def _connected(url: str) -> BrokerConnection:
    broker = BrokerConnection(BrokerOptions(servers=(url,), reconnect_wait=0.1))
    await broker.connect()
    return broker


async def _stream_messages(broker: BrokerConnection, stream: StreamSettings):
    info = await broker.js.stream_info(stream.name)
    return [
        await broker.js.get_msg(stream.name, seq)
        for seq in range(info.state.first_seq, info.state.last_seq + 1)
    ]


async def _run_publisher(broker, journal_path, stream, name="relay-a") -> JournalPublisher:
    publisher = JournalPublisher(broker, Journal(journal_path, readonly=True), stream, name)
    publisher.start()
    await publisher.caught_up()
    return publisher


async def test_each_event_is_published_once_with_its_id_and_journal_seq(
    nats_server, journal, stream
):
    ids = append_events(journal, 5)
    broker = await _connected(nats_server.url)
    publisher = await _run_publisher(broker, journal.path, stream)
    messages = await _stream_messages(broker, stream)
    assert [m.headers[MSG_ID_HEADER] for m in messages] == ids
    assert [int(m.headers[RELAY_SEQ_HEADER]) for m in messages] == [1, 2, 3, 4, 5]
    assert {m.subject for m in messages} == {stream.relay_subject("relay-a")}
    assert messages[0].data.decode() == journal.records_after(0)[0].raw

    more = append_events(journal, 3)
    publisher.wake()
    await publisher.caught_up()
    messages = await _stream_messages(broker, stream)
    assert [m.headers[MSG_ID_HEADER] for m in messages] == ids + more
    await publisher.stop()
    await broker.close()


async def test_a_restarted_relay_publishes_only_what_the_stream_lacks(nats_server, journal, stream):
    append_events(journal, 4)
    broker = await _connected(nats_server.url)
    first = await _run_publisher(broker, journal.path, stream)
    await first.stop()

    append_events(journal, 2)  # arrived while the publisher was down
    second = await _run_publisher(broker, journal.path, stream)
    assert second.published == 2 and second.duplicates == 0
    messages = await _stream_messages(broker, stream)
    assert [int(m.headers[RELAY_SEQ_HEADER]) for m in messages] == [1, 2, 3, 4, 5, 6]
    await second.stop()
    await broker.close()


async def test_a_republished_event_is_dropped_by_the_server_as_a_duplicate(
    nats_server, journal, stream
):
    append_events(journal, 3)
    broker = await _connected(nats_server.url)
    publisher = await _run_publisher(broker, journal.path, stream)
    await publisher.stop()
    # A second relay (failover) that journalled the same events publishes them again.
    other = await _run_publisher(broker, journal.path, stream, name="relay-b")
    assert other.published == 0 and other.duplicates == 3
    assert len(await _stream_messages(broker, stream)) == 3
    await other.stop()
    await broker.close()


async def test_broker_killed_mid_stream_then_restarted_leaves_no_gap(own_nats_server, tmp_path):
    stream = StreamSettings(name="KILLED", subject_prefix="killed.events")
    journal = open_journal(tmp_path / "j.sqlite3")
    append_events(journal, 50)
    broker = await _connected(own_nats_server.url)
    publisher = await _run_publisher(broker, journal.path, stream)

    own_nats_server.kill()
    await wait_until(lambda: not broker.connected, what="the disconnect")
    append_events(journal, 30)  # the relay keeps journalling while the broker is down
    publisher.wake()
    await wait_until(lambda: publisher.problem is not None, what="the publisher to notice")
    own_nats_server.start()
    await wait_until(lambda: broker.connected, what="the reconnect")
    await publisher.caught_up(within=20)

    messages = await _stream_messages(broker, stream)
    assert [int(m.headers[RELAY_SEQ_HEADER]) for m in messages] == list(range(1, 81))
    await publisher.stop()
    await broker.close()
    journal.close()


async def test_a_broker_that_lost_its_store_gets_everything_again(own_nats_server, tmp_path):
    stream = StreamSettings(name="LOST", subject_prefix="lost.events")
    journal = open_journal(tmp_path / "j.sqlite3")
    append_events(journal, 10)
    broker = await _connected(own_nats_server.url)
    publisher = await _run_publisher(broker, journal.path, stream)
    await publisher.stop()
    await broker.close()

    own_nats_server.kill()
    shutil.rmtree(own_nats_server.store_dir / "jetstream")  # a power loss before any fsync
    own_nats_server.start()

    broker = await _connected(own_nats_server.url)
    publisher = await _run_publisher(broker, journal.path, stream)
    messages = await _stream_messages(broker, stream)
    assert [int(m.headers[RELAY_SEQ_HEADER]) for m in messages] == list(range(1, 11))
    await publisher.stop()
    await broker.close()
    journal.close()


async def test_events_older_than_the_streams_max_age_are_not_brought_back(nats_server, journal):
    stream = StreamSettings(
        name="AGED", subject_prefix="aged.events", max_age_secs=3600, duplicate_window_secs=60
    )
    append_events(journal, 2, received_at=time.time() - 7200)
    fresh = append_events(journal, 1)
    broker = await _connected(nats_server.url)
    publisher = await _run_publisher(broker, journal.path, stream)
    messages = await _stream_messages(broker, stream)
    assert [m.headers[MSG_ID_HEADER] for m in messages] == fresh
    assert publisher.skipped_old == 2
    await publisher.stop()
    await broker.close()
