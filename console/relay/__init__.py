"""Team mode: many consoles on one Call Control application, through a relay and NATS JetStream.

The relay (``telnyx-console relay``) is the ingest component run stand-alone plus a publisher:
it owns the application's webhook URL, journals every verified event once and publishes it to a
JetStream stream. Each console reads that stream from its own cursor
(:class:`JetStreamSource`, an :class:`~console.events.source.EventSource`), claims a call before
acting on it (:class:`ClaimBook`) and shares its operator's state (:class:`PresenceBoard`).

Nothing here imports Qt. Modules:

* ``errors`` - :class:`TeamError` and its children, each with ``user_message``;
* ``keys`` - KV key encoding (call control ids contain ``:``);
* ``stream`` - stream settings, subjects, headers, record <-> message;
* ``connection`` - broker options and the connection with its state callbacks;
* ``publisher`` - journal → stream, exactly from where the stream ends;
* ``config`` / ``relay`` - the relay's TOML config and its entry point;
* ``source`` - the console's ordered consumer from its cursor, with gap detection;
* ``kvwatch`` - a KV bucket followed live, across reconnects;
* ``claims`` / ``presence`` - KV compare-and-set claims and heartbeat presence.
"""

from console.relay.claims import Claim, ClaimAction, ClaimBook, ClaimTaken
from console.relay.connection import BrokerConnection, BrokerOptions, BrokerState
from console.relay.errors import BrokerUnavailable, RelayConfigError, TeamError
from console.relay.presence import OperatorStatus, Presence, PresenceBoard
from console.relay.source import JetStreamSource, ResyncReason
from console.relay.stream import StreamSettings

__all__ = [
    "BrokerConnection",
    "BrokerOptions",
    "BrokerState",
    "BrokerUnavailable",
    "Claim",
    "ClaimAction",
    "ClaimBook",
    "ClaimTaken",
    "JetStreamSource",
    "OperatorStatus",
    "Presence",
    "PresenceBoard",
    "RelayConfigError",
    "ResyncReason",
    "StreamSettings",
    "TeamError",
]
