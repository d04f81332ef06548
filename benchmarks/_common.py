"""Shared pieces of the benchmarks: options, percentiles, the figure table, realistic webhooks."""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import sys
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

T0 = datetime(2025, 1, 6, 9, 0, 0, tzinfo=UTC)
CONNECTION_ID = "2386325531927775048"
AGENT_NUMBER = "+13125550199"


def parse_args(description: str, extra: Sequence[tuple[str, dict[str, Any]]] = ()):
    """The options every benchmark takes (--quick, --json, --seed) plus its own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--seed", type=int, default=7, help="random seed (event order, ids)")
    for flag, kwargs in extra:
        parser.add_argument(flag, **kwargs)
    return parser.parse_args()


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p90/p99/max of durations given in seconds, in milliseconds."""
    return {
        "p50_ms": percentile(seconds, 50) * 1000,
        "p90_ms": percentile(seconds, 90) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "max_ms": max(seconds) * 1000 if seconds else math.nan,
    }


@dataclass
class Report:
    """Named figures in insertion order, printed as a table or as JSON."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    figures: list[tuple[str, Any, str]] = field(default_factory=list)

    def add(self, label: str, value: Any, unit: str = "") -> None:
        self.figures.append((label, value, unit))

    def print(self, as_json: bool) -> None:
        if as_json:
            document = {
                "benchmark": self.name,
                "python": platform.python_version(),
                "params": self.params,
                "figures": {label: value for label, value, _unit in self.figures},
                "units": {label: unit for label, _value, unit in self.figures if unit},
            }
            print(json.dumps(document, indent=2, default=str))
            return
        params = ", ".join(f"{k}={v}" for k, v in self.params.items())
        print(f"# {self.name} ({params})")
        width = max((len(label) for label, _v, _u in self.figures), default=10)
        for label, value, unit in self.figures:
            print(f"{label:<{width}}  {_fmt(value):>12}  {unit}")
        sys.stdout.flush()


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# --- realistic webhooks -------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sip_headers(rng: random.Random) -> list[dict[str, str]]:
    # Real call.initiated/answered/hangup bodies carry SIP headers; they are most of the size.
    return [
        {"name": "User-Agent", "value": "Telnyx SIP Proxy/1.27.3"},
        {"name": "P-Asserted-Identity", "value": f"<sip:+1312555{rng.randint(1000, 9999)}@x>"},
        {"name": "X-Telnyx-Session", "value": uuid.UUID(int=rng.getrandbits(128)).hex},
        {"name": "Call-ID", "value": f"{uuid.UUID(int=rng.getrandbits(128))}@10.12.4.7"},
        {"name": "Contact", "value": "<sip:+13125550199@192.0.2.10:5060;transport=udp>"},
    ]


@dataclass
class CallScript:
    """One caller's call: an inbound leg (A) and the agent leg (B) it is bridged to."""

    index: int
    rng: random.Random
    start: datetime
    events: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = self.index
        self.session = str(uuid.UUID(int=self.rng.getrandbits(128)))
        self.a_ccid = f"v3:call-{n:06d}-a-{self.rng.getrandbits(40):010x}"
        self.b_ccid = f"v3:call-{n:06d}-b-{self.rng.getrandbits(40):010x}"
        self.a_leg = str(uuid.UUID(int=self.rng.getrandbits(128)))
        self.b_leg = str(uuid.UUID(int=self.rng.getrandbits(128)))
        self.caller = f"+1{self.rng.choice(['212', '415', '617'])}555{n % 10000:04d}"

    def _ids(self, ccid: str | None, leg: str) -> dict[str, Any]:
        ids: dict[str, Any] = {
            "call_leg_id": leg,
            "call_session_id": self.session,
            "connection_id": CONNECTION_ID,
            "client_state": "YmVuY2htYXJr",  # base64("benchmark")
        }
        if ccid is not None:
            ids["call_control_id"] = ccid
        return ids

    def event(self, event_type: str, seconds: float, leg: str, **fields: Any) -> dict[str, Any]:
        ccid = self.a_ccid if leg == "a" else self.b_ccid
        leg_id = self.a_leg if leg == "a" else self.b_leg
        to = AGENT_NUMBER if leg == "a" else "+13125550100"
        payload = {**self._ids(ccid, leg_id), "from": self.caller, "to": to, **fields}
        return self._add(event_type, seconds, payload)

    def _add(self, event_type: str, seconds: float, payload: dict[str, Any]) -> dict[str, Any]:
        body = {
            "data": {
                "record_type": "event",
                "event_type": event_type,
                "id": str(uuid.UUID(int=self.rng.getrandbits(128))),
                "occurred_at": iso(self.start + timedelta(seconds=seconds)),
                "payload": payload,
            },
            "meta": {"attempt": 1, "delivered_to": "https://console.example/webhooks/telnyx"},
        }
        self.events.append(body)
        return body

    def initiated(self, seconds: float, leg: str) -> None:
        incoming = leg == "a"
        self.event(
            "call.initiated",
            seconds,
            leg,
            direction="incoming" if incoming else "outgoing",
            state="parked" if incoming else "bridging",
            caller_id_name="WIRELESS CALLER",
            start_time=iso(self.start + timedelta(seconds=seconds)),
            connection_codecs="G722,PCMU,PCMA,G729,OPUS,VP8,H264",
            offered_codecs="PCMU,PCMA,G722,OPUS",
            shaken_stir_attestation="A",
            shaken_stir_validated=True,
            custom_headers=[{"name": "X-Campaign", "value": "spring-sale"}],
            sip_headers=_sip_headers(self.rng),
            tags=["benchmark", "inbound" if incoming else "agent"],
        )

    def answered(self, seconds: float, leg: str) -> None:
        self.event(
            "call.answered",
            seconds,
            leg,
            state="answered",
            start_time=iso(self.start),
            custom_headers=[{"name": "X-Campaign", "value": "spring-sale"}],
            sip_headers=_sip_headers(self.rng),
            tags=["benchmark"],
        )

    def bridged(self, seconds: float, leg: str) -> None:
        self.event("call.bridged", seconds, leg, state="bridged")

    def recording_saved(self, seconds: float) -> None:
        # As in the spec: no call_control_id, so the store has to find the leg by call_leg_id.
        rec = str(uuid.UUID(int=self.rng.getrandbits(128)))
        base = f"https://s3.amazonaws.com/telephony-recorder-prod/{rec}"
        payload = {
            **self._ids(None, self.a_leg),
            "channels": "dual",
            "format": "mp3",
            "recording_id": rec,
            "recording_started_at": iso(self.start + timedelta(seconds=4)),
            "recording_ended_at": iso(self.start + timedelta(seconds=seconds)),
            "recording_urls": {"mp3": f"{base}.mp3?X-Amz-Signature=" + "f" * 64, "wav": None},
            "public_recording_urls": {"mp3": f"{base}.mp3", "wav": None},
        }
        self._add("call.recording.saved", seconds, payload)

    def hangup(self, seconds: float, leg: str, source: str) -> None:
        stats = {
            "inbound": {"jitter_max_variance": "2.1", "mos": "4.48", "packet_count": "6412"},
            "outbound": {"packet_count": "6401", "skip_packet_count": "3"},
        }
        self.event(
            "call.hangup",
            seconds,
            leg,
            state="hangup",
            hangup_cause="normal_clearing",
            hangup_source=source,
            sip_hangup_cause="200",
            start_time=iso(self.start),
            call_quality_stats=stats,
            sip_headers=_sip_headers(self.rng),
            tags=["benchmark"],
        )


