"""The relay on the simulator and a real nats-server: owns the URLs, journals, publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.relay.config import RelayConfig, RelaySecrets, parse_config
from console.relay.relay import Relay
from console.relay.stream import StreamSettings
from console.simulator import TelnyxSimulator
from tests.relay.helpers import wait_until
from tests.relay.nats_server import NatsServer, free_port

pytestmark = pytest.mark.anyio

ORIGINAL_URL = "https://example.invalid/operators-own-hook"
SPEED = 50.0


def relay_config(
    tmp_path: Path, sim: TelnyxSimulator, nats_url: str, port: int, **relay: str
) -> RelayConfig:
    lines = [
        "[relay]",
        f'name = "{relay.get("name", "relay-1")}"',
        f'data_dir = "{tmp_path / relay.get("name", "relay-1")}"',
        f"listen_port = {port}",
        f'public_key = "{sim.public_key_b64}"',
        "[broker]",
        f'servers = ["{nats_url}"]',
        "[stream]",
        f'name = "{relay.get("stream", "RELAYTEST")}"',
        f'subject_prefix = "{relay.get("stream", "RELAYTEST").lower()}.events"',
        "[telnyx]",
        f'application_id = "{sim.connection_id}"',
        f'webhook_url = "{relay.get("webhook_url", f"http://127.0.0.1:{port}/webhooks/telnyx")}"',
        f'failover_url = "{relay.get("failover_url", "http://127.0.0.1:9/failover")}"',
        f'api_base_url = "{sim.base_url}"',
    ]
    return parse_config("\n".join(lines) + "\n")


async def stream_event_types(relay: Relay, stream: StreamSettings) -> list[str]:
    js = relay.broker.js
    info = await js.stream_info(stream.name)
    types = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        message = await js.get_msg(stream.name, seq)
        types.append(json.loads(message.data)["data"]["event_type"])
    return types


async def test_the_relay_owns_the_urls_and_publishes_what_it_journals(nats_server, tmp_path):
    async with TelnyxSimulator(webhook_url=ORIGINAL_URL, speed=SPEED) as sim:
        port = free_port()
        config = relay_config(tmp_path, sim, nats_server.url, port)
        relay = Relay(config, RelaySecrets(api_key=sim.api_key))
        await relay.start()
        try:
            await wait_until(lambda: relay.webhook.pointed_url is not None, what="the URL")
            app = await relay._client.applications.retrieve(sim.connection_id)
            assert app.webhook_event_url == f"http://127.0.0.1:{port}/webhooks/telnyx"
            assert app.webhook_event_failover_url == "http://127.0.0.1:9/failover"
            assert relay.webhook.remembered_original == ORIGINAL_URL

            ccid = await sim.place_inbound_call("+13125550142", ring_secs=100_000)
            await sim.wait_idle()
            await relay.publisher.caught_up()
            assert "call.initiated" in await stream_event_types(relay, config.stream)
            records = [
                r
                for r in sim.deliveries
                if r.data.get("payload", {}).get("call_control_id") == ccid
            ]
            assert records and all(r.delivered for r in records)
        finally:
            await relay.stop()


async def test_with_the_broker_down_the_relay_still_answers_and_catches_up(tmp_path):
    from tests.relay.conftest import _binary

    broker = NatsServer(_binary(), tmp_path / "nats")  # not started yet
    port = free_port()
    relay_url = f"http://127.0.0.1:{port}/webhooks/telnyx"  # pointed there before the outage
    async with TelnyxSimulator(webhook_url=relay_url, speed=SPEED) as sim:
        config = relay_config(tmp_path, sim, broker.url, port, stream="DOWN")
        relay = Relay(config, RelaySecrets(api_key=sim.api_key))
        await relay.start()
        try:
            await sim.place_inbound_call("+13125550142", ring_secs=100_000)
            await sim.wait_idle()
            assert all(r.delivered for r in sim.deliveries)  # 2xx with no broker at all
            assert relay.ingest.journal.last_seq >= 1
            assert not relay.broker.connected

            broker.start()
            await wait_until(lambda: relay.broker.connected, within=20, what="the broker")
            await relay.publisher.caught_up(within=20)
            assert "call.initiated" in await stream_event_types(relay, config.stream)
            # With the broker back, the relay takes the lead and keeps the URL pointed at it.
            await wait_until(lambda: relay.leader == "relay-1", what="the lead")
        finally:
            await relay.stop()
            broker.stop()


def test_relay_command_refuses_a_config_with_a_secret(tmp_path):
    config = tmp_path / "relay.toml"
    config.write_text(
        f'[relay]\ndata_dir = "{tmp_path}"\n[telnyx]\napplication_id = "1"\n'
        'webhook_url = "https://r.example/hook"\napi_key = "KEY123"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "console", "relay", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert result.returncode == 2
    assert "must not hold secrets (telnyx.api_key)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_config_problems_are_listed_in_words():
    from console.relay.errors import RelayConfigError

    with pytest.raises(RelayConfigError) as bad:
        parse_config('[relay]\ndata_dir = "/x"\nname = "has space"\nlisten_port = 70000\n')
    assert any(p.startswith("relay.name:") for p in bad.value.problems)
    assert any(p.startswith("relay.listen_port:") for p in bad.value.problems)
    with pytest.raises(RelayConfigError, match="not valid TOML"):
        parse_config("[relay\n")


def test_secrets_come_from_the_environment_or_systemd_credentials(tmp_path):
    (tmp_path / "telnyx-api-key").write_text("KEYfromcredentials\n")
    secrets = RelaySecrets.load({"CREDENTIALS_DIRECTORY": str(tmp_path)})
    assert secrets.api_key == "KEYfromcredentials"
    assert "KEYfrom" not in repr(secrets)
    assert RelaySecrets.load({"TELNYX_API_KEY": "KEYenv"}).api_key == "KEYenv"


def test_the_packaged_example_config_is_valid_and_names_every_section():
    example = Path(__file__).parents[2] / "packaging" / "relay" / "relay.example.toml"
    config = parse_config(example.read_text(), example)
    assert config.relay.name == "relay-1"
    assert config.telnyx is not None and config.telnyx.failover_url
    assert config.stream.max_age_secs == 72 * 3600
    unit = (example.parent / "telnyx-relay.service").read_text()
    assert "relay --config /etc/telnyx-relay/relay.toml" in unit
    assert "LoadCredential=telnyx-api-key:" in unit


async def test_two_relays_by_mistake_one_leads_the_other_takes_over_when_it_stops(
    nats_server, tmp_path
):
    async with TelnyxSimulator(webhook_url=ORIGINAL_URL, speed=SPEED) as sim:
        one_port, two_port = free_port(), free_port()
        one = Relay(
            relay_config(tmp_path, sim, nats_server.url, one_port, name="relay-a", stream="TWO"),
            RelaySecrets(api_key=sim.api_key),
            leader_ttl_secs=1.0,
        )
        two = Relay(
            relay_config(tmp_path, sim, nats_server.url, two_port, name="relay-b", stream="TWO"),
            RelaySecrets(api_key=sim.api_key),
            leader_ttl_secs=1.0,
        )
        await one.start()
        await wait_until(lambda: one.webhook.pointed_url is not None, what="relay-a pointing")
        await two.start()
        try:
            await wait_until(lambda: two.leader == "relay-a", what="relay-b to see the leader")
            app = await one._client.applications.retrieve(sim.connection_id)
            assert app.webhook_event_url == f"http://127.0.0.1:{one_port}/webhooks/telnyx"
            assert two.webhook.pointed_url is None  # no ping-pong

            await one.stop()  # releases the lead
            await wait_until(lambda: two.webhook.pointed_url is not None, what="the take-over")
            app = await two._client.applications.retrieve(sim.connection_id)
            assert app.webhook_event_url == f"http://127.0.0.1:{two_port}/webhooks/telnyx"
            assert two.leader == "relay-b"
            # relay-a's dead URL is not taken for the operator's own: relay-a shared it.
            assert two.webhook.remembered_original == ORIGINAL_URL
        finally:
            await two.stop()
            await one.stop()


async def test_with_the_primary_relay_down_telnyx_fails_over_to_the_second_relay(
    nats_server, tmp_path
):
    from tests.relay.team import TeamConsole

    # The application's primary URL is a relay that is down (nothing listens there); its
    # failover URL is a second relay. Telnyx tries the primary three times, then the failover;
    # the second relay journals and publishes, and a console sees the call as if nothing failed.
    dead_primary = f"http://127.0.0.1:{free_port()}/webhooks/telnyx"
    async with TelnyxSimulator(webhook_url=ORIGINAL_URL, speed=SPEED) as sim:
        port = free_port()
        own_url = f"http://127.0.0.1:{port}/webhooks/telnyx"
        config = relay_config(
            tmp_path,
            sim,
            nats_server.url,
            port,
            name="relay-b",
            stream="FO",
            webhook_url=dead_primary,
            failover_url=own_url,
        )
        assert config.telnyx is not None
        second = Relay(config, RelaySecrets(api_key=sim.api_key))
        await second.start()
        console = TeamConsole("Alex", nats_server.url, second.config.stream, "fo_claims")
        try:
            await wait_until(lambda: second.webhook.pointed_url is not None, what="the URLs")
            app = await second._client.applications.retrieve(sim.connection_id)
            assert app.webhook_event_url == dead_primary
            assert app.webhook_event_failover_url == config.telnyx.failover_url
            await console.start(sim)

            ccid = await sim.place_inbound_call("+13125550142", ring_secs=100_000)
            await wait_until(
                lambda: console.store.call(ccid) is not None, within=30.0, what="the call"
            )
            (record,) = [r for r in sim.deliveries if r.event_type == "call.initiated"]
            assert record.delivered and record.delivered_to == config.telnyx.failover_url
            assert len(record.attempts) == 4  # three at the primary, then the failover
        finally:
            await console.stop()
            await second.stop()
