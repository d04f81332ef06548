"""``telnyx-console team-demo``: team mode on one machine, with no Telnyx account.

One command starts, each as its own process with its log under the demo folder:

1. ``nats-server -js`` on a free loopback port (found on PATH, or Debian's /usr/sbin; a clear
   message and exit code 2 when it is missing);
2. the Telnyx simulator (``telnyx-console simulator``) placing inbound calls now and then;
3. the relay (``telnyx-console relay --config relay.toml``) exactly as in production: it owns the
   simulated application's webhook URL, verifies and journals every webhook and publishes it
   to JetStream;
4. two console windows as two operators - Alex, and Sam who is a supervisor - each with its own
   folder (``--home``), settings in team mode and an operator phone on the simulator.

So a newcomer sees a call ring on both windows, answers it on one and watches the other say
"Alex is answering" (and "Taken by Alex" if they try too), the Team panel's presence, transfer
to a colleague, and Sam's Listen / Whisper / Barge in. Closing both windows (or Ctrl+C) stops
everything; ``--keep`` keeps the folder for a look at the journals and logs.

Nothing here imports Qt: the consoles are child processes. The whole process plan is data,
built by :func:`console.team_demo_plan.build_plan` (tests check it without running anything);
this module holds :class:`TeamDemo`, which runs it, and the command line around it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from console.config import save_settings
from console.team_demo_plan import (
    DEFAULT_CALLS_PER_MINUTE,
    DemoError,
    DemoPlan,
    Process,
    SimulatorInfo,
    build_plan,
    find_nats_server,
    parse_simulator_output,
)

START_TIMEOUT_SECS = 20.0
STOP_TIMEOUT_SECS = 10.0


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


Say = Callable[[str], None]


class TeamDemo:
    """Runs a :class:`DemoPlan`: start in order, wait, stop in reverse order."""

    def __init__(self, plan: DemoPlan, say: Say = print):
        self.plan = plan
        self.say = say
        self.running: list[tuple[Process, subprocess.Popen[bytes]]] = []
        self.simulator_info: SimulatorInfo | None = None
        self._logs: list[IO[bytes]] = []

    # --- starting ---------------------------------------------------------------------

    def _spawn(self, process: Process, *, pipe: bool = False) -> subprocess.Popen[bytes]:
        """Start ``process`` with its output in its log file (or a pipe, to read it first)."""
        env = {**os.environ, **process.env}
        output: IO[bytes] | int | None = None
        if pipe:
            output = subprocess.PIPE
        elif process.log is not None:
            process.log.parent.mkdir(parents=True, exist_ok=True)
            output = process.log.open("ab")
            self._logs.append(output)
        child = subprocess.Popen(process.argv, env=env, stdout=output, stderr=subprocess.STDOUT)
        self.running.append((process, child))
        return child

    def _wait_port(self, process: Process, child: subprocess.Popen[bytes], port: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECS
        while not _port_open(port):
            if child.poll() is not None:
                raise DemoError(f"{process.name} stopped at start; see {process.log}.")
            if time.monotonic() > deadline:
                raise DemoError(f"{process.name} did not start in time; see {process.log}.")
            time.sleep(0.02)

    def start_services(self) -> SimulatorInfo:
        """nats-server, the simulator and the relay, each answering before the next starts."""
        plan = self.plan
        plan.base.mkdir(parents=True, exist_ok=True)
        self.say(f"Starting nats-server on {plan.nats_url} …")
        self._wait_port(plan.nats, self._spawn(plan.nats), plan.nats_port)
        self.say("Starting the Telnyx simulator …")
        info = self._start_simulator()
        self.simulator_info = info
        plan.relay_config_path.parent.mkdir(parents=True, exist_ok=True)
        plan.relay_config_path.write_text(plan.relay_config(info))
        self.say(f"Starting the relay: {' '.join(plan.relay.argv[-3:])} …")
        relay = self._spawn(plan.relay)
        self._wait_port(plan.relay, relay, plan.relay_port)
        self._wait_pointed(plan.relay, relay, info)
        return info

    def _wait_pointed(
        self, process: Process, child: subprocess.Popen[bytes], info: SimulatorInfo
    ) -> None:
        """The relay listens before it has pointed the application at itself: a call placed in
        between would have nowhere to send its webhooks, so the demo waits for the URL."""
        import httpx

        url = f"{info.base_url.rstrip('/')}/call_control_applications/{info.connection_id}"
        headers = {"Authorization": f"Bearer {self.plan.api_key}"}
        deadline = time.monotonic() + START_TIMEOUT_SECS
        seen = "no answer"
        with httpx.Client(timeout=2.0, headers=headers) as http:
            while True:
                with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                    answer = http.get(url)
                    seen = f"HTTP {answer.status_code}"
                    data = answer.json()["data"]
                    seen = f"its webhook URL is {data.get('webhook_event_url')!r}"
                    if data.get("webhook_event_url") == self.plan.relay_url:
                        return
                if child.poll() is not None:
                    raise DemoError(f"{process.name} stopped at start; see {process.log}.")
                if time.monotonic() > deadline:
                    raise DemoError(
                        f"{process.name} did not point the application at itself in time "
                        f"({seen}); see {process.log}."
                    )
                time.sleep(0.05)

    def _start_simulator(self) -> SimulatorInfo:
        process = self.plan.simulator
        assert process.log is not None
        process.log.parent.mkdir(parents=True, exist_ok=True)
        child = self._spawn(process, pipe=True)
        lines: list[str] = []
        deadline = time.monotonic() + START_TIMEOUT_SECS
        assert child.stdout is not None
        with process.log.open("ab") as log:
            while time.monotonic() < deadline:
                raw = child.stdout.readline()
                if not raw:
                    break  # it exited
                log.write(raw)
                lines.append(raw.decode(errors="replace"))
                info = parse_simulator_output(lines)
                if info is not None:
                    self._drain(child, process.log)
                    return info
        raise DemoError(f"The simulator did not start; see {process.log}.")

    def _drain(self, child: subprocess.Popen[bytes], path: Path) -> None:
        """Keep copying the simulator's output to its log, so its pipe never fills."""
        import threading

        def copy() -> None:
            assert child.stdout is not None
            with path.open("ab") as log:
                for raw in iter(child.stdout.readline, b""):
                    log.write(raw)
                    log.flush()

        threading.Thread(target=copy, name="simulator-log", daemon=True).start()

    def start_consoles(self, info: SimulatorInfo) -> None:
        plan = self.plan
        for operator, process in zip(plan.operators, plan.consoles, strict=False):
            home = plan.home(operator)
            settings_path = home / "config" / "settings.json"
            save_settings(plan.console_settings(operator, info), settings_path)
            role = "supervisor" if operator.supervisor else "operator"
            self.say(f"Opening {operator.name}'s console ({role}, folder {home}) …")
            self._spawn(process)

    # --- running and stopping ---------------------------------------------------------

    def wait_for_consoles(self) -> None:
        """Until every console window is closed, or a service stops by itself."""
        consoles = [c for p, c in self.running if p in self.plan.consoles]
        services = [(p, c) for p, c in self.running if p not in self.plan.consoles]
        while any(c.poll() is None for c in consoles):
            for process, child in services:
                if child.poll() is not None:
                    self.say(f"{process.name} stopped (see {process.log}); ending the demo.")
                    return
            time.sleep(0.25)

    def stop(self) -> None:
        """Every process, last started first: SIGTERM, then SIGKILL after a wait."""
        for process, child in reversed(self.running):
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    child.terminate()
                try:
                    child.wait(timeout=STOP_TIMEOUT_SECS)
                except subprocess.TimeoutExpired:
                    self.say(f"{process.name} did not stop in time: killed.")
                    child.kill()
                    child.wait(timeout=STOP_TIMEOUT_SECS)
        self.running.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()


