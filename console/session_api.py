"""The typed seams around the session: what the UI may use of it, and what it is built from.

``ConsoleApi`` is the facade ``MainWindow`` and the panels are typed against: a typo in a
name the window reads is a type error, and the tests' ``FakeSession`` is checked against the
same Protocol by mypy (tests/support/fake_session_check.py) rather than by a runtime test.
``ConsoleSession`` (console/session.py) satisfies it; nothing here imports Qt or the session.

The other Protocols type the session's own seams, so a fake given to it in tests is checked
the same way: ``SecretsApi`` (the OS keyring, console/secrets.py), ``TelnyxApi`` (the REST
client, console/telnyx/client.py), ``SimulatorApi`` (the built-in simulator of a demo) and the
factories of the tunnel (``console.tunnel.TunnelProvider``) and of the client.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from console.config import Settings
    from console.console_metrics import ConsoleMetrics
    from console.events.journal import JournalRecord
    from console.history.table import HistoryTable
    from console.operations.health import Health
    from console.operations.transfer import AttendedTransfer
    from console.secrets import Secret
    from console.state.store import Store
    from console.team.view import TeamView
    from console.telnyx.applications import Applications, Recordings
    from console.telnyx.calls import Calls, Connections
    from console.telnyx.conferences import Conferences
    from console.telnyx.queues import Queues
    from console.tunnel.base import TunnelProvider

#: A session listener: ``on_event`` gives (envelope, received), ``on_rejected`` a rejection,
#: ``on_health`` nothing, ``on_history`` the rows written.
Listener = Callable[..., None]
Unsubscribe = Callable[[], None]


class CallOps(Protocol):
    """The operator's commands, as ``console.operations.Operations`` offers them."""

    @property
    def attended_transfers(self) -> Sequence[AttendedTransfer]: ...

    def is_operator_leg(self, call_control_id: str) -> bool: ...

    def transferred_to(self, call_control_id: str) -> str | None: ...

    async def dial(self, to: str, from_: str) -> str: ...

    async def answer(self, call_control_id: str) -> None: ...

    async def reject(self, call_control_id: str) -> None: ...

    async def hangup(self, call_control_id: str) -> None: ...

    async def transfer(self, call_control_id: str, to: str) -> None: ...

    async def start_attended_transfer(self, call_control_id: str, to: str) -> AttendedTransfer: ...

    async def complete_attended_transfer(self, transfer: AttendedTransfer) -> AttendedTransfer: ...

    async def cancel_attended_transfer(self, transfer: AttendedTransfer) -> AttendedTransfer: ...

    async def hold(self, call_control_id: str) -> None: ...

    async def unhold(self, call_control_id: str) -> None: ...

    async def mute(self, call_control_id: str) -> None: ...

    async def unmute(self, call_control_id: str) -> None: ...

    async def record_start(self, call_control_id: str) -> None: ...

    async def record_stop(self, call_control_id: str) -> None: ...

    async def record_pause(self, call_control_id: str) -> None: ...

    async def record_resume(self, call_control_id: str) -> None: ...

    async def bridge(self, a: str, b: str) -> None: ...

    async def merge(self, call_control_ids: list[str]) -> str: ...

    async def add_participant(self, conference_id: str, to: str) -> str: ...

    async def kick(self, conference_id: str, call_control_id: str) -> None: ...

    async def end_conference(self, conference_id: str) -> None: ...

    async def send_dtmf(self, call_control_id: str, digits: str) -> None: ...

    async def pick_from_queue(self, call_control_id: str) -> None: ...


class JournalView(Protocol):
    """What the event log reads of the event journal (``console.events.journal.Journal``)."""

    def recent(
        self,
        limit: int = 200,
        event_type: str | None = None,
        call_control_id: str | None = None,
    ) -> Sequence[JournalRecord]: ...


class SecretsApi(Protocol):
    """The secret store (``console.secrets.SecretStore``): the OS keyring, asynchronously."""

    @property
    def backend_available(self) -> bool: ...

    @property
    def backend_message(self) -> str: ...

    async def aget(self, name: Secret) -> str | None: ...

    async def aset(self, name: Secret, value: str) -> None: ...

    def get_ngrok_authtoken(self) -> str | None: ...


