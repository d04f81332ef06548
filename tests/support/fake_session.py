"""The one fake session of the UI tests: the facade console/session.py offers the window.

``FakeSession`` satisfies ``console.session_api.ConsoleApi`` and ``FakeOps`` its ``CallOps``;
mypy checks both (tests/support/fake_session_check.py is in mypy's ``files``), so a fake that
drifts from the real session is a type error, not a surprise in an end-to-end test. Test-only
controls (``deliver``, ``reject``, ``health_changed``, ``fail``, ``gate``...) are extra members
a Protocol allows; console/ui never reads them (tests/ui/test_fake_session.py checks that).

Events are real webhook bodies applied to the real ``Store``; the health snapshots, attended
transfers, received events and rejections handed out are the real types.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.config import Settings
from console.console_metrics import ConsoleMetrics
from console.events.models import Envelope
from console.events.receiver import ReceivedEvent, Rejection
from console.history.table import HistoryTable
from console.operations.health import Health
from console.operations.transfer import AttendedTransfer, TransferState
from console.secrets import Secret
from console.session_api import JournalView
from console.state.entities import RecordingState
from console.state.store import Store
from console.team.view import TeamView

_ids = itertools.count(1)

Listener = Callable[..., None]

PATH_OK = (
    "✔ The receiver listens at http://127.0.0.1:8765/webhooks/telnyx.\n"
    "✔ Telnyx reached the console through https://abc.ngrok.app."
)


class FakeOps:
    """Records every command; ``fail[name]`` raises; ``confirm`` applies the store's side.

    Methods are those of ``console.operations.Operations`` (mypy checks them against
    ``console.session_api.CallOps``); attended transfers are real ``AttendedTransfer`` objects.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.fail: dict[str, BaseException] = {}
        self.gate: asyncio.Event | None = None  # when set, commands wait for it (pending)
        self.transfers: list[AttendedTransfer] = []  # every transfer started, newest last
        self.confirm = True
        self._transferred: dict[str, str] = {}  # blind transfers, as Operations remembers them
        self.operator_legs: set[str] = set()  # legs to the operator's own phone

    @property
    def attended_transfers(self) -> list[AttendedTransfer]:
        """As the real property: the transfers still in progress."""
        return [t for t in self.transfers if not t.state.is_final]

    async def _do(self, name: str, *args: Any) -> Any:
        self.calls.append((name, args))
        if self.gate is not None:
            await self.gate.wait()
        if name in self.fail:
            raise self.fail[name]
        return None

    def names(self) -> list[str]:
        return [name for name, _args in self.calls]

    async def dial(self, to: str, from_: str) -> str:
        await self._do("dial", to, from_)
        return "v3:dialled"

    async def answer(self, call_control_id: str) -> None:
        await self._do("answer", call_control_id)

    async def reject(self, call_control_id: str) -> None:
        await self._do("reject", call_control_id)

    async def hangup(self, call_control_id: str) -> None:
        await self._do("hangup", call_control_id)

    async def transfer(self, call_control_id: str, to: str) -> None:
        await self._do("transfer", call_control_id, to)
        self._transferred[call_control_id] = to

    def transferred_to(self, call_control_id: str) -> str | None:
        return self._transferred.get(call_control_id)

    def is_operator_leg(self, call_control_id: str) -> bool:
        return call_control_id in self.operator_legs

    async def start_attended_transfer(self, call_control_id: str, to: str) -> AttendedTransfer:
        await self._do("start_attended_transfer", call_control_id, to)
        transfer = AttendedTransfer(
            transfer_id=f"xfer-{next(_ids)}",
            caller_call_control_id=call_control_id,
            target=to,
            state=TransferState.CONSULTING,
            consult_call_control_id="v3:consult",
        )
        self.transfers.append(transfer)
        return transfer

    async def complete_attended_transfer(self, transfer: AttendedTransfer) -> AttendedTransfer:
        await self._do("complete_attended_transfer", transfer)
        transfer.state = TransferState.COMPLETED
        return transfer

    async def cancel_attended_transfer(self, transfer: AttendedTransfer) -> AttendedTransfer:
        await self._do("cancel_attended_transfer", transfer)
        transfer.state = TransferState.CANCELLED
        return transfer

    async def _mark(self, name: str, ccid: str, **flags: bool) -> None:
        await self._do(name, ccid)
        call = self._store.call(ccid)
        if self.confirm and call is not None and call.conference_id:
            self._store.mark_participants(call.conference_id, [ccid], **flags)

    async def hold(self, call_control_id: str) -> None:
        await self._mark("hold", call_control_id, on_hold=True)

    async def unhold(self, call_control_id: str) -> None:
        await self._mark("unhold", call_control_id, on_hold=False)

    async def mute(self, call_control_id: str) -> None:
        await self._mark("mute", call_control_id, muted=True)

    async def unmute(self, call_control_id: str) -> None:
        await self._mark("unmute", call_control_id, muted=False)

    async def record_start(self, call_control_id: str) -> None:
        await self._do("record_start", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def record_stop(self, call_control_id: str) -> None:
        await self._do("record_stop", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.OFF)

    async def record_pause(self, call_control_id: str) -> None:
        await self._do("record_pause", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.PAUSED)

    async def record_resume(self, call_control_id: str) -> None:
        await self._do("record_resume", call_control_id)
        if self.confirm:
            self._store.mark_call_recording(call_control_id, RecordingState.RECORDING)

    async def bridge(self, a: str, b: str) -> None:
        await self._do("bridge", a, b)

    async def merge(self, call_control_ids: list[str]) -> str:
        await self._do("merge", list(call_control_ids))
        return "conf-merged"

    async def add_participant(self, conference_id: str, to: str) -> str:
        await self._do("add_participant", conference_id, to)
        return "v3:added"

    async def kick(self, conference_id: str, call_control_id: str) -> None:
        await self._do("kick", conference_id, call_control_id)

    async def end_conference(self, conference_id: str) -> None:
        await self._do("end_conference", conference_id)

    async def send_dtmf(self, call_control_id: str, digits: str) -> None:
        await self._do("send_dtmf", call_control_id, digits)

    async def pick_from_queue(self, call_control_id: str) -> None:
        await self._do("pick_from_queue", call_control_id)


def connected_health(**changes: Any) -> Health:
    """A real ``Health`` snapshot as a connected console shows it (the session's own type, so
    the fake cannot drift from it; change it with ``FakeSession.health_changed``)."""
    return Health(
        receiver_url="http://127.0.0.1:8765/webhooks/telnyx",
        tunnel_state="up",
        tunnel_url="https://abc.ngrok.app",
        api_reachable=True,
    ).with_(**changes)


@dataclass
class FakeJournal:
    """``rows`` newest first, as ``Journal.recent`` answers (JournalRecord-shaped objects)."""

    rows: list[Any] = field(default_factory=list)

    def recent(
        self,
        limit: int = 200,
        event_type: str | None = None,
        call_control_id: str | None = None,
    ) -> Sequence[Any]:
        rows = [
            row
            for row in self.rows
            if (event_type is None or getattr(row, "event_type", event_type) == event_type)
            and (
                call_control_id is None
                or getattr(row, "call_control_id", call_control_id) == call_control_id
            )
        ]
        return rows[:limit]


class FakeSecrets:
    """The keyring seam: secrets in a dict; ``problem`` plays an unusable keyring."""

    def __init__(self) -> None:
        self.values: dict[Secret, str] = {}
        self.problem: str | None = None

    @property
    def backend_available(self) -> bool:
        return self.problem is None

    @property
    def backend_message(self) -> str:
        return self.problem or "Secrets are kept in the test's memory."

    async def aget(self, name: Secret) -> str | None:
        return self.values.get(name)

    async def aset(self, name: Secret, value: str) -> None:
        if value:
            self.values[name] = value
        else:
            self.values.pop(name, None)

    def get_ngrok_authtoken(self) -> str | None:
        return self.values.get(Secret.NGROK_AUTHTOKEN)


#: What ``client`` holds while an API key is set (the window only asks whether there is one).
CONFIGURED_CLIENT = object()


class FakeSession:
    """The facade console/session.py offers the window, with hooks to push events in."""

    def __init__(self, settings: Settings | None = None, health: Health | None = None) -> None:
        self.store = Store()
        self.settings = settings or Settings(
            from_numbers=["+13125550100", "+13125550101"], default_country="US"
        )
        self.ops: FakeOps | None = FakeOps(self.store)
        self.health = health if health is not None else connected_health()
        self.journal: JournalView | None = FakeJournal()
        self.metrics = ConsoleMetrics()
        self.demo = False
        self.client: object | None = CONFIGURED_CLIENT
        self.secrets = FakeSecrets()
        self.team: TeamView | None = None  # solo mode
        # No console database: the desk is kept in memory, history is not recorded here.
        self.data_dir: Path | None = None
        self.database_path: Path | None = None
        # hooks
        self.applied: list[tuple[Settings, dict[str, str | None]]] = []
        self.apply_error: BaseException | None = None
        self.applications = [("111", "Front desk"), ("222", "Night line")]
        self.applications_error: BaseException | None = None
        self.path_result = PATH_OK
        self.path_error: BaseException | None = None
        self.gate: asyncio.Event | None = None  # when set, the path test waits for it
        self.resync_reasons: list[str] = []
        self.resync_error: BaseException | None = None
        self.took_over = 0
        self._event_cbs: list[Listener] = []
        self._rejected_cbs: list[Listener] = []
        self._health_cbs: list[Listener] = []
        self._history_cbs: list[Listener] = []

    def on_event(self, callback: Listener) -> Callable[[], None]:
        return _add(self._event_cbs, callback)

    def on_rejected(self, callback: Listener) -> Callable[[], None]:
        return _add(self._rejected_cbs, callback)

    def on_health(self, callback: Listener) -> Callable[[], None]:
        return _add(self._health_cbs, callback)

    def on_history(self, callback: Listener) -> Callable[[], None]:
        return _add(self._history_cbs, callback)

    def history_table(self) -> HistoryTable | None:
        return None  # no history recorder: the desk writes the rows as calls end

    def window_shown(self) -> None:
        """What the app calls once its window is shown (no history recorder here)."""

    def request_resync(self, reason: str) -> None:
        self.resync_reasons.append(reason)

    async def resync(self, reason: str) -> None:
        self.resync_reasons.append(reason)
        if self.resync_error is not None:
            raise self.resync_error

    async def test_webhook_path(self) -> str:
        if self.gate is not None:
            await self.gate.wait()
        if self.path_error is not None:
            raise self.path_error
        return self.path_result

    async def take_over_webhook(self) -> None:
        self.took_over += 1
        self.health_changed(webhook_held_by=None, webhook_problem=None)

    def deliver(self, envelope: Envelope, attempt: int = 1) -> None:
        """As the receiver would: apply to the store, then tell the listeners."""
        self.store.apply(envelope)
        raw = envelope.model_dump_json(by_alias=True, exclude_none=True)
        received = ReceivedEvent(received_at=time.time(), attempt=attempt, raw=raw)
        for cb in list(self._event_cbs):
            cb(envelope, received)

    def reject(self, reason: str = "bad signature", detail: str = "Ed25519 check failed") -> None:
        rejection = Rejection(
            time=time.time(), remote="203.0.113.9", reason=reason, detail=detail, status=403
        )
        for cb in list(self._rejected_cbs):
            cb(rejection)

    def health_changed(self, **values: Any) -> None:
        self.health = self.health.with_(**values)  # replaced, never mutated, as the session does
        for cb in list(self._health_cbs):
            cb()

    async def apply_settings(
        self,
        settings: Settings,
        api_key: str | None = None,
        public_key: str | None = None,
        ngrok_authtoken: str | None = None,
        broker_password: str | None = None,
    ) -> list[str]:
        await asyncio.sleep(0)
        if self.apply_error is not None:
            raise self.apply_error
        secrets = {"api_key": api_key, "public_key": public_key, "ngrok_authtoken": ngrok_authtoken}
        if broker_password is not None:  # team mode's secret, only when the Team page set one
            secrets["broker_password"] = broker_password
        self.applied.append((settings, secrets))
        self.settings = settings
        return []  # the real session returns notes for the operator

    async def list_applications(self) -> list[tuple[str, str]]:
        await asyncio.sleep(0)
        if self.applications_error is not None:
            raise self.applications_error
        return list(self.applications)


def _add(listeners: list[Listener], callback: Listener) -> Callable[[], None]:
    """Register ``callback``; return its unsubscribe function (as the real session does)."""
    listeners.append(callback)

    def remove() -> None:
        if callback in listeners:
            listeners.remove(callback)

    return remove