def guide(plan: DemoPlan) -> str:
    alex, sam = plan.operators
    return "\n".join(
        [
            "",
            "The team demo is running. Two console windows open, one per operator:",
            f"  {alex.name} (operator) and {sam.name} (supervisor), each with a Team panel",
            "  (the second opens on top of the first: move it aside; the title says whose).",
            "Things to try:",
            "  • A call rings in both windows. Answer it in one (F5): the other shows "
            f'"{alex.name} is answering"; answering there too says "Taken by …" and does '
            "nothing to the call.",
            "  • The Team panel shows each colleague's status (set yours at the top right); "
            "select a call and a colleague, press Enter to transfer (Shift+Enter: consult first).",
            f"  • In {sam.name}'s window, select {alex.name} while on a call: Listen, Whisper, "
            "Barge in (Alt+Shift+L / W / B), switching in place.",
            f"Logs: {plan.base / 'logs'}. Close both windows or press Ctrl+C to stop.",
        ]
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="telnyx-console team-demo",
        description="Team mode on one machine, no account: a local nats-server, the relay on "
        "the simulator, and two console windows as two operators.",
    )
    parser.add_argument(
        "--dir", metavar="DIR", help="keep everything under DIR (default: a new temporary folder)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the folder when the demo ends (logs, journals)"
    )
    parser.add_argument(
        "--calls-per-minute",
        type=float,
        default=DEFAULT_CALLS_PER_MINUTE,
        help="how often a simulated caller rings (0: never; dial out instead)",
    )
    parser.add_argument(
        "--no-windows",
        action="store_true",
        help="start the broker, simulator and relay only, and print how to open consoles",
    )
    return parser


def main(
    argv: list[str],
    *,
    find_server: Callable[[], str | None] = find_nats_server,
    say: Say = print,
) -> int:
    args = build_parser().parse_args(argv)
    temporary = args.dir is None
    base = Path(args.dir or tempfile.mkdtemp(prefix="telnyx-team-demo-")).resolve()
    try:
        plan = build_plan(
            base,
            find_server(),
            calls_per_minute=args.calls_per_minute,
            windows=not args.no_windows,
        )
    except DemoError as exc:
        say(str(exc))
        if temporary:
            shutil.rmtree(base, ignore_errors=True)
        return 2
    demo = TeamDemo(plan, say)
    stop_requested = False

    def request_stop(_sig: int, _frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, request_stop)
    try:
        info = demo.start_services()
        if args.no_windows:
            say(_headless_words(plan, info))
            while True:
                time.sleep(1.0)
        demo.start_consoles(info)
        say(guide(plan))
        demo.wait_for_consoles()
        return 0
    except KeyboardInterrupt:
        return 0
    except (DemoError, OSError) as exc:
        say(f"The team demo could not start: {exc}")
        return 1
    finally:
        say("Stopping the team demo …")
        demo.stop()
        signal.signal(signal.SIGTERM, previous)
        if temporary and not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            say(f"Kept: {base}")


def _headless_words(plan: DemoPlan, info: SimulatorInfo) -> str:
    return "\n".join(
        [
            f"Broker {plan.nats_url}, relay {plan.relay_url}, simulator {info.base_url}.",
            "A console joins with settings: mode team, broker_url as above, an operator name, "
            f"api_base_url {info.base_url}, connection_id {info.connection_id}, and "
            f"TELNYX_API_KEY={plan.api_key} in its environment. Ctrl+C stops.",
        ]
    )
