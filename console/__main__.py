"""Command line entry point: ``telnyx-console`` and ``python -m console``."""

from __future__ import annotations

import argparse
import sys

from console import APP_NAME, __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Desktop operator console for the Telnyx Call Control (Voice) API.",
        epilog="Other commands: 'relay --config FILE' (team mode's webhook relay), 'team-demo' "
        "(team mode on one machine: a local broker, the relay and two consoles), 'simulator' "
        "(the Telnyx simulator on its own). Each has --help.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run on the built-in Telnyx simulator with generated traffic (no account needed)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen with a scripted call on the simulator, then exit",
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep settings, journal and logs under DIR (default: the platform's folders)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="how much the terminal and the log file say (DEBUG adds every REST request)",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser


#: Internal commands, not for operators: the console starts these processes itself.
INTERNAL_COMMANDS = ("ingest-child",)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ingest-child"]:
        from console.ingest.child import main as ingest_child

        return ingest_child()
    if argv[:1] == ["relay"]:
        from console.relay.relay import main as relay_main

        return relay_main(argv[1:])
    if argv[:1] == ["team-demo"]:
        from console.team_demo import main as team_demo

        return team_demo(argv[1:])
    if argv[:1] == ["simulator"]:  # the team demo starts it (also in a frozen build)
        from console.simulator.__main__ import main as simulator_main

        return simulator_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.home:
        import os

        os.environ["TELNYX_CONSOLE_HOME"] = args.home
    if args.self_test:
        from console.selftest import run_self_test

        return run_self_test()
    from console.display_check import display_problem

    # Before Qt: without a display its xcb plugin aborts with a misleading library hint.
    problem = display_problem()
    if problem is not None:
        print(f"{APP_NAME}: {problem}", file=sys.stderr)
        return 1
    from console.app import run_app

    return run_app(demo=args.demo, log_level=args.log_level)


if __name__ == "__main__":
    sys.exit(main())
