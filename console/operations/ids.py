"""Stable identifiers: command_ids derived from an operation id + step, conference names, tags."""

from __future__ import annotations

import getpass
import socket
import uuid

# A fixed namespace so the same (operation, step) always yields the same command_id, also
# after a restart: Telnyx drops a repeat of a command_id, so a retried step never acts twice.
_NAMESPACE = uuid.UUID("5d0c7a52-3c0e-4f6b-9d7e-6f1f2b0c9a11")

#: Prefix of the conferences the console creates for one call (hold/mute/operator/transfer).
OWN_CONFERENCE_PREFIX = "console-call-"

#: client_state tags (plain text: the client base64-encodes them; the store decodes them).
#: Every leg the console tags is also given ``park_after_unbridge: self`` (see hold.py).
CONSOLE_TAG_PREFIX = "console:"
OPERATOR_TAG = "console:operator"
PARTICIPANT_TAG = "console:participant"
BRIDGE_TAG = "console:bridge"
CONSULT_TAG_PREFIX = "console:consult:"


def new_operation_id() -> str:
    return uuid.uuid4().hex


def step_command_id(operation_id: str, step: str) -> str:
    """The command_id of one step of one operation: the same inputs, the same id."""
    return str(uuid.uuid5(_NAMESPACE, f"{operation_id}:{step}"))


def default_operator_id() -> str:
    """Who this console acts for when no operator name is set: ``user@host`` (stable)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "operator"
    return f"{user}@{socket.gethostname()}"


def operator_step_id(operator_id: str, call_control_id: str, step: str) -> str:
    """The id of one operator's own step on a call (answer, dialling their phone...).

    Two consoles answering one call must not send the same command_id: Telnyx would drop the
    second as a repeat and its operator would never learn they lost.
    """
    return step_command_id(f"{operator_id}|{call_control_id}", step)


def own_conference_name(call_control_id: str) -> str:
    """The name of the console's per-call conference for this leg (stable for the leg)."""
    return OWN_CONFERENCE_PREFIX + uuid.uuid5(_NAMESPACE, call_control_id).hex[:16]


def is_own_conference_name(name: str | None) -> bool:
    return bool(name) and name.startswith(OWN_CONFERENCE_PREFIX)
