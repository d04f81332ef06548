"""The session's way in from Telnyx: the tunnel to the receiver and the application's webhook URL.

``TunnelLink`` starts the tunnel (ngrok, a manual URL or none) in front of the receiver, keeps
``session.health`` in step with its state, points the selected Call Control application's
webhook URL at ``<public URL><receiver path>`` (remembering the old one, restored on exit) and,
after a reconnect, points it again and asks for a resync. A tunnel that will not start or an
application that cannot be pointed is reported in health, never raised: the console opens and
the operator fixes it in Settings.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from console.errors import words_for
from console.operations.webhook_target import WebhookHeldError, WebhookPointError, WebhookTarget
from console.tunnel.base import TunnelProvider, TunnelStatus

if TYPE_CHECKING:
    from console.session import ConsoleSession

log = logging.getLogger(__name__)

WEBHOOK_MEMORY_FILENAME = "webhook-target.json"


class TunnelLink:
    """The tunnel and the webhook URL of one session (its settings, secrets and health)."""

    def __init__(self, session: ConsoleSession) -> None:
        self._s = session
        self.tunnel: TunnelProvider | None = None
        self.webhook = WebhookTarget(None)
        self._unsubscribe: Callable[[], None] | None = None

    def remember_in(self, data_dir: Path | None) -> None:
        """Where the application's previous URL is remembered (None: a demo, never)."""
        self.webhook = WebhookTarget(
            None if data_dir is None else data_dir / WEBHOOK_MEMORY_FILENAME
        )

    # --- the tunnel -----------------------------------------------------------------------

    async def start(self) -> None:
        s = self._s
        if s._tunnel_factory is not None:
            tunnel = s._tunnel_factory(s.settings, s.secrets)
        else:
            from console.tunnel import build_tunnel

            # The agent's pidfile and lock live in this session's data dir.
            tunnel = build_tunnel(s.settings, s.secrets, state_dir=s.data_dir, **s._tunnel_options)
        self.tunnel = tunnel
        self._unsubscribe = tunnel.on_state(self._on_state)
        port = s.receiver.port
        assert port is not None, "the receiver starts before the tunnel"
        try:
            await tunnel.start(port)
        except Exception as exc:
            message = words_for(exc)
            log.error("tunnel did not start: %s", message)
            s._set_health(tunnel_state="failed", tunnel_error=message)
            return
        self._sync_health()

    async def restart(self) -> None:
        await self.stop()
        self.tunnel = None
        await self.start()

    async def stop(self) -> None:
        """Stop the tunnel; the object stays readable (its files, its last state)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.tunnel is not None:
            await _quietly("tunnel stop", self.tunnel.stop())

    def down_problem(self) -> str:
        s = self._s
        error = s.health.tunnel_error
        why = f" ({error.rstrip('.')})" if error else ""
        if s.settings.tunnel_provider == "ngrok":
            fix = (
                "Check the ngrok agent path and authtoken in Settings and save to retry, or "
                "choose the 'manual' tunnel with your own public URL."
            )
        else:
            fix = "Check the tunnel settings and save to retry."
        return (
            f"The {s.settings.tunnel_provider} tunnel is down{why}, so Telnyx cannot reach "
            f"the console and new calls and call events will not show up. {fix}"
        )

    def _sync_health(self) -> None:
        tunnel = self.tunnel
        if tunnel is None:
            return
        self._s._set_health(
            tunnel_state=str(tunnel.state),
            tunnel_url=tunnel.public_url,
            tunnel_error=tunnel.last_error,
        )

    def _on_state(self, status: TunnelStatus) -> None:
        s = self._s
        before = (s.health.tunnel_state, s.health.tunnel_url)
        self._sync_health()
        if s._stopping or not s._started:
            return
        if str(status.state) == "failed" and before[0] != "failed":
            # Reconnecting gave up: the application points at a dead URL until it is fixed.
            s._set_health(webhook_problem=self.down_problem())
            return
        was_up = before[0] in ("up", "reconnecting")
        if str(status.state) == "up" and was_up and before != ("up", status.public_url):
            # A reconnect (maybe with a new URL): re-point the application, then fill the gap.
            # (A first start, from start() or apply_settings(), points and resyncs itself.)
            s._spawn(self._after_reconnect(), "tunnel-reconnect")

    async def _after_reconnect(self) -> None:
        if self._s.client is not None:
            await self.point_webhook()
        self._s.request_resync("tunnel reconnected")

    # --- the application's webhook URL ----------------------------------------------------

    def public_webhook_url(self) -> str | None:
        tunnel_url = self.tunnel.public_url if self.tunnel is not None else None
        return self._s.settings.webhook_url(tunnel_url) if tunnel_url else None

    async def point_webhook(self, *, take_over: bool = False) -> None:
        s = self._s
        url = self.public_webhook_url()
        if url is None:
            problem = None
            if self.tunnel is not None and str(self.tunnel.state) == "failed":
                problem = self.down_problem()  # the application is left as it was
            elif s.settings.tunnel_provider == "none":
                problem = (
                    "No tunnel is configured: Telnyx can only reach the console if something "
                    f"forwards {s.settings.receiver_path} to {s.health.receiver_url}."
                )
            s._set_health(webhook_url=None, webhook_problem=problem)
            return
        if not s.settings.connection_id:
            s._set_health(
                webhook_url=None,
                webhook_problem=(
                    "Choose the Call Control application in Settings so the console can point "
                    f"its webhook URL at {url}."
                ),
            )
            return
        client = s.client
        assert client is not None, "pointed only once there is an API key"
        try:
            await self.webhook.point(client, s.settings.connection_id, url, take_over=take_over)
        except WebhookHeldError as exc:
            # Not taken silently: the UI offers take_over_webhook() or joining a team.
            log.warning("%s", exc.user_message)
            s._set_health(
                webhook_url=None, webhook_problem=exc.user_message, webhook_held_by=exc.holder.where
            )
            s._note_api_result(None)
            return
        except WebhookPointError as exc:
            log.error("%s", exc.user_message)
            s._set_health(webhook_url=None, webhook_problem=exc.user_message)
            s._note_api_result(exc.__cause__)
            return
        s._note_api_result(None)
        s._set_health(webhook_url=url, webhook_problem=None, webhook_held_by=None)

    async def restore_webhook(self) -> None:
        """Give the application back the URL it had before the console pointed it."""
        client = self._s.client
        if client is not None and self.webhook.pointed_url is not None:
            await _quietly("webhook URL restore", self.webhook.restore(client))


async def _quietly(what: str, awaitable: Awaitable[object]) -> None:
    try:
        await awaitable
    except Exception:
        log.exception("%s failed during shutdown", what)
