"""Fault-injection switches for webhook delivery and the REST API (all off by default)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields


@dataclass
class Faults:
    """What may go wrong. Rates are probabilities (0..1) drawn from the simulator's seeded RNG.

    Delays are in simulated seconds (divided by the speed factor like every simulated delay).
    """

    duplicate_rate: float = 0.0  # a delivered webhook is sent a second time (same id)
    reorder_rate: float = 0.0  # a webhook skips per-call ordering and is held back a little
    reorder_delay: float = 0.5
    delay: float = 0.0  # fixed delivery delay before the first attempt
    jitter: float = 0.0  # plus uniform(0, jitter)
    drop_first_attempt_rate: float = 0.0  # receiver got it, but the answer is "lost": retried
    outage_after: float | None = None  # receiver outage starts this many seconds after start
    outage_duration: float = 0.0  # ... and lasts this long; deliveries are held, then retried
    api_5xx_rate: float = 0.0  # REST requests answered 500/503
    api_429_rate: float = 0.0  # REST requests answered 429 at random
    rate_limit_per_second: int | None = None  # more requests than this in one second -> 429

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        group = parser.add_argument_group("fault injection")
        for f in fields(cls):
            flag = "--" + f.name.replace("_", "-")
            kind = int if f.name == "rate_limit_per_second" else float
            group.add_argument(flag, type=kind, default=f.default, dest=f.name, metavar="N")

    @classmethod
    def from_namespace(cls, ns: argparse.Namespace) -> Faults:
        return cls(**{f.name: getattr(ns, f.name) for f in fields(cls)})
