"""Team mode end to end in two real windows: simulator → relay → nats-server → two sessions.

Alex and Sam each have the real MainWindow on a real team-mode ConsoleSession; the relay and
the simulator run on the same loop, the broker is a real ``nats-server``. Alex answers a
ringing call in his window; Sam's window shows Alex's claim and presence live, and Sam (a
supervisor) listens, then whispers, from the Team panel: the simulator's conference shows
the roles change on the same leg. When both press Answer at once, one window answers and
the other says who took the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from console.config import Settings
from console.desk.status import Status
from console.relay.relay import Relay
from console.secrets import SecretStore
from console.session import ConsoleSession
from console.simulator import TelnyxSimulator
from console.state.entities import CallState
from console.team.view import SupervisorMode
from console.ui.main_window import MainWindow
from console.ui.team_model import COL_STATUS
from tests.e2e.conftest import SPEED, START_STOP_MS
from tests.relay.nats_server import NatsServer, require_nats_server
from tests.relay.team import relay_for
from tests.support.qt import run_task

WAIT_MS = 15_000
PHONES = {"Alex": "sip:alex@sim.telnyx.invalid", "Sam": "sip:sam@sim.telnyx.invalid"}


@pytest.fixture
def nats(tmp_path):
    binary = require_nats_server()
    server = NatsServer(binary, tmp_path / "nats")
    server.start()
    yield server
    server.stop()


def team_session(home: Path, sim: TelnyxSimulator, relay: Relay, operator: str, **kw: object):
    return ConsoleSession(
        Settings(
            api_base_url=sim.base_url,
            connection_id=sim.connection_id,
            from_numbers=sim.from_numbers,
            tunnel_provider="none",
            mode="team",
            broker_url=relay.config.broker.servers[0],
            operator_name=operator,
            operator_endpoint=PHONES[operator],
            **kw,  # type: ignore[arg-type]
        ),
        SecretStore(environ={"TELNYX_API_KEY": sim.api_key}),
        data_dir=home / operator,
        settings_path=home / operator / "settings.json",
        resync_debounce=0.05,
        team_options={"stream": relay.config.stream, "heartbeat_secs": 0.5},
    )


@dataclass
class Team:
    sim: TelnyxSimulator
    relay: Relay
    sessions: list[ConsoleSession]
    windows: list[MainWindow]


@pytest.fixture
def team(qtbot, nats, tmp_path):
    """Alex and Sam (a supervisor) in two real windows on one relay, broker and simulator."""
    sim = TelnyxSimulator(webhook_url="https://example.invalid/own", speed=SPEED)
    run_task(qtbot, sim.start(), START_STOP_MS)
    relay = relay_for(sim, nats.url, tmp_path / "relay", "E2ETEAM")
    team = Team(sim, relay, [], [])
    try:
        run_task(qtbot, relay.start(), START_STOP_MS)
        qtbot.waitUntil(lambda: relay.webhook.pointed_url is not None, timeout=WAIT_MS)
        for name, extra in (("Alex", {}), ("Sam", {"supervisor": True})):
            session = team_session(tmp_path, sim, relay, name, **extra)
            team.sessions.append(session)
            run_task(qtbot, session.start(), START_STOP_MS)
            layout = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(session, qsettings=layout)
            qtbot.addWidget(window)
            window.show()
            team.windows.append(window)
        yield team
    finally:
        for window in team.windows:
            window.close()
        for session in team.sessions:
            run_task(qtbot, session.stop(), START_STOP_MS)
        run_task(qtbot, relay.stop(), START_STOP_MS)
        run_task(qtbot, sim.stop(), START_STOP_MS)


def colleague(panel, name):
    for c in panel.model.colleagues():
        if c.operator == name:
            return c
    return None


def ring(qtbot, team: Team) -> str:
    ccid = run_task(qtbot, team.sim.place_inbound_call("+13125550142", ring_secs=100_000))
    for window in team.windows:
        qtbot.waitUntil(lambda w=window: w.calls_model.row_of(ccid) is not None, timeout=WAIT_MS)
        window.select_calls([ccid])
        qtbot.waitUntil(window.actions.answer.isEnabled, timeout=WAIT_MS)
    return ccid


def test_claims_presence_and_supervising_across_two_windows(qtbot, team):
    sim, sessions = team.sim, team.sessions
    alex_window, sam_window = team.windows
    alex_panel, sam_panel = (w.team_ui.panel for w in team.windows)
    assert sam_window.windowTitle().endswith("— Sam")
    qtbot.waitUntil(lambda: colleague(sam_panel, "Alex") is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: colleague(alex_panel, "Sam") is not None, timeout=WAIT_MS)
    assert colleague(alex_panel, "Sam").supervisor

    # Sam goes away in his window's status selector: Alex's panel shows it in words.
    sam_window.workflow.desk.status.set(Status.AWAY, "Lunch")
    qtbot.waitUntil(
        lambda: (
            colleague(alex_panel, "Sam") is not None
            and colleague(alex_panel, "Sam").status is Status.AWAY
        ),
        timeout=WAIT_MS,
    )
    row = alex_panel.model.row_of("Sam")
    assert alex_panel.model.index(row, COL_STATUS).data() == "Away: Lunch"
    sam_window.workflow.desk.status.set(Status.AVAILABLE)

    ccid = ring(qtbot, team)
    alex_window.actions.answer.trigger()

    # Sam's window: Alex's claim in the Team panel, and Alex on that call.
    qtbot.waitUntil(
        lambda: any(
            sam_panel.claims_list.item(i).text().startswith("Alex ")
            for i in range(sam_panel.claims_list.count())
        ),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(
        lambda: (
            colleague(sam_panel, "Alex") is not None
            and colleague(sam_panel, "Alex").call_control_id == ccid
        ),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: sessions[1].store.call(ccid).state is not CallState.RINGING)
    assert not sam_window.actions.answer.isEnabled()
    qtbot.waitUntil(
        lambda: sam_panel.claims_list.item(0).text() == "Alex has the call with +13125550142",
        timeout=WAIT_MS,
    )

    # Sam listens, then whispers, from the panel: the same leg changes role in place.
    assert sam_panel.select_colleague("Alex")
    listen = sam_panel.mode_buttons[SupervisorMode.MONITOR]
    whisper = sam_panel.mode_buttons[SupervisorMode.WHISPER]
    qtbot.waitUntil(listen.isEnabled, timeout=WAIT_MS)

    def roles() -> dict[str, str]:
        conference_id = sessions[0].store.call(ccid).conference_id
        conference = sim.world.conferences[conference_id]
        return {
            p.call_control_id: p.supervisor_role
            for p in conference.participants.values()
            if p.status == "joined"
        }

    listen.click()
    qtbot.waitUntil(listen.isChecked, timeout=WAIT_MS)
    assert "monitor" in roles().values()
    whisper.click()
    qtbot.waitUntil(whisper.isChecked, timeout=WAIT_MS)
    assert "whisper" in roles().values() and "monitor" not in roles().values()
    sam_panel.stop_button.click()
    qtbot.waitUntil(lambda: not whisper.isChecked(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "whisper" not in roles().values(), timeout=WAIT_MS)

    # Alex sends the caller to Sam in one action: Enter on Sam in the Team panel.
    alex_window.select_calls([ccid])
    assert alex_panel.select_colleague("Sam")
    qtbot.waitUntil(alex_panel.transfer_button.isEnabled, timeout=WAIT_MS)
    alex_panel.view.setFocus()
    qtbot.keyClick(alex_panel.view, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: alex_window.status.currentMessage() == "Transferred to Sam.", timeout=WAIT_MS
    )
    assert sessions[0].ops.transferred_to(ccid) == PHONES["Sam"]
    run_task(qtbot, sessions[0].ops.hangup(ccid), START_STOP_MS)


def test_two_operators_answer_at_once_one_wins_the_other_is_told_who(qtbot, team):
    ccid = ring(qtbot, team)
    for window in team.windows:  # both press Answer before either command has gone out
        window.actions.answer.trigger()
    qtbot.waitUntil(
        lambda: (
            all(w.actions.idle() for w in team.windows)
            and all(s.store.call(ccid).state is not CallState.RINGING for s in team.sessions)
        ),
        timeout=WAIT_MS,
    )
    taken = [w for w in team.windows if (w.notifications.last_message or "").startswith("Taken")]
    assert len(taken) == 1, [w.notifications.last_message for w in team.windows]
    loser = taken[0]
    winner_name = "Sam" if loser is team.windows[0] else "Alex"
    assert loser.notifications.last_message == (
        f"Taken by {winner_name} (answering): nothing was done to the call."
    )
    loser_session = team.sessions[team.windows.index(loser)]
    assert [e.what for e in loser_session.ops.audit.entries()] == []  # nothing sent to Telnyx
    assert loser_session.store.call(ccid).state is not CallState.ENDED  # the call goes on
    winner_session = team.sessions[1 - team.windows.index(loser)]
    run_task(qtbot, winner_session.ops.hangup(ccid), START_STOP_MS)
