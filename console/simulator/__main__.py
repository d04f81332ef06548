"""``python -m console.simulator``: run the Telnyx simulator as a standalone server."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from . import phones
from .faults import Faults
from .simulator import TelnyxSimulator


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
    parser.add_argument("--api-key", help="the API key to accept (default: generated)")
    parser.add_argument(
        "--demo", type=float, metavar="RATE", help="generate inbound calls, RATE per minute"
    )
    Faults.add_arguments(parser)
    return parser


async def run(args: argparse.Namespace) -> None:
    sim = TelnyxSimulator(
        webhook_url=args.webhook_url,
        speed=args.speed,
        faults=Faults.from_namespace(args),
        seed=args.seed,
        webhook_failover_url=args.failover_url,
        api_key=args.api_key,
    )
    await sim.start(host=args.host, port=args.port)
    print(f"base_url={sim.base_url}")
    print(f"api_key={sim.api_key}")
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
