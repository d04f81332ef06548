"""A team-mode console without a window, for tests: source → store, claims, operations.

It is what a console session does in team mode, put together from the real parts: its own
broker connection, a :class:`JetStreamSource` from its cursor into a real :class:`Store`, a
:class:`ClaimBook`, and :class:`Operations` whose command ids carry the operator's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console.config import Settings
from console.events.journal import JournalRecord
from console.operations.facade import Operations
from console.relay.claims import ClaimAction, ClaimBook
from console.relay.config import RelaySecrets, parse_config
from console.relay.connection import BrokerConnection, BrokerOptions
from console.relay.relay import Relay
from console.relay.source import JetStreamSource, ResyncReason
from console.relay.stream import StreamSettings
from console.simulator import TelnyxSimulator
from console.state.store import Store
from console.telnyx.client import TelnyxClient
from tests.relay.nats_server import free_port


class TeamConsole:
    def __init__(self, operator: str, nats_url: str, stream: StreamSettings, claims_bucket: str):
        self.operator = operator
        self.broker = BrokerConnection(
            BrokerOptions(servers=(nats_url,), name=f"console {operator}", reconnect_wait=0.1)
        )
        self.store = Store()
        self.records: list[JournalRecord] = []
        self.resyncs: list[ResyncReason] = []
        self.source = JetStreamSource(self.broker, stream, on_resync=self.resyncs.append)
        self.claims = ClaimBook(self.broker, operator, bucket=claims_bucket)
        self.client: TelnyxClient | None = None
        self.ops: Operations | None = None

    def _deliver(self, batch: Sequence[JournalRecord]) -> None:
        self.records.extend(batch)
        self.store.apply_batch(record.envelope() for record in batch)

    async def start(self, sim: TelnyxSimulator, cursor: int = 0) -> None:
        await self.broker.connect()
        await self.claims.open()
        await self.source.start(cursor, self._deliver)
        await self.source.subscribed()
        self.client = TelnyxClient(sim.api_key, base_url=sim.base_url)
        settings = Settings(
            tunnel_provider="none", connection_id=sim.connection_id, from_numbers=sim.from_numbers
        )
        self.ops = Operations(self.client, self.store, settings, operator_id=self.operator)

    async def answer(self, call_control_id: str) -> None:
        """What the Answer button does in team mode: claim first, then answer."""
        assert self.ops is not None
        async with self.claims.holding(call_control_id, ClaimAction.ANSWERING):
            await self.ops.answer(call_control_id)

    async def stop(self) -> None:
        await self.source.stop()
        await self.claims.close()
        await self.broker.close()
        if self.client is not None:
            await self.client.aclose()

    @property
    def event_ids(self) -> list[str]:
        return [r.event_id for r in self.records]


def relay_for(sim: TelnyxSimulator, nats_url: str, data_dir: Path, stream: str) -> Relay:
    port = free_port()
    config = parse_config(
        f"""
[relay]
name = "relay-1"
data_dir = "{data_dir}"
listen_port = {port}
public_key = "{sim.public_key_b64}"
[broker]
servers = ["{nats_url}"]
[stream]
name = "{stream}"
subject_prefix = "{stream.lower()}.events"
[telnyx]
application_id = "{sim.connection_id}"
webhook_url = "http://127.0.0.1:{port}/webhooks/telnyx"
api_base_url = "{sim.base_url}"
"""
    )
    return Relay(config, RelaySecrets(api_key=sim.api_key))
