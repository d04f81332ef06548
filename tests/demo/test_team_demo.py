"""``telnyx-console team-demo``: the process plan, the missing-broker message, and a real run.

The real run starts the demo's own processes (nats-server, the simulator, the relay) headless
and joins two real ConsoleSessions with the settings the demo writes for its two windows: a
call dialled by one is seen by both through relay → broker, and each sees the other's presence.
"""

from __future__ import annotations

import sys
import tomllib

import pytest

from console import __main__ as entry
from console import team_demo
from console.config import load_settings
from console.relay.config import load_config
from console.secrets import SecretStore
from console.session import ConsoleSession
from console.simulator import phones
from console.state.entities import CallState
from console.team_demo import TeamDemo
from console.team_demo_plan import OPERATORS, build_plan
from tests.relay.helpers import wait_until
from tests.relay.nats_server import require_nats_server

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_plan_starts_broker_simulator_relay_and_two_consoles(tmp_path):
    plan = build_plan(
        tmp_path, "/opt/nats/nats-server", api_key="KEYdemo", ports=(4001, 4002, 4003)
    )
    me = [sys.executable, "-m", "console"]
    assert plan.nats.argv == [
        "/opt/nats/nats-server", "-js", "-sd", str(tmp_path / "nats"), "-a", "127.0.0.1",
        "-p", "4001",
    ]  # fmt: skip
    assert plan.simulator.argv == [*me, "simulator", "--port", "4002", "--api-key", "KEYdemo",
                                   "--demo", "2.0"]  # fmt: skip
    assert plan.relay.argv == [*me, "relay", "--config", str(tmp_path / "relay" / "relay.toml")]
    assert plan.relay.env == {"TELNYX_API_KEY": "KEYdemo"}
    homes = [c.env["TELNYX_CONSOLE_HOME"] for c in plan.consoles]
    assert homes == [str(tmp_path / "alex"), str(tmp_path / "sam")]  # separate data dirs
    assert [c.argv for c in plan.consoles] == [[*me, "--home", home] for home in homes]
    assert all(c.env["TELNYX_API_KEY"] == "KEYdemo" for c in plan.consoles)
    assert len({c.log for c in (plan.nats, plan.simulator, plan.relay, *plan.consoles)}) == 5


def test_the_relay_config_and_console_settings_are_what_production_reads(tmp_path):
    plan = build_plan(tmp_path, "nats-server", api_key="KEYdemo", ports=(4001, 4002, 4003))
    info = team_demo.SimulatorInfo(
        "http://127.0.0.1:4002/v2", "KEYdemo", "kFUSbBa97M3zs/pKoGMOd73exzf6RXAyPMHmGpPnmj4=", "77"
    )
    path = tmp_path / "relay.toml"
    path.write_text(plan.relay_config(info))
    config = load_config(path)  # the relay's own loader: no secret in the file
    assert config.relay.listen_port == 4003 and config.relay.verify_signatures
    assert config.relay.public_key == info.public_key
    assert config.broker.servers == ["nats://127.0.0.1:4001"]
    assert config.telnyx is not None and config.telnyx.application_id == "77"
    assert config.telnyx.webhook_url == "http://127.0.0.1:4003/webhooks/telnyx"
    assert "KEYdemo" not in path.read_text()
    assert tomllib.loads(path.read_text())["telnyx"]["api_base_url"] == info.base_url

    for operator in OPERATORS:
        settings = plan.console_settings(operator, info)
        saved = tmp_path / operator.folder / "settings.json"
        team_demo.save_settings(settings, saved)
        again = load_settings(saved)
        assert (again.mode, again.broker_url, again.operator_name) == (
            "team",
            "nats://127.0.0.1:4001",
            operator.name,
        )
        assert again.supervisor is operator.supervisor
        assert again.operator_endpoint == operator.endpoint
    assert [o.supervisor for o in OPERATORS] == [False, True]


def test_without_nats_server_it_says_how_to_install_it_and_starts_nothing(tmp_path):
    said: list[str] = []
    code = team_demo.main(["--dir", str(tmp_path / "d")], find_server=lambda: None, say=said.append)
    assert code == 2
    assert "apt-get install nats-server" in said[0]
    assert "2.10 or newer" in said[0]
    assert not (tmp_path / "d" / "logs").exists()


def test_team_demo_is_a_command_of_the_console(monkeypatch):
    seen: list[list[str]] = []
    monkeypatch.setattr(team_demo, "main", lambda argv: seen.append(argv) or 0)
    assert entry.main(["team-demo", "--keep"]) == 0
    assert seen == [["--keep"]]
    assert "team-demo" in entry.build_parser().format_help()


async def test_the_demo_really_runs_and_two_console_sessions_share_events(tmp_path):
    binary = require_nats_server()
    plan = build_plan(tmp_path / "demo", binary, calls_per_minute=0, windows=False)
    said: list[str] = []
    demo = TeamDemo(plan, said.append)
    try:
        info = demo.start_services()
        sessions = []
        for operator in OPERATORS:
            session = ConsoleSession(
                plan.console_settings(operator, info),
                SecretStore(environ={"TELNYX_API_KEY": plan.api_key}),
                data_dir=tmp_path / operator.folder,
                settings_path=tmp_path / operator.folder / "settings.json",
            )
            await session.start()
            sessions.append(session)
        alex, sam = sessions
        try:
            assert alex.team is not None and sam.team is not None
            await wait_until(
                lambda: (
                    [c.operator for c in sam.team.colleagues()] == ["Alex"]
                    and [c.operator for c in alex.team.colleagues()] == ["Sam"]
                ),
                what="each operator's presence at the other console",
                within=15,
            )
            assert [c.supervisor for c in alex.team.colleagues()] == [True]
            ccid = await alex.ops.dial(phones.ANSWERS, info_from(alex))
            await wait_until(
                lambda: all(state(s, ccid) is CallState.ANSWERED for s in sessions),
                what="the call's events on both consoles through relay and broker",
                within=20,
            )
        finally:
            for session in sessions:
                await session.stop()
    finally:
        demo.stop()
    assert said[:3] == [
        f"Starting nats-server on {plan.nats_url} …",
        "Starting the Telnyx simulator …",
        f"Starting the relay: relay --config {plan.relay_config_path} …",
    ]
    assert demo.running == []


def info_from(session: ConsoleSession) -> str:
    return session.settings.from_numbers[0]


def state(session: ConsoleSession, ccid: str) -> CallState | None:
    call = session.store.call(ccid)
    return call.state if call is not None else None