def call_lifecycle(index: int, rng: random.Random, start: datetime) -> CallScript:
    """initiated → answered → agent leg → bridged → recording.saved → hangup (9 webhooks)."""
    script = CallScript(index, rng, start)
    talk = rng.uniform(30, 300)
    script.initiated(0.0, "a")
    script.answered(0.8, "a")
    script.initiated(1.0, "b")
    script.answered(6.5, "b")
    script.bridged(6.6, "a")
    script.bridged(6.6, "b")
    script.hangup(6.6 + talk, "a", "caller")
    script.hangup(6.6 + talk, "b", "unknown")
    script.recording_saved(6.7 + talk)
    return script


def live_call(index: int, rng: random.Random, start: datetime) -> CallScript:
    """A call still up: both legs answered and bridged (5 webhooks, 2 live legs)."""
    script = CallScript(index, rng, start)
    script.initiated(0.0, "a")
    script.answered(0.8, "a")
    script.initiated(1.0, "b")
    script.answered(6.5, "b")
    script.bridged(6.6, "a")
    script.bridged(6.6, "b")
    return script


def conference_lifecycle(
    index: int, participants: int, rng: random.Random, start: datetime
) -> list[dict[str, Any]]:
    """A conference: created, P inbound legs answered + joined, each leaves + hangs up, ended."""
    conference_id = str(uuid.UUID(int=rng.getrandbits(128)))
    legs = [CallScript(index * 1000 + p, rng, start) for p in range(participants)]
    events: list[dict[str, Any]] = []
    first = legs[0]

    def conference_event(event_type: str, seconds: float, ids: dict[str, Any] | None) -> None:
        payload: dict[str, Any] = {"conference_id": conference_id, "connection_id": CONNECTION_ID}
        if ids:
            payload |= ids
            payload["creator_call_session_id"] = first.session
        # conference.created/ended carry occurred_at inside the payload (Telnyx's shape).
        payload["occurred_at"] = iso(start + timedelta(seconds=seconds))
        events.append(
            {
                "data": {
                    "record_type": "event",
                    "event_type": event_type,
                    "id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "payload": payload,
                },
                "meta": {"attempt": 1, "delivered_to": "https://console.example/webhooks/telnyx"},
            }
        )

    conference_event("conference.created", 1.0, first._ids(first.a_ccid, first.a_leg))
    end = 60.0 + participants * 2
    for p, leg in enumerate(legs):
        joined_at = 2.0 + p * 1.5
        leg.initiated(joined_at - 0.5, "a")
        leg.answered(joined_at - 0.2, "a")
        leg.event(
            "conference.participant.joined", joined_at + 0.3, "a", conference_id=conference_id
        )
        left_at = end - (participants - p) * 0.5
        leg.event("conference.participant.left", left_at, "a", conference_id=conference_id)
        leg.hangup(left_at + 0.1, "a", "caller")
        events.extend(leg.events)
    conference_event("conference.ended", end + 1, None)
    return events


