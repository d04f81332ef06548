"""Applying new settings to a running session: which setting restarts which subsystem.

``RESTARTS`` is the table: a setting (or a secret) on the left, the running parts that must
start again when it changes on the right. ``plan`` reads it for one change and ``apply``
carries the plan out in the one safe order:

1. save the settings file (a demo keeps the simulator's account live and saves the user's
   own values), then the secrets to the keyring;
2. hand the operations their new settings;
3. the receiver (a new public key is handed to it live; the signature switch, path or port
   restart it);
4. outside a demo: the REST client, the tunnel (a moved receiver moves it too, and the first
   API key starts the one that waited for setup), the application's webhook URL, a resync;
   in team mode the relay owns the tunnel and the URL, and team settings note a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from console.config import Settings, save_settings, validate_settings
from console.secrets import Secret
from console.team.settings import team_restart_notes

if TYPE_CHECKING:
    from console.session import ConsoleSession


class Subsystem(StrEnum):
    RECEIVER = "receiver"  # the webhook receiver (ingest)
    CLIENT = "client"  # the REST client
    TUNNEL = "tunnel"  # the public tunnel to the receiver
    WEBHOOK = "webhook"  # the Call Control application's webhook URL


R, C, T, W = Subsystem.RECEIVER, Subsystem.CLIENT, Subsystem.TUNNEL, Subsystem.WEBHOOK

#: setting or secret -> what restarts when it changes (every other setting applies live)
RESTARTS: Mapping[str, frozenset[Subsystem]] = {
    "verify_signatures": frozenset({R}),
    "receiver_path": frozenset({R, T}),
    "receiver_port": frozenset({R, T}),  # the receiver only without a fixed port (see plan)
    "api_base_url": frozenset({C}),
    "default_country": frozenset({C}),
    "tunnel_provider": frozenset({T}),
    "manual_public_url": frozenset({T}),
    "ngrok_region": frozenset({T}),
    "ngrok_domain": frozenset({T}),
    "ngrok_path": frozenset({T}),
    "connection_id": frozenset({W}),
    Secret.API_KEY: frozenset({C}),
    Secret.NGROK_AUTHTOKEN: frozenset({T}),
    Secret.PUBLIC_KEY: frozenset(),  # handed to the running receiver
    # Team mode's settings and broker secret take effect at the next start: their notes
    # come from console/team/settings.py (team_restart_notes).
    Secret.BROKER_PASSWORD: frozenset(),
}

#: A demo runs on the simulator's account: these stay the simulator's, the user's are saved.
DEMO_FIELDS = ("api_base_url", "connection_id", "from_numbers")


def plan(
    old: Settings,
    new: Settings,
    secrets: Mapping[Secret, str | None],
    *,
    fixed_port: bool,
    demo: bool,
) -> frozenset[Subsystem]:
    """What to restart for the change ``old`` -> ``new`` with the ``secrets`` given (None:
    unchanged). A demo's receiver takes any free port and it has no client, tunnel or
    application of the user's to restart."""
    parts: set[Subsystem] = set()
    for name, restarts in RESTARTS.items():
        if isinstance(name, Secret):
            changed = secrets.get(name) is not None
        else:
            changed = getattr(new, name) != getattr(old, name)
        if not changed:
            continue
        if name == "receiver_port" and (fixed_port or demo):
            restarts = restarts - {R}
        parts |= restarts
    if demo:
        parts &= {R}
    return frozenset(parts)


@dataclass(frozen=True)
class Applied:
    """The settings to run with and the ones to save (they differ in a demo)."""

    live: Settings
    saved: Settings


def split_for_demo(settings: Settings, running: Settings, user: Settings, demo: bool) -> Applied:
    if not demo:
        return Applied(settings, settings)
    saved = settings.model_copy(update={f: getattr(user, f) for f in DEMO_FIELDS})
    live = settings.model_copy(update={f: getattr(running, f) for f in DEMO_FIELDS})
    return Applied(live, saved)


async def apply(
    session: ConsoleSession,
    settings: Settings | dict[str, Any],
    api_key: str | None = None,
    public_key: str | None = None,
    ngrok_authtoken: str | None = None,
    broker_password: str | None = None,
) -> list[str]:
    """``ConsoleSession.apply_settings``: validate, save, restart what the table says."""
    if not isinstance(settings, Settings):
        settings = validate_settings(settings)
    if public_key:
        from console.events.signature import load_verify_key

        load_verify_key(public_key)  # a malformed key is refused before anything is saved
    old = session.settings
    notes: list[str] = []
    applied = split_for_demo(settings, old, session._user_settings, session.demo)
    settings = applied.live
    await asyncio.to_thread(save_settings, applied.saved, session._settings_path)
    session._user_settings = applied.saved
    session.settings = settings

    secrets = {
        Secret.API_KEY: api_key,
        Secret.PUBLIC_KEY: public_key,
        Secret.NGROK_AUTHTOKEN: ngrok_authtoken,
        Secret.BROKER_PASSWORD: broker_password,
    }
    for name, value in secrets.items():
        if value is not None:
            await session.secrets.aset(name, value)
    restarts = plan(
        old, settings, secrets, fixed_port=session._receiver_port is not None, demo=session.demo
    )

    if session.ops is not None:
        session.ops.settings = settings
        session.ops.connection_id = settings.connection_id or None
        session.ops.hold_music_url = session._hold_music_url()

    receiver_moved = False
    if session.ingest is not None:
        if public_key is not None and not session.demo:
            session.ingest.set_public_key(public_key or None)
            session.receiver.key_changed(public_key or None)
        if R in restarts:
            receiver_moved = await session._restart_receiver()
            notes.append("The webhook receiver was restarted with the new settings.")
        session._refresh_receiver_health()

    notes += team_restart_notes(old, settings, session.demo, broker_password is not None)
    if session.demo:
        return notes
    team = session.team is not None  # team mode: the relay owns the tunnel and the URL
    client_changed = C in restarts
    if client_changed:
        await session._replace_client()
    tunnel_changed = not team and (
        T in restarts
        or receiver_moved
        # First setup: the tunnel waited for an API key, which has just arrived.
        or (session.tunnel is None and session.client is not None)
    )
    application_changed = W in restarts
    moving = (tunnel_changed or application_changed) and session.client is not None
    if moving and session._webhook.pointed_url is not None and old.restore_webhook_url_on_exit:
        await session._restore_webhook_quietly()
    if tunnel_changed:
        await session._restart_tunnel()
        notes.append("The tunnel was restarted.")
    if (
        not team
        and session.client is not None
        and (tunnel_changed or application_changed or client_changed)
    ):
        await session._point_webhook()
        with contextlib.suppress(Exception):
            await session.resync("settings changed")
    elif team and (application_changed or client_changed):
        session.request_resync("settings changed")
    return notes
