"""The control channel between the console and its ingest child: one JSON object per line.

The console writes the configuration as the first line of the child's stdin, then commands;
the child writes reports to its stdout. Nothing else is ever written to the child's stdout
(its log records travel as ``log`` reports), so a line is always a whole message.

Console → child: ``config`` (first, once), ``set_public_key``, ``compact_below``, ``metrics``
(the console's own exposition text), ``stop``.
Child → console: ``ready``, ``committed`` (the newest seq of a batch), ``rejected``,
``stats``, ``log``, ``key_error`` (a new key was refused), ``failed`` (could not start).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from console.events.deliveries import ReceiverStats, Rejection
from console.ingest.config import IngestConfig, IngestReady

Message = dict[str, Any]


def encode(kind: str, **body: Any) -> bytes:
    return json.dumps({"type": kind, **body}, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> Message:
    """One line as a message; raises ValueError when it is not one."""
    message = json.loads(line)
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ValueError("not a control message")
    return message


def config_message(config: IngestConfig) -> bytes:
    return encode("config", config=asdict(config))


def config_from(message: Message) -> IngestConfig:
    known = {f.name for f in fields(IngestConfig)}
    return IngestConfig(**{k: v for k, v in message["config"].items() if k in known})


def ready_from(message: Message) -> IngestReady:
    known = {f.name for f in fields(IngestReady)}
    return IngestReady(**{k: v for k, v in message["ready"].items() if k in known})


def stats_from(message: Message) -> ReceiverStats:
    known = {f.name for f in fields(ReceiverStats)}
    return ReceiverStats(**{k: v for k, v in message["stats"].items() if k in known})


def rejection_from(message: Message) -> Rejection:
    known = {f.name for f in fields(Rejection)}
    return Rejection(**{k: v for k, v in message["rejection"].items() if k in known})


def stats_message(stats: ReceiverStats) -> bytes:
    return encode("stats", stats=asdict(stats))


def rejection_message(rejection: Rejection) -> bytes:
    return encode("rejected", rejection=asdict(rejection))


def ready_message(ready: IngestReady) -> bytes:
    return encode("ready", ready=asdict(ready))