def interleave(
    per_call: list[list[dict[str, Any]]], rng: random.Random, concurrent: int = 50
) -> list[dict[str, Any]]:
    """One delivery stream from many calls: up to ``concurrent`` calls in progress at once.

    Each call's events keep their relative order (a webhook of a call is never overtaken by a
    later webhook of the same call), as a receiver would see them without faults.
    """
    queues = [list(events) for events in per_call]
    stream: list[dict[str, Any]] = []
    active: list[list[dict[str, Any]]] = []
    pending = iter(queues)
    exhausted = False
    while True:
        while not exhausted and len(active) < concurrent:
            nxt = next(pending, None)
            if nxt is None:
                exhausted = True
            elif nxt:
                active.append(nxt)
        if not active:
            return stream
        pick = rng.randrange(len(active))
        stream.append(active[pick].pop(0))
        if not active[pick]:
            active.pop(pick)


def shuffle_within_calls(
    per_call: list[list[dict[str, Any]]], rng: random.Random
) -> list[list[dict[str, Any]]]:
    shuffled = []
    for events in per_call:
        copy = list(events)
        rng.shuffle(copy)
        shuffled.append(copy)
    return shuffled


def encode(body: dict[str, Any]) -> bytes:
    """Compact JSON, as Telnyx sends it."""
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def sizes(bodies: Iterable[bytes]) -> tuple[int, int, float]:
    lengths = [len(b) for b in bodies]
    return min(lengths), max(lengths), sum(lengths) / len(lengths)
