"""The team demo's process plan, as data: which processes start, with what, and where.

:func:`build_plan` turns a folder and a nats-server binary into a :class:`DemoPlan`: the
broker, the simulator, the relay and the two operators' consoles, each a :class:`Process`
(command, environment, log file), plus the relay's TOML and each console's settings once the
simulator has said where it listens (:class:`SimulatorInfo`). Nothing here starts a process,
so tests check the whole plan without running anything; :mod:`console.team_demo` runs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from console.config import Settings

#: Where Debian's package puts the binary; PATH is tried first.
DEBIAN_NATS_SERVER = "/usr/sbin/nats-server"
RELAY_PATH = "/webhooks/telnyx"
DEFAULT_CALLS_PER_MINUTE = 2.0
SIM_PHONE_DOMAIN = "sim.telnyx.invalid"  # the simulator answers any SIP URI it is not told of

NATS_MISSING = (
    "The team demo needs nats-server (the NATS broker), and it is not installed.\n"
    "  Debian/Ubuntu:  sudo apt-get install nats-server\n"
    "  Anywhere else:  download a release (2.10 or newer) from "
    "https://github.com/nats-io/nats-server/releases and put nats-server on your PATH.\n"
    "Then run: telnyx-console team-demo"
)


class DemoError(Exception):
    """The demo cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class DemoOperator:
    name: str
    supervisor: bool

    @property
    def folder(self) -> str:
        return self.name.lower()

    @property
    def endpoint(self) -> str:
        """Their phone: a SIP URI the simulator answers."""
        return f"sip:{self.folder}@{SIM_PHONE_DOMAIN}"


OPERATORS = (DemoOperator("Alex", supervisor=False), DemoOperator("Sam", supervisor=True))


@dataclass(frozen=True)
class Process:
    """One child process of the demo: its command, extra environment and log file."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    log: Path | None = None


@dataclass(frozen=True)
class SimulatorInfo:
    """What the simulator prints once it listens."""

    base_url: str
    api_key: str
    public_key: str
    connection_id: str


@dataclass(frozen=True)
class DemoPlan:
    base: Path
    nats_port: int
    simulator_port: int
    relay_port: int
    api_key: str
    nats: Process
    simulator: Process
    relay: Process
    consoles: list[Process]
    operators: tuple[DemoOperator, ...] = OPERATORS

    @property
    def nats_url(self) -> str:
        return f"nats://127.0.0.1:{self.nats_port}"

    @property
    def relay_url(self) -> str:
        return f"http://127.0.0.1:{self.relay_port}{RELAY_PATH}"

    @property
    def relay_config_path(self) -> Path:
        return self.base / "relay" / "relay.toml"

    def home(self, operator: DemoOperator) -> Path:
        return self.base / operator.folder

    def relay_config(self, sim: SimulatorInfo) -> str:
        """The relay's TOML for this demo (the production file with local values)."""
        data_dir = self.base / "relay"
        return "\n".join(
            [
                "# Written by telnyx-console team-demo; see packaging/relay/relay.example.toml.",
                "[relay]",
                'name = "demo-relay"',
                f"data_dir = {_toml(str(data_dir))}",
                'listen_host = "127.0.0.1"',
                f"listen_port = {self.relay_port}",
                f"path = {_toml(RELAY_PATH)}",
                "verify_signatures = true",
                f"public_key = {_toml(sim.public_key)}",
                "",
                "[broker]",
                f"servers = [{_toml(self.nats_url)}]",
                "",
                "[stream]",
                'name = "TELNYX_EVENTS"',
                "max_age_hours = 24",
                "",
                "[telnyx]",
                f"application_id = {_toml(sim.connection_id)}",
                f"webhook_url = {_toml(self.relay_url)}",
                f"api_base_url = {_toml(sim.base_url)}",
                "",
            ]
        )

    def console_settings(self, operator: DemoOperator, sim: SimulatorInfo) -> Settings:
        from console.simulator.simulator import DEFAULT_FROM_NUMBERS

        return Settings(
            api_base_url=sim.base_url,
            connection_id=sim.connection_id,
            from_numbers=list(DEFAULT_FROM_NUMBERS),
            default_country="US",
            tunnel_provider="none",
            operator_endpoint=operator.endpoint,
            mode="team",
            broker_url=self.nats_url,
            operator_name=operator.name,
            supervisor=operator.supervisor,
        )


def _toml(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_nats_server() -> str | None:
    found = shutil.which("nats-server")
    if found:
        return found
    return DEBIAN_NATS_SERVER if os.access(DEBIAN_NATS_SERVER, os.X_OK) else None


def self_command() -> list[str]:
    """How to run ``telnyx-console`` again: the frozen app itself, or this Python with -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "console"]


def build_plan(
    base: Path,
    nats_binary: str | None,
    *,
    calls_per_minute: float = DEFAULT_CALLS_PER_MINUTE,
    api_key: str | None = None,
    ports: Sequence[int] | None = None,
    windows: bool = True,
) -> DemoPlan:
    """Every process of the demo, as data; :class:`DemoError` when nats-server is missing."""
    if nats_binary is None:
        raise DemoError(NATS_MISSING)
    nats_port, sim_port, relay_port = ports or (free_port(), free_port(), free_port())
    key = api_key or f"KEYteamdemo{os.urandom(8).hex()}"
    logs = base / "logs"
    me = self_command()
    nats = Process(
        "nats-server",
        [nats_binary, "-js", "-sd", str(base / "nats"), "-a", "127.0.0.1", "-p", str(nats_port)],
        log=logs / "nats-server.log",
    )
    simulator_argv = [*me, "simulator", "--port", str(sim_port), "--api-key", key]
    # No --webhook-url: the relay points the application at itself, as in production.
    if calls_per_minute > 0:
        simulator_argv += ["--demo", str(calls_per_minute)]
    simulator = Process("simulator", simulator_argv, log=logs / "simulator.log")
    relay = Process(
        "relay",
        [*me, "relay", "--config", str(base / "relay" / "relay.toml")],
        env={"TELNYX_API_KEY": key},
        log=logs / "relay.log",
    )
    consoles = []
    if windows:
        for operator in OPERATORS:
            home = base / operator.folder
            consoles.append(
                Process(
                    f"console {operator.name}",
                    [*me, "--home", str(home)],
                    env={"TELNYX_CONSOLE_HOME": str(home), "TELNYX_API_KEY": key},
                    log=logs / f"console-{operator.folder}.log",
                )
            )
    return DemoPlan(
        base=base,
        nats_port=nats_port,
        simulator_port=sim_port,
        relay_port=relay_port,
        api_key=key,
        nats=nats,
        simulator=simulator,
        relay=relay,
        consoles=consoles,
    )


def parse_simulator_output(lines: Sequence[str]) -> SimulatorInfo | None:
    """The simulator's ``key=value`` start-up lines, once all four are there."""
    values: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep:
            values[key] = value
    try:
        return SimulatorInfo(
            values["base_url"], values["api_key"], values["public_key"], values["connection_id"]
        )
    except KeyError:
        return None