class ConsoleApi(Protocol):
    """What the window and its panels use of the session (``console.session.ConsoleSession``).

    Attributes are read-only properties here so a fake may keep them as plain attributes.
    ``ops`` and ``journal`` are None until the session has started; ``client`` is None while
    no API key is set (the window then offers the setup wizard).
    """

    @property
    def store(self) -> Store: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def health(self) -> Health: ...

    @property
    def ops(self) -> CallOps | None: ...

    @property
    def journal(self) -> JournalView | None: ...

    @property
    def metrics(self) -> ConsoleMetrics: ...

    @property
    def demo(self) -> bool: ...

    @property
    def client(self) -> object | None: ...

    @property
    def secrets(self) -> SecretsApi: ...

    @property
    def team(self) -> TeamView | None:
        """Team mode's view of colleagues, claims and the broker; None in solo mode."""
        ...

    @property
    def data_dir(self) -> Path | None: ...

    @property
    def database_path(self) -> Path | None:
        """The console database (history, desk); None for a session without one (a test's):
        the desk is then kept in memory."""
        ...

    def on_event(self, callback: Listener) -> Unsubscribe: ...

    def on_rejected(self, callback: Listener) -> Unsubscribe: ...

    def on_health(self, callback: Listener) -> Unsubscribe: ...

    def on_history(self, callback: Listener) -> Unsubscribe: ...

    def history_table(self) -> HistoryTable | None: ...

    def request_resync(self, reason: str) -> None: ...

    async def resync(self, reason: str) -> None: ...

    async def apply_settings(
        self,
        settings: Settings,
        api_key: str | None = None,
        public_key: str | None = None,
        ngrok_authtoken: str | None = None,
        broker_password: str | None = None,
    ) -> list[str]: ...

    async def list_applications(self) -> list[tuple[str, str]]: ...

    async def test_webhook_path(self) -> str: ...

    async def take_over_webhook(self) -> None: ...


class TelnyxApi(Protocol):
    """The REST client the session and the operations use (``TelnyxClient``)."""

    @property
    def calls(self) -> Calls: ...

    @property
    def conferences(self) -> Conferences: ...

    @property
    def queues(self) -> Queues: ...

    @property
    def applications(self) -> Applications: ...

    @property
    def connections(self) -> Connections: ...

    @property
    def recordings(self) -> Recordings: ...

    async def aclose(self) -> None: ...


class SimClock(Protocol):
    def now(self) -> datetime: ...


class SimulatorApi(Protocol):
    """What the session uses of the demo's simulator (``console.simulator.TelnyxSimulator``)."""

    @property
    def clock(self) -> SimClock: ...

    @property
    def api_key(self) -> str: ...

    @property
    def connection_id(self) -> str: ...

    @property
    def from_numbers(self) -> Sequence[str]: ...

    @property
    def base_url(self) -> str: ...

    @property
    def hold_music_url(self) -> str: ...

    @property
    def public_key_b64(self) -> str: ...

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None: ...

    async def stop(self) -> None: ...

    def start_demo_traffic(self, rate: float = 2.0) -> None: ...


#: Builds the tunnel from the settings and the secrets (its authtoken); tests give their own.
TunnelFactory = Callable[["Settings", SecretsApi], "TunnelProvider"]
#: Builds the REST client from an API key and the settings; tests give their own.
ClientFactory = Callable[[str, "Settings"], TelnyxApi]

__all__ = [
    "CallOps",
    "ClientFactory",
    "ConsoleApi",
    "JournalView",
    "Listener",
    "SecretsApi",
    "SimClock",
    "SimulatorApi",
    "TelnyxApi",
    "TunnelFactory",
    "Unsubscribe",
]


def _conforms() -> None:  # pragma: no cover - read by mypy only
    """The real classes satisfy these Protocols (checked statically, never run)."""
    from console.secrets import SecretStore
    from console.session import ConsoleSession
    from console.simulator import TelnyxSimulator
    from console.telnyx.client import TelnyxClient

    def check(session: ConsoleSession, secrets: SecretStore, client: TelnyxClient) -> None:
        _api: ConsoleApi = session
        _secrets: SecretsApi = secrets
        _client: TelnyxApi = client
        _sim: SimulatorApi = TelnyxSimulator()
        _ops: CallOps | None = session.ops

    del check
