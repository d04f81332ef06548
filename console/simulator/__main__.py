"""``python -m console.simulator``: run the Telnyx simulator as a standalone server."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os

from . import phones
from .faults import Faults
from .simulator import TelnyxSimulator

#: The same variable the console and Telnyx's SDK read, so one export serves both.
API_KEY_ENV = "TELNYX_API_KEY"


def build_parser() -> argparse.ArgumentParser:
    outcomes = ", ".join(f"{dest} {o.kind}" for dest, o in phones.table().items())
    parser = argparse.ArgumentParser(
        prog="python -m console.simulator",
        description="A local stand-in for the Telnyx Call Control API and its webhooks.",
        epilog=f"Dial these to pick an outcome: {outcomes}; any other number answers.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--webhook-url", help="the default application's webhook_event_url")
    parser.add_argument("--failover-url", help="the default application's failover URL")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="simulated time runs X times faster"
    )
    parser.add_argument("--seed", type=int, help="seed for the fault-injection RNG")
    parser.add_argument(
        "--api-key",
        help=f"the API key to accept (default: ${API_KEY_ENV}, else generated); an argument "
        f"shows in the process list, ${API_KEY_ENV} does not",
    )
    parser.add_argument(
        "--demo", type=float, metavar="RATE", help="generate inbound calls, RATE per minute"
    )
    Faults.add_arguments(parser)
    return parser


def api_key_from(
    args: argparse.Namespace, environ: os._Environ[str] | dict[str, str]
) -> str | None:
    """The key to accept: ``--api-key``, else the environment's, else None (one is generated)."""
    return args.api_key or environ.get(API_KEY_ENV, "").strip() or None


async def run(args: argparse.Namespace) -> None:
    api_key = api_key_from(args, os.environ)
    sim = TelnyxSimulator(
        webhook_url=args.webhook_url,
        speed=args.speed,
        faults=Faults.from_namespace(args),
        seed=args.seed,
        webhook_failover_url=args.failover_url,
        api_key=api_key,
    )
    await sim.start(host=args.host, port=args.port)
    print(f"base_url={sim.base_url}")
    # A key the caller chose is theirs already: it is not echoed to a terminal or a CI log.
    print(f"api_key={sim.api_key}" if api_key is None else "api_key=(the one given)")
    print(f"public_key={sim.public_key_b64}")
    print(f"connection_id={sim.connection_id}", flush=True)
    if args.demo:
        sim.start_demo_traffic(rate=args.demo)
    try:
        await asyncio.Event().wait()
    finally:
        await sim.stop()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
